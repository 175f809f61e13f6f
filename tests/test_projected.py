"""The projected Bellman equation of linear TD(0): published thresholds, NumPy, Fractions."""

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy
from sympy import Rational, Symbol

from symbellman import MDP, ModelError, Policy
from symbellman.projected import state_distribution, td_fixed_point

g = Symbol("gamma")


def two_state(eps="0"):
    """Sutton & Barto §11.2: values w and 2w; the second state ends with probability eps."""
    second = [("s2", f"1 - ({eps})", 0), ("end", eps, 0)] if eps != "0" else [("end", 1, 0)]
    symbols = ["eps"] if eps == "eps" else None
    return MDP(["s1", "s2", "end"], {"s1": [("s2", 1, 0)], "s2": second}, terminal=["end"],
               symbols=symbols)


def baird(discount="0.99"):
    """Sutton & Barto Figure 11.1 (Baird 1995): six upper states with value 2w_i + w_8, the
    lower state w_7 + 2w_8; dashed goes to an upper state uniformly, solid to the lower."""
    upper = [f"s{i}" for i in range(1, 7)]
    states = upper + ["s7"]
    transitions = {s: {"dashed": [{"to": u, "p": "1/6"} for u in upper],
                       "solid": {"to": "s7"}} for s in states}
    mdp = MDP(states, transitions, actions={s: ["dashed", "solid"] for s in states},
              discount=discount)
    features = {u: [2 if j == i else 0 for j in range(6)] + [0, 1] for i, u in enumerate(upper)}
    features["s7"] = [0] * 6 + [1, 2]
    target = {s: "solid" for s in states}
    behavior = {s: {"dashed": "6/7", "solid": "1/7"} for s in states}
    return mdp, target, features, behavior


def baird_numpy(gamma):
    X = np.zeros((7, 8))
    for i in range(6):
        X[i, i], X[i, 7] = 2, 1
    X[6, 6], X[6, 7] = 1, 2
    P = np.zeros((7, 7))
    P[:, 6] = 1
    return X.T @ (np.eye(7) / 7) @ (np.eye(7) - gamma * P) @ X


# -- published thresholds ----------------------------------------------------------------
def test_w_to_2w_diverges_above_one_half():
    # Sutton & Barto §11.2: w_{t+1} = (1 + α(2γ − 1)) w_t, unstable for γ > 1/2
    td = td_fixed_point(two_state(), None, {"s1": [1], "s2": [2]}, {"s1": 1})
    assert sympy.expand(td.A[0, 0] - (1 - 2 * g)) == 0
    band = td.stability
    assert [(i.start, i.end) for i in band.intervals] == [(0, Rational(1, 2))]
    assert band.intervals[0].closed_start
    assert band.singular_at == (Rational(1, 2),)
    assert band.is_stable_at(Rational(49, 100)) and not band.is_stable_at(Rational(51, 100))


@pytest.mark.parametrize("eps", [Rational(0), Rational(1, 8), Rational(1, 5)])
def test_example_11_1_threshold(eps):
    # Sutton & Barto Example 11.1: divergence for γ > 5/(6 − 4ε)
    mdp = two_state("eps").subs({"eps": eps})
    td = td_fixed_point(mdp, None, {"s1": [1], "s2": [2]}, "uniform")
    assert td.stable_intervals() == [(0, 5 / (6 - 4 * eps))]


@pytest.mark.parametrize("eps", [Rational(1, 4), Rational(1, 2)])
def test_example_11_1_stable_on_all_of_the_range(eps):
    # 5/(6 − 4ε) >= 1 for ε >= 1/4: no γ in [0, 1) diverges
    mdp = two_state("eps").subs({"eps": eps})
    td = td_fixed_point(mdp, None, {"s1": [1], "s2": [2]}, "uniform")
    assert td.stable_intervals() == [(0, 1)]


def test_example_11_1_symbolic_condition():
    td = td_fixed_point(two_state("eps"), None, {"s1": [1], "s2": [2]}, "uniform")
    eps = Symbol("eps")
    (condition,) = td.stability.conditions
    assert sympy.cancel(condition / (5 - (6 - 4 * eps) * g)) == Rational(1, 2)
    assert td.stability.intervals is None
    assert td.stability.is_stable_at(Rational(1, 2)) is None


def test_baird_matrices_match_numpy():
    mdp, target, features, behavior = baird(discount=g)
    td = td_fixed_point(mdp, target, features, "behavior", behavior=behavior)
    # the behaviour policy visits the seven states uniformly (Sutton & Barto §11.2)
    assert set(td.distribution.values()) == {Rational(1, 7)}
    for value in (0.3, 0.77, 0.99):
        A = np.array(td.A.subs(g, value).tolist(), dtype=float)
        assert np.allclose(A, baird_numpy(value))
    assert td.feature_rank == 7 and td.stability.deflated == 1


