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
from dataclasses import dataclass
from collections.abc import Mapping, Sequence
from fractions import Fraction
from numbers import Integral
from typing import Any

import sympy
from sympy import Integer, Rational

from ..errors import ModelError
from ..expressions import exact
from ..model import MDP, Outcome
from ..symbols import gamma

__all__ = ["from_gymnasium", "from_arrays", "to_arrays", "ModelArrays", "CONVENTIONS",
           "gymnasium_layout", "import_gymnasium",
           "TERMINAL", "ACTION_NAMES", "TOLERANCE", "DECIMAL_PLACES"]

#: The state that every transition gymnasium marks ``terminated`` leads to.
TERMINAL = "terminal"

#: Action names of gymnasium's toy-text environments, by class name (from each
#: environment's "Action Space" docstring section).
ACTION_NAMES = {
    "FrozenLakeEnv": ("left", "down", "right", "up"),
    "TaxiEnv": ("south", "north", "east", "west", "pickup", "dropoff"),
    "CliffWalkingEnv": ("up", "right", "down", "left"),
}

# A float is taken for a short fraction within this many units in the last place, or
# within TOLERANCE, whichever is larger. FrozenLake's 1/3 is 0.33333333333333337, one
# ulp above the float nearest 1/3, so "converts back to exactly the same float" would
# reject it; a row a user computed, [0.7, 1 - 0.7], holds 0.30000000000000004. Two
# fractions with denominators up to 10**6 differ by at least 10**-12, ten times
# TOLERANCE, so at most one candidate is ever this close; a wrong reading still fails
# the exact sum check.
_ULPS = 4

#: The largest distance between a float and the short fraction it is read as.
TOLERANCE = 1e-13

#: A float with no short fraction near it is read as its shortest decimal when that has
#: at most this many digits after the point (0.123456789 is 123456789/10**9); a longer
#: one (a random draw such as 0.37454011884736255) is an error naming the entry.
DECIMAL_PLACES = 12


def _recover(x: Any, max_denominator: int, place: str) -> Rational:
    """The exact number a float stands for: a short fraction, or a short decimal.

    >>> _recover(1 - 0.7, 10**6, "P[0, 0, 1]"), _recover(1 / 3, 10**6, "P")
    (3/10, 1/3)
    >>> _recover(0.37454011884736255, 10**6, "P[0, 1, 2]")
    Traceback (most recent call last):
    ...
    symbellman.errors.ModelError: P[0, 1, 2]: 0.37454011884736255 is no fraction with a denominator up to 1000000 and no decimal of up to 12 places (pass a larger max_denominator, or exact values: fractions.Fraction, or strings such as '3/7')
    """
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
    if abs(float(short) - x) <= max(_ULPS * math.ulp(x), TOLERANCE):
        return Rational(short.numerator, short.denominator)
    decimal = exact(x, place=place)
    if decimal.q <= 10**DECIMAL_PLACES:
        return decimal
    raise ModelError(
        f"{x!r} is no fraction with a denominator up to {max_denominator} and no decimal "
        f"of up to {DECIMAL_PLACES} places", place=place,
        hint="pass a larger max_denominator, or exact values: fractions.Fraction, "
             "or strings such as '3/7'")


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


#: The array layouts :func:`from_arrays` reads and :func:`to_arrays` writes.
CONVENTIONS = ("mdptoolbox", "quantecon")


def _is_minus_infinity(x) -> bool:
    # an action that is not available in a state: QuantEcon's R[s, a] = -inf
    try:
        return x == float("-inf") or x == sympy.S.NegativeInfinity
    except TypeError:
        return False


def _check_convention(convention: str) -> None:
    if convention not in CONVENTIONS:
        raise ModelError(f"unknown array convention {convention!r}", place="convention",
                         hint=f"use one of {', '.join(CONVENTIONS)}")


