"""q_π with symbolic parameters, against an independent exact solve (issue 18).

The closed forms of v_π and q_π are evaluated at rational points and compared with the
model's numbers put in first and solved by this file's own Fraction arithmetic (the
Gauss–Jordan elimination of ``tests/test_properties.py``: no SymPy solve, no flint).
The random version of these checks is ``tests/test_parametric_properties.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy

from symbellman import MDP, Policy, solve_q, solve_v
from symbellman.core.symbols import gamma
from test_properties import solve_exact

x, y = sympy.symbols("x y")

# issue 18's smallest reproduction: q(s1, a1) was wrong (5/7 beside y - x)
ISSUE_18 = """\
symbols: [x, y]
discount: gamma
states: [s0, s1, s2]
terminal: [s2]
actions: {s0: [a0, a1], s1: [a0, a1]}
transitions:
  s0: {a0: {to: s0, r: 5/7}, a1: {to: s2, r: -3/2}}
  s1:
    a0: [{to: s1, p: x*y, r: 2}, {to: s1, p: 1 - x*y, r: x**2}]
    a1: [{to: s1, p: y, r: 5/7}, {to: s1, p: 1 - y, r: y - x}]
policy: {s0: {a0: 1/2, a1: 1/2}, s1: {a0: x, a1: 1 - x}}
"""


def issue_18_model():
    """The reproduction as (states, terminal, outcomes, policy): numbers are functions of
    (x, y) in Fractions, written out by hand from the YAML above."""
    h = Fraction(1, 2)
    outcomes = {
        ("s0", "a0"): [("s0", lambda x, y: 1, lambda x, y: Fraction(5, 7))],
        ("s0", "a1"): [("s2", lambda x, y: 1, lambda x, y: Fraction(-3, 2))],
        ("s1", "a0"): [("s1", lambda x, y: x * y, lambda x, y: 2),
                       ("s1", lambda x, y: 1 - x * y, lambda x, y: x ** 2)],
        ("s1", "a1"): [("s1", lambda x, y: y, lambda x, y: Fraction(5, 7)),
                       ("s1", lambda x, y: 1 - y, lambda x, y: y - x)],
    }
    policy = {"s0": {"a0": lambda x, y: h, "a1": lambda x, y: h},
              "s1": {"a0": lambda x, y: x, "a1": lambda x, y: 1 - x}}
    return ["s0", "s1"], ["s2"], outcomes, policy


def exact_values(states, outcomes, policy, point, g0):
    """(v, q) at (x₀, y₀) and γ₀ by Fraction Gauss–Jordan, terminals worth 0."""
    x0, y0 = point
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    A = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    b = [Fraction(0)] * n
    for s in states:
        for a, w in policy[s].items():
            w = Fraction(w(x0, y0))
            for t, p, r in outcomes[s, a]:
                p, r = Fraction(p(x0, y0)), Fraction(r(x0, y0))
                b[index[s]] += w * p * r
                if t in index:
                    A[index[s]][index[t]] -= g0 * w * p
    v = dict(zip(states, solve_exact(A, b)))
    value = lambda t: v.get(t, Fraction(0))  # noqa: E731
    q = {(s, a): sum((Fraction(p(x0, y0)) * (Fraction(r(x0, y0)) + g0 * value(t))
                      for t, p, r in outs), Fraction(0))
         for (s, a), outs in outcomes.items()}
    return v, q


def at_point(expr_text: str, point, g0) -> Fraction:
    """A closed form's text evaluated exactly by SymPy at (x₀, y₀, γ₀)."""
    e = sympy.sympify(expr_text, locals={"x": x, "y": y, "gamma": gamma})
    value = e.xreplace({x: sympy.Rational(*_pair(point[0])), y: sympy.Rational(*_pair(point[1])),
                        gamma: sympy.Rational(*_pair(g0))})
    assert value.is_Rational, (expr_text, value)
    return Fraction(int(value.p), int(value.q))


def _pair(f: Fraction) -> tuple[int, int]:
    return f.numerator, f.denominator


POINTS = [((Fraction(1, 3), Fraction(2, 5)), Fraction(1, 2)),
          ((Fraction(-2), Fraction(3, 7)), Fraction(9, 10)),
          ((Fraction(5, 4), Fraction(-1, 6)), Fraction(1, 7))]


@pytest.mark.parametrize("backend", ["flint", "python"])
def test_issue_18_reproduction_q_against_exact_solve(backend):
    from symbellman.io.model_files import read_model
    import yaml

    mdp, policy = read_model(yaml.safe_load(ISSUE_18))
    v = solve_v(mdp, policy, backend=backend)
    q = solve_q(mdp, policy, v=v, backend=backend)
    states, terminal, outcomes, weights = issue_18_model()
    for point, g0 in POINTS:
        v_exact, q_exact = exact_values(states, outcomes, weights, point, g0)
        for s in states:
            assert at_point(v.text(s), point, g0) == v_exact[s], s
        for key, expected in q_exact.items():
            assert at_point(q.text(key), point, g0) == expected, key


