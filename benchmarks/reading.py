"""Reading models: a 400-state gridworld as YAML (libyaml and pure Python), JSON and TOML.

``python -m benchmarks.reading [--quick]`` prints the table; ``python -m benchmarks``
adds its rows to the suite's. Each row is the median of several reads of the same text:
the parse alone (text to plain data) and the whole ``load_model`` (parse, then the
exact model and policy). Issue 13's target: the 400-state YAML model read in <= 0.3 s
(the pure-Python composer took 2.1 s).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def _toml_value(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}"
                                for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))  # every number stays text, as the model files keep it


def texts(n: int) -> dict[str, str]:
    """The n x n gridworld's model file in each format (same data)."""
    from benchmarks.models import gridworld_yaml
    from symbellman.io.model_files import parse_model_text

    yaml_text = gridworld_yaml(n, n)
    data = parse_model_text(yaml_text, ".yaml")
    return {".yaml": yaml_text, ".json": json.dumps(data),
            ".toml": "\n".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in data.items())}


def _median(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def rows(quick: bool = False) -> list[dict]:
    """One row per (format, route) in the suite's row format."""
    from symbellman.io import load_model, yaml_text
    from symbellman.io.model_files import parse_model_text

    n, repeats = (10, 3) if quick else (20, 5)
    size = f"{n}x{n}={n * n}"
    result = []
    with tempfile.TemporaryDirectory() as folder:
        for ending, text in texts(n).items():
            path = Path(folder) / f"grid{ending}"
            path.write_text(text, encoding="utf-8")
            routes = {"libyaml" if ending == ".yaml" else ending[1:]:
                      lambda text=text, ending=ending: parse_model_text(text, ending)}
            if ending == ".yaml":  # the previous route, in the same run
                routes["python (before)"] = lambda text=text: yaml_text._load_slow(text, None)
            whole = _median(lambda path=path: load_model(path), repeats)
            for method, parse in routes.items():
                parse_s = _median(parse, repeats)
                result.append({
                    "case": f"read {ending[1:].upper()} model", "size": size, "method": method,
                    "median_s": parse_s, "bytes": len(text.encode()),
                    "load_model_s": whole if method != "python (before)" else None,
                    "notes": (f"parse only; load_model {whole * 1000:.0f} ms"
                              if method != "python (before)" else "parse only, TextLoader"),
                    "spec": {"case": "reading", "size": n, "method": method}})
    return result


def main(argv=None) -> int:
    quick = "--quick" in (argv if argv is not None else sys.argv[1:])
    for row in rows(quick):
        print(f"{row['case']:<17} {row['size']:<10} {row['method']:<16} "
              f"{row['median_s'] * 1000:8.1f} ms  {row['notes']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
