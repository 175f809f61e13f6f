"""The Krylov route: closed forms in a symbolic γ when P is rational, in integers only.

With P = A/L (A integer) and t = γ/L, D(t) = det(I − tA) is the reversed
characteristic polynomial of A, and since (I − tA)^{-1} ρ = Σ_k t^k A^k ρ, the
numerators are N(t) = D(t) · Σ_{k<n} t^k A^k ρ mod t^n, exactly, because adj(I − tA)
has degree below n. The right-hand side may be polynomial in other parameters (one
integer column ρ per monomial).
"""

from __future__ import annotations

import math
from functools import reduce
from operator import itemgetter, or_
from typing import Sequence

import sympy
from sympy import Symbol
from sympy.polys.domains import ZZ
from sympy.polys.rings import PolyRing

from .backend import PythonBackend
from .modular import annihilator_candidate, coprime_numerators
from .polynomials import DENSE, TERMS, lowest, trim
from .vector import DenseFractions, ExactVector

__all__ = ["solve_krylov", "krylov_numerators"]


def _row_readers(A_rows) -> list:
    """Per row, a function of y whose result sums to (A y)_i.

    Rows of a stochastic matrix times its common denominator have small weights, so
    a weight a is read as a repetitions of y[j]: ``itemgetter`` then does the row in C.
    """
    readers = []
    for row in A_rows:
        if row and all(0 < a <= 4 for _, a in row):
            idx = [j for j, a in row for _ in range(a)]
            readers.append(itemgetter(*idx) if len(idx) > 1
                           else (lambda y, j=idx[0]: (y[j],)))
        else:
            readers.append(lambda y, row=row: [a * y[j] for j, a in row])
    return readers


def krylov_numerators(A_rows: Sequence[Sequence[tuple[int, int]]],
                      columns: Sequence[Sequence[int]], backend: PythonBackend, report=None,
                      denominator: Sequence[int] | None = None):
    """D(t) and, per column ρ, the n numerator coefficient vectors.

    D(t) = Σ_j c_j t^j is ``denominator`` when given (with D(0) = 1 and D(A)ρ = 0 in
    reversed form, as :func:`~symbellman.linalg.modular.annihilator_candidate` finds),
    else det(I − tA). The numerators N(t) = D(t)·Σ_k t^k A^k ρ mod t^n have the
    coefficients y_j = Σ_{k≤j} c_{j−k} A^k ρ, which satisfy the Horner recurrence
    y_0 = ρ, y_j = A y_{j−1} + c_j ρ: n sparse integer mat-vecs whose entries never
    exceed the size of the output (the powers A^k ρ themselves grow much faster).
    The product D(t)·Σ_k t^k A^k ρ is a polynomial of degree below n exactly when
    y_n = A y_{n−1} + c_n ρ = 0 (Cayley–Hamilton for det(I − tA)): an exact check,
    which raises ArithmeticError if it fails.
    """
    n = len(A_rows)
    D = list(denominator) if denominator is not None else backend.reversed_charpoly(A_rows)
    if len(D) > n + 1:
        raise ArithmeticError("denominator of degree above n")
    D = D + [0] * (n + 1 - len(D))
    per_column = []
    readers = _row_readers(A_rows)
    total = n * len(columns)
    for m, rho in enumerate(columns):
        y = list(rho)
        coefficients = [y]
        for j in range(1, n + 1):
            c = D[j]
            y = [sum(read(y)) for read in readers]
            if c:
                y = [a + c * b for a, b in zip(y, rho)]
            if j < n:
                coefficients.append(y)
            _progress(report, "numerators", m * n + j, total, step=j)
        if any(y):  # a candidate denominator that does not annihilate ρ
            raise ArithmeticError("Cayley-Hamilton check failed")
        per_column.append(coefficients)
    _progress(report, "numerators", total, total)
    return D, per_column


def _numerators(A_rows, columns, backend: PythonBackend, report=None):
    """:func:`krylov_numerators` with the shortest denominator found cheaply.

    With flint and one column ρ, the annihilator of ρ modulo primes
    (:func:`~symbellman.linalg.modular.annihilator_candidate`) replaces det(I − tA): a
    dense characteristic polynomial costs O(n³) per prime, the annihilator a few
    sparse mat-vec sequences. The numerators' exact check proves the candidate; if it
    fails, the characteristic polynomial is taken.

    Returns (D, numerators per column, whether D is det(I − tA)).
    """
    if backend.name == "flint" and len(columns) == 1:
        candidate = annihilator_candidate(A_rows, columns[0])
        if candidate is not None:
            try:
                D, per_column = krylov_numerators(A_rows, columns, backend, report,
                                                  candidate)
                return D, per_column, len(candidate) == len(A_rows) + 1
            except ArithmeticError:
                pass
    return (*krylov_numerators(A_rows, columns, backend, report), True)