def _array_reader(P, R, convention: str):
    """(transition, reward, shape) for either convention: transition(a, s, t), reward(a, s, t)."""
    import numpy as np

    P, R = np.asarray(P, dtype=object), np.asarray(R, dtype=object)
    P_, R_ = P.tolist(), R.tolist()  # Python numbers: floats are read from their values
    if convention == "quantecon":  # R[s, a], Q[s, a, s']
        if P.ndim != 3 or P.shape[0] != P.shape[2]:
            raise ModelError(f"Q has shape {P.shape}, expected (S, A, S)", place="Q")
        n_states, n_actions = P.shape[0], P.shape[1]
        if R.shape != (n_states, n_actions):
            raise ModelError(f"R has shape {R.shape}, expected (S, A) = "
                             f"{(n_states, n_actions)}", place="R")
        return ((lambda a, s, t: (P_[s][a][t], f"Q[{s}, {a}, {t}]")),
                (lambda a, s, t: (R_[s][a], f"R[{s}, {a}]")),
                (lambda a, s: f"Q[{s}, {a}]"), n_states, n_actions)
    if P.ndim != 3 or P.shape[1] != P.shape[2]:
        raise ModelError(f"P has shape {P.shape}, expected (A, S, S)", place="P")
    n_actions, n_states = P.shape[0], P.shape[1]
    if R.shape == (n_states, n_actions):
        reward = lambda a, s, t: (R_[s][a], f"R[{s}, {a}]")  # noqa: E731
    elif R.shape == P.shape:
        reward = lambda a, s, t: (R_[a][s][t], f"R[{a}, {s}, {t}]")  # noqa: E731
    elif R.shape == (n_states,):
        reward = lambda a, s, t: (R_[s], f"R[{s}]")  # noqa: E731
    else:
        raise ModelError(f"R has shape {R.shape}, expected (S, A) = {(n_states, n_actions)}, "
                         f"(A, S, S) = {P.shape} or (S,) = {(n_states,)}", place="R")
    return ((lambda a, s, t: (P_[a][s][t], f"P[{a}, {s}, {t}]")), reward,
            (lambda a, s: f"P[{a}, {s}]"), n_states, n_actions)


