"""The vector of exact results: rational functions x_i = num_i / den_i in lowest terms.

An :class:`ExactVector` keeps each entry as integer polynomials and makes SymPy
expressions, text, or coefficient lists only when one is read: for a 100-state
model that conversion costs more than the solve.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cached_property
from typing import Callable, Mapping, Sequence

import sympy
from sympy import Expr, Symbol
from sympy.core.add import _addsort
from sympy.core.mul import _mulsort
from sympy.polys.domains import QQ, ZZ
from sympy.polys.rings import PolyElement, PolyRing

from ..core.expressions import as_fraction
from ..core.errors import SolveError
from .lazy_fractions import LazyFractions
from .polynomials import from_terms, normalise, to_terms, trim

__all__ = ["ExactVector", "DenseFractions", "expression", "terms_text"]


class ExactVector:
    """A vector of rational functions x_i = num_i / den_i in lowest terms.

    Polynomials live in ``ring`` (integer coefficients, generators ``ring.symbols``:
    the discount first when it is a symbol, then the parameters). Each fraction is
    normalised: integer coefficients with no common factor, and a denominator whose
    constant term (or else leading coefficient) is positive.

    Entries are given either as ring elements (``numerators``, ``denominators``) or
    as integer terms ``[(numerator, denominator), ...]`` of ``{monomial: int}``
    (:meth:`from_terms`), which the fast routes use; each form is made from the
    other when it is read.

    ``determinant`` is det(I − γP), the shared denominator before cancellation; the
    routes give a function that computes it, called on first use.
    """

    def __init__(self, ring: PolyRing, numerators: Sequence[PolyElement],
                 denominators: Sequence[PolyElement], determinant: Callable[[], Expr],
                 method: str):
        self.ring = ring
        self._numerators = tuple(numerators)
        self._denominators = tuple(denominators)
        self._terms = None
        self._determinant = determinant
        self.method = method

    @classmethod
    def from_terms(cls, ring: PolyRing, terms: Sequence[tuple[dict, dict]],
                   determinant: Callable[[], Expr], method: str) -> "ExactVector":
        """A vector from normalised integer terms ``[(numerator, denominator), ...]``."""
        self = cls.__new__(cls)
        self.ring = ring
        self._numerators = self._denominators = None
        self._terms = terms if isinstance(terms, (DenseFractions, LazyFractions)) else list(terms)
        self._determinant = determinant
        self.method = method
        return self

    def __len__(self) -> int:
        return len(self._terms) if self._terms is not None else len(self._numerators)

    def _poly(self, terms: dict) -> PolyElement:
        dtype = self.ring.domain.dtype
        return self.ring.dtype({m: dtype(c) for m, c in terms.items()})

    @property
    def numerators(self) -> tuple[PolyElement, ...]:
        if self._numerators is None:
            self._numerators = tuple(self._poly(num) for num, _ in self._terms)
        return self._numerators

    @property
    def denominators(self) -> tuple[PolyElement, ...]:
        if self._denominators is None:
            self._denominators = tuple(self._poly(den) for _, den in self._terms)
        return self._denominators

    def terms(self, i: int) -> tuple[dict, dict]:
        """Entry ``i`` as integer terms ``({monomial: int}, {monomial: int})``."""
        if self._terms is not None:
            return self._terms[i]
        return ({m: int(c) for m, c in self._numerators[i].items()},
                {m: int(c) for m, c in self._denominators[i].items()})

    def dense(self, i: int) -> tuple:
        """Entry ``i`` of a vector in one variable as (numerator, denominator) in the
        fast layer's own dense type (coefficient lists, or flint polynomials)."""
        if isinstance(self._terms, DenseFractions):
            return self._terms.dense[i]
        return tuple(from_terms(t) for t in self.terms(i))

    @property
    def symbols(self) -> tuple[Symbol, ...]:
        return tuple(self.ring.symbols)

    @cached_property
    def determinant(self) -> Expr:
        """det(I − γP) as a SymPy expression (computed on first use)."""
        return self._determinant()

    def expr(self, i: int) -> Expr:
        """Entry ``i`` as a SymPy expression ``numerator/denominator``."""
        num, den = self.terms(i)
        if len(den) == 1 and len(num) <= 1 and all(not any(m) for m in (*num, *den)):
            (d,) = den.values()  # a number: no expression to build
            n = next(iter(num.values()), 0)
            # terms are in lowest terms (d > 0): no gcd of thousands of digits again
            coprime = getattr(sympy.Rational, "from_coprime_ints", None)  # SymPy >= 1.13
            return coprime(int(n), int(d)) if coprime and n and d > 0 else sympy.Rational(n, d)
        num, den = expression(num, self.ring.symbols), expression(den, self.ring.symbols)
        if den == 1:
            return num
        return sympy.Mul(num, sympy.Pow(den, -1))

    def fraction(self, i: int) -> tuple[PolyElement, PolyElement]:
        return self.numerators[i], self.denominators[i]

    def univariate(self, i: int, x: Symbol | None = None) -> tuple[list[int], list[int]]:
        """Entry ``i`` as integer coefficient lists in ``x`` (increasing powers).

        ``x`` defaults to the only generator; a closed form that holds another
        symbol is refused.

        >>> g = Symbol("gamma")
        >>> from symbellman.linalg import solve_discounted
        >>> solve_discounted([{0: sympy.Rational(1, 2)}], [1], g).univariate(0)
        ([2], [2, -1])
        """
        symbols = list(self.ring.symbols)
        if x is None:
            x = symbols[0]
        pos = symbols.index(x) if x in symbols else None
        out = []
        for terms in self.terms(i):
            coefficients: dict[int, int] = {}
            for monomial, c in terms.items():
                if any(e for j, e in enumerate(monomial) if j != pos):
                    raise SolveError("a closed form still holds another symbol than "
                                     f"{x}: give every other parameter a value")
                k = monomial[pos] if pos is not None else 0
                coefficients[k] = coefficients.get(k, 0) + int(c)
            out.append(trim([coefficients.get(k, 0)
                             for k in range(max(coefficients, default=-1) + 1)]))
        return out[0], out[1]

    def subs(self, values: Mapping[Symbol, Expr]) -> tuple["ExactVector", list[int]]:
        """The vector with exact values put in for some generators, in lowest terms.

        Returns the new vector and the positions whose denominator vanishes there
        (their entries are left 0).

        >>> g = Symbol("gamma")
        >>> from symbellman.linalg import solve_discounted
        >>> x = solve_discounted([{0: sympy.Rational(1, 2)}], [1], g)
        >>> y, bad = x.subs({g: 1})
        >>> y.expr(0), bad
        (2, [])
        """
        values = {x: sympy.sympify(v) for x, v in values.items()}
        if all(v.is_Rational for v in values.values()):
            return _substitute_rationals(self, values)
        remaining = [s for s in self.ring.symbols if s not in values]
        return _substitute_expressions(self, values, remaining)

    def text(self, i: int) -> str:
        """Entry ``i`` in SymPy's string syntax, straight from its terms.

        Printing a large expression through SymPy's printer costs seconds (it sorts
        terms and asks assumptions); this reads the integer terms directly, and
        ``sympy.sympify`` reads the result back to the same value.

        >>> g = Symbol("gamma")
        >>> from symbellman.linalg import solve_discounted
        >>> x = solve_discounted([{0: sympy.Rational(1, 2)}], [sympy.Integer(1)], g)
        >>> x.text(0)
        '2/(2 - gamma)'
        >>> sympy.sympify(x.text(0), locals={"gamma": g}) == x.expr(0)
        True
        """
        gens = [str(s) for s in self.ring.symbols]
        if isinstance(self._terms, DenseFractions) and len(gens) == 1:
            # straight from the dense coefficients: no terms made (and kept) on the way
            num, den = self._terms.dense[i]
            top, bottom = dense_text(num, gens[0]), self._terms.text_of(den, gens[0])
            if bottom == "1":
                return top
            many_top, many_bottom = " " in top, " " in bottom
        else:
            num, den = self.terms(i)
            top = terms_text(num, gens)
            if den == {tuple(0 for _ in gens): 1} or not den:
                return top
            bottom = terms_text(den, gens)
            many_top, many_bottom = len(num) > 1, len(den) > 1
        if many_top:
            top = f"({top})"
        if many_bottom or "*" in bottom or "-" in bottom:
            bottom = f"({bottom})"
        return f"{top}/{bottom}"


