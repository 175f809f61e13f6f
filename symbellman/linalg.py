"""Exact solution of (I − γP)x = r: the only module that knows the fast algebra layers.

Three routes, chosen by what the system holds:

* **Krylov** (γ a symbol, P rational, r polynomial in parameters). With P = A/L
  (A integer) and t = γ/L, D(t) = det(I − tA) is the reversed characteristic
  polynomial of A, and since (I − tA)^{-1} ρ = Σ_k t^k A^k ρ, the numerators are
  N(t) = D(t) · Σ_{k<n} t^k A^k ρ mod t^n, exactly, because adj(I − tA) has degree
  below n. Everything is integer arithmetic; python-flint does it in C when it is
  installed, plain Python integers otherwise (same algorithm, same results).
* **Rational** (γ a number, P rational): one exact rational solve (flint's
  ``fmpq_mat.solve``, or SymPy's ``DomainMatrix`` over QQ).
* **Fraction-free** (P holds symbols): rows are cleared of denominators and the
  system is solved over the polynomial ring ZZ[γ, parameters] with
  ``DomainMatrix.solve_den``, then each entry is cancelled.

Results are kept as polynomials (:class:`ExactVector`) and become SymPy expressions
only on request, because converting is often slower than solving.
"""

from __future__ import annotations

import math
from operator import itemgetter
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property, reduce
from typing import Callable, Iterator, Mapping, Sequence

import sympy
from sympy import Expr, Symbol
from sympy.core.add import _addsort
from sympy.core.mul import _mulsort
from sympy.polys.domains import QQ, ZZ
from sympy.polys.matrices import DomainMatrix
from sympy.polys.matrices.exceptions import DMNonInvertibleMatrixError
from sympy.polys.rings import PolyElement, PolyRing

try:  # python-flint is a dependency, but the pure route must keep working without it
    import flint
except ImportError:  # pragma: no cover - exercised by forcing backend="python"
    flint = None

__all__ = ["ExactVector", "solve_discounted", "backup", "reporting", "BACKENDS"]

#: The implementations of the Krylov and rational routes that can be asked for.
BACKENDS = ("flint", "python")


def default_backend() -> str:
    return "flint" if flint is not None else "python"


_progress: ContextVar = ContextVar("symbellman_progress", default=None)


@contextmanager
def reporting(callback: Callable[[str, int, int], None]) -> Iterator[None]:
    """Within the block, long solves call ``callback(stage, done, total)`` now and then.

    This lets a front end (the CLI on a terminal) show progress without threading a
    parameter through every caller of :func:`solve_discounted`:

    >>> seen = []
    >>> with reporting(lambda stage, done, total: seen.append(stage)):
    ...     x = solve_discounted([{0: sympy.Rational(1, 2)}] * 40, [1] * 40, Symbol("g"))
    >>> sorted(set(seen))
    ['lowest terms', 'numerators']
    """
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


class ExactVector:
    """A vector of rational functions x_i = num_i / den_i in lowest terms.

    Polynomials live in ``ring`` (integer coefficients, generators ``ring.symbols``:
    the discount first when it is a symbol, then the parameters). Each fraction is
    normalised: integer coefficients with no common factor, and a denominator that is
    positive at γ = 0 (univariate) or has a positive leading coefficient.

    ``determinant`` is det(I − γP) itself (value 1 at γ = 0), the shared denominator.

    The fast routes keep each fraction as plain integer terms ``{monomial: int}`` and
    make SymPy polynomials (``numerators``, ``denominators``) and expressions only
    when they are read: for a 100-state model that conversion costs more than the solve.
    """

    def __init__(self, ring: PolyRing, numerators: Sequence[PolyElement],
                 denominators: Sequence[PolyElement], determinant, method: str):
        self.ring = ring
        self._numerators = tuple(numerators)
        self._denominators = tuple(denominators)
        self._terms = None
        self._determinant = determinant
        self.method = method

    @classmethod
    def _from_terms(cls, ring: PolyRing, terms: Sequence[tuple[dict, dict]], determinant,
                    method: str) -> "ExactVector":
        """A vector from normalised integer terms ``[(numerator, denominator), ...]``."""
        self = cls.__new__(cls)
        self.ring = ring
        self._numerators = self._denominators = None
        self._terms = terms if isinstance(terms, _DenseFractions) else list(terms)
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

    @property
    def symbols(self) -> tuple[Symbol, ...]:
        return tuple(self.ring.symbols)

    @cached_property
    def determinant(self) -> Expr:
        """det(I − γP) as a SymPy expression (computed on first use where needed)."""
        d = self._determinant() if callable(self._determinant) else self._determinant
        return d

    def expr(self, i: int) -> Expr:
        """Entry ``i`` as a SymPy expression ``numerator/denominator``."""
        num, den = self.terms(i)
        num, den = _expr(num, self.ring.symbols), _expr(den, self.ring.symbols)
        if den == 1:
            return num
        return sympy.Mul(num, sympy.Pow(den, -1))

    def fraction(self, i: int) -> tuple[PolyElement, PolyElement]:
        return self.numerators[i], self.denominators[i]

    def text(self, i: int) -> str:
        """Entry ``i`` in SymPy's string syntax, straight from its terms.

        Printing a large expression through SymPy's printer costs seconds (it sorts
        terms and asks assumptions); this reads the integer terms directly, and
        ``sympy.sympify`` reads the result back to the same value.

        >>> g = Symbol("gamma")
        >>> x = solve_discounted([{0: sympy.Rational(1, 2)}], [sympy.Integer(1)], g)
        >>> x.text(0)
        '2/(2 - gamma)'
        >>> sympy.sympify(x.text(0), locals={"gamma": g}) == x.expr(0)
        True
        """
        num, den = self.terms(i)
        gens = [str(s) for s in self.ring.symbols]
        top = _terms_text(num, gens)
        if den == {tuple(0 for _ in gens): 1} or not den:
            return top
        bottom = _terms_text(den, gens)
        if len(num) > 1:
            top = f"({top})"
        if len(den) > 1 or "*" in bottom or "-" in bottom:
            bottom = f"({bottom})"
        return f"{top}/{bottom}"


