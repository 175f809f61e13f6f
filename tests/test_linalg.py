"""The exact solver: both backends agree, and agree with plain SymPy.

Reference values come from SymPy's own dense algebra (``linsolve`` or
``Matrix.LUsolve``, then ``cancel``), which shares no code with :mod:`symbellman.linalg`; larger systems are
checked by substituting the closed forms back as polynomial identities.
"""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
import textwrap

import pytest
import sympy
from sympy import Matrix, Rational, Symbol, cancel, eye

from symbellman import Policy
from symbellman.model.examples import gridworld, student_mrp
from symbellman.model.induced import induced_chain
from symbellman.linalg import ExactVector, backup, reporting, solve_discounted
from symbellman.linalg.vector import expression as _expr, terms_text

g = Symbol("gamma")
alpha, beta = sympy.symbols("alpha beta")


def lusolve_reference(rows, r, discount):
    """(I − γP)^{-1} r by plain SymPy, each entry cancelled.

    ``Matrix.LUsolve`` for a number γ; for a symbol, ``linsolve`` (``LUsolve``'s
    symbolic output swells so much that ``cancel`` on a 4-state gridworld does not
    finish in minutes).
    """
    n = len(rows)
    P = Matrix(n, n, lambda i, j: rows[i].get(j, 0))
    if discount.is_Rational:
        return list((eye(n) - discount * P).LUsolve(Matrix(r)))
    unknowns = sympy.symbols(f"x0:{n}")
    (x,) = sympy.linsolve(((eye(n) - discount * P), Matrix(r)), unknowns)
    return [cancel(e) for e in x]


def agrees_at_enough_points(x: ExactVector, rows, r) -> bool:
    """x equals (I − γP)^{-1} r as rational functions of γ.

    Both sides have numerators of degree < n and denominators of degree ≤ n (Cramer's
    rule), so if they agree at 2n + 1 values of γ they are the same function. Each
    reference value is an exact rational ``Matrix.LUsolve``.
    """
    n = len(rows)
    P = Matrix(n, n, lambda i, j: rows[i].get(j, 0))
    for k in range(2 * n + 1):
        point = Rational(k, 2 * n + 3)
        expected = (eye(n) - point * P).LUsolve(Matrix(r))
        got = []
        for i in range(n):
            num, den = x.terms(i)
            value = lambda terms: sum(c * point ** m[0] for m, c in terms.items())  # noqa: E731
            got.append(Rational(value(num)) / value(den))
        if got != list(expected):
            return False
    return True


def bellman_residuals(x: ExactVector, rows, r) -> list:
    """x_i − γ Σ_j P_ij x_j − r_i over a common denominator, as exact polynomials."""
    from sympy.polys.domains import QQ
    from sympy.polys.rings import PolyRing
    ring = PolyRing(x.ring.symbols, QQ)
    lift = lambda p: ring.from_dict({m: QQ(int(c)) for m, c in p.items()})  # noqa: E731
    nums = [lift(p) for p in x.numerators]
    dens = [lift(p) for p in x.denominators]
    gamma_, = [ring.gens[0]]
    out = []
    for i, row in enumerate(rows):
        common = dens[i]
        for j in row:
            common = common.lcm(dens[j])
        total = nums[i] * common.exquo(dens[i]) - ring.from_expr(r[i]) * common
        for j, p in row.items():
            total -= ring.from_expr(p) * gamma_ * nums[j] * common.exquo(dens[j])
        out.append(total)
    return out


def random_system(seed, n, *, params=False, sparse=True):
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        k = rnd.randint(1, min(n, 3)) if sparse else n
        cols = rnd.sample(range(n), k)
        weights = [rnd.randint(1, 5) for _ in cols]
        leak = rnd.choice([0, 0, 1, 2])
        total = sum(weights) + leak
        rows.append({j: Rational(w, total) for j, w in zip(cols, weights)})
    r = [Rational(rnd.randint(-9, 9), rnd.randint(1, 4)) for _ in range(n)]
    if params:
        r = [e + rnd.randint(-2, 2) * alpha + rnd.randint(0, 1) * alpha * beta for e in r]
    return rows, r


