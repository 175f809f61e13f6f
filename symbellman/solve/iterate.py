"""Value and policy iteration: in floating point with NumPy for cross-checks, exactly for tables.

The floating-point solvers exist to check the exact ones (and for users to check
other toolboxes against): :func:`value_iteration` stops on a real error bound, not on
a small change. With ‖v_{k+1} − v_k‖∞ < ε(1 − γ)/(2γ), the greedy policy of v_{k+1}
is ε-optimal and ‖v_{k+1} − v*‖∞ < ε/2 (Puterman, *Markov Decision Processes*, 1994,
Theorem 6.3.1). :func:`policy_iteration_numeric` solves each policy's linear system
with ``numpy.linalg.solve``; :func:`evaluate_policy_numeric` is iterative policy
evaluation. :func:`value_iteration_trace` and :func:`policy_evaluation_trace` give
the first sweeps exactly, as the textbooks tabulate them (Sutton & Barto, Figure 4.1).

An MDP has a list of actions per state, so the arrays are indexed by (state, action)
pair (:func:`pair_arrays`): ``P[k, j]`` is the probability that pair ``k`` leads to the
non-terminal state ``j``, ``r[k]`` its expected reward, and ``pair_state[k]`` the
state it belongs to. Terminal states have value 0 and no column.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import numpy as np
import sympy
from sympy import Rational

from ..core.expressions import as_fraction
from ..core.errors import ModelError, SolveError
from ..core.expressions import exact
from ..model.mdp import MDP
from ..model.policy import Policy

__all__ = ["Arrays", "pair_arrays", "value_iteration", "policy_iteration_numeric",
           "evaluate_policy_numeric", "value_iteration_trace", "policy_evaluation_trace",
           "NumericSolution"]


@dataclass(frozen=True, repr=False)
class Arrays:
    """An MDP as NumPy arrays over (state, action) pairs.

    Attributes
    ----------
    states : tuple of str
        The non-terminal states (the columns of ``P``).
    pairs : tuple of (state, action)
        The rows of ``P`` and ``r``.
    pair_state : ndarray of int, shape (pairs,)
        The position in ``states`` of each pair's state.
    P : ndarray, shape (pairs, states)
        Transition probabilities to non-terminal states (rows sum to at most 1).
    r : ndarray, shape (pairs,)
        Expected rewards r(s, a).
    discount : float
    """

    states: tuple
    pairs: tuple
    pair_state: np.ndarray
    P: np.ndarray
    r: np.ndarray
    discount: float

    def backup(self, v: np.ndarray) -> np.ndarray:
        """q(s, a) = r(s, a) + γ Σ p(s'|s, a) v(s') for every pair."""
        return self.r + self.discount * (self.P @ v)

    def maximum(self, q: np.ndarray) -> np.ndarray:
        """max_a q(s, a) for every state."""
        v = np.full(len(self.states), -np.inf)
        np.maximum.at(v, self.pair_state, q)
        return v

    def __repr__(self) -> str:
        return f"Arrays({len(self.states)} states, {len(self.pairs)} pairs, γ={self.discount})"


def _number(expr, what: str) -> float:
    expr = sympy.sympify(expr)
    if expr.free_symbols:
        names = ", ".join(sorted(s.name for s in expr.free_symbols))
        raise SolveError(f"numeric iteration needs numbers, but {what} holds {names}: "
                         "substitute values first (mdp.subs({...}))")
    return float(expr)


def pair_arrays(mdp: MDP, discount=None) -> Arrays:
    """The model's (state, action)-pair arrays, in floating point.

    Parameters
    ----------
    mdp : MDP
        A model whose probabilities and rewards are numbers.
    discount : number, optional
        γ; by default the model's (which must then be a number).

    Examples
    --------
    >>> from symbellman.model.examples import student_mdp
    >>> a = pair_arrays(student_mdp())
    >>> a.pairs[:2], a.P.shape, a.r[:2]
    ((('Facebook', 'facebook'), ('Facebook', 'quit')), (8, 4), array([-1.,  0.]))
    """
    gamma = _number(mdp.discount if discount is None else exact(discount), "the discount")
    if not 0 <= gamma <= 1:
        raise ModelError(f"the discount {gamma} is not between 0 and 1", place="discount")
    states = mdp.nonterminal
    index = {s: i for i, s in enumerate(states)}
    pairs = mdp.state_action_pairs
    P = np.zeros((len(pairs), len(states)))
    r = np.zeros(len(pairs))
    for k, (s, a) in enumerate(pairs):
        for o in mdp.outcomes(s, a):
            p = _number(o.probability, f"transitions.{s}.{a}")
            r[k] += p * _number(o.reward, f"transitions.{s}.{a}")
            if o.next_state in index:
                P[k, index[o.next_state]] += p
    pair_state = np.array([index[s] for s, _ in pairs], dtype=int)
    return Arrays(states, pairs, pair_state, P, r, gamma)


@dataclass(frozen=True, repr=False)
class NumericSolution:
    """A floating-point answer: values, action values, greedy actions and how it was found.

    ``policy[s]`` holds the actions within ``tolerance`` of the best in s; ``bound`` is
    a guaranteed bound on ‖v − v*‖∞ when the method gives one (else None).
    """

    v: Mapping[str, float]
    q: Mapping[tuple, float]
    policy: Mapping[str, tuple]
    iterations: int
    bound: float | None

    def __repr__(self) -> str:
        return f"NumericSolution({len(self.v)} states, {self.iterations} iterations)"


def _solution(mdp: MDP, arrays: Arrays, v: np.ndarray, iterations: int, bound,
              tolerance: float) -> NumericSolution:
    q = arrays.backup(v)
    best = arrays.maximum(q)
    values = {s: 0.0 for s in mdp.states}
    values.update({s: float(x) for s, x in zip(arrays.states, v)})
    qs = {pair: float(x) for pair, x in zip(arrays.pairs, q)}
    policy = {s: tuple(a for a in mdp.actions(s)
                       if qs[(s, a)] >= best[i] - tolerance)
              for i, s in enumerate(arrays.states)}
    return NumericSolution(values, qs, policy, iterations, bound)


def value_iteration(mdp: MDP, discount=None, *, epsilon: float = 1e-10,
                    max_iterations: int = 1_000_000, tolerance: float | None = None
                    ) -> NumericSolution:
    """v* by value iteration in floating point, stopped by an ε-optimality bound.

    Iterates v_{k+1}(s) = max_a [r(s, a) + γ Σ p(s'|s, a) v_k(s')] from v_0 = 0 and
    stops once ‖v_{k+1} − v_k‖∞ < ε(1 − γ)/(2γ): then ‖v_{k+1} − v*‖∞ < ε/2 and the
    greedy policy is ε-optimal. At γ = 1 there is no such bound: it stops when a sweep
    changes nothing by more than ε, and ``bound`` is None.

    Parameters
    ----------
    mdp : MDP
    discount : number, optional
        γ, the discount the values are iterated at; by default the model's.
    epsilon : float
        The accuracy asked for.
    max_iterations : int
    tolerance : float, optional
        Actions within this of the best count as optimal (default: ε).

    Raises
    ------
    SolveError
        If ``max_iterations`` sweeps do not reach the bound.

    Examples
    --------
    Silver's Student MDP at γ = 1 (v* = 6, 6, 8, 10):

    >>> from symbellman.model.examples import student_mdp
    >>> vi = value_iteration(student_mdp())
    >>> [round(vi.v[s], 6) for s in ("Facebook", "Class1", "Class2", "Class3")]
    [6.0, 6.0, 8.0, 10.0]
    """
    arrays = pair_arrays(mdp, discount)
    gamma = arrays.discount
    threshold = epsilon * (1 - gamma) / (2 * gamma) if 0 < gamma < 1 else epsilon
    v = np.zeros(len(arrays.states))
    for k in range(1, max_iterations + 1):
        new = arrays.maximum(arrays.backup(v))
        change = float(np.max(np.abs(new - v), initial=0.0))
        v = new
        if gamma == 0 or change < threshold:
            bound = epsilon / 2 if gamma < 1 else None
            return _solution(mdp, arrays, v, k, 0.0 if gamma == 0 else bound,
                             epsilon if tolerance is None else tolerance)
    raise SolveError(f"value iteration did not reach ε = {epsilon} in {max_iterations} sweeps"
                     + (" (at discount 1 the values may diverge)" if gamma == 1 else ""))


def policy_iteration_numeric(mdp: MDP, discount=None, *, tolerance: float = 1e-9,
                             max_iterations: int = 10_000) -> NumericSolution:
    """v* by policy iteration in floating point (each policy solved with numpy.linalg.solve).

    An action replaces the current one only if it is better by more than
    ``tolerance``, so rounding cannot make it cycle.

    Examples
    --------
    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> pi = policy_iteration_numeric(sutton_barto_gridworld_5x5())
    >>> round(pi.v["r0c1"], 1), pi.policy["r0c0"]  # Sutton & Barto, Figure 3.5
    (24.4, ('east',))
    """
    arrays = pair_arrays(mdp, discount)
    n = len(arrays.states)
    first = {}
    for k, i in enumerate(arrays.pair_state):
        first.setdefault(int(i), k)
    choice = np.array([first[i] for i in range(n)])  # a pair index per state
    for iteration in range(1, max_iterations + 1):
        A = np.eye(n) - arrays.discount * arrays.P[choice]
        try:
            v = np.linalg.solve(A, arrays.r[choice])
        except np.linalg.LinAlgError:
            raise SolveError("I − γP_π is singular for a policy: at discount 1 it never "
                             "ends; use a discount below 1") from None
        q = arrays.backup(v)
        best = arrays.maximum(q)
        changed = False
        for k, i in enumerate(arrays.pair_state):
            if q[k] > q[choice[i]] + tolerance and q[k] >= best[i] - tolerance:
                choice[i] = k
                changed = True
        if not changed:
            return _solution(mdp, arrays, v, iteration, None, tolerance)
    raise SolveError("numeric policy iteration did not converge")  # pragma: no cover


def _policy_arrays(mdp: MDP, arrays: Arrays, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    weights = np.array([_number(policy.weight(s, a), f"policy.{s}.{a}")
                        for s, a in arrays.pairs])
    n = len(arrays.states)
    P_pi = np.zeros((n, n))
    r_pi = np.zeros(n)
    np.add.at(P_pi, arrays.pair_state, weights[:, None] * arrays.P)
    np.add.at(r_pi, arrays.pair_state, weights * arrays.r)
    return P_pi, r_pi


def evaluate_policy_numeric(mdp: MDP, policy: Policy | None = None, discount=None,
                            tol: float = 1e-10, *, max_iterations: int = 1_000_000
                            ) -> dict[str, float]:
    """v_π by iterative policy evaluation in floating point (Sutton & Barto, §4.1).

    Sweeps v ← r_π + γ P_π v from 0 until a sweep changes no value by more than
    ``tol``·(1 − γ)/γ, so that the result is within ``tol`` of v_π (at γ = 1, until
    the change is below ``tol``, without that guarantee).

    Parameters
    ----------
    mdp : MDP
    policy : Policy, optional
        The policy evaluated in floating point; by default the uniform random policy.
    discount : number, optional
        γ; by default the model's.
    tol : float

    Examples
    --------
    Sutton & Barto, Figure 3.2: the random policy on the 5 × 5 gridworld, γ = 0.9.

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> v = evaluate_policy_numeric(sutton_barto_gridworld_5x5())
    >>> round(v["r0c0"], 1), round(v["r0c1"], 1)
    (3.3, 8.8)
    """
    policy = Policy.for_model(mdp, policy)
    arrays = pair_arrays(mdp, discount)
    gamma = arrays.discount
    P_pi, r_pi = _policy_arrays(mdp, arrays, policy)
    threshold = tol * (1 - gamma) / gamma if 0 < gamma < 1 else tol
    v = np.zeros(len(arrays.states))
    for _ in range(max_iterations):
        new = r_pi + gamma * (P_pi @ v)
        change = float(np.max(np.abs(new - v), initial=0.0))
        v = new
        if gamma == 0 or change < threshold:
            out = {s: 0.0 for s in mdp.states}
            out.update({s: float(x) for s, x in zip(arrays.states, v)})
            return out
    raise SolveError(f"policy evaluation did not reach tol = {tol} in {max_iterations} sweeps")


# -- exact traces for teaching tables -----------------------------------------------------------
def _exact_table(mdp: MDP, discount) -> tuple[Fraction, dict]:
    gamma = exact(mdp.discount if discount is None else discount)
    if not gamma.is_Rational:
        raise SolveError(f"an exact trace needs a numeric discount, not {gamma}: pass "
                         "discount=...")
    table = {}
    for s, a in mdp.state_action_pairs:
        outs = []
        for o in mdp.outcomes(s, a):
            if not (o.probability.is_Rational and o.reward.is_Rational):
                raise SolveError(f"an exact trace needs numbers, but transitions.{s}.{a} "
                                 "holds a symbol: substitute values first (mdp.subs({...}))")
            outs.append((as_fraction(o.probability),
                         as_fraction(o.reward), o.next_state))
        table[(s, a)] = outs
    return as_fraction(gamma), table


def _q_exact(table, gamma: Fraction, v: dict) -> dict:
    return {pair: sum((p * (r + gamma * v[to]) for p, r, to in outs), Fraction(0))
            for pair, outs in table.items()}


def _to_sympy(v: dict) -> dict:
    return {s: Rational(x.numerator, x.denominator) for s, x in v.items()}


def value_iteration_trace(mdp: MDP, steps: int, discount=None) -> list[dict]:
    """The exact values v_0 = 0, v_1, ..., v_steps of value iteration.

    Returns a list of ``steps + 1`` dicts state → ``Rational`` (terminal states 0).

    Examples
    --------
    The first sweeps on Silver's Student MDP at γ = 1:

    >>> from symbellman.model.examples import student_mdp
    >>> trace = value_iteration_trace(student_mdp(), 3)
    >>> [trace[k]["Class3"] for k in range(4)]
    [0, 10, 10, 10]
    >>> [trace[k]["Class2"] for k in range(4)]
    [0, 0, 8, 8]
    """
    return _exact_trace(mdp, discount, steps,
                        lambda s, q: max(q[(s, a)] for a in mdp.actions(s)))


def policy_evaluation_trace(mdp: MDP, policy: Policy | None, steps: int, discount=None
                            ) -> list[dict]:
    """The exact values v_0 = 0, ..., v_steps of iterative policy evaluation (synchronous).

    Examples
    --------
    Sutton & Barto, Figure 4.1: the random policy on the 4 × 4 gridworld, γ = 1,
    at k = 1, 2 and 3 in the cell s1 (the book prints −1.0, −1.7, −2.4):

    >>> from symbellman.model.examples import sutton_barto_gridworld_4x4
    >>> trace = policy_evaluation_trace(sutton_barto_gridworld_4x4(), None, 3)
    >>> [trace[k]["s1"] for k in (1, 2, 3)]
    [-1, -7/4, -39/16]
    """
    policy = Policy.for_model(mdp, policy)
    weights = {}
    for s, a in mdp.state_action_pairs:
        w = policy.weight(s, a)
        if not w.is_Rational:
            raise SolveError(f"an exact trace needs numeric policy weights, not {w}")
        weights[(s, a)] = as_fraction(w)
    return _exact_trace(mdp, discount, steps, lambda s, q: sum(
        (weights[(s, a)] * q[(s, a)] for a in mdp.actions(s)), Fraction(0)))


def _exact_trace(mdp: MDP, discount, steps: int, backup) -> list[dict]:
    """v_0 = 0, then v_{k+1}(s) = backup(s, q_k) in exact fractions, for ``steps`` sweeps."""
    gamma, table = _exact_table(mdp, discount)
    v = {s: Fraction(0) for s in mdp.states}
    trace = [_to_sympy(v)]
    for _ in range(steps):
        q = _q_exact(table, gamma, v)
        v = {**v, **{s: backup(s, q) for s in mdp.nonterminal}}
        trace.append(_to_sympy(v))
    return trace
