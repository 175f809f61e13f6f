"""The limits that keep a small hostile file from taking unbounded time or memory.

Every limit is far beyond what a teaching model needs, is checked *before* the work it
guards is done (a number's size before it is built, a file's size before it is read),
and turns into a one-line error. Each can be raised with an environment variable, and
the command line adds ``--timeout`` and ``--max-memory`` for the whole run:

================================  ============================================  =========
environment variable              what it bounds                                default
================================  ============================================  =========
``SYMBELLMAN_MAX_FILE_BYTES``     the size of a model or policy file            10000000
``SYMBELLMAN_MAX_TOKENS``         numbers, names and operators in one           2000
                                  expression
``SYMBELLMAN_MAX_DIGITS``         decimal digits of any exact number an         10000
                                  expression may produce
``SYMBELLMAN_MAX_DEGREE``         total degree of an expression in its symbols  1000
``SYMBELLMAN_MAX_SYMBOLS``        declared parameters of a model                100
``SYMBELLMAN_MAX_OUTPUT_MB``      estimated text of ``solve``'s results,        2048
                                  checked before solving
``SYMBELLMAN_MAX_WORK_SECONDS``   estimated seconds of an exact solve at a      120
                                  numeric discount (``--timeout`` lifts it)
``SYMBELLMAN_MAX_MEMORY_MB``      address space of a command-line run           4096
``SYMBELLMAN_TIMEOUT``            seconds a command-line run may take           none
================================  ============================================  =========

Two more are fixed: ``--digits`` shows at most :data:`MAX_SHOWN_DIGITS` significant
digits (the exact column has them all), and ``handout --variants`` writes at most
:data:`MAX_VARIANTS` sheets. The estimates behind the output and work budgets are in
:mod:`symbellman.solve.budget`.

>>> Limits().digits
10000
>>> current({"SYMBELLMAN_MAX_DIGITS": "50000"}).digits
50000
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Iterator, Mapping

from .errors import SymbellmanError

__all__ = ["Limits", "current", "ENVIRONMENT", "TimeLimit", "bounded_run",
           "MAX_SHOWN_DIGITS", "MAX_VARIANTS", "MAX_RANGE_VALUES"]

#: The most significant digits ``--digits`` may ask for (the exact column has every one).
MAX_SHOWN_DIGITS = 1000
#: The most sheets ``handout --variants`` writes in one run.
MAX_VARIANTS = 1000
#: The most values one ``vary`` range ``{from: LOW, to: HIGH}`` may hold.
MAX_RANGE_VALUES = 1_000_000


@dataclass(frozen=True)
class Limits:
    """The bounds on input size, expression size and resources (see the module's table)."""

    file_bytes: int = 10_000_000
    tokens: int = 2_000
    digits: int = 10_000
    degree: int = 1_000
    symbols: int = 100
    output_mb: int = 2048
    work_seconds: float = 120
    memory_mb: int = 4096
    timeout: float | None = None

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and not value > 0:
                raise SymbellmanError(f"the limit {f.name} must be positive, got {value}")


#: The environment variable that sets each limit.
ENVIRONMENT = {"file_bytes": "SYMBELLMAN_MAX_FILE_BYTES", "tokens": "SYMBELLMAN_MAX_TOKENS",
               "digits": "SYMBELLMAN_MAX_DIGITS", "degree": "SYMBELLMAN_MAX_DEGREE",
               "symbols": "SYMBELLMAN_MAX_SYMBOLS", "output_mb": "SYMBELLMAN_MAX_OUTPUT_MB",
               "work_seconds": "SYMBELLMAN_MAX_WORK_SECONDS",
               "memory_mb": "SYMBELLMAN_MAX_MEMORY_MB",
               "timeout": "SYMBELLMAN_TIMEOUT"}


def current(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits in force: the defaults, raised or lowered by the environment.

    Raises
    ------
    SymbellmanError
        If a variable does not hold a positive number.
    """
    environ = os.environ if environ is None else environ
    return _limits(tuple(environ.get(name) for name in ENVIRONMENT.values()))


@lru_cache(maxsize=16)
def _limits(texts: tuple) -> Limits:
    # called for every expression of a model: the environment's texts are the cache key
    values = {}
    for name, text in zip(ENVIRONMENT, texts):
        if text is None or not text.strip():
            continue
        try:
            values[name] = float(text) if name in ("timeout", "work_seconds") else int(text)
        except ValueError:
            raise SymbellmanError(f"{ENVIRONMENT[name]}={text!r} is not a number") from None
    return Limits(**values)


class TimeLimit(SymbellmanError):
    """A run took longer than its ``--timeout``."""


@contextmanager
def bounded_run(timeout: float | None = None, memory_mb: int | None = None) -> Iterator[None]:
    """Run the body with a time limit and an address-space ceiling (the command line's).

    The time limit raises :class:`TimeLimit` in the main thread (``SIGALRM``); if native
    code holds the interpreter past it, a watchdog process prints the same message and
    ends the run :data:`GRACE` seconds later (exit status 137). The memory ceiling is
    ``RLIMIT_AS``: an allocation beyond it raises MemoryError, which the command line
    reports in one line. Both are restored on exit.
    Where a platform lacks either (Windows, threads), that limit is not applied.

    >>> with bounded_run(timeout=5, memory_mb=8192):
    ...     sum(range(10))
    45
    """
    restore = []
    try:
        if memory_mb is not None:
            restore.append(_limit_memory(memory_mb))
        if timeout is not None:
            restore.append(_limit_time(timeout))
        yield
    finally:
        for undo in reversed(restore):
            undo()


def out_of_memory(memory_mb: int) -> str:
    """The message for a run that needed more memory than its ceiling."""
    return (f"out of memory: the run needed more than {memory_mb} MB (raise the ceiling "
            f"with --max-memory MB or {ENVIRONMENT['memory_mb']})")


def _limit_memory(memory_mb: int):
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return lambda: None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    # a process that already holds more (main() called from a big program) keeps room
    wanted = max(memory_mb * 2**20, _address_space() + 2**29)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    release = _report_abort(f"symbellman: error: {out_of_memory(memory_mb)}")

    def undo():
        release()
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return undo


def _address_space() -> int:
    """The bytes of address space this process holds now (0 where unknown)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0


def _report_abort(message: str):
    """While the ceiling holds, a C library's abort() ends the run with ``message``.

    python-flint aborts the process when an allocation fails (no MemoryError reaches
    Python), and under the ceiling that is what running out of memory looks like. A
    C-level SIGABRT handler (Python's own handlers run only between bytecodes, too late
    for abort()) prints the one-line message and exits with status 2.
    """
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None)
        install = libc.signal
    except (OSError, AttributeError):  # pragma: no cover - not POSIX
        return lambda: None
    install.restype = ctypes.c_void_p
    install.argtypes = [ctypes.c_int, ctypes.c_void_p]
    text = (message + "\n").encode("utf-8", "backslashreplace")

    @ctypes.CFUNCTYPE(None, ctypes.c_int)
    def on_abort(signum):  # pragma: no cover - runs in a process that is ending
        os.write(2, text)
        os._exit(2)

    previous = install(signal.SIGABRT, ctypes.cast(on_abort, ctypes.c_void_p).value)
    alive = [on_abort]  # the callback must outlive the handler that points to it

    def release():
        install(signal.SIGABRT, previous)
        alive.clear()
    return release


def _limit_time(timeout: float):
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):  # pragma: no cover
        return lambda: None
    message = (f"stopped after the time limit of {timeout:g} s "
               f"(raise it with --timeout or {ENVIRONMENT['timeout']})")

    def expire(signum, frame):
        raise TimeLimit(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    watchdog = _watchdog(timeout + GRACE, f"symbellman: error: {message}")

    def undo():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if watchdog is not None:
            watchdog.kill()
            watchdog.wait()
    return undo


#: Seconds past the time limit after which a run stuck in native code is killed.
GRACE = 5


def _watchdog(seconds: float, message: str):
    """A process that kills this one ``seconds`` from now, after printing ``message``.

    The time limit's signal handler runs only between Python bytecodes; a single long
    call into python-flint holds the interpreter, so this outside process is the
    backstop: the same message, then SIGKILL (exit status 137 instead of 2).
    """
    import shutil
    import subprocess

    shell = shutil.which("sh")
    if shell is None:  # pragma: no cover - not POSIX
        return None
    script = 'sleep "$1"; printf "%s\\n" "$2" >&2; kill -KILL "$3"'
    return subprocess.Popen([shell, "-c", script, "sh", f"{seconds:.3f}", message,
                             str(os.getpid())], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, start_new_session=True)
