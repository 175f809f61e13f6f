r"""Grid figures of a grid model: TikZ for PDF and ``latex``, SVG for Markdown and HTML.

What each cell shows comes from :mod:`symbellman.render.grid_cells`; this module only lays it out,
once, as shapes in cell units (:mod:`.canvas`), which are then written as TikZ or SVG,
so that both always agree:

- :func:`values_grid_tikz` / :func:`values_grid_svg`: the values as numbers in the
  cells, shaded from white (lowest) to blue (highest), terminal states grey (Sutton &
  Barto, Figures 3.2 and 3.5);
- :func:`policy_grid_tikz` / :func:`policy_grid_svg`: a policy (for example every
  optimal action) as arrows from the centre of each cell, ties as several arrows; a
  jump (A → A') dashed, staying put a dot, leaving the grid a ring (Figure 3.5);
- :func:`iteration_grids_tikz` / :func:`iteration_grids_svg`: v_k of iterative policy
  evaluation as a row of small grids (Figure 4.1);
- :func:`grid_diagram_tikz` / :func:`grid_diagram_svg`: the state diagram of a grid
  model, which is the grid itself with the state names, and the jumps drawn as curved
  arrows labelled with their rewards (Figure 3.2, left).

The TikZ needs only ``\usepackage{tikz}`` (no libraries). Every arrow cell also holds
its arrows as invisible text (↑ → ↖ ...), so that copying from the PDF, or
``pdftotext``, gives the policy as text. :func:`grid_sections` is what
``symbellman latex --what grid`` prints.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Mapping, Sequence

import sympy

from .grid_cells import (Arrow, greedy_actions, iteration_panels, jumps, places, policy_arrows,
                         require_grid, value_cells)
from ..core.i18n import _
from ..model.mdp import MDP
from .canvas import INK, Box, Curve, Dot, Label, Segment, bounds, shift, to_svg, to_tikz
from .latex import escape, title_latex

__all__ = ["values_grid_tikz", "values_grid_svg", "policy_grid_tikz", "policy_grid_svg",
           "iteration_grids_tikz", "iteration_grids_svg", "grid_diagram_tikz",
           "grid_diagram_svg", "grid_sections", "add_grid_sections"]

#: Colours (red, green, blue): the lowest value is white, the highest HIGH.
WHITE = (255, 255, 255)
HIGH = (120, 170, 225)
TERMINAL = (205, 205, 205)
WALL = (90, 90, 90)
#: The figures of one row must fit this width (cm): an A4 page with 2 cm margins.
TEXT_WIDTH = 17


def _mix(shade: Fraction) -> tuple:
    """The colour ``shade`` of the way from WHITE to HIGH, computed exactly then rounded."""
    return tuple(int(round(Fraction(w) + shade * (h - w))) for w, h in zip(WHITE, HIGH))


def _number(text: str) -> tuple[str, str]:
    """A decimal as LaTeX (true minus sign, in math) and as Unicode."""
    return f"${text}$", text.replace("-", "\u2212")


def _cells(mdp: MDP, fill) -> list:
    """The boxes of the grid: walls dark, states filled by ``fill(state)``; beside states too."""
    shapes = []
    rows, columns = require_grid(mdp)
    for i, row in enumerate(mdp.layout.grid):
        for j, s in enumerate(row):
            if s is None:
                shapes.append(Box(j - .5, -i - .5, j + .5, -i + .5, WALL))
    for p in places(mdp).values():
        x, y = float(p.x), float(p.y)
        shapes.append(Box(x - .5, y - .5, x + .5, y + .5, fill(p.state)))
        if not p.in_grid:
            shapes.append(Label(x, y + .5 + .12, escape(p.state), p.state, 6))
    shapes.append(Box(-.5, -rows + .5, columns - .5, .5, None, INK, 0.8))
    return shapes


def _values_shapes(mdp: MDP, values: Mapping, digits: int, dx: float = 0, dy: float = 0
                   ) -> list:
    cells = {c.place.state: c for c in value_cells(mdp, values, digits)}

    def fill(s):
        c = cells[s]
        return TERMINAL if c.shade is None else _mix(c.shade)
    shapes = _cells(mdp, fill)
    for c in cells.values():
        tex, text = _number(c.text)
        shapes.append(Label(float(c.place.x), float(c.place.y), tex, text))
    return [shift(s, dx, dy) for s in shapes]



#: Arrow glyphs for the invisible text layer: (LaTeX, Unicode) per compass direction.
_GLYPHS = {"N": (r"\uparrow", "↑"), "S": (r"\downarrow", "↓"), "E": (r"\rightarrow", "→"),
           "W": (r"\leftarrow", "←"), "NE": (r"\nearrow", "↗"), "NW": (r"\nwarrow", "↖"),
           "SE": (r"\searrow", "↘"), "SW": (r"\swarrow", "↙")}
_JUMP_GLYPHS = {"N": (r"\Uparrow", "⇑"), "S": (r"\Downarrow", "⇓"),
                "E": (r"\Rightarrow", "⇒"), "W": (r"\Leftarrow", "⇐")}
_COMPASS = ("E", "NE", "N", "NW", "W", "SW", "S", "SE")


def _glyph(arrow: Arrow) -> tuple[str, str]:
    if arrow.kind == "stay":
        return r"\cdot", "·"
    if arrow.kind == "spread":
        axes = {(dx == 0, dy == 0) for dx, dy in arrow.spread}
        if axes == {(True, False)} and len(arrow.spread) == 2:
            return r"\updownarrow", "↕"
        if axes == {(False, True)} and len(arrow.spread) == 2:
            return r"\leftrightarrow", "↔"
        return r"\ast", "∗"
    if arrow.kind == "leave":
        return r"\circ", "∘"
    name = arrow.compass or _COMPASS[int((arrow.angle + 22.5) // 45) % 8]
    if arrow.kind == "jump" and name in _JUMP_GLYPHS:
        return _JUMP_GLYPHS[name]
    return _GLYPHS[name]


def _arrow_shapes(x: float, y: float, arrows: Sequence[Arrow]) -> list:
    """Arrows from the cell's centre (several radiate from it; one alone is centred)."""
    shapes = []
    pointing = [a for a in arrows if a.kind in ("move", "jump")]
    for a in arrows:
        if a.kind == "stay":
            shapes.append(Dot(x, y, .07))
        elif a.kind == "leave":
            shapes.append(Dot(x, y, .12, filled=False))
        elif a.kind == "spread":  # thin arrows to each cell it may slide to
            for sx, sy in a.spread:
                length = math.hypot(sx, sy)
                shapes.append(Segment(x, y, x + .3 * float(sx) / length,
                                       y + .3 * float(sy) / length, width=.5))
    for a in pointing:
        ux, uy = math.cos(math.radians(a.angle)), math.sin(math.radians(a.angle))
        start = -.3 if len(pointing) == 1 else .0
        end = .3 if len(pointing) == 1 else .38
        shapes.append(Segment(x + start * ux, y + start * uy, x + end * ux, y + end * uy,
                               dashed=a.kind == "jump"))
    if arrows:
        glyphs = [_glyph(a) for a in arrows]
        shapes.append(Label(x, y, "$" + "".join(g[0] for g in glyphs) + "$",
                             "".join(g[1] for g in glyphs), 9, invisible=True))
    return shapes


