"""The optimal values v*, q* and the optimal policies, exactly.

:mod:`.iteration` holds exact policy iteration at a numeric discount and its
certificate; :mod:`.pieces` the optimum over a whole range of the discount (or of a
parameter); :mod:`.algebraic` the exact real algebraic numbers at which the optimal
policy changes.
"""

import sys
import types

from .iteration import Certificate, OptimalSolution, certify, optimal
from .pieces import OptimalPieces, Piece, optimal_pieces

__all__ = ["optimal", "optimal_pieces", "certify", "OptimalSolution", "Certificate",
           "Piece", "OptimalPieces"]


class _CallableModule(types.ModuleType):
    """This package, callable as :func:`optimal`: ``symbellman.optimal(mdp)`` is the
    public function and ``symbellman.optimal.pieces`` still the module (one name for
    both, so that ``import symbellman.optimal.pieces as p`` works)."""

    def __call__(self, *args, **kwargs):
        return optimal(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
