"""symbellman latex, symbellman handout and equations --latex, in process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from symbellman.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STUDENT = str(EXAMPLES / "student_mdp.yaml")


def test_latex_prints_the_chosen_parts(capsys):
    assert main(["latex", STUDENT, "--what", "v,matrix"]) == 0
    out = capsys.readouterr().out
    assert r"v_\pi(\text{Class3}) &= \tfrac{1}{2}\Bigl[1" in out
    assert r"\begin{bmatrix}" in out and r"q_\pi(" not in out


def test_latex_standalone_to_a_file(tmp_path, capsys):
    target = tmp_path / "student.tex"
    assert main(["latex", STUDENT, "--standalone", "-o", str(target)]) == 0
    text = target.read_text()
    assert text.startswith(r"\documentclass") and r"\max\bigl\{" in text
    assert capsys.readouterr().out == f"wrote {target}\n"  # as handout says what it wrote


def test_latex_rejects_unknown_parts(capsys):
    assert main(["latex", STUDENT, "--what", "v,w"]) == 2
    assert "unknown item 'w'" in capsys.readouterr().err


def test_equations_latex_uses_the_textbook_printer(capsys):
    assert main(["equations", STUDENT, "--latex"]) == 0
    out = capsys.readouterr().out
    assert r"0.2\, v_\pi(\text{Class1})" in out and r"\begin{aligned}" in out


def test_handout_markdown(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    target = tmp_path / "h.md"
    assert main(["handout", STUDENT, "-o", str(target), "--gamma", "0,0.9,1"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {target}" in out
    text = target.read_text()
    assert "γ = 9/10" in text and (tmp_path / "h-plot.png").exists()
    if shutil.which("dot"):  # without TikZ, Graphviz draws the backup diagrams
        assert "](h-backup.png)" in text
        assert (tmp_path / "h-backup.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("dot")),
                    reason="needs TeX Live and Graphviz")
def test_handout_pdf_exercise(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    target = tmp_path / "sheet.pdf"
    assert main(["handout", STUDENT, "-o", str(target), "--exercise"]) == 0
    assert target.read_bytes()[:4] == b"%PDF"
    assert (tmp_path / "sheet-key.pdf").read_bytes()[:4] == b"%PDF"


def test_handout_bad_arguments(tmp_path, capsys):
    assert main(["handout", STUDENT, "-o", str(tmp_path / "h.docx")]) == 2
    assert ".pdf, .tex or .md" in capsys.readouterr().err
    assert main(["handout", STUDENT, "-o", str(tmp_path / "h.md"), "--gamma", "2"]) == 2
    assert "--gamma" in capsys.readouterr().err


def test_handout_of_a_symbolic_model_with_values(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    robot = str(EXAMPLES / "recycling_robot.yaml")
    target = tmp_path / "robot.md"
    assert main(["handout", robot, "-o", str(target), "--at", "alpha=0.9", "--at", "beta=0.5",
                 "--at", "r_search=2", "--at", "r_wait=1"]) == 0
    text = target.read_text()
    # with numbers for the parameters the table and the plot are there
    assert "| State | γ = 0 |" in text and (tmp_path / "robot-plot.png").exists()
    assert "need numbers for" not in text


def test_latex_notation_options(capsys):
    assert main(["latex", STUDENT, "--what", "v", "--style", "silver",
                 "--states", "index"]) == 0
    out = capsys.readouterr().out
    # David Silver's general form uses R^a_s and P^a_ss'; states print as s_1, s_2, ...
    assert r"\mathcal{R}^a_s" in out and r"\mathcal{P}^a_{ss'}" in out
    assert r"v_\pi(s_{4}) &=" in out and r"\text{Class3}" not in out
    assert main(["equations", STUDENT, "--terminals", "zero"]) == 0
    assert "v_pi(Sleep)" not in capsys.readouterr().out.split("Bellman expectation "
                                                             "equations for q_pi")[0]
