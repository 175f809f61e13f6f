"""The command line: main(argv) in process, plus one run of the installed script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy
from sympy import Rational

from symbellman.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STUDENT = str(EXAMPLES / "student_mdp.yaml")


def test_solve_prints_exact_and_decimal_values(capsys):
    assert main(["solve", STUDENT]) == 0
    out = capsys.readouterr().out
    # David Silver, Lecture 2: uniform policy, γ = 1 → −2.3, −1.3, 2.7, 7.4
    for exact, decimal in [("-30/13", "-2.307692"), ("-17/13", "-1.307692"),
                           ("35/13", "2.692308"), ("96/13", "7.384615")]:
        assert exact in out and decimal in out


def test_solve_json_follows_the_spec(capsys):
    assert main(["solve", STUDENT, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "Student MDP"
    assert data["discount"] == "1"
    assert sympy.sympify(data["v"]["Facebook"]) == Rational(-30, 13)
    assert sympy.sympify(data["v"]["Sleep"]) == 0
    # q(Class3, pub) = 1 + 0.2·(−17/13) + 0.4·35/13 + 0.4·96/13
    assert sympy.sympify(data["q"]["Class3"]["pub"]) == Rational(62, 13)
    assert set(data["q"]["Class3"]) == {"pub", "study"}


def test_solve_at_substitutes_parameters(capsys):
    robot = str(EXAMPLES / "recycling_robot.yaml")
    assert main(["solve", robot, "--json", "--at", "alpha=0.9", "--at", "beta=0.5",
                 "--at", "r_search=2", "--at", "r_wait=1", "--at", "gamma=9/10"]) == 0
    data = json.loads(capsys.readouterr().out)
    values = {s: sympy.sympify(x) for s, x in data["v"].items()}
    assert all(v.is_Rational for v in values.values())


def test_solve_mrp_json_has_no_q(capsys):
    assert main(["solve", str(EXAMPLES / "student_mrp.yaml"), "--json",
                 "--at", "gamma=1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "q" not in data
    # David Silver, Lecture 2: v(Pass) = 10 at γ = 1
    assert sympy.sympify(data["v"]["Pass"]) == 10


def test_at_replaces_a_numeric_discount(capsys):
    assert main(["solve", STUDENT, "--json", "--at", "gamma=0"]) == 0
    data = json.loads(capsys.readouterr().out)
    # at γ = 0 a value is the expected immediate reward: (−1 + 0)/2 for Facebook
    assert sympy.sympify(data["v"]["Facebook"]) == Rational(-1, 2)


@pytest.mark.parametrize("text, message", [
    ("states: [A]\ntransitions: {A: [{to: B}]}\n", "unknown state 'B'"),
    ("states: [A, B]\nterminal: [B]\ntransitions:\n  A:\n    - {to: A, p: 0.333}\n"
     "    - {to: B, p: 0.666}\n", "999/1000"),
    ("states: [A, B]\nterminal: [B]\ntransitions:\n  A: [{to: B, p: \"__import__('os')\"}]\n",
     "transitions.A"),
    ("states: [A\n", "bad.yaml"),
])
def test_bad_model_file_is_one_line_and_status_2(tmp_path, capsys, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    assert main(["solve", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symbellman: error: ")
    assert message in lines[0] and "bad.yaml" in lines[0]


def test_file_containing_code_does_not_run_it(tmp_path, capsys):
    marker = tmp_path / "MARKER"
    path = tmp_path / "evil.yaml"
    path.write_text("states: [A, B]\nterminal: [B]\ntransitions:\n  A: [{to: B, p: "
                    f"\"__import__('os').system('touch {marker}')\"}}]\n")
    assert main(["solve", str(path)]) == 2
    assert not marker.exists()


def test_missing_file_and_bad_at(capsys):
    assert main(["solve", "no-such-file.yaml"]) == 2
    assert "no-such-file.yaml" in capsys.readouterr().err
    assert main(["solve", STUDENT, "--at", "gamma"]) == 2
    assert "name=value" in capsys.readouterr().err
    assert main(["solve", STUDENT, "--at", "alpah=1"]) == 2
    assert "alpah" in capsys.readouterr().err


def test_gamma_one_on_a_never_ending_policy(tmp_path, capsys):
    path = tmp_path / "loop.yaml"
    path.write_text("states: [A, B, End]\nterminal: [End]\ndiscount: 1\n"
                    "transitions:\n  A: [{to: B, r: 1}]\n  B: [{to: A, r: 1}]\n")
    assert main(["solve", str(path)]) == 2
    err = capsys.readouterr().err
    assert "A, B" in err and "never" in err


def test_equations_plain_text(capsys):
    assert main(["equations", STUDENT]) == 0
    out = capsys.readouterr().out
    assert "v_pi(Class3)" in out and "q_pi(Class3, pub)" in out


def test_installed_script_runs():
    exe = shutil.which("symbellman")
    cmd = [exe] if exe else [sys.executable, "-m", "symbellman"]
    done = subprocess.run([*cmd, "solve", STUDENT, "--json"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["v"]["Class3"] == "96/13"
    bad = subprocess.run([*cmd, "solve", "missing.yaml"], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_progress_shows_only_on_a_terminal_and_after_the_delay():
    import io

    from symbellman.model.examples import gridworld
    from symbellman.solve.evaluate import solve_v
    from symbellman.progress import progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    tty, pipe = Terminal(), io.StringIO()
    with progress("solve", stream=tty, delay=0.0):
        solve_v(gridworld(4, 4))
    with progress("solve", stream=pipe, delay=0.0):
        solve_v(gridworld(4, 4))
    assert "symbellman solve: numerators" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_docs_cli_reference_is_up_to_date():
    from symbellman.cli import reference

    path = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
    assert path.read_text() == reference(), "run: python -m symbellman.cli > docs/cli.md"


# -- issue 9: findings of the bad-input corpus, each reproduced first -------------------
def _write(tmp_path, text, name="m.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("command", ["solve", "optimal"])
def test_decimal_column_keeps_the_exponent(tmp_path, capsys, command):
    # 10**30 - 1 = 9.99...e29, which rounds to 1e+30 at 7 digits (it printed as "e+3")
    assert main([command, _as_mdp(tmp_path, "10**30 - 1")]) == 0
    out = capsys.readouterr().out
    assert "1e+30" in out and "e+3 " not in out.replace("\n", " ")


def _as_mdp(tmp_path, reward):
    return _write(tmp_path, f"""discount: 1
