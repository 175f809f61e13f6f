"""What the command line prints: tables, short decimals, files written, safe standard output."""

from __future__ import annotations

import sys

import sympy

#: Significant digits of the decimal column (``--digits`` changes it).
DIGITS = 7
from .. import decimals
from ..io.files import check_output  # noqa: F401  (the commands check -o with it)
from ..expressions import safe_text


def decimal_text(expr: sympy.Expr, digits: int = DIGITS) -> str:
    """An exact number rounded to ``digits`` significant digits, by integer arithmetic.

    Empty for a closed form that still holds symbols; ``nan`` for a value that is not
    defined. The exponent is always printed whole.

    >>> decimal_text(sympy.Rational(1, 8)), decimal_text(sympy.Integer(10)**30 - 1)
    ('0.125', '1e+30')
    >>> decimal_text(sympy.Rational(-30, 13)), decimal_text(sympy.Rational(-30, 13), 3)
    ('-2.307692', '-2.31')
    """
    if expr is sympy.nan:
        return "nan"
    if expr.free_symbols:
        return ""
    if expr.is_Rational:
        return decimals.decimal_text(expr, digits)
    return str(sympy.Float(expr, digits + 4).round(digits))  # an algebraic number


def value_columns(value: sympy.Expr, args) -> list[str]:
    """The exact and/or decimal column of a value, as ``--exact``/``--decimal`` ask."""
    exact = [] if getattr(args, "decimal", False) else [str(value)]
    decimal = [] if getattr(args, "exact", False) else [
        decimal_text(value, getattr(args, "digits", None) or DIGITS)]
    return exact + decimal


def value_headers(name: str, args) -> list[str]:
    """The headers of :func:`value_columns`."""
    return (([] if getattr(args, "decimal", False) else [f"{name} (exact)"])
            + ([] if getattr(args, "exact", False) else ["decimal"]))


def table(rows: list[list[str]], header: list[str]) -> str:
    rows = [[safe_text(str(c)) for c in r] for r in rows]  # widths of what is shown
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


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
