"""PRISM export: the text of the program, and Storm's answers set beside symbellman's."""

from __future__ import annotations

import re

import pytest
import sympy
from sympy import Rational

from symbellman import ModelError, Policy, solve_v
from symbellman.model.examples import recycling_robot, student_mdp, student_mrp
from symbellman.io.prism import prism_properties, to_prism
from symbellman.optimal import optimal


def commands(text: str) -> dict:
    """``[label] s=i -> ...`` lines: (label, i) -> {next state: probability}, read exactly."""
    found = {}
    for label, i, updates in re.findall(r"\[(\w*)\] s=(\d+) -> (.*);", text):
        branches = {}
        for p, t in re.findall(r"([^+]+?) : \(s'=(\d+)\)", updates):
            branches[int(t)] = sympy.sympify(p.strip(), locals={"gamma": sympy.Symbol("gamma")})
        found[(label, int(i))] = branches
    return found


def test_chain_rows_are_the_policy_rows_scaled_by_gamma_plus_a_stop():
    mdp = student_mdp(discount=Rational(9, 10))
    text = to_prism(mdp)
    g = sympy.Symbol("gamma")
    rows = commands(text)
    # Class3 under the uniform policy: pub (1/5 C1, 2/5 C2, 2/5 C3) or study (Sleep), 1/2 each
    expected = {1: g / 10, 2: g / 5, 3: g / 5, 4: g / 2, 5: 1 - g}
    assert {t: sympy.simplify(p) for t, p in rows[("", 3)].items()} == expected
    assert "const double gamma = 9/10;" in text
    assert "  s=3 : 11/2;" in text  # r_pi(Class3) = (1 + 10)/2
    assert 'label "done" = s=4 | s=5;' in text


def test_no_stop_branch_without_discounting():
    text = to_prism(student_mdp())  # γ = 1
    assert "1-gamma" not in text and "const double gamma = 1;" in text


def test_mdp_has_one_labelled_command_per_action_and_its_reward():
    text = to_prism(student_mdp(discount="1/2"), what="mdp")
    rows = commands(text)
    assert set(rows) >= {("pub", 3), ("study", 3), ("facebook", 0), ("quit", 0)}
    assert "  [pub] s=3 : 1;" in text and "  [study] s=3 : 10;" in text
    assert prism_properties(student_mdp(), what="mdp").strip().endswith(
        'R{"reward"}max=? [ F "done" ]')


def test_parameters_stay_open():
    text = to_prism(recycling_robot())
    assert "const double gamma; // the discount: a parameter" in text
    for name in ("alpha", "beta"):
        assert f"const double {name};" in text
    with pytest.raises(ModelError, match="has no value"):
        to_prism(recycling_robot(), gamma="constant")


# -- Storm ------------------------------------------------------------------------------------
def storm_values(text: str, properties: str, tmp_path) -> dict[int, float]:
    """Storm's value of every state (by the index of s) for the first property."""
    stormpy = pytest.importorskip(
        "stormpy", reason="no stormpy wheel for this platform (Linux x86-64 only)")
    path = tmp_path / "model.pm"
    path.write_text(text)
    program = stormpy.parse_prism_program(str(path))
    parse = getattr(stormpy, "parse_properties_for_prism_program", None) \
        or stormpy.parse_properties
    formulas = parse(properties, program)
    options = stormpy.BuilderOptions([f.raw_formula if hasattr(f, "raw_formula")
                                      else f.get_raw_formula() for f in formulas])
    options.set_build_state_valuations()
    options.set_build_all_reward_models()
    build = getattr(stormpy, "build_sparse_model_with_options", None)
    model = build(program, options) if build else stormpy.build_model(program, options=options)
    result = stormpy.model_checking(model, formulas[0], only_initial_states=False)
    variable = program.modules[0].get_integer_variable("s").expression_variable
    valuations = model.state_valuations
    get = getattr(valuations, "get_integer_value", None) or valuations.get_int64_value
    value = getattr(result, "at", None) or result.get_value
    return {int(get(state.id, variable)): float(value(state.id)) for state in model.states}


CASES = [
    # Silver's Student MRP at γ = 9/10: v(Class1) = -5.01 on the slide
    ("student MRP", student_mrp(discount=Rational(9, 10)), None, "chain"),
    # the Student MDP's uniform policy at γ = 1: v(Facebook) = -2.3 (Silver, Lecture 2)
    ("student MDP, uniform", student_mdp(), "uniform", "chain"),
    # the Student MDP's optimum at γ = 9/10, against symbellman's exact policy iteration
    ("student MDP, optimum", student_mdp(discount=Rational(9, 10)), None, "mdp"),
    # the recycling robot with Sutton & Barto's symbols given values
    ("recycling robot", None, None, "mdp"),
]


