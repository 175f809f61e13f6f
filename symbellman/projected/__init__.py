"""The projected Bellman equation of linear TD(0), exact in γ and the model's symbols.

:func:`td_fixed_point` builds A(γ) = Xᵀ D (I − γP_π) X and b = Xᵀ D r_π and solves
Aθ = b (:mod:`.fixed_point`) for a weighting D (:mod:`.distribution`); the expected
update's stability over γ comes from the Routh–Hurwitz conditions on A's
characteristic polynomial (:mod:`.stability`), and the on-policy error bound is
checked exactly (:mod:`.bound`).
"""

from .distribution import state_distribution
from .fixed_point import ProjectedSolution, read_features, td_fixed_point

__all__ = ["td_fixed_point", "ProjectedSolution", "state_distribution", "read_features"]
