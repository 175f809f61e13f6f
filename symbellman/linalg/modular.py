"""Word-size prime arithmetic for the Krylov route: a short denominator, and coprimality.

:func:`annihilator_candidate` finds a short denominator for (I − tA)^{-1} ρ, the
annihilator of ρ, modulo primes; :func:`coprime_numerators` proves cheaply that a numerator
shares no factor with it.

For an integer matrix A and vector ρ, the Krylov sequence ρ, Aρ, A²ρ, ... satisfies a
linear recurrence whose polynomial μ (monic, in integers: it divides the
characteristic polynomial) is usually much cheaper to find than det(I − tA), which
costs a dense O(n³) characteristic polynomial per prime. Here μ comes from the scalar
sequence s_k = u·A^kρ for a fixed random integer u: in each of a few word-size primes,
2n terms (one sparse mat-vec per term, all primes at once with NumPy) and the
extended Euclidean algorithm (Berlekamp–Massey) on flint's ``nmod_poly``; the
coefficients are joined by the Chinese remainder theorem until they stop changing.

The result is only a candidate: the caller checks exactly that it annihilates ρ
(:func:`~symbellman.linalg.krylov.krylov_numerators` gets the check for free) and
falls back to the characteristic polynomial if it does not.
"""

from __future__ import annotations

import random
from typing import Sequence

import numpy as np

__all__ = ["annihilator_candidate", "coprime_numerators", "prime_for"]

#: Rows of A may sum to at most this (weights are read as repeated indices).
_MAX_ROW_SUM = 64


def _primes(bits: int):
    """Primes below 2**bits, descending (flint's primality test)."""
    from .ground import flint

    candidate = (1 << bits) - 1
    while True:
        if flint.fmpz(candidate).is_prime():
            yield candidate
        candidate -= 2


def _reversed_minimal_polynomial(sequence: Sequence[int], p: int, n: int) -> list[int] | None:
    """Λ(t) with Λ(0) = 1 and Λ·S ≡ Ω mod t^(2n), deg Ω < n, for S = Σ s_k t^k mod p.

    The extended Euclidean algorithm on (t^(2n), S) stopped at the first remainder of
    degree below n (Berlekamp–Massey); None when Λ(0) ≡ 0 (a degenerate prime).
    """
    from .ground import flint

    r0, r1 = flint.nmod_poly([0] * (2 * n) + [1], p), flint.nmod_poly(list(sequence), p)
    v0, v1 = flint.nmod_poly([0], p), flint.nmod_poly([1], p)
    while r1.degree() >= n:
        q, r = divmod(r0, r1)
        r0, r1 = r1, r
        v0, v1 = v1, v0 - q * v1
    coefficients = [int(c) for c in v1.coeffs()]
    if not coefficients or coefficients[0] == 0:
        return None
    inverse = pow(coefficients[0], -1, p)
    return [c * inverse % p for c in coefficients]


