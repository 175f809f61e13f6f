"""The handout's section for a model that asks for another criterion: a finite horizon
(backward induction, the stage × state table, when the optimal action depends on the
time left) or average reward (chain structure, gain and bias, the Laurent identity, the
evaluation, differential and nested optimality equations, g* and h*).

It is added after the discounted sections when the model file has ``horizon`` or
``criterion: average`` (see :func:`symbellman.render.handout.build_handout`).
"""

from __future__ import annotations

import sympy

from ...text.canonical import canonical_of_expr
from ...equations.criteria import average_equations, finite_horizon_equations
from ...core.errors import SymbellmanError
from ..document import (Answer, BulletList, EquationBlock, Math, Note, Paragraph, Section,
                        Table, runs)
from ...core.i18n import _
from .common import Facts, said

__all__ = ["criteria_section"]

def criteria_section(f: Facts, number: int) -> Section | None:
    """The section of the model's other criterion, or None for a discounted model."""
    kind = f.mdp.criteria.kind
    if kind == "finite-horizon":
        return _finite_horizon(f, number)
    if kind == "average":
        return _average(f, number)
    return None


def _value(x) -> tuple:
    x = sympy.sympify(x)
    if x.free_symbols:  # a closed form: the one printed form of every surface
        try:
            shape = canonical_of_expr(x)
            return (Math(shape.latex(), shape.text()),)
        except (sympy.PolynomialError, ValueError, TypeError):
            pass
    return (Math(sympy.latex(x), str(x)),)


def _equations(blocks) -> list:
    out = []
    for block in blocks:
        out.append(Paragraph(runs(block.title + ":")))
        rows = [*(g.replace("=", "&=", 1) for g in block.general_latex),
                *(line.latex() for line in block.lines)]
        out.append(EquationBlock(tuple(rows)))
        if block.note:
            out.append(Paragraph(runs(f"({block.note})")))
    return out


def _finite_horizon(f: Facts, number: int) -> Section:
    mdp = f.mdp
    H = mdp.criteria.horizon
    title = runs(_("{n}. The finite horizon").format(n=number))
    blocks: list = [Paragraph(runs(_(
        "The finite-horizon problem with H = {H} decisions. Stages count the decisions "
        "still to make: k = {H} is the first decision (epoch 1) and k = 1 the last "
        "(epoch {H}); v_0 is the terminal reward, and terminal states are worth 0 at "
        "every stage.").format(H=H)))]
    blocks += _equations(finite_horizon_equations(mdp, f.policy))
    if mdp.is_mrp:
        return Section(title, tuple(blocks), key="criteria")
    blocks += _equations(finite_horizon_equations(mdp, optimal=True))
    try:
        best = f.study.result("v_star_k").source
    except SymbellmanError as exc:
        blocks.append(Note(runs(_("v*_k is left out: {error}").format(error=exc))))
        return Section(title, tuple(blocks), key="criteria")
    if best.symbolic:
        # one list answer per stage: an exercise sheet leaves the same number of blank
        # rows whatever the number of pieces (their breakpoints are the answer)
        blocks.append(Paragraph(runs(_("The optimal actions per stage over γ in [0, 1], "
                                       "with exact breakpoints:"))))
        for k in range(H, 0, -1):
            items = tuple(runs(Math(rf"\gamma \in [{sympy.latex(p.start)}, "
                                    rf"{sympy.latex(p.end)}]", f"γ ∈ [{p.start}, {p.end}]"),
                               ": " + "; ".join(f"{s}: {', '.join(a)}"
                                                for s, a in p.policy.items()))
                          for p in best.pieces(k))
            blocks.append(Paragraph(runs(Math(f"k = {k}", f"k = {k}"), ":")))
            blocks.append(Answer(BulletList(items), size="line"))
        return Section(title, tuple(blocks), key="criteria")
    states = mdp.nonterminal[:f.budgets.horizon_states]
    stages = list(range(min(H, f.budgets.horizon_stages), 0, -1))
    rows = tuple((runs(str(k)), runs(str(H - k + 1)),
                  *(_value(best.v_star(k)[s]) + runs(f" [{', '.join(best.policy(k)[s])}]")
                    for s in states)) for k in stages)
    blocks.append(Paragraph(runs(_("v*_k and every optimal action, stage by stage:"))))
    blocks.append(Table((runs("k"), runs(_("epoch")), *(runs(s) for s in states)), rows,
                        answer_columns=tuple(range(2, 2 + len(states)))))
    if len(states) < len(mdp.nonterminal) or len(stages) < H:
        blocks.append(Note(runs(_("The table shows {k} of {n} states and the last {j} of {H} "
                                  "stages; symbellman optimal --json gives every "
                                  "value.").format(k=len(states), n=len(mdp.nonterminal),
                                                   j=len(stages), H=H))))
    # the states whose optimal action depends on the time left, as one list answer: an
    # exercise sheet leaves the same blank rows however many states there are
    items = []
    for s, spans in best.time_dependent().items():
        parts = [(_("{actions} with k = {k}").format(actions=", ".join(a), k=hi) if hi == lo
                  else _("{actions} with k = {low} to {high}").format(
                      actions=", ".join(a), low=lo, high=hi)) for hi, lo, a in spans]
        items.append(runs(_(
            "In {state} the optimal action depends on the time left: {parts} decisions "
            "left.").format(state=s, parts=_("; ").join(parts))))
    blocks.append(Paragraph(runs(_("Where does the optimal action depend on the time "
                                   "left?"))))
    blocks.append(Answer(BulletList(tuple(items) or (runs(_(
        "Nowhere: every state has the same optimal actions at every stage.")),)),
        size="line"))
    return Section(title, tuple(blocks), key="criteria")


