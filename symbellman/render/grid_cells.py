"""What a grid figure shows in each cell: exact decimals, shading levels and policy arrows.

A model with a ``layout`` grid is drawn as that grid (Sutton & Barto, Figures 3.2,
3.5 and 4.1). This module decides the *content* of such figures from the model alone;
:mod:`symbellman.render.grid` draws it as TikZ or SVG.

- Numbers are rounded exactly from the rational values (never through a float), to
  ``digits`` decimals, ties upwards (towards +∞): Figure 4.1 prints v_2(s1) = −7/4 as
  −1.7.
- An action's arrow points where its successors lie on the grid: the
  probability-weighted displacement Σ p(s') (cell(s') − cell(s)), so no naming
  convention for actions is needed. Successors without a cell do not count. An action
  whose successors (on the grid) all are its own cell *stays* (drawn as a dot); one
  that moves but whose displacement cancels out *spreads* (a slippery "up" that slides
  left or right: drawn as thin arrows to each side); one with a successor beyond the
  eight neighbouring cells *jumps* (drawn dashed, towards where it lands on average:
  A → A' in Figure 3.2); one whose successors all lie off the grid *leaves* it (drawn
  as a ring).
- States without a cell (a terminal sink, say) are placed in a column beside the grid.

Coordinates are in cells: the cell in row i, column j has its centre at
(x, y) = (j, −i), so y grows upwards as in TikZ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Mapping, Sequence

from ..core.errors import ModelError
from ..core.expressions import as_fraction
from ..model.mdp import MDP

__all__ = ["fixed_text", "Place", "places", "ValueCell", "value_cells", "Arrow",
           "action_arrow", "policy_arrows", "greedy_actions", "Jump", "jumps", "Panel",
           "iteration_panels", "require_grid"]

#: The gap, in cells, between the grid and the column of states drawn beside it.
BESIDE_GAP = Fraction(1, 2)


def _grid_number(value) -> Fraction:
    """An exact rational number (int, Fraction or SymPy Rational) as a Fraction."""
    try:
        return as_fraction(value)
    except TypeError:
        pass
    raise ModelError(f"a grid shows numbers, found {value}",
                     hint="substitute values for every symbol first (--at gamma=9/10)")


def fixed_text(value, digits: int = 1) -> str:
    """``value`` rounded exactly to ``digits`` decimals, ties upwards (towards +∞).

    Parameters
    ----------
    value : int, Fraction or SymPy Rational
    digits : int
        Decimals after the point (0 gives an integer).

    Examples
    --------
    Sutton & Barto's Figure 4.1 prints −7/4 as −1.7 and Figure 3.2's 8.7890... as 8.8:

    >>> fixed_text(Fraction(-7, 4)), fixed_text(Fraction(87890, 10000))
    ('-1.7', '8.8')
    >>> fixed_text(Fraction(-1, 30)), fixed_text(22, 1), fixed_text(Fraction(2, 3), 0)
    ('0.0', '22.0', '1')
    """
    x = _grid_number(value)
    scale = 10 ** digits
    n = math.floor(x * scale + Fraction(1, 2))
    sign = "-" if n < 0 else ""
    whole, part = divmod(abs(n), scale)
    return f"{sign}{whole}" + (f".{part:0{digits}d}" if digits > 0 else "")


def require_grid(mdp: MDP) -> tuple[int, int]:
    """The grid's (rows, columns); a clear error for a model without a layout grid."""
    if mdp.layout is None or mdp.layout.grid is None:
        raise ModelError("the model has no layout grid to draw",
                         place="layout",
                         hint="give the model file a layout grid: docs/model-files.md, "
                         "section Layout")
    return mdp.layout.shape


@dataclass(frozen=True)
class Place:
    """Where a state is drawn: its centre (x, y) in cells, and whether it is in the grid."""

    state: str
    x: Fraction
    y: Fraction
    in_grid: bool


