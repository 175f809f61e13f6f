"""The arithmetic of backward induction (:mod:`symbellman.solve.horizon`): exact values as QQ
numbers or as polynomials over QQ in γ and the model's symbols, the model's rewards and
moves in that algebra, the horizon H and the terminal values v_0.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import sympy
from sympy import Expr, Integer, Symbol
from sympy.polys.domains import QQ

from ..model.criteria import Criteria
from ..core.errors import ModelError, SolveError
from ..model.mdp import MDP

__all__ = ["Algebra", "Backup", "combination", "is_ground", "horizon_of", "start_values",
           "generators"]


class Algebra:
    """Exact values as QQ numbers, or as polynomials over QQ in γ and the symbols."""

    def __init__(self, gens: Sequence[Symbol]):
        self.gens = tuple(gens)
        self._cache: dict = {}
        if self.gens:
            self.ring = sympy.polys.rings.ring([g.name for g in self.gens], QQ)[0]
        else:
            self.ring = None

    def __call__(self, expr: Expr):
        expr = sympy.sympify(expr)
        if expr in self._cache:
            return self._cache[expr]
        self._cache[expr] = value = self._convert(expr)
        return value

    def _convert(self, expr: Expr):
        if self.ring is None:
            return QQ.from_sympy(expr)
        if expr.is_Rational:
            return self.ring.ground_new(QQ.from_sympy(expr))
        try:
            return self.ring.from_expr(sympy.sympify(expr).xreplace(
                {g: sympy.Symbol(g.name) for g in self.gens}))
        except (ValueError, sympy.polys.polyerrors.CoercionFailed):
            raise SolveError(f"{expr} is not a polynomial in "
                             f"{', '.join(map(str, self.gens))} (finite-horizon values need "
                             "probabilities and rewards that are polynomials in the "
                             "symbols)") from None

    @property
    def zero(self):
        return self(Integer(0))

    def expr(self, value) -> Expr:
        if self.ring is None:
            return QQ.to_sympy(value)
        return value.as_expr(*self.gens)


class Backup:
    """The model's numbers in one algebra: r(s, a) and the moves of each (s, a)."""

    def __init__(self, mdp: MDP, algebra: Algebra):
        self.mdp, self.algebra = mdp, algebra
        self.gamma = algebra(mdp.discount)
        self.reward, self.moves = {}, {}
        for s, a in mdp.state_action_pairs:
            self.reward[s, a] = algebra(mdp.expected_reward(s, a))
            moves: dict[str, Any] = {}
            for o in mdp.outcomes(s, a):
                if not mdp.is_terminal(o.next_state):
                    moves[o.next_state] = moves.get(o.next_state, algebra.zero) \
                        + algebra(o.probability)
            self.moves[s, a] = tuple(moves.items())

    def q(self, v: Mapping[str, Any]) -> dict:
        """q(s, a) = r(s, a) + γ Σ p(s'|s, a) v(s') for every pair."""
        return {pair: self.reward[pair] + self.gamma * combination(moves, v)
                for pair, moves in self.moves.items()}

    def chain(self, weights: Mapping[str, list]) -> dict:
        """r_π and the moves of P_π under a policy's weights: per state (r, moves)."""
        zero = self.algebra.zero
        out = {}
        for s, row in weights.items():
            reward, moves = zero, {}
            for a, w in row:
                reward += w * self.reward[s, a]
                for j, p in self.moves[s, a]:
                    moves[j] = moves.get(j, zero) + w * p
            out[s] = (reward, tuple((j, p) for j, p in moves.items() if p))
        return out


def combination(moves, v):
    """Σ p v(j); a number p multiplies by its ground value (much cheaper than a product
    of two polynomials)."""
    total = None
    for j, p in moves:
        term = v[j].mul_ground(p.LC) if is_ground(p) and hasattr(v[j], "mul_ground") \
            else p * v[j]
        total = term if total is None else total + term
    return total if total is not None else 0


def is_ground(p) -> bool:
    return hasattr(p, "is_ground") and p.is_ground


def horizon_of(mdp: MDP, horizon: int | None) -> int:
    """H: the argument, else the model's ``horizon``; a one-line error without either."""
    if horizon is None:
        horizon = mdp.criteria.horizon
    if horizon is None:
        raise ModelError("no horizon is given", place="horizon",
                         hint="write 'horizon: H' in the model, or pass horizon=H "
                              "(--horizon H)")
    return mdp.criteria.with_horizon(horizon).horizon  # the same checks as the model key


def start_values(mdp: MDP, algebra: Algebra, terminal_reward: Mapping | None) -> dict:
    if terminal_reward is None:
        finite = mdp.criteria.finite_horizon
        given = {} if finite is None else finite.terminal_reward
    else:  # checked as the model key is
        given = Criteria.read({"horizon": 1, "terminal_reward": dict(terminal_reward)},
                              mdp).finite_horizon.terminal_reward
    return {s: algebra(given.get(s, Integer(0))) for s in mdp.nonterminal}


def generators(mdp: MDP, *extra) -> list[Symbol]:
    found = set(mdp.discount.free_symbols) | set(mdp.symbols)
    for e in extra:
        found |= sympy.sympify(e).free_symbols
    first = sorted(mdp.discount.free_symbols, key=lambda s: s.name)
    return first + sorted(found - set(first), key=lambda s: s.name)
