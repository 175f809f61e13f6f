"""The optimal values v*, q* and the optimal policies, exactly.

:func:`optimal` solves the Bellman optimality equations at a numeric discount by
policy iteration in exact rational arithmetic: each policy is evaluated with the exact
solver (:func:`~symbellman.evaluate.solve_v`), improved by exact comparisons, and the
result keeps every tie, so a state may have several optimal actions (the several arrows
of Sutton & Barto's Figure 3.5). :meth:`OptimalSolution.certificate` checks the answer
independently: with q(s, a) recomputed from the model and v*, every advantage
q(s, a) − v*(s) is ≤ 0, and 0 exactly on the optimal actions.

:func:`optimal_pieces` answers for every discount in [0, 1) at once (or every value of
another parameter in a range). The optimal value is the upper envelope of finitely
many rational functions, so [0, 1) splits into finitely many intervals, each with its
own optimal policy. They are found by parametric policy iteration: from the low end
upward, find the optimal policy just right of the current point (exact policy
iteration at a rational point), take its closed forms and walk to the smallest root
where one of its advantages changes sign. Breakpoints are exact real algebraic
numbers: a ``Rational`` when rational, else a SymPy ``CRootOf``; a decimal is given
beside them. All policies are never enumerated, so the 5 × 5 gridworld takes seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Mapping, Sequence

import sympy
from sympy import Expr, Integer, Rational, Symbol

from .errors import ModelError, SolveError
from .evaluate import solve_q, solve_v
from .expressions import closest, exact
from .model import MDP
from .policy import Policy
from .linalg import poly_mul
from .results import ActionValueFunction, ValueFunction
from .symbols import latex_text

try:  # factoring and root isolation in C; SymPy does the same more slowly
    import flint
except ImportError:  # pragma: no cover - exercised only without python-flint
    flint = None

__all__ = ["optimal", "optimal_pieces", "certify", "OptimalSolution", "Certificate",
           "Piece", "OptimalPieces"]

#: Policy iteration converges in far fewer steps on any model symbellman can solve.
_MAX_ITERATIONS = 10_000


# -- results -----------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class Certificate:
    """The exact check that a value function is optimal.

    ``advantages[(s, a)]`` is q(s, a) − v(s), with q recomputed from the model's
    outcomes and v; the certificate ``holds`` when every advantage is ≤ 0 and the
    claimed optimal actions (and only they) have advantage exactly 0. At a discount
    below 1 this proves that v is v* (the Bellman optimality equation has one
    solution); at discount 1 it proves optimality among the policies that end.
    """

    advantages: Mapping[tuple, Expr]
    holds: bool
    problems: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.holds

    @property
    def largest_advantage(self) -> Expr:
        """max over (s, a) of q(s, a) − v(s): exactly 0 for an optimal v."""
        return max(self.advantages.values(), default=Integer(0))

    def __repr__(self) -> str:
        state = "holds" if self.holds else "fails: " + "; ".join(self.problems[:3])
        return f"Certificate({len(self.advantages)} advantages, {state})"


def certify(mdp: MDP, values: Mapping[str, Expr], chosen: Mapping[str, Sequence]) -> Certificate:
    """Check exactly that ``values`` solves the Bellman optimality equation of ``mdp``.

    Parameters
    ----------
    mdp : MDP
        A model whose discount and parameters are all numbers.
    values : mapping of state to exact number
        The claimed v* (terminal states may be left out: they are 0).
    chosen : mapping of state to actions
        The claimed optimal actions of every non-terminal state.

    Examples
    --------
    In Silver's Student MDP, v* = (6, 6, 8, 10) and studying is optimal in every class:

    >>> from symbellman.examples import student_mdp
    >>> mdp = student_mdp()
    >>> v = {"Facebook": 6, "Class1": 6, "Class2": 8, "Class3": 10}
    >>> c = certify(mdp, v, {"Facebook": ["quit"], "Class1": ["study"],
    ...                      "Class2": ["study"], "Class3": ["study"]})
    >>> c.holds, c.advantages["Class3", "pub"]
    (True, -3/5)
    """
    discount = mdp.discount
    value = {s: exact(values.get(s, 0)) for s in mdp.states}
    for s in mdp.terminal:
        value[s] = Integer(0)
    advantages, problems = {}, []
    for s, a in mdp.state_action_pairs:
        q = sum((o.probability * (o.reward + discount * value[o.next_state])
                 for o in mdp.outcomes(s, a)), Integer(0))
        advantage = sympy.expand(q - value[s])
        if not advantage.is_Rational:
            raise SolveError(f"the certificate needs numbers, but q({s}, {a}) − v({s}) is "
                             f"{advantage}")
        advantages[(s, a)] = advantage
        optimal_here = a in chosen.get(s, ())
        if advantage > 0:
            problems.append(f"q({s}, {a}) exceeds v({s}) by {advantage}")
        elif optimal_here and advantage != 0:
            problems.append(f"{a} is called optimal in {s} but loses {-advantage}")
        elif not optimal_here and advantage == 0:
            problems.append(f"{a} ties in {s} but is not listed as optimal")
    for s in mdp.nonterminal:
        if not chosen.get(s):
            problems.append(f"no optimal action given for {s}")
    return Certificate(advantages, not problems, tuple(problems))


@dataclass(frozen=True, repr=False)
class OptimalSolution:
    """v*, q* and the optimal actions of an MDP at a numeric discount.

    Attributes
    ----------
    mdp : MDP
    v_star : ValueFunction
        v*(s), exact (head ``v_star``).
    q_star : ActionValueFunction
        q*(s, a), exact (head ``q_star``).
    policy : mapping of state to tuple of actions
        Every optimal action of each non-terminal state, in the model's order.
    greedy : Policy
        The deterministic policy policy iteration ended with (one of the optimal ones).
    iterations : int
        The number of policies evaluated.
    """

    mdp: MDP
    v_star: ValueFunction
    q_star: ActionValueFunction
    policy: Mapping[str, tuple]
    greedy: Policy
    iterations: int

    def certificate(self) -> Certificate:
        """Check optimality exactly, from the model and v* alone (see :func:`certify`)."""
        return certify(self.mdp, self.v_star.as_dict(), self.policy)

    def __repr__(self) -> str:
        return (f"OptimalSolution({len(self.policy)} states, discount {self.mdp.discount}, "
                f"{self.iterations} policy iterations)")

    def _latex(self, printer) -> str:
        rows = [r"%s &= %s & &%s" % (printer._print(self.v_star.lhs(s)),
                                     printer._print(self.v_star[s]),
                                     _actions_latex(self.policy.get(s, ())))
                for s in self.mdp.states]
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _repr_latex_(self) -> str:
        return _display(self)


def _actions_latex(actions) -> str:
    return r"\text{optimal: }" + ", ".join(latex_text(a) for a in actions) if actions else ""


def _display(obj) -> str:
    """``_repr_latex_`` for Jupyter, through SymPy's LaTeX printer."""
    from sympy.printing.latex import LatexPrinter

    return "$\\displaystyle %s$" % obj._latex(LatexPrinter())


