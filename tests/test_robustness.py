"""Hostile inputs on every surface (issue 18): each gives exit status 2 with one located
line, or a correct answer, in bounded time and memory, and never a half-written file.

Zero divisors in disguise, batch JSON lines with a model that fails, output paths,
unbounded sizes (budgets before work), γ = 1 on a zero-reward cycle and long decimals.
Expected values come from Fraction arithmetic written here, never from the code tested.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from symbellman.cli import main
from symbellman.core.expressions import identically_zero

ROOT = Path(__file__).resolve().parent.parent
STUDENT = str(ROOT / "examples" / "student_mdp.yaml")
MRP = str(ROOT / "examples" / "student_mrp.yaml")
ZERO = "((x+1)**2 - x**2 - 2*x - 1)"  # 0 for every x, but not written as 0


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _one_line_error(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("symbellman: error: "), err
    assert "Traceback" not in err
    return err


# -- zero divisors in disguise ---------------------------------------------------------
MODELS = {
    "reward": f"""symbols: [x]
discount: 9/10
states: [A, End]
terminal: [End]
actions: {{A: [go]}}
transitions:
  A: {{go: [{{to: End, r: "1/{ZERO}"}}]}}
""",
    "probability": f"""symbols: [x]
discount: 9/10
states: [A, End]
terminal: [End]
actions: {{A: [go]}}
transitions:
  A: {{go: [{{to: End, p: "x/{ZERO}"}}, {{to: A, p: "1 - x/{ZERO}"}}]}}
""",
    "discount": f"""symbols: [x]
discount: "1/(1 + {ZERO} - 1)"
states: [A, End]
terminal: [End]
actions: {{A: [go]}}
transitions:
  A: {{go: {{to: End, r: 1}}}}
""",
    "policy weight": f"""symbols: [x]
discount: 9/10
states: [A, End]
terminal: [End]
actions: {{A: [go, stay]}}
transitions:
  A: {{go: {{to: End, r: 1}}, stay: {{to: A}}}}
