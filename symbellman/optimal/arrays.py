"""A model's numbers as Fractions over state indices, with the discount left free.

The pieces over γ run exact policy iteration at many rational discounts. Substituting
each one into the model (:meth:`MDP.subs`) rebuilds and re-validates every outcome; here
the probabilities and rewards are read once, and a discount t is bound only where it is
multiplied in: policy iteration (:func:`policy_iteration_at`) and the certificate
(:func:`certificate_at`) at t give exactly what :func:`~.iteration.optimal` and
:func:`~.iteration.certify` give on ``mdp.subs({γ: t})``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from sympy import Rational

from ..linalg import get_backend
from ..model import MDP
from .iteration import Certificate, initial_choice

__all__ = ["DiscountArrays", "discount_arrays", "policy_iteration_at", "certificate_at"]


@dataclass(frozen=True)
class DiscountArrays:
    """The rational numbers of an MDP whose discount is a free symbol.

    Attributes
    ----------
    mdp : MDP
    index : mapping of non-terminal state to its row
    outcomes : mapping of (state, action) to tuple of (p, r, row or None)
        Each outcome's probability and reward as Fractions, and the row of its next
        state (None for a terminal state, whose value is 0).
    expected : mapping of (state, action) to Fraction
        r(s, a) = Σ p·r.
    """

    mdp: MDP
    index: Mapping[str, int]
    outcomes: Mapping[tuple, tuple]
    expected: Mapping[tuple, Fraction]


def discount_arrays(mdp: MDP) -> DiscountArrays | None:
    """The model's numbers as Fractions, or None if a probability or reward is symbolic.

    >>> from symbellman.examples import exercise_3_22
    >>> arrays = discount_arrays(exercise_3_22())
    >>> arrays.expected["top", "left"], arrays.outcomes["top", "right"]
    (Fraction(1, 1), ((Fraction(1, 1), Fraction(0, 1), 2),))
    """
    index = {s: i for i, s in enumerate(mdp.nonterminal)}
    outcomes, expected = {}, {}
    for pair in mdp.state_action_pairs:
        row = []
        for o in mdp.outcomes(*pair):
            p, r = o.probability, o.reward
            if not (p.is_Rational and r.is_Rational):
                return None
            row.append((Fraction(int(p.p), int(p.q)), Fraction(int(r.p), int(r.q)),
                        index.get(o.next_state)))
        outcomes[pair] = tuple(row)
        expected[pair] = sum((p * r for p, r, _ in row), Fraction(0))
    return DiscountArrays(mdp, index, outcomes, expected)


def values_at(arrays: DiscountArrays, t: Fraction, choice: Mapping[str, str],
              backend: str | None = None) -> list[Fraction]:
    """v_π at the discount t for the deterministic ``choice``: one exact rational solve of
    (I − tP_π)v = r_π, one value per non-terminal state (in ``arrays.index`` order)."""
    rows, rewards = [], []
    for s in arrays.index:
        row: dict[int, Fraction] = {}
        for p, _, k in arrays.outcomes[s, choice[s]]:
            if k is not None:
                row[k] = row.get(k, Fraction(0)) + t * p
        rows.append(row)
        rewards.append(arrays.expected[s, choice[s]])
    d = math.lcm(*(r.denominator for r in rewards)) if rewards else 1
    solved = get_backend(backend).solve_rational(rows, [[int(r * d) for r in rewards]], d)
    return [row[0] for row in solved]


def _q(arrays: DiscountArrays, t: Fraction, values: list[Fraction], pair) -> Fraction:
    """q(s, a) = r(s, a) + t·Σ p·v(s') at the discount t."""
    future = sum((p * values[k] for p, _, k in arrays.outcomes[pair] if k is not None),
                 Fraction(0))
    return arrays.expected[pair] + t * future


def policy_iteration_at(arrays: DiscountArrays, t: Fraction, start: Mapping[str, str] | None,
                        backend: str | None = None) -> tuple[dict[str, str], list[Fraction]]:
    """Exact policy iteration at the discount t < 1, as :func:`~.iteration.optimal` runs it
    on the model with t put in (the same start, the same improvements, the same ties kept).

    Returns the final deterministic choice and its values (in ``arrays.index`` order).

    >>> from symbellman.examples import exercise_3_22
    >>> arrays = discount_arrays(exercise_3_22())
    >>> policy_iteration_at(arrays, Fraction(9, 10), None)  # v(top) = 2γ/(1 − γ²)
    ({'top': 'right', 'left': 'back', 'right': 'back'}, [Fraction(180, 19), Fraction(162, 19), Fraction(200, 19)])
    """
    mdp = arrays.mdp
    if start:
        choice = dict(start)
    else:
        choice = initial_choice(mdp, Rational(t.numerator, t.denominator),
                                lambda s, a: arrays.expected[s, a])
    for s in mdp.nonterminal:
        choice.setdefault(s, mdp.actions(s)[0])
    while True:
        values = values_at(arrays, t, choice, backend)
        changed = False
        for s in mdp.nonterminal:
            q = {a: _q(arrays, t, values, (s, a)) for a in mdp.actions(s)}
            best = max(q.values())
            if q[choice[s]] < best:  # keep the current action on ties: no cycling
                choice[s] = next(a for a in mdp.actions(s) if q[a] == best)
                changed = True
        if not changed:
            return choice, values


def certificate_at(arrays: DiscountArrays, t: Fraction, values: list[Fraction],
                   chosen: Mapping[str, tuple]) -> Certificate:
    """:func:`~.iteration.certify` of ``values`` (in ``arrays.index`` order) on the model
    at the discount t < 1, in Fractions.

    >>> from symbellman.examples import exercise_3_22
    >>> arrays = discount_arrays(exercise_3_22())
    >>> t = Fraction(9, 10)
    >>> c = certificate_at(arrays, t, policy_iteration_at(arrays, t, None)[1],
    ...                    {"top": ("right",), "left": ("back",), "right": ("back",)})
    >>> c.holds, c.advantages["top", "left"]  # 1 − (1 − γ²)·v(top) = 1 − 2γ
    (True, -4/5)
    """
    advantages, problems = {}, []
    for s, a in arrays.mdp.state_action_pairs:
        advantage = _q(arrays, t, values, (s, a)) - values[arrays.index[s]]
        advantages[(s, a)] = Rational(advantage.numerator, advantage.denominator)
        if advantage > 0:
            problems.append(f"q({s}, {a}) exceeds v({s}) by {advantages[(s, a)]}")
        elif a in chosen.get(s, ()) and advantage != 0:
            problems.append(f"{a} is called optimal in {s} but loses {-advantages[(s, a)]}")
        elif a not in chosen.get(s, ()) and advantage == 0:
            problems.append(f"{a} ties in {s} but is not listed as optimal")
    for s in arrays.mdp.nonterminal:
        if not chosen.get(s):
            problems.append(f"no optimal action given for {s}")
    return Certificate(advantages, not problems, tuple(problems))
