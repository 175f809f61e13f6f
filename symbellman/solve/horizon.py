"""Finite-horizon Bellman equations: backward induction, exact, with γ a number or a symbol.

Stages count the decisions still to make: k = H is the first decision and k = 1 the
last, and v_0 is the terminal reward (``terminal_reward`` of the model file, 0 by
default). In Puterman's epochs t = 1..N with N = H + 1, stage k is epoch t = H − k + 1
and v_0 is r_N. Backward induction reads

    q_k(s, a) = Σ_{s'} p(s' | s, a) [r(s, a, s') + γ v_{k−1}(s')],
    v_k^π(s) = Σ_a π(a | s) q_k^π(s, a),      v_k*(s) = max_a q_k*(s, a),

with terminal states worth 0 at every stage. Every value is exact: with γ a symbol,
v_k^π is a polynomial in γ of degree at most k − 1 (plus that of v_0), and v_k* is
piecewise polynomial: :func:`finite_horizon_optimal` splits [0, 1] into exact pieces per
stage (breakpoints are real algebraic numbers, found by real-root isolation of the
differences of q_k*), with every maximiser on each piece. γ = 1 is allowed.

The arithmetic runs in SymPy's sparse polynomial ring over QQ in γ and the model's
symbols (python-flint's rationals underneath when SymPy uses them), or in QQ itself when
everything is a number, so a 100-state gridworld's 20 stages take a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction
from typing import Any, Mapping

import sympy
from sympy import Expr, Integer, Symbol
from sympy.polys.domains import QQ

from ..core.errors import ModelError, SolveError
from .horizon_algebra import Algebra, Backup, combination, generators, horizon_of, start_values
from ..core.keyed import KeyedValues
from ..model.mdp import MDP
from ..optimal.algebraic import RealAlgebraic, Roots, rational_between
from ..model.policy import Policy
from ..core.ranges import Span

__all__ = ["finite_horizon", "finite_horizon_optimal", "FiniteHorizonValues",
           "FiniteHorizonOptimal", "StagePiece", "horizon_of", "solve_v_pi_k", "solve_q_pi_k",
           "solve_v_star_k", "solve_q_star_k"]


# -- v_k^π and q_k^π -----------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class FiniteHorizonValues:
    """v_k^π and q_k^π for k = 0..H (v_0 is the terminal reward; q starts at k = 1).

    ``v(k)`` maps every state to its exact value with k decisions to go (terminal
    states 0), ``q(k)`` every (state, action) pair of a non-terminal state.
    """

    mdp: MDP
    horizon: int
    _v: tuple
    _backup: "Backup"
    _algebra: Algebra

    def v(self, k: int) -> dict[str, Expr]:
        """v_k^π(s) for every state."""
        self._check(k, 0)
        values = self._v[k]
        return {s: (Integer(0) if self.mdp.is_terminal(s) else self._algebra.expr(values[s]))
                for s in self.mdp.states}

    def q(self, k: int) -> dict[tuple, Expr]:
        """q_k^π(s, a) for every pair (k >= 1)."""
        self._check(k, 1)
        return {pair: self._algebra.expr(x) for pair, x in self._backup.q(self._v[k - 1]).items()}

    def _check(self, k: int, low: int) -> None:
        if not (isinstance(k, int) and low <= k <= self.horizon):
            raise ModelError(f"stage {k} is not one of {low}..{self.horizon}",
                             hint="k counts the decisions still to make")

    @property
    def stages(self) -> range:
        """k = H, H − 1, ..., 1: the order in which the decisions are made."""
        return range(self.horizon, 0, -1)

    def __repr__(self) -> str:
        return f"FiniteHorizonValues(horizon={self.horizon}, states={len(self.mdp.states)})"


def finite_horizon(mdp: MDP, policy: Any = None, *, horizon: int | None = None,
                   terminal_reward: Mapping | None = None) -> FiniteHorizonValues:
    """v_k^π and q_k^π by backward induction, exactly, for k = 1..H.

    Parameters
    ----------
    mdp : MDP
        The model; γ may be a number (1 included) or a symbol.
    policy : Policy, spec, or sequence of them, optional
        The policy used at every stage (uniform by default), or one per stage: a
        mapping k -> policy, or a list in the order of the decisions (k = H first).
    horizon : int, optional
        H; by default the model's ``horizon``.
    terminal_reward : mapping, optional
        v_0 per state; by default the model's ``terminal_reward`` (0 where absent).

    Examples
    --------
    Puterman & Chan, Section 4.1.2: the two-state model with N = 3 (H = 2) and the
    Markov policy d_1 = (a12, a22), d_2 = (a11, a21) has v(s1) = 0 and v(s2) = 0.2:

    >>> from symbellman.model.examples import puterman_two_state
    >>> m = puterman_two_state()
    >>> d1 = {"s1": "a12", "s2": "a22"}
    >>> d2 = {"s1": "a11", "s2": "a21"}
    >>> result = finite_horizon(m, [d1, d2], horizon=2)
    >>> result.v(2)
    {'s1': 0, 's2': 1/5}
    >>> result.q(1)[("s1", "a11")]
    3
    """
    H = horizon_of(mdp, horizon)
    stages = _stage_policies(mdp, policy, H)
    algebra = Algebra(generators(mdp, *(w for p in set(stages.values())
                                    for s in mdp.nonterminal for w in p(s).values())))
    backup = Backup(mdp, algebra)
    chains = {id(p): backup.chain({s: [(a, algebra(w)) for a, w in p(s).items() if w != 0]
                                   for s in mdp.nonterminal}) for p in stages.values()}
    v = [start_values(mdp, algebra, terminal_reward)]
    gamma, zero = backup.gamma, algebra.zero
    for k in range(1, H + 1):
        # v_k = r_π + γ P_π v_{k−1}: q_k is made only when read
        v.append({s: reward + gamma * (combination(moves, v[-1]) if moves else zero)
                  for s, (reward, moves) in chains[id(stages[k])].items()})
    return FiniteHorizonValues(mdp, H, tuple(v), backup, algebra)


def _stage_policies(mdp: MDP, policy: Any, H: int) -> dict[int, Policy]:
    if isinstance(policy, (list, tuple)):
        if len(policy) != H:
            raise ModelError(f"{len(policy)} policies for {H} decisions", place="policy",
                             hint="give one per decision, the first decision (k = H) first")
        return {H - i: Policy.for_model(mdp, p) for i, p in enumerate(policy)}
    if isinstance(policy, Mapping) and policy and all(isinstance(k, int) for k in policy):
        missing = [k for k in range(1, H + 1) if k not in policy]
        if missing:
            raise ModelError(f"no policy for stage {missing[0]}", place="policy",
                             hint="give a policy for each k = 1..H")
        return {k: Policy.for_model(mdp, policy[k]) for k in range(1, H + 1)}
    one = Policy.for_model(mdp, policy)
    return {k: one for k in range(1, H + 1)}


# -- v_k* and q_k* -------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class StagePiece(Span):
    """An interval [start, end] of γ on which stage k has one set of optimal actions.

    ``v_star`` and ``q_star`` hold the polynomials in γ valid on the piece (a piece
    may join intervals on which they differ: then they are None and ``parts`` lists
    the intervals with their own polynomials).
    """

    policy: Mapping[str, tuple]
    _parts: tuple  # ((start, end, v polynomials, q polynomials), ...), in the ring
    _algebra: "Algebra"

    @cached_property
    def parts(self) -> tuple:
        """``((start, end, v_star, q_star), ...)``: the intervals of the piece with the
        exact values valid on each (made when first read)."""
        expr = self._algebra.expr
        return tuple((a, b, {s: expr(x) for s, x in v.items()},
                      {pair: expr(x) for pair, x in q.items()})
                     for a, b, v, q in self._parts)

    @property
    def v_star(self) -> Mapping[str, Expr] | None:
        """v_k* on the piece, when one set of polynomials holds on all of it."""
        return self.parts[0][2] if len(self._parts) == 1 else None

    def __repr__(self) -> str:
        return f"StagePiece([{self.start_decimal}, {self.end_decimal}])"


@dataclass(frozen=True, repr=False)
class FiniteHorizonOptimal:
    """v_k*, q_k* and every optimal action per stage k = 1..H.

    With a numeric γ, ``v_star(k)``, ``q_star(k)`` and ``policy(k)``; with γ a symbol,
    ``pieces(k)``: the intervals of [0, 1] with their optimal actions.
    """

    mdp: MDP
    horizon: int
    _v: tuple
    _q: tuple
    _policy: tuple
    _pieces: tuple | None
    _algebra: Algebra

    @property
    def symbolic(self) -> bool:
        """Whether γ is a symbol (then the answer is in pieces over γ)."""
        return self._pieces is not None

    def v_star(self, k: int) -> dict[str, Expr]:
        """v_k*(s) for every state (numeric γ)."""
        self._numeric(k, 0)
        return {s: (Integer(0) if self.mdp.is_terminal(s) else self._algebra.expr(self._v[k][s]))
                for s in self.mdp.states}

    def q_star(self, k: int) -> dict[tuple, Expr]:
        """q_k*(s, a) for every pair (numeric γ, k >= 1)."""
        self._numeric(k, 1)
        return {pair: self._algebra.expr(x) for pair, x in self._q[k].items()}

    def policy(self, k: int) -> dict[str, tuple]:
        """Every optimal action of each non-terminal state with k decisions to go."""
        self._numeric(k, 1)
        return dict(self._policy[k])

    def pieces(self, k: int) -> tuple[StagePiece, ...]:
        """The pieces of [0, 1] in γ for stage k (symbolic γ)."""
        if self._pieces is None:
            raise SolveError("the discount is a number: read policy(k) and v_star(k)")
        _check_stage(k, 1, self.horizon)
        return self._pieces[k]

    def _numeric(self, k: int, low: int) -> None:
        if self._pieces is not None:
            raise SolveError("the discount is a symbol: read pieces(k), one per interval "
                             "of the discount")
        _check_stage(k, low, self.horizon)

    def time_dependent(self) -> dict[str, list[tuple[int, int, tuple]]]:
        """The states whose optimal actions change with the time left.

        Each maps to runs ``(k_high, k_low, actions)``: the same optimal actions for
        every k from k_high down to k_low (numeric γ).
        """
        self._numeric(1, 1)
        out = {}
        for s in self.mdp.nonterminal:
            runs: list[list] = []
            for k in range(self.horizon, 0, -1):
                actions = self._policy[k][s]
                if runs and runs[-1][2] == actions:
                    runs[-1][1] = k
                else:
                    runs.append([k, k, actions])
            if len(runs) > 1:
                out[s] = [tuple(r) for r in runs]
        return out

    def __repr__(self) -> str:
        return f"FiniteHorizonOptimal(horizon={self.horizon}, states={len(self.mdp.states)})"


def _check_stage(k: int, low: int, H: int) -> None:
    if not (isinstance(k, int) and low <= k <= H):
        raise ModelError(f"stage {k} is not one of {low}..{H}",
                         hint="k counts the decisions still to make")


def finite_horizon_optimal(mdp: MDP, *, horizon: int | None = None,
                           terminal_reward: Mapping | None = None,
                           at: Mapping | None = None) -> FiniteHorizonOptimal:
    """v_k*, q_k* and all maximisers per stage by backward induction, exactly.

    Parameters
    ----------
    mdp : MDP
        The model. γ may be a number (1 included) or a symbol; every other symbol
        needs a value (``at``).
    horizon : int, optional
        H; by default the model's ``horizon``.
    terminal_reward : mapping, optional
        v_0 per state; by default the model's.
    at : mapping, optional
        Values for symbols, put in first.

    Examples
    --------
    Puterman & Chan, Table 4.3 (H = 2, v_0 = 0): q_1* of the first decision (their
    epoch 1) is 7.4, 7, −3 and 5.2, so a11 is optimal in s1 with two decisions left and
    a12 with one:

    >>> from symbellman.model.examples import puterman_two_state
    >>> best = finite_horizon_optimal(puterman_two_state(), horizon=2)
    >>> best.q_star(2)
    {('s1', 'a11'): 37/5, ('s1', 'a12'): 7, ('s2', 'a21'): -3, ('s2', 'a22'): 26/5}
    >>> best.policy(2)["s1"], best.policy(1)["s1"]
    (('a11',), ('a12',))

    With γ a symbol the stages split [0, 1]; with two decisions left, a11 overtakes
    a12 at γ = 5/6:

    >>> m = puterman_two_state().replace(discount="gamma")
    >>> [(p.start, p.end, p.policy["s1"]) for p in finite_horizon_optimal(m, horizon=2).pieces(2)]
    [(0, 5/6, ('a12',)), (5/6, 1, ('a11',))]
    """
    if at:
        mdp = mdp.subs(at)
    H = horizon_of(mdp, horizon)
    if mdp.is_mrp:
        raise SolveError("a Markov reward process has no actions to choose: use "
                         "finite_horizon (solve) for its values")
    others = sorted((s.name for s in mdp.symbols
                     if s not in mdp.discount.free_symbols), key=str)
    given_v0 = terminal_reward if terminal_reward is not None else (
        {} if mdp.criteria.finite_horizon is None else mdp.criteria.finite_horizon.terminal_reward)
    free = {s.name for v in dict(given_v0).values() for s in sympy.sympify(v).free_symbols}
    if others or free - {s.name for s in mdp.discount.free_symbols}:
        names = ", ".join(sorted(set(others) | free))
        raise SolveError(f"the optimal actions depend on {names}: give values to {names} "
                         "with at={...}")
    symbolic = bool(mdp.discount.free_symbols)
    if symbolic and not isinstance(mdp.discount, Symbol):
        raise SolveError("pieces over the discount need it to be one symbol")
    algebra = Algebra(generators(mdp))
    backup = Backup(mdp, algebra)
    v0 = start_values(mdp, algebra, terminal_reward)
    if symbolic:
        return _over_gamma(mdp, H, algebra, backup, v0)
    v, qs, policies = [v0], [None], [None]
    for k in range(1, H + 1):
        q = backup.q(v[-1])
        best, choice = {}, {}
        for s in mdp.nonterminal:
            values = [(a, q[s, a]) for a in mdp.actions(s)]
            top = max(x for _, x in values)
            best[s] = top
            choice[s] = tuple(a for a, x in values if x == top)
        v.append(best)
        qs.append(q)
        policies.append(choice)
    return FiniteHorizonOptimal(mdp, H, tuple(v), tuple(qs), tuple(policies), None, algebra)


# -- pieces over γ ---------------------------------------------------------------------
def _integer(poly) -> tuple[int, ...]:
    """The polynomial scaled to integer coefficients (ascending), trailing zeros cut."""
    _, scaled = poly.clear_denoms()
    degree = max((m[0] for m in scaled.keys()), default=0)
    out = [0] * (degree + 1)
    for (e,), c in scaled.items():
        out[e] = int(c)
    return tuple(out)


def _over_gamma(mdp: MDP, H: int, algebra: Algebra, backup: Backup, v0) -> FiniteHorizonOptimal:
    x = mdp.discount
    roots = Roots(Fraction(0), Fraction(1))
    zero_point, one_point = RealAlgebraic.rational(0), RealAlgebraic.rational(1)
    # segments of [0, 1]: (low, high, v_{k-1} on it); within one the polynomials are fixed
    segments = [(zero_point, one_point, v0)]
    pieces: list = [None]
    for _ in range(1, H + 1):
        found = []
        for low, high, v in segments:
            q = backup.q(v)
            cuts = []
            for s in mdp.nonterminal:
                acts = mdp.actions(s)
                for i, a in enumerate(acts):
                    for b in acts[i + 1:]:
                        difference = q[s, a] - q[s, b]
                        if difference:
                            for root, multiplicity in roots.sign_changes(_integer(difference)):
                                if multiplicity % 2 and low < root < high:
                                    cuts.append(root)
            points = _sorted_unique([low, *cuts, high])
            for a, b in zip(points, points[1:]):
                t = rational_between(a, b)
                t = QQ(t.numerator, t.denominator)
                best, choice = {}, {}
                for s in mdp.nonterminal:
                    values = [(act, q[s, act](t)) for act in mdp.actions(s)]
                    top = max(y for _, y in values)
                    choice[s] = tuple(act for act, y in values if y == top)
                    best[s] = q[s, choice[s][0]]
                found.append((a, b, best, choice, q))
        segments, stage = _merge(found)
        pieces.append(_stage_pieces(stage, algebra, x))
    return FiniteHorizonOptimal(mdp, H, (), (), (), tuple(pieces), algebra)


def _sorted_unique(points: list[RealAlgebraic]) -> list[RealAlgebraic]:
    ordered = sorted(points, key=_Key)
    out: list[RealAlgebraic] = []
    for p in ordered:
        if not out or not out[-1] == p:
            out.append(p)
    return out


class _Key:
    """Sort key for exact comparisons of real algebraic numbers."""

    __slots__ = ("value",)

    def __init__(self, value: RealAlgebraic):
        self.value = value

    def __lt__(self, other: "_Key") -> bool:
        return self.value < other.value


def _merge(found: list) -> tuple[list, list]:
    """Adjacent intervals joined: where v_k is the same polynomial (for the next stage),
    and where the optimal actions are the same (for the printed pieces)."""
    segments: list = []
    for a, b, best, choice, q in found:
        if segments and segments[-1][2] == best:
            segments[-1] = (segments[-1][0], b, best)
        else:
            segments.append((a, b, best))
    stage: list = []
    for a, b, best, choice, q in found:
        if stage and stage[-1][3] == choice:
            stage[-1][1] = b
            stage[-1][4].append((a, b, best, q))
        else:
            stage.append([a, b, best, choice, [(a, b, best, q)]])
    return segments, stage


def _stage_pieces(stage: list, algebra: Algebra, x: Symbol) -> tuple[StagePiece, ...]:
    out = []
    for a, b, _, choice, parts in stage:
        raw = tuple((p.expr(x), r.expr(x), best, q) for p, r, best, q in _joined(parts))
        out.append(StagePiece(a.expr(x), b.expr(x), a.decimal(), b.decimal(), dict(choice),
                              raw, algebra))
    return tuple(out)


def _joined(parts: list) -> list:
    out: list = []
    for a, b, best, q in parts:
        if out and out[-1][2] == best and out[-1][3] == q:
            out[-1] = (out[-1][0], b, best, q)
        else:
            out.append((a, b, best, q))
    return out


# -- the family records' solvers (symbellman.equations.families: v_pi_k, q_pi_k, v_star_k, q_star_k) --
def solve_v_pi_k(study) -> KeyedValues:
    """v_k^π of a study's policy for k = 1..H, keyed (k, state); ``source`` is the
    :class:`FiniteHorizonValues`."""
    result = finite_horizon(study.mdp, study.policy)
    return _by_stage(result, result.v)


def solve_q_pi_k(study) -> KeyedValues:
    """q_k^π from the study's own v_k^π, keyed (k, state, action)."""
    result = study.result("v_pi_k").source
    return _by_stage(result, result.q)


def solve_v_star_k(study) -> KeyedValues:
    """v_k* at a numeric discount, keyed (k, state); ``source`` is the
    :class:`FiniteHorizonOptimal` (with its optimal actions, or its pieces over γ)."""
    best = finite_horizon_optimal(study.mdp)
    if best.symbolic:
        return KeyedValues({}, best)
    return _by_stage(best, best.v_star)


def solve_q_star_k(study) -> KeyedValues:
    """q_k* from the study's v_k*, keyed (k, state, action)."""
    best = study.result("v_star_k").source
    if best.symbolic:
        return KeyedValues({}, best)
    return _by_stage(best, best.q_star)


def _by_stage(source, values) -> KeyedValues:
    """``values(k)`` for k = 1..H keyed (k, state) or (k, state, action), with ``source``."""
    return KeyedValues({(k, *(key if isinstance(key, tuple) else (key,))): x
                        for k in range(1, source.horizon + 1)
                        for key, x in values(k).items()}, source)
