"""How printed equations read (issue 10): Greek letters and upright word subscripts, a
true minus, primes as s', no ambiguous juxtaposition, terminal rows in text as in LaTeX."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy

from symbellman.cli import main
from symbellman.equations.discounted import (expectation_equations, general_form, half_steps,
                                  optimality_equations)
from symbellman.model.examples import recycling_robot, student_mdp
from symbellman.model.mdp import MDP
from symbellman.render.latex import latex_document
from symbellman.text.typeset import to_latex


STUDENT = str(Path(__file__).resolve().parent.parent / "examples" / "student_mdp.yaml")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def robot_tex():
    # Sutton & Barto, Example 3.3: parameters alpha, beta, r_search, r_wait
    return latex_document(recycling_robot(), what=["v", "q", "halfsteps", "matrix"],
                          standalone_document=True)


def test_parameters_print_as_greek_letters_and_upright_words(robot_tex):
    assert r"r_{\text{search}}" in robot_tex and r"r_{\text{wait}}" in robot_tex
    assert r"(1 - \alpha)" in robot_tex and r"\beta" in robot_tex
    body = robot_tex.split(r"\begin{document}")[1]
    body = re.sub(r"^%.*$", "", body, flags=re.M)  # comments do not print
    for word in ("alpha", "beta", "gamma"):
        assert re.search(r"(?<!\\)" + word, body) is None, word
    assert "r_search" not in body and "r_{search}" not in body


@pytest.mark.parametrize("name, tex", [
    ("alpha", r"\alpha"), ("r_search", r"r_{\text{search}}"), ("r1", "r_{1}"),
    ("alpha_2", r"\alpha_{2}"), ("reward", r"\mathit{reward}"), ("p_beta", r"p_{\beta}"),
])
def test_symbol_names(name, tex):
    assert to_latex(sympy.Symbol(name)) == tex


def test_the_solution_heading_names_the_discount_in_math():
    tex = latex_document(student_mdp(), what=["solution"], standalone_document=True)
    assert r"\subsection*{Exact solution at discount $1$}" in tex
    from symbellman.core.symbols import gamma
    tex = latex_document(student_mdp(discount=gamma), what=["solution"],
                         standalone_document=True)
    assert r"\subsection*{Exact solution at discount $\gamma$}" in tex


def test_negative_numbers_are_in_math_and_primes_are_primes():
    tex = latex_document(student_mdp(), what=["v", "q", "halfsteps", "optimal"])
    # a reward of -2 is typeset in math (a minus sign, not a hyphen in text)
    assert r"\bigl[-2 + \gamma\, v_\pi(\text{Class2})\bigr]" in tex
    assert r"\text{-" not in tex
    assert r"\max_{a'}" in tex and r"\prime" not in tex
    # in prose a prime is typeset in math, never a closing quote in text
    document = latex_document(student_mdp(), what=["v"], standalone_document=True)
    assert r"(rewards on $(s, a, s')$)" in document
    for family in ("v", "q", "q_from_v", "v_star", "q_star"):
        assert "s'" in general_form(family) and r"\prime" not in general_form(family)


@pytest.fixture(scope="module")
def gamble():
    # One state A; "go" ends in T with reward 2 with probability p, else stays with reward 0;
    # "stay" ends at once with reward 0.
    return MDP(["A", "T"], {"A": {"go": [{"to": "T", "p": "p", "r": 2},
                                         {"to": "A", "p": "1 - p", "r": 0}],
                                  "stay": [{"to": "T", "r": 0}]}},
               actions={"A": ["go", "stay"]}, terminal=["T"], symbols=["p"])


def test_a_symbolic_probability_times_a_number_puts_the_number_first(gamble):
    q = sympy.latex(expectation_equations(gamble, kind="q"))
    assert r"q_\pi(\text{A}, \text{go}) &= 2p + (1 - p)\, \gamma\," in q
    assert "p 2" not in q and r"p\, 2" not in q
    assert r"q_\pi(\text{A}, \text{stay}) &= 0" in q  # every term is 0
    q_star = sympy.latex(optimality_equations(gamble, "q"))
    assert r"&= 2p + (1 - p)\bigl[" not in q_star and "2p + (1 - p)" in q_star


def test_omitted_terminals_drop_zero_terms_and_dot_two_numbers():
    mdp = student_mdp()
    omit = sympy.latex(expectation_equations(mdp, terminals="omit"))
    # Class2 --sleep--> Sleep with reward 0: the term ½ · 0 is left out
    assert squash(r"v_\pi(\text{Class2}) &= \tfrac{1}{2}\bigl[-2 + \gamma\, "
                  r"v_\pi(\text{Class3})\bigr] \\") in squash(omit)
    assert r"\tfrac{1}{2}\, 0" not in omit
    # Class3 --study--> Sleep with reward 10: ½ · 10, not "½ 10"
    assert r"\tfrac{1}{2} \cdot 10" in omit and r"\tfrac{1}{2}\, 10" not in omit
    zero = sympy.latex(expectation_equations(mdp, terminals="zero"))
    assert r"10 + \gamma \cdot 0" in zero and r"\gamma\, 0" not in zero


def test_half_steps_keep_their_shape():
    mdp = student_mdp()
    tex = sympy.latex(half_steps(mdp))
    assert r"v_\pi(\text{Class2}) &= \tfrac{1}{2}\, q_\pi(\text{Class2}, \text{sleep})" in tex


def test_text_equations_print_the_terminal_row_like_latex(capsys, tmp_path):
    assert main(["equations", STUDENT]) == 0
    text = capsys.readouterr().out
    assert main(["equations", "--latex", STUDENT]) == 0
    tex = capsys.readouterr().out
    assert r"v_\pi(\text{Sleep}) &= 0" in tex
    v_block = text.split("\n\n")[0]
    assert v_block.splitlines()[-1] == "v_pi(Sleep) = 0"
    assert main(["equations", "--terminals", "zero", STUDENT]) == 0
    assert "v_pi(Sleep) = 0" not in capsys.readouterr().out  # no terminal heads to define
