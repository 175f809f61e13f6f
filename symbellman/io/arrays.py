"""Models from gymnasium environments and from NumPy arrays, read exactly.

:func:`from_gymnasium` reads the table ``env.unwrapped.P`` of gymnasium's toy-text
environments (FrozenLake, Taxi, CliffWalking) and :func:`from_arrays` the ``(A, S, S)``
transition arrays of pymdptoolbox. Both turn floats into the exact numbers they stand
for and check that every distribution sums to exactly 1 before making the
:class:`~symbellman.model.MDP`. The way back, a model as floating-point arrays, is
:func:`symbellman.iterate.to_arrays`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from numbers import Integral
from typing import Any

from sympy import Integer, Rational

from ..errors import ModelError
from ..expressions import exact
from ..model import MDP, Outcome
from ..symbols import gamma

__all__ = ["from_gymnasium", "from_arrays", "TERMINAL", "ACTION_NAMES"]

#: The state that every transition gymnasium marks ``terminated`` leads to.
TERMINAL = "terminal"

#: Action names of gymnasium's toy-text environments, by class name (from each
#: environment's "Action Space" docstring section).
ACTION_NAMES = {
    "FrozenLakeEnv": ("left", "down", "right", "up"),
    "TaxiEnv": ("south", "north", "east", "west", "pickup", "dropoff"),
    "CliffWalkingEnv": ("up", "right", "down", "left"),
}

# A float is taken for a short fraction only within this many units in the last place.
# FrozenLake's 1/3 is 0.33333333333333337, one ulp above the float nearest 1/3, so
# "converts back to exactly the same float" would reject it. Two fractions with
# denominators up to 10**6 differ by at least 10**-12, thousands of ulps, so at most
# one candidate is ever this close; a wrong reading still fails the exact sum check.
_ULPS = 4


def _recover(x: Any, max_denominator: int, place: str) -> Rational:
    """The exact number a gymnasium value stands for: a short fraction, or the float's decimal."""
    if isinstance(x, bool):
        raise ModelError(f"expected a number, got {x!r}", place=place)
    if isinstance(x, Integral):
        return Integer(int(x))
    if hasattr(x, "item") and type(x).__module__ == "numpy":  # np.float32, np.int64, ...
        return _recover(x.item(), max_denominator, place)
    if not isinstance(x, float):
        return exact(x, place=place)
    x = float(x)  # np.float64 is a float whose repr is not a decimal
    if not math.isfinite(x):
        raise ModelError(f"expected a finite number, got {x!r}", place=place)
    short = Fraction(x).limit_denominator(max_denominator)
    if abs(float(short) - x) <= _ULPS * math.ulp(x):
        return Rational(short.numerator, short.denominator)
    return exact(x, place=place)


def _items(table, place: str):
    if isinstance(table, Mapping):
        return list(table.items())
    if isinstance(table, Sequence) and not isinstance(table, (str, bytes)):
        return list(enumerate(table))
    raise ModelError(f"expected a dict or list, got {type(table).__name__}", place=place)


def _index(key, place: str) -> int:
    if isinstance(key, bool) or not isinstance(key, Integral):
        raise ModelError(f"expected an integer index, got {key!r}", place=place)
    return int(key)


