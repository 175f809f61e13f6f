r"""The handout as a small document: sections of headings, paragraphs, equations, tables,
figures and notes, built once and written out by several writers.

A builder (:mod:`symbellman.render.handout`) decides *what* is said and makes a
:class:`Document`; a writer (:mod:`symbellman.render.writers`) decides only *how* it looks
in one format (LaTeX, Markdown, Beamer, and later HTML). Every type here is a frozen
dataclass checked where it is made, and holds text only: no SymPy objects, no files to
open. Maths is LaTeX source (the notation every writer understands); plain words are
Unicode and may contain Greek letters (γ, π), which each writer typesets its own way.

Inline runs make up paragraphs, headings and table cells:

- :class:`Text`: plain words;
- :class:`Math`: inline maths, with an optional plain ``text`` for places without maths
  (a Markdown table cell);
- :class:`Code`: something typed at the terminal (``--at``);
- :class:`Emphasis`: a word in italics.

Blocks: :class:`Paragraph`, :class:`EquationBlock` (rows of an ``align``),
:class:`BulletList`, :class:`Table`, :class:`Figure` (an image file, raw TikZ or raw SVG),
:class:`Note` (what a section left out, and why) and :class:`Answer` (content an exercise
sheet leaves blank, with the size of the box a student needs).

A :class:`Section` is a heading and its blocks; a :class:`Document` is a title and its
sections.

>>> doc = Document("Two states", (
...     Section(runs("1. The model"), (Paragraph(runs("The discount is γ = ", Math("0.9"),
...                                                   ".")),)),))
>>> doc.sections[0].blocks[0].runs[1]
Math(latex='0.9', text=None)

Adding a section
----------------
Write a function that takes what the builder knows and returns a :class:`Section`, and
call it from ``build_handout`` in the place the section belongs; a figure is a
:class:`Figure` whose ``key`` names its files in :attr:`Document.files` (or whose
``tikz``/``svg`` holds the drawing itself). No writer needs to change unless a new
*kind* of block is added; then every writer gets one branch for it.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Union

__all__ = ["Text", "Math", "Code", "Emphasis", "Inline", "runs", "plain_text", "write_inline",
           "Paragraph", "EquationBlock", "BulletList", "Table", "Figure", "Note", "Answer",
           "Block", "Section", "Document", "ANSWER_SIZES", "said"]


# -- inline runs ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """Plain words (Unicode; Greek letters allowed)."""

    text: str


@dataclass(frozen=True)
class Math:
    r"""Inline maths as LaTeX source; ``text`` is its plain form, for writers that show
    maths as text (a Markdown table cell), or None to keep the maths.

    >>> Math(r"\gamma", "γ").text
    'γ'
    """

    latex: str
    text: str | None = None


@dataclass(frozen=True)
class Code:
    """Something typed at the terminal: an option, a command, a file name."""

    text: str


@dataclass(frozen=True)
class Emphasis:
    """Words in italics."""

    text: str


Inline = Union[Text, Math, Code, Emphasis]
_INLINE = (Text, Math, Code, Emphasis)


def runs(*parts) -> tuple:
    """Inline runs from strings (plain text) and runs.

    >>> runs("v at ", Math("x"), "")
    (Text(text='v at '), Math(latex='x', text=None))
    """
    out = []
    for part in parts:
        if isinstance(part, str):
            if part:
                out.append(Text(part))
        elif isinstance(part, _INLINE):
            out.append(part)
        elif isinstance(part, tuple):
            out.extend(runs(*part))
        else:
            raise TypeError(f"not an inline run: {part!r}")
    return tuple(out)


def plain_text(parts: tuple) -> str:
    r"""The runs as plain text (maths as its plain form, or its LaTeX source).

    >>> plain_text(runs("at ", Math(r"\gamma = 1", "γ = 1")))
    'at γ = 1'
    """
    return "".join(r.latex if isinstance(r, Math) and r.text is None else r.text
                   for r in parts)


def write_inline(parts, *, text, math, code, emphasis) -> str:
    """The runs joined into one string, each written by the function given for its kind.

    A writer's ``inline`` is this call with its four formats.

    >>> write_inline(runs("at ", Math("x"), Code("--at")), text=lambda r: r.text.upper(),
    ...              math=lambda r: "$%s$" % r.latex, code=lambda r: "`%s`" % r.text,
    ...              emphasis=lambda r: "*%s*" % r.text)
    'AT $x$`--at`'
    """
    formats = {Text: text, Math: math, Code: code, Emphasis: emphasis}
    out = []
    for r in parts:
        if type(r) not in formats:
            raise TypeError(r)
        out.append(formats[type(r)](r))
    return "".join(out)


def _check_runs(parts, what: str) -> tuple:
    parts = tuple(parts)
    for r in parts:
        if not isinstance(r, _INLINE):
            raise TypeError(f"{what} holds inline runs, not {r!r}")
    return parts


# -- blocks -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline runs."""

    runs: tuple

    def __post_init__(self):
        object.__setattr__(self, "runs", _check_runs(self.runs, "a paragraph"))


