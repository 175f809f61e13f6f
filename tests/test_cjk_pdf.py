"""Chinese names on paper: the XeLaTeX route (issues 18 and 21).

A model whose model, state and action names are Chinese gives a PDF handout, slides and
an exercise sheet with its key. Each PDF is checked as a reader would: every font is
embedded (``pdffonts``), the Chinese names can be extracted as text (``pdftotext``), and
no glyph is missing (XeLaTeX's log has no "Missing character"; the diagram and the plot
use Noto Sans CJK SC, not a font without the glyphs, which would draw boxes).
"""

from __future__ import annotations

import shutil
import subprocess
import warnings

import pytest

from symbellman import MDP
from symbellman.cli import main
from symbellman.core.errors import MissingDependency
from symbellman.render import fonts
from symbellman.render.fonts import choose_engine, unicode_source

NAME = "学生马尔可夫决策过程"
STATES = ["上课", "酒吧", "睡觉"]
ACTIONS = ["学习", "去酒吧", "喝酒"]

needs_xelatex = pytest.mark.skipif(
    any(shutil.which(p) is None for p in ("xelatex", "pdffonts", "pdftotext", "dot")),
    reason="needs xelatex (texlive-xetex texlive-lang-chinese), poppler and graphviz")


def chinese_mdp() -> MDP:
    return MDP(STATES, {"上课": {"学习": [("睡觉", 1, 10)], "去酒吧": [("酒吧", 1, -1)]},
                        "酒吧": {"喝酒": [("上课", "1/2", 1), ("酒吧", "1/2", 1)]}},
               actions={"上课": ["学习", "去酒吧"], "酒吧": ["喝酒"]}, terminal=["睡觉"],
               discount="9/10", name=NAME)


