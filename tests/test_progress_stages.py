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
    # Sutton & Barto, Exercise 3.22: 'left' is optimal below gamma = 1/2, 'right' above it;
    # the bar counts both pieces before the first is solved (tests/test_census.py)
    assert seen[0].startswith("piece 1 of 2 (gamma from 0): "), seen
    assert any(s.startswith("piece 2 of 2 (gamma from 0.5): ") for s in seen), seen


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


# --- every counted stage ends at 100 %, and so does the bar (issue 23, item 10) ---

def _last_of_each_stage(seen) -> dict:
    last = {}
    for stage, done, total in seen:
        if total:
            last[stage] = (done, total)
    return last


@pytest.mark.parametrize("n", [40, 17, 3])  # not multiples of the reporting step (16)
def test_the_krylov_stages_end_at_their_totals(n):
    import sympy

    from symbellman.linalg import solve_discounted

    g = sympy.Symbol("gamma")
    seen = []
    with reporting(lambda *report: seen.append(report)):
        x = solve_discounted([{0: sympy.Rational(1, 2)}] * n, [1] * n, g)
    # x_0 = 1 + γ/2 x_0 (state 0 feeds itself), so x_0 = 2/(2 - γ)
    assert sympy.simplify(x.expr(0) - 2 / (2 - g)) == 0
    last = _last_of_each_stage(seen)
    assert set(last) == {"numerators", "lowest terms"}, seen
    assert all(done == total for done, total in last.values()), last
    assert all(done <= total for _, done, total in seen if total)


def test_the_krylov_stages_with_parameters_end_at_their_totals():
    import sympy

    from symbellman.linalg import solve_discounted

    g, r = sympy.symbols("gamma r")
    n = 21
    rows = [{(i + 1) % n: sympy.Integer(1)} for i in range(n)]  # a ring
    seen = []
    with reporting(lambda *report: seen.append(report)):
        x = solve_discounted(rows, [r] + [1] * (n - 1), g, params=[r])
    # around the ring: v_0 = (r + γ + ... + γ^(n-1)) / (1 - γ^n)
    expected = (r + sum(g ** k for k in range(1, n))) / (1 - g ** n)
    assert sympy.simplify(x.expr(0) - expected) == 0
    last = _last_of_each_stage(seen)
    assert "lowest terms" in last and all(d == t for d, t in last.values()), last


def _frames(text: str) -> list[str]:
    return [part.strip() for part in text.split("\r") if part.strip()]


def test_the_bar_ends_at_100_percent_after_uncounted_stages():
    tty = Terminal()
    with progress("handout", stream=tty, delay=0) as update:
        update("lowest terms", 96, 100)
        time.sleep(0.3)
        announce("typesetting")
        time.sleep(0.3)
    last = _frames(tty.getvalue())[-1]
    assert "done" in last and "100%" in last, repr(last)


def test_a_failed_run_does_not_claim_to_be_done():
    tty = Terminal()
    with pytest.raises(RuntimeError):
        with progress("handout", stream=tty, delay=0) as update:
            update("lowest terms", 50, 100)
            time.sleep(0.3)
            raise RuntimeError("stopped")
    assert "done" not in tty.getvalue()


@pytest.mark.parametrize("suffix", [".md", ".pdf"])
def test_the_handout_ends_at_100_percent(tmp_path, suffix):
    pytest.importorskip("matplotlib")
    if suffix == ".pdf":
        import shutil

        if not shutil.which("pdflatex"):
            pytest.skip("a PDF needs pdflatex")
    from symbellman.render.handout import write_handout

    mdp, policy = load_model(EXAMPLES / "student_mdp.yaml")
    seen = []
    with reporting(lambda *report: seen.append(report)):
        write_handout(mdp, policy, tmp_path / f"student{suffix}")
    announced = [stage for stage, _, total in seen if total == 0]
    assert "plot" in announced
    if suffix == ".pdf":
        assert announced[-1] == "typesetting"
    last = _last_of_each_stage(seen)
    assert all(done == total for done, total in last.values()), last
    # and on a terminal the bar's last frame is the whole
    tty = Terminal()
    with progress("handout", stream=tty, delay=0):
        write_handout(mdp, policy, tmp_path / f"again{suffix}")
    last_frame = _frames(tty.getvalue())[-1]
    assert "done" in last_frame and "100%" in last_frame, repr(last_frame)


def test_pieces_over_gamma_say_where_each_starts():
    # each piece's stages are named "piece k of n (gamma from START)", n counted ahead by
    # the census; Student MDP over gamma: three pieces, from 0, from 1/5 and from a root
    # near 0.4013 (the printed pieces)
    from symbellman.core.symbols import gamma

    mdp, _ = load_model(EXAMPLES / "student_mdp.yaml")
    seen = []
    with reporting(lambda stage, done, total: seen.append(stage)):
        pieces = optimal_pieces(mdp.replace(discount=gamma))
    starts = {}
    for stage in seen:
        found = re.match(r"piece (\d+) of 3 \(gamma from ([0-9.]+)\): ", stage)
        assert found, stage
        starts[int(found.group(1))] = float(found.group(2))
    assert sorted(starts) == list(range(1, len(pieces) + 1))
    assert starts[2] == 0.2  # 1/5
    for k, piece in starts.items():
        assert abs(piece - float(pieces[k - 1].start)) < 1e-4
