"""``python -m benchmarks.measure SPEC``: run one command as a child, report it as JSON.

SPEC is JSON: ``{"argv": [...], "limit": seconds, "env": {...}}``. The child's standard
output goes to a temporary file (its size is the output's size); this process waits
for it alone, so ``RUSAGE_CHILDREN`` gives that command's own peak memory and CPU.
Prints ``{"wall_s", "cpu_s", "peak_rss_mb", "output_bytes", "returncode"}`` or
``{"timeout": true}``; the last line of the child's standard error comes back as
``"stderr"`` when it fails.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def main() -> int:
    spec = json.loads(sys.argv[1])
    env = {**os.environ, **spec.get("env", {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(spec["argv"], stdout=out, stderr=err, env=env)
        try:
            code = child.wait(timeout=spec.get("limit", 600))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            print(json.dumps({"timeout": True}))
            return 0
        wall = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        size = out.seek(0, os.SEEK_END)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    row = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
           "peak_rss_mb": usage.ru_maxrss / 1024, "output_bytes": size, "returncode": code}
    if code != 0:
        row["stderr"] = (lines or ["failed"])[-1][:200]
    print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