@dataclass(frozen=True)
class Note:
    """What a section left out and why (a budget, a missing program, no optimum)."""

    runs: tuple

    def __post_init__(self):
        object.__setattr__(self, "runs", _check_runs(self.runs, "a note"))


@dataclass(frozen=True)
class EquationBlock:
    r"""Displayed equations: ``align`` rows ``lhs &= rhs``; a row starting with ``&``
    continues the equation above it. ``tags`` name each row's step (the reason it
    follows from the row above) as inline runs, or are empty. ``reveal`` gives the step
    at which each row appears when a writer builds the block up (slides: the symbolic
    form, then the numbers put in, then the value), or is empty.

    >>> EquationBlock(["a &= b", "&= c"], tags=[(), runs("by linearity")]).tags[1]
    (Text(text='by linearity'),)
    """

    rows: tuple
    tags: tuple = ()
    reveal: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "rows", tuple(str(r) for r in self.rows))
        tags = tuple(_check_runs(t, "a tag") for t in self.tags)
        if tags and len(tags) != len(self.rows):
            raise ValueError(f"{len(tags)} tags for {len(self.rows)} rows")
        object.__setattr__(self, "tags", tags)
        reveal = tuple(int(k) for k in self.reveal)
        if reveal and (len(reveal) != len(self.rows) or min(reveal) < 1):
            raise ValueError("reveal gives each row the step (1, 2, ...) at which it appears")
        object.__setattr__(self, "reveal", reveal)


@dataclass(frozen=True)
class BulletList:
    """A list; each item is a tuple of inline runs."""

    items: tuple

    def __post_init__(self):
        object.__setattr__(self, "items", tuple(_check_runs(i, "a list item")
                                                for i in self.items))


@dataclass(frozen=True)
class Table:
    """A table of cells, each a tuple of inline runs.

    ``align`` gives each column's alignment (``l``, ``c``, ``r``; default all ``l``).
    ``grouped`` says that the first so many columns form a hierarchy (state, action, ...):
    a writer may leave a cell blank when it and the cells left of it repeat the row above.
    ``answer_columns`` are left blank on an exercise sheet.
    """

    header: tuple
    rows: tuple
    align: str = ""
    grouped: int = 0
    answer_columns: tuple = ()

    def __post_init__(self):
        header = tuple(_check_runs(c, "a table cell") for c in self.header)
        rows = tuple(tuple(_check_runs(c, "a table cell") for c in row) for row in self.rows)
        for i, row in enumerate(rows):
            if len(row) != len(header):
                raise ValueError(f"row {i} of a table has {len(row)} cells, the header "
                                 f"{len(header)}")
        align = self.align or "l" * len(header)
        if len(align) != len(header) or set(align) - set("lcr"):
            raise ValueError(f"table alignment {align!r} does not fit {len(header)} columns")
        object.__setattr__(self, "header", header)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "align", align)
        object.__setattr__(self, "answer_columns", tuple(self.answer_columns))


