"""Grids drawn as grids: exact decimals, arrows where successors lie, and real PDFs read back.

The expected numbers and arrows are Sutton & Barto's (R. S. Sutton and A. G. Barto,
Reinforcement Learning: An Introduction, 2nd ed., 2018): Figure 3.2 (the random policy
on the 5 × 5 gridworld, γ = 0.9), Figure 3.5 (v* and π* there) and Figure 4.1 (v_k of
iterative policy evaluation on the 4 × 4 gridworld, γ = 1). The values themselves come
from symbellman's exact solvers; the PDFs are typeset by pdflatex and read back with
``pdftotext -layout``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from symbellman import MDP, ModelError, optimal, solve_v
from symbellman.cli import main
from symbellman.model.examples import sutton_barto_gridworld_4x4, sutton_barto_gridworld_5x5
from symbellman.render.grid_cells import (action_arrow, fixed_text, jumps, places, policy_arrows,
                             value_cells)
from symbellman.render.grid import (grid_diagram_svg, grid_diagram_tikz, iteration_grids_svg,
                                    iteration_grids_tikz, policy_grid_svg, policy_grid_tikz,
                                    values_grid_svg, values_grid_tikz)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

from sutton_barto import FIGURE_3_2, FIGURE_3_5_V  # noqa: E402 (published values)

# Sutton & Barto, Figure 3.5 (right): π*, the directions of the optimal moves per cell.
# In A and B the book draws all four arrows (every action is optimal); every one of
# them jumps to A' (four rows down) or B' (two rows down), which is what we draw: "S*".
FIGURE_3_5_PI = [[{"E"}, {"S*"}, {"W"}, {"S*"}, {"W"}],
                 [{"N", "E"}, {"N"}, {"N", "W"}, {"W"}, {"W"}],
                 [{"N", "E"}, {"N"}, {"N", "W"}, {"N", "W"}, {"N", "W"}],
                 [{"N", "E"}, {"N"}, {"N", "W"}, {"N", "W"}, {"N", "W"}],
                 [{"N", "E"}, {"N"}, {"N", "W"}, {"N", "W"}, {"N", "W"}]]
GLYPH = {"N": "↑", "S": "↓", "E": "→", "W": "←", "S*": "⇓"}
# Sutton & Barto, Figure 4.1 (left column): v_k for the random policy, k = 0, 1, 2, 3, 10, ∞
FIGURE_4_1 = {
    0: [[0.0] * 4] * 4,
    1: [[0.0, -1.0, -1.0, -1.0], [-1.0, -1.0, -1.0, -1.0], [-1.0, -1.0, -1.0, -1.0],
        [-1.0, -1.0, -1.0, 0.0]],
    2: [[0.0, -1.7, -2.0, -2.0], [-1.7, -2.0, -2.0, -2.0], [-2.0, -2.0, -2.0, -1.7],
        [-2.0, -2.0, -1.7, 0.0]],
    3: [[0.0, -2.4, -2.9, -3.0], [-2.4, -2.9, -3.0, -2.9], [-2.9, -3.0, -2.9, -2.4],
        [-3.0, -2.9, -2.4, 0.0]],
    10: [[0.0, -6.1, -8.4, -9.0], [-6.1, -7.7, -8.4, -8.4], [-8.4, -8.4, -7.7, -6.1],
         [-9.0, -8.4, -6.1, 0.0]],
    None: [[0.0, -14.0, -20.0, -22.0], [-14.0, -18.0, -20.0, -20.0],
           [-20.0, -20.0, -18.0, -14.0], [-22.0, -20.0, -14.0, 0.0]],
}

needs_tex = pytest.mark.skipif(not shutil.which("pdflatex") or not shutil.which("pdftotext"),
                               reason="needs pdflatex and pdftotext (CI installs them)")


@pytest.fixture(scope="module")
def gridworld():
    return sutton_barto_gridworld_5x5()


@pytest.fixture(scope="module")
def best(gridworld):
    return optimal(gridworld)


def rows_of(cells, width):
    texts = [c.text for c in cells]
    return [[float(t) for t in texts[i:i + width]] for i in range(0, len(texts), width)]


# -- exact decimals ---------------------------------------------------------------------------
@pytest.mark.parametrize("value, digits, text", [
    (Fraction(-7, 4), 1, "-1.7"),       # Figure 4.1 prints v_2(s1) = -7/4 as -1.7: ties go up
    (Fraction(7, 4), 1, "1.8"),
    (Fraction(-39, 16), 1, "-2.4"),     # v_3(s1)
    (Fraction(-1, 20), 1, "0.0"),       # a tie to zero prints no minus sign
    (Fraction(-1, 19), 1, "-0.1"),
    (Fraction(1, 3), 3, "0.333"),
    (Fraction(2, 3), 0, "1"),
    (-22, 1, "-22.0"),
    (Fraction(10**30 + 1, 10**30), 2, "1.00"),  # no float would keep these digits apart
])
def test_decimal_text(value, digits, text):
    assert fixed_text(value, digits) == text


@given(st.fractions(min_value=-1000, max_value=1000), st.integers(0, 4))
def test_decimal_text_is_the_nearest_decimal_with_ties_up(x, digits):
    shown = Fraction(fixed_text(x, digits))
    half = Fraction(1, 2 * 10 ** digits)
    assert abs(shown - x) <= half
    if abs(shown - x) == half:
        assert shown > x
    assert (shown * 10 ** digits).denominator == 1


# -- what each cell shows -----------------------------------------------------------------------
def test_values_of_figure_3_2(gridworld):
    assert rows_of(value_cells(gridworld, solve_v(gridworld)), 5) == FIGURE_3_2


def test_v_star_of_figure_3_5(gridworld, best):
    assert rows_of(value_cells(gridworld, best.v_star), 5) == FIGURE_3_5_V


def test_shades_order_the_values(gridworld):
    v = solve_v(gridworld)
    cells = {c.place.state: c for c in value_cells(gridworld, v)}
    assert cells["r0c1"].shade == 1 and cells["r4c4"].shade == 0  # A is highest, r4c4 lowest
    ordered = sorted(gridworld.states, key=lambda s: v[s])
    assert [cells[s].shade for s in ordered] == sorted(cells[s].shade for s in ordered)


def arrow_names(arrows):
    return {a.compass + ("*" if a.kind == "jump" else "") for a in arrows}


def test_optimal_arrows_of_figure_3_5(gridworld, best):
    arrows = policy_arrows(gridworld, best.policy)
    for i, row in enumerate(FIGURE_3_5_PI):
        for j, expected in enumerate(row):
            assert arrow_names(arrows[f"r{i}c{j}"]) == expected, f"r{i}c{j}"
    # the book's four arrows in A and B: every action is optimal there
    assert set(best.policy["r0c1"]) == set(best.policy["r0c3"]) == set(gridworld.actions("r0c1"))
    assert arrows["r0c1"][0].dy == -4 and arrows["r0c3"][0].dy == -2


_SEGMENT = re.compile(r"\\draw\[->,line width=1pt(,dashed)?\] \(([-\d.]+),([-\d.]+)\) -- "
                      r"\(([-\d.]+),([-\d.]+)\);")


def test_policy_tikz_draws_the_arrows_of_figure_3_5(gridworld, best):
    # read the drawn segments back: cell of their centre-most end, direction of travel
    drawn: dict[str, set] = {}
    for dashed, *xy in _SEGMENT.findall(policy_grid_tikz(gridworld, best.policy)):
        x0, y0, x1, y1 = map(float, xy)
        dx, dy = x1 - x0, y1 - y0
        name = {(0, 1): "N", (0, -1): "S", (1, 0): "E", (-1, 0): "W"}[
            (round(dx / max(abs(dx), abs(dy))), round(dy / max(abs(dx), abs(dy))))]
        cell = f"r{round(-(y0 + y1) / 2)}c{round((x0 + x1) / 2)}"
        drawn.setdefault(cell, set()).add(name + ("*" if dashed else ""))
    assert drawn == {f"r{i}c{j}": expected for i, row in enumerate(FIGURE_3_5_PI)
                     for j, expected in enumerate(row)}


def grid_model(**changes):
    """A 1 × 3 corridor with a sink beside the grid: every kind of arrow in four actions."""
    outcomes = {"a": {"left": {"to": "a", "r": -1}, "slip": [{"to": "b", "p": "1/2"},
                                                             {"to": "a", "p": "1/2"}]},
                "b": {"exit": {"to": "End", "r": 1}, "jump": {"to": "c"}},
                "c": {"left": {"to": "b"}}}
    return MDP(["a", "b", "c", "End"], outcomes, terminal=["End"],
               actions={"a": ["left", "slip"], "b": ["exit", "jump"], "c": ["left"]},
               layout={"grid": [["a", None, "b", "c"]]}, **changes)


def test_every_kind_of_arrow():
    m = grid_model()
    assert action_arrow(m, "a", "left").kind == "stay"
    slip = action_arrow(m, "a", "slip")
    assert (slip.kind, slip.compass, slip.dx, slip.dy) == ("jump", "E", 1, 0)  # 1/2 · 2 cells
    assert action_arrow(m, "b", "exit").kind == "leave"
    left = action_arrow(m, "c", "left")
    assert (left.kind, left.compass) == ("move", "W")
    assert [(j.source, j.target) for j in jumps(m)] == [("a", "b")]


def test_states_beside_the_grid_are_drawn_beside_it():
    m = grid_model()
    assert places(m)["End"].in_grid is False and places(m)["End"].x > 3
    svg = values_grid_svg(m, {"a": 1, "b": 2, "c": 3, "End": 0})
    assert ">End</text>" in svg
    ET.fromstring(svg)  # well-formed
    tikz = values_grid_tikz(m, {"a": 1, "b": 2, "c": 3, "End": 0})
    assert "{End}" in tikz
    # a wall is filled dark, the beside state's box is grey (terminal)
    assert tikz.count("fill={rgb,255:red,90;green,90;blue,90}") == 1
    assert tikz.count("fill={rgb,255:red,205;green,205;blue,205}") == 1


def test_a_model_without_a_grid_is_a_clear_error():
    from symbellman.model.examples import student_mdp

    with pytest.raises(ModelError, match="no layout grid"):
        values_grid_tikz(student_mdp(), {})


def test_svg_figures_are_well_formed_and_complete(gridworld, best):
    values = ET.fromstring(values_grid_svg(gridworld, solve_v(gridworld)))
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in values.iter(ns + "text")]
    assert texts[:5] == ["3.3", "8.8", "4.4", "5.3", "1.5"] and texts[-1] == "\u22122.0"
    policy = ET.fromstring(policy_grid_svg(gridworld, best.policy))
    expected = sum(len(cell) for row in FIGURE_3_5_PI for cell in row)
    assert len(list(policy.iter(ns + "line"))) == expected
    diagram = ET.fromstring(grid_diagram_svg(gridworld))
    assert [t.text for t in diagram.iter(ns + "text")].count("+10") == 1
    panels = ET.fromstring(iteration_grids_svg(sutton_barto_gridworld_4x4()))
    labels = [t.text for t in panels.iter(ns + "text") if t.text.startswith("k =")]
    assert labels == ["k = 0", "k = 1", "k = 2", "k = 3", "k = 10", "k = ∞"]


def test_cli_latex_what_grid(capsys):
    assert main(["latex", str(EXAMPLES / "gridworld_5x5.yaml"), "--what", "grid"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("% v_pi on the grid (one decimal)")
    assert "{$3.3$}" in out and "{$22.0$}" in out and r"{$\uparrow\rightarrow$}" in out
    assert main(["latex", str(EXAMPLES / "student_mdp.yaml"), "--what", "grid"]) == 2
    assert "no layout grid" in capsys.readouterr().err
    assert main(["latex", str(EXAMPLES / "gridworld_5x5.yaml"), "--what", "grid",
                 "--at", "gamma=1/2"]) == 0  # --at replaces the numeric discount
    assert "{$3.3$}" not in capsys.readouterr().out


# -- real PDFs, read back ---------------------------------------------------------------------
PREAMBLE = r"""\documentclass{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage[T1]{fontenc}
\usepackage{lmodern,amssymb}
\usepackage{tikz}
\pagestyle{empty}
\begin{document}
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory, gridworld, best):
    """The three figures, one a page, typeset and read back with pdftotext -layout."""
    from symbellman.render.tex import compile_pdf

    folder = tmp_path_factory.mktemp("grids")
    body = "\n\\newpage\n".join([
        values_grid_tikz(gridworld, solve_v(gridworld)),
        values_grid_tikz(gridworld, best.v_star) + "\\qquad\n"
        + policy_grid_tikz(gridworld, best.policy),
        iteration_grids_tikz(sutton_barto_gridworld_4x4()),
        grid_diagram_tikz(gridworld)])
    pdf = folder / "grids.pdf"
    log = compile_pdf(PREAMBLE + "\\noindent\n" + body + "\n\\end{document}\n", pdf)
    assert not log.errors and log.worst_overfull == 0
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / "page")], check=True)
    texts = []
    for page in range(1, 5):
        run = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page),
                              str(pdf), "-"], capture_output=True, text=True, check=True)
        texts.append(run.stdout.replace("\u2212", "-"))
    return texts


