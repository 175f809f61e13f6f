"""A model as a PRISM program, so that PRISM or Storm can check symbellman's answers.

:func:`to_prism` writes the chain a policy induces as a ``dtmc``, or the MDP itself as
an ``mdp``, in the PRISM language that both model checkers read, with
:func:`prism_properties` asking for the values. Every probability and reward is
exact text (``1/5``, ``1-p``).

PRISM and Storm compute expected *total* rewards (``R=? [ F "done" ]``), not discounted
ones, so discounting is written into the model the standard way: every step goes on
with probability γ and stops, in an added absorbing state ``stop``, with probability
1 − γ. The expected total reward collected until ``stop`` (or a terminal state) is
then exactly the discounted value, r(s) + γ Σ p(s'|s) v(s'). γ is a PRISM constant:
given a value (``const double gamma = 9/10;``) or left open as a parameter
(``const double gamma;``), for ``storm --constants gamma=0.9`` or ``storm-pars``, which
returns v as a rational function of γ to set beside symbellman's closed form. With
γ = 1 no ``stop`` branch is written.
"""

from __future__ import annotations

import re

import sympy
from sympy.printing.str import StrPrinter

from ..errors import ModelError
from ..model import MDP
from ..policy import Policy

__all__ = ["to_prism", "prism_properties", "REWARD", "DONE"]

#: The name of the reward structure and of the label of the states where rewards end.
REWARD, DONE = "reward", "done"

_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_KEYWORDS = {"A", "bool", "const", "ctmc", "C", "double", "dtmc", "E", "endinit",
             "endinvariant", "endmodule", "endrewards", "endsystem", "F", "formula",
             "filter", "func", "G", "global", "I", "init", "invariant", "label", "max",
             "mdp", "min", "module", "X", "nondeterministic", "P", "pta", "prob",
             "probabilistic", "R", "rate", "rewards", "S", "stochastic", "system", "true",
             "false", "U", "W", "int", "pow", "log", "mod", "floor", "ceil", "stop"}


class _PrismPrinter(StrPrinter):
    """SymPy's string form, with PRISM's ``pow(x, n)`` for powers."""

    def _print_Pow(self, expr, rational=False):
        if expr.exp == sympy.S.Half:
            return f"pow({self._print(expr.base)}, 0.5)"
        return f"pow({self._print(expr.base)}, {self._print(expr.exp)})"


def _text(expr) -> str:
    return _PrismPrinter().doprint(expr).replace(" ", "")


def _name(name: str, fallback: str) -> str:
    return name if re.fullmatch(_IDENTIFIER, name) and name not in _KEYWORDS else fallback


def _discount(mdp: MDP, gamma: str) -> tuple[str, sympy.Expr, str]:
    """(PRISM name of γ, the value to multiply by, its const declaration)."""
    if gamma not in ("constant", "parameter"):
        raise ModelError(f"unknown discount mode {gamma!r}", place="gamma",
                         hint="use 'constant' or 'parameter'")
    d = mdp.discount
    name = _name(d.name, "gamma") if isinstance(d, sympy.Symbol) else "gamma"
    if gamma == "constant":
        if d.free_symbols:
            raise ModelError(f"the discount {d} has no value", place="discount",
                             hint="give it one (--at gamma=9/10), or write it as a parameter")
        if d == 1:
            return name, sympy.Integer(1), f"const double {name} = 1; // no discounting"
        return name, sympy.Symbol(name), f"const double {name} = {_text(d)};"
    return name, sympy.Symbol(name), f"const double {name}; // the discount: a parameter"


def _updates(weights: dict, index: dict, stop: int, factor) -> str:
    """``p1 : (s'=i) + p2 : (s'=j) + ...``, each scaled by γ, and the stop branch."""
    parts = [f"{_text(factor * p) if factor != 1 else _text(p)} : (s'={index[t]})"
             for t, p in weights.items() if p != 0]
    if factor != 1:
        parts.append(f"{_text(1 - factor)} : (s'={stop})")
    return " + ".join(parts)


