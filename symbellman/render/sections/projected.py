"""The handout's section on the projected Bellman equation of linear TD(0).

Present when the model file gives ``features``: the features and the weighting D as a
table, the general form Xθ = Π_D T_π(Xθ) ⇔ Aθ = b, this model's A θ = b one equation
per feature, the TD fixed point (or the affine set of them), the band of γ on which
the expected update is stable, and, on-policy, the error bound checked exactly.
"""

from __future__ import annotations

import sympy

from ...projected.typeset import GENERAL_LATEX, feature_equations, feature_symbols
from ..document import Code, EquationBlock, Math, Note, Paragraph, Section, Table, runs
from .common import Facts

__all__ = ["projected_section"]

_KINDS = {"on-policy": "the on-policy distribution (where the policy spends its time)",
          "behavior": "the behaviour policy's distribution (off-policy TD with importance "
                      "sampling ratios)",
          "uniform": "the uniform distribution", "explicit": "the model's own weights"}


def _math(expr) -> Math:
    return Math(sympy.latex(expr), str(expr))


def projected_section(f: Facts) -> Section:
    """Section 9: the TD(0) fixed point of the model file's features."""
    td = f.study.result("theta_TD")
    budgets = f.budgets
    x = sympy.latex(td.variable)
    names = feature_symbols(td)
    blocks = [Paragraph(runs(
        "With linear features x(s) (the rows of X) and a weighting D of the states, "
        "the expected TD(0) update is ", Math(r"\theta \leftarrow \theta + "
                                              r"\alpha(\mathbf{b} - A\theta)", "θ ← θ + α(b − Aθ)"),
        "; its fixed point solves the projected Bellman equation (Sutton & Barto §9.4, §11.2). "
        f"Here D is {_KINDS[td.distribution_kind]}.")),
              EquationBlock([GENERAL_LATEX.replace(r" \iff ", r" &\iff ", 1)])]
    if len(td.states) <= budgets.projected_states:
        header = [runs("State")] + [(Math(sympy.latex(s), s.name),) for s in names] + \
            [(Math("D", "D"),)]
        rows = [[runs(s)] + [(_math(v),) for v in row] + [(_math(td.distribution[s]),)]
                for s, row in zip(td.states, td._rows)]
        blocks.append(Table(header, rows, align="l" + "r" * (len(names) + 1)))
    else:
        blocks.append(Note(runs(f"(The features and weights of the {len(td.states)} states "
                                f"are left out: more than {budgets.projected_states}; ",
                                Code("symbellman td --json"), " prints them.)")))
    if len(names) <= budgets.projected_features:
        blocks += [Paragraph(runs("One equation per feature:")),
                   EquationBlock([f"{sympy.latex(lhs)} &= {sympy.latex(rhs)}"
                                  for lhs, rhs in feature_equations(td)])]
    blocks += _fixed_point(td, names)
    blocks += _stability(td, x)
    if td.distribution_kind == "on-policy" and td.values is not None \
            and len(td.states) <= budgets.projected_states:
        check = td.error_bound()
        verdict = {True: "holds", False: "fails", None: "cannot be decided with symbols left"}
        blocks.append(Paragraph(runs(
            "On-policy, the fixed point is within a factor of the best approximation: ",
            Math(r"\lVert X\theta_{\mathrm{TD}} - v_\pi \rVert_D \le \tfrac{1}{\sqrt{1 - "
                 r"\gamma^2}} \min_\theta \lVert X\theta - v_\pi \rVert_D",
                 "‖Xθ_TD − v_π‖_D ≤ (1/√(1 − γ²)) min_θ ‖Xθ − v_π‖_D"),
            f" (Tsitsiklis & Van Roy 1997). Checked exactly, comparing squares: it "
            f"{verdict[check.holds]}.")))
    return Section(runs("9. The projected Bellman equation (linear TD(0))"), blocks,
                   key="projected")


def _fixed_point(td, names) -> list:
    if td.theta is None:
        return [Paragraph(runs(Math(r"A\theta = \mathbf{b}", "Aθ = b"),
                               " has no solution: there is no TD fixed point."))]
    theta = ", ".join(sympy.latex(td.theta[w]) for w in td.feature_names)
    row = r"\theta_{\mathrm{TD}} &= (%s)" % theta
    out = []
    if td.directions:
        span = ", ".join("(" + ", ".join(sympy.latex(d[w]) for w in td.feature_names) + ")"
                         for d in td.directions)
        row += r" + \operatorname{span}\{%s\}" % span
        out.append(Paragraph(runs(
            f"A is singular (rank {len(names) - len(td.directions)} of {len(names)}), so the "
            "fixed points form an affine set" + (
                ", and all of them give the same values Xθ:" if td.values_unique else ":"))))
    out.append(EquationBlock([row]))
    return out


def _stability(td, x: str) -> list:
    band = td.stability
    words = ("The expected update is stable for small α exactly where every eigenvalue of A "
             "has a positive real part (the Routh–Hurwitz conditions on its characteristic "
             "polynomial")
    if band.deflated:
        words += (f"; the {band.deflated} direction{'s' if band.deflated != 1 else ''} in "
                  "which the update never moves θ left out")
    words += ")"
    if band.intervals is None:
        return [Paragraph(runs(words + ", that is where these are positive:")),
                EquationBlock([sympy.latex(c) + r" &> 0" for c in band.conditions])]
    if band.intervals:
        def bracket(i):
            return "[" if i.closed_start else "("
        where = Math(r" \cup ".join(r"%s \in %s%s, %s)" % (
            x, bracket(i), sympy.latex(i.start), sympy.latex(i.end)) for i in band.intervals),
            " ∪ ".join(f"γ ∈ {bracket(i)}{i.start}, {i.end})" for i in band.intervals))
        approx = "; ".join(f"{i.start_decimal} to {i.end_decimal}" for i in band.intervals)
        out = [Paragraph(runs(words + ": for ", where, " (", Math(r"\approx \text{%s}" % approx,
                                                                  f"≈ {approx}"), ")."))]
    else:
        out = [Paragraph(runs(words + ": for no γ in [0, 1); the expected update diverges "
                                      "at every discount."))]
    if not td.discount.free_symbols:
        ok = band.is_stable_at(td.discount)
        out.append(Paragraph(runs("At the model's discount ", Math(
            r"\gamma = %s" % sympy.latex(td.discount), f"γ = {td.discount}"),
            " it is " + ("stable." if ok else "unstable: the weights diverge."))))
    return out
