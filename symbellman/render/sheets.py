"""Exercise sheets in variants: one handout (and key) per drawn variant, written in parallel.

:func:`write_variants` draws the variants (:func:`symbellman.model.variants.draw_variants`)
and writes each with the ordinary handout writer to ``NAME-1.EXT``, ``NAME-2.EXT``, ...
(with ``exercise``, also ``NAME-1-key.EXT``, ...). Each sheet says its variant id
(:func:`variant_id`), and the JSON of closed forms (``NAME-1-key-closed-forms.json`` for an
exercise) records the id, the seed and the values drawn: ``symbellman check`` grades a
submission naming the id against it. The variants are independent: with
``jobs`` > 1 they are written by a pool of processes, each of which loads the model
again (models do not pickle) and puts in its variant's values, so the files are the
same whichever the number of jobs.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Mapping

from ..checking.messages import say
from ..core.i18n import chosen, resolve, using
from ..io.files import write_file
from ..model.variants import draw_variants, make_variant

__all__ = ["variant_path", "variant_id", "write_variants"]


def variant_id(seed: int, number: int) -> str:
    """The id a sheet carries: the seed and the variant's number, ``"SEED-NUMBER"``.

    Two runs with different seeds give different ids to their sheets, so a submission
    can never be graded against another run's key.

    >>> variant_id(7, 2)
    '7-2'
    """
    return f"{seed}-{number}"


def variant_path(output: str | Path, number: int) -> Path:
    """Where variant ``number`` goes: ``sheet.pdf`` → ``sheet-2.pdf``.

    >>> variant_path("out/sheet.pdf", 2).as_posix()
    'out/sheet-2.pdf'
    """
    output = Path(output)
    return output.with_name(f"{output.stem}-{number}{output.suffix}")


def _write_one(load: Callable, number: int, values: Mapping[str, str], output: Path,
               options: Mapping, seed: int = 0) -> dict:
    from .handout import write_handout

    mdp, policy = load()
    variant = make_variant(mdp, policy, number, values)
    ident = variant_id(seed, number)
    with using(resolve(options.get("lang") or chosen(), getattr(mdp.criteria, "lang", None))):
        told = say("variant-id", id=ident)
    model = variant.mdp.replace(description=f"{variant.mdp.description.strip()} {told}"
                                if variant.mdp.description else told)
    bound = None if variant.policy is None else variant.policy.bound_to(model)
    result = write_handout(model, bound, output, **options)
    for path in result.files:  # the JSON of closed forms: the key a submission is graded by
        if str(path).endswith("-closed-forms.json"):
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            data["variant"] = {"id": ident, "number": number, "seed": seed,
                               "values": dict(values)}
            write_file(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return {"files": [str(f) for f in result.files], "notes": list(result.notes)}


def write_variants(load: Callable, n: int, seed: int, output: str | Path, *, jobs: int = 1,
                   **options) -> dict:
    """Draw ``n`` variants with ``seed`` and write one handout for each.

    Parameters
    ----------
    load : callable
        ``load() -> (mdp, policy)``: the model the variants come from. With ``jobs`` > 1
        it runs again in each worker process, so it must pickle (a module-level
        function, or a :func:`functools.partial` of one).
    n, seed : int
        How many variants, and the seed that draws them.
    output : path
        The handout's name; variant k goes to :func:`variant_path` (output, k).
    jobs : int
        Processes to write with (1: one after the other, in this process).
    **options
        Passed to :func:`symbellman.render.handout.write_handout` (``exercise``,
        ``gammas``, ``notation``, ...).

    Returns
    -------
    dict
        ``{"files": [...], "notes": [...], "variants": [(number, "p = 1/3, ..."), ...],
        "ids": [variant id, ...]}``, in the order of the variants.
    """
    mdp, policy = load()
    variants = draw_variants(mdp, n, seed, policy)
    jobs_ = [(v.number, {s.name: str(x) for s, x in v.values.items()},
              variant_path(output, v.number)) for v in variants]
    if jobs > 1 and len(jobs_) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(jobs_))) as pool:
            futures = [pool.submit(_write_one, load, k, values, path, options, seed)
                       for k, values, path in jobs_]
            results = [f.result() for f in futures]
    else:
        results = [_write_one(load, k, values, path, options, seed)
                   for k, values, path in jobs_]
    notes = list(dict.fromkeys(note for r in results for note in r["notes"]))
    return {"files": [f for r in results for f in r["files"]], "notes": notes,
            "variants": [(v.number, v.describe()) for v in variants],
            "ids": [variant_id(seed, v.number) for v in variants]}
