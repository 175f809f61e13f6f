"""A student's answer file read into exact values, as safely as a model file.

An answer file is YAML, JSON or TOML (the model-file parser reads it, so nothing in it is
ever run); its keys are those of the spec's "Answer files" section, plus two for grading a
class: ``variant`` (the id printed on the exercise sheet) and ``student`` (a name for the
grade table). Every value is an exact expression or a decimal; a decimal is remembered as
one, since it is compared within the tolerance while an exact value is compared exactly.
Each error names the file and the place (``v.Class1``), like a model file's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Mapping

import sympy
from sympy import Expr, Rational, Symbol

from ..core.errors import ModelError
from ..core.expressions import exact
from ..core.names import did_you_mean
from ..model.mdp import MDP
from ..core.symbols import gamma
from .functions import same_function

__all__ = ["Given", "Answers", "read_answers", "load_answer_data", "VALUE_KEYS", "KEYS",
           "DEFAULT_TOLERANCE"]

#: Keys whose values are numbers per state (v, v_star) or per state and action (q, q_star).
VALUE_KEYS = ("v", "q", "v_star", "q_star")
#: Every key an answer file may hold.
KEYS = ("format", "at", "policy_given", *VALUE_KEYS, "optimal_actions", "breakpoints",
        "tolerance", "variant", "student", "gain", "bias", "gain_star", "bias_star", "theta")
#: Decimals are right within this absolute tolerance unless the file says otherwise.
DEFAULT_TOLERANCE = Rational(5, 1000)


@dataclass(frozen=True)
class Given:
    """One value a student wrote: the text, its exact value, and whether it is a decimal."""

    text: str
    value: Expr
    decimal: bool


@dataclass(frozen=True)
class Answers:
    """An answer file, read: the values per key, keyed by ``(state, action or None)``.

    ``optimal_actions`` maps ``(state, None)`` to a tuple of actions and ``breakpoints``
    holds one :class:`Given` per breakpoint under ``(None, None)``.
    """

    values: Mapping[str, Mapping[tuple, Any]]
    at: Mapping[str, Expr] = field(default_factory=dict)
    policy_given: Any = None
    tolerance: Expr = DEFAULT_TOLERANCE
    variant: str | None = None
    student: str | None = None
    source: str | None = None


# a number written with a decimal point or an exponent (not a name such as beta2)
_DECIMAL = re.compile(r"(?<![A-Za-z_0-9])(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+[eE][+-]?[0-9]+)")


def _is_decimal(value) -> bool:
    """Whether the student wrote a decimal (compared within the tolerance).

    >>> [_is_decimal(x) for x in ("-1.31", "2e3", "1/3", "2*beta", "r_e1", 0.5)]
    [True, True, False, False, False, True]
    """
    if isinstance(value, float):
        return True
    return isinstance(value, str) and _DECIMAL.search(value) is not None


def _given(value, names: Mapping[str, Expr], place: str) -> Given:
    if isinstance(value, (Mapping, list)) or value is None:
        raise ModelError("expected a number or an expression", place=place)
    text = value if isinstance(value, str) else str(value)
    return Given(text.strip(), exact(value, names, place), _is_decimal(value))


def _state(name, mdp: MDP, place: str) -> str:
    if name not in mdp.states:
        raise ModelError(f"unknown state {name!r}", place=place,
                         hint=did_you_mean(str(name), mdp.states,
                                           f"the states are {', '.join(mdp.states)}"))
    return name


def _action(name, state: str, mdp: MDP, place: str) -> str:
    actions = [a for a in mdp.actions(state) if a is not None]
    if name not in actions:
        raise ModelError(f"{name!r} is not an action of state {state!r}", place=place,
                         hint=did_you_mean(str(name), actions,
                                           f"its actions are {', '.join(actions)}" if actions
                                           else f"{state} has no actions"))
    return name


def _map(value, place: str, what: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise ModelError(f"expected a map from {what}", place=place)
    return value


def _read_values(key: str, data, mdp: MDP, names) -> dict:
    out = {}
    for s, item in _map(data, key, "states to values").items():
        place = f"{key}.{s}"
        state = _state(s, mdp, place)
        if key in ("v", "v_star"):
            out[state, None] = _given(item, names, place)
            continue
        if mdp.is_mrp:
            raise ModelError("a Markov reward process has no actions, so no q", place=key)
        for a, number in _map(item, place, "actions to values").items():
            out[state, _action(a, state, mdp, f"{place}.{a}")] = _given(
                number, names, f"{place}.{a}")
    return out


def _read_actions(data, mdp: MDP) -> dict:
    out = {}
    for s, item in _map(data, "optimal_actions", "states to lists of actions").items():
        place = f"optimal_actions.{s}"
        state = _state(s, mdp, place)
        items = [item] if isinstance(item, str) else item
        if not isinstance(items, list) or not items:
            raise ModelError("expected a list of actions", place=place)
        out[state, None] = tuple(dict.fromkeys(
            _action(a, state, mdp, f"{place}[{i}]") for i, a in enumerate(items)))
    return out


def _names(mdp: MDP) -> dict[str, Symbol]:
    names = {s.name: s for s in mdp.symbols}
    names.setdefault("gamma", gamma)
    if isinstance(mdp.discount, Symbol):
        names[mdp.discount.name] = mdp.discount
    return names


def read_at(data, mdp: MDP) -> dict[str, Expr]:
    """The ``at`` substitutions: numbers for the discount and the model's symbols."""
    if data is None:
        return {}
    out = {}
    for name, value in _map(data, "at", "names to numbers").items():
        place = f"at.{name}"
        known = set(_names(mdp))
        if name not in known:
            raise ModelError(f"unknown name {name!r}", place=place,
                             hint=did_you_mean(str(name), sorted(known), "name the discount "
                                               "gamma or one of the model's symbols"))
        number = _given(value, {}, place).value
        if number.free_symbols:
            raise ModelError("expected a number", place=place)
        out[name] = number
    return out