_NUMBER = re.compile(r"^-?\d+\.\d$")


def number_rows(text):
    rows = []
    for line in text.splitlines():
        numbers = [float(t) for t in line.split() if _NUMBER.match(t)]
        if numbers:
            rows.append(numbers)
    return rows


@needs_tex
def test_pdf_shows_figure_3_2(pages):
    assert number_rows(pages[0]) == FIGURE_3_2


@needs_tex
def test_pdf_shows_figure_3_5(pages):
    lines = [line.split() for line in pages[1].splitlines() if line.strip()]
    assert [[float(t) for t in line[:5]] for line in lines] == FIGURE_3_5_V
    for i, line in enumerate(lines):
        arrows = line[5:]
        assert len(arrows) == 5, line
        for j, expected in enumerate(FIGURE_3_5_PI[i]):
            assert set(arrows[j]) == {GLYPH[e] for e in expected}, f"r{i}c{j}"


@needs_tex
def test_pdf_shows_figure_4_1(pages):
    rows = number_rows(pages[2])
    labels = re.findall(r"k\s*=\s*(\d+|∞)", pages[2])
    assert labels == ["0", "1", "2", "3", "10", "∞"]
    assert len(rows) == 8 and all(len(r) == 12 for r in rows)  # two rows of three grids
    for n, k in enumerate(FIGURE_4_1):
        band, column = divmod(n, 3)
        grid = [r[4 * column:4 * column + 4] for r in rows[4 * band:4 * band + 4]]
        assert grid == FIGURE_4_1[k], f"k = {k}"


