"""The finite-horizon and average-reward Bellman equations, in textbook form, as text and LaTeX.

Each family is an :class:`EquationBlock`: a title, the general forms (Sutton & Barto's
notation, rewards on (s, a, s')), and the equation of every non-terminal state written
out with the model's numbers as it wrote them (``0.8`` stays 0.8). The finite-horizon
equations are backward induction over k, the decisions still to make
(v_0 is the terminal reward); the average-reward ones are the evaluation equations
g + h = r + P h with P* h = 0, Sutton & Barto's differential Bellman equations (§10.3,
with r(π) the average reward), and the nested multichain optimality equations.

>>> from symbellman.model.long_run_examples import puterman_two_state
>>> block = finite_horizon_equations(puterman_two_state(), optimal=True)[0]
>>> print(block.lines[0].text())
v*_k(s1) = max{0.8 [5 + v*_{k-1}(s1)] + 0.2 [-5 + v*_{k-1}(s2)], 5 + v*_{k-1}(s2)}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy

from .families import general_form
from ..core.i18n import _
from ..model.induced import induced_chain
from ..model.mdp import MDP
from ..model.policy import Policy
from ..core import escape

__all__ = ["EquationLine", "EquationBlock", "finite_horizon_equations", "average_equations"]


@dataclass(frozen=True)
class EquationLine:
    """One equation: its two sides as plain text and as LaTeX."""

    lhs: str
    rhs: str
    lhs_latex: str
    rhs_latex: str

    def text(self) -> str:
        return f"{self.lhs} = {self.rhs}"

    def latex(self) -> str:
        return f"{self.lhs_latex} &= {self.rhs_latex}"


@dataclass(frozen=True)
class EquationBlock:
    """A family of equations: general forms, then one line per state."""

    title: str
    general: tuple[str, ...]
    general_latex: tuple[str, ...]
    lines: tuple[EquationLine, ...]
    note: str = ""

    def text(self) -> str:
        parts = [f"{self.title}:", *(f"  {g}" for g in self.general)]
        if self.note:
            parts.append(f"  ({self.note})")
        parts += [f"  {line.text()}" for line in self.lines]
        return "\n".join(parts)

    def latex(self) -> str:
        rows = [*(g.replace("=", "&=", 1) for g in self.general_latex),
                *(line.latex() for line in self.lines)]
        body = " \\\\\n".join(rows)
        note = f"% {self.note}\n" if self.note else ""
        return f"% {self.title}\n{note}\\begin{{align*}}\n{body}\n\\end{{align*}}"


# -- numbers and heads ------------------------------------------------------------------
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def _number(value, written: str | None = None) -> tuple[str, str]:
    """A number as text and LaTeX: as the model wrote it where it wrote a decimal."""
    value = sympy.sympify(value)
    if written is not None and _DECIMAL.fullmatch(written.strip()):
        return written.strip(), written.strip()
    return str(value), sympy.latex(value).replace(r"\frac", r"\tfrac")


def _join(terms: list[tuple[str, str]]) -> tuple[str, str]:
    if not terms:
        return "0", "0"
    text = " + ".join(t for t, _ in terms).replace("+ -", "- ")
    latex = " + ".join(x for _, x in terms).replace("+ -", "- ")
    return text, latex


def _head(name: str, latex_name: str, k: str | None, state: str,
          action: str | None = None) -> tuple[str, str]:
    args_t = state if action is None else f"{state}, {action}"
    args_l = escape.latex_name(state) if action is None else \
        f"{escape.latex_name(state)}, {escape.latex_name(action)}"
    sub_t = f"_{k}" if k and len(k) == 1 else (f"_{{{k}}}" if k else "")
    sub_l = f"_{{{k}}}" if k else ""
    return f"{name}{sub_t}({args_t})", f"{latex_name}{sub_l}({args_l})"


def _scaled(weight, term: tuple[str, str], bracket: bool = True,
            written: str | None = None) -> tuple[str, str]:
    if weight == 1:
        return term
    w_t, w_l = _number(weight, written)
    if bracket:
        return f"{w_t} [{term[0]}]", rf"{w_l}\bigl[{term[1]}\bigr]"
    return f"{w_t} {term[0]}", rf"{w_l}\, {term[1]}"


def _branch(mdp: MDP, s: str, a, head, gamma: tuple[str, str] | None,
            shift: tuple[str, str] | None = None) -> tuple[str, str]:
    """Σ_{s'} p [r − shift + γ head(s')] for one action, textbook style: a reward that does
    not depend on s' stands once in front of the expectation."""
    outcomes = mdp.outcomes(s, a)
    g_t, g_l = ("", "") if gamma is None else (gamma[0] + " ", gamma[1] + r"\, ")

    def value(o):
        if mdp.is_terminal(o.next_state):
            return None
        return head(o.next_state)

    def reward(r, written):
        r_t, r_l = _number(r, written)
        if shift is not None:
            if r == 0:
                return f"-{shift[0]}", f"-{shift[1]}"
            r_t, r_l = f"{r_t} - {shift[0]}", f"{r_l} - {shift[1]}"
        return r_t, r_l

    if len({o.reward for o in outcomes}) == 1:
        r_t, r_l = reward(outcomes[0].reward, outcomes[0].reward_text)
        moves = [(o, value(o)) for o in outcomes if value(o) is not None]
        if not moves:
            return r_t, r_l
        if len(moves) == 1 and moves[0][0].probability == 1:
            inner = moves[0][1]
        else:
            parts = [(_number(o.probability, o.probability_text), v) for o, v in moves]
            inner = (" + ".join(f"{p[0]} {v[0]}" for p, v in parts),
                     " + ".join(rf"{p[1]}\, {v[1]}" for p, v in parts))
            if gamma is not None:
                inner = (f"({inner[0]})", rf"\bigl({inner[1]}\bigr)")
        inner = (f"{g_t}{inner[0]}", f"{g_l}{inner[1]}")
        if r_t == "0" and shift is None:
            return inner
        return f"{r_t} + {inner[0]}".replace("+ -", "- "), f"{r_l} + {inner[1]}"
    terms = []
    for o in outcomes:
        r_t, r_l = reward(o.reward, o.reward_text)
        v = value(o)
        inside = (r_t, r_l) if v is None else (f"{r_t} + {g_t}{v[0]}", f"{r_l} + {g_l}{v[1]}")
        p_t, p_l = _number(o.probability, o.probability_text)
        terms.append((f"{p_t} [{inside[0]}]", rf"{p_l}\bigl[{inside[1]}\bigr]"))
    return _join(terms)


