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

import re
from typing import Sequence

from ..document import (BLANK_ITEMS, Answer, BulletList, Document, EquationBlock, Figure, Note, Paragraph,
                        Section, Table, write_inline)
from ...core import escape as escapes
from ...core.escape import split_alignment
from ...core.i18n import _
from ..fonts import unicode_source

__all__ = ["write", "inline", "block", "escape", "align", "PREAMBLE", "GREEK", "BLANK",
           "BLANKS", "PLOT_FRAME"]

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
\IfFileExists{needspace.sty}{\usepackage{needspace}}{\providecommand{\needspace}[1]{\par\vspace{0pt plus #1}\penalty-100\vspace{0pt plus -#1}}}
\widowpenalty=10000
\clubpenalty=10000
\displaywidowpenalty=10000
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

#: The blank an exercise sheet leaves for a number (a table cell, a value).
BLANK = r"\underline{\hspace{6em}}"

#: The blank for each size of answer: a number gets a short line, a closed form in γ a
#: wide box with room for a fraction.
BLANKS = {"number": BLANK, "line": r"\underline{\hspace{16em}}",
          "closed form": r"\boxed{\rule[-1.6em]{0pt}{4em}\hspace{0.55\linewidth}}"}

#: The empty frame for "sketch v_π against γ": axes, ticks every 0.1, a light grid.
PLOT_FRAME = r"""\begin{center}
\begin{tikzpicture}[x=11cm,y=5cm]
  \draw[black!12, very thin] (0,0) grid[xstep=0.1,ystep=0.2] (1,1);
  \draw[->] (0,0) -- (1.06,0) node[right] {$\gamma$};
  \draw[->] (0,0) -- (0,1.08) node[above] {value};
  \foreach \i in {0,...,10} \draw (\i/10,0) -- (\i/10,-0.025);
  \foreach \x in {0,0.5,1} \node[below] at (\x,-0.025) {$\x$};
  \foreach \i in {0,...,5} \draw (0,\i/5) -- (-0.012,\i/5);
\end{tikzpicture}
\end{center}
"""


def escape(text: str) -> str:
    r"""Plain text made safe for LaTeX.

    >>> escape("r_search & 50%")
    'r\\_search \\& 50\\%'
    """
    return escapes.latex_text(text)


def align(rows: Sequence[str]) -> str:
    """Rows as an ``align*`` display."""
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"


_GREEK_LETTERS = re.compile("([%s])" % "".join(GREEK))


def _text(text: str) -> str:
    # the Greek letters of the maths become maths; the rest is escaped text
    return "".join("$%s$" % GREEK[part] if part in GREEK else escape(part)
                   for part in _GREEK_LETTERS.split(text))


def inline(parts) -> str:
    """Inline runs as LaTeX."""
    return write_inline(
        parts, text=lambda r: _text(r.text), math=lambda r: "$%s$" % r.latex,
        # -{}- keeps two hyphens from becoming an en dash
        code=lambda r: r"\texttt{%s}" % escape(r.text).replace("--", "-{}-"),
        emphasis=lambda r: r"\emph{%s}" % _text(r.text))


def _blank_rows(rows, size: str) -> list:
    """Each equation's left side, and a box of the answer's size for its right side."""
    return [split_alignment(r)[0] + "&= " + BLANKS[size] for r in rows if not r.startswith("&")]


def _answer(b: Answer) -> str:
    """The blank an exercise sheet leaves for an answer."""
    c = b.content
    if isinstance(c, EquationBlock):
        return align(_blank_rows(c.rows, b.size)) if c.rows else ""
    if isinstance(c, Figure):  # a sketch gets a frame; a grid to fill in, its instruction
        return (PLOT_FRAME.replace("{value}", "{%s}" % escape(_("value")))
                if b.size == "plot" else inline(c.fallback) + "\n\n")
    if isinstance(c, BulletList):
        return ("\\begin{itemize}\\setlength{\\itemsep}{0.8\\baselineskip}\n"
                + "".join("\\item %s\n" % BLANKS["line"] for _row in range(BLANK_ITEMS))
                + "\\end{itemize}\n")
    if isinstance(c, Table):
        return _table(c, True)
    return BLANKS[b.size if b.size != "plot" else "line"] + "\n\n"


#: Tables with more rows than this may break across pages (``longtable``, which needs a
#: second TeX pass); shorter ones stay together (``tabular``).
LONG_TABLE_ROWS = 25


def _table(b: Table, exercise: bool) -> str:
    long = len(b.rows) > LONG_TABLE_ROWS
    header = " & ".join(inline(c) for c in b.header) + r" \\"
    if long:
        lines = [r"\begin{longtable}{%s}" % b.align, r"\toprule", header, r"\midrule",
                 r"\endhead"]
    else:
        lines = [r"\begin{center}", r"\begin{tabular}{%s}" % b.align, r"\toprule", header,
                 r"\midrule"]
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
    lines += [r"\bottomrule", r"\end{longtable}" if long else
              "\\end{tabular}\n\\end{center}"]
    return "\n".join(lines) + "\n"


def _figure(b: Figure, names: dict) -> str:
    if b.tikz is not None:  # the drawing itself, with its caption below as for files
        caption = "\\\\[1ex]\n\\small %s\n" % inline(b.caption) if b.caption else ""
        return "\\begin{center}\n%s%s\\end{center}\n\n" % (b.tikz, caption)
    if b.key not in names:
        return inline(b.fallback) + "\n\n" if b.fallback else ""
    return ("\\begin{center}\n\\includegraphics[width=\\linewidth,height=0.42\\textheight,"
            "keepaspectratio]{%s}\\\\\n\\small %s\n\\end{center}\n" % (names[b.key],
                                                                     inline(b.caption)))


def block(b, exercise: bool, names: dict) -> str:
    """One block as LaTeX."""
    if isinstance(b, Answer):
        return _answer(b) if exercise else block(b.content, exercise, names)
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


#: The room a section's title needs below it on its page, else it starts the next page:
#: a title never stands alone at a page's foot.
KEEP_WITH_TITLE = r"\needspace{10\baselineskip}"


def section(s: Section, exercise: bool, names: dict) -> str:
    return (KEEP_WITH_TITLE + "\\section*{%s}\\nopagebreak\n" % inline(s.title)
            + "".join(block(b, exercise, names) for b in s.blocks))


def write(document: Document, *, exercise: bool = False, names: dict | None = None,
          lang: str | None = None, key: bool = False) -> str:
    """The whole LaTeX document; ``names`` maps figure keys to the files to include;
    ``key``: the answers of an exercise sheet, which it says under the title.

    Text that pdfLaTeX cannot set (a Chinese state name), or a CJK ``lang`` (by default
    the document's own ``lang``, if it has one), gives the XeLaTeX preamble
    (:func:`~symbellman.render.fonts.unicode_source`)."""
    names = names if names is not None else {k: f"{k}.pdf" for k in document.files}
    out = [r"\begin{center}{\Large\bfseries %s}\end{center}" % escape(document.title) + "\n"]
    if exercise:
        out.append(r"\begin{center}\emph{%s}\end{center}" % escape(_("Exercise sheet: fill in "
                                                                   "the blanks.")) + "\n")
    if key:
        out.append(r"\begin{center}\emph{%s}\end{center}" % escape(_("Key: the exercise sheet "
                                                                   "with its answers.")) + "\n")
    out += [section(s, exercise, names) for s in document.sections]
    source = PREAMBLE + "\\begin{document}\n" + "".join(out) + "\n\\end{document}\n"
    return unicode_source(source, lang or getattr(document, "lang", None))
