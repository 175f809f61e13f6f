r"""One study of a model and its policy: every result computed once, when first asked for.

A :class:`Study` binds a policy to its model (through :meth:`Policy.for_model
<symbellman.model.policy.Policy.for_model>`, the one path, with the one error type
:class:`~symbellman.core.errors.PolicyError`) and then gives each result of the Bellman
families lazily, keeping it: v_π, q_π (from that same v_π, so its label cannot lie), the
optimum at the model's discount, the optimal pieces over γ, the series at γ = 0 and the
Laurent expansion at γ = 1. The same model at another discount, or with γ a symbol, is
a study of its own, made once and kept too (:meth:`Study.at_discount`,
:attr:`Study.symbolic`), so that the page, the handout and the command that wrote them
share one v_π per (model, policy, γ).

Every command builds one study and every writer reads it: nothing below ``render/``
solves a family twice. A failed computation (γ = 1 where a policy never ends) is kept
as well and raised again, not tried again.

Examples
--------
>>> from symbellman.model.examples import exercise_3_22
>>> study = Study(exercise_3_22(), {"top": "left"})
>>> study.v["top"]          # 1 now, then 1 every second step: 1/(1 − γ²)
1/(1 - gamma**2)
>>> study.v is study.result("v_pi"), study.symbolic is study
(True, True)
>>> [(p.start, p.end) for p in study.pieces()]
[(0, 1/2), (1/2, 1)]
"""

from __future__ import annotations

from typing import Any, Mapping

from sympy import Expr, Rational, Symbol

from .solve import evaluate
from .core.errors import SymbellmanError
from .equations.families import family
from .model.mdp import MDP
from .model.policy import Policy
from .core.symbols import gamma

__all__ = ["Study", "solve_v_pi", "solve_q_pi", "solve_v_star", "solve_q_star"]


