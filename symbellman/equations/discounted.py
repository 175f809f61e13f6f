r"""The Bellman equations of a model, kept in the order a textbook writes them.

SymPy reorders the terms of every sum it builds, even with ``evaluate=False``, so an
equation here is a small frozen structure of its own: the state (and action) on the
left, then one :class:`Branch` per action with its policy weight π(a | s) and its
:class:`Successor` s (next state, probability and reward, with the text the model
wrote them in). SymPy does the algebra (:attr:`BellmanEquation.rhs`,
:meth:`~BellmanEquation.simplified`, :meth:`~BellmanEquation.substituted`); the
printers (``_latex``, ``_sympystr``) write from the structure through
:mod:`symbellman.text.typeset`: the reward before the discounted expectation, successors in
the model's order, ``0.2`` as written, no ``1 \cdot`` for a certain outcome, long
right-hand sides broken over several lines.

Families: :func:`expectation_equations` (v_π or q_π), :func:`half_steps` (v_π from
q_π and q_π from v_π), :func:`optimality_equations` (v*, q*, and v* from q*) and,
from :mod:`symbellman.equations.matrix`, :func:`matrix_form` (v = r_π + γ P_π v). Each is an
:class:`EquationSystem`, a tuple of equations that prints in an ``aligned`` block.
Each equation form is a :class:`~symbellman.equations.families.Shape` of a family's record
(:mod:`symbellman.equations.families`), which also gives the textbook's general equations as LaTeX
(:func:`~symbellman.equations.families.general_form`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

import sympy
from sympy import Eq, Expr, Integer, Symbol
from sympy.printing.defaults import Printable

from ..core.errors import ModelError
from ..core.escape import split_alignment
from .matrix import MatrixForm, matrix_form
from ..model.mdp import MDP
from ..model.policy import Policy
from .families import FAMILIES, Shape, family, general_form, shape
from ..core.symbols import gamma
from .layout import (LatexWriter, SubstitutedForm, SymbolicForm, TextWriter,
                     terminal_mode)
from ..text.typeset import (Notation, coefficient_latex, decimal, exact_latex,
                            latex_printer, latex_width)

__all__ = ["Notation", "Successor", "Branch", "BellmanEquation", "SubstitutedEquation",
           "EquationSystem", "MatrixForm", "expectation_equations", "half_steps",
           "matrix_form", "optimality_equations", "general_form"]

_DEFAULT = Notation()


# -- the structure ---------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class Successor:
    """One outcome s' of an action: p(s' | s, a), r(s, a, s') and whether s' is terminal."""

    state: str
    probability: Expr
    reward: Expr
    terminal: bool = False
    probability_text: str | None = None
    reward_text: str | None = None

    def __repr__(self) -> str:
        return f"Successor({self.state!r}, p={self.probability}, r={self.reward})"


@dataclass(frozen=True, repr=False)
class Branch:
    """One action of a state: its weight π(a | s) (None where there is none) and outcomes.

    In the half-step v_π(s) = Σ_a π(a|s) q_π(s, a) the branch has no successors: its
    value is q_π(s, a) itself.
    """

    action: str | None
    weight: Expr | None
    successors: tuple[Successor, ...] = ()

    def __repr__(self) -> str:
        return f"Branch({self.action!r}, weight={self.weight}, {len(self.successors)} outcomes)"


@dataclass(frozen=True, repr=False)
class BellmanEquation(Printable):
    """One Bellman equation, as a textbook writes it.

    Attributes
    ----------
    family : str
        The equation form: ``"v"``, ``"q"`` (expectation equations), ``"v_from_q"``,
        ``"q_from_v"`` (half-steps), ``"v_star"``, ``"q_star"``, ``"v_star_from_q_star"``
        (optimality); each is a :class:`~symbellman.equations.families.Shape` of a family's record.
    state, action : str
        The left-hand side's arguments (``action`` is None for state values).
    branches : tuple of Branch
        The actions on the right, in the model's order (weight-0 actions left out).
    discount : Expr
        The model's γ, used by the algebra; the printed equations show the symbol γ.
    next_actions : tuple of (state, ((action, weight), ...))
        For q equations: π(a' | s') (or, under max, the actions) of each successor s'.
    mrp : bool
        True for a Markov reward process (printed v(s), no actions).

    Examples
    --------
    David Silver's Student MDP under the uniform policy (γ = 1 in the model; the
    equation shows the symbol γ):

    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> eq = expectation_equations(mdp, Policy.uniform(mdp))[3]
    >>> print(eq)
    v_pi(Class3) = 1/2*[1 + gamma*(0.2*v_pi(Class1) + 0.4*v_pi(Class2) + 0.4*v_pi(Class3))]
                   + 1/2*[10 + gamma*v_pi(Sleep)]
    >>> eq.rhs  # the algebra: exact, terminal values 0
    v_pi(Class1)/10 + v_pi(Class2)/5 + v_pi(Class3)/5 + 11/2

    The exact solution makes the two sides equal:

    >>> from sympy import Rational as R
    >>> eq.substituted({"Class1": R(-17, 13), "Class2": R(35, 13), "Class3": R(96, 13)}).value
    96/13
    """

    family: str
    state: str
    action: str | None
    branches: tuple[Branch, ...]
    discount: Expr
    next_actions: tuple = ()
    mrp: bool = False
    state_order: tuple[str, ...] = ()
    notation: Notation = field(default=_DEFAULT)

    @property
    def shape(self) -> Shape:
        """The equation form's shape (its family's record says it): the head on the left,
        how the branches combine, what a successor's value is."""
        return shape(self.family)

    # -- the algebra ---------------------------------------------------------------------------
    @property
    def lhs(self) -> Expr:
        """v_pi(s), q_pi(s, a), v_star(s) or q_star(s, a) as a SymPy expression."""
        args = (self.state,) if self.action is None else (self.state, self.action)
        return family(self.shape.head).applied(*args)

    def _successor_expr(self, s: Successor) -> Expr:
        if s.terminal:
            return Integer(0)
        form = self.shape
        value = family(form.value)
        if not form.over_next:
            return value.applied(s.state)
        pairs = dict(self.next_actions)[s.state]
        if form.over_next == "policy":
            return sympy.Add(*[w * value.applied(s.state, a) for a, w in pairs])
        return sympy.Max(*[value.applied(s.state, a) for a, _ in pairs])

    def _branch_expr(self, b: Branch) -> Expr:
        if self.shape.successor == "own":
            return family(self.shape.value).applied(self.state, b.action)
        return sympy.Add(*[s.probability * (s.reward + self.discount * self._successor_expr(s))
                           for s in b.successors])

    @property
    def rhs(self) -> Expr:
        """The right-hand side as a SymPy expression (terms in SymPy's order; exact)."""
        combine = self.shape.combine
        parts = [self._branch_expr(b) for b in self.branches]
        if combine == "max":
            return sympy.Max(*parts) if len(parts) > 1 else parts[0]
        if combine == "one":
            return parts[0]
        return sympy.Add(*[(1 if b.weight is None else b.weight) * p
                           for b, p in zip(self.branches, parts)])

    def as_eq(self) -> Eq:
        """``Eq(lhs, rhs)`` without evaluation."""
        return Eq(self.lhs, self.rhs, evaluate=False)

    def simplified(self) -> Eq:
        """``Eq(lhs, rhs)`` with the rhs expanded and collected by unknown.

        >>> from symbellman.model.examples import student_mdp
        >>> mdp = student_mdp()
        >>> expectation_equations(mdp, Policy.uniform(mdp))[0].simplified()
        Eq(v_pi(Facebook), v_pi(Class1)/2 + v_pi(Facebook)/2 - 1/2)
        """
        rhs = sympy.expand(self.rhs)
        unknowns = sorted(rhs.atoms(sympy.Function), key=sympy.default_sort_key)
        return Eq(self.lhs, sympy.collect(rhs, unknowns) if unknowns else rhs, evaluate=False)

    def unknowns(self) -> tuple[Expr, ...]:
        """The value heads on the right (v_pi(s'), q_pi(s', a'), ...)."""
        return tuple(sorted(self.rhs.atoms(*(f.function for f in FAMILIES.values())), key=sympy.default_sort_key))

    def substituted(self, *values, at: Mapping | None = None) -> "SubstitutedEquation":
        """The equation with values put in: the "symbolic → substituted → number" row.

        Parameters
        ----------
        *values : mappings
            State → value for v heads, (state, action) → value for q heads; a
            :class:`~symbellman.solve.results.ValueFunction` or ``ActionValueFunction`` will do.
            Terminal states count as 0.
        at : mapping, optional
            Values of γ and parameters (``{"gamma": Rational(9, 10)}``); without it a
            symbolic γ stays the model's discount.
        """
        table: dict = {}
        for mapping in values:
            for key in mapping.keys():
                table[key] = sympy.sympify(mapping[key])
        params = _parameter_map(at or {}, self)
        return SubstitutedEquation(self, _freeze(table), _freeze(params))

    def residual(self, *values, at: Mapping | None = None) -> Expr:
        """lhs − rhs with the values put in, cancelled (0 for an exact solution)."""
        return self.substituted(*values, at=at).residual

    def with_notation(self, notation: Notation | None = None, **changes) -> "BellmanEquation":
        """The same equation printed another way (``style="silver"``, ``states="index"``)."""
        return replace(self, notation=replace(notation or self.notation, **changes))

    # -- printing ------------------------------------------------------------------------------
    def _latex(self, printer) -> str:
        rows = self.latex_rows(printer)
        if len(rows) == 1:
            return rows[0].replace(" &= ", " = ", 1)
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def latex_rows(self, printer=None) -> list[str]:
        """The equation as ``aligned`` rows (``lhs &= ...``, ``&\\quad {}+ ...``)."""
        return SymbolicForm(LatexWriter(printer or latex_printer(), self), self).rows()

    def _sympystr(self, printer) -> str:
        return "\n".join(SymbolicForm(TextWriter(printer, self), self).rows())

    def __hash__(self):
        return hash((self.family, self.state, self.action, self.branches, self.discount))


