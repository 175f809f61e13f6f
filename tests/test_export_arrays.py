"""``export --to arrays``: the model as a NumPy .npz in pymdptoolbox's or QuantEcon's layout
(issue 23, item 11), and ``export --to prism`` without -o printing a valid program."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from symbellman.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STUDENT = str(EXAMPLES / "student_mdp.yaml")
ROBOT = str(EXAMPLES / "recycling_robot.yaml")


def _uniform_values(P, R, states, terminal):
    """v of the uniform policy over each state's own actions, by numpy, from the arrays
    alone (an action a state lacks has reward -inf there: QuantEcon's mark)."""
    live = [i for i, s in enumerate(states) if s not in terminal]
    n = len(live)
    P_pi, r_pi = np.zeros((n, n)), np.zeros(n)
    for row, i in enumerate(live):
        own = [a for a in range(P.shape[0]) if np.isfinite(R[i, a])]
        for a in own:
            r_pi[row] += R[i, a] / len(own)
            for col, j in enumerate(live):
                P_pi[row, col] += P[a, i, j] / len(own)
    return dict(zip([states[i] for i in live], np.linalg.solve(np.eye(n) - P_pi, r_pi)))


def test_student_mdp_as_mdptoolbox_arrays(tmp_path, capsys):
    target = tmp_path / "student.npz"
    assert main(["export", STUDENT, "--to", "arrays", "-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {target}"
    data = np.load(target)  # no pickle needed
    states, actions = list(data["states"]), list(data["actions"])
    assert data["P"].shape == (len(actions), 5, 5) and data["R"].shape == (5, len(actions))
    assert np.allclose(data["P"].sum(axis=2), 1)
    pub, c3 = actions.index("pub"), states.index("Class3")
    # the model file's 0.2, 0.4, 0.4, exactly, as text
    exact = {states[t]: Fraction(str(data["P_exact"][pub, c3, t])) for t in range(5)}
    assert exact == {"Facebook": 0, "Class1": Fraction(1, 5), "Class2": Fraction(2, 5),
                     "Class3": Fraction(2, 5), "Sleep": 0}
    assert str(data["discount_exact"]) == "1" and str(data["convention"]) == "mdptoolbox"
    # Silver, Lecture 2: the uniform policy's values at γ = 1 are -30/13, -17/13, 35/13, 96/13
    v = _uniform_values(data["P"], data["R"], states, set(data["terminal"]))
    expected = {"Facebook": -30 / 13, "Class1": -17 / 13, "Class2": 35 / 13, "Class3": 96 / 13}
    for s, value in expected.items():
        assert v[s] == pytest.approx(value, abs=1e-12)


def test_quantecon_layout_and_pymdptoolbox(tmp_path):
    target = tmp_path / "student.npz"
    assert main(["export", STUDENT, "--to", "arrays", "--convention", "quantecon",
                 "--at", "gamma=9/10", "-o", str(target)]) == 0
    data = np.load(target)
    assert data["P"].shape == (5, len(data["actions"]), 5)
    assert float(data["discount"]) == 0.9 and str(data["discount_exact"]) == "9/10"
    mdptoolbox = pytest.importorskip("mdptoolbox.mdp", reason="pymdptoolbox not installed")
    flat = tmp_path / "flat.npz"
    assert main(["export", STUDENT, "--to", "arrays", "--at", "gamma=9/10", "-o",
                 str(flat)]) == 0
    arrays = np.load(flat)
    R = np.where(np.isfinite(arrays["R"]), arrays["R"], -1e9)
    solver = mdptoolbox.PolicyIteration(arrays["P"], R, 0.9)
    solver.run()
    # v* of the Student MDP at γ = 0.9, by value iteration in numpy from the same arrays
    v = np.zeros(5)
    for _ in range(2000):
        v = np.max(R.T + 0.9 * arrays["P"] @ v, axis=0)
    assert np.allclose(solver.V, v, atol=1e-6)


def test_symbolic_values_and_a_missing_file_are_one_line_errors(tmp_path, capsys):
    assert main(["export", ROBOT, "--to", "arrays", "-o", str(tmp_path / "r.npz")]) == 2
    err = capsys.readouterr().err
    assert "--at" in err and err.count("\n") == 1 and not (tmp_path / "r.npz").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
    assert main(["export", STUDENT, "--to", "arrays"]) == 2
    assert "-o FILE.npz" in capsys.readouterr().err


def test_prism_without_output_prints_a_program_alone(capsys):
    assert main(["export", STUDENT, "--at", "gamma=9/10"]) == 0
    out = capsys.readouterr().out
    code = [line for line in out.splitlines() if line.strip() and not line.startswith("//")]
    assert code[0] == "dtmc" and code[-1] == "endrewards"   # the property is only a comment
    assert any(line.startswith("// R{") for line in out.splitlines())
