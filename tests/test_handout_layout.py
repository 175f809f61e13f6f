"""The handout's layout as a teacher sees it (issue 23, item 12).

Each test reads what is printed: the PDF's text (``pdftotext -layout``), the fonts of the
figure files (``pdffonts``), Graphviz's own layout of the diagram (``dot -Tplain``) or the
LaTeX and Markdown sources.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
needs_tex = pytest.mark.skipif(not shutil.which("pdflatex") or not shutil.which("dot")
                               or not shutil.which("pdftotext"),
                               reason="needs TeX Live, Graphviz and poppler-utils")
needs_poppler = pytest.mark.skipif(not shutil.which("pdffonts"), reason="needs poppler-utils")
needs_dot = pytest.mark.skipif(not shutil.which("dot"), reason="needs Graphviz")

#: A model whose description names its parameter, with values to draw for variants.
GARDEN = """\
format: 1
name: Garden
description: "A flower earns r_bloom each day it blooms."
symbols: [r_bloom]
vary:
  r_bloom: [3, 5]
discount: 9/10
states: [bud, flower]
actions:
  bud: [wait]
  flower: [wait]
transitions:
  bud:
    wait: {to: flower, r: 0}
  flower:
    wait: {to: flower, r: r_bloom}
"""

HEADING = re.compile(r"^\s*\d+\.\s+\S")


def _handout(tmp_path: Path, model: str, out: str, *extra: str) -> Path:
    done = subprocess.run([sys.executable, "-m", "symbellman", "handout",
                           str(EXAMPLES / model) if not Path(model).is_absolute() else model,
                           "-o", out, *extra], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return tmp_path / out


def _pages(pdf: Path) -> list[list[str]]:
    """Each page's non-empty text lines, without the page number."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for page in text.split("\f"):
        lines = [x for x in page.splitlines() if x.strip()]
        if lines and lines[-1].strip().isdigit():
            lines = lines[:-1]
        if lines:
            pages.append(lines)
    return pages


@needs_tex
@pytest.mark.parametrize("model,extra", [("exercise_3_22.yaml", ()),
                                         ("gridworld_4x4.yaml", ("--exercise",)),
                                         ("student_mdp.yaml", ())])
def test_no_heading_at_a_page_foot_and_no_nearly_empty_last_page(tmp_path, model, extra):
    pdf = _handout(tmp_path, model, "h.pdf", *extra)
    pages = _pages(pdf)
    assert len(pages) >= 2
    for number, lines in enumerate(pages[:-1], 1):
        # a section title is followed on its page by at least three lines of its content
        for i, line in enumerate(lines):
            if HEADING.match(line) and len(line.strip()) < 60:
                assert len(lines) - i > 3, (model, number, line, lines[i:])
    assert len(pages[-1]) > 2, (model, pages[-1])


def test_section_titles_keep_their_content_in_the_source(tmp_path):
    source = _handout(tmp_path, "exercise_3_22.yaml", "h.tex").read_text()
    titles = re.findall(r"^.*\\section\*\{.*$", source, re.M)
    assert len(titles) >= 6
    for line in titles:
        assert re.match(r"\\needspace\{\d+\\baselineskip\}\\section\*", line), line
        assert line.endswith(r"\nopagebreak"), line
    assert r"\widowpenalty=10000" in source and r"\clubpenalty=10000" in source


@needs_poppler
@needs_dot
def test_figures_are_in_the_documents_serif_faces(tmp_path):
    _handout(tmp_path, "recycling_robot.yaml", "h.tex")   # Greek and subscripts
    _handout(tmp_path, "exercise_3_22.yaml", "e.tex")     # a plot against γ
    for name in ("h-diagram.pdf", "e-plot.pdf", "e-diagram.pdf"):
        fonts = subprocess.run(["pdffonts", str(tmp_path / name)], capture_output=True,
                               text=True, check=True).stdout
        names = [line.split()[0] for line in fonts.splitlines()[2:]]
        assert names, (name, fonts)
        # Computer Modern (matplotlib's cmr10/cmmi10) or Latin Modern; no sans face
        assert any(re.search(r"Cmr10|Cmmi10|LMRoman", n, re.I) for n in names), (name, names)
        assert not any(re.search(r"Sans|Helvetica|Arial", n, re.I) for n in names), \
            (name, names)


