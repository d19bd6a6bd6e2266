"""Reading trade panels from the store for the indicator kernels.

:func:`load_panel` turns one source's ``trade_flows`` for one year into a :class:`TradePanel`:

* product codes are cut to ``level`` digits (HS chapters at 2, headings at 4, subheadings at 6)
  and summed; all-goods rows (classification ``TOTAL``) and monthly rows are left out;
* aggregates (World, EU, areas n.e.s.) are neither suppliers nor importers;
* **imports** are the importer's own reports where the source has them, else *mirror* data: the
  partners' reported exports (the Comtrade and IMF files here hold exports only); BACI's
  reconciled flows are used as they are;
* **world exports** x_sp are the exporter's reported World row where it has one, else the sum of
  its reported bilateral exports, else (an exporter that reports nothing) the partners' reported
  imports from it.

All set work (filtering, cutting codes, choosing report or mirror, summing, integer coding and
sorting suppliers by size) runs in DuckDB on temporary tables, so a BACI-sized year (~11 M rows)
loads in a few seconds.

A multi-regional input–output table in the store (``io_flows``; WIOD 2013, 1995–2011) is a
source too (:func:`io_panel`): bilateral goods trade by *sector* is the sum over the importer's
using industries and final demand of the exporter's sales of that sector's output, for the
goods sectors ``IO_GOODS`` (WIOD c1–c16). That gives the indicators a long, consistent series
at 16-sector resolution (the rest of the world is one economy, ``ROW``).

:func:`exposure_flows` and :func:`aggregate_codes` read what
:func:`~econsec.analytics.indicators.exposure.exposure` needs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from econsec.analytics.indicators.coverage import BENCHMARKS
from econsec.analytics.indicators.panel import TradePanel, panel_from_frame
from econsec.errors import NotFoundError, StoreError
from econsec.store import Store

# {value} is value_usd, or value for a source that gives no USD values (``load_panel``).
_FLOWS = """
CREATE OR REPLACE TEMP TABLE _panel_f AS
SELECT t.exporter, t.importer, t.flow, left(t.product, $level) AS product, sum(t.{value}) AS value
FROM trade_flows t
JOIN countries ce ON ce.iso3 = t.exporter
JOIN countries ci ON ci.iso3 = t.importer
WHERE t.source = $source AND t.year = $year AND t.month IS NULL
  AND t.classification <> 'TOTAL' AND t.{value} > 0 AND t.exporter <> t.importer
  AND ce.kind <> 'aggregate' AND (ci.kind <> 'aggregate' OR t.importer = 'WLD')
GROUP BY ALL
"""

_DIMS = """
CREATE OR REPLACE TEMP TABLE _panel_c AS
SELECT c, (row_number() OVER (ORDER BY c) - 1)::INTEGER AS i
FROM (SELECT exporter AS c FROM _panel_f UNION SELECT importer FROM _panel_f WHERE importer <> 'WLD');
CREATE OR REPLACE TEMP TABLE _panel_p AS
SELECT p, (row_number() OVER (ORDER BY p) - 1)::INTEGER AS i FROM (SELECT DISTINCT product AS p FROM _panel_f);
CREATE OR REPLACE TEMP TABLE _panel_ir AS SELECT DISTINCT importer FROM _panel_f WHERE flow = 'import';
CREATE OR REPLACE TEMP TABLE _panel_er AS SELECT DISTINCT exporter FROM _panel_f WHERE flow IN ('export', 'reconciled');
"""

_META = """
SELECT (SELECT count(*) FROM _panel_ir), (SELECT count(*) FROM _panel_er),
       (SELECT count(*) FROM _panel_f WHERE flow = 'export') > 0,
       (SELECT count(DISTINCT flow) FROM _panel_f WHERE importer <> 'WLD')
"""

# Imports: importer-reported, reconciled, or (for importers that report nothing) mirror exports.
# Rows come sorted by importer, product and value (largest supplier first) for the kernels.
_BILATERAL = """
SELECT ce.i AS e, ci.i AS m, pp.i AS k, {value} AS value
FROM _panel_f f
JOIN _panel_c ce ON ce.c = f.exporter
JOIN _panel_c ci ON ci.c = f.importer
JOIN _panel_p pp ON pp.p = f.product
WHERE f.importer <> 'WLD' AND (
      f.flow IN ('import', 'reconciled')
   OR (f.flow = 'export' AND f.importer NOT IN (SELECT importer FROM _panel_ir)))
{group}
ORDER BY m, k, value DESC
"""

_WORLD = """
WITH reported AS (SELECT exporter, product, sum(value) AS value FROM _panel_f
                  WHERE importer = 'WLD' AND flow = 'export' GROUP BY ALL),
