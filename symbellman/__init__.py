"""symbellman: Bellman equations, derived, solved and typeset exactly."""

from .errors import MissingDependency, ModelError, PolicyError, SolveError, SymbellmanError
from .model import MDP, Outcome
from .policy import Policy
from .symbols import gamma

__all__ = ["MDP", "Outcome", "Policy", "gamma", "SymbellmanError", "ModelError",
           "PolicyError", "SolveError", "MissingDependency"]
__version__ = "0.1.0"
