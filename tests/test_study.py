"""The study of a model and its policy: each result once per command, one way to bind a
policy, q_π only from the same policy's v_π; and the family records every writer reads."""

from __future__ import annotations

import inspect
from collections import Counter
from pathlib import Path

import pytest
import sympy

import symbellman
from symbellman import Policy, solve_q, solve_v
from symbellman.solve import evaluate
from symbellman.cli import main
from symbellman.core.errors import ModelError, PolicyError
from symbellman.model.examples import exercise_3_22, recycling_robot, student_mdp, student_mrp
from symbellman.equations.families import FAMILIES, family, general_form, shape
from symbellman.study import Study
from symbellman.core.symbols import gamma

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


# -- the family records ------------------------------------------------------------------------
def test_every_family_writes_its_forms_in_both_styles():
    for record in FAMILIES.values():
        for form, form_shape in record.forms.items():
            assert form_shape.head == record.key  # a form's left side is its family's head
            assert form_shape.value in FAMILIES
            for style in ("sutton-barto", "silver"):
                text = general_form(form, style)
                assert text.startswith(record.latex)


def test_the_json_keys_are_the_specs():
    # shared/spec/model-format.md: solve --json has "v" and "q", optimal --json
    # "v_star" and "q_star"; under "Other criteria" the finite horizon keeps those keys
    # (nested by stage), average reward writes "gain" and "bias", td --json "theta"
    assert [f.json for f in FAMILIES.values()] == ["v", "q", "v_star", "q_star",
                                                   "v", "q", "v_star", "q_star",
                                                   "gain", "bias", "gain", "bias", "theta"]


def test_a_family_is_found_by_its_one_spelling_only():
    assert family("v_star").column == "v*"
    with pytest.raises(ModelError, match="unknown Bellman family"):
        family("v*")
    with pytest.raises(ModelError, match="unknown equation form"):
        shape("v_pi_from_nothing")


def test_the_records_are_frozen():
    with pytest.raises(AttributeError):
        family("v_pi").column = "v"


# -- binding and caching -----------------------------------------------------------------------
def test_a_policy_of_another_model_is_refused_with_one_error_type():
    other = Policy.uniform(recycling_robot())
    with pytest.raises(PolicyError, match="different model"):
        Study(student_mdp(), other)
    with pytest.raises(PolicyError, match="different model"):
        Policy.from_spec(student_mdp(), other)  # used to let it through
    with pytest.raises(PolicyError, match="different model"):
        solve_v(student_mdp(), other)


def test_q_from_another_policys_v_is_refused():
    mdp = exercise_3_22()
    left = Policy.deterministic(mdp, {"top": "left"})
    right = Policy.deterministic(mdp, {"top": "right"})
    with pytest.raises(ModelError, match="not v_pi of this model and policy"):
        solve_q(mdp, left, v=solve_v(mdp, right))
    with pytest.raises(ModelError, match="not v_pi"):  # v at another discount
        solve_q(mdp, left, v=solve_v(mdp, left).at(gamma=sympy.Rational(1, 2)))
    # the same policy's v is what q is taken from: q(top, left) = 1 + γ v(left)
    v = solve_v(mdp, left)
    q = solve_q(mdp, left, v=v)
    assert sympy.cancel(q["top", "left"] - (1 + gamma * v["left"])) == 0


def test_each_result_is_computed_once_and_kept():
    study = Study(student_mdp())
    assert study.v is study.v and study.q is study.q
    assert study.symbolic is study.symbolic and study.symbolic.symbolic is study.symbolic
    assert study.at_discount(sympy.Rational(1, 2)) is study.at_discount("1/2")
    assert study.at_discount(study.mdp.discount) is study
    # Silver's Student MDP, Lecture 2 at γ = 1: v_*(Class1) = 6
    assert study.optimum.v_star["Class1"] == 6 and study.result("v_star") is study.optimum.v_star
    assert study.pieces() is study.symbolic.pieces()


def test_a_study_cannot_be_changed():
    study = Study(student_mdp())
    with pytest.raises(AttributeError):
        study.policy = None


def test_a_failure_is_kept_and_raised_again(monkeypatch):
    # Exercise 3.22 at γ = 1 under "left"/"right": every policy loops and earns forever
    study = Study(exercise_3_22().replace(discount=1), {"top": "left"})
    calls = []
    real = evaluate.solve_v
    monkeypatch.setattr(evaluate, "solve_v", lambda *a, **k: calls.append(1) or real(*a, **k))
    for _ in range(2):
        with pytest.raises(symbellman.SolveError):
            study.v
    assert len(calls) == 1


