"""The command line's error lines, in the reader's language.

An error is raised in English where it is found (:mod:`symbellman.core.errors`: a sentence,
and for a model its file, its place and a hint); it is translated here, when it is
printed. The file and the place (``transitions.Class3.pub``) are the same in every
language; the sentence is matched against :data:`KINDS`, the common kinds of error with
their varying parts (a state's name, a sum) as placeholders, and put into the
catalog's sentence; a sentence of no known kind, and a hint, are translated when the
catalog has them word for word, and are printed in English otherwise.

>>> from symbellman.core.errors import ModelError
>>> from symbellman.core.i18n import using
>>> error = ModelError("the probabilities sum to 9/10, not 1", place="p",
...                    source="m.yaml", hint="make them add up to exactly 1")
>>> error_line(error)
'symbellman: error: m.yaml: p: the probabilities sum to 9/10, not 1 (make them add up to exactly 1)'
>>> with using("zh"):
...     error_line(error)
'symbellman: 错误：m.yaml: p: 概率之和为 9/10，不是 1（请让它们之和恰好为 1）'

See Also
--------
symbellman.cli.main : prints these lines and exits with status 2.
symbellman.checking.messages : ``check``'s verdicts, through the same catalog.
"""

from __future__ import annotations

import re

from ..core.errors import ModelError, SymbellmanError
from ..core.names import safe_text
from ..core.i18n import DEFAULT, N_, _, resolve, using

__all__ = ["KINDS", "translate", "error_line", "said", "speaking"]

#: The common kinds of error: the English sentence as raised (a regular expression whose
#: named groups are the varying parts) and the catalog's message with those placeholders.
KINDS = [(re.compile(pattern), message) for pattern, message in [
    (r"no such file", N_("no such file")),
    (r"the probabilities sum to (?P<total>.+), not 1",
     N_("the probabilities sum to {total}, not 1")),
    (r"the action probabilities sum to (?P<total>.+), not 1",
     N_("the action probabilities sum to {total}, not 1")),
    (r"the probability (?P<p>.+) is not between 0 and 1",
     N_("the probability {p} is not between 0 and 1")),
    (r"unknown state (?P<name>.+)", N_("unknown state {name}")),
    (r"unknown key (?P<key>.+)", N_("unknown key {key}")),
    (r"(?P<action>.+) is not an action of state (?P<state>.+)",
     N_("{action} is not an action of state {state}")),
    (r"YAML syntax error: (?P<detail>.+)", N_("YAML syntax error: {detail}")),
    (r"--at expects name=value, got (?P<got>.+)", N_("--at expects name=value, got {got}")),
    (r"the value of (?P<name>\w+) must be a number", N_("the value of {name} must be a number")),
    (r"expected a finite number, got (?P<value>.+)", N_("expected a finite number, got {value}")),
    (r"no catalog for the language (?P<lang>.+) \(there are: (?P<have>[^;]+); "
     r"docs/translating\.md says how to add one\)",
     N_("no catalog for the language {lang} (there are: {have}; docs/translating.md says "
        "how to add one)")),
]]

#: The hints most errors give, translated word for word.
HINTS = (N_("make them add up to exactly 1"), N_("for example --at gamma=9/10"))

#: Lines the command line prints when it stops.
STOPPED = (N_("interrupted"), N_("terminated"))


def translate(sentence: str) -> str:
    """``sentence`` (an error's, in English) in the current language: through the first
    of :data:`KINDS` that matches it whole, else word for word, else as it is.

    >>> from symbellman.core.i18n import using
    >>> with using("zh"):
    ...     translate("unknown state 'Pub'"), translate("a sentence of no known kind")
    ("未知状态 'Pub'", 'a sentence of no known kind')
    """
    for pattern, message in KINDS:
        found = pattern.fullmatch(sentence)
        if found:
            return _(message).format(**found.groupdict())
    return _(sentence)


def speaking(lang: str | None):
    """:func:`~symbellman.core.i18n.using` ``lang``, or English when ``lang`` has no catalog
    (that is the error being said)."""
    if lang is not None:
        try:
            resolve(lang)
        except SymbellmanError:
            lang = DEFAULT
    return using(lang)


def said(exc: BaseException, lang: str | None = None) -> str:
    """The error's text in ``lang`` (None: the current language): file and place as
    they are, the sentence and the hint translated."""
    if lang is not None:
        with speaking(lang):
            return said(exc)
    if isinstance(exc, ModelError):
        where = ": ".join(p for p in (exc.source, exc.place) if p)
        text = translate(exc.message)
        text = f"{where}: {text}" if where else text
        if exc.hint:
            text = _("{text} ({hint})").format(text=text, hint=_(exc.hint))
        return text
    text = str(exc)
    head, sep, rest = text.partition(": ")
    # "FILE: sentence" (a SolveError named after its model, a file that is missing)
    if sep and not head.count(" ") and translate(rest) != rest:
        return f"{head}: {translate(rest)}"
    return translate(text)


def error_line(exc: BaseException | str, lang: str | None = None) -> str:
    """The one line the command line prints for an error (text already said, or an
    exception) in ``lang`` (None: the current language), whatever a file or state name
    holds."""
    if lang is not None:
        with speaking(lang):
            return error_line(exc)
    message = exc if isinstance(exc, str) else said(exc)
    return safe_text(_("symbellman: error: {message}").format(message=message))
