"""The right answers of a check, and the wrong answers that the named mistakes give.

A :class:`Reference` belongs to one model (with ``at`` put in) and one policy. It computes,
exactly and only when first asked, v_π, q_π, v*, q*, the optimal actions and the
breakpoints over γ; and for each named mistake the whole answer a student making it would
write, by solving a changed problem exactly: the discount 1 or γ², rewards moved to the
state reached, a terminal value that is not 0, the greedy policy, one sweep from zero.
A class graded against one key shares its Reference, so each is solved once.
"""

from __future__ import annotations

from collections import ChainMap
from typing import Callable, Iterator, Mapping

import sympy
from sympy import Expr, Integer, Symbol

from ..core.errors import ModelError, SymbellmanError
from ..model.mdp import MDP, Outcome
from ..model.policy import Policy
from ..study import Study
from .messages import say

__all__ = ["Reference", "Candidate", "with_rewards"]

Values = Mapping[tuple, Expr]  # (state, action or None) -> exact value


class Candidate:
    """A mistake's whole answer: its id, the words for its message, and the values."""

    __slots__ = ("mistake", "details", "values")

    def __init__(self, mistake: str, details: Mapping[str, str], values: Values):
        self.mistake, self.details, self.values = mistake, dict(details), values

    def __repr__(self) -> str:
        return f"Candidate({self.mistake})"


class _Substituted(Mapping):
    """``values`` with ``substitution`` made in each entry when it is first read (a large
    model's closed forms are many, and a check reads only the student's few)."""

    def __init__(self, values: Mapping, substitution: Mapping):
        self._values, self._substitution, self._done = values, substitution, {}

    def __getitem__(self, key):
        if key not in self._done:
            self._done[key] = self._values[key].subs(self._substitution)
        return self._done[key]

    def __contains__(self, key) -> bool:
        return key in self._values

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def with_rewards(mdp: MDP, reward: Callable[[str, str, Outcome], Expr]) -> MDP:
    """The model with each outcome's reward replaced by ``reward(state, action, outcome)``.

    >>> from symbellman.model.examples import student_mdp
    >>> doubled = with_rewards(student_mdp(), lambda s, a, o: 2 * o.reward)
    >>> doubled.outcomes("Class3", "study")
    (Outcome('Sleep', p=1, r=20),)
    """
    def outcomes(s, a):
        return [Outcome(o.next_state, o.probability, reward(s, a, o))
                for o in mdp.outcomes(s, a)]

    if mdp.is_mrp:
        transitions = {s: outcomes(s, None) for s in mdp.nonterminal}
        return MDP(mdp.states, transitions, terminal=mdp.terminal, discount=mdp.discount,
                   symbols=mdp.symbols, name=mdp.name)
    transitions = {s: {a: outcomes(s, a) for a in mdp.actions(s)} for s in mdp.nonterminal}
    actions = {s: list(mdp.actions(s)) for s in mdp.nonterminal}
    return MDP(mdp.states, transitions, actions=actions,
               terminal=mdp.terminal, discount=mdp.discount, symbols=mdp.symbols,
               name=mdp.name)


class _Values(Mapping):
    """A value function's entries by (state, action or None), each made into a SymPy
    expression when first read: a check reads a few of a large model's closed forms."""

    def __init__(self, function, pairs, state_only: bool):
        self._function, self._state_only = function, state_only
        self._keys = tuple(pairs)
        self._set = frozenset(self._keys)

    def __getitem__(self, key):
        if key not in self._set:
            raise KeyError(key)
        return self._function[key[0] if self._state_only else key]

    def __contains__(self, key) -> bool:
        return key in self._set

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _policy_values(study: Study, key: str) -> Mapping:
    mdp = study.mdp
    if key == "v":
        return _Values(study.v, [(s, None) for s in mdp.states], True)
    return _Values(study.q, mdp.state_action_pairs, False)


def _optimal_values(study: Study, key: str) -> Mapping:
    mdp, best = study.mdp, study.optimum
    if key in ("v_star", "v"):
        return _Values(best.v_star, [(s, None) for s in mdp.states], True)
    return _Values(best.q_star, mdp.state_action_pairs, False)