# -- exact policy iteration at a numeric discount --------------------------------------------
def _substitute(mdp: MDP, at: Mapping | None) -> MDP:
    """The model with the values of ``at`` put in (``gamma`` replaces a numeric discount)."""
    if not at:
        return mdp
    values = dict(at)
    name = lambda k: k.name if isinstance(k, Symbol) else str(k)  # noqa: E731
    if not mdp.discount.free_symbols:
        for k in list(values):
            if name(k) == "gamma":
                mdp = mdp.replace(discount=exact(values.pop(k), place=str(k)))
    return mdp.subs(values) if values else mdp


def _remaining_symbols(mdp: MDP) -> list[Symbol]:
    found = set(mdp.symbols) | set(mdp.discount.free_symbols)
    for s, a in mdp.state_action_pairs:
        for o in mdp.outcomes(s, a):
            found |= o.probability.free_symbols | o.reward.free_symbols
    return sorted(found, key=lambda x: x.name)


def _relabel(function, head: str):
    """The same exact function under another head (``v_pi`` → ``v_star``)."""
    return function.with_head(head)


def _solve_q(mdp: MDP, policy: Policy, v: ValueFunction, backend) -> ActionValueFunction:
    return solve_q(mdp, policy, v=v, backend=backend)


def _proper_choice(mdp: MDP) -> dict[str, str]:
    """A deterministic policy that ends with probability 1 from every state.

    Backward search from the terminal states: a state joins once one of its actions
    can reach (with positive probability) a state that already has a way out, and
    takes that action. Each step then keeps a positive chance of getting closer.
    """
    reached = set(mdp.terminal)
    choice: dict[str, str] = {}
    frontier = True
    while frontier:
        frontier = False
        for s in mdp.nonterminal:
            if s in reached:
                continue
            for a in mdp.actions(s):
                if any(o.next_state in reached and o.probability != 0
                       for o in mdp.outcomes(s, a)):
                    choice[s] = a
                    frontier = True
                    break
        reached |= set(choice)
    stuck = [s for s in mdp.nonterminal if s not in choice]
    if stuck:
        where = "no terminal state" if not mdp.terminal else \
            "no terminal state can be reached from " + ", ".join(stuck)
        raise SolveError(f"at discount 1 the optimum is undefined: {where}, so every "
                         "policy runs forever and the undiscounted values diverge (use a "
                         "discount below 1, or the gain and bias of symbellman.analysis)")
    return choice


