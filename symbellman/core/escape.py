r"""Names made safe for each output language: LaTeX, Markdown, HTML and Graphviz DOT.

A state or action name is the user's text: it may hold ``_``, ``*``, ``<b>``, a quote or
a control character. Every writer puts names through the function of its language, so
that a name prints as it is spelt and never becomes markup (a LaTeX command, Markdown
emphasis, an HTML tag, a DOT statement). Control characters are first shown as visible
escapes (``\x1b``) by :func:`~symbellman.core.expressions.safe_text`.

>>> latex_text("r_search & 50%")
'r\\_search \\& 50\\%'
>>> markdown_text("<b>A</b> x*y_")
'&lt;b>A&lt;/b> x\\*y\\_'
>>> html_text('<b>"A"</b>')
'&lt;b&gt;&quot;A&quot;&lt;/b&gt;'
>>> dot_text('A"; B [color=red]')
'"A\\"; B [color=red]"'

A name inside LaTeX maths is :func:`latex_name`'s ``\text{...}``; maths bound for a
Markdown file or a notebook (``$$`` blocks, which a renderer that does not know them
reads as Markdown) goes through :func:`html_safe_maths`, so that it holds no HTML tag
and no link either. :func:`split_alignment` finds
the ``&`` that aligns an equation, never a name's ``\&``.
"""

from __future__ import annotations

import re

from .names import safe_text

__all__ = ["latex_text", "latex_name", "html_safe_maths", "split_alignment", "markdown_text",
           "markdown_code", "html_text", "dot_text", "plot_text"]

_LATEX = {"\\": r"\textbackslash{}", "_": r"\_", "%": r"\%", "$": r"\$", "#": r"\#",
          "&": r"\&", "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}"}
#: Markdown's inline markup: emphasis, code, links and images, escapes, maths
#: (``$``, which Pandoc, GitHub and Jupyter read as maths) and GFM's ``~~`` strikethrough.
_MARKDOWN = re.compile(r"([\\`*\[\]$~])")
#: ``&`` that could start an entity (``&lt;`` would print as ``<``).
_ENTITY = re.compile(r"&(?=#?\w+;)")
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


def latex_name(name: str) -> str:
    r"""A state or action name as upright text inside LaTeX maths: ``\text{...}`` around
    :func:`latex_text`.

    >>> print(latex_name("Class 1_a"))
    \text{Class 1\_a}
    """
    return r"\text{" + latex_text(name) + "}"


_MATHS_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}<\]]|[^\\{}<\]]+", re.S)


def html_safe_maths(tex: str) -> str:
    r"""LaTeX maths that prints the same, and that HTML or Markdown read as text.

    Maths in a Markdown file (``$$`` blocks) or in a notebook's LaTeX output may be read
    as Markdown or HTML by a renderer that does not know it. So no ``<`` may be
    followed by a letter, ``/``, ``!`` or ``?`` (a tag) and no ``]`` by ``(`` or ``[``
    (a link). Inside ``\text{...}`` such a ``<`` or ``]`` ends the group and the rest goes
    on in a new one; in maths an empty group ``{}`` goes after it.

    >>> print(html_safe_maths(r"v(\text{<script>}) &= 1 + \gamma\, v(\text{[a](js:x)})"))
    v(\text{<}\text{script>}) &= 1 + \gamma\, v(\text{[a]}\text{(js:x)})
    >>> print(html_safe_maths(r"a<b, \bigl[x\bigr](1), 0 < \gamma"))
    a<{}b, \bigl[x\bigr]{}(1), 0 < \gamma
    """
    out, groups = [], []  # groups: True for the group of a \text, False for any other
    tokens = _MATHS_TOKEN.findall(tex)
    for i, token in enumerate(tokens):
        following = tokens[i + 1][:1] if i + 1 < len(tokens) else ""
        if token == "{":
            groups.append(bool(out) and out[-1] == r"\text")
        elif token == "}":
            if groups:
                groups.pop()
        elif (token == "<" and (following.isalpha() or following in "/!?")
              or token == "]" and following in ("(", "[")) and following:
            token += r"}\text{" if groups and groups[-1] else "{}"
        out.append(token)
    return "".join(out)


def split_alignment(row: str) -> tuple[str, str]:
    r"""An ``align`` row split at its first alignment ``&``: (left side, the rest after
    the ``&``). A name's ``\&`` is an escaped ampersand, not an alignment point.

    >>> split_alignment(r"v(\text{a\&b}) &= 1") == (r"v(\text{a\&b}) ", "= 1")
    True
    >>> split_alignment("no alignment")
    ('no alignment', '')
    """
    for match in re.finditer("&", row):
        i = match.start()
        slashes = i - len(row[:i].rstrip("\\"))
        if slashes % 2 == 0:
            return row[:i], row[i + 1:]
    return row, ""


def markdown_text(text: str) -> str:
    r"""Plain text for a Markdown paragraph, heading or table cell, shown as spelt.

    Text without markup characters is returned unchanged, so ordinary prose keeps its
    bytes; ``<`` is written ``&lt;`` only where it could open an HTML tag.

    >>> markdown_text("0 < γ < 1, v_pi*2 [s] _x_")
    '0 < γ < 1, v_pi\\*2 \\[s\\] \\_x\\_'
    >>> markdown_text("E\x1b[2J")
    'E\\\\x1b\\[2J'

    An entity prints as it is spelt, and ``$`` opens no maths:

    >>> print(markdown_text("&lt;b&gt; $x$ ~~s~~ A&B"))
    &amp;lt;b&amp;gt; \$x\$ \~\~s\~\~ A&B
    """
    text = _MARKDOWN.sub(r"\\\1", safe_text(str(text)))
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub("&amp;", text)
    return _HTML_OPENING.sub("&lt;", text)


def markdown_code(text: str) -> str:
    r"""A Markdown code span of ``text``: its fence is longer than any run of backticks
    inside, so the text cannot end it (CommonMark, "Code spans").

    >>> markdown_code("--at"), markdown_code("a`b"), markdown_code("`x")
    ('`--at`', '``a`b``', '`` `x ``')
    """
    text = safe_text(str(text))
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return fence + pad + text + pad + fence


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
