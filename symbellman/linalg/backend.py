"""The two implementations of the fast operations: python-flint in C, or plain Python.

Each backend is an object with one method per operation the routes need (gcd, exact
division, characteristic polynomial, a rational solve, a multivariate solve in lowest
terms, factoring, isolating real roots). Both give identical results; the
Python one is the same algorithm on Python integers and SymPy's pure rings, for
machines without python-flint; :mod:`.ground` says whether python-flint is there.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import zip_longest
from typing import Mapping, Sequence

import sympy
from sympy.polys.domains import QQ, ZZ
from sympy.polys.matrices import DomainMatrix
from sympy.polys.matrices.exceptions import DMNonInvertibleMatrixError

from ..core.expressions import as_fraction
from ..core.errors import ModelError, SingularSystem, SolveError
from .lazy_fractions import LazyFractions
from .polynomials import (DENSE, MPOLY, Representation, lowest, mpoly_divide, multiply,
                          normalise, primitive, primitive_gcd, read_mpoly, ring_divide,
                          ring_terms, taylor_shift, trim)

from .ground import FALLBACK, flint

__all__ = ["SingularSystem", "BACKENDS", "default_backend", "get_backend", "PythonBackend", "FlintBackend",
           "shift_to_one_minus"]

#: The implementations that can be asked for.
BACKENDS = ("flint", "python")


def default_backend() -> str:
    """``"flint"`` when python-flint is installed, else ``"python"``."""
    return "flint" if flint is not None else "python"


def get_backend(name: str | None = None) -> "PythonBackend":
    """The backend object called ``name`` (default: :func:`default_backend`).

    >>> get_backend("python").name
    'python'
    >>> get_backend("bogus")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: backend: unknown backend 'bogus' (use one of flint, python)
    """
    name = name or default_backend()
    if name not in BACKENDS:
        raise ModelError(f"unknown backend {name!r}", place="backend",
                         hint="use one of " + ", ".join(BACKENDS))
    if name == "flint":
        if flint is None:
            raise ModelError(f"backend 'flint' is not available: {FALLBACK}", place="backend",
                             hint="pip install python-flint, or use backend 'python'")
        return _FLINT
    return _PYTHON


def _singular() -> SolveError:
    return SingularSystem("I − γP is singular")


class PythonBackend(Representation):
    """Dense polynomials as lists of ints; matrices and rings from SymPy."""

    name = "python"

    # -- dense polynomials in the backend's own type -------------------------------------
    def content(self, p) -> int:
        return DENSE.content(p)

    def integer_gcd(self, a: int, b: int) -> int:
        """gcd(a, b) ≥ 0 of two (possibly huge) integers."""
        return math.gcd(a, b)

    def integer_text(self, n: int) -> str:
        """``str(n)`` (a large integer in decimal; flint's conversion is subquadratic)."""
        return str(n)

    def divide(self, p, c: int):
        return DENSE.divide(p, c)

    def leading(self, p) -> int:
        return DENSE.leading(p)

    def prepare(self, p: list[int]):
        """``p`` in the backend's own type."""
        return p

    def to_list(self, p) -> list[int]:
        return p

    def gcd(self, polys: Sequence) -> list[int]:
        """The primitive gcd with a positive leading coefficient, as a list."""
        from sympy.polys.euclidtools import dup_gcd
        dense = [[ZZ(c) for c in reversed(p)] for p in polys]
        g = dense[0]
        for p in dense[1:]:
            if len(g) == 1:
                break
            g = dup_gcd(g, p, ZZ)
        return primitive_gcd([int(c) for c in reversed(g)])

    def multiply(self, a: list[int], b: list[int]) -> list[int]:
        return multiply(a, b)

    def exquo(self, p, g: list[int]) -> list[int]:
        """p / g exactly (g divides p), as a list."""
        if len(g) == 1:
            return [int(c) // g[0] for c in self.to_list(p)]
        from sympy.polys.densearith import dup_exquo
        q = dup_exquo([ZZ(c) for c in reversed(self.to_list(p))], [ZZ(c) for c in reversed(g)],
                      ZZ)
        return [int(c) for c in reversed(q)]

    def shifted(self, p):
        """x·p."""
        return [0, *p] if p else []

    def combine(self, w: int, p, c: int, d):
        """w·p + c·d, or None when it is zero."""
        if not c:
            out = p if w == 1 else [w * x for x in p]
        elif w == 1:
            out = [b - a for a, b in zip_longest(d, p, fillvalue=0)] if c == -1 else \
                [c * a + b for a, b in zip_longest(d, p, fillvalue=0)]
        else:
            out = [c * a + w * b for a, b in zip_longest(d, p, fillvalue=0)]
        return trim(out) or None

    def scaled(self, p, c: int, content: int = 1):
        """p·c / content, exactly."""
        if c == content:
            return p
        return [x * c // content for x in p]

    # -- matrices ------------------------------------------------------------------------
    def reversed_charpoly(self, A_rows: Sequence[Sequence[tuple[int, int]]]) -> list[int]:
        """det(I − tA) = t^n χ_A(1/t) as integer coefficients in increasing powers of t."""
        n = len(A_rows)
        dm = DomainMatrix({i: {j: ZZ(a) for j, a in row} for i, row in enumerate(A_rows)
                           if row}, (n, n), ZZ)
        return [int(c) for c in dm.charpoly()]  # decreasing powers of x

    def solve_rational(self, rows: Sequence[dict], columns: Sequence[Sequence[int]], d: int
                       ) -> list[list[Fraction]]:
        """X with (I − G)X = B/d, for G given by ``rows`` of Fractions; one list per row.

        A large sparse system with γ < 1 (G ≥ 0, rows summing to less than 1) is
        solved by numeric–symbolic lifting (:mod:`.lifting`), whose cost follows the
        number of entries and the output's size rather than n³. Otherwise a very
        sparse system (a deterministic policy, as in Taxi) is eliminated sparsely,
        which keeps it sparse; others densely (fill-in would cost more). Every route
        gives the same values.
        """
        lifted = self._solve_lifted(rows, columns, d)
        if lifted is not None:
            return lifted
        if sum(len(row) for row in rows) <= _SPARSE * len(rows):
            return _solve_sparse(rows, columns, d)
        return self._solve_dense(rows, columns, d)

    def _solve_lifted(self, rows, columns, d):
        from .lifting import solve_lifted
        return solve_lifted(rows, columns, d)

    def _solve_dense(self, rows, columns, d):
        n = len(rows)
        M = DomainMatrix({i: {j: QQ(-x.numerator, x.denominator) for j, x in row.items()}
                          for i, row in enumerate(rows)}, (n, n), QQ)
        M = M + DomainMatrix.eye(n, QQ)
        B = DomainMatrix([[QQ(col[i], d) for col in columns] for i in range(n)],
                         (n, len(columns)), QQ)
        try:
            X = M.lu_solve(B).to_list()
        except DMNonInvertibleMatrixError:
            raise _singular() from None
        return [[as_fraction(x) for x in row] for row in X]

    def determinant_rational(self, rows: Sequence[dict]) -> Fraction:
        """det(I − G) for G given by ``rows`` of Fractions."""
        n = len(rows)
        M = DomainMatrix({i: {j: QQ(-x.numerator, x.denominator) for j, x in row.items()}
                          for i, row in enumerate(rows)}, (n, n), QQ) + DomainMatrix.eye(n, QQ)
        det = M.det()
        return as_fraction(det)

    # -- multivariate systems and fractions --------------------------------------------------
    def solve_polynomial(self, rows: Sequence[Sequence], ring) -> LazyFractions:
        """x with A x = b over ZZ[gens], for rows [A | b] of ring elements (SymPy's
        ``PolyElement``), each x_i in lowest terms, read as integer terms.

        Sparse fraction-free elimination (:mod:`.bareiss`) gives x_i = N_i / D with
        D = ±det(A); each entry is then cancelled by gcd(N_i, D).
        """
        from .bareiss import numerators_and_determinant
        sparse = [{j: e for j, e in enumerate(row) if e} for row in rows]
        numerators, determinant = numerators_and_determinant(sparse, ring.one, ring_divide)
        return LazyFractions([normalise(num, determinant) for num in numerators], ring_terms)

    # -- univariate factoring and real roots ---------------------------------------------
    def squarefree(self, p: Sequence[int]) -> list[tuple[tuple, int]] | None:
        """Square-free parts with multiplicity, when the backend has them in C (here
        None: :func:`.roots.squarefree_parts` runs Yun's algorithm)."""
        return None

    def factor(self, p: Sequence[int]) -> list[tuple[tuple, int]]:
        """The irreducible factors (primitive) of a non-constant p, with multiplicity."""
        x = sympy.Dummy("x")
        _, factors = sympy.Poly(list(reversed(p)), x, domain="ZZ").factor_list()
        return [(primitive([int(c) for c in reversed(f.all_coeffs())]), m) for f, m in factors]

    def real_root_intervals(self, f: Sequence[int]) -> list[tuple[Fraction, Fraction]]:
        """Isolating intervals of the real roots of a square-free f, ascending."""
        x = sympy.Dummy("x")
        return sorted((as_fraction(lo), as_fraction(hi))
                      for (lo, hi), _ in sympy.Poly(list(reversed(f)), x).intervals())

    def taylor_shift(self, p: Sequence[int]) -> list[int]:
        return taylor_shift(p)

    def taylor_shift_one(self, p: Sequence[int]) -> list[int]:
        """The coefficients of p(x + 1)."""
        out = list(p)
        n = len(out)
        for i in range(n - 1):  # repeated synthetic division: O(n²) additions
            for j in range(n - 2, i - 1, -1):
                out[j] += out[j + 1]
        return out

    def compose_linear(self, p: Sequence[int], a: Fraction, w: Fraction) -> list[int]:
        """p(a + w·x) times a positive integer, with integer coefficients."""
        a, w = Fraction(a), Fraction(w)
        out = [Fraction(0)]
        for c in reversed(p):  # Horner: out ← out·(a + w x) + c
            new = [Fraction(0)] * (len(out) + 1)
            for j, x in enumerate(out):
                new[j] += x * a
                new[j + 1] += x * w
            new[0] += c
            out = new
        out = trim(out)
        import math
        scale = math.lcm(*(x.denominator for x in out))
        return [int(x * scale) for x in out]

    def advantage_numerators(self, values: Mapping, pairs: Sequence) -> list[list[int]] | None:
        """The advantages' numerators over one common denominator, when the backend has
        them in C (here None: the caller takes the general route).

        ``values`` maps each state to its value's integer coefficients ``(n, d)`` in the
        discount; ``pairs`` lists ``(s, outcomes)``, each outcome ``(p, r, k)`` with p and
        r :class:`~fractions.Fraction` s and k the next state (None at a terminal). With
        L = lcm(d_s), each result is the integer numerator of
        Σ p·(r·L + γ·n_k·L/d_k) − n_s·L/d_s, in the order of ``pairs``.
        """
        return None

    def mpoly_context(self, names: Sequence[str]):
        """flint's ``fmpz_mpoly`` context in ``names`` (lex order), when the backend has
        one (here None: SymPy's rings are used)."""
        return None


#: Systems with at most this many entries per row of G on average are solved sparsely.
_SPARSE = 1.25


def _solve_sparse(rows, columns, d) -> list[list[Fraction]]:
    """(I − G)X = B/d by sparse reduced row echelon form (SymPy's SDM over QQ)."""
    n, m = len(rows), len(columns)
    entries = {}
    for i, row in enumerate(rows):
        entry = {j: QQ(-x.numerator, x.denominator) for j, x in row.items()}
        entry[i] = entry.get(i, QQ(0)) + QQ(1)
        for k, col in enumerate(columns):
            if col[i]:
                entry[n + k] = QQ(col[i], d)
        entries[i] = {j: x for j, x in entry.items() if x}
    R, pivots = DomainMatrix(entries, (n, n + m), QQ).rref()
    if len(pivots) < n or pivots[-1] >= n:
        raise _singular()
    out = R.to_sdm()
    return [[as_fraction(x) for x in
             (out.get(i, {}).get(n + k, QQ(0)) for k in range(m))] for i in range(n)]


class FlintBackend(PythonBackend):
    """The same operations with python-flint (``fmpz_poly``, ``fmpq_mat``, ``fmpz_mpoly``)."""

    name = "flint"

    def content(self, p) -> int:
        return int(p.content())

    def integer_gcd(self, a: int, b: int) -> int:
        return int(flint.fmpz(a).gcd(b))  # GMP's subquadratic gcd

    def integer_text(self, n: int) -> str:
        return str(flint.fmpz(n))

    def divide(self, p, c: int):
        return p / c  # exact: flint raises otherwise

    def leading(self, p) -> int:
        return int(p[0]) if p[0] != 0 else int(p[p.degree()])

    def prepare(self, p: list[int]):
        return flint.fmpz_poly(p) if p else p

    def to_list(self, p) -> list[int]:
        return p if isinstance(p, list) else [int(c) for c in p.coeffs()]

    def gcd(self, polys: Sequence) -> list[int]:
        g = self._flint(polys[0])
        for p in polys[1:]:
            if g.degree() <= 0:
                break
            g = g.gcd(self._flint(p))
        if g.degree() <= 0:
            return [1]
        return primitive_gcd([int(c) for c in g.coeffs()])

    @staticmethod
    def _flint(p):
        return flint.fmpz_poly(p) if isinstance(p, list) else p

    def multiply(self, a: list[int], b: list[int]) -> list[int]:
        if not a or not b:
            return []
        return [int(c) for c in (flint.fmpz_poly(a) * flint.fmpz_poly(b)).coeffs()]

    def exquo(self, p, g: list[int]) -> list[int]:
        if len(g) == 1:
            return [int(c) // g[0] for c in self.to_list(p)]
        q, r = divmod(self._flint(p), flint.fmpz_poly(g))
        if r != 0:  # pragma: no cover - g is a gcd of p
            raise ArithmeticError("inexact polynomial division")
        return [int(c) for c in q.coeffs()]

    def shifted(self, p):
        return flint.fmpz_poly(p).left_shift(1) if isinstance(p, list) else p.left_shift(1)

    def combine(self, w: int, p, c: int, d):
        out = p if w == 1 else p * w  # (polynomials are never modified in place)
        if c:
            out = out + self._flint(d) * c
        return out if out != 0 else None

    def scaled(self, p, c: int, content: int = 1):
        p = self._flint(p)
        if content == 1:
            return p if c == 1 else p * c
        return p * c / content

    def reversed_charpoly(self, A_rows):
        n = len(A_rows)
        flat = [0] * (n * n)
        for i, row in enumerate(A_rows):
            for j, a in row:
                flat[i * n + j] = a
        chi = flint.fmpz_mat(n, n, flat).charpoly()  # det(xI − A), monic
        return [int(c) for c in reversed(chi.coeffs())]

    def _fmpq_matrix(self, rows):
        n = len(rows)
        M = flint.fmpq_mat(n, n)
        for i, row in enumerate(rows):
            for j, x in row.items():
                M[i, j] = -flint.fmpq(x.numerator, x.denominator)
            M[i, i] = M[i, i] + 1
        return M

    def _solve_lifted(self, rows, columns, d):
        from .lifting import solve_lifted
        return solve_lifted(rows, columns, d, multiply=_fmpz_products, reduce=_fmpz_fractions)

    def _solve_dense(self, rows, columns, d):
        n = len(rows)
        M = self._fmpq_matrix(rows)
        B = flint.fmpq_mat(n, len(columns))
        for m, col in enumerate(columns):
            for i, c in enumerate(col):
                B[i, m] = flint.fmpq(c, d)
        try:
            X = M.solve(B)
        except ZeroDivisionError:
            raise _singular() from None
        return [[as_fraction(X[i, m]) for m in range(len(columns))]
                for i in range(n)]

    def determinant_rational(self, rows) -> Fraction:
        det = self._fmpq_matrix(rows).det()
        return as_fraction(det)

    @staticmethod
    def _context(ring):
        return flint.fmpz_mpoly_ctx.get(tuple(str(s) for s in ring.symbols), "lex")

    def mpoly_context(self, names):
        return flint.fmpz_mpoly_ctx.get(tuple(names), "lex")

    def solve_polynomial(self, rows, ring) -> LazyFractions:
        """The same with flint's ``fmpz_mpoly``: sparse fraction-free elimination
        (:mod:`.bareiss`), one gcd per entry, and the terms made only when read."""
        from .bareiss import numerators_and_determinant
        ctx = self._context(ring)
        one = ctx.from_dict({(0,) * ring.ngens: 1})
        sparse = [{j: ctx.from_dict({m: int(c) for m, c in e.items()})
                   for j, e in enumerate(row) if e} for row in rows]
        numerators, determinant = numerators_and_determinant(sparse, one, mpoly_divide)
        pairs = []
        for num in numerators:
            if not num:
                pairs.append((num, one))
                continue
            g = num.gcd(determinant)
            pair = (num / g, determinant / g) if not g.is_one() else (num, determinant)
            pairs.append(lowest(*pair, MPOLY))
        return LazyFractions(pairs, read_mpoly)

    def squarefree(self, p):
        """Square-free parts (primitive, positive leading coefficient) with multiplicity,
        by flint's ``factor_squarefree`` (None: use Yun's algorithm in Python)."""
        _, parts = flint.fmpz_poly(list(p)).factor_squarefree()
        out = []
        for f, m in parts:
            if f.degree() < 1:
                continue
            coeffs = [int(c) for c in f.coeffs()]
            out.append((primitive(coeffs if coeffs[-1] > 0 else [-c for c in coeffs]), m))
        return sorted(out, key=lambda part: part[1])

    def factor(self, p):
        _, factors = flint.fmpz_poly(list(p)).factor()
        return [(primitive([int(c) for c in f.coeffs()]), m) for f, m in factors]

    def real_root_intervals(self, f):
        intervals = []
        for z, _ in flint.fmpz_poly(list(f)).complex_roots():
            if z.imag == 0:  # Arb marks the real roots of an integer polynomial exactly
                lo, hi = z.real.lower().man_exp(), z.real.upper().man_exp()
                intervals.append((_dyadic(*lo), _dyadic(*hi)))
        return sorted(intervals)

    def taylor_shift(self, p):
        if not p:
            return []
        return [int(c) for c in flint.fmpz_poly(list(p))(flint.fmpz_poly([1, -1])).coeffs()]

    def taylor_shift_one(self, p):
        return _padded([int(c) for c in flint.fmpz_poly(list(p))(flint.fmpz_poly([1, 1]))
                        .coeffs()], len(p))

    def compose_linear(self, p, a, w):
        a, w = Fraction(a), Fraction(w)
        q = flint.fmpq_poly(list(p))(flint.fmpq_poly([flint.fmpq(a.numerator, a.denominator),
                                                      flint.fmpq(w.numerator, w.denominator)]))
        return [int(c) for c in q.numer().coeffs()]

    def advantage_numerators(self, values, pairs):
        numerators, denominators = {}, {}
        for s, (n, d) in values.items():
            numerators[s], denominators[s] = flint.fmpz_poly(n), flint.fmpz_poly(d)
        common = flint.fmpz_poly([1])
        for d in set(tuple(int(c) for c in d.coeffs()) for d in denominators.values()):
            d = flint.fmpz_poly(list(d))
            common = common * (d / common.gcd(d))
        scaled = {s: numerators[s] * (common / denominators[s]) for s in values}
        gamma = flint.fmpq_poly([0, 1])
        out = []
        for s, outcomes in pairs:
            total = flint.fmpq_poly(-scaled[s])
            for p, r, k in outcomes:
                p = flint.fmpq(p.numerator, p.denominator)
                pr = p * flint.fmpq(r.numerator, r.denominator)
                if pr:
                    total += flint.fmpq_poly(common) * pr
                if k is not None:
                    total += gamma * flint.fmpq_poly(scaled[k]) * p
            out.append([int(c) for c in total.numer().coeffs()] if total != 0 else [])
        return out


def _fmpz_products(D: int, X) -> list[int]:
    """[D·x for x in X] with GMP's multiplication (large integers)."""
    D = flint.fmpz(D)
    return [int(D * x) for x in X]


def _fmpz_fractions(numerators, D: int) -> list[Fraction]:
    """[n/D in lowest terms] with flint's gcd."""
    fD = flint.fmpz(D)
    out = []
    for n in numerators:
        g = int(fD.gcd(n))
        out.append(coprime_fraction(n // g, D // g))
    return out


def coprime_fraction(n: int, d: int) -> Fraction:
    """The Fraction n/d for coprime n and d > 0, without computing their gcd again.

    >>> coprime_fraction(3, 4)
    Fraction(3, 4)
    """
    make = getattr(Fraction, "_from_coprime_ints", None)  # Python >= 3.12
    if make is not None:
        return make(n, d)
    return Fraction(n, d, _normalize=False)  # Python <= 3.11


def _padded(p: list[int], n: int) -> list[int]:
    return p + [0] * (n - len(p))


def _dyadic(mantissa, exponent) -> Fraction:
    mantissa, exponent = int(mantissa), int(exponent)
    return Fraction(mantissa * 2 ** exponent) if exponent >= 0 else \
        Fraction(mantissa, 2 ** -exponent)


_PYTHON = PythonBackend()
_FLINT = FlintBackend() if flint is not None else None


def shift_to_one_minus(p: Sequence[int]) -> list[int]:
    """The coefficients of p(1 − u) in u, exactly, by the fastest backend installed.

    >>> shift_to_one_minus([1, 1])  # 1 + γ = 2 − u
    [2, -1]
    """
    return get_backend().taylor_shift(list(p))
