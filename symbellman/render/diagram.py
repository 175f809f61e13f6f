"""The state diagram of a model as Graphviz DOT, drawn like David Silver's Student MDP.

States are circles (terminal states squares); an action with one outcome is a single
edge labelled with the action and its reward; an action with several outcomes goes to a
small filled action node, from which one edge per outcome carries its probability (and
its reward, when rewards differ between outcomes). In a Markov reward process the
state's reward R_s stands in the node when all its outcomes share it. The DOT text is
written here; :func:`render` calls the ``dot`` program (package ``graphviz``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import sympy

from ..core.errors import MissingDependency, SymbellmanError
from ..core.escape import dot_text
from ..model.mdp import MDP
from .fonts import dot_fontname

__all__ = ["state_diagram", "backup_diagrams", "render", "INSTALL_GRAPHVIZ"]

INSTALL_GRAPHVIZ = "apt-get install graphviz"


_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
          "lambda": "λ", "theta": "θ", "sigma": "σ"}


def _number(value, text: str | None = None) -> str:
    if text is not None and text.strip():
        return text.strip()
    return sympy.sstr(value)


def _typeset(text: str) -> str:
    """A label as print shows it: Greek letters for their names and a true minus sign.

    >>> _typeset("1 - alpha"), _typeset("r = -3")
    ('1 − α', 'r = −3')
    """
    text = re.sub(r"\b(%s)\b" % "|".join(_GREEK), lambda m: _GREEK[m.group(1)], text)
    return re.sub(r"(^|[\s(*/])-", lambda m: m.group(1) + "−", text)


def _node_id(state: str, mdp: MDP) -> str:
    return f"s{mdp.index(state)}"


def _typeset_label(label: str) -> str:
    r"""A DOT label as print shows it; a reward named with a subscript (``r_search``)
    becomes an HTML-like label with the subscript set as one.

    >>> _typeset_label(r"search\nr = r_search")
    'label=<<TABLE BORDER="0" CELLPADDING="3" CELLSPACING="0"><TR><TD>search<BR/>r = r<SUB>search</SUB></TD></TR></TABLE>>'
    >>> _typeset_label("1 - alpha")
    'label="1 − α"'
    """
    text = _typeset(label)
    parts = text.split("\\n")
    if not any(p.startswith("r = ") and re.search(r"[A-Za-z]_\w", p) for p in parts):
        return f'label="{text}"'
    html = []
    for p in parts:
        p = p.replace('\\"', '"').replace("\\\\", "\\")
        p = p.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if p.startswith("r = "):
            p = re.sub(r"\b([A-Za-z]+)_(\w+)", r"\1<SUB>\2</SUB>", p)
        html.append(p)
    # a table with padding: Graphviz keeps the whole box, subscripts too, off the edge
    return ('label=<<TABLE BORDER="0" CELLPADDING="3" CELLSPACING="0"><TR><TD>'
            + "<BR/>".join(html) + "</TD></TR></TABLE>>")


#: The Graphviz family of a handout's diagram: the document's Latin Modern.
SERIF_FONT = "Latin Modern Roman,serif"  # Pango reads a list; serif where LM is missing


def _circle_width(mdp: MDP) -> float:
    """Inches wide enough for the longest state label at 12 pt (each line about 0.1 in
    a character), so that every state's circle is drawn the same size."""
    longest = 0
    for s in mdp.nonterminal:
        lines = [str(s)]
        if mdp.is_mrp and not mdp.reward_depends_on_next_state(s):
            o = mdp.outcomes(s)[0]
            lines.append(f"R = {_number(o.reward, o.reward_text)}")
        longest = max(longest, *(len(x) for x in lines))
    return max(0.75, 0.1 * longest + 0.3)


