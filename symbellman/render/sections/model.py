"""Section 1 of a handout: the model in words, as a table (one row per transition, or per
kind of transition for a large model) and as a state diagram."""

from __future__ import annotations

import re

import sympy

from ...core.errors import SymbellmanError
from ...core.i18n import _, space, spaced
from ...model.mdp import MDP
from ...model.policy import Policy
from ...text.typeset import to_latex
from ..document import Figure, Math, Note, Paragraph, Section, Table, runs
from .common import Facts, number, symbols_math
from .grids import grid_diagram_figure, has_grid

__all__ = ["model_section"]


def _words(mdp: MDP, policy: Policy | None) -> tuple:
    n = len(mdp.states)
    terminal = mdp.terminal
    sentences = []
    names = ", ".join(mdp.states)
    if mdp.is_mrp:
        first = _("A Markov reward process with {n} states ({names})")
    else:
        first = _("A Markov decision process with {n} states ({names})")
    first = first.format(n=n, names=names)
    if not terminal:
        first += _("; nothing is terminal")
    elif len(terminal) == 1:
        first += _("; {state} is terminal (value 0)").format(state=terminal[0])
    else:
        first += _("; {states} are terminal (value 0)").format(states=", ".join(terminal))
    sentences.append(first + _("."))
    if not mdp.is_mrp:
        sentences.append(_("There are {n} state-action pairs.").format(
            n=len(mdp.state_action_pairs)))
        kind = policy.kind if policy is not None else "uniform"
        sentences.append({"uniform": _("The policy π picks every action of a state with "
                                       "equal probability."),
                          "deterministic": _("The policy π is deterministic.")}.get(
            kind, _("The policy π is stochastic, with the weights in the table.")))
        sentences.append(_("Rewards are on (s, a, s'): r(s, a, s') is received on the move "
                           "from s to s' after action a."))
    else:
        sentences.append(_("Rewards are on (s, s'); where a state's reward does not depend "
                           "on s' it is the state's reward R_s."))
    d = mdp.discount
    out = [*_described(mdp), spaced(sentences) + space()]
    if not d.free_symbols:
        out += [_("The discount is γ = {gamma}.").format(gamma=d)]
    else:
        before, _sep, after = _("The discount {gamma} is left as a symbol.").partition(
            "{gamma}")
        out += [before, Math(sympy.latex(d), str(d).replace("gamma", "γ")), after]
    if mdp.symbols:
        out += [_(" Parameters: "), symbols_math(mdp.symbols), _(".")]
    return runs(*out)


def _described(mdp: MDP) -> list:
    """The model's description as runs, each name of a symbol in it set as maths
    (``r_bloom`` as r with the subscript bloom, not a raw underscore)."""
    if not mdp.description:
        return []
    text = mdp.description.strip()
    names = sorted({s.name for s in (*mdp.symbols, *mdp.discount.free_symbols)},
                   key=len, reverse=True)
    if not names:
        return [text + space()]
    out, at = [], 0
    pattern = r"(?<![\w.])(%s)(?!\w)" % "|".join(map(re.escape, names))
    for m in re.finditer(pattern, text):
        out += [text[at:m.start()], Math(to_latex(sympy.Symbol(m.group(1))), m.group(1))]
        at = m.end()
    return [*out, text[at:] + space()]


def _kinds_table(mdp: MDP, policy: Policy | None) -> Table:
    """One row per kind of transition: (action, probability, reward), with how many
    transitions are of that kind and one of them."""
    kinds: dict = {}
    for s in mdp.nonterminal:
        for a in mdp.actions(s):
            for o in mdp.outcomes(s, a):
                key = (None if mdp.is_mrp else a, o.probability, o.reward)
                if key not in kinds:
                    kinds[key] = [0, s, o]
                kinds[key][0] += 1
    header = ([] if mdp.is_mrp else [(Math("a", "a"),)]) + [
        (Math(r"p(s' \mid s, a)" if not mdp.is_mrp else r"p(s' \mid s)", "p"),),
        (Math("r", "r"),), runs(_("transitions")), runs(_("for example"))]
    rows = []
    order = {a: i for i, a in enumerate(dict.fromkeys(k[0] for k in kinds))}
    # kinds of one action together, so the action is written once (``grouped``)
    for (a, _p, _r), (count, s, o) in sorted(kinds.items(), key=lambda kv: order[kv[0][0]]):
        rows.append(([] if mdp.is_mrp else [runs(a)])
                    + [(number(o.probability, o.probability_text),),
                       (number(o.reward, o.reward_text),), runs(str(count)),
                       runs(s, " → ", o.next_state)])
    return Table(header, rows, align=("" if mdp.is_mrp else "l") + "llrl",
                 grouped=0 if mdp.is_mrp else 1)