policy: {{A: {{go: "x/{ZERO}", stay: "1 - x/{ZERO}"}}}}
""",
}
PLACES = {"reward": "transitions.A.go[0].r", "probability": "transitions.A.go[0].p",
          "discount": "discount", "policy weight": "policy.A.go"}
SURFACES = [["solve"], ["solve", "--json"], ["equations"], ["equations", "--json"],
            ["latex"], ["export"], ["optimal"]]


@pytest.mark.parametrize("where", sorted(MODELS))
@pytest.mark.parametrize("command", SURFACES, ids=" ".join)
def test_a_denominator_that_is_zero_in_disguise_is_a_located_error(where, command, tmp_path,
                                                                  capsys):
    path = _write(tmp_path, "zero.yaml", MODELS[where])
    status = main([command[0], path, *command[1:]])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""  # not 'zoo' with exit 0
    _one_line_error(err)
    assert f": {PLACES[where]}: this expression is 1/0: " in err
    assert "which is 0 for every value of x" in err


def test_the_handout_refuses_a_zero_in_disguise_and_writes_nothing(tmp_path, capsys):
    path = _write(tmp_path, "zero.yaml", MODELS["reward"])
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert main(["handout", path, "-o", str(out_dir / "h.md")]) == 2
    assert "this expression is 1/0" in _one_line_error(capsys.readouterr().err)
    assert list(out_dir.iterdir()) == []


def test_a_value_put_in_that_makes_a_denominator_zero_is_a_located_error(tmp_path, capsys):
    path = _write(tmp_path, "m.yaml", MODELS["reward"].replace(f"1/{ZERO}", "1/(x - 3)"))
    assert main(["solve", path, "--at", "x=3"]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "transitions.A.go[0].r: this expression is 1/0" in err
    # and a value that keeps it defined gives the exact answer: 1/(5 - 3) = 1/2
    assert main(["solve", path, "--at", "x=5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["v"]["A"] == "1/2"


def test_identically_zero_agrees_with_expansion_on_random_expressions():
    import random

    x, y = sympy.symbols("x y")
    draw = random.Random(18)
    atoms = [x, y, sympy.Integer(1), sympy.Integer(2), sympy.Rational(1, 3)]
    for _ in range(300):
        a, b, c = (draw.choice(atoms) for _ in range(3))
        e = (a + b) ** 2 - a**2 - 2 * a * b - b**2 + draw.choice([0, 0, c, c - a])
        expected = sympy.expand(e) == 0  # independent: full expansion
        assert identically_zero(e) == expected, e


def test_a_nonzero_denominator_with_a_root_at_a_sample_point_is_kept():
    # whatever points are tried, (x - k) is not identically zero
    x = sympy.Symbol("x")
    assert not identically_zero(sympy.Mul(*[x - k for k in range(-5, 6)], evaluate=False))


# -- long decimals -----------------------------------------------------------------------
def test_a_half_with_200000_trailing_zeros_is_one_half(tmp_path, capsys):
    text = "0.5" + "0" * 200_000
    path = _write(tmp_path, "d.yaml", "discount: 9/10\nstates: [A, End]\nterminal: [End]\n"
                                      f"transitions:\n  A: [{{to: End, r: \"{text}\"}}]\n")
    start = time.process_time()
    assert main(["solve", path, "--json"]) == 0
    assert time.process_time() - start < 10
    assert Fraction(json.loads(capsys.readouterr().out)["v"]["A"]) == Fraction(1, 2)


def test_a_long_decimal_refusal_names_the_limit_and_how_to_raise_it(tmp_path, capsys):
    path = _write(tmp_path, "d.yaml", "discount: 9/10\nstates: [A, End]\nterminal: [End]\n"
                                      "transitions:\n  A: [{to: End, r: \"0.5"
                                      + "0" * 200_000 + "7\"}]\n")
    assert main(["solve", path]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "the limit is 10000" in err and "SYMBELLMAN_MAX_DIGITS" in err


# -- γ = 1 on a zero-reward cycle ------------------------------------------------------
def _fraction_solve(rows, rewards, gamma):
    """Gauss-Jordan on (I - γP)v = r in Fractions: the independent reference."""
    n = len(rows)
    a = [[Fraction(int(i == j)) - gamma * rows[i].get(j, 0) for j in range(n)] + [rewards[i]]
         for i in range(n)]
    for c in range(n):
        p = next(r for r in range(c, n) if a[r][c] != 0)
        a[c], a[p] = a[p], a[c]
        a[c] = [x / a[c][c] for x in a[c]]
        for r in range(n):
            if r != c and a[r][c] != 0:
                a[r] = [x - a[r][c] * y for x, y in zip(a[r], a[c])]
    return [a[i][n] for i in range(n)]


ZERO_CYCLE = """discount: 1
states: [A, B, C, End]
terminal: [End]
transitions:
  A: [{to: B, p: 1/3, r: 3}, {to: C, p: 1/3, r: -1}, {to: End, p: 1/3, r: 6}]
  B: [{to: C, p: 1/2, r: 2}, {to: B, p: 1/2, r: 0}]
  C: [{to: C, r: 0}]
