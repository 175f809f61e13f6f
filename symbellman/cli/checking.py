"""The ``check`` command: a student's answer file against the model, or a class of them.

Given an answer file it prints each entry right or wrong with the reason (``--json``: the
spec's object) and exits 0 when all are right, 1 when one is wrong; a bad file is an error
(exit 2, in :func:`symbellman.cli.main`). Given a folder of submissions and ``--keys`` it
writes the grade table (CSV) and a feedback file per student.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..core.errors import ModelError
from .arguments import add_command, add_model_arguments, load, parse_assignments


def cmd_check(args) -> int:
    from ..checking import check

    answers = Path(args.answers)
    if answers.is_dir():
        return _grade(args, answers)
    if args.keys:
        raise ModelError("--keys grades a folder of submissions, not one file",
                         place="--keys", hint="give the folder of submissions")
    at = parse_assignments(args.at)
    args.at = None  # the answers' own 'at' and --at are put in together, by check
    mdp, policy = load(args)
    with _language(mdp):
        result = check(mdp, answers, None if mdp.is_mrp else policy, at=at,
                       tolerance=args.tolerance)
        if args.json:
            print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        else:
            print(result.text())
    return 0 if result.passed else 1


def _language(mdp):
    """The language of the verdicts: --lang, else the model file's lang:, else
    SYMBELLMAN_LANG, else English."""
    from ..core.i18n import chosen, resolve, using

    return using(resolve(chosen(), getattr(mdp.criteria, "lang", None)))


def _grade(args, folder: Path) -> int:
    from ..checking.grading import grade_folder, read_keys, write_feedback, write_grades
    from ..checking.messages import say

    if not args.keys:
        raise ModelError("grading a folder of submissions needs the keys", place="--keys",
                         hint="give the folder of the sheets' keys with --keys DIR")
    start = time.perf_counter()
    folder = folder.resolve()  # "." has a name to put beside it too
    mdp, policy = load(args)
    with _language(mdp):
        keys = read_keys(args.keys)
        grades = grade_folder(mdp, None if mdp.is_mrp else policy, folder, keys)
        table = write_grades(grades,
                             args.output or folder.parent / f"{folder.name}-grades.csv")
        notes = write_feedback(grades,
                               args.feedback or folder.parent / f"{folder.name}-feedback")
        print(say("graded", count=len(grades), keys=len(keys),
                  seconds=f"{time.perf_counter() - start:.1f}"))
        print(say("wrote-table", path=table))
        if notes:
            print(say("wrote-feedback", count=len(notes), path=notes[0].parent))
    return 0 if grades and all(g.result is not None and g.result.passed for g in grades) else 1


def add_check_command(sub) -> None:
    p = add_command(sub, "check", cmd_check, "check a student's answers, or grade a class",
                    "Check an answer file (v, q, v_star, q_star, optimal_actions, breakpoints; "
                    "keyed by stage for a finite horizon; gain, bias or theta for the other "
                    "criteria; see docs/check.md) against the exact values: each entry right or wrong, "
                    "a wrong one with its Bellman equation, the student's numbers put in, the "
                    "residual and the mistake it shows. Exit status 0 when all are right, 1 "
                    "when one is wrong, 2 for a bad file. Given a folder of submissions and "
                    "--keys, write a grade table (CSV) and a feedback file per student.")
    add_model_arguments(p)
    p.add_argument("answers", metavar="ANSWERS",
                   help="an answer file (.yaml, .yml, .json or .toml), or a folder of them")
    p.add_argument("--tolerance", metavar="T",
                   help="how far a decimal may be from the exact value (default: the "
                        "file's, else 0.005); exact answers are compared exactly")
    p.add_argument("--json", action="store_true", help="print one JSON object (see the spec)")
    p.add_argument("--keys", metavar="DIR",
                   help="the folder of the variants' keys (handout --exercise --variants), "
                        "to grade a folder of submissions")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="the grade table (default: FOLDER-grades.csv beside the folder)")
    p.add_argument("--feedback", metavar="DIR",
                   help="the folder of feedback files (default: FOLDER-feedback beside it)")
