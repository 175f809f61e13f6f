"""NumPy value/policy iteration and exact traces, against the books and the exact optimum."""

from __future__ import annotations

import numpy as np
import pytest
from sympy import Rational

from symbellman import MDP, Policy, SolveError
from symbellman.model.examples import (gridworld, recycling_robot, student_mdp,
                                 sutton_barto_gridworld_4x4, sutton_barto_gridworld_5x5)
from symbellman.solve.iterate import (evaluate_policy_numeric, policy_evaluation_trace,
                                policy_iteration_numeric, pair_arrays, value_iteration,
                                value_iteration_trace)
from symbellman.optimal import optimal

# Sutton & Barto (2018), Figure 3.2: the equiprobable random policy, γ = 0.9
FIGURE_3_2 = [
    [3.3, 8.8, 4.4, 5.3, 1.5],
    [1.5, 3.0, 2.3, 1.9, 0.5],
    [0.1, 0.7, 0.7, 0.4, -0.4],
    [-1.0, -0.4, -0.4, -0.6, -1.2],
    [-1.9, -1.3, -1.2, -1.4, -2.0],
]

# Sutton & Barto (2018), Figure 4.1: iterative policy evaluation of the random policy on
# the 4x4 gridworld (γ = 1), cells 0..15 in row-major order; the corners are terminal
FIGURE_4_1 = {
    2: [0.0, -1.7, -2.0, -2.0, -1.7, -2.0, -2.0, -2.0,
        -2.0, -2.0, -2.0, -1.7, -2.0, -2.0, -1.7, 0.0],
    3: [0.0, -2.4, -2.9, -3.0, -2.4, -2.9, -3.0, -2.9,
        -2.9, -3.0, -2.9, -2.4, -3.0, -2.9, -2.4, 0.0],
}
FIGURE_4_1_LIMIT = [0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0]


def _cells_4x4(values):
    return [values["T0" if n == 0 else "T15" if n == 15 else f"s{n}"] for n in range(16)]


def test_to_arrays_layout():
    a = pair_arrays(student_mdp())
    assert a.states == ("Facebook", "Class1", "Class2", "Class3")
    assert len(a.pairs) == 8 and a.P.shape == (8, 4)
    k = a.pairs.index(("Class3", "pub"))
    assert a.P[k].tolist() == [0.0, 0.2, 0.4, 0.4] and a.r[k] == 1.0
    assert a.P[a.pairs.index(("Class3", "study"))].sum() == 0.0  # to the terminal state


def test_to_arrays_needs_numbers():
    with pytest.raises(SolveError, match="alpha"):
        pair_arrays(recycling_robot(discount=Rational(1, 2)))
    with pytest.raises(SolveError, match="discount"):
        pair_arrays(gridworld(2, 2))


def test_evaluate_policy_matches_figure_3_2():
    v = evaluate_policy_numeric(sutton_barto_gridworld_5x5(), tol=1e-10)
    for i, row in enumerate(FIGURE_3_2):
        assert [round(v[f"r{i}c{j}"], 1) for j in range(5)] == row


def test_evaluate_policy_4x4_limit_matches_figure_4_1():
    v = evaluate_policy_numeric(sutton_barto_gridworld_4x4(), tol=1e-9)
    assert [round(x) for x in _cells_4x4(v)] == FIGURE_4_1_LIMIT


@pytest.mark.parametrize("k", sorted(FIGURE_4_1))
def test_policy_evaluation_trace_matches_figure_4_1(k):
    trace = policy_evaluation_trace(sutton_barto_gridworld_4x4(), None, k)
    assert all(isinstance(x, Rational) or x == 0 for x in trace[k].values())
    # the book shows one decimal (−7/4 appears as −1.7)
    for exact, book in zip(_cells_4x4(trace[k]), FIGURE_4_1[k]):
        assert abs(float(exact) - book) <= 0.05 + 1e-12
    assert trace[1]["s1"] == -1


def test_value_iteration_trace_is_exact():
    # v_k for the Student MDP at γ = 1; v_k converges to Silver's v* = 6, 6, 8, 10
    trace = value_iteration_trace(student_mdp(), 5)
    assert trace[0]["Class3"] == 0 and trace[1]["Class3"] == 10
    assert trace[5] == {"Facebook": 6, "Class1": 6, "Class2": 8, "Class3": 10, "Sleep": 0}
    grid = value_iteration_trace(sutton_barto_gridworld_5x5(), 2)
    assert grid[1]["r0c1"] == 10 and grid[2]["r0c1"] == 10  # A' pays nothing in one step
    assert grid[2]["r0c0"] == 9  # west? no: east into A, worth 0 + 0.9·10


@pytest.mark.parametrize("epsilon", [1e-2, 1e-5, 1e-9])
@pytest.mark.parametrize("discount", [Rational(1, 2), Rational(9, 10), Rational(99, 100)])
def test_value_iteration_error_bound_holds(epsilon, discount):
    mdp = gridworld(5, 5, discount=discount)
    exact = optimal(mdp)
    vi = value_iteration(mdp, epsilon=epsilon)
    error = max(abs(vi.v[s] - float(exact.v_star[s])) for s in mdp.states)
    assert error < epsilon / 2 and vi.bound == epsilon / 2
    # the greedy policy of the result is ε-optimal
    arrays = pair_arrays(mdp)
    chosen = {s: vi.policy[s][0] for s in arrays.states}
    v_greedy = evaluate_policy_numeric(mdp, Policy.deterministic(mdp, chosen), tol=1e-12)
    assert max(float(exact.v_star[s]) - v_greedy[s] for s in mdp.states) < epsilon


@pytest.mark.parametrize("discount", [0, Rational(1, 3), Rational(9, 10)])
def test_policy_iteration_agrees_with_the_exact_optimum(discount):
    mdp = recycling_robot(discount=discount).subs(
        {"alpha": "0.7", "beta": "0.4", "r_search": 3, "r_wait": 1})
    exact = optimal(mdp)
    pi = policy_iteration_numeric(mdp)
    vi = value_iteration(mdp, epsilon=1e-10)
    for s in mdp.states:
        assert pi.v[s] == pytest.approx(float(exact.v_star[s]), abs=1e-9)
        assert vi.v[s] == pytest.approx(float(exact.v_star[s]), abs=1e-9)
        assert set(pi.policy[s]) == set(exact.policy[s])


def test_value_iteration_at_discount_one_has_no_bound():
    vi = value_iteration(student_mdp())
    assert vi.bound is None
    assert vi.v["Class1"] == pytest.approx(6)


def test_value_iteration_reports_divergence():
    paying = MDP(["A"], {"A": {"stay": {"to": "A", "r": 1}}}, actions={"A": ["stay"]},
                 discount=1)
    with pytest.raises(SolveError, match="did not reach"):
        value_iteration(paying, max_iterations=100)


def test_policy_iteration_numeric_figure_3_5():
    pi = policy_iteration_numeric(sutton_barto_gridworld_5x5())
    # Sutton & Barto (2018), Figure 3.5, top row
    assert [round(pi.v[f"r0c{j}"], 1) for j in range(5)] == [22.0, 24.4, 22.0, 19.4, 17.5]
    assert np.isclose(pi.v["r4c4"], 11.7, atol=0.05)
