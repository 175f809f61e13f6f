"""The exact optimum: published values, exact ties and breakpoints, and NumPy cross-checks."""

from __future__ import annotations


import pytest
import sympy
from sympy import Rational, Symbol

from symbellman import MDP, SolveError
from symbellman.model.examples import (exercise_3_22, gridworld, recycling_robot, student_mdp,
                                 sutton_barto_gridworld_5x5, sutton_barto_gridworld_4x4)
from symbellman.core.errors import ModelError
from symbellman.solve.iterate import value_iteration
from symbellman.optimal import certify, optimal, optimal_pieces

ALL = ("north", "south", "east", "west")

# Sutton & Barto (2018), Figure 3.5: v* of the 5x5 gridworld at γ = 0.9, one decimal
FIGURE_3_5_VALUES = [
    [22.0, 24.4, 22.0, 19.4, 17.5],
    [19.8, 22.0, 19.8, 17.8, 16.0],
    [17.8, 19.8, 17.8, 16.0, 14.4],
    [16.0, 17.8, 16.0, 14.4, 13.0],
    [14.4, 16.0, 14.4, 13.0, 11.7],
]
# Sutton & Barto (2018), Figure 3.5 (right): the arrows of π*, as sets
_NE, _N, _NW, _W = ("north", "east"), ("north",), ("north", "west"), ("west",)
FIGURE_3_5_ARROWS = [
    [("east",), ALL, ("west",), ALL, ("west",)],
    [_NE, _N, _NW, _W, _W],
    [_NE, _N, _NW, _NW, _NW],
    [_NE, _N, _NW, _NW, _NW],
    [_NE, _N, _NW, _NW, _NW],
]


@pytest.fixture(scope="module")
def figure_3_5():
    return optimal(sutton_barto_gridworld_5x5())


@pytest.mark.parametrize("row", range(5))
def test_gridworld_values_match_figure_3_5(figure_3_5, row):
    values = [round(float(figure_3_5.v_star[f"r{row}c{col}"]), 1) for col in range(5)]
    assert values == FIGURE_3_5_VALUES[row]


@pytest.mark.parametrize("row", range(5))
def test_gridworld_arrows_match_figure_3_5(figure_3_5, row):
    arrows = [set(figure_3_5.policy[f"r{row}c{col}"]) for col in range(5)]
    assert arrows == [set(a) for a in FIGURE_3_5_ARROWS[row]]


def test_gridworld_optimum_is_exact_and_certified(figure_3_5):
    assert all(figure_3_5.v_star[s].is_Rational for s in figure_3_5.mdp.states)
    assert figure_3_5.certificate().holds
    assert figure_3_5.certificate().largest_advantage == 0
    # r0c1 = A: 10 + 0.9 v*(A'), exactly
    assert figure_3_5.v_star["r0c1"] == 10 + Rational(9, 10) * figure_3_5.v_star["r4c1"]


# David Silver, RL course, Lecture 2, "Optimal Value Function / Optimal Action-Value
# Function for Student MDP" (γ = 1). The slide prints q*(Class3, pub) = 8.4, a typo:
# 1 + 0.2·6 + 0.4·8 + 0.4·10 = 9.4.
STUDENT_V = {"Facebook": 6, "Class1": 6, "Class2": 8, "Class3": 10, "Sleep": 0}
STUDENT_Q = {("Facebook", "facebook"): 5, ("Facebook", "quit"): 6,
             ("Class1", "facebook"): 5, ("Class1", "study"): 6,
             ("Class2", "sleep"): 0, ("Class2", "study"): 8,
             ("Class3", "study"): 10, ("Class3", "pub"): Rational(47, 5)}


def test_student_mdp_v_star():
    best = optimal(student_mdp())
    assert {s: best.v_star[s] for s in best.mdp.states} == STUDENT_V


