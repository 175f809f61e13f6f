"""The interactive page on a gridworld: build time, file size, opening and slider moves.

The build is timed twice: the command line (wall clock, what a user waits for) and in
this process per stage (CPU seconds of the page's data, of the handout's document, and of
the HTML writer), which a shared machine disturbs less. Before the page became the
handout's third writer (and before its data read the solver's integer coefficients and
converted each equation shape to MathML once), the 10 × 10 page took 29–37 s on this
machine (14–15 s CPU); see docs/interactive.md.

``python -m benchmarks`` adds these rows to its table (one hook in ``__main__``); alone,
``python -m benchmarks.page [--quick]`` prints them. The browser part needs Debian's
``chromium`` and ``chromium-driver`` and Selenium; without them the row says so.
Times in the browser come from ``performance.now()`` inside the page; a fixed
JavaScript loop timed before each move says how much slower than an unloaded machine
this one runs at that moment.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--window-size=1400,1000")
#: The page's fixed loop (500 000 Math.sqrt additions) takes this long on an unloaded
#: 2020s laptop core; see tests/test_html_page.py.
REFERENCE_LOOP_MS = 0.8
#: The explorer's parts a slider move is timed with, each scrolled into view in turn.
SECTIONS = ("solution-part", "optimal-part")
#: Scroll a part into view and wait two frames (the page sees what is in view).
SCROLL = ("const done = arguments[arguments.length - 1];"
          "document.getElementById(arguments[0]).scrollIntoView({block: 'start'});"
          "requestAnimationFrame(() => requestAnimationFrame(() => done()));")


def _browser_times(page: Path) -> dict:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return {"browser": "selenium is not installed"}
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        return {"browser": "chromium / chromedriver not installed"}
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        opened = []
        for _ in range(3):
            # a new document each time: the same URL again would only move to the fragment
            driver.get("about:blank")
            driver.get(page.as_uri() + "#gamma=9/10")
            opened.append(driver.execute_script("return window.symbellmanPage.readyAt"))
        # a move redraws what is in view: time it with each section's explorer on screen
        # (section 5: the grid of v_pi and the table; section 7: the band and v*)
        samples = {}
        for part in SECTIONS:
            driver.execute_async_script(SCROLL, part)
            samples[part] = driver.execute_script(
                "return window.symbellmanPage.measureMoves(arguments[0])", list(range(40, 100, 2)))
    finally:
        driver.quit()
    out = {"open_ms": min(opened)}
    for part, pairs in samples.items():
        moves = [m for m, _ in pairs]
        slowness = [max(1.0, loop / REFERENCE_LOOP_MS) for _, loop in pairs]
        out[part] = {"move_ms_median": statistics.median(moves), "move_ms_max": max(moves),
                     "slowness": statistics.median(slowness),
                     "move_ms_unloaded": statistics.median(m / k for m, k in
                                                           zip(moves, slowness))}
    return out


def _stage_times(model: Path) -> dict:
    """CPU seconds per stage of one build in this process (after the imports)."""
    sys.path.insert(0, str(ROOT))
    from symbellman.io import load_model
    from symbellman.render.html import page_html

    loaded = load_model(model)
    mdp = loaded[0] if isinstance(loaded, tuple) else loaded
    timings: dict = {}
    start = time.process_time()
    page_html(mdp, timings=timings)
    cpu = time.process_time() - start
    data = timings.get("page data", 0.0)
    writing = timings.get("writing", 0.0)
    return {"cpu_s": cpu, "stages": {"page data (wall)": data, "writing (wall)": writing,
                                     "handout document (wall)": round(sum(
                                         v for k, v in timings.items()
                                         if k not in ("page data", "writing")), 3)}}


def rows(quick: bool = False) -> list[dict]:
    """One row for the page of an n × n gridworld (10 × 10; 5 × 5 with ``quick``)."""
    n = 5 if quick else 10
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / f"gridworld_{n}x{n}.yaml"
        text = subprocess.run([sys.executable, str(ROOT / "examples" / "make_gridworlds.py"),
                               str(n), str(n)], capture_output=True, text=True, check=True)
        model.write_text(text.stdout)
        page = Path(tmp) / "page.html"
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "symbellman", "handout", str(model), "-o",
                               str(page)], capture_output=True, text=True, cwd=ROOT)
        built = time.perf_counter() - start
        if done.returncode != 0:
            return [_row(n, {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]})]
        row = {"median_s": built, "bytes": page.stat().st_size}
        row.update(_stage_times(model))
        row.update(_browser_times(page))
    return [_row(n, row)]


def _row(n: int, row: dict) -> dict:
    row.update(case="handout -o page.html", size=f"{n}x{n}={n * n}", method="chromium",
               spec={"case": "page", "size": n, "method": "chromium"})
    if "error" in row:
        row["notes"] = row["error"]
        return row
    built = (f"built in {row['median_s']:.1f} s ({row['cpu_s']:.1f} s CPU in-process: "
             + ", ".join(f"{k} {v:.2f} s" for k, v in row["stages"].items()) + "); ")
    if "open_ms" in row:
        moves = "; ".join(
            f"with {part.split('-')[0]} in view {row[part]['move_ms_median']:.1f} ms (median) "
            f"on this machine, {row[part]['slowness']:.1f}x slower than unloaded: "
            f"{row[part]['move_ms_unloaded']:.1f} ms unloaded" for part in SECTIONS)
        row["notes"] = built + (
            f"{row['bytes'] / 1e6:.2f} MB; opens in {row['open_ms']:.0f} ms; a slider "
            f"move re-renders {moves}")
    else:
        row["notes"] = built + f"{row['bytes'] / 1e6:.2f} MB; {row['browser']}"
    return row


if __name__ == "__main__":
    for r in rows("--quick" in sys.argv):
        print(r["case"], r["size"], r["notes"])
