r"""How one Bellman equation is laid out: its pieces in LaTeX or text, as a layout tree.

A :class:`LatexWriter` or :class:`TextWriter` spells the pieces of an equation
(value heads, coefficients, products, brackets) in one output language; a
:class:`SymbolicForm` builds the layout tree of the right-hand side with value heads
v_π(s'), a :class:`SubstitutedForm` the same tree with numbers in place of the heads.
The tree is broken into lines by :mod:`symbellman.text.typeset`.
"""

from __future__ import annotations

from typing import Mapping

import sympy
from sympy import Expr, Integer, Symbol

from ..core.errors import ModelError
from .families import head_latex, head_text
from ..core.escape import latex_name
from ..core.symbols import gamma
from ..text.typeset import (Constant, Group, Max, Notation, Sum, TextPrinter, aligned_rows,
                            as_symbol_printer, coefficient_latex, coefficient_text, flatten,
                            height, text_rows)

__all__ = ["terminal_mode", "state_latex", "state_text", "LatexWriter", "TextWriter",
           "SymbolicForm", "SubstitutedForm"]


# -- names of states --------------------------------------------------------------------------
def terminal_mode(notation: Notation, where: str) -> str:
    """How a terminal successor shows in a ``"v"`` or ``"q"`` equation under ``notation``."""
    if notation.terminals == "auto":
        return "omit" if where == "q" else "symbol"
    return notation.terminals


def _index(eq, state: str) -> int:
    order = eq.state_order or (state,)
    return order.index(state) + 1


def state_latex(eq, state: str) -> str:
    """``\\text{Class1}``, or ``s_{2}`` under ``states="index"``."""
    if eq.notation.states == "index":
        return "s_{%d}" % _index(eq, state)
    return latex_name(state)


def state_text(eq, state: str) -> str:
    """``Class1``, or ``s2`` under ``states="index"``."""
    return state if eq.notation.states == "name" else f"s{_index(eq, state)}"


# -- writers: the pieces of an equation in one output language --------------------------------
class _Writer:
    """What both writers share: a printer for expressions, the equation, value heads."""

    def __init__(self, printer, eq):
        self.printer = self.own_printer(printer)
        self.eq = eq

    @staticmethod
    def own_printer(printer):
        return printer

    def head(self, kind: str, state: str, action: str | None = None) -> str:
        args = self.state(state)
        if action is not None:
            args += ", " + self.action(action)
        return "%s(%s)" % (self.head_name(kind, self.eq.mrp), args)

    def signed(self, value: Expr, text: str | None) -> Constant:
        return Constant(self.coefficient(value, text, self.printer), value)


class LatexWriter(_Writer):
    """Heads, numbers, products and brackets in LaTeX, for one equation ``eq``."""

    head_name = staticmethod(head_latex)
    coefficient = staticmethod(coefficient_latex)
    action = staticmethod(latex_name)
    own_printer = staticmethod(as_symbol_printer)

    def state(self, state: str) -> str:
        return state_latex(self.eq, state)

    def max_head(self, state: str) -> str:
        return r"\max_{a'} %s(%s, a')" % (head_latex("q_star"), state_latex(self.eq, state))

    def number(self, value: Expr, text: str | None = None) -> str:
        out = coefficient_latex(value, text, self.printer)
        if out.startswith("-") or (isinstance(value, sympy.Add) and value.free_symbols):
            return "(%s)" % out
        return out

    def weighted(self, weight, node, text: str | None = None, grouped: bool = False,
                 numeric: bool = False):
        coefficient = coefficient_latex(weight, text, self.printer)
        if isinstance(weight, sympy.Add):
            coefficient = "(%s)" % coefficient
        if isinstance(node, Sum):
            node = Group(r"\bigl(", r"\bigr)", node)
            grouped = True
        if weight == 1:
            return node
        if grouped:
            return [coefficient, node]
        if isinstance(node, Constant) and node.value.is_number:
            if node.value != 0 and not sympy.sympify(weight).is_number:
                return [node, coefficient]  # 2p: the number first
            numeric = True  # ½ · 10, p · 0
        return [coefficient + (r" \cdot " if numeric else r"\, "), node]

    def discounted(self, node, factor: Expr, numeric: bool):
        if numeric:
            g = coefficient_latex(factor, None, self.printer)
            if isinstance(node, Sum):
                return [g + r" \cdot ", Group("(", ")", node)]
            return [g + r" \cdot ", node]
        g = self.printer._print(factor)
        if isinstance(node, Sum):
            return [g + r"\,", Group(r"\bigl(", r"\bigr)", node)]
        if isinstance(node, Constant) and node.value.is_number:
            return [g + r" \cdot ", node]  # γ · 0
        return [g + r"\, ", node]

    def bracket(self, node):
        left, right = [(r"\bigl[", r"\bigr]"), (r"\Bigl[", r"\Bigr]"),
                       (r"\biggl[", r"\biggr]")][min(height(node), 2)]
        return Group(left, right, node)

    def maximum(self, items):
        return Max(r"\max\bigl\{", items, r"\bigr\}", r",\; ")

    def rows(self, lhs: str, segs: list) -> list[str]:
        return aligned_rows(lhs, segs, self.eq.notation.width)


