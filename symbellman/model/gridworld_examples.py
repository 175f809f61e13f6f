"""The gridworlds among the shipped examples: the general rectangular grid and Sutton &
Barto's two (Examples 3.5 and 4.1), each cell a state named ``r{row}c{column}`` counted
from 0 at the top left (re-exported by :mod:`symbellman.model.examples`).
"""

from __future__ import annotations

from typing import Any, Sequence

from sympy import Rational

from ..core.errors import ModelError
from .mdp import MDP
from ..core.symbols import gamma

__all__ = ["gridworld", "sutton_barto_gridworld_5x5", "sutton_barto_gridworld_4x4",
           "SUTTON_BARTO_SPECIALS"]


#: Sutton & Barto's special cells of Example 3.5, as (from, to, reward) with cells
#: (row, column) counted from 0 at the top left: A = (0, 1) jumps to A' = (4, 1) with
#: +10, B = (0, 3) jumps to B' = (2, 3) with +5, whatever the action.
SUTTON_BARTO_SPECIALS = (((0, 1), (4, 1), 10), ((0, 3), (2, 3), 5))

_COMPASS = {"north": (-1, 0), "south": (1, 0), "east": (0, 1), "west": (0, -1)}


def _cell(row: int, col: int) -> str:
    return f"r{row}c{col}"


def _move(row: int, col: int, step: tuple[int, int], rows: int, cols: int):
    """The cell a move leads to, or None when it would leave the grid."""
    r, c = row + step[0], col + step[1]
    return (r, c) if 0 <= r < rows and 0 <= c < cols else None


