"""The criteria keys of a model file (horizon, average reward, features, ...): read, checked,
kept on the MDP and written back.

Expected values are the numbers written in the files (read exactly) and the spec's rules
("Other criteria" and "Checks made when a model is read" in the model-file spec).
"""

from __future__ import annotations

import pytest
from sympy import Integer, Rational, Symbol

from symbellman import MDP, ModelError, Policy
from symbellman.model.criteria import Criteria, FiniteHorizon
from symbellman.io import load_model, read_model, write_model
from symbellman.io.model_files import parse_model_text

BASE = """\
name: two states
symbols: [c]
states: [s1, s2, End]
terminal: [End]
actions: {s1: [a11, a12], s2: [a21, a22]}
transitions:
  s1:
    a11: [{to: s1, p: 0.5, r: 5}, {to: s2, p: 0.5, r: 5}]
    a12: {to: s2, r: 10}
  s2:
    a21: {to: s2, r: -1}
    a22: {to: End, r: c}
"""

FULL = BASE + """\
horizon: 3
terminal_reward: {s1: 1/2, s2: c}
criterion: discounted
features: {s1: [1, 0.5], s2: [0, 2*c]}
feature_names: [u, v]
distribution: behavior
start: {s1: 1/4, s2: 3/4}
behavior: {s1: {a11: 1/4, a12: 3/4}, s2: a21}
lang: zh
"""


