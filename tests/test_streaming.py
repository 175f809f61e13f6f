"""`solve`, `optimal` and `optimal --over` with --json write their object piece by piece;
the text must be byte for byte what json.dumps(..., indent=2) of the whole object gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symbellman import load_model, solve_q, solve_v
from symbellman.batch import solution_data
from symbellman.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("name", ["student_mdp", "student_mrp", "gridworld_4x4",
                                  "two_state_symbolic", "recycling_robot",
                                  "exercise_3_22"])
def test_solve_json_is_the_whole_object(name, capsys):
    path = EXAMPLES / f"{name}.yaml"
    assert main(["solve", str(path), "--json"]) == 0
    written = capsys.readouterr().out
    mdp, policy = load_model(path)
    v = solve_v(mdp, policy)
    q = None if mdp.is_mrp else solve_q(mdp, policy, v=v)
    assert written == json.dumps(solution_data(mdp, v, q), indent=2) + "\n"


def test_optimal_json_is_the_whole_object(capsys):
    from symbellman.optimal import optimal

    path = EXAMPLES / "student_mdp.yaml"
    assert main(["optimal", str(path), "--json"]) == 0
    written = capsys.readouterr().out
    mdp, _ = load_model(path)
    best = optimal(mdp)
    expected = {"model": mdp.name, "discount": str(mdp.discount),
                "v_star": {k: best.v_star.text(k) for k in best.v_star.keys()},
                "q_star": {s: {a: best.q_star.text((s, a)) for a in mdp.actions(s)}
                           for s in mdp.nonterminal},
                "policy": {s: list(a) for s, a in best.policy.items()}}
    assert written == json.dumps(expected, indent=2) + "\n"


def test_pieces_json_is_valid_and_complete(capsys):
    path = EXAMPLES / "exercise_3_22.yaml"
    assert main(["optimal", str(path), "--over", "gamma", "--json"]) == 0
    written = capsys.readouterr().out
    data = json.loads(written)
    # re-dumped, the parsed object gives the same bytes: nothing was written differently
    assert written == json.dumps(data, indent=2) + "\n"
    assert data["pieces"] and all(set(p["v_star"]) for p in data["pieces"])


def test_write_json_nested_and_empty():
    import io

    from symbellman.cli.output import Lazy, write_json

    data = {"x": [], "y": {}, "z": [[1, 2], {"w": [None, True, 1.5, "é\n\"q\""]}],
            "n": None}
    out = io.StringIO()
    write_json(Lazy(list(data), data.get), out.write)
    assert out.getvalue() == json.dumps(data, indent=2)
    out = io.StringIO()
    write_json(Lazy([], data.get), out.write)
    assert out.getvalue() == "{}"


@pytest.mark.parametrize("backend", ["python", "flint"])
def test_text_from_dense_coefficients_equals_text_from_terms(backend):
    # ExactVector.text reads dense coefficients directly; the terms route is the reference
    from symbellman.model.examples import gridworld
    from symbellman.linalg.vector import DenseFractions, terms_text

    mdp = gridworld(4, 4)
    v = solve_v(mdp, backend=backend)
    q = solve_q(mdp, v=v, backend=backend)
    checked = 0
    for vector in (v._vector, q._vector):
        assert isinstance(vector._terms, DenseFractions)
        gens = [str(s) for s in vector.ring.symbols]
        for i in range(len(vector)):
            num, den = vector.terms(i)
            top, bottom = terms_text(num, gens), terms_text(den, gens)
            if bottom == "1":
                expected = top
            else:
                top = f"({top})" if len(num) > 1 else top
                bottom = f"({bottom})" if len(den) > 1 or "*" in bottom or "-" in bottom \
                    else bottom
                expected = f"{top}/{bottom}"
            assert vector.text(i) == expected
            checked += 1
    assert checked > 30


def test_safe_stream_still_escapes_control_characters():
    import io

    from symbellman.cli.output import SafeStream

    out = io.StringIO()
    SafeStream(out).write("ok\x1b[2J and \x7f")
    SafeStream(out).write("plain 123 + gamma**2")
    assert out.getvalue() == "ok\\x1b[2J and \\x7fplain 123 + gamma**2"
