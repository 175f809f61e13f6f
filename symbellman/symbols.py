"""The symbols of the Bellman equations, each printing as a textbook prints it.

``gamma`` is the default discount. ``v_pi``, ``q_pi``, ``v_star`` and ``q_star`` are
SymPy function heads applied to :class:`Name` atoms (state and action names), so that
``v_pi(Name("Class1"))`` is an ordinary SymPy expression that prints as
:math:`v_\\pi(\\text{Class1})` in LaTeX and ``v_pi(Class1)`` in text.
"""

from __future__ import annotations

import sympy
from sympy import Function, Symbol

__all__ = ["gamma", "Name", "v_pi", "q_pi", "v_star", "q_star", "VALUE_HEADS", "head_latex",
           "head_text", "vector_heads_latex", "state", "action", "latex_text"]

#: The default discount factor.
gamma = Symbol("gamma")


def latex_text(name: str) -> str:
    r"""A name as upright LaTeX text, with TeX's special characters escaped
    (:func:`symbellman.escape.latex_name`).

    >>> latex_text("Class 1_a")
    '\\text{Class 1\\_a}'
    """
    from .escape import latex_name

    return latex_name(name)


class Name(Symbol):
    """A state or action name inside an expression.

    A ``Name`` never equals a parameter ``Symbol`` of the same spelling, and prints
    upright (``\\text{Class1}``), never as SymPy's subscripted ``Class_{1}``.

    >>> from sympy import latex
    >>> latex(Name("Class1"))
    '\\\\text{Class1}'
    >>> Name("alpha") == Symbol("alpha")
    False
    """

    def _latex(self, printer):
        return latex_text(self.name)


def state(name: str) -> Name:
    """The :class:`Name` atom of a state."""
    return Name(name)


action = state


class _ValueHead(Function):
    """A value function applied to names, printed in textbook notation."""

    _tex = ""

    @classmethod
    def eval(cls, *args):  # noqa: D102 - stays unevaluated
        return None

    def _latex(self, printer, exp=None):
        body = r"%s(%s)" % (self._tex, ", ".join(printer._print(a) for a in self.args))
        return body if exp is None else r"%s^{%s}" % (body, exp)

    def _sympystr(self, printer):
        return "%s(%s)" % (type(self).__name__, ", ".join(printer._print(a) for a in self.args))


def _value_head(name: str, nargs: int, tex: str, doc: str):
    return type(_ValueHead)(name, (_ValueHead,), {"nargs": nargs, "_tex": tex, "__doc__": doc,
                                                   "__module__": __name__})


v_pi = _value_head("v_pi", 1, r"v_\pi", r"The state value :math:`v_\pi(s)` of a policy.")
q_pi = _value_head("q_pi", 2, r"q_\pi", r"The action value :math:`q_\pi(s, a)` of a policy.")
v_star = _value_head("v_star", 1, r"v_*", r"The optimal state value :math:`v_*(s)`.")
q_star = _value_head("q_star", 2, r"q_*", r"The optimal action value :math:`q_*(s, a)`.")

#: The value heads by kind: ``"v"``, ``"q"`` (of a policy), ``"v*"``, ``"q*"`` (optimal).
VALUE_HEADS = {"v": v_pi, "q": q_pi, "v*": v_star, "q*": q_star}


def head_latex(kind: str, mrp: bool = False) -> str:
    r"""The LaTeX of a value head: ``v_\pi``, ``q_\pi``, ``v_*``, ``q_*``.

    A Markov reward process has no policy: its state value is plain ``v``.

    >>> head_latex("v"), head_latex("q*"), head_latex("v", mrp=True)
    ('v_\\pi', 'q_*', 'v')
    """
    return _without_policy(kind, mrp) or VALUE_HEADS[kind]._tex


def head_text(kind: str, mrp: bool = False) -> str:
    """The plain-text name of a value head: ``v_pi``, ``q_pi``, ``v_star``, ``q_star``.

    >>> head_text("v"), head_text("v*"), head_text("v", mrp=True)
    ('v_pi', 'v_star', 'v')
    """
    return _without_policy(kind, mrp) or VALUE_HEADS[kind].__name__


def _without_policy(kind: str, mrp: bool) -> str:
    """``v`` or ``q`` of a Markov reward process (no π to name), else ""."""
    return kind if mrp and kind in ("v", "q") else ""


def vector_heads_latex(mrp: bool = False) -> tuple[str, str, str]:
    r"""The value vector, reward vector and transition matrix of the matrix form.

    >>> vector_heads_latex()
    ('\\mathbf{v}_\\pi', '\\mathbf{r}_\\pi', 'P_\\pi')
    """
    index = head_latex("v", mrp)[1:]
    return r"\mathbf{v}%s" % index, r"\mathbf{r}%s" % index, "P%s" % index


del sympy
