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
from functools import cached_property, reduce
from typing import Iterable, Mapping, Sequence

import sympy
from sympy import Expr, Symbol
from sympy.polys.domains import QQ, ZZ
from sympy.polys.matrices import DomainMatrix
from sympy.polys.matrices.exceptions import DMNonInvertibleMatrixError
from sympy.polys.rings import PolyElement, PolyRing

try:  # python-flint is a dependency, but the pure route must keep working without it
    import flint
except ImportError:  # pragma: no cover - exercised by forcing backend="python"
    flint = None

__all__ = ["ExactVector", "solve_discounted", "BACKENDS"]

#: The implementations of the Krylov and rational routes that can be asked for.
BACKENDS = ("flint", "python")


def default_backend() -> str:
    return "flint" if flint is not None else "python"


class ExactVector:
    """A vector of rational functions x_i = num_i / den_i in lowest terms.

    Polynomials live in ``ring`` (integer coefficients, generators ``ring.symbols``:
    the discount first when it is a symbol, then the parameters). Each fraction is
    normalised: integer coefficients with no common factor, and a denominator that is
    positive at γ = 0 (univariate) or has a positive leading coefficient.

    ``determinant`` is det(I − γP) itself (value 1 at γ = 0), the shared denominator.
    """

    def __init__(self, ring: PolyRing, numerators: Sequence[PolyElement],
                 denominators: Sequence[PolyElement], determinant, method: str):
        self.ring = ring
        self.numerators = tuple(numerators)
        self.denominators = tuple(denominators)
        self._determinant = determinant
        self.method = method

    def __len__(self) -> int:
        return len(self.numerators)

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
        num, den = self.numerators[i], self.denominators[i]
        if den == 1:
            return num.as_expr()
        return sympy.Mul(num.as_expr(), sympy.Pow(den.as_expr(), -1))

    def fraction(self, i: int) -> tuple[PolyElement, PolyElement]:
        return self.numerators[i], self.denominators[i]


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


# -- the Krylov route ------------------------------------------------------------------------
def _krylov_integer(A_rows: Sequence[Mapping[int, int]], columns: Sequence[Sequence[int]],
                    backend: str):
    """D(t) = det(I − tA) and N_m(t) = D(t)·Σ_{k<n} t^k A^k ρ_m mod t^n (integer lists).

    Returns (D, [per column: per state: coefficient list]) with coefficient lists in
    increasing powers of t.
    """
    n = len(A_rows)
    if backend == "flint":
        dense = flint.fmpz_mat(n, n)
        for i, row in enumerate(A_rows):
            for j, a in row.items():
                dense[i, j] = a
        chi = dense.charpoly()                      # det(xI − A), degree n, monic
        coeffs = [int(c) for c in chi.coeffs()]     # increasing powers of x
        D = flint.fmpz_poly(list(reversed(coeffs)))  # det(I − tA) = t^n χ(1/t)
        result = []
        for rho in columns:
            # Krylov block: column k is A^k ρ, computed by dense matrix products in C.
            K = flint.fmpz_mat(n, n)
            w = flint.fmpz_mat(n, 1, list(rho))
            for k in range(n):
                for i in range(n):
                    K[i, k] = w[i, 0]
                if k + 1 < n:
                    w = dense * w
            per_state = []
            for i in range(n):
                series = flint.fmpz_poly([K[i, k] for k in range(n)])
                per_state.append(D.mul_low(series, n))
            result.append(per_state)
        return D, result
    # pure Python: SymPy's charpoly over ZZ, then dense integer lists
    dm = DomainMatrix({i: {j: ZZ(a) for j, a in row.items() if a} for i, row in enumerate(A_rows)},
                      (n, n), ZZ)
    chi = [int(c) for c in dm.charpoly()]           # decreasing powers of x, monic
    D = chi                                         # increasing powers of t: reversed of reversed
    result = []
    for rho in columns:
        K = []
        w = list(rho)
        for k in range(n):
            K.append(w)
            if k + 1 < n:
                w = [sum(a * w[j] for j, a in row.items()) for row in A_rows]
        per_state = []
        for i in range(n):
            series = [K[k][i] for k in range(n)]
            N = [0] * n
            for a_deg, a in enumerate(D[:n]):
                if a:
                    for b_deg in range(n - a_deg):
                        s = series[b_deg]
                        if s:
                            N[a_deg + b_deg] += a * s
            per_state.append(N)
        result.append(per_state)
    return D, result


def _int_coeffs(p) -> list[int]:
    """Coefficients in increasing powers, from a flint poly or a list."""
    return [int(c) for c in p.coeffs()] if not isinstance(p, list) else list(p)


def _gcd_int_poly(polys: Iterable[list[int]], backend: str) -> list[int]:
    polys = [p for p in polys if any(p)]
    if backend == "flint":
        g = reduce(lambda a, b: a.gcd(b), (flint.fmpz_poly(p) for p in polys))
        return [int(c) for c in g.coeffs()]
    from sympy.polys.densebasic import dup_reverse
    from sympy.polys.euclidtools import dup_gcd
    g = reduce(lambda a, b: dup_gcd(a, b, ZZ), (dup_reverse([ZZ(c) for c in p]) for p in polys))
    return [int(c) for c in reversed(g)]


def _exquo_int_poly(p: list[int], g: list[int], backend: str) -> list[int]:
    if len(g) == 1 and g[0] in (1, -1):
        return [c * g[0] for c in p]
    if backend == "flint":
        q, r = divmod(flint.fmpz_poly(p), flint.fmpz_poly(g))
        assert r == 0
        return [int(c) for c in q.coeffs()]
    from sympy.polys.densearith import dup_exquo
    from sympy.polys.densebasic import dup_reverse
    q = dup_exquo(dup_reverse([ZZ(c) for c in p]), dup_reverse([ZZ(c) for c in g]), ZZ)
    return [int(c) for c in reversed(q)]


