"""``symbellman optimal``: in process, JSON as the spec describes, exact breakpoints."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import sympy
from sympy import Rational

from symbellman.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run_json(capsys, *argv):
    assert main(["optimal", *map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_student_mdp_json(capsys):
    data = _run_json(capsys, EXAMPLES / "student_mdp.yaml")
    # David Silver, Lecture 2, optimal value and action-value functions (γ = 1)
    assert {s: sympy.sympify(x) for s, x in data["v_star"].items()} == {
        "Facebook": 6, "Class1": 6, "Class2": 8, "Class3": 10, "Sleep": 0}
    assert sympy.sympify(data["q_star"]["Class3"]["pub"]) == Rational(47, 5)
    assert sympy.sympify(data["q_star"]["Class3"]["study"]) == 10
    assert data["policy"] == {"Facebook": ["quit"], "Class1": ["study"],
                              "Class2": ["study"], "Class3": ["study"]}


def test_student_mdp_text(capsys):
    assert main(["optimal", str(EXAMPLES / "student_mdp.yaml")]) == 0
    out = capsys.readouterr().out
    assert "47/5" in out and "9.4" in out and "certificate holds" in out


def test_exercise_3_22_pieces_json(capsys):
    data = _run_json(capsys, EXAMPLES / "exercise_3_22.yaml")
    pieces = data["pieces"]
    # Sutton & Barto, Exercise 3.22: left below γ = 1/2, right above, both at 1/2
    assert [(p["from"], p["to"]) for p in pieces] == [("0", "1/2"), ("1/2", "1")]
    assert [p["policy"]["top"] for p in pieces] == [["left"], ["right"]]
    assert pieces[0]["tie"]["top"] == ["left", "right"]
    g = sympy.Symbol("gamma")
    top = sympy.sympify(pieces[1]["v_star"]["top"], locals={"gamma": g})
    assert sympy.cancel(top - 2 * g / (1 - g**2)) == 0
    assert set(pieces[0]["q_star"]["top"]) == {"left", "right"}
    assert data["blackwell"]["top"] == ["right"]


def test_numeric_discount_by_at(capsys):
    data = _run_json(capsys, EXAMPLES / "exercise_3_22.yaml", "--at", "gamma=1/2")
    assert data["policy"]["top"] == ["left", "right"]  # the exact tie
    assert "pieces" not in data


def test_gridworld_pieces_in_under_a_minute(capsys):
    started = time.perf_counter()
    data = _run_json(capsys, EXAMPLES / "gridworld_5x5.yaml", "--over", "gamma")
    assert time.perf_counter() - started < 60
    pieces = data["pieces"]
    assert pieces[0]["from"] == "0" and pieces[-1]["to"] == "1"
    for left, right in zip(pieces, pieces[1:]):
        assert left["to"] == right["from"]
        b = sympy.sympify(left["to"], locals={"gamma": sympy.Symbol("gamma")})
        assert abs(float(b) - float(left["to_decimal"])) < 1e-9


def test_over_a_parameter_with_a_range(capsys):
    data = _run_json(capsys, EXAMPLES / "recycling_robot.yaml", "--over", "r_wait",
                     "--range=-5,5", "--at", "gamma=9/10", "--at", "alpha=1/2",
                     "--at", "beta=1/3", "--at", "r_search=2")
    pieces = data["pieces"]
    assert pieces[0]["from"] == "-5" and pieces[-1]["to"] == "5"
    assert pieces[-1]["policy"] == {"high": ["wait"], "low": ["wait"]}
    assert data["blackwell"] is None


def test_text_pieces_name_the_blackwell_policy(capsys):
    assert main(["optimal", str(EXAMPLES / "exercise_3_22.yaml")]) == 0
    out = capsys.readouterr().out
    assert "0 <= gamma < 1/2" in out and "Blackwell-optimal" in out


@pytest.mark.parametrize("argv, message", [
    (["recycling_robot.yaml", "--at", "gamma=9/10"], "alpha, beta, r_search, r_wait"),
    (["recycling_robot.yaml", "--over", "alpah", "--at", "gamma=9/10"], "did you mean"),
    (["exercise_3_22.yaml", "--range", "0"], "--range"),
    (["gridworld_5x5.yaml", "--at", "gamma=1"], "no terminal state"),
])
def test_errors_are_one_line_and_exit_2(capsys, argv, message):
    assert main(["optimal", str(EXAMPLES / argv[0]), *argv[1:]]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbellman: error:") and message in err
    assert err.count("\n") == 1
