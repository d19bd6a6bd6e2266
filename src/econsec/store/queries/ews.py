"""Early-warning tables: watchlist, checks, alerts and their history, notifications, events,
and the monthly inputs a scan reads (trade, GPRC, prices).

Reads take the store; writes take the connection of the caller's transaction (see the package
docstring). Schema: ``migrations/0004_early_warning.sql``, ``0006``, ``0007``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import duckdb
import pandas as pd

from econsec.store.store import Store

ITEM_KEYS = ("importer", "classification", "product")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> int:
    row = con.execute(sql, list(params)).fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


# -- inputs of a scan --------------------------------------------------------------------------
def monthly_imports(store: Store, source: str) -> pd.DataFrame:
    """Monthly imports of ``source`` by importer × exporter × item: the importer's own imports,
    else the partner's reported exports to it (mirror flows); aggregate importers left out.

    Columns: importer, exporter, classification, product, year, month, value (source units).
    """
    return store.df("""
    WITH r AS (
      SELECT importer, exporter, classification, product, year, month, value,
             CASE WHEN flow = 'import' AND reporter = importer THEN 0 ELSE 1 END AS pref
      FROM trade_flows WHERE source = ? AND month IS NOT NULL AND value IS NOT NULL
        AND ((flow = 'import' AND reporter = importer) OR (flow = 'export' AND reporter = exporter))
        AND importer NOT IN ('WLD', 'EUN'))
    SELECT importer, exporter, classification, product, year, month, value FROM r
    QUALIFY pref = min(pref) OVER (PARTITION BY importer, exporter, classification, product, year, month)
    """, [source])


def monthly_sources(store: Store) -> set[str]:
    """Sources with monthly trade flows in the store."""
    return set(store.df("SELECT DISTINCT source FROM trade_flows WHERE month IS NOT NULL")["source"])


def gprc_monthly(store: Store) -> pd.DataFrame:
    """Country geopolitical risk (Caldara–Iacoviello GPRC): country, period, value."""
    return store.df("SELECT country, period, value FROM risk_indices WHERE index_name = 'GPRC' "
                    "AND country IS NOT NULL")


def monthly_prices(store: Store, series: Sequence[str]) -> pd.DataFrame:
    """Monthly prices of ``series``: series, period, value."""
    return store.df("SELECT series, period, value FROM prices WHERE freq = 'M' "
                    "AND series IN (SELECT unnest(?))", [list(series)])


def event_inputs(store: Store) -> pd.DataFrame:
    """Policy events as the ``policy_event`` signal reads them."""
    return store.df('SELECT importer, partner, classification, product, start, "end", severity '
                    "FROM ews_events")


# -- watchlist ---------------------------------------------------------------------------------
def watchlist(store: Store, importer: str | None = None) -> pd.DataFrame:
    """Every watched item (optionally of one importer), by importer, grade, product."""
    return store.df("SELECT * FROM ews_watchlist WHERE (? IS NULL OR importer = ?) "
                    "ORDER BY importer, grade, product", [importer, importer])


def is_watched(store: Store, importer: str, classification: str, product: str) -> bool:
    """Whether ``importer`` watches the item."""
    n = store.df("SELECT count(*) AS n FROM ews_watchlist WHERE importer = ? AND classification = ? "
                 "AND product = ?", [importer, classification, product])["n"].iloc[0]
    return bool(n)


def add_generated_watches(con: duckdb.DuckDBPyConnection, items: pd.DataFrame) -> None:
    """Insert generated entries (importer, classification, product, grade, frequency,
    top_supplier, top_share, [note], added_at); items already watched are kept as they are."""
    g = items if "note" in items else items.assign(note=None)
    con.register("_g", g)
    try:
        con.execute("""INSERT INTO ews_watchlist SELECT importer, classification, product, grade,
                       frequency, 'generated', top_supplier, top_share, note, added_at FROM _g
                       ON CONFLICT DO NOTHING""")
    finally:
        con.unregister("_g")


def delete_generated_watches(con: duckdb.DuckDBPyConnection, importer: str,
                             classification: str) -> None:
    """Remove ``importer``'s generated entries of ``classification`` (manual ones stay)."""
    con.execute("DELETE FROM ews_watchlist WHERE importer = ? AND classification = ? "
                "AND origin = 'generated'", [importer, classification])


