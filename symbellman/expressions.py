"""Exact numbers and expressions from text and from Python values, without executing code.

Model files are data, so their expressions are read by the small recursive-descent
parser here, never by ``eval``, ``sympify`` or ``parse_expr`` (all three evaluate
Python). The grammar is exactly what the model-file spec allows: integers, decimals
(read as exact rationals), declared names, ``+ - * /``, ``**`` (or ``^``) with an
integer exponent, and parentheses.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Rational as _RationalNumber
from typing import Mapping

import sympy
from sympy import Expr, Integer, Rational

from .errors import ModelError

__all__ = ["parse_expression", "exact", "closest"]

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|[-+*/^()])
""", re.VERBOSE)


def closest(name: str, known) -> str | None:
    """The known name most like ``name``, or None.

    >>> closest("Clas1", ["Class1", "Class2", "Pub"])
    'Class1'
    """
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return found[0] if found else None


#: Limits that keep a tiny file from making a huge number (``1e999999999``, ``10**10**10``)
#: or a deep recursion: far beyond anything a model needs.
MAX_EXPONENT = 1000
MAX_DEPTH = 200


def _number(text: str, place: str | None = None) -> Rational:
    # Decimal keeps every digit the text has; Rational of a Decimal is exact.
    value = Decimal(text)
    if value.is_finite() and value != 0 and abs(value.adjusted()) > MAX_EXPONENT:
        raise ModelError(f"the number {text} is too large or too small", place=place,
                         hint=f"numbers must lie between 1e-{MAX_EXPONENT} and "
                              f"1e{MAX_EXPONENT}")
    return Rational(*value.as_integer_ratio()) if value != value.to_integral_value() \
        else Integer(int(value))


class _Parser:
    def __init__(self, text: str, names: Mapping[str, Expr], place: str | None):
        self.text = text
        self.names = names
        self.place = place
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                self.fail(f"unexpected character {text[pos]!r} at column {pos + 1} of {text!r}",
                          "an expression may use numbers, declared names, + - * / ** and ( )")
            if m.lastgroup != "space":
                self.tokens.append((m.lastgroup, m.group(), pos))
            pos = m.end()
        self.i = 0
        self.depth = 0

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"{self.text[:40]!r}... is nested too deeply",
                      f"use at most {MAX_DEPTH} levels of parentheses and signs")

    def fail(self, message: str, hint: str | None = None):
        raise ModelError(message, place=self.place, hint=hint)

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] == value:
            self.i += 1
            return True
        return False

    def parse(self) -> Expr:
        if not self.tokens:
            self.fail("empty expression", "write a number such as 1/2 or 0.5")
        expr = self.sum()
        tok = self.peek()
        if tok is not None:
            self.fail(f"unexpected {tok[1]!r} at column {tok[2] + 1} of {self.text!r}",
                      "an expression may use numbers, declared names, + - * / ** and ( )")
        return expr

    def sum(self) -> Expr:
        expr = self.product()
        while True:
            if self.take("+"):
                expr = expr + self.product()
            elif self.take("-"):
                expr = expr - self.product()
            else:
                return expr

    def product(self) -> Expr:
        expr = self.unary()
        while True:
            if self.take("*"):
                expr = expr * self.unary()
            elif self.take("/"):
                divisor = self.unary()
                if divisor == 0:
                    self.fail(f"division by zero in {self.text!r}")
                expr = expr / divisor
            else:
                return expr

    def unary(self) -> Expr:
        self.deeper()
        try:
            if self.take("-"):
                return -self.unary()
            if self.take("+"):
                return self.unary()
            return self.power()
        finally:
            self.depth -= 1

    def power(self) -> Expr:
        base = self.atom()
        if self.take("**") or self.take("^"):
            exponent = self.unary()
            if not exponent.is_Integer:
                self.fail(f"the exponent in {self.text!r} is {exponent}, not an integer",
                          "only integer powers are allowed")
            if abs(exponent) > MAX_EXPONENT:
                self.fail(f"the exponent {exponent} in {self.text!r} is too large",
                          f"exponents may be at most {MAX_EXPONENT}")
            if base == 0 and exponent < 0:
                self.fail(f"division by zero in {self.text!r}")
            return base ** exponent
        return base

    def atom(self) -> Expr:
        tok = self.peek()
        if tok is None:
            self.fail(f"{self.text!r} ends too early")
        kind, value, pos = tok
        self.i += 1
        if kind == "number":
            return _number(value, self.place)
        if kind == "name":
            if value in self.names:
                return self.names[value]
            if self.peek() is not None and self.peek()[1] == "(":
                self.fail(f"function calls such as {value}(...) are not allowed",
                          "a model file holds data only")
            near = closest(value, self.names)
            hint = (f"did you mean {near!r}? Or declare {value!r} under 'symbols'" if near
                    else f"declare {value!r} under 'symbols'")
            self.fail(f"unknown name {value!r} in {self.text!r}", hint)
        if value == "(":
            self.deeper()
            expr = self.sum()
            self.depth -= 1
            if not self.take(")"):
                self.fail(f"missing ')' in {self.text!r}")
            return expr
        self.fail(f"unexpected {value!r} at column {pos + 1} of {self.text!r}")


