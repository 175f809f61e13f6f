"""Cited textbook problems, built in code.

Each function returns a fresh :class:`~symbellman.model.MDP`; its docstring names the
source and the reward convention (Description, Actions, Rewards, Source, in the manner
of Gymnasium's toy_text environments). The YAML files in the project's ``examples/``
folder hold the same models, and :data:`EXAMPLES` maps each file's stem to its function.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

from sympy import Rational, symbols

from .errors import ModelError
from .expressions import closest
from .long_run_examples import (exercise_10_6, exercise_10_7, puterman_two_state,
                                puterman_two_state_average)
from .model import MDP
from .symbols import gamma

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


# -- gridworlds ------------------------------------------------------------------------
#: Sutton & Barto's special cells of Example 3.5, as (from, to, reward) with cells
#: (row, column) counted from 0 at the top left: A = (0, 1) jumps to A' = (4, 1) with
#: +10, B = (0, 3) jumps to B' = (2, 3) with +5, whatever the action.
SUTTON_BARTO_SPECIALS = (((0, 1), (4, 1), 10), ((0, 3), (2, 3), 5))

_COMPASS = {"north": (-1, 0), "south": (1, 0), "east": (0, 1), "west": (0, -1)}


def _cell(row: int, col: int) -> str:
    return f"r{row}c{col}"


def _move(row: int, col: int, step: tuple[int, int], rows: int, cols: int):
    """The cell a move leads to, or None when it would leave the grid."""
    r, c = row + step[0], col + step[1]
    return (r, c) if 0 <= r < rows and 0 <= c < cols else None


def gridworld(rows: int, cols: int, *,
              specials: Sequence[tuple[tuple[int, int], tuple[int, int], Any]] | None = None,
              discount=gamma, name: str | None = None) -> MDP:
    """Sutton & Barto's gridworld of Example 3.5, of any size.

    Description
    -----------
    A continuing task on a ``rows`` × ``cols`` grid; nothing is terminal. The state
    in row ``i``, column ``j`` (both from 0, row 0 at the top) is named ``r{i}c{j}``,
    and :attr:`MDP.states` lists them in row-major order: ``r0c0, r0c1, ...``.

    Actions
    -------
    ``north``, ``south``, ``east``, ``west`` in every state; each moves one cell, with
    certainty.

    Rewards
    -------
    A move that would leave the grid leaves the state unchanged and gives −1; any
    other move gives 0. From a special cell every action jumps to that cell's target
    with the special reward: in the book A = (0, 1) → A' = (4, 1) with +10 and
    B = (0, 3) → B' = (2, 3) with +5 (:data:`SUTTON_BARTO_SPECIALS`).

    Source
    ------
    R. S. Sutton and A. G. Barto, *Reinforcement Learning: An Introduction*, 2nd ed.
    (2018), Example 3.5 and Figure 3.2 (the 5 × 5 grid; see
    :func:`sutton_barto_gridworld_5x5`). Other sizes are an extension for
    benchmarks: the rules are the same, and A and B stay at the same coordinates.

    Parameters
    ----------
    rows, cols : int
        The size of the grid.
    specials : sequence of ((row, col), (row, col), reward), optional
        The jump cells. By default the book's A and B, each kept only if both its cell
        and its target lie on the grid: a 10 × 10 or 20 × 20 grid has both, a 4 × 4
        grid only B, a 3 × 3 grid neither. Specials given explicitly must fit.
    discount : number, str or Symbol, optional
        γ; by default the symbol ``gamma``.
    name : str, optional
        The title; by default ``"Gridworld {rows}x{cols}"``.

    Raises
    ------
    ModelError
        If the size is not a positive integer, or an explicit special does not fit.

    Examples
    --------
    The 10 × 10 grid used by the benchmarks has 100 states and both jumps:

    >>> g = gridworld(10, 10)
    >>> len(g.states), g.states[:3], g.states[-1]
    (100, ('r0c0', 'r0c1', 'r0c2'), 'r9c9')
    >>> g.outcomes("r0c1", "west")
    (Outcome('r4c1', p=1, r=10),)
    >>> g.outcomes("r9c9", "east")
    (Outcome('r9c9', p=1, r=-1),)
    """
    for value, what in ((rows, "rows"), (cols, "cols")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ModelError(f"the number of {what} must be a positive integer, got {value!r}",
                             place=what)
    inside = lambda cell: 0 <= cell[0] < rows and 0 <= cell[1] < cols  # noqa: E731
    if specials is None:
        specials = [sp for sp in SUTTON_BARTO_SPECIALS if inside(sp[0]) and inside(sp[1])]
    jumps = {}
    for i, (source, target, reward) in enumerate(specials):
        source, target = tuple(source), tuple(target)
        for cell in (source, target):
            if not inside(cell):
                raise ModelError(f"the cell {cell} is not on the {rows}x{cols} grid",
                                 place=f"specials[{i}]",
                                 hint=f"rows go from 0 to {rows - 1}, columns from 0 to "
                                      f"{cols - 1}")
        if source in jumps:
            raise ModelError(f"the cell {source} has two jumps", place=f"specials[{i}]")
        jumps[source] = (target, reward)
    states, transitions = [], {}
    for row in range(rows):
        for col in range(cols):
            here = _cell(row, col)
            states.append(here)
            if (row, col) in jumps:
                (r, c), reward = jumps[(row, col)]
                transitions[here] = {a: {"to": _cell(r, c), "r": reward} for a in _COMPASS}
                continue
            transitions[here] = {}
            for a, step in _COMPASS.items():
                cell = _move(row, col, step, rows, cols)
                transitions[here][a] = ({"to": here, "r": -1} if cell is None
                                        else {"to": _cell(*cell), "r": 0})
    grid = [[_cell(row, col) for col in range(cols)] for row in range(rows)]
    return MDP(states, transitions, actions={s: list(_COMPASS) for s in states},
               discount=discount, name=name if name is not None else f"Gridworld {rows}x{cols}",
               layout={"grid": grid})


def sutton_barto_gridworld_5x5(discount=Rational(9, 10)) -> MDP:
    """Sutton & Barto's 5 × 5 gridworld, Example 3.5, with γ = 0.9 as in the book.

    Description
    -----------
    :func:`gridworld` ``(5, 5)``: states ``r0c0`` … ``r4c4`` in row-major order, no
    terminal state. Figure 3.2 shows the values of the equiprobable random policy;
    Figure 3.5 shows v*.

    Actions
    -------
    ``north``, ``south``, ``east``, ``west``.

    Rewards
    -------
    −1 for a move off the grid (the state stays), 0 for other moves; every action in
    A = ``r0c1`` goes to A' = ``r4c1`` with +10, every action in B = ``r0c3`` to
    B' = ``r2c3`` with +5.

    Source
    ------
    Sutton & Barto, *Reinforcement Learning: An Introduction*, 2nd ed. (2018),
    Example 3.5, Figure 3.2 (γ = 0.9).

    Examples
    --------
    >>> g = sutton_barto_gridworld_5x5()
    >>> g.discount, g.outcomes("r0c3", "north")
    (9/10, (Outcome('r2c3', p=1, r=5),))
    """
    return gridworld(5, 5, discount=discount)


_BOOK_MOVES = {"up": (-1, 0), "down": (1, 0), "right": (0, 1), "left": (0, -1)}


def sutton_barto_gridworld_4x4(discount=1) -> MDP:
    """Sutton & Barto's 4 × 4 gridworld of Example 4.1 (an episodic task).

    Description
    -----------
    Sixteen cells numbered 0 … 15 in row-major order. The book shades the two corner
    cells 0 and 15 and calls them one terminal state shown in two places; here they
    are two terminal states, ``T0`` (top left) and ``T15`` (bottom right), which gives
    the same values since both are worth 0. The other cells are the non-terminal
    states ``s1`` … ``s14``, numbered as in the book's Figure 4.1. States are listed
    in row-major order: ``T0, s1, ..., s14, T15``.

    Actions
    -------
    ``up``, ``down``, ``right``, ``left`` (the book's names and order), each moving one
    cell with certainty; a move that would leave the grid leaves the state unchanged.

    Rewards
    -------
    −1 on every transition, including the last one into a terminal state. The book
    uses γ = 1 (undiscounted).

    Source
    ------
    Sutton & Barto, *Reinforcement Learning: An Introduction*, 2nd ed. (2018),
    Example 4.1, Figure 4.1 (iterative policy evaluation of the equiprobable random
    policy).

    Examples
    --------
    >>> g = sutton_barto_gridworld_4x4()
    >>> g.terminal, g.outcomes("s1", "left"), g.outcomes("s1", "up")
    (('T0', 'T15'), (Outcome('T0', p=1, r=-1),), (Outcome('s1', p=1, r=-1),))
    """
    def name(number: int) -> str:
        return f"T{number}" if number in (0, 15) else f"s{number}"

    states = [name(n) for n in range(16)]
    transitions = {}
    for n in range(1, 15):
        row, col = divmod(n, 4)
        transitions[name(n)] = {}
        for a, step in _BOOK_MOVES.items():
            cell = _move(row, col, step, 4, 4)
            to = name(n) if cell is None else name(4 * cell[0] + cell[1])
            transitions[name(n)][a] = {"to": to, "r": -1}
    return MDP(states, transitions,
               actions={name(n): list(_BOOK_MOVES) for n in range(1, 15)},
               terminal=["T0", "T15"], discount=discount, name="Gridworld 4x4",
               layout={"grid": [states[4 * row:4 * row + 4] for row in range(4)]})


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
    :func:`symbellman.variants.draw_variants`).

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
    symbellman.errors.ModelError: no example named 'studentmdp' (did you mean 'student_mdp'?)
    """
    try:
        make = EXAMPLES[name]
    except KeyError:
        near = closest(str(name), EXAMPLES)
        raise ModelError(f"no example named {name!r}",
                         hint=f"did you mean {near!r}?" if near
                         else f"the examples are {', '.join(EXAMPLES)}") from None
    return make(**arguments)
