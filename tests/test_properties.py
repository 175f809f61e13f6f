"""Property tests: 1,000 random MDPs checked against an independent exact solver.

Each example draws a small MDP with random rational probabilities and rewards, a random
rational discount γ₀ in (0, 1), and checks symbellman against this file's own
Fraction Gaussian elimination (no SymPy, no flint) and against NumPy:

- the closed form v_π(γ) at γ₀ equals the exact solution of (I − γ₀ P_π) v = r_π,
  and NumPy's ``linalg.solve`` to 1e-9;
- the exact Bellman residual of v_π at γ₀ is 0;
- v* at γ₀ is at least the value of every deterministic policy (all enumerated), and
  equal to the best of them, state by state;
- the flint and pure-Python backends print the same closed forms.

The run is derandomized with a fixed number of examples, so CI checks the same MDPs
every time (``pytest -m slow`` runs only these).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from symbellman import MDP, Policy, solve_v
from symbellman.optimal import optimal
from symbellman.symbols import gamma

EXAMPLES = int(__import__("os").environ.get("PROPERTY_EXAMPLES", 1000))

CI = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), print_blob=True)


@st.composite
def mdps(draw):
    """(states, actions, outcomes, terminal, γ₀): a random finite MDP with exact numbers."""
    n = draw(st.integers(1, 3))
    states = [f"s{i}" for i in range(n)]
    terminal = ["T"] if draw(st.booleans()) else []
    targets = states + terminal
    actions, outcomes = {}, {}
    for s in states:
        actions[s] = [f"a{k}" for k in range(draw(st.integers(1, 3)))]
        for a in actions[s]:
            chosen = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3,
                                   unique=True))
            weights = [draw(st.integers(1, 9)) for _ in chosen]
            total = sum(weights)
            outcomes[s, a] = [(t, Fraction(w, total),
                               Fraction(draw(st.integers(-20, 20)), draw(st.integers(1, 5))))
                              for t, w in zip(chosen, weights)]
    den = draw(st.integers(2, 50))
    g0 = Fraction(draw(st.integers(1, den - 1)), den)
    return states, terminal, actions, outcomes, g0


def build(states, terminal, actions, outcomes, discount=gamma) -> MDP:
    return MDP(states + terminal,
               {s: {a: list(outcomes[s, a]) for a in actions[s]} for s in states},
               actions=actions, terminal=terminal, discount=discount)


# -- the independent solver: Fractions and Gaussian elimination ------------------------------
def solve_exact(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """x with matrix · x = rhs, by Gauss–Jordan elimination over the rationals."""
    n = len(rhs)
    rows = [list(matrix[i]) + [rhs[i]] for i in range(n)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        head = rows[col][col]
        rows[col] = [x / head for x in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[col])]
    return [rows[i][n] for i in range(n)]


def chain(states, outcomes, policy):
    """P_π and r_π of a policy given as {state: {action: probability}}."""
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    P = [[Fraction(0)] * n for _ in range(n)]
    r = [Fraction(0)] * n
    for s in states:
        for a, w in policy[s].items():
            for t, p, reward in outcomes[s, a]:
                r[index[s]] += w * p * reward
                if t in index:  # a terminal successor contributes value 0
                    P[index[s]][index[t]] += w * p
    return P, r


def evaluate(states, outcomes, policy, g0) -> list[Fraction]:
    P, r = chain(states, outcomes, policy)
    n = len(states)
    A = [[Fraction(int(i == j)) - g0 * P[i][j] for j in range(n)] for i in range(n)]
    return solve_exact(A, r)


@pytest.mark.slow
@CI
@given(mdps())
def test_random_mdps_against_an_independent_solver(model):
    states, terminal, actions, outcomes, g0 = model
    mdp = build(states, terminal, actions, outcomes)
    uniform = {s: {a: Fraction(1, len(actions[s])) for a in actions[s]} for s in states}

    # the closed form in γ, at γ₀, against exact elimination and NumPy
    v = solve_v(mdp, Policy.uniform(mdp))
    at = v.at(gamma=g0)
    expected = evaluate(states, outcomes, uniform, g0)
    got = [Fraction(int(at[s].p), int(at[s].q)) for s in states]
    assert got == expected
    assert all(at[t] == 0 for t in terminal)
    P, r = chain(states, outcomes, uniform)
    A = np.eye(len(states)) - float(g0) * np.array(P, dtype=float)
    assert np.allclose(np.linalg.solve(A, np.array(r, dtype=float)),
                       [float(x) for x in got], rtol=1e-9, atol=1e-9)

    # the exact Bellman residual is zero
    value = dict(zip(states, got)) | {t: Fraction(0) for t in terminal}
    for s in states:
        backup = sum(w * p * (reward + g0 * value[t])
                     for a, w in uniform[s].items() for t, p, reward in outcomes[s, a])
        assert value[s] - backup == 0

    # both backends: the same text
    python = solve_v(mdp, Policy.uniform(mdp), backend="python")
    flint = solve_v(mdp, Policy.uniform(mdp), backend="flint")
    assert [python.text(s) for s in mdp.states] == [flint.text(s) for s in mdp.states]

    # v* at γ₀ dominates every deterministic policy and equals the best one
    best = optimal(build(states, terminal, actions, outcomes, discount=g0))
    v_star = [Fraction(int(best.v_star[s].p), int(best.v_star[s].q)) for s in states]
    values = [evaluate(states, outcomes, {s: {a: Fraction(1)} for s, a in zip(states, choice)},
                       g0)
              for choice in itertools.product(*(actions[s] for s in states))]
    for vals in values:
        assert all(star >= x for star, x in zip(v_star, vals))
    assert v_star == [max(vals[i] for vals in values) for i in range(len(states))]
