"""The state weighting D of the projected Bellman equation, exactly.

``D`` weights the non-terminal states, in the model's order, and sums to 1. It is

* ``"on-policy"``: where the policy spends its time. For a continuing task (no
  terminal state is ever reached) the stationary distribution d with dᵀP_π = dᵀ;
  for an episodic task Sutton & Barto's on-policy distribution, (9.2)–(9.3):
  η(s) = h(s) + Σ_s̄ η(s̄) P_π(s̄, s) from the start distribution h, and
  μ = η / Σ η (undiscounted, as (9.2) is written);
* ``"behavior"``: the same for a behaviour policy b (off-policy TD);
* ``"uniform"``: 1/n each;
* a mapping state -> weight, normalised (states left out weigh 0).

Everything is exact over ℚ or the field of rational functions in the model's symbols
(SymPy's ``DomainMatrix``; python-flint's dense rational matrices when the numbers are
rational).
"""

from __future__ import annotations

from typing import Any, Mapping

import sympy
from sympy import Expr, Integer
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from ..core.errors import ModelError, PolicyError
from ..core.expressions import exact
from ..model.induced import (InducedChain, _leaks, induced_chain, nonterminating_states,
                             strongly_connected_components)
from ..model.mdp import MDP
from ..model.policy import Policy
from ..core.states import state_entries
from .fields import field_of, to_field

__all__ = ["KINDS", "state_distribution"]

#: The named distributions (besides an explicit map of weights).
KINDS = ("on-policy", "behavior", "uniform")


def state_distribution(mdp: MDP, policy: Policy, distribution: Any = "on-policy", *,
                       start: Mapping | None = None, behavior: Any = None,
                       field=None) -> tuple[Expr, ...]:
    """D over the non-terminal states (in the model's order), exact and summing to 1.

    Parameters
    ----------
    mdp : MDP
    policy : Policy
        The policy being evaluated (its distribution for ``"on-policy"``).
    distribution : {"on-policy", "behavior", "uniform"} or mapping, optional
        Which weighting; a mapping gives each state a weight (normalised).
    start : mapping of state to probability, optional
        Where episodes start: needed for the on-policy distribution of an episodic task.
    behavior : Policy or model-file policy spec, optional
        The behaviour policy, for ``"behavior"``.
    field : SymPy domain, optional
        Where to compute (default: ℚ or ℚ(symbols) of the model and policies).

    Raises
    ------
    ModelError
        For an unknown kind, bad weights, a missing ``start`` or ``behavior``, a
        policy that never ends from a start state, or a continuing chain with more
        than one closed class (its stationary distribution is not unique).

    Examples
    --------
    The Student MDP's uniform policy is episodic; starting in Class1 it spends, per
    episode, η = 28/13 steps in Facebook and in Class1, 16/13 in Class2 and 10/13 in
    Class3 (solve η = h + P_πᵀη by hand), so μ = η/(82/13):

    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> d = state_distribution(mdp, Policy.uniform(mdp), start={"Class1": 1})
    >>> d, sum(d)
    ((14/41, 14/41, 8/41, 5/41), 1)
    """
    states = mdp.nonterminal
    n = len(states)
    if not n:
        return ()
    if isinstance(distribution, str):
        if distribution not in KINDS:
            raise ModelError(f"unknown distribution {distribution!r}", place="distribution",
                             hint="write on-policy, behavior, uniform, or a map "
                                  "state -> weight")
        if distribution == "uniform":
            return tuple(sympy.Rational(1, n) for _ in states)
        chooser = policy
        if distribution == "behavior":
            if behavior is None:
                raise ModelError("'distribution: behavior' needs a behaviour policy",
                                 place="behavior", hint="add 'behavior: uniform' or a map "
                                                        "state -> action")
            chooser = behavior if isinstance(behavior, Policy) else \
                Policy.from_spec(mdp, behavior)
            _check_coverage(mdp, policy, chooser)
        chain = induced_chain(mdp, chooser)
        symbols = _symbols(mdp, policy, chooser)
        K = field if field is not None else field_of(symbols)
        return _on_policy(chain, start, K, "behavior" if distribution == "behavior"
                          else "distribution", {s.name: s for s in mdp.symbols})
    return _explicit(mdp, distribution)


def _symbols(mdp: MDP, *policies: Policy) -> list:
    found = list(mdp.symbols)
    for p in policies:
        found += [s for s in p.symbols if s not in found]
    return [s for s in found if s != mdp.discount]


def _explicit(mdp: MDP, weights) -> tuple[Expr, ...]:
    names = {s.name: s for s in mdp.symbols}
    table = {}
    for s, w, place in state_entries(weights, "distribution", "each state to a weight",
                                     mdp.states):
        if mdp.is_terminal(s):
            raise ModelError(f"terminal state {s!r} has value 0 and no weight", place=place,
                             hint="leave it out of 'distribution'")
        w = exact(w, names, place)
        if not w.free_symbols and w < 0:
            raise ModelError(f"the weight {w} is negative", place=place)
        table[s] = w
    total = sympy.cancel(sum(table.values(), Integer(0)))
    if total == 0:
        raise ModelError("the weights are all zero", place="distribution",
                         hint="give at least one state a positive weight")
    return tuple(sympy.cancel(table.get(s, Integer(0)) / total) for s in mdp.nonterminal)


