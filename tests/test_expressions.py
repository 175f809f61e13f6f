"""The safe expression reader: exact values, and hostile text refused quickly."""

from __future__ import annotations

import pytest
from sympy import Rational, Symbol

from symbellman import MDP, ModelError
from symbellman.expressions import exact, parse_expression


@pytest.mark.parametrize("text, value", [
    ("0.2", Rational(1, 5)), ("1/3", Rational(1, 3)), ("-(1 - 0.25)", Rational(-3, 4)),
    ("2**-2", Rational(1, 4)), ("2^3", 8), ("1e-3", Rational(1, 1000)),
    ("0.1000000000000000000000000001", Rational(1000000000000000000000000001, 10**28)),
])
def test_exact_values(text, value):
    assert parse_expression(text) == value


@pytest.mark.parametrize("text, message", [
    ("1e999999999", "too large"), ("10**10**10", "too large"), ("2**1001", "too large"),
    ("(" * 3000 + "1" + ")" * 3000, "nested too deeply"), ("-" * 5000 + "1", "nested too deeply"),
    ("__import__('os')", "unexpected character"), ("exec(1)", "not allowed"),
    ("x**0.5", "not an integer"), ("1/0", "division by zero"), ("", "empty"),
])
def test_hostile_or_bad_text_is_a_model_error(text, message):
    with pytest.raises(ModelError, match=message):
        parse_expression(text, {"x": Symbol("x")}, place="p")


def test_unknown_name_suggests_the_closest():
    with pytest.raises(ModelError, match="did you mean 'alpha'"):
        parse_expression("1 - alpah", {"alpha": Symbol("alpha")})


def test_floats_are_read_as_their_decimal_text():
    assert exact(0.2) == Rational(1, 5)
    assert exact(0.1 + 0.2) == Rational(30000000000000004, 10**17)


def test_actions_must_be_a_list():
    with pytest.raises(ModelError, match="list of action names"):
        MDP(["A"], {"A": {"go": [("A", 1, 0)]}}, actions={"A": 3})


def test_numpy_numbers_are_exact():
    import numpy as np

    assert exact(np.float64(0.2)) == Rational(1, 5)
    assert exact(np.int64(3)) == 3
    assert exact(np.float32(0.5)) == Rational(1, 2)
