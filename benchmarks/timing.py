"""Timing a command end to end in a subprocess: median wall and CPU seconds over repeats.

Wall time includes interpreter start-up and whatever else the machine is doing; CPU time
(the children's rusage: user + system seconds of the finished subprocess and of its own
children, such as pdflatex) measures the work, whatever the load.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

__all__ = ["ROOT", "cli_env", "time_command"]

ROOT = Path(__file__).resolve().parent.parent


def cli_env() -> dict:
    """The environment for ``python -m symbellman`` run from this checkout."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def time_command(arguments: Sequence[str], repeats: int, *, limit: float = 600,
                 check: Callable[[str], object] | None = None) -> dict:
    """Run ``python -m symbellman ARGUMENTS`` ``repeats`` times.

    Returns ``{"median_s", "times", "cpu_s", "cpu_times"}`` (seconds, sorted), or
    ``{"error": last line of stderr}`` when a run fails, or ``{"timeout": True, "note"}``
    past ``limit`` seconds. ``check`` is called with each run's standard output (for
    example ``json.loads``), so that a run which prints nonsense is not timed as a
    success.
    """
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-m", "symbellman", *arguments],
                                  capture_output=True, text=True, env=cli_env(),
                                  timeout=limit)
        except subprocess.TimeoutExpired:
            return {"timeout": True, "note": f"> {limit:g} s"}
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["failed"])[-1]
            return {"error": last[:120]}
        if check is not None:
            check(done.stdout)
    walls.sort()
    cpus.sort()
    return {"median_s": walls[len(walls) // 2], "times": walls,
            "cpu_s": cpus[len(cpus) // 2], "cpu_times": cpus}
