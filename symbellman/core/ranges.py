"""Ranges: a ``vary`` range of integers held by its ends, not as a list of its values;
and a span of a parameter (γ) with exact ends and their decimals.

See Also
--------
symbellman.model.mdp.MDP : whose ``vary`` ranges these are.
symbellman.optimal.pieces.Piece, symbellman.solve.horizon.StagePiece,
symbellman.projected.stability.Interval : spans of γ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sympy import Expr, Integer

__all__ = ["IntegerRange", "Span"]


@dataclass(frozen=True, repr=False)
class Span:
    """From ``start`` to ``end`` (exact: rationals or algebraic numbers), with each end
    as decimal text: what the optimal pieces over γ, the finite-horizon stage pieces and
    the TD stability intervals have in common.

    >>> Span(Integer(0), Integer(1) / 2, "0", "0.5").end
    1/2
    """

    start: Expr
    end: Expr
    start_decimal: str
    end_decimal: str


class IntegerRange(Sequence):
    """The integers ``low..high`` of a ``vary`` range, without a list of them in memory.

    Ten ranges of a million values each are 300 bytes of model file: held as tuples
    they took 1.2 GB before anything was asked of them. A range is read by position,
    and written back as ``{from: low, to: high}``.

    >>> r = IntegerRange(1, 10**6)
    >>> len(r), r[0], r[-1], r[999_999], list(IntegerRange(2, 4))
    (1000000, 1, 1000000, 1000000, [2, 3, 4])
    >>> IntegerRange(2, 4) == (Integer(2), Integer(3), Integer(4))
    True
    """

    __slots__ = ("low", "high")

    def __init__(self, low: int, high: int):
        self.low, self.high = int(low), int(high)

    def __len__(self) -> int:
        return self.high - self.low + 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(len(self))))
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("range index out of range")
        return Integer(self.low + i)

    def __iter__(self):
        return (Integer(k) for k in range(self.low, self.high + 1))

    def __contains__(self, value) -> bool:
        return getattr(value, "is_Integer", isinstance(value, int)) and \
            self.low <= value <= self.high

    def __eq__(self, other) -> bool:
        if isinstance(other, IntegerRange):
            return (self.low, self.high) == (other.low, other.high)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((IntegerRange, self.low, self.high))

    def __repr__(self) -> str:
        return f"IntegerRange({self.low}, {self.high})"

    def as_data(self) -> dict:
        """``{"from": low, "to": high}``, as a model file writes the range."""
        return {"from": str(self.low), "to": str(self.high)}
