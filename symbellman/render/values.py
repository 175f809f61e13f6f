r"""Exact values and the optimum as LaTeX rows and document blocks: the pieces that the
handout's sections (:mod:`symbellman.render.sections`) and ``symbellman latex`` both
write, each with one home.

A value's head comes from its family's record (:func:`symbellman.equations.families.head_latex`);
a closed form from :mod:`symbellman.render.closed_forms`.

See Also
--------
symbellman.render.sections.command : the sections of ``symbellman latex``.
symbellman.render.sections.optimality : the handout's section on optimality.
"""

from __future__ import annotations

from typing import Sequence

import sympy
from sympy import Expr

from ..text.canonical import canonical_of_expr
from ..core.errors import SymbellmanError
from ..equations.families import head_latex
from ..core.i18n import _
from ..model.mdp import MDP
from ..core.escape import latex_name
from ..text.typeset import coefficient_latex, decimal, latex_printer
from .closed_forms import closed_form_rows
from .document import Answer, BulletList, EquationBlock, Math, Paragraph, Table, runs, said

__all__ = ["DEFAULT_GAMMAS", "PIECES_STATES", "value_latex", "value_head", "exact_value_rows",
           "state_value_rows", "optimal_results", "optimum_blocks", "breakpoint_latex"]

#: The discounts at which a summarised closed form shows its value.
DEFAULT_GAMMAS = (sympy.Rational(9, 10),)

#: Above this many non-terminal states the optimal policy's pieces over γ are left out.
PIECES_STATES = 30


# -- values and closed forms ----------------------------------------------------------------
def value_latex(value: Expr, *, decimals: bool = True) -> str:
    r"""An exact value for a table cell: short fractions as ``\tfrac``, ``≈`` a decimal.

    >>> value_latex(sympy.Rational(96, 13))
    '\\tfrac{96}{13} \\approx 7.385'
    """
    value = sympy.sympify(value)
    if value.is_Rational and len(str(value.p)) + len(str(value.q)) > 14:
        return r"\approx " + decimal(value, 4)
    if value.free_symbols:  # a closed form: the one printed form of every surface
        try:
            return canonical_of_expr(value).latex()
        except (sympy.PolynomialError, ValueError, TypeError):
            pass  # not a rational function (a root, a radical): SymPy's own form
    text = coefficient_latex(value, None, latex_printer())
    if decimals and value.is_number and not value.is_Integer:
        text += r" \approx " + decimal(value)
    return text


def value_head(mdp: MDP, key: str, state: str, action: str | None = None) -> str:
    r"""``v_\pi(\text{s})``, ``q_*(\text{s}, \text{a})``: the head of family ``key``
    (``"v_pi"``, ``"q_star"``, ...) of ``mdp`` in LaTeX.

    >>> from symbellman.model.examples import student_mrp
    >>> value_head(student_mrp(), "v_pi", "Pub")
    'v(\\text{Pub})'
    """
    args = latex_name(state) + ("" if action is None else ", " + latex_name(action))
    return "%s(%s)" % (head_latex(key, mdp.is_mrp), args)


def exact_value_rows(lhs: str, value: Expr, *, width: int = 58, digits: int | None = None
                     ) -> list[str]:
    r"""``lhs &= value`` as ``align`` rows; with ``digits``, an exact number with more
    digits than that prints as ``\approx`` a decimal (the exact one belongs in a file).

    >>> exact_value_rows("v", sympy.Rational(22, 7), digits=2)
    ['v &\\approx 3.1429']
    >>> exact_value_rows("v", sympy.Rational(22, 7), digits=12)
    ['v &= \\tfrac{22}{7} \\approx 3.143']
    """
    if digits is not None and value.is_Rational and (
            len(str(abs(value.p))) + (len(str(value.q)) if value.q != 1 else 0) > digits):
        return [r"%s &\approx %s" % (lhs, decimal(value, 4))]
    return closed_form_rows(lhs, value, width=width)


def state_value_rows(mdp: MDP, key: str, values, *, width: int = 58,
                     states: Sequence[str] | None = None, digits: int | None = None
                     ) -> list[str]:
    r"""The rows ``head(s) &= value`` of the non-terminal states of ``mdp`` (only the
    ``states`` given, when given), in the model's order; ``key`` is a family
    (``"v_pi"``, ``"v_star"``) and ``digits`` as in :func:`exact_value_rows`.

    >>> from symbellman.model.examples import student_mrp
    >>> from symbellman import solve_v
    >>> m = student_mrp().replace(discount=0)
    >>> state_value_rows(m, "v_pi", solve_v(m), states=["Pub"])
    ['v(\\text{Pub}) &= 1']
    """
    shown = set(mdp.nonterminal if states is None else states)
    rows: list[str] = []
    for s in mdp.nonterminal:
        if s in shown:
            rows += exact_value_rows(value_head(mdp, key, s), values[s], width=width,
                                     digits=digits)
    return rows