def gridworld(rows: int, cols: int, *,
              specials: Sequence[tuple[tuple[int, int], tuple[int, int], Any]] | None = None,
              discount=gamma, name: str | None = None) -> MDP:
    """Sutton & Barto's gridworld of Example 3.5, of any size.

    Description
    -----------
    A continuing task on a ``rows`` × ``cols`` grid; nothing is terminal. The state
    in row ``i``, column ``j`` (both from 0, row 0 at the top) is named ``r{i}c{j}``,
    and :attr:`MDP.states` lists them in row-major order: ``r0c0, r0c1, ...``.

    Actions
    -------
    ``north``, ``south``, ``east``, ``west`` in every state; each moves one cell, with
    certainty.

    Rewards
    -------
    A move that would leave the grid leaves the state unchanged and gives −1; any
    other move gives 0. From a special cell every action jumps to that cell's target
    with the special reward: in the book A = (0, 1) → A' = (4, 1) with +10 and
    B = (0, 3) → B' = (2, 3) with +5 (:data:`SUTTON_BARTO_SPECIALS`).

    Source
    ------
    R. S. Sutton and A. G. Barto, *Reinforcement Learning: An Introduction*, 2nd ed.
    (2018), Example 3.5 and Figure 3.2 (the 5 × 5 grid; see
    :func:`sutton_barto_gridworld_5x5`). Other sizes are an extension for
    benchmarks: the rules are the same, and A and B stay at the same coordinates.

    Parameters
    ----------
    rows, cols : int
        The size of the grid.
    specials : sequence of ((row, col), (row, col), reward), optional
        The jump cells. By default the book's A and B, each kept only if both its cell
        and its target lie on the grid: a 10 × 10 or 20 × 20 grid has both, a 4 × 4
        grid only B, a 3 × 3 grid neither. Specials given explicitly must fit.
    discount : number, str or Symbol, optional
        γ; by default the symbol ``gamma``.
    name : str, optional
        The title; by default ``"Gridworld {rows}x{cols}"``.

    Raises
    ------
    ModelError
        If the size is not a positive integer, or an explicit special does not fit.

    Examples
    --------
    The 10 × 10 grid used by the benchmarks has 100 states and both jumps:

    >>> g = gridworld(10, 10)
    >>> len(g.states), g.states[:3], g.states[-1]
    (100, ('r0c0', 'r0c1', 'r0c2'), 'r9c9')
    >>> g.outcomes("r0c1", "west")
    (Outcome('r4c1', p=1, r=10),)
    >>> g.outcomes("r9c9", "east")
    (Outcome('r9c9', p=1, r=-1),)
    """
    for value, what in ((rows, "rows"), (cols, "cols")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ModelError(f"the number of {what} must be a positive integer, got {value!r}",
                             place=what)
    inside = lambda cell: 0 <= cell[0] < rows and 0 <= cell[1] < cols  # noqa: E731
    if specials is None:
        specials = [sp for sp in SUTTON_BARTO_SPECIALS if inside(sp[0]) and inside(sp[1])]
    jumps = {}
    for i, (source, target, reward) in enumerate(specials):
        source, target = tuple(source), tuple(target)
        for cell in (source, target):
            if not inside(cell):
                raise ModelError(f"the cell {cell} is not on the {rows}x{cols} grid",
                                 place=f"specials[{i}]",
                                 hint=f"rows go from 0 to {rows - 1}, columns from 0 to "
                                      f"{cols - 1}")
        if source in jumps:
            raise ModelError(f"the cell {source} has two jumps", place=f"specials[{i}]")
        jumps[source] = (target, reward)
    states, transitions = [], {}
    for row in range(rows):
        for col in range(cols):
            here = _cell(row, col)
            states.append(here)
            if (row, col) in jumps:
                (r, c), reward = jumps[(row, col)]
                transitions[here] = {a: {"to": _cell(r, c), "r": reward} for a in _COMPASS}
                continue
            transitions[here] = {}
            for a, step in _COMPASS.items():
                cell = _move(row, col, step, rows, cols)
                transitions[here][a] = ({"to": here, "r": -1} if cell is None
                                        else {"to": _cell(*cell), "r": 0})
    grid = [[_cell(row, col) for col in range(cols)] for row in range(rows)]
    return MDP(states, transitions, actions={s: list(_COMPASS) for s in states},
               discount=discount, name=name if name is not None else f"Gridworld {rows}x{cols}",
               layout={"grid": grid})


def sutton_barto_gridworld_5x5(discount=Rational(9, 10)) -> MDP:
    """Sutton & Barto's 5 × 5 gridworld, Example 3.5, with γ = 0.9 as in the book.

    Description
    -----------
    :func:`gridworld` ``(5, 5)``: states ``r0c0`` … ``r4c4`` in row-major order, no
    terminal state. Figure 3.2 shows the values of the equiprobable random policy;
    Figure 3.5 shows v*.

    Actions
    -------
    ``north``, ``south``, ``east``, ``west``.

    Rewards
    -------
    −1 for a move off the grid (the state stays), 0 for other moves; every action in
    A = ``r0c1`` goes to A' = ``r4c1`` with +10, every action in B = ``r0c3`` to
    B' = ``r2c3`` with +5.

    Source
    ------
    Sutton & Barto, *Reinforcement Learning: An Introduction*, 2nd ed. (2018),
    Example 3.5, Figure 3.2 (γ = 0.9).

    Examples
    --------
    >>> g = sutton_barto_gridworld_5x5()
    >>> g.discount, g.outcomes("r0c3", "north")
    (9/10, (Outcome('r2c3', p=1, r=5),))
    """
    return gridworld(5, 5, discount=discount)


_BOOK_MOVES = {"up": (-1, 0), "down": (1, 0), "right": (0, 1), "left": (0, -1)}


def sutton_barto_gridworld_4x4(discount=1) -> MDP:
    """Sutton & Barto's 4 × 4 gridworld of Example 4.1 (an episodic task).

    Description
    -----------
    Sixteen cells numbered 0 … 15 in row-major order. The book shades the two corner
    cells 0 and 15 and calls them one terminal state shown in two places; here they
    are two terminal states, ``T0`` (top left) and ``T15`` (bottom right), which gives
    the same values since both are worth 0. The other cells are the non-terminal
    states ``s1`` … ``s14``, numbered as in the book's Figure 4.1. States are listed
    in row-major order: ``T0, s1, ..., s14, T15``.

    Actions
    -------
    ``up``, ``down``, ``right``, ``left`` (the book's names and order), each moving one
    cell with certainty; a move that would leave the grid leaves the state unchanged.

    Rewards
    -------
    −1 on every transition, including the last one into a terminal state. The book
    uses γ = 1 (undiscounted).

    Source
    ------
    Sutton & Barto, *Reinforcement Learning: An Introduction*, 2nd ed. (2018),
    Example 4.1, Figure 4.1 (iterative policy evaluation of the equiprobable random
    policy).

    Examples
    --------
    >>> g = sutton_barto_gridworld_4x4()
    >>> g.terminal, g.outcomes("s1", "left"), g.outcomes("s1", "up")
    (('T0', 'T15'), (Outcome('T0', p=1, r=-1),), (Outcome('s1', p=1, r=-1),))
    """
    def name(number: int) -> str:
        return f"T{number}" if number in (0, 15) else f"s{number}"

    states = [name(n) for n in range(16)]
    transitions = {}
    for n in range(1, 15):
        row, col = divmod(n, 4)
        transitions[name(n)] = {}
        for a, step in _BOOK_MOVES.items():
            cell = _move(row, col, step, 4, 4)
            to = name(n) if cell is None else name(4 * cell[0] + cell[1])
            transitions[name(n)][a] = {"to": to, "r": -1}
    return MDP(states, transitions,
               actions={name(n): list(_BOOK_MOVES) for n in range(1, 15)},
               terminal=["T0", "T15"], discount=discount, name="Gridworld 4x4",
               layout={"grid": [states[4 * row:4 * row + 4] for row in range(4)]})
