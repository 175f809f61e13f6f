"""Exact results: value functions whose entries are closed forms.

A :class:`ValueFunction` maps each state (an :class:`ActionValueFunction` each
(state, action) pair) to a SymPy expression: a rational function in the discount and
the model's parameters, in lowest terms. The polynomials stay in SymPy's polynomial
layer until an entry is asked for, so a 100-state solve does not pay for 100
expression conversions that nobody reads.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Iterator, Mapping

import sympy
from sympy import Eq, Expr, Integer, Matrix, Symbol
from sympy.polys.domains import QQ, ZZ
from sympy.polys.rings import PolyRing
from sympy.printing.defaults import Printable

from .errors import ModelError, SolveError
from .expressions import closest, exact
from .linalg import ExactVector, _normalise
from .symbols import Name, q_pi, q_star, v_pi, v_star

__all__ = ["ValueFunction", "ActionValueFunction"]

_HEADS = {"v_pi": v_pi, "v_star": v_star, "q_pi": q_pi, "q_star": q_star}


class _ExactFunction(Printable):
    """Shared machinery: keys, a lazily converted :class:`ExactVector`, zeros for terminals."""

    def __init__(self, keys, vector: ExactVector, index: Mapping, discount: Expr, head: str,
                 zero_keys=(), description: str = ""):
        self._keys = tuple(keys)
        self._vector = vector
        self._index = dict(index)          # key -> position in vector
        self._zero = frozenset(zero_keys)  # keys whose value is 0 (terminal states)
        self._discount = discount
        self._head = head
        self._cache: dict = {}
        self.description = description

    # -- mapping protocol ------------------------------------------------------------------
    def keys(self) -> tuple:
        return self._keys

    def __iter__(self) -> Iterator:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key) -> bool:
        return key in self._index or key in self._zero

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
        if key not in self._cache:
            self._cache[key] = self._vector.expr(self._index[key])
        return self._cache[key]

    def text(self, key) -> str:
        """One entry in SymPy's string syntax, fast even for big closed forms.

        ``sympy.sympify`` reads it back (with the symbols given as ``locals``).
        """
        self._check_key(key)
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
    def discount(self) -> Expr:
        return self._discount

    @property
    def symbols(self) -> tuple[Symbol, ...]:
        """The symbols the closed forms may hold (the discount first, when symbolic)."""
        return tuple(s for s in self._vector.symbols if isinstance(s, Symbol))

    @property
    def determinant(self) -> Expr:
        r"""The shared denominator det(I − γP_π) (before cancellation)."""
        return self._vector.determinant

    def numerator(self, key) -> Expr:
        self._check_key(key)
        return Integer(0) if key in self._zero else \
            self._vector.numerators[self._index[key]].as_expr()

    def denominator(self, key) -> Expr:
        self._check_key(key)
        return Integer(1) if key in self._zero else \
            self._vector.denominators[self._index[key]].as_expr()

    def factored(self, key) -> Expr:
        """The entry with numerator and denominator factored over the rationals."""
        return sympy.factor(self[key])

    def apart(self, key, x: Symbol | None = None) -> Expr:
        """The entry in partial fractions in ``x`` (default: the discount)."""
        x = x if x is not None else self._discount
        if not isinstance(x, Symbol):
            raise ValueError("partial fractions need a symbolic variable")
        return sympy.apart(self[key], x)

    def lhs(self, key) -> Expr:
        head = _HEADS[self._head]
        args = key if isinstance(key, tuple) else (key,)
        return head(*[Name(a) for a in args])

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
        mdp = getattr(self, "mdp", None)
        known = set(by_name) | ({s.name for s in (*mdp.symbols, *mdp.discount.free_symbols)}
                                if mdp is not None else set())
        gens = {}
        for k, v in mapping.items():
            name = k.name if isinstance(k, Symbol) else str(k)
            if name not in by_name and name in known:
                continue
            if name not in by_name:
                near = closest(name, known)
                raise ModelError(
                    f"there is no symbol {name!r} to substitute",
                    hint=f"did you mean {near!r}?" if near else
                    f"the symbols are {', '.join(sorted(known)) or 'none'}")
            value = exact(v, place=name)
            if value.free_symbols - set(by_name.values()):
                raise ModelError(f"the value of {name!r} must be exact and use only the "
                                 "function's symbols", place=name)
            gens[by_name[name]] = value
        vector = self._vector
        ring = vector.ring
        remaining = [s for s in ring.symbols if s not in gens]
        if all(value.is_Rational for value in gens.values()):
            new_vector, bad = _substitute_rationals(vector, gens)
        else:
            new_vector, bad = _substitute_expressions(vector, gens, remaining)
        if bad:
            names = [k for k in self._keys if self._index.get(k) in bad]
            where = ", ".join(f"{k}" for k in names)
            raise SolveError(
                f"the values of {where} are not defined at "
                + ", ".join(f"{k.name} = {v}" for k, v in gens.items())
                + " (the system is singular there: from these states the process may "
                "never end)")
        new = object.__new__(type(self))
        _ExactFunction.__init__(new, self._keys, new_vector, self._index,
                                self._discount.xreplace(gens), self._head, self._zero,
                                self.description)
        for attr in ("mdp", "policy"):
            if hasattr(self, attr):
                setattr(new, attr, getattr(self, attr))
        return new

    def with_head(self, head: str) -> "_ExactFunction":
        """The same closed forms under another name (``"v_star"`` for an optimal v_π)."""
        if head not in _HEADS:
            raise ValueError(f"head must be one of {sorted(_HEADS)}")
        new = object.__new__(type(self))
        _ExactFunction.__init__(new, self._keys, self._vector, self._index, self._discount,
                                head, self._zero, self.description)
        new._cache = self._cache
        for attr in ("mdp", "policy", "chain"):
            if hasattr(self, attr):
                setattr(new, attr, getattr(self, attr))
        return new

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
        """Jupyter: the interactive page of the model, in a sandboxed iframe."""
        mdp = getattr(self, "mdp", None)
        if mdp is None:
            return None
        from .render.html import notebook_html
        return notebook_html(mdp, getattr(self, "policy", None))


def _substitute_rationals(vector: ExactVector, values: dict) -> tuple[ExactVector, list]:
    """Put rational values into the integer terms directly (no expressions, no cancel)."""
    gens = vector.ring.symbols
    keep = [j for j, g in enumerate(gens) if g not in values]
    put = [(j, Fraction(int(values[g].p), int(values[g].q)))
           for j, g in enumerate(gens) if g in values]
    ring = PolyRing(tuple(gens[j] for j in keep) or ("_",), ZZ)
    width = len(ring.symbols)

    def substitute(terms: dict) -> dict:
        out: dict = {}
        for monomial, c in terms.items():
            monomial = tuple(int(k) for k in monomial)
            value = Fraction(int(c))
            for j, x in put:
                if monomial[j]:
                    value *= x ** monomial[j]
            key = tuple(monomial[j] for j in keep) or (0,) * width
            out[key] = out.get(key, 0) + value
        return {m: c for m, c in out.items() if c}

    fractions, bad = [], []
    for i in range(len(vector)):
        num, den = (substitute(t) for t in vector.terms(i))
        if not den:
            bad.append(i)
            fractions.append((ring.zero, ring.one))
            continue
        scale = math.lcm(*(c.denominator for c in (*num.values(), *den.values())))
        top = ring.from_dict({m: int(c * scale) for m, c in num.items()})
        bottom = ring.from_dict({m: int(c * scale) for m, c in den.items()})
        fractions.append(_normalise(top, bottom) if keep else _constant(top, bottom, ring))
    return (ExactVector(ring, [f[0] for f in fractions], [f[1] for f in fractions], None,
                        vector.method), bad)


def _constant(top, bottom, ring):
    value = sympy.Rational(int(top.coeff(1)), int(bottom.coeff(1)))
    return ring(int(value.p)), ring(int(value.q))


def _substitute_expressions(vector: ExactVector, values: dict, gens) -> tuple[ExactVector, list]:
    """Put symbolic values in, through SymPy expressions (small models)."""
    ring = PolyRing(tuple(gens) if gens else ("_",), ZZ)
    qring = PolyRing(ring.symbols, QQ)
    fractions, bad = [], []
    for i in range(len(vector)):
        num, den = vector.fraction(i)
        n_expr = num.as_expr().xreplace(values)
        d_expr = den.as_expr().xreplace(values)
        if sympy.expand(d_expr) == 0:
            bad.append(i)
            fractions.append((ring.zero, ring.one))
            continue
        top, bottom = sympy.fraction(sympy.cancel(sympy.together(n_expr / d_expr)))
        top_q, bottom_q = qring.from_expr(top), qring.from_expr(bottom)
        scale = math.lcm(*(int(c.denominator) for c in (*top_q.coeffs(), *bottom_q.coeffs())))
        fractions.append(_normalise(
            ring.from_dict({m: int(c * scale) for m, c in top_q.items()}),
            ring.from_dict({m: int(c * scale) for m, c in bottom_q.items()})))
    return (ExactVector(ring, [f[0] for f in fractions], [f[1] for f in fractions], None,
                        vector.method), bad)


class ValueFunction(_ExactFunction):
    """v_π (or v_*): a closed form per state; terminal states are 0.

    Examples
    --------
    >>> from symbellman import solve_v
    >>> from symbellman.examples import student_mdp
    >>> from symbellman.symbols import gamma
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