@needs_dot
def test_every_state_circle_is_the_same_size_and_subscripts_are_padded(tmp_path):
    from symbellman.model.examples import recycling_robot, student_mdp
    from symbellman.render.diagram import state_diagram

    for mdp in (recycling_robot(), student_mdp()):
        dot = state_diagram(mdp, typeset=True)
        plain = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True,
                               text=True, check=True).stdout
        widths = {}
        for line in plain.splitlines():
            part = line.split()
            if part[0] == "node" and "circle" in part:
                widths[part[1]] = float(part[4])
        assert len(widths) == len(mdp.nonterminal), plain
        assert max(widths.values()) - min(widths.values()) < 0.02, widths
    # a label with a subscript (r_search) sits in a padded box, kept off its edge line
    dot = state_diagram(recycling_robot(), typeset=True)
    for label in re.findall(r"label=<(.*?)>\]", dot):
        if "<SUB>" in label:
            assert re.search(r'CELLPADDING="[1-9]', label), label


def test_a_description_names_symbols_as_maths_and_variants_put_values_in(tmp_path):
    model = tmp_path / "garden.yaml"
    model.write_text(GARDEN)
    source = _handout(tmp_path, str(model), "g.tex").read_text()
    line = next(x for x in source.splitlines() if "A flower earns" in x)
    assert "r_bloom" not in line and r"r\_bloom" not in line, line
    assert r"$r_{\text{bloom}}$" in line, line
    # Markdown prints the symbol as its own list of parameters does
    markdown = _handout(tmp_path, str(model), "g.md").read_text()
    line = next(x for x in markdown.splitlines() if "A flower earns" in x)
    shown = re.search(r"Parameters: (.+)\.$", line).group(1)
    assert f"A flower earns {shown} each day" in line, line
    _handout(tmp_path, str(model), "v.tex", "--variants", "2", "--seed", "1")
    drawn = set()
    for k in (1, 2):
        line = next(x for x in (tmp_path / f"v-{k}.tex").read_text().splitlines()
                    if "A flower earns" in x)
        assert "r_bloom" not in line and "r\\_bloom" not in line and "{bloom}" not in line, line
        drawn.add(re.search(r"A flower earns (\d+) each day", line).group(1))
    assert drawn == {"3", "5"}


def _items_after(source: str, marker: str) -> int:
    block = source.split(marker, 1)[1].split(r"\end{itemize}", 1)[0]
    return block.count(r"\item")


def test_the_exercise_sheet_does_not_count_the_pieces_for_the_student(tmp_path):
    marker = "changes at exact breakpoints"
    blanks, pieces = set(), set()
    for model in ("exercise_3_22.yaml", "student_mdp.yaml"):
        sheet = _handout(tmp_path, model, f"{model[:-5]}.tex", "--exercise").read_text()
        key = (tmp_path / f"{model[:-5]}-key.tex").read_text()
        blanks.add(_items_after(sheet, marker))
        pieces.add(_items_after(key, marker))
    # the keys list different numbers of pieces; the sheets leave the same blank rows
    assert len(pieces) == 2, pieces
    assert len(blanks) == 1 and blanks.pop() >= max(pieces), (blanks, pieces)
    markdown = _handout(tmp_path, "student_mdp.yaml", "s.md", "--exercise").read_text()
    tail = markdown.split(marker, 1)[1]
    assert len(re.findall(r"^- _+$", tail, re.M)) >= max(pieces)


def test_a_grid_models_pieces_are_arrow_grids(tmp_path):
    marker = "changes at exact breakpoints"
    key = _handout(tmp_path, "gridworld_4x4.yaml", "g.tex").read_text()
    after = key.split(marker, 1)[1].split(r"\section*", 1)[0]
    # a grid of arrows (TikZ) per piece, no paragraph naming 14 states' actions
    assert after.count(r"\begin{tikzpicture}") >= 1
    assert "s1: " not in after and "as before" not in after
    items = re.findall(r"\\item (.*)", after)
    assert items and all(len(x) < 120 for x in items), items
    sheet = _handout(tmp_path, "gridworld_4x4.yaml", "x.tex", "--exercise").read_text()
    after = sheet.split(marker, 1)[1].split(r"\section*", 1)[0]
    assert r"\begin{tikzpicture}" not in after and "copy of the grid" in after
