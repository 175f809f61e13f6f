"""Exercise variants: drawn from the model file's ``vary``, reproducible from the seed, all valid.

The shipped example is Sutton & Barto's recycling robot (Example 3.3) with its four
symbols drawn; each variant's v* is checked against value iteration in NumPy over the
book's table, written out here independently of the model file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from symbellman import MDP, ModelError, Policy, optimal
from symbellman.cli import main
from symbellman.io import load_model
from symbellman.model.variants import draw_variants, make_variant, variant_count

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "recycling_robot_variants.yaml"
RANGES = {"alpha": {Fraction(1, 2), Fraction(2, 3), Fraction(3, 4), Fraction(4, 5)},
          "beta": {Fraction(1, 4), Fraction(1, 3), Fraction(1, 2)},
          "r_search": {3, 4, 5}, "r_wait": {0, 1, 2}}


@pytest.fixture(scope="module")
def robot():
    return load_model(EXAMPLE)


def coin(values):
    return MDP(["flip"], {"flip": [("flip", "p", 1), ("flip", "1 - p", 0)]}, symbols=["p"],
               discount="1/2", vary={"p": values})


def robot_v_star(alpha, beta, r_search, r_wait, gamma=0.9, sweeps=2000):
    """Value iteration on Sutton & Barto's Example 3.3 table (states high, low)."""
    v = np.zeros(2)
    for _ in range(sweeps):
        high = max(r_search + gamma * (alpha * v[0] + (1 - alpha) * v[1]),
                   r_wait + gamma * v[0])
        low = max((1 - beta) * (-3 + gamma * v[0]) + beta * (r_search + gamma * v[1]),
                  r_wait + gamma * v[1], gamma * v[0])
        v = np.array([high, low])
    return v


def test_the_same_seed_draws_the_same_variants(robot):
    mdp, policy = robot
    first = draw_variants(mdp, 5, 1, policy)
    again = draw_variants(mdp, 5, 1, policy)
    assert [v.values for v in first] == [v.values for v in again]
    assert [v.values for v in draw_variants(mdp, 5, 2, policy)] != [v.values for v in first]


def test_variants_are_different_and_drawn_from_the_ranges(robot):
    mdp, policy = robot
    variants = draw_variants(mdp, 12, 7, policy)
    assert [v.number for v in variants] == list(range(1, 13))
    assert len({tuple(v.values.values()) for v in variants}) == 12
    for v in variants:
        drawn = {s.name: Fraction(int(x.p), int(x.q)) for s, x in v.values.items()}
        assert all(drawn[name] in allowed for name, allowed in RANGES.items())
        assert not v.mdp.symbols and not v.mdp.vary          # every symbol has a value
        assert v.mdp.name == f"Recycling robot, variant {v.number}"
        assert v.policy.weight("low", "recharge") == Fraction(1, 3)


def test_each_variant_is_the_model_with_its_numbers(robot):
    mdp, policy = robot
    for v in draw_variants(mdp, 3, 1, policy):
        numbers = {s.name: float(x) for s, x in v.values.items()}
        expected = robot_v_star(**numbers)
        best = optimal(v.mdp)
        assert [float(best.v_star[s]) for s in ("high", "low")] == pytest.approx(expected,
                                                                                  abs=1e-9)


def test_invalid_draws_are_drawn_again():
    # p = 3/2 and p = -1 are no probabilities: only the three valid values are drawn
    variants = draw_variants(coin(["3/2", "1/4", "-1", "1/3", "1/2"]), 3, 0)
    assert sorted(str(v.values[next(iter(v.values))]) for v in variants) == ["1/2", "1/3", "1/4"]


def test_too_few_valid_variants_names_the_values():
    with pytest.raises(ModelError) as caught:
        draw_variants(coin(["3/2", "1/4"]), 2, 0)
    message = str(caught.value)
    assert message.startswith("vary: found only 1 different valid variants of the 2 asked for")
    assert "p = 3/2 gives" in message


@pytest.mark.parametrize("mdp, n, message", [
    (MDP(["a"], {"a": [("a", 1, 1)]}), 1, "vary: the model declares no symbols to vary"),
    (coin(["1/4", "1/2"]), 3, "vary: vary allows only 2 different variants, not 3"),
    (coin(["1/4"]), 0, "--variants: ask for at least one variant, not 0"),
])
def test_bad_requests(mdp, n, message):
    with pytest.raises(ModelError, match="^" + message.replace("(", r"\(")):
        draw_variants(mdp, n, 0)


