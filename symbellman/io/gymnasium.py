"""Models from gymnasium's toy-text environments, read exactly from their table ``P``.

:func:`from_gymnasium` reads ``env.unwrapped.P`` (FrozenLake, Taxi, CliffWalking), turns
its floats into the exact numbers they stand for (:mod:`.floats`) and checks that every
distribution sums to exactly 1 before making the :class:`~symbellman.model.mdp.MDP`;
:func:`gymnasium_layout` places the states on the environment's grid, and
:func:`import_gymnasium` is ``symbellman import gymnasium:ENV_ID``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral

from sympy import Integer, Rational

from ..core.errors import ModelError
from ..model.mdp import MDP, Outcome
from ..core.symbols import gamma
from .floats import exact_from_float

__all__ = ["from_gymnasium", "gymnasium_layout", "import_gymnasium", "registered_spec",
           "TERMINAL", "ACTION_NAMES", "ENTRY_POINTS"]

#: The state that every transition gymnasium marks ``terminated`` leads to.
TERMINAL = "terminal"

#: Action names of gymnasium's toy-text environments, by class name (from each
#: environment's "Action Space" docstring section).
ACTION_NAMES = {
    "FrozenLakeEnv": ("left", "down", "right", "up"),
    "TaxiEnv": ("south", "north", "east", "west", "pickup", "dropoff"),
    "CliffWalkingEnv": ("up", "right", "down", "left"),
}


#: Where the entry point of an environment :func:`import_gymnasium` makes must live:
#: gymnasium's own environments. Anything else would import and run other code.
ENTRY_POINTS = "gymnasium.envs."


def registered_spec(env_id: str, registry: Mapping):
    """The registry's spec of ``env_id``, checked before any environment is made.

    ``gymnasium.make("module:Env-v0")`` imports ``module`` first (any file of the
    current folder named so, whose code then runs), and an entry point names a module
    to import. So only an id that is a key of the registry as it is, with no module
    part, whose entry point is one of gymnasium's own environments (a string under
    :data:`ENTRY_POINTS`), is made; every other id is refused with a one-line error.

    Parameters
    ----------
    env_id : str
        The id as the user wrote it (``"FrozenLake-v1"``).
    registry : mapping
        ``gymnasium.envs.registry``: id -> ``EnvSpec``.

    Raises
    ------
    ModelError
        For a module part, an id that is not registered (with the closest registered
        one), or an entry point outside gymnasium.

    Examples
    --------
    >>> import gymnasium
    >>> registered_spec("FrozenLake-v1", gymnasium.envs.registry).entry_point
    'gymnasium.envs.toy_text.frozen_lake:FrozenLakeEnv'
    >>> registered_spec("this:X-v0", gymnasium.envs.registry)
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: import: the gymnasium id 'this:X-v0' names a module to import (this): ids with a module part are refused (importing a module runs its code; give a registered id such as FrozenLake-v1)
    """
    from ..core.names import did_you_mean, safe_text

    shown = safe_text(str(env_id))
    if not isinstance(env_id, str) or not env_id:
        raise ModelError(f"expected a gymnasium id, got {shown!r}", place="import")
    if ":" in env_id:
        raise ModelError(
            f"the gymnasium id {shown!r} names a module to import "
            f"({safe_text(env_id.split(':', 1)[0])}): ids with a module part are refused",
            place="import", hint="importing a module runs its code; give a registered id "
                                 "such as FrozenLake-v1")
    spec = registry.get(env_id)
    if spec is None:
        raise ModelError(f"gymnasium has no registered environment {shown!r}", place="import",
                         hint=did_you_mean(env_id, [k for k in registry if "/" not in k],
                                           "environments with a transition table P: "
                                           + ", ".join(tabular_ids(registry))))
    entry = getattr(spec, "entry_point", None)
    if not (isinstance(entry, str) and entry.startswith(ENTRY_POINTS)):
        raise ModelError(
            f"the environment {shown!r} is not one of gymnasium's own (its entry point is "
            f"{safe_text(str(entry))!r}): symbellman import makes only those",
            place="import", hint="make the environment yourself and pass it to "
                                 "symbellman.from_gymnasium")
    return spec


def tabular_ids(registry) -> list[str]:
    """The registered ids of gymnasium's toy-text environments (those with a table P),
    read from the installed gymnasium's registry (Taxi is Taxi-v4 in gymnasium 1.2, v3
    before).

    >>> import gymnasium
    >>> "FrozenLake-v1" in tabular_ids(gymnasium.envs.registry)
    True
    """
    return sorted(k for k, spec in registry.items() if "/" not in k
                  and str(getattr(spec, "entry_point", "")).startswith(
                      "gymnasium.envs.toy_text.")
                  and "Blackjack" not in k)


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
        γ, which gymnasium leaves to the agent; by default the symbol
        :data:`symbellman.core.symbols.gamma`.
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
                key = (target, exact_from_float(r, max_denominator, f"{place}[{i}].reward"))
                merged[key] = (merged.get(key, Integer(0))
                               + exact_from_float(p, max_denominator, f"{place}[{i}].probability"))
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
        (``"FrozenLake-v1"``, ``"CliffWalking-v1"``, ``"Taxi-v4"``: see :func:`tabular_ids`).
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
        Without gymnasium (``pip install '.[gym]'``).
    ModelError
        For an id that is not registered (see :func:`registered_spec`: an id with a
        module part, ``module:Env-v0``, is refused before anything is imported),
        arguments gymnasium refuses, or an environment without a transition table.

    Examples
    --------
    >>> mdp, layout = import_gymnasium("FrozenLake-v1", {"is_slippery": False})
    >>> mdp.name, mdp.outcomes("s14", "right"), len(layout["grid"])
    ('FrozenLake-v1 (is_slippery=False)', (Outcome('terminal', p=1, r=1),), 4)
    """
    import warnings

    from ..core.errors import MissingDependency

    try:
        import gymnasium
    except ImportError:
        raise MissingDependency("importing a gymnasium environment needs gymnasium",
                                extra="gym") from None
    keywords = dict(keywords or {})
    spec = registered_spec(env_id, gymnasium.envs.registry)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            env = gymnasium.make(spec, **keywords)  # the spec: make parses no id
    except gymnasium.error.Error as exc:
        raise ModelError(f"gymnasium cannot make {env_id!r}: {exc}", place="import") from None
    except TypeError as exc:
        raise ModelError(f"gymnasium refused the arguments of {env_id!r}: {exc}",
                         place="import", hint="check the environment's documented arguments"
                         ) from None
    name = env_id + (" (" + ", ".join(f"{k}={v!r}" for k, v in keywords.items()) + ")"
                     if keywords else "")
    try:
        mdp = from_gymnasium(env, discount=discount, name=name)
    except TypeError:
        raise ModelError(f"{env_id} has no transition table P, so it cannot be read exactly",
                         place="import", hint="environments with one: "
                         + ", ".join(tabular_ids(gymnasium.envs.registry))) from None
    return mdp, gymnasium_layout(env)
