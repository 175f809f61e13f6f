"""symbellman: Bellman equations, derived, solved and typeset exactly."""

from .errors import MissingDependency, ModelError, PolicyError, SolveError, SymbellmanError
from .criteria import Criteria, FiniteHorizon, Projection
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
from .projected import ProjectedSolution, state_distribution, td_fixed_point
from .checking import CheckResult, check
from .horizon import (FiniteHorizonOptimal, FiniteHorizonValues, finite_horizon,
                      finite_horizon_optimal)
from .average import AverageReward, ChainStructure, average_reward, chain_structure
from .average_optimal import AverageOptimal, average_optimal, average_value_iteration
from .version import __version__
from . import notebook  # noqa: F401 (registers how a notebook shows results)

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
