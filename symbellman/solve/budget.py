"""Budgets before work: what solving a model would cost, estimated before it starts.

A model file of a few megabytes can ask for closed forms of terabytes (5,000 states with
a symbolic discount) or for hours of exact elimination. The command line estimates the
output and the work of ``solve`` from the model's shape alone (in microseconds; at a
numeric discount from 300 states it reads the rows of γP_π to learn the route, 0.3 s
at 5,000 states), and refuses in one line what is over budget, saying what it would
cost and how to ask for less: a numeric discount (``--at gamma=9/10``), less output
(``--what v``), an explicit ``--timeout`` (which lets a long numeric solve run,
bounded), or a larger budget.

The estimates (measured on the project's 2-core machine, see docs/performance.md):

- **closed forms in γ** (numeric probabilities): each of the n values is a rational
  function of degree up to n (Cramer's rule), and its integer coefficients grow by
  about log10(L)/5 digits per degree, L the largest denominator of a probability times
  a policy weight. One closed form takes about 2(n + 1)(n·log10(L)/5 + 4) bytes of
  text; q_π has one per state-action pair. On gridworlds (L = 4) of 100, 225 and 400
  states this is within 10% of v's measured size (0.34, 2.6 and 16.5 MB).
- **a numeric discount**: the values are exact rationals of up to about n·log10(L)
  digits. The time depends on the route the solve will take, which is asked of the
  solver itself (:func:`symbellman.linalg.lifting.applies` on the rows of γP_π):
  numeric–symbolic lifting (from 300 states, sparse rows, γ < 1) takes about
  1.6e-6·n² seconds, its work following the output's n values of about n digits each
  rather than n³; otherwise the dense exact solve takes about 2.6e-9·n³ seconds
  (2,000 states with two successors each: 21 s measured). A very sparse system (at
  most 1.25 entries a row) is eliminated sparsely, faster than that: the estimate is
  pessimistic there.

>>> from symbellman.model.examples import student_mdp
>>> from symbellman.core.symbols import gamma
>>> e = estimate(student_mdp(discount=gamma))
>>> e.route, e.states, e.degree
('closed forms in gamma', 4, 4)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..core.errors import SymbellmanError
from ..core.limits import ENVIRONMENT, Limits, current as current_limits
from ..linalg.solve import degree_bound
from ..model.mdp import MDP

__all__ = ["Estimate", "estimate", "check_budget", "BudgetError", "SECONDS_PER_CUBE",
           "SECONDS_PER_SQUARE"]

#: Seconds per n³ of the dense exact solve at a numeric discount (this machine).
SECONDS_PER_CUBE = 2.6e-9
#: Seconds per n² of the lifting route (linalg/lifting.py) at a numeric discount. Fitted
#: on the CPU time of solve_v at γ = 9/10 on benchmarks.models.sparse_yaml(n) (2 actions,
#: 2 successors each), uniform and deterministic policies, on the project's 2-core
#: machine (2026-12-05): n = 600, 1,200, 2,000, 5,000 took 0.75, 2.4, 5.8, 33 s, that is
#: 2.1, 1.6, 1.45, 1.3e-6·n² (the small sizes carry fixed costs); the 1,200-state value is
#: taken. The dense route took 0.46 and 3.4 s at 600 and 1,200 states in the same run.
SECONDS_PER_SQUARE = 1.6e-6


class BudgetError(SymbellmanError):
    """The estimated cost of a command is over its budget."""


@dataclass(frozen=True)
class Estimate:
    """What solving would cost: the route, the unknowns, the degree in γ of each closed
    form (0 at a numeric discount), the bytes of text written and the seconds of work
    (None where the route's time is not estimated), and at a numeric discount which
    exact solve the time is for."""

    route: str
    states: int
    degree: int
    output_bytes: int
    seconds: float | None
    #: At a numeric discount, the solve that will run: "lifting" or "dense" (else None).
    solver: str | None = None


def _digits_per_step(mdp: MDP, policy) -> float:
    """log10 of the largest denominator of a probability times a policy weight."""
    largest = 1
    for s in mdp.nonterminal:
        for a in mdp.actions(s):
            w = policy.weight(s, a) if policy is not None and a is not None else None
            den_w = w.q if w is not None and w.is_Rational else 1
            for o in mdp.outcomes(s, a):
                p = o.probability
                if p.is_Rational:
                    largest = max(largest, p.q * den_w)
    return max(math.log10(largest), 0.3)


def _degree(mdp: MDP, policy) -> int:
    """Cramer's bound on the degree of the closed forms: each row of I − γP adds the
    largest degree of its entries (γ's 1, plus a probability's or weight's own)."""
    symbolic = bool(mdp.discount.free_symbols)
    total = 0
    for s in mdp.nonterminal:
        row = 1 if symbolic else 0
        for a in mdp.actions(s):
            w = policy.weight(s, a) if policy is not None and a is not None else None
            extra = 0 if w is None or w.is_Rational else degree_bound(w)
            for o in mdp.outcomes(s, a):
                if not o.probability.is_Rational or extra:
                    row = max(row, int(symbolic) + extra + (
                        0 if o.probability.is_Rational else degree_bound(o.probability)))
        total += row
    return total


def estimate(mdp: MDP, policy=None, what=("v", "q")) -> Estimate:
    """The estimated cost of ``solve`` (v_π and/or q_π, as ``what`` says).

    With symbols (γ, or parameters in probabilities and policy weights) the closed forms
    have degree up to the sum over the rows of I − γP of each row's largest degree.

    >>> from symbellman.model.examples import student_mdp
    >>> estimate(student_mdp(discount="9/10"), what=("v",)).route
    'numeric discount'
    """
    if policy is None and not mdp.is_mrp:
        from ..model.policy import Policy

        policy = Policy.uniform(mdp)
    n = len(mdp.nonterminal)
    pairs = len(mdp.state_action_pairs) if not mdp.is_mrp else 0
    forms = (n if "v" in what else 0) + (pairs if "q" in what else 0)
    step = _digits_per_step(mdp, policy)
    degree = _degree(mdp, policy)
    if degree:
        per_form = 2 * (degree + 1) * (degree * step / 5 + 4)
        route = ("closed forms in gamma" if mdp.discount.free_symbols
                 else "closed forms in the parameters")
        return Estimate(route, n, degree, int(forms * per_form), None)
    digits = n * step + 2
    if _lifted(mdp, policy):
        return Estimate("numeric discount", n, 0, int(forms * 2 * digits),
                        SECONDS_PER_SQUARE * n ** 2, "lifting")
    return Estimate("numeric discount", n, 0, int(forms * 2 * digits),
                    SECONDS_PER_CUBE * n ** 3, "dense")


def _lifted(mdp: MDP, policy) -> bool:
    """Whether the solve at this numeric discount takes the lifting route: the rows of
    γP_π over the non-terminal states, as the solver will see them, asked of the solver.

    >>> from symbellman.model.examples import student_mdp
    >>> _lifted(student_mdp(discount="9/10"), None)  # 4 states: the dense solve
    False
    """
    from ..linalg.lifting import LIFT_MIN_STATES, applies
    from ..linalg.rational import discounted_rows
    from ..model.induced import induced_chain
    from .evaluate import policy_for

    if len(mdp.nonterminal) < LIFT_MIN_STATES or not mdp.discount.is_Rational:
        return False
    chain = induced_chain(mdp, policy_for(mdp, policy))  # the rows solve_v solves
    if not all(x.is_Rational for row in chain.rows for x in row.values()):
        return False
    return applies(discounted_rows(chain.rows, mdp.discount))


def _size(nbytes: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if nbytes >= scale:
            return f"{nbytes / scale:,.1f} {unit}" if nbytes < 10 * scale \
                else f"{nbytes / scale:,.0f} {unit}"
    return f"{int(nbytes)} bytes"


def _duration(seconds: float) -> str:
    if seconds >= 7200:
        return f"{seconds / 3600:,.0f} hours"
    if seconds >= 120:
        return f"{seconds / 60:,.0f} minutes"
    return f"{seconds:,.0f} s"


def check_budget(mdp: MDP, policy=None, what=("v", "q"), *, timeout: float | None = None,
                 limits: Limits | None = None, choose: bool = True,
                 values: bool = True) -> Estimate:
    """The estimate, or a :class:`BudgetError` when it is over budget.

    The output may be at most ``limits.output_mb`` megabytes; the work at most
    ``limits.work_seconds`` seconds, unless ``timeout`` is given (the run is then bounded
    by it, and the user has accepted the wait). ``choose``: the command has ``--what``,
    so the message may suggest it; ``values``: giving the symbols values makes it
    cheaper (not so for a handout, whose closed forms are always in γ).

    >>> from symbellman.model.mdp import MDP
    >>> ring = MDP([f"s{i}" for i in range(5000)],
    ...            {f"s{i}": [(f"s{(i + 1) % 5000}", "1/3", 1), (f"s{i}", "2/3", 0)]
    ...             for i in range(5000)})
    >>> check_budget(ring)
    Traceback (most recent call last):
    ...
    symbellman.solve.budget.BudgetError: the closed forms in gamma of 5,000 states would be about 24 GB of text (degree up to 5,000 in gamma), over the budget of 2,048 MB: give the discount a value (--at gamma=9/10) for exact numbers, or raise SYMBELLMAN_MAX_OUTPUT_MB
    """
    limits = limits or current_limits()
    found = estimate(mdp, policy, what)
    budget = limits.output_mb * 1e6
    if found.output_bytes > budget:
        less = []
        if values and found.degree and mdp.discount.free_symbols:
            less.append("give the discount a value (--at gamma=9/10) for exact numbers")
        elif values and found.degree:
            less.append("give the parameters values (--at NAME=VALUE) for exact numbers")
        elif found.degree:
            less.append("use solve --at gamma=9/10 for exact numbers at one discount")
        if choose and len(what) > 1 and not mdp.is_mrp:
            less.append("ask for v or q alone (--what v)")
        less.append(f"raise {ENVIRONMENT['output_mb']}")
        in_what = "gamma" if mdp.discount.free_symbols else "the parameters"
        what_text = (f"the closed forms in {in_what} of {found.states:,} states"
                     if found.degree else f"the exact values of {found.states:,} states")
        degree = f" (degree up to {found.degree:,} in {in_what})" if found.degree else ""
        raise BudgetError(f"{what_text} would be about {_size(found.output_bytes)} of "
                          f"text{degree}, over the budget of {limits.output_mb:,} MB: "
                          + ", or ".join(less))
    if found.seconds is not None and found.seconds > limits.work_seconds and timeout is None:
        how = ("exact lifting, about n² steps" if found.solver == "lifting"
               else "a dense exact solve, n³ steps")
        raise BudgetError(f"solving {found.states:,} states exactly would take about "
                          f"{_duration(found.seconds)} ({how}), over "
                          f"the budget of {limits.work_seconds:g} s: give --timeout SECONDS "
                          f"to run it anyway within that time, or raise "
                          f"{ENVIRONMENT['work_seconds']}")
    return found