def parse_expression(text: str, names: Mapping[str, Expr] | None = None,
                     place: str | None = None) -> Expr:
    """Parse an exact expression without executing anything.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"0.2"``, ``"1/3"``, ``"1 - alpha"``.
    names : mapping of str to Expr, optional
        The names the expression may use, usually the model's parameter symbols.
    place : str, optional
        Where the text came from, for error messages.

    Returns
    -------
    sympy.Expr
        The exact value; decimals become rationals.

    Examples
    --------
    >>> parse_expression("0.2")
    1/5
    >>> from sympy import Symbol
    >>> a = Symbol("alpha")
    >>> parse_expression("1 - alpha/2", {"alpha": a})
    1 - alpha/2
    >>> parse_expression("__import__('os')")
    Traceback (most recent call last):
    ...
    symbellman.errors.ModelError: unexpected character "'" at column 12 of "__import__('os')" (...)
    """
    return _Parser(str(text), names or {}, place).parse()


def exact(value, names: Mapping[str, Expr] | None = None, place: str | None = None) -> Expr:
    """An exact SymPy value for a number, string or expression given by a user.

    Floats are read through their shortest decimal representation, so ``0.2`` is
    exactly 1/5; strings go through :func:`parse_expression`; SymPy expressions have
    their floats replaced the same way.

    >>> exact(0.2), exact("1/3"), exact(Fraction(2, 7))
    (1/5, 1/3, 2/7)
    """
    if isinstance(value, bool):
        raise ModelError(f"expected a number, got {value!r}", place=place)
    if isinstance(value, Integral):
        return Integer(int(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ModelError(f"expected a finite number, got {value!r}", place=place)
        return _number(repr(float(value)), place)  # float() first: numpy.float64 reprs differ
    if isinstance(value, (Fraction, _RationalNumber)):
        return Rational(value.numerator, value.denominator)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ModelError(f"expected a finite number, got {value!r}", place=place)
        return _number(str(value), place)
    if isinstance(value, str):
        return parse_expression(value, names, place)
    if isinstance(value, sympy.Basic):
        if not isinstance(value, Expr):
            raise ModelError(f"expected an expression, got {value!r}", place=place)
        floats = value.atoms(sympy.Float)
        if floats:
            value = value.xreplace({f: _number(str(f)) for f in floats})
        return value
    if type(value).__module__ == "numpy":
        item = value.item()
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            return exact(item, names, place)
    raise ModelError(f"expected a number or expression, got {type(value).__name__} {value!r}",
                     place=place)
