r"""Gaussian elimination on the Bellman expectation equations, as a student does it by hand.

Each equation v(s) = c + Σ a_t v(t) of the matrix form is solved in turn for its own
unknown (dividing by 1 − a_s when v(s) appears on both sides) and put into the equations
still left; then the values come back, last unknown first. The steps are data
(:class:`EliminationStep`), so that a handout can typeset them and a test can check each.

>>> from sympy import Rational
>>> from symbellman.model.examples import exercise_3_22
>>> from symbellman.model.policy import Policy
>>> m = exercise_3_22(discount=Rational(1, 2))
>>> steps = eliminate(m, Policy.deterministic(m, {"top": "left"}))
>>> [step.kind for step in steps]
['collect', 'isolate', 'isolate', 'isolate', 'back-substitute']
>>> steps[-1].values()["top"]  # 1/(1 − γ²) at γ = 1/2
4/3
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Expr

from .discounted import matrix_form
from ..model.mdp import MDP
from ..model.policy import Policy

__all__ = ["LinearEquation", "EliminationStep", "eliminate"]


@dataclass(frozen=True)
class LinearEquation:
    """v(state) = constant + Σ coefficient · v(other), the others in the model's order."""

    state: str
    constant: Expr
    coefficients: tuple  # ((state, coefficient), ...), no zero coefficients

    @property
    def value(self) -> Expr | None:
        """The constant, once no unknown is left."""
        return None if self.coefficients else self.constant


@dataclass(frozen=True)
class EliminationStep:
    """One step: ``collect`` the equations, ``isolate`` one unknown and put it into the
    rest (``divisor`` is 1 − a when it appeared on both sides, else None), or
    ``back-substitute`` to the values (``equations`` hold them, last unknown first)."""

    kind: str
    state: str | None
    divisor: Expr | None
    equations: tuple

    def values(self) -> dict:
        """state → value, for a ``back-substitute`` step."""
        return {e.state: e.constant for e in self.equations}


def _ordered(order: list, coefficients: dict) -> tuple:
    return tuple((t, coefficients[t]) for t in order if coefficients.get(t, 0) != 0)


def eliminate(mdp: MDP, policy: Policy | None) -> tuple[EliminationStep, ...]:
    """The elimination steps for v_π of ``policy`` on ``mdp`` (exact, in the model's order)."""
    chain = matrix_form(mdp, policy)
    states = list(chain.states)
    g = mdp.discount
    eqs = {s: (chain.r[i], {t: g * chain.P[i, j] for j, t in enumerate(states)
                            if chain.P[i, j] != 0}) for i, s in enumerate(states)}
    steps = [EliminationStep("collect", None, None, tuple(
        LinearEquation(s, eqs[s][0], _ordered(states, eqs[s][1])) for s in states))]
    solved: dict[str, tuple] = {}
    remaining = list(states)
    for s in states:
        const, coeffs = eqs[s]
        a = sympy.cancel(coeffs.get(s, 0))
        rest = {t: c for t, c in coeffs.items() if t != s}
        if a != 0:
            const = sympy.cancel(const / (1 - a))
            rest = {t: sympy.cancel(c / (1 - a)) for t, c in rest.items()}
        solved[s] = (const, rest)
        remaining.remove(s)
        rows = [LinearEquation(s, const, _ordered(states, rest))]
        for t in remaining:
            c_t, co_t = eqs[t]
            k = co_t.get(s, 0)
            if k == 0:
                continue
            new = {u: sympy.cancel(co_t.get(u, 0) + k * rest.get(u, 0))
                   for u in set(co_t) | set(rest) if u != s}
            eqs[t] = (sympy.cancel(c_t + k * const), {u: c for u, c in new.items() if c != 0})
            rows.append(LinearEquation(t, eqs[t][0], _ordered(states, eqs[t][1])))
        steps.append(EliminationStep("isolate", s, sympy.factor(1 - a) if a != 0 else None,
                                     tuple(rows)))
    values: dict[str, Expr] = {}
    rows = []
    for s in reversed(states):
        const, rest = solved[s]
        values[s] = sympy.cancel(const + sum((c * values[t] for t, c in rest.items()), 0))
        rows.append(LinearEquation(s, values[s], ()))
    steps.append(EliminationStep("back-substitute", None, None, tuple(rows)))
    return tuple(steps)
