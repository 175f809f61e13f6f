"""The average-reward criterion for one policy: chain structure, P*, gain, bias, Laurent terms.

Under a stationary policy π the model is a Markov chain with matrix P and rewards r
(terminal states stay put and earn 0). This module computes, exactly:

- the **chain structure**: the closed (recurrent) classes, the transient states and the
  period of each class (:func:`chain_structure`);
- **P\\*** = lim (1/N) Σ_{n<N} P^n, the Cesàro limit, which exists for periodic chains
  too: a row of a recurrent state is its class's stationary distribution, a transient
  state mixes them with its absorption probabilities (Puterman & Chan, Chapter 7);
- the **gain** g = P* r and the **bias** h, the solution of g + h = r + P h with
  P* h = 0, as h = (I − P + P*)^{-1} (r − g) (the deviation matrix applied to r);
- **relative values** h(s) − h(s0), which solve the same equations with h(s0) = 0 when
  the chain has one closed class (for two or more they are not determined by s0);
- the **Laurent terms** of v_γ = g/(1 − γ) + h + c1 (1 − γ) + O((1 − γ)²): putting the
  series into (I − γ P) v_γ = r gives (I − P) c1 = −P h with P* c1 = 0, so
  c1 = −(I − P + P*)^{-1} P h.

The arithmetic is SymPy's DomainMatrix over QQ (python-flint's dense matrices when
SymPy uses them), or over the fraction field of the model's symbols.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import gcd
from typing import Any

import sympy
from sympy import Expr, Integer
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from ..core.errors import ModelError
from ..core.i18n import _
from ..model.induced import InducedChain, policy_row, strongly_connected_components
from ..core.keyed import KeyedValues
from ..model.mdp import MDP
from ..model.policy import Policy

__all__ = ["ChainStructure", "AverageReward", "chain_structure", "average_reward",
           "policy_chain", "solve_g_pi", "solve_h_pi"]


# -- the chain of a policy --------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class Chain(InducedChain):
    """P and r of a policy over every state (terminal states absorbing with reward 0):
    an :class:`~symbellman.model.induced.InducedChain` (rows[i] = {j: probability}, exact)
    that keeps the terminal states."""

    def successors(self) -> list[list[int]]:
        return [sorted(j for j, p in row.items() if p != 0) for row in self.rows]


def policy_chain(mdp: MDP, policy: Any = None) -> Chain:
    """P_π and r_π over all states of ``mdp`` (a terminal state loops with reward 0).

    >>> from symbellman.model.long_run_examples import exercise_10_7
    >>> policy_chain(exercise_10_7()).rows
    ({1: 1}, {2: 1}, {0: 1})
    """
    policy = Policy.for_model(mdp, policy)
    index = {s: i for i, s in enumerate(mdp.states)}
    rows, rewards = [], []
    for s in mdp.states:
        if mdp.is_terminal(s):
            rows.append({index[s]: Integer(1)})
            rewards.append(Integer(0))
            continue
        row, reward = policy_row(mdp, policy, s, index)
        rows.append(row)
        rewards.append(reward)
    return Chain(tuple(mdp.states), tuple(rows), tuple(rewards))


# -- chain structure ----------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class ChainStructure:
    """The closed classes (each with its period) and the transient states of a chain."""

    classes: tuple[tuple[str, ...], ...]
    periods: tuple[int, ...]
    transient: tuple[str, ...]

    @property
    def unichain(self) -> bool:
        """Exactly one closed class (transient states allowed)."""
        return len(self.classes) == 1

    @property
    def aperiodic(self) -> bool:
        return all(p == 1 for p in self.periods)

    def describe(self) -> str:
        """One line: the classes with their periods, and the transient states.

        >>> ChainStructure((("A", "B"),), (2,), ("C",)).describe()
        'one closed class {A, B} (period 2); transient: C'
        """
        # in the reader's language (symbellman.core.i18n); names and numbers as they are
        parts = [("{" + _names(c) + "}") + (_(" (period {p})").format(p=p) if p > 1 else "")
                 for c, p in zip(self.classes, self.periods)]
        if len(parts) > SHOWN_CLASSES:
            parts = parts[:SHOWN_CLASSES] + [_("... ({n} more)").format(
                n=len(parts) - SHOWN_CLASSES)]
        head = (_("one closed class {cls}").format(cls=parts[0]) if len(self.classes) == 1
                else _("{n} closed classes {classes}").format(n=len(self.classes),
                                                             classes=", ".join(parts)))
        return head + (_("; transient: {states}").format(states=_names(self.transient))
                       if self.transient else "")

    def __repr__(self) -> str:
        return f"ChainStructure({self.describe()})"


#: A description lists at most this many states of a class (or of the transient ones) ...
SHOWN_STATES = 8
#: ... and at most this many classes.
SHOWN_CLASSES = 6


def _names(states) -> str:
    """The states, or the first and last few of a long list with how many there are.

    >>> _names([f"s{i}" for i in range(20)])
    's0, s1, s2, s3, ..., s18, s19 (20 states)'
    """
    if len(states) <= SHOWN_STATES:
        return ", ".join(states)
    return (", ".join(states[:4]) + ", ..., " + ", ".join(states[-2:])
            + f" ({len(states)} states)")


def _period(members: list[int], successors: list[list[int]]) -> int:
    """The gcd of (level(u) + 1 − level(v)) over the edges u → v of a class."""
    inside = set(members)
    level = {members[0]: 0}
    queue = [members[0]]
    for u in queue:
        for v in successors[u]:
            if v in inside and v not in level:
                level[v] = level[u] + 1
                queue.append(v)
    period = 0
    for u in members:
        for v in successors[u]:
            if v in inside:
                period = gcd(period, level[u] + 1 - level[v])
    return abs(period) or 1


def _structure(chain: Chain) -> tuple[list[list[int]], list[int], list[int]]:
    successors = chain.successors()
    classes, transient = [], []
    for component in (sorted(c) for c in strongly_connected_components(successors)):
        members = set(component)
        if all(j in members for i in component for j in successors[i]):
            classes.append(component)
        else:
            transient += component
    classes.sort(key=lambda c: c[0])
    return classes, [_period(c, successors) for c in classes], sorted(transient)


def chain_structure(mdp: MDP, policy: Any = None) -> ChainStructure:
    """The closed classes, their periods and the transient states under ``policy``.

    A symbolic probability counts as possibly non-zero.

    Examples
    --------
    Sutton & Barto's Exercise 10.7 is one ring of period 3:

    >>> from symbellman.model.long_run_examples import exercise_10_7
    >>> chain_structure(exercise_10_7())
    ChainStructure(one closed class {A, B, C} (period 3))
    """
    chain = policy_chain(mdp, policy)
    classes, periods, transient = _structure(chain)
    name = chain.states.__getitem__
    return ChainStructure(tuple(tuple(map(name, c)) for c in classes), tuple(periods),
                          tuple(map(name, transient)))


# -- exact matrices ------------------------------------------------------------------------
class _Field:
    """QQ, or the fraction field of the symbols that appear."""

    def __init__(self, expressions):
        found = set()
        for e in expressions:
            found |= sympy.sympify(e).free_symbols
        self.symbols = tuple(sorted(found, key=lambda s: s.name))
        self.K = QQ.frac_field(*self.symbols) if self.symbols else QQ

    def __call__(self, expr):
        return self.K.from_sympy(sympy.sympify(expr))

    def expr(self, value) -> Expr:
        out = self.K.to_sympy(value)
        return out if not self.symbols else sympy.factor(out)

    def matrix(self, rows: list[list]) -> DomainMatrix:
        n, m = len(rows), len(rows[0]) if rows else 0
        return DomainMatrix([[self(x) if not isinstance(x, type(self.K.zero)) else x
                              for x in row] for row in rows], (n, m), self.K)


def _dense(chain: Chain, field: _Field) -> list[list]:
    n = len(chain.states)
    zero = field.K.zero
    out = [[zero] * n for _ in range(n)]
    for i, row in enumerate(chain.rows):
        for j, p in row.items():
            out[i][j] = field(p)
    return out


# -- gain and bias ---------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class AverageReward:
    """P*, gain and bias (P* h = 0) of one policy, with its chain structure.

    ``gain`` and ``bias`` map every state to an exact value; ``P_star`` is a SymPy
    Matrix over all states in the model's order.
    """

    mdp: MDP
    policy: Policy
    structure: ChainStructure
    _P_star: DomainMatrix
    _gain: DomainMatrix
    _bias: DomainMatrix
    _P: DomainMatrix
    _Z: DomainMatrix
    _field: _Field

    def _vector(self, column: DomainMatrix) -> dict[str, Expr]:
        values = column.to_list()
        return {s: self._field.expr(values[i][0]) for i, s in enumerate(self.mdp.states)}

    @cached_property
    def gain(self) -> dict[str, Expr]:
        """g = P* r."""
        return self._vector(self._gain)

    @cached_property
    def bias(self) -> dict[str, Expr]:
        """h with g + h = r + P h and P* h = 0."""
        return self._vector(self._bias)

    @cached_property
    def P_star(self) -> sympy.Matrix:
        """The Cesàro limit P* = lim (1/N) Σ_{n<N} P^n."""
        return sympy.Matrix([[self._field.expr(x) for x in row]
                             for row in self._P_star.to_list()])

    def relative(self, state: str) -> dict[str, Expr]:
        """Relative values h(s) − h(s0): the solution of g + h = r + P h with h(s0) = 0.

        Raises
        ------
        ModelError
            When the policy has two or more closed classes: the equations then leave
            one constant per class free, and h(s0) = 0 fixes only one of them.
        """
        if state not in self.mdp.states:
            raise ModelError(f"no state {state!r} to fix relative values at",
                             hint=f"the states are {_names(self.mdp.states)}")
        if not self.structure.unichain:
            classes = "; ".join("{" + _names(c) + "}" for c in self.structure.classes)
            raise ModelError(f"relative values need one closed class, and this policy has "
                             f"{len(self.structure.classes)}: {classes}",
                             hint="use the bias (P* h = 0), which every chain has")
        base = self.bias[state]
        simplify = sympy.factor if self._field.symbols else sympy.expand
        return {s: simplify(h - base) for s, h in self.bias.items()}

    @cached_property
    def c1(self) -> dict[str, Expr]:
        """The coefficient of (1 − γ) in v_γ's Laurent series at γ = 1: −(I − P + P*)^{-1} P h."""
        return self._vector(self._Z.lu_solve(-(self._P * self._bias)))

    def laurent(self) -> dict[str, dict[str, Expr]]:
        """``{"gain": ..., "bias": ..., "c1": ...}``: v_γ = g/(1 − γ) + h + c1 (1 − γ) + O((1 − γ)²)."""
        return {"gain": self.gain, "bias": self.bias, "c1": self.c1}

    def __repr__(self) -> str:
        return f"AverageReward({self.structure.describe()})"


