"""The suite is green without TeX Live, Graphviz, poppler or Chromium: the tests that need
them skip with a reason instead of failing (issue 23, item 4).

This runs the test files that use those programs in a subprocess whose PATH holds every
program of this one except them (a folder of links), and asserts that pytest passes and
that every skip names what is missing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = {"pdflatex", "lualatex", "xelatex", "dot", "pdftoppm", "pdftotext", "pdfinfo",
          "pdffonts", "chromium", "chromedriver", "kpsewhich"}
FILES = ["tests/test_handout.py", "tests/test_handout_budgets.py", "tests/test_cli_render.py",
         "tests/test_grid.py", "tests/test_render.py", "tests/test_variants.py",
         "tests/test_export_arrays.py", "tests/test_tex_safety.py", "tests/test_cjk_pdf.py",
         "tests/test_reproducible.py", "tests/test_dot_safety.py"]
# a skip names the program or package it lacks
REASONS = ("TeX", "pdflatex", "Graphviz", "dot", "poppler", "chromium", "Chromium", "xelatex",
           "not installed")


def _shadow_path(folder: Path) -> str:
    """A PATH with every program of this one, less HIDDEN."""
    seen = set()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not os.path.isdir(directory):
            continue
        for entry in os.scandir(directory):
            if entry.name in HIDDEN or entry.name in seen:
                continue
            seen.add(entry.name)
            (folder / entry.name).symlink_to(entry.path)
    return str(folder)


@pytest.mark.slow
def test_program_tests_skip_with_reasons_when_the_programs_are_missing(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # CI=true insists on them
    env["PATH"] = _shadow_path(bin_dir)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           "-m", "not slow", *FILES], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    tail = done.stdout[-4000:]
    assert done.returncode == 0, tail + done.stderr[-2000:]
    skips = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skips, tail  # the programs really were missing
    for line in skips:
        assert any(word in line for word in REASONS), line
    assert re.search(r"\d+ passed", tail), tail
