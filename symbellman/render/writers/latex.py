r"""The LaTeX writer: a :class:`~symbellman.render.document.Document` as an article.

Plain text is escaped and its Greek letters set as maths; tables are ``longtable`` with
``booktabs`` rules; displayed equations are ``align*``; an exercise sheet shows each
:class:`~symbellman.render.document.Answer` as an empty box of its size.

>>> from symbellman.render.document import Document, Section, Paragraph, runs, Code
>>> doc = Document("T", (Section(runs("1. Values"),
...                              (Paragraph(runs("Give γ with ", Code("--at"), ".")),)),))
>>> print(write(doc).split(r"\begin{document}")[1].strip().splitlines()[2])
Give $\gamma$ with \texttt{-{}-at}.
"""

from __future__ import annotations

from ..document import (Answer, BulletList, Code, Document, Emphasis, EquationBlock, Figure,
                        Math, Note, Paragraph, Section, Table, Text)
from ..latex import align, escape

__all__ = ["write", "inline", "PREAMBLE", "GREEK", "BLANK"]

#: The handout's preamble: Latin Modern in T1 (Type 1 fonts, so copy-paste gives
#: "Definitions", not a ligature), booktabs tables with room for stacked fractions, and
#: no date or random ID in the PDF (the date comes from SOURCE_DATE_EPOCH when set).
PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{textcomp}
\usepackage{amsmath,amssymb}
\usepackage{booktabs,longtable,array,graphicx}
\usepackage{tikz}
\usepackage{microtype}
\ifdefined\pdftrailerid \pdftrailerid{}\fi
\ifdefined\pdfsuppressptexinfo \pdfsuppressptexinfo=-1\fi
\ifdefined\pdfvariable \pdfvariable suppressoptionalinfo 1023\relax\fi
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5\baselineskip}
\renewcommand{\arraystretch}{1.35}
\setlength{\LTpre}{0.5\baselineskip}
\setlength{\LTpost}{0.5\baselineskip}
"""

#: Greek letters in plain text and their LaTeX.
GREEK = {"α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
         "λ": r"\lambda", "π": r"\pi", "θ": r"\theta", "σ": r"\sigma"}

#: The blank an exercise sheet leaves for an answer.
BLANK = r"\underline{\hspace{5em}}"


def _text(text: str) -> str:
    out = escape(text)
    for letter, tex in GREEK.items():
        out = out.replace(letter, "$%s$" % tex)
    return out


def inline(parts) -> str:
    """Inline runs as LaTeX."""
    out = []
    for r in parts:
        if isinstance(r, Text):
            out.append(_text(r.text))
        elif isinstance(r, Math):
            out.append("$%s$" % r.latex)
        elif isinstance(r, Code):
            # -{}- keeps two hyphens from becoming an en dash
            out.append(r"\texttt{%s}" % escape(r.text).replace("--", "-{}-"))
        elif isinstance(r, Emphasis):
            out.append(r"\emph{%s}" % _text(r.text))
        else:
            raise TypeError(r)
    return "".join(out)


def _blank_rows(rows) -> list:
    blank = []
    for r in rows:
        if r.startswith("&"):
            continue
        lhs = r.split("&=", 1)[0]
        blank.append(lhs + "&= " + BLANK)
    return blank


def _table(b: Table, exercise: bool) -> str:
    lines = [r"\begin{longtable}{%s}" % b.align, r"\toprule",
             " & ".join(inline(c) for c in b.header) + r" \\", r"\midrule", r"\endhead"]
    previous = None
    for row in b.rows:
        cells = [inline(c) for c in row]
        shown = list(cells)
        for i in range(b.grouped):
            if previous is not None and cells[:i + 1] == previous[:i + 1]:
                shown[i] = ""
        shown = [(r"$%s$" % BLANK if exercise and i in b.answer_columns else c)
                 for i, c in enumerate(shown)]
        lines.append(" & ".join(shown) + r" \\")
        previous = cells
    lines += [r"\bottomrule", r"\end{longtable}"]
    return "\n".join(lines) + "\n"


def _figure(b: Figure, names: dict) -> str:
    if b.tikz is not None:
        return b.tikz + "\n"
    if b.key not in names:
        return inline(b.fallback) + "\n\n" if b.fallback else ""
    return ("\\begin{center}\n\\includegraphics[width=\\linewidth,height=0.42\\textheight,"
            "keepaspectratio]{%s}\\\\\n\\small %s\n\\end{center}\n" % (names[b.key],
                                                                     inline(b.caption)))


def block(b, exercise: bool, names: dict) -> str:
    """One block as LaTeX."""
    if isinstance(b, Answer):
        if not exercise:
            return block(b.content, exercise, names)
        if isinstance(b.content, EquationBlock):
            return align(_blank_rows(b.content.rows)) if b.content.rows else ""
        return ""
    if isinstance(b, (Paragraph, Note)):
        return inline(b.runs) + "\n\n"
    if isinstance(b, EquationBlock):
        if not b.tags:
            return align(b.rows) if b.rows else ""
        return align([r + (r" \tag*{\small %s}" % inline(t) if t else "")
                      for r, t in zip(b.rows, b.tags)])
    if isinstance(b, BulletList):
        return ("\\begin{itemize}\n" + "".join("\\item %s\n" % inline(i) for i in b.items)
                + "\\end{itemize}\n")
    if isinstance(b, Table):
        return _table(b, exercise)
    if isinstance(b, Figure):
        return _figure(b, names)
    raise TypeError(b)


def section(s: Section, exercise: bool, names: dict) -> str:
    return "\\section*{%s}\n" % inline(s.title) + "".join(block(b, exercise, names)
                                                         for b in s.blocks)


def write(document: Document, *, exercise: bool = False, names: dict | None = None) -> str:
    """The whole LaTeX document; ``names`` maps figure keys to the files to include."""
    names = names if names is not None else {k: f"{k}.pdf" for k in document.files}
    out = [r"\begin{center}{\Large\bfseries %s}\end{center}" % escape(document.title) + "\n"]
    if exercise:
        out.append(r"\begin{center}\emph{Exercise sheet: fill in the blanks.}\end{center}"
                   + "\n")
    out += [section(s, exercise, names) for s in document.sections]
    return PREAMBLE + "\\begin{document}\n" + "".join(out) + "\n\\end{document}\n"