def _trim(p: list[int]) -> list[int]:
    while p and p[-1] == 0:
        p = p[:-1]
    return p


def _krylov(P_rows, r, gamma_symbol: Symbol, params: Sequence[Symbol], backend: str):
    parts = _polynomial_parts(r, params)
    if parts is None:
        return None
    monomials, columns, d = parts
    n = len(P_rows)
    L = reduce(math.lcm, (int(x.q) for row in P_rows for x in row.values()), 1)
    A_rows = [{j: int(x * L) for j, x in row.items() if x != 0} for row in P_rows]
    D, per_column = _krylov_integer(A_rows, columns, backend)
    D = _trim(_int_coeffs(D))
    ring = PolyRing((gamma_symbol, *params), ZZ)
    numerators, denominators = [], []
    for i in range(n):
        parts_i = [_trim(_int_coeffs(per_column[m][i])) for m in range(len(monomials))]
        g = _gcd_int_poly([D, *parts_i], backend) if any(map(any, parts_i)) else None
        if g is None:
            numerators.append(ring.zero)
            denominators.append(ring.one)
            continue
        den_t = _exquo_int_poly(D, g, backend)
        nums_t = [_exquo_int_poly(p, g, backend) if p else [] for p in parts_i]
        # back from t = γ/L to γ: multiply numerator and denominator by d·L^deg
        deg = max(len(den_t), *(len(p) for p in nums_t)) - 1
        den_terms = {(j, *[0] * len(params)): c * d * L ** (deg - j)
                     for j, c in enumerate(den_t) if c}
        num_terms: dict = {}
        for m, p in zip(monomials, nums_t):
            for j, c in enumerate(p):
                if c:
                    num_terms[(j, *m)] = num_terms.get((j, *m), 0) + c * L ** (deg - j)
        num, den = _normalise(ring.from_dict(num_terms), ring.from_dict(den_terms))
        numerators.append(num)
        denominators.append(den)
    determinant = lambda: sympy.Add(*[sympy.Rational(c, L ** j) * gamma_symbol ** j  # noqa: E731
                                      for j, c in enumerate(D) if c])
    return ExactVector(ring, numerators, denominators, determinant, f"krylov-{backend}")


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
def _fraction_free(P_rows, r, discount: Expr, gens: Sequence[Symbol]):
    n = len(P_rows)
    ring = PolyRing(tuple(gens), ZZ) if gens else PolyRing(("_",), ZZ)
    rows, rhs = [], []
    for i, row in enumerate(P_rows):
        entries = [(sympy.Integer(1) if i == j else sympy.Integer(0)) - discount * row.get(j, 0)
                   for j in range(n)] + [r[i]]
        cleared, _ = _clear_row(entries, gens)
        # clear rational coefficients too, so the row lives in ZZ[gens]
        qring = PolyRing(tuple(gens), QQ) if gens else None
        polys = [qring.from_expr(e) if gens else QQ.from_sympy(e) for e in cleared]
        den = reduce(math.lcm, (int(c.denominator) for p in polys
                                for c in (p.coeffs() if gens else [p])), 1)
        ints = [ring.from_dict({m: int(c * den) for m, c in p.to_dict().items()}) if gens
                else ring(int(p * den)) for p in polys]
        rows.append(ints[:-1])
        rhs.append([ints[-1]])
    dom = ring.to_domain()
    A = DomainMatrix(rows, (n, n), dom)
    b = DomainMatrix(rhs, (n, 1), dom)
    try:
        xnum, xden = A.solve_den(b)
    except DMNonInvertibleMatrixError as exc:
        raise ZeroDivisionError("singular") from exc
    numerators, denominators = [], []
    for i in range(n):
        num, den = _normalise(xnum[i, 0].element, xden)
        numerators.append(num)
        denominators.append(den)

    def determinant():
        M = sympy.eye(n) - discount * sympy.Matrix(n, n, lambda i, j: P_rows[i].get(j, 0))
        return sympy.factor(DomainMatrix.from_Matrix(M).det())
    return ExactVector(ring, numerators, denominators, determinant, "fraction-free")


def solve_discounted(P_rows: Sequence[Mapping[int, Expr]], r: Sequence[Expr], discount: Expr,
                     params: Sequence[Symbol] = (), *, backend: str | None = None) -> ExactVector:
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
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    if backend == "flint" and flint is None:
        raise ValueError("backend 'flint' needs python-flint installed")
    params = tuple(params)
    P_rows = [{j: sympy.sympify(x) for j, x in row.items() if x != 0} for row in P_rows]
    r = [sympy.sympify(x) for x in r]
    numeric_P = all(x.is_Rational for row in P_rows for x in row.values())
    used = set().union(*(x.free_symbols for x in r)) if r else set()
    params_r = tuple(p for p in params if p in used)
    result = None
    if numeric_P and isinstance(discount, Symbol):
        result = _krylov(P_rows, r, discount, params_r, backend)
    elif numeric_P and discount.is_Rational:
        result = _rational(P_rows, r, discount, params_r, backend)
    if result is None:
        gens = ([discount] if isinstance(discount, Symbol) else []) + [
            p for p in params if p != discount]
        used |= set().union(*(x.free_symbols for row in P_rows for x in row.values()))
        gens = [g for g in gens if g in used or g == discount]
        result = _fraction_free(P_rows, r, discount, gens)
    return result
