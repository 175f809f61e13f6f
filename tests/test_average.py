"""Average reward: P*, gain, bias, relative values, Laurent terms, optimal gain and bias,
value iteration. Published numbers, independent numpy and Fraction computations written
here, and pymdptoolbox's RelativeValueIteration and FiniteHorizon side by side.

Published numbers: Puterman & Chan (2025), Chapter 7: Example 7.3 (policy (a11, a22):
P* rows (2/3, 1/3), gain 8/3, bias (5/9, -10/9)), Section 7.7.2 (optimal (a12, a22),
gain 20/7, relative values h(s1) = 15/7, h(s2) = 0; its step 9 prints
"arg max{29.735, 30.147}", numbers that belong to no equation of the example: we
check the optimum, not those), Tables 7.5/7.6 (value iteration and relative value
iteration). Sutton & Barto (2018), Exercises 10.6 (r(pi) = 1/2, v(A) = 1/4,
v(B) = -1/4) and 10.7 (r(pi) = 1/3; v = -1/3, 0, 1/3).
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy
from sympy import Rational, Symbol

from symbellman import MDP, ModelError, solve_v
from symbellman.solve.average import average_reward, chain_structure, equations_hold
from symbellman.solve.average_optimal import (average_optimal, average_value_iteration,
                                        multichain_policy_iteration,
                                        optimality_equations_hold)
from symbellman.model.examples import gridworld
from symbellman.model.long_run_examples import (exercise_10_6, exercise_10_7, puterman_two_state,
                                          puterman_two_state_average)

gamma = Symbol("gamma")


def multichain() -> MDP:
    """Two absorbing states earning 3 and 2 (optimal gains 3 and 2), and a chooser."""
    return MDP(["x", "y", "z"],
               {"x": {"stay": {"to": "x", "r": 3}, "go": {"to": "y", "r": 0}},
                "y": {"stay": {"to": "y", "r": 2}},
                "z": {"split": [("x", "1/2", 0), ("y", "1/2", 0)], "safe": {"to": "y", "r": 1}}},
               actions={"x": ["stay", "go"], "y": ["stay"], "z": ["split", "safe"]},
               discount=1)


def test_puterman_chan_example_7_3():
    result = average_reward(puterman_two_state_average(), {"s1": "a11", "s2": "a22"})
    assert result.P_star == sympy.Matrix([[Rational(2, 3), Rational(1, 3)]] * 2)
    assert result.gain == {"s1": Rational(8, 3), "s2": Rational(8, 3)}
    assert result.bias == {"s1": Rational(5, 9), "s2": Rational(-10, 9)}
    assert result.structure.unichain and result.structure.aperiodic
    assert equations_hold(result)


def test_puterman_chan_section_7_7_2_optimum():
    m = puterman_two_state_average()
    best = average_optimal(m)
    assert best.policy == {"s1": ("a12",), "s2": ("a22",)}
    assert best.gain == {"s1": Rational(20, 7), "s2": Rational(20, 7)}
    assert best.result.relative("s2") == {"s1": Rational(15, 7), "s2": 0}
    assert optimality_equations_hold(m, best.gain, best.bias)
    # policy iteration from their start (a12, a21) reaches the same policy and gain
    choice, result = multichain_policy_iteration(m, {"s1": "a12", "s2": "a21"})
    assert choice == {"s1": "a12", "s2": "a22"} and result.gain == best.gain


def test_puterman_chan_tables_7_5_and_7_6():
    m = puterman_two_state_average()
    trace = average_value_iteration(m, iterations=10)
    spans = [0.8, 0.08, 0.032, 0.0128, 0.00512, 0.002048, 0.0008192, 0.0003277, 0.0001311]
    assert [round(float(row[2]), 7) for row in trace.rows[2:]] == pytest.approx(spans, abs=1e-7)
    assert abs(float(trace.rows[10][1]["s1"]) - 30.21635) < 5e-6
    relative = average_value_iteration(m, iterations=10, reference="s2")
    w = [0, 3, 2.2, 2.12, 2.152, 2.139, 2.14432, 2.14227, 2.14309, 2.14276, 2.14290]
    estimates = [3.5, 2.8, 2.84, 2.864, 2.8544, 2.85824, 2.85670, 2.85732, 2.85707, 2.85717]
    for n in range(1, 11):
        assert abs(float(relative.rows[n][1]["s1"]) - w[n]) < 6e-4, n
        assert relative.rows[n][1]["s2"] == 0
        assert abs(float(relative.rows[n][3]) - estimates[n - 1]) < 5e-5, n


@pytest.mark.parametrize("make, gain, bias, period", [
    (exercise_10_6, Rational(1, 2), {"A": Rational(1, 4), "B": Rational(-1, 4)}, 2),
    (exercise_10_7, Rational(1, 3), {"A": Rational(-1, 3), "B": 0, "C": Rational(1, 3)}, 3),
])
def test_sutton_barto_exercises_10_6_and_10_7(make, gain, bias, period):
    m = make()
    result = average_reward(m)
    assert set(result.gain.values()) == {gain}
    assert result.bias == bias
    assert result.structure.periods == (period,)
    trace = average_value_iteration(m, iterations=12)
    assert trace.period == period and "periodic" in trace.warning()
    # the aperiodicity transform converges to the same gain
    fixed = average_value_iteration(m, iterations=60, transform="1/2")
    assert fixed.period is None and abs(float(fixed.rows[-1][3]) - float(gain)) < 1e-9


def test_multichain_gain_bias_and_relative_values():
    m = multichain()
    result = average_reward(m, {"x": "stay", "z": "split"})
    assert result.structure.classes == (("x",), ("y",)) and result.structure.transient == ("z",)
    assert result.gain == {"x": 3, "y": 2, "z": Rational(5, 2)}
    assert result.bias == {"x": 0, "y": 0, "z": Rational(-5, 2)}
    assert equations_hold(result)
    with pytest.raises(ModelError, match=r"2: \{x\}; \{y\}"):
        result.relative("x")
    best = average_optimal(m)
    assert best.gain == {"x": 3, "y": 2, "z": Rational(5, 2)}
    assert best.policy == {"x": ("stay",), "y": ("stay",), "z": ("split",)}
    assert optimality_equations_hold(m, best.gain, best.bias)


def test_gain_optimal_actions_apart_from_bias_optimal():
    # Puterman's classic: in s1 both actions keep the gain -1 of the absorbing s2, but
    # only a11 (bias 12 against 11) is bias optimal
    m = MDP(["s1", "s2"], {"s1": {"a11": [("s1", "1/2", 5), ("s2", "1/2", 5)],
                                  "a12": {"to": "s2", "r": 10}},
                           "s2": {"a21": {"to": "s2", "r": -1}}},
            actions={"s1": ["a11", "a12"], "s2": ["a21"]}, discount=1)
    best = average_optimal(m)
    assert best.gain == {"s1": -1, "s2": -1}
    assert best.bias == {"s1": 12, "s2": 0}
    assert best.policy["s1"] == ("a11",)
    assert best.gain_optimal["s1"] == ("a11", "a12")


# -- independent computations -----------------------------------------------------------
def numpy_gain_bias(m, choice):
    """P* as the Cesàro average of P^n, g = P* r, h = (I - P + P*)^{-1}(I - P*) r."""
    n = len(m.states)
    index = {s: i for i, s in enumerate(m.states)}
    P, r = np.zeros((n, n)), np.zeros(n)
    for s in m.states:
        i = index[s]
        if m.is_terminal(s):
            P[i, i] = 1
            continue
        for o in m.outcomes(s, choice[s]):
            P[i, index[o.next_state]] += float(o.probability)
            r[i] += float(o.probability * o.reward)
    power, total = np.eye(n), np.zeros((n, n))
    for _ in range(4000):
        total += power
        power = power @ P
    star = total / 4000
    g = star @ r
    h = np.linalg.solve(np.eye(n) - P + star, (np.eye(n) - star) @ r)
    return g, h


def test_gridworld_gain_and_bias_match_numpy():
    m = gridworld(3, 3, discount=1)
    rng = random.Random(5)
    for _ in range(3):
        choice = {s: rng.choice(m.actions(s)) for s in m.nonterminal}
        result = average_reward(m, choice)
        g, h = numpy_gain_bias(m, choice)
        assert np.allclose([float(result.gain[s]) for s in m.states], g, atol=2e-3)
        assert np.allclose([float(result.bias[s]) for s in m.states], h, atol=2e-2)
        assert equations_hold(result)


def test_laurent_terms_match_the_series_of_v_gamma():
    m = puterman_two_state_average().replace(discount=gamma)
    for choice in ({"s1": "a11", "s2": "a21"}, {"s1": "a12", "s2": "a22"}):
        result = average_reward(m, choice)
        v = solve_v(m, choice)
        u = Symbol("u")
        for s in m.states:
            series = sympy.series(v[s].subs(gamma, 1 - u), u, 0, 2).removeO()
            ours = result.gain[s] / u + result.bias[s] + result.c1[s] * u
            assert sympy.simplify(series - ours) == 0


def test_symbolic_probabilities():
    p = Symbol("p")
    m = MDP(["a", "b"], {"a": [("a", "1 - p", 1), ("b", "p", 1)],
                         "b": [("a", "p", 0), ("b", "1 - p", 0)]}, symbols=["p"])
    result = average_reward(m)
    assert result.gain == {"a": Rational(1, 2), "b": Rational(1, 2)}
    assert sympy.simplify(result.bias["a"] - 1 / (4 * p)) == 0
    assert equations_hold(result)


def test_chain_structure_of_a_terminal_model():
    from symbellman.model.examples import student_mdp

    structure = chain_structure(student_mdp())
    assert structure.classes == (("Sleep",),)
    assert set(structure.transient) == {"Facebook", "Class1", "Class2", "Class3"}


# -- pymdptoolbox side by side ------------------------------------------------------------
def _arrays(m):
    S = len(m.states)
    actions = max(len(m.actions(s)) for s in m.states)
    P, R = np.zeros((actions, S, S)), np.zeros((S, actions))
    for i, s in enumerate(m.states):
        acts = m.actions(s)
        for k in range(actions):
            a = acts[min(k, len(acts) - 1)]  # a state with fewer actions repeats its last
            for o in m.outcomes(s, a):
                P[k, i, m.index(o.next_state)] += float(o.probability)
                R[i, k] += float(o.probability * o.reward)
    return P, R


def test_pymdptoolbox_finite_horizon_agrees():
    mdptoolbox = pytest.importorskip("mdptoolbox.mdp")
    from symbellman.solve.horizon import finite_horizon_optimal

    m = puterman_two_state()
    P, R = _arrays(m)
    theirs = mdptoolbox.FiniteHorizon(P, R, 1, 2)
    theirs.run()
    ours = finite_horizon_optimal(m)
    # their V[:, n] is the value with N - n decisions left
    for n, k in ((0, 2), (1, 1)):
        assert [float(ours.v_star(k)[s]) for s in m.states] == pytest.approx(theirs.V[:, n])


def test_pymdptoolbox_relative_value_iteration_where_it_applies_and_not():
    mdptoolbox = pytest.importorskip("mdptoolbox.mdp")
    # unichain and aperiodic: they agree (20/7)
    P, R = _arrays(puterman_two_state_average())
    theirs = mdptoolbox.RelativeValueIteration(P, R, epsilon=1e-9)
    theirs.run()
    assert theirs.average_reward == pytest.approx(20 / 7, abs=1e-6)
    # periodic chains: they stop at the iteration limit with gain 0.0; exact: 1/2 and 1/3
    for make, exact in ((exercise_10_6, Rational(1, 2)), (exercise_10_7, Rational(1, 3))):
        m = make()
        P = np.zeros((1, len(m.states), len(m.states)))
        R = np.zeros((len(m.states), 1))
        for i, s in enumerate(m.states):
            for o in m.outcomes(s):
                P[0, i, m.index(o.next_state)] = 1
                R[i, 0] = float(o.reward)
        theirs = mdptoolbox.RelativeValueIteration(P, R)
        theirs.run()
        assert theirs.average_reward == 0.0 and theirs.iter == theirs.max_iter
        assert set(average_reward(m).gain.values()) == {exact}
    # multichain: one number (2.0) for gains that are 3 and 2
    P, R = _arrays(multichain())
    theirs = mdptoolbox.RelativeValueIteration(P, R)
    theirs.run()
    assert np.isscalar(theirs.average_reward) and theirs.average_reward == 2.0
    best = average_optimal(multichain())
    assert (best.gain["x"], best.gain["y"]) == (3, 2)


# -- brute force over every deterministic policy -------------------------------------------
def fraction_gain_bias(m, choice):
    """Gain and bias in Fractions, computed here: P* as the average of P^k over blocks of
    n! steps (a multiple of every period), repeated until it settles, then rounded to
    the nearest fraction with a small denominator (the models have denominators <= 6);
    g = P* r and (I - P + P*) h = r - g by Gauss-Jordan elimination."""
    import math
    from fractions import Fraction as F

    states = list(m.states)
    n = len(states)
    index = {s: i for i, s in enumerate(states)}
    P = [[F(0)] * n for _ in range(n)]
    r = [F(0)] * n
    for s in states:
        for o in m.outcomes(s, choice[s]):
            P[index[s]][index[o.next_state]] += F(str(o.probability))
            r[index[s]] += F(str(o.probability)) * F(str(o.reward))
    power = [[F(int(i == j)) for j in range(n)] for i in range(n)]
    period, averaged = math.factorial(n), None
    for _ in range(60):
        block = [[F(0)] * n for _ in range(n)]
        for _ in range(period):
            block = [[block[i][j] + power[i][j] for j in range(n)] for i in range(n)]
            power = [[sum(power[i][k] * P[k][j] for k in range(n)) for j in range(n)]
                     for i in range(n)]
        block = [[x / period for x in row] for row in block]
        if averaged is not None and all(abs(block[i][j] - averaged[i][j]) < F(1, 10**12)
                                        for i in range(n) for j in range(n)):
            break
        averaged = block
    star = [[x.limit_denominator(10**6) for x in row] for row in averaged]
    g = [sum(star[i][j] * r[j] for j in range(n)) for i in range(n)]
    M = [[F(int(i == j)) - P[i][j] + star[i][j] for j in range(n)] + [r[i] - g[i]]
         for i in range(n)]
    for c in range(n):
        pivot = next(k for k in range(c, n) if M[k][c] != 0)
        M[c], M[pivot] = M[pivot], M[c]
        M[c] = [x / M[c][c] for x in M[c]]
        for k in range(n):
            if k != c and M[k][c] != 0:
                M[k] = [a - M[k][c] * b for a, b in zip(M[k], M[c])]
    h = [M[k][n] for k in range(n)]
    return dict(zip(states, g)), dict(zip(states, h))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_optimal_gain_and_bias_against_every_policy(seed):
    # g* is the state-wise best gain over the 8 deterministic policies, h* the best bias
    # among the gain-optimal ones (bias optimality), and an action is gain optimal when
    # some gain-optimal policy takes it
    import itertools
    from fractions import Fraction as F

    rng = random.Random(seed)
    states = ["a", "b", "c"]
    transitions = {}
    for s in states:
        transitions[s] = {}
        for act in ("x", "y"):
            targets = rng.sample(states, rng.choice([1, 2]))
            weights = [rng.randint(1, 3) for _ in targets]
            transitions[s][act] = [(t, f"{w}/{sum(weights)}", rng.randint(-3, 4))
                                   for t, w in zip(targets, weights)]
    m = MDP(states, transitions, actions={s: ["x", "y"] for s in states}, discount=1)
    results = {}
    for combo in itertools.product(("x", "y"), repeat=3):
        choice = dict(zip(states, combo))
        results[combo] = fraction_gain_bias(m, choice)
    g_star = {s: max(g[s] for g, _ in results.values()) for s in states}
    gain_optimal = [c for c, (g, _) in results.items() if all(g[s] == g_star[s] for s in states)]
    h_star = {s: max(results[c][1][s] for c in gain_optimal) for s in states}
    best = average_optimal(m)
    assert {s: F(str(x)) for s, x in best.gain.items()} == g_star
    assert {s: F(str(x)) for s, x in best.bias.items()} == h_star
    for s in states:
        used = {c[states.index(s)] for c in gain_optimal}
        assert set(best.gain_optimal[s]) == used


def test_puterman_chan_table_7_3_partial_laurent():
    # (1 - gamma) v_gamma and v_gamma - g/(1 - gamma) - h for the policy of Example 7.3
    m = puterman_two_state_average()
    choice = {"s1": "a11", "s2": "a22"}
    result = average_reward(m, choice)
    printed = {Rational(9, 10): ((2.719, 2.563), (-0.0347, 0.0694)),
               Rational(99, 100): ((2.672, 2.656), (-0.0037, 0.0074))}
    for g, (scaled, rest) in printed.items():
        v = solve_v(m.replace(discount=g), choice)
        for i, s in enumerate(m.states):
            assert abs(float((1 - g) * v[s]) - scaled[i]) <= 5e-4 + 1e-12  # 2.5625 -> 2.563
            remainder = v[s] - result.gain[s] / (1 - g) - result.bias[s]
            assert abs(float(remainder) - rest[i]) < 5e-5
            # the next Laurent term accounts for it: c1 (1 - gamma) to first order
            assert abs(float(remainder - result.c1[s] * (1 - g))) < float((1 - g) ** 2) * 10


def test_blackwell_laurent_terms_are_g_star_and_h_star():
    # the Laurent expansion of the last piece's values (analysis.laurent_at_one, an
    # independent route through the closed forms in gamma) gives the same g* and h*
    from symbellman import Policy, laurent_at_one, optimal_pieces

    for m in (puterman_two_state_average(), multichain()):
        best = average_optimal(m)
        symbolic = m.replace(discount=gamma)
        last = optimal_pieces(symbolic)[-1]
        choice = {s: acts[0] for s, acts in last.policy.items()}
        expansion = laurent_at_one(symbolic, Policy.deterministic(symbolic, choice))
        for s in m.nonterminal:
            assert expansion.gain[s] == best.gain[s] and expansion.bias[s] == best.bias[s]