def average_reward(mdp: MDP, policy: Any = None) -> AverageReward:
    """Gain, bias (P* h = 0), P* and chain structure of a policy, exactly.

    Parameters
    ----------
    mdp : MDP
        The model (its discount plays no part); terminal states are absorbing with
        reward 0. Probabilities and rewards may hold symbols.
    policy : Policy or spec, optional
        The stationary policy (uniform by default).

    Examples
    --------
    Puterman & Chan, Example 7.3: under (a11, a22) the gain is 8/3 in both states and
    the bias is (5/9, −10/9):

    >>> from symbellman.model.long_run_examples import puterman_two_state_average
    >>> m = puterman_two_state_average()
    >>> result = average_reward(m, {"s1": "a11", "s2": "a22"})
    >>> result.gain, result.bias
    ({'s1': 8/3, 's2': 8/3}, {'s1': 5/9, 's2': -10/9})

    Sutton & Barto's Exercise 10.6 is periodic; P* still exists and the differential
    values are 1/4 and −1/4:

    >>> from symbellman.model.long_run_examples import exercise_10_6
    >>> r = average_reward(exercise_10_6())
    >>> r.gain["A"], r.bias, r.P_star
    (1/2, {'A': 1/4, 'B': -1/4}, Matrix([
    [1/2, 1/2],
    [1/2, 1/2]]))
    """
    policy = Policy.for_model(mdp, policy)
    chain = policy_chain(mdp, policy)
    field = _Field([*chain.rewards, *(p for row in chain.rows for p in row.values())])
    K = field.K
    n = len(chain.states)
    classes, periods, transient = _structure(chain)
    P = _dense(chain, field)
    star = [[K.zero] * n for _ in range(n)]
    for members in classes:
        mu = _stationary(P, members, field)
        for i in members:
            for j, m in zip(members, mu):
                star[i][j] = m
    if transient:
        T = transient
        A = [[(K.one if a == b else K.zero) - P[a][b] for b in T] for a in T]
        B = [[sum((P[a][j] for j in members), K.zero) for members in classes] for a in T]
        absorb = DomainMatrix(A, (len(T), len(T)), K).lu_solve(
            DomainMatrix(B, (len(T), len(classes)), K)).to_list()
        for x, a in enumerate(T):
            for c, members in enumerate(classes):
                for j in members:
                    star[a][j] += absorb[x][c] * star[members[0]][j]
    P_m = DomainMatrix(P, (n, n), K)
    star_m = DomainMatrix(star, (n, n), K)
    r = DomainMatrix([[field(x)] for x in chain.rewards], (n, 1), K)
    g = star_m * r
    Z = DomainMatrix.eye(n, K) - P_m + star_m
    h = Z.lu_solve(r - g)
    name = chain.states.__getitem__
    structure = ChainStructure(tuple(tuple(map(name, c)) for c in classes), tuple(periods),
                               tuple(map(name, transient)))
    return AverageReward(mdp, policy, structure, star_m, g, h, P_m, Z, field)