@dataclass(frozen=True, repr=False)
class SubstitutedEquation(Printable):
    """An equation with numbers put in: ``lhs = structure with numbers = value ≈ decimal``.

    ``value`` is the right-hand side evaluated exactly; ``residual`` is lhs − rhs with the
    lhs's own value put in (None if the values do not give the lhs).
    """

    equation: BellmanEquation
    values: tuple
    at: tuple

    @property
    def _table(self) -> dict:
        return dict(self.values)

    def _head_map(self) -> dict:
        mapping = {}
        for key, value in self.values:
            names = key if isinstance(key, tuple) else (key,)
            for f in FAMILIES.values():  # the value of every head with these arguments
                if len(f.arguments) == len(names):
                    mapping[f.applied(*names)] = value
        return mapping

    @property
    def value(self) -> Expr:
        """The right-hand side with every value put in, exactly."""
        eq = self.equation
        rhs = eq.rhs.xreplace(self._head_map()).xreplace(dict(self.at))
        return sympy.cancel(sympy.nsimplify(rhs) if rhs.has(sympy.Float) else rhs)

    @property
    def residual(self) -> Expr | None:
        key = self.equation.state if self.equation.action is None else \
            (self.equation.state, self.equation.action)
        if key not in self._table:
            return None
        return sympy.cancel(self._table[key].xreplace(dict(self.at)) - self.value)

    def latex_rows(self, printer=None, *, symbolic: bool = False) -> list[str]:
        """Rows for ``aligned``; with ``symbolic`` the symbolic form comes first."""
        printer = printer or latex_printer()
        eq = self.equation
        rows = self._form(LatexWriter(printer, eq)).rows()
        if symbolic:
            sym = eq.latex_rows(printer)
            rows = sym + ["&" + split_alignment(r)[1] if i == 0 else r
                          for i, r in enumerate(rows)]
        tail = "= " + exact_latex(self.value, printer)
        last = split_alignment(rows[-1])[1]
        last = last if len(rows) > 1 else last.split("= ", 1)[1]
        if latex_width(last + tail) <= eq.notation.width:
            rows[-1] += " " + tail
        else:
            rows.append("&" + tail)
        return rows

    def _latex(self, printer) -> str:
        rows = self.latex_rows(printer)
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _sympystr(self, printer) -> str:
        lines = self._form(TextWriter(printer, self.equation)).rows()
        value = self.value
        approx = decimal(value)
        lines[-1] += f" = {printer._print(value)}" + (f" ≈ {approx}" if approx else "")
        return "\n".join(lines)

    def _form(self, writer) -> SubstitutedForm:
        return SubstitutedForm(writer, self.equation, self._table, dict(self.at))


