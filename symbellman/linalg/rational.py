"""The rational route: (I − γP)x = r at a numeric γ, by one exact rational solve.

The right-hand side may be polynomial in parameters: it is split into one integer
column per monomial (:func:`polynomial_parts`), all solved at once.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import reduce
from typing import Sequence

import sympy
from sympy import Expr, Symbol
from sympy.polys.domains import QQ, ZZ
from sympy.polys.rings import PolyRing

from ..expressions import as_fraction
from .backend import PythonBackend
from .polynomials import TERMS, lowest
from .vector import ExactVector

__all__ = ["polynomial_parts", "solve_rational"]


def polynomial_parts(r: Sequence[Expr], params: Sequence[Symbol]):
    """Split r = Σ_m monomial_m · ρ_m / d with integer vectors ρ_m and one integer d.

    Returns (monomials, columns, d), or None if r is not polynomial in the parameters.

    >>> a = Symbol("a")
    >>> polynomial_parts([a / 2, sympy.Integer(1)], [a])
    ([(0,), (1,)], [[0, 2], [1, 0]], 2)
    """
    ring = PolyRing(tuple(params), QQ) if params else None
    polys = []
    for e in r:
        if params:
            try:
                polys.append(ring.from_expr(sympy.expand(e)).to_dict())
            except (ValueError, sympy.PolynomialError, sympy.CoercionFailed):
                return None
        else:
            if not e.is_Rational:
                return None
            polys.append({(): QQ(int(e.p), int(e.q))})
    monomials = sorted({m for p in polys for m in p})
    columns = [[Fraction(int(p[m].numerator), int(p[m].denominator)) if m in p else Fraction(0)
                for p in polys] for m in monomials]
    d = reduce(math.lcm, (x.denominator for col in columns for x in col), 1)
    return monomials, [[int(x * d) for x in col] for col in columns], d


def solve_rational(P_rows, parts, discount: Expr, params, backend: PythonBackend
                   ) -> ExactVector:
    """x = (I − γP)^{-1} r at a rational γ, for r split into ``parts`` = (monomials,
    columns, d) by :func:`polynomial_parts`."""
    monomials, columns, d = parts
    g = as_fraction(discount)
    rows = [{j: g * as_fraction(x) for j, x in row.items()} for row in P_rows]
    values = backend.solve_rational(rows, columns, d)
    ring = PolyRing(tuple(params), ZZ) if params else PolyRing(("_",), ZZ)
    zero = (0,) * ring.ngens
    terms = []
    for row in values:
        q = reduce(math.lcm, (v.denominator for v in row), 1)
        num = {(m if params else zero): int(v * q) for m, v in zip(monomials, row) if v}
        terms.append(lowest(num, {zero: q}, TERMS) if num else ({}, {zero: 1}))

    def determinant():
        return sympy.Rational(*_pair(backend.determinant_rational(rows)))
    return ExactVector.from_terms(ring, terms, determinant, f"rational-{backend.name}")


def _pair(x: Fraction) -> tuple[int, int]:
    return x.numerator, x.denominator
