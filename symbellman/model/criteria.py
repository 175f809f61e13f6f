"""The optional criteria keys of a model file, read and checked once into one frozen record.

Besides the discounted problem, a model file may ask for a finite horizon (``horizon``,
``terminal_reward``), the average-reward criterion (``criterion: average``), the
projected Bellman equation of linear TD (``features``, ``feature_names``,
``distribution``, ``start``, ``behavior``) and the language of its human-language
output (``lang``); see "Other criteria" in the model-file spec. :meth:`Criteria.read`
checks them against a model's states, actions and symbols, and every mistake is a
one-line :class:`~symbellman.core.errors.ModelError` naming its place
(``features.s2[1]``). The record is :attr:`MDP.criteria <symbellman.model.mdp.MDP.criteria>`:
an MDP carries it, ``write_model`` writes it back, ``MDP.subs`` puts values into it.

This module sits beside ``layout.py`` under the model: it knows no solver, and it reads
the model it checks against only through its public attributes.

>>> from symbellman import MDP
>>> m = MDP(["s1", "s2"], {"s1": [("s2", 1, 1)], "s2": [("s1", 1, 0)]},
...         criteria={"horizon": 3, "terminal_reward": {"s1": "1/2"},
...                   "features": {"s1": [1], "s2": [2]}})
>>> m.criteria
Criteria(kind='finite-horizon', horizon=3, features=1)
>>> m.criteria.finite_horizon.v0("s1"), m.criteria.finite_horizon.v0("s2")
(1/2, 0)
>>> m.criteria.projection.feature_names
('w1',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

import sympy
from sympy import Expr, Integer, Symbol

from ..core.errors import ModelError
from ..core.expressions import check_name, exact
from ..core.names import closest, did_you_mean
from .fields import check_probability, check_sums_to_one
from ..core.states import check_state

if TYPE_CHECKING:  # pragma: no cover
    from .mdp import MDP

__all__ = ["Criteria", "FiniteHorizon", "Projection", "KEYS", "CRITERIA", "DISTRIBUTIONS",
           "MAX_HORIZON"]

#: The model-file keys this record holds, in the spec's order.
KEYS = ("horizon", "terminal_reward", "criterion", "features", "feature_names",
        "distribution", "start", "behavior", "lang")
#: The values of ``criterion`` (a ``horizon`` makes the problem finite-horizon).
CRITERIA = ("discounted", "average")
#: The named values of ``distribution`` (a map of weights is the fourth form).
DISTRIBUTIONS = ("on-policy", "uniform", "behavior")
#: The longest horizon a model may ask for: a table of H stages is built stage by stage.
MAX_HORIZON = 10_000
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, repr=False)
class FiniteHorizon:
    """The finite-horizon problem: H decisions, then the terminal reward v_0.

    Stages count the decisions still to make: k = H is the first decision (epoch 1 of
    Puterman's N = H + 1 epochs), k = 1 the last (epoch N - 1), and v_0 is
    ``terminal_reward`` (Puterman's r_N), 0 where the file gives none.

    >>> FiniteHorizon(2, {"a": Integer(5)}).v0("b")
    0
    """

    horizon: int
    terminal_reward: Mapping[str, Expr] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "terminal_reward", _frozen(self.terminal_reward))

    def v0(self, state: str) -> Expr:
        """The terminal reward of ``state`` (0 unless the file gives one)."""
        return self.terminal_reward.get(state, Integer(0))

    def epoch(self, k: int) -> int:
        """The decision epoch t = H - k + 1 at which k decisions are left.

        >>> FiniteHorizon(5).epoch(5), FiniteHorizon(5).epoch(1)
        (1, 5)
        """
        return self.horizon - k + 1

    def __repr__(self) -> str:
        return f"FiniteHorizon(horizon={self.horizon})"


@dataclass(frozen=True, repr=False)
class Projection:
    """The projected Bellman equation's inputs: features X, the weighting D, start, behaviour.

    ``features`` maps every non-terminal state (in the model's order) to its feature
    vector; ``distribution`` is ``"on-policy"``, ``"uniform"``, ``"behavior"`` or a map
    state -> weight as given (see :meth:`weights` for the normalised form); ``start``
    is a map state -> probability or None; ``behavior`` is ``"uniform"``, a map state ->
    action or a map state -> {action: probability} (the forms of a model's ``policy``),
    or None; ``Policy.from_spec(mdp, projection.behavior)`` makes it a policy.
    """

    features: Mapping[str, tuple[Expr, ...]]
    feature_names: tuple[str, ...]
    distribution: Any = "on-policy"
    start: Mapping[str, Expr] | None = None
    behavior: Any = None

    def __post_init__(self):
        object.__setattr__(self, "features", _frozen(self.features))
        if isinstance(self.distribution, Mapping):
            object.__setattr__(self, "distribution", _frozen(self.distribution))
        if self.start is not None:
            object.__setattr__(self, "start", _frozen(self.start))
        if isinstance(self.behavior, Mapping):
            object.__setattr__(self, "behavior", _frozen(
                {s: (_frozen(v) if isinstance(v, Mapping) else v)
                 for s, v in self.behavior.items()}))

    @property
    def size(self) -> int:
        """The number of features."""
        return len(self.feature_names)

    def weights(self) -> Mapping[str, Expr] | None:
        """An explicit distribution normalised to sum 1 (states left out weigh 0), else None.

        >>> Projection({"a": (Integer(1),), "b": (Integer(0),)}, ("w1",),
        ...            {"a": Integer(3), "b": Integer(1)}).weights()
        {'a': 3/4, 'b': 1/4}
        """
        if not isinstance(self.distribution, Mapping):
            return None
        total = sum(self.distribution.values(), Integer(0))
        return {s: sympy.cancel(self.distribution.get(s, Integer(0)) / total)
                for s in self.features}

    def __repr__(self) -> str:
        return (f"Projection(features={self.size}, states={len(self.features)}, "
                f"distribution={self.distribution if isinstance(self.distribution, str) else 'explicit'!r})")


@dataclass(frozen=True, repr=False)
class Criteria:
    """What a model file asks for besides the discounted problem.

    Parameters
    ----------
    criterion : str
        ``"discounted"`` (the default) or ``"average"``.
    finite_horizon : FiniteHorizon, optional
        Present when the file gives ``horizon``.
    projection : Projection, optional
        Present when the file gives ``features``.
    lang : str
        The language of human-language output (``"en"`` by default).
    given : tuple of str
        The keys the file wrote (so a file written back keeps ``criterion: discounted``);
        not part of equality.
    """

    criterion: str = "discounted"
    finite_horizon: FiniteHorizon | None = None
    projection: Projection | None = None
    lang: str = "en"
    given: tuple[str, ...] = field(default=(), compare=False)

    @property
    def kind(self) -> str:
        """``"finite-horizon"`` when a horizon is given, else the criterion.

        >>> Criteria().kind, Criteria(finite_horizon=FiniteHorizon(3)).kind
        ('discounted', 'finite-horizon')
        """
        return "finite-horizon" if self.finite_horizon is not None else self.criterion

    @property
    def horizon(self) -> int | None:
        """H, or None for an infinite horizon."""
        return None if self.finite_horizon is None else self.finite_horizon.horizon

    def with_horizon(self, horizon: int | None) -> "Criteria":
        """The same criteria with another horizon (None: infinite), keeping terminal_reward.

        >>> Criteria().with_horizon(4).horizon
        4
        """
        if horizon is None:
            return replace(self, finite_horizon=None)
        _check_horizon(horizon, "horizon")
        rewards = {} if self.finite_horizon is None else self.finite_horizon.terminal_reward
        return replace(self, finite_horizon=FiniteHorizon(int(horizon), rewards),
                       criterion="discounted")

    def with_criterion(self, criterion: str) -> "Criteria":
        """The same criteria under ``"discounted"`` or ``"average"`` (which drops a horizon).

        >>> Criteria().with_criterion("average").kind
        'average'
        """
        _check_criterion(criterion, "criterion")
        return replace(self, criterion=criterion,
                       finite_horizon=None if criterion == "average" else self.finite_horizon)

    # -- reading --------------------------------------------------------------------
    @classmethod
    def read(cls, data: Any, mdp: "MDP") -> "Criteria":
        """Check the criteria keys of a model file against ``mdp``.

        Parameters
        ----------
        data : mapping or Criteria or None
            The keys of :data:`KEYS` that a file gave, as plain data (numbers as text,
            ints or expressions); a :class:`Criteria` is checked again against ``mdp``.
        mdp : MDP
            The model: its states, actions and symbols.

        Raises
        ------
        ModelError
            For an unknown key, a value of the wrong kind, an unknown state, action or
            name; the error names the place.

        Examples
        --------
        >>> from symbellman import MDP
        >>> m = MDP(["a"], {"a": [("a", 1, 1)]})
        >>> Criteria.read({"horizon": "0"}, m)
        Traceback (most recent call last):
        ...
        symbellman.core.errors.ModelError: horizon: the horizon must be a positive integer, found 0 (the number of decisions H, e.g. horizon: 3)
        >>> Criteria.read({"features": {"a": [1]}, "distribution": "on policy"}, m)
        Traceback (most recent call last):
        ...
        symbellman.core.errors.ModelError: distribution: unknown distribution 'on policy' (did you mean 'on-policy'?)
        """
        if data is None:
            return cls()
        kept: tuple[str, ...] = ()
        if isinstance(data, Criteria):
            kept, data = data.given, data.as_data(text=False)
        if not isinstance(data, Mapping):
            raise ModelError("the criteria must be a map of model-file keys",
                             hint=f"the keys are {', '.join(KEYS)}")
        for key in data:
            if key not in KEYS:
                raise ModelError(f"unknown key {key!r}",
                                 hint=did_you_mean(str(key), KEYS,
                                                   f"the criteria keys are {', '.join(KEYS)}"))
        names = {s.name: s for s in mdp.symbols}
        criterion = data.get("criterion", "discounted")
        _check_criterion(criterion, "criterion")
        finite = None
        if "horizon" in data:
            if criterion == "average":
                raise ModelError("a horizon and criterion: average ask for two different "
                                 "problems", place="criterion",
                                 hint="leave out 'horizon' for gain and bias, or "
                                      "'criterion' for the finite horizon")
            finite = FiniteHorizon(_check_horizon(data["horizon"], "horizon"),
                                   _terminal_reward(data.get("terminal_reward"), mdp, names))
        elif "terminal_reward" in data:
            raise ModelError("a terminal reward needs a finite horizon",
                             place="terminal_reward",
                             hint="give 'horizon: H' (the number of decisions)")
        projection = _projection(data, mdp, names)
        lang = data.get("lang", "en")
        if not isinstance(lang, str) or not _LANG.fullmatch(lang):
            raise ModelError(f"{lang!r} is not a language tag", place="lang",
                             hint="write a tag such as en, zh or pt-BR")
        return cls(criterion, finite, projection, lang,
                   tuple(key for key in KEYS if key in data or key in kept))

    # -- writing --------------------------------------------------------------------
    def as_data(self, *, text: bool = True) -> dict[str, Any]:
        """The model-file keys of this record, in the spec's order (only keys that matter).

        With ``text`` every number is exact text (``"1/2"``), as a file writes it;
        without, the exact values themselves.

        >>> Criteria(finite_horizon=FiniteHorizon(3, {"a": sympy.Rational(1, 2)})).as_data()
        {'horizon': 3, 'terminal_reward': {'a': '1/2'}}
        """
        show = str if text else (lambda x: x)
        data: dict[str, Any] = {}
        finite = self.finite_horizon
        if finite is not None:
            data["horizon"] = finite.horizon
            if finite.terminal_reward:
                data["terminal_reward"] = {s: show(v) for s, v in
                                           finite.terminal_reward.items()}
        if self.criterion != "discounted" or "criterion" in self.given:
            data["criterion"] = self.criterion
        projection = self.projection
        if projection is not None:
            data["features"] = {s: [show(x) for x in row]
                                for s, row in projection.features.items()}
            if "feature_names" in self.given or projection.feature_names != \
                    _default_names(projection.size):
                data["feature_names"] = list(projection.feature_names)
            distribution = projection.distribution
            if isinstance(distribution, Mapping):
                data["distribution"] = {s: show(w) for s, w in distribution.items()}
            elif distribution != "on-policy" or "distribution" in self.given:
                data["distribution"] = distribution
            if projection.start is not None:
                data["start"] = {s: show(p) for s, p in projection.start.items()}
            behavior = projection.behavior
            if isinstance(behavior, Mapping):
                data["behavior"] = {s: ({a: show(w) for a, w in v.items()}
                                        if isinstance(v, Mapping) else v)
                                    for s, v in behavior.items()}
            elif behavior is not None:
                data["behavior"] = behavior
        if self.lang != "en" or "lang" in self.given:
            data["lang"] = self.lang
        return data

    def subs(self, mapping: Mapping[Symbol, Expr]) -> "Criteria":
        """The record with symbols replaced by values (as ``MDP.subs`` does to the model)."""
        def put(e):
            return sympy.sympify(e).xreplace(mapping)

        finite = self.finite_horizon
        if finite is not None:
            finite = FiniteHorizon(finite.horizon,
                                   {s: put(v) for s, v in finite.terminal_reward.items()})
        projection = self.projection
        if projection is not None:
            behavior = projection.behavior
            if isinstance(behavior, Mapping):
                behavior = {s: ({a: put(w) for a, w in v.items()} if isinstance(v, Mapping)
                                else v) for s, v in behavior.items()}
            distribution = projection.distribution
            if isinstance(distribution, Mapping):
                distribution = {s: put(w) for s, w in distribution.items()}
            projection = Projection(
                {s: tuple(put(x) for x in row) for s, row in projection.features.items()},
                projection.feature_names, distribution,
                None if projection.start is None else
                {s: put(p) for s, p in projection.start.items()}, behavior)
        return replace(self, finite_horizon=finite, projection=projection)

    def __bool__(self) -> bool:
        """True when the record asks for anything beyond the defaults."""
        return bool(self.as_data())

    def __repr__(self) -> str:
        parts = [f"kind={self.kind!r}"]
        if self.horizon is not None:
            parts.append(f"horizon={self.horizon}")
        if self.projection is not None:
            parts.append(f"features={self.projection.size}")
        if self.lang != "en":
            parts.append(f"lang={self.lang!r}")
        return f"Criteria({', '.join(parts)})"


# -- the checks ------------------------------------------------------------------------
def _check_criterion(criterion: Any, place: str) -> None:
    if criterion not in CRITERIA:
        near = closest(str(criterion), CRITERIA) if isinstance(criterion, str) else None
        raise ModelError(f"unknown criterion {criterion!r}", place=place,
                         hint=f"did you mean {near!r}?" if near else
                         "write 'discounted' or 'average'; 'horizon: H' gives a finite horizon")


def _check_horizon(value: Any, place: str) -> int:
    hint = "the number of decisions H, e.g. horizon: 3"
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, sympy.Integer):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ModelError(f"the horizon must be a positive integer, found {value}",
                         place=place, hint=hint)
    if value > MAX_HORIZON:
        raise ModelError(f"the horizon {value} is longer than {MAX_HORIZON:,} decisions",
                         place=place, hint="use criterion: average for the long run")
    return value


def _value(value: Any, names: Mapping[str, Symbol], place: str) -> Expr:
    """An exact value in the model's symbols (never the discount)."""
    if isinstance(value, (Mapping, list, tuple)) or value is None:
        raise ModelError(f"expected a number or expression, found "
                         f"{'a map' if isinstance(value, Mapping) else 'a list' if value is not None else 'nothing'}",
                         place=place)
    result = exact(value, names, place)
    stray = sorted((s.name for s in result.free_symbols if s.name not in names))
    if stray:
        raise ModelError(f"{stray[0]!r} is not a symbol of the model", place=place,
                         hint="declare it under 'symbols' (the discount may not appear here)")
    if not result.free_symbols and not result.is_real:
        raise ModelError(f"{result} is not a real number", place=place)
    return result


def _state_table(table: Any, mdp: "MDP", place: str, what: str, *,
                 terminal_ok: bool = False) -> dict[str, Any]:
    if not isinstance(table, Mapping) or not table:
        raise ModelError(f"'{place}' must map states to {what}", place=place)
    for s in table:
        check_state(s, mdp.states, f"{place}.{s}")
        if not terminal_ok and mdp.is_terminal(s):
            raise ModelError(f"terminal state {s!r} has value 0 and takes no part here",
                             place=f"{place}.{s}", hint="leave it out")
    return dict(table)


def _terminal_reward(table: Any, mdp: "MDP", names) -> dict[str, Expr]:
    if table is None:
        return {}
    table = _state_table(table, mdp, "terminal_reward", "their values v_0")
    return {s: _value(v, names, f"terminal_reward.{s}") for s, v in table.items()}


def _probabilities(table: Any, mdp: "MDP", names, place: str, what: str, *,
                   sum_to_one: bool) -> dict[str, Expr]:
    table = _state_table(table, mdp, place, what)
    result = {}
    for s, w in table.items():
        w = _value(w, names, f"{place}.{s}")
        if not w.free_symbols and w < 0:
            raise ModelError(f"the weight {w} is negative", place=f"{place}.{s}")
        if sum_to_one and not w.free_symbols and w > 1:
            raise ModelError(f"the probability {w} is not between 0 and 1",
                             place=f"{place}.{s}")
        result[s] = w
    total = sum(result.values(), Integer(0))
    if sum_to_one and sympy.cancel(sympy.expand(total - 1)) != 0:
        raise ModelError(f"the probabilities sum to {total}, not 1", place=place,
                         hint="make them add up to exactly 1")
    if not sum_to_one and sympy.expand(total) == 0:
        raise ModelError("every weight is 0", place=place,
                         hint="give some state a positive weight (they are normalised)")
    return result


def _default_names(n: int) -> tuple[str, ...]:
    return tuple(f"w{i}" for i in range(1, n + 1))


def _projection(data: Mapping, mdp: "MDP", names) -> Projection | None:
    others = [k for k in ("feature_names", "distribution", "start", "behavior") if k in data]
    if "features" not in data:
        if others:
            raise ModelError(f"'{others[0]}' belongs to the projected Bellman equation, "
                             "which needs features", place=others[0],
                             hint="give 'features: {state: [...]}' or leave it out")
        return None
    features = _features(data["features"], mdp, names)
    size = len(next(iter(features.values())))
    feature_names = _feature_names(data.get("feature_names"), size)
    distribution = data.get("distribution", "on-policy")
    if isinstance(distribution, str):
        if distribution not in DISTRIBUTIONS:
            raise ModelError(f"unknown distribution {distribution!r}", place="distribution",
                             hint=did_you_mean(distribution, DISTRIBUTIONS, "write on-policy, "
                                               "uniform, behavior or a map state -> weight"))
    else:
        distribution = _probabilities(distribution, mdp, names, "distribution",
                                      "their weights", sum_to_one=False)
    start = None
    if "start" in data:
        start = _probabilities(data["start"], mdp, names, "start", "probabilities",
                               sum_to_one=True)
    behavior = None
    if "behavior" in data:
        behavior = _behavior(data["behavior"], mdp, names)
    if distribution == "behavior" and behavior is None:
        raise ModelError("distribution: behavior needs a behaviour policy",
                         place="distribution", hint="give 'behavior' (same forms as 'policy')")
    if behavior is not None and distribution != "behavior":
        raise ModelError("a behaviour policy is given but the distribution is not "
                         "'behavior'", place="behavior",
                         hint="write distribution: behavior, or leave 'behavior' out")
    return Projection(features, feature_names, distribution, start, behavior)


def _features(table: Any, mdp: "MDP", names) -> dict[str, tuple[Expr, ...]]:
    table = _state_table(table, mdp, "features", "lists of numbers")
    size = None
    result = {}
    for s, row in table.items():
        place = f"features.{s}"
        if isinstance(row, (str, bytes)) or not isinstance(row, (list, tuple)) or not row:
            raise ModelError("expected a non-empty list of feature values", place=place)
        if size is None:
            size, first = len(row), s
        elif len(row) != size:
            raise ModelError(f"{s!r} has {len(row)} features, {first!r} has {size}",
                             place=place, hint="give every state a list of the same length")
        result[s] = tuple(_value(x, names, f"{place}[{i}]") for i, x in enumerate(row))
    missing = [s for s in mdp.nonterminal if s not in result]
    if missing:
        raise ModelError(f"state {missing[0]!r} has no features", place="features",
                         hint="give every non-terminal state a list of features")
    return {s: result[s] for s in mdp.nonterminal}


def _feature_names(given: Any, size: int) -> tuple[str, ...]:
    if given is None:
        return _default_names(size)
    if isinstance(given, (str, bytes)) or not isinstance(given, (list, tuple)):
        raise ModelError("expected a list of feature names", place="feature_names")
    if len(given) != size:
        raise ModelError(f"{len(given)} names for {size} features", place="feature_names",
                         hint="name each feature once, in order")
    result = tuple(check_name(n, f"feature_names[{i}]", "feature") for i, n in enumerate(given))
    seen = set()
    for i, n in enumerate(result):
        if n in seen:
            raise ModelError(f"feature {n!r} is named twice", place=f"feature_names[{i}]")
        seen.add(n)
    return result


def _behavior(spec: Any, mdp: "MDP", names) -> Any:
    """A behaviour policy in the forms of ``policy``, checked as ``Policy`` checks one."""
    if mdp.is_mrp:
        raise ModelError("a Markov reward process has no actions to choose", place="behavior",
                         hint="declare 'actions', or leave 'behavior' out")
    if spec == "uniform":
        return "uniform"
    if not isinstance(spec, Mapping):
        raise ModelError("a behaviour policy is 'uniform' or a map over states",
                         place="behavior")
    result = {}
    for s, choice in _state_table(spec, mdp, "behavior", "actions").items():
        place = f"behavior.{s}"
        if isinstance(choice, str):
            _check_action(mdp, s, choice, f"{place}")
            result[s] = choice
            continue
        if not isinstance(choice, Mapping) or not choice:
            raise ModelError("expected an action or a map from actions to probabilities",
                             place=place)
        for a in choice:
            _check_action(mdp, s, a, f"{place}.{a}")
        result[s] = _probabilities_of_actions(choice, names, place)
    for s in mdp.nonterminal:
        if s not in result and len(mdp.actions(s)) > 1:
            raise ModelError(f"no actions given for state {s!r}", place="behavior",
                             hint="give every non-terminal state a distribution, or use "
                                  "'uniform'")
    return result


def _check_action(mdp: "MDP", s: str, a: Any, place: str) -> None:
    if a not in mdp.actions(s):
        raise ModelError(f"{a!r} is not an action of state {s!r}", place=place,
                         hint=did_you_mean(str(a), mdp.actions(s),
                                           f"its actions are {', '.join(mdp.actions(s))}"))


def _probabilities_of_actions(choice: Mapping, names, place: str) -> dict[str, Expr]:
    row = {}
    for a, w in choice.items():
        row[a] = check_probability(_value(w, names, f"{place}.{a}"), f"{place}.{a}")
    check_sums_to_one(row, place)
    return row
