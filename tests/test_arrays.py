"""Interop with gymnasium and NumPy: exact loading, checked against NumPy computed from the raw tables."""

import warnings
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
from sympy import Rational

from symbellman import ModelError, Policy, gamma, solve_v
from symbellman.io import from_arrays, from_gymnasium
from symbellman.optimal import optimal

gym = pytest.importorskip("gymnasium")

NINE_TENTHS = Rational(9, 10)


def make(*ids, **kwargs):
    """The first of ``ids`` this gymnasium has (Taxi-v3 is deprecated in gymnasium 1.x)."""
    for env_id in ids:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                return gym.make(env_id, **kwargs)
        except gym.error.Error:
            continue
    pytest.skip(f"gymnasium has none of {ids}")


def fake_env(P):
    return SimpleNamespace(P=P)


# -- independent NumPy references, built from env.unwrapped.P alone ---------------------------
def numpy_arrays(P):
    """p(s'|s,a) with terminated transitions removed, and expected rewards r(s,a)."""
    n_states, n_actions = len(P), len(P[0])
    T = np.zeros((n_actions, n_states, n_states))
    r = np.zeros((n_actions, n_states))
    for s in P:
        for a in P[s]:
            for p, nxt, reward, terminated in P[s][a]:
                r[a, s] += p * reward
                T[a, s, nxt] += p * (1 - terminated)
    return T, r


def numpy_uniform_v(P, discount):
    """v(s) = Σ_a 1/|A| Σ p (r + γ v(s') (1 − terminated)), by numpy.linalg.solve."""
    T, r = numpy_arrays(P)
    P_pi, r_pi = T.mean(axis=0), r.mean(axis=0)
    return np.linalg.solve(np.eye(len(P)) - discount * P_pi, r_pi)


def numpy_value_iteration(P, discount, tolerance=1e-13):
    T, r = numpy_arrays(P)
    v = np.zeros(len(P))
    while True:
        new = (r + discount * T @ v).max(axis=0)
        if np.abs(new - v).max() < tolerance * (1 - discount):
            return new
        v = new


# -- FrozenLake -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lake_env():
    return gym.make("FrozenLake-v1", is_slippery=True).unwrapped


@pytest.fixture(scope="module")
def lake(lake_env):
    return from_gymnasium(lake_env, discount=NINE_TENTHS)


def test_frozen_lake_shape(lake):
    assert lake.states == (*(f"s{i}" for i in range(16)), "terminal")
    assert lake.terminal == ("terminal",)
    assert lake.actions("s0") == ("left", "down", "right", "up")
    assert lake.name == "FrozenLake-v1"


def test_frozen_lake_probabilities_are_thirds(lake, lake_env):
    # gymnasium: a slippery move goes each of 3 ways with 1/3 (stored as 0.333...37 or
    # 0.333...3); holes and the goal hold one entry of probability 1.
    for s, by_action in lake_env.P.items():
        for a, entries in by_action.items():
            action = lake.actions(f"s{s}")[a]
            unit = Rational(1, 3) if len(entries) == 3 else 1
            expected = Counter()
            for _, nxt, reward, terminated in entries:
                expected["terminal" if terminated else f"s{nxt}", reward] += unit
            got = {(o.next_state, o.reward): o.probability
                   for o in lake.outcomes(f"s{s}", action)}
            assert got == dict(expected)


def test_frozen_lake_uniform_values_match_numpy(lake, lake_env):
    v = solve_v(lake)
    reference = numpy_uniform_v(lake_env.P, 0.9)
    got = np.array([float(v[f"s{i}"]) for i in range(16)])
    assert all(v[s].is_Rational for s in lake.states)
    assert np.abs(got - reference).max() < 1e-12
    assert reference[14] > 0.1  # the check is not vacuous: the goal pays


def test_frozen_lake_optimum_matches_value_iteration(lake_env):
    best = optimal(from_gymnasium(lake_env, discount=Rational(99, 100)))
    reference = numpy_value_iteration(lake_env.P, 0.99)
    got = np.array([float(best.v_star[f"s{i}"]) for i in range(16)])
    assert np.abs(got - reference).max() < 1e-9
    assert best.certificate().holds


def test_non_slippery_frozen_lake_is_a_shortest_path():
    m = from_gymnasium(gym.make("FrozenLake-v1", is_slippery=False), discount=NINE_TENTHS)
    assert all(o.probability == 1 for s, a in m.state_action_pairs for o in m.outcomes(s, a))
    # 6 moves from the start to the goal, reward 1 on the last: γ^5
    assert optimal(m).v_star["s0"] == NINE_TENTHS ** 5


