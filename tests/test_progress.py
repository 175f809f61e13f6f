"""Progress bars appear on a terminal (a pseudo-terminal here) and never when piped."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from symbellman.progress import progress, track

pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")

STUDENT = str(Path(__file__).resolve().parent.parent / "examples" / "student_mdp.yaml")


def run(argv, *, stderr_on_terminal: bool, delay: str = "0"):
    """Run ``python -m symbellman ARGV``; return (stdout, stderr) as text."""
    env = {**os.environ, "SYMBELLMAN_PROGRESS_DELAY": delay}
    command = [sys.executable, "-m", "symbellman", *argv]
    if not stderr_on_terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    err = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            err += chunk
        elif child.poll() is not None:
            break
    out = child.stdout.read().decode()
    child.wait(timeout=10)
    os.close(master)
    return out, err.decode(errors="replace")


def test_solve_shows_progress_on_a_terminal():
    out, err = run(["solve", STUDENT], stderr_on_terminal=True)
    assert "symbellman solve" in err
    assert "symbellman solve" not in out and "Student MDP: v_pi" in out


def test_json_output_stays_clean_with_a_terminal_for_errors():
    out, err = run(["optimal", STUDENT, "--json"], stderr_on_terminal=True)
    assert "symbellman optimal" in err
    assert json.loads(out)["policy"]["Class3"] == ["study"]  # Silver: study in Class3


def test_nothing_when_piped():
    out, err = run(["solve", STUDENT], stderr_on_terminal=False)
    assert err == "" and "Student MDP: v_pi" in out


def test_nothing_before_the_delay():
    out, err = run(["solve", STUDENT], stderr_on_terminal=True, delay="60")
    assert "symbellman" not in err


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_the_solvers_reports_move_the_bar():
    stream = FakeTerminal()
    with progress("solve", stream=stream, delay=0) as update:
        update("numerators", 3, 10)
        time.sleep(0.3)
    text = stream.getvalue()
    assert "symbellman solve: numerators" in text and "3/10" in text


def test_track_counts_items_on_a_terminal_only():
    stream = FakeTerminal()
    assert list(track(range(5), "batch", stream=stream, delay=0)) == list(range(5))
    assert "symbellman batch" in stream.getvalue() and "/5 " in stream.getvalue()
    quiet = io.StringIO()
    assert list(track(range(5), "batch", stream=quiet, delay=0)) == list(range(5))
    assert quiet.getvalue() == ""