def _initial_choice(mdp: MDP) -> dict[str, str]:
    if mdp.discount == 1:
        return _proper_choice(mdp)
    # the greedy policy of the immediate rewards: a good start that costs nothing
    return {s: max(mdp.actions(s), key=lambda a: mdp.expected_reward(s, a))
            for s in mdp.nonterminal}


def optimal(mdp: MDP, *, at: Mapping | None = None, start: Mapping[str, str] | None = None,
            backend: str | None = None) -> OptimalSolution:
    """v*, q* and every optimal action, exactly, by policy iteration.

    Parameters
    ----------
    mdp : MDP
        The model. Its discount and every parameter must be numbers (or be given by
        ``at``); the discount may be 1 for an episodic model in which some policy
        ends from every state.
    at : mapping, optional
        Values to substitute first, by name or symbol (``{"gamma": "9/10"}``).
    start : mapping of state to action, optional
        The first policy (a warm start). By default the greedy policy of the immediate
        rewards, or at discount 1 a policy found to end from every state.
    backend : {"flint", "python"}, optional
        Passed to the exact solver.

    Returns
    -------
    OptimalSolution

    Raises
    ------
    SolveError
        If a symbol is left, or at discount 1 when no policy ends from every state or
        policy iteration is led to one that never ends (a cycle that pays forever).

    Examples
    --------
    David Silver's Student MDP at γ = 1 (Lecture 2, "Optimal Value Function"):

    >>> from symbellman.examples import student_mdp
    >>> best = optimal(student_mdp())
    >>> [best.v_star[s] for s in best.mdp.states]
    [6, 6, 8, 10, 0]
    >>> best.q_star["Class3", "pub"], best.policy["Class3"]
    (47/5, ('study',))
    >>> best.certificate().holds
    True
    """
    mdp = _substitute(mdp, at)
    if mdp.is_mrp:
        raise ModelError("a Markov reward process has no actions to optimise",
                         hint="use solve_v for its values")
    left = _remaining_symbols(mdp)
    if left:
        names = ", ".join(x.name for x in left)
        raise SolveError(f"the exact optimum needs numbers, but {names} "
                         f"{'has' if len(left) == 1 else 'have'} no value: give values "
                         "with at={...}, or use optimal_pieces for the optimum over a range")
    choice = dict(start) if start else _initial_choice(mdp)
    for s in mdp.nonterminal:
        choice.setdefault(s, mdp.actions(s)[0])
    for iteration in range(1, _MAX_ITERATIONS + 1):
        greedy = Policy.deterministic(mdp, choice)
        try:
            v = solve_v(mdp, greedy, backend=backend)
        except SolveError as exc:
            if iteration == 1 and start:
                raise
            raise SolveError(
                "at discount 1 policy iteration was led to a policy that never ends, "
                f"which looked better ({exc}): the model pays for staying forever, so "
                "v* is unbounded; use a discount below 1") from None
        q = _solve_q(mdp, greedy, v, backend)
        changed = False
        for s in mdp.nonterminal:
            values = {a: q[s, a] for a in mdp.actions(s)}
            best = max(values.values())
            if values[choice[s]] < best:  # keep the current action on ties: no cycling
                choice[s] = next(a for a in mdp.actions(s) if values[a] == best)
                changed = True
        if not changed:
            break
    else:  # pragma: no cover - policy iteration is finite
        raise SolveError("policy iteration did not converge")
    sets = {s: tuple(a for a in mdp.actions(s) if q[s, a] == v[s]) for s in mdp.nonterminal}
    return OptimalSolution(mdp, _relabel(v, "v_star"), _relabel(q, "q_star"), sets, greedy,
                           iteration)


