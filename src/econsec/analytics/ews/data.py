"""The early-warning system's data from the store: the monthly import panel and the side inputs
of the signals (country GPRC, monthly world prices).

The queries are :mod:`econsec.store.queries.ews`; this module turns their frames into a
:class:`~econsec.analytics.ews.panel.MonthlyPanel` and typed inputs. Everything else in
``econsec.analytics.ews`` is pure.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from econsec.analytics.ews.panel import PRICE_SERIES, MonthlyPanel, panel_from_frame
from econsec.store import Store
from econsec.store.queries import catalog as provenance
from econsec.store.queries import ews as q


def load_monthly_panel(store: Store, source: str, *, importers: Sequence[str] | None = None,
                       items: pd.DataFrame | None = None) -> MonthlyPanel:
    """The monthly import panel of ``source`` (importer-reported, else mirror exports),
    optionally only of ``importers`` or of the ``items`` (importer, classification, product).

    Not to be confused with :func:`econsec.analytics.indicators.data.load_panel`, the annual
    product-level :class:`~econsec.analytics.indicators.panel.TradePanel` of one year.
    """
    df = q.monthly_imports(store, source)
    if importers is not None:
        df = df[df.importer.isin(list(importers))]
    if items is not None:
        keys = items[["importer", "classification", "product"]].drop_duplicates()
        df = df.merge(keys, on=["importer", "classification", "product"])
    vintage = "; ".join(provenance.vintages(store, [source])["vintage"])
    return panel_from_frame(df, source=source, vintage=vintage)


def store_inputs(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GPRC by country and the monthly prices of :data:`PRICE_SERIES` (empty frames when not
    ingested), with ``period`` as timestamps."""
    g = q.gprc_monthly(store)
    p = q.monthly_prices(store, sorted(set(PRICE_SERIES.values())))
    for f in (g, p):
        f["period"] = pd.to_datetime(f["period"])
    return g, p


__all__ = ["load_monthly_panel", "store_inputs"]