def put_manual_watch(con: duckdb.DuckDBPyConnection, importer: str, classification: str,
                     product: str, *, grade: str, frequency: str, note: str | None,
                     added_at: datetime) -> None:
    """Add or replace the manual entry of an item."""
    con.execute("DELETE FROM ews_watchlist WHERE importer = ? AND classification = ? AND product = ?",
                [importer, classification, product])
    con.execute("INSERT INTO ews_watchlist VALUES (?, ?, ?, ?, ?, 'manual', NULL, NULL, ?, ?)",
                [importer, classification, product, grade, frequency, note, added_at])


# -- checks ------------------------------------------------------------------------------------
def last_checks(store: Store, source: str) -> pd.DataFrame:
    """The last data month each item was checked in ``source``: importer, classification,
    product, last_checked."""
    return store.df("SELECT importer, classification, product, last_checked FROM ews_checks "
                    "WHERE source = ?", [source])


def record_checks(con: duckdb.DuckDBPyConnection, checked: pd.DataFrame) -> None:
    """Upsert checks (importer, classification, product, source, last_checked, checked_at);
    an item's last-checked month never moves backwards."""
    con.register("_chk", checked)
    try:
        con.execute("""CREATE TEMP TABLE _new_checks AS
                       SELECT k.importer, k.classification, k.product, k.source,
                              greatest(k.last_checked, coalesce(c.last_checked, k.last_checked)) AS last_checked,
                              k.checked_at
                       FROM _chk k LEFT JOIN ews_checks c USING (importer, classification, product, source)""")
        con.execute("""DELETE FROM ews_checks USING _chk k WHERE ews_checks.importer = k.importer
                       AND ews_checks.classification = k.classification
                       AND ews_checks.product = k.product AND ews_checks.source = k.source""")
        con.execute("INSERT INTO ews_checks SELECT * FROM _new_checks")
        con.execute("DROP TABLE _new_checks")
    finally:
        con.unregister("_chk")


# -- alerts ------------------------------------------------------------------------------------
def alerts(store: Store, status: str | None = None) -> pd.DataFrame:
    """Alerts (optionally with one status) by id, score rounded to 0.1."""
    return store.df("SELECT alert_id, importer, classification, product, level, "
                    "round(score, 1) AS score, status, as_of, signals, dedup_key FROM ews_alerts "
                    "WHERE (? IS NULL OR status = ?) ORDER BY alert_id", [status, status])


def alert(store: Store, alert_id: int) -> pd.DataFrame:
    """Every column of one alert (no row when there is no such alert)."""
    return store.df("SELECT * FROM ews_alerts WHERE alert_id = ?", [alert_id])


def alerts_with_units(store: Store) -> pd.DataFrame:
    """Alerts with their signals, cover and the currency units of their source, strongest first."""
    return store.df("""SELECT a.alert_id, a.importer, a.classification, a.product, a.as_of, a.score,
                              a.level, a.status, a.signals, a.cover, u.units
                       FROM ews_alerts a LEFT JOIN (
                           SELECT source, string_agg(DISTINCT currency, '/') AS units FROM trade_flows
                           WHERE month IS NOT NULL GROUP BY source) u USING (source)
                       ORDER BY a.score DESC, a.alert_id""")


def alerts_by_source(store: Store) -> pd.DataFrame:
    """Per source and vintage: the latest data month of its alerts and how many there are."""
    return store.df("SELECT source, vintage, max(as_of) AS latest_month, count(*) AS alerts "
                    "FROM ews_alerts GROUP BY ALL ORDER BY source")


