"""Loading a gravity panel from the store: the SQL behind :func:`from_store`.

The store's ``gravity_panel`` holds one row per (dataset, exporter, importer, year) with the
standard covariates in columns and the dataset's own ones (AGTPA's pair ids, RTA lags and leads)
in an ``extra`` JSON object. :func:`from_store` selects a dataset and years, unpacks the JSON keys
into numeric columns (keys are checked to be plain names before they are formatted into the
query), and records the source and its ingest vintage on the :class:`GravityPanel`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from econsec.analytics.models.estimation.results import GravityDataError, GravityPanel
from econsec.store import Store

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PANEL = """
SELECT exporter, importer, year, trade, unit, dist, coalesce(lndist, ln(dist)) AS lndist,
       contig, common_lang, colony, rta, international, output_y, expenditure_e, source{extra}
FROM gravity_panel
WHERE dataset = ? {years}
ORDER BY year, exporter, importer
"""


def from_store(store: Store, dataset: str = "agtpa_yotov2016",
               years: Sequence[int] | None = None) -> GravityPanel:
    """Build a gravity panel from the store's ``gravity_panel`` table.

    Columns: exporter, importer, year, trade (``unit``, million USD for the shipped panels),
    dist (km), lndist (= ln dist where the source gives distance only, as AGTPA does), contig,
    common_lang, colony, rta, international (1 if exporter ≠ importer), output_y and
    expenditure_e where present, and every key of the ``extra`` JSON (AGTPA: pair_id, rta_lag3 …
    rta_lag12, rta_lead4) as numeric columns. Columns empty for the dataset are left out.

    ``years``: the years to keep (Yotov et al. 2016 use 1986, 1990, …, 2006 for AGTPA); default
    all. The vintage is the current ingest's, from ``ingest_log``.
    """
    known = store.df("SELECT DISTINCT dataset FROM gravity_panel ORDER BY 1")["dataset"].tolist()
    if dataset not in known:
        raise GravityDataError(f"dataset {dataset!r} is not in the store's gravity_panel; "
                               f"it holds {known or 'no gravity data (ingest agtpa or gegravity_sample)'}")
    keys = store.df("SELECT DISTINCT unnest(json_keys(extra)) AS k FROM gravity_panel "
                    "WHERE dataset = ? AND extra IS NOT NULL ORDER BY 1", [dataset])["k"].tolist()
    bad = [k for k in keys if not _KEY.match(k)]
    if bad:
        raise GravityDataError(f"extra JSON keys {bad} are not plain column names")
    extra = "".join(f",\n       CAST(json_extract_string(extra, '$.{k}') AS DOUBLE) AS \"{k}\""
                    for k in keys)
    params: list[Any] = [dataset]
    where = ""
    if years is not None:
        where = "AND year IN (SELECT unnest(?::INTEGER[]))"
        params.append([int(y) for y in years])
    df = store.df(_PANEL.format(extra=extra, years=where), params)
    if len(df) == 0:
        have = store.df("SELECT DISTINCT year FROM gravity_panel WHERE dataset = ? ORDER BY 1",
                        [dataset])["year"].tolist()
        raise GravityDataError(f"dataset {dataset!r} has no rows for years {list(years or [])}; "
                               f"it has {have}")
    sources = sorted(df.pop("source").unique())
    units = sorted(df.pop("unit").unique())
    vint = store.df("SELECT DISTINCT vintage FROM ingest_log WHERE list_contains(?, source) "
                    "AND superseded_by IS NULL ORDER BY 1", [sources])["vintage"].tolist()
    df = df.dropna(axis=1, how="all")
    for col in df.columns:
        if col not in ("exporter", "importer") and df[col].dtype.kind in "iuf":
            df[col] = df[col].astype("int64" if df[col].dtype.kind in "iu" else "float64")
    for k in keys:  # JSON numbers come back as DOUBLE: dummies and ids are whole numbers
        if k in df.columns and bool((df[k] % 1 == 0).all()):
            df[k] = df[k].astype("int64")
    return GravityPanel(frame=df, dataset=dataset, source=", ".join(sources),
                       vintage="; ".join(vint) or "not recorded", unit=", ".join(units))
