"""Grading a class: variant sheets carry their id, keys say "key", 30 submissions graded.

The recycling robot's variants (Sutton & Barto, Example 3.3, with the model file's four
symbols drawn) are written as exercise sheets; each submission's values are computed
here by exact 2 × 2 elimination over Fractions from the book's table with the variant's
numbers, not by symbellman.
"""

from __future__ import annotations

import csv
import json
import time
from fractions import Fraction as F
from pathlib import Path

import pytest

from cpu_time import cpu_seconds  # tests/cpu_time.py (pytest puts tests/ on the path)
from symbellman.cli import main

ROOT = Path(__file__).resolve().parent.parent
ROBOT = ROOT / "examples" / "recycling_robot_variants.yaml"


def robot_v(alpha, beta, r_search, r_wait, gamma=F(9, 10)) -> dict:
    """v_π of the uniform policy on Example 3.3's table (high: search, wait; low: search,
    wait, recharge), by Cramer's rule."""
    # v = r + γ P v, rows high and low
    r_high = (r_search + r_wait) / 2
    r_low = ((1 - beta) * -3 + beta * r_search + r_wait + 0) / 3
    p = [[(alpha + 1) / 2, (1 - alpha) / 2],
         [((1 - beta) + 1) / 3, (beta + 1) / 3]]
    a = [[1 - gamma * p[0][0], -gamma * p[0][1]], [-gamma * p[1][0], 1 - gamma * p[1][1]]]
    det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
    return {"high": (r_high * a[1][1] - a[0][1] * r_low) / det,
            "low": (a[0][0] * r_low - a[1][0] * r_high) / det}


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    pytest.importorskip("matplotlib")
    folder = tmp_path_factory.mktemp("sheets")
    assert main(["handout", str(ROBOT), "-o", str(folder / "sheet.md"), "--exercise",
                 "--variants", "3", "--seed", "4"]) == 0
    return folder


def test_the_answers_never_sit_beside_a_sheet_under_a_students_name(sheets):
    data_files = sorted(p.name for p in sheets.glob("*.json"))
    assert data_files == [f"sheet-{k}-key-closed-forms.json" for k in (1, 2, 3)]
    for k in (1, 2, 3):
        sheet = (sheets / f"sheet-{k}.md").read_text()
        assert f"Variant id 4-{k}: write variant: 4-{k} in your answer file." in sheet
        assert f"sheet-{k}-closed-forms.json" not in sheet
        key = json.loads((sheets / f"sheet-{k}-key-closed-forms.json").read_text())
        assert key["variant"]["id"] == f"4-{k}" and key["variant"]["seed"] == 4
        values = {n: F(x) for n, x in key["variant"]["values"].items()}
        exact = robot_v(**values)
        assert {s: F(key["values"]["9/10"][s]) for s in ("high", "low")} == exact


def test_a_single_exercise_writes_its_closed_forms_as_the_key(tmp_path):
    pytest.importorskip("matplotlib")
    student = ROOT / "examples" / "student_mdp.yaml"
    assert main(["handout", str(student), "-o", str(tmp_path / "s.md"), "--exercise"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["s-key-closed-forms.json"]
    assert main(["handout", str(student), "-o", str(tmp_path / "h.md")]) == 0
    assert (tmp_path / "h-closed-forms.json").exists()  # a handout shows its answers anyway


def submission(k: int, key: dict, i: int) -> tuple[str, dict, int, str]:
    """The i-th student of variant k: (file text, expected row values, wrong, mistake)."""
    values = {n: F(x) for n, x in key["variant"]["values"].items()}
    right = robot_v(**values)
    doubled = robot_v(**values, gamma=F(81, 100))
    kind = i % 3
    if kind == 0:    # all right, exact
        v, wrong, mistake = {s: str(x) for s, x in right.items()}, 0, ""
    elif kind == 1:  # all right, in decimals
        v, wrong, mistake = {s: f"{float(x):.4f}" for s, x in right.items()}, 0, ""
    else:            # the discount applied twice
        v, wrong, mistake = {s: str(x) for s, x in doubled.items()}, 2, "double-discount"
    text = json.dumps({"variant": key["variant"]["id"], "student": f"student {k}-{i}",
                       "v": v})
    return text, {"right": 2 - wrong, "wrong": wrong}, wrong, mistake


def test_grading_30_submissions_for_3_variants(sheets, tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    expected = {}
    for k in (1, 2, 3):
        key = json.loads((sheets / f"sheet-{k}-key-closed-forms.json").read_text())
        for i in range(10):
            name = f"v{k}-s{i:02d}"
            text, counts, wrong, mistake = submission(k, key, i)
            (folder / f"{name}.json").write_text(text)
            expected[name] = (f"4-{k}", counts, mistake)
    # two that cannot be graded: an unknown variant id, and a broken file
    (folder / "lost.yaml").write_text("variant: 9-9\nv: {high: 1}\n")
    (folder / "broken.yaml").write_text("variant: 4-1\nv: {hgih: 1}\n")
    table, feedback = tmp_path / "grades.csv", tmp_path / "feedback"
    wall, cpu = time.perf_counter(), cpu_seconds()
    status = main(["check", str(ROBOT), str(folder), "--keys", str(sheets), "-o", str(table),
                   "--feedback", str(feedback)])
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    assert status == 1  # some answers are wrong
    assert cpu <= 10, cpu  # issue 21: 30 submissions for 3 variants in at most 10 s
    with table.open(newline="") as file:
        rows = {Path(r["file"]).stem: r for r in csv.DictReader(file)}
    assert len(rows) == 32
    for name, (variant, counts, mistake) in expected.items():
        row = rows[name]
        assert row["variant"] == variant and row["error"] == ""
        assert (int(row["right"]), int(row["wrong"])) == (counts["right"], counts["wrong"])
        assert row["mistakes"] == mistake
        assert row["student"] == f"student {variant[2]}-{int(name[-2:])}"
    assert "No key matches the variant id '9-9'" in rows["lost"]["error"]
    assert "v.hgih: unknown state 'hgih'" in rows["broken"]["error"]
    notes = {p.stem: p.read_text() for p in feedback.glob("*.txt")}
    assert len(notes) == 32
    assert "Every answer is right." in notes["v1-s00"]
    assert "0 of 2 answers are right." in notes["v1-s02"]
    assert "The discount was applied twice" in notes["v1-s02"]
