r"""The matrix form of the Bellman expectation equations: v = r_π + γ P_π v.

:func:`matrix_form` gives a :class:`MatrixForm` with the exact transition matrix P_π and
reward vector r_π of the chain a policy induces, over the non-terminal states; it prints
as bracketed matrices in LaTeX for small models and as the general form for larger ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy
from sympy import Eq, Expr, Matrix
from sympy.printing.defaults import Printable

from ..model.induced import induced_chain
from ..model.mdp import MDP
from ..model.policy import Policy
from .families import head_latex, vector_heads_latex
from ..core.symbols import Name, v_pi
from .layout import state_latex
from ..text.typeset import Notation, coefficient_latex

__all__ = ["MatrixForm", "matrix_form"]


@dataclass(frozen=True, repr=False)
class MatrixForm(Printable):
    r"""v = r_π + γ P_π v over the non-terminal states, with exact ``P`` and ``r``.

    >>> from symbellman.model.examples import student_mdp
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
    notation: Notation = field(default_factory=Notation)
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

    def general_latex(self) -> str:
        v, r, P = vector_heads_latex(self.mrp)
        return (r"%s = %s + \gamma %s %s, \qquad %s = (I - \gamma %s)^{-1} %s"
                % (v, r, P, v, v, P, r))

    def _bmatrix(self, printer, M: Matrix) -> str:
        rows = [" & ".join(coefficient_latex(x, None, printer) for x in M.row(i))
                for i in range(M.rows)]
        return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"

    def _value_vector(self, printer) -> str:
        head = head_latex("v_pi", self.mrp)
        return (r"\begin{bmatrix} " + r" \\ ".join(
            "%s(%s)" % (head, state_latex(self, s)) for s in self.states) + r" \end{bmatrix}")

    def _latex(self, printer) -> str:
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
    notation = replace(notation or Notation(), **options)
    chain = induced_chain(mdp, Policy.for_model(mdp, policy))
    return MatrixForm(chain.states, chain.P, chain.r, mdp.discount, mdp.is_mrp, mdp.states,
                      notation)
