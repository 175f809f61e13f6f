"""Issue 24: each command of the issue's table end to end, as a user runs it.

Every command runs in its own process (``benchmarks.measure``): interpreter start-up,
reading the model, solving and writing the output to a file are all timed, with the
command's peak memory (``ru_maxrss``) and the output's size. Beside it, in the same
run:

* **engine**: ``solve_v`` (and ``solve_q``) alone, timed inside one process;
* **previous route**: the same command with the route before issue 24 put back: the
  whole ``--json`` object built as text before writing (``json.dumps``), the whole
  ``latex`` document joined into one string before writing, or the dense ``fmpq_mat``
  solve instead of lifting at a numeric γ (the later stages, decimal printing and q,
  are today's).

A command's ``{states}`` stands for every state of the model, comma-separated (``latex
--only {states}``: every closed form in full).

``python -m benchmarks.user_path [--quick]`` runs these rows alone.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.models import gridworld_yaml, ring_yaml, sparse_yaml
from benchmarks.timing import ROOT, cli_env

#: The previous routes, run as ``python -c PREVIOUS KIND ARGS...``.
PREVIOUS = r"""
import json, sys
kind, args = sys.argv[1], sys.argv[2:]
if kind == "latex":  # the whole document as one string, then written
    import symbellman.cli.printing as printing
    from symbellman.cli.output import write_or_print
    printing._write_chunks = lambda chunks, output: write_or_print("".join(chunks), output)
    from symbellman.cli import main
    raise SystemExit(main(args))
if kind == "dense":  # the dense exact solve at a numeric discount
    import symbellman.linalg.lifting as lifting
    lifting.LIFT_MIN_STATES = 10 ** 12
    from symbellman.cli import main
    raise SystemExit(main(args))
