"""The count behind "piece k of n" (issue 23, item 10): a census in floating point that
never claims a breakpoint the exact sweep does not find, and finds them all on the models
users run it on."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import given

from symbellman.core.symbols import gamma
from symbellman.io import load_model
from symbellman.linalg import reporting
from symbellman.optimal import census as census_module, optimal_pieces
from symbellman.optimal.census import census
from test_parametric_properties import SETTINGS, X, Y, build, models

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _breakpoints(pieces) -> list[float]:
    return [float(p.end) for p in pieces][:-1]


def _labels(mdp) -> tuple[list[str], object]:
    """The piece part of every stage the sweep reports, in order, and the pieces."""
    seen = []
    with reporting(lambda stage, done, total: seen.append(stage.split(": ")[0])):
        pieces = optimal_pieces(mdp)
    return list(dict.fromkeys(seen)), pieces


@SETTINGS
@given(model=models())
def test_each_change_the_census_sees_holds_a_breakpoint_of_its_own(model):
    states, terminal, actions, _, _, discount, points = model
    mdp, _ = build(model)
    x0, y0, _ = points[0]
    values = {X: sympy.Rational(x0.numerator, x0.denominator),
              Y: sympy.Rational(y0.numerator, y0.denominator)}
    mdp = mdp.subs(values)
    if discount is not None:
        mdp = mdp.replace(discount=gamma)
    found = census(mdp, gamma, Fraction(0), Fraction(1))
    if found is None:
        return  # a singular point in floats: the bars say "piece k" alone
    ends = _breakpoints(optimal_pieces(mdp))
    his = [hi for _lo, hi in found.changes]
    los = [lo for lo, _hi in found.changes]
    assert los == sorted(los) and all(a < b for a, b in zip(his, los[1:]))  # disjoint
    for lo, hi in found.changes:
        assert any(lo - 1e-12 <= e <= hi + 1e-12 for e in ends), (lo, hi, ends)
    assert len(found.changes) <= len(ends)


@pytest.mark.parametrize("name, count", [
    ("exercise_3_22.yaml", 2),  # Sutton & Barto, Exercise 3.22: left below 1/2, right above
    ("student_mdp.yaml", 3),    # breakpoints at 1/5 and near 0.4013
    ("gridworld_5x5.yaml", 2),
])
def test_every_bar_says_piece_k_of_n_with_the_true_n(name, count):
    mdp, _ = load_model(EXAMPLES / name)
    labels, pieces = _labels(mdp.replace(discount=gamma))
    assert len(pieces) == count and len(labels) == count
    for k, (label, piece) in enumerate(zip(labels, pieces), 1):
        found = re.fullmatch(r"piece (\d+) of (\d+) \(gamma from ([0-9.]+)\)", label)
        assert found and (int(found[1]), int(found[2])) == (k, count), label
        assert abs(float(found[3]) - float(piece.start)) < 1e-4, (label, piece.start)


def test_frozenlake_8x8_counts_its_26_pieces_before_the_first():
    # 26 pieces, 6 of them within 0.0005 of their neighbour (0.6171 and 0.6175, 0.9933
    # and 0.9935, 0.9989 and 0.9988, ...): the census halves the intervals where several
    # states change their action until they part
    gymnasium = pytest.importorskip("gymnasium")
    from symbellman.io.gymnasium import from_gymnasium

    mdp = from_gymnasium(gymnasium.make("FrozenLake-v1", map_name="8x8"))
    labels, pieces = _labels(mdp)
    assert len(pieces) == 26
    assert [int(re.match(r"piece \d+ of (\d+) ", s).group(1)) for s in labels] == [26] * 26


def test_cliffwalking_sees_no_change_where_floats_cannot_tell_actions_apart():
    # -1 a step: at small γ, 'up' and 'right' differ by γ^13 against a value near -1, far
    # below double precision; the exact sweep finds one piece, and so must the census
    gymnasium = pytest.importorskip("gymnasium")
    from symbellman.io.gymnasium import from_gymnasium

    mdp = from_gymnasium(gymnasium.make("CliffWalking-v1"))
    labels, pieces = _labels(mdp)
    assert len(pieces) == 1 and labels == ["piece 1 of 1 (gamma from 0)"]


def test_over_a_parameter_the_census_counts_too(tmp_path):
    # Exercise 3.22 with x for the reward of going left and γ = 9/10: left is worth
    # x + γ²v(top), right 2γ + γ²v(top), so right is optimal below x = 2γ = 9/5, left above
    text = (EXAMPLES / "exercise_3_22.yaml").read_text(encoding="utf-8")
    path = tmp_path / "with_x.yaml"
    path.write_text(text.replace("discount: gamma", "discount: 9/10\nsymbols: [x]")
                    .replace("left: {to: left, r: 1}", "left: {to: left, r: x}"),
                    encoding="utf-8")
    mdp, _ = load_model(path)
    x = sympy.Symbol("x")
    seen = []
    with reporting(lambda stage, done, total: seen.append(stage.split(": ")[0])):
        pieces = optimal_pieces(mdp, over="x", low=0, high=2)
    assert [(p.start, p.end) for p in pieces] == [(0, sympy.Rational(9, 5)),
                                                 (sympy.Rational(9, 5), 2)]
    assert list(dict.fromkeys(seen)) == ["piece 1 of 2 (x from 0)", "piece 2 of 2 (x from 1.8)"]
    found = census(mdp, x, Fraction(0), Fraction(2))
    assert [lo < 1.8 < hi for lo, hi in found.changes] == [True]


def test_without_a_census_a_piece_says_where_it_starts_and_the_range_ends(monkeypatch):
    monkeypatch.setattr(census_module, "MAX_STATES", 0)
    mdp, _ = load_model(EXAMPLES / "exercise_3_22.yaml")
    labels, _ = _labels(mdp)
    assert labels == ["piece 1 (gamma from 0 to 1)", "piece 2 (gamma from 0.5 to 1)"]


def test_no_census_is_taken_when_no_bar_shows(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a census without a bar")
    monkeypatch.setattr("symbellman.optimal.pieces.census", refuse)
    mdp, _ = load_model(EXAMPLES / "student_mdp.yaml")
    assert len(optimal_pieces(mdp.replace(discount=gamma))) == 3
