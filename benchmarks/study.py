"""The page of the 10 × 10 gridworld through one Study against today's route, in one run.

"Today's route" is the package as it was before the study (revision ``BASELINE``, the
commit this work started from): its page solved v_π three times and the optimal pieces
twice, and substituted each discount of the table through fractions term by term. The
benchmark extracts that revision's ``symbellman/`` with ``git archive`` into a temporary
folder and builds the same page with both, in fresh subprocesses that alternate (so that
a change in the machine's load hits both), timing the CPU seconds of ``page_html`` alone
(after the imports and one warm-up build). Without git, or outside this repository, the
row says so.

``python -m benchmarks`` adds the row to its table; alone, ``python -m benchmarks.study
[--quick]`` prints it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The revision whose page route this is measured against (before the study, issue 19).
BASELINE = "f70843f"
#: Alternating runs of each route (each a fresh process: warm-up build, then timed builds).
ROUNDS = 3
BUILDS = 2

_TIMER = r"""
import json, sys, time
import symbellman
from symbellman.io import load_model
from symbellman.render.html import page_html
mdp, policy = load_model(sys.argv[1])
page_html(mdp, policy)  # warm-up: imports of the writers, caches of SymPy
times = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    page_html(mdp, policy)
    times.append(time.process_time() - start)
print(json.dumps({"times": times, "package": symbellman.__file__}))
"""


def _time(source: Path, model: Path) -> list[float]:
    done = subprocess.run([sys.executable, "-c", _TIMER, str(model), str(BUILDS)],
                          capture_output=True, text=True, check=True, cwd=model.parent,
                          env={"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"})
    out = json.loads(done.stdout)
    if not out["package"].startswith(str(source)):  # the route timed is the one asked for
        raise RuntimeError(f"timed {out['package']}, not the package under {source}")
    return out["times"]


def rows(quick: bool = False) -> list[dict]:
    """One row: the page of an n × n gridworld (10 × 10; 5 × 5 with ``quick``)."""
    n = 5 if quick else 10
    row = {"case": "page: one study vs today's route", "size": f"{n}x{n}={n * n}",
           "method": "study", "spec": {"case": "study-page", "size": n, "method": "study"}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = tmp / f"gridworld_{n}x{n}.yaml"
        made = subprocess.run([sys.executable, str(ROOT / "examples" / "make_gridworlds.py"),
                               str(n), str(n)], capture_output=True, text=True, check=True)
        model.write_text(made.stdout)
        baseline = tmp / "baseline"
        baseline.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE, "symbellman"],
                                 capture_output=True)
        if archive.returncode != 0:
            row["notes"] = f"today's route not measured: git archive {BASELINE} failed"
            return [row]
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive.stdout, check=True)
        today, study = [], []
        for _ in range(ROUNDS):
            today += _time(baseline, model)
            study += _time(ROOT, model)
    row["today_cpu_s"] = statistics.median(today)
    row["cpu_s"] = row["median_s"] = statistics.median(study)
    row["speedup"] = row["today_cpu_s"] / row["cpu_s"]
    row["notes"] = (f"page_html: {row['cpu_s']:.2f} s CPU (median of {len(study)}) against "
                    f"{row['today_cpu_s']:.2f} s by today's route ({BASELINE}), "
                    f"{row['speedup']:.1f}x faster, alternating in one run")
    return [row]


if __name__ == "__main__":
    for r in rows("--quick" in sys.argv):
        print(r["case"], r["size"], r["notes"])
