r"""The Bellman equations of a model, kept in the order a textbook writes them.

SymPy reorders the terms of every sum it builds, even with ``evaluate=False``, so an
equation here is a small frozen structure of its own: the state (and action) on the
left, then one :class:`Branch` per action with its policy weight π(a | s) and its
:class:`Successor` s (next state, probability and reward, with the text the model
wrote them in). SymPy does the algebra (:attr:`BellmanEquation.rhs`,
:meth:`~BellmanEquation.simplified`, :meth:`~BellmanEquation.substituted`); the
printers (``_latex``, ``_sympystr``) write from the structure: the reward before the
discounted expectation, successors in the model's order, ``0.2`` as written, no
``1 \cdot`` for a certain outcome, long right-hand sides broken over several lines.

Families: :func:`expectation_equations` (v_π or q_π), :func:`half_steps` (v_π from
q_π and q_π from v_π), :func:`matrix_form` (v = r_π + γ P_π v) and
:func:`optimality_equations` (v*, q*, and v* from q*). Each is an
:class:`EquationSystem`, a tuple of equations that prints in an ``aligned`` block.
:func:`general_form` gives the textbook's general equations as LaTeX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

import sympy
from sympy import Eq, Expr, Integer, Matrix, Rational, Symbol
from sympy.printing.defaults import Printable

from .induced import induced_chain
from .model import MDP
from .policy import Policy
from .symbols import Name, gamma, latex_text, q_pi, q_star, v_pi, v_star

__all__ = ["Notation", "Successor", "Branch", "BellmanEquation", "SubstitutedEquation",
           "EquationSystem", "MatrixForm", "expectation_equations", "half_steps",
           "matrix_form", "optimality_equations", "general_form", "GENERAL_FORMS"]

_STYLES = ("sutton-barto", "silver")


@dataclass(frozen=True)
class Notation:
    """How equations print.

    Parameters
    ----------
    style : {"sutton-barto", "silver"}
        Sutton & Barto's r(s, a, s') inside the sum (default), or David Silver's
        expected reward :math:`\\mathcal{R}^a_s` always in front of the discounted sum.
        A Markov reward process prints v(s) in both styles (it has no policy).
    states : {"name", "index"}
        ``\\text{Class1}`` or ``s_{2}`` (the position in the model's state list, from 1).
    terminals : {"auto", "symbol", "zero", "omit"}
        How a terminal successor shows: ``auto`` writes v(s') in v equations and leaves
        it out of q equations (where it would read max_a' q(Sleep, a')); ``symbol``
        always writes v(s'); ``zero`` writes 0; ``omit`` leaves the term out.
    width : int
        The visible characters of a right-hand side per line before it breaks
        (LaTeX; plain text uses ``text_width``).
    """

    style: str = "sutton-barto"
    states: str = "name"
    terminals: str = "auto"
    width: int = 58
    text_width: int = 88

    def __post_init__(self):
        if self.style not in _STYLES:
            raise ValueError(f"unknown notation style {self.style!r}; use one of {_STYLES}")
        if self.states not in ("name", "index"):
            raise ValueError("states must be 'name' or 'index'")
        if self.terminals not in ("auto", "symbol", "zero", "omit"):
            raise ValueError("terminals must be 'auto', 'symbol', 'zero' or 'omit'")


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


_FAMILIES = {
    # family: (head of the lhs, how the branches combine, what a successor's value is)
    "v": ("v", "sum", "v"),
    "q": ("q", "one", "q_mean"),
    "v_from_q": ("v", "sum", "q_self"),
    "q_from_v": ("q", "one", "v"),
    "v_star": ("v*", "max", "v*"),
    "q_star": ("q*", "one", "q_max"),
    "v_star_from_q_star": ("v*", "max", "q*_self"),
}
_SYMPY_HEADS = {"v": v_pi, "q": q_pi, "v*": v_star, "q*": q_star}


@dataclass(frozen=True, repr=False)
class BellmanEquation(Printable):
    """One Bellman equation, as a textbook writes it.

    Attributes
    ----------
    family : str
        ``"v"``, ``"q"`` (expectation equations), ``"v_from_q"``, ``"q_from_v"``
        (half-steps), ``"v_star"``, ``"q_star"``, ``"v_star_from_q_star"`` (optimality).
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

    >>> from symbellman.examples import student_mdp
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

    # -- the algebra ---------------------------------------------------------------------------
    @property
    def lhs(self) -> Expr:
        """v_pi(s), q_pi(s, a), v_star(s) or q_star(s, a) as a SymPy expression."""
        head = _SYMPY_HEADS[_FAMILIES[self.family][0]]
        args = (self.state,) if self.action is None else (self.state, self.action)
        return head(*[Name(a) for a in args])

    def _successor_expr(self, s: Successor) -> Expr:
        if s.terminal:
            return Integer(0)
        kind = _FAMILIES[self.family][2]
        if kind in ("v", "v*"):
            return _SYMPY_HEADS[kind](Name(s.state))
        pairs = dict(self.next_actions)[s.state]
        head = q_pi if kind == "q_mean" else q_star
        if kind == "q_mean":
            return sympy.Add(*[w * head(Name(s.state), Name(a)) for a, w in pairs])
        return sympy.Max(*[head(Name(s.state), Name(a)) for a, _ in pairs])

    def _branch_expr(self, b: Branch) -> Expr:
        kind = _FAMILIES[self.family][2]
        if kind == "q_self":
            return q_pi(Name(self.state), Name(b.action))
        if kind == "q*_self":
            return q_star(Name(self.state), Name(b.action))
        return sympy.Add(*[s.probability * (s.reward + self.discount * self._successor_expr(s))
                           for s in b.successors])

    @property
    def rhs(self) -> Expr:
        """The right-hand side as a SymPy expression (terms in SymPy's order; exact)."""
        combine = _FAMILIES[self.family][1]
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

        >>> from symbellman.examples import student_mdp
        >>> mdp = student_mdp()
        >>> expectation_equations(mdp, Policy.uniform(mdp))[0].simplified()
        Eq(v_pi(Facebook), v_pi(Class1)/2 + v_pi(Facebook)/2 - 1/2)
        """
        rhs = sympy.expand(self.rhs)
        unknowns = sorted(rhs.atoms(sympy.Function), key=sympy.default_sort_key)
        return Eq(self.lhs, sympy.collect(rhs, unknowns) if unknowns else rhs, evaluate=False)

    def unknowns(self) -> tuple[Expr, ...]:
        """The value heads on the right (v_pi(s'), q_pi(s', a'), ...)."""
        return tuple(sorted(self.rhs.atoms(*_SYMPY_HEADS.values()), key=sympy.default_sort_key))

    def substituted(self, *values, at: Mapping | None = None) -> "SubstitutedEquation":
        """The equation with values put in: the "symbolic → substituted → number" row.

        Parameters
        ----------
        *values : mappings
            State → value for v heads, (state, action) → value for q heads; a
            :class:`~symbellman.results.ValueFunction` or ``ActionValueFunction`` will do.
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
        rows = _latex_rows(self, printer)
        if len(rows) == 1:
            return rows[0].replace(" &= ", " = ", 1)
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def latex_rows(self, printer=None) -> list[str]:
        """The equation as ``aligned`` rows (``lhs &= ...``, ``&\\quad {}+ ...``)."""
        return _latex_rows(self, printer or _latex_printer())

    def _sympystr(self, printer) -> str:
        return _text(self, printer)

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
            if isinstance(key, tuple):
                for head in (q_pi, q_star):
                    mapping[head(Name(key[0]), Name(key[1]))] = value
            else:
                for head in (v_pi, v_star):
                    mapping[head(Name(key))] = value
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
        printer = printer or _latex_printer()
        eq = self.equation
        fmt = _LatexFormat(printer, eq, values=self)
        rows = _pack_rows(eq, fmt, _latex_lhs(eq, printer))
        if symbolic:
            sym = _latex_rows(eq, printer)
            rows = sym + ["&= " + r.split("&= ", 1)[1] if i == 0 else r
                          for i, r in enumerate(rows)]
        tail = "= " + _value_latex(self.value, printer)
        last = rows[-1].split("&", 1)[-1] if len(rows) > 1 else rows[-1].split("&= ", 1)[1]
        if _latex_width(last + tail) <= eq.notation.width:
            rows[-1] += " " + tail
        else:
            rows.append("&" + tail)
        return rows

    def _latex(self, printer) -> str:
        rows = self.latex_rows(printer)
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _sympystr(self, printer) -> str:
        eq = self.equation
        fmt = _TextFormat(printer, eq, values=self)
        lines = _pack_text(eq, fmt, _text_lhs(eq, printer))
        value = self.value
        decimal = _decimal(value)
        lines[-1] += f" = {printer._print(value)}" + (f" ≈ {decimal}" if decimal else "")
        return "\n".join(lines)


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

    >>> from symbellman.examples import student_mdp
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

    def with_notation(self, notation: Notation | None = None, **changes) -> "EquationSystem":
        return EquationSystem([e.with_notation(notation, **changes) for e in self],
                              self.title, self.terminal_states)

    def _terminal_rows(self, printer) -> list[str]:
        if not self or not self.terminal_states:
            return []
        eq = self[0]
        if eq.family not in ("v", "v_star") or _terminal_mode(eq, "v") != "symbol":
            return []
        head = _head_latex(eq, "v*" if eq.family == "v_star" else "v")
        return [r"%s(%s) &= 0" % (head, _state_latex(eq, t)) for t in self.terminal_states]

    def latex_rows(self, printer=None) -> list[str]:
        printer = printer or _latex_printer()
        rows = []
        for e in self:
            rows += e.latex_rows(printer)
        return rows + self._terminal_rows(printer)

    def latex(self, environment: str = "aligned", printer=None) -> str:
        r"""The family as LaTeX: ``aligned`` (inside math), or ``align*`` (a display that
        may break across pages, for documents)."""
        rows = self.latex_rows(printer)
        body = " \\\\\n".join(rows)
        return "\\begin{%s}\n%s\n\\end{%s}" % (environment, body, environment)

    def _latex(self, printer) -> str:
        return self.latex("aligned", printer)

    def _sympystr(self, printer) -> str:
        return "\n".join(printer._print(e) for e in self)

    def __repr__(self) -> str:
        return self.__str__()

    def __str__(self) -> str:
        return sympy.sstr(self)


# -- building the families ------------------------------------------------------------------
def _policy_of(mdp: MDP, policy) -> Policy:
    if policy is None:
        return Policy.uniform(mdp)
    if isinstance(policy, Policy):
        return policy
    return Policy.from_spec(mdp, policy)


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
    >>> from symbellman.examples import student_mrp
    >>> print(expectation_equations(student_mrp())[2])
    v(Class3) = -2 + gamma*(0.6*v(Pass) + 0.4*v(Pub))
    """
    notation = replace(notation or _DEFAULT, **options)
    policy = None if mdp.is_mrp and policy is None else _policy_of(mdp, policy)
    if kind == "v":
        eqs = [_equation(mdp, "v", s, None, _weighted_branches(mdp, policy, s), policy, notation)
               for s in mdp.nonterminal]
        title = "Bellman expectation equations for v_pi"
    elif kind == "q":
        if mdp.is_mrp:
            raise ValueError("a Markov reward process has no actions, so no q equations")
        eqs = [_equation(mdp, "q", s, a, [Branch(a, None, _successors(mdp, s, a))], policy,
                         notation) for s, a in mdp.state_action_pairs]
        title = "Bellman expectation equations for q_pi"
    else:
        raise ValueError(f"kind must be 'v' or 'q', not {kind!r}")
    return EquationSystem(eqs, title, mdp.terminal if kind == "v" else ())


def half_steps(mdp: MDP, policy: Policy | None = None, *, notation: Notation | None = None,
               **options) -> EquationSystem:
    r"""The two half-steps: v_π(s) = Σ_a π(a|s) q_π(s, a), then q_π(s, a) from v_π.

    >>> from symbellman.examples import student_mdp
    >>> mdp = student_mdp()
    >>> steps = half_steps(mdp, Policy.uniform(mdp))
    >>> print(steps[3])
    v_pi(Class3) = 1/2*q_pi(Class3, pub) + 1/2*q_pi(Class3, study)
    >>> print(steps[-1])
    q_pi(Class3, study) = 10 + gamma*v_pi(Sleep)
    """
    if mdp.is_mrp:
        raise ValueError("a Markov reward process has no actions, so no half-steps")
    notation = replace(notation or _DEFAULT, **options)
    policy = _policy_of(mdp, policy)
    eqs = [_equation(mdp, "v_from_q", s, None, _weighted_branches(mdp, policy, s, False),
                     policy, notation) for s in mdp.nonterminal]
    eqs += [_equation(mdp, "q_from_v", s, a, [Branch(a, None, _successors(mdp, s, a))],
                      policy, notation) for s, a in mdp.state_action_pairs]
    return EquationSystem(eqs, "The half-steps joining v_pi and q_pi")


def optimality_equations(mdp: MDP, kind: str = "v", *, notation: Notation | None = None,
                         **options) -> EquationSystem:
    r"""The Bellman optimality equations: ``kind`` is ``"v"``, ``"q"`` or ``"v_from_q"``.

    >>> from symbellman.examples import student_mdp
    >>> print(optimality_equations(student_mdp())[2])
    v_star(Class2) = max{gamma*v_star(Sleep), -2 + gamma*v_star(Class3)}
    >>> print(optimality_equations(student_mdp(), "q")[6])
    q_star(Class3, pub) = 1 + gamma*(0.2*max_a' q_star(Class1, a')
                          + 0.4*max_a' q_star(Class2, a') + 0.4*max_a' q_star(Class3, a'))
    """
    if mdp.is_mrp:
        raise ValueError("a Markov reward process has no actions: its only equations are "
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
    raise ValueError(f"kind must be 'v', 'q' or 'v_from_q', not {kind!r}")


# -- the matrix form --------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class MatrixForm(Printable):
    r"""v = r_π + γ P_π v over the non-terminal states, with exact ``P`` and ``r``.

    >>> from symbellman.examples import student_mdp
    >>> mdp = student_mdp()
    >>> m = matrix_form(mdp, Policy.uniform(mdp))
    >>> m.P.row(3)
    Matrix([[0, 1/10, 1/5, 1/5]])
    >>> m.solution().T  # (I - γP_π)^{-1} r_π at the model's γ = 1
    Matrix([[-30/13, -17/13, 35/13, 96/13]])
    """

    states: tuple[str, ...]
    P: Matrix
    r: Matrix
    discount: Expr
    mrp: bool = False
    state_order: tuple[str, ...] = ()
    notation: Notation = field(default=_DEFAULT)
    max_size: int = 8

    @property
    def lhs(self) -> Matrix:
        return Matrix([v_pi(Name(s)) for s in self.states])

    @property
    def rhs(self) -> Matrix:
        return self.r + self.discount * self.P * self.lhs

    def as_eq(self) -> Eq:
        return Eq(self.lhs, self.rhs, evaluate=False)

    def simplified(self) -> Eq:
        return Eq(self.lhs, self.rhs.applyfunc(sympy.expand), evaluate=False)

    def solution(self) -> Matrix:
        """(I − γP_π)^{-1} r_π by an exact LU solve (fine for small systems)."""
        n = len(self.states)
        A = sympy.eye(n) - self.discount * self.P
        return A.LUsolve(self.r).applyfunc(sympy.cancel)

    def _heads(self):
        pi = "" if self.mrp else r"_\pi"
        return r"\mathbf{v}%s" % pi, r"\mathbf{r}%s" % pi, r"P%s" % pi

    def general_latex(self) -> str:
        v, r, P = self._heads()
        return (r"%s = %s + \gamma %s %s, \qquad %s = (I - \gamma %s)^{-1} %s"
                % (v, r, P, v, v, P, r))

    def _bmatrix(self, printer, M: Matrix) -> str:
        rows = [" & ".join(_coefficient_latex(x, None, printer) for x in M.row(i))
                for i in range(M.rows)]
        return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"

    def _value_vector(self, printer) -> str:
        eq = BellmanEquation("v", "", None, (), self.discount, (), self.mrp, self.state_order,
                             self.notation)
        head = _head_latex(eq, "v")
        return (r"\begin{bmatrix} " + r" \\ ".join(
            "%s(%s)" % (head, _state_latex(eq, s)) for s in self.states) + r" \end{bmatrix}")

    def _latex(self, printer) -> str:
        v, r, P = self._heads()
        if len(self.states) > self.max_size:
            return self.general_latex()
        vec = self._value_vector(printer)
        return (r"%s = %s + \gamma %s %s" % (vec, self._bmatrix(printer, self.r), self._bmatrix(
            printer, self.P), vec))

    def _sympystr(self, printer) -> str:
        names = ", ".join(self.states)
        return (f"v = r_pi + gamma*P_pi*v over ({names})\n"
                f"P_pi = {printer._print(self.P)}\nr_pi = {printer._print(self.r)}")


def matrix_form(mdp: MDP, policy: Policy | None = None, *, notation: Notation | None = None,
                **options) -> MatrixForm:
    """The matrix form v = r_π + γ P_π v (see :class:`MatrixForm`)."""
    notation = replace(notation or _DEFAULT, **options)
    chain = induced_chain(mdp, _policy_of(mdp, policy))
    return MatrixForm(chain.states, chain.P, chain.r, mdp.discount, mdp.is_mrp, mdp.states,
                      notation)


# -- the general forms ------------------------------------------------------------------------
GENERAL_FORMS = {
    ("v", "sutton-barto"):
        r"v_\pi(s) = \sum_{a} \pi(a \mid s) \sum_{s'} p(s' \mid s, a)\,\bigl[r(s, a, s') "
        r"+ \gamma\, v_\pi(s')\bigr]",
    ("q", "sutton-barto"):
        r"q_\pi(s, a) = \sum_{s'} p(s' \mid s, a)\,\Bigl[r(s, a, s') + \gamma \sum_{a'} "
        r"\pi(a' \mid s')\, q_\pi(s', a')\Bigr]",
    ("v_from_q", "sutton-barto"): r"v_\pi(s) = \sum_{a} \pi(a \mid s)\, q_\pi(s, a)",
    ("q_from_v", "sutton-barto"):
        r"q_\pi(s, a) = \sum_{s'} p(s' \mid s, a)\,\bigl[r(s, a, s') + \gamma\, v_\pi(s')\bigr]",
    ("v_star", "sutton-barto"):
        r"v_*(s) = \max_{a} \sum_{s'} p(s' \mid s, a)\,\bigl[r(s, a, s') + \gamma\, v_*(s')\bigr]",
    ("q_star", "sutton-barto"):
        r"q_*(s, a) = \sum_{s'} p(s' \mid s, a)\,\Bigl[r(s, a, s') + \gamma \max_{a'} "
        r"q_*(s', a')\Bigr]",
    ("v_star_from_q_star", "sutton-barto"): r"v_*(s) = \max_{a} q_*(s, a)",
    ("mrp", "sutton-barto"):
        r"v(s) = \sum_{s'} p(s' \mid s)\,\bigl[r(s, s') + \gamma\, v(s')\bigr]",
    ("v", "silver"):
        r"v_\pi(s) = \sum_{a \in \mathcal{A}} \pi(a \mid s) \Bigl(\mathcal{R}^a_s + \gamma "
        r"\sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'} v_\pi(s')\Bigr)",
    ("q", "silver"):
        r"q_\pi(s, a) = \mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'}"
        r" \sum_{a' \in \mathcal{A}} \pi(a' \mid s')\, q_\pi(s', a')",
    ("v_from_q", "silver"): r"v_\pi(s) = \sum_{a \in \mathcal{A}} \pi(a \mid s)\, q_\pi(s, a)",
    ("q_from_v", "silver"):
        r"q_\pi(s, a) = \mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'}"
        r" v_\pi(s')",
    ("v_star", "silver"):
        r"v_*(s) = \max_{a} \Bigl(\mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} "
        r"\mathcal{P}^a_{ss'} v_*(s')\Bigr)",
    ("q_star", "silver"):
        r"q_*(s, a) = \mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'} "
        r"\max_{a'} q_*(s', a')",
    ("v_star_from_q_star", "silver"): r"v_*(s) = \max_{a} q_*(s, a)",
    ("mrp", "silver"):
        r"v(s) = \mathcal{R}_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}_{ss'} v(s')",
    ("matrix", "sutton-barto"):
        r"\mathbf{v}_\pi = \mathbf{r}_\pi + \gamma P_\pi \mathbf{v}_\pi",
    ("matrix", "silver"): r"v = \mathcal{R}^\pi + \gamma \mathcal{P}^\pi v",
}


def general_form(family: str, style: str = "sutton-barto") -> str:
    r"""The general equation of a family as LaTeX.

    >>> print(general_form("v_from_q"))
    v_\pi(s) = \sum_{a} \pi(a \mid s)\, q_\pi(s, a)
    """
    try:
        return GENERAL_FORMS[(family, style)]
    except KeyError:
        families = sorted({f for f, _ in GENERAL_FORMS})
        raise ValueError(f"no general form for {family!r} in style {style!r}; families: "
                         f"{', '.join(families)}; styles: {', '.join(_STYLES)}") from None


# =============================================================================================
# Layout: a right-hand side is a small tree of sums, groups and products; it is flattened
# into segments separated by the places where a line may break (before a "+" of any sum,
# after a comma of a max), then packed into lines of a given visible width.
# =============================================================================================
@dataclass
class _Sum:
    terms: list


@dataclass
class _Group:
    open: str
    close: str
    body: Any


@dataclass
class _Max:
    open: str
    items: list
    close: str
    sep: str


def _height(node) -> int:
    """How many bracket groups nest inside ``node`` (to pick \\bigl, \\Bigl, \\biggl)."""
    if isinstance(node, str):
        return 0
    if isinstance(node, _Group):
        return 1 + _height(node.body)
    if isinstance(node, _Sum):
        return max((_height(t) for t in node.terms), default=0)
    if isinstance(node, _Max):
        return max((_height(t) for t in node.items), default=0)
    return max((_height(t) for t in node), default=0)  # a list: a product


def _flatten(node, depth: int = 0) -> list[list]:
    """[[break depth or None, text], ...]: None means no break is allowed before it."""
    if isinstance(node, str):
        return [[None, node]]
    if isinstance(node, list):  # a product: no breaks between its factors
        out: list[list] = []
        for part in node:
            out = _join(out, _flatten(part, depth))
        return out
    if isinstance(node, _Group):
        inner = _flatten(node.body, depth)
        inner[0][1] = node.open + inner[0][1]
        inner[-1][1] = inner[-1][1] + node.close
        return inner
    if isinstance(node, _Sum):
        out = []
        for i, term in enumerate(node.terms):
            segs = _flatten(term, depth + 1)
            if i:
                text = segs[0][1]
                segs[0] = [depth, (" - " + text[1:]) if text.startswith("-") else " + " + text]
            out = _join(out, segs)
        return out
    if isinstance(node, _Max):
        out = [[None, node.open]]
        for i, item in enumerate(node.items):
            segs = _flatten(item, depth + 1)
            if i:
                out[-1][1] += node.sep
                segs[0][0] = depth
            out = _join(out, segs)
        out[-1][1] += node.close
        return out
    raise TypeError(node)


def _join(a: list, b: list) -> list:
    if not a:
        return [list(x) for x in b]
    b = [list(x) for x in b]
    if b and b[0][0] is None:
        a[-1] = [a[-1][0], a[-1][1] + b[0][1]]
        b = b[1:]
    return a + b


def _pack(segs: list, width: float, measure) -> list[list]:
    """Greedy lines; on overflow break at the shallowest break point that leaves the line
    at least 40% full (the latest such), so sums break between their outer terms first."""
    text = lambda line: "".join(t for _, t in line)  # noqa: E731
    lines: list[list] = []
    current: list = []
    for seg in segs:
        current = current + [seg]
        while len(current) > 1 and measure(text(current)) > width:
            cands = [k for k in range(1, len(current)) if current[k][0] is not None]
            if not cands:
                break
            good = [k for k in cands if measure(text(current[:k])) >= 0.4 * width]
            pool = good or cands
            best = min(current[k][0] for k in pool)
            k = max(k for k in pool if current[k][0] == best)
            lines.append(current[:k])
            current = current[k:]
    lines.append(current)
    return lines


_TEXT_RE = re.compile(r"\\text\{((?:[^{}\\]|\\.)*)\}")
_FRAC_RE = re.compile(r"\\[td]?frac\{([^{}]*)\}\{([^{}]*)\}")
_SIZING_RE = re.compile(r"\\(?:bigl|bigr|Bigl|Bigr|biggl|biggr|left|right|quad|qquad|mid)"
                        r"(?![a-zA-Z])")


def _latex_width(text: str) -> float:
    """A rough count of the printed characters of a LaTeX fragment."""
    text = _TEXT_RE.sub(lambda m: re.sub(r"\\(.)", r"\1", m.group(1)), text)
    text = _FRAC_RE.sub(lambda m: "x" * max(len(m.group(1)), len(m.group(2))), text)
    text = _SIZING_RE.sub("", text)
    text = re.sub(r"\\[,;:! ]", "", text)
    text = re.sub(r"\\[a-zA-Z]+", "x", text)
    text = text.replace("{", "").replace("}", "").replace("_", "")
    operators = len(re.findall(r"[+=-]", text))
    return len(text.replace(" ", "")) + 1.2 * operators


# -- formats: LaTeX or plain text, symbolic or with values -----------------------------------
_DECIMAL_TEXT = re.compile(r"^\s*[+-]?(\d+\.\d*|\.\d+)\s*$")


class _Format:
    """The pieces of an equation in one output language; ``values`` switches to numbers."""

    def __init__(self, printer, eq: BellmanEquation, values: SubstitutedEquation | None = None):
        self.printer = printer
        self.eq = eq
        self.values = values
        self.table = values._table if values is not None else {}
        self.at = dict(values.at) if values is not None else {}

    def param(self, expr: Expr) -> Expr:
        return expr.xreplace(self.at) if self.at else expr

    def successor_value(self, s: Successor):
        """The value of s' (a head, or under values a number), or None to leave it out."""
        eq = self.eq
        kind = _FAMILIES[eq.family][2]
        q_kind = kind in ("q_mean", "q_max")
        if s.terminal:
            mode = _terminal_mode(eq, "q" if q_kind else "v")
            if mode == "omit":
                return None
            if mode == "zero" or self.values is not None:
                return "0"
            return self.head("v*" if kind == "v*" else "v", s.state)
        if self.values is not None:
            return self.value_of(s.state)
        if kind in ("v", "v*"):
            return self.head(kind, s.state)
        pairs = dict(eq.next_actions)[s.state]
        if kind == "q_max":
            return self.max_head(s.state)
        terms = [self.weighted(w, self.head("q", s.state, a)) for a, w in pairs]
        return terms[0] if len(terms) == 1 else _Sum(terms)

    def value_of(self, state: str):
        eq = self.eq
        kind = _FAMILIES[eq.family][2]
        if kind in ("v", "v*"):
            return self.number(self._lookup(state))
        pairs = dict(eq.next_actions)[state]
        if kind == "q_max":
            return self.number(sympy.Max(*[self._lookup((state, a)) for a, _ in pairs]))
        terms = [self.weighted(w, self.number(self._lookup((state, a)))) for a, w in pairs]
        return terms[0] if len(terms) == 1 else _Sum(terms)

    def _lookup(self, key):
        if key not in self.table:
            raise KeyError(f"no value given for {key!r}")
        return self.param(self.table[key])

    def branch_value(self, b: Branch):
        kind = _FAMILIES[self.eq.family][2]
        if kind in ("q_self", "q*_self"):
            head = "q" if kind == "q_self" else "q*"
            if self.values is not None:
                return self.number(self._lookup((self.eq.state, b.action)))
            return self.head(head, self.eq.state, b.action)
        return self.backup(b.successors)

    def backup(self, successors):
        """Σ_{s'} p [r + γ v(s')] for one action, in textbook shape."""
        rewards = {s.reward for s in successors}
        silver = self.eq.notation.style == "silver"
        if len(rewards) == 1 or silver:
            reward = sympy.expand(sum((s.probability * s.reward for s in successors),
                                      Integer(0)))
            text = successors[0].reward_text if len(rewards) == 1 else None
            parts = [(s, self.successor_value(s)) for s in successors]
            parts = [(s, v) for s, v in parts if v is not None]
            if len(parts) == 1 and parts[0][0].probability == 1:
                future = parts[0][1]
            else:
                future = [self.weighted(s.probability, v, s.probability_text) for s, v in parts]
                future = _Sum(future) if len(future) > 1 else (future[0] if future else None)
            discounted = None if future is None else self.discounted(future)
            if reward == 0 and self.values is None:
                return discounted if discounted is not None else "0"
            front = self.signed(self.param(reward), text)
            return front if discounted is None else _Sum([front, discounted])
        terms = []
        for s in successors:
            value = self.successor_value(s)
            inner = self.signed(self.param(s.reward), s.reward_text)
            if value is not None:
                inner = _Sum([inner, self.discounted(value)])
            terms.append(self.weighted(s.probability, self.bracket(inner) if isinstance(
                inner, _Sum) else inner, s.probability_text, grouped=isinstance(inner, _Sum)))
        return _Sum(terms)

    def rhs(self):
        eq = self.eq
        combine = _FAMILIES[eq.family][1]
        values = [self.branch_value(b) for b in eq.branches]
        if combine == "one":
            return values[0]
        if combine == "max":
            return values[0] if len(values) == 1 else self.maximum(values)
        terms = []
        for b, value in zip(eq.branches, values):
            if b.weight is None or b.weight == 1:
                terms.append(value)
            elif isinstance(value, _Sum):
                terms.append(self.weighted(b.weight, self.bracket(value), grouped=True))
            else:
                terms.append(self.weighted(b.weight, value))
        return terms[0] if len(terms) == 1 else _Sum(terms)


def _terminal_mode(eq: BellmanEquation, where: str) -> str:
    mode = eq.notation.terminals
    if mode == "auto":
        return "omit" if where == "q" else "symbol"
    return mode


class _LatexFormat(_Format):
    def head(self, kind: str, state: str, action: str | None = None) -> str:
        args = _state_latex(self.eq, state)
        if action is not None:
            args += ", " + latex_text(action)
        return "%s(%s)" % (_head_latex(self.eq, kind), args)

    def max_head(self, state: str) -> str:
        return r"\max_{a'} %s(%s, a')" % (_head_latex(self.eq, "q*"), _state_latex(self.eq, state))

    def number(self, value: Expr, text: str | None = None) -> str:
        out = _coefficient_latex(value, text, self.printer)
        if out.startswith("-") or (isinstance(value, sympy.Add) and value.free_symbols):
            return "(%s)" % out
        return out

    def signed(self, value: Expr, text: str | None) -> str:
        return _coefficient_latex(value, text, self.printer)

    def weighted(self, weight, node, text: str | None = None, grouped: bool = False):
        coefficient = _coefficient_latex(weight, text, self.printer)
        if isinstance(weight, sympy.Add):
            coefficient = "(%s)" % coefficient
        if isinstance(node, _Sum):
            node = _Group(r"\bigl(", r"\bigr)", node)
            grouped = True
        if weight == 1:
            return node
        if grouped:
            return [coefficient, node]
        joint = r" \cdot " if self.values is not None else r"\, "
        return [coefficient + joint, node]

    def discounted(self, node):
        if self.values is not None:
            g = _coefficient_latex(self.param(self.eq.discount), None, self.printer)
            if isinstance(node, _Sum):
                return [g + r" \cdot ", _Group("(", ")", node)]
            return [g + r" \cdot ", node]
        g = self.printer._print(_display_discount(self.eq))
        if isinstance(node, _Sum):
            return [g + r"\,", _Group(r"\bigl(", r"\bigr)", node)]
        return [g + r"\, ", node]

    def bracket(self, node):
        size = _height(node)
        left, right = [(r"\bigl[", r"\bigr]"), (r"\Bigl[", r"\Bigr]"),
                       (r"\biggl[", r"\biggr]")][min(size, 2)]
        return _Group(left, right, node)

    def maximum(self, items):
        return _Max(r"\max\bigl\{", items, r"\bigr\}", r",\; ")


class _TextFormat(_Format):
    def head(self, kind: str, state: str, action: str | None = None) -> str:
        args = state if self.eq.notation.states == "name" else _index_name(self.eq, state)
        if action is not None:
            args += ", " + action
        return "%s(%s)" % (_head_text(self.eq, kind), args)

    def max_head(self, state: str) -> str:
        return "max_a' %s(%s, a')" % (_head_text(self.eq, "q*"), state)

    def number(self, value: Expr, text: str | None = None) -> str:
        out = _coefficient_text(value, text, self.printer)
        return "(%s)" % out if (out.startswith("-") or "/" in out or " " in out) else out

    def signed(self, value: Expr, text: str | None) -> str:
        return _coefficient_text(value, text, self.printer)

    def weighted(self, weight, node, text: str | None = None, grouped: bool = False):
        if weight == 1:
            return node
        coefficient = _coefficient_text(weight, text, self.printer)
        if " " in coefficient:
            coefficient = "(%s)" % coefficient
        if isinstance(node, _Sum):
            node = _Group("(", ")", node)
        return [coefficient + "*", node]

    def discounted(self, node):
        if self.values is not None:
            g = _coefficient_text(self.param(self.eq.discount), None, self.printer)
        else:
            g = self.printer._print(_display_discount(self.eq))
        if isinstance(node, _Sum):
            return [g + "*", _Group("(", ")", node)]
        return [g + "*", node]

    def bracket(self, node):
        return _Group("[", "]", node)

    def maximum(self, items):
        return _Max("max{", items, "}", ", ")


def _display_discount(eq: BellmanEquation) -> Expr:
    return eq.discount if isinstance(eq.discount, Symbol) else gamma


def _as_written(value: Expr, text: str | None) -> str | None:
    """The model's own spelling of a decimal (``0.2``), when it still means ``value``."""
    if text is not None and _DECIMAL_TEXT.match(text):
        try:
            if Rational(text.strip()) == value:
                return text.strip().lstrip("+")
        except (TypeError, ValueError):
            pass
    return None


def _coefficient_latex(value, text: str | None, printer) -> str:
    value = sympy.sympify(value)
    written = _as_written(value, text)
    if written is not None:
        return written
    if value.is_Integer:
        return str(value)
    if value.is_Rational:
        sign = "-" if value < 0 else ""
        return r"%s\tfrac{%d}{%d}" % (sign, abs(value.p), value.q)
    return printer._print(value)


def _coefficient_text(value, text: str | None, printer) -> str:
    value = sympy.sympify(value)
    written = _as_written(value, text)
    return written if written is not None else printer._print(value)


def _value_latex(value: Expr, printer) -> str:
    out = _coefficient_latex(value, None, printer)
    decimal = _decimal(value)
    if decimal and not value.is_Integer:
        out += r" \approx " + decimal
    return out


def _decimal(value: Expr, digits: int = 3) -> str:
    if value.free_symbols or not value.is_number:
        return ""
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _head_latex(eq: BellmanEquation, kind: str) -> str:
    if kind == "v*":
        return "v_*"
    if kind == "q*":
        return "q_*"
    return kind if eq.mrp else kind + r"_\pi"


def _head_text(eq: BellmanEquation, kind: str) -> str:
    if kind == "v*":
        return "v_star"
    if kind == "q*":
        return "q_star"
    return kind if eq.mrp else kind + "_pi"


def _index_name(eq: BellmanEquation, state: str) -> str:
    order = eq.state_order or (state,)
    return f"s{order.index(state) + 1}"


def _state_latex(eq: BellmanEquation, state: str) -> str:
    if eq.notation.states == "index":
        order = eq.state_order or (state,)
        return "s_{%d}" % (order.index(state) + 1)
    return latex_text(state)


def _latex_lhs(eq: BellmanEquation, printer) -> str:
    kind = _FAMILIES[eq.family][0]
    fmt = _LatexFormat(printer, eq)
    return fmt.head(kind, eq.state, eq.action)


def _text_lhs(eq: BellmanEquation, printer) -> str:
    kind = _FAMILIES[eq.family][0]
    return _TextFormat(printer, eq).head(kind, eq.state, eq.action)


def _pack_rows(eq: BellmanEquation, fmt: _Format, lhs: str) -> list[str]:
    return aligned_rows(lhs, _flatten(fmt.rhs()), eq.notation.width)


def aligned_rows(lhs: str, segs: list, width: int) -> list[str]:
    """``lhs &= ...`` and ``&\\quad ...`` continuation rows of at most ``width``."""
    lines = _pack(segs, width, _latex_width)
    rows = []
    for i, line in enumerate(lines):
        text = "".join(t for _, t in line).strip()
        if i == 0:
            rows.append("%s &= %s" % (lhs, text))
        else:
            rows.append(r"&\quad %s" % (("{}" + text) if text[:1] in "+-" else text))
    return rows


def _latex_rows(eq: BellmanEquation, printer) -> list[str]:
    return _pack_rows(eq, _LatexFormat(printer, eq), _latex_lhs(eq, printer))


def _pack_text(eq: BellmanEquation, fmt: _Format, lhs: str) -> list[str]:
    segs = _flatten(fmt.rhs())
    width = eq.notation.text_width - len(lhs) - 3
    lines = _pack(segs, width, len)
    out = []
    for i, line in enumerate(lines):
        text = "".join(t for _, t in line).strip()
        out.append(f"{lhs} = {text}" if i == 0 else " " * (len(lhs) + 3) + text)
    return out


def _text(eq: BellmanEquation, printer) -> str:
    return "\n".join(_pack_text(eq, _TextFormat(printer, eq), _text_lhs(eq, printer)))


def _latex_printer():
    from sympy.printing.latex import LatexPrinter

    return LatexPrinter()
