"""Decimal text of exact rationals, by integer arithmetic only (no floats, no ``evalf``).

:func:`significant_text` rounds correctly (half to even) to a number of significant
digits, whatever the size of the value: a 10,000-digit exact integer is shown as a
mantissa and an exponent without ever being converted to text in full (Python
refuses to print integers over 4,300 digits).
"""

from __future__ import annotations

import math
from fractions import Fraction


__all__ = ["significant_text"]

_LOG10_2 = math.log10(2)


def _pair(value) -> tuple[int, int]:
    """(p, q) with value = p/q and q > 0, read without reducing (no gcd: the values
    printed may have tens of thousands of digits, and rounding does not need it)."""
    if isinstance(value, int):
        return int(value), 1
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    p, q = getattr(value, "p", None), getattr(value, "q", None)  # a SymPy Rational
    if p is not None and q is not None:
        return int(p), int(q)
    raise TypeError(f"significant_text needs an exact rational, not {type(value).__name__}")


def _exponent(p: int, q: int) -> int:
    """e with 10**e <= p/q < 10**(e + 1), for p, q > 0."""
    e = math.floor((p.bit_length() - q.bit_length()) * _LOG10_2)
    while _at_least(p, q, e + 1):
        e += 1
    while not _at_least(p, q, e):
        e -= 1
    return e


def _at_least(p: int, q: int, e: int) -> bool:
    """p/q >= 10**e, in integers."""
    return p >= q * 10 ** e if e >= 0 else p * 10 ** -e >= q


def significant_text(value, digits: int = 10) -> str:
    """``value`` rounded to ``digits`` significant digits, as text.

    Fixed notation for 10⁻⁵ ≤ |value| < 10^digits, else a mantissa and a full
    exponent; trailing zeros of the fraction are dropped (never those of the
    exponent). Rounding is exact, half to even.

    Parameters
    ----------
    value : int, fractions.Fraction or SymPy Rational
    digits : int
        Significant digits, at least 1.

    Examples
    --------
    >>> significant_text(Fraction(2, 3)), significant_text(Fraction(-30, 13), 3)
    ('0.6666666667', '-2.31')
    >>> significant_text(10**30 - 1)  # rounds up to exactly 10³⁰
    '1e+30'
    >>> significant_text(10**30 + 10**21)
    '1.000000001e+30'
    >>> significant_text(Fraction(1, 8), 2), significant_text(Fraction(3, 8), 2)  # half to even
    ('0.12', '0.38')
    """
    if digits < 1:
        raise ValueError("digits must be at least 1")
    p, q = _pair(value)
    if p == 0:
        return "0"
    sign = "-" if p < 0 else ""
    p = abs(p)
    e = _exponent(p, q)
    k = digits - 1 - e  # the value times 10**k has ``digits`` digits before the point
    num, den = (p * 10 ** k, q) if k >= 0 else (p, q * 10 ** -k)
    m, rest = divmod(num, den)
    twice = 2 * rest
    if twice > den or (twice == den and m % 2):
        m += 1
    if m == 10 ** digits:  # rounding carried into a new digit: 9.99… → 10.0…
        m //= 10
        e += 1
    text = str(m)  # exactly ``digits`` digits
    if -5 <= e < digits:
        if e >= 0:
            whole, fraction = text[:e + 1], text[e + 1:]
        else:
            whole, fraction = "0", "0" * (-e - 1) + text
        fraction = fraction.rstrip("0")
        return sign + whole + ("." + fraction if fraction else "")
    mantissa = (text[0] + "." + text[1:]).rstrip("0").rstrip(".")
    return f"{sign}{mantissa}e{e:+d}"
