"""Plots of v_π against the discount, from the exact closed forms.

Each state's value is N(γ)/D(γ) with integer polynomials; they are evaluated at each
grid point in exact rational arithmetic (Horner's rule on :class:`fractions.Fraction`)
and only then turned into floats, so the curves stay right near γ = 1 where expanded
polynomials in floating point lose every digit on larger models.
"""

from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from functools import lru_cache
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import sympy

from ..core.errors import MissingDependency, SymbellmanError
from ..core.escape import plot_text
from ..text.bidi import rtl_runs, visual_order
from ..core.i18n import _
from ..linalg.polynomials import horner
from ..core.symbols import gamma as gamma_symbol
from .fonts import plot_families

__all__ = ["value_curves", "plot_values", "plot_frame"]


def _pyplot():
    """matplotlib's pyplot, drawing to files only (the Agg backend)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise MissingDependency("plots need matplotlib", extra="handout") from None
    return pyplot


def value_curves(v, states: Sequence[str] | None = None, *, low=0, high=1, points: int = 101
                 ) -> tuple[list[float], dict[str, list[float]]]:
    """Exact values of ``v`` (a :class:`~symbellman.solve.results.ValueFunction` in γ) on a grid.

    Points where the closed form's denominator vanishes (γ = 1 for a continuing task)
    give NaN.

    >>> from symbellman.model.examples import exercise_3_22
    >>> from symbellman import solve_v, Policy
    >>> m = exercise_3_22()
    >>> v = solve_v(m, Policy.deterministic(m, {"top": "left"}))
    >>> xs, ys = value_curves(v, ["top"], high=Fraction(1, 2), points=3)
    >>> xs, ys["top"]  # 1/(1 − γ²) at 0, 1/4, 1/2
    ([0.0, 0.25, 0.5], [1.0, 1.0666666666666667, 1.3333333333333333])
    """
    x = v.discount
    if not isinstance(x, sympy.Symbol):
        raise SymbellmanError("plots need the closed forms in a symbolic discount "
                              "(solve the model with discount gamma)")
    extra = [s for s in v.symbols if s != x]
    if extra:
        raise SymbellmanError("plots need numbers for " + ", ".join(map(str, extra))
                              + " (give them with --at)")
    low, high = Fraction(str(low)), Fraction(str(high))
    grid = [low + (high - low) * Fraction(i, points - 1) for i in range(points)]
    states = list(states) if states is not None else list(v.keys())
    curves = {}
    for s in states:
        num, den = v.univariate(s, x)
        ys = []
        for g in grid:
            d = horner(den, g)
            ys.append(float("nan") if d == 0 else float(horner(num, g) / d))
        curves[s] = ys
    return [float(g) for g in grid], curves


def plot_values(v, output: str | Path, states: Sequence[str] | None = None, *, low=0,
                high=None, points: int = 101, title: str | None = None,
                marks: Sequence = ()) -> Path:
    """Draw each state's v_π(γ) into a PNG (or PDF/SVG, from the suffix) with matplotlib.

    ``high`` defaults to 1 when every value is finite there (an episodic task), else 0.99.
    ``marks`` are discounts to mark with dotted vertical lines.
    """
    plt = _pyplot()
    x = v.discount
    if high is None:
        finite = all(horner(v.univariate(s, x)[1], 1) != 0 for s in v.keys()) \
            if isinstance(x, sympy.Symbol) else True
        high = 1 if finite else Fraction(99, 100)
    xs, curves = value_curves(v, states, low=low, high=high, points=points)
    # γ in mathtext (Computer Modern italic), as the document sets it; in a label with
    # Chinese words the plain γ, which falls back glyph by glyph like the words around it
    # (mathtext would set them in its own font, which has none of them)
    words = _("discount {gamma}")
    math = plot_families([words]) is None
    xlabel = words.format(gamma=(r"$\gamma$" if math else "γ") if x == gamma_symbol else x)
    with _fonts([*curves, title or "", xlabel]):
        return _draw_values(plt, xlabel, xs, curves, title, marks, output)


#: The plots' fonts: Computer Modern as matplotlib ships it (``cmr10``, close to the
#: handout's Latin Modern) with mathtext in ``cm``, and DejaVu Serif for any glyph cmr10
#: lacks (γ, π); matplotlib falls back glyph by glyph along the list.
SERIF = {"font.family": ["cmr10", "DejaVu Serif"],
         "mathtext.fontset": "cm", "axes.formatter.use_mathtext": True,
         "axes.unicode_minus": False}


def _fonts(texts):
    """matplotlib's settings for labels ``texts``: the document's serif face
    (:data:`SERIF`), with Noto Sans CJK SC after it when a label goes beyond Latin and
    matplotlib knows that font (else its warning about each missing glyph), and DejaVu
    Sans for Hebrew and Arabic."""
    import matplotlib
    from matplotlib import font_manager

    families = plot_families(texts)
    rc = dict(SERIF)
    if families is not None:
        # DejaVu Sans for Hebrew and Arabic, which DejaVu Serif has not
        wanted = [*(["DejaVu Sans"] if any(rtl_runs(str(t)) for t in texts) else []),
                  families[-1]]
        rc["font.family"] = [*SERIF["font.family"],
                             *(f for f in wanted if _known(font_manager, f))]
    return matplotlib.rc_context(rc)


def _known(font_manager, family: str) -> bool:
    """Whether matplotlib knows ``family``; a font installed after matplotlib made its
    cache of fonts (Noto CJK put in by ``.ci/run`` on a machine that ran matplotlib
    before) is found through fontconfig and added."""
    if any(f.name == family for f in font_manager.fontManager.ttflist):
        return True
    import shutil
    import subprocess

    if shutil.which("fc-match") is None:
        return False
    found = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", family],
                           capture_output=True, text=True).stdout.split("\n")
    if len(found) != 2 or family not in found[0].split(",") or not found[1]:
        return False
    try:
        font_manager.fontManager.addfont(found[1])
    except (OSError, RuntimeError, ValueError):
        return False
    return any(f.name == family for f in font_manager.fontManager.ttflist)


def _label(text: str) -> str:
    """A name or title as matplotlib is to draw it: escaped, and Hebrew or Arabic in the
    order it is seen where matplotlib would draw it as stored."""
    text = plot_text(text)
    return text if _lays_out_right_to_left() else visual_order(text)


@lru_cache(maxsize=None)
def _lays_out_right_to_left() -> bool:
    """Whether matplotlib orders and shapes right-to-left text itself: from 3.11 its
    FreeType fonts lay out text through libraqm (``FT2Font._layout``); before, they draw
    the characters left to right as stored."""
    from matplotlib.ft2font import FT2Font

    return hasattr(FT2Font, "_layout")


def _draw_values(plt, xlabel, xs, curves, title, marks, output) -> Path:
    fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=150)
    try:
        for s, ys in curves.items():
            ax.plot(xs, ys, label=_label(s), linewidth=1.6)
        for m in marks:
            ax.axvline(float(m), color="0.6", linestyle=":", linewidth=1)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("$v_\\pi(s)$")
        ax.axhline(0, color="0.85", linewidth=0.8, zorder=0)
        ax.grid(True, color="0.92")
        if title:
            ax.set_title(_label(title))
        ax.legend(fontsize=8, ncol=2 if len(curves) > 6 else 1, loc="best", frameon=False)
        return _save(fig, output)
    finally:
        plt.close(fig)


def _metadata(fmt: str) -> dict:
    """What ``savefig`` writes beside the drawing, made reproducible: matplotlib dates a
    PDF or SVG with ``SOURCE_DATE_EPOCH`` when it is set, else with the time of the run,
    so without it the date is left out.

    >>> _metadata("png")  # matplotlib dates no PNG
    {}
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return {}
    return {"pdf": {"CreationDate": None}, "svg": {"Date": None}}.get(fmt, {})


