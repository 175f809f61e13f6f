"""What the command line prints: tables, short decimals, files written, safe standard output."""

from __future__ import annotations

import sys

import sympy

#: Significant digits of the decimal column (``--digits`` changes it).
DIGITS = 7
from ..text import decimals
from ..io.files import check_output  # noqa: F401  (the commands check -o with it)
from ..core.names import safe_text
from ..core.i18n import N_, _

#: The policy's kind as the commands name it (translated where printed).
POLICY_KINDS = {"uniform": N_("uniform policy"), "deterministic": N_("deterministic policy"),
                "stochastic": N_("stochastic policy")}


def column_decimal(expr: sympy.Expr, digits: int = DIGITS) -> str:
    """An exact number rounded to ``digits`` significant digits, by integer arithmetic.

    Empty for a closed form that still holds symbols; ``nan`` for a value that is not
    defined. The exponent is always printed whole.

    >>> column_decimal(sympy.Rational(1, 8)), column_decimal(sympy.Integer(10)**30 - 1)
    ('0.125', '1e+30')
    >>> column_decimal(sympy.Rational(-30, 13)), column_decimal(sympy.Rational(-30, 13), 3)
    ('-2.307692', '-2.31')
    """
    if expr is sympy.nan:
        return "nan"
    if expr.free_symbols:
        return ""
    if expr.is_Rational:
        return decimals.significant_text(expr, digits)
    return str(sympy.Float(expr, digits + 4).round(digits))  # an algebraic number


def exact_text(value: sympy.Expr) -> str:
    """``str(value)``; a rational of thousands of digits through the backend's fast
    integer-to-decimal conversion (Python's is quadratic: 0.5 ms for 6,000 digits).

    >>> exact_text(sympy.Rational(-3, 4)), exact_text(sympy.Rational(10**4000 + 1, 3))[-5:]
    ('-3/4', '001/3')
    """
    if isinstance(value, sympy.Rational):
        p, q = int(value.p), int(value.q)
        if max(abs(p), q).bit_length() > 3000:
            from ..linalg import get_backend

            text = get_backend().integer_text
            return text(p) if q == 1 else f"{text(p)}/{text(q)}"
    return str(value)


def value_columns(value: sympy.Expr, args) -> list[str]:
    """The exact and/or decimal column of a value, as ``--exact``/``--decimal`` ask."""
    exact = [] if getattr(args, "decimal", False) else [exact_text(value)]
    decimal = [] if getattr(args, "exact", False) else [
        column_decimal(value, getattr(args, "digits", None) or DIGITS)]
    return exact + decimal


def value_headers(name: str, args) -> list[str]:
    """The headers of :func:`value_columns`, in the current language."""
    return (([] if getattr(args, "decimal", False) else [_("{name} (exact)").format(name=name)])
            + ([] if getattr(args, "exact", False) else [_("decimal")]))


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for a wide (CJK) character, none for a
    combining mark.

    >>> display_width("state"), display_width("状态"), display_width("é")
    (5, 4, 1)

    See Also
    --------
    table : pads its columns by this width.
    """
    if text.isascii():  # every exact number: one column a character, read at C speed
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(c) else 2 if east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: list[list[str]], header: list[str]) -> str:
    """Rows under a header, each column padded to its widest cell as a terminal shows it
    (:func:`display_width`: a Chinese character is two columns).

    >>> print(table([["上课", "1"], ["Pub", "2"]], ["状态", "v"]))
    状态  v
    ----  -
    上课  1
    Pub   2
    """
    rows = [[safe_text(str(c)) for c in r] for r in rows]  # widths of what is shown
    header = [str(c) for c in header]
    shown = [[(c, display_width(c)) for c in r] for r in [header, *rows]]  # measured once
    widths = [max(r[i][1] for r in shown) for i in range(len(header))]
    pad = lambda c, w: c[0] + " " * (w - c[1])  # noqa: E731
    line = lambda r: "  ".join(pad(c, w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    rule = [("-" * w, w) for w in widths]
    return "\n".join([line(shown[0]), line(rule), *map(line, shown[1:])])


def write_or_print(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output`` (whole or not at all), or print it."""
    if output:
        from ..io.files import write_file

        write_file(output, safe_text(text, lines=True))
    else:
        print(text, end="" if text.endswith("\n") else "\n")


