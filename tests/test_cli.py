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

    from symbellman.examples import gridworld
    from symbellman.evaluate import solve_v
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