def test_baird_values_and_fixed_point_set():
    mdp, target, features, behavior = baird()
    td = td_fixed_point(mdp, target, features, "behavior", behavior=behavior)
    # rewards are 0: v_pi = 0 is represented, and every fixed point gives it
    assert set(td.values.values()) == {0}
    assert not td.is_unique and td.values_unique
    (d,) = td.directions
    X = np.array([features[s] for s in mdp.nonterminal], dtype=float)
    assert np.allclose(X @ np.array([float(d[w]) for w in td.feature_names]), 0)


def test_baird_stability_breakpoint_against_numpy_eigenvalues():
    mdp, target, features, behavior = baird()
    td = td_fixed_point(mdp, target, features, "behavior", behavior=behavior)
    (interval,) = td.stability.intervals
    assert interval.start == 0
    point = float(interval.end)
    assert 0.5 < point < 0.99  # γ = 0.99 of the book diverges
    # the least real part among the eigenvalues other than the null direction of X
    def worst(value):
        eig = sorted(np.linalg.eigvals(baird_numpy(value)), key=lambda z: abs(z))[1:]
        return min(z.real for z in eig)
    assert worst(point - 1e-4) > 0 > worst(point + 1e-4)
    # NumPy puts the crossing at 15/17 to rounding error: a pair of eigenvalues ±0.25i
    assert interval.end == Rational(15, 17) and abs(worst(15 / 17)) < 1e-12
    assert td.stability.is_stable_at(mdp.discount) is False


def test_baird_on_policy_distribution_converges():
    # Sutton & Barto §11.2: with the on-policy distribution the same updates converge
    mdp, target, features, _ = baird(discount=g)
    td = td_fixed_point(mdp, target, features, "on-policy")
    assert td.distribution["s7"] == 1
    assert td.stable_intervals() == [(0, 1)]


# -- an independent NumPy computation ------------------------------------------------------
def _random_chain(rng, n):
    P = rng.integers(0, 4, size=(n, n)).astype(object)
    P[np.arange(n), (np.arange(n) + 1) % n] += 1  # a ring: irreducible
    P = [[Fraction(int(x), int(sum(row))) for x in row] for row in P]
    r = [int(x) for x in rng.integers(-3, 4, size=n)]
    return P, r


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_against_numpy_at_random_gamma(seed):
    rng = np.random.default_rng(seed)
    n, k = 6, 3
    P, r = _random_chain(rng, n)
    states = [f"s{i}" for i in range(n)]
    mdp = MDP(states, {s: [(states[j], P[i][j], r[i]) for j in range(n) if P[i][j]]
                       for i, s in enumerate(states)})
    X = rng.integers(-2, 3, size=(n, k))
    td = td_fixed_point(mdp, None, X.tolist(), "on-policy")
    Pf = np.array(P, dtype=float)
    w, vecs = np.linalg.eig(Pf.T)
    d = np.real(vecs[:, np.argmin(abs(w - 1))])
    d = d / d.sum()
    assert np.allclose([float(td.distribution[s]) for s in states], d)
    for value in rng.uniform(0, 1, size=3):
        A = X.T @ np.diag(d) @ (np.eye(n) - value * Pf) @ X
        b = X.T @ np.diag(d) @ np.array(r, dtype=float)
        assert np.allclose(np.array(td.A.subs(g, value).tolist(), dtype=float), A)
        assert np.allclose(np.array(td.b.tolist(), dtype=float).ravel(), b)
        theta = [float(td.theta[w].subs(g, value)) for w in td.feature_names]
        assert np.allclose(theta, np.linalg.solve(A, b))
        eig = np.linalg.eigvals(A)
        assert td.stability.is_stable_at(sympy.nsimplify(value)) == bool(min(eig.real) > 0)


@pytest.mark.parametrize("seed", [3, 4])
def test_error_bound_holds_on_policy(seed):
    rng = np.random.default_rng(seed)
    n = 5
    P, r = _random_chain(rng, n)
    states = [f"s{i}" for i in range(n)]
    mdp = MDP(states, {s: [(states[j], P[i][j], r[i]) for j in range(n) if P[i][j]]
                       for i, s in enumerate(states)})
    X = rng.integers(-2, 3, size=(n, 2))
    td = td_fixed_point(mdp, None, X.tolist())
    check = td.error_bound()
    assert check.on_policy and check.holds is True
    # the squared errors against NumPy at γ = 0.9
    Pf = np.array(P, dtype=float)
    d = np.array([float(td.distribution[s]) for s in states])
    v = np.linalg.solve(np.eye(n) - 0.9 * Pf, np.array(r, dtype=float))
    theta = np.array([float(td.theta[w].subs(g, 0.9)) for w in td.feature_names])
    e = X @ theta - v
    assert np.isclose(float(check.td_error.subs(g, 0.9)), e @ np.diag(d) @ e)
    best = np.linalg.lstsq(np.diag(np.sqrt(d)) @ X, np.sqrt(d) * v, rcond=None)[0]
    f = X @ best - v
    assert np.isclose(float(check.best_error.subs(g, 0.9)), f @ np.diag(d) @ f)


