"""Languages through gettext catalogs (issue 21): the catalogs, the choice of language, and
Chinese handouts, slides, exercise sheets with keys and pages, looked at as a reader would.

The expected Chinese words come from the glossary (docs/translating.md), which a
translator wrote from the standard terms of Chinese RL textbooks, not from the code; the
catalog test reads the messages with Babel's own extractor, independently of
:mod:`symbellman.core.i18n`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from symbellman.core import i18n
from symbellman.cli import main
from symbellman.core.errors import SymbellmanError
from symbellman.io import load_model

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "symbellman" / "locale"
PO = LOCALE / "zh" / "LC_MESSAGES" / "symbellman.po"
MO = PO.with_suffix(".mo")

#: The glossary's terms a handout of a model with actions uses (docs/translating.md).
GLOSSARY = ["状态价值函数", "动作价值函数", "贝尔曼期望方程", "贝尔曼最优方程", "折扣因子", "回报",
            "策略", "回溯图", "最优策略"]

needs_xelatex = pytest.mark.skipif(
    any(shutil.which(p) is None for p in ("xelatex", "pdffonts", "pdftotext", "dot")),
    reason="needs xelatex (texlive-xetex texlive-lang-chinese), poppler and graphviz")


def fonts_of(pdf) -> list[str]:
    """pdffonts' rows, after its two header lines."""
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]


def text_of(pdf) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return re.sub(r"\s+", "", text)  # pdftotext breaks Chinese lines anywhere


def assert_readable(pdf, logs=()) -> str:
    """Every font embedded, a CJK font among them, no missing glyph; the text."""
    rows = fonts_of(pdf)
    assert rows and all(r.split()[-5] == "yes" for r in rows), rows
    assert any("CJK" in r for r in rows), rows
    for log in logs:
        assert log.missing == () and "Missing character" not in log.text
    return text_of(pdf)


# -- the catalogs --------------------------------------------------------------------------
def test_catalogs_are_complete_and_compiled():
    """Every message Babel extracts from the source is in the zh catalog, translated, with
    the same placeholders; the .mo holds exactly the .po's translations."""
    babel = pytest.importorskip("babel.messages.extract")
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    extracted = set()
    for path in sorted((ROOT / "symbellman").rglob("*.py")):
        with open(path, "rb") as handle:
            for _line, _fn, message, _comments in babel.extract_python(
                    handle, {"_": None, "N_": None}, [], {}):
                if isinstance(message, str):
                    extracted.add(message)
    for path in sorted((ROOT / "symbellman").rglob("*.js")):  # the page's script: T("...")
        with open(path, "rb") as handle:
            for _line, _fn, message, _comments in babel.extract_javascript(
                    handle, {"T": None}, [], {}):
                message = message[0] if isinstance(message, tuple) else message  # T(s, values)
                if isinstance(message, str):
                    extracted.add(message)
    assert len(extracted) > 200 and "Undo every change" in extracted
    with open(PO, "rb") as handle:
        po = {m.id: m.string for m in read_po(handle) if m.id}
    assert extracted - set(po) == set(), "run pybabel extract/update (docs/translating.md)"
    assert set(po) - extracted == set(), "the .po has messages the code no longer uses"
    for msgid, msgstr in po.items():
        assert msgstr, f"no Chinese for {msgid!r}"
        # the same placeholders (a translation may repeat one) and the same maths
        assert set(re.findall(r"\{[^}]*\}", msgid)) == set(re.findall(r"\{[^}]*\}", msgstr)), \
            msgid
        assert set(re.findall(r"\$[^$]*\$", msgid)) == set(re.findall(r"\$[^$]*\$", msgstr)), \
            msgid
    with open(MO, "rb") as handle:
        mo = {m.id: m.string for m in read_mo(handle) if m.id}
    assert mo == po, "run pybabel compile -d symbellman/locale -D symbellman"


def test_a_catalog_is_a_language():
    assert i18n.available() == ("en", "zh")
    with i18n.using("zh"):
        assert i18n._("State") == "状态" and i18n.current() == "zh"
    assert i18n._("State") == "State"


