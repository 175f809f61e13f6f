"""Breakpoints of the optimal pieces, printed readably.

A breakpoint is exact: a rational number, a quadratic irrational (written with a square
root), or a root of an irreducible polynomial of higher degree. SymPy writes the last as
``CRootOf(265*gamma**36 + ..., 3)``, hundreds of characters inside a table row. A reader
wants a name, a decimal and, once, the polynomial and an interval that holds exactly
that one root:

>>> import sympy
>>> g = sympy.Symbol("gamma")
>>> b = Breakpoint.of(sympy.CRootOf(g**3 - 3*g + 1, 1), g)
>>> b.short, b.is_named
('≈ 0.3473', True)
>>> b.definition("β1")
'β1 = the root of gamma**3 - 3*gamma + 1 in (0.3472, 0.3473), ≈ 0.3472963553'
>>> Breakpoint.of(sympy.Rational(1, 2), g).short
'1/2'
>>> Breakpoint.of(-sympy.Rational(5, 9) + 5 * sympy.sqrt(2) / 9, g).short
'-5/9 + 5*sqrt(2)/9'

See Also
--------
symbellman.optimal.pieces.optimal_pieces : the pieces whose ends these are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy
from sympy import Expr, Symbol

from ..linalg.polynomials import sign_at
from ..linalg.roots import isolate_real_roots
from .algebraic import RealAlgebraic

__all__ = ["Breakpoint", "name_breakpoints"]

#: Decimal places of the printed isolating interval and of the short decimal.
PLACES = 4


def _decimal(value: Fraction | Expr, digits: int) -> str:
    if isinstance(value, Fraction):
        value = sympy.Rational(value.numerator, value.denominator)
    text = str(sympy.Float(value, digits))
    return text.rstrip("0").rstrip(".") if "." in text else text


def _grid_interval(coeffs: tuple, lo: Fraction, hi: Fraction,
                   places: int) -> tuple[Fraction, Fraction]:
    """An interval with decimal ends (``places`` of them, more when two roots are that
    close) holding the one root of ``coeffs`` (ascending, square-free) in (lo, hi)."""
    root = RealAlgebraic(coeffs, lo, hi)
    while True:
        step = Fraction(1, 10 ** places)
        while root.hi - root.lo > step / 4 and not root.is_rational:
            root.refine()
        low, high = (root.lo // step) * step, -(-root.hi // step) * step
        if len(isolate_real_roots(coeffs, low, high)) == 1 and \
                sign_at(coeffs, low) != 0 and sign_at(coeffs, high) != 0:
            return low, high
        places += 1


def _scaled_root(value: Expr) -> tuple | None:
    """For ``c·CRootOf(P, k)`` with rational c (the pieces' scaled discount gives these):
    the integer polynomial of the value itself, ascending; else None."""
    factor, root = sympy.Integer(1), value
    if isinstance(value, sympy.Mul) and len(value.args) == 2 and value.args[0].is_Rational:
        factor, root = value.args
    if not isinstance(root, sympy.CRootOf):
        return None
    a = [int(c) for c in reversed(root.poly.all_coeffs())]  # P(y) = Σ a_i y^i
    n, p, q = len(a) - 1, int(factor.p), int(factor.q)
    # v = (p/q)·y: q^n·P(q v / p)·p^n / q^n ... = Σ a_i q^i p^(n-i) v^i
    out = [c * q ** i * p ** (n - i) for i, c in enumerate(a)]
    content = math.gcd(*out)
    return tuple(c // content for c in out)


def _root_window(coeffs: tuple, value: Expr, decimal: str | None):
    """The isolating interval of the real root ``value`` of ``coeffs``, found near its
    decimal (the pieces give one; else SymPy evaluates it)."""
    middle = Fraction(decimal if decimal is not None else str(value.evalf(20)))
    eps = Fraction(1, 10 ** 8) * max(1, abs(middle))
    while True:
        found = isolate_real_roots(coeffs, middle - eps, middle + eps)
        if len(found) == 1 and found[0][0] != found[0][1]:
            return found[0]
        eps = eps * 100 if not found else eps / 100


@dataclass(frozen=True, repr=False)
class Breakpoint:
    """One exact breakpoint and the ways to print it.

    Attributes
    ----------
    value : Expr
        The exact number (``Rational``, radicals, or ``CRootOf``).
    short : str
        What a table row shows: the number itself when rational or a quadratic
        irrational, else ``≈`` and a decimal (the definition gives the exact number).
    polynomial : Expr or None
        For a named root, its irreducible polynomial in the variable.
    interval : (Fraction, Fraction) or None
        For a named root, an interval with short decimal ends holding no other root.
    """

    value: Expr
    short: str
    decimal: str
    polynomial: Expr | None = None
    interval: tuple[Fraction, Fraction] | None = None

    @property
    def is_named(self) -> bool:
        """True when the breakpoint is printed by name, with its definition apart."""
        return self.polynomial is not None

    @classmethod
    def of(cls, value, x: Symbol, decimal: str | None = None) -> "Breakpoint":
        """The breakpoint ``value`` (an exact SymPy number) of the variable ``x``;
        ``decimal``, when known (the pieces give it), spares SymPy's slow evaluation."""
        value = sympy.sympify(value)
        if value.is_Rational or not value.has(sympy.CRootOf):
            return cls(value, str(value), decimal or _decimal(value.evalf(30), 10))
        coeffs = _scaled_root(value)
        if coeffs is None:  # another algebraic expression: its own minimal polynomial
            poly = sympy.Poly(sympy.minimal_polynomial(value, x), x)
            coeffs = tuple(int(c) for c in reversed(poly.all_coeffs()))
        else:
            poly = sympy.Poly(list(reversed(coeffs)), x)
        interval = _grid_interval(coeffs, *_root_window(coeffs, value, decimal), PLACES)
        decimal = decimal or _decimal(value.evalf(30), 10)
        return cls(value, f"≈ {_decimal(Fraction(decimal), PLACES)}", decimal,
                   poly.as_expr(), interval)

    def definition(self, name: str) -> str:
        """``name = the root of P in (a, b), ≈ d``: the exact number, stated once."""
        lo, hi = self.interval
        return (f"{name} = the root of {self.polynomial} in "
                f"({_decimal(lo, PLACES + 2)}, {_decimal(hi, PLACES + 2)}), ≈ {self.decimal}")

    def __repr__(self) -> str:
        return f"Breakpoint({self.short})"


def name_breakpoints(values, x: Symbol, prefix: str = "β", decimals=None) -> dict:
    """Each distinct breakpoint of ``values`` as a :class:`Breakpoint`, with the names
    (``β1``, ``β2``, ... in order) of those printed by name; ``decimals``, if given,
    are the values' decimals in the same order.

    Returns
    -------
    dict
        ``{value: (Breakpoint, name or None)}``.

    >>> g = sympy.Symbol("gamma")
    >>> named = name_breakpoints([sympy.Integer(0), sympy.CRootOf(g**3 - 3*g + 1, 1)], g)
    >>> [(b.short, name) for b, name in named.values()]
    [('0', None), ('≈ 0.3473', 'β1')]
    """
    out, count = {}, 0
    for value, decimal in zip(values, decimals or [None] * len(values)):
        if value in out:
            continue
        point = Breakpoint.of(value, x, decimal)
        name = None
        if point.is_named:
            count += 1
            name = f"{prefix}{count}"
        out[value] = (point, name)
    return out