def _freeze(mapping: Mapping) -> tuple:
    return tuple(mapping.items())


def _parameter_map(at: Mapping, eq: BellmanEquation) -> dict:
    by_name = {s.name: s for s in sympy.sympify(eq.discount).free_symbols}
    by_name.setdefault(gamma.name, gamma)
    for b in eq.branches:
        if b.weight is not None:
            by_name.update({s.name: s for s in sympy.sympify(b.weight).free_symbols})
        for s in b.successors:
            by_name.update({x.name: x for x in (s.probability.free_symbols
                                                | s.reward.free_symbols)})
    result = {}
    for k, v in at.items():
        key = by_name.get(k, Symbol(k)) if isinstance(k, str) else k
        result[key] = v if isinstance(v, Expr) else sympy.Rational(str(v))
    return result


# -- families -------------------------------------------------------------------------------
class EquationSystem(tuple, Printable):
    """A family of equations: a tuple that prints as one ``aligned`` block.

    ``title`` names the family; ``terminal_rows`` adds ``v(s) = 0`` for each terminal
    state (v families, when terminal successors print as symbols).

    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> system = expectation_equations(mdp, Policy.uniform(mdp))
    >>> len(system), system.title
    (4, 'Bellman expectation equations for v_pi')
    >>> print(system.latex(environment="align*").splitlines()[0])
    \\begin{align*}
    """

    title: str = ""
    terminal_states: tuple = ()

    def __new__(cls, equations: Iterable, title: str = "", terminal_states: Iterable = ()):
        self = super().__new__(cls, tuple(equations))
        self.title = title
        self.terminal_states = tuple(terminal_states)
        return self

    def __getnewargs__(self):
        return (tuple(self), self.title, self.terminal_states)

    def as_eqs(self) -> list[Eq]:
        return [e.as_eq() for e in self]

    def simplified(self) -> list[Eq]:
        return [e.simplified() for e in self]

    def substituted(self, *values, at: Mapping | None = None) -> list[SubstitutedEquation]:
        return [e.substituted(*values, at=at) for e in self]

    def restricted(self, states: Iterable[str]) -> "EquationSystem":
        """The equations (and terminal rows) of the given states only.

        >>> from symbellman.model.examples import student_mdp
        >>> [e.state for e in expectation_equations(student_mdp()).restricted(["Class2"])]
        ['Class2']
        """
        keep = set(states)
        return EquationSystem([e for e in self if e.state in keep], self.title,
                              [t for t in self.terminal_states if t in keep])

    def with_notation(self, notation: Notation | None = None, **changes) -> "EquationSystem":
        return EquationSystem([e.with_notation(notation, **changes) for e in self],
                              self.title, self.terminal_states)

    def _terminal_heads(self, writer) -> list[str]:
        """v(s) of each terminal state, when the equations show terminal successors."""
        if not self or not self.terminal_states:
            return []
        eq = self[0]
        form = eq.shape
        if (form.successor != "backup" or form.over_next or form.head != form.value
                or terminal_mode(eq.notation, "v") != "symbol"):
            return []  # only the state-value equations v = backup(v) list v(terminal) = 0
        return [writer(None, eq).head(form.head, t) for t in self.terminal_states]

    def latex_rows(self, printer=None) -> list[str]:
        printer = printer or latex_printer()
        rows = []
        for e in self:
            rows += e.latex_rows(printer)
        return rows + [head + " &= 0" for head in self._terminal_heads(LatexWriter)]

    def latex(self, environment: str = "aligned", printer=None) -> str:
        r"""The family as LaTeX: ``aligned`` (inside math), or ``align*`` (a display that
        may break across pages, for documents)."""
        rows = self.latex_rows(printer)
        body = " \\\\\n".join(rows)
        return "\\begin{%s}\n%s\n\\end{%s}" % (environment, body, environment)

    def _latex(self, printer) -> str:
        return self.latex("aligned", printer)

    def _sympystr(self, printer) -> str:
        return "\n".join([printer._print(e) for e in self]
                         + [head + " = 0" for head in self._terminal_heads(TextWriter)])

    def __repr__(self) -> str:
        return self.__str__()

    def __str__(self) -> str:
        return sympy.sstr(self)


