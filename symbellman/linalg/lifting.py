"""Exact sparse solves at a numeric discount by numeric–symbolic (dyadic) lifting.

(I − G)x = b with G a sparse matrix of rationals is solved exactly without a dense
n × n elimination (whose cost grows as n³). With L_i the lcm of the denominators of
row i of G, A = diag(L_i)(I − G) is a sparse integer matrix. Each step solves A y ≈ r in floating point
(restarted GMRES, a sparse mat-vec per iteration), rounds x_i = round(2^s y) and takes
the exact integer residual r ← 2^s r − A x_i (NumPy ``int64``, checked against
overflow). After k steps X = Σ x_i 2^(S − S_(i+1)) satisfies A X = 2^S b − r exactly,
so X / 2^S is within ‖A⁻¹‖·|r| / 2^S of the solution. The common denominator of all
entries is then found once (continued fractions, one entry at a time, each extending
the denominator found so far), every numerator is a rounding, and A·N = D·b is checked
exactly: the floats only guide, the answer is proved.

The route applies when G has non-negative entries and every row sums to less than 1
(γ < 1 and a sub-stochastic P): I − G is then strictly diagonally dominant, hence
invertible, with ‖(I − G)⁻¹‖∞ ≤ 1/(1 − g) for g the largest row sum; this bound makes
the error of X / 2^S rigorous. Elsewhere :func:`solve_lifted` returns None and the
caller keeps its dense elimination.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np

__all__ = ["solve_lifted", "applies", "LIFT_MIN_STATES"]

#: Systems with fewer unknowns are left to the dense solve (faster there).
LIFT_MIN_STATES = 300
#: The largest entry of A = L(I − G) and of L·b the route accepts (int64 headroom).
_ENTRY_LIMIT = 2 ** 24
_RHS_LIMIT = 2 ** 40
_INT64_SAFE = 2 ** 62


class _Sparse:
    """A square integer matrix in compressed rows, every row holding its diagonal."""

    def __init__(self, n: int, entries: list[dict[int, int]]):
        indptr, cols, vals = [0], [], []
        for i, row in enumerate(entries):
            row = dict(row)
            row.setdefault(i, 0)  # no empty row: np.add.reduceat needs one entry each
            for j in sorted(row):
                cols.append(j)
                vals.append(row[j])
            indptr.append(len(cols))
        self.n = n
        self.starts = np.array(indptr[:-1], dtype=np.int64)
        self.cols = np.array(cols, dtype=np.int64)
        self.ivals = np.array(vals, dtype=np.int64)
        self.fvals = self.ivals.astype(np.float64)
        self.diag = np.array([row.get(i, 0) for i, row in enumerate(entries)], dtype=np.float64)
        self.norm = int(np.add.reduceat(np.abs(self.ivals), self.starts).max())  # ‖A‖∞

    def fmul(self, x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(self.fvals * x[self.cols], self.starts)

    def imul(self, x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(self.ivals * x[self.cols], self.starts)

    def omul(self, x: list[int]) -> list[int]:
        """A·x for Python integers, exactly."""
        cols, vals, starts = self.cols.tolist(), self.ivals.tolist(), self.starts.tolist()
        ends = starts[1:] + [len(cols)]
        return [sum(vals[k] * x[cols[k]] for k in range(a, b)) for a, b in zip(starts, ends)]


def _gmres(A: _Sparse, b: np.ndarray, tol: float = 1e-13, restart: int = 40,
           cycles: int = 10) -> np.ndarray:
    """An approximate solution of A y = b (Jacobi-scaled restarted GMRES, floats)."""
    scale = 1.0 / A.diag
    rhs = b * scale
    target = tol * float(np.linalg.norm(rhs))
    y = rhs.copy()  # I − G is close to I: the right-hand side is a fair start
    for _ in range(cycles):
        r = rhs - A.fmul(y) * scale
        beta = float(np.linalg.norm(r))
        if beta <= target or beta == 0.0:
            break
        V = np.empty((restart + 1, A.n))
        H = np.zeros((restart + 1, restart))
        cs, sn = np.zeros(restart), np.zeros(restart)
        g = np.zeros(restart + 1)
        g[0] = beta
        V[0] = r / beta
        k = 0
        for j in range(restart):
            w = A.fmul(V[j]) * scale
            basis = V[:j + 1]
            # classical Gram–Schmidt, twice; einsum's own loops rather than BLAS, whose
            # threads only wait on each other (and on a busy machine) at these sizes
            h = np.einsum("ij,j->i", basis, w)
            w -= np.einsum("i,ij->j", h, basis)
            h2 = np.einsum("ij,j->i", basis, w)
            w -= np.einsum("i,ij->j", h2, basis)
            h += h2
            norm = float(np.linalg.norm(w))
            for i in range(j):  # the previous Givens rotations
                h[i], h[i + 1] = cs[i] * h[i] + sn[i] * h[i + 1], -sn[i] * h[i] + cs[i] * h[i + 1]
            rho = math.hypot(h[j], norm)
            cs[j], sn[j] = (h[j] / rho, norm / rho) if rho else (1.0, 0.0)
            h[j] = rho
            H[:j + 1, j] = h
            g[j + 1] = -sn[j] * g[j]
            g[j] = cs[j] * g[j]
            k = j + 1
            if abs(g[j + 1]) <= target or norm <= 1e-300:
                break
            V[j + 1] = w / norm
        z = np.linalg.solve(np.triu(H[:k, :k]), g[:k]) if k else np.zeros(0)
        y = y + np.einsum("i,ij->j", z, V[:k])
    return y


def _nearest_denominator(t: int, shift: int, tolerance: int) -> int | None:
    """The denominator q of the first convergent p/q of t/2^shift with
    |t/2^shift − p/q| ≤ tolerance/2^shift, or None when the precision cannot tell it
    (2·tolerance·q² ≥ 2^shift: another fraction as close could exist)."""
    M = 1 << shift
    a, b = t, M
    q0, q1 = 1, 0  # the denominators of the convergents p_(j-2)/q_(j-2), p_(j-1)/q_(j-1)
    while b:
        c, rest = divmod(a, b)
        q0, q1 = q1, c * q1 + q0
        if rest <= tolerance * q1:  # |t·q − p·2^shift| is the next remainder
            break
        a, b = b, rest
    if 2 * tolerance * q1 * q1 >= M:
        return None
    return q1


def _combine(digits: list[np.ndarray], shifts: list[int]) -> tuple[list[int], int]:
    """Σ x_i·2^(S − S_(i+1)) for the digits x_i and their shifts, with S = Σ shifts,
    by pairwise joining (balanced sizes), as Python integers."""
    parts = [(x.astype(object), s) for x, s in zip(digits, shifts)]
    while len(parts) > 1:
        joined = []
        for k in range(0, len(parts) - 1, 2):
            (a, sa), (b, sb) = parts[k], parts[k + 1]
            joined.append((a * (1 << sb) + b, sa + sb))
        if len(parts) % 2:
            joined.append(parts[-1])
        parts = joined
    value, total = parts[0]
    return list(value), total


def products(D: int, X: Sequence[int]) -> list[int]:
    """[D·x for x in X] (the backend may give a faster one, same results)."""
    return [D * x for x in X]


def fractions(numerators: Sequence[int], D: int) -> list[Fraction]:
    """[n/D in lowest terms for n in numerators] (the backend may give a faster one)."""
    return [Fraction(n, D) for n in numerators]


def _reconstruct(A: _Sparse, b: list[int], X: list[int], shift: int, error: int,
                 multiply=products) -> tuple[list[int], int] | None:
    """(N, D) with A·N = D·b and x = N/D, from |x·2^shift − X| ≤ error, or None when
    more precision is needed."""
    D = 1
    mask = (1 << shift) - 1
    half = 1 << (shift - 1)
    start = 0
    while start < len(X):
        extended = False
        for i, t in enumerate(X[start:] if D == 1 else multiply(D, X[start:]), start):
            rest = t & mask  # t − 2^shift·floor(t / 2^shift)
            if min(rest, mask + 1 - rest) <= D * error:
                continue  # D·x_i is (as far as this precision tells) an integer
            e = _nearest_denominator(t, shift, D * error)
            if e is None:
                return None
            D *= e
            if D * error * 2 >= half:
                return None
            start, extended = i + 1, True
            break
        if not extended:
            break
    N = [(t + half) >> shift for t in multiply(D, X)]
    if A.omul(N) != [D * x for x in b]:
        return None
    return N, D


def applies(rows: Sequence[dict]) -> bool:
    """Whether :func:`solve_lifted` takes (I − G)x = b, read from G's shape alone: enough
    unknowns, sparse rows, entries ≥ 0 with row sums below 1, and small denominators.
    (It may still give the system back to the dense solve, rarely: when the right-hand
    side is huge or the floats make no progress.) :mod:`symbellman.solve.budget` asks it
    which route a solve will take.

    >>> from fractions import Fraction
    >>> ring = [{(i + 1) % 400: Fraction(9, 10)} for i in range(400)]
    >>> applies(ring), applies(ring[:100]), applies([{0: Fraction(1)}] * 400)
    (True, False, False)
    """
    return _row_scales(rows) is not None


def _row_scales(rows: Sequence[dict]) -> tuple[list[int], Fraction] | None:
    """Each row's lcm of denominators L_i and the largest row sum, or None when the
    route does not apply to G's shape."""
    n = len(rows)
    if n < LIFT_MIN_STATES or sum(len(r) for r in rows) > 16 * n:
        return None
    scales = []  # each row times the lcm of its denominators: integers
    largest = Fraction(0)
    for row in rows:
        total, L = Fraction(0), 1
        for x in row.values():
            if x < 0:
                return None
            total += x
            L = math.lcm(L, x.denominator)
        largest = max(largest, total)
        if L > _ENTRY_LIMIT:
            return None
        scales.append(L)
    if largest >= 1:
        return None
    return scales, largest


