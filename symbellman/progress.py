"""Progress on standard error for work that takes more than a second, through tqdm.

Commands wrap their long work in :func:`progress` and their long loops in :func:`track`.
A bar appears only when standard error is a terminal and the work has run for
``delay`` seconds; piped, redirected or captured output (``--json`` into ``jq``, a test)
never sees one. Inside :func:`progress`, the exact solver's own reports (see
:func:`symbellman.linalg.reporting`) move the bar; work that does not report shows its
elapsed time, so a user is never left waiting blind; when the work is done, the bar's
last frame says the last stage is done, at 100 %, whatever it was (a plot, the TeX run).

The environment variable ``SYMBELLMAN_PROGRESS_DELAY`` (seconds) overrides the delay.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TypeVar

from .core.i18n import N_, _

__all__ = ["progress", "track", "DELAY"]

#: Seconds of work before a bar appears.
DELAY = 1.0

T = TypeVar("T")


def _delay(delay: float | None) -> float:
    if delay is not None:
        return delay
    try:
        return float(os.environ.get("SYMBELLMAN_PROGRESS_DELAY", DELAY))
    except ValueError:
        return DELAY


def _on_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a file
        return False


def _size(stream) -> dict:
    # a fresh pseudo-terminal reports 0 x 0, in which tqdm would print nothing
    try:
        columns, rows = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):
        columns, rows = 0, 0
    return {"ncols": columns or 80, "nrows": rows or 24}


#: The stages a bar names (translated as shown; "piece 2: numerators" part by part).
STAGES = (N_("numerators"), N_("lowest terms"), N_("typesetting"), N_("values"), N_("plot"),
          N_("model and diagram"), N_("definitions"), N_("equations"), N_("solution"),
          N_("closed forms and table"), N_("values grid"), N_("optimality"),
          N_("worked solution"), N_("other criterion"), N_("projected"))


def stage_words(stage: str) -> str:
    """``stage`` in the current language, each ``": "``-separated part by itself; a
    piece's number stays a number.

    >>> from symbellman.core.i18n import using
    >>> with using("zh"):
    ...     stage_words("piece 2: numerators")
    '第 2 段：分子'
    >>> with using("zh"):
    ...     stage_words("piece 2 of 3 (gamma from 0.2): lowest terms")
    '第 2 段（共 3 段，gamma 从 0.2 起）：约分'
    """
    parts = []
    for part in stage.split(": "):
        head, _sep, number = part.rpartition(" ")
        piece = _PIECE.fullmatch(part)
        if head == "piece" and number.isdigit():
            parts.append(_("piece {n}").format(n=number))
        elif piece and piece["count"]:
            parts.append(_("piece {n} of {count} ({x} from {start})").format(**piece.groupdict()))
        elif piece and piece["end"]:
            parts.append(_("piece {n} ({x} from {start} to {end})").format(**piece.groupdict()))
        else:
            parts.append(_(part))
    return _(": ").join(parts)


#: How the sweep over γ names a piece (:func:`symbellman.optimal.optimal_pieces`): "piece 3
#: of 26 (gamma from 0.6171)", or without a count "piece 3 (gamma from 0.6171 to 1)".
_PIECE = re.compile(r"piece (?P<n>\d+)(?: of (?P<count>\d+))? \((?P<x>\S+) from "
                    r"(?P<start>\S+)(?: to (?P<end>\S+))?\)")


def _nothing(stage: str, done: int, total: int) -> None:
    return None


@contextmanager
def progress(description: str, *, stream=None, delay: float | None = None
             ) -> Iterator[Callable[[str, int, int], None]]:
    """Show a progress bar for the block, on a terminal only.

    Parameters
    ----------
    description : str
        What is being done (``"solve"``, ``"optimal"``).
    stream : file, optional
        Where the bar goes; standard error by default. Nothing is shown unless it is a
        terminal.
    delay : float, optional
        Seconds before the bar appears (default :data:`DELAY`, or the environment
        variable ``SYMBELLMAN_PROGRESS_DELAY``).

    Yields
    ------
    callable
        ``update(stage, done, total)``; the solver's own reports call it too.

    Examples
    --------
    Off a terminal (as here) the block just runs:

    >>> with progress("solve") as update:
    ...     update("numerators", 1, 2)
    """
    stream = sys.stderr if stream is None else stream
    if not _on_terminal(stream):
        yield _nothing
        return
    from tqdm import tqdm

    from .linalg import reporting

    wait = _delay(delay)
    bar = tqdm(desc=f"symbellman {description}", total=None, file=stream, delay=wait,
               leave=False, unit="step", **_size(stream),
               bar_format="{desc} {elapsed}")
    lock = threading.Lock()
    state = {"stage": None}

    def update(stage: str, done: int, total: int) -> None:
        with lock:
            if stage != state["stage"]:
                state["stage"] = stage
                bar.set_description_str(f"symbellman {description}: {stage_words(stage)}",
                                        refresh=False)
                # a stage that counts nothing (total 0: a plot, the TeX run) shows its
                # elapsed time, never the last stage's bar frozen short of its end
                bar.bar_format = None if total else "{desc} {elapsed}"
                bar.total, bar.n, bar.last_print_n = total or None, done, done
                if bar.start_t + wait <= bar._time():  # a new stage always shows
                    bar.refresh()
                return
            bar.update(max(done - bar.n, 0))

    stop = threading.Event()

    def tick() -> None:  # elapsed time for work that does not report
        while not stop.wait(0.25):
            with lock:
                bar.update(0)
                if bar.start_t + wait <= bar._time():
                    bar.refresh()

    def finish() -> None:  # the work is done: the bar's last frame is a full one
        with lock:
            last = f"{state['stage']} " if state["stage"] else ""  # "typesetting done"
            bar.set_description_str(f"symbellman {description}: {last}done", refresh=False)
            bar.bar_format = None
            bar.total, bar.n, bar.last_print_n = 1, 1, 1
            if bar.start_t + wait <= bar._time():
                bar.refresh()

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        with reporting(update):
            yield update
        stop.set()
        ticker.join()
        finish()
    finally:
        stop.set()
        ticker.join()
        bar.close()


def track(iterable: Iterable[T], description: str, *, total: int | None = None,
          stream=None, delay: float | None = None) -> Iterator[T]:
    """The items of ``iterable``, with a bar counting them on a terminal.

    >>> list(track(range(3), "batch"))
    [0, 1, 2]
    """
    stream = sys.stderr if stream is None else stream
    if not _on_terminal(stream):
        yield from iterable
        return
    from tqdm import tqdm

    yield from tqdm(iterable, desc=f"symbellman {description}", total=total, file=stream,
                    delay=_delay(delay), leave=False, **_size(stream))