def _check_coverage(mdp: MDP, target: Policy, behavior: Policy) -> None:
    """Off-policy TD reweights by π(a|s)/b(a|s): b must take every action π takes."""
    for s in mdp.nonterminal:
        for a in mdp.actions(s):
            pi, b = target.weight(s, a), behavior.weight(s, a)
            if pi != 0 and b == 0:
                raise PolicyError(f"the behaviour policy never takes {a!r} in {s!r}, which "
                                  "the target policy takes", place=f"behavior.{s}",
                                  hint="importance sampling needs b(a|s) > 0 wherever "
                                       "pi(a|s) > 0")


def _on_policy(chain: InducedChain, start, K, place: str, names) -> tuple[Expr, ...]:
    n = len(chain.states)
    leaks = _leaks(chain)
    if any(leaks):
        return _episodic(chain, start, K, place, names)
    closed = [c for c in strongly_connected_components([sorted(r) for r in chain.rows])
              if all(j in set(c) for i in c for j in chain.rows[i])]
    if len(closed) > 1:
        names = "; ".join(", ".join(chain.states[i] for i in sorted(c)) for c in closed)
        raise ModelError(f"the chain has {len(closed)} closed classes ({names}), so its "
                         "stationary distribution is not unique", place=place,
                         hint="give 'distribution' as a map state -> weight, or 'uniform'")
    # dᵀ(I − P) = 0 with Σ d = 1: the transpose, its first equation replaced by the sum
    rows = [[K.zero] * n for _ in range(n)]
    for i, row in enumerate(chain.rows):
        rows[i][i] = K.one
        for j, p in row.items():
            rows[j][i] = rows[j][i] - to_field(K, p)
    rows[0] = [K.one] * n
    rhs = [[K.one]] + [[K.zero] for _ in range(n - 1)]
    d = _solve(rows, rhs, K)
    return tuple(K.to_sympy(x) for x in d)


def _episodic(chain: InducedChain, start, K, place: str, names) -> tuple[Expr, ...]:
    states = chain.states
    n = len(states)
    if start is None:
        raise ModelError("an episodic task's on-policy distribution needs 'start' "
                         "(where episodes begin; Sutton & Barto (9.2))", place=place,
                         hint="add 'start: {STATE: 1}', or 'distribution: uniform'")
    h = [Integer(0)] * n
    index = {s: i for i, s in enumerate(states)}
    for s, w, where in state_entries(start, "start", "each state to a probability", index):
        w = exact(w, names, where)
        if not w.free_symbols and w < 0:
            raise ModelError(f"the probability {w} is negative", place=where)
        h[index[s]] = w
    if sympy.cancel(sum(h, Integer(0)) - 1) != 0:
        raise ModelError(f"the start probabilities sum to {sum(h, Integer(0))}, not 1",
                         place="start")
    # only the states reachable from a start state carry weight
    reach, stack = {i for i in range(n) if h[i] != 0}, [i for i in range(n) if h[i] != 0]
    while stack:
        for j in chain.rows[stack.pop()]:
            if j not in reach:
                reach.add(j)
                stack.append(j)
    never = set(nonterminating_states(chain)) & {states[i] for i in reach}
    if never:
        raise ModelError("from the start states the policy may never end (" +
                         ", ".join(s for s in states if s in never) + "), so the episodic "
                         "on-policy distribution (9.2) has no finite solution", place=place,
                         hint="give 'distribution' as a map, or 'uniform'")
    keep = sorted(reach)
    at = {i: k for k, i in enumerate(keep)}
    m = len(keep)
    # η = h + P_πᵀ η over the reachable states
    rows = [[K.zero] * m for _ in range(m)]
    for k, i in enumerate(keep):
        rows[k][k] = K.one
    for i in keep:
        for j, p in chain.rows[i].items():
            rows[at[j]][at[i]] = rows[at[j]][at[i]] - to_field(K, p)
    eta = _solve(rows, [[to_field(K, h[i])] for i in keep], K)
    total = K.zero
    for x in eta:
        total = total + x
    out = [Integer(0)] * n
    for k, i in enumerate(keep):
        out[i] = K.to_sympy(eta[k] / total)
    return tuple(out)


def _solve(rows, rhs, K) -> list:
    m = len(rows)
    A = DomainMatrix(rows, (m, m), K)
    b = DomainMatrix(rhs, (m, 1), K)
    if K is QQ:
        A, b = A.to_dense(), b.to_dense()
    else:
        A, b = A.to_sparse(), b.to_sparse()
    x = A.lu_solve(b)
    return [x[i, 0].element for i in range(m)]
