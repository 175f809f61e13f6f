"""Under CI every optional part must be present, so that no test is skipped for want of it.

Locally, tests that need TeX Live, Graphviz, poppler, Chromium, matplotlib, gymnasium,
latex2mathml or Selenium skip when
those are missing; on CI (``CI=true``, where ``.ci/run`` installs them) a missing one is
an error at start-up instead of a quiet skip.
"""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

PROGRAMS = ("pdflatex", "xelatex", "dot", "pdftotext", "pdffonts", "chromium", "chromedriver")
MODULES = ("matplotlib", "gymnasium", "hypothesis", "distributed", "mkdocs", "mkdocstrings",
           "nbclient", "tqdm", "latex2mathml", "selenium")


def pytest_sessionstart(session):
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    missing += [m for m in MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise pytest.UsageError("CI must install " + ", ".join(missing)
                                + " (see .ci/run): tests would skip without them")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module, its viewport 1366 × 768 (tests/page_browser.py)."""
    from page_browser import start

    driver = start(1366, 768)
    yield driver
    driver.quit()
