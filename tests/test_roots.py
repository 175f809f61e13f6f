"""Square-free parts and real-root isolation against SymPy's own (independent)
``sqf_list`` and ``real_roots``, with both backends."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

from symbellman.linalg import get_backend
from symbellman.linalg.polynomials import sign_at
from symbellman.linalg.roots import isolate_real_roots, squarefree_parts

x = sympy.Symbol("x")


def random_poly(rnd):
    factors = [[rnd.randint(-5, 5), rnd.randint(1, 6)] for _ in range(rnd.randint(1, 4))]
    factors += [[rnd.randint(-9, 9), rnd.randint(-9, 9), rnd.randint(1, 5)]
                for _ in range(rnd.randint(0, 2))]
    p = sympy.Integer(rnd.choice([1, -2, 3]))
    for f in factors:
        p *= sympy.Poly(list(reversed(f)), x).as_expr() ** rnd.randint(1, 3)
    return [int(c) for c in reversed(sympy.Poly(p, x).all_coeffs())]


@pytest.mark.parametrize("backend", ["flint", "python"])
@pytest.mark.parametrize("seed", range(40))
def test_against_sympy(seed, backend):
    rnd = random.Random(seed)
    p = random_poly(rnd)
    fast = get_backend(backend)
    poly = sympy.Poly(list(reversed(p)), x)
    parts = squarefree_parts(p, fast)
    # the parts multiply back to p up to a constant, with SymPy's multiplicities
    product = sympy.Integer(1)
    for part, m in parts:
        product *= sympy.Poly(list(reversed(part)), x).as_expr() ** m
    assert sympy.cancel(poly.as_expr() / product).is_number
    assert sorted(m for _, m in parts) == sorted(m for _, m in poly.sqf_list()[1])
    low, high = Fraction(rnd.randint(-3, 0)), Fraction(rnd.randint(1, 3))
    for part, _ in parts:
        expected = sorted(r for r in sympy.real_roots(sympy.Poly(list(reversed(part)), x))
                          if low < r < high)
        found = isolate_real_roots(part, low, high, fast)
        assert len(found) == len(expected)
        for root, (lo, hi) in zip(expected, found):
            assert low <= lo <= hi <= high
            assert sympy.Rational(lo.numerator, lo.denominator) <= root <= \
                sympy.Rational(hi.numerator, hi.denominator)
            if lo == hi:
                assert sign_at(part, lo) == 0
            else:
                assert sign_at(part, lo) * sign_at(part, hi) < 0