def solve_krylov(P_rows, parts, gamma_symbol: Symbol, params: Sequence[Symbol],
                 backend: PythonBackend, report=None) -> ExactVector:
    """x(γ) in lowest terms, for r split into ``parts`` = (monomials, columns, d) by
    :func:`~symbellman.linalg.rational.polynomial_parts`."""
    monomials, columns, d = parts
    L = reduce(math.lcm, (int(x.q) for row in P_rows for x in row.values()), 1)
    # P_rows holds no zeros (solve_discounted drops them); x·L in integers
    A_rows = [[(j, int(x.p) * (L // int(x.q))) for j, x in sorted(row.items())] for row in P_rows]
    D, per_column, is_determinant = _numerators(A_rows, columns, backend, report)
    D = trim(D)
    # per state, the coefficients of its numerator for each parameter monomial
    by_state = [list(zip(*coefficients)) for coefficients in per_column]
    ring = PolyRing((gamma_symbol, *params), ZZ)

    def determinant():  # det(I − tA), computed now if D is a shorter annihilator
        det = D if is_determinant else trim(backend.reversed_charpoly(A_rows))
        return sympy.Add(*[sympy.Rational(c, L ** j) * gamma_symbol ** j
                           for j, c in enumerate(det) if c])
    if params:
        terms = _lowest_terms(D, by_state, monomials, L, d, backend, report)
    else:
        terms = _lowest_terms_univariate(D, by_state[0], L, d, backend, report,
                                         A_rows, columns[0])
    return ExactVector.from_terms(ring, terms, determinant, f"krylov-{backend.name}")


class _Reduced:
    """D/g per gcd g, and its rescaling to γ per degree: states share a few of each.

    With flint, ``coprime`` may list the states whose numerator is proved coprime to D
    modulo a prime (:func:`~symbellman.linalg.modular.coprime_numerators`): as for
    most states once D is the annihilator of ρ; their exact gcd is not taken.
    """

    def __init__(self, D: list[int], L: int, d: int, backend: PythonBackend):
        self.D_list = D
        self.shift = L.bit_length() - 1 if L & (L - 1) == 0 else None  # L = 2^shift
        self.D, self.L, self.d, self.backend = backend.prepare(D), L, d, backend
        self.cofactors: dict = {}
        self.scaled: dict = {}
        self.powers: dict = {}
        self.coprime: list[bool] | None = None

    def gcd(self, p: list[int], i: int) -> list[int]:
        """The primitive gcd of D and the numerator p of state i."""
        if self.coprime is not None and self.coprime[i]:
            return [1]
        return self.backend.gcd([self.D, self.backend.prepare(p)])

    def cofactor(self, g: list[int]):
        key = tuple(g)
        if key not in self.cofactors:
            self.cofactors[key] = self.backend.prepare(self.backend.exquo(self.D, g)) \
                if len(g) > 1 else self.D
        return self.cofactors[key]

    def to_gamma(self, p: list[int], deg: int) -> list[int]:
        """p(t) with t = γ/L, times L^deg: integer coefficients c_j L^(deg − j)."""
        if self.shift is not None:  # shifts cost less than multiplications
            return [c << (self.shift * (deg - j)) for j, c in enumerate(p)]
        if deg not in self.powers:
            self.powers[deg] = [self.L ** (deg - j) for j in range(deg + 1)]
        return [c * w for c, w in zip(p, self.powers[deg])]

    def denominator(self, g: list[int], deg: int) -> tuple[list[int], int]:
        """d·(D/g)(γ/L)·L^deg as a list, and its content (one object per key)."""
        key = (tuple(g), deg)
        if key not in self.scaled:
            cofactor = self.D_list if len(g) == 1 else self.backend.exquo(self.D, g)
            den = [c * self.d for c in self.to_gamma(cofactor, deg)]
            self.scaled[key] = den, math.gcd(*den), {}
        return self.scaled[key]


def _joint_content(c: int, p: list[int]) -> int:
    """gcd(c, *p) for c > 0, its power of two from trailing zeros (scalings by L = 2^k
    make it large, and Euclid's steps on large powers of two are slow).

    >>> _joint_content(24, [36, 60]), _joint_content(2 ** 90, [2 ** 95, 3 * 2 ** 80])
    (12, 1208925819614629174706176)
    """
    a = (c & -c).bit_length() - 1
    odd = c >> a
    odd_part = math.gcd(odd, *p) if odd != 1 else 1
    if a:  # the lowest set bit of an OR is the lowest over its terms (two's complement too)
        bits = reduce(or_, p, 0)
        if bits:
            a = min(a, (bits & -bits).bit_length() - 1)
    return odd_part << a


def _divide(p: list[int], c: int) -> list[int]:
    """p / c, exactly (c divides every coefficient); by a shift when |c| = 2^k."""
    magnitude = -c if c < 0 else c
    if magnitude & (magnitude - 1):
        return [x // c for x in p]
    k = magnitude.bit_length() - 1
    return [x >> k for x in p] if c > 0 else [-(x >> k) for x in p]


def _progress(report, stage: str, done: int, total: int, step: int | None = None) -> None:
    """Tell ``report`` (when there is one) that ``done`` of ``total`` are through ``stage``:
    at every 16th ``step``, and always without a step (the stage's end, at 100 % whatever
    ``total`` is modulo 16)."""
    if report is not None and (step is None or step % 16 == 0):
        report(stage, done, total)


def _lowest_terms_univariate(D, numerators, L: int, d: int, backend: PythonBackend,
                             report=None, A_rows=None, rho=None) -> DenseFractions:
    """N_i(t)/D(t) with t = γ/L, for r = ρ/d, in lowest terms in γ.

    Each entry: g = gcd(D, N_i) and the quotients in t, then t = γ/L by scaling
    coefficient j by L^(deg − j), then the joint integer content divided out and the
    sign fixed (:func:`~symbellman.linalg.polynomials.lowest`). This is the unique
    normalised form. With flint, ``A_rows`` and ``rho`` (the system the numerators
    come from) let most gcds be skipped (:class:`_Reduced`). The entries are integer
    coefficient lists (converting large
    integers into flint costs more than this arithmetic); states that share a
    denominator share one list.
    """
    n = len(numerators)
    reduced = _Reduced(D, L, d, backend)
    if backend.name == "flint" and A_rows is not None:
        reduced.coprime = coprime_numerators(A_rows, rho, D)
    out = []
    for i, coefficients in enumerate(numerators):
        p = trim(coefficients)
        if not p:
            out.append(([], [1]))
            continue
        g = reduced.gcd(p, i)
        num_t = p if len(g) == 1 else backend.exquo(backend.prepare(p), g)
        deg = max(len(D) - len(g) + 1, len(num_t)) - 1
        den, den_content, by_content = reduced.denominator(g, deg)
        num = reduced.to_gamma(num_t, deg)
        # lowest(num, den, DENSE, den_content), with den divided once per content
        content = _joint_content(den_content, num)
        if DENSE.leading(den) < 0:
            content = -content
        if content != 1:
            num = _divide(num, content)
            if content not in by_content:
                by_content[content] = _divide(den, content)
            out.append((num, by_content[content]))
        else:
            out.append((num, den))
        _progress(report, "lowest terms", i, n, step=i)
    _progress(report, "lowest terms", n, n)
    return DenseFractions(out)


def _lowest_terms(D, by_state, monomials, L: int, d: int, backend: PythonBackend,
                  report=None) -> list[tuple[dict, dict]]:
    """As :func:`_lowest_terms_univariate`, with one numerator per parameter monomial:
    the gcd with D is taken over all of a state's numerators at once."""
    n = len(by_state[0]) if by_state else 0
    zeros = (0,) * len(monomials[0])
    reduced = _Reduced(D, L, d, backend)
    terms = []
    for i in range(n):
        parts_i = [trim(list(by_state[m][i])) for m in range(len(monomials))]
        nonzero = [backend.prepare(p) for p in parts_i if p]
        if not nonzero:
            terms.append(({}, {(0, *zeros): 1}))
            continue
        g = backend.gcd([reduced.D, *nonzero])
        den_t = backend.to_list(reduced.cofactor(g))
        nums_t = [backend.exquo(p, g) if p else [] for p in parts_i]
        # back from t = γ/L to γ: multiply numerator and denominator by d·L^deg. The
        # gcd over Q[t] is 1, so only an integer content can be left to cancel.
        deg = max(len(den_t), *(len(p) for p in nums_t)) - 1
        den = {(j, *zeros): c * d for j, c in enumerate(reduced.to_gamma(den_t, deg)) if c}
        num = {(j, *mono): c for mono, p in zip(monomials, nums_t)
               for j, c in enumerate(reduced.to_gamma(p, deg)) if c}
        terms.append(lowest(num, den, TERMS))
        _progress(report, "lowest terms", i, n, step=i)
    _progress(report, "lowest terms", n, n)
    return terms