def _substitute_rationals(vector: ExactVector, values: Mapping) -> tuple[ExactVector, list]:
    """Put rational values into the integer terms directly (no expressions, no cancel)."""
    gens = vector.ring.symbols
    keep = [j for j, g in enumerate(gens) if g not in values]
    put = [(j, as_fraction(values[g]))
           for j, g in enumerate(gens) if g in values]
    ring = PolyRing(tuple(gens[j] for j in keep) or ("_",), ZZ)
    width = len(ring.symbols)
    if not keep:  # every generator has a value: each entry is one number
        return _evaluated(vector, put, ring, values)

    def substitute(terms: dict) -> dict:
        out: dict = {}
        for monomial, c in terms.items():
            monomial = tuple(int(k) for k in monomial)
            value = Fraction(int(c))
            for j, x in put:
                if monomial[j]:
                    value *= x ** monomial[j]
            key = tuple(monomial[j] for j in keep) or (0,) * width
            out[key] = out.get(key, 0) + value
        return {m: c for m, c in out.items() if c}

    fractions, bad = [], []
    for i in range(len(vector)):
        num, den = (substitute(t) for t in vector.terms(i))
        if not den:
            bad.append(i)
            fractions.append((ring.zero, ring.one))
            continue
        scale = math.lcm(*(c.denominator for c in (*num.values(), *den.values())))
        top = ring.from_dict({m: int(c * scale) for m, c in num.items()})
        bottom = ring.from_dict({m: int(c * scale) for m, c in den.items()})
        fractions.append(normalise(top, bottom) if keep else _constant(top, bottom, ring))
    return _from_pairs(ring, fractions, vector, values), bad


