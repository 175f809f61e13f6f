"""``symbellman td``: the TD(0) fixed point on the command line, --json per the spec."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import sympy
from sympy import Rational, Symbol

from symbellman.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BAIRD = str(EXAMPLES / "baird_star.yaml")
W2W = str(EXAMPLES / "w_to_2w.yaml")
g = Symbol("gamma")


def _read(text: str):
    return sympy.sympify(text, locals={"gamma": g})


def test_json_follows_the_spec_on_w_to_2w(capsys):
    assert main(["td", W2W, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # Sutton & Barto §11.2: A = 1 − 2γ, unstable for γ > 1/2
    assert [[sympy.expand(_read(x)) for x in row] for row in data["A"]] == [[1 - 2 * g]]
    assert [_read(x) for x in data["b"]] == [0]
    assert set(data["theta"]) == {"w"} and _read(data["theta"]["w"]) == 0
    assert set(data["values"]) == {"left", "right", "end"}
    assert data["stable"] == [{"from": "0", "to": "1/2"}]


def test_json_baird_breakpoint_matches_numpy(capsys):
    assert main(["td", BAIRD, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["discount"] == "99/100" and len(data["features"]) == 8
    A = np.array([[float(_read(x)) for x in row] for row in data["A"]])
    X = np.zeros((7, 8))
    for i in range(6):
        X[i, i], X[i, 7] = 2, 1
    X[6, 6], X[6, 7] = 1, 2
    P = np.zeros((7, 7))
    P[:, 6] = 1
    assert np.allclose(A, X.T @ (np.eye(7) / 7) @ (np.eye(7) - 0.99 * P) @ X)
    (interval,) = data["stable"]
    end = float(_read(interval["to"]))
    assert interval["from"] == "0" and 0.5 < end < 0.99
    assert data["stable_at_discount"] is False
    assert len(data["directions"]) == 1 and data["feature_rank"] == 7  # 8 features, 7 states


def test_at_replaces_the_discount(capsys):
    assert main(["td", W2W, "--json", "--at", "gamma=3/4"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["A"] == [["-1/2"]] and data["stable_at_discount"] is False
    assert data["stable"] == [{"from": "0", "to": "1/2"}]


def test_text_names_the_band_and_the_verdict(capsys):
    assert main(["td", BAIRD]) == 0
    out = capsys.readouterr().out
    assert "stable for gamma in [0, " in out and "UNSTABLE" in out
    assert "affine set" in out


def test_latex_prints_the_general_form_and_the_band(capsys):
    assert main(["td", W2W, "--latex"]) == 0
    out = capsys.readouterr().out
    assert r"\Pi_D" in out and r"\gamma \in [0, \frac{1}{2})" in out


def test_model_without_features_is_a_one_line_error(capsys):
    assert main(["td", str(EXAMPLES / "student_mdp.yaml")]) == 2
    err = capsys.readouterr().err
    assert "features" in err and err.count("\n") == 1


def test_on_policy_text_checks_the_error_bound(capsys, tmp_path):
    model = tmp_path / "ring.yaml"
    model.write_text("format: 1\nname: ring\nstates: [a, b, c]\n"
                     "transitions:\n  a: [{to: b, p: 1/2, r: 1}, {to: a, p: 1/2}]\n"
                     "  b: {to: c}\n  c: [{to: a, p: 2/3, r: -1}, {to: c, p: 1/3}]\n"
                     "features: {a: [1, 0], b: [1, 1], c: [0, 1]}\n")
    assert main(["td", str(model)]) == 0
    out = capsys.readouterr().out
    assert "Error bound" in out and "holds" in out
    assert main(["td", str(model), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # on-policy TD(0) is stable for every γ in [0, 1) (Tsitsiklis & Van Roy 1997)
    assert data["stable"] == [{"from": "0", "to": "1"}]
    assert _read(data["distribution"]["a"]) + _read(data["distribution"]["b"]) + \
        _read(data["distribution"]["c"]) == Rational(1)


def test_handout_has_the_projected_section(tmp_path):
    # the Markdown handout of Baird's star: section 8 (after 1-7; numbered in document
    # order, issue 19) with the band and the verdict
    out = tmp_path / "baird.md"
    assert main(["handout", BAIRD, "-o", str(out)]) == 0
    text = out.read_text()
    section = text[text.index("8. The projected Bellman equation"):]
    text = section.replace("\\[", "[")  # Markdown escapes a bracket in text
    assert "γ ∈ [0, 15/17)" in text and "unstable" in section
    assert "affine set" in section and "| s7 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 2 | 1/7 |" in section


def test_handout_without_features_has_no_projected_section(tmp_path):
    out = tmp_path / "student.md"
    assert main(["handout", str(EXAMPLES / "student_mrp.yaml"), "-o", str(out)]) == 0
    assert "projected Bellman" not in out.read_text()


def test_equations_add_the_projected_equation(capsys):
    assert main(["equations", W2W]) == 0
    out = capsys.readouterr().out
    assert "projected Bellman equation" in out and "w*(1 - 2*gamma) = 0" in out
    assert main(["equations", W2W, "--latex"]) == 0
    assert r"\Pi_D" in capsys.readouterr().out


EXAMPLE_11_1 = """format: 1
name: Example 11.1
symbols: [eps]
states: [s1, s2, end]
terminal: [end]
transitions:
  s1: {to: s2}
  s2: [{to: s2, p: 1 - eps}, {to: end, p: eps}]
features: {s1: [1], s2: [2]}
distribution: uniform
"""


def test_symbols_without_values_give_the_conditions(capsys, tmp_path):
    # Sutton & Barto Example 11.1: stable exactly while γ < 5/(6 − 4ε)
    model = tmp_path / "tsitsiklis.yaml"
    model.write_text(EXAMPLE_11_1)
    assert main(["td", str(model), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stable"] is None
    eps = Symbol("eps")
    (condition,) = [sympy.sympify(c, locals={"gamma": g, "eps": eps})
                    for c in data["stability_conditions"]]
    assert sympy.cancel(condition / (5 - (6 - 4 * eps) * g)) == Rational(1, 2)
    assert main(["td", str(model), "--json", "--at", "eps=1/8"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stable"] == [{"from": "0", "to": "10/11"}]  # 5/(6 − 1/2)
    assert main(["td", str(model)]) == 0
    assert "--at" in capsys.readouterr().out
