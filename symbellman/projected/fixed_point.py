"""The fixed point of linear TD(0): the projected Bellman equation, exact in γ.

With features X (one row per non-terminal state), a state weighting D (see
:mod:`.distribution`) and the policy's P_π and r_π, the expected TD(0) update is
θ ← θ + α(b − Aθ) with

    A(γ) = Xᵀ D (I − γP_π) X,    b = Xᵀ D r_π,

and its fixed point θ_TD solves Aθ = b: Xθ_TD is the fixed point of the projected
Bellman operator Π_D T_π (Sutton & Barto §9.4, (9.12)). Off-policy (D from a
behaviour policy b), this is the expected update of semi-gradient TD(0) with
importance sampling ratios π/b (Sutton & Barto §11.1–11.2).

A is affine in γ, so A, b and θ_TD are computed once as exact rational functions of γ
and the model's symbols (over the field ℚ(γ, symbols)), and then put at the model's
discount when that is a number.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Mapping, Sequence

import sympy
from sympy import Expr, Integer, Matrix, Symbol
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from ..core.errors import ModelError
from ..core.expressions import check_name, exact
from ..model.induced import induced_chain
from ..model.mdp import MDP
from ..model.policy import Policy
from ..core.states import state_entries
from ..core.symbols import gamma as GAMMA
from .distribution import state_distribution
from .fields import field_of, fixed_points, integer_polynomials, to_field

__all__ = ["ProjectedSolution", "td_fixed_point", "read_features", "solve_projected"]


def read_features(mdp: MDP, features: Any, names: Sequence[str] | None = None
                  ) -> tuple[tuple[str, ...], tuple[tuple[Expr, ...], ...]]:
    """The feature names and the rows of X (one per non-terminal state, in order).

    ``features`` is a map state -> list (as in a model file), a list of rows in the
    order of ``mdp.nonterminal``, or a SymPy Matrix. Names default to w1, w2, ...

    >>> from symbellman.model.examples import student_mrp
    >>> m = student_mrp()
    >>> names, X = read_features(m, [[1, 0]] * 6)
    >>> names, X[0]
    (('w1', 'w2'), (1, 0))
    >>> read_features(m, {"Class1": [1]})
    Traceback (most recent call last):
    ...
    symbellman.core.errors.ModelError: features: no features for state 'Class2' (give every non-terminal state a list of the same length)
    """
    symbols = {s.name: s for s in mdp.symbols}
    states = mdp.nonterminal
    if features is None:
        raise ModelError("the projected Bellman equation needs features", place="features",
                         hint="add 'features: {STATE: [x1, x2, ...]}'")
    if isinstance(features, Matrix):
        features = features.tolist()
    if isinstance(features, Mapping):
        given = {}
        for s, row, place in state_entries(features, "features", "each state to a list of "
                                           "numbers", mdp.states):
            if mdp.is_terminal(s):
                raise ModelError(f"terminal state {s!r} has value 0 and no features",
                                 place=place, hint="leave it out of 'features'")
            given[s] = (row, place)
        for s in states:
            if s not in given:
                raise ModelError(f"no features for state {s!r}", place="features",
                                 hint="give every non-terminal state a list of the same length")
        entries = [given[s] for s in states]
    elif isinstance(features, (list, tuple)):
        if len(features) != len(states):
            raise ModelError(f"{len(features)} rows of features for {len(states)} "
                             "non-terminal states", place="features")
        entries = [(row, f"features[{i}]") for i, row in enumerate(features)]
    else:
        raise ModelError("features must map each state to a list of numbers",
                         place="features")
    rows, width = [], None
    for row, place in entries:
        if not isinstance(row, (list, tuple)):
            raise ModelError(f"expected a list of numbers, got {row!r}", place=place)
        if width is None:
            width = len(row)
            if not width:
                raise ModelError("a state has an empty list of features", place=place)
        elif len(row) != width:
            raise ModelError(f"{len(row)} features here but {width} for the first state",
                             place=place, hint="give every state a list of the same length")
        rows.append(tuple(exact(x, symbols, f"{place}[{j}]") for j, x in enumerate(row)))
    if names is None:
        names = [f"w{j + 1}" for j in range(width or 0)]
    names = [check_name(x, f"feature_names[{j}]", "feature") for j, x in enumerate(names)]
    if len(names) != width:
        raise ModelError(f"{len(names)} feature names for {width} features",
                         place="feature_names")
    if len(set(names)) != len(names):
        dup = next(x for x in names if names.count(x) > 1)
        raise ModelError(f"feature name {dup!r} is given twice", place="feature_names")
    return tuple(names), tuple(rows)


def _dm(rows, K, shape=None) -> DomainMatrix:
    shape = shape or (len(rows), len(rows[0]) if rows else 0)
    m = DomainMatrix(rows, shape, K)
    return m.to_dense() if K is QQ else m


class ProjectedSolution:
    """The projected Bellman equation of a policy, features and weighting, solved exactly.

    Attributes
    ----------
    mdp, policy
        The model and the policy evaluated (the target policy, off-policy).
    states : tuple of str
        The non-terminal states: the rows of X.
    feature_names : tuple of str
    X : sympy.Matrix
        The features, one row per state.
    distribution : dict
        D: state -> weight (exact, summing to 1).
    distribution_kind : str
        ``"on-policy"``, ``"behavior"``, ``"uniform"`` or ``"explicit"``.
    variable : Symbol
        γ, the variable of :attr:`A_gamma` and of the stability band.
    discount : Expr
        The model's discount (a number, or γ itself).

    Examples
    --------
    Sutton & Barto §11.2: two states with values w and 2w, the first moving to the
    second with reward 0, and only that transition updated (D on the first state):

    >>> from symbellman import MDP
    >>> m = MDP(["s1", "s2", "end"], {"s1": [("s2", 1, 0)], "s2": [("end", 1, 0)]},
    ...         terminal=["end"])
    >>> td = td_fixed_point(m, None, {"s1": [1], "s2": [2]}, {"s1": 1})
    >>> td.A
    Matrix([[1 - 2*gamma]])
    >>> td.stable_intervals()
    [(0, 1/2)]
    """

    def __init__(self, mdp: MDP, policy: Policy, names, X_rows, D, kind: str,
                 variable: Symbol, K0, Kg, M0: DomainMatrix, M1: DomainMatrix,
                 bvec: DomainMatrix, rank: int, weighted_rank: int):
        self.mdp, self.policy = mdp, policy
        self.states = mdp.nonterminal
        self.feature_names = tuple(names)
        self._rows = X_rows
        self.distribution = dict(zip(self.states, D))
        self.distribution_kind = kind
        self.variable = variable
        self.discount = mdp.discount
        self.field, self.gamma_field = K0, Kg
        self._M0, self._M1, self._b = M0, M1, bvec
        #: rank of X (over the field of the model's symbols)
        self.feature_rank = rank
        #: rank of DX: the update moves θ only within the row space of DX
        self.weighted_rank = weighted_rank

    # -- the matrices --------------------------------------------------------------
    @cached_property
    def X(self) -> Matrix:
        return Matrix([list(r) for r in self._rows])

    @cached_property
    def A_gamma(self) -> DomainMatrix:
        """A(γ) = M0 − γ M1 over ℚ(γ, symbols)."""
        Kg, K0 = self.gamma_field, self.field
        g = Kg.from_sympy(self.variable)
        k = len(self.feature_names)
        return DomainMatrix([[Kg.convert_from(self._M0[i, j].element, K0)
                              - g * Kg.convert_from(self._M1[i, j].element, K0)
                              for j in range(k)] for i in range(k)], (k, k), Kg)

    @cached_property
    def b_gamma(self) -> DomainMatrix:
        Kg, K0 = self.gamma_field, self.field
        k = len(self.feature_names)
        return DomainMatrix([[Kg.convert_from(self._b[i, 0].element, K0)] for i in range(k)],
                            (k, 1), Kg)

    @cached_property
    def _at_discount(self) -> tuple[DomainMatrix, DomainMatrix, Any]:
        """A, b and their field at the model's discount."""
        if self.discount == self.variable:
            return self.A_gamma, self.b_gamma, self.gamma_field
        if not self.discount.free_symbols:
            K0 = self.field
            g = to_field(K0, self.discount)
            k = len(self.feature_names)
            A = DomainMatrix([[self._M0[i, j].element - g * self._M1[i, j].element
                               for j in range(k)] for i in range(k)], (k, k), K0)
            return A, self._b, K0
        # a discount that is an expression in the symbols: substitute it for γ
        A = self.A_gamma.to_Matrix().xreplace({self.variable: self.discount})
        b = self.b_gamma.to_Matrix().xreplace({self.variable: self.discount})
        K = self.field
        return (DomainMatrix.from_Matrix(A).convert_to(K),
                DomainMatrix.from_Matrix(b).convert_to(K), K)

    @cached_property
    def A(self) -> Matrix:
        """A = Xᵀ D (I − γP_π) X at the model's discount, as a SymPy Matrix."""
        A, _, K = self._at_discount
        return _to_matrix(A, K)

    @cached_property
    def b(self) -> Matrix:
        """b = Xᵀ D r_π, as a SymPy column Matrix."""
        _, b, K = self._at_discount
        return _to_matrix(b, K)

    @cached_property
    def _solved(self):
        A, b, K = self._at_discount
        return fixed_points(A, b, K)

    @property
    def is_unique(self) -> bool:
        """Whether A is non-singular: one fixed point θ_TD."""
        theta, directions = self._solved
        return theta is not None and not directions

    @cached_property
    def theta(self) -> dict | None:
        """θ_TD: feature -> value; with A singular, the solution whose free coordinates
        are 0 (see :attr:`directions`); None when Aθ = b has no solution."""
        theta, _ = self._solved
        if theta is None:
            return None
        return dict(zip(self.feature_names, theta))

    @cached_property
    def directions(self) -> tuple[dict, ...]:
        """A basis of the null space of A: the fixed points are θ + Σ t_i d_i."""
        _, directions = self._solved
        return tuple(dict(zip(self.feature_names, d)) for d in directions)

    @cached_property
    def values(self) -> dict | None:
        """Xθ_TD: state -> approximate value (None when there is no fixed point)."""
        if self.theta is None:
            return None
        th = [self.theta[w] for w in self.feature_names]
        return {s: sympy.cancel(sum((x * t for x, t in zip(row, th)), Integer(0)))
                for s, row in zip(self.states, self._rows)}

    @property
    def values_unique(self) -> bool:
        """Whether every fixed point gives the same values Xθ (X d = 0 for each direction)."""
        return all(all(sympy.cancel(sum((x * d[w] for x, w in zip(row, self.feature_names)),
                                        Integer(0))) == 0 for row in self._rows)
                   for d in self.directions)

    # -- stability and the error bound ----------------------------------------------
    @cached_property
    def stability(self):
        """The expected update's stability over γ (:class:`~.stability.Stability`)."""
        from .stability import stability

        return stability(self.A_gamma, self.variable, len(self.feature_names) -
                         self.weighted_rank)

    def stable_intervals(self) -> list | None:
        """The intervals of γ in [0, 1) where the expected TD(0) update is stable, as
        (start, end) pairs of exact numbers; None when other symbols have no values."""
        band = self.stability
        return None if band.intervals is None else [(i.start, i.end) for i in band.intervals]

    def error_bound(self):
        """‖Xθ_TD − v_π‖_D² against min_θ ‖Xθ − v_π‖_D² / (1 − γ²), exactly
        (:class:`~.bound.BoundCheck`); on-policy only."""
        from .bound import error_bound

        return error_bound(self)

    # -- as a result of the theta_TD family (symbellman.equations.families) --------------------
    def keys(self) -> tuple:
        """The features, when there is a fixed point (none otherwise)."""
        return () if self.theta is None else self.feature_names

    def text(self, feature: str) -> str:
        """θ_TD of ``feature`` as exact text (SymPy's string syntax)."""
        return str(self.theta[feature])

    def __repr__(self) -> str:
        return (f"ProjectedSolution(features={list(self.feature_names)}, "
                f"distribution={self.distribution_kind!r}, discount={self.discount})")


