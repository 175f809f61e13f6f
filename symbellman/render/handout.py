r"""Teaching handouts: a model, its Bellman equations and their exact solution, in the
order course material uses, as a PDF (through TeX), a ``.tex`` file or Markdown.

1. the model in words and as a table, with its state diagram (Graphviz);
2. the definitions of v_π and q_π with their backup diagrams (TikZ);
3. the per-state expectation equations for v_π and q_π and the half-steps joining them;
4. the matrix form and its solution v = (I − γP_π)^{-1} r_π;
5. the closed forms in γ, a table of values at chosen discounts, and the equations with
   the numbers put in;
6. a plot of each state's v_π against γ (matplotlib);
7. the optimality equations, and the optimal values, policy and pieces over γ when
   :mod:`symbellman.optimal` is there;
8. for at most 4 non-terminal states, the elimination steps a student would write.

A handout is a list of blocks (text, displayed maths, tables, figures) written out by a
LaTeX or a Markdown writer. With ``exercise=True`` every answer (values, closed forms,
worked steps, the plot) is left as a blank and the full handout is the separate key.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import sympy
from sympy import Expr, Rational

from ..equations import (Notation, _coefficient_latex, _decimal, _latex_printer,
                         expectation_equations, general_form, half_steps, matrix_form,
                         optimality_equations)
from ..errors import MissingDependency, SymbellmanError
from ..model import MDP
from ..policy import Policy
from ..symbols import gamma
from .latex import (_head, align, closed_form_rows, escape, model_table, optimal_latex,
                    optimal_results, standalone, value_latex)

__all__ = ["Handout", "build_handout", "write_handout", "elimination_steps",
           "BACKUP_DIAGRAMS"]

_BLANK = r"\underline{\hspace{5em}}"


# -- blocks -------------------------------------------------------------------------------------
@dataclass
class _Heading:
    title: str            # LaTeX-ready (may hold $...$)
    markdown: str


@dataclass
class _Text:
    latex: str
    markdown: str
    answer: bool = False


@dataclass
class _Math:
    rows: list            # align* rows "lhs &= rhs", continuation rows "&\quad ..."
    answer: bool = False  # blank the right-hand sides in an exercise


@dataclass
class _Table:
    header: list          # (latex, markdown) cells
    rows: list            # rows of (latex, markdown) cells
    answer_columns: tuple = ()


@dataclass
class _Figure:
    key: str              # "diagram" or "plot"
    caption: str
    answer: bool = False


@dataclass
class _Raw:
    latex: str
    markdown: str


@dataclass
class Handout:
    """The blocks of a handout and the figure files they refer to.

    ``files`` maps a figure key to ``{"pdf": path, "png": path}`` (what was drawn);
    ``timings`` records seconds per stage.
    """

    title: str
    blocks: list = field(default_factory=list)
    files: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    def to_latex(self, *, exercise: bool = False, names: dict | None = None) -> str:
        """The whole document; ``names`` maps figure keys to the file names to include."""
        names = names or {k: f"{k}.pdf" for k in self.files}
        out = [r"\begin{center}{\Large\bfseries %s}\end{center}" % escape(self.title) + "\n"]
        if exercise:
            out.append(r"\begin{center}\emph{Exercise sheet: fill in the blanks.}\end{center}"
                       + "\n")
        for b in self.blocks:
            out.append(_latex_block(b, exercise, names))
        return standalone("".join(out))

    def to_markdown(self, *, exercise: bool = False, names: dict | None = None) -> str:
        names = names or {k: f"{k}.png" for k in self.files}
        out = [f"# {self.title}\n"]
        if exercise:
            out.append("*Exercise sheet: fill in the blanks.*\n")
        for b in self.blocks:
            out.append(_markdown_block(b, exercise, names))
        return "\n".join(out)


def _blank_rows(rows: list) -> list:
    blank = []
    for r in rows:
        if r.startswith("&"):
            continue
        lhs = r.split("&=", 1)[0]
        blank.append(lhs + "&= " + _BLANK)
    return blank


def _latex_block(b, exercise: bool, names: dict) -> str:
    if isinstance(b, _Heading):
        return "\\section*{%s}\n" % b.title
    if isinstance(b, _Text):
        if exercise and b.answer:
            return ""
        return b.latex + "\n\n"
    if isinstance(b, _Math):
        rows = _blank_rows(b.rows) if exercise and b.answer else b.rows
        return align(rows) if rows else ""
    if isinstance(b, _Table):
        cols = "l" * len(b.header)
        lines = [r"\begin{longtable}{%s}" % cols, r"\toprule",
                 " & ".join(c for c, _ in b.header) + r" \\", r"\midrule", r"\endhead"]
        for row in b.rows:
            cells = [(r"$%s$" % _BLANK if exercise and i in b.answer_columns else c)
                     for i, (c, _) in enumerate(row)]
            lines.append(" & ".join(cells) + r" \\")
        lines += [r"\bottomrule", r"\end{longtable}"]
        return "\n".join(lines) + "\n"
    if isinstance(b, _Figure):
        if (exercise and b.answer) or b.key not in names:
            return ""
        return ("\\begin{center}\n\\includegraphics[width=\\linewidth,height=0.42\\textheight,"
                "keepaspectratio]{%s}\\\\\n\\small %s\n\\end{center}\n" % (names[b.key],
                                                                         b.caption))
    if isinstance(b, _Raw):
        return b.latex + "\n"
    raise TypeError(b)


def _markdown_block(b, exercise: bool, names: dict) -> str:
    if isinstance(b, _Heading):
        return f"## {b.markdown}\n"
    if isinstance(b, _Text):
        return "" if exercise and b.answer else b.markdown + "\n"
    if isinstance(b, _Math):
        rows = _blank_rows(b.rows) if exercise and b.answer else b.rows
        if not rows:
            return ""
        return "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$\n"
    if isinstance(b, _Table):
        head = "| " + " | ".join(m for _, m in b.header) + " |"
        rule = "|" + "|".join("---" for _ in b.header) + "|"
        body = ["| " + " | ".join(("____" if exercise and i in b.answer_columns else
                                   m.replace("|", "\\|")) for i, (_, m) in enumerate(row))
                + " |" for row in b.rows]
        return "\n".join([head, rule, *body]) + "\n"
    if isinstance(b, _Figure):
        if (exercise and b.answer) or b.key not in names:
            return ""
        return f"![{b.caption}]({names[b.key]})\n"
    if isinstance(b, _Raw):
        return b.markdown + "\n"
    raise TypeError(b)


# -- backup diagrams ----------------------------------------------------------------------------
BACKUP_DIAGRAMS = r"""\begin{center}
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

