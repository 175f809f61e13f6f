"""Write every command's output on every shipped example to a folder, to compare two revisions.

A refactor that changes no behaviour must leave these files byte-identical::

    python scripts/snapshot_outputs.py /tmp/before      # on the old revision
    python scripts/snapshot_outputs.py /tmp/after       # on the new one
    diff -r /tmp/before /tmp/after

Only text outputs are written (no PDF, whose bytes depend on the TeX engine's clock).
"""

import contextlib
import io
import pathlib
import sys

from symbellman.cli import main

EXAMPLES = sorted(pathlib.Path(__file__).resolve().parent.parent.glob("examples/*.yaml"))
COMMANDS = {
    "solve.txt": ["solve"],
    "solve.json": ["solve", "--json"],
    "solve-at.txt": ["solve", "--at", "gamma=9/10"],
    "optimal.txt": ["optimal"],
    "optimal.json": ["optimal", "--json"],
    "optimal-at.json": ["optimal", "--json", "--at", "gamma=9/10"],
    "equations.txt": ["equations"],
    "equations.tex": ["equations", "--latex"],
    "latex.tex": ["latex"],
    "latex-silver.tex": ["latex", "--style", "silver", "--states", "index", "--terminals", "zero"],
    "td.txt": ["td"],  # exit 2 with one line for a model without features
    "td.json": ["td", "--json"],
}


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit_:
            status = exit_.code
    return f"{out.getvalue()}--- stderr ---\n{err.getvalue()}--- status {status} ---\n"


def snapshot(folder):
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for example in EXAMPLES:
        if "gridworld_5x5" in example.name or "gridworld_4x4" in example.name:
            commands = {k: v for k, v in COMMANDS.items() if not k.startswith("latex")}
        else:
            commands = COMMANDS
        for name, argv in commands.items():
            (folder / f"{example.stem}.{name}").write_text(run(argv + [str(example)]))
        for suffix in ("md", "tex"):
            target = folder / f"{example.stem}.handout.{suffix}"
            run(["handout", str(example), "-o", str(target)])
            exercise = folder / f"{example.stem}.exercise.{suffix}"
            run(["handout", str(example), "-o", str(exercise), "--exercise"])


if __name__ == "__main__":
    snapshot(sys.argv[1])