def _to_matrix(M: DomainMatrix, K) -> Matrix:
    rows, cols = M.shape
    return Matrix(rows, cols, lambda i, j: K.to_sympy(M[i, j].element))


def td_fixed_point(mdp: MDP, policy: Any = None, features: Any = None,
                   distribution: Any = None, *, feature_names: Sequence[str] | None = None,
                   start: Mapping | None = None, behavior: Any = None) -> ProjectedSolution:
    """The projected Bellman equation of linear TD(0), solved exactly.

    Parameters
    ----------
    mdp : MDP
    policy : Policy or model-file spec, optional
        The policy evaluated (the target policy); default uniform.
    features : mapping, list of rows or sympy.Matrix, optional
        x(s) for every non-terminal state (terminal states have value 0). Default: the
        model file's ``features`` (``mdp.criteria.projection``), whose
        ``feature_names``, ``distribution``, ``start`` and ``behavior`` then are the
        defaults of the arguments below.
    distribution : {"on-policy", "behavior", "uniform"} or mapping, optional
        The weighting D (see :func:`~.distribution.state_distribution`); default
        on-policy.
    feature_names : sequence of str, optional
        Default w1, w2, ...
    start : mapping, optional
        Where episodes start (the on-policy distribution of an episodic task).
    behavior : Policy or spec, optional
        The behaviour policy for ``distribution="behavior"``.

    Returns
    -------
    ProjectedSolution

    Examples
    --------
    Sutton & Barto's Example 11.1 (Tsitsiklis & Van Roy): the states w and 2w, the
    second ending with probability ε, both weighted equally. A = (5 − γ(6 − 4ε))/2,
    positive exactly while γ < 5/(6 − 4ε):

    >>> from symbellman import MDP
    >>> m = MDP(["s1", "s2", "end"], {"s1": [("s2", 1, 0)],
    ...                               "s2": [("s2", "1 - eps", 0), ("end", "eps", 0)]},
    ...         terminal=["end"], symbols=["eps"])
    >>> td = td_fixed_point(m, None, {"s1": [1], "s2": [2]}, "uniform")
    >>> sympy.factor(td.A[0, 0])
    (4*eps*gamma - 6*gamma + 5)/2
    >>> td.theta
    {'w1': 0}
    """
    policy = Policy.for_model(mdp, policy)
    given = getattr(getattr(mdp, "criteria", None), "projection", None)
    if features is None and given is not None:
        features = dict(given.features)
        feature_names = feature_names if feature_names is not None else given.feature_names
        distribution = distribution if distribution is not None else given.distribution
        start = start if start is not None else given.start
        behavior = behavior if behavior is not None else given.behavior
    if distribution is None:
        distribution = "on-policy"
    names, rows = read_features(mdp, features, feature_names)
    kind = distribution if isinstance(distribution, str) else "explicit"
    discount = mdp.discount
    variable = discount if isinstance(discount, Symbol) else GAMMA
    chain = induced_chain(mdp, policy)
    symbols = list(mdp.symbols) + [s for s in policy.symbols if s not in mdp.symbols]
    extra = set().union(*(x.free_symbols for r in rows for x in r)) if rows else set()
    symbols += sorted(extra - set(symbols), key=lambda s: s.name)
    behavior_policy = None
    if kind == "behavior" and behavior is not None:
        behavior_policy = behavior if isinstance(behavior, Policy) else \
            Policy.from_spec(mdp, behavior)
        symbols += [s for s in behavior_policy.symbols if s not in symbols]
    D = state_distribution(mdp, policy, distribution, start=start,
                           behavior=behavior_policy if behavior_policy is not None else behavior)
    extra = set().union(*(sympy.sympify(x).free_symbols for x in D)) - set(symbols)
    symbols += sorted(extra, key=lambda s: s.name)
    symbols = [s for s in symbols if s != variable]
    K0 = field_of(symbols)
    Kg = QQ.frac_field(variable, *symbols)
    n, k = len(rows), len(names)
    X = _dm([[to_field(K0, x) for x in r] for r in rows], K0, (n, k))
    DX = _dm([[to_field(K0, D[i]) * X[i, j].element for j in range(k)] for i in range(n)],
             K0, (n, k))
    P = _dm([[to_field(K0, chain.rows[i][j]) if j in chain.rows[i] else K0.zero
              for j in range(n)] for i in range(n)], K0, (n, n))
    r = _dm([[to_field(K0, x)] for x in chain.rewards], K0, (n, 1))
    DXt = DX.transpose()
    M0 = DXt * X
    M1 = DXt * (P * X)
    bvec = DXt * r
    return ProjectedSolution(mdp, policy, names, rows, D, kind, variable, K0, Kg,
                             M0, M1, bvec, X.rank(), DX.rank())


def solve_projected(study) -> ProjectedSolution:
    """The TD fixed point of a study's model and policy, with the model file's features
    (the solver of the ``theta_TD`` family record; ``study.result("theta_TD")``).

    >>> from symbellman.study import Study
    >>> from symbellman.model.examples import w_to_2w
    >>> Study(w_to_2w()).result("theta_TD").stable_intervals()
    [(0, 1/2)]
    """
    return td_fixed_point(study.mdp, study.policy)
