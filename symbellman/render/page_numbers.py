"""Exact numbers as the page's JSON carries them: fractions, integer rational functions
of the parameters, and points (breakpoints) with exact text, a decimal and MathML.

Shared by :mod:`symbellman.render.page_data` and :mod:`symbellman.render.page_families`.
"""

from __future__ import annotations

import math

import sympy
from sympy import Expr, Rational, Symbol

from .mathml import to_mathml

__all__ = ["quantity", "fraction", "point", "PIECE_COMBINATIONS"]

#: Optimal pieces are computed for at most this many combinations of parameter values.
PIECE_COMBINATIONS = 8


def _integer_polynomial(expr: Expr, gens: list[Symbol]) -> tuple[dict, int]:
    """``expr`` (a polynomial) as {monomial: integer} times 1/denominator."""
    poly = sympy.Poly(expr, *gens, domain="QQ") if gens else None
    if poly is None:
        value = Rational(expr)
        return {(): int(value.p)}, int(value.q)
    terms = dict(poly.terms())
    scale = math.lcm(*(int(c.q) for c in terms.values())) if terms else 1
    return {m: int(c.p) * (scale // int(c.q)) for m, c in terms.items()}, scale


def quantity(expr: Expr, parameters: list[Symbol]):
    """A probability, reward or weight: ``"p/q"`` or an integer rational function.

    >>> from sympy import Symbol
    >>> p = Symbol("p")
    >>> quantity(sympy.Rational(1, 5), [p]), quantity(1 - p, [p])
    ('1/5', {'n': [['1', 0], ['-1', 1]], 'd': [['1', 0]]})
    """
    expr = sympy.sympify(expr)
    if expr.is_Rational:
        return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)
    top, bottom = sympy.fraction(sympy.together(expr))
    num, a = _integer_polynomial(sympy.expand(top), parameters)
    den, b = _integer_polynomial(sympy.expand(bottom), parameters)
    # top/a over bottom/b: multiply both by a*b
    return {"n": [[str(c * b), *m] for m, c in sorted(num.items())],
            "d": [[str(c * a), *m] for m, c in sorted(den.items())]}


def fraction(value: Expr) -> str:
    return f"{value.p}/{value.q}" if value.q != 1 else str(value.p)


def point(value: Expr) -> dict:
    """A breakpoint: exact text, a decimal, MathML (radicals up to degree 2)."""
    value = sympy.sympify(value)  # SymPy writes a root of degree 1 or 2 with radicals
    decimal = sympy.Float(value.evalf(30), 30)
    out = {"text": str(value), "decimal": str(decimal), "mathml": to_mathml(sympy.latex(value))}
    if value.is_Rational:
        out["exact"] = fraction(value)
    elif isinstance(value, sympy.CRootOf):
        out["mathml"] = to_mathml(r"\text{root of}\; " + sympy.latex(value.poly.as_expr()))
    return out