@pytest.mark.parametrize("name, mdp, policy, what", CASES, ids=[c[0] for c in CASES])
def test_storm_agrees_with_symbellman(name, mdp, policy, what, tmp_path):
    if mdp is None:
        robot = recycling_robot()
        mdp = robot.subs({**{s.name: Rational(1, 3) + k * Rational(1, 5)
                             for k, s in enumerate(robot.symbols)},
                          "gamma": Rational(4, 5)})
    values = storm_values(to_prism(mdp, Policy.from_spec(mdp, policy) if policy else None,
                                   what=what),
                          prism_properties(mdp, what=what), tmp_path)
    if what == "chain":
        exact = solve_v(mdp)
    else:
        exact = optimal(mdp).v_star
    # Storm iterates in floating point until successive values differ by 10^-6 (relative),
    # which leaves errors around 10^-5 on the slowly mixing student chain
    for s in mdp.states:
        assert values[mdp.index(s)] == pytest.approx(float(exact[s]), rel=1e-4, abs=1e-4), s
    assert values[len(mdp.states)] == 0  # the stop state


# -- hostile names (issue 18) -----------------------------------------------------------------
#: A newline in a name would end a // comment, and the rest of the name would be read as
#: PRISM: here a second initial-states block and a module of its own.
INJECTED = "X\ninit false endinit\nmodule evil s2 : bool; endmodule\n//"


def hostile_mdp(discount=Rational(9, 10)):
    from symbellman import MDP

    return MDP([INJECTED, "module", "End"],
               {INJECTED: {"init": [("module", Rational(1, 2), 1), ("End", Rational(1, 2), 0)],
                           INJECTED: [("End", 1, 5)]},
                "module": {"endmodule": [(INJECTED, 1, 2)]}},
               actions={INJECTED: ["init", INJECTED], "module": ["endmodule"]},
               terminal=["End"], discount=discount, name="module")


def program_lines(text: str) -> list[str]:
    """The lines of a program that are not comments."""
    return [line for line in text.splitlines() if not line.lstrip().startswith("//")]


@pytest.mark.parametrize("what", ["chain", "mdp"])
def test_a_newline_in_a_name_cannot_end_a_comment(what):
    text = to_prism(hostile_mdp(), what=what)
    lines = program_lines(text)
    # one module and one init block: the program's own
    assert [line.split()[0] for line in lines if line.startswith(("module", "init"))] == \
        ["module", "init"]
    assert not any("evil" in line or "endinit" in line.replace("init true endinit", "")
                   for line in lines)
    # the name is still there, in the comments, with its newline as an escape
    assert r"0 X\ninit false endinit\nmodule evil" in text


@pytest.mark.parametrize("what", ["chain", "mdp"])
def test_keywords_as_names_get_identifiers_of_their_own(what):
    text = to_prism(hostile_mdp(), what=what)
    module = re.search(r"^module (\w+)$", text, re.M).group(1)
    assert module != "module"
    labels = set(re.findall(r"^  \[(\w*)\]", text, re.M))
    assert not labels & {"init", "endmodule", "module"}
    if what == "mdp":
        # three actions, three labels: none merged with another
        assert len(labels - {""}) == 3


def test_parameters_named_as_keywords_are_renamed_everywhere():
    from symbellman import MDP

    m, s = sympy.Symbol("module"), sympy.Symbol("s")
    mdp = MDP(["A", "B"], {"A": {"go": [("B", m, 1), ("A", 1 - m, s)]}},
              actions={"A": ["go"]}, terminal=["B"], discount=sympy.Symbol("dtmc"))
    text = to_prism(mdp, what="mdp")
    lines = program_lines(text)
    declared = re.findall(r"^const double (\w+)", "\n".join(lines), re.M)
    assert len(declared) == len(set(declared)) == 3
    assert not set(declared) & {"module", "s", "dtmc"}
    updates = " ".join(line.split("->", 1)[1] for line in lines if "->" in line)
    used = set(re.findall(r"[A-Za-z_]\w*", re.sub(r"\(s'=\d+\)", "", updates)))
    assert used <= set(declared)  # every name in an update is a declared constant


@pytest.mark.parametrize("what", ["chain", "mdp"])
def test_storm_reads_the_hostile_program_and_agrees(what, tmp_path):
    mdp = hostile_mdp()
    values = storm_values(to_prism(mdp, what=what), prism_properties(mdp, what=what), tmp_path)
    exact = solve_v(mdp) if what == "chain" else optimal(mdp).v_star
    assert sorted(values) == [0, 1, 2, 3]  # three states and stop: nothing injected
    for s in mdp.states:
        assert values[mdp.index(s)] == pytest.approx(float(exact[s]), abs=1e-4), s