def places(mdp: MDP) -> dict[str, Place]:
    """Every state's place: its grid cell, or a column beside the grid.

    >>> from symbellman import MDP
    >>> m = MDP(["a", "b", "End"], {"a": [("b", 1, 0)], "b": [("End", 1, 1)]},
    ...         terminal=["End"], layout={"grid": [["a", "b"]]})
    >>> [(p.x, p.y, p.in_grid) for p in places(m).values()]
    [(Fraction(0, 1), Fraction(0, 1), True), (Fraction(1, 1), Fraction(0, 1), True),
     (Fraction(5, 2), Fraction(0, 1), False)]
    """
    rows, columns = require_grid(mdp)
    cells = {s: (i, j) for i, row in enumerate(mdp.layout.grid) for j, s in enumerate(row)
             if s is not None}
    result = {}
    beside = 0
    for s in mdp.states:
        cell = cells.get(s)
        if cell is None:
            result[s] = Place(s, columns + BESIDE_GAP, Fraction(-beside), False)
            beside += 1
        else:
            result[s] = Place(s, Fraction(cell[1]), Fraction(-cell[0]), True)
    return result


@dataclass(frozen=True)
class ValueCell:
    """A number in a cell: its text, and a shade from 0 (lowest value) to 1 (highest).

    ``shade`` is None for a terminal state (drawn grey, as Figure 4.1 shades them).
    """

    place: Place
    text: str
    shade: Fraction | None


def value_cells(mdp: MDP, values: Mapping, digits: int = 1) -> tuple[ValueCell, ...]:
    """The cells of a values grid: each state's value as a decimal and its shade.

    Parameters
    ----------
    mdp : MDP
        A model with a layout grid.
    values : mapping of state to exact number
        For example a :class:`~symbellman.solve.results.ValueFunction` at a numeric discount.
    digits : int
        Decimals shown.

    Examples
    --------
    >>> from symbellman import MDP
    >>> m = MDP(["a", "b"], {"a": [("b", 1, 0)], "b": [("a", 1, 1)]},
    ...         layout={"grid": [["a", "b"]]})
    >>> [(c.text, c.shade) for c in value_cells(m, {"a": Fraction(1, 3), "b": 2})]
    [('0.3', Fraction(0, 1)), ('2.0', Fraction(1, 1))]
    """
    where = places(mdp)
    exact = {s: _grid_number(values[s]) for s in mdp.states}
    live = [exact[s] for s in mdp.nonterminal] or [Fraction(0)]
    low, high = min(live), max(live)
    span = high - low
    return tuple(ValueCell(where[s], fixed_text(exact[s], digits),
                           None if mdp.is_terminal(s) else
                           (exact[s] - low) / span if span else Fraction(0))
                 for s in mdp.states)


@dataclass(frozen=True)
class Arrow:
    """Where one or more actions of a state take it on the grid.

    ``dx``, ``dy`` is the probability-weighted displacement in cells (y upwards);
    ``kind`` is ``"move"``, ``"stay"``, ``"spread"``, ``"jump"`` or ``"leave"`` (see
    the module docstring); ``actions`` are the actions drawn by this arrow. For a
    spread, ``spread`` holds the displacements of the other cells it may lead to.
    """

    dx: Fraction
    dy: Fraction
    kind: str
    actions: tuple[str, ...]
    spread: tuple[tuple[Fraction, Fraction], ...] = ()

    @property
    def angle(self) -> float:
        """The direction in degrees, anticlockwise from east (for drawing only)."""
        return math.degrees(math.atan2(self.dy, self.dx)) % 360

    @property
    def compass(self) -> str | None:
        """``"N"``, ``"NE"``, ... for the eight exact compass directions, else None.

        >>> Arrow(Fraction(0), Fraction(1, 3), "move", ("up",)).compass
        'N'
        """
        if self.kind in ("stay", "leave", "spread"):
            return None
        names = {(0, 1): "N", (1, 1): "NE", (1, 0): "E", (1, -1): "SE", (0, -1): "S",
                 (-1, -1): "SW", (-1, 0): "W", (-1, 1): "NW"}
        sx, sy = (self.dx > 0) - (self.dx < 0), (self.dy > 0) - (self.dy < 0)
        if sx and sy and abs(self.dx) != abs(self.dy):
            return None
        return names[(sx, sy)]

    def same_way(self, other: "Arrow") -> bool:
        """True if both arrows are drawn alike (same kind and exact direction)."""
        if self.kind != other.kind:
            return False
        if self.kind in ("stay", "leave", "spread"):
            return set(self.spread) == set(other.spread)
        return (self.dx * other.dy == self.dy * other.dx
                and self.dx * other.dx + self.dy * other.dy > 0)


