"""Issue 20's page surfaces, in Chromium: the finite horizon's stage slider, the band of γ
where expected TD(0) is stable with θ_TD at the slider's γ, and the average reward's gain,
bias and chain structure.

Expected values come from the published sources (Puterman & Chan, Table 4.3; Sutton &
Barto's thresholds 1/2 and Baird's 15/17; Exercise 10.6's 1/2, 1/4, −1/4) and from
backward induction and linear solves in Fraction arithmetic written here, never from the
page's own numbers.
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest
import yaml

from page_browser import open_page
from symbellman.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Puterman & Chan's two-state model (examples/puterman_two_state.yaml), written out here:
# state -> action -> [(next state, probability, reward)]
PUTERMAN = {"s1": {"a11": [("s1", F(4, 5), 5), ("s2", F(1, 5), -5)], "a12": [("s2", 1, 5)]},
            "s2": {"a21": [("s2", 1, -5)], "a22": [("s1", F(2, 5), 20), ("s2", F(3, 5), -10)]}}

HOSTILE = "<img src=x onerror=window.__pwned=1>"


def induction(model, H, g):
    """v_k^π (uniform policy), v_k* and every maximiser for k = 0..H, in Fractions."""
    def q(s, a, v):
        return sum(F(p) * (r + g * v[t]) for t, p, r in model[s][a])
    vpi = [{s: F(0) for s in model}]
    vstar = [{s: F(0) for s in model}]
    acts = [None]
    for _ in range(H):
        vpi.append({s: sum(q(s, a, vpi[-1]) for a in model[s]) / len(model[s]) for s in model})
        qs = {s: {a: q(s, a, vstar[-1]) for a in model[s]} for s in model}
        vstar.append({s: max(qs[s].values()) for s in model})
        acts.append({s: [a for a in model[s] if qs[s][a] == vstar[-1][s]] for s in model})
    return vpi, vstar, acts


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    pytest.importorskip("latex2mathml")
    folder = tmp_path_factory.mktemp("families")
    out = {}
    for name in ("puterman_two_state", "baird_star", "w_to_2w", "exercise_10_6",
                 "puterman_two_state_average"):
        out[name] = folder / f"{name}.html"
        assert main(["handout", str(EXAMPLES / f"{name}.yaml"), "-o", str(out[name])]) == 0
    # the w -> 2w fragment with reward 1 on the updated transition: A = 1 − 2γ, b = 1,
    # so θ_TD = 1/(1 − 2γ); and a hostile state name, and a horizon
    model = {"format": 1, "name": HOSTILE, "states": [HOSTILE, "right", "end"],
             "terminal": ["end"], "discount": "1/4",
             "transitions": {HOSTILE: {"to": "right", "r": 1}, "right": {"to": "end", "r": 0}},
             "features": {HOSTILE: [1], "right": [2]}, "feature_names": ["w"],
             "distribution": {HOSTILE: 1, "right": 0}, "horizon": 3}
    path = folder / "rewarded.yaml"
    path.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    out["rewarded"] = folder / "rewarded.html"
    assert main(["handout", str(path), "-o", str(out["rewarded"])]) == 0
    # Sutton & Barto's Example 11.1: w and 2w, the second ending with probability ε
    model = {"format": 1, "name": "Example 11.1", "symbols": ["eps"],
             "vary": {"eps": ["0", "1/8", "1/2"]}, "states": ["s1", "s2", "end"],
             "terminal": ["end"],
             "transitions": {"s1": {"to": "s2", "r": 0},
                             "s2": [{"to": "s2", "p": "1 - eps", "r": 0},
                                    {"to": "end", "p": "eps", "r": 0}]},
             "features": {"s1": [1], "s2": [2]}, "distribution": "uniform"}
    path = folder / "example_11_1.yaml"
    path.write_text(yaml.safe_dump(model), encoding="utf-8")
    out["example_11_1"] = folder / "example_11_1.html"
    assert main(["handout", str(path), "-o", str(out["example_11_1"])]) == 0
    return out


def quiet(browser):
    """No console message and no network request (the page is offline)."""
    assert browser.get_log("browser") == []
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)") == []
    assert browser.execute_script("return window.__pwned === undefined")


def type_gamma(browser, value: str):
    field = browser.find_element("css selector", "#slider-gamma-text")
    field.clear()
    field.send_keys(value + "\n")
    assert browser.execute_script(
        "const g = window.symbellmanPage.state.gamma; return g.n + '/' + g.d") == (
        f"{F(value).numerator}/{F(value).denominator}")


def set_stage(browser, k: int):
    from selenium.webdriver.common.keys import Keys

    stage = browser.find_element("css selector", "#slider-stage")
    while int(stage.get_attribute("value")) != k:
        stage.send_keys(Keys.ARROW_LEFT if int(stage.get_attribute("value")) > k else Keys.ARROW_RIGHT)
    assert browser.find_element("css selector", "#stage-value").text == str(k)


def horizon_rows(browser):
    return browser.execute_script("""
        return [...document.querySelectorAll('#horizon-table tbody tr')].map((tr) =>
          [tr.cells[0].textContent, ...[...tr.cells].slice(1, 3).map((c) => c.dataset.exact),
           tr.cells[3] ? tr.cells[3].dataset.actions : null]);""")


# -- the finite horizon ------------------------------------------------------------------------
def test_puterman_table_4_3_at_the_models_discount(browser, pages):
    open_page(browser, pages["puterman_two_state"])
    set_stage(browser, 2)
    rows = horizon_rows(browser)
    # Table 4.3: q_2*(s1, ·) = 37/5, 7 and q_2*(s2, ·) = −3, 26/5, so v_2* = (37/5, 26/5)
    assert [(r[0], r[2], r[3]) for r in rows] == [("s1", "37/5", "a11"), ("s2", "26/5", "a22")]
    set_stage(browser, 1)
    assert [(r[2], r[3]) for r in horizon_rows(browser)] == [("5", "a12"), ("2", "a22")]
    note = browser.find_element("css selector", "#horizon-note")
    assert note.get_attribute("data-time-dependent") == "true"
    assert "s1: a11 with 2 decisions left; a12 with 1 decision left" in note.text
    quiet(browser)


@pytest.mark.parametrize("g", ["1/2", "5/6", "9/10", "0", "1"])
def test_every_stage_matches_backward_induction_in_fractions(browser, pages, g):
    open_page(browser, pages["puterman_two_state"])
    type_gamma(browser, g)
    vpi, vstar, acts = induction(PUTERMAN, 2, F(g))
    for k in (1, 2):
        set_stage(browser, k)
        rows = horizon_rows(browser)
        assert [r[0] for r in rows] == ["s1", "s2"]
        for name, pi, star, shown in rows:
            assert F(pi) == vpi[k][name] and F(star) == vstar[k][name]
            assert shown.split("|") == acts[k][name]
    quiet(browser)


def test_a_tie_between_stages_is_shown_at_five_sixths(browser, pages):
    # with two decisions left, a11 overtakes a12 at γ = 5/6 (7 + 5γ·... equal there)
    open_page(browser, pages["puterman_two_state"])
    type_gamma(browser, "5/6")
    set_stage(browser, 2)
    assert horizon_rows(browser)[0][3] == "a11|a12"


def test_horizon_of_a_chain_with_a_hostile_name(browser, pages):
    open_page(browser, pages["rewarded"], "#gamma=1/4")
    set_stage(browser, 3)
    rows = horizon_rows(browser)
    assert rows[0][0] == HOSTILE and F(rows[0][1]) == 1 and rows[2][1] == "0"
    assert not browser.find_elements("css selector", "#horizon img, #td img")
    quiet(browser)


# -- the TD stability band ---------------------------------------------------------------------
@pytest.mark.parametrize("name, published", [("baird_star", "15/17"), ("w_to_2w", "1/2")])
def test_band_breakpoints_are_the_published_ones(browser, pages, name, published):
    open_page(browser, pages[name])
    points = browser.execute_script(
        "return [...document.querySelectorAll('#td-band .td-breakpoint')].map((b) => b.dataset.exact)")
    assert points == [published]
    threshold = F(published)
    for below, above in ((threshold - F(1, 100), threshold), (F(0), threshold + F(1, 1000))):
        type_gamma(browser, str(below))
        status = browser.find_element("css selector", "#td-status")
        assert status.get_attribute("data-stable") == "true", (below, status.text)
        type_gamma(browser, str(above))
        assert status.get_attribute("data-stable") == "false", above
    # the marker sits at the slider's γ on the band
    type_gamma(browser, "1/4")
    left = browser.execute_script("return document.getElementById('td-marker').style.left")
    assert float(left.rstrip("%")) == pytest.approx(25)
    quiet(browser)


def test_theta_td_follows_the_slider(browser, pages):
    open_page(browser, pages["rewarded"])
    for g in ("1/4", "3/4", "1/10", "49/100"):
        type_gamma(browser, g)
        shown = browser.execute_script(
            "return [...document.querySelectorAll('#td-table tbody td')].map((c) => c.dataset.exact)")
        assert [F(x) for x in shown] == [1 / (1 - 2 * F(g))]   # θ = b / A = 1/(1 − 2γ)
        names = browser.execute_script(
            "return [...document.querySelectorAll('#td-table tbody th')].map((c) => c.textContent)")
        assert names == ["w"]
        stable = browser.find_element("css selector", "#td-status").get_attribute("data-stable")
        assert stable == ("true" if F(g) < F(1, 2) else "false")
    quiet(browser)


# -- the average reward ------------------------------------------------------------------------
def average_rows(browser):
    return browser.execute_script("""
        return [...document.querySelectorAll('#average-table tbody tr')].map((tr) =>
          [...tr.cells].map((c) => c.dataset.exact === undefined ? c.textContent : c.dataset.exact));""")


def test_exercise_10_6_gain_bias_and_period(browser, pages):
    open_page(browser, pages["exercise_10_6"])
    # Sutton & Barto, Exercise 10.6: average reward 1/2, v(A) = 1/4, v(B) = −1/4
    assert average_rows(browser) == [["A", "1/2", "1/4"], ["B", "1/2", "-1/4"]]
    assert "period 2" in browser.find_element("css selector", "#average-structure").text
    quiet(browser)


def stationary_gain_bias(P, r):
    """g and h (P* h = 0) of an irreducible two-state chain, in Fractions."""
    p12, p21 = P[0][1], P[1][0]
    pi = (p21 / (p12 + p21), p12 / (p12 + p21))
    g = pi[0] * r[0] + pi[1] * r[1]
    # h1 − h2 = (r1 − g) / p12 from row 1; π·h = 0
    d = (r[0] - g) / p12
    h2 = -pi[0] * d
    return g, (h2 + d, h2)


def test_puterman_average_gain_and_bias(browser, pages):
    open_page(browser, pages["puterman_two_state_average"])
    rows = average_rows(browser)
    # the uniform policy: r = (4, −3/2), P = [[2/5, 3/5], [1/5, 4/5]]
    g, h = stationary_gain_bias([[F(2, 5), F(3, 5)], [F(1, 5), F(4, 5)]], [F(4), F(-3, 2)])
    assert [(F(r[1]), F(r[2])) for r in rows] == [(g, h[0]), (g, h[1])]
    # the best of the four deterministic policies, (a12, a22): r = (5, 2)
    best = max(((a, b) for a in PUTERMAN["s1"] for b in PUTERMAN["s2"]), key=lambda ab: gain_of(*ab))
    assert best == ("a12", "a22")
    g, h = stationary_gain_bias([[F(0), F(1)], [F(2, 5), F(3, 5)]], [F(5), F(2)])
    assert g == F(20, 7)
    assert [(F(r[3]), F(r[4]), r[5]) for r in rows] == [(g, h[0], "a12"), (g, h[1], "a22")]
    quiet(browser)


def gain_of(a1, a2):
    """The gain of a deterministic policy of Puterman's model (s2 with a21 is absorbing)."""
    if a2 == "a21":
        return F(-5)
    P = [[F(0), F(0)], [F(0), F(0)]]
    r = []
    for i, (s, a) in enumerate((("s1", a1), ("s2", a2))):
        r.append(sum(F(p) * x for _, p, x in PUTERMAN[s][a]))
        for t, p, _ in PUTERMAN[s][a]:
            P[i][0 if t == "s1" else 1] += F(p)
    return stationary_gain_bias(P, r)[0]


