"""Energy Institute (formerly bp) Statistical Review of World Energy: LNG trade, gas and prices.

The Statistical Review is published each June with the previous year's data, as one "all data"
workbook (bp editions to 2022, Energy Institute editions from 2023). This adapter reads the
**original workbooks** with openpyxl (read-only); the ``*.tidy.csv`` files beside them in the data
directory are not read (tests use them only as an independent check).

What is read
------------
* **Bilateral LNG trade** (sheet "Gas - Trade movts LNG", from the 2024 edition "Gas trade - LNG"):
  one importer × exporter matrix per edition, for the year before the edition. Each data year is
  taken from *its own* edition (2018 from the 2019 edition … 2023 from the 2024 edition), because
  later editions revise earlier years. → ``energy_trade`` (commodity ``LNG``, unit ``bcm``).
  The row "Total exports" (exports of the column's exporter) and the column "Total imports"
  (imports of the row's importer) are kept with kind ``total``.
* From the **newest edition** among the files only: LNG imports and exports by country
  (2000→), gas consumption (1965→) and production (1970→), all in bcm → ``commodity_series``
  (commodity ``lng`` / ``natural_gas``; measure ``imports`` / ``exports`` / ``consumption`` /
  ``production``); and annual gas prices in USD/MMBtu → ``prices`` (freq ``A``, period = 1 January
  of the year): LNG Japan, China (mainland) and South Korea — **average import prices, not the
  JKM spot index** — Zeebrugge, UK NBP, Netherlands TTF and US Henry Hub. The hydrogen and
  ammonia prices on the same sheet (USD/kg, USD/t, 2022→) are not read.

Cells and names
---------------
Numbers are read as printed (the 2023 edition rounds the LNG matrix to 0.1 bcm). ``-`` (nil) is
0; ``†``/``^`` ("less than 0.05") becomes a row with a missing value; empty cells and ``n/a`` give
no row. In the price sheet ``-`` means "no quote" and gives no row. Names are kept as printed,
without footnote markers (``*``, ``#``) and without the prefix "of which:". Kinds: ``country``;
``region_aggregate`` (continents, "Total …" subtotals, OECD, Non-OECD, European Union);
``other_group`` ("Other …", "Rest of …", residual sub-regions such as "Eastern Africa"); ``total``
("Total World", "Total exports", "Total imports", "Total LNG exports"). Only countries get an ISO3
code; every other name is kept with a NULL code and reported as a :class:`CodeMapping`, as are
the spellings mapped on purpose (``US`` → USA, ``China Hong Kong SAR`` → HKG, ``Trinidad &
Tobago`` → TTO, ``USSR`` → SUN (former), …). The 2022 edition prints "Other European Union"
where the others print "Other EU"; both are kept as printed.

Caveats: region rows and groups sit beside countries (filter on ``*_kind``); 1 bcm of LNG ≈
0.735 Mt; data are standard cubic metres at 40 MJ/m³ GCV. Matrix row sums differ from the
printed totals by at most 0.2 bcm (rounding). Vintage: the editions read, e.g. "EI 2024".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from econsec.errors import InputError, UnknownCodeError
from econsec.sources._countries import names_to_iso3
from econsec.sources._read import open_workbook
from econsec.sources.base import CodeMapping, Parsed, Source

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

LNG_SHEETS = ("Gas trade - LNG", "Gas - Trade movts LNG")
SERIES_SHEETS = {  # (commodity, measure) -> candidate sheet names, newest naming first
    ("lng", "imports"): ("Gas - LNG imports bcm", "Gas - LNG imports"),
    ("lng", "exports"): ("Gas - LNG exports bcm", "Gas - LNG exports"),
    ("natural_gas", "consumption"): ("Gas Consumption - Bcm",),
    ("natural_gas", "production"): ("Gas Production - Bcm",),
}
PRICE_SHEETS = ("Gas Prices", "Gas - Prices")
#: (group, column label without footnote digits) -> (series id, name)
PRICE_SERIES = {
    ("LNG", "Japan"): ("lng_japan", "LNG, Japan average import price"),
    ("LNG", "China (Mainland)"): ("lng_china_mainland", "LNG, China (mainland) average import price"),
    ("LNG", "South Korea"): ("lng_south_korea", "LNG, South Korea average import price"),
    ("Natural Gas", "Zeebrugge"): ("gas_zeebrugge", "Natural gas, Zeebrugge (Belgium)"),
    ("Natural Gas", "UK NBP"): ("gas_uk_nbp", "Natural gas, UK National Balancing Point"),
    ("Natural Gas", "Netherlands TTF"): ("gas_netherlands_ttf", "Natural gas, Netherlands TTF"),
    ("Natural Gas", "US Henry Hub"): ("gas_us_henry_hub", "Natural gas, US Henry Hub"),
}
PRICE_UNIT_PRINTED = "US dollars per million Btu"

#: Spellings of the Review mapped on purpose (everything else must match an ISO short name).
OVERRIDES = {"US": "USA", "Trinidad & Tobago": "TTO", "China Hong Kong SAR": "HKG",
             "Turkey": "TUR", "Czech Republic": "CZE", "Brunei": "BRN", "USSR": "SUN",
             "DR Congo": "COD", "Democratic Republic of Congo": "COD"}
TOTALS = frozenset({"Total World", "Total exports", "Total imports", "Total LNG exports"})
REGIONS = frozenset({"North America", "S. & Cent. America", "Europe", "CIS", "Middle East",
                     "Africa", "Middle East & Africa", "Asia Pacific", "Europe & Eurasia",
                     "OECD", "Non-OECD", "European Union"})
RESIDUAL_AREAS = frozenset({"Central America", "Eastern Africa", "Middle Africa", "Western Africa"})
NIL, BELOW = frozenset({"-"}), frozenset({"†", "^"})
NO_ROW = frozenset({"n/a", "…", "..."})


def clean_names(s: pd.Series) -> pd.Series:
    """Printed name without footnote markers, "of which:" or extra blanks."""
    s = s.astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    s = s.str.replace(r"^of which:\s*", "", regex=True)
    return s.str.replace(r"[\s*#†^♦]+$", "", regex=True)


def classify(names: pd.Series) -> pd.Series:
    """Kind of each cleaned name: country, region_aggregate, other_group or total."""
    n = names.astype("string").fillna("")
    kind = np.select(
        [n.isin(TOTALS), n.str.match(r"Total\b"), n.isin(REGIONS),
         n.str.match(r"(Other|Rest of)\b") | n.isin(RESIDUAL_AREAS)],
        ["total", "region_aggregate", "region_aggregate", "other_group"], default="country")
    return pd.Series(kind, index=names.index, dtype="string")


def map_names(names: pd.Series, path: Path, sheet: str | None, field: str, *,
              row: int | None = None, header_lines: int = 0) -> tuple[pd.Series, pd.Series]:
    """(ISO3 or NA, kind) of printed names.

    ``names`` is aligned with the rows of the sheet or file (position i = row i + 1 +
    ``header_lines``, NA where not a data row), or, for a header, holds the names of one ``row``.
    """
    names = names.astype("str")  # NaN, not pd.NA, for missing names (names_to_iso3 compares them)
    kind = classify(names)
    groups = {n: None for n in names[kind != "country"].dropna().unique()}
    try:
        iso, _ = names_to_iso3(names, path, field, overrides=OVERRIDES, aggregates=groups,
                               header_lines=header_lines)
    except UnknownCodeError as e:
        raise UnknownCodeError(e.file, e.expected, row=row or e.row, field=e.field, sheet=sheet,
                               got=e.got) from e
    return iso.astype("string"), kind


def cell_values(raw: pd.Series, path: Path, sheet: str, rows: pd.Series, fields: pd.Series, *,
                nil: float | None) -> tuple[pd.Series, pd.Series]:
    """Numeric values of sheet cells and a mask of cells that give a row.

    ``nil`` is the value of ``-`` (None: the cell gives no row). ``†``/``^`` give a missing value.
    """
    is_num = raw.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    num = pd.to_numeric(raw.where(is_num), errors="coerce").astype("float64")
    txt = raw.where(~is_num & raw.notna()).astype("string").str.strip().fillna("")
    is_nil, is_below = txt.isin(NIL).to_numpy(), txt.isin(BELOW).to_numpy()
    empty = (((txt == "") & num.isna()) | txt.isin(NO_ROW)).to_numpy() | (is_nil & (nil is None))
    ok = num.notna().to_numpy() | empty | is_nil | is_below
    bad = np.flatnonzero(~ok)
    if bad.size:
        i = bad[0]
        raise InputError(path, "a number, '-' (nil) or '†' (less than 0.05)", sheet=sheet,
                         row=int(rows.iloc[i]), field=str(fields.iloc[i]), got=raw.iloc[i])
    value = num.mask(is_nil, np.nan if nil is None else nil)
    return value, pd.Series(~empty, index=raw.index)


def pick_sheet(wb: Workbook, path: Path, names: Sequence[str]) -> str:
    """The first sheet of ``names`` present in ``wb`` (names compared without outer blanks)."""
    by_stripped = {s.strip(): s for s in wb.sheetnames}
    for n in names:
        if n in by_stripped:
            return by_stripped[n]
    raise InputError(path, f"a worksheet named {' or '.join(repr(n) for n in names)}",
                     sheet=names[0], got=f"sheets {wb.sheetnames[:12]}…")


def frame(wb: Workbook, path: Path, sheet: str) -> pd.DataFrame:
    """A worksheet as an object DataFrame; index = 1-based sheet row, columns 0, 1, …"""
    df = pd.DataFrame([tuple(r) for r in wb[sheet].iter_rows(values_only=True)], dtype=object)
    if df.empty:
        raise InputError(path, "a worksheet with a title, a header and data rows", sheet=sheet,
                         got="empty sheet")
    df.index = range(1, len(df) + 1)
    return df


def label_rows(df: pd.DataFrame, value_cols: pd.Index, start: int) -> pd.Series:
    """Rows at or below sheet row ``start`` with a text label and at least one value cell."""
    lab = df[0].where(df[0].map(lambda v: isinstance(v, str)))
    return (df.index >= start) & lab.notna() & df[value_cols].notna().any(axis=1)


def read_lng_matrix(df: pd.DataFrame, path: Path, sheet: str) -> tuple[pd.DataFrame, int, int]:
    """One edition's LNG matrix → (long frame: year, importer…, exporter…, value; rows read; year)."""
    title = str(df.iat[0, 0]) if len(df) else ""
    m = re.search(r"Trade movements (\d{4}) as liquefied natural gas", title)
    if not m:
        raise InputError(path, "a title 'Natural Gas: Trade movements YYYY as liquefied natural gas'",
                         sheet=sheet, row=1, field="A", got=title)
    to = df.index[df[0].astype("string").str.strip() == "To"]
    if to.empty:
        raise InputError(path, "a header row whose first cell is 'To'", sheet=sheet, field="A")
    ti = int(to[0])
    top = df.loc[ti - 1].iloc[1:].where(df.loc[ti - 1].iloc[1:].map(lambda v: isinstance(v, str)), "")
    bottom = df.loc[ti].iloc[1:].where(df.loc[ti].iloc[1:].map(lambda v: isinstance(v, str)), "")
    exporters = clean_names(top.astype(str) + " " + bottom.astype(str))
    cols = exporters.index[exporters != ""]
    body = df.loc[label_rows(df, cols, ti + 1), [0, *cols]]
    if body.empty:
        raise InputError(path, "importer rows below the 'To' header", sheet=sheet, row=ti + 1)
    importers = clean_names(body[0])
    long = body.drop(columns=0).assign(importer_name=importers).melt(
        id_vars="importer_name", var_name="col", value_name="raw", ignore_index=False)
    long["sheet_row"] = long.index
    long["exporter_name"] = exporters.loc[long["col"]].to_numpy()
    value, keep = cell_values(long["raw"], path, sheet, long["sheet_row"],
                              long["exporter_name"], nil=0.0)
    out = long.assign(value=value)[keep.to_numpy()]
    all_imp = pd.Series(pd.NA, index=df.index, dtype="string")
    all_imp.loc[body.index] = importers
    imp_iso, imp_kind = map_names(all_imp, path, sheet, "A (importer)")
    exp_iso, exp_kind = map_names(exporters.loc[cols].reset_index(drop=True), path, sheet,
                                  "exporter (header)", row=ti)
    exp_map = pd.DataFrame({"exporter_name": exporters.loc[cols].to_numpy(),
                            "exporter": exp_iso.to_numpy(), "exporter_kind": exp_kind.to_numpy()})
    out = out.assign(year=int(m.group(1)), importer=imp_iso.loc[out["sheet_row"]].to_numpy(),
                     importer_kind=imp_kind.loc[out["sheet_row"]].to_numpy())
    out = out.merge(exp_map.drop_duplicates("exporter_name"), on="exporter_name", how="left")
    cols_out = ["year", "importer", "exporter", "importer_name", "exporter_name",
                "importer_kind", "exporter_kind", "value"]
    return out[cols_out].reset_index(drop=True), len(body), int(m.group(1))


