r"""LaTeX documents of a model's equations and solutions (``symbellman latex``).

The equations print themselves (:mod:`symbellman.equations`) and closed forms come
from :mod:`symbellman.render.closed_forms`; this module lays out the rest: exact
values, the model as a table, the optimal results, and a document around them, for
every state or for the states asked for. Blocks use ``align*`` so that long
families can break across pages (``\allowdisplaybreaks``); a fragment needs only
``amsmath``.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import sympy
from sympy import Expr

from ..errors import SymbellmanError
from ..expressions import safe_text
from ..equations import (expectation_equations, general_form, half_steps, matrix_form,
                         optimality_equations)
from ..model import MDP
from ..policy import Policy
from ..study import Study
from ..families import FAMILIES, head_latex
from ..escape import latex_name
from ..typeset import Notation, coefficient_latex, decimal, latex_printer, to_latex
from ..canonical import canonical_of_expr
from .closed_forms import MAX_ROWS, SUMMARY, ClosedForm, closed_form_rows
from ..i18n import _
from .document import Answer, BulletList, EquationBlock, Math, Paragraph, Table, runs, said
from .writers.latex import align, block, escape

__all__ = ["PREAMBLE", "WHAT", "DEFAULT_GAMMAS", "PIECES_STATES", "standalone",
           "title_latex", "align", "closed_form_rows", "solution_rows", "value_latex",
           "value_head", "exact_value_rows", "state_value_rows", "model_table",
           "latex_document", "escape", "optimal_results", "optimum_blocks", "breakpoint_latex"]

#: The discounts at which a summarised closed form shows its value.
DEFAULT_GAMMAS = (sympy.Rational(9, 10),)

#: Above this many non-terminal states the optimal policy's pieces over γ are left out.
PIECES_STATES = 30

#: What ``symbellman latex --what`` can ask for, in the order it prints.
WHAT = ("v", "q", "halfsteps", "matrix", "solution", "optimal")

PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage[T1]{fontenc}
\usepackage{amsmath,amssymb}
\usepackage{booktabs,longtable,array,graphicx}
\usepackage{tikz}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5\baselineskip}
"""

def title_latex(title: str) -> str:
    r"""A family's plain title with its value heads and arguments typeset in math (a
    prime in text would print as a closing quote).

    >>> title_latex("Bellman expectation equations for v_pi")
    'Bellman expectation equations for $v_\\pi$'
    >>> title_latex("rewards on (s, a, s')")
    "rewards on $(s, a, s')$"
    """
    text = escape(title)
    for f in FAMILIES.values():
        text = text.replace(escape(f.text), "$%s$" % f.latex)
    for args in ("(s, a, s')", "(s, s')"):
        text = text.replace(args, "$%s$" % args)
    return text


def standalone(body: str, title: str | None = None) -> str:
    """A complete document around ``body`` (amsmath, TikZ, graphicx)."""
    from .fonts import unicode_source

    head = PREAMBLE + "\\begin{document}\n"
    if title:
        head += "\\section*{%s}\n" % escape(title)
    # text beyond Latin (a Chinese state name) needs XeLaTeX and its fonts
    return unicode_source(head + body + "\n\\end{document}\n")


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

    >>> from symbellman.examples import student_mrp
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

    >>> from symbellman.examples import student_mrp
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


