"""Exercise sheets of the finite-horizon, average-reward and TD families: the student's
sheet leaves blanks of a fixed size where the answers go, and only the key (``NAME-key``)
has them. Every expected value is computed here with Fraction arithmetic (or NumPy, for
Baird's eigenvalues), independently of the code under test; Puterman & Chan (2025)
Table 4.3 prints the same v*_2 = 37/5, 26/5 and Section 7.7.2 the same g* = 20/7."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import numpy as np

from symbellman.io import load_model
from symbellman.render.handout import write_handout

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def sheet_and_key(model: Path, tmp_path: Path, heading: str) -> tuple[str, str]:
    """The section named ``heading`` of the Markdown sheet and of its key."""
    mdp, policy = load_model(model)
    write_handout(mdp, policy, tmp_path / "sheet.md", exercise=True)
    key_file = tmp_path / "sheet-key.md"
    assert "key" in key_file.name and key_file.exists()

    def part(text: str) -> str:
        sections = text.split("\n## ")
        found = [s for s in sections if heading in s.splitlines()[0]]
        assert len(found) == 1, heading
        return found[0]
    return (part((tmp_path / "sheet.md").read_text(encoding="utf-8")),
            part(key_file.read_text(encoding="utf-8")))


# -- the finite horizon: backward induction by hand ---------------------------------------
PUTERMAN = {"s1": {"a11": [("s1", F(4, 5), 5), ("s2", F(1, 5), -5)], "a12": [("s2", 1, 5)]},
            "s2": {"a21": [("s2", 1, -5)], "a22": [("s1", F(2, 5), 20), ("s2", F(3, 5), -10)]}}


def backward_induction(model, H):
    v = {s: F(0) for s in model}
    stages = []
    for _ in range(H):
        q = {s: {a: sum(F(p) * (r + v[t]) for t, p, r in outs) for a, outs in acts.items()}
             for s, acts in model.items()}
        v = {s: max(q[s].values()) for s in model}
        stages.append((v, {s: [a for a in q[s] if q[s][a] == v[s]] for s in model}))
    return stages


def test_finite_horizon_sheet_has_blanks_and_the_key_the_values(tmp_path):
    stages = backward_induction(PUTERMAN, 2)
    v2, best2 = stages[1]
    v1, best1 = stages[0]
    assert (v2["s1"], v2["s2"]) == (F(37, 5), F(26, 5))  # Puterman & Chan Table 4.3
    sheet, key = sheet_and_key(EXAMPLES / "puterman_two_state.yaml", tmp_path, "finite horizon")
    assert "37/5" not in sheet and "26/5" not in sheet
    assert "| 2 | 1 | ____ | ____ |" in sheet and "| 1 | 2 | ____ | ____ |" in sheet
    assert "a11" not in sheet.split("v\\*\\_k and every optimal action")[1]
    # the key: v*_k with its maximisers, per stage
    for k, epoch, v, best in ((2, 1, v2, best2), (1, 2, v1, best1)):
        cells = " | ".join(f"{v[s]} \\[{best[s][0]}\\]" for s in ("s1", "s2"))
        assert f"| {k} | {epoch} | {cells} |" in key
    # the time-dependent action: a11 with two decisions left, a12 with one
    assert best2["s1"] == ["a11"] and best1["s1"] == ["a12"]
    assert "In s1 the optimal action depends on the time left" in key
    assert "depends on the time left:" not in sheet
    # a fixed number of blank rows, whatever the number of such states
    from symbellman.render.document import BLANK_ITEMS
    tail = sheet.split("Where does the optimal action depend on the time left?")[1]
    assert tail.count("- ________________") == BLANK_ITEMS


def test_symbolic_finite_horizon_sheet_hides_the_breakpoints(tmp_path):
    model = tmp_path / "m.yaml"
    model.write_text("""format: 1
name: two actions over gamma
discount: gamma
states: [a, b]
actions: {a: [stay, go], b: [back]}
transitions:
  a: {stay: {to: a, r: 1}, go: {to: b, r: 0}}
  b: {back: {to: a, r: 3}}