@pytest.mark.parametrize("pair, value", STUDENT_Q.items())
def test_student_mdp_q_star(pair, value):
    assert optimal(student_mdp()).q_star[pair] == value


def test_student_mdp_policy_and_certificate():
    best = optimal(student_mdp())
    assert dict(best.policy) == {"Facebook": ("quit",), "Class1": ("study",),
                                 "Class2": ("study",), "Class3": ("study",)}
    assert best.greedy.is_deterministic()
    cert = best.certificate()
    assert cert.holds and cert.advantages[("Class3", "pub")] == Rational(-3, 5)
    assert repr(best.v_star) == "ValueFunction(v_star, 5 entries)"
    assert "v_star(Class3) = 10" in sympy.sstr(best.v_star)


def test_certificate_rejects_a_wrong_value():
    cert = certify(student_mdp(), {**STUDENT_V, "Class3": 9}, {s: ("study",) for s in
                                                                 ("Class1", "Class2", "Class3")}
                   | {"Facebook": ("quit",)})
    assert not cert.holds and cert.problems


def test_gridworld_4x4_at_discount_1_starts_from_a_proper_policy():
    # Sutton & Barto, Figure 4.1: v* is minus the number of steps to the nearest corner
    best = optimal(sutton_barto_gridworld_4x4())
    assert best.v_star["s1"] == -1 and best.v_star["s5"] == -2 and best.v_star["s6"] == -3
    assert set(best.policy["s5"]) == {"up", "left"}  # both ways are two steps long
    assert set(best.policy["s6"]) == {"up", "down", "left", "right"}  # three to either corner


def test_discount_1_without_a_way_out_is_a_clear_error():
    with pytest.raises(SolveError, match="no terminal state"):
        optimal(gridworld(3, 3, discount=1))


def test_discount_1_with_a_paying_cycle_is_a_clear_error():
    mdp = MDP(["A", "End"], {"A": {"stay": {"to": "A", "r": 1}, "stop": {"to": "End"}}},
              actions={"A": ["stay", "stop"]}, terminal=["End"], discount=1)
    with pytest.raises(SolveError, match="never ends"):
        optimal(mdp)


def test_symbols_left_are_a_clear_error():
    with pytest.raises(SolveError, match="alpha, beta, r_search, r_wait"):
        optimal(recycling_robot(discount=Rational(9, 10)))
    with pytest.raises(SolveError, match="gamma"):
        optimal(exercise_3_22())


def test_exercise_3_22_at_numeric_discounts():
    # Sutton & Barto, Exercise 3.22: left for γ = 0, right for γ = 0.9, both for 0.5
    assert optimal(exercise_3_22(0)).policy["top"] == ("left",)
    assert optimal(exercise_3_22(Rational(9, 10))).policy["top"] == ("right",)
    assert optimal(exercise_3_22(Rational(1, 2))).policy["top"] == ("left", "right")


# -- the recycling robot against NumPy value iteration ------------------------------------------
ROBOT_POINTS = [
    {"alpha": "0.9", "beta": "0.5", "r_search": 2, "r_wait": 1, "gamma": "0.9"},
    {"alpha": "0.1", "beta": "0.9", "r_search": 3, "r_wait": 1, "gamma": "0.5"},
    {"alpha": "0.5", "beta": "0.2", "r_search": 5, "r_wait": 4, "gamma": "0.99"},
    {"alpha": "0.8", "beta": "0.6", "r_search": 1, "r_wait": 2, "gamma": "0.3"},
]


@pytest.mark.parametrize("values", ROBOT_POINTS)
def test_recycling_robot_matches_value_iteration(values):
    best = optimal(recycling_robot(), at=values)
    assert best.certificate().holds
    numeric = value_iteration(best.mdp, epsilon=1e-9)
    for s in ("high", "low"):
        assert float(best.v_star[s]) == pytest.approx(numeric.v[s], abs=1e-8)
        assert set(best.policy[s]) == set(numeric.policy[s])