def _average(f: Facts, number: int) -> Section:
    mdp = f.mdp
    result = f.study.result("g_pi").source
    blocks: list = [Paragraph(said(_(
        "The average-reward criterion. The limit {limit} exists for periodic chains too; "
        "the gain is {gain} and the bias h solves {bias} with {zero}."),
        limit=Math(r"P^* = \lim_{N \to \infty} \tfrac{1}{N} \sum_{n=0}^{N-1} P^n",
                   "P* = lim (1/N) Σ P^n"),
        gain=Math("g = P^* r", "g = P* r"), bias=Math("g + h = r + P h", "g + h = r + P h"),
        zero=Math("P^* h = 0", "P* h = 0"))),
        Paragraph(runs(_("The chain structure under the policy (closed classes, transient "
                         "states, periods):"))),
        Answer(Paragraph(runs(_("The chain has {structure}.").format(
            structure=result.structure.describe()))), size="line")]
    blocks += _equations(average_equations(mdp, f.policy))
    rows = tuple((runs(s), _value(result.gain[s]), _value(result.bias[s]),
                  _value(result.c1[s])) for s in mdp.states)
    blocks.append(Table((runs(_("state")), runs(_("gain g")), runs(_("bias h")), runs("c1")),
                        rows,
                        answer_columns=(1, 2, 3)))
    blocks.append(Paragraph(said(_(
        "The Laurent series of the discounted values at {one}, in powers of {power}:"),
        one=Math(r"\gamma = 1", "γ = 1"), power=Math(r"1 - \gamma", "1 - γ"))))
    blocks.append(EquationBlock((r"v_\gamma &= \frac{g}{1 - \gamma} + h + c_1 (1 - \gamma)"
                                 r" + O\bigl((1 - \gamma)^2\bigr)",)))
    if not mdp.is_mrp:
        blocks += _optimal_average(f)
    return Section(runs(_("{n}. Average reward").format(n=number)), tuple(blocks),
                   key="criteria")


def _optimal_average(f: Facts) -> list:
    mdp = f.mdp
    blocks = _equations(average_equations(mdp, optimal=True))
    try:
        best = f.study.result("g_star").source
    except SymbellmanError as exc:
        return blocks + [Note(runs(_("g* and h* are left out: {error}").format(error=exc)))]
    rows = tuple((runs(s), _value(best.gain[s]), _value(best.bias[s]),
                  runs(", ".join(best.policy.get(s, ()))),
                  runs(", ".join(best.gain_optimal.get(s, ()))))
                 for s in mdp.states)
    blocks.append(Paragraph(runs(_("The optimal gain and bias (of a Blackwell-optimal "
                                   "policy, the last piece over γ), with the bias-optimal "
                                   "actions apart from the gain-optimal ones:"))))
    blocks.append(Table((runs(_("state")), runs("g*"), runs("h*"), runs(_("bias-optimal")),
                         runs(_("gain-optimal"))), rows, answer_columns=(1, 2, 3, 4)))
    return blocks
