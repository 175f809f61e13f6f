"""Closed forms written from integer polynomials: the same rational functions as an
independent solve, exact values where they are summarised, --only and big sums."""

from __future__ import annotations

import random
import re
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from symbellman import Policy, solve_q, solve_v
from symbellman.cli import main
from symbellman.model.examples import exercise_3_22, gridworld, student_mrp
from symbellman.solve.iterate import evaluate_policy_numeric
from symbellman.model.mdp import MDP
from symbellman.render.closed_forms import (SUMMARY, ClosedForm, closed_form_rows,
                                            polynomial_terms_latex)
from symbellman.render.latex import latex_document, solution_rows
from symbellman.core.symbols import gamma

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TERM = re.compile(r"([+-]?)\s*(\d*)\s*(\\gamma(?:\^\{(\d+)\})?)?")


def parse_polynomial(tex: str) -> sympy.Expr:
    """The integer polynomial in γ that a printed sum of terms spells."""
    total = sympy.Integer(0)
    for sign, digits, power, exponent in TERM.findall(tex.replace(" ", "")):
        if not digits and not power:
            continue
        c = int(digits or 1) * (-1 if sign == "-" else 1)
        k = int(exponent) if exponent else (1 if power else 0)
        total += c * gamma ** k
    return total


def independent_v(mdp) -> dict:
    """v in γ by SymPy's LU solve of (I − γP) v = r over the non-terminal states."""
    states = list(mdp.nonterminal)
    n = len(states)
    P, r = sympy.zeros(n, n), sympy.zeros(n, 1)
    for i, s in enumerate(states):
        for o in mdp.outcomes(s):
            r[i] += o.probability * o.reward
            if o.next_state in states:
                P[i, states.index(o.next_state)] += o.probability
    x = (sympy.eye(n) - gamma * P).LUsolve(r)
    return {s: sympy.cancel(x[i]) for i, s in enumerate(states)}


def test_expanded_closed_forms_are_the_independent_solution():
    # David Silver's Student MRP (Lecture 2) with γ as a symbol
    mrp = student_mrp(discount=gamma)
    v = solve_v(mrp)
    expected = independent_v(mrp)
    for s in mrp.nonterminal:
        (row,) = closed_form_rows("v", ClosedForm.of(v, s), width=10**6, factored=False)
        body = row.split("&= ", 1)[1]
        if body.startswith(r"\frac"):
            top, bottom = re.match(r"\\frac\{(.*)\}\{(.*)\}$", body).groups()
            num, den = parse_polynomial(top), parse_polynomial(bottom)
        else:
            num, den = parse_polynomial(body), sympy.Integer(1)
        assert sympy.expand(num * sympy.denom(expected[s]) - den * sympy.numer(expected[s])) \
            == 0, s


def test_rows_broken_over_lines_spell_the_same_polynomials():
    mrp = student_mrp(discount=gamma)
    v = solve_v(mrp)
    expected = independent_v(mrp)
    rows = closed_form_rows("v", ClosedForm.of(v, "Class1"), width=40)
    assert len(rows) > 2 and rows[0].startswith(r"v &= \bigl(")
    text = " ".join(r.split("&", 1)[1] for r in rows)
    top, bottom = text.split(r"\big/")
    strip = lambda t: re.sub(r"\\bigl\(|\\bigr\)|\\quad|\{\}|=", "", t)  # noqa: E731
    num, den = parse_polynomial(strip(top)), parse_polynomial(strip(bottom))
    e = expected["Class1"]
    assert sympy.expand(num * sympy.denom(e) - den * sympy.numer(e)) == 0


def test_short_closed_forms_are_factored_with_one_minus_gamma():
    # Sutton & Barto, Exercise 3.22: "left" gives v(top) = 1 + γ² + γ⁴ + … = 1/(1 − γ²)
    mdp = exercise_3_22(discount=gamma)
    v = solve_v(mdp, Policy.deterministic(mdp, {"top": "left"}))
    (row,) = closed_form_rows(r"v(\text{top})", ClosedForm.of(v, "top"))
    assert row == r"v(\text{top}) &= \frac{1}{(1 - \gamma) (\gamma + 1)}"


def test_terms_read_highest_degree_first_and_one_minus_gamma_ascending():
    assert polynomial_terms_latex({(3,): 2, (1,): -5, (0,): -1}, [gamma]) == \
        ["2 \\gamma^{3}", "-5 \\gamma", "-1"]
    assert polynomial_terms_latex({(1,): -1, (0,): 1}, [gamma]) == ["1", "-\\gamma"]


def test_value_at_is_exact_integer_evaluation():
    rng = random.Random(7)
    x, y = sympy.symbols("x y")
    for _ in range(20):
        num = {(i, j): rng.randint(-50, 50) for i in range(4) for j in range(3)}
        den = {(i, 0): rng.randint(1, 9) for i in range(5)}
        form = ClosedForm((x, y), num, den)
        a, b = Fraction(rng.randint(0, 9), rng.randint(1, 9)), Fraction(rng.randint(-5, 5), 7)
        by_hand = sum(c * a ** i * b ** j for (i, j), c in num.items()) / \
            sum(c * a ** i for (i, _), c in den.items())
        assert form.value_at({x: a, y: b}) == by_hand