def read_year_sheet(df: pd.DataFrame, path: Path, sheet: str) -> tuple[pd.DataFrame, int]:
    """A country × year sheet in bcm → long frame (name, iso, kind, year, value) and rows read."""
    years = df.apply(lambda c: pd.to_numeric(c.where(c.map(lambda v: isinstance(v, int | float))),
                                             errors="coerce")).iloc[:, 1:]
    is_year = (years % 1 == 0) & years.ge(1900) & years.le(2100)
    hdr = is_year.sum(axis=1)
    if hdr.empty or hdr.max() < 2:
        raise InputError(path, "a header row of years (1965, 1966, …)", sheet=sheet)
    hr = int(hdr.idxmax())
    unit = str(df.at[hr, 0]).strip()
    if unit.lower() != "billion cubic metres":
        raise InputError(path, "unit 'Billion cubic metres' in the header row", sheet=sheet,
                         row=hr, field="A", got=unit)
    yr = years.loc[hr][is_year.loc[hr]].astype(int)
    yr = yr[~yr.duplicated()]  # later repeats of the last year are growth rates and shares
    body = df.loc[label_rows(df, yr.index, hr + 1), [0, *yr.index]]
    names = clean_names(body[0])
    long = body.drop(columns=0).assign(name=names).melt(
        id_vars="name", var_name="col", value_name="raw", ignore_index=False)
    long["sheet_row"] = long.index
    long["year"] = yr.loc[long["col"]].to_numpy()
    value, keep = cell_values(long["raw"], path, sheet, long["sheet_row"], long["year"], nil=0.0)
    all_names = pd.Series(pd.NA, index=df.index, dtype="string")
    all_names.loc[body.index] = names
    iso, kind = map_names(all_names, path, sheet, "A (country)")
    out = long.assign(value=value)[keep.to_numpy()]
    out = out.assign(country=iso.loc[out["sheet_row"]].to_numpy(),
                     country_kind=kind.loc[out["sheet_row"]].to_numpy())
    return out[["country", "name", "country_kind", "year", "value"]].reset_index(drop=True), len(body)


