"""examples/student_mdp.ipynb runs from top to bottom and shows Silver's numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "student_mdp.ipynb"


def outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(str(out.get("text", "")))
        parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def test_the_notebook_runs_and_shows_the_slides_values(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="the notebook needs the 'notebook' extra")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib", reason="the handout needs matplotlib")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "\n".join(outputs(c) for c in nb.cells if c.cell_type == "code")
    # Silver, Lecture 2: uniform policy at γ = 1 → -2.3, -1.3, 2.7, 7.4
    for value in ("-30/13", "-17/13", "35/13", "96/13"):
        assert value in text
    assert "62/13" in text                     # q(Class3, pub) at γ = 1
    assert "<table>" in str(nb.cells[2].outputs[0]["data"]["text/html"])  # the model as a table
    handout = tmp_path / "student_handout.md"
    assert handout.is_file() and handout.read_text().startswith("# Student MDP")
    assert (tmp_path / "student_mdp.yaml").is_file()
