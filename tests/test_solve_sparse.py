"""linalg.solve_sparse: A x = b exactly, over both backends, checked against SymPy's
dense LU solve (an independent route) and by substituting back."""

from __future__ import annotations

import random

import pytest
import sympy
from sympy import Rational, Symbol

from symbellman.core.errors import SolveError
from symbellman.linalg import BACKENDS, SingularSystem, solve_sparse

p = Symbol("p")


def _system(seed: int, n: int, symbolic: bool):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        row = {i: Rational(rng.randint(5, 9))}  # diagonally dominant: non-singular
        for j in rng.sample(range(n), 2):
            if j != i:
                row[j] = Rational(rng.randint(-3, 3), rng.randint(1, 4)) * (p if symbolic
                                                                             and j % 2 else 1)
        rows.append(row)
    b = [Rational(rng.randint(-5, 5), rng.randint(1, 3)) + (p if symbolic and i == 0 else 0)
         for i in range(n)]
    return rows, b


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed,n,symbolic", [(1, 5, False), (2, 8, True), (3, 12, False)])
def test_solve_sparse_agrees_with_sympys_lu_solve(backend, seed, n, symbolic):
    rows, b = _system(seed, n, symbolic)
    x = solve_sparse(rows, b, [p], backend=backend)
    # SymPy's dense LU solve at several values of p, exactly
    for value in (Rational(1, 3), Rational(-2, 7), Rational(5)):
        A = sympy.Matrix(n, n, lambda i, j: sympy.sympify(rows[i].get(j, 0)).subs(p, value))
        expected = A.LUsolve(sympy.Matrix([sympy.sympify(c).subs(p, value) for c in b]))
        assert [x.expr(i).subs(p, value) for i in range(n)] == list(expected)
    # substituted back, every equation holds exactly
    for i, row in enumerate(rows):
        assert sympy.cancel(sum(a * x.expr(j) for j, a in row.items()) - b[i]) == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_singular_system_is_refused(backend):
    with pytest.raises(SingularSystem):
        solve_sparse([{0: 1, 1: 1}, {0: 2, 1: 2}], [1, 2], backend=backend)


def test_a_non_square_system_is_refused():
    with pytest.raises(SolveError, match="square"):
        solve_sparse([{0: 1, 2: 1}, {1: 1}], [1, 2])


def test_rational_function_entries():
    # x / (1 + p) = 1: x = 1 + p
    x = solve_sparse([{0: 1 / (1 + p)}], [1], [p])
    assert sympy.cancel(x.expr(0) - (1 + p)) == 0
