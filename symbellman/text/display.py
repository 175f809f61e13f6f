"""How models, policies and results show in a notebook: an HTML table, or LaTeX, kept short.

Jupyter calls ``_repr_html_`` / ``_repr_latex_`` on the object a cell returns; the
:class:`~symbellman.model.mdp.MDP` and :class:`~symbellman.model.policy.Policy` methods of those
names call the functions here. A big model (Taxi has 3,000 state-action pairs) shows
its first :data:`ROWS` rows and says how many it left out, so a notebook stays usable.
A result (:mod:`symbellman.solve.results`) shows as the function registered here with
:func:`register_notebook_display`: the package registers one that loads the explorer
(:mod:`symbellman.notebook`) when a notebook first shows a result. This module imports
no SymPy at import time, so ``import symbellman`` stays light.
"""

from __future__ import annotations

from html import escape

from ..core.i18n import _

__all__ = ["mdp_html", "mdp_latex", "policy_html", "policy_latex", "short_list", "ROWS",
           "register_notebook_display", "notebook_display"]

#: The most table rows a notebook shows.
ROWS = 40

#: How a notebook draws a result as HTML (one function, or none yet).
_NOTEBOOK: list = []


def register_notebook_display(draw) -> None:
    """Draw results in a notebook with ``draw(result) -> str | None`` (HTML).

    ``import symbellman`` registers a function that loads :mod:`symbellman.notebook` on
    its first call; this module stays below the writers it would otherwise import.

    See Also
    --------
    notebook_display : the function registered, which results call.
    """
    _NOTEBOOK[:] = [draw]


def notebook_display(result) -> str | None:
    """The notebook's HTML for a result, or None when nothing is registered.

    >>> from symbellman import solve_v
    >>> from symbellman.model.examples import student_mrp
    >>> notebook_display(solve_v(student_mrp())).startswith('<iframe sandbox="allow-scripts"')
    True
    """
    return _NOTEBOOK[0](result) if _NOTEBOOK else None


def short_list(items, head: int = 3, tail: int = 2) -> str:
    """A list's repr with the middle left out when it is long.

    >>> short_list([f"s{i}" for i in range(500)])
    "['s0', 's1', 's2', ..., 's498', 's499']"
    >>> short_list(["A", "B"])
    "['A', 'B']"
    """
    items = list(items)
    if len(items) <= head + tail + 1:
        return repr(items)
    return "[" + ", ".join([*map(repr, items[:head]), "...", *map(repr, items[-tail:])]) + "]"


def _number_html(value, text=None) -> str:
    return escape(text if text is not None else str(value))


def _number_latex(value, text=None) -> str:
    if text is not None and not value.free_symbols:
        return text
    import sympy

    return sympy.latex(value)


def _name_latex(name) -> str:
    from ..core.escape import html_safe_maths, latex_name

    return html_safe_maths(latex_name(str(name)))


def _rows(mdp):
    """(names, outcome) for every outcome: the names are its state, action (MDP only) and
    next state."""
    for s, a in mdp.state_action_pairs:
        for o in mdp.outcomes(s, a):
            yield [s, *([] if mdp.is_mrp else [a]), o.next_state], o


def _caption(mdp) -> str:
    if mdp.is_mrp:
        text = _("Markov reward process with {n} states, discount {gamma}").format(
            n=len(mdp.states), gamma=mdp.discount)
    else:
        text = _("MDP with {n} states, {pairs} state-action pairs, discount {gamma}").format(
            n=len(mdp.states), pairs=len(mdp.state_action_pairs), gamma=mdp.discount)
    return _("{name}: {what}").format(name=mdp.name, what=text) if mdp.name else text


def mdp_html(mdp) -> str:
    """The model's transitions as an HTML table (state, action, next state, p, r).

    >>> from symbellman.model.examples import student_mdp
    >>> html = mdp_html(student_mdp())
    >>> html.count("<tr>"), "Student MDP" in html   # a header, then 10 outcomes
    (11, True)
    """
    head = ["state", *([] if mdp.is_mrp else ["action"]), "next state", "p", "r"]
    rows = list(_rows(mdp))
    body = []
    for cells, o in rows[:ROWS]:
        body.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells)
                    + f"<td>{_number_html(o.probability, o.probability_text)}</td>"
                    + f"<td>{_number_html(o.reward, o.reward_text)}</td></tr>")
    more = ("<p>%s</p>" % escape(_("… and {n} more rows").format(n=len(rows) - ROWS))
            if len(rows) > ROWS else "")
    terminal = ("<p>%s</p>" % escape(_("terminal: {states}").format(
        states=", ".join(mdp.terminal))) if mdp.terminal else "")
    return (f"<table><caption>{escape(_caption(mdp))}</caption><thead><tr>"
            + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(body) + "</tbody></table>" + more + terminal)


