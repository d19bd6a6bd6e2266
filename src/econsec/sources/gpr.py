"""Geopolitical Risk (GPR) index of Caldara & Iacoviello (2022, *American Economic Review*).

The index counts newspaper articles about geopolitical tensions (threats and acts of war,
terrorism, military build-ups …) as a share of all articles. The recent index (``GPR``, 1985→)
uses ten newspapers, the historical one (``GPRH``, 1900→) three; both are normalised to average
100 over their base period. Country indices are the percent of articles that mention the
tensions *and* the country.

Published format: ``data_gpr_export.xls`` (BIFF, read with xlrd), one sheet, one row per month
(``month`` as an Excel date), one column per series, and two metadata columns ``var_name`` /
``var_label`` describing every series. This adapter reads the **original xls**; the
``.tidy.csv`` beside it is the same sheet and is used only as an independent check in the tests.

Loaded into ``risk_indices`` (period = first day of the month; empty cells give no row):

=====================================  =======================  ==============================
columns                                index_name / country     unit (from ``var_label``)
=====================================  =======================  ==============================
GPR, GPRT (threats), GPRA (acts)       same, NULL               index (1985–2019 = 100)
GPRH, GPRHT, GPRHA (historical)        same, NULL               index (1900–2019 = 100)
GPR_NOEW/_AND/_BASIC, GPRH_… variants  same, NULL               index (base period of label)
SHARE_GPR, SHARE_GPRH                  same, NULL               % of articles
GPRC_xxx, GPRHC_xxx (44 countries)     GPRC / GPRHC, ISO3 xxx   % of articles
=====================================  =======================  ==============================

The variants are the authors' robustness indices (excluded words included, broader "AND" search,
narrow "basic" search). Not loaded, on purpose, and reported as :class:`CodeMapping`: ``N10`` and
``N3H`` (numbers of articles: denominators, not risk measures) and ``SHAREH_CAT_1…8`` (shares of
the eight threat/act categories, labelled only "Cat.1…8" in the file).

Caveats: the authors revise and re-normalise the index with every update, so values depend on
the vintage; an older vintage differed by up to 2.8 % (GPR) and ~7 % (GPRC_KOR). Vintage: the
last month with data, e.g. "data_gpr_export.xls, ends 2026-04".
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError, UnknownCodeError
from econsec.sources._countries import codes_to_iso3
from econsec.sources.base import CodeMapping, Parsed, Source

GLOBAL = ("GPR", "GPRT", "GPRA", "GPRH", "GPRHT", "GPRHA", "GPR_NOEW", "GPRH_NOEW", "GPR_AND",
          "GPRH_AND", "GPR_BASIC", "GPRH_BASIC", "SHARE_GPR", "SHARE_GPRH")
COUNTRY = re.compile(r"^(GPRC|GPRHC)_([A-Z]{3})$")
SKIPPED = {
    "N10": "number of articles in 10 recent newspapers (index denominator), not loaded",
    "N3H": "number of articles in 3 historical newspapers (index denominator), not loaded",
    **{f"SHAREH_CAT_{i}": "share of articles in threat/act category, labelled only by number; "
       "not loaded" for i in range(1, 9)},
}
META = ("var_name", "var_label")


def unit_of(label: str) -> str | None:
    """Unit from a ``var_label``: 'index (1985–2019 = 100)' or '% of articles'; None if unclear.

    An index label names its base period ("Index: 1985:2019=100"); two labels in the file are
    cut off before "=100", so the base period alone identifies an index.
    """
    m = re.search(r"(\d{4})\s*[:-]\s*(\d{4})", label)
    if m and re.search(r"\bindex\b", label, re.I):
        return f"index ({m.group(1)}–{m.group(2)} = 100)"
    if re.search(r"percent of", label, re.I):
        return "% of articles"
    return None


def read_sheet(path: Path) -> pd.DataFrame:
    """The xls sheet as an object DataFrame with the header row as columns; index = sheet row."""
    import xlrd
    from xlrd.compdoc import CompDocError

    broken = (xlrd.XLRDError, CompDocError, IndexError, struct.error, EOFError, AssertionError,
              ValueError)
    try:
        book = xlrd.open_workbook(str(path), logfile=io.StringIO())  # xlrd logs to stdout
        sh = book.sheet_by_index(0)
        header = [str(v).strip() for v in sh.row_values(0)] if sh.nrows else []
        data = [sh.row_values(i) for i in range(1, sh.nrows)]
    except broken as e:
        raise InputError(path, "a valid .xls (BIFF) workbook", got=f"{type(e).__name__}: {e}") from e
    if not data:
        raise InputError(path, "a header row and monthly rows", sheet=sh.name,
                         got=f"{sh.nrows} rows")
    df = pd.DataFrame(data, columns=header, dtype=object)
    df.index = range(2, sh.nrows + 1)
    return df


def excel_months(serial: pd.Series, path: Path) -> pd.Series:
    """Excel 1900-system serial dates → first day of the month (vectorised)."""
    num = pd.to_numeric(serial.where(serial.map(lambda v: isinstance(v, float | int))),
                        errors="coerce")
    bad = np.flatnonzero(num.isna().to_numpy() | (num < 1).to_numpy())
    if bad.size:
        raise InputError(path, "a month as an Excel date", row=int(serial.index[bad[0]]),
                         field="month", got=serial.iloc[bad[0]])
    # Excel counts a fictitious 1900-02-29: serials below 60 start one day later
    origin = np.where(num < 60, np.datetime64("1899-12-31"), np.datetime64("1899-12-30"))
    day = origin + num.astype("int64").to_numpy().astype("timedelta64[D]")
    return pd.Series(pd.to_datetime(day), index=serial.index).dt.to_period("M").dt.start_time


class Gpr(Source):
    name = "gpr"
    title = "Geopolitical Risk index (Caldara & Iacoviello), monthly"
    producer = "Dario Caldara and Matteo Iacoviello (Federal Reserve Board)"
    licence = "Free for research use with citation of Caldara & Iacoviello (2022)"
    url = "https://www.matteoiacoviello.com/gpr_files/data_gpr_export.xls"
    patterns = ("risk/gpr_caldara_iacoviello/data_gpr_export.xls",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        if len(paths) != 1:
            raise InputError(Path(paths[-1]) if paths else Path(self.url),
                             "exactly one data_gpr_export.xls", got=[Path(p).name for p in paths])
        path = Path(paths[0])
        df = read_sheet(path)
        need = ["month", "GPR", *META]
        missing = [c for c in need if c not in df.columns]
        if missing:
            raise InputError(path, f"columns {need}", row=1, field=missing[0],
                             got=f"header {list(df.columns)[:8]}…")
        labels = dict(zip(df["var_name"].astype(str).str.strip(), df["var_label"].astype(str),
                          strict=True))
        series = [c for c in df.columns if c != "month" and c not in META]
        unknown = [c for c in series if c not in GLOBAL and c not in SKIPPED and not COUNTRY.match(c)]
        if unknown:
            raise UnknownCodeError(path, "a GPR series (GPR…, GPRC_<ISO3>, GPRHC_<ISO3>)", row=1,
                                   field=unknown[0], got=unknown[0])
        kept = [c for c in series if c not in SKIPPED]
        units = {c: unit_of(labels.get(c, "")) for c in kept}
        no_unit = [c for c in kept if units[c] is None]
        if no_unit:
            raise InputError(path, "a var_label stating the index base or 'Percent of articles'",
                             field="var_label", got=f"{no_unit[0]}: {labels.get(no_unit[0])!r}")
        info = pd.Series(kept, index=kept).str.extract(COUNTRY)
        try:
            iso, _ = codes_to_iso3(info[1], path, "header")
        except UnknownCodeError as e:
            col = kept[int(np.flatnonzero((info[1] == e.got).to_numpy())[0])]
            raise UnknownCodeError(path, "an ISO3 country code after GPRC_/GPRHC_", row=1,
                                   field=col, got=e.got) from e
        index_name = info[0].fillna(pd.Series(kept, index=kept))
        months = excel_months(df["month"], path)
        long = df[kept].assign(period=months).melt(id_vars="period", var_name="col",
                                                   value_name="raw", ignore_index=False)
        txt = long["raw"].astype(str).str.strip()
        is_num = long["raw"].map(lambda v: isinstance(v, float | int))
        bad = np.flatnonzero(~(is_num.to_numpy() | (txt == "").to_numpy()))
        if bad.size:
            raise InputError(path, "a number or an empty cell", row=int(long.index[bad[0]]),
                             field=str(long["col"].iloc[bad[0]]), got=long["raw"].iloc[bad[0]])
        long = long[is_num.to_numpy()]
        out = pd.DataFrame({
            "index_name": long["col"].map(index_name).to_numpy(),
            "country": long["col"].map(iso.astype("string")).to_numpy(),
            "period": long["period"].dt.date.to_numpy(),
            "value": pd.to_numeric(long["raw"]).astype("float64").to_numpy(),
            "unit": long["col"].map(units).to_numpy(),
        })
        have = df[[c for c in series if c in SKIPPED]].map(lambda v: isinstance(v, float | int))
        notes = [CodeMapping("column", c, None, int(have[c].sum()), SKIPPED[c]) for c in have]
        last = months[df["GPR"].map(lambda v: isinstance(v, float | int))].max()
        return Parsed(tables={"risk_indices": out},
                      vintage=f"{path.name}, ends {last:%Y-%m}",
                      rows_read={str(path): len(df)}, mappings=tuple(notes))
