"""Sections 7 and 8 of a handout: optimality (the equations, v* and the optimal actions,
the policies over γ) and the worked elimination (:mod:`symbellman.equations.elimination`)."""

from __future__ import annotations


import sympy
from sympy import Expr

from ...text.canonical import canonical_of_expr
from ...equations.discounted import general_form, optimality_equations
from ...core.errors import SymbellmanError
from ...model.mdp import MDP
from ..derivation import optimality_derivation
from ..document import (Answer, BulletList, Code, EquationBlock, Math, Note, Paragraph,
                        Section, Table, runs)
from ..values import breakpoint_latex, optimal_results, optimum_blocks, value_latex
from ...core.i18n import _
from .common import (Facts, said, aligned, coefficient_latex, gamma_is, latex_printer, left_out,
                     system_rows, value_head, with_code)
from .grids import grid_discount, has_grid, optimal_grid_blocks, piece_grid_blocks

__all__ = ["optimality_section", "worked_section", "grid_optimum"]


def _optimum(f: Facts) -> tuple:
    """(v* and the optimal actions at the model's discount, the pieces over γ, why a part
    is missing), as :func:`~symbellman.render.values.optimal_results` reads them off the
    study."""
    if not f.numeric:
        return None, None, _("the model has parameters without values (give them with "
                             "--at)")
    return optimal_results(f.study, f.budgets.pieces_states)


def grid_optimum(f: Facts):
    """v* and the optimal actions when the handout draws them on a grid only (at the
    model's discount): their exact values go to the JSON of closed forms; else None."""
    if f.mdp.is_mrp or grid_discount(f) != f.mdp.discount:
        return None
    return _optimum(f)[0]


def _optimal_blocks(f: Facts) -> tuple[list, tuple]:
    """The blocks about the optimum, and what they left out in words (the notes)."""
    mdp = f.mdp
    solution, pieces, why = _optimum(f)
    blocks = []
    grids = optimal_grid_blocks(f)  # v* and the arrows on the grid, for a grid model
    if solution is not None and grid_discount(f) == mdp.discount:
        # the grids of v* and of arrows show the same values and actions, as Sutton &
        # Barto's Figure 3.5 does: a table of 25 or 100 rows would only repeat them
        # (the exact ones go to the JSON: grid_optimum)
        blocks += [Paragraph(said(_(
            "At {gamma} the optimal values and every action that attains the maximum, on "
            "the grid (the exact values and actions are in {file}):"),
            gamma=gamma_is(mdp.discount), file=Code(f"{f.stem}-closed-forms.json"))), *grids]
        grids = []
    else:
        blocks += optimum_blocks(mdp, solution, None, width=f.notation.width,
                                 digits=f.budgets.value_digits)
    if pieces is not None and has_grid(mdp):
        blocks += _grid_pieces(f, pieces)
    else:
        blocks += optimum_blocks(mdp, None, pieces)
    if why is not None:
        blocks.append(Note(with_code("(" + why[0].upper() + why[1:] + ".)")))
    return blocks + grids, () if why is None else (why,)


def _grid_pieces(f: Facts, pieces) -> list:
    """The optimal policies over γ of a grid model: the ranges listed briefly, and one
    arrow grid per piece below them (as for v*), not paragraphs of actions."""
    spans = [(r"%s \le \gamma < %s" % (breakpoint_latex(p.start, p.start_decimal),
                                       breakpoint_latex(p.end, p.end_decimal)),
              f"{p.start_decimal} ≤ γ < {p.end_decimal}") for p in pieces]
    ranges = [runs(Math(latex, text), _(": grid {k} below").format(k=i + 1))
              for i, (latex, text) in enumerate(spans)]
    return [Paragraph(runs(_("Over the discount, the optimal policy changes at exact "
                             "breakpoints:"))), Answer(BulletList(ranges), "line"),
            *piece_grid_blocks(f, pieces, spans)]


