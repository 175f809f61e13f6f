"""The limits that keep a small hostile file from taking unbounded time or memory.

Every limit is far beyond what a teaching model needs, is checked *before* the work it
guards is done (a number's size before it is built, a file's size before it is read),
and turns into a one-line error. Each can be raised with an environment variable, and
the command line adds ``--timeout`` and ``--max-memory`` for the whole run:

=============================  ==========================================  ===========
environment variable           what it bounds                              default
=============================  ==========================================  ===========
``SYMBELLMAN_MAX_FILE_BYTES``  the size of a model or policy file          20000000
``SYMBELLMAN_MAX_TOKENS``      numbers, names and operators in one         2000
                               expression
``SYMBELLMAN_MAX_DIGITS``      decimal digits of any exact number an       10000
                               expression may produce
``SYMBELLMAN_MAX_DEGREE``      total degree of an expression in its        1000
                               symbols
``SYMBELLMAN_MAX_SYMBOLS``     declared parameters of a model              100
``SYMBELLMAN_MAX_MEMORY_MB``   address space of a command-line run         4096
``SYMBELLMAN_TIMEOUT``         seconds a command-line run may take         none
=============================  ==========================================  ===========

>>> Limits().digits
10000
>>> current({"SYMBELLMAN_MAX_DIGITS": "50000"}).digits
50000
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Mapping

from .errors import SymbellmanError

__all__ = ["Limits", "current", "ENVIRONMENT"]


@dataclass(frozen=True)
class Limits:
    """The bounds on input size, expression size and resources (see the module's table)."""

    file_bytes: int = 20_000_000
    tokens: int = 2_000
    digits: int = 10_000
    degree: int = 1_000
    symbols: int = 100
    memory_mb: int = 4096
    timeout: float | None = None

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and not value > 0:
                raise SymbellmanError(f"the limit {f.name} must be positive, got {value}")


#: The environment variable that sets each limit.
ENVIRONMENT = {"file_bytes": "SYMBELLMAN_MAX_FILE_BYTES", "tokens": "SYMBELLMAN_MAX_TOKENS",
               "digits": "SYMBELLMAN_MAX_DIGITS", "degree": "SYMBELLMAN_MAX_DEGREE",
               "symbols": "SYMBELLMAN_MAX_SYMBOLS", "memory_mb": "SYMBELLMAN_MAX_MEMORY_MB",
               "timeout": "SYMBELLMAN_TIMEOUT"}


def current(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits in force: the defaults, raised or lowered by the environment.

    Raises
    ------
    SymbellmanError
        If a variable does not hold a positive number.
    """
    environ = os.environ if environ is None else environ
    values = {}
    for f in fields(Limits):
        text = environ.get(ENVIRONMENT[f.name])
        if text is None or not text.strip():
            continue
        try:
            values[f.name] = float(text) if f.name == "timeout" else int(text)
        except ValueError:
            raise SymbellmanError(f"{ENVIRONMENT[f.name]}={text!r} is not a number") from None
    return Limits(**values)
