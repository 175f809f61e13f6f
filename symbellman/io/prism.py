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

from ..core.errors import ModelError
from ..core.names import safe_text
from ..model.mdp import MDP
from ..model.policy import Policy

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


def _comment(text: str) -> str:
    r"""Text for a ``//`` comment, which ends at the line's end: a newline (or any other
    control character) in a name shows as an escape and cannot end the comment.

    >>> _comment("A\ninit false endinit")
    'A\\ninit false endinit'
    """
    return safe_text(str(text))


class _Identifiers:
    """PRISM identifiers handed out once each: a name that is one already and is free
    keeps its spelling, any other gets ``fallback`` plus a number.

    >>> ids = _Identifiers({"s"})
    >>> ids.take("p", "c"), ids.take("module", "c"), ids.take("s", "c"), ids.take("c0", "c")
    ('p', 'c0', 'c1', 'c2')
    """

    def __init__(self, taken=()):
        self.taken = set(taken) | _KEYWORDS

    def take(self, name: str, fallback: str) -> str:
        if not (re.fullmatch(_IDENTIFIER, name) and name not in self.taken):
            k = 0
            while f"{fallback}{k}" in self.taken:
                k += 1
            name = f"{fallback}{k}"
        self.taken.add(name)
        return name


def _constants(mdp: MDP, ids: _Identifiers) -> tuple[dict, str | None]:
    """The model's symbols as PRISM constants ({Symbol: Symbol(identifier)}) and the
    identifier of γ when the discount is a symbol: γ takes ``gamma`` when it can."""
    renamed = {}
    d = mdp.discount
    gamma_name = None
    if isinstance(d, sympy.Symbol):
        usable = re.fullmatch(_IDENTIFIER, d.name) and d.name not in ids.taken
        gamma_name = ids.take(d.name if usable else "gamma", "gamma")
        renamed[d] = sympy.Symbol(gamma_name)
    for symbol in mdp.symbols:
        if symbol not in renamed:
            renamed[symbol] = sympy.Symbol(ids.take(symbol.name, "c"))
    return renamed, gamma_name


def _discount(mdp: MDP, gamma: str, ids: _Identifiers, gamma_name: str | None
              ) -> tuple[str, sympy.Expr, str]:
    """(PRISM name of γ, the value to multiply by, its const declaration)."""
    if gamma not in ("constant", "parameter"):
        raise ModelError(f"unknown discount mode {gamma!r}", place="gamma",
                         hint="use 'constant' or 'parameter'")
    d = mdp.discount
    name = gamma_name or ids.take("gamma", "gamma")
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
        constants (``const double p;``). A parameter or action whose name is not a
        PRISM identifier, or is a keyword (``module``), gets one of its own (``c0``,
        ``a0``; a comment lists them), and a name in a comment shows its control
        characters as escapes (``\\n``), so no name can end the comment or the module. Every valuation of ``s`` is an initial state,
        so a model checker reports every state's value.

    Examples
    --------
    >>> from symbellman.model.examples import student_mrp
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
    ids = _Identifiers({"s"})
    renamed, gamma_name = _constants(mdp, ids)
    gamma_name, factor, gamma_line = _discount(mdp, gamma, ids, gamma_name)
    policy = Policy.uniform(mdp) if policy is None and what == "chain" else policy
    index = {s: i for i, s in enumerate(mdp.states)}
    stop = len(mdp.states)
    title = mdp.name or "model"
    kind = ("the chain of the " + (policy.kind if policy.kind != "stochastic" else "given")
            + " policy, as a PRISM dtmc") if what == "chain" else "the MDP, as a PRISM mdp"
    module = re.sub(r"\W+", "_", title.lower()).strip("_") or "model"
    if not re.fullmatch(_IDENTIFIER, module) or module in ids.taken:  # 'module', '3x3'
        module = f"m_{module}"
    module = ids.take(module, "m")
    lines = [f"// {_comment(title)}: {kind} (written by symbellman).",
             "// Discounting is a stop with probability 1 - gamma at every step, so the",
             '// expected total reward until "done" is the discounted value.',
             "dtmc" if what == "chain" else "mdp", "", gamma_line]
    lines += [f"const double {c.name};" for symbol, c in renamed.items()
              if symbol != mdp.discount]
    constants = [f"{c.name} = {_comment(symbol.name)}" for symbol, c in renamed.items()
                 if c.name != symbol.name]
    if constants:
        lines.append("// constants renamed: " + ", ".join(constants))
    names = _comment(", ".join(f"{i} {s}" for s, i in index.items()))
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
            weights = {t: sympy.factor(p.xreplace(renamed)) if p.free_symbols else p
                       for t, p in weights.items()}
            lines.append(f"  [] s={i} -> {_updates(weights, index, stop, factor)};")
            reward = sympy.expand(reward.xreplace(renamed))
            if reward != 0:
                rewards.append(f"  s={i} : {_text(reward)};")
            continue
        for k, a in enumerate(mdp.actions(s)):
            if a not in actions:
                actions[a] = ids.take(a, "a")
            label = actions[a]
            weights = {}
            for o in mdp.outcomes(s, a):
                weights[o.next_state] = (weights.get(o.next_state, sympy.Integer(0))
                                         + o.probability.xreplace(renamed))
            lines.append(f"  [{label}] s={i} -> {_updates(weights, index, stop, factor)};")
            reward = sympy.Integer(0) + mdp.expected_reward(s, a)  # an Expr, never text
            reward = reward.xreplace(renamed)
            if reward != 0:
                rewards.append(f"  [{label}] s={i} : {_text(reward)};")
    lines += [f"  [] s={stop} -> 1 : (s'={stop});", "endmodule", "", "init true endinit", ""]
    done = [f"s={index[s]}" for s in mdp.terminal] + [f"s={stop}"]
    lines.append(f'label "{DONE}" = {" | ".join(done)};')
    for s, i in index.items():
        if re.fullmatch(_IDENTIFIER, s) and s not in (DONE, "init", "deadlock", *_KEYWORDS):
            lines.append(f'label "{s}" = s={i};')
    if what == "mdp":
        relabelled = [f"{label} = {a}" for a, label in actions.items() if label != a]
        if relabelled:
            lines.append("// actions renamed: " + _comment(", ".join(relabelled)))
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