def state_diagram(mdp: MDP, *, rankdir: str = "LR", title: bool = False,
                  typeset: bool = False) -> str:
    """The DOT source of the state diagram; with ``typeset`` the labels print Greek
    letters and true minus signs (α, 1 − α, −3), as a handout shows them.

    >>> from symbellman.model.examples import student_mdp
    >>> dot = state_diagram(student_mdp())
    >>> 's3 -> a3_0 [label="pub\\\\nr = 1"' in dot, 'a3_0 -> s1 [label="0.2"' in dot
    (True, True)
    """
    # labels beyond Latin (Chinese names) are set in a font that has their glyphs
    # labels beyond Latin (Chinese names) are set in a font that has their glyphs; a
    # handout's diagram (``typeset``) is in the document's serif face, Latin Modern
    font = dot_fontname(" ".join([mdp.name or "", *map(str, mdp.states), *(
        str(a) for s in mdp.nonterminal for a in mdp.actions(s) if a is not None)]),
        SERIF_FONT if typeset else "Helvetica")
    lines = [f"digraph {dot_text(mdp.name or 'model')} {{",
             f"  rankdir={rankdir}; nodesep=0.35; ranksep=0.6;",
             f'  node [fontname="{font}", fontsize=12];',
             f'  edge [fontname="{font}", fontsize=10, arrowsize=0.7];']
    if font not in ("Helvetica", SERIF_FONT) or typeset:
        lines.append(f'  graph [fontname="{font}"];')
    if title and mdp.name:
        lines.append(f"  label={dot_text(mdp.name)}; labelloc=t;")
    circle = _circle_width(mdp)
    for s in mdp.states:
        label = s
        if mdp.is_mrp and not mdp.is_terminal(s) and not mdp.reward_depends_on_next_state(s):
            o = mdp.outcomes(s)[0]
            label = f"{s}\\nR = {_number(o.reward, o.reward_text)}"
        shape = "box, style=rounded" if mdp.is_terminal(s) else "circle"
        if typeset and not mdp.is_terminal(s):  # every state's circle the same size
            shape += f", width={circle:.2f}"
        # the line break "\\n" is DOT's own escape: keep it out of dot_text's escaping
        quoted = "\\n".join(dot_text(part)[1:-1] for part in label.split("\\n"))
        lines.append(f'  {_node_id(s, mdp)} [label="{quoted}", shape={shape}];')
    for s in mdp.nonterminal:
        for k, a in enumerate(mdp.actions(s)):
            outs = mdp.outcomes(s, a)
            same = not mdp.reward_depends_on_next_state(s, a)
            name = "" if a is None else dot_text(str(a))[1:-1]  # a name adds no DOT statements
            reward = f"r = {_number(outs[0].reward, outs[0].reward_text)}" if same else ""
            src = _node_id(s, mdp)
            if len(outs) == 1 or mdp.is_mrp:
                for o in outs:
                    parts = [name] if name else []
                    if len(outs) > 1:
                        parts.append(_number(o.probability, o.probability_text))
                    if not mdp.is_mrp or not same:
                        parts.append(f"r = {_number(o.reward, o.reward_text)}")
                    label = "\\n".join(p for p in parts if p)
                    lines.append(f"  {src} -> {_node_id(o.next_state, mdp)} "
                                 f"[label=\"{label}\"];")
                continue
            dot = f"a{mdp.index(s)}_{k}"
            lines.append(f"  {dot} [shape=point, width=0.12, style=filled, fillcolor=black];")
            head = "\\n".join(p for p in (name, reward) if p)
            lines.append(f"  {src} -> {dot} [label=\"{head}\", arrowhead=none];")
            for o in outs:
                label = _number(o.probability, o.probability_text)
                if not same:
                    label += f"\\nr = {_number(o.reward, o.reward_text)}"
                lines.append(f"  {dot} -> {_node_id(o.next_state, mdp)} [label=\"{label}\"];")
    lines.append("}")
    if typeset:  # labels as print shows them (the handout); the DOT names stay as they are
        lines = [re.sub(r'label="((?:[^"\\]|\\.)*)"', lambda m: _typeset_label(m.group(1)), line)
                 for line in lines]
    return "\n".join(lines) + "\n"