@dataclass(frozen=True)
class Figure:
    """A figure: files named by ``key`` in :attr:`Document.files` (``pdf``, ``png``,
    ``svg``), or the drawing itself as ``tikz`` (LaTeX) or ``svg`` (HTML, Markdown).

    A writer uses what its format can show; where it can show none, it writes
    ``fallback`` (words saying what the figure shows), or nothing.
    """

    key: str
    caption: tuple = ()
    tikz: str | None = None
    svg: str | None = None
    fallback: tuple = ()
    #: the files drawn for it, key -> {format: path} (its own key, and for a plot the
    #: empty frame of an exercise sheet, key + "-frame"); gathered by :func:`files_of`
    files: Mapping = field(default_factory=dict, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "caption", _check_runs(self.caption, "a caption"))
        object.__setattr__(self, "fallback", _check_runs(self.fallback, "a fallback"))


#: The sizes of answer boxes, smallest first: a number, a line of words or a short
#: expression, a closed form in γ, a sketch.
ANSWER_SIZES = ("number", "line", "closed form", "plot")

#: The blank rows an exercise sheet leaves for a list answer (the optimal policy's pieces
#: over γ), whatever the answer's length: as many rows as pieces would give it away.
BLANK_ITEMS = 4


@dataclass(frozen=True)
class Answer:
    """Content that an exercise sheet leaves for the student to write, and the size of
    the box it needs (one of :data:`ANSWER_SIZES`)."""

    content: object
    size: str = "number"

    def __post_init__(self):
        if self.size not in ANSWER_SIZES:
            raise ValueError(f"answer size {self.size!r}: choose from {ANSWER_SIZES}")
        if not isinstance(self.content, _BLOCKS):
            raise TypeError(f"an answer holds a block, not {self.content!r}")


_BLOCKS = (Paragraph, Note, EquationBlock, BulletList, Table, Figure)
Block = Union[Paragraph, Note, EquationBlock, BulletList, Table, Figure, Answer]


@dataclass(frozen=True)
class Section:
    """A heading (inline runs) and its blocks; ``key`` names what the section is about
    (``"equations"``, ``"values"``, ``"optimality"``), for writers that add to it."""

    title: tuple
    blocks: tuple = ()
    key: str = ""
    #: data files that go with the section (key -> {format: path}), and what it left out
    #: in words for the command line: the builder returns them, nothing else is shared
    files: Mapping = field(default_factory=dict, compare=False)
    notes: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "title", _check_runs(self.title, "a heading"))
        blocks = tuple(self.blocks)
        for b in blocks:
            if not isinstance(b, (*_BLOCKS, Answer)):
                raise TypeError(f"a section holds blocks, not {b!r}")
        object.__setattr__(self, "blocks", blocks)


def files_of(sections) -> dict:
    """Every file the sections name, key -> {format: path}, in document order: each
    section's data files, then its figures' files.

    >>> s = Section(runs("A"), (Figure("plot", files={"plot": {"png": "plot.png"}}),),
    ...             files={"data": {"json": "data.json"}})
    >>> list(files_of([s]))
    ['data', 'plot']
    """
    out: dict = {}
    for section in sections:
        out.update(section.files)
        for b in section.blocks:
            b = b.content if isinstance(b, Answer) else b
            if isinstance(b, Figure):
                out.update(b.files)
    return out


@dataclass(frozen=True)
class Document:
    """A title, its sections, and the figure files they name (key → {format: path}).

    ``notes`` repeat, for the command line, what the document says it left out.
    """

    title: str
    sections: tuple
    files: Mapping[str, Mapping[str, Path]] = field(default_factory=dict)
    notes: tuple = ()
    #: The language the words are in (``"en"``, ``"zh"``): the writers set their own
    #: words in it, and a CJK language goes to XeLaTeX.
    lang: str = "en"

    def __post_init__(self):
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "notes", tuple(self.notes))
        for s in self.sections:
            if not isinstance(s, Section):
                raise TypeError(f"a document holds sections, not {s!r}")


def said(message: str, **parts) -> tuple:
    """A translated sentence as runs, its ``{name}`` placeholders filled with ``parts``
    (maths, code or text), wherever the translation puts them.

    >>> said("The half-steps join {v} and {q}.", v=Math("v"), q="q")
    (Text(text='The half-steps join '), Math(latex='v', text=None), Text(text=' and '), Text(text='q'), Text(text='.'))
    """
    pieces = re.split(r"\{(\w+)\}", message)
    return runs(*[parts[p] if i % 2 else p for i, p in enumerate(pieces) if p != ""])
