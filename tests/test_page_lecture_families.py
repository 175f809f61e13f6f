"""Issue 20 in the lecture view (the teacher's one screen), in Chromium: the finite
horizon's stage slider and stage table, the average reward's gain and bias, and the TD(0)
stability band sit beside the picture when the model has them, and γ = 1 does not stop
the lecture view.

Expected values come from backward induction, stationary distributions and the TD fixed
point computed here in Fraction arithmetic (and Sutton & Barto's published threshold 1/2
for the w → 2w fragment), never from the page's own numbers.
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


def induction(model, H, g):
    """v_k^π (the uniform policy), v_k* and every maximiser for k = 0..H, in Fractions."""
    def q(s, a, v):
        return sum(F(p) * (r + g * v[t]) for t, p, r in model[s][a])
    vpi, vstar, acts = [{s: F(0) for s in model}], [{s: F(0) for s in model}], [None]
    for _ in range(H):
        vpi.append({s: sum(q(s, a, vpi[-1]) for a in model[s]) / len(model[s]) for s in model})
        qs = {s: {a: q(s, a, vstar[-1]) for a in model[s]} for s in model}
        vstar.append({s: max(qs[s].values()) for s in model})
        acts.append({s: [a for a in model[s] if qs[s][a] == vstar[-1][s]] for s in model})
    return vpi, vstar, acts


def two_state_gain_bias(P, r):
    """g and h (normalised by P* h = 0) of an irreducible two-state chain, in Fractions."""
    p12, p21 = P[0][1], P[1][0]
    pi = (p21 / (p12 + p21), p12 / (p12 + p21))
    g = pi[0] * r[0] + pi[1] * r[1]
    d = (r[0] - g) / p12          # h1 − h2, from row 1 of g + h = r + P h
    h2 = -pi[0] * d               # π·h = 0
    return g, (h2 + d, h2)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    pytest.importorskip("latex2mathml")
    folder = tmp_path_factory.mktemp("lecture-families")
    out = {}
    for name in ("puterman_two_state", "puterman_two_state_average", "w_to_2w",
                 "student_mdp", "gridworld_4x4"):
        out[name] = folder / f"{name}.html"
        assert main(["handout", str(EXAMPLES / f"{name}.yaml"), "-o", str(out[name])]) == 0
    # the w -> 2w fragment with reward 1 on the first transition: A = 1 − 2γ, b = 1
    # (features 1 and 2, all weight on the first state), so θ_TD = 1/(1 − 2γ)
    model = {"format": 1, "name": "rewarded", "states": ["left", "right", "end"],
             "terminal": ["end"], "discount": "1/4",
             "transitions": {"left": {"to": "right", "r": 1}, "right": {"to": "end", "r": 0}},
             "features": {"left": [1], "right": [2]}, "feature_names": ["w"],
             "distribution": {"left": 1, "right": 0}, "horizon": 2}
    path = folder / "rewarded.yaml"
    path.write_text(yaml.safe_dump(model), encoding="utf-8")
    out["rewarded"] = folder / "rewarded.html"
    assert main(["handout", str(path), "-o", str(out["rewarded"])]) == 0
    return out


def quiet(browser):
    """No console message (no script error) and no network request."""
    assert browser.get_log("browser") == []
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)") == []


def in_lecture(browser, selector: str) -> bool:
    """Whether ``selector`` is inside the lecture view and laid out (not hidden)."""
    return browser.execute_script("""
        const e = document.querySelector(arguments[0]);
        return !!e && document.getElementById('lecture').contains(e)
          && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;""",
                                  selector)


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
        stage.send_keys(Keys.ARROW_LEFT if int(stage.get_attribute("value")) > k
                        else Keys.ARROW_RIGHT)
    assert browser.find_element("css selector", "#stage-value").text == str(k)


def horizon_rows(browser):
    return browser.execute_script("""
        return [...document.querySelectorAll('#horizon-table tbody tr')].map((tr) =>
          [tr.cells[0].textContent, ...[...tr.cells].slice(1, 3).map((c) => c.dataset.exact),
           tr.cells[3] ? tr.cells[3].dataset.actions : null]);""")


def toggle(browser):
    browser.find_element("css selector", "body").send_keys("l")


# -- the finite horizon ------------------------------------------------------------------------
@pytest.mark.parametrize("g", ["1", "1/2", "5/6", "0"])
def test_stage_slider_and_table_in_the_lecture_view(browser, pages, g):
    # the model's own discount is 1 (Puterman & Chan's undiscounted example)
    open_page(browser, pages["puterman_two_state"], "#lecture=1")
    assert browser.execute_script("return document.body.classList.contains('lecture')")
    for part in ("#slider-stage", "#horizon-table", "#horizon-caption"):
        assert in_lecture(browser, part), part
    type_gamma(browser, g)
    vpi, vstar, acts = induction(PUTERMAN, 2, F(g))
    for k in (2, 1):
        set_stage(browser, k)
        rows = horizon_rows(browser)
        assert [r[0] for r in rows] == ["s1", "s2"]
        for name, pi, star, shown in rows:
            assert F(pi) == vpi[k][name] and F(star) == vstar[k][name], (g, k, name)
            assert shown.split("|") == acts[k][name]
    quiet(browser)


def test_the_parts_go_back_to_the_handout(browser, pages):
    open_page(browser, pages["puterman_two_state"], "#lecture=1")
    assert in_lecture(browser, "#horizon")
    toggle(browser)
    assert browser.execute_script(
        "return document.getElementById('handout').contains(document.getElementById('horizon'))")
    assert browser.execute_script("return document.querySelectorAll('#horizon').length") == 1
    toggle(browser)
    assert in_lecture(browser, "#horizon")
    set_stage(browser, 2)   # Puterman & Chan, Table 4.3: v_2* = (37/5, 26/5)
    assert [r[2] for r in horizon_rows(browser)] == ["37/5", "26/5"]
    quiet(browser)


# -- the average reward ------------------------------------------------------------------------
def test_gain_and_bias_in_the_lecture_view(browser, pages):
    open_page(browser, pages["puterman_two_state_average"], "#lecture=1")
    assert in_lecture(browser, "#average-table")
    rows = browser.execute_script("""
        return [...document.querySelectorAll('#average-table tbody tr')].map((tr) =>
          [...tr.cells].map((c) => c.dataset.exact === undefined ? c.textContent : c.dataset.exact));""")
    # the uniform policy: r = (4, −3/2), P = [[2/5, 3/5], [1/5, 4/5]]
    g, h = two_state_gain_bias([[F(2, 5), F(3, 5)], [F(1, 5), F(4, 5)]], [F(4), F(-3, 2)])
    assert [(r[0], F(r[1]), F(r[2])) for r in rows] == [("s1", g, h[0]), ("s2", g, h[1])]
    # the gain-optimal (a12, a22): r = (5, 2), P = [[0, 1], [2/5, 3/5]]
    g, h = two_state_gain_bias([[F(0), F(1)], [F(2, 5), F(3, 5)]], [F(5), F(2)])
    assert [(F(r[3]), F(r[4]), r[5]) for r in rows] == [(g, h[0], "a12"), (g, h[1], "a22")]
    quiet(browser)


# -- the TD(0) band ----------------------------------------------------------------------------
def test_td_band_in_the_lecture_view(browser, pages):
    open_page(browser, pages["w_to_2w"], "#lecture=1")
    assert in_lecture(browser, "#td-band")
    points = browser.execute_script(
        "return [...document.querySelectorAll('#td-band .td-breakpoint')].map((b) => b.dataset.exact)")
    assert points == ["1/2"]   # Sutton & Barto §11.2: w → 2w diverges for γ > 1/2
    status = browser.find_element("css selector", "#td-status")
    for g, stable in (("49/100", "true"), ("51/100", "false"), ("1", "false")):
        type_gamma(browser, g)
        assert status.get_attribute("data-stable") == stable, g
    quiet(browser)


def test_theta_td_and_stages_follow_gamma_in_the_lecture_view(browser, pages):
    open_page(browser, pages["rewarded"], "#lecture=1")
    assert in_lecture(browser, "#td-table") and in_lecture(browser, "#horizon-table")
    chain = {"left": {"go": [("right", 1, 1)]}, "right": {"go": [("end", 1, 0)]},
             "end": {"stay": [("end", 1, 0)]}}
    for g in ("1/4", "3/4", "1/10"):
        type_gamma(browser, g)
        shown = browser.execute_script(
            "return [...document.querySelectorAll('#td-table tbody td')].map((c) => c.dataset.exact)")
        assert [F(x) for x in shown] == [1 / (1 - 2 * F(g))]
        set_stage(browser, 2)
        vpi, _, _ = induction(chain, 2, F(g))
        rows = horizon_rows(browser)
        assert [(r[0], F(r[1])) for r in rows[:2]] == [("left", vpi[2]["left"]),
                                                       ("right", vpi[2]["right"])]
    quiet(browser)


# -- γ = 1 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, state", [("student_mdp", "Class1"), ("gridworld_4x4", None),
                                         ("puterman_two_state_average", "s1")])
def test_gamma_one_does_not_stop_the_lecture_view(browser, pages, name, state):
    fragment = "#gamma=1&lecture=1" + (f"&state={state}" if state else "")
    open_page(browser, pages[name], fragment)
    assert browser.execute_script("return document.body.classList.contains('lecture')")
    assert browser.find_elements("css selector", "#lecture-state .eq-numbers, #lecture-state p")
    # and from a γ below 1 to 1 and back by typing
    type_gamma(browser, "9/10")
    type_gamma(browser, "1")
    type_gamma(browser, "1/2")
    quiet(browser)
