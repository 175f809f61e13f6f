"""Exact real roots of integer polynomials: square-free parts and isolating intervals.

Only the real roots in a given open interval are isolated, by Descartes' rule of
signs with bisection (the Vincent–Collins–Akritas method) on the square-free parts,
in integer arithmetic; the Taylor shifts it needs run in the backend (python-flint in
C when installed). This replaces finding every complex root.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from .backend import PythonBackend, get_backend
from .polynomials import primitive, sign_at, trim

__all__ = ["squarefree_parts", "isolate_real_roots", "may_have_roots"]


def _derivative(p: Sequence[int]) -> list[int]:
    return [k * c for k, c in enumerate(p)][1:]


def squarefree_parts(p: Sequence[int], backend: PythonBackend | None = None
                     ) -> list[tuple[tuple, int]]:
    """Yun's square-free decomposition: p = c · Π a_i^i with a_i square-free and coprime.

    Returns the non-constant (a_i, i), each primitive with a positive leading
    coefficient.

    >>> squarefree_parts([0, 0, 1, 1])  # x²(x + 1)
    [((1, 1), 1), ((0, 1), 2)]
    """
    backend = backend or get_backend()
    p = trim(p)
    if len(p) <= 1:
        return []
    fast = backend.squarefree(p)
    if fast is not None:
        return fast

    def divide(u, g):
        return backend.exquo(u, g) if len(g) > 1 else u
    d = _derivative(p)
    a = backend.gcd([p, d])
    b, c = divide(p, a), divide(d, a)
    out, i = [], 1
    while len(b) > 1:
        b_prime = _derivative(b)
        y = trim([(c[j] if j < len(c) else 0) - (b_prime[j] if j < len(b_prime) else 0)
                  for j in range(max(len(c), len(b_prime)))])
        g = backend.gcd([b, y]) if y else list(primitive(b))
        if len(g) > 1:
            out.append((primitive(g), i))
        b, c = divide(b, g), (divide(y, g) if y else [])
        i += 1
    return out


def _descartes(p: list[int], backend: PythonBackend) -> int:
    """Sign variations of (x + 1)^n p(1/(x + 1)): a bound on the roots in (0, 1),
    exact when it is 0 or 1."""
    if backend.name == "flint":  # the shift and the signs without a list of Python ints
        from .ground import flint

        q = flint.fmpz_poly(list(reversed(p)))(flint.fmpz_poly([1, 1])).coeffs()
    else:
        q = backend.taylor_shift_one(list(reversed(p)))
    signs = [c > 0 for c in q if c]
    return sum(a != b for a, b in zip(signs, signs[1:]))


def _onto_unit_interval(f: list[int], low: Fraction, high: Fraction,
                        backend: PythonBackend) -> list[int]:
    """f(low + (high − low)·x) times a positive integer, with integer coefficients: (low,
    high) mapped onto (0, 1) (f itself when that is the range already)."""
    if low == 0 and high == 1:
        return list(f)
    return backend.compose_linear(f, low, high - low)


def may_have_roots(p: Sequence[int], low: Fraction, high: Fraction,
                   backend: PythonBackend | None = None) -> bool:
    """False when p (not necessarily square-free) has no root in the open interval
    (low, high), by Descartes' rule of signs; True when it may have one.

    A cheap test before the square-free parts: most advantages of a policy never
    change sign in [0, 1).

    >>> may_have_roots([1, -3, 2], Fraction(0), Fraction(1))  # (1 − x)(1 − 2x): 1/2
    True
    >>> may_have_roots([1, 0, 1], Fraction(0), Fraction(1))  # 1 + x²
    False
    """
    backend = backend or get_backend()
    p = trim(p)
    if len(p) <= 1:
        return False
    g = trim(_onto_unit_interval(p, low, high, backend))
    while g and not g[0]:  # a root at low itself is outside the open interval
        g = g[1:]
    return len(g) > 1 and _descartes(g, backend) > 0


def isolate_real_roots(f: Sequence[int], low: Fraction, high: Fraction,
                       backend: PythonBackend | None = None) -> list[tuple[Fraction, Fraction]]:
    """The real roots of a square-free f in the open interval (low, high), ascending.

    Each is an interval (lo, hi) holding exactly one root, with f(lo), f(hi) ≠ 0, or
    (r, r) for a rational root r found exactly.

    >>> isolate_real_roots([-2, 0, 1], Fraction(0), Fraction(2))  # √2
    [(Fraction(0, 1), Fraction(2, 1))]
    >>> isolate_real_roots([0, -1, 2], Fraction(-1), Fraction(1))  # x(2x − 1): 0 exactly
    [(Fraction(0, 1), Fraction(0, 1)), (Fraction(1, 4), Fraction(1, 1))]
    """
    backend = backend or get_backend()
    f = trim(f)
    n = len(f) - 1
    if n < 1:
        return []
    width = high - low
    # g(x) = f(low + width·x) times a power of the denominators: integer coefficients
    g = _onto_unit_interval(f, low, high, backend)
    found: list[tuple[Fraction, Fraction]] = []
    stack = [(g, 0, 0)]
    while stack:
        g, c, k = stack.pop()
        scale = Fraction(1, 2 ** k)
        if c and not g[0]:  # a root exactly at this interval's left end
            x = low + width * c * scale
            found.append((x, x))
            g = g[1:]
        while g and not g[0]:  # (only at the very left end of (low, high): excluded)
            g = g[1:]
        if len(g) <= 1:
            continue
        v = _descartes(g, backend)
        if v == 0:
            continue
        if v == 1:
            lo, hi = low + width * c * scale, low + width * (c + 1) * scale
            found.append(_closed_off(f, lo, hi))
            continue
        m = len(g) - 1
        left = [coefficient << (m - j) for j, coefficient in enumerate(g)]  # 2^m g(x/2)
        right = backend.taylor_shift_one(left)                                 # … at x + 1
        stack.append((right, 2 * c + 1, k + 1))
        stack.append((left, 2 * c, k + 1))
    return sorted(found)


def _closed_off(f, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """(lo, hi) moved in so that f is not zero at its ends (a neighbouring root may
    sit on one); the one simple root inside stays inside.

    Just right of lo, f has the sign of f(lo), or of f'(lo) when f(lo) = 0; points
    of that sign lie left of the root, points of the other sign right of it.
    """
    s = sign_at(f, lo) or sign_at(_derivative(f), lo)
    k = 1
    while sign_at(f, lo) == 0:
        candidate = lo + (hi - lo) / 2 ** k
        if sign_at(f, candidate) == s:
            lo = candidate
        k += 1
    k = 1
    while sign_at(f, hi) == 0:
        candidate = hi - (hi - lo) / 2 ** k
        if sign_at(f, candidate) == -s:
            hi = candidate
        k += 1
    return lo, hi
