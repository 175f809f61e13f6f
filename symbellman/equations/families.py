r"""The Bellman families: one frozen :class:`Family` record per kind of value function.

A family (v_π, q_π, v*, q*) is everything the package says about one kind of value
function, in one place: how its head is written in each output (plain text, LaTeX,
Unicode words, a command-line column, a JSON key), the textbook's general equations,
the shape of each per-state equation (what the left side is, how the right side
combines the actions, what a successor contributes) and the function that solves it.
Every writer, the equations and the study read these records; none keeps a table of
its own keyed by family.

Adding a family is adding one record to :data:`FAMILIES` below and the solver its
``solver`` names (see ``docs/architecture.md``, "A new Bellman family").

>>> family("v_star").latex, family("v_star").column, family("q_pi").json
('v_*', 'v*', 'q')
>>> print(general_form("v_from_q"))
v_\pi(s) = \sum_{a} \pi(a \mid s)\, q_\pi(s, a)
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping

from ..core.errors import ModelError
from ..core.i18n import N_
from ..core.symbols import (Name, g_pi, g_star, h_pi, h_star, q_pi, q_pi_k, q_star, q_star_k,
                            theta_td, v_pi, v_pi_k, v_star, v_star_k)
from ..text.typeset import STYLES

__all__ = ["Family", "Shape", "FAMILIES", "family", "shape", "general_form",
           "head_latex", "head_text", "vector_heads_latex", "of_function", "nested"]


def nested(keys, leaf: Callable) -> dict:
    """``leaf(key)`` for each key (a tuple), nested by each part but the last (stage, state):
    ``{state: {action: leaf((state, action))}}``; a stage becomes text, as in JSON.

    >>> nested([("s", "a"), ("s", "b"), (2, "s", "a")], len)
    {'s': {'a': 2, 'b': 2}, '2': {'s': {'a': 3}}}
    """
    out: dict = {}
    for key in keys:
        node = out
        for part in key[:-1]:
            node = node.setdefault(str(part) if isinstance(part, int) else part, {})
        node[key[-1]] = leaf(key)
    return out


@dataclass(frozen=True)
class Shape:
    """The shape of one per-state equation: ``head(s[, a]) = combine over branches``.

    ``head`` is the family key of the left side; ``combine`` how the branches (one per
    action) are joined: ``"sum"`` weighted by π(a | s), ``"max"``, or ``"one"`` (a
    single branch, for action values); ``successor`` what each branch is made of:
    ``"backup"`` (Σ_{s'} p(s' | s, a)[r + γ·x(s')], where x is ``value``'s head),
    ``"own"`` (the value ``value`` of the state's own pair (s, a): a half-step).
    ``value`` is the family whose heads the right side holds; ``over_next`` how an
    action value of s' is read: ``"policy"`` (Σ_{a'} π(a' | s') q(s', a')), ``"max"``
    (max_{a'} q(s', a')) or ``""`` (a state value, no a').
    """

    head: str
    combine: str
    successor: str
    value: str
    over_next: str = ""


@dataclass(frozen=True, repr=False)
class Family:
    """One Bellman family (see the module's docstring).

    Attributes
    ----------
    function : sympy Function
        The SymPy head (:mod:`symbellman.core.symbols`): ``v_pi(Name("s"))``. Its name is the
        family's :attr:`key` and plain text, its LaTeX the family's :attr:`latex`.
    arguments : tuple of str
        What one value is indexed by: ``("state",)``, ``("state", "action")``; a family
        may add others (``("stage", "state")`` for v_k^π, ``("feature",)`` for TD's θ).
    unicode : str
        The head in Unicode words (``v_π``): Markdown text, the page's labels.
    column : str
        The head as a table's column on the command line (``v_pi``, ``v*``).
    json : str
        The key of the family's values in ``--json`` output (the spec's).
    title : str
        What the family is, in words.
    optimal : bool
        Whether the family is the optimum over policies (no policy to evaluate).
    forms : mapping
        Equation form -> :class:`Shape`: the per-state equations whose left side is
        this family's head.
    general : mapping
        (form, style) -> the textbook's general equation in LaTeX (the forms of the
        family, and any others it writes, such as its matrix form).
    solver : str
        ``"module:function"``: the function ``(study) -> result`` that solves the family
        for a :class:`~symbellman.study.Study` (imported when first used, so that this
        record sits below the solvers).
    without_policy : str
        The head of a Markov reward process (no π to name: ``v``), or "" where the
        family needs actions.
    equation : str
        The name of the family's per-state equation, a catalog message with ``{head}``
        for the head (``"Bellman expectation equation ({head})"``), or "" where the
        family has no per-state equation to show; translate it with ``_()``.
    equation_without_policy : str
        The same for a Markov reward process (``"Bellman equation of v"``).
    form_without_policy : str
        The general form a Markov reward process shows in place of the first of
        :attr:`forms` (``"mrp"``), or "".
    """

    function: type
    arguments: tuple
    unicode: str
    column: str
    json: str
    title: str
    optimal: bool
    forms: Mapping = field(default_factory=dict)
    general: Mapping = field(default_factory=dict)
    solver: str = ""
    without_policy: str = ""
    equation: str = ""
    equation_without_policy: str = ""
    form_without_policy: str = ""

    @property
    def key(self) -> str:
        """The family's one spelling (``"v_pi"``): its head's name, the key of every table."""
        return self.function.__name__

    @property
    def text(self) -> str:
        """The head as SymPy's ``str`` prints it (``v_pi``)."""
        return self.function.__name__

    @property
    def latex(self) -> str:
        r"""The head in LaTeX (``v_\pi``)."""
        return self.function._tex

    def head(self, output: str = "latex", mrp: bool = False) -> str:
        """The head in one output: ``"latex"``, ``"text"`` or ``"unicode"``; for a Markov
        reward process the head without π.

        >>> family("v_pi").head("unicode"), family("v_pi").head("latex", mrp=True)
        ('v_π', 'v')
        """
        if mrp and self.without_policy:
            return self.without_policy
        return {"latex": self.latex, "text": self.text, "unicode": self.unicode}[output]

    @property
    def form(self) -> str:
        """The family's own equation form, the first of :attr:`forms` (``"v"`` for v_π),
        or "" for a family without per-state forms.

        >>> family("v_star").form, family("g_pi").form
        ('v_star', '')
        """
        return next(iter(self.forms), "")

    def general_form(self, mrp: bool = False, style: str = "sutton-barto") -> str:
        r"""The textbook's general equation of the family's own form (:attr:`form`; for a
        Markov reward process :attr:`form_without_policy`) in LaTeX.

        >>> print(family("v_pi").general_form(mrp=True))
        v(s) = \sum_{s'} p(s' \mid s)\,\bigl[r(s, s') + \gamma\, v(s')\bigr]
        """
        form = self.form_without_policy if mrp and self.form_without_policy else self.form
        return self.general[(form, style)]

    def equation_message(self, mrp: bool = False) -> str:
        """The catalog message naming the family's per-state equation (for a Markov
        reward process its own, if it has one): translate it with ``_()``, then put the
        head in with ``.format(head=...)``.

        >>> family("v_pi").equation_message(), family("v_pi").equation_message(mrp=True)
        ('Bellman expectation equation ({head})', 'Bellman equation of v')
        """
        if mrp and self.equation_without_policy:
            return self.equation_without_policy
        return self.equation

    def data(self, result) -> dict:
        """A result of this family as ``--json`` writes it: exact text per key, nested by
        state for action values (``{state: {action: text}}``).

        >>> from symbellman import solve_q
        >>> from symbellman.model.examples import student_mdp
        >>> family("q_pi").data(solve_q(student_mdp()))["Class3"]
        {'pub': '62/13', 'study': '10'}
        """
        if len(self.arguments) == 1:
            return {k: result.text(k) for k in result.keys()}
        return nested(result.keys(), result.text)

    def applied(self, *names):
        """The head applied to state (and action) names, as a SymPy expression."""
        return self.function(*[Name(n) for n in names])

    def solve(self, study):
        """The family's result for ``study`` (its solver, imported on first use)."""
        module, _, name = self.solver.partition(":")
        solver: Callable = getattr(importlib.import_module(module), name)
        return solver(study)

    def __repr__(self) -> str:
        return f"Family({self.key!r})"


_SB = "sutton-barto"
_BACKUP_V = r"\sum_{s'} p(s' \mid s, a)\,\bigl[r(s, a, s') + \gamma\, %s(s')\bigr]"
_SILVER_R = r"\mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'}"

_RECORDS = (
    Family(
        v_pi, ("state",), "v_π", "v_pi", "v",
        "the state values of a policy", False,
        forms={"v": Shape("v_pi", "sum", "backup", "v_pi"),
               "v_from_q": Shape("v_pi", "sum", "own", "q_pi")},
        general={
            ("v", _SB): r"v_\pi(s) = \sum_{a} \pi(a \mid s) " + _BACKUP_V % r"v_\pi",
            ("v_from_q", _SB): r"v_\pi(s) = \sum_{a} \pi(a \mid s)\, q_\pi(s, a)",
            ("mrp", _SB):
                r"v(s) = \sum_{s'} p(s' \mid s)\,\bigl[r(s, s') + \gamma\, v(s')\bigr]",
            ("matrix", _SB): r"\mathbf{v}_\pi = \mathbf{r}_\pi + \gamma P_\pi \mathbf{v}_\pi",
            ("v", "silver"):
                r"v_\pi(s) = \sum_{a \in \mathcal{A}} \pi(a \mid s) \Bigl(\mathcal{R}^a_s "
                r"+ \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'} v_\pi(s')\Bigr)",
            ("v_from_q", "silver"):
                r"v_\pi(s) = \sum_{a \in \mathcal{A}} \pi(a \mid s)\, q_\pi(s, a)",
            ("mrp", "silver"):
                r"v(s) = \mathcal{R}_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}_{ss'} v(s')",
            ("matrix", "silver"): r"v = \mathcal{R}^\pi + \gamma \mathcal{P}^\pi v"},
        solver="symbellman.study:solve_v_pi", without_policy="v",
        equation=N_("Bellman expectation equation ({head})"),
        equation_without_policy=N_("Bellman equation of v"), form_without_policy="mrp"),
    Family(
        q_pi, ("state", "action"), "q_π", "q_pi", "q",
        "the action values of a policy", False,
        forms={"q": Shape("q_pi", "one", "backup", "q_pi", "policy"),
               "q_from_v": Shape("q_pi", "one", "backup", "v_pi")},
        general={
            ("q", _SB):
                r"q_\pi(s, a) = \sum_{s'} p(s' \mid s, a)\,\Bigl[r(s, a, s') + \gamma "
                r"\sum_{a'} \pi(a' \mid s')\, q_\pi(s', a')\Bigr]",
            ("q_from_v", _SB): r"q_\pi(s, a) = " + _BACKUP_V % r"v_\pi",
            ("q", "silver"):
                r"q_\pi(s, a) = " + _SILVER_R
                + r" \sum_{a' \in \mathcal{A}} \pi(a' \mid s')\, q_\pi(s', a')",
            ("q_from_v", "silver"): r"q_\pi(s, a) = " + _SILVER_R + r" v_\pi(s')"},
        solver="symbellman.study:solve_q_pi"),
    Family(
        v_star, ("state",), "v*", "v*", "v_star",
        "the optimal state values", True,
        forms={"v_star": Shape("v_star", "max", "backup", "v_star"),
               "v_star_from_q_star": Shape("v_star", "max", "own", "q_star")},
        general={
            ("v_star", _SB): r"v_*(s) = \max_{a} " + _BACKUP_V % "v_*",
            ("v_star_from_q_star", _SB): r"v_*(s) = \max_{a} q_*(s, a)",
            ("v_star", "silver"):
                r"v_*(s) = \max_{a} \Bigl(" + _SILVER_R + r" v_*(s')\Bigr)",
            ("v_star_from_q_star", "silver"): r"v_*(s) = \max_{a} q_*(s, a)"},
        solver="symbellman.study:solve_v_star",
        equation=N_("Bellman optimality equation ({head})")),
    Family(
        q_star, ("state", "action"), "q*", "q*", "q_star",
        "the optimal action values", True,
        forms={"q_star": Shape("q_star", "one", "backup", "q_star", "max")},
        general={
            ("q_star", _SB):
                r"q_*(s, a) = \sum_{s'} p(s' \mid s, a)\,\Bigl[r(s, a, s') + \gamma "
                r"\max_{a'} q_*(s', a')\Bigr]",
            ("q_star", "silver"): r"q_*(s, a) = " + _SILVER_R + r" \max_{a'} q_*(s', a')"},
        solver="symbellman.study:solve_q_star"),
    # -- the finite horizon: k counts the decisions still to make (issue 20) --------------
    Family(
        v_pi_k, ("stage", "state"), "v_k^π", "v_k", "v",
        "the state values of a policy with k decisions to go", False,
        general={("v_pi_k", _SB): r"v^\pi_{k}(s) = \sum_{a} \pi(a \mid s) "
                 + _BACKUP_V % r"v^\pi_{k-1}" + r", \quad k = 1, \dots, H"},
        solver="symbellman.solve.horizon:solve_v_pi_k", without_policy="v_k"),
    Family(
        q_pi_k, ("stage", "state", "action"), "q_k^π", "q_k", "q",
        "the action values of a policy with k decisions to go", False,
        general={("q_pi_k", _SB): r"q^\pi_{k}(s, a) = " + _BACKUP_V % r"v^\pi_{k-1}"},
        solver="symbellman.solve.horizon:solve_q_pi_k"),
    Family(
        v_star_k, ("stage", "state"), "v*_k", "v*_k", "v_star",
        "the optimal state values with k decisions to go", True,
        general={("v_star_k", _SB): r"v^*_{k}(s) = \max_{a} " + _BACKUP_V % r"v^*_{k-1}"
                 + r", \quad k = 1, \dots, H"},
        solver="symbellman.solve.horizon:solve_v_star_k"),
    Family(
        q_star_k, ("stage", "state", "action"), "q*_k", "q*_k", "q_star",
        "the optimal action values with k decisions to go", True,
        general={("q_star_k", _SB):
                 r"q^*_{k}(s, a) = \sum_{s'} p(s' \mid s, a)\,\bigl[r(s, a, s') + \gamma "
                 r"\max_{a'} q^*_{k-1}(s', a')\bigr]"},
        solver="symbellman.solve.horizon:solve_q_star_k"),
    # -- average reward: gain and bias (P* h = 0) --------------------------------------------
    Family(
        g_pi, ("state",), "g", "gain", "gain",
        "the gain (long-run average reward) of a policy", False,
        general={("g_pi", _SB): r"g(s) = \sum_{s'} P_\pi(s' \mid s)\, g(s')"},
        solver="symbellman.solve.average:solve_g_pi"),
    Family(
        h_pi, ("state",), "h", "bias", "bias",
        "the bias of a policy, normalised by P* h = 0", False,
        general={
            ("h_pi", _SB): r"g(s) + h(s) = r_\pi(s) + \sum_{s'} P_\pi(s' \mid s)\, h(s'),"
                           r" \qquad P^*_\pi h = 0",
            ("differential_v", _SB):
                r"v_\pi(s) = \sum_{a} \pi(a \mid s) \sum_{s', r} p(s', r \mid s, a)\,"
                r"\bigl[r - r(\pi) + v_\pi(s')\bigr]",
            ("differential_q", _SB):
                r"q_\pi(s, a) = \sum_{s', r} p(s', r \mid s, a)\,\Bigl[r - r(\pi) + "
                r"\sum_{a'} \pi(a' \mid s')\, q_\pi(s', a')\Bigr]",
            ("differential_v_star", _SB):
                r"v_*(s) = \max_{a} \sum_{s', r} p(s', r \mid s, a)\,\bigl[r - "
                r"\max_\pi r(\pi) + v_*(s')\bigr]",
            ("differential_q_star", _SB):
                r"q_*(s, a) = \sum_{s', r} p(s', r \mid s, a)\,\bigl[r - \max_\pi r(\pi)"
                r" + \max_{a'} q_*(s', a')\bigr]"},
        solver="symbellman.solve.average:solve_h_pi"),
    Family(
        g_star, ("state",), "g*", "g*", "gain",
        "the optimal gain", True,
        general={("g_star", _SB):
                 r"0 = \max_{a} \sum_{s'} p(s' \mid s, a)\, g(s') - g(s)"},
        solver="symbellman.solve.average_optimal:solve_g_star"),
    Family(
        h_star, ("state",), "h*", "h*", "bias",
        "the bias of a bias-optimal (Blackwell-optimal) policy", True,
        general={("h_star", _SB):
                 r"0 = \max_{a \in B_s} \Bigl[r(s, a) - g(s) + \sum_{s'} p(s' \mid s, a)\,"
                 r" h(s')\Bigr] - h(s)"},
        solver="symbellman.solve.average_optimal:solve_h_star"),
    # -- the projected Bellman equation of linear TD(0) ----------------------------------
    Family(
        theta_td, ("feature",), "θ_TD", "theta_TD", "theta",
        "the fixed point of linear TD(0): the projected Bellman equation", False,
        general={
            ("projected", _SB):
                r"X\theta_{\mathrm{TD}} = \Pi_D\, T_\pi(X\theta_{\mathrm{TD}})",
            ("projected_matrix", _SB):
                r"\underbrace{X^\top D\,(I - \gamma P_\pi)\,X}_{A}\,\theta_{\mathrm{TD}} "
                r"= \underbrace{X^\top D\,\mathbf{r}_\pi}_{\mathbf{b}}"},
        solver="symbellman.projected.fixed_point:solve_projected"),
)

#: Every family by its key, in the order a textbook teaches them.
FAMILIES: Mapping[str, Family] = MappingProxyType({f.key: f for f in _RECORDS})

_SHAPES = MappingProxyType({form: s for f in _RECORDS for form, s in f.forms.items()})
_GENERAL = MappingProxyType({k: text for f in _RECORDS for k, text in f.general.items()})


def family(key: str) -> Family:
    """The record of a family, by its key (``"v_pi"``, ``"q_pi"``, ``"v_star"``, ...).

    >>> family("q_star").title
    'the optimal action values'
    >>> family("v*")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: unknown Bellman family 'v*' (the families are v_pi, q_pi, v_star, q_star, v_pi_k, ...)
    """
    try:
        return FAMILIES[key]
    except KeyError:
        raise ModelError(f"unknown Bellman family {key!r}",
                         hint="the families are " + ", ".join(FAMILIES)) from None


def of_function(head: type) -> Family:
    """The family whose SymPy head is ``head`` (``v_pi`` -> the v_π record)."""
    return next(f for f in _RECORDS if f.function is head)


def shape(form: str) -> Shape:
    """The :class:`Shape` of an equation form (``"v"``, ``"q_from_v"``, ``"v_star"``, ...).

    >>> shape("v")
    Shape(head='v_pi', combine='sum', successor='backup', value='v_pi', over_next='')
    """
    try:
        return _SHAPES[form]
    except KeyError:
        raise ModelError(f"unknown equation form {form!r}",
                         hint="the forms are " + ", ".join(_SHAPES)) from None


def general_form(form: str, style: str = "sutton-barto") -> str:
    r"""The textbook's general equation of a form as LaTeX, in a style.

    >>> print(general_form("v_star_from_q_star", "silver"))
    v_*(s) = \max_{a} q_*(s, a)
    """
    try:
        return _GENERAL[(form, style)]
    except KeyError:
        forms = sorted({f for f, _ in _GENERAL})
        raise ModelError(f"no general form for {form!r} in style {style!r}; families: "
                         f"{', '.join(forms)}; styles: {', '.join(STYLES)}") from None


def head_latex(key: str, mrp: bool = False) -> str:
    r"""The LaTeX of a family's head: ``v_\pi``, ``q_*``; ``v`` for a Markov reward process.

    >>> head_latex("v_pi"), head_latex("q_star"), head_latex("v_pi", mrp=True)
    ('v_\\pi', 'q_*', 'v')
    """
    return family(key).head("latex", mrp)


def head_text(key: str, mrp: bool = False) -> str:
    """The plain-text head: ``v_pi``, ``v_star``; ``v`` for a Markov reward process.

    >>> head_text("v_pi"), head_text("v_star"), head_text("v_pi", mrp=True)
    ('v_pi', 'v_star', 'v')
    """
    return family(key).head("text", mrp)


def vector_heads_latex(mrp: bool = False) -> tuple[str, str, str]:
    r"""The value vector, reward vector and transition matrix of the matrix form.

    >>> vector_heads_latex()
    ('\\mathbf{v}_\\pi', '\\mathbf{r}_\\pi', 'P_\\pi')
    """
    index = head_latex("v_pi", mrp)[1:]
    return r"\mathbf{v}%s" % index, r"\mathbf{r}%s" % index, "P%s" % index

