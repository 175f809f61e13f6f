r"""The Markdown writer: a :class:`~symbellman.render.document.Document` as Markdown with
``$$`` maths (GitHub, Pandoc, Jupyter), figures as image files beside it.

>>> from symbellman.render.document import Document, Section, Paragraph, runs, Math
>>> doc = Document("T", (Section(runs("1. Values"),
...                              (Paragraph(runs("At ", Math(r"\gamma", "γ"), ".")),)),))
>>> print(write(doc))
# T
## 1. Values
At γ.
<BLANKLINE>
"""

from __future__ import annotations

from ...core.escape import html_safe_maths, markdown_code, markdown_text, split_alignment
from ...core.i18n import _
from ..document import (BLANK_ITEMS, Answer, BulletList, Document, EquationBlock, Figure, Note, Paragraph,
                        Section, Table, write_inline)

__all__ = ["write", "inline", "BLANK"]

#: The blank an exercise sheet leaves for an answer in a table.
BLANK = "____"
#: The blank for each size of answer inside maths.
BLANKS = {"number": r"\underline{\hspace{6em}}", "line": r"\underline{\hspace{16em}}",
          "closed form": r"\boxed{\rule[-1.2em]{0pt}{3.2em}\hspace{24em}}"}


def inline(parts) -> str:
    """Inline runs as Markdown."""
    return write_inline(
        parts, text=lambda r: markdown_text(r.text),
        math=lambda r: (markdown_text(r.text) if r.text is not None
                        else "$%s$" % html_safe_maths(r.latex)),
        code=lambda r: markdown_code(r.text), emphasis=lambda r: "*%s*" % markdown_text(r.text))


def _cell(parts) -> str:
    return inline(parts).replace("|", "\\|")


def _equations(rows) -> str:
    if not rows:
        return ""
    # maths that a renderer without maths reads as Markdown: no tag, no link in it
    body = html_safe_maths(" \\\\\n".join(rows))
    return "$$\n\\begin{aligned}\n" + body + "\n\\end{aligned}\n$$\n"


def _table(b: Table, exercise: bool) -> str:
    head = "| " + " | ".join(_cell(c) for c in b.header) + " |"
    rule = "|" + "|".join("---" for _ in b.header) + "|"
    body = ["| " + " | ".join((BLANK if exercise and i in b.answer_columns else _cell(c))
                              for i, c in enumerate(row)) + " |" for row in b.rows]
    return "\n".join([head, rule, *body]) + "\n"


def block(b, exercise: bool, names: dict) -> str:
    """One block as Markdown."""
    if isinstance(b, Answer):
        if not exercise:
            return block(b.content, exercise, names)
        c = b.content
        if isinstance(c, EquationBlock):
            return _equations([split_alignment(r)[0] + "&= " + BLANKS[b.size]
                               for r in c.rows if not r.startswith("&")])
        if isinstance(c, Figure):
            if b.size != "plot":  # a grid to fill in: its instruction
                return inline(c.fallback) + "\n"
            sketch = "*%s*\n" % _("(Sketch the curves here: γ from 0 to 1 across, the value "
                                   "up.)")
            frame = names.get(c.key + "-frame")  # the empty axes, drawn beside the .md
            return sketch + ("\n![%s](%s)\n" % (_("Empty axes to sketch on: γ from 0 to 1 "
                                                  "across, the value up"), frame)
                             if frame else "")
        if isinstance(c, Table):
            return _table(c, True)
        rows = BLANK_ITEMS if isinstance(c, BulletList) else 1  # not one row per item
        return "- ________________\n" * rows
    if isinstance(b, (Paragraph, Note)):
        return inline(b.runs) + "\n"
    if isinstance(b, EquationBlock):
        if not b.tags:
            return _equations(b.rows)
        return _equations([r + (r" &&\text{(%s)}" % inline(t) if t else "")
                           for r, t in zip(b.rows, b.tags)])
    if isinstance(b, BulletList):
        return "".join(f"- {inline(i)}\n" for i in b.items)
    if isinstance(b, Table):
        return _table(b, exercise)
    if isinstance(b, Figure):
        if b.key in names:
            return f"![{inline(b.caption)}]({names[b.key]})\n"
        return inline(b.fallback) + "\n" if b.fallback else ""
    raise TypeError(b)


def section(s: Section, exercise: bool, names: dict) -> list:
    return [f"## {inline(s.title)}\n"] + [block(b, exercise, names) for b in s.blocks]


def write(document: Document, *, exercise: bool = False, names: dict | None = None,
          key: bool = False) -> str:
    """The whole Markdown document; ``names`` maps figure keys to image files; ``key``:
    the answers of an exercise sheet, which it says under the title."""
    names = names if names is not None else {k: f"{k}.png" for k in document.files}
    out = [f"# {markdown_text(document.title)}\n"]
    if exercise:
        out.append("*%s*\n" % _("Exercise sheet: fill in the blanks."))
    if key:
        out.append("*%s*\n" % _("Key: the exercise sheet with its answers."))
    for s in document.sections:
        out += section(s, exercise, names)
    return "\n".join(out)