def test_a_100_state_horizon_in_floating_point(browser, tmp_path):
    # over 40 states the stages are in floating point: compared with NumPy's backward induction
    import subprocess
    import sys

    import numpy as np

    from symbellman.io import load_model

    text = subprocess.run([sys.executable, str(EXAMPLES / "make_gridworlds.py"), "10", "10"],
                          capture_output=True, text=True, check=True).stdout
    model = tmp_path / "grid.yaml"
    model.write_text(text + "horizon: 20\n")
    page = tmp_path / "grid.html"
    assert main(["handout", str(model), "-o", str(page)]) == 0
    mdp, _ = load_model(model)
    states = list(mdp.states)
    index = {s: i for i, s in enumerate(states)}
    g = 0.9
    vpi, vstar = np.zeros(len(states)), np.zeros(len(states))
    for _ in range(20):
        new_pi, new_star = np.zeros_like(vpi), np.zeros_like(vstar)
        for s in mdp.nonterminal:
            qs_pi, qs_star = [], []
            for a in mdp.actions(s):
                outs = [(index[o.next_state], float(o.probability), float(o.reward))
                        for o in mdp.outcomes(s, a)]
                qs_pi.append(sum(p * (r + g * vpi[t]) for t, p, r in outs))
                qs_star.append(sum(p * (r + g * vstar[t]) for t, p, r in outs))
            new_pi[index[s]] = np.mean(qs_pi)   # the uniform policy
            new_star[index[s]] = max(qs_star)
        vpi, vstar = new_pi, new_star
    open_page(browser, page, "#gamma=9/10")
    set_stage(browser, 20)
    shown = browser.execute_script("""
        return [...document.querySelectorAll('#horizon-table tbody tr')].map((tr) =>
          [Number(tr.cells[1].textContent), Number(tr.cells[2].textContent)]);""")
    assert np.allclose([x[0] for x in shown], vpi, rtol=1e-6, atol=1e-6)
    assert np.allclose([x[1] for x in shown], vstar, rtol=1e-6, atol=1e-6)
    assert "floating point" in browser.find_element("css selector", "#horizon-caption").text
    quiet(browser)


