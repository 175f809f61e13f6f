"""The handout of a grid model draws grids, read back from the typeset PDF and the Markdown.

Expected numbers are Sutton & Barto's (R. S. Sutton and A. G. Barto, Reinforcement
Learning: An Introduction, 2nd ed., 2018): Figure 3.2 (p. 60; v_π of the random policy on
the 5 × 5 gridworld, γ = 0.9), Figure 3.5 (p. 65; v* and π* there) and Figure 4.1
(p. 77; v_k on the 4 × 4 gridworld, γ = 1). The PDFs are typeset by pdflatex through
``symbellman handout`` and read back with ``pdftotext -layout``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from symbellman.cli import main
from symbellman.model.examples import sutton_barto_gridworld_5x5
from symbellman.render.handout import Budgets, build_handout
from symbellman.render.document import Answer, Figure, Note, plain_text
from symbellman.render.writers import latex as latex_writer, markdown as markdown_writer

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

needs_tex = pytest.mark.skipif(
    not all(shutil.which(p) for p in ("pdflatex", "pdftotext", "pdfinfo")),
    reason="needs pdflatex, pdftotext and pdfinfo (CI installs them)")

from sutton_barto import FIGURE_3_2, FIGURE_3_5_V  # noqa: E402 (published values)

# Sutton & Barto, Figure 3.5 (right): π* as arrows; in A and B every action jumps down
# (A → A', B → B'), drawn as one double arrow ⇓.
FIGURE_3_5_PI = [["→", "⇓", "←", "⇓", "←"],
                 ["↑→", "↑", "↑←", "←", "←"],
                 ["↑→", "↑", "↑←", "↑←", "↑←"],
                 ["↑→", "↑", "↑←", "↑←", "↑←"],
                 ["↑→", "↑", "↑←", "↑←", "↑←"]]
# Sutton & Barto, Figure 4.1 (left column), p. 77: v_k, k = 0, 1, 2, 3, 10, ∞, of the
# random policy on the 4 × 4 gridworld (terminal corners 0.0)
FIGURE_4_1 = {
    "0": [[0.0] * 4] * 4,
    "1": [[0.0, -1.0, -1.0, -1.0], [-1.0, -1.0, -1.0, -1.0], [-1.0, -1.0, -1.0, -1.0],
          [-1.0, -1.0, -1.0, 0.0]],
    "2": [[0.0, -1.7, -2.0, -2.0], [-1.7, -2.0, -2.0, -2.0], [-2.0, -2.0, -2.0, -1.7],
          [-2.0, -2.0, -1.7, 0.0]],
    "3": [[0.0, -2.4, -2.9, -3.0], [-2.4, -2.9, -3.0, -2.9], [-2.9, -3.0, -2.9, -2.4],
          [-3.0, -2.9, -2.4, 0.0]],
    "10": [[0.0, -6.1, -8.4, -9.0], [-6.1, -7.7, -8.4, -8.4], [-8.4, -8.4, -7.7, -6.1],
           [-9.0, -8.4, -6.1, 0.0]],
    "∞": [[0.0, -14.0, -20.0, -22.0], [-14.0, -18.0, -20.0, -20.0],
          [-20.0, -20.0, -18.0, -14.0], [-22.0, -20.0, -14.0, 0.0]],
}

_NUMBER = re.compile(r"^-?\d+\.\d$")
_ARROWS = set("↑↓←→↗↖↘↙⇑⇓⇐⇒·∘↕↔∗")


def _handout_text(source: Path, target: Path) -> str:
    """``symbellman handout`` to PDF, read back with ``pdftotext -layout``."""
    assert main(["handout", str(source), "-o", str(target)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.replace("\u2212", "-")


def _blocks(text: str, width: int) -> list:
    """Every run of consecutive lines that hold exactly ``width`` one-decimal numbers
    (blank lines between grid rows skipped), as lists of rows."""
    blocks, current = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        tokens = line.split()
        if len(tokens) == width and all(_NUMBER.match(t) for t in tokens):
            current.append([float(t) for t in tokens])
            continue
        if current:
            blocks.append(current)
        current = []
    return blocks + ([current] if current else [])


@pytest.fixture(scope="module")
def gridworld_5x5_text(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handout5")
    return _handout_text(EXAMPLES / "gridworld_5x5.yaml", folder / "g.pdf")


@needs_tex
def test_5x5_handout_shows_figure_3_2_as_a_grid_of_numbers(gridworld_5x5_text):
    # the 5×5 block of one-decimal numbers, alone on its lines, is Figure 3.2
    assert FIGURE_3_2 in _blocks(gridworld_5x5_text, 5)
    assert "compare Sutton & Barto, Figure 3.2" in " ".join(gridworld_5x5_text.split())


@needs_tex
def test_5x5_handout_shows_figure_3_5_values_beside_arrows(gridworld_5x5_text):
    lines = [line.split() for line in gridworld_5x5_text.splitlines()
             if len(line.split()) == 10 and all(_NUMBER.match(t) for t in line.split()[:5])
             and set("".join(line.split()[5:])) <= _ARROWS]
    assert [[float(t) for t in line[:5]] for line in lines] == FIGURE_3_5_V
    assert [line[5:] for line in lines] == FIGURE_3_5_PI


@needs_tex
def test_5x5_handout_draws_the_grid_not_a_graphviz_diagram(gridworld_5x5_text):
    flat = " ".join(gridworld_5x5_text.split())
    assert "The model as a grid" in flat
    assert "State diagram: states are circles" not in flat
    # the state names in the grid diagram: r0c0 … r0c4 on one line, as the grid's top row
    assert any(line.split() == ["r0c0", "r0c1", "r0c2", "r0c3", "r0c4"]
               for line in gridworld_5x5_text.splitlines())


@needs_tex
def test_4x4_handout_shows_figure_4_1(tmp_path):
    from symbellman.render.handout import write_handout

    result = write_handout(*_load(EXAMPLES / "gridworld_4x4.yaml"), tmp_path / "g.pdf")
    log = result.logs[0]  # the grids fit the page: no overfull box, nothing left to rerun
    assert not log.errors and not log.overfull and not log.reruns
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "g.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout.replace(
                              "\u2212", "-")
    label_lines = [line for line in text.splitlines()
                   if re.fullmatch(r"\s*(k\s*=\s*(\d+|∞)\s*)+", line)]
    labels = re.findall(r"k\s*=\s*(\d+|∞)", "\n".join(label_lines))
    assert labels == ["0", "1", "2", "3", "10", "∞"]
    # two panels a row: grid rows of 4 numbers, the left panel's before the right one's
    # (pdftotext may put the two on one line or on two)
    chunks = []
    for line in text.splitlines():
        numbers = [float(t) for t in line.split() if _NUMBER.match(t)]
        if len(numbers) in (4, 8):
            chunks += [numbers[i:i + 4] for i in range(0, len(numbers), 4)]
    start = next(i for i in range(len(chunks)) if chunks[i:i + 8:2] == FIGURE_4_1["0"])
    panels = {}
    for pair in range(3):
        left, right = list(FIGURE_4_1)[2 * pair:2 * pair + 2]
        block = chunks[start + 8 * pair:start + 8 * pair + 8]
        panels[left], panels[right] = block[0::2], block[1::2]
    assert panels == FIGURE_4_1


def _gridworld_10x10(folder: Path) -> Path:
    """The 10 × 10 gridworld's model file (γ symbolic, states on their grid)."""
    source = folder / "g10.yaml"
    source.write_text(subprocess.run(
        [sys.executable, str(EXAMPLES / "make_gridworlds.py"), "10", "10"], capture_output=True,
        text=True, check=True).stdout)
    return source