from symbellman import load_model, solve_q, solve_v  # kind "json": the whole text first
from symbellman.batch import solution_data
from symbellman.cli.output import print_all_digits
print_all_digits()
mdp, policy = load_model(args[1])
v = solve_v(mdp, policy)
q = None if mdp.is_mrp else solve_q(mdp, policy, v=v)
print(json.dumps(solution_data(mdp, v, q), indent=2))
"""

#: The engine alone, in one process: seconds for v (and q) of a model file.
ENGINE = r"""
import json, sys, time
from symbellman import load_model, solve_q, solve_v
mdp, policy = load_model(sys.argv[1])
start = time.process_time()
v = solve_v(mdp, policy)
v_s = time.process_time() - start
q = None if mdp.is_mrp else solve_q(mdp, policy, v=v)
print(json.dumps({"v_s": v_s, "vq_s": time.process_time() - start}))
"""


def plan(quick: bool) -> list[dict]:
    """The cases: model, command, sizes, limits and whether to run the previous route."""
    if quick:  # small, to prove the rows work (tests/test_benchmarks.py runs it)
        return [
            {"model": "grid", "size": 4, "command": ["solve", "--json"], "previous": "json"},
            {"model": "sparse", "size": 400, "command": ["solve", "--decimal"]},
            {"model": "grid", "size": 4, "command": ["latex"], "previous": "latex"},
        ]
    cases = [
        {"model": "grid", "size": 20, "command": ["solve", "--json"], "previous": "json"},
        # the previous route ran out of memory at 4 GB after 57 s (issue 24): not re-run
        {"model": "grid", "size": 30, "command": ["solve", "--json"], "limit": 300},
    ]
    cases += [{"model": "ring", "size": n, "command": ["solve", "--json"], "limit": 120}
              for n in (6, 7, 8, 10, 12)]
    cases += [{"model": "sparse", "size": n, "command": ["solve", "--decimal"], "limit": 400,
               **({"previous": "dense"} if n <= 2000 else {})} for n in (500, 1000, 2000, 5000)]
    cases.append({"model": "sparse", "size": 5000, "limit": 600,
                  "command": ["optimal", "--at", "gamma=9/10"]})
    # the latex command streamed (issue 24): every part and every closed form in full
    # (303 MB of LaTeX), and the 30 x 30 default, beside the whole-string route
    cases += [{"model": "grid", "size": 20, "limit": 900, "previous": "latex",
               "command": ["latex", "--standalone", "--only", "{states}", "--what",
                           "v,q,halfsteps,matrix,solution,optimal"]},
              {"model": "grid", "size": 30, "limit": 900, "previous": "latex",
               "command": ["latex"]}]
    return cases


def _text(case: dict) -> str:
    n = case["size"]
    return {"grid": lambda: gridworld_yaml(n, n), "ring": lambda: ring_yaml(n),
            "sparse": lambda: sparse_yaml(n)}[case["model"]]()


def _states(path: Path) -> str:
    """Every state of the model file at ``path``, comma-separated."""
    from symbellman import load_model

    return ",".join(load_model(path)[0].states)


def measure(argv: list[str], limit: float) -> dict:
    spec = {"argv": argv, "limit": limit}
    done = subprocess.run([sys.executable, "-m", "benchmarks.measure", json.dumps(spec)],
                          capture_output=True, text=True, env=cli_env(), cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _engine(path: Path, limit: float) -> dict | None:
    try:
        done = subprocess.run([sys.executable, "-c", ENGINE, str(path)], capture_output=True,
                              text=True, env=cli_env(), cwd=ROOT, timeout=limit)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_case(case: dict, repeats: int) -> dict:
    limit = case.get("limit", 120)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{case['model']}{case['size']}.yaml"
        path.write_text(_text(case))
        command = [_states(path) if part == "{states}" else part for part in case["command"]]
        args = [command[0], str(path), *command[1:]]
        runs = [measure([sys.executable, "-m", "symbellman", *args], limit)
                for _ in range(repeats)]
        row: dict = {}
        if any(r.get("timeout") for r in runs):
            row = {"timeout": True, "note": f"> {limit:g} s"}
        elif any(r.get("returncode") for r in runs):
            row = {"error": next(r for r in runs if r.get("returncode")).get("stderr", "")}
        else:
            row = {"median_s": statistics.median(r["wall_s"] for r in runs),
                   "cpu_s": statistics.median(r["cpu_s"] for r in runs),
                   "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                   "output_bytes": runs[0]["output_bytes"], "times": [r["wall_s"] for r in runs]}
        if command[0] == "solve":
            row["engine"] = _engine(path, limit)
        if case.get("previous"):
            before = measure([sys.executable, "-c", PREVIOUS, case["previous"], *args], limit)
            row["previous"] = before
    return row


def label(case: dict) -> tuple[str, str]:
    n = case["size"]
    size = {"grid": f"{n}x{n}={n * n}", "ring": str(n), "sparse": str(n)}[case["model"]]
    if "--only" in case["command"]:
        return f"{case['command'][0]} every part, closed forms in full (gridworld, gamma " \
            "symbolic)", size
    model = {"grid": "gridworld, gamma symbolic", "ring": "ring, symbolic p_i, r_i",
             "sparse": "sparse random, gamma 9/10"}[case["model"]]
    return f"{' '.join(case['command'])} ({model})", size


def notes(row: dict) -> str:
    if "error" in row:
        return row["error"][:120]
    parts = []
    if "cpu_s" in row:
        parts.append(f"CPU {row['cpu_s']:.2f} s, output {_size(row['output_bytes'])}")
    engine = row.get("engine")
    if engine:
        parts.append(f"engine v {engine['v_s']:.2f} s, v+q {engine['vq_s']:.2f} s CPU")
    before = row.get("previous")
    if before:
        if before.get("timeout"):
            parts.append("previous route: no answer within the limit")
        elif before.get("returncode"):
            parts.append(f"previous route failed: {before.get('stderr', '')[:60]}")
        else:
            parts.append(f"previous route {before['wall_s']:.2f} s wall, {before['cpu_s']:.2f} s "
                         f"CPU, {before['peak_rss_mb']:.0f} MB")
    return "; ".join(parts)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def rows(quick: bool, only: str | None = None, log=None) -> list[dict]:
    """The rows of :func:`plan` (only the models named in ``only``, comma-separated);
    each row is also written to ``log`` (a file) as one JSON line when it is done."""
    out = []
    for case in plan(quick):
        if only and case["model"] not in only.split(","):
            continue
        repeats = 3 if case["model"] == "ring" and case["size"] <= 8 else 1
        row = run_case(case, repeats)
        name, size = label(case)
        row.update(case=name, size=size, method="command", spec={"case": "user-path", **case})
        row["notes"] = notes(row)
        shown = row.get("median_s")
        print(f"  {name} {size}: " + (f"{shown:.2f} s" if shown is not None else
                                       row.get("note", "error")), file=sys.stderr)
        out.append(row)
        if log is not None:
            log.write(json.dumps(row) + "\n")
            log.flush()
    return out


if __name__ == "__main__":
    import argparse

    sys.path.insert(0, str(ROOT))
    from benchmarks.__main__ import table

    parser = argparse.ArgumentParser(prog="python -m benchmarks.user_path")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", help="models to run, e.g. grid,sparse (default: all)")
    parser.add_argument("--log", type=argparse.FileType("a"), help="append each row as JSON")
    options = parser.parse_args()
    print(table(rows(options.quick, options.only, options.log)))
