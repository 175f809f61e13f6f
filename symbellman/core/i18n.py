"""The language of human-language output, through gettext message catalogs.

Every sentence, heading, label and instruction that symbellman writes for a reader goes
through :func:`_` (Babel's default keyword, so ``pybabel extract`` finds it). The catalogs
are in ``symbellman/locale/LANG/LC_MESSAGES/symbellman.po`` (the source a translator
edits) and ``.mo`` (compiled by ``pybabel compile``, shipped as package data); a
language is a catalog and nothing else (``docs/translating.md``). Numbers, maths and
state names are put in through placeholders and are the same in every language.

Which language: the first of an explicit ``lang`` (``--lang zh``), the model file's
``lang:``, the environment variable ``SYMBELLMAN_LANG``, and English
(:func:`resolve`). :func:`using` sets it for a block of code (a command, a handout being
built; a builder asks :func:`chosen` whether a caller chose one before it reads the
model's); :func:`_` reads it at call time, so a module-level table of messages must be marked
with :func:`N_` and translated where it is used.

>>> _("State")
'State'
>>> with using("zh"):
...     _("State")
'状态'
>>> current()
'en'
>>> resolve("zh_CN.UTF-8"), resolve(None, env={}), resolve(None, env={"SYMBELLMAN_LANG": "zh"})
('zh', 'en', 'zh')
"""

from __future__ import annotations

import contextvars
import gettext
import os
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .errors import SymbellmanError

__all__ = ["_", "N_", "ngettext", "using", "adopt", "chosen", "current", "resolve", "available",
           "translation",
           "space", "spaced", "LOCALE_DIR", "DOMAIN", "DEFAULT"]

#: Where the catalogs are: ``LOCALE_DIR/LANG/LC_MESSAGES/DOMAIN.mo``.
LOCALE_DIR = Path(__file__).parent.with_name("locale")
DOMAIN = "symbellman"
#: The language of the source strings.
DEFAULT = "en"

#: Languages whose sentences follow each other without a space.
_NO_SPACE = ("zh", "ja")
_LANG = contextvars.ContextVar("symbellman_lang", default=None)
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def available() -> tuple:
    """The languages with a compiled catalog, and English.

    >>> "zh" in available() and "en" in available()
    True
    """
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (DEFAULT, *[x for x in found if x != DEFAULT])


def _normal(lang: str) -> str:
    """``zh_CN.UTF-8`` → ``zh_CN``; ``zh-cn`` → ``zh_CN``."""
    lang = lang.split(".")[0].split("@")[0].strip()
    if not _TAG.fullmatch(lang):
        raise SymbellmanError(f"{lang!r} is not a language tag (write en, zh, zh_CN, ...)")
    parts = re.split(r"[-_]", lang)
    return "_".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])


def resolve(lang: str | None = None, model_lang: str | None = None, env=None) -> str:
    """The language to write in: ``lang``, else ``model_lang`` (when not the default),
    else ``SYMBELLMAN_LANG``, else English; reduced to a language with a catalog
    (``zh_CN`` → ``zh``). A language without a catalog is a one-line error naming those
    there are.

    >>> resolve("en", "zh"), resolve(None, "zh", env={}), resolve("zh-CN")
    ('en', 'zh', 'zh')
    """
    env = os.environ if env is None else env
    for choice in (lang, model_lang if model_lang and model_lang != DEFAULT else None,
                   env.get("SYMBELLMAN_LANG") or None):
        if not choice:
            continue
        tag = _normal(choice)
        have = available()
        for candidate in (tag, tag.split("_")[0]):
            if candidate in have:
                return candidate
        raise SymbellmanError(f"no catalog for the language {choice!r} (there are: "
                              f"{', '.join(have)}; docs/translating.md says how to add one)")
    return DEFAULT


@lru_cache(maxsize=None)
def translation(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang`` (a null translation for English)."""
    if lang == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def chosen() -> str | None:
    """The language a caller chose for this block (:func:`using`), or None."""
    return _LANG.get()


def current() -> str:
    """The language :func:`_` translates into now: the one chosen with :func:`using`,
    else ``SYMBELLMAN_LANG``'s (when it has a catalog), else English."""
    lang = _LANG.get()
    if lang:
        return lang
    try:
        return resolve(None)
    except SymbellmanError:  # the command line reports a bad SYMBELLMAN_LANG
        return DEFAULT


@contextmanager
def using(lang: str | None):
    """Translate into ``lang`` inside the block (None: keep the current language, and let
    :func:`adopt` choose one for the rest of the block).

    >>> with using(None):
    ...     lang = adopt("zh")
    ...     _("State")
    '状态'
    >>> _("State")
    'State'
    """
    token = _LANG.set(_LANG.get() if lang is None else resolve(lang, env={}))
    try:
        yield current()
    finally:
        _LANG.reset(token)


def adopt(model_lang: str | None) -> str:
    """The model file's ``lang:`` for the rest of the block, when no caller chose one.

    A command reads its model inside :func:`using`; when ``--lang`` was not given, the
    model's language (else ``SYMBELLMAN_LANG``'s) holds from then on, for the terminal's
    words as for the documents'. Returns the language in force.
    """
    if _LANG.get() is None and model_lang and model_lang != DEFAULT:
        _LANG.set(resolve(None, model_lang))
    return current()


def _(message: str) -> str:
    """``message`` in the current language (itself when the catalog lacks it)."""
    lang = current()
    return message if lang == DEFAULT else translation(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n``, in the current language.

    >>> ngettext("{n} state", "{n} states", 2).format(n=2)
    '2 states'
    """
    return translation(current()).ngettext(singular, plural, n)


def space() -> str:
    """What goes between two sentences: a space, or nothing in Chinese and Japanese
    (whose full stop 。 ends a sentence without one).

    >>> space(), spaced(["A.", "B."])
    (' ', 'A. B.')
    """
    return "" if current().split("_")[0] in _NO_SPACE else " "


def spaced(sentences) -> str:
    """Sentences one after another, with :func:`space` between them."""
    return space().join(sentences)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (for module-level tables,
    translated later by :func:`_`)."""
    return message
