r"""Teaching handouts: a model, its Bellman equations and their exact solution, in the
order course material uses, as a PDF (through TeX), a ``.tex`` file or Markdown.

:func:`build_handout` makes a :class:`~symbellman.render.document.Document`, one function
per section, and decides everything that is said, including how much of a large model
each section shows (:class:`Budgets`); the writers in :mod:`symbellman.render.writers`
only lay it out. :func:`write_handout` builds, writes and (for a PDF) typesets it.

1. the model in words and as a table, with its state diagram (Graphviz);
2. the definitions of v_π and q_π with their backup diagrams (TikZ);
3. the per-state expectation equations for v_π and q_π and the half-steps joining them;
4. the matrix form and its solution v = (I − γP_π)^{-1} r_π;
5. the closed forms in γ, a table of values at chosen discounts, and the equations with
   the numbers put in;
6. a plot of each state's v_π against γ (matplotlib);
7. the optimality equations, and the optimal values, policy and pieces over γ;
8. for small models, the elimination steps a student would write
   (:mod:`symbellman.elimination`).

With ``exercise=True`` every answer (values, closed forms, worked steps, the plot) is left
blank and the full handout is the separate key.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import sympy
from sympy import Expr, Rational

# The private names below move to public ones in symbellman.typeset; this is the only
# module of the handout that imports them.
from ..equations import (Notation, _coefficient_latex, _decimal, _latex_printer,
                         expectation_equations, general_form, half_steps, matrix_form,
                         optimality_equations)
from ..errors import MissingDependency, SolveError, SymbellmanError
from ..model import MDP
from ..policy import Policy
from ..symbols import gamma, latex_text
from .document import (Answer, BulletList, Code, Document, Emphasis, EquationBlock, Figure,
                       Math, Note, Paragraph, Section, Table, runs)
from .latex import closed_form_rows, value_latex

__all__ = ["Budgets", "HandoutResult", "build_handout", "write_handout", "BACKUP_TIKZ"]


@dataclass(frozen=True)
class Budgets:
    """How much of a model each section shows; past a budget a section says what it
    left out. One place for every size limit of the handout.

    >>> Budgets().closed_form_states
    6
    """

    #: the model table: at most this many rows, else one row per kind of transition
    model_rows: int = 40
    #: the state diagram: at most this many states
    diagram_states: int = 30
    #: per-state equations: all of them up to this many non-terminal states ...
    equation_states: int = 30
    #: ... else only those of the first so many states
    equations_shown: int = 4
    #: q_π solutions and q equations: at most this many state-action pairs
    q_pairs: int = 24
    #: closed forms in γ: at most this many non-terminal states (unless named) ...
    closed_form_states: int = 6
    #: ... and only those at most this long as text (unless named)
    closed_form_chars: int = 600
    #: exact values with more digits print as decimals (the exact ones go to the JSON)
    value_digits: int = 12
    #: equations with the numbers put in: at most this many non-terminal states
    substituted_states: int = 8
    #: ... and only where every value has at most this many characters
    substituted_value_chars: int = 12
    #: the plot: at most this many states ...
    plot_states: int = 8
    #: ... of a model with at most this many non-terminal states
    plot_model_states: int = 30
    #: the worked elimination: at most this many non-terminal states
    worked_states: int = 4
    #: optimal policies over γ: at most this many non-terminal states
    pieces_states: int = 30


@dataclass(frozen=True)
class HandoutResult:
    """What :func:`write_handout` wrote: the files, the TeX logs (one per PDF, in the
    order of ``files``; empty for ``.tex`` and ``.md``), seconds per stage, and the notes
    of what the handout left out."""

    files: tuple
    logs: tuple
    timings: Mapping[str, float]
    notes: tuple


# -- what the builder knows ---------------------------------------------------------------------
@dataclass
class _Facts:
    mdp: MDP
    policy: Policy | None
    notation: Notation
    budgets: Budgets
    folder: Path
    formats: tuple
    closed_forms: tuple = ()
    stem: str = "handout"
    files: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.mdp.nonterminal)

    @property
    def numeric(self) -> bool:
        """No parameter besides the discount."""
        others = set(self.mdp.symbols) | set(self.policy.symbols if self.policy else ())
        return not (others - {self.mdp.discount})


def _head(mdp: MDP, kind: str, state: str, action: str | None = None) -> str:
    base = {"v": "v" if mdp.is_mrp else r"v_\pi", "q": r"q_\pi", "v*": "v_*", "q*": "q_*"}[kind]
    return "%s(%s)" % (base, latex_text(state) + ("" if action is None else
                                                  ", " + latex_text(action)))


def _number(value: Expr, text: str | None = None) -> Math:
    """A number as the model wrote it (0.2 stays 0.2), in LaTeX and as text."""
    plain = text.strip() if text else str(value)
    return Math(_coefficient_latex(value, text, _latex_printer()), plain)


def _gamma_is(value) -> Math:
    return Math(r"\gamma = %s" % sympy.latex(value), f"γ = {value}")


def _symbol(symbol) -> Math:
    r"""A parameter as print shows it: ``alpha`` as α, ``r_search`` as r_{\text{search}}.

    >>> _symbol(sympy.Symbol("r_search")).latex, _symbol(gamma).text
    ('r_{\\text{search}}', 'γ')
    """
    name = symbol.name
    base, _, sub = name.partition("_")
    greek = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
             "lambda": "λ", "theta": "θ", "sigma": "σ", "pi": "π"}
    tex = ("\\" + base if base in greek else base) + (r"_{\text{%s}}" % sub.replace("_", r"\_")
                                                     if sub else "")
    return Math(tex, greek.get(base, base) + ("_" + sub if sub else ""))


def _symbols(symbols) -> tuple:
    """Parameters as a comma-separated list of maths."""
    out = []
    for i, sym in enumerate(sorted(symbols, key=lambda s: s.name)):
        out += ([", "] if i else []) + [_symbol(sym)]
    return runs(*out)


def _with_code(text: str) -> tuple:
    """Plain text with its command-line options (``--at gamma=9/10``) as code.

    >>> _with_code("give --at x=1 here")
    (Text(text='give '), Code(text='--at x=1'), Text(text=' here'))
    """
    import re

    parts = re.split(r"(--[a-z-]+(?: [\w.]+=[^\s,;)]+)?)", text)
    return runs(*[Code(p) if p.startswith("--") else p for p in parts])


def _digits(value: Expr) -> int:
    return len(str(abs(value.p))) + (len(str(value.q)) if value.q != 1 else 0)


def _value_rows(f: "_Facts", lhs: str, value: Expr) -> list:
    """``lhs &= value``: a long exact number as a decimal (the exact one is in the JSON)."""
    if value.is_Rational and _digits(value) > f.budgets.value_digits:
        return [r"%s &\approx %s" % (lhs, _decimal(value, 4))]
    return closed_form_rows(lhs, value, width=f.notation.width)


def _aligned(rows: list) -> list:
    return [r.replace(" = ", " &= ", 1) for r in rows]


# -- 1. the model ---------------------------------------------------------------------------
def _words(mdp: MDP, policy: Policy | None) -> tuple:
    n = len(mdp.states)
    terminal = mdp.terminal
    sentences = []
    if mdp.description:
        sentences.append(mdp.description.strip())
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
    out = [" ".join(sentences) + " "]
    out += (["The discount is γ = %s." % d] if not d.free_symbols else
            ["The discount ", Math(sympy.latex(d), str(d).replace("gamma", "γ")),
             " is left as a symbol."])
    if mdp.symbols:
        out += [" Parameters: ", _symbols(mdp.symbols), "."]
    return runs(*out)


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
    for (a, _, _), (count, s, o) in kinds.items():
        rows.append(([] if mdp.is_mrp else [runs(a)])
                    + [(_number(o.probability, o.probability_text),),
                       (_number(o.reward, o.reward_text),), runs(str(count)),
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
                cells = [runs(s), runs(o.next_state), (_number(o.probability,
                                                               o.probability_text),),
                         (_number(o.reward, o.reward_text),)]
                if not mdp.is_mrp:
                    weight = () if policy is None else (_number(policy.weight(s, a)),)
                    cells[1:1] = [runs(a), weight]
                rows.append(cells)
    return Table(header, rows, align="llll" if mdp.is_mrp else "llcllr",
                 grouped=1 if mdp.is_mrp else 3)


def model_section(f: _Facts) -> Section:
    from . import diagram

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
    if len(f.mdp.states) > f.budgets.diagram_states:
        blocks.append(Note(runs(f"(The state diagram is left out: more than "
                                f"{f.budgets.diagram_states} states.)")))
        return Section(runs("1. The model"), blocks)
    dot = diagram.state_diagram(f.mdp)
    (f.folder / "diagram.dot").write_text(dot)
    try:
        for suffix in f.formats:
            diagram.render(dot, f.folder / f"diagram.{suffix}")
        f.files["diagram"] = {k: f.folder / f"diagram.{k}" for k in f.formats}
        blocks.append(Figure("diagram", runs(
            "State diagram: states are circles (terminal states boxes), small dots are "
            "actions with several outcomes; edges carry the action, the probability and the "
            "reward.")))
    except SymbellmanError as exc:  # no dot program, or dot gave up
        f.notes.append(str(exc))
        blocks.append(Note(runs(f"(State diagram not drawn: {exc}.)")))
    return Section(runs("1. The model"), blocks)


# -- 2. definitions -------------------------------------------------------------------------
BACKUP_TIKZ = r"""\begin{center}
\begin{tikzpicture}[x=1cm,y=1cm,
  st/.style={circle,draw,minimum size=5mm,inner sep=0pt},
  ac/.style={circle,fill,minimum size=2.6mm,inner sep=0pt},
  lab/.style={font=\scriptsize}]
