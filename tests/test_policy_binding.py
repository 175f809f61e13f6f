"""One way to bind a policy to a model: Policy.for_model checks, bound_to moves, and
with_symbolic_discount makes γ a symbol and moves the policy along."""

from __future__ import annotations

import pytest

from symbellman import Policy, solve_v
from symbellman.equations.discounted import expectation_equations, half_steps, matrix_form
from symbellman.core.errors import ModelError, PolicyError, SymbellmanError
from symbellman.model.examples import recycling_robot, student_mdp
from symbellman.solve.iterate import evaluate_policy_numeric, policy_evaluation_trace
from symbellman.model.policy import with_symbolic_discount
from symbellman.core.symbols import gamma


@pytest.mark.parametrize("build", [
    lambda mdp, pi: expectation_equations(mdp, pi),
    lambda mdp, pi: expectation_equations(mdp, pi, "q"),
    lambda mdp, pi: half_steps(mdp, pi),
    lambda mdp, pi: matrix_form(mdp, pi),
    lambda mdp, pi: evaluate_policy_numeric(mdp, pi),
    lambda mdp, pi: policy_evaluation_trace(mdp, pi, 2),
    lambda mdp, pi: solve_v(mdp, pi),
], ids=["v", "q", "halfsteps", "matrix", "numeric", "trace", "solve_v"])
def test_a_policy_for_another_model_is_rejected_everywhere(build):
    mdp = student_mdp()
    other = recycling_robot()
    with pytest.raises(ModelError, match="different model"):
        build(mdp, Policy.uniform(other))
    # the same states and actions at another discount is still another model
    with pytest.raises(ModelError, match="different model"):
        build(mdp, Policy.uniform(student_mdp(discount=gamma)))


def test_an_equal_model_is_the_same_model():
    # a second call builds an equal model: its policy is this model's policy
    system = expectation_equations(student_mdp(), Policy.uniform(student_mdp()))
    assert len(system) == 4


def test_bound_to_moves_the_weights_to_the_same_model_at_another_discount():
    mdp = student_mdp()
    pi = Policy.deterministic(mdp, {"Facebook": "quit", "Class1": "study",
                                    "Class2": "study", "Class3": "study"})
    symbolic = student_mdp(discount=gamma)
    moved = pi.bound_to(symbolic)
    assert moved.mdp is symbolic and moved.kind == "deterministic"
    assert all(moved(s) == pi(s) for s in mdp.nonterminal)
    assert pi.bound_to(mdp) is pi
    # Silver, Lecture 2: this policy's values at γ = 1 are the optimal ones, 6, 6, 8, 10 —
    # solved in γ through the moved policy, then put γ = 1
    v = solve_v(symbolic, moved)
    assert [v[s].subs(gamma, 1) for s in ("Facebook", "Class1", "Class2", "Class3")] == \
        [6, 6, 8, 10]


def test_bound_to_a_model_with_other_states_or_actions_is_an_error():
    with pytest.raises(PolicyError, match="other states"):
        Policy.uniform(student_mdp()).bound_to(recycling_robot())
    mdp = student_mdp()
    fewer = mdp.replace(actions={**{s: list(mdp.actions(s)) for s in mdp.nonterminal},
                                 "Class3": ["study", "pub"]})
    with pytest.raises(PolicyError, match="other actions") as info:
        Policy.uniform(mdp).bound_to(fewer)
    assert isinstance(info.value, SymbellmanError) and info.value.place == "policy.Class3"


def test_with_symbolic_discount():
    mdp = student_mdp()
    symbolic, pi = with_symbolic_discount(mdp, Policy.uniform(mdp))
    assert symbolic.discount == gamma and pi.mdp is symbolic
    # already symbolic: unchanged
    again, same = with_symbolic_discount(symbolic, pi)
    assert again is symbolic and same is pi
    assert with_symbolic_discount(mdp)[1] is None