def _policy_shapes(mdp: MDP, actions_by_state: Mapping[str, Sequence[str]]) -> list:
    shapes = _cells(mdp, lambda s: TERMINAL if mdp.is_terminal(s) else None)
    where = places(mdp)
    for s, arrows in policy_arrows(mdp, actions_by_state).items():
        shapes += _arrow_shapes(float(where[s].x), float(where[s].y), arrows)
    return shapes


def _toward(x: float, y: float, tx: float, ty: float, distance: float) -> tuple:
    """The point ``distance`` from (x, y) on the way to (tx, ty)."""
    length = ((tx - x) ** 2 + (ty - y) ** 2) ** .5 or 1.0
    return x + distance * (tx - x) / length, y + distance * (ty - y) / length


def _diagram_shapes(mdp: MDP) -> list:
    shapes = _cells(mdp, lambda s: TERMINAL if mdp.is_terminal(s) else None)
    where = places(mdp)
    for p in where.values():
        if p.in_grid:
            # names at the top of the cell leave its centre to the arrows
            shapes.append(Label(float(p.x), float(p.y) + .3, escape(p.state), p.state, 6))
    rows, columns = require_grid(mdp)
    middle = ((columns - 1) / 2, -(rows - 1) / 2)
    for j in jumps(mdp):
        a, b = where[j.source], where[j.target]
        x0, y0, x1, y1 = float(a.x), float(a.y), float(b.x), float(b.y)
        # bend by a third of the distance, towards the middle of the grid (stay inside it)
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        ox, oy = (y1 - y0) / 3, -(x1 - x0) / 3
        if (mx + ox - middle[0]) ** 2 + (my + oy - middle[1]) ** 2 > \
                (mx - ox - middle[0]) ** 2 + (my - oy - middle[1]) ** 2:
            ox, oy = -ox, -oy
        cx, cy = mx + ox, my + oy
        reward = sympy.sympify(j.reward)
        sign = "+" if reward.is_number and reward > 0 else ""
        sx, sy = _toward(x0, y0, cx, cy, .3)
        ex, ey = _toward(x1, y1, cx, cy, .3)
        shapes.append(Curve(sx, sy, ex, ey, cx, cy, f"${sign}{sympy.latex(reward)}$",
                            f"{sign}{reward}".replace("-", "\u2212")))
    return shapes



