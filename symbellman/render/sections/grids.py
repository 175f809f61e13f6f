r"""The grids of a handout of a grid model (one with a ``layout`` grid), as Sutton & Barto
draw their gridworlds: the state diagram is the grid itself, v_π a grid of one-decimal
numbers shaded by value (Figure 3.2), v* beside the optimal actions as arrows (Figure 3.5),
and v_k of iterative policy evaluation as a row of small grids (Figure 4.1).

Each figure is a :class:`~symbellman.render.document.Figure` holding its TikZ (for the
LaTeX and Beamer writers) and its SVG, which is also written as a file into the
handout's folder (``Document.files[key]["svg"]``) for Markdown to show beside the
``.md``. On an exercise sheet the value and policy grids are answers: left out, with a
line saying what belongs there.

The numbers are at the handout's numeric discount: the model's own, or, for a symbolic
discount, 9/10 (the discount of Figures 3.2 and 3.5), said in the caption.
"""

from __future__ import annotations

import re

import sympy

from ..grid_cells import fixed_text, require_grid
from ...model.mdp import MDP
from ...core.i18n import _
from ..document import Answer, Code, Figure, Math, Note, runs
from .common import Facts, gamma_is, said, with_code

__all__ = ["has_grid", "grid_discount", "grid_diagram_figure", "values_grid_blocks",
           "optimal_grid_blocks", "side_by_side_svg"]

#: The discount the grids use when the model leaves γ as a symbol (Sutton & Barto's).
SYMBOLIC_GRID_DISCOUNT = sympy.Rational(9, 10)
#: Centimetres the figures of one row may take (A4 with 2 cm margins, less a little).
ROW_WIDTH = 16.0
#: The largest cell, in centimetres (Sutton & Barto's size for a 5 × 5 grid).
CELL = 1.0
#: The sweeps of iterative policy evaluation shown (None is k = ∞), as in Figure 4.1.
SWEEPS = (0, 1, 2, 3, 10, None)


def has_grid(mdp: MDP) -> bool:
    """Whether the model has a layout grid to draw on."""
    return mdp.layout is not None and mdp.layout.grid is not None


def grid_discount(f: Facts):
    """The numeric discount of the grids, or None when other parameters have no value or
    a symbolic discount's grid is over the budget."""
    if not f.numeric or not has_grid(f.mdp):
        return None
    if not f.mdp.discount.free_symbols:
        return f.mdp.discount
    rows, columns = require_grid(f.mdp)
    return SYMBOLIC_GRID_DISCOUNT if rows * columns <= f.budgets.symbolic_grid_cells else None


def _left_out(f: Facts, what: str) -> list:
    """Why a grid of values is missing, when the model has a grid."""
    if not has_grid(f.mdp) or not f.numeric:
        return []
    return [Note(said(_("({what} on the grid is left out: the discount is a symbol and the "
                        "grid has more than {n} cells; {option} draws it.)"),
                      what=what, n=str(f.budgets.symbolic_grid_cells),
                      option=Code("--at gamma=9/10")))]


def _cell(mdp: MDP, across: int) -> float:
    """The side of a cell (cm) so that ``across`` grids fit one row of the page."""
    _, columns = require_grid(mdp)
    return round(min(CELL, (ROW_WIDTH - 0.8 * (across - 1)) / (across * (columns + 0.4))), 2)


def _svg_file(f: Facts, key: str, svg: str) -> dict:
    """Write ``svg`` into the handout's folder as the figure file ``key``; the figure's
    ``files``."""
    path = f.folder / f"{key}.svg"
    path.write_text(svg, encoding="utf-8")
    return {key: {"svg": path}}


_SIZE = re.compile(r'^<svg [^>]*?width="([\d.]+)" height="([\d.]+)"[^>]*>')


