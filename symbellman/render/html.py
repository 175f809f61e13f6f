"""The interactive HTML page: one self-contained file, the handout's third writer.

:func:`page_html` puts the data of :func:`symbellman.render.page_data.page_data` (what
the page says) into the template, style sheet and script under ``render/assets/`` (how
it looks and moves). Nothing is fetched: the script, the style and the maths (MathML,
which browsers draw themselves) are inside the file, and a Content-Security-Policy
forbids every request, so the page works from ``file://`` with no network.
"""

from __future__ import annotations

import html
import json
import time
from importlib import resources
from pathlib import Path

from .. import __version__
from ..errors import SymbellmanError
from ..model import MDP
from ..policy import Policy
from .page_data import page_data

__all__ = ["page_html", "write_page", "notebook_html"]


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _script_json(data: dict) -> str:
    """JSON that is safe inside ``<script>``: no ``</`` can end the element early."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def page_html(mdp: MDP, policy: Policy | None = None) -> str:
    """The whole page as one string of HTML.

    Examples
    --------
    >>> from symbellman.examples import student_mrp
    >>> page = page_html(student_mrp())
    >>> page.startswith("<!DOCTYPE html>"), "http://" in page.split("<style>")[0]
    (True, False)
    """
    data = page_data(mdp, policy)
    title = html.escape(data["model"]["name"])
    subtitle = html.escape(data["model"]["description"].strip().split("\n")[0]) or (
        "Drag γ and watch every exact value, equation and optimal arrow move.")
    fields = {"@TITLE@": title, "@SUBTITLE@": subtitle, "@VERSION@": __version__,
              "@CSS@": _asset("page.css"), "@JS@": _asset("page.js"),
              "@DATA@": _script_json(data)}
    page = _asset("page.html")
    for key in ("@TITLE@", "@SUBTITLE@", "@VERSION@", "@CSS@", "@JS@"):
        page = page.replace(key, fields[key])
    # the data last: it may itself contain text that looks like a placeholder
    return page.replace("@DATA@", fields["@DATA@"])


def write_page(mdp: MDP, policy: Policy | None, output: str | Path) -> dict:
    """Write the page to ``output`` (``.html``); returns ``{"files", "bytes", "notes", "timings"}``."""
    output = Path(output)
    if output.suffix.lower() not in (".html", ".htm"):
        raise SymbellmanError(f"the interactive page is written as .html, not {output.name!r}")
    start = time.perf_counter()
    text = page_html(mdp, policy)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    size = output.stat().st_size
    return {"files": [output], "bytes": size, "notes": [],
            "timings": {"page": round(time.perf_counter() - start, 3)}}


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
