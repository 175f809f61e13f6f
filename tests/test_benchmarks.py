"""The benchmark suite runs end to end in its quick mode and writes its JSON."""

from __future__ import annotations

import importlib.util
import shutil
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmarks_run_and_write_json(tmp_path):
    out = tmp_path / "latest.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "gridworld v_pi" in done.stdout and "median" in done.stdout
    data = json.loads(out.read_text())
    assert data["meta"]["mode"] == "quick"
    rows = {(r["spec"]["case"], r["method"], r["spec"].get("size")): r for r in data["rows"]
            if r["spec"].get("format", "pdf") == "pdf"}
    markdown = [r for r in data["rows"] if r["spec"].get("format") == "md"]
    for key in [("grid", "flint", 3), ("grid", "python", 3), ("grid", "linsolve", 3)]:
        assert "median_s" in rows[key], rows[key]
    # flint and pure Python describe the same result
    assert rows["grid", "flint", 5]["degree"] == rows["grid", "python", 5]["degree"]
    assert rows["grid", "flint", 5]["bits"] == rows["grid", "python", 5]["bits"]
    for field in ("coefficients", "output_bits"):  # the output's whole size, too
        assert rows["grid", "flint", 5][field] == rows["grid", "python", 5][field] > 0
    assert rows["grid", "flint", 5]["cpu_s"] > 0
    if importlib.util.find_spec("stormpy") is not None:  # Storm's figure in the same run
        assert "median_s" in rows["storm", "storm", 3], rows["storm", "storm", 3]
        # Storm's rational functions of γ equal symbellman's closed forms exactly
        assert rows["storm", "storm", 3]["disagreements"] == 0
    assert rows["numeric", "flint", 5]["max_relative_error"] <= 1e-10
    # issue 10's handout case: typeset end to end, pages read back, CPU time counted
    handout = rows["handout", "flint", 4]
    if shutil.which("pdflatex") and shutil.which("pdfinfo"):
        assert handout["pages"] >= 1 and 0 < handout["cpu_s"], handout
        assert "at most 12 pages" in handout["notes"]
    else:  # without TeX the row says what it needs instead of a figure (issue 23, item 4)
        assert "pdflatex" in handout["error"] and "pages" not in handout, handout
    # issue 13's Markdown handout case: timed end to end, CPU time counted
    assert len(markdown) == 1 and markdown[0]["cpu_s"] > 0, markdown
    assert "at most 10 s" in markdown[0]["notes"]
    # issue 21: a class of 30 submissions for 3 variants graded, every one in the CSV
    grading = rows["grading", "flint", 30]
    assert grading["graded"] == 30 and 0 < grading["cpu_s"], grading
    # issue 24: commands timed end to end, with peak memory, output size, the engine's
    # figure and (for --json) the previous route in the same run
    user = [r for r in data["rows"] if r["spec"]["case"] == "user-path"]
    assert [r["spec"]["command"][0] for r in user] == ["solve", "solve", "latex"], user
    for row in user:
        assert row["cpu_s"] > 0 and row["peak_rss_mb"] > 10 and row["output_bytes"] > 0, row
    for row in user[:2]:  # solve: the engine's own figure beside the command's
        assert row["engine"]["vq_s"] >= row["engine"]["v_s"] >= 0, row
    assert user[0]["previous"]["output_bytes"] == user[0]["output_bytes"], user[0]
    # issue 24's latex row: the streamed command beside the whole-string route, same text
    assert user[2]["previous"]["output_bytes"] > 0, user[2]


def test_gymnasium_floats_are_read_as_short_fractions_only_when_exact():
    from benchmarks.models import exact_probability
    assert exact_probability(0.33333333333333337) == Fraction(1, 3)
    assert exact_probability(0.1) == Fraction(1, 10)
    assert exact_probability(1.0) == 1
    x = 0.123456789012345  # no short fraction rounds to it: kept as its binary value
    assert float(exact_probability(x)) == x


def test_gridworld_yaml_describes_the_same_model(tmp_path):
    from benchmarks.models import gridworld, gridworld_yaml
    from symbellman.io import load_model
    path = tmp_path / "grid.yaml"
    path.write_text(gridworld_yaml(3, 3))
    mdp, _ = load_model(str(path))
    reference = gridworld(3, 3)
    assert mdp.states == reference.states
    for s, a in reference.state_action_pairs:
        assert mdp.outcomes(s, a) == reference.outcomes(s, a)


def test_gridworld_yaml_can_place_the_states_on_their_grid(tmp_path):
    from benchmarks.models import gridworld_yaml
    from symbellman.io import load_model
    path = tmp_path / "grid.yaml"
    path.write_text(gridworld_yaml(2, 3, layout=True))
    mdp, _ = load_model(str(path))
    assert [list(row) for row in mdp.layout.grid] == [["r0c0", "r0c1", "r0c2"],
                                                      ["r1c0", "r1c1", "r1c2"]]


def test_the_study_row_times_todays_route_and_this_one_in_one_run():
    from benchmarks import study

    (row,) = study.rows(quick=True)
    if "today_cpu_s" not in row:  # a copy of the sources without git's history
        pytest.skip(row["notes"])
    # both routes built the page (each checked to have run its own package)
    assert row["today_cpu_s"] > 0 and row["cpu_s"] > 0
    assert row["speedup"] == pytest.approx(row["today_cpu_s"] / row["cpu_s"])
    assert "today's route" in row["notes"]
