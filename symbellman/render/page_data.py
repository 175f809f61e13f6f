"""What the interactive page shows, as JSON-ready data: one function per section.

This module decides *what* the explorer shows (the model, the closed forms, the optimal
pieces, the equations, the picture; and the finite horizon, TD(0) and average reward
through :mod:`symbellman.render.page_families`), once, as data; the HTML writer
(:mod:`symbellman.render.writers.html`) embeds it as the page's JSON payload beside the
handout's document, and ``render/assets/page-*.js`` draws it. Each part is one function
over the model.

Numbers stay exact: every probability, reward and policy weight is sent as a fraction
(``"1/4"``) or as an integer rational function of the parameters, and every closed form
as integer polynomials in u = 1 − γ (an exact Taylor shift, as
:mod:`symbellman.solve.numeric` does), so the page evaluates them stably near γ = 1 in floats
and exactly with BigInt at a rational γ.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess

import sympy
from sympy import Expr, Rational, Symbol

from ..equations.discounted import expectation_equations, optimality_equations
from ..equations.families import FAMILIES
from ..equations.layout import LatexWriter, SubstitutedForm
from ..core.errors import SymbellmanError
from ..linalg import shift_to_one_minus
from ..model.mdp import MDP
from ..model.policy import Policy
from ..study import Study
from ..text.typeset import latex_printer
from .mathml import rows_to_mathml, to_mathml
from .page_families import average_section, horizon_section, td_section
from .page_numbers import PIECE_COMBINATIONS, fraction as _fraction_text, point as _point, quantity

__all__ = ["page_data", "working_model", "closed_form", "PolynomialTable",
           "model_section", "slider_section", "picture_section", "values_section",
           "optimal_section", "equations_section", "DOT_TIMEOUT"]

#: Exact fractions are shown (and exact stepping offered) up to this many states.
EXACT_STATES = 40
#: Equations are written into the page for models up to this many non-terminal states.
EQUATION_STATES = 400
#: Seconds that ``dot`` may take to lay out the state diagram.
DOT_TIMEOUT = 20
#: Scale float coefficients by a power of two once they pass this many bits.
FLOAT_BITS = 900


# -- the model with a symbolic discount ------------------------------------------------------
def working_model(mdp: "MDP | Study", policy: Policy | None = None) -> tuple[Study, Expr]:
    """The study the page reads (the model with its discount as a symbol, its policy
    bound to it) and the discount's value, the slider's start (9/10 when the discount
    is already a symbol).

    >>> from symbellman.model.examples import sutton_barto_gridworld_5x5
    >>> work, start = working_model(sutton_barto_gridworld_5x5())
    >>> work.mdp.discount, start
    (gamma, 9/10)
    """
    study = Study.of(mdp, policy)
    discount = study.mdp.discount
    if isinstance(discount, Symbol):
        return study, Rational(9, 10)
    if discount.free_symbols:
        raise SymbellmanError(f"the page needs a discount that is a number or one symbol, "
                              f"not {discount}")
    return study.symbolic, discount


# -- exact numbers and polynomials as JSON -----------------------------------------------------
class PolynomialTable:
    """Polynomials in (u, parameters) sent once each: closed forms refer to them by index.

    Denominators repeat (often one determinant for every state), so this roughly halves
    the page. A polynomial with no parameters is a dense list of coefficients in u
    (strings, lowest power first); otherwise a list of ``[coefficient, e_u, e_1, ...]``.
    """

    def __init__(self):
        self.items: list = []
        self._index: dict[str, int] = {}

    def add(self, polynomial) -> int:
        key = json.dumps(polynomial, separators=(",", ":"))
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(polynomial)
        return self._index[key]


def _shifted_terms(terms: dict, order: list[int]) -> tuple[list, int]:
    """Integer terms {exponents: c} in (x, parameters) (positions ``order`` of each
    monomial), in the basis u = 1 − x; and the largest coefficient's bits."""
    groups: dict[tuple, dict[int, int]] = {}
    for monomial, c in terms.items():
        picked = tuple(monomial[j] if j is not None else 0 for j in order)
        power, rest = picked[0], picked[1:]
        dense = groups.setdefault(rest, {})
        dense[power] = dense.get(power, 0) + int(c)
    bits = 0
    out = []
    for rest, dense in sorted(groups.items()):
        shifted = shift_to_one_minus([dense.get(k, 0) for k in range(max(dense) + 1)])
        for k, c in enumerate(shifted):
            if c:
                out.append([str(c), k, *rest])
                bits = max(bits, abs(c).bit_length())
    return out or [["0", 0, *([0] * (len(order) - 1))]], bits


