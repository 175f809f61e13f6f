"""Issue 21 on the page: with ``--lang zh`` every word the page shows is Chinese, in
the handout view and the lecture view, before and after a step of the iterative methods:
texts, captions, tooltips (``title``), ``aria-label``\\ s and the explorer's static
controls (``render/assets/explorer.html``). What may stay in Latin letters are names
(the model's, its states' and actions', the sliders' parameters, authors cited, the
program's) and maths (MathML, and breakpoints written as ``CRootOf(...)``). Drawings
(SVG: the state diagram's labels) are not read here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from page_browser import open_page
from symbellman.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NAMES = {"Sutton", "Barto", "PDF", "symbellman"}

COLLECT = """
  const out = [];
  const walk = (n) => {
    if (n.nodeType === 3) { out.push(n.data); return; }
    if (n.nodeType !== 1) return;
    const tag = n.tagName.toLowerCase();
    if (['math', 'script', 'style', 'svg', 'code', 'kbd'].includes(tag)) return;
    for (const a of ['title', 'aria-label', 'placeholder', 'alt'])
      if (n.getAttribute(a)) out.push(n.getAttribute(a));
    for (const c of n.childNodes) walk(c);
  };
  walk(document.documentElement);
  const d = JSON.parse(document.getElementById('page-data').textContent);
  return [out, [d.model.name, ...d.model.states, ...d.model.actions.flat(),
                ...d.sliders.map((s) => s.name)]];"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    pytest.importorskip("latex2mathml")
    folder = tmp_path_factory.mktemp("zh")
    out = {}
    for name in ("student_mdp", "recycling_robot", "gridworld_4x4"):
        out[name] = folder / f"{name}.html"
        assert main(["handout", str(EXAMPLES / f"{name}.yaml"), "--lang", "zh",
                     "-o", str(out[name])]) == 0
    return out


def english(browser) -> dict:
    """Each word in Latin letters the page shows that is not a name → a text it is in."""
    texts, names = browser.execute_script(COLLECT)
    allowed = NAMES | {w for n in names for w in re.findall(r"[A-Za-z]{2,}", n)}
    found = {}
    for text in texts:
        text = re.sub(r"CRootOf\([^)]*\)", "", text)   # a breakpoint: maths
        for word in re.findall(r"[A-Za-z]{2,}", text):
            if word not in allowed:
                found.setdefault(word, text.strip()[:80])
    return found


@pytest.mark.parametrize("name", ["student_mdp", "recycling_robot", "gridworld_4x4"])
@pytest.mark.parametrize("fragment", ["#gamma=9/10", "#gamma=9/10&lecture=1", "#gamma=1&lecture=1"])
def test_a_chinese_page_shows_no_english_words(browser, pages, name, fragment):
    open_page(browser, pages[name], fragment)
    assert browser.execute_script("return document.documentElement.lang") == "zh"
    assert english(browser) == {}
    # a step of policy evaluation, then an improvement: the captions and status change
    browser.execute_script("document.getElementById('step').click()")
    if browser.find_elements("css selector", "#improve"):
        browser.execute_script("document.getElementById('improve').click()")
    assert english(browser) == {}
    # and the state panel's labels for a clicked state
    browser.execute_script(
        "const c = document.querySelector('.cell, g.node'); if (c) c.dispatchEvent("
        "new MouseEvent('click', {bubbles: true}))")
    assert english(browser) == {}
    assert browser.get_log("browser") == []


def test_the_english_page_keeps_its_words(browser, tmp_path):
    # the catalog changes nothing in English: the same controls, in English
    page = tmp_path / "student.html"
    assert main(["handout", str(EXAMPLES / "student_mdp.yaml"), "-o", str(page)]) == 0
    open_page(browser, page, "#gamma=9/10")
    source = browser.page_source
    for words in ("Try it: the values at the sliders’ γ", "Lecture view", "Every value",
                  'aria-label="Discount and parameters"'):
        assert words in source
    assert browser.find_element("css selector", "footer").text.startswith("Written by symbellman")


def test_every_word_of_the_static_markup_is_in_the_catalog():
    from importlib import resources

    from symbellman.render.page_words import MARKUP_WORDS, markup_texts

    marked = {" ".join(w.split()) for w in MARKUP_WORDS}
    for asset in ("explorer.html", "page.html"):
        markup = resources.files("symbellman.render").joinpath("assets", asset).read_text(
            encoding="utf-8")
        # single letters are maths (v_k's k, the key L); @...@ are the writer's fields
        words = [t for t in markup_texts(markup)
                 if len(t) > 1 and not re.fullmatch(r"(@\w+@\s*)+", t)]
        assert words and [t for t in words if t not in marked] == [], asset
