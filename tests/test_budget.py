"""Budgets before work (symbellman/solve/budget.py): the time estimate at a numeric discount
follows the route the solve will take (issue 24: the n³ estimate predated lifting).

An estimate's closeness to a measured run depends on the machine and its load, so these
tests check what does not: which route is predicted (against the solver's own choice,
observed by the route name it records), that the estimates grow with the model, and
that the lifting estimate is below the dense one where lifting runs.
"""

from __future__ import annotations

import pytest

from symbellman.solve.budget import (SECONDS_PER_CUBE, SECONDS_PER_SQUARE, BudgetError,
                               check_budget, estimate)
from symbellman.core.limits import Limits
from symbellman.model.mdp import MDP


def ring(n: int, discount="9/10", stay="2/3") -> MDP:
    """n states in a ring: each moves on with probability 1 - stay, else stays."""
    move = f"1 - {stay}" if "/" in stay else None
    return MDP([f"s{i}" for i in range(n)],
               {f"s{i}": [(f"s{(i + 1) % n}", move or "1/3", 1), (f"s{i}", stay, 0)]
                for i in range(n)}, discount=discount)


def dense_ring(n: int) -> MDP:
    """Every state reaches 17 others: past the lifting route's 16 entries a row."""
    return MDP([f"s{i}" for i in range(n)],
               {f"s{i}": [(f"s{(i + k) % n}", "1/17", k) for k in range(1, 18)]
                for i in range(n)}, discount="9/10")


def test_the_route_is_the_one_the_solver_takes(monkeypatch):
    import symbellman.linalg.lifting as lifting
    from symbellman import solve_v

    lifted = []
    original = lifting.solve_lifted

    def watched(*args, **kwargs):  # the solver's own choice: did lifting answer?
        result = original(*args, **kwargs)
        lifted.append(result is not None)
        return result

    monkeypatch.setattr(lifting, "solve_lifted", watched)
    for mdp, solver in [(ring(400), "lifting"), (ring(100), "dense"),
                        (ring(400, discount="1"), "dense"), (dense_ring(400), "dense")]:
        predicted = estimate(mdp, what=("v",)).solver
        assert predicted == solver, (len(mdp.states), mdp.discount)
        if mdp.discount != 1:  # at γ = 1 a ring that never ends has no finite values
            lifted.clear()
            solve_v(mdp)
            assert lifted and any(lifted) == (solver == "lifting"), lifted


def test_the_estimates_grow_with_the_model():
    lifted = [estimate(ring(n), what=("v",)).seconds for n in (300, 600, 1200, 5000)]
    dense = [estimate(ring(n, discount="1"), what=("v",)).seconds for n in (50, 100, 200)]
    assert lifted == sorted(lifted) and len(set(lifted)) == 4
    assert dense == sorted(dense) and len(set(dense)) == 3


def test_lifting_is_estimated_as_its_own_cost_not_the_dense_one():
    n = 5000
    e = estimate(ring(n), what=("v",))
    assert e.solver == "lifting"
    assert e.seconds == pytest.approx(SECONDS_PER_SQUARE * n ** 2)
    assert e.seconds < SECONDS_PER_CUBE * n ** 3 / 5  # 40 s against 325 s at 5,000 states


def test_a_large_lifted_solve_is_within_the_default_budget_a_dense_one_is_not():
    # 5,000 states at γ = 9/10: lifting, about 40 s (docs/performance.md measured 30-40 s)
    check_budget(ring(5000), what=("v",), limits=Limits(work_seconds=120))
    with pytest.raises(BudgetError, match="dense exact solve"):
        check_budget(dense_ring(5000), what=("v",), limits=Limits(work_seconds=120))
    with pytest.raises(BudgetError, match="exact lifting"):
        check_budget(ring(20000), what=("v",), limits=Limits(work_seconds=120,
                                                             output_mb=10**6))
