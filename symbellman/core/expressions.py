"""Exact numbers and expressions from text and from Python values, without executing code.

Model files are data, so their expressions are read by the small recursive-descent
parser here, never by ``eval``, ``sympify`` or ``parse_expr`` (all three evaluate
Python). The grammar is exactly what the model-file spec allows: integers, decimals
(read as exact rationals), declared names, ``+ - * /``, ``**`` (or ``^``) with an
integer exponent, and parentheses.
"""

from __future__ import annotations

import keyword
import operator
import random
import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from numbers import Integral, Rational as _RationalNumber
from typing import Mapping

import sympy
from sympy import Expr, Integer, Rational

from .errors import ModelError
from .limits import ENVIRONMENT, current as current_limits
from .names import closest, printable, safe_text

__all__ = ["parse_expression", "exact", "as_fraction", "check_name", "RESERVED",
           "identically_zero"]

# ASCII only: \d would take Arabic-Indic or full-width digits, which Decimal reads but no
# LaTeX font prints; a model's numbers are written with 0-9.
_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|[-+*/^()])
""", re.VERBOSE)

#: Names that SymPy (or Python) reads as something else: a constant, a keyword, infinity.
#: A model may not declare them, so a value written with them always reads back the same.
RESERVED = frozenset({"pi", "E", "I", "S", "N", "O", "Q", "oo", "zoo", "nan", "inf",
                      "infinity", "lambda"} | set(keyword.kwlist))
_RESERVED_FOLDED = frozenset({"nan", "inf", "infinity", "oo", "zoo"})


def check_name(name: str, place: str | None = None, what: str = "symbol") -> str:
    """``name`` if it may name a parameter or the discount; else a ModelError.

    A name is ASCII letters, digits and ``_``, and not one of :data:`RESERVED`.

    >>> check_name("alpha")
    'alpha'
    >>> check_name("pi", "symbols[0]")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: symbols[0]: the name 'pi' is reserved (it means a constant or a keyword; use another name such as 'pi_')
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ModelError(f"a {what} name must be a plain identifier, got {printable(name)}",
                         place=place, hint="use ASCII letters, digits and _")
    if name in RESERVED or name.lower() in _RESERVED_FOLDED or name.startswith("__"):
        raise ModelError(f"the name {name!r} is reserved", place=place,
                         hint=f"it means a constant or a keyword; use another name such as "
                              f"{(name.strip('_') or 'x') + '_'!r}")
    return name


_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_OPERATIONS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}

#: Limits that keep a tiny file from making a huge number (``1e999999999``, ``10**10**10``)
#: or a deep recursion: far beyond anything a model needs. The size of what an expression
#: builds is bounded as a whole by :mod:`symbellman.core.limits` (digits and degree).
MAX_EXPONENT = 1000
MAX_DEPTH = 200


def _trimmed(text: str) -> str:
    """A decimal's text without the zeros that end its fraction (``0.500`` -> ``0.5``).

    They change neither its value nor its size, so ``0.5`` followed by 200,000 zeros
    is read as 1/2 instead of counting against the digit limit.

    >>> _trimmed("0.5000"), _trimmed("2.000e3"), _trimmed("100"), _trimmed("1.")
    ('0.5', '2e3', '100', '1')
    """
    mantissa, e, exponent = text.partition("e") if "e" in text else text.partition("E")
    if "." not in mantissa:
        return text
    mantissa = mantissa.rstrip("0").rstrip(".") or "0"
    return mantissa + e + exponent


def _number(text: str, place: str | None = None) -> Rational:
    # Decimal keeps every digit the text has; Rational of a Decimal is exact.
    value = Decimal(_trimmed(text))
    if not value.is_finite():
        raise ModelError(f"{text} is not a finite number", place=place,
                         hint="probabilities, rewards and the discount are exact numbers")
    if value != 0 and abs(value.adjusted()) > MAX_EXPONENT:
        raise ModelError(f"the number {text} is too large or too small", place=place,
                         hint=f"numbers must lie between 1e-{MAX_EXPONENT} and "
                              f"1e{MAX_EXPONENT}")
    return Rational(*value.as_integer_ratio()) if value != value.to_integral_value() \
        else Integer(int(value))


def _digits(text: str) -> int:
    """A bound on the decimal digits (numerator and denominator) of a number's value."""
    sign, digits, exponent = Decimal(_trimmed(text)).as_tuple()
    return len(digits) + abs(exponent) + 1


# A parsed part: its value, a bound on the digits of any number in it (numerators and
# denominators together) and its total degree in the symbols. The bounds are checked
# before each operation, so no operation ever builds something beyond them.
_Part = tuple  # (Expr, int, int)


