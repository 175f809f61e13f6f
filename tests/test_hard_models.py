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


# -- discount 1: values where the total reward is defined (Puterman §7.1) --------------------
def test_absorbing_zero_reward_loop_is_worth_zero_at_discount_1():
    # A stays forever and earns nothing; B goes to A (reward 2) or ends (reward 4)
    m = MDP(["A", "B", "End"], {
        "A": {"go": {"to": "A", "r": 0}},
        "B": {"go": [{"to": "A", "p": h, "r": 2}, {"to": "End", "p": h, "r": 4}]}},
        actions={"A": ["go"], "B": ["go"]}, terminal=["End"], discount=1)
    v = solve_v(m)
    assert v.as_dict() == {"A": 0, "B": 3, "End": 0} and v.undefined == ()
    assert solve_q(m, v=v)["B", "go"] == 3


def test_unreachable_paying_loop_does_not_block_the_rest():
    # C loops on reward 1 forever (no total reward); nothing leads to C; D ends at once
    m = MDP(["C", "D", "End"], {
        "C": {"go": {"to": "C", "r": 1}},
        "D": {"go": {"to": "End", "r": 1}}},
        actions={"C": ["go"], "D": ["go"]}, terminal=["End"], discount=1)
    v = solve_v(m)
    assert v.undefined == ("C",) and v["D"] == 1 and v["C"] is sympy.nan
    q = solve_q(m, v=v)
    assert q.undefined == (("C", "go"),) and q["D", "go"] == 1


def test_optimal_at_discount_1_lists_only_actions_of_policies_worth_v_star():
    # staying in A ties with stopping (q = 0 + v*(A)), but a policy that stays never
    # ends and earns 0, not v*(A) = 5: only stop is optimal
    m = MDP(["A", "End"], {"A": {"stay": {"to": "A", "r": 0}, "stop": {"to": "End", "r": 5}}},
            actions={"A": ["stay", "stop"]}, terminal=["End"], discount=1)
    best = optimal(m)
    assert best.v_star["A"] == 5 and best.policy["A"] == ("stop",)
    assert best.certificate().holds
    following = Policy.deterministic(m, {"A": best.policy["A"][0]})
    assert solve_v(m, following)["A"] == 5
    # when stopping pays nothing, staying forever is worth v*(A) = 0 too: both listed
    free = MDP(["A", "End"], {"A": {"stay": {"to": "A", "r": 0}, "stop": {"to": "End"}}},
               actions={"A": ["stay", "stop"]}, terminal=["End"], discount=1)
    best = optimal(free)
    assert best.policy["A"] == ("stay", "stop")
    for a in best.policy["A"]:
        assert solve_v(free, Policy.deterministic(free, {"A": a}))["A"] == 0


@pytest.mark.parametrize("solve", [
    lambda m: solve_v(m), lambda m: solve_q(m, Policy.deterministic(m, {"s": "stop"})),
    lambda m: optimal_pieces(m), lambda m: optimal(m, at={"gamma": h})])
def test_huge_degree_is_refused_before_the_fast_layer(solve):
    # python-flint aborted the whole process (exit 134) on γ**(10**9); now a clear error
    m = loop(h, g**(10**9), g, extra={"stop": {"to": "t", "r": 1}})
    with pytest.raises(SolveError, match="degree .* over the limit"):
        solve(m)


def test_at_checks_conditions_on_a_parameter_the_values_do_not_use():
    # p = 1/(x+2) and 1 - 1/(x+2) both return to s0 with reward 1: v = 1/(1 - gamma), free
    # of x, but the model itself needs x != -2 (found by the property tests)
    from symbellman import MDP, Policy, SolveError, solve_v

    mdp = MDP(["s0"], {"s0": [("s0", "1/(x+2)", 1), ("s0", "1 - 1/(x+2)", 1)]}, symbols=["x"])
    v = solve_v(mdp, Policy.uniform(mdp))
    assert sympy.simplify(v["s0"] - 1 / (1 - sympy.Symbol("gamma"))) == 0
    with pytest.raises(SolveError, match="x = -2"):
        v.at(x=-2)
    assert v.at(x=1, gamma=sympy.Rational(1, 2))["s0"] == 2