# -- pieces over the discount ----------------------------------------------------------------------
def _covers(pieces, low, high):
    assert pieces[0].start == low and pieces[-1].end == high
    for left, right in zip(pieces.pieces, pieces.pieces[1:]):
        assert left.end == right.start  # no gaps, no overlaps
        assert bool(left.start < left.end)


def test_exercise_3_22_breakpoint_is_exactly_one_half():
    pieces = optimal_pieces(exercise_3_22())
    assert len(pieces) == 2
    assert pieces.breakpoints == (Rational(1, 2),)
    assert pieces[0].policy["top"] == ("left",) and pieces[1].policy["top"] == ("right",)
    assert pieces[0].tie["top"] == ("left", "right")
    assert pieces.blackwell["top"] == ("right",)
    g = Symbol("gamma")
    # Sutton & Barto, Exercise 3.22: left is worth 1/(1 − γ²), right 2γ/(1 − γ²) in top
    assert sympy.cancel(pieces[0].v_star["top"] - 1 / (1 - g**2)) == 0
    assert sympy.cancel(pieces[1].v_star["top"] - 2 * g / (1 - g**2)) == 0
    _covers(pieces, 0, 1)


@pytest.fixture(scope="module")
def grid_pieces():
    # (its running time is measured by ``python -m benchmarks``, case "pieces")
    return optimal_pieces(gridworld(5, 5)), None


def test_gridworld_pieces_cover_0_1(grid_pieces):
    pieces, _ = grid_pieces
    _covers(pieces, 0, 1)
    for p in pieces:
        assert p.certificate.holds
        assert bool(p.start < p.point) and bool(p.point < p.end)


def test_gridworld_pieces_agree_with_value_iteration(grid_pieces):
    pieces, _ = grid_pieces
    g = Symbol("gamma")
    for p in pieces:
        point = p.point
        numeric = value_iteration(gridworld(5, 5, discount=point), epsilon=1e-10,
                                  tolerance=1e-7)
        for s in numeric.v:
            assert float(p.v_star[s].subs(g, point)) == pytest.approx(numeric.v[s], abs=1e-8)
            assert set(p.policy[s]) == set(numeric.policy[s]), (s, point)


def test_gridworld_pieces_hold_figure_3_5(grid_pieces):
    pieces, _ = grid_pieces
    piece = pieces.piece_at(Rational(9, 10))
    assert {s: set(a) for s, a in piece.policy.items()} == {
        f"r{i}c{j}": set(FIGURE_3_5_ARROWS[i][j]) for i in range(5) for j in range(5)}


def test_gridworld_breakpoints_are_exact_roots(grid_pieces):
    pieces, _ = grid_pieces
    g = Symbol("gamma")
    for b, piece in zip(pieces.breakpoints, pieces.pieces):
        assert isinstance(b, (sympy.Rational, sympy.CRootOf))
        assert abs(float(b) - float(piece.end_decimal)) < 1e-9
        # each action that joins the tie has advantage 0 there (to 30 digits)
        joined = [(s, a) for s in piece.tie for a in piece.tie[s] if a not in piece.policy[s]]
        assert joined
        for s, a in joined:
            advantage = (piece.q_star[s, a] - piece.v_star[s]).subs(g, b)
            assert abs(sympy.N(advantage, 30)) < 1e-25
        # at a breakpoint both sides' actions tie: the next piece's actions are in the tie
    for left, right in zip(pieces.pieces, pieces.pieces[1:]):
        for s in right.policy:
            assert set(right.policy[s]) <= set(left.tie[s])
            assert set(left.policy[s]) <= set(left.tie[s])
    assert pieces.blackwell is pieces[-1].policy


def test_ties_at_a_breakpoint_by_exact_evaluation():
    pieces = optimal_pieces(exercise_3_22())
    b = pieces.breakpoints[0]
    best = optimal(exercise_3_22(b))
    assert best.policy == pieces[0].tie


