"""CPU seconds for the time budgets of the handout tests.

A budget such as "the 10×10 handout compiles in under 30 s" is about the work, not about
how busy the machine is: wall-clock time on a loaded machine (several test runs sharing
two cores) fails it for no fault of the code. :func:`cpu_seconds` counts the CPU time of
this process (building the handout runs in process) and of its finished child processes
(the TeX engine, Graphviz), whose difference over a call is the work that call did.
"""

from __future__ import annotations

import resource
import time


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and its waited-for children so far."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