@needs_tex
def test_pdf_grid_diagram_names_the_cells_and_jumps(pages):
    text = pages[3]
    assert all(f"r{i}c{j}" in text for i in range(5) for j in range(5))
    assert "+10" in text and "+5" in text


# Sutton & Barto, Figure 4.1 (right column, k = 3 onwards): the greedy policy, "T" terminal
FIGURE_4_1_GREEDY = [[None, {"W"}, {"W"}, {"W", "S"}],
                     [{"N"}, {"N", "W"}, {"W", "S"}, {"S"}],
                     [{"N"}, {"N", "E"}, {"E", "S"}, {"S"}],
                     [{"N", "E"}, {"E"}, {"E"}, None]]


@pytest.mark.parametrize("k", [3, 10, None])
def test_greedy_arrows_of_figure_4_1(k):
    from symbellman.render.grid_cells import greedy_actions, iteration_panels

    m = sutton_barto_gridworld_4x4()
    (panel,) = iteration_panels(m, ks=(k,))
    arrows = policy_arrows(m, greedy_actions(m, panel.values))
    for i, row in enumerate(FIGURE_4_1_GREEDY):
        for j, expected in enumerate(row):
            state = m.layout.grid[i][j]
            assert (arrow_names(arrows[state]) if state in arrows else None) == expected, state


