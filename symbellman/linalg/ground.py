"""Which exact arithmetic runs underneath: python-flint (C), or plain Python.

This is the one module that imports python-flint: every other module asks it
(``from .ground import flint``). python-flint is a dependency, so it is normally there;
when it does not import, or is older than :data:`MINIMUM_VERSION`, the pure-Python
backend runs instead (the same results, up to ~50× slower), and :data:`FALLBACK` says
why in one line (``python -c "import symbellman.linalg.ground as g; print(g.FALLBACK)"``).

>>> (flint is None) == bool(FALLBACK)
True
"""

from __future__ import annotations

import re

__all__ = ["flint", "DomainError", "VERSION", "MINIMUM_VERSION", "FALLBACK"]

#: The oldest python-flint the fast routes use (``pyproject.toml`` asks for it too).
MINIMUM_VERSION = (0, 6)


def _version(text: str) -> tuple:
    """``"0.9.0"`` -> ``(0, 9, 0)`` (a pre-release suffix is dropped).

    >>> _version("0.7.0a4")
    (0, 7, 0)
    """
    parts = []
    for part in text.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        parts.append(int(digits.group()))
        if digits.group() != part:
            break
    return tuple(parts)


try:
    import flint
except ImportError as exc:  # pragma: no cover - exercised by forcing backend="python"
    flint = None
    VERSION: tuple = ()
    FALLBACK = f"python-flint does not import ({exc}): the pure-Python backend runs"
else:
    VERSION = _version(getattr(flint, "__version__", "0"))
    FALLBACK = ""
    if VERSION < MINIMUM_VERSION:  # pragma: no cover - the package asks for >= 0.6
        FALLBACK = (f"python-flint {flint.__version__} is older than "
                    f"{'.'.join(map(str, MINIMUM_VERSION))}: the pure-Python backend runs")
        flint = None

# apart from flint itself: a python-flint that moved its exceptions must not silently
# send every solve to the pure-Python backend
try:
    from flint.utils.flint_exceptions import DomainError
except ImportError:  # pragma: no cover - older or newer layouts of python-flint
    DomainError = getattr(flint, "DomainError", ValueError)
