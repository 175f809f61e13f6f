"""LaTeX to MathML for the HTML page: browsers draw MathML Core themselves, offline.

The project's equations are LaTeX (from :mod:`symbellman.equations.discounted` and
:mod:`symbellman.render.latex`); ``latex2mathml`` (the ``html`` extra) turns each row
into a ``<math>`` element. It knows no ``aligned`` environment, so a multi-row equation
is converted row by row and the page lines the rows up itself. Numeric character
references are written as the characters they stand for, which makes the page smaller
(a 5 × 5 gridworld's equations shrink by about a third).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from ..core.errors import MissingDependency, SymbellmanError

__all__ = ["to_mathml", "rows_to_mathml", "PLACEHOLDER"]

#: ``\text{@name@}`` in LaTeX becomes ``<mn data-slot="name">`` in MathML: a number the
#: page fills in (a value or a parameter at the slider's position).
PLACEHOLDER = re.compile(r"<mtext>@([A-Za-z0-9_:]+)@</mtext>")

_REFERENCE = re.compile(r"&#x([0-9A-Fa-f]+);")
_KEEP = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}


def _converter():
    try:
        from latex2mathml.converter import convert
    except ImportError:
        raise MissingDependency("the HTML page needs latex2mathml to write its equations",
                                extra="html") from None
    return convert


def _characters(match: re.Match) -> str:
    char = chr(int(match.group(1), 16))
    return _KEEP.get(char, char)


#: A LaTeX text-mode escape (:func:`symbellman.core.escape.latex_text`) → the character.
_UNESCAPE = re.compile(r"\\textbackslash\{\}|\\textless\{\}|\\textgreater\{\}|\\\^\{\}|\\~\{\}"
                       r"|\\([_%$#&{} ])|[{}]")
_UNESCAPED = {r"\textbackslash{}": "\\", r"\textless{}": "<", r"\textgreater{}": ">",
              r"\^{}": "^", r"\~{}": "~"}
#: The commands whose argument is text (a state or action name, words).
_TEXT_COMMAND = re.compile(r"\\(?:text|textrm|mbox)\s*\{")
_SLOT = re.compile(r"@[A-Za-z0-9_:]+@")
_MARK = re.compile(r"<mtext>@@(\d+)@@</mtext>")
#: The elements and attributes the converter writes: anything else in its output is refused.
_ELEMENTS = frozenset("math mrow mi mn mo ms mtext mspace mstyle mfrac msqrt mroot msub msup "
                      "msubsup munder mover munderover mtable mtr mtd mpadded mphantom menclose "
                      "merror semantics annotation mmultiscripts mprescripts none mfenced "
                      "maligngroup malignmark".split())
_ATTRIBUTES = frozenset("display displaystyle scriptlevel stretchy fence separator form "
                        "mathvariant width height depth lspace rspace linethickness columnalign "
                        "rowspacing columnspacing columnlines rowlines frame notation accent "
                        "accentunder movablelimits minsize maxsize symmetric largeop "
                        "mathsize mathcolor mathbackground voffset linebreak rowalign open "
                        "close separators data-slot".split())
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+(?:=\"[^\"<>]*\")?)*)\s*(/?)>")
_ATTRIBUTE = re.compile(r"([\w:-]+)(?:=\"[^\"<>]*\")?")


def _text_arguments(latex: str):
    r"""Each ``\text{...}`` of ``latex``: (start, end, argument), braces balanced and
    ``\{``, ``\}`` escapes skipped.

    >>> list(_text_arguments(r"v(\text{a\_b\}}) + \text{{x}}"))
    [(2, 15, 'a\\_b\\}'), (19, 29, '{x}')]
    """
    for m in _TEXT_COMMAND.finditer(latex):
        depth, i = 1, m.end()
        while i < len(latex):
            c = latex[i]
            if c == "\\":
                i += 2
                continue
            depth += {"{": 1, "}": -1}.get(c, 0)
            if depth == 0:
                yield m.start(), i + 1, latex[m.end():i]
                break
            i += 1


def _plain(argument: str) -> str:
    r"""A ``\text`` argument as the characters it prints (LaTeX escapes undone).

    >>> _plain(r"r\_search \& \textbackslash{}\{x\}")
    'r_search & \\{x}'
    """
    # one pass: an escape gives its character, a bare brace (a group) gives nothing
    return _UNESCAPE.sub(lambda m: _UNESCAPED.get(m.group(), m.group(1) or ""), argument)


def _checked(text: str) -> str:
    """MathML made only of MathML elements and presentation attributes (a name that
    slipped through unescaped would bring an element or attribute of its own).

    >>> _checked('<math><mi>x</mi></math>')
    '<math><mi>x</mi></math>'
    >>> _checked('<math><mtext><img src=x onerror=alert(1)></mtext></math>')
    Traceback (most recent call last):
    ...
    symbellman.core.errors.SymbellmanError: the page's MathML converter wrote markup that is not MathML: <img src=x onerror=alert(1)>
    """
    rest = _TAG.sub("", text)
    bad = re.search(r"<[^ ]", rest) if "<" in rest else None
    for m in _TAG.finditer(text):
        if m.group(2) not in _ELEMENTS or any(
                a.group(1) not in _ATTRIBUTES for a in _ATTRIBUTE.finditer(m.group(3))):
            bad = m
            break
    if bad:
        tag = bad.group() if bad.re is _TAG else rest[bad.start():].split(">")[0] + ">"
        raise SymbellmanError("the page's MathML converter wrote markup that is not MathML: "
                              + tag)
    return text


@lru_cache(maxsize=4096)
def _convert_shape(latex: str, display: bool) -> str:
    text = _converter()(latex, display="block" if display else "inline")
    text = _REFERENCE.sub(_characters, text)
    # latex2mathml keeps the backslash of \bigl\{ ... \bigr\}: the brace is meant
    text = re.sub(r">\\([{}])</mo>", r">\1</mo>", text)
    text = text.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "")
    return _checked(text.replace(' display="inline"', ""))


def to_mathml(latex: str, *, display: bool = False) -> str:
    r"""One LaTeX formula (no ``&`` alignment) as a ``<math>`` element.

    Placeholders ``\text{@slot@}`` become empty ``<mn data-slot="slot">`` elements.
    Every other ``\text{...}`` (a state or action name, words) is taken out before the
    converter runs and put back as escaped text, so a name prints as it is spelt and
    never becomes markup; formulas that differ only in their text share one conversion.

    >>> to_mathml(r"\tfrac{1}{4}\gamma")
    '<math><mrow><mstyle displaystyle="false" scriptlevel="0"><mfrac><mrow><mn>1</mn></mrow><mrow><mn>4</mn></mrow></mfrac></mstyle><mi>γ</mi></mrow></math>'
    >>> to_mathml(r"\gamma \cdot \text{@v3@}")
    '<math><mrow><mi>γ</mi><mo>·</mo><mn data-slot="v3"></mn></mrow></math>'
    >>> to_mathml(r"v(\text{r0c1})")
    '<math><mrow><mi>v</mi><mo stretchy="false">(</mo><mtext>r0c1</mtext><mo stretchy="false">)</mo></mrow></math>'
    >>> to_mathml(r"v(\text{<script>x\_y</script>})")
    '<math><mrow><mi>v</mi><mo stretchy="false">(</mo><mtext>&lt;script&gt;x_y&lt;/script&gt;</mtext><mo stretchy="false">)</mo></mrow></math>'
    """
    _converter()  # a missing converter is reported even when every shape is cached
    texts: list[str] = []
    out, last = [], 0
    for start, end, argument in _text_arguments(latex):
        if start < last:
            continue  # a \text inside a \text: the outer one is taken whole
        out.append(latex[last:start])
        if _SLOT.fullmatch(argument):
            out.append(latex[start:end])
        else:
            texts.append(_plain(argument))
            out.append(r"\text{@@%d@@}" % (len(texts) - 1))
        last = end
    shape = "".join(out) + latex[last:]
    text = _convert_shape(shape, display)
    text = _MARK.sub(lambda m: "<mtext>%s</mtext>" % html.escape(texts[int(m.group(1))],
                                                                   quote=False), text)
    return PLACEHOLDER.sub(r'<mn data-slot="\1"></mn>', text)


def rows_to_mathml(rows: list[str]) -> list[str]:
    r"""The rows of an ``aligned`` equation (``lhs &= ...``, ``&\quad ...``), each as MathML.

    >>> [m.count("<math>") for m in rows_to_mathml([r"x &= 1", r"&\quad {}+ 2"])]
    [1, 1]
    >>> "<mtext>A &amp; B</mtext>" in rows_to_mathml([r"v(\text{A \& B}) &= 1"])[0]
    True
    """
    return [to_mathml(re.sub(r"(?<!\\)&", " ", row)) for row in rows]
