"""Issue 19 on the page: the page's per-state equations are keyed by family and named,
formed and combined as the :class:`~symbellman.equations.families.Family` records say, with no
"expectation"/"optimality" keys of the page's own."""

from __future__ import annotations

import pytest

from symbellman.model.examples import student_mdp, student_mrp
from symbellman.equations.families import FAMILIES
from symbellman.render.page_data import page_data


def test_equations_are_keyed_by_the_families_records():
    pytest.importorskip("latex2mathml")
    data = page_data(student_mdp())["equations"]
    assert [f["key"] for f in data["families"]] == ["v_pi", "v_star"]
    assert [f["name"] for f in data["families"]] == [
        "Bellman expectation equation ({head})", "Bellman optimality equation ({head})"]
    assert [(f["combine"], f["optimal"]) for f in data["families"]] == [("sum", False),
                                                                          ("max", True)]
    # v* maximises over the actions; v_π sums over them weighted by π(a | s)
    star, pi = data["families"][1]["general"], data["families"][0]["general"]
    assert ">max<" in star and ">max<" not in pi and "π" in pi
    for entry in data["states"].values():
        assert set(entry) == {"v_pi", "v_star"}
    assert "general" not in data
    # every family the page shows has an equation name in its record, and only those
    assert {f["key"] for f in data["families"]} == {
        k for k, f in FAMILIES.items() if f.equation and f.arguments == ("state",)}


def test_a_markov_reward_process_shows_one_equation_of_v():
    pytest.importorskip("latex2mathml")
    data = page_data(student_mrp())["equations"]
    assert [(f["key"], f["name"]) for f in data["families"]] == [("v_pi",
                                                                   "Bellman equation of v")]
    general = data["families"][0]["general"]
    assert "π" not in general and ">max<" not in general
    assert all(set(entry) == {"v_pi"} for entry in data["states"].values())
