r"""The one printed form of a closed form, shared by every surface (CLI text, LaTeX,
Markdown, HTML).

A closed form is a ratio of two integer polynomials ``{exponents: coefficient}`` over
its generators (the discount and the model's parameters). :func:`canonical` decides
once how it prints; :meth:`Canonical.text` and :meth:`Canonical.latex` only spell that
decision. The convention:

* A short closed form (at most :data:`SHORT_TERMS` terms, degree at most
  :data:`SHORT_DEGREE`) is factored over the integers; a longer one prints expanded.
* A linear factor with a constant term has it positive (``1 - γ``, never ``γ - 1`` or
  ``-γ + 1``); any other factor has its leading term positive. The sign these choices
  take out goes in front of the whole fraction. An expanded closed form has its
  denominator signed the same way and its numerator carries the sign.
* Factors come in a fixed order: by degree, then by their coefficients from the
  constant up (``(1 - γ)(γ + 4)(γ + 20)``).
* A polynomial's terms go highest degree first, except for one symbol where that puts
  the positive constant first (``1 - γ - γ²``, ``γ + 4``).

JSON keeps SymPy's own syntax (the spec); :meth:`Canonical.text` is also valid SymPy
syntax, so the CLI's text reads back to the same value.

>>> from sympy import Symbol
>>> g = Symbol("gamma")
>>> c = canonical((g,), {(0,): -1}, {(0,): -1, (2,): 1})      # -1/(γ² - 1)
>>> c.text()
'1/((1 - gamma)*(gamma + 1))'
>>> c.latex()
'\\frac{1}{(1 - \\gamma) (\\gamma + 1)}'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

import sympy

from ..core.expressions import as_fraction
from .typeset import to_latex

__all__ = ["Canonical", "canonical", "canonical_entry", "canonical_of_expr", "polynomial_order",
           "SHORT_TERMS", "SHORT_DEGREE"]

#: A closed form with at most this many terms (numerator and denominator together) and
#: degree at most SHORT_DEGREE is factored; longer ones print expanded.
SHORT_TERMS = 10
SHORT_DEGREE = 8


def _degree(terms: Mapping) -> int:
    return max((sum(m) for m, c in terms.items() if c), default=0)


def polynomial_order(terms: Mapping[tuple, int], generators: Sequence) -> list[tuple]:
    """The monomials of ``terms`` in printing order: highest total degree first (ties by
    the generators' names), reversed for one generator when that puts a positive
    constant first.

    >>> polynomial_order({(0,): 1, (1,): -1}, ["gamma"])
    [(0,), (1,)]
    >>> polynomial_order({(0,): 4, (1,): 1}, ["gamma"])
    [(1,), (0,)]
    """
    by_name = sorted(range(len(generators)), key=lambda j: str(generators[j]))
    order = sorted((m for m, c in terms.items() if c),
                   key=lambda m: (sum(m), tuple(m[j] for j in by_name)), reverse=True)
    if len(generators) == 1 and order and terms[order[0]] < 0 < terms[order[-1]]:
        order.reverse()
    return order


def _normalised(terms: Mapping[tuple, int], generators: Sequence) -> tuple[dict, int]:
    """``terms`` signed by the convention, and the sign taken out (±1): a linear factor
    with a constant has it positive (1 - γ, γ + 4), any other polynomial has its leading
    term (highest degree, ties by the generators' names) positive."""
    terms = {m: int(c) for m, c in terms.items() if c}
    if not terms:
        return terms, 1
    constant = terms.get((0,) * len(generators), 0)
    if constant and _degree(terms) == 1:
        sign = 1 if constant > 0 else -1
    else:
        by_name = sorted(range(len(generators)), key=lambda j: str(generators[j]))
        lead = max(terms, key=lambda m: (sum(m), tuple(m[j] for j in by_name)))
        sign = 1 if terms[lead] > 0 else -1
    return ({m: sign * c for m, c in terms.items()}, sign)


def _factor_key(item):
    terms, power = item
    return (_degree(terms), len(terms), sorted(terms.items()), power)


@dataclass(frozen=True)
class Canonical:
    """A closed form as it prints: ``sign * scale * Π num^k / Π den^k``.

    ``scale`` is a positive Fraction; each factor is ``(terms, power)`` already signed by
    the convention. When ``factored`` is False there is one factor on each side (the
    expanded polynomials, the denominator signed by the convention).
    """

    generators: tuple
    sign: int
    scale: Fraction
    numerator: tuple
    denominator: tuple
    factored: bool

    # -- text (SymPy syntax) ---------------------------------------------------------------
    def _poly_text(self, terms) -> str:
        names = [str(g) for g in self.generators]
        by_name = sorted(range(len(names)), key=lambda j: names[j])
        out = ""
        for i, m in enumerate(polynomial_order(terms, self.generators)):
            c = terms[m]
            factors = [names[j] if m[j] == 1 else "%s**%d" % (names[j], m[j])
                       for j in by_name if m[j]]
            body = "*".join(([str(abs(c))] if abs(c) != 1 or not factors else []) + factors)
            out += ("-" if c < 0 else "") + body if i == 0 else \
                (" - " if c < 0 else " + ") + body
        return out or "0"

    def _side_text(self, content: int, factors) -> list[str]:
        parts = [str(content)] if content != 1 else []
        for terms, power in factors:
            text = self._poly_text(terms)
            if len(terms) > 1:
                text = "(%s)" % text
            parts.append(text if power == 1 else "%s**%d" % (text, power))
        return parts

    def text(self) -> str:
        """The closed form as one line of SymPy syntax (what the CLI prints)."""
        top = self._side_text(self.scale.numerator, self.numerator)
        bottom = self._side_text(self.scale.denominator, self.denominator)
        sign = "-" if self.sign < 0 else ""
        out = sign + ("*".join(top) or "1")
        if not bottom:
            return out
        lower = "*".join(bottom)
        return out + "/" + ("(%s)" % lower if len(bottom) > 1 else lower)

    # -- LaTeX -----------------------------------------------------------------------------
    def poly_latex(self, terms) -> str:
        """One polynomial in LaTeX, in the printing order."""
        names = [to_latex(g) for g in self.generators]
        by_name = sorted(range(len(names)), key=lambda j: str(self.generators[j]))
        out = ""
        for i, m in enumerate(polynomial_order(terms, self.generators)):
            c = terms[m]
            factors = [names[j] if m[j] == 1 else "%s^{%d}" % (names[j], m[j])
                       for j in by_name if m[j]]
            body = " ".join(([str(abs(c))] if abs(c) != 1 or not factors else []) + factors)
            out += ("-" if c < 0 else "") + body if i == 0 else \
                (" - " if c < 0 else " + ") + body
        return out or "0"

    def _side_latex(self, content: int, factors) -> str:
        alone = content == 1 and len(factors) == 1 and factors[0][1] == 1
        parts = [str(content)] if content != 1 or not factors else []
        for terms, power in factors:
            text = self.poly_latex(terms)
            if len(terms) > 1 and not alone:
                text = "(%s)" % text
            parts.append(text if power == 1 else "%s^{%d}" % (text, power))
        return " ".join(parts)

    def latex(self) -> str:
        r"""The closed form in LaTeX, on one line (``\frac`` unless the denominator is 1)."""
        upper = self._side_latex(self.scale.numerator, self.numerator)
        lower = self._side_latex(self.scale.denominator, self.denominator)
        sign = "-" if self.sign < 0 else ""
        return sign + (upper if lower == "1" else r"\frac{%s}{%s}" % (upper, lower))

    def value_at(self, point: Mapping) -> Fraction | None:
        """The exact value at ``point`` ({generator: Fraction}); None where undefined."""
        def side(factors):
            total = Fraction(1)
            for terms, power in factors:
                v = Fraction(0)
                for m, c in terms.items():
                    t = Fraction(c)
                    for g, k in zip(self.generators, m):
                        t *= Fraction(point[g]) ** k
                    v += t
                total *= v ** power
            return total
        bottom = side(self.denominator)
        return None if bottom == 0 else self.sign * self.scale * side(self.numerator) / bottom


def canonical(generators: Sequence, numerator: Mapping[tuple, int],
              denominator: Mapping[tuple, int], factored: bool | None = None) -> Canonical:
    """The printed form of ``numerator / denominator`` (integer terms over
    ``generators``, in lowest terms).

    ``factored`` None (the default) factors a short closed form (see the module); True or
    False forces it.

    >>> from sympy import Symbol
    >>> g = Symbol("gamma")
    >>> canonical((g,), {(0,): 1, (1,): -1}, {(0,): -80, (1,): -24, (2,): -1}).text()
    '-(1 - gamma)/((gamma + 4)*(gamma + 20))'
    """
    generators = tuple(generators)
    if not any(numerator.values()):
        return Canonical(generators, 1, Fraction(0), (), (), True)
    size = len(numerator) + len(denominator)
    degree = max(_degree(numerator), _degree(denominator))
    if factored is None:
        factored = size <= SHORT_TERMS and degree <= SHORT_DEGREE
    scale, sign, sides = Fraction(1), 1, []
    for terms in (numerator, denominator):
        if not factored:  # the denominator signed by the convention, the numerator
            content = 1   # carrying the sign
            normal, s = _normalised(terms, generators)
            if sides:
                flip = s
                side = [] if normal == {(0,) * len(generators): 1} else [(normal, 1)]
                sides[0] = tuple((({m: flip * c for m, c in t.items()}, k)
                                  for t, k in sides[0]))
            else:
                side = [({m: int(c) for m, c in terms.items() if c}, 1)]
        else:
            poly = sympy.Poly.from_dict({m: c for m, c in terms.items() if c} or {(0,) * len(generators): 0},
                                        *generators, domain="ZZ")
            content, factors = poly.factor_list()
            content = int(content)
            side = []
            for factor, power in factors:
                normal, s = _normalised({m: int(c) for m, c in factor.terms()}, generators)
                sign *= s ** power
                side.append((normal, power))
            side.sort(key=_factor_key)
        if content < 0:
            sign, content = -sign, -content
        scale = scale * content if not sides else scale / content
        sides.append(tuple(side))
    return Canonical(generators, sign, scale, sides[0], sides[1], factored)


def canonical_of_expr(value, factored: bool | None = None) -> Canonical:
    """:func:`canonical` of a SymPy rational function already in lowest terms.

    >>> from sympy import Symbol
    >>> g = Symbol("gamma")
    >>> canonical_of_expr(-1 / ((g - 1) * (g + 1))).text()
    '1/((1 - gamma)*(gamma + 1))'
    """
    return canonical(*integer_terms(sympy.cancel(sympy.sympify(value))), factored)


def integer_terms(value) -> tuple[tuple, dict, dict]:
    """(generators, numerator terms, denominator terms) of a SymPy rational function,
    read as its numerator and denominator stand (nothing is cancelled) and scaled to
    integer coefficients: generators sorted by name (``_`` for a number), terms
    ``{exponents: int}``.

    >>> from sympy import Rational, Symbol
    >>> g = Symbol("g")
    >>> integer_terms((1 + g / 2) / (3 - g))
    ((g,), {(1,): 1, (0,): 2}, {(1,): -2, (0,): 6})
    """
    import math

    value = sympy.sympify(value)
    num, den = sympy.fraction(value)
    gens = tuple(sorted(value.free_symbols, key=lambda s: s.name)) or (sympy.Symbol("_"),)
    read = lambda p: {m: as_fraction(c)  # noqa: E731
                      for m, c in sympy.Poly(p, *gens).terms() if c}
    num, den = read(num), read(den)
    scale = math.lcm(*(c.denominator for c in (*num.values(), *den.values())))
    return (gens, {m: int(c * scale) for m, c in num.items()},
            {m: int(c * scale) for m, c in den.items()})


def canonical_entry(function, key, factored: bool | None = None) -> Canonical:
    """:func:`canonical` of entry ``key`` of a value function (v or q), read from the
    integer terms the solver holds.

    >>> from symbellman import solve_v, Policy
    >>> from symbellman.model.examples import exercise_3_22
    >>> m = exercise_3_22()
    >>> canonical_entry(solve_v(m, Policy.deterministic(m, {"top": "left"})), "top").text()
    '1/((1 - gamma)*(gamma + 1))'
    """
    num, den = function.terms(key)
    return canonical(tuple(function.symbols), num, den, factored)
