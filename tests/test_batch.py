"""solve_many on a process pool and on a Dask cluster gives what solving one by one gives."""

from __future__ import annotations

import random
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from sympy import Rational

from symbellman import ModelError, Policy, from_arrays, solve_v
from symbellman.batch import solve_many, solve_one
from symbellman.model.examples import student_mdp, student_mrp

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def random_mdp(seed: int, states: int = 4, actions: int = 2):
    """A random MDP with exact rational probabilities (denominators up to 12)."""
    rng = random.Random(seed)
    P = np.empty((actions, states, states), dtype=object)
    for a in range(actions):
        for s in range(states):
            weights = [rng.randint(0, 4) for _ in range(states)]
            weights[rng.randrange(states)] += 1
            P[a, s] = [Fraction(w, sum(weights)) for w in weights]
    R = np.array([[Fraction(rng.randint(-5, 5)) for _ in range(actions)]
                  for _ in range(states)], dtype=object)
    return from_arrays(P, R, discount=Rational(9, 10), name=f"random {seed}")


def numpy_uniform_values(mdp):
    """v of the uniform policy by numpy.linalg.solve, from the model's numbers alone."""
    n = len(mdp.states)
    P, r = np.zeros((n, n)), np.zeros(n)
    for s in mdp.states:
        acts = mdp.actions(s)
        for a in acts:
            for o in mdp.outcomes(s, a):
                P[mdp.index(s), mdp.index(o.next_state)] += float(o.probability) / len(acts)
                r[mdp.index(s)] += float(o.probability * o.reward) / len(acts)
    return np.linalg.solve(np.eye(n) - float(mdp.discount) * P, r)


MODELS = [random_mdp(seed) for seed in range(12)]


def check(results):
    assert [r["model"] for r in results] == [m.name for m in MODELS]
    for mdp, result in zip(MODELS, results):
        exact = [float(Rational(result["v"][s])) for s in mdp.states]
        assert np.allclose(exact, numpy_uniform_values(mdp), rtol=1e-12, atol=1e-12)


def test_in_this_process():
    check(solve_many(MODELS))


def test_on_a_process_pool():
    with ProcessPoolExecutor(2) as pool:
        check(solve_many(MODELS, pool))


def test_on_a_dask_cluster():
    distributed = pytest.importorskip("distributed", reason="Dask is the 'dask' extra")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        check(solve_many(MODELS, client.get_executor()))


def test_files_and_policies_and_values():
    mdp = student_mdp()
    choice = {"Facebook": "quit", "Class1": "study", "Class2": "study", "Class3": "study"}
    results = solve_many([EXAMPLES / "student_mdp.yaml",
                          (mdp, Policy.deterministic(mdp, choice)), student_mrp()],
                         at={"gamma": "1"})
    # Silver, Lecture 2: uniform policy, γ = 1: v(Facebook) = -2.3 = -30/13
    assert results[0]["v"]["Facebook"] == "-30/13"
    assert results[0]["source"].endswith("student_mdp.yaml")
    # studying all the way: Class1 → -2 -2 +10 = 6 (Silver's optimal values)
    assert results[1]["v"]["Class1"] == "6"
    assert results[2]["v"]["Class1"] == str(solve_v(student_mrp(discount=1))["Class1"])


def test_errors_raise_or_come_back_as_data(tmp_path):
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ModelError, match="no such file"):
        solve_many([missing])
    assert "no such file" in solve_many([missing], errors="return")[0]["error"]
    with pytest.raises(TypeError):
        solve_one(42)