class Reference:
    """The exact answers for ``mdp`` (numbers put in) and ``policy``.

    Parameters
    ----------
    mdp : MDP
        The model, with the answer file's ``at`` put in.
    policy : Policy
        The policy the values ``v`` and ``q`` are asked for.
    model_policy : Policy, optional
        The model file's own policy, when the answers were for another one: its values are
        a candidate of ``other-policy``.

    Examples
    --------
    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> ref = Reference(mdp, Policy.uniform(mdp))
    >>> ref.expected("v")["Class3", None], ref.expected("v_star")["Class3", None]
    (96/13, 10)
    >>> [c.mistake for c in ref.candidates("v")][:3]
    ['optimal-instead', 'other-policy', 'state-reward']
    """

    def __init__(self, mdp: MDP, policy: Policy, model_policy: Policy | None = None):
        self.mdp = mdp
        self.policy = policy
        self.model_policy = model_policy
        self.study = Study(mdp, policy)  # the right answers, each computed once
        self._studies: dict = {(mdp, policy): self.study}
        self._expected: dict = {}
        self._candidates: dict = {}

    @property
    def discount(self) -> Expr:
        return self.mdp.discount

    @property
    def symbolic(self) -> bool:
        return bool(self.discount.free_symbols)

    # -- the right answers ----------------------------------------------------------------
    def expected(self, key: str) -> dict:
        """The right values of ``key`` (v, q, v_star, q_star, optimal_actions, breakpoints)."""
        if key not in self._expected:
            self._expected[key] = self._compute(key)
        return self._expected[key]

    def _compute(self, key: str) -> dict:
        if key in ("v", "q"):
            return _policy_values(self.study, key)
        if key in ("v_star", "q_star"):
            self._need_numbers(key)
            return _optimal_values(self.study, key)
        if key == "optimal_actions":
            self._need_numbers(key)
            return {(s, None): acts for s, acts in self.best.policy.items()}
        if key == "breakpoints":
            return {(None, None): self.pieces.breakpoints}
        raise KeyError(key)

    def _need_numbers(self, key: str) -> None:
        left = sorted(x.name for x in self.mdp.discount.free_symbols | set(self.mdp.symbols))
        if left:
            raise ModelError(f"{key} needs numbers, but {', '.join(left)} "
                             f"{'has' if len(left) == 1 else 'have'} no value", place=key,
                             hint="give them with at: {" + ", ".join(f"{x}: ..." for x in left)
                             + "}")

    def study_of(self, mdp: MDP, policy: Policy | None = None) -> Study:
        """The one study of ``mdp`` (this model or a mistake's changed one) and ``policy``
        (bound to ``mdp``; None for the uniform one) that every key and mistake reads:
        the v_π behind a mistake's v and q is solved once."""
        bound = Policy.for_model(mdp, None if policy is None else policy.bound_to(mdp))
        key = (mdp, bound)
        if key not in self._studies:
            self._studies[key] = Study(mdp, bound)
        return self._studies[key]

    @property
    def best(self):
        return self.study.optimum

    @property
    def pieces(self):
        return self.study.pieces()

    # -- the wrong answers ----------------------------------------------------------------
    def candidates(self, key: str, terminal: Mapping[str, Expr] | None = None
                   ) -> Iterator[Candidate]:
        """The whole answers of ``key`` that each named mistake gives, in a fixed order.

        ``terminal`` holds the nonzero values a student gave terminal states: they make
        the ``terminal-nonzero`` candidate. A candidate that cannot be solved (at
        discount 1 a policy that never ends) is left out.
        """
        if key not in ("v", "q", "v_star", "q_star"):
            return
        makers = [("optimal-instead", self._optimal_instead), ("other-policy", self._others),
                  ("policy-instead", self._policy_instead), ("no-discount", self._undiscounted),
                  ("double-discount", self._twice), ("state-reward", self._state_reward),
                  ("one-sweep", self._one_sweep)]
        for mistake, make in makers:
            cache_key = (key, mistake)
            if cache_key not in self._candidates:
                try:
                    self._candidates[cache_key] = list(make(key))
                except SymbellmanError:  # e.g. no values at discount 1
                    self._candidates[cache_key] = []
            yield from self._candidates[cache_key]
        if terminal:
            try:
                yield self._terminal_nonzero(key, terminal)
            except SymbellmanError:
                pass

    def _values(self, mdp: MDP, key: str, policy: Policy | None = None) -> dict:
        if key in ("v", "q"):
            return _policy_values(self.study_of(mdp, policy or self.policy), key)
        self._need_numbers(key)
        return _optimal_values(self.study_of(mdp), key)

    def _optimal_instead(self, key):
        if key in ("v", "q") and not self.mdp.is_mrp and not self.symbolic:
            yield Candidate("optimal-instead", {}, _optimal_values(self.study, key + "_star"))

    def _policy_instead(self, key):
        if key in ("v_star", "q_star"):
            yield Candidate("policy-instead", {}, self.expected(key[0]))

    def _others(self, key):
        if key not in ("v", "q") or self.mdp.is_mrp or self.symbolic:
            return  # closed forms in γ have no single greedy policy
        q = self.expected("q")
        greedy, first = {}, {}
        for s in self.mdp.nonterminal:
            values = {a: q[s, a] for a in self.mdp.actions(s)}
            if any(x.free_symbols or x is sympy.nan for x in values.values()):
                return  # in other symbols, or undefined at γ = 1: no greedy policy
            top = max(values.values())
            best = [a for a, x in values.items() if x == top]
            greedy[s] = {a: sympy.Rational(1, len(best)) for a in best}
            first[s] = best[0]
        policies = [("greedy", Policy.stochastic(self.mdp, greedy)),
                    ("greedy-first", Policy.deterministic(self.mdp, first)),
                    ("uniform", Policy.uniform(self.mdp))]
        if self.model_policy is not None:
            policies.append(("model", self.model_policy.bound_to(self.mdp)))
        seen = [self.policy]
        for name, policy in policies:
            if policy in seen:
                continue
            seen.append(policy)
            yield Candidate("other-policy", {"policy": say(name)},
                            _policy_values(self.study_of(self.mdp, policy), key))

    def _undiscounted(self, key):
        if self.symbolic or self.discount == 1:
            return
        yield Candidate("no-discount", {"discount": str(self.discount)},
                        self._values(self.mdp.replace(discount=Integer(1)), key))

    def _twice(self, key):
        g = self.discount
        if g in (0, 1):
            return
        if isinstance(g, Symbol):  # each closed form with γ² for γ, made when first read
            values = _Substituted(self.expected(key), {g: g**2})
        elif g.free_symbols:
            return
        else:
            values = self._values(self.mdp.replace(discount=g**2), key)
        yield Candidate("double-discount", {"discount": str(g), "squared": str(g**2)}, values)

    def _state_reward(self, key):
        if self.mdp.is_mrp:
            return
        mdp = self.mdp
        own = {s: sympy.Add(*[mdp.expected_reward(s, a) for a in mdp.actions(s)])
               / len(mdp.actions(s)) for s in mdp.nonterminal}
        moved = with_rewards(mdp, lambda s, a, o: own.get(o.next_state, Integer(0)))
        yield Candidate("state-reward", {}, self._values(moved, key))

    def _one_sweep(self, key):
        mdp = self.mdp
        if key == "v":
            values = {(s, None): sympy.Add(*[w * mdp.expected_reward(s, a) for a, w in
                                             self.policy(s).items()]) if not mdp.is_mrp
                      else mdp.expected_reward(s) for s in mdp.nonterminal}
        elif key == "v_star":
            self._need_numbers(key)
            values = {(s, None): max(mdp.expected_reward(s, a) for a in mdp.actions(s))
                      for s in mdp.nonterminal}
        else:
            values = {(s, a): mdp.expected_reward(s, a) for s, a in mdp.state_action_pairs}
        values.update({(s, None): Integer(0) for s in mdp.terminal})
        yield Candidate("one-sweep", {}, values)

    def _terminal_nonzero(self, key, terminal: Mapping[str, Expr]) -> Candidate:
        # v(T) = c: each transition into T pays γ·c more, and T is still worth 0 after it
        g = self.discount
        moved = with_rewards(self.mdp, lambda s, a, o: o.reward
                             + g * terminal.get(o.next_state, Integer(0)))
        values = ChainMap({(s, None): c for s, c in terminal.items()}, self._values(moved, key))
        state, value = next(iter(terminal.items()))
        return Candidate("terminal-nonzero", {"state": state, "value": str(value)}, values)
