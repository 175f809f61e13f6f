"""Property tests with symbolic parameters x, y: every closed form against an independent solve.

Issue 18 found q_π wrong with symbolic parameters, and no test compared q with an
independent computation when the model holds symbols. Here Hypothesis draws random
models of 2–5 states whose probabilities, rewards and policy weights are polynomials
or rational functions of x and y (valid distributions for every (x, y) in [0, 1]²),
with a symbolic or a numeric discount, and checks on both backends:

- v_π and q_π: every closed form, evaluated exactly at random rational points
  (x₀, y₀, γ₀) from its integer terms, equals this file's own computation on the model
  with the numbers put in first: Fraction Gauss–Jordan elimination
  (:func:`test_properties.solve_exact`) for v, then the half-step for q;
- flint and pure Python print the same text, entry by entry;
- v* and q* at a point (``optimal(mdp, at=...)``, on a backend drawn at random) equal
  the best of all deterministic policies, each solved the same independent way, and
  the optimal actions are exactly the maximisers of that q*;
- with a symbolic discount, the optimal pieces over γ (``optimal_pieces(mdp, at=...)``)
  at sampled γ: the piece holding γ₀ gives that same v* and q*.

Expected values never come from symbellman: each model is kept as plain data (exponent
and Fraction coefficient tables), turned into SymPy expressions for symbellman and
evaluated in Fractions for the reference.

CI runs ``PARAMETRIC_EXAMPLES`` models (default 240, derandomized: the same models
every run); ``PARAMETRIC_EXAMPLES=2000 pytest tests/test_parametric_properties.py`` is
the benchmark-sized run recorded in ``docs/performance.md``. Every failure ever found
is kept below as an ``@example``.
"""

from __future__ import annotations

import itertools
import os
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, example, given, settings, strategies as st

from symbellman import MDP, Policy, solve_q, solve_v
from symbellman.optimal import optimal, optimal_pieces
from symbellman.core.symbols import gamma
from test_properties import solve_exact

EXAMPLES = int(os.environ.get("PARAMETRIC_EXAMPLES", 240))

SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=True)

X, Y = sympy.symbols("x y")


# -- expressions as data: {(i, j): Fraction} is Σ c·x^i·y^j; a rational one is a pair -------
def poly(*terms) -> tuple:
    """A polynomial as sorted ((i, j), c) pairs (zeros left out)."""
    out: dict = {}
    for (i, j), c in terms:
        out[i, j] = out.get((i, j), Fraction(0)) + Fraction(c)
    return tuple(sorted((m, c) for m, c in out.items() if c))


def value(spec, x0: Fraction, y0: Fraction) -> Fraction:
    """A spec (a polynomial, or ("/", numerator, denominator)) at (x₀, y₀), in Fractions."""
    if spec and spec[0] == "/":
        return value(spec[1], x0, y0) / value(spec[2], x0, y0)
    return sum((c * x0 ** i * y0 ** j for (i, j), c in spec), Fraction(0))


def expr(spec) -> sympy.Expr:
    """The same spec as a SymPy expression (for the model given to symbellman)."""
    if spec and spec[0] == "/":
        return expr(spec[1]) / expr(spec[2])
    return sympy.Add(*[sympy.Rational(c.numerator, c.denominator) * X ** i * Y ** j
                       for (i, j), c in spec])


def minus(others):
    """1 − Σ others, as a spec (kept as the sum, the way a model file writes it)."""
    return ("-", tuple(others))


def resolve(spec, x0, y0) -> Fraction:
    if spec and spec[0] == "-":
        return 1 - sum((resolve(s, x0, y0) for s in spec[1]), Fraction(0))
    return value(spec, x0, y0)


def to_expr(spec) -> sympy.Expr:
    if spec and spec[0] == "-":
        return 1 - sympy.Add(*[to_expr(s) for s in spec[1]])
    return expr(spec)


# nonnegative on [0, 1]² and at most 1 there: products of x, y, 1 − x, 1 − y
UNIT = [poly(((0, 0), 1)), poly(((1, 0), 1)), poly(((0, 1), 1)), poly(((1, 1), 1)),
        poly(((0, 0), 1), ((1, 0), -1)), poly(((0, 1), 1), ((1, 1), -1)),
        poly(((2, 0), 1)), poly(((0, 0), 1), ((0, 1), -1)), poly(((1, 2), 1))]
