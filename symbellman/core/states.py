"""Tables keyed by state names, as model files write them: every key checked against the states.

>>> list(state_entries({"Class1": ["study"]}, "actions", "each state to its list of actions",
...                    ("Class1", "Sleep")))
[('Class1', ['study'], 'actions.Class1')]
>>> check_state("Clas1", ("Class1", "Sleep"), "actions.Clas1")
Traceback (most recent call last):
...
symbellman.core.errors.ModelError: actions.Clas1: unknown state 'Clas1' (did you mean 'Class1'?)
"""

from __future__ import annotations

from typing import Any, Collection, Iterator, Mapping

from .errors import ModelError
from .names import did_you_mean

__all__ = ["check_state", "state_entries"]


def check_state(s: Any, states: Collection[str], place: str) -> None:
    """Raise a :class:`~symbellman.core.errors.ModelError` at ``place`` unless ``s`` is a state.

    The hint names the closest state, so ``states`` must also be iterable (a dict of
    states works, and answers ``in`` at once).
    """
    if not isinstance(s, str) or s not in states:
        raise ModelError(f"unknown state {s!r}", place=place,
                         hint=did_you_mean(str(s), states, "add it to 'states'"))


def state_entries(table: Any, place: str, maps_to: str, states: Collection[str]
                  ) -> Iterator[tuple[str, Any, str]]:
    """``(state, value, place of the entry)`` for each entry of a table keyed by states.

    ``table`` must be a mapping (else the error says that the key at ``place`` must map
    ``maps_to``) and each key one of ``states``, checked as its entry is reached, so
    that a file's first mistake is the one reported.
    """
    if not isinstance(table, Mapping):
        raise ModelError(f"'{place.rsplit('.', 1)[-1]}' must map {maps_to}", place=place)
    for s, value in table.items():
        where = f"{place}.{s}"
        check_state(s, states, where)
        yield s, value, where
