"""Figures in the reader's language (issue 21): the grid SVGs' titles and hover texts, the
plot's axis label (with γ drawn, not a box), the state diagram (names and numbers only)
and the notebook's compact table of a big model.

The Chinese words are the glossary's (docs/translating.md: 价值, 策略, 迭代策略评估, 闭式解);
the English ones are what these figures said before they were translated.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings

import pytest

from symbellman import solve_v
from symbellman.model.examples import student_mdp, sutton_barto_gridworld_5x5
from symbellman.core.i18n import using


def test_grid_svg_titles_follow_the_language():
    from symbellman.render.grid import policy_grid_svg, values_grid_svg

    m = sutton_barto_gridworld_5x5()
    v = solve_v(m)
    english = values_grid_svg(m, v)
    assert "<title>Gridworld 5x5: values</title>" in english
    with using("zh"):
        chinese = values_grid_svg(m, v)
        policy = policy_grid_svg(m, {"r1c0": ["north", "east"]})
    assert "<title>Gridworld 5x5：价值</title>" in chinese
    assert "<title>Gridworld 5x5：策略</title>" in policy
    # the hover text lists the actions with the Chinese enumeration comma; names unchanged
    assert "<title>r1c0: north、east</title>" in policy
    # the numbers are the same in both (Sutton & Barto, Figure 3.2: 8.8 in the top row)
    numbers = lambda svg: re.findall(r">([−\d.]+)</text>", svg)  # noqa: E731
    assert numbers(english) == numbers(chinese) and "8.8" in numbers(chinese)


def test_iteration_svg_title_follows_the_language():
    from symbellman.model.policy import Policy
    from symbellman.render.grid import iteration_grids_svg

    m = sutton_barto_gridworld_5x5()
    with using("zh"):
        svg = iteration_grids_svg(m, Policy.uniform(m), [0, 1])
    assert "<title>Gridworld 5x5：迭代策略评估</title>" in svg


def test_the_state_diagram_has_no_words_but_names():
    """Graphviz labels are names, numbers and the maths letters r and R: nothing to
    translate, in any language."""
    from symbellman.render.diagram import state_diagram

    m = student_mdp()
    names = set(m.states) | {a for _s, a in m.state_action_pairs} | {"R", "r"}
    with using("zh"):
        dot = state_diagram(m)
    labels = re.findall(r'label="((?:[^"\\]|\\.)*)"', dot)
    lines = [line for label in labels for line in label.split("\\n")]  # DOT's line break
    words = {w for line in lines for w in re.findall(r"[A-Za-z]\w*", line)}
    assert words and words <= names, words - names


def test_the_notebooks_compact_table_follows_the_language():
    from symbellman.render.html import compact_html

    m = student_mdp()
    v = solve_v(m)
    assert "<th>key</th><th>closed form</th>" in compact_html(v, m)
    with using("zh"):
        table = compact_html(v, m)
    assert "<th>键</th><th>闭式解</th>" in table and "5 个闭式解" in table
    assert "closed form" not in table


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None
                    or shutil.which("fc-match") is None, reason="needs poppler-utils, fontconfig")
def test_the_chinese_plot_label_draws_gamma_and_the_words(tmp_path):
    """The axis label 折扣因子 γ, in a PDF: the words and γ are text in embedded fonts, and
    matplotlib warned of no glyph it lacked (it draws a box for one)."""
    if "Noto Sans CJK" not in subprocess.run(["fc-match", "Noto Sans CJK SC"],
                                             capture_output=True, text=True).stdout:
        pytest.skip("needs fonts-noto-cjk")
    from symbellman.render.plots import plot_values
    from symbellman.core.symbols import gamma

    v = solve_v(student_mdp(discount=gamma))
    with warnings.catch_warnings(record=True) as caught, using("zh"):
        warnings.simplefilter("always")
        plot_values(v, tmp_path / "plot.pdf")
    assert not [w for w in caught if "glyph" in str(w.message).lower()]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "plot.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "折扣因子 γ" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "plot.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "CJK" in fonts
