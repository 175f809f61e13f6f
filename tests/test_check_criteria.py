"""``symbellman check`` for the other criteria: a finite horizon's stage-keyed values,
average reward's gain and bias, and the TD fixed point θ. Every right answer and every
mistaken one is built here with Fraction arithmetic, independently of the code under
test (Puterman & Chan 2025, Table 4.3, prints the same v*_2 = 37/5, 26/5)."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from symbellman.checking import check
from symbellman.cli import main
from symbellman.io import load_model

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HORIZON = EXAMPLES / "puterman_two_state.yaml"
AVERAGE = EXAMPLES / "puterman_two_state_average.yaml"

PUTERMAN = {"s1": {"a11": [("s1", F(4, 5), 5), ("s2", F(1, 5), -5)], "a12": [("s2", 1, 5)]},
            "s2": {"a21": [("s2", 1, -5)], "a22": [("s1", F(2, 5), 20), ("s2", F(3, 5), -10)]}}


def backward_induction(H, policy=None):
    """v*_k (or v_k of a stationary policy {s: {a: weight}}) for k = 0..H, at γ = 1."""
    v = [{s: F(0) for s in PUTERMAN}]
    for _ in range(H):
        q = {s: {a: sum(F(p) * (r + v[-1][t]) for t, p, r in outs)
                 for a, outs in acts.items()} for s, acts in PUTERMAN.items()}
        v.append({s: (max(q[s].values()) if policy is None else
                      sum(w * q[s][a] for a, w in policy[s].items())) for s in PUTERMAN})
    return v


def strs(values):
    return {s: str(x) for s, x in values.items()}


def mistakes(result):
    return [(e.name, e.ok, e.mistake) for e in result.entries]


def test_right_stage_values_and_actions():
    v = backward_induction(2)
    assert (v[2]["s1"], v[2]["s2"]) == (F(37, 5), F(26, 5))
    mdp, policy = load_model(HORIZON)
    result = check(mdp, {"v_star": {"1": strs(v[1]), "2": strs(v[2])},
                         "optimal_actions": {"2": {"s1": ["a11"]}, "1": {"s1": "a12"}}},
                   policy)
    assert result.passed and result.right == 6
    assert result.entries[0].as_dict()["stage"] == 1


def test_stage_off_by_one():
    v = backward_induction(3)  # v*_3 exists beyond H = 2: the k + 1 mistake at k = 2
    mdp, policy = load_model(HORIZON)
    result = check(mdp, {"v_star": {"2": strs(v[1])}}, policy)  # v*_1 given for v*_2
    assert [e.mistake for e in result.entries] == ["stage-off-by-one"] * 2
    assert "k − 1" in result.entries[0].explanation
    result = check(mdp, {"v_star": {"2": strs(v[3])}}, policy)  # v*_3 given for v*_2
    assert [e.mistake for e in result.entries] == ["stage-off-by-one"] * 2
    assert "k + 1" in result.entries[0].explanation
    # the policy's values (uniform) one stage late
    half = {s: {a: F(1, 2) for a in PUTERMAN[s]} for s in PUTERMAN}
    u = backward_induction(2, half)
    result = check(mdp, {"v": {"1": strs(u[2]), "2": strs(u[2])}}, policy)
    assert [(e.name, e.ok, e.mistake) for e in result.entries] == [
        ("v_1(s1)", False, "stage-off-by-one"), ("v_1(s2)", False, "stage-off-by-one"),
        ("v_2(s1)", True, None), ("v_2(s2)", True, None)]


def test_epochs_for_stages(tmp_path):
    model = tmp_path / "h3.yaml"
    model.write_text(HORIZON.read_text().replace("horizon: 2", "horizon: 3"))
    mdp, policy = load_model(model)
    v = backward_induction(3)
    # epoch n = H − k + 1: stage 3's values written under 1 and stage 1's under 3
    result = check(mdp, {"v_star": {"1": strs(v[3]), "2": strs(v[2]), "3": strs(v[1])}},
                   policy)
    assert [e.mistake for e in result.entries if not e.ok] == ["epoch-for-stage"] * 4
    assert result.right == 2


def test_a_slip_is_not_a_named_mistake():
    v = backward_induction(2)
    mdp, policy = load_model(HORIZON)
    result = check(mdp, {"v_star": {"2": {"s1": str(v[1]["s1"]), "s2": "3"}}}, policy)
    assert [e.mistake for e in result.entries] == [None, None]


def uniform_average():
    """r_π, gain and bias (P* h = 0) of the uniform policy, by hand."""
    half = F(1, 2)
    r = {s: sum(half * sum(F(p) * rw for _, p, rw in outs) for outs in acts.values())
         for s, acts in PUTERMAN.items()}
    P = {s: {t: sum(half * F(p) for outs in acts.values() for u, p, _ in outs if u == t)
             for t in PUTERMAN} for s, acts in PUTERMAN.items()}
    mu1 = P["s2"]["s1"] / (P["s1"]["s2"] + P["s2"]["s1"])
    mu = {"s1": mu1, "s2": 1 - mu1}
    g = sum(mu[s] * r[s] for s in mu)
    d = (r["s1"] - g) / P["s1"]["s2"]  # h1 − h2
    h = {"s1": mu["s2"] * d, "s2": -mu["s1"] * d}
    return r, g, h


def test_gain_and_bias_right():
    _, g, h = uniform_average()
    mdp, policy = load_model(AVERAGE)
    result = check(mdp, {"gain": {"s1": str(g), "s2": str(g)}, "bias": strs(h)}, policy)
    assert result.passed and [e.name for e in result.entries] == ["g(s1)", "g(s2)", "h(s1)",
                                                                  "h(s2)"]


def test_one_step_reward_for_the_gain():
    r, g, _ = uniform_average()
    assert r["s1"] != g and r["s2"] != g
    mdp, policy = load_model(AVERAGE)
    result = check(mdp, {"gain": strs(r)}, policy)
    assert [e.mistake for e in result.entries] == ["one-step-reward"] * 2


def test_relative_values_for_the_bias():
    _, _, h = uniform_average()
    relative = {s: h[s] - h["s1"] for s in h}  # h(s1) = 0 instead of P* h = 0
    assert relative["s1"] == 0 and relative != h
    mdp, policy = load_model(AVERAGE)
    result = check(mdp, {"bias": strs(relative)}, policy)
    assert [e.mistake for e in result.entries] == ["relative-bias"] * 2
    assert "h(s1) = 0" in result.entries[0].explanation


def deterministic_average(choice):
    """Gain and bias (P* h = 0) of a deterministic policy {s: a} of the two-state model
    whose chain is irreducible, by hand: g = μ·r with μ the stationary distribution,
    h1 − h2 = (r1 − g)/P(s2|s1) and μ·h = 0."""
    r = {s: sum(F(p) * rw for _, p, rw in PUTERMAN[s][a]) for s, a in choice.items()}
    P = {s: {t: sum(F(p) for u, p, _ in PUTERMAN[s][a] if u == t) for t in PUTERMAN}
         for s, a in choice.items()}
    mu1 = P["s2"]["s1"] / (P["s1"]["s2"] + P["s2"]["s1"])
    mu = {"s1": mu1, "s2": 1 - mu1}
    g = sum(mu[s] * r[s] for s in mu)
    d = (r["s1"] - g) / P["s1"]["s2"]
    return g, {"s1": mu["s2"] * d, "s2": -mu["s1"] * d}


def test_optimal_gain_bias_and_actions_right():
    # Puterman & Chan, Section 7.7.2: (a12, a22) is optimal with gain 20/7; a11 and a21
    # are not even gain-optimal ((a11, a22) earns 8/3, a21 keeps s2 at -5)
    g, h = deterministic_average({"s1": "a12", "s2": "a22"})
    assert g == F(20, 7) and h == {"s1": F(75, 49), "s2": F(-30, 49)}
    assert deterministic_average({"s1": "a11", "s2": "a22"})[0] == F(8, 3)
    mdp, policy = load_model(AVERAGE)
    result = check(mdp, {"gain_star": {"s1": "20/7", "s2": "2.857"}, "bias_star": strs(h),
                         "optimal_actions": {"s1": ["a12"], "s2": "a22"}}, policy)
    assert result.passed
    assert [e.name for e in result.entries] == ["g*(s1)", "g*(s2)", "h*(s1)", "h*(s2)",
                                                "π*(s1)", "π*(s2)"]


def test_the_policy_s_gain_and_bias_for_the_optimum():
    _, g, h = uniform_average()  # the model's policy is the uniform one
    assert g != F(20, 7)
    mdp, policy = load_model(AVERAGE)
    result = check(mdp, {"gain_star": {"s1": str(g), "s2": str(g)}, "bias_star": strs(h)},
                   policy)
    assert [e.mistake for e in result.entries] == ["policy-instead"] * 4
    assert "optimal values were asked for" in result.entries[0].explanation


def test_relative_values_for_the_optimal_bias():
    _, h = deterministic_average({"s1": "a12", "s2": "a22"})
    relative = {s: h[s] - h["s2"] for s in h}  # 15/7 and 0
    assert relative == {"s1": F(15, 7), "s2": 0}
    mdp, policy = load_model(AVERAGE)
    result = check(mdp, {"bias_star": strs(relative)}, policy)
    assert [e.mistake for e in result.entries] == ["relative-bias"] * 2


STAY_OR_DETOUR = """format: 1
name: stay or detour
discount: 1
criterion: average
states: [s, t]
actions: {s: [stay, detour], t: [back]}
transitions:
  s:
    stay: {to: s, r: 1}
    detour: {to: t, r: 0}
  t:
    back: {to: s, r: 2}