def optimality_section(f: Facts) -> Section:
    mdp, notation = f.mdp, f.notation
    rows, left = system_rows(f, optimality_equations(mdp, "v", notation=notation))
    blocks = [Paragraph(said(_("From the definition of {v} to the Bellman optimality "
                               "equations, step by step:"), v=Math("v_*"))),
              optimality_derivation(),
              Paragraph(runs(_("In short:"))),
              EquationBlock(aligned([general_form(k, notation.style) for k in
                                     ("v_star", "q_star", "v_star_from_q_star")])),
              Paragraph(runs(_("For this model:"))), EquationBlock(rows)]
    if left:
        blocks.append(left_out(left, "optimality equations"))
    if len(mdp.state_action_pairs) <= f.budgets.q_pairs:
        blocks.append(EquationBlock(optimality_equations(mdp, "q",
                                                         notation=notation).latex_rows()))
    optimum, notes = _optimal_blocks(f)
    return Section(runs(_("Optimality")), blocks + optimum, key="optimality", notes=notes)


def _coefficient(c: Expr, alone: bool = False) -> str:
    """A coefficient in LaTeX; one with symbols in the one printed form of closed forms
    (:mod:`symbellman.text.canonical`), bracketed where it is a sum beside an unknown."""
    c = sympy.sympify(c)
    if not c.free_symbols:
        return coefficient_latex(c, None, latex_printer())
    text = canonical_of_expr(c).latex()
    return "(%s)" % text if not alone and _is_sum(text) else text


def _is_sum(text: str) -> bool:
    """Whether a LaTeX text has a + or − outside braces and brackets (after its first
    character)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "{("
        depth -= ch in "})"
        if depth == 0 and i > 0 and ch in "+-":
            return True
    return False


def _linear_latex(mdp: MDP, equation) -> str:
    """c + Σ a_j v(s_j), the constant first and unknowns in the model's order."""
    parts = []
    const = sympy.cancel(equation.constant)
    coeffs = dict(equation.coefficients)
    if const != 0 or not any(c != 0 for c in coeffs.values()):
        parts.append(_coefficient(const, alone=True))
    for s in mdp.nonterminal:
        c = sympy.cancel(coeffs.get(s, 0))
        if c == 0:
            continue
        head = value_head(mdp, "v_pi", s)
        term = head if c == 1 else "-" + head if c == -1 else _coefficient(c) + r"\, " + head
        if parts and term.startswith("-"):
            parts.append(" - " + term[1:])
        else:
            parts.append((" + " if parts else "") + term)
    return "".join(parts)


def worked_section(f: Facts) -> Section:
    from ...equations.elimination import eliminate

    mdp = f.mdp
    blocks = []
    steps = eliminate(mdp, f.policy)
    last_isolated = steps[-2].state
    for step in steps:
        if step.kind == "collect":
            sentence = runs(_("Collect each equation as a constant plus multiples of the "
                              "unknowns:"))
        elif step.kind == "isolate":
            head = value_head(mdp, "v_pi", step.state)
            last = step.state == last_isolated
            if step.divisor is None:
                message = (_("Solve the equation of {state} for {v}:") if last else
                           _("Solve the equation of {state} for {v}, and put it into the "
                             "others:"))
            else:
                message = (_("Solve the equation of {state} for {v} (it appears on both "
                             "sides: divide by {c}):") if last else
                           _("Solve the equation of {state} for {v} (it appears on both "
                             "sides: divide by {c}), and put it into the others:"))
            sentence = said(message, state=step.state, v=Math(head),
                            c=Math(_coefficient(step.divisor, True))
                            if step.divisor is not None else "")
        else:
            sentence = runs(_("Then substitute back, last unknown first:"))
        if step.kind == "back-substitute":
            rows = ["%s &= %s" % (value_head(mdp, "v_pi", e.state),
                                  value_latex(e.constant) if e.constant.is_number
                                  else canonical_of_expr(e.constant).latex())
                    for e in step.equations]
        else:
            rows = ["%s &= %s" % (value_head(mdp, "v_pi", e.state), _linear_latex(mdp, e))
                    for e in step.equations]
        blocks += [Paragraph(sentence), Answer(EquationBlock(rows),
                                                               "closed form")]
    return Section(runs(_("Worked solution")), blocks, key="worked")