def _evaluated(vector: ExactVector, put: list, ring: PolyRing, values: Mapping
               ) -> tuple[ExactVector, list]:
    """Every entry at a point where each generator has a rational value a/b, in integers.

    Numerator and denominator are both multiplied by Π b_j^(D_j) (D_j the entry's highest
    power of generator j), so each term is c · Π a_j^k · b_j^(D_j − k): no fraction is
    formed before the one division at the end.
    """
    powers: list[dict] = [{} for _ in put]

    def power(j: int, which: int, k: int) -> int:
        key = (which, k)
        if key not in powers[j]:
            base = put[j][1].numerator if which == 0 else put[j][1].denominator
            powers[j][key] = base ** k
        return powers[j][key]

    positions = [j for j, _ in put]
    fractions, bad = [], []
    for i in range(len(vector)):
        num, den = vector.terms(i)
        tops = [max((int(m[p]) for m in (*num, *den)), default=0) for p in positions]

        def scaled(terms: dict) -> int:
            total = 0
            for monomial, c in terms.items():
                term = int(c)
                for j, (p, top) in enumerate(zip(positions, tops)):
                    k = int(monomial[p])
                    term *= power(j, 0, k) * power(j, 1, top - k)
                total += term
            return total
        bottom = scaled(den) if den else 0
        if bottom == 0:
            bad.append(i)
            fractions.append((ring.zero, ring.one))
            continue
        value = Fraction(scaled(num), bottom)
        fractions.append((ring(value.numerator), ring(value.denominator)))
    return _from_pairs(ring, fractions, vector, values), bad


def _constant(top, bottom, ring):
    value = Fraction(int(top.coeff(1)), int(bottom.coeff(1)))
    return ring(value.numerator), ring(value.denominator)


