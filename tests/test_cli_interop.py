"""The command line's ways in and out: import, export, several models at once, equations
as JSON, what latex -o wrote, and messages in the command line's own words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy
from sympy import Rational, Symbol

from symbellman import solve_v
from symbellman.cli import main
from symbellman.model.examples import student_mdp, student_mrp
from symbellman.io import from_gymnasium, parse_model_text, read_model

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STUDENT = str(EXAMPLES / "student_mdp.yaml")
MRP = str(EXAMPLES / "student_mrp.yaml")
SYMBOLIC = str(EXAMPLES / "two_state_symbolic.yaml")


# -- solve A B C --json: one object per line -------------------------------------------------
def test_several_models_print_one_json_object_per_line(capsys):
    assert main(["solve", STUDENT, MRP, "--json", "--at", "gamma=1/2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert (first["source"], second["source"]) == (STUDENT, MRP)
    # each line is what solving that model alone gives
    expected = solve_v(student_mdp(discount=Rational(1, 2)))
    assert {s: sympy.Rational(x) for s, x in first["v"].items()} == dict(expected.items())
    assert "q" not in second and second["model"] == "Student MRP"


def test_a_bad_file_among_several_is_a_line_with_its_error(capsys, tmp_path):
    status = main(["solve", STUDENT, str(tmp_path / "missing.yaml"), "--json"])
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    assert status == 2
    assert "v" in lines[0] and "no such file" in lines[1]["error"]


def test_several_models_on_processes(capsys):
    assert main(["solve", STUDENT, MRP, STUDENT, "--json", "--jobs", "2",
                 "--at", "gamma=9/10"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    assert [x["source"] for x in lines] == [STUDENT, MRP, STUDENT]
    assert lines[0] == lines[2]


def test_several_models_as_text(capsys):
    assert main(["solve", STUDENT, MRP, "--at", "gamma=1"]) == 0
    out = capsys.readouterr().out
    assert "Student MDP: v_pi" in out and "Student MRP: v_pi" in out
    assert "-30/13" in out  # Silver, Lecture 2: v(Facebook) = -2.3


# -- equations --json -------------------------------------------------------------------------
def test_equations_json_gives_each_right_hand_side_exactly(capsys):
    assert main(["equations", STUDENT, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["equations"]) == {"v", "q", "half_steps"}
    v = data["equations"]["v"]
    assert [e["state"] for e in v] == ["Facebook", "Class1", "Class2", "Class3"]
    # v(Class3) = 1/2 [1 + 0.2 v(C1) + 0.4 v(C2) + 0.4 v(C3)] + 1/2 [10 + v(Sleep)], γ = 1
    heads = {f"v_pi({s})": Symbol(f"v_{s}") for s in ("Class1", "Class2", "Class3")}
    rhs = v[3]["rhs"]
    for text, symbol in heads.items():
        rhs = rhs.replace(text, symbol.name)
    got = sympy.sympify(rhs, locals={s.name: s for s in heads.values()})
    c1, c2, c3 = heads.values()
    assert sympy.expand(got - (Rational(1, 2) * (1 + c1 / 5 + 2 * c2 / 5 + 2 * c3 / 5)
                               + Rational(1, 2) * 10)) == 0
    # and the exact solution satisfies it (Silver: v(Class3) = 96/13)
    assert got.subs({c1: Rational(-17, 13), c2: Rational(35, 13),
                     c3: Rational(96, 13)}) == Rational(96, 13)


def test_equations_json_keeps_a_symbolic_discount(capsys):
    assert main(["equations", MRP, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "gamma" in data["equations"]["v"][0]["rhs"] and "q" not in data["equations"]


# -- latex -o, optimal in CLI words ------------------------------------------------------------
def test_latex_output_says_what_it_wrote(capsys, tmp_path):
    out = tmp_path / "student.tex"
    assert main(["latex", STUDENT, "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert "\\begin{align*}" in out.read_text()


def test_optimal_with_free_symbols_says_dash_dash_at(capsys):
    assert main(["optimal", SYMBOLIC]) == 2
    err = capsys.readouterr().err
    assert "--at p=1/2" in err and "at={" not in err and "optimal_pieces" not in err


def test_optimal_one_iteration_is_singular(capsys, tmp_path):
    model = tmp_path / "one.yaml"
    model.write_text("states: [A]\ndiscount: 1/2\nactions: {A: [stay]}\n"
                     "transitions: {A: {stay: {to: A, r: 1}}}\n")
    assert main(["optimal", str(model)]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert "(1 exact policy iteration," in head


# -- import gymnasium:ID -----------------------------------------------------------------------
gym = pytest.importorskip("gymnasium")


def read_back(path: Path):
    data = parse_model_text(path.read_text(), path.suffix)
    layout = data.get("layout")
    # the model itself, whether or not this version reads 'layout' yet
    mdp, _ = read_model({k: v for k, v in data.items() if k != "layout"})
    return mdp, layout


@pytest.mark.parametrize("ending", [".yaml", ".json", ".toml"])
def test_import_frozen_lake_writes_the_model_and_its_grid(capsys, tmp_path, ending):
    out = tmp_path / f"lake{ending}"
    assert main(["import", "gymnasium:FrozenLake-v1", "is_slippery=false", "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out} (17 states")
    mdp, layout = read_back(out)
    expected = from_gymnasium(gym.make("FrozenLake-v1", is_slippery=False),
                              name="FrozenLake-v1 (is_slippery=False)")
    assert mdp == expected
    # FrozenLake's map is 4 x 4, numbered row by row (gymnasium's FrozenLake docs)
    assert layout == {"grid": [[f"s{4 * r + c}" for c in range(4)] for r in range(4)]}


def test_import_cliff_walking_has_a_4_by_12_grid(tmp_path, capsys):
    out = tmp_path / "cliff.yaml"
    assert main(["import", "gymnasium:CliffWalking-v1", "-o", str(out)]) == 0
    mdp, layout = read_back(out)
    assert len(layout["grid"]) == 4 and len(layout["grid"][0]) == 12
    assert layout["grid"][3][11] == "s47"


def test_import_taxi_places_states_by_the_taxi(tmp_path, capsys):
    taxi = next((i for i in ("Taxi-v4", "Taxi-v3") if i in gym.envs.registry), None)
    if taxi is None:
        pytest.skip("this gymnasium has no Taxi")
    out = tmp_path / "taxi.json"
    assert main(["import", f"gymnasium:{taxi}", "-o", str(out)]) == 0
    mdp, layout = read_back(out)
    assert len(mdp.states) == 501
    env = gym.make(taxi).unwrapped
    row, col, _, _ = env.decode(123)
    assert layout["positions"]["s123"] == [str(col), str(4 - row)]


@pytest.mark.parametrize("argv, words", [
    (["import", "gymnasium:FrozenLak-v1"], "did you mean 'FrozenLake-v1'"),
    (["import", "gymnasium:FrozenLake-v1", "slippery=1"], "refused the arguments"),
    (["import", "FrozenLake-v1"], "gymnasium:ENV_ID"),
    (["import", "gymnasium:FrozenLake-v1", "oops"], "NAME=VALUE"),
])
def test_import_errors_are_one_line(argv, words, capsys, tmp_path):
    assert main([*argv, "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


# -- export --to prism --------------------------------------------------------------------------
def test_export_prints_the_program_and_the_property(capsys):
    assert main(["export", MRP, "--to", "prism", "--at", "gamma=9/10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("// Student MRP") and "dtmc" in out
    assert "const double gamma = 9/10;" in out
    assert 'R{"reward"}=? [ F "done" ]' in out


def test_export_writes_model_and_properties(capsys, tmp_path):
    target = tmp_path / "student.pm"
    assert main(["export", STUDENT, "--what", "mdp", "--gamma", "parameter",
                 "-o", str(target)]) == 0
    assert capsys.readouterr().out.split() == ["wrote", str(target), "wrote",
                                               str(target.with_suffix(".props"))]
    assert "const double gamma;" in target.read_text()
    assert "max=?" in target.with_suffix(".props").read_text()


def test_a_missing_tex_engine_suggests_tex_or_markdown(capsys, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from symbellman.render import tex

    monkeypatch.setattr(tex.shutil, "which", lambda name: None)
    target = tmp_path / "student.pdf"
    assert main(["handout", STUDENT, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    stem = str(tmp_path / "student")
    assert f"-o {stem}.tex or -o {stem}.md" in err and err.count("\n") == 1
