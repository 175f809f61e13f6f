r"""The textbook's general Bellman equations (for every state s) as LaTeX, in each style.

Sutton & Barto's notation (``"sutton-barto"``: p(s' | s, a), r(s, a, s')) or David
Silver's (``"silver"``: R^a_s, P^a_ss'); :mod:`symbellman.equations` writes the same
equations out for one model.
"""

from __future__ import annotations

from .errors import ModelError
from .typeset import STYLES

__all__ = ["GENERAL_FORMS", "general_form"]

#: The general equation of each (family, style) as LaTeX.
GENERAL_FORMS = {
    ("v", "sutton-barto"):
        r"v_\pi(s) = \sum_{a} \pi(a \mid s) \sum_{s'} p(s' \mid s, a)\,\bigl[r(s, a, s') "
        r"+ \gamma\, v_\pi(s')\bigr]",
    ("q", "sutton-barto"):
        r"q_\pi(s, a) = \sum_{s'} p(s' \mid s, a)\,\Bigl[r(s, a, s') + \gamma \sum_{a'} "
        r"\pi(a' \mid s')\, q_\pi(s', a')\Bigr]",
    ("v_from_q", "sutton-barto"): r"v_\pi(s) = \sum_{a} \pi(a \mid s)\, q_\pi(s, a)",
    ("q_from_v", "sutton-barto"):
        r"q_\pi(s, a) = \sum_{s'} p(s' \mid s, a)\,\bigl[r(s, a, s') + \gamma\, v_\pi(s')\bigr]",
    ("v_star", "sutton-barto"):
        r"v_*(s) = \max_{a} \sum_{s'} p(s' \mid s, a)\,\bigl[r(s, a, s') + \gamma\, v_*(s')\bigr]",
    ("q_star", "sutton-barto"):
        r"q_*(s, a) = \sum_{s'} p(s' \mid s, a)\,\Bigl[r(s, a, s') + \gamma \max_{a'} "
        r"q_*(s', a')\Bigr]",
    ("v_star_from_q_star", "sutton-barto"): r"v_*(s) = \max_{a} q_*(s, a)",
    ("mrp", "sutton-barto"):
        r"v(s) = \sum_{s'} p(s' \mid s)\,\bigl[r(s, s') + \gamma\, v(s')\bigr]",
    ("v", "silver"):
        r"v_\pi(s) = \sum_{a \in \mathcal{A}} \pi(a \mid s) \Bigl(\mathcal{R}^a_s + \gamma "
        r"\sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'} v_\pi(s')\Bigr)",
    ("q", "silver"):
        r"q_\pi(s, a) = \mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'}"
        r" \sum_{a' \in \mathcal{A}} \pi(a' \mid s')\, q_\pi(s', a')",
    ("v_from_q", "silver"): r"v_\pi(s) = \sum_{a \in \mathcal{A}} \pi(a \mid s)\, q_\pi(s, a)",
    ("q_from_v", "silver"):
        r"q_\pi(s, a) = \mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'}"
        r" v_\pi(s')",
    ("v_star", "silver"):
        r"v_*(s) = \max_{a} \Bigl(\mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} "
        r"\mathcal{P}^a_{ss'} v_*(s')\Bigr)",
    ("q_star", "silver"):
        r"q_*(s, a) = \mathcal{R}^a_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^a_{ss'} "
        r"\max_{a'} q_*(s', a')",
    ("v_star_from_q_star", "silver"): r"v_*(s) = \max_{a} q_*(s, a)",
    ("mrp", "silver"):
        r"v(s) = \mathcal{R}_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}_{ss'} v(s')",
    ("matrix", "sutton-barto"):
        r"\mathbf{v}_\pi = \mathbf{r}_\pi + \gamma P_\pi \mathbf{v}_\pi",
    ("matrix", "silver"): r"v = \mathcal{R}^\pi + \gamma \mathcal{P}^\pi v",
}


def general_form(family: str, style: str = "sutton-barto") -> str:
    r"""The general equation of a family as LaTeX.

    >>> print(general_form("v_from_q"))
    v_\pi(s) = \sum_{a} \pi(a \mid s)\, q_\pi(s, a)
    """
    try:
        return GENERAL_FORMS[(family, style)]
    except KeyError:
        families = sorted({f for f, _ in GENERAL_FORMS})
        raise ModelError(f"no general form for {family!r} in style {style!r}; families: "
                         f"{', '.join(families)}; styles: {', '.join(STYLES)}") from None