def fonts_of(pdf) -> list[dict]:
    """pdffonts' table: one dict per font (name, type, emb)."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    # name, type (one or more words), encoding, emb, sub, uni, object, generation
    return [{"name": ln.split()[0], "emb": ln.split()[-5], "line": ln} for ln in lines]


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


# -- the choice of engine -----------------------------------------------------------------------
@pytest.mark.parametrize("text, lang, engine", [
    ("Class1 → Pass", None, "pdflatex"),
    ("Café, naïve, Łódź – 50%", None, "pdflatex"),
    ("上课", None, "xelatex"),
    ("Values", "zh", "xelatex"),        # a Chinese document before any character says so
    ("Values", "zh_CN", "xelatex"),
    ("Values", "en", "pdflatex"),
    ("고양이", None, "xelatex"),
])
def test_the_engine_follows_the_text_and_the_language(text, lang, engine):
    assert choose_engine(text, lang) == engine


def test_latin_sources_keep_the_pdflatex_preamble():
    from symbellman.model.examples import student_mdp
    from symbellman.render.handout import build_handout
    from symbellman.render.writers import latex

    source = latex.write(build_handout(student_mdp()))
    assert source == unicode_source(source)
    assert r"\usepackage[T1]{fontenc}" in source and "xeCJK" not in source


def test_a_missing_package_is_one_line_naming_the_debian_packages(monkeypatch, tmp_path,
                                                                 capsys):
    monkeypatch.setattr(fonts, "_tex_file_found", lambda name: name != "xeCJK.sty")
    with pytest.raises(MissingDependency) as caught:
        fonts.check_unicode_route()
    message = str(caught.value)
    assert "xeCJK.sty" in message and "\n" not in message
    for package in ("texlive-xetex", "texlive-lang-chinese", "fonts-noto-cjk"):
        assert package in message
    model = tmp_path / "zh.yaml"
    model.write_text("states: [上课, 睡觉]\nterminal: [睡觉]\ndiscount: 1/2\n"
                     "transitions: {上课: [{to: 睡觉, r: 1}]}\n", encoding="utf-8")
    assert main(["handout", str(model), "-o", str(tmp_path / "zh.pdf")]) == 2
    err = capsys.readouterr().err
    assert "fonts-noto-cjk" in err and err.count("\n") == 1


# -- the PDFs -----------------------------------------------------------------------------------
@needs_xelatex
@pytest.mark.parametrize("kind", ["handout", "slides", "exercise"])
def test_chinese_names_give_pdfs_with_embedded_fonts_and_extractable_text(kind, tmp_path):
    from symbellman.render.handout import write_handout

    output = tmp_path / f"{kind}.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of each glyph it lacks
        result = write_handout(chinese_mdp(), None, output, slides=kind == "slides",
                               exercise=kind == "exercise")
    pdfs = [f for f in result.files if str(f).endswith(".pdf")]
    assert len(pdfs) == (2 if kind == "exercise" else 1)
    assert all(log.missing == () for log in result.logs)
    assert not any("Missing character" in log.text for log in result.logs)
    for pdf in pdfs:
        table = fonts_of(pdf)
        assert table and all(f["emb"] == "yes" for f in table), table
        names = " ".join(f["name"] for f in table)
        assert "NotoSerifCJK" in names or "NotoSansCJK" in names  # the text's CJK font
        assert "LMRoman" in names or "LMSans" in names            # Latin Modern for Latin
        assert "LastResort" not in names                           # no fallback boxes
        text = text_of(pdf).replace("\n", "").replace(" ", "")
        for name in [*STATES, *ACTIONS] + ([NAME] if kind != "slides" else []):
            assert name in text, (pdf.name, name)
    if kind == "slides":
        assert NAME in text_of(pdfs[0]).replace("\n", "")


@needs_xelatex
def test_the_diagram_and_the_plot_draw_chinese_in_noto_cjk(tmp_path):
    from symbellman import solve_v
    from symbellman.render.diagram import render, state_diagram
    from symbellman.render.plots import plot_values

    mdp = chinese_mdp()
    dot = state_diagram(mdp)
    assert 'fontname="Noto Sans CJK SC' in dot
    render(dot, tmp_path / "d.pdf")
    names = " ".join(f["name"] for f in fonts_of(tmp_path / "d.pdf"))
    assert "NotoSansCJK" in names and "ZenKai" not in names and "LastResort" not in names
    assert all(name in text_of(tmp_path / "d.pdf") for name in STATES[:2] + ACTIONS)

    symbolic = mdp.replace(discount="gamma")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_values(solve_v(symbolic), tmp_path / "p.pdf", title=NAME)
    names = " ".join(f["name"] for f in fonts_of(tmp_path / "p.pdf"))
    assert "NotoSansCJK" in names
    assert all(s in text_of(tmp_path / "p.pdf") for s in STATES[:2])


def test_latin_diagrams_keep_their_font():
    from symbellman.model.examples import student_mdp
    from symbellman.render.diagram import state_diagram

    assert '  node [fontname="Helvetica", fontsize=12];' in state_diagram(student_mdp())


@needs_xelatex
def test_a_script_without_glyphs_is_a_clear_error(tmp_path, capsys):
    model = tmp_path / "he.yaml"
    # Devanagari: neither Latin Modern, Noto CJK nor DejaVu has it
    model.write_text("states: [नमस्ते, End]\nterminal: [End]\ndiscount: 1/2\n"
                     "transitions: {नमस्ते: [{to: End, r: 1}]}\n", encoding="utf-8")
    assert main(["handout", str(model), "-o", str(tmp_path / "he.pdf")]) == 2
    err = capsys.readouterr().err
    assert "no glyph for" in err and "U+0928" in err and err.count("\n") == 1
    assert not (tmp_path / "he.pdf").exists()


def test_a_plot_without_glyphs_says_so_once(tmp_path, capsys, recwarn):
    pytest.importorskip("matplotlib")
    model = tmp_path / "hi.yaml"
    model.write_text("states: [नमस्ते, End]\nterminal: [End]\ndiscount: 1/2\n"
                     "transitions: {नमस्ते: [{to: End, r: 1}]}\n", encoding="utf-8")
    assert main(["handout", str(model), "-o", str(tmp_path / "hi.md")]) == 0
    err = capsys.readouterr().err
    assert err.count("no glyph for") == 1 and "न (U+0928)" in err and "Warning" not in err
    assert not [w for w in recwarn if "Glyph" in str(w.message)]


@needs_xelatex
def test_the_latex_command_writes_a_standalone_document_for_xelatex(tmp_path, capsys):
    from symbellman.render.tex import compile_pdf

    model = tmp_path / "zh.yaml"
    model.write_text("name: 学生\nstates: [上课, 睡觉]\nterminal: [睡觉]\ndiscount: 1/2\n"
                     "transitions: {上课: [{to: 睡觉, r: 1}]}\n", encoding="utf-8")
    tex = tmp_path / "zh.tex"
    assert main(["latex", str(model), "--standalone", "-o", str(tex)]) == 0
    source = tex.read_text(encoding="utf-8")
    assert source.startswith("% !TEX program = xelatex\n") and "{xeCJK}" in source
    log = compile_pdf(source, tmp_path / "zh.pdf")
    assert log.missing == ()
    assert "上课" in text_of(tmp_path / "zh.pdf")


@needs_xelatex
def test_a_chinese_language_hint_alone_chooses_xelatex(tmp_path):
    from symbellman.model.examples import student_mrp
    from symbellman.render.handout import build_handout
    from symbellman.render.tex import compile_pdf
    from symbellman.render.writers import latex

    doc = build_handout(student_mrp())
    source = latex.write(doc, names={}, lang="zh")  # English text yet: the route is Chinese
    assert source.startswith("% !TEX program = xelatex\n")
    log = compile_pdf(source, tmp_path / "mrp.pdf")
    assert log.missing == () and "Class1" in text_of(tmp_path / "mrp.pdf")


@needs_xelatex
@pytest.mark.parametrize("slides", [False, True], ids=["handout", "slides"])
def test_greek_and_cyrillic_names_are_set_in_dejavu(slides, tmp_path):
    from symbellman.render.handout import write_handout

    names = ["Αρχή", "Конец", "上课"]
    mdp = MDP(names, {"Αρχή": {"идти": [("Конец", 1, 1)], "学习": [("上课", 1, 2)]},
                      "上课": {"μένω": [("上课", "1/2", 1), ("Конец", "1/2", 0)]}},
              actions={"Αρχή": ["идти", "学习"], "上课": ["μένω"]}, terminal=["Конец"],
              discount="9/10", name="Модель Ωμέγα")
    result = write_handout(mdp, None, tmp_path / "gr.pdf", slides=slides)
    assert result.logs[0].missing == ()
    table = fonts_of(tmp_path / "gr.pdf")
    assert all(f["emb"] == "yes" for f in table)
    assert any(f["name"].split("+")[-1].startswith("DejaVuS") for f in table)
    text = text_of(tmp_path / "gr.pdf")
    for name in [*names, "идти", "μένω", "Ωμέγα"]:
        assert name in text, name


def test_the_font_switch_is_only_in_latex_for_xelatex():
    from symbellman.render.handout import build_handout
    from symbellman.render.writers import latex, markdown

    mdp = MDP(["Αρχή", "Конец"], {"Αρχή": [("Конец", 1, 1)]}, terminal=["Конец"],
              discount="1/2", name="Ωμέγα")
    doc = build_handout(mdp)
    assert "symbellmanscript" not in markdown.write(doc, names={})
    source = latex.write(doc, names={})
    assert source.startswith("% !TEX program = xelatex\n")
    assert r"{\symbellmanscript Αρχή}" in source and "DejaVu Serif" in source
