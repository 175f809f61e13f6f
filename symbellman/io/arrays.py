"""Models from NumPy arrays (pymdptoolbox's or QuantEcon's layout) and back, exactly.

:func:`from_arrays` reads the ``(A, S, S)`` transition arrays of pymdptoolbox (or
QuantEcon's ``(S, A, S)``), turns floats into the exact numbers they stand for
(:mod:`.floats`) and checks that every row sums to exactly 1 before making the
:class:`~symbellman.model.mdp.MDP`; :func:`to_arrays` is the way back, exact or in floats.
Models from gymnasium environments are :mod:`.gymnasium`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import sympy
from sympy import Integer

from ..core.errors import ModelError
from ..model.mdp import MDP, Outcome
from ..core.symbols import gamma
from .floats import DECIMAL_PLACES, TOLERANCE, exact_from_float
# gymnasium's importers lived here before io.gymnasium: the old import path still works
from .gymnasium import (ACTION_NAMES, TERMINAL, from_gymnasium, gymnasium_layout,  # noqa: F401
                        import_gymnasium)

__all__ = ["from_arrays", "to_arrays", "ModelArrays", "CONVENTIONS", "TOLERANCE",
           "DECIMAL_PLACES"]


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
        The model's γ (the symbol :data:`symbellman.core.symbols.gamma` unless given).
    name : str, optional
        The model's name (none by default).
    max_denominator : int, optional
        Floats in ``P`` and ``R`` are read as fractions with denominators up to this
        (see Notes).

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
    Floats are read as gymnasium's are (:func:`~symbellman.io.gymnasium.from_gymnasium`): each is the fraction
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
    read = lambda pair: exact_from_float(pair[0], max_denominator, pair[1])  # noqa: E731
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
    >>> from symbellman.model.examples import student_mdp
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
