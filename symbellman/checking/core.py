"""``check``: a student's answers against the exact ones, entry by entry, with the reason.

Each given value is right (a decimal within the tolerance, an exact value or a closed form
in γ exactly) or wrong. A wrong value comes with its state's Bellman equation, the
student's numbers put in, and the residual; when the wrong values of a key are what a
named mistake gives (the candidates of :class:`~.reference.Reference`, computed exactly)
the entries carry its id and message.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape
from os import PathLike
from typing import Any, Mapping

import sympy
from sympy import Expr

from ..core.errors import ModelError
from ..model.mdp import MDP
from ..model.policy import Policy, with_values
from .answers import (Answers, Given, VALUE_KEYS, compare, load_answer_data, read_answers,
                      read_at)
from .explain import bellman_equation, head, shown
from .families import family_answers, family_entries, read_family, split
from .functions import shown_function
from .messages import say
from .reference import Reference

__all__ = ["Entry", "CheckResult", "check"]


@dataclass(frozen=True)
class Entry:
    """One checked answer; the fields are those of the spec's ``--json`` entries."""

    key: str
    state: str | None
    action: str | None
    given: str
    expected: str
    ok: bool
    mistake: str | None = None
    explanation: str = ""
    approximately: str = ""  # the expected value as a decimal, when decimals were given
    stage: int | None = None  # k, the decisions still to make (a finite horizon)
    feature: str | None = None  # the feature of a theta entry

    def as_dict(self) -> dict:
        out = {"key": self.key, "state": self.state, "action": self.action,
               "given": self.given, "expected": self.expected, "ok": self.ok,
               "mistake": self.mistake, "explanation": self.explanation}
        # optional keys beyond the spec's, only where they apply
        out.update({k: v for k, v in (("stage", self.stage), ("feature", self.feature))
                    if v is not None})
        return out

    @property
    def name(self) -> str:
        """How the entry is named: ``v(Class1)``, ``optimal actions of Class2``,
        ``v_2(s1)`` at stage 2, ``g(s1)``, ``h*(s1)``, ``θ(w1)``."""
        if self.feature is not None:
            return f"θ({self.feature})"
        if self.key in _AVERAGE_HEADS:
            return f"{_AVERAGE_HEADS[self.key]}({self.state})"
        if self.stage is not None:
            if self.key == "optimal_actions":
                return f"π*_{self.stage}({self.state})"
            name = head(self.key, self.state, self.action)
            return name.replace("(", f"_{self.stage}(", 1)
        if self.state is None:
            return self.key
        if self.key == "optimal_actions":
            return f"π*({self.state})"
        return head(self.key, self.state, self.action)


#: How an average-reward entry is named.
_AVERAGE_HEADS = {"gain": "g", "bias": "h", "gain_star": "g*", "bias_star": "h*"}


