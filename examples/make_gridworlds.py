"""Write the gridworld model files, straight from the book's rules.

    python examples/make_gridworlds.py            # rewrites gridworld_5x5.yaml and _4x4.yaml
    python examples/make_gridworlds.py ROWS COLS  # prints a ROWS x COLS one (discount gamma)

The rules are written out here once more, independently of ``symbellman.model.examples``, on
purpose: tests/test_examples.py checks that each file loads into a model equal to the
one built in code, so the two writings check each other. Only the standard library is
used, so the script runs without symbellman installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPASS = {"north": (-1, 0), "south": (1, 0), "east": (0, 1), "west": (0, -1)}
BOOK_MOVES = {"up": (-1, 0), "down": (1, 0), "right": (0, 1), "left": (0, -1)}
# Sutton & Barto (2018), Example 3.5: A = (0, 1) -> A' = (4, 1), +10; B = (0, 3) -> B' = (2, 3), +5.
SPECIALS = {(0, 1): ((4, 1), 10), (0, 3): ((2, 3), 5)}

HEADER_5X5 = """\
# Sutton & Barto's gridworld: R. S. Sutton and A. G. Barto, Reinforcement Learning:
# An Introduction, 2nd ed. (2018), Example 3.5; Figure 3.2 shows the values of the
# equiprobable random policy below, with discount 0.9.
# States r{row}c{col}, row 0 at the top, in row-major order; nothing is terminal.
# Rewards on (s, a): a move off the grid leaves the state unchanged and gives -1, any
# other move gives 0; every action in A = r0c1 jumps to A' = r4c1 with +10, every
# action in B = r0c3 jumps to B' = r2c3 with +5.
"""

HEADER_4X4 = """\
# Sutton & Barto's small gridworld: R. S. Sutton and A. G. Barto, Reinforcement
# Learning: An Introduction, 2nd ed. (2018), Example 4.1; Figure 4.1 evaluates the
# equiprobable random policy below, undiscounted (discount 1).
# Cells 0..15 in row-major order. The book's one terminal state, drawn in the two
# shaded corners, is written as two terminal states T0 and T15 (same values, both 0);
# the non-terminal states s1..s14 are numbered as in the book.
# Rewards on (s, a): -1 on every transition, the last one into a terminal state
# included; a move off the grid leaves the state unchanged.
"""

HEADER_GENERAL = """\
# A {rows}x{cols} gridworld with the rules of Sutton & Barto (2018), Example 3.5: a move
# off the grid leaves the state unchanged and gives -1, other moves give 0, and the
# book's jumps A = r0c1 -> A' = r4c1 (+10) and B = r0c3 -> B' = r2c3 (+5) are kept
# where both cells lie on the grid. States r{{row}}c{{col}}, row 0 at the top.
"""

FOOTER = "# Written by examples/make_gridworlds.py: edit and rerun that script, not this file.\n"


def _grid_states(names: list[list[str]]) -> str:
    rows = [", ".join(row) for row in names]
    return "states: [" + ",\n         ".join(rows) + "]\n"


def _layout(names: list[list[str]]) -> str:
    rows = "".join(f"    - [{', '.join(row)}]\n" for row in names)
    return "layout:\n  grid:\n" + rows


def _model(header: str, name: str, discount: str, names: list[list[str]],
           terminal: list[str], moves: dict, outcomes) -> str:
    """The YAML text; ``outcomes(row, col, move)`` gives (next state name, reward)."""
    width = max(map(len, moves)) + 1
    lines = [header + FOOTER, "format: 1\n", f"name: {name}\n", f"discount: {discount}\n",
             _grid_states(names)]
    if terminal:
        lines.append(f"terminal: [{', '.join(terminal)}]\n")
    lines.append("actions:\n")
    for row in names:
        for s in row:
            if s not in terminal:
                lines.append(f"  {s}: [{', '.join(moves)}]\n")
    lines.append("transitions:\n")
    for i, row in enumerate(names):
        for j, s in enumerate(row):
            if s in terminal:
                continue
            lines.append(f"  {s}:\n")
            for move in moves:
                to, reward = outcomes(i, j, move)
                lines.append(f"    {move + ':':<{width}} {{to: {to}, r: {reward}}}\n")
    lines.append("policy: uniform\n")
    lines.append(_layout(names))
    return "".join(lines)


def gridworld_yaml(rows: int, cols: int, discount: str = "gamma", *, name: str | None = None,
                   header: str | None = None) -> str:
    """Example 3.5's rules on a rows x cols grid, as a model file."""
    names = [[f"r{i}c{j}" for j in range(cols)] for i in range(rows)]
    on_grid = lambda i, j: 0 <= i < rows and 0 <= j < cols  # noqa: E731
    jumps = {cell: jump for cell, jump in SPECIALS.items()
             if on_grid(*cell) and on_grid(*jump[0])}

    def outcomes(i, j, move):
        if (i, j) in jumps:
            (ti, tj), reward = jumps[(i, j)]
            return names[ti][tj], reward
        ti, tj = i + COMPASS[move][0], j + COMPASS[move][1]
        return (names[ti][tj], 0) if on_grid(ti, tj) else (names[i][j], -1)

    return _model(header or HEADER_GENERAL.format(rows=rows, cols=cols),
                  name or f"Gridworld {rows}x{cols}", discount, names, [], COMPASS, outcomes)


def gridworld_4x4_yaml() -> str:
    """Example 4.1 as a model file."""
    label = lambda n: f"T{n}" if n in (0, 15) else f"s{n}"  # noqa: E731
    names = [[label(4 * i + j) for j in range(4)] for i in range(4)]

    def outcomes(i, j, move):
        ti, tj = i + BOOK_MOVES[move][0], j + BOOK_MOVES[move][1]
        return (names[ti][tj] if 0 <= ti < 4 and 0 <= tj < 4 else names[i][j]), -1

    return _model(HEADER_4X4, "Gridworld 4x4", "1", names, ["T0", "T15"], BOOK_MOVES,
                  outcomes)


def shipped_files() -> dict[str, str]:
    """File name -> text of every file this script writes."""
    return {"gridworld_5x5.yaml": gridworld_yaml(5, 5, "0.9", header=HEADER_5X5),
            "gridworld_4x4.yaml": gridworld_4x4_yaml()}


def main(argv: list[str]) -> int:
    if len(argv) == 2:
        sys.stdout.write(gridworld_yaml(int(argv[0]), int(argv[1])))
        return 0
    if argv:
        sys.stderr.write(__doc__)
        return 2
    for name, text in shipped_files().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