def solve_lifted(rows: Sequence[dict], columns: Sequence[Sequence[int]], d: int, *,
                 multiply=products, reduce=fractions) -> list[list[Fraction]] | None:
    """X with (I − G)X = B/d exactly, for G given by ``rows`` of Fractions, or None
    when the route does not apply (small, dense, not diagonally dominant, huge
    entries, or the floats make no progress). ``multiply`` and ``reduce`` do the
    large integer work (:func:`products`, :func:`fractions`; a backend may pass its own).

    Each x_i is returned as a Fraction in lowest terms (one list per row), the same
    values as a dense elimination gives.

    >>> rows = [{1: Fraction(1, 2)}, {0: Fraction(1, 4), 1: Fraction(1, 4)}]
    >>> solve_lifted(rows, [[1, 1]], 1, )  # too small: left to the dense solve
    >>> import symbellman.linalg.lifting as lifting
    >>> lifting.LIFT_MIN_STATES, saved = 1, lifting.LIFT_MIN_STATES
    >>> lifting.solve_lifted(rows, [[1, 1]], 1)  # x0 = 1 + x1/2, x1 = 1 + x0/4 + x1/4
    [[Fraction(2, 1)], [Fraction(2, 1)]]
    >>> lifting.LIFT_MIN_STATES = saved
    """
    n = len(rows)
    scaled = _row_scales(rows)
    if scaled is None:
        return None
    scales, largest = scaled
    entries = []
    for i, (row, L) in enumerate(zip(rows, scales)):
        entry = {j: -(x.numerator * (L // x.denominator)) for j, x in row.items()}
        entry[i] = entry.get(i, 0) + L
        entries.append(entry)
    A = _Sparse(n, entries)
    if A.norm > _ENTRY_LIMIT:
        return None
    # A = Λ(I − G) with Λ = diag(L_i): ‖A⁻¹‖∞ ≤ 1/(min L_i·(1 − g)), the error bound
    # of the lifted approximation
    inverse_bound = 1 / (min(scales) * (1 - largest))
    # log2 det A ≤ n·log2 ‖A‖∞ bounds the denominator; most need far fewer bits, so the
    # first attempt to reconstruct comes at a part of that, then every 10 % more bits
    # (a failed attempt is cheap: the first continued fraction stops early)
    start_bits = max(1024, int(0.6 * n * math.log2(A.norm)))
    out: list[list[Fraction]] = [[] for _ in range(n)]
    for col in columns:
        b = [L * c for L, c in zip(scales, col)]
        if max(map(abs, b), default=0) > _RHS_LIMIT:
            return None
        solved = _lift_column(A, b, inverse_bound, multiply, start_bits)
        if solved is None:
            return None
        N, D = solved
        for i, x in enumerate(reduce(N, D * d)):
            out[i].append(x)
    return out


def _lift_column(A: _Sparse, b: list[int], inverse_bound: Fraction, multiply, start_bits: int
                 ) -> tuple[list[int], int] | None:
    r = np.array(b, dtype=np.int64)
    # the residual stays below ‖A‖ times a few (a large right-hand side first comes
    # down to 2^32, in steps of fewer bits)
    cap = max(min(int(np.abs(r).max()), 2 ** 32), 4 * A.norm, 1)
    digits: list[np.ndarray] = []
    shifts: list[int] = []
    X: list[int] = [0] * A.n
    done_shift, done_digits = 0, 0
    s, total, attempt = 40, 0, start_bits
    while True:
        y = _gmres(A, r.astype(np.float64))
        s = min(s + 2, 52)  # as many bits as the floats give: try more, back off
        while True:
            if s < 4:
                return None  # the floats make no progress: leave it to the dense solve
            x = np.rint(y * float(1 << s))
            if (float(1 << s) * float(np.abs(r).max()) + A.norm * float(np.abs(x).max())
                    >= _INT64_SAFE):
                s -= 2
                continue
            x = x.astype(np.int64)
            new = (r << s) - A.imul(x)
            if int(np.abs(new).max()) <= cap:
                break
            s -= 2
        digits.append(x)
        shifts.append(s)
        total += s
        r = new
        if not r.any():
            attempt = total  # exact already
        if total < attempt:
            continue
        block, block_shift = _combine(digits[done_digits:], shifts[done_digits:])
        X = [(a << block_shift) + c for a, c in zip(X, block)] if done_shift else block
        done_shift, done_digits = total, len(digits)
        error = math.ceil(inverse_bound * int(np.abs(r).max())) + 1
        found = _reconstruct(A, b, X, total, error, multiply)
        if found is not None:
            N, D = found
            return N, D
        attempt = total + max(total // 10, 256)
