r"""Which TeX engine and which fonts a text needs: Latin text in pdfLaTeX, the rest in XeLaTeX.

pdfLaTeX with T1 fonts sets Latin text (Latin-1, Latin Extended-A, the quotes, dashes
and arrows the handouts use) and nothing else: a Chinese state name stops it with
"Unicode character 学 not set up". :func:`choose_engine` reads the text (and a language
hint, for a document translated into Chinese) and answers ``"pdflatex"`` or
``"xelatex"``; :func:`unicode_source` gives a LaTeX source the XeLaTeX fonts:
Latin Modern still for Latin text and maths (so an English handout looks the same on
either route) and, through ``xeCJK``, Noto Serif CJK SC and Noto Sans CJK SC for
Chinese, Japanese and Korean characters, DejaVu for other scripts (Greek,
Cyrillic, ...; :data:`SCRIPT_FONTS`), and DejaVu Sans, set right to left, for Hebrew
and Arabic (:data:`RTL_FONTS`). A missing engine, package or font is a
one-line :class:`~symbellman.core.errors.MissingDependency` naming the Debian packages
(:data:`INSTALL_CJK`).

The same fonts serve the figures: a Graphviz label or a matplotlib label with such
characters is set in Noto Sans CJK SC (:func:`dot_fontname`, :func:`plot_families`),
never in a font without their glyphs (boxes, "tofu").

>>> choose_engine("Class1 → Pass, café"), choose_engine("学习")
('pdflatex', 'xelatex')
>>> choose_engine("Values", lang="zh")
'xelatex'
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from typing import Iterable, Iterator

from ..core.errors import MissingDependency
from ..text.bidi import ARABIC_LETTER, RTL_RUN

__all__ = ["choose_engine", "needs_unicode_engine", "unicode_source", "check_unicode_route",
           "dot_fontname", "plot_families", "INSTALL_CJK", "CJK_LANGUAGES", "CJK_SERIF",
           "CJK_SANS", "CJK_MONO", "XELATEX_MARK", "XELATEX_FONTS", "SCRIPT_FONTS",
           "RTL_FONTS"]

#: The Debian packages of the XeLaTeX route (hyperref, which Beamer loads, needs
#: texlive-fonts-recommended's ``pzdr.tfm`` under XeTeX).
INSTALL_CJK = ("apt-get install texlive-xetex texlive-lang-chinese texlive-fonts-recommended "
               "fonts-noto-cjk fonts-dejavu-core")
#: Languages whose documents go to XeLaTeX whatever their characters (``--lang zh``).
CJK_LANGUAGES = ("zh", "ja", "ko")
CJK_SERIF, CJK_SANS, CJK_MONO = "Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans Mono CJK SC"

#: The first line of a source for XeLaTeX (TeXShop, TeXstudio and VS Code read it too).
XELATEX_MARK = "% !TEX program = xelatex\n"
#: The fonts of the XeLaTeX route, in place of ``fontenc``/``lmodern``: Latin Modern for
#: Latin text (fontspec's own default) and maths (lmodern's), Noto CJK for CJK text.
XELATEX_FONTS = (r"""\usepackage{lmodern}
\usepackage{fontspec}
\usepackage{xeCJK}
\setCJKmainfont{%s}
\setCJKsansfont{%s}
\setCJKmonofont{%s}
""" % (CJK_SERIF, CJK_SANS, CJK_MONO))
#: Other scripts (Greek, Cyrillic, Armenian, Georgian, ...): DejaVu, serif or sans as the
#: text around them; :func:`unicode_source` puts each run of them in ``\symbellmanscript``.
SCRIPT_FONTS = r"""\newfontfamily\symbellmanserif{DejaVu Serif}
\newfontfamily\symbellmansans{DejaVu Sans}
\makeatletter
\DeclareRobustCommand*{\symbellmanscript}{\ifx\f@family\sfdefault\symbellmansans\else
  \symbellmanserif\fi}
\makeatother
\AtBeginDocument{\ifdefined\pdfstringdefDisableCommands
  \pdfstringdefDisableCommands{\let\symbellmanscript\relax}\fi}
