"""The commands that write documents: ``handout`` (PDF, .tex, Markdown, HTML page) and its variants."""

from __future__ import annotations

import os
import sys

from ..core.errors import MissingDependency
from ..core.i18n import _
from ..progress import progress
from .arguments import gammas, load, load_study, notation_from
from .output import check_output


def cmd_handout(args) -> int:
    from ..render.handout import write_handout

    check_output(args.output)
    if args.variants is not None:
        return _handout_variants(args)
    study = load_study(args)
    # a handout (and the page) has every closed form in γ: in its JSON, its plot, its table
    from ..solve.budget import check_budget

    from .solving import timeout_of

    symbolic = study.symbolic
    check_budget(symbolic.mdp, symbolic.policy, ("v",), timeout=timeout_of(args),
                 values=False)
    if args.output.lower().endswith((".html", ".htm")):
        from ..render.html import write_page

        with progress("page"):
            page = write_page(study, None, args.output, lang=getattr(args, "lang", None))
        print(_("wrote {path} ({kb} KB, one self-contained page)").format(
            path=args.output, kb=page["bytes"] // 1024))
        _report((), page["notes"])
        return 0
    try:
        with progress("handout"):
            result = write_handout(study, None, args.output, **_handout_options(args))
    except MissingDependency as exc:
        raise _suggest_tex_free(exc, args.output) from None
    _report(result.files, result.notes)
    return 0


def _suggest_tex_free(exc: MissingDependency, output: str) -> MissingDependency:
    stem = output[:-4] if output.lower().endswith(".pdf") else None
    if stem is None or "TeX" not in str(exc):
        return exc
    return MissingDependency(f"{exc}; or write -o {stem}.tex or -o {stem}.md, "
                             "which need no TeX")


def _report(files, notes) -> None:
    for path in files:
        print(_("wrote {path}").format(path=path))
    for note in notes:
        print(_("note: {note}").format(note=note), file=sys.stderr)


def _closed_forms(args) -> tuple[str, ...]:
    return tuple(x.strip() for x in (args.closed_forms or "").split(",") if x.strip())


def _handout_options(args) -> dict:
    """What a handout and each of its variants are written with, from the command line."""
    return dict(gammas=gammas(args.gamma), exercise=args.exercise, notation=notation_from(args),
                closed_forms=_closed_forms(args), slides=args.slides,
                lang=getattr(args, "lang", None))


def _handout_variants(args) -> int:
    from functools import partial

    from ..render.sheets import write_variants

    try:
        with progress("handout variants"):
            result = write_variants(partial(load, args), args.variants, args.seed, args.output,
                                    jobs=args.jobs or os.cpu_count() or 1,
                                    **_handout_options(args))
    except MissingDependency as exc:
        raise _suggest_tex_free(exc, args.output) from None
    for number, values in result["variants"]:
        print(f"variant {number}: {values}")
    _report(result["files"], result["notes"])
    return 0