def test_long_closed_forms_are_summarised_with_the_value_at_gamma():
    # a 5 × 5 grid, random policy: degrees over 20, so the closed forms are summarised;
    # the value shown at γ = 9/10 agrees with iterative policy evaluation in floats
    mdp = gridworld(5, 5)
    rows = solution_rows(mdp, None, at=[sympy.Rational(9, 10)])
    assert all(SUMMARY in r for r in rows)
    numeric = evaluate_policy_numeric(mdp, discount=0.9, tol=1e-12)
    for s, row in zip(mdp.nonterminal, rows):
        shown = float(re.search(r"\\approx (-?[\d.]+) \\text\{ at \}", row).group(1))
        assert shown == pytest.approx(numeric[s], abs=6e-4), s
    deg = re.search(r"\\deg n = (\d+),\\ \\deg d = (\d+)", rows[0]).groups()
    v = solve_v(mdp)
    num, den = (sympy.Poly(p, gamma).degree() for p in (v.numerator("r0c0"),
                                                        v.denominator("r0c0")))
    assert tuple(map(int, deg)) == (num, den)


def test_only_prints_the_named_states_in_full():
    mdp = gridworld(5, 5)
    text = latex_document(mdp, what=["v", "solution"], states=["r0c0", "r4c4"])
    assert r"v_\pi(\text{r0c0}) &= " in text and r"v_\pi(\text{r4c4}) &= " in text
    assert r"\text{r2c2}) &=" not in text
    assert SUMMARY not in text and r"\big/" in text  # in full, broken over lines
    q = solve_q(mdp, None)
    assert text.count(r"q_\pi(\text{r0c0}") == len([k for k in q.keys() if k[0] == "r0c0"])


def test_cli_only_and_an_unknown_state(capsys, tmp_path):
    model = str(EXAMPLES / "student_mrp.yaml")
    assert main(["latex", model, "--what", "v,solution", "--only", "Class1, Pub"]) == 0
    out = capsys.readouterr().out
    assert r"v(\text{Class1}) &=" in out and r"v(\text{Pub}) &=" in out
    assert r"v(\text{Class2}) &=" not in out
    assert main(["latex", model, "--only", "Clas1"]) == 2
    err = capsys.readouterr().err
    assert "--only: unknown state 'Clas1'" in err and "Class1" in err


def test_a_reward_summing_thousands_of_symbols_prints(monkeypatch):
    # no recursion per term, and no sorting of 3,000 terms for display; 3,000 symbols are
    # past the default limit of declared symbols, which the environment raises
    monkeypatch.setenv("SYMBELLMAN_MAX_SYMBOLS", "5000")
    names = [f"r{i}" for i in range(3000)]
    mdp = MDP(["A", "T"], {"A": [{"to": "T", "r": sympy.Add(*sympy.symbols(names))}]},
              terminal=["T"], symbols=names)
    from symbellman.equations.discounted import expectation_equations
    tex = sympy.latex(expectation_equations(mdp))
    assert tex.count("r_{") == 3000 and r"v(\text{T}) &= 0" in tex
    assert sympy.sstr(expectation_equations(mdp)).count(" + r") == 2999


def test_the_student_mdp_closed_form_reads_as_the_notation_spec_writes_it():
    # ../shared/spec/notation.md, "A closed form": Silver's Student MDP, uniform policy,
    # v_π(Facebook) = 2 (33γ³ − 2γ² − 26γ − 20) / (3γ⁴ + 6γ³ − 20γ² − 56γ + 80)
    from symbellman.model.examples import student_mdp

    v = solve_v(student_mdp(discount=gamma))
    (row,) = closed_form_rows(r"v_\pi(\text{Facebook})", ClosedForm.of(v, "Facebook"))
    assert row == (r"v_\pi(\text{Facebook}) &= \frac{2 (33 \gamma^{3} - 2 \gamma^{2} - 26 \gamma"
                   r" - 20)}{3 \gamma^{4} + 6 \gamma^{3} - 20 \gamma^{2} - 56 \gamma + 80}")


def test_cli_gamma_chooses_where_summaries_are_evaluated(capsys, tmp_path):
    from benchmarks.models import gridworld_yaml

    path = tmp_path / "grid.yaml"
    path.write_text(gridworld_yaml(5, 5))
    assert main(["latex", str(path), "--what", "solution", "--gamma", "1/2, 0.9"]) == 0
    out = capsys.readouterr().out
    first = next(line for line in out.splitlines() if line.startswith(r"v_\pi(\text{r0c0})"))
    # iterative policy evaluation in floats, independent of the closed forms
    values = re.findall(r"\\approx (-?[\d.]+) \\text\{ at \}", first)
    assert len(values) == 2
    for g, shown in zip((0.5, 0.9), values):
        expected = evaluate_policy_numeric(gridworld(5, 5), discount=g, tol=1e-12)["r0c0"]
        assert float(shown) == pytest.approx(expected, abs=6e-4)
    assert main(["latex", str(path), "--gamma", "2"]) == 2
    assert "--gamma" in capsys.readouterr().err