_BACKUP_MARKDOWN = ("*Backup diagrams* (drawn in the PDF handout): from a state s (open "
                    "circle) the policy picks an action a (filled dot) with probability "
                    "π(a|s); the environment answers with s' and r with probability "
                    "p(s'|s, a). v_π(s) averages over both levels; q_π(s, a) starts at the "
                    "action and averages over s' and then π(a'|s').")


# -- worked elimination ------------------------------------------------------------------------
def _linear_latex(mdp: MDP, const: Expr, coeffs: dict) -> str:
    """c + Σ a_j v(s_j), the constant first and unknowns in the model's order."""
    pr = _latex_printer()
    parts = []
    const = sympy.factor(const)
    if const != 0 or not any(c != 0 for c in coeffs.values()):
        parts.append(_coef(const, pr, alone=True))
    for s in mdp.nonterminal:
        c = sympy.factor(coeffs.get(s, 0))
        if c == 0:
            continue
        head = _head(mdp, "v", s)
        if c == 1:
            term = head
        elif c == -1:
            term = "-" + head
        else:
            term = _coef(c, pr) + r"\, " + head
        if parts and term.startswith("-"):
            parts.append(" - " + term[1:])
        else:
            parts.append((" + " if parts else "") + term)
    return "".join(parts)


def _coef(c: Expr, pr, alone: bool = False) -> str:
    text = _coefficient_latex(c, None, pr)
    if not alone and isinstance(c, sympy.Add):
        return "(%s)" % text
    return text



