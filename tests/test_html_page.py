"""The interactive page (``handout -o page.html``), driven in a real Chromium.

Expected values come from Sutton & Barto's figures, from NumPy linear solves, and from
the Python traces of :mod:`symbellman.solve.iterate` (the page computes them in JavaScript,
from the closed forms or by its own sweeps). Locally the browser tests skip without
Chromium, chromedriver and Selenium; on CI (``CI=true``) ``tests/conftest.py`` makes a
missing one an error.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from sympy import Rational

from symbellman.cli import main
from symbellman.io import load_model
from symbellman.solve.iterate import (policy_evaluation_trace, policy_iteration_numeric, pair_arrays,
                                value_iteration_trace)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--window-size=1400,1000")

from sutton_barto import FIGURE_3_2, FIGURE_3_5_V as FIGURE_3_5  # noqa: E402


# -- pages, written once by the command line ---------------------------------------------------
@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    pytest.importorskip("latex2mathml")
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for name in ("gridworld_5x5", "exercise_3_22", "student_mdp", "student_mrp",
                 "two_state_symbolic"):
        target = folder / f"{name}.html"
        assert main(["handout", str(EXAMPLES / f"{name}.yaml"), "-o", str(target)]) == 0
        out[name] = target
    return out


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (see .ci/run)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_page(browser, path: Path, fragment: str = ""):
    browser.get("about:blank")
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(path.as_uri() + fragment)
    assert browser.execute_script("return document.body.dataset.ready") == "true"
    return browser


def grid_values(browser, rows=5, cols=5, picture="#picture") -> list[list[float]]:
    """The values printed in a picture's grid: ``#picture`` (the solution section's) or
    ``#optimal-picture`` (the optimality section's)."""
    texts = browser.execute_script(
        f"return [...document.querySelectorAll('{picture} .grid .cell:not(.wall) .val')]"
        ".map(e => e.textContent)")
    numbers = [float(t.replace("−", "-")) for t in texts]
    return [numbers[r * cols:(r + 1) * cols] for r in range(rows)]


def table_exact(browser, column: str) -> dict[str, Fraction]:
    pairs = browser.execute_script(
        f"return [...document.querySelectorAll('#values .tbody .tr')].map(r => "
        f"[r.dataset.state, r.querySelector('.{column}').dataset.exact])")
    return {s: Fraction(x) for s, x in pairs}


def table_decimal(browser, column: str) -> dict[str, float]:
    pairs = browser.execute_script(
        f"return [...document.querySelectorAll('#values .tbody .tr')].map(r => "
        f"[r.dataset.state, r.querySelector('.{column} .dec').textContent])")
    return {s: float(x.replace("−", "-")) for s, x in pairs}


def numpy_values(path: Path, gamma: float, values: dict | None = None) -> dict[str, float]:
    """v_pi by numpy.linalg.solve: an independent route to the values."""
    mdp, policy = load_model(path)
    if values:
        mdp = mdp.subs(values)
        policy = policy.subs(mdp, values)
    arrays = pair_arrays(mdp, gamma)
    weights = np.array([float(policy.weight(s, a)) for s, a in arrays.pairs])
    n = len(arrays.states)
    P, r = np.zeros((n, n)), np.zeros(n)
    np.add.at(P, arrays.pair_state, weights[:, None] * arrays.P)
    np.add.at(r, arrays.pair_state, weights * arrays.r)
    v = np.linalg.solve(np.eye(n) - arrays.discount * P, r)
    return dict(zip(arrays.states, v))


# -- the file itself ---------------------------------------------------------------------------
def test_page_is_one_small_file_that_asks_for_nothing(pages):
    text = pages["gridworld_5x5"].read_text(encoding="utf-8")
    assert pages["gridworld_5x5"].stat().st_size < 2_000_000
    assert "default-src 'none'" in text  # the Content-Security-Policy forbids every request
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "<math" in text and "<script src" not in text