"""


def test_at_discount_1_a_zero_reward_cycle_is_worth_its_partial_sums_limit(tmp_path, capsys):
    # docs/model-files.md: a state that can only stay in a cycle earning nothing is worth
    # 0; the others the limit of their partial sums. The Abel limit (γ → 1) of the
    # discounted values equals that limit when it exists: check both against Fractions.
    path = _write(tmp_path, "cycle.yaml", ZERO_CYCLE)
    assert main(["solve", path, "--json"]) == 0
    v = {s: Fraction(x) for s, x in json.loads(capsys.readouterr().out)["v"].items()}
    # by hand: C = 0; B = 1/2(2 + C) + 1/2 B => B = 2; A = 1/3(3 + B) + 1/3(-1) + 1/3(6)
    assert v == {"A": Fraction(3 + 2 - 1 + 6, 3), "B": 2, "C": 0, "End": 0}
    rows = [{1: Fraction(1, 3), 2: Fraction(1, 3)}, {2: Fraction(1, 2), 1: Fraction(1, 2)},
            {2: Fraction(1)}]
    rewards = [Fraction(3 + -1 + 6, 3), Fraction(1), Fraction(0)]
    for k in (6, 9):
        near = _fraction_solve(rows, rewards, 1 - Fraction(1, 10**k))
        assert all(abs(near[i] - v[s]) < Fraction(1, 10**(k - 3)) for i, s in
                   enumerate("ABC"))


def test_at_discount_1_a_cycle_that_earns_has_no_value(tmp_path, capsys):
    path = _write(tmp_path, "earn.yaml", ZERO_CYCLE.replace(
        "C: [{to: C, r: 0}]", "C: [{to: C, r: 1}]\n  D: [{to: End, r: 4}]").replace(
        "[A, B, C, End]", "[A, B, C, D, End]"))
    assert main(["solve", path, "--json"]) == 0
    out, err = capsys.readouterr()
    v = json.loads(out)["v"]
    assert (v["C"], v["D"]) == ("nan", "4")
    assert main(["solve", path]) == 0
    assert "no value (nan) for A, B, C" in capsys.readouterr().err
    only = _write(tmp_path, "only.yaml", "discount: 1\nstates: [C]\n"
                                         "transitions:\n  C: [{to: C, r: 1}]\n")
    assert main(["solve", only]) == 2
    assert "at discount 1" in _one_line_error(capsys.readouterr().err)


# -- output paths ------------------------------------------------------------------------
OUTPUTS = [["latex", STUDENT, "-o"], ["export", STUDENT, "-o"],
           ["handout", STUDENT, "-o"], ["import", "gymnasium:FrozenLake-v1", "-o"]]
ENDINGS = {"latex": ".tex", "export": ".pm", "handout": ".md", "import": ".yaml"}


@pytest.mark.parametrize("command", OUTPUTS, ids=lambda c: c[0])
@pytest.mark.parametrize("case", ["missing folder", "folder as the file", "file as folder"])
def test_a_bad_output_path_is_refused_before_any_work(command, case, tmp_path, capsys):
    (tmp_path / "dir").mkdir()
    (tmp_path / "plain").write_text("x")
    target = {"missing folder": tmp_path / "no" / f"out{ENDINGS[command[0]]}",
              "folder as the file": tmp_path / "dir",
              "file as folder": tmp_path / "plain" / f"out{ENDINGS[command[0]]}"}[case]
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert main([*command, str(target)]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert {"missing folder": "does not exist", "folder as the file": "is a folder",
            "file as folder": "is not a folder"}[case] in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_handout_side_file_that_is_a_folder_leaves_nothing(tmp_path, capsys):
    (tmp_path / "h-closed-forms.json").mkdir()
    assert main(["handout", STUDENT, "-o", str(tmp_path / "h.md")]) == 2
    assert "h-closed-forms.json: is a folder" in _one_line_error(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h-closed-forms.json"]


def test_a_failed_pdf_leaves_no_closed_forms_json(tmp_path, capsys, monkeypatch):
    from symbellman.render import tex
    from symbellman.render.tex import TexError

    def fail(*args, **kwargs):
        raise TexError("pdflatex failed: ! Undefined control sequence.")
    monkeypatch.setattr(tex, "compile_pdf", fail)
    assert main(["handout", STUDENT, "-o", str(tmp_path / "h.pdf")]) == 2
    assert "Undefined control sequence" in _one_line_error(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []  # no h-closed-forms.json, no temporaries


def test_a_failed_export_leaves_no_pm(tmp_path, capsys):
    (tmp_path / "m.props").mkdir()  # the second file cannot be written
    assert main(["export", STUDENT, "-o", str(tmp_path / "m.pm")]) == 2
    assert "m.props: is a folder" in _one_line_error(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.props"]


def test_a_run_stopped_while_writing_leaves_the_old_file_whole(tmp_path, capsys, monkeypatch):
    import symbellman.io.files as files

    target = tmp_path / "out.tex"
    target.write_text("the old text\n")

    def stopped(src, dst):  # SIGTERM arrives just as the new text would be renamed in
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("SIGTERM did not stop the run")
    monkeypatch.setattr(files.os, "replace", stopped)
    assert main(["latex", STUDENT, "-o", str(target)]) == 143
    assert "terminated" in capsys.readouterr().err
    assert target.read_text() == "the old text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tex"]  # the temporary is gone


def test_outputs_are_complete_and_keep_the_old_files_mode(tmp_path, capsys):
    target = tmp_path / "out.tex"
    target.write_text("old")
    target.chmod(0o640)
    assert main(["latex", STUDENT]) == 0
    printed = capsys.readouterr().out
    assert main(["latex", STUDENT, "-o", str(target)]) == 0
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_text() == printed
    assert [p.name for p in tmp_path.iterdir()] == ["out.tex"]


# -- batch JSON lines --------------------------------------------------------------------
def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.strip().splitlines()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_model_that_crashes_gets_its_own_line_and_the_others_are_kept(jobs, tmp_path,
                                                                       capsys, monkeypatch):
    import symbellman.solve.evaluate as evaluate

    crash = _write(tmp_path, "crash.yaml", Path(MRP).read_text().replace(
        "name: Student MRP", "name: Crash"))
    bad = _write(tmp_path, "bad.yaml", MODELS["reward"])
    real = evaluate.solve_v

    def solve_v(mdp, policy=None, **kw):  # a bug in the engine, on one model only
        if mdp.name == "Crash":
            raise ValueError("expected an expression convertible to a polynomial")
        return real(mdp, policy, **kw)
    monkeypatch.setattr(evaluate, "solve_v", solve_v)
    status = main(["solve", STUDENT, crash, bad, MRP, "--json", "--jobs", jobs,
                   "--at", "gamma=1/2"])
    out, err = capsys.readouterr()
    lines = _lines(out)
    assert status == 2 and "2 of 4 models failed" in err
    assert [x["source"] for x in lines] == [STUDENT, crash, bad, MRP]
    assert lines[1]["error"].startswith("internal error (ValueError): expected an expr")
    assert "this expression is 1/0" in lines[2]["error"]
    # Silver's Student MRP at γ = 1/2 (its v(Class1) by Fractions here)
    rows = {"C1": {"C2": Fraction(1, 2), "FB": Fraction(1, 2)},
            "C2": {"C3": Fraction(4, 5), "Sleep": Fraction(1, 5)},
            "C3": {"Pass": Fraction(3, 5), "Pub": Fraction(2, 5)},
            "Pass": {"Sleep": Fraction(1)},
            "Pub": {"C1": Fraction(1, 5), "C2": Fraction(2, 5), "C3": Fraction(2, 5)},
            "FB": {"C1": Fraction(1, 10), "FB": Fraction(9, 10)}}
    names = list(rows)
    r = [Fraction(-2), Fraction(-2), Fraction(-2), Fraction(10), Fraction(1), Fraction(-1)]
    v = _fraction_solve([{names.index(t): p for t, p in rows[s].items() if t != "Sleep"}
                         for s in names], r, Fraction(1, 2))
    assert Fraction(lines[3]["v"]["Class1"]) == v[0]
    assert lines[0]["model"] == "Student MDP" and "q" in lines[0]


def test_a_worker_that_dies_is_reported_alone(tmp_path, capsys, monkeypatch):
    import symbellman.solve.evaluate as evaluate

    dies = _write(tmp_path, "dies.yaml", Path(MRP).read_text().replace(
        "name: Student MRP", "name: Dies"))
    real = evaluate.solve_v

    def solve_v(mdp, policy=None, **kw):
        if mdp.name == "Dies":
            os._exit(134)  # as an abort() in native code would
        return real(mdp, policy, **kw)
    monkeypatch.setattr(evaluate, "solve_v", solve_v)
    status = main(["solve", STUDENT, dies, MRP, STUDENT, "--json", "--jobs", "2"])
    lines = _lines(capsys.readouterr().out)
    assert status == 2
    assert [x.get("error", "")[:30] for x in lines] == [
        "", "the process solving this model", "", ""]
    assert lines[0] == lines[3] and lines[2]["model"] == "Student MRP"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_at_the_time_limit_the_finished_lines_are_kept(jobs, tmp_path, capsys, monkeypatch):
    import symbellman.solve.evaluate as evaluate

    slow = _write(tmp_path, "slow.yaml", Path(MRP).read_text().replace(
        "name: Student MRP", "name: Slow"))
    real = evaluate.solve_v

    def solve_v(mdp, policy=None, **kw):
        if mdp.name == "Slow":
            time.sleep(60)
        return real(mdp, policy, **kw)
    monkeypatch.setattr(evaluate, "solve_v", solve_v)
    start = time.monotonic()
    status = main(["solve", STUDENT, MRP, slow, STUDENT, "--json", "--jobs", jobs,
                   "--timeout", "4"])
    out, err = capsys.readouterr()
    assert time.monotonic() - start < 30
    lines = _lines(out)
    assert status == 2 and "stopped after the time limit of 4 s" in err
    assert [x["source"] for x in lines] == [STUDENT, MRP, slow, STUDENT]
    assert lines[0]["v"]["Facebook"] == "-30/13"  # Silver, Lecture 2, at γ = 1
    assert lines[2]["error"].startswith("stopped after the time limit")


def test_several_models_as_text_report_a_failure_and_go_on(tmp_path, capsys):
    bad = _write(tmp_path, "bad.yaml", MODELS["probability"])
    assert main(["solve", bad, MRP, "--at", "gamma=1"]) == 2
    out, err = capsys.readouterr()
    assert "this expression is 1/0" in _one_line_error(err)
    assert "Student MRP: v_pi" in out


# -- unbounded sizes: budgets before work ------------------------------------------------
def _ring(n: int, discount: str) -> str:
    states = ", ".join(f"s{i}" for i in range(n))
    rows = "\n".join(f"  s{i}: [{{to: s{(i + 1) % n}, p: 1/3, r: 1}}, {{to: s{i}, p: 2/3}}]"
                     for i in range(n))
    return f"discount: {discount}\nstates: [{states}]\ntransitions:\n{rows}\n"


def test_5000_states_with_a_symbolic_discount_are_refused_at_once(tmp_path, capsys):
    path = _write(tmp_path, "ring.yaml", _ring(5000, "gamma"))
    start = time.process_time()
    assert main(["solve", path, "--json"]) == 2
    assert time.process_time() - start < 30
    err = _one_line_error(capsys.readouterr().err)
    # 5,000 closed forms of degree 5,000, each coefficient growing by log10(3)/5 digits
    # per degree: 5000 · 2·5001 · (5000·0.477/5 + 4) bytes ≈ 24 GB
    assert re.search(r"5,000 states would be about 2[34] GB of text", err), err
    assert "--at gamma=9/10" in err and "SYMBELLMAN_MAX_OUTPUT_MB" in err


def test_a_long_numeric_solve_runs_only_under_a_timeout(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SYMBELLMAN_MAX_WORK_SECONDS", "1e-12")
    assert main(["solve", STUDENT, "--json"]) == 2
    err = _one_line_error(capsys.readouterr().err)
    assert "give --timeout SECONDS to run it anyway" in err
    assert main(["solve", STUDENT, "--json", "--timeout", "60"]) == 0
    assert json.loads(capsys.readouterr().out)["v"]["Facebook"] == "-30/13"


def test_the_output_budget_counts_what_is_asked_for(tmp_path, capsys, monkeypatch):
    # 200 states: v alone about 200·2·201·(200·0.477/5 + 4) = 1.9 MB, q as much again
    path = _write(tmp_path, "ring.yaml", _ring(200, "gamma").replace(
        "transitions:", "actions: {" + ", ".join(f"s{i}: [go]" for i in range(200))
        + "}\ntransitions:").replace(": [{to", ": {go: [{to").replace("}]\n", "}]}\n"))
    monkeypatch.setenv("SYMBELLMAN_MAX_OUTPUT_MB", "3")
    assert main(["solve", path, "--json"]) == 2
    assert "(--what v)" in _one_line_error(capsys.readouterr().err)
    monkeypatch.setenv("SYMBELLMAN_MAX_OUTPUT_MB", "1")
    assert main(["solve", path, "--json", "--what", "v"]) == 2
    capsys.readouterr()


@pytest.mark.parametrize("what,keys", [("v", {"v"}), ("q", {"q"}), ("v,q", {"v", "q"})])
def test_what_chooses_what_is_computed_and_written(what, keys, capsys):
    assert main(["solve", STUDENT, "--json", "--what", what]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) - {"model", "discount"} == keys
    if "q" in keys:  # q(Class3, pub) = 1 + 0.2·(−17/13) + 0.4·35/13 + 0.4·96/13
        assert Fraction(data["q"]["Class3"]["pub"]) == 1 + Fraction(
            2 * -17 + 4 * 35 + 4 * 96, 130)


@pytest.mark.parametrize("argv,message", [
    (["solve", STUDENT, "--digits", "1000000"], "at most 1000 digits"),
    (["solve", STUDENT, "--what", "everything"], "expected v, q or v,q"),
    (["handout", str(ROOT / "examples" / "recycling_robot_variants.yaml"), "-o", "x.md",
      "--variants", "1000000"], "at most 1000 variants"),
])
def test_sizes_on_the_command_line_are_capped_in_one_line(argv, message, tmp_path, capsys,
                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    start = time.process_time()
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own mistakes
        status = exc.code
    assert status == 2 and time.process_time() - start < 10
    assert message in capsys.readouterr().err.strip().splitlines()[-1]
    assert list(tmp_path.iterdir()) == []


def test_many_terminal_states_and_actions_are_read_in_linear_time(tmp_path, capsys):
    n = 60_000  # a quadratic check of each against a tuple took minutes at 150,000
    terminals = ", ".join(f"t{i}" for i in range(n))
    path = _write(tmp_path, "t.yaml", f"discount: 9/10\nstates: [a, {terminals}]\n"
                                      f"terminal: [{terminals}]\ntransitions:\n"
                                      "  a: [{to: t7, r: 5}]\n")
    actions = ", ".join(f"x{i}" for i in range(n))
    outcomes = "\n".join(f"    x{i}: {{to: end, r: {i % 7}}}" for i in range(n))
    acts = _write(tmp_path, "a.yaml", f"discount: 9/10\nstates: [a, end]\nterminal: [end]\n"
                                      f"actions: {{a: [{actions}]}}\ntransitions:\n  a:\n"
                                      f"{outcomes}\n")
    start = time.process_time()
    assert main(["solve", path, "--json", "--what", "v"]) == 0
    assert json.loads(capsys.readouterr().out)["v"]["a"] == "5"
    assert main(["solve", acts, "--json", "--what", "v"]) == 0
    # uniform over 60,000 actions paying i mod 7: the mean of 0..6 repeated, exactly
    mean = Fraction(sum(i % 7 for i in range(n)), n)
    assert Fraction(json.loads(capsys.readouterr().out)["v"]["a"]) == mean
    assert time.process_time() - start < 60


TEN_RANGES = "symbols: [{names}]\ndiscount: 9/10\nstates: [a, b]\nterminal: [b]\n" \
             "transitions:\n  a: [{{to: b, r: {total}}}]\nvary: {{{ranges}}}\n"


def _ten_ranges(folder: Path) -> str:
    names = [f"p{i}" for i in range(10)]
    return _write(folder, "vary.yaml", TEN_RANGES.format(
        names=", ".join(names), total=" + ".join(names),
        ranges=", ".join(f"{n}: {{from: 1, to: 999999}}" for n in names)))


def _limits():  # the child's own bounds: 1 GB of address space and 30 CPU seconds
    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
    resource.setrlimit(resource.RLIMIT_CPU, (30, 30))


def _script(argv, cwd) -> subprocess.CompletedProcess:
    script = shutil.which("symbellman")
    command = [script] if script else [sys.executable, "-m", "symbellman"]
    return subprocess.run(command + argv, cwd=cwd, capture_output=True, text=True,
                          preexec_fn=_limits, timeout=120)


def test_the_installed_script_within_1gb_and_30s(tmp_path):
    vary = _ten_ranges(tmp_path)
    run = _script(["solve", vary, "--json"], tmp_path)  # took 1.2 GB before
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["v"]["a"] == " + ".join(f"p{i}" for i in range(10))
    run = _script(["handout", vary, "-o", "page.html"], tmp_path)  # a slider per range
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "page.html").stat().st_size < 5_000_000
    ring = _write(tmp_path, "ring.yaml", _ring(5000, "gamma"))
    run = _script(["solve", ring, "--json"], tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "over the budget" in run.stderr
    run = _script(["solve", str(ROOT / "examples" / "student_mdp.yaml"), "--digits",
                   "1000000"], tmp_path)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_a_killed_latex_run_leaves_no_empty_file(tmp_path, capsys):
    # SIGTERM part-way: the target is either absent or complete, never 0 bytes
    script = shutil.which("symbellman")
    command = [script] if script else [sys.executable, "-m", "symbellman"]
    big = _write(tmp_path, "ring.yaml", _ring(60, "gamma"))
    assert main(["latex", big]) == 0
    printed = capsys.readouterr().out
    child = subprocess.Popen(command + ["latex", big, "-o", "out.tex"], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(2.5)
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=60)
    child.stderr.close()
    names = [p.name for p in tmp_path.iterdir()]
    assert not [n for n in names if n.endswith(".tmp")]
    if "out.tex" in names:
        assert (tmp_path / "out.tex").read_text() == printed


# -- the documented limits are the code's ------------------------------------------------
def _table(text: str) -> dict[str, str]:
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and not set(cells[1]) <= set("- "):
            rows[cells[0]] = cells[1]
    return rows


@pytest.mark.parametrize("doc", ["README.md", "docs/model-files.md"])
def test_the_documented_limits_equal_the_codes(doc):
    from symbellman.core.limits import MAX_RANGE_VALUES, MAX_SHOWN_DIGITS, MAX_VARIANTS, Limits

    rows = _table((ROOT / doc).read_text(encoding="utf-8"))
    number = lambda text: float(re.match(r"[\d,.]+", text).group().replace(",", ""))  # noqa
    limits = Limits()
    expected = {
        "model or policy file size (regular files only)": limits.file_bytes,
        "numbers, names and operators in one expression": limits.tokens,
        "total degree of an expression in its symbols": limits.degree,
        "declared parameters (`symbols`)": limits.symbols,
        "values of one `vary` range `{from, to}`": MAX_RANGE_VALUES,
        "`solve`: estimated text of the results, before solving": limits.output_mb,
        "`solve`: estimated seconds of an exact solve at a numeric discount":
            limits.work_seconds,
        "significant digits of `--digits`": MAX_SHOWN_DIGITS,
        "sheets of `handout --variants`": MAX_VARIANTS,
    }
    for name, value in expected.items():
        assert number(rows[name]) == value, name
    digits = next(v for k, v in rows.items() if k.startswith("digits of any exact number"))
    assert number(digits) == limits.digits


@pytest.mark.parametrize("command", [["optimal"], ["latex"], ["solve", "--what", "v"]],
                         ids=" ".join)
def test_every_solving_command_checks_the_budget_first(command, tmp_path, capsys):
    path = _write(tmp_path, "ring.yaml", _ring(3000, "gamma"))
    start = time.process_time()
    assert main([command[0], path, *command[1:]]) == 2
    assert time.process_time() - start < 30
    err = _one_line_error(capsys.readouterr().err)
    assert "3,000 states would be about" in err and "over the budget of 2,048 MB" in err
    assert "--what v" not in err  # v alone is asked for already, or there is no --what


@pytest.mark.parametrize("ending", [".md", ".html"])
def test_a_handout_of_thousands_of_states_is_refused_before_work(ending, tmp_path, capsys):
    # a handout always has the closed forms in γ, even of a model with a numeric discount
    path = _write(tmp_path, "ring.yaml", _ring(3000, "9/10"))
    start = time.process_time()
    assert main(["handout", path, "-o", str(tmp_path / f"h{ending}")]) == 2
    assert time.process_time() - start < 30
    err = _one_line_error(capsys.readouterr().err)
    assert "closed forms in gamma of 3,000 states" in err
    assert "solve --at gamma=9/10" in err and "(--at gamma=9/10)" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ring.yaml"]


def test_solve_many_on_a_users_pool_returns_a_dead_worker_as_data(tmp_path, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    import symbellman.solve.evaluate as evaluate
    from symbellman.batch import DIED, solve_many

    dies = _write(tmp_path, "dies.yaml", Path(MRP).read_text().replace(
        "name: Student MRP", "name: Dies"))
    real = evaluate.solve_v

    def solve_v(mdp, policy=None, **kw):
        if mdp.name == "Dies":
            os._exit(134)
        return real(mdp, policy, **kw)
    monkeypatch.setattr(evaluate, "solve_v", solve_v)
    with ProcessPoolExecutor(1) as pool:
        results = solve_many([dies], pool, errors="return")
    assert results == [{"source": dies, "error": DIED}]
    with ProcessPoolExecutor(1) as pool, pytest.raises(Exception):
        solve_many([dies], pool)  # errors="raise": the pool's own exception