def elimination_steps(mdp: MDP, policy: Policy | None) -> list[tuple[str, list[str]]]:
    """Gaussian elimination on the v_π equations, as (sentence, align rows) steps.

    Each unknown in turn is isolated from its own equation and put into the equations
    still left; then the values are found backwards.

    >>> from symbellman.examples import exercise_3_22
    >>> m = exercise_3_22(discount=Rational(1, 2))
    >>> steps = elimination_steps(m, Policy.deterministic(m, {"top": "left"}))
    >>> print(steps[-1][1][-1])  # 1/(1 − γ²) at γ = 1/2
    v_\\pi(\\text{top}) &= \\tfrac{4}{3} \\approx 1.333
    """
    chain = matrix_form(mdp, policy)
    states = list(chain.states)
    g = mdp.discount
    eqs = {s: (chain.r[i], {t: g * chain.P[i, j] for j, t in enumerate(states)
                            if chain.P[i, j] != 0}) for i, s in enumerate(states)}
    steps = [("Collect each equation as a constant plus multiples of the unknowns:",
              ["%s &= %s" % (_head(mdp, "v", s), _linear_latex(mdp, *eqs[s])) for s in states])]
    solved: dict[str, tuple] = {}
    remaining = list(states)
    for s in states:
        const, coeffs = eqs[s]
        a = sympy.cancel(coeffs.get(s, 0))
        rest = {t: c for t, c in coeffs.items() if t != s}
        if a != 0:
            const = sympy.cancel(const / (1 - a))
            rest = {t: sympy.cancel(c / (1 - a)) for t, c in rest.items()}
        solved[s] = (const, rest)
        remaining.remove(s)
        rows = ["%s &= %s" % (_head(mdp, "v", s), _linear_latex(mdp, const, rest))]
        divide = _coef(sympy.factor(1 - a), _latex_printer(), True)
        sentence = (f"Solve the equation of {escape(s)} for ${_head(mdp, 'v', s)}$"
                    + (f" (it appears on both sides: divide by ${divide}$)" if a != 0 else "")
                    + (", and put it into the others:" if remaining else ":"))
        for t in remaining:
            c_t, co_t = eqs[t]
            k = co_t.get(s, 0)
            if k == 0:
                continue
            new = {u: sympy.cancel(co_t.get(u, 0) + k * rest.get(u, 0))
                   for u in set(co_t) | set(rest) if u != s}
            eqs[t] = (sympy.cancel(c_t + k * const), {u: c for u, c in new.items() if c != 0})
            rows.append("%s &= %s" % (_head(mdp, "v", t), _linear_latex(mdp, *eqs[t])))
        steps.append((sentence, rows))
    values: dict[str, Expr] = {}
    rows = []
    for s in reversed(states):
        const, rest = solved[s]
        value = sympy.cancel(const + sum((c * values[t] for t, c in rest.items()), 0))
        values[s] = value
        shown = value_latex(value) if value.is_number else sympy.latex(sympy.factor(value))
        rows.append("%s &= %s" % (_head(mdp, "v", s), shown))
    steps.append(("Then substitute back, last unknown first:", rows))
    return steps


# -- building ----------------------------------------------------------------------------------
def _default_gammas(v_symbolic) -> list:
    finite = all(sympy.Poly(v_symbolic.denominator(s), v_symbolic.discount).eval(1) != 0
                 for s in v_symbolic.keys())
    return [Rational(0), Rational(1, 2), Rational(9, 10)] + ([Rational(1)] if finite else [])


def _words(mdp: MDP, policy: Policy | None) -> tuple[str, str]:
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
    sentences.append(f"The discount is γ = {d}." if not d.free_symbols else
                     f"The discount {d} is left as a symbol.")
    if mdp.symbols:
        sentences.append("Parameters: " + ", ".join(s.name for s in mdp.symbols) + ".")
    text = " ".join(sentences)
    latex = escape(text).replace("γ", r"$\gamma$").replace("π", r"$\pi$")
    return latex, text


def _numbers_only(mdp: MDP, policy: Policy | None) -> bool:
    others = set(mdp.symbols) | set(policy.symbols if policy is not None else ())
    return not (others - {mdp.discount})


