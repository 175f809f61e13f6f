"""The Bellman half-step with symbolic parameters: q from v over ZZ[γ, parameters].

y_e = Σ p·(r + γ·x_k) over the triples (k, p, r) of each entry e, when p, r, γ or the
solved x_k hold symbols other than γ alone (:func:`.backup.backup` does the rest).
Every number is read once into the field QQ(symbols) as a pair of integer
polynomials; each entry's sum is formed on its own successors only (a denominator
d_k enters an entry only if the entry reaches k), with one gcd per pair of different
denominators and one gcd of the result at the end, then the normal form of
:func:`.polynomials.lowest`.

The same algorithm runs on python-flint's ``fmpz_mpoly`` (lex order) or on SymPy's
pure-Python rings, and both give the same normal form, so the same text.
"""

from __future__ import annotations

import math
from typing import Sequence

from sympy import Expr, Symbol
from sympy.polys.domains import QQ, ZZ
from sympy.polys.fields import FracField
from sympy.polys.rings import PolyRing

from .backend import PythonBackend
from .lazy_fractions import LazyFractions
from .polynomials import MPOLY, RING, lowest, read_mpoly
from .vector import ExactVector

__all__ = ["backup_in_rings"]


class _SympyPolynomials:
    """ZZ[symbols] as SymPy's ``PolyElement`` s."""

    kind = RING

    def __init__(self, symbols: Sequence[Symbol]):
        self.ring = PolyRing(tuple(symbols) or ("_",), ZZ)
        self.one, self.zero = self.ring.one, self.ring.zero

    def from_terms(self, terms: dict):
        return self.ring.from_dict(terms) if terms else self.ring.zero

    @staticmethod
    def divide(a, b):
        return a.exquo(b)

    @staticmethod
    def is_one(p) -> bool:
        return p == 1

    @staticmethod
    def read(p) -> dict:
        return {m: int(c) for m, c in p.items()}

    def own(self, p):
        """``p`` if it is already an element of this ring, else None."""
        return p if getattr(p, "ring", None) == self.ring else None


class _FlintPolynomials:
    """ZZ[symbols] as python-flint's ``fmpz_mpoly`` in lex order (SymPy's ring order)."""

    kind = MPOLY

    def __init__(self, context):
        self.context = context
        self.one = context.from_dict({(0,) * context.nvars(): 1})
        self.zero = context.from_dict({})

    def from_terms(self, terms: dict):
        return self.context.from_dict(terms)

    @staticmethod
    def divide(a, b):
        return a / b  # exact here: flint raises otherwise

    @staticmethod
    def is_one(p) -> bool:
        return p.is_one()

    @staticmethod
    def read(p) -> dict:
        return read_mpoly(p)

    def own(self, p):
        """``p`` in this context: as it is, or projected by generator names (an
        ``fmpz_mpoly`` of v's solve, whose generators are a subset of these)."""
        context = getattr(p, "context", None)
        if context is None:
            return None
        ctx = context()
        if ctx is self.context:
            return p
        names = set(self.context.names())
        if all(name in names for name in ctx.names()):
            return p.project_to_context(self.context)
        return None


def _polynomials(symbols: Sequence[Symbol], backend: PythonBackend):
    context = backend.mpoly_context(tuple(str(s) for s in symbols)) if symbols else None
    return _FlintPolynomials(context) if context is not None else _SympyPolynomials(symbols)


def _lift(vector: ExactVector, symbols: Sequence[Symbol], polys) -> list[tuple]:
    """v's entries as (numerator, denominator) in ``polys``, whose generators include
    every generator of v's ring that its closed forms use."""
    terms = vector._terms
    if isinstance(terms, LazyFractions):  # the fraction-free route's own polynomials
        pairs = [tuple(polys.own(p) for p in pair) for pair in terms.pairs]
        if all(p is not None for pair in pairs for p in pair):
            return pairs
    position = [symbols.index(g) if g in symbols else None for g in vector.ring.symbols]
    width = len(symbols)

    def convert(part: dict):
        out = {}
        for m, c in part.items():
            mono = [0] * width
            for k, j in zip(m, position):
                if k:
                    mono[j] += int(k)  # (a generator not in symbols has exponent 0)
            out[tuple(mono)] = int(c)
        return polys.from_terms(out)
    return [tuple(convert(part) for part in vector.terms(i)) for i in range(len(vector))]