# -- pieces over another parameter ----------------------------------------------------------------
ROBOT_FIXED = {"gamma": "9/10", "beta": "1/2", "r_search": 2, "r_wait": 1}


def test_recycling_robot_pieces_over_alpha():
    pieces = optimal_pieces(recycling_robot(), over="alpha", at=ROBOT_FIXED)
    _covers(pieces, 0, 1)
    assert pieces.blackwell is None
    for p in pieces:
        fixed = dict(ROBOT_FIXED, alpha=p.point)
        numeric = value_iteration(recycling_robot().subs(fixed), epsilon=1e-10)
        for s in ("high", "low"):
            assert set(p.policy[s]) == set(numeric.policy[s])
            value = p.v_star[s].subs(Symbol("alpha"), p.point)
            assert float(value) == pytest.approx(numeric.v[s], abs=1e-8)
    for b in pieces.breakpoints:  # a breakpoint is where two actions tie exactly
        best = optimal(recycling_robot(), at=dict(ROBOT_FIXED, alpha=b))
        assert any(len(a) > 1 for a in best.policy.values())


def test_pieces_over_a_reward_range():
    fixed = {"alpha": "1/2", "beta": "1/3", "r_search": 2, "gamma": "9/10"}
    pieces = optimal_pieces(recycling_robot(), over=Symbol("r_wait"), low=-5, high=5, at=fixed)
    _covers(pieces, -5, 5)
    # waiting everywhere once it pays at least as much as searching (r_wait ≥ r_search)
    assert pieces[-1].policy == {"high": ("wait",), "low": ("wait",)}
    assert pieces[-1].start == 2


def test_pieces_errors():
    with pytest.raises(SolveError, match="give values"):
        optimal_pieces(recycling_robot())
    with pytest.raises(ModelError, match="did you mean 'alpha'"):
        optimal_pieces(recycling_robot(), over="alpah", at=ROBOT_FIXED)
    with pytest.raises(SolveError, match="number"):
        optimal_pieces(student_mdp())
    with pytest.raises(ModelError, match="range"):
        optimal_pieces(exercise_3_22(), low=Rational(1, 2), high=2)


def test_pieces_on_a_sub_range():
    pieces = optimal_pieces(exercise_3_22(), low=Rational(1, 10), high=Rational(3, 10))
    assert len(pieces) == 1 and pieces[0].policy["top"] == ("left",)
    assert pieces[0].tie is None


# -- random small MDPs: the pieces against value iteration ------------------------------------------
def _random_mdp(seed: int) -> MDP:
    import random

    rng = random.Random(seed)
    n, k = rng.randint(2, 5), rng.randint(1, 3)
    states = [f"s{i}" for i in range(n)]
    transitions = {}
    for s in states:
        transitions[s] = {}
        for a in range(k):
            targets = rng.sample(states, rng.randint(1, 2))
            weights = [rng.randint(1, 3) for _ in targets]
            transitions[s][f"a{a}"] = [
                {"to": t, "p": Rational(w, sum(weights)), "r": rng.randint(-3, 3)}
                for t, w in zip(targets, weights)]
    return MDP(states, transitions, actions={s: [f"a{a}" for a in range(k)] for s in states})


@pytest.mark.parametrize("seed", range(20))
def test_random_pieces_agree_with_value_iteration(seed):
    mdp = _random_mdp(seed)
    pieces = optimal_pieces(mdp)
    _covers(pieces, 0, 1)
    for p in pieces:
        numeric = value_iteration(mdp.replace(discount=p.point), epsilon=1e-11,
                                  tolerance=1e-8)
        for s in mdp.states:
            exact = float(p.v_star[s].subs(mdp.discount, p.point))
            assert exact == pytest.approx(numeric.v[s], abs=1e-7)
            assert set(p.policy[s]) == set(numeric.policy[s])


