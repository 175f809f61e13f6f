"""``symbellman latex`` written as it is computed (issue 24) from sections of the document
model (issue 19): the text compiles, keeps what it said before, is written whole or not
at all, and its memory does not grow with the output."""

from __future__ import annotations

import os
import re
import shutil
import tracemalloc
from fractions import Fraction
from pathlib import Path

import pytest

from benchmarks.models import gridworld_yaml
from symbellman import load_model
from symbellman.cli import main
from symbellman.equations.discounted import general_form
from symbellman.model.examples import student_mdp
from symbellman.io.files import streamed_file
from symbellman.render import latex
from symbellman.render.document import Section
from symbellman.render.sections import command
from symbellman.study import Study

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STUDENT = str(EXAMPLES / "student_mdp.yaml")


# -- the text: what it says, as before -------------------------------------------------------
def test_silvers_values_are_written_as_exact_fractions(capsys):
    # David Silver, RL lecture 2: the uniform random policy on the Student MDP at γ = 1
    # gives v(Class3) = 7.4 (96/13 exactly) and q(Class3, pub) = 62/13
    assert main(["latex", STUDENT, "--what", "solution"]) == 0
    text = capsys.readouterr().out
    assert r"v_\pi(\text{Class3}) &= \tfrac{96}{13}" in text
    assert r"q_\pi(\text{Class3}, \text{pub}) &= \tfrac{62}{13}" in text
    assert round(float(Fraction(96, 13)), 1) == 7.4  # the slide rounds to one decimal


def test_the_solution_is_one_display_of_every_state_then_every_pair():
    mdp = student_mdp()
    text = latex.latex_document(mdp, what=["solution"])
    displays = re.findall(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", text, re.S)
    assert len(displays) == 1  # the streamed rows join one align*, as before
    heads = [row.split(" &")[0] for row in displays[0].split(" \\\\\n")]
    expected = [r"v_\pi(\text{%s})" % s for s in mdp.nonterminal] + [
        r"q_\pi(\text{%s}, \text{%s})" % (s, a) for s in mdp.nonterminal
        for a in mdp.actions(s)]
    assert heads == expected


def test_parts_print_in_the_order_of_what_with_their_titles():
    text = latex.latex_document(student_mdp())
    titles = re.findall(r"^% (.*)$", text, re.M)
    assert titles == ["Bellman expectation equations for v_pi (rewards on (s, a, s'))",
                      "Bellman expectation equations for q_pi",
                      "The half-steps joining v_pi and q_pi",
                      "Matrix form over Facebook, Class1, Class2, Class3",
                      "Exact solution at discount 1", "Bellman optimality equations"]
    # the general forms, formerly \[ ... \], are align* rows of the one LaTeX writer
    assert r"\[" not in text
    assert general_form("v").replace(" = ", " &= ", 1) in text


def test_every_part_is_a_section_of_the_document_model():
    items = list(command.latex_sections(Study(student_mdp()), command.WHAT))
    sections = [i for i in items if isinstance(i, Section)]
    assert [s.key for s in sections] == ["v", "q", "halfsteps", "matrix", "solution",
                                         "optimal"]
    # the solution's blocks come after its section, one per state and per pair
    after = items[items.index(sections[4]) + 1:items.index(sections[5])]
    assert len(after) == 4 + 8


def test_the_file_equals_what_is_printed(tmp_path, capsys):
    out = tmp_path / "doc.tex"
    assert main(["latex", STUDENT, "--standalone"]) == 0
    printed = capsys.readouterr().out
    assert main(["latex", STUDENT, "--standalone", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == printed
    assert printed == latex.latex_document(student_mdp(), standalone_document=True)
    assert printed.endswith("\\end{document}\n") and printed.count(r"\begin{document}") == 1


def test_an_unknown_part_or_state_is_refused_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "doc.tex"
    assert main(["latex", STUDENT, "--what", "v,nope", "-o", str(out)]) == 2
    assert main(["latex", STUDENT, "--only", "Clas1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "unknown" in captured.err
    assert list(tmp_path.iterdir()) == []


# -- whole or not at all ----------------------------------------------------------------------
def test_a_failure_mid_stream_leaves_the_old_file_and_no_temporary(tmp_path, capsys,
                                                                  monkeypatch):
    from symbellman.core.errors import SolveError

    target = tmp_path / "out.tex"
    target.write_text("the old text\n")
    seen = []
    real = command.solution_blocks

    def failing(ask):
        for k, b in enumerate(real(ask)):
            if k == 3:  # half-way through the closed forms: the rest is on its way
                seen.extend(p.name for p in tmp_path.iterdir())
                raise SolveError("the engine failed half-way")
            yield b
    monkeypatch.setattr(command, "solution_blocks", failing)
    assert main(["latex", STUDENT, "-o", str(target)]) != 0
    assert "half-way" in capsys.readouterr().err
    assert any(name.startswith(".out.tex.") for name in seen)  # it was being written
    assert target.read_text() == "the old text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tex"]


def test_streamed_file_writes_nothing_when_the_block_fails(tmp_path):
    target = tmp_path / "new.tex"
    with pytest.raises(KeyboardInterrupt):
        with streamed_file(target) as out:
            out.write("x" * 100_000)
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with streamed_file(target) as out:
        for k in range(1000):
            out.write(f"{k}\n")
    assert target.read_text().split() == [str(k) for k in range(1000)]


# -- memory -----------------------------------------------------------------------------------
def test_memory_stays_far_below_the_output_on_a_big_grid(tmp_path):
    # every closed form in full on a 7 x 7 gridworld (γ symbolic): about 0.8 MB of LaTeX;
    # the document as one string would hold all of it at once
    path = tmp_path / "grid.yaml"
    path.write_text(gridworld_yaml(7, 7))
    mdp, policy = load_model(path)
    study = Study.of(mdp, policy)
    study.v, study.q  # the engine's own memory is not the writer's
    out = tmp_path / "grid.tex"
    tracemalloc.start()
    try:
        with streamed_file(out) as handle:
            for chunk in latex.latex_chunks(study, what=["solution"],
                                            states=list(mdp.nonterminal)):
                handle.write(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    size = os.path.getsize(out)
    assert size > 500_000
    assert peak < size / 2, (peak, size)


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="needs TeX Live (pdflatex)")
def test_the_streamed_document_compiles(tmp_path):
    from symbellman.render import tex

    out = tmp_path / "doc.tex"
    model = EXAMPLES / "gridworld_4x4.yaml"
    assert main(["latex", str(model), "--standalone", "--what",
                 "v,q,halfsteps,matrix,solution,optimal,grid", "-o", str(out)]) == 0
    log = tex.compile_pdf(out.read_text(encoding="utf-8"), tmp_path / "doc.pdf")
    assert log.errors == ()
    assert (tmp_path / "doc.pdf").read_bytes()[:4] == b"%PDF"
