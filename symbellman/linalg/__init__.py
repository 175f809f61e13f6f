"""Exact solution of (I − γP)x = r, and of any sparse A x = b: the only package that
knows the fast algebra layers.

``solve_discounted`` picks a route (:mod:`.solve`: Krylov, rational, fraction-free),
each written over a backend object (:mod:`.backend`: python-flint, or plain Python
with the same results). Results are :class:`ExactVector` s (:mod:`.vector`), kept as
integer polynomials until read; ``backup`` takes one Bellman step on them
(:mod:`.backup`; with symbolic parameters :mod:`.ring_backup`, over ZZ[γ, parameters]);
``solve_sparse`` solves a general sparse system A x = b over the same backends
(fraction-free elimination); :mod:`.polynomials` holds the coefficient-list helpers that the
rest of symbellman shares.
"""

from .backend import BACKENDS, SingularSystem, default_backend, get_backend, shift_to_one_minus
from .backup import backup
from .polynomials import multiply as poly_mul, normalise
from .solve import (MAX_DEGREE, announce, check_degrees, is_reporting, reporting,
                    reporting_under, solve_discounted, solve_sparse)
from .vector import ExactVector

__all__ = ["SingularSystem", "ExactVector", "solve_discounted", "solve_sparse", "backup",
           "reporting", "is_reporting", "announce", "reporting_under", "BACKENDS",
           "default_backend", "get_backend", "normalise", "poly_mul", "shift_to_one_minus",
           "check_degrees", "MAX_DEGREE"]
