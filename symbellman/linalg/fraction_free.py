"""The fraction-free route: (I − γP)x = r when P holds symbols, over ZZ[γ, parameters].

Each row is cleared of denominators and the backend solves the system over the
integer polynomials by sparse fraction-free elimination (:mod:`.bareiss`, on
python-flint's ``fmpz_mpoly`` or SymPy's pure-Python rings: the same algorithm, the
same results) and cancels each entry against the determinant. The entries stay in the
backend's polynomials until they are read (:mod:`.lazy_fractions`).
"""

from __future__ import annotations

import math
from functools import reduce
from typing import Sequence

import sympy
from sympy import Expr, Symbol
from sympy.polys.domains import QQ, ZZ
from sympy.polys.fields import FracField
from sympy.polys.matrices import DomainMatrix
from sympy.polys.rings import PolyRing

from .backend import PythonBackend
from .vector import ExactVector

__all__ = ["solve_fraction_free", "solve_linear"]


def _polynomial_rows(P_rows, r, discount: Expr, gens: Sequence[Symbol], ring: PolyRing):
    """Rows of [I − γP | r] in ZZ[gens], built as ring elements, or None.

    Every entry of P and r is read once into QQ[gens] (``from_expr`` on the expanded
    expression, shared between equal entries) and each row is scaled by the lcm of its
    coefficient denominators. None when some entry is not a polynomial (then rows go
    through SymPy's ``together``/``cancel``). Scaling a row does not change the solution.
    """
    qring = PolyRing(tuple(gens), QQ)
    seen: dict = {}

    def read(e):
        if e not in seen:
            seen[e] = qring.from_expr(sympy.expand(e))
        return seen[e]
    try:
        g = read(discount)
        rows = []
        for i, row in enumerate(P_rows):
            entries = [qring.zero] * len(P_rows)
            for j, x in row.items():
                entries[j] = -g * read(x)
            entries[i] = entries[i] + 1
            entries.append(read(r[i]))
            rows.append(_integer_row(entries, ring))
    except (ValueError, sympy.PolynomialError, sympy.CoercionFailed):
        return None
    return rows


def _integer_row(polys, ring: PolyRing) -> list:
    """A row of polynomials over QQ times the lcm of their coefficient denominators."""
    den = reduce(math.lcm, (int(c.denominator) for p in polys for c in p.coeffs()), 1)
    return [ring.from_dict({m: int(c * den) for m, c in p.items()}) for p in polys]


def _cleared_rows(P_rows, r, discount: Expr, gens: Sequence[Symbol], ring: PolyRing):
    """Rows of [I − γP | r] in ZZ[gens] for any rational-function entries.

    Each distinct entry is read once into the field QQ(gens) (numerator and denominator
    in lowest terms, without SymPy's expression-level ``together``/``cancel``); a row
    is then multiplied by the lcm of its denominators, each entry by an exact quotient.
    """
    n = len(P_rows)
    field = FracField(tuple(gens) or ("_",), QQ)
    qring = field.ring
    seen: dict = {}

    def read(e):
        if e not in seen:
            f = field.from_expr(e)
            seen[e] = (f.numer, f.denom)
        return seen[e]
    g_num, g_den = read(discount)
    rows = []
    for i, row in enumerate(P_rows):
        # 1·[i = j] − γ·p_ij and r_i, as numerator/denominator pairs
        entries = []
        for j in range(n):
            p = row.get(j)
            if p is None:
                entries.append((qring.one if i == j else qring.zero, qring.one))
                continue
            p_num, p_den = read(p)
            num, den = -g_num * p_num, g_den * p_den
            if i == j:
                num = num + den
            entries.append((num, den))
        entries.append(read(r[i]))
        lcm = qring.one
        for _, den in entries:
            if den != 1:
                lcm = lcm.lcm(den)
        rows.append(_integer_row([num * lcm.exquo(den) if den != 1 else num * lcm
                                  for num, den in entries], ring))
    return rows


def solve_fraction_free(P_rows, r, discount: Expr, gens: Sequence[Symbol],
                        backend: PythonBackend) -> ExactVector:
    """x over ZZ[gens] (the discount first when it is a symbol), in lowest terms."""
    n = len(P_rows)
    ring = PolyRing(tuple(gens), ZZ) if gens else PolyRing(("_",), ZZ)
    rows = _polynomial_rows(P_rows, r, discount, gens, ring) if gens else None
    if rows is None:
        rows = _cleared_rows(P_rows, r, discount, gens, ring)
    pairs = backend.solve_polynomial(rows, ring)

    def determinant():
        M = sympy.eye(n) - discount * sympy.Matrix(n, n, lambda i, j: P_rows[i].get(j, 0))
        return sympy.factor(DomainMatrix.from_Matrix(M).det())
    return ExactVector.from_terms(ring, pairs, determinant, "fraction-free")


def solve_linear(A_rows, b, gens: Sequence[Symbol], backend: PythonBackend) -> ExactVector:
    """x with A x = b over ZZ[gens], in lowest terms: any square sparse system whose
    entries are rational functions of ``gens`` (rows ``{column: entry}``).

    Each entry of [A | b] is read into the field QQ(gens) once, each row multiplied by
    the lcm of its denominators and scaled to integer coefficients; the backend's sparse
    fraction-free elimination solves it, as it does (I − γP)x = r.
    """
    n = len(A_rows)
    ring = PolyRing(tuple(gens), ZZ) if gens else PolyRing(("_",), ZZ)
    field = FracField(tuple(gens) or ("_",), QQ)
    seen: dict = {}

    def read(e):  # numerator and denominator in lowest terms, each entry once
        if e not in seen:
            f = field.from_expr(sympy.sympify(e))
            seen[e] = (f.numer, f.denom)
        return seen[e]
    rows = []
    for i, row in enumerate(A_rows):
        entries = [read(row.get(j, 0)) for j in range(n)] + [read(b[i])]
        lcm = field.ring.one
        for _, den in entries:
            if den != 1:
                lcm = lcm.lcm(den)
        rows.append(_integer_row([num * lcm.exquo(den) for num, den in entries], ring))
    pairs = backend.solve_polynomial(rows, ring)

    def determinant():
        M = sympy.Matrix(n, n, lambda i, j: A_rows[i].get(j, 0))
        return sympy.factor(DomainMatrix.from_Matrix(M).det())
    return ExactVector.from_terms(ring, pairs, determinant, "fraction-free")
