"""A YAML reader for model files that keeps every scalar as the text the file wrote.

PyYAML's safe loader still guesses types: ``on``, ``no`` and ``off`` become booleans,
``null`` becomes None, ``1:30`` a sexagesimal int (90), ``0x10`` sixteen and a long
decimal a float that has lost its digits; a repeated key silently keeps the last value. In a
model file every number is an exact expression and every name is a name, so
:class:`TextLoader` has no type resolvers at all: a scalar is text (an empty value is
None), sequences are lists and mappings are dicts. Repeated keys, aliases (``*name``,
the way a "billion laughs" file grows without bound), and tags other than YAML's core
ones are errors, and every error becomes a one-line :class:`~symbellman.core.errors.ModelError`
naming the file, line and column.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from ..core.errors import ModelError

__all__ = ["TextLoader", "load_yaml_text"]

# Explicit core tags (``!!int 5``) are read as the text they tag, like untagged values.
_CORE_SCALAR_TAGS = ("str", "int", "float", "bool", "null")


class TextLoader(yaml.SafeLoader):
    """A safe YAML loader whose scalars all stay text.

    Use it through :func:`load_yaml_text`, which also turns PyYAML's errors into
    :class:`~symbellman.core.errors.ModelError`.

    Examples
    --------
    >>> loader = TextLoader("states: [on, no, null, 1:30, 0x10, 0.2]\\nterminal:")
    >>> loader.get_single_data()
    {'states': ['on', 'no', 'null', '1:30', '0x10', '0.2'], 'terminal': None}
    >>> loader.dispose()
    """

    # Own (empty) tables, so nothing registered on SafeLoader leaks in: with no implicit
    # resolvers every plain scalar gets the str tag.
    yaml_implicit_resolvers: dict = {}
    yaml_constructors: dict = {}
    yaml_multi_constructors: dict = {}

    def compose_node(self, parent, index):
        # PyYAML shares an aliased node instead of copying it, but whoever walks the
        # result walks every path: nine nested aliases make 10**9 of them. A model file
        # can always write the value out, so aliases are refused before they are built.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ComposerError(None, None,
                                f"the alias *{event.anchor} is not allowed; write the value out",
                                event.start_mark)
        return super().compose_node(parent, index)

    def construct_text(self, node) -> str | None:
        """A scalar as written; an empty plain value (``key:``) is None."""
        if not isinstance(node, ScalarNode):
            kind = "list" if isinstance(node, SequenceNode) else "map"
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise ConstructorError(None, None, f"the tag {tag} cannot be put on a {kind}",
                                   node.start_mark)
        if node.value == "" and node.style is None:
            return None
        return node.value

    def construct_mapping(self, node, deep: bool = False) -> dict[str, Any]:
        """A dict whose keys are text and appear once (PyYAML would keep the last)."""
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, f"expected a map, found {node.id}",
                                   node.start_mark)
        mapping: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            _check_key(key, key_node.start_mark, first_line)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_undefined(self, node):
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise ConstructorError(None, None,
                               f"the tag {tag} is not allowed; a model file holds only "
                               "text, lists and maps", node.start_mark)


for _tag in _CORE_SCALAR_TAGS:
    TextLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", TextLoader.construct_text)
TextLoader.add_constructor("tag:yaml.org,2002:seq", yaml.SafeLoader.construct_yaml_seq)
TextLoader.add_constructor("tag:yaml.org,2002:map", yaml.SafeLoader.construct_yaml_map)
TextLoader.add_constructor(None, TextLoader.construct_undefined)


def _place(mark) -> str | None:
    return None if mark is None else f"line {mark.line + 1}, column {mark.column + 1}"


# -- the fast path: libyaml's parser and a walk over its events ---------------------------
try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml: the pure-Python loader reads everything
    _CParser = None

#: Below this many characters a file that libyaml refuses is read again by the pure-Python
#: loader, whose messages (and those of :class:`TextLoader`) are the ones documented.
SLOW_ERRORS_BELOW = 1_000_000

_SCALAR_TAGS = frozenset([None, "!"] + [f"tag:yaml.org,2002:{t}" for t in _CORE_SCALAR_TAGS])
_SEQ_TAGS = frozenset([None, "!", "tag:yaml.org,2002:seq"])
_MAP_TAGS = frozenset([None, "!", "tag:yaml.org,2002:map"])


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _walk(parser, event) -> Any:
    """The node that ``event`` starts, from libyaml's events, read as TextLoader reads it."""
    kind = type(event)
    if kind is _Scalar:
        if event.tag is not None and event.tag not in _SCALAR_TAGS:
            what = {"tag:yaml.org,2002:seq": "expected a sequence node, but found scalar",
                    "tag:yaml.org,2002:map": "expected a map, found scalar"}.get(event.tag)
            problem = (what if what else
                       f"the tag {_short(event.tag)} is not allowed; a model file holds only "
                       "text, lists and maps")
            raise ConstructorError(None, None, problem, event.start_mark)
        # libyaml marks a plain scalar with style '' (PyYAML's own parser with None)
        return None if event.value == "" and not event.style else event.value
    get = parser.get_event
    if kind is yaml.SequenceStartEvent:
        _check_collection_tag(event, _SEQ_TAGS, "list")
        items = []
        item = get()
        while type(item) is not yaml.SequenceEndEvent:
            items.append(_walk(parser, item))
            item = get()
        return items
    if kind is yaml.MappingStartEvent:
        _check_collection_tag(event, _MAP_TAGS, "map")
        mapping: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        key_event = get()
        while type(key_event) is not yaml.MappingEndEvent:
            key = _walk(parser, key_event)
            _check_key(key, key_event.start_mark, first_line)
            mapping[key] = _walk(parser, get())
            key_event = get()
        return mapping
    if kind is yaml.AliasEvent:
        raise ComposerError(None, None, f"the alias *{event.anchor} is not allowed; write the "
                            "value out", event.start_mark)
    raise ComposerError(None, None, f"unexpected {kind.__name__}",  # pragma: no cover
                        event.start_mark)


