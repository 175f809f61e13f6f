"""Series of v_π at γ = 0 and the gain/bias expansion at γ = 1, against hand and NumPy values."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from sympy import Rational, Symbol

from symbellman import Policy, SolveError, solve_v
from symbellman.solve.analysis import laurent_at_one, series_at_zero
from symbellman.model.examples import (exercise_3_22, gridworld, student_mdp, student_mrp,
                                 two_state_symbolic)
from symbellman.solve.iterate import pair_arrays

g = Symbol("gamma")


def test_series_at_zero_is_the_expected_reward_per_step():
    # Silver, Lecture 2, Student MRP at γ = 0: the values are the rewards R_s
    s = series_at_zero(student_mrp(), order=4)
    rewards = {"Class1": -2, "Class2": -2, "Class3": -2, "Pass": 10, "Pub": 1,
               "Facebook": -1, "Sleep": 0}
    assert {k: c[0] for k, c in s.coefficients.items()} == rewards
    # one step from Pass is Sleep (terminal): nothing more is earned
    assert s.coefficients["Pass"][1:] == (0, 0, 0)
    # from Facebook: 0.9 stays (−1), 0.1 goes to Class1 (−2)
    assert s.coefficients["Facebook"][1] == Rational(9, 10) * -1 + Rational(1, 10) * -2


@pytest.mark.parametrize("make", [student_mrp, exercise_3_22, two_state_symbolic])
def test_series_agrees_with_the_closed_form(make):
    mdp = make()
    s = series_at_zero(mdp, order=5)
    v = solve_v(mdp)
    for state in mdp.states:
        taylor = sympy.series(v[state], mdp.discount, 0, 5).removeO()
        assert sympy.expand(taylor - s.expr(state).removeO()) == 0


def test_exercise_3_22_gain_and_bias_by_hand():
    mdp = exercise_3_22()
    # left: rewards 1, 0, 1, 0, ... from top; v(top) = 1/(1 − γ²) = 1/(2u) + 1/4 + O(u)
    left = laurent_at_one(mdp, Policy.deterministic(mdp, {"top": "left"}))
    assert left.gain == {"top": Rational(1, 2), "left": Rational(1, 2), "right": Rational(1, 2)}
    # v(left) = γ v(top) = 1/(2u) − 1/4, v(right) = 2 + γ v(top) = 1/(2u) + 7/4
    assert left.bias == {"top": Rational(1, 4), "left": Rational(-1, 4),
                         "right": Rational(7, 4)}
    right = laurent_at_one(mdp, Policy.deterministic(mdp, {"top": "right"}))
    assert right.gain["top"] == 1 and right.bias["top"] == Rational(-1, 2)
    assert sympy.cancel(right.expr("top") - (1 / (1 - g) - Rational(1, 2))) == 0


def test_episodic_task_has_no_gain_and_bias_is_the_undiscounted_value():
    # Silver, Lecture 2, Student MRP at γ = 1; the slide prints whole numbers or one
    # decimal, so each value is right to half a unit of its last printed digit
    e = laurent_at_one(student_mrp())
    assert all(x == 0 for x in e.gain.values())
    slide = {"Class1": "-13", "Class2": "1.5", "Class3": "4.3", "Pass": "10", "Pub": "0.8",
             "Facebook": "-23", "Sleep": "0"}
    for state, printed in slide.items():
        decimals = len(printed.partition(".")[2])
        assert abs(float(e.bias[state]) - float(printed)) <= 0.5 * 10.0 ** -decimals + 1e-12


def test_numeric_discount_is_replaced_by_the_symbol():
    e = laurent_at_one(student_mdp())  # discount 1 in the model
    assert e.gain["Class1"] == 0 and e.bias["Facebook"] == Rational(-30, 13)


def test_gridworld_random_policy_gain_and_bias_against_numpy():
    mdp = gridworld(3, 3, specials=[((0, 1), (2, 1), 10)])
    e = laurent_at_one(mdp)
    arrays = pair_arrays(mdp, discount=1)
    n = len(arrays.states)
    P = np.zeros((n, n))
    r = np.zeros(n)
    np.add.at(P, arrays.pair_state, arrays.P / 4)
    np.add.at(r, arrays.pair_state, arrays.r / 4)
    # the stationary distribution: the left eigenvector for eigenvalue 1
    w, vecs = np.linalg.eig(P.T)
    pi = np.real(vecs[:, np.argmin(abs(w - 1))])
    pi /= pi.sum()
    gain = pi @ r
    # the bias solves h + g = r + P h with π·h = 0
    A = np.vstack([np.eye(n) - P, pi])
    h = np.linalg.lstsq(A, np.concatenate([r - gain, [0.0]]), rcond=None)[0]
    for i, s in enumerate(arrays.states):
        assert float(e.gain[s]) == pytest.approx(gain, abs=1e-10)
        assert float(e.bias[s]) == pytest.approx(h[i], abs=1e-9)


def test_value_function_argument_needs_a_symbolic_discount():
    with pytest.raises(SolveError, match="symbolic"):
        laurent_at_one(solve_v(student_mdp()))
    v = solve_v(exercise_3_22())
    assert laurent_at_one(v).gain["top"] == Rational(3, 4)  # uniform: (1 + 2)/2 per 2 steps