class TextWriter(_Writer):
    """Heads, numbers, products and brackets in plain text, for one equation ``eq``."""

    head_name = staticmethod(head_text)
    coefficient = staticmethod(coefficient_text)

    @staticmethod
    def own_printer(printer):
        if isinstance(printer, TextPrinter):
            return printer
        return TextPrinter(getattr(printer, "_settings", None))

    def state(self, state: str) -> str:
        return state_text(self.eq, state)

    def action(self, action: str) -> str:
        return action

    def max_head(self, state: str) -> str:
        return "max_a' %s(%s, a')" % (head_text("q_star"), state)

    def number(self, value: Expr, text: str | None = None) -> str:
        out = coefficient_text(value, text, self.printer)
        return "(%s)" % out if (out.startswith("-") or "/" in out or " " in out) else out

    def weighted(self, weight, node, text: str | None = None, grouped: bool = False,
                 numeric: bool = False):
        if weight == 1:
            return node
        coefficient = coefficient_text(weight, text, self.printer)
        if " " in coefficient:
            coefficient = "(%s)" % coefficient
        if isinstance(node, Sum):
            node = Group("(", ")", node)
        return [coefficient + "*", node]

    def discounted(self, node, factor: Expr, numeric: bool):
        g = coefficient_text(factor, None, self.printer) if numeric else \
            self.printer._print(factor)
        if isinstance(node, Sum):
            return [g + "*", Group("(", ")", node)]
        return [g + "*", node]

    def bracket(self, node):
        return Group("[", "]", node)

    def maximum(self, items):
        return Max("max{", items, "}", ", ")

    def rows(self, lhs: str, segs: list) -> list[str]:
        return text_rows(lhs, segs, self.eq.notation.text_width)


# -- forms: the layout tree of an equation's right-hand side ----------------------------------
def _sum_or_single(terms: list):
    return terms[0] if len(terms) == 1 else Sum(terms)


