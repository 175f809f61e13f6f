"""symbellman: Bellman equations, derived, solved and typeset exactly."""

from .errors import MissingDependency, ModelError, PolicyError, SolveError, SymbellmanError
from .model import MDP, Outcome
from .policy import Policy
from .symbols import gamma
from .evaluate import solve_q, solve_v
from .results import ActionValueFunction, ValueFunction
from . import optimal  # the package, callable as the function optimal(mdp)
from .optimal import OptimalPieces, OptimalSolution, optimal_pieces
from .analysis import laurent_at_one, series_at_zero
from .io import from_arrays, from_gymnasium, load_model, to_arrays, write_model
from .batch import solve_many
from .checking import CheckResult, check
from .version import __version__
from . import notebook  # noqa: F401 (registers how a notebook shows results)

__all__ = ["MDP", "Outcome", "Policy", "gamma", "solve_v", "solve_q", "ValueFunction",
           "ActionValueFunction", "SymbellmanError", "ModelError",
           "PolicyError", "SolveError", "MissingDependency", "optimal", "optimal_pieces",
           "OptimalSolution", "OptimalPieces", "series_at_zero", "laurent_at_one",
           "from_gymnasium", "from_arrays", "to_arrays", "load_model", "write_model",
           "solve_many", "check", "CheckResult"]