def read_prices(df: pd.DataFrame, path: Path, sheet: str) -> tuple[pd.DataFrame, int]:
    """The annual gas-price sheet → prices frame (USD/MMBtu) and rows read."""
    is_year = df[0].map(lambda v: isinstance(v, int | float) and not pd.isna(v) and 1900 < v < 2100)
    if not is_year.any():
        raise InputError(path, "rows starting with a year (1984, 1985, …)", sheet=sheet, field="A")
    first = int(is_year.idxmax())
    head = df.loc[2:first - 1].map(lambda v: re.sub(r"\s+", " ", v).strip() if isinstance(v, str) else None)
    group, unit = head.iloc[0].ffill(), head.iloc[1].ffill()
    label = head.iloc[2:].fillna("").agg(" ".join).str.strip().str.replace(r"\d+$", "", regex=True)
    keys = pd.Series(list(zip(group.fillna(""), label.str.strip(), strict=True)), index=df.columns)
    missing = [k for k in PRICE_SERIES if k not in set(keys)]
    if missing:
        raise InputError(path, f"price columns {[' '.join(k) for k in PRICE_SERIES]}", sheet=sheet,
                         row=first - 1, field=" ".join(missing[0]), got=list(label[label != ""]))
    cols = keys.index[keys.isin(list(PRICE_SERIES))]
    wrong = [c for c in cols if unit[c] != PRICE_UNIT_PRINTED]
    if wrong:
        raise InputError(path, f"unit {PRICE_UNIT_PRINTED!r}", sheet=sheet, row=3,
                         field=" ".join(keys[wrong[0]]), got=unit[wrong[0]])
    body = df.loc[is_year, [0, *cols]]
    long = body.melt(id_vars=0, var_name="col", value_name="raw", ignore_index=False)
    long["sheet_row"] = long.index
    key = keys.loc[long["col"]]
    series = key.map({k: v[0] for k, v in PRICE_SERIES.items()})
    value, keep = cell_values(long["raw"], path, sheet, long["sheet_row"], series, nil=None)
    year = pd.to_numeric(long[0]).astype(int)
    out = pd.DataFrame({"series": series.to_numpy(),
                        "name": key.map({k: v[1] for k, v in PRICE_SERIES.items()}).to_numpy(),
                        "period": pd.to_datetime({"year": year, "month": 1, "day": 1}).dt.date.to_numpy(),
                        "freq": "A", "value": value.to_numpy(), "unit": "USD/MMBtu"})
    return out[keep.to_numpy()].reset_index(drop=True), len(body)


