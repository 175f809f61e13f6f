"""Hebrew and Arabic names in the visual order a renderer without bidi needs (matplotlib).

XeLaTeX (``\\beginR``), Graphviz (Pango), browsers and terminals lay out right-to-left
text themselves. matplotlib does not: it draws the characters of a label left to right
as stored, each in its isolated form, so "שלום" would read backwards and Arabic letters
would not join. :func:`visual_order` gives it the characters as they are to be seen,
for the labels of a left-to-right document (the plots' legends and titles):

- each run of Hebrew or Arabic letters, with the spaces and numbers inside it, is
  reversed, its numbers kept left to right (the Unicode bidirectional algorithm's
  result for such a run inside left-to-right text);
- each Arabic letter takes its joining form (isolated, final, initial or medial) from
  Unicode's Arabic Presentation Forms-B, and lām followed by alif becomes its ligature;
  harakat are transparent. Letters outside that block (Persian پ چ ژ گ, ...) keep
  their isolated form.

>>> visual_order("v(שלום)")
'v(םולש)'
"""

from __future__ import annotations

import re

__all__ = ["visual_order", "rtl_runs", "RTL_RUN", "ARABIC_LETTER"]

_HEBREW = "\u0590-\u05ff\ufb1d-\ufb4f"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_RTL = _HEBREW + _ARABIC
#: A run written right to left: its letters, and the spaces and digits between them.
RTL_RUN = re.compile(f"[{_RTL}](?:[{_RTL} 0-9]*[{_RTL}])?")
#: An Arabic letter (a run with one is shaped as Arabic, else as Hebrew).
ARABIC_LETTER = re.compile(f"[{_ARABIC}]")
_NUMBER = re.compile(r"[0-9]+")


def _forms() -> dict[str, tuple[str, ...]]:
    """Each letter's presentation forms (isolated, final[, initial, medial]): the
    block FE80–FEF4 lists them letter after letter, in the letters' order."""
    letters = [(0x0621, 1), *((c, 2) for c in range(0x0622, 0x0626)), (0x0626, 4),
               (0x0627, 2), (0x0628, 4), (0x0629, 2), *((c, 4) for c in range(0x062A, 0x062F)),
               *((c, 2) for c in range(0x062F, 0x0633)), *((c, 4) for c in range(0x0633, 0x063B)),
               *((c, 4) for c in range(0x0641, 0x0648)), (0x0648, 2), (0x0649, 2),
               (0x064A, 4)]
    out, at = {}, 0xFE80
    for letter, count in letters:
        out[chr(letter)] = tuple(chr(at + i) for i in range(count))
        at += count
    return out


_FORMS = _forms()
#: lām + alif (madda, hamza above, hamza below, plain): the ligature, isolated and final.
_LAM_ALIF = {"\u0622": "\ufef5\ufef6", "\u0623": "\ufef7\ufef8", "\u0625": "\ufef9\ufefa",
             "\u0627": "\ufefb\ufefc"}
_LAM = "\u0644"
_TATWEEL = "\u0640"


def _transparent(c: str) -> bool:
    return "\u064b" <= c <= "\u065f" or c == "\u0670" or "\u0610" <= c <= "\u061a"


def _joins_both(c: str) -> bool:  # dual-joining: connects on both sides
    return c == _TATWEEL or len(_FORMS.get(c, ())) == 4


def _joins_right(c: str) -> bool:  # connects to the letter before it
    return c == _TATWEEL or len(_FORMS.get(c, ())) >= 2


def _shape(text: str) -> str:
    """Arabic letters in their joining forms (logical order kept)."""
    out, i, n = [], 0, len(text)

    def neighbour(j: int, step: int) -> str:
        while 0 <= j < n and _transparent(text[j]):
            j += step
        return text[j] if 0 <= j < n else ""

    while i < n:
        c = text[i]
        before = neighbour(i - 1, -1)
        joined = _joins_both(before) and _joins_right(c)
        if c == _LAM and i + 1 < n and text[i + 1] in _LAM_ALIF:
            out.append(_LAM_ALIF[text[i + 1]][1 if joined else 0])
            i += 2
            continue
        forms = _FORMS.get(c)
        if forms is None:
            out.append(c)
            i += 1
            continue
        after = neighbour(i + 1, 1)
        onward = len(forms) == 4 and _joins_right(after)
        if joined and onward:
            out.append(forms[3])
        elif onward:
            out.append(forms[2])
        elif joined and len(forms) >= 2:
            out.append(forms[1])
        else:
            out.append(forms[0])
        i += 1
    return "".join(out)


def _reverse(run: re.Match) -> str:
    # the run backwards, each number in it forwards again
    return _NUMBER.sub(lambda m: m.group()[::-1], _shape(run.group())[::-1])


def visual_order(text: str) -> str:
    """``text`` with each Hebrew or Arabic run in the order it is seen, Arabic letters
    joined: for a renderer that draws characters left to right as given.

    Parameters
    ----------
    text : str
        A label of left-to-right text (a state name, a title).

    Returns
    -------
    str
        The same text where it has no Hebrew or Arabic letter.

    See Also
    --------
    rtl_runs : the same runs, which XeLaTeX and browsers lay out themselves.

    Examples
    --------
    Hebrew has no joining forms: the run is reversed, and a number in it is not.

    >>> visual_order("שלום 12 עולם")
    'םלוע 12 םולש'

    Arabic "مرحبا": mīm initial, rā' final (it never joins onward), ḥā' initial, bā'
    medial, alif final; then reversed. And lām-alif:

    >>> [f"{ord(c):04X}" for c in visual_order("مرحبا")]
    ['FE8E', 'FE92', 'FEA3', 'FEAE', 'FEE3']
    >>> [f"{ord(c):04X}" for c in visual_order("لا")], visual_order("Class1")
    (['FEFB'], 'Class1')
    """
    return RTL_RUN.sub(_reverse, text)


def rtl_runs(text: str) -> list[str]:
    """The runs of ``text`` written right to left (Hebrew, Arabic), each with the spaces
    and digits inside it: what XeLaTeX sets right to left and HTML isolates (``<bdi>``).

    >>> rtl_runs("s1 → שלום עולם 2, مرحبا")
    ['שלום עולם', 'مرحبا']
    """
    return RTL_RUN.findall(text)
