"""Sections 4 to 6 of a handout: the matrix form and the exact solution, the closed forms
in γ with a table of values, and the plot of v_π against γ."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import sympy
from sympy import Expr, Rational

from ...equations.discounted import expectation_equations, matrix_form
from ...core.errors import SolveError, SymbellmanError
from ..document import Answer, Code, EquationBlock, Figure, Math, Note, Paragraph, Section, Table, runs
from ..closed_forms import closed_form_rows
from ..values import value_latex
from ...core.i18n import _
from .common import (Facts, said, aligned, decimal, gamma_is, symbol_math, symbols_math, value_head,
                     value_rows)

__all__ = ["solution_section", "values_section", "plot_section", "Curves", "curves",
           "write_closed_forms"]


def solution_section(f: Facts, values: "Curves | None" = None) -> Section:
    """Section 4: the matrix form and the exact solution at the model's discount (listed
    state by state within the budget, else pointed to in the table of ``values``)."""
    mdp, policy = f.mdp, f.policy
    m = matrix_form(mdp, policy, notation=f.notation)
    k = len(m.states)
    blocks = [Paragraph(runs(_("Over the non-terminal states {states}:").format(
                  states=", ".join(m.states)))),
              EquationBlock(aligned([m.general_latex()]))]
    if k <= m.max_size:
        blocks.append(EquationBlock(aligned([sympy.latex(m)])))
    else:
        blocks.append(Note(said(_("({P} is {k} by {k}; its rows are the equations "
                                  "above.)"), P=Math(r"P_\pi"), k=str(k))))
    v = f.study.v
    if mdp.discount.free_symbols:
        blocks += [Paragraph(said(_("Solving exactly gives each value as a rational "
                                    "function of {gamma} (section 5)."),
                                  gamma=symbol_math(mdp.discount)))]
        return Section(runs(_("Matrix form and solution")), blocks)
    if f.n > f.budgets.value_states and values is not None and mdp.discount in values.gammas:
        # the table of section 5 has a column at this discount: 100 rows here would
        # print the same numbers twice
        blocks.append(Paragraph(said(_(
            "Solving exactly at {gamma} gives the {n} values of the table in section 5 (its "
            "column {gamma}; the exact fractions are in {file})."),
            gamma=gamma_is(mdp.discount), n=str(f.n),
            file=Code(f"{f.stem}-closed-forms.json"))))
    else:
        rows = []
        for s in mdp.nonterminal:
            rows += value_rows(f, value_head(mdp, "v_pi", s), v[s])
        blocks += [Paragraph(said(_("Solving exactly at {gamma}:"),
                                  gamma=gamma_is(mdp.discount))),
                   Answer(EquationBlock(rows), "number")]
    if not mdp.is_mrp:
        pairs = mdp.state_action_pairs
        if len(pairs) <= f.budgets.q_pairs:
            q = f.study.q
            rows = []
            for s, a in pairs:
                rows += value_rows(f, value_head(mdp, "q_pi", s, a), q[s, a])
            blocks.append(Answer(EquationBlock(rows), "number"))
        else:
            blocks.append(Note(said(_("(The {n} values of {q} are left out: more than "
                                      "{limit} state-action pairs.)"), n=str(len(pairs)),
                                    q=Math(r"q_\pi"), limit=str(f.budgets.q_pairs))))
    return Section(runs(_("Matrix form and solution")), blocks)


def _value_text(value: Expr) -> str:
    if value.is_Rational and len(str(value)) > 14:
        return "≈ " + decimal(value, 4)
    return f"{value} ≈ {decimal(value)}" if not value.is_Integer else str(value)


def _finite_at(f: Facts, g) -> bool:
    """Whether every value is finite at the discount g (no denominator vanishes); the
    values there are kept by the study for the table."""
    try:
        f.study.values_at(g)
    except SolveError:
        return False
    return True


def _default_gammas(f: Facts) -> list:
    finite = _finite_at(f, 1)
    return [Rational(0), Rational(1, 2), Rational(9, 10)] + ([Rational(1)] if finite else [])


def _degrees(text: str, x: str) -> tuple[int, int]:
    """The degrees in x of a closed form's numerator and denominator, read from its text
    ``(num)/(den)`` (cheap, where SymPy's Poly of a degree-100 form takes a second).

    >>> _degrees("(1 - gamma)/(2*gamma**3 + 1)", "gamma")
    (1, 3)
    """

    def degree(part: str) -> int:
        powers = [int(k) for k in re.findall(rf"\b{x}\*\*(\d+)", part)]
        return max(powers + ([1] if re.search(rf"\b{x}\b(?!\*\*)", part) else [0]))

    top, _, bottom = text.partition(")/(")
    return degree(top), degree(bottom)


def _closed_form_blocks(f: Facts, v) -> list:
    """The closed forms in γ within the budget: the states the teacher named, else all of
    a small model, and only those short enough; a note says what was left out."""
    mdp, budgets = f.mdp, f.budgets
    named = set(f.closed_forms)
    unknown = named - set(mdp.nonterminal)
    if unknown:
        raise SymbellmanError(f"--closed-forms names {', '.join(sorted(unknown))}, which "
                              "is not a non-terminal state of the model")
    candidates = [s for s in mdp.nonterminal if s in named] if named else (
        list(mdp.nonterminal) if f.n <= budgets.closed_form_states else [])
    shown = [s for s in candidates if s in named or len(v.text(s)) <= budgets.closed_form_chars]
    rows = []
    for s in shown:
        rows += closed_form_rows(value_head(mdp, "v_pi", s), v[s], width=f.notation.width)
    blocks = [Answer(EquationBlock(rows), "closed form")] if rows else []
    left = [s for s in mdp.nonterminal if s not in shown]
    if left:
        x = v.discount.name
        top = max(_degrees(v.text(s), x)[0] for s in left)
        bottom = max(_degrees(v.text(s), x)[1] for s in left)
        blocks.append(Note(said(
            (_("(The {n} closed forms are left out: rational functions of degree up to "
               "{top} over {bottom} in {gamma}. Every closed form is in {file}; name the "
               "states to print with {option}.)") if not shown else
             _("(The other {n} closed forms are left out: rational functions of degree up "
               "to {top} over {bottom} in {gamma}. Every closed form is in {file}; name the "
               "states to print with {option}.)")),
            n=str(len(left)), top=str(top), bottom=str(bottom), gamma=symbol_math(v.discount),
            file=Code(f"{f.stem}-closed-forms.json"), option=Code("--closed-forms"))))
    return blocks


@dataclass(frozen=True)
class Curves:
    """v_π as closed forms in the discount, and the discounts of the table."""

    v: object
    x: sympy.Symbol
    gammas: tuple
    values: Mapping
    #: the discounts left out of the table, in words for the command line
    notes: tuple = ()


def curves(f: Facts, gammas: Sequence | None) -> Curves:
    mdp = f.mdp
    symbolic = f.study.symbolic
    v = symbolic.v
    x = symbolic.mdp.discount
    if not f.numeric:
        return Curves(v, x, (), {})
    if gammas is None:
        gammas = _default_gammas(f)
        if not mdp.discount.free_symbols and mdp.discount not in gammas:
            gammas = sorted(set(gammas) | {mdp.discount})
    gammas = [sympy.Rational(str(g)) if not isinstance(g, Expr) else g for g in gammas]
    values, notes = {}, []
    for g in gammas:
        try:
            values[g] = f.study.values_at(g)
        except SolveError:
            notes.append(_("the values are not finite at γ = {gamma}; left out of the "
                           "table").format(gamma=g))
    return Curves(v, x, tuple(values), values, tuple(notes))


def values_section(f: Facts, c: Curves) -> Section:
    mdp = f.mdp
    blocks = [Paragraph(said(_("As functions of the discount {gamma}:"),
                             gamma=symbol_math(c.x)))]
    closed = _closed_form_blocks(f, c.v)
    blocks += closed
    if closed and isinstance(closed[0], Answer) and f.numeric:
        # a remark that reads the closed forms, not an answer: as an answer the sheet
        # showed a bare rule under the boxes, with nothing saying what to write on it
        blocks.append(Paragraph(said(_(
            "At {zero} each value is the expected immediate reward; as {gamma} grows, later "
            "rewards count more."), zero=gamma_is(0), gamma=Math(r"\gamma", "γ"))))
    if not f.numeric:
        blocks.append(Note(said(_("The table of values and the plot need numbers for "
                                  "{symbols} (give them with {option})."),
                                symbols=symbols_math(set(mdp.symbols) - {mdp.discount}),
                                option=Code("--at"))))
        return Section(runs(_("Closed forms in γ and values")), blocks, key="values",
                       files=closed_forms_file(f), notes=c.notes)
    header = [runs(_("State"))] + [(gamma_is(g),) for g in c.gammas]
    rows = [[runs(s)] + [(Math(value_latex(c.values[g][s]), _value_text(c.values[g][s])),)
                         for g in c.gammas] for s in mdp.nonterminal]
    blocks.append(Table(header, rows, answer_columns=tuple(range(1, len(c.gammas) + 1))))
    blocks += _substituted(f, c)
    return Section(runs(_("Closed forms in γ and values")), blocks, key="values",
                   files=closed_forms_file(f), notes=c.notes)


def _substituted(f: Facts, c: Curves) -> list:
    """Each equation with the numbers put in, at the model's discount (or the last one of
    the table)."""
    mdp = f.mdp
    symbolic = bool(mdp.discount.free_symbols)
    check_at = (c.gammas[-1] if c.gammas else None) if symbolic else mdp.discount
    if check_at is None:
        return []
    if f.n > f.budgets.substituted_states:
        return [Note(runs(_("(The check with the numbers put in is left out: more than "
                            "{n} states.)").format(n=f.budgets.substituted_states)))]
    values = c.values.get(check_at) or c.v.at({c.x.name: check_at})
    if any(len(str(values[s])) > f.budgets.substituted_value_chars for s in mdp.nonterminal):
        return []
    blocks = [Paragraph(said(_("Check: each equation, with the values put in, at {gamma}:"),
                             gamma=gamma_is(check_at)))]
    for e in expectation_equations(mdp, f.policy, "v", notation=f.notation):
        rows = e.substituted(values, at={c.x.name: check_at} if symbolic else None
                             ).latex_rows(symbolic=True)
        # built up on slides: the equation, then the numbers put in, then the value
        first = len(e.latex_rows())
        reveal = [1] * first + [2] * (len(rows) - first - 1) + [3] if len(rows) > first \
            else [1] * len(rows)
        blocks.append(Answer(EquationBlock(rows, reveal=reveal), "number"))
    return blocks


def plot_section(f: Facts, c: Curves) -> Section:
    from .. import plots

    import matplotlib

    title = said(_("{v} against γ"), v=Math("v" if f.mdp.is_mrp else r"v_\pi",
                                            "v" if f.mdp.is_mrp else "v_π"))
    if f.n > f.budgets.plot_model_states:
        return Section(title, [Note(runs(_("(The plot is left out: more than {n} states; the "
                                           "table above gives the values.)").format(
            n=f.budgets.plot_model_states)))])
    chosen = list(f.mdp.nonterminal)[:f.budgets.plot_states]
    high = 1 if 1 in c.gammas or _finite_at(f, 1) else Rational(99, 100)
    with matplotlib.rc_context({"pdf.fonttype": 42, "svg.hashsalt": "symbellman"}), \
            plots.missing_glyphs() as missing:
        for suffix in f.formats:  # fonttype 42: TrueType in the PDF, not Type 3
            plots.plot_values(c.v, f.folder / f"plot.{suffix}", chosen, high=high,
                              marks=[g for g in c.gammas if 0 < g < 1])
        # the empty frame an exercise sheet leaves for the sketch, as a file for the
        # writers that cannot draw it (LaTeX draws it in TikZ); key: the figure's + "-frame"
        frames = [suffix for suffix in f.formats if suffix != "pdf"]
        for suffix in frames:
            plots.plot_frame(f.folder / f"plot-frame.{suffix}")
    files = {"plot": {k: f.folder / f"plot.{k}" for k in f.formats}}
    if frames:
        files["plot-frame"] = {k: f.folder / f"plot-frame.{k}" for k in frames}
    caption = (_("Each state's value as the discount goes from 0 to 1 (the first {k} of {n} "
                 "states); dotted lines mark the discounts of the table.").format(
                     k=len(chosen), n=f.n) if len(chosen) < f.n else
               _("Each state's value as the discount goes from 0 to 1; dotted lines mark the "
                 "discounts of the table."))
    notes = (_("the plot's fonts have no glyph for {characters}: they show as boxes there"
               ).format(characters=", ".join(missing[:5])),) if missing else ()
    return Section(title, [Paragraph(said(_("Each state's value {v} as a function of {gamma} "
                                            "from 0 to 1:"),
                                          v=Math(r"v_\pi(s)" if not f.mdp.is_mrp else "v(s)"),
                                          gamma=Math(r"\gamma", "γ"))),
                           Answer(Figure("plot", runs(caption), files=files), "plot")],
                   notes=notes)



def closed_forms_file(f: Facts) -> dict:
    """The JSON of every closed form, which goes with the values section (its
    ``files``); :func:`write_closed_forms` writes it once the whole handout is built."""
    return {"closed-forms": {"json": f.folder / "closed-forms.json"}}


def write_closed_forms(path, f: Facts, c: Curves, optimum=None) -> None:
    """Every closed form in γ, and every exact value of the table, as JSON at ``path``
    beside the handout (the text a handout leaves out or shows as decimals); with
    ``optimum``, v* and the optimal actions at the model's discount too (a handout that
    draws them on a grid only)."""

    data = {"model": f.mdp.name, "discount": c.x.name,
            "v": {s: c.v.text(s) for s in f.mdp.nonterminal},
            "values": {str(g): {s: str(c.values[g][s]) for s in f.mdp.nonterminal}
                       for g in c.gammas}}
    if optimum is not None:
        data["optimal"] = {"discount": str(f.mdp.discount),
                           "v_star": {s: str(optimum.v_star[s]) for s in f.mdp.nonterminal},
                           "actions": {s: list(acts) for s, acts in optimum.policy.items()}}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
