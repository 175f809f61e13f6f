"""Writers of a :class:`~symbellman.render.document.Document`, one module per format.

A writer decides only how each block looks: :mod:`.latex` writes a LaTeX article,
:mod:`.markdown` writes Markdown with ``$$`` maths, :mod:`.html` one self-contained page
(with the interactive explorer when given the page's data). Each exposes one function,
``write(document, *, exercise=False, names=None) -> str``, where ``names`` maps a figure
key to the file name the output refers to. A new format is a new module with the same
function and one branch per block type.
"""

from . import html, latex, markdown

__all__ = ["html", "latex", "markdown"]
