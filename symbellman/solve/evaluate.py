"""Policy evaluation in closed form: v_π and q_π as exact rational functions of γ.

``solve_v`` solves v = r_π + γ P_π v exactly (see :mod:`symbellman.linalg` for the
routes); ``solve_q`` takes the half-step q_π(s, a) = Σ_{s'} p(s'|s,a)[r + γ v_π(s')]
from v_π, so it shares v_π's denominators instead of solving a second, larger system.
"""

from __future__ import annotations

import sympy
from sympy import Expr, Symbol
from sympy.polys.domains import QQ, ZZ
from sympy.polys.rings import PolyRing

from ..core.errors import ModelError, SolveError
from ..model.induced import InducedChain, induced_chain, undiscounted_classes
from ..linalg import SingularSystem, backup, check_degrees, get_backend, solve_discounted
from ..linalg.rational import numeric_backup
from ..linalg.ring_backup import backup_in_rings
from ..model.mdp import MDP
from ..model.policy import Policy
from .results import ActionValueFunction, ValueFunction

__all__ = ["solve_v", "solve_q", "conditions", "policy_for"]


def policy_for(mdp: MDP, policy) -> Policy:
    """``policy`` as a policy of ``mdp``: :meth:`Policy.for_model` (the one binding path)."""
    return Policy.for_model(mdp, policy)


def _parameters(mdp: MDP, policy: Policy) -> tuple[Symbol, ...]:
    found = list(mdp.symbols)
    found += [s for s in policy.symbols if s not in found]
    return tuple(s for s in found if s != mdp.discount)


def _undiscounted(mdp: MDP, chain: InducedChain):
    """At γ = 1, the chain to solve, the states worth 0 and those left undefined.

    States in closed classes that earn nothing are worth 0 (like terminal states);
    states that may reach a closed class that earns something have no total reward
    and are reported by name (:func:`~symbellman.model.induced.undiscounted_classes`); the
    rest are solved. When no state is left to solve, that is an error.
    """
    if mdp.discount != 1:
        return chain, (), ()
    zero, undefined = undiscounted_classes(chain)
    if not zero and not undefined:
        return chain, (), ()
    if len(undefined) == len(chain.states):
        raise SolveError(
            "at discount 1 the values of " + ", ".join(undefined) + " diverge or are "
            "undefined: under this policy they may never reach a terminal state "
            "(use a discount below 1, or a policy that always ends)")
    out = set(zero) | set(undefined)
    keep = [i for i, s in enumerate(chain.states) if s not in out]
    new = {i: k for k, i in enumerate(keep)}
    reduced = InducedChain(tuple(chain.states[i] for i in keep),
                           tuple({new[j]: p for j, p in chain.rows[i].items() if j in new}
                                 for i in keep),
                           tuple(chain.rewards[i] for i in keep))
    return reduced, zero, undefined


