"""Multivariate fractions in lowest terms, kept as the backend's polynomials until read.

A symbolic solve (a ring of ten states with symbolic p_i and r_i) can end in hundreds
of thousands of terms; converting them all to ``{monomial: int}`` dicts costs more than
the solve, and a caller often reads only a few entries (or none: ``solve_v`` in a
benchmark, ``optimal`` at a point). :class:`LazyFractions` is the sequence of
``(numerator, denominator)`` terms that :class:`~.vector.ExactVector` reads, made per
entry on first read, each distinct polynomial object once (the entries of a solve
usually share one denominator).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

__all__ = ["LazyFractions"]


class LazyFractions(Sequence):
    """``(numerator, denominator)`` pairs of polynomials, read as integer terms.

    Parameters
    ----------
    pairs : list
        The fractions, already in lowest terms and in the normal form of
        :func:`~.polynomials.lowest`, in the backend's own polynomial type.
    read : callable
        A polynomial as ``{(exponent, ...): int}``.

    Examples
    --------
    >>> fractions = LazyFractions([("x", "1"), ("y", "1")], lambda p: {(len(p),): 1})
    >>> fractions[1], len(fractions)
    (({(1,): 1}, {(1,): 1}), 2)
    """

    __slots__ = ("pairs", "_read", "_made", "_seen")

    def __init__(self, pairs: list, read: Callable[[object], dict]):
        self.pairs = list(pairs)
        self._read = read
        self._made: list = [None] * len(self.pairs)
        self._seen: dict = {}  # id(polynomial) -> (polynomial, terms): shared objects once

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        made = self._made[i]
        if made is None:
            made = self._made[i] = tuple(self._terms(p) for p in self.pairs[i])
        return made

    def converted(self) -> list[int]:
        """The positions whose terms have been made (read at least once).

        >>> fractions = LazyFractions([("x", "1"), ("y", "1")], lambda p: {(len(p),): 1})
        >>> _ = fractions[1]
        >>> fractions.converted()
        [1]
        """
        return [i for i, made in enumerate(self._made) if made is not None]

    def _terms(self, p) -> dict:
        key = id(p)  # the object stays alive in ``_seen`` with its terms
        if key not in self._seen:
            self._seen[key] = (p, self._read(p))
        return self._seen[key][1]