def as_pairs(x: ExactVector):
    return [x.fraction(i) for i in range(len(x))]


def chain(rows_cols):
    m = gridworld(*rows_cols)
    c = induced_chain(m, Policy.uniform(m))
    return list(c.rows), list(c.rewards)


# -- agreement with plain SymPy ----------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("params", [False, True])
def test_krylov_equals_lusolve_on_random_systems(seed, params):
    rows, r = random_system(seed, 1 + seed % 4, params=params)
    reference = lusolve_reference(rows, r, g)
    for backend in ("flint", "python"):
        x = solve_discounted(rows, r, g, (alpha, beta), backend=backend)
        assert x.method == f"krylov-{backend}"
        for i, expected in enumerate(reference):
            assert cancel(x.expr(i) - expected) == 0


@pytest.mark.parametrize("size", [(1, 1), (2, 2), (3, 3)])
def test_gridworld_equals_lusolve(size):
    rows, r = chain(size)
    reference = lusolve_reference(rows, r, g)
    x = solve_discounted(rows, r, g, backend="flint")
    assert [cancel(x.expr(i) - e) for i, e in enumerate(reference)] == [0] * len(reference)


@pytest.mark.parametrize("size", [(3, 3), (3, 4)])
def test_gridworld_equals_exact_solves_at_enough_points(size):
    rows, r = chain(size)
    assert agrees_at_enough_points(solve_discounted(rows, r, g, backend="flint"), rows, r)


def test_student_mrp_equals_lusolve():
    m = student_mrp()
    c = induced_chain(m, Policy.uniform(m))
    reference = lusolve_reference(c.rows, c.rewards, g)
    x = solve_discounted(c.rows, c.rewards, g)
    assert [cancel(x.expr(i) - e) for i, e in enumerate(reference)] == [0] * len(reference)


@pytest.mark.parametrize("seed", range(6))
def test_rational_route_equals_lusolve(seed):
    rows, r = random_system(seed, 5)
    reference = lusolve_reference(rows, r, Rational(9, 10))
    for backend in ("flint", "python"):
        x = solve_discounted(rows, r, Rational(9, 10), backend=backend)
        assert [x.expr(i) for i in range(len(r))] == reference


# -- the two backends give identical results --------------------------------------------------
@pytest.mark.parametrize("size", [(4, 4), (5, 5), (6, 6)])
def test_backends_identical_on_gridworlds(size):
    rows, r = chain(size)
    a = solve_discounted(rows, r, g, backend="flint")
    b = solve_discounted(rows, r, g, backend="python")
    assert as_pairs(a) == as_pairs(b)


@pytest.mark.parametrize("seed", range(8))
def test_backends_identical_with_parameters(seed):
    rows, r = random_system(100 + seed, 6, params=True, sparse=False)
    a = solve_discounted(rows, r, g, (alpha, beta), backend="flint")
    b = solve_discounted(rows, r, g, (alpha, beta), backend="python")
    assert as_pairs(a) == as_pairs(b)


# -- lowest terms and normal form ------------------------------------------------------------
def test_gridworld_5x5_lowest_terms_and_bellman_identity():
    # substitution back, as polynomial identities: den_i·(x_i − γ Σ_j P_ij x_j) = r_i·den_i
    rows, r = chain((5, 5))
    x = solve_discounted(rows, r, g)
    for i in range(len(r)):
        num, den = x.fraction(i)
        assert num.gcd(den) == 1
        assert sympy.igcd(*[int(c) for c in (*num.coeffs(), *den.coeffs())]) == 1
        assert den.coeff(1) > 0  # positive at γ = 0
    assert all(res == 0 for res in bellman_residuals(x, rows, r))
    # and the check can fail: a numerator off by one is caught
    wrong = ExactVector(x.ring, [x.numerators[0] + 1, *x.numerators[1:]], x.denominators,
                        None, "tampered")
    assert bellman_residuals(wrong, rows, r)[0] != 0


