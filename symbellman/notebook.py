"""What a Jupyter notebook shows for a result: the interactive explorer of its model.

``import symbellman`` registers a function with :mod:`symbellman.text.display` that imports
this module the first time a notebook shows a result (so the package imports no SymPy
until it is used); importing it registers :func:`result_html` itself. The results stay
below the writers (no upward import), and a notebook shows ``solve_v(mdp)`` as the
page's explorer (or, for a big model, a compact table of its closed forms).
"""

from __future__ import annotations

from .render.html import notebook_html
from .text.display import register_notebook_display

__all__ = ["result_html"]


def result_html(function) -> str:
    """The notebook's HTML for a result: the explorer of its model and policy.

    >>> from symbellman.model.examples import student_mrp
    >>> from symbellman import solve_v
    >>> result_html(solve_v(student_mrp())).startswith('<iframe sandbox="allow-scripts"')
    True
    """
    return notebook_html(function.mdp, function.policy, function=function)


register_notebook_display(result_html)