def open_alerts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Alerts not resolved: alert_id, importer, classification, product, dedup_key, as_of,
    level, status (read inside the scan's transaction)."""
    return con.execute("SELECT alert_id, importer, classification, product, dedup_key, as_of, "
                       "level, status FROM ews_alerts WHERE status <> 'resolved'").df()


def next_alert_id(con: duckdb.DuckDBPyConnection) -> int:
    return _scalar(con, "SELECT coalesce(max(alert_id), 0) FROM ews_alerts") + 1


def insert_alert(con: duckdb.DuckDBPyConnection, alert_id: int, *, dedup_key: str, importer: str,
                 classification: str, product: str, level: str, score: float, signals: str,
                 cover: str | None, source: str, vintage: str, as_of: date, seen: datetime) -> None:
    """A new alert (status ``new``, first and last seen at ``seen``)."""
    con.execute("INSERT INTO ews_alerts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'new')",
                [alert_id, dedup_key, importer, classification, product, level, score, signals,
                 cover, source, vintage, as_of, seen, seen])


def update_alert(con: duckdb.DuckDBPyConnection, alert_id: int, *, level: str, score: float,
                 signals: str, cover: str | None, as_of: date, seen: datetime) -> None:
    """Carry an alert to month ``as_of`` (``cover`` None keeps the stored cover)."""
    con.execute("""UPDATE ews_alerts SET level = ?, score = ?, signals = ?, cover = coalesce(?, cover),
                   as_of = ?, last_seen = ? WHERE alert_id = ?""",
                [level, score, signals, cover, as_of, seen, alert_id])


def alert_status(con: duckdb.DuckDBPyConnection, alert_id: int) -> str | None:
    """The status of an alert, None when there is no such alert."""
    row = con.execute("SELECT status FROM ews_alerts WHERE alert_id = ?", [alert_id]).fetchone()
    return None if row is None else str(row[0])


def set_alert_status(con: duckdb.DuckDBPyConnection, alert_id: int, status: str) -> None:
    con.execute("UPDATE ews_alerts SET status = ? WHERE alert_id = ?", [status, alert_id])


def add_history(con: duckdb.DuckDBPyConnection, alert_id: int, *, at: datetime,
                from_status: str | None, to_status: str, note: str | None) -> None:
    """One line of an alert's history."""
    con.execute("INSERT INTO ews_alert_history VALUES (?, ?, ?, ?, ?)",
                [alert_id, at, from_status, to_status, note])


def history(store: Store, alert_id: int) -> pd.DataFrame:
    return store.df("SELECT * FROM ews_alert_history WHERE alert_id = ? ORDER BY changed_at",
                    [alert_id])


# -- notifications -----------------------------------------------------------------------------
def undelivered(store: Store, channel: str, target: str | None = None) -> pd.DataFrame:
    """Every column of the alerts without a successful delivery on ``channel`` (to ``target``;
    None = to any target), by id."""
    return store.df("""SELECT a.* FROM ews_alerts a WHERE NOT EXISTS (SELECT 1 FROM ews_notifications n
                       WHERE n.alert_id = a.alert_id AND n.channel = ? AND (? IS NULL OR n.target = ?)
                       AND n.ok) ORDER BY alert_id""", [channel, target, target])


def record_delivery(con: duckdb.DuckDBPyConnection, alert_id: int, *, channel: str, target: str,
                    at: datetime, attempts: int, ok: bool, detail: str | None) -> None:
    con.execute("INSERT INTO ews_notifications VALUES (?, ?, ?, ?, ?, ?, ?)",
                [alert_id, channel, target, at, attempts, ok, detail])


# -- policy events -----------------------------------------------------------------------------
def events(store: Store, importer: str | None = None) -> pd.DataFrame:
    """Stored policy events (optionally of one importer), by id."""
    return store.df('SELECT event_id, importer, partner, classification, product, start, "end", '
                    "severity, description, reference FROM ews_events "
                    "WHERE (? IS NULL OR importer = ?) ORDER BY event_id", [importer, importer])


def last_event_id(con: duckdb.DuckDBPyConnection) -> int:
    return _scalar(con, "SELECT coalesce(max(event_id), 0) FROM ews_events")


def insert_event(con: duckdb.DuckDBPyConnection, event_id: int, *, importer: str, start: date,
                 severity: float, description: str, end: date | None = None,
                 classification: str | None = None, product: str | None = None,
                 reference: str | None = None, partner: str | None = None) -> None:
    con.execute("""INSERT INTO ews_events (event_id, importer, classification, product, start, "end",
                   severity, description, reference, partner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [event_id, importer, classification, product, start, end, severity, description,
                 reference, partner])


def delete_events_by_reference(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    """Remove the events whose reference starts with ``prefix`` (e.g. a preset's events)."""
    con.execute("DELETE FROM ews_events WHERE starts_with(reference, ?)", [prefix])
