"""What a user reads about a name: shown safely, and the near miss when it is unknown.

Without SymPy, so that an error of the command line (a usage error, an unknown command)
is written without loading it.
"""

from __future__ import annotations

import difflib
import re

__all__ = ["printable", "safe_text", "closest", "did_you_mean"]

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(value) -> str:
    r"""``repr(value)`` with control characters, lone surrogates and bidi overrides escaped.

    What a user wrote reaches a terminal only through this or :func:`safe_text`: an
    escape sequence in a state name must not recolour the screen.

    >>> print(printable("A\x1b[31m"))
    'A\x1b[31m'
    """
    return safe_text(repr(value))


def safe_text(text: str, lines: bool = False) -> str:
    r"""``text`` with control characters shown as escapes (``\x1b``, ``\ud800``).

    With ``lines=True`` newlines and tabs stay as they are (for whole output text).

    >>> print(safe_text("ok\tfine\x1b[2J\ud800"))
    ok\tfine\x1b[2J\ud800
    >>> safe_text("a\tb\n", lines=True)
    'a\tb\n'
    """
    if not _UNSAFE.search(text):
        return text
    keep = "\n\t" if lines else ""
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep
                       else m.group().encode("unicode_escape").decode("ascii"), text)


def closest(name: str, known) -> str | None:
    """The known name most like ``name``, or None.

    >>> closest("Clas1", ["Class1", "Class2", "Pub"])
    'Class1'
    """
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return found[0] if found else None


def did_you_mean(name: str, known, otherwise: str | None = None) -> str | None:
    """The hint for a name that is not one of ``known``: the known name most like it
    (:func:`closest`), else ``otherwise``.

    >>> did_you_mean("Clas1", ["Class1", "Pub"]), did_you_mean("x", ["Class1"], "add it")
    ("did you mean 'Class1'?", 'add it')
    """
    near = closest(name, known)
    return f"did you mean {near!r}?" if near else otherwise
