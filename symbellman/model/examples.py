"""Cited textbook problems, built in code.

Each function returns a fresh :class:`~symbellman.model.mdp.MDP`; its docstring names the
source and the reward convention (Description, Actions, Rewards, Source, in the manner
of Gymnasium's toy_text environments). The YAML files in the project's ``examples/``
folder hold the same models, and :data:`EXAMPLES` maps each file's stem to its function.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Mapping

from sympy import Rational, symbols

from ..core.errors import ModelError
from ..core.names import did_you_mean
from .gridworld_examples import (SUTTON_BARTO_SPECIALS, gridworld, sutton_barto_gridworld_4x4,
                                 sutton_barto_gridworld_5x5)
from .long_run_examples import (exercise_10_6, exercise_10_7, puterman_two_state,
                                puterman_two_state_average)
from .mdp import MDP
from ..core.symbols import gamma

__all__ = ["student_mrp", "student_mdp", "gridworld", "sutton_barto_gridworld_5x5",
           "sutton_barto_gridworld_4x4", "recycling_robot", "recycling_robot_variants",
           "two_state_symbolic", "exercise_3_22", "puterman_two_state",
           "puterman_two_state_average", "exercise_10_6", "exercise_10_7", "baird_star",
           "w_to_2w", "EXAMPLES", "example",
           "SUTTON_BARTO_SPECIALS"]


def student_mrp(discount=gamma) -> MDP:
    """David Silver's Student MRP (RL course, Lecture 2, "Example: Student MRP").

    Description
    -----------
    A Markov reward process (no actions) over a student's evening: three classes,
    passing, the pub, Facebook and Sleep, which is terminal.

    Rewards
    -------
    The slides put the reward R_s on the state: Class1, Class2 and Class3 −2, Pass +10,
    Pub +1, Facebook −1. As the model-file spec asks, each state's reward is written on
    every one of its outcomes, so r(s, s') = R_s and v(s) = R_s + γ Σ p(s'|s) v(s').

    Source
    ------
    D. Silver, *Reinforcement Learning*, Lecture 2: Markov Decision Processes (2015),
    slides "Example: Student Markov Chain" and "Example: Student MRP"; the value slides
    use γ = 0, 0.9 and 1, so the discount defaults to the symbol γ.

    Examples
    --------
    >>> mrp = student_mrp()
    >>> mrp.is_mrp, mrp.terminal
    (True, ('Sleep',))
    >>> mrp.outcomes("Class3")
    (Outcome('Pass', p=3/5, r=-2), Outcome('Pub', p=2/5, r=-2))
    """
    return MDP(
        ["Class1", "Class2", "Class3", "Pass", "Pub", "Facebook", "Sleep"],
        {
            "Class1": [{"to": "Class2", "p": "0.5", "r": -2},
                       {"to": "Facebook", "p": "0.5", "r": -2}],
            "Class2": [{"to": "Class3", "p": "0.8", "r": -2},
                       {"to": "Sleep", "p": "0.2", "r": -2}],
            "Class3": [{"to": "Pass", "p": "0.6", "r": -2},
                       {"to": "Pub", "p": "0.4", "r": -2}],
            "Pass": {"to": "Sleep", "r": 10},
            "Pub": [{"to": "Class1", "p": "0.2", "r": 1},
                    {"to": "Class2", "p": "0.4", "r": 1},
                    {"to": "Class3", "p": "0.4", "r": 1}],
            "Facebook": [{"to": "Facebook", "p": "0.9", "r": -1},
                         {"to": "Class1", "p": "0.1", "r": -1}],
        },
        terminal=["Sleep"], discount=discount, name="Student MRP",
    )


def student_mdp(discount=1) -> MDP:
    """David Silver's Student MDP (RL course, Lecture 2, "Example: Student MDP").

    Rewards are on (s, a): studying costs 2, Facebook 1, the pub gives 1, passing
    (studying in Class3) gives 10. Sleep is terminal. The slides use γ = 1.

    >>> mdp = student_mdp()
    >>> mdp.actions("Class3")
    ('pub', 'study')
    """
    return MDP(
        ["Facebook", "Class1", "Class2", "Class3", "Sleep"],
        {
            "Facebook": {"facebook": {"to": "Facebook", "r": -1},
                         "quit": {"to": "Class1", "r": 0}},
            "Class1": {"facebook": {"to": "Facebook", "r": -1},
                       "study": {"to": "Class2", "r": -2}},
            "Class2": {"sleep": {"to": "Sleep", "r": 0},
                       "study": {"to": "Class3", "r": -2}},
            "Class3": {"study": {"to": "Sleep", "r": 10},
                       "pub": [{"to": "Class1", "p": "0.2", "r": 1},
                               {"to": "Class2", "p": "0.4", "r": 1},
                               {"to": "Class3", "p": "0.4", "r": 1}]},
        },
        actions={"Facebook": ["facebook", "quit"], "Class1": ["facebook", "study"],
                 "Class2": ["sleep", "study"], "Class3": ["pub", "study"]},
        terminal=["Sleep"], discount=discount, name="Student MDP",
    )


# -- small symbolic models -------------------------------------------------------------
def recycling_robot(discount=gamma) -> MDP:
    """Sutton & Barto's recycling robot, Example 3.3, with its symbolic parameters.

    Description
    -----------
    A robot's battery is ``high`` or ``low``. Searching for cans from ``high`` leaves
    the battery high with probability α and low with 1 − α; from ``low`` it stays low
    with probability β and is depleted with 1 − β, after which the robot is rescued and
    recharged (so it is back in ``high``). Waiting does not change the battery;
    recharging takes it from ``low`` to ``high``. Transitions of probability 0 in the
    book's table are left out. Nothing is terminal.

    Actions
    -------
    In ``high``: ``search``, ``wait``. In ``low``: ``search``, ``wait``, ``recharge``.

    Rewards
    -------
    On (s, a, s'), exactly the book's table: ``r_search`` for each search that does
    not deplete the battery, ``r_wait`` for waiting, −3 for the rescue (``low``,
    ``search`` → ``high``), 0 for recharging. The book assumes r_search > r_wait.
    The symbols α, β, r_search and r_wait carry no assumptions, so that the model
    equals the one read from ``examples/recycling_robot.yaml``.

    Source
    ------
    Sutton & Barto, *Reinforcement Learning: An Introduction*, 2nd ed. (2018),
    Example 3.3 (the table of p(s'|s, a) and r(s, a, s')); the discount is the
    symbol γ.

    Examples
    --------
    >>> robot = recycling_robot()
    >>> robot.symbols
    (alpha, beta, r_search, r_wait)
    >>> robot.expected_reward("low", "search")
    beta*r_search + 3*beta - 3
    """
    alpha, beta, r_search, r_wait = symbols("alpha beta r_search r_wait")
    return MDP(
        ["high", "low"],
        {
            "high": {"search": [{"to": "high", "p": alpha, "r": r_search},
                                {"to": "low", "p": 1 - alpha, "r": r_search}],
                     "wait": {"to": "high", "r": r_wait}},
            "low": {"search": [{"to": "high", "p": 1 - beta, "r": -3},
                               {"to": "low", "p": beta, "r": r_search}],
                    "wait": {"to": "low", "r": r_wait},
                    "recharge": {"to": "high", "r": 0}},
        },
        actions={"high": ["search", "wait"], "low": ["search", "wait", "recharge"]},
        discount=discount, symbols=[alpha, beta, r_search, r_wait], name="Recycling robot",
    )


def recycling_robot_variants(discount=Rational(9, 10)) -> MDP:
    """The recycling robot with ranges for its symbols, for exercise sheets in variants.

    Description
    -----------
    :func:`recycling_robot` at γ = 0.9 with ``vary``: α from 1/2, 2/3, 3/4, 4/5; β from
    1/4, 1/3, 1/2; r_search an integer from 3 to 5 and r_wait from 0, 1, 2, so that every
    variant keeps the book's assumption r_search > r_wait (see
    :func:`symbellman.model.variants.draw_variants`).

    Source
    ------
    Sutton & Barto, *Reinforcement Learning: An Introduction*, 2nd ed. (2018), Example 3.3.

    Examples
    --------
    >>> robot = recycling_robot_variants()
    >>> robot.discount, [len(values) for values in robot.vary.values()]
    (9/10, [4, 3, 3, 3])
    """
    return recycling_robot(discount).replace(vary={
        "alpha": ["1/2", "2/3", "3/4", "4/5"], "beta": ["1/4", "1/3", "1/2"],
        "r_search": {"from": 3, "to": 5}, "r_wait": [0, 1, 2]})


def two_state_symbolic(discount=gamma) -> MDP:
    """A two-state MDP in which every probability and every reward is a symbol.

    Description
    -----------
    States ``s1`` and ``s2``, both with the actions ``stay`` and ``switch``. ``stay``
    keeps the state with probability p and moves to the other state with 1 − p;
    ``switch`` moves to the other state with probability q and stays with 1 − q.
    Nothing is terminal. Small enough that every closed form fits on a slide.

    Actions
    -------
    ``stay``, ``switch`` in both states.

    Rewards
    -------
    On (s, a), written on each outcome: r1 for (s1, stay), r2 for (s1, switch),
    r3 for (s2, stay), r4 for (s2, switch).

    Source
    ------
    Made for symbellman (not from a book), to exercise fully symbolic solutions; the
    discount is the symbol γ.

    Examples
    --------
    >>> m = two_state_symbolic()
    >>> m.symbols
    (p, q, r1, r2, r3, r4)
    >>> m.outcomes("s2", "switch")
    (Outcome('s1', p=q, r=r4), Outcome('s2', p=1 - q, r=r4))
    """
    p, q, r1, r2, r3, r4 = symbols("p q r1 r2 r3 r4")
    return MDP(
        ["s1", "s2"],
        {
            "s1": {"stay": [{"to": "s1", "p": p, "r": r1}, {"to": "s2", "p": 1 - p, "r": r1}],
                   "switch": [{"to": "s2", "p": q, "r": r2}, {"to": "s1", "p": 1 - q, "r": r2}]},
            "s2": {"stay": [{"to": "s2", "p": p, "r": r3}, {"to": "s1", "p": 1 - p, "r": r3}],
                   "switch": [{"to": "s1", "p": q, "r": r4}, {"to": "s2", "p": 1 - q, "r": r4}]},
        },
        actions={"s1": ["stay", "switch"], "s2": ["stay", "switch"]},
        discount=discount, symbols=[p, q, r1, r2, r3, r4], name="Two-state MDP",
    )


def exercise_3_22(discount=gamma) -> MDP:
    """Sutton & Barto's Exercise 3.22: a continuing MDP whose best policy depends on γ.

    Description
    -----------
    The only decision is in ``top``: ``left`` leads to the state ``left``, ``right`` to
    the state ``right``; from either, the single action ``back`` returns to ``top``.
    Nothing is terminal. The exercise asks which deterministic policy is optimal for
    γ = 0, 0.9 and 0.5: ``left`` is worth 1/(1 − γ²) in ``top`` and ``right``
    2γ/(1 − γ²), so left wins below γ = 1/2, right above, and they tie at 1/2.

    Actions
    -------
    ``top``: ``left``, ``right``. ``left`` and ``right``: ``back``.

    Rewards
    -------
    On (s, a), as in the book's figure: +1 for ``top``/``left``, then 0 coming back;
    0 for ``top``/``right``, then +2 coming back.

    Source
    ------
    Sutton & Barto, *Reinforcement Learning: An Introduction*, 2nd ed. (2018),
    Exercise 3.22; the discount is the symbol γ.

    Examples
    --------
    >>> m = exercise_3_22()
    >>> m.actions("top"), m.outcomes("right", "back")
    (('left', 'right'), (Outcome('top', p=1, r=2),))
    """
    return MDP(
        ["top", "left", "right"],
        {
            "top": {"left": {"to": "left", "r": 1}, "right": {"to": "right", "r": 0}},
            "left": {"back": {"to": "top", "r": 0}},
            "right": {"back": {"to": "top", "r": 2}},
        },
        actions={"top": ["left", "right"], "left": ["back"], "right": ["back"]},
        discount=discount, name="Exercise 3.22",
    )


# -- the catalogue ---------------------------------------------------------------------
def baird_star(discount=Rational(99, 100)) -> MDP:
    """Baird's counterexample, as Sutton & Barto draw it (Figure 11.1).

    Description
    -----------
    Seven states; "dashed" moves to one of the six upper states with equal
    probability, "solid" to the seventh (lower) state. The model file's policy (the
    target) always takes solid; the behaviour policy takes dashed with probability 6/7
    and solid with 1/7, so it visits the seven states uniformly.

    Rewards
    -------
    Every reward is 0, so v_π = 0.

    Features
    --------
    The upper state i is worth 2w_i + w_8, the lower state w_7 + 2w_8: eight features
    for seven states (``distribution: behavior``).

    Source
    ------
    R. S. Sutton and A. G. Barto, *Reinforcement Learning: An Introduction*, 2nd ed.
    (2018), §11.2, Figure 11.1 (γ = 0.99); L. Baird, "Residual algorithms", ICML 1995.

    Examples
    --------
    >>> m = baird_star()
    >>> m.criteria.projection.features["s7"]
    (0, 0, 0, 0, 0, 0, 1, 2)
    """
    upper = [f"s{i}" for i in range(1, 7)]
    states = upper + ["s7"]
    features = {u: [2 if j == i else 0 for j in range(6)] + [0, 1] for i, u in enumerate(upper)}
    features["s7"] = [0] * 6 + [1, 2]
    return MDP(states, {s: {"dashed": [{"to": u, "p": Rational(1, 6)} for u in upper],
                            "solid": {"to": "s7"}} for s in states},
               actions={s: ["dashed", "solid"] for s in states}, discount=discount,
               name="Baird's counterexample",
               criteria={"features": features, "distribution": "behavior",
                         "behavior": {s: {"dashed": Rational(6, 7), "solid": Rational(1, 7)}
                                      for s in states}})


def w_to_2w(discount=gamma) -> MDP:
    """Sutton & Barto's two-state fragment whose values are w and 2w (§11.2).

    Description
    -----------
    A Markov reward process: ``left`` moves to ``right``, which ends the episode (the
    book leaves what follows ``right`` open). Only the transition out of ``left`` is
    updated (``distribution: {left: 1, right: 0}``), so w ← (1 + α(2γ − 1))w, which
    diverges for γ > 1/2.

    Rewards
    -------
    0 on both transitions.

    Source
    ------
    R. S. Sutton and A. G. Barto, *Reinforcement Learning: An Introduction*, 2nd ed.
    (2018), §11.2, "Examples of Off-policy Divergence".

    Examples
    --------
    >>> w_to_2w().criteria.projection.feature_names
    ('w',)
    """
    return MDP(["left", "right", "end"], {"left": {"to": "right", "r": 0},
                                          "right": {"to": "end", "r": 0}},
               terminal=["end"], discount=discount, name="Sutton & Barto's w -> 2w fragment",
               criteria={"features": {"left": [1], "right": [2]}, "feature_names": ["w"],
                         "distribution": {"left": 1, "right": 0}})


#: Every shipped example by name; each name is also the stem of its file in ``examples/``
#: (``examples/gridworld_5x5.yaml``), and calling the function with no arguments gives
#: the model that file holds.
EXAMPLES: Mapping[str, Callable[..., MDP]] = MappingProxyType({
    "student_mrp": student_mrp,
    "student_mdp": student_mdp,
    "gridworld_5x5": sutton_barto_gridworld_5x5,
    "gridworld_4x4": sutton_barto_gridworld_4x4,
    "recycling_robot": recycling_robot,
    "recycling_robot_variants": recycling_robot_variants,
    "two_state_symbolic": two_state_symbolic,
    "exercise_3_22": exercise_3_22,
    "baird_star": baird_star,
    "w_to_2w": w_to_2w,
    "puterman_two_state": puterman_two_state,
    "puterman_two_state_average": puterman_two_state_average,
    "exercise_10_6": exercise_10_6,
    "exercise_10_7": exercise_10_7,
})


def example(name: str, **arguments) -> MDP:
    """The shipped example called ``name`` (a key of :data:`EXAMPLES`).

    Keyword arguments go to its function, e.g. ``discount=...``.

    >>> example("student_mdp").name
    'Student MDP'
    >>> example("gridworld_5x5", discount=1).discount
    1
    >>> example("studentmdp")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: no example named 'studentmdp' (did you mean 'student_mdp'?)
    """
    try:
        make = EXAMPLES[name]
    except KeyError:
        raise ModelError(f"no example named {name!r}",
                         hint=did_you_mean(str(name), EXAMPLES,
                                           f"the examples are {', '.join(EXAMPLES)}")) from None
    return make(**arguments)
