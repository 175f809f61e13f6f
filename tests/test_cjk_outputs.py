"""A model whose model, state and action names are Chinese goes through every output of
the command line, in English and in Chinese (issue 21's done-when item).

tests/test_i18n.py renders its PDFs (handout, slides, sheet and key) and writes its
Markdown, .tex and page through the library; this file runs the commands a teacher
types: ``solve`` (text and ``--json``), ``optimal``, ``equations``, ``latex``, ``handout``
to Markdown and to a page, ``export`` to PRISM, and ``check``. The values are computed
here by Cramer's rule in Fractions, not by symbellman.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from symbellman.cli import main

STATES = ["上课", "酒吧", "睡觉"]
ACTIONS = ["学习", "去酒吧", "喝酒"]
MODEL = """\
name: 学生马尔可夫决策过程
states: [上课, 酒吧, 睡觉]
terminal: [睡觉]
discount: 9/10
actions:
  上课: [学习, 去酒吧]
  酒吧: [喝酒]
transitions:
  上课:
    学习: [[睡觉, 1, 10]]
    去酒吧: [[酒吧, 1, -1]]
  酒吧:
    喝酒: [[上课, 1/2, 1], [酒吧, 1/2, 1]]
"""


def uniform_values() -> dict:
    """v_π of the uniform policy, γ = 9/10, by Cramer's rule:
    x = 1/2·10 + 1/2·(−1 + γ y),  y = 1 + γ (x/2 + y/2)."""
    g = Fraction(9, 10)
    # (1) x − (g/2) y = 9/2      (2) −(g/2) x + (1 − g/2) y = 1
    a, b, e = Fraction(1), -g / 2, Fraction(9, 2)
    c, d, f = -g / 2, 1 - g / 2, Fraction(1)
    det = a * d - b * c
    return {"上课": (e * d - b * f) / det, "酒吧": (a * f - e * c) / det, "睡觉": Fraction(0)}


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "学生.yaml"  # a Chinese file name too
    path.write_text(MODEL, encoding="utf-8")
    return path


def run(capsys, *argv) -> str:
    status = main([*map(str, argv)])
    out = capsys.readouterr()
    assert status == 0, out.err
    return out.out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_solve_and_optimal(model, capsys, lang):
    v = uniform_values()
    out = run(capsys, "solve", model, "--lang", lang)
    # the v table's rows: state, exact, decimal (the q table's have an action too)
    rows = {ln.split()[0]: ln.split()[1] for ln in out.splitlines()
            if ln[:2] in STATES and len(ln.split()) == 3}
    assert {s: Fraction(rows[s]) for s in STATES} == v
    data = json.loads(run(capsys, "solve", model, "--json", "--lang", lang))
    assert {s: Fraction(x) for s, x in data["v"].items()} == v
    assert Fraction(data["q"]["上课"]["学习"]) == 10 and data["model"] == "学生马尔可夫决策过程"
    # optimal: studying from 上课 earns 10; 去酒吧 earns −1 + 9/10·10 = 8 (v*(酒吧) = 10)
    out = run(capsys, "optimal", model, "--lang", lang)
    best = {ln.split()[0]: ln.split()[1:] for ln in out.splitlines()
            if ln[:2] in STATES and ln.split()[1] not in ACTIONS}  # the v* table
    assert best["上课"][0] == "10" and best["上课"][-1] == "学习"
    assert best["酒吧"][0] == "10" and best["酒吧"][-1] == "喝酒"
    assert "学生马尔可夫决策过程" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_equations_latex_and_the_documents(model, capsys, tmp_path, lang):
    out = run(capsys, "equations", model, "--lang", lang)
    assert all(s in out for s in STATES + ACTIONS)
    run(capsys, "latex", model, "--lang", lang, "-o", tmp_path / "eq.tex")
    tex = (tmp_path / "eq.tex").read_text(encoding="utf-8")
    assert all(r"\text{%s}" % s in tex for s in STATES)
    run(capsys, "handout", model, "--lang", lang, "-o", tmp_path / "h.md")
    md = (tmp_path / "h.md").read_text(encoding="utf-8")
    assert all(s in md for s in STATES + ACTIONS) and "# 学生马尔可夫决策过程" in md
    run(capsys, "handout", model, "--lang", lang, "-o", tmp_path / "p.html")
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert all(s in page for s in STATES + ACTIONS)
    assert f'<html lang="{lang}">' in page


def test_export_prism_names_the_states_in_comments(model, capsys, tmp_path):
    run(capsys, "export", model, "-o", tmp_path / "m.prism")
    prism = (tmp_path / "m.prism").read_text(encoding="utf-8")
    # PRISM identifiers are ASCII: the states are numbered, their names are comments
    assert "// 0 上课, 1 酒吧, 2 睡觉" in prism
    code = "\n".join(ln.split("//")[0] for ln in prism.splitlines())
    assert code.isascii()
    # the expected reward of 上课 under the uniform policy: 1/2·10 + 1/2·(−1) = 9/2
    assert "s=0 : 9/2;" in prism


def test_check_reads_chinese_names(model, capsys, tmp_path):
    v = uniform_values()
    answers = tmp_path / "答案.yaml"
    answers.write_text(f"v:\n  上课: {v['上课']}\n  酒吧: {v['酒吧'] + 1}\n", encoding="utf-8")
    status = main(["check", str(model), str(answers), "--lang", "zh"])
    out = capsys.readouterr().out
    assert status == 1  # one entry wrong
    assert "上课" in out and "酒吧" in out and "正确" in out and "错误" in out