# -- distributions, with Fractions -------------------------------------------------------
def test_episodic_on_policy_distribution_by_hand():
    from symbellman.model.examples import student_mdp

    mdp = student_mdp()
    # η = h + P_πᵀ η from Class1: η(F) = η(C1) = 28/13, η(C2) = 16/13, η(C3) = 10/13
    d = state_distribution(mdp, Policy.uniform(mdp), start={"Class1": 1})
    eta = [Fraction(28, 13), Fraction(28, 13), Fraction(16, 13), Fraction(10, 13)]
    assert [Fraction(str(x)) for x in d] == [e / sum(eta) for e in eta]


def test_stationary_distribution_symbolic():
    p, q = sympy.symbols("p q")
    mdp = MDP(["a", "b"], {"a": [("b", "p", 0), ("a", "1 - p", 0)],
                           "b": [("a", "q", 1), ("b", "1 - q", 1)]}, symbols=["p", "q"])
    d = state_distribution(mdp, Policy.uniform(mdp))
    assert sympy.cancel(d[0] - q / (p + q)) == 0 and sympy.cancel(d[1] - p / (p + q)) == 0


def test_explicit_distribution_is_normalised():
    td = td_fixed_point(two_state(), None, {"s1": [1], "s2": [2]}, {"s1": 3, "s2": 1})
    assert td.distribution == {"s1": Rational(3, 4), "s2": Rational(1, 4)}


def test_duplicate_features_give_an_affine_set():
    mdp = MDP(["a", "b"], {"a": [("b", 1, 1)], "b": [("a", 1, 0)]}, discount="1/2")
    td = td_fixed_point(mdp, None, [[1, 1], [1, 1]], "uniform")
    assert not td.is_unique and td.values_unique
    (d,) = td.directions
    assert d["w1"] + d["w2"] == 0
    # one effective feature, constant: (1 − γ)c = 1/2 at γ = 1/2 gives c = 1 = θ1 + θ2
    assert td.theta["w1"] + td.theta["w2"] == 1


@pytest.mark.parametrize("call, message", [
    (lambda m: td_fixed_point(m, None, {"s1": [1], "s2": [2]}), "needs 'start'"),
    (lambda m: td_fixed_point(m, None, {"s1": [1], "s2": [2]}, "stationary"),
     "unknown distribution"),
    (lambda m: td_fixed_point(m, None, {"s1": [1]}, "uniform"), "no features for state 's2'"),
    (lambda m: td_fixed_point(m, None, {"s1": [1], "s2": [2, 3]}, "uniform"), "2 features"),
    (lambda m: td_fixed_point(m, None, {"s1": [1], "s2": [2]}, {"s1": 0}), "all zero"),
    (lambda m: td_fixed_point(m, None, {"s1": [1], "s2": [2]}, {"end": 1}), "terminal"),
    (lambda m: td_fixed_point(m, None, {"s1": [1], "s2": [2]}, "behavior"), "behaviour"),
])
def test_bad_input_is_a_located_error(call, message):
    with pytest.raises(ModelError, match=message):
        call(two_state())


def test_two_closed_classes_have_no_unique_stationary_distribution():
    mdp = MDP(["a", "b"], {"a": [("a", 1, 0)], "b": [("b", 1, 0)]})
    with pytest.raises(ModelError, match="2 closed classes"):
        td_fixed_point(mdp, None, [[1], [1]])


def test_behaviour_must_cover_the_target():
    mdp, target, features, _ = baird()
    with pytest.raises(ModelError, match="never takes 'solid'"):
        td_fixed_point(mdp, target, features, "behavior",
                       behavior={s: "dashed" for s in mdp.nonterminal})


