"""Issue 21's done-when check, read as a Chinese reader would read the paper.

The Student MDP, the 5×5 gridworld and the recycling robot each give, with ``--lang zh``, a
handout PDF, slides, an exercise sheet and its key. Each PDF is looked at from outside the
code: ``pdffonts`` says every font is embedded, ``pdftotext`` gives the text, which holds
the glossary's terms for that kind of document (docs/translating.md: the standard terms of
Chinese RL textbooks) and no English word outside maths and names, and XeLaTeX's log
has no missing glyph (a box, "tofu"). The page is checked in the same way on its text.

The English words a Chinese PDF may hold are the model's own names (states, actions, the
model's name), and the few words of maths and of citations in :data:`ALLOWED`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from symbellman.cli import main
from symbellman.io import load_model

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["student_mdp", "gridworld_5x5", "recycling_robot"]

#: Words of maths (operators TeX sets upright), of authors and of units that are the same
#: in every language; nothing else in Latin letters may appear in a Chinese document.
ALLOWED = {"max", "min", "arg", "argmax", "sup", "inf", "lim", "log", "exp", "Pr", "diag",
           "Sutton", "Barto", "Silver", "MDP", "MRP", "TD", "PDF", "Markdown", "LaTeX",
           "metropolis", "symbellman", "id",
           # subscripts pdftotext joins to their letter (G_t, S_t, A_t, R_t), and the
           # name of an irrational breakpoint, γ_root, in maths
           "Gt", "St", "At", "Rt", "vk", "root"}

#: What a reader types or opens, not reads: options, commands, file names.
COMMANDS = re.compile(r"--[\w-]+|symbellman\s+[a-z]+|[\w-]+\.(?:json|csv|pdf|png|svg|tex|md|"
                      r"html|yaml)\b")

#: The glossary's terms each kind of document uses (docs/translating.md).
TERMS = {
    "handout": ["状态价值函数", "动作价值函数", "贝尔曼期望方程", "贝尔曼最优方程", "折扣因子",
                "回报", "策略", "回溯图", "最优策略"],
    "slides": ["贝尔曼期望方程", "贝尔曼最优方程", "策略", "附录"],
    "sheet": ["练习题", "贝尔曼期望方程", "策略"],
    "key": ["参考答案", "贝尔曼期望方程", "策略"],
    "page": ["状态价值函数", "贝尔曼期望方程", "贝尔曼最优方程", "折扣因子", "策略"],
}

needs_xelatex = pytest.mark.skipif(
    any(shutil.which(p) is None for p in ("xelatex", "pdffonts", "pdftotext", "dot")),
    reason="needs xelatex (texlive-xetex texlive-lang-chinese fonts-noto-cjk), poppler-utils "
           "and graphviz")


def fonts_of(pdf) -> list[str]:
    """pdffonts' rows, after its two header lines."""
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def names_of(example: str) -> set[str]:
    """The Latin words of the model's names, and of its file's name (a figure's file)."""
    mdp, _policy = load_model(ROOT / "examples" / f"{example}.yaml")
    names = [*map(str, mdp.states), *(str(a) for _s, a in mdp.state_action_pairs),
             str(mdp.name or ""), example,
             # a parameter r_search is set as r with a subscript: "rsearch" in the text
             *(str(x).replace("_", "") for x in mdp.symbols)]
    return {w for n in names for w in re.findall(r"[A-Za-z]+", n)}


def english_words(text: str, names: set[str]) -> list[str]:
    """Words of two or more Latin letters that are neither names nor in :data:`ALLOWED`
    (a name counts in lower case too: a file is named after the model)."""
    words = re.findall(r"[A-Za-z]{2,}", COMMANDS.sub(" ", text))
    allowed = names | ALLOWED | {n.lower() for n in names}
    return sorted({w for w in words if w not in allowed})


def tex_logs_clean(result) -> None:
    for log in result.logs:
        assert log.missing == (), log.missing
        assert "Missing character" not in log.text
        assert ".notdef" not in log.text


def assert_reads_in_chinese(pdf, kind: str, names: set[str]) -> None:
    rows = fonts_of(pdf)
    assert rows, f"{pdf.name}: no fonts"
    assert all(r.split()[-5] == "yes" for r in rows), rows  # emb column
    assert any("CJK" in r for r in rows), rows
    text = text_of(pdf)
    squeezed = re.sub(r"\s+", "", text)  # pdftotext breaks Chinese lines anywhere
    missing = [t for t in TERMS[kind] if t not in squeezed]
    assert missing == [], f"{pdf.name}: glossary terms missing {missing}"
    assert english_words(text, names) == [], f"{pdf.name}: English words"


@needs_xelatex
@pytest.mark.parametrize("example", EXAMPLES)
def test_handout_slides_sheet_and_key_read_in_chinese(example, tmp_path, caplog):
    from symbellman.render.handout import write_handout

    names = names_of(example)
    mdp, policy = load_model(ROOT / "examples" / f"{example}.yaml")
    handout = write_handout(mdp, policy, tmp_path / "handout.pdf", lang="zh")
    tex_logs_clean(handout)
    assert_reads_in_chinese(tmp_path / "handout.pdf", "handout", names)

    slides = write_handout(mdp, policy, tmp_path / "slides.pdf", lang="zh", slides=True)
    tex_logs_clean(slides)
    assert_reads_in_chinese(tmp_path / "slides.pdf", "slides", names)

    sheet = write_handout(mdp, policy, tmp_path / "sheet.pdf", lang="zh", exercise=True)
    tex_logs_clean(sheet)
    pdfs = [p for p in sheet.files if p.suffix == ".pdf"]
    assert [p.name for p in pdfs] == ["sheet.pdf", "sheet-key.pdf"]
    assert_reads_in_chinese(tmp_path / "sheet.pdf", "sheet", names)
    assert_reads_in_chinese(tmp_path / "sheet-key.pdf", "key", names)
    # the plots' words: matplotlib warns of each glyph its fonts lack (it draws a box)
    tofu = [r.getMessage() for r in caplog.records if "glyph" in r.getMessage().lower()]
    assert tofu == []


class _Text(HTMLParser):
    """The page's visible text: no script, style, or maths (MathML)."""

    def __init__(self):
        super().__init__()
        self.skip, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "math", "svg", "code"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "math", "svg", "code"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_page_reads_in_chinese(example, tmp_path):
    """The page's handout text (the script's words are the page helper's, checked in
    tests/test_page*.py)."""
    page = tmp_path / "page.html"
    assert main(["handout", str(ROOT / "examples" / f"{example}.yaml"), "--lang", "zh", "-o",
                 str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert '<html lang="zh">' in html
    reader = _Text()
    reader.feed(html)
    text = re.sub(r"\s+", "", "".join(reader.parts))
    missing = [t for t in TERMS["page"] if t not in text]
    assert missing == [], missing


def test_the_allow_list_lets_no_sentence_through():
    """The filter itself: names, maths and file names pass, an English sentence does not."""
    names = {"Class", "study"}
    text = ("vπ(Class1) = Eπ[Gt | St = s]；见 handout-closed-forms.json，用 --closed-forms；"
            "symbellman equations 可打印全部。The model has 5 states.")
    assert english_words(text, names) == ["The", "has", "model", "states"]
