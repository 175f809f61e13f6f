"""Issue 22's checks, in Chromium at 1366 × 768 and 1920 × 1080: the lecture view, the
contrast of every cell, the optimal actions at every γ, editing a reward, improving the
policy by hand, v* as parameters move, an axe-core audit, labels without overlaps and
the printed page.

Expected values come from the command line's ``optimal --at ... --json`` (exact policy
iteration in Python), from NumPy linear solves, and from WCAG's contrast formula
computed here; never from the page's own numbers.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from page_browser import open_page, resize
from symbellman.cli import main
from symbellman.io import load_model
from symbellman.solve.iterate import pair_arrays

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
SIZES = [(1366, 768), (1920, 1080)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    pytest.importorskip("latex2mathml")
    folder = tmp_path_factory.mktemp("lecture")
    out = {}
    for name in ("gridworld_4x4", "gridworld_5x5", "student_mdp", "student_mrp",
                 "recycling_robot"):
        out[name] = folder / f"{name}.html"
        assert main(["handout", str(EXAMPLES / f"{name}.yaml"), "-o", str(out[name])]) == 0
    model = folder / "gridworld_10x10.yaml"
    model.write_text(subprocess.run([sys.executable, str(EXAMPLES / "make_gridworlds.py"), "10",
                                     "10"], capture_output=True, text=True, check=True).stdout)
    out["gridworld_10x10"] = folder / "gridworld_10x10.html"
    assert main(["handout", str(model), "-o", str(out["gridworld_10x10"])]) == 0
    return out


def at_size(browser, size):
    resize(browser, *size)
    assert browser.execute_script("return [innerWidth, innerHeight]") == list(size)


# -- WCAG contrast, computed here ---------------------------------------------------------------
def rgb(text: str) -> tuple[int, int, int]:
    return tuple(int(x) for x in re.findall(r"[\d.]+", text)[:3])


def luminance(c) -> float:
    def channel(x):
        x /= 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(x) for x in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# -- the lecture view ---------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
def test_10x10_lecture_view_fits_one_screen(browser, pages, size):
    at_size(browser, size)
    open_page(browser, pages["gridworld_10x10"], "#gamma=9/10&lecture=1&state=r4c4")
    inside = browser.execute_script("""
        const box = (sel) => { const e = document.querySelector(sel); if (!e) return null;
          const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        return {grid: box('#lecture-picture .grid'), slider: box('#slider-gamma'),
                typed: box('#slider-gamma-text'), step: box('#step'), improve: box('#improve'),
                equation: box('#state-panel .eq-numbers[data-kind=pi] .eq-row'),
                value: box('#state-panel .eq-numbers[data-kind=pi] .eq-value'),
                cells: document.querySelectorAll('#lecture-picture .cell').length,
                scroll: [scrollX, scrollY]}""")
    width, height = size
    assert inside["cells"] == 100 and inside["scroll"] == [0, 0]
    for name in ("grid", "slider", "typed", "step", "improve", "equation", "value"):
        left, top, right, bottom = inside[name]
        assert 0 <= left and 0 <= top and bottom <= height and left < width, (name, inside[name])
    assert inside["grid"][2] <= width
    # the grid takes most of the window's height
    assert inside["grid"][3] - inside["grid"][1] > 0.75 * height
    # one key goes back to the handout, which keeps its order and its contents
    browser.find_element("css selector", "body").send_keys("l")
    assert browser.execute_script("return document.body.classList.contains('lecture')") is False
    assert browser.find_elements("css selector", "nav.toc a[href='#section-5']")


def test_value_text_is_readable_from_the_back_row(browser, pages):
    at_size(browser, (1920, 1080))
    open_page(browser, pages["gridworld_10x10"], "#gamma=9/10&lecture=1")
    sizes = browser.execute_script(
        "return [...document.querySelectorAll('#lecture-picture .cell .val')].map(v => "
        "[parseFloat(getComputedStyle(v).fontSize), v.scrollWidth <= v.clientWidth + 1])")
    assert len(sizes) == 100
    assert min(px for px, _ in sizes) >= 0.025 * 1080
    assert all(fits for _, fits in sizes)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name,fragment", [
    ("gridworld_5x5", "#gamma=9/10"), ("gridworld_5x5", "#gamma=9/10&lecture=1"),
    ("gridworld_10x10", "#gamma=1/2&lecture=1"), ("student_mdp", "#gamma=9/10")])
def test_every_cell_has_contrast(browser, pages, size, name, fragment):
    at_size(browser, size)
    open_page(browser, pages[name], fragment)
    browser.execute_script("document.querySelectorAll('.picture').forEach(p => p.scrollIntoView());")
    pairs = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        requestAnimationFrame(() => requestAnimationFrame(() => {
          const out = [];
          document.querySelectorAll('.picture .cell:not(.wall) .val').forEach(v => {
            const c = v.closest('.cell');
            if (c.offsetParent) out.push([getComputedStyle(c).backgroundColor, getComputedStyle(v).color]); });
          document.querySelectorAll('.picture g.state-node').forEach(g => {
            if (!g.closest('svg').getBoundingClientRect().width) return;
            const shape = g.querySelector('ellipse, polygon, path');
            out.push([getComputedStyle(shape).fill, getComputedStyle(g.querySelector('.node-value')).fill]); });
          done(out); }));""")
    assert len(pairs) >= 5
    worst = min(contrast(rgb(bg), rgb(fg)) for bg, fg in pairs)
    assert worst >= 4.5, worst