def solve_v(mdp: MDP, policy: Policy | None = None, *, backend: str | None = None
            ) -> ValueFunction:
    """The state values v_π as exact closed forms.

    Parameters
    ----------
    mdp : MDP
        The model; its discount may be a number or a symbol.
    policy : Policy, optional
        The policy whose values are solved for; by default the uniform random policy.
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
        At discount 1, if no state has a total reward (every state may reach a
        cycle that earns something). When only some have none, they are listed in
        ``v.undefined`` and their entries are ``nan``; states in cycles that earn
        nothing are worth 0.

    Examples
    --------
    David Silver's Student MDP under the uniform policy, closed form in γ:

    >>> from symbellman.model.examples import student_mdp
    >>> from symbellman.core.symbols import gamma
    >>> v = solve_v(student_mdp(discount=gamma))
    >>> v.factored("Facebook")
    2*(33*gamma**3 - 2*gamma**2 - 26*gamma - 20)/(3*gamma**4 + 6*gamma**3 - 20*gamma**2 - 56*gamma + 80)

    Substituting it back into the Bellman equation leaves exactly zero:

    >>> from sympy import Rational, cancel
    >>> s = "Class1"
    >>> cancel(v[s] - (-Rational(3, 2) + gamma * (v["Facebook"] + v["Class2"]) / 2))
    0
    """
    policy = policy_for(mdp, policy)
    chain, zero, undefined = _undiscounted(mdp, induced_chain(mdp, policy))
    params = _parameters(mdp, policy)
    try:
        vector = solve_discounted(chain.rows, chain.rewards, mdp.discount, params,
                                  backend=backend)
    except SingularSystem:
        raise SolveError(f"I − γP_π is singular at γ = {mdp.discount}") from None
    index = {s: i for i, s in enumerate(chain.states)}
    return ValueFunction(mdp.states, vector, index, mdp.discount, "v_pi",
                         zero_keys=(*mdp.terminal, *zero), mdp=mdp, policy=policy,
                         chain=chain, conditions=conditions(mdp, policy),
                         undefined=undefined)


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
    >>> from symbellman.model.examples import student_mdp
    >>> q = solve_q(student_mdp())
    >>> q["Class3", "pub"], q["Class3", "study"]  # 1 + (0.2·(-17) + 0.4·35 + 0.4·96)/13
    (62/13, 10)
    """
    if mdp.is_mrp:
        raise ModelError("a Markov reward process has no actions, so no q function",
                         hint="use solve_v, or add actions to the model")
    policy = policy_for(mdp, policy)
    if v is None:
        v = solve_v(mdp, policy, backend=backend)
    elif (v.policy is not policy and v.policy != policy) or v.discount != mdp.discount \
            or (v.mdp is not mdp and v.mdp != mdp):
        # q from another policy's (or model's, or discount's) v would carry this label
        raise ModelError("v is not v_pi of this model and policy: q_pi is taken from the "
                         "v_pi of the same policy",
                         hint="leave v out, or pass solve_v(mdp, policy) of this policy")
    vec = v._vector
    gamma = mdp.discount
    pos = {s: i for i, s in enumerate(v.chain.states)}
    keys = list(mdp.state_action_pairs)
    # a pair that may lead to a state without a value (at γ = 1) has none either
    undefined = [(s, a) for s, a in keys if s in v.undefined or any(
        o.next_state in v.undefined for o in mdp.outcomes(s, a))] if v.undefined else []
    left_out = set(undefined)
    solved = [k for k in keys if k not in left_out] if left_out else keys
    index = {k: i for i, k in enumerate(solved)}
    entries = [[(pos.get(o.next_state), o.probability, o.reward) for o in mdp.outcomes(s, a)]
               for s, a in solved]
    # a number for γ and every value: integers over one common denominator (rational.py)
    vector = numeric_backup(vec, entries, gamma, get_backend(backend))
    if vector is None:
        vector = backup(vec, entries, gamma, backend=backend)
    if vector is None:
        # the outcomes of actions the policy never takes are read here for the first time
        check_degrees(len(vec), [gamma], [x for entry in entries for _, p, r in entry
                                          for x in (p, r)])
        # q needs every symbol of the outcomes, also those that v_π does not use
        symbols = extended_ring(vec.ring.symbols, set(mdp.symbols) | set(gamma.free_symbols),
                                ZZ).symbols
        vector = backup_in_rings(vec, entries, gamma, symbols, get_backend(backend))
    return ActionValueFunction(keys, vector, index, gamma, "q_pi", mdp=mdp, policy=policy,
                               chain=v.chain, conditions=v.conditions,
                               undefined=undefined)


def extended_ring(symbols, extra, domain) -> PolyRing:
    """The polynomial ring over ``domain`` in ``symbols`` (a placeholder ``_`` left out),
    then the ``extra`` symbols not among them, by name.

    >>> from sympy import symbols
    >>> a, b, g = symbols("a b gamma")
    >>> extended_ring((g, a), {b, a}, QQ).symbols
    (gamma, a, b)
    """
    gens = [g for g in symbols if g.name != "_"]
    gens += sorted(set(extra) - set(gens), key=lambda x: x.name)
    return PolyRing(tuple(gens) or ("_",), domain)


def lifter(symbols, target: PolyRing):
    """The map from a polynomial's terms in ``symbols`` (``{exponents: integer}``, as
    :class:`~symbellman.linalg.ExactVector` gives them) to a polynomial of ``target``,
    whose generators include every symbol the terms use.

    >>> from sympy import symbols
    >>> a, g = symbols("a gamma")
    >>> ring = extended_ring((g,), {a}, QQ)
    >>> lifter((g,), ring)({(2,): 3, (0,): -1})
    3*gamma**2 - 1
    """
    position = [target.symbols.index(g) if g in target.symbols else None for g in symbols]

    def lift(terms):
        out = {}
        for m, c in terms.items():
            mono = [0] * target.ngens
            for k, j in zip(m, position):
                if j is not None:
                    mono[j] += k
            out[tuple(mono)] = QQ(int(c))
        return target.from_dict(out) if out else target.zero
    return lift


def conditions(mdp: MDP, policy: Policy) -> tuple[Expr, ...]:
    """When the closed forms hold: each denominator of the model's numbers ≠ 0.

    A probability 1/(x + 1) or a reward 1/x is only defined where its denominator is
    not zero, and the solver cancels freely, so the results say so instead.

    >>> from sympy import symbols
    >>> x = symbols("x")
    >>> m = MDP(["s", "t"], {"s": {"go": [{"to": "s", "p": 1 / (x + 1), "r": 1 / x},
    ...                                   {"to": "t", "p": x / (x + 1), "r": 0}]}},
    ...         actions={"s": ["go"]}, terminal=["t"])
    >>> conditions(m, Policy.uniform(m))
    (Ne(x, 0), Ne(x + 1, 0))
    """
    numbers = {mdp.discount}
    for s, a in mdp.state_action_pairs:
        numbers.add(policy.weight(s, a))
        for o in mdp.outcomes(s, a):
            numbers.update((o.probability, o.reward))
    factors = set()
    for e in numbers:
        if e.is_Rational or not e.free_symbols:
            continue
        if not any(p.exp.is_negative for p in e.atoms(sympy.Pow)):
            continue  # a polynomial: no denominator that holds a symbol
        den = sympy.fraction(sympy.together(e))[1]
        if den.free_symbols:
            factors.update(f for f, _ in sympy.factor_list(den)[1] if f.free_symbols)
    return tuple(sympy.Ne(f, 0) for f in sorted(factors, key=sympy.default_sort_key))
