"""Where a model's states are drawn: a grid of cells, or pinned positions in a diagram.

A :class:`Layout` is the optional ``layout`` key of a model file (see the model-file
spec, section Layout). With a ``grid``, renderers draw the model as a grid: values in the
cells and optimal actions as arrows towards where the action's successors lie. With
``positions``, a state diagram pins those states. Both are checked once, here, against
the model's states; afterwards the layout cannot change.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from ..core.expressions import as_fraction
from ..core.errors import ModelError
from ..core.expressions import exact
from ..core.names import did_you_mean
from ..core.states import check_state, state_entries

__all__ = ["Layout"]

#: Cell values that leave a grid cell blank (a wall); YAML's null reads as text.
BLANK_CELLS = (None, "null", "~", "")


@dataclass(frozen=True)
class Layout:
    """A grid of states (rows top to bottom) and/or pinned diagram positions.

    Parameters
    ----------
    grid : tuple of tuples of (str or None), optional
        ``grid[row][column]`` is a state name, or None for a blank cell.
    positions : mapping of str to (Fraction, Fraction), optional
        Diagram coordinates of some states.

    Examples
    --------
    >>> layout = Layout.read({"grid": [["A", "B"], ["C", None]]}, ["A", "B", "C", "End"])
    >>> layout.shape
    (2, 2)
    >>> layout.cell("C")
    (1, 0)
    >>> layout.cell("End") is None
    True
    """

    grid: tuple[tuple[str | None, ...], ...] | None = None
    positions: Mapping[str, tuple[Fraction, Fraction]] | None = None

    @property
    def shape(self) -> tuple[int, int] | None:
        """(rows, columns) of the grid, or None without one."""
        if self.grid is None:
            return None
        return len(self.grid), len(self.grid[0])

    def cell(self, state: str) -> tuple[int, int] | None:
        """The (row, column) of ``state`` in the grid, or None where it has no cell."""
        return self._cells.get(state)

    @property
    def _cells(self) -> Mapping[str, tuple[int, int]]:
        return {s: (i, j) for i, row in enumerate(self.grid or ())
                for j, s in enumerate(row) if s is not None}

    def as_data(self) -> dict[str, Any]:
        """The layout as model-file data (``{"grid": [...], "positions": {...}}``)."""
        data: dict[str, Any] = {}
        if self.grid is not None:
            data["grid"] = [list(row) for row in self.grid]
        if self.positions is not None:
            data["positions"] = {s: [_number_text(x), _number_text(y)]
                                 for s, (x, y) in self.positions.items()}
        return data

    @classmethod
    def read(cls, data: Any, states: Sequence[str]) -> "Layout":
        """Check model-file data for the ``layout`` key against the model's states.

        Raises
        ------
        ModelError
            For an unknown key or state, a state placed twice, or a ragged grid.

        >>> Layout.read({"grid": [["A", "B"], ["C"]]}, ["A", "B", "C"])
        Traceback (most recent call last):
        ...
        symbellman.core.errors.ModelError: layout.grid[1]: this row has 1 cells, the first has 2 (make every row as long as the first; null leaves a cell blank)
        """
        if isinstance(data, Layout):
            data = data.as_data()
        if not isinstance(data, Mapping) or not data:
            raise ModelError("'layout' must be a map with 'grid' and/or 'positions'",
                             place="layout", hint="see the model-file spec, section Layout")
        for key in data:
            if key not in ("grid", "positions"):
                raise ModelError(f"unknown key {key!r}", place="layout",
                                 hint=did_you_mean(str(key), ("grid", "positions"),
                                                   "a layout has 'grid' and/or 'positions'"))
        known = set(states)
        grid = _read_grid(data["grid"], known) if "grid" in data else None
        positions = (_read_positions(data["positions"], known) if "positions" in data
                     else None)
        return cls(grid, positions)


def _read_grid(rows: Any, known: set[str]) -> tuple[tuple[str | None, ...], ...]:
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not rows:
        raise ModelError("'grid' must be a list of rows, each a list of state names",
                         place="layout.grid")
    seen: dict[str, str] = {}
    result = []
    for i, row in enumerate(rows):
        place = f"layout.grid[{i}]"
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or not row:
            raise ModelError("a grid row must be a non-empty list of state names or null",
                             place=place)
        if len(row) != len(rows[0]):
            raise ModelError(f"this row has {len(row)} cells, the first has {len(rows[0])}",
                             place=place, hint="make every row as long as the first; "
                             "null leaves a cell blank")
        cells = []
        for j, s in enumerate(row):
            if s in BLANK_CELLS:
                cells.append(None)
                continue
            where = f"{place}[{j}]"
            check_state(s, known, where)
            if s in seen:
                raise ModelError(f"state {s!r} is placed twice", place=where,
                                 hint=f"it is already at {seen[s]}")
            seen[s] = where
            cells.append(s)
        result.append(tuple(cells))
    return tuple(result)


def _read_positions(positions: Any, known: set[str]) -> Mapping[str, tuple[Fraction, Fraction]]:
    result = {}
    for s, xy, place in state_entries(positions, "layout.positions", "state names to [x, y]",
                                      known):
        if isinstance(xy, (str, bytes)) or not isinstance(xy, Sequence) or len(xy) != 2:
            raise ModelError(f"expected [x, y], found {xy!r}", place=place)
        point = []
        for k, value in enumerate(xy):
            number = exact(value, place=f"{place}[{k}]")
            if number.free_symbols or not number.is_Rational:
                raise ModelError(f"a coordinate must be a number, found {value!r}",
                                 place=f"{place}[{k}]")
            point.append(as_fraction(number))
        result[s] = (point[0], point[1])
    return MappingProxyType(result)


def _number_text(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
