"""Policy evaluation in closed form: v_π and q_π as exact rational functions of γ.

``solve_v`` solves v = r_π + γ P_π v exactly (see :mod:`symbellman.linalg` for the
routes); ``solve_q`` takes the half-step q_π(s, a) = Σ_{s'} p(s'|s,a)[r + γ v_π(s')]
from v_π, so it shares v_π's denominators instead of solving a second, larger system.
"""

from __future__ import annotations

from sympy import Symbol
from sympy.polys.domains import QQ, ZZ
from sympy.polys.rings import PolyRing

from .errors import ModelError, SolveError
from .induced import induced_chain, nonterminating_states
from .linalg import ExactVector, backup, normalise, solve_discounted
from .linalg.vector import integer_pair
from .model import MDP
from .policy import Policy
from .results import ActionValueFunction, ValueFunction

__all__ = ["solve_v", "solve_q"]


def _policy(mdp: MDP, policy) -> Policy:
    if policy is None:
        return Policy.uniform(mdp)
    if isinstance(policy, Policy):
        if policy.mdp is not mdp and policy.mdp != mdp:
            raise ModelError("the policy was made for a different model",
                             hint="make it with Policy.uniform(mdp) or similar for this model")
        return policy
    return Policy.from_spec(mdp, policy)


def _parameters(mdp: MDP, policy: Policy) -> tuple[Symbol, ...]:
    found = list(mdp.symbols)
    found += [s for s in policy.symbols if s not in found]
    return tuple(s for s in found if s != mdp.discount)


def _check_terminates(mdp: MDP, chain) -> None:
    if mdp.discount == 1:
        stuck = nonterminating_states(chain)
        if stuck:
            raise SolveError(
                "at discount 1 the values of " + ", ".join(stuck) + " diverge or are "
                "undefined: under this policy they may never reach a terminal state "
                "(use a discount below 1, or a policy that always ends)")


def solve_v(mdp: MDP, policy: Policy | None = None, *, backend: str | None = None
            ) -> ValueFunction:
    """The state values v_π as exact closed forms.

    Parameters
    ----------
    mdp : MDP
        The model; its discount may be a number or a symbol.
    policy : Policy, optional
        Default: the uniform random policy.
    backend : {"flint", "python"}, optional
        The exact-arithmetic implementation (see :mod:`symbellman.linalg`).

    Returns
    -------
    ValueFunction
        ``v[state]`` is a rational function in the discount and parameters, in lowest
        terms; terminal states are 0.

    Raises
    ------
    SolveError
        At discount 1, if some states may never reach a terminal state.

    Examples
    --------
    David Silver's Student MDP under the uniform policy, closed form in γ:

    >>> from symbellman.examples import student_mdp
    >>> from symbellman.symbols import gamma
    >>> v = solve_v(student_mdp(discount=gamma))
    >>> v.factored("Facebook")
    2*(33*gamma**3 - 2*gamma**2 - 26*gamma - 20)/(3*gamma**4 + 6*gamma**3 - 20*gamma**2 - 56*gamma + 80)

    Substituting it back into the Bellman equation leaves exactly zero:

    >>> from sympy import Rational, cancel
    >>> s = "Class1"
    >>> cancel(v[s] - (-Rational(3, 2) + gamma * (v["Facebook"] + v["Class2"]) / 2))
    0
    """
    policy = _policy(mdp, policy)
    chain = induced_chain(mdp, policy)
    _check_terminates(mdp, chain)
    params = _parameters(mdp, policy)
    try:
        vector = solve_discounted(chain.rows, chain.rewards, mdp.discount, params,
                                  backend=backend)
    except SolveError:
        raise SolveError(f"I − γP_π is singular at γ = {mdp.discount}") from None
    index = {s: i for i, s in enumerate(chain.states)}
    return ValueFunction(mdp.states, vector, index, mdp.discount, "v_pi",
                         zero_keys=mdp.terminal, mdp=mdp, policy=policy, chain=chain)


def solve_q(mdp: MDP, policy: Policy | None = None, *, v: ValueFunction | None = None,
            backend: str | None = None) -> ActionValueFunction:
    """The action values q_π(s, a) = Σ_{s'} p(s'|s,a)[r(s,a,s') + γ v_π(s')], exactly.

    Parameters
    ----------
    mdp, policy, backend
        As for :func:`solve_v`.
    v : ValueFunction, optional
        v_π if already solved (it is not solved again).

    Examples
    --------
    >>> from symbellman.examples import student_mdp
    >>> q = solve_q(student_mdp())
    >>> q["Class3", "pub"], q["Class3", "study"]  # 1 + (0.2·(-17) + 0.4·35 + 0.4·96)/13
    (62/13, 10)
    """
    if mdp.is_mrp:
        raise ModelError("a Markov reward process has no actions, so no q function",
                         hint="use solve_v, or add actions to the model")
    policy = _policy(mdp, policy)
    if v is None:
        v = solve_v(mdp, policy, backend=backend)
    vec = v._vector
    gamma = mdp.discount
    pos = {s: i for i, s in enumerate(v.chain.states)}
    keys = list(mdp.state_action_pairs)
    index = {k: i for i, k in enumerate(keys)}
    entries = [[(pos.get(o.next_state), o.probability, o.reward) for o in mdp.outcomes(s, a)]
               for s, a in keys]
    vector = backup(vec, entries, gamma, backend=backend)
    if vector is None:
        vector = _backup_in_rings(mdp, vec, entries, gamma)
    return ActionValueFunction(keys, vector, index, gamma, "q_pi", mdp=mdp, policy=policy,
                               chain=v.chain)


def _backup_in_rings(mdp: MDP, vec: ExactVector, entries, gamma) -> ExactVector:
    """q from v over QQ[symbols] (SymPy's rings): the route for symbolic p and r."""
    # q needs every symbol of the outcomes, also those that v_π does not use
    gens = [g for g in vec.ring.symbols if isinstance(g, Symbol) and g.name != "_"]
    extra = set(mdp.symbols) | (gamma.free_symbols if not isinstance(gamma, Symbol) else set())
    gens += sorted(extra - set(gens), key=lambda x: x.name)
    ring = PolyRing(tuple(gens) or ("_",), ZZ)
    field = PolyRing(ring.symbols, QQ)
    lift = lambda p: field.from_dict(  # noqa: E731 - a poly of v's ring in q's field ring
        {tuple(dict(zip(vec.ring.symbols, m)).get(g, 0) for g in ring.symbols): c
         for m, c in p.items()})
    # one common denominator for all of v: the lcm of the reduced denominators
    common = vec.ring.one
    for den in vec.denominators:
        if den != 1:
            common = common.lcm(den)
    common_f = lift(common)
    scaled = [lift(num * common.exquo(den)) for num, den in zip(vec.numerators,
                                                                vec.denominators)]
    discount = field.from_expr(gamma)
    numerators, denominators = [], []
    for entry in entries:
        total = field.zero
        for k, p, r in entry:
            p = field.from_expr(p)
            total += p * field.from_expr(r) * common_f
            if k is not None:
                total += p * discount * scaled[k]
        num, den = normalise(*integer_pair(total, common_f, ring))
        numerators.append(num)
        denominators.append(den)
    return ExactVector(ring, numerators, denominators, vec._determinant, vec.method)