def test_wrapped_env_loads_like_unwrapped():
    wrapped = gym.make("FrozenLake-v1")
    with pytest.raises(AttributeError):
        wrapped.P  # the trap from_gymnasium looks through
    assert from_gymnasium(wrapped) == from_gymnasium(wrapped.unwrapped)


# -- Taxi -------------------------------------------------------------------------------------
def test_taxi_uniform_values_match_numpy():
    env = make("Taxi-v3", "Taxi-v4").unwrapped
    m = from_gymnasium(env, discount=NINE_TENTHS)
    assert len(m.states) == 501 and m.terminal == ("terminal",)
    assert m.actions("s0") == ("south", "north", "east", "west", "pickup", "dropoff")
    v = solve_v(m)
    reference = numpy_uniform_v(env.P, 0.9)
    got = np.array([float(v[f"s{i}"]) for i in range(500)])
    assert np.abs(got - reference).max() < 1e-9


# -- the traps, on small tables ----------------------------------------------------------------
def test_duplicates_merge_and_distinct_rewards_stay_apart():
    m = from_gymnasium(fake_env({0: {0: [(0.5, 1, 0, False), (0.25, 1, 0, False),
                                         (0.25, 1, 5, False)]},
                                 1: {0: [(1.0, 1, 0, False)]}}))
    got = {(o.next_state, o.reward): o.probability for o in m.outcomes("s0", "a0")}
    assert got == {("s1", 0): Rational(3, 4), ("s1", 5): Rational(1, 4)}
    assert m.terminal == ()  # nothing terminates: no terminal state is added


def test_terminated_goes_to_terminal_with_its_reward():
    # gymnasium ends the episode here even though next_state 0 is not absorbing
    m = from_gymnasium(fake_env({0: {0: [(1.0, 0, 3, True)]}}), discount=NINE_TENTHS)
    assert m.outcomes("s0", "a0")[0].next_state == "terminal"
    assert solve_v(m)["s0"] == 3


@pytest.mark.parametrize("entries, expected", [
    # float sum 0.1 + 0.2 + 0.7 is 1.0000000000000002; read exactly, it is 1
    ([0.1, 0.2, 0.7], [Rational(1, 10), Rational(1, 5), Rational(7, 10)]),
    # no short fraction: kept as the decimal written
    ([0.123456789, 0.876543211], [Rational(123456789, 10**9), Rational(876543211, 10**9)]),
    # one ulp off 1/3, as FrozenLake stores it
    ([0.33333333333333337, 0.3333333333333333, 0.33333333333333337], [Rational(1, 3)] * 3),
    (np.array([0.25, 0.75]), [Rational(1, 4), Rational(3, 4)]),
])
def test_probabilities_are_read_exactly(entries, expected):
    P = {0: {0: [(p, 0, 0, False) for p in entries]}}
    m = from_gymnasium(fake_env(P), max_denominator=10**6)
    # all outcomes go to s0 with reward 0, so they merge: the exact sum is what is left
    assert m.outcomes("s0", "a0")[0].probability == sum(expected) == 1


def test_probabilities_not_summing_to_one_name_the_place():
    P = {0: {0: [(1.0, 0, 0, False)]}, 1: {0: [(1.0, 1, 0, False)], 1: [(0.5, 0, 0, False),
                                                                        (0.4, 1, 0, False)]}}
    with pytest.raises(ModelError) as caught:
        from_gymnasium(fake_env(P))
    assert caught.value.place == "P[1][1]"
    assert "state 1, action 1" in str(caught.value) and "9/10" in str(caught.value)


def test_an_object_without_P_is_a_type_error():
    with pytest.raises(TypeError, match="no transition table P"):
        from_gymnasium(object())


# -- from_arrays ------------------------------------------------------------------------------
def test_two_states_by_hand():
    # stay: keep the state; move: to the other state with 9/10. Reward 1 in s1.
    P = np.array([[[1, 0], [0, 1]], [[0.1, 0.9], [0.9, 0.1]]])
    R = np.array([[0, 0], [1, 1]])
    m = from_arrays(P, R, actions=["stay", "move"], discount=Rational(1, 2))
    v = solve_v(m, Policy.deterministic(m, {"s0": "move", "s1": "stay"}))
    # v1 = 1 + v1/2 → 2;  v0 = 0 + (1/10 v0 + 9/10 v1)/2 → v0 (1 - 1/20) = 9/10 → 18/19
    assert (v["s0"], v["s1"]) == (Rational(18, 19), 2)