"""


def test_every_gain_optimal_action_for_the_bias_optimal_ones(tmp_path):
    # stay earns 1 a step; the detour s -> t -> s earns 0 + 2 in two steps: gain 1 both.
    # Bias (P* h = 0): under stay P* sits on s, so h(s) = 0 and h(t) = 2 − 1 + h(s) = 1;
    # under the detour μ = (1/2, 1/2), h(s) = 0 − 1 + h(t) and h(s) + h(t) = 0, so
    # h(s) = −1/2 < 0. Only stay is bias-optimal, h* = (0, 1).
    path = tmp_path / "stay.yaml"
    path.write_text(STAY_OR_DETOUR, encoding="utf-8")
    mdp, policy = load_model(path)
    result = check(mdp, {"optimal_actions": {"s": ["stay", "detour"], "t": ["back"]},
                         "gain_star": {"s": "1", "t": "1"}, "bias_star": {"s": "0", "t": "1"}},
                   policy)
    assert mistakes(result) == [("g*(s)", True, None), ("g*(t)", True, None),
                                ("h*(s)", True, None), ("h*(t)", True, None),
                                ("π*(s)", False, "gain-optimal-only"), ("π*(t)", True, None)]
    assert "bias-optimal" in result.entries[4].explanation


RING = """format: 1
name: two-state ring with one feature
discount: 3/5
states: [a, b]
transitions:
  a: {to: b, r: 1}
  b: {to: a, r: 0}
