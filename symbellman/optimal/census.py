"""How many pieces the sweep over γ will find: a floating-point census for its progress.

The exact sweep (:func:`~.pieces.optimal_pieces`) finds each breakpoint from the
closed forms of the piece before it, so the number of pieces is known only when it
reaches the end of the range. A progress bar that says "piece k of n" needs n before
that. Here policy iteration runs in floating point at a few hundred points of the range,
and every pair of neighbouring points whose optimal policies differ holds at least one
breakpoint. So the pieces number at least as many as the changes seen, and exactly as
many when no piece is shorter than the grid's spacing (the grid is dense near the end
of the range, where FrozenLake's and most models' breakpoints crowd in).

Nothing of the answer comes from here: the census only names the bars.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction

from sympy import Symbol

from ..model.mdp import MDP

__all__ = ["Census", "census"]

#: The most non-terminal states a census is tried on (one dense float solve per point).
MAX_STATES = 1500

#: Seconds after which a census gives up (then the bars say "piece k" alone).
DEADLINE = 3.0

_UNIFORM = 160  # points spread evenly over the range
_DECADES, _PER_DECADE = 8, 16  # points crowding towards its end: 1 − γ down to 1e-8
_SHIFT = (math.sqrt(5) - 1) / 2  # keeps the points off simple rationals such as 1/2
_ROUNDING = 1e-12  # relative rounding of a value in floats, at γ = 0
_DEPTH = 24  # halvings of an interval in which several states change their action


@dataclass(frozen=True)
class Census:
    """Where the floating-point optimal policy changed: intervals of the range, each
    holding at least one breakpoint of its own.

    Attributes
    ----------
    changes : tuple of (float, float)
        For each change between neighbouring points lo < hi, the pair (lo, hi);
        disjoint and increasing.

    Examples
    --------
    Two changes, one left of 0.3 and one right of it; piece 1 starts at 0:

    >>> c = Census(((0.25, 0.26), (0.7, 0.71)))
    >>> c.count(1, 0.0), c.count(2, 0.255), c.count(3, 0.705)
    (3, 3, 3)
    """

    changes: tuple[tuple[float, float], ...]

    def count(self, k: int, start: float) -> int:
        """The number of pieces, at least, when piece ``k`` starts at ``start``: k and
        one for each change seen wholly right of ``start``."""
        return k + len(self.changes) - bisect_left([lo for lo, _hi in self.changes], start)


def _grid(low: float, high: float) -> list[float]:
    width = high - low
    points = {low + width * (i + _SHIFT) / _UNIFORM for i in range(_UNIFORM)}
    for j in range(_DECADES * _PER_DECADE):
        points.add(high - width * 10 ** (-(j + _SHIFT) / _PER_DECADE))
    return sorted(p for p in points if low < p < high)


def _numbers(mdp: MDP, x: Symbol):
    """``at(t)``: (P, r, discount) in floats with ``x`` = t, P one row per
    state-action pair over the non-terminal states; and the pairs' owners."""
    import numpy as np
    from sympy import lambdify

    index = {s: i for i, s in enumerate(mdp.nonterminal)}
    pairs = mdp.state_action_pairs
    cells, exprs = [], []
    for row, (s, a) in enumerate(pairs):
        for o in mdp.outcomes(s, a):
            k = index.get(o.next_state)
            if k is not None:
                cells.append((row, k))
                exprs.append(o.probability)
    rewards = [mdp.expected_reward(s, a) for s, a in pairs]
    owner = np.array([index[s] for s, _a in pairs])
    rows = np.array([c[0] for c in cells], dtype=int)
    cols = np.array([c[1] for c in cells], dtype=int)
    m, n = len(pairs), len(index)

    def arrays(values):
        P = np.zeros((m, n))
        np.add.at(P, (rows, cols), values[:len(cells)])
        return P, np.asarray(values[len(cells):], dtype=float)

    discount = lambdify([x], mdp.discount, modules="math")
    if any(e.free_symbols for e in exprs + rewards):
        numbers = lambdify([x], exprs + rewards, modules="math")

        def at(t: float):
            return (*arrays(numbers(t)), float(discount(t)))
    else:  # only the discount varies: P and r are read once
        fixed = arrays([float(e) for e in exprs + rewards])

        def at(t: float):
            return (*fixed, float(discount(t)))

    return at, owner, n


@dataclass(frozen=True)
class _Optimal:
    """The float policy at one point: the action chosen in each state (a pair row),
    and every pair within rounding of its state's best (``near``)."""

    choice: object
    near: object


