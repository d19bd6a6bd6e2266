"""Estimates econsec uses in its scenarios, from data in the store.

:func:`rta_effect` is the effect of a regional trade agreement on trade, the ENDOG column of Yotov,
Piermartini, Monteiro & Larch (2016, ch. 1, Table 3): PPML on the AGTPA panel (69 countries,
1986–2006 every four years, domestic flows included) with exporter-year, importer-year and
symmetric pair fixed effects, standard errors clustered by pair; pairs with no trade in any year
left out. The book reports 0.557 (0.102); a new agreement multiplies trade by exp(β) holding
multilateral resistances fixed.
"""

from __future__ import annotations

from econsec.analytics.models.estimation.data import from_store
from econsec.analytics.models.estimation.ppml import PPML
from econsec.analytics.models.estimation.results import PPMLResults
from econsec.store import Store

YEARS = tuple(range(1986, 2007, 4))


def rta_estimate(store: Store, *, dataset: str = "agtpa_yotov2016") -> PPMLResults:
    """The RTA regression (see module docstring) on ``dataset`` in the store."""
    data = from_store(store, dataset, years=YEARS)
    d = data.frame
    pair = d[["exporter", "importer"]].min(axis=1) + "-" + d[["exporter", "importer"]].max(axis=1)
    d = d.assign(pair_sym=pair)
    d = d[d.groupby("pair_sym")["trade"].transform("sum") > 0]
    return PPML(("rta",), absorb=("pair_sym",)).fit(d, source=data.source, vintage=data.vintage)


def rta_effect(store: Store, *, dataset: str = "agtpa_yotov2016") -> tuple[float, float]:
    """(β_rta, its standard error) from :func:`rta_estimate`."""
    r = rta_estimate(store, dataset=dataset)
    return float(r.coef["rta"]), float(r.se["rta"])