horizon: 2
""", encoding="utf-8")
    # stage 2 in a: stay gives 1 + γ·1, go gives 0 + γ·max(3) = 3γ: equal at γ = 1/2
    gamma = F(1, 2)
    assert 1 + gamma == 3 * gamma
    sheet, key = sheet_and_key(model, tmp_path, "finite horizon")
    hidden = sheet.split("with exact breakpoints:")[1]
    assert "1/2" not in hidden and "frac{1}{2}" not in hidden and "stay" not in hidden
    assert "γ ∈ \\[0, 1/2\\]" in key and "γ ∈ \\[1/2, 1\\]" in key
    rows = sheet.split("with exact breakpoints:")[1].count("- ________________")
    from symbellman.render.document import BLANK_ITEMS
    assert rows == 2 * BLANK_ITEMS  # the same blanks at each of the H = 2 stages


# -- average reward: P*, gain and bias by hand --------------------------------------------
def test_average_sheet_has_blanks_and_the_key_gain_and_bias(tmp_path):
    half = F(1, 2)  # the model's policy: uniform over the two actions
    r = {s: sum(half * sum(F(p) * rw for _, p, rw in outs) for outs in acts.values())
         for s, acts in PUTERMAN.items()}
    P = {s: {t: sum(half * F(p) for outs in acts.values() for u, p, _ in outs if u == t)
             for t in PUTERMAN} for s, acts in PUTERMAN.items()}
    # stationary μ of a two-state chain: μ1 P12 = μ2 P21
    mu1 = P["s2"]["s1"] / (P["s1"]["s2"] + P["s2"]["s1"])
    mu = {"s1": mu1, "s2": 1 - mu1}
    g = mu["s1"] * r["s1"] + mu["s2"] * r["s2"]
    # bias: h1 − h2 from (I − P) h = r − g, row s1: h1 P12 − h2 P12 = r1 − g; μ·h = 0
    d = (r["s1"] - g) / P["s1"]["s2"]
    h = {"s1": mu["s2"] * d, "s2": -mu["s1"] * d}
    assert mu["s1"] * h["s1"] + mu["s2"] * h["s2"] == 0
    sheet, key = sheet_and_key(EXAMPLES / "puterman_two_state_average.yaml", tmp_path,
                               "Average reward")
    for x in (g, h["s1"], h["s2"]):
        assert str(x) not in sheet
    assert f"| s1 | {g} | {h['s1']} |" in key and f"| s2 | {g} | {h['s2']} |" in key
    assert "| s1 | ____ | ____ | ____ |" in sheet
    assert "one closed class {s1, s2}" in key and "{s1, s2}" not in sheet
    assert "| s1 | 20/7 |" in key and "20/7" not in sheet  # g*, Puterman & Chan §7.7.2


def test_periodic_chain_sheet_hides_the_period(tmp_path):
    sheet, key = sheet_and_key(EXAMPLES / "exercise_10_6.yaml", tmp_path, "Average reward")
    assert "(period 2)" in key and "period 2" not in sheet
    assert f"| A | {F(1, 2)} | {F(1, 4)} |" in key  # S&B Exercise 10.6: r(π) = 1/2, v(A) = 1/4
    assert "1/4" not in sheet


# -- the TD fixed point ---------------------------------------------------------------------
def test_td_sheet_has_blanks_and_the_key_the_fixed_point(tmp_path):
    model = tmp_path / "td.yaml"
    model.write_text("""format: 1
name: two-state ring with one feature
discount: 3/5
states: [a, b]
transitions:
  a: {to: b, r: 1}
  b: {to: a, r: 0}
features: {a: [1], b: [2]}
distribution: on-policy
""", encoding="utf-8")
    gamma, x, d, r = F(3, 5), {"a": 1, "b": 2}, {"a": F(1, 2), "b": F(1, 2)}, {"a": 1, "b": 0}
    nxt = {"a": "b", "b": "a"}
    A = sum(d[s] * x[s] * (x[s] - gamma * x[nxt[s]]) for s in x)
    b = sum(d[s] * x[s] * r[s] for s in x)
    theta = b / A
    assert theta == F(5, 13)
    sheet, key = sheet_and_key(model, tmp_path, "projected Bellman")
    assert r"\frac{5}{13}" in key and "5/13" not in sheet and "frac{5}{13}" not in sheet
    assert r"\theta_{\mathrm{TD}} &= \boxed" in sheet
    # the on-policy weighting is derived, so it is an answer too
    assert "| a | 1 | ____ |" in sheet and "| a | 1 | 1/2 |" in key
    # stable where A(γ) = (5 − 2γ... ) > 0: A(γ) = ½[(1 − 2γ) + 2(2 − γ)] = (5 − 4γ)/2 > 0
    # for every γ in [0, 1)
    assert "For γ ∈ \\[0, 1)" in key and "γ ∈ \\[0, 1)" not in sheet
    assert "It is stable." in key and "stable." not in sheet


def test_baird_sheet_hides_the_threshold(tmp_path):
    sheet, key = sheet_and_key(EXAMPLES / "baird_star.yaml", tmp_path, "projected Bellman")
    assert "15/17" in key and "15/17" not in sheet and "0.88" not in sheet
    assert "unstable" in key and "unstable" not in sheet and "singular" not in sheet.split(
        "(or the set of them, when A is singular):")[1]
    # 15/17 independently: the nonzero eigenvalues of A(γ) = Xᵀ D (I − γP) X cross into the
    # left half-plane there (D uniform over the seven states, P the target policy's: all to s7)
    X = np.array([[2 if j == i else 0 for j in range(7)] + [1] for i in range(6)]
                 + [[0] * 6 + [1, 2]], dtype=float)
    P = np.zeros((7, 7))
    P[:, 6] = 1
    D = np.eye(7) / 7

    def least(g):
        ev = np.linalg.eigvals(X.T @ D @ (np.eye(7) - g * P) @ X)
        ev = ev[np.abs(ev) > 1e-9]  # the null direction of the rank-7 X
        return ev.real.min()
    assert least(15 / 17 - 1e-3) > 0 > least(15 / 17 + 1e-3)


def test_baird_sheet_does_not_tell_a_direction_is_left_out(tmp_path):
    # the deflated direction (X has rank 7 of 8) would tell the student A is singular
    sheet, key = sheet_and_key(EXAMPLES / "baird_star.yaml", tmp_path, "projected Bellman")
    assert "left out" not in sheet and "1 direction(s)" in key
