"""One step of the Bellman backup on a solved vector: q_π from v_π, in lowest terms.

y_e = Σ p·(r + γ·x_k) over the triples (k, p, r) of each entry e. For closed forms
in γ alone with rational p and r this is integer polynomial arithmetic on each
entry's own successors, with a polynomial gcd only where one can be needed.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import sympy
from sympy import Expr, Symbol

from ..core.expressions import as_fraction
from .backend import PythonBackend, get_backend
from .polynomials import DENSE, lowest
from .vector import DenseFractions, ExactVector

__all__ = ["backup"]

_ZERO = ([], [1])


def backup(vector: ExactVector, entries: Sequence[Sequence[tuple[int | None, Expr, Expr]]],
           discount: Expr, *, backend: str | None = None) -> ExactVector | None:
    """y_e = Σ p·(r + γ·x_k) over the triples (k, p, r) of each entry e, in lowest terms.

    This is the half-step q_π(s, a) = Σ_{s'} p(s'|s,a)[r + γ v_π(s')] (``k`` is None
    for a terminal successor). With one successor k of weight w,
    y = (c·d_k + w·γ·n_k)/(Q·d_k) is already in lowest terms over Q[γ]:
    gcd(c·d_k + wγ·n_k, d_k) = gcd(wγ·n_k, d_k) = 1, because n_k and d_k are coprime
    and d_k(0) ≠ 0 (d_k divides det(I − γP), which is 1 at γ = 0). Only the integer
    content is then divided out. The result keeps dense coefficients until its terms
    are read. Returns None when this fast path does not apply (closed forms in more
    than γ, or symbolic p or r): the caller then uses SymPy's rings.

    Examples
    --------
    >>> from symbellman.linalg import solve_discounted
    >>> g = Symbol("gamma")
    >>> half = sympy.Rational(1, 2)
    >>> v = solve_discounted([{0: half}], [1], g)  # v = 1 + γ v / 2
    >>> backup(v, [[(0, 1, 3)]], g).expr(0)  # 3 + γ v = 3 + 2γ/(2 − γ)
    (6 - gamma)/(2 - gamma)
    """
    ring = vector.ring
    numeric = discount.is_Rational and str(ring.symbols[0]) == "_" and ring.ngens == 1
    if not (numeric or (isinstance(discount, Symbol) and ring.symbols == (discount,))):
        return None
    rows = _rational_rows(entries)
    if rows is None:
        return None
    unique, order = rows
    if numeric:
        values = [_rational(vector.terms(k)) for k in range(len(vector))]
        g = as_fraction(discount)
        out = [_numeric_entry(values, row, g) for row in unique]
        return ExactVector.from_terms(ring, [out[u] for u in order], vector._determinant,
                                      vector.method)
    successors = _Successors(vector, get_backend(backend))
    out = [successors.entry(*_weights(row)) for row in unique]
    return ExactVector.from_terms(ring, DenseFractions([out[u] for u in order]),
                                  vector._determinant, vector.method)


def _rational_rows(entries):
    """Each distinct entry as (k, p.p, p.q, (p·r).p, (p·r).q) tuples, and each entry's
    index among them; None if some p or r is not rational."""
    cache: dict = {}
    unique: dict = {}  # equal entries (same successors, p and r) are computed once
    rows, order = [], []
    for entry in entries:
        entry = tuple(entry)
        if entry in unique:
            order.append(unique[entry])
            continue
        order.append(unique.setdefault(entry, len(unique)))
        row = rational_entry(cache, entry)
        if row is None:
            return None
        rows.append(row)
    return rows, order


def rational_entry(cache: dict, entry) -> list[tuple] | None:
    """An entry's triples (k, p, r) as (k, p.p, p.q, (p·r).p, (p·r).q), each outcome read
    once per (p, r) into ``cache`` (:func:`rational_outcome`); None if some p or r is
    not rational.

    >>> rational_entry({}, [(0, sympy.Rational(1, 2), 3), (None, 1, -1)])
    [(0, 1, 2, 3, 2), (None, 1, 1, -1, 1)]
    """
    row = []
    for k, p, r in entry:
        pair = rational_outcome(cache, p, r)
        if pair is None:
            return None
        row.append((k, *pair))
    return row


def rational_outcome(cache: dict, p, r) -> tuple[int, int, int, int] | None:
    """(p.p, p.q, (p·r).p, (p·r).q) of an outcome's probability p and reward r, read
    once per (p, r) into ``cache``; None if p or r is not rational.

    >>> rational_outcome({}, sympy.Rational(1, 2), 3), rational_outcome({}, Symbol("x"), 1)
    ((1, 2, 3, 2), None)
    """
    key = (p, r)
    if key not in cache:
        p_, r_ = sympy.sympify(p), sympy.sympify(r)
        if not (p_.is_Rational and r_.is_Rational):
            return None
        pr = p_ * r_
        cache[key] = (int(p_.p), int(p_.q), int(pr.p), int(pr.q))
    return cache[key]


def _rational(terms) -> Fraction:
    num, den = terms
    return Fraction(num[(0,)], den[(0,)]) if num else Fraction(0)


def _numeric_entry(values: list[Fraction], row, g: Fraction) -> tuple[dict, dict]:
    """Σ p·(r + γ·x_k) in exact rationals, when γ and every x_k are numbers."""
    total = Fraction(0)
    for k, pp, pq, rp, rq in row:
        total += Fraction(rp, rq)
        if k is not None and pp:
            total += Fraction(pp, pq) * g * values[k]
    return ({(0,): total.numerator} if total else {}), {(0,): total.denominator}


def _weights(row) -> tuple[int, int, dict]:
    """(Q, c, {k: w}): the entry is (c + γ Σ_k w_k x_k)/Q with integers c, w_k, Q."""
    Q = 1
    for _, pp, pq, rp, rq in row:
        Q = math.lcm(Q, pq, rq)
    constant = 0
    weights: dict = {}
    for k, pp, pq, rp, rq in row:
        constant += rp * (Q // rq)
        if k is not None and pp:
            weights[k] = weights.get(k, 0) + pp * (Q // pq)
    return Q, constant, {k: w for k, w in weights.items() if w}


class _Successors:
    """The solved fractions x_k = n_k/d_k, read once each, and the entries made of them."""

    def __init__(self, vector: ExactVector, backend: PythonBackend):
        self.vector, self.backend = vector, backend
        # one successor needs no gcd, only w·γ·n_k + c·d_k and a content: done in v's
        # own representation (the Krylov route's integer lists stay lists; converting
        # them to flint and the results back cost more than the arithmetic)
        first = vector.dense(0)[1] if len(vector) else None
        self.single_backend = get_backend("python") if isinstance(first, list) else backend
        self.lists: dict = {}
        self.fast: dict = {}
        # v's entries often share one denominator object (the Krylov route's D/g): its
        # prepared form and its content are made once per object, and each scaled
        # denominator once per (object, Q, content), not once per successor
        self.dens: dict = {}  # id(d_k) → (d_k in the backend's type, content of d_k)
        self.shared: dict = {}  # (id(d_k), Q, content) → the denominator, one object per key
        self.done: dict = {}  # (successor, weight, constant, Q) → the entry
        self.flint_polys: dict = {}  # successor → (n_k, d_k) as flint polynomials

    def fraction(self, k) -> tuple[list[int], list[int]]:
        """(n_k, d_k) as integer coefficient lists."""
        if k not in self.lists:
            self.lists[k] = tuple(self.backend.to_list(p) for p in self.vector.dense(k))
        return self.lists[k]

    def single(self, k):
        """(d_k, γ·n_k, content of d_k) in the backend's type."""
        if k not in self.fast:
            backend = self.single_backend
            num, den = self.vector.dense(k)  # kept alive by the vector: ids are stable
            if id(den) not in self.dens:
                made = backend.prepare(den) if isinstance(den, list) else den
                self.dens[id(den)] = (made, backend.content(made))
            den, content = self.dens[id(den)]
            num = backend.prepare(num) if isinstance(num, list) else num
            self.fast[k] = (den, backend.shifted(num), content)
        return self.fast[k]

    def entry(self, Q: int, constant: int, weights: dict):
        if not weights:
            g = math.gcd(constant, Q)
            return ([constant // g], [Q // g]) if constant else _ZERO
        if len(weights) == 1:
            return self.one_successor(Q, constant, *next(iter(weights.items())))
        return self.several_successors(Q, constant, weights)

    def one_successor(self, Q: int, constant: int, k, w: int):
        """(c·d_k + w·γ·n_k)/(Q·d_k): only an integer content to divide out."""
        memo = (k, w, constant, Q)  # (s, a) pairs that lead to the same place alike
        if memo in self.done:
            return self.done[memo]
        d, gn, d_content = self.single(k)
        backend = self.single_backend
        num = backend.combine(w, gn, constant, d)
        if num is None:
            return _ZERO
        # gcd(content(num), Q·content(d)); over lists from the small side first
        content = math.gcd(Q * d_content, *num) if isinstance(num, list) else \
            math.gcd(backend.content(num), Q * d_content)
        if backend.leading(d) < 0:  # pragma: no cover - v's denominators are normalised
            content = -content
        if content != 1:
            num = backend.divide(num, content)
        key = (id(d), Q, content)
        if key not in self.shared:
            self.shared[key] = backend.scaled(d, Q, content)
        return self.done.setdefault(memo, (num, self.shared[key]))

    def several_successors(self, Q: int, constant: int, weights: dict):
        """Bring the successors to a common denominator, then one gcd."""
        arithmetic = self.backend
        if arithmetic.name == "flint":
            return self._several_in_flint(Q, constant, weights)
        dens = {tuple(self.fraction(k)[1]) for k in weights}
        if len(dens) == 1:
            common = list(next(iter(dens)))
            scaled = {k: self.fraction(k)[0] for k in weights}
        else:
            common = self.fraction(next(iter(weights)))[1]
            for k in weights:
                d_k = self.fraction(k)[1]
                g = arithmetic.gcd([common, d_k])
                common = arithmetic.multiply(common, arithmetic.exquo(d_k, g))
            scaled = {k: arithmetic.multiply(self.fraction(k)[0],
                                             arithmetic.exquo(common, self.fraction(k)[1]))
                      for k in weights}
        # numerator = constant·common + γ·Σ w_k·scaled_k, denominator = Q·common
        size = max(len(common), 1 + max(len(p) for p in scaled.values()))
        num = [0] * size
        for j, c in enumerate(common):
            num[j] = constant * c
        for k, w in weights.items():
            for j, c in enumerate(scaled[k]):
                num[j + 1] += w * c
        while num and num[-1] == 0:
            num.pop()
        if not num:
            return _ZERO
        den = [Q * c for c in common]
        g = arithmetic.gcd([den, num])
        if len(g) > 1:
            num, den = arithmetic.exquo(num, g), arithmetic.exquo(den, g)
        return lowest(num, den, DENSE)

    def _several_in_flint(self, Q: int, constant: int, weights: dict):
        """:meth:`several_successors` in python-flint polynomials end to end (the same
        fraction: the gcd is cancelled and :func:`lowest` fixes content and sign)."""
        from .ground import flint

        polys = self.flint_polys
        for k in weights:
            if k not in polys:  # v's own flint polynomials, or its lists made flint once
                polys[k] = tuple(p if isinstance(p, flint.fmpz_poly) else flint.fmpz_poly(list(p))
                                 for p in self.vector.dense(k))
        first = next(iter(weights))
        common = polys[first][1]
        for k in weights:
            d_k = polys[k][1]
            if d_k != common:
                common = common * (d_k / common.gcd(d_k))
        total = flint.fmpz_poly([])
        for k, w in weights.items():
            n_k, d_k = polys[k]
            total += n_k * (common / d_k) * w if d_k != common else n_k * w
        num = common * constant + total.left_shift(1)
        if num == 0:
            return _ZERO
        den = common * Q
        g = num.gcd(den)
        if g.degree() > 0:
            num, den = num / g, den / g
        return lowest([int(c) for c in num.coeffs()], [int(c) for c in den.coeffs()], DENSE)
