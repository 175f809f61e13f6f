"""The Markov reward process that a policy induces: P_π and r_π (the matrix form).

Over the non-terminal states s_1..s_n (terminal states have value 0 and drop out),
P_π[i, j] = Σ_a π(a|s_i) p(s_j|s_i, a) and r_π[i] = Σ_a π(a|s_i) r(s_i, a), so that
v_π = r_π + γ P_π v_π. Rows are kept sparse.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sympy
from sympy import Expr, Integer, Matrix

from .mdp import MDP
from .policy import Policy

__all__ = ["InducedChain", "induced_chain", "nonterminating_states", "undiscounted_classes",
           "strongly_connected_components"]


@dataclass(frozen=True, repr=False)
class InducedChain:
    """P_π and r_π over the non-terminal states (in the model's order).

    Examples
    --------
    The Student MDP under the uniform random policy (the one Silver's lecture 2 evaluates):

    >>> from symbellman.model.examples import student_mdp
    >>> chain = induced_chain(student_mdp(), Policy.uniform(student_mdp()))
    >>> chain.states
    ('Facebook', 'Class1', 'Class2', 'Class3')
    >>> chain.r.T
    Matrix([[-1/2, -3/2, -1, 11/2]])
    """

    states: tuple[str, ...]
    rows: tuple[dict, ...]
    rewards: tuple[Expr, ...]

    @cached_property
    def P(self) -> Matrix:
        """P_π as a SymPy Matrix."""
        n = len(self.states)
        return Matrix(n, n, lambda i, j: self.rows[i].get(j, Integer(0)))

    @cached_property
    def r(self) -> Matrix:
        """r_π as a SymPy column Matrix."""
        return Matrix(list(self.rewards))

    def __repr__(self) -> str:
        return f"InducedChain(states={list(self.states)!r})"


def _expand(x: Expr) -> Expr:
    return x if x.is_Rational else sympy.expand(x)


def induced_chain(mdp: MDP, policy: Policy) -> InducedChain:
    """P_π and r_π of ``policy`` on ``mdp``."""
    states = mdp.nonterminal
    index = {s: i for i, s in enumerate(states)}
    rows, rewards = [], []
    for s in states:
        row, reward = policy_row(mdp, policy, s, index)
        rows.append(row)
        rewards.append(reward)
    return InducedChain(states, tuple(rows), tuple(rewards))


def policy_row(mdp: MDP, policy: Policy, s: str, index: dict) -> tuple[dict[int, Expr], Expr]:
    """Row ``s`` of P_π into the states of ``index`` (its non-zero entries) and r_π(s),
    expanded: the moves into other states are left out of the row, not of the reward."""
    row: dict[int, Expr] = {}
    reward = Integer(0)
    for w, o in policy.weighted_outcomes(mdp, s):
        reward += w * o.probability * o.reward
        if o.next_state in index:
            j = index[o.next_state]
            row[j] = row.get(j, Integer(0)) + w * o.probability
    row = {j: _expand(x) for j, x in row.items()}
    return {j: x for j, x in row.items() if x != 0}, _expand(reward)


def nonterminating_states(chain: InducedChain) -> tuple[str, ...]:
    """The states from which the chain may never reach a terminal state (at γ = 1).

    A state terminates with probability 1 exactly when every state it can reach can
    still reach a terminal state. Symbolic probabilities count as possibly non-zero.

    >>> chain = InducedChain(("A", "B"), ({1: Integer(1)}, {1: Integer(1)}), (0, 0))
    >>> nonterminating_states(chain)
    ('A', 'B')
    """
    n = len(chain.states)
    leaks = _leaks(chain)
    predecessors = _predecessors(chain)
    # the states that can reach an exit to a terminal state ...
    can_exit = _reaching({i for i in range(n) if leaks[i]}, predecessors)
    # ... and those that can reach a state that cannot
    bad = _reaching(set(range(n)) - can_exit, predecessors)
    return tuple(chain.states[i] for i in sorted(bad))


def _leaks(chain: InducedChain) -> list[bool]:
    """Per state, whether its row can lose mass to a terminal state."""
    return [sympy.expand(sum(row.values(), Integer(0)) - 1) != 0 for row in chain.rows]


def _predecessors(chain: InducedChain) -> list[set[int]]:
    """Per state, the states with a move into it."""
    predecessors: list[set[int]] = [set() for _ in chain.rows]
    for i, row in enumerate(chain.rows):
        for j in row:
            predecessors[j].add(i)
    return predecessors


def strongly_connected_components(successors: list[list[int]]) -> list[list[int]]:
    """The strongly connected components of the graph ``successors[i]`` (Tarjan's
    algorithm, without recursion), each a list of its nodes.

    >>> sorted(sorted(c) for c in strongly_connected_components([[1], [0], [0, 3], []]))
    [[0, 1], [2], [3]]
    """
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in range(len(successors)):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            for k in range(i, len(successors[v])):
                w = successors[v][k]
                if w not in index:
                    work.append((v, k + 1))
                    work.append((w, 0))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    out.append(component)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
    return out


def undiscounted_classes(chain: InducedChain) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """At γ = 1: the states that earn nothing forever, and those whose value is undefined.

    The total reward Σ_t P^t r is defined from a state exactly when every closed class
    of the chain that it can reach (a set it never leaves, with no way to a terminal
    state) earns r = 0 in every state (Puterman, *Markov Decision Processes*, §7.1:
    transient states and recurrent classes). The first tuple holds the states of
    such zero-reward classes (their value is 0, like a terminal state), the second
    the states that can reach a closed class that earns something. Symbolic
    probabilities count as possibly non-zero, symbolic rewards as possibly non-zero.

    >>> chain = InducedChain(("A", "B", "C"), ({0: Integer(1)}, {1: Integer(1)}, {}),
    ...                      (Integer(0), Integer(1), Integer(2)))
    >>> undiscounted_classes(chain)
    (('A',), ('B',))
    """
    successors = [sorted(row) for row in chain.rows]
    leaks = _leaks(chain)
    zero, bad = set(), set()
    for component in strongly_connected_components(successors):
        members = set(component)
        closed = not any(leaks[i] for i in component) and all(
            j in members for i in component for j in successors[i])
        if closed:
            earns = any(chain.rewards[i] != 0 for i in component)
            (bad if earns else zero).update(component)
    undefined = _reaching(bad, _predecessors(chain))
    return (tuple(chain.states[i] for i in sorted(zero)),
            tuple(chain.states[i] for i in sorted(undefined)))


def _reaching(targets: set[int], predecessors: list[set[int]]) -> set[int]:
    """The states with a path into ``targets`` (``targets`` included)."""
    found = set(targets)
    stack = list(targets)
    while stack:
        j = stack.pop()
        for i in predecessors[j]:
            if i not in found:
                found.add(i)
                stack.append(i)
    return found