@pytest.mark.parametrize("name", ["gridworld_5x5", "student_mdp", "student_mrp"])
def test_page_has_the_handouts_sections(browser, pages, tmp_path, name):
    """The page is the third writer of the handout: the same section headings, in the
    same order, as the Markdown handout of the same model, and their equations as MathML."""
    markdown = tmp_path / f"{name}.md"
    assert main(["handout", str(EXAMPLES / f"{name}.yaml"), "-o", str(markdown)]) == 0
    expected = [line[3:].strip() for line in markdown.read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")]
    assert len(expected) >= 5
    open_page(browser, pages[name])
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#handout > section > h2')]"
        ".map(h => h.textContent.trim())")
    # Markdown writes a heading's maths as its plain text ($...$ for the rest); MathML
    # puts the same letters into textContent, subscripts and all
    def letters(text):
        return re.sub(r"[\s$_{}\\]|pi", "", text.replace("π", ""))
    assert [letters(h) for h in shown] == [letters(h) for h in expected]
    counts = browser.execute_script(
        "return [document.querySelectorAll('#handout .equations math').length,"
        " document.querySelectorAll('#handout table.doc-table').length]")
    assert counts[0] > 10 and counts[1] >= 1


def test_html_writer_blocks():
    pytest.importorskip("latex2mathml")
    from symbellman.render.document import (Answer, Document, EquationBlock, Figure, Math,
                                            Note, Section, Table, runs)
    from symbellman.render.writers import html as writer

    doc = Document("T", (Section(runs("1. A ", Math(r"\gamma", "γ")), (
        EquationBlock([r"v &= \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} x", r"&= y"],
                      tags=[(), runs("because")]),
        Answer(Table((runs("s"), runs("v")), ((runs("A"), runs("7/13")),),
                     answer_columns=(1,)), "number"),
        Figure("d", runs("a <drawing>"), svg='<?xml version="1.0"?><svg id="x"></svg>'),
        Note(runs("left out")))),))
    full = writer.write(doc, standalone=False)
    sheet = writer.write(doc, exercise=True, standalone=False)
    # the matrix keeps its 2 x 2 cells; the align column is split only once
    assert full.count("<mtd") == 4 and full.count('<span class="lhs">') == 2
    assert "(because)" in full and "<mi>γ</mi>" in full
    assert "<td" in full and "7/13" in full and "7/13" not in sheet
    assert '<svg id="x"></svg>' in full and "<?xml" not in full
    assert "a &lt;drawing&gt;" in full and '<p class="note">left out</p>' in full


def test_one_template_with_and_without_the_explorer():
    """The page with the explorer and the plain document share one template (one head):
    without the explorer there is no script and the policy forbids scripts too."""
    pytest.importorskip("latex2mathml")
    from symbellman.render.document import Document, Paragraph, Section, runs
    from symbellman.render.writers import html as writer
    from symbellman.render.page_data import page_data
    from symbellman.model.examples import student_mrp

    doc = Document("T", (Section(runs("3. Equations"), (Paragraph(runs("x")),),
                                 key="equations"),))
    plain = writer.write(doc)
    page = writer.write(doc, data=page_data(student_mrp()))
    head = lambda text: re.sub(r" script-src 'sha256-[^']*';", "", text.split("</head>")[0])
    assert head(plain) == head(page)
    assert "<script" not in plain and "script-src" not in plain
    assert not re.search("@[A-Z_]+@", plain) and not re.search("@[A-Z_]+@", page)
    assert "script-src 'sha256-" in page and "unsafe-inline'; style" not in page
    assert "@CONTROLS@" not in page
    # the state panel goes into section 3; the parts whose sections are missing (the
    # values of section 5) go into a section of their own; an MRP has no band
    assert page.index('id="detail"') < page.index('id="explorer"') < page.index('id="values"')
    assert 'id="band"' not in page


def test_notebook_shows_a_compact_table_for_a_big_model(tmp_path):
    from symbellman import solve_v
    from symbellman.render.html import NOTEBOOK_STATES

    model = tmp_path / "gridworld.yaml"
    model.write_text(subprocess.run([sys.executable, str(EXAMPLES / "make_gridworlds.py"),
                                     "7", "7"], capture_output=True, text=True,
                                    check=True).stdout)
    mdp, policy = load_model(model)
    assert len(mdp.states) > NOTEBOOK_STATES
    html = solve_v(mdp, policy)._repr_html_()
    assert html.startswith("<table>") and "iframe" not in html and len(html) < 20_000
    assert html.count("<tr><td>") == 40          # the first 40 of 49 closed forms


def test_command_line_rejects_other_endings(tmp_path, capsys):
    assert main(["handout", str(EXAMPLES / "student_mdp.yaml"), "-o",
                 str(tmp_path / "page.htmx")]) == 2
    assert "error" in capsys.readouterr().err