def _value_titles(mdp: MDP, values: Mapping) -> dict:
    result = {}
    for p in places(mdp).values():
        exact = str(values[p.state])
        result[(float(p.x), float(p.y))] = (f"{p.state}: {exact}" if len(exact) <= 60
                                            else p.state)
    return result


# -- the public figures ------------------------------------------------------------------------
def values_grid_tikz(mdp: MDP, values: Mapping, digits: int = 1, *, cell: float = 1.0) -> str:
    r"""A values grid in TikZ: each state's value in its cell, shaded by value.

    Parameters
    ----------
    mdp : MDP
        The model whose layout grid is drawn, one cell per state.
    values : mapping of state to exact number
        What each cell shows: ``solve_v(mdp, policy)`` at a numeric discount, or
        ``optimal(mdp).v_star``.
    digits : int
        Decimals in each cell (rounded exactly; see :func:`symbellman.render.grid_cells.fixed_text`).
    cell : float
        The side of a cell in centimetres.

    Examples
    --------
    Sutton & Barto, Figure 3.2: the random policy's values, 3.3 in the top-left cell.

    >>> from symbellman import solve_v
    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> m = sutton_barto_gridworld_5x5()
    >>> tikz = values_grid_tikz(m, solve_v(m))
    >>> tikz.splitlines()[0]
    '\\begin{tikzpicture}[x=1cm,y=1cm,>=stealth]'
    >>> "{$3.3$}" in tikz and "{$-2.0$}" in tikz
    True
    """
    return to_tikz(_values_shapes(mdp, values, digits), cell)


def values_grid_svg(mdp: MDP, values: Mapping, digits: int = 1) -> str:
    """The values grid of :func:`values_grid_tikz` as a standalone SVG document.

    Hovering a cell shows the state and its exact value. Figure 3.2 again, 8.8 in A's cell:

    >>> from symbellman import solve_v
    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5 as figure_3_2
    >>> svg = values_grid_svg(figure_3_2(), solve_v(figure_3_2()))
    >>> svg.startswith("<svg") and ">8.8</text>" in svg and ">\u22122.0</text>" in svg
    True
    """
    return to_svg(_values_shapes(mdp, values, digits),
                  _("{name}: values").format(name=mdp.name or _("model")),
                  _value_titles(mdp, values))


def policy_grid_tikz(mdp: MDP, actions_by_state: Mapping[str, Sequence[str]], *,
                     cell: float = 1.0) -> str:
    r"""A policy grid in TikZ: the chosen actions of each state as arrows in its cell.

    Parameters
    ----------
    actions_by_state : mapping of state to sequence of actions
        For example ``optimal(mdp).policy`` (every optimal action: ties draw several
        arrows).

    Examples
    --------
    Figure 3.5: north and east are both optimal in r1c0 (two arrows from the centre);
    every action in A jumps to A' below it (one dashed arrow down).

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> m = sutton_barto_gridworld_5x5()
    >>> tikz = policy_grid_tikz(m, {"r1c0": ["north", "east"], "r0c1": m.actions("r0c1")})
    >>> r"\draw[->,line width=1pt] (0,-1) -- (0,-0.62);" in tikz
    True
    >>> r"{$\uparrow\rightarrow$}" in tikz and r"{$\Downarrow$}" in tikz
    True
    """
    return to_tikz(_policy_shapes(mdp, actions_by_state), cell)


