r"""The Beamer writer: a :class:`~symbellman.render.document.Document` as slides.

One idea a frame: each displayed block (equations, a table, a figure) gets its own frame,
titled by its section and led by the paragraphs before it; long equation families and
tables continue over several frames; an equation block with ``reveal`` steps is built up
over overlays (the symbolic form, the numbers put in, the value).

Slides are for a lecture hall: the maintained metropolis theme (TeX Live's
texlive-latex-extra) on a 16:9 page 16 cm wide, where 10 pt text (the paragraphs, at
full size) is 1/45 of the width; at most :data:`EQUATIONS_PER_FRAME` equations and
:data:`ROWS_PER_FRAME` table rows a frame. The talk keeps :data:`MAIN_FRAMES` frames of
each section, its first figure among them (a small model's deck is about 15 frames);
the rest, and the worked elimination, go to an appendix after the last frame, to which
the talk's frame points.

>>> from symbellman.render.document import Document, Section, EquationBlock, Paragraph, runs
>>> doc = Document("T", (Section(runs("5. Values"), (Paragraph(runs("Check:")),
...     EquationBlock(["v &= a", "&= 1"], reveal=[1, 2]))),))
>>> text = write(doc)
>>> r"\uncover<2->{{}= 1}" in text, text.count(r"\begin{frame}"), r"\appendix" in text
(True, 1, False)
"""

from __future__ import annotations

from ...core.escape import split_alignment
from ..document import (Answer, BulletList, Document, EquationBlock, Figure, Note, Paragraph,
                        Section, Table)
from ...core.i18n import _
from ..fonts import unicode_source
from ..latex import escape
from .latex import inline

__all__ = ["write", "PREAMBLE", "EQUATIONS_PER_FRAME", "ROWS_PER_FRAME", "MAIN_FRAMES",
           "APPENDIX_SECTIONS"]

#: At most this many equations (rows that do not continue one above) on one frame.
EQUATIONS_PER_FRAME = 4
#: At most this many rows of equations on one frame (a long derivation continues).
ROWS_PER_EQUATION_FRAME = 5
#: At most this many table rows on one frame.
ROWS_PER_FRAME = 8
#: The frames of a section in the talk; the section's others go to the appendix.
MAIN_FRAMES = 2
#: Sections (by key) wholly in the appendix: the worked elimination, the projected equation.
APPENDIX_SECTIONS = ("worked", "projected")
#: Text before a display longer than this (characters of LaTeX) goes on a frame of its own.
LONG_LEAD = 200

PREAMBLE = r"""\documentclass[10pt,aspectratio=169]{beamer}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb}
\usepackage{booktabs,array,graphicx}
\usepackage{tikz}
\ifdefined\pdftrailerid \pdftrailerid{}\fi
\ifdefined\pdfsuppressptexinfo \pdfsuppressptexinfo=-1\fi
\usetheme[numbering=counter,progressbar=frametitle,block=fill]{metropolis}
\usefonttheme{professionalfonts}
\setbeamertemplate{navigation symbols}{}
\setbeamerfont{frametitle}{size=\large}
\renewcommand{\arraystretch}{1.25}
\date{}
\setbeamertemplate{title page}{\vfill{\usebeamerfont{title}\usebeamercolor[fg]{title}%
\inserttitle\par}\vspace{1ex}{\usebeamercolor[fg]{progress bar}\rule{\textwidth}{0.8pt}}\vfill}
"""


def _equation_chunks(rows: list) -> list:
    """Rows grouped so that a frame holds a few equations and a few rows; an equation
    is split over frames only when it alone is longer than a frame.

    >>> _equation_chunks(["a &= 1", "&= 2", "&= 3", "b &= 4", "&= 5", "&= 6"])
    [[0, 1, 2], [3, 4, 5]]
    """
    lengths, start = {}, None
    for i, r in enumerate(rows):
        if not r.startswith("&") or start is None:
            start = i
        lengths[start] = lengths.get(start, 0) + 1
    chunks, current, count = [], [], 0
    for i, r in enumerate(rows):
        starts = i in lengths
        full = (starts and (count == EQUATIONS_PER_FRAME
                            or len(current) + lengths[i] > ROWS_PER_EQUATION_FRAME)) \
            or len(current) == ROWS_PER_EQUATION_FRAME
        if current and full:
            chunks.append(current)
            current, count = [], 0
        current.append(i)
        count += starts
    return chunks + ([current] if current else [])


def _row(row: str, step: int | None) -> str:
    if step is None or step <= 1:
        return row
    lhs, rhs = split_alignment(row)
    return r"\uncover<%d->{%s}&\uncover<%d->{{}%s}" % (step, lhs, step, rhs) if lhs != row else \
        r"\uncover<%d->{%s}" % (step, row)


def _equations(b: EquationBlock) -> list:
    out = []
    for chunk in _equation_chunks(list(b.rows)):
        rows = []
        for i in chunk:
            row = _row(b.rows[i], b.reveal[i] if b.reveal else None)
            if b.tags and b.tags[i]:
                row += r" \tag*{\scriptsize %s}" % inline(b.tags[i])
            rows.append(row)
        out.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n")
    return out


