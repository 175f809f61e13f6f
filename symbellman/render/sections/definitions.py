"""Sections 2 and 3 of a handout: the definitions, the Bellman expectation equations
derived step by step with their backup diagrams, and the equations of this model."""

from __future__ import annotations

import re

from ...equations.discounted import expectation_equations, general_form, half_steps
from ...core.errors import MissingDependency
from ..derivation import expectation_derivation
from ..document import EquationBlock, Emphasis, Figure, Math, Note, Paragraph, Section, runs
from ...core.i18n import N_, _
from .common import Facts, aligned, left_out, said, system_rows

__all__ = ["definitions_section", "equations_section", "BACKUP_TIKZ"]


BACKUP_TIKZ = r"""\begin{tikzpicture}[x=1cm,y=1cm,
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
"""

_BACKUP_WORDS = N_("from a state s (open circle) the policy picks an action a (filled dot) "
                 "with probability π(a|s); the environment answers with s' and r with "
                 "probability p(s'|s, a). v_π(s) averages over both levels; q_π(s, a) starts "
                 "at the action and averages over s' and then π(a'|s').")


def _backup_figure(f: Facts) -> tuple[Figure, tuple[str, ...]]:
    """The backup diagrams' figure, and the note that they are left out of a Markdown
    handout when Graphviz's dot (which draws them there) is missing."""
    from .. import diagram

    files = {}
    notes: tuple[str, ...] = ()
    if "png" in f.formats:  # Markdown has no TikZ, so Graphviz draws them
        try:
            diagram.render(diagram.backup_diagrams(), f.folder / "backup.png")
            files["backup"] = {"png": f.folder / "backup.png"}
        except MissingDependency:
            notes = (_("the backup diagrams are left out (Graphviz's dot draws them: "
                       "{install})").format(install=diagram.INSTALL_GRAPHVIZ),)
    # the caption shows under the TikZ, so its v_π and q_π are maths
    backup_words = _(_BACKUP_WORDS)
    words = [Math(w.replace("_π", r"_\pi"), w) if w in ("v_π", "q_π")
             else w for w in re.split(r"([vq]_π)", backup_words)]
    return Figure("backup", runs(Emphasis(_("Backup diagrams")), _(": "), *words),
                  tikz=BACKUP_TIKZ,
                  fallback=runs(Emphasis(_("Backup diagrams")),
                                _(" (drawn in the PDF handout): ") + backup_words),
                  files=files), notes


def definitions_section(f: Facts) -> Section:
    mdp, style = f.mdp, f.notation.style
    defs = [r"G_t &= R_{t+1} + \gamma R_{t+2} + \gamma^2 R_{t+3} + \cdots "
            r"= R_{t+1} + \gamma G_{t+1}"]
    if mdp.is_mrp:
        defs += [r"v(s) &= \mathbb{E}\left[G_t \mid S_t = s\right]"]
        forms = aligned([general_form("mrp", style)])
    else:
        defs += [r"v_\pi(s) &= \mathbb{E}_\pi\left[G_t \mid S_t = s\right]",
                 r"q_\pi(s, a) &= \mathbb{E}_\pi\left[G_t \mid S_t = s, A_t = a\right]"]
        forms = aligned([general_form(k, style) for k in ("v", "q", "v_from_q", "q_from_v")])
    steps = expectation_derivation(mdp.is_mrp)
    words = (_("The return and the value function:") if mdp.is_mrp else
             _("The return, the state-value function and the action-value function:"))
    blocks = [Paragraph(runs(words)), EquationBlock(defs),
              Paragraph(runs(_("From the return to the Bellman expectation equation, step "
                               "by step (each step named on the right):"))), steps[0]]
    if not mdp.is_mrp:
        blocks += [Paragraph(said(_("The half-steps of the backup diagrams join {v} and "
                                    "{q}:"), v=Math(r"v_\pi"), q=Math(r"q_\pi"))), steps[1]]
    blocks += [Paragraph(runs(_("In short, the Bellman expectation equations:"))),
               EquationBlock(forms)]
    notes: tuple[str, ...] = ()
    if not mdp.is_mrp:
        figure, notes = _backup_figure(f)
        blocks.append(figure)
    return Section(runs(_("Definitions")), blocks, notes=notes)


def equations_section(f: Facts) -> Section:
    mdp, policy, notation = f.mdp, f.policy, f.notation
    rows, left = system_rows(f, expectation_equations(mdp, policy, "v", notation=notation))
    blocks = [Paragraph(runs(_("One equation per non-terminal state (terminal states are "
                               "worth 0):"))), EquationBlock(rows)]
    if left:
        blocks.append(left_out(left, "equations"))
    if not mdp.is_mrp:
        if len(mdp.state_action_pairs) <= f.budgets.q_pairs:
            blocks += [
                Paragraph(said(_("and one per state-action pair for {q}:"),
                               q=Math(r"q_\pi"))),
                EquationBlock(expectation_equations(mdp, policy, "q",
                                                    notation=notation).latex_rows())]
        else:
            blocks.append(Note(said(_("(The {n} equations of {q} are left out: more than "
                                      "{limit} state-action pairs.)"),
                                    n=str(len(mdp.state_action_pairs)), q=Math(r"q_\pi"),
                                    limit=str(f.budgets.q_pairs))))
        rows, left = system_rows(f, half_steps(mdp, policy, notation=notation),
                                 per_action=True)
        blocks += [Paragraph(said(_("The half-steps join them: {v} from {q}, and {q} from "
                                    "{v}."), v=Math(r"v_\pi"), q=Math(r"q_\pi"))),
                   EquationBlock(rows)]
        if left:
            blocks.append(left_out(left, "half-steps"))
    return Section(runs(_("The equations of this model")), blocks, key="equations")
