"""The terminal in the reader's language (issue 21): ``solve``, ``optimal``, ``equations``
headings and table headers, error lines and progress words, from ``--lang``, a model
file's ``lang:`` or ``SYMBELLMAN_LANG``; tables padded by the columns a terminal gives a
Chinese character (two: Unicode's East Asian Width "W").

The Chinese words are the glossary's (docs/translating.md); the numbers are Silver's
(lecture 2: the Student MDP's uniform-policy values at γ = 1 are v(Facebook) = −2.3,
v(Class3) = 7.4; −30/13 and 96/13 exactly) and are the same in every language.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from symbellman.cli import main

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "examples" / "student_mdp.yaml"


def columns(text: str) -> int:
    """Terminal columns, computed here from Unicode's table, not by the code under test."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def starts(line: str) -> list[int]:
    """The terminal column where each cell of a table line starts (cells are separated by
    two or more spaces; a cell holds no two spaces)."""
    out, col = [], 0
    for piece in re.split(r"(\s{2,})", line):
        if piece and not piece.isspace():
            out.append(col)
        col += columns(piece)
    return out


def assert_aligned(table_lines: list[str]) -> None:
    header, rule, *rows = table_lines
    assert set(rule.replace(" ", "")) == {"-"}
    at = starts(rule)
    assert starts(header) == at
    for row in rows:
        assert starts(row) == at[:len(starts(row))], (row, at)


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([*map(str, argv)])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_solve_speaks_chinese_with_the_same_numbers(capsys):
    status, out, _err = run(capsys, "solve", STUDENT, "--lang", "zh")
    assert status == 0
    assert "均匀随机策略" in out and "折扣因子 1" in out
    lines = out.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("状态"))
    assert lines[header].split() == ["状态", "v_pi（精确值）", "小数"]
    table = lines[header:header + 7]
    assert_aligned(table)
    rows = {ln.split()[0]: ln.split()[1] for ln in table[2:]}
    assert rows["Facebook"] == "-30/13" and rows["Class3"] == "96/13"
    q_header = next(ln for ln in lines[header + 7:] if ln.startswith("状态"))
    assert q_header.split()[:2] == ["状态", "动作"]
    # English stays the default, word for word
    status, out, _err = run(capsys, "solve", STUDENT)
    assert "under the uniform policy, discount 1" in out
    assert re.search(r"^state\s+v_pi \(exact\)\s+decimal$", out, re.M)


def test_optimal_speaks_chinese(capsys):
    status, out, _err = run(capsys, "optimal", STUDENT, "--lang", "zh", "--at", "gamma=9/10")
    assert status == 0
    assert "最优解" in out and "成立" in out and "certificate" not in out
    lines = out.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("状态"))
    assert lines[header].split() == ["状态", "v*（精确值）", "小数", "最优动作"]
    assert_aligned(lines[header:header + 7])


def test_optimal_pieces_speak_chinese(capsys):
    """Sutton & Barto, Exercise 3.22: left is optimal below γ = 1/2, right above, both at 1/2."""
    status, out, _err = run(capsys, "optimal", ROOT / "examples" / "exercise_3_22.yaml",
                            "--lang", "zh")
    assert status == 0
    assert "共 2 段" in out and "第 1 段：0 <= gamma < 1/2" in out
    assert "第 2 段：1/2 <= gamma < 1" in out and "gamma = 0.5 处并列" in out
    assert "piece" not in out and "Blackwell 最优" in out


def test_equations_headings_speak_chinese(capsys):
    status, out, _err = run(capsys, "equations", STUDENT, "--lang", "zh")
    assert status == 0
    assert "v_pi 的贝尔曼期望方程：" in out and "q_pi 的贝尔曼期望方程：" in out
    assert "Bellman" not in out