def action_arrow(mdp: MDP, state: str, action: str | None) -> Arrow:
    """The arrow of one action: where its successors lie, weighted by probability.

    Examples
    --------
    Sutton & Barto's 5 × 5 gridworld (Example 3.5): in A = r0c1 every action jumps to
    A' = r4c1, four rows down; from r0c0, "north" bumps into the wall and stays.

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> m = sutton_barto_gridworld_5x5()
    >>> a = action_arrow(m, "r0c1", "north")
    >>> (a.kind, a.compass, a.dy)
    ('jump', 'S', Fraction(-4, 1))
    >>> action_arrow(m, "r0c0", "north").kind, action_arrow(m, "r0c0", "east").compass
    ('stay', 'E')
    """
    return _arrow(mdp, places(mdp), state, action)


def _arrow(mdp: MDP, where: Mapping[str, Place], state: str, action: str | None) -> Arrow:
    here = where[state]
    dx = dy = Fraction(0)
    on_grid = False
    kind = "move"
    others: dict[tuple[Fraction, Fraction], None] = {}  # other cells, in model order
    for o in mdp.outcomes(state, action):
        there = where[o.next_state]
        if not there.in_grid:
            continue
        on_grid = True
        p = _grid_number(o.probability)
        step = (there.x - here.x, there.y - here.y)
        dx += p * step[0]
        dy += p * step[1]
        if step != (0, 0):
            others[step] = None
        if max(abs(step[0]), abs(step[1])) > 1:
            kind = "jump"
    if not on_grid:
        return Arrow(dx, dy, "leave", (action,))
    if not others:
        return Arrow(dx, dy, "stay", (action,))
    if dx == 0 and dy == 0:
        return Arrow(dx, dy, "spread", (action,), tuple(others))
    return Arrow(dx, dy, kind, (action,))


def policy_arrows(mdp: MDP, actions_by_state: Mapping[str, Sequence[str]]
                  ) -> dict[str, tuple[Arrow, ...]]:
    """The arrows of each state's chosen actions; actions drawn alike share one arrow.

    Parameters
    ----------
    actions_by_state : mapping of state to sequence of actions
        For example ``optimal(mdp).policy``: several actions draw several arrows (ties).

    Examples
    --------
    Figure 3.5: in r1c0 both north and east are optimal.

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> m = sutton_barto_gridworld_5x5()
    >>> [a.compass for a in policy_arrows(m, {"r1c0": ["north", "east"]})["r1c0"]]
    ['N', 'E']
    """
    where = places(mdp)
    result = {}
    for s, actions in actions_by_state.items():
        if not where[s].in_grid:
            continue  # a state beside the grid has no direction to point in
        arrows: list[Arrow] = []
        for a in actions:
            arrow = _arrow(mdp, where, s, a)
            for i, seen in enumerate(arrows):
                if seen.same_way(arrow):
                    arrows[i] = replace(seen, actions=seen.actions + (a,))
                    break
            else:
                arrows.append(arrow)
        result[s] = tuple(arrows)
    return result