def _stationary(P: list[list], members: list[int], field: _Field) -> list:
    """The stationary distribution of an irreducible class: μ (P_C − I) = 0, Σ μ = 1."""
    K = field.K
    m = len(members)
    rows = [[P[members[b]][members[a]] - (K.one if a == b else K.zero) for b in range(m)]
            for a in range(m)]
    rows[-1] = [K.one] * m  # the class is irreducible: one equation is redundant
    rhs = DomainMatrix([[K.zero]] * (m - 1) + [[K.one]], (m, 1), K)
    return [row[0] for row in DomainMatrix(rows, (m, m), K).lu_solve(rhs).to_list()]


def equations_hold(result: AverageReward) -> bool:
    """Whether g + h = r + P h, P g = g and P* h = 0 hold exactly (a check for tests)."""
    P, g, h = result._P, result._gain, result._bias
    r_list = policy_chain(result.mdp, result.policy).rewards
    n = len(r_list)
    r = DomainMatrix([[result._field(x)] for x in r_list], (n, 1), result._field.K)
    return ((g + h - r - P * h).is_zero_matrix and (P * g - g).is_zero_matrix
            and (result._P_star * h).is_zero_matrix)


# -- the family records' solvers (symbellman.equations.families: g_pi, h_pi) --------------------------
def solve_g_pi(study) -> KeyedValues:
    """The gain of a study's policy, keyed by state; ``source`` is the
    :class:`AverageReward` (P*, bias, chain structure, Laurent terms)."""
    result = average_reward(study.mdp, study.policy)
    return KeyedValues(result.gain, result)


def solve_h_pi(study) -> KeyedValues:
    """The bias (P* h = 0) of a study's policy, from the same :class:`AverageReward`."""
    result = study.result("g_pi").source
    return KeyedValues(result.bias, result)