def load(tmp_path, text: str, name: str = "m.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_model(path)


def test_every_key_is_read_exactly(tmp_path):
    mdp, _ = load(tmp_path, FULL)
    criteria = mdp.criteria
    c = Symbol("c")
    assert criteria.kind == "finite-horizon" and criteria.horizon == 3
    assert dict(criteria.finite_horizon.terminal_reward) == {"s1": Rational(1, 2), "s2": c}
    assert criteria.finite_horizon.v0("End") == 0
    projection = criteria.projection
    assert dict(projection.features) == {"s1": (1, Rational(1, 2)), "s2": (0, 2 * c)}
    assert projection.feature_names == ("u", "v")
    assert projection.distribution == "behavior"
    assert dict(projection.start) == {"s1": Rational(1, 4), "s2": Rational(3, 4)}
    assert criteria.lang == "zh"
    behavior = Policy.from_spec(mdp, projection.behavior)
    assert behavior("s1") == {"a11": Rational(1, 4), "a12": Rational(3, 4)}
    assert behavior("s2") == {"a21": 1, "a22": 0}


def test_a_file_without_the_keys_has_the_default_record(tmp_path):
    mdp, _ = load(tmp_path, BASE)
    assert mdp.criteria == Criteria()
    assert mdp.criteria.kind == "discounted" and not mdp.criteria
    assert mdp.criteria.horizon is None and mdp.criteria.projection is None


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_write_model_round_trips_every_key(tmp_path, fmt):
    mdp, policy = load(tmp_path, FULL)
    text = write_model(mdp, policy, fmt)
    again, _ = read_model(parse_model_text(text, "." + fmt))
    assert again == mdp
    assert again.criteria == mdp.criteria
    assert again.criteria.as_data() == mdp.criteria.as_data()
    # 'criterion: discounted' was written, so it is written back
    assert "criterion" in again.criteria.as_data()


def test_explicit_distribution_is_normalised(tmp_path):
    mdp, _ = load(tmp_path, BASE + "features: {s1: [1], s2: [2]}\n"
                                   "distribution: {s1: 3, s2: 1}\n")
    assert mdp.criteria.projection.weights() == {"s1": Rational(3, 4), "s2": Rational(1, 4)}
    assert mdp.criteria.projection.feature_names == ("w1",)


def test_subs_puts_values_into_the_criteria(tmp_path):
    mdp, _ = load(tmp_path, FULL)
    fixed = mdp.subs({"c": 3})
    assert fixed.criteria.finite_horizon.v0("s2") == 3
    assert fixed.criteria.projection.features["s2"] == (0, 6)


def test_cli_style_overrides():
    mdp = MDP(["a"], {"a": [("a", 1, 1)]}, criteria={"horizon": 2,
                                                    "terminal_reward": {"a": 7}})
    longer = mdp.criteria.with_horizon(5)
    assert longer.horizon == 5 and longer.finite_horizon.v0("a") == 7
    average = mdp.criteria.with_criterion("average")
    assert average.kind == "average" and average.horizon is None
    assert mdp.replace(criteria=average).criteria.kind == "average"


def test_finite_horizon_epochs_count_forward():
    # k decisions to go is epoch H - k + 1 (Puterman's t; N = H + 1 epochs in all)
    assert [FiniteHorizon(4).epoch(k) for k in (4, 3, 2, 1)] == [1, 2, 3, 4]


BAD = [
    # (id, added YAML, expected piece of the message, expected place)
    ("horizon zero", "horizon: 0\n", "positive integer, found 0", "horizon"),
    ("horizon fraction", "horizon: 1/2\n", "positive integer", "horizon"),
    ("horizon huge", "horizon: 1000000\n", "longer than 10,000", "horizon"),
    ("horizon and average", "horizon: 3\ncriterion: average\n", "two different problems",
     "criterion"),
    ("unknown criterion", "criterion: averge\n", "did you mean 'average'", "criterion"),
    ("terminal reward without horizon", "terminal_reward: {s1: 1}\n",
     "needs a finite horizon", "terminal_reward"),
    ("terminal reward unknown state", "horizon: 2\nterminal_reward: {s3: 1}\n",
     "unknown state 's3'", "terminal_reward.s3"),
    ("terminal reward of a terminal state", "horizon: 2\nterminal_reward: {End: 1}\n",
     "terminal state 'End'", "terminal_reward.End"),
    ("terminal reward undeclared name", "horizon: 2\nterminal_reward: {s1: d}\n",
     "unknown name 'd'", "terminal_reward.s1"),
    ("terminal reward with gamma", "horizon: 2\nterminal_reward: {s1: gamma}\n",
     "unknown name 'gamma'", "terminal_reward.s1"),
    ("ragged features", "features: {s1: [1, 2], s2: [1]}\n",
     "'s2' has 1 features, 's1' has 2", "features.s2"),
    ("missing features", "features: {s1: [1]}\n", "state 's2' has no features", "features"),
    ("features of a terminal", "features: {s1: [1], s2: [1], End: [0]}\n",
     "terminal state 'End'", "features.End"),
    ("feature not a list", "features: {s1: 1, s2: [1]}\n", "non-empty list",
     "features.s1"),
    ("feature a map", "features: {s1: [{a: 1}], s2: [1]}\n", "found a map",
     "features.s1[0]"),
    ("names without features", "feature_names: [u]\n", "needs features", "feature_names"),
    ("wrong number of names", "features: {s1: [1], s2: [2]}\nfeature_names: [u, v]\n",
     "2 names for 1 features", "feature_names"),
    ("repeated names", "features: {s1: [1, 1], s2: [2, 2]}\nfeature_names: [u, u]\n",
     "named twice", "feature_names[1]"),
    ("unknown distribution", "features: {s1: [1], s2: [2]}\ndistribution: on policy\n",
     "did you mean 'on-policy'", "distribution"),
    ("negative weight", "features: {s1: [1], s2: [2]}\ndistribution: {s1: -1, s2: 2}\n",
     "negative", "distribution.s1"),
    ("zero weights", "features: {s1: [1], s2: [2]}\ndistribution: {s1: 0, s2: 0}\n",
     "every weight is 0", "distribution"),
    ("start not summing to 1", "features: {s1: [1], s2: [2]}\nstart: {s1: 1/2}\n",
     "sum to 1/2, not 1", "start"),
    ("behavior without distribution", "features: {s1: [1], s2: [2]}\nbehavior: uniform\n",
     "not 'behavior'", "behavior"),
    ("distribution behavior without behavior",
     "features: {s1: [1], s2: [2]}\ndistribution: behavior\n",
     "needs a behaviour policy", "distribution"),
    ("behavior unknown action",
     "features: {s1: [1], s2: [2]}\ndistribution: behavior\nbehavior: {s1: a13, s2: a21}\n",
     "'a13' is not an action of state 's1' (did you mean", "behavior.s1"),
    ("behavior weights", "features: {s1: [1], s2: [2]}\ndistribution: behavior\n"
                         "behavior: {s1: {a11: 1/3, a12: 1/3}, s2: a21}\n",
     "sum to 2/3, not 1", "behavior.s1"),
    ("behavior missing a state", "features: {s1: [1], s2: [2]}\ndistribution: behavior\n"
                                 "behavior: {s1: a11}\n",
     "no actions given for state 's2'", "behavior"),
    ("bad language", "lang: english!\n", "not a language tag", "lang"),
    ("empty horizon", "horizon:\n", "no value given", "horizon"),
    ("misspelt key", "horizons: 3\n", "did you mean 'horizon'", None),
]


@pytest.mark.parametrize("added, message, place", [case[1:] for case in BAD],
                         ids=[case[0] for case in BAD])
def test_bad_criteria_keys(tmp_path, added, message, place):
    with pytest.raises(ModelError) as caught:
        load(tmp_path, BASE + added)
    line = str(caught.value)
    assert message in line
    assert caught.value.place == place
    assert line.startswith(str(tmp_path / "m.yaml") + ": ")
    assert "\n" not in line


def test_horizon_as_json_and_toml_numbers(tmp_path):
    json_text = ('{"states": ["a"], "transitions": {"a": [{"to": "a", "r": 1}]}, '
                 '"horizon": 4, "criterion": "discounted"}')
    assert load(tmp_path, json_text, "m.json")[0].criteria.horizon == 4
    toml_text = 'states = ["a"]\nhorizon = 4\n[transitions]\na = [{to = "a", r = 1}]\n'
    assert load(tmp_path, toml_text, "m.toml")[0].criteria.horizon == 4
    with pytest.raises(ModelError, match="positive integer"):
        load(tmp_path, json_text.replace('"horizon": 4', '"horizon": 2.5'), "m.json")


def test_markov_reward_process_has_no_behaviour_policy():
    with pytest.raises(ModelError, match="no actions to choose") as caught:
        MDP(["a"], {"a": [("a", 1, 1)]},
            criteria={"features": {"a": [1]}, "distribution": "behavior",
                      "behavior": "uniform"})
    assert caught.value.place == "behavior"


def test_python_expressions_with_unknown_symbols_are_refused():
    with pytest.raises(ModelError, match="'z' is not a symbol of the model"):
        MDP(["a"], {"a": [("a", 1, 1)]},
            criteria={"features": {"a": [Symbol("z")]}})
    ok = MDP(["a"], {"a": [("a", 1, "z")]}, symbols=["z"],
             criteria={"features": {"a": [Symbol("z")]}})
    assert ok.criteria.projection.features["a"] == (Symbol("z"),)
    assert ok.criteria.projection.features["a"][0] * 0 == Integer(0)
