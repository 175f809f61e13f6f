"""``symbellman latex`` on a gridworld with symbolic γ, beside the route it replaced.

The command runs end to end in a subprocess (wall and CPU time, output size). The
previous route formatted every closed form through ``sympy.factor`` and
``sympy.cancel`` (99 s on the 10 × 10 gridworld in issue 13); it is kept here only to
be measured, on a few closed forms, and its time for all of them is extrapolated.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import ROOT, time_command

#: How many closed forms the previous route formats (it takes seconds each at 10 × 10).
PREVIOUS_SAMPLE = 3


def previous_route(value, width: int = 58) -> str:
    """What the old ``closed_form_rows`` spent its time on: factor, then cancel and
    expand numerator and denominator, each term printed by SymPy's LaTeX printer."""
    import sympy

    text = sympy.latex(sympy.factor(value))
    if len(text) <= width:
        return text
    num, den = sympy.fraction(sympy.cancel(value))
    gens = sorted(value.free_symbols, key=lambda s: s.name)
    return " ".join(sympy.latex(c * sympy.Mul(*[g ** e for g, e in zip(gens, m)]))
                    for part in (num, den) for m, c in sympy.Poly(sympy.expand(part),
                                                                   *gens).terms())


def run_latex(spec: dict) -> dict:
    sys.path.insert(0, str(ROOT))
    from benchmarks.models import gridworld, gridworld_yaml

    n = spec["size"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"gridworld_{n}x{n}.yaml"
        out = Path(tmp) / "out.tex"
        path.write_text(gridworld_yaml(n, n))
        row = time_command(["latex", str(path), "-o", str(out)], spec["repeats"],
                           limit=spec.get("limit", 600))
        if "median_s" not in row:
            return row
        row["output_bytes"] = out.stat().st_size
    from symbellman import solve_q, solve_v

    mdp = gridworld(n, n)
    v = solve_v(mdp)
    count = len(mdp.nonterminal) + len(solve_q(mdp, None, v=v))
    sample = list(mdp.nonterminal)[:PREVIOUS_SAMPLE]
    start = time.perf_counter()
    for s in sample:
        previous_route(v[s])
    per_form = (time.perf_counter() - start) / len(sample)
    row.update(previous_per_form_s=per_form, previous_estimate_s=per_form * count,
               closed_forms=count)
    return row