def _save(fig, output: str | Path) -> Path:
    """Lay the figure out tightly and write it to ``output`` (type from the suffix), the
    same bytes on every run: no date unless ``SOURCE_DATE_EPOCH`` gives one, and the SVG's
    clip-path ids from a fixed salt instead of a random one."""
    import matplotlib

    fig.tight_layout()
    output = Path(output)
    fmt = output.suffix.lstrip(".").lower()
    with matplotlib.rc_context({"svg.hashsalt": "symbellman"}), _quiet_font_dates():
        fig.savefig(output, metadata=_metadata(fmt))
    return output


@contextmanager
def missing_glyphs():
    """Within the block, matplotlib's warning for each character its fonts lack is
    gathered instead of printed: the list yielded fills with them ("न (U+0928)"), for
    one note in place of a warning per character and figure.

    >>> import warnings
    >>> with missing_glyphs() as missing:
    ...     warnings.warn("Glyph 2344 (\\N{DEVANAGARI LETTER NA}) missing from font(s) cmr10.")
    >>> missing
    ['न (U+0928)']
    """
    import warnings

    missing: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield missing
    for warning in caught:
        found = _GLYPH.match(str(warning.message))
        if found is None:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
            continue
        shown = f"{chr(int(found.group(1)))} (U+{int(found.group(1)):04X})"
        if shown not in missing:
            missing.append(shown)