def _substitute_expressions(vector: ExactVector, values: Mapping, gens
                            ) -> tuple[ExactVector, list]:
    """Put symbolic values in, through SymPy expressions (small models)."""
    ring = PolyRing(tuple(gens) if gens else ("_",), ZZ)
    qring = PolyRing(ring.symbols, QQ)
    fractions, bad = [], []
    for i in range(len(vector)):
        num, den = vector.fraction(i)
        n_expr = num.as_expr().xreplace(values)
        d_expr = den.as_expr().xreplace(values)
        if sympy.expand(d_expr) == 0:
            bad.append(i)
            fractions.append((ring.zero, ring.one))
            continue
        top, bottom = sympy.fraction(sympy.cancel(sympy.together(n_expr / d_expr)))
        fractions.append(normalise(*integer_pair(qring.from_expr(top), qring.from_expr(bottom),
                                                 ring)))
    return _from_pairs(ring, fractions, vector, values), bad


def integer_pair(top, bottom, ring: PolyRing) -> tuple:
    """Two polynomials over QQ scaled by one integer into ``ring`` (over ZZ)."""
    scale = math.lcm(*(int(c.denominator) for c in (*top.coeffs(), *bottom.coeffs())))
    return (ring.from_dict({m: int(c * scale) for m, c in top.items()}),
            ring.from_dict({m: int(c * scale) for m, c in bottom.items()}))


def _from_pairs(ring, fractions, vector: ExactVector, values) -> ExactVector:
    old = vector._determinant
    return ExactVector(ring, [f[0] for f in fractions], [f[1] for f in fractions],
                       lambda: old().xreplace(dict(values)), vector.method)


def dense_text(coeffs, g: str) -> str:
    """``terms_text(to_terms(coeffs), [g])`` read straight from dense coefficients (a
    list of ints in increasing powers, or a flint polynomial).

    >>> dense_text([1, 0, 0, 0, 0, -1], "gamma"), dense_text([0, -3, 2], "g")
    ('1 - gamma**5', '2*g**2 - 3*g')
    """
    if not isinstance(coeffs, list):
        coeffs = coeffs.coeffs()
    order = [k for k, c in enumerate(coeffs) if c]
    if not order:
        return "0"
    if not coeffs[order[-1]] < 0 < coeffs[order[0]]:
        order.reverse()  # highest degree first, unless that puts a minus in front
    parts = []
    add = parts.append
    power = f"*{g}**"
    for k in order:
        c = coeffs[k]
        if c < 0:
            add(" - ")
            c = -c
        else:
            add(" + ")
        if k > 1:
            add(f"{g}**{k}" if c == 1 else f"{c}{power}{k}")
        elif k == 1:
            add(g if c == 1 else f"{c}*{g}")
        else:
            add(str(c))
    parts[0] = "-" if parts[0] == " - " else ""  # the first term's sign, without spaces
    return "".join(parts)


class _MonomialTexts(dict):
    """``x**2*y`` for the monomial (2, 1) in generators (x, y), made once per monomial:
    the closed forms of one solve share most of their monomials."""

    def __init__(self, gens: tuple):
        super().__init__()
        self.gens = gens

    def __missing__(self, monomial) -> str:
        text = self[monomial] = "*".join(g if k == 1 else f"{g}**{k}"
                                         for g, k in zip(self.gens, monomial) if k)
        return text


_MONOMIAL_TEXTS: dict = {}


def _monomial_texts(gens: tuple) -> _MonomialTexts:
    """The cache of :class:`_MonomialTexts` for ``gens`` (two generator tuples kept,
    each up to 200,000 monomials: a few tens of MB at most)."""
    table = _MONOMIAL_TEXTS.get(gens)
    if table is None or len(table) > 200_000:
        if len(_MONOMIAL_TEXTS) >= 2:
            _MONOMIAL_TEXTS.clear()
        table = _MONOMIAL_TEXTS[gens] = _MonomialTexts(gens)
    return table


