"""The on-policy error bound of the TD fixed point, checked exactly.

With D the on-policy distribution, Xθ_TD − v_π splits D-orthogonally into
(Π v_π − v_π) and (Xθ_TD − Π v_π) = Π T(Xθ_TD) − Π T v_π, whose D-norm is at most
γ‖Xθ_TD − v_π‖_D (P_π does not expand the D-norm). Hence (Tsitsiklis & Van Roy 1997,
Theorem 1; Bertsekas, *Dynamic Programming and Optimal Control* II, §6.3)

    ‖Xθ_TD − v_π‖_D ≤ (1/√(1 − γ²)) min_θ ‖Xθ − v_π‖_D,

which is tighter than Sutton & Barto's (9.14) with 1/(1 − γ). Both sides are
rational functions of γ once squared, so the check compares squares:
(1 − γ²)‖Xθ_TD − v_π‖²_D ≤ min_θ ‖Xθ − v_π‖²_D, for every γ in [0, 1) (its sign read
between the exact roots) or at the model's discount.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy
from sympy import Expr
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from ..core.errors import SolveError
from ..linalg.polynomials import sign_at
from ..optimal.algebraic import Roots, rational_between
from .fields import fixed_points, integer_coefficients, to_field

__all__ = ["BoundCheck", "error_bound"]


@dataclass(frozen=True)
class BoundCheck:
    """The two sides of the error bound, squared.

    Attributes
    ----------
    td_error : Expr
        ‖Xθ_TD − v_π‖²_D.
    best_error : Expr
        min_θ ‖Xθ − v_π‖²_D (the D-projection of v_π onto the features).
    factor : Expr
        1/(1 − γ²), the square of the bound's constant.
    holds : bool or None
        Whether td_error ≤ factor · best_error (for every γ in [0, 1) when the
        discount is a symbol); None when other symbols have no values.
    on_policy : bool
        Whether D is the on-policy distribution (where the theorem applies).
    """

    td_error: Expr
    best_error: Expr
    factor: Expr
    holds: bool | None
    on_policy: bool


def error_bound(solution) -> BoundCheck:
    """Check ‖Xθ_TD − v_π‖²_D ≤ min_θ ‖Xθ − v_π‖²_D / (1 − γ²) exactly.

    Examples
    --------
    The Student MRP's classes with one feature each (the same for all three):

    >>> from symbellman.model.examples import student_mrp
    >>> from symbellman.projected import td_fixed_point
    >>> mrp = student_mrp()
    >>> td = td_fixed_point(mrp, None, [[1]] * 6, start={"Class1": 1})
    >>> td.error_bound().holds
    True
    """
    from ..solve.evaluate import solve_v

    if solution.values is None:
        raise SolveError("A θ = b has no solution, so there is no TD fixed point to bound")
    mdp, policy = solution.mdp, solution.policy
    x = solution.variable
    symbolic = solution.discount == x
    K = solution.gamma_field if symbolic else solution._at_discount[2]
    v = solve_v(mdp, policy)
    d = [to_field(K, solution.distribution[s]) for s in solution.states]
    target = [to_field(K, v[s]) for s in solution.states]
    approx = [to_field(K, solution.values[s]) for s in solution.states]
    td_error = _norm2([a - t for a, t in zip(approx, target)], d, K)
    # min over θ: the normal equations on independent columns of X
    rows = [[to_field(K, e) for e in row] for row in solution._rows]
    n, k = len(rows), len(solution.feature_names)
    X = DomainMatrix(rows, (n, k), K)
    _, pivots = X.rref()  # the pivot columns: a basis of X's column space
    Xb = [[row[j] for j in pivots] for row in rows]
    r = len(pivots)
    if r == 0:
        best = _norm2([-t for t in target], d, K)
    else:
        G = DomainMatrix([[_sum(K, (d[s] * Xb[s][i] * Xb[s][j] for s in range(n)))
                           for j in range(r)] for i in range(r)], (r, r), K)
        c = DomainMatrix([[_sum(K, (d[s] * Xb[s][i] * target[s] for s in range(n)))]
                          for i in range(r)], (r, 1), K)
        coef, _ = fixed_points(G, c, K)
        coef = [to_field(K, e) for e in coef]
        best = _norm2([_sum(K, (Xb[s][i] * coef[i] for i in range(r))) - target[s]
                       for s in range(n)], d, K)
    g = to_field(K, x if symbolic else solution.discount)
    margin = best - (K.one - g * g) * td_error
    holds = _nonnegative(margin, K, x, symbolic)
    return BoundCheck(sympy.factor(K.to_sympy(td_error)), sympy.factor(K.to_sympy(best)),
                      1 / (1 - x ** 2) if symbolic else 1 / (1 - solution.discount ** 2),
                      holds, solution.distribution_kind == "on-policy")


def _sum(K, items):
    total = K.zero
    for t in items:
        total = total + t
    return total


def _norm2(vector, d, K):
    return _sum(K, (w * e * e for w, e in zip(d, vector)))


def _nonnegative(value, K, x, symbolic: bool) -> bool | None:
    """Whether ``value`` ≥ 0 (for every γ in [0, 1) when symbolic)."""
    expr = K.to_sympy(value)
    if not symbolic or not expr.free_symbols:
        if expr.free_symbols:
            return None
        return bool(expr >= 0)
    if expr.free_symbols - {x}:
        return None
    value = QQ.frac_field(x).from_sympy(expr)  # univariate, whatever K's other symbols
    num = integer_coefficients(value.numer)
    den = integer_coefficients(value.denom)
    fences = Roots(Fraction(0), Fraction(1)).fences((num, den))
    points = [Fraction(0)] + [rational_between(a, b) for a, b in zip(fences, fences[1:])]
    return all(sign_at(num, t) * sign_at(den, t) >= 0 for t in points)