def test_notebook_html_is_a_sandboxed_frame():
    pytest.importorskip("latex2mathml")
    from symbellman import solve_v
    from symbellman.model.examples import student_mdp

    html = solve_v(student_mdp())._repr_html_()
    assert html.startswith('<iframe sandbox="allow-scripts" ')
    assert "srcdoc=\"&lt;!DOCTYPE html&gt;" in html
    assert "allow-same-origin" not in html


def test_missing_converter_is_one_clear_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "latex2mathml.converter", None)  # import fails
    assert main(["handout", str(EXAMPLES / "exercise_3_22.yaml"), "-o",
                 str(tmp_path / "page.html")]) == 2
    err = capsys.readouterr().err
    assert "latex2mathml" in err and "pip install '.[html]'" in err
    assert len(err.strip().splitlines()) == 1


def test_a_dot_timeout_becomes_a_note(monkeypatch):
    pytest.importorskip("latex2mathml")
    from symbellman.model.examples import student_mdp
    from symbellman.render import page_data

    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout"))

    monkeypatch.setattr(page_data.shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setattr(page_data.subprocess, "run", slow)
    picture = page_data.picture_section(student_mdp())
    assert picture["svg"] is None
    assert "Graphviz took over" in picture["note"] and "the table has every value" in \
        picture["note"]


# -- in the browser ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["gridworld_5x5", "exercise_3_22", "student_mdp",
                                  "student_mrp", "two_state_symbolic"])
def test_no_console_error_and_no_network_request(browser, pages, name):
    open_page(browser, pages[name], "#gamma=1/2")
    browser.find_element("css selector", "#step").click()
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    page = pages[name].as_uri()
    requests = [json.loads(e["message"])["message"] for e in browser.get_log("performance")]
    urls = [m["params"]["request"]["url"] for m in requests
            if m["method"] == "Network.requestWillBeSent"]
    assert all(u.split("#")[0] == page for u in urls), urls


def test_figure_3_2_in_the_grid(browser, pages):
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    assert grid_values(browser) == FIGURE_3_2


def test_figure_3_5_values_and_arrows_in_the_optimal_view(browser, pages):
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10&view=opt")
    assert grid_values(browser, picture="#optimal-picture") == FIGURE_3_5
    # every optimal action (ties kept) agrees with floating-point policy iteration
    mdp, _ = load_model(EXAMPLES / "gridworld_5x5.yaml")
    reference = policy_iteration_numeric(mdp).policy
    shown = dict(browser.execute_script(
        "return [...document.querySelectorAll('#optimal-picture .grid .cell')].map(c => "
        "[c.dataset.state, c.dataset.actions])"))
    assert {s: set(shown[s].split()) for s in shown} == {s: set(a) for s, a in reference.items()}
    # Figure 3.5: east in the top-left corner; in A every action jumps to A' (one arrow down)
    assert shown["r0c0"] == "east"
    arrows = browser.execute_script(
        "const c = document.querySelector('#optimal-picture .cell[data-state=r0c1]');"
        "return [...c.querySelectorAll('svg.arrows line')].map(l => [+l.getAttribute('x2'), "
        "+l.getAttribute('y2')])")
    assert len(arrows) == 1 and arrows[0][0] == 0 and arrows[0][1] > 0


def test_moving_the_slider_updates_the_values(browser, pages):
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    before = table_decimal(browser, "vpi")
    browser.execute_script("const r = document.getElementById('slider-gamma'); r.value = 50;"
                           "r.dispatchEvent(new Event('input'))")
    after = table_decimal(browser, "vpi")
    expected = numpy_values(EXAMPLES / "gridworld_5x5.yaml", 0.5)
    assert after != before
    assert all(abs(after[s] - expected[s]) <= 5e-4 for s in expected)
    # the fragment is written once the slider rests (a short debounce)
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return location.hash").startswith("#gamma=1/2"))


