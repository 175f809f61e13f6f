"""The documentation site builds with --strict, its gallery covers every example, and the
code of the how-to pages runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_site_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs", reason="the site needs the 'docs' extra")
    pytest.importorskip("mkdocstrings")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--site-dir", str(tmp_path / "site")], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    site = tmp_path / "site"
    api = (site / "reference" / "api" / "index.html").read_text()
    # the API reference comes from the docstrings
    for name in ("write_model", "from_arrays", "solve_many", "to_prism", "progress"):
        assert f'id="symbellman.' in api and name in api
    assert "Gallery" in (site / "gallery" / "index.html").read_text()


def test_every_nav_page_exists():
    nav = re.findall(r":\s+([\w/.-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(), re.M)
    assert len(nav) >= 14
    assert [page for page in nav if not (DOCS / page).is_file()] == []


def test_gallery_shows_every_example_with_small_images():
    page = (DOCS / "gallery.md").read_text()
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        assert f"examples/{example.name}" in page, example.name
    images = re.findall(r"\]\((images/[^)]+)\)", page)
    assert len(images) == 2 * len(list((ROOT / "examples").glob("*.yaml")))
    for image in images:
        path = DOCS / image
        assert path.is_file() and path.stat().st_size < 150_000, image


def test_the_numeric_solver_how_to_runs(tmp_path):
    text = (DOCS / "howto" / "checking-a-numeric-solver.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    assert "range(1000)" in code
    code = code.replace("range(1000)", "range(20)").replace("1,000 MDPs", "20 MDPs")
    script = tmp_path / "check.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    worst = float(done.stdout.strip().rsplit(" ", 1)[-1])
    # 200 sweeps at γ = 0.9 with |r| ≤ 5: at most 0.9**200 * 5 / 0.1 ≈ 3.5e-8
    assert 0 < worst < 0.9 ** 200 * 5 / 0.1


def test_readme_links_to_the_site_pages():
    readme = (ROOT / "README.md").read_text()
    assert "docs/tutorial.md" in readme and "mkdocs" in readme
    assert "apt-get update && apt-get install" in readme
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / link).exists(), link
