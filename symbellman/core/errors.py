"""The exceptions symbellman raises on purpose.

Every error a user can cause derives from :class:`SymbellmanError`, so the command
line turns each into one line on standard error and exit status 2; anything else is
a bug in symbellman.
"""

from __future__ import annotations

__all__ = ["SymbellmanError", "ModelError", "PolicyError", "SolveError", "SingularSystem",
           "MissingDependency"]


class SymbellmanError(Exception):
    """Base class of the errors that bad input can cause."""


class ModelError(SymbellmanError, ValueError):
    """A model (or policy) is malformed.

    Parameters
    ----------
    message : str
        What is wrong, in one sentence.
    place : str, optional
        Where, as a dotted path into the model's structure
        (``transitions.Class3.pub[1].p``).
    source : str, optional
        The file the model came from.
    hint : str, optional
        What to write instead.

    Examples
    --------
    >>> str(ModelError("probabilities sum to 999/1000, not 1",
    ...                place="transitions.Class3.pub", source="student.yaml",
    ...                hint="make them add up to exactly 1"))
    'student.yaml: transitions.Class3.pub: probabilities sum to 999/1000, not 1 (make them add up to exactly 1)'
    """

    def __init__(self, message: str, place: str | None = None, source: str | None = None,
                 hint: str | None = None):
        self.message = message
        self.place = place
        self.source = source
        self.hint = hint
        super().__init__(str(self))

    def with_source(self, source: str) -> "ModelError":
        """The same error, naming the file it came from."""
        return type(self)(self.message, self.place, source, self.hint)

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.source, self.place) if p)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class PolicyError(ModelError):
    """A policy does not fit its MDP (unknown action, weights not summing to 1)."""


class SolveError(SymbellmanError, ArithmeticError):
    """The equations have no unique solution (e.g. γ = 1 on a policy that never ends)."""


class SingularSystem(SolveError):
    """A linear system to solve is singular (I − γP, or A of ``linalg.solve_sparse``;
    the caller says why, in the model's terms)."""


class MissingDependency(SymbellmanError, ImportError):
    """An optional part needs a package or program that is not installed.

    Examples
    --------
    >>> str(MissingDependency("plots need matplotlib", extra="handout"))
    "plots need matplotlib: install the 'handout' extra (pip install '.[handout]' in symbellman's folder)"
    """

    def __init__(self, message: str, extra: str | None = None, install: str | None = None):
        self.extra = extra
        if install is None and extra is not None:
            # symbellman installs from its checkout (it is not on PyPI)
            install = f"install the {extra!r} extra (pip install '.[{extra}]' in symbellman's folder)"
        super().__init__(f"{message}: {install}" if install else message)