def _optimal(P, r, g: float, owner, choice) -> _Optimal:
    """Policy iteration in floats from ``choice`` (one pair row per state), keeping the
    current action unless another is better by more than rounding."""
    import numpy as np

    n = len(choice)
    for _ in range(100):
        v = np.linalg.solve(np.eye(n) - g * P[choice], r[choice])
        q = r + g * (P @ v)
        if not np.all(np.isfinite(q)):
            raise ArithmeticError("not finite")
        best, size = np.full(n, -np.inf), np.zeros(n)
        np.maximum.at(best, owner, q)
        np.maximum.at(size, owner, np.abs(q))
        # relative to each state's own values, and to the conditioning of I − γP, which
        # grows as 1/(1 − γ); below it floats cannot tell two actions apart
        rounding = _ROUNDING / max(1 - g, 1e-6) * size
        better = np.nonzero(best > q[choice] + rounding)[0]
        if not len(better):
            return _Optimal(choice, q >= (best - rounding)[owner])
        choice = choice.copy()
        for s in better:
            rows = np.nonzero(owner == s)[0]
            choice[s] = rows[np.argmax(q[rows])]
    raise ArithmeticError("policy iteration did not settle")


def _changed(a: _Optimal, b: _Optimal, owner, n: int):
    """The states whose near-optimal actions at a and at b have none in common: there
    the optimal policy surely changed between the two points."""
    import numpy as np

    shared = np.zeros(n, dtype=bool)
    shared[owner[a.near & b.near]] = True
    return np.nonzero(~shared)[0]


def census(mdp: MDP, x: Symbol, low: Fraction, high: Fraction) -> Census | None:
    """Count, in floating point, where the optimal policy changes over [low, high).

    Parameters
    ----------
    mdp : MDP
        The model, with ``x`` its only symbol.
    x : Symbol
        The variable of the sweep (the discount or a parameter).
    low, high : Fraction
        The range.

    Returns
    -------
    Census or None
        None when the model is too large for a quick census, a solve fails in floats
        (a singular point), or it takes longer than :data:`DEADLINE` seconds.

    See Also
    --------
    symbellman.optimal.pieces.optimal_pieces : the exact sweep whose bars this names.

    Examples
    --------
    Sutton & Barto's Exercise 3.22 changes from ``left`` to ``right`` once, at γ = 1/2:

    >>> from symbellman.model.examples import exercise_3_22
    >>> from sympy import Symbol
    >>> found = census(exercise_3_22(), Symbol("gamma"), Fraction(0), Fraction(1))
    >>> [lo < 0.5 < hi for lo, hi in found.changes]
    [True]
    """
    import numpy as np

    if not mdp.nonterminal or len(mdp.nonterminal) > MAX_STATES:
        return None
    began = time.monotonic()
    try:
        at, owner, n = _numbers(mdp, x)

        def policy(t: float, start):
            if time.monotonic() - began > DEADLINE:
                raise TimeoutError
            P, r, g = at(t)
            return _optimal(P, r, g, owner, start)

        def split(lo: float, a: _Optimal, hi: float, b: _Optimal, depth: int
                  ) -> list[tuple[float, float]]:
            # a change from a (at lo) to b (at hi): where several states change their
            # action, halve the interval to see whether they change at one point
            if depth == 0 or len(_changed(a, b, owner, n)) == 1:
                return [(lo, hi)]
            mid = (lo + hi) / 2
            m = policy(mid, a.choice)
            found = split(lo, a, mid, m, depth - 1) if len(_changed(a, m, owner, n)) else []
            if len(_changed(m, b, owner, n)):
                found += split(mid, m, hi, b, depth - 1)
            return found

        choice = np.unique(owner, return_index=True)[1]  # each state's first action
        last, before, changes = None, None, []
        grid = _grid(float(low), float(high))
        for i, t in enumerate(grid):
            if i == 1:
                second = time.monotonic()  # the first point's policy iteration is long
            elif i == 5:  # a large model: give up now, not at the deadline
                now = time.monotonic()
                if now - began + (now - second) / 4 * (len(grid) - 5) > DEADLINE:
                    return None
            here = policy(t, choice)
            if before is not None and len(_changed(before, here, owner, n)):
                changes += split(last, before, t, here, _DEPTH)
            last, before, choice = t, here, here.choice
    except Exception:  # noqa: BLE001 - a census only names the bars: without one they
        return None      # say "piece k" alone
    return Census(tuple(changes))
