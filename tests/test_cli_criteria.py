"""The command line under the other criteria: ``--horizon``, ``--criterion average``,
``--laurent``, ``--relative``, ``--value-iteration``; the ``--json`` shapes of the spec.

Expected numbers: Puterman & Chan (2025) Table 4.3 and Section 7.7.2; Sutton & Barto
(2018) Exercises 10.6 and 10.7 (see tests/test_horizon.py and tests/test_average.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy

from symbellman.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TWO_STATE = str(EXAMPLES / "puterman_two_state.yaml")
AVERAGE = str(EXAMPLES / "puterman_two_state_average.yaml")


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv):
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def read(text: str):
    return sympy.sympify(text, locals={"gamma": sympy.Symbol("gamma")})


def test_optimal_json_finite_horizon_table_4_3(capsys):
    data = run_json(capsys, "optimal", TWO_STATE)
    assert data["horizon"] == 2 and set(data) >= {"v_star", "q_star", "policy"}
    assert data["q_star"]["2"]["s1"] == {"a11": "37/5", "a12": "7"}
    assert data["q_star"]["1"]["s2"] == {"a21": "-5", "a22": "2"}
    assert data["policy"] == {"2": {"s1": ["a11"], "s2": ["a22"]},
                              "1": {"s1": ["a12"], "s2": ["a22"]}}
    assert data["v_star"]["2"] == {"s1": "37/5", "s2": "26/5"}


def test_solve_json_finite_horizon_shapes(capsys):
    data = run_json(capsys, "solve", TWO_STATE, "--horizon", "3")
    assert data["horizon"] == 3
    assert sorted(data["v"]) == ["1", "2", "3"] and sorted(data["q"]) == ["1", "2", "3"]
    # uniform policy, one decision: the mean of the expected rewards
    assert read(data["v"]["1"]["s1"]) == sympy.Rational(3 + 5, 2)
    assert set(data["q"]["1"]["s2"]) == {"a21", "a22"}


def test_symbolic_discount_pieces_per_stage(capsys):
    data = run_json(capsys, "optimal", str(EXAMPLES / "exercise_3_22.yaml"), "--horizon", "3")
    pieces = data["pieces"]
    assert sorted(pieces) == ["1", "2", "3"]
    # k = 3: left pays 1 + gamma^2, right 2 gamma + gamma^2: equal at gamma = 1/2
    assert [(p["from"], p["to"], p["policy"]["top"]) for p in pieces["3"]] == \
        [("0", "1/2", ["left"]), ("1/2", "1", ["right"])]
    assert [(p["from"], p["to"]) for p in pieces["1"]] == [("0", "1")]


def test_text_table_and_time_left_callout(capsys):
    status, out, _ = run(capsys, "optimal", TWO_STATE)
    assert status == 0
    assert "37/5 (7.4) [a11]" in out
    assert "in s1 the optimal action depends on the time left" in out
    assert "k = 2 is the first decision (epoch 1)" in out


def test_average_solve_json(capsys):
    data = run_json(capsys, "solve", str(EXAMPLES / "exercise_10_7.yaml"), "--laurent",
                    "--relative", "A")
    assert data["gain"] == {"A": "1/3", "B": "1/3", "C": "1/3"}
    assert data["bias"] == {"A": "-1/3", "B": "0", "C": "1/3"}
    assert data["classes"] == [["A", "B", "C"]] and data["transient"] == []
    assert data["periods"] == [3]
    assert data["relative"] == {"A": "0", "B": "1/3", "C": "2/3"}
    assert set(data["laurent"]) == {"gain", "bias", "c1"}


def test_average_optimal_json_section_7_7_2(capsys):
    data = run_json(capsys, "optimal", AVERAGE)
    assert data["gain"] == {"s1": "20/7", "s2": "20/7"}
    assert data["policy"] == {"s1": ["a12"], "s2": ["a22"]}
    assert data["gain_optimal"] == {"s1": ["a12"], "s2": ["a22"]}
    # relative values 15/7 and 0 (h(s2) = 0) are the bias shifted by a constant
    assert read(data["bias"]["s1"]) - read(data["bias"]["s2"]) == sympy.Rational(15, 7)


def test_criterion_flag_overrides_the_model(capsys):
    data = run_json(capsys, "optimal", TWO_STATE, "--criterion", "average")
    assert data["gain"]["s1"] == "20/7"
    data = run_json(capsys, "solve", AVERAGE, "--horizon", "2")
    assert data["horizon"] == 2


def test_discounted_laurent_json(capsys):
    data = run_json(capsys, "solve", str(EXAMPLES / "exercise_3_22.yaml"), "--laurent")
    # Sutton & Barto Exercise 3.22 under the uniform policy; checked against the series
    from symbellman import Policy, solve_v
    from symbellman.model.examples import exercise_3_22

    m = exercise_3_22()
    v = solve_v(m, Policy.uniform(m))
    u = sympy.Symbol("u")
    for s in m.states:
        series = sympy.series(v[s].subs(sympy.Symbol("gamma"), 1 - u), u, 0, 2).removeO()
        laurent = data["laurent"]
        ours = read(laurent["gain"][s]) / u + read(laurent["bias"][s]) + read(laurent["c1"][s]) * u
        assert sympy.simplify(series - ours) == 0


def test_value_iteration_warns_on_a_periodic_chain(capsys):
    status, out, err = run(capsys, "solve", str(EXAMPLES / "exercise_10_6.yaml"),
                           "--value-iteration", "8")
    assert status == 0 and "oscillates with period 2" in err
    status, out, err = run(capsys, "solve", str(EXAMPLES / "exercise_10_6.yaml"),
                           "--value-iteration", "8", "--transform", "1/2")
    assert status == 0 and "oscillates" not in err and "tau = 1/2" in out


@pytest.mark.parametrize("argv, message", [
    (["solve", AVERAGE, "--horizon", "2", "--criterion", "average"], "two different problems"),
    (["solve", str(EXAMPLES / "student_mdp.yaml"), "--relative", "Class1"],
     "belongs to the average-reward criterion"),
    (["solve", AVERAGE, "--relative", "s3"], "no state 's3'"),
    (["optimal", TWO_STATE, "--criterion", "average", "--over", "gamma"],
     "--over and --range belong to the discounted criterion"),
    (["solve", AVERAGE, "--transform", "1/2"], "--transform applies to --value-iteration"),
])
def test_bad_requests_are_one_line_errors(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert message in err and err.count("\n") == 1


def test_multichain_relative_values_name_the_classes(tmp_path, capsys):
    path = tmp_path / "m.yaml"
    path.write_text("states: [x, y]\ndiscount: 1\ntransitions:\n  x: {to: x, r: 3}\n"
                    "  y: {to: y, r: 2}\ncriterion: average\n", encoding="utf-8")
    status, out, err = run(capsys, "solve", str(path), "--relative", "x")
    assert status == 2 and "{x}; {y}" in err