def greedy_actions(mdp: MDP, values: Mapping) -> dict[str, tuple[str, ...]]:
    """Every action of each state that is greedy with respect to ``values``, exactly.

    The one-step lookahead Σ p(s'|s, a) [r + γ v(s')] is computed in fractions and every
    action reaching its maximum is kept (ties), as in the right column of Figure 4.1.

    Examples
    --------
    Sutton & Barto, Figure 4.1: greedy with respect to v_1 (−1 everywhere but the
    terminal corners), s1 goes left into the corner; s5 has four equal choices.

    >>> from symbellman.model.examples import sutton_barto_gridworld_4x4
    >>> m = sutton_barto_gridworld_4x4()
    >>> v1 = {s: 0 if m.is_terminal(s) else -1 for s in m.states}
    >>> greedy = greedy_actions(m, v1)
    >>> greedy["s1"], greedy["s5"]
    (('left',), ('up', 'down', 'right', 'left'))
    """
    gamma = _grid_number(mdp.discount)
    v = {s: _grid_number(values[s]) for s in mdp.states}
    result = {}
    for s in mdp.nonterminal:
        q = {a: sum((_grid_number(o.probability) * (_grid_number(o.reward) + gamma * v[o.next_state])
                     for o in mdp.outcomes(s, a)), Fraction(0)) for a in mdp.actions(s)}
        best = max(q.values())
        result[s] = tuple(a for a in mdp.actions(s) if q[a] == best)
    return result


@dataclass(frozen=True)
class Jump:
    """A transition to a cell beyond the neighbouring ones (A → A'), for the grid diagram."""

    source: str
    target: str
    reward: object  # a SymPy expression


def jumps(mdp: MDP) -> tuple[Jump, ...]:
    """The distinct (source, target, reward) jumps of the model, in model order.

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> [(j.source, j.target, j.reward) for j in jumps(sutton_barto_gridworld_5x5())]
    [('r0c1', 'r4c1', 10), ('r0c3', 'r2c3', 5)]
    """
    where = places(mdp)
    seen: dict[tuple, Jump] = {}
    for s, a in mdp.state_action_pairs:
        for o in mdp.outcomes(s, a):
            here, there = where[s], where[o.next_state]
            if not (here.in_grid and there.in_grid):
                continue
            if max(abs(there.x - here.x), abs(there.y - here.y)) > 1:
                seen.setdefault((s, o.next_state, o.reward), Jump(s, o.next_state, o.reward))
    return tuple(seen.values())


@dataclass(frozen=True)
class Panel:
    """One small grid of Figure 4.1: v_k after ``k`` sweeps (``k`` None for k = ∞)."""

    k: int | None
    values: Mapping


def iteration_panels(mdp, policy=None, ks: Sequence[int | None] = (0, 1, 2, 3, 10, None)
                     ) -> tuple[Panel, ...]:
    """v_k of iterative policy evaluation (synchronous, exact) at the sweeps ``ks``.

    ``None`` in ``ks`` stands for k = ∞: v_π itself, solved exactly.

    Examples
    --------
    Sutton & Barto, Figure 4.1 (the random policy on the 4 × 4 gridworld):

    >>> from symbellman.model.examples import sutton_barto_gridworld_4x4
    >>> panels = iteration_panels(sutton_barto_gridworld_4x4(), ks=(2, None))
    >>> [fixed_text(p.values["s1"]) for p in panels]
    ['-1.7', '-14.0']
    """
    from ..solve.iterate import policy_evaluation_trace
    from ..study import Study

    study = Study.of(mdp, policy)
    mdp = study.mdp
    finite = [k for k in ks if k is not None]
    trace = policy_evaluation_trace(mdp, study.policy, max(finite)) if finite else []
    panels = []
    for k in ks:
        if k is None:
            v = study.v
            panels.append(Panel(None, {s: v[s] for s in mdp.states}))
        else:
            panels.append(Panel(k, trace[k]))
    return tuple(panels)
