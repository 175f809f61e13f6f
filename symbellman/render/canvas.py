r"""Figures as lists of simple shapes in cell units, written as TikZ or as SVG.

A figure is laid out once as :class:`Box` es, :class:`Label` s, :class:`Segment` s
(arrows), :class:`Dot` s and :class:`Curve` s in a coordinate system of cells (y
upwards, as in TikZ), and then written by :func:`to_tikz` (for LaTeX; needs only
``\usepackage{tikz}``) or :func:`to_svg` (a standalone ``<svg>`` document, written
directly, no extra dependency), so that both always show the same picture. Text sizes
are in TeX points at one centimetre per cell and scale with the cell in both.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from fractions import Fraction
from typing import Mapping, Sequence
from xml.sax.saxutils import escape as xml_escape

__all__ = ["Box", "Label", "Segment", "Dot", "Curve", "shift", "bounds", "to_tikz", "to_svg",
           "LINE", "INK"]

#: Colours (red, green, blue) of cell borders and of ink.
LINE = (150, 150, 150)
INK = (0, 0, 0)
#: SVG pixels per cell, and TeX points per centimetre (to size text alike in both).
SVG_CELL = 48
PT_PER_CM = Fraction(7227, 254)


@dataclass(frozen=True)
class _At:
    """A shape placed at the point (x, y)."""

    x: float
    y: float


@dataclass(frozen=True)
class _Span:
    """A shape from the point (x0, y0) to the point (x1, y1)."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Box(_Span):
    """A rectangle from corner (x0, y0) to (x1, y1), filled and/or outlined (width in pt)."""

    fill: tuple | None = None
    stroke: tuple | None = LINE
    width: float = 0.4  # pt


@dataclass(frozen=True)
class Label(_At):
    """Text centred at (x, y); ``invisible`` text is only there to be copied (PDF only)."""

    tex: str      # LaTeX (inside a node)
    text: str     # the same as plain Unicode (SVG)
    size: float = 9  # pt, at 1 cm per cell
    invisible: bool = False


@dataclass(frozen=True)
class Segment(_Span):
    """An arrow from (x0, y0) to (x1, y1)."""

    dashed: bool = False
    width: float = 1.0


@dataclass(frozen=True)
class Dot(_At):
    """A disc (or with ``filled`` False, a ring) of radius ``r`` cells."""

    r: float
    filled: bool = True


@dataclass(frozen=True)
class Curve(_Span):
    """A quadratic Bézier arrow from (x0, y0) to (x1, y1) through control (cx, cy)."""

    cx: float
    cy: float
    label_tex: str = ""
    label_text: str = ""


def shift(shape, dx: float, dy: float):
    """The shape moved by (dx, dy) cells.

    >>> shift(Dot(1, 2, .1), 3, -1)
    Dot(x=4, y=1, r=0.1, filled=True)
    """
    names = {f.name for f in fields(shape)}
    moved = {name: getattr(shape, name) + dx for name in ("x", "x0", "x1", "cx") if name in names}
    moved.update({name: getattr(shape, name) + dy for name in ("y", "y0", "y1", "cy")
                  if name in names})
    return replace(shape, **moved)


def _tex_colour(rgb: tuple) -> str:  # xcolor's inline RGB, no \definecolor needed
    return "{rgb,255:red,%d;green,%d;blue,%d}" % rgb


def _f(x: float) -> str:  # a coordinate, short: 3 decimals at most, no "-0"
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_tikz(shapes: Sequence, cell: float = 1.0) -> str:
    r"""A ``tikzpicture`` of the shapes, ``cell`` centimetres to a cell.

    >>> tikz = to_tikz([Box(0, 0, 1, 1, fill=(255, 0, 0), stroke=None),
    ...                 Label(.5, .5, "$1$", "1")], cell=.5)
    >>> print(tikz.splitlines()[0]); print(tikz.splitlines()[1])
    \begin{tikzpicture}[x=0.5cm,y=0.5cm,>=stealth]
    \path[fill={rgb,255:red,255;green,0;blue,0}] (0,0) rectangle (1,1);
    >>> r"\fontsize{4.5}{5.4}\selectfont] at (0.5,0.5) {$1$};" in tikz   # text scales too
    True
    """
    out = [r"\begin{tikzpicture}[x=%scm,y=%scm,>=stealth]" % (_f(cell), _f(cell))]
    for s in shapes:
        if isinstance(s, Box):
            style = []
            if s.fill is not None:
                style.append("fill=" + _tex_colour(s.fill))
            if s.stroke is not None:
                style += ["draw=" + _tex_colour(s.stroke), f"line width={_f(s.width)}pt"]
            if style:
                out.append(r"\path[%s] (%s,%s) rectangle (%s,%s);"
                           % (",".join(style), _f(s.x0), _f(s.y0), _f(s.x1), _f(s.y1)))
        elif isinstance(s, Label):
            size = s.size * cell
            style = ["inner sep=0pt", "text height=1.5ex", "text depth=.25ex",
                     r"font=\fontsize{%s}{%s}\selectfont" % (_f(size), _f(1.2 * size))]
            if s.invisible:
                style.append("opacity=0")
            out.append(r"\node[%s] at (%s,%s) {%s};" % (",".join(style), _f(s.x), _f(s.y),
                                                        s.tex))
        elif isinstance(s, Segment):
            style = ["->", f"line width={_f(s.width)}pt"] + (["dashed"] if s.dashed else [])
            out.append(r"\draw[%s] (%s,%s) -- (%s,%s);"
                       % (",".join(style), _f(s.x0), _f(s.y0), _f(s.x1), _f(s.y1)))
        elif isinstance(s, Dot):
            out.append(r"\%s (%s,%s) circle (%s);" % ("fill" if s.filled else "draw",
                                                     _f(s.x), _f(s.y), _f(s.r)))
        elif isinstance(s, Curve):
            c0 = (s.x0 + 2 * (s.cx - s.x0) / 3, s.y0 + 2 * (s.cy - s.y0) / 3)
            c1 = (s.x1 + 2 * (s.cx - s.x1) / 3, s.y1 + 2 * (s.cy - s.y1) / 3)
            out.append(r"\draw[->,line width=0.8pt] (%s,%s) .. controls (%s,%s) and (%s,%s) "
                       r".. (%s,%s) node[pos=0.5,fill=white,inner sep=1pt,"
                       r"font=\fontsize{%s}{%s}\selectfont] {%s};"
                       % (_f(s.x0), _f(s.y0), *map(_f, c0), *map(_f, c1), _f(s.x1), _f(s.y1),
                          _f(7 * cell), _f(8.4 * cell), s.label_tex))
    out.append(r"\end{tikzpicture}")
    return "\n".join(out) + "\n"