# -- right at every γ ---------------------------------------------------------------------------
def cli_optimal(model: Path, tmp_path: Path, **at) -> dict:
    """``optimal --at ... --json`` on the model with its discount written as gamma."""
    text = re.sub(r"(?m)^discount: .*$", "discount: gamma", model.read_text())
    copy = tmp_path / model.name
    copy.write_text(text)
    args = [sys.executable, "-m", "symbellman", "optimal", str(copy), "--json"]
    for k, v in at.items():
        args += ["--at", f"{k}={v}"]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def shown_actions(browser) -> dict:
    return dict(browser.execute_script(
        "return [...document.querySelectorAll('#values .tbody .tr')].map(r => "
        "[r.dataset.state, r.querySelector('.acts').textContent])"))


@pytest.mark.parametrize("name,gammas", [
    ("gridworld_4x4", ["0", "1/2", "9/10", "1"]),
    ("gridworld_5x5", ["0", "1/2", "9/10"]),
    ("student_mdp", ["0", "1/5", "1/2", "9/10"])])      # 1/5: a breakpoint of the band
def test_optimal_actions_equal_the_command_line(browser, pages, tmp_path, name, gammas):
    at_size(browser, SIZES[0])
    for g in gammas:
        open_page(browser, pages[name], f"#gamma={g}")
        expected = cli_optimal(EXAMPLES / f"{name}.yaml", tmp_path, gamma=g)["policy"]
        shown = shown_actions(browser)
        for state, acts in expected.items():
            assert set(shown[state].split(", ")) == set(acts), (g, state)


def test_breakpoints_of_the_band_are_reachable(browser, pages):
    """The Student MDP's band has its breakpoint at exactly 1/5 (the ties there are
    checked against the command line above)."""
    open_page(browser, pages["student_mdp"], "#gamma=1/5")
    labels = browser.execute_script(
        "return [...document.querySelectorAll('#band .breakpoint')].map(b => b.dataset.exact)")
    assert labels[0] == "1/5"


# -- teaching by hand ---------------------------------------------------------------------------
def numpy_v_pi(path: Path, gamma: float, rewards: dict | None = None) -> dict:
    """v_π by numpy.linalg.solve, with some (state, action) rewards replaced."""
    mdp, policy = load_model(path)
    arrays = pair_arrays(mdp, gamma)
    r = arrays.r.copy()
    for (s, a), value in (rewards or {}).items():
        r[arrays.pairs.index((s, a))] = value
    weights = np.array([float(policy.weight(s, a)) for s, a in arrays.pairs])
    n = len(arrays.states)
    P, rr = np.zeros((n, n)), np.zeros(n)
    np.add.at(P, arrays.pair_state, weights[:, None] * arrays.P)
    np.add.at(rr, arrays.pair_state, weights * r)
    return dict(zip(arrays.states, np.linalg.solve(np.eye(n) - arrays.discount * P, rr)))


def table_exact(browser, column: str) -> dict:
    return {s: Fraction(x) for s, x in browser.execute_script(
        f"return [...document.querySelectorAll('#values .tbody .tr')].map(r => "
        f"[r.dataset.state, r.querySelector('.{column}').dataset.exact])")}


