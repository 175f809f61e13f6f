r"""The HTML writer: a :class:`~symbellman.render.document.Document` as one self-contained
page, maths as MathML, figures inline (SVG, or PNG as a ``data:`` URI), and, when the
page's data is given, the interactive explorer inside the handout's sections: the sliders
in a bar at the top of the window, the values (picture and table) and the stepping in the
section of the solution, the band of optimal pieces and v* in the section on optimality,
and the selected state's equations in the section of the equations.

The writer decides only how things look: the words, equations, tables and figures are
the document's; the interactive data (closed forms in the (1 − γ) basis, pieces, the
picture, each state's equation rows) is :func:`symbellman.render.page_data.page_data`'s,
embedded as the page's JSON payload and drawn by the page's script (:func:`page_script`:
``render/assets/page-*.js`` and ``families.js``, joined in :data:`SCRIPT_PARTS`' order). One template
(``render/assets/page.html``) serves the page with and without the explorer; the explorer's
parts are in ``render/assets/explorer.html``.

>>> from symbellman.render.document import Document, Section, Paragraph, runs, Math
>>> doc = Document("T", (Section(runs("1. Values"),
...                              (Paragraph(runs("At ", Math(r"\gamma", "γ"), ".")),)),))
>>> body = write(doc, standalone=False)
>>> '<h2>1. Values</h2>' in body, '<mi>γ</mi>' in body
(True, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

from ...version import __version__
from ...core.i18n import N_, _, current
from ...text.bidi import RTL_RUN
from ..document import (Answer, BulletList, Code, Document, Emphasis, EquationBlock, Figure,
                        Math, Note, Paragraph, Section, Table, Text)
from ..mathml import to_mathml
from ..page_words import translate_markup

__all__ = ["write", "inline", "section", "contents", "block", "script_json", "script_hash",
           "explorer_parts", "page_script", "PLACES", "SCRIPT_PARTS"]

_ALIGN = {"l": "left", "c": "center", "r": "right"}
#: The box an exercise sheet leaves for each size of answer.
_BLANK = '<div class="blank blank-%s" aria-label="answer"></div>'


#: Where each part of the explorer goes: a handout section's ``key`` → the parts put at
#: that section's end. A part whose section the document lacks goes to a section of its
#: own at the end.
PLACES = {"equations": ("detail",), "values": ("solution", "stepping"),
          "optimality": ("optimality",), "criteria": ("families",),
          "projected": ("projected",)}
_PART = re.compile(r"<!-- part (\w+):[^>]*-->\n(.*?)(?=<!-- part |\Z)", re.S)


def _asset(name: str) -> str:
    return resources.files("symbellman.render").joinpath("assets", name).read_text(
        encoding="utf-8")


#: The page's script, one file per job, in the order they are joined (:func:`page_script`).
#: The first opens the script's one function and the last ("start") closes it, so the
#: files share its names; ``families.js`` runs after it, reading what it exposes.
SCRIPT_PARTS = ("page-data",      # the page's data and words (T)
                "page-exact",     # exact fractions, model quantities, closed forms
                "page-solve",     # the page's state, values, v* and the band without closed forms
                "page-draw",      # formatting, inert markup, the colour scale
                "page-band",      # the sliders and the band of optimal pieces
                "page-pictures",  # the grid and the state diagram
                "page-table",     # the table of values
                "page-render",    # rendering at the sliders' point, captions
                "page-detail",    # the selected state's equations
                "page-panel",     # the state panel: numbers put in, reward editing
                "page-stepping",  # evaluation, value iteration, policy iteration by hand
                "page-views",     # the views and the URL fragment
                "page-lecture",   # the lecture view
                "page-start",     # start
                "families")       # finite horizon, average reward, TD(0)


def page_script() -> str:
    """The page's script: the files of :data:`SCRIPT_PARTS` joined in that order (the
    Content-Security-Policy hash is taken of this text).

    >>> code = page_script()
    >>> code.startswith("\\n// The interactive page"), "function Q(n, d)" in code
    (True, True)
    """
    main = "".join(_asset(name + ".js") for name in SCRIPT_PARTS[:-1])
    return "\n" + main + "\n" + _asset(SCRIPT_PARTS[-1] + ".js")


def script_json(data) -> str:
    r"""JSON that is inert inside ``<script>``: nothing in it can end the element
    (``</`` is written ``<\/``), open a comment or a script (``<!``, ``<script`` start
    with ``\u003c``), whatever names it holds. Other ``<`` stay (the MathML's tags),
    which keeps the page small.

    >>> script_json({"a": "</script><!--<SCRIPT>", "b": "<mi>x</mi>"})
    '{"a":"<\\/script>\\u003c!--\\u003cSCRIPT>","b":"<mi>x<\\/mi>"}'
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return re.sub(r"<(?=!|script)", r"\\u003c", text, flags=re.I)


def script_hash(code: str) -> str:
    """The Content-Security-Policy source that lets exactly this inline script run (and
    nothing else: no other inline script, no event handler attribute, no ``eval``).

    >>> script_hash("alert(1)")
    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-%s'" % base64.b64encode(digest).decode("ascii")


def inline(parts) -> str:
    """Inline runs as HTML (maths as MathML).

    >>> from symbellman.render.document import runs, Code
    >>> inline(runs("a < b, ", Code("--at")))
    'a &lt; b, <code>--at</code>'
    >>> inline(runs("(שלום, עולם)"))
    '(<bdi>שלום</bdi>, <bdi>עולם</bdi>)'
    """
    out = []
    for r in parts:
        if isinstance(r, Text):  # each Hebrew or Arabic run isolated: "(שלום, עולם)"
            # keeps its order, as in the PDF, instead of reading as one right-to-left run
            out.append(RTL_RUN.sub(lambda m: f"<bdi>{m.group()}</bdi>",
                                   html.escape(r.text, quote=False)))
        elif isinstance(r, Math):
            out.append(to_mathml(r.latex))
        elif isinstance(r, Code):
            out.append("<code>%s</code>" % html.escape(r.text, quote=False))
        elif isinstance(r, Emphasis):
            out.append("<em>%s</em>" % html.escape(r.text, quote=False))
        else:
            raise TypeError(r)
    return "".join(out)


_ENVIRONMENT = re.compile(r"\\(begin|end)\{[^}]*\}|(?<!\\)&")


def _columns(row: str) -> list[str]:
    r"""A row of ``align`` split at its own ``&`` (not those of a matrix inside it).

    >>> _columns(r"v &= \begin{bmatrix} 1 & 2 \end{bmatrix} x")
    ['v ', '= \\begin{bmatrix} 1 & 2 \\end{bmatrix} x']
    """
    depth, start, out = 0, 0, []
    for m in _ENVIRONMENT.finditer(row):
        if m.group(1) == "begin":
            depth += 1
        elif m.group(1) == "end":
            depth -= 1
        elif depth == 0:
            out.append(row[start:m.start()])
            start = m.end()
    return out + [row[start:]]


def _equations(b: EquationBlock) -> str:
    """Rows ``lhs &= rhs`` in a grid: the left sides right-aligned, the right sides
    lined up at their relation, the step's reason (tag) on the right."""
    out = ['<div class="equations%s">' % (" tagged" if b.tags else "")]
    for i, row in enumerate(b.rows):
        lhs, *rest = _columns(row)
        rhs = " ".join(rest)
        left, right = (to_mathml(part) if part.strip() else "" for part in (lhs, rhs))
        out.append('<span class="lhs">%s</span><span class="rhs">%s</span>' % (left, right))
        if b.tags:
            out.append('<span class="tag">%s</span>' % (("(" + inline(b.tags[i]) + ")")
                                                        if b.tags[i] else ""))
    out.append("</div>")
    return "".join(out) + "\n"


def _table(b: Table, exercise: bool) -> str:
    def cells(row, tag, blank=()):
        return "".join('<%s style="text-align:%s">%s</%s>'
                       % (tag, _ALIGN[a], "" if i in blank else inline(c), tag)
                       for i, (a, c) in enumerate(zip(b.align, row)))
    blank = b.answer_columns if exercise else ()
    body = "".join("<tr>%s</tr>" % cells(row, "td", blank) for row in b.rows)
    return ('<div class="table-scroll"><table class="doc-table"><thead><tr>%s</tr></thead>'
            "<tbody>%s</tbody></table></div>\n" % (cells(b.header, "th"), body))


def _svg_text(text: str) -> str:
    text = text[text.find("<svg"):]
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def _figure(b: Figure, files) -> str:
    drawing = None
    paths = files.get(b.key, {})
    if b.svg:
        drawing = _svg_text(b.svg)
    elif "svg" in paths:
        drawing = _svg_text(Path(paths["svg"]).read_text(encoding="utf-8"))
    elif "png" in paths:
        data = base64.b64encode(Path(paths["png"]).read_bytes()).decode("ascii")
        drawing = '<img alt="%s" src="data:image/png;base64,%s">' % (
            html.escape(_plain(b.caption or b.fallback)), data)
    if drawing is None:
        return '<p class="fallback">%s</p>\n' % inline(b.fallback) if b.fallback else ""
    caption = "<figcaption>%s</figcaption>" % inline(b.caption) if b.caption else ""
    return '<figure class="doc-figure" data-key="%s">%s%s</figure>\n' % (
        html.escape(b.key), drawing, caption)


def _plain(parts) -> str:
    return "".join(r.text if not isinstance(r, Math) else (r.text or r.latex) for r in parts)


def block(b, exercise: bool = False, files=None) -> str:
    """One block as HTML."""
    files = files or {}
    if isinstance(b, Answer):
        if not exercise:
            return block(b.content, exercise, files)
        if isinstance(b.content, Table):
            return _table(b.content, True)
        return _BLANK % b.size.replace(" ", "-")
    if isinstance(b, Paragraph):
        return "<p>%s</p>\n" % inline(b.runs)
    if isinstance(b, Note):
        return '<p class="note">%s</p>\n' % inline(b.runs)
    if isinstance(b, EquationBlock):
        return _equations(b)
    if isinstance(b, BulletList):
        return "<ul>%s</ul>\n" % "".join("<li>%s</li>" % inline(i) for i in b.items)
    if isinstance(b, Table):
        return _table(b, exercise)
    if isinstance(b, Figure):
        return _figure(b, files)
    raise TypeError(b)


def _number(s: Section) -> str:
    """The number a handout section's title opens with ("7. Optimality" → "7")."""
    first = s.title[0].text if s.title and isinstance(s.title[0], Text) else ""
    m = re.match(r"\s*(\d+)\.", first)
    return m.group(1) if m else ""


def section(s: Section, exercise: bool = False, files=None, extra: str = "",
            anchor: str = "") -> str:
    """One section: its heading as ``<h2>``, its blocks, then ``extra`` (HTML); its id is
    ``section-N`` for a numbered title, else ``anchor``."""
    number = _number(s)
    anchor = "section-%s" % number if number else anchor
    return ('<section class="doc-section"%s>\n<h2>%s</h2>\n%s%s</section>\n'
            % (' id="%s"' % anchor if anchor else "", inline(s.title),
               "".join(block(b, exercise, files) for b in s.blocks), extra))


def contents(document: Document) -> str:
    """The table of contents: a link to each section, in the handout's order.

    >>> from symbellman.render.document import Document, Section, runs
    >>> contents(Document("T", (Section(runs("1. A <b>"), ()), Section(runs("Notes"), ()))))
    '<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol><li><a href="#section-1">1. A &lt;b&gt;</a></li><li><a href="#part-2">Notes</a></li></ol></nav>'
    """
    if not document.sections:
        return ""
    items = "".join('<li><a href="#%s">%s</a></li>' % (_anchor(s, i), inline(s.title))
                    for i, s in enumerate(document.sections, 1))
    word = html.escape(_("Contents"))
    return ('<nav class="toc" aria-label="%s"><h2>%s</h2><ol>%s</ol></nav>'
            % (word, word, items))


def _anchor(s: Section, i: int) -> str:
    number = _number(s)
    return "section-%s" % number if number else "part-%d" % i


#: On the page, words meant for the command line say what the page does instead: the
#: sliders give the parameters' values (not ``--at``), and the page's table has every
#: value (no ``-closed-forms.json`` is written beside a page).
_AT = re.compile(r"give (them|numbers) with --at")
_SLIDERS = N_("give them with the sliders at the top of the page")
_TABLE = N_("the table of values on this page (exact, at the sliders’ values)")
_AT_TOP = N_("the sliders at the top of the page")


def page_words(parts) -> tuple:
    """Inline runs with the command line's words put as the page would say them.

    >>> from symbellman.render.document import runs, Code
    >>> inline(page_words(runs("(give them with ", Code("--at"), ").")))
    '(give them with the sliders at the top of the page).'
    >>> inline(page_words(runs("Every closed form is in ", Code("x-closed-forms.json"),
    ...                        "; name the states to print with ", Code("--closed-forms"), ".")))
    'Every value is in the table of values on this page (exact, at the sliders’ values).'
    """
    out: list = []
    for r in parts:
        if isinstance(r, Code) and r.text == "--at":
            if out and isinstance(out[-1], Text) and out[-1].text.endswith("give them with "):
                out[-1] = Text(out[-1].text[:-len("give them with ")] + _(_SLIDERS))
            else:
                out.append(Text(_(_AT_TOP)))
        elif isinstance(r, Code) and r.text.endswith("closed-forms.json"):
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text.replace("Every closed form is in ",
                                                    "Every value is in "))
            out.append(Text(_(_TABLE)))
        elif isinstance(r, Code) and r.text == "--closed-forms":
            if out and isinstance(out[-1], Text):
                out[-1] = Text(re.sub(r";? name the states to print with $", "", out[-1].text))
        elif isinstance(r, Text) and _AT.search(r.text):
            out.append(Text(_AT.sub(_(_SLIDERS), r.text)))
        else:
            out.append(r)
    return tuple(out)