def side_by_side_svg(svgs, title: str, gap: float = 24.0) -> str:
    """Standalone SVG documents side by side in one, tops aligned, ``gap`` pixels apart.

    >>> a = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"><rect/></svg>'
    >>> both = side_by_side_svg([a, a], "two")
    >>> both.splitlines()[0]
    '<svg xmlns="http://www.w3.org/2000/svg" width="44" height="20" viewBox="0 0 44 20">'
    >>> both.splitlines()[3]
    '<svg x="34" y="0" width="10" height="20" viewBox="0 0 10 20"><rect/></svg>'
    """
    from xml.sax.saxutils import escape

    x, height, parts = 0.0, 0.0, []
    for svg in svgs:
        match = _SIZE.match(svg)
        if match is None:
            raise ValueError("not a standalone SVG document with a width and a height")
        w, h = float(match.group(1)), float(match.group(2))
        body = svg[match.end():].rstrip()
        parts.append(f'<svg x="{x:g}" y="0" width="{w:g}" height="{h:g}" '
                     f'viewBox="0 0 {w:g} {h:g}">{body}')
        x += w + gap
        height = max(height, h)
    width = x - gap
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
            f'viewBox="0 0 {width:g} {height:g}">\n<title>{escape(title)}</title>\n'
            + "\n".join(parts) + "\n</svg>\n")


def grid_diagram_figure(f: Facts) -> Figure:
    """The state diagram of a grid model: the grid with its state names and its jumps."""
    from ..grid import grid_diagram_svg, grid_diagram_tikz

    svg = grid_diagram_svg(f.mdp)
    return Figure("grid", runs(_(
        "The model as a grid: each cell is a state (terminal states grey, walls dark); a "
        "move beyond the neighbouring cells is a curved arrow with its reward.")),
        tikz=grid_diagram_tikz(f.mdp, cell=_cell(f.mdp, 1)), svg=svg,
        files=_svg_file(f, "grid", svg))


def _gamma(g) -> Math:
    r"""γ = g, as a short decimal where it is one (0.9, not 9/10, in a caption).

    >>> _gamma(sympy.Rational(9, 10)).latex, _gamma(sympy.Rational(1, 3)).text
    ('\\gamma = 0.9', 'γ = 1/3')
    """
    for places in range(4):
        scaled = g * 10 ** places
        if scaled.is_Integer:
            text = fixed_text(g, places)
            return Math(r"\gamma = %s" % text, f"γ = {text}")
    return gamma_is(g)


def _at(f: Facts, g) -> tuple:
    if g == f.mdp.discount:
        return said(_("at {gamma}"), gamma=_gamma(g))
    return said(_("at {gamma} (the model leaves γ as a symbol)"), gamma=_gamma(g))


def values_grid_blocks(f: Facts, values_at: dict) -> list:
    """v_π on the grid (Figure 3.2) and, within the budget, v_k of iterative policy
    evaluation (Figure 4.1).

    ``values_at`` maps discounts to v_π there (the handout's table of values); v_π at
    :func:`grid_discount` is taken from it, or solved.
    """
    from ...core.errors import SymbellmanError
    from ..grid import iteration_grids_svg, iteration_grids_tikz, values_grid_svg, \
        values_grid_tikz

    g = grid_discount(f)
    if g is None:
        return _left_out(f, "v_π" if not f.mdp.is_mrp else "v")
    study = f.study.at_discount(g)
    mdp, policy = study.mdp, study.shown_policy
    if g in values_at:
        v = values_at[g]
    else:
        try:
            v = study.v
        except SymbellmanError as exc:  # no finite value there: say so
            return [Note(runs(_("(The values grid is left out: {error}.)").format(
                error=exc)))]
    values = {s: (0 if mdp.is_terminal(s) else v[s]) for s in mdp.states}
    what = "v" if mdp.is_mrp else "v_π"
    head = Math(r"v_\pi" if not mdp.is_mrp else "v", what)
    files = _svg_file(f, "grid-values", values_grid_svg(mdp, values))
    blocks = [Answer(Figure("grid-values", said(_(
        "{v} on the grid {at}, one decimal, shaded from lowest (white) to highest (blue); "
        "compare Sutton & Barto, Figure 3.2."), v=head, at=_at(f, g)),
        tikz=values_grid_tikz(mdp, values, cell=_cell(mdp, 1)),
        fallback=said(_("(Write {v} {at} into the cells of the grid of section 1.)"),
                      v=head, at=_at(f, g)), files=files),
        "line")]
    rows, columns = require_grid(mdp)
    if rows * columns > f.budgets.iteration_cells:
        return blocks
    greedy = bool(mdp.terminal) and not mdp.is_mrp
    per_row = 2 if greedy else 3
    cell = _cell(mdp, per_row * (2 if greedy else 1))
    files = _svg_file(f, "grid-iteration", iteration_grids_svg(study, None, SWEEPS,
                                                               per_row=per_row, greedy=greedy))
    blocks.append(Answer(Figure("grid-iteration", said(
        _("Iterative policy evaluation {at}: {vk} after k sweeps from {v0} ({inf} is {v}); "
          "beside each, the greedy policy with respect to it; compare Sutton & Barto, "
          "Figure 4.1.") if greedy else
        _("Iterative policy evaluation {at}: {vk} after k sweeps from {v0} ({inf} is {v}); "
          "compare Sutton & Barto, Figure 4.1."),
        at=_at(f, g), vk=Math("v_k", "v_k"), v0=Math("v_0 = 0", "v_0 = 0"),
        inf=Math(r"k = \infty", "k = ∞"), v=head),
        tikz=iteration_grids_tikz(study, None, SWEEPS, cell=cell, per_row=per_row,
                                  greedy=greedy),
        fallback=said(_("(Sweep from {v0} and write {vs} into copies of the grid of "
                        "section 1.)"), v0=Math("v_0 = 0", "v_0 = 0"),
                      vs=Math("v_1, v_2, v_3", "v_1, v_2, v_3")), files=files),
        "line"))
    return blocks


