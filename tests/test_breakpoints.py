"""Breakpoints print readably: a name and a decimal in the rows, the polynomial and an
isolating interval once (issue 23, item 8). Checked against numpy's roots and exact
sign changes, not against the code's own isolation."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy

from symbellman.cli import main
from symbellman.optimal.breakpoints import Breakpoint, name_breakpoints

g = sympy.Symbol("gamma")


def _value(coeffs_desc, x):
    return sum(Fraction(c) * x ** (len(coeffs_desc) - 1 - i) for i, c in enumerate(coeffs_desc))


def _holds_one_root(poly_expr, lo: Fraction, hi: Fraction) -> bool:
    coeffs = [int(c) for c in sympy.Poly(poly_expr, g).all_coeffs()]
    inside = [r.real for r in np.roots(coeffs) if abs(r.imag) < 1e-9
              and float(lo) < r.real < float(hi)]
    # exact: the polynomial changes sign across the interval, and numpy finds one root in it
    return _value(coeffs, lo) * _value(coeffs, hi) < 0 and len(inside) == 1


def test_a_cubic_root_is_named_with_its_polynomial_and_interval():
    b = Breakpoint.of(sympy.CRootOf(g**3 - 3*g + 1, 1), g)   # 2 cos(80°)
    assert b.is_named and b.short == "≈ 0.3473"
    lo, hi = b.interval
    assert hi - lo <= Fraction(1, 10 ** 4) and _holds_one_root(b.polynomial, lo, hi)
    assert abs(float(b.decimal) - 2 * np.cos(np.radians(80))) < 1e-9
    text = b.definition("β1")
    assert text.startswith("β1 = the root of gamma**3 - 3*gamma + 1 in (0.3472, 0.3473)")


def test_a_multiple_of_a_root_gets_the_polynomial_of_the_value_itself():
    r = sympy.CRootOf(g**3 - 3*g + 1, 1)
    b = Breakpoint.of(3 * r, g)
    lo, hi = b.interval
    assert _holds_one_root(b.polynomial, lo, hi)
    assert abs(float(b.decimal) - 3 * 2 * np.cos(np.radians(80))) < 1e-8


def test_rationals_and_radicals_print_as_they_are():
    assert Breakpoint.of(sympy.Rational(1, 2), g).short == "1/2"
    assert not Breakpoint.of(sympy.sqrt(2) - 1, g).is_named
    named = name_breakpoints([sympy.Integer(0), sympy.CRootOf(g**3 - 3*g + 1, 1),
                              sympy.CRootOf(g**3 - 3*g + 1, 1), sympy.Integer(1)], g)
    assert [n for _, n in named.values()] == [None, "β1", None]


def test_frozen_lake_pieces_print_names_not_crootof(capsys, tmp_path):
    pytest.importorskip("gymnasium")
    lake = tmp_path / "lake.yaml"
    assert main(["import", "gymnasium:FrozenLake-v1", "-o", str(lake)]) == 0
    capsys.readouterr()
    assert main(["optimal", str(lake)]) == 0
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith("piece ")]
    assert headers and all("CRootOf" not in h and len(h) < 120 for h in headers)
    definitions = [line for line in out.splitlines() if line.startswith("β")]
    # every name used in a header is defined exactly once
    defined = [line.split(" = ")[0] for line in definitions]
    assert sorted(defined) == sorted(set(re.findall(r"β\d+", " ".join(headers)))) != []
    for line in definitions:
        poly_text, interval = line.split(" = the root of ")[1].split(" in (")
        lo, hi = (Fraction(x) for x in interval.split(")")[0].split(", "))
        assert _holds_one_root(sympy.sympify(poly_text, locals={"gamma": g}), lo, hi), line
