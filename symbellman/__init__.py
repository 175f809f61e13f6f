"""symbellman: Bellman equations, derived, solved and typeset exactly.

Importing the package imports nothing heavy: each public name loads its module (and
SymPy with it) the first time it is read, so ``symbellman --help`` answers at once.
Every name of ``__all__`` is found by a small loader below, written as plain import
statements so that readers of the source (type checkers, the import-graph test, freezers)
see where each name comes from.

>>> import symbellman
>>> symbellman.solve_v.__module__
'symbellman.solve.evaluate'
>>> "MDP" in dir(symbellman)
True
"""

from __future__ import annotations

import importlib
import importlib.util
import types
import sys
import threading
from typing import TYPE_CHECKING

from .text.display import register_notebook_display
from .version import __version__

if TYPE_CHECKING:  # what a type checker reads; at run time the loaders below do this
    from .core.errors import (MissingDependency, ModelError, PolicyError, SolveError,
                              SymbellmanError)
    from .model.criteria import Criteria, FiniteHorizon, Projection
    from .model.mdp import MDP, Outcome
    from .model.policy import Policy
    from .core.symbols import gamma
    from .solve.evaluate import solve_q, solve_v
    from .solve.results import ActionValueFunction, ValueFunction
    from . import optimal
    from .optimal import OptimalPieces, OptimalSolution, optimal_pieces
    from .solve.analysis import laurent_at_one, series_at_zero
    from .io import from_arrays, from_gymnasium, load_model, to_arrays, write_model
    from .batch import solve_many
    from .projected import ProjectedSolution, state_distribution, td_fixed_point
    from .checking import CheckResult, check
    from .solve.horizon import (FiniteHorizonOptimal, FiniteHorizonValues, finite_horizon,
                                finite_horizon_optimal)
    from .solve.average import AverageReward, ChainStructure, average_reward, chain_structure
    from .solve.average_optimal import AverageOptimal, average_optimal, average_value_iteration

__all__ = ["MDP", "Outcome", "Policy", "gamma", "solve_v", "solve_q", "ValueFunction",
           "ActionValueFunction", "SymbellmanError", "ModelError",
           "PolicyError", "SolveError", "MissingDependency", "optimal", "optimal_pieces",
           "OptimalSolution", "OptimalPieces", "series_at_zero", "laurent_at_one",
           "from_gymnasium", "from_arrays", "to_arrays", "load_model", "write_model",
           "solve_many", "check", "CheckResult", "Criteria", "FiniteHorizon", "Projection",
           "td_fixed_point", "ProjectedSolution", "state_distribution",
           "finite_horizon", "finite_horizon_optimal", "FiniteHorizonValues",
           "FiniteHorizonOptimal", "average_reward", "chain_structure", "AverageReward",
           "ChainStructure", "average_optimal", "average_value_iteration", "AverageOptimal"]


# One loader per module: it imports that module's public names and returns them by name.

def _errors():
    from .core.errors import (MissingDependency, ModelError, PolicyError, SolveError,
                              SymbellmanError)
    return locals()


def _criteria():
    from .model.criteria import Criteria, FiniteHorizon, Projection
    return locals()


def _model():
    from .model.mdp import MDP, Outcome
    from .model.policy import Policy
    from .core.symbols import gamma
    return locals()


def _evaluate():
    from .solve.evaluate import solve_q, solve_v
    from .solve.results import ActionValueFunction, ValueFunction
    return locals()


def _optimal():
    from .optimal import OptimalPieces, OptimalSolution, optimal_pieces
    from . import optimal  # the package, callable as the function optimal(mdp)
    return locals()


def _analysis():
    from .solve.analysis import laurent_at_one, series_at_zero
    return locals()


def _io():
    from .io import from_arrays, from_gymnasium, load_model, to_arrays, write_model
    from .batch import solve_many
    return locals()


def _projected():
    from .projected import ProjectedSolution, state_distribution, td_fixed_point
    return locals()


def _checking():
    from .checking import CheckResult, check
    return locals()


def _horizon():
    from .solve.horizon import (FiniteHorizonOptimal, FiniteHorizonValues, finite_horizon,
                                finite_horizon_optimal)
    return locals()


def _average():
    from .solve.average import AverageReward, ChainStructure, average_reward, chain_structure
    from .solve.average_optimal import AverageOptimal, average_optimal, average_value_iteration
    return locals()


_LOADERS = (_errors, _criteria, _model, _evaluate, _optimal, _analysis, _io, _projected,
            _checking, _horizon, _average)

#: Which loader gives each public name (read from the loaders' own import statements).
_WHERE = {name: loader for loader in _LOADERS
          for name in loader.__code__.co_varnames}


#: The names this thread is loading: `from . import optimal` asks for the name while it
#: loads, and is answered by the import system (another thread waits on the import lock).
_LOADING = threading.local()


def __getattr__(name: str):
    """Load a public name (or a submodule) the first time it is read."""
    loader = _WHERE.get(name)
    loading = _LOADING.__dict__.setdefault("names", set())
    if loader is not None and name not in loading:
        loading.add(name)
        try:
            found = loader()
        finally:
            loading.discard(name)
        globals().update(found)  # the next read is an ordinary attribute
        return found[name]
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}"):
        return importlib.import_module(f"{__name__}.{name}")  # symbellman.model.examples, ...
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package keeps its public names when a submodule of the same name is imported.

    Importing ``symbellman.solve.average_optimal`` (the module) binds it on the package, where
    the public name is the function ``average_optimal``: the binding is dropped, and the
    name loads the function as any other public name does.
    """

    def __setattr__(self, name: str, value) -> None:
        if (isinstance(value, types.ModuleType) and name in _WHERE and name != "optimal"
                and value.__name__ == f"{__name__}.{name}"):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def _draw_in_notebook(result):
    from .notebook import result_html  # the explorer: loaded when a notebook first asks

    return result_html(result)


register_notebook_display(_draw_in_notebook)
