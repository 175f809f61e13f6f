"""Sparse fraction-free (Bareiss) elimination: A x = b over a polynomial ring, as N/D.

Bareiss's elimination keeps every entry a minor of A by dividing each update by the
previous pivot, so nothing grows past its reduced size; but it also rescales every row
at every step, and on a sparse system (a ring of states, a grid) those rescaled rows
are the big ones. Here a row that a step does not touch is left as it is, and the
factor by which it differs from its Bareiss row is kept as a product of powers of
the leading minors M_t (M_0 = 1, M_{t+1} the t-th pivot). An update divides by a
minor only when the bookkeeping says that Bareiss would, and products of minors that
cancel are never formed. The determinant D = ±det(A) comes out of the same
bookkeeping, and back substitution gives the numerators N_i = D·x_i with one exact
division per entry (Cramer's rule makes each N_i a polynomial, whatever the scaling
of the rows).

The algorithm is written over any ring whose elements support ``+``, ``-``, ``*``,
``len`` (a size to choose small pivots by) and truth testing; the caller passes an
exact division. python-flint's ``fmpz_mpoly`` and SymPy's ``PolyElement`` both fit.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Mapping, Sequence

from ..core.errors import SingularSystem

__all__ = ["numerators_and_determinant"]


def numerators_and_determinant(rows: Sequence[Mapping[int, object]], one,
                               divide: Callable[[object, object], object | None]
                               ) -> tuple[list, object]:
    """x with A x = b as numerators N and one denominator D = ±det(A): x_i = N_i / D.

    Parameters
    ----------
    rows : sequence of mappings
        Row ``i`` of [A | b] as ``{column: nonzero element}``; column ``n`` (the number
        of rows) is b.
    one : ring element
        The ring's 1.
    divide : callable
        ``divide(a, b)`` is a / b when b divides a, else None.

    Returns
    -------
    (list, element)
        N_0, ..., N_{n−1} and D. Neither is cancelled: the caller divides out gcd(N_i, D).

    Raises
    ------
    SingularSystem
        When A is singular.

    Examples
    --------
    x = 1 + p·y and y = 2 + p·x over ZZ[p] (SymPy's ring):

    >>> from sympy.polys.rings import ring
    >>> from sympy.polys.domains import ZZ
    >>> R, p = ring("p", ZZ)
    >>> N, D = numerators_and_determinant([{0: R(1), 1: -p, 2: R(1)},
    ...                                    {0: -p, 1: R(1), 2: R(2)}], R.one,
    ...                                   lambda a, b: a.exquo(b))
    >>> N, D
    ([2*p + 1, p + 2], -p**2 + 1)

    Substituted back, x − p·y = 1 and y − p·x = 2 (times D):

    >>> N[0] - p * N[1] == D, N[1] - p * N[0] == 2 * D
    (True, True)
    """
    n = len(rows)
    # each remaining row: [entries, level, exponents]; its Bareiss row after step k is
    # entries · M_k / M_level · Π M_t^exponents[t]
    remaining = [[dict(row), 0, Counter()] for row in rows]
    pivots: list = []  # (pivot row's entries, level, exponents) of each step
    minors: dict = {0: one}

    def minor(t: int):
        """M_t as a ring element, made from the pivot of step t − 1 on first use."""
        if t not in minors:
            entries, level, exponents = pivots[t - 1]
            powers = Counter(exponents)
            powers[t - 1] += 1
            powers[level] -= 1
            minors[t] = _times(entries[t - 1], powers, minor, divide)
        return minors[t]

    for k in range(n):
        candidates = [row for row in remaining if k in row[0]]
        if not candidates:
            raise SingularSystem("I − γP is singular")
        # the pivot row goes into every update of this step: the one with fewest terms
        pivot = min(candidates, key=lambda row: sum(map(len, row[0].values())))
        remaining = [row for row in remaining if row is not pivot]
        p_entries, p_level, p_exponents = pivot
        head = p_entries[k]
        for row in remaining:
            entries, level, exponents = row
            if k not in entries:
                continue
            a = entries.pop(k)
            new = {}
            for j in entries.keys() | p_entries.keys():
                if j <= k:
                    continue
                x, y = entries.get(j), p_entries.get(j)
                value = head * x if y is None else -(a * y) if x is None else head * x - a * y
                if value:
                    new[j] = value
            powers = Counter(exponents)
            powers.update(p_exponents)
            powers[k] += 1
            powers[level] -= 1
            powers[p_level] -= 1
            row[0], row[1], row[2] = new, k + 1, _simplified(new, powers, minor, divide)
        pivots.append((p_entries, p_level, p_exponents))
    determinant = minor(n)
    numerators: list = [None] * n
    zero = one - one
    for k in reversed(range(n)):
        # N_k = (D·b_k − Σ_j U_kj·N_j) / U_kk; when U_kk divides D (the last pivot is D
        # itself), D/U_kk·b_k is formed instead of the much bigger product D·b_k
        entries = pivots[k][0]
        head = entries[k]
        cofactor = divide(determinant, head) if n in entries else None
        total = None
        for j, value in entries.items():
            if k < j < n and numerators[j]:
                total = -(value * numerators[j]) if total is None else \
                    total - value * numerators[j]
        if cofactor is None and n in entries:
            right = determinant * entries[n]
            total = right if total is None else right + total
        if total is None or not total:
            numerators[k] = cofactor * entries[n] if cofactor is not None else zero
            continue
        quotient = divide(total, head)
        if quotient is None:  # pragma: no cover - Cramer's rule makes it exact
            raise ArithmeticError("inexact division in back substitution")
        numerators[k] = quotient if cofactor is None else cofactor * entries[n] + quotient
    return numerators, determinant


def _simplified(entries: dict, powers: Counter, minor, divide) -> Counter:
    """Divide a row by the minors that Bareiss would have divided it by, where exact.

    ``powers`` says how the row's Bareiss row differs from ``entries``; a negative
    power of M_t is a factor M_t that ``entries`` carries in excess. Returns the
    powers left (M_0 = 1 dropped).
    """
    powers.pop(0, None)
    for t in sorted(powers):
        while powers[t] < 0:
            m = minor(t)
            quotients = {}
            for j, x in entries.items():
                q = divide(x, m)
                if q is None:
                    break
                quotients[j] = q
            else:
                entries.update(quotients)
                powers[t] += 1
                continue
            break
    return Counter({t: e for t, e in powers.items() if e})


def _times(x, powers: Counter, minor, divide):
    """x · Π M_t^powers[t], a ring element (the negative powers divide exactly).

    Each division is tried as soon as it may succeed, so that the products stay close
    to the size of the result.
    """
    ups = [t for t, e in sorted(powers.items()) if t and e > 0 for _ in range(e)]
    downs = [t for t, e in sorted(powers.items()) if t and e < 0 for _ in range(-e)]
    out = x
    for t in [None, *ups]:
        if t is not None:
            out = out * minor(t)
        while downs:  # (one failed attempt per product: a failure costs a division)
            quotient = divide(out, minor(downs[0]))
            if quotient is None:
                break
            out = quotient
            downs.pop(0)
    for u in downs:
        quotient = divide(out, minor(u))
        if quotient is None:  # pragma: no cover - a minor of A is a polynomial
            raise ArithmeticError("inexact division by a leading minor")
        out = quotient
    return out
