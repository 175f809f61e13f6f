"""A model's numbers as Fractions over state indices, with the discount left free.

The pieces over γ run exact policy iteration at many rational discounts. Substituting
each one into the model (:meth:`MDP.subs`) rebuilds and re-validates every outcome; here
the probabilities and rewards are read once, and a discount t is bound only where it is
multiplied in: policy iteration (:func:`policy_iteration_at`) and the certificate
(:func:`certificate_at`) at t, in integers, give exactly what :func:`~.iteration.optimal` and
:func:`~.iteration.certify` give on ``mdp.subs({γ: t})``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from sympy import Rational

from ..core.expressions import as_fraction
from ..linalg import get_backend
from ..model.mdp import MDP
from .choice import Certificate, improve, initial_choice

__all__ = ["DiscountArrays", "discount_arrays", "policy_iteration_at", "certificate_at"]


@dataclass(frozen=True)
class DiscountArrays:
    """The rational numbers of an MDP whose discount is a free symbol, as integers.

    With L the lcm of every probability's and expected reward's denominator,
    L·q(s, a) = ``reward[s, a]`` + t·Σ_k w_k·v(k) at the discount t.

    Attributes
    ----------
    mdp : MDP
    index : mapping of non-terminal state to its row
    scale : int
        L.
    reward : mapping of (state, action) to int
        L·r(s, a), with r(s, a) = Σ p·r.
    weights : mapping of (state, action) to tuple of (row, int)
        L·P(k | s, a) for each non-terminal next state's row k (a terminal state's
        value is 0).
    """

    mdp: MDP
    index: Mapping[str, int]
    scale: int
    reward: Mapping[tuple, int]
    weights: Mapping[tuple, tuple]


def discount_arrays(mdp: MDP) -> DiscountArrays | None:
    """The model's numbers as integers, or None if a probability or reward is symbolic.

    >>> from symbellman.model.examples import exercise_3_22
    >>> arrays = discount_arrays(exercise_3_22())
    >>> arrays.scale, arrays.reward["top", "left"], arrays.weights["top", "right"]
    (1, 1, ((2, 1),))
    """
    index = {s: i for i, s in enumerate(mdp.nonterminal)}
    rows, expected = {}, {}
    for pair in mdp.state_action_pairs:
        row: dict[int, Fraction] = {}
        total = Fraction(0)
        for o in mdp.outcomes(*pair):
            p, r = o.probability, o.reward
            if not (p.is_Rational and r.is_Rational):
                return None
            p = as_fraction(p)
            total += p * as_fraction(r)
            k = index.get(o.next_state)
            if k is not None:
                row[k] = row.get(k, Fraction(0)) + p
        rows[pair], expected[pair] = row, total
    scale = math.lcm(1, *(x.denominator for x in expected.values()),
                     *(p.denominator for row in rows.values() for p in row.values()))
    return DiscountArrays(mdp, index, scale,
                          {pair: int(x * scale) for pair, x in expected.items()},
                          {pair: tuple((k, int(p * scale)) for k, p in row.items())
                           for pair, row in rows.items()})


def values_at(arrays: DiscountArrays, t: Fraction, choice: Mapping[str, str],
              backend: str | None = None) -> tuple[list[int], int]:
    """v_π at the discount t for the deterministic ``choice`` as (V, D), v = V/D, one
    integer per non-terminal state (in ``arrays.index`` order): one exact rational solve
    of (I − tP_π)v = r_π."""
    rows, rewards = [], []
    for s in arrays.index:
        pair = (s, choice[s])
        rows.append({k: t * Fraction(w, arrays.scale) for k, w in arrays.weights[pair]})
        rewards.append(arrays.reward[pair])
    solved = get_backend(backend).solve_rational(rows, [rewards], arrays.scale)
    return _common([row[0] for row in solved])


def _common(values: list[Fraction]) -> tuple[list[int], int]:
    d = math.lcm(1, *(v.denominator for v in values))
    return [v.numerator * (d // v.denominator) for v in values], d


def _scaled_q(arrays: DiscountArrays, a: int, b: int, V: list[int], D: int, pair) -> int:
    """L·b·D·q(s, a) at the discount t = a/b, for v = V/D: an integer."""
    return (arrays.reward[pair] * b * D
            + a * sum(w * V[k] for k, w in arrays.weights[pair]))


def policy_iteration_at(arrays: DiscountArrays, t: Fraction, start: Mapping[str, str] | None,
                        backend: str | None = None) -> tuple[dict[str, str], list[Fraction]]:
    """Exact policy iteration at the discount t < 1, as :func:`~.iteration.optimal` runs it
    on the model with t put in (the same start, the same improvements, the same ties kept).

    Returns the final deterministic choice and its values (in ``arrays.index`` order).

    >>> from symbellman.model.examples import exercise_3_22
    >>> arrays = discount_arrays(exercise_3_22())
    >>> choice, v = policy_iteration_at(arrays, Fraction(9, 10), None)
    >>> choice["top"], v  # v(top) = 2γ/(1 − γ²), v(left) = γ·v(top), v(right) = 2 + γv(top)
    ('right', [Fraction(180, 19), Fraction(162, 19), Fraction(200, 19)])
    """
    mdp = arrays.mdp
    if start:
        choice = dict(start)
    else:
        choice = initial_choice(mdp, Rational(t.numerator, t.denominator),
                                lambda s, a: arrays.reward[s, a])
    for s in mdp.nonterminal:
        choice.setdefault(s, mdp.actions(s)[0])
    a, b = t.numerator, t.denominator
    while True:
        V, D = values_at(arrays, t, choice, backend)
        # L·b·D·q orders the actions as q does
        if not improve(mdp, choice, lambda s, act: _scaled_q(arrays, a, b, V, D, (s, act))):
            return choice, [Fraction(x, D) for x in V]


def certificate_at(arrays: DiscountArrays, t: Fraction, values: list[Fraction],
                   chosen: Mapping[str, tuple]) -> Certificate:
    """:func:`~.iteration.certify` of ``values`` (in ``arrays.index`` order) on the model
    at the discount t < 1, in integers.

    >>> from symbellman.model.examples import exercise_3_22
    >>> arrays = discount_arrays(exercise_3_22())
    >>> t = Fraction(9, 10)
    >>> c = certificate_at(arrays, t, policy_iteration_at(arrays, t, None)[1],
    ...                    {"top": ("right",), "left": ("back",), "right": ("back",)})
    >>> c.holds, c.advantages["top", "left"]  # 1 − (1 − γ²)·v(top) = 1 − 2γ
    (True, -4/5)
    """
    V, D = _common(values)
    a, b = t.numerator, t.denominator
    denominator = arrays.scale * b * D
    advantages, problems = {}, []
    for s, act in arrays.mdp.state_action_pairs:
        scaled = (_scaled_q(arrays, a, b, V, D, (s, act))
                  - arrays.scale * b * V[arrays.index[s]])
        advantages[(s, act)] = advantage = Rational(scaled, denominator)
        if scaled > 0:
            problems.append(f"q({s}, {act}) exceeds v({s}) by {advantage}")
        elif act in chosen.get(s, ()) and scaled != 0:
            problems.append(f"{act} is called optimal in {s} but loses {-advantage}")
        elif act not in chosen.get(s, ()) and scaled == 0:
            problems.append(f"{act} ties in {s} but is not listed as optimal")
    for s in arrays.mdp.nonterminal:
        if not chosen.get(s):
            problems.append(f"no optimal action given for {s}")
    return Certificate(advantages, not problems, tuple(problems))
