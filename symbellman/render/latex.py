r"""LaTeX documents of a model's equations and solutions (``symbellman latex``).

The parts of the document are sections of the document model, one builder per part
(:mod:`symbellman.render.sections.command`), written by the one LaTeX writer
(:mod:`symbellman.render.writers.latex`); values and the optimum are written as the
handout writes them (:mod:`symbellman.render.values`). :func:`latex_chunks` gives the
text as it is computed, one closed form at a time, for ``symbellman latex`` to write
whole or not at all (:func:`symbellman.io.files.streamed_file`); :func:`latex_document`
joins it. Blocks use ``align*`` so that long families can break across pages
(``\allowdisplaybreaks``); a fragment needs only ``amsmath``.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from ..core.names import safe_text
from ..model.mdp import MDP
from ..model.policy import Policy
from ..study import Study
from ..text.typeset import Notation, coefficient_latex, latex_printer
from .closed_forms import closed_form_rows
from .document import EquationBlock, Section, plain_text
from .sections.command import WHAT, Ask, latex_sections, solution_blocks, title_runs
from .values import (DEFAULT_GAMMAS, PIECES_STATES, breakpoint_latex, exact_value_rows,
                     optimal_results, optimum_blocks, state_value_rows, value_head, value_latex)
from .writers.latex import align, block, escape, inline

__all__ = ["PREAMBLE", "WHAT", "DEFAULT_GAMMAS", "PIECES_STATES", "standalone",
           "title_latex", "align", "closed_form_rows", "solution_rows", "value_latex",
           "value_head", "exact_value_rows", "state_value_rows", "model_table",
           "latex_document", "latex_chunks", "escape", "optimal_results", "optimum_blocks",
           "breakpoint_latex"]

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
    return inline(title_runs(title))


def standalone(body: str, title: str | None = None) -> str:
    """A complete document around ``body`` (amsmath, TikZ, graphicx)."""
    from .fonts import unicode_source

    # text beyond Latin (a Chinese state name) needs XeLaTeX and its fonts
    return unicode_source(_head(title) + body + "\n\\end{document}\n")


def _head(title: str | None) -> str:
    """The preamble and the document's title."""
    return PREAMBLE + "\\begin{document}\n" + ("\\section*{%s}\n" % escape(title)
                                                 if title else "")


def solution_rows(mdp: "MDP | Study", policy: Policy | None = None, *, width: int = 58,
                  states: Sequence[str] | None = None, at: Iterable = DEFAULT_GAMMAS
                  ) -> list[str]:
    """Closed forms (or exact values) of v_π, then q_π, as ``align`` rows: the rows of
    :func:`~symbellman.render.sections.command.solution_blocks`, gathered in a list.

    With ``states`` only those states print, each in full; otherwise a closed form longer
    than a few rows is summarised by its degrees and its values at the discounts ``at``.
    """
    study = Study.of(mdp, policy)
    ask = Ask(study, Notation(width=width), None if states is None else tuple(states),
              tuple(at))
    return [row for b in solution_blocks(ask) for row in b.rows]


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