def _tables(b: Table) -> list:
    out = []
    for start in range(0, max(len(b.rows), 1), ROWS_PER_FRAME):
        lines = [r"\begin{center}\small", r"\begin{tabular}{%s}" % b.align, r"\toprule",
                 " & ".join(inline(c) for c in b.header) + r" \\", r"\midrule"]
        lines += [" & ".join(inline(c) for c in row) + r" \\"
                  for row in b.rows[start:start + ROWS_PER_FRAME]]
        lines += [r"\bottomrule", r"\end{tabular}", r"\end{center}"]
        out.append("\n".join(lines) + "\n")
    return out


def _displays(b, names: dict) -> list:
    """The frame bodies one displayed block needs."""
    if isinstance(b, EquationBlock):
        return _equations(b) if b.rows else []
    if isinstance(b, Table):
        return _tables(b)
    if isinstance(b, BulletList):
        return ["\\begin{itemize}\n" + "".join("\\item %s\n" % inline(i) for i in b.items)
                + "\\end{itemize}\n"]
    if isinstance(b, Figure):
        # the caption under the figure, as in the handout: what the grid shows, at which γ
        caption = ("\n\n\\vspace{0.5ex}{\\scriptsize %s\\par}" % inline(b.caption)
                   if b.caption else "")
        if b.tikz is not None:
            return ["\\begin{center}\\resizebox*{!}{%s\\textheight}{%%\n%s}%s\\end{center}\n"
                    % ("0.52" if caption else "0.6", b.tikz, caption)]
        if b.key in names:
            return ["\\begin{center}\\includegraphics[width=\\linewidth,height=%s\\textheight,"
                    "keepaspectratio]{%s}%s\\end{center}\n"
                    % ("0.62" if caption else "0.72", names[b.key], caption)]
        return ["%s\n" % inline(b.fallback)] if b.fallback else []
    raise TypeError(b)


def _frame(title: str, lead: list, body: str) -> str:
    # the empty {} is the frame's subtitle: without it Beamer takes a lead paragraph
    # ({\small ...}) for the subtitle and sets it in the title's colour
    return "\\begin{frame}{%s}{}\n" % title + "".join(lead) + body + "\\end{frame}\n"


def frames(s: Section, names: dict) -> list:
    """The frames of one section, in order."""
    title = inline(s.title)
    frames, lead = [], []
    for b in s.blocks:
        if isinstance(b, Answer):  # slides show the answers
            b = b.content
        if isinstance(b, (Paragraph, Note)):
            text = inline(b.runs)
            lead.append(("{\\footnotesize\\emph{%s}}\n\n" if isinstance(b, Note) else
                         "%s\n\n") % text)
            continue
        bodies = _displays(b, names)
        if sum(len(x) for x in lead) > LONG_LEAD:  # a long lead gets a frame of its own
            frames.append(_frame(title, lead, ""))
            lead = []
        for k, body in enumerate(bodies):
            frames.append(_frame(title + (r" \small(%d/%d)" % (k + 1, len(bodies))
                                          if len(bodies) > 1 else ""),
                                 lead if k == 0 else [], body))
        lead = []
    if lead:
        frames.append(_frame(title, lead, ""))
    return frames


def section(s: Section, names: dict) -> str:
    """All the frames of one section."""
    return "".join(frames(s, names))


def _talk(made: list) -> set:
    """Which of a section's frames the talk keeps: its first figure (the state diagram,
    the backup diagrams, the plot, a grid) and the first frames, :data:`MAIN_FRAMES` in
    all.

    >>> sorted(_talk(["words", "table 1", "table 2", "a tikzpicture"]))
    [0, 3]
    """
    figures = [i for i, f in enumerate(made) if "\\includegraphics" in f or "tikzpicture" in f
               or "\\resizebox" in f]
    keep = set(figures[:1])
    for i in range(len(made)):
        if len(keep) >= MAIN_FRAMES:
            break
        keep.add(i)
    return keep


def _pointer(frame: str) -> str:
    """The frame with a footer saying the section goes on in the appendix (in the
    footline, where it takes no room from the frame's content)."""
    return "{\\setbeamertemplate{frame footer}{%s}\n%s}\n" % (
        escape(_("More in the appendix.")), frame)


def write(document: Document, *, exercise: bool = False, names: dict | None = None,
          lang: str | None = None) -> str:
    """The slides as a Beamer document (an exercise sheet is not made as slides: answers
    are shown); text beyond Latin or a CJK ``lang`` gives the XeLaTeX preamble, as
    :func:`symbellman.render.writers.latex.write` does."""
    names = names if names is not None else {k: f"{k}.pdf" for k in document.files}
    out = [PREAMBLE, "\\title{%s}\n" % escape(document.title), "\\begin{document}\n",
           "\\maketitle\n"]
    appendix = []
    for s in document.sections:
        made = frames(s, names)
        if s.key in APPENDIX_SECTIONS:
            appendix += made
            continue
        talk = _talk(made)
        kept = [f for i, f in enumerate(made) if i in talk]
        if len(kept) < len(made):
            kept[-1] = _pointer(kept[-1])
            appendix += [f for i, f in enumerate(made) if i not in talk]
        out += kept
    if appendix:
        out += ["\\appendix\n", "\\begin{frame}[standout]\n%s\n\\end{frame}\n"
                % escape(_("Appendix"))] + appendix
    return unicode_source("".join(out) + "\\end{document}\n",
                          lang or getattr(document, "lang", None))
