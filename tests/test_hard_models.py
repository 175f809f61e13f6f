"""Valid models that once crashed the solver (issue 9): each answered exactly.

Every expected value comes from the Bellman equations written out by hand for the
little model and solved by SymPy's ``linsolve`` (which shares no code with
symbellman's solver), then compared with ``cancel``.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Rational, Symbol, cancel

from symbellman import MDP, Policy, SolveError, solve_q, solve_v
from symbellman.optimal import optimal, optimal_pieces

x, a, g = sympy.symbols("x a gamma")
h = Rational(1, 2)


def loop(p_stay, r_stay, discount, extra=None):
    """One state s that stays with probability p_stay (reward r_stay) or ends in t."""
    actions = {"go": [{"to": "s", "p": p_stay, "r": r_stay}, {"to": "t", "p": 1 - p_stay,
                                                              "r": 0}]}
    if extra:
        actions.update(extra)
    return MDP(["s", "t"], {"s": actions}, actions={"s": list(actions)}, terminal=["t"],
               discount=discount)


def by_hand(p_stay, r_stay, discount):
    """v(s) = p (r + γ v(s)) + (1 − p)·0, solved by linsolve."""
    v = Symbol("v")
    (solution,) = sympy.linsolve([v - p_stay * (r_stay + discount * v)], [v])
    return cancel(solution[0])


@pytest.mark.parametrize("p_stay, r_stay", [
    (1 / (x + 1), Rational(1)),      # a parameter in a probability's denominator
    (h, 1 / x),                      # ... in a reward's denominator
    (h, g**2 + 1 / g),               # ... a reward with the discount in a denominator
])
def test_parameters_in_denominators_solve_v_and_q(p_stay, r_stay):
    m = loop(p_stay, r_stay, g)
    expected = by_hand(p_stay, r_stay, g)
    v = solve_v(m)
    q = solve_q(m, v=v)
    assert cancel(v["s"] - expected) == 0
    assert cancel(q["s", "go"] - expected) == 0  # one action: q(s, go) = v(s)


def test_conditions_name_the_denominators():
    m = loop(1 / (x + 1), 1 / x, g)
    v = solve_v(m)
    assert set(v.conditions) == {sympy.Ne(x, 0), sympy.Ne(x + 1, 0)}
    assert solve_q(m, v=v).conditions == v.conditions
    with pytest.raises(SolveError, match="x = -1"):
        v.at(x=-1)
    assert v.at(x=1).conditions == ()


def test_reward_with_one_over_gamma_in_optimal_and_pieces():
    # stop pays 1 at once; go pays γ² + 1/γ with probability 1/2, then again
    m = loop(h, g**2 + 1 / g, g, extra={"stop": {"to": "t", "r": 1}})
    go = by_hand(h, g**2 + 1 / g, g)
    best = optimal(m, at={"gamma": h})
    assert best.v_star["s"] == max(go.subs(g, h), 1)
    pieces = optimal_pieces(m)
    # go(γ) − 1 > 0 on (0, 1): 1/γ alone exceeds 2
    assert [p.policy["s"] for p in pieces] == [("go",)]


@pytest.mark.parametrize("discount, value", [(g / 2, g / 2), (1 - a, 1 - a)])
def test_discount_written_as_an_expression(discount, value):
    m = loop(h, Rational(1), discount)
    v = solve_v(m)
    q = solve_q(m, v=v)
    assert cancel(v["s"] - by_hand(h, 1, value)) == 0
    assert cancel(q["s", "go"] - by_hand(h, 1, value)) == 0


def test_model_whose_states_are_all_terminal():
    m = MDP(["t", "u"], {}, actions={}, terminal=["t", "u"])
    v = solve_v(m)
    assert v.as_dict() == {"t": 0, "u": 0}


def test_single_state_model():
    # v = 1 + γ v: the geometric series 1/(1 − γ)
    m = MDP(["s"], {"s": {"go": {"to": "s", "r": 1}}}, actions={"s": ["go"]})
    assert cancel(solve_v(m)["s"] - 1 / (1 - g)) == 0
    assert optimal(m, at={"gamma": Rational(9, 10)}).v_star["s"] == 10
    assert [p.policy["s"] for p in optimal_pieces(m)] == [("go",)]