def _shifted_dense(coefficients: list[int]) -> tuple[list, int]:
    """Integer coefficients in x (increasing powers) in the basis u = 1 − x; their bits."""
    shifted = shift_to_one_minus(list(coefficients))
    bits = max((abs(c).bit_length() for c in shifted), default=0)
    return [str(c) for c in shifted] or ["0"], bits


def closed_form(function, key, x: Symbol, parameters: list[Symbol],
                table: PolynomialTable) -> dict:
    """One entry of a result as shifted integer polynomials: the page's only reader of results.

    Returns ``{"n": index, "d": index}`` into ``table`` (and ``"e"``, a power of two the
    page divides every coefficient by before rounding to floats, when they are huge).

    >>> from symbellman.model.examples import student_mrp
    >>> table = PolynomialTable()
    >>> from symbellman.core.symbols import gamma
    >>> entry = closed_form(Study(student_mrp()).v, "Pass", gamma, [], table)
    >>> table.items[entry["n"]], table.items[entry["d"]]
    (['10'], ['1'])
    """
    if not parameters:   # the integer coefficient lists the solver already holds
        top, bottom = function.univariate(key, x)
        (num, a), (den, b) = _shifted_dense(top), _shifted_dense(bottom)
    else:
        symbols = list(function.symbols)
        order = [symbols.index(g) if g in symbols else None for g in (x, *parameters)]
        top, bottom = function.terms(key)
        (num, a), (den, b) = _shifted_terms(top, order), _shifted_terms(bottom, order)
    entry = {"n": table.add(num), "d": table.add(den)}
    if max(a, b) > FLOAT_BITS:
        entry["e"] = max(a, b) - FLOAT_BITS
    return entry


# -- sections ---------------------------------------------------------------------------------
def model_section(mdp: MDP, policy: Policy | None, parameters: list[Symbol]) -> dict:
    """States, actions, outcomes and policy weights, exact."""
    states = list(mdp.states)
    index = {s: i for i, s in enumerate(states)}
    actions, outcomes, weights = [], [], []
    for s in states:
        acts = [] if mdp.is_terminal(s) else list(mdp.actions(s))
        actions.append(["" if a is None else str(a) for a in acts])
        outcomes.append([[[index[o.next_state], quantity(o.probability, parameters),
                           quantity(o.reward, parameters), o.probability_text or "",
                           o.reward_text or ""] for o in mdp.outcomes(s, a)] for a in acts])
        weights.append([quantity(policy.weight(s, a), parameters) if policy is not None
                        else "1" for a in acts])
    return {"name": mdp.name or "Bellman equations", "description": mdp.description or "",
            "states": states, "terminal": [mdp.is_terminal(s) for s in states],
            "mrp": mdp.is_mrp, "actions": actions, "outcomes": outcomes, "policy": weights,
            "policyKind": "" if policy is None else policy.kind}


def _default_values(mdp: MDP, symbol: Symbol, rank: int = 1) -> tuple[list[Expr], Expr]:
    """A slider's values and start for a symbol the model gives no ``vary`` range: a
    probability steps through 0, 1/20, ..., 1 from 1/2; anything else through -10 to 10
    in halves, from ``rank`` (rewards get different starts, so that their actions do not
    all tie)."""
    in_probability = any(symbol in o.probability.free_symbols
                         for s in mdp.nonterminal for a in mdp.actions(s)
                         for o in mdp.outcomes(s, a))
    if in_probability:
        return [Rational(k, 20) for k in range(21)], Rational(1, 2)
    return [Rational(k, 2) for k in range(-20, 21)], Rational(min(rank, 10))


def _reward_ranks(mdp: MDP, parameters: list[Symbol]) -> dict[Symbol, int]:
    """The symbols that are rewards only, ranked n, n − 1, ..., 1 in the order the model
    declares them: the recycling robot's r_search starts at 2 and r_wait at 1, as in the
    book (r_search > r_wait), instead of both at 1 (every action tying).

    >>> from symbellman.model.examples import recycling_robot
    >>> mdp = recycling_robot()
    >>> {p.name: r for p, r in _reward_ranks(mdp, list(mdp.symbols)).items()}
    {'r_search': 2, 'r_wait': 1}
    """
    rewards = [p for p in parameters
               if not any(p in o.probability.free_symbols for s in mdp.nonterminal
                          for a in mdp.actions(s) for o in mdp.outcomes(s, a))]
    return {p: len(rewards) - i for i, p in enumerate(rewards)}


#: A slider steps through at most this many values (a long ``vary`` range, evenly thinned).
SLIDER_VALUES = 1001


