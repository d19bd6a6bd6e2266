"""LNG inputs: EI bilateral LNG trade, annual GPRC, EI and Pink Sheet prices, U.S. goods trade
(Census), and the user's long-term contracts (``lng_contracts``)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import duckdb
import pandas as pd

from econsec.errors import StoreError
from econsec.store.store import Store

#: The DDL of ``lng_contracts`` (IF NOT EXISTS: also run before an append to an old store).
CONTRACTS_DDL = resources.files("econsec.store.migrations").joinpath("0005_lng_contracts.sql")


def trade(store: Store) -> pd.DataFrame:
    """EI bilateral LNG into countries (bcm): importer, year, exporter (ISO3, or NULL for a
    residual group), exporter_name, bcm."""
    return store.df("""SELECT importer, year, exporter, exporter_name, value AS bcm FROM energy_trade
                       WHERE source = 'ei_review' AND commodity = 'LNG' AND importer_kind = 'country'
                         AND exporter_kind IN ('country', 'other_group')""")


def gprc_annual(store: Store) -> pd.DataFrame:
    """Annual mean of the monthly country GPRC: country, year, gprc."""
    return store.df("""SELECT country, year(period) AS year, avg(value) AS gprc FROM risk_indices
                       WHERE index_name = 'GPRC' AND country IS NOT NULL GROUP BY ALL""")


def annual_prices(store: Store, year: int) -> pd.DataFrame:
    """Every annual price series in ``year``: series, value."""
    return store.df("SELECT series, value FROM prices WHERE freq = 'A' AND year(period) = ?", [year])


def annual_price(store: Store, series: str, year: int) -> pd.DataFrame:
    """The annual value of ``series`` in ``year`` (one row ``value``, or none)."""
    return store.df("SELECT value FROM prices WHERE series = ? AND freq = 'A' AND year(period) = ?",
                    [series, year])


def monthly_mean(store: Store, series: str, year: int) -> pd.DataFrame:
    """Mean of the monthly values of ``series`` in ``year`` and how many months: one row v, n."""
    return store.df("SELECT avg(value) AS v, count(*) AS n FROM prices WHERE series = ? "
                    "AND freq = 'M' AND year(period) = ?", [series, year])


def us_goods_trade_bn(store: Store, country: str, year: int) -> pd.DataFrame:
    """U.S. annual goods exports to and imports from ``country`` (Census, bn USD): flow, v."""
    return store.df("""SELECT flow, sum(value_usd) / 1e9 AS v FROM trade_flows
                       WHERE source = 'census_partner' AND year = ? AND month IS NULL
                         AND ((flow = 'export' AND importer = ?) OR (flow = 'import' AND exporter = ?))
                       GROUP BY flow""", [year, country, country])


def _contract_columns(con: duckdb.DuckDBPyConnection, columns: Sequence[str]) -> list[str]:
    """``columns`` if every one is a column of ``lng_contracts`` (they are formatted into SQL)."""
    have = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'lng_contracts'").fetchall()}
    bad = [c for c in columns if c not in have]
    if bad:
        raise StoreError(f"lng_contracts has no column {', '.join(bad)}")
    return list(columns)


def contracts(store: Store, columns: Sequence[str]) -> pd.DataFrame | None:
    """``columns`` of the stored user contracts; None when the store has no contracts table."""
    if not store.columns("lng_contracts"):
        return None
    cols = _contract_columns(store.con, columns)
    return store.df(f"SELECT {', '.join(cols)} FROM lng_contracts")   # names checked above


def append_contracts(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame,
                     columns: Sequence[str]) -> None:
    """Append ``frame``'s ``columns`` and ``added_at`` to ``lng_contracts`` (created if missing)."""
    con.execute(CONTRACTS_DDL.read_text(encoding="utf-8"))
    cols = _contract_columns(con, columns)
    con.register("_lngc", frame)
    try:
        con.execute(f"INSERT INTO lng_contracts SELECT {', '.join(cols)}, added_at FROM _lngc")
    finally:
        con.unregister("_lngc")