class SymbolicForm:
    r"""The right-hand side of a :class:`~symbellman.equations.discounted.BellmanEquation` as a layout
    tree, with value heads v_π(s') (or q_π, v_*, q_*) for the successors.

    The equation supplies ``shape`` (a :class:`~symbellman.equations.families.Shape`: its head,
    how branches combine, what a successor's value is), ``branches``, ``next_actions``,
    ``discount``, ``state``, ``notation``.
    """

    #: Numbers joined by \cdot instead of juxtaposed symbols (see SubstitutedForm).
    numeric = False

    def __init__(self, writer, eq):
        self.w = writer
        self.eq = eq
        self.shape = eq.shape
        self.combine = self.shape.combine

    def rows(self) -> list[str]:
        """The equation as rows (``aligned`` rows for LaTeX, lines for text)."""
        lhs = self.w.head(self.shape.head, self.eq.state, self.eq.action)
        return self.w.rows(lhs, flatten(self.rhs()))

    # What differs between the symbolic and the substituted form:
    def param(self, expr: Expr) -> Expr:
        return expr

    def factor(self) -> Expr:
        """The discount as printed: the model's symbol, or γ for a numeric discount."""
        return self.eq.discount if isinstance(self.eq.discount, Symbol) else gamma

    def terminal_value(self, state: str):
        # a terminal successor is a state value: v_* in v_*'s own equations, else v_π
        own = self.shape.value == "v_star" and not self.shape.over_next
        return self.w.head("v_star" if own else "v_pi", state)

    def state_value(self, state: str):
        if not self.shape.over_next:
            return self.w.head(self.shape.value, state)
        if self.shape.over_next == "max":
            return self.w.max_head(state)
        return _sum_or_single([self.w.weighted(w, self.w.head(self.shape.value, state, a))
                               for a, w in dict(self.eq.next_actions)[state]])

    def own_action_value(self, action: str):
        return self.w.head(self.shape.value, self.eq.state, action)

    # What they share:
    def successor_value(self, s):
        """The value of s' (a head, or under values a number), or None to leave it out."""
        if s.terminal:
            mode = terminal_mode(self.eq.notation, "q" if self.shape.over_next else "v")
            if mode == "omit":
                return None
            return self.w.signed(Integer(0), None) if mode == "zero" else \
                self.terminal_value(s.state)
        return self.state_value(s.state)

    def discounted(self, node):
        return self.w.discounted(node, self.factor(), self.numeric)

    def branch_value(self, b):
        if self.shape.successor == "own":
            return self.own_action_value(b.action)
        return self.backup(b.successors)

    def backup(self, successors):
        """Σ_{s'} p [r + γ v(s')] for one action, in textbook shape."""
        w = self.w
        rewards = {s.reward for s in successors}
        if len(rewards) == 1 or self.eq.notation.style == "silver":
            reward = sympy.expand(sum((s.probability * s.reward for s in successors),
                                      Integer(0)))
            text = successors[0].reward_text if len(rewards) == 1 else None
            parts = [(s, self.successor_value(s)) for s in successors]
            parts = [(s, v) for s, v in parts if v is not None]
            if len(parts) == 1 and parts[0][0].probability == 1:
                future = parts[0][1]
            else:
                future = [w.weighted(s.probability, v, s.probability_text, numeric=self.numeric)
                          for s, v in parts]
                future = _sum_or_single(future) if future else None
            discounted = None if future is None else self.discounted(future)
            if reward == 0 and not self.numeric:
                return discounted  # None: nothing left of this action
            front = w.signed(self.param(reward), text)
            return front if discounted is None else Sum([front, discounted])
        terms = []
        for s in successors:
            value = self.successor_value(s)
            if value is None and s.reward == 0 and not self.numeric:
                continue  # p · 0 adds nothing
            inner = w.signed(self.param(s.reward), s.reward_text)
            if value is not None and s.reward == 0 and not self.numeric:
                inner = self.discounted(value)  # p γ v(s'), not p [0 + γ v(s')]
            elif value is not None:
                inner = Sum([inner, self.discounted(value)])
            grouped = isinstance(inner, Sum)
            terms.append(w.weighted(s.probability, w.bracket(inner) if grouped else inner,
                                    s.probability_text, grouped=grouped, numeric=self.numeric))
        return _sum_or_single(terms) if terms else None

    def rhs(self):
        zero = self.w.signed(Integer(0), None)
        values = [self.branch_value(b) for b in self.eq.branches]
        if self.combine == "one":
            return zero if values[0] is None else values[0]
        if self.combine == "max":
            values = [zero if v is None else v for v in values]
            return values[0] if len(values) == 1 else self.w.maximum(values)
        terms = []
        for b, value in zip(self.eq.branches, values):
            if value is None:
                continue  # an action whose every term is 0
            if b.weight is None or b.weight == 1:
                terms.append(value)
            elif isinstance(value, Sum):
                terms.append(self.w.weighted(b.weight, self.w.bracket(value), grouped=True,
                                             numeric=self.numeric))
            else:
                terms.append(self.w.weighted(b.weight, value, numeric=self.numeric))
        return _sum_or_single(terms) if terms else zero


class SubstitutedForm(SymbolicForm):
    """The same tree with numbers put in: ``values`` maps a state (or a (state, action)
    pair) to its value, ``at`` maps symbols to the numbers they take."""

    numeric = True

    def __init__(self, writer, eq, values: Mapping, at: Mapping):
        super().__init__(writer, eq)
        self.values = values
        self.at = at

    def param(self, expr: Expr) -> Expr:
        return expr.xreplace(self.at) if self.at else expr

    def factor(self) -> Expr:
        return self.param(self.eq.discount)

    def terminal_value(self, state: str):
        return self.w.signed(Integer(0), None)

    def lookup(self, key) -> Expr:
        if key not in self.values:
            raise _MissingValue(f"no value given for {key!r}",
                                hint="give a value for every state the equation reaches")
        return self.param(self.values[key])

    def state_value(self, state: str):
        if not self.shape.over_next:
            return self.w.number(self.lookup(state))
        pairs = dict(self.eq.next_actions)[state]
        if self.shape.over_next == "max":
            return self.w.number(sympy.Max(*[self.lookup((state, a)) for a, _ in pairs]))
        return _sum_or_single([self.w.weighted(w, self.w.number(self.lookup((state, a))),
                                               numeric=True) for a, w in pairs])

    def own_action_value(self, action: str):
        return self.w.number(self.lookup((self.eq.state, action)))


class _MissingValue(ModelError, KeyError):
    """A substituted equation reaches a state whose value was not given."""

    def __str__(self) -> str:  # KeyError would quote the message
        return ModelError.__str__(self)

