"""Finite-horizon values by backward induction: published tables, and an independent
computation in Fraction arithmetic written here.

Published numbers: Puterman & Chan, *Markov Decision Processes and Reinforcement
Learning* (2025), Section 4.1.2 (v of a Markov policy) and Tables 4.3/4.4 (q*, v* with
N = 3). Table 4.4 prints "a2,2" as the optimal action of s1 at epoch 2, a slip: s1 has
no action a2,2, and Table 4.3 itself shows a1,2 (q = 5) beating a1,1 (q = 3).
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from sympy import Rational, Symbol, expand, Poly

from symbellman import MDP, ModelError, Policy, SolveError
from symbellman.model.examples import gridworld, puterman_two_state, student_mdp
from symbellman.solve.horizon import finite_horizon, finite_horizon_optimal

F = Fraction
gamma = Symbol("gamma")


def test_puterman_chan_markov_policy_section_4_1_2():
    # N = 3, d1 = (a12, a22), d2 = (a11, a21): v(s1) = 0, v(s2) = 0.2; q2 = 3 and -5
    m = puterman_two_state()
    result = finite_horizon(m, [{"s1": "a12", "s2": "a22"}, {"s1": "a11", "s2": "a21"}])
    assert result.v(2) == {"s1": 0, "s2": Rational(1, 5)}
    assert result.v(1) == {"s1": 3, "s2": -5}
    assert result.q(2)[("s2", "a22")] == Rational(1, 5)


def test_puterman_chan_table_4_3_and_4_4():
    best = finite_horizon_optimal(puterman_two_state())
    # Table 4.3: q2* (their epoch 2 = one decision left, k = 1) and q1* (k = 2)
    assert best.q_star(1) == {("s1", "a11"): 3, ("s1", "a12"): 5, ("s2", "a21"): -5,
                              ("s2", "a22"): 2}
    assert best.q_star(2) == {("s1", "a11"): Rational(37, 5), ("s1", "a12"): 7,
                              ("s2", "a21"): -3, ("s2", "a22"): Rational(26, 5)}
    # Table 4.4 (with its slip corrected): epoch 1 a11/a22, epoch 2 a12/a22
    assert best.v_star(2) == {"s1": Rational(37, 5), "s2": Rational(26, 5)}
    assert best.policy(2) == {"s1": ("a11",), "s2": ("a22",)}
    assert best.policy(1) == {"s1": ("a12",), "s2": ("a22",)}
    assert best.time_dependent() == {"s1": [(2, 2, ("a11",)), (1, 1, ("a12",))]}


def test_value_iteration_table_7_5_is_the_finite_horizon_optimum():
    # Puterman & Chan, Table 7.5: v_n of undiscounted value iteration = v_n* (v_0 = 0)
    best = finite_horizon_optimal(puterman_two_state(), horizon=10)
    printed = {1: (5, 2), 2: (7.4, 5.2), 3: (10.2, 8.08), 4: (13.08, 10.928),
               5: (15.928, 13.7888), 10: (30.21635, 28.07346)}
    for k, (a, b) in printed.items():
        v = best.v_star(k)
        assert abs(float(v["s1"]) - a) < 5e-6 and abs(float(v["s2"]) - b) < 5e-6


# -- an independent computation in Fractions ---------------------------------------------
def backward_induction(mdp, H, gamma_value, v0=None, policy=None):
    """Plain dicts of Fractions: v_k* (or v_k^pi) and the maximisers, for k = 1..H."""
    v = {s: F(0) for s in mdp.states}
    for s, x in (v0 or {}).items():
        v[s] = F(x)
    table = [dict(v)]
    choices = [None]
    for _ in range(H):
        new, choice = {}, {}
        for s in mdp.states:
            if mdp.is_terminal(s):
                new[s] = F(0)
                continue
            q = {}
            for a in mdp.actions(s):
                q[a] = sum(F(str(o.probability)) * (F(str(o.reward)) + gamma_value *
                                                    v[o.next_state])
                           for o in mdp.outcomes(s, a))
            if policy is None:
                top = max(q.values())
                new[s], choice[s] = top, tuple(a for a in q if q[a] == top)
            else:
                new[s] = sum(F(str(w)) * q[a] for a, w in policy(s).items())
        v = new
        table.append(dict(v))
        choices.append(choice)
    return table, choices


@pytest.mark.parametrize("discount", [Rational(9, 10), Rational(1), Rational(1, 3)])
def test_gridworld_optimum_matches_fractions(discount):
    m = gridworld(3, 4, discount=discount)
    best = finite_horizon_optimal(m, horizon=6)
    table, choices = backward_induction(m, 6, F(str(discount)))
    for k in range(1, 7):
        assert {s: F(str(x)) for s, x in best.v_star(k).items()} == table[k]
        assert best.policy(k) == choices[k]


def test_policy_values_with_terminal_reward_match_fractions():
    m = student_mdp()
    v0 = {"Class1": Rational(1, 2), "Facebook": -3}
    result = finite_horizon(m, horizon=5, terminal_reward=v0)
    table, _ = backward_induction(m, 5, F(1), v0, Policy.uniform(m))
    for k in range(0, 6):
        assert {s: F(str(x)) for s, x in result.v(k).items()} == table[k]


def test_symbolic_gamma_gives_polynomials_that_match_numbers():
    m = student_mdp().replace(discount="gamma")
    result = finite_horizon(m, horizon=4)
    for k in range(1, 5):
        for s, value in result.v(k).items():
            assert Poly(value, gamma).degree() <= k - 1
            for g in (F(1, 3), F(9, 10)):
                table, _ = backward_induction(m, k, g, policy=Policy.uniform(m))
                assert F(str(value.subs(gamma, Rational(g.numerator, g.denominator)))) \
                    == table[k][s]


def test_pieces_over_gamma_agree_with_numbers_inside_each_piece():
    m = gridworld(2, 3, discount=gamma)
    best = finite_horizon_optimal(m, horizon=4)
    rng = random.Random(3)
    for k in range(1, 5):
        pieces = best.pieces(k)
        assert pieces[0].start == 0 and pieces[-1].end == 1
        for piece, after in zip(pieces, pieces[1:]):
            assert piece.end == after.start and piece.policy != after.policy
        for piece in pieces:
            for start, end, v_star, _ in piece.parts:
                lo, hi = float(start), float(end)
                t = F(round(lo + (hi - lo) * rng.uniform(0.1, 0.9), 6)).limit_denominator(10**6)
                table, choices = backward_induction(m, k, t)
                assert choices[k] == piece.policy
                assert {s: F(str(v_star[s].subs(gamma, Rational(t.numerator, t.denominator))))
                        for s in v_star} == {s: table[k][s] for s in v_star}


def test_two_state_breakpoint_is_exact():
    # with two decisions left: a11 gives 3 + 22/5 gamma, a12 gives 5 + 2 gamma: equal at 5/6
    m = puterman_two_state().replace(discount="gamma")
    pieces = finite_horizon_optimal(m).pieces(2)
    assert [(p.start, p.end) for p in pieces] == [(0, Rational(5, 6)), (Rational(5, 6), 1)]
    assert pieces[0].v_star["s1"] == expand(5 + 2 * gamma)


def test_errors_are_one_line():
    m = student_mdp()
    with pytest.raises(ModelError, match="no horizon is given"):
        finite_horizon(m)
    with pytest.raises(ModelError, match="positive integer"):
        finite_horizon(m, horizon=0)
    with pytest.raises(ModelError, match="2 policies for 3 decisions"):
        finite_horizon(m, ["uniform", "uniform"], horizon=3)
    p = MDP(["a"], {"a": {"x": {"to": "a", "r": "c"}}}, actions={"a": ["x"]}, symbols=["c"],
            discount=1)
    with pytest.raises(SolveError, match="give values to c"):
        finite_horizon_optimal(p, horizon=2)
    assert finite_horizon_optimal(p, horizon=2, at={"c": 1}).v_star(2)["a"] == 2
