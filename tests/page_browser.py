"""Chromium for the page's browser tests: one driver per module, a window of a given size.

The tests skip without Selenium, Debian's chromium and chromium-driver; on CI
(``CI=true``) ``tests/conftest.py`` makes a missing one an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars")


def start(width: int = 1366, height: int = 768):
    """A headless Chromium whose viewport is ``width`` × ``height`` CSS pixels."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (see .ci/run)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + (f"--window-size={width},{height}",):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    resize(driver, width, height)
    return driver


def resize(driver, width: int, height: int) -> None:
    """Make the viewport (not the window) ``width`` × ``height``."""
    import time

    outer = [width, height]
    for _ in range(10):   # the window's frame is learnt by trying (it may settle late)
        driver.set_window_size(*outer)
        time.sleep(0.05)
        inner = driver.execute_script("return [innerWidth, innerHeight]")
        if inner == [width, height]:
            return
        outer = [outer[0] + width - inner[0], outer[1] + height - inner[1]]


def open_page(driver, path: Path, fragment: str = ""):
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get(path.as_uri() + fragment)
    assert driver.execute_script("return document.body.dataset.ready") == "true"
    return driver
