"""A state's Bellman equation with a student's numbers put in, and its residual.

For a wrong entry the check shows the equation the value must satisfy: its right side
written with the model's numbers and the heads of the successors, then again with the
student's values of those successors put in (the exact value where the student gave
none), the number it comes to, and the residual: right side minus the student's left side.
A residual of 0 means the value fits the student's own other values (an earlier slip
carried along); a nonzero one points at this equation.
"""

from __future__ import annotations

from typing import Mapping

import sympy
from sympy import Expr, Integer

from ..text.decimals import significant_text
from .answers import Given

__all__ = ["head", "bellman_equation", "shown"]

_HEADS = {"v": "v", "q": "q", "v_star": "v*", "q_star": "q*"}


def head(key: str, state: str, action: str | None = None) -> str:
    """``v(Class1)``, ``q*(Class3, pub)``: how an entry is named in messages.

    >>> head("q_star", "Class3", "pub")
    'q*(Class3, pub)'
    """
    name = _HEADS.get(key, key)
    return f"{name}({state})" if action is None else f"{name}({state}, {action})"


def shown(value: Expr, decimal: bool = False, digits: int = 6) -> str:
    """A value as text: a decimal when it came from decimals, else exact.

    >>> shown(sympy.Rational(-17, 13)), shown(sympy.Rational(-17, 13), True)
    ('-17/13', '-1.30769')
    """
    if decimal and value.is_Rational:
        return significant_text(value, digits)
    return str(value)


def _wrap(text: str) -> str:
    return f"({text})" if text.startswith("-") or "/" in text else text


def _times(weight: Expr, text: str) -> str:
    return text if weight == 1 else f"{weight}·{text}"


class _Lookup:
    """The value a successor gets in the equation: the student's, else the exact one."""

    def __init__(self, key: str, given: Mapping[tuple, Given], expected: Mapping[tuple, Expr],
                 reference, state_values: Mapping[tuple, Given]):
        self.key, self.given, self.expected, self.ref = key, given, expected, reference
        self.state_values = state_values
        self.decimal = False

    def value(self, state: str) -> tuple[str, Expr]:
        """(name, value) of the successor ``state`` in the equation's right side."""
        mdp = self.ref.mdp
        if mdp.is_terminal(state):
            return head(self._state_key(), state), Integer(0)
        if self.key in ("v", "v_star"):
            item = self.given.get((state, None))
            if item is not None:
                self.decimal |= item.decimal
                return head(self.key, state), item.value
            return head(self.key, state), self.expected[state, None]
        # q and q*: the successor's state value, as the student gave it, else from the
        # student's q's when all are given
        item = self.state_values.get((state, None))
        if item is not None:
            self.decimal |= item.decimal
            return head(self._state_key(), state), item.value
        actions = mdp.actions(state)
        items = [self.given.get((state, a)) for a in actions]
        if all(x is not None for x in items):
            self.decimal |= any(x.decimal for x in items)
            values = {a: x.value for a, x in zip(actions, items)}
        else:
            values = {a: self.expected[state, a] for a in actions}
        if self.key == "q":
            weight = self.ref.policy.weight
            total = sympy.Add(*[weight(state, a) * x for a, x in values.items()])
        else:
            total = _maximum(list(values.values()))
        return head(self._state_key(), state), total

    def _state_key(self) -> str:
        return "v" if self.key in ("v", "q") else "v_star"


def _maximum(values: list[Expr]) -> Expr:
    if any(x.free_symbols for x in values):
        return sympy.Max(*values)
    return max(values)


def _outcomes_text(mdp, s, a, lookup: _Lookup, numbers: bool) -> tuple[str, Expr]:
    g = mdp.discount
    parts, total = [], Integer(0)
    for o in mdp.outcomes(s, a):
        name, value = lookup.value(o.next_state)
        later = shown(value, lookup.decimal) if numbers else name
        inner = f"{o.reward} + {_times(g, _wrap(later))}"
        parts.append(inner if o.probability == 1 else f"{o.probability}·({inner})")
        total += o.probability * (o.reward + g * value)
    return " + ".join(parts), total


def bellman_equation(reference, key: str, state: str, action: str | None,
                     given: Mapping[tuple, Given], state_values: Mapping[tuple, Given] = {}
                     ) -> tuple[str, Expr, bool]:
    """The equation of ``key`` at (state, action) as text, its residual, and whether
    decimals went into it (then the residual reads best as a decimal). ``given`` are the
    student's values of ``key``; for q (q*) the successors' values are the student's v
    (v*) in ``state_values`` where given.

    Examples
    --------
    >>> from symbellman.model.examples import student_mdp
    >>> from symbellman.model.policy import Policy
    >>> from symbellman.checking.reference import Reference
    >>> mdp = student_mdp()
    >>> ref = Reference(mdp, Policy.uniform(mdp))
    >>> given = {("Class2", None): Given("3", Integer(3), False),
    ...          ("Class3", None): Given("8", Integer(8), False)}
    >>> text, residual, decimal = bellman_equation(ref, "v", "Class2", None, given)
    >>> print(text)
    v(Class2) = 1/2·(0 + v(Sleep)) + 1/2·(-2 + v(Class3)) = 1/2·(0 + 0) + 1/2·(-2 + 8) = 3
    >>> residual
    0
    """
    mdp = reference.mdp
    lhs = given[state, action]
    expected = reference.expected(key)
    lookup = _Lookup(key, given, expected, reference, state_values)
    lookup.decimal = lhs.decimal

    def side(numbers: bool) -> tuple[str, Expr]:
        if key in ("q", "q_star"):
            return _outcomes_text(mdp, state, action, lookup, numbers)
        if key == "v" and not mdp.is_mrp:
            terms, total = [], Integer(0)
            for a, w in reference.policy(state).items():
                if w == 0:
                    continue
                text, value = _outcomes_text(mdp, state, a, lookup, numbers)
                terms.append(text if w == 1 else f"{w}·({text})")
                total += w * value
            return " + ".join(terms), total
        if key == "v":
            return _outcomes_text(mdp, state, None, lookup, numbers)
        texts, values = [], []
        for a in mdp.actions(state):
            text, value = _outcomes_text(mdp, state, a, lookup, numbers)
            texts.append(text)
            values.append(value)
        return f"max({', '.join(texts)})", _maximum(values)

    general, _ = side(False)
    with_numbers, total = side(True)
    residual = total - lhs.value
    if total.free_symbols or lhs.value.free_symbols:
        return f"{head(key, state, action)} = {general}", residual, False
    value_text = shown(total, lookup.decimal)
    return (f"{head(key, state, action)} = {general} = {with_numbers} = {value_text}",
            residual, lookup.decimal)
