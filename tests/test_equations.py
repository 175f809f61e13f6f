"""The Bellman equations: textbook layout, exact algebra, and the substituted rows."""

from __future__ import annotations

import re

import pytest
import sympy
from sympy import Matrix, Rational

from symbellman import Policy, solve_q, solve_v
from symbellman.equations.discounted import (EquationSystem, Notation, expectation_equations,
                                  general_form, half_steps, matrix_form,
                                  optimality_equations)
from symbellman.model.examples import (recycling_robot, student_mdp, student_mrp,
                                 sutton_barto_gridworld_5x5)
from symbellman.core.symbols import Name, gamma, v_pi


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def mdp():
    return student_mdp()


@pytest.fixture(scope="module")
def uniform(mdp):
    return Policy.uniform(mdp)


# Written by hand from ../shared/spec/notation.md for Silver's Student MDP, uniform policy:
# actions in the model's order (Class3: pub, then study), a reward that does not depend on
# s' once in front of γ, no "1 ·" for certain outcomes, a zero reward left out, 0.2 as
# written, terminal Sleep as v_π(Sleep) with its own row v_π(Sleep) = 0.
STUDENT_V_LATEX = r"""
\begin{aligned}
v_\pi(\text{Facebook}) &= \tfrac{1}{2}\bigl[-1 + \gamma\, v_\pi(\text{Facebook})\bigr]
  + \tfrac{1}{2}\, \gamma\, v_\pi(\text{Class1}) \\
v_\pi(\text{Class1}) &= \tfrac{1}{2}\bigl[-1 + \gamma\, v_\pi(\text{Facebook})\bigr]
  + \tfrac{1}{2}\bigl[-2 + \gamma\, v_\pi(\text{Class2})\bigr] \\
v_\pi(\text{Class2}) &= \tfrac{1}{2}\, \gamma\, v_\pi(\text{Sleep})
  + \tfrac{1}{2}\bigl[-2 + \gamma\, v_\pi(\text{Class3})\bigr] \\
v_\pi(\text{Class3}) &= \tfrac{1}{2}\Bigl[1 + \gamma\,\bigl(0.2\, v_\pi(\text{Class1})
  + 0.4\, v_\pi(\text{Class2}) + 0.4\, v_\pi(\text{Class3})\bigr)\Bigr] \\
&\quad {}+ \tfrac{1}{2}\bigl[10 + \gamma\, v_\pi(\text{Sleep})\bigr] \\
v_\pi(\text{Sleep}) &= 0
\end{aligned}
"""


def test_student_mdp_v_latex_matches_the_hand_checked_string(mdp, uniform):
    system = expectation_equations(mdp, uniform)
    assert squash(sympy.latex(system)) == squash(STUDENT_V_LATEX)


def test_jupyter_shows_the_system(mdp, uniform):
    shown = expectation_equations(mdp, uniform)._repr_latex_()
    assert shown.startswith("$\\displaystyle \\begin{aligned}")
    assert r"v_\pi(\text{Class3})" in shown


# David Silver, Lecture 2, "Example: State-Value Function for Student MDP" (γ = 1):
# −2.3, −1.3, 2.7, 7.4; exactly −30/13, −17/13, 35/13, 96/13.
SILVER_EXACT = {"Facebook": Rational(-30, 13), "Class1": Rational(-17, 13),
                "Class2": Rational(35, 13), "Class3": Rational(96, 13), "Sleep": 0}


def test_rhs_keeps_exact_algebra(mdp, uniform):
    eq = expectation_equations(mdp, uniform)[3]
    # 1/2·(1 + 0.2 v1 + 0.4 v2 + 0.4 v3) + 1/2·10, with 0.2 exactly 1/5
    v = {s: v_pi(Name(s)) for s in mdp.states}
    expected = (Rational(1, 2) * (1 + Rational(1, 5) * v["Class1"] + Rational(2, 5) * v["Class2"]
                                  + Rational(2, 5) * v["Class3"]) + 5)
    assert sympy.expand(eq.rhs - expected) == 0
    assert not eq.rhs.has(sympy.Float)


def test_solve_v_solution_gives_zero_residual(mdp, uniform):
    v = solve_v(mdp, uniform)
    for eq in expectation_equations(mdp, uniform):
        assert eq.residual(v) == 0
        assert eq.substituted(v).value == SILVER_EXACT[eq.state]


def test_independent_lu_solve_gives_zero_residual(mdp, uniform):
    # Build (I − P_π) v = r_π at γ = 1 from the model by hand and LU-solve it exactly.
    states = mdp.nonterminal
    n = len(states)
    A, b = sympy.eye(n), sympy.zeros(n, 1)
    for i, s in enumerate(states):
        for a in mdp.actions(s):
            w = uniform.weight(s, a)
            for o in mdp.outcomes(s, a):
                b[i] += w * o.probability * o.reward
                if not mdp.is_terminal(o.next_state):
                    A[i, states.index(o.next_state)] -= w * o.probability
    x = A.LUsolve(b)
    values = {s: x[i] for i, s in enumerate(states)}
    assert values == {s: SILVER_EXACT[s] for s in states}
    for eq in expectation_equations(mdp, uniform):
        assert sympy.cancel(eq.lhs.xreplace({eq.lhs: values[eq.state]})
                            - eq.rhs.xreplace({v_pi(Name(s)): x for s, x in values.items()})) == 0