def annihilator_candidate(A_rows: Sequence[Sequence[tuple[int, int]]],
                          rho: Sequence[int], seed: int = 0) -> list[int] | None:
    """Candidate integer coefficients of Λ(t) = t^deg μ(1/t), increasing powers, Λ(0) = 1.

    Returns None when this route does not apply (negative or large weights in A, or no
    stable result within a coefficient size bound); the caller then takes the
    characteristic polynomial.

    Examples
    --------
    A 2-cycle swaps the two entries: ρ = (1, 1) is fixed, so Λ = 1 − t, while
    det(I − tA) = 1 − t²:

    >>> annihilator_candidate([[(1, 1)], [(0, 1)]], [1, 1])
    [1, -1]
    >>> annihilator_candidate([[(1, 1)], [(0, 1)]], [1, 0])
    [1, 0, -1]
    """
    n = len(A_rows)
    columns = _index_columns(A_rows)
    if columns is None or not any(rho):
        return None
    width = len(columns)
    # coefficients of det(xI − A): |c_k| ≤ C(n, k)·width^k, so below (1 + width)^n
    bound_bits = n * (1 + width).bit_length() + 2
    u_max = (1 << 10) - 1
    # width·p and n·u_max·p must stay below 2^62
    bits = 62 - max(width, n * u_max).bit_length()
    rng = random.Random(seed)
    u = np.array([rng.randint(1, u_max) for _ in range(n)], dtype=np.int64)
    primes_iter = _primes(bits)
    result, modulus, stable = None, 1, 0
    batch = 8
    while modulus.bit_length() <= bound_bits + bits:
        primes = [next(primes_iter) for _ in range(batch)]
        for p, sequence in zip(primes, _sequences(columns, rho, u, primes)):
            lam = _reversed_minimal_polynomial(sequence, p, n)
            if lam is None:
                continue
            if result is None or len(lam) > len(result):  # earlier primes were unlucky
                result, modulus, stable = [_symmetric(c, p, p // 2) for c in lam], p, 0
                continue
            if len(lam) < len(result):
                continue
            inverse = pow(modulus, -1, p)
            corrections = [(b - a) * inverse % p for a, b in zip(result, lam)]
            modulus *= p
            if any(corrections):  # the symmetric residues modulo the new modulus
                half = modulus // 2
                result = [_symmetric(a + (modulus // p) * c, modulus, half)
                          for a, c in zip(result, corrections)]
                stable = 0
            else:
                stable += 1
            if stable == 2:  # two more primes changed nothing
                return result
        batch = 16
    return None


def _index_columns(A_rows) -> list | None:
    """A as ``width`` index arrays, Σ_c y[columns[c]] = A y (a weight a is a repeated
    index; padding reads slot n, kept 0), or None for weights that are not small
    positive integers."""
    n = len(A_rows)
    if n == 0 or any(a <= 0 for row in A_rows for _, a in row):
        return None
    width = max(sum(a for _, a in row) for row in A_rows)
    if not 0 < width <= _MAX_ROW_SUM:
        return None
    index = np.full((n, width), n, dtype=np.int64)
    for i, row in enumerate(A_rows):
        flat = [j for j, a in row for _ in range(a)]
        index[i, :len(flat)] = flat
    return [index[:, c].copy() for c in range(width)]


def _symmetric(c: int, modulus: int, half: int) -> int:
    c %= modulus
    return c - modulus if c > half else c


def _sequences(columns, rho, u, primes: list[int]) -> list[list[int]]:
    """s_k = u·A^kρ mod p for k < 2n, per prime (A read as ``columns`` of indices)."""
    n = len(rho)
    ps = np.array(primes, dtype=np.int64)
    y = np.zeros((n + 1, len(primes)), dtype=np.int64)  # row n stays 0 (padding)
    y[:n] = np.array([[int(c) % p for p in primes] for c in rho], dtype=np.int64)
    sequence = np.empty((2 * n, len(primes)), dtype=np.int64)
    for k in range(2 * n):
        sequence[k] = (u @ y[:n]) % ps
        total = y[columns[0]]
        for column in columns[1:]:
            total += y[column]
        total %= ps
        y[:n] = total
    return sequence.T.tolist()


def prime_for(lead: int) -> int:
    """A word-size prime that does not divide ``lead`` (not 0)."""
    if lead == 0:
        raise ValueError("every prime divides 0")
    for p in _primes(30):  # gcds modulo a 30-bit prime are faster than at 62 bits
        if lead % p:
            return p


def coprime_numerators(A_rows, rho: Sequence[int], D: Sequence[int]) -> list[bool] | None:
    """Per state i, True only if gcd(D, N_i) = 1 over the integers, or None (no test).

    N_i are the Krylov numerators of :func:`~symbellman.linalg.krylov.krylov_numerators`
    for the denominator D (integer coefficients, increasing powers, D(0) = ±1): their
    Horner recurrence y_j = A y_{j−1} + c_j ρ is run modulo a word-size prime p that
    does not divide D's leading coefficient (:func:`prime_for`), for all states at
    once, and each gcd is taken with flint's ``nmod_poly``. A common factor g of D and
    N_i has g(0) = ±1 and keeps its degree modulo p (its leading coefficient divides
    D's), so it would divide both reductions: a constant gcd modulo p proves that
    there is none. False means "maybe not": the caller then takes the exact gcd.

    A 2-cycle with ρ = (1, 1): x = (1, 1)/(1 − t) in lowest terms; with
    D = det(I − tA) = 1 − t², both numerators 1 + t share a factor with it:

    >>> A = [[(1, 1)], [(0, 1)]]
    >>> coprime_numerators(A, [1, 1], [1, -1])
    [True, True]
    >>> coprime_numerators(A, [1, 1], [1, 0, -1])
    [False, False]
    """
    from .ground import flint

    columns = _index_columns(A_rows)
    D = list(D)
    while D and D[-1] == 0:
        D.pop()
    if columns is None or len(D) < 2 or abs(D[0]) != 1:
        return None
    n = len(A_rows)
    p = prime_for(D[-1])
    rho_mod = np.array([int(c) % p for c in rho], dtype=np.int64)
    D_mod = [c % p for c in D] + [0] * max(0, n + 1 - len(D))
    y = np.zeros(n + 1, dtype=np.int64)
    y[:n] = rho_mod
    rows = np.empty((n, n), dtype=np.int64)  # coefficient j of every numerator
    rows[0] = rho_mod
    for j in range(1, n):
        total = y[columns[0]]
        for column in columns[1:]:
            total += y[column]
        total += D_mod[j] * rho_mod
        total %= p
        y[:n] = total
        rows[j] = total
    D_p = flint.nmod_poly(list(D_mod), p)
    return [D_p.gcd(flint.nmod_poly(column, p)).degree() <= 0 for column in rows.T.tolist()]
