"""The first hour's texts are true (issue 23, item 9): `symbellman` alone prints the help,
install hints name what works from a checkout, and errors name only what exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symbellman.cli import main
from symbellman.errors import MissingDependency

ROOT = Path(__file__).resolve().parent.parent
STUDENT = str(ROOT / "examples" / "student_mdp.yaml")


def test_symbellman_alone_prints_the_help(capsys):
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: symbellman") and "solve" in out and err == ""


def test_install_hints_work_from_a_checkout():
    # symbellman is not on PyPI: "pip install 'symbellman[x]'" fails for a new user
    text = str(MissingDependency("plots need matplotlib", extra="handout"))
    assert "pip install '.[handout]'" in text and "symbellman[" not in text
    for path in [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), *ROOT.glob("symbellman/**/*.py")]:
        assert "pip install 'symbellman[" not in path.read_text(encoding="utf-8"), path
        assert "pip install symbellman" not in path.read_text(encoding="utf-8"), path


def test_slides_errors_name_what_was_given(capsys, tmp_path):
    assert main(["handout", STUDENT, "--slides", "-o", str(tmp_path / "s.md")]) == 2
    err = capsys.readouterr().err
    assert "--exercise" not in err and "s.pdf" in err
    assert main(["handout", STUDENT, "--slides", "--exercise", "-o",
                 str(tmp_path / "s.pdf")]) == 2
    assert "drop --exercise or --slides" in capsys.readouterr().err


def test_import_errors_name_registered_ids_only(capsys, tmp_path):
    gymnasium = pytest.importorskip("gymnasium")
    assert main(["import", "gymnasium:FrozenLake-v1", "-o", str(tmp_path / "lake.csv")]) == 2
    err = capsys.readouterr().err
    assert "lake.yaml" in err and "pass 'yaml'" not in err and err.count("\n") == 1
    assert main(["import", "gymnasium:CartPole-v1", "-o", str(tmp_path / "c.yaml")]) == 2
    err = capsys.readouterr().err
    assert "TimeLimit" not in err and "from_arrays" not in err and err.count("\n") == 1
    named = re.findall(r"[A-Za-z0-9]+-v\d+", err.split("with one:")[1])
    assert named and all(i in gymnasium.envs.registry for i in named), named


def test_the_handout_help_names_every_format_and_what_it_needs(capsys):
    with pytest.raises(SystemExit):
        main(["handout", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert ".html" in out and "without Graphviz's dot the state diagram is left out" in out
