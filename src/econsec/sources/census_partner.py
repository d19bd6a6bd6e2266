"""U.S. goods trade by partner country, monthly and annual, 1985–2026 (U.S. Census Bureau).

Three files, all on the Census basis (exports FAS, general imports at customs value, not
seasonally adjusted), each read as published:

``census_country_goods_1985_2023-01.xlsx``
    The Census FTD workbook ``country.xlsx`` (sheet ``country``: ``year, CTY_CODE, CTYNAME,
    IJAN…IDEC, IYR, EJAN…EDEC, EYR``), **million USD**, downloaded about 2023-03 (GitHub
    ``JJamesRoy/ECN3950`` @ ``cce8d5f``). 1985–2022 are complete; 2023 has January only. A year
    whose later months are zero in every row is partial: its unpublished months and its annual
    columns (which then equal the months to date) are **not stored**, and this is reported.
``tariff_map_US_2024_Import_Data.csv``
    2024 imports and exports by partner in **billion USD** (Census 2024, compiled in
    ``pyoungmoney/Tariff_Map`` @ ``43d154a``). Its user-compiled ``Tariff Rate`` and author-judged
    ``Geopolitical_swing_state`` columns are secondary and **not stored**.
``census_monthly_5partners_2024_2026.tidy.csv``
    Monthly exports and imports (**million USD**) for Germany, China, Korea, Taiwan and Japan,
    2024-01 → 2026-04, scraped from the census.gov ``cNNNN`` pages (derived file; the pages are
    the original and are not kept). The stray ``2023 September`` row per partner is skipped and
    reported.

Partners: ``CTY_CODE`` → ISO3 through ``CensusCountryMapping_FRBAtl_short.csv`` (beside the HS10
files, see :mod:`.census_hs10`) plus :data:`OVERRIDES` for retired and missing codes (USSR → SUN,
Czechoslovakia → CSK, Netherlands Antilles → ANT, Gaza Strip and West Bank → PSE, Unidentified
countries → XNS, International organizations → XSC, …). Retired codes can share an ISO3 with
their successor in a changeover year (Israel 5080/5081, Ethiopia 7740/7749, Sudan 7320/7321):
both rows are kept, sum by partner. Aggregates: ``0003`` European Union → EUN and ``0015`` World
(not seasonally adjusted) → WLD are kept; every other Census aggregate code (``0001``–``0999``:
world seasonally adjusted, regions, NAFTA/USMCA, CAFTA-DR, advanced-technology products …) is
skipped and reported with its row count. An unknown country code is an error.

``trade_flows``: reporter USA, flow export (USA → partner) or import (partner → USA),
classification/product ``TOTAL``, ``value`` in the source's scale, ``value_usd`` in USD, monthly
rows with ``month`` set and annual rows with ``month`` NULL. No (year, month, partner code, flow)
is taken from two files: where files overlap, the workbook wins over the monthly pages, which win
over Tariff_Map (they do not overlap in this vintage). ``country_codes`` is written by
:mod:`.census_hs10`, not here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError, SourceNotFoundError
from econsec.sources._read import Kind, coerce, map_codes, read_csv, sheet_rows
from econsec.sources.base import CodeMapping, Parsed, Source
from econsec.sources.census_hs10 import MAPPING_FILE, TRACKER, find_mapping, read_mapping

DIR = "us_trade/census_goods_by_partner_1985_2026"
SHEET = "country"
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
XLSX_SCHEMA: dict[str, Kind] = {"year": "int", "CTY_CODE": "str", "CTYNAME": "str",
               **{f"{f}{m}": "float" for f in "IE" for m in (*MONTHS, "YR")}}
TARIFF_MAP = "tariff_map_US_2024_Import_Data.csv"
MONTHLY_PREFIX = "census_monthly_5partners"
#: Census codes absent from the FRB Atlanta table: retired, small or special areas.
OVERRIDES = {
    "1610": "SPM", "2390": "CUB", "2771": "ANT", "4350": "CSK", "4610": "SUN", "4790": "YUG",
    "4799": "SCG", "4802": "SRB", "4803": "XKX", "5080": "ISR", "5082": "PSE", "5083": "PSE",
    "5160": "XNS", "5790": "PRK", "6029": "HMD", "6413": "WLF", "7320": "SDN", "7370": "ESH",
    "7740": "ETH", "7810": "IOT", "7905": "ATF", "8220": "XNS", "8500": "XSC",
}
#: Census aggregates kept, as econsec aggregate codes.
AGGREGATES = {"0003": "EUN", "0015": "WLD"}
#: (year, month) rows of the monthly pages that are strays outside the file's series.
STRAY = {(2023, 9)}
BASIS = {"export": "Census basis, exports FAS", "import": "Census basis, general imports customs value"}
PRIORITY = ("workbook", "monthly pages", "Tariff_Map")


def _lookup(mapping: pd.DataFrame, codes: pd.Series) -> dict[str, str | None]:
    """Code → ISO3 for the codes of one file; other Census aggregate codes → None (skipped)."""
    table: dict[str, str | None] = dict(zip(mapping["code"], mapping["iso3"], strict=True))
    table |= OVERRIDES | AGGREGATES
    agg = codes[codes.str.fullmatch(r"0\d{3}") & ~codes.isin(list(AGGREGATES))].unique()
    return table | dict.fromkeys(agg.tolist(), None)


def _long(frame: pd.DataFrame, value_cols: Mapping[str, tuple[str, int | None]], scale: str, factor: float,
          origin: str) -> pd.DataFrame:
    """(year, code, columns) → long rows: value_cols maps column → (flow, month or None)."""
    long = frame.melt(id_vars=["year", "code", "iso3"], value_vars=list(value_cols), var_name="col",
                      value_name="value")
    spec = pd.DataFrame([(c, f, m) for c, (f, m) in value_cols.items()], columns=["col", "flow", "month"])
    long = long.merge(spec.astype({"month": "Int32"}), on="col").drop(columns="col")
    return long.assign(currency=scale, value_usd=long["value"].astype("float64") * factor, origin=origin)


def read_workbook(path: Path, table: pd.DataFrame) -> tuple[pd.DataFrame, list[CodeMapping], int, str]:
    """The Census country workbook → long rows, notes, records read and a coverage string."""
    rows = sheet_rows(path, SHEET)
    if not rows:
        raise InputError(path, f"a header row with columns {list(XLSX_SCHEMA)}", sheet=SHEET, row=1, got="empty sheet")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    body = [r for r in rows[1:] if any(v is not None for v in r)]
    df = pd.DataFrame(body, columns=header, dtype=object)
    try:
        df = coerce(df, XLSX_SCHEMA, path)
    except InputError as e:
        raise InputError(path, e.expected, sheet=SHEET, row=e.row, field=e.field, got=e.got) from e
    code = df["CTY_CODE"].astype("string").str.strip().str.replace(r"\.0$", "", regex=True).str.zfill(4)
    mapping = _lookup(table, code)
    try:
        iso3 = map_codes(code, mapping, path, "CTY_CODE", f"a Census country code in {MAPPING_FILE}, "
                         "econsec's overrides or a Census aggregate code 0001-0999")
    except InputError as e:
        raise type(e)(path, e.expected, sheet=SHEET, row=e.row, field=e.field, got=e.got) from e
    notes = _code_notes(code, df["CTYNAME"], path.name)
    df = df.assign(code=code, iso3=iso3)[iso3.notna().to_numpy()]
    # a partial year: months after the last month with any non-zero value in the year are unpublished
    cells = pd.DataFrame({m: (df[f"I{m}"].fillna(0) != 0) | (df[f"E{m}"].fillna(0) != 0) for m in MONTHS})
    last = (cells.groupby(df["year"]).any().to_numpy() * np.arange(1, 13)).max(axis=1)
    last = pd.Series(last, index=np.sort(df["year"].unique()))
    cols: dict[str, tuple[str, int | None]] = {
        f"{f}{m}": ("import" if f == "I" else "export", i + 1) for f in "IE" for i, m in enumerate(MONTHS)}
    cols |= {"IYR": ("import", None), "EYR": ("export", None)}
    out = _long(df, cols, "million USD", 1e6, PRIORITY[0])
    cut = out["year"].map(last)
    partial = cut < 12
    drop = partial & (out["month"].isna() | (out["month"] > cut)).fillna(True)
    for year, n in drop.groupby(out["year"]).sum().loc[lambda s: s > 0].items():
        notes.append(CodeMapping("year", str(year), None, int(n),
                                 f"{path.name}: {year} is partial (months 1–{last[year]} published); "
                                 "later months and the annual IYR/EYR not stored"))
    years = df["year"]
    span = (f"{years.min()}–{years.max()}"
            + "".join(f" ({y}: {'January' if m == 1 else f'months 1–{m}'} only)"
                      for y, m in last[last < 12].items()))
    return out[~drop.to_numpy()], notes, len(body), span


def _code_notes(code: pd.Series, name: pd.Series, file: str) -> list[CodeMapping]:
    """Mapping notes for aggregates, skipped aggregates and overrides, with row counts."""
    firsts = pd.DataFrame({"code": code, "name": name}).drop_duplicates("code").set_index("code")["name"]
    counts = code.value_counts()
    special = counts.index[counts.index.isin([*AGGREGATES, *OVERRIDES]) | counts.index.str.fullmatch(r"0\d{3}")]
    notes = []
    for c in sorted(special):  # a few dozen codes at most
        to = AGGREGATES.get(c, OVERRIDES.get(c))
        why = ("Census aggregate kept as econsec aggregate" if c in AGGREGATES else
               f"code absent from {MAPPING_FILE}, mapped on purpose" if c in OVERRIDES else
               "Census aggregate (region or group) skipped: not a partner")
        notes.append(CodeMapping("CTY_CODE", c, to, int(counts[c]), f"{file}: {firsts[c]}: {why}"))
    return notes


def read_tariff_map(path: Path, table: pd.DataFrame) -> tuple[pd.DataFrame, list[CodeMapping], int]:
    """Tariff_Map 2024 partner totals (billion USD) → long annual rows; rate columns ignored."""
    df = read_csv(path, {"year": "int", "CTY_CODE": "str", "CTYNAME": "str", "Imports ($B)": "float",
                         "Exports ($B)": "float"}, encoding="utf-8-sig")
    code = df["CTY_CODE"].str.strip().str.zfill(4)
    mapping = _lookup(table, code)
    iso3 = map_codes(code, mapping, path, "CTY_CODE", f"a Census country code in {MAPPING_FILE} or "
                     "econsec's overrides")
    notes = _code_notes(code, df["CTYNAME"], path.name)
    df = df.assign(code=code, iso3=iso3)[iso3.notna().to_numpy()]
    out = _long(df, {"Imports ($B)": ("import", None), "Exports ($B)": ("export", None)},
                "billion USD", 1e9, PRIORITY[2])
    return out, notes, len(code)


def read_monthly_pages(path: Path, table: pd.DataFrame) -> tuple[pd.DataFrame, list[CodeMapping], int, str]:
    """Monthly census.gov page values (million USD) → long monthly rows; strays skipped."""
    df = read_csv(path, {"cty_code": "str", "partner": "str", "year": "int", "month": "str", "month_num": "int",
                         "exports_musd": "float", "imports_musd": "float", "fetched": "str"})
    named = pd.to_datetime(df["month"].str.strip(), format="%B", errors="coerce").dt.month
    for field, bad_rows in (("month_num", ~df["month_num"].between(1, 12)),
                            ("month", named.isna() | (named != df["month_num"]))):
        bad = np.flatnonzero(bad_rows.to_numpy())
        if bad.size:
            i = int(bad[0])
            raise InputError(path, "a month number 1-12 and the English name of the same month", row=i + 2,
                             field=field, got=df[field].iloc[i])
    code = df["cty_code"].str.strip().str.zfill(4)
    iso3 = map_codes(code, _lookup(table, code), path, "cty_code",
                     f"a Census country code in {MAPPING_FILE} or econsec's overrides")
    notes = _code_notes(code, df["partner"], path.name)
    stray = (df["year"] * 100 + df["month_num"]).isin([y * 100 + m for y, m in STRAY]).to_numpy()
    for (y, m), n in pd.Series(1, index=df.index[stray]).groupby(
            [df["year"][stray], df["month_num"][stray]]).sum().items():
        notes.append(CodeMapping("month", f"{y}-{m:02d}", None, int(n), f"{path.name}: stray month outside "
                                 "the 2024- series (one row per partner), skipped"))
    keep = ~stray & iso3.notna().to_numpy()
    df = df.assign(code=code, iso3=iso3)[keep]
    dup = df.duplicated(["code", "year", "month_num"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, "one row per partner and month", row=int(df.index[i]) + 2, field="month",
                         got=f"{df['code'].iloc[i]} {df['year'].iloc[i]}-{df['month_num'].iloc[i]}")
    parts = []
    for flow, col in (("export", "exports_musd"), ("import", "imports_musd")):
        parts.append(pd.DataFrame({"year": df["year"], "code": df["code"], "iso3": df["iso3"], "flow": flow,
                                   "month": df["month_num"].astype("Int32"), "value": df[col]}))
    out = pd.concat(parts, ignore_index=True)
    out = out.assign(currency="million USD", value_usd=out["value"].astype("float64") * 1e6, origin=PRIORITY[1])
    ym = df["year"] * 100 + df["month_num"]
    span = (f"{ym.min() // 100}-{ym.min() % 100:02d} to {ym.max() // 100}-{ym.max() % 100:02d}, "
            f"fetched up to {df['fetched'].max()[:10]}") if len(df) else "empty"
    return out, notes, len(code), span


class CensusPartner(Source):
    name = "census_partner"
    title = "U.S. goods trade by partner, monthly and annual 1985–2026 (Census)"
    producer = "U.S. Census Bureau, Foreign Trade Division"
    licence = "Public domain (U.S. government work); Tariff_Map compilation as published on GitHub"
    url = "https://www.census.gov/foreign-trade/statistics/country/country.xlsx"
    patterns = (f"{DIR}/census_country_goods*.xlsx", f"{DIR}/{TARIFF_MAP}", f"{DIR}/{MONTHLY_PREFIX}*.tidy.csv",
                f"us_trade/census_imports_hs10_2024/{MAPPING_FILE}")

    def discover(self, data_dir: Path) -> list[Path]:
        files = super().discover(data_dir)
        return files if any(p.name != MAPPING_FILE for p in files) else []

    def fetch(self, dest: Path) -> list[Path]:
        """Download country.xlsx, the Tariff_Map table and the code mapping.

        The monthly page series is scraped from census.gov/foreign-trade/balance/cNNNN.html and
        is not fetched here.
        """
        import urllib.request

        dest.mkdir(parents=True, exist_ok=True)
        targets = {self.url: "census_country_goods.xlsx",
                   "https://raw.githubusercontent.com/pyoungmoney/Tariff_Map/"
                   "43d154a7a01e8154834c58680f74f5b87bca4ade/US_2024_Import_Data.csv": TARIFF_MAP,
                   TRACKER + MAPPING_FILE: MAPPING_FILE}
        for url, name in targets.items():
            urllib.request.urlretrieve(url, dest / name)
        return [dest / n for n in targets.values()]

    def parse(self, paths: Sequence[Path]) -> Parsed:
        paths = [Path(p) for p in paths]
        books = [p for p in paths if p.suffix == ".xlsx"]
        tmaps = [p for p in paths if p.name == TARIFF_MAP]
        pages = [p for p in paths if p.name.startswith(MONTHLY_PREFIX)]
        unknown = [p.name for p in paths if p not in books + tmaps + pages and p.name != MAPPING_FILE]
        if unknown or not (books or tmaps or pages):
            raise SourceNotFoundError(f"source {self.name!r}: expected the Census workbook, {TARIFF_MAP} or "
                                      f"{MONTHLY_PREFIX}*.tidy.csv; got {[p.name for p in paths]}")
        map_path = find_mapping(paths)
        if map_path is None:
            raise SourceNotFoundError(f"source {self.name!r}: {MAPPING_FILE} not given and not found in "
                                      "us_trade/census_imports_hs10_2024")
        table, notes, n_map = read_mapping(map_path)
        rows_read = {str(map_path): n_map} if map_path in paths else {}
        frames, vintage = [], []
        for p in books:
            out, n, rows_read[str(p)], span = read_workbook(p, table)
            frames.append(out)
            notes += n
            vintage.append(f"Census country.xlsx as {p.name}: {span}")
        for p in pages:
            out, n, rows_read[str(p)], span = read_monthly_pages(p, table)
            frames.append(out)
            notes += n
            vintage.append(f"census.gov cNNNN monthly pages {span}")
        for p in tmaps:
            out, n, rows_read[str(p)] = read_tariff_map(p, table)
            frames.append(out)
            notes += n
            vintage.append(f"Census {'/'.join(map(str, sorted(out['year'].unique())))} partner totals "
                           "via pyoungmoney/Tariff_Map (about 2025-04)")
        rows = pd.concat(frames, ignore_index=True)  # already in priority order
        key = ["year", "month", "code", "flow"]
        dup = rows.duplicated(key, keep="first")
        for origin, n in rows[dup].groupby("origin").size().items():
            notes.append(CodeMapping("file", str(origin), None, int(n), "rows already covered by a "
                                     "higher-priority file (workbook > monthly pages > Tariff_Map): skipped"))
        rows = rows[~dup.to_numpy()]
        exp = (rows["flow"] == "export").to_numpy()
        flows = pd.DataFrame({
            "exporter": np.where(exp, "USA", rows["iso3"]), "importer": np.where(exp, rows["iso3"], "USA"),
            "reporter": "USA", "flow": rows["flow"].to_numpy(), "year": rows["year"].astype("int32").to_numpy(),
            "month": pd.array(rows["month"], dtype="Int32"), "classification": "TOTAL", "product": "TOTAL",
            "value_usd": rows["value_usd"].to_numpy(), "value": rows["value"].astype("float64").to_numpy(),
            "currency": rows["currency"].to_numpy(),
            "basis": (rows["flow"].map(BASIS) + np.where(rows["origin"] == PRIORITY[2], " (via Tariff_Map)",
                                                         "")).to_numpy()})
        return Parsed(tables={"trade_flows": flows, "partial_periods": partial_years(flows)},
                      vintage="; ".join(vintage), rows_read=rows_read, mappings=tuple(notes))


def partial_years(flows: pd.DataFrame) -> pd.DataFrame:
    """Years with monthly rows but no annual total and fewer than 12 months: published in part."""
    g = flows.groupby("year")
    months = g["month"].max()
    annual = g["month"].apply(lambda m: bool(m.isna().any()))
    part = months[(~annual) & months.notna() & (months < 12)]
    return pd.DataFrame({"year": part.index.astype("int32"), "flow": None,
                         "months_published": pd.array(part.to_numpy(), dtype="Int64"),
                         "note": [f"Census: {y} published for months 1–{int(m)} only"
                                  for y, m in part.items()]})
