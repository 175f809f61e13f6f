"""The benchmark-sized run of the property tests with symbolic parameters (issue 18).

``python -m benchmarks.properties [N]`` runs ``tests/test_parametric_properties.py``
with ``PARAMETRIC_EXAMPLES=N`` (default 2,000 random models for v_π and q_π; half as
many for the optimum) and prints pytest's summary with Hypothesis's statistics, the
CPU and wall time and the load average, for ``docs/performance.md``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    examples = int(argv[0]) if argv else 2000
    env = dict(os.environ, PARAMETRIC_EXAMPLES=str(examples))
    load = os.getloadavg()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/test_parametric_properties.py",
                           "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(done.stdout.strip())
    if done.stderr.strip():
        print(done.stderr.strip(), file=sys.stderr)
    print(f"{examples} models: exit {done.returncode}, wall {wall:.0f} s, CPU "
          f"{cpu.ru_utime + cpu.ru_stime:.0f} s, load average before "
          f"{' / '.join(f'{x:.2f}' for x in load)}, after "
          f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