def _model_table(mdp: MDP, policy: Policy | None) -> Table:
    if mdp.is_mrp:
        header = [(Math("s", "s"),), (Math("s'", "s'"),), (Math(r"p(s' \mid s)", "p(s'|s)"),),
                  (Math(r"r(s, s')", "r"),)]
    else:
        header = [(Math("s", "s"),), (Math("a", "a"),), (Math(r"\pi(a \mid s)", "π(a|s)"),),
                  (Math("s'", "s'"),), (Math(r"p(s' \mid s, a)", "p(s'|s,a)"),),
                  (Math(r"r(s, a, s')", "r"),)]
    rows = []
    for s in mdp.nonterminal:
        for a in mdp.actions(s):
            for o in mdp.outcomes(s, a):
                cells = [runs(s), runs(o.next_state), (number(o.probability,
                                                               o.probability_text),),
                         (number(o.reward, o.reward_text),)]
                if not mdp.is_mrp:
                    weight = () if policy is None else (number(policy.weight(s, a)),)
                    cells[1:1] = [runs(a), weight]
                rows.append(cells)
    return Table(header, rows, align="llll" if mdp.is_mrp else "llcllr",
                 grouped=1 if mdp.is_mrp else 3)


def model_section(f: Facts) -> Section:
    from .. import diagram

    blocks = [Paragraph(_words(f.mdp, f.policy))]
    rows = sum(len(f.mdp.outcomes(s, a)) for s in f.mdp.nonterminal for a in f.mdp.actions(s))
    if rows <= f.budgets.model_rows:
        blocks.append(_model_table(f.mdp, f.policy))
    else:
        blocks += [Note(runs((_("The model has {rows} transitions; the table gives one row "
                                "per kind (action, probability, reward), with how many "
                                "transitions are of that kind.") if f.mdp.is_mrp else
                              _("The model has {rows} transitions; the table gives one row "
                                "per kind (action, probability, reward), with how many "
                                "transitions are of that kind (the policy's weights are in "
                                "the words above).")).format(rows=rows),
                             _(" The model file lists them all."))),
                   _kinds_table(f.mdp, f.policy)]
    if has_grid(f.mdp):  # the state diagram of a grid model is the grid itself
        blocks.append(grid_diagram_figure(f))
        return Section(runs(_("The model")), blocks)
    if len(f.mdp.states) > f.budgets.diagram_states:
        blocks.append(Note(runs(_("(The state diagram is left out: more than {n} "
                                  "states.)").format(n=f.budgets.diagram_states))))
        return Section(runs(_("The model")), blocks)
    dot = diagram.state_diagram(f.mdp, typeset=True)
    (f.folder / "diagram.dot").write_text(dot)
    try:
        for suffix in f.formats:
            diagram.render(dot, f.folder / f"diagram.{suffix}")
        blocks.append(Figure("diagram", runs(_(
            "State diagram: states are circles (terminal states boxes), small dots are "
            "actions with several outcomes; edges carry the action, the probability and the "
            "reward.")), files={"diagram": {k: f.folder / f"diagram.{k}" for k in f.formats}}))
    except SymbellmanError as exc:  # no dot program, or dot gave up
        blocks.append(Note(runs(_("(State diagram not drawn: {error}.)").format(error=exc))))
        return Section(runs(_("The model")), blocks, notes=(str(exc),))
    return Section(runs(_("The model")), blocks)
