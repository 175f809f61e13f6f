"""solve_v / solve_q: published values, exact algebra, and properties on random MDPs."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings, strategies as st
from sympy import Matrix, Rational, Symbol, cancel, eye

from symbellman import MDP, Policy, SolveError, ModelError, solve_q, solve_v
from symbellman.model.examples import (recycling_robot, student_mdp, student_mrp,
                                 two_state_symbolic)
from symbellman.core.symbols import gamma


def bellman_residual_v(mdp, policy, v, discount):
    """v(s) − Σ_a π(a|s) Σ_s' p [r + γ v(s')], for every non-terminal state (exact)."""
    out = {}
    for s in mdp.nonterminal:
        rhs = sum(policy.weight(s, a) * o.probability * (o.reward + discount * v[o.next_state])
                  for a in mdp.actions(s) for o in mdp.outcomes(s, a))
        out[s] = cancel(sympy.together(v[s] - rhs))
    return out


# -- published values ------------------------------------------------------------------------
def test_student_mdp_uniform_policy_at_gamma_1():
    # David Silver, Lecture 2, "Example: State-Value Function for Student MDP" (γ = 1,
    # π(a|s) = 0.5): −2.3, −1.3, 2.7, 7.4; exact values −30/13, −17/13, 35/13, 96/13.
    v = solve_v(student_mdp(discount=1))
    assert [v[s] for s in ("Facebook", "Class1", "Class2", "Class3", "Sleep")] == [
        Rational(-30, 13), Rational(-17, 13), Rational(35, 13), Rational(96, 13), 0]


def test_student_mdp_closed_form_against_an_independent_solve():
    # David Silver, Lecture 2, "Example: Student MDP" (uniform random policy): the
    # Bellman expectation equations written out by hand from the slide's diagram and
    # solved by SymPy's linsolve; −30/13 at γ = 1 is the slide's −2.3 exactly
    f, c1, c2, c3 = sympy.symbols("f c1 c2 c3")
    h = Rational(1, 2)
    equations = [
        f - (h * (-1 + gamma * f) + h * (0 + gamma * c1)),             # facebook / quit
        c1 - (h * (-1 + gamma * f) + h * (-2 + gamma * c2)),           # facebook / study
        c2 - (h * (0 + 0) + h * (-2 + gamma * c3)),                    # sleep / study
        c3 - (h * (10 + 0) + h * (1 + gamma * (Rational(1, 5) * c1 + Rational(2, 5) * c2
                                               + Rational(2, 5) * c3))),  # study / pub
    ]
    (solution,) = sympy.linsolve(equations, [f, c1, c2, c3])
    expected = cancel(solution[0])
    v = solve_v(student_mdp(discount=gamma))
    assert cancel(v["Facebook"] - expected) == 0
    assert v.denominator("Facebook") == 3 * gamma**4 + 6 * gamma**3 - 20 * gamma**2 \
        - 56 * gamma + 80
    assert v.at(gamma=1)["Facebook"] == Rational(-30, 13)
    # at γ = 0 a value is the expected immediate reward r_π(s)
    assert v.at(gamma=0)["Facebook"] == Rational(-1, 2)


@pytest.mark.parametrize("discount, expected", [
    # David Silver, Lecture 2, Student MRP value slides (γ = 1 and γ = 0.9), rounded there
    # the slides print whole numbers or one decimal: each value is right to half a unit
    # of its last printed digit
    (1, {"Class1": "-13", "Class2": "1.5", "Class3": "4.3", "Pass": "10", "Pub": "0.8",
         "Facebook": "-23"}),
    (Rational(9, 10), {"Class1": "-5.0", "Class2": "0.9", "Class3": "4.1", "Pass": "10",
                       "Pub": "1.9", "Facebook": "-7.6"}),
])
def test_student_mrp_slide_values(discount, expected):
    v = solve_v(student_mrp(discount=discount))
    for s, printed in expected.items():
        decimals = len(printed.partition(".")[2])
        assert abs(float(v[s]) - float(printed)) <= 0.5 * 10.0 ** -decimals + 1e-12


def test_q_from_v_student_mdp():
    # q_π(Class3, pub) = 1 + 0.2 v(Class1) + 0.4 v(Class2) + 0.4 v(Class3) at γ = 1
    q = solve_q(student_mdp())
    assert q["Class3", "pub"] == 1 + Rational(1, 5) * Rational(-17, 13) \
        + Rational(2, 5) * Rational(35, 13) + Rational(2, 5) * Rational(96, 13)
    assert q["Class3", "study"] == 10
    assert q.for_state("Class2") == {"sleep": 0, "study": -2 + Rational(96, 13)}


def test_q_satisfies_its_own_bellman_equation_symbolically():
    mdp = student_mdp(discount=gamma)
    pi = Policy.uniform(mdp)
    q = solve_q(mdp, pi)
    for s, a in mdp.state_action_pairs:
        rhs = sum(o.probability * (o.reward + gamma * sum(
            (pi.weight(o.next_state, b) * q[o.next_state, b]
             for b in mdp.actions(o.next_state)), sympy.Integer(0)))
            for o in mdp.outcomes(s, a))
        assert cancel(sympy.together(q[s, a] - rhs)) == 0


def test_symbolic_probabilities_recycling_robot_residual_is_zero():
    mdp = recycling_robot()
    pi = Policy.uniform(mdp)
    v = solve_v(mdp, pi)
    assert set(bellman_residual_v(mdp, pi, v, gamma).values()) == {0}
    q = solve_q(mdp, pi, v=v)
    alpha, beta = sympy.symbols("alpha beta")
    # Sutton & Barto (2018), eq. 3.x for the robot: q(low, recharge) = γ v(high)
    assert cancel(q["low", "recharge"] - gamma * v["high"]) == 0


def test_two_state_fully_symbolic_matches_matrix_inverse():
    mdp = two_state_symbolic()
    pi = Policy.uniform(mdp)
    v = solve_v(mdp, pi)
    from symbellman.model.induced import induced_chain
    chain = induced_chain(mdp, pi)
    ref = (eye(2) - gamma * chain.P).inv() * chain.r   # 2×2: plain SymPy is fine here
    for i, s in enumerate(chain.states):
        assert cancel(v[s] - ref[i]) == 0


def test_gamma_one_on_a_policy_that_never_ends_names_the_states():
    mdp = student_mdp(discount=1)
    loop = Policy.deterministic(mdp, {"Facebook": "facebook", "Class1": "facebook",
                                      "Class2": "sleep", "Class3": "study"})
    # Facebook and Class1 loop forever on −1 per step; Class2 and Class3 still end
    v = solve_v(mdp, loop)
    assert set(v.undefined) == {"Facebook", "Class1"}
    assert v["Facebook"] is sympy.nan and v.text("Class1") == "nan"
    assert v["Class2"] == 0 and v["Class3"] == 10  # sleep pays 0; study in Class3 pays 10
    with pytest.raises(SolveError, match="Facebook"):
        v.numerator("Facebook")
    # the closed form exists, and substituting γ = 1 names the same states
    v = solve_v(student_mdp(discount=gamma), Policy.deterministic(
        student_mdp(discount=gamma), {"Facebook": "facebook", "Class1": "facebook",
                                      "Class2": "sleep", "Class3": "study"}))
    with pytest.raises(SolveError, match="Facebook"):
        v.at(gamma=1)


def test_solve_q_on_an_mrp_is_a_clear_error():
    with pytest.raises(ModelError, match="no actions"):
        solve_q(student_mrp())


def test_policy_for_another_model_is_rejected():
    with pytest.raises(ModelError, match="different model"):
        solve_v(student_mdp(), Policy.uniform(student_mrp()))


def test_at_unknown_symbol_suggests_the_closest():
    v = solve_v(student_mdp(discount=gamma))
    with pytest.raises(ModelError, match="gamma"):
        v.at(gama=1)


def test_lowest_terms_and_normalised_sign():
    v = solve_v(student_mdp(discount=gamma))
    for s in v.mdp.nonterminal:
        num, den = sympy.fraction(v[s])
        assert sympy.gcd(num, den) == 1
        assert den.subs(gamma, 0) > 0


# -- properties on random MDPs ------------------------------------------------------------
@st.composite
def random_mdps(draw):
    n = draw(st.integers(1, 5))
    states = [f"s{i}" for i in range(n)] + ["end"]
    actions, transitions = {}, {}
    for i in range(n):
        acts = [f"a{k}" for k in range(draw(st.integers(1, 3)))]
        actions[states[i]] = acts
        transitions[states[i]] = {}
        for a in acts:
            targets = draw(st.lists(st.sampled_from(states), min_size=1, max_size=3))
            weights = draw(st.lists(st.integers(1, 6), min_size=len(targets),
                                    max_size=len(targets)))
            total = sum(weights)
            transitions[states[i]][a] = [
                {"to": t, "p": Rational(w, total), "r": draw(st.integers(-5, 5))}
                for t, w in zip(targets, weights)]
    return MDP(states, transitions, actions=actions, terminal=["end"])


@settings(max_examples=40, deadline=None)
@given(random_mdps(), st.fractions(min_value=0, max_value=1).filter(lambda f: f < 1))
def test_closed_form_equals_exact_rational_solve(mdp, g):
    g = Rational(g.numerator, g.denominator)
    pi = Policy.uniform(mdp)
    v = solve_v(mdp, pi)
    from symbellman.model.induced import induced_chain
    chain = induced_chain(mdp, pi)
    n = len(chain.states)
    reference = (eye(n) - g * chain.P).LUsolve(chain.r)   # independent exact solve
    at = v.at(gamma=g)
    for i, s in enumerate(chain.states):
        assert at[s] == reference[i]
        assert cancel(v[s].subs(gamma, g) - reference[i]) == 0


@settings(max_examples=30, deadline=None)
@given(random_mdps())
def test_bellman_residual_is_exactly_zero(mdp):
    pi = Policy.uniform(mdp)
    v = solve_v(mdp, pi)
    assert set(bellman_residual_v(mdp, pi, v, gamma).values()) <= {0}


@settings(max_examples=25, deadline=None)
@given(random_mdps())
def test_backends_agree(mdp):
    a = solve_v(mdp, backend="flint")
    b = solve_v(mdp, backend="python")
    assert a.as_dict() == b.as_dict()


@pytest.mark.parametrize("make", [student_mdp, recycling_robot, two_state_symbolic])
def test_text_reads_back_to_the_same_closed_form(make):
    mdp = make(discount=gamma) if make is student_mdp else make()
    q = solve_q(mdp)
    names = {s.name: s for s in (*q.symbols, *mdp.symbols, gamma)}
    for key in q:
        assert cancel(sympy.sympify(q.text(key), locals=names) - q[key]) == 0


def test_at_with_rationals_matches_substitution():
    mdp = recycling_robot()
    v = solve_v(mdp)
    alpha, beta = sympy.symbols("alpha beta")
    point = {"alpha": Rational(4, 5), "beta": Rational(1, 3), "gamma": Rational(9, 10)}
    partial = v.at(alpha=point["alpha"], beta=point["beta"])
    full = partial.at(gamma=point["gamma"])
    for s in mdp.states:
        expected = v[s].subs({alpha: point["alpha"], beta: point["beta"],
                              gamma: point["gamma"]})
        assert cancel(full[s] - expected) == 0
        assert cancel(partial[s].subs(gamma, point["gamma"]) - expected) == 0


def test_at_accepts_model_parameters_that_a_policy_does_not_use():
    mdp = recycling_robot()
    # with (search, recharge) the low state is left at once: beta never enters v_π
    pi = Policy.deterministic(mdp, {"high": "search", "low": "recharge"})
    v = solve_v(mdp, pi)
    beta = Symbol("beta")
    assert all(beta not in v[s].free_symbols for s in mdp.states)
    at = v.at(alpha=Rational(1, 2), beta=Rational(1, 3), r_search=2, r_wait=1,
              gamma=Rational(1, 2))
    assert all(at[s].is_Rational for s in mdp.states)
    with pytest.raises(ModelError, match="no symbol 'delta'"):
        v.at(delta=1)


@pytest.mark.parametrize("backend", ["flint", "python"])
def test_q_when_a_value_is_constant_in_gamma(backend):
    # s1 and s2 loop forever on constant rewards, so v(s1) = −2/(1−γ), v(s2) = 2/(1−γ),
    # and numerators of constant degree meet the gcd (a case that once broke flint's route)
    mdp = MDP(["s0", "s1", "s2", "s3"],
              {"s0": [("s2", Rational(1, 2), 1), ("s1", Rational(1, 2), 0)],
               "s1": [("s1", 1, -2)], "s2": [("s2", 1, 2)],
               "s3": [("s0", Rational(1, 2), -1), ("s2", Rational(1, 2), 0)]},
              actions=None)
    v = solve_v(mdp, backend=backend)
    assert cancel(v["s1"] + 2 / (1 - gamma)) == 0
    assert cancel(v["s2"] - 2 / (1 - gamma)) == 0
    assert cancel(v["s0"] - (Rational(1, 2) + gamma * (v["s2"] + v["s1"]) / 2)) == 0
    acts = MDP(["s0", "s1", "s2", "s3"],
               {"s0": {"go": [("s2", Rational(1, 2), 1), ("s1", Rational(1, 2), 0)]},
                "s1": {"go": [("s1", 1, -2)]}, "s2": {"go": [("s2", 1, 2)]},
                "s3": {"go": [("s0", Rational(1, 2), -1), ("s2", Rational(1, 2), 0)]}},
               actions={s: ["go"] for s in ["s0", "s1", "s2", "s3"]})
    q = solve_q(acts, v=solve_v(acts, backend=backend), backend=backend)
    for s in acts.states:
        assert cancel(q[s, "go"] - v[s]) == 0