def solution_rows(mdp: "MDP | Study", policy: Policy | None = None, *, width: int = 58,
                  states: Sequence[str] | None = None, at: Iterable = DEFAULT_GAMMAS
                  ) -> list[str]:
    """Closed forms (or exact values) of v_π, then q_π, as ``align`` rows.

    Each is written from the solver's integer polynomials. With ``states`` only those
    states print, each in full; otherwise a closed form longer than a few rows is
    summarised by its degrees and its values at the discounts ``at``.
    """
    study = Study.of(mdp, policy)
    mdp = study.mdp
    chosen = list(mdp.nonterminal) if states is None else \
        [s for s in mdp.nonterminal if s in set(states)]
    full = states is not None
    v = study.v

    def rows_of(head: str, function, key) -> list[str]:
        return closed_form_rows(head, ClosedForm.of(function, key), width=width, full=full,
                                at=at)

    rows = []
    for s in chosen:
        rows += rows_of(value_head(mdp, "v_pi", s), v, s)
    if not mdp.is_mrp:
        q = study.q
        for s in chosen:
            for a in mdp.actions(s):
                rows += rows_of(value_head(mdp, "q_pi", s, a), q, (s, a))
    return rows


def model_table(mdp: MDP, policy: Policy | None = None) -> str:
    """The model as a ``longtable``: state, action, π(a|s), next state, p, r."""
    pr = latex_printer()
    mrp = mdp.is_mrp
    cols = "llll" if mrp else "llcllr"
    head = (r"$s$ & $s'$ & $p(s' \mid s)$ & $r(s, s')$" if mrp else
            r"$s$ & $a$ & $\pi(a \mid s)$ & $s'$ & $p(s' \mid s, a)$ & $r(s, a, s')$")
    lines = [r"\begin{longtable}{%s}" % cols, r"\toprule", head + r" \\", r"\midrule",
             r"\endhead"]
    for s in mdp.nonterminal:
        for a in mdp.actions(s):
            for k, o in enumerate(mdp.outcomes(s, a)):
                first = k == 0
                p = "$%s$" % coefficient_latex(o.probability, o.probability_text, pr)
                r = "$%s$" % coefficient_latex(o.reward, o.reward_text, pr)
                if mrp:
                    cells = [escape(s) if first else "", escape(o.next_state), p, r]
                else:
                    w = "" if policy is None or not first else \
                        "$%s$" % coefficient_latex(policy.weight(s, a), None, pr)
                    cells = [escape(s) if first and a == mdp.actions(s)[0] else "",
                             escape(a) if first else "", w, escape(o.next_state), p, r]
                lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{longtable}"]
    return "\n".join(lines) + "\n"


# -- optimal results ---------------------------------------------------------------------------
def optimal_results(study, pieces_budget: int | None = PIECES_STATES) -> tuple:
    """(v* and the optimal actions at the model's numeric discount, the pieces over γ,
    why a part is missing), read from the study; each part None where it does not
    apply (a symbolic discount has no single optimum), failed, or is over the budget
    (the pieces of a model with more non-terminal states than ``pieces_budget``).

    Both the handout's section on optimality and ``symbellman latex`` write from this.

    >>> from symbellman.study import Study
    >>> from symbellman.examples import exercise_3_22
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


# -- the document ---------------------------------------------------------------------------
def _chosen_states(mdp: MDP, states: Iterable[str]) -> tuple[str, ...]:
    """The named states, checked against the model, in the model's order."""
    from ..errors import ModelError
    from ..expressions import closest

    names = [s for s in states]
    for name in names:
        if name not in mdp.states:
            near = closest(name, mdp.states)
            raise ModelError(f"unknown state {name!r}", place="--only",
                             hint=f"did you mean {near!r}?" if near else
                             "name states of the model, separated by commas")
    return tuple(s for s in mdp.states if s in set(names))


