"""Provenance: what is ingested, from which files and vintages, covering which years."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from econsec.store.store import DATA_TABLES, Store


def current_files(store: Store) -> pd.DataFrame:
    """The ingest log's current (not superseded) rows, one per file, by source and file."""
    return store.df("""SELECT source, dataset, file, sha256, bytes, rows_read, vintage, ingested_at,
                              econsec_version
                       FROM ingest_log WHERE superseded_by IS NULL ORDER BY source, file""")


def ingest_count(store: Store) -> int:
    """How many files were ever ingested (0: an empty store)."""
    return int(store.df("SELECT count(*) AS n FROM ingest_log")["n"].iloc[0])


def vintages(store: Store, sources: Sequence[str]) -> pd.DataFrame:
    """Current vintages of ``sources``: source, vintage (distinct), by source and vintage."""
    return store.df("SELECT DISTINCT source, vintage FROM ingest_log WHERE superseded_by IS NULL "
                    "AND source IN (SELECT unnest(?)) ORDER BY source, vintage", [list(sources)])


def coverage(store: Store) -> pd.DataFrame:
    """Per source and data table: rows, first and last year in the table's year, period or
    effective_date column (NULL when it has none).

    Columns: source, tbl, rows, first_year, last_year. Table names come from ``DATA_TABLES``.
    """
    parts = []
    for table in DATA_TABLES:
        cols = store.columns(table)
        if "year" in cols:
            span = "min(year), max(year)"
        elif "period" in cols:
            span = "min(year(period)), max(year(period))"
        elif "effective_date" in cols:
            span = "min(year(effective_date)), max(year(effective_date))"
        else:
            span = "NULL::INTEGER, NULL::INTEGER"
        parts.append(f"SELECT source, '{table}' AS tbl, count(*) AS n, {span} FROM \"{table}\" GROUP BY source")
    df = store.df(" UNION ALL ".join(parts))
    df.columns = ["source", "tbl", "rows", "first_year", "last_year"]
    return df
