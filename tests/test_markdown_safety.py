"""The Markdown handout rendered as HTML by a renderer that knows no maths (issue 18).

Python-Markdown, without a maths extension, reads the ``$$`` blocks as ordinary Markdown
and passes raw HTML through, as the renderer that ran a ``<script>`` from a handout did.
Whatever the names, the HTML it makes must hold only the tags a handout writes itself
(headings, paragraphs, tables, images, emphasis, code, lists): no script, no element
with an event handler, no link to ``javascript:``.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from symbellman.cli import main
from symbellman.core.escape import html_safe_maths, latex_name, markdown_code, markdown_text

markdown = pytest.importorskip("markdown")

#: The tags a handout's own Markdown turns into.
HANDOUT_TAGS = {"h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "img",
                "em", "strong", "code", "ul", "li", "br", "hr", "pre"}

NAMES = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>",
         "[click](javascript:alert(3))", "<svg/onload=alert(4)>", "&lt;b&gt;", "`x` $y$"]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs


def rendered(text: str) -> Tags:
    parser = Tags()
    parser.feed(markdown.markdown(text, extensions=["tables"]))
    return parser


def hostile_model(tmp_path) -> str:
    states = NAMES[:4]
    lines = ["name: '<script>alert(0)</script>'", "discount: 9/10",
             "states: [" + ", ".join(f"'{s}'" for s in states) + ", End]", "terminal: [End]",
             "actions:"]
    lines += [f"  '{s}': ['{NAMES[4]}', '{NAMES[5]}']" for s in states]
    lines.append("transitions:")
    for k, s in enumerate(states):
        nxt = states[k + 1] if k + 1 < len(states) else "End"
        lines += [f"  '{s}':", f"    '{NAMES[4]}': {{to: '{nxt}', r: {k}}}",
                  f"    '{NAMES[5]}': [{{to: End, p: 1/2, r: 1}}, {{to: '{nxt}', p: 1/2, r: 0}}]"]
    path = tmp_path / "evil.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("extra", [[], ["--exercise"]], ids=["handout", "exercise"])
def test_a_rendered_markdown_handout_runs_no_script(extra, tmp_path, capsys):
    out = tmp_path / "h.md"
    assert main(["handout", hostile_model(tmp_path), *extra, "-o", str(out)]) == 0
    files = [out] + ([tmp_path / "h-key.md"] if extra else [])
    for path in files:
        text = path.read_text(encoding="utf-8")
        tags = rendered(text)
        assert set(tags.tags) <= HANDOUT_TAGS, set(tags.tags) - HANDOUT_TAGS
        assert not [a for a, _ in tags.attributes if a.lower().startswith("on")]
        assert not [v for a, v in tags.attributes if "javascript" in (v or "").lower()]
        # the maths still holds every name: escaped for LaTeX, not left out
        assert r"\text{<}\text{script>alert(1)<}\text{/script>}" in text


@pytest.mark.parametrize("name", NAMES)
def test_each_escape_renders_no_markup(name):
    for text in (markdown_text(name), markdown_code(name),
                 "$$\n%s\n$$" % html_safe_maths(latex_name(name))):
        tags = rendered(text)
        assert set(tags.tags) <= {"p", "code"}, (text, tags.tags)
        assert not tags.attributes


def test_markdown_text_prints_a_name_as_spelt():
    # the HTML's text, read back, is the name itself: entities are not decoded twice.
    # (``\$`` is CommonMark's escape of $, which Python-Markdown does not know: it
    # shows the backslash, so names with $ are left out here.)
    import re
    from html import unescape

    for name in (n for n in NAMES if "$" not in n):
        html = markdown.markdown(markdown_text(name))
        assert unescape(re.sub(r"</?p>", "", html)) == name
