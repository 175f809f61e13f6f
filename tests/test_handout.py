"""Handouts for every shipped example: built once, typeset by a real TeX engine, read back.

The PDFs are built once per test session (module fixture); each test then checks one
property: the TeX log has no errors and no overfull boxes, the PDF's text holds the
equations' state names and the values it should, the figures exist.
"""

from __future__ import annotations

import shutil
import re
import subprocess
from pathlib import Path

import pytest

from symbellman.model.examples import EXAMPLES
from cpu_time import cpu_seconds  # tests/cpu_time.py (pytest puts tests/ on the path)

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILES = sorted((ROOT / "examples").glob("*.yaml"))
NAMES = [p.stem for p in MODEL_FILES]

needs_tex = pytest.mark.skipif(not (shutil.which("pdflatex") or shutil.which("lualatex"))
                               or not shutil.which("dot") or not shutil.which("pdftotext"),
                               reason="needs TeX Live, Graphviz and poppler-utils")
pytest.importorskip("matplotlib")


def _load(path: Path):
    try:
        from symbellman.io import load_model
    except ImportError:  # the file reader is another part; fall back to the same models in code
        from symbellman.model.policy import Policy

        mdp = EXAMPLES[path.stem]()
        return mdp, None if mdp.is_mrp else Policy.uniform(mdp)
    return load_model(path)


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    from symbellman.render.handout import write_handout

    folder = tmp_path_factory.mktemp("handouts")
    built = {}
    for path in MODEL_FILES:
        mdp, policy = _load(path)
        start = cpu_seconds()  # in process and in the TeX engine, whatever the load
        result = write_handout(mdp, policy, folder / f"{path.stem}.pdf")
        pdf = folder / f"{path.stem}.pdf"
        built[path.stem] = {
            "result": result, "log": result.logs[0], "pdf": pdf,
            "seconds": cpu_seconds() - start,
            "text": subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout}
    return built


def test_every_shipped_example_is_covered():
    # the issue names the 5x5 gridworld and the symbolic recycling robot explicitly
    assert {"student_mdp", "student_mrp", "gridworld_5x5", "recycling_robot"} <= set(NAMES)


@needs_tex
@pytest.mark.parametrize("name", NAMES)
def test_tex_log_is_clean(handouts, name):
    log = handouts[name]["log"]
    assert log.errors == ()
    # typeset until stable: no "Rerun" or "Table widths have changed" left in the log
    assert log.reruns == () and "Rerun" not in log.text and "Table widths" not in log.text
    assert log.overfull == (), log.overfull


@needs_tex
@pytest.mark.parametrize("name", NAMES)
def test_pdf_has_no_bitmap_fonts(handouts, name):
    fonts = subprocess.run(["pdffonts", str(handouts[name]["pdf"])], capture_output=True,
                           text=True, check=True).stdout
    assert "Type 3" not in fonts, fonts
    # copy-paste gives the word, not a ligature glyph
    assert "Definitions" in handouts[name]["text"]


@needs_tex
@pytest.mark.parametrize("name", NAMES)
def test_pdf_names_every_state(handouts, name):
    mdp, _ = _load(ROOT / "examples" / f"{name}.yaml")
    text = handouts[name]["text"]
    for s in mdp.states:
        assert s in text, s
    assert "Bellman" in text


@needs_tex
def test_student_mdp_pdf_holds_silvers_values(handouts):
    text = handouts["student_mdp"]["text"]
    # Silver, Lecture 2: v_π under the uniform policy at γ = 1 is −2.3, −1.3, 2.7, 7.4
    for value in ("2.308", "1.308", "2.692", "7.385"):
        assert value in text
    # the optimal values at γ = 1 (Silver, Lecture 2, "Optimal Value Function for Student
    # MDP"): Facebook 6, Class1 6, Class2 8, Class3 10
    optimal = text.split("the optimal values are", 1)[1].split("optimal actions", 1)[0]
    for state, value in [("Facebook", 6), ("Class1", 6), ("Class2", 8), ("Class3", 10)]:
        assert re.search(r"v[*∗]\s*\(%s\)\s*=\s*%d\b" % (state, value), optimal), (state,
                                                                               optimal)
    assert "Worked solution" in text