# -- optimal results ---------------------------------------------------------------------------
def optimal_results(study, pieces_budget: int | None = PIECES_STATES) -> tuple:
    """(v* and the optimal actions at the model's numeric discount, the pieces over γ,
    why a part is missing), read from the study; each part None where it does not
    apply (a symbolic discount has no single optimum), failed, or is over the budget
    (the pieces of a model with more non-terminal states than ``pieces_budget``).

    Both the handout's section on optimality and ``symbellman latex`` write from this.

    >>> from symbellman.study import Study
    >>> from symbellman.model.examples import exercise_3_22
    >>> solution, pieces, why = optimal_results(Study(exercise_3_22()))
    >>> solution, len(pieces), why
    (None, 2, None)
    """
    mdp = study.mdp
    if mdp.is_mrp:
        return None, None, "a Markov reward process has no actions to choose"
    if set(mdp.symbols) - {mdp.discount}:  # the optimum does not depend on the policy
        return None, None, "the model has parameters without values (give them with --at)"
    symbolic = bool(mdp.discount.free_symbols)
    try:
        solution = None if symbolic else study.optimum
    except SymbellmanError as exc:  # e.g. γ = 1 where no policy ends
        return None, None, str(exc)
    pieces = why = None
    if pieces_budget is None or len(mdp.nonterminal) <= pieces_budget:
        try:
            pieces = study.pieces()
        except SymbellmanError as exc:
            why = str(exc)
    else:
        why = (f"the optimal policies over γ are left out: more than {pieces_budget} "
               "states")
        if symbolic:
            why += "; give a discount with --at gamma=9/10 for v* and the optimal actions"
    return solution, pieces, why


def optimum_blocks(mdp: MDP, solution, pieces, *, width: int = 58, digits: int | None = None,
                   states: Sequence[str] | None = None, actions_table: bool = True) -> list:
    """What is said about the optimum, as document blocks: v* and every optimal action at
    the model's discount, then the optimal policies over γ with their exact breakpoints
    (each piece after the first says what changes). The handout's section on optimality
    and ``symbellman latex`` both write these blocks (only the ``states`` given, when
    given); the optimal actions are a table, or with ``actions_table=False`` a list (a
    LaTeX fragment needs no ``longtable``)."""
    shown = set(mdp.nonterminal if states is None else states)
    blocks: list = []
    if solution is not None:
        rows = state_value_rows(mdp, "v_star", solution.v_star, width=width, states=states,
                                digits=digits)
        actions = [(s, acts) for s, acts in solution.policy.items() if s in shown]
        blocks += [Paragraph(said(_("At {gamma} the optimal values are"),
                                  gamma=Math(r"\gamma = %s" % sympy.latex(mdp.discount),
                                             f"γ = {mdp.discount}"))),
                   Answer(EquationBlock(rows), "number"),
                   Paragraph(runs(_("and the optimal actions (every one that attains the "
                                    "maximum):")))]
        if actions_table:
            blocks.append(Table([runs(_("State")), runs(_("optimal actions"))],
                                [[runs(s), runs(", ".join(acts))] for s, acts in actions],
                                answer_columns=(1,)))
        else:
            blocks.append(Answer(BulletList([runs(f"{s}: {', '.join(acts)}")
                                             for s, acts in actions]), "line"))
    if pieces is not None:
        items, before = [], None
        either, comma = _(" or "), _(", ")
        for p in pieces:
            span = r"%s \le \gamma < %s" % (breakpoint_latex(p.start, p.start_decimal),
                                            breakpoint_latex(p.end, p.end_decimal))
            # after the first piece, only the states whose actions change: the reader
            # sees what the breakpoint does, not 25 states again
            changed = {s: acts for s, acts in p.policy.items() if s in shown and (
                before is None or tuple(before.get(s, ())) != tuple(acts))}
            told = comma.join(f"{s}: {either.join(acts)}" for s, acts in changed.items())
            items.append(runs(Math(span, f"{p.start_decimal} ≤ γ < {p.end_decimal}"), _(": ")
                              + (told if before is None else
                                 _("as before, except {changes}").format(changes=told)
                                 if told else _("as before"))))
            before = dict(p.policy.items())
        blocks += [Paragraph(runs(_("Over the discount, the optimal policy changes at exact "
                                    "breakpoints:"))), Answer(BulletList(items), "line")]
    return blocks


def breakpoint_latex(value, decimal: str) -> str:
    r"""A breakpoint of the optimal policy over γ: exact when rational, else a named root
    and its decimal.

    >>> breakpoint_latex(sympy.Rational(1, 2), "0.5")
    '\\tfrac{1}{2}'
    """
    if value.is_Rational:
        return coefficient_latex(value, None, latex_printer())
    return r"%s \approx %s" % (r"\gamma_{\text{root}}", decimal)