def test_q_and_half_steps_are_satisfied_by_the_solution(mdp, uniform):
    v, q = solve_v(mdp, uniform), solve_q(mdp, uniform)
    for eq in expectation_equations(mdp, uniform, kind="q"):
        assert eq.residual(q) == 0
    for eq in half_steps(mdp, uniform):
        assert eq.residual(v, q) == 0
    # Silver: q_π(Class3, pub) = 1 + 0.2·(−1.3) + 0.4·2.7 + 0.4·7.4 = 62/13
    assert expectation_equations(mdp, uniform, kind="q")[6].substituted(q).value == \
        Rational(62, 13)


def test_symbolic_discount_residual_is_exactly_zero():
    mdp = student_mdp(discount=gamma)
    v = solve_v(mdp)
    for eq in expectation_equations(mdp):
        assert eq.residual(v) == 0


def test_substituted_row_reads_like_the_spec(mdp, uniform):
    v = solve_v(mdp, uniform)
    row = squash(sympy.latex(expectation_equations(mdp, uniform)[3].substituted(v)))
    # notation.md, "The same equation at a number"
    assert (r"0.2 \cdot (-\tfrac{17}{13}) + 0.4 \cdot \tfrac{35}{13} "
            r"+ 0.4 \cdot \tfrac{96}{13}") in row
    assert r"\bigl[10 + 1 \cdot 0\bigr]" in row
    assert row.endswith(r"= \tfrac{96}{13} \approx 7.385\end{aligned}")
    text = str(expectation_equations(mdp, uniform)[3].substituted(v))
    assert text.endswith("= 96/13 ≈ 7.385")


def test_plain_text_is_readable(mdp, uniform):
    text = str(expectation_equations(mdp, uniform))
    assert text.splitlines()[0] == \
        "v_pi(Facebook) = 1/2*[-1 + gamma*v_pi(Facebook)] + 1/2*gamma*v_pi(Class1)"
    assert "0.2*v_pi(Class1)" in text and "\\" not in text


def test_mrp_equations_put_the_state_reward_in_front():
    # Silver, Lecture 2, "Bellman Equation for Student MRP":
    # v(C3) = −2 + γ(0.6 v(Pass) + 0.4 v(Pub))
    system = expectation_equations(student_mrp())
    assert str(system[2]) == "v(Class3) = -2 + gamma*(0.6*v(Pass) + 0.4*v(Pub))"
    assert squash(sympy.latex(system[2])) == squash(
        r"v(\text{Class3}) = -2 + \gamma\,\bigl(0.6\, v(\text{Pass}) + 0.4\, v(\text{Pub})\bigr)")
    # γ = 1: v(Class3) = 4.3 on the slide; exactly −2 + 0.6·10 + 0.4·v(Pub)
    v = solve_v(student_mrp(discount=1))
    for eq in expectation_equations(student_mrp(discount=1)):
        assert eq.residual(v) == 0


def test_reward_that_depends_on_the_next_state_stays_inside():
    robot = recycling_robot()
    low = expectation_equations(robot)[1]
    tex = squash(sympy.latex(low))
    assert r"(1 - \beta)\bigl[-3 + \gamma\, v_\pi(\text{high})\bigr]" in tex
    assert r"\beta\bigl[r_{\text{search}} + \gamma\, v_\pi(\text{low})\bigr]" in tex
    v = solve_v(robot)
    assert low.residual(v) == 0
    # Silver's style puts the expected reward R^a_s in front instead
    silver = str(low.with_notation(style="silver"))
    assert "beta*r_search + 3*beta - 3" in silver


def test_fraction_written_as_text_prints_tfrac():
    from symbellman.model.mdp import MDP

    m = MDP(["A", "B"], {"A": [{"to": "A", "p": "1/3", "r": 1}, {"to": "B", "p": "2/3", "r": 1}]},
            terminal=["B"])
    tex = sympy.latex(expectation_equations(m)[0])
    assert r"\tfrac{1}{3}\, v(\text{A})" in tex


def test_notation_options():
    mdp = student_mdp()
    system = expectation_equations(mdp, states="index", terminals="zero")
    tex = sympy.latex(system)
    assert r"v_\pi(s_{4})" in tex and r"\text{" not in tex
    assert r"10 + \gamma \cdot 0" in tex
    omitted = sympy.latex(expectation_equations(mdp, terminals="omit")[3])
    assert r"\tfrac{1}{2}\cdot 10" not in omitted and "Sleep" not in omitted
    with pytest.raises(ValueError):
        Notation(style="barto")