def test_pieces_when_a_value_is_a_constant():
    # a model on which solve_q's flint route once raised "inexact polynomial division"
    # (v(s0) = 1/2 is a constant next to 2/(1 − γ)): both backends must solve it
    h = Rational(1, 2)
    mdp = MDP(["s0", "s1", "s2", "s3"], {
        "s0": {"a": [{"to": "s2", "p": h, "r": 1}, {"to": "s1", "p": h, "r": 0}]},
        "s1": {"a": {"to": "s1", "r": -2}},
        "s2": {"a": {"to": "s2", "r": 2}},
        "s3": {"a": [{"to": "s0", "p": h, "r": -1}, {"to": "s2", "p": h, "r": 0}],
               "b": {"to": "s3", "r": 0}}},
        actions={"s0": ["a"], "s1": ["a"], "s2": ["a"], "s3": ["a", "b"]})
    for backend in ("flint", "python"):
        pieces = optimal_pieces(mdp, backend=backend)
        _covers(pieces, 0, 1)
        assert all(p.certificate.holds for p in pieces)


def test_results_show_themselves_as_latex_in_jupyter():
    from symbellman.model.examples import exercise_3_22, student_mdp
    from symbellman.optimal import optimal, optimal_pieces

    # Silver, Lecture 2: v*(Class3) = 10, reached by studying
    text = optimal(student_mdp())._repr_latex_()
    assert text.startswith("$\\displaystyle")
    assert r"v_*(\text{Class3}) &= 10 & &\text{optimal: }\text{study}" in text
    # Sutton & Barto, Exercise 3.22: the switch is at exactly γ = 1/2
    pieces = optimal_pieces(exercise_3_22())._repr_latex_()
    assert r"\frac{1}{2} \le \gamma < 1 &: \quad \text{top}: \text{right}" in pieces


def _greedy_by_value_iteration(mdp, gamma: float, sweeps: int = 4000):
    """Optimal actions at a numeric γ by plain float value iteration (numpy), with a
    tolerance for ties: independent of the exact machinery."""
    import numpy as np

    states = list(mdp.states)
    index = {s: i for i, s in enumerate(states)}
    v = np.zeros(len(states))

    def q(s, a):
        return sum(float(o.probability) * (float(o.reward) + gamma * v[index[o.next_state]])
                   for o in mdp.outcomes(s, a))
    for _ in range(sweeps):
        new = v.copy()
        for s in mdp.nonterminal:
            new[index[s]] = max(q(s, a) for a in mdp.actions(s))
        if np.max(np.abs(new - v)) < 1e-13:
            v = new
            break
        v = new
    best = {}
    for s in mdp.nonterminal:
        values = {a: q(s, a) for a in mdp.actions(s)}
        top = max(values.values())
        best[s] = {a for a, x in values.items() if x >= top - 1e-9}
    return best


def test_frozenlake_pieces_agree_with_value_iteration_and_backends():
    """FrozenLake 4×4 over γ: the flint route (advantages over one common denominator)
    and the pure-Python route give the same pieces, and at each piece's certified point
    float value iteration finds the piece's actions optimal."""
    gym = pytest.importorskip("gymnasium")
    from symbellman.io import from_gymnasium

    mdp = from_gymnasium(gym.make("FrozenLake-v1", map_name="4x4"))
    fast = optimal_pieces(mdp, backend="flint")
    slow = optimal_pieces(mdp, backend="python")
    assert [(p.start, p.end, dict(p.policy)) for p in fast] == \
        [(p.start, p.end, dict(p.policy)) for p in slow]
    assert len(fast) >= 2
    for piece in fast:
        best = _greedy_by_value_iteration(mdp, float(piece.point))
        for s, actions in piece.policy.items():
            assert set(actions) <= best[s] or best[s] <= set(actions), (piece, s)
            assert set(actions) & best[s], (piece, s)
