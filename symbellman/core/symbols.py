"""The symbols of the Bellman equations, each printing as a textbook prints it.

``gamma`` is the default discount. ``v_pi``, ``q_pi``, ``v_star`` and ``q_star`` are
SymPy function heads applied to :class:`Name` atoms (state and action names), so that
``v_pi(Name("Class1"))`` is an ordinary SymPy expression that prints as
:math:`v_\\pi(\\text{Class1})` in LaTeX and ``v_pi(Class1)`` in text. Everything else
about a family of value functions is its record in :mod:`symbellman.equations.families`.
"""

from __future__ import annotations

import sympy
from sympy import Function, Symbol

from .escape import latex_name

__all__ = ["gamma", "Name", "v_pi", "q_pi", "v_star", "q_star", "theta_td", "state", "action",
           "v_pi_k", "q_pi_k", "v_star_k", "q_star_k", "g_pi", "h_pi", "g_star", "h_star"]

#: The default discount factor.
gamma = Symbol("gamma")


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
        return latex_name(self.name)


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
theta_td = _value_head("theta_TD", 1, r"\theta_{\mathrm{TD}}",
                       r"The weight :math:`\theta_{\mathrm{TD}}(w)` of feature w at the fixed "
                       r"point of linear TD(0).")
# the finite horizon (the stage k, decisions to go, is the first argument) and average reward
v_pi_k = _value_head("v_pi_k", 2, r"v^\pi", r"The value :math:`v^\pi_k(s)` with k decisions to go.")
q_pi_k = _value_head("q_pi_k", 3, r"q^\pi", r"The action value :math:`q^\pi_k(s, a)`, k to go.")
v_star_k = _value_head("v_star_k", 2, r"v^*", r"The optimal value :math:`v^*_k(s)`, k to go.")
q_star_k = _value_head("q_star_k", 3, r"q^*", r"The optimal action value :math:`q^*_k(s, a)`.")
g_pi = _value_head("g_pi", 1, "g", r"The gain (average reward) :math:`g(s)` of a policy.")
h_pi = _value_head("h_pi", 1, "h", r"The bias :math:`h(s)` of a policy (:math:`P^* h = 0`).")
g_star = _value_head("g_star", 1, "g^*", r"The optimal gain :math:`g^*(s)`.")
h_star = _value_head("h_star", 1, "h^*", r"The bias :math:`h^*(s)` of a bias-optimal policy.")

del sympy