_GLYPH = re.compile(r"Glyph (\d+) .*missing from font")


class _FontDates(logging.Filter):
    """Drops fontTools' "'created' timestamp seems very low" and its 'modified' twin."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "timestamp seems very low" not in record.getMessage()


@contextmanager
def _quiet_font_dates():
    """While a PDF is saved, fontTools reads the header of each font it embeds; the
    Computer Modern fonts matplotlib ships are dated near 1970 (their 'created' and
    'modified' fields hold small numbers), which fontTools reports as a warning on
    standard error, twice a font. The fonts are right and the PDF's own date comes from
    ``SOURCE_DATE_EPOCH`` (:func:`_metadata`): those two messages, and only they, are
    dropped while the figure is saved.

    >>> import logging
    >>> head = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
    >>> with _quiet_font_dates():
    ...     [f.filter(head.makeRecord(head.name, logging.WARNING, "", 0,
    ...                               "'created' timestamp seems very low; regarding as "
    ...                               "unix timestamp", (), None)) for f in head.filters]
    [False]
    >>> head.filters
    []
    """
    head = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
    quiet = _FontDates()
    head.addFilter(quiet)
    try:
        yield
    finally:
        head.removeFilter(quiet)


def plot_frame(output: str | Path, *, xlabel: str = "γ", ylabel: str | None = None) -> Path:
    """Draw the empty frame an exercise sheet leaves for "sketch v_π against γ".

    The same frame as the LaTeX sheet's (``PLOT_FRAME`` of
    :mod:`symbellman.render.writers.latex`): γ from 0 to 1 across with a tick every 0.1
    and labels at 0, 0.5 and 1, the value up with six unlabelled ticks, a light grid and
    arrowheads on both axes; the file type comes from the suffix (PNG, SVG, PDF).
    """
    ylabel = _("value") if ylabel is None else ylabel
    with _fonts([xlabel, ylabel]):
        return _draw_frame(output, xlabel, ylabel)


def _draw_frame(output, xlabel: str, ylabel: str) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=150)
    try:
        ax.set_xlim(-0.04, 1.14)
        ax.set_ylim(-0.04, 1.2)
        ax.set_xticks([i / 10 for i in range(11)])
        ax.set_xticklabels(["0" if i == 0 else "0.5" if i == 5 else "1" if i == 10 else ""
                            for i in range(11)])
        ax.set_yticks([i / 5 for i in range(6)])
        ax.set_yticklabels([])
        for x in (i / 10 for i in range(11)):
            ax.plot([x, x], [0, 1], color="0.88", linewidth=0.6, zorder=0)
        for y in (i / 5 for i in range(6)):
            ax.plot([0, 1], [y, y], color="0.88", linewidth=0.6, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.spines["left"].set_bounds(0, 1.06)
        ax.spines["bottom"].set_bounds(0, 1.04)
        ax.spines["left"].set_position(("data", 0))
        ax.spines["bottom"].set_position(("data", 0))
        ax.plot(1.06, 0, ">k", markersize=5, clip_on=False)
        ax.plot(0, 1.08, "^k", markersize=5, clip_on=False)
        # the labels at the arrowheads, as the LaTeX frame puts them
        ax.text(1.09, 0, xlabel, va="center", ha="left", fontsize=11)
        ax.text(0, 1.12, ylabel, va="bottom", ha="center", fontsize=10)
        return _save(fig, output)
    finally:
        plt.close(fig)