def backup_in_rings(vector: ExactVector, entries: Sequence[Sequence[tuple[int | None, Expr, Expr]]],
                    discount: Expr, symbols: Sequence[Symbol], backend: PythonBackend
                    ) -> ExactVector:
    """y_e = Σ p·(r + γ·x_k) in lowest terms over ZZ[``symbols``], for any p, r, γ.

    Parameters
    ----------
    vector : ExactVector
        The solved x (v_π); its generators must be among ``symbols``.
    entries : sequence of sequences of (k, p, r)
        Per entry, its outcomes: k the position of the successor in ``vector`` (None
        for a terminal one), p and r rational functions of ``symbols``.
    discount : Expr
        γ, a number or a rational function of ``symbols``.
    symbols : sequence of Symbol
        The generators of the result, in order.
    backend : PythonBackend
        flint's ``fmpz_mpoly`` for the :class:`FlintBackend`, SymPy's rings otherwise.

    Examples
    --------
    x = 1/(1 − γ·a) and y = a·(2 + γ·x) + (1 − a)·(b/2):

    >>> from sympy import symbols, Rational
    >>> from symbellman.linalg import solve_discounted, get_backend
    >>> g, a, b = symbols("gamma a b")
    >>> v = solve_discounted([{0: a}], [1], g, (a,))
    >>> y = backup_in_rings(v, [[(0, a, 2), (None, 1 - a, b / 2)]], g, (g, a, b),
    ...                     get_backend("python"))
    >>> y.text(0)  # over 2(1 − γa): 4a(1 − γa) + 2γa + (1 − a)·b·(1 − γa)
    '(gamma*a**2*b - 4*gamma*a**2 - gamma*a*b + 2*gamma*a - a*b + 4*a + b)/(2 - 2*gamma*a)'
    >>> y.text(0) == backup_in_rings(v, [[(0, a, 2), (None, 1 - a, b / 2)]], g,
    ...                              (g, a, b), get_backend("flint")).text(0)
    True
    """
    symbols = tuple(symbols)
    polys = _polynomials(symbols, backend)
    field = FracField(symbols or ("_",), QQ)
    ring = PolyRing(symbols or ("_",), ZZ)
    values = _lift(vector, symbols, polys)
    read: dict = {}

    def fraction(e):
        """e as (numerator, denominator) over ZZ, scaled by one integer."""
        if e not in read:
            f = field.from_expr(e)
            num, den = f.numer, f.denom
            scale = math.lcm(*(int(c.denominator) for c in (*num.coeffs(), *den.coeffs())))
            read[e] = tuple(polys.from_terms({m: int(c * scale) for m, c in part.items()})
                            for part in (num, den))
        return read[e]
    adder = _Adder(polys)
    g = fraction(discount)
    done: dict = {}
    out = []
    denominators: dict = {}  # number of terms → the distinct denominators made so far
    for entry in entries:
        entry = tuple(entry)
        if entry not in done:
            num, den = _entry(entry, fraction, g, values, adder, polys)
            # equal denominators as one object: their terms are then read once
            same = denominators.setdefault(len(den), [])
            for d in same:
                if d == den:
                    den = d
                    break
            else:
                same.append(den)
            done[entry] = num, den
        out.append(done[entry])
    ring_terms = LazyFractions(out, polys.read)
    return ExactVector.from_terms(ring, ring_terms, vector._determinant, vector.method)


def _entry(entry, fraction, g, values, adder, polys) -> tuple:
    """Σ p·(r + γ·x_k) = Σ p·r + γ·Σ_k (Σ p)·x_k, in lowest terms."""
    rewards = None  # Σ p·r
    weights: dict = {}  # successor → Σ p
    for k, p, r in entry:
        p_num, p_den = fraction(p)
        if not p_num:
            continue
        r_num, r_den = fraction(r)
        if r_num:
            rewards = adder.add(rewards, (p_num * r_num, p_den * r_den))
        if k is not None:
            weights[k] = adder.add(weights.get(k), (p_num, p_den))
    total = rewards
    if weights:
        value = None  # Σ_k w_k·x_k
        for k, (w_num, w_den) in weights.items():
            n_k, d_k = values[k]
            if w_num and n_k:
                value = adder.add(value, adder.times((w_num, w_den), (n_k, d_k)))
        if value is not None:
            total = adder.add(total, adder.times(g, value))
    if total is None or not total[0]:
        return polys.zero, polys.one
    num, den = total
    common = num.gcd(den)
    if not polys.is_one(common):
        num, den = polys.divide(num, common), polys.divide(den, common)
    return lowest(num, den, polys.kind)


class _Adder:
    """Sums and products of fractions (numerator, denominator) without a final gcd:
    a common denominator is the lcm of the two (one gcd when they differ)."""

    def __init__(self, polys):
        self.polys = polys

    def add(self, a, b):
        if a is None:
            return b
        (a_num, a_den), (b_num, b_den) = a, b
        if a_den == b_den:
            return a_num + b_num, a_den
        if self.polys.is_one(b_den):
            return a_num + b_num * a_den, a_den
        if self.polys.is_one(a_den):
            return a_num * b_den + b_num, b_den
        g = a_den.gcd(b_den)
        if self.polys.is_one(g):
            return a_num * b_den + b_num * a_den, a_den * b_den
        a_co, b_co = self.polys.divide(b_den, g), self.polys.divide(a_den, g)
        return a_num * a_co + b_num * b_co, a_den * a_co

    @staticmethod
    def times(a, b):
        """a·b, not cancelled (the entry's gcd at the end cancels what is common)."""
        (a_num, a_den), (b_num, b_den) = a, b
        return a_num * b_num, a_den * b_den
