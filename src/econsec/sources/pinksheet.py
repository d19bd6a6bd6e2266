"""World Bank Commodity Price Data ("Pink Sheet"), monthly prices of every commodity.

Published format: the workbook ``CMO-Historical-Data-Monthly.xlsx``, sheet "Monthly Prices".
Above the data sit a title block (with the release date, "Updated on December 03, 2024"), then
three header rows: commodity names ("Crude oil, Brent"), units in parentheses ("($/bbl)") and
series codes ("CRUDE_BRENT"). Data rows start with the month as ``1960M01``. This adapter reads
the **original workbook** (openpyxl, read-only) for **all** commodities — energy, agriculture,
fertilisers, metals and minerals (71 series in the December 2024 release) — into ``prices``:
``series`` = the World Bank code, ``name`` as printed (without the footnote markers ``*``/``**``
that flag changes of specification, explained on the workbook's "Description" sheet), ``period``
= first day of the month, ``freq`` = ``M``, ``unit`` = the units row without parentheses
(``$/bbl``, ``$/mmbtu``, ``$/mt``, ``$/kg``, ``$/troy oz``, ``2010=100`` for ``iNATGAS`` …).
Prices are nominal US dollars. Cells printed ``…`` (no quote) or left empty give no row.

Caveats (from the workbook's "Description" sheet): ``NGAS_JP`` is the Japan LNG *import* price
(cif; the two latest months are estimates), not the JKM spot index; ``NGAS_EUR`` is the
Netherlands TTF from April 2015 and an average import border price before; ``NGAS_US`` is Henry
Hub spot. The monthly indices on the "Monthly Indices" sheet are
not read. Vintage: the release date printed in the title block, e.g. "Pink Sheet, updated
2024-12-03".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError
from econsec.sources._read import sheet_rows
from econsec.sources.base import Parsed, Source

SHEET = "Monthly Prices"
MONTH = r"\d{4}M(0[1-9]|1[0-2])"
NO_QUOTE = frozenset({"…", "...", ""})


def _release(head: pd.DataFrame, path: Path) -> str:
    """ISO date of the "Updated on <Month DD, YYYY>" line of the title block."""
    text = head.stack().astype(str)
    hit = text[text.str.contains(r"^\s*Updated on ", regex=True)]
    if hit.empty:
        raise InputError(path, "a line 'Updated on <Month DD, YYYY>' above the header", sheet=SHEET)
    raw = re.sub(r"^\s*Updated on\s+", "", hit.iloc[0]).strip()
    try:
        return datetime.strptime(raw, "%B %d, %Y").date().isoformat()
    except ValueError as e:
        raise InputError(path, "a release date like 'Updated on December 03, 2024'",
                         sheet=SHEET, got=hit.iloc[0]) from e


def read_monthly(path: Path) -> tuple[pd.DataFrame, int, str]:
    """The "Monthly Prices" sheet → (prices frame, month rows read, release date)."""
    rows = sheet_rows(path, SHEET)
    df = pd.DataFrame(rows, dtype=object)
    if df.empty:
        raise InputError(path, "a sheet with header rows and monthly data", sheet=SHEET,
                         got="empty sheet")
    df.index = range(1, len(df) + 1)  # 1-based sheet rows
    first_col = df[0].astype("string").str.strip()
    is_month = first_col.str.fullmatch(MONTH).fillna(False).to_numpy(dtype=bool)
    if not is_month.any():
        raise InputError(path, "data rows starting with a month like '1960M01'", sheet=SHEET,
                         field="A")
    first = int(df.index[is_month][0])
    stray = np.flatnonzero((df.index > first) & ~is_month & first_col.fillna("").ne("").to_numpy())
    if stray.size:
        raise InputError(path, "a month like '1960M01' in every row below the header", sheet=SHEET,
                         row=int(df.index[stray[0]]), field="A", got=df[0].iloc[stray[0]])
    if first < 5:
        raise InputError(path, "name, unit and code rows above the first month", sheet=SHEET,
                         row=first)
    names, units, codes = (df.loc[first - k] for k in (3, 2, 1))
    cols = codes.index[codes.map(lambda v: isinstance(v, str) and v.strip() != "")]
    cols = cols[cols > 0]
    if cols.empty:
        raise InputError(path, "a row of series codes (CRUDE_BRENT, …) above the first month",
                         sheet=SHEET, row=first - 1)
    code = codes[cols].astype(str).str.strip()
    dup = code[code.duplicated()]
    if not dup.empty:
        raise InputError(path, "unique series codes", sheet=SHEET, row=first - 1,
                         field=str(dup.iloc[0]), got=dup.iloc[0])
    unit_txt = units[cols].astype("string").str.strip()
    bad_unit = ~unit_txt.str.fullmatch(r"\(.+\)").fillna(False)
    if bad_unit.any():
        c = bad_unit.idxmax()
        raise InputError(path, "a unit in parentheses, e.g. '($/bbl)'", sheet=SHEET,
                         row=first - 2, field=code[c], got=units[c])
    meta = pd.DataFrame({"series": code, "unit": unit_txt.str.slice(1, -1).str.strip(),
                         "name": names[cols].astype("string").str.replace(r"[\s*]+$", "", regex=True)
                         .str.strip()})
    body = df.loc[is_month, [0, *cols]]
    # every cell of a month row is a price or a no-quote mark
    long = body.melt(id_vars=0, var_name="col", value_name="raw", ignore_index=False)
    long["sheet_row"] = long.index
    is_num = long["raw"].map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    txt = long["raw"].where(~is_num & long["raw"].notna()).astype("string").str.strip().fillna("")
    bad = np.flatnonzero(~(is_num.to_numpy() | txt.isin(NO_QUOTE).to_numpy()))
    if bad.size:
        i = bad[0]
        raise InputError(path, "a price (number) or '…' (no quote)", sheet=SHEET,
                         row=int(long["sheet_row"].iloc[i]),
                         field=str(meta.at[long["col"].iloc[i], "series"]), got=long["raw"].iloc[i])
    long = long[is_num.to_numpy()]
    month = long[0].astype(str).str.strip()
    period = pd.to_datetime(month.str.slice(0, 4) + "-" + month.str.slice(5, 7) + "-01")
    m = meta.loc[long["col"]]
    out = pd.DataFrame({"series": m["series"].to_numpy(), "name": m["name"].to_numpy(),
                        "period": period.dt.date.to_numpy(), "freq": "M",
                        "value": pd.to_numeric(long["raw"]).astype("float64").to_numpy(),
                        "unit": m["unit"].to_numpy()})
    return out, int(is_month.sum()), _release(df.loc[: first - 1], path)


class PinkSheet(Source):
    name = "pinksheet"
    title = "World Bank Commodity Price Data (Pink Sheet), monthly"
    producer = "World Bank, Prospects Group"
    licence = "CC BY 4.0"
    url = ("https://thedocs.worldbank.org/en/doc/5d903e848db1d1b83e0ec8f744e55570-0350012021/"
           "related/CMO-Historical-Data-Monthly.xlsx")
    patterns = ("energy/worldbank_pinksheet/CMO-Historical-Data-Monthly*.xlsx",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        if len(paths) != 1:
            raise InputError(Path(paths[-1]) if paths else Path(self.patterns[0]),
                             "exactly one Pink Sheet workbook (each release is complete)",
                             got=[Path(p).name for p in paths])
        p = Path(paths[0])
        prices, n, release = read_monthly(p)
        return Parsed(tables={"prices": prices}, vintage=f"Pink Sheet, updated {release}",
                      rows_read={str(p): n})