def from_gymnasium(env, *, discount=None, name: str | None = None,
                   max_denominator: int = 10**6) -> MDP:
    """The exact MDP of a gymnasium environment with a transition table ``P``.

    Parameters
    ----------
    env : gymnasium.Env
        An environment whose ``unwrapped`` has ``P[s][a]`` = a list of
        ``(probability, next_state, reward, terminated)``, as the toy-text
        environments do. Wrappers (``gymnasium.make`` adds several) are looked through.
    discount : number, str or Symbol, optional
        γ; by default the symbol :data:`symbellman.symbols.gamma`.
    name : str, optional
        By default the environment's id (``"FrozenLake-v1"``).
    max_denominator : int, optional
        The largest denominator a float may be read as (see Notes).

    Returns
    -------
    MDP
        States ``s0``, ``s1``, ... in gymnasium's numbering, plus a terminal state
        ``terminal`` when some transition ends the episode; actions named as the
        environment documents them (FrozenLake: left, down, right, up) or ``a0``, ``a1``, ...

    Raises
    ------
    TypeError
        If ``env`` has no transition table ``P``.
    ModelError
        If an entry is malformed, or an action's probabilities do not sum to exactly 1;
        the place is gymnasium's, ``P[5][2]``.

    Notes
    -----
    Each float is read as the fraction with denominator at most ``max_denominator``
    that lies within a few units in the last place of it (FrozenLake's
    0.33333333333333337 is 1/3), else as its shortest decimal (0.1 is 1/10), and each
    action's probabilities must then sum to exactly 1. Outcomes with the same next
    state and reward are merged (FrozenLake lists a wall bounce twice). gymnasium ends
    the episode after a transition marked ``terminated``, whatever its next state, so
    such a transition goes, with its reward, to the absorbing state ``terminal``.
    Time limits (truncation) are not part of the model.

    Examples
    --------
    The slippery FrozenLake: in the start state, "left" keeps the agent there with
    probability 2/3 (it slips left or up into the wall) and moves it down with 1/3:

    >>> import gymnasium
    >>> lake = from_gymnasium(gymnasium.make("FrozenLake-v1"))
    >>> lake
    MDP('FrozenLake-v1', states=['s0', ..., 's15', 'terminal'], actions=64, discount=gamma)
    >>> lake.outcomes("s0", "left")
    (Outcome('s0', p=2/3, r=0), Outcome('s4', p=1/3, r=0))
    >>> lake.outcomes("s14", "right")
    (Outcome('s14', p=1/3, r=0), Outcome('terminal', p=1/3, r=1), Outcome('s10', p=1/3, r=0))
    """
    unwrapped = getattr(env, "unwrapped", env)
    table = getattr(unwrapped, "P", None)
    if table is None:
        raise TypeError(
            f"{type(env).__name__} has no transition table P: from_gymnasium reads "
            "env.unwrapped.P, which gymnasium's toy-text environments (FrozenLake, Taxi, "
            "CliffWalking) have; for arrays use from_arrays")
    if name is None:
        spec = getattr(unwrapped, "spec", None) or getattr(env, "spec", None)
        name = getattr(spec, "id", None) or type(unwrapped).__name__
    known = ACTION_NAMES.get(type(unwrapped).__name__)

    rows = sorted((_index(s, f"P[{s!r}]"), by_action) for s, by_action in _items(table, "P"))
    if not rows:
        raise ModelError("the transition table P is empty", place="P")
    state = {s: f"s{s}" for s, _ in rows}
    any_terminated = False
    actions, transitions = {}, {}
    for s, by_action in rows:
        acts = sorted((_index(a, f"P[{s}][{a!r}]"), outs)
                      for a, outs in _items(by_action, f"P[{s}]"))
        if not acts:
            raise ModelError(f"state {s} has no actions", place=f"P[{s}]")
        numbers = [a for a, _ in acts]
        names = dict(zip(numbers, known if known and numbers == list(range(len(known)))
                         else (f"a{a}" for a in numbers)))
        actions[state[s]] = [names[a] for a, _ in acts]
        transitions[state[s]] = {}
        for a, outs in acts:
            place = f"P[{s}][{a}]"
            merged: dict[tuple[str, Rational], Rational] = {}
            for i, entry in _items(outs, place):
                if not isinstance(entry, Sequence) or len(entry) != 4:
                    raise ModelError(
                        f"expected (probability, next_state, reward, terminated), got {entry!r}",
                        place=f"{place}[{i}]")
                p, nxt, r, terminated = entry
                nxt = _index(nxt, f"{place}[{i}]")
                if nxt not in state:
                    raise ModelError(f"next state {nxt} is not a state of P",
                                     place=f"{place}[{i}]")
                target = TERMINAL if terminated else state[nxt]
                any_terminated |= bool(terminated)
                key = (target, _recover(r, max_denominator, f"{place}[{i}].reward"))
                merged[key] = (merged.get(key, Integer(0))
                               + _recover(p, max_denominator, f"{place}[{i}].probability"))
            total = sum(merged.values(), Integer(0))
            if total != 1:
                raise ModelError(
                    f"the probabilities of state {s}, action {a} ({names[a]}) sum to "
                    f"{total}, not 1", place=place,
                    hint="the floats were read as fractions with denominators up to "
                         f"{max_denominator}; pass a larger max_denominator, or fix P")
            transitions[state[s]][names[a]] = [Outcome(to, p, r) for (to, r), p
                                               in merged.items() if p != 0]
    states = list(state.values()) + ([TERMINAL] if any_terminated else [])
    return MDP(states, transitions, actions=actions,
               terminal=[TERMINAL] if any_terminated else [],
               discount=gamma if discount is None else discount, name=name)