def test_typed_value_and_parameters(browser, pages):
    open_page(browser, pages["two_state_symbolic"], "#gamma=9/10")
    field = browser.find_element("css selector", "#slider-p-text")
    field.clear()
    field.send_keys("1/3\n")
    shown = table_exact(browser, "vpi")
    names = browser.execute_script("return window.symbellmanPage.parameters")
    params = browser.execute_script(
        "return window.symbellmanPage.state.params.map(q => q.n + '/' + q.d)")
    values = {name: Rational(x) for name, x in zip(names, params)}
    assert values["p"] == Rational(1, 3)
    expected = numpy_values(EXAMPLES / "two_state_symbolic.yaml", 0.9, values)
    assert all(abs(float(shown[s]) - expected[s]) < 1e-9 for s in expected)
    field.clear()
    field.send_keys("abc\n")
    assert "invalid" in field.get_attribute("class")


def test_stable_near_gamma_one(browser, pages):
    open_page(browser, pages["gridworld_5x5"], "#gamma=9999/10000")
    floats = browser.execute_script("return window.symbellmanPage.results().vpi")
    exact = table_exact(browser, "vpi")
    states = browser.execute_script("return [...document.querySelectorAll('#values .tbody .tr')]"
                                    ".map(r => r.dataset.state)")
    expected = numpy_values(EXAMPLES / "gridworld_5x5.yaml", 0.9999)
    for s, x in zip(states, floats):
        assert abs(x - float(exact[s])) <= 1e-9 * max(1, abs(x))
        assert abs(x - expected[s]) <= 1e-6 * max(1, abs(x))


def test_clicking_a_cell_shows_its_equations(browser, pages):
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    browser.find_element("css selector", '#picture .cell[data-state="r0c1"]').click()
    detail = browser.find_element("css selector", "#detail")
    assert "State r0c1" in detail.text
    blocks = detail.find_elements("css selector", ".equation")
    assert len(blocks) == 2  # expectation and optimality
    first = blocks[0]
    assert len(first.find_elements("css selector", "math")) >= 3  # general, numbers, values
    slots = first.find_elements("css selector", "mn[data-slot]")
    assert slots and all(s.text for s in slots)
    # the current-values row, computed from the model, ends in the value itself (exactly)
    exact = table_exact(browser, "vpi")
    equals = first.find_element("css selector", ".equals")
    assert Fraction(equals.get_attribute("data-exact")) == exact["r0c1"]
    assert equals.text == f"= {float(exact['r0c1']):.4f}"
    assert "#gamma=9/10" in browser.execute_script("return location.hash")
    assert "state=r0c1" in browser.execute_script("return location.hash")
    assert detail.find_elements("css selector", "svg.backup circle.action")
    # a slider move refills the numbers of the open panel
    browser.execute_script("const r = document.getElementById('slider-gamma'); r.value = 50;"
                           "r.dispatchEvent(new Event('input'))")
    equals = browser.find_element("css selector", "#detail .equation .equals")
    assert Fraction(equals.get_attribute("data-exact")) == table_exact(browser, "vpi")["r0c1"]
    assert "γ = 1/2" in browser.find_element("css selector", "#detail .equation").text


def test_fragment_restores_the_view(browser, pages):
    open_page(browser, pages["gridworld_5x5"], "#gamma=1/3&view=opt&state=r2c2")
    assert browser.find_element("css selector", "#slider-gamma-text").get_attribute("value") \
        == "1/3"
    assert "State r2c2" in browser.find_element("css selector", "#detail").text
    # view=opt links to the section on optimality: the page opens scrolled to its explorer
    top = browser.execute_script(
        "return document.getElementById('optimal-part').getBoundingClientRect().top")
    assert 0 <= top < browser.execute_script("return innerHeight / 2")


@pytest.mark.parametrize("k", [1, 3, 6])
def test_value_iteration_sweeps_match_the_python_trace(browser, pages, k):
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    browser.find_element("css selector", "#algorithm option[value=vi]").click()
    for _ in range(k):
        browser.find_element("css selector", "#step").click()
    assert browser.find_element("css selector", "#step-status").get_attribute("data-k") == str(k)
    mdp, _ = load_model(EXAMPLES / "gridworld_5x5.yaml")
    trace = value_iteration_trace(mdp, k)
    assert table_exact(browser, "vk") == {s: Fraction(int(x.p), int(x.q))
                                          for s, x in trace[k].items()}


