"""LaTeX to MathML for the HTML page: browsers draw MathML Core themselves, offline.

The project's equations are LaTeX (from :mod:`symbellman.equations` and
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

from ..errors import MissingDependency

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


#: ``\text{name}`` with plain contents: a state name or a slot, swapped for a numbered
#: mark while the converter runs, so that every equation of one shape (a gridworld has a
#: handful for 100 states) is converted once.
_PLAIN_TEXT = re.compile(r"\\text\{([A-Za-z0-9@ .:'-]*)\}")
_MARK = re.compile(r"<mtext>@@(\d+)@@</mtext>")


@lru_cache(maxsize=4096)
def _convert_shape(latex: str, display: bool) -> str:
    text = _converter()(latex, display="block" if display else "inline")
    text = _REFERENCE.sub(_characters, text)
    # latex2mathml keeps the backslash of \bigl\{ ... \bigr\}: the brace is meant
    text = re.sub(r">\\([{}])</mo>", r">\1</mo>", text)
    text = text.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "")
    return text.replace(' display="inline"', "")


def to_mathml(latex: str, *, display: bool = False) -> str:
    r"""One LaTeX formula (no ``&`` alignment) as a ``<math>`` element.

    Placeholders ``\text{@slot@}`` become empty ``<mn data-slot="slot">`` elements.
    Formulas that differ only in plain ``\text{...}`` (state names, slots) share one
    conversion.

    >>> to_mathml(r"\tfrac{1}{4}\gamma")
    '<math><mrow><mstyle displaystyle="false" scriptlevel="0"><mfrac><mrow><mn>1</mn></mrow><mrow><mn>4</mn></mrow></mfrac></mstyle><mi>γ</mi></mrow></math>'
    >>> to_mathml(r"\gamma \cdot \text{@v3@}")
    '<math><mrow><mi>γ</mi><mo>·</mo><mn data-slot="v3"></mn></mrow></math>'
    >>> to_mathml(r"v(\text{r0c1})")
    '<math><mrow><mi>v</mi><mo stretchy="false">(</mo><mtext>r0c1</mtext><mo stretchy="false">)</mo></mrow></math>'
    """
    _converter()  # a missing converter is reported even when every shape is cached
    texts: list[str] = []

    def mark(match: re.Match) -> str:
        texts.append(match.group(1))
        return r"\text{@@%d@@}" % (len(texts) - 1)

    shape = _PLAIN_TEXT.sub(mark, latex)
    text = _convert_shape(shape, display)
    text = _MARK.sub(lambda m: "<mtext>%s</mtext>" % html.escape(texts[int(m.group(1))],
                                                                   quote=False), text)
    return PLACEHOLDER.sub(r'<mn data-slot="\1"></mn>', text)


def rows_to_mathml(rows: list[str]) -> list[str]:
    r"""The rows of an ``aligned`` equation (``lhs &= ...``, ``&\quad ...``), each as MathML.

    >>> [m.count("<math>") for m in rows_to_mathml([r"x &= 1", r"&\quad {}+ 2"])]
    [1, 1]
    """
    return [to_mathml(row.replace("&", " ")) for row in rows]
