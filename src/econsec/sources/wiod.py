"""WIOD 2013 release world input–output tables, 1995–2011 (Timmer et al. 2015).

Dataset
-------
The World Input-Output Database, 2013 release: 40 countries plus a modelled rest of the world
(RoW) × 35 industries (NACE rev.1, ``c1`` … ``c35``), 1995–2011, **million USD, current prices**.
Taken from the R package ``wiod`` (bquast, commit 59a28ac; GPL-3) and converted from
``wiot_YYYY.RData`` to one labelled wide Parquet per year, values unchanged:

* ``wiot_YYYY.parquet`` — 1,435 rows (country × industry, WIOD order) with ``year``, ``country``,
  ``industry``, 1,435 intermediate-use columns ``<CTY>_<cN>`` (the buying country-industry),
  205 final-demand columns ``<CTY>_<FD>`` (FD = CONS_h, CONS_np, CONS_g, GFCF, INVEN: WIOD columns
  c37, c38, c39, c41, c42) and ``GO`` (gross output);
* ``wiod2013_industries.csv`` (industry, nace_rev1_code, industry_name),
  ``wiod2013_countries.csv`` (country, iso3, country_name) and
  ``wiod2013_final_demand_categories.csv`` (fd_code, wiod_column, fd_name): the labels.

The RData has no row or column names; the curators assigned them by the standard WIOD order and
verified them (accounting identity, country-major order, known country and industry facts).

Output
------
* ``io_flows``: every non-zero cell, long (io_table ``WIOD2013``; row_country/row_sector = the
  selling country-industry; col_country/col_sector = the buying industry ``cN`` or final-demand
  category; unit ``million USD``). Zeros are not stored. The unpivot is done in NumPy
  (``np.nonzero`` on the 1,435 × 1,640 block of each year) into dictionary-encoded Arrow arrays,
  so all 17 years (40 million cells, 6.4 million of them non-zero) parse in about four seconds
  and stay memory-lean (about 100 MB of Arrow arrays).
* ``io_sectors``: each country-industry per year with its gross output (``GO``, million USD,
  kind ``industry``) and the five final-demand categories (kind ``final_demand``, no year).

Deliberate mappings (reported as :class:`CodeMapping`, with the cells affected): WIOD ``ROM``
(Romania) → ROU; ``RoW`` (rest of the world, a modelled region) → econsec aggregate ROW.
Caveats: 2013 release only (not the 2016 release with 56 industries); RoW is modelled; sums of a
row's uses differ from GO by a few tenths of a percent (integer rounding in the package).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from econsec.errors import InputError, SourceNotFoundError, UnknownCodeError
from econsec.sources._countries import codes_to_iso3
from econsec.sources._read import read_csv
from econsec.sources.base import CodeMapping, Parsed, Source, require_files

IO_TABLE = "WIOD2013"
UNIT = "million USD"
LABELS = ("wiod2013_industries.csv", "wiod2013_countries.csv",
          "wiod2013_final_demand_categories.csv")
AGGREGATES = {"RoW": ("ROW", "WIOD rest of the world (modelled region) → econsec aggregate ROW")}
OVERRIDES = {"ROM": ("ROU", "WIOD code ROM is Romania (ISO3 ROU)")}


class Labels:
    """WIOD country, industry and final-demand labels, read from the three label files."""

    def __init__(self, files: dict[str, Path]) -> None:
        ind = read_csv(files[LABELS[0]], {"industry": "str", "nace_rev1_code": "str",
                                          "industry_name": "str"})
        cty = read_csv(files[LABELS[1]], {"country": "str", "iso3": "str", "country_name": "str"})
        fd = read_csv(files[LABELS[2]], {"fd_code": "str", "wiod_column": "str", "fd_name": "str"})
        iso, _ = codes_to_iso3(cty["country"], files[LABELS[1]], "country",
                               overrides={k: v for k, (v, _n) in OVERRIDES.items()},
                               aggregates={k: v for k, (v, _n) in AGGREGATES.items()})
        clash = (cty["iso3"] != "") & (cty["iso3"] != iso)
        if clash.any():
            i = int(np.flatnonzero(clash.to_numpy())[0])
            raise InputError(files[LABELS[1]], f"the ISO3 code of WIOD country {cty['country'].iloc[i]}"
                             f" ({iso.iloc[i]})", row=i + 2, field="iso3", got=cty["iso3"].iloc[i])
        self.codes = pd.Index(cty["country"])  # WIOD country codes (ROM, RoW, ...)
        self.iso3 = pa.array(iso.to_numpy(dtype=object), pa.string())
        self.industries = pd.Index(ind["industry"])
        self.industry_names = ind["industry_name"] + " (NACE rev.1 " + ind["nace_rev1_code"] + ")"
        self.sectors = pd.Index(pd.concat([ind["industry"], fd["fd_code"]], ignore_index=True))
        self.fd = fd


def _index(values: pd.Series | pd.Index, known: pd.Index, path: Path, field: str, expected: str,
           *, columns: Sequence[str] | None = None) -> np.ndarray:
    """Positions of ``values`` in ``known`` (small ints); the first unknown value raises.

    Values come from a column (``field``; the error names the row) or from the column names
    ``columns`` (the error names the offending column).
    """
    pos = known.get_indexer(values)
    bad = np.flatnonzero(pos < 0)
    if bad.size:
        i = int(bad[0])
        if columns is None:
            raise UnknownCodeError(path, expected, row=i + 1, field=field, got=values[i])
        raise UnknownCodeError(path, expected, field=columns[i], got=values[i])
    return pos.astype(np.int8 if len(known) < 128 else np.int16)


def read_year(path: Path, labels: Labels) -> tuple[dict[str, np.ndarray], pd.DataFrame, int]:
    """One ``wiot_YYYY.parquet`` → (non-zero cells as index arrays, sector rows, year).

    Row numbers in errors count data records from 1 (Parquet has no header line).
    """
    try:
        tbl = pq.read_table(path)
    except Exception as e:  # pyarrow raises several types for damaged files
        raise InputError(path, "a valid Parquet file", got=f"{type(e).__name__}: {e}") from e
    names = tbl.column_names
    for col in ("year", "country", "industry", "GO"):
        if col not in names:
            raise InputError(path, "columns year, country, industry, <CTY>_<sector>…, GO",
                             field=col, got=f"columns {names[:6]}…")
    if tbl.num_rows == 0:
        raise InputError(path, "1,435 country-industry rows", got="no rows")
    value_cols = [c for c in names if c not in ("year", "country", "industry", "GO")]
    split = pd.Series(value_cols, dtype=object).str.split("_", n=1, expand=True)
    if split.shape[1] < 2 or split[1].isna().any():
        bad = value_cols[int(np.flatnonzero(split.reindex(columns=[0, 1])[1].isna())[0])]
        raise InputError(path, "a column named <country>_<sector>", field=bad, got=bad)
    col_cty = _index(pd.Index(split[0]), labels.codes, path, "", "a WIOD country code in the "
                     "column name <country>_<sector>", columns=value_cols)
    col_sec = _index(pd.Index(split[1]), labels.sectors, path, "", "a WIOD industry c1…c35 or "
                     "final-demand code in the column name <country>_<sector>", columns=value_cols)
    for f in tbl.select([*value_cols, "GO", "year"]).schema:
        if not (pa.types.is_floating(f.type) or pa.types.is_integer(f.type)):
            raise InputError(path, "a numeric column (million USD)", field=f.name, got=str(f.type))
    years = tbl.column("year").to_numpy()
    if (years != years[0]).any():
        i = int(np.flatnonzero(years != years[0])[0])
        raise InputError(path, f"one year per file ({years[0]})", row=i + 1, field="year", got=years[i])
    meta = tbl.select(["country", "industry"]).to_pandas()
    row_cty = _index(meta["country"], labels.codes, path, "country", "a WIOD country code")
    row_ind = _index(meta["industry"], labels.industries, path, "industry",
                     "a WIOD industry code c1…c35")
    block = np.column_stack([tbl.column(c).to_numpy(zero_copy_only=False) for c in value_cols])
    block = block.astype(np.float64, copy=False)
    go = tbl.column("GO").to_numpy(zero_copy_only=False).astype(np.float64)
    nan = np.isnan(block)
    if nan.any() or np.isnan(go).any():
        r, c = (np.argwhere(nan)[0] if nan.any() else (int(np.flatnonzero(np.isnan(go))[0]), -1))
        raise InputError(path, "a number (million USD), not a missing value", row=int(r) + 1,
                         field=value_cols[c] if c >= 0 else "GO", got="missing")
    r, c = np.nonzero(block)
    cells = {"row_country": row_cty[r], "row_sector": row_ind[r], "col_country": col_cty[c],
             "col_sector": col_sec[c], "value": block[r, c]}
    year = int(years[0])
    sectors = pd.DataFrame({"io_table": IO_TABLE, "year": year,
                            "country": labels.iso3.to_numpy(zero_copy_only=False)[row_cty],
                            "sector": meta["industry"].to_numpy(dtype=object),
                            "kind": "industry",
                            "name": labels.industry_names.to_numpy()[row_ind],
                            "gross_output": go, "unit": UNIT})
    return cells, sectors, year


def _dict(idx: np.ndarray, dictionary: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(idx), dictionary)


def _const(value: str, n: int) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array([value]))


class Wiod2013(Source):
    name = "wiod2013"
    title = "WIOD 2013 release world input-output tables, 1995–2011"
    producer = "WIOD consortium (Timmer et al. 2015), via R package wiod (bquast)"
    licence = "WIOD: free use with citation; R package wiod GPL-3"
    url = "https://github.com/bquast/wiod/tree/59a28ac22fbd7751ea84c0f33722b5246b0af46d/data"
    patterns = ("io/wiod_2013/wiot_*.parquet", *(f"io/wiod_2013/{n}" for n in LABELS))

    def parse(self, paths: Sequence[Path]) -> Parsed:
        """Read the yearly tables and the labels (see the module docstring)."""
        paths = [Path(p) for p in paths]
        lab = require_files(self, paths, *LABELS)
        labels = Labels(lab)
        years = sorted(p for p in paths if re.fullmatch(r"wiot_\d{4}\.parquet", p.name))
        if not years:
            raise SourceNotFoundError(f"source {self.name!r}: no wiot_YYYY.parquet among "
                                      f"{[p.name for p in paths]}")
        parts: list[dict[str, np.ndarray]] = []
        sectors, year_of, seen, rows_read = [], [], [], {}
        for p in years:
            cells, sec, year = read_year(p, labels)
            parts.append(cells)
            sectors.append(sec)
            year_of.append(np.full(len(cells["value"]), year, np.int16))
            seen.append(year)
            rows_read[str(p)] = len(sec)
        cat = {k: np.concatenate([c[k] for c in parts]) for k in parts[0]}
        n = len(cat["value"])
        sector_dict = pa.array(labels.sectors.to_numpy(dtype=object), pa.string())
        flows = pa.table({
            "io_table": _const(IO_TABLE, n), "year": pa.array(np.concatenate(year_of)),
            "row_country": _dict(cat["row_country"], labels.iso3),
            "row_sector": _dict(cat["row_sector"], sector_dict),
            "col_country": _dict(cat["col_country"], labels.iso3),
            "col_sector": _dict(cat["col_sector"], sector_dict),
            "value": pa.array(cat["value"]), "unit": _const(UNIT, n)})
        fd = pd.DataFrame({"io_table": IO_TABLE, "year": None, "country": None,
                           "sector": labels.fd["fd_code"], "kind": "final_demand",
                           "name": labels.fd["fd_name"] + " (WIOD " + labels.fd["wiod_column"] + ")",
                           "gross_output": np.nan, "unit": None})
        io_sectors = pd.concat([*sectors, fd], ignore_index=True)
        io_sectors["year"] = io_sectors["year"].astype("Int32")
        notes = []
        for field in ("row_country", "col_country"):
            counts = np.bincount(cat[field], minlength=len(labels.codes))
            for code, (to, why) in (OVERRIDES | AGGREGATES).items():
                if code in labels.codes:
                    notes.append(CodeMapping(field, code, to, int(counts[labels.codes.get_loc(code)]),
                                             why))
        rows_read |= {str(lab[LABELS[0]]): len(labels.industries),
                      str(lab[LABELS[1]]): len(labels.codes), str(lab[LABELS[2]]): len(labels.fd)}
        span = f"{min(seen)}–{max(seen)}" if len(seen) > 1 else str(seen[0])
        return Parsed(tables={"io_flows": flows, "io_sectors": io_sectors},
                      vintage=f"WIOD 2013 release, {len(years)} year(s) {span}, via R wiod @ 59a28ac",
                      rows_read=rows_read, mappings=tuple(notes))

    def fetch(self, dest: Path) -> list[Path]:
        """Not automated: the tables come as .RData without labels, see the message."""
        raise SourceNotFoundError(
            "WIOD 2013: download data/wiot_YYYY.RData from github.com/bquast/wiod (commit 59a28ac) "
            "and convert them with scripts/wiod2013_rdata_to_parquet.py of the econsec shared data "
            f"(it assigns the WIOD row and column labels); put the Parquet files in {dest}")
