"""Exact policy iteration at a numeric discount, and its independent certificate.

:func:`optimal` solves the Bellman optimality equations by policy iteration in exact
rational arithmetic: each policy is evaluated with the exact solver
(:func:`~symbellman.solve.evaluate.solve_v`), improved by exact comparisons, and the result
keeps every tie, so a state may have several optimal actions (the several arrows of
Sutton & Barto's Figure 3.5). :meth:`OptimalSolution.certificate` checks the answer
independently: with q(s, a) recomputed from the model and v*, every advantage
q(s, a) − v*(s) is ≤ 0, and 0 exactly on the optimal actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

import sympy
from sympy import Expr, Integer, Symbol
from sympy.printing.defaults import Printable

from ..core.errors import ModelError, SolveError
from ..solve.evaluate import solve_q, solve_v
from ..core.expressions import as_fraction, exact
from ..linalg import check_degrees
from ..model.mdp import MDP
from ..model.policy import Policy
from ..solve.results import ActionValueFunction, ValueFunction
from ..core.escape import latex_name
from .choice import Certificate, sweep_until_stable, improve, initial_choice

__all__ = ["optimal", "certify", "OptimalSolution", "Certificate", "substitute",
           "free_symbols", "proper_ties", "check_model_degrees", "initial_choice",
           "require_actions", "improve"]

#: Policy iteration converges in far fewer steps on any model symbellman can solve.
_MAX_ITERATIONS = 10_000


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

    >>> from symbellman.model.examples import student_mdp
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
    if discount.is_Rational and discount < 1 and all(v.is_Rational for v in value.values()):
        # the same certificate in integers over one denominator (no SymPy sums of
        # values with thousands of digits)
        from .arrays import certificate_at, discount_arrays

        arrays = discount_arrays(mdp)
        if arrays is not None:
            t = as_fraction(discount)
            return certificate_at(arrays, t, [as_fraction(value[s])
                                              for s in arrays.index], chosen)
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
        elif not optimal_here and advantage == 0 and discount != 1:
            # (at discount 1 a tie may lead into a cycle that never ends: see proper_ties)
            problems.append(f"{a} ties in {s} but is not listed as optimal")
    for s in mdp.nonterminal:
        if not chosen.get(s):
            problems.append(f"no optimal action given for {s}")
    return Certificate(advantages, not problems, tuple(problems))


@dataclass(frozen=True, repr=False)
class OptimalSolution(Printable):
    """v*, q* and the optimal actions of an MDP at a numeric discount.

    It prints through SymPy's printers like the value functions (``_latex``,
    ``_sympystr``), so Jupyter shows it as LaTeX.

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
        rows = []
        for s in self.mdp.states:
            actions = self.policy.get(s, ())
            chosen = r"\text{optimal: }" + ", ".join(latex_name(a) for a in actions) \
                if actions else ""
            rows.append(r"%s &= %s & &%s" % (printer._print(self.v_star.lhs(s)),
                                             printer._print(self.v_star[s]), chosen))
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _sympystr(self, printer) -> str:
        return "\n".join(f"{printer._print(self.v_star.lhs(s))} = "
                         f"{printer._print(self.v_star[s])}"
                         + (f"  optimal: {', '.join(self.policy[s])}" if s in self.policy
                            else "") for s in self.mdp.states)


def require_actions(mdp: MDP) -> None:
    """Refuse a Markov reward process: it has no actions to optimise."""
    if mdp.is_mrp:
        raise ModelError("a Markov reward process has no actions to optimise",
                         hint="use solve_v for its values")


def check_model_degrees(mdp: MDP) -> None:
    """Refuse a model whose numbers are polynomials of a degree the exact algebra cannot
    take (substituting a value into γ**(10**9) alone builds a billion-bit number)."""
    numbers = [o for s, a in mdp.state_action_pairs for o in mdp.outcomes(s, a)]
    check_degrees(len(mdp.nonterminal), [mdp.discount, *(o.probability for o in numbers)],
                  [o.reward for o in numbers])


def substitute(mdp: MDP, at: Mapping | None) -> MDP:
    """The model with the values of ``at`` put in (``gamma`` replaces a numeric discount)."""
    if not at:
        return mdp
    check_model_degrees(mdp)
    values = dict(at)
    name = lambda k: k.name if isinstance(k, Symbol) else str(k)  # noqa: E731
    if not mdp.discount.free_symbols:
        for k in list(values):
            if name(k) == "gamma":
                mdp = mdp.replace(discount=exact(values.pop(k), place=str(k)))
    return mdp.subs(values) if values else mdp


def free_symbols(mdp: MDP) -> list[Symbol]:
    """The symbols left in the model: its parameters and those of its discount."""
    return sorted(set(mdp.symbols) | set(mdp.discount.free_symbols), key=lambda x: x.name)