def _max(branches: list[tuple[str, str]]) -> tuple[str, str]:
    if len(branches) == 1:
        return branches[0]
    return ("max{" + ", ".join(b[0] for b in branches) + "}",
            r"\max\bigl\{" + ", ".join(b[1] for b in branches) + r"\bigr\}")


def _gamma(mdp: MDP) -> tuple[str, str] | None:
    if mdp.discount == 1:
        return None
    return _number(mdp.discount) if not mdp.discount.free_symbols else \
        (str(mdp.discount), r"\gamma" if str(mdp.discount) == "gamma" else sympy.latex(mdp.discount))


# -- finite horizon -------------------------------------------------------------------
#: The plain-text general forms (the LaTeX ones are the family records', families.py).
_FH_TEXT = {
    False: ("v_k(s) = sum_a pi(a|s) sum_s' p(s'|s,a) [r(s,a,s') + gamma v_{k-1}(s')],  "
            "k = 1..H,  v_0(s) = terminal reward",),
    True: ("v*_k(s) = max_a sum_s' p(s'|s,a) [r(s,a,s') + gamma v*_{k-1}(s')],  k = 1..H,  "
           "v*_0(s) = terminal reward",
           "q*_k(s,a) = sum_s' p(s'|s,a) [r(s,a,s') + gamma max_a' q*_{k-1}(s',a')]"),
}
_FH_FORMS = {False: ("v_pi_k",), True: ("v_star_k", "q_star_k")}