def from_arrays(P, R, *, convention: str = "mdptoolbox", states: Sequence[str] | None = None,
                actions: Sequence[str] | None = None, terminal=(), discount=None,
                name: str | None = None, max_denominator: int = 10**6) -> MDP:
    """The exact MDP of transition and reward arrays (pymdptoolbox's or QuantEcon's layout).

    Parameters
    ----------
    P : array_like
        Transition probabilities. ``convention="mdptoolbox"``: shape (A, S, S),
        ``P[a, s, t]`` = p(t | s, a). ``convention="quantecon"``: QuantEcon's ``Q``,
        shape (S, A, S), ``Q[s, a, t]`` = p(t | s, a).
    R : array_like
        Rewards. pymdptoolbox: r(s, a) as shape (S, A), r(s, a, t) as ``R[a, s, t]``
        (shape (A, S, S)) or a reward per state as shape (S,). QuantEcon: shape (S, A).
        ``-inf`` marks an action that is not available in that state (QuantEcon's
        convention, used in both layouts).
    convention : {"mdptoolbox", "quantecon"}, optional
        The layout of the arrays (not to be confused with a model's ``layout``, which
        places states on a grid).
    states, actions : sequence of str, optional
        Names; by default ``s0, s1, ...`` and ``a0, a1, ...``.
    terminal : sequence of str or int, optional
        Absorbing states (names or indices); their rows of ``P`` and ``R`` are ignored.
    discount : number, str or Symbol, optional
        γ; by default the symbol :data:`symbellman.symbols.gamma`.
    name : str, optional
        The model's name.
    max_denominator : int, optional
        The largest denominator a float may be read as (see Notes).

    Returns
    -------
    MDP
        Every action whose reward is not ``-inf`` is available in every non-terminal state.

    Raises
    ------
    ModelError
        If a shape is wrong, an entry is not a number the rules below can read (the
        place is the entry, ``P[0, 1, 2]``), or a row does not sum to exactly 1 (the
        place is the row, ``P[1, 0]``).

    Notes
    -----
    Floats are read as gymnasium's are (:func:`from_gymnasium`): each is the fraction
    with denominator at most ``max_denominator`` within ``TOLERANCE`` (10⁻¹³) or four
    units in the last place of it, so rows computed in floats, ``[1/3, 1/3, 1/3]`` or
    ``[0.7, 1 - 0.7]``, are read as the thirds and tenths they stand for; failing that,
    its shortest decimal if that has at most ``DECIMAL_PLACES`` (12) places; failing
    that, an error naming the entry. Integers, fractions, strings (``"1/3"``,
    ``"1 - p"``) and SymPy expressions are exact already.

    See Also
    --------
    to_arrays : the way back.

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

    The same model in QuantEcon's layout, with a row computed in floats:

    >>> Q = np.array([[[1, 0], [1 - 0.9, 0.9]], [[0, 1], [0.9, 1 - 0.9]]])
    >>> from_arrays(Q, R, convention="quantecon", actions=["stay", "move"],
    ...             discount="1/2") == m
    True
    """
    _check_convention(convention)
    transition, reward, row_place, n_states, n_actions = _array_reader(P, R, convention)
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
    read = lambda pair: _recover(pair[0], max_denominator, pair[1])  # noqa: E731
    transitions, available = {}, {}
    for s, s_name in enumerate(state_names):
        if s_name in ends:
            continue
        transitions[s_name], available[s_name] = {}, []
        for a, a_name in enumerate(action_names):
            if any(_is_minus_infinity(reward(a, s, t)[0]) for t in range(n_states)):
                continue
            outcomes, total = [], Integer(0)
            for t in range(n_states):
                p = read(transition(a, s, t))
                if p != 0:
                    total += p
                    outcomes.append(Outcome(state_names[t], p, read(reward(a, s, t))))
            if total.is_Rational and total != 1:  # symbolic rows: the MDP checks them
                raise ModelError(
                    f"the row of action {a_name!r} in state {s_name!r} sums to {total}, not 1",
                    place=row_place(a, s), hint=f"make each row of {row_place(a, s)[0]} "
                                                "add up to exactly 1")
            transitions[s_name][a_name] = outcomes
            available[s_name].append(a_name)
        if not available[s_name]:
            raise ModelError(f"state {s_name!r} has no available action (every reward is -inf)",
                             place=f"R[{s}]", hint="give it an action, or list it as terminal")
    return MDP(state_names, transitions, actions=available,
               terminal=sorted(ends, key=lambda x: state_names.index(x)
                               if x in state_names else -1),
               discount=gamma if discount is None else discount, name=name)


@dataclass(frozen=True, repr=False)
class ModelArrays:
    """A model as arrays, with the names that say what each index means (see :func:`to_arrays`)."""

    P: Any
    R: Any
    states: tuple
    actions: tuple
    terminal: tuple
    discount: Any
    convention: str

    def __repr__(self) -> str:
        return (f"ModelArrays({self.convention}: P{self.P.shape}, R{self.R.shape}, "
                f"{len(self.states)} states, {len(self.actions)} actions)")


