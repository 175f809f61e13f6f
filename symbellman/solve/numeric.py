"""Closed forms as fast, accurate NumPy functions, and an independent numeric check.

:func:`lambdify` turns a value function into a vectorised function of γ (and the
parameters). It does not go through ``sympy.lambdify`` of the expanded form: on a
100-state gridworld that takes seconds to build and is numerically useless near
γ = 1, where degree-90 polynomials with 170-bit coefficients cancel catastrophically
(absolute errors around 10³ at γ = 0.99 for values below 10). Instead each
numerator and denominator is re-expanded *exactly* in u = 1 − γ (an integer Taylor
shift), and only then rounded to float64 and evaluated by Horner's rule in u: near
γ = 1 the low powers of u dominate and no cancellation happens.

:func:`check` compares the closed forms with ``numpy.linalg.solve`` and with iterative
policy evaluation at several discounts, and certifies them exactly by substituting
them back into the Bellman expectation equations as polynomial identities.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np
import sympy
from sympy import Symbol

from ..core.expressions import as_fraction
from ..linalg import shift_to_one_minus
from ..linalg.polynomials import horner

__all__ = ["lambdify", "NumericFunction", "ExpressionFunction", "check", "CheckReport"]

def _to_floats(num: list, den: list) -> tuple[np.ndarray, np.ndarray]:
    """Both polynomials scaled by one power of two (the value is unchanged) into float64.

    Python's ``int / int`` is correctly rounded, so every coefficient is within half an
    ulp; the common scale keeps coefficients of 1000+ bits inside float64's range.
    """
    values = [Fraction(c) for c in (*num, *den)]
    bits = max((abs(v.numerator).bit_length() - abs(v.denominator).bit_length()
                for v in values if v), default=0)
    scale = Fraction(2) ** max(bits - 900, 0)
    def convert(p):
        return np.array([float(Fraction(c) / scale) for c in p] or [0.0])
    return convert(num), convert(den)


def _exact_values(symbols, given: dict) -> dict:
    """``{symbol: Rational}`` for every symbol, from keywords by name (a float is the
    binary fraction it stores); a TypeError names the missing ones."""
    missing = [x.name for x in symbols if x.name not in given]
    if missing:
        raise TypeError(f"values needed for {', '.join(missing)}")
    return {x: sympy.Rational(Fraction(given[x.name])) for x in symbols}


class NumericFunction:
    """A value function as a vectorised NumPy function; see :func:`lambdify`."""

    def __init__(self, function):
        self._function = function
        self.keys = tuple(function.keys())
        self._discount = function.discount
        self._symbolic_discount = isinstance(self._discount, Symbol)
        self.parameters = tuple(s for s in function.symbols
                                if isinstance(s, Symbol) and s != self._discount
                                and s.name != "_")
        self._univariate = self._symbolic_discount and function.symbols == (self._discount,)
        self._rows = None
        if self._univariate:
            self._rows = [self._prepare(function, k) for k in self.keys]

    @staticmethod
    def _prepare(function, key):
        num, den = function.univariate(key)
        if not num:
            return None
        return _to_floats(shift_to_one_minus(num), shift_to_one_minus(den))

    def __call__(self, gamma=None, *, keys: Sequence | None = None, **parameters) -> np.ndarray:
        """Values with shape ``(len(keys),) + shape(gamma)``; parameters as keywords."""
        keys = self.keys if keys is None else tuple(keys)
        if self._univariate:
            g = np.asarray(gamma, dtype=float)
            u = 1.0 - g
            out = np.zeros((len(keys), *g.shape))
            index = {k: i for i, k in enumerate(self.keys)}
            for row, key in enumerate(keys):
                prepared = self._rows[index[key]]
                if prepared is not None:
                    out[row] = horner(prepared[0], u) / horner(prepared[1], u)
            return out
        return self._general(gamma, keys, parameters)

    def _general(self, gamma, keys, parameters) -> np.ndarray:
        """Exact substitution of the parameters (each a number), then the γ route.

        Slower but correct: the parameters become exact rationals (a float is the
        binary fraction it stores), leaving rational polynomials in γ alone.
        """
        values = _exact_values(self.parameters, parameters)
        exact = self._function.at(values) if values else self._function
        shape = np.shape(gamma) if self._symbolic_discount else ()
        u = 1.0 - np.asarray(gamma if self._symbolic_discount else 0.0, dtype=float)
        out = np.zeros((len(keys), *shape))
        for row, key in enumerate(keys):
            num, den = exact.univariate(key, self._discount if self._symbolic_discount
                                        else None)
            if not num:
                continue
            if not self._symbolic_discount:
                out[row] = float(Fraction(horner(num, 1), horner(den, 1)))
                continue
            f_num, f_den = _to_floats(shift_to_one_minus(num), shift_to_one_minus(den))
            out[row] = horner(f_num, u) / horner(f_den, u)
        return out

    def __repr__(self) -> str:
        return f"NumericFunction({len(self.keys)} entries of {self._discount})"


class ExpressionFunction:
    """One closed form (``v["Class3"]``) as a vectorised NumPy function; see :func:`lambdify`.

    The same route as :class:`NumericFunction`: exact parameters first, then numerator
    and denominator re-expanded exactly in u = 1 − γ before rounding.
    """

    def __init__(self, expression, discount=None):
        self.expression = sympy.sympify(expression)
        free = sorted(self.expression.free_symbols, key=lambda x: x.name)
        if discount is None:
            discount = next((x for x in free if x.name == "gamma"), None)
        self._discount = discount
        self.parameters = tuple(x for x in free if x != discount)

    def __call__(self, gamma=None, **parameters) -> np.ndarray:
        """Values with the shape of ``gamma``; parameters as keywords."""
        values = _exact_values(self.parameters, parameters)
        expr = self.expression.xreplace(values)
        g = np.asarray(0.0 if gamma is None else gamma, dtype=float)
        x = self._discount
        if x is None or x not in expr.free_symbols:
            return np.full(g.shape, float(expr))
        num, den = sympy.fraction(sympy.cancel(sympy.together(expr)))
        try:
            polys = [sympy.Poly(p, x).all_coeffs()[::-1] for p in (num, den)]
            coefficients = [[as_fraction(c) for c in p] for p in polys]
        except (sympy.PolynomialError, AttributeError, TypeError):  # not a rational function
            return sympy.lambdify(x, expr, "numpy")(g) + np.zeros(g.shape)
        lcm = math.lcm(*(c.denominator for p in coefficients for c in p))
        num_i, den_i = ([int(c * lcm) for c in p] for p in coefficients)
        f_num, f_den = _to_floats(shift_to_one_minus(num_i), shift_to_one_minus(den_i))
        u = 1.0 - g
        return horner(f_num, u) / horner(f_den, u)

    def __repr__(self) -> str:
        return f"ExpressionFunction({self.expression})"


def lambdify(function, discount=None):
    """The closed forms of ``function`` as one vectorised NumPy function of γ.

    Parameters
    ----------
    function : ValueFunction, ActionValueFunction or sympy.Expr
        Closed forms from :func:`symbellman.solve_v` / :func:`symbellman.solve_q`, or
        one of them (``v["Class3"]``).
    discount : Symbol, optional
        For one expression: the variable called γ (by default the symbol named gamma).

    Returns
    -------
    NumericFunction or ExpressionFunction
        ``f(gamma, **parameters)`` returns an array of shape
        ``(len(function), *shape(gamma))`` in the function's key order
        (``f.keys``); ``keys=[...]`` picks some entries. For one expression, an
        array of the shape of ``gamma``.

    Examples
    --------
    Silver's Student MRP: near γ = 1 the values are those of the slide (γ = 1).

    >>> from symbellman import solve_v
    >>> from symbellman.model.examples import student_mrp
    >>> v = solve_v(student_mrp())
    >>> f = lambdify(v)
    >>> f([0.9, 0.999999], keys=["Class1"]).round(2)
    array([[ -5.01, -12.54]])

    One closed form gives a function with the shape of γ:

    >>> lambdify(v["Class1"])([0.9, 0.999999]).round(2)
    array([ -5.01, -12.54])
    """
    if isinstance(function, (sympy.Basic, int, Fraction)):
        return ExpressionFunction(function, discount)
    return NumericFunction(function)


# -- the check --------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class CheckReport:
    """What :func:`check` found; ``passed`` is the verdict."""

    points: tuple
    parameters: dict
    solve_error: float          # max relative difference to numpy.linalg.solve
    iteration_error: float      # max relative difference to iterative policy evaluation
    exact: bool                 # the Bellman residual cancels to exactly 0 everywhere
    failing: tuple = ()         # states whose exact residual is not 0
    tolerance: float = 1e-9
    notes: tuple = field(default=())

    @property
    def passed(self) -> bool:
        return self.exact and self.solve_error <= self.tolerance \
            and self.iteration_error <= self.tolerance

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        lines = [f"check {verdict}: exact residual "
                 + ("0 in every state" if self.exact else
                    "not 0 in " + ", ".join(map(str, self.failing))),
                 f"  max relative difference vs numpy.linalg.solve: {self.solve_error:.3g}",
                 f"  max relative difference vs iterative evaluation: "
                 f"{self.iteration_error:.3g}",
                 "  at gamma = " + ", ".join(f"{p:g}" for p in self.points)]
        if self.parameters:
            lines.append("  with " + ", ".join(f"{k} = {v:g}" for k, v in self.parameters.items()))
        return "\n".join(lines + list(self.notes))


def _exact_residual_failures(mdp, policy, v) -> list[str]:
    """States s where v(s) − Σ_a π(a|s) Σ p [r + γ v(s')] is not exactly 0.

    Polynomial identities over QQ[γ, parameters]: each state's equation times the
    lcm of the denominators involved (one multiplication when they are equal, as
    they mostly are). No SymPy ``cancel`` on expressions.
    """
    from sympy.polys.domains import QQ

    from .evaluate import extended_ring, lifter

    extra = set(mdp.symbols) | set(policy.symbols)
    if isinstance(mdp.discount, Symbol):
        extra.add(mdp.discount)
    ring = extended_ring(v.symbols, extra, QQ)
    lift = lifter(v.symbols, ring)

    cache: dict = {}

    def fraction(s):
        if s not in cache:
            num, den = v.terms(s)
            cache[s] = (lift(num), lift(den))
        return cache[s]

    discount = ring.from_expr(mdp.discount)
    constants: dict = {}

    def const(expr):
        if expr not in constants:
            constants[expr] = ring.from_expr(sympy.together(expr)) if not expr.is_Rational \
                else ring(QQ(int(expr.p), int(expr.q)))
        return constants[expr]

    failing = []
    for s in mdp.nonterminal:
        terms = []  # (weight polynomial, reward polynomial, successor)
        for w, o in policy.weighted_outcomes(mdp, s):
            terms.append((const(sympy.expand(w * o.probability)), const(o.reward),
                          o.next_state))
        dens = [fraction(s)[1]] + [fraction(t)[1] for _, _, t in terms]
        common = dens[0]
        for d in dens[1:]:
            if d != common and d != 1:
                common = common.lcm(d)
        def over_common(num, den):
            return num if den == common else num * common.exquo(den)

        total = over_common(*fraction(s))
        for weight, reward, t in terms:
            total -= weight * (reward * common + discount * over_common(*fraction(t)))
        if total != 0:
            failing.append(s)
    return failing


def _default_parameters(symbols, seed: int = 0) -> dict:
    rnd = random.Random(seed)
    return {s.name: rnd.randint(2, 8) / 10 for s in symbols}


def check(mdp, policy=None, *, v=None, points: Sequence[float] = (0.0, 0.5, 0.9, 0.99),
          values: Mapping[str, float] | None = None, tolerance: float = 1e-9,
          iterations: int = 200_000) -> CheckReport:
    """Check closed-form values against two independent numeric methods, and exactly.

    Parameters
    ----------
    mdp, policy
        The model and policy (default: uniform).
    v : ValueFunction, optional
        The closed forms to check (default: :func:`symbellman.solve_v`).
    points : sequence of float
        The discounts to compare at, when the model's discount is a symbol.
    values : mapping, optional
        Numbers for the model's parameters (default: fixed values in [0.2, 0.8]).
    tolerance : float
        The largest relative difference that passes.

    Returns
    -------
    CheckReport
        ``report.passed`` (also its truth value), the largest differences, and the
        states whose exact Bellman residual is not 0.

    Examples
    --------
    >>> from symbellman.model.examples import student_mdp
    >>> check(student_mdp()).passed
    True
    """
    from .evaluate import policy_for, solve_v
    from ..model.induced import induced_chain

    policy = policy_for(mdp, policy)
    if v is None:
        v = solve_v(mdp, policy)
    params = [s for s in (*mdp.symbols, *policy.symbols) if s != mdp.discount]
    params = list(dict.fromkeys(params))
    values = dict(values) if values is not None else _default_parameters(params)
    failing = _exact_residual_failures(mdp, policy, v)

    symbolic = isinstance(mdp.discount, Symbol)
    gammas = [float(p) for p in points] if symbolic else [float(mdp.discount)]
    f = lambdify(v)
    mapping = {s: sympy.Rational(Fraction(values[s.name])) for s in params}
    chain = induced_chain(mdp, policy)
    n = len(chain.states)
    P = np.zeros((n, n))
    for i, row in enumerate(chain.rows):
        for j, p in row.items():
            P[i, j] = float(p.xreplace(mapping)) if p.free_symbols else float(p)
    r = np.array([float(x.xreplace(mapping)) if x.free_symbols else float(x)
                  for x in chain.rewards])
    keys = list(chain.states)
    closed = f(np.array(gammas), keys=keys, **{k: values[k] for k in
                                               (s.name for s in f.parameters)})
    closed = closed.reshape(len(keys), -1)
    solve_error = iteration_error = 0.0
    for col, g in enumerate(gammas):
        reference = np.linalg.solve(np.eye(n) - g * P, r)
        scale = max(1.0, float(np.max(np.abs(reference))))
        solve_error = max(solve_error, float(np.max(np.abs(closed[:, col] - reference))) / scale)
        x = np.zeros(n)
        for _ in range(iterations):
            new = r + g * (P @ x)
            if np.max(np.abs(new - x)) <= 1e-14 * scale:
                x = new
                break
            x = new
        iteration_error = max(iteration_error,
                              float(np.max(np.abs(closed[:, col] - x))) / scale)
    return CheckReport(tuple(gammas), {k: values[k] for k in (s.name for s in params)},
                       solve_error, iteration_error, not failing, tuple(failing), tolerance)
