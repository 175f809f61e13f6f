"""The same model gives the same bytes on every run (issue 18: the page's plot carried
the time of the run).

Every output is made twice, in two folders and at least a second apart, and compared
byte for byte: with ``SOURCE_DATE_EPOCH`` set (the PDFs then carry that date), and
without it (the files then carry no date at all).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from symbellman.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STUDENT = str(EXAMPLES / "student_mdp.yaml")
EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC

needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("dot") is None,
                               reason="needs pdflatex and dot")


def twice(tmp_path, argv_of) -> tuple[dict, dict]:
    """Run the command in two fresh folders, a second apart; {file name: bytes} of each."""
    runs = []
    for k in range(2):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        assert main(argv_of(folder)) == 0
        runs.append({p.name: p.read_bytes() for p in folder.iterdir()})
        time.sleep(1.1)  # a date of the run would differ
    return runs[0], runs[1]


def assert_identical(first: dict, second: dict, expected: set):
    assert set(first) == set(second) and expected <= set(first), (set(first), expected)
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs"


@needs_tex
@pytest.mark.parametrize("extra, name", [([], "h.pdf"), (["--slides"], "s.pdf")])
def test_pdf_handout_and_slides_are_byte_identical_with_source_date_epoch(
        extra, name, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = twice(tmp_path, lambda f: ["handout", STUDENT, *extra, "-o", str(f / name)])
    assert_identical(first, second, {name})
    info = subprocess.run(["pdfinfo", "-isodates", str(tmp_path / "run0" / name)],
                          capture_output=True, text=True).stdout
    assert "2023-11-14T22:13:20" in info  # the date is SOURCE_DATE_EPOCH's


@needs_tex
def test_tex_handout_and_its_figures_are_byte_identical_without_a_date(tmp_path, monkeypatch,
                                                                        capsys):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = twice(tmp_path, lambda f: ["handout", STUDENT, "-o", str(f / "h.tex")])
    assert_identical(first, second, {"h.tex", "h-diagram.pdf", "h-plot.pdf"})
    for figure in ("h-diagram.pdf", "h-plot.pdf"):
        assert b"/CreationDate" not in first[figure]


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs dot")
@pytest.mark.parametrize("date", [EPOCH, None], ids=["epoch", "no-date"])
def test_markdown_and_page_are_byte_identical(date, tmp_path, monkeypatch, capsys):
    if date:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", date)
    else:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def both(folder):
        return ["handout", STUDENT, "-o", str(folder / "m.md")]

    first, second = twice(tmp_path, both)
    assert_identical(first, second, {"m.md", "m-diagram.png", "m-plot.png"})
    pages = []
    for k in range(2):
        page = tmp_path / f"page{k}.html"
        assert main(["handout", STUDENT, "-o", str(page)]) == 0
        pages.append(page.read_bytes())
        time.sleep(1.1)
    assert pages[0] == pages[1]


@pytest.mark.parametrize("date", [EPOCH, None], ids=["epoch", "no-date"])
def test_the_plot_svg_carries_no_time_of_the_run(date, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from symbellman import solve_v
    from symbellman.model.examples import student_mrp
    from symbellman.render.plots import plot_values

    if date:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", date)
    else:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    v = solve_v(student_mrp())
    svgs = []
    for k in range(2):
        svgs.append(plot_values(v, tmp_path / f"p{k}.svg", high=0.9).read_text())
        time.sleep(1.1)
    assert svgs[0] == svgs[1]
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert today not in svgs[0]
    assert ("2023-11-14" in svgs[0]) == bool(date)


@pytest.mark.skipif(shutil.which("xelatex") is None or shutil.which("dot") is None,
                    reason="needs xelatex and dot")
def test_a_chinese_pdf_is_byte_identical_with_source_date_epoch(tmp_path, monkeypatch, capsys):
    # XeLaTeX's xdvipdfmx takes its dates and trailer ID from SOURCE_DATE_EPOCH
    model = tmp_path / "zh.yaml"
    model.write_text("name: 学生\nstates: [上课, 睡觉]\nterminal: [睡觉]\ndiscount: 1/2\n"
                     "transitions: {上课: [{to: 睡觉, r: 1}]}\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = twice(tmp_path, lambda f: ["handout", str(model), "-o", str(f / "zh.pdf")])
    assert_identical(first, second, {"zh.pdf"})
