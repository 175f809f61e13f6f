"""Where the projected equation is computed: ℚ, ℚ(symbols), ℚ(γ, symbols), and ℤ[γ].

D, X, P_π and r_π live in ℚ or the field of rational functions in the model's symbols;
A(γ) and b in that field with γ adjoined. When γ is the only symbol, A's entries are
polynomials in γ and one positive integer scales them into ℤ[γ], where fraction-free
elimination is many times faster than arithmetic in ℚ(γ).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import sympy
from sympy import Integer, Symbol  # noqa: F401 (the doctests use Symbol)
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from ..core.errors import ModelError

__all__ = ["field_of", "to_field", "integer_polynomials", "integer_coefficients",
           "fixed_points"]


def field_of(symbols: Sequence[sympy.Symbol]):
    """ℚ, or the field of rational functions ℚ(symbols): where D, X, P and r live.

    >>> field_of([]), field_of([sympy.Symbol("p")])
    (QQ, QQ(p))
    """
    symbols = list(symbols)
    return QQ.frac_field(*symbols) if symbols else QQ


def to_field(K, expr) -> Any:
    """An exact SymPy expression as an element of ``K``.

    >>> to_field(QQ, sympy.Rational(1, 3)) == QQ(1, 3)
    True
    """
    expr = sympy.sympify(expr)
    if K is QQ:
        if not expr.is_Rational:
            raise ModelError(f"expected a number, got {expr}")
        return QQ(int(expr.p), int(expr.q))
    return K.from_sympy(expr)


def integer_polynomials(matrices, K):
    """Matrices over ℚ(γ) whose entries are polynomials, times one positive integer L so
    that they lie in ℤ[γ]: ``(matrices over ℤ[γ], L)``, or None when an entry is not a
    polynomial in γ alone (other symbols, or a denominator in γ).

    Fraction-free elimination over ℤ[γ] (Bareiss, in ``DomainMatrix``) avoids the gcd of
    every intermediate fraction that ℚ(γ) computes; a positive L changes neither the
    solution of Aθ = b (both sides scaled) nor the signs of A's eigenvalues' real parts.

    >>> g = Symbol("g")
    >>> K = QQ.frac_field(g)
    >>> (M,), L = integer_polynomials([DomainMatrix([[K.from_sympy(g / 2 - sympy.Rational(1, 3))]],
    ...                                (1, 1), K)], K)
    >>> M.to_Matrix(), L
    (Matrix([[3*g - 2]]), 6)
    """
    from sympy.polys.domains import ZZ

    gens = getattr(K, "symbols", ())
    if len(gens) != 1:
        return None
    entries = []
    for M in matrices:
        for row in M.to_list():
            for x in row:
                if x.denom.degree() > 0:
                    return None
                entries.append(x)
    L = 1
    for x in entries:
        lead = x.denom.LC
        for c in x.numer.coeffs():
            L = math.lcm(L, int((QQ(c) / QQ(lead)).denominator))
    R = ZZ[gens[0]]

    def convert(x):
        lead = QQ(x.denom.LC)
        return R.ring.from_dict({m: ZZ(int(QQ(c) / lead * L)) for m, c in x.numer.terms()})
    out = [DomainMatrix([[convert(x) for x in row] for row in M.to_list()], M.shape, R)
           for M in matrices]
    return out, L


def integer_coefficients(element) -> list[int]:
    """An element of ℤ[γ] or a polynomial numerator of ℚ(γ) as integers, lowest degree
    first (times a positive constant).

    >>> from sympy.polys.domains import ZZ
    >>> g = Symbol("g")
    >>> integer_coefficients(ZZ[g].from_sympy(3 * g - 2))
    [-2, 3]
    """
    coeffs = [QQ(c) for c in reversed(element.to_dense())]
    lcm = math.lcm(*[int(c.denominator) for c in coeffs]) if coeffs else 1
    return [int(c * lcm) for c in coeffs]


def fixed_points(A: DomainMatrix, b: DomainMatrix, K):
    """Solutions of Aθ = b over the field K: (particular θ, null-space basis).

    The particular solution sets the free coordinates (the non-pivot columns of the
    reduced row echelon form) to 0; θ is None when there is no solution.

    >>> A = DomainMatrix([[QQ(1), QQ(2)], [QQ(2), QQ(4)]], (2, 2), QQ)
    >>> fixed_points(A, DomainMatrix([[QQ(3)], [QQ(6)]], (2, 1), QQ), QQ)
    ((3, 0), ((-2, 1),))
    """
    k = A.shape[0]
    if k == 0:
        return (), ()
    ring = integer_polynomials([A, b], K) if K is not QQ else None
    if ring is not None:  # fraction-free over ℤ[γ]
        (AR, bR), _ = ring
        R = AR.domain
        if AR.det() != R.zero:
            num, den = AR.solve_den(bR)
            den = K.convert_from(den, R)
            return tuple(K.to_sympy(K.convert_from(num[i, 0].element, R) / den)
                         for i in range(k)), ()
    elif A.det() != K.zero:
        x = A.lu_solve(b)
        return tuple(K.to_sympy(x[i, 0].element) for i in range(k)), ()
    aug = A.hstack(b)
    R, pivots = aug.rref()
    if k in pivots:
        return None, ()
    theta = [Integer(0)] * k
    for r, c in enumerate(pivots):
        theta[c] = K.to_sympy(R[r, k].element)
    free = [c for c in range(k) if c not in pivots]
    directions = []
    for f in free:
        d = [Integer(0)] * k
        d[f] = Integer(1)
        for r, c in enumerate(pivots):
            d[c] = -K.to_sympy(R[r, f].element)
        directions.append(tuple(d))
    return tuple(theta), tuple(directions)