# -- exact real algebraic numbers -------------------------------------------------------------
# A polynomial is a tuple of Python ints, lowest power first, primitive, leading coefficient > 0.

def _trim(p):
    p = list(p)
    while p and p[-1] == 0:
        p.pop()
    return p


def _poly_sub(p, q):
    n = max(len(p), len(q))
    return _trim([(p[i] if i < len(p) else 0) - (q[i] if i < len(q) else 0) for i in range(n)])


def _sign_at(p, x: Fraction) -> int:
    """The sign of p(x), exactly, in integers: Σ c_i a^i b^(d−i) for x = a/b."""
    a, b = x.numerator, x.denominator
    total, power = 0, 1
    for c in reversed(p):  # Horner on the homogenised polynomial
        total = total * a + c * power
        power *= b
    return (total > 0) - (total < 0)


def _normal(p) -> tuple:
    p = _trim(p)
    g = math.gcd(*p)
    if p[-1] < 0:
        g = -g
    return tuple(c // g for c in p)


def _factor(p) -> list[tuple[tuple, int]]:
    """The irreducible factors (normalised) of a non-zero integer polynomial, with multiplicity."""
    if len(p) <= 1:
        return []
    if flint is not None:
        _, factors = flint.fmpz_poly(list(p)).factor()
        return [(_normal([int(c) for c in f.coeffs()]), m) for f, m in factors]
    x = sympy.Dummy("x")
    _, factors = sympy.Poly(list(reversed(p)), x, domain="ZZ").factor_list()
    return [(_normal([int(c) for c in reversed(f.all_coeffs())]), m) for f, m in factors]


_ROOTS: dict[tuple, list] = {}


def _real_roots(f: tuple) -> list["_Real"]:
    """The real roots of an irreducible polynomial, ascending, with isolating intervals."""
    if f in _ROOTS:
        return _ROOTS[f]
    if len(f) == 2:
        roots = [_Real.rational(Fraction(-f[0], f[1]))]
    else:
        intervals = []
        if flint is not None:
            for z, _ in flint.fmpz_poly(list(f)).complex_roots():
                if z.imag == 0:  # Arb marks the real roots of an integer polynomial exactly
                    lo, hi = z.real.lower().man_exp(), z.real.upper().man_exp()
                    intervals.append((_dyadic(*lo), _dyadic(*hi)))
        else:
            x = sympy.Dummy("x")
            for (lo, hi), _ in sympy.Poly(list(reversed(f)), x).intervals():
                intervals.append((Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q))))
        intervals.sort()
        roots = []
        for k, (lo, hi) in enumerate(intervals):
            if _sign_at(f, lo) * _sign_at(f, hi) >= 0:  # pragma: no cover - Arb's guarantee
                raise ArithmeticError("root isolation failed")
            roots.append(_Real(f, k, lo, hi))
    _ROOTS[f] = roots
    return roots


def _dyadic(mantissa, exponent) -> Fraction:
    mantissa, exponent = int(mantissa), int(exponent)
    return Fraction(mantissa * 2 ** exponent) if exponent >= 0 else \
        Fraction(mantissa, 2 ** -exponent)