def _slider_values(values) -> list:
    """The values of a ``vary`` range a slider steps through, sorted; a range of more than
    :data:`SLIDER_VALUES` is thinned evenly by position (its ends kept), never listed.

    >>> from symbellman.model.mdp import IntegerRange
    >>> v = _slider_values(IntegerRange(1, 10**6))
    >>> len(v), v[0], v[-1]
    (1001, 1, 1000000)
    """
    n = len(values)
    if n <= SLIDER_VALUES:
        return sorted(values)
    last = SLIDER_VALUES - 1
    return sorted({values[(n - 1) * k // last] for k in range(SLIDER_VALUES)})


def slider_section(mdp: MDP, x: Symbol, start: Expr, parameters: list[Symbol]) -> list[dict]:
    """γ first, then one slider per parameter: its name, the values it steps through and
    its start (the middle of the model's ``vary`` range, else :func:`_default_values`)."""
    sliders = [{"name": x.name, "latex": to_mathml(sympy.latex(x)),
                "values": None, "start": _fraction_text(start), "discount": True}]
    ranks = _reward_ranks(mdp, parameters)
    for p in parameters:
        values, first = _default_values(mdp, p, ranks.get(p, 1))
        if p in mdp.vary:
            values = _slider_values(mdp.vary[p])
            first = values[len(values) // 2]
        sliders.append({"name": p.name, "latex": to_mathml(sympy.latex(p)),
                        "values": [_fraction_text(v) for v in values], "start": _fraction_text(first),
                        "discount": False})
    return sliders


def _dot_svg(mdp: MDP) -> tuple[str | None, str | None]:
    from .diagram import INSTALL_GRAPHVIZ, state_diagram

    dot = shutil.which("dot")
    if dot is None:
        return None, f"the state diagram needs Graphviz ({INSTALL_GRAPHVIZ}); the table has every value"
    try:
        done = subprocess.run([dot, "-Tsvg"], input=state_diagram(mdp), capture_output=True,
                              text=True, timeout=DOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, (f"Graphviz took over {DOT_TIMEOUT} s to lay out the state diagram; "
                      "the table has every value")
    if done.returncode != 0:
        return None, "Graphviz could not draw the state diagram: " + done.stderr.strip()[:200]
    svg = done.stdout
    svg = svg[svg.find("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    return svg, None


def picture_section(mdp: MDP) -> dict:
    """The grid (rows of state indices or None) or the state diagram as inline SVG."""
    layout = mdp.layout
    if layout is not None and layout.grid is not None:
        index = {s: i for i, s in enumerate(mdp.states)}
        return {"grid": [[None if s is None else index[s] for s in row] for row in layout.grid],
                "svg": None, "note": None}
    svg, note = _dot_svg(mdp)
    return {"grid": None, "svg": svg, "note": note}


def values_section(study: Study, x: Symbol, parameters: list[Symbol],
                   table: PolynomialTable) -> list:
    """v_π of every state as a closed form (q_π follows on the page by one backup)."""
    mdp, v = study.mdp, study.v
    return [closed_form(v, s, x, parameters, table) if not mdp.is_terminal(s) else None
            for s in mdp.states]


def optimal_section(study: Study, x: Symbol, parameters: list[Symbol], sliders: list[dict],
                    table: PolynomialTable) -> dict:
    """The optimal pieces over γ ∈ [0, 1), for each combination of the parameters' values.

    Few combinations (the sliders' ``vary`` lists) get their own pieces; otherwise only
    the sliders' starting values do, and the page says so elsewhere.
    """
    from itertools import product

    mdp = study.mdp
    if mdp.is_mrp:
        return {"sets": [], "note": "a Markov reward process has no actions, so no v*"}
    choices = [s["values"] for s in sliders[1:]]
    if math.prod(len(c) for c in choices) <= PIECE_COMBINATIONS:
        combos = list(product(*choices))
    else:
        combos = [tuple(s["start"] for s in sliders[1:])]
    sets, notes = [], []
    for combo in combos:
        at = {p: Rational(v) for p, v in zip(parameters, combo)}
        try:
            pieces = study.pieces(at=at or None)
        except SymbellmanError as error:
            notes.append(f"at {combo}: {error}" if combo else str(error))
            continue
        sets.append({"at": list(combo), "pieces": [{
            "start": _point(p.start), "end": _point(p.end),
            "policy": {mdp.index(s): [mdp.actions(s).index(a) for a in acts]
                       for s, acts in p.policy.items()},
            "tie": None if p.tie is None else
            {mdp.index(s): [mdp.actions(s).index(a) for a in acts] for s, acts in p.tie.items()},
            "v": [closed_form(p.v_star, s, x, [], table) if not mdp.is_terminal(s) else None
                  for s in mdp.states]} for p in pieces]})
    return {"sets": sets, "note": "; ".join(notes) or None}


#: Sentinel integers stand for the numbers while the project's printer lays the equation
#: out (placing exact values would make it compute a value the page recomputes anyway).
_SENTINEL = re.compile(r"\b9876([543])(\d{4})\b")
_SLOT_KIND = {"5": "v", "4": "g", "3": "p"}


def _slots(mdp: MDP, x: Symbol, parameters: list[Symbol]) -> tuple[dict, dict]:
    """Sentinel numbers for the values, γ and the parameters (see :data:`_SENTINEL`)."""
    values = {s: sympy.Integer(987650000 + i) for i, s in enumerate(mdp.states)
              if not mdp.is_terminal(s)}
    at = {x: sympy.Integer(987640000)}
    at.update({p: sympy.Integer(987630000 + k) for k, p in enumerate(parameters)})
    return values, at


def _template(eq, values: dict, at: dict) -> list[str]:
    """The rows of an equation with slots for the numbers (no final "= value": the page
    computes it), laid out by the project's own printer."""
    rows = SubstitutedForm(LatexWriter(latex_printer(), eq), eq, values, at).rows()
    return [_SENTINEL.sub(lambda m: r"\text{@%s%d@}" % (_SLOT_KIND[m.group(1)],
                                                         int(m.group(2))), r) for r in rows]


def _rows(rows: list[str]) -> list[str]:
    return rows_to_mathml([re.sub(r"(?<!\\)&", " ", r) for r in rows])


def equations_section(mdp: MDP, policy: Policy | None, x: Symbol,
                      parameters: list[Symbol]) -> dict:
    """Per state: its Bellman equation(s) with the model's numbers, and with slots.

    ``families`` lists the families whose per-state equations the page shows (the state
    value families with an equation name in their :class:`~symbellman.equations.families.Family`
    record: v_π, and v* for a model with actions), each with its key, the equation's
    name (the catalog's message, with ``{head}``: the page translates it), the textbook's general form (the first of the three ways) as MathML, how its
    right side combines the actions (the record's shape) and whether it is the optimum;
    each state's entry, keyed by family, holds ``model`` (the second way) and
    ``values`` (rows whose ``<mn data-slot>`` the page fills with the current numbers).

    >>> from symbellman.model.examples import student_mdp
    >>> mdp = student_mdp()
    >>> data = equations_section(mdp, None, mdp.discount, [])
    >>> [(f["key"], f["name"], f["combine"]) for f in data["families"]]
    [('v_pi', 'Bellman expectation equation ({head})', 'sum'), ('v_star', 'Bellman optimality equation ({head})', 'max')]
    >>> sorted(data["states"][0])
    ['v_pi', 'v_star']
    """
    shown = [f for f in FAMILIES.values() if f.arguments == ("state",) and f.equation
             and not (f.optimal and mdp.is_mrp)]
    families = [{"key": f.key, "name": f.equation_message(mdp.is_mrp),
                 "general": to_mathml(f.general_form(mdp.is_mrp)),
                 "combine": f.forms[f.form].combine, "optimal": f.optimal} for f in shown]
    if len(mdp.nonterminal) > EQUATION_STATES:
        return {"families": families, "states": {}, "note": "too many states for equations"}
    values, at = _slots(mdp, x, parameters)
    states: dict = {}
    for f in shown:
        system = optimality_equations(mdp) if f.optimal else expectation_equations(mdp, policy)
        for eq in system:
            i = mdp.index(eq.state)
            states.setdefault(i, {})[f.key] = {
                "model": _rows(eq.latex_rows()),
                "values": _rows(_template(eq, values, at))}
    return {"families": families, "states": states, "note": None}


def page_data(mdp: "MDP | Study", policy: Policy | None = None) -> dict:
    """Everything the page shows, as one JSON-ready dict (see the section functions), for
    a model and policy or a :class:`~symbellman.study.Study` of them (whose results it
    reads).

    >>> from symbellman.model.examples import student_mrp
    >>> data = page_data(student_mrp())
    >>> data["model"]["states"][:2], data["sliders"][0]["start"]
    (['Class1', 'Class2'], '9/10')
    """
    given = Study.of(mdp, policy)
    work, start = working_model(given)
    mdp, policy, x = work.mdp, work.shown_policy, work.mdp.discount
    parameters = list(work.parameters)
    table = PolynomialTable()
    sliders = slider_section(mdp, x, start, parameters)
    data = {"model": model_section(mdp, policy, parameters),
            "heads": {f.key: f.head("unicode") for f in FAMILIES.values()},
            "parameters": [p.name for p in parameters],
            "sliders": sliders,
            "picture": picture_section(mdp),
            "values": values_section(work, x, parameters, table),
            "optimal": optimal_section(work, x, parameters, sliders, table),
            "equations": equations_section(mdp, policy, x, parameters),
            "exactStates": EXACT_STATES,
            "horizon": horizon_section(work, parameters),
            "td": td_section(work, x, parameters, sliders),
            "average": average_section(given)}
    data["polynomials"] = table.items
    return data
