"""Hostile state and action names through every output language: Markdown, LaTeX, DOT.

A name is the user's text. Written into a handout, a LaTeX fragment or the Graphviz
source it must print as it is spelt: never bold text, emphasis, an HTML tag, a LaTeX
command made of a raw control character, or a DOT statement of its own. The expected
escapes follow each language's own rules: CommonMark's backslash escapes of ASCII
punctuation and its raw-HTML rule (``<`` then a letter, ``/``, ``!`` or ``?``), LaTeX's
ten special characters, and DOT's quoted strings (``\\"`` inside ``"..."``).
"""

from __future__ import annotations

import re

from symbellman.cli import main
from symbellman.core.escape import dot_text, html_text, latex_text, markdown_text, plot_text

HOSTILE = r'''format: 1
name: "Hostile <b>names</b>"
discount: 9/10
states: ["<b>A</b>", "x*y*_z_", "E\e[2J", End]
terminal: [End]
actions:
  "<b>A</b>": ["go*", "st_ay_"]
  "x*y*_z_": ["go*"]
  "E\e[2J": ['q"; X [shape=box]; "']
transitions:
  "<b>A</b>":
    "go*": {to: "x*y*_z_", r: 1}
    "st_ay_": {to: "E\e[2J", r: 0}
  "x*y*_z_":
    "go*": {to: End, r: 2}
  "E\e[2J":
    'q"; X [shape=box]; "': {to: End, r: 3}
'''


def _model(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return str(path)


def _outside_maths(markdown: str) -> str:
    """The Markdown text with its ``$$`` blocks and ``$...$`` spans left out."""
    return re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$", "", markdown, flags=re.S)


def test_markdown_handout_prints_names_as_spelt(tmp_path, capsys):
    target = tmp_path / "x.md"
    assert main(["handout", _model(tmp_path), "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    prose = _outside_maths(text)
    assert "\x1b" not in text
    assert text.startswith("# Hostile &lt;b>names&lt;/b>\n")
    # the table of the model: each name escaped, the row otherwise intact
    assert "| &lt;b>A&lt;/b> | st_ay\\_ | 1/2 | E\\\\x1b\\[2J | 1 | 0 |" in text
    assert "| x\\*y\\*\\_z\\_ | go\\* | 1 | End | 1 | 2 |" in text
    # nothing left that CommonMark reads as a tag, emphasis or code
    assert not re.search(r"<[A-Za-z/!?]", prose)
    prose = prose.replace("*Backup diagrams*", "")  # the handout's own emphasis
    assert not re.search(r"(?<!\\)[*`]", prose)
    # an underscore inside a word (v_π) is no emphasis in CommonMark; any other is escaped
    assert not re.search(r"(?<![\\\w])_|(?<!\\)_(?!\w)", prose)


def test_tex_handout_shows_a_control_character_visibly(tmp_path, capsys):
    target = tmp_path / "x.tex"
    assert main(["handout", _model(tmp_path), "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text
    assert r" & st\_ay\_ & $\tfrac{1}{2}$ & E\textbackslash{}x1b[2J & $1$ & $0$ \\" in text
    assert r"v_\pi(\text{E\textbackslash{}x1b[2J})" in text
    assert r"x*y*\_z\_" in text and r"st\_ay\_" in text


def test_latex_command_escapes_names(tmp_path, capsys):
    assert main(["latex", _model(tmp_path), "--what", "v,q"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b" not in out.replace(r"\textbackslash{}x1b", "")
    assert r"v_\pi(\text{E\textbackslash{}x1b[2J}) &= 3" in out
    assert r"q_\pi(\text{<b>A</b>}, \text{st\_ay\_})" in out


def test_dot_source_keeps_each_name_inside_its_quotes(tmp_path):
    from symbellman.io import load_model
    from symbellman.render.diagram import state_diagram

    mdp, _ = load_model(_model(tmp_path))
    dot = state_diagram(mdp)
    assert "\x1b" not in dot
    assert r'q\"; X [shape=box]; \"' in dot  # the quote cannot end the string
    # no line of the source is a statement the name made
    assert not any(line.strip().startswith(("X", '"; X')) for line in dot.splitlines())
    # every line's quotes pair up once the escaped ones are set aside
    assert all(line.replace('\\"', "").count('"') % 2 == 0 for line in dot.splitlines())


def test_escaping_functions_follow_each_language():
    assert markdown_text("Class 1") == "Class 1"  # prose keeps its bytes
    assert markdown_text("0 < x <= 1") == "0 < x <= 1"  # not a tag: stays
    assert markdown_text("<!-- a -->") == "&lt;!-- a -->"
    assert markdown_text("[a](b)") == "\\[a\\](b)"  # not a link
    assert markdown_text("`rm`") == "\\`rm\\`"
    assert latex_text("100% $5 #1 {a} ~ ^") == r"100\% \$5 \#1 \{a\} \~{} \^{}"
    assert latex_text("a\\b") == r"a\textbackslash{}b"
    assert latex_text("\x07") == r"\textbackslash{}x07"
    assert html_text("<script>&'") == "&lt;script&gt;&amp;&#x27;"
    assert dot_text('a"b\\') == '"a\\"b\\\\"'
    assert plot_text("$x$") == "\\$x\\$"  # not matplotlib's maths