def build_handout(mdp: MDP, policy: Policy | None = None, *, gammas: Sequence | None = None,
                  folder: str | Path | None = None, plot_states: int = 8,
                  worked: bool | None = None, notation: Notation | None = None,
                  figure_formats: Sequence[str] = ("pdf", "png")) -> Handout:
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
    plot_states : int
        Plot at most this many states (the first ones).
    worked : bool, optional
        Include the elimination steps (default: at most 4 non-terminal states and no
        parameters besides γ).
    figure_formats : sequence of str
        The files to draw each figure in (``pdf`` for LaTeX, ``png`` for Markdown).
    """
    from ..evaluate import solve_q, solve_v
    from . import diagram, plots

    clock = time.perf_counter()
    timings = {}

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    if policy is None and not mdp.is_mrp:
        policy = Policy.uniform(mdp)
    notation = notation or Notation()
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="handout-"))
    folder.mkdir(parents=True, exist_ok=True)
    title = mdp.name or "Bellman equations"
    h = Handout(title)
    add = h.blocks.append
    numeric_model = _numbers_only(mdp, policy)
    n = len(mdp.nonterminal)

    # 1. the model
    add(_Heading("1. The model", "1. The model"))
    words_tex, words_md = _words(mdp, policy)
    add(_Text(words_tex, words_md))
    add(_Raw(model_table(mdp, policy), _model_table_markdown(mdp, policy)))
    dot = diagram.state_diagram(mdp)
    (folder / "diagram.dot").write_text(dot)
    try:
        for suffix in figure_formats:
            diagram.render(dot, folder / f"diagram.{suffix}")
        h.files["diagram"] = {k: folder / f"diagram.{k}" for k in figure_formats}
        add(_Figure("diagram", "State diagram: states are circles (terminal states boxes), "
                    "small dots are actions with several outcomes; edges carry the action, "
                    "the probability and the reward."))
    except MissingDependency as exc:
        h.notes.append(str(exc))
        add(_Text(escape(f"(State diagram not drawn: {exc}.)"),
                  f"(State diagram not drawn: {exc}.)"))
    lap("model and diagram")

    # 2. definitions
    add(_Heading("2. Definitions", "2. Definitions"))
    defs = [r"G_t &= R_{t+1} + \gamma R_{t+2} + \gamma^2 R_{t+3} + \cdots"]
    if mdp.is_mrp:
        defs += [r"v(s) &= \mathbb{E}\left[G_t \mid S_t = s\right]"]
        forms = [general_form("mrp", notation.style).replace(" = ", " &= ", 1)]
    else:
        defs += [r"v_\pi(s) &= \mathbb{E}_\pi\left[G_t \mid S_t = s\right]",
                 r"q_\pi(s, a) &= \mathbb{E}_\pi\left[G_t \mid S_t = s, A_t = a\right]"]
        forms = [general_form(k, notation.style).replace(" = ", " &= ", 1)
                 for k in ("v", "q", "v_from_q", "q_from_v")]
    add(_Text("The return and the value functions:", "The return and the value functions:"))
    add(_Math(defs))
    add(_Text("Looking one step ahead gives the Bellman expectation equations:",
              "Looking one step ahead gives the Bellman expectation equations:"))
    add(_Math(forms))
    if not mdp.is_mrp:
        if "png" in figure_formats:  # Markdown: no TikZ, so Graphviz draws them
            try:
                diagram.render(diagram.backup_diagrams(), folder / "backup.png")
                h.files["backup"] = {"png": folder / "backup.png"}
                add(_Figure("backup", _BACKUP_MARKDOWN.replace(" (drawn in the PDF handout)",
                                                              "")))
            except MissingDependency:
                add(_Raw(BACKUP_DIAGRAMS, _BACKUP_MARKDOWN))
        else:
            add(_Raw(BACKUP_DIAGRAMS, _BACKUP_MARKDOWN))

    # 3. the equations of this model
    add(_Heading("3. The equations of this model", "3. The equations of this model"))
    v_eqs = expectation_equations(mdp, policy, "v", notation=notation)
    add(_Text("One equation per non-terminal state (terminal states are worth 0):",
              "One equation per non-terminal state (terminal states are worth 0):"))
    add(_Math(v_eqs.latex_rows()))
    if not mdp.is_mrp:
        add(_Text(r"and one per state-action pair for $q_\pi$:",
                  "and one per state-action pair for $q_\\pi$:"))
        add(_Math(expectation_equations(mdp, policy, "q", notation=notation).latex_rows()))
        add(_Text(r"The half-steps join them: $v_\pi$ from $q_\pi$, and $q_\pi$ from $v_\pi$.",
                  "The half-steps join them: $v_\\pi$ from $q_\\pi$, and $q_\\pi$ from $v_\\pi$."))
        add(_Math(half_steps(mdp, policy, notation=notation).latex_rows()))
    lap("equations")

    # 4. matrix form and solution
    add(_Heading("4. Matrix form and solution", "4. Matrix form and solution"))
    m = matrix_form(mdp, policy, notation=notation)
    add(_Text("Over the non-terminal states " + escape(", ".join(m.states)) + ":",
              "Over the non-terminal states " + ", ".join(m.states) + ":"))
    add(_Math([m.general_latex().replace(" = ", " &= ", 1)]))
    if len(m.states) <= m.max_size:
        add(_Math([sympy.latex(m).replace(" = ", " &= ", 1)]))
    else:
        add(_Text(f"($P_\\pi$ is {len(m.states)} by {len(m.states)}; its rows are the "
                  "equations above.)", f"($P_\\pi$ is {len(m.states)} by {len(m.states)}; "
                  "its rows are the equations above.)"))
    v = solve_v(mdp, policy)
    q = None if mdp.is_mrp else solve_q(mdp, policy, v=v)
    rows = []
    for s in mdp.nonterminal:
        rows += closed_form_rows(_head(mdp, "v", s), v[s], width=notation.width)
    add(_Text("Solving exactly" + (f" at $\\gamma = {sympy.latex(mdp.discount)}$"
                                   if not mdp.discount.free_symbols else "") + ":",
              "Solving exactly" + (f" at γ = {mdp.discount}" if not mdp.discount.free_symbols
                                   else "") + ":"))
    add(_Math(rows, answer=True))
    if q is not None and len(mdp.state_action_pairs) <= 24:
        rows = []
        for s, a in mdp.state_action_pairs:
            rows += closed_form_rows(_head(mdp, "q", s, a), q[s, a], width=notation.width)
        add(_Math(rows, answer=True))
    lap("solution")

    # 5. closed forms in γ and a table of values
    add(_Heading(r"5. Closed forms in $\gamma$ and values", "5. Closed forms in γ and values"))
    symbolic_mdp = mdp if isinstance(mdp.discount, sympy.Symbol) else mdp.replace(
        discount=gamma)
    symbolic_policy = policy.subs(symbolic_mdp, {}) if policy is not None else None
    v_sym = solve_v(symbolic_mdp, symbolic_policy)
    x = symbolic_mdp.discount
    if n <= 6:
        rows = []
        for s in mdp.nonterminal:
            rows += closed_form_rows(_head(mdp, "v", s), v_sym[s], width=notation.width)
        add(_Text(r"As functions of the discount $%s$:" % sympy.latex(x),
                  f"As functions of the discount {x}:"))
        add(_Math(rows, answer=True))
        if numeric_model:
            add(_Text(r"At $\gamma = 0$ each value is the expected immediate reward; as "
                      r"$\gamma$ grows, later rewards count more.",
                      "At γ = 0 each value is the expected immediate reward; as γ grows, "
                      "later rewards count more.", answer=True))
    else:
        add(_Text(f"With {n} states the closed forms are rational functions of degree up to "
                  f"{n} in $\\gamma$; the table gives their values.",
                  f"With {n} states the closed forms are rational functions of degree up to {n} "
                  "in γ; the table gives their values."))
    if numeric_model:
        if gammas is None:
            gammas = _default_gammas(v_sym)
            if not mdp.discount.free_symbols and mdp.discount not in gammas:
                gammas = sorted(set(gammas) | {mdp.discount})
        gammas = [sympy.Rational(str(g)) if not isinstance(g, Expr) else g for g in gammas]
        ok = []
        for g in gammas:
            if all(sympy.Poly(v_sym.denominator(s), x).eval(g) != 0 for s in v_sym.keys()):
                ok.append(g)
            else:
                h.notes.append(f"the values are not finite at γ = {g}; left out of the table")
        at = {g: v_sym.at({x.name: g}) for g in ok}
        header = [("State", "State")] + [(r"$\gamma = %s$" % sympy.latex(g), f"γ = {g}")
                                         for g in ok]
        table_rows = []
        for s in mdp.nonterminal:
            row = [(escape(s), s)]
            for g in ok:
                val = at[g][s]
                row.append(("$%s$" % value_latex(val), _value_text(val)))
            table_rows.append(row)
        add(_Table(header, table_rows, answer_columns=tuple(range(1, len(ok) + 1))))
        lap("closed forms and table")
        # the substituted rows
        check_at = mdp.discount if not mdp.discount.free_symbols else (
            ok[-1] if ok else None)
        if check_at is not None and n <= 8:
            values = at.get(check_at) or v_sym.at({x.name: check_at})
            exact_small = all(len(str(values[s])) <= 12 for s in mdp.nonterminal)
            if exact_small:
                eqs = expectation_equations(mdp, policy, "v", notation=notation)
                rows = []
                for e in eqs:
                    rows += e.substituted(values, at={x.name: check_at} if
                                          mdp.discount.free_symbols else None).latex_rows()
                add(_Text(r"Check: each equation with the values put in, at $\gamma = %s$:"
                          % sympy.latex(check_at),
                          f"Check: each equation with the values put in, at γ = {check_at}:",
                          answer=True))
                add(_Math(rows, answer=True))
        # 6. the plot
        add(_Heading(r"6. $v_\pi$ against $\gamma$" if not mdp.is_mrp else
                     r"6. $v$ against $\gamma$", "6. Values against γ"))
        chosen = list(mdp.nonterminal)[:plot_states]
        for suffix in figure_formats:
            plots.plot_values(v_sym, folder / f"plot.{suffix}", chosen,
                              marks=[g for g in ok if 0 < g < 1])
        h.files["plot"] = {k: folder / f"plot.{k}" for k in figure_formats}
        caption = ("Each state's value as the discount goes from 0 to 1"
                   + (f" (the first {len(chosen)} of {n} states)" if len(chosen) < n else "")
                   + "; dotted lines mark the discounts of the table.")
        add(_Figure("plot", caption, answer=True))
        lap("plot")
    else:
        names = ", ".join(s.name for s in sorted(set(mdp.symbols) - {mdp.discount},
                                                  key=lambda s: s.name))
        add(_Text(escape(f"The table of values and the plot need numbers for {names} "
                         "(give them with --at)."),
                  f"The table of values and the plot need numbers for {names} "
                  "(give them with `--at`)."))

    # 7. optimality
    if not mdp.is_mrp:
        add(_Heading("7. Optimality", "7. Optimality"))
        forms = [general_form(k, notation.style).replace(" = ", " &= ", 1)
                 for k in ("v_star", "q_star", "v_star_from_q_star")]
        add(_Math(forms))
        add(_Text("For this model:", "For this model:"))
        add(_Math(optimality_equations(mdp, "v", notation=notation).latex_rows()))
        if len(mdp.state_action_pairs) <= 24:
            add(_Math(optimality_equations(mdp, "q", notation=notation).latex_rows()))
        solution, pieces = optimal_results(mdp)
        if solution is not None or pieces is not None:
            text = optimal_latex(mdp, solution, pieces, width=notation.width)
            add(_Text(text, _optimal_markdown(mdp, solution, pieces), answer=True))
        lap("optimality")

    # 8. worked solution
    if worked is None:
        worked = n <= 4 and numeric_model
    if worked and n:
        add(_Heading("8. Worked solution", "8. Worked solution"))
        for sentence, rows in elimination_steps(mdp, policy):
            add(_Text(sentence, _markdown_sentence(sentence), answer=True))
            add(_Math(rows, answer=True))
        lap("worked solution")
    h.timings = timings
    return h


def _value_text(value: Expr) -> str:
    if value.is_Rational and len(str(value)) > 14:
        return "≈ " + _decimal(value, 4)
    return f"{value} ≈ {_decimal(value)}" if not value.is_Integer else str(value)


def _markdown_sentence(sentence: str) -> str:
    return sentence.replace(r"\_", "_")


def _model_table_markdown(mdp: MDP, policy: Policy | None) -> str:
    def num(value, text):
        return text.strip() if text else str(value)

    if mdp.is_mrp:
        lines = ["| s | s' | p(s'\\|s) | r |", "|---|---|---|---|"]
    else:
        lines = ["| s | a | π(a\\|s) | s' | p(s'\\|s,a) | r |", "|---|---|---|---|---|---|"]
    for s in mdp.nonterminal:
        for a in mdp.actions(s):
            for o in mdp.outcomes(s, a):
                cells = [s, o.next_state, num(o.probability, o.probability_text),
                         num(o.reward, o.reward_text)]
                if not mdp.is_mrp:
                    cells[1:1] = [a, str(policy.weight(s, a)) if policy is not None else ""]
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _optimal_markdown(mdp, solution, pieces) -> str:
    out = []
    if solution is not None:
        out.append(f"At γ = {mdp.discount}: "
                   + ", ".join(f"v*({s}) = {solution.v_star[s]}" for s in mdp.nonterminal) + ".")
        out.append("Optimal actions: " + "; ".join(f"{s}: {', '.join(a)}"
                                                   for s, a in solution.policy.items()) + ".")
    if pieces is not None:
        for p in pieces:
            out.append(f"- {p.start_decimal} ≤ γ < {p.end_decimal}: "
                       + "; ".join(f"{s}: {' or '.join(a)}" for s, a in p.policy.items()))
    return "\n\n".join(out) + "\n"


# -- writing -----------------------------------------------------------------------------------
def write_handout(mdp: MDP, policy: Policy | None, output: str | Path, *,
                  gammas: Sequence | None = None, exercise: bool = False,
                  engine: str | None = None, **options) -> dict:
    """Build the handout and write ``output`` (``.pdf``, ``.tex`` or ``.md``).

    Figures go beside a ``.tex`` or ``.md`` file (``NAME-diagram.pdf``/``.png``,
    ``NAME-plot...``). With ``exercise`` the answers are blanks and the full handout goes
    to ``NAME-key.EXT``. Returns ``{"files": [...], "log": TexLog or None, "timings": ...}``.
    """
    from .tex import compile_pdf

    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".tex", ".md"):
        raise SymbellmanError(f"a handout is written as .pdf, .tex or .md, not {output.name!r}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingDependency("handouts need matplotlib for the plot", extra="handout") \
            from None
    with tempfile.TemporaryDirectory(prefix="symbellman-handout-") as tmp:
        formats = ("png",) if suffix == ".md" else ("pdf",)
        h = build_handout(mdp, policy, gammas=gammas, folder=tmp, figure_formats=formats,
                          **options)
        written, logs = [], []
        targets = [(output, exercise)]
        if exercise:
            targets.append((output.with_name(output.stem + "-key" + output.suffix), False))
        start = time.perf_counter()
        for target, blanks in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            if suffix == ".pdf":
                names = {k: f"{k}.pdf" for k in h.files}
                files = {f"{k}.pdf": v["pdf"] for k, v in h.files.items()}
                logs.append(compile_pdf(h.to_latex(exercise=blanks, names=names), target,
                                        files=files, engine=engine))
            else:
                kind = "pdf" if suffix == ".tex" else "png"
                names = {}
                for k, paths in h.files.items():
                    name = f"{output.stem}-{k}.{kind}"
                    shutil.copyfile(paths[kind], target.parent / name)
                    names[k] = name
                    written.append(target.parent / name)
                text = (h.to_latex(exercise=blanks, names=names) if suffix == ".tex"
                        else h.to_markdown(exercise=blanks, names=names))
                target.write_text(text, encoding="utf-8")
            written.append(target)
        h.timings["typesetting" if suffix == ".pdf" else "writing"] = round(
            time.perf_counter() - start, 3)
    return {"files": list(dict.fromkeys(written if suffix != ".pdf" else
                                        [t for t, _ in targets])),
            "log": logs[0] if logs else None, "logs": logs, "timings": h.timings,
            "notes": h.notes}
