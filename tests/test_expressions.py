"""The safe expression reader: exact values, and hostile text refused quickly."""

from __future__ import annotations

import pytest
from sympy import Rational, Symbol

from symbellman import MDP, ModelError
from symbellman.core.expressions import exact, parse_expression


@pytest.mark.parametrize("text, value", [
    ("0.2", Rational(1, 5)), ("1/3", Rational(1, 3)), ("-(1 - 0.25)", Rational(-3, 4)),
    ("2**-2", Rational(1, 4)), ("2^3", 8), ("1e-3", Rational(1, 1000)),
    ("0.1000000000000000000000000001", Rational(1000000000000000000000000001, 10**28)),
])
def test_exact_values(text, value):
    assert parse_expression(text) == value


@pytest.mark.parametrize("text, message", [
    ("1e999999999", "too large"), ("10**10**10", "too large"), ("2**1001", "too large"),
    ("(" * 300 + "1" + ")" * 300, "nested too deeply"), ("-" * 500 + "1", "nested too deeply"),
    ("(" * 3000 + "1" + ")" * 3000, "too long"), ("-" * 5000 + "1", "too long"),
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


# -- issue 9: hostile or wrong input found by the bad-input corpus ----------------------
@pytest.mark.parametrize("text", ["٠.٥", "０.５", "1٠", "²"])
def test_numbers_are_ascii_digits_only(text):
    # Decimal reads Arabic-Indic and full-width digits; a model file may not
    with pytest.raises(ModelError, match="unexpected character"):
        parse_expression(text)


@pytest.mark.parametrize("text", ["nan", "inf", "Infinity", "-inf", "NaN", "oo", "zoo"])
def test_nan_and_infinities_are_not_numbers(text):
    with pytest.raises(ModelError, match="not a finite number"):
        parse_expression(text)


@pytest.mark.parametrize("text, message", [
    ("((10**1000)**1000)**1000", "too large to work with"),
    ("*".join(["1e999"] * 11), "too large to work with"),
    ("((gamma**1000)**1000)**1000", "degree up to 1000000"),
    ("((x+1)**1000)**1000", "degree up to 1000000"),
    ("(x+1)**600 * (x+1)**600", "degree up to 1200"),
])
def test_the_size_of_a_result_is_bounded_before_it_is_built(text, message):
    import time

    start = time.perf_counter()
    with pytest.raises(ModelError, match=message):
        parse_expression(text, {"x": Symbol("x"), "gamma": Symbol("gamma")})
    assert time.perf_counter() - start < 1  # refused before anything big is made


def test_many_factors_are_refused_by_length_and_by_size(monkeypatch):
    text = "*".join(["1e999"] * 20_000)
    with pytest.raises(ModelError, match="too long"):
        parse_expression(text)
    monkeypatch.setenv("SYMBELLMAN_MAX_TOKENS", "100000")
    with pytest.raises(ModelError, match="too large to work with"):
        parse_expression(text)


def test_limits_can_be_raised(monkeypatch):
    x = Symbol("x")
    with pytest.raises(ModelError, match="SYMBELLMAN_MAX_DEGREE"):
        parse_expression("x**600 * x**600", {"x": x})
    monkeypatch.setenv("SYMBELLMAN_MAX_DEGREE", "2000")
    assert parse_expression("x**600 * x**600", {"x": x}) == x**1200


def test_a_sum_of_3000_symbols_is_refused():
    names = {f"x{i}": Symbol(f"x{i}") for i in range(3000)}
    with pytest.raises(ModelError, match="too long"):
        parse_expression("+".join(names), names)


@pytest.mark.parametrize("name", ["pi", "E", "I", "lambda", "oo", "zoo", "nan", "inf", "for",
                                  "None"])
def test_reserved_names_cannot_be_symbols_or_the_discount(name):
    with pytest.raises(ModelError, match=f"symbols\\[0\\]: .*{name}"):
        MDP(["A"], {"A": [("A", 1, 0)]}, symbols=[name], discount="1/2")
    with pytest.raises(ModelError, match="discount: "):
        MDP(["A"], {"A": [("A", 1, 0)]}, discount=name)


def test_gamma_is_a_name_only_when_it_is_the_discount():
    with pytest.raises(ModelError, match="unknown name 'gamma'"):
        MDP(["A", "B"], {"A": [("A", "gamma", 0), ("B", "1 - gamma", 0)]},
            terminal=["B"], discount="9/10")
    with pytest.raises(ModelError, match="symbols: the name 'gamma' is kept for the discount"):
        MDP(["A"], {"A": [("A", 1, "gamma")]}, symbols=["gamma"], discount="9/10")
    m = MDP(["A"], {"A": [("A", 1, 1)]})  # the default discount is the symbol gamma
    assert m.discount == Symbol("gamma")


@pytest.mark.parametrize("name", ["α", "x\u200b", "a-b"])
def test_symbol_names_are_ascii_identifiers(name):
    with pytest.raises(ModelError, match="plain identifier"):
        MDP(["A"], {"A": [("A", 1, 0)]}, symbols=[name])


def test_too_many_symbols(monkeypatch):
    monkeypatch.setenv("SYMBELLMAN_MAX_SYMBOLS", "5")
    with pytest.raises(ModelError, match="6 symbols are declared; the limit is 5"):
        MDP(["A"], {"A": [("A", 1, 0)]}, symbols=[f"x{i}" for i in range(6)])


def test_as_fraction_reads_every_exact_rational():
    # one conversion for SymPy, the ground domain (gmpy or Python) and python-flint
    from fractions import Fraction

    from sympy.polys.domains import QQ

    from symbellman.core.expressions import as_fraction

    assert as_fraction(Rational(-30, 13)) == Fraction(-30, 13)
    assert as_fraction(QQ(4, 6)) == Fraction(2, 3)
    assert as_fraction(7) == Fraction(7) and as_fraction(True) == Fraction(1)
    flint = pytest.importorskip("flint")
    assert as_fraction(flint.fmpq(-5, 15)) == Fraction(-1, 3)
    with pytest.raises(TypeError):
        as_fraction(0.5)  # a float is not exact