# two of them whose sum is at most 1 on [0, 1]²: x·y, (1 − x)·y; x², 1 − x
PAIRS = [(UNIT[3], UNIT[5]), (UNIT[6], UNIT[4])]
# positive on [0, 1]² (at least 1 there): the weights of rational distributions, denominators
POSITIVE = [poly(((0, 0), 1), ((1, 0), 1)), poly(((0, 0), 2), ((0, 1), -1)),
            poly(((0, 0), 1), ((1, 1), 1)), poly(((0, 0), 1), ((1, 0), 1), ((0, 1), 1)),
            poly(((0, 0), 3), ((2, 0), 1)), poly(((0, 0), 2), ((1, 0), -1), ((0, 1), 1)),
            poly(((0, 0), 1)), poly(((0, 0), 2))]


def scaled(spec, c: Fraction):
    return poly(*((m, a * c) for m, a in spec))


def distribution(draw, k: int, rational: bool) -> list:
    """k specs that sum to 1 and lie in [0, 1] on [0, 1]², the last as 1 − Σ the others.

    Polynomial: c_i·u_i with u_i from :data:`UNIT` and Σ c_i ≤ 1; rational: w_i/Σ w for
    weights w_i from :data:`POSITIVE` (each times a random positive integer). Sometimes
    a plain number, so that some rows are numeric.
    """
    if k == 1:
        return [poly(((0, 0), 1))]
    kind = draw(st.sampled_from(["number", "unit", "poly", "rational"] if rational else
                                ["number", "unit", "poly"]))
    if kind == "unit":  # integer coefficients: x·y beside 1 − x·y, as in issue 18
        first = [draw(st.sampled_from(UNIT))] if k == 2 else \
            [draw(st.sampled_from(PAIRS))[i] for i in range(k - 1)]
    elif kind == "number":
        weights = [draw(st.integers(1, 5)) for _ in range(k)]
        first = [poly(((0, 0), Fraction(w, sum(weights)))) for w in weights[:-1]]
    elif kind == "poly":
        shares = [draw(st.integers(0, 4)) for _ in range(k - 1)]
        total = sum(shares) + draw(st.integers(0, 3)) or 1
        first = [scaled(draw(st.sampled_from(UNIT)), Fraction(c, total)) for c in shares]
    else:
        weights = [scaled(draw(st.sampled_from(POSITIVE)), Fraction(draw(st.integers(1, 3))))
                   for _ in range(k)]
        den = poly(*(t for w in weights for t in w))
        first = [("/", w, den) for w in weights[:-1]]
    return first + [minus(first)]


def reward(draw, rational: bool):
    """A reward: a number, a polynomial of degree ≤ 2, or (with ``rational``) a quotient
    whose denominator is positive on [0, 1]²."""
    kind = draw(st.sampled_from(["number", "poly", "rational"] if rational else
                                ["number", "poly"]))
    # integers half of the time: a term over denominator 1 beside others (issue 18)
    c = lambda: Fraction(draw(st.integers(-9, 9)),  # noqa: E731
                         draw(st.sampled_from([1, 1, 1, 2, 3, 7])))
    if kind == "number":
        return poly(((0, 0), c()))
    monomials = draw(st.lists(st.sampled_from([(0, 0), (1, 0), (0, 1), (1, 1), (2, 0), (0, 2)]),
                              min_size=1, max_size=3, unique=True))
    top = poly(*((m, c()) for m in monomials))
    if kind == "poly":
        return top
    return ("/", top, scaled(draw(st.sampled_from(POSITIVE)), Fraction(draw(st.integers(1, 3)))))


def rationals01(draw, bound: int = 9) -> Fraction:
    den = draw(st.integers(2, bound))
    return Fraction(draw(st.integers(1, den - 1)), den)


@st.composite
def models(draw):
    """A random model as plain data: states, terminal, actions, outcomes (target, p, r),
    policy weights, the discount (None: the symbol γ) and three points (x₀, y₀, γ₀)."""
    rational = draw(st.booleans())
    total = draw(st.integers(2, 5))
    terminal = ["T"] if draw(st.booleans()) else []
    states = [f"s{i}" for i in range(total - len(terminal))]
    targets = states + terminal
    actions, outcomes, policy = {}, {}, {}
    for s in states:
        actions[s] = [f"a{k}" for k in range(draw(st.integers(1, 3)))]
        for a in actions[s]:
            chosen = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3))
            ps = distribution(draw, len(chosen), rational)
            outcomes[s, a] = [(t, p, reward(draw, rational)) for t, p in zip(chosen, ps)]
        policy[s] = dict(zip(actions[s], distribution(draw, len(actions[s]), rational)))
    discount = None if draw(st.booleans()) else rationals01(draw, 12)
    points = [(rationals01(draw), rationals01(draw),
               discount if discount is not None else rationals01(draw, 12))
              for _ in range(3)]
    return states, terminal, actions, outcomes, policy, discount, points


