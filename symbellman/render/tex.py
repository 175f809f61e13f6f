"""Running a TeX engine on a document and reading its log.

:func:`compile_pdf` runs ``pdflatex`` (``xelatex`` with the CJK fonts of
:mod:`.fonts` for text beyond Latin, or ``lualatex``) in a temporary folder with
``-interaction=nonstopmode -halt-on-error``, again until the output is stable (no
"Rerun" or "Table widths have changed" left in the log: ``longtable`` needs a second
pass), and returns the parsed :class:`TexLog` of the last run: the errors, the overfull
boxes and any rerun warning, which a handout test can hold to zero.

The engine runs with its safety switches on (:data:`SAFE_FLAGS`,
:data:`SAFE_ENVIRONMENT`): no shell commands (``\\write18``), and ``\\input`` or
``\\openin`` read only files of the TeX folder and of TeX's own trees, never an
absolute path or one that climbs out with ``..`` (kpathsea's "paranoid" ``openin_any=p``).
A name is escaped before it reaches TeX in any case; these switches hold even if one
were not.

The PDF is reproducible: with ``SOURCE_DATE_EPOCH`` set its dates are that time
(``FORCE_SOURCE_DATE``); without it the PDF carries no date. The document's preamble
removes the trailer ID (see :data:`symbellman.render.writers.latex.PREAMBLE`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..core.errors import MissingDependency, SymbellmanError
from .fonts import XELATEX_MARK, check_unicode_route, choose_engine, unicode_source

__all__ = ["TexLog", "TexError", "find_engine", "parse_log", "compile_pdf", "INSTALL_TEX",
           "MAX_PASSES", "SAFE_FLAGS", "SAFE_ENVIRONMENT", "engine_command"]

INSTALL_TEX = "apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures"
_ENGINES = ("pdflatex", "lualatex")

#: Command-line switches of every TeX run: shell escape off (``\\write18`` is ignored).
SAFE_FLAGS = ("-no-shell-escape",)
#: kpathsea settings of every TeX run (environment variables override ``texmf.cnf``):
#: reading and writing "paranoid" (``p``: no absolute paths, no ``..``, no dot files),
#: and shell escape off once more.
SAFE_ENVIRONMENT = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}


class TexError(SymbellmanError):
    """The TeX engine stopped with an error; the message quotes the log."""


@dataclass(frozen=True)
class TexLog:
    """What a TeX run reported.

    ``overfull`` holds ``(points, context)`` for each ``Overfull \\hbox`` / ``\\vbox``.

    >>> log = parse_log("Overfull \\\\hbox (12.5pt too wide) in paragraph at lines 3--4\\n")
    >>> log.overfull, log.worst_overfull
    (((12.5, 'Overfull \\\\hbox (12.5pt too wide) in paragraph at lines 3--4'),), 12.5)
    """

    text: str
    errors: tuple[str, ...]
    overfull: tuple[tuple[float, str], ...]
    reruns: tuple[str, ...] = ()
    passes: int = 1
    missing: tuple[str, ...] = ()  # characters the fonts have no glyph for (XeLaTeX)

    @property
    def worst_overfull(self) -> float:
        return max((p for p, _ in self.overfull), default=0.0)


_MISSING = re.compile(r"^Missing character: There is no (.+?)(?: \(U\+[0-9A-F]+\))? in font",
                      re.M)
_RERUN = re.compile(r"^.*(?:Rerun|Table widths have changed).*$", re.M)
#: The most passes :func:`compile_pdf` makes before it gives up on a stable output.
MAX_PASSES = 4
_OVERFULL = re.compile(r"^Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\).*$", re.M)


def parse_log(text: str) -> TexLog:
    """Errors (``! ...`` lines and ``file:line: ...``), overfull boxes and requests to run
    again, from a TeX log.

    >>> parse_log("Package longtable Warning: Table widths have changed. Rerun LaTeX.").reruns
    ('Package longtable Warning: Table widths have changed. Rerun LaTeX.',)
    """
    errors = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! ") or re.match(r"^[^:\s]+\.tex:\d+: ", line):
            errors.append(" ".join(x.strip() for x in lines[i:i + 3]))
    overfull = tuple((float(m.group(1)), m.group(0).strip()) for m in _OVERFULL.finditer(text))
    reruns = tuple(m.group(0).strip() for m in _RERUN.finditer(text)
                   if "rerunfilecheck" not in m.group(0))
    missing = tuple(dict.fromkeys(m.group(1) for m in _MISSING.finditer(text)))
    return TexLog(text, tuple(errors), overfull, reruns, missing=missing)


def find_engine(engine: str | None = None) -> str:
    """The path of a TeX engine (``engine``, else pdflatex, else lualatex)."""
    for name in ([engine] if engine else _ENGINES):
        path = shutil.which(name)
        if path:
            return path
    raise MissingDependency(f"PDF output needs a TeX engine ({engine or 'pdflatex or lualatex'})",
                            install=INSTALL_TEX)


def require_engine(engine: str | None = None) -> None:
    """Refuse a PDF at once, before any work, when no TeX engine can typeset it:
    ``engine`` if given, else any of pdflatex, lualatex or xelatex (which one runs is
    chosen from the finished source, see :func:`compile_pdf`).

    Raises the :class:`~symbellman.core.errors.MissingDependency` of :func:`find_engine`.

    See Also
    --------
    find_engine : the engine a run uses.
    """
    if engine is None and any(shutil.which(name) for name in (*_ENGINES, "xelatex")):
        return
    find_engine(engine)


def engine_command(exe: str, first_line: str, jobname: str = "handout") -> list[str]:
    r"""The command line of one TeX run: non-interactive, stopping at the first error,
    with shell escape off (:data:`SAFE_FLAGS`).

    >>> engine_command("pdflatex", r"\input{handout.tex}")  # doctest: +NORMALIZE_WHITESPACE
    ['pdflatex', '-no-shell-escape', '-interaction=nonstopmode', '-halt-on-error',
     '-file-line-error', '-jobname=handout', '\\input{handout.tex}']
    """
    return [exe, *SAFE_FLAGS, "-interaction=nonstopmode", "-halt-on-error",
            "-file-line-error", f"-jobname={jobname}", first_line]


def compile_pdf(source: str, output: str | Path, *, files: Mapping[str, str | Path] = (),
                engine: str | None = None, timeout: float = 120) -> TexLog:
    """Typeset ``source`` into the PDF ``output``; ``files`` are copied beside it first
    (name in the TeX folder → path), e.g. the diagram and the plot.

    Without ``engine`` the source chooses it (:func:`~symbellman.render.fonts.choose_engine`):
    XeLaTeX with the CJK fonts for text pdfLaTeX cannot set, given those fonts by
    :func:`~symbellman.render.fonts.unicode_source` if the source has not got them.

    Raises :class:`TexError` with the log's first error if the engine fails, or when
    XeLaTeX's fonts have no glyph for a character (it would print as nothing), and
    :class:`~symbellman.core.errors.MissingDependency` (one line, naming the Debian
    packages) when the XeLaTeX route is needed and not installed.
    """
    if engine is None and (source.startswith(XELATEX_MARK)
                           or choose_engine(source) == "xelatex"):
        source = unicode_source(source)
        exe = check_unicode_route(scripts=r"\newfontfamily\symbellmanserif" in source)
    else:
        exe = find_engine(engine)
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="symbellman-tex-") as tmp:
        folder = Path(tmp)
        for name, path in dict(files).items():
            shutil.copyfile(path, folder / name)
        (folder / "handout.tex").write_text(source, encoding="utf-8")
        env = {**os.environ, **SAFE_ENVIRONMENT}
        if env.get("SOURCE_DATE_EPOCH", "").strip():
            env["FORCE_SOURCE_DATE"] = "1"
            first_line = r"\input{handout.tex}"
        else:  # no date at all, rather than the time of the run
            first_line = (r"\ifdefined\pdfinfoomitdate\pdfinfoomitdate=1\fi"
                          r"\input{handout.tex}")
        start = time.perf_counter()
        for passes in range(1, MAX_PASSES + 1):
            left = timeout - (time.perf_counter() - start)
            try:
                run = subprocess.run(engine_command(exe, first_line), cwd=folder,
                                     capture_output=True, timeout=max(left, 1), env=env)
            except subprocess.TimeoutExpired:
                raise TexError(f"{Path(exe).name} took longer than {timeout:.0f} s") from None
            log_path = folder / "handout.log"
            text = log_path.read_text(encoding="utf-8", errors="replace") \
                if log_path.exists() else run.stdout.decode(errors="replace")
            log = parse_log(text)
            pdf = folder / "handout.pdf"
            if run.returncode != 0 or not pdf.exists():
                first = log.errors[0] if log.errors else text[-500:]
                raise TexError(f"{Path(exe).name} failed: {first}")
            if not log.reruns:
                break
        if log.missing and Path(exe).name.startswith("xelatex"):
            shown = ", ".join(f"{c} (U+{ord(c):04X})" if len(c) == 1 else c
                              for c in log.missing[:5])
            raise TexError(f"the PDF's fonts have no glyph for {shown}: Latin, Greek, "
                           "Cyrillic, Hebrew, Arabic, Chinese, Japanese and Korean text can "
                           "be typeset; the Markdown and HTML outputs show every script")
        log = TexLog(log.text, log.errors, log.overfull, log.reruns, passes, log.missing)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, output)
    return log
