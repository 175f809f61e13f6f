r"""The projected Bellman equation as text and LaTeX.

The general form first (Sutton & Barto §9.4 and §11.4): the TD fixed point is where
the expected update vanishes,

    Xθ = Π_D T_π(Xθ)  ⇔  Xᵀ D (I − γP_π) X θ = Xᵀ D r_π,  i.e.  A θ = b,

then the model's own A and b, one equation per feature, the solution θ_TD and the
band of γ on which the expected update is stable. Feature weights print as the model
names them (``w1`` → :math:`w_{1}`), kept apart from parameters of the same spelling.
"""

from __future__ import annotations

import sympy
from sympy import Integer, Symbol

from ..equations.families import general_form

__all__ = ["projected_text", "projected_latex", "feature_symbols", "feature_equations"]

#: The general form, in LaTeX (Sutton & Barto's notation, X for the feature matrix), from
#: the family record of θ_TD.
GENERAL_LATEX = (general_form("projected") + r" \iff " + general_form("projected_matrix"))


def feature_symbols(td) -> list[Symbol]:
    """One symbol per feature weight (real, so never equal to a model parameter)."""
    return [Symbol(w, real=True) for w in td.feature_names]


def feature_equations(td) -> list[tuple]:
    """(lhs, rhs) of row i of A θ = b, as SymPy expressions in the feature weights.

    >>> from symbellman import MDP
    >>> from symbellman.projected import td_fixed_point
    >>> m = MDP(["s1", "s2", "end"], {"s1": [("s2", 1, 0)], "s2": [("end", 1, 0)]},
    ...         terminal=["end"])
    >>> feature_equations(td_fixed_point(m, None, {"s1": [1], "s2": [2]}, {"s1": 1}))
    [(w1*(1 - 2*gamma), 0)]
    """
    theta = feature_symbols(td)
    A, b = td.A, td.b
    return [(sum((sympy.factor(A[i, j]) * theta[j] for j in range(A.cols) if A[i, j] != 0),
                 Integer(0)), b[i]) for i in range(A.rows)]


def projected_text(td) -> str:
    """A θ = b written out, one line per feature, then θ_TD when it is unique."""
    lines = ["  " + f"{lhs} = {rhs}" for lhs, rhs in feature_equations(td)]
    return "\n".join(lines)


def _interval_latex(i, x) -> str:
    left = "[" if i.closed_start else "("
    return rf"{x} \in {left}{sympy.latex(i.start)}, {sympy.latex(i.end)})"


def projected_latex(td) -> str:
    r"""The projected Bellman equation of ``td`` as LaTeX ``align*`` blocks (amsmath).

    >>> from symbellman import MDP
    >>> from symbellman.projected import td_fixed_point
    >>> m = MDP(["s1", "s2", "end"], {"s1": [("s2", 1, 0)], "s2": [("end", 1, 0)]},
    ...         terminal=["end"])
    >>> print(projected_latex(td_fixed_point(m, None, {"s1": [1], "s2": [2]}, {"s1": 1})))
    % The projected Bellman equation of linear TD(0)
    \begin{align*}
    X\theta_{\mathrm{TD}} = \Pi_D\, T_\pi(X\theta_{\mathrm{TD}}) \iff ...
    \end{align*}
    ...
    \text{stable for } \gamma \in [0, \frac{1}{2})
    ...
    """
    x = sympy.latex(td.variable)
    names = ", ".join(sympy.latex(s) for s in feature_symbols(td))
    out = ["% The projected Bellman equation of linear TD(0)", r"\begin{align*}",
           GENERAL_LATEX, r"\end{align*}", "% A theta = b, one equation per feature",
           r"\begin{align*}"]
    rows = [f"{sympy.latex(lhs)} &= {sympy.latex(rhs)}" for lhs, rhs in feature_equations(td)]
    out.append(" \\\\\n".join(rows))
    out.append(r"\end{align*}")
    if td.theta is not None:
        theta = ", ".join(sympy.latex(td.theta[w]) for w in td.feature_names)
        out += ["% the TD fixed point", r"\begin{align*}",
                rf"\theta_{{\mathrm{{TD}}}} = ({names}) = ({theta})"
                + (r" + \operatorname{span}\{" + ", ".join(
                    "(" + ", ".join(sympy.latex(d[w]) for w in td.feature_names) + ")"
                    for d in td.directions) + r"\}" if td.directions else ""),
                r"\end{align*}"]
    band = td.stability
    if band.intervals is not None:
        parts = [_interval_latex(i, x) for i in band.intervals]
        text = r" \cup ".join(parts) if parts else rf"\text{{no }} {x} \in [0, 1)"
        out += ["% where the expected update is stable (every eigenvalue of A with "
                "positive real part)", r"\begin{align*}",
                r"\text{stable for } " + text, r"\end{align*}"]
    return "\n".join(out)