@dataclass(frozen=True, repr=False)
class CheckResult:
    """The outcome of :func:`check`: every entry, right or wrong, in the file's order.

    ``passed`` is True when every entry is right; in a notebook the result shows as a
    table (``_repr_html_``) or as LaTeX (``_repr_latex_``).
    """

    title: str
    entries: tuple
    tolerance: Expr

    @property
    def right(self) -> int:
        return sum(e.ok for e in self.entries)

    @property
    def wrong(self) -> int:
        return sum(not e.ok for e in self.entries)

    @property
    def passed(self) -> bool:
        return self.wrong == 0

    @property
    def mistakes(self) -> tuple:
        """The ids of the named mistakes found, each once, in the order found."""
        return tuple(dict.fromkeys(e.mistake for e in self.entries if e.mistake))

    def as_dict(self) -> dict:
        """The spec's ``--json`` object."""
        return {"right": self.right, "wrong": self.wrong,
                "entries": [e.as_dict() for e in self.entries]}

    def text(self) -> str:
        """The report as lines of text, as the command line prints it."""
        lines = [self.summary]
        for e in self.entries:
            if e.ok:
                lines.append(f"  {say('right')}: {e.name} = {e.given}")
                continue
            mistake = f" [{e.mistake}]" if e.mistake else ""
            want = f"{e.expected} ≈ {e.approximately}" if e.approximately else e.expected
            lines.append(f"  {say('wrong')}{mistake}: {e.name} = {e.given}, "
                         f"{say('expected', expected=want)}")
            lines.append(f"    {e.explanation}")
        return "\n".join(lines)

    @property
    def summary(self) -> str:
        """One sentence: how many entries are right and wrong."""
        return say("summary", title=self.title, right=self.right, wrong=self.wrong,
                   tolerance=shown(self.tolerance, True))

    def __repr__(self) -> str:
        return f"CheckResult({self.right} right, {self.wrong} wrong)"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(e.name)}</td><td>{escape(e.given)}</td>"
            f"<td>{escape(e.expected)}</td><td>{say('right') if e.ok else say('wrong')}</td>"
            f"<td>{escape(e.mistake or '')}</td><td>{escape(e.explanation)}</td></tr>"
            for e in self.entries)
        return (f"<p>{escape(self.summary)}</p>"
                f"<table><tr><th></th><th>{say('column-given')}</th>"
                f"<th>{say('column-expected')}</th><th></th><th>{say('column-mistake')}</th>"
                f"<th>{say('column-why')}</th></tr>{rows}</table>")

    def _repr_latex_(self) -> str:
        def tex(text: str) -> str:
            return r"\text{" + text.replace("\\", "").replace("{", r"\{").replace("}", r"\}") \
                .replace("_", r"\_").replace("#", r"\#").replace("%", r"\%") \
                .replace("&", r"\&").replace("$", r"\$") + "}"

        rows = [f"{tex(e.name)} & {tex(e.given)} & {tex(e.expected)} & "
                f"{tex(say('right') if e.ok else say('wrong'))} & {tex(e.mistake or '')}"
                for e in self.entries]
        return (r"$\begin{array}{lllll}" + r" \\ ".join(rows) + r"\end{array}$")


def _mistake_values(key: str, entries: dict, wrong: list, reference: Reference,
                    terminal: dict, tolerance) -> tuple[Any, list]:
    """The first candidate that gives every wrong entry of the key, and those entries.

    The answer must be wrong as a whole in the mistake's way: one slip beside it, and the
    mistake is not named (a single value can match a candidate by chance).
    """
    for candidate in reference.candidates(key, terminal):
        if all(k in candidate.values and compare(entries[k], candidate.values[k], tolerance)
               for k in wrong):
            return candidate, list(wrong)
    return None, []


def _describe(numerator: int, denominator: int, symbols: str) -> str:
    return say("large-function", numerator=numerator, denominator=denominator,
               symbols=symbols)


def _approximately(value: Expr, given: Given) -> str:
    if given.decimal and value.is_Rational and not value.is_Integer:
        return shown(value, True)
    return ""


def _value_entries(key: str, entries: Mapping[tuple, Given], reference: Reference,
                   tolerance, state_values: Mapping[tuple, Given]) -> list[Entry]:
    expected = reference.expected(key)
    mdp = reference.mdp
    ok = {k: compare(g, expected[k], tolerance) for k, g in entries.items()}
    terminal = {s: g.value for (s, _), g in entries.items()
                if mdp.is_terminal(s) and not ok[s, None] and not g.value.free_symbols}
    # a mistake gives values of the same kind: closed forms where closed forms are asked
    wrong = [k for k in entries if not ok[k] and not mdp.is_terminal(k[0])
             and expected[k] is not sympy.nan
             and bool(expected[k].free_symbols) == bool(entries[k].value.free_symbols)]
    candidate, explained = (_mistake_values(key, entries, wrong, reference, terminal,
                                            tolerance) if wrong else (None, []))
    out = []
    for (s, a), given in entries.items():
        right = expected[s, a]
        if ok[s, a]:
            out.append(Entry(key, s, a, given.text, str(right), True))
            continue
        if mdp.is_terminal(s):
            out.append(Entry(key, s, a, given.text, "0", False, "terminal-nonzero",
                             say("terminal-nonzero", state=s, value=given.text)))
            continue
        parts = []
        mistake = None
        if (s, a) in explained:
            mistake = candidate.mistake
            parts.append(say(mistake, **candidate.details))
        if right is sympy.nan:
            parts.append(say("undefined", head=head(key, s, a), state=s,
                             discount=reference.discount))
        elif right.free_symbols and not given.value.free_symbols:
            symbols = ", ".join(sorted(map(str, right.free_symbols)))
            parts.append(say("closed-form", symbol=symbols))
        elif given.value.free_symbols and not right.free_symbols:
            parts.append(say("not-a-closed-form",
                             symbols=", ".join(sorted(map(str, given.value.free_symbols)))))
        else:
            equation, residual, decimal = bellman_equation(reference, key, s, a, entries,
                                                           state_values)
            residual = shown_function(residual, _describe) if residual.free_symbols \
                else shown(residual, decimal)
            parts.append(say("equation", head=head(key, s, a), equation=equation,
                             residual=residual))
        out.append(Entry(key, s, a, given.text, str(right), False, mistake, " ".join(parts),
                         _approximately(right, given)))
    return out


