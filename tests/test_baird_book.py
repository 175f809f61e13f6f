"""The shipped Baird's counterexample (examples/baird_star.yaml) against Sutton & Barto,
Reinforcement Learning: An Introduction, 2nd ed. (2018; 2020 printing), Section 11.2
"Examples of Off-policy Divergence", Figure 11.1, equation (11.9) and Figure 11.2.

What the book's text says, and each test below checks:

- "the episodic seven-state, two-action MDP shown in Figure 11.1. The dashed action takes
  the system to one of the six upper states with equal probability, whereas the solid
  action takes the system to the seventh state";
- "The behavior policy b selects the dashed and solid actions with probabilities 6/7 and
  1/7, so that the next-state distribution under it is uniform"; "The target policy π
  always takes the solid action"; "The reward is zero on all transitions. The discount
  rate is γ = 0.99";
- "the estimated value of the leftmost state is 2w1 + w8 ... a feature vector for the first
  state being x(1) = (2, 0, 0, 0, 0, 0, 0, 1)ᵀ"; w ∈ R⁸, "more components to the weight
  vector (8) than there are nonterminal states (7)", and the feature vectors are "a
  linearly independent set";
- the expected (DP) update (11.9), every state weighted 1/|S|, "is unstable" — "for any
  positive step size, no matter how small" — and Figure 11.2 shows it diverging from
  w = (1, 1, 1, 1, 1, 1, 10, 1)ᵀ with α = 0.01;
- "If we alter just the distribution of DP updates ... from the uniform distribution to
  the on-policy distribution ... then convergence is guaranteed".

The lower state's w7 + 2w8 is a label inside Figure 11.1's drawing, not in the text; the
test takes it from the figure (it also makes the Figure 11.2 start values 3 and 12). The
book states no threshold: the exact stability limit 15/17 is symbellman's, checked here
to lie below the book's 0.99 and, independently, by NumPy's eigenvalues.
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
import sympy

from symbellman.io import load_model
from symbellman.projected import td_fixed_point

BAIRD = Path(__file__).resolve().parents[1] / "examples" / "baird_star.yaml"
UPPER = [f"s{i}" for i in range(1, 7)]
LOWER = "s7"


def book_features() -> dict:
    """x(s): 2 w_i + w_8 for upper state i (the text's x(1), by the figure's symmetry),
    w_7 + 2 w_8 for the lower state (Figure 11.1's label)."""
    x = {s: [2 if j == i else 0 for j in range(7)] + [1] for i, s in enumerate(UPPER)}
    x[LOWER] = [0] * 6 + [1, 2]
    return x


def book_A(gamma: F, weights: dict) -> list[list[F]]:
    """A = Σ_s d(s) x(s) (x(s) − γ x(s'))ᵀ with the target policy's s' = s7 (11.9)."""
    x = book_features()
    return [[sum(weights[s] * x[s][i] * (x[s][j] - gamma * x[LOWER][j]) for s in x)
             for j in range(8)] for i in range(8)]


@pytest.fixture(scope="module")
def model():
    return load_model(BAIRD)


def test_the_mdp_is_the_books(model):
    mdp, policy = model
    assert list(mdp.states) == [*UPPER, LOWER]
    assert sympy.Rational(mdp.discount) == sympy.Rational(99, 100)  # γ = 0.99
    for s in mdp.states:
        dashed = {o.next_state: o.probability for o in mdp.outcomes(s, "dashed")}
        solid = {o.next_state: o.probability for o in mdp.outcomes(s, "solid")}
        assert dashed == {t: sympy.Rational(1, 6) for t in UPPER}  # equal probability
        assert solid == {LOWER: 1}
        assert all(o.reward == 0 for a in ("dashed", "solid") for o in mdp.outcomes(s, a))
        assert {a: w for a, w in policy(s).items() if w != 0} == {"solid": 1}  # π: solid
    spec = mdp.criteria.projection.behavior
    for s in mdp.states:  # b: dashed 6/7, solid 1/7
        assert {a: sympy.Rational(str(w)) for a, w in spec[s].items()} == {
            "dashed": sympy.Rational(6, 7), "solid": sympy.Rational(1, 7)}


def test_the_features_are_the_books(model):
    mdp, policy = model
    td = td_fixed_point(mdp, policy)
    x = book_features()
    assert x["s1"] == [2, 0, 0, 0, 0, 0, 0, 1]  # the text's x(1)
    rows = {s: [int(v) for v in row] for s, row in zip(td.states, td._rows)}
    assert rows == x
    assert len(td.feature_names) == 8 and len(td.states) == 7
    assert np.linalg.matrix_rank(np.array(list(x.values()), dtype=float)) == 7  # independent
    # Figure 11.2's start w = (1, 1, 1, 1, 1, 1, 10, 1): the upper states 3, the lower 12
    w0 = [1, 1, 1, 1, 1, 1, 10, 1]
    assert [sum(a * b for a, b in zip(x[s], w0)) for s in x] == [3] * 6 + [12]


def test_the_behaviour_distribution_is_uniform_and_A_is_11_9s(model):
    mdp, policy = model
    td = td_fixed_point(mdp, policy)
    assert td.distribution_kind == "behavior"
    assert set(td.distribution.values()) == {sympy.Rational(1, 7)}  # uniform next states
    uniform = {s: F(1, 7) for s in [*UPPER, LOWER]}
    A = book_A(F(99, 100), uniform)
    assert [[F(str(a)) for a in row] for row in td.A.tolist()] == A


def test_the_expected_update_diverges_at_099_for_any_step_size(model):
    mdp, policy = model
    td = td_fixed_point(mdp, policy)
    assert td.stability.is_stable_at(sympy.Rational(99, 100)) is False
    A = np.array(book_A(F(99, 100), {s: F(1, 7) for s in [*UPPER, LOWER]}), dtype=float)
    eig = np.linalg.eigvals(A)
    assert eig.real.min() < 0  # w ← w − αAw grows along it for every α > 0
    # Figure 11.2 (right): (11.9) from w0 with α = 0.01 diverges (b = 0: zero rewards)
    w = np.array([1, 1, 1, 1, 1, 1, 10, 1], dtype=float)
    for _ in range(1000):
        w = w - 0.01 * A @ w
    assert np.linalg.norm(w) > 10 * np.linalg.norm([1, 1, 1, 1, 1, 1, 10, 1])


def test_the_threshold_lies_below_the_books_discount(model):
    mdp, policy = model
    band = td_fixed_point(mdp, policy).stability
    assert [(i.start, i.end) for i in band.intervals] == [(0, sympy.Rational(15, 17))]
    assert sympy.Rational(15, 17) < sympy.Rational(99, 100)
    uniform = {s: F(1, 7) for s in [*UPPER, LOWER]}

    def least(g: F) -> float:
        ev = np.linalg.eigvals(np.array(book_A(g, uniform), dtype=float))
        return ev[np.abs(ev) > 1e-9].real.min()  # X has rank 7: one zero direction
    assert least(F(15, 17) - F(1, 1000)) > 0 > least(F(15, 17) + F(1, 1000))


def test_on_policy_updates_converge(model):
    mdp, policy = model
    # the on-policy distribution of π is concentrated in the seventh state
    td = td_fixed_point(mdp, policy, distribution={LOWER: 1})
    assert td.stability.is_stable_at(sympy.Rational(99, 100)) is True
    A = np.array(book_A(F(99, 100), {s: F(s == LOWER) for s in [*UPPER, LOWER]}),
                 dtype=float)
    assert np.linalg.eigvals(A).real.min() > -1e-12  # (1 − γ) x7 x7ᵀ: no direction grows
