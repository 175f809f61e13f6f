"""The finite MDP (and Markov reward process) that every computation starts from.

An :class:`MDP` is the textbook tuple (S, A, p, r, γ) with named states: states in
display order, the actions of each state, and for each (state, action) a list of
:class:`Outcome` s (next state, probability, reward), so rewards may depend on
(s, a, s'). A model with no actions is a Markov reward process. Everything is exact
(SymPy rationals and expressions) and checked once, here, when the model is made;
afterwards the model cannot change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, Sequence

import sympy
from sympy import Expr, Integer, Symbol

from .criteria import Criteria
from ..core.ranges import IntegerRange  # noqa: F401  (symbellman.model.mdp.IntegerRange, as before)
from ..core.errors import ModelError
from ..core.expressions import exact
from ..core.names import did_you_mean
from .layout import Layout
from ..core.states import check_state, state_entries
from ..core.symbols import gamma
from .fields import (check_discount_name, field_name, first_duplicate, is_number,
                     read_discount, read_states, read_symbols, read_terminal, read_vary,
                     unknown_parameter)

__all__ = ["Outcome", "MDP", "unknown_parameter"]


@dataclass(frozen=True)
class Outcome:
    """One possible result of taking an action: the next state, its probability and reward.

    ``probability_text`` and ``reward_text`` keep the numbers as the model wrote them
    (``"0.2"``) for printing; the algebra always uses the exact ``probability``.

    >>> Outcome("Class1", sympy.Rational(1, 5), Integer(1))
    Outcome('Class1', p=1/5, r=1)
    """

    next_state: str
    probability: Expr = Integer(1)
    reward: Expr = Integer(0)
    probability_text: str | None = field(default=None, compare=False)
    reward_text: str | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"Outcome({self.next_state!r}, p={self.probability}, r={self.reward})"


def _sums_to_one(total: Expr) -> bool:
    if total.is_Rational:  # the common case, without SymPy's simplifier
        return total == 1
    return sympy.cancel(sympy.expand(total - 1)) == 0


def _text_of(value) -> str | None:
    return value if isinstance(value, str) else (repr(value) if isinstance(value, float) else None)


class MDP:
    """A finite Markov decision process with exact, named parts.

    Parameters
    ----------
    states : sequence of str
        State names, in display order.
    transitions : mapping
        For an MDP, ``transitions[state][action]`` is a list of outcomes; for a Markov
        reward process (``actions`` omitted), ``transitions[state]`` is that list. An
        outcome is an :class:`Outcome`, a mapping ``{"to": s, "p": ..., "r": ...}``
        (``p`` defaults to 1, ``r`` to 0) or a tuple ``(to, p, r)``; a single outcome
        may stand without the list. Numbers may be ints, floats (``0.2`` is exactly
        1/5), fractions, strings (``"1/3"``, ``"1 - alpha"``) or SymPy expressions.
    actions : mapping of str to sequence of str, optional
        The actions of each non-terminal state. Without it the model is a Markov
        reward process.
    terminal : sequence of str, optional
        Absorbing states with value 0; they have no actions and no transitions.
    discount : number, str or Symbol, optional
        γ; by default the symbol :data:`symbellman.core.symbols.gamma`.
    symbols : sequence of str or Symbol, optional
        The parameters that expressions may use. Strings in ``transitions`` may only
        use these names; SymPy expressions add their own symbols.
    name, description : str, optional
        For printing and handouts.
    layout : Layout or mapping, optional
        Where states are drawn (``{"grid": [[...], ...]}`` or ``{"positions": {...}}``);
        see :class:`~symbellman.model.layout.Layout`.
    vary : mapping, optional
        Ranges of declared symbols for exercise variants: a list of values, or
        ``{"from": LOW, "to": HIGH}`` for the integers LOW..HIGH.
    criteria : Criteria or mapping, optional
        The model file's criteria keys (``horizon``, ``terminal_reward``,
        ``criterion``, ``features``, ...); see :class:`~symbellman.model.criteria.Criteria`.

    Raises
    ------
    ModelError
        If anything is malformed; the error names the place
        (``transitions.Class3.pub[1].p``).

    Examples
    --------
    A two-state chain that moves right and stops, with reward 1 for each step:

    >>> m = MDP(["A", "B", "End"], {"A": {"go": {"to": "B", "r": 1}},
    ...                               "B": {"go": [("End", 1, 1)]}},
    ...         actions={"A": ["go"], "B": ["go"]}, terminal=["End"])
    >>> m
    MDP(states=['A', 'B', 'End'], actions=2, discount=gamma)
    >>> m.outcomes("A", "go")
    (Outcome('B', p=1, r=1),)
    """

    __slots__ = ("_states", "_terminal", "_actions", "_outcomes", "_discount", "_symbols",
                 "_name", "_description", "_index", "_layout", "_vary", "_criteria")

    def __init__(self, states: Sequence[str], transitions: Mapping[str, Any], *,
                 actions: Mapping[str, Sequence[str]] | None = None,
                 terminal: Iterable[str] = (), discount: Any = gamma,
                 symbols: Iterable[str | Symbol] | None = None,
                 name: str | None = None, description: str | None = None,
                 layout: Layout | Mapping | None = None, vary: Mapping | None = None,
                 criteria: Criteria | Mapping | None = None):
        set_ = object.__setattr__
        set_(self, "_name", None if name is None else str(name))
        set_(self, "_description", None if description is None else str(description))
        params = read_symbols(symbols)
        names = {s.name: s for s in params}
        set_(self, "_states", read_states(states))
        set_(self, "_index", MappingProxyType({s: i for i, s in enumerate(self._states)}))
        set_(self, "_terminal", read_terminal(terminal, self._index))
        set_(self, "_discount", read_discount(discount, names))
        # gamma is a name only when the discount is gamma: with discount 9/10 a 'gamma'
        # in a probability is a typo, not a parameter that --at gamma=... would confuse
        check_discount_name(self._discount, names)
        names = {**names, **{s.name: s for s in self._discount.free_symbols}}
        found_symbols = set(params)
        if actions is None:
            table = self._read_mrp(transitions, names)
            set_(self, "_actions", MappingProxyType({}))
        else:
            set_(self, "_actions", self._read_actions(actions))
            table = self._read_mdp(transitions, names)
        set_(self, "_outcomes", MappingProxyType(table))
        for outcomes in table.values():
            for o in outcomes:
                found_symbols |= o.probability.free_symbols | o.reward.free_symbols
        found_symbols.discard(self._discount)
        ordered = list(params) + sorted(found_symbols - set(params), key=lambda s: s.name)
        set_(self, "_symbols", tuple(ordered))
        set_(self, "_layout", None if layout is None else Layout.read(layout, self._states))
        set_(self, "_vary", read_vary(vary, self._symbols, self._discount))
        set_(self, "_criteria", Criteria.read(criteria, self))

    def __setattr__(self, key, value):
        raise AttributeError("an MDP cannot be changed; make a new one (see MDP.replace)")

    # -- reading ---------------------------------------------------------------------
    def _read_actions(self, actions) -> Mapping[str, tuple[str, ...]]:
        result = {}
        for s, acts, place in state_entries(actions, "actions",
                                            "each state to its list of actions", self._index):
            self._check_not_terminal(s, place, "actions",
                                     "remove it from 'actions' or from 'terminal'")
            if isinstance(acts, str):
                acts = [acts]
            elif not isinstance(acts, (list, tuple)):
                raise ModelError(f"expected a list of action names, got {acts!r}", place=place)
            acts = [field_name(a, f"{place}[{i}]", "action") for i, a in enumerate(acts)]
            if not acts:
                raise ModelError(f"state {s!r} has an empty list of actions", place=place,
                                 hint="list at least one action or make the state terminal")
            dup = first_duplicate(acts)
            if dup is not None:
                raise ModelError(f"action {dup!r} is listed twice", place=place)
            result[s] = tuple(acts)
        for s in self._states:
            if s not in self._terminal and s not in result:
                raise ModelError(f"state {s!r} has no actions", place="actions",
                                 hint=f"give {s!r} actions, or list it under 'terminal'")
        return MappingProxyType(result)

    def _read_mdp(self, transitions, names):
        table = {}
        for s, by_action, place in self._transition_entries(
                transitions, "each state to its actions' outcomes"):
            if not isinstance(by_action, Mapping):
                raise ModelError(f"expected a map from the actions of {s!r} to outcomes",
                                 place=place)
            known = set(self._actions[s])  # a tuple's ``in`` made 60,000 actions quadratic
            for a, outcomes in by_action.items():
                if a not in known:
                    raise ModelError(
                        f"{a!r} is not an action of state {s!r}", place=f"{place}.{a}",
                        hint=did_you_mean(str(a), self._actions[s],
                                          f"its actions are {', '.join(self._actions[s])}"))
                table[(s, a)] = self._read_outcomes(outcomes, f"{place}.{a}", names)
        for s, acts in self._actions.items():
            for a in acts:
                if (s, a) not in table:
                    raise ModelError(f"action {a!r} of state {s!r} has no outcomes",
                                     place=f"transitions.{s}.{a}",
                                     hint="give it a list of {to, p, r} outcomes")
        return {(s, a): table[(s, a)] for s in self._states for a in self._actions.get(s, ())}

    def _read_mrp(self, transitions, names):
        table = {}
        for s, outcomes, place in self._transition_entries(transitions,
                                                           "each state to its outcomes"):
            if isinstance(outcomes, Mapping) and not ({"to", "p", "r"} & set(outcomes)):
                raise ModelError(
                    f"expected a list of outcomes for {s!r}, found a map of actions",
                    place=place, hint="declare the actions under 'actions' to make this an MDP")
            table[(s, None)] = self._read_outcomes(outcomes, place, names)
        for s in self._states:
            if s not in self._terminal and (s, None) not in table:
                raise ModelError(f"state {s!r} has no transitions", place="transitions",
                                 hint=f"give {s!r} outcomes, or list it under 'terminal'")
        return {(s, None): table[(s, None)] for s in self._states if s not in self._terminal}

    def _read_outcomes(self, outcomes, place, names) -> tuple[Outcome, ...]:
        single = isinstance(outcomes, (Mapping, Outcome)) or (
            isinstance(outcomes, tuple) and outcomes and isinstance(outcomes[0], str))
        items = [outcomes] if single else outcomes
        if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
            raise ModelError("expected a list of outcomes {to, p, r}", place=place)
        items = list(items)
        if not items:
            raise ModelError("the list of outcomes is empty", place=place,
                             hint="give at least one {to, p, r} outcome")
        result = tuple(self._read_outcome(o, place if single else f"{place}[{i}]", names)
                       for i, o in enumerate(items))
        total = sum((o.probability for o in result), Integer(0))
        if not _sums_to_one(total):
            raise ModelError(f"the probabilities sum to {total}, not 1", place=place,
                             hint="make them add up to exactly 1")
        return result

    def _read_outcome(self, o, place, names) -> Outcome:
        if isinstance(o, Outcome):
            to, p, r, p_text, r_text = (o.next_state, o.probability, o.reward,
                                        o.probability_text, o.reward_text)
        elif isinstance(o, Mapping):
            unknown = set(o) - {"to", "p", "r"}
            if unknown:
                key = sorted(map(str, unknown))[0]
                raise ModelError(f"unknown key {key!r} in an outcome", place=place,
                                 hint=did_you_mean(key, ["to", "p", "r"],
                                                   "an outcome has keys to, p and r"))
            if "to" not in o:
                raise ModelError("an outcome needs 'to', the next state", place=place)
            to, p, r = o["to"], o.get("p", 1), o.get("r", 0)
            p_text, r_text = _text_of(p), _text_of(r)
        elif isinstance(o, (tuple, list)) and 1 <= len(o) <= 3:
            to, p, r = (list(o) + [1, 0][len(o) - 1:])[:3]
            p_text, r_text = _text_of(p), _text_of(r)
        else:
            raise ModelError(f"expected an outcome {{to, p, r}}, got {o!r}", place=place)
        to = field_name(to, f"{place}.to", "state")
        check_state(to, self._index, f"{place}.to")
        p = exact(p, names, f"{place}.p")
        r = exact(r, names, f"{place}.r")
        if p.has(self._discount) and isinstance(self._discount, Symbol):
            raise ModelError("a probability cannot depend on the discount", place=f"{place}.p")
        if is_number(p):
            if not p.is_real or p < 0 or p > 1:
                raise ModelError(f"the probability {p} is not between 0 and 1",
                                 place=f"{place}.p")
        if is_number(r) and not r.is_real:
            raise ModelError(f"the reward {r} is not a real number", place=f"{place}.r")
        return Outcome(to, p, r, p_text, r_text)

    def _transition_entries(self, transitions, maps_to: str) -> Iterator:
        """``(state, value, place)`` of ``transitions``, each state one that may have them."""
        for s, value, place in state_entries(transitions, "transitions", maps_to, self._index):
            self._check_not_terminal(s, place, "transitions",
                                     "remove its transitions or remove it from 'terminal'")
            yield s, value, place

    def _check_not_terminal(self, s: str, place: str, what: str, hint: str) -> None:
        if s in self._terminal:
            raise ModelError(f"terminal state {s!r} cannot have {what}", place=place, hint=hint)

    # -- the model -------------------------------------------------------------------
    @property
    def states(self) -> tuple[str, ...]:
        """All states, in display order."""
        return self._states

    @property
    def terminal(self) -> tuple[str, ...]:
        """The terminal (absorbing, value 0) states, in display order."""
        return tuple(s for s in self._states if s in self._terminal)

    @property
    def nonterminal(self) -> tuple[str, ...]:
        """The states whose values are unknowns, in display order."""
        return tuple(s for s in self._states if s not in self._terminal)

    def is_terminal(self, s: str) -> bool:
        """Whether ``s`` is a terminal state."""
        return s in self._terminal

    @property
    def is_mrp(self) -> bool:
        """True for a Markov reward process (a model without actions)."""
        return not self._actions

    def actions(self, s: str) -> tuple:
        """The actions of state ``s`` (``(None,)`` for a non-terminal state of an MRP)."""
        if s in self._terminal:
            return ()
        return (None,) if self.is_mrp else self._actions[s]

    def outcomes(self, s: str, a: str | None = None) -> tuple[Outcome, ...]:
        """The outcomes of taking action ``a`` in state ``s`` (``a`` is None in an MRP)."""
        try:
            return self._outcomes[(s, a)]
        except KeyError:
            raise KeyError(f"no action {a!r} in state {s!r}") from None

    def expected_reward(self, s: str, a: str | None = None) -> Expr:
        """r(s, a) = Σ_{s'} p(s'|s, a) r(s, a, s')."""
        return sympy.expand(sum((o.probability * o.reward for o in self.outcomes(s, a)),
                                Integer(0)))

    def reward_depends_on_next_state(self, s: str, a: str | None = None) -> bool:
        """Whether the outcomes of (s, a) have different rewards."""
        rewards = {o.reward for o in self.outcomes(s, a)}
        return len(rewards) > 1

    def index(self, s: str) -> int:
        """The position of state ``s`` in :attr:`states`."""
        return self._index[s]

    @property
    def state_action_pairs(self) -> tuple[tuple[str, str | None], ...]:
        """Every (state, action) with outcomes, in display order."""
        return tuple(self._outcomes)

    @property
    def discount(self) -> Expr:
        """γ: a number or a symbol."""
        return self._discount

    @property
    def symbols(self) -> tuple[Symbol, ...]:
        """The parameters other than the discount, declared ones first."""
        return self._symbols

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def layout(self) -> Layout | None:
        """Where the states are drawn (a grid or positions), or None."""
        return self._layout

    @property
    def vary(self) -> Mapping[Symbol, tuple[Expr, ...]]:
        """The values each varied symbol may take in exercise variants (may be empty)."""
        return self._vary

    @property
    def criteria(self) -> Criteria:
        """The criteria keys of the model file (horizon, average reward, features, ...).

        >>> MDP(["a"], {"a": [("a", 1, 1)]}, criteria={"criterion": "average"}).criteria.kind
        'average'
        """
        return self._criteria

    def replace(self, **changes) -> "MDP":
        """A copy with some constructor arguments changed (``discount=...``, ``name=...``)."""
        args = self._arguments()
        args.update(changes)
        states = args.pop("states")
        transitions = args.pop("transitions")
        return MDP(states, transitions, **args)

    def subs(self, values: Mapping) -> "MDP":
        """The model with some parameters (or the discount) replaced by values.

        >>> m = MDP(["A"], {"A": [("A", 1, "c")]}, symbols=["c"])
        >>> m.subs({"c": 2}).outcomes("A")
        (Outcome('A', p=1, r=2),)
        >>> MDP(["A"], {"A": [("A", 1, "r_bloom")]}, symbols=["r_bloom"],
        ...     description="A flower earns r_bloom.").subs({"r_bloom": 5}).description
        'A flower earns 5.'
        """
        by_name = {s.name: s for s in (*self._symbols, *self._discount.free_symbols)}
        mapping = {}
        for k, v in values.items():
            key = by_name.get(k, k) if isinstance(k, str) else k
            if isinstance(k, str) and k not in by_name:
                raise unknown_parameter(k, by_name)
            mapping[key] = exact(v, place=str(k))
        args = self._arguments()
        sub = lambda e: sympy.sympify(e).xreplace(mapping)  # noqa: E731

        def put_in(o: Outcome) -> Outcome:
            # keep the text as written where no substituted symbol touches the number
            keep_p = not (o.probability.free_symbols & mapping.keys())
            keep_r = not (o.reward.free_symbols & mapping.keys())
            return Outcome(o.next_state, sub(o.probability), sub(o.reward),
                           o.probability_text if keep_p else None,
                           o.reward_text if keep_r else None)
        args["discount"] = sub(self._discount)
        if args.get("description"):  # the words name the value now, not the symbol
            args["description"] = _put_values_in_words(args["description"], mapping)
        args["symbols"] = [s for s in self._symbols if s not in mapping]
        args["vary"] = {s: v for s, v in self._vary.items() if s not in mapping}
        args["criteria"] = self._criteria.subs(mapping)
        args["transitions"] = {
            s: ({a: [put_in(o) for o in outs]
                 for (s2, a), outs in self._outcomes.items() if s2 == s} if not self.is_mrp
                else [put_in(o) for o in self._outcomes[(s, None)]])
            for s in self.nonterminal}
        return MDP(args.pop("states"), args.pop("transitions"), **args)

    def _arguments(self) -> dict:
        if self.is_mrp:
            transitions = {s: list(self._outcomes[(s, None)]) for s in self.nonterminal}
        else:
            transitions = {s: {a: list(self._outcomes[(s, a)]) for a in self._actions[s]}
                           for s in self.nonterminal}
        return dict(states=list(self._states), transitions=transitions,
                    actions=None if self.is_mrp else {s: list(a) for s, a in
                                                       self._actions.items()},
                    terminal=self.terminal, discount=self._discount,
                    symbols=list(self._symbols), name=self._name,
                    description=self._description, layout=self._layout,
                    vary=dict(self._vary), criteria=self._criteria)

    def __eq__(self, other) -> bool:
        return isinstance(other, MDP) and self._arguments() == other._arguments()

    def __hash__(self) -> int:
        return hash((self._states, tuple(self._outcomes.items()), self._discount))

    def __repr__(self) -> str:
        from ..text.display import short_list  # a big model shows the ends of its state list

        kind = "MRP" if self.is_mrp else "MDP"
        acts = "" if self.is_mrp else f", actions={len(self.state_action_pairs)}"
        name = f"{self._name!r}, " if self._name else ""
        return f"{kind}({name}states={short_list(self._states)}{acts}, discount={self._discount})"

    def _repr_html_(self) -> str:
        from ..text.display import mdp_html

        return mdp_html(self)

    def _repr_latex_(self) -> str:
        from ..text.display import mdp_latex

        return mdp_latex(self)


def _put_values_in_words(text: str, mapping: Mapping) -> str:
    """``text`` with every whole-word name of a substituted symbol replaced by its value.

    >>> _put_values_in_words("earns r_bloom, not r_bloomed", {sympy.Symbol("r_bloom"): 5})
    'earns 5, not r_bloomed'
    """
    import re

    for symbol, value in mapping.items():
        text = re.sub(r"(?<![\w.])%s(?![\w])" % re.escape(symbol.name), str(value), text)
    return text
