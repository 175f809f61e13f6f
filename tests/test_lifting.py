"""The lifted exact solve (linalg/lifting.py) against a Fraction Gauss–Jordan elimination
written here, at random sizes; and q at a numeric discount (rational.numeric_backup)
against Fraction sums."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

import symbellman.linalg.lifting as lifting
from symbellman.linalg import get_backend
from symbellman.linalg.rational import numeric_backup

def _flint_installed() -> bool:
    try:
        import flint  # noqa: F401
    except ImportError:
        return False
    return True


BACKENDS = ["python", "flint"] if _flint_installed() else ["python"]


def gauss_jordan(rows, columns, d):
    """(I − G)X = B/d by Fraction Gauss–Jordan elimination with row swaps."""
    n, m = len(rows), len(columns)
    M = [[Fraction(int(i == j)) - rows[i].get(j, Fraction(0)) for j in range(n)]
         + [Fraction(columns[k][i], d) for k in range(m)] for i in range(n)]
    for c in range(n):
        p = next(r for r in range(c, n) if M[r][c] != 0)
        M[c], M[p] = M[p], M[c]
        pivot = M[c][c]
        M[c] = [x / pivot for x in M[c]]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [[M[i][n + k] for k in range(m)] for i in range(n)]


def random_system(rnd: random.Random, n: int, successors: int, gamma: Fraction):
    rows = []
    for _ in range(n):
        row: dict[int, Fraction] = {}
        weights = [rnd.randint(1, 9) for _ in range(successors)]
        total = sum(weights) + rnd.randint(0, 3)  # some rows lose mass (a terminal)
        for w in weights:
            j = rnd.randrange(n)
            row[j] = row.get(j, Fraction(0)) + gamma * Fraction(w, total)
        rows.append(row)
    return rows


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(lifting, "LIFT_MIN_STATES", 1)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("backend", BACKENDS)
def test_lifted_equals_gauss_jordan(seed, backend, small_threshold):
    rnd = random.Random(seed)
    n = rnd.randint(1, 45)
    gamma = Fraction(rnd.choice([1, 9, 99, 999]), rnd.choice([2, 10, 100, 1000]))
    gamma = min(gamma, Fraction(999, 1000))
    rows = random_system(rnd, n, rnd.randint(1, 4), gamma)
    m = rnd.randint(1, 3)
    columns = [[rnd.randint(-10 ** rnd.randint(0, 6), 10 ** 6) for _ in range(n)]
               for _ in range(m)]
    d = rnd.randint(1, 60)
    expected = gauss_jordan(rows, columns, d)
    fast = get_backend(backend)
    lifted = fast._solve_lifted(rows, columns, d)
    assert lifted is not None, "the route should apply: G ≥ 0, rows sum below 1"
    assert lifted == expected
    # and solve_rational takes it, with the same values as the dense route
    assert fast.solve_rational(rows, columns, d) == fast._solve_dense(rows, columns, d)


def test_large_denominators_need_several_attempts(small_threshold):
    # 120 states of a random walk: denominators of hundreds of digits
    rnd = random.Random(7)
    rows = random_system(rnd, 120, 3, Fraction(97, 100))
    columns = [[rnd.randint(-5, 5) for _ in range(120)]]
    lifted = lifting.solve_lifted(rows, columns, 7)
    assert lifted == gauss_jordan(rows, columns, 7)
    assert max(x[0].denominator for x in lifted).bit_length() > 300


@pytest.mark.parametrize("rows", [
    [{0: Fraction(1, 2)}, {0: Fraction(-1, 4)}],          # a negative entry
    [{1: Fraction(1)}, {0: Fraction(1, 2)}],              # a row summing to 1 (γ = 1)
    [{0: Fraction(1, 3), 1: Fraction(2, 3)}, {1: Fraction(1, 2)}],
])
def test_route_declines_without_a_certificate(rows, small_threshold):
    assert lifting.solve_lifted(rows, [[1, 1]], 1) is None


def test_declines_a_huge_right_hand_side(small_threshold):
    # L·b past 2^40 would overflow the int64 residuals: the dense route takes it
    rows = [{1: Fraction(1, 2)}, {0: Fraction(1, 3)}]
    assert lifting.solve_lifted(rows, [[2 ** 41, 1]], 1) is None
    assert lifting.solve_lifted(rows, [[2 ** 30, 1]], 1) == gauss_jordan(rows, [[2 ** 30, 1]], 1)


def test_declines_small_systems():
    rows = [{0: Fraction(1, 2)}]
    assert lifting.solve_lifted(rows, [[1]], 1) is None  # below LIFT_MIN_STATES


def test_nearest_denominator():
    # 1/3 to 60 bits: the convergent 1/3, found within an error of 2
    t = (1 << 60) // 3
    assert lifting._nearest_denominator(t, 60, 2) == 3
    # too little precision to tell: None
    assert lifting._nearest_denominator((1 << 8) // 3, 8, 64) is None


def test_combine_joins_digits():
    import numpy as np

    digits = [np.array([1, -2]), np.array([3, 5]), np.array([-7, 0])]
    shifts = [4, 5, 6]
    X, total = lifting._combine(digits, shifts)
    assert total == 15
    # Σ x_i·2^(S − S_(i+1)): S_1 = 4, S_2 = 9, S_3 = 15
    assert X == [1 * 2 ** 11 + 3 * 2 ** 6 - 7, -2 * 2 ** 11 + 5 * 2 ** 6]


@pytest.mark.parametrize("backend", BACKENDS)
def test_numeric_backup_equals_fraction_sums(backend):
    from symbellman.linalg import solve_discounted

    rnd = random.Random(3)
    n = 25
    g = sympy.Rational(9, 10)
    P = []
    for _ in range(n):
        a, b = rnd.sample(range(n), 2)
        p = sympy.Rational(rnd.randint(1, 9), 10)
        P.append({a: p, b: 1 - p} if a != b else {a: sympy.Integer(1)})
    r = [sympy.Integer(rnd.randint(-5, 5)) for _ in range(n)]
    v = solve_discounted(P, r, g, backend=backend)
    values = [Fraction(int(v.expr(i).p), int(v.expr(i).q)) for i in range(n)]
    entries = []
    for _ in range(40):
        k = rnd.sample(range(n), 2)
        p = sympy.Rational(rnd.randint(1, 6), 7)
        entries.append([(k[0], p, sympy.Rational(rnd.randint(-9, 9), 4)),
                        (k[1], 1 - p - sympy.Rational(1, 7), sympy.Integer(2)),
                        (None, sympy.Rational(1, 7), sympy.Integer(-3))])
    q = numeric_backup(v, entries, g, get_backend(backend))
    gamma = Fraction(9, 10)
    for e, entry in enumerate(entries):
        expected = sum((Fraction(str(p)) * (Fraction(str(r)) + (gamma * values[k]
                                                                 if k is not None else 0))
                        for k, p, r in entry), Fraction(0))
        got = q.expr(e)
        assert Fraction(int(got.p), int(got.q)) == expected


def test_numeric_backup_declines_a_symbolic_discount():
    from symbellman.linalg import solve_discounted

    g = sympy.Symbol("gamma")
    v = solve_discounted([{0: sympy.Rational(1, 2)}], [sympy.Integer(1)], g)
    assert numeric_backup(v, [[(0, sympy.Integer(1), 0)]], g, get_backend("python")) is None


def test_certificate_in_integers_equals_fraction_advantages():
    # certify at a rational discount < 1 runs in integers (optimal/arrays.py); its
    # advantages and problems must be what the Bellman equation gives in Fractions
    from symbellman import load_model
    from symbellman.optimal import optimal
    from symbellman.optimal.iteration import certify

    rnd = random.Random(11)
    n = 40
    lines = ["name: sparse", "discount: 9/10", "states: [" + ", ".join(f"s{i}" for i in range(n))
             + "]", "actions:"] + [f"  s{i}: [a, b]" for i in range(n)] + ["transitions:"]
    for i in range(n):
        lines.append(f"  s{i}:")
        for a in "ab":
            j, k = rnd.sample(range(n), 2)
            p = rnd.randint(1, 9)
            lines.append(f"    {a}: [{{to: s{j}, p: {p}/10, r: {rnd.randint(-5, 5)}}}, "
                         f"{{to: s{k}, p: {10 - p}/10, r: {rnd.randint(-5, 5)}}}]")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.yaml"
        path.write_text("\n".join(lines) + "\n")
        mdp, _ = load_model(path)
    best = optimal(mdp)
    values = {s: Fraction(int(best.v_star[s].p), int(best.v_star[s].q)) for s in mdp.states}
    cert = certify(mdp, best.v_star.as_dict(), best.policy)
    assert cert.holds
    for s, a in mdp.state_action_pairs:
        q = sum(Fraction(str(o.probability)) * (Fraction(str(o.reward))
                                               + Fraction(9, 10) * values[o.next_state])
                for o in mdp.outcomes(s, a))
        assert Fraction(str(cert.advantages[s, a])) == q - values[s]
    wrong = {s: tuple(a for a in mdp.actions(s) if a not in best.policy[s]) or ("a",)
             for s in mdp.nonterminal}
    bad = certify(mdp, best.v_star.as_dict(), wrong)
    assert not bad.holds
    assert any(" is called optimal in " in p and " but loses " in p for p in bad.problems)


def test_a_zero_column_and_a_worked_example(small_threshold):
    # x0 = 1/3 + x1/2, x1 = 2/3 + x0/3 (right-hand side [1, 2]/3): x0 = 4/5, x1 = 14/15
    rows = [{1: Fraction(1, 2)}, {0: Fraction(1, 3)}]
    assert lifting.solve_lifted(rows, [[0, 0], [1, 2]], 3) == [
        [Fraction(0), Fraction(4, 5)], [Fraction(0), Fraction(14, 15)]]