def finite_horizon_equations(mdp: MDP, policy: Any = None, *,
                             optimal: bool = False) -> tuple[EquationBlock, ...]:
    """Backward induction for v_k^π (or v_k*), one equation per non-terminal state.

    k counts the decisions still to make; v_0 is the model's terminal reward (0 where
    it gives none). Terminal successors are worth 0 at every stage and drop out.

    >>> from symbellman.model.long_run_examples import puterman_two_state
    >>> block = finite_horizon_equations(puterman_two_state())[0]
    >>> print(block.lines[1].text())
    v_k(s2) = 1/2 [-5 + v_{k-1}(s2)] + 1/2 [0.4 [20 + v_{k-1}(s1)] + 0.6 [-10 + v_{k-1}(s2)]]
    """
    gamma = _gamma(mdp)
    name, latex_name = ("v*", "v^*") if optimal else ("v", r"v^\pi")
    pi = None if optimal or mdp.is_mrp else Policy.for_model(mdp, policy)
    lines = []
    for s in mdp.nonterminal:
        lhs = _head(name, latex_name, "k", s)

        def previous(j):
            return _head(name, latex_name, "k-1", j)
        if optimal:
            rhs = _max([_branch(mdp, s, a, previous, gamma) for a in mdp.actions(s)])
        elif mdp.is_mrp:
            rhs = _branch(mdp, s, None, previous, gamma)
        else:
            rhs = _join([_scaled(w, _branch(mdp, s, a, previous, gamma))
                         for a, w in pi(s).items() if w != 0])
        lines.append(EquationLine(lhs[0], rhs[0], lhs[1], rhs[1]))
    finite = mdp.criteria.finite_horizon
    given = {} if finite is None else finite.terminal_reward
    start = ", ".join(f"{s}: {given.get(s, 0)}" for s in mdp.nonterminal)
    general = _FH_TEXT[optimal]
    general_latex = tuple(general_form(form) for form in _FH_FORMS[optimal])
    title = (_("Backward induction for v*_k (k decisions to go)") if optimal
             else _("Backward induction for v_k under the policy (k decisions to go)"))
    return (EquationBlock(title, general, general_latex, tuple(lines),
                          note=_("v_0 = terminal reward: {start}").format(start=start)),)


