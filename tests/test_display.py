"""How models and policies show: short reprs for big models, HTML and LaTeX for notebooks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from symbellman import MDP, Policy
from symbellman.text.display import ROWS
from symbellman.model.examples import gridworld, student_mdp, student_mrp


def big_chain(n: int) -> MDP:
    states = [f"s{i}" for i in range(n)] + ["end"]
    return MDP(states, {s: {"go": [(states[i + 1], 1, -1)]} for i, s in enumerate(states[:-1])},
               actions={s: ["go"] for s in states[:-1]}, terminal=["end"], name="chain")


def test_repr_of_a_big_model_is_short():
    text = repr(big_chain(500))
    assert text == "MDP('chain', states=['s0', 's1', 's2', ..., 's499', 'end'], actions=500, " \
                   "discount=gamma)"


def test_repr_of_a_small_model_lists_every_state():
    assert "['Facebook', 'Class1', 'Class2', 'Class3', 'Sleep']" in repr(student_mdp())


def test_repr_of_a_big_policy_is_short():
    m = big_chain(500)
    assert repr(Policy.uniform(m)) == "Policy.uniform(...)"
    assert repr(Policy.deterministic(m, {})) == "Policy(deterministic, 500 states)"


class Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
            self.rows.append(self._row)

    def handle_data(self, data):
        if self._row is not None and data.strip():
            self._row.append(data.strip())


def cells(html: str) -> list[list[str]]:
    parser = Cells()
    parser.feed(html)
    return parser.rows


def test_mdp_html_lists_each_outcome_as_written():
    rows = cells(student_mdp()._repr_html_())
    assert rows[0] == ["state", "action", "next state", "p", "r"]
    # Silver's Student MDP: pub in Class3 goes to Class1 with 0.2, reward +1
    assert ["Class3", "pub", "Class1", "0.2", "1"] in rows
    assert len(rows) == 1 + 10


def test_mrp_html_has_no_action_column():
    rows = cells(student_mrp()._repr_html_())
    assert rows[0] == ["state", "next state", "p", "r"]


def test_big_model_html_is_cut_with_a_note():
    html = big_chain(500)._repr_html_()
    assert len(cells(html)) == 1 + ROWS
    assert f"and {500 - ROWS} more rows" in html


def test_latex_is_a_display_array():
    latex = student_mdp()._repr_latex_()
    assert latex.startswith("$$\\begin{array}") and latex.endswith("\\end{array}$$")
    assert r"\text{Class3} & \text{pub} & \text{Class1} & 0.2 & 1 \\" in latex
    assert latex.count(r"\\") == 1 + 10


def test_policy_html_and_latex():
    mdp = student_mdp()
    pi = Policy.deterministic(mdp, {"Facebook": "quit", "Class1": "study",
                                    "Class2": "study", "Class3": "pub"})
    rows = cells(pi._repr_html_())
    assert rows[1:] == [["Facebook", "quit"], ["Class1", "study"], ["Class2", "study"],
                        ["Class3", "pub"]]
    assert r"\text{Class3} & \text{pub} \\" in pi._repr_latex_()


def test_symbolic_numbers_show_in_latex():
    grid = gridworld(2, 2, discount="gamma")
    assert "$$" in grid._repr_latex_()
    two = MDP(["A"], {"A": {"go": [("A", "p", "c"), ("A", "1 - p", 0)]}},
              actions={"A": ["go"]}, symbols=["p", "c"])
    assert "1 - p" in two._repr_latex_()