def test_editing_a_reward_by_click(browser, pages):
    at_size(browser, SIZES[0])
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    browser.execute_script("document.getElementById('solution-part').scrollIntoView()")
    where = "return document.querySelector('#picture .cell[data-state=r2c2]').getBoundingClientRect().top"
    before = browser.execute_script(where)
    browser.execute_script("document.querySelector('#picture .cell[data-state=r2c2]').click()")
    # what is on screen stays there (the page jumped 3,000 px to section 3): the state's
    # panel is right under the picture
    assert abs(browser.execute_script(where) - before) < 2
    gap = browser.execute_script(
        "return document.getElementById('state-panel').getBoundingClientRect().top - "
        "document.querySelector('#picture .grid').getBoundingClientRect().bottom")
    assert 0 <= gap < 200
    assert "State r2c2" in browser.find_element("css selector", "#state-panel").text
    browser.find_element("css selector", "#state-panel details.rewards summary").click()
    field = browser.find_element("css selector", '#state-panel input.reward[data-key="12:0:0"]')
    assert "north" in field.get_attribute("aria-label")
    field.clear()
    field.send_keys("7/2\n")
    shown = table_exact(browser, "vpi")
    expected = numpy_v_pi(EXAMPLES / "gridworld_5x5.yaml", 0.9, {("r2c2", "north"): 3.5})
    assert all(abs(float(shown[s]) - expected[s]) < 1e-9 for s in expected)
    assert expected["r2c2"] != pytest.approx(numpy_v_pi(EXAMPLES / "gridworld_5x5.yaml", 0.9)["r2c2"])
    # the page says the closed forms no longer apply; the equation has the new reward
    assert browser.find_element("css selector", "#edited-note").is_displayed()
    equation = browser.find_element("css selector", "#state-panel .eq-numbers[data-kind=pi]")
    assert Fraction(equation.find_element("css selector", ".eq-value").get_attribute(
        "data-exact")) == shown["r2c2"]
    browser.find_element("css selector", "#state-panel button.undo").click()
    assert not browser.find_element("css selector", "#edited-note").is_displayed()
    original = numpy_v_pi(EXAMPLES / "gridworld_5x5.yaml", 0.9)
    assert abs(float(table_exact(browser, "vpi")["r2c2"]) - original["r2c2"]) < 1e-9


def test_improve_after_sweeps_reaches_v_star(browser, pages, tmp_path):
    at_size(browser, SIZES[0])
    open_page(browser, pages["student_mdp"], "#gamma=9/10")
    expected = cli_optimal(EXAMPLES / "student_mdp.yaml", tmp_path, gamma="9/10")
    for _ in range(6):
        for _ in range(4):
            browser.find_element("css selector", "#step").click()
        browser.find_element("css selector", "#improve").click()
    policy = dict(browser.execute_script(
        "return window.symbellmanPage.state.iter.weights.map((w, s) => [s, w])"))
    states = browser.execute_script("return window.symbellmanPage.state.iter.vF.length")
    assert states == 5
    for _ in range(80):
        browser.find_element("css selector", "#step").click()
    status = browser.find_element("css selector", "#step-status").text
    assert "null" not in status and "π improved 6 times" in status
    vk = table_exact(browser, "vk")
    for s, value in expected["v_star"].items():
        assert abs(float(vk[s]) - float(Fraction(value))) < 1e-3, s
    # the improved policy is an optimal one: its actions are among the optimal actions
    actions = browser.execute_script(
        "return window.symbellmanPage.state.iter.policy.map((acts, s) => acts)")
    names = browser.execute_script(
        "return [...document.querySelectorAll('#values .tbody .tr')].map(r => r.dataset.state)")
    mdp, _ = load_model(EXAMPLES / "student_mdp.yaml")
    for i, s in enumerate(names):
        if s in expected["policy"]:
            chosen = {mdp.actions(s)[a] for a in actions[i]}
            assert chosen and chosen <= set(expected["policy"][s]), s
    assert policy


def test_v_star_follows_the_sliders_on_the_recycling_robot(browser, pages, tmp_path):
    at_size(browser, SIZES[0])
    open_page(browser, pages["recycling_robot"], "#gamma=9/10")
    names = browser.execute_script("return window.symbellmanPage.parameters")
    start = dict(zip(names, browser.execute_script(
        "return window.symbellmanPage.state.params.map(q => q.n + '/' + q.d)")))
    # the book assumes r_search > r_wait: the starts say so, and not every action ties
    assert Fraction(start["r_search"]) > Fraction(start["r_wait"])
    for point in ({"alpha": "3/4"}, {"r_search": "3"}, {"beta": "1/4", "r_wait": "-1/2"}):
        for name, value in point.items():
            field = browser.find_element("css selector", f"#slider-{name}-text")
            field.clear()
            field.send_keys(value + "\n")
        values = dict(zip(names, browser.execute_script(
            "return window.symbellmanPage.state.params.map(q => q.n + '/' + q.d)")))
        expected = cli_optimal(EXAMPLES / "recycling_robot.yaml", tmp_path, gamma="9/10",
                               **{k: str(Fraction(v)) for k, v in values.items()})
        shown = table_exact(browser, "vstar")
        assert {s: Fraction(v) for s, v in expected["v_star"].items()} == shown, values
        acts = shown_actions(browser)
        for s, a in expected["policy"].items():
            assert set(acts[s].split(", ")) == set(a)
        assert browser.find_elements("css selector", "#band .piece")