class _Real:
    """An exact real algebraic number: a rational, or root ``index`` of an irreducible ``poly``.

    An irrational root keeps an isolating interval (lo, hi) with p(lo)·p(hi) < 0, which
    is halved on demand; two such numbers are equal only if they are the same root of
    the same polynomial, so comparisons always terminate.
    """

    __slots__ = ("poly", "index", "lo", "hi")

    def __init__(self, poly, index, lo: Fraction, hi: Fraction):
        self.poly, self.index, self.lo, self.hi = poly, index, lo, hi

    @classmethod
    def rational(cls, value) -> "_Real":
        value = Fraction(value)
        return cls(_normal([-value.numerator, value.denominator]), 0, value, value)

    @property
    def is_rational(self) -> bool:
        return self.lo == self.hi

    def _refine(self) -> None:
        mid = (self.lo + self.hi) / 2
        if _sign_at(self.poly, mid) == _sign_at(self.poly, self.lo):
            self.lo = mid
        else:
            self.hi = mid

    def compare(self, other: "_Real") -> int:
        if self.poly == other.poly and self.index == other.index:
            return 0
        while True:
            if self.hi < other.lo:
                return -1
            if other.hi < self.lo:
                return 1
            if self.is_rational and other.is_rational:
                return (self.lo > other.lo) - (self.lo < other.lo)
            wider = self if (self.hi - self.lo) >= (other.hi - other.lo) else other
            if wider.is_rational:
                wider = other if wider is self else self
            wider._refine()

    def __lt__(self, other):
        return self.compare(other) < 0

    def __le__(self, other):
        return self.compare(other) <= 0

    def __eq__(self, other):
        return isinstance(other, _Real) and self.compare(other) == 0

    __hash__ = None

    def expr(self, x: Symbol) -> Expr:
        """A SymPy ``Rational``, or ``CRootOf`` of the polynomial in ``x``."""
        if self.is_rational:
            return Rational(self.lo.numerator, self.lo.denominator)
        # CRootOf numbers the real roots first, ascending: the same order as ``index``
        return sympy.CRootOf(sympy.Poly(list(reversed(self.poly)), x), self.index)

    def decimal(self, digits: int = 10) -> str:
        if self.is_rational:
            value = Rational(self.lo.numerator, self.lo.denominator)
        else:
            while self.hi - self.lo > Fraction(1, 10 ** (digits + 4)):
                self._refine()
            value = Rational((self.lo + self.hi) / 2)
        text = str(sympy.Float(value, digits))
        return text.rstrip("0").rstrip(".") if "." in text else text


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator strictly between ``lo`` < ``hi``.

    >>> _simplest_between(Fraction(0), Fraction(1)), _simplest_between(Fraction(1, 2), Fraction(1))
    (Fraction(1, 2), Fraction(2, 3))
    """
    n = math.floor(lo)
    if n + 1 < hi:
        return Fraction(n + 1)
    # lo and hi lie in [n, n + 1]: continue with the continued fraction of the remainder
    upper = None if lo == n else 1 / (lo - n)
    lower = 1 / (hi - n)
    if upper is None:
        return n + 1 / Fraction(math.floor(lower) + 1)
    return n + 1 / _simplest_between(lower, upper)


def _rational_between(a: _Real, b: _Real) -> Fraction:
    """A simple rational strictly between ``a`` < ``b``."""
    while not a.hi < b.lo:
        if a.is_rational and b.is_rational:
            break
        wider = a if (a.hi - a.lo) >= (b.hi - b.lo) and not a.is_rational else b
        if wider.is_rational:
            wider = a
        wider._refine()
    return _simplest_between(a.hi, b.lo)


# -- the pieces over a range -----------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class Piece:
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
    v_star, q_star
        The closed forms v*(x), q*(x) valid on the piece.
    point : Rational
        An interior point at which the piece was verified.
    certificate : Certificate
        The exact optimality check of the closed forms at ``point``.
    """

    start: Expr
    end: Expr
    start_decimal: str
    end_decimal: str
    policy: Mapping[str, tuple]
    tie: Mapping[str, tuple] | None
    v_star: ValueFunction
    q_star: ActionValueFunction
    point: Expr
    certificate: Certificate

    def __repr__(self) -> str:
        return f"Piece([{self.start_decimal}, {self.end_decimal}))"


