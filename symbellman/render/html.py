"""The interactive HTML page: one self-contained file, the handout's third writer.

:func:`page_html` builds the handout's document
(:func:`symbellman.render.handout.build_handout`) and the page's interactive data
(:func:`symbellman.render.page_data.page_data`) once each, and hands both to the HTML
writer (:mod:`symbellman.render.writers.html`), which puts them into the template, style
sheet and script under ``render/assets/`` (how it looks and moves). Nothing is fetched:
the script, the style and the maths (MathML, which browsers draw themselves) are inside
the file, and a Content-Security-Policy forbids every request, so the page works from
``file://`` with no network.
"""

from __future__ import annotations

import html
import importlib.util
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ..text.canonical import canonical_entry
from ..core.errors import SymbellmanError
from ..core.i18n import _, chosen, resolve, using
from ..io.files import write_file
from ..model.mdp import MDP
from ..model.policy import Policy
from ..study import Study
from .document import Document
from .sections.common import Budgets
from .page_data import page_data

__all__ = ["page_html", "page_budgets", "write_page", "notebook_html", "compact_html", "NOTEBOOK_STATES"]


def page_budgets(mdp: MDP, data: dict) -> Budgets:
    """The handout's budgets on the page: where the page's band shows the optimal pieces
    over γ (at every size), the section on optimality lists them too rather than saying
    they are left out (the words and the band agree); and as the page draws v_π and v* on
    the grid at every size, so do the sections' figures.

    >>> from symbellman.model.examples import student_mdp
    >>> page_budgets(student_mdp(), {"optimal": {"sets": [{}]}}).pieces_states >= 30
    True
    """
    budgets = Budgets()
    budgets = replace(budgets, symbolic_grid_cells=max(budgets.symbolic_grid_cells,
                                                       len(mdp.states)))
    if data["optimal"]["sets"]:
        budgets = replace(budgets, pieces_states=max(budgets.pieces_states,
                                                     len(mdp.nonterminal)))
    return budgets


def page_html(mdp: "MDP | Study", policy: Policy | None = None, *, handout: bool = True,
              timings: dict | None = None, notes: list | None = None,
              lang: str | None = None) -> str:
    """The whole page as one string of HTML: the handout's sections with the explorer's
    parts inside them (the sliders in a bar at the top).

    ``handout=False`` leaves the sections out (the explorer alone); ``timings`` is
    filled with seconds per stage and ``notes`` with what the handout left out; ``lang``
    is the language of the words (:func:`symbellman.core.i18n.resolve`).

    Examples
    --------
    >>> from symbellman.model.examples import student_mrp
    >>> page = page_html(student_mrp())
    >>> page.startswith("<!DOCTYPE html>"), "http://" in page.split("<style>")[0]
    (True, False)
    >>> "<h2>1. The model</h2>" in page
    True
    """
    from .writers import html as html_writer

    study = Study.of(mdp, policy)  # the page and the handout read one study
    with using(resolve(lang or chosen(), getattr(study.mdp.criteria, "lang", None))):
        return _page(study, handout, timings, notes)


def _page(study: Study, handout: bool, timings: dict | None, notes: list | None) -> str:
    from .writers import html as html_writer

    timings = timings if timings is not None else {}
    start = time.perf_counter()
    data = page_data(study)
    timings["page data"] = round(time.perf_counter() - start, 3)
    subtitle = data["model"]["description"].strip().split("\n")[0] or _(
        "Drag γ and watch every exact value, equation and optimal arrow move.")
    if handout and importlib.util.find_spec("matplotlib") is None:
        handout = False  # the handout's plot needs it; the explorer does not
        if notes is not None:
            notes.append("the handout's sections are left out of the page: they need "
                         "matplotlib (pip install '.[handout]')")
    with tempfile.TemporaryDirectory(prefix="symbellman-page-") as tmp:
        if handout:
            from .handout import build_handout

            doc = build_handout(study, folder=tmp, figure_formats=("svg",),
                                timings=timings, budgets=page_budgets(study.mdp, data))
            if notes is not None:
                notes.extend(doc.notes)
        else:
            doc = Document(data["model"]["name"], ())
        start = time.perf_counter()
        page = html_writer.write(doc, data=data, subtitle=subtitle)
    timings["writing"] = round(time.perf_counter() - start, 3)
    return page