def test_the_order_of_choice(monkeypatch):
    monkeypatch.delenv("SYMBELLMAN_LANG", raising=False)
    assert i18n.resolve(None) == "en"
    assert i18n.resolve(None, "zh") == "zh"          # the model file's lang:
    monkeypatch.setenv("SYMBELLMAN_LANG", "zh_CN.UTF-8")
    assert i18n.resolve(None) == "zh"                # the environment
    assert i18n.resolve("en", "zh") == "en"          # --lang wins
    with pytest.raises(SymbellmanError, match="no catalog for the language 'fr'"):
        i18n.resolve("fr")


def test_an_unknown_language_is_one_line_and_exit_2(capsys, tmp_path):
    assert main(["handout", str(ROOT / "examples" / "student_mdp.yaml"), "--lang", "xx",
                 "-o", str(tmp_path / "h.md")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no catalog for the language 'xx'" in err


# -- Chinese outputs ----------------------------------------------------------------------
def test_markdown_handout_in_chinese_keeps_numbers_maths_and_names(tmp_path):
    from symbellman.render.handout import write_handout

    mdp, policy = load_model(ROOT / "examples" / "student_mdp.yaml")
    write_handout(mdp, policy, tmp_path / "en.md")
    write_handout(mdp, policy, tmp_path / "zh.md", lang="zh")
    en = (tmp_path / "en.md").read_text(encoding="utf-8")
    zh = (tmp_path / "zh.md").read_text(encoding="utf-8")
    assert "## 1. 模型" in zh and "## 7. 最优性" in zh and "1. The model" not in zh
    assert "马尔可夫决策过程" in zh and "贝尔曼期望方程" in zh
    # the maths is the same in both languages: every display equation, row by row, apart
    # from the words naming a derivation's steps, (\text{...}) at a row's end
    def maths(text):
        text = re.sub(r" &&\\text\{\(.*?\)\}(?= \\\\$|$)", "", text, flags=re.M)
        return re.findall(r"\$\$(.*?)\$\$", text, re.S)

    assert maths(en) and maths(en) == maths(zh)
    for name in ("Facebook", "Class1", "Class2", "Class3", "Sleep"):
        assert name in zh


def test_sentences_run_on_without_spaces_in_chinese():
    with i18n.using("zh"):
        assert i18n.spaced(["一。", "二。"]) == "一。二。"
    assert i18n.spaced(["One.", "Two."]) == "One. Two."


def test_model_file_lang_and_environment(tmp_path, monkeypatch):
    source = (ROOT / "examples" / "student_mrp.yaml").read_text(encoding="utf-8")
    model = tmp_path / "mrp.yaml"
    model.write_text("lang: zh\n" + source, encoding="utf-8")
    assert main(["handout", str(model), "-o", str(tmp_path / "a.md")]) == 0
    assert "## 1. 模型" in (tmp_path / "a.md").read_text(encoding="utf-8")
    assert main(["handout", str(model), "--lang", "en", "-o", str(tmp_path / "b.md")]) == 0
    assert "## 1. The model" in (tmp_path / "b.md").read_text(encoding="utf-8")
    monkeypatch.setenv("SYMBELLMAN_LANG", "zh")
    assert main(["handout", str(ROOT / "examples" / "student_mrp.yaml"), "-o",
                 str(tmp_path / "c.md")]) == 0
    text = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert "## 1. 模型" in text and "马尔可夫奖励过程" in text


@needs_xelatex
@pytest.mark.parametrize("example", ["student_mdp", "gridworld_5x5", "recycling_robot"])
def test_chinese_handout_slides_sheet_key_and_page(example, tmp_path):
    """The done-when check of issue 21: each example in Chinese, on paper and as a page."""
    from symbellman.render.handout import write_handout
    from symbellman.render.html import write_page

    mdp, policy = load_model(ROOT / "examples" / f"{example}.yaml")
    handout = write_handout(mdp, policy, tmp_path / "handout.pdf", lang="zh")
    text = assert_readable(tmp_path / "handout.pdf", handout.logs)
    missing = [t for t in GLOSSARY if t not in text]
    assert missing == [], missing
    assert "1.模型" in text and "The model" not in text and "Definitions" not in text

    slides = write_handout(mdp, policy, tmp_path / "slides.pdf", lang="zh", slides=True)
    text = assert_readable(tmp_path / "slides.pdf", slides.logs)
    assert "贝尔曼期望方程" in text and "附录" in text

    sheet = write_handout(mdp, policy, tmp_path / "sheet.pdf", lang="zh", exercise=True)
    assert [p.name for p in sheet.files if p.suffix == ".pdf"] == ["sheet.pdf",
                                                                   "sheet-key.pdf"]
    text = assert_readable(tmp_path / "sheet.pdf", sheet.logs[:1])
    assert "练习题：请填空。" in text
    key = assert_readable(tmp_path / "sheet-key.pdf", sheet.logs[1:])
    assert "练习题" not in key and "贝尔曼期望方程" in key

    write_page(mdp, policy, tmp_path / "page.html", lang="zh")
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and "<h2>1. 模型</h2>" in page
    assert "贝尔曼期望方程" in page
    # the script's words travel in the page's data, translated
    data = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>',
                                page, re.S).group(1))
    assert data["words"]["Undo every change"] == "撤销全部修改"
    # the head comes from the family record, put into the translated sentence by the page
    assert data["words"]["Bellman optimality equation ({head})"] == "贝尔曼最优方程（{head}）"


