"""Model files (YAML, JSON, TOML) read into an :class:`~symbellman.model.mdp.MDP` and a policy.

The format is the model-file spec, format version 1 (see ``docs/model-files.md``). Each
parser hands over plain data in which every number is still the text the file wrote
(``"0.2"``, never the float 0.2), so :class:`~symbellman.model.mdp.MDP` reads it exactly
with the safe expression parser; nothing in a model file is ever evaluated as code.
This module checks what the constructors cannot see (the top-level keys, the format
version, the kinds of values) and makes every error name the file.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from contextlib import contextmanager
from datetime import date, time
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from ..model.criteria import KEYS as CRITERIA_KEYS
from ..core.errors import ModelError
from ..core.names import did_you_mean, printable
from ..core.limits import ENVIRONMENT, current as current_limits
from ..model.mdp import MDP
from ..model.policy import Policy
from .yaml_text import load_yaml_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["load_model", "read_model", "load_policy", "read_policy", "parse_model_text",
           "KEYS"]

#: The top-level keys of a model file, in the spec's order.
KEYS = ("format", "name", "description", "symbols", "discount", "states", "terminal",
        "actions", "transitions", "policy", "layout", "vary", *CRITERIA_KEYS)
_POLICY_FILE_KEYS = ("format", "name", "description", "policy")
_ENDINGS = ".yaml, .yml, .json or .toml"


# -- from text to plain data -----------------------------------------------------------
class _Pairs(list):
    """A JSON object's (key, value) pairs, before the keys are checked for repeats."""


