"""Many models at once, on any ``concurrent.futures.Executor``: the engine is the caller's.

:func:`solve_many` solves each model exactly (v_π and q_π of its policy) and returns
the results as plain JSON-ready dicts, the same objects ``symbellman solve --json``
prints. Each model is solved by :func:`solve_one`, a top-level function whose
arguments and result pickle, so any executor runs it: a
``concurrent.futures.ProcessPoolExecutor``, a Dask cluster
(``distributed.Client(...).get_executor()``) or Ray's
(``ray.util.multiprocessing.Pool``-backed executors). Without an executor the models are
solved one after another in this process.
"""

from __future__ import annotations

from concurrent.futures import BrokenExecutor, Executor, as_completed
from os import PathLike
from typing import Any, Iterable, Iterator

import sympy

from .core.errors import SymbellmanError
from .equations.families import family
from .model.mdp import MDP
from .model.policy import Policy, with_values
from .progress import track

__all__ = ["solve_many", "solve_one", "solve_each", "solution_data"]


def solution_data(mdp: MDP, v, q=None) -> dict:
    """The ``solve --json`` object: model name, discount, v and (for an MDP) q as exact text.

    Examples
    --------
    The Student MRP of Silver's lecture 2 at γ = 1, where the slide rounds v(Class1) to -13:

    >>> from symbellman import solve_v
    >>> from symbellman.model.examples import student_mrp
    >>> m = student_mrp(discount=1)
    >>> solution_data(m, solve_v(m))["v"]["Class1"]    # -12.54, the slide's -13
    '-1016/81'
    """
    v_pi, q_pi = family("v_pi"), family("q_pi")
    out: dict[str, Any] = {"model": mdp.name, "discount": str(mdp.discount)}
    if v is not None:  # None: only q was asked for (--what q)
        out[v_pi.json] = v_pi.data(v)
    if q is not None:
        out[q_pi.json] = q_pi.data(q)
    return out


class _ModelData(dict):
    """A model as model-file data: exact text that pickles, where an MDP does not."""


def _portable(item):
    if isinstance(item, MDP):
        item = (item, Policy.uniform(item))
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], MDP):
        from .io.writer import model_data

        mdp, policy = item[0], Policy.from_spec(item[0], item[1])
        return _ModelData(model_data(mdp, policy))
    return item


def _model(item) -> tuple[MDP, Policy, str | None]:
    if isinstance(item, _ModelData):
        from .io import read_model

        return (*read_model(dict(item)), None)
    if isinstance(item, (str, PathLike)):
        from .io import load_model

        mdp, policy = load_model(item)
        return mdp, policy, str(item)
    if isinstance(item, MDP):
        return item, Policy.uniform(item), None
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], MDP):
        return item[0], Policy.from_spec(item[0], item[1]), None
    raise TypeError(f"expected a model file, an MDP or (MDP, Policy), got {type(item).__name__}")


def solve_one(item, at: dict | None = None, what=("v", "q"), budget: bool = False) -> dict:
    """Solve one model exactly; the unit of work that :func:`solve_many` hands out.

    Parameters
    ----------
    item : path, MDP or (MDP, Policy)
        A model file, a model (uniform policy) or a model with its policy.
    at : dict, optional
        Values to put in first (``{"gamma": "9/10"}``).
    what : tuple of str, optional
        ``("v",)``, ``("q",)`` or both (the default): what is computed and returned.
    budget : bool, optional
        Refuse a model whose estimated output or work is over the budget
        (:func:`symbellman.solve.budget.check_budget`) before solving it.

    Returns
    -------
    dict
        :func:`solution_data`, plus ``"source"`` (the file) when the model came from one.
    """
    from .study import Study

    mdp, policy, source = _model(item)
    if at:
        mdp, policy = with_values(mdp, policy, at)
    if budget:
        from .solve.budget import check_budget

        check_budget(mdp, policy, what)
    study = Study(mdp, policy)
    q = None if mdp.is_mrp or "q" not in what else study.q
    out = solution_data(mdp, study.v if "v" in what else None, q)
    if source is not None:
        out = {"source": source, **out}
    return out


def _guarded(item, at, what=("v", "q"), budget=False):
    """:func:`solve_one`, with any failure returned as data instead of raised.

    A user's error gives its one-line message; anything else (a bug, memory running out)
    gives ``"internal error (Kind): message"``, so one bad model never costs the others
    their results. The time limit of a run is not caught: it ends the whole batch.
    """
    from .core.limits import TimeLimit

    try:
        return solve_one(item, at, what, budget)
    except TimeLimit:
        raise
    except SymbellmanError as exc:
        return _failed(item, str(exc))
    except MemoryError:
        return _failed(item, "out of memory while solving this model")
    except RecursionError:
        return _failed(item, "the model is too deeply nested to solve")
    except Exception as exc:  # noqa: BLE001 - reported as this model's line, not raised
        return _failed(item, f"internal error ({type(exc).__name__}): {exc}".strip())