def _page_document(document: Document) -> Document:
    """The document with :func:`page_words` in its paragraphs and notes."""
    def fix(b):
        if isinstance(b, (Paragraph, Note)):
            return replace(b, runs=page_words(b.runs))
        if isinstance(b, Answer):
            return replace(b, content=fix(b.content))
        return b
    return replace(document, sections=tuple(
        replace(s, blocks=tuple(fix(b) for b in s.blocks)) for s in document.sections))


def explorer_parts(data: dict) -> dict:
    """The explorer's parts (name → HTML) for the page's data: a Markov reward process
    has no optimality part (no actions, no v*), and the finite horizon, average reward
    and TD(0) parts are there only for a model that asks for them."""
    markup = translate_markup(_asset("explorer.html"))
    parts = {m.group(1): m.group(2) for m in _PART.finditer(markup)}
    if data["model"].get("mrp"):
        del parts["optimality"]
    if not (data.get("horizon") or data.get("average")):
        del parts["families"]
    if not data.get("td"):
        del parts["projected"]
    return parts


_SCRIPT_WORD = re.compile(r'\bT\("((?:[^"\\]|\\.)*)"')


def script_words(code: str, messages=()) -> dict:
    """The translations of the script's words (each ``T("...")`` in :func:`page_script`,
    and the catalog ``messages`` the page's data hands it to translate, such as each
    family's equation name) in the current language: the dictionary the script reads from
    the page's data (empty in English, where the script keeps its own words).

    >>> script_words('T("Run"); T("Pause")', ["Bellman equation of v"])
    {}
    """
    words = {}
    found = [json.loads('"%s"' % m.group(1)) for m in _SCRIPT_WORD.finditer(code)]
    for message in found + list(messages):
        if _(message) != message:
            words[message] = _(message)
    return words