def mdp_latex(mdp) -> str:
    r"""The model's transitions as a LaTeX array, in ``$$ ... $$``.

    >>> from symbellman.model.examples import student_mrp
    >>> print(mdp_latex(student_mrp()).splitlines()[1])
    s & s' & p & r \\ \hline
    """
    columns = "ll" if mdp.is_mrp else "lll"
    head = ("s & s' & p & r" if mdp.is_mrp else "s & a & s' & p & r") + r" \\ \hline"
    rows = list(_rows(mdp))
    lines = []
    for names, o in rows[:ROWS]:
        lines.append(" & ".join([*map(_name_latex, names),
                                 _number_latex(o.probability, o.probability_text),
                                 _number_latex(o.reward, o.reward_text)]) + r" \\")
    if len(rows) > ROWS:
        lines.append(r"\multicolumn{" + str(len(columns) + 2) + r"}{l}{\dots\ "
                     + str(len(rows) - ROWS) + r" more rows} \\")
    return ("$$\\begin{array}{" + columns + "rr}\n" + head + "\n" + "\n".join(lines)
            + "\n\\end{array}$$")


def _policy_rows(policy):
    for s in policy.mdp.nonterminal:
        yield s, [(a, policy.weight(s, a)) for a in policy.support(s)]


def policy_html(policy) -> str:
    """π(a | s) as an HTML table: each state with its actions and their probabilities.

    >>> from symbellman import Policy
    >>> from symbellman.model.examples import student_mdp
    >>> "<td>pub: 1/2, study: 1/2</td>" in policy_html(Policy.uniform(student_mdp()))
    True
    """
    rows = list(_policy_rows(policy))
    body = ["<tr><td>" + escape(str(s)) + "</td><td>"
            + escape(", ".join(f"{a}: {w}" if w != 1 else str(a) for a, w in acts))
            + "</td></tr>" for s, acts in rows[:ROWS]]
    more = ("<p>%s</p>" % escape(_("… and {n} more states").format(n=len(rows) - ROWS))
            if len(rows) > ROWS else "")
    kind = {"uniform": _("uniform policy"), "deterministic": _("deterministic policy")}.get(
        policy.kind, _("stochastic policy"))
    return (f"<table><caption>{escape(kind)}</caption><thead><tr><th>{escape(_('state'))}"
            "</th><th>π(a | s)</th></tr></thead><tbody>" + "".join(body)
            + "</tbody></table>" + more)


def policy_latex(policy) -> str:
    r"""π(a | s) as a LaTeX array, in ``$$ ... $$``.

    >>> from symbellman import Policy
    >>> from symbellman.model.examples import student_mdp
    >>> print(policy_latex(Policy.uniform(student_mdp())).splitlines()[-2])
    \text{Class3} & \tfrac{1}{2}\,\text{pub},\ \tfrac{1}{2}\,\text{study} \\
    """
    rows = list(_policy_rows(policy))

    def weighted(a, w):
        if w == 1:
            return _name_latex(a)
        if w.is_Rational:
            return r"\tfrac{%d}{%d}\," % (w.p, w.q) + _name_latex(a)
        import sympy

        return sympy.latex(w) + r"\," + _name_latex(a)
    lines = [_name_latex(s) + " & " + r",\ ".join(weighted(a, w) for a, w in acts) + r" \\"
             for s, acts in rows[:ROWS]]
    if len(rows) > ROWS:
        lines.append(r"\multicolumn{2}{l}{\dots\ " + str(len(rows) - ROWS)
                     + r" more states} \\")
    return ("$$\\begin{array}{ll}\ns & \\pi(a \\mid s) \\\\ \\hline\n" + "\n".join(lines)
            + "\n\\end{array}$$")
