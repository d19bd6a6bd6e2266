"""Product-level partial equilibrium: the WITS SMART model (Jammes & Olarreaga 2005).

Methods: docs/methods.md §5. The pure kernels are in :mod:`.smart`, the elasticity
lookup in :mod:`.elasticities`, the baseline, shocks, spec and run in :mod:`.model`, and the
store's queries (baseline rows, σ tables, concordances) in :mod:`.data`.

>>> model = SmartModel.from_store(store)                     # U.S. 2024 HTS10 imports
>>> res = model.run(tariff_shocks({"CHN": 0.60}), name="china-60")
>>> res.by_supplier(); res.top_diversion_gains("KOR"); print(res.summary())
"""

from econsec.analytics.models.pe.elasticities import (
    DEFAULT_EPS_M,
    DEFAULT_SIGMA,
    WITS_EXPORT_SUPPLY,
    ProductElasticities,
    product_elasticities,
    uniform_elasticities,
)
from econsec.analytics.models.pe.model import (
    Baseline,
    SmartInputError,
    SmartModel,
    SmartSpec,
    apply_shocks,
    baseline_from_frame,
    load_baseline,
    tariff_shocks,
    validate_shocks,
)
from econsec.analytics.models.pe.results import SmartResult
from econsec.analytics.models.pe.smart import SmartArrays, smart

__all__ = [
    "DEFAULT_EPS_M", "DEFAULT_SIGMA", "WITS_EXPORT_SUPPLY", "Baseline", "ProductElasticities",
    "SmartArrays", "SmartInputError", "SmartModel", "SmartResult", "SmartSpec", "apply_shocks",
    "baseline_from_frame", "load_baseline", "product_elasticities", "smart", "tariff_shocks",
    "uniform_elasticities", "validate_shocks",
]