def test_zero_entries_and_determinant():
    rows = [{0: Rational(1, 2)}, {1: Rational(1, 3)}]
    x = solve_discounted(rows, [0, 1], g)
    assert x.expr(0) == 0 and x.fraction(0)[1] == 1
    assert cancel(x.expr(1) - 3 / (3 - g)) == 0
    assert sympy.expand(x.determinant - (1 - g / 2) * (1 - g / 3)) == 0


def test_singular_rational_system_raises():
    from symbellman.core.errors import SolveError
    for backend in ("flint", "python"):
        with pytest.raises(SolveError, match="singular"):
            solve_discounted([{0: Rational(1)}], [1], Rational(1), backend=backend)


def test_expression_builder_is_canonical():
    # the hand-built expressions must be identical (not merely equal) to SymPy's own
    from sympy.polys.domains import ZZ
    from sympy.polys.rings import PolyRing
    rnd = random.Random(1)
    for gens in [(g,), (g, alpha, beta)]:
        ring = PolyRing(gens, ZZ)
        for _ in range(200):
            terms = {tuple(rnd.randint(0, 3) for _ in gens):
                     rnd.choice([1, -1, 2, -3, rnd.getrandbits(90) - 2**89])
                     for _ in range(rnd.randint(0, 6))}
            p = ring.from_dict(terms)
            built = _expr({m: int(c) for m, c in p.items()}, gens)
            assert sympy.srepr(built) == sympy.srepr(p.as_expr())


def test_text_reads_back_to_the_same_polynomial():
    # one generator (the fast path) and several; signs, unit and huge coefficients
    rnd = random.Random(3)
    names = ["gamma", "alpha", "beta"]
    for _ in range(300):
        nv = rnd.randint(1, 3)
        terms = {tuple(rnd.randint(0, 4) for _ in range(nv)):
                 rnd.choice([0, 1, -1, 3, -12, rnd.getrandbits(120) - 2**119])
                 for _ in range(rnd.randint(0, 7))}
        symbols = [Symbol(s) for s in names[:nv]]
        text = terms_text(terms, names[:nv])
        back = sympy.sympify(text, locals=dict(zip(names, symbols)))
        assert sympy.expand(back - _expr({m: c for m, c in terms.items() if c}, symbols)) == 0


# -- the fraction-free route (symbolic probabilities) -----------------------------------------
p_, q_ = sympy.symbols("p q")


def symbolic_system(seed):
    rnd = random.Random(seed)
    n = rnd.randint(1, 3)
    choices = [p_, 1 - p_, q_, 1 - q_, p_ * q_, Rational(1, 3), p_ / 2, p_ / (1 + p_)]
    rows = [{j: rnd.choice(choices) for j in rnd.sample(range(n), rnd.randint(1, n))}
            for _ in range(n)]
    if not any(x.free_symbols for row in rows for x in row.values()):
        rows[0][0] = p_ / 2  # keep P symbolic: this is the fraction-free route's test
    r = [rnd.choice([Rational(rnd.randint(-5, 5), rnd.randint(1, 3)), alpha, p_ * alpha - 1,
                     q_ / 3, 1 / (1 + q_)]) for _ in range(n)]
    return rows, r, rnd.choice([g, g, Rational(9, 10)])


@pytest.mark.parametrize("seed", range(12))
def test_fraction_free_equals_linsolve_and_backends_agree(seed):
    # polynomial rows built as ring elements, or through SymPy when some entry is not a
    # polynomial (p/(1+p)); cancellation by flint's fmpz_mpoly gcd or SymPy's: same terms
    rows, r, discount = symbolic_system(seed)
    n = len(rows)
    P = Matrix(n, n, lambda i, j: rows[i].get(j, 0))
    M = eye(n) - discount * P
    if cancel(M.det()) == 0:
        pytest.skip("singular")
    (reference,) = sympy.linsolve((M, Matrix(r)), sympy.symbols(f"x0:{n}"))
    out = {}
    for backend in ("flint", "python"):
        x = solve_discounted(rows, r, discount, (p_, q_, alpha), backend=backend)
        assert x.method == "fraction-free"
        for i, expected in enumerate(reference):
            assert cancel(x.expr(i) - expected) == 0
            num, den = x.fraction(i)
            assert num.gcd(den) == 1
            assert math.gcd(*(int(c) for c in (*num.coeffs(), *den.coeffs()))) == 1
            lead = den.coeff(1) if den.coeff(1) != 0 else den.LC
            assert lead > 0
        out[backend] = [x.terms(i) for i in range(n)]
        # plain Python ints throughout (monomials and coefficients), as the readers expect
        assert all(type(v) is int for terms in out[backend] for t in terms
                   for m, c in t.items() for v in (*m, c))
    assert out["flint"] == out["python"]