def proper_ties(mdp: MDP, v: Mapping[str, Expr], ties: Mapping[str, tuple]
                ) -> dict[str, tuple]:
    """At discount 1, the tied actions that some policy worth v* really uses.

    With γ = 1, q(s, a) = v*(s) does not make a optimal: a zero-reward cycle ties
    with the way out, yet a policy that takes it never ends and earns 0, not v*(s).
    A policy of tied actions is worth v* exactly when every closed class it can
    enter earns 0 and has v* = 0. The states from which such a policy exists are
    found as an almost-sure attractor of the terminal states and of the largest set
    of v* = 0 states that tied actions can stay in; an action is kept when the policy
    that takes it, and elsewhere steps down the attractor's ranks, reaches that
    target from every state with positive probability.

    >>> m = MDP(["A", "End"], {"A": {"stay": {"to": "A"}, "stop": {"to": "End", "r": 5}}},
    ...         actions={"A": ["stay", "stop"]}, terminal=["End"], discount=1)
    >>> proper_ties(m, {"A": 5, "End": 0}, {"A": ("stay", "stop")})
    {'A': ('stop',)}
    """
    def successors(s, a):
        return {o.next_state for o in mdp.outcomes(s, a) if o.probability != 0}
    terminal = set(mdp.terminal)
    # the largest set of v* = 0 states in which tied actions can stay forever
    safe = {s for s in mdp.nonterminal if v[s] == 0}
    changed = True
    while changed:
        changed = False
        for s in list(safe):
            if not any(successors(s, a) <= safe | terminal for a in ties[s]):
                safe.discard(s)
                changed = True
    target = terminal | safe
    # almost-sure reachability of the target with tied actions, and each state's rank
    alive = set(mdp.nonterminal) | terminal
    while True:
        rank = {s: 0 for s in target}

        def ranked(s) -> bool:
            if s in rank or s not in alive or not any(
                    successors(s, a) <= alive and successors(s, a) & set(rank) for a in ties[s]):
                return False
            rank[s] = 1 + min(rank[t] for a in ties[s] if successors(s, a) <= alive
                              for t in successors(s, a) & set(rank))
            return True
        sweep_until_stable(mdp.nonterminal, ranked)
        if set(rank) == alive:
            break
        alive = set(rank)
    step = {s: next(a for a in ties[s] if successors(s, a) <= alive and any(
        rank.get(t, rank[s]) < rank[s] for t in successors(s, a)))
        for s in mdp.nonterminal if s in alive and s not in target}

    def witness(s, a) -> bool:
        """Does the policy (a in s, ``step`` elsewhere) reach the target from everywhere?"""
        choice = dict(step, **{s: a})
        reached = set(target) - {s}
        grown = True
        while grown:
            grown = False
            for u, b in choice.items():
                if u not in reached and successors(u, b) & reached:
                    reached.add(u)
                    grown = True
        return all(u in reached for u in choice)
    kept = {}
    for s in mdp.nonterminal:
        kept[s] = tuple(a for a in ties[s] if successors(s, a) <= alive and (
            (s in safe and successors(s, a) <= target)
            or any(rank.get(t, rank.get(s, 0)) < rank.get(s, 0) for t in successors(s, a))
            or witness(s, a)))
    return kept


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

    >>> from symbellman.model.examples import student_mdp
    >>> best = optimal(student_mdp())
    >>> [best.v_star[s] for s in best.mdp.states]
    [6, 6, 8, 10, 0]
    >>> best.q_star["Class3", "pub"], best.policy["Class3"]
    (47/5, ('study',))
    >>> best.certificate().holds
    True
    """
    mdp = substitute(mdp, at)
    require_actions(mdp)
    left = free_symbols(mdp)
    if left:
        names = ", ".join(x.name for x in left)
        raise SolveError(f"the exact optimum needs numbers, but {names} "
                         f"{'has' if len(left) == 1 else 'have'} no value: give values "
                         "with at={...}, or use optimal_pieces for the optimum over a range")
    choice = dict(start) if start else initial_choice(mdp)
    for s in mdp.nonterminal:
        choice.setdefault(s, mdp.actions(s)[0])
    for iteration in range(1, _MAX_ITERATIONS + 1):
        greedy = Policy.deterministic(mdp, choice)
        try:
            v = solve_v(mdp, greedy, backend=backend)
            if v.undefined:
                raise SolveError("at discount 1 the values of " + ", ".join(v.undefined)
                                 + " diverge or are undefined")
        except SolveError as exc:
            if iteration == 1 and start:
                raise
            raise SolveError(
                "at discount 1 policy iteration was led to a policy that never ends, "
                f"which looked better ({exc}): the model pays for staying forever, so "
                "v* is unbounded; use a discount below 1") from None
        q = solve_q(mdp, greedy, v=v, backend=backend)
        if not improve(mdp, choice, lambda s, a: q[s, a]):
            break
    else:  # pragma: no cover - policy iteration is finite
        raise SolveError("policy iteration did not converge")
    sets = {s: tuple(a for a in mdp.actions(s) if q[s, a] == v[s]) for s in mdp.nonterminal}
    if mdp.discount == 1:
        sets = proper_ties(mdp, {s: v[s] for s in mdp.states}, sets)
    return OptimalSolution(mdp, v.with_head("v_star"), q.with_head("q_star"), sets, greedy,
                           iteration)
