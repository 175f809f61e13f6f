"""Closed forms in γ compared and combined as polynomials, exactly and fast.

``sympy.cancel`` on two closed forms of a 100-state model (degree 90 over 90) takes tens of
seconds; the same question asked of their numerators and denominators as ``Poly`` objects
(is n₁·d₂ = n₂·d₁?) takes a millisecond. :func:`polynomial_fraction` turns an expression of sums,
products and integer powers into such a pair by polynomial arithmetic alone.
"""

from __future__ import annotations

import sympy
from sympy import Expr, Poly

__all__ = ["polynomial_fraction", "same_function", "shown_function"]

#: A rational function up to this total degree is printed; a larger one is described.
PRINTED_DEGREE = 12


def polynomial_fraction(expr: Expr, gens: tuple) -> tuple[Poly, Poly]:
    """(numerator, denominator) of ``expr`` as polynomials in ``gens``, not in lowest terms.

    >>> x = sympy.Symbol("x")
    >>> polynomial_fraction(1/(1 - x) + x, (x,))
    (Poly(-x**2 + x + 1, x, domain='QQ'), Poly(-x + 1, x, domain='QQ'))
    """
    def poly(e) -> Poly:
        return Poly(e, *gens, domain="QQ")

    if not expr.free_symbols & set(gens) or expr.is_polynomial(*gens):
        return poly(expr), poly(1)
    if expr.is_Add:
        num, den = poly(0), poly(1)
        for term in expr.args:
            n, d = polynomial_fraction(term, gens)
            num, den = (num * d + n * den, den * d) if den != d else (num + n, den)
        return num, den
    if expr.is_Mul:
        num, den = poly(1), poly(1)
        for factor in expr.args:
            n, d = polynomial_fraction(factor, gens)
            num, den = num * n, den * d
        return num, den
    if expr.is_Pow and expr.exp.is_Integer:
        n, d = polynomial_fraction(expr.base, gens)
        k = int(expr.exp)
        return (n ** k, d ** k) if k >= 0 else (d ** -k, n ** -k)
    return poly(expr), poly(1)  # a symbol, or a polynomial SymPy reads directly


def _gens(*exprs: Expr) -> tuple:
    return tuple(sorted(set().union(*(e.free_symbols for e in exprs)), key=str))


def same_function(a: Expr, b: Expr) -> bool:
    """Whether ``a`` and ``b`` are the same rational function (exactly).

    >>> x = sympy.Symbol("x")
    >>> same_function((1 + x)/(1 - x**2), 1/(1 - x)), same_function(x/2, x/3)
    (True, False)
    """
    gens = _gens(a, b)
    if not gens:
        return sympy.simplify(a - b) == 0
    n1, d1 = polynomial_fraction(a, gens)
    n2, d2 = polynomial_fraction(b, gens)
    return n1 * d2 == n2 * d1


def shown_function(expr: Expr, describe) -> str:
    """``expr`` in lowest terms as text when it is small; else ``describe(num_degree,
    den_degree, symbols)``.

    >>> x = sympy.Symbol("x")
    >>> shown_function(x/(x**2 - x), None)
    '1/(x - 1)'
    """
    gens = _gens(expr)
    if not gens:
        return str(expr)
    num, den = polynomial_fraction(expr, gens)
    if num.is_zero:
        return "0"
    common = num.gcd(den)
    num, den = num.exquo(common), den.exquo(common)
    if num.total_degree() + den.total_degree() <= PRINTED_DEGREE:
        return str(sympy.factor(num.as_expr() / den.as_expr()))
    return describe(num.total_degree(), den.total_degree(), ", ".join(map(str, gens)))
