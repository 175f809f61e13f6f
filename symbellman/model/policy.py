"""Policies π(a | s) over an MDP: uniform, deterministic, stochastic or symbolic.

A :class:`Policy` is checked against its MDP once, when it is made: every state it
names exists, every action is one of that state's actions, and the weights of each
state sum to exactly 1 (symbolically, e.g. ``p`` and ``1 - p``).

A policy belongs to one model. :meth:`Policy.for_model` is the one way a function that
takes ``(mdp, policy)`` turns its argument into a policy of ``mdp`` (the uniform one by
default, a model-file spec, or a policy made for this model); :meth:`Policy.bound_to`
moves a policy to a model with the same states and actions (the same model at another
discount); :func:`with_symbolic_discount` makes γ a symbol and moves the policy along.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

import sympy
from sympy import Expr, Integer, Symbol

from ..core.errors import PolicyError
from ..core.expressions import exact
from ..core.names import did_you_mean
from .mdp import MDP
from .fields import check_probability, check_sums_to_one
from ..core.symbols import gamma

__all__ = ["Policy", "with_symbolic_discount", "with_values"]


class Policy:
    """π(a | s): a probability distribution over the actions of every non-terminal state.

    Make one with :meth:`uniform`, :meth:`deterministic`, :meth:`stochastic` or
    :meth:`from_spec`; weights may be SymPy expressions in parameters.

    Examples
    --------
    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> pi = Policy.uniform(mdp)
    >>> pi("Class3")
    {'pub': 1/2, 'study': 1/2}
    >>> Policy.deterministic(mdp, {"Facebook": "quit", "Class1": "study",
    ...                            "Class2": "study", "Class3": "study"})("Class1")
    {'facebook': 0, 'study': 1}
    """

    __slots__ = ("_mdp", "_weights", "_symbols", "_kind")

    def __init__(self, mdp: MDP, weights: Mapping[str, Mapping[Any, Any]], *,
                 kind: str = "stochastic"):
        set_ = object.__setattr__
        set_(self, "_mdp", mdp)
        set_(self, "_kind", kind)
        names = {s.name: s for s in mdp.symbols}
        table = {}
        for s, dist in weights.items():
            place = f"policy.{s}"
            if s not in mdp.states:
                raise PolicyError(f"unknown state {s!r}", place=place,
                                  hint=did_you_mean(str(s), mdp.states))
            if mdp.is_terminal(s):
                raise PolicyError(f"terminal state {s!r} has no actions to choose",
                                  place=place, hint="leave it out of the policy")
            if not isinstance(dist, Mapping):
                raise PolicyError("expected a map from actions to probabilities", place=place)
            row = {}
            known = set(mdp.actions(s))  # a tuple's ``in`` made 60,000 actions quadratic
            for a, w in dist.items():
                if a not in known:
                    raise PolicyError(
                        f"{a!r} is not an action of state {s!r}", place=f"{place}.{a}",
                        hint=did_you_mean(
                            str(a), [x for x in mdp.actions(s) if x is not None],
                            f"its actions are {', '.join(map(str, mdp.actions(s)))}"))
                row[a] = check_probability(exact(w, names, f"{place}.{a}"), f"{place}.{a}",
                                           PolicyError)
            check_sums_to_one(row, place, PolicyError)
            table[s] = MappingProxyType({a: row.get(a, Integer(0)) for a in mdp.actions(s)})
        missing = [s for s in mdp.nonterminal if s not in table]
        if missing:
            raise PolicyError(f"no actions given for state {missing[0]!r}", place="policy",
                              hint="give every non-terminal state a distribution, "
                                   "or use 'uniform'")
        set_(self, "_weights", MappingProxyType({s: table[s] for s in mdp.nonterminal}))
        found = set()
        for row in table.values():
            for w in row.values():
                found |= w.free_symbols
        set_(self, "_symbols", tuple(sorted(found, key=lambda x: x.name)))

    def __setattr__(self, key, value):
        raise AttributeError("a Policy cannot be changed; make a new one")

    # -- constructors ----------------------------------------------------------------
    @classmethod
    def uniform(cls, mdp: MDP) -> "Policy":
        """Every action of a state equally likely (the equiprobable random policy)."""
        return cls(mdp, {s: {a: sympy.Rational(1, len(mdp.actions(s))) for a in mdp.actions(s)}
                         for s in mdp.nonterminal}, kind="uniform")

    @classmethod
    def deterministic(cls, mdp: MDP, choice: Mapping[str, str]) -> "Policy":
        """One action per state; states with a single action may be left out."""
        weights = {}
        for s in mdp.nonterminal:
            if s in choice:
                weights[s] = {choice[s]: 1}
            elif len(mdp.actions(s)) == 1:
                weights[s] = {mdp.actions(s)[0]: 1}
        for s in choice:
            if s not in weights:
                weights[s] = {choice[s]: 1}
        return cls(mdp, weights, kind="deterministic")

    @classmethod
    def stochastic(cls, mdp: MDP, weights: Mapping[str, Mapping[str, Any]]) -> "Policy":
        """π(a|s) given for every state; weights may be numbers, strings or expressions."""
        full = {s: weights[s] for s in weights}
        for s in mdp.nonterminal:
            if s not in full and len(mdp.actions(s)) == 1:
                full[s] = {mdp.actions(s)[0]: 1}
        return cls(mdp, full)

    @classmethod
    def from_spec(cls, mdp: MDP, spec: Any) -> "Policy":
        """A policy from the model-file form: ``"uniform"``, state → action, or state → weights."""
        if isinstance(spec, Policy):
            return cls.for_model(mdp, spec)  # refused when made for another model
        if spec is None or spec == "uniform":
            return cls.uniform(mdp)
        if isinstance(spec, str):
            raise PolicyError(f"unknown policy {spec!r}", place="policy",
                              hint="write 'uniform', a map state -> action, "
                                   "or a map state -> {action: probability}")
        if not isinstance(spec, Mapping):
            raise PolicyError("a policy is 'uniform' or a map over states", place="policy")
        if all(isinstance(v, str) for v in spec.values()):
            return cls.deterministic(mdp, spec)
        mixed = {s: ({v: 1} if isinstance(v, str) else v) for s, v in spec.items()}
        return cls.stochastic(mdp, mixed)

    @classmethod
    def for_model(cls, mdp: MDP, policy: Any = None) -> "Policy":
        """``policy`` as a policy of ``mdp``: the uniform policy for None, a model-file
        spec read against ``mdp``, or a :class:`Policy` that was made for ``mdp``.

        Raises
        ------
        PolicyError
            If ``policy`` was made for a different model (rebind it with
            :meth:`bound_to` when the two share their states and actions).

        Examples
        --------
        >>> from symbellman.model.examples import student_mdp, student_mrp
        >>> mdp = student_mdp()
        >>> Policy.for_model(mdp, {"Class3": "pub", "Class1": "study", "Class2": "study",
        ...                        "Facebook": "quit"})("Class3")
        {'pub': 1, 'study': 0}
        >>> Policy.for_model(mdp, Policy.uniform(student_mrp()))
        Traceback (most recent call last):
        ...
        symbellman.core.errors.PolicyError: the policy was made for a different model (make it for this model, e.g. Policy.uniform(mdp), or move it with policy.bound_to(mdp))
        """
        if policy is None or not isinstance(policy, Policy):
            return cls.from_spec(mdp, policy)
        if policy.mdp is not mdp and policy.mdp != mdp:
            raise PolicyError("the policy was made for a different model",
                              hint="make it for this model, e.g. Policy.uniform(mdp), "
                                   "or move it with policy.bound_to(mdp)")
        return policy

    def bound_to(self, mdp: MDP) -> "Policy":
        """The same weights as a policy of ``mdp``, a model with the same states and actions
        (for example the same model at another discount).

        >>> from symbellman.model.examples import student_mdp
        >>> from symbellman.core.symbols import gamma
        >>> pi = Policy.uniform(student_mdp())
        >>> moved = pi.bound_to(student_mdp(discount=gamma))
        >>> moved.mdp.discount, moved("Class3") == pi("Class3"), moved.kind
        (gamma, True, 'uniform')
        """
        if mdp is self._mdp or mdp == self._mdp:
            return self
        if mdp.nonterminal != self._mdp.nonterminal:
            raise PolicyError("the policy was made for a model with other states",
                              place="policy", hint="make a policy for this model")
        for s in mdp.nonterminal:
            if tuple(mdp.actions(s)) != tuple(self._weights[s]):
                raise PolicyError(f"state {s!r} has other actions than the policy's model",
                                  place=f"policy.{s}", hint="make a policy for this model")
        return self.subs(mdp, {})

    # -- reading ---------------------------------------------------------------------
    @property
    def mdp(self) -> MDP:
        return self._mdp

    @property
    def kind(self) -> str:
        """``"uniform"``, ``"deterministic"`` or ``"stochastic"``."""
        return self._kind

    @property
    def symbols(self) -> tuple[Symbol, ...]:
        """Parameters that the weights use."""
        return self._symbols

    def __call__(self, s: str) -> dict:
        """π(· | s) as a dict over the state's actions (zeros included)."""
        return dict(self._weights[s])

    def weight(self, s: str, a) -> Expr:
        """π(a | s)."""
        return self._weights[s][a]

    def weighted_outcomes(self, mdp: MDP, s: str):
        """``(π(a | s), outcome)`` for every outcome of every action of ``s`` that π takes,
        in the model's order.

        Examples
        --------
        >>> from symbellman.model.examples import student_mdp
        >>> pi = Policy.uniform(student_mdp())
        >>> [(w, o.next_state) for w, o in pi.weighted_outcomes(pi.mdp, "Class1")]
        [(1/2, 'Facebook'), (1/2, 'Class2')]
        """
        for a in mdp.actions(s):
            w = self.weight(s, a)
            if w == 0:
                continue
            for o in mdp.outcomes(s, a):
                yield w, o

    def support(self, s: str) -> tuple:
        """The actions with non-zero weight in ``s``, in the model's order."""
        return tuple(a for a, w in self._weights[s].items() if w != 0)

    def is_deterministic(self) -> bool:
        return all(len(self.support(s)) == 1 and self._weights[s][self.support(s)[0]] == 1
                   for s in self._weights)

    def subs(self, mdp: MDP, values: Mapping) -> "Policy":
        """The same policy on ``mdp`` (the model after :meth:`MDP.subs`), with values put in."""
        by_name = {s.name: s for s in self._symbols}
        mapping = {by_name.get(k, k) if isinstance(k, str) else k: exact(v)
                   for k, v in values.items()
                   if not isinstance(k, str) or k in by_name}
        return Policy(mdp, {s: {a: w.xreplace(mapping) for a, w in row.items()}
                            for s, row in self._weights.items()}, kind=self._kind)

    def __eq__(self, other) -> bool:
        return isinstance(other, Policy) and self._weights == other._weights

    def __hash__(self) -> int:
        return hash(tuple((s, tuple(r.items())) for s, r in self._weights.items()))

    def __repr__(self) -> str:
        if self._kind == "uniform":
            return "Policy.uniform(...)"
        if len(self._weights) > 12:  # Taxi has 500 states: show how many, not each
            kind = "deterministic" if self.is_deterministic() else "stochastic"
            return f"Policy({kind}, {len(self._weights)} states)"
        if self.is_deterministic():
            return f"Policy.deterministic(...: {dict((s, self.support(s)[0]) for s in self._weights)})"
        return f"Policy({ {s: dict(r) for s, r in self._weights.items()} })"

    def _repr_html_(self) -> str:
        from ..text.display import policy_html

        return policy_html(self)

    def _repr_latex_(self) -> str:
        from ..text.display import policy_latex

        return policy_latex(self)