def test_a_model_files_lang_switches_the_terminal(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("SYMBELLMAN_LANG", raising=False)
    model = tmp_path / "student.yaml"
    model.write_text("lang: zh\n" + STUDENT.read_text(encoding="utf-8"), encoding="utf-8")
    _status, out, _err = run(capsys, "solve", model)
    assert out.splitlines()[2].startswith("状态")
    _status, out, _err = run(capsys, "solve", model, "--lang", "en")  # --lang wins
    assert out.splitlines()[2].startswith("state")
    # and the language does not stay behind for the next command
    _status, out, _err = run(capsys, "solve", STUDENT)
    assert out.splitlines()[2].startswith("state")


def test_chinese_names_line_up_by_terminal_columns(capsys, tmp_path):
    model = tmp_path / "cn.yaml"
    model.write_text("states: [上课, 酒吧, 睡觉]\nterminal: [睡觉]\ndiscount: 9/10\n"
                     "transitions:\n  上课: [[睡觉, 1, 10]]\n  酒吧: [[上课, 1/2, 1], [酒吧, 1/2, 1]]\n",
                     encoding="utf-8")
    for lang in ("en", "zh"):
        status, out, _err = run(capsys, "solve", model, "--lang", lang)
        assert status == 0
        lines = out.splitlines()
        assert_aligned(lines[2:7])
        # v(上课) = 10; v(酒吧) = 1 + 9/10 (10/2 + v/2), so 11/20 v = 11/2 and v = 10
        assert {ln.split()[0]: ln.split()[1] for ln in lines[4:7]} == {
            "上课": "10", "酒吧": "10", "睡觉": "0"}


@pytest.mark.parametrize("lang, line", [
    ("en", "symbellman: error: {f}: transitions.a: the probabilities sum to 1/2, not 1 "
           "(make them add up to exactly 1)"),
    ("zh", "symbellman: 错误：{f}: transitions.a: 概率之和为 1/2，不是 1（请让它们之和恰好为 1）"),
])
def test_errors_are_one_line_in_the_language(capsys, tmp_path, lang, line):
    model = tmp_path / "m.yaml"
    model.write_text("states: [a, b]\nterminal: [b]\ntransitions:\n  a: [[b, 1/2, 1]]\n",
                     encoding="utf-8")
    status, out, err = run(capsys, "solve", model, "--lang", lang)
    assert status == 2 and out == ""
    assert err == line.format(f=model) + "\n"


def test_a_missing_file_and_a_bad_at_in_chinese(capsys, tmp_path):
    status, _out, err = run(capsys, "solve", tmp_path / "none.yaml", "--lang", "zh")
    assert status == 2 and err.strip().endswith("none.yaml: 文件不存在")
    status, _out, err = run(capsys, "solve", STUDENT, "--at", "gamma", "--lang", "zh")
    assert status == 2 and "--at 需要 名称=数值 的形式" in err and "例如 --at gamma=9/10" in err


def test_environment_language_speaks_errors(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SYMBELLMAN_LANG", "zh_CN.UTF-8")
    status, _out, err = run(capsys, "solve", tmp_path / "none.yaml")
    assert status == 2 and err.startswith("symbellman: 错误：")


def test_an_unknown_language_is_said_in_english(capsys):
    status, _out, err = run(capsys, "solve", STUDENT, "--lang", "xx")
    assert status == 2
    assert err.count("\n") == 1 and "no catalog for the language 'xx'" in err
    assert "there are: en, zh" in err


def test_progress_words_follow_the_language():
    from symbellman.core.i18n import using
    from symbellman.progress import stage_words

    assert stage_words("piece 2: numerators") == "piece 2: numerators"
    with using("zh"):
        assert stage_words("typesetting") == "排版"
        assert stage_words("piece 12: lowest terms") == "第 12 段：约分"
        assert stage_words("piece 3 of 26 (gamma from 0.6171): numerators") == \
            "第 3 段（共 26 段，gamma 从 0.6171 起）：分子"
        assert stage_words("piece 3 (gamma from 0.6171 to 1)") == "第 3 段（gamma 从 0.6171 到 1）"
        assert stage_words("something new") == "something new"


def test_a_new_language_is_a_catalog_file_and_nothing_else(capsys, tmp_path, monkeypatch):
    """docs/translating.md's steps, followed for German in a copy of the catalogs: the
    command line speaks it with no change to the code; a message it lacks stays English."""
    import shutil

    mofile = pytest.importorskip("babel.messages.mofile")
    from babel.messages.catalog import Catalog

    from symbellman.core import i18n

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    catalog = Catalog(locale="de", domain="symbellman")
    for msgid, msgstr in [("state", "Zustand"), ("decimal", "Dezimal"),
                          ("{name} (exact)", "{name} (exakt)")]:
        catalog.add(msgid, msgstr)
    (locale / "de" / "LC_MESSAGES").mkdir(parents=True)
    with open(locale / "de" / "LC_MESSAGES" / "symbellman.mo", "wb") as handle:
        mofile.write_mo(handle, catalog)

    status, _out, err = run(capsys, "solve", STUDENT, "--lang", "de")
    assert status == 2 and "no catalog for the language 'de'" in err  # not there yet
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.translation.cache_clear()
    try:
        assert "de" in i18n.available()
        status, out, _err = run(capsys, "solve", STUDENT, "--lang", "de")
        assert status == 0
        header = next(ln for ln in out.splitlines() if ln.startswith("Zustand"))
        assert header.split() == ["Zustand", "v_pi", "(exakt)", "Dezimal"]
        assert "action" in out  # not in the German catalog: English
    finally:
        i18n.translation.cache_clear()


def test_several_models_each_speak_their_own_lang(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("SYMBELLMAN_LANG", raising=False)
    chinese = tmp_path / "zh.yaml"
    chinese.write_text("lang: zh\n" + STUDENT.read_text(encoding="utf-8"), encoding="utf-8")
    _status, out, _err = run(capsys, "solve", chinese, STUDENT)
    headers = [ln.split()[0] for ln in out.splitlines() if ln.endswith("小数")
               or ln.endswith("decimal")]
    assert headers == ["状态", "状态", "state", "state"], out


def test_several_models_say_their_errors_in_the_language(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("states: [a, b]\nterminal: [b]\ntransitions:\n  a: [[b, 1/2, 1]]\n",
                   encoding="utf-8")
    status = main(["solve", str(STUDENT), str(bad), "--lang", "zh"])
    err = capsys.readouterr().err
    assert status == 2
    assert f"symbellman: 错误：{bad}: transitions.a: 概率之和为 1/2，不是 1" in err
    status = main(["solve", str(STUDENT), str(bad), "--lang", "zh", "--json"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.splitlines()[-1] == "symbellman: 错误：2 个模型中有 1 个失败（各自的那一行写明了错误）"


def test_written_files_are_announced_in_the_language(capsys, tmp_path):
    _status, out, _err = run(capsys, "handout", STUDENT, "--lang", "zh", "-o",
                             tmp_path / "s.md")
    assert f"已写入 {tmp_path / 's.md'}" in out.splitlines() and "wrote" not in out
    _status, out, _err = run(capsys, "export", STUDENT, "-o", tmp_path / "s.prism")
    assert f"wrote {tmp_path / 's.prism'}" in out.splitlines()


@pytest.mark.parametrize("example, option", [("puterman_two_state.yaml", ["--horizon", "2"]),
                                             ("puterman_two_state_average.yaml",
                                              ["--criterion", "average"])])
def test_the_criteria_headings_name_the_policy_in_chinese(capsys, example, option):
    # the policy's kind was printed as its English key ("uniform策略下的 v_k")
    code, out, _err = run(capsys, "solve", str(ROOT / "examples" / example), *option,
                          "--lang", "zh")
    assert code == 0
    heading = out.splitlines()[0]
    assert "均匀随机策略下的" in heading, heading
    assert "uniform" not in heading and "policy" not in heading, heading


def test_ascii_cells_are_measured_without_the_unicode_tables(monkeypatch):
    # optimal --at on 5,000 states prints 180 MB of exact numbers: looking each digit up
    # through Unicode's width tables, one character at a time, doubled its time
    import unicodedata

    from symbellman.cli.output import display_width, table

    def refuse(_c):
        raise AssertionError("an ASCII cell went through the per-character width loop")

    monkeypatch.setattr(unicodedata, "east_asian_width", refuse)
    monkeypatch.setattr(unicodedata, "combining", refuse)
    assert display_width("1" * 100_000) == 100_000
    text = table([["s1", "-30/13"], ["Class3", "96/13"]], ["state", "v"])
    assert text.splitlines() == ["state   v", "------  ------", "s1      -30/13",
                                 "Class3  96/13"]