def test_10x10_symbolic_discount_draws_the_grids_at_nine_tenths(tmp_path):
    # a teacher reads a 10 × 10 grid of numbers, not three pages of table: the values
    # grid is drawn at γ = 9/10 with one decimal, each cell NumPy's v_π there
    import numpy as np

    from symbellman.solve.iterate import pair_arrays

    source = _gridworld_10x10(tmp_path)
    mdp, policy = _load(source)
    doc = build_handout(mdp, policy, folder=tmp_path / "figures")
    notes = [plain_text(b.runs) for s in doc.sections for b in s.blocks if isinstance(b, Note)]
    assert not any("on the grid is left out" in n for n in notes)
    assert {"grid", "grid-values", "grid-optimal"} <= set(doc.files)
    arrays = pair_arrays(mdp, 0.9)
    weights = np.array([float(policy.weight(s, a)) for s, a in arrays.pairs])
    n = len(arrays.states)
    P, r = np.zeros((n, n)), np.zeros(n)
    np.add.at(P, arrays.pair_state, weights[:, None] * arrays.P)
    np.add.at(r, arrays.pair_state, weights * arrays.r)
    expected = np.linalg.solve(np.eye(n) - 0.9 * P, r)
    svg = doc.files["grid-values"]["svg"].read_text(encoding="utf-8")
    cells = [float(c.replace("\u2212", "-"))
             for c in re.findall(r">(\u2212?\d+\.\d)</text>", svg)]
    by_state = dict(zip(arrays.states, expected))
    order = [f"r{i}c{j}" for i in range(10) for j in range(10)]
    assert len(cells) == 100
    assert all(abs(c - by_state[s]) <= 0.05 + 1e-9 for c, s in zip(cells, order))


def test_budget_leaves_out_a_symbolic_discounts_grids_with_a_note(tmp_path):
    source = _gridworld_10x10(tmp_path)
    doc = build_handout(*_load(source), folder=tmp_path / "figures",
                        budgets=Budgets(symbolic_grid_cells=36))
    notes = [plain_text(b.runs) for s in doc.sections for b in s.blocks if isinstance(b, Note)]
    assert sum("on the grid is left out" in n for n in notes) == 2
    assert "grid" in doc.files and "grid-values" not in doc.files


def _load(path):
    from symbellman.io import load_model

    return load_model(path)