summed AS (SELECT exporter, product, sum(value) AS value FROM _panel_f
           WHERE importer <> 'WLD' AND flow IN ('export', 'reconciled')
             AND exporter NOT IN (SELECT exporter FROM reported) GROUP BY ALL),
mirrored AS (SELECT exporter, product, sum(value) AS value FROM _panel_f
             WHERE flow = 'import' AND exporter NOT IN (SELECT exporter FROM _panel_er) GROUP BY ALL),
w AS (SELECT *, 'reported' AS how FROM reported UNION ALL SELECT *, 'summed' FROM summed
      UNION ALL SELECT *, 'mirrored' FROM mirrored)
SELECT ce.i AS e, pp.i AS k, w.value, w.how
FROM w JOIN _panel_c ce ON ce.c = w.exporter JOIN _panel_p pp ON pp.p = w.product
"""

_CLEANUP = "DROP TABLE IF EXISTS _panel_f; DROP TABLE IF EXISTS _panel_c; DROP TABLE IF EXISTS _panel_p; " \
           "DROP TABLE IF EXISTS _panel_ir; DROP TABLE IF EXISTS _panel_er;"


#: Goods sectors of WIOD 2013: agriculture, mining and manufacturing (c1–c16).
IO_GOODS: tuple[str, ...] = tuple(f"c{i}" for i in range(1, 17))
#: The MRIO's rest-of-the-world region.
IO_REST = "ROW"


def io_table_of(store: Store, source: str) -> str | None:
    """The MRIO table name (``io_table``) of ``source`` if it is an input–output source."""
    df = store.df("SELECT DISTINCT io_table FROM io_sectors WHERE source = ? LIMIT 1", [source])
    return str(df.iloc[0, 0]) if len(df) else None


def source_years(store: Store, source: str) -> list[int]:
    """Years with annual product-level flows in ``source`` (for an MRIO source: its tables)."""
    df = store.df("SELECT DISTINCT year FROM trade_flows WHERE source = ? AND month IS NULL "
                  "AND classification <> 'TOTAL' ORDER BY year", [source])
    if df.empty and (table := io_table_of(store, source)) is not None:
        df = store.df("SELECT DISTINCT year FROM io_sectors WHERE io_table = ? AND kind = 'industry' "
                      "AND year IS NOT NULL ORDER BY year", [table])
    return [int(y) for y in df["year"]]


def io_panel(store: Store, source: str, year: int) -> TradePanel:
    """Bilateral goods trade by sector from an MRIO year (module docstring), in USD."""
    table = io_table_of(store, source)
    if table is None:
        raise NotFoundError(f"source {source!r} is not an input–output table in the store")
    units = store.df("SELECT DISTINCT unit FROM io_flows WHERE io_table = ? AND year = ?",
                     [table, year])["unit"].tolist()
    if units != ["million USD"]:
        msg = (f"{table} {year}: expected flows in million USD, found {units or 'no rows'}; "
               f"years: {source_years(store, source)}")
        raise NotFoundError(msg) if not units else StoreError(msg)
    flows = store.df("""SELECT row_country AS exporter, col_country AS importer, row_sector AS product,
                               sum(value) * 1e6 AS value
                        FROM io_flows WHERE io_table = ? AND year = ? AND row_country <> col_country
                          AND list_contains(?, row_sector)
                        GROUP BY ALL""", [table, year, list(IO_GOODS)])
    # The rest of the world supplies (its exports count in world market shares) but is not an
    # economy to rank as an importer; world exports include sales to it.
    world = flows.groupby(["exporter", "product"], as_index=False)["value"].sum()
    return panel_from_frame(
        flows[flows["importer"] != IO_REST], year=year, world=world, source=source,
        classification=f"{table} goods sectors c1–c16", vintage=vintage(store, source),
        notes=(f"{table} {year}: bilateral goods trade by sector = sales to the importer's "
               f"industries and final demand; the rest of the world ({IO_REST}) is a supplier, not "
               "an importer; 16 sectors, not products: levels are not comparable with HS-based "
               "panels",),
        world_note="world exports = each economy's sales of the sector to all other economies, "
                   f"{IO_REST} included", complete=True)


def partial_years(store: Store, source: str) -> dict[int, str]:
    """Years ``source`` publishes only in part (``partial_periods``, written by its adapter),
    with the adapter's note."""
    df = store.df("SELECT year, string_agg(note, '; ') AS note FROM partial_periods "
                  "WHERE source = ? GROUP BY year", [source])
    return {int(y): str(n) for y, n in zip(df["year"], df["note"], strict=True)}


def vintage(store: Store, source: str) -> str:
    df = store.df("SELECT DISTINCT vintage FROM ingest_log WHERE source = ? AND superseded_by IS NULL",
                  [source])
    return "; ".join(df["vintage"]) if len(df) else "not ingested"


