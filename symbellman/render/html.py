"""The interactive HTML page: one self-contained file, the handout's third writer.

:func:`page_html` builds the handout's document
(:func:`symbellman.render.handout.build_handout`) and the page's interactive data
(:func:`symbellman.render.page_data.page_data`) once each, and hands both to the HTML
writer (:mod:`symbellman.render.writers.html`), which puts them into the template, style
sheet and script under ``render/assets/`` (how it looks and moves). Nothing is fetched: the script, the style and the maths (MathML,
which browsers draw themselves) are inside the file, and a Content-Security-Policy
forbids every request, so the page works from ``file://`` with no network.
"""

from __future__ import annotations

import html
import tempfile
import time
from pathlib import Path

from .. import __version__
from ..errors import SymbellmanError
from ..model import MDP
from ..policy import Policy
from .document import Document
from .page_data import page_data

__all__ = ["page_html", "write_page", "notebook_html"]


def page_html(mdp: MDP, policy: Policy | None = None, *, handout: bool = True,
              timings: dict | None = None, notes: list | None = None) -> str:
    """The whole page as one string of HTML: the explorer, then the handout's sections.

    ``handout=False`` leaves the sections out (the explorer alone); ``timings`` is
    filled with seconds per stage and ``notes`` with what the handout left out.

    Examples
    --------
    >>> from symbellman.examples import student_mrp
    >>> page = page_html(student_mrp())
    >>> page.startswith("<!DOCTYPE html>"), "http://" in page.split("<style>")[0]
    (True, False)
    >>> "<h2>1. The model</h2>" in page
    True
    """
    from .writers import html as html_writer

    timings = timings if timings is not None else {}
    start = time.perf_counter()
    data = page_data(mdp, policy)
    timings["page data"] = round(time.perf_counter() - start, 3)
    subtitle = data["model"]["description"].strip().split("\n")[0] or (
        "Drag γ and watch every exact value, equation and optimal arrow move.")
    with tempfile.TemporaryDirectory(prefix="symbellman-page-") as tmp:
        if handout:
            from .handout import build_handout

            doc = build_handout(mdp, policy, folder=tmp, figure_formats=("svg",),
                                timings=timings)
            if notes is not None:
                notes.extend(doc.notes)
        else:
            doc = Document(data["model"]["name"], ())
        start = time.perf_counter()
        page = html_writer.write(doc, data=data, subtitle=subtitle)
    timings["writing"] = round(time.perf_counter() - start, 3)
    return page


def write_page(mdp: MDP, policy: Policy | None, output: str | Path) -> dict:
    """Write the page to ``output`` (``.html``); returns ``{"files", "bytes", "notes", "timings"}``."""
    output = Path(output)
    if output.suffix.lower() not in (".html", ".htm"):
        raise SymbellmanError(f"the interactive page is written as .html, not {output.name!r}")
    timings: dict = {}
    notes: list = []
    text = page_html(mdp, policy, timings=timings, notes=notes)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    size = output.stat().st_size
    return {"files": [output], "bytes": size, "notes": notes, "timings": timings}


def notebook_html(mdp: MDP, policy: Policy | None = None, *, height: int = 900) -> str:
    """The page inside a sandboxed ``<iframe srcdoc=...>``, for Jupyter's ``_repr_html_``.

    The sandbox allows scripts only: the page cannot reach the notebook, its cookies
    or the network.

    >>> from symbellman.examples import student_mrp
    >>> notebook_html(student_mrp()).startswith('<iframe sandbox="allow-scripts"')
    True
    """
    page = page_html(mdp, policy)
    return (f'<iframe sandbox="allow-scripts" style="width: 100%; height: {height}px; '
            f'border: 1px solid #d5dbe1" srcdoc="{html.escape(page, quote=True)}"></iframe>')