class SafeStream:
    """Standard output that shows control characters in what it prints as escapes.

    A state named ``"\\x1b[2J"`` must not clear the terminal, and a lone surrogate
    (which UTF-8 cannot encode) must not crash the printing of the results.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        if text.isascii() and text.isprintable():  # C-speed check for the large texts
            return self._stream.write(text)
        return self._stream.write(safe_text(text, lines=True))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def digit_limit() -> int | None:
    get = getattr(sys, "get_int_max_str_digits", None)  # Python >= 3.11 (and patched 3.10)
    return get() if get else None


def set_digit_limit(digits: int | None) -> None:
    if digits is not None:
        sys.set_int_max_str_digits(digits)


def print_all_digits() -> None:
    """Let symbellman's own exact integers print in full, past Python's 4,300 digits.

    Python's limit guards text-to-int conversion of untrusted input; a model's text is
    read before this is called (and bounded by the limits), so only symbellman's own
    exact results are converted while it is lifted; :func:`main` restores it.
    """
    set_digit_limit(0 if digit_limit() is not None else None)


class Lazy:
    """A JSON object whose values are made only as they are written.

    ``keys`` are the object's keys in order; ``value(key)`` gives each value (text,
    a number, None, a list, a dict or another :class:`Lazy`) when its turn comes.
    """

    __slots__ = ("keys", "value", "plain")

    def __init__(self, keys, value, plain: bool = False):
        self.keys = keys
        self.value = value
        #: the caller vouches that its text values are printable ASCII without quotes
        #: or backslashes (closed forms in plain symbol names): written as they are
        self.plain = plain


def plain_text(text: str) -> bool:
    """Whether json.dumps(text) is text in quotes: printable ASCII, no quote, no backslash.

    >>> plain_text("gamma_1"), plain_text('a"b'), plain_text("γ")
    (True, False, False)
    """
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


def raw_writer(stream):
    """A ``write`` for JSON text to ``stream``: past a :class:`SafeStream`'s check when
    the piece holds no DEL (JSON text has no other character that check changes)."""
    raw = getattr(stream, "_stream", None) if isinstance(stream, SafeStream) else None
    if raw is None:
        return stream.write

    def write(piece: str):
        return raw.write(piece) if "\x7f" not in piece else stream.write(piece)
    return write


def write_json(value, write, level: int = 0) -> None:
    """Write ``value`` as ``json.dumps(value, indent=2)`` writes it, piece by piece.

    Large results (hundreds of MB of closed forms) are never held as one text: each
    entry of a :class:`Lazy` object is computed, written and dropped in turn.

    >>> import io, json
    >>> data = {"a": [1, {"b": None}], "c": {}, "d": "x\\u00e9"}
    >>> out = io.StringIO()
    >>> write_json(Lazy(list(data), data.get), out.write)
    >>> out.getvalue() == json.dumps(data, indent=2)
    True
    """
    import json

    plain, brackets = False, "{}"
    if isinstance(value, Lazy):
        keys, plain = list(value.keys), value.plain
        pairs = ((k, value.value(k)) for k in keys)
    elif isinstance(value, dict):
        keys, pairs = list(value), value.items()
    elif isinstance(value, (list, tuple)):  # written as a map is, without the keys
        keys, pairs, brackets = value, ((None, item) for item in value), "[]"
    else:
        write(json.dumps(value))
        return
    if not keys:
        write(brackets)
        return
    inner = "\n" + "  " * (level + 1)
    write(brackets[0])
    for i, (key, item) in enumerate(pairs):
        write(("," if i else "") + inner + ("" if brackets == "[]" else
                                            json.dumps(str(key)) + ": "))
        if plain and isinstance(item, str):
            write('"' + item + '"')  # what json.dumps gives for such text
        else:
            write_json(item, write, level + 1)
    write("\n" + "  " * level + brackets[1])
