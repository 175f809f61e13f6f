"""The benchmark models: gridworlds, gymnasium's Taxi, a fully symbolic 4-state MDP."""

from __future__ import annotations

import math
from fractions import Fraction

import sympy

from symbellman import MDP
from symbellman.model.examples import gridworld

__all__ = ["gridworld", "taxi", "symbolic_four", "exact_probability", "gridworld_yaml",
           "sparse_yaml", "ring_yaml"]


def exact_probability(x: float, limit: int = 10**6) -> Fraction:
    """The short fraction a gymnasium float stands for (0.33333333333333337 is 1/3).

    The fraction is accepted only within a few units in the last place of ``x``
    (FrozenLake's 1/3 is one ulp off the float nearest 1/3); otherwise the float's
    exact binary value is used. The model then checks exactly that each action's
    probabilities sum to 1, which a wrong reading would break.
    """
    short = Fraction(x).limit_denominator(limit)
    return short if abs(float(short) - x) <= 4 * math.ulp(x) else Fraction(x)


def taxi(discount=sympy.Rational(9, 10)) -> MDP:
    """gymnasium's Taxi (500 states, 6 actions) read from ``env.unwrapped.P``.

    A transition marked ``done`` goes to one added terminal state ``end``; duplicate
    successors (same next state and reward) are merged.
    """
    import gymnasium as gym

    for version in ("Taxi-v3", "Taxi-v4"):
        try:
            env = gym.make(version)
            break
        except gym.error.Error:
            continue
    P = env.unwrapped.P
    states = [f"s{s}" for s in P] + ["end"]
    transitions, actions = {}, {}
    for s, by_action in P.items():
        actions[f"s{s}"] = [f"a{a}" for a in by_action]
        transitions[f"s{s}"] = {}
        for a, outcomes in by_action.items():
            merged: dict = {}
            for p, nxt, r, done in outcomes:
                key = ("end" if done else f"s{nxt}", exact_probability(r))
                merged[key] = merged.get(key, 0) + exact_probability(p)
            transitions[f"s{s}"][f"a{a}"] = [
                {"to": to, "p": sympy.Rational(p.numerator, p.denominator),
                 "r": sympy.Rational(r.numerator, r.denominator)}
                for (to, r), p in merged.items() if p]
    return MDP(states, transitions, actions=actions, terminal=["end"], discount=discount,
               name="Taxi")


def symbolic_four() -> MDP:
    """Four states on a ring: stay with 1 − p_i, move on with p_i, reward r_i (all symbols)."""
    return symbolic_ring(4)


def symbolic_ring(n: int) -> MDP:
    """n states on a ring: stay with 1 − p_i, move on with p_i, reward r_i (all symbols)."""
    p = sympy.symbols(f"p1:{n + 1}")
    r = sympy.symbols(f"r1:{n + 1}")
    names = [f"s{i + 1}" for i in range(n)]
    transitions = {s: [{"to": names[(i + 1) % n], "p": p[i], "r": r[i]},
                       {"to": s, "p": 1 - p[i], "r": r[i]}] for i, s in enumerate(names)}
    return MDP(names, transitions, symbols=[*p, *r], name="Symbolic ring")


def gridworld_yaml(rows: int, cols: int, *, layout: bool = False) -> str:
    """The model-file text of :func:`gridworld` (rows, cols), γ symbolic; with ``layout``
    its states are placed on their grid (the handout then draws grids)."""
    m = gridworld(rows, cols)
    lines = ["format: 1", f"name: Gridworld {rows}x{cols}", "discount: gamma",
             "states: [" + ", ".join(m.states) + "]", "actions:"]
    if layout:
        lines[-1:-1] = ["layout:", "  grid:"] + [
            "    - [" + ", ".join(f"r{i}c{j}" for j in range(cols)) + "]" for i in range(rows)]
    lines += [f"  {s}: [" + ", ".join(m.actions(s)) + "]" for s in m.states]
    lines.append("transitions:")
    for s in m.states:
        lines.append(f"  {s}:")
        for a in m.actions(s):
            (o,) = m.outcomes(s, a)
            lines.append(f"    {a}: {{to: {o.next_state}, r: {o.reward}}}")
    return "\n".join(lines) + "\n"


def sparse_yaml(n: int, seed: int = 0) -> str:
    """A random sparse MDP as model-file text: n states, actions a and b, each with two
    random successors (probabilities k/10 and 1 − k/10, integer rewards in [−5, 5]),
    γ = 9/10. The model of issue 24's table (``sparseN.yaml``)."""
    import random

    rnd = random.Random(seed)
    lines = [f"name: sparse random {n}", "discount: 9/10",
             "states: [" + ", ".join(f"s{i}" for i in range(n)) + "]", "actions:"]
    lines += [f"  s{i}: [a, b]" for i in range(n)]
    lines.append("transitions:")
    for i in range(n):
        lines.append(f"  s{i}:")
        for a in "ab":
            j, k = rnd.sample(range(n), 2)
            p = rnd.randint(1, 9)
            lines.append(f"    {a}: [{{to: s{j}, p: {p}/10, r: {rnd.randint(-5, 5)}}}, "
                         f"{{to: s{k}, p: {10 - p}/10, r: {rnd.randint(-5, 5)}}}]")
    return "\n".join(lines) + "\n"


def ring_yaml(n: int) -> str:
    """:func:`symbolic_ring` as model-file text, with one action ``go`` per state (so
    that ``solve`` writes q as well as v): stay with 1 − p_i, move on with p_i, reward r_i."""
    names = [f"s{i + 1}" for i in range(n)]
    lines = ["format: 1", f"name: Symbolic ring {n}",
             "symbols: [" + ", ".join([f"p{i + 1}" for i in range(n)]
                                      + [f"r{i + 1}" for i in range(n)]) + "]",
             "discount: gamma", "states: [" + ", ".join(names) + "]", "actions:"]
    lines += [f"  {s}: [go]" for s in names]
    lines.append("transitions:")
    for i, s in enumerate(names):
        lines += [f"  {s}:", "    go:",
                  f"      - {{to: {names[(i + 1) % n]}, p: p{i + 1}, r: r{i + 1}}}",
                  f"      - {{to: {s}, p: 1 - p{i + 1}, r: r{i + 1}}}"]
    return "\n".join(lines) + "\n"