def _action_entries(entries: Mapping[tuple, tuple], reference: Reference) -> list[Entry]:
    expected = reference.expected("optimal_actions")
    best = reference.best
    out = []
    for (s, _), given in entries.items():
        right = tuple(expected.get((s, None), ()))
        text, want = ", ".join(given), ", ".join(right)
        if set(given) == set(right):
            out.append(Entry("optimal_actions", s, None, text, want, True))
            continue
        v = best.v_star[s]
        parts = [say("extra-action", action=a, state=s, value=best.q_star[s, a], best=v)
                 for a in given if a not in right]
        missing = [a for a in right if a not in given]
        mistake = None
        if missing and not parts:
            mistake = "missed-tie"
            parts.append(say("missed-tie", actions=", ".join(missing)))
        parts += [say("missing-action", action=a, state=s, best=v) for a in missing]
        out.append(Entry("optimal_actions", s, None, text, want, False, mistake,
                         " ".join(parts)))
    return out


def _breakpoint_entry(given: tuple, reference: Reference, tolerance) -> Entry:
    expected = reference.expected("breakpoints")[None, None]

    def near(g: Given, x: Expr) -> bool:
        if x.is_Rational:
            return compare(g, x, tolerance)
        if not g.decimal:
            return False  # an exact answer is a rational; this breakpoint is not
        return abs(g.value - sympy.Rational(str(sympy.N(x, 40)))) <= tolerance

    ok = len(given) == len(expected) and all(near(g, x) for g, x in zip(given, expected))
    want = ", ".join(str(x) for x in expected)
    return Entry("breakpoints", None, None, ", ".join(g.text for g in given), want, ok,
                 None, "" if ok else say("breakpoints", expected=want))


def prepare(mdp: MDP, policy: Policy | None, data: Any, source: str | None = None,
            at: Mapping | None = None, *,
            others: bool = False) -> tuple[Answers, MDP, Policy, Policy | None]:
    """The answers read against the model with ``at`` put in, and the policies to use:
    the one the values are asked for, and the model's own when that is another."""
    policy = None if mdp.is_mrp else Policy.for_model(mdp, policy)
    try:
        values = read_at(data.get("at") if isinstance(data, Mapping) else None, mdp)
    except ModelError as err:
        raise (err.with_source(source) if source else err) from None
    values.update(at or {})
    if policy is not None:
        moved, moved_policy = with_values(mdp, policy, values)
    else:
        moved, moved_policy = (mdp.subs(values) if values else mdp), None
    answers = replace(read_answers(data, moved, source, others=others), at=values)
    asked, model_policy = moved_policy, None
    if answers.policy_given is not None and not moved.is_mrp:
        try:
            asked = Policy.from_spec(moved, answers.policy_given)
        except ModelError as err:  # the policy's own place, under the answers' key
            inner = err.place.partition(".")[2] if err.place and "." in err.place else ""
            raise ModelError(err.message, "policy_given" + (f".{inner}" if inner else ""),
                             source, err.hint) from None
        model_policy = moved_policy
    return answers, moved, asked, model_policy