def test_names_with_underscores_print_upright():
    from symbellman.model.mdp import MDP

    m = MDP(["at home", "out_side"], {"at home": [{"to": "out_side", "r": 1}],
                                      "out_side": [{"to": "at home"}]})
    tex = sympy.latex(expectation_equations(m))
    assert r"v(\text{at home})" in tex and r"v(\text{out\_side})" in tex


def test_optimality_equations(mdp):
    v_star = optimality_equations(mdp)
    assert str(v_star[3]) == ("v_star(Class3) = max{1 + gamma*(0.2*v_star(Class1) "
                              "+ 0.4*v_star(Class2) + 0.4*v_star(Class3)),\n"
                              "                 10 + gamma*v_star(Sleep)}") or \
        str(v_star[3]).replace("\n", " ").split() == (
            "v_star(Class3) = max{1 + gamma*(0.2*v_star(Class1) + 0.4*v_star(Class2) "
            "+ 0.4*v_star(Class3)), 10 + gamma*v_star(Sleep)}").split()
    # Silver, Lecture 2, "Example: Optimal Value Function for Student MDP" (γ = 1):
    # v* = 6, 6, 8, 10 for Facebook, Class1, Class2, Class3.
    star = {"Facebook": 6, "Class1": 6, "Class2": 8, "Class3": 10, "Sleep": 0}
    for eq in v_star:
        assert eq.residual(star) == 0
    q_star = {(s, a): sum(o.probability * (o.reward + star[o.next_state])
                          for o in mdp.outcomes(s, a)) for s, a in mdp.state_action_pairs}
    for eq in optimality_equations(mdp, "q"):
        assert eq.residual(q_star) == 0
    for eq in optimality_equations(mdp, "v_from_q"):
        assert eq.residual(star, q_star) == 0
    assert r"\max_{a'} q_*(\text{Class1}, a')" in sympy.latex(optimality_equations(mdp, "q"))


def test_matrix_form(mdp, uniform):
    m = matrix_form(mdp, uniform)
    half, tenth, fifth = Rational(1, 2), Rational(1, 10), Rational(1, 5)
    assert m.P == Matrix([[half, half, 0, 0], [half, 0, half, 0],
                          [0, 0, 0, half], [0, tenth, fifth, fifth]])
    assert list(m.solution()) == [SILVER_EXACT[s] for s in m.states]
    assert r"\begin{bmatrix}" in sympy.latex(m)
    assert general_form("matrix") in m.general_latex()


def test_long_gridworld_equations_break():
    system = expectation_equations(sutton_barto_gridworld_5x5(), kind="q")
    rows = system.latex_rows()
    assert len(rows) > len(system)  # some equations take several lines
    assert any(r.startswith(r"&\quad {}+") for r in rows)
    from symbellman.text.typeset import latex_width
    assert max(latex_width(r.split("&", 2)[-1]) for r in rows) < 75


def test_general_forms():
    assert general_form("v") == (r"v_\pi(s) = \sum_{a} \pi(a \mid s) \sum_{s'} p(s' \mid s, a)"
                                 r"\,\bigl[r(s, a, s') + \gamma\, v_\pi(s')\bigr]")
    assert r"\mathcal{R}^a_s" in general_form("v", "silver")
    with pytest.raises(ValueError):
        general_form("w")


def test_system_is_a_tuple_and_immutable(mdp, uniform):
    system = expectation_equations(mdp, uniform)
    assert isinstance(system, EquationSystem) and isinstance(system, tuple)
    with pytest.raises(AttributeError):
        system[0].state = "x"
    assert system[0] == expectation_equations(mdp, uniform)[0]


def test_a_long_equation_alone_keeps_its_continuation_lines(mdp, uniform):
    tex = sympy.latex(expectation_equations(mdp, uniform)[3])
    assert tex.startswith(r"\begin{aligned}v_\pi(\text{Class3}) &= ")
    assert r"\\ &\quad {}+ \tfrac{1}{2}\bigl[10" in tex
    short = sympy.latex(expectation_equations(mdp, uniform)[0])
    assert short.startswith(r"v_\pi(\text{Facebook}) = ") and "&" not in short


@pytest.mark.parametrize("call, message", [
    (lambda: expectation_equations(student_mrp(), kind="q"), "no actions"),
    (lambda: expectation_equations(student_mdp(), kind="w"), "unknown kind 'w'"),
    (lambda: half_steps(student_mrp()), "no half-steps"),
    (lambda: optimality_equations(student_mdp(), "x"), "unknown kind 'x'"),
    (lambda: general_form("w"), "no general form"),
    (lambda: Notation(terminals="never"), "unknown terminals 'never'"),
    (lambda: str(expectation_equations(student_mdp())[0].substituted({"Facebook": 1})),
     "no value given for 'Class1'"),
])
def test_every_error_is_a_symbellman_error(call, message):
    from symbellman.core.errors import SymbellmanError

    with pytest.raises(SymbellmanError, match=message):
        call()