# -- accessibility, labels, null, print ---------------------------------------------------------
@pytest.mark.parametrize("name,fragment", [
    ("gridworld_5x5", "#gamma=9/10"), ("gridworld_5x5", "#gamma=9/10&lecture=1"),
    ("student_mdp", "#gamma=9/10&state=Class3"), ("student_mdp", "#gamma=9/10&lecture=1"),
    ("recycling_robot", "#gamma=9/10&lecture=1"), ("student_mrp", "#gamma=9/10&lecture=1")])
def test_axe_finds_nothing_critical_or_serious(browser, pages, name, fragment):
    at_size(browser, SIZES[0])
    open_page(browser, pages[name], fragment)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
        ".filter(v => ['critical', 'serious'].includes(v.impact))"
        ".map(v => [v.id, v.nodes.slice(0, 2).map(n => n.target.join(' '))])))")
    assert found == []


def test_keyboard_skip_link_arrows_and_slider_text(browser, pages):
    at_size(browser, SIZES[0])
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    from selenium.webdriver.common.keys import Keys
    assert browser.find_element("css selector", "main#main")
    assert browser.find_element("css selector", "a.skip").get_attribute("href").endswith("#main")
    for slider in browser.find_elements("css selector", "input[type=range]"):
        assert slider.get_attribute("aria-valuetext") == "gamma = 9/10"
    cell = browser.find_element("css selector", '#picture .cell[data-state="r0c0"]')
    assert cell.get_attribute("tabindex") == "0"
    assert cell.get_attribute("aria-label") == "r0c0 3.3"     # Figure 3.2's value
    cell.send_keys(Keys.ARROW_RIGHT)
    cell.send_keys  # noqa: B018 - the focus moved, read it from the document
    focused = browser.execute_script("return document.activeElement.dataset.state")
    assert focused == "r0c1"
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert browser.execute_script("return document.activeElement.dataset.state") == "r1c1"
    # one Tab stop for the whole grid: every other cell is out of the Tab order
    assert len(browser.find_elements("css selector", "#picture .cell[tabindex='0']")) == 1


def boxes_overlap(a, b, slack=0.5) -> bool:
    return not (a[2] <= b[0] + slack or b[2] <= a[0] + slack or a[3] <= b[1] + slack
                or b[3] <= a[1] + slack)


