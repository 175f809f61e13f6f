"""The page's data for the families after the discounted ones: one function per family.

:func:`~symbellman.render.page_data.page_data` calls these for a model that asks for them
(``horizon``, ``criterion: average``, ``features``) and ``render/assets/families.js``
draws them:

- the finite horizon: H and the terminal reward v_0; the page does the backward
  induction itself, exactly, at the sliders' γ and parameters (and the rewards set by
  hand), for every stage k = 1..H;
- linear TD(0): the intervals of γ where the expected update is stable, with exact
  breakpoints (drawn as a band like the optimal pieces), and θ_TD as integer rational
  functions of γ and the parameters, evaluated exactly at the slider's γ;
- the average reward: gain, bias and the chain structure, static (they do not depend on γ).

Every number is exact: a fraction ``"p/q"``, or an integer rational function (see
:func:`~symbellman.render.page_numbers.quantity`), or a point with exact text.
"""

from __future__ import annotations

import sympy
from sympy import Symbol

from ..core.errors import SymbellmanError
from ..study import Study

__all__ = ["horizon_section", "td_section", "average_section"]


def _exact(value) -> str:
    """An exact value as text: ``"p/q"`` for a rational, else SymPy's text.

    >>> _exact(sympy.Rational(-1, 8)), _exact(sympy.sqrt(2))
    ('-1/8', 'sqrt(2)')
    """
    value = sympy.sympify(value)
    if value.is_Rational:
        return f"{value.p}/{value.q}" if value.q != 1 else str(value.p)
    return str(value)


def horizon_section(study: Study, parameters: list[Symbol]) -> dict | None:
    """H and v_0 (per state, exact) for a model with a ``horizon``; else None.

    >>> from symbellman.model.examples import puterman_two_state
    >>> horizon_section(Study(puterman_two_state()), [])
    {'H': 2, 'v0': ['0', '0']}
    """
    from .page_numbers import quantity

    given = study.mdp.criteria.finite_horizon
    if given is None:
        return None
    mdp = study.mdp
    return {"H": int(given.horizon),
            "v0": [quantity(0 if mdp.is_terminal(s) else given.v0(s), parameters)
                   for s in mdp.states]}


def _intervals(stability) -> list | None:
    from .page_numbers import point

    return None if stability.intervals is None else [
        {"start": point(i.start), "end": point(i.end), "closedStart": bool(i.closed_start)}
        for i in stability.intervals]


def _sets(work: Study, sliders: list[dict]) -> tuple[list, list]:
    """With parameters: the stable intervals at each combination of the sliders' values
    (at most :data:`~.page_numbers.PIECE_COMBINATIONS`, else at their starting values)."""
    import math
    from itertools import product

    from .page_numbers import PIECE_COMBINATIONS

    choices = [s["values"] for s in sliders[1:]]
    combos = (list(product(*choices)) if math.prod(len(c) for c in choices) <= PIECE_COMBINATIONS
              else [tuple(s["start"] for s in sliders[1:])])
    names = [s["name"] for s in sliders[1:]]
    sets, notes = [], []
    for combo in combos:
        at = {n: sympy.Rational(v) for n, v in zip(names, combo)}
        try:
            mdp = work.mdp.subs(at)
            found = Study(mdp, work.policy.bound_to(mdp)).result("theta_TD").stability
            intervals = _intervals(found)
        except (SymbellmanError, TypeError, ValueError) as error:
            notes.append(f"at {', '.join(f'{n} = {v}' for n, v in at.items())}: {error}")
            continue
        if intervals is not None:
            sets.append({"at": list(combo), "intervals": intervals})
    return sets, notes


def td_section(work: Study, x: Symbol, parameters: list[Symbol],
               sliders: list[dict] | None = None) -> dict | None:
    """The stability of expected TD(0) over γ and θ_TD in γ, for a model with ``features``.

    ``work`` is the study with γ a symbol (the page's). Intervals are ``{"start",
    "end", "closedStart"}`` with exact points (:func:`~.page_numbers.point`). With
    parameters, ``intervals`` is None and ``sets`` holds them at the sliders' values
    (each ``{"at": [values], "intervals": [...]}``), as the optimal pieces are.

    >>> from symbellman.model.examples import w_to_2w
    >>> from symbellman.core.symbols import gamma
    >>> data = td_section(Study(w_to_2w()).symbolic, gamma, [])
    >>> [(i["start"]["exact"], i["end"]["exact"]) for i in data["intervals"]]
    [('0', '1/2')]
    >>> data["names"], data["theta"]
    (['w'], ['0'])
    """
    from .page_numbers import quantity

    mdp = work.mdp
    if mdp.criteria.projection is None:
        return None
    try:
        solution = work.result("theta_TD")
        stability = solution.stability
    except SymbellmanError as error:
        return {"names": [], "intervals": None, "sets": [], "theta": None, "directions": 0,
                "note": str(error)}
    intervals = _intervals(stability)
    sets, notes = ([], []) if intervals is not None or not sliders else _sets(work, sliders)
    theta = solution.theta
    gens = [x, *parameters]
    return {"names": [str(n) for n in solution.keys()],
            "intervals": intervals, "sets": sets,
            "theta": None if theta is None else [quantity(theta[k], gens)
                                                 for k in solution.keys()],
            "directions": len(solution.directions),
            "note": "; ".join(notes) or None}


def average_section(study: Study) -> dict | None:
    """Gain, bias and chain structure of the policy (and g*, h*, the optimal actions),
    exact, for a model with ``criterion: average``; else None.

    >>> from symbellman.model.examples import exercise_10_6
    >>> data = average_section(Study(exercise_10_6()))
    >>> data["gain"], data["bias"], data["structure"]
    (['1/2', '1/2'], ['1/4', '-1/4'], 'one closed class {A, B} (period 2)')
    """
    from ..solve.average import chain_structure
    from ..solve.average_optimal import average_optimal

    mdp = study.mdp
    if mdp.criteria.criterion != "average":
        return None
    out: dict = {"gain": None, "bias": None, "structure": None, "optimal": None, "note": None}
    try:
        gain, bias = study.result("g_pi"), study.result("h_pi")
        out["gain"] = [_exact(gain[s]) for s in mdp.states]
        out["bias"] = [_exact(bias[s]) for s in mdp.states]
        out["structure"] = chain_structure(mdp, study.policy).describe()
    except SymbellmanError as error:
        out["note"] = str(error)
    if not mdp.is_mrp:
        try:
            best = average_optimal(mdp)
            out["optimal"] = {
                "gain": [_exact(best.gain[s]) for s in mdp.states],
                "bias": [_exact(best.bias[s]) for s in mdp.states],
                "policy": [[mdp.actions(s).index(a) for a in best.policy.get(s, ())]
                           for s in mdp.states],
                "structure": best.structure.describe()}
        except SymbellmanError as error:
            out["note"] = (out["note"] + "; " if out["note"] else "") + str(error)
    return out
