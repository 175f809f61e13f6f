"""Choosing and improving a deterministic policy, and the certificate of optimality:
what exact policy iteration (:mod:`.iteration`) and its integer form at a rational
discount (:mod:`.arrays`) share.

See Also
--------
symbellman.optimal.iteration.optimal : exact policy iteration, built on these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sympy import Expr, Integer

from ..core.errors import SolveError
from ..model.mdp import MDP

__all__ = ["Certificate", "improve", "initial_choice", "sweep_until_stable"]


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


def improve(mdp: MDP, choice: dict[str, str], q) -> bool:
    """The improvement step of policy iteration, in place: each state takes its first
    action of largest ``q(s, a)``, but keeps its current one on a tie (no cycling).
    Returns whether ``choice`` changed.

    >>> from symbellman.model.examples import exercise_3_22
    >>> choice = {"top": "left", "left": "back", "right": "back"}
    >>> improve(exercise_3_22(), choice, lambda s, a: {"left": 1, "right": 2}.get(a, 0))
    True
    >>> choice["top"]
    'right'
    """
    changed = False
    for s in mdp.nonterminal:
        values = {a: q(s, a) for a in mdp.actions(s)}
        best = max(values.values())
        if values[choice[s]] < best:
            choice[s] = next(a for a in mdp.actions(s) if values[a] == best)
            changed = True
    return changed


def sweep_until_stable(states, visit, after_sweep=None) -> None:
    """Call ``visit(s)`` on every state in turn (and then ``after_sweep()``), sweep after
    sweep, until a sweep in which no call returns True."""
    changed = True
    while changed:
        changed = False
        for s in states:
            if visit(s):
                changed = True
        if after_sweep is not None:
            after_sweep()


def _proper_choice(mdp: MDP) -> dict[str, str]:
    """A deterministic policy that ends with probability 1 from every state.

    Backward search from the terminal states: a state joins once one of its actions
    can reach (with positive probability) a state that already has a way out, and
    takes that action. Each step then keeps a positive chance of getting closer.
    """
    reached = set(mdp.terminal)
    choice: dict[str, str] = {}

    def join(s) -> bool:
        for a in mdp.actions(s):
            if any(o.next_state in reached and o.probability != 0
                   for o in mdp.outcomes(s, a)):
                choice[s] = a
                return True
        return False
    # a state joins the sweep after its way out did (reached grows between sweeps)
    sweep_until_stable([s for s in mdp.nonterminal], lambda s: s not in reached and join(s),
                        lambda: reached.update(choice))
    stuck = [s for s in mdp.nonterminal if s not in choice]
    if stuck:
        where = "no terminal state" if not mdp.terminal else \
            "no terminal state can be reached from " + ", ".join(stuck)
        raise SolveError(f"at discount 1 the optimum is undefined: {where}, so every "
                         "policy runs forever and the undiscounted values diverge (use a "
                         "discount below 1, or the gain and bias of symbellman.solve.analysis)")
    return choice


#: From this many states on, policy iteration starts from a policy found in floating point.
_NUMERIC_START = 100


def initial_choice(mdp: MDP, discount: Expr | None = None, reward=None) -> dict[str, str]:
    """The first policy of policy iteration.

    At discount 1 a policy that ends from every state; from ``_NUMERIC_START`` states on
    the greedy policy of value iteration in floating point; else the greedy policy of
    the immediate rewards. ``discount`` and ``reward(s, a)`` stand in for the model's
    (the pieces over γ bind a discount without substituting it into the model).

    >>> from symbellman.model.examples import exercise_3_22
    >>> initial_choice(exercise_3_22(), 0)  # left pays 1 at once, right pays 0
    {'top': 'left', 'left': 'back', 'right': 'back'}
    """
    discount = mdp.discount if discount is None else discount
    reward = reward or mdp.expected_reward
    if discount == 1:
        return _proper_choice(mdp)
    if len(mdp.nonterminal) >= _NUMERIC_START:
        return _numeric_choice(mdp, discount)
    # the greedy policy of the immediate rewards: a good start that costs nothing
    return {s: max(mdp.actions(s), key=lambda a: reward(s, a)) for s in mdp.nonterminal}


def _numeric_choice(mdp: MDP, discount: Expr, sweeps: int = 10_000) -> dict[str, str]:
    """The greedy policy of value iteration in floating point: a warm start.

    Exact policy iteration then only confirms it (or corrects it where floats could
    not tell two actions apart), so a 500-state model takes one or two exact solves
    instead of fifteen. Nothing of the answer comes from the floats.
    """
    import numpy as np

    states = {s: i for i, s in enumerate(mdp.states)}
    pairs = list(mdp.state_action_pairs)
    owner, target, weight, reward, pair_of = [], [], [], [], []
    for k, (s, a) in enumerate(pairs):
        for o in mdp.outcomes(s, a):
            pair_of.append(k)
            target.append(states[o.next_state])
            weight.append(float(o.probability))
            reward.append(float(o.reward))
        owner.append(states[s])
    pair_of, target = np.array(pair_of), np.array(target)
    weight, reward, owner = np.array(weight), np.array(reward), np.array(owner)
    expected = np.bincount(pair_of, weights=weight * reward, minlength=len(pairs))
    terminal = np.array([s in set(mdp.terminal) for s in mdp.states])
    g = float(discount)
    v = np.zeros(len(states))
    for _ in range(sweeps):
        q = expected + g * np.bincount(pair_of, weights=weight * v[target], minlength=len(pairs))
        new = np.full(len(states), -np.inf)
        np.maximum.at(new, owner, q)
        new[terminal] = 0.0
        if np.max(np.abs(new - v)) <= 1e-12 * max(1.0, float(np.max(np.abs(new)))):
            v = new
            break
        v = new
    q = expected + g * np.bincount(pair_of, weights=weight * v[target], minlength=len(pairs))
    choice: dict[str, str] = {}
    best: dict[str, float] = {}
    for k, (s, a) in enumerate(pairs):
        if s not in choice or q[k] > best[s]:
            choice[s], best[s] = a, q[k]
    return choice