def test_rewards_by_next_state_and_terminal_index():
    P = np.zeros((1, 3, 3))
    P[0, 0] = [0, 0.5, 0.5]
    P[0, 1] = [0, 0, 1]
    R = np.zeros((1, 3, 3))
    R[0, 0, 1], R[0, 0, 2], R[0, 1, 2] = 2.0, -1.0, 4.0
    m = from_arrays(P, R, terminal=[2], discount=1)
    assert m.terminal == ("s2",)
    v = solve_v(m)
    # v1 = 4; v0 = 1/2 (2 + v1) + 1/2 (-1) = 5/2
    assert (v["s0"], v["s1"]) == (Rational(5, 2), 4)


def test_bad_row_names_the_place():
    P = np.array([[[0.5, 0.5], [0.3, 0.6]]])
    with pytest.raises(ModelError) as caught:
        from_arrays(P, np.zeros((2, 1)))
    assert caught.value.place == "P[0, 1]" and "9/10" in str(caught.value)


@pytest.mark.parametrize("P, R, place", [
    (np.ones((2, 2)), np.zeros((2, 1)), "P"),
    (np.ones((1, 2, 2)) / 2, np.zeros((3, 3)), "R"),
])
def test_bad_shapes(P, R, place):
    with pytest.raises(ModelError) as caught:
        from_arrays(P, R)
    assert caught.value.place == place


def test_default_discount_is_the_symbol():
    assert from_arrays(np.ones((1, 1, 1)), np.zeros((1, 1))).discount == gamma


# -- rows computed in floats, both conventions, and the way back ------------------------------
import symbellman  # noqa: E402
from symbellman.io import to_arrays  # noqa: E402


def test_top_level_names():
    assert symbellman.from_arrays is from_arrays
    assert symbellman.from_gymnasium is from_gymnasium
    assert {"from_arrays", "from_gymnasium", "to_arrays", "write_model"} <= set(symbellman.__all__)


@pytest.mark.parametrize("row, expected", [
    ([1 / 3, 1 / 3, 1 / 3], [Rational(1, 3)] * 3),
    ([0.7, 1 - 0.7, 0.0], [Rational(7, 10), Rational(3, 10), 0]),
    ([0.1, 0.2, 1 - 0.1 - 0.2], [Rational(1, 10), Rational(1, 5), Rational(7, 10)]),
])
def test_rows_computed_in_floats_are_read_as_the_fractions_they_stand_for(row, expected):
    P = np.array([[row, [0, 1, 0], [0, 0, 1]]])
    m = from_arrays(P, np.zeros((3, 1)))
    got = {o.next_state: o.probability for o in m.outcomes("s0", "a0")}
    assert [got.get(f"s{t}", 0) for t in range(3)] == expected


def test_a_float_with_no_simple_rational_is_an_error_naming_the_entry():
    P = np.array([[[0.37454011884736255, 1 - 0.37454011884736255], [0, 1]]])
    with pytest.raises(ModelError) as caught:
        from_arrays(P, np.zeros((2, 1)))
    assert caught.value.place == "P[0, 0, 0]"
    assert "max_denominator" in str(caught.value)


def test_a_larger_max_denominator_reads_finer_fractions():
    P = np.array([[[1 / 1234567, 1 - 1 / 1234567], [0, 1]]])
    m = from_arrays(P, np.zeros((2, 1)), max_denominator=10**7)
    assert m.outcomes("s0", "a0")[0].probability == Rational(1, 1234567)


def test_reward_per_state_mdptoolbox():
    # R[S]: the reward of the state the action is taken in
    P = np.array([[[0, 1], [0, 1]]])
    m = from_arrays(P, np.array([5, 0]), terminal=[], discount=Rational(1, 2))
    v = solve_v(m)
    # v1 = 0 + v1/2 → 0; v0 = 5 + v1/2 = 5
    assert (v["s0"], v["s1"]) == (5, 0)