def test_a_policy_is_checked_on_each_variant():
    m = MDP(["a"], {"a": {"x": [("a", 1, 1)], "y": [("a", 1, 0)]}}, actions={"a": ["x", "y"]},
            symbols=["p"], discount="1/2", vary={"p": ["2", "1/3"]})
    policy = Policy(m, {"a": {"x": "p", "y": "1 - p"}})
    (variant,) = draw_variants(m, 1, 0, policy)   # p = 2 makes no distribution: redrawn
    assert variant.policy.weight("a", "x") == Fraction(1, 3)
    assert variant_count(m) == 2


def test_make_variant_accepts_names_and_text(robot):
    mdp, policy = robot
    v = make_variant(mdp, policy, 4, {"r_wait": 0, "alpha": "0.5", "beta": "1/4",
                                      "r_search": 3})
    assert v.describe() == "alpha = 1/2, beta = 1/4, r_search = 3, r_wait = 0"
    assert v.mdp.outcomes("low", "search")[0].probability == Fraction(3, 4)


# -- the command line --------------------------------------------------------------------------
def run_variants(folder: Path, suffix: str, jobs: int, capsys) -> str:
    folder.mkdir()
    status = main(["handout", str(EXAMPLE), "-o", str(folder / f"sheet.{suffix}"),
                   "--exercise", "--variants", "3", "--seed", "1", "--jobs", str(jobs)])
    assert status == 0
    return capsys.readouterr().out


def test_cli_variants_are_reproducible_and_different(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out = run_variants(tmp_path / "one", "md", 1, capsys)
    assert out.count("variant ") == 3
    sheets = {k: (tmp_path / "one" / f"sheet-{k}.md").read_text() for k in (1, 2, 3)}
    keys = {k: (tmp_path / "one" / f"sheet-{k}-key.md").read_text() for k in (1, 2, 3)}
    assert len(set(sheets.values())) == 3 and len(set(keys.values())) == 3
    for k in (1, 2, 3):
        assert sheets[k].startswith(f"# Recycling robot, variant {k}\n")
        assert keys[k].startswith(f"# Recycling robot, variant {k}\n")
        assert sheets[k] != keys[k]
    # the keys carry each variant's exact v*, computed here by value iteration
    mdp, policy = load_model(EXAMPLE)
    for v in draw_variants(mdp, 3, 1, policy):
        v_star = robot_v_star(**{s.name: float(x) for s, x in v.values.items()})
        for x in v_star:
            fraction = Fraction(x).limit_denominator(10**6)
            assert abs(float(fraction) - x) < 1e-9
            written = (rf"(?<![\d/{{]){fraction}(?![\d/])" if fraction.denominator == 1 else
                       rf"\\t?frac\{{{fraction.numerator}\}}\{{{fraction.denominator}\}}"
                       rf"|(?<![\d/]){fraction}(?![\d/])")
            assert re.search(written, keys[v.number]), fraction
    # a second run, in two processes, writes the same files
    again = run_variants(tmp_path / "two", "md", 2, capsys)
    assert again.replace("/two/", "/one/") == out
    for name in [f"sheet-{k}.md" for k in (1, 2, 3)] + [f"sheet-{k}-key.md" for k in (1, 2, 3)]:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


@pytest.mark.skipif(not shutil.which("pdflatex") or not shutil.which("pdftotext")
                    or not shutil.which("dot"), reason="needs pdflatex, dot and pdftotext")
def test_cli_variants_as_pdf(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    run_variants(tmp_path / "pdf", "pdf", 2, capsys)
    texts = {}
    for k in (1, 2, 3):
        for name in (f"sheet-{k}.pdf", f"sheet-{k}-key.pdf"):
            run = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pdf" / name), "-"],
                                 capture_output=True, text=True, check=True)
            texts[name] = run.stdout
            assert f"variant {k}" in run.stdout
    assert len(set(texts.values())) == 6


def test_cli_variants_without_vary_is_a_clear_error(tmp_path, capsys):
    student = EXAMPLE.parent / "student_mdp.yaml"
    assert main(["handout", str(student), "-o", str(tmp_path / "s.md"), "--exercise",
                 "--variants", "2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbellman: error: vary: the model declares no symbols to vary")
    assert main(["handout", str(EXAMPLE), "-o", str(tmp_path / "s.md"), "--variants", "0"]) == 2
    assert "--variants: ask for at least one variant, not 0" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