class Study:
    """A model and its policy, and each result of theirs once (see the module's docstring).

    Parameters
    ----------
    mdp : MDP
        The model.
    policy : Policy, spec or None
        A policy made for ``mdp``, a model-file spec (``"uniform"``, state → action, ...)
        or None for the uniform policy. A policy of another model is refused with a
        :class:`~symbellman.core.errors.PolicyError` (move it with ``policy.bound_to(mdp)``).
    """

    __slots__ = ("mdp", "policy", "_cache")

    def __init__(self, mdp: MDP, policy: Any = None):
        set_ = object.__setattr__
        set_(self, "mdp", mdp)
        set_(self, "policy", Policy.for_model(mdp, policy))
        set_(self, "_cache", {})

    @classmethod
    def of(cls, mdp: "MDP | Study", policy: Any = None) -> "Study":
        """``mdp`` itself when it is a study already (then ``policy`` must be None, or
        its own policy), else a new study of ``mdp`` and ``policy``: what a function that
        takes ``(mdp, policy)`` or a study calls first.

        >>> from symbellman.model.examples import student_mdp
        >>> study = Study(student_mdp())
        >>> Study.of(study) is study
        True
        """
        if isinstance(mdp, Study):
            if policy is not None and Policy.for_model(mdp.mdp, policy) != mdp.policy:
                from .core.errors import PolicyError

                raise PolicyError("a study has its own policy: give the study alone")
            return mdp
        return cls(mdp, policy)

    def __setattr__(self, key, value):
        raise AttributeError("a Study cannot be changed; make a new one")

    def __repr__(self) -> str:
        return f"Study({self.mdp.name or 'model'}, {self.policy!r}, discount {self.mdp.discount})"

    # -- what the study is of ------------------------------------------------------------------
    @property
    def shown_policy(self) -> Policy | None:
        """The policy as a document shows it: None for a Markov reward process (it has
        no actions to choose; its values are those of its only policy)."""
        return None if self.mdp.is_mrp else self.policy

    @property
    def parameters(self) -> tuple[Symbol, ...]:
        """The model's and the policy's symbols other than the discount, in order."""
        found = dict.fromkeys((*self.mdp.symbols, *self.policy.symbols))
        return tuple(s for s in found if s != self.mdp.discount)

    @property
    def numeric(self) -> bool:
        """No parameter besides the discount."""
        return not self.parameters

    def _kept(self, key, make):
        """The result under ``key``, made by ``make()`` the first time (an error too)."""
        cache = self._cache
        if key not in cache:
            try:
                cache[key] = (True, make())
            except SymbellmanError as exc:
                cache[key] = (False, exc)
        ok, value = cache[key]
        if not ok:
            raise value
        return value

    # -- the same model elsewhere --------------------------------------------------------------
    @property
    def symbolic(self) -> "Study":
        """The study of the same model with the discount the symbol γ (this study when it
        is a symbol already)."""
        if isinstance(self.mdp.discount, Symbol):
            return self

        def make():
            mdp = self.mdp.replace(discount=gamma)
            return Study(mdp, self.policy.bound_to(mdp))
        return self._kept("symbolic", make)

    def at_discount(self, value) -> "Study":
        """The study of the same model at the discount ``value`` (this one when equal).

        >>> from symbellman.model.examples import student_mrp
        >>> study = Study(student_mrp())
        >>> study.at_discount(Rational(1, 2)) is study.at_discount(Rational(1, 2))
        True
        """
        value = Rational(value) if not isinstance(value, Expr) else value
        if value == self.mdp.discount:
            return self
        if isinstance(self.mdp.discount, Symbol) and self.mdp.discount in value.free_symbols:
            return self

        def make():
            mdp = self.mdp.replace(discount=value)
            return Study(mdp, self.policy.bound_to(mdp))
        return self._kept(("discount", value), make)

    # -- the families ------------------------------------------------------------------------
    def result(self, key: str):
        """The result of the Bellman family ``key`` (``"v_pi"``, ``"q_star"``, ...),
        solved by its record's solver the first time it is asked for."""
        record = family(key)
        return self._kept(("family", record.key), lambda: record.solve(self))

    @property
    def v(self):
        """v_π at the model's discount (:func:`~symbellman.solve.evaluate.solve_v`)."""
        return self.result("v_pi")

    @property
    def q(self):
        """q_π, by the half-step from this study's own :attr:`v`."""
        return self.result("q_pi")

    @property
    def optimum(self):
        """v*, q* and every optimal action at the model's discount
        (:func:`~symbellman.optimal.optimal`; a symbol left is a SolveError)."""
        from .optimal.iteration import optimal

        return self._kept("optimum", lambda: optimal(self.mdp))

    def pieces(self, over: Symbol | str | None = None, low=0, high=1,
               at: Mapping | None = None):
        """The optimal pieces over the discount (or over the symbol ``over``) in
        [``low``, ``high``), with the values ``at`` put in first
        (:func:`~symbellman.optimal.optimal_pieces`). Over the discount, a model whose
        discount is a number is studied with γ a symbol."""
        from .optimal.pieces import optimal_pieces

        if over in (None, "gamma", gamma) and not self.mdp.discount.free_symbols:
            return self.symbolic.pieces(over, low, high, at)
        fixed = tuple(sorted((str(k), str(v)) for k, v in (at or {}).items()))
        # over the discount by name or by default: the same pieces
        over_key = None if over is None or str(over) == str(self.mdp.discount) else str(over)
        key = ("pieces", over_key, str(low), str(high), fixed)
        return self._kept(key, lambda: optimal_pieces(self.mdp, over=over, low=low,
                                                      high=high, at=at))

    def values_at(self, value):
        """v_π at the discount ``value``, read off the closed forms in γ (no solve)."""
        symbolic = self.symbolic
        value = Rational(value) if not isinstance(value, Expr) else value
        return self._kept(("values at", value), lambda: symbolic.v.at(
            {symbolic.mdp.discount.name: value}))

    def series(self, order: int = 6):
        """The series of v_π at γ = 0 (:func:`~symbellman.solve.analysis.series_at_zero`)."""
        from .solve.analysis import series_at_zero

        return self._kept(("series", order),
                          lambda: series_at_zero(self.mdp, self.policy, order))

    def laurent(self):
        """The Laurent expansion of v_π at γ = 1, gain and bias
        (:func:`~symbellman.solve.analysis.laurent_at_one`), from :attr:`symbolic`'s v_π."""
        from .solve.analysis import laurent_at_one

        return self._kept("laurent", lambda: laurent_at_one(self.symbolic.v))


# -- the solvers the family records name ------------------------------------------------------
def solve_v_pi(study: Study):
    """v_π of the study's policy (the solver of the ``v_pi`` record)."""
    return evaluate.solve_v(study.mdp, study.policy)


def solve_q_pi(study: Study):
    """q_π from the study's own v_π (the solver of the ``q_pi`` record)."""
    return evaluate.solve_q(study.mdp, study.policy, v=study.v)


def solve_v_star(study: Study):
    """v* at the study's discount (the solver of the ``v_star`` record)."""
    return study.optimum.v_star


def solve_q_star(study: Study):
    """q* at the study's discount (the solver of the ``q_star`` record)."""
    return study.optimum.q_star
