r"""Teaching handouts: a model, its Bellman equations and their exact solution, in the
order course material uses, as a PDF (through TeX), a ``.tex`` file or Markdown.

:func:`build_handout` makes a :class:`~symbellman.render.document.Document`, one function
per section, and decides everything that is said, including how much of a large model
each section shows (:class:`Budgets`); the sections are in
:mod:`symbellman.render.sections`, and the writers in :mod:`symbellman.render.writers`
only lay it out. :func:`write_handout` builds, writes and (for a PDF) typesets it.

1. the model in words and as a table, with its state diagram (Graphviz; a grid model's
   is its grid, :mod:`symbellman.render.sections.grids`);
2. the definitions of v_π and q_π with their backup diagrams (TikZ);
3. the per-state expectation equations for v_π and q_π and the half-steps joining them;
4. the matrix form and its solution v = (I − γP_π)^{-1} r_π;
5. the closed forms in γ, a table of values at chosen discounts, and the equations with
   the numbers put in; for a grid model v_π on the grid and v_k of iterative policy
   evaluation as small grids;
6. a plot of each state's v_π against γ (matplotlib);
7. the optimality equations, and the optimal values, policy and pieces over γ (for a
   grid model v* and the optimal actions on the grid);
8. for small models, the elimination steps a student would write
   (:mod:`symbellman.equations.elimination`);
9. for a model with ``horizon`` or ``criterion: average``, that criterion
   (:mod:`symbellman.render.sections.criteria`): backward induction and the stage ×
   state table, or gain, bias, the Laurent identity and g*, h*.

With ``exercise=True`` every answer (values, closed forms, worked steps, the plot) is left
blank and the full handout is the separate key.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from ..text.typeset import Notation
from ..core.errors import MissingDependency, SymbellmanError
from ..core.i18n import _, chosen, current, resolve, using
from ..linalg import announce
from ..model.mdp import MDP
from ..io.files import Staged
from ..model.policy import Policy
from ..study import Study
from .document import Document, Section, Table, Text, files_of
from .sections.common import Budgets, Facts
from .sections.criteria import criteria_section
from .sections.definitions import definitions_section, equations_section
from .sections.grids import values_grid_blocks
from .sections.model import model_section
from .sections.optimality import grid_optimum, optimality_section, worked_section
from .sections.solution import (closed_forms_file, curves, plot_section, solution_section, values_section,
                                write_closed_forms)

__all__ = ["Budgets", "HandoutResult", "build_handout", "write_handout"]


@dataclass(frozen=True)
class HandoutResult:
    """What :func:`write_handout` wrote: the files, the TeX logs (one per PDF, in the
    order of ``files``; empty for ``.tex`` and ``.md``), seconds per stage, and the notes
    of what the handout left out."""

    files: tuple
    logs: tuple
    timings: Mapping[str, float]
    notes: tuple


def numbered(sections: Sequence[Section]) -> list[Section]:
    """The sections with their numbers in document order ("1. The model", ...): a
    section left out (the plot of a model with parameters) leaves no gap.

    >>> from symbellman.render.document import runs
    >>> [s.title for s in numbered([Section(runs("A")), Section(runs("9. B"))])][1]
    (Text(text='2. B'),)
    """
    out = []
    for number, section in enumerate((s for s in sections if s is not None), start=1):
        title = section.title
        if title and isinstance(title[0], Text):
            # a number a builder wrote itself gives way to the one of document order
            text = re.sub(r"^\d+\.\s*", "", title[0].text)
            title = ((Text(f"{number}. {text}"),) if text else (Text(f"{number}. "),)) + title[1:]
        else:
            title = (Text(f"{number}. "), *title)
        out.append(replace(section, title=title))
    return out


def _extended(section: Section, blocks: list) -> Section:
    """The section with the blocks (a grid model's figures) added after its last table,
    which holds the same values as numbers, or at its end."""
    if not blocks:
        return section
    tables = [i for i, b in enumerate(section.blocks)
              if isinstance(b, Table) or isinstance(getattr(b, "content", None), Table)]
    at = tables[-1] + 1 if tables else len(section.blocks)
    return replace(section, blocks=section.blocks[:at] + tuple(blocks) + section.blocks[at:])


def build_handout(mdp: "MDP | Study", policy: Policy | None = None, *, gammas: Sequence | None = None,
                  folder: str | Path | None = None, worked: bool | None = None,
                  notation: Notation | None = None, budgets: Budgets | None = None,
                  closed_forms: Sequence[str] = (), stem: str = "handout",
                  figure_formats: Sequence[str] = ("pdf", "png"),
                  timings: dict | None = None, lang: str | None = None) -> Document:
    """Compute every part of the handout and draw its figures into ``folder``.

    Parameters
    ----------
    mdp, policy
        The model and policy (uniform by default), or a
        :class:`~symbellman.study.Study` of them (whose results the handout reads, and
        which keeps those it computes).
    gammas : sequence, optional
        Discounts for the table of values (default 0, 1/2, 9/10 and, when the values are
        finite there, 1; plus the model's own numeric discount).
    folder : path, optional
        Where the diagram and plot files go (a new temporary folder by default).
    worked : bool, optional
        Include the elimination steps (default: small models without parameters besides
        γ; see :class:`Budgets`).
    budgets : Budgets, optional
        How much of a large model each section shows.
    closed_forms : sequence of str
        States whose closed forms in γ are printed however long (by default those of a
        small model, within the budget); every closed form goes to
        ``Document.files["closed-forms"]`` as JSON.
    stem : str
        The name of the handout file without its suffix (for the JSON beside it).
    figure_formats : sequence of str
        The files to draw each figure in (``pdf`` for LaTeX, ``png`` for Markdown).
    timings : dict, optional
        Filled with seconds per section.
    lang : str, optional
        The language of the words (``"zh"``); by default the model file's ``lang:``, else
        ``SYMBELLMAN_LANG``, else English (:func:`symbellman.core.i18n.resolve`).

    Returns
    -------
    Document
        Written out by :mod:`symbellman.render.writers`.
    """
    study = Study.of(mdp, policy)
    with using(resolve(lang or chosen(), getattr(study.mdp.criteria, "lang", None))):
        return _build(study, gammas, folder, worked, notation, budgets, closed_forms, stem,
                      figure_formats, timings)


def _build(study, gammas, folder, worked, notation, budgets, closed_forms, stem,
           figure_formats, timings) -> Document:
    criterion = study  # what the section of another criterion solves
    if study.mdp.criteria.kind != "discounted" and study.mdp.discount == 1:
        # a finite horizon or average reward at discount 1: the discounted sections
        # leave γ open (at γ = 1 a continuing chain has no finite discounted values)
        study = study.symbolic
    mdp = study.mdp
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="handout-"))
    folder.mkdir(parents=True, exist_ok=True)
    f = Facts(study, notation or Notation(), budgets or Budgets(), folder,
              tuple(figure_formats), tuple(closed_forms), stem)
    timings = timings if timings is not None else {}
    clock = [time.perf_counter()]

    def timed(name, make, *args):
        announce(name)  # a terminal's bar names each part as it starts
        section = make(f, *args)
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now
        return section

    sections = [timed("model and diagram", model_section),
                timed("definitions", definitions_section),
                timed("equations", equations_section)]
    announce("values")
    values = curves(f, gammas)
    sections.append(timed("solution", solution_section, values))
    sections.append(timed("closed forms and table", values_section, values))
    sections[-1] = _extended(sections[-1], timed("values grid", values_grid_blocks,
                                                 values.values))
    if f.numeric:
        sections.append(timed("plot", plot_section, values))
    if not mdp.is_mrp:
        sections.append(timed("optimality", optimality_section))  # with its grids
    if worked is None:
        worked = f.n <= f.budgets.worked_states and f.numeric
    if worked and f.n:
        sections.append(timed("worked solution", worked_section))
    if criterion.mdp.criteria.kind != "discounted":
        other = replace(f, study=criterion)
        sections.append(timed("other criterion", lambda _: criteria_section(other, 9)))
    # the JSON that goes with the values section, written last: v* may join it
    write_closed_forms(closed_forms_file(f)["closed-forms"]["json"], f, values,
                       None if mdp.is_mrp else grid_optimum(f))
    if getattr(mdp.criteria, "projection", None) is not None:  # the model file's features
        from .sections.projected import projected_section

        sections.append(timed("projected", projected_section))
    sections = numbered(sections)
    return Document(mdp.name or _("Bellman equations"), sections, files_of(sections),
                    tuple(note for s in sections for note in s.notes), lang=current())


def write_handout(mdp: "MDP | Study", policy: Policy | None, output: str | Path, *,
                  gammas: Sequence | None = None, exercise: bool = False,
                  slides: bool = False, engine: str | None = None, lang: str | None = None,
                  **options) -> HandoutResult:
    """Build the handout and write ``output`` (``.pdf``, ``.tex`` or ``.md``).

    Figures go beside a ``.tex`` or ``.md`` file (``NAME-diagram.pdf``/``.png``,
    ``NAME-plot...``), and every closed form goes to ``NAME-closed-forms.json``. With
    ``exercise`` the answers are blanks and the full handout goes to ``NAME-key.EXT``, the
    closed forms to ``NAME-key-closed-forms.json``;
    with ``slides`` the same document is written as Beamer slides (``.pdf`` or ``.tex``).
    ``lang`` is the language of the words (as :func:`build_handout` chooses it);
    ``options`` go to :func:`build_handout`.
    """
    study = Study.of(mdp, policy)
    with using(resolve(lang or chosen(), getattr(study.mdp.criteria, "lang", None))):
        return _write(study, output, gammas, exercise, slides, engine, options)


def _write(mdp, output, gammas, exercise, slides, engine, options) -> HandoutResult:
    policy = None
    from .tex import compile_pdf
    from .writers import beamer, latex as latex_writer, markdown as markdown_writer

    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".tex", ".md"):
        raise SymbellmanError(f"a handout is written as .pdf, .tex or .md, not {output.name!r}")
    if slides and exercise:
        raise SymbellmanError("slides are not written as an exercise sheet: drop --exercise "
                              "or --slides")
    if slides and suffix == ".md":
        raise SymbellmanError("slides are written as .pdf or .tex, not as Markdown: write "
                              f"{output.stem}.pdf or {output.stem}.tex")
    tex_writer = beamer if slides else latex_writer
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingDependency("handouts need matplotlib for the plot", extra="handout") \
            from None
    if suffix == ".pdf":  # no TeX: say so now, not after the solve and the plots
        _require_tex(mdp.mdp, engine)
    timings: dict = {}
    # every file is written to a temporary beside it and renamed once all are done: a
    # failed run (a TeX error, a side file's path that is a folder) leaves nothing behind
    with tempfile.TemporaryDirectory(prefix="symbellman-handout-") as tmp, Staged() as stage:
        formats = ("png",) if suffix == ".md" else ("pdf",)
        # an exercise's answers (the JSON of closed forms) go with its key, never beside
        # the student's sheet: NAME-key-closed-forms.json
        key = output.with_name(output.stem + "-key" + output.suffix)
        doc = build_handout(mdp, policy, gammas=gammas, folder=tmp, figure_formats=formats,
                            timings=timings, stem=(key if exercise else output).stem,
                            **options)
        written, logs = [], []
        targets = [(output, exercise)]
        if exercise:
            targets.append((key, False))
        start = time.perf_counter()
        for target, blanks in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            for k, paths in doc.files.items():  # data files (JSON) go beside the handout
                if "json" in paths and not blanks:
                    name = target.parent / f"{target.stem}-{k}.json"
                    shutil.copyfile(paths["json"], stage.path(name))
                    written.append(name)
            figures = {k: v for k, v in doc.files.items() if "json" not in v}
            if suffix == ".pdf":  # a grid's SVG file is for Markdown: the PDF has its TikZ
                names = {k: f"{k}.pdf" for k, v in figures.items() if "pdf" in v}
                files = {f"{k}.pdf": v["pdf"] for k, v in figures.items() if "pdf" in v}
                announce("typesetting")
                logs.append(compile_pdf(tex_writer.write(doc, exercise=blanks, names=names,
                                                         **_key(exercise, blanks)),
                                        stage.path(target), files=files, engine=engine))
            else:
                kinds = ("pdf",) if suffix == ".tex" else ("png", "svg")
                names = {}
                for k, paths in figures.items():
                    kind = next((x for x in kinds if x in paths), None)
                    if kind is None or (k.endswith("-frame") and not exercise):
                        continue  # an empty frame to sketch in is for exercise sheets
                    name = f"{output.stem}-{k}.{kind}"
                    shutil.copyfile(paths[kind], stage.path(target.parent / name))
                    names[k] = name
                    written.append(target.parent / name)
                writer = tex_writer if suffix == ".tex" else markdown_writer
                stage.path(target).write_text(writer.write(doc, exercise=blanks, names=names,
                                                           **_key(exercise, blanks)),
                                              encoding="utf-8")
            written.append(target)
        timings["typesetting" if suffix == ".pdf" else "writing"] = round(
            time.perf_counter() - start, 3)
    return HandoutResult(tuple(dict.fromkeys(written)),
                         tuple(logs), timings, doc.notes)


def _require_tex(mdp, engine: str | None) -> None:
    """Refuse a PDF before any work when its TeX route is missing: XeLaTeX with its CJK
    packages and fonts for a model whose names (or the language) need it, else any engine.

    See Also
    --------
    symbellman.render.tex.require_engine, symbellman.render.fonts.check_unicode_route
    """
    from ..core.i18n import current
    from .fonts import check_unicode_route, choose_engine
    from .tex import require_engine

    names = " ".join(map(str, [mdp.name or "", mdp.description or "", *mdp.states,
                               *(a for s in mdp.states for a in mdp.actions(s) if a)]))
    if engine is None and choose_engine(names, current()) == "xelatex":
        check_unicode_route()
    else:
        require_engine(engine)


def _key(exercise: bool, blanks: bool) -> dict:
    """The writers' ``key`` option: the full document written beside a sheet says so."""
    return {"key": True} if exercise and not blanks else {}