def _source(item) -> str | None:
    return str(item) if isinstance(item, (str, PathLike)) else None


def _failed(item, message: str) -> dict:
    return {"source": _source(item), "error": message.splitlines()[0] if message else ""}


#: The error of a model whose worker process ended without an answer.
DIED = ("the process solving this model ended abruptly (out of memory, or a crash in "
        "native code)")


def solve_each(models: Iterable, executor_factory=None, *, at: dict | None = None,
               what=("v", "q"), budget: bool = False) -> Iterator[tuple[int, dict]]:
    """``(index, result)`` for each model as soon as it is solved, never raising for one.

    Each result is :func:`solution_data` (with ``"source"``) or ``{"source", "error"}``:
    a user's error, an internal error, or the process solving it dying. With
    ``executor_factory`` (a callable returning a fresh ``concurrent.futures`` executor,
    e.g. ``lambda: ProcessPoolExecutor(2)``) the models run there; if a worker process
    dies (which breaks the whole pool), every model it took down is run again alone in a
    new pool, so only the one that kills its process is reported as failed. Without a
    factory the models run here, one after another, in order.

    >>> from symbellman.model.examples import student_mrp
    >>> [(i, r["v"]["Class1"]) for i, r in solve_each([student_mrp(discount=0)])]
    [(0, '-2')]
    """
    items = list(models)
    if executor_factory is None:
        for i, item in enumerate(items):
            yield i, _guarded(item, at, what, budget)
        return
    portable = [_portable(item) for item in items]
    pending = list(range(len(items)))
    alone = False
    while pending:
        broken = []
        groups = [[i] for i in pending] if alone else [pending]
        for group in groups:
            executor = executor_factory()
            try:
                futures = {executor.submit(_guarded, portable[i], at, what, budget): i
                           for i in group}
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        result = future.result()
                    except BrokenExecutor:
                        if alone:
                            yield i, _failed(items[i], DIED)
                        else:
                            broken.append(i)
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that won't pickle
                        result = _failed(items[i], f"internal error ({type(exc).__name__}): "
                                                   f"{exc}")
                    yield i, result
            except BaseException:  # the time limit, ^C, or the caller stopped early
                _stop(executor)
                raise
            executor.shutdown(wait=True)
        pending, alone = sorted(broken), True


def _stop(executor) -> None:
    """Shut an executor down without waiting for work in progress (a time limit)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # before
    for process in processes:  # shutdown() forgets them
        if process.is_alive():
            process.kill()  # SIGKILL: a worker in native code would not see SIGTERM
    executor.shutdown(wait=False, cancel_futures=True)


def solve_many(models: Iterable, executor: Executor | None = None, *,
               at: dict | None = None, errors: str = "raise") -> list[dict]:
    """Solve many models exactly, on the executor given (or here, one after another).

    Parameters
    ----------
    models : iterable of path, MDP or (MDP, Policy)
        Model files, or models (with the uniform policy, or their own).
    executor : concurrent.futures.Executor, optional
        Where the work runs: ``ProcessPoolExecutor()``, a Dask
        ``Client(...).get_executor()``, a Ray executor, ... Without one, in this process.
    at : dict, optional
        Values put into every model first, as ``--at`` does.
    errors : {"raise", "return"}, optional
        On a bad model, raise its :class:`~symbellman.core.errors.SymbellmanError`
        (the default) or return ``{"source": ..., "error": message}`` in its place.

    Returns
    -------
    list of dict
        One :func:`solution_data` per model, in the order given.

    Examples
    --------
    Silver's Student MRP at three discounts:

    >>> from symbellman.model.examples import student_mrp
    >>> results = solve_many([student_mrp(discount=d) for d in ("0", "9/10", "1")])
    >>> [r["v"]["Class1"] for r in results][::2]    # γ = 1: -12.54, the slide's -13
    ['-2', '-1016/81']
    >>> round(float(sympy.Rational(results[1]["v"]["Class1"])), 2)   # the slide's -5.0
    -5.01
    """
    if errors not in ("raise", "return"):
        raise ValueError("errors must be 'raise' or 'return'")
    items = list(models)
    work = solve_one if errors == "raise" else _guarded
    if executor is None:
        return [work(item, at) for item in track(items, "batch", total=len(items))]
    # models travel as exact model-file data: any executor can pickle that
    futures = {executor.submit(work, _portable(item), at): i for i, item in enumerate(items)}
    results: list = [None] * len(items)
    for future in track(as_completed(futures), "batch", total=len(items)):
        i = futures[future]
        try:
            results[i] = future.result()
        except Exception as exc:  # the worker died, or the result did not come back
            if errors == "raise":
                raise
            results[i] = _failed(items[i], DIED if isinstance(exc, BrokenExecutor) else
                                 f"internal error ({type(exc).__name__}): {exc}")
    return results
