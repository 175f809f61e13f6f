"""The multi-parameter route: sparse fraction-free elimination, a ring of symbolic states.

Expected values come from an independent derivation (unrolling the ring's equations
by hand), SymPy's own determinant, or an exact solve of the system after the symbols
are given rational values.
"""

from fractions import Fraction
import random

import pytest
import sympy
from sympy.polys.domains import ZZ
from sympy.polys.rings import PolyRing

from benchmarks.models import symbolic_ring
from symbellman import solve_v
from symbellman.linalg import SingularSystem, solve_discounted
from symbellman.linalg.bareiss import numerators_and_determinant
from symbellman.linalg.lazy_fractions import LazyFractions

gamma = sympy.Symbol("gamma")


def ring_value(n: int):
    """v(s1) of :func:`symbolic_ring`, derived by hand.

    With a_i = 1 − γ + γp_i and c_i = γp_i the equations read a_i v_i − c_i v_{i+1} = r_i;
    unrolling v_i = (r_i + c_i v_{i+1}) / a_i once round the ring gives
    v_1 = Σ_k r_k Π_{j<k} c_j Π_{j>k} a_j / (Π a_j − Π c_j).
    """
    p, r = sympy.symbols(f"p1:{n + 1}"), sympy.symbols(f"r1:{n + 1}")
    a = [1 - gamma + gamma * x for x in p]
    c = [gamma * x for x in p]
    top = sum(r[k] * sympy.prod(c[:k]) * sympy.prod(a[k + 1:]) for k in range(n))
    return top, sympy.prod(a) - sympy.prod(c)


@pytest.mark.parametrize("backend", ["flint", "python"])
@pytest.mark.parametrize("n", [2, 3, 5])
def test_ring_equals_the_unrolled_closed_form(n, backend):
    mdp = symbolic_ring(n)
    v = solve_v(mdp, backend=backend)
    top, bottom = ring_value(n)
    assert mdp.discount == gamma
    assert sympy.expand(v.numerator("s1") * bottom - top * v.denominator("s1")) == 0


def _exact_solve(rows, rhs):
    """Gauss–Jordan elimination on Fractions (independent of the code under test)."""
    n = len(rows)
    M = [[Fraction(x) for x in row] + [Fraction(b)] for row, b in zip(rows, rhs)]
    for k in range(n):
        pivot = next(i for i in range(k, n) if M[i][k])
        M[k], M[pivot] = M[pivot], M[k]
        for i in range(n):
            if i != k and M[i][k]:
                f = M[i][k] / M[k][k]
                M[i] = [x - f * y for x, y in zip(M[i], M[k])]
    return [M[i][n] / M[i][i] for i in range(n)]


def test_ten_state_ring_at_a_rational_point():
    # issue 13's case: 10 states, p_i and r_i symbolic, γ symbolic; checked at a point
    n = 10
    mdp = symbolic_ring(n)
    v = solve_v(mdp, backend="flint")
    assert v.method == "fraction-free"
    rng = random.Random(13)
    p = [Fraction(rng.randint(1, 9), 10) for _ in range(n)]
    r = [Fraction(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(n)]
    g = Fraction(7, 9)
    point = {"gamma": g, **{f"p{i + 1}": p[i] for i in range(n)},
             **{f"r{i + 1}": r[i] for i in range(n)}}
    values = [point[str(x)] for x in v.symbols]

    def at(terms):  # Σ c·Π x^e at the point, in Fractions
        total = Fraction(0)
        for monomial, c in terms.items():
            term = Fraction(c)
            for x, e in zip(values, monomial):
                if e:
                    term *= x ** e
            total += term
        return total
    # v_i − γ(1 − p_i) v_i − γ p_i v_{i+1} = r_i
    A = [[0] * n for _ in range(n)]
    for i in range(n):
        A[i][i] += 1 - g * (1 - p[i])
        A[i][(i + 1) % n] -= g * p[i]
    expected = _exact_solve(A, r)
    for i in (0, 4, 9):
        num, den = v.terms(f"s{i + 1}")
        assert at(num) / at(den) == expected[i]


@pytest.mark.parametrize("n", [4, 6])
def test_backends_print_the_same_ring(n):
    mdp = symbolic_ring(n)
    flint, python = solve_v(mdp, backend="flint"), solve_v(mdp, backend="python")
    assert [flint.text(s) for s in mdp.states] == [python.text(s) for s in mdp.states]
    # the parts a reader asks for one at a time agree with the whole
    for s in mdp.states:
        assert sympy.cancel(flint.numerator(s) / flint.denominator(s) - python[s]) == 0


def test_results_are_converted_only_when_read():
    mdp = symbolic_ring(6)
    v = solve_v(mdp, backend="flint")
    terms = v._vector._terms
    assert isinstance(terms, LazyFractions)
    assert terms.converted() == []
    v.text("s2")
    v.numerator("s2")
    assert terms.converted() == [v._index["s2"]]


@pytest.mark.parametrize("seed", range(6))
def test_numerators_and_determinant_on_dense_systems(seed):
    # dense 4×4 systems over ZZ[x, y] with zeros placed so that pivots must be chosen;
    # A·N = D·b and D = ±det(A) (SymPy's determinant)
    rng = random.Random(seed)
    x, y = sympy.symbols("x y")
    R = PolyRing((x, y), ZZ)
    n = 4

    def entry():
        if rng.random() < 0.3:
            return sympy.Integer(0)
        return sum(rng.randint(-3, 3) * x ** rng.randint(0, 2) * y ** rng.randint(0, 1)
                   for _ in range(2))
    while True:
        A = sympy.Matrix(n, n, lambda i, j: entry())
        det = sympy.expand(A.det())
        if det != 0:
            break
    b = [entry() for _ in range(n)]
    rows = [{j: R.from_expr(A[i, j]) for j in range(n) if A[i, j] != 0} for i in range(n)]
    for i in range(n):
        if b[i] != 0:
            rows[i][n] = R.from_expr(b[i])
    N, D = numerators_and_determinant(rows, R.one, lambda a, c: a.exquo(c)
                                      if a.rem(c) == 0 else None)
    assert D.as_expr() in (det, -det)
    for i in range(n):
        lhs = sum((A[i, j] * N[j].as_expr() for j in range(n)), sympy.Integer(0))
        assert sympy.expand(lhs - D.as_expr() * b[i]) == 0


@pytest.mark.parametrize("backend", ["flint", "python"])
def test_singular_symbolic_system_is_refused(backend):
    # γ = 1 and a stochastic P with a symbol: I − P is singular for every p
    p = sympy.Symbol("p")
    rows = [{0: p, 1: 1 - p}, {0: 1 - p, 1: p}]
    with pytest.raises(SingularSystem):
        solve_discounted(rows, [1, 1], sympy.Integer(1), [p], backend=backend)
