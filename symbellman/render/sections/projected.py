"""The handout's section on the projected Bellman equation of linear TD(0).

Present when the model file gives ``features``: the features and the weighting D as a
table, the general form Xθ = Π_D T_π(Xθ) ⇔ Aθ = b, this model's A θ = b one equation
per feature, the TD fixed point (or the affine set of them), the band of γ on which
the expected update is stable, and, on-policy, the error bound checked exactly. On an
exercise sheet A θ = b, the fixed point, the band and the verdicts are answers (blanks of
a fixed size); the features and an explicit or uniform weighting are the question.
"""

from __future__ import annotations

import sympy

from ...projected.typeset import GENERAL_LATEX, feature_equations, feature_symbols
from ...core.i18n import _
from ..document import (Answer, Code, EquationBlock, Math, Note, Paragraph, Section, Table,
                        runs)
from .common import Facts, said

__all__ = ["projected_section"]

def _kind(kind: str) -> str:
    return {"on-policy": _("the on-policy distribution (where the policy spends its time)"),
            "behavior": _("the behaviour policy's distribution (off-policy TD with importance "
                          "sampling ratios)"),
            "uniform": _("the uniform distribution"),
            "explicit": _("the model's own weights")}[kind]


def _math(expr) -> Math:
    return Math(sympy.latex(expr), str(expr))


def projected_section(f: Facts) -> Section:
    """Section 9: the TD(0) fixed point of the model file's features."""
    td = f.study.result("theta_TD")
    budgets = f.budgets
    x = sympy.latex(td.variable)
    names = feature_symbols(td)
    blocks = [Paragraph(said(_(
        "With linear features x(s) (the rows of X) and a weighting D of the states, the "
        "expected TD(0) update is {update}; its fixed point solves the projected Bellman "
        "equation (Sutton & Barto §9.4, §11.2). Here D is {kind}."),
        update=Math(r"\theta \leftarrow \theta + \alpha(\mathbf{b} - A\theta)",
                    "θ ← θ + α(b − Aθ)"), kind=_kind(td.distribution_kind))),
              EquationBlock([GENERAL_LATEX.replace(r" \iff ", r" &\iff ", 1)])]
    if len(td.states) <= budgets.projected_states:
        header = [runs(_("State"))] + [(Math(sympy.latex(s), s.name),) for s in names] + \
            [(Math("D", "D"),)]
        rows = [[runs(s)] + [(_math(v),) for v in row] + [(_math(td.distribution[s]),)]
                for s, row in zip(td.states, td._rows)]
        # a weighting the model derives (on-policy, a behaviour policy's) is an answer
        derived = td.distribution_kind in ("on-policy", "behavior")
        blocks.append(Table(header, rows, align="l" + "r" * (len(names) + 1),
                            answer_columns=(len(names) + 1,) if derived else ()))
    else:
        blocks.append(Note(said(_("(The features and weights of the {n} states are left "
                                  "out: more than {limit}; {command} prints them.)"),
                                n=str(len(td.states)), limit=str(budgets.projected_states),
                                command=Code("symbellman td --json"))))
    if len(names) <= budgets.projected_features:
        blocks += [Paragraph(said(_("One equation per feature, {rows}:"),
                                  rows=Math(r"(A\theta - \mathbf{b})_i = 0",
                                            "(Aθ − b)_i = 0"))),
                   Answer(EquationBlock([rf"(A\theta - \mathbf{{b}})_{{{sympy.latex(w)}}} &= "
                                         + _difference(lhs, rhs)
                                         for w, (lhs, rhs) in zip(names,
                                                                  feature_equations(td))]),
                          size="closed form")]
    blocks += _fixed_point(td, names)
    blocks += _stability(td, x)
    if td.distribution_kind == "on-policy" and td.values is not None \
            and len(td.states) <= budgets.projected_states:
        check = td.error_bound()
        verdict = {True: _("The bound holds."), False: _("The bound fails."),
                   None: _("The bound cannot be decided with symbols left.")}
        blocks.append(Paragraph(said(_(
            "On-policy, the fixed point is within a factor of the best approximation: "
            "{bound} (Tsitsiklis & Van Roy 1997). Check it exactly, comparing squares:"),
            bound=Math(r"\lVert X\theta_{\mathrm{TD}} - v_\pi \rVert_D \le \tfrac{1}{\sqrt{1 - "
                       r"\gamma^2}} \min_\theta \lVert X\theta - v_\pi \rVert_D",
                       "‖Xθ_TD − v_π‖_D ≤ (1/√(1 − γ²)) min_θ ‖Xθ − v_π‖_D"))))
        blocks.append(Answer(Paragraph(runs(verdict[check.holds])), size="line"))
    return Section(runs(_("9. The projected Bellman equation (linear TD(0))")), blocks,
                   key="projected")


