"""Reading a model's fields: its state names, terminal states, symbols, discount and
``vary`` ranges, each checked with a located :class:`~symbellman.core.errors.ModelError`
(what :class:`~symbellman.model.mdp.MDP` calls while it is built).

>>> read_states(["a", "b"])
('a', 'b')
>>> read_states(["a", "a"])
Traceback (most recent call last):
...
symbellman.core.errors.ModelError: states: state 'a' is listed twice
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Iterable, Mapping

import sympy
from sympy import Expr, Integer, Symbol

from ..core.errors import ModelError
from ..core.expressions import check_name, exact
from ..core.names import did_you_mean
from ..core.limits import ENVIRONMENT, MAX_RANGE_VALUES, current as current_limits
from ..core.ranges import IntegerRange
from ..core.symbols import gamma

__all__ = ["is_number", "unknown_parameter", "field_name", "first_duplicate", "read_states",
           "read_terminal", "read_symbols", "check_discount_name", "read_discount",
           "read_vary", "check_probability", "check_sums_to_one"]


def is_number(expr: Expr) -> bool:
    return not expr.free_symbols



def unknown_parameter(name: str, known: Iterable[str]) -> ModelError:
    """The error for a parameter name the model does not have: the nearest known name as
    a hint, or the list of them.

    >>> str(unknown_parameter("ga", ["gamma", "c"]))
    "the model has no parameter 'ga' (did you mean 'gamma'?)"
    """
    known = list(known)
    return ModelError(f"the model has no parameter {name!r}",
                      hint=did_you_mean(name, known,
                                        f"its parameters are {', '.join(known) or 'none'}"))


def field_name(value, place: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(f"a {what} name must be a non-empty string, got {value!r}",
                         place=place, hint="quote it in the file if it looks like a number")
    return value


def first_duplicate(items):
    seen = set()
    for x in items:
        if x in seen:
            return x
        seen.add(x)
    return None


def read_states(states) -> tuple[str, ...]:
    if isinstance(states, (str, bytes)) or not isinstance(states, Iterable):
        raise ModelError("'states' must be a list of state names", place="states")
    names = tuple(field_name(s, f"states[{i}]", "state") for i, s in enumerate(states))
    if not names:
        raise ModelError("there are no states", place="states", hint="list at least one")
    dup = first_duplicate(names)
    if dup is not None:
        raise ModelError(f"state {dup!r} is listed twice", place="states")
    return names


def read_terminal(terminal, states: Mapping[str, int]) -> frozenset[str]:
    # ``states`` is the index (a dict): a tuple's ``in`` made 150,000 terminals quadratic
    if isinstance(terminal, str):
        terminal = [terminal]
    result = set()
    for i, s in enumerate(terminal or ()):
        if s not in states:
            raise ModelError(f"unknown state {s!r}", place=f"terminal[{i}]",
                             hint=did_you_mean(str(s), states, "add it to 'states'"))
        result.add(s)
    return frozenset(result)


def read_symbols(symbols) -> tuple[Symbol, ...]:
    if symbols is None:
        return ()
    if isinstance(symbols, (str, Symbol)):
        symbols = [symbols]
    result = []
    for i, s in enumerate(symbols):
        if isinstance(s, Symbol):
            result.append(s)
            continue
        result.append(Symbol(check_name(s, f"symbols[{i}]")))
    dup = first_duplicate(s.name for s in result)
    if dup is not None:
        raise ModelError(f"symbol {dup!r} is declared twice", place="symbols")
    most = current_limits().symbols
    if len(result) > most:
        raise ModelError(f"{len(result)} symbols are declared; the limit is {most}",
                         place="symbols", hint=f"raise {ENVIRONMENT['symbols']} to allow more")
    return tuple(result)


def check_discount_name(discount: Expr, names) -> None:
    if gamma.name in names and gamma not in discount.free_symbols:
        raise ModelError(f"the name {gamma.name!r} is kept for the discount, which is "
                         f"{discount} here", place="symbols",
                         hint=f"rename the parameter, or write discount: {gamma.name}")


def read_discount(discount, names) -> Expr:
    if isinstance(discount, str) and discount.strip().isidentifier() \
            and discount.strip() not in names:
        # A discount named in the file declares itself, as the spec allows ("a symbol name");
        # 'nan', 'inf' or 'pi' would read back as a number, so they are refused.
        if discount.strip().lower() in ("nan", "inf", "infinity"):
            raise ModelError(f"the discount {discount.strip()} is not a finite number",
                             place="discount", hint="write a number in [0, 1] or a name")
        return Symbol(check_name(discount.strip(), "discount"))
    value = exact(discount, names, "discount")
    if is_number(value) and (not value.is_real or value < 0 or value > 1):
        raise ModelError(f"the discount {value} is not between 0 and 1", place="discount")
    return value


def read_vary(vary, symbols, discount) -> Mapping[Symbol, tuple[Expr, ...]]:
    if vary is None:
        return MappingProxyType({})
    if not isinstance(vary, Mapping):
        raise ModelError("'vary' must map symbol names to their values", place="vary",
                         hint="for example vary: {p: [1/4, 1/2], r: {from: 1, to: 10}}")
    declared = {s.name: s for s in (*symbols, *discount.free_symbols)}
    result = {}
    for key, values in vary.items():
        place = f"vary.{key}"
        name = key.name if isinstance(key, Symbol) else key
        if name not in declared:
            raise ModelError(f"{name!r} is not a symbol of the model", place=place,
                             hint=did_you_mean(str(name), declared, "only declared symbols "
                                               "may vary; list it under 'symbols'"))
        if isinstance(values, IntegerRange):  # a model's own range, copied
            result[declared[name]] = values
            continue
        if isinstance(values, Mapping):
            result[declared[name]] = _integer_range(values, place)
            continue
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            values = [values]
        drawn = tuple(exact(v, place=f"{place}[{i}]") for i, v in enumerate(values))
        for i, v in enumerate(drawn):
            if not is_number(v) or not v.is_real:
                raise ModelError(f"a value to vary over must be a number, found {v}",
                                 place=f"{place}[{i}]")
        if not drawn:
            raise ModelError("the list of values is empty", place=place,
                             hint="give at least one value")
        result[declared[name]] = drawn
    return MappingProxyType(result)


def _integer_range(bounds: Mapping, place: str) -> IntegerRange:
    if set(bounds) != {"from", "to"}:
        raise ModelError("a range is {from: LOW, to: HIGH}", place=place,
                         hint="or give a list of values")
    low, high = (exact(bounds[k], place=f"{place}.{k}") for k in ("from", "to"))
    if not (low.is_Integer and high.is_Integer) or low > high:
        raise ModelError(f"a range needs integers from <= to, found {low}..{high}",
                         place=place, hint="or give a list of values")
    if high - low >= MAX_RANGE_VALUES:
        raise ModelError(f"the range {low}..{high} is too long", place=place,
                         hint="give at most a million values")
    return IntegerRange(int(low), int(high))


def check_probability(w: Expr, place: str, error: type[ModelError] = ModelError) -> Expr:
    """``w`` itself when it is a probability: a number in [0, 1], or an expression in
    parameters (checked where they get values).

    >>> check_probability(Integer(3) / 2, "policy.s.a")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: policy.s.a: the probability 3/2 is not between 0 and 1
    """
    if not w.free_symbols and (not w.is_real or w < 0 or w > 1):
        raise error(f"the probability {w} is not between 0 and 1", place=place)
    return w


def check_sums_to_one(row: Mapping[str, Expr], place: str,
                      error: type[ModelError] = ModelError) -> None:
    """A state's action probabilities add up to exactly 1 (as expressions: 1 − p and p).

    >>> check_sums_to_one({"a": Symbol("p"), "b": 1 - Symbol("p")}, "policy.s")
    >>> check_sums_to_one({"a": Integer(1) / 2}, "policy.s")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: policy.s: the action probabilities sum to 1/2, not 1 (make them add up to exactly 1)
    """
    total = sum(row.values(), Integer(0))
    if sympy.cancel(sympy.expand(total - 1)) != 0:
        raise error(f"the action probabilities sum to {total}, not 1", place=place,
                    hint="make them add up to exactly 1")