@needs_xelatex
def test_a_model_with_chinese_state_names_goes_through_every_output(tmp_path):
    from test_cjk_pdf import ACTIONS, STATES, chinese_mdp

    from symbellman.render.handout import write_handout
    from symbellman.render.html import write_page

    mdp = chinese_mdp()
    for lang in ("en", "zh"):
        for name, options in [("h.pdf", {}), ("s.pdf", {"slides": True}),
                              ("e.pdf", {"exercise": True})]:
            result = write_handout(mdp, None, tmp_path / lang / name, lang=lang, **options)
            for pdf, log in zip([p for p in result.files if p.suffix == ".pdf"],
                                result.logs):
                text = assert_readable(pdf, [log])
                assert all(s in text for s in STATES), pdf
        for name in ("h.md", "h.tex"):
            write_handout(mdp, None, tmp_path / lang / name, lang=lang)
            text = (tmp_path / lang / name).read_text(encoding="utf-8")
            assert all(s in text for s in STATES + ACTIONS)
        write_page(mdp, None, tmp_path / lang / "p.html", lang=lang)
        page = (tmp_path / lang / "p.html").read_text(encoding="utf-8")
        assert all(s in page for s in STATES + ACTIONS)


def test_check_speaks_the_language():
    from symbellman.checking.messages import say

    assert say("terminal", state="睡觉") == "睡觉 is terminal: its value is 0."
    with i18n.using("zh"):
        assert say("terminal", state="睡觉") == "睡觉 是终止状态：它的价值为 0。"
        assert say("missed-tie", actions="sleep") == "漏掉了最优动作 sleep：它同样取到最大值。"


def test_notebook_display_speaks_the_language():
    from symbellman.model.examples import student_mdp
    from symbellman.model.policy import Policy

    mdp = student_mdp()
    with i18n.using("zh"):
        table = mdp._repr_html_()
        policy = Policy.uniform(mdp)._repr_html_()
    # 5 states and 8 state-action pairs: Silver's Student MDP (lecture 2)
    assert "马尔可夫决策过程，5 个状态，8 个状态-动作对" in table and "终止状态：Sleep" in table
    assert "均匀随机策略" in policy and "<th>状态</th>" in policy
    assert "MDP with 5 states, 8 state-action pairs" in mdp._repr_html_()


def test_check_answers_in_the_models_language(tmp_path, capsys):
    """A right answer (v_pi(Class3) = 96/13 at discount 1 for the uniform policy: Silver's
    lecture 2 gives 7.4 for v(Class3)) and a wrong one, in a model that says lang: zh."""
    source = (ROOT / "examples" / "student_mdp.yaml").read_text(encoding="utf-8")
    model = tmp_path / "student.yaml"
    model.write_text("lang: zh\n" + source, encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    answers.write_text("v:\n  Class3: 96/13\n  Class2: 3\n", encoding="utf-8")
    assert main(["check", str(model), str(answers)]) == 1
    out = capsys.readouterr().out
    assert "正确" in out and "错误" in out and "Class3" in out
    assert main(["check", str(model), str(answers), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "right" in out and "wrong" in out and "正确" not in out
