"""Cited models for the finite-horizon and average-reward criteria, built in code.

Like :mod:`symbellman.model.examples` (whose catalogue :data:`~symbellman.model.examples.EXAMPLES`
lists these too), each function returns a fresh model and its docstring names the
source and the reward convention; the YAML files in ``examples/`` hold the same models.
"""

from __future__ import annotations

from .mdp import MDP

__all__ = ["puterman_two_state", "puterman_two_state_average", "exercise_10_6",
           "exercise_10_7"]

_TWO_STATE_TRANSITIONS = {
    "s1": {"a11": [{"to": "s1", "p": "0.8", "r": 5}, {"to": "s2", "p": "0.2", "r": -5}],
           "a12": {"to": "s2", "r": 5}},
    "s2": {"a21": {"to": "s2", "r": -5},
           "a22": [{"to": "s1", "p": "0.4", "r": 20}, {"to": "s2", "p": "0.6", "r": -10}]},
}


def puterman_two_state(discount=1, horizon: int = 2) -> MDP:
    """Puterman & Chan's two-state model, as a finite-horizon problem.

    Description
    -----------
    States ``s1`` and ``s2``, two actions in each. In ``s1``, ``a11`` stays with
    probability 0.8 and moves to ``s2`` with 0.2; ``a12`` moves to ``s2``. In ``s2``,
    ``a21`` stays; ``a22`` moves to ``s1`` with probability 0.4 and stays with 0.6.
    Nothing is terminal; the horizon is H = 2 decisions (their N = 3 epochs) with
    terminal reward 0.

    Rewards
    -------
    On (s, a, s'): (s1, a11) pays 5 staying and −5 moving; (s1, a12) pays 5;
    (s2, a21) pays −5; (s2, a22) pays 20 moving to ``s1`` and −10 staying. So
    r(s1, a11) = 3, r(s1, a12) = 5, r(s2, a21) = −5, r(s2, a22) = 2.

    Source
    ------
    M. L. Puterman and T. C. Y. Chan, *Markov Decision Processes and Reinforcement
    Learning* (Cambridge University Press, 2025; chapters public at
    github.com/martyput/MDP_book), Section 2.5; the finite-horizon example of
    Sections 4.1.2 and 4.5.4 (Tables 4.3 and 4.4), undiscounted.

    Examples
    --------
    >>> m = puterman_two_state()
    >>> m.criteria.horizon, m.expected_reward("s2", "a22")
    (2, 2)
    """
    return MDP(["s1", "s2"], _TWO_STATE_TRANSITIONS,
               actions={"s1": ["a11", "a12"], "s2": ["a21", "a22"]}, discount=discount,
               name="Puterman & Chan two-state model", criteria={"horizon": horizon})


def puterman_two_state_average(discount=1) -> MDP:
    """Puterman & Chan's two-state model under the average-reward criterion.

    The model of :func:`puterman_two_state` with ``criterion: average``. Their
    Chapter 7 finds the optimal policy (a12, a22) with gain g* = 20/7 and relative
    values h(s1) = 15/7, h(s2) = 0 (Section 7.7.2), and evaluates (a11, a22): gain 8/3,
    bias (5/9, −10/9) (Example 7.3).

    Source
    ------
    Puterman & Chan (2025), Section 2.5 and Chapter 7 (Examples 7.3, 7.8, Section 7.7.2).

    Examples
    --------
    >>> puterman_two_state_average().criteria.kind
    'average'
    """
    return MDP(["s1", "s2"], _TWO_STATE_TRANSITIONS,
               actions={"s1": ["a11", "a12"], "s2": ["a21", "a22"]}, discount=discount,
               name="Puterman & Chan two-state model (average reward)",
               criteria={"criterion": "average"})


def exercise_10_6(discount=1) -> MDP:
    """Sutton & Barto's Exercise 10.6: rewards +1, 0, +1, 0, ... forever.

    Description
    -----------
    A Markov reward process that alternates deterministically between ``A`` and
    ``B``: a periodic chain (period 2), whose average reward 1/2 is well defined
    although the state distribution never settles.

    Rewards
    -------
    From ``A`` the reward is +1 (then 0 from ``B``), so the sequence from ``A`` is
    +1, 0, +1, 0, ... and from ``B`` it is 0, +1, 0, ...

    Source
    ------
    Sutton & Barto, *Reinforcement Learning: An Introduction*, 2nd ed. (2018),
    Exercise 10.6: r(π) = 1/2, and the differential values, read as Cesàro limits, are
    v(A) = 1/4 and v(B) = −1/4 (the bias with P* h = 0).

    Examples
    --------
    >>> exercise_10_6().outcomes("A")
    (Outcome('B', p=1, r=1),)
    """
    return MDP(["A", "B"], {"A": {"to": "B", "r": 1}, "B": {"to": "A", "r": 0}},
               discount=discount, name="Exercise 10.6", criteria={"criterion": "average"})


def exercise_10_7(discount=1) -> MDP:
    """Sutton & Barto's Exercise 10.7: a ring of three states, +1 on arriving in A.

    Description
    -----------
    A Markov reward process moving deterministically A → B → C → A (period 3).

    Rewards
    -------
    +1 on the move C → A (arrival in ``A``), 0 otherwise: average reward 1/3.

    Source
    ------
    Sutton & Barto (2018), Exercise 10.7: the differential values are
    v(A) = −1/3, v(B) = 0, v(C) = 1/3.

    Examples
    --------
    >>> exercise_10_7().outcomes("C")
    (Outcome('A', p=1, r=1),)
    """
    return MDP(["A", "B", "C"],
               {"A": {"to": "B", "r": 0}, "B": {"to": "C", "r": 0}, "C": {"to": "A", "r": 1}},
               discount=discount, name="Exercise 10.7", criteria={"criterion": "average"})