# -- the document ---------------------------------------------------------------------------
def latex_chunks(mdp: "MDP | Study", policy: Policy | None = None, what: Iterable[str] = WHAT,
                 *, standalone_document: bool = False, notation: Notation | None = None,
                 states: Sequence[str] | None = None, gammas: Iterable = DEFAULT_GAMMAS,
                 more: Iterable[tuple[str, str]] = (), tail: str = "") -> Iterator[str]:
    r"""The LaTeX that ``symbellman latex`` prints, piece by piece, as it is computed.

    The sections come from :func:`~symbellman.render.sections.command.latex_sections`
    and are written by the LaTeX writer's :func:`~symbellman.render.writers.latex.block`;
    the exact solution's blocks (one per state) join one ``align*`` as they come, so no
    more than one closed form is held as text at a time. ``more`` adds sections whose
    bodies are LaTeX already (the grid's, as ``(title, body)``) and ``tail`` LaTeX at
    the end (the equations of another criterion). A part or state that does not exist
    raises :class:`~symbellman.core.errors.ModelError` when this is called, before anything
    is written.

    >>> from symbellman.model.examples import student_mdp
    >>> pieces = latex_chunks(student_mdp(), what=["v"], standalone_document=True)
    >>> next(pieces).startswith(r"\documentclass")
    True

    See Also
    --------
    latex_document : the same pieces joined.
    symbellman.io.files.streamed_file : writes them whole or not at all.
    """
    study = Study.of(mdp, policy)
    items = latex_sections(study, what, notation=notation, states=states, gammas=gammas)
    chunks = _written(study.mdp, items, more, tail, standalone_document)
    if not standalone_document:
        return chunks
    from ..core.i18n import current
    from .fonts import unicode_chunks

    # text beyond Latin (a Chinese state name, words in Chinese) needs XeLaTeX and its
    # fonts: decided from every name the document can show and the language of its
    # words, before its first line is written
    return unicode_chunks(chunks, _names(study.mdp), current())


def _names(mdp: MDP) -> str:
    actions = {a for s in mdp.nonterminal for a in mdp.actions(s)}
    return " ".join([mdp.name or "", *mdp.states, *map(str, actions),
                     *(str(x) for x in mdp.symbols)])


def _written(mdp: MDP, items, more, tail: str, standalone_document: bool) -> Iterator[str]:
    """The items (sections, then the blocks that follow each) as LaTeX text."""
    if standalone_document:
        yield _head(mdp.name)
    items = [items, ((Section(title_runs(t)), body) for t, body in more)]
    first, open_rows = True, False
    for item in (i for group in items for part in group
                 for i in (part if isinstance(part, tuple) else (part,))):
        rows = isinstance(item, EquationBlock)  # a streamed block of closed forms
        if open_rows and not rows:  # the streamed rows end: close their display
            yield "\n\\end{align*}\n"
            open_rows = False
        if isinstance(item, Section):
            if standalone_document:
                yield "" if first else "\n"
                yield "\\subsection*{%s}\n" % inline(item.title)
            else:  # a TeX comment ends at the line's end: a newline shows as an escape
                yield ("" if first else "\n") + "%% %s\n" % safe_text(plain_text(item.title))
            first = False
            for b in item.blocks:
                yield block(b, False, {})
        elif isinstance(item, str):  # LaTeX already (the grid's)
            yield item
        elif rows:
            if item.rows:
                yield (" \\\\\n" if open_rows else "\\begin{align*}\n") + \
                    " \\\\\n".join(item.rows)
                open_rows = True
        else:
            yield block(item, False, {})
    if open_rows:
        yield "\n\\end{align*}\n"
    if standalone_document:
        yield ("\n" if not first else "") + ("\n" + tail + "\n\n" if tail else "\n") \
            + "\\end{document}\n"
    elif tail:
        yield "\n" + tail + "\n"


def latex_document(mdp: "MDP | Study", policy: Policy | None = None, what: Iterable[str] = WHAT,
                   *, standalone_document: bool = False, notation: Notation | None = None,
                   states: Sequence[str] | None = None, gammas: Iterable = DEFAULT_GAMMAS
                   ) -> str:
    r"""The LaTeX that ``symbellman latex`` prints: one section per item of ``what``
    (the pieces of :func:`latex_chunks`, joined).

    ``states`` names the states whose equations and closed forms print (all by default;
    the named ones print their closed forms in full, however long). Otherwise a closed
    form longer than a few rows is summarised by its degrees and its values at the
    discounts ``gammas``.

    >>> from symbellman.model.examples import student_mdp
    >>> text = latex_document(student_mdp(), what=["v"])
    >>> print(text.splitlines()[0])
    % Bellman expectation equations for v_pi (rewards on (s, a, s'))
    >>> r"v_\pi(\text{Class3}) &= \tfrac{1}{2}\Bigl[1" in text
    True
    """
    return "".join(latex_chunks(mdp, policy, what, standalone_document=standalone_document,
                                notation=notation, states=states, gammas=gammas))
