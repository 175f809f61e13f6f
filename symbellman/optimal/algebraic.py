"""Exact real algebraic numbers: the breakpoints of the optimal policy over a parameter.

A :class:`RealAlgebraic` is a rational, or one real root of an irreducible integer
polynomial with an isolating interval that is halved on demand; comparisons are
exact and always terminate. :class:`Roots` factors polynomials and isolates their
real roots once per polynomial for one computation (the pieces over γ meet the same
factors again and again), and forgets them afterwards.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import sympy
from sympy import Expr, Rational, Symbol

from ..linalg import get_backend
from ..linalg.polynomials import primitive, sign_at

__all__ = ["RealAlgebraic", "Roots", "simplest_between", "rational_between"]


class RealAlgebraic:
    """An exact real algebraic number: a rational, or root ``index`` of an irreducible ``poly``.

    An irrational root keeps an isolating interval (lo, hi) with p(lo)·p(hi) < 0, which
    is halved on demand; two such numbers are equal only if they are the same root of
    the same polynomial, so comparisons always terminate.

    >>> r = RealAlgebraic((-2, 0, 1), 1, Fraction(1), Fraction(2))  # √2
    >>> RealAlgebraic.rational(Fraction(7, 5)) < r < RealAlgebraic.rational(Fraction(3, 2))
    True
    >>> r.decimal()
    '1.414213562'
    """

    __slots__ = ("poly", "index", "lo", "hi")

    def __init__(self, poly, index, lo: Fraction, hi: Fraction):
        self.poly, self.index, self.lo, self.hi = poly, index, lo, hi

    @classmethod
    def rational(cls, value) -> "RealAlgebraic":
        value = Fraction(value)
        return cls(primitive([-value.numerator, value.denominator]), 0, value, value)

    @property
    def is_rational(self) -> bool:
        return self.lo == self.hi

    def refine(self) -> None:
        """Halve the isolating interval."""
        mid = (self.lo + self.hi) / 2
        if sign_at(self.poly, mid) == sign_at(self.poly, self.lo):
            self.lo = mid
        else:
            self.hi = mid

    def compare(self, other: "RealAlgebraic") -> int:
        if self.poly == other.poly and self.index == other.index:
            return 0
        while True:
            if self.hi < other.lo:
                return -1
            if other.hi < self.lo:
                return 1
            if self.is_rational and other.is_rational:
                return (self.lo > other.lo) - (self.lo < other.lo)
            wider = self if (self.hi - self.lo) >= (other.hi - other.lo) else other
            if wider.is_rational:
                wider = other if wider is self else self
            wider.refine()

    def __lt__(self, other):
        return self.compare(other) < 0

    def __le__(self, other):
        return self.compare(other) <= 0

    def __eq__(self, other):
        return isinstance(other, RealAlgebraic) and self.compare(other) == 0

    __hash__ = None

    def expr(self, x: Symbol) -> Expr:
        """A SymPy ``Rational``, or ``CRootOf`` of the polynomial in ``x``."""
        if self.is_rational:
            return Rational(self.lo.numerator, self.lo.denominator)
        # CRootOf numbers the real roots first, ascending: the same order as ``index``
        return sympy.CRootOf(sympy.Poly(list(reversed(self.poly)), x), self.index)

    def decimal(self, digits: int = 10) -> str:
        if self.is_rational:
            value = Rational(self.lo.numerator, self.lo.denominator)
        else:
            while self.hi - self.lo > Fraction(1, 10 ** (digits + 4)):
                self.refine()
            value = Rational((self.lo + self.hi) / 2)
        text = str(sympy.Float(value, digits))
        return text.rstrip("0").rstrip(".") if "." in text else text


class Roots:
    """Factorizations and real roots, computed once per polynomial within one computation."""

    def __init__(self, backend: str | None = None):
        self.backend = get_backend(backend)
        self._factors: dict[tuple, list] = {}
        self._roots: dict[tuple, list[RealAlgebraic]] = {}

    def factor(self, p: Sequence[int]) -> list[tuple[tuple, int]]:
        """The irreducible factors (primitive) of a non-zero p, with multiplicity."""
        if len(p) <= 1:
            return []
        key = tuple(p)
        if key not in self._factors:
            self._factors[key] = self.backend.factor(p)
        return self._factors[key]

    def real_roots(self, f: tuple) -> list[RealAlgebraic]:
        """The real roots of an irreducible f, ascending, with isolating intervals."""
        if f not in self._roots:
            if len(f) == 2:
                roots = [RealAlgebraic.rational(Fraction(-f[0], f[1]))]
            else:
                roots = []
                for k, (lo, hi) in enumerate(self.backend.real_root_intervals(f)):
                    if sign_at(f, lo) * sign_at(f, hi) >= 0:  # pragma: no cover
                        raise ArithmeticError("root isolation failed")
                    roots.append(RealAlgebraic(f, k, lo, hi))
            self._roots[f] = roots
        return self._roots[f]


def simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator strictly between ``lo`` < ``hi``.

    >>> simplest_between(Fraction(0), Fraction(1)), simplest_between(Fraction(1, 2), Fraction(1))
    (Fraction(1, 2), Fraction(2, 3))
    """
    n = math.floor(lo)
    if n + 1 < hi:
        return Fraction(n + 1)
    # lo and hi lie in [n, n + 1]: continue with the continued fraction of the remainder
    upper = None if lo == n else 1 / (lo - n)
    lower = 1 / (hi - n)
    if upper is None:
        return n + 1 / Fraction(math.floor(lower) + 1)
    return n + 1 / simplest_between(lower, upper)


def rational_between(a: RealAlgebraic, b: RealAlgebraic) -> Fraction:
    """A simple rational strictly between ``a`` < ``b``."""
    while not a.hi < b.lo:
        if a.is_rational and b.is_rational:
            break
        wider = a if (a.hi - a.lo) >= (b.hi - b.lo) and not a.is_rational else b
        if wider.is_rational:
            wider = a
        wider.refine()
    return simplest_between(a.hi, b.lo)
