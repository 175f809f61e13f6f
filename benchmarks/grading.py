"""Grading a class: ``symbellman check MODEL FOLDER --keys KEYS`` on 30 submissions, 3 variants.

``python -m benchmarks.grading [--quick]`` prints the row; ``python -m benchmarks`` adds it
to the suite's table. The keys are written once, untimed (``handout --exercise --variants
3`` of the recycling robot, as Markdown); the 30 submissions are answer files with v, q,
v*, the optimal actions, some right, some wrong in each way a student might be (so that
the mistakes are looked for). The command is timed end to end (interpreter start-up
included), median wall and CPU seconds. Issue 21's target: at most 10 s.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import ROOT, cli_env

__all__ = ["rows", "TARGET_SECONDS"]

#: Issue 21: 30 submissions for 3 variants graded in at most this many seconds.
TARGET_SECONDS = 10
MODEL = ROOT / "examples" / "recycling_robot_variants.yaml"


def _symbellman(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symbellman", *arguments],
                          capture_output=True, text=True, env=cli_env(), timeout=300)


def _submissions(folder: Path, keys: Path, students: int) -> None:
    variants = sorted(json.loads(p.read_text())["variant"]["id"]
                      for p in keys.glob("*key*.json"))
    for i in range(students):
        variant = variants[i % len(variants)]
        answers = {"variant": variant, "v": {"high": str(i), "low": "2.5"},
                   "q": {"high": {"search": "1", "wait": str(i / 3)}},
                   "v_star": {"high": "30", "low": str(20 + i)},
                   "optimal_actions": {"low": ["recharge"], "high": ["search"]}}
        (folder / f"student-{i:02d}.json").write_text(json.dumps(answers))


def rows(quick: bool = False) -> list[dict]:
    """One row: the median seconds of grading 30 submissions (3 variants)."""
    students, repeats = 30, 1 if quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        keys, folder = tmp / "sheets", tmp / "submissions"
        keys.mkdir()
        folder.mkdir()
        made = _symbellman("handout", str(MODEL), "-o", str(keys / "sheet.md"), "--exercise",
                           "--variants", "3", "--seed", "1")
        if made.returncode != 0:
            return [_row({"error": (made.stderr.strip().splitlines() or ["failed"])[-1]})]
        _submissions(folder, keys, students)
        walls, cpus = [], []
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = _symbellman("check", str(MODEL), str(folder), "--keys", str(keys),
                               "-o", str(tmp / "grades.csv"))
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode not in (0, 1):  # 1: some answers are wrong, as they are
                return [_row({"error": (done.stderr.strip().splitlines() or ["failed"])[-1]})]
        graded = len((tmp / "grades.csv").read_text().splitlines()) - 1
    walls.sort()
    cpus.sort()
    return [_row({"median_s": walls[len(walls) // 2], "times": walls,
                  "cpu_s": cpus[len(cpus) // 2], "graded": graded,
                  "notes": f"CPU {cpus[len(cpus) // 2]:.2f} s, {graded} rows in the CSV; "
                           f"target: at most {TARGET_SECONDS} s (issue 21)"})]


def _row(values: dict) -> dict:
    return {"case": "symbellman check FOLDER (grading)", "size": "30 files, 3 variants",
            "method": "flint", "notes": values.get("error", ""), **values,
            "spec": {"case": "grading", "size": 30, "method": "flint"}}


def main(argv=None) -> int:
    quick = "--quick" in (argv if argv is not None else sys.argv[1:])
    for row in rows(quick):
        print(f"{row['case']}  {row['size']}  {row.get('median_s', 0):.2f} s  {row['notes']}")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    raise SystemExit(main())
