"""One printed form per closed form on every surface (issue 23, item 7).

The CLI's text, the LaTeX handout and the Markdown handout print the same closed form
the same way up to markup, and that form is the value: substituted at random rationals
it equals an independent Fraction solve of (I - γP) v = r.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from symbellman.text.canonical import canonical, canonical_of_expr
from symbellman.model.examples import exercise_3_22
from symbellman.render.closed_forms import ClosedForm, closed_form_rows

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "exercise_3_22.yaml"
gamma = sympy.Symbol("gamma")


def tokens(text: str) -> list[str]:
    r"""A printed form without its markup: numbers, names and the signs + - ^ in order
    (``\frac``, braces, brackets, ``*``, ``/`` and spaces dropped; ``**`` read as ``^``)."""
    text = text.replace("**", "^").replace(r"\frac", " ").replace(r"\tfrac", " ")
    text = text.replace("\\", " ")
    return re.findall(r"\d+|[A-Za-z]+|[+\-^]", text)


def fraction_solve(mdp, g: Fraction) -> dict:
    """v under the uniform policy at discount g, by Gauss-Jordan over Fractions."""
    states = list(mdp.nonterminal)
    n = len(states)
    A = [[Fraction(int(i == j)) for j in range(n)] + [Fraction(0)] for i in range(n)]
    for i, s in enumerate(states):
        actions = list(mdp.actions(s))
        for a in actions:
            w = Fraction(1, len(actions))
            for o in mdp.outcomes(s, a):
                p, r = Fraction(str(o.probability)), Fraction(str(o.reward))
                A[i][n] += w * p * r
                if o.next_state in states:
                    A[i][states.index(o.next_state)] -= w * p * g
    for c in range(n):
        pivot = next(r for r in range(c, n) if A[r][c] != 0)
        A[c], A[pivot] = A[pivot], A[c]
        A[c] = [x / A[c][c] for x in A[c]]
        for r in range(n):
            if r != c and A[r][c] != 0:
                A[r] = [x - A[r][c] * y for x, y in zip(A[r], A[c])]
    return {s: A[i][n] for i, s in enumerate(states)}


def _run(*args, cwd) -> str:
    done = subprocess.run([sys.executable, "-m", "symbellman", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_factors_follow_one_convention():
    # -(γ - 1)(γ + 4)(γ + 20) / (γ + 2): the linear factors with a constant print it
    # positive, in the order (1 - γ), (γ + 4), (γ + 20), and no sign is left over
    value = -(gamma - 1) * (gamma + 4) * (gamma + 20) / (gamma + 2)
    shape = canonical_of_expr(value)
    assert shape.latex() == r"\frac{(1 - \gamma) (\gamma + 4) (\gamma + 20)}{\gamma + 2}"
    assert shape.text() == "(1 - gamma)*(gamma + 4)*(gamma + 20)/(gamma + 2)"
    # the same value given the other way round prints the same
    other = sympy.expand((1 - gamma) * (gamma + 20)) * (4 + gamma) / (2 + gamma)
    assert canonical_of_expr(other).text() == shape.text()
    # -1/((γ - 1)(γ + 1)), the CLI's old text, is 1/((1 - γ)(γ + 1))
    assert canonical_of_expr(-1 / ((gamma - 1) * (gamma + 1))).text() == \
        "1/((1 - gamma)*(gamma + 1))"
    # a LaTeX row and the text are one form up to markup
    (row,) = closed_form_rows("v", ClosedForm.from_expr(sympy.cancel(value)))
    assert tokens(row.split("&= ", 1)[1]) == tokens(shape.text())


@pytest.mark.parametrize("seed", range(5))
def test_canonical_text_is_the_value(seed):
    rng = random.Random(seed)
    x, y = sympy.symbols("p gamma")
    coefficients = lambda: {(i, j): rng.randint(-9, 9) for i in range(2)  # noqa: E731
                            for j in range(3)}
    num, den = coefficients(), coefficients()
    den[(0, 0)] = den.get((0, 0)) or 1
    value = sympy.cancel(sum(c * x ** i * y ** j for (i, j), c in num.items())
                         / sum(c * x ** i * y ** j for (i, j), c in den.items()))
    n, d = sympy.fraction(value)
    read = lambda p: {m: int(c) for m, c in sympy.Poly(p, x, y).terms()}  # noqa: E731
    for factored in (None, False):
        shape = canonical((x, y), read(n), read(d), factored)
        back = sympy.sympify(shape.text(), locals={"p": x, "gamma": y})
        for _ in range(3):
            point = {x: Fraction(rng.randint(-20, 20), rng.randint(1, 9)),
                     y: Fraction(rng.randint(0, 30), rng.randint(31, 40))}
            expected = d.subs({k: sympy.Rational(v.numerator, v.denominator)
                               for k, v in point.items()})
            if expected == 0:
                continue
            exact = value.subs({k: sympy.Rational(v.numerator, v.denominator)
                                for k, v in point.items()})
            assert back.subs({k: sympy.Rational(v.numerator, v.denominator)
                              for k, v in point.items()}) == exact
            assert shape.value_at(point) == Fraction(int(exact.p), int(exact.q))


def test_cli_latex_and_markdown_print_the_same_closed_form(tmp_path):
    pytest.importorskip("matplotlib")
    text = _run("solve", str(EXAMPLE), "--what", "v", cwd=tmp_path)
    cli = dict(re.findall(r"^v_pi\((\w+)\) = (.+)$", text, re.M))
    mdp = exercise_3_22()
    assert set(cli) == set(mdp.nonterminal)
    # the CLI's form is the value: an independent Fraction solve at random rationals
    rng = random.Random(23)
    for _ in range(4):
        g = Fraction(rng.randint(1, 99), 100)
        expected = fraction_solve(mdp, g)
        for s, form in cli.items():
            got = sympy.sympify(form, locals={"gamma": gamma}).subs(gamma, sympy.Rational(g.numerator, g.denominator))
            assert got == sympy.Rational(expected[s].numerator, expected[s].denominator), s
    _run("handout", str(EXAMPLE), "-o", "e.md", cwd=tmp_path)
    _run("handout", str(EXAMPLE), "-o", "e.tex", cwd=tmp_path)
    for name in ("e.md", "e.tex"):
        source = (tmp_path / name).read_text()
        for s, form in cli.items():
            rows = re.findall(r"v_\\pi\(\\text\{%s\}\) &= (.+?)(?: \\\\)?$" % s, source, re.M)
            closed = [r for r in rows if r"\gamma" in r and r"v_\pi" not in r]
            # section 5 (closed forms) and section 8 (worked solution) both print it
            assert len(closed) >= 2, (name, s, rows)
            for row in closed:
                assert tokens(row) == tokens(form), (name, s, row, form)