def test_a_click_on_the_td_band_moves_gamma(browser, pages):
    open_page(browser, pages["w_to_2w"], "#gamma=9/10")
    status = browser.find_element("css selector", "#td-status")
    assert status.get_attribute("data-stable") == "false"
    browser.execute_script("""
        const band = document.getElementById('td-band'), r = band.getBoundingClientRect();
        band.dispatchEvent(new MouseEvent('click', {clientX: r.left + 0.3 * r.width,
                                                    clientY: r.top + 2, bubbles: true}));""")
    assert browser.execute_script(
        "const g = window.symbellmanPage.state.gamma; return g.n + '/' + g.d") == "3/10"
    assert status.get_attribute("data-stable") == "true"
    assert browser.find_element("css selector", "#slider-gamma-text").get_attribute("value") == "3/10"
    quiet(browser)


def test_example_11_1_threshold_follows_epsilon(browser, pages):
    # Sutton & Barto, Example 11.1: the expected update diverges for γ > 5/(6 − 4ε)
    open_page(browser, pages["example_11_1"], "#gamma=1/2")
    for eps in ("0", "1/8", "1/2"):
        field = browser.find_element("css selector", "#slider-eps-text")
        field.clear()
        field.send_keys(eps + "\n")
        threshold = F(5) / (6 - 4 * F(eps))
        points = browser.execute_script(
            "return [...document.querySelectorAll('#td-band .td-breakpoint')].map((b) => b.dataset.exact)")
        assert points == ([str(threshold)] if threshold < 1 else []), eps
        for g, stable in ((threshold - F(1, 50), True), (threshold + F(1, 50), False)):
            if 0 <= g < 1:
                type_gamma(browser, str(g))
                shown = browser.find_element("css selector", "#td-status").get_attribute("data-stable")
                assert shown == str(stable).lower(), (eps, g)
    quiet(browser)
