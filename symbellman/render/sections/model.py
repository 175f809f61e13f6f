"""Section 1 of a handout: the model in words, as a table (one row per transition, or per
kind of transition for a large model) and as a state diagram."""

from __future__ import annotations

import re

import sympy

from ...errors import SymbellmanError
from ...model import MDP
from ...policy import Policy
from ...typeset import to_latex
from ..document import Figure, Math, Note, Paragraph, Section, Table, runs
from .common import Facts, number, symbols_math
from .grids import grid_diagram_figure, has_grid

__all__ = ["model_section"]


def _words(mdp: MDP, policy: Policy | None) -> tuple:
    n = len(mdp.states)
    terminal = mdp.terminal
    sentences = []
    kind = "Markov reward process" if mdp.is_mrp else "Markov decision process"
    sentences.append(f"A {kind} with {n} states ({', '.join(mdp.states)})"
                     + (f"; {', '.join(terminal)} {'is' if len(terminal) == 1 else 'are'} "
                        "terminal (value 0)" if terminal else "; nothing is terminal") + ".")
    if not mdp.is_mrp:
        sentences.append(f"There are {len(mdp.state_action_pairs)} state-action pairs.")
        kind = policy.kind if policy is not None else "uniform"
        sentences.append({"uniform": "The policy π picks every action of a state with equal "
                                     "probability.",
                          "deterministic": "The policy π is deterministic."}.get(
            kind, "The policy π is stochastic, with the weights in the table."))
        sentences.append("Rewards are on (s, a, s'): r(s, a, s') is received on the move "
                         "from s to s' after action a.")
    else:
        sentences.append("Rewards are on (s, s'); where a state's reward does not depend on "
                         "s' it is the state's reward R_s.")
    d = mdp.discount
    out = [*_described(mdp), " ".join(sentences) + " "]
    out += (["The discount is γ = %s." % d] if not d.free_symbols else
            ["The discount ", Math(sympy.latex(d), str(d).replace("gamma", "γ")),
             " is left as a symbol."])
    if mdp.symbols:
        out += [" Parameters: ", symbols_math(mdp.symbols), "."]
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
        return [text + " "]
    out, at = [], 0
    pattern = r"(?<![\w.])(%s)(?!\w)" % "|".join(map(re.escape, names))
    for m in re.finditer(pattern, text):
        out += [text[at:m.start()], Math(to_latex(sympy.Symbol(m.group(1))), m.group(1))]
        at = m.end()
    return [*out, text[at:] + " "]


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
        (Math("r", "r"),), runs("transitions"), runs("for example")]
    rows = []
    order = {a: i for i, a in enumerate(dict.fromkeys(k[0] for k in kinds))}
    # kinds of one action together, so the action is written once (``grouped``)
    for (a, _, _), (count, s, o) in sorted(kinds.items(), key=lambda kv: order[kv[0][0]]):
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
        blocks += [Note(runs(f"The model has {rows} transitions; the table gives one row per "
                             "kind (action, probability, reward), with how many transitions "
                             "are of that kind", "" if f.mdp.is_mrp else
                             " (the policy's weights are in the words above)",
                             ". The model file lists them all.")),
                   _kinds_table(f.mdp, f.policy)]
    if has_grid(f.mdp):  # the state diagram of a grid model is the grid itself
        blocks.append(grid_diagram_figure(f))
        return Section(runs("The model"), blocks)
    if len(f.mdp.states) > f.budgets.diagram_states:
        blocks.append(Note(runs(f"(The state diagram is left out: more than "
                                f"{f.budgets.diagram_states} states.)")))
        return Section(runs("The model"), blocks)
    dot = diagram.state_diagram(f.mdp, typeset=True)
    (f.folder / "diagram.dot").write_text(dot)
    try:
        for suffix in f.formats:
            diagram.render(dot, f.folder / f"diagram.{suffix}")
        blocks.append(Figure("diagram", runs(
            "State diagram: states are circles (terminal states boxes), small dots are "
            "actions with several outcomes; edges carry the action, the probability and the "
            "reward."), files={"diagram": {k: f.folder / f"diagram.{k}" for k in f.formats}}))
    except SymbellmanError as exc:  # no dot program, or dot gave up
        blocks.append(Note(runs(f"(State diagram not drawn: {exc}.)")))
        return Section(runs("The model"), blocks, notes=(str(exc),))
    return Section(runs("The model"), blocks)