def write(document: Document, *, exercise: bool = False, names: dict | None = None,
          data: dict | None = None, subtitle: str = "", standalone: bool = True) -> str:
    """The document as HTML.

    Parameters
    ----------
    document : Document
        The handout; its figure files (``Document.files``) are read and put inline.
    exercise : bool
        Leave the answers blank.
    names : dict, optional
        Unused (figures travel inside the page); accepted like the other writers.
    data : dict, optional
        The page's data (:func:`~symbellman.render.page_data.page_data`): with it, the
        explorer's parts go into their sections (:data:`PLACES`) and the sliders into a
        bar at the top.
    subtitle : str
        A line under the title.
    standalone : bool
        The whole page (``<!DOCTYPE html>`` with style and script), or only the sections.
    """
    del names
    parts = explorer_parts(data) if data is not None else {}
    if data is not None:
        document = _page_document(document)
    controls = parts.pop("controls", "")
    lecture = parts.pop("lecture", "")
    out = []
    for i, s in enumerate(document.sections, 1):
        here = [parts.pop(name) for name in PLACES.get(s.key, ()) if name in parts]
        out.append(section(s, exercise, document.files, "".join(here), _anchor(s, i)))
    if parts:  # their sections are not in the document (a notebook's page has none)
        out.append('<section class="doc-section" id="explorer">\n%s</section>\n'
                   % "".join(parts.values()))
    sheet = ('<p class="note">%s</p>\n' % html.escape(_("Exercise sheet: fill in the blanks."))
             if exercise else "")
    handout = '<article id="handout" aria-label="%s">\n%s%s</article>' % (
        html.escape(_("The handout")), sheet, "".join(out))
    if not standalone:
        return handout
    code = page_script()
    if data is not None:  # the script's words in the page's language
        messages = [f["name"] for f in data["equations"]["families"]]
        data = {**data, "words": script_words(code, messages)}
    script = ('<script type="application/json" id="page-data">%s</script>\n<script>%s'
              "</script>" % (script_json(data), code)) if data is not None else ""
    fields = {"@LANG@": current().replace("_", "-"),
              "@TITLE@": html.escape(document.title), "@SUBTITLE@": html.escape(subtitle),
              "@VERSION@": __version__, "@CSS@": _asset("page.css"),
              "@SCRIPT_SRC@": " script-src %s;" % script_hash(code) if data is not None else "",
              "@FOOTER@": html.escape(
                  _("Written by symbellman {version}: exact closed forms, evaluated in your "
                    "browser. No network needed.") if data is not None else
                  _("Written by symbellman {version}. No network needed.")).format(
                      version=__version__)}
    page = translate_markup(_asset("page.html"))
    for key, value in fields.items():
        page = page.replace(key, value)
    # one pass, so that nothing put in is read again as a placeholder
    pieces = {"@CONTROLS@": controls, "@LECTURE@": lecture, "@CONTENTS@": contents(document),
              "@HANDOUT@": handout, "@SCRIPT@": script}
    return re.sub("|".join(pieces), lambda m: pieces[m.group()], page)