# -- building the families ------------------------------------------------------------------
def _successors(mdp: MDP, s: str, a) -> tuple[Successor, ...]:
    return tuple(Successor(o.next_state, o.probability, o.reward, mdp.is_terminal(o.next_state),
                           o.probability_text, o.reward_text) for o in mdp.outcomes(s, a))


def _next_actions(mdp: MDP, branches, policy: Policy | None) -> tuple:
    seen = []
    for b in branches:
        for s in b.successors:
            if not s.terminal and s.state not in seen:
                seen.append(s.state)
    if policy is None:
        return tuple((t, tuple((a, None) for a in mdp.actions(t))) for t in seen)
    return tuple((t, tuple((a, policy.weight(t, a)) for a in mdp.actions(t)
                           if policy.weight(t, a) != 0)) for t in seen)


def _equation(mdp, family, s, a, branches, policy, notation) -> BellmanEquation:
    nxt = _next_actions(mdp, branches, policy if family == "q" else None) \
        if family in ("q", "q_star") else ()
    return BellmanEquation(family, s, a, tuple(branches), mdp.discount, nxt, mdp.is_mrp,
                           mdp.states, notation)


def _weighted_branches(mdp, policy, s, with_successors=True):
    return [Branch(a, policy.weight(s, a) if not mdp.is_mrp else None,
                   _successors(mdp, s, a) if with_successors else ())
            for a in mdp.actions(s) if mdp.is_mrp or policy.weight(s, a) != 0]


