"""Exact solution of (I − γP)x = r: the only package that knows the fast algebra layers.

``solve_discounted`` picks a route (:mod:`.solve`: Krylov, rational, fraction-free),
each written over a backend object (:mod:`.backend`: python-flint, or plain Python
with the same results). Results are :class:`ExactVector` s (:mod:`.vector`), kept as
integer polynomials until read; ``backup`` takes one Bellman step on them
(:mod:`.backup`; with symbolic parameters :mod:`.ring_backup`, over ZZ[γ, parameters]);
:mod:`.polynomials` holds the coefficient-list helpers that the
rest of symbellman shares.
"""

from .backend import BACKENDS, SingularSystem, default_backend, get_backend, normalise, shift_to_one_minus
from .backup import backup
from .polynomials import multiply as poly_mul
from .solve import (MAX_DEGREE, announce, check_degrees, reporting, reporting_under,
                    solve_discounted)
from .vector import ExactVector

__all__ = ["SingularSystem", "ExactVector", "solve_discounted", "backup", "reporting", "announce", "reporting_under", "BACKENDS",
           "default_backend", "get_backend", "normalise", "poly_mul", "shift_to_one_minus",
           "check_degrees", "MAX_DEGREE"]