def _names(given, count: int, prefix: str, what: str) -> list[str]:
    if given is None:
        return [f"{prefix}{i}" for i in range(count)]
    given = list(given)
    if len(given) != count:
        raise ModelError(f"{len(given)} {what} names given for {count} {what}s",
                         place=f"{what}s", hint=f"give one name per {what}")
    return given


def from_arrays(P, R, *, states: Sequence[str] | None = None,
                actions: Sequence[str] | None = None, terminal=(), discount=None) -> MDP:
    """The exact MDP of transition and reward arrays (pymdptoolbox's convention).

    Parameters
    ----------
    P : array_like, shape (A, S, S)
        ``P[a, s, t]`` is the probability that action ``a`` in state ``s`` leads to ``t``.
    R : array_like, shape (S, A) or (A, S, S)
        The reward r(s, a), or r(s, a, t) as ``R[a, s, t]``.
    states, actions : sequence of str, optional
        Names; by default ``s0, s1, ...`` and ``a0, a1, ...``.
    terminal : sequence of str or int, optional
        Absorbing states (names or indices); their rows of ``P`` and ``R`` are ignored.
    discount : number, str or Symbol, optional
        γ; by default the symbol :data:`symbellman.symbols.gamma`.

    Returns
    -------
    MDP
        Every action is available in every non-terminal state.

    Raises
    ------
    ModelError
        If a shape is wrong or a row of ``P`` does not sum to exactly 1 once its floats
        are read through their shortest decimal text (0.1 is 1/10); the place is the
        row, ``P[1, 0]``.

    See Also
    --------
    symbellman.iterate.to_arrays : the way back, in floating point.

    Examples
    --------
    Two states; "stay" keeps the state, "move" goes to the other state with
    probability 0.9; the reward is 1 in state s1:

    >>> import numpy as np
    >>> P = np.array([[[1, 0], [0, 1]], [[0.1, 0.9], [0.9, 0.1]]])
    >>> R = np.array([[0, 0], [1, 1]])
    >>> m = from_arrays(P, R, actions=["stay", "move"], discount="1/2")
    >>> m.outcomes("s0", "move")
    (Outcome('s0', p=1/10, r=0), Outcome('s1', p=9/10, r=0))
    """
    import numpy as np

    P = np.asarray(P)
    R = np.asarray(R)
    if P.ndim != 3 or P.shape[1] != P.shape[2]:
        raise ModelError(f"P has shape {P.shape}, expected (A, S, S)", place="P")
    n_actions, n_states = P.shape[0], P.shape[1]
    if R.shape == (n_states, n_actions):
        reward = lambda a, s, t: R_[s][a]  # noqa: E731
    elif R.shape == P.shape:
        reward = lambda a, s, t: R_[a][s][t]  # noqa: E731
    else:
        raise ModelError(f"R has shape {R.shape}, expected (S, A) = {(n_states, n_actions)} "
                         f"or (A, S, S) = {P.shape}", place="R")
    P_, R_ = P.tolist(), R.tolist()  # Python numbers: exact() reads their decimal text
    state_names = _names(states, n_states, "s", "state")
    action_names = _names(actions, n_actions, "a", "action")
    if isinstance(terminal, (str, Integral)):
        terminal = [terminal]
    ends = set()
    for i, t in enumerate(terminal):
        if isinstance(t, Integral) and not isinstance(t, bool):
            if not 0 <= t < n_states:
                raise ModelError(f"there is no state {t}", place=f"terminal[{i}]")
            t = state_names[t]
        ends.add(t)
    transitions = {}
    for s, s_name in enumerate(state_names):
        if s_name in ends:
            continue
        transitions[s_name] = {}
        for a, a_name in enumerate(action_names):
            place = f"P[{a}, {s}]"
            outcomes, total = [], Integer(0)
            for t, p in enumerate(P_[a][s]):
                p = exact(p, place=f"P[{a}, {s}, {t}]")
                if p != 0:
                    total += p
                    outcomes.append(Outcome(state_names[t], p, exact(
                        reward(a, s, t),
                        place=f"R[{s}, {a}]" if R.ndim == 2 else f"R[{a}, {s}, {t}]")))
            if total.is_Rational and total != 1:  # symbolic rows: the MDP checks them
                raise ModelError(
                    f"the row of action {a_name!r} in state {s_name!r} sums to {total}, not 1",
                    place=place, hint="make each row of P add up to exactly 1")
            transitions[s_name][a_name] = outcomes
    return MDP(state_names, transitions,
               actions={s: action_names for s in state_names if s not in ends},
               terminal=sorted(ends, key=lambda x: state_names.index(x)
                               if x in state_names else -1),
               discount=gamma if discount is None else discount)
