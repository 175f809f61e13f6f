"""Checking a student's answers, and grading a class of them.

:func:`check` compares an answer file with the exact values and names the common mistakes
(:mod:`.reference` computes what each gives, :mod:`.explain` writes a wrong value's Bellman
equation with the student's numbers); :mod:`.grading` does it for a folder of submissions
against the keys of exercise variants. Every sentence is in :mod:`.messages`.
"""

from .core import CheckResult, Entry, check

__all__ = ["check", "CheckResult", "Entry"]
