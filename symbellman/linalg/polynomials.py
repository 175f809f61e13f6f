"""Integer polynomials as coefficient lists, and the one normal form of a fraction.

A dense polynomial is a list of Python ints in increasing powers (``[1, 0, -1]`` is
1 − x²). These helpers are shared by the solver, the pieces over γ, the numeric
evaluation and the plots, so that each operation is written once. :func:`lowest`
is the one place that fixes the integer content and the sign of a fraction, for
every representation the solver uses (dense lists, flint polynomials, ``{monomial:
int}`` terms, SymPy ring elements): see :class:`Representation`.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

from sympy.polys.polyerrors import ExactQuotientFailed

from .ground import DomainError

__all__ = ["trim", "multiply", "subtract", "sign_at", "primitive", "horner", "taylor_shift",
           "from_terms", "to_terms", "lowest", "Representation", "DENSE", "TERMS", "RING",
           "normalise", "ring_divide", "ring_terms", "primitive_gcd", "read_mpoly",
           "mpoly_divide", "MpolyRepresentation", "MPOLY"]


def trim(p: Sequence[int]) -> list[int]:
    """``p`` without its zero leading coefficients.

    >>> trim([1, 2, 0, 0])
    [1, 2]
    """
    end = len(p)
    while end and p[end - 1] == 0:
        end -= 1
    return list(p[:end])


def multiply(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """The product of two coefficient lists.

    >>> multiply([1, 1], [1, -1])
    [1, 0, -1]
    """
    if not a or not b:
        return []
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out


def subtract(p: Sequence[int], q: Sequence[int]) -> list[int]:
    """p − q, trimmed.

    >>> subtract([1, 2, 3], [1, 2, 3, 4])
    [0, 0, 0, -4]
    """
    n = max(len(p), len(q))
    return trim([(p[i] if i < len(p) else 0) - (q[i] if i < len(q) else 0) for i in range(n)])


def sign_at(p: Sequence[int], x: Fraction) -> int:
    """The sign of p(x), exactly, in integers: Σ c_i a^i b^(d−i) for x = a/b.

    >>> sign_at([-1, 0, 2], Fraction(1, 2)), sign_at([-1, 0, 2], Fraction(3, 4))
    (-1, 1)
    """
    a, b = x.numerator, x.denominator
    total, power = 0, 1
    for c in reversed(p):  # Horner on the homogenised polynomial
        total = total * a + c * power
        power *= b
    return (total > 0) - (total < 0)


def primitive(p: Sequence[int]) -> tuple[int, ...]:
    """``p`` divided by its content, with a positive leading coefficient.

    >>> primitive([4, 0, -6])
    (-2, 0, 3)
    """
    p = trim(p)
    g = math.gcd(*p)
    if p[-1] < 0:
        g = -g
    return tuple(c // g for c in p)


def horner(p: Sequence, x):
    """p(x) by Horner's rule, exact for ``Fraction`` or ``int`` arguments.

    >>> horner([1, 0, -1], Fraction(1, 2))
    Fraction(3, 4)
    """
    if isinstance(x, Fraction) and x.denominator != 1 and p:
        # in integers: d^m·p(n/d) = Σ c_i n^i d^(m−i), one Fraction at the end
        n, d = x.numerator, x.denominator
        total, power = 0, 1
        for c in reversed(p):
            total = total * n + c * power
            power *= d
        return Fraction(total, power // d)
    total = 0 * x
    for c in reversed(p):
        total = total * x + c
    return total


def taylor_shift(p: Sequence[int]) -> list[int]:
    """The coefficients of p(1 − u) in u, exactly, from those of p(γ).

    >>> taylor_shift([0, 0, 1])  # γ² = (1 − u)² = 1 − 2u + u²
    [1, -2, 1]
    """
    out: list = []
    for c in reversed(p):  # Horner: out ← out·(1 − u) + c
        new = [0] * (len(out) + 1)
        for j, a in enumerate(out):
            new[j] += a
            new[j + 1] -= a
        new[0] += c
        out = new
    return trim(out)


def from_terms(terms: dict) -> list[int]:
    """Univariate terms ``{(j,): c}`` as a dense list.

    >>> from_terms({(2,): 3, (0,): 1})
    [1, 0, 3]
    """
    if not terms:
        return []
    out = [0] * (1 + max(terms)[0])
    for (j,), c in terms.items():
        out[j] = int(c)
    return out


class _Monomials(dict):
    """(0,), (1,), ... (k−1,) for each length k, made once: dict keys for univariate terms."""

    def __missing__(self, k: int) -> list[tuple[int]]:
        self[k] = [(j,) for j in range(k)]
        return self[k]


_MONOMIALS = _Monomials()


def to_terms(p: Sequence[int]) -> dict:
    """A dense list as univariate terms ``{(j,): c}`` (zeros left out).

    >>> to_terms([1, 0, 3])
    {(0,): 1, (2,): 3}
    """
    return {m: c for m, c in zip(_MONOMIALS[len(p)], p) if c}


# -- the normal form of a fraction ---------------------------------------------------------------
class Representation:
    """How to read the integer content and the sign of one kind of polynomial.

    ``content(p)`` is the gcd of the coefficients (≥ 0), ``divide(p, c)`` the exact
    quotient by an integer, and ``leading(p)`` the coefficient whose sign is made
    positive in a denominator: the constant term when it is not zero, else the
    leading coefficient (in lex order for several variables, SymPy's ring order).
    """

    def content(self, p) -> int:
        raise NotImplementedError

    def divide(self, p, c: int):
        raise NotImplementedError

    def leading(self, p) -> int:
        raise NotImplementedError


class _Dense(Representation):
    def content(self, p) -> int:
        return math.gcd(*p)

    def divide(self, p, c: int):
        return [x // c for x in p]

    def leading(self, p) -> int:
        return p[0] if p[0] else p[-1]


class _Terms(Representation):
    def content(self, p) -> int:
        return math.gcd(*p.values())

    def divide(self, p, c: int):
        return {m: x // c for m, x in p.items()}

    def leading(self, p) -> int:
        constant = p.get((0,) * len(next(iter(p))), 0)
        return constant if constant else p[max(p)]


class _Ring(Representation):
    def content(self, p) -> int:
        return math.gcd(*(int(x) for x in p.coeffs()))

    def divide(self, p, c: int):
        return p.quo_ground(c)

    def leading(self, p) -> int:
        constant = p.coeff(1)
        return constant if constant != 0 else p.LC


#: Dense lists, ``{monomial: int}`` terms, SymPy ``PolyElement`` s over ZZ.
DENSE, TERMS, RING = _Dense(), _Terms(), _Ring()


def lowest(num, den, kind: Representation, den_content: int | None = None):
    """num/den with their joint integer content divided out and a positive denominator.

    The polynomial gcd must already be cancelled; this fixes what is left, so that
    every route gives the same unique normal form. ``den_content`` may be given when
    it is known (shared denominators).

    >>> lowest([-2, 4], [-6, 2], DENSE)
    ([1, -2], [3, -1])
    """
    content = math.gcd(kind.content(num), kind.content(den) if den_content is None
                       else den_content)
    if kind.leading(den) < 0:
        content = -content
    if content == 1:
        return num, den
    return kind.divide(num, content), kind.divide(den, content)


# -- SymPy ring elements and flint's fmpz_mpoly (moved from backend.py) -----------------
def ring_divide(a, b):
    """a / b for SymPy ``PolyElement`` s when b divides a, else None."""
    try:
        return a.exquo(b)
    except ExactQuotientFailed:
        return None


def ring_terms(p) -> dict:
    """A SymPy ``PolyElement`` as ``{(int, ...): int}``."""
    return {m: int(c) for m, c in p.items()}


def primitive_gcd(g: list[int]) -> list[int]:
    if len(g) <= 1:  # a constant: the primitive gcd is 1, whatever its content
        return [1]
    content = math.gcd(*g)
    return [c // content for c in g] if g[-1] > 0 else [-c // content for c in g]


def normalise(num, den) -> tuple:
    """num/den (``PolyElement`` s over ZZ) cancelled, with the normal content and sign.

    >>> from sympy.polys.domains import ZZ
    >>> from sympy.polys.rings import ring
    >>> R, x = ring("x", ZZ)
    >>> normalise(2*x**2 - 2, -4*x - 4)
    (-x + 1, 2)
    """
    if num == 0:
        return num.ring.zero, num.ring.one
    g = num.gcd(den)
    if g != 1:
        num, den = num.exquo(g), den.exquo(g)
    return lowest(num, den, RING)


def read_mpoly(p) -> dict:
    """An ``fmpz_mpoly`` as ``{(int, ...): int}`` (flint gives exponents as ``fmpz``;
    ``monoms``/``coeffs`` read them faster than ``to_dict``)."""
    return dict(zip([tuple(map(int, m)) for m in p.monoms()], map(int, p.coeffs())))



def mpoly_divide(a, b):
    """a / b for ``fmpz_mpoly`` s when b divides a, else None."""
    try:
        return a / b
    except DomainError:
        return None


class MpolyRepresentation(Representation):
    """The normal form of :func:`.polynomials.lowest` read on ``fmpz_mpoly`` s (lex
    order, as SymPy's rings)."""

    def content(self, p) -> int:
        return int(p.content())

    def divide(self, p, c: int):
        return p / c

    def leading(self, p) -> int:
        constant = int(p[(0,) * p.context().nvars()])
        return constant if constant else int(p.leading_coefficient())


MPOLY = MpolyRepresentation()