def test_the_optimal_package_imports_as_a_module_and_calls_as_a_function():
    import symbellman.optimal.pieces as pieces

    assert pieces.optimal_pieces is symbellman.optimal_pieces
    assert symbellman.optimal(student_mdp()).v_star["Class3"] == 10  # Silver: v_*(Class3) = 10


# -- solver calls per command ------------------------------------------------------------------
#: Modules that solve many policies by design (policy iteration, the pieces): a solve
#: they ask for is not a command's.
INNER = ("/symbellman/optimal/",)


def _outside_optimal(inner=INNER) -> bool:
    """Whether the solve was asked for by a command (not inside policy iteration or the
    pieces, which evaluate many policies by design)."""
    return not any(any(part in frame.filename for part in inner)
                   for frame in inspect.stack()[2:])


def _model(mdp) -> str:
    """The model's content (states, outcomes, discount, criteria) as a short key: two
    equal models built apart are one model."""
    return f"{mdp.name}#{hash((mdp, str(mdp.criteria))) % 10**8}"


@pytest.fixture
def calls(monkeypatch):
    """Counts v_π, q_π, optimum and pieces solves by (what, discount, policy, model), and
    the other criteria's solves (finite horizon, average reward, TD) the same way."""
    import importlib

    from symbellman.optimal import iteration, pieces

    # the modules, not the functions the package binds to some of their names
    average, average_optimal, horizon, fixed_point = (importlib.import_module(
        f"symbellman.{name}") for name in ("solve.average", "solve.average_optimal", "solve.horizon",
                                           "projected.fixed_point"))

    count: Counter = Counter()
    real_v, real_q, real_pieces = evaluate.solve_v, evaluate.solve_q, pieces.optimal_pieces
    real_optimal = iteration.optimal

    def weights(policy):
        return None if policy is None else tuple(sorted(
            (s, str(policy(s))) for s in policy.mdp.nonterminal))

    def v(mdp, policy=None, **options):
        if _outside_optimal():
            count["v", str(mdp.discount), weights(policy), _model(mdp)] += 1
        return real_v(mdp, policy, **options)

    def q(mdp, policy=None, **options):
        if _outside_optimal():
            count["q", str(mdp.discount), weights(policy), _model(mdp)] += 1
        return real_q(mdp, policy, **options)

    def optimal_pieces(mdp, **options):
        count["pieces", str(mdp.discount), str(sorted(options.items(), key=str)),
              _model(mdp)] += 1
        return real_pieces(mdp, **options)

    def optimal(mdp, **options):
        if _outside_optimal():
            count["optimum", str(mdp.discount), _model(mdp)] += 1
        return real_optimal(mdp, **options)

    def counted(name, real, with_policy, inner=INNER):
        def solver(mdp, policy=None, *args, **options):
            if _outside_optimal(inner):
                chosen = policy if with_policy else None
                if with_policy and policy is not None and not hasattr(policy, "mdp"):
                    chosen = None  # a spec, bound inside: keyed by the model alone
                count[name, str(mdp.discount), weights(chosen), _model(mdp)] += 1
            if with_policy:
                return real(mdp, policy, *args, **options)
            return real(mdp, *args, **options)
        return solver

    monkeypatch.setattr(iteration, "optimal", optimal)
    monkeypatch.setattr(evaluate, "solve_v", v)
    monkeypatch.setattr(evaluate, "solve_q", q)
    monkeypatch.setattr(pieces, "optimal_pieces", optimal_pieces)
    for module, name, with_policy in [(horizon, "finite_horizon", True),
                                      (horizon, "finite_horizon_optimal", False),
                                      (average_optimal, "average_optimal", False),
                                      (fixed_point, "td_fixed_point", True)]:
        monkeypatch.setattr(module, name, counted(name, getattr(module, name), with_policy))
    # the multichain policy iteration evaluates many policies by design
    monkeypatch.setattr(average, "average_reward", counted(
        "average_reward", average.average_reward, True,
        INNER + ("/symbellman/solve/average_optimal.py",)))
    return count


COMMANDS = {
    "solve": ["solve", "{model}"],
    "solve --json": ["solve", "--json", "{model}"],
    "optimal": ["optimal", "{model}"],
    "optimal --over gamma": ["optimal", "--over", "gamma", "{model}"],
    "equations": ["equations", "{model}"],
    "latex": ["latex", "{model}"],
    "latex grid": ["latex", "--what", "v,solution,optimal,grid", "{model}", "--at",
                   "gamma=9/10"],
    "handout md": ["handout", "{model}", "-o", "{tmp}/h.md"],
    "handout tex": ["handout", "{model}", "-o", "{tmp}/h.tex", "--exercise"],
    "handout html": ["handout", "{model}", "-o", "{tmp}/h.html"],
}