def _difference(lhs, rhs) -> str:
    """The LaTeX of lhs − rhs as written: lhs alone when rhs is 0."""
    if rhs == 0:
        return sympy.latex(lhs)
    right = sympy.latex(rhs)
    return sympy.latex(lhs) + " - " + (rf"\left({right}\right)" if isinstance(rhs, sympy.Add)
                                       or right.startswith("-") else right)


def _fixed_point(td, names) -> list:
    """The fixed point and whether A is singular: answers of a fixed shape (one line, one
    closed form), so a sheet does not tell by its layout whether A is singular."""
    prompt = Paragraph(runs(_("The TD fixed point (or the set of them, when A is "
                              "singular):")))
    if td.theta is None:
        return [prompt, Answer(Paragraph(said(_("{system} has no solution: there is no TD "
                                                 "fixed point."),
                                               system=Math(r"A\theta = \mathbf{b}", "Aθ = b"))),
                               size="line")]
    theta = ", ".join(sympy.latex(td.theta[w]) for w in td.feature_names)
    row = r"\theta_{\mathrm{TD}} &= (%s)" % theta
    if td.directions:
        span = ", ".join("(" + ", ".join(sympy.latex(d[w]) for w in td.feature_names) + ")"
                         for d in td.directions)
        row += r" + \operatorname{span}\{%s\}" % span
        words = (_("A is singular (rank {rank} of {n}), so the fixed points form an affine "
                   "set, and all of them give the same values Xθ.") if td.values_unique else
                 _("A is singular (rank {rank} of {n}), so the fixed points form an affine "
                   "set.")).format(rank=len(names) - len(td.directions), n=len(names))
    else:
        words = _("A is invertible: there is one fixed point.")
    return [prompt, Answer(Paragraph(runs(words)), size="line"),
            Answer(EquationBlock([row]), size="closed form")]


def _stability(td, x: str) -> list:
    band = td.stability
    words = _("The expected update is stable for small α exactly where every eigenvalue of "
              "A has a positive real part (the Routh–Hurwitz conditions on its "
              "characteristic polynomial). Where is it stable?")
    # which directions never move is part of the answer (it tells A is singular)
    left_out = (" " + _("The {n} direction(s) in which the update never moves θ are left "
                        "out.").format(n=band.deflated)) if band.deflated else ""
    out = [Paragraph(runs(words))]
    if band.intervals is None:
        out.append(Answer(EquationBlock([sympy.latex(c) + r" &> 0"
                                         for c in band.conditions]), size="closed form"))
        if left_out:
            out.append(Answer(Paragraph(runs(left_out.strip())), size="line"))
        return out
    if band.intervals:
        def bracket(i):
            return "[" if i.closed_start else "("
        where = Math(r" \cup ".join(r"%s \in %s%s, %s)" % (
            x, bracket(i), sympy.latex(i.start), sympy.latex(i.end)) for i in band.intervals),
            " ∪ ".join(f"γ ∈ {bracket(i)}{i.start}, {i.end})" for i in band.intervals))
        approx = _("; ").join(_("{low} to {high}").format(low=i.start_decimal,
                                                          high=i.end_decimal)
                              for i in band.intervals)
        answer = said(_("For {where} ({approx})."), where=where,
                      approx=Math(r"\approx \text{%s}" % approx, f"≈ {approx}"))
        answer += runs(left_out)
    else:
        answer = runs(_("For no γ in [0, 1): the expected update diverges at every "
                        "discount.") + left_out)
    out.append(Answer(Paragraph(answer), size="line"))
    if not td.discount.free_symbols:
        ok = band.is_stable_at(td.discount)
        out.append(Paragraph(said(_("At the model's discount {gamma}, is it stable?"),
                                  gamma=Math(r"\gamma = %s" % sympy.latex(td.discount),
                                             f"γ = {td.discount}"))))
        verdict = _("It is stable.") if ok else _("It is unstable: the weights diverge.")
        out.append(Answer(Paragraph(runs(verdict)), size="line"))
    return out