def expectation_equations(mdp: MDP, policy: Policy | None = None, kind: str = "v", *,
                          notation: Notation | None = None, **options) -> EquationSystem:
    r"""The Bellman expectation equations of v_π (``kind="v"``) or q_π (``kind="q"``).

    One equation per non-terminal state (per state-action pair for q), in the model's
    order; ``options`` are :class:`Notation` fields (``style="silver"``,
    ``states="index"``, ``terminals="zero"``).

    Examples
    --------
    >>> from symbellman.model.examples import student_mrp
    >>> print(expectation_equations(student_mrp())[2])
    v(Class3) = -2 + gamma*(0.6*v(Pass) + 0.4*v(Pub))
    """
    notation = replace(notation or _DEFAULT, **options)
    policy = None if mdp.is_mrp and policy is None else Policy.for_model(mdp, policy)
    if kind == "v":
        eqs = [_equation(mdp, "v", s, None, _weighted_branches(mdp, policy, s), policy, notation)
               for s in mdp.nonterminal]
        title = "Bellman expectation equations for v_pi"
    elif kind == "q":
        if mdp.is_mrp:
            raise ModelError("a Markov reward process has no actions, so no q equations",
                             hint="ask for kind='v'")
        eqs = [_equation(mdp, "q", s, a, [Branch(a, None, _successors(mdp, s, a))], policy,
                         notation) for s, a in mdp.state_action_pairs]
        title = "Bellman expectation equations for q_pi"
    else:
        raise ModelError(f"unknown kind {kind!r}", hint="use 'v' or 'q'")
    return EquationSystem(eqs, title, mdp.terminal if kind == "v" else ())