def bounds(shapes: Sequence) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for s in shapes:
        if isinstance(s, Box):
            xs += [s.x0, s.x1]
            ys += [s.y0, s.y1]
        elif isinstance(s, Label):
            xs.append(s.x)
            ys += [s.y - .15, s.y + .15]
        elif isinstance(s, Curve):
            xs += [s.x0, s.x1, (s.x0 + 2 * s.cx + s.x1) / 4]
            ys += [s.y0, s.y1, (s.y0 + 2 * s.cy + s.y1) / 4]
    return min(xs), min(ys), max(xs), max(ys)


def to_svg(shapes: Sequence, title: str, titles: Mapping[tuple, str] = {}) -> str:
    """A standalone SVG document of the shapes, :data:`SVG_CELL` pixels to a cell.

    ``titles`` maps the centre (x, y) of a one-cell box to its hover text.

    >>> svg = to_svg([Box(0, 0, 1, 1), Label(.5, .5, "$-1$", "\u22121")], "one cell",
    ...              {(.5, .5): "A: -1"})
    >>> "<title>A: -1</title></rect>" in svg, ">\u22121</text>" in svg
    (True, True)
    """
    x0, y0, x1, y1 = bounds(shapes)
    pad = .1
    k = SVG_CELL
    X = lambda x: _f((x - x0 + pad) * k)  # noqa: E731
    Y = lambda y: _f((y1 - y + pad) * k)  # noqa: E731
    width, height = (x1 - x0 + 2 * pad) * k, (y1 - y0 + 2 * pad) * k
    rgb = lambda c: "rgb(%d,%d,%d)" % c  # noqa: E731
    px = lambda pt: _f(pt / float(PT_PER_CM) * k)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" '
           f'height="{_f(height)}" viewBox="0 0 {_f(width)} {_f(height)}" '
           'font-family="Latin Modern Roman, CMU Serif, Times, serif">',
           f"<title>{xml_escape(title)}</title>",
           '<defs><marker id="symbellman-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
           'markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">'
           '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>']
    for s in shapes:
        if isinstance(s, Box):
            fill = rgb(s.fill) if s.fill is not None else "none"
            stroke = (f' stroke="{rgb(s.stroke)}" stroke-width="{px(s.width)}"'
                      if s.stroke is not None else "")
            hover = (titles.get(((s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2))
                     if s.x1 - s.x0 == 1 and s.y1 - s.y0 == 1 else None)  # cells only
            rect = (f'<rect x="{X(s.x0)}" y="{Y(s.y1)}" width="{_f((s.x1 - s.x0) * k)}" '
                    f'height="{_f((s.y1 - s.y0) * k)}" fill="{fill}"{stroke}')
            out.append(f"{rect}><title>{xml_escape(hover)}</title></rect>" if hover
                       else rect + "/>")
        elif isinstance(s, Label) and not s.invisible:
            out.append(f'<text x="{X(s.x)}" y="{Y(s.y)}" font-size="{px(s.size)}" '
                       f'text-anchor="middle" dominant-baseline="central">'
                       f"{xml_escape(s.text)}</text>")
        elif isinstance(s, Segment):
            dash = ' stroke-dasharray="4,3"' if s.dashed else ""
            out.append(f'<line x1="{X(s.x0)}" y1="{Y(s.y0)}" x2="{X(s.x1)}" y2="{Y(s.y1)}" '
                       f'stroke="black" stroke-width="{px(s.width)}"{dash} '
                       'marker-end="url(#symbellman-arrow)"/>')
        elif isinstance(s, Dot):
            style = 'fill="black"' if s.filled else 'fill="none" stroke="black"'
            out.append(f'<circle cx="{X(s.x)}" cy="{Y(s.y)}" r="{_f(s.r * k)}" {style}/>')
        elif isinstance(s, Curve):
            out.append(f'<path d="M{X(s.x0)},{Y(s.y0)} Q{X(s.cx)},{Y(s.cy)} {X(s.x1)},'
                       f'{Y(s.y1)}" fill="none" stroke="black" stroke-width="{px(.8)}" '
                       'marker-end="url(#symbellman-arrow)"/>')
            lx, ly = (s.x0 + 2 * s.cx + s.x1) / 4, (s.y0 + 2 * s.cy + s.y1) / 4
            out.append(f'<text x="{X(lx)}" y="{Y(ly)}" font-size="{px(7)}" '
                       'text-anchor="middle" dominant-baseline="central" '
                       'stroke="white" stroke-width="3" paint-order="stroke">'
                       f"{xml_escape(s.label_text)}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