def build(model) -> tuple[MDP, Policy]:
    states, terminal, actions, outcomes, policy, discount, _ = model
    mdp = MDP(states + terminal,
              {s: {a: [{"to": t, "p": to_expr(p), "r": to_expr(r)} for t, p, r in outcomes[s, a]]
                   for a in actions[s]} for s in states},
              actions=actions, terminal=terminal,
              discount=gamma if discount is None else sympy.Rational(discount.numerator,
                                                                   discount.denominator))
    weights = {s: {a: to_expr(w) for a, w in policy[s].items()} for s in states}
    return mdp, Policy.stochastic(mdp, weights)


# -- the independent reference: Fractions only ------------------------------------------------
def numbers_at(model, x0, y0):
    """outcomes and policy with (x₀, y₀) put in, as Fractions."""
    states, terminal, actions, outcomes, policy, _, _ = model
    outs = {key: [(t, resolve(p, x0, y0), resolve(r, x0, y0)) for t, p, r in rows]
            for key, rows in outcomes.items()}
    weights = {s: {a: resolve(w, x0, y0) for a, w in policy[s].items()} for s in states}
    return outs, weights


def reference(states, outs, weights, g0):
    """(v, q) of the policy ``weights`` at γ₀: (I − γ₀P_π)v = r_π by Gauss–Jordan, then
    q(s, a) = Σ p·(r + γ₀·v(s')); terminals are worth 0."""
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    A = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    b = [Fraction(0)] * n
    for s in states:
        for a, w in weights[s].items():
            for t, p, r in outs[s, a]:
                b[index[s]] += w * p * r
                if t in index:
                    A[index[s]][index[t]] -= g0 * w * p
    v = dict(zip(states, solve_exact(A, b)))
    q = {key: sum((p * (r + g0 * v.get(t, Fraction(0))) for t, p, r in rows), Fraction(0))
         for key, rows in outs.items()}
    return v, q


def best_of_all(states, actions, outs, g0):
    """v* and q* at γ₀: the best of every deterministic policy, state by state."""
    values = []
    for choice in itertools.product(*(actions[s] for s in states)):
        weights = {s: {a: Fraction(1)} for s, a in zip(states, choice)}
        values.append(reference(states, outs, weights, g0)[0])
    v = {s: max(vals[s] for vals in values) for s in states}
    q = {key: sum((p * (r + g0 * v.get(t, Fraction(0))) for t, p, r in rows), Fraction(0))
         for key, rows in outs.items()}
    return v, q


def at(terms_pair, symbols, point) -> Fraction:
    """An entry's integer terms (numerator, denominator) evaluated at ``point`` (by name)."""
    powers: dict = {}

    def power(s, k):
        if (s, k) not in powers:
            powers[s, k] = point[str(s)] ** k
        return powers[s, k]

    def evaluate(terms):
        total = Fraction(0)
        for monomial, c in terms.items():
            term = Fraction(int(c))
            for s, k in zip(symbols, monomial):
                if k:
                    term *= power(s, int(k))
            total += term
        return total
    num, den = terms_pair
    return evaluate(num) / evaluate(den)


# -- the regression examples: every failure found, as plain data ------------------------------
def _c(a, b=1):
    return poly(((0, 0), Fraction(a, b)))


ONE = _c(1)
# issue 18's reproduction: q(s1, a1) was wrong (5/7 beside y − x)
ISSUE_18 = (["s0", "s1"], ["s2"], {"s0": ["a0", "a1"], "s1": ["a0", "a1"]},
            {("s0", "a0"): [("s0", ONE, _c(5, 7))], ("s0", "a1"): [("s2", ONE, _c(-3, 2))],
             ("s1", "a0"): [("s1", poly(((1, 1), 1)), _c(2)),
                            ("s1", minus([poly(((1, 1), 1))]), poly(((2, 0), 1)))],
             ("s1", "a1"): [("s1", poly(((0, 1), 1)), _c(5, 7)),
                            ("s1", minus([poly(((0, 1), 1))]),
                             poly(((0, 1), 1), ((1, 0), -1)))]},
            {"s0": {"a0": _c(1, 2), "a1": minus([_c(1, 2)])},
             "s1": {"a0": poly(((1, 0), 1)), "a1": minus([poly(((1, 0), 1))])}},
            None, [(Fraction(1, 3), Fraction(2, 5), Fraction(1, 2)),
                   (Fraction(1, 2), Fraction(1, 7), Fraction(9, 10)),
                   (Fraction(3, 4), Fraction(5, 6), Fraction(1, 7))])