def to_arrays(mdp: MDP, convention: str = "mdptoolbox", *, rewards: str = "expected",
              dtype=object) -> ModelArrays:
    """The model as transition and reward arrays, exactly or in floating point.

    Parameters
    ----------
    mdp : MDP
        The model. A Markov reward process becomes a model with one action, ``step``.
    convention : {"mdptoolbox", "quantecon"}, optional
        ``"mdptoolbox"``: ``P[a, s, t]``; ``"quantecon"``: ``Q[s, a, t]`` (returned as ``P``).
    rewards : {"expected", "next_state"}, optional
        ``"expected"``: r(s, a) with shape (S, A), in both conventions.
        ``"next_state"`` (pymdptoolbox only): ``R[a, s, t]``, the expected reward of
        the outcomes that lead to ``t`` (the reward of that outcome when it is one).
    dtype : object or float, optional
        ``object`` (the default): SymPy's exact values, so symbolic models work;
        ``float``: a float array (every entry must then be a number).

    Returns
    -------
    ModelArrays
        ``P``, ``R``, and ``states``, ``actions``, ``terminal``, ``discount`` naming
        them. Every state of the model is an index (terminal states too: they loop on
        themselves with reward 0). An action not available in a state loops on the
        state with reward ``-inf`` (QuantEcon's mark; :func:`from_arrays` reads it back).

    Examples
    --------
    >>> from symbellman.examples import student_mdp
    >>> arrays = to_arrays(student_mdp())
    >>> arrays
    ModelArrays(mdptoolbox: P(5, 5, 5), R(5, 5), 5 states, 5 actions)
    >>> arrays.actions[:3], arrays.R[3, arrays.actions.index("pub")]
    (('facebook', 'quit', 'study'), 1)
    >>> back = from_arrays(arrays.P, arrays.R, states=arrays.states, actions=arrays.actions,
    ...                    terminal=arrays.terminal, discount=arrays.discount)
    >>> back.outcomes("Class3", "pub") == student_mdp().outcomes("Class3", "pub")
    True
    """
    import numpy as np

    _check_convention(convention)
    if rewards not in ("expected", "next_state"):
        raise ModelError(f"unknown rewards {rewards!r}", place="rewards",
                         hint="use 'expected' or 'next_state'")
    if rewards == "next_state" and convention == "quantecon":
        raise ModelError("QuantEcon's arrays hold r(s, a) only", place="rewards",
                         hint="use rewards='expected', or convention='mdptoolbox'")
    states = mdp.states
    if mdp.is_mrp:
        actions = ("step",)
        acts = lambda s: (None,)  # noqa: E731
    else:
        actions = tuple(dict.fromkeys(a for s in mdp.nonterminal for a in mdp.actions(s)))
        acts = mdp.actions
    n, k = len(states), len(actions)
    zero, minus_infinity = (sympy.Integer(0), sympy.S.NegativeInfinity)
    P = np.full((k, n, n), zero, dtype=object)
    R = np.full((k, n, n) if rewards == "next_state" else (n, k), zero, dtype=object)
    for s in states:
        i = mdp.index(s)
        for j, a in enumerate(actions):
            name = None if mdp.is_mrp else a
            if mdp.is_terminal(s) or name not in acts(s):
                P[j, i, i] = sympy.Integer(1)
                if not mdp.is_terminal(s):
                    if rewards == "next_state":
                        R[j, i, :] = minus_infinity
                    else:
                        R[i, j] = minus_infinity
                continue
            for o in mdp.outcomes(s, name):
                t = mdp.index(o.next_state)
                P[j, i, t] += o.probability
                if rewards == "next_state":
                    R[j, i, t] += o.probability * o.reward
            if rewards == "next_state":
                for t in range(n):
                    if P[j, i, t] != 0:
                        R[j, i, t] = sympy.cancel(R[j, i, t] / P[j, i, t])
            else:
                R[i, j] = mdp.expected_reward(s, name)
    if convention == "quantecon":
        P = P.transpose(1, 0, 2).copy()
    if dtype is not object:
        def number(x):
            if getattr(x, "free_symbols", None):
                raise ModelError(f"{x} is not a number", place="to_arrays",
                                 hint="give the parameters values with mdp.subs({...}) first, "
                                      "or keep dtype=object")
            return float(x)
        P = np.vectorize(number, otypes=[float])(P).astype(dtype)
        R = np.vectorize(number, otypes=[float])(R).astype(dtype)
    return ModelArrays(P, R, states, actions, mdp.terminal, mdp.discount, convention)


