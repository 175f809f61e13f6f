r"""What every section of a handout shares: the budgets, the facts the builder knows, and
small helpers that turn values, symbols and options into document runs.

The layout helpers of :mod:`symbellman.text.typeset` reach the sections through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sympy
from sympy import Expr

from ...text.typeset import Notation
from ...text.typeset import coefficient_latex, decimal, latex_printer  # noqa: F401 (re-exported)
from ...model.mdp import MDP
from ...model.policy import Policy
from ...study import Study
from ...core.i18n import _
from ..document import Code, Math, Note, runs, said
from ..values import exact_value_rows, value_head

__all__ = ["Budgets", "Facts", "value_head", "number", "gamma_is", "symbol_math",
           "symbols_math", "with_code", "value_rows", "aligned",
           "shown_states", "system_rows", "left_out", "coefficient_latex", "decimal",
           "latex_printer", "said"]


@dataclass(frozen=True)
class Budgets:
    """How much of a model each section shows; past a budget a section says what it
    left out. One place for every size limit of the handout.

    >>> Budgets().closed_form_states
    6
    """

    #: the model table: at most this many rows, else one row per kind of transition
    model_rows: int = 40
    #: the state diagram: at most this many states
    diagram_states: int = 30
    #: per-state equations: all of them up to this many non-terminal states ...
    equation_states: int = 30
    #: ... else only those of the first so many states
    equations_shown: int = 4
    #: q_π solutions and q equations: at most this many state-action pairs
    q_pairs: int = 24
    #: closed forms in γ: at most this many non-terminal states (unless named) ...
    closed_form_states: int = 6
    #: ... and only those at most this long as text (unless named)
    closed_form_chars: int = 600
    #: exact values with more digits print as decimals (the exact ones go to the JSON)
    value_digits: int = 12
    #: the exact solution listed state by state in section 4: at most this many
    #: non-terminal states (else the table of section 5, which has the model's discount
    #: among its columns, gives the values once)
    value_states: int = 30
    #: equations with the numbers put in: at most this many non-terminal states
    substituted_states: int = 8
    #: ... and only where every value has at most this many characters
    substituted_value_chars: int = 12
    #: the plot: at most this many states ...
    plot_states: int = 8
    #: ... of a model with at most this many non-terminal states
    plot_model_states: int = 30
    #: the worked elimination: at most this many non-terminal states
    worked_states: int = 4
    #: optimal policies over γ: at most this many non-terminal states
    pieces_states: int = 30
    #: v_k of iterative policy evaluation as small grids (Figure 4.1): at most this many cells
    iteration_cells: int = 36
    #: grids of values when the model leaves γ a symbol (drawn at γ = 9/10): at most this
    #: many cells (a 10 × 10 grid costs about 3 s of CPU; ``--at gamma=...`` draws any size)
    symbolic_grid_cells: int = 100
    #: the projected Bellman equation: the table of features and D up to this many
    #: non-terminal states (and the on-policy error bound, which needs v_π) ...
    projected_states: int = 30
    #: ... and its equations A θ = b, one per feature, up to this many features
    projected_features: int = 12
    #: the finite horizon's stage × state table: at most this many states (columns) ...
    horizon_states: int = 8
    #: ... and this many stages (rows), the last decisions kept
    horizon_stages: int = 12


@dataclass(frozen=True)
class Facts:
    """What every section builder reads: the study (the model, its policy and each
    result, computed once), how to write and how much to show. Nothing flows back
    through it: a builder returns its files and notes with its section."""

    study: Study
    notation: Notation
    budgets: Budgets
    folder: Path
    formats: tuple
    closed_forms: tuple = ()
    stem: str = "handout"

    @property
    def mdp(self) -> MDP:
        return self.study.mdp

    @property
    def policy(self) -> Policy | None:
        """The policy as the handout shows it (None for a Markov reward process)."""
        return self.study.shown_policy

    @property
    def n(self) -> int:
        return len(self.mdp.nonterminal)

    @property
    def numeric(self) -> bool:
        """No parameter besides the discount."""
        return self.study.numeric


def number(value: Expr, text: str | None = None) -> Math:
    """A number as the model wrote it (0.2 stays 0.2), in LaTeX and as text."""
    plain = text.strip() if text else str(value)
    return Math(coefficient_latex(value, text, latex_printer()), plain)


def gamma_is(value) -> Math:
    return Math(r"\gamma = %s" % sympy.latex(value), f"γ = {value}")


def symbol_math(symbol) -> Math:
    r"""A parameter as print shows it: ``alpha`` as α, ``r_search`` as r_{\text{search}}.

    >>> symbol_math(sympy.Symbol("r_search")).latex, symbol_math(sympy.Symbol("gamma")).text
    ('r_{\\text{search}}', 'γ')
    """
    name = symbol.name
    base, _, sub = name.partition("_")
    greek = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
             "lambda": "λ", "theta": "θ", "sigma": "σ", "pi": "π"}
    tex = ("\\" + base if base in greek else base) + (r"_{\text{%s}}" % sub.replace("_", r"\_")
                                                     if sub else "")
    return Math(tex, greek.get(base, base) + ("_" + sub if sub else ""))


def symbols_math(symbols) -> tuple:
    """Parameters as a comma-separated list of maths."""
    out = []
    for i, sym in enumerate(sorted(symbols, key=lambda s: s.name)):
        out += ([", "] if i else []) + [symbol_math(sym)]
    return runs(*out)


def with_code(text: str) -> tuple:
    """Plain text with its command-line options (``--at gamma=9/10``) as code.

    >>> with_code("give --at x=1 here")
    (Text(text='give '), Code(text='--at x=1'), Text(text=' here'))
    """
    import re

    parts = re.split(r"(--[a-z-]+(?: [\w.]+=[^\s,;)]+)?)", text)
    return runs(*[Code(p) if p.startswith("--") else p for p in parts])


def value_rows(f: "Facts", lhs: str, value: Expr) -> list:
    """``lhs &= value``: a long exact number as a decimal (the exact one is in the JSON)."""
    return exact_value_rows(lhs, value, width=f.notation.width, digits=f.budgets.value_digits)


def aligned(rows: list) -> list:
    return [r.replace(" = ", " &= ", 1) for r in rows]


def shown_states(f: Facts, per_action: bool = False) -> tuple:
    """The states whose equations are written out: all of them within the budget (for
    equations per state-action pair, the pairs' budget), else the first few."""
    states = tuple(f.mdp.nonterminal)
    within = (len(f.mdp.state_action_pairs) <= f.budgets.q_pairs if per_action else
              len(states) <= f.budgets.equation_states)
    return states if within else states[:f.budgets.equations_shown]


def system_rows(f: Facts, system, per_action: bool = False) -> tuple[list, int]:
    """The rows of the equations of the shown states, and how many equations are left out."""
    shown = set(shown_states(f, per_action))
    if len(shown) == len(f.mdp.nonterminal):
        return system.latex_rows(), 0
    rows, left = [], 0
    for e in system:
        if e.state in shown:
            rows += e.latex_rows()
        else:
            left += 1
    return rows, left


def left_out(left: int, what: str) -> Note:
    """``what`` is ``equations``, ``half-steps`` or words already translated."""
    what = {"equations": _("equations"), "half-steps": _("half-steps"),
            "optimality equations": _("optimality equations")}.get(what, what)
    return Note(said(_("(The other {n} {what} read the same way; {command} prints them "
                       "all.)"), n=str(left), what=what,
                     command=Code("symbellman equations")))