@needs_tex
def test_student_mrp_pdf_holds_silvers_values(handouts):
    text = handouts["student_mrp"]["text"]
    # Silver, Lecture 2, γ = 1 (rounded on the slide): Class1 −13, Class2 1.5, Class3 4.3,
    # Pass 10, Pub 0.8, Facebook −23 — exactly −1016/81, 118/81, 350/81, 10, 65/81, −1826/81
    for value in ("12.543", "1.457", "4.321", "0.802", "22.543"):
        assert value in text, value


@needs_tex
def test_gridworld_5x5_pdf(handouts):
    text = handouts["gridworld_5x5"]["text"]
    # Sutton & Barto, Figure 3.2 (γ = 0.9): 3.3 in the top-left corner, 8.8 in A
    assert "3.309" in text and "8.789" in text
    assert "Worked solution" not in text


@needs_tex
def test_symbolic_robot_pdf_keeps_its_symbols(handouts):
    text = handouts["recycling_robot"]["text"]
    # the parameters print as Greek letters, never as their names
    assert "need numbers for α, β" in text
    for name in ("alpha", "beta", "gamma", "1 - alpha", "r_search"):
        assert name not in text, name
    # --at is code, not an en dash
    assert "(give them with --at)" in text and "–at" not in text


@needs_tex
def test_handouts_are_fast_enough(handouts):
    total = sum(h["seconds"] for h in handouts.values())
    assert total < 60, {k: round(h["seconds"], 1) for k, h in handouts.items()}


