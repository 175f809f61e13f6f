"""The finite-horizon, average-reward and TD sections of a Chinese handout have no English
words left: only maths, the model's names (states, actions, features) and the names of
authors and methods cited (Sutton & Barto, Routh–Hurwitz, Tsitsiklis & Van Roy)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symbellman.io import load_model
from symbellman.render.handout import build_handout
from symbellman.render.writers import markdown

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: Words that are not English prose: authors, methods, and maths written as words.
ALLOWED = {"Sutton", "Barto", "Routh", "Hurwitz", "Tsitsiklis", "Van", "Roy", "TD", "lim",
           "max", "min", "span", "sp", "pi"}


def section_text(model: str, key: str, tmp_path) -> tuple[str, set]:
    mdp, policy = load_model(EXAMPLES / model)
    doc = build_handout(mdp, policy, folder=tmp_path, figure_formats=("png",), lang="zh")
    found = [s for s in doc.sections if s.key == key]
    assert len(found) == 1
    text = "\n".join(markdown.section(found[0], False, {}))  # the section alone
    names = set(mdp.states) | {a for s in mdp.states for a in mdp.actions(s) if a}
    names |= {str(x) for x in mdp.symbols}
    projection = mdp.criteria.projection
    names |= set(getattr(projection, "feature_names", None) or ())
    return text, names


def prose(text: str) -> str:
    """The text without display maths ($$ ... $$) and inline maths ($...$)."""
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    return re.sub(r"\$[^$]*\$", " ", text)


@pytest.mark.parametrize("model, key, heading", [
    ("puterman_two_state.yaml", "criteria", "有限时域"),
    ("puterman_two_state_average.yaml", "criteria", "平均奖励"),
    ("exercise_10_6.yaml", "criteria", "平均奖励"),
    ("baird_star.yaml", "projected", "投影贝尔曼方程")])
def test_no_english_left_in_the_zh_section(model, key, heading, tmp_path):
    text, names = section_text(model, key, tmp_path)
    assert heading in text
    words = set(re.findall(r"[A-Za-z]{2,}", prose(text)))
    left = {w for w in words if w not in ALLOWED and w not in names
            and not re.fullmatch(r"[a-z]\d*|w\d+|s\d+", w)}
    assert left == set(), sorted(left)


def test_the_glossary_terms_are_used(tmp_path):
    text, _ = section_text("puterman_two_state_average.yaml", "criteria", tmp_path)
    for term in ("增益", "偏差", "闭类"):
        assert term in text
    text, _ = section_text("baird_star.yaml", "projected", tmp_path)
    for term in ("时序差分", "投影贝尔曼方程", "不动点", "行为策略"):
        assert term in text


def test_cli_headings_in_chinese(capsys):
    from symbellman.cli import main

    assert main(["--lang", "zh", "solve", str(EXAMPLES / "exercise_10_6.yaml")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "增益与偏差（平均奖励）" in out[0] and out[1] == "链：一个闭类 {A, B}（周期 2）"
    assert main(["--lang", "zh", "td", str(EXAMPLES / "w_to_2w.yaml")]) == 0
    out = capsys.readouterr().out
    assert "线性时序差分 TD(0)" in out and "投影贝尔曼方程 A theta = b" in out
    assert main(["--lang", "zh", "optimal", str(EXAMPLES / "puterman_two_state.yaml")]) == 0
    out = capsys.readouterr().out
    assert "k 表示还要做的决策次数" in out and "时刻" in out


def test_td_command_lines_in_chinese(capsys):
    from symbellman.cli import main

    assert main(["--lang", "zh", "td", str(EXAMPLES / "baird_star.yaml")]) == 0
    out = capsys.readouterr().out
    assert "gamma 属于 [0, 15/17) 时稳定" in out and "在模型的折扣因子 99/100 下：不稳定" in out
    assert "A 奇异（秩为 7，共 8 维）" in out
    for english in ("stable for", "UNSTABLE", "fixed points are", "A is singular"):
        assert english not in out