class _Parser:
    def __init__(self, text: str, names: Mapping[str, Expr], place: str | None):
        self.text = text
        self.names = names
        self.place = place
        self.limits = current_limits()
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                self.fail(f"unexpected character {printable(text[pos])} at column {pos + 1} of "
                          f"{self.quoted()}",
                          "an expression may use numbers (digits 0-9), declared names, "
                          "+ - * / ** and ( )")
            if m.lastgroup != "space":
                self.tokens.append((m.lastgroup, m.group(), pos))
                if len(self.tokens) > self.limits.tokens:
                    self.fail(f"the expression {self.quoted()} is too long "
                              f"(over {self.limits.tokens} numbers, names and operators)",
                              f"raise {ENVIRONMENT['tokens']} to allow longer ones")
            pos = m.end()
        self.i = 0
        self.depth = 0

    def quoted(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:40] + "..."
        return printable(text)

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"{printable(self.text[:40])}... is nested too deeply",
                      f"use at most {MAX_DEPTH} levels of parentheses and signs")

    def fail(self, message: str, hint: str | None = None):
        raise ModelError(message, place=self.place, hint=hint)

    def bound(self, digits: int, degree: int) -> None:
        """Refuse an operation whose result could exceed the limits, before it is done."""
        if degree > self.limits.degree:
            self.fail(f"{self.quoted()} has degree up to {degree} in its symbols "
                      f"(the limit is {self.limits.degree})",
                      f"raise {ENVIRONMENT['degree']} to allow higher powers")
        if digits > self.limits.digits:
            self.fail(f"{self.quoted()} makes a number too large to work with "
                      f"(up to {digits} digits; the limit is {self.limits.digits})",
                      f"raise {ENVIRONMENT['digits']} to allow larger numbers")

    def nonzero(self, divisor: Expr) -> None:
        """Refuse a division by ``divisor`` when it is 0, also in disguise (``x**2 - x*x``)."""
        if divisor == 0:
            self.fail(f"division by zero in {self.quoted()}")
        if identically_zero(divisor):
            names = ", ".join(sorted(s.name for s in divisor.free_symbols))
            shown = str(divisor)
            shown = shown if len(shown) <= 60 else shown[:40] + "..."
            self.fail(f"this expression is 1/0: {self.quoted()} divides by "
                      f"{safe_text(shown)}, which is 0 for every value of {names}",
                      "remove the division, or correct its denominator")

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
        expr = self.sum()[0]
        tok = self.peek()
        if tok is not None:
            self.fail(f"unexpected {printable(tok[1])} at column {tok[2] + 1} of {self.quoted()}",
                      "an expression may use numbers, declared names, + - * / ** and ( )")
        return expr

    def sum(self) -> _Part:
        # a sum's digits add up, plus one for a carry; its degree is the larger one
        return self.chain(self.product, "+-", lambda a, b: (a[1] + b[1] + 1, max(a[2], b[2])))

    def product(self) -> _Part:
        return self.chain(self.unary, "*/", lambda a, b: (a[1] + b[1], a[2] + b[2]))

    def chain(self, operand, operators: str, size) -> _Part:
        """Operands joined left to right by ``operators``; ``size(left, right)`` bounds the
        (digits, degree) of each result before it is computed."""
        left = operand()
        while (op := next((o for o in operators if self.take(o)), None)) is not None:
            right = operand()
            if op == "/":
                self.nonzero(right[0])
            digits, degree = size(left, right)
            self.bound(digits, degree)
            left = (_OPERATIONS[op](left[0], right[0]), digits, degree)
        return left

    def unary(self) -> _Part:
        self.deeper()
        try:
            if self.take("-"):
                expr, digits, degree = self.unary()
                return -expr, digits, degree
            if self.take("+"):
                return self.unary()
            return self.power()
        finally:
            self.depth -= 1

    def power(self) -> _Part:
        base, digits, degree = self.atom()
        if self.take("**") or self.take("^"):
            exponent = self.unary()[0]
            if not exponent.is_Integer:
                self.fail(f"the exponent in {self.quoted()} is {exponent}, not an integer",
                          "only integer powers are allowed")
            if abs(exponent) > MAX_EXPONENT:
                self.fail(f"the exponent {exponent} in {self.quoted()} is too large",
                          f"exponents may be at most {MAX_EXPONENT}")
            if exponent < 0:
                self.nonzero(base)
            k = abs(int(exponent))
            digits, degree = digits * k, degree * k
            self.bound(digits, degree)
            return base ** exponent, digits, degree
        return base, digits, degree

    def atom(self) -> _Part:
        tok = self.peek()
        if tok is None:
            self.fail(f"{self.quoted()} ends too early")
        kind, value, pos = tok
        self.i += 1
        if kind == "number":
            digits = _digits(value)
            self.bound(digits, 0)
            return _number(value, self.place), digits, 0
        if kind == "name":
            if value in self.names:
                return self.names[value], 0, 1
            if self.peek() is not None and self.peek()[1] == "(":
                self.fail(f"function calls such as {value}(...) are not allowed",
                          "a model file holds data only")
            if value.lower() in _RESERVED_FOLDED:
                self.fail(f"{value} is not a finite number", "probabilities, rewards and "
                          "the discount are exact numbers")
            self.fail(f"unknown name {value!r} in {self.quoted()}",
                      _unknown_hint(value, self.names))
        if value == "(":
            self.deeper()
            part = self.sum()
            self.depth -= 1
            if not self.take(")"):
                self.fail(f"missing ')' in {self.quoted()}")
            return part
        self.fail(f"unexpected {value!r} at column {pos + 1} of {self.quoted()}")


