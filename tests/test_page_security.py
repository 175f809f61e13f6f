"""Issue 18: no state, action or model name runs as script on the page.

Hostile names (a ``<script>`` element, an SVG ``onload``, an ``<img onerror>``, a
``</script>`` that would end the page's data) go into a grid model and a diagram model;
the page is opened in Chromium, every state is clicked, a sweep is run and every view
shown, and a canary (``window.__pwned``, ``document.title``) must stay untouched. The
file itself must hold no name as markup, and its Content-Security-Policy must let only
the page's own script run (a hash, no ``'unsafe-inline'``).
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from page_browser import open_page
from symbellman.cli import main

NAMES = ["<script>window.__pwned=1;document.title='pwned'</script>",
         "<svg/onload=window.__pwned=2>",
         "x\"'&<img src=x onerror=window.__pwned=3>",
         "</script><script>window.__pwned=4</script>",
         "<!--<script>window.__pwned=5</script>",
         "<math><mtext><img src=x onerror=window.__pwned=6></mtext></math>"]
ACTIONS = ["<b onmouseover=window.__pwned=7>go</b>", "<iframe srcdoc='<script>parent.__pwned=8</script>'>"]


class NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def hostile_model(grid: bool) -> dict:
    states = NAMES[:4] if grid else NAMES
    model = {"format": 1, "name": "<img src=x onerror=window.__pwned=9>",
             "description": "<script>window.__pwned=10</script>", "discount": "9/10",
             "states": list(states), "actions": {s: list(ACTIONS) for s in states}, "transitions": {}}
    for i, s in enumerate(states):
        model["transitions"][s] = {
            ACTIONS[0]: {"to": states[(i + 1) % len(states)], "r": 1},
            ACTIONS[1]: [{"to": states[(i + 2) % len(states)], "p": "1/2", "r": -1},
                         {"to": s, "p": "1/2", "r": 2}]}
    if grid:
        model["layout"] = {"grid": [list(states[:2]), list(states[2:])]}
    return model


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    pytest.importorskip("latex2mathml")
    folder = tmp_path_factory.mktemp("hostile")
    out = {}
    for kind in ("grid", "diagram"):
        model = folder / f"{kind}.yaml"
        model.write_text(yaml.dump(hostile_model(kind == "grid"), Dumper=NoAliases, allow_unicode=True))
        out[kind] = folder / f"{kind}.html"
        assert main(["handout", str(model), "-o", str(out[kind])]) == 0
    return out


@pytest.mark.parametrize("kind", ["grid", "diagram"])
def test_no_name_is_markup_in_the_file(pages, kind):
    text = pages[kind].read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="page-data">')
    end = text.index("</script>", start)
    data, rest = text[start + 47:end], text[:start] + text[end:]
    # outside the data block no name is markup; inside it (JSON, never parsed as HTML)
    # nothing can end the element, open a comment or start a script
    for fragment in ("<script>window", "<svg/onload", "<img src=x", "<b onm", "<iframe",
                     "</script><script>", "<!--<script>"):
        assert fragment not in rest, fragment
    assert not re.search(r"</|<!|<script", data, re.I)
    assert json.loads(data)["model"]["states"][0] == NAMES[0]
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    scripts = re.search(r"script-src ([^;]*);", policy).group(1).split()
    assert len(scripts) == 1 and scripts[0].startswith("'sha256-"), policy
    assert "unsafe-inline" not in scripts[0] and "unsafe-eval" not in policy
    # exactly one script runs: the page's own (the data block is JSON, not script)
    assert len(re.findall(r"<script>", text)) == 1
    assert len(re.findall(r'<script type="application/json"', text)) == 1


@pytest.mark.parametrize("kind", ["grid", "diagram"])
def test_no_name_runs_in_chromium(browser, pages, kind):
    open_page(browser, pages[kind], "#gamma=1/2")
    clicked = browser.execute_script("""
        const hits = document.querySelectorAll('.cell, g.state-node, #values button.link');
        hits.forEach((e) => { e.dispatchEvent(new MouseEvent('click', {bubbles: true}));
                              e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); });
        document.querySelectorAll('*').forEach((e) => e.dispatchEvent(new MouseEvent('mouseover')));
        return hits.length""")
    assert clicked >= 4
    for algorithm in ("pe", "vi", "pi"):
        browser.execute_script("const s = document.getElementById('algorithm');"
                               "s.value = arguments[0]; s.dispatchEvent(new Event('change'))",
                               algorithm)
        browser.find_element("css selector", "#step").click()
    browser.execute_script("document.querySelectorAll('input[name=view]').forEach((r) => r.click())")
    # the lecture view, the state panel's equations and its reward boxes hold the names too
    browser.find_element("css selector", "#lecture-toggle").click()
    browser.execute_script("""
        document.querySelectorAll('#lecture .cell, #lecture g.state-node').forEach((e) =>
          e.dispatchEvent(new MouseEvent('click', {bubbles: true})));
        document.querySelectorAll('details.rewards').forEach((d) => { d.open = true; });
        const box = document.querySelector('input.reward');
        box.value = '3/2'; box.dispatchEvent(new Event('change'));""")
    assert browser.execute_script("return document.body.classList.contains('edited')")
    assert browser.execute_script("return window.__pwned") is None
    assert browser.execute_script("return window.parent.__pwned") is None
    assert browser.execute_script("return document.title") == \
        "<img src=x onerror=window.__pwned=9>"
    # the names are shown as they are spelt, in the table and in the equations
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#values .tbody .tr')].map(r => r.dataset.state)")
    states = NAMES[:4] if kind == "grid" else NAMES
    assert shown == states
    texts = browser.execute_script(
        "return [...document.querySelectorAll('#detail mtext, #handout mtext')]"
        ".map(e => e.textContent)")
    assert set(states) <= set(texts)
    # no element a name could bring: nothing but the page's own script and no handlers
    assert browser.execute_script(
        "return document.querySelectorAll('script:not([type]), img, iframe, b, math math').length"
    ) == 1
    assert browser.execute_script(
        "return [...document.querySelectorAll('*')].filter(e => [...e.attributes]"
        ".some(a => a.name.startsWith('on'))).length") == 0