@pytest.mark.parametrize("example", ["student_mdp", "gridworld_4x4"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_solves_each_result_once(command, example, calls, tmp_path, capsys):
    if example == "gridworld_4x4" and command in ("handout tex", "optimal --over gamma",
                                                   "latex"):
        pytest.skip("the same routes as on the Student MDP, slower")
    if command == "latex grid" and example == "student_mdp":
        pytest.skip("the Student MDP has no grid")
    argv = [a.format(model=EXAMPLES / f"{example}.yaml", tmp=tmp_path)
            for a in COMMANDS[command]]
    assert main(argv) == 0, capsys.readouterr().err
    assert calls or command == "equations", "the command solved nothing that was counted"
    twice = {key: n for key, n in calls.items() if n > 1}
    assert not twice, twice


# The other commands and criteria: (argv, answer file written first or None). Answers to
# check are Silver's (Lecture 2, Student MDP, uniform policy at γ = 1: v(Class3) = 96/13,
# v_*(Class3) = 10) with one slip each, so that every named mistake is tried.
STUDENT_ANSWERS = ("v: {Class1: -13/13, Class2: 35/13, Class3: 96/13}\n"
                   "q: {Class3: {study: 10, pub: 1}}\n"
                   "v_star: {Class1: 6, Class3: 10}\n"
                   "q_star: {Class3: {pub: 8.4}}\n")
GRID_ANSWERS = "v: {s1: -14, s2: -20, s3: -21}\nq: {s1: {left: -1, up: -15}}\n"
OTHER_COMMANDS = {
    "check student": (["check", "{ex}/student_mdp.yaml", "{tmp}/a.yaml"], STUDENT_ANSWERS),
    "check student --json at 9/10": (["check", "{ex}/student_mdp.yaml", "{tmp}/a.yaml",
                                      "--json", "--at", "gamma=9/10"], STUDENT_ANSWERS),
    "check grid": (["check", "{ex}/gridworld_4x4.yaml", "{tmp}/a.yaml"], GRID_ANSWERS),
    # Sutton & Barto, Exercise 3.22: the optimal policy changes at γ = 1/2 (one slip in v)
    "check breakpoints": (["check", "{ex}/exercise_3_22.yaml", "{tmp}/a.yaml"],
                          "breakpoints: [1/2]\nv: {top: 2}\n"),
    "solve --horizon": (["solve", "{ex}/student_mdp.yaml", "--horizon", "3"], None),
    "solve --horizon --json": (["solve", "{ex}/puterman_two_state.yaml", "--json"], None),
    "optimal --horizon": (["optimal", "{ex}/puterman_two_state.yaml"], None),
    "optimal --horizon --json": (["optimal", "{ex}/student_mdp.yaml", "--horizon", "2",
                                  "--json"], None),
    "solve --criterion average": (["solve", "{ex}/puterman_two_state_average.yaml"], None),
    "solve average --laurent --json": (["solve", "{ex}/puterman_two_state_average.yaml",
                                        "--laurent", "--json"], None),
    "optimal --criterion average": (["optimal", "{ex}/puterman_two_state_average.yaml",
                                     "--json"], None),
    "td": (["td", "{ex}/w_to_2w.yaml"], None),
    "td --json": (["td", "{ex}/baird_star.yaml", "--json"], None),
    "equations --horizon": (["equations", "{ex}/puterman_two_state.yaml"], None),
    "handout horizon md": (["handout", "{ex}/puterman_two_state.yaml", "-o", "{tmp}/h.md"],
                           None),
    "handout average md": (["handout", "{ex}/puterman_two_state_average.yaml", "-o",
                            "{tmp}/h.md"], None),
    "handout td md": (["handout", "{ex}/w_to_2w.yaml", "-o", "{tmp}/h.md"], None),
    "handout average html": (["handout", "{ex}/exercise_10_6.yaml", "-o", "{tmp}/h.html"],
                             None),
    "handout horizon html": (["handout", "{ex}/puterman_two_state.yaml", "-o",
                              "{tmp}/h.html"], None),
    "handout td html": (["handout", "{ex}/baird_star.yaml", "-o", "{tmp}/h.html"], None),
}


@pytest.mark.parametrize("command", list(OTHER_COMMANDS))
def test_every_other_command_solves_each_result_once(command, calls, tmp_path, capsys):
    argv, answers = OTHER_COMMANDS[command]
    if answers is not None:
        (tmp_path / "a.yaml").write_text(answers, encoding="utf-8")
    argv = [a.format(ex=EXAMPLES, tmp=tmp_path) for a in argv]
    assert main(argv) in (0, 1), capsys.readouterr().err  # check: 1 when one is wrong
    assert calls or command.startswith("equations"), "the command solved nothing counted"
    twice = {key: n for key, n in calls.items() if n > 1}
    assert not twice, twice


def test_the_page_and_its_handout_share_one_study(calls, tmp_path):
    from symbellman.render.html import write_page

    mdp = student_mdp()
    write_page(mdp, None, tmp_path / "p.html")
    # v_π at the model's γ = 1 (the handout's solution), v_π in γ (the page and the
    # handout's closed forms), the optimum at γ = 1 and the pieces over γ once
    kinds = Counter(key[0] for key in calls)
    assert kinds == {"v": 2, "q": 1, "optimum": 1, "pieces": 1}, calls


def test_batch_and_the_notebook_solve_once(calls):
    from symbellman.render.html import notebook_html

    symbellman.solve_many([student_mrp(discount=sympy.Rational(9, 10))])
    notebook_html(student_mrp())
    assert all(n == 1 for n in calls.values()), calls


# -- results that cannot change ----------------------------------------------------------------
def test_a_result_cannot_be_changed():
    v = solve_v(student_mrp())
    for name, value in [("discount", 7), ("conditions", ()), ("mdp", None), ("_vector", None)]:
        with pytest.raises(AttributeError, match="cannot be changed"):
            setattr(v, name, value)
    with pytest.raises(AttributeError):
        del v.policy
    assert v.discount == student_mrp().discount


def test_conditions_are_given_at_construction():
    # v(s) = 1/x: defined where x ≠ 0; at x = 2 the condition holds and is dropped
    x = sympy.Symbol("x")
    mdp = symbellman.MDP(["s", "t"], {"s": {"go": [{"to": "t", "p": 1, "r": 1 / x}]}},
                         actions={"s": ["go"]}, terminal=["t"])
    v = solve_v(mdp)
    assert v.conditions == (sympy.Ne(x, 0),)
    assert v.at(x=2).conditions == () and v.at(x=2)["s"] == sympy.Rational(1, 2)
    with pytest.raises(symbellman.SolveError, match="needs"):
        v.at(x=0)


def test_section_numbers_follow_the_document(tmp_path):
    # the Recycling Robot has parameters (alpha, beta, ...): no plot, so section 6 is
    # its optimality (it was numbered 7, after a gap)
    from symbellman.render.document import plain_text
    from symbellman.render.handout import build_handout

    doc = build_handout(recycling_robot(), folder=tmp_path, figure_formats=("png",))
    titles = [plain_text(s.title) for s in doc.sections]
    assert [t.split(".")[0] for t in titles] == [str(k) for k in range(1, len(titles) + 1)]
    assert titles[5] == "6. Optimality"


def test_the_pieces_over_the_discount_by_name_are_the_same_pieces():
    study = Study(exercise_3_22())
    assert study.pieces() is study.pieces(over="gamma") is study.pieces(over=gamma)
    # Sutton & Barto, Exercise 3.22: left below γ = 1/2, right above
    assert [p.end for p in study.pieces()] == [sympy.Rational(1, 2), 1]


def test_section_builders_share_nothing_but_the_study(tmp_path):
    # Facts is read only; each builder returns its files and notes with its section,
    # and the document's files are exactly those, in document order
    import dataclasses

    from symbellman.render.document import files_of
    from symbellman.render.handout import build_handout
    from symbellman.render.sections.common import Budgets, Facts
    from symbellman.text.typeset import Notation

    f = Facts(Study(student_mdp()), Notation(), Budgets(), tmp_path, ("png",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.study = None
    doc = build_handout(student_mdp(), folder=tmp_path, figure_formats=("png",))
    assert doc.files == files_of(doc.sections)
    assert list(doc.files)[:3] == ["diagram", "backup", "closed-forms"]
    assert doc.files["closed-forms"]["json"].read_text().startswith("{")


@pytest.mark.parametrize("backend", ["flint", "python"])
def test_q_from_v_shares_denominators_and_is_the_bellman_half_step(backend):
    # Sutton & Barto's 4 × 4 gridworld (Example 4.1) with γ a symbol: every move is
    # deterministic and costs 1, so q(s, a) = −1 + γ v(s') exactly, by algebra alone;
    # the half-step reads v's shared denominator once and gives the same closed forms
    from symbellman.model.examples import sutton_barto_gridworld_4x4

    mdp = sutton_barto_gridworld_4x4(discount=gamma)
    policy = Policy.uniform(mdp)
    v = solve_v(mdp, policy, backend=backend)
    q = solve_q(mdp, policy, v=v, backend=backend)
    for s, a in mdp.state_action_pairs:
        (o,) = mdp.outcomes(s, a)
        assert sympy.cancel(q[s, a] - (o.reward + gamma * v[o.next_state])) == 0, (s, a)
    other = "python" if backend == "flint" else "flint"
    assert q.as_dict() == solve_q(mdp, policy, v=solve_v(mdp, policy, backend=other),
                                  backend=other).as_dict()
