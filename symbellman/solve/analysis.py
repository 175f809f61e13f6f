"""v_π(γ) near the ends of [0, 1]: the series at γ = 0 and the Laurent expansion at γ = 1.

At γ = 0, v_π(s) = Σ_n γ^n E_π[R_{n+1} | S_0 = s]: the n-th coefficient is the
expected reward of step n + 1, that is (P_π^n r_π)(s) (:func:`series_at_zero`).

At γ = 1 a continuing task's values blow up, but only like a simple pole:
v_π = g/(1 − γ) + h + O(1 − γ), with the gain g (the long-run reward per step) and
the bias h (Puterman, *Markov Decision Processes*, 1994, §8.2).
:func:`laurent_at_one` reads g and h exactly off the closed form N(γ)/D(γ): with
u = 1 − γ, D(1 − u) = u^k (d_k + d_{k+1} u + ...) with k ≤ 1, and two terms of the
quotient give g and h. For an episodic task whose policy always ends, k = 0, the gain
is 0 and the bias is the undiscounted value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy
from sympy import Expr, Integer, Symbol

from ..core.errors import ModelError, SolveError
from .evaluate import solve_v
from ..model.induced import induced_chain
from ..linalg import shift_to_one_minus
from ..model.mdp import MDP
from ..model.policy import Policy
from .results import ValueFunction
from ..core.symbols import gamma as default_gamma

__all__ = ["series_at_zero", "laurent_at_one", "DiscountSeries", "LaurentExpansion"]


@dataclass(frozen=True, repr=False)
class DiscountSeries:
    """The first coefficients of v_π(γ) = Σ_n c_n(s) γ^n.

    ``coefficients[s][n]`` = E_π[R_{n+1} | S_0 = s], exactly (terminal states: 0).
    """

    coefficients: Mapping[str, tuple[Expr, ...]]
    discount: Symbol

    @property
    def order(self) -> int:
        return len(next(iter(self.coefficients.values()), ()))

    def expr(self, s: str) -> Expr:
        """Σ_{n < order} c_n(s) γ^n + O(γ^order)."""
        g = self.discount
        terms = sum((c * g**n for n, c in enumerate(self.coefficients[s])), Integer(0))
        return terms + sympy.O(g**self.order)

    def __repr__(self) -> str:
        return f"DiscountSeries({len(self.coefficients)} states, order {self.order})"


def series_at_zero(mdp: MDP, policy: Policy | None = None, order: int = 6) -> DiscountSeries:
    """The coefficients of v_π(γ) at γ = 0: the expected reward at each step.

    Parameters
    ----------
    mdp : MDP
        Any model (its discount is not used: the coefficients do not depend on it).
    policy : Policy, optional
        Default: the uniform random policy (or the only one, for a Markov reward process).
    order : int
        How many coefficients, c_0 ... c_{order−1}.

    Examples
    --------
    Silver's Student MRP: c_0 is the reward of the state (the values at γ = 0 on the
    slide), c_1 the expected reward one step later (0.6 · 10 for Pass + 0.4 · 1 for Pub):

    >>> from symbellman.model.examples import student_mrp
    >>> s = series_at_zero(student_mrp(), order=3)
    >>> s.coefficients["Class3"]
    (-2, 32/5, -4/5)
    >>> s.expr("Class3")
    -2 + 32*gamma/5 - 4*gamma**2/5 + O(gamma**3)

    They agree with the closed form's Taylor series:

    >>> from symbellman import solve_v
    >>> solve_v(student_mrp())["Class3"].series(s.discount, 0, 3)
    -2 + 32*gamma/5 - 4*gamma**2/5 + O(gamma**3)
    """
    if order < 0:
        raise ModelError("order must be non-negative", place="order")
    policy = Policy.uniform(mdp) if policy is None else policy
    chain = induced_chain(mdp, policy)
    c = list(chain.rewards)
    columns = []
    for _ in range(order):
        columns.append(c)
        c = [sympy.expand(sum((p * c[j] for j, p in row.items()), Integer(0)))
             for row in chain.rows]
    index = {s: i for i, s in enumerate(chain.states)}
    coefficients = {s: tuple(col[index[s]] if s in index else Integer(0) for col in columns)
                    for s in mdp.states}
    discount = mdp.discount if isinstance(mdp.discount, Symbol) else default_gamma
    return DiscountSeries(coefficients, discount)


@dataclass(frozen=True, repr=False)
class LaurentExpansion:
    """v_π = g/(1 − γ) + h + O(1 − γ): the gain g and bias h of every state."""

    gain: Mapping[str, Expr]
    bias: Mapping[str, Expr]
    discount: Symbol

    def expr(self, s: str) -> Expr:
        """g(s)/(1 − γ) + h(s), the two leading terms."""
        return self.gain[s] / (1 - self.discount) + self.bias[s]

    def __repr__(self) -> str:
        return f"LaurentExpansion({len(self.gain)} states)"


def _in_one_minus(num: Expr, den: Expr, g: Symbol) -> tuple[list, list]:
    """Numerator and denominator as coefficient lists in u = 1 − γ (coefficients may
    hold the parameters)."""
    u = sympy.Dummy("u")
    top = sympy.Poly(sympy.expand(num.xreplace({g: 1 - u})), u)
    bottom = sympy.Poly(sympy.expand(den.xreplace({g: 1 - u})), u)
    return top.all_coeffs()[::-1], bottom.all_coeffs()[::-1]


def _laurent_terms(top: list, bottom: list) -> tuple[Expr, Expr]:
    """The coefficients of 1/u and 1 in top(u)/bottom(u) (at most a simple pole)."""
    n = [sympy.sympify(top[i]) if i < len(top) else Integer(0) for i in range(2)]
    k = 0
    while bottom[k] == 0:
        k += 1
    if k > 1:  # pragma: no cover - a Markov chain's resolvent has at most a simple pole
        raise SolveError(f"the values have a pole of order {k} at γ = 1")
    d0 = sympy.sympify(bottom[k])
    d1 = sympy.sympify(bottom[k + 1]) if k + 1 < len(bottom) else Integer(0)
    b0 = sympy.cancel(n[0] / d0)
    b1 = sympy.cancel((n[1] - b0 * d1) / d0)
    return (b0, b1) if k == 1 else (Integer(0), b0)


def laurent_at_one(mdp: MDP | ValueFunction, policy: Policy | None = None
                   ) -> LaurentExpansion:
    """The gain g and bias h of v_π = g/(1 − γ) + h + O(1 − γ), exactly.

    Parameters
    ----------
    mdp : MDP or ValueFunction
        The model (a numeric discount is replaced by the symbol γ), or a value
        function already solved with a symbolic discount.
    policy : Policy, optional
        The policy whose values are expanded at γ = 1; by default the uniform random policy.

    Examples
    --------
    Sutton & Barto's Exercise 3.22 under ``right`` in ``top``: 2 every second step,
    so the gain is 1 per step; v(top) = 2γ/(1 − γ²) = 1/(1 − γ) − 1/2 + O(1 − γ), and
    v(right) = 2 + γ v(top) = 1/(1 − γ) + 1/2 + O(1 − γ):

    >>> from symbellman import Policy
    >>> from symbellman.model.examples import exercise_3_22
    >>> mdp = exercise_3_22()
    >>> e = laurent_at_one(mdp, Policy.deterministic(mdp, {"top": "right"}))
    >>> e.gain["top"], e.bias["top"], e.bias["right"]
    (1, -1/2, 1/2)
    """
    if isinstance(mdp, ValueFunction):
        v = mdp
        g = v.discount
        if not isinstance(g, Symbol):
            raise SolveError("the Laurent expansion needs values solved with a symbolic "
                             "discount")
    else:
        if not isinstance(mdp.discount, Symbol):
            mdp = mdp.replace(discount=default_gamma)
            policy = policy.subs(mdp, {}) if policy is not None else None
        g = mdp.discount
        v = solve_v(mdp, policy)
    gain, bias = {}, {}
    univariate = v.symbols == (g,)
    for s in v.keys():
        if univariate:  # integer coefficients: an exact Taylor shift, no expressions
            top, bottom = (shift_to_one_minus(p) for p in v.univariate(s, g))
        else:
            top, bottom = _in_one_minus(v.numerator(s), v.denominator(s), g)
        gain[s], bias[s] = _laurent_terms(top, bottom)
    return LaurentExpansion(gain, bias, g)
