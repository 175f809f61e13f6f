"""The optimal policy over a whole range of the discount (or of another parameter).

The optimal value is the upper envelope of finitely many rational functions, so
[0, 1) splits into finitely many intervals, each with its own optimal policy. They
are found by parametric policy iteration: from the low end upward, find the optimal
policy just right of the current point (exact policy iteration at a rational point),
take its closed forms and walk to the smallest root where one of its advantages
changes sign. Breakpoints are exact real algebraic numbers (:mod:`.algebraic`): a
``Rational`` when rational, else a SymPy ``CRootOf``; a decimal is given beside
them. All policies are never enumerated, so the 5 × 5 gridworld takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Callable, Iterator, Mapping

from sympy import Expr, Rational, Symbol
from sympy.printing.defaults import Printable

from ..core.expressions import as_fraction
from ..core.errors import ModelError, SolveError
from ..solve.evaluate import solve_q, solve_v
from ..core.expressions import exact
from ..linalg import announce, get_backend, is_reporting, reporting_under
from ..linalg.polynomials import horner, subtract
from ..model.mdp import MDP, unknown_parameter
from ..model.policy import Policy
from ..core.ranges import Span
from ..solve.results import ActionValueFunction, ValueFunction
from ..core.escape import latex_name
from .algebraic import RealAlgebraic, Roots, rational_between
from .census import census
from .arrays import DiscountArrays, certificate_at, discount_arrays, policy_iteration_at
from .iteration import (Certificate, certify, check_model_degrees, free_symbols, optimal,
                        require_actions, substitute)

__all__ = ["optimal_pieces", "Piece", "OptimalPieces"]


@dataclass(frozen=True, repr=False)
class Piece(Span):
    """One interval of the parameter on which one set of actions is optimal.

    Attributes
    ----------
    start, end : Expr
        The ends, exact (``Rational`` or ``CRootOf``); the piece is [start, end).
    policy : mapping of state to tuple of actions
        The optimal actions inside the interval (ties that hold on the whole interval
        are kept).
    tie : mapping of state to tuple of actions, or None
        The optimal actions at ``end`` itself, where the next piece takes over (None
        for the last piece).
    v_star : ValueFunction
        The closed forms v*(x) valid on the piece.
    point : Rational
        An interior point at which the piece was verified.
    certificate : Certificate
        The exact optimality check of the closed forms at ``point``.
    solve_q_star : callable
        Returns q_π(x) of the piece's policy (solved, or kept from the advantages).
    q_star : ActionValueFunction
        The closed forms q*(x) valid on the piece, solved when first read (the
        printed pieces need only v*; a backup per pair of every piece costs as much as
        finding the pieces).
    """

    policy: Mapping[str, tuple]
    tie: Mapping[str, tuple] | None
    v_star: ValueFunction
    point: Expr
    certificate: Certificate
    solve_q_star: Callable[[], ActionValueFunction] = field(compare=False)

    @cached_property
    def q_star(self) -> ActionValueFunction:
        """q*(x) on the piece, solved on first read."""
        return self.solve_q_star().with_head("q_star")

    def __repr__(self) -> str:
        return f"Piece([{self.start_decimal}, {self.end_decimal}))"


@dataclass(frozen=True, repr=False)
class OptimalPieces(Printable):
    """The optimum over a range of one variable: consecutive :class:`Piece` s.

    ``blackwell`` is the optimal policy of the last piece when the variable is the
    discount and the range ends at 1: the Blackwell-optimal policy, optimal for every
    discount close enough to 1. It prints through SymPy's printers (``_latex``,
    ``_sympystr``), so Jupyter shows it as LaTeX.
    """

    mdp: MDP
    variable: Symbol
    low: Expr
    high: Expr
    pieces: tuple[Piece, ...]

    def __iter__(self) -> Iterator[Piece]:
        return iter(self.pieces)

    def __len__(self) -> int:
        return len(self.pieces)

    def __getitem__(self, i) -> Piece:
        return self.pieces[i]

    @property
    def breakpoints(self) -> tuple[Expr, ...]:
        """The exact points where the optimal policy changes."""
        return tuple(p.end for p in self.pieces[:-1])

    @property
    def blackwell(self) -> Mapping[str, tuple] | None:
        """The Blackwell-optimal actions (last piece), if the range is the discount up to 1."""
        if self.variable == self.mdp.discount and self.high == 1:
            return self.pieces[-1].policy
        return None

    def _latex(self, printer) -> str:
        x = printer._print(self.variable)
        rows = []
        for p in self.pieces:
            changes = "; ".join(r"%s: %s" % (latex_name(st),
                                             ", ".join(latex_name(a) for a in acts))
                                for st, acts in p.policy.items())
            rows.append(r"%s \le %s < %s &: \quad %s" % (
                printer._print(p.start), x, printer._print(p.end), changes))
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _sympystr(self, printer) -> str:
        x = printer._print(self.variable)
        return "\n".join(f"{p.start_decimal} <= {x} < {p.end_decimal}: " + "; ".join(
            f"{st}: {', '.join(acts)}" for st, acts in p.policy.items()) for p in self.pieces)

    def piece_at(self, value) -> Piece:
        """The piece whose interval [start, end) holds ``value`` (a number)."""
        x = exact(value)
        for p in self.pieces:
            if bool(p.start <= x) and bool(x < p.end):
                return p
        raise ModelError(f"{value} is outside [{self.low}, {self.high})", place="value")

    def __repr__(self) -> str:
        return (f"OptimalPieces({self.variable} in [{self.low}, {self.high}): "
                f"{len(self.pieces)} pieces)")


class _Advantage:
    """q(s, a) − v(s) = N/D for one pair: its roots in the range, with multiplicities.

    Over the discount, D = det(I − γP)·… has no root in [0, 1) (I − γP is invertible
    there), so only N's square-free parts are needed; over another parameter D may
    vanish (a pole), and N/D is factored.
    """

    __slots__ = ("pair", "zero", "roots")

    def __init__(self, pair, numerator, denominator, roots: Roots, poles: bool):
        self.pair = pair
        self.zero = not numerator
        self.roots: list[tuple[RealAlgebraic, int]] = []
        if self.zero:
            return
        self.roots = roots.factored_roots(numerator, denominator) if poles else \
            roots.sign_changes(numerator)

    def vanishes_at(self, point: RealAlgebraic) -> bool:
        return self.zero or any(m > 0 and r == point for r, m in self.roots)


def _resolve_variable(mdp: MDP, over) -> Symbol:
    if over is None:
        if not isinstance(mdp.discount, Symbol):
            raise SolveError(f"the discount is the number {mdp.discount}: optimal_pieces needs "
                             "a symbolic discount, or a parameter given by over=...")
        return mdp.discount
    name = over.name if isinstance(over, Symbol) else str(over)
    known = {s.name: s for s in free_symbols(mdp)}
    if name not in known:
        if name == "gamma":
            raise SolveError(f"the discount is the number {mdp.discount}, not a symbol")
        raise unknown_parameter(name, known)
    return known[name]


def _range(mdp: MDP, x: Symbol, low, high) -> tuple[Expr, Expr]:
    low_q, high_q = exact(low, place="low"), exact(high, place="high")
    if not (low_q.is_Rational and high_q.is_Rational and low_q < high_q):
        raise ModelError(f"the range must be two numbers low < high, got {low_q}, {high_q}",
                         place="range")
    if x == mdp.discount and (low_q < 0 or high_q > 1):
        raise ModelError(f"a discount range must lie in [0, 1], got [{low_q}, {high_q}]",
                         place="range")
    return low_q, high_q


def _real(q: Expr) -> RealAlgebraic:
    return RealAlgebraic.rational(as_fraction(q))


def optimal_pieces(mdp: MDP, *, over=None, low=0, high=1,
                   at: Mapping | None = None, backend: str | None = None) -> OptimalPieces:
    """The optimal policy and v*, q* over a whole range of the discount (or a parameter).

    Parameters
    ----------
    mdp : MDP
        The model, in which the variable must be the only symbol once ``at`` is put in.
    over : Symbol or str, optional
        The variable; by default the discount (which must then be a symbol).
    low, high : number
        The range [low, high); for the discount a part of [0, 1).
    at : mapping, optional
        Values of the other parameters.
    backend : {"flint", "python"}, optional
        The exact solver's arithmetic (python-flint's by default when installed).

    Returns
    -------
    OptimalPieces
        Pieces covering [low, high) without gaps, each with exact ends, its optimal
        actions, the ties at its end, the closed forms of v* and q*, and the
        certificate of an interior point.

    Raises
    ------
    SolveError
        If another symbol is left, or the values have a pole inside the range.

    Examples
    --------
    Sutton & Barto's Exercise 3.22: ``left`` is optimal below γ = 1/2, ``right`` above,
    and both at exactly 1/2:

    >>> from symbellman.model.examples import exercise_3_22
    >>> pieces = optimal_pieces(exercise_3_22())
    >>> [(p.start, p.end, p.policy["top"]) for p in pieces]
    [(0, 1/2, ('left',)), (1/2, 1, ('right',))]
    >>> pieces[0].tie["top"], pieces.blackwell["top"]
    (('left', 'right'), ('right',))
    >>> pieces[1].v_star["top"]
    2*gamma/(1 - gamma**2)
    """
    mdp = substitute(mdp, at)
    require_actions(mdp)
    x = _resolve_variable(mdp, over)
    left = [s for s in free_symbols(mdp) if s != x]
    if left:
        raise SolveError("optimal_pieces varies one symbol; give values to "
                         + ", ".join(s.name for s in left) + " with at={...}")
    low_q, high_q = _range(mdp, x, low, high)
    check_model_degrees(mdp)
    top, point = _real(high_q), _real(low_q)
    roots = Roots(point.lo, top.lo, backend)
    # over the discount with numeric p and r, the discount is bound on arrays read once
    arrays = discount_arrays(mdp) if x == mdp.discount else None
    evaluated: dict[tuple, tuple] = {}  # each policy's closed forms and advantages, once
    choice = None
    guess = top
    pieces = []
    # the number of pieces is known only at the end: a census in floats, taken only
    # when a bar shows it, counts them ahead (at least; exactly unless one is shorter
    # than its grid's spacing)
    counted = census(mdp, x, as_fraction(low_q), as_fraction(high_q)) if is_reporting() \
        else None
    count = 0
    while point < top:
        k = len(pieces) + 1
        if counted is not None:
            count = max(count, counted.count(k, float(point.decimal(15))))
            label = f"piece {k} of {count} ({x} from {point.decimal(4)})"
        else:
            label = f"piece {k} ({x} from {point.decimal(4)} to {top.decimal(4)})"
        with reporting_under(label):
            announce("policy iteration")  # every piece names itself, solved or cached
            choice, t, model, v, q_of, advantages, coefficients = _policy_right_of(
                mdp, x, point, guess, choice, roots, backend, arrays, evaluated)
            end = _end_of_piece(x, point, top, advantages)
            pieces.append(_piece(mdp, model, x, point, end, top, t, choice, v, q_of,
                                 advantages, coefficients))
        # the next guess: up to the next root of any advantage after ``end``
        guess = top
        for adv in advantages:
            for root, _ in adv.roots:
                if end < root and root < guess:
                    guess = root
        point = end
    return OptimalPieces(mdp, x, low_q, high_q, tuple(pieces))


def _policy_right_of(mdp: MDP, x: Symbol, point: RealAlgebraic, guess: RealAlgebraic,
                     choice, roots: Roots, backend, arrays: DiscountArrays | None,
                     evaluated: dict):
    """The policy optimal just right of ``point``, its closed forms and advantages.

    Policy iteration at a rational t in (point, guess); if an advantage of the policy
    found changes sign in (point, t], t moves left of that root and it starts again.
    ``model`` is returned as ``arrays`` when the discount was bound on them.
    """
    t = rational_between(point, guess)
    while True:
        if arrays is not None:
            model = arrays
            choice, _ = policy_iteration_at(arrays, t, choice, backend)
        else:
            model = mdp.subs({x: Rational(t.numerator, t.denominator)})
            best = optimal(model, start=choice, backend=backend)
            choice = {s: best.greedy.support(s)[0] for s in model.nonterminal}
        policy = Policy.deterministic(mdp, choice)
        key = tuple(choice[s] for s in mdp.nonterminal)
        if key not in evaluated:
            v = solve_v(mdp, policy, backend=backend)
            coefficients = {s: v.univariate(s, x) for s in mdp.states}
            q = None
            advantages = _advantages_over_common_denominator(mdp, coefficients, choice, x,
                                                             roots, backend)
            if advantages is None:
                q = solve_q(mdp, policy, v=v, backend=backend)
                advantages = _advantages(mdp, coefficients, q, choice, x, roots, backend)
            evaluated[key] = v, q, advantages, coefficients
        v, q, advantages, coefficients = evaluated[key]
        at_t = RealAlgebraic.rational(t)
        first = None  # the first root of any advantage in (point, t]
        for adv in advantages:
            for root, _ in adv.roots:
                if point < root and root <= at_t and (first is None or root < first):
                    first = root
        if first is None:
            if q is None:  # the action values only of the policy kept, when read
                return choice, t, model, v, (lambda: solve_q(mdp, policy, v=v,
                                                             backend=backend)), \
                    advantages, coefficients
            return choice, t, model, v, (lambda: q), advantages, coefficients
        t = rational_between(point, first)


def _end_of_piece(x: Symbol, point: RealAlgebraic, top: RealAlgebraic, advantages
                  ) -> RealAlgebraic:
    """The first sign change of an advantage after ``point`` (or ``top``)."""
    end, poles = top, []
    for adv in advantages:
        for root, m in adv.roots:
            if point < root and root < end:
                if m < 0:
                    poles.append(root)
                if m % 2:
                    end = root
    if any(p < end for p in poles):
        raise SolveError(f"the values have a pole at {x} ≈ {min(poles).decimal()}, inside "
                         "the range: the model is singular there")
    return end


def _piece(mdp: MDP, model: MDP | DiscountArrays, x: Symbol, point, end, top, t: Fraction,
           choice, v, q_of, advantages, coefficients) -> Piece:
    """The piece [point, end): its optimal actions, the ties at its end, its certificate."""
    by_pair = {adv.pair: adv for adv in advantages}  # one for each action not chosen
    interior = {s: tuple(a for a in mdp.actions(s)
                         if a == choice[s] or ((s, a) in by_pair and by_pair[s, a].zero))
                for s in mdp.nonterminal}
    tie = None
    if end is not top:
        tie = {s: tuple(a for a in mdp.actions(s)
                        if a in interior[s] or ((s, a) in by_pair
                                                and by_pair[s, a].vanishes_at(end)))
               for s in mdp.nonterminal}
    t_expr = Rational(t.numerator, t.denominator)
    # the closed forms at t, exactly (not v.at: it refuses a symbol that this policy's
    # values happen not to hold)
    values_t = {}
    for s in mdp.states:
        num, den = coefficients[s]
        value = Fraction(horner(num, t), horner(den, t)) if num else Fraction(0)
        values_t[s] = Rational(value.numerator, value.denominator)
    if isinstance(model, DiscountArrays):
        certificate = certificate_at(model, t, [as_fraction(values_t[s])
                                                for s in model.index], interior)
    else:
        certificate = certify(model, values_t, interior)
    if not certificate.holds:  # pragma: no cover - would be a bug in this module
        raise ArithmeticError("a piece failed its certificate: " + "; ".join(
            certificate.problems))
    return Piece(point.expr(x), end.expr(x), point.decimal(), end.decimal(), interior, tie,
                 v.with_head("v_star"), t_expr, certificate, q_of)


def _advantages(mdp: MDP, values: Mapping[str, tuple], q: ActionValueFunction, choice,
                x: Symbol, roots: Roots, backend) -> list[_Advantage]:
    multiply = get_backend(backend).multiply
    poles = x != mdp.discount
    out = []
    for s, a in mdp.state_action_pairs:
        if a == choice[s]:
            continue  # q(s, π(s)) = v(s) identically
        vn, vd = values[s]
        qn, qd = q.univariate((s, a), x)
        out.append(_Advantage((s, a), subtract(multiply(qn, vd), multiply(vn, qd)),
                              multiply(qd, vd) if poles else None, roots, poles))
    return out


def _advantages_over_common_denominator(mdp: MDP, values: Mapping[str, tuple], choice,
                                        x: Symbol, roots: Roots, backend
                                        ) -> list[_Advantage] | None:
    """The advantages' numerators over one common denominator, by the backend in C.

    Over the discount, every v(s) = n_s/d_s has d_s dividing det(I − γP), which has no
    root in [0, 1); so with L = lcm(d_s), q(s, a) − v(s) = N/L where
    N = Σ p·(r·L + γ·n_k·L/d_k) − n_s·L/d_s, and N has exactly the roots (with
    multiplicities) of the lowest-terms numerator in the range: no q backup, no gcd per
    pair. Returns None where this does not apply (another variable than the discount,
    a symbolic p or r, or a backend without it): the caller takes the general route.
    """
    if x != mdp.discount:
        return None
    backend = get_backend(backend)
    if backend.name != "flint":  # the pure backend has no fast route: skip the work
        return None
    keys, pairs = [], []
    for s, a in mdp.state_action_pairs:
        if a == choice[s]:
            continue  # q(s, π(s)) = v(s) identically
        outcomes = []
        for o in mdp.outcomes(s, a):
            p, r = o.probability, o.reward
            if not (p.is_Rational and r.is_Rational):
                return None
            outcomes.append((as_fraction(p), as_fraction(r),
                             o.next_state if o.next_state in values else None))
        keys.append((s, a))
        pairs.append((s, outcomes))
    numerators = backend.advantage_numerators(values, pairs)
    if numerators is None:
        return None
    return [_Advantage(key, numerator, None, roots, False)
            for key, numerator in zip(keys, numerators)]
