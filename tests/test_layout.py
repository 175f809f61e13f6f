"""The optional ``layout`` and ``vary`` keys of a model file (spec: Layout, Variants)."""

import json

import pytest
from sympy import Integer, Rational, Symbol

from symbellman.core.errors import ModelError
from symbellman.io import load_model, read_model
from symbellman.model.layout import Layout

BASE = {
    "states": ["A", "B", "C", "End"],
    "terminal": ["End"],
    "symbols": ["p", "r"],
    "transitions": {s: [{"to": "End", "p": "p", "r": "r"}, {"to": s, "p": "1 - p"}]
                    for s in ("A", "B", "C")},
}


def model(**keys):
    return read_model({**BASE, **keys}, "m.yaml")[0]


def test_grid_with_a_blank_cell_and_a_state_beside_it(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("states: [A, B, C, End]\nterminal: [End]\n"
                    "transitions: {A: {to: End}, B: {to: End}, C: {to: End}}\n"
                    "layout:\n  grid:\n    - [A, B]\n    - [null, C]\n")
    mdp, _ = load_model(path)
    assert mdp.layout.grid == (("A", "B"), (None, "C"))
    assert mdp.layout.shape == (2, 2)
    assert [mdp.layout.cell(s) for s in mdp.states] == [(0, 0), (0, 1), (1, 1), None]


def test_json_null_is_a_blank_cell(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({**BASE, "layout": {"grid": [["A", None], ["B", "C"]]}}))
    assert load_model(path)[0].layout.grid == (("A", None), ("B", "C"))


def test_positions_are_exact():
    layout = model(layout={"positions": {"A": ["0", "1/2"], "End": ["2.5", "-1"]}}).layout
    assert layout.grid is None
    assert layout.positions["End"] == (Rational(5, 2), -1)
    assert layout.as_data() == {"positions": {"A": ["0", "1/2"], "End": ["5/2", "-1"]}}


@pytest.mark.parametrize("layout, message", [
    ({"grid": [["A", "B"], ["C"]]},
     "m.yaml: layout.grid[1]: this row has 1 cells, the first has 2"),
    ({"grid": [["A", "B"], ["C", "A"]]},
     "m.yaml: layout.grid[1][1]: state 'A' is placed twice (it is already at layout.grid[0][0])"),
    ({"grid": [["A", "Bee"]]}, "m.yaml: layout.grid[0][1]: unknown state 'Bee' (did you mean 'B'?)"),
    ({"grid": "A B"}, "m.yaml: layout.grid: 'grid' must be a list of rows"),
    ({"grids": [["A"]]}, "m.yaml: layout: unknown key 'grids' (did you mean 'grid'?)"),
    ({"positions": {"A": [1]}}, "m.yaml: layout.positions.A: expected [x, y]"),
    ({"positions": {"A": ["x", 1]}}, "m.yaml: layout.positions.A[0]"),
    ([], "m.yaml: layout: 'layout' must be a map"),
])
def test_bad_layouts_name_the_place(layout, message):
    with pytest.raises(ModelError) as err:
        model(layout=layout)
    assert str(err.value).startswith(message)


def test_vary_lists_and_integer_ranges():
    mdp = model(vary={"p": ["1/4", "1/3", "0.5"], "r": {"from": "1", "to": "3"}})
    p, r = Symbol("p"), Symbol("r")
    assert mdp.vary == {p: (Rational(1, 4), Rational(1, 3), Rational(1, 2)),
                        r: (Integer(1), Integer(2), Integer(3))}
    # substituting a symbol ends its variation; the other one stays
    assert mdp.subs({"p": Rational(1, 2)}).vary == {r: (1, 2, 3)}


@pytest.mark.parametrize("vary, message", [
    ({"pp": ["1/2"]}, "m.yaml: vary.pp: 'pp' is not a symbol of the model (did you mean 'p'?)"),
    ({"p": ["x"]}, "m.yaml: vary.p[0]"),
    ({"p": [Symbol("r")]}, "m.yaml: vary.p[0]: a value to vary over must be a number"),
    ({"r": {"from": "3", "to": "1"}}, "m.yaml: vary.r: a range needs integers from <= to"),
    ({"r": {"from": "1"}}, "m.yaml: vary.r: a range is {from: LOW, to: HIGH}"),
    ({"r": {"from": "0", "to": "10000000"}}, "m.yaml: vary.r: the range 0..10000000 is too long"),
])
def test_bad_vary_names_the_place(vary, message):
    with pytest.raises(ModelError) as err:
        model(vary=vary)
    assert str(err.value).startswith(message)


def test_layout_and_vary_survive_replace_and_take_part_in_equality():
    mdp = model(layout={"grid": [["A", "B", "C"]]}, vary={"p": ["1/2"]})
    assert mdp.replace(name="copy").layout == mdp.layout
    assert mdp.replace(name="copy").vary == mdp.vary
    assert mdp != model()


def test_shipped_gridworld_grid_is_row_major():
    # Sutton & Barto (2018), Example 3.5: states r{row}c{col}, row 0 at the top.
    from pathlib import Path
    mdp, _ = load_model(Path(__file__).parents[1] / "examples" / "gridworld_5x5.yaml")
    assert mdp.layout.grid == tuple(tuple(f"r{i}c{j}" for j in range(5)) for i in range(5))


def test_layout_read_accepts_a_layout():
    layout = Layout.read({"grid": [["A"]]}, ["A"])
    assert Layout.read(layout, ["A"]) == layout