def test_markdown_handout_references_the_svgs_beside_it(tmp_path):
    target = tmp_path / "g.md"
    assert main(["handout", str(EXAMPLES / "gridworld_5x5.yaml"), "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.svg)\)", text)
    assert images == ["g-grid.svg", "g-grid-values.svg", "g-grid-iteration.svg",
                      "g-grid-optimal.svg", "g-grid-pieces.svg"]
    for name in images:
        root = ET.parse(tmp_path / name).getroot()  # each a well-formed SVG document
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    values = (tmp_path / "g-grid-values.svg").read_text(encoding="utf-8")
    cells = re.findall(r">(\u2212?\d+\.\d)</text>", values)
    assert [float(c.replace("\u2212", "-")) for c in cells] == \
        [x for row in FIGURE_3_2 for x in row]
    optimal_svg = (tmp_path / "g-grid-optimal.svg").read_text(encoding="utf-8")
    cells = re.findall(r">(\d+\.\d)</text>", optimal_svg)
    assert [float(c) for c in cells] == [x for row in FIGURE_3_5_V for x in row]


def test_exercise_sheet_leaves_the_grids_blank(tmp_path):
    doc = build_handout(sutton_barto_gridworld_5x5(), folder=tmp_path)
    grids = [b for s in doc.sections for b in s.blocks
             if isinstance(b, Answer) and isinstance(b.content, Figure)
             and b.content.key.startswith("grid-")]
    assert [b.content.key for b in grids] == ["grid-values", "grid-iteration", "grid-optimal",
                                              "grid-pieces"]
    for writer in (latex_writer, markdown_writer):
        sheet, key = writer.write(doc, exercise=True), writer.write(doc, exercise=False)
        assert "into the cells of the grid of section 1" in sheet
        assert "into the cells of the grid of section 1" not in key
        # the key has the numbers of Figure 3.2 (TikZ cells in LaTeX; Markdown shows the
        # SVG file), the sheet none of the grid's
        if writer is latex_writer:
            assert "{$8.8$}" in key and "{$8.8$}" not in sheet


def test_budget_leaves_out_the_iteration_grids(tmp_path):
    doc = build_handout(sutton_barto_gridworld_5x5(), folder=tmp_path,
                        budgets=Budgets(iteration_cells=16))
    assert "grid-iteration" not in doc.files and "grid-values" in doc.files


def _arrow_rows(text: str, width: int) -> list:
    """The lines of ``text`` that end in ``width`` cells of arrows (a policy grid's rows)."""
    rows = []
    for line in text.splitlines():
        tokens = line.split()
        if len(tokens) >= width and all(set(t) <= _ARROWS for t in tokens[-width:]):
            rows.append(tokens[-width:])
    return rows


def _optimal_actions_table(text: str) -> list:
    """Rows of a table of optimal actions by state (``r0c1  north, south``)."""
    return re.findall(r"^\s*r\d+c\d+\s+(?:north|south|east|west)\b", text, re.MULTILINE)


@needs_tex
def test_5x5_handout_draws_the_optimal_policy_instead_of_tabling_it(gridworld_5x5_text):
    # Figure 3.5 is on the grids (test above): a table of the 25 states' actions would
    # only repeat it
    assert _optimal_actions_table(gridworld_5x5_text) == []
    assert _arrow_rows(gridworld_5x5_text, 5)[:5] == FIGURE_3_5_PI


@needs_tex
def test_10x10_handout_at_a_discount_draws_the_policy_and_tables_no_actions(tmp_path):
    source = _gridworld_10x10(tmp_path)
    target = tmp_path / "g.pdf"
    assert main(["handout", str(source), "-o", str(target), "--at", "gamma=9/10"]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert _optimal_actions_table(text) == []  # no 100-row table of actions
    # nor 100 rows of v_π at γ = 9/10 in section 4: the table of section 5 has that column
    assert "gives the 100 values of the table in section 5" in " ".join(text.split())
    assert not re.search(r"\(r\d+c\d+\)\s*≈", text.split("5. Closed forms")[0])
    assert len(_arrow_rows(text, 10)) == 10  # the policy: a 10 × 10 grid of arrows
    # v* and the actions the PDF draws only on the grid are exact in the JSON beside it
    import json

    optimal = json.loads((tmp_path / "g-closed-forms.json").read_text())["optimal"]
    assert optimal["discount"] == "9/10" and len(optimal["v_star"]) == 100
    assert set(optimal["actions"]["r0c1"]) == {"north", "south", "east", "west"}  # A jumps


@needs_tex
def test_slides_caption_the_grids(tmp_path):
    target = tmp_path / "deck.pdf"
    assert main(["handout", str(EXAMPLES / "gridworld_5x5.yaml"), "-o", str(target),
                 "--slides"]) == 0
    text = " ".join(subprocess.run(["pdftotext", str(target), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    # each grid's frame says what it shows and at which discount, as the handout's figures
    for caption in ("vπ on the grid at γ = 0.9, one decimal",
                    "Iterative policy evaluation at γ = 0.9: vk after k sweeps",
                    "every optimal action (right) on the grid at γ = 0.9",
                    "The model as a grid: each cell is a state"):
        assert caption in text, caption
    for figure in ("Figure 3.2", "Figure 4.1", "Figure 3.5"):
        assert f"compare Sutton & Barto, {figure}" in text, figure