def test_benchmark_gridworld_row_against_numpy():
    # benchmarks/td_case.py: Sutton & Barto's gridworld, uniform policy, cubic features
    from benchmarks.td_case import features, rows, run

    (row,) = rows(quick=True)
    assert row["median_s"] > 0 and row["degree"] >= 1
    json.dumps(row)  # the suite writes its rows as JSON
    td, theta, band = run(5)
    n = 25
    X = np.array(features(5), dtype=float)
    P = np.zeros((n, n))
    r = np.zeros(n)
    index = {s: i for i, s in enumerate(td.mdp.nonterminal)}
    for s in td.mdp.nonterminal:
        for a in td.mdp.actions(s):
            for o in td.mdp.outcomes(s, a):
                P[index[s], index[o.next_state]] += float(o.probability) / 4
                r[index[s]] += float(o.probability * o.reward) / 4
    w, vecs = np.linalg.eig(P.T)
    d = np.real(vecs[:, np.argmin(abs(w - 1))])
    d /= d.sum()
    A = X.T @ np.diag(d) @ (np.eye(n) - 0.9 * P) @ X
    b = X.T @ np.diag(d) @ r
    expected = np.linalg.solve(A, b)
    assert np.allclose([float(theta[w].subs(g, 0.9)) for w in td.feature_names], expected)


def test_a_symbolic_reward_leaves_the_band_in_gamma():
    # a symbol in r_π reaches b and θ but not A: the band is still [0, 1/2)
    mdp = MDP(["s1", "s2", "end"], {"s1": [("s2", 1, "a")], "s2": [("end", 1, 0)]},
              terminal=["end"], symbols=["a"])
    td = td_fixed_point(mdp, None, {"s1": [1], "s2": [2]}, {"s1": 1})
    assert td.stable_intervals() == [(0, Rational(1, 2))]
    # θ = a/(1 − 2γ): (1 − 2γ)θ = a
    assert sympy.cancel(td.theta["w1"] * (1 - 2 * g) - Symbol("a")) == 0


def test_error_bound_with_a_symbolic_reward():
    # on-policy ring of two states, reward a on one move: both sides scale with a²,
    # so the bound is decided for every a
    mdp = MDP(["x", "y"], {"x": [("y", 1, "a")], "y": [("x", 1, 0)]}, symbols=["a"])
    td = td_fixed_point(mdp, None, [[1], [1]])
    check = td.error_bound()
    # by hand: v = (a, aγ)/(1 − γ²), θ = a/(2(1 − γ)) is also the best constant, and it
    # misses each state by a/(2(1 + γ))
    a = Symbol("a")
    expected = a ** 2 / (4 * (1 + g) ** 2)
    assert sympy.cancel(check.td_error - expected) == 0
    assert sympy.cancel(check.best_error - expected) == 0
    assert check.holds is None  # (1 − γ²)e² ≤ e² needs a real; a stays a symbol
    assert td.distribution == {"x": Rational(1, 2), "y": Rational(1, 2)}


def test_episodic_on_policy_td_is_stable_and_matches_numpy():
    from symbellman.model.examples import student_mdp

    mdp = student_mdp(discount=g)
    X = [[1, 0], [1, 1], [0, 1], [1, 2]]  # Facebook, Class1, Class2, Class3
    td = td_fixed_point(mdp, None, X, start={"Class1": 1})
    # on-policy (9.2)–(9.3): the expected update is stable for every γ in [0, 1)
    assert td.stable_intervals() == [(0, 1)]
    d = np.array([14, 14, 8, 5]) / 41  # by hand above
    P = np.array([[0.5, 0.5, 0, 0], [0.5, 0, 0.5, 0], [0, 0, 0, 0.5], [0, 0.1, 0.2, 0.2]])
    r = np.array([-0.5, -1.5, -1, 5.5])  # r_π of the uniform policy (Silver, Lecture 2)
    Xf = np.array(X, dtype=float)
    for value in (0.25, 0.9):
        A = Xf.T @ np.diag(d) @ (np.eye(4) - value * P) @ Xf
        assert np.allclose(np.array(td.A.subs(g, value).tolist(), dtype=float), A)
        theta = [float(td.theta[w].subs(g, value)) for w in td.feature_names]
        assert np.allclose(theta, np.linalg.solve(A, Xf.T @ np.diag(d) @ r))


def test_the_td_family_is_a_record_of_its_own():
    from symbellman.model.examples import w_to_2w
    from symbellman.equations.families import family, general_form
    from symbellman.study import Study

    record = family("theta_TD")
    assert record.json == "theta" and record.arguments == ("feature",)
    assert general_form("projected").startswith(r"X\theta_{\mathrm{TD}}")
    study = Study(w_to_2w())
    td = study.result("theta_TD")
    assert td is study.result("theta_TD")  # solved once, kept
    assert record.data(td) == {"w": "0"}
    assert sympy.expand(td.A[0, 0] - (1 - 2 * g)) == 0
