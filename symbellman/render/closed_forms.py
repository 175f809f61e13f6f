r"""Closed forms in LaTeX, written from the integer polynomials the solver holds.

A closed form is a ratio of two integer polynomials in lowest terms (the discount and
the model's parameters); :class:`ClosedForm` keeps their terms ``{monomial: int}``.
Everything here reads those terms directly: no SymPy expression is built and nothing is
cancelled or factored again, so a hundred closed forms of degree 100 print in well under
a second. Only a short closed form is factored (on its integer polynomials), to show the
(1 − γ) factors a reader checks; a long one breaks between terms over several rows, and
one beyond a few rows is summarised by its degrees and its value at a given discount
unless it was asked for in full.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Iterable, Mapping, Sequence

import sympy
from sympy import Expr, Rational

from ..text.canonical import (SHORT_DEGREE, SHORT_TERMS, canonical, integer_terms,
                              polynomial_order)
from ..text.typeset import (Group, Sum, aligned_rows, coefficient_latex, decimal, flatten,
                            latex_width, to_latex)

__all__ = ["ClosedForm", "polynomial_terms_latex", "closed_form_rows", "summary_row",
           "SHORT_TERMS", "MAX_ROWS", "SUMMARY"]

#: A closed form that would take more rows than this is summarised unless asked for.
MAX_ROWS = 6
#: A summary names at most this many symbols (then "…").
SUMMARY_SYMBOLS = 4
#: What every summary row holds (to tell a summary from a closed form).
SUMMARY = r"\ \deg n = "


@dataclass(frozen=True)
class ClosedForm:
    """numerator / denominator as integer terms ``{exponents: coefficient}`` over
    ``generators`` (the discount first when it is a symbol), in lowest terms.

    >>> g = sympy.Symbol("gamma")
    >>> form = ClosedForm.from_expr(2 / (2 - g))
    >>> form.numerator, sorted(form.denominator.items()), form.degrees
    ({(0,): 2}, [((0,), 2), ((1,), -1)], (0, 1))
    >>> form.value_at({g: Fraction(1, 2)})
    Fraction(4, 3)
    """

    generators: tuple
    numerator: Mapping[tuple, int]
    denominator: Mapping[tuple, int]

    @classmethod
    def of(cls, function, key) -> "ClosedForm":
        """Entry ``key`` of a :class:`~symbellman.solve.results.ValueFunction` (or q), read from
        its integer terms."""
        num, den = function.terms(key)
        return cls(tuple(function.symbols), num, den)

    @classmethod
    def from_expr(cls, value: Expr) -> "ClosedForm":
        """A rational function given as an expression already in lowest terms (nothing is
        cancelled: numerator and denominator are read as they stand)."""
        return cls(*integer_terms(value))

    @cached_property
    def degrees(self) -> tuple[int, int]:
        """Total degrees of the numerator and the denominator."""
        return _degree(self.numerator), _degree(self.denominator)

    @property
    def size(self) -> int:
        """How many terms numerator and denominator have together."""
        return len(self.numerator) + len(self.denominator)

    def is_constant(self) -> bool:
        return self.degrees == (0, 0)

    def value_at(self, point: Mapping) -> Fraction | None:
        """The exact value where every generator has a value in ``point`` (0 where it
        has none); None where the denominator vanishes there.

        Each polynomial is evaluated in integers: at x = a/b, Σ c_m x^m times b^degree.
        """
        values = [Fraction(point.get(g, 0)) for g in self.generators]
        scale = math.lcm(*(x.denominator for x in values))
        ints = [x.numerator * (scale // x.denominator) for x in values]
        top, bottom = self.degrees
        den = _evaluate(self.denominator, ints, scale, bottom)
        if den == 0:
            return None
        num = _evaluate(self.numerator, ints, scale, top)
        return Fraction(num * scale ** bottom, den * scale ** top)


def _degree(terms: Mapping) -> int:
    return max((sum(m) for m, c in terms.items() if c), default=0)


def _evaluate(terms: Mapping, ints: Sequence[int], scale: int, degree: int) -> int:
    """Σ c_m (a/scale)^m · scale^degree, in integers (a = ``ints``)."""
    if len(ints) == 1:  # Horner in a/scale, homogenised
        (a,) = ints
        coefficients = {m[0]: c for m, c in terms.items()}
        total = 0
        for k in range(degree, -1, -1):
            total = total * a + coefficients.get(k, 0) * scale ** (degree - k)
        return total
    total = 0
    for monomial, c in terms.items():
        term = c * scale ** (degree - sum(monomial))
        for x, k in zip(ints, monomial):
            if k:
                term *= x ** k
        total += term
    return total


def polynomial_terms_latex(terms: Mapping[tuple, int], generators: Sequence) -> list[str]:
    r"""The terms of an integer polynomial in LaTeX, highest degree first (for one
    variable, ascending where that puts a positive constant first, as in 1 − γ).

    >>> g = sympy.Symbol("gamma")
    >>> polynomial_terms_latex({(2,): -3, (1,): 1, (0,): -5}, [g])
    ['-3 \\gamma^{2}', '\\gamma', '-5']
    >>> polynomial_terms_latex({(0,): 1, (1,): -1}, [g])
    ['1', '-\\gamma']
    """
    names = [to_latex(g) for g in generators]
    by_name = sorted(range(len(names)), key=lambda j: str(generators[j]))
    order = polynomial_order(terms, generators)
    out = []
    for monomial in order:
        c = int(terms[monomial])
        factors = [names[j] if monomial[j] == 1 else "%s^{%d}" % (names[j], monomial[j])
                   for j in by_name if monomial[j]]
        magnitude = str(abs(c)) if abs(c) != 1 or not factors else ""
        body = " ".join(([magnitude] if magnitude else []) + factors)
        out.append(("-" if c < 0 else "") + body)
    return out or ["0"]


def _digits(n: int) -> list[list]:
    """A long integer as segments that may break between groups of five digits."""
    text = str(abs(n))
    head = len(text) % 5 or 5
    groups = [text[:head]] + [text[i:i + 5] for i in range(head, len(text), 5)]
    segs = [[None, ("-" if n < 0 else "") + groups[0]]]
    segs += [[9, r"\," + g] for g in groups[1:]]
    return segs


def _number_rows(lhs: str, value: Rational, width: int) -> list[str]:
    if value.q != 1 and len(str(value.p)) + len(str(value.q)) <= 14:
        return aligned_rows(lhs, [[None, coefficient_latex(value) + r" \approx "
                                   + decimal(value)]], width)
    segs = _digits(int(value.p))
    if value.q != 1:
        segs += [[0, r" \big/ "]] + _digits(int(value.q))
        segs.append([None, r" \approx " + decimal(value, 4)])
    return aligned_rows(lhs, segs, width)


def _estimated_rows(form: ClosedForm, width: int) -> float:
    """About how many rows the expanded form takes (digits from bit lengths, a symbol per
    unit of degree: no text is made)."""
    gens = form.generators[:9]
    name = 2 + sum(len(to_latex(g)) for g in gens) / len(gens)
    total = 0.0
    for terms in (form.numerator, form.denominator):
        for monomial, c in terms.items():
            total += 0.302 * abs(c).bit_length() + 4 + name * sum(monomial)
    return total / max(width, 1)


def summary_row(lhs: str, form: ClosedForm, at: Iterable = ()) -> str:
    r"""``lhs &= ...`` naming the degrees of a long closed form and its value at each
    discount in ``at`` (where the discount is its only symbol).

    >>> g = sympy.Symbol("gamma")
    >>> summary_row("v", ClosedForm((g,), {(0,): 2}, {(0,): 2, (1,): -1}), [Rational(9, 10)])
    'v &= n(\\gamma)/d(\\gamma),\\ \\deg n = 0,\\ \\deg d = 1;\\quad \\approx 1.818 \\text{ at } \\gamma = \\tfrac{9}{10}'
    """
    gens = [to_latex(g) for g in form.generators[:SUMMARY_SYMBOLS + 1]]
    args = ", ".join(gens) if len(gens) <= SUMMARY_SYMBOLS else \
        r"%s, \dots" % ", ".join(gens[:2])
    top, bottom = form.degrees
    text = r"n(%s)/d(%s),\ \deg n = %d,\ \deg d = %d" % (args, args, top, bottom)
    if len(form.generators) == 1:
        values = []
        for point in at:
            value = form.value_at({form.generators[0]: Fraction(str(point))})
            shown = "undefined" if value is None else decimal(
                Rational(value.numerator, value.denominator))
            values.append(r"\approx %s \text{ at } %s = %s"
                          % (shown, gens[0], coefficient_latex(sympy.Rational(str(point)))))
        if values:
            text += r";\quad " + r",\quad ".join(values)
    else:
        text += r"\ (%d \text{ terms})" % form.size
    return "%s &= %s" % (lhs, text)


def closed_form_rows(lhs: str, value, *, width: int = 58, factored: bool = True,
                     full: bool = True, at: Iterable = ()) -> list[str]:
    r"""``lhs &= value`` as ``align`` rows, broken over several lines when long.

    ``value`` is a :class:`ClosedForm` or an expression in lowest terms. A short
    closed form prints factored as one fraction; a long one as (numerator) /
    (denominator), each expanded and broken between terms; a long exact number breaks
    between groups of digits. Unless ``full``, a closed form longer than
    :data:`MAX_ROWS` rows becomes :func:`summary_row` (with its values ``at`` these
    discounts).

    >>> from sympy.abc import x
    >>> closed_form_rows("v", 1 / (1 - x**2))
    ['v &= \\frac{1}{(1 - x) (x + 1)}']
    """
    if not isinstance(value, ClosedForm):
        value = sympy.sympify(value)
        if value.is_Rational:
            return _number_rows(lhs, value, width)
        value = ClosedForm.from_expr(value)
    form = value
    if form.is_constant():
        value = form.value_at({})
        return _number_rows(lhs, Rational(value.numerator, value.denominator), width)
    if not full and _estimated_rows(form, width) > MAX_ROWS:
        return [summary_row(lhs, form, at)]
    shape = canonical(form.generators, form.numerator, form.denominator,
                      None if factored else False)
    text = shape.latex()
    if latex_width(text) <= width:
        return ["%s &= %s" % (lhs, text)]
    # too wide for a row: the expanded polynomials, broken between terms, with the sign
    # the convention takes out in front
    expanded = shape if not shape.factored else canonical(
        form.generators, form.numerator, form.denominator, False)
    gens = form.generators
    top_terms = expanded.numerator[0][0] if expanded.numerator else {(0,) * len(gens): 1}
    top = flatten(Group(r"\bigl(", r"\bigr)", _sum(top_terms, gens)), 1)
    if expanded.sign < 0:
        top[0][1] = "-" + top[0][1]
    if not expanded.denominator:
        return aligned_rows(lhs, top, width)
    bottom = flatten(Group(r"\bigl(", r"\bigr)", _sum(expanded.denominator[0][0], gens)), 1)
    bottom[0][0] = 0
    bottom[0][1] = r"\big/ " + bottom[0][1]
    return aligned_rows(lhs, top + bottom, width)


def _sum(terms: Mapping, generators: Sequence):
    parts = polynomial_terms_latex(terms, generators)
    return parts[0] if len(parts) == 1 else Sum(parts)