_Scalar = yaml.ScalarEvent


def _check_collection_tag(event, allowed, kind: str) -> None:
    if event.tag in allowed:
        return
    if event.tag in _SCALAR_TAGS:
        raise ConstructorError(None, None,
                               f"the tag {_short(event.tag)} cannot be put on a {kind}",
                               event.start_mark)
    raise ConstructorError(None, None, f"the tag {_short(event.tag)} is not allowed; a model "
                           "file holds only text, lists and maps", event.start_mark)


def _load_fast(text: str) -> Any:
    parser = _CParser(text)
    parser.get_event()  # stream start
    if type(parser.peek_event()) is yaml.StreamEndEvent:
        return None
    document = parser.get_event()
    data = _walk(parser, parser.get_event())
    parser.get_event()  # document end
    if type(parser.peek_event()) is not yaml.StreamEndEvent:
        raise ComposerError("expected a single document in the stream", document.start_mark,
                            "but found another document", parser.peek_event().start_mark)
    return data


def _check_key(key, mark, first_line: dict[str, int]) -> None:
    """A map's key is text and new; ``first_line`` records the line of each key so far."""
    if not isinstance(key, str):
        what = "empty" if key is None else "a list or map"
        raise ConstructorError(None, None, f"a key must be text, found {what}", mark)
    if key in first_line:
        raise ConstructorError(None, None, f"duplicate key {key!r} (first on line "
                               f"{first_line[key]}); each key may appear once", mark)
    first_line[key] = mark.line + 1


def load_yaml_text(text: str, source: str | None = None) -> Any:
    """Parse one YAML document with :class:`TextLoader`.

    Parameters
    ----------
    text : str
        The document.
    source : str, optional
        The file it came from, for error messages.

    Returns
    -------
    dict, list, str or None
        The document, with every scalar as text; None for an empty document.

    Raises
    ------
    ModelError
        For a syntax error, a repeated key, an alias or a disallowed tag; the error
        names the source and the line and column.

    Examples
    --------
    >>> load_yaml_text("discount: 0.1000000000000000000000000001")
    {'discount': '0.1000000000000000000000000001'}
    >>> load_yaml_text("a: 1\\nb: 2\\na: 3\\n", "m.yaml")
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: m.yaml: line 3, column 1: duplicate key 'a' (first on line 1)...
    """
    if _CParser is not None:
        try:
            return _load_fast(text)
        except (yaml.YAMLError, RecursionError, UnicodeEncodeError) as err:
            # deep nesting would take the Python parser long to refuse: not read again
            if getattr(err, "problem", None) == "exceeded maximum nesting depth":
                err = RecursionError()  # libyaml's own limit, 1000 levels
            if isinstance(err, RecursionError) or (len(text) >= SLOW_ERRORS_BELOW and
                                                   not isinstance(err, UnicodeEncodeError)):
                _raise_model_error(err, text, source)
            # else: read again below, for the documented messages
    return _load_slow(text, source)


def _load_slow(text: str, source: str | None) -> Any:
    loader = None
    try:
        loader = TextLoader(text)
        return loader.get_single_data()
    except (yaml.YAMLError, RecursionError) as err:
        _raise_model_error(err, text, source)
    finally:
        if loader is not None:
            loader.dispose()


def _raise_model_error(err: BaseException, text: str, source: str | None):
    """Raise ``err`` (from either parser) as a one-line ModelError naming the place."""
    if isinstance(err, RecursionError):
        raise ModelError("the YAML is nested too deeply", source=source) from None
    if isinstance(err, yaml.MarkedYAMLError):
        message = err.problem or err.context or "invalid YAML"
        if err.problem and err.context:
            # PyYAML's context ("while parsing a flow sequence") says where the trouble began.
            start = f" ({_place(err.context_mark)})" if err.context_mark else ""
            message = f"{err.context}{start}, {err.problem}"
        where = _place(err.problem_mark or err.context_mark)
        if not isinstance(err, (ComposerError, ConstructorError)):
            message = f"YAML syntax error: {message}"
        raise ModelError(message, place=where, source=source) from None
    if isinstance(err, ReaderError):  # a control character, which YAML does not allow
        line = text.count("\n", 0, err.position) + 1
        column = err.position - text.rfind("\n", 0, err.position)
        code = ord(err.character) if isinstance(err.character, str) else err.character
        raise ModelError(f"the character U+{code:04X} is not allowed in YAML",
                         place=f"line {line}, column {column}", source=source) from None
    raise ModelError(f"YAML error: {' '.join(str(err).split())}", source=source) from None
