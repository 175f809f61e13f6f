"""The words of the page's static markup (``render/assets/explorer.html`` and
``page.html``): each marked here for the catalog, and put in the page's language by
:func:`translate_markup` when the HTML writer fills the template.

The script's own words are marked in the script with ``T("...")`` (see
``docs/translating.md``); these are the words the HTML holds before any script runs: the
controls' labels, the sections' titles, tooltips and ``aria-label``\\ s.

>>> translate_markup('<button title="Reset">Reset</button>')
'<button title="Reset">Reset</button>'
"""

from __future__ import annotations

import html
import re

from ..core.i18n import N_, _

__all__ = ["MARKUP_WORDS", "translate_markup", "markup_texts"]

#: Every text and tooltip of the page's static markup, as it is written there.
MARKUP_WORDS = (
    N_("Discount and parameters"),
    N_("You changed rewards by hand. The closed forms in γ (and the handout’s sections) "
       "describe the model as it was written; the values shown are solved exactly for the "
       "changed model at the sliders’ values."),
    N_("Switch between the lecture view (one screen) and the handout (key L)"),
    N_("Lecture view"),
    N_("What the lecture picture shows"),
    N_("Try it: the values at the sliders’ γ"),
    N_("What the picture shows"),
    N_("Click a state in the picture or the table: its equation with the numbers put in "
       "shows here, and you can change its rewards."),
    N_("Every value"),
    N_("Values at the current discount"),
    N_("Iterative methods"),
    N_("Step by step: sweep after sweep"),
    N_("Method"),
    N_("Evaluate π, improve it by hand"),
    N_("Value iteration"),
    N_("Policy iteration"),
    N_("Evaluate one sweep"),
    N_("π becomes greedy with respect to the current values (ties share the probability)"),
    N_("Improve the policy"),
    N_("Run"),
    N_("Reset"),
    N_("speed"),
    N_("Run speed"),
    N_("1 sweep a second"),
    N_("2 sweeps a second"),
    N_("5 sweeps a second"),
    N_("as fast as it goes"),
    N_("exact fractions"),
    N_("The sweeps show in the picture and the v"),
    N_("column above. Evaluating and improving in turn, by hand, is generalised policy "
       "iteration."),
    N_("Try it: the optimal policy as γ moves"),
    N_("the optimal policy's pieces over γ"),
    N_("Try it: one state’s equations at the sliders’ values"),
    N_("The selected state"),
    N_("Click a state (in a picture or the table) to see its Bellman equations and its "
       "backup diagram here."),
    N_("Skip to the content"),
)

#: A text between tags, or a tooltip, label or placeholder attribute's value.
_TEXT = re.compile(r'(>|\b(?:title|aria-label|placeholder|alt)=")([^<>"]*[A-Za-z][^<>"]*)(?=<|")')


def _normal(text: str) -> str:
    return " ".join(text.split())


def markup_texts(markup: str) -> list[str]:
    """The texts and attribute values of ``markup`` that hold words (comments skipped).

    >>> markup_texts('<p title="a tip">Some words <b>x</b></p><!-- not this -->')
    ['a tip', 'Some words', 'x']
    """
    markup = re.sub(r"<!--.*?-->", "", markup, flags=re.S)
    return [_normal(m.group(2)) for m in _TEXT.finditer(markup) if m.group(2).strip()]


def translate_markup(markup: str) -> str:
    """``markup`` with each text and tooltip of :data:`MARKUP_WORDS` in the current
    language (spaces around a text kept; anything else as it is)."""
    words = {_normal(w): w for w in MARKUP_WORDS}

    def one(m):
        text = m.group(2)
        key = _normal(html.unescape(text))
        if key not in words or _(words[key]) == words[key]:
            return m.group(0)
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        quote = m.group(1) != ">"
        return m.group(1) + lead + html.escape(_(words[key]), quote=quote) + trail
    return _TEXT.sub(one, markup)