def policy_grid_svg(mdp: MDP, actions_by_state: Mapping[str, Sequence[str]]) -> str:
    """The policy grid of :func:`policy_grid_tikz` as SVG; hovering names the actions.

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> m = sutton_barto_gridworld_5x5()
    >>> svg = policy_grid_svg(m, {"r1c0": ["north", "east"]})
    >>> svg.count("<line"), "<title>r1c0: north, east</title>" in svg
    (2, True)
    """
    where = places(mdp)
    titles = {(float(where[s].x), float(where[s].y)): f"{s}: {_(', ').join(actions)}"
              for s, actions in actions_by_state.items()}
    return to_svg(_policy_shapes(mdp, actions_by_state),
                  _("{name}: policy").format(name=mdp.name or _("model")),
                  titles)


def _iteration_layout(mdp, policy, ks, digits: int, cell: float, per_row: int | None,
                      greedy: bool):
    from ..study import Study

    study = Study.of(mdp, policy)  # k = ∞ is the study's v_π, solved once
    mdp = study.mdp
    panels = iteration_panels(study, None, ks)
    x0, y0, x1, y1 = bounds(_cells(mdp, lambda s: None))
    grid_width, gap = x1 - x0, .6
    width = 2 * grid_width + gap / 2 if greedy else grid_width
    if per_row is None:  # as many as fit, then balanced: 6 grids in rows of 3, not 5 + 1
        fit = max(1, int((TEXT_WIDTH / cell + gap) // (width + gap)))
        rows = -(-len(panels) // fit)
        per_row = -(-len(panels) // rows)
    shapes = []
    for n, panel in enumerate(panels):
        row, column = divmod(n, per_row)
        dx = column * (width + gap)
        dy = -row * (y1 - y0 + 1.0)
        shapes += _values_shapes(mdp, panel.values, digits, dx, dy)
        if greedy:
            arrows = _policy_shapes(mdp, greedy_actions(mdp, panel.values))
            shapes += [shift(s, dx + grid_width + gap / 2, dy) for s in arrows]
        k_tex, k_text = ((r"\infty", "∞") if panel.k is None else (str(panel.k), str(panel.k)))
        shapes.append(Label(x0 + width / 2 + dx, y1 + .3 + dy, f"$k = {k_tex}$",
                             f"k = {k_text}", 10))
    return shapes


def iteration_grids_tikz(mdp: MDP, policy=None, ks: Sequence[int | None] = (0, 1, 2, 3, 10, None),
                         digits: int = 1, *, cell: float = .8, per_row: int | None = None,
                         greedy: bool = False) -> str:
    r"""v_k of iterative policy evaluation as a row of small grids (Figure 4.1), in TikZ.

    Parameters
    ----------
    mdp, policy : MDP and Policy, or a Study
        The model and its policy (by default the equiprobable random policy), or their
        :class:`~symbellman.study.Study`.
    ks : sequence of int or None
        The sweeps shown; None is k = ∞ (v_π, solved exactly).
    per_row : int, optional
        Grids per row; by default as many as fit a 17 cm text width.
    greedy : bool
        Draw beside each grid the greedy policy with respect to v_k (ties as several
        arrows), as the right column of Figure 4.1 does.

    Examples
    --------
    Sutton & Barto, Figure 4.1: after two sweeps the cell next to a corner holds −1.7.

    >>> from symbellman.model.examples import sutton_barto_gridworld_4x4
    >>> tikz = iteration_grids_tikz(sutton_barto_gridworld_4x4(), ks=(2, None))
    >>> "{$k = 2$}" in tikz and "{$k = \\infty$}" in tikz and "{$-1.7$}" in tikz
    True
    """
    return to_tikz(_iteration_layout(mdp, policy, ks, digits, cell, per_row, greedy), cell)


def iteration_grids_svg(mdp: MDP, policy=None, ks: Sequence[int | None] = (0, 1, 2, 3, 10, None),
                        digits: int = 1, *, per_row: int | None = None,
                        greedy: bool = False) -> str:
    """The grids of :func:`iteration_grids_tikz` as SVG.

    >>> from symbellman.model.examples import sutton_barto_gridworld_4x4
    >>> svg = iteration_grids_svg(sutton_barto_gridworld_4x4(), ks=(1,))
    >>> ">k = 1</text>" in svg and svg.count(">\u22121.0</text>")
    14
    """
    name = getattr(mdp, "mdp", mdp).name  # a model, or a study of one
    return to_svg(_iteration_layout(mdp, policy, ks, digits, .8, per_row, greedy),
                _("{name}: iterative policy evaluation").format(name=name or _("model")))


def grid_diagram_tikz(mdp: MDP, *, cell: float = 1.0) -> str:
    r"""The state diagram of a grid model: the grid with its state names, terminal states
    grey, walls dark, and each jump (a move beyond the neighbouring cells) as a curved
    arrow labelled with its reward, as in Sutton & Barto's Figure 3.2 (left).

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> tikz = grid_diagram_tikz(sutton_barto_gridworld_5x5())
    >>> tikz.count(".. controls"), "{$+10$}" in tikz, "{r0c0}" in tikz
    (2, True, True)
    """
    return to_tikz(_diagram_shapes(mdp), cell)


def grid_diagram_svg(mdp: MDP) -> str:
    """The grid diagram of :func:`grid_diagram_tikz` as SVG.

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> svg = grid_diagram_svg(sutton_barto_gridworld_5x5())
    >>> svg.count(" Q"), ">+5</text>" in svg
    (2, True)
    """
    return to_svg(_diagram_shapes(mdp),
                  _("{name}: the grid").format(name=mdp.name or _("model")))


# -- symbellman latex --what grid --------------------------------------------------------------
def grid_sections(mdp, policy=None, digits: int = 1) -> list[tuple[str, str]]:
    r"""The ``grid`` part of ``symbellman latex``: (title, LaTeX) pairs.

    The values of the policy on the grid, and where the optimum is computable (no
    symbol left) v* and the optimal actions side by side; a model for which it is not
    says why in a LaTeX comment.

    Raises
    ------
    ModelError
        Without a layout grid, or when a value is not a number (a symbolic discount:
        give ``--at gamma=9/10``).

    Examples
    --------
    >>> from symbellman.model.examples import sutton_barto_gridworld_4x4
    >>> [title for title, _ in grid_sections(sutton_barto_gridworld_4x4())]
    ['v_pi on the grid (one decimal)', 'v_star and the optimal actions on the grid']
    """
    from ..core.errors import ModelError, SolveError
    from ..study import Study

    study = Study.of(mdp, policy)  # a model and policy, or their study
    mdp = study.mdp
    require_grid(mdp)
    left = sorted(x.name for x in (*mdp.symbols, *mdp.discount.free_symbols))
    if left:
        raise ModelError(f"the values grid needs numbers, but {', '.join(left)} "
                         f"{'has' if len(left) == 1 else 'have'} no value",
                         place="--what grid", hint=f"give it with --at {left[0]}=...")
    decimals = "one decimal" if digits == 1 else f"{digits} decimals"
    sections = [(f"v_pi on the grid ({decimals})",
                 _center(values_grid_tikz(mdp, study.v, digits)))]
    if mdp.is_mrp:
        return sections
    try:
        best = study.optimum
    except SolveError as exc:
        return sections + [("v_star on the grid", f"% left out: {exc}\n")]
    sections.append(("v_star and the optimal actions on the grid",
                      _center(values_grid_tikz(mdp, best.v_star, digits) + r"\qquad" + "\n"
                              + policy_grid_tikz(mdp, best.policy))))
    return sections


def _center(body: str) -> str:
    return "\\begin{center}\n" + body + "\\end{center}\n"


def add_grid_sections(document: str, mdp, policy=None, *, standalone: bool = False
                      ) -> str:
    r"""``document`` (what ``latex_document`` wrote) with the grid sections added at its end.

    >>> from symbellman.model.examples import sutton_barto_gridworld_4x4
    >>> text = add_grid_sections("", sutton_barto_gridworld_4x4())
    >>> text.splitlines()[0]
    '% v_pi on the grid (one decimal)'
    """

    sections = grid_sections(mdp, policy)
    if standalone:
        body = "".join("\\subsection*{%s}\n%s\n" % (title_latex(t), b) for t, b in sections)
        end = "\n\\end{document}\n"
        head = document[:-len(end)] if document.endswith(end) else document
        return head + body + end
    parts = "\n".join(f"% {t}\n{b}" for t, b in sections)
    return f"{document}\n{parts}" if document else parts
