"""Writing a model and its policy as a model file (YAML, JSON or TOML), exactly.

:func:`model_data` turns an :class:`~symbellman.model.mdp.MDP` and a policy into the plain
data of the model-file spec (format 1), every number as exact text: an outcome's
probability and reward as the model wrote them (``Outcome.probability_text``, so
``0.2`` stays ``0.2``) or else SymPy's exact string (``1/5``, ``1 - p``).
:func:`write_model` prints that data as YAML, JSON or TOML; reading the file back
gives an equal model and policy.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from os import PathLike
from pathlib import Path
from typing import Any, Mapping

from ..core.errors import ModelError
from ..model.mdp import MDP
from ..model.policy import Policy
from .files import write_file

__all__ = ["model_data", "write_model", "FORMATS"]

#: The formats :func:`write_model` writes, by name and by file ending.
FORMATS = {"yaml": "yaml", "yml": "yaml", "json": "json", "toml": "toml"}

_INTEGER = r"-?(?:0|[1-9][0-9]*)"
_NUMBER = rf"{_INTEGER}(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_TOML_FLOAT = rf"{_INTEGER}(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)"
# a YAML scalar that needs no quotes: names and exact expressions (1/3, 1 - p, -2)
_PLAIN_YAML = (r"[A-Za-z0-9_.()+*/^][A-Za-z0-9_.()+\-*/^ ]*[A-Za-z0-9_.()*/^]"
               r"|[A-Za-z0-9_.()]|-[0-9A-Za-z_.(][A-Za-z0-9_.()+\-*/^ ]*"
               r"[A-Za-z0-9_.()*/^]|-[0-9A-Za-z_(]")
_BARE_KEY = r"[A-Za-z0-9_-]+"


def _text(expr, written: str | None) -> str:
    return written if written is not None else str(expr)


def _outcome(o) -> dict:
    data: dict[str, Any] = {"to": o.next_state}
    # the defaults (p 1, r 0) are left out unless the model wrote them
    if o.probability != 1 or o.probability_text is not None:
        data["p"] = _text(o.probability, o.probability_text)
    if o.reward != 0 or o.reward_text is not None:
        data["r"] = _text(o.reward, o.reward_text)
    return data


def _policy(policy: Policy):
    if policy.kind == "uniform":
        return "uniform"
    if policy.is_deterministic():
        return {s: policy.support(s)[0] for s in policy.mdp.nonterminal}
    return {s: {a: str(policy.weight(s, a)) for a in policy.support(s)}
            for s in policy.mdp.nonterminal}


def _optional_key(mdp: MDP, key: str, given):
    """``layout`` and ``vary``: given here, or kept from the model once it has them."""
    value = given if given is not None else getattr(mdp, key, None)
    if not value:
        return None
    for method in ("as_data", "to_data"):
        if hasattr(value, method):
            return getattr(value, method)()
    if key == "vary":  # the model's form: {Symbol: (values, ...) or IntegerRange}
        return {getattr(k, "name", k): (v.as_data() if hasattr(v, "as_data") else
                                        v if isinstance(v, Mapping) or isinstance(v, str)
                                        else [str(x) for x in v]) for k, v in value.items()}
    return value


def model_data(mdp: MDP, policy: Policy | None = None, *, layout=None, vary=None) -> dict:
    """The model-file data (format 1) of a model and its policy, every number as exact text.

    Parameters
    ----------
    mdp : MDP
        The model whose states, actions, outcomes and discount make up the data.
    policy : Policy, optional
        Written as the file's ``policy``; without one the file has none (uniform).
    layout, vary : mapping, optional
        The ``layout`` and ``vary`` keys of the spec, as plain data; by default the
        model's own, when it has them.

    Returns
    -------
    dict
        Keys in the spec's order; states, actions and outcomes in the model's order.

    Examples
    --------
    >>> from symbellman.model.examples import student_mrp
    >>> data = model_data(student_mrp())
    >>> data["discount"], data["transitions"]["Class3"]
    ('gamma', [{'to': 'Pass', 'p': '0.6', 'r': '-2'}, {'to': 'Pub', 'p': '0.4', 'r': '-2'}])
    """
    data: dict[str, Any] = {"format": 1}
    if mdp.name is not None:
        data["name"] = mdp.name
    if mdp.description is not None:
        data["description"] = mdp.description
    if mdp.symbols:
        data["symbols"] = [s.name for s in mdp.symbols]
    data["discount"] = str(mdp.discount)
    data["states"] = list(mdp.states)
    if mdp.terminal:
        data["terminal"] = list(mdp.terminal)
    if mdp.is_mrp:
        data["transitions"] = {s: [_outcome(o) for o in mdp.outcomes(s)] for s in mdp.nonterminal}
    else:
        data["actions"] = {s: list(mdp.actions(s)) for s in mdp.nonterminal}
        data["transitions"] = {s: {a: [_outcome(o) for o in mdp.outcomes(s, a)]
                                   for a in mdp.actions(s)} for s in mdp.nonterminal}
    if policy is not None:
        data["policy"] = _policy(policy)
    for key, given in (("layout", layout), ("vary", vary)):
        value = _optional_key(mdp, key, given)
        if value is not None:
            data[key] = value
    data.update(mdp.criteria.as_data())  # horizon, criterion, features, ... (spec order)
    return data


# -- YAML --------------------------------------------------------------------------------------
def _yaml_scalar(value) -> str:
    if value is None:
        return "null"
    text = str(value)
    return text if re.fullmatch(_PLAIN_YAML, text) else json.dumps(text, ensure_ascii=False)


def _is_flat(value) -> bool:
    if isinstance(value, Mapping):
        return all(not isinstance(v, (Mapping, list)) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, Mapping) and (not isinstance(v, list) or _is_flat(v))
                   for v in value)
    return True


def _yaml_flow(value) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_yaml_scalar(k)}: {_yaml_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_flow(v) for v in value) + "]"
    return _yaml_scalar(value)


def _yaml_block(value, indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    if isinstance(value, Mapping):
        for k, v in value.items():
            if _is_flat(v) and not (isinstance(v, list) and v and isinstance(v[0], list)):
                lines.append(f"{pad}{_yaml_scalar(k)}: {_yaml_flow(v)}")
            else:
                lines.append(f"{pad}{_yaml_scalar(k)}:")
                lines += _yaml_block(v, indent + 2)
    else:
        for v in value:
            if _is_flat(v):
                lines.append(f"{pad}- {_yaml_flow(v)}")
            else:
                inner = _yaml_block(v, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines += inner[1:]
    return lines


def _yaml(data: Mapping) -> str:
    return "\n".join(_yaml_block(data, 0)) + "\n"


# -- JSON --------------------------------------------------------------------------------------
def _json_value(value):
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, str) and re.fullmatch(_NUMBER, value):
        number = int(value) if re.fullmatch(_INTEGER, value) else float(value)
        # a number only where its JSON text reads back as the same value
        if Fraction(json.dumps(number)) == Fraction(value):
            return number
    return value


def _json(data: Mapping) -> str:
    return json.dumps(_json_value(data), indent=2, ensure_ascii=False) + "\n"


# -- TOML --------------------------------------------------------------------------------------
def _toml_key(key) -> str:
    key = str(key)
    return key if re.fullmatch(_BARE_KEY, key) else json.dumps(key)


def _toml_value(value, place: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise ModelError("TOML has no null, which this layout needs", place=place,
                         hint="write the model as YAML or JSON")
    if isinstance(value, (int, float)):
        value = str(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v, f'{place}.{k}')}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v, f"{place}[{i}]")
                               for i, v in enumerate(value)) + "]"
    if re.fullmatch(_INTEGER, value) or re.fullmatch(_TOML_FLOAT, value):
        return value
    return json.dumps(value)


def _toml_table(table: Mapping, name: str, place: str, lines: list[str], *,
                top: bool = False) -> None:
    """A table's scalar and inline entries, then each sub-table under its ``[name]``.

    At the top every mapping is a sub-table; below it, only one that holds tables or lists.
    """
    subtables = []
    for k, v in table.items():
        if isinstance(v, Mapping) and (top or any(isinstance(x, (Mapping, list))
                                                  for x in v.values())):
            subtables.append((k, v))
        else:
            lines.append(f"{_toml_key(k)} = {_toml_value(v, _dotted(place, k))}")
    for k, v in subtables:
        sub = _dotted(name, _toml_key(k))
        lines += ["", f"[{sub}]"]
        _toml_table(v, sub, _dotted(place, k), lines)


def _dotted(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _toml(data: Mapping) -> str:
    lines: list[str] = []
    _toml_table(data, "", "", lines, top=True)
    return "\n".join(lines) + "\n"


_WRITERS = {"yaml": _yaml, "json": _json, "toml": _toml}


def write_model(mdp: MDP, policy: Policy | None = None, path_or_format="yaml", *,
                layout=None, vary=None):
    """Write a model (and its policy) as a model file, or return the file's text.

    Parameters
    ----------
    mdp : MDP
        The model to write.
    policy : Policy, optional
        The file's ``policy`` key; without one the file names none (the uniform policy).
    path_or_format : str or path-like
        ``"yaml"``, ``"json"`` or ``"toml"``: return the text; a file name ending in
        ``.yaml``, ``.yml``, ``.json`` or ``.toml``: write that file.
    layout, vary : mapping, optional
        The file's ``layout`` and ``vary`` keys (the model's own by default).

    Returns
    -------
    str or Path
        The text, or the path written (whole or not at all: a temporary file in the same
        folder, renamed into place).

    Raises
    ------
    ModelError
        For an unknown format or ending, or a layout with empty cells in TOML (which
        has no null).
    OutputError
        For a missing folder, a folder given as the file, or a place that cannot be
        written.

    Examples
    --------
    The Student MDP, written and read back as TOML:

    >>> from symbellman.model.examples import student_mdp
    >>> from symbellman.io import parse_model_text, read_model
    >>> text = write_model(student_mdp(), None, "toml")
    >>> print(text[text.index("[transitions.Class3]"):].strip())
    [transitions.Class3]
    pub = [{to = "Class1", p = 0.2, r = 1}, {to = "Class2", p = 0.4, r = 1}, {to = "Class3", p = 0.4, r = 1}]
    study = [{to = "Sleep", r = 10}]
    >>> read_model(parse_model_text(text, ".toml"))[0] == student_mdp()
    True
    """
    is_format = isinstance(path_or_format, str) and path_or_format.lower() in FORMATS
    if is_format:
        kind = FORMATS[path_or_format.lower()]
    else:
        ending = Path(path_or_format).suffix.lstrip(".").lower()
        if ending not in FORMATS:
            raise ModelError(f"cannot tell the format of {str(path_or_format)!r}",
                             place="write_model",
                             hint="name it .yaml, .yml, .json or .toml, or pass 'yaml', "
                                  "'json' or 'toml'")
        kind = FORMATS[ending]
    text = _WRITERS[kind](model_data(mdp, policy, layout=layout, vary=vary))
    if is_format:
        return text
    return write_file(path_or_format, text)
