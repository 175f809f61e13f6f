"""Exercise variants: the model with its varied symbols drawn, reproducibly, from ``vary``.

A model file may declare ranges for its symbols (``vary: {p: [1/4, 1/3, 1/2]}``; see the
model-file spec, section Variants). :func:`draw_variants` draws ``n`` different
assignments with a generator seeded by ``seed`` alone, so a seed always gives the same
variants, in the same order, on every machine. Every draw is checked to give a valid
model (and policy): an invalid one is drawn again, and if too few valid variants exist
the error names the symbols and values that failed. Each :class:`Variant` is then
independent of the others: its sheet can be made in another process from its
``values`` alone (see :func:`make_variant`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Mapping

from sympy import Expr, Symbol

from ..core.errors import ModelError, SymbellmanError
from ..core.expressions import exact
from ..core.limits import MAX_VARIANTS
from .mdp import MDP
from .policy import Policy

__all__ = ["Variant", "draw_variants", "make_variant", "variant_count"]

#: Draws to try per variant asked for before giving up on finding valid ones.
TRIES_PER_VARIANT = 50


@dataclass(frozen=True, repr=False)
class Variant:
    """One drawn variant: its number (1, 2, ...), the values drawn, the model and policy."""

    number: int
    values: Mapping[Symbol, Expr]
    mdp: MDP
    policy: Policy | None

    def describe(self) -> str:
        """The drawn values as text, in the order ``vary`` lists them.

        >>> coin = MDP(["flip"], {"flip": [("flip", "p", "r"), ("flip", "1 - p", 0)]},
        ...            symbols=["p", "r"], vary={"p": ["1/2"], "r": {"from": 1, "to": 3}})
        >>> make_variant(coin, None, 1, {"r": 2, "p": "1/2"}).describe()
        'p = 1/2, r = 2'
        """
        return ", ".join(f"{s.name} = {v}" for s, v in self.values.items())

    def __repr__(self) -> str:
        return f"Variant({self.number}: {self.describe()})"


def variant_count(mdp: MDP) -> int:
    """How many different assignments the model's ``vary`` allows (valid or not).

    >>> variant_count(MDP(["a"], {"a": [("a", 1, "r")]}, symbols=["p", "r"],
    ...                   vary={"p": ["1/4", "1/2"], "r": {"from": 1, "to": 10}}))
    20
    """
    return math.prod(len(values) for values in mdp.vary.values())


def make_variant(mdp: MDP, policy: Policy | None, number: int, values: Mapping) -> Variant:
    """The model (and policy) with ``values`` put in, named as variant ``number``.

    ``values`` maps symbols or their names to exact values (numbers or text such as
    ``"1/3"``). The model's checks run again on the result.

    Raises
    ------
    ModelError, PolicyError
        If the values give an invalid model (a probability outside [0, 1], ...).
    """
    by_name = {s.name: s for s in mdp.vary}
    given = {by_name.get(k, k) if isinstance(k, str) else k: v for k, v in values.items()}
    order = [s for s in mdp.vary if s in given] + [s for s in given if s not in mdp.vary]
    drawn = {s: exact(given[s]) for s in order}
    model = mdp.subs(drawn).replace(name=f"{mdp.name or 'Model'}, variant {number}")
    bound = None if policy is None else policy.subs(model, drawn)
    return Variant(number, drawn, model, bound)


def draw_variants(mdp: MDP, n: int, seed: int, policy: Policy | None = None
                  ) -> tuple[Variant, ...]:
    """``n`` different variants of the model, drawn from its ``vary`` with ``seed``.

    Parameters
    ----------
    mdp : MDP
        A model whose ``vary`` names the symbols to draw (the others stay symbols).
    n : int
        How many variants (at least 1).
    seed : int
        The seed of the generator (``random.Random(seed)``): the same seed gives the
        same variants.
    policy : Policy, optional
        Bound to each variant's model (and checked there too).

    Raises
    ------
    ModelError
        If the model declares no ``vary``, or fewer than ``n`` different valid variants
        can be drawn; the message names the values that made a model invalid.

    Examples
    --------
    A coin that lands heads with probability p, paying 1 for heads:

    >>> coin = MDP(["flip"], {"flip": [("flip", "p", 1), ("flip", "1 - p", 0)]},
    ...            symbols=["p"], discount="1/2", vary={"p": ["1/4", "1/3", "1/2", "3/2"]})
    >>> sheets = draw_variants(coin, 3, seed=1)
    >>> sorted(v.describe() for v in sheets)   # p = 3/2 is no probability: never drawn
    ['p = 1/2', 'p = 1/3', 'p = 1/4']
    >>> [v.describe() for v in draw_variants(coin, 3, seed=1)] == [v.describe() for v in sheets]
    True
    >>> sheets[0].mdp.name
    'Model, variant 1'
    """
    if not mdp.vary:
        raise ModelError("the model declares no symbols to vary", place="vary",
                         hint="add for example vary: {p: [1/4, 1/3, 1/2]} to the model file "
                         "(docs/model-files.md, section Variants)")
    if n < 1:
        raise ModelError(f"ask for at least one variant, not {n}", place="--variants")
    if n > MAX_VARIANTS:
        raise ModelError(f"at most {MAX_VARIANTS} variants are written in one run, not {n}",
                         place="--variants", hint=f"ask for at most {MAX_VARIANTS}")
    symbols = list(mdp.vary)
    ranges = [mdp.vary[s] for s in symbols]
    total = variant_count(mdp)
    if n > total:
        raise ModelError(f"vary allows only {total} different variant{'s' * (total != 1)}, "
                         f"not {n}", place="vary",
                         hint="ask for fewer variants or give the symbols more values")
    rng = random.Random(seed)
    seen: set[tuple[int, ...]] = set()
    variants: list[Variant] = []
    failures: list[str] = []
    tries = 0
    while len(variants) < n and len(seen) < total and tries < TRIES_PER_VARIANT * n:
        tries += 1
        choice = tuple(rng.randrange(len(r)) for r in ranges)
        if choice in seen:
            continue
        seen.add(choice)
        values = {s: r[i] for s, r, i in zip(symbols, ranges, choice)}
        try:
            variants.append(make_variant(mdp, policy, len(variants) + 1, values))
        except SymbellmanError as exc:
            failures.append(f"{', '.join(f'{s.name} = {v}' for s, v in values.items())} "
                            f"gives {exc}")
    if len(variants) < n:
        why = f"; for example {failures[0]}" if failures else ""
        raise ModelError(f"found only {len(variants)} different valid variants of the "
                         f"{n} asked for{why}", place="vary",
                         hint="narrow the ranges in 'vary' to values that keep the model "
                         "valid")
    return tuple(variants)
