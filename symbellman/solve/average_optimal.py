"""Optimal average reward: gain- and bias-optimal actions, policy iteration, value iteration.

The optimal gain g* and bias h* satisfy the nested (multichain) optimality equations
(Puterman & Chan, Chapter 7; Puterman 1994, §9.1):

    max_a Σ_j p(j | s, a) g(j) − g(s) = 0,
    max_{a ∈ B_s} [r(s, a) − g(s) + Σ_j p(j | s, a) h(j)] − h(s) = 0,

where B_s holds the actions attaining the first maximum. :func:`average_optimal` finds
them through the discounted problem: the last piece of the optimal policy over γ is
Blackwell optimal (optimal for every γ close to 1), hence bias optimal, and its gain
and bias (the first two Laurent terms of v*_γ at γ = 1) are g* and h*. An action is
*gain optimal* when some gain-optimal stationary policy takes it: for each action
outside the Blackwell set, multichain policy iteration (Puterman's Algorithm 9.2.1)
restricted to that action finds the best gain that remains. Gain-optimal actions are
reported apart from the bias-optimal (Blackwell) ones.

:func:`average_value_iteration` runs undiscounted value iteration exactly and reports
the span sp(v_n − v_{n−1}) and the estimate of g at each step; on a periodic chain the
differences cycle and the span never shrinks, which it detects and reports, and the
aperiodicity transform p̃ = (1 − τ) I + τ p, r̃ = τ r (gain τ g) repairs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import sympy
from sympy import Expr
from sympy.polys.domains import QQ

from .average import AverageReward, ChainStructure, average_reward
from ..core.errors import ModelError, SolveError
from ..core.keyed import KeyedValues
from ..model.mdp import MDP
from ..model.policy import Policy, with_symbolic_discount

__all__ = ["AverageOptimal", "average_optimal", "multichain_policy_iteration",
           "ValueIterationTrace", "average_value_iteration", "optimality_equations_hold",
           "solve_g_star", "solve_h_star"]


@dataclass(frozen=True, repr=False)
class AverageOptimal:
    """g*, h* (bias of a Blackwell-optimal policy, P* h = 0) and the optimal actions.

    ``policy`` maps each non-terminal state to its bias-optimal (Blackwell) actions,
    ``gain_optimal`` to every action some gain-optimal policy takes (a superset).
    """

    mdp: MDP
    gain: Mapping[str, Expr]
    bias: Mapping[str, Expr]
    policy: Mapping[str, tuple]
    gain_optimal: Mapping[str, tuple]
    result: AverageReward

    @property
    def structure(self) -> ChainStructure:
        """The chain structure under the chosen Blackwell-optimal policy."""
        return self.result.structure

    def __repr__(self) -> str:
        return f"AverageOptimal({len(self.gain)} states)"


def _deterministic(mdp: MDP, choice: Mapping[str, str]) -> Policy:
    return Policy.deterministic(mdp, choice)


def _numeric(mdp: MDP, at: Mapping | None) -> MDP:
    if at:
        mdp = mdp.subs(at)
    names = sorted(s.name for s in mdp.symbols)
    if names:
        listed = ", ".join(names)
        raise SolveError(f"the optimal actions depend on {listed}: give values to {listed} "
                         "with at={...}")
    if mdp.is_mrp:
        raise SolveError("a Markov reward process has no actions to choose: use "
                         "average_reward for its gain and bias")
    return mdp


def multichain_policy_iteration(mdp: MDP, start: Mapping[str, str] | None = None, *,
                                allowed: Mapping[str, tuple] | None = None
                                ) -> tuple[dict[str, str], AverageReward]:
    """A gain-optimal deterministic policy by multichain policy iteration, exactly.

    Puterman (1994), Algorithm 9.2.1: evaluate (g, h) with P* h = 0; improve the gain
    step Σ_j p(j|s, a) g(j) where it can; else, among the actions that keep it, improve
    r(s, a) + Σ_j p(j|s, a) h(j); the current action is kept on ties. ``allowed``
    restricts the actions of some states.

    >>> from symbellman.model.long_run_examples import puterman_two_state_average
    >>> choice, result = multichain_policy_iteration(puterman_two_state_average(),
    ...                                              {"s1": "a12", "s2": "a21"})
    >>> choice, result.gain["s1"]
    ({'s1': 'a12', 's2': 'a22'}, 20/7)
    """
    actions = {s: tuple((allowed or {}).get(s, mdp.actions(s))) for s in mdp.nonterminal}
    d = {s: (start or {}).get(s, actions[s][0]) for s in mdp.nonterminal}
    d = {s: (a if a in actions[s] else actions[s][0]) for s, a in d.items()}
    for _ in range(10_000):
        result = average_reward(mdp, _deterministic(mdp, d))
        g, h = result.gain, result.bias
        step = {}
        for s in mdp.nonterminal:
            step[s] = {a: sum((o.probability * g[o.next_state] for o in mdp.outcomes(s, a)),
                              sympy.Integer(0)) for a in actions[s]}
        new = {s: _keep_or_best(d[s], step[s]) for s in mdp.nonterminal}
        if new == d:
            for s in mdp.nonterminal:
                top = max(step[s].values())
                kept = [a for a in actions[s] if step[s][a] == top]
                value = {a: mdp.expected_reward(s, a) + sum(
                    (o.probability * h[o.next_state] for o in mdp.outcomes(s, a)),
                    sympy.Integer(0)) for a in kept}
                new[s] = _keep_or_best(d[s], value)
        if new == d:
            return d, result
        d = new
    raise SolveError("policy iteration did not stop")  # pragma: no cover - finite


def _keep_or_best(current: str, values: Mapping[str, Expr]) -> str:
    top = max(values.values())
    if current in values and values[current] == top:
        return current
    return next(a for a, x in values.items() if x == top)


def average_optimal(mdp: MDP, *, at: Mapping | None = None) -> AverageOptimal:
    """The optimal gain g*, bias h*, bias-optimal and gain-optimal actions, exactly.

    Parameters
    ----------
    mdp : MDP
        The model; its discount plays no part. Every symbol needs a value (``at``).
    at : mapping, optional
        Values for the model's symbols.

    Examples
    --------
    Puterman & Chan, Section 7.7.2: (a12, a22) is optimal with gain 20/7; its bias is
    (75/49, −30/49), i.e. relative values 15/7 and 0:

    >>> from symbellman.model.long_run_examples import puterman_two_state_average
    >>> best = average_optimal(puterman_two_state_average())
    >>> best.gain, best.bias, best.policy
    ({'s1': 20/7, 's2': 20/7}, {'s1': 75/49, 's2': -30/49}, {'s1': ('a12',), 's2': ('a22',)})
    """
    from ..optimal import optimal_pieces

    mdp = _numeric(mdp, at)
    symbolic, _ = with_symbolic_discount(mdp)
    pieces = optimal_pieces(symbolic)
    blackwell = {s: tuple(a) for s, a in pieces.blackwell.items() if s in mdp.nonterminal}
    choice = {s: acts[0] for s, acts in blackwell.items()}
    result = average_reward(mdp, _deterministic(mdp, choice))
    gain = result.gain
    gain_optimal = {}
    for s in mdp.nonterminal:
        keep = []
        for a in mdp.actions(s):
            if a in blackwell[s]:
                keep.append(a)
                continue
            _, restricted = multichain_policy_iteration(
                mdp, {**choice, s: a}, allowed={s: (a,)})
            if all(restricted.gain[x] == gain[x] for x in mdp.states):
                keep.append(a)
        gain_optimal[s] = tuple(keep)
    return AverageOptimal(mdp, gain, result.bias, blackwell, gain_optimal, result)


def optimality_equations_hold(mdp: MDP, gain: Mapping[str, Expr],
                              bias: Mapping[str, Expr]) -> bool:
    """Whether (g, h) solves the nested multichain optimality equations exactly.

    >>> from symbellman.model.long_run_examples import puterman_two_state_average
    >>> m = puterman_two_state_average()
    >>> best = average_optimal(m)
    >>> optimality_equations_hold(m, best.gain, best.bias)
    True
    >>> optimality_equations_hold(m, {"s1": 3, "s2": 3}, best.bias)
    False
    """
    for s in mdp.nonterminal:
        step = {a: sum((o.probability * gain[o.next_state] for o in mdp.outcomes(s, a)),
                       sympy.Integer(0)) for a in mdp.actions(s)}
        top = max(step.values())
        if top != gain[s]:
            return False
        best = max(mdp.expected_reward(s, a) - gain[s] + sum(
            (o.probability * bias[o.next_state] for o in mdp.outcomes(s, a)), sympy.Integer(0))
            for a in mdp.actions(s) if step[a] == top)
        if best != bias[s]:
            return False
    return all(gain[s] == 0 and bias[s] == 0 for s in mdp.terminal)


# -- value iteration -------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class ValueIterationTrace:
    """The iterates of undiscounted (relative) value iteration, exactly.

    ``rows`` holds ``(n, values, span, estimate)``: v_n (or w_n = v_n − v_n(s̄) with a
    reference state), sp(v_n − v_{n−1}) and the estimate of the gain,
    (max + min)/2 of v_n − v_{n−1} (divided by τ under the aperiodicity transform).
    ``period`` is the period with which the differences cycle, when they do.
    """

    rows: tuple
    period: int | None
    transform: Expr | None
    reference: str | None

    @property
    def oscillates(self) -> bool:
        return self.period is not None

    def warning(self) -> str | None:
        """The note to print when the iterates oscillate."""
        if self.period is None:
            return None
        return (f"value iteration oscillates with period {self.period}: the chain is "
                "periodic, so the span sp(v_n - v_(n-1)) never shrinks; use the "
                "aperiodicity transform (tau = 1/2: p~ = (1 - tau) I + tau p, r~ = tau r, "
                "gain = g~/tau)")

    def __repr__(self) -> str:
        return f"ValueIterationTrace({len(self.rows) - 1} iterations)"


def average_value_iteration(mdp: MDP, policy: Any = "optimal", *, iterations: int = 20,
                            tolerance: Any = 0, transform: Any = None,
                            reference: str | None = None) -> ValueIterationTrace:
    """Undiscounted value iteration from v_0 = 0, exactly, with spans and gain estimates.

    Parameters
    ----------
    mdp : MDP
        The model (numeric); terminal states stay at 0.
    policy : "optimal" or Policy or spec
        ``"optimal"`` iterates v ← max_a [r + P v]; a policy iterates v ← r_π + P_π v.
    iterations : int
        The most iterations.
    tolerance : number
        Stop once the span is at most this (0: run every iteration).
    transform : number in (0, 1), optional
        τ of the aperiodicity transform.
    reference : str, optional
        A state s̄: relative value iteration, printing w_n = v_n − v_n(s̄).

    Examples
    --------
    Puterman & Chan, Table 7.5: v_1 = (5, 2), v_2 = (7.4, 5.2), spans 3, 0.8, 0.08:

    >>> from symbellman.model.long_run_examples import puterman_two_state_average
    >>> trace = average_value_iteration(puterman_two_state_average(), iterations=3)
    >>> [(n, v["s1"], v["s2"], span) for n, v, span, _ in trace.rows[1:]]
    [(1, 5, 2, 3), (2, 37/5, 26/5, 4/5), (3, 51/5, 202/25, 2/25)]

    Sutton & Barto's Exercise 10.7 ring oscillates with period 3:

    >>> from symbellman.model.long_run_examples import exercise_10_7
    >>> average_value_iteration(exercise_10_7(), iterations=9).period
    3
    """
    mdp = _numeric_model(mdp)
    if reference is not None and reference not in mdp.states:
        raise ModelError(f"unknown state {reference!r}", place="reference")
    tau = None if transform is None else sympy.Rational(sympy.sympify(transform))
    if tau is not None and not 0 < tau < 1:
        raise ModelError(f"the transform's tau must lie strictly between 0 and 1, not {tau}",
                         place="transform")
    chooser = None if isinstance(policy, str) and policy == "optimal" else \
        Policy.for_model(mdp, policy)
    table = _backups(mdp, chooser, tau)
    v = {s: QQ(0) for s in mdp.states}
    rows = [(0, {s: sympy.Integer(0) for s in mdp.states}, None, None)]
    differences: list[tuple] = []
    period = None
    limit = QQ.from_sympy(sympy.Rational(sympy.sympify(tolerance)))
    for n in range(1, iterations + 1):
        new = {s: max(sum((p * v[j] for j, p in moves), r) for r, moves in table[s])
               for s in mdp.states}
        delta = {s: new[s] - v[s] for s in mdp.states}
        span = max(delta.values()) - min(delta.values())
        estimate = (max(delta.values()) + min(delta.values())) / 2
        if tau is not None:
            estimate = estimate / QQ.from_sympy(tau)
        v = new
        if reference is not None:
            base = v[reference]
            v = {s: x - base for s, x in v.items()}
        rows.append((n, {s: QQ.to_sympy(x) for s, x in v.items()}, QQ.to_sympy(span),
                     QQ.to_sympy(estimate)))
        differences.append(tuple(delta[s] for s in mdp.states))
        period = _cycle(differences)
        if span <= limit and tolerance != 0 or period is not None and n >= 3 * period:
            break
    return ValueIterationTrace(tuple(rows), period, tau, reference)


def _numeric_model(mdp: MDP) -> MDP:
    if mdp.symbols:
        listed = ", ".join(s.name for s in mdp.symbols)
        raise SolveError(f"value iteration needs numbers: give values to {listed} "
                         "with at={...}")
    return mdp


def _backups(mdp: MDP, policy: Policy | None, tau) -> dict:
    """Per state, the (reward, moves) of each action (one entry under a policy)."""
    one = QQ(1)
    t = None if tau is None else QQ.from_sympy(tau)
    table = {}
    for s in mdp.states:
        if mdp.is_terminal(s):
            table[s] = [(QQ(0), [])]
            continue
        options = []
        if policy is None:
            weighted = [[(sympy.Integer(1), o) for o in mdp.outcomes(s, a)]
                        for a in mdp.actions(s)]
        else:
            weighted = [list(policy.weighted_outcomes(mdp, s))]
        for entries in weighted:
            reward, moves = QQ(0), {}
            for w, o in entries:
                p = QQ.from_sympy(w * o.probability)
                reward += p * QQ.from_sympy(o.reward)
                if not mdp.is_terminal(o.next_state):
                    moves[o.next_state] = moves.get(o.next_state, QQ(0)) + p
            if t is not None:
                reward = t * reward
                moves = {j: t * p for j, p in moves.items()}
                moves[s] = moves.get(s, QQ(0)) + (one - t)
            options.append((reward, list(moves.items())))
        table[s] = options
    return table


def _cycle(differences: list[tuple]) -> int | None:
    """The period p > 1 with which the last differences repeat (3 full cycles), if any."""
    n = len(differences)
    if n >= 2 and differences[-1] == differences[-2]:
        return None
    for p in range(2, n // 3 + 1):
        if all(differences[-1 - i] == differences[-1 - i - p]
               for i in range(2 * p)):
            return p
    return None


# -- the family records' solvers (symbellman.equations.families: g_star, h_star) -----------------------
def solve_g_star(study) -> KeyedValues:
    """g* of a study's model, keyed by state; ``source`` is the :class:`AverageOptimal`
    (bias-optimal and gain-optimal actions, the Blackwell policy's chain)."""
    best = average_optimal(study.mdp)
    return KeyedValues(best.gain, best)


def solve_h_star(study) -> KeyedValues:
    """h*, the bias of a bias-optimal policy, from the same :class:`AverageOptimal`."""
    best = study.result("g_star").source
    return KeyedValues(best.bias, best)