# -- average reward ---------------------------------------------------------------------
def average_equations(mdp: MDP, policy: Any = None, *,
                      optimal: bool = False) -> tuple[EquationBlock, ...]:
    """The average-reward equations: evaluation (g + h = r + P h, P* h = 0) and Sutton &
    Barto's differential equations for a policy, or the nested optimality equations.

    >>> from symbellman.model.long_run_examples import exercise_10_7
    >>> blocks = average_equations(exercise_10_7())
    >>> print(blocks[0].lines[2].text())
    g(C) + h(C) = 1 + h(A)
    >>> print(blocks[1].lines[0].text())
    v(A) = -r(pi) + v(B)
    """
    if optimal:
        return (_nested(mdp),)
    pi = Policy.for_model(mdp, policy)
    chain = induced_chain(mdp, pi)  # terminal states: g = h = 0, so they drop out
    index = {s: i for i, s in enumerate(chain.states)}
    lines = []
    for s in mdp.nonterminal:
        row = chain.rows[index[s]]
        r_t, r_l = _number(chain.rewards[index[s]])
        moves = []
        for j, p in row.items():
            t, l = _head("h", "h", None, chain.states[j])
            moves.append(_scaled(p, (t, l), bracket=False))
        terms = ([] if r_t == "0" else [(r_t, r_l)]) + moves
        rhs = _join(terms)
        lhs_g, lhs_h = _head("g", "g", None, s), _head("h", "h", None, s)
        lines.append(EquationLine(f"{lhs_g[0]} + {lhs_h[0]}", rhs[0],
                                  f"{lhs_g[1]} + {lhs_h[1]}", rhs[1]))
    evaluation = EquationBlock(
        _("Average-reward evaluation equations (gain g, bias h)"),
        ("g(s) = sum_s' P(s'|s) g(s')", "g(s) + h(s) = r_pi(s) + sum_s' P(s'|s) h(s'),  "
         "with P* h = 0"),
        (general_form("g_pi"), general_form("h_pi")),
        tuple(lines), note=_("the bias h is normalised by P* h = 0; relative values set "
                             "h(s0) = 0 instead (one closed class only)"))
    shift = ("r(pi)", r"r(\pi)")
    diff_lines = []
    for s in mdp.nonterminal:
        lhs = _head("v", r"v_\pi", None, s)

        def head(j):
            return _head("v", r"v_\pi", None, j)
        if mdp.is_mrp:
            rhs = _branch(mdp, s, None, head, None, shift)
        else:
            rhs = _join([_scaled(w, _branch(mdp, s, a, head, None, shift))
                         for a, w in pi(s).items() if w != 0])
        diff_lines.append(EquationLine(lhs[0], rhs[0], lhs[1], rhs[1]))
    differential = EquationBlock(
        _("Differential Bellman equations (Sutton & Barto, section 10.3)"),
        ("v(s) = sum_a pi(a|s) sum_s',r p(s',r|s,a) [r - r(pi) + v(s')]",
         "q(s,a) = sum_s',r p(s',r|s,a) [r - r(pi) + sum_a' pi(a'|s') q(s',a')]",
         "v*(s) = max_a sum_s',r p(s',r|s,a) [r - max_pi r(pi) + v*(s')]",
         "q*(s,a) = sum_s',r p(s',r|s,a) [r - max_pi r(pi) + max_a' q*(s',a')]"),
        tuple(general_form(form) for form in ("differential_v", "differential_q",
                                                "differential_v_star", "differential_q_star")),
        tuple(diff_lines),
        note=_("r(pi) is the average reward; for a unichain policy v_pi is the bias up to a "
               "constant"))
    return evaluation, differential


def _next_terms(mdp: MDP, s: str, a, name: str) -> list[tuple[str, str]]:
    """p(s' | s, a) · name(s') for each outcome of a in s, as text and LaTeX."""
    return [_scaled(o.probability, _head(name, name, None, o.next_state), bracket=False,
                    written=o.probability_text) for o in mdp.outcomes(s, a)]


def _nested(mdp: MDP) -> EquationBlock:
    lines = []
    for s in mdp.nonterminal:
        steps = []
        for a in mdp.actions(s):
            steps.append(_join(_next_terms(mdp, s, a, "g")))
        rhs = _max(steps)
        lhs = _head("g", "g", None, s)
        lines.append(EquationLine(lhs[0], rhs[0], lhs[1], rhs[1]))
        branches = []
        for a in mdp.actions(s):
            r_t, r_l = _number(mdp.expected_reward(s, a))
            terms = [(r_t, r_l), (f"-{lhs[0]}", f"-{lhs[1]}")] + _next_terms(mdp, s, a, "h")
            branches.append(_join(terms))
        rhs = _max(branches)
        head = _head("h", "h", None, s)
        lines.append(EquationLine(head[0], rhs[0] + "  over the actions attaining the first max",
                                  head[1], rhs[1] + r" \quad (a \in B_s)"))
    return EquationBlock(
        _("Nested (multichain) average-reward optimality equations"),
        ("max_a sum_s' p(s'|s,a) g(s') - g(s) = 0",
         "max_{a in B_s} [r(s,a) - g(s) + sum_s' p(s'|s,a) h(s')] - h(s) = 0,  B_s = the "
         "actions attaining the first max"),
        (general_form("g_star"), general_form("h_star")),
        tuple(lines), note=_("g* and h* solve them; B_s holds the gain-optimal steps"))