def write_page(mdp: "MDP | Study", policy: Policy | None, output: str | Path, *,
               lang: str | None = None) -> dict:
    """Write the page to ``output`` (``.html``), its words in ``lang`` (by default the
    model file's ``lang:``, else ``SYMBELLMAN_LANG``, else English).

    Returns ``{"files", "bytes", "notes", "timings"}``: ``notes`` say what the page left
    out, ``timings`` give seconds per stage.
    """
    output = Path(output)
    if output.suffix.lower() not in (".html", ".htm"):
        raise SymbellmanError(f"the interactive page is written as .html, not {output.name!r}")
    timings: dict = {}
    notes: list = []
    text = page_html(mdp, policy, timings=timings, notes=notes, lang=lang)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_file(output, text)  # whole or not at all
    size = output.stat().st_size
    return {"files": [output], "bytes": size, "notes": notes, "timings": timings}


#: A notebook shows the explorer for models up to this many states, and a compact table
#: of the closed forms above that (the explorer of 100 states takes seconds to build).
NOTEBOOK_STATES = 30
#: The compact table: at most this many rows ...
NOTEBOOK_ROWS = 40
#: ... and closed forms up to this many characters (longer ones are described).
NOTEBOOK_CHARS = 160


def _described(function, key) -> str:
    """A closed form's text if short, else its size (from its terms, without printing it)."""
    top, bottom = function.terms(key)
    if len(top) + len(bottom) <= 12:
        text = canonical_entry(function, key).text()  # the one printed form
        if len(text) <= NOTEBOOK_CHARS:
            return html.escape(text)
    degree = max((sum(m) for m in (*top, *bottom)), default=0)
    return (f"<i>a ratio of polynomials with {len(top)} and {len(bottom)} terms, "
            f"of degree up to {degree}</i>")


def compact_html(function, mdp: MDP) -> str:
    """A short HTML table of a result's closed forms, for a notebook showing a big model.

    >>> from symbellman import solve_v
    >>> from symbellman.model.examples import student_mrp
    >>> table = compact_html(solve_v(student_mrp()), student_mrp())
    >>> "<td>Pass</td><td>10</td>" in table
    True
    """
    keys = list(function.keys())
    rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{_described(function, k)}</td></tr>"
                   for k in keys[:NOTEBOOK_ROWS])
    more = len(keys) - NOTEBOOK_ROWS
    parts = [_("{name}: {n} closed forms").format(name=mdp.name or _("Values"), n=len(keys))]
    if more > 0:
        parts.append(_("the first {n} shown").format(n=NOTEBOOK_ROWS))
    caption = _("; ").join([_(", ").join(parts), _(
        "the interactive page is built for models up to {n} states here (write it with "
        "{command})").format(n=NOTEBOOK_STATES, command="handout MODEL -o page.html")])
    key, form = html.escape(_("key")), html.escape(_("closed form"))
    return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>"
            f"<th>{key}</th><th>{form}</th></tr></thead><tbody>{rows}</tbody></table>")


def notebook_html(mdp: "MDP | Study", policy: Policy | None = None, *, height: int = 900,
                  function=None) -> str:
    """The explorer inside a sandboxed ``<iframe srcdoc=...>``, for Jupyter's
    ``_repr_html_``; for a model over :data:`NOTEBOOK_STATES` states, the compact table
    of ``function`` (a result) instead, when one is given.

    The sandbox allows scripts only: the page cannot reach the notebook, its cookies
    or the network. The handout's sections are left out (a notebook has its own words).

    >>> from symbellman.model.examples import student_mrp
    >>> notebook_html(student_mrp()).startswith('<iframe sandbox="allow-scripts"')
    True
    """
    study = Study.of(mdp, policy)
    if function is not None and len(study.mdp.states) > NOTEBOOK_STATES:
        return compact_html(function, study.mdp)
    page = page_html(study, handout=False)
    return (f'<iframe sandbox="allow-scripts" style="width: 100%; height: {height}px; '
            f'border: 1px solid #d5dbe1" srcdoc="{html.escape(page, quote=True)}"></iframe>')
