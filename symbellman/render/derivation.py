r"""The Bellman equations derived step by step, each step named, for a handout.

From the recursive return G_t = R_{t+1} + γ G_{t+1} to the Bellman expectation equation
of v_π (definition of the return, linearity of expectation, the law of total expectation
over A_t and then over (S_{t+1}, R_{t+1}), the Markov property), then the half-steps that
join v_π and q_π, and the same for v_* and q_*. Written in the model's reward convention:
rewards on (s, a, s') for a decision process, on (s, s') for a reward process, with
r(s, a, s') = E[R_{t+1} | S_t = s, A_t = a, S_{t+1} = s'].

Each function returns :class:`~symbellman.render.document.EquationBlock` objects whose
``tags`` name the steps.

>>> block = expectation_derivation(mrp=False)[0]
>>> block.tags[2]
(Text(text='linearity of expectation'),)
"""

from __future__ import annotations

import re

from ..core.i18n import N_, _
from .document import EquationBlock, Math, runs

__all__ = ["expectation_derivation", "optimality_derivation"]

_E = r"\mathbb{E}_\pi"
_GIVEN_S = r"S_t = s"


def _tag(text: str) -> tuple:
    """A step's name; the maths in it (``A_t``, ``G_t = ...``) between dollars.

    >>> _tag("over $A_t$")
    (Text(text='over '), Math(latex='A_t', text=None))
    """
    parts = re.split(r"\$([^$]*)\$", _(text))
    return runs(*[Math(p) if i % 2 else p for i, p in enumerate(parts)])


def _block(rows: list) -> EquationBlock:
    return EquationBlock([r for r, _ in rows], tags=[_tag(t) for _, t in rows])


def _expect(body: str, given: str, e: str = _E) -> str:
    return r"%s\bigl[%s \mid %s\bigr]" % (e, body, given)


def expectation_derivation(mrp: bool) -> list[EquationBlock]:
    """The steps from the return to the Bellman expectation equation of v_π (v for a
    reward process), then the half-steps joining v_π and q_π."""
    if mrp:
        e = r"\mathbb{E}"
        rows = [(r"v(s) &= " + _expect("G_t", _GIVEN_S, e), N_("definition of $v$")),
                (r"&= " + _expect(r"R_{t+1} + \gamma G_{t+1}", _GIVEN_S, e),
                 N_("the return: $G_t = R_{t+1} + \\gamma G_{t+1}$")),
                (r"&= " + _expect("R_{t+1}", _GIVEN_S, e) + r" + \gamma\, "
                 + _expect("G_{t+1}", _GIVEN_S, e), N_("linearity of expectation")),
                (r"&= \sum_{s'} p(s' \mid s)\Bigl[r(s, s') + \gamma\, "
                 + _expect("G_{t+1}", r"S_t = s, S_{t+1} = s'", e) + r"\Bigr]",
                 N_("total expectation over $S_{t+1}$")),
                (r"&= \sum_{s'} p(s' \mid s)\bigl[r(s, s') + \gamma\, "
                 + _expect("G_{t+1}", r"S_{t+1} = s'", e) + r"\bigr]", N_("Markov property")),
                (r"&= \sum_{s'} p(s' \mid s)\bigl[r(s, s') + \gamma\, v(s')\bigr]",
                 N_("definition of $v$"))]
        return [_block(rows)]
    sa = r"S_t = s, A_t = a"
    rows = [(r"v_\pi(s) &= " + _expect("G_t", _GIVEN_S), N_("definition of $v_\\pi$")),
            (r"&= " + _expect(r"R_{t+1} + \gamma G_{t+1}", _GIVEN_S),
             N_("the return: $G_t = R_{t+1} + \\gamma G_{t+1}$")),
            (r"&= " + _expect("R_{t+1}", _GIVEN_S) + r" + \gamma\, "
             + _expect("G_{t+1}", _GIVEN_S), N_("linearity of expectation")),
            (r"&= \sum_a \pi(a \mid s)\Bigl(" + _expect("R_{t+1}", sa) + r" + \gamma\, "
             + _expect("G_{t+1}", sa) + r"\Bigr)", N_("total expectation over $A_t$")),
            (r"&= \sum_a \pi(a \mid s) \sum_{s', r} p(s', r \mid s, a)\Bigl[r + \gamma\, "
             + _expect("G_{t+1}", r"S_t = s, A_t = a, S_{t+1} = s'") + r"\Bigr]",
             N_("total expectation over $(S_{t+1}, R_{t+1})$")),
            (r"&= \sum_a \pi(a \mid s) \sum_{s', r} p(s', r \mid s, a)\Bigl[r + \gamma\, "
             + _expect("G_{t+1}", r"S_{t+1} = s'") + r"\Bigr]", N_("Markov property")),
            (r"&= \sum_a \pi(a \mid s) \sum_{s'} p(s' \mid s, a)\bigl[r(s, a, s') + "
             r"\gamma\, v_\pi(s')\bigr]", N_("definition of $v_\\pi$; rewards on $(s, a, s')$"))]
    half = [(r"q_\pi(s, a) &= " + _expect("G_t", sa), N_("definition of $q_\\pi$")),
            (r"&= \sum_{s'} p(s' \mid s, a)\bigl[r(s, a, s') + \gamma\, v_\pi(s')\bigr]",
             N_("the same steps, given $A_t = a$")),
            (r"v_\pi(s) &= \sum_a \pi(a \mid s)\, q_\pi(s, a)", N_("total expectation over $A_t$")),
            (r"q_\pi(s, a) &= \sum_{s'} p(s' \mid s, a)\Bigl[r(s, a, s') + \gamma "
             r"\sum_{a'} \pi(a' \mid s')\, q_\pi(s', a')\Bigr]", N_("the two half-steps joined"))]
    return [_block(rows), _block(half)]


def optimality_derivation() -> EquationBlock:
    """From v_* = max over policies to the Bellman optimality equations of v_* and q_*."""
    sa = r"S_t = s, A_t = a"
    rows = [(r"v_*(s) &= \max_\pi v_\pi(s)", N_("definition of $v_*$")),
            (r"&= \max_a q_*(s, a)", N_("an optimal policy picks a best action")),
            (r"q_*(s, a) &= " + _expect(r"R_{t+1} + \gamma\, v_*(S_{t+1})", sa, r"\mathbb{E}"),
             N_("act, then follow an optimal policy")),
            (r"&= \sum_{s'} p(s' \mid s, a)\bigl[r(s, a, s') + \gamma\, v_*(s')\bigr]",
             N_("total expectation over $S_{t+1}$")),
            (r"v_*(s) &= \max_a \sum_{s'} p(s' \mid s, a)\bigl[r(s, a, s') + "
             r"\gamma\, v_*(s')\bigr]", N_("the two joined")),
            (r"q_*(s, a) &= \sum_{s'} p(s' \mid s, a)\Bigl[r(s, a, s') + \gamma "
             r"\max_{a'} q_*(s', a')\Bigr]", N_("the two joined, the other way"))]
    return _block(rows)
