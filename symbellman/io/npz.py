"""A model as NumPy arrays in one ``.npz`` file, in pymdptoolbox's or QuantEcon's layout.

The file holds float arrays for the solvers (``P``, ``R``) and, beside them, the exact
values as text (``P_exact``, ``R_exact``: ``"1/3"``, never ``0.333…``), with the names of
the states and actions, so that nothing needs ``allow_pickle`` to be read back:

>>> import numpy as np, tempfile, pathlib
>>> from symbellman.model.examples import student_mdp
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_npz(student_mdp(discount="9/10"), folder / "student.npz")
>>> data = np.load(path)
>>> data["P"].shape, str(data["discount_exact"]), float(data["discount"])
((5, 5, 5), '9/10', 0.9)
>>> a, s = list(data["actions"]).index("pub"), list(data["states"]).index("Class3")
>>> str(data["P_exact"][a, s, list(data["states"]).index("Class2")])
'2/5'

pymdptoolbox reads ``P`` and ``R`` as they are
(``mdptoolbox.mdp.ValueIteration(data["P"], data["R"], float(data["discount"]))``);
QuantEcon's ``DiscreteDP(data["R"], data["P"], beta)`` takes the ``quantecon`` layout.

See Also
--------
symbellman.io.arrays.to_arrays : the arrays themselves, exact or in floating point.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..core.errors import ModelError
from ..model.mdp import MDP
from .arrays import to_arrays

__all__ = ["write_npz"]


def _exact_text(array):
    import numpy as np

    return np.vectorize(lambda x: str(x), otypes=[str])(array)


def write_npz(mdp: MDP, path: str | os.PathLike, convention: str = "mdptoolbox") -> Path:
    """Write ``mdp`` as arrays to ``path`` (``.npz``) and return the path.

    Parameters
    ----------
    mdp : MDP
        A model whose probabilities, rewards and discount are numbers (give parameters
        values first, e.g. ``--at`` on the command line).
    path : path-like
        The file; it is written whole (through a temporary file beside it) or not at all.
    convention : {"mdptoolbox", "quantecon"}
        ``P[a, s, t]`` and ``R[s, a]`` (pymdptoolbox), or ``Q[s, a, t]`` as ``P`` and
        ``R[s, a]`` (QuantEcon). An action a state does not have loops on it with reward
        ``-inf`` (QuantEcon's mark for an infeasible pair).

    Raises
    ------
    ModelError
        If a value is still symbolic.
    """
    import numpy as np

    arrays = to_arrays(mdp, convention)
    free = sorted({str(symbol) for x in (*arrays.P.flat, *arrays.R.flat, mdp.discount)
                   for symbol in getattr(x, "free_symbols", ())})
    if free:
        raise ModelError(f"arrays hold numbers, but the model still has {', '.join(free)}",
                         place="export", hint="give values with --at, e.g. --at gamma=9/10")
    floats = to_arrays(mdp, convention, dtype=float)
    path = Path(path)
    contents = {
        "P": floats.P, "R": floats.R,
        "P_exact": _exact_text(arrays.P), "R_exact": _exact_text(arrays.R),
        "states": np.array(arrays.states, dtype=str),
        "actions": np.array(arrays.actions, dtype=str),
        "terminal": np.array(arrays.terminal, dtype=str),
        "discount": np.array(float(mdp.discount)),
        "discount_exact": np.array(str(mdp.discount)),
        "convention": np.array(convention),
    }
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".npz",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez_compressed(out, **contents)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
