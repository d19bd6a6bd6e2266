"""Multi-sector general equilibrium in changes (Caliendo & Parro 2015), with or without
input–output links, calibrated to an MRIO year (WIOD 2013 in the store).

Issues #4 (multi-sector structural gravity for tariff scenarios: ``intermediates="none"``) and #5
(multi-sector GE with intermediate inputs for decoupling scenarios); methods.md §4 and §6.

>>> cal = load_wiod(store, 2011)                              # doctest: +SKIP
>>> model = MultiSectorModel(cal)                             # doctest: +SKIP
>>> shock = model.shock("USA-CHN c14 NTB 20%").with_trade_cost(
...     "USA", "CHN", "c14", factor=1.2, symmetric=True)      # doctest: +SKIP
>>> model.solve(shock).to_frame()                             # doctest: +SKIP
"""

from econsec.analytics.models.multisector.data import (
    CP2015_THETA,
    HIGH_AND_MEDIUM_HIGH_TECH,
    HIGH_TECH,
    TECH_GROUP_OF,
    TECH_GROUPS,
    THETA_SERVICES,
    WIOD_INDUSTRIES,
    WIOD_THETA,
    WIOD_THETA_BASIS,
    Calibration,
    MultiSectorInputError,
    default_theta,
    from_mrio,
    from_trade,
    load_wiod,
)
from econsec.analytics.models.multisector.model import (
    INTERMEDIATES,
    ORIENTATION,
    MultiSectorConvergenceError,
    MultiSectorModel,
    Shock,
)
from econsec.analytics.models.multisector.results import MultiSectorResults

__all__ = [
    "CP2015_THETA", "HIGH_AND_MEDIUM_HIGH_TECH", "HIGH_TECH", "INTERMEDIATES", "ORIENTATION",
    "TECH_GROUP_OF", "TECH_GROUPS", "THETA_SERVICES", "WIOD_INDUSTRIES", "WIOD_THETA", "WIOD_THETA_BASIS",
    "Calibration", "MultiSectorConvergenceError", "MultiSectorInputError", "MultiSectorModel",
    "MultiSectorResults", "Shock", "default_theta", "from_mrio", "from_trade", "load_wiod",
]
