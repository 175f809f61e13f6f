"""``check``: every named mistake diagnosed on the Student MDP and the 4 × 4 gridworld.

Each mistaken answer is built here, independently of symbellman: the two models are
written out as tables (David Silver's Student MDP, RL course Lecture 2; Sutton & Barto's
gridworld, Example 4.1, made from its rules), and the values come from exact Gaussian
elimination and policy iteration over Python Fractions. The answer is then handed to
``check`` as a student's file would be, and the test reads the mistake id and message.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from symbellman import check
from symbellman.cli import main
from symbellman.io import load_model

ROOT = Path(__file__).resolve().parent.parent
STUDENT_FILE = ROOT / "examples" / "student_mdp.yaml"
GRID_FILE = ROOT / "examples" / "gridworld_4x4.yaml"
GAMMA = F(9, 10)

# David Silver, RL course (2015), Lecture 2, "Example: Student MDP": (s, a) -> [(s', p, r)]
STUDENT = {
    "Facebook": {"facebook": [("Facebook", 1, -1)], "quit": [("Class1", 1, 0)]},
    "Class1": {"facebook": [("Facebook", 1, -1)], "study": [("Class2", 1, -2)]},
    "Class2": {"sleep": [("Sleep", 1, 0)], "study": [("Class3", 1, -2)]},
    "Class3": {"study": [("Sleep", 1, 10)],
               "pub": [("Class1", F(1, 5), 1), ("Class2", F(2, 5), 1), ("Class3", F(2, 5), 1)]},
}


def _gridworld() -> dict:
    """Sutton & Barto, Example 4.1: cells 0..15, 0 and 15 terminal, -1 a move, walls stay."""
    name = {0: "T0", 15: "T15", **{k: f"s{k}" for k in range(1, 15)}}
    moves = {"up": (-1, 0), "down": (1, 0), "right": (0, 1), "left": (0, -1)}
    table = {}
    for k in range(1, 15):
        row, col = divmod(k, 4)
        table[name[k]] = {}
        for action, (dr, dc) in moves.items():
            r, c = row + dr, col + dc
            target = r * 4 + c if 0 <= r < 4 and 0 <= c < 4 else k
            table[name[k]][action] = [(name[target], 1, -1)]
    return table


GRID = _gridworld()
MODELS = {"student": (STUDENT_FILE, STUDENT), "grid": (GRID_FILE, GRID)}


# -- exact reference values, by Fractions ------------------------------------------------
def uniform(table) -> dict:
    return {s: {a: F(1, len(acts)) for a in acts} for s, acts in table.items()}


def solve(matrix, rhs) -> list:
    """Gauss-Jordan elimination over Fractions."""
    n = len(rhs)
    m = [row[:] + [b] for row, b in zip(matrix, rhs)]
    for i in range(n):
        pivot = next(r for r in range(i, n) if m[r][i] != 0)
        m[i], m[pivot] = m[pivot], m[i]
        for r in range(n):
            if r != i and m[r][i] != 0:
                factor = m[r][i] / m[i][i]
                m[r] = [x - factor * y for x, y in zip(m[r], m[i])]
    return [m[i][n] / m[i][i] for i in range(n)]


def reward_of(r, s, a, nxt):
    return F(r)


def evaluate(table, policy, gamma, reward=reward_of, terminal=None) -> dict:
    """v_π with v(T) = terminal.get(T, 0) at the terminal states."""
    terminal = terminal or {}
    states = list(table)
    index = {s: i for i, s in enumerate(states)}
    matrix = [[F(int(i == j)) for j in range(len(states))] for i in range(len(states))]
    rhs = [F(0)] * len(states)
    for s in states:
        for a, w in policy[s].items():
            for nxt, p, r in table[s][a]:
                rhs[index[s]] += w * p * (reward(r, s, a, nxt) + gamma * terminal.get(nxt, 0))
                if nxt in index:
                    matrix[index[s]][index[nxt]] -= w * p * gamma
    return dict(zip(states, solve(matrix, rhs)))


def q_values(table, v, gamma, reward=reward_of) -> dict:
    return {(s, a): sum(F(p) * (reward(r, s, a, nxt) + gamma * v.get(nxt, 0))
                        for nxt, p, r in outcomes)
            for s, acts in table.items() for a, outcomes in acts.items()}


def optimum(table, gamma) -> tuple[dict, dict]:
    """v* and every optimal action, by exact policy iteration (γ < 1)."""
    choice = {s: next(iter(acts)) for s, acts in table.items()}
    while True:
        v = evaluate(table, {s: {a: 1} for s, a in choice.items()}, gamma)
        q = q_values(table, v, gamma)
        changed = False
        for s, acts in table.items():
            best = max(q[s, a] for a in acts)
            if q[s, choice[s]] < best:
                choice[s] = next(a for a in acts if q[s, a] == best)
                changed = True
        if not changed:
            return v, {s: [a for a in acts if q[s, a] == v[s]] for s, acts in table.items()}


def greedy(table, v, gamma) -> dict:
    q = q_values(table, v, gamma)
    out = {}
    for s, acts in table.items():
        best = max(q[s, a] for a in acts)
        ties = [a for a in acts if q[s, a] == best]
        out[s] = {a: F(1, len(ties)) for a in ties}
    return out


def text(values: dict) -> dict:
    return {s: str(x) for s, x in values.items()}


def run(model: str, answers: dict):
    path, _ = MODELS[model]
    mdp, policy = load_model(path)
    return check(mdp, {"at": {"gamma": "9/10"}, **answers}, policy)


# -- each mistake, on both models ----------------------------------------------------------
def state_reward(table):
    # each reward taken as the reward of the state reached: that state's rewards averaged
    # over its actions, 0 at a terminal state
    own = {s: sum(sum(F(p) * r for _, p, r in outcomes) for outcomes in acts.values())
           / len(acts) for s, acts in table.items()}
    return lambda r, s, a, nxt: own.get(nxt, F(0))


def mistaken(model: str, mistake: str) -> tuple[dict, str]:
    """(answers, the expected message) for ``mistake`` on ``model``, computed here."""
    _, table = MODELS[model]
    pi = uniform(table)
    if mistake == "optimal-instead":
        v_star, _ = optimum(table, GAMMA)
        return {"v": text(v_star)}, ("These are the optimal values, but the values of the "
                                     "policy were asked for.")
    if mistake == "policy-instead":
        return {"v_star": text(evaluate(table, pi, GAMMA))}, (
            "These are the values of the policy, but the optimal values were asked for.")
    if mistake == "no-discount":
        return {"v": text(evaluate(table, pi, F(1)))}, (
            "The discount was left out: these are the values at discount 1, not at discount "
            "9/10.")
    if mistake == "double-discount":
        return {"v": text(evaluate(table, pi, GAMMA ** 2))}, (
            "The discount was applied twice: these are the values at discount 81/100, not at "
            "9/10.")
    if mistake == "state-reward":
        return {"v": text(evaluate(table, pi, GAMMA, reward=state_reward(table)))}, (
            "Each reward was taken as a reward r(s') of the state reached (the average of its "
            "own rewards, 0 at a terminal state) instead of r(s, a, s').")
    if mistake == "terminal-nonzero":
        end = "Sleep" if model == "student" else "T0"
        values = evaluate(table, pi, GAMMA, terminal={end: F(5)})
        return {"v": {**text(values), end: "5"}}, (
            f"A terminal state's value is 0, but 5 was used for {end}.")
    if mistake == "one-sweep":
        one = {s: sum(w * sum(F(p) * r for _, p, r in table[s][a]) for a, w in pi[s].items())
               for s in table}
        return {"v": text(one)}, ("These are the values after one synchronous sweep from "
                                  "zero, not the fixed point of the Bellman equation.")
    raise AssertionError(mistake)


MISTAKES = ["optimal-instead", "policy-instead", "no-discount", "double-discount",
            "state-reward", "terminal-nonzero", "one-sweep"]


@pytest.mark.parametrize("model", ["student", "grid"])
@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_is_named(model, mistake):
    answers, message = mistaken(model, mistake)
    result = run(model, answers)
    wrong = [e for e in result.entries if not e.ok]
    assert wrong and not result.passed
    for entry in wrong:
        assert entry.mistake == mistake, (entry.name, entry.mistake)
        assert message in entry.explanation
    # every value of the answer that is right anyway is counted right
    assert result.right + result.wrong == len(result.entries)


def test_the_grid_no_discount_answer_is_figure_4_1():
    # Sutton & Barto, Figure 4.1 (k = ∞): the random policy's values at γ = 1
    answers, _ = mistaken("grid", "no-discount")
    assert [F(answers["v"][s]) for s in ("s1", "s2", "s3", "s5", "s6")] == [-14, -20, -22,
                                                                           -18, -20]


@pytest.mark.parametrize("model", ["student", "grid"])
def test_values_of_another_policy(model):
    # asked for a deterministic policy's values, the student gave the model's (uniform) ones
    _, table = MODELS[model]
    given = {s: next(iter(acts)) for s, acts in table.items()}
    values = evaluate(table, uniform(table), GAMMA)
    result = run(model, {"policy_given": given, "v": text(values)})
    wrong = [e for e in result.entries if not e.ok]
    assert wrong
    for entry in wrong:
        assert entry.mistake == "other-policy"
        assert ("These are the values of another policy (the uniform random policy), not of "
                "the policy asked for.") in entry.explanation


def test_values_of_the_greedy_policy():
    # the gridworld's "always up" policy; the student evaluated its greedy policy instead
    table = GRID
    up = {s: {"up": F(1)} for s in table}
    improved = greedy(table, evaluate(table, up, GAMMA), GAMMA)
    values = evaluate(table, improved, GAMMA)
    v_star, _ = optimum(table, GAMMA)
    assert values != v_star  # not the optimal values: another mistake would name those
    result = run("grid", {"policy_given": {s: "up" for s in table}, "v": text(values)})
    wrong = [e for e in result.entries if not e.ok]
    assert wrong
    for entry in wrong:
        assert entry.mistake == "other-policy"
        assert "another policy (the greedy policy of the values asked for)" in entry.explanation


@pytest.mark.parametrize("model, gamma", [("student", F(1, 5)), ("grid", GAMMA)])
def test_a_missed_tie(model, gamma):
    # Student MDP at γ = 1/5: in Class2 sleeping (0) and studying (-2 + γ·10) tie
    _, table = MODELS[model]
    _, actions = optimum(table, gamma)
    tied = next(s for s, acts in actions.items() if len(acts) > 1)
    kept, left_out = actions[tied][0], actions[tied][1:]
    path, _ = MODELS[model]
    mdp, policy = load_model(path)
    result = check(mdp, {"at": {"gamma": str(gamma)}, "optimal_actions": {tied: [kept]},
                         "v_star": {tied: str(optimum(table, gamma)[0][tied])}}, policy)
    (actions_entry,) = [e for e in result.entries if e.key == "optimal_actions"]
    assert not actions_entry.ok and actions_entry.mistake == "missed-tie"
    assert (f"The optimal action {', '.join(left_out)} was left out: it attains the maximum "
            "too.") in actions_entry.explanation
    assert [e.ok for e in result.entries if e.key == "v_star"] == [True]


def test_a_wrong_entry_shows_its_equation_and_residual():
    # v(Class2) = 1/2·(0 + γ·0) + 1/2·(-2 + γ·v(Class3)); with the student's v(Class3) = 7
    # at γ = 9/10 that is 1/2·(-2 + 63/10) = 43/20, and the student wrote 2
    result = run("student", {"v": {"Class3": "7", "Class2": "2"}})
    entry = next(e for e in result.entries if e.state == "Class2")
    assert not entry.ok and entry.mistake is None
    assert ("v(Class2) = 1/2·(0 + 9/10·v(Sleep)) + 1/2·(-2 + 9/10·v(Class3)) = "
            "1/2·(0 + 9/10·0) + 1/2·(-2 + 9/10·7) = 43/20") in entry.explanation
    assert "the residual (right side minus left side) is 3/20." in entry.explanation


def test_decimals_within_the_tolerance_and_exact_values_exactly():
    exact = evaluate(STUDENT, uniform(STUDENT), GAMMA)["Class1"]
    near = f"{float(exact):.3f}"
    assert run("student", {"v": {"Class1": near}}).passed
    assert not run("student", {"v": {"Class1": f"{float(exact) + 0.01:.3f}"}}).passed
    assert run("student", {"v": {"Class1": near}, "tolerance": "0.0000001"}).wrong == 1
    # an exact fraction is compared exactly: one off in the last place is wrong
    assert run("student", {"v": {"Class1": str(exact)}}).passed
    assert not run("student", {"v": {"Class1": str(exact + F(1, 10**9))}}).passed


def test_closed_forms_in_gamma_are_compared_as_rational_functions():
    import sympy

    from symbellman.model.examples import student_mdp
    from symbellman.core.symbols import gamma

    # v = (I - γP)^{-1} r by SymPy's own matrix inverse, for the uniform policy
    g = sympy.Symbol("gamma")
    states = list(STUDENT)
    pi = uniform(STUDENT)
    P = sympy.zeros(4, 4)
    r = sympy.zeros(4, 1)
    for i, s in enumerate(states):
        for a, w in pi[s].items():
            for nxt, p, rew in STUDENT[s][a]:
                r[i] += sympy.Rational(w) * sympy.Rational(p) * rew
                if nxt in states:
                    P[i, states.index(nxt)] += sympy.Rational(w) * sympy.Rational(p)
    v = (sympy.eye(4) - g * P).inv() * r
    form = sympy.factor(v[0])
    scaled = f"({sympy.numer(form) * 3}) / ({sympy.denom(form) * 3})"  # same function
    mdp = student_mdp(discount=gamma)
    assert check(mdp, {"v": {"Facebook": str(scaled)}}).passed
    result = check(mdp, {"v": {"Facebook": str(form.subs(g, g ** 2))}})
    assert result.entries[0].mistake == "double-discount"
    assert check(mdp, {"v": {"Facebook": "-2.3"}}).entries[0].explanation == \
        "A closed form in gamma was expected, not a number."


def test_breakpoints():
    # Sutton & Barto, Exercise 3.22: left is optimal below γ = 1/2, right above
    mdp, policy = load_model(ROOT / "examples" / "exercise_3_22.yaml")
    assert check(mdp, {"breakpoints": ["1/2"]}, policy).passed
    assert check(mdp, {"breakpoints": [0.501]}, policy).passed
    assert not check(mdp, {"breakpoints": [0.6]}, policy).passed


# -- the command line ----------------------------------------------------------------------
def write(tmp_path, name, content) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_exit_statuses_and_json(tmp_path, capsys):
    values = evaluate(STUDENT, uniform(STUDENT), F(1))
    right = write(tmp_path, "right.json", json.dumps({"v": text(values)}))
    assert main(["check", str(STUDENT_FILE), right]) == 0
    assert "4 right, 0 wrong" in capsys.readouterr().out
    wrong = write(tmp_path, "wrong.yaml", "v: {Class1: -1.31, Class2: 3}\n")
    assert main(["check", str(STUDENT_FILE), wrong, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["right"], out["wrong"]) == (1, 1)
    entry = out["entries"][1]
    assert set(entry) == {"key", "state", "action", "given", "expected", "ok", "mistake",
                          "explanation"}
    # Silver, Lecture 2: v(Class2) = 2.7 under the uniform policy at γ = 1 (exactly 35/13)
    assert (entry["key"], entry["state"], entry["action"], entry["given"], entry["ok"]) == \
        ("v", "Class2", None, "3", False)
    assert F(entry["expected"]) == values["Class2"] == F(35, 13)


@pytest.mark.parametrize("content, place", [
    ("v: {Class9: 1}\n", "v.Class9: unknown state 'Class9'"),
    ("v: {Class1: [1]}\n", "v.Class1: expected a number or an expression"),
    ("q: {Class1: {pub: 1}}\n", "q.Class1.pub: 'pub' is not an action of state 'Class1'"),
    ("v: {Class1: __import__('os')}\n", "v.Class1: unexpected character"),
    ("v: {Class1: 1}\nv: {Class2: 1}\n", "duplicate key 'v'"),
    ("vv: {Class1: 1}\n", "unknown key 'vv' (did you mean 'v'?)"),
    ("at: {gama: 1/2}\nv: {Class1: 1}\n", "at.gama: unknown name 'gama'"),
    ("v: {Class1: 1}\ntolerance: -1\n", "tolerance: expected a number at least 0"),
    ("policy_given: {Class1: pub}\nv: {Class1: 1}\n", "policy_given"),
    ("", "the file is empty"),
    ("format: 2\nv: {Class1: 1}\n", "format: format version '2' is not supported"),
    ("student: Ada\n", "the file holds no answers"),
])
def test_a_bad_answer_file_is_a_located_one_line_error(tmp_path, capsys, content, place):
    path = write(tmp_path, "answers.yaml", content)
    assert main(["check", str(STUDENT_FILE), path]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"symbellman: error: {path}: ")
    assert place in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_python_api_displays_in_jupyter():
    result = run("student", {"v": {"Class1": "0"}})
    assert "<table>" in result._repr_html_() and "v(Class1)" in result._repr_html_()
    assert result._repr_latex_().startswith("$\\begin{array}")
    with pytest.raises(Exception):
        result.entries = ()  # frozen


def test_a_markov_reward_process():
    # David Silver, Lecture 2, "State-Value Function for Student MRP (2)": γ = 0.9,
    # v = -5.0, 0.9, 4.1, -7.6 for C1, C2, C3, FB (one decimal: tolerance 0.05)
    mdp, _ = load_model(ROOT / "examples" / "student_mrp.yaml")
    answers = {"at": {"gamma": "0.9"}, "tolerance": "0.05",
               "v": {"Class1": "-5.0", "Class2": "0.9", "Class3": "4.1", "Facebook": "-7.6"}}
    assert check(mdp, answers).passed
    # the exact -5 is compared exactly (v(Class1) is -17573620/3505799)
    assert not check(mdp, {**answers, "v": {"Class1": "-5"}}).passed


@pytest.mark.parametrize("model", ["student", "grid"])
@pytest.mark.parametrize("mistake", ["optimal-instead", "double-discount", "one-sweep"])
def test_mistakes_in_action_values(model, mistake):
    _, table = MODELS[model]
    pi = uniform(table)
    if mistake == "optimal-instead":
        v_star, _ = optimum(table, GAMMA)
        q = q_values(table, v_star, GAMMA)
    elif mistake == "double-discount":
        q = q_values(table, evaluate(table, pi, GAMMA ** 2), GAMMA ** 2)
    else:  # one sweep from q = 0: the expected rewards
        q = q_values(table, {}, GAMMA)
    answers = {"q": {s: {a: str(q[s, a]) for a in acts} for s, acts in table.items()}}
    result = run(model, answers)
    wrong = [e for e in result.entries if not e.ok]
    assert wrong
    assert {e.mistake for e in wrong} == {mistake}
    for e in wrong:  # q(s, a) = Σ p (r + γ v(s')), the student's q's giving v(s')
        assert f"The Bellman equation of {e.name} with these numbers put in: {e.name} = " \
            in e.explanation


def test_a_value_that_does_not_exist_at_discount_1():
    # "always up" on the gridworld at γ = 1: s1 bumps into the wall forever (-1 a step),
    # while s4 steps up into T0 (-1) and s8 up into s4 (-2)
    mdp, policy = load_model(GRID_FILE)
    up = {s: "up" for s in GRID}
    result = check(mdp, {"policy_given": up, "v": {"s1": "-100", "s4": "-1", "s8": "-2"}},
                   policy)
    assert [e.ok for e in result.entries] == [False, True, True]
    assert result.entries[0].explanation == (
        "v(s1) has no value at discount 1: from s1 the process may reach a cycle that earns "
        "something and never ends.")


def test_a_100_state_model_is_checked_in_seconds(tmp_path):
    import numpy as np

    from benchmarks.models import gridworld_yaml
    from cpu_time import cpu_seconds

    path = tmp_path / "grid10.yaml"
    path.write_text(gridworld_yaml(10, 10))  # Sutton & Barto's Example 3.5 rules, 10 x 10
    mdp, policy = load_model(path)
    states = list(mdp.nonterminal)
    index = {s: i for i, s in enumerate(states)}
    P, r = np.zeros((100, 100)), np.zeros(100)
    for s in states:
        for a in mdp.actions(s):
            for o in mdp.outcomes(s, a):
                r[index[s]] += float(o.reward) / len(mdp.actions(s))
                P[index[s], index[o.next_state]] += 1 / len(mdp.actions(s))

    def values(gamma):
        v = np.linalg.solve(np.eye(100) - gamma * P, r)
        return {s: f"{v[index[s]]:.6f}" for s in states}

    start = cpu_seconds()
    assert check(mdp, {"at": {"gamma": "9/10"}, "v": values(0.9)}, policy).passed
    twice = check(mdp, {"at": {"gamma": "9/10"}, "v": values(0.81)}, policy)
    assert twice.wrong and {e.mistake for e in twice.entries if not e.ok} == {"double-discount"}
    # a closed form in γ of the same model: a wrong constant is answered without cancel()
    assert not check(mdp, {"v": {"r0c0": "1/(1 - gamma)"}}, policy).passed
    assert cpu_seconds() - start <= 10
