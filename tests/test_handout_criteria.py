"""The handout's section of another criterion (a finite horizon, average reward), in
Markdown and PDF. Expected numbers: Puterman & Chan (2025) Table 4.3 (v_k* 37/5 and 26/5
with two decisions left) and Section 7.7.2 (g* = 20/7); Sutton & Barto's Exercise 10.7
(gain 1/3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from symbellman.io import load_model
from symbellman.render.handout import build_handout, write_handout

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def section(mdp, policy, tmp_path):
    doc = build_handout(mdp, policy, folder=tmp_path, figure_formats=("png",))
    found = [s for s in doc.sections if s.key == "criteria"]
    return doc, found[0] if found else None


def test_finite_horizon_section_has_the_stage_table_and_callout(tmp_path):
    mdp, policy = load_model(EXAMPLES / "puterman_two_state.yaml")
    doc, part = section(mdp, policy, tmp_path)
    assert part is not None and "The finite horizon" in part.title[0].text
    from symbellman.render.writers import markdown

    text = markdown.write(doc, names={})
    assert "| 2 | 1 | 37/5 \\[a11\\] | 26/5 \\[a22\\] |" in text
    assert "In s1 the optimal action depends on the time left" in text


def test_average_section_has_gain_bias_and_optimum(tmp_path):
    mdp, policy = load_model(EXAMPLES / "puterman_two_state_average.yaml")
    doc, part = section(mdp, policy, tmp_path)
    from symbellman.render.writers import markdown

    text = markdown.write(doc, names={})
    assert "## 9. Average reward" in text
    assert "| s1 | 20/7 | 75/49 | a12 | a12 |" in text


def test_a_discounted_model_has_no_such_section(tmp_path):
    mdp, policy = load_model(EXAMPLES / "student_mdp.yaml")
    _, part = section(mdp, policy, tmp_path)
    assert part is None


@pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("dot") is None,
                    reason="PDF handouts need pdflatex and Graphviz")
def test_periodic_chain_handout_compiles(tmp_path):
    mdp, policy = load_model(EXAMPLES / "exercise_10_7.yaml")
    result = write_handout(mdp, policy, tmp_path / "ring.pdf")
    assert (tmp_path / "ring.pdf").exists() and result.files


def test_slides_and_exercise_sheet_carry_the_section(tmp_path):
    mdp, policy = load_model(EXAMPLES / "puterman_two_state.yaml")
    write_handout(mdp, policy, tmp_path / "slides.tex", slides=True)
    slides = (tmp_path / "slides.tex").read_text(encoding="utf-8")
    assert "The finite horizon" in slides and "\\begin{frame}" in slides
    write_handout(mdp, policy, tmp_path / "sheet.md", exercise=True)
    sheet = (tmp_path / "sheet.md").read_text(encoding="utf-8")
    key = (tmp_path / "sheet-key.md").read_text(encoding="utf-8")
    assert "37/5 \\[a11\\]" in key and "37/5 \\[a11\\]" not in sheet
    assert "depends on the time left" in key and "depends on the time left" not in sheet
