"""The optimal values v*, q* and the optimal policies, exactly.

:mod:`.iteration` holds exact policy iteration at a numeric discount and its
certificate; :mod:`.pieces` the optimum over a whole range of the discount (or of a
parameter); :mod:`.algebraic` the exact real algebraic numbers at which the optimal
policy changes.
"""

from .iteration import Certificate, OptimalSolution, certify, optimal
from .pieces import OptimalPieces, Piece, optimal_pieces

__all__ = ["optimal", "optimal_pieces", "certify", "OptimalSolution", "Certificate",
           "Piece", "OptimalPieces"]
