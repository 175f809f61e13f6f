r"""The sections of ``symbellman latex``: one builder per part of ``--what``, each
returning sections of the document model (:mod:`symbellman.render.document`) that the
one LaTeX writer (:mod:`symbellman.render.writers.latex`) writes, as the handout's are.

A builder is a generator: it yields a :class:`~symbellman.render.document.Section` (its
heading and the blocks known at once), then any further blocks of that section as they
are computed. The exact solution yields one :class:`EquationBlock` per state, each read
from the engine's integer polynomials just before it is written, so a document of 900
closed forms is never held whole in memory (:func:`symbellman.render.latex.latex_chunks`
writes them as they come).

>>> from symbellman.model.examples import student_mdp
>>> from symbellman.study import Study
>>> items = list(latex_sections(Study(student_mdp()), ["v"]))
>>> [type(i).__name__ for i in items]
['Section']
>>> plain_text(items[0].title)
"Bellman expectation equations for v_pi (rewards on (s, a, s'))"

See Also
--------
symbellman.render.sections.definitions : the handout's equations of this model.
symbellman.render.values : the value rows and optimum blocks both documents write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from ...equations.discounted import (expectation_equations, general_form, half_steps, matrix_form,
                                     optimality_equations)
from ...core.errors import ModelError
from ...equations.families import FAMILIES
from ...core.i18n import _
from ...study import Study
from ...text.typeset import Notation, to_latex
from ..closed_forms import MAX_ROWS, SUMMARY, ClosedForm, closed_form_rows
from ..document import Code, EquationBlock, Math, Note, Paragraph, Section, plain_text, runs, said
from ..values import DEFAULT_GAMMAS, PIECES_STATES, optimal_results, optimum_blocks, value_head
from .common import aligned, with_code

__all__ = ["PARTS", "WHAT", "Ask", "latex_sections", "title_runs", "solution_blocks",
           "chosen_states"]


@dataclass(frozen=True)
class Ask:
    """What ``symbellman latex`` was asked for: the study, how to write, the states
    named with ``--only`` (None: all) and the discounts of a summarised closed form."""

    study: Study
    notation: Notation
    states: tuple | None = None
    gammas: tuple = DEFAULT_GAMMAS

    @property
    def mdp(self):
        return self.study.mdp

    @property
    def policy(self):
        return self.study.shown_policy

    def only(self, system):
        """The equations of the named states (all of them when none were named)."""
        return system if self.states is None else system.restricted(self.states)


_ARGUMENTS = ("(s, a, s')", "(s, s')")
_HEADS = re.compile("(%s)" % "|".join(re.escape(t) for t in sorted(
    [f.text for f in FAMILIES.values()] + list(_ARGUMENTS), key=len, reverse=True)))


def title_runs(title: str) -> tuple:
    r"""A plain title as runs, its family heads and arguments as maths (from the family
    records): a prime in text would print as a closing quote.

    >>> title_runs("equations for v_pi")
    (Text(text='equations for '), Math(latex='v_\\pi', text='v_pi'))
    >>> plain_text(title_runs("rewards on (s, a, s')"))
    "rewards on (s, a, s')"
    """
    latex = {f.text: f.latex for f in FAMILIES.values()}
    return runs(*[Math(latex.get(p, p), p) if i % 2 else p
                  for i, p in enumerate(_HEADS.split(title))])


def _expectation(ask: Ask, kind: str) -> Iterator:
    mdp = ask.mdp
    system = ask.only(expectation_equations(mdp, ask.policy, kind, notation=ask.notation))
    title = system.title
    if kind == "v":
        title += " (rewards on (s, s'))" if mdp.is_mrp else " (rewards on (s, a, s'))"
    general = general_form("mrp" if mdp.is_mrp else kind, ask.notation.style)
    yield Section(title_runs(title), (EquationBlock(aligned([general])),
                                      EquationBlock(system.latex_rows())), key=kind)


def _v_part(ask: Ask) -> Iterator:
    return _expectation(ask, "v")


def _q_part(ask: Ask) -> Iterator:
    return iter(()) if ask.mdp.is_mrp else _expectation(ask, "q")


def _halfsteps_part(ask: Ask) -> Iterator:
    if ask.mdp.is_mrp:
        return
    system = ask.only(half_steps(ask.mdp, ask.policy, notation=ask.notation))
    yield Section(title_runs(system.title), (EquationBlock(system.latex_rows()),),
                  key="halfsteps")


def _matrix_part(ask: Ask) -> Iterator:
    m = matrix_form(ask.mdp, ask.policy, notation=ask.notation)
    blocks = [EquationBlock(aligned([m.general_latex()]))]
    if len(m.states) <= m.max_size:
        blocks.append(EquationBlock(aligned([to_latex(m)])))
    yield Section(title_runs("Matrix form over " + ", ".join(m.states)), blocks, key="matrix")


def solution_blocks(ask: Ask) -> Iterator[EquationBlock]:
    """The closed forms (or exact values) of v_π, then q_π, one block per state and per
    state-action pair, each written from the solver's integer polynomials when it is
    asked for. With named states only those print, each in full; otherwise a closed form
    longer than a few rows is summarised by its degrees and its values at ``ask.gammas``.
    """
    study, mdp = ask.study, ask.mdp
    chosen = list(mdp.nonterminal) if ask.states is None else \
        [s for s in mdp.nonterminal if s in set(ask.states)]
    full = ask.states is not None
    width = ask.notation.width

    def rows_of(head: str, function, key) -> EquationBlock:
        return EquationBlock(closed_form_rows(head, ClosedForm.of(function, key), width=width,
                                              full=full, at=ask.gammas))

    v = study.v
    for s in chosen:
        yield rows_of(value_head(mdp, "v_pi", s), v, s)
    if not mdp.is_mrp:
        q = study.q
        for s in chosen:
            for a in mdp.actions(s):
                yield rows_of(value_head(mdp, "q_pi", s, a), q, (s, a))


def _solution_part(ask: Ask) -> Iterator:
    discount = ask.mdp.discount
    yield Section(runs("Exact solution at discount ", Math(to_latex(discount), str(discount))),
                  key="solution")
    summarised = False
    for b in solution_blocks(ask):
        summarised = summarised or any(SUMMARY in row for row in b.rows)
        yield b
    if summarised:  # known once the rows are written: said below them
        yield Paragraph(said(_("Closed forms longer than {n} lines show their degrees and "
                               "values; name states with {option} to print theirs in full."),
                             n=str(MAX_ROWS), option=Code("--only")))


def _optimal_part(ask: Ask) -> Iterator:
    mdp = ask.mdp
    if mdp.is_mrp:
        return
    blocks: list = [EquationBlock(ask.only(optimality_equations(
        mdp, k, notation=ask.notation)).latex_rows()) for k in ("v", "q", "v_from_q")]
    solution, pieces, why = optimal_results(ask.study, PIECES_STATES)
    blocks += optimum_blocks(mdp, solution, pieces, width=ask.notation.width,
                             states=ask.states, actions_table=False)
    if why is not None:  # what is left out, in the handout's words
        blocks.append(Note(with_code("(" + why[0].upper() + why[1:] + ".)")))
    yield Section(title_runs("Bellman optimality equations"), blocks, key="optimal")


#: The parts ``symbellman latex --what`` can ask for, in the order they print, and the
#: builder of each one's section.
PARTS = {"v": _v_part, "q": _q_part, "halfsteps": _halfsteps_part, "matrix": _matrix_part,
         "solution": _solution_part, "optimal": _optimal_part}

#: The names of :data:`PARTS`.
WHAT = tuple(PARTS)


def chosen_states(mdp, states: Iterable[str]) -> tuple[str, ...]:
    """The named states, checked against the model, in the model's order."""
    from ...core.names import did_you_mean

    names = list(states)
    for name in names:
        if name not in mdp.states:
            raise ModelError(f"unknown state {name!r}", place="--only",
                             hint=did_you_mean(name, mdp.states,
                                               "name states of the model, separated by commas"))
    return tuple(s for s in mdp.states if s in set(names))


def latex_sections(study: Study, what: Iterable[str] = WHAT, *,
                   notation: Notation | None = None, states: Sequence[str] | None = None,
                   gammas: Iterable = DEFAULT_GAMMAS) -> Iterator:
    """The sections of ``what`` (in the order asked), each a :class:`Section` followed by
    the blocks computed after it (the exact solution's, one per state).

    Raises :class:`~symbellman.core.errors.ModelError` for a part not in :data:`WHAT` or an
    unknown state, when called: before anything is built or written.
    """
    what = list(what)
    unknown = [w for w in what if w not in PARTS]
    if unknown:
        raise ModelError(f"unknown item {unknown[0]!r} for --what",
                         hint="choose from " + ", ".join(WHAT))
    ask = Ask(study, notation or Notation(),
              None if states is None else chosen_states(study.mdp, states), tuple(gammas))
    return (item for part in what for item in PARTS[part](ask))
