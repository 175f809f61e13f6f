"""The Krylov route's modular shortcuts: the annihilator of ρ and the coprimality proof.

Reference values come from SymPy's dense algebra (``Matrix.charpoly``, ``Matrix`` powers,
``gcd`` of integer polynomials), which shares no code with :mod:`symbellman.linalg`, and
from the pure-Python backend, which takes the characteristic polynomial and exact gcds.
"""

from __future__ import annotations

import math
import random
from functools import reduce

import pytest
import sympy
from sympy import Matrix, Symbol

from symbellman import Policy
from symbellman.model.examples import gridworld
from symbellman.model.induced import induced_chain
from symbellman.linalg import solve_discounted
from symbellman.linalg import krylov
from symbellman.linalg.modular import annihilator_candidate, coprime_numerators

g = Symbol("gamma")
t = Symbol("t")


def chain(size):
    m = gridworld(*size)
    c = induced_chain(m, Policy.uniform(m))
    return list(c.rows), list(c.rewards)


def integer_system(rows, r):
    """A = L·P in integers and ρ = d·r, as the Krylov route builds them."""
    L = reduce(math.lcm, (int(x.q) for row in rows for x in row.values()), 1)
    A_rows = [[(j, int(x.p) * (L // int(x.q))) for j, x in sorted(row.items())] for row in rows]
    d = reduce(math.lcm, (int(x.q) for x in r), 1)
    return A_rows, [int(x * d) for x in r]


def dense(A_rows):
    n = len(A_rows)
    return Matrix(n, n, lambda i, j: dict(A_rows[i]).get(j, 0))


def random_integer_system(seed, n):
    rnd = random.Random(seed)
    A_rows = []
    for _ in range(n):
        cols = sorted(rnd.sample(range(n), rnd.randint(1, min(n, 3))))
        A_rows.append([(j, rnd.randint(1, 4)) for j in cols])
    rho = [rnd.randint(-5, 5) for _ in range(n)]
    if not any(rho):
        rho[0] = 1
    return A_rows, rho


def reversed_charpoly(A):
    """det(I − tA) = t^n χ_A(1/t) by SymPy's Berkowitz charpoly, increasing powers of t."""
    return [int(c) for c in A.charpoly(t).all_coeffs()]


def check_annihilator(A_rows, rho, lam):
    """Λ(0) = 1, Λ divides det(I − tA), and μ(A)ρ = 0 for μ(x) = x^deg Λ(1/x)."""
    A = dense(A_rows)
    D = reversed_charpoly(A)
    assert lam[0] == 1
    quotient, remainder = sympy.div(sympy.Poly(list(reversed(D)), t),
                                    sympy.Poly(list(reversed(lam)), t))
    assert remainder.is_zero
    # t^k coefficient of Λ goes with A^(deg − k); any deg ≥ len(Λ) − 1 works, take n
    n = A.rows
    total = sympy.zeros(n, 1)
    vector = Matrix(rho)
    for k in range(n + 1):  # Σ_k c_k A^(n − k) ρ by Horner's rule
        c = lam[k] if k < len(lam) else 0
        total = A * total + c * vector
    assert total == sympy.zeros(n, 1)


@pytest.mark.parametrize("size", [(3, 3), (4, 4), (5, 5), (6, 6)])
def test_annihilator_divides_determinant_and_annihilates_rho_on_gridworlds(size):
    A_rows, rho = integer_system(*chain(size))
    lam = annihilator_candidate(A_rows, rho)
    assert lam is not None
    check_annihilator(A_rows, rho, lam)


@pytest.mark.parametrize("seed", range(6))
def test_annihilator_on_random_integer_systems(seed):
    A_rows, rho = random_integer_system(seed, 7)
    lam = annihilator_candidate(A_rows, rho)
    assert lam is not None
    check_annihilator(A_rows, rho, lam)


def test_annihilator_is_shorter_than_the_determinant_when_rho_is_invariant():
    # the uniform 3-cycle fixes ρ = (1, 1, 1): Λ = 1 − t, det(I − tA) = 1 − t³
    A_rows = [[(1, 1)], [(2, 1)], [(0, 1)]]
    assert annihilator_candidate(A_rows, [1, 1, 1]) == [1, -1]
    assert reversed_charpoly(dense(A_rows)) == [1, 0, 0, -1]


def test_annihilator_declines_weights_it_cannot_read():
    assert annihilator_candidate([[(0, -1)]], [1]) is None
    assert annihilator_candidate([[(0, 100)]], [1]) is None
    assert annihilator_candidate([[(0, 1)]], [0]) is None


@pytest.mark.parametrize("seed", range(6))
def test_coprime_proofs_are_sound(seed):
    """Whenever a numerator is reported coprime to D, its exact gcd with D is 1; with
    D = det(I − tA) on a gridworld, where D has factors ρ never excites, some are not."""
    if seed < 4:
        A_rows, rho = random_integer_system(seed, 7)
    else:
        A_rows, rho = integer_system(*chain((4 + seed - 4, 4 + seed - 4)))
    D = reversed_charpoly(dense(A_rows))
    n = len(A_rows)
    flags = coprime_numerators(A_rows, rho, D)
    _, (coefficients,) = krylov.krylov_numerators(A_rows, [rho], _python_backend(),
                                                  denominator=D)
    numerators = list(zip(*coefficients))
    assert len(flags) == n
    D_poly = sympy.Poly(list(reversed(D)), t)
    exact = [sympy.gcd(D_poly, sympy.Poly(list(reversed(p)), t)).degree() == 0
             if any(p) else False for p in numerators]
    assert all(e for f, e in zip(flags, exact) if f)
    if seed >= 4:
        assert not any(exact)  # the gridworld's determinant shares factors with all


def _python_backend():
    from symbellman.linalg.backend import get_backend
    return get_backend("python")


@pytest.mark.parametrize("size", [(8, 8), (10, 10)])
def test_flint_route_equals_python_route(size):
    rows, r = chain(size)
    a = solve_discounted(rows, r, g, backend="flint")
    b = solve_discounted(rows, r, g, backend="python")
    assert [a.terms(i) for i in range(len(a))] == [b.terms(i) for i in range(len(b))]


def test_determinant_is_still_det_when_the_denominator_is_shorter():
    rows, r = chain((4, 4))
    x = solve_discounted(rows, r, g, backend="flint")
    n = len(rows)
    P = Matrix(n, n, lambda i, j: rows[i].get(j, 0))
    # det(I − γP) = γ^n χ_P(1/γ): the characteristic coefficients in increasing powers
    det = sum(c * g ** k for k, c in enumerate(P.charpoly(t).all_coeffs()))
    assert sympy.expand(x.determinant - det) == 0
    A_rows, rho = integer_system(rows, r)
    assert len(annihilator_candidate(A_rows, rho)) < n + 1  # the shorter route was taken


def test_a_wrong_candidate_falls_back_to_the_characteristic_polynomial(monkeypatch):
    rows, r = chain((5, 5))
    expected = solve_discounted(rows, r, g, backend="python")
    monkeypatch.setattr(krylov, "annihilator_candidate", lambda A_rows, rho: [1, -1])
    x = solve_discounted(rows, r, g, backend="flint")
    assert [x.terms(i) for i in range(len(x))] == \
        [expected.terms(i) for i in range(len(expected))]