states: [A, End]
terminal: [End]
actions: {{A: [go]}}
transitions:
  A: {{go: {{to: End, r: "{reward}"}}}}
""", "mdp.yaml")


@pytest.mark.parametrize("command", ["solve", "optimal", "equations", "latex"])
def test_values_over_4300_digits_are_printed_in_full(tmp_path, capsys, command):
    reward = "(1e1000)**5 - 1"  # 5,000 nines: past Python's int-to-text limit
    path = _as_mdp(tmp_path, reward)
    assert main([command, path]) == 0
    out = capsys.readouterr().out
    assert "9" * 5000 in out
    if hasattr(sys, "get_int_max_str_digits"):
        with pytest.raises(ValueError):  # main() restored Python's guard
            str(10**5000)


def test_values_over_4300_digits_in_json(tmp_path, capsys):
    assert main(["solve", _as_mdp(tmp_path, "(1e1000)**5 - 1"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["v"]["A"] == "9" * 5000


def test_control_characters_in_names_print_escaped(tmp_path, capsys):
    path = _write(tmp_path, 'discount: 1\nstates: ["A\\e[2J", "B\\x9b1m", End]\n'
                  'terminal: [End]\ntransitions:\n  "A\\e[2J": {to: End, r: 1}\n'
                  '  "B\\x9b1m": {to: End, r: 2}\n')
    for command in ("solve", "equations", "latex"):
        assert main([command, path]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x9b" not in out  # nothing reaches the terminal raw
        assert "\\x1b[2J" in out and "\\x9b1m" in out


@pytest.mark.parametrize("command", ["solve", "handout"])
def test_a_lone_surrogate_in_a_name_is_refused_not_a_crash(tmp_path, capsys, command):
    # "\ud800" is not a character: no file, PDF or terminal can hold it
    path = _write(tmp_path, '{"discount": "1/2", "states": ["\\ud800A", "End"], '
                  '"terminal": ["End"], "transitions": {"\\ud800A": {"to": "End"}}}',
                  "m.json")
    args = [command, path] + (["-o", str(tmp_path / "h.md")] if command == "handout" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == (f"symbellman: error: {path}: states[0]: the text '\\ud800A' holds a lone "
                   "surrogate U+D800, which is not a character (write the character itself, "
                   "or a complete surrogate pair)\n")


@pytest.mark.parametrize("command", ["latex", "handout"])
def test_output_into_a_missing_folder_is_a_clear_error(tmp_path, capsys, command):
    target = tmp_path / "no" / "such" / "x.md"
    assert main([command, STUDENT, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err and "Traceback" not in err


def test_gamma_one_error_names_the_file(tmp_path, capsys):
    path = _write(tmp_path, "discount: 1\nstates: [A]\ntransitions:\n  A: {to: A, r: 1}\n")
    assert main(["solve", path]) == 2
    assert capsys.readouterr().err.startswith(f"symbellman: error: {path}: ")


def test_at_gamma_cannot_reach_a_parameter_named_gamma(tmp_path, capsys):
    # with a numeric discount, 'gamma' is not a name: a typo, never a hidden parameter
    path = _write(tmp_path, "discount: 9/10\nstates: [A, B]\nterminal: [B]\ntransitions:\n"
                            "  A: [{to: A, p: gamma}, {to: B, p: 1 - gamma, r: 1}]\n")
    assert main(["solve", path, "--at", "gamma=1/2"]) == 2
    assert "unknown name 'gamma'" in capsys.readouterr().err


def test_timeout_stops_the_run_with_a_message(tmp_path, capsys):
    # a 20x20 gridworld's optimal pieces take seconds; smaller grids got too fast to stop
    done = subprocess.run([sys.executable, str(EXAMPLES / "make_gridworlds.py"), "20", "20"],
                          capture_output=True, text=True, check=True)
    grid = tmp_path / "grid.yaml"
    grid.write_text(done.stdout)
    assert main(["optimal", str(grid), "--over", "gamma", "--timeout", "0.05"]) == 2
    err = capsys.readouterr().err
    assert "time limit of 0.05 s" in err and err.count("\n") == 1


def test_memory_ceiling_turns_into_a_message(tmp_path):
    # a subprocess: the ceiling applies to the whole process
    script = ("import sys; from symbellman.cli import main; "
              "from symbellman import cli; "
              "cli.cmd_solve = lambda args: len(bytearray(2 * 2**30)); "
              "sys.exit(main(['solve', sys.argv[1], '--max-memory', '600']))")
    done = subprocess.run([sys.executable, "-c", script, STUDENT], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("symbellman: error: out of memory") and \
        "--max-memory" in done.stderr and done.stderr.count("\n") == 1


def test_equations_leave_out_a_dense_matrix_of_thousands_of_states(tmp_path, capsys):
    from symbellman.cli import MATRIX_STATES

    n = MATRIX_STATES + 1
    states = [f"s{i}" for i in range(n)]
    lines = ["discount: 1/2", f"states: [{', '.join(states)}, End]", "terminal: [End]",
             "transitions:"]
    lines += [f"  s{i}: {{to: {states[i + 1] if i + 1 < n else 'End'}, r: 1}}" for i in range(n)]
    assert main(["equations", _write(tmp_path, "\n".join(lines) + "\n")]) == 0
    out = capsys.readouterr().out
    assert f"Matrix form: not shown for {n} states" in out
    assert out.count("\n") < 10 * n  # linear in the states, not n**2
    assert main(["equations", STUDENT]) == 0
    assert "Matrix form:" in capsys.readouterr().out  # small models keep it


@pytest.mark.slow
def test_a_run_stuck_in_native_code_is_stopped_by_the_watchdog(tmp_path):
    # python-flint holds the interpreter: the time limit's signal handler cannot run
    script = ("import sys, flint; from symbellman import cli; "
              "cli.cmd_solve = lambda args: int(flint.fmpz(3) ** (10**9) % 7); "
              "sys.exit(cli.main(['solve', sys.argv[1], '--timeout', '0.5']))")
    done = subprocess.run([sys.executable, "-c", script, STUDENT], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == -9  # killed after the grace period
    assert done.stderr == ("symbellman: error: stopped after the time limit of 0.5 s "
                           "(raise it with --timeout or SYMBELLMAN_TIMEOUT)\n")


def test_python_flint_running_out_of_memory_is_a_message_not_an_abort():
    # python-flint (GMP) aborts the process when an allocation fails: exit 134 and no
    # word, before the ceiling had a handler for it
    script = ("import sys, flint; from symbellman import cli; "
              "cli.cmd_solve = lambda args: int(flint.fmpz(3) ** (10**10) % 7); "
              "sys.exit(cli.main(['solve', sys.argv[1], '--max-memory', '500']))")
    done = subprocess.run([sys.executable, "-c", script, STUDENT], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "symbellman: error: out of memory: the run needed more than 500 MB (raise the "
        "ceiling with --max-memory MB or SYMBELLMAN_MAX_MEMORY_MB)")


# -- issue 12: decimals for people ------------------------------------------------------
def _rows(out: str, state: str) -> list[list[str]]:
    return [line.split() for line in out.splitlines() if line.split()[:1] == [state]]


@pytest.mark.parametrize("command", ["solve", "optimal"])
def test_digits_exact_and_decimal_choose_the_columns(capsys, command):
    model = str(EXAMPLES / "student_mdp.yaml")
    # v_pi(Class3) = 96/13 = 7.384615384... (David Silver, Lecture 2: 7.4); v*(Class3) = 10
    exact, decimal = ("96/13", "7.384615384615") if command == "solve" else ("10", "10")
    assert main([command, model, "--digits", "13"]) == 0
    assert _rows(capsys.readouterr().out, "Class3")[0][1:3] == [exact, decimal]
    assert main([command, model, "--decimal", "--digits", "3"]) == 0
    row = _rows(capsys.readouterr().out, "Class3")[0]
    assert row[1] == ("7.38" if command == "solve" else "10") and exact not in row[2:3]
    assert main([command, model, "--exact"]) == 0
    out = capsys.readouterr().out
    assert _rows(out, "Class3")[0][1] == exact and "decimal" not in out


def test_exact_and_decimal_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["solve", str(EXAMPLES / "student_mdp.yaml"), "--exact", "--decimal"])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit):
        main(["solve", str(EXAMPLES / "student_mdp.yaml"), "--digits", "0"])
    assert "at least 1" in capsys.readouterr().err