def optimal_grid_blocks(f: Facts) -> list:
    """v* and every optimal action on the grid, side by side (Figure 3.5)."""
    from ...core.errors import SymbellmanError
    from ..grid import policy_grid_svg, policy_grid_tikz, values_grid_svg, values_grid_tikz

    if f.mdp.is_mrp:
        return []
    g = grid_discount(f)
    if g is None:
        return _left_out(f, "v*")
    study = f.study.at_discount(g)
    mdp = study.mdp
    try:
        best = study.optimum
    except SymbellmanError as exc:
        return [Note(runs(_("(The optimal grids are left out: {error}.)").format(error=exc)))]
    cell = _cell(mdp, 2)
    files = _svg_file(f, "grid-optimal", side_by_side_svg(
        [values_grid_svg(mdp, best.v_star), policy_grid_svg(mdp, best.policy)],
        _("{model}: v* and the optimal actions").format(model=mdp.name or _("model"))))
    return [Answer(Figure("grid-optimal", said(_(
        "{v} (left) and every optimal action (right) on the grid {at}; ties draw several "
        "arrows, a dashed arrow is a jump; compare Sutton & Barto, Figure 3.5."),
        v=Math("v_*", "v*"), at=_at(f, g)),
        tikz=(values_grid_tikz(mdp, best.v_star, cell=cell) + "\\qquad\n"
              + policy_grid_tikz(mdp, best.policy, cell=cell)),
        fallback=said(_("(Write {v} and draw the optimal actions as arrows into the cells "
                        "of the grid of section 1.)"), v=Math("v_*", "v*")), files=files),
        "line")]


def piece_grid_blocks(f: Facts, pieces, spans: list) -> list:
    """One arrow grid per piece of the optimal policy over γ, each under its range
    ``spans[i]`` (a pair of LaTeX and text), as the grid of v* is drawn: a grid shows the
    policy at a glance where a paragraph of 16 or 100 actions does not.

    An exercise sheet shows the instruction only: as many grids as pieces would give
    the answer away."""
    from ..grid import policy_grid_svg, policy_grid_tikz

    mdp = f.mdp
    cell = _cell(mdp, 3)
    drawings = []
    for p, (latex, _text) in zip(pieces, spans):
        drawings.append("\\begin{tabular}{@{}c@{}}\n%s\\\\[0.5ex]\n\\small $%s$\n"
                        "\\end{tabular}" % (policy_grid_tikz(mdp, p.policy, cell=cell), latex))
    files = _svg_file(f, "grid-pieces", side_by_side_svg(
        [policy_grid_svg(mdp, p.policy) for p in pieces],
        _("{name}: the optimal actions over γ, piece by piece").format(
            name=mdp.name or "model")))
    caption = runs(_("The optimal actions on each range of γ, left to right: "),
                   *[part for i, (latex, text) in enumerate(spans)
                     for part in ((", " if i else ""), Math(latex, text))], ".")
    return [Answer(Figure("grid-pieces", caption, tikz="\n\\quad\n".join(drawings) + "\n",
                          fallback=runs(_("(For each range of γ on which the optimal "
                                          "policy stays the same, draw its actions as "
                                          "arrows on a copy of the grid of section 1.)")),
                          files=files), "line")]
