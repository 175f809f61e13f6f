"""Solving (I − γP)x = r exactly: the route is chosen by what the system holds.

* **Krylov** (γ a symbol, P rational, r polynomial in parameters): integer
  arithmetic only (:mod:`.krylov`).
* **Rational** (γ a number, P rational): one exact rational solve (:mod:`.rational`).
* **Fraction-free** (P holds symbols, or r is not polynomial): over the polynomial
  ring ZZ[γ, parameters] (:mod:`.fraction_free`).

:func:`solve_sparse` solves any square sparse system A x = b the same exact way (the
fraction-free route), for Bellman families whose equations are not (I − γP)x = r.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator, Mapping, Sequence

import sympy
from sympy import Expr, Symbol
from sympy.polys.domains import ZZ
from sympy.polys.rings import PolyRing

from ..core.errors import SingularSystem, SolveError
from .backend import get_backend
from .fraction_free import solve_fraction_free, solve_linear
from .krylov import solve_krylov
from .rational import polynomial_parts, solve_rational
from .vector import ExactVector

__all__ = ["solve_discounted", "solve_sparse", "reporting", "is_reporting", "degree_bound",
           "check_degrees", "MAX_DEGREE"]

#: The largest degree a closed form may reach. The exact algebra below (python-flint
#: in particular, which aborts the whole process when an allocation fails) is only
#: called on systems whose results are known to stay under it.
MAX_DEGREE = 100_000

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


def announce(stage: str) -> None:
    """Tell the progress callback of :func:`reporting`, if any, that ``stage`` begins:
    work that counts nothing (a plot, the TeX run) shows its name and elapsed time
    instead of the last solver stage frozen short of 100 %.

    >>> seen = []
    >>> with reporting(lambda stage, done, total: seen.append((stage, total))):
    ...     announce("plot")
    >>> seen
    [('plot', 0)]
    """
    callback = _progress.get()
    if callback is not None:
        callback(stage, 0, 0)


def is_reporting() -> bool:
    """Whether a progress callback listens (:func:`reporting`): work done only to name
    the bars (the census of pieces over γ) is skipped when nobody sees them.

    >>> is_reporting()
    False
    >>> with reporting(lambda stage, done, total: None):
    ...     is_reporting()
    True
    """
    return _progress.get() is not None


@contextmanager
def reporting_under(prefix: str) -> Iterator[None]:
    """Within the block, every stage reported is named under ``prefix``
    (``"piece 3: lowest terms"``), so repeated solves say which one is running.

    >>> seen = []
    >>> with reporting(lambda stage, done, total: seen.append(stage)):
    ...     with reporting_under("piece 2"):
    ...         announce("numerators")
    >>> seen
    ['piece 2: numerators']
    """
    outer = _progress.get()
    if outer is None:
        yield
        return
    with reporting(lambda stage, done, total: outer(f"{prefix}: {stage}", done, total)):
        yield


def degree_bound(e: Expr) -> int:
    """A bound on the total degree of the numerator and denominator of ``e`` together.

    >>> x = Symbol("x")
    >>> degree_bound(x**3 / (x + 1) + 2), degree_bound(((x**10)**10)**10)
    (4, 1000)
    """
    memo: dict = {}

    def bound(e) -> int:
        if e.is_Number or not e.free_symbols:
            return 0
        if e in memo:
            return memo[e]
        if e.is_Symbol:
            out = 1
        elif e.is_Add:
            out = sum(bound(a) for a in e.args)  # (a common denominator multiplies)
        elif e.is_Mul:
            out = sum(bound(a) for a in e.args)
        elif e.is_Pow and e.exp.is_Integer:
            out = abs(int(e.exp)) * bound(e.base)
        else:  # not a rational function: the routes refuse it later
            out = 0
        memo[e] = out
        return out
    return bound(sympy.sympify(e))


def check_degrees(n: int, entries, right_hand_side=()) -> None:
    """Refuse a system of ``n`` unknowns whose closed forms could pass :data:`MAX_DEGREE`.

    Cramer's rule bounds the degree of every result by n·(1 + the largest degree of
    an entry of γP) plus the degree of the right-hand side.

    >>> check_degrees(1, [Symbol("x") ** 200_000])
    Traceback (most recent call last):
    ...
    symbellman.core.errors.SolveError: the closed forms could reach degree 200001, over the limit of 100000: give the symbols values first
    """
    d_matrix = max((degree_bound(e) for e in entries), default=0)
    d_rhs = max((degree_bound(e) for e in right_hand_side), default=0)
    total = n * (1 + d_matrix) + d_rhs
    if total > MAX_DEGREE:
        raise SolveError(f"the closed forms could reach degree {total}, over the limit of "
                         f"{MAX_DEGREE}: give the symbols values first")


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
        The implementation of the fast operations (default: flint when installed).
        Both give identical results.
    progress : callable, optional
        Called now and then as ``progress(stage, done, total)`` during the Krylov
        route (default: the callback installed by :func:`reporting`, if any).

    Returns
    -------
    ExactVector

    Raises
    ------
    SolveError
        When I − γP is singular (the caller says why, in the model's terms).
    ModelError
        For an unknown backend.

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
    fast = get_backend(backend)
    if not P_rows:  # every state is terminal: nothing to solve
        return ExactVector.from_terms(PolyRing(("_",), ZZ), [], lambda: sympy.Integer(1),
                                      "empty")
    progress = progress if progress is not None else _progress.get()
    params = tuple(params)
    P_rows = [{j: x for j, x in ((j, sympy.sympify(x)) for j, x in row.items())
               if not (x.is_Number and not x)} for row in P_rows]  # zeros dropped
    r = [sympy.sympify(x) for x in r]
    if not (isinstance(discount, Symbol) or discount.is_Rational) or not all(
            x.is_Rational for row in P_rows for x in row.values()) or not all(
            x.is_Rational for x in r):
        check_degrees(len(P_rows), [discount, *(x for row in P_rows for x in row.values())], r)
    numeric_P = all(x.is_Rational for row in P_rows for x in row.values())
    used = set().union(*(x.free_symbols for x in r)) if r else set()
    params_r = tuple(p for p in params if p in used)
    result = None
    # the fast routes need r polynomial in the parameters: integer columns per monomial
    parts = polynomial_parts(r, params_r) if numeric_P and (
        isinstance(discount, Symbol) or discount.is_Rational) else None
    if parts is not None and isinstance(discount, Symbol):
        result = solve_krylov(P_rows, parts, discount, params_r, fast, progress)
    elif parts is not None and discount.is_Rational:
        result = solve_rational(P_rows, parts, discount, params_r, fast)
    if result is None:
        # the discount's own symbols first (γ, or those of an expression like 1 − a)
        first = [discount] if isinstance(discount, Symbol) else \
            sorted(discount.free_symbols, key=lambda x: x.name)
        gens = first + [p for p in params if p not in first]
        used |= set().union(*(x.free_symbols for row in P_rows for x in row.values()))
        gens = [g for g in gens if g in used or g in first]
        result = solve_fraction_free(P_rows, r, discount, gens, fast)
    return result


def solve_sparse(A_rows: Sequence[Mapping[int, Expr]], b: Sequence[Expr],
                 symbols: Sequence[Symbol] = (), *, backend: str | None = None) -> ExactVector:
    """Solve a square sparse system A x = b exactly.

    Parameters
    ----------
    A_rows : sequence of mappings
        Row ``i`` of A maps column ``j`` to A[i, j] (zeros left out).
    b : sequence of Expr
        The right-hand side.
    symbols : sequence of Symbol
        The symbols the entries may hold, in the order the results' terms use (any
        others found are added after them, by name).
    backend : {"flint", "python"}, optional
        As for :func:`solve_discounted`; both give identical results.

    Returns
    -------
    ExactVector
        Each x_i as a rational function of the symbols, in lowest terms.

    Raises
    ------
    SolveError
        When A is singular (:class:`~symbellman.linalg.SingularSystem`), or the closed
        forms could pass :data:`MAX_DEGREE`.

    Examples
    --------
    The gain and bias of a two-state chain that alternates (rewards 2 and 0) solve
    g + h(a) = 2 + h(b), g + h(b) = h(a), h(a) + h(b) = 0: a system that is not
    (I − γP)x = r. Unknowns (g, h(a), h(b)):

    >>> x = solve_sparse([{0: 1, 1: 1, 2: -1}, {0: 1, 1: -1, 2: 1}, {1: 1, 2: 1}],
    ...                  [2, 0, 0])
    >>> [x.expr(i) for i in range(3)]
    [1, 1/2, -1/2]

    With a symbol, and substituted back:

    >>> p = Symbol("p")
    >>> y = solve_sparse([{0: 1, 1: -p}, {0: -p, 1: 1}], [1, 2], [p])
    >>> y.expr(0), sympy.cancel(y.expr(0) - p * y.expr(1) - 1)
    ((2*p + 1)/(1 - p**2), 0)
    """
    fast = get_backend(backend)
    n = len(A_rows)
    if len(b) != n or any(j < 0 or j >= n for row in A_rows for j in row):
        raise SolveError(f"A x = b needs a square A ({n} rows) and {n} entries of b")
    if not n:
        return ExactVector.from_terms(PolyRing(("_",), ZZ), [], lambda: sympy.Integer(1),
                                      "empty")
    A_rows = [{j: sympy.sympify(x) for j, x in row.items()} for row in A_rows]
    b = [sympy.sympify(x) for x in b]
    entries = [x for row in A_rows for x in row.values()]
    check_degrees(n, entries, b)
    found = set().union(*(x.free_symbols for x in (*entries, *b)))
    gens = [s for s in symbols if s in found]
    gens += sorted(found - set(gens), key=lambda s: s.name)
    try:
        return solve_linear(A_rows, b, gens, fast)
    except SingularSystem:
        raise SingularSystem("A is singular: A x = b has no unique solution") from None
