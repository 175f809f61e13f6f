"""Floats read as the exact numbers they stand for: a short fraction, else a short decimal.

gymnasium's tables and NumPy arrays hold floats; :func:`exact_from_float` turns
FrozenLake's 0.33333333333333337 into 1/3 and ``1 - 0.7`` into 3/10, and refuses a float
that is neither (a random draw), naming the entry. :mod:`.gymnasium` and :mod:`.arrays`
read every number through it.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from sympy import Rational

from ..core.errors import ModelError
from ..core.expressions import exact

__all__ = ["exact_from_float", "TOLERANCE", "DECIMAL_PLACES"]

# A float is taken for a short fraction within this many units in the last place, or
# within TOLERANCE, whichever is larger. FrozenLake's 1/3 is 0.33333333333333337, one
# ulp above the float nearest 1/3, so "converts back to exactly the same float" would
# reject it; a row a user computed, [0.7, 1 - 0.7], holds 0.30000000000000004. Two
# fractions with denominators up to 10**6 differ by at least 10**-12, ten times
# TOLERANCE, so at most one candidate is ever this close; a wrong reading still fails
# the exact sum check.
_ULPS = 4

#: The largest distance between a float and the short fraction it is read as.
TOLERANCE = 1e-13

#: A float with no short fraction near it is read as its shortest decimal when that has
#: at most this many digits after the point (0.123456789 is 123456789/10**9); a longer
#: one (a random draw such as 0.37454011884736255) is an error naming the entry.
DECIMAL_PLACES = 12


def exact_from_float(x: Any, max_denominator: int, place: str) -> Rational:
    """The exact number a float stands for: a short fraction, or a short decimal.

    >>> exact_from_float(1 - 0.7, 10**6, "P[0, 0, 1]"), exact_from_float(1 / 3, 10**6, "P")
    (3/10, 1/3)
    >>> exact_from_float(0.37454011884736255, 10**6, "P[0, 1, 2]")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: P[0, 1, 2]: 0.37454011884736255 is no fraction with a denominator up to 1000000 and no decimal of up to 12 places (pass a larger max_denominator, or exact values: fractions.Fraction, or strings such as '3/7')
    """
    if hasattr(x, "item") and type(x).__module__ == "numpy":  # np.float32, np.int64, ...
        return exact_from_float(x.item(), max_denominator, place)
    if not isinstance(x, float):  # integers, fractions, text, SymPy: exact already
        return exact(x, place=place)
    x = float(x)  # np.float64 is a float whose repr is not a decimal
    if not math.isfinite(x):
        raise ModelError(f"expected a finite number, got {x!r}", place=place)
    short = Fraction(x).limit_denominator(max_denominator)
    if abs(float(short) - x) <= max(_ULPS * math.ulp(x), TOLERANCE):
        return Rational(short.numerator, short.denominator)
    decimal = exact(x, place=place)
    if decimal.q <= 10**DECIMAL_PLACES:
        return decimal
    raise ModelError(
        f"{x!r} is no fraction with a denominator up to {max_denominator} and no decimal "
        f"of up to {DECIMAL_PLACES} places", place=place,
        hint="pass a larger max_denominator, or exact values: fractions.Fraction, "
             "or strings such as '3/7'")
