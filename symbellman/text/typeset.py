r"""How equations look: exact numbers and parameters as text, layout trees, line breaking.

:mod:`symbellman.equations.discounted` says what an equation is; this module says how it prints.
A right-hand side becomes a small layout tree of :class:`Sum`, :class:`Group` and
:class:`Max` nodes over strings (a list is a product: no break between its factors);
:func:`flatten` turns the tree into segments that note where a line may break (before
the "+" of a sum, after the comma of a max, deeper sums last) and :func:`pack` fills
lines of a given visible width (:func:`latex_width` for LaTeX, ``len`` for text).

Numbers print from their exact values (``\tfrac{1}{2}``), or as the model wrote them
(``0.2``), never through a float; parameters through :class:`SymbolPrinter` (Greek
letters, upright word subscripts). :mod:`symbellman.equations.layout` uses all this to
lay out one Bellman equation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import sympy
from sympy import Expr, Rational
from sympy.printing.conventions import split_super_sub
from sympy.printing.latex import LatexPrinter, translate
from sympy.printing.str import StrPrinter

from ..core.errors import ModelError

__all__ = ["Notation", "STYLES", "Constant", "Sum", "Group", "Max", "height", "flatten",
           "pack", "latex_width", "aligned_rows", "text_rows", "coefficient_latex",
           "coefficient_text", "exact_latex", "decimal", "SymbolPrinter", "TextPrinter",
           "latex_printer", "as_symbol_printer", "to_latex", "LARGE_SUM"]

#: The equation styles: Sutton & Barto's r(s, a, s') or David Silver's R^a_s.
STYLES = ("sutton-barto", "silver")


@dataclass(frozen=True)
class Notation:
    """How equations print.

    Parameters
    ----------
    style : {"sutton-barto", "silver"}
        Sutton & Barto's r(s, a, s') inside the sum (default), or David Silver's
        expected reward :math:`\\mathcal{R}^a_s` always in front of the discounted sum.
        A Markov reward process prints v(s) in both styles (it has no policy).
    states : {"name", "index"}
        ``\\text{Class1}`` or ``s_{2}`` (the position in the model's state list, from 1).
    terminals : {"auto", "symbol", "zero", "omit"}
        How a terminal successor shows: ``auto`` writes v(s') in v equations and leaves
        it out of q equations (where it would read max_a' q(Sleep, a')); ``symbol``
        always writes v(s'); ``zero`` writes 0; ``omit`` leaves the term out.
    width : int
        The visible characters of a right-hand side per line before it breaks
        (LaTeX; plain text uses ``text_width``).

    >>> Notation(style="barto")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: notation.style: unknown style 'barto' (use sutton-barto or silver)
    """

    style: str = "sutton-barto"
    states: str = "name"
    terminals: str = "auto"
    width: int = 58
    text_width: int = 88

    def __post_init__(self):
        for name, allowed in (("style", STYLES), ("states", ("name", "index")),
                              ("terminals", ("auto", "symbol", "zero", "omit"))):
            if getattr(self, name) not in allowed:
                raise ModelError(f"unknown {name} {getattr(self, name)!r}",
                                 place=f"notation.{name}", hint="use " + " or ".join(allowed))


# -- the layout tree and line breaking ---------------------------------------------------------
class Constant(str):
    r"""The printed text of a known term (a reward, a terminal state's 0) that keeps its
    value, so that a product can put the number first (``2p``, not "p 2") or join two
    numbers by a dot (``\tfrac{1}{2} \cdot 10``, not "½ 10").

    >>> c = Constant("10", 10)
    >>> c, c.value
    ('10', 10)
    """

    value: Expr

    def __new__(cls, text: str, value) -> "Constant":
        self = super().__new__(cls, text)
        self.value = sympy.sympify(value)
        return self


@dataclass
class Sum:
    """Terms joined by + (or − where a term starts with a minus sign)."""

    terms: list


@dataclass
class Group:
    """A body between an opening and a closing bracket."""

    open: str
    close: str
    body: Any


@dataclass
class Max:
    """``max{a, b, ...}``: items between ``open`` and ``close``, separated by ``sep``."""

    open: str
    items: list
    close: str
    sep: str


def height(node) -> int:
    """How many bracket groups nest inside ``node`` (to pick \\bigl, \\Bigl, \\biggl).

    >>> height(Group("(", ")", Sum(["a", Group("(", ")", "b")])))
    2
    """
    if isinstance(node, str):
        return 0
    if isinstance(node, Group):
        return 1 + height(node.body)
    children = node.terms if isinstance(node, Sum) else node.items if isinstance(node, Max) \
        else node  # a list: a product
    return max((height(t) for t in children), default=0)


def flatten(node, depth: int = 0) -> list[list]:
    """``[[break depth or None, text], ...]``: None means no break is allowed before it.

    >>> flatten(Sum(["a", ["2", Group("(", ")", Sum(["b", "-c"]))]]))
    [[None, 'a'], [0, ' + 2(b'], [1, ' - c)']]
    """
    if isinstance(node, str):
        return [[None, node]]
    if isinstance(node, list):  # a product: no breaks between its factors
        out: list[list] = []
        for part in node:
            out = _join(out, flatten(part, depth))
        return out
    if isinstance(node, Group):
        inner = flatten(node.body, depth)
        inner[0][1] = node.open + inner[0][1]
        inner[-1][1] = inner[-1][1] + node.close
        return inner
    if isinstance(node, Sum):
        out = []
        for i, term in enumerate(node.terms):
            segs = flatten(term, depth + 1)
            if i:
                text = segs[0][1]
                segs[0] = [depth, (" - " + text[1:]) if text.startswith("-") else " + " + text]
            out = _join(out, segs)
        return out
    if isinstance(node, Max):
        out = [[None, node.open]]
        for i, item in enumerate(node.items):
            segs = flatten(item, depth + 1)
            if i:
                out[-1][1] += node.sep
                segs[0][0] = depth
            out = _join(out, segs)
        out[-1][1] += node.close
        return out
    raise TypeError(node)


def _join(a: list, b: list) -> list:
    # ``a`` is the caller's own accumulator: extended in place (a new list per term made
    # a sum of 60,000 terms quadratic)
    b = [list(x) for x in b]
    if not a:
        return b
    if b and b[0][0] is None:
        a[-1] = [a[-1][0], a[-1][1] + b[0][1]]
        b = b[1:]
    a.extend(b)
    return a


def pack(segs: list, width: float, measure: Callable[[str], float]) -> list[list]:
    """Greedy lines; on overflow break at the shallowest break point that leaves the line
    at least 40% full (the latest such), so sums break between their outer terms first.

    >>> [len(line) for line in pack(flatten(Sum(["aaaa", "bbbb", "cccc"])), 12, len)]
    [2, 1]
    """
    # A segment's width does not depend on its neighbours (no markup spans two), so a
    # line's width is the sum of its segments': measured once each, not once per line.
    widths = [measure(t) for _, t in segs]
    lines: list[list] = []
    start = 0  # the current line is segs[start:end]
    for end in range(1, len(segs) + 1):
        while end - start > 1 and sum(widths[start:end]) > width:
            cands = [k for k in range(start + 1, end) if segs[k][0] is not None]
            if not cands:
                break
            good = [k for k in cands if sum(widths[start:k]) >= 0.4 * width]
            pool = good or cands
            best = min(segs[k][0] for k in pool)
            k = max(k for k in pool if segs[k][0] == best)
            lines.append(segs[start:k])
            start = k
    lines.append(segs[start:])
    return lines


_TEXT_RE = re.compile(r"\\text\{((?:[^{}\\]|\\.)*)\}")
_FRAC_RE = re.compile(r"\\[td]?frac\{([^{}]*)\}\{([^{}]*)\}")
_SIZING_RE = re.compile(r"\\(?:bigl|bigr|Bigl|Bigr|biggl|biggr|left|right|quad|qquad|mid)"
                        r"(?![a-zA-Z])")


def latex_width(text: str) -> float:
    r"""A rough count of the printed characters of a LaTeX fragment.

    >>> latex_width(r"\tfrac{1}{2}\bigl[x\bigr]")  # ½, [, x, ]
    4.0
    """
    text = _TEXT_RE.sub(lambda m: re.sub(r"\\(.)", r"\1", m.group(1)), text)
    text = _FRAC_RE.sub(lambda m: "x" * max(len(m.group(1)), len(m.group(2))), text)
    text = _SIZING_RE.sub("", text)
    text = re.sub(r"\\[,;:! ]", "", text)
    text = re.sub(r"\\[a-zA-Z]+", "x", text)
    text = text.replace("{", "").replace("}", "").replace("_", "")
    operators = len(re.findall(r"[+=-]", text))
    return len(text.replace(" ", "")) + 1.2 * operators


def aligned_rows(lhs: str, segs: list, width: float) -> list[str]:
    r"""``lhs &= ...`` and ``&\quad ...`` continuation rows of at most ``width``.

    >>> aligned_rows("v", flatten(Sum(["a" * 6, "b" * 6])), 8)
    ['v &= aaaaaa', '&\\quad {}+ bbbbbb']
    """
    rows = []
    for i, line in enumerate(pack(segs, width, latex_width)):
        text = "".join(t for _, t in line).strip()
        if i == 0:
            rows.append("%s &= %s" % (lhs, text))
        else:
            rows.append(r"&\quad %s" % (("{}" + text) if text[:1] in "+-" else text))
    return rows


def text_rows(lhs: str, segs: list, width: int) -> list[str]:
    """``lhs = ...`` then continuation lines indented under the right-hand side.

    >>> text_rows("v", flatten(Sum(["a" * 6, "b" * 6])), 14)
    ['v = aaaaaa', '    + bbbbbb']
    """
    out = []
    for i, line in enumerate(pack(segs, width - len(lhs) - 3, len)):
        text = "".join(t for _, t in line).strip()
        out.append(f"{lhs} = {text}" if i == 0 else " " * (len(lhs) + 3) + text)
    return out


# -- exact numbers ----------------------------------------------------------------------------
_DECIMAL_TEXT = re.compile(r"^\s*[+-]?(\d+\.\d*|\.\d+)\s*$")


def _as_written(value: Expr, text: str | None) -> str | None:
    """The model's own spelling of a decimal (``0.2``), when it still means ``value``."""
    if text is not None and _DECIMAL_TEXT.match(text):
        try:
            if Rational(text.strip()) == value:
                return text.strip().lstrip("+")
        except (TypeError, ValueError):
            pass
    return None


def coefficient_latex(value, text: str | None = None, printer=None) -> str:
    r"""A probability, reward or weight in LaTeX: as written, an integer or ``\tfrac``.

    >>> coefficient_latex(Rational(-1, 5)), coefficient_latex(Rational(1, 5), "0.2")
    ('-\\tfrac{1}{5}', '0.2')
    """
    value = sympy.sympify(value)
    written = _as_written(value, text)
    if written is not None:
        return written
    if value.is_Integer:
        return str(value)
    if value.is_Rational:
        sign = "-" if value < 0 else ""
        return r"%s\tfrac{%d}{%d}" % (sign, abs(value.p), value.q)
    return as_symbol_printer(printer)._print(value)


def coefficient_text(value, text: str | None = None, printer=None) -> str:
    """A probability, reward or weight as plain text (as written where it was a decimal).

    >>> coefficient_text(Rational(1, 5)), coefficient_text(Rational(1, 5), "0.2")
    ('1/5', '0.2')
    """
    written = _as_written(sympy.sympify(value), text)
    printer = printer if isinstance(printer, TextPrinter) else TextPrinter()
    return written if written is not None else printer._print(sympy.sympify(value))


def decimal(value: Expr, digits: int = 3) -> str:
    """A rounded decimal of a number ("" for an expression with symbols).

    >>> decimal(Rational(96, 13)), decimal(Rational(-1, 10000)), decimal(sympy.Symbol('x'))
    ('7.385', '0', '')
    """
    if value.free_symbols or not value.is_number:
        return ""
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def exact_latex(value: Expr, printer=None) -> str:
    r"""An exact value followed by ``\approx`` its decimal where it is not an integer.

    >>> exact_latex(Rational(96, 13))
    '\\tfrac{96}{13} \\approx 7.385'
    """
    out = coefficient_latex(value, None, printer)
    approx = decimal(value)
    if approx and not value.is_Integer:
        out += r" \approx " + approx
    return out


class SymbolPrinter(LatexPrinter):
    r"""SymPy's LaTeX printer, with parameters named as a textbook names them.

    Greek names print as letters (``alpha`` as ``\alpha``), a subscript that is a word
    prints upright (``r_search`` as ``r_{\text{search}}``, where SymPy writes the
    italic product r_{search}), and a name of several letters prints as one italic
    word (``\mathit{reward}``).

    >>> to_latex(sympy.Symbol("r_search") + 1 - sympy.Symbol("alpha"))
    '- \\alpha + r_{\\text{search}} + 1'
    """

    def _print_Add(self, expr, order=None):
        return super()._print_Add(expr, _order(expr, order))

    def _print_Symbol(self, expr, style="plain"):
        if expr in self._settings["symbol_names"]:
            return self._settings["symbol_names"][expr]
        return _symbol_latex(expr.name)


@lru_cache(maxsize=4096)
def _symbol_latex(name: str) -> str:
    base, sups, subs = split_super_sub(name)
    out = _letter(base, r"\mathit{%s}")
    if subs:
        out += "_{%s}" % " ".join(_letter(x, r"\text{%s}") for x in subs)
    if sups:
        out += "^{%s}" % " ".join(_letter(x, r"\text{%s}") for x in sups)
    return out


#: A sum of more terms than this prints in SymPy's stored order: sorting thousands of
#: terms for display costs seconds (a reward that adds up 3,000 symbols).
LARGE_SUM = 64


def _order(expr, order):
    return "none" if order is None and len(expr.args) > LARGE_SUM else order


class TextPrinter(StrPrinter):
    """SymPy's string printer, printing a very long sum without sorting it."""

    def _print_Add(self, expr, order=None):
        return super()._print_Add(expr, _order(expr, order))


def _letter(name: str, word: str) -> str:
    """A Greek letter, a single letter or a number as it is; any other word in ``word``."""
    greek = translate(name)
    if greek != name or len(name) == 1 or name.isdigit():
        return greek
    return word % name.replace("_", r"\_")


def latex_printer() -> SymbolPrinter:
    """The LaTeX printer of symbellman's expressions (see :class:`SymbolPrinter`)."""
    return SymbolPrinter()


def as_symbol_printer(printer) -> SymbolPrinter:
    """``printer`` if it is a :class:`SymbolPrinter`, else a new one."""
    return printer if isinstance(printer, SymbolPrinter) else latex_printer()


def to_latex(expr) -> str:
    r"""An expression in LaTeX through :class:`SymbolPrinter`.

    >>> to_latex(sympy.Symbol("gamma") / 2)
    '\\frac{\\gamma}{2}'
    """
    return latex_printer().doprint(expr)