def to_prism(mdp: MDP, policy: Policy | None = None, *, what: str = "chain",
             gamma: str | None = None) -> str:
    """The model as a PRISM program: the policy's chain (``dtmc``) or the MDP (``mdp``).

    Parameters
    ----------
    mdp : MDP
        The model to translate; its parameters other than γ stay open constants.
    policy : Policy, optional
        For ``what="chain"``: the policy whose chain is written (uniform by default).
    what : {"chain", "mdp"}, optional
        ``"chain"``: a ``dtmc`` whose state reward is r_π(s), so ``R=? [ F "done" ]``
        is v_π(s). ``"mdp"``: an ``mdp`` with one command per action and the reward
        r(s, a) on it, so ``R{"reward"}max=? [ F "done" ]`` is v*(s).
    gamma : {"constant", "parameter"}, optional
        γ as a constant with the model's value, or an open parameter. By default a
        constant when the model's discount is a number, else a parameter.

    Returns
    -------
    str
        The program. State ``i`` of ``s`` is the model's ``i``-th state (comments list
        them); the last value is ``stop``. Other parameters of the model are open
        constants (``const double p;``). Every valuation of ``s`` is an initial state,
        so a model checker reports every state's value.

    Examples
    --------
    >>> from symbellman.examples import student_mrp
    >>> print(to_prism(student_mrp(discount="9/10")))
    // Student MRP: the chain of the uniform policy, as a PRISM dtmc (written by symbellman).
    // Discounting is a stop with probability 1 - gamma at every step, so the
    // expected total reward until "done" is the discounted value.
    dtmc
    <BLANKLINE>
    const double gamma = 9/10;
    <BLANKLINE>
    module student_mrp
      // 0 Class1, 1 Class2, 2 Class3, 3 Pass, 4 Pub, 5 Facebook, 6 Sleep, 7 stop
      s : [0..7];
      [] s=0 -> gamma/2 : (s'=1) + gamma/2 : (s'=5) + 1-gamma : (s'=7);
    ...
      [] s=6 -> 1 : (s'=6);
      [] s=7 -> 1 : (s'=7);
    endmodule
    <BLANKLINE>
    init true endinit
    <BLANKLINE>
    label "done" = s=6 | s=7;
    label "Class1" = s=0;
    ...
    rewards "reward"
      s=0 : -2;
    ...
    endrewards
    """
    if what not in ("chain", "mdp"):
        raise ModelError(f"unknown PRISM model {what!r}", place="what",
                         hint="use 'chain' (the policy's dtmc) or 'mdp'")
    if what == "mdp" and mdp.is_mrp:
        what = "chain"
    if gamma is None:
        gamma = "parameter" if mdp.discount.free_symbols else "constant"
    gamma_name, factor, gamma_line = _discount(mdp, gamma)
    policy = Policy.uniform(mdp) if policy is None and what == "chain" else policy
    index = {s: i for i, s in enumerate(mdp.states)}
    stop = len(mdp.states)
    title = mdp.name or "model"
    kind = ("the chain of the " + (policy.kind if policy.kind != "stochastic" else "given")
            + " policy, as a PRISM dtmc") if what == "chain" else "the MDP, as a PRISM mdp"
    module = re.sub(r"\W+", "_", title.lower()).strip("_") or "model"
    module = module if re.fullmatch(_IDENTIFIER, module) else f"m_{module}"
    lines = [f"// {title}: {kind} (written by symbellman).",
             "// Discounting is a stop with probability 1 - gamma at every step, so the",
             '// expected total reward until "done" is the discounted value.',
             "dtmc" if what == "chain" else "mdp", "", gamma_line]
    lines += [f"const double {s.name};" for s in mdp.symbols if s.name != gamma_name]
    names = ", ".join(f"{i} {s}" for s, i in index.items())
    lines += ["", f"module {module}", f"  // {names}, {stop} stop", f"  s : [0..{stop}];"]
    rewards = []
    actions = {}
    for s in mdp.states:
        i = index[s]
        if mdp.is_terminal(s):
            lines.append(f"  [] s={i} -> 1 : (s'={i});")
            continue
        if what == "chain":
            weights: dict = {}
            reward = sympy.Integer(0)
            for a in mdp.actions(s):
                w = 1 if mdp.is_mrp else policy.weight(s, a)
                if w == 0:
                    continue
                reward += w * mdp.expected_reward(s, a)
                for o in mdp.outcomes(s, a):
                    weights[o.next_state] = weights.get(o.next_state, 0) + w * o.probability
            weights = {t: sympy.factor(p) if p.free_symbols else p for t, p in weights.items()}
            lines.append(f"  [] s={i} -> {_updates(weights, index, stop, factor)};")
            reward = sympy.expand(reward)
            if reward != 0:
                rewards.append(f"  s={i} : {_text(reward)};")
            continue
        for k, a in enumerate(mdp.actions(s)):
            label = actions.setdefault(a, _name(a, f"a{len(actions)}"))
            weights = {}
            for o in mdp.outcomes(s, a):
                weights[o.next_state] = weights.get(o.next_state, 0) + o.probability
            lines.append(f"  [{label}] s={i} -> {_updates(weights, index, stop, factor)};")
            reward = mdp.expected_reward(s, a)
            if reward != 0:
                rewards.append(f"  [{label}] s={i} : {_text(reward)};")
    lines += [f"  [] s={stop} -> 1 : (s'={stop});", "endmodule", "", "init true endinit", ""]
    done = [f"s={index[s]}" for s in mdp.terminal] + [f"s={stop}"]
    lines.append(f'label "{DONE}" = {" | ".join(done)};')
    for s, i in index.items():
        if re.fullmatch(_IDENTIFIER, s) and s not in (DONE, "init", "deadlock"):
            lines.append(f'label "{s}" = s={i};')
    if what == "mdp":
        renamed = [f"{label} = {a}" for a, label in actions.items() if label != a]
        if renamed:
            lines.append("// actions renamed: " + ", ".join(renamed))
    lines += ["", f'rewards "{REWARD}"', *rewards, "endrewards"]
    return "\n".join(lines) + "\n"


def prism_properties(mdp: MDP, *, what: str = "chain") -> str:
    """The properties that ask for the values of :func:`to_prism`'s program.

    >>> print(prism_properties(MDP(["A"], {"A": [("A", 1, 1)]}, discount="1/2")))
    // v of every state: the expected total reward until "done"
    R{"reward"}=? [ F "done" ]
    """
    best = "" if what == "chain" or mdp.is_mrp else "max"
    name = "v*" if best else "v"
    return (f'// {name} of every state: the expected total reward until "{DONE}"\n'
            f'R{{"{REWARD}"}}{best}=? [ F "{DONE}" ]\n')