@pytest.mark.parametrize("name", ["student_mdp", "student_mrp"])
@pytest.mark.parametrize("fragment", ["#gamma=9/10", "#gamma=9/10&lecture=1"])
def test_no_null_and_no_label_overlaps(browser, pages, fragment, name):
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    at_size(browser, SIZES[0])
    open_page(browser, pages[name], fragment)
    for button in ("step", "step", "improve", "step"):
        if browser.find_element("css selector", f"#{button}").is_displayed():
            browser.find_element("css selector", f"#{button}").click()
    browser.execute_script("document.querySelectorAll('.picture').forEach(p => p.scrollIntoView());")
    texts = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        requestAnimationFrame(() => requestAnimationFrame(() => {
          const pic = document.querySelector(location.hash.includes('lecture') ? '#lecture-picture' : '#picture');
          const svg = pic.querySelector('svg.diagram'), frame = svg.getBoundingClientRect();
          done({frame: [frame.left, frame.top, frame.right, frame.bottom],
                texts: [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
                  const r = t.getBoundingClientRect(), g = t.closest('g.node, g.edge');
                  return [t.textContent, [r.left, r.top, r.right, r.bottom], g ? g.id : '',
                          t.classList.contains('node-value')]; })}); }));""")
    assert "null" not in browser.execute_script("return document.body.innerText")
    labels = texts["texts"]
    states = len(browser.execute_script("return window.symbellmanPage.results().vpi"))
    assert sum(1 for t, *_ in labels if re.fullmatch(r"−?\d+\.\d\d", t)) == states
    left, top, right, bottom = texts["frame"]
    for text, box, *_ in labels:   # nothing clipped off the drawing (Sleep's value was)
        assert left - 1 <= box[0] and box[2] <= right + 1 and top - 1 <= box[1] \
            and box[3] <= bottom + 1, text
    # the lines of one edge's label (its action and reward) sit together by design; no
    # two labels may touch, nor a state's value the lines of its own node
    clashes = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:]
               if (a[2] != b[2] or a[3] or b[3]) and boxes_overlap(a[1], b[1])]
    assert clashes == []


def test_printed_page_keeps_every_row_and_the_value_text(browser, pages, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler's pdftotext")
    at_size(browser, SIZES[0])
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return ['#controls', '#solution-part', '#lecture-toggle', 'nav.toc']"
            ".map(s => document.querySelector(s)).filter(e => e && e.offsetParent !== null).length")
        assert hidden == 0    # no slider, button or control is printed
        clipped = browser.execute_script("""
            return [...document.querySelectorAll('#handout table.doc-table tbody tr')].filter(tr => {
              for (let e = tr.parentElement; e && e !== document.body; e = e.parentElement) {
                const s = getComputedStyle(e);
                if (['hidden', 'auto', 'scroll'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 1) return true; }
              return !tr.getClientRects().length; }).length""")
        assert clipped == 0
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    path = tmp_path / "page.pdf"
    path.write_bytes(base64.b64decode(pdf["data"]))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    # the handout's table of closed forms and values keeps all 25 rows
    rows = [line for line in text.splitlines() if re.match(r"\s*r[0-4]c[0-4]\s", line)]
    assert {re.match(r"\s*(r\dc\d)", line).group(1) for line in rows} == {
        f"r{r}c{c}" for r in range(5) for c in range(5)}
    # and the values in the grid figures print (3.3 of Figure 3.2, 22.0 of Figure 3.5)
    assert "3.3" in text and "22.0" in text


@pytest.mark.parametrize("name", ["recycling_robot", "gridworld_10x10", "gridworld_5x5"])
def test_no_command_line_words_on_the_page(pages, name):
    """Issue 23: the page gives parameters with its sliders and has every value in its
    table; it names no option and no side file that a page never writes."""
    text = pages[name].read_text(encoding="utf-8")
    body = text.split('<script type="application/json"')[0]
    for words in ("--at", "closed-forms.json", "--closed-forms"):
        assert words not in body, words
    if name == "recycling_robot":
        assert "give them with the sliders at the top of the page" in body


def test_gamma_one_is_explained(browser, pages):
    """At γ = 1 the 5 × 5 gridworld (it never ends) has no values: the page says why and
    names no piece "< 1"; the Student MDP (every policy ends) has them, and its piece is
    named at γ = 1."""
    at_size(browser, SIZES[0])
    open_page(browser, pages["gridworld_5x5"], "#gamma=1")
    note = browser.find_element("css selector", "#gamma-note").text
    assert "γ = 1" in note and "terminal" in note
    assert set(browser.execute_script(
        "return [...document.querySelectorAll('#picture .val')].map(e => e.textContent)")) == {"—"}
    assert "< 1" not in browser.find_element("css selector", "#piece-now").text
    open_page(browser, pages["student_mdp"], "#gamma=1")
    assert browser.find_element("css selector", "#gamma-note").text == ""
    assert "optimal at γ = 1" in browser.find_element("css selector", "#piece-now").text
    # the Student MDP's v* at γ = 1, from David Silver's slides: Class3 10, Class2 8
    shown = table_exact(browser, "vstar")
    assert shown["Class3"] == 10 and shown["Class2"] == 8 and shown["Facebook"] == 6


@pytest.mark.parametrize("name", ["student_mdp", "gridworld_5x5", "recycling_robot"])
def test_phone_has_a_compact_bar_and_no_sideways_scroll(browser, pages, name):
    at_size(browser, (400, 800))
    try:
        open_page(browser, pages[name], "#gamma=9/10")
        width, bar = browser.execute_script(
            "return [document.scrollingElement.scrollWidth,"
            " document.getElementById('controls').getBoundingClientRect().height]")
        sliders = len(browser.find_elements("css selector", "#sliders .slider-row"))
        assert width <= 400
        assert bar <= 40 * sliders + 8 and bar < 800 / 3    # one line a slider
    finally:
        at_size(browser, SIZES[0])


def test_few_tabs_from_gamma_to_the_sweep_button(browser, pages):
    """The grid is one Tab stop and the table's names are out of the Tab order (the
    picture is the keyboard's way to a state): γ to "Evaluate one sweep" is a few Tabs
    on the 10 × 10 gridworld (it took 205)."""
    from selenium.webdriver.common.keys import Keys

    at_size(browser, SIZES[0])
    for fragment, most in (("#gamma=9/10", 20), ("#gamma=9/10&lecture=1", 8)):
        open_page(browser, pages["gridworld_10x10"], fragment)
        browser.execute_script("document.getElementById('slider-gamma').focus()")
        for tabs in range(1, most + 1):
            browser.switch_to.active_element.send_keys(Keys.TAB)
            if browser.execute_script("return document.activeElement.id") == "step":
                break
        assert browser.execute_script("return document.activeElement.id") == "step", fragment


def test_band_found_by_sampling_matches_the_command_line(browser, pages, tmp_path):
    """At parameter values without exact pieces the band is found by solving at sampled
    γ and bisecting: its breakpoints agree with ``optimal`` over γ to 1e-6."""
    at_size(browser, SIZES[0])
    open_page(browser, pages["recycling_robot"], "#gamma=9/10")
    values = {"alpha": "1/2", "beta": "1/2", "r_search": "3", "r_wait": "1"}
    for name, value in values.items():
        field = browser.find_element("css selector", f"#slider-{name}-text")
        field.clear()
        field.send_keys(value + "\n")
    assert "decimals, not exact" in browser.find_element("css selector", "#band-caption").text
    shown = [float(x) for x in browser.execute_script(
        "return [...document.querySelectorAll('#band .breakpoint')].map(b => b.dataset.decimal)")]
    text = re.sub(r"(?m)^discount: .*$", "discount: gamma",
                  (EXAMPLES / "recycling_robot.yaml").read_text())
    copy = tmp_path / "robot.yaml"
    copy.write_text(text)
    args = [sys.executable, "-m", "symbellman", "optimal", str(copy), "--json"]
    for k, v in values.items():
        args += ["--at", f"{k}={v}"]
    pieces = json.loads(subprocess.run(args, capture_output=True, text=True,
                                       check=True).stdout)["pieces"]
    expected = [float(p["from_decimal"]) for p in pieces[1:]]
    assert len(shown) == len(expected) >= 1
    assert all(abs(a - b) < 1e-6 for a, b in zip(shown, expected)), (shown, expected)


def test_policy_arrows_are_as_long_as_their_probability(browser, pages):
    """The v_π picture draws π itself: in r1c1 of the 5 × 5 gridworld the uniform policy
    is four arrows of a quarter length each; in r0c1 (A) every action leads to A', one
    full arrow (44 of the cell's 100 units); after an improvement by hand, one action."""
    at_size(browser, SIZES[0])
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")

    def tips(state, picture="#picture"):
        return browser.execute_script(
            "const c = document.querySelector(arguments[0] + ' .cell[data-state=' + arguments[1] + ']');"
            "return [...c.querySelectorAll('svg.arrows polygon')].map(p => {"
            " const [x, y] = p.getAttribute('points').split(' ')[0].split(',').map(Number);"
            " return Math.hypot(x, y); })", picture, state)

    assert sorted(round(t, 6) for t in tips("r1c1")) == [11.0] * 4
    assert [round(t, 6) for t in tips("r0c1")] == [44.0]
    for _ in range(3):
        browser.find_element("css selector", "#step").click()
    browser.find_element("css selector", "#improve").click()
    cell = browser.execute_script(
        "const c = document.querySelector('#picture .cell[data-state=r4c4]');"
        "return [c.dataset.actions, c.dataset.weights]")
    # r4c4's greedy actions for v_3 (symbellman.solve.iterate's exact trace) share π equally
    from symbellman.solve.iterate import policy_evaluation_trace
    mdp, policy = load_model(EXAMPLES / "gridworld_5x5.yaml")
    v3 = policy_evaluation_trace(mdp, policy, 3)[3]
    q = {a: sum(o.probability * (o.reward + mdp.discount * v3[o.next_state])
                for o in mdp.outcomes("r4c4", a)) for a in mdp.actions("r4c4")}
    best = {a for a in q if q[a] == max(q.values())}
    assert set(cell[0].split()) == best and len(best) == 2     # north and west tie
    assert cell[1] == "0.5 0.5"
    assert sorted(round(t, 6) for t in tips("r4c4")) == [22.0, 22.0]