def test_policy_evaluation_sweeps_match_the_python_trace(browser, pages):
    open_page(browser, pages["student_mdp"], "#gamma=1")
    for _ in range(4):
        browser.find_element("css selector", "#step").click()
    mdp, policy = load_model(EXAMPLES / "student_mdp.yaml")
    trace = policy_evaluation_trace(mdp, policy, 4)
    assert table_exact(browser, "vk") == {s: Fraction(int(x.p), int(x.q))
                                          for s, x in trace[4].items()}


def test_policy_iteration_ends_at_v_star(browser, pages):
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    browser.find_element("css selector", "#algorithm option[value=pi]").click()
    for _ in range(8):
        browser.find_element("css selector", "#step").click()
        if "stable" in browser.find_element("css selector", "#step-status").text:
            break
    assert "stable" in browser.find_element("css selector", "#step-status").text
    assert table_exact(browser, "vk") == table_exact(browser, "vstar")
    assert [round(x, 1) for x in list(table_decimal(browser, "vk").values())[:5]] \
        == FIGURE_3_5[0]


def test_float_switch(browser, pages):
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    browser.find_element("css selector", "#exact").click()
    browser.find_element("css selector", "#algorithm option[value=vi]").click()
    for _ in range(3):
        browser.find_element("css selector", "#step").click()
    assert "floating point" in browser.find_element("css selector", "#step-status").text
    mdp, _ = load_model(EXAMPLES / "gridworld_5x5.yaml")
    trace = value_iteration_trace(mdp, 3)
    shown = table_decimal(browser, "vk")
    assert all(abs(shown[s] - float(x)) < 1e-3 for s, x in trace[3].items())


def test_band_of_exercise_3_22(browser, pages):
    open_page(browser, pages["exercise_3_22"], "#gamma=2/5&view=opt")
    labels = browser.execute_script(
        "return [...document.querySelectorAll('#band .breakpoint')].map(b => b.dataset.exact)")
    assert labels == ["1/2"]
    assert "1/2" in browser.find_element("css selector", "#band .breakpoint").text

    def top_actions():
        return browser.execute_script(
            "return document.querySelector('#values .tr[data-state=top] .acts').textContent")

    # Sutton & Barto, Exercise 3.22: left below 1/2, both at 1/2, right above
    assert top_actions() == "left"
    for typed, expected in (("1/2", "left, right"), ("0.9", "right")):
        field = browser.find_element("css selector", "#slider-gamma-text")
        field.clear()
        field.send_keys(typed + "\n")
        assert top_actions() == expected


def test_state_diagram_without_a_grid(browser, pages):
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    open_page(browser, pages["student_mdp"], "#gamma=1")
    nodes = browser.find_elements("css selector", "#picture svg.diagram g.state-node")
    assert len(nodes) == 5
    nodes[3].click()
    assert "State Class3" in browser.find_element("css selector", "#detail").text


def test_notebook_frame_runs_the_page(browser, tmp_path):
    pytest.importorskip("latex2mathml")
    from symbellman import solve_v
    from symbellman.model.examples import student_mdp

    page = tmp_path / "notebook.html"
    page.write_text("<!DOCTYPE html><meta charset=utf-8>" + solve_v(student_mdp())._repr_html_(),
                    encoding="utf-8")
    browser.get(page.as_uri())
    browser.get_log("browser")
    browser.switch_to.frame(browser.find_element("css selector", "iframe"))
    try:
        assert browser.execute_script("return document.body.dataset.ready") == "true"
        assert len(browser.find_elements("css selector", "#values .tbody .tr")) == 5
    finally:
        browser.switch_to.default_content()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


# -- speed on the 10 x 10 gridworld ------------------------------------------------------------
#: A loop of 500 000 Math.sqrt additions takes about this long on an unloaded 2020s core.
REFERENCE_LOOP_MS = 0.8


def normalised_moves(browser, part: str = "solution-part") -> tuple[float, float, float]:
    """Median slider-move time, raw and divided by how slow the machine ran at that moment.

    The budgets (1 s to open, 16 ms per move) are for an unloaded machine; CI machines
    are shared. Before each move the page times a fixed loop; a move's time divided by
    that loop's slowness (≥ 1) is what an unloaded machine would take. Of three rounds
    of 30 moves the quietest counts (load comes in bursts). A move redraws what is in
    view, so ``part`` (an explorer part's id) is scrolled into view first.
    """
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "document.getElementById(arguments[0]).scrollIntoView({block: 'start'});"
        "requestAnimationFrame(() => requestAnimationFrame(() => done()));", part)
    rounds = []
    for _ in range(3):
        samples = browser.execute_script(
            "return window.symbellmanPage.measureMoves(arguments[0])", list(range(40, 100, 2)))
        slowness = [max(1.0, loop / REFERENCE_LOOP_MS) for _, loop in samples]
        moves = [move for move, _ in samples]
        rounds.append((statistics.median(m / k for m, k in zip(moves, slowness)),
                       statistics.median(moves), statistics.median(slowness)))
    unloaded, raw, slowness = min(rounds)
    return raw, slowness, unloaded


