"""Inputs of the structural indicators that are not a trade panel (the panels are built in
``econsec.analytics.indicators.data``): product descriptions and reporter-level flows."""

from __future__ import annotations

import pandas as pd

from econsec.store.store import Store


def hs_descriptions(store: Store) -> pd.DataFrame:
    """One description per HS code: HS2017's, else HS1992's, else HS2022's. Columns: code,
    description."""
    return store.df("""SELECT code, first(description ORDER BY CASE classification WHEN 'HS2017' THEN 0
                           WHEN 'HS1992' THEN 1 ELSE 2 END) AS description
                       FROM products WHERE classification IN ('HS2017', 'HS1992', 'HS2022') GROUP BY code""")


def reported_annual_flows(store: Store, source: str) -> pd.DataFrame:
    """Annual exports and imports in USD as each reporter states them: reporter, flow, year,
    product, value_usd."""
    return store.df("""SELECT reporter, flow, year, product, value_usd FROM trade_flows
                       WHERE source = ? AND month IS NULL AND value_usd IS NOT NULL
                         AND flow IN ('export', 'import')""", [source])