def gymnasium_layout(env) -> dict | None:
    """Where :func:`from_gymnasium`'s states lie, as a model file's ``layout`` (or None).

    A grid world whose map (``desc``, as FrozenLake has) or ``shape`` (CliffWalking)
    has one cell per state gives ``{"grid": [[s0, s1, ...], ...]}`` in gymnasium's
    row-major numbering. Taxi's 500 states share its 25 cells, so they get
    ``{"positions": {state: [x, y]}}``: the taxi's column and row (y grows upwards).
    Other environments have no layout.

    Examples
    --------
    >>> import gymnasium
    >>> gymnasium_layout(gymnasium.make("FrozenLake-v1"))["grid"][0]
    ['s0', 's1', 's2', 's3']
    """
    import numpy as np

    unwrapped = getattr(env, "unwrapped", env)
    count = len(getattr(unwrapped, "P", ()))
    if type(unwrapped).__name__ == "TaxiEnv" and hasattr(unwrapped, "decode"):
        positions = {}
        for s in range(count):
            row, col, _, _ = unwrapped.decode(s)
            positions[f"s{s}"] = [int(col), 4 - int(row)]
        return {"positions": positions}
    shape = None
    desc = getattr(unwrapped, "desc", None)
    if desc is not None and np.ndim(desc) == 2 and np.size(desc) == count:
        shape = np.shape(desc)
    elif (isinstance(getattr(unwrapped, "shape", None), tuple) and len(unwrapped.shape) == 2
          and unwrapped.shape[0] * unwrapped.shape[1] == count):
        shape = unwrapped.shape
    if shape is None:
        return None
    rows, cols = int(shape[0]), int(shape[1])
    return {"grid": [[f"s{r * cols + c}" for c in range(cols)] for r in range(rows)]}


def import_gymnasium(env_id: str, keywords: Mapping | None = None, *, discount=None
                     ) -> tuple[MDP, dict | None]:
    """The exact MDP of a registered gymnasium environment, and its layout.

    Parameters
    ----------
    env_id : str
        A registered id whose environment has a transition table ``P``
        (``"FrozenLake-v1"``, ``"CliffWalking-v1"``, ``"Taxi-v3"``).
    keywords : mapping, optional
        Arguments for ``gymnasium.make`` (``{"is_slippery": False}``).
    discount : number or str, optional
        γ; by default the symbol γ.

    Returns
    -------
    (MDP, dict or None)
        The model (named by the id and the keywords) and :func:`gymnasium_layout`.

    Raises
    ------
    MissingDependency
        Without gymnasium (``pip install 'symbellman[gym]'``).
    ModelError
        For an id gymnasium does not know, arguments it refuses, or an environment
        without a transition table.

    Examples
    --------
    >>> mdp, layout = import_gymnasium("FrozenLake-v1", {"is_slippery": False})
    >>> mdp.name, mdp.outcomes("s14", "right"), len(layout["grid"])
    ('FrozenLake-v1 (is_slippery=False)', (Outcome('terminal', p=1, r=1),), 4)
    """
    import warnings

    from ..errors import MissingDependency

    try:
        import gymnasium
    except ImportError:
        raise MissingDependency("importing a gymnasium environment needs gymnasium",
                                extra="gym") from None
    keywords = dict(keywords or {})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            env = gymnasium.make(env_id, **keywords)
    except gymnasium.error.Error as exc:
        known = [k for k in gymnasium.envs.registry if "/" not in k]
        from ..expressions import closest

        near = closest(env_id, known)
        raise ModelError(f"gymnasium cannot make {env_id!r}: {exc}", place="import",
                         hint=f"did you mean {near!r}?" if near
                         else "toy-text environments have P: FrozenLake-v1, "
                              "CliffWalking-v1, Taxi-v3") from None
    except TypeError as exc:
        raise ModelError(f"gymnasium refused the arguments of {env_id!r}: {exc}",
                         place="import", hint="check the environment's documented arguments"
                         ) from None
    name = env_id + (" (" + ", ".join(f"{k}={v!r}" for k, v in keywords.items()) + ")"
                     if keywords else "")
    try:
        mdp = from_gymnasium(env, discount=discount, name=name)
    except TypeError as exc:
        raise ModelError(str(exc), place="import") from None
    return mdp, gymnasium_layout(env)
