"""examples/student_mdp.ipynb runs from top to bottom and shows Silver's numbers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "student_mdp.ipynb"


def outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(str(out.get("text", "")))
        parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def _status(root: Path) -> str | None:
    """``git status --porcelain`` of the checkout, or None outside a git checkout."""
    try:
        done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                              cwd=root, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def test_the_notebook_runs_and_shows_the_slides_values():
    nbformat = pytest.importorskip("nbformat", reason="the notebook needs the 'notebook' extra")
    nbclient = pytest.importorskip("nbclient", reason="the notebook needs the 'notebook' extra")
    pytest.importorskip("matplotlib", reason="the handout needs matplotlib")
    root = NOTEBOOK.parent.parent
    before = _status(root)
    import tempfile

    folders = set(Path(tempfile.gettempdir()).glob("student-mdp-*"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # run where a user runs it: in examples/, beside the shipped model files
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    text = "\n".join(outputs(c) for c in nb.cells if c.cell_type == "code")
    # Silver, Lecture 2: uniform policy at γ = 1 → -2.3, -1.3, 2.7, 7.4
    for value in ("-30/13", "-17/13", "35/13", "96/13"):
        assert value in text
    assert "62/13" in text                     # q(Class3, pub) at γ = 1
    assert "<table>" in str(nb.cells[2].outputs[0]["data"]["text/html"])  # the model as a table
    assert "# Student MDP" in outputs(nb.cells[-1])      # the handout's first lines
    # issue 23: running the notebook changes no tracked file and leaves no new one
    if before is not None:
        assert _status(root) == before
    assert "discount: 1" in (NOTEBOOK.parent / "student_mdp.yaml").read_text()
    # and its temporary folder is gone again
    assert set(Path(tempfile.gettempdir()).glob("student-mdp-*")) <= folders