def check(mdp: MDP, answers: Any, policy: Policy | None = None, *, at: Mapping | None = None,
          tolerance=None, references: dict | None = None) -> CheckResult:
    """Check a student's answers to ``mdp`` entry by entry.

    Parameters
    ----------
    mdp : MDP
        The model the exercise is about.
    answers : path, mapping or str
        An answer file (YAML, JSON or TOML; see docs/check.md), or its contents as a
        mapping of the same keys (``v``, ``q``, ``v_star``, ``q_star``,
        ``optimal_actions``, ``breakpoints``, ``at``, ``policy_given``, ``tolerance``).
    policy : Policy, optional
        The policy the values ``v`` and ``q`` are for (default: uniform), unless the
        answers name one with ``policy_given``.
    at : mapping, optional
        Values for the discount and the model's symbols, over those of the answers.
    tolerance : number, optional
        How far a decimal may be from the exact value (default: the answers' own, else
        0.005). Exact answers are always compared exactly.
    references : dict, optional
        A cache shared by calls on the same model (grading a class solves each variant once).

    Returns
    -------
    CheckResult

    Raises
    ------
    ModelError
        If the answers are malformed (unknown state or key, not a number, ...): one line
        naming the file and the place.

    Examples
    --------
    David Silver's Student MDP under the uniform policy (Lecture 2: v(Class3) = 7.4),
    with one value that is only the expected reward, one synchronous sweep from zero:

    >>> from symbellman.model.examples import student_mdp
    >>> result = check(student_mdp(), {"v": {"Class3": "7.38", "Class1": "-1.5",
    ...                                      "Facebook": "-30/13"}})
    >>> result
    CheckResult(2 right, 1 wrong)
    >>> [(e.name, e.ok, e.mistake) for e in result.entries]
    [('v(Class3)', True, None), ('v(Class1)', False, 'one-sweep'), ('v(Facebook)', True, None)]
    >>> result.entries[1].expected, result.entries[1].approximately
    ('-17/13', '-1.30769')
    >>> print(result.entries[1].explanation)  # doctest: +NORMALIZE_WHITESPACE
    These are the values after one synchronous sweep from zero, not the fixed point of the
    Bellman equation. The Bellman equation of v(Class1) with these numbers put in:
    v(Class1) = 1/2·(-1 + v(Facebook)) + 1/2·(-2 + v(Class2))
    = 1/2·(-1 + (-2.30769)) + 1/2·(-2 + 2.69231) = -1.30769; the residual (right side minus
    left side) is 0.192308.
    """
    source = None
    if isinstance(answers, (str, PathLike)):
        answers, source = load_answer_data(answers)
    family: dict = {}
    if isinstance(answers, Mapping) and family_answers(mdp, answers):
        # a finite horizon's stage-keyed values, gain and bias, theta: checking.families
        family, answers = split(answers, mdp)
    read, moved, asked, model_policy = prepare(mdp, policy, answers, source, at,
                                               others=bool(family))
    if tolerance is not None:
        from ..core.expressions import exact

        tolerance = exact(tolerance, place="tolerance")
        if tolerance.free_symbols or tolerance < 0:
            raise ModelError("expected a number at least 0", place="tolerance")
    else:
        tolerance = read.tolerance
    # answers to the same question (same numbers, same policy) share one Reference
    cache_key = (tuple(sorted((k, str(v)) for k, v in read.at.items())),
                 repr(read.policy_given))
    reference = references.get(cache_key) if references is not None else None
    if reference is None:
        reference = Reference(moved, asked, model_policy)
        if references is not None:
            references[cache_key] = reference
    entries: list[Entry] = []
    for key, given in read.values.items():
        try:
            if key in VALUE_KEYS:
                state_values = read.values.get({"q": "v", "q_star": "v_star"}.get(key), {})
                entries += _value_entries(key, given, reference, tolerance, state_values)
            elif key == "optimal_actions":
                entries += _action_entries(given, reference)
            else:
                entries.append(_breakpoint_entry(given[None, None], reference, tolerance))
        except ModelError as err:
            raise (err.with_source(source) if source and not err.source else err) from None
    if family:
        try:
            entries += family_entries(read_family(family, moved), moved, asked, tolerance,
                                      Entry)
        except ModelError as err:
            raise (err.with_source(source) if source and not err.source else err) from None
    return CheckResult(mdp.name or "answers", tuple(entries), tolerance)