# Independent totals for coverage (econsec.analytics.indicators.coverage), all-goods rows only.
# "reported": the economy's own World row; "mirror": every non-aggregate reporter's exports to it.
_BENCH_REPORTED = {
    "exports": """SELECT year, exporter AS country, sum(value_usd) AS benchmark_usd FROM trade_flows
                  WHERE source = $source AND list_contains($years, year) AND month IS NULL
                    AND classification = 'TOTAL' AND flow = 'export' AND importer = 'WLD'
                    AND value_usd IS NOT NULL GROUP BY ALL""",
    "imports": """SELECT year, importer AS country, sum(value_usd) AS benchmark_usd FROM trade_flows
                  WHERE source = $source AND list_contains($years, year) AND month IS NULL
                    AND classification = 'TOTAL' AND flow = 'import' AND exporter = 'WLD'
                    AND value_usd IS NOT NULL GROUP BY ALL""",
}
_BENCH_MIRROR = """
SELECT t.year, t.importer AS country, sum(t.value_usd) AS benchmark_usd
FROM trade_flows t JOIN countries ce ON ce.iso3 = t.exporter
WHERE t.source = $source AND list_contains($years, t.year) AND t.month IS NULL
  AND t.classification = 'TOTAL' AND t.flow = 'export' AND ce.kind <> 'aggregate'
  AND t.exporter <> t.importer AND t.value_usd IS NOT NULL
GROUP BY ALL
"""