@dataclass(frozen=True, repr=False)
class OptimalPieces:
    """The optimum over a range of one variable: consecutive :class:`Piece` s.

    ``blackwell`` is the optimal policy of the last piece when the variable is the
    discount and the range ends at 1: the Blackwell-optimal policy, optimal for every
    discount close enough to 1.
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
            changes = "; ".join(r"%s: %s" % (latex_text(st),
                                             ", ".join(latex_text(a) for a in acts))
                                for st, acts in p.policy.items())
            rows.append(r"%s \le %s < %s &: \quad %s" % (
                printer._print(p.start), x, printer._print(p.end), changes))
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _repr_latex_(self) -> str:
        return _display(self)

    def piece_at(self, value) -> Piece:
        """The piece whose interval [start, end) holds ``value`` (a number)."""
        x = exact(value)
        for p in self.pieces:
            if bool(p.start <= x) and bool(x < p.end):
                return p
        raise ValueError(f"{value} is outside [{self.low}, {self.high})")

    def __repr__(self) -> str:
        return (f"OptimalPieces({self.variable} in [{self.low}, {self.high}): "
                f"{len(self.pieces)} pieces)")


def _univariate(vector, i: int, x: Symbol) -> tuple[list, list]:
    """Entry ``i`` of an ExactVector as integer coefficient lists in ``x``."""
    symbols = list(vector.ring.symbols)
    pos = symbols.index(x) if x in symbols else None
    out = []
    for terms in vector.terms(i):
        coefficients: dict[int, int] = {}
        for monomial, c in terms.items():
            if any(e for j, e in enumerate(monomial) if j != pos):
                raise SolveError("a closed form still holds another symbol than "
                                 f"{x}: give every other parameter a value")
            k = monomial[pos] if pos is not None else 0
            coefficients[k] = coefficients.get(k, 0) + int(c)
        out.append(_trim([coefficients.get(k, 0) for k in range(max(coefficients, default=-1)
                                                                   + 1)]))
    return out[0], out[1]


class _Advantage:
    """q(s, a) − v(s) = N/D for one pair: its roots, with the multiplicity in N/D."""

    __slots__ = ("pair", "zero", "roots")

    def __init__(self, pair, numerator, denominator):
        self.pair = pair
        self.zero = not numerator
        self.roots: list[tuple[_Real, int]] = []
        if self.zero:
            return
        order: dict[tuple, int] = {}
        for f, m in _factor(numerator):
            order[f] = order.get(f, 0) + m
        for f, m in _factor(denominator):
            order[f] = order.get(f, 0) - m
        for f, m in order.items():
            if m:
                self.roots.extend((root, m) for root in _real_roots(f))

    def vanishes_at(self, point: _Real) -> bool:
        return self.zero or any(m > 0 and r == point for r, m in self.roots)


def _resolve_variable(mdp: MDP, over) -> Symbol:
    if over is None:
        if not isinstance(mdp.discount, Symbol):
            raise SolveError(f"the discount is the number {mdp.discount}: optimal_pieces needs "
                             "a symbolic discount, or a parameter given by over=...")
        return mdp.discount
    name = over.name if isinstance(over, Symbol) else str(over)
    known = {s.name: s for s in (*mdp.symbols, *mdp.discount.free_symbols)}
    if name not in known:
        if name == "gamma":
            raise SolveError(f"the discount is the number {mdp.discount}, not a symbol")
        near = closest(name, known)
        raise ModelError(f"the model has no parameter {name!r}",
                         hint=f"did you mean {near!r}?" if near else
                         f"its parameters are {', '.join(known) or 'none'}")
    return known[name]


def optimal_pieces(mdp: MDP, *, over=None, low=0, high=1, at: Mapping | None = None,
                   backend: str | None = None) -> OptimalPieces:
    """The optimal policy and v*, q* over a whole range of the discount (or a parameter).

    Parameters
    ----------
    mdp : MDP
        The model; the variable must be its only symbol once ``at`` is put in.
    over : Symbol or str, optional
        The variable; by default the discount (which must then be a symbol).
    low, high : number
        The range [low, high); for the discount a part of [0, 1).
    at : mapping, optional
        Values of the other parameters.
    backend : {"flint", "python"}, optional
        Passed to the exact solver.

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

    >>> from symbellman.examples import exercise_3_22
    >>> pieces = optimal_pieces(exercise_3_22())
    >>> [(p.start, p.end, p.policy["top"]) for p in pieces]
    [(0, 1/2, ('left',)), (1/2, 1, ('right',))]
    >>> pieces[0].tie["top"], pieces.blackwell["top"]
    (('left', 'right'), ('right',))
    >>> pieces[1].v_star["top"]
    2*gamma/(1 - gamma**2)
    """
    mdp = _substitute(mdp, at)
    if mdp.is_mrp:
        raise ModelError("a Markov reward process has no actions to optimise",
                         hint="use solve_v for its values")
    x = _resolve_variable(mdp, over)
    left = [s for s in _remaining_symbols(mdp) if s != x]
    if left:
        raise SolveError("optimal_pieces varies one symbol; give values to "
                         + ", ".join(s.name for s in left) + " with at={...}")
    low_q, high_q = exact(low, place="low"), exact(high, place="high")
    if not (low_q.is_Rational and high_q.is_Rational and low_q < high_q):
        raise ModelError(f"the range must be two numbers low < high, got {low_q}, {high_q}",
                         place="range")
    if x == mdp.discount and (low_q < 0 or high_q > 1):
        raise ModelError(f"a discount range must lie in [0, 1], got [{low_q}, {high_q}]",
                         place="range")
    top = _Real.rational(Fraction(int(high_q.p), int(high_q.q)))
    point = _Real.rational(Fraction(int(low_q.p), int(low_q.q)))
    choice = None
    guess = top
    pieces = []
    while point < top:
        t = _rational_between(point, guess)
        while True:
            model = mdp.subs({x: Rational(t.numerator, t.denominator)})
            choice = _choice(optimal(model, start=choice, backend=backend))
            policy = Policy.deterministic(mdp, choice)
            v = solve_v(mdp, policy, backend=backend)
            q = _solve_q(mdp, policy, v, backend)
            advantages = _advantages(mdp, v, q, choice, x)
            at_t = _Real.rational(t)
            first = None  # the first root of any advantage in (point, t]
            for adv in advantages:
                for root, _ in adv.roots:
                    if point < root and root <= at_t and (first is None or root < first):
                        first = root
            if first is None:
                break
            t = _rational_between(point, first)
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
        interior = {s: tuple(a for a in mdp.actions(s)
                             if a == choice[s] or any(adv.zero for adv in advantages
                                                      if adv.pair == (s, a)))
                    for s in mdp.nonterminal}
        tie = None
        if end is not top:
            tie = {s: tuple(a for a in mdp.actions(s)
                            if a in interior[s] or any(adv.vanishes_at(end) for adv in advantages
                                                       if adv.pair == (s, a)))
                   for s in mdp.nonterminal}
        t_expr = Rational(t.numerator, t.denominator)
        check_model = mdp.subs({x: t_expr})
        # (not v.at: it refuses a symbol that this policy's values happen not to hold)
        values_t = {s: v[s].xreplace({x: t_expr}) for s in mdp.states}
        certificate = certify(check_model, values_t, interior)
        if not certificate.holds:  # pragma: no cover - would be a bug in this module
            raise ArithmeticError("a piece failed its certificate: " + "; ".join(
                certificate.problems))
        pieces.append(Piece(point.expr(x), end.expr(x), point.decimal(), end.decimal(),
                            interior, tie, _relabel(v, "v_star"), _relabel(q, "q_star"),
                            t_expr, certificate))
        # the next guess: up to the next root of any advantage after ``end``
        guess = top
        for adv in advantages:
            for root, _ in adv.roots:
                if end < root and root < guess:
                    guess = root
        point = end
    return OptimalPieces(mdp, x, low_q, high_q, tuple(pieces))


def _choice(solution: OptimalSolution) -> dict[str, str]:
    return {s: solution.greedy.support(s)[0] for s in solution.mdp.nonterminal}


def _advantages(mdp: MDP, v: ValueFunction, q: ActionValueFunction, choice, x: Symbol):
    cached: dict[str, tuple] = {}
    out = []
    for s, a in mdp.state_action_pairs:
        if a == choice[s]:
            continue  # q(s, π(s)) = v(s) identically
        if s not in cached:
            cached[s] = _univariate(v._vector, v._index[s], x)
        vn, vd = cached[s]
        qn, qd = _univariate(q._vector, q._index[(s, a)], x)
        out.append(_Advantage((s, a), _poly_sub(poly_mul(qn, vd), poly_mul(vn, qd)),
                              poly_mul(qd, vd)))
    return out