def _join(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key


def _json_tree(value: Any, place: str = "") -> Any:
    # The duplicate check walks the finished tree, not json's hook, so it can say where.
    if isinstance(value, _Pairs):
        result = {}
        for key, item in value:
            if key in result:
                raise ModelError(f"duplicate key {key!r}", place=place or None,
                                 hint="each key may appear once; JSON readers keep the last")
            result[key] = _json_tree(item, _join(place, key))
        return result
    if isinstance(value, list):
        return [_json_tree(item, f"{place}[{i}]") for i, item in enumerate(value)]
    return value


def _json_constant(name: str):
    raise ModelError(f"{name} is not a number a model can use",
                     hint="probabilities, rewards and the discount are exact numbers")


def _parse_json(text: str) -> Any:
    try:
        raw = json.loads(text, object_pairs_hook=_Pairs, parse_float=str, parse_int=str,
                         parse_constant=_json_constant)
    except json.JSONDecodeError as err:
        raise ModelError(f"JSON syntax error: {err.msg}",
                         place=f"line {err.lineno}, column {err.colno}") from None
    return _json_tree(raw)


def _toml_tree(value: Any, place: str = "") -> Any:
    # tomllib already refuses repeated keys; its ints and dates are typed, so ints go back
    # to text (like every other number) and dates, which no model uses, are refused.
    if isinstance(value, dict):
        return {key: _toml_tree(item, _join(place, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [_toml_tree(item, f"{place}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (date, time)):
        raise ModelError(f"a date or time ({value}) has no meaning in a model",
                         place=place or None, hint="put it in quotes if it is a name")
    return value


def _parse_toml(text: str) -> Any:
    try:
        raw = tomllib.loads(text, parse_float=str)
    except tomllib.TOMLDecodeError as err:
        # tomllib puts the place at the end of its message: "(at line 3, column 7)".
        message, _, where = str(err).partition(" (at ")
        place = where.rstrip(")").replace("end of document", "end of file") or None
        repeated = any(word in message for word in ("overwrite", "twice", "Duplicate"))
        raise ModelError(f"TOML syntax error: {message}", place=place,
                         hint="each key may appear once" if repeated else None) from None
    except ValueError:  # tomllib turns integers into ints itself, within Python's limit
        raise ModelError("a TOML integer is too long to read",
                         hint='write long numbers in quotes, as text ("1e5000" or "10**5000")'
                         ) from None
    return _toml_tree(raw)


_PARSERS: dict[str, Callable[[str], Any]] = {
    ".yaml": load_yaml_text, ".yml": load_yaml_text, ".json": _parse_json, ".toml": _parse_toml,
}


def parse_model_text(text: str, ending: str, source: str | None = None) -> Any:
    """Plain data (dicts, lists, text) from the text of a model or policy file.

    Parameters
    ----------
    text : str
        The file's contents.
    ending : str
        ``".yaml"``, ``".yml"``, ``".json"`` or ``".toml"``: which parser to use.
    source : str, optional
        The file name, for error messages.

    Returns
    -------
    Any
        The document; every number is a string holding the text the file wrote.

    Examples
    --------
    >>> parse_model_text('{"discount": 0.9, "states": ["on", "off"]}', ".json")
    {'discount': '0.9', 'states': ['on', 'off']}
    >>> parse_model_text("discount = 0.9\\nformat = 1", ".toml")
    {'discount': '0.9', 'format': '1'}
    """
    parser = _parser(ending, source)
    if not text.strip():
        raise _empty(source)
    with _naming(source):
        data = parser(text)
    if data is None:  # a YAML file of comments only
        raise _empty(source)
    return data


@contextmanager
def _naming(source: str | None) -> Iterator[None]:
    """Make every ModelError raised inside name the file."""
    try:
        yield
    except ModelError as err:
        raise (err.with_source(source) if source else err) from None
    except RecursionError:  # e.g. lists, or a probability's parentheses, thousands deep
        raise ModelError("the file is nested too deeply to read", source=source,
                         hint="lists, maps and parentheses may nest a few hundred levels"
                         ) from None


def _empty(source: str | None) -> ModelError:
    return ModelError("the file is empty", source=source,
                      hint="a model needs at least 'states' and 'transitions'")


def _parser(ending: str, source: str | None) -> Callable[[str], Any]:
    parser = _PARSERS.get(ending.lower())
    if parser is None:
        what = f"ending in {ending!r}" if ending else "with no ending"
        raise ModelError(f"cannot tell the format of a file {what}", source=source,
                         hint=f"name it {_ENDINGS}")
    return parser


def _read_regular_file(path: Path, most: int) -> bytes:
    """The bytes of a regular file of at most ``most`` bytes.

    A FIFO would block, and ``/dev/zero`` or ``/dev/urandom`` never end: only regular
    files are opened (``O_NONBLOCK``, so even a FIFO swapped in after the check cannot
    block), and at most ``most + 1`` bytes are read, whatever the file claims.
    """
    if stat.S_ISDIR(os.stat(path).st_mode):
        raise IsADirectoryError
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ModelError("this is not a regular file (a device, pipe or socket)",
                             hint="save the model to a file and give its name")
        if info.st_size > most:
            raise _too_big(info.st_size, most)
        raw = file.read(most + 1)
    if len(raw) > most:
        raise _too_big(len(raw), most)
    return raw


def _too_big(size: int, most: int) -> ModelError:
    return ModelError(f"the file has {size:,} bytes; the limit is {most:,}",
                      hint=f"raise {ENVIRONMENT['file_bytes']} to read larger models")


def _read_file(path: str | PathLike) -> tuple[Any, str]:
    source = str(path)
    ending = Path(path).suffix
    _parser(ending, source)  # a wrong ending is reported before a missing file
    try:
        raw = _read_regular_file(Path(path), current_limits().file_bytes)
    except FileNotFoundError:
        raise ModelError("no such file", source=source) from None
    except IsADirectoryError:
        raise ModelError("this is a folder, not a file", source=source) from None
    except ModelError as err:
        raise err.with_source(source) from None
    except OSError as err:
        raise ModelError(f"cannot read the file: {err.strerror or err}", source=source) from None
    try:
        # utf-8-sig: a byte-order mark that some editors write is not part of the model.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise ModelError(f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x})",
                         place=f"line {line}", source=source,
                         hint="save it as UTF-8") from None
    return parse_model_text(text, ending, source), source


# -- from plain data to a model ----------------------------------------------------------
def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a map"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, str):
        return repr(value)
    return f"{type(value).__name__} {value!r}"


def _check_keys(data: Mapping, known: tuple[str, ...], place: str | None) -> None:
    for key in data:
        if key not in known:
            raise ModelError(f"unknown key {key!r}", place=place,
                             hint=did_you_mean(str(key), known,
                                               f"the keys are {', '.join(known)}"))


def _check_no_empty(value: Any, place: str) -> None:
    # An empty value (``terminal:`` with nothing after it, JSON null) is almost always a
    # slip; reading it as "none" would, for 'actions', silently turn an MDP into an MRP.
    if value is None:
        raise ModelError("no value given", place=place,
                         hint="write a value, or leave the key out")
    if isinstance(value, str):
        _check_text(value, place)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_text(str(key), _join(place, str(key)))
            _check_no_empty(item, _join(place, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_no_empty(item, f"{place}[{i}]")


def _check_text(text: str, place: str) -> None:
    # A lone surrogate ("\ud800" in JSON or YAML) is not a character: no UTF-8 file, PDF
    # or terminal can hold it, so a name made of one could never be printed.
    bad = next((c for c in text if "\ud800" <= c <= "\udfff"), None)
    if bad is not None:
        raise ModelError(f"the text {printable(text)} holds a lone surrogate "
                         f"U+{ord(bad):04X}, which is not a character", place=place,
                         hint="write the character itself, or a complete surrogate pair")


def _check_format(data: Mapping) -> None:
    if "format" not in data:
        return
    version = data["format"]
    if isinstance(version, str):
        version = version.strip()
    if version not in ("1", 1) or isinstance(version, bool):
        raise ModelError(f"format version {_describe(version)} is not supported", place="format",
                         hint="this version of symbellman reads format 1")


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list, tuple, set, bool)) and value is not None


# What each key must hold: a test, and the words for the error when it fails.
_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "name": (lambda v: isinstance(v, str), "text"),
    "description": (lambda v: isinstance(v, str), "text"),
    "symbols": (lambda v: isinstance(v, list), "a list of parameter names"),
    "discount": (_is_scalar, "a number or a symbol name"),
    "states": (lambda v: isinstance(v, list), "a list of state names"),
    "terminal": (lambda v: isinstance(v, list), "a list of state names"),
    "actions": (lambda v: isinstance(v, Mapping), "a map from states to lists of actions"),
    "transitions": (lambda v: isinstance(v, Mapping), "a map from states to outcomes"),
    "policy": (lambda v: v == "uniform" or isinstance(v, Mapping),
               "'uniform' or a map from states to actions"),
}

_REQUIRED = {"states": "list the state names, e.g. states: [A, B]",
             "transitions": "give each state's outcomes {to, p, r} under 'transitions'"}

# The keys passed on to MDP under their own names; format and policy are read apart.
_ARGUMENTS = ("name", "description", "symbols", "discount", "terminal", "actions", "layout",
              "vary")


def _check_kinds(data: Mapping) -> None:
    for key, (fits, what) in _KINDS.items():
        if key in data and not fits(data[key]):
            raise ModelError(f"expected {what}, found {_describe(data[key])}", place=key)
    for state, actions in data.get("actions", {}).items():
        if not isinstance(actions, list):
            raise ModelError(f"expected a list of action names, found {_describe(actions)}",
                             place=f"actions.{state}")


def _read(data: Any) -> tuple[MDP, Policy]:
    if not isinstance(data, Mapping):
        raise ModelError(f"a model file holds a map of keys (states, transitions, ...), "
                         f"not {_describe(data)}")
    _check_keys(data, KEYS, None)
    for key in data:
        if key != "layout":  # a grid cell may be null (a blank); Layout checks its own
            _check_no_empty(data[key], key)
    _check_format(data)
    for key, hint in _REQUIRED.items():
        if key not in data:
            raise ModelError(f"the required key {key!r} is missing", hint=hint)
    _check_kinds(data)
    arguments = {key: data[key] for key in _ARGUMENTS if key in data}
    criteria = {key: data[key] for key in CRITERIA_KEYS if key in data}
    mdp = MDP(data["states"], data["transitions"], criteria=criteria, **arguments)
    return mdp, Policy.from_spec(mdp, data.get("policy", "uniform"))


def read_model(data: Any, source: str | None = None) -> tuple[MDP, Policy]:
    """The model and policy that parsed model-file data describe.

    Parameters
    ----------
    data : mapping
        A model file's contents as plain data (dicts, lists, text or numbers), as
        :func:`parse_model_text` returns them. Numbers given as text are read exactly.
    source : str, optional
        The file the data came from; every error names it.

    Returns
    -------
    (MDP, Policy)
        The model, and its ``policy`` (uniform when the key is absent).

    Raises
    ------
    ModelError
        If a check of the spec fails; the error names the file and the place.

    Examples
    --------
    A single state that pays 1 and stops, half the time:

    >>> mdp, policy = read_model({"states": ["A", "End"], "terminal": ["End"],
    ...                           "transitions": {"A": [{"to": "A", "p": "0.5", "r": "1"},
    ...                                                 {"to": "End", "p": "0.5", "r": "1"}]}})
    >>> mdp.outcomes("A")
    (Outcome('A', p=1/2, r=1), Outcome('End', p=1/2, r=1))
    >>> read_model({"states": ["A"], "transition": {}}, "m.yaml")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: m.yaml: unknown key 'transition' (did you mean 'transitions'?)
    """
    with _naming(source):
        return _read(data)


def read_policy(data: Any, mdp: MDP, source: str | None = None) -> Policy:
    """A policy for ``mdp`` from a policy file's data.

    The data is the policy itself (``"uniform"``, state → action, or state →
    {action: probability}) or a map with a ``policy`` key (and optionally ``format``,
    ``name`` and ``description``).

    >>> from symbellman.model.examples import student_mdp
    >>> read_policy({"policy": {"Facebook": "quit", "Class1": "study", "Class2": "study",
    ...                         "Class3": "pub"}}, student_mdp())("Class3")
    {'pub': 1, 'study': 0}
    """
    with _naming(source):
        # A state may be called "policy"; then the data is the policy itself.
        if isinstance(data, Mapping) and "policy" in data and "policy" not in mdp.states:
            _check_keys(data, _POLICY_FILE_KEYS, None)
            _check_format(data)
            data = data["policy"]
        _check_no_empty(data, "policy")
        _check_kinds({"policy": data})
        return Policy.from_spec(mdp, data)


def load_model(path: str | PathLike) -> tuple[MDP, Policy]:
    """Read a model file; its ending (.yaml, .yml, .json, .toml) picks the parser.

    Parameters
    ----------
    path : str or path-like
        The model file.

    Returns
    -------
    (MDP, Policy)
        The model and its policy (uniform when the file gives none).

    Raises
    ------
    ModelError
        If the file is missing, unreadable, not UTF-8, empty, not valid YAML/JSON/TOML,
        or breaks a rule of the spec; the one-line message names the file.

    Examples
    --------
    >>> from pathlib import Path
    >>> mdp, policy = load_model(Path(__file__).parents[2] / "examples" / "student_mdp.yaml")
    >>> mdp.outcomes("Class3", "pub")[0]
    Outcome('Class1', p=1/5, r=1)
    """
    data, source = _read_file(path)
    return read_model(data, source)


def load_policy(path: str | PathLike, mdp: MDP) -> Policy:
    """Read a policy file for ``mdp`` (same formats; see :func:`read_policy`)."""
    data, source = _read_file(path)
    return read_policy(data, mdp, source)