def test_markdown_handout_with_figures(tmp_path):
    from symbellman.model.examples import student_mdp
    from symbellman.render.handout import write_handout

    result = write_handout(student_mdp(), None, tmp_path / "student.md")
    text = (tmp_path / "student.md").read_text()
    assert "## 3. The equations of this model" in text
    assert "$$\n\\begin{aligned}" in text
    assert r"v_\pi(\text{Class3})" in text
    assert "![" in text and "(student-plot.png)" in text
    assert (tmp_path / "student-plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.logs == () and tmp_path / "student.md" in result.files


def test_exercise_has_blanks_and_a_key(tmp_path):
    from symbellman.model.examples import student_mdp
    from symbellman.render.handout import write_handout

    write_handout(student_mdp(), None, tmp_path / "sheet.tex", exercise=True)
    sheet = (tmp_path / "sheet.tex").read_text()
    key = (tmp_path / "sheet-key.tex").read_text()
    number, closed = r"\underline{\hspace{6em}}", r"\boxed{\rule"
    assert number in sheet and r"\tfrac{96}{13}" not in sheet
    assert r"\tfrac{96}{13}" in key and number not in key and closed not in key
    # a closed form in γ gets a wide box, a number a short line
    closed_forms = sheet.split("As functions of the discount", 1)[1].split(r"\end{align*}")[0]
    assert closed_forms.count(closed) == 4 and number not in closed_forms
    solution = sheet.split("Solving exactly at", 1)[1].split(r"\end{align*}")[0]
    assert solution.count(number) == 4 and closed not in solution
    # the instructions stay, and the plot is an empty frame with axes and ticks
    assert "Solve the equation of Facebook for" in sheet and "Check: each equation" in sheet
    plot = sheet.split("6. $v_\\pi$ against", 1)[1].split(r"\section*")[0]
    assert r"\begin{tikzpicture}" in plot and r"\foreach \i in {0,...,10}" in plot
    assert r"\includegraphics" not in plot
    # the equations themselves are on the sheet
    assert r"v_\pi(\text{Class3}) &= \tfrac{1}{2}\Bigl[1" in sheet


def test_worked_elimination_reaches_the_exact_solution():
    from sympy import Rational

    from symbellman.equations.elimination import eliminate
    from symbellman.model.examples import student_mdp
    from symbellman.model.policy import Policy

    mdp = student_mdp()
    steps = eliminate(mdp, Policy.uniform(mdp))
    assert [s.kind for s in steps] == ["collect"] + ["isolate"] * 4 + ["back-substitute"]
    # Silver, Lecture 2, uniform policy at γ = 1: −30/13, −17/13, 35/13, 96/13 (the slide
    # rounds them to −2.3, −1.3, 2.7, 7.4)
    assert steps[-1].values() == {"Facebook": Rational(-30, 13), "Class1": Rational(-17, 13),
                                  "Class2": Rational(35, 13), "Class3": Rational(96, 13)}
    # each isolate step leaves its own unknown out of its equation
    for step in steps[1:-1]:
        assert step.state not in dict(step.equations[0].coefficients)


def test_worked_steps_are_typeset(tmp_path):
    from symbellman.model.examples import student_mdp
    from symbellman.render.handout import write_handout

    write_handout(student_mdp(), None, tmp_path / "s.tex")
    text = (tmp_path / "s.tex").read_text().split("8. Worked solution", 1)[1]
    assert r"v_\pi(\text{Facebook}) &= -\tfrac{30}{13}" in text
    assert r"v_\pi(\text{Class3}) &= \tfrac{96}{13}" in text


def test_exercise_sheet_leaves_no_blank_without_a_prompt(tmp_path):
    # a bare rule (a blank on a line of its own, with no words saying what to write) once
    # stood under the closed-form boxes of page 4
    from symbellman.model.examples import student_mdp
    from symbellman.render.handout import write_handout
    from symbellman.render.writers.latex import BLANKS

    write_handout(student_mdp(), None, tmp_path / "sheet.tex", exercise=True)
    lines = [line.strip() for line in (tmp_path / "sheet.tex").read_text().splitlines()]
    assert BLANKS["closed form"] in "\n".join(lines)  # the boxes are there ...
    assert not [line for line in lines if line in set(BLANKS.values())]  # ... no bare rule


def test_markdown_sheet_links_an_empty_plot_frame(tmp_path):
    import numpy as np
    from PIL import Image

    from symbellman.model.examples import student_mdp
    from symbellman.render.handout import write_handout

    result = write_handout(student_mdp(), None, tmp_path / "sheet.md", exercise=True)
    sheet = (tmp_path / "sheet.md").read_text()
    key = (tmp_path / "sheet-key.md").read_text()
    plot = sheet.split("## 6.", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"!\[Empty axes[^\]]*\]\(sheet-plot-frame\.png\)", plot)
    frame = tmp_path / "sheet-plot-frame.png"
    assert frame in result.files and frame.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "plot-frame" not in key and "(sheet-plot.png)" in key  # the key has the curves
    # an empty frame: the axes and ticks are black, the grid light grey, no coloured curve
    pixels = np.asarray(Image.open(frame).convert("RGB")).astype(int)
    spread = pixels.max(axis=2) - pixels.min(axis=2)
    assert spread.max() < 30, "a coloured curve in the empty frame"
    dark = pixels.max(axis=2) < 80
    assert dark.sum(axis=1).max() > pixels.shape[1] * 0.6  # the γ axis: a long black row
    assert dark.sum(axis=0).max() > pixels.shape[0] * 0.6  # the value axis


def test_markdown_handout_writes_no_plot_frame(tmp_path):
    from symbellman.model.examples import student_mdp
    from symbellman.render.handout import write_handout

    result = write_handout(student_mdp(), None, tmp_path / "h.md")
    assert not (tmp_path / "h-plot-frame.png").exists()
    assert all("frame" not in p.name for p in result.files)
