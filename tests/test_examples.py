"""The shipped examples against the numbers their sources publish.

Every expected value is copied from the cited slide or figure (or derived by hand in a
comment), and every computed value comes from a solve written here, from nothing but
``mdp.outcomes(s, a)`` and ``policy.weight(s, a)``: an exact ``sympy.Matrix`` LU solve
or ``numpy.linalg.solve`` of (I - γ P_π) v = r_π, or value iteration. symbellman's own
solvers are never used, so a wrong model cannot agree with itself.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import sympy
from sympy import Rational

from symbellman import MDP, ModelError, Policy
from symbellman.model.examples import (EXAMPLES, example, exercise_3_22, gridworld,
                                 recycling_robot, student_mdp, student_mrp,
                                 sutton_barto_gridworld_4x4, sutton_barto_gridworld_5x5,
                                 two_state_symbolic)

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
gamma = sympy.Symbol("gamma")  # symbellman's default discount (no assumptions)


# -- independent solvers ----------------------------------------------------------------
def _values_of(mdp: MDP, values: dict | None) -> dict:
    """Parameter names -> exact values, as SymPy substitutions."""
    by_name = {s.name: s for s in mdp.symbols}
    return {by_name[k]: Rational(v) for k, v in (values or {}).items()}


def induced(mdp: MDP, policy: Policy, values: dict | None = None):
    """(states, P_π, r_π) over the non-terminal states, exact; terminal states are worth 0."""
    states = mdp.nonterminal
    index = {s: i for i, s in enumerate(states)}
    subs = _values_of(mdp, values)
    P, r = sympy.zeros(len(states)), sympy.zeros(len(states), 1)
    for s in states:
        for a in mdp.actions(s):
            w = policy.weight(s, a)
            for o in mdp.outcomes(s, a):
                r[index[s]] += w * o.probability * o.reward
                if not mdp.is_terminal(o.next_state):
                    P[index[s], index[o.next_state]] += w * o.probability
    return states, P.xreplace(subs), r.xreplace(subs)


def exact_values(mdp: MDP, policy: Policy, discount, values: dict | None = None) -> dict:
    """v_π by an exact LU solve; ``discount`` may be a number or a symbol."""
    states, P, r = induced(mdp, policy, values)
    v = (sympy.eye(len(states)) - discount * P).LUsolve(r)
    return {**{s: sympy.simplify(x) for s, x in zip(states, v)},
            **{t: sympy.Integer(0) for t in mdp.terminal}}


def float_values(mdp: MDP, policy: Policy, discount: float, values: dict | None = None) -> dict:
    """v_π by numpy.linalg.solve."""
    states, P, r = induced(mdp, policy, values)
    P, r = np.array(P.tolist(), dtype=float), np.array(r.tolist(), dtype=float).ravel()
    v = np.linalg.solve(np.eye(len(states)) - discount * P, r)
    return {**dict(zip(states, v)), **{t: 0.0 for t in mdp.terminal}}


def exact_model(mdp: MDP, values: dict | None = None) -> dict:
    """(s, a) -> [(next state, probability, reward)], with the parameters put in."""
    subs = _values_of(mdp, values)
    return {(s, a): [(o.next_state, o.probability.xreplace(subs), o.reward.xreplace(subs))
                     for o in mdp.outcomes(s, a)]
            for s in mdp.nonterminal for a in mdp.actions(s)}


def float_model(mdp: MDP, values: dict | None = None) -> dict:
    """The same in floats."""
    return {sa: [(t, float(p), float(r)) for t, p, r in outs]
            for sa, outs in exact_model(mdp, values).items()}


def q_from(model: dict, v: dict, discount: float) -> dict:
    return {sa: sum(p * (r + discount * v[t]) for t, p, r in outs) for sa, outs in model.items()}


def value_iteration(mdp: MDP, discount: float, values: dict | None = None,
                    tolerance: float = 1e-12) -> tuple[dict, dict]:
    """v* and q* by value iteration, until no value moves by more than ``tolerance``."""
    model = float_model(mdp, values)
    v = {s: 0.0 for s in mdp.states}
    for _ in range(100_000):
        q = q_from(model, v, discount)
        new = {s: max(q[(s, a)] for a in mdp.actions(s)) if not mdp.is_terminal(s) else 0.0
               for s in mdp.states}
        if max(abs(new[s] - v[s]) for s in v) < tolerance:
            return new, q_from(model, new, discount)
        v = new
    raise AssertionError("value iteration did not converge")


def policy_evaluation_sweeps(mdp: MDP, policy: Policy, discount: float, sweeps: int) -> dict:
    """Iterative policy evaluation with two arrays (synchronous sweeps) from v_0 = 0."""
    model = float_model(mdp)
    v = {s: 0.0 for s in mdp.states}
    for _ in range(sweeps):
        q = q_from(model, v, discount)
        v = {s: 0.0 if mdp.is_terminal(s)
             else sum(float(policy.weight(s, a)) * q[(s, a)] for a in mdp.actions(s))
             for s in mdp.states}
    return v


def rounds_to(value, printed: str) -> bool:
    """Whether ``value`` is within half a unit of the last digit printed (``"-1.3"``)."""
    half = Decimal(1).scaleb(Decimal(printed).as_tuple().exponent) / 2
    return abs(Decimal(float(value)) - Decimal(printed)) <= half + Decimal("1e-9")


def grid_table(mdp: MDP, v: dict, rows: int, cols: int) -> list[list]:
    return [[v[mdp.states[i * cols + j]] for j in range(cols)] for i in range(rows)]


# -- David Silver's Student MRP -------------------------------------------------------
# D. Silver, RL course (2015), Lecture 2, "Example: State-Value Function for Student MRP"
# (1) gamma = 0, (2) gamma = 0.9 and (3) gamma = 1, as printed on the slides.
SILVER_MRP = {
    "0": {"Class1": "-2", "Class2": "-2", "Class3": "-2", "Pass": "10", "Pub": "1",
          "Facebook": "-1"},
    "0.9": {"Class1": "-5.0", "Class2": "0.9", "Class3": "4.1", "Pass": "10", "Pub": "1.9",
            "Facebook": "-7.6"},
    "1": {"Class1": "-13", "Class2": "1.5", "Class3": "4.3", "Pass": "10", "Pub": "0.8",
          "Facebook": "-23"},
}


@pytest.mark.parametrize("discount", list(SILVER_MRP))
def test_student_mrp_exact_values_round_to_silvers_slides(discount):
    mrp = student_mrp()
    v = exact_values(mrp, Policy.uniform(mrp), Rational(discount))
    assert {s: rounds_to(v[s], printed) for s, printed in SILVER_MRP[discount].items()} == \
        {s: True for s in SILVER_MRP[discount]}
    assert v["Sleep"] == 0


def test_student_mrp_float_solve_at_09():
    # Silver, Lecture 2, "Example: State-Value Function for Student MRP (2)", gamma = 0.9.
    mrp = student_mrp()
    v = float_values(mrp, Policy.uniform(mrp), 0.9)
    for s, printed in SILVER_MRP["0.9"].items():
        assert rounds_to(v[s], printed), (s, v[s], printed)


def test_student_mrp_chain_is_silvers():
    # Silver, Lecture 2, "Example: Student Markov Chain": the transition matrix P.
    chain = {"Class1": {"Class2": "0.5", "Facebook": "0.5"},
             "Class2": {"Class3": "0.8", "Sleep": "0.2"},
             "Class3": {"Pass": "0.6", "Pub": "0.4"},
             "Pass": {"Sleep": "1.0"},
             "Pub": {"Class1": "0.2", "Class2": "0.4", "Class3": "0.4"},
             "Facebook": {"Facebook": "0.9", "Class1": "0.1"}}
    mrp = student_mrp()
    assert mrp.is_mrp and mrp.terminal == ("Sleep",)
    got = {s: {o.next_state: o.probability for o in mrp.outcomes(s)} for s in mrp.nonterminal}
    assert got == {s: {t: Rational(p) for t, p in row.items()} for s, row in chain.items()}


# -- David Silver's Student MDP -------------------------------------------------------
def test_student_mdp_uniform_policy_exact():
    # Silver, Lecture 2, "Example: State-Value Function for Student MDP" (uniform random
    # policy, gamma = 1) prints -2.3, -1.3, 2.7, 7.4; the exact values are these fractions.
    mdp = student_mdp()
    v = exact_values(mdp, Policy.uniform(mdp), 1)
    assert v == {"Facebook": Rational(-30, 13), "Class1": Rational(-17, 13),
                 "Class2": Rational(35, 13), "Class3": Rational(96, 13), "Sleep": 0}
    assert [rounds_to(v[s], x) for s, x in
            [("Facebook", "-2.3"), ("Class1", "-1.3"), ("Class2", "2.7"), ("Class3", "7.4")]] \
        == [True] * 4


def test_student_mdp_optimal_values_by_value_iteration():
    # Silver, Lecture 2, "Example: Optimal Value Function for Student MDP" (gamma = 1).
    v_star, q_star = value_iteration(student_mdp(), 1.0)
    assert v_star == pytest.approx({"Facebook": 6, "Class1": 6, "Class2": 8, "Class3": 10,
                                    "Sleep": 0})
    # q* from v* by the Bellman optimality equation, by hand: e.g. q*(Class1, study) =
    # -2 + v*(Class2) = 6 and q*(Class3, pub) = 1 + 0.2*6 + 0.4*8 + 0.4*10 = 9.4.
    assert q_star == pytest.approx({
        ("Facebook", "facebook"): 5, ("Facebook", "quit"): 6,
        ("Class1", "facebook"): 5, ("Class1", "study"): 6,
        ("Class2", "sleep"): 0, ("Class2", "study"): 8,
        ("Class3", "pub"): 9.4, ("Class3", "study"): 10})


# -- Sutton & Barto's gridworld, Example 3.5 ------------------------------------------
# Sutton & Barto (2018), Figure 3.2 (right): v_pi of the equiprobable random policy,
# gamma = 0.9, to one decimal.
FIGURE_3_2 = [["3.3", "8.8", "4.4", "5.3", "1.5"],
              ["1.5", "3.0", "2.3", "1.9", "0.5"],
              ["0.1", "0.7", "0.7", "0.4", "-0.4"],
              ["-1.0", "-0.4", "-0.4", "-0.6", "-1.2"],
              ["-1.9", "-1.3", "-1.2", "-1.4", "-2.0"]]

# Sutton & Barto (2018), Figure 3.5 (middle): v*, gamma = 0.9, to one decimal.
FIGURE_3_5 = [["22.0", "24.4", "22.0", "19.4", "17.5"],
              ["19.8", "22.0", "19.8", "17.8", "16.0"],
              ["17.8", "19.8", "17.8", "16.0", "14.4"],
              ["16.0", "17.8", "16.0", "14.4", "13.0"],
              ["14.4", "16.0", "14.4", "13.0", "11.7"]]


@pytest.mark.parametrize("row", range(5))
def test_gridworld_5x5_uniform_policy_matches_figure_3_2(row):
    mdp = sutton_barto_gridworld_5x5()
    assert mdp.discount == Rational(9, 10)
    v = grid_table(mdp, float_values(mdp, Policy.uniform(mdp), 0.9), 5, 5)
    assert [rounds_to(x, printed) for x, printed in zip(v[row], FIGURE_3_2[row])] == [True] * 5


def test_gridworld_5x5_exact_solve_agrees_with_figure_3_2():
    mdp = sutton_barto_gridworld_5x5()
    v = grid_table(mdp, exact_values(mdp, Policy.uniform(mdp), Rational(9, 10)), 5, 5)
    assert all(x.is_Rational for row in v for x in row)
    assert [[rounds_to(x, p) for x, p in zip(r, pr)] for r, pr in zip(v, FIGURE_3_2)] == \
        [[True] * 5] * 5


def test_gridworld_5x5_optimal_values_match_figure_3_5():
    mdp = sutton_barto_gridworld_5x5()
    v_star, _ = value_iteration(mdp, 0.9, tolerance=1e-10)
    table = grid_table(mdp, v_star, 5, 5)
    assert [[rounds_to(x, p) for x, p in zip(r, pr)] for r, pr in zip(table, FIGURE_3_5)] == \
        [[True] * 5] * 5


def test_gridworld_5x5_rules_of_example_3_5():
    # Sutton & Barto (2018), Example 3.5: A -> A' with +10, B -> B' with +5 on any action,
    # -1 for bumping into the edge, 0 otherwise.
    g = sutton_barto_gridworld_5x5()
    assert g.actions("r2c2") == ("north", "south", "east", "west")
    assert {a: g.outcomes("r0c1", a)[0].next_state for a in g.actions("r0c1")} == \
        dict.fromkeys(g.actions("r0c1"), "r4c1")
    assert {g.outcomes("r0c1", a)[0].reward for a in g.actions("r0c1")} == {10}
    assert {(g.outcomes("r0c3", a)[0].next_state, g.outcomes("r0c3", a)[0].reward)
            for a in g.actions("r0c3")} == {("r2c3", 5)}
    assert [(o.next_state, o.reward) for o in g.outcomes("r4c4", "south")] == [("r4c4", -1)]
    assert [(o.next_state, o.reward) for o in g.outcomes("r2c2", "north")] == [("r1c2", 0)]


def test_sutton_barto_5x5_is_the_general_gridworld_at_09():
    assert sutton_barto_gridworld_5x5() == gridworld(5, 5, discount=Rational(9, 10))
    assert sutton_barto_gridworld_5x5() != gridworld(5, 5)


@pytest.mark.parametrize("size", [10, 20])
def test_benchmark_gridworlds_keep_both_jumps_and_edges(size):
    g = gridworld(size, size)
    assert len(g.states) == size * size and g.terminal == ()
    assert g.states[:2] == ("r0c0", "r0c1") and g.states[size] == "r1c0"
    assert g.states[-1] == f"r{size - 1}c{size - 1}"
    assert g.outcomes("r0c1", "south")[0].next_state == "r4c1"
    assert g.outcomes("r0c3", "east")[0].next_state == "r2c3"
    bumps = sum(o.reward == -1 and o.next_state == s
                for s in g.states for a in g.actions(s) for o in g.outcomes(s, a))
    # 4 * size moves leave the grid; the two on the top edge out of A and B jump instead.
    assert bumps == 4 * size - 2
    assert all(len(g.outcomes(s, a)) == 1 and g.outcomes(s, a)[0].probability == 1
               for s in g.states for a in g.actions(s))


@pytest.mark.parametrize("rows, cols, jumps", [
    (3, 3, {}),                                # A' = (4, 1) and B = (0, 3) are off the grid
    (4, 5, {"r0c3": ("r2c3", 5)}),             # A' = (4, 1) needs five rows
    (5, 4, {"r0c1": ("r4c1", 10), "r0c3": ("r2c3", 5)}),
])
def test_gridworld_keeps_only_the_jumps_that_fit(rows, cols, jumps):
    g = gridworld(rows, cols)
    found = {s: (g.outcomes(s, "north")[0].next_state, g.outcomes(s, "north")[0].reward)
             for s in g.states if g.outcomes(s, "north")[0].reward > 0}
    assert found == jumps


def test_gridworld_explicit_specials_and_bad_sizes():
    g = gridworld(2, 2, specials=[((0, 0), (1, 1), 7)])
    assert g.outcomes("r0c0", "west") == g.outcomes("r0c0", "north")
    assert (g.outcomes("r0c0", "west")[0].next_state, g.outcomes("r0c0", "west")[0].reward) \
        == ("r1c1", 7)
    with pytest.raises(ModelError, match="not on the 2x2 grid"):
        gridworld(2, 2, specials=[((0, 0), (4, 1), 10)])
    with pytest.raises(ModelError, match="positive integer"):
        gridworld(0, 3)


# -- Sutton & Barto's small gridworld, Example 4.1 ------------------------------------
# Sutton & Barto (2018), Figure 4.1, left column: v_k for the equiprobable random policy,
# gamma = 1, in the book's 4 x 4 layout (terminal corners 0.0).
FIGURE_4_1 = {
    1: [["0.0", "-1.0", "-1.0", "-1.0"], ["-1.0", "-1.0", "-1.0", "-1.0"],
        ["-1.0", "-1.0", "-1.0", "-1.0"], ["-1.0", "-1.0", "-1.0", "0.0"]],
    # The book prints v_2 = -1.75 as -1.7, half a unit away; rounds_to accepts that.
    2: [["0.0", "-1.7", "-2.0", "-2.0"], ["-1.7", "-2.0", "-2.0", "-2.0"],
        ["-2.0", "-2.0", "-2.0", "-1.7"], ["-2.0", "-2.0", "-1.7", "0.0"]],
    3: [["0.0", "-2.4", "-2.9", "-3.0"], ["-2.4", "-2.9", "-3.0", "-2.9"],
        ["-2.9", "-3.0", "-2.9", "-2.4"], ["-3.0", "-2.9", "-2.4", "0.0"]],
    10: [["0.0", "-6.1", "-8.4", "-9.0"], ["-6.1", "-7.7", "-8.4", "-8.4"],
         ["-8.4", "-8.4", "-7.7", "-6.1"], ["-9.0", "-8.4", "-6.1", "0.0"]],
}
# Sutton & Barto (2018), Figure 4.1, k = infinity: exact integers.
FIGURE_4_1_LIMIT = [[0, -14, -20, -22], [-14, -18, -20, -20],
                    [-20, -20, -18, -14], [-22, -20, -14, 0]]


def test_gridworld_4x4_uniform_policy_exact_matches_figure_4_1():
    mdp = sutton_barto_gridworld_4x4()
    assert mdp.discount == 1
    v = exact_values(mdp, Policy.uniform(mdp), 1)
    assert grid_table(mdp, v, 4, 4) == FIGURE_4_1_LIMIT


@pytest.mark.parametrize("k", list(FIGURE_4_1))
def test_gridworld_4x4_policy_evaluation_sweeps_match_figure_4_1(k):
    mdp = sutton_barto_gridworld_4x4()
    table = grid_table(mdp, policy_evaluation_sweeps(mdp, Policy.uniform(mdp), 1.0, k), 4, 4)
    assert [[rounds_to(x, p) for x, p in zip(r, pr)] for r, pr in zip(table, FIGURE_4_1[k])] \
        == [[True] * 4] * 4


def test_gridworld_4x4_layout_of_example_4_1():
    g = sutton_barto_gridworld_4x4()
    assert g.states == ("T0", *(f"s{n}" for n in range(1, 15)), "T15")
    assert g.terminal == ("T0", "T15")
    assert g.actions("s6") == ("up", "down", "right", "left")
    # Sutton & Barto (2018), Example 4.1: p(6, -1 | 5, right) = 1, p(7, -1 | 7, right) = 1,
    # p(10, r | 5, right) = 0 for all r.
    assert [(o.next_state, o.probability, o.reward) for o in g.outcomes("s5", "right")] == \
        [("s6", 1, -1)]
    assert [(o.next_state, o.reward) for o in g.outcomes("s7", "right")] == [("s7", -1)]
    assert {o.reward for s in g.nonterminal for a in g.actions(s) for o in g.outcomes(s, a)} \
        == {-1}


# -- Sutton & Barto's recycling robot, Example 3.3 ------------------------------------
alpha, beta, r_search, r_wait = sympy.symbols("alpha beta r_search r_wait")

# Sutton & Barto (2018), Example 3.3, the table of p(s'|s, a) and r(s, a, s'), every row
# (the rows of probability 0 included).
EXAMPLE_3_3_TABLE = [
    ("high", "search", "high", alpha, r_search),
    ("high", "search", "low", 1 - alpha, r_search),
    ("low", "search", "high", 1 - beta, -3),
    ("low", "search", "low", beta, r_search),
    ("high", "wait", "high", 1, r_wait),
    ("high", "wait", "low", 0, None),
    ("low", "wait", "high", 0, None),
    ("low", "wait", "low", 1, r_wait),
    ("low", "recharge", "high", 1, 0),
    ("low", "recharge", "low", 0, None),
]


@pytest.mark.parametrize("s, a, s_next, p, r", EXAMPLE_3_3_TABLE)
def test_recycling_robot_is_the_table_of_example_3_3(s, a, s_next, p, r):
    robot = recycling_robot()
    outcomes = [o for o in robot.outcomes(s, a) if o.next_state == s_next]
    assert sympy.expand(sum((o.probability for o in outcomes), sympy.Integer(0)) - p) == 0
    assert [o.reward for o in outcomes] == ([] if r is None else [r])


def test_recycling_robot_states_actions_and_symbols():
    robot = recycling_robot()
    assert robot.states == ("high", "low") and robot.terminal == ()
    assert robot.actions("high") == ("search", "wait")
    assert robot.actions("low") == ("search", "wait", "recharge")
    assert robot.symbols == (alpha, beta, r_search, r_wait)
    assert robot.discount == gamma


# A point with r_search > r_wait, as the book assumes.
ROBOT_POINT = {"alpha": "0.8", "beta": "0.6", "r_search": 3, "r_wait": 1}


def test_recycling_robot_value_iteration_agrees_with_linear_solve():
    robot = recycling_robot()
    v_star, q_star = value_iteration(robot, 0.9, ROBOT_POINT)
    greedy = {s: max(robot.actions(s), key=lambda a: q_star[(s, a)]) for s in robot.states}
    policy = Policy.deterministic(robot, greedy)
    v_float = float_values(robot, policy, 0.9, ROBOT_POINT)
    assert v_float == pytest.approx(v_star, abs=1e-9)
    # The greedy policy's exact values satisfy the Bellman optimality equation exactly.
    v = exact_values(robot, policy, Rational(9, 10), ROBOT_POINT)
    q = q_from(exact_model(robot, ROBOT_POINT), v, Rational(9, 10))
    assert all(v[s] == max(q[(s, a)] for a in robot.actions(s)) for s in robot.states)


def test_recycling_robot_uniform_policy_iteration_agrees_with_linear_solve():
    robot = recycling_robot()
    policy = Policy.uniform(robot)
    exact = exact_values(robot, policy, Rational(9, 10), ROBOT_POINT)
    model = float_model(robot, ROBOT_POINT)
    v = {s: 0.0 for s in robot.states}
    for _ in range(400):
        q = q_from(model, v, 0.9)
        v = {s: sum(float(policy.weight(s, a)) * q[(s, a)] for a in robot.actions(s))
             for s in robot.states}
    assert v == pytest.approx({s: float(x) for s, x in exact.items()}, abs=1e-12)


# -- the two-state symbolic MDP --------------------------------------------------------
p, q, r1, r2, r3, r4 = sympy.symbols("p q r1 r2 r3 r4")


@pytest.mark.parametrize("action, move, reward_1, reward_2", [
    # By hand: with v1 + v2 = S and v1 - v2 = D the two equations decouple.
    # stay: S = (r1 + r3)/(1 - gamma), D = (r1 - r3)/(1 - gamma (2p - 1)).
    ("stay", 1 - p, r1, r3),
    # switch: S = (r2 + r4)/(1 - gamma), D = (r2 - r4)/(1 - gamma (1 - 2q)).
    ("switch", q, r2, r4),
])
def test_two_state_closed_form_by_hand(action, move, reward_1, reward_2):
    m = two_state_symbolic()
    v = exact_values(m, Policy.deterministic(m, {"s1": action, "s2": action}), gamma)
    S = (reward_1 + reward_2) / (1 - gamma)
    D = (reward_1 - reward_2) / (1 - gamma * (1 - 2 * move))
    assert sympy.simplify(v["s1"] - (S + D) / 2) == 0
    assert sympy.simplify(v["s2"] - (S - D) / 2) == 0


def test_two_state_every_number_is_a_symbol():
    m = two_state_symbolic()
    assert m.symbols == (p, q, r1, r2, r3, r4) and m.discount == gamma
    for s in m.states:
        for a in m.actions(s):
            assert all(o.probability.free_symbols and o.reward.free_symbols
                       for o in m.outcomes(s, a))


def test_two_state_uniform_policy_numpy_agrees_with_exact():
    m = two_state_symbolic()
    point = {"p": "0.7", "q": "0.2", "r1": 1, "r2": -2, "r3": 5, "r4": 3}
    pi = Policy.uniform(m)
    exact = exact_values(m, pi, Rational(1, 2), point)
    assert float_values(m, pi, 0.5, point) == pytest.approx({s: float(x) for s, x in exact.items()})


# -- Sutton & Barto's Exercise 3.22 ----------------------------------------------------
@pytest.mark.parametrize("discount, best", [
    # Sutton & Barto (2018), Exercise 3.22 asks for gamma = 0, 0.9, 0.5. By hand:
    # v_left(top) = 1/(1 - gamma^2), v_right(top) = 2 gamma/(1 - gamma^2): left wins below 1/2,
    # right above, and they tie at 1/2.
    ("0", {"left"}), ("0.9", {"right"}), ("0.5", {"left", "right"}),
])
def test_exercise_3_22_answers(discount, best):
    m = exercise_3_22()
    gamma_value = Rational(discount)
    tops = {a: exact_values(m, Policy.deterministic(m, {"top": a}), gamma_value)["top"]
            for a in ("left", "right")}
    assert tops == {"left": 1 / (1 - gamma_value**2),
                    "right": 2 * gamma_value / (1 - gamma_value**2)}
    assert {a for a in tops if tops[a] == max(tops.values())} == best


def test_exercise_3_22_symbolic_values_by_hand():
    m = exercise_3_22()
    v = exact_values(m, Policy.deterministic(m, {"top": "right"}), gamma)
    assert sympy.simplify(v["top"] - 2 * gamma / (1 - gamma**2)) == 0
    assert sympy.simplify(v["right"] - 2 / (1 - gamma**2)) == 0   # 2 + gamma v(top)
    assert m.states == ("top", "left", "right")


# -- the catalogue and the model files -------------------------------------------------
def test_every_example_has_exactly_one_file():
    assert sorted(p.stem for p in EXAMPLES_DIR.glob("*.yaml")) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_file_loads_into_the_code_model(name):
    from symbellman.io import load_model  # being written alongside; imported here on purpose

    mdp, policy = load_model(EXAMPLES_DIR / f"{name}.yaml")
    assert mdp == EXAMPLES[name]()
    if "\npolicy: uniform\n" in (EXAMPLES_DIR / f"{name}.yaml").read_text(encoding="utf-8"):
        assert policy == Policy.uniform(mdp)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_file_starts_with_its_source(name):
    text = (EXAMPLES_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    header = text.split("\nformat:")[0]
    assert all(line.startswith("#") for line in header.splitlines())
    assert ("Sutton" in header or "Silver" in header or "Puterman" in header
            or "not from a book" in header)
    assert "Rewards" in header or "reward" in header


def test_gridworld_files_are_what_the_script_writes():
    spec = importlib.util.spec_from_file_location("make_gridworlds",
                                                  EXAMPLES_DIR / "make_gridworlds.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name, text in script.shipped_files().items():
        assert (EXAMPLES_DIR / name).read_text(encoding="utf-8") == text, name


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_by_name(name):
    m = example(name)
    assert isinstance(m, MDP) and m == EXAMPLES[name]() and m.name


def test_unknown_example_names_the_closest():
    with pytest.raises(ModelError, match="did you mean 'gridworld_4x4'"):
        example("gridworld4x4")