\begin{scope}
  \node[st] (s) at (0,0) {};
  \node[left=2pt] at (s.west) {$s$};
  \node[ac] (a1) at (-1,-1.1) {}; \node[ac] (a2) at (1,-1.1) {};
  \draw (s) -- node[lab,left] {$\pi(a \mid s)$} (a1); \draw (s) -- (a2);
  \node[lab,right] at (a2.east) {$a$};
  \foreach \x/\n in {-1.5/1,-0.5/2,0.5/3,1.5/4} {\node[st] (t\n) at (\x,-2.3) {};}
  \draw (a1) -- (t1); \draw (a1) -- node[lab,right,pos=0.45] {$p$} (t2);
  \draw (a2) -- (t3); \draw (a2) -- node[lab,right] {$r$} (t4);
  \node[lab,right=2pt] at (t4.east) {$s'$};
  \node at (0,-3) {$v_\pi(s)$};
\end{scope}
\begin{scope}[xshift=5cm]
  \node[ac] (a) at (0,0) {};
  \node[left=2pt] at (a.west) {$s, a$};
  \node[st] (u1) at (-1,-1.1) {}; \node[st] (u2) at (1,-1.1) {};
  \draw (a) -- node[lab,left] {$p, r$} (u1); \draw (a) -- (u2);
  \node[lab,right=2pt] at (u2.east) {$s'$};
  \foreach \x/\n in {-1.5/1,-0.5/2,0.5/3,1.5/4} {\node[ac] (b\n) at (\x,-2.3) {};}
  \draw (u1) -- (b1); \draw (u1) -- node[lab,right,pos=0.45] {$\pi$} (b2);
  \draw (u2) -- (b3); \draw (u2) -- (b4);
  \node[lab,right=2pt] at (b4.east) {$a'$};
  \node at (0,-3) {$q_\pi(s, a)$};
\end{scope}
\end{tikzpicture}
\end{center}
"""

_BACKUP_WORDS = ("from a state s (open circle) the policy picks an action a (filled dot) "
                 "with probability π(a|s); the environment answers with s' and r with "
                 "probability p(s'|s, a). v_π(s) averages over both levels; q_π(s, a) starts "
                 "at the action and averages over s' and then π(a'|s').")


def _backup_figure(f: _Facts) -> Figure:
    from . import diagram

    if "png" in f.formats:  # Markdown has no TikZ, so Graphviz draws them
        try:
            diagram.render(diagram.backup_diagrams(), f.folder / "backup.png")
            f.files["backup"] = {"png": f.folder / "backup.png"}
        except MissingDependency:
            pass
    return Figure("backup", runs(Emphasis("Backup diagrams"), ": " + _BACKUP_WORDS),
                  tikz=BACKUP_TIKZ,
                  fallback=runs(Emphasis("Backup diagrams"),
                                " (drawn in the PDF handout): " + _BACKUP_WORDS))


def definitions_section(f: _Facts) -> Section:
    mdp, style = f.mdp, f.notation.style
    defs = [r"G_t &= R_{t+1} + \gamma R_{t+2} + \gamma^2 R_{t+3} + \cdots"]
    if mdp.is_mrp:
        defs += [r"v(s) &= \mathbb{E}\left[G_t \mid S_t = s\right]"]
        forms = _aligned([general_form("mrp", style)])
    else:
        defs += [r"v_\pi(s) &= \mathbb{E}_\pi\left[G_t \mid S_t = s\right]",
                 r"q_\pi(s, a) &= \mathbb{E}_\pi\left[G_t \mid S_t = s, A_t = a\right]"]
        forms = _aligned([general_form(k, style) for k in ("v", "q", "v_from_q", "q_from_v")])
    blocks = [Paragraph(runs("The return and the value functions:")), EquationBlock(defs),
              Paragraph(runs("Looking one step ahead gives the Bellman expectation "
                             "equations:")), EquationBlock(forms)]
    if not mdp.is_mrp:
        blocks.append(_backup_figure(f))
    return Section(runs("2. Definitions"), blocks)


# -- 3. the equations of this model -----------------------------------------------------------
def _shown_states(f: _Facts) -> tuple:
    """The states whose equations are written out (all of them, within the budget)."""
    states = tuple(f.mdp.nonterminal)
    return states if len(states) <= f.budgets.equation_states else \
        states[:f.budgets.equations_shown]


def _system_rows(f: _Facts, system) -> tuple[list, int]:
    """The rows of the equations of the shown states, and how many equations are left out."""
    shown = set(_shown_states(f))
    if len(shown) == len(f.mdp.nonterminal):
        return system.latex_rows(), 0
    rows, left = [], 0
    for e in system:
        if e.state in shown:
            rows += e.latex_rows()
        else:
            left += 1
    return rows, left


def _left_out(left: int, what: str) -> Note:
    return Note(runs(f"(The other {left} {what} read the same way; ", Code("symbellman "
                                                                         "equations"),
                     " prints them all.)"))


def equations_section(f: _Facts) -> Section:
    mdp, policy, notation = f.mdp, f.policy, f.notation
    rows, left = _system_rows(f, expectation_equations(mdp, policy, "v", notation=notation))
    blocks = [Paragraph(runs("One equation per non-terminal state (terminal states are "
                             "worth 0):")), EquationBlock(rows)]
    if left:
        blocks.append(_left_out(left, "equations"))
    if not mdp.is_mrp:
        if len(mdp.state_action_pairs) <= f.budgets.q_pairs:
            blocks += [
                Paragraph(runs("and one per state-action pair for ", Math(r"q_\pi"), ":")),
                EquationBlock(expectation_equations(mdp, policy, "q",
                                                    notation=notation).latex_rows())]
        else:
            blocks.append(Note(runs(f"(The {len(mdp.state_action_pairs)} equations of ",
                                    Math(r"q_\pi"), f" are left out: more than "
                                    f"{f.budgets.q_pairs} state-action pairs.)")))
        rows, left = _system_rows(f, half_steps(mdp, policy, notation=notation))
        blocks += [Paragraph(runs("The half-steps join them: ", Math(r"v_\pi"), " from ",
                                  Math(r"q_\pi"), ", and ", Math(r"q_\pi"), " from ",
                                  Math(r"v_\pi"), ".")), EquationBlock(rows)]
        if left:
            blocks.append(_left_out(left, "half-steps"))
    return Section(runs("3. The equations of this model"), blocks)


# -- 4. matrix form and solution --------------------------------------------------------------
def solution_section(f: _Facts) -> Section:
    from ..evaluate import solve_q, solve_v

    mdp, policy, width = f.mdp, f.policy, f.notation.width
    m = matrix_form(mdp, policy, notation=f.notation)
    k = len(m.states)
    blocks = [Paragraph(runs("Over the non-terminal states " + ", ".join(m.states) + ":")),
              EquationBlock(_aligned([m.general_latex()]))]
    if k <= m.max_size:
        blocks.append(EquationBlock(_aligned([sympy.latex(m)])))
    else:
        blocks.append(Note(runs("(", Math(r"P_\pi"), f" is {k} by {k}; its rows are the "
                                "equations above.)")))
    v = solve_v(mdp, policy)
    if mdp.discount.free_symbols:
        blocks += [Paragraph(runs("Solving exactly gives each value as a rational function "
                                  "of ", _symbol(mdp.discount), " (section 5)."))]
        return Section(runs("4. Matrix form and solution"), blocks)
    rows = []
    for s in mdp.nonterminal:
        rows += _value_rows(f, _head(mdp, "v", s), v[s])
    blocks += [Paragraph(runs("Solving exactly at ", _gamma_is(mdp.discount), ":")),
               Answer(EquationBlock(rows), "number")]
    if not mdp.is_mrp:
        pairs = mdp.state_action_pairs
        if len(pairs) <= f.budgets.q_pairs:
            q = solve_q(mdp, policy, v=v)
            rows = []
            for s, a in pairs:
                rows += _value_rows(f, _head(mdp, "q", s, a), q[s, a])
            blocks.append(Answer(EquationBlock(rows), "number"))
        else:
            blocks.append(Note(runs(f"(The {len(pairs)} values of ", Math(r"q_\pi"),
                                    f" are left out: more than {f.budgets.q_pairs} "
                                    "state-action pairs.)")))
    return Section(runs("4. Matrix form and solution"), blocks)


# -- 5. closed forms and values, 6. the plot --------------------------------------------------
def _value_text(value: Expr) -> str:
    if value.is_Rational and len(str(value)) > 14:
        return "≈ " + _decimal(value, 4)
    return f"{value} ≈ {_decimal(value)}" if not value.is_Integer else str(value)


def _finite_at(v, g) -> bool:
    """Whether every value is finite at the discount g (no denominator vanishes)."""
    try:
        v.at({v.discount.name: g})
    except SolveError:
        return False
    return True


def _default_gammas(v_symbolic) -> list:
    finite = _finite_at(v_symbolic, 1)
    return [Rational(0), Rational(1, 2), Rational(9, 10)] + ([Rational(1)] if finite else [])


def _degrees(text: str, x: str) -> tuple[int, int]:
    """The degrees in x of a closed form's numerator and denominator, read from its text
    ``(num)/(den)`` (cheap, where SymPy's Poly of a degree-100 form takes a second).

    >>> _degrees("(1 - gamma)/(2*gamma**3 + 1)", "gamma")
    (1, 3)
    """
    import re

    def degree(part: str) -> int:
        powers = [int(k) for k in re.findall(rf"\b{x}\*\*(\d+)", part)]
        return max(powers + ([1] if re.search(rf"\b{x}\b(?!\*\*)", part) else [0]))

    top, _, bottom = text.partition(")/(")
    return degree(top), degree(bottom)


def _closed_form_blocks(f: _Facts, v) -> list:
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
        rows += closed_form_rows(_head(mdp, "v", s), v[s], width=f.notation.width)
    blocks = [Answer(EquationBlock(rows), "closed form")] if rows else []
    left = [s for s in mdp.nonterminal if s not in shown]
    if left:
        x = v.discount.name
        top = max(_degrees(v.text(s), x)[0] for s in left)
        bottom = max(_degrees(v.text(s), x)[1] for s in left)
        blocks.append(Note(runs(
            f"({'The' if not shown else 'The other'} {len(left)} closed forms are left out: "
            f"rational functions of degree up to {top} over {bottom} in ",
            _symbol(v.discount), ". Every closed form is in ",
            Code(f"{f.stem}-closed-forms.json"), "; name the states to print with ",
            Code("--closed-forms"), ".)")))
    return blocks


@dataclass(frozen=True)
class _Curves:
    """v_π as closed forms in the discount, and the discounts of the table."""

    v: object
    x: sympy.Symbol
    gammas: tuple
    values: Mapping


def _curves(f: _Facts, gammas: Sequence | None) -> _Curves:
    from ..evaluate import solve_v

    mdp = f.mdp
    symbolic_mdp = mdp if isinstance(mdp.discount, sympy.Symbol) else mdp.replace(
        discount=gamma)
    symbolic_policy = f.policy.subs(symbolic_mdp, {}) if f.policy is not None else None
    v = solve_v(symbolic_mdp, symbolic_policy)
    x = symbolic_mdp.discount
    if not f.numeric:
        return _Curves(v, x, (), {})
    if gammas is None:
        gammas = _default_gammas(v)
        if not mdp.discount.free_symbols and mdp.discount not in gammas:
            gammas = sorted(set(gammas) | {mdp.discount})
    gammas = [sympy.Rational(str(g)) if not isinstance(g, Expr) else g for g in gammas]
    values = {}
    for g in gammas:
        try:
            values[g] = v.at({x.name: g})
        except SolveError:
            f.notes.append(f"the values are not finite at γ = {g}; left out of the table")
    return _Curves(v, x, tuple(values), values)


def values_section(f: _Facts, c: _Curves) -> Section:
    mdp, n, width = f.mdp, f.n, f.notation.width
    blocks = [Paragraph(runs("As functions of the discount ", _symbol(c.x), ":"))]
    closed = _closed_form_blocks(f, c.v)
    blocks += closed
    if closed and isinstance(closed[0], Answer):
        if f.numeric:
            blocks.append(Answer(Paragraph(runs(
                "At ", _gamma_is(0), " each value is the expected immediate reward; as ",
                Math(r"\gamma", "γ"), " grows, later rewards count more.")), "line"))
    if not f.numeric:
        blocks.append(Note(runs("The table of values and the plot need numbers for ",
                                _symbols(set(mdp.symbols) - {mdp.discount}),
                                " (give them with ", Code("--at"), ").")))
        return Section(runs("5. Closed forms in γ and values"), blocks)
    header = [runs("State")] + [(_gamma_is(g),) for g in c.gammas]
    rows = [[runs(s)] + [(Math(value_latex(c.values[g][s]), _value_text(c.values[g][s])),)
                         for g in c.gammas] for s in mdp.nonterminal]
    blocks.append(Table(header, rows, answer_columns=tuple(range(1, len(c.gammas) + 1))))
    blocks += _substituted(f, c)
    return Section(runs("5. Closed forms in γ and values"), blocks)


def _substituted(f: _Facts, c: _Curves) -> list:
    """Each equation with the numbers put in, at the model's discount (or the last one of
    the table)."""
    mdp = f.mdp
    symbolic = bool(mdp.discount.free_symbols)
    check_at = (c.gammas[-1] if c.gammas else None) if symbolic else mdp.discount
    if check_at is None:
        return []
    if f.n > f.budgets.substituted_states:
        return [Note(runs("(The check with the numbers put in is left out: more than "
                          f"{f.budgets.substituted_states} states.)"))]
    values = c.values.get(check_at) or c.v.at({c.x.name: check_at})
    if any(len(str(values[s])) > f.budgets.substituted_value_chars for s in mdp.nonterminal):
        return []
    rows = []
    for e in expectation_equations(mdp, f.policy, "v", notation=f.notation):
        rows += e.substituted(values, at={c.x.name: check_at} if symbolic else None
                              ).latex_rows()
    return [Answer(Paragraph(runs("Check: each equation with the values put in, at ",
                                  _gamma_is(check_at), ":")), "line"),
            Answer(EquationBlock(rows), "closed form")]


def plot_section(f: _Facts, c: _Curves) -> Section:
    from . import plots

    import matplotlib

    title = runs("6. ", Math("v" if f.mdp.is_mrp else r"v_\pi", "v" if f.mdp.is_mrp else "v_π"),
                 " against γ")
    if f.n > f.budgets.plot_model_states:
        return Section(title, [Note(runs(f"(The plot is left out: more than "
                                         f"{f.budgets.plot_model_states} states; the table "
                                         "above gives the values.)"))])
    chosen = list(f.mdp.nonterminal)[:f.budgets.plot_states]
    high = 1 if 1 in c.gammas or _finite_at(c.v, 1) else Rational(99, 100)
    with matplotlib.rc_context({"pdf.fonttype": 42, "svg.hashsalt": "symbellman"}):
        for suffix in f.formats:  # fonttype 42: TrueType in the PDF, not Type 3
            plots.plot_values(c.v, f.folder / f"plot.{suffix}", chosen, high=high,
                              marks=[g for g in c.gammas if 0 < g < 1])
    f.files["plot"] = {k: f.folder / f"plot.{k}" for k in f.formats}
    caption = ("Each state's value as the discount goes from 0 to 1"
               + (f" (the first {len(chosen)} of {f.n} states)" if len(chosen) < f.n else "")
               + "; dotted lines mark the discounts of the table.")
    return Section(title, [Answer(Figure("plot", runs(caption)), "plot")])


# -- 7. optimality -------------------------------------------------------------------------
def _breakpoint(value, decimal: str) -> str:
    if value.is_Rational:
        return _coefficient_latex(value, None, _latex_printer())
    return r"%s \approx %s" % (r"\gamma_{\text{root}}", decimal)


def _optimum(f: _Facts) -> tuple:
    """(v* and the optimal actions at a numeric discount, the pieces over γ, why a part is
    missing); each part None where it does not apply or is over the budget."""
    from ..optimal import optimal, optimal_pieces

    mdp = f.mdp
    if not f.numeric:
        return None, None, "the model has parameters without values (give them with --at)"
    symbolic = bool(mdp.discount.free_symbols)
    why = None
    try:
        solution = None if symbolic else optimal(mdp)
    except SymbellmanError as exc:  # e.g. γ = 1 where no policy ends
        return None, None, str(exc)
    pieces = None
    if f.n <= f.budgets.pieces_states:
        try:
            pieces = optimal_pieces(mdp if symbolic else mdp.replace(discount=gamma))
        except SymbellmanError as exc:
            why = str(exc)
    else:
        why = (f"the optimal policies over γ are left out: more than "
               f"{f.budgets.pieces_states} states")
        if symbolic:
            why += "; give a discount with --at gamma=9/10 for v* and the optimal actions"
    return solution, pieces, why


def _optimal_blocks(f: _Facts) -> list:
    mdp = f.mdp
    solution, pieces, why = _optimum(f)
    blocks = []
    if solution is not None:
        rows = []
        for s in mdp.nonterminal:
            rows += _value_rows(f, _head(mdp, "v*", s), solution.v_star[s])
        blocks += [Paragraph(runs("At ", _gamma_is(mdp.discount), " the optimal values are")),
                   EquationBlock(rows),
                   Paragraph(runs("and the optimal actions (every one that attains the "
                                  "maximum):")),
                   BulletList([runs(f"{s}: " + ", ".join(acts))
                               for s, acts in solution.policy.items()])]
    if pieces is not None:
        items = []
        for p in pieces:
            span = r"%s \le \gamma < %s" % (_breakpoint(p.start, p.start_decimal),
                                            _breakpoint(p.end, p.end_decimal))
            items.append(runs(Math(span, f"{p.start_decimal} ≤ γ < {p.end_decimal}"), ": "
                              + ", ".join(f"{s}: {' or '.join(acts)}"
                                          for s, acts in p.policy.items())))
        blocks += [Paragraph(runs("Over the discount, the optimal policy changes at exact "
                                  "breakpoints:")), BulletList(items)]
    blocks = [Answer(b, "number" if isinstance(b, EquationBlock) else "line")
              for b in blocks]
    if why is not None:
        f.notes.append(why)
        blocks.append(Note(_with_code("(" + why[0].upper() + why[1:] + ".)")))
    return blocks


def optimality_section(f: _Facts) -> Section:
    mdp, notation = f.mdp, f.notation
    rows, left = _system_rows(f, optimality_equations(mdp, "v", notation=notation))
    blocks = [EquationBlock(_aligned([general_form(k, notation.style) for k in
                                      ("v_star", "q_star", "v_star_from_q_star")])),
              Paragraph(runs("For this model:")), EquationBlock(rows)]
    if left:
        blocks.append(_left_out(left, "optimality equations"))
    if len(mdp.state_action_pairs) <= f.budgets.q_pairs:
        blocks.append(EquationBlock(optimality_equations(mdp, "q",
                                                         notation=notation).latex_rows()))
    return Section(runs("7. Optimality"), blocks + _optimal_blocks(f))


# -- 8. worked solution ----------------------------------------------------------------------
def _coefficient(c: Expr, alone: bool = False) -> str:
    text = _coefficient_latex(c, None, _latex_printer())
    return "(%s)" % text if not alone and isinstance(c, sympy.Add) else text


def _linear_latex(mdp: MDP, equation) -> str:
    """c + Σ a_j v(s_j), the constant first and unknowns in the model's order."""
    parts = []
    const = sympy.factor(equation.constant)
    coeffs = dict(equation.coefficients)
    if const != 0 or not any(c != 0 for c in coeffs.values()):
        parts.append(_coefficient(const, alone=True))
    for s in mdp.nonterminal:
        c = sympy.factor(coeffs.get(s, 0))
        if c == 0:
            continue
        head = _head(mdp, "v", s)
        term = head if c == 1 else "-" + head if c == -1 else _coefficient(c) + r"\, " + head
        if parts and term.startswith("-"):
            parts.append(" - " + term[1:])
        else:
            parts.append((" + " if parts else "") + term)
    return "".join(parts)


def worked_section(f: _Facts) -> Section:
    from ..elimination import eliminate

    mdp = f.mdp
    blocks = []
    steps = eliminate(mdp, f.policy)
    last_isolated = steps[-2].state
    for step in steps:
        if step.kind == "collect":
            sentence = runs("Collect each equation as a constant plus multiples of the "
                            "unknowns:")
        elif step.kind == "isolate":
            head = _head(mdp, "v", step.state)
            sentence = runs(f"Solve the equation of {step.state} for ", Math(head),
                            (" (it appears on both sides: divide by ",
                             Math(_coefficient(step.divisor, True)), ")")
                            if step.divisor is not None else "",
                            ":" if step.state == last_isolated else
                            ", and put it into the others:")
        else:
            sentence = runs("Then substitute back, last unknown first:")
        if step.kind == "back-substitute":
            rows = ["%s &= %s" % (_head(mdp, "v", e.state),
                                  value_latex(e.constant) if e.constant.is_number
                                  else sympy.latex(sympy.factor(e.constant)))
                    for e in step.equations]
        else:
            rows = ["%s &= %s" % (_head(mdp, "v", e.state), _linear_latex(mdp, e))
                    for e in step.equations]
        blocks += [Answer(Paragraph(sentence), "line"), Answer(EquationBlock(rows),
                                                               "closed form")]
    return Section(runs("8. Worked solution"), blocks)


def _write_closed_forms(f: _Facts, c: _Curves) -> None:
    """Every closed form in γ, and every exact value of the table, as JSON beside the
    handout (the text a handout leaves out or shows as decimals)."""
    import json

    data = {"model": f.mdp.name, "discount": c.x.name,
            "v": {s: c.v.text(s) for s in f.mdp.nonterminal},
            "values": {str(g): {s: str(c.values[g][s]) for s in f.mdp.nonterminal}
                       for g in c.gammas}}
    path = f.folder / "closed-forms.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    f.files["closed-forms"] = {"json": path}


# -- the whole handout ------------------------------------------------------------------------
def build_handout(mdp: MDP, policy: Policy | None = None, *, gammas: Sequence | None = None,
                  folder: str | Path | None = None, worked: bool | None = None,
                  notation: Notation | None = None, budgets: Budgets | None = None,
                  closed_forms: Sequence[str] = (), stem: str = "handout",
                  figure_formats: Sequence[str] = ("pdf", "png"),
                  timings: dict | None = None) -> Document:
    """Compute every part of the handout and draw its figures into ``folder``.

    Parameters
    ----------
    mdp, policy
        The model and policy (uniform by default).
    gammas : sequence, optional
        Discounts for the table of values (default 0, 1/2, 9/10 and, when the values are
        finite there, 1; plus the model's own numeric discount).
    folder : path, optional
        Where the diagram and plot files go (a new temporary folder by default).
    worked : bool, optional
        Include the elimination steps (default: small models without parameters besides
        γ; see :class:`Budgets`).
    budgets : Budgets, optional
        How much of a large model each section shows.
    closed_forms : sequence of str
        States whose closed forms in γ are printed however long (by default those of a
        small model, within the budget); every closed form goes to
        ``Document.files["closed-forms"]`` as JSON.
    stem : str
        The name of the handout file without its suffix (for the JSON beside it).
    figure_formats : sequence of str
        The files to draw each figure in (``pdf`` for LaTeX, ``png`` for Markdown).
    timings : dict, optional
        Filled with seconds per section.

    Returns
    -------
    Document
        Written out by :mod:`symbellman.render.writers`.
    """
    if policy is None and not mdp.is_mrp:
        policy = Policy.uniform(mdp)
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="handout-"))
    folder.mkdir(parents=True, exist_ok=True)
    f = _Facts(mdp, policy, notation or Notation(), budgets or Budgets(), folder,
               tuple(figure_formats), tuple(closed_forms), stem)
    timings = timings if timings is not None else {}
    clock = [time.perf_counter()]

    def timed(name, make, *args):
        section = make(f, *args)
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now
        return section

    sections = [timed("model and diagram", model_section),
                timed("definitions", definitions_section),
                timed("equations", equations_section),
                timed("solution", solution_section)]
    curves = _curves(f, gammas)
    _write_closed_forms(f, curves)
    sections.append(timed("closed forms and table", values_section, curves))
    if f.numeric:
        sections.append(timed("plot", plot_section, curves))
    if not mdp.is_mrp:
        sections.append(timed("optimality", optimality_section))
    if worked is None:
        worked = f.n <= f.budgets.worked_states and f.numeric
    if worked and f.n:
        sections.append(timed("worked solution", worked_section))
    return Document(mdp.name or "Bellman equations", sections, f.files, tuple(f.notes))


# -- writing ---------------------------------------------------------------------------------
def write_handout(mdp: MDP, policy: Policy | None, output: str | Path, *,
                  gammas: Sequence | None = None, exercise: bool = False,
                  engine: str | None = None, **options) -> HandoutResult:
    """Build the handout and write ``output`` (``.pdf``, ``.tex`` or ``.md``).

    Figures go beside a ``.tex`` or ``.md`` file (``NAME-diagram.pdf``/``.png``,
    ``NAME-plot...``). With ``exercise`` the answers are blanks and the full handout goes
    to ``NAME-key.EXT``. ``options`` go to :func:`build_handout`.
    """
    from .tex import compile_pdf
    from .writers import latex as latex_writer, markdown as markdown_writer

    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".tex", ".md"):
        raise SymbellmanError(f"a handout is written as .pdf, .tex or .md, not {output.name!r}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingDependency("handouts need matplotlib for the plot", extra="handout") \
            from None
    timings: dict = {}
    with tempfile.TemporaryDirectory(prefix="symbellman-handout-") as tmp:
        formats = ("png",) if suffix == ".md" else ("pdf",)
        doc = build_handout(mdp, policy, gammas=gammas, folder=tmp, figure_formats=formats,
                            timings=timings, stem=output.stem, **options)
        written, logs = [], []
        targets = [(output, exercise)]
        if exercise:
            targets.append((output.with_name(output.stem + "-key" + output.suffix), False))
        start = time.perf_counter()
        for target, blanks in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            for k, paths in doc.files.items():  # data files (JSON) go beside every handout
                if "json" in paths and blanks is False:
                    name = target.parent / f"{output.stem}-{k}.json"
                    shutil.copyfile(paths["json"], name)
                    written.append(name)
            figures = {k: v for k, v in doc.files.items() if "json" not in v}
            if suffix == ".pdf":
                names = {k: f"{k}.pdf" for k in figures}
                files = {f"{k}.pdf": v["pdf"] for k, v in figures.items()}
                logs.append(compile_pdf(latex_writer.write(doc, exercise=blanks, names=names),
                                        target, files=files, engine=engine))
            else:
                kind = "pdf" if suffix == ".tex" else "png"
                names = {}
                for k, paths in figures.items():
                    name = f"{output.stem}-{k}.{kind}"
                    shutil.copyfile(paths[kind], target.parent / name)
                    names[k] = name
                    written.append(target.parent / name)
                writer = latex_writer if suffix == ".tex" else markdown_writer
                target.write_text(writer.write(doc, exercise=blanks, names=names),
                                  encoding="utf-8")
            written.append(target)
        timings["typesetting" if suffix == ".pdf" else "writing"] = round(
            time.perf_counter() - start, 3)
    return HandoutResult(tuple(dict.fromkeys(written)),
                         tuple(logs), timings, doc.notes)