def benchmark_totals(store: Store, years: Sequence[int], *, exclude: str | None = None) -> pd.DataFrame:
    """Independent totals per economy, year and side from the benchmark sources in the store
    (:data:`~econsec.analytics.indicators.coverage.BENCHMARKS`; ``exclude``: the panel's own
    source, never its own benchmark). Columns ``year``, ``country``, ``side``, ``source``,
    ``benchmark_usd``; the economy ``WLD`` is the world total where a benchmark has one."""
    frames = []
    yrs = [int(y) for y in years]
    for side, benches in BENCHMARKS.items():
        for b in benches:
            if b.source == exclude:
                continue
            sql = _BENCH_MIRROR if b.kind == "mirror" else _BENCH_REPORTED[side]
            df = store.con.execute(sql, {"source": b.source, "years": yrs}).df()
            frames.append(df.assign(side=side, source=b.source))
    cols = ["year", "country", "side", "source", "benchmark_usd"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    return out[cols].astype({"year": "int64", "benchmark_usd": "float64"})


def benchmark_vintage(store: Store, exclude: str | None = None) -> str:
    """The benchmark sources in the store with their vintages (for provenance notes)."""
    names = dict.fromkeys(b.source for bs in BENCHMARKS.values() for b in bs if b.source != exclude)
    found = [f"{n} ({v})" for n in names if (v := vintage(store, n)) != "not ingested"]
    return "; ".join(found) if found else "none in the store"


def load_panel(store: Store, source: str, year: int, *, level: int | None = None,
               bilateral: bool = True) -> TradePanel:
    """One year of ``source`` as a panel at ``level`` product digits (default: the source's own);
    an input–output source gives its goods sectors (:func:`io_panel`; ``level`` is ignored).

    ``bilateral=False`` also accepts a source with exports to the World only (no bilateral rows,
    e.g. ``sitc2_toy``): the panel then has world exports and no imports, enough for RCA and ECI.
    A source that gives no USD values (``value_usd`` NULL for the whole year, one currency) is
    read in its own unit (``TradePanel.unit``); its World rows are then not taken as complete
    national totals (no independent total can check them), so its coverage is unknown.
    """
    if io_table_of(store, source) is not None:
        return io_panel(store, source, year)
    info = store.df("""SELECT max(length(product)) AS n, string_agg(DISTINCT classification, '/'
                           ORDER BY classification) AS cls, count(value_usd) AS n_usd,
                           count(value) AS n_value, list(DISTINCT currency) AS currencies
                       FROM trade_flows WHERE source = ? AND year = ? AND month IS NULL
                         AND classification <> 'TOTAL'""", [source, year]).iloc[0]
    if pd.isna(info["n"]):
        raise NotFoundError(f"source {source!r} has no product-level flows in {year}; "
                            f"years: {source_years(store, source)}")
    level = int(info["n"]) if level is None else level
    unit = "USD"
    if int(info["n_usd"]) == 0:
        currencies = [str(c) for c in info["currencies"] if c is not None]
        if int(info["n_value"]) == 0 or len(currencies) != 1:
            raise NotFoundError(f"source {source!r} has no USD values in {year} and no single "
                                f"currency to read instead (currencies: {currencies or 'none'})")
        unit = currencies[0]
    con = store.con
    try:
        con.execute(_FLOWS.format(value="value_usd" if unit == "USD" else "value"),
                    {"level": level, "source": source, "year": year})
        con.execute(_DIMS)
        n_imp, n_exp, has_exports, n_flows = con.execute(_META).fetchall()[0]
        # One flow kind per (exporter, importer, product) key needs no second aggregation.
        sql = _BILATERAL.format(value="sum(f.value)" if n_flows > 1 else "f.value",
                                group="GROUP BY ALL" if n_flows > 1 else "")
        bil = con.execute(sql).fetchnumpy()
        world = con.execute(_WORLD).fetchnumpy()
        countries = np.asarray(con.execute("SELECT c FROM _panel_c ORDER BY i").fetchnumpy()["c"], dtype=object)
        products = np.asarray(con.execute("SELECT p FROM _panel_p ORDER BY i").fetchnumpy()["p"], dtype=object)
    finally:
        con.execute(_CLEANUP)
    if len(bil["value"]) == 0 and bilateral:
        raise NotFoundError(f"source {source!r} has no bilateral product-level flows in {year}"
                            + ("; it has exports to the World only (enough for competitiveness "
                               "and complexity)" if len(world["value"]) else ""))
    we, wk = world["e"].astype(np.int64), world["k"].astype(np.int64)
    xw = np.bincount(we * len(products) + wk, np.asarray(world["value"], dtype=np.float64),
                     minlength=len(countries) * len(products)).reshape(len(countries), len(products))
    how = np.asarray(world["how"], dtype=object)
    reported = np.zeros(len(countries), dtype=bool)
    reported[we[how == "reported"]] = True
    notes = []
    mirror = bool(has_exports) and n_imp < len(countries) and len(bil["value"]) > 0
    if n_imp == 0 and mirror:
        notes.append(f"imports are mirror data: exports reported by {n_exp} economies to their partners")
    elif n_imp:
        notes.append(f"imports reported by {n_imp} economies; mirror data for the others")
    if (how == "reported").any():
        n_rep = len(np.unique(we[how == "reported"]))
        notes.append(f"world exports reported by {n_rep} of {len(countries)} economies; "
                     "the others' are the sum of their bilateral exports in the source")
    if (how == "mirrored").any():
        notes.append(f"world exports of {len(np.unique(we[how == 'mirrored']))} economies that "
                     "report nothing are their partners' reported imports from them")
    if len(bil["value"]) == 0:
        notes.append("no bilateral flows: the source gives exports to the World only, so the panel "
                     "has no imports")
    if unit != "USD":  # World rows in an unchecked unit are not taken as complete totals
        reported[:] = False
    return TradePanel(year=year, countries=countries, products=products,
                      exporter=np.asarray(bil["e"], dtype=np.int32),
                      importer=np.asarray(bil["m"], dtype=np.int32),
                      product=np.asarray(bil["k"], dtype=np.int32),
                      value=np.asarray(bil["value"], dtype=np.float64), world_exports=xw,
                      source=source, classification=f"{info['cls']} at {level} digits",
                      vintage=vintage(store, source), mirror=mirror, notes=tuple(notes),
                      sorted_by_importer=True, world_reported=reported, unit=unit)


# Exposure (``exposure.exposure``): one source's annual flows with both partners identified,
# all-goods rows where the source has them for the year, else product rows.
_EXPOSURE_FLOWS = """
WITH f AS (
    SELECT year, flow, exporter, importer, classification = 'TOTAL' AS is_total, value_usd, value
    FROM trade_flows
    WHERE source = ? AND month IS NULL AND value IS NOT NULL
      AND exporter IS NOT NULL AND importer IS NOT NULL AND exporter <> importer
),
pick AS (  -- per year: TOTAL rows if the source has them, else product rows
    SELECT year, bool_or(is_total) AS has_total FROM f GROUP BY year
)
SELECT f.year, f.flow, f.exporter, f.importer, sum(f.value) AS value, sum(f.value_usd) AS value_usd
FROM f JOIN pick USING (year)
WHERE f.is_total = pick.has_total
GROUP BY ALL
"""


def exposure_flows(store: Store, source: str) -> pd.DataFrame:
    """Annual flows of ``source`` summed per (year, flow, exporter, importer): ``value`` in the
    source's currency and ``value_usd``; a year's ``TOTAL`` rows if it has any, else its product
    rows. Monthly rows, rows without a value or a partner, and flows to oneself are left out."""
    return store.df(_EXPOSURE_FLOWS, [source])


def aggregate_codes(store: Store) -> tuple[str, ...]:
    """ISO3 codes of the aggregates in ``countries`` (World, EU, areas n.e.s., …)."""
    return tuple(store.df("SELECT iso3 FROM countries WHERE kind = 'aggregate'")["iso3"])
