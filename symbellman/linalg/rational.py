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

from ..core.expressions import as_fraction
from .backend import PythonBackend
from .backup import rational_entry
from .polynomials import TERMS, lowest
from .vector import ExactVector

__all__ = ["polynomial_parts", "discounted_rows", "solve_rational", "numeric_backup"]


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
    columns = [[as_fraction(p[m]) if m in p else Fraction(0)
                for p in polys] for m in monomials]
    d = reduce(math.lcm, (x.denominator for col in columns for x in col), 1)
    return monomials, [[int(x * d) for x in col] for col in columns], d


def discounted_rows(P_rows, discount: Expr) -> list[dict]:
    """The rows of G = γP as Fractions, for a rational γ and rational entries: the system
    (I − G)x = b that :meth:`PythonBackend.solve_rational` solves.

    >>> from sympy import Rational
    >>> discounted_rows([{1: Rational(1, 2)}], Rational(9, 10))
    [{1: Fraction(9, 20)}]
    """
    g = as_fraction(discount)
    return [{j: g * as_fraction(x) for j, x in row.items()} for row in P_rows]


def solve_rational(P_rows, parts, discount: Expr, params, backend: PythonBackend
                   ) -> ExactVector:
    """x = (I − γP)^{-1} r at a rational γ, for r split into ``parts`` = (monomials,
    columns, d) by :func:`polynomial_parts`."""
    monomials, columns, d = parts
    rows = discounted_rows(P_rows, discount)
    values = backend.solve_rational(rows, columns, d)
    ring = PolyRing(tuple(params), ZZ) if params else PolyRing(("_",), ZZ)
    zero = (0,) * ring.ngens
    terms = []
    for row in values:
        if len(row) == 1:  # one column: the Fraction is already in lowest terms
            (v,) = row
            terms.append(({(monomials[0] if params else zero): v.numerator}, {zero: v.denominator})
                         if v else ({}, {zero: 1}))
            continue
        q = reduce(math.lcm, (v.denominator for v in row), 1)
        num = {(m if params else zero): int(v * q) for m, v in zip(monomials, row) if v}
        terms.append(lowest(num, {zero: q}, TERMS) if num else ({}, {zero: 1}))

    def determinant():
        return sympy.Rational(*_pair(backend.determinant_rational(rows)))
    return ExactVector.from_terms(ring, terms, determinant, f"rational-{backend.name}")


def _pair(x: Fraction) -> tuple[int, int]:
    return x.numerator, x.denominator


def numeric_backup(vector: ExactVector, entries, discount: Expr, backend: PythonBackend
                   ) -> ExactVector | None:
    """y_e = Σ p·(r + γ·x_k) over the triples (k, p, r) of each entry e, when γ and every
    x_k, p and r are numbers (else None), in integers over one common denominator.

    With x_k = N_k/D (D the lcm of the x's denominators, found by divisibility tests,
    as the lifted solve leaves them nearly all equal), each entry is one integer
    numerator over Q·D·γ_q and one gcd; large values (thousands of digits) never go
    through a Fraction sum. The values are those of :func:`.backup.backup`.

    >>> from sympy import Rational as R
    >>> from symbellman.linalg import solve_discounted, get_backend
    >>> v = solve_discounted([{0: R(1, 2)}], [sympy.Integer(1)], R(9, 10))
    >>> y = numeric_backup(v, [[(0, R(1, 2), 3), (None, R(1, 2), 1)]], R(9, 10),
    ...                    get_backend("python"))
    >>> y.expr(0)  # 2 + (9/20)·v with v = 1/(1 − 9/20) = 20/11
    31/11
    """
    ring = vector.ring
    if not (discount.is_Rational and ring.ngens == 1 and str(ring.symbols[0]) == "_"):
        return None
    zero = (0,)
    nums, dens = [], []
    for k in range(len(vector)):
        num, den = vector.terms(k)
        nums.append(num.get(zero, 0))
        dens.append(den[zero])
    D = 1
    for d in dens:
        if D % d:
            D = D // math.gcd(D, d) * d
    scaled = [n * (D // d) if d != D else n for n, d in zip(nums, dens)]
    gp, gq = int(discount.p), int(discount.q)
    cache: dict = {}
    terms = []
    for entry in entries:
        parts = rational_entry(cache, entry)
        if parts is None:
            return None
        Q = 1
        for _, pp, pq, rp, rq in parts:
            Q = math.lcm(Q, pq, rq)
        constant, weighted = 0, 0
        for k, pp, pq, rp, rq in parts:
            constant += rp * (Q // rq)
            if k is not None and pp:
                weighted += pp * (Q // pq) * scaled[k]
        # y = constant/Q + γ·weighted/(Q·D) = (constant·D·g_q + g_p·weighted)/(Q·D·g_q)
        top, bottom = constant * D * gq + gp * weighted, Q * D * gq
        if not top:
            terms.append(({}, {zero: 1}))
            continue
        g = backend.integer_gcd(top, bottom)
        terms.append(({zero: top // g}, {zero: bottom // g}))
    return ExactVector.from_terms(ring, terms, vector._determinant, vector.method)
