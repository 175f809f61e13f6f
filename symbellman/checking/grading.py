"""Grading a class: a folder of submissions, each checked against its variant's key.

Each exercise variant's key JSON (``NAME-K-key-closed-forms.json``, written by ``handout
--exercise --variants``) records the variant id printed on the sheet, the seed and the
values drawn. A submission is an answer file that names its variant (``variant: 5-2``);
it is checked against the model with that variant's values put in, so the diagnosis of
mistakes works as for one answer file. Every variant is solved once for the whole class.
The grades go to a CSV table, and each student gets a short feedback file.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..core.errors import ModelError, SymbellmanError
from ..io.files import Staged, write_file
from ..model.mdp import MDP
from ..model.policy import Policy
from ..model.variants import make_variant
from .answers import load_answer_data
from .core import CheckResult, check
from .messages import say

__all__ = ["Key", "Grade", "read_keys", "grade_folder", "write_grades", "write_feedback",
           "ANSWER_ENDINGS", "COLUMNS"]

#: The endings of answer files in a folder of submissions.
ANSWER_ENDINGS = (".yaml", ".yml", ".json", ".toml")
#: The columns of the grade table.
COLUMNS = ("student", "file", "variant", "right", "wrong", "total", "score", "mistakes",
           "error")


@dataclass(frozen=True)
class Key:
    """One variant's key: its id, number, seed and the values drawn (as text)."""

    id: str
    number: int
    seed: int
    values: Mapping[str, str]
    source: str


@dataclass(frozen=True)
class Grade:
    """One student's grade: the check's result, or why the file could not be checked."""

    student: str
    file: str
    variant: str | None
    result: CheckResult | None = None
    error: str | None = None

    @property
    def right(self) -> int:
        return self.result.right if self.result else 0

    @property
    def total(self) -> int:
        return len(self.result.entries) if self.result else 0

    def row(self) -> dict:
        """The grade table's row (score: the share of entries right, 0 to 1)."""
        score = f"{self.right / self.total:.3f}" if self.total else "0"
        return {"student": self.student, "file": self.file, "variant": self.variant or "",
                "right": self.right, "wrong": self.total - self.right, "total": self.total,
                "score": score, "mistakes": " ".join(self.result.mistakes) if self.result
                else "", "error": self.error or ""}


def read_keys(folder: str | Path) -> dict[str, Key]:
    """Every variant key under ``folder`` (files named ``*key*.json``), by variant id.

    Raises
    ------
    ModelError
        If the folder holds no key, a key file is not JSON, or two keys share an id.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError("no such folder", source=str(folder),
                         hint="give the folder the exercise sheets and their keys went to")
    keys: dict[str, Key] = {}
    for path in sorted(folder.rglob("*key*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelError(f"cannot read the key: {err}", source=str(path)) from None
        variant = data.get("variant") if isinstance(data, dict) else None
        if not isinstance(variant, dict):
            continue  # the key of a sheet without variants
        try:
            key = Key(str(variant["id"]), int(variant["number"]), int(variant["seed"]),
                      {str(k): str(v) for k, v in dict(variant["values"]).items()}, str(path))
        except (KeyError, TypeError, ValueError):
            raise ModelError("the variant record needs id, number, seed and values",
                             place="variant", source=str(path)) from None
        if key.id in keys:
            raise ModelError(f"two keys have the variant id {key.id!r}", source=str(path),
                             hint=f"the other is {keys[key.id].source}")
        keys[key.id] = key
    if not keys:
        raise ModelError("no variant keys here (files *key*.json with a variant record)",
                         source=str(folder), hint="write the sheets with handout --exercise "
                         "--variants N")
    return keys


def _submissions(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in ANSWER_ENDINGS)


def grade_folder(mdp: MDP, policy: Policy | None, folder: str | Path,
                 keys: Mapping[str, Key]) -> list[Grade]:
    """Check every answer file in ``folder`` against the key of the variant it names.

    A file that cannot be read, or names no known variant, gets a grade with the error
    (and no entries); the others are checked with :func:`~.core.check`.
    """
    folder = Path(folder)
    variants: dict[str, tuple] = {}
    references: dict[str, dict] = {}
    grades = []
    for path in _submissions(folder):
        student = path.stem
        try:
            data, source = load_answer_data(path)
            if isinstance(data, Mapping) and isinstance(data.get("student"), str):
                student = data["student"].strip() or student
            ident = str(data.get("variant", "")).strip() if isinstance(data, Mapping) else ""
            if ident not in keys:
                grades.append(Grade(student, path.name, ident or None,
                                    error=say("feedback-no-key", variant=ident)))
                continue
            if ident not in variants:
                key = keys[ident]
                made = make_variant(mdp, policy, key.number, key.values)
                variants[ident] = (made.mdp, made.policy)
            model, bound = variants[ident]
            result = check(model, data, bound, references=references.setdefault(ident, {}))
            grades.append(Grade(student, path.name, ident, result))
        except SymbellmanError as err:
            grades.append(Grade(student, path.name, None, error=str(err)))
    return grades


def write_grades(grades: list[Grade], path: str | Path) -> Path:
    """The grade table as CSV, one row per submission (:data:`COLUMNS`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=COLUMNS)
    writer.writeheader()
    for grade in grades:
        writer.writerow(grade.row())
    return write_file(path, table.getvalue())  # whole or not at all


def feedback_text(grade: Grade) -> str:
    """A short feedback text for one student: the score, then each wrong answer and why.

    >>> from symbellman.model.examples import student_mdp
    >>> result = check(student_mdp(), {"v": {"Class3": "7.38", "Class2": "35/13"}})
    >>> print(feedback_text(Grade("Ada", "ada.yaml", "0-1", result)))
    Feedback for Ada, variant 0-1
    <BLANKLINE>
    2 of 2 answers are right.
    Every answer is right. Well done.
    <BLANKLINE>
    >>> Grade("Ada", "ada.yaml", "0-1", result).row()["score"]
    '1.000'
    """
    lines = [say("feedback-title", student=grade.student, variant=grade.variant or "?"), ""]
    if grade.error:
        lines.append(say("feedback-error", error=grade.error) if grade.variant is None
                     else grade.error)
        return "\n".join(lines) + "\n"
    lines.append(say("feedback-score", right=grade.right, total=grade.total))
    if grade.result.passed:
        lines.append(say("feedback-all-right"))
    for e in grade.result.entries:
        if not e.ok:
            want = f"{e.expected} ≈ {e.approximately}" if e.approximately else e.expected
            lines += ["", f"{e.name} = {e.given}: {say('expected', expected=want)}.",
                      e.explanation]
    return "\n".join(lines) + "\n"


def write_feedback(grades: list[Grade], folder: str | Path) -> list[Path]:
    """One ``STUDENT.txt`` per submission in ``folder`` (named after the answer file)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with Staged() as stage:  # every file, or none, if the run stops half-way
        for grade in grades:
            path = folder / f"{Path(grade.file).stem}.txt"
            stage.path(path).write_text(feedback_text(grade), encoding="utf-8")
            written.append(path)
    return written
