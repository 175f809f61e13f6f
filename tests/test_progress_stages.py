"""Progress that does not mislead (issue 23, item 10): repeated solves say which piece is
running, and work that counts nothing (plot, TeX) replaces a bar frozen short of 100 %."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest

from symbellman.io import load_model
from symbellman.linalg import announce, reporting
from symbellman.optimal import optimal_pieces
from symbellman.progress import progress

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_each_piece_names_itself_and_where_it_starts():
    mdp, _ = load_model(EXAMPLES / "exercise_3_22.yaml")
    seen = []
    with reporting(lambda stage, done, total: seen.append(stage)):
        pieces = optimal_pieces(mdp)
    numbers = [int(re.match(r"piece (\d+) ", s).group(1)) for s in seen]
    assert numbers == sorted(numbers) and set(numbers) == {1, 2} == set(range(1, len(pieces) + 1))
    # Sutton & Barto, Exercise 3.22: 'left' is optimal below gamma = 1/2, 'right' above it
    assert any(s.startswith("piece 2 (gamma from 0.5 to 1)") for s in seen), seen


def test_a_stage_without_counts_shows_its_name_not_the_last_percentage():
    tty = Terminal()
    with progress("handout", stream=tty, delay=0) as update:
        update("lowest terms", 96, 100)
        time.sleep(0.4)
        announce("typesetting")
        time.sleep(0.6)
    last = [part for part in tty.getvalue().split("\r") if part.strip()][-1]
    assert "typesetting" in last and "96%" not in last, repr(last)
    assert "96%" in tty.getvalue()  # the counted stage did show its bar


def test_the_handout_announces_each_part(tmp_path):
    pytest.importorskip("matplotlib")
    from symbellman.render.handout import write_handout

    mdp, policy = load_model(EXAMPLES / "student_mdp.yaml")
    seen = []
    with reporting(lambda stage, done, total: seen.append((stage, total))):
        write_handout(mdp, policy, tmp_path / "student.md")
    announced = [stage for stage, total in seen if total == 0]
    assert announced[:3] == ["model and diagram", "definitions", "equations"]
    for part in ("values", "solution", "plot", "optimality"):
        assert part in announced, announced
