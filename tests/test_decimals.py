"""significant_text against Python's decimal module (an independent, correctly rounded
implementation of decimal arithmetic)."""

from __future__ import annotations

import decimal
import random
from fractions import Fraction

import pytest
from sympy import Rational

from symbellman.text.decimals import significant_text


def reference(x: Fraction, digits: int) -> Decimal:
    context = decimal.Context(prec=digits, rounding=decimal.ROUND_HALF_EVEN, Emax=10**8,
                              Emin=-10**8)
    return context.divide(decimal.Decimal(x.numerator), decimal.Decimal(x.denominator))


Decimal = decimal.Decimal


@pytest.mark.parametrize("seed", range(300))
def test_random_rationals_round_like_decimal(seed):
    rnd = random.Random(seed)
    digits = rnd.randint(1, 14)
    x = Fraction(rnd.randint(-10**rnd.randint(1, 40), 10**rnd.randint(1, 40)),
                 rnd.randint(1, 10**rnd.randint(1, 40)))
    text = significant_text(x, digits)
    if x == 0:
        assert text == "0"
        return
    # the same value as decimal's correctly rounded quotient
    assert Decimal(text) == reference(x, digits)


def test_exponent_keeps_its_zeros():
    # issue 9: 10³⁰ − 1 showed as 1.000000000e+3 (the exponent's zero stripped)
    assert significant_text(10**30 - 1) == "1e+30"
    assert significant_text(Fraction(-(10**30 - 1), 10**60)) == "-1e-30"
    assert significant_text(Rational(10**20 + 5 * 10**10, 1), 11) == "1.0000000005e+20"


def test_huge_exact_integer_is_printed_without_int_to_str():
    # Python refuses str() of integers over 4,300 digits; the mantissa needs none of it
    x = 3 * 10**10000 + 7
    assert significant_text(x, 5) == "3e+10000"
    assert significant_text(Fraction(1, x), 3) == "3.33e-10001"


def test_fixed_notation_range():
    assert significant_text(Fraction(1, 10**5), 3) == "0.00001"
    assert significant_text(Fraction(1, 10**6), 3) == "1e-6"
    assert significant_text(123456, 6) == "123456"
    assert significant_text(1234567, 6) == "1.23457e+6"