def identically_zero(expr: Expr) -> bool:
    """Whether an expression in symbols is 0 for every value of them (a zero in disguise).

    It is evaluated exactly at pseudo-random rational points first: a value other than 0
    proves it is not zero (the usual case, in microseconds); only an expression that is 0
    at every point tried is put over one denominator and expanded to decide for certain.

    >>> from sympy import Symbol
    >>> x = Symbol("x")
    >>> identically_zero((x + 1)**2 - x**2 - 2*x - 1), identically_zero((x + 1)**2 - x**2)
    (True, False)
    """
    if not expr.free_symbols:
        return expr == 0
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    draw = random.Random(len(symbols))  # the same points on every run
    for _ in range(3):
        point = {s: Rational(draw.randrange(-2**31, 2**31), draw.randrange(1, 2**31))
                 for s in symbols}
        value = expr.xreplace(point)
        if value.is_Rational and value != 0:
            return False
        # 0 here, or undefined (an inner denominator vanishes at this point): try another
    numerator = sympy.together(expr).as_numer_denom()[0]
    return sympy.expand(numerator) == 0


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
    symbellman.core.errors.ModelError: unexpected character "'" at column 12 of "__import__('os')" (...)
    """
    text = str(text)
    if len(text) <= 30 and _PLAIN_NUMBER.fullmatch(text):
        return _plain_number(text)  # most of a model: '-1', '0.25'; too short to be large
    return _Parser(text, names or {}, place).parse()


_PLAIN_NUMBER = re.compile(r"[ \t]*-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[ \t]*")


@lru_cache(maxsize=4096)
def _plain_number(text: str) -> Rational:
    value = _number(text.strip().lstrip("-"))
    return -value if text.strip().startswith("-") else value


def as_fraction(value) -> Fraction:
    """An exact rational number as a ``Fraction``: an int, a Fraction, a SymPy Rational
    (``p``, ``q``) or a ground-domain rational (python-flint's ``fmpq``, gmpy's ``mpq``,
    SymPy's ``QQ`` elements: ``numerator``, ``denominator``). The one place this
    conversion is written.

    >>> as_fraction(Rational(-30, 13)), as_fraction(3)
    (Fraction(-30, 13), Fraction(3, 1))
    >>> from sympy.polys.domains import QQ
    >>> as_fraction(QQ(-2, 6))
    Fraction(-1, 3)
    >>> as_fraction(sympy.Symbol("x"))
    Traceback (most recent call last):
    ...
    TypeError: an exact rational number is needed, not Symbol
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    p, q = getattr(value, "p", None), getattr(value, "q", None)  # a SymPy Rational
    if p is None or q is None:
        p, q = getattr(value, "numerator", None), getattr(value, "denominator", None)
    if p is None or q is None or isinstance(value, float):
        raise TypeError(f"an exact rational number is needed, not {type(value).__name__}")
    return Fraction(int(p), int(q))


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
        if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            if value.has(sympy.zoo, sympy.nan):
                raise ModelError(_UNDEFINED, place=place)
            raise ModelError(f"{value} is not a finite number", place=place,
                             hint="probabilities, rewards and the discount are exact numbers")
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


_UNDEFINED = "this expression is 1/0 (a value put in makes a denominator 0)"


def _unknown_hint(name: str, names) -> str:
    """What to suggest for a name the model does not declare."""
    if name == "gamma":
        # 'gamma' can only ever be the discount (model.py refuses it as a parameter)
        return ("'gamma' names the discount only when the file says discount: gamma; "
                "write that, or write the discount's value here")
    near = closest(name, names)
    return (f"did you mean {near!r}? Or declare {name!r} under 'symbols'" if near
            else f"declare {name!r} under 'symbols'")