"""
#: Hebrew and Arabic: each run of them (with the spaces and digits inside it) in DejaVu
#: Sans, shaped for its script (Arabic letters join) and laid out right to left by
#: XeTeX's TeX--XeT (``\beginR``), inside the left-to-right text around it; the bookmarks
#: keep the letters in their order.
RTL_FONTS = r"""\TeXXeTstate=1
\newfontfamily\symbellmanhebrewfont{DejaVu Sans}[Script=Hebrew]
\newfontfamily\symbellmanarabicfont{DejaVu Sans}[Script=Arabic]
\DeclareRobustCommand*{\symbellmanhebrew}[1]{{\symbellmanhebrewfont\beginR #1\endR}}
\DeclareRobustCommand*{\symbellmanarabic}[1]{{\symbellmanarabicfont\beginR #1\endR}}
\makeatletter
\AtBeginDocument{\ifdefined\pdfstringdefDisableCommands
  \pdfstringdefDisableCommands{\let\symbellmanhebrew\@firstofone
  \let\symbellmanarabic\@firstofone}\fi}
\makeatother
"""
#: Characters beyond Latin-1 that Latin Modern has, that xeCJK sets in the CJK fonts,
#: or that are written right to left (:data:`RTL_FONTS`): none of them goes to
#: SCRIPT_FONTS.
_OWN_FONTS = ("\u0100-\u017f‘’‚“”„–—…•‰→←↑↓−"
              "\u1100-\u11ff\u2e80-\u303f\u3040-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
              "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
              "\U00020000-\U0003ffff"
              "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff")
_OTHER_SCRIPT = re.compile("[^\x00-\xff" + _OWN_FONTS + "]+")
_PDFLATEX_FONTS = re.compile(r"\\usepackage\[T1\]\{fontenc\}\n(?:\\usepackage\{lmodern\}\n)?")

#: Characters above Latin-1 that pdfLaTeX sets (T1 and textcomp): Latin Extended-A
#: and the punctuation and arrows of the handouts' own sentences.
_PDFLATEX_EXTRA = set("‘’‚“”„–—…•‰′″→←↑↓−") | {chr(c) for c in range(0x100, 0x180)}


def needs_unicode_engine(text: str) -> bool:
    """Whether ``text`` has a character pdfLaTeX cannot set.

    >>> needs_unicode_engine("Café – naïve → Łódź"), needs_unicode_engine("Привет")
    (False, True)
    """
    return any(ord(c) > 0xFF and c not in _PDFLATEX_EXTRA for c in text)


def choose_engine(text: str, lang: str | None = None) -> str:
    """``"xelatex"`` for a text pdfLaTeX cannot set or a CJK language, else ``"pdflatex"``.

    Parameters
    ----------
    text : str
        The document's text (its LaTeX source will do: commands are ASCII).
    lang : str, optional
        The document's language (``"zh"``, ``"zh_CN"``, ``"en"``); a CJK language asks
        for XeLaTeX even before any character does.
    """
    if lang and re.split(r"[-_]", lang.lower())[0] in CJK_LANGUAGES:
        return "xelatex"
    return "xelatex" if needs_unicode_engine(text) else "pdflatex"


def unicode_source(source: str, lang: str | None = None) -> str:
    r"""``source`` ready for its engine: for XeLaTeX, the T1/lmodern lines of the
    preamble become :data:`XELATEX_FONTS` and the first line says ``xelatex``.

    >>> src = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
    >>> unicode_source(src + "x") == src + "x"
    True
    >>> print(unicode_source(src + "学").splitlines()[0])
    % !TEX program = xelatex
    >>> r"\setCJKmainfont{Noto Serif CJK SC}" in unicode_source(src + "学")
    True
    >>> unicode_source(src + "Ωμέγα").endswith(r"{\symbellmanscript Ωμέγα}")
    True
    >>> unicode_source(src + "שלום, مرحبا").endswith(r"\symbellmanhebrew{שלום}, "
    ...                                             r"\symbellmanarabic{مرحبا}")
    True
    """
    if source.startswith(XELATEX_MARK) or choose_engine(source, lang) == "pdflatex":
        return source
    return _xelatex_source(source, _needs_script_fonts(source))


def _xelatex_source(source: str, scripts: bool) -> str:
    """The XeLaTeX preamble for ``source``; with ``scripts``, runs of Greek, Cyrillic, ...
    in DejaVu, and runs of Hebrew and Arabic right to left."""
    fonts = XELATEX_FONTS
    if scripts:  # Greek, Cyrillic, ...: DejaVu, run by run; Hebrew, Arabic right to left
        fonts += SCRIPT_FONTS + RTL_FONTS
        source = _scripts(source)
    return XELATEX_MARK + _PDFLATEX_FONTS.sub(lambda m: fonts, source, count=1)


def _rtl(run: re.Match) -> str:
    script = "arabic" if ARABIC_LETTER.search(run.group()) else "hebrew"
    return rf"\symbellman{script}{{{run.group()}}}"


def _scripts(text: str) -> str:
    text = _OTHER_SCRIPT.sub(lambda m: r"{\symbellmanscript " + m.group() + "}", text)
    return RTL_RUN.sub(_rtl, text)


def _needs_script_fonts(text: str) -> bool:
    return bool(_OTHER_SCRIPT.search(text) or RTL_RUN.search(text))


def unicode_chunks(chunks: Iterable[str], names: str = "", lang: str | None = None
                   ) -> Iterator[str]:
    r"""The pieces of a LaTeX source (the first holds the preamble) ready for their
    engine, as :func:`unicode_source` makes a whole one, without holding them all: the
    engine is chosen from the first piece, ``names`` (every name the document can show)
    and ``lang`` before the first piece is given back.

    >>> head = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n"
    >>> list(unicode_chunks([head, "x"])) == [head, "x"]
    True
    >>> out = list(unicode_chunks([head, "学"], names="学"))
    >>> out[0].startswith(XELATEX_MARK), out[1]
    (True, '学')

    See Also
    --------
    unicode_source : the same for a whole source.
    """
    chunks = iter(chunks)
    first = next(chunks, "")
    sample = first + names
    if first.startswith(XELATEX_MARK) or choose_engine(sample, lang) == "pdflatex":
        yield first
        yield from chunks
        return
    scripts = _needs_script_fonts(sample)
    yield _xelatex_source(first, scripts)
    for chunk in chunks:
        yield _scripts(chunk) if scripts else chunk


@lru_cache(maxsize=None)
def _font_installed(family: str) -> bool | None:
    """Whether fontconfig knows ``family`` (None when there is no fc-list to ask)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        run = subprocess.run([exe, family, "family"], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return bool(run.stdout.strip())


@lru_cache(maxsize=None)
def _tex_file_found(name: str) -> bool | None:
    exe = shutil.which("kpsewhich")
    if exe is None:
        return None
    try:
        run = subprocess.run([exe, name], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return bool(run.stdout.strip())


def check_unicode_route(scripts: bool = False) -> str:
    """The path of ``xelatex``, once its packages and fonts are known to be there (with
    ``scripts``, also the DejaVu fonts of :data:`SCRIPT_FONTS`).

    Raises
    ------
    MissingDependency
        One line naming what is missing and :data:`INSTALL_CJK`.
    """
    exe = shutil.which("xelatex")
    missing = [] if exe else ["xelatex"]
    missing += [p for p in ("fontspec.sty", "xeCJK.sty", "pzdr.tfm")
                if _tex_file_found(p) is False]
    missing += [f for f in (CJK_SERIF, CJK_SANS, *(("DejaVu Serif", "DejaVu Sans")
                                                   if scripts else ()))
                if _font_installed(f) is False]
    if missing:
        raise MissingDependency("Chinese and other non-Latin text in a PDF is typeset by "
                                "XeLaTeX with xeCJK and the Noto CJK fonts (missing: "
                                + ", ".join(missing) + ")", install=INSTALL_CJK)
    return exe


def dot_fontname(text: str, latin: str = "Helvetica") -> str:
    """The Graphviz ``fontname`` for labels with ``text``: ``latin``, or a list that
    puts Noto Sans CJK SC first for text beyond Latin (Pango takes a list of families).

    >>> dot_fontname("Class1"), dot_fontname("学习")
    ('Helvetica', 'Noto Sans CJK SC,Helvetica')
    """
    return f"{CJK_SANS},{latin}" if needs_unicode_engine(text) else latin


def plot_families(texts) -> list[str] | None:
    """matplotlib's ``font.family`` for labels ``texts``: None (its default) for Latin
    text, else DejaVu Sans with Noto Sans CJK SC after it, which matplotlib falls back
    to glyph by glyph (when fontconfig has it).

    >>> plot_families(["Class1", "Pass"]) is None
    True
    """
    if not any(needs_unicode_engine(str(t)) for t in texts):
        return None
    return ["DejaVu Sans", CJK_SANS]