def latex_document(mdp: "MDP | Study", policy: Policy | None = None, what: Iterable[str] = WHAT, *,
                   standalone_document: bool = False, notation: Notation | None = None,
                   states: Sequence[str] | None = None, gammas: Iterable = DEFAULT_GAMMAS
                   ) -> str:
    r"""The LaTeX that ``symbellman latex`` prints: one block per item of ``what``.

    ``states`` names the states whose equations and closed forms print (all by default;
    the named ones print their closed forms in full, however long). Otherwise a closed
    form longer than a few rows is summarised by its degrees and its values at the
    discounts ``gammas``.

    >>> from symbellman.examples import student_mdp
    >>> text = latex_document(student_mdp(), what=["v"])
    >>> print(text.splitlines()[0])
    % Bellman expectation equations for v_pi (rewards on (s, a, s'))
    >>> r"v_\pi(\text{Class3}) &= \tfrac{1}{2}\Bigl[1" in text
    True
    """
    what = list(what)
    unknown = [w for w in what if w not in WHAT]
    if unknown:
        from ..errors import ModelError

        raise ModelError(f"unknown item {unknown[0]!r} for --what",
                         hint="choose from " + ", ".join(WHAT))
    notation = notation or Notation()
    study = Study.of(mdp, policy)
    mdp, policy = study.mdp, study.shown_policy
    chosen = None if states is None else _chosen_states(mdp, states)
    only = (lambda system: system) if chosen is None else (  # noqa: E731
        lambda system: system.restricted(chosen))
    convention = "rewards on (s, s')" if mdp.is_mrp else "rewards on (s, a, s')"
    parts: list[tuple[str, str, str]] = []  # (plain title, LaTeX title, body)

    def add(title: str, body: str, tex_title: str | None = None) -> None:
        parts.append((title, tex_title or title_latex(title), body))

    for item in what:
        if item == "v":
            system = only(expectation_equations(mdp, policy, "v", notation=notation))
            general = general_form("mrp" if mdp.is_mrp else "v", notation.style)
            add(f"{system.title} ({convention})",
                "\\[ %s \\]\n" % general + system.latex("align*") + "\n")
        elif item == "q" and not mdp.is_mrp:
            system = only(expectation_equations(mdp, policy, "q", notation=notation))
            add(system.title, "\\[ %s \\]\n" % general_form("q", notation.style)
                + system.latex("align*") + "\n")
        elif item == "halfsteps" and not mdp.is_mrp:
            system = only(half_steps(mdp, policy, notation=notation))
            add(system.title, system.latex("align*") + "\n")
        elif item == "matrix":
            m = matrix_form(mdp, policy, notation=notation)
            body = "\\[ %s \\]\n" % m.general_latex()
            if len(m.states) <= m.max_size:
                body += "\\[ %s \\]\n" % to_latex(m)
            add("Matrix form over " + ", ".join(m.states), body)
        elif item == "solution":
            rows = solution_rows(study, width=notation.width, states=chosen, at=gammas)
            body = align(rows)
            if any(SUMMARY in row for row in rows):
                body = (r"Closed forms longer than %d lines show their degrees and values; "
                        r"name states with \texttt{-{}-only} to print theirs in full."
                        % MAX_ROWS + "\n" + body)
            add("Exact solution at discount " + str(mdp.discount), body,
                "Exact solution at discount $%s$" % to_latex(mdp.discount))
        elif item == "optimal" and not mdp.is_mrp:
            body = "".join(only(optimality_equations(mdp, k, notation=notation)).latex("align*")
                           + "\n" for k in ("v", "q", "v_from_q"))
            solution, pieces, _ = optimal_results(study)
            body += "".join(block(b, False, {}) for b in optimum_blocks(
                mdp, solution, pieces, width=notation.width, states=chosen,
                actions_table=False))
            if len(mdp.nonterminal) > PIECES_STATES and not set(mdp.symbols) - {mdp.discount}:
                body += (r"The optimal policy over the discount is left out above %d states: "
                         r"\texttt{symbellman optimal -{}-over gamma} lists its pieces."
                         % PIECES_STATES + "\n")
            add("Bellman optimality equations", body)
    if standalone_document:
        body = "".join("\\subsection*{%s}\n%s\n" % (tex, b) for _, tex, b in parts)
        return standalone(body, mdp.name)
    # a TeX comment ends at the line's end: a newline in a name shows as an escape
    return "\n".join(f"% {safe_text(t)}\n{b}" for t, _, b in parts)
