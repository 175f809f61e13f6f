"""Exact values keyed by tuples (stage, state, action) or states: the results of the
finite-horizon and average-reward families, as :meth:`Family.data
<symbellman.equations.families.Family.data>` reads them (``keys()`` and ``text(key)``).

>>> from sympy import Rational
>>> values = KeyedValues({(2, "s1"): Rational(37, 5), (1, "s1"): Rational(5)})
>>> values[2, "s1"], values.text((2, "s1")), list(values.keys())
(37/5, '37/5', [(2, 's1'), (1, 's1')])
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Iterator, Mapping

__all__ = ["KeyedValues"]


class KeyedValues(Mapping):
    """A frozen mapping key -> exact value; ``source`` is the solver's full result
    (``FiniteHorizonValues``, ``AverageReward``, ...), for the families that share it."""

    __slots__ = ("_values", "source")

    def __init__(self, values: Mapping, source: Any = None):
        object.__setattr__(self, "_values", MappingProxyType(dict(values)))
        object.__setattr__(self, "source", source)

    def __setattr__(self, key, value):
        raise AttributeError("KeyedValues cannot be changed")

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self) -> Iterator:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def text(self, key) -> str:
        """The exact value as SymPy's text (what ``--json`` writes)."""
        return str(self._values[key])

    def __repr__(self) -> str:
        return f"KeyedValues({len(self._values)} values)"