def _notes(df: pd.DataFrame, field: str, iso: str, kind: str) -> list[CodeMapping]:
    """CodeMappings for the non-country names and the spellings in OVERRIDES, by output rows."""
    hit = df[(df[kind] != "country") | df[field].isin(list(OVERRIDES))]
    counts = hit.groupby([field, iso, kind], dropna=False).size()
    return [CodeMapping(field, str(n), None if pd.isna(c) else str(c), int(k),
                        f"{kd}: kept with NULL code" if kd != "country" else "source spelling mapped on purpose")
            for (n, c, kd), k in counts.items()]


def edition_label(edition: int) -> str:
    """'bp 2022' up to the 2022 edition, 'EI 2023' from 2023 (the Energy Institute took over)."""
    return f"{'bp' if edition <= 2022 else 'EI'} {edition}"


class EiReview(Source):
    name = "ei_review"
    title = "Statistical Review of World Energy: LNG trade, gas balances and gas prices"
    producer = "Energy Institute (2023– editions); bp (editions to 2022)"
    licence = "© Energy Institute / © bp; free use with attribution per the Review's terms"
    url = ("https://www.energyinst.org/__data/assets/excel_doc/0020/1540550/"
           "EI-Stats-Review-All-Data.xlsx")  # 2024 edition; landing page energyinst.org/statistical-review
    patterns = ("energy/ei_statistical_review/*[Aa][Ll][Ll]-[Dd][Aa][Tt][Aa].xlsx",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        trade: list[pd.DataFrame] = []
        rows_read: dict[str, int] = {}
        books: dict[int, Path] = {}
        for p in map(Path, paths):
            wb = open_workbook(p)
            try:
                sheet = pick_sheet(wb, p, LNG_SHEETS)
                t, n, year = read_lng_matrix(frame(wb, p, sheet), p, sheet)
            finally:
                wb.close()
            edition = year + 1  # the Review appears in June with the previous year's data
            if edition in books:
                raise InputError(p, f"one workbook per edition; {books[edition].name} is also "
                                 f"the {edition} edition", sheet=sheet, row=1)
            books[edition] = p
            trade.append(t.assign(edition=edition_label(edition)))
            rows_read[str(p)] = n
        newest = max(books)
        p = books[newest]
        series = []
        wb = open_workbook(p)
        try:
            for (commodity, measure), names in SERIES_SHEETS.items():
                sheet = pick_sheet(wb, p, names)
                s, n = read_year_sheet(frame(wb, p, sheet), p, sheet)
                series.append(s.assign(commodity=commodity, measure=measure))
                rows_read[str(p)] += n
            sheet = pick_sheet(wb, p, PRICE_SHEETS)
            prices, n = read_prices(frame(wb, p, sheet), p, sheet)
            rows_read[str(p)] += n
        finally:
            wb.close()
        energy = pd.concat(trade, ignore_index=True).assign(commodity="LNG", unit="bcm")
        cs = pd.concat(series, ignore_index=True).rename(columns={"name": "country_name"})
        cs = cs.assign(unit="bcm", edition=edition_label(newest))
        notes = (_notes(energy, "importer_name", "importer", "importer_kind")
                 + _notes(energy, "exporter_name", "exporter", "exporter_kind")
                 + _notes(cs, "country_name", "country", "country_kind"))
        eds = ", ".join(edition_label(e) for e in sorted(books))
        return Parsed(
            tables={"energy_trade": energy, "commodity_series": cs, "prices": prices},
            vintage=f"Statistical Review {edition_label(newest)} (gas series, prices); "
                    f"LNG trade from editions {eds}",
            rows_read=rows_read, mappings=tuple(notes))