@pytest.fixture(scope="module")
def page_10x10(tmp_path_factory):
    pytest.importorskip("latex2mathml")
    folder = tmp_path_factory.mktemp("grid10")
    model = folder / "gridworld_10x10.yaml"
    done = subprocess.run([sys.executable, str(EXAMPLES / "make_gridworlds.py"), "10", "10"],
                          capture_output=True, text=True, check=True)
    model.write_text(done.stdout)
    target = folder / "gridworld_10x10.html"
    assert main(["handout", str(model), "-o", str(target)]) == 0
    return target


def test_10x10_opens_fast_and_moves_within_a_frame(browser, page_10x10):
    opened = []
    for _ in range(3):
        open_page(browser, page_10x10, "#gamma=9/10")
        opened.append(browser.execute_script("return window.symbellmanPage.readyAt"))
    for part in ("solution-part", "optimal-part"):
        raw, slowness, move = normalised_moves(browser, part)
        print(f"10x10: opens in {min(opened):.0f} ms; with {part} in view a move takes "
              f"{raw:.1f} ms (median) with the machine {slowness:.1f}x slower than unloaded, "
              f"{move:.1f} ms unloaded")
        assert min(opened) < 1000 * slowness
        assert move < 16
    assert len(browser.find_elements("css selector", "#picture .grid .cell")) == 100


def test_run_converges_and_reset_starts_again(browser, pages):
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, pages["exercise_3_22"], "#gamma=1/2")
    browser.find_element("css selector", "#algorithm option[value=vi]").click()
    browser.find_element("css selector", "#run").click()
    WebDriverWait(browser, 60).until(
        lambda b: b.find_element("css selector", "#run").text == "Run")
    status = browser.find_element("css selector", "#step-status")
    # value iteration stops once the largest change is below 1e-6 (1 - γ) / (2γ)
    assert int(status.get_attribute("data-k")) > 10
    assert float(status.find_element("css selector", ".delta").text.split("≈")[-1]) < 1e-6
    shown = table_exact(browser, "vk")
    # v*(top) at γ = 1/2, by hand: going left, v = 1 + γ² v, so v = 1/(1 − γ²) = 4/3
    assert abs(float(shown["top"]) - 4 / 3) < 1e-5
    browser.find_element("css selector", "#reset").click()
    assert status.get_attribute("data-k") == "0"
    assert set(table_exact(browser, "vk").values()) == {0}


# -- the explorer inside the handout's sections ------------------------------------------------
def section_number(browser, selector: str) -> str:
    """The number of the handout section (its ``<h2>``) that holds the element."""
    return browser.execute_script(
        "const e = document.querySelector(arguments[0]);"
        "const s = e && e.closest('#handout > section.doc-section');"
        "return s ? s.querySelector(':scope > h2').textContent.split('.')[0] : null", selector)


@pytest.mark.parametrize("name", ["gridworld_5x5", "student_mdp", "student_mrp"])
def test_interactive_parts_sit_inside_their_sections(browser, pages, name):
    open_page(browser, pages[name], "#gamma=9/10")
    # the values (picture and table) and the stepping: section 5, closed forms and values
    for part in ("#picture", "#values", "#stepping", "#step", "#notes"):
        assert section_number(browser, part) == "5", part
    # the selected state's equations: section 3, the equations of this model
    assert section_number(browser, "#detail") == "3"
    if name == "student_mrp":  # no actions: no band, no v*
        assert browser.find_elements("css selector", "#band, #optimal-picture") == []
    else:  # the band and the optimal actions: section 7, optimality
        assert section_number(browser, "#band") == "7"
        assert section_number(browser, "#optimal-picture") == "7"
    # every part is placed: none is left over in a section of its own
    assert browser.find_elements("css selector", "#explorer") == []
    # the sliders stay at the top of the window while any section is read
    assert browser.find_element("css selector", "#controls").value_of_css_property(
        "position") == "sticky"
    for heading in browser.find_elements("css selector", "#handout > section > h2")[-2:]:
        browser.execute_script("arguments[0].scrollIntoView()", heading)
        top = browser.execute_script(
            "return document.getElementById('slider-gamma').getBoundingClientRect().top")
        assert 0 <= top < 80