def test_quantecon_layout_and_infeasible_actions():
    # QuantEcon's DiscreteDP: R[s, a], Q[s, a, s']; -inf marks an action s cannot take
    R = np.array([[1.0, -np.inf], [0.0, 2.0]])
    Q = np.zeros((2, 2, 2))
    Q[0, 0] = [0.5, 0.5]
    Q[0, 1] = [1, 0]           # ignored: infeasible
    Q[1, 0] = [1, 0]
    Q[1, 1] = [0, 1]
    m = from_arrays(Q, R, convention="quantecon", actions=["left", "right"], discount="9/10")
    assert m.actions("s0") == ("left",) and m.actions("s1") == ("left", "right")
    best = optimal(m)
    # by hand: in s1 "right" gives 2/(1 - 9/10) = 20; "left" 0 + 9/10 v0.
    # v0 = 1 + 9/10 (v0 + 20)/2 → v0 (1 - 9/20) = 10 → v0 = 200/11 < 20/0.9, so s1: right
    assert best.v_star["s1"] == 20 and best.v_star["s0"] == Rational(200, 11)
    with pytest.raises(ModelError) as caught:
        from_arrays(Q, np.full((2, 2), -np.inf), convention="quantecon")
    assert caught.value.place == "R[0]" and "no available action" in str(caught.value)


def test_quantecon_shapes_are_checked():
    with pytest.raises(ModelError) as caught:
        from_arrays(np.ones((2, 3, 3)) / 3, np.zeros((2, 3)), convention="quantecon")
    assert caught.value.place == "Q"
    with pytest.raises(ModelError, match="unknown array convention"):
        from_arrays(np.ones((1, 1, 1)), np.zeros((1, 1)), convention="pomdp")


def uniform_values(m):
    return solve_v(m.replace(discount=Rational(9, 10)))


@pytest.mark.parametrize("convention", ["mdptoolbox", "quantecon"])
@pytest.mark.parametrize("example", ["student_mdp", "recycling_robot", "sutton_barto_gridworld_4x4"])
def test_to_arrays_and_back(example, convention):
    from symbellman.model import examples
    m = getattr(examples, example)()
    if m.discount.free_symbols:
        m = m.replace(discount=Rational(9, 10))
    if m.symbols:
        m = m.subs({s.name: Rational(1, 2) for s in m.symbols})
    a = to_arrays(m, convention)
    back = from_arrays(a.P, a.R, convention=convention, states=a.states, actions=a.actions,
                       terminal=a.terminal, discount=a.discount, name=m.name)
    for s, act in m.state_action_pairs:
        assert back.expected_reward(s, act) == m.expected_reward(s, act)
        merged = Counter()
        for o in m.outcomes(s, act):
            merged[o.next_state] += o.probability
        assert {o.next_state: o.probability for o in back.outcomes(s, act)} == dict(merged)
    assert back.actions("s0" if "s0" in m.states else m.nonterminal[0]) \
        == m.actions("s0" if "s0" in m.states else m.nonterminal[0])


def test_to_arrays_floats_match_numpy_solve():
    from symbellman.model.examples import student_mdp
    m = student_mdp()
    a = to_arrays(m, "mdptoolbox", dtype=float)
    assert a.P.dtype == float and np.isneginf(a.R).sum() == 4 * 5 - 8  # 8 pairs of 4 states, 5 actions
    # the uniform policy by NumPy alone: average the available actions' rows
    available = ~np.isneginf(a.R)                       # (S, A)
    weights = available / available.sum(axis=1, keepdims=True)
    P_pi = np.einsum("sa,ast->st", weights, a.P)
    r_pi = np.where(available, a.R, 0).__mul__(weights).sum(axis=1)
    keep = [m.index(s) for s in m.nonterminal]
    v = np.linalg.solve(np.eye(len(keep)) - P_pi[np.ix_(keep, keep)], r_pi[keep])
    exact = solve_v(m)
    assert np.allclose(v, [float(exact[s]) for s in m.nonterminal])


def test_to_arrays_next_state_rewards():
    m = from_arrays(np.array([[[0, 0.5, 0.5], [0, 0, 1], [0, 0, 1]]]),
                    np.array([[[0, 2, -1], [0, 0, 4], [0, 0, 0]]]), terminal=[2])
    a = to_arrays(m, rewards="next_state")
    assert a.R.shape == (1, 3, 3) and (a.R[0, 0, 1], a.R[0, 0, 2], a.R[0, 1, 2]) == (2, -1, 4)
    with pytest.raises(ModelError, match="QuantEcon"):
        to_arrays(m, "quantecon", rewards="next_state")


def test_symbolic_model_to_float_arrays_is_an_error():
    from symbellman.model.examples import recycling_robot
    m = recycling_robot()
    assert to_arrays(m).P.dtype == object
    if m.symbols:
        with pytest.raises(ModelError, match="not a number"):
            to_arrays(m, dtype=float)
