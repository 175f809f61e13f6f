"""write_model: every shipped example, read → write → read, gives an equal model and policy."""

from pathlib import Path

import pytest
from sympy import Rational, Symbol

from symbellman import MDP, ModelError, Policy, load_model, write_model
from symbellman.io import model_data, parse_model_text, read_model

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))
FORMATS = ("yaml", "json", "toml")


def test_every_example_is_found():
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_round_trip(path, fmt, tmp_path):
    mdp, policy = load_model(path)
    written = write_model(mdp, policy, tmp_path / f"model.{fmt}")
    again, again_policy = load_model(written)
    assert again == mdp
    assert again_policy == policy and again_policy.kind == policy.kind
    # the numbers stay the text the file wrote (0.2, not 1/5)
    texts = lambda m: [(o.probability_text, o.reward_text)  # noqa: E731
                       for s, a in m.state_action_pairs for o in m.outcomes(s, a)]
    assert texts(again) == texts(mdp)


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_round_trip_without_a_file(fmt):
    mdp, policy = load_model(EXAMPLES[0])
    text = write_model(mdp, policy, fmt)
    assert read_model(parse_model_text(text, "." + fmt)) == (mdp, policy)


def test_student_mdp_yaml_reads_like_the_spec():
    mdp, policy = load_model(Path(__file__).parents[1] / "examples" / "student_mdp.yaml")
    text = write_model(mdp, policy, "yaml")
    # the spec's example, line for line where it has the same keys
    assert "states: [Facebook, Class1, Class2, Class3, Sleep]\n" in text
    assert "      - {to: Class1, p: 0.2, r: 1}\n" in text
    assert text.rstrip().endswith("policy: uniform")


def test_symbolic_stochastic_policy_and_awkward_names(tmp_path):
    p = Symbol("p")
    mdp = MDP(["on", "no", "a: b", "#x"], {
        "on": {"go": [("no", p, "1/3"), ("a: b", 1 - p, -2)]},
        "no": {"go": [("#x", 1, 0)], "wait": [("on", Rational(1, 7), 1), ("no", "6/7", 0)]},
        "a: b": {"go": [("on", 1, "0.1")]}},
        actions={"on": ["go"], "no": ["go", "wait"], "a: b": ["go"]},
        terminal=["#x"], symbols=["p"], discount="9/10", name="Awkward \"names\"")
    policy = Policy.stochastic(mdp, {"no": {"go": "1/4", "wait": "3/4"}})
    for fmt in FORMATS:
        again, again_policy = load_model(write_model(mdp, policy, tmp_path / f"m.{fmt}"))
        assert again == mdp and again_policy == policy, fmt


def test_deterministic_policy_is_a_map_of_actions():
    mdp, _ = load_model(Path(__file__).parents[1] / "examples" / "student_mdp.yaml")
    choice = {"Facebook": "quit", "Class1": "study", "Class2": "study", "Class3": "pub"}
    data = model_data(mdp, Policy.deterministic(mdp, choice))
    assert data["policy"] == choice


def test_layout_and_vary_are_written(tmp_path):
    mdp = MDP(["A", "B"], {"A": [("B", 1, 1)], "B": [("A", 1, 0)]}, symbols=["c"])
    data = model_data(mdp, layout={"grid": [["A", "B"]]}, vary={"c": ["1/2", "1"]})
    assert data["layout"] == {"grid": [["A", "B"]]} and data["vary"] == {"c": ["1/2", "1"]}
    text = write_model(mdp, None, "toml", layout={"grid": [["A", "B"]]})
    assert parse_model_text(text, ".toml")["layout"] == {"grid": [["A", "B"]]}
    with pytest.raises(ModelError, match="TOML has no null"):
        write_model(mdp, None, "toml", layout={"grid": [["A", None, "B"]]})
    assert "[A, null, B]" in write_model(mdp, None, "yaml", layout={"grid": [["A", None, "B"]]})


def test_unknown_ending_is_a_model_error(tmp_path):
    mdp, _ = load_model(EXAMPLES[0])
    with pytest.raises(ModelError, match="cannot tell the format"):
        write_model(mdp, None, tmp_path / "model.xml")