def half_steps(mdp: MDP, policy: Policy | None = None, *, notation: Notation | None = None,
               **options) -> EquationSystem:
    r"""The two half-steps: v_π(s) = Σ_a π(a|s) q_π(s, a), then q_π(s, a) from v_π.

    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> steps = half_steps(mdp, Policy.uniform(mdp))
    >>> print(steps[3])
    v_pi(Class3) = 1/2*q_pi(Class3, pub) + 1/2*q_pi(Class3, study)
    >>> print(steps[-1])
    q_pi(Class3, study) = 10 + gamma*v_pi(Sleep)
    """
    if mdp.is_mrp:
        raise ModelError("a Markov reward process has no actions, so no half-steps",
                         hint="its expectation equations are the whole story")
    notation = replace(notation or _DEFAULT, **options)
    policy = Policy.for_model(mdp, policy)
    eqs = [_equation(mdp, "v_from_q", s, None, _weighted_branches(mdp, policy, s, False),
                     policy, notation) for s in mdp.nonterminal]
    eqs += [_equation(mdp, "q_from_v", s, a, [Branch(a, None, _successors(mdp, s, a))],
                      policy, notation) for s, a in mdp.state_action_pairs]
    return EquationSystem(eqs, "The half-steps joining v_pi and q_pi")


def optimality_equations(mdp: MDP, kind: str = "v", *, notation: Notation | None = None,
                         **options) -> EquationSystem:
    r"""The Bellman optimality equations: ``kind`` is ``"v"``, ``"q"`` or ``"v_from_q"``.

    >>> from symbellman.model.examples import student_mdp
    >>> print(optimality_equations(student_mdp())[2])
    v_star(Class2) = max{gamma*v_star(Sleep), -2 + gamma*v_star(Class3)}
    >>> print(optimality_equations(student_mdp(), "q")[6])
    q_star(Class3, pub) = 1 + gamma*(0.2*max_a' q_star(Class1, a')
                          + 0.4*max_a' q_star(Class2, a') + 0.4*max_a' q_star(Class3, a'))
    """
    if mdp.is_mrp:
        raise ModelError("a Markov reward process has no actions: its only equations are "
                         "the expectation equations")
    notation = replace(notation or _DEFAULT, **options)
    if kind == "v":
        eqs = [_equation(mdp, "v_star", s, None,
                         [Branch(a, None, _successors(mdp, s, a)) for a in mdp.actions(s)],
                         None, notation) for s in mdp.nonterminal]
        return EquationSystem(eqs, "Bellman optimality equations for v_star", mdp.terminal)
    if kind == "q":
        eqs = [_equation(mdp, "q_star", s, a, [Branch(a, None, _successors(mdp, s, a))], None,
                         notation) for s, a in mdp.state_action_pairs]
        return EquationSystem(eqs, "Bellman optimality equations for q_star")
    if kind == "v_from_q":
        eqs = [_equation(mdp, "v_star_from_q_star", s, None,
                         [Branch(a, None) for a in mdp.actions(s)], None, notation)
               for s in mdp.nonterminal]
        return EquationSystem(eqs, "v_star from q_star")
    raise ModelError(f"unknown kind {kind!r}", hint="use 'v', 'q' or 'v_from_q'")