# (x + 1)/(y + 2) beside an integer reward: the other shape the issue names
ISSUE_18_RATIONAL = (["s0"], ["T"], {"s0": ["a0"]},
                     {("s0", "a0"): [("s0", UNIT[1], ("/", poly(((1, 0), 1), ((0, 0), 1)),
                                                       poly(((0, 1), 1), ((0, 0), 2)))),
                                     ("T", minus([UNIT[1]]), _c(-3))]},
                     {"s0": {"a0": ONE}}, None,
                     [(Fraction(1, 2), Fraction(1, 3), Fraction(3, 4)),
                      (Fraction(2, 3), Fraction(1, 5), Fraction(1, 2)),
                      (Fraction(1, 7), Fraction(6, 7), Fraction(5, 6))])


@SETTINGS
@example(model=ISSUE_18)
@example(model=ISSUE_18_RATIONAL)
@given(model=models())
def test_v_and_q_with_parameters_against_an_independent_solve(model):
    states, terminal, actions, _, _, _, points = model
    mdp, policy = build(model)
    solved = {}
    for backend in ("flint", "python"):
        v = solve_v(mdp, policy, backend=backend)
        solved[backend] = v, solve_q(mdp, policy, v=v, backend=backend)
    v, q = solved["flint"]
    for x0, y0, g0 in points:
        outs, weights = numbers_at(model, x0, y0)
        v_ref, q_ref = reference(states, outs, weights, g0)
        point = {"x": x0, "y": y0, "gamma": g0}
        for s in states:
            assert at(v.terms(s), v.symbols, point) == v_ref[s], (s, v.text(s))
        for t in terminal:
            assert v.text(t) == "0"
        for key, expected in q_ref.items():
            assert at(q.terms(key), q.symbols, point) == expected, (key, q.text(key))
    # the pure-Python route: the same text, entry by entry (so the same values)
    v_py, q_py = solved["python"]
    assert [v_py.text(s) for s in v.keys()] == [v.text(s) for s in v.keys()]
    assert [q_py.text(k) for k in q.keys()] == [q.text(k) for k in q.keys()]


OPTIMAL = settings(SETTINGS, max_examples=max(1, EXAMPLES // 2))


@OPTIMAL
@example(model=ISSUE_18, backend="flint")
@example(model=ISSUE_18, backend="python")
@given(model=models(), backend=st.sampled_from(["flint", "python"]))
def test_optimum_with_parameters_at_points_and_over_gamma(model, backend):
    states, terminal, actions, _, _, discount, points = model
    mdp, _ = build(model)
    x0, y0, g0 = points[0]
    outs, _ = numbers_at(model, x0, y0)
    v_ref, q_ref = best_of_all(states, actions, outs, g0)
    values = {X: sympy.Rational(x0.numerator, x0.denominator),
              Y: sympy.Rational(y0.numerator, y0.denominator)}
    if discount is None:
        values[gamma] = sympy.Rational(g0.numerator, g0.denominator)
    best = optimal(mdp, at=values, backend=backend)
    rational = lambda e: Fraction(int(e.p), int(e.q))  # noqa: E731
    assert {s: rational(best.v_star[s]) for s in states} == v_ref
    assert {k: rational(best.q_star[k]) for k in q_ref} == q_ref
    assert {s: set(best.policy[s]) for s in states} == \
        {s: {a for a in actions[s] if q_ref[s, a] == v_ref[s]} for s in states}
    if discount is not None:
        return
    # the optimum over γ with (x₀, y₀) put in, read at each point's γ
    pieces = optimal_pieces(mdp, at={X: values[X], Y: values[Y]}, backend=backend)
    for _, _, g in points:
        v_g, q_g = best_of_all(states, actions, outs, g)
        piece = pieces.piece_at(sympy.Rational(g.numerator, g.denominator))
        point = {"gamma": g}
        assert {s: at(piece.v_star.terms(s), piece.v_star.symbols, point)
                for s in states} == v_g
        assert {k: at(piece.q_star.terms(k), piece.q_star.symbols, point)
                for k in q_g} == q_g