def _terms_text(terms: dict, gens: Sequence[str]) -> str:
    """``{monomial: int}`` as a sum in SymPy's syntax, highest degree first."""
    if not terms:
        return "0"
    if len(gens) == 1:  # closed forms in γ: monomials (k,) sort by degree as they are
        order = sorted((m for m in terms if terms[m]), reverse=True)
    else:
        order = sorted((m for m in terms if terms[m]), key=lambda m: (sum(m), m), reverse=True)
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
        for monomial in order:
            c = int(terms[monomial])
            factors = [g if k == 1 else f"{g}**{k}" for g, k in zip(gens, monomial) if k]
            magnitude = abs(c)
            body = "*".join(([str(magnitude)] if magnitude != 1 or not factors else [])
                            + factors)
            parts.append((" - " if c < 0 else " + ") + body)
    if not parts:
        return "0"
    first = parts[0]
    parts[0] = ("-" if first[1] == "-" else "") + first[3:]
    return "".join(parts)


def _expr(terms: dict, gens) -> Expr:
    """Σ c·x^m as a SymPy expression, built directly in canonical form.

    ``Add(*[c * x**k ...])`` spends most of its time deducing assumptions of the
    products; the terms of a polynomial are already canonical (coefficient first,
    then powers in SymPy's order), so they are assembled with ``_from_args`` and only
    sorted. The tests check that the result is identical to ``PolyElement.as_expr``.
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


# -- helpers shared by the routes --------------------------------------------------------------
def _normalise(num: PolyElement, den: PolyElement) -> tuple[PolyElement, PolyElement]:
    """Cancel, make coefficients coprime integers, and fix the sign."""
    if num == 0:
        return num.ring.zero, num.ring.one
    g = num.gcd(den)
    if g != 1:
        num, den = num.exquo(g), den.exquo(g)
    c = math.gcd(*(int(x) for x in num.coeffs()), *(int(x) for x in den.coeffs()))
    if c > 1:
        num, den = num.quo_ground(c), den.quo_ground(c)
    constant = den.coeff(1)
    sign = constant if constant != 0 else den.LC
    if sign < 0:
        num, den = -num, -den
    return num, den


def _clear_row(entries: Sequence[Expr], gens) -> tuple[list, Expr]:
    """Multiply a row of expressions by the lcm of their denominators."""
    dens = [sympy.fraction(sympy.together(e))[1] for e in entries]
    lcm = reduce(sympy.lcm, dens, sympy.Integer(1))
    return [sympy.cancel(e * lcm) for e in entries], lcm


def _polynomial_parts(r: Sequence[Expr], params: Sequence[Symbol]):
    """Split r = Σ_m monomial_m · ρ_m with integer vectors ρ_m and a shared denominator d.

    Returns (monomials, columns, d) or None if r is not polynomial in the parameters.
    """
    ring = PolyRing(tuple(params), QQ) if params else None
    polys = []
    for e in r:
        if params:
            try:
                polys.append(ring.from_expr(sympy.expand(e)))
            except (ValueError, sympy.PolynomialError, sympy.CoercionFailed):
                return None
        else:
            if not e.is_Rational:
                return None
            polys.append(e)
    monomials = sorted({m for p in polys for m in (p.monoms() if params else [()])})
    def coeff(p, m):
        return QQ.to_sympy(p.to_dict().get(m, QQ(0))) if params else sympy.Rational(p)
    columns = [[coeff(p, m) for p in polys] for m in monomials]
    d = reduce(math.lcm, (int(x.q) for col in columns for x in col), 1)
    int_columns = [[int(x * d) for x in col] for col in columns]
    return monomials, int_columns, d


# -- dense integer polynomials (lists, increasing powers) ----------------------------------
def _trim(p: list[int]) -> list[int]:
    end = len(p)
    while end and p[end - 1] == 0:
        end -= 1
    return p[:end]


def poly_mul(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """The product of two integer coefficient lists (increasing powers).

    >>> poly_mul([1, 1], [1, -1])
    [1, 0, -1]
    """
    if not a or not b:
        return []
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out


class _IntegerPolynomials:
    """gcd and exact division of integer polynomials, in C (flint) or in Python."""

    def __init__(self, backend: str):
        self.backend = backend

    def prepare(self, p: list[int]):
        """``p`` in the backend's own type (a flint polynomial, or the list itself)."""
        return flint.fmpz_poly(p) if self.backend == "flint" and p else p

    def gcd(self, polys: Sequence) -> list[int]:
        """The primitive gcd with a positive leading coefficient."""
        if self.backend == "flint":
            g = self.prepare(polys[0]) if isinstance(polys[0], list) else polys[0]
            for p in polys[1:]:
                if g.degree() <= 0:
                    break
                g = g.gcd(self.prepare(p) if isinstance(p, list) else p)
            if g.degree() <= 0:  # a constant: the primitive gcd is 1, whatever its content
                return [1]
            g = [int(c) for c in g.coeffs()]
            content = math.gcd(*g)
            return [c // content for c in g] if g[-1] > 0 else [-c // content for c in g]
        from sympy.polys.euclidtools import dup_gcd
        dense = [[ZZ(c) for c in reversed(p)] for p in polys]
        g = dense[0]
        for p in dense[1:]:
            if len(g) == 1:
                break
            g = dup_gcd(g, p, ZZ)
        g = [int(c) for c in reversed(g)]
        content = math.gcd(*g)
        return [c // content for c in g] if g[-1] > 0 else [-c // content for c in g]

    def mul(self, a: list[int], b: list[int]) -> list[int]:
        if not a or not b:
            return []
        if self.backend == "flint":
            return [int(c) for c in (flint.fmpz_poly(a) * flint.fmpz_poly(b)).coeffs()]
        return poly_mul(a, b)

    def exquo(self, p, g: list[int]) -> list[int]:
        if self.backend == "flint" and not isinstance(p, list):
            if len(g) == 1:
                return [int(c) // g[0] for c in p.coeffs()]
            q, r = divmod(p, flint.fmpz_poly(g))
            if r != 0:  # pragma: no cover - g is a gcd of p
                raise ArithmeticError("inexact polynomial division")
            return [int(c) for c in q.coeffs()]
        if len(g) == 1:
            return [c // g[0] for c in p]
        if self.backend == "flint":
            q, r = divmod(flint.fmpz_poly(p), flint.fmpz_poly(g))
            if r != 0:  # pragma: no cover - g is a gcd of p
                raise ArithmeticError("inexact polynomial division")
            return [int(c) for c in q.coeffs()]
        from sympy.polys.densearith import dup_exquo
        q = dup_exquo([ZZ(c) for c in reversed(p)], [ZZ(c) for c in reversed(g)], ZZ)
        return [int(c) for c in reversed(q)]


# -- the Krylov route ------------------------------------------------------------------------
def _reversed_charpoly(A_rows: Sequence[Sequence[tuple[int, int]]], backend: str) -> list[int]:
    """det(I − tA) = t^n χ_A(1/t) as integer coefficients in increasing powers of t."""
    n = len(A_rows)
    if backend == "flint":
        flat = [0] * (n * n)
        for i, row in enumerate(A_rows):
            for j, a in row:
                flat[i * n + j] = a
        chi = flint.fmpz_mat(n, n, flat).charpoly()           # det(xI − A), monic
        return [int(c) for c in reversed(chi.coeffs())]
    dm = DomainMatrix({i: {j: ZZ(a) for j, a in row} for i, row in enumerate(A_rows) if row},
                      (n, n), ZZ)
    return [int(c) for c in dm.charpoly()]                    # decreasing powers of x


def _row_readers(A_rows) -> list:
    """Per row, a function of y whose result sums to (A y)_i.

    Rows of a stochastic matrix times its common denominator have small weights, so
    a weight a is read as a repetitions of y[j]: ``itemgetter`` then does the row in C.
    """
    readers = []
    for row in A_rows:
        if row and all(0 < a <= 4 for _, a in row):
            idx = [j for j, a in row for _ in range(a)]
            readers.append(itemgetter(*idx) if len(idx) > 1
                           else (lambda y, j=idx[0]: (y[j],)))
        else:
            readers.append(lambda y, row=row: [a * y[j] for j, a in row])
    return readers


def _matvec(readers, y: list[int]) -> list[int]:
    return [sum(read(y)) for read in readers]


def _krylov_integer(A_rows: Sequence[Sequence[tuple[int, int]]], columns: Sequence[Sequence[int]],
                    backend: str, report=None):
    """D(t) = det(I − tA) and, per column ρ, the n numerator coefficient vectors.

    With D(t) = Σ_j c_j t^j, the numerators N(t) = D(t)·Σ_k t^k A^k ρ mod t^n have the
    coefficients y_j = Σ_{k≤j} c_{j−k} A^k ρ, which satisfy the Horner recurrence
    y_0 = ρ, y_j = A y_{j−1} + c_j ρ: n sparse integer mat-vecs whose entries never
    exceed the size of the output (the powers A^k ρ themselves grow much faster).
    Cayley–Hamilton gives a free exact check: A y_{n−1} + c_n ρ = 0.
    """
    n = len(A_rows)
    D = _reversed_charpoly(A_rows, backend)
    D = D + [0] * (n + 1 - len(D))
    per_column = []
    readers = _row_readers(A_rows)
    total = n * len(columns)
    for m, rho in enumerate(columns):
        y = list(rho)
        coefficients = [y]
        for j in range(1, n + 1):
            c = D[j]
            y = _matvec(readers, y)
            if c:
                y = [a + c * b for a, b in zip(y, rho)]
            if j < n:
                coefficients.append(y)
            if report is not None and j % 16 == 0:
                report("numerators", m * n + j, total)
        if any(y):  # pragma: no cover - would mean a wrong characteristic polynomial
            raise ArithmeticError("Cayley-Hamilton check failed")
        per_column.append(coefficients)
    return D, per_column


def _krylov(P_rows, r, gamma_symbol: Symbol, params: Sequence[Symbol], backend: str,
            report=None):
    parts = _polynomial_parts(r, params)
    if parts is None:
        return None
    monomials, columns, d = parts
    n = len(P_rows)
    L = reduce(math.lcm, (int(x.q) for row in P_rows for x in row.values()), 1)
    # P_rows holds no zeros (solve_discounted drops them); x·L in integers
    A_rows = [[(j, int(x.p) * (L // int(x.q))) for j, x in sorted(row.items())] for row in P_rows]
    D, per_column = _krylov_integer(A_rows, columns, backend, report)
    D = _trim(D)
    # per state, the coefficients of its numerator for each parameter monomial
    by_state = [list(zip(*coefficients)) for coefficients in per_column]
    ring = PolyRing((gamma_symbol, *params), ZZ)
    determinant = lambda: sympy.Add(*[sympy.Rational(c, L ** j) * gamma_symbol ** j  # noqa: E731
                                      for j, c in enumerate(D) if c])
    if backend == "flint" and not params:
        fractions = _lowest_terms_flint(D, by_state[0], L, d, report)
        return ExactVector._from_terms(ring, fractions, determinant, f"krylov-{backend}")
    arithmetic = _IntegerPolynomials(backend)
    zeros = (0,) * len(params)
    powers = [L ** k for k in range(n + 1)]
    D_fast = arithmetic.prepare(D)
    cofactors: dict = {}  # gcd → reduced denominator D/gcd (states share a few)
    scaled_dens: dict = {}  # (gcd, degree) → denominator terms in γ
    terms = []
    for i in range(n):
        parts_i = [arithmetic.prepare(_trim(list(by_state[m][i]))) for m in range(len(monomials))]
        nonzero = [p for p in parts_i if p]
        if not nonzero:
            terms.append(({}, {(0, *zeros): 1}))
            continue
        g = arithmetic.gcd([D_fast, *nonzero])
        key = tuple(g)
        if key not in cofactors:
            cofactors[key] = arithmetic.exquo(D, g)
        den_t = cofactors[key]
        nums_t = [arithmetic.exquo(p, g) if p else [] for p in parts_i]
        # back from t = γ/L to γ: multiply numerator and denominator by d·L^deg. The
        # gcd over Q[t] is 1, so only an integer content can be left to cancel.
        deg = max(len(den_t), *(len(p) for p in nums_t)) - 1
        if (key, deg) not in scaled_dens:
            den = {(j, *zeros): c * d * powers[deg - j] for j, c in enumerate(den_t) if c}
            scaled_dens[key, deg] = den, math.gcd(*den.values())
        den, den_content = scaled_dens[key, deg]
        num: dict = {}
        for mono, p in zip(monomials, nums_t):
            for j, c in enumerate(p):
                if c:
                    num[(j, *mono)] = c * powers[deg - j]
        content = math.gcd(den_content, *num.values())
        if den_t[0] < 0:  # positive at γ = 0 (D(0) = 1, so den_t(0) ≠ 0)
            content = -content
        if content != 1:
            num = {k: c // content for k, c in num.items()}
            den = {k: c // content for k, c in den.items()}
        terms.append((num, den))
        if report is not None and i % 16 == 0:
            report("lowest terms", i, n)
    return ExactVector._from_terms(ring, terms, determinant, f"krylov-{backend}")


def _lowest_terms_flint(D: list[int], numerators: Sequence[Sequence[int]], L: int, d: int,
                        report=None) -> "_DenseFractions":
    """N_i(t)/D(t) with t = γ/L, for r = ρ/d, in lowest terms in γ, all in flint.

    Each entry: g = gcd(D, N_i) and the quotients in t, then t = γ/L by composing with
    γ/L over Q (``fmpq_poly``) and scaling by L^deg back to integers, then the joint
    integer content divided out and the sign fixed (denominator positive at γ = 0).
    This is the unique normalised form, so it equals what the pure-Python route makes.
    The results stay ``fmpz_poly`` until read (:class:`_DenseFractions`).
    """
    n = len(numerators)
    D_f = flint.fmpz_poly(D)
    inverse_L = flint.fmpq_poly([0, flint.fmpq(1, L)])
    powers: dict = {}
    cofactors: dict = {}  # gcd → D/gcd in t (states share a few)
    scaled: dict = {}  # (gcd, degree) → (denominator in γ, its content, its sign)
    out = []
    for i, coefficients in enumerate(numerators):
        p = flint.fmpz_poly(list(coefficients))
        if p == 0:
            out.append(([], [1]))
            continue
        g = D_f.gcd(p)
        key = tuple(int(c) for c in g.coeffs()) if g.degree() > 0 else ()
        if key not in cofactors:
            cofactors[key] = D_f / g if key else D_f
        den_t = cofactors[key]
        num_t = p / g if key else p
        deg = max(den_t.degree(), num_t.degree())
        if deg not in powers:
            powers[deg] = flint.fmpz(L) ** deg
        if (key, deg) not in scaled:
            den = den_t if L == 1 else (flint.fmpq_poly(den_t)(inverse_L) * powers[deg]).numer()
            den = den * d
            scaled[key, deg] = den, den.content(), den[0] < 0
        den, den_content, negative = scaled[key, deg]
        num = num_t if L == 1 else (flint.fmpq_poly(num_t)(inverse_L) * powers[deg]).numer()
        content = int(num.content().gcd(den_content))
        if negative:
            content = -content
        if content != 1:
            num, den = num / content, den / content
        out.append((num, den))
        if report is not None and i % 16 == 0:
            report("lowest terms", i, n)
    return _DenseFractions(out)


# -- one step of the Bellman backup on a solved vector (q from v) ----------------------------
def _as_list(terms: dict) -> list[int]:
    """Univariate integer terms ``{(j,): c}`` as dense coefficients, increasing powers."""
    if not terms:
        return []
    out = [0] * (1 + max(terms)[0])
    for (j,), c in terms.items():
        out[j] = c
    return out


class _Monomials(dict):
    """(0,), (1,), ... (k−1,) for each length k, made once: dict keys for univariate terms."""

    def __missing__(self, k: int) -> list[tuple[int]]:
        self[k] = [(j,) for j in range(k)]
        return self[k]


_MONOMIALS = _Monomials()


def _dense_terms(p) -> dict:
    """Dense coefficients (a list of ints or a flint ``fmpz_poly``) as ``{(j,): c}``."""
    if not isinstance(p, list):
        p = [int(c) for c in p.coeffs()]
    return {m: c for m, c in zip(_MONOMIALS[len(p)], p) if c}


class _DenseFractions:
    """Univariate fractions in lowest terms, kept as dense coefficients until read.

    Entry ``i`` is a pair (numerator, denominator) of integer coefficient lists or
    flint polynomials; :meth:`__getitem__` makes the ``{(j,): c}`` terms of
    :class:`ExactVector` on first read (the arithmetic and the cancellation are
    already done: only the representation is deferred). Entries often share
    polynomial objects (a denominator, or a whole q entry), so terms are made once
    per object.
    """

    __slots__ = ("dense", "_made", "_dens")

    def __init__(self, dense: list):
        self.dense = dense
        self._made: list = [None] * len(dense)
        self._dens: dict = {}

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
            self._dens[key] = (p, _dense_terms(p))
        return self._dens[key][1]


def _rational_parts(p: Expr, r: Expr, cache: dict) -> tuple[int, int, int, int]:
    """(p, p·r) as (numerator, denominator) integer pairs, memoised on (p, r)."""
    key = (p, r)
    if key not in cache:
        pr = p * r
        cache[key] = (int(p.p), int(p.q), int(pr.p), int(pr.q))
    return cache[key]


def backup(vector: ExactVector, entries: Sequence[Sequence[tuple[int | None, Expr, Expr]]],
           discount: Expr, *, backend: str | None = None) -> ExactVector | None:
    """y_e = Σ p·(r + γ·x_k) over the triples (k, p, r) of each entry e, in lowest terms.

    This is the half-step q_π(s, a) = Σ_{s'} p(s'|s,a)[r + γ v_π(s')] (``k`` is None
    for a terminal successor). Fast path for closed forms in γ alone with rational
    p and r: integer polynomial arithmetic (flint ``fmpz_poly``, or Python lists) on
    each entry's own successors, and a polynomial gcd only where one can be needed.
    With one successor k of weight w, y = (c·d_k + w·γ·n_k)/(Q·d_k) is already in
    lowest terms over Q[γ]: gcd(c·d_k + wγ·n_k, d_k) = gcd(wγ·n_k, d_k) = 1, because
    n_k and d_k are coprime and d_k(0) ≠ 0 (d_k divides det(I − γP), which is 1 at
    γ = 0). Only the integer content is then divided out. The result keeps dense
    coefficients until its terms are read. Returns None when the fast path does not
    apply (the caller uses SymPy's rings).
    """
    ring = vector.ring
    if not (isinstance(discount, Symbol) and ring.symbols == (discount,)):
        return None
    cache: dict = {}
    parts = []
    unique: dict = {}  # equal entries (same successors, p and r) are computed once
    order = []
    for entry in entries:
        entry = tuple(entry)
        if entry in unique:
            order.append(unique[entry])
            continue
        order.append(unique.setdefault(entry, len(unique)))
        row = []
        for k, p, r in entry:
            p, r = sympy.sympify(p), sympy.sympify(r)
            if not (p.is_Rational and r.is_Rational):
                return None
            row.append((k, *_rational_parts(p, r, cache)))
        parts.append(row)
    backend = backend or default_backend()
    use_flint = backend == "flint"
    arithmetic = _IntegerPolynomials(backend)
    source = vector._terms
    lists: dict = {}
    fast: dict = {}

    def fraction(k):
        """(n_k, d_k) as integer coefficient lists."""
        if k not in lists:
            if isinstance(source, _DenseFractions):
                lists[k] = tuple(p if isinstance(p, list) else [int(c) for c in p.coeffs()]
                                 for p in source.dense[k])
            else:
                lists[k] = tuple(_as_list(t) for t in vector.terms(k))
        return lists[k]

    def single(k):
        """(d_k, γ·n_k, content of d_k, d_k(0) < 0) in the backend's type."""
        if k not in fast:
            dense = source.dense[k] if isinstance(source, _DenseFractions) else None
            if use_flint and dense is not None and not isinstance(dense[1], list):
                num, den = dense
                fast[k] = (den, num.left_shift(1), int(den.content()), den[0] < 0)
            else:
                num, den = fraction(k)
                shifted = [0, *num] if num else []
                if use_flint:
                    fast[k] = (flint.fmpz_poly(den), flint.fmpz_poly(shifted),
                               math.gcd(*den), den[0] < 0)
                else:
                    fast[k] = (den, shifted, math.gcd(*den), den[0] < 0)
        return fast[k]

    zero = ([], [1])
    shared: dict = {}  # (successor, Q, content) → the denominator, one object per key
    done: dict = {}  # (successor, weight, constant, Q) → the entry
    out = []
    for row in parts:
        # the rational weights over one integer denominator Q
        Q = 1
        for _, pp, pq, rp, rq in row:
            Q = math.lcm(Q, pq, rq)
        constant = 0
        weights: dict = {}
        for k, pp, pq, rp, rq in row:
            constant += rp * (Q // rq)
            if k is not None and pp:
                weights[k] = weights.get(k, 0) + pp * (Q // pq)
        weights = {k: w for k, w in weights.items() if w}
        if not weights:
            g = math.gcd(constant, Q)
            out.append(([constant // g], [Q // g]) if constant else zero)
            continue
        if len(weights) == 1:
            ((k, w),) = weights.items()
            memo = (k, w, constant, Q)  # (s, a) pairs that lead to the same place alike
            if memo in done:
                out.append(done[memo])
                continue
            d, gn, d_content, negative = single(k)
            if use_flint:
                num = gn if w == 1 else gn * w  # (polynomials are never modified in place)
                if constant:
                    num = num + d * constant
                if num == 0:
                    out.append(zero)
                    continue
                content = math.gcd(int(num.content()), Q * d_content)
                if negative:  # pragma: no cover - v's denominators are normalised
                    content = -content
                if content != 1:
                    num = num / content  # exact (flint raises otherwise)
                key = (k, Q, content)
                if key not in shared:
                    shared[key] = (d if Q == 1 else d * Q) if content == 1 else d * Q / content
                out.append(done.setdefault(memo, (num, shared[key])))
                continue
            num = [0] * max(len(d), len(gn))
            if constant:
                for j, c in enumerate(d):
                    num[j] = constant * c
            for j, c in enumerate(gn):
                num[j] += w * c
            num = _trim(num)
            if not num:
                out.append(zero)
                continue
            content = math.gcd(math.gcd(*num), Q * d_content)
            if negative:  # pragma: no cover - v's denominators are normalised
                content = -content
            if content != 1:
                num = [c // content for c in num]
            key = (k, Q, content)
            if key not in shared:
                shared[key] = [c * Q // content for c in d]
            out.append(done.setdefault(memo, (num, shared[key])))
            continue
        # several successors: bring them to a common denominator, then one gcd
        dens = {tuple(fraction(k)[1]) for k in weights}
        if len(dens) == 1:
            common = list(next(iter(dens)))
            scaled = {k: fraction(k)[0] for k in weights}
        else:
            common = fraction(next(iter(weights)))[1]
            for k in weights:
                d_k = fraction(k)[1]
                g = arithmetic.gcd([common, d_k])
                common = arithmetic.mul(common, arithmetic.exquo(d_k, g))
            scaled = {k: arithmetic.mul(fraction(k)[0], arithmetic.exquo(common, fraction(k)[1]))
                      for k in weights}
        # numerator = constant·common + γ·Σ w_k·scaled_k, denominator = Q·common
        size = max(len(common), 1 + max(len(p) for p in scaled.values()))
        num = [0] * size
        for j, c in enumerate(common):
            num[j] = constant * c
        for k, w in weights.items():
            for j, c in enumerate(scaled[k]):
                num[j + 1] += w * c
        num = _trim(num)
        if not num:
            out.append(zero)
            continue
        den = [Q * c for c in common]
        g = arithmetic.gcd([den, num])
        if len(g) > 1:
            num, den = arithmetic.exquo(num, g), arithmetic.exquo(den, g)
        content = math.gcd(math.gcd(*num), *den)
        if den[0] < 0:
            content = -content
        if content != 1:
            num = [c // content for c in num]
            den = [c // content for c in den]
        out.append((num, den))
    out = [out[u] for u in order]
    return ExactVector._from_terms(ring, _DenseFractions(out), vector._determinant,
                                   vector.method)


# -- the rational route (numeric discount) ----------------------------------------------------
def _rational(P_rows, r, discount: Expr, params, backend: str):
    parts = _polynomial_parts(r, params)
    if parts is None:
        return None
    monomials, columns, d = parts
    n = len(P_rows)
    g = sympy.Rational(discount)
    if backend == "flint":
        M = flint.fmpq_mat(n, n)
        for i, row in enumerate(P_rows):
            for j, x in row.items():
                M[i, j] = -flint.fmpq(int(g.p * x.p), int(g.q * x.q))
            M[i, i] = M[i, i] + 1
        B = flint.fmpq_mat(n, len(columns))
        for m, col in enumerate(columns):
            for i, c in enumerate(col):
                B[i, m] = flint.fmpq(c, d)
        try:
            X = M.solve(B)
        except ZeroDivisionError:
            raise ZeroDivisionError("singular") from None
        values = [[sympy.Rational(int(X[i, m].p), int(X[i, m].q)) for m in range(len(columns))]
                  for i in range(n)]
    else:
        M = DomainMatrix({i: {j: QQ(-(g * x).p, (g * x).q) for j, x in row.items()}
                          for i, row in enumerate(P_rows)}, (n, n), QQ)
        M = M + DomainMatrix.eye(n, QQ)
        B = DomainMatrix([[QQ(col[i], d) for col in columns] for i in range(n)],
                         (n, len(columns)), QQ)
        try:
            X = M.lu_solve(B).to_list()
        except DMNonInvertibleMatrixError as exc:
            raise ZeroDivisionError("singular") from exc
        values = [[sympy.Rational(QQ.to_sympy(X[i][m])) for m in range(len(columns))]
                  for i in range(n)]
    ring = PolyRing(tuple(params), ZZ) if params else PolyRing(("_",), ZZ)
    numerators, denominators = [], []
    for i in range(n):
        q = reduce(math.lcm, (int(v.q) for v in values[i]), 1)
        terms = {}
        for m, v in zip(monomials, values[i]):
            if v:
                terms[m if params else (0,)] = int(v * q)
        num, den = _normalise(ring.from_dict(terms) if terms else ring.zero, ring(q))
        numerators.append(num)
        denominators.append(den)
    return ExactVector(ring, numerators, denominators, None, f"rational-{backend}")


# -- the fraction-free route (symbolic transition probabilities) ------------------------------
def _polynomial_rows(P_rows, r, discount: Expr, gens: Sequence[Symbol], ring: PolyRing):
    """Rows of [I − γP | r] in ZZ[gens], built as ring elements, or None.

    Every entry of P and r is read once into QQ[gens] (``from_expr`` on the expanded
    expression, shared between equal entries) and each row is scaled by the lcm of its
    coefficient denominators. None when some entry is not a polynomial (then rows go
    through SymPy's ``together``/``cancel``). Scaling a row does not change the solution.
    """
    qring = PolyRing(tuple(gens), QQ)
    seen: dict = {}

    def read(e):
        if e not in seen:
            seen[e] = qring.from_expr(sympy.expand(e))
        return seen[e]
    try:
        g = read(discount)
        n = len(P_rows)
        rows, rhs = [], []
        for i, row in enumerate(P_rows):
            entries = [qring.zero] * n
            for j, x in row.items():
                entries[j] = -g * read(x)
            entries[i] = entries[i] + 1
            entries.append(read(r[i]))
            den = reduce(math.lcm, (int(c.denominator) for p in entries for c in p.coeffs()), 1)
            ints = [ring.from_dict({m: int(c * den) for m, c in p.items()}) for p in entries]
            rows.append(ints[:-1])
            rhs.append([ints[-1]])
    except (ValueError, sympy.PolynomialError, sympy.CoercionFailed):
        return None
    return rows, rhs


def _cleared_rows(P_rows, r, discount: Expr, gens: Sequence[Symbol], ring: PolyRing):
    """Rows of [I − γP | r] in ZZ[gens] for any rational-function entries (SymPy)."""
    n = len(P_rows)
    rows, rhs = [], []
    qring = PolyRing(tuple(gens), QQ) if gens else None
    for i, row in enumerate(P_rows):
        entries = [(sympy.Integer(1) if i == j else sympy.Integer(0)) - discount * row.get(j, 0)
                   for j in range(n)] + [r[i]]
        cleared, _ = _clear_row(entries, gens)
        # clear rational coefficients too, so the row lives in ZZ[gens]
        polys = [qring.from_expr(e) if gens else QQ.from_sympy(e) for e in cleared]
        den = reduce(math.lcm, (int(c.denominator) for p in polys
                                for c in (p.coeffs() if gens else [p])), 1)
        ints = [ring.from_dict({m: int(c * den) for m, c in p.to_dict().items()}) if gens
                else ring(int(p * den)) for p in polys]
        rows.append(ints[:-1])
        rhs.append([ints[-1]])
    return rows, rhs


def _mpoly_terms(p) -> dict:
    """An ``fmpz_mpoly`` as ``{(int, ...): int}`` (flint gives exponents as ``fmpz``)."""
    return {tuple(int(e) for e in m): int(c) for m, c in zip(p.monoms(), p.coeffs())}


def _normalised_terms_flint(nums: Sequence[PolyElement], den: PolyElement, ring: PolyRing):
    """Each num/den cancelled with flint's ``fmpz_mpoly`` gcd, as normalised integer terms.

    The same normal form as :func:`_normalise` (coprime, joint integer content 1,
    denominator with a positive constant term, or else a positive leading coefficient
    in lex order, which is SymPy's ring order), so the results are identical.
    """
    ctx = flint.fmpz_mpoly_ctx.get(tuple(str(s) for s in ring.symbols), "lex")
    zero = tuple(0 for _ in ring.symbols)
    den_f = ctx.from_dict({m: int(c) for m, c in den.items()})
    out = []
    for num in nums:
        if not num:
            out.append(({}, {zero: 1}))
            continue
        num_f = ctx.from_dict({m: int(c) for m, c in num.items()})
        g = num_f.gcd(den_f)
        if not g.is_one():
            a, b = num_f / g, den_f / g
        else:
            a, b = num_f, den_f
        a_terms = _mpoly_terms(a)
        b_terms = _mpoly_terms(b)
        content = math.gcd(*a_terms.values(), *b_terms.values())
        lead = b_terms.get(zero) or b_terms[max(b_terms)]
        if lead < 0:
            content = -content
        if content != 1:
            a_terms = {m: c // content for m, c in a_terms.items()}
            b_terms = {m: c // content for m, c in b_terms.items()}
        out.append((a_terms, b_terms))
    return out


def _fraction_free(P_rows, r, discount: Expr, gens: Sequence[Symbol], backend: str = "python"):
    n = len(P_rows)
    ring = PolyRing(tuple(gens), ZZ) if gens else PolyRing(("_",), ZZ)
    built = _polynomial_rows(P_rows, r, discount, gens, ring) if gens else None
    rows, rhs = built if built is not None else _cleared_rows(P_rows, r, discount, gens, ring)
    dom = ring.to_domain()
    A = DomainMatrix(rows, (n, n), dom)
    b = DomainMatrix(rhs, (n, 1), dom)
    try:
        xnum, xden = A.solve_den(b)
    except DMNonInvertibleMatrixError as exc:
        raise ZeroDivisionError("singular") from exc

    def determinant():
        M = sympy.eye(n) - discount * sympy.Matrix(n, n, lambda i, j: P_rows[i].get(j, 0))
        return sympy.factor(DomainMatrix.from_Matrix(M).det())
    nums = [xnum[i, 0].element for i in range(n)]
    if backend == "flint" and gens:
        terms = _normalised_terms_flint(nums, xden, ring)
        return ExactVector._from_terms(ring, terms, determinant, "fraction-free")
    numerators, denominators = [], []
    for num in nums:
        num, den = _normalise(num, xden)
        numerators.append(num)
        denominators.append(den)
    return ExactVector(ring, numerators, denominators, determinant, "fraction-free")


def solve_discounted(P_rows: Sequence[Mapping[int, Expr]], r: Sequence[Expr], discount: Expr,
                     params: Sequence[Symbol] = (), *, backend: str | None = None,
                     progress: Callable[[str, int, int], None] | None = None) -> ExactVector:
    """Solve (I − γP)x = r exactly.

    Parameters
    ----------
    P_rows : sequence of mappings
        Row ``i`` maps column ``j`` to P[i, j] (zeros left out): the matrix stays sparse.
    r : sequence of Expr
        The right-hand side.
    discount : Expr
        γ: a SymPy ``Symbol`` (closed forms in it) or an exact number.
    params : sequence of Symbol
        Every other symbol that P or r may hold.
    backend : {"flint", "python"}, optional
        The implementation of the Krylov and rational routes (default: flint when
        installed). Both give identical results.
    progress : callable, optional
        Called now and then as ``progress(stage, done, total)`` during the Krylov
        route (default: the callback installed by :func:`reporting`, if any).

    Returns
    -------
    ExactVector

    Raises
    ------
    ZeroDivisionError
        When I − γP is singular (the caller says why, in the model's terms).

    Examples
    --------
    x = 1 + γ/2 · x has the solution 2/(2 − γ):

    >>> g = Symbol("gamma")
    >>> x = solve_discounted([{0: sympy.Rational(1, 2)}], [sympy.Integer(1)], g)
    >>> x.expr(0)
    2/(2 - gamma)
    >>> sympy.simplify(x.expr(0) - (1 + g/2 * x.expr(0)))
    0
    """
    backend = backend or default_backend()
    progress = progress if progress is not None else _progress.get()
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    if backend == "flint" and flint is None:
        raise ValueError("backend 'flint' needs python-flint installed")
    params = tuple(params)
    P_rows = [{j: x for j, x in ((j, sympy.sympify(x)) for j, x in row.items())
               if not (x.is_Number and not x)} for row in P_rows]  # zeros dropped
    r = [sympy.sympify(x) for x in r]
    numeric_P = all(x.is_Rational for row in P_rows for x in row.values())
    used = set().union(*(x.free_symbols for x in r)) if r else set()
    params_r = tuple(p for p in params if p in used)
    result = None
    if numeric_P and isinstance(discount, Symbol):
        result = _krylov(P_rows, r, discount, params_r, backend, progress)
    elif numeric_P and discount.is_Rational:
        result = _rational(P_rows, r, discount, params_r, backend)
    if result is None:
        gens = ([discount] if isinstance(discount, Symbol) else []) + [
            p for p in params if p != discount]
        used |= set().union(*(x.free_symbols for row in P_rows for x in row.values()))
        gens = [g for g in gens if g in used or g == discount]
        result = _fraction_free(P_rows, r, discount, gens, backend)
    return result
