"""Where the expected TD(0) update is stable, over γ, with exact breakpoints.

The expected update θ ← θ + α(b − Aθ) converges for every small enough step α
exactly when every eigenvalue of A has a positive real part (its iteration matrix
I − αA then has spectral radius below 1). That is the criterion used here, through
the Routh–Hurwitz conditions on the characteristic polynomial of A(γ): the
eigenvalues λ of A have Re λ > 0 iff the roots μ = −λ of det(μI + A) =
μ^d + a₁μ^(d−1) + … + a_d all have Re μ < 0, iff every Hurwitz determinant
Δ₁, …, Δ_(d−1) and a_d is positive. The symmetric part A + Aᵀ being positive definite
would be only sufficient (a non-symmetric A can be stable without it), so it would
miss stable γ; the Hurwitz conditions are necessary and sufficient.

The update b − Aθ = Xᵀ D(r + γPXθ − Xθ) always lies in the row space R of DX, so θ
never moves along the null space N of DX (features that no weighted state tells
apart: more features than states, as in Baird's counterexample, or states of weight
0). A maps everything into R, so in a basis of R and N it is block triangular,
[[A_R, *], [0, 0]], and its characteristic polynomial is λ^(k−r) times that of A_R
(r = rank DX). The update converges exactly when A_R's eigenvalues have positive
real parts: the k − r zero eigenvalues of N are divided out and the quotient tested.
With D positive on every state, N is the null space of X.

Each condition is a polynomial in γ once the other symbols have values; its real
roots in (0, 1) are isolated exactly (:mod:`symbellman.linalg.roots`) and the sign of
every condition is read at one rational point between consecutive roots.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy
from sympy import Expr, Symbol
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from ..optimal.algebraic import RealAlgebraic, Roots, rational_between
from ..linalg.polynomials import sign_at
from ..core.ranges import Span
from .fields import integer_coefficients, integer_polynomials

__all__ = ["Interval", "Stability", "stability", "hurwitz_conditions", "breakpoint_expr"]


@dataclass(frozen=True)
class Interval(Span):
    """An interval of γ on which the expected update is stable.

    ``start`` and ``end`` are exact (``Rational``, radicals for a root of degree 2,
    else ``CRootOf``); the interval is open, except that it holds ``start`` when
    ``closed_start`` (γ = 0 itself is stable).
    """

    closed_start: bool = False

    def __repr__(self) -> str:
        return f"Interval({'[' if self.closed_start else '('}{self.start}, {self.end}))"


@dataclass(frozen=True)
class Stability:
    """The stability of the expected TD(0) update over γ.

    Attributes
    ----------
    variable : Symbol
        γ.
    conditions : tuple of Expr
        Δ₁, …, Δ_(d−1), a_d: the update is stable exactly where all are positive.
    intervals : tuple of Interval, or None
        Where it is stable in [0, 1); None when symbols other than γ have no values.
    breakpoints : tuple of Expr
        The roots in (0, 1) of the conditions, ascending.
    deflated : int
        How many zero eigenvalues (the null space of DX) were divided out.
    singular_at : tuple of Expr, or None
        The γ in [0, 1) where A is singular (det A = 0); every γ when
        ``always_singular``; None when other symbols have no values.
    always_singular : bool
    """

    variable: Symbol
    conditions: tuple
    intervals: tuple | None
    breakpoints: tuple
    deflated: int
    singular_at: tuple | None
    always_singular: bool

    def is_stable_at(self, value) -> bool | None:
        """Whether the update is stable at γ = ``value`` (None if symbols remain)."""
        value = sympy.sympify(value)
        signs = [sympy.cancel(c.xreplace({self.variable: value})) for c in self.conditions]
        if any(s.free_symbols for s in signs):
            return None
        return all(s > 0 for s in signs)


def breakpoint_expr(root: RealAlgebraic, x: Symbol) -> Expr:
    """An exact breakpoint: a rational, radicals for degree 2, else ``CRootOf``.

    >>> x = Symbol("x")
    >>> breakpoint_expr(RealAlgebraic((-2, 0, 1), Fraction(1), Fraction(2)), x)
    sqrt(2)
    """
    e = root.expr(x)
    if isinstance(e, sympy.CRootOf) and e.poly.degree() <= 2:
        return sympy.rootof(e.poly, e.index, radicals=True)
    return e


def hurwitz_conditions(charpoly: list, K) -> list:
    """The Routh–Hurwitz conditions that every eigenvalue of A has a positive real part.

    ``charpoly`` lists the coefficients c₀ = 1, c₁, …, c_d of det(λI − A), elements
    of the field K. Returns Δ₁, …, Δ_(d−1) and a_d (a_i = (−1)^i c_i), each of which
    must be positive.

    >>> from sympy import QQ
    >>> [int(c) for c in hurwitz_conditions([QQ(1), QQ(-3), QQ(2)], QQ)]  # eigenvalues 1, 2
    [3, 2]
    >>> [int(c) for c in hurwitz_conditions([QQ(1), QQ(0), QQ(1)], QQ)]  # ±i: not stable
    [0, 1]
    """
    d = len(charpoly) - 1
    a = [c if i % 2 == 0 else -c for i, c in enumerate(charpoly)]

    def entry(i: int, j: int):  # the Hurwitz matrix, 1-based: H[i][j] = a_(2j − i)
        m = 2 * j - i
        return a[m] if 0 <= m <= d else K.zero
    out = []
    for size in range(1, d):
        H = DomainMatrix([[entry(i, j) for j in range(1, size + 1)]
                          for i in range(1, size + 1)], (size, size), K)
        out.append(H.det())
    if d:
        out.append(a[d])
    return out


def _parts(element) -> tuple[list[int], list[int]]:
    """Numerator and denominator of an element of ℤ[γ] or ℚ(γ) as integer lists."""
    if hasattr(element, "numer"):
        return integer_coefficients(element.numer), integer_coefficients(element.denom)
    return integer_coefficients(element), [1]


def _sign_of(element, at: Fraction) -> int:
    num, den = _parts(element)
    return sign_at(num, at) * sign_at(den, at)


def stability(A: DomainMatrix, x: Symbol, deflate: int = 0) -> Stability:
    """The stability band of θ ← θ + α(b − A(γ)θ) over γ in [0, 1).

    ``A`` is a k×k ``DomainMatrix`` over ℚ(γ, …); ``deflate`` zero eigenvalues (those of
    the null space of DX) are divided out of the characteristic polynomial first.

    Examples
    --------
    A = 1 − 2γ (Sutton & Barto's w → 2w): stable for γ < 1/2.

    >>> from sympy import QQ
    >>> g = Symbol("gamma")
    >>> K = QQ.frac_field(g)
    >>> band = stability(DomainMatrix([[K.from_sympy(1 - 2 * g)]], (1, 1), K), g)
    >>> band.intervals, band.singular_at
    ((Interval([0, 1/2)),), (1/2,))
    """
    ring = integer_polynomials([A], A.domain)
    if ring is not None:  # fraction-free over ℤ[γ]: A scaled by a positive integer
        (A,), _ = ring
    K = A.domain
    k = A.shape[0]
    charpoly = A.charpoly()
    symbols_only_gamma = all(s == x for s in K.symbols) if hasattr(K, "symbols") else True
    det = charpoly[-1] if k % 2 == 0 else -charpoly[-1]
    always_singular = k > 0 and det == K.zero
    if deflate:
        if any(c != K.zero for c in charpoly[len(charpoly) - deflate:]):
            raise ArithmeticError("A does not map into the row space of DX")  # pragma: no cover
        charpoly = charpoly[:len(charpoly) - deflate]
    conditions = hurwitz_conditions(charpoly, K)
    exprs = tuple(sympy.factor(K.to_sympy(c)) for c in conditions)
    if not symbols_only_gamma:
        if any(s != x for e in exprs for s in e.free_symbols):
            return Stability(x, exprs, None, (), deflate, None, always_singular)
        # the other symbols cancelled: continue in ℚ(γ), whose elements are univariate
        K, det = QQ.frac_field(x), K.to_sympy(det)
        conditions = [K.from_sympy(e) for e in exprs]
        det = K.from_sympy(det)
    roots = Roots(Fraction(0), Fraction(1))
    if any(c == K.zero for c in conditions):
        return Stability(x, exprs, (), (), deflate,
                         _singular(det, x, roots, K, always_singular), always_singular)
    fences = roots.fences(p for c in conditions for p in _parts(c))
    found = fences[1:-1]
    intervals = []
    for left, right in zip(fences, fences[1:]):
        point = rational_between(left, right)
        if all(_sign_of(c, point) > 0 for c in conditions):
            closed = left.is_rational and left.lo == 0 and \
                all(_sign_of(c, Fraction(0)) > 0 for c in conditions)
            intervals.append(Interval(breakpoint_expr(left, x), breakpoint_expr(right, x),
                                      left.decimal(), right.decimal(), closed))
    return Stability(x, exprs, tuple(intervals),
                     tuple(breakpoint_expr(r, x) for r in found), deflate,
                     _singular(det, x, roots, K, always_singular), always_singular)


def _singular(det, x: Symbol, roots: Roots, K, always: bool) -> tuple:
    """The γ in [0, 1) where det A(γ) = 0."""
    if always:
        return ()
    p = _parts(det)[0]
    out = [breakpoint_expr(r, x) for r, _ in roots.sign_changes(p)]
    if p and p[0] == 0:
        out.insert(0, sympy.Integer(0))
    return tuple(out)
