"""One-sector structural-gravity general equilibrium (issue #4; methods: docs/methods.md §4).

Build a baseline (:func:`gravity_data_from_frame`, :func:`gravity_data_from_matrix`,
:func:`gravity_data_from_store`), give a spec — :class:`OneSectorGE` (trade costs from gravity
coefficients, as gegravity 0.3) or :class:`ExactHatGE` (observed flows only, exact hat algebra)
— and ``solve`` a :class:`Counterfactual` into read-only :class:`GEResults`. Equations are in
:mod:`.equations`.
"""

from econsec.analytics.models.gravity.data import (
    CONSTANT,
    GravityData,
    GravityInputError,
    gravity_data_from_frame,
    gravity_data_from_matrix,
    gravity_data_from_store,
)
from econsec.analytics.models.gravity.equations import GEConvergenceError, SolverDiagnostics
from econsec.analytics.models.gravity.model import (
    FULL_GE,
    Counterfactual,
    ExactHatGE,
    OneSectorGE,
)
from econsec.analytics.models.gravity.results import Equilibrium, GEResults

__all__ = [
    "CONSTANT",
    "FULL_GE",
    "Counterfactual",
    "Equilibrium",
    "ExactHatGE",
    "GEConvergenceError",
    "GEResults",
    "GravityData",
    "GravityInputError",
    "OneSectorGE",
    "SolverDiagnostics",
    "gravity_data_from_frame",
    "gravity_data_from_matrix",
    "gravity_data_from_store",
]