def test_issue_18_reproduction_through_solve_json(tmp_path):
    path = tmp_path / "issue18.yaml"
    path.write_text(ISSUE_18)
    done = subprocess.run([sys.executable, "-m", "symbellman", "solve", str(path), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    q = json.loads(done.stdout)["q"]
    states, terminal, outcomes, weights = issue_18_model()
    for point, g0 in POINTS:
        _, q_exact = exact_values(states, outcomes, weights, point, g0)
        for (s, a), expected in q_exact.items():
            assert at_point(q[s][a], point, g0) == expected, (s, a)


def test_issue_18_q_by_hand():
    """q(s1, a1) = 5y/7 + (1 − y)(y − x) + γ v(s1): a sum over one denominator 7(1 − γ)·…
    (the reward denominators 7 and 1 differ: the case the bug mishandled)."""
    from symbellman.io.model_files import read_model
    import yaml

    mdp, policy = read_model(yaml.safe_load(ISSUE_18))
    v = solve_v(mdp, policy)
    q = solve_q(mdp, policy, v=v)
    expected = sympy.Rational(5, 7) * y + (1 - y) * (y - x) + gamma * v["s1"]
    assert sympy.cancel(q["s1", "a1"] - expected) == 0


# -- larger models: the ring of issue 24 and a gridworld, both backends ------------------------
def ring_mdp(n: int) -> MDP:
    """n states on a ring, each with "go" (on with p_i, stay with 1 − p_i, reward r_i)
    and "wait" (stay, reward 0): symbolic p_i, r_i, as in issue 24."""
    p, r = sympy.symbols(f"p1:{n + 1}"), sympy.symbols(f"r1:{n + 1}")
    names = [f"s{i + 1}" for i in range(n)]
    transitions = {s: {"go": [{"to": names[(i + 1) % n], "p": p[i], "r": r[i]},
                              {"to": s, "p": 1 - p[i], "r": r[i]}],
                       "wait": [{"to": s, "p": 1, "r": 0}]} for i, s in enumerate(names)}
    return MDP(names, transitions, actions={s: ["go", "wait"] for s in names},
               symbols=[*p, *r])


def model_at(mdp: MDP, policy: Policy, values: dict):
    """The model's numbers and the policy's weights at ``values``, read with SymPy's
    ``xreplace`` into Fractions, and (v, q) at γ₀ = values[gamma] by Gauss–Jordan."""
    put = {k: sympy.Rational(v.numerator, v.denominator) for k, v in values.items()}
    frac = lambda e: Fraction(int(sympy.sympify(e).xreplace(put).p),  # noqa: E731
                              int(sympy.sympify(e).xreplace(put).q))
    states = list(mdp.nonterminal)
    outcomes = {(s, a): [(o.next_state, lambda x, y, p=frac(o.probability): p,
                          lambda x, y, r=frac(o.reward): r) for o in mdp.outcomes(s, a)]
                for s, a in mdp.state_action_pairs}
    weights = {s: {a: (lambda x, y, w=frac(policy.weight(s, a)): w) for a in mdp.actions(s)}
               for s in states}
    return exact_values(states, outcomes, weights, (None, None), frac(mdp.discount))


def test_ring_with_symbolic_p_and_r_q_on_both_backends():
    mdp = ring_mdp(5)
    policy = Policy.uniform(mdp)
    solved = {}
    for backend in ("flint", "python"):
        v = solve_v(mdp, policy, backend=backend)
        solved[backend] = v, solve_q(mdp, policy, v=v, backend=backend)
    (v, q), (v_py, q_py) = solved["flint"], solved["python"]
    assert [q.text(k) for k in q.keys()] == [q_py.text(k) for k in q.keys()]
    names = [str(s) for s in q.symbols]
    point = {sympy.Symbol(n): Fraction(3 + i, 11 + 2 * i) for i, n in enumerate(names)}
    point[gamma] = Fraction(4, 5)
    v_ref, q_ref = model_at(mdp, policy, point)
    by_name = {str(k): x for k, x in point.items()}
    for key, expected in q_ref.items():
        num, den = q.terms(key)
        value = [sum((Fraction(c) * _product(by_name, q.symbols, m) for m, c in part.items()),
                     Fraction(0)) for part in (num, den)]
        assert value[0] / value[1] == expected, key


def _product(point, symbols, monomial) -> Fraction:
    out = Fraction(1)
    for s, k in zip(symbols, monomial):
        if k:
            out *= point[str(s)] ** int(k)
    return out


@pytest.mark.parametrize("backend", ["flint", "python"])
def test_gridworld_q_in_gamma_against_exact_solve(backend):
    """The half-step on the Krylov route's integer lists (issue 19): q of a 4×4 gridworld
    at γ₀ against Gauss–Jordan, and the same text on both backends."""
    from benchmarks.models import gridworld

    mdp = gridworld(4, 4)
    policy = Policy.uniform(mdp)
    v = solve_v(mdp, policy, backend=backend)
    q = solve_q(mdp, policy, v=v, backend=backend)
    other = "python" if backend == "flint" else "flint"
    q_other = solve_q(mdp, policy, v=solve_v(mdp, policy, backend=other), backend=other)
    assert [q.text(k) for k in q.keys()] == [q_other.text(k) for k in q.keys()]
    for g0 in (Fraction(1, 3), Fraction(9, 10)):
        _, q_ref = model_at(mdp, policy, {gamma: g0})
        for key, expected in q_ref.items():
            assert at_point(q.text(key), (Fraction(0), Fraction(0)), g0) == expected, key
