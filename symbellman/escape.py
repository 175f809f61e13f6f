r"""Names made safe for each output language: LaTeX, Markdown, HTML and Graphviz DOT.

A state or action name is the user's text: it may hold ``_``, ``*``, ``<b>``, a quote or
a control character. Every writer puts names through the function of its language, so
that a name prints as it is spelt and never becomes markup (a LaTeX command, Markdown
emphasis, an HTML tag, a DOT statement). Control characters are first shown as visible
escapes (``\x1b``) by :func:`~symbellman.expressions.safe_text`.

>>> latex_text("r_search & 50%")
'r\\_search \\& 50\\%'
>>> markdown_text("<b>A</b> x*y_")
'&lt;b>A&lt;/b> x\\*y\\_'
>>> html_text('<b>"A"</b>')
'&lt;b&gt;&quot;A&quot;&lt;/b&gt;'
>>> dot_text('A"; B [color=red]')
'"A\\"; B [color=red]"'
"""

from __future__ import annotations

import re

from .expressions import safe_text

__all__ = ["latex_text", "markdown_text", "html_text", "dot_text", "plot_text"]

_LATEX = {"\\": r"\textbackslash{}", "_": r"\_", "%": r"\%", "$": r"\$", "#": r"\#",
          "&": r"\&", "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}"}
#: Markdown's inline markup: emphasis, code, links and images, escapes.
_MARKDOWN = re.compile(r"([\\`*\[\]])")
#: ``_`` that could open or close emphasis: not inside a word (``v_pi`` stays as it is).
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
#: ``<`` that could open raw HTML (a tag, a closing tag, a comment, an instruction).
_HTML_OPENING = re.compile(r"<(?=[A-Za-z/!?])")


def latex_text(text: str) -> str:
    r"""Plain text for LaTeX's text mode; a control character shows as ``\x1b``.

    >>> latex_text("E\x1b[2J ~x^2")
    'E\\textbackslash{}x1b[2J \\~{}x\\^{}2'
    """
    return "".join(_LATEX.get(c, c) for c in safe_text(str(text)))


def markdown_text(text: str) -> str:
    r"""Plain text for a Markdown paragraph, heading or table cell, shown as spelt.

    Text without markup characters is returned unchanged, so ordinary prose keeps its
    bytes; ``<`` is written ``&lt;`` only where it could open an HTML tag.

    >>> markdown_text("0 < γ < 1, v_pi*2 [s] _x_")
    '0 < γ < 1, v_pi\\*2 \\[s\\] \\_x\\_'
    >>> markdown_text("E\x1b[2J")
    'E\\\\x1b\\[2J'
    """
    text = _MARKDOWN.sub(r"\\\1", safe_text(str(text)))
    text = _UNDERSCORE.sub(r"\\_", text)
    return _HTML_OPENING.sub("&lt;", text)


def html_text(text: str) -> str:
    """Text for HTML content or a quoted attribute.

    >>> html_text("a & b")
    'a &amp; b'
    """
    from html import escape

    return escape(safe_text(str(text)), quote=True)


def dot_text(text: str) -> str:
    r"""A quoted DOT string (an ID or a label): a name cannot end it or add a statement.

    >>> print(dot_text('say "hi"\n'))
    "say \"hi\"\\n"
    """
    text = safe_text(str(text))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plot_text(text: str) -> str:
    r"""A label for matplotlib: ``$`` would start its maths, a control character has no glyph.

    >>> plot_text("win $5\x1b")
    'win \\$5\\x1b'
    """
    return safe_text(str(text)).replace("$", r"\$")
