"""Exact results: value functions whose entries are closed forms.

A :class:`ValueFunction` maps each state (an :class:`ActionValueFunction` each
(state, action) pair) to a SymPy expression: a rational function in the discount and
the model's parameters, in lowest terms. The polynomials stay in SymPy's polynomial
layer until an entry is asked for, so a 100-state solve does not pay for 100
expression conversions that nobody reads.
"""

from __future__ import annotations

from typing import Iterator, Mapping

import sympy
from sympy import Eq, Expr, Integer, Matrix, Symbol
from sympy.printing.defaults import Printable

from ..text.display import notebook_display, register_notebook_display
from ..core.errors import ModelError, SolveError
from ..core.expressions import exact
from ..core.names import closest, did_you_mean
from ..linalg import ExactVector
from ..linalg.vector import expression
from ..equations.families import FAMILIES, family

__all__ = ["ValueFunction", "ActionValueFunction", "register_notebook_display"]


class _ExactFunction(Printable):
    """Shared machinery: keys, a lazily converted :class:`ExactVector`, zeros for terminals.

    ``discount`` is a number, or the symbol the closed forms are functions of.
    ``mdp``, ``policy`` and ``chain`` say where the closed forms come from (the model,
    the policy and the chain it induces; None when not known); every derived function
    (:meth:`at`, :meth:`with_head`) keeps them. ``conditions`` are the relations
    (``Ne(x + 1, 0)``) under which the closed forms hold: the model's own numbers have
    these denominators. ``undefined`` are the keys without a value (at discount 1,
    states that may reach a cycle that earns something): their entries are ``nan``.
    """

    def __init__(self, keys, vector: ExactVector, index: Mapping, discount: Expr, head: str,
                 zero_keys=(), description: str = "", *, mdp=None, policy=None, chain=None,
                 conditions: tuple = (), undefined=(), _cache: dict | None = None):
        set_ = object.__setattr__  # every field is given here, once: a result never changes
        set_(self, "undefined", tuple(undefined))
        set_(self, "mdp", mdp)
        set_(self, "policy", policy)
        set_(self, "chain", chain)
        set_(self, "conditions", tuple(conditions))
        set_(self, "_keys", tuple(keys))
        set_(self, "_vector", vector)
        set_(self, "_index", dict(index))          # key -> position in vector
        set_(self, "_zero", frozenset(zero_keys))  # keys whose value is 0 (terminal states)
        set_(self, "discount", discount)
        set_(self, "_head", head)
        # entries converted so far (the only state that grows: a cache of what is fixed)
        set_(self, "_cache", {} if _cache is None else _cache)
        set_(self, "description", description)

    def __setattr__(self, key, value):
        raise AttributeError(f"a {type(self).__name__} cannot be changed: its closed forms, "
                             "discount and conditions are fixed when it is made (use at() "
                             "for other values)")

    def __delattr__(self, key):
        self.__setattr__(key, None)

    # -- mapping protocol ------------------------------------------------------------------
    def keys(self) -> tuple:
        return self._keys

    def __iter__(self) -> Iterator:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key) -> bool:
        return key in self._index or key in self._zero or key in self.undefined

    def _check_key(self, key):
        if key not in self:
            near = closest(str(key), [str(k) for k in self._keys])
            raise KeyError(f"{key!r} is not one of this function's keys"
                           + (f"; did you mean {near}?" if near else ""))

    def __getitem__(self, key) -> Expr:
        """The closed form of one entry, as a SymPy expression."""
        self._check_key(key)
        if key in self._zero:
            return Integer(0)
        if key in self.undefined:
            return sympy.nan
        if key not in self._cache:
            self._cache[key] = self._vector.expr(self._index[key])
        return self._cache[key]

    def text(self, key) -> str:
        """One entry in SymPy's string syntax, fast even for big closed forms.

        ``sympy.sympify`` reads it back (with the symbols given as ``locals``).
        """
        self._check_key(key)
        if key in self.undefined:
            return "nan"
        return "0" if key in self._zero else self._vector.text(self._index[key])

    def items(self):
        return ((k, self[k]) for k in self._keys)

    def values(self):
        return (self[k] for k in self._keys)

    def as_dict(self) -> dict:
        """Every entry, as ``{key: Expr}``."""
        return dict(self.items())

    # -- forms a reader wants --------------------------------------------------------------
    @property
    def method(self) -> str:
        """The route that solved the system (``krylov-flint``, ``rational-python``, ...)."""
        return self._vector.method

    @property
    def symbols(self) -> tuple[Symbol, ...]:
        """The symbols the closed forms may hold (the discount first, when symbolic)."""
        return tuple(s for s in self._vector.symbols if isinstance(s, Symbol))

    @property
    def determinant(self) -> Expr:
        r"""The shared denominator det(I − γP_π) (before cancellation)."""
        return self._vector.determinant

    def numerator(self, key) -> Expr:
        """The numerator of one entry in lowest terms (only this entry is converted)."""
        return self._part(key, 0)

    def denominator(self, key) -> Expr:
        """The denominator of one entry in lowest terms (only this entry is converted)."""
        return self._part(key, 1)

    def _part(self, key, side: int) -> Expr:
        """The entry's numerator (``side`` 0) or denominator (1); 0 / 1 for a terminal key."""
        self._defined(key)
        if key in self._zero:
            return Integer(side)
        terms = self._vector.terms(self._index[key])[side]
        return expression(terms, self._vector.ring.symbols) if terms else Integer(0)

    def _defined(self, key):
        self._check_key(key)
        if key in self.undefined:
            raise SolveError(f"{self._head}({key}) has no value: from there the process "
                             "may reach a cycle that earns something and never ends")

    def terms(self, key) -> tuple[dict, dict]:
        """One entry as integer terms ``({monomial: int}, {monomial: int})`` over
        :attr:`symbols` (exponents in that order)."""
        self._defined(key)
        if key in self._zero:
            return {}, {(0,) * len(self._vector.symbols): 1}
        return self._vector.terms(self._index[key])

    def univariate(self, key, x: Symbol | None = None) -> tuple[list[int], list[int]]:
        """One entry as integer coefficient lists (increasing powers) in ``x``.

        ``x`` defaults to the first symbol (the discount, when symbolic); an entry
        that holds another symbol is refused with a :class:`SolveError`.

        >>> from symbellman import solve_v, Policy
        >>> from symbellman.model.examples import exercise_3_22
        >>> m = exercise_3_22()
        >>> solve_v(m, Policy.deterministic(m, {"top": "left"})).univariate("top")
        ([1], [1, 0, -1])
        """
        self._defined(key)
        if key in self._zero:
            return [], [1]
        return self._vector.univariate(self._index[key], x)

    def factored(self, key) -> Expr:
        """The entry with numerator and denominator factored over the rationals."""
        return sympy.factor(self[key])

    def apart(self, key, x: Symbol | None = None) -> Expr:
        """The entry in partial fractions in ``x`` (default: the discount)."""
        x = x if x is not None else self.discount
        if not isinstance(x, Symbol):
            raise ModelError("partial fractions need a symbolic variable")
        return sympy.apart(self[key], x)

    def lhs(self, key) -> Expr:
        return family(self._head).applied(*(key if isinstance(key, tuple) else (key,)))

    def equations(self) -> list[Eq]:
        """``v_pi(s) = closed form`` for every key, as SymPy ``Eq``."""
        return [Eq(self.lhs(k), self[k], evaluate=False) for k in self._keys]

    def as_matrix(self) -> Matrix:
        """The entries as a column Matrix, in key order."""
        return Matrix([self[k] for k in self._keys])

    def at(self, values: Mapping | None = None, **named) -> "_ExactFunction":
        """The same function with the discount and/or parameters replaced by exact values.

        Keys of ``values`` are symbols or names; ``named`` gives names as keywords
        (``vf.at(gamma=Rational(9, 10))``). Floats are read as their decimal text.
        """
        mapping = dict(values or {})
        mapping.update(named)
        by_name = {s.name: s for s in self._vector.symbols if s.name != "_"}
        # a parameter of the model that these closed forms happen not to use is fine
        mdp = self.mdp
        model_symbols = ({s.name: s for s in (*mdp.symbols, *mdp.discount.free_symbols)}
                         if mdp is not None else {})
        known = set(by_name) | set(model_symbols)
        gens, unused = {}, {}
        for k, v in mapping.items():
            name = k.name if isinstance(k, Symbol) else str(k)
            if name not in by_name and name in known:
                # not in these closed forms, but the model's conditions may still name it
                unused[model_symbols[name]] = exact(v, place=name)
                continue
            if name not in by_name:
                raise ModelError(
                    f"there is no symbol {name!r} to substitute",
                    hint=did_you_mean(name, known,
                                      f"the symbols are {', '.join(sorted(known)) or 'none'}"))
            value = exact(v, place=name)
            if value.free_symbols - set(by_name.values()):
                raise ModelError(f"the value of {name!r} must be exact and use only the "
                                 "function's symbols", place=name)
            gens[by_name[name]] = value
        given = {**gens, **unused}
        for condition in self.conditions:
            if condition.xreplace(given) == sympy.false:
                raise SolveError(f"the model is not defined at "
                                 + ", ".join(f"{k.name} = {v}" for k, v in given.items())
                                 + f": it needs {sympy.sstr(condition)}")
        new_vector, bad = self._vector.subs(gens)
        if bad:
            names = [k for k in self._keys if self._index.get(k) in bad]
            where = ", ".join(f"{k}" for k in names)
            raise SolveError(
                f"the values of {where} are not defined at "
                + ", ".join(f"{k.name} = {v}" for k, v in gens.items())
                + " (the system is singular there: from these states the process may "
                "never end)")
        return self._derived(new_vector, self.discount.xreplace(gens), self._head,
                             conditions=tuple(c for c in (c.xreplace(given)
                                                          for c in self.conditions)
                                              if c != sympy.true))

    def with_head(self, head: str) -> "_ExactFunction":
        """The same closed forms under another name (``"v_star"`` for an optimal v_π)."""
        if head not in FAMILIES:
            raise ModelError(f"head must be one of {sorted(FAMILIES)}", place="head")
        return self._derived(self._vector, self.discount, head, cache=self._cache)

    def _derived(self, vector: ExactVector, discount: Expr, head: str, *,
                 conditions: tuple | None = None, cache: dict | None = None
                 ) -> "_ExactFunction":
        """The same keys and origin with other closed forms, discount, head or conditions
        (and, for the same closed forms, the entries converted so far)."""
        return type(self)(self._keys, vector, self._index, discount, head, self._zero,
                          self.description, mdp=self.mdp, policy=self.policy,
                          chain=self.chain, undefined=self.undefined, _cache=cache,
                          conditions=self.conditions if conditions is None else conditions)

    def evalf(self, n: int = 15) -> dict:
        """Decimal values (only when every symbol has a value)."""
        return {k: sympy.N(v, n) for k, v in self.items()}

    # -- printing --------------------------------------------------------------------------
    def _latex(self, printer) -> str:
        rows = [r"%s &= %s" % (printer._print(self.lhs(k)), printer._print(self[k]))
                for k in self._keys]
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _sympystr(self, printer) -> str:
        return "\n".join(f"{printer._print(self.lhs(k))} = {printer._print(self[k])}"
                         for k in self._keys)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._head}, {len(self._keys)} entries)"

    def _repr_html_(self) -> str | None:
        """Jupyter: the interactive explorer of the model in a sandboxed iframe; for a big
        model, a compact table of the closed forms (drawn by the function
        :mod:`symbellman.text.display` holds: the writers sit above this module)."""
        return None if self.mdp is None else notebook_display(self)


class ValueFunction(_ExactFunction):
    """v_π (or v_*): a closed form per state; terminal states are 0.

    Examples
    --------
    >>> from symbellman import solve_v
    >>> from symbellman.model.examples import student_mdp
    >>> from symbellman.core.symbols import gamma
    >>> v = solve_v(student_mdp(discount=gamma))
    >>> v["Class3"].subs(gamma, 1)
    96/13
    >>> v.at(gamma=1)["Facebook"]
    -30/13
    """


class ActionValueFunction(_ExactFunction):
    """q_π (or q_*): a closed form per (state, action) pair."""

    def for_state(self, state: str) -> dict:
        """``{action: q(state, action)}`` for one state."""
        return {a: self[(s, a)] for (s, a) in self._keys if s == state}