def terms_text(terms: dict, gens: Sequence[str]) -> str:
    """``{monomial: int}`` as a sum in SymPy's syntax, highest degree first.

    >>> terms_text({(0,): 1, (5,): -1}, ["gamma"])
    '1 - gamma**5'
    """
    if not terms:
        return "0"
    if len(gens) == 1:  # closed forms in γ: monomials (k,) sort by degree as they are
        order = sorted((m for m in terms if terms[m]), reverse=True)
    else:
        # by (total degree, monomial), descending: lex first, then a stable sort by degree
        order = sorted((m for m in terms if terms[m]), reverse=True)
        order.sort(key=sum, reverse=True)
    if order and terms[order[0]] < 0 < terms[order[-1]]:
        order.reverse()  # 1 - gamma**5 rather than -gamma**5 + 1
    parts = []
    if len(gens) == 1:  # no factor lists to build
        (g,) = gens
        for monomial in order:
            c = int(terms[monomial])
            k = monomial[0]
            magnitude = -c if c < 0 else c
            if k == 0:
                body = str(magnitude)
            else:
                power = g if k == 1 else f"{g}**{k}"
                body = power if magnitude == 1 else f"{magnitude}*{power}"
            parts.append((" - " if c < 0 else " + ") + body)
    else:
        powers = _monomial_texts(tuple(gens))
        for monomial in order:
            c = int(terms[monomial])
            product = powers[monomial]
            magnitude = -c if c < 0 else c
            body = product if magnitude == 1 and product else \
                f"{magnitude}*{product}" if product else str(magnitude)
            parts.append((" - " if c < 0 else " + ") + body)
    if not parts:
        return "0"
    first = parts[0]
    parts[0] = ("-" if first[1] == "-" else "") + first[3:]
    return "".join(parts)


def expression(terms: dict, gens) -> Expr:
    """Σ c·x^m as a SymPy expression, built directly in canonical form.

    ``Add(*[c * x**k ...])`` spends most of its time deducing assumptions of the
    products; the terms of a polynomial are already canonical (coefficient first,
    then powers in SymPy's order), so they are assembled with ``_from_args`` and only
    sorted. The tests check that the result is identical to ``PolyElement.as_expr``.

    >>> expression({(2,): 3, (0,): -1}, [Symbol("x")])
    3*x**2 - 1
    """
    out = []
    for m, c in terms.items():
        powers = [x if k == 1 else sympy.Pow(x, k) for x, k in zip(gens, m) if k]
        coefficient = sympy.Integer(c)
        if not powers:
            out.append(coefficient)
            continue
        if len(powers) > 1:
            _mulsort(powers)
        if c == 1 and len(powers) == 1:
            out.append(powers[0])
        else:
            out.append(sympy.Mul._from_args(
                powers if c == 1 else [coefficient, *powers], is_commutative=True))
    if len(out) == 1:
        return out[0]
    if not out:
        return sympy.Integer(0)
    _addsort(out)
    return sympy.Add._from_args(out, is_commutative=True)


class DenseFractions:
    """Univariate fractions in lowest terms, kept as dense coefficients until read.

    Entry ``i`` is a pair (numerator, denominator) of integer coefficient lists or
    flint polynomials; :meth:`__getitem__` makes the ``{(j,): c}`` terms of
    :class:`ExactVector` on first read (the arithmetic and the cancellation are
    already done: only the representation is deferred). Entries often share
    polynomial objects (a denominator, or a whole q entry), so terms are made once
    per object.
    """

    __slots__ = ("dense", "_made", "_dens", "_texts")

    def __init__(self, dense: list):
        self.dense = dense
        self._made: list = [None] * len(dense)
        self._dens: dict = {}
        self._texts: dict = {}

    def text_of(self, p, g: str) -> str:
        """:func:`dense_text` of one of the entries' polynomials, once per object (the
        entries share denominators)."""
        key = id(p)
        if key not in self._texts:
            self._texts[key] = (p, dense_text(p, g))
        return self._texts[key][1]

    def __len__(self) -> int:
        return len(self.dense)

    def __getitem__(self, i: int) -> tuple[dict, dict]:
        made = self._made[i]
        if made is None:
            made = self._made[i] = tuple(self._read(p) for p in self.dense[i])
        return made

    def _read(self, p) -> dict:
        key = id(p)  # the object is kept alive in ``_dens`` with its terms
        if key not in self._dens:
            dense = p if isinstance(p, list) else [int(c) for c in p.coeffs()]
            self._dens[key] = (p, to_terms(dense))
        return self._dens[key][1]