def test_iteration_grids_with_greedy_arrows():
    tikz = iteration_grids_tikz(sutton_barto_gridworld_4x4(), ks=(None,), greedy=True)
    assert r"{$\downarrow\leftarrow$}" in tikz and tikz.count("{$k = \\infty$}") == 1


def test_slippery_frozen_lake_arrows_point_where_the_ice_takes_you():
    # Gymnasium's FrozenLake-v1 (4 x 4, slippery): the intended move and the two at right
    # angles, 1/3 each; holes and the goal lead to the importer's "terminal" sink, which
    # has no cell and is drawn beside the grid.
    gym = pytest.importorskip("gymnasium")
    from symbellman.io import from_gymnasium

    lake = from_gymnasium(gym.make("FrozenLake-v1", map_name="4x4", is_slippery=True),
                          discount="99/100")
    lake = lake.replace(layout={"grid": [[f"s{4 * i + j}" for j in range(4)]
                                         for i in range(4)]})
    down = action_arrow(lake, "s9", "down")          # to s8, s13, s10: on average down
    assert (down.kind, down.compass, down.dx, down.dy) == ("move", "S", 0, Fraction(-1, 3))
    corner = action_arrow(lake, "s0", "left")        # stays 2/3, slides down 1/3
    assert (corner.compass, corner.dy) == ("S", Fraction(-1, 3))
    assert action_arrow(lake, "s5", "left").kind == "leave"    # a hole: into the sink
    where = places(lake)
    assert not where["terminal"].in_grid and where["terminal"].x == 4.5
    svg = policy_grid_svg(lake, {s: lake.actions(s) for s in lake.nonterminal})
    ET.fromstring(svg)
    assert ">terminal</text>" in svg


def test_an_action_whose_moves_cancel_out_spreads():
    # FrozenLake's slippery "up" in the top row: stays, or slides left or right, 1/3 each
    m = MDP(["w", "c", "e"], {"w": {"up": [("w", 1, 0)]}, "e": {"up": [("e", 1, 0)]},
                       "c": {"up": [("c", "1/3", 0), ("w", "1/3", 0), ("e", "1/3", 0)]}},
            actions={"w": ["up"], "c": ["up"], "e": ["up"]}, layout={"grid": [["w", "c", "e"]]})
    up = action_arrow(m, "c", "up")
    assert (up.kind, up.dx, up.dy, up.spread) == ("spread", 0, 0, ((-1, 0), (1, 0)))
    (both,) = policy_arrows(m, {"c": ["up", "up"]})["c"]    # drawn alike: one arrow
    assert both.spread == up.spread and both.actions == ("up", "up")
    tikz = policy_grid_tikz(m, {"c": ["up"]})
    assert r"{$\leftrightarrow$}" in tikz and tikz.count("line width=0.5pt") == 2