# -- q from v ---------------------------------------------------------------------------------
def test_backup_equals_direct_sympy():
    rows, r = random_system(7, 5)
    x = solve_discounted(rows, r, g)
    entries = [[(0, Rational(1, 3), Rational(2)), (3, Rational(2, 3), Rational(-1))],
               [(2, Rational(1), Rational(5))],
               [(None, Rational(1, 2), Rational(1)), (None, Rational(1, 2), Rational(3))],
               [(1, Rational(1, 2), 0), (1, Rational(1, 2), 0)]]
    for backend in ("flint", "python"):
        y = backup(x, entries, g, backend=backend)
        for e, entry in enumerate(entries):
            expected = sum(p * (rw + (g * x.expr(k) if k is not None else 0))
                           for k, p, rw in entry)
            assert cancel(y.expr(e) - expected) == 0
            num, den = y.fraction(e)
            assert num.gcd(den) == 1 and den.coeff(1) > 0


def gridworld_entries(size):
    """The q half-step entries (successor index, p, r) of every (s, a) of a gridworld."""
    m = gridworld(*size)
    states = induced_chain(m, Policy.uniform(m)).states
    pos = {s: i for i, s in enumerate(states)}
    return [[(pos.get(o.next_state), o.probability, o.reward) for o in m.outcomes(s, a)]
            for s, a in m.state_action_pairs]


@pytest.mark.parametrize("size", [(3, 3), (4, 4)])
def test_backup_on_gridworld_equals_sympy_and_backends_agree(size):
    # one successor per (s, a), many (s, a) leading to the same place: the gcd-free and
    # shared-result paths; reference built by SymPy's cancel from v's expressions
    rows, r = chain(size)
    entries = gridworld_entries(size)
    results = {}
    for backend in ("flint", "python"):
        x = solve_discounted(rows, r, g, backend=backend)
        y = backup(x, entries, g, backend=backend)
        assert len(y) == len(entries)
        for e, entry in enumerate(entries):
            ((k, p, rw),) = entry
            expected = cancel(p * (rw + (g * x.expr(k) if k is not None else 0)))
            assert cancel(y.expr(e) - expected) == 0
            num, den = y.fraction(e)
            assert num.gcd(den) == 1 and den.coeff(1) > 0
            assert math.gcd(*(int(c) for c in (*num.coeffs(), *den.coeffs()))) == 1
        results[backend] = [y.terms(e) for e in range(len(y))] + [x.terms(0)]
        assert all(type(v) is int for terms in results[backend] for t in terms
                   for m, c in t.items() for v in (*m, c))
    assert results["flint"] == results["python"]


def test_backup_reads_vectors_in_either_form():
    # v from the flint route (dense, read lazily) and the same v rebuilt from its terms
    rows, r = chain((3, 3))
    x = solve_discounted(rows, r, g, backend="flint")
    rebuilt = ExactVector(x.ring, x.numerators, x.denominators, None, "given")
    entries = [[(k, Rational(1, 3), Rational(k - 2)), (k + 1, Rational(2, 3), Rational(1))]
               for k in range(len(rows) - 1)]
    entries += [[(2, Rational(1, 2), Rational(4))], [(2, Rational(1, 2), Rational(4))],
                [(2, Rational(1), Rational(0))], [(None, Rational(1), Rational(-7, 3))]]
    out = []
    for vector in (x, rebuilt):
        for backend in ("flint", "python"):
            y = backup(vector, entries, g, backend=backend)
            out.append([y.terms(e) for e in range(len(y))])
    assert all(o == out[0] for o in out)
    y = backup(x, entries, g)
    for e, entry in enumerate(entries):
        expected = sum(p * (rw + (g * x.expr(k) if k is not None else 0)) for k, p, rw in entry)
        assert cancel(y.expr(e) - expected) == 0
    assert y.terms(len(entries) - 1) == ({(0,): -7}, {(0,): 3})