def with_symbolic_discount(mdp: MDP, policy: Policy | None = None, symbol: Symbol = gamma
                           ) -> tuple[MDP, Policy | None]:
    """The model with its discount made the symbol γ (unless it is a symbol already), and
    the policy moved to it, for closed forms in γ.

    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> symbolic, pi = with_symbolic_discount(mdp, Policy.uniform(mdp))
    >>> symbolic.discount, pi.mdp is symbolic
    (gamma, True)
    """
    if not isinstance(mdp.discount, Symbol):
        mdp = mdp.replace(discount=symbol)
    return mdp, None if policy is None else policy.bound_to(mdp)


def with_values(mdp: MDP, policy: Policy, values: Mapping) -> tuple[MDP, Policy]:
    """The model and its policy with exact values put in for names (``--at name=value``).

    ``gamma`` replaces a numeric discount; any other name (or ``gamma`` when the discount
    is that symbol) is substituted in the model and the policy alike.

    >>> from fractions import Fraction
    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> moved, pi = with_values(mdp, Policy.uniform(mdp), {"gamma": Fraction(1, 2)})
    >>> moved.discount, pi.mdp is moved
    (1/2, True)
    """
    values = dict(values)
    if "gamma" in values and not mdp.discount.free_symbols:
        # the discount is already a number: gamma=... replaces it
        mdp = mdp.replace(discount=values.pop("gamma"))
        policy = policy.bound_to(mdp)
    if values:
        substituted = mdp.subs(values)
        policy = policy.subs(substituted, values)
        mdp = substituted
    return mdp, policy