def read_answers(data: Any, mdp: MDP, source: str | None = None, *,
                 others: bool = False) -> Answers:
    """An answer file's plain data, checked against the model, read exactly.

    ``mdp`` is the model with ``at`` already put in (:func:`read_at` reads it first): the
    values may use the symbols it still has, and γ. With ``others`` the file may hold no
    answers of these keys (its other criterion's are read by :mod:`.families`).

    >>> from symbellman.model.examples import student_mdp
    >>> answers = read_answers({"v": {"Class1": "-1.31", "Class2": "33/13"}}, student_mdp())
    >>> answers.values["v"]["Class1", None]
    Given(text='-1.31', value=-131/100, decimal=True)
    >>> read_answers({"v": {"Class9": 1}}, student_mdp(), "a.yaml")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: a.yaml: v.Class9: unknown state 'Class9' (did you mean 'Class3'?)
    """
    try:
        return _read(data, mdp, source, others)
    except ModelError as err:
        raise (err.with_source(source) if source else err) from None


def _read(data, mdp: MDP, source, others: bool = False) -> Answers:
    if not isinstance(data, Mapping):
        raise ModelError("an answer file holds a map of keys (v, q, v_star, ...)")
    for key in data:
        if key not in KEYS:
            raise ModelError(f"unknown key {key!r}",
                             hint=did_you_mean(str(key), KEYS, f"the keys are {', '.join(KEYS)}"))
        if data[key] is None:
            raise ModelError("no value given", place=key, hint="write a value, or leave "
                             "the key out")
    if "format" in data and str(data["format"]).strip() != "1":
        raise ModelError(f"format version {data['format']!r} is not supported",
                         place="format", hint="this version of symbellman reads format 1")
    names = _names(mdp)
    values: dict[str, dict] = {}
    for key in VALUE_KEYS:
        if key in data:
            values[key] = _read_values(key, data[key], mdp, names)
    if "optimal_actions" in data:
        values["optimal_actions"] = _read_actions(data["optimal_actions"], mdp)
    if "breakpoints" in data:
        items = data["breakpoints"]
        items = items if isinstance(items, list) else [items]
        values["breakpoints"] = {(None, None): tuple(
            _given(x, {}, f"breakpoints[{i}]") for i, x in enumerate(items))}
    tolerance = DEFAULT_TOLERANCE
    if "tolerance" in data:
        tolerance = _given(data["tolerance"], {}, "tolerance").value
        if tolerance.free_symbols or tolerance < 0:
            raise ModelError("expected a number at least 0", place="tolerance")
    text = {}
    for key in ("variant", "student"):
        if key in data:
            if isinstance(data[key], (Mapping, list)):
                raise ModelError("expected text", place=key)
            text[key] = str(data[key]).strip()
    if not values and not others:
        raise ModelError("the file holds no answers", hint="give any of v, q, v_star, "
                         "q_star, optimal_actions, breakpoints (gain, bias, gain_star, "
                         "bias_star, theta for the other criteria)")
    return Answers(values, {}, data.get("policy_given"), tolerance, text.get("variant"),
                   text.get("student"), source)


def load_answer_data(path: str | PathLike) -> tuple[Any, str]:
    """An answer file's plain data and its name, read by the model-file reader."""
    from ..io.model_files import _read_file  # the one safe reader of data files

    return _read_file(path)


def compare(given: Given, expected: Expr, tolerance: Expr) -> bool:
    """Whether a given value is right: a decimal within ``tolerance``, else exactly.

    >>> compare(Given("-2.31", Rational(-231, 100), True), Rational(-30, 13), Rational(1, 200))
    True
    >>> compare(Given("-231/100", Rational(-231, 100), False), Rational(-30, 13), 0)
    False
    >>> x = Symbol("gamma")
    >>> compare(Given("", 1/(1 - x), False), (1 + x)/(1 - x**2), 0)
    True
    """
    if expected is None or expected is sympy.nan:
        return False
    if expected.free_symbols or given.value.free_symbols:  # closed forms: as rational functions
        return same_function(given.value, expected)
    if given.decimal:
        return abs(given.value - expected) <= tolerance
    return given.value == expected
