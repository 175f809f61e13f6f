"""LaTeX fragments, state diagrams, plots and the TeX runner."""

from __future__ import annotations

import shutil

import pytest
import sympy

from symbellman import solve_v
from symbellman.model.examples import exercise_3_22, recycling_robot, student_mdp, student_mrp
from symbellman.render import diagram, latex, tex
from symbellman.core.symbols import gamma


def test_state_diagram_has_labelled_edges():
    dot = diagram.state_diagram(student_mdp())
    # Silver's figure: Class3 --pub--> a dot, then 0.2 / 0.4 / 0.4 to Class1..3
    assert 's3 -> a3_0 [label="pub\\nr = 1", arrowhead=none];' in dot
    for target, p in (("s1", "0.2"), ("s2", "0.4"), ("s3", "0.4")):
        assert f'a3_0 -> {target} [label="{p}"];' in dot
    assert 's1 -> s2 [label="study\\nr = -2"];' in dot
    assert "shape=point" in dot and 'label="Sleep", shape=box' in dot


def test_mrp_diagram_puts_the_reward_in_the_state():
    dot = diagram.state_diagram(student_mrp())
    assert 'label="Class3\\nR = -2"' in dot
    assert 's2 -> s3 [label="0.6"];' in dot


def test_reward_that_depends_on_the_next_state_is_on_each_edge():
    dot = diagram.state_diagram(recycling_robot())
    assert 'label="1 - beta\\nr = -3"' in dot and 'label="beta\\nr = r_search"' in dot


@pytest.mark.skipif(not shutil.which("dot"), reason="needs Graphviz")
def test_render_png(tmp_path):
    out = diagram.render(diagram.state_diagram(student_mdp()), tmp_path / "d.png")
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_plot_is_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    from symbellman.render.plots import plot_values

    out = plot_values(solve_v(student_mdp(discount=gamma)), tmp_path / "v.png",
                      ["Facebook", "Class3"])
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_curves_are_exact_near_one():
    from symbellman.render.plots import value_curves

    xs, ys = value_curves(solve_v(student_mdp(discount=gamma)), ["Class3"], points=11)
    assert xs[-1] == 1.0 and abs(ys["Class3"][-1] - 96 / 13) < 1e-12
    # Exercise 3.22, policy left: 1/(1 − γ²) is infinite at γ = 1 → NaN, not an error
    from symbellman import Policy
    m = exercise_3_22()
    v = solve_v(m, Policy.deterministic(m, {"top": "left"}))
    xs, ys = value_curves(v, ["top"], points=3)
    assert ys["top"][0] == 1.0 and ys["top"][-1] != ys["top"][-1]


def test_plot_needs_parameter_values():
    from symbellman.core.errors import SymbellmanError
    from symbellman.render.plots import value_curves

    with pytest.raises(SymbellmanError, match="alpha"):
        value_curves(solve_v(recycling_robot()), ["high"])


def test_closed_form_rows_break_long_forms():
    v = solve_v(student_mrp())
    rows = latex.closed_form_rows(r"v(\text{Class1})", v["Class1"], width=40)
    assert len(rows) > 1 and rows[1].startswith(r"&\quad")
    # the rows still hold the same rational function
    assert all("&" in r for r in rows)


def test_long_exact_numbers_break_between_digit_groups():
    rows = latex.closed_form_rows("x", sympy.Rational(10**60 + 7, 3**50), width=30)
    assert len(rows) > 1 and r"\approx" in rows[-1]


def test_latex_fragment_and_standalone():
    fragment = latex.latex_document(student_mdp(), what=["v", "matrix"])
    assert r"\documentclass" not in fragment and r"\begin{bmatrix}" in fragment
    full = latex.latex_document(student_mdp(), what=["v"], standalone_document=True)
    assert full.startswith(r"\documentclass") and r"\usepackage{amsmath" in full
    assert full.rstrip().endswith(r"\end{document}")


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="needs TeX Live")
def test_standalone_latex_compiles_cleanly(tmp_path):
    doc = latex.latex_document(student_mdp(), standalone_document=True)
    log = tex.compile_pdf(doc, tmp_path / "s.pdf")
    assert log.errors == () and log.worst_overfull <= 3.0
    assert (tmp_path / "s.pdf").read_bytes()[:4] == b"%PDF"


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="needs TeX Live")
def test_tex_errors_are_reported(tmp_path):
    with pytest.raises(tex.TexError, match="Undefined control sequence"):
        tex.compile_pdf("\\documentclass{article}\\begin{document}\\nosuch\\end{document}",
                        tmp_path / "bad.pdf")


def test_missing_engine_says_what_to_install(monkeypatch):
    from symbellman.core.errors import MissingDependency

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(MissingDependency, match="apt-get install texlive-latex-base"):
        tex.find_engine()
    with pytest.raises(MissingDependency, match="graphviz"):
        diagram.render("digraph {}", "x.pdf")


def test_log_parsing():
    log = tex.parse_log("Overfull \\hbox (0.5pt too wide) in paragraph\n"
                        "! Missing $ inserted.\n<inserted text>\n")
    assert log.worst_overfull == 0.5 and log.errors[0].startswith("! Missing $ inserted.")