# -- progress and the pure route without flint ------------------------------------------------
def test_progress_callback_is_called():
    rows, r = chain((4, 4))
    calls = []
    solve_discounted(rows, r, g, progress=lambda *a: calls.append(a))
    assert calls and all(0 <= done <= total for _, done, total in calls)
    with reporting(lambda *a: calls.append(a)):
        before = len(calls)
        solve_discounted(rows, r, g)
    assert len(calls) > before


def test_pure_python_route_works_without_flint():
    # flint hidden and SymPy on its pure-Python ground types, as on a machine without it
    code = textwrap.dedent("""
        import sys
        sys.modules["flint"] = None
        from sympy import Rational, Symbol
        from symbellman.linalg import solve_discounted, default_backend
        assert default_backend() == "python"
        x = solve_discounted([{0: Rational(1, 2), 1: Rational(1, 4)}, {0: Rational(1, 3)}],
                             [1, 2], Symbol("gamma"))
        print([str(x.expr(i)) for i in range(2)])
    """)
    env = {**os.environ, "SYMPY_GROUND_TYPES": "python",
           "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True).stdout
    rows = [{0: Rational(1, 2), 1: Rational(1, 4)}, {0: Rational(1, 3)}]
    expected = lusolve_reference(rows, [1, 2], g)
    got = [sympy.sympify(s, locals={"gamma": g}) for s in eval(out)]
    assert [cancel(a - b) for a, b in zip(got, expected)] == [0, 0]


def test_unknown_backend_is_a_symbellman_error():
    # it escaped the CLI's single handler as a plain ValueError (issue 8)
    from symbellman import solve_v
    from symbellman.core.errors import SymbellmanError
    with pytest.raises(SymbellmanError, match="unknown backend 'bogus'"):
        solve_v(student_mrp(), backend="bogus")


def test_advantage_numerators_match_exact_algebra():
    """The flint backend's advantages over L = lcm(d_s) against SymPy's exact algebra;
    the pure backend declines (its caller then takes the general route)."""
    from fractions import Fraction

    from symbellman.linalg import get_backend

    g = Symbol("g")
    values = {"A": ([1, 2], [2, -1]), "B": ([3], [1, -1])}  # (1+2g)/(2-g), 3/(1-g)
    pairs = [("A", [(Fraction(1, 2), Fraction(-1), "B"), (Fraction(1, 2), Fraction(3, 4), None)]),
             ("B", [(Fraction(1), Fraction(2), "A")])]
    assert get_backend("python").advantage_numerators(values, pairs) is None

    def poly(cs):
        return sum(int(c) * g ** i for i, c in enumerate(cs))

    L = poly(values["A"][1]) * poly(values["B"][1])  # coprime denominators: L is their product
    v = {s: poly(n) / poly(d) for s, (n, d) in values.items()}
    expected = []
    for s, outcomes in pairs:
        N = sympy.expand(sympy.cancel(sum(Rational(p.numerator, p.denominator) *
                                          (Rational(r.numerator, r.denominator) * L
                                           + (g * v[k] * L if k else 0))
                                          for p, r, k in outcomes) - v[s] * L))
        coeffs = [Rational(c) for c in reversed(sympy.Poly(N, g).all_coeffs())]
        scale = math.lcm(*(int(c.q) for c in coeffs))
        expected.append([int(c * scale) for c in coeffs])
    assert get_backend("flint").advantage_numerators(values, pairs) == expected


def test_python_flint_is_imported_only_in_linalg():
    """Issue 8: the backends in symbellman/linalg/ are the only users of python-flint."""
    import pathlib
    import re

    import symbellman

    root = pathlib.Path(symbellman.__file__).parent
    users = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                   if re.search(r"^\s*(import flint|from flint\b)", p.read_text(), re.M))
    assert users and all(u.startswith("linalg/") for u in users), users