def numpy_v_star(path: Path, gamma: float) -> dict[str, float]:
    """v* by value iteration in NumPy (to 1e-12): independent of the page's closed forms."""
    mdp, _ = load_model(path)
    arrays = pair_arrays(mdp, gamma)
    n = len(arrays.states)
    v = np.zeros(n)
    while True:
        q = arrays.r + arrays.discount * arrays.P @ v
        new = np.full(n, -np.inf)
        np.maximum.at(new, arrays.pair_state, q)
        new[np.isinf(new)] = 0
        if np.max(np.abs(new - v)) < 1e-12:
            return dict(zip(arrays.states, new))
        v = new


def test_a_slider_move_updates_the_solution_and_the_optimality_sections(browser, pages):
    from selenium.webdriver.support.ui import WebDriverWait

    path = EXAMPLES / "gridworld_5x5.yaml"
    open_page(browser, pages["gridworld_5x5"], "#gamma=9/10")
    browser.execute_script("document.getElementById('optimal-part').scrollIntoView()")
    assert grid_values(browser, picture="#optimal-picture") == FIGURE_3_5
    browser.execute_script("const r = document.getElementById('slider-gamma'); r.value = 50;"
                           "r.dispatchEvent(new Event('input'))")
    v_pi, v_star = numpy_values(path, 0.5), numpy_v_star(path, 0.5)
    names = [[f"r{r}c{c}" for c in range(5)] for r in range(5)]

    def close(shown, expected):  # the grid prints one decimal
        return all(abs(shown[r][c] - expected[names[r][c]]) <= 0.05 + 1e-9
                   for r in range(5) for c in range(5))

    # the section in view at once; the other when it scrolls in or the browser is idle
    WebDriverWait(browser, 10).until(lambda b: close(
        grid_values(b, picture="#optimal-picture"), v_star))
    WebDriverWait(browser, 10).until(lambda b: close(grid_values(b, picture="#picture"), v_pi))
    assert grid_values(browser, picture="#picture") != FIGURE_3_2
    assert "1/2" in browser.find_element("css selector", "#optimal-caption").text


def test_10x10_section_on_optimality_says_what_the_band_shows(browser, page_10x10):
    """Over 30 states the handout leaves the optimal pieces out; the page's band shows
    them, so the page's section 7 lists them too (and does not say they are left out)."""
    open_page(browser, page_10x10, "#gamma=9/10")
    text = browser.execute_script("return document.getElementById('section-7').textContent")
    assert "left out" not in text.split("Try it")[0]
    listed = browser.execute_script(
        "return document.querySelectorAll('#section-7 > ul > li').length")
    pieces = browser.execute_script("return document.querySelectorAll('#band .piece').length")
    # two pieces, computed independently here: the optimal policy changes once in [0, 1)
    from symbellman.optimal import optimal_pieces
    from symbellman.core.symbols import gamma
    mdp, _ = load_model(page_10x10.with_suffix(".yaml"))
    expected = len(optimal_pieces(mdp.replace(discount=gamma)))
    assert listed == pieces == expected == 2


def test_band_says_what_it_shows_and_a_click_moves_gamma(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(browser, pages["exercise_3_22"], "#gamma=2/5")
    caption = browser.find_element("css selector", "#band-caption").text
    # Sutton & Barto, Exercise 3.22: left is optimal below 1/2, right above
    assert "2 pieces" in caption and "γ = 1/2" in caption
    band = browser.find_element("css selector", "#band")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", band)
    width = band.size["width"]
    ActionChains(browser).move_to_element_with_offset(band, round(width * 0.25), 0).click() \
        .perform()  # offsets are from the band's centre: 3/4 of the way along
    assert browser.find_element("css selector", "#slider-gamma-text").get_attribute("value") \
        == "3/4"
    assert browser.execute_script(
        "return document.querySelector('#values .tr[data-state=top] .acts').textContent") \
        == "right"