features: {a: [1], b: [2]}
distribution: on-policy
"""


def test_true_values_instead_of_the_td_fixed_point(tmp_path):
    path = tmp_path / "ring.yaml"
    path.write_text(RING)
    mdp, policy = load_model(path)
    gamma, x, d = F(3, 5), {"a": 1, "b": 2}, F(1, 2)
    # θ_TD: A = Σ d x(s)(x(s) − γ x(s')), b = Σ d x(s) r(s)
    theta = (d * 1 * 1) / (d * x["a"] * (x["a"] - gamma * x["b"])
                           + d * x["b"] * (x["b"] - gamma * x["a"]))
    # the true values: v(a) = 1 + γ v(b), v(b) = γ v(a); their D-weighted fit
    va = 1 / (1 - gamma ** 2)
    v = {"a": va, "b": gamma * va}
    fit = sum(d * x[s] * v[s] for s in x) / sum(d * x[s] ** 2 for s in x)
    assert (theta, fit) == (F(5, 13), F(11, 16))
    assert check(mdp, {"theta": {"w1": str(theta)}}).passed
    result = check(mdp, {"theta": {"w1": str(fit)}})
    assert mistakes(result) == [("θ(w1)", False, "true-values")]
    assert result.entries[0].as_dict()["feature"] == "w1"
    assert result.entries[0].expected == "5/13"


def test_baird_fixed_points_are_checked_as_a_whole():
    mdp, policy = load_model(EXAMPLES / "baird_star.yaml")
    names = [f"w{i}" for i in range(1, 9)]
    # every reward is 0: θ = 0 is a fixed point, and so is any multiple of the null
    # direction of X, x(s)·(−1/2, ..., −1/2, −2, 1) = 0 for every state (Figure 11.1's rows)
    direction = [F(-1, 2)] * 6 + [F(-2), F(1)]
    rows = [[2 if j == i else 0 for j in range(7)] + [1] for i in range(6)] + [[0] * 6 + [1, 2]]
    assert all(sum(F(a) * b for a, b in zip(row, direction)) == 0 for row in rows)
    result = check(mdp, {"theta": {w: str(3 * c) for w, c in zip(names, direction)}}, policy)
    assert result.passed
    result = check(mdp, {"theta": {w: "1" for w in names}}, policy)
    assert not any(e.ok for e in result.entries)


def test_command_line_json_and_bad_stage(tmp_path, capsys):
    v = backward_induction(2)
    answers = tmp_path / "a.yaml"
    answers.write_text(json.dumps({"v_star": {"2": strs(v[1])}}))
    assert main(["check", str(HORIZON), str(answers), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["wrong"] == 2 and data["entries"][0]["stage"] == 2
    assert data["entries"][0]["mistake"] == "stage-off-by-one"
    answers.write_text(json.dumps({"v_star": {"3": strs(v[1])}}))
    assert main(["check", str(HORIZON), str(answers)]) == 2
    err = capsys.readouterr().err
    assert "stage '3' is not one of 1..2" in err and "Traceback" not in err
    answers.write_text(json.dumps({"v": {"s1": 1}}))
    assert main(["check", str(AVERAGE), str(answers)]) == 2
    assert "not asked for under average reward" in capsys.readouterr().err


@pytest.mark.parametrize("data, message", [
    ({"theta": {"w1": 0}}, "theta is for a model with 'features'"),
    ({"gain": {"Class1": 0}}, "gain is for a model with 'criterion: average'")])
def test_family_keys_on_a_discounted_model(data, message):
    from symbellman.core.errors import ModelError
    from symbellman.model.examples import student_mdp

    with pytest.raises(ModelError, match=message):
        check(student_mdp(), data)


def test_command_line_optimal_average_keys_in_both_languages(tmp_path, capsys):
    answers = tmp_path / "a.yaml"
    # the uniform policy's gain -1/8 (docs/check.md) given for g* = 20/7
    answers.write_text('gain_star: {s1: -1/8, s2: 20/7}\noptimal_actions: {s1: [a11, a12]}\n',
                       encoding="utf-8")
    assert main(["check", str(AVERAGE), str(answers), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(e["key"], e["state"], e["ok"]) for e in data["entries"]] == [
        ("gain_star", "s1", False), ("gain_star", "s2", True), ("optimal_actions", "s1", False)]
    assert main(["check", str(AVERAGE), str(answers), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert "偏差最优" in out and "Traceback" not in out
