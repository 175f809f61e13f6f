"""The finite-horizon and average-reward equations as text and LaTeX.

Expected lines are written from the model files by hand (Puterman & Chan's two-state
model, Section 2.5; Sutton & Barto's Exercise 10.7 ring), and each family's LaTeX must
compile with pdflatex when it is installed.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from symbellman.cli import main
from symbellman.equations.criteria import average_equations, finite_horizon_equations
from symbellman.model.examples import student_mdp
from symbellman.model.long_run_examples import (exercise_10_7, puterman_two_state,
                                          puterman_two_state_average)


def test_backward_induction_in_textbook_form():
    optimal, = finite_horizon_equations(puterman_two_state(), optimal=True)
    assert [line.text() for line in optimal.lines] == [
        "v*_k(s1) = max{0.8 [5 + v*_{k-1}(s1)] + 0.2 [-5 + v*_{k-1}(s2)], 5 + v*_{k-1}(s2)}",
        "v*_k(s2) = max{-5 + v*_{k-1}(s2), 0.4 [20 + v*_{k-1}(s1)] + 0.6 [-10 + v*_{k-1}(s2)]}",
    ]
    assert "terminal reward: s1: 0, s2: 0" in optimal.note


def test_discount_and_terminal_successors():
    block, = finite_horizon_equations(student_mdp().replace(discount="gamma"), optimal=True)
    lines = {line.lhs: line.rhs for line in block.lines}
    # Sleep is terminal: its value drops out, the reward stays
    assert lines["v*_k(Class3)"] == ("max{1 + gamma (0.2 v*_{k-1}(Class1) + 0.4 v*_{k-1}(Class2)"
                                     " + 0.4 v*_{k-1}(Class3)), 10}")
    assert lines["v*_k(Class2)"] == "max{0, -2 + gamma v*_{k-1}(Class3)}"


def test_average_reward_evaluation_and_differential_equations():
    evaluation, differential = average_equations(exercise_10_7())
    assert [line.text() for line in evaluation.lines] == [
        "g(A) + h(A) = h(B)", "g(B) + h(B) = h(C)", "g(C) + h(C) = 1 + h(A)"]
    assert [line.text() for line in differential.lines] == [
        "v(A) = -r(pi) + v(B)", "v(B) = -r(pi) + v(C)", "v(C) = 1 - r(pi) + v(A)"]
    assert "P* h = 0" in evaluation.general[1]


def test_nested_optimality_equations():
    nested, = average_equations(puterman_two_state_average(), optimal=True)
    texts = [line.text() for line in nested.lines]
    assert texts[0] == "g(s1) = max{0.8 g(s1) + 0.2 g(s2), g(s2)}"
    assert texts[1].startswith("h(s1) = max{3 - g(s1) + 0.8 h(s1) + 0.2 h(s2), "
                               "5 - g(s1) + h(s2)}")


def test_equations_command(capsys):
    assert main(["equations", "examples/puterman_two_state.yaml"]) == 0
    out = capsys.readouterr().out
    assert "Backward induction for v*_k" in out and "Backward induction for v_k" in out
    assert main(["equations", "examples/puterman_two_state.yaml", "--criterion", "average",
                 "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert [b["title"].split(" (")[0] for b in data["equations"]] == [
        "Average-reward evaluation equations", "Differential Bellman equations",
        "Nested"]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_compiles(tmp_path):
    blocks = [*finite_horizon_equations(student_mdp()),
              *finite_horizon_equations(puterman_two_state(), optimal=True),
              *average_equations(puterman_two_state_average()),
              *average_equations(puterman_two_state_average(), optimal=True)]
    body = "\n\n".join(b.latex() for b in blocks)
    (tmp_path / "e.tex").write_text("\\documentclass{article}\\usepackage{amsmath}\n"
                                    "\\usepackage[margin=1cm,landscape]{geometry}\n"
                                    f"\\begin{{document}}\n{body}\n\\end{{document}}\n")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "e.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]


def test_latex_command_adds_the_criterion_and_leaves_gamma_open(capsys):
    # Sutton & Barto's ring at discount 1 has no finite discounted values: the discounted
    # parts are written with gamma open, and the average-reward equations follow
    assert main(["latex", "examples/exercise_10_7.yaml", "--standalone"]) == 0
    out = capsys.readouterr().out
    assert "g(\\text{C}) + h(\\text{C}) &= 1 + h(\\text{A})" in out
    assert out.rstrip().endswith("\\end{document}")
    assert out.index("Differential Bellman equations") < out.index("\\end{document}")