def backup_diagrams() -> str:
    """The backup diagrams of v_π and q_π (Sutton & Barto, section 3.5) as DOT.

    States are open circles, actions small filled dots, as in the book; the PDF
    handout draws the same pictures with TikZ, this serves Markdown handouts.

    >>> text = backup_diagrams()
    >>> text.count("shape=circle") >= 2 and "cluster_q" in text
    True
    """
    state = 'shape=circle, width=0.3, fixedsize=true, label=""'
    act = 'shape=point, width=0.12'
    lines = ["digraph backup {", "  rankdir=TB; nodesep=0.25; ranksep=0.35;",
             '  node [fontsize=10]; edge [arrowhead=none, fontsize=9];']
    # v_π(s): s -> actions (π) -> successor states (p, r)
    lines += _backup_tree("v", "v_π(s)", (state, "s"), act, state, ("π", "p, r"))
    # q_π(s, a): (s, a) -> successor states (p, r) -> next actions (π)
    lines += _backup_tree("q", "q_π(s, a)", (act, "s, a"), state, act, ("p, r", "π"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _backup_tree(prefix: str, title: str, root: tuple[str, str], middle: str, leaf: str,
                 labels: tuple[str, str]) -> list[str]:
    """A two-level binary tree as a DOT cluster; only the first edge of a level is labelled."""
    lines = [f'  subgraph cluster_{prefix} {{ color=white; label="{title}"; labelloc=b;',
             f'    {prefix}_root [{root[0]}, xlabel="{root[1]}"];']
    for i in range(2):
        lines.append(f"    {prefix}_m{i} [{middle}];")
        lines.append(f'    {prefix}_root -> {prefix}_m{i} [label="{labels[0] if i == 0 else ""}"];')
        for j in range(2):
            lines.append(f"    {prefix}_l{i}{j} [{leaf}];")
            label = labels[1] if (i, j) == (0, 0) else ""
            lines.append(f'    {prefix}_m{i} -> {prefix}_l{i}{j} [label="{label}"];')
    lines.append("  }")
    return lines


def render(dot_source: str, output: str | Path, *, fmt: str | None = None,
           timeout: float = 60) -> Path:
    """Draw DOT text with the ``dot`` program into ``output`` (format from its suffix)."""
    exe = shutil.which("dot")
    if exe is None:
        raise MissingDependency("state diagrams need Graphviz's dot program",
                                install=INSTALL_GRAPHVIZ)
    output = Path(output)
    fmt = fmt or output.suffix.lstrip(".") or "pdf"
    args = [exe, f"-T{fmt}", "-o", str(output)]
    if fmt == "png":
        args.insert(1, "-Gdpi=150")
    try:
        run = subprocess.run(args, input=dot_source.encode(), capture_output=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        raise SymbellmanError(f"dot took longer than {timeout:.0f} s to draw the diagram") \
            from None
    if run.returncode != 0:
        raise SymbellmanError(f"dot failed: {run.stderr.decode(errors='replace').strip()}")
    if fmt == "pdf":
        _date_pdf(output)
    return output


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}Z\)")


def _date_pdf(path: Path) -> None:
    """Give the PDF that dot wrote the date of ``SOURCE_DATE_EPOCH``, or none when it is
    not set (cairo before 1.17 writes the time of the run). Either way the bytes keep
    their length (a date left out becomes spaces), so the cross-reference offsets stay
    right."""
    import time

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(epoch))).encode() \
        if epoch.isdigit() else None
    data = path.read_bytes()
    fixed = _PDF_DATE.sub(lambda m: b" " * len(m.group(0)) if stamp is None
                          else b"/" + m.group(1) + b" (D:" + stamp + b"Z)", data)
    if fixed != data:
        path.write_bytes(fixed)
