"""Gravity estimation: PPML with high-dimensional fixed effects (issue #4; methods.md §4).

:class:`PPML` is an immutable specification; ``PPML(...).fit(data)`` returns a read-only
:class:`PPMLResults` (coefficients, clustered covariance, fixed effects, fitted flows,
diagnostics, provenance). :func:`from_store` (``data.py``) builds the panel from the store's ``gravity_panel``.
"""

from econsec.analytics.models.estimation.data import from_store
from econsec.analytics.models.estimation.ppml import (
    FIXED_EFFECTS,
    PPML,
    VCOVS,
    FixedEffects,
    Vcov,
    estimate_ppml,
)
from econsec.analytics.models.estimation.results import (
    FitDiagnostics,
    GravityDataError,
    GravityPanel,
    PPMLConvergenceError,
    PPMLResults,
)

__all__ = [
    "FIXED_EFFECTS",
    "PPML",
    "VCOVS",
    "FitDiagnostics",
    "FixedEffects",
    "GravityPanel",
    "GravityDataError",
    "PPMLConvergenceError",
    "PPMLResults",
    "Vcov",
    "estimate_ppml",
    "from_store",
]
