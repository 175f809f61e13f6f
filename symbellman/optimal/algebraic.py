"""Exact real algebraic numbers: the breakpoints of the optimal policy over a parameter.

A :class:`RealAlgebraic` is a rational, or one real root of a square-free integer
polynomial with an isolating interval that is halved on demand; comparisons are
exact and always terminate. :class:`Roots` isolates the real roots in the range of
interest once per polynomial for one computation (the pieces over γ meet the same
polynomials again and again), and forgets them afterwards; factoring is left for
the few breakpoints that are printed (``CRootOf`` of an irreducible polynomial).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import sympy
from sympy import Expr, Rational, Symbol

from ..linalg import get_backend
from ..linalg.polynomials import primitive, sign_at
from ..linalg.roots import isolate_real_roots, may_have_roots, squarefree_parts

__all__ = ["RealAlgebraic", "Roots", "simplest_between", "rational_between"]


class RealAlgebraic:
    """An exact real algebraic number: a rational, or the one root of a square-free
    integer polynomial ``poly`` in the open interval (lo, hi).

    ``poly`` is not zero at lo or hi; the interval is halved on demand. Two numbers
    given by different polynomials are equal exactly when the gcd of the polynomials
    changes sign across the intersection of their intervals, so comparisons always
    terminate.

    >>> r = RealAlgebraic((-2, 0, 1), Fraction(1), Fraction(2))  # √2
    >>> RealAlgebraic.rational(Fraction(7, 5)) < r < RealAlgebraic.rational(Fraction(3, 2))
    True
    >>> r == RealAlgebraic((-4, 0, 2, -2, 0, 1), Fraction(1), Fraction(3, 2))  # (x² − 2)(x³ + 2)
    True
    >>> r.decimal()
    '1.414213562'
    """

    __slots__ = ("poly", "lo", "hi", "_irreducible")

    def __init__(self, poly, lo: Fraction, hi: Fraction):
        self.poly, self.lo, self.hi = tuple(poly), lo, hi
        self._irreducible = None  # (factor, index) once found (a breakpoint ends one
        # piece and starts the next)

    @classmethod
    def rational(cls, value) -> "RealAlgebraic":
        value = Fraction(value)
        return cls(primitive([-value.numerator, value.denominator]), value, value)

    @property
    def is_rational(self) -> bool:
        return self.lo == self.hi

    def refine(self) -> None:
        """Halve the isolating interval (or land on the root)."""
        mid = (self.lo + self.hi) / 2
        side = sign_at(self.poly, mid)
        if side == 0:
            self.lo = self.hi = mid
        elif side == sign_at(self.poly, self.lo):
            self.lo = mid
        else:
            self.hi = mid

    def _contains(self, value: Fraction) -> bool:
        return self.lo < value < self.hi and sign_at(self.poly, value) == 0

    def _same_root(self, other: "RealAlgebraic") -> bool:
        """Whether two overlapping irrational numbers are the same root."""
        h = _gcd(self.poly, other.poly)
        if len(h) <= 1:
            return False
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return lo < hi and sign_at(h, lo) * sign_at(h, hi) < 0

    def compare(self, other: "RealAlgebraic") -> int:
        if self is other:
            return 0
        checked = False
        while True:
            if self.hi < other.lo or (self.hi == other.lo and not
                                      (self.is_rational and other.is_rational)):
                return -1
            if other.hi < self.lo or (other.hi == self.lo and not
                                      (self.is_rational and other.is_rational)):
                return 1
            if self.is_rational and other.is_rational:
                return (self.lo > other.lo) - (self.lo < other.lo)
            if self.is_rational or other.is_rational:
                exact, interval = (self, other) if self.is_rational else (other, self)
                if interval._contains(exact.lo):
                    return 0
            elif not checked:
                if self._same_root(other):
                    return 0
                checked = True
            wider = self if (self.hi - self.lo) >= (other.hi - other.lo) else other
            wider.refine()

    def __lt__(self, other):
        return self.compare(other) < 0

    def __le__(self, other):
        return self.compare(other) <= 0

    def __eq__(self, other):
        return isinstance(other, RealAlgebraic) and self.compare(other) == 0

    __hash__ = None

    def expr(self, x: Symbol) -> Expr:
        """A SymPy ``Rational``, or ``CRootOf`` of its irreducible polynomial in ``x``."""
        if not self.is_rational:
            if self._irreducible is None:
                self._irreducible = _irreducible(self)
            factor, index = self._irreducible
            if factor is not None:
                return sympy.CRootOf(sympy.Poly(list(reversed(factor)), x), index)
        return Rational(self.lo.numerator, self.lo.denominator)

    def decimal(self, digits: int = 10) -> str:
        if self.is_rational:
            value = Rational(self.lo.numerator, self.lo.denominator)
        else:
            while self.hi - self.lo > Fraction(1, 10 ** (digits + 4)):
                self.refine()
            value = Rational((self.lo + self.hi) / 2)
        text = str(sympy.Float(value, digits))
        return text.rstrip("0").rstrip(".") if "." in text else text


def _gcd(p, q) -> list[int]:
    return get_backend().gcd([list(p), list(q)])


def _irreducible(number: RealAlgebraic):
    """The irreducible factor of ``number.poly`` it is a root of, and its index among
    that factor's real roots (CRootOf's numbering); (None, 0) when the factor is linear
    (``number`` is then made exact)."""
    for factor, _ in get_backend().factor(number.poly):
        if sign_at(factor, number.lo) * sign_at(factor, number.hi) < 0:
            if len(factor) == 2:
                number.lo = number.hi = Fraction(-factor[0], factor[1])
                return None, 0
            below = isolate_real_roots(factor, -_root_bound(factor), number.lo)
            return factor, len(below)
    raise ArithmeticError("no factor has the root")  # pragma: no cover


def _root_bound(p) -> int:
    """A power of two above every |root| of p (Fujiwara's bound, from bit lengths)."""
    n, lead = len(p) - 1, abs(p[-1]).bit_length() - 1
    exponent = max((-(-(abs(c).bit_length() - lead) // (n - j)) for j, c in enumerate(p[:-1])
                    if c), default=0)
    return 2 ** (max(exponent, 0) + 1)


class Roots:
    """Real roots in an interval, computed once per polynomial within one computation.

    :meth:`sign_changes` gives the roots of a polynomial with their multiplicities
    from its square-free parts (no factoring): what the pieces over γ need of each
    advantage's numerator. :meth:`factored_roots` gives the roots of N/D with the
    multiplicity in N minus that in D, from the irreducible factors: for a parameter
    other than the discount, where a pole can fall in the range.
    """

    def __init__(self, low: Fraction, high: Fraction, backend: str | None = None):
        self.low, self.high = low, high
        self.backend = get_backend(backend)
        self._parts: dict[tuple, list] = {}
        self._factors: dict[tuple, list] = {}
        self._roots: dict[tuple, list[RealAlgebraic]] = {}

    def real_roots(self, f: tuple) -> list[RealAlgebraic]:
        """The roots of a square-free f in (low, high), ascending."""
        if f not in self._roots:
            self._roots[f] = [RealAlgebraic(f, lo, hi) if lo != hi else
                              RealAlgebraic.rational(lo)
                              for lo, hi in isolate_real_roots(f, self.low, self.high,
                                                               self.backend)]
        return self._roots[f]

    def sign_changes(self, p: Sequence[int]) -> list[tuple[RealAlgebraic, int]]:
        """The roots of p in (low, high), each with its multiplicity."""
        key = tuple(p)
        if key not in self._parts:
            self._parts[key] = [] if not may_have_roots(p, self.low, self.high,
                                                        self.backend) else \
                [(root, m) for part, m in squarefree_parts(p, self.backend)
                 for root in self.real_roots(part)]
        return self._parts[key]

    def fences(self, polynomials) -> list[RealAlgebraic]:
        """low, the distinct roots in (low, high) of all the polynomials ascending, and high:
        between two neighbours each polynomial keeps one sign."""
        found: list[RealAlgebraic] = []
        for p in polynomials:
            for root, _ in self.sign_changes(p):
                if not any(root == f for f in found):
                    found.append(root)
        found.sort()
        return [RealAlgebraic.rational(self.low), *found, RealAlgebraic.rational(self.high)]

    def factor(self, p: Sequence[int]) -> list[tuple[tuple, int]]:
        """The irreducible factors (primitive) of a non-zero p, with multiplicity."""
        if len(p) <= 1:
            return []
        key = tuple(p)
        if key not in self._factors:
            self._factors[key] = self.backend.factor(p)
        return self._factors[key]

    def factored_roots(self, numerator, denominator) -> list[tuple[RealAlgebraic, int]]:
        """The roots and poles of numerator/denominator in (low, high), with the
        multiplicity in the numerator minus that in the denominator."""
        order: dict[tuple, int] = {}
        for f, m in self.factor(numerator):
            order[f] = order.get(f, 0) + m
        for f, m in self.factor(denominator):
            order[f] = order.get(f, 0) - m
        return [(root, m) for f, m in order.items() if m for root in self.real_roots(f)]


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
