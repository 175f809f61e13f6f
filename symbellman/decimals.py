"""Decimal text of exact rationals, by integer arithmetic only (no floats, no ``evalf``).

:func:`decimal_text` rounds correctly (half to even) to a number of significant
digits, whatever the size of the value: a 10,000-digit exact integer is shown as a
mantissa and an exponent without ever being converted to text in full (Python
refuses to print integers over 4,300 digits).
"""

from __future__ import annotations

import math
from fractions import Fraction

from .expressions import as_fraction

__all__ = ["decimal_text"]

_LOG10_2 = math.log10(2)


def _exponent(x: Fraction) -> int:
    """e with 10**e <= x < 10**(e + 1), for x > 0."""
    e = math.floor((x.numerator.bit_length() - x.denominator.bit_length()) * _LOG10_2)
    while Fraction(10) ** (e + 1) <= x:
        e += 1
    while Fraction(10) ** e > x:
        e -= 1
    return e


def decimal_text(value, digits: int = 10) -> str:
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
    >>> decimal_text(Fraction(2, 3)), decimal_text(Fraction(-30, 13), 3)
    ('0.6666666667', '-2.31')
    >>> decimal_text(10**30 - 1)  # rounds up to exactly 10³⁰
    '1e+30'
    >>> decimal_text(10**30 + 10**21)
    '1.000000001e+30'
    >>> decimal_text(Fraction(1, 8), 2), decimal_text(Fraction(3, 8), 2)  # half to even
    ('0.12', '0.38')
    """
    if digits < 1:
        raise ValueError("digits must be at least 1")
    x = as_fraction(value)
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    x = abs(x)
    e = _exponent(x)
    scaled = x * Fraction(10) ** (digits - 1 - e)
    m, rest = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * rest
    if twice > scaled.denominator or (twice == scaled.denominator and m % 2):
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
