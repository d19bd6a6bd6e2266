"""Critical minerals: the USGS 2022 list, and mine production and reserves (EI 2024 edition).

:class:`UsgsCriticalMinerals`
    The 50 minerals of the U.S. Geological Survey's 2022 final list of critical minerals
    (Federal Register doc. 2022-04027, 24 February 2022), as the CSV
    ``usgs_2022_final_list_critical_minerals.csv`` (mineral, group, list, source). The file is a
    transcription of the Federal Register abstract, not a file published by USGS. Rare-earth
    elements and platinum-group metals are listed individually and flagged in ``group``
    (``rare_earth_element`` / ``platinum_group_metal``). → ``mineral_lists`` (``grp`` = group,
    ``note`` = the source citation). A list whose name states its size, "… (50)", must have
    exactly that many distinct minerals.

:class:`EiMinerals`
    Mine production by country (cobalt, lithium, natural graphite, rare earths: 1995–2023;
    copper, nickel, manganese, platinum-group metals: 2013–2023) and reserves at the end of 2023,
    from the "<mineral> P-R" sheets of the Energy Institute Statistical Review 2024 edition.
    The catalogued input (what :meth:`~EiMinerals.discover` finds) is the **derived tidy file**
    ``critical_minerals_production_reserves_2024ed.tidy.csv`` (mineral, country, year, measure,
    value, unit), made from that workbook by the data catalog's ``scripts/parse_minerals.py``;
    this adapter parses that file. Given the Review's "all data" workbook instead (what
    :meth:`~Source.fetch` downloads), it reads the P-R sheets directly, with the same result
    (checked in the tests). → ``commodity_series``: ``commodity`` = mineral in snake case
    (``rare_earth_metals``, ``platinum_group_metals`` …), ``measure`` = ``mine_production`` or
    ``reserves`` (year 2023 = end of 2023), ``edition`` = "EI 2024". Countries get ISO3 codes
    (``US``/``United States`` → USA, ``DR Congo``/``Democratic Republic of Congo`` → COD);
    "Rest of World" (kind ``other_group``; for reserves, the sum of *recorded* reserves only) and
    "Total World" (kind ``total``) keep a NULL code and are reported as :class:`CodeMapping`.

    Units are thousand tonnes, made explicit per mineral: lithium in thousand tonnes of lithium
    content, rare earths in thousand tonnes of rare-earth-oxide equivalent (the workbook's
    footnote 1). **Platinum-group metals are corrected to tonnes**: the workbook labels them
    "Thousand tonnes", but its values (South Africa 191, world 381.5 in 2023; world reserves
    71,630) match USGS figures in tonnes of platinum + palladium; the correction is reported as a
    :class:`CodeMapping`. Footnote lines that the derivation script read as countries ("Rest of
    World is the sum of only recorded reserves", "*Platinum and Palladium") carry no values; they
    are skipped and reported. In the workbook, ``-`` is read as 0 and ``^`` (less than 0.05) as a
    missing value, as in :mod:`econsec.sources.ei_review`.

    Caveat (data catalog): **DR Congo cobalt 2023 = 139.8 kt looks low against USGS estimates**;
    check before relying on cobalt shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError
from econsec.sources._read import open_workbook, read_csv
from econsec.sources.base import CodeMapping, Parsed, Source, require_files
from econsec.sources.ei_review import (
    OVERRIDES,
    cell_values,
    clean_names,
    frame,
    label_rows,
    map_names,
)

GROUPS = frozenset({"", "rare_earth_element", "platinum_group_metal"})
EI_FILE = "critical_minerals_production_reserves_2024ed.tidy.csv"
#: printed unit -> econsec unit, by mineral (None: any mineral)
UNITS = {
    (None, "Thousand tonnes"): "thousand tonnes",
    ("Lithium", "Thousand tonnes of Lithium content"): "thousand tonnes (lithium content)",
    ("Rare Earth metals", "Thousand tonnes1"): "thousand tonnes (rare-earth oxide equivalent)",
    ("Platinum Group Metals", "Thousand tonnes"): "tonnes",
}
PGM_NOTE = ("EI labels platinum-group metals 'Thousand tonnes' but the values are tonnes of "
            "platinum + palladium (South Africa 191 in 2023, world reserves 71,630; cf. USGS)")
FOOTNOTE = r"^\*|\bis the sum of\b"


class UsgsCriticalMinerals(Source):
    name = "usgs_minerals"
    title = "USGS 2022 final list of critical minerals"
    producer = "U.S. Geological Survey (Federal Register doc. 2022-04027)"
    licence = "Public domain (U.S. Government work)"
    url = "https://www.federalregister.gov/d/2022-04027"
    patterns = ("minerals/usgs_critical_minerals_2022/*.csv",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        frames, rows_read = [], {}
        for p in map(Path, paths):
            df = read_csv(p, {"mineral": "str", "group": "str", "list": "str", "source": "str"},
                          encoding="utf-8-sig")
            mineral = df["mineral"].str.strip().str.lower()
            for field, bad, expected in (
                    ("mineral", mineral == "", "a mineral name"),
                    ("list", df["list"].str.strip() == "", "the name of the list"),
                    ("group", ~df["group"].str.strip().isin(GROUPS), f"a group in {sorted(GROUPS)}"),
                    ("mineral", (mineral + "\0" + df["list"]).duplicated(), "each mineral once per list")):
                hit = np.flatnonzero(bad.to_numpy())
                if hit.size:
                    raise InputError(p, expected, row=int(hit[0]) + 2, field=field,
                                     got=df[field].iloc[hit[0]])
            size = df["list"].str.extract(r"\((\d+)\)\s*$")[0].astype("Float64")
            count = df.groupby("list")["mineral"].transform("size")
            off = np.flatnonzero((size.notna() & (size != count)).to_numpy())
            if off.size:
                raise InputError(p, f"{int(size.iloc[off[0]])} minerals, as the list name states",
                                 field="list", got=f"{int(count.iloc[off[0]])} minerals")
            frames.append(pd.DataFrame({"list": df["list"].str.strip(), "mineral": mineral,
                                        "grp": df["group"].str.strip().replace("", pd.NA),
                                        "note": df["source"].str.strip()}))
            rows_read[str(p)] = len(df)
        out = pd.concat(frames, ignore_index=True)
        return Parsed(tables={"mineral_lists": out},
                      vintage="; ".join(sorted(out["list"].unique())), rows_read=rows_read)


def econsec_unit(mineral: pd.Series, printed: pd.Series) -> pd.Series:
    """econsec unit for each (mineral, printed unit) per UNITS; NA where the unit is unknown."""
    key = mineral + "\0" + printed.str.strip()
    table = {f"{m}\0{u}": v for (m, u), v in UNITS.items() if m}
    anyone = {u: v for (m, u), v in UNITS.items() if m is None}
    return key.map(table).fillna(printed.str.strip().map(anyone))


def _unit_notes(df: pd.DataFrame) -> list[CodeMapping]:
    pgm = (df["mineral"] == "Platinum Group Metals") & (df["unit"] == "tonnes")
    return ([CodeMapping("unit", "Platinum Group Metals: Thousand tonnes", "tonnes",
                         int(pgm.sum()), PGM_NOTE)] if pgm.any() else [])


def from_tidy(path: Path) -> tuple[pd.DataFrame, int, list[CodeMapping]]:
    """The tidy extract → (frame in the EI layout below, records read, footnote notes).

    Columns: mineral (as printed), country_name, country, country_kind, year, measure, value,
    unit (econsec). Errors name the CSV line.
    """
    df = read_csv(path, {"mineral": "str", "country": "str", "year": "int", "measure": "str",
                         "value": "float", "unit": "str"}, encoding="utf-8-sig")
    df["country"] = df["country"].str.strip()
    foot = df["country"].str.contains(FOOTNOTE, regex=True)
    filled = np.flatnonzero((foot & df["value"].notna()).to_numpy())
    if filled.size:
        raise InputError(path, "no values on a footnote line", row=int(filled[0]) + 2,
                         field="value", got=df["value"].iloc[filled[0]])
    notes = [CodeMapping("country", str(c), None, int(n),
                         "footnote line read as a country by the derivation script; no values; skipped")
             for c, n in df.loc[foot, "country"].value_counts().sort_index().items()]
    m = df["measure"].str.extract(r"^(mine_production)$|^reserves_end_(\d{4})$")
    bad = np.flatnonzero((m[0].isna() & m[1].isna()).to_numpy())
    if bad.size:
        raise InputError(path, "measure 'mine_production' or 'reserves_end_YYYY'",
                         row=int(bad[0]) + 2, field="measure", got=df["measure"].iloc[bad[0]])
    off = np.flatnonzero((m[1].notna() & (m[1].astype("Float64") != df["year"])).fillna(False).to_numpy())
    if off.size:
        raise InputError(path, "year = the year in 'reserves_end_YYYY'", row=int(off[0]) + 2,
                         field="year", got=df["year"].iloc[off[0]])
    unit = econsec_unit(df["mineral"], df["unit"])
    bad = np.flatnonzero(unit.isna().to_numpy())
    if bad.size:
        raise InputError(path, f"a unit in {sorted({u for _, u in UNITS})}", row=int(bad[0]) + 2,
                         field="unit", got=df["unit"].iloc[bad[0]])
    iso, kind = map_names(df["country"].where(~foot), path, None, "country", header_lines=1)
    out = pd.DataFrame({"mineral": df["mineral"].str.strip(), "country_name": df["country"],
                        "country": iso, "country_kind": kind, "year": df["year"].astype("int32"),
                        "measure": np.where(m[0].notna(), "mine_production", "reserves"),
                        "value": df["value"].astype("float64"), "unit": unit})
    return out[~foot.to_numpy()], len(df), notes


def read_pr_sheet(df: pd.DataFrame, path: Path, sheet: str) -> tuple[pd.DataFrame, int, int]:
    """One "<mineral> P-R" sheet of the workbook → (frame as in :func:`from_tidy`, rows, year).

    Row 3 holds the unit, the years of mine production (repeats of the last year are growth and
    share columns) and "At end of YYYY" over the reserves column.
    """
    text = df.map(lambda v: v.strip() if isinstance(v, str) else "")
    at_end = text.stack().str.fullmatch(r"At end of \d{4}")
    if not at_end.any():
        raise InputError(path, "a header cell 'At end of YYYY' over the reserves", sheet=sheet)
    hr, rcol = at_end[at_end].index[0]
    res_year = int(df.at[hr, rcol][-4:])
    mineral = sheet[: -len(" P-R")]
    printed = str(df.at[hr, 0]).strip()
    unit = econsec_unit(pd.Series([mineral]), pd.Series([printed])).iloc[0]
    if pd.isna(unit):
        raise InputError(path, f"a unit in {sorted({u for _, u in UNITS})}", sheet=sheet, row=hr,
                         field="A", got=printed)
    head = df.loc[hr, 1:rcol - 1]
    yr = head[head.map(lambda v: isinstance(v, int) and 1900 < v < 2100)]
    yr = yr[~yr.duplicated()].astype(int)
    cols = [*yr.index, rcol]
    body = df.loc[label_rows(df, pd.Index(cols), hr + 1), [0, *cols]]
    names = clean_names(body[0]).str.replace(r"(?<=[a-z])\d+$", "", regex=True)  # 'Rest of World2'
    long = body.drop(columns=0).melt(var_name="col", value_name="raw", ignore_index=False)
    long["sheet_row"] = long.index
    long["year"] = long["col"].map(yr).fillna(res_year).astype("int32").to_numpy()
    value, keep = cell_values(long["raw"], path, sheet, long["sheet_row"], long["year"], nil=0.0)
    all_names = pd.Series(pd.NA, index=df.index, dtype="string")
    all_names.loc[body.index] = names
    iso, kind = map_names(all_names, path, sheet, "A (country)")
    rows = long["sheet_row"]
    out = pd.DataFrame({"mineral": mineral, "country_name": all_names.loc[rows].to_numpy(),
                        "country": iso.loc[rows].to_numpy(), "country_kind": kind.loc[rows].to_numpy(),
                        "year": long["year"].to_numpy(),
                        "measure": np.where(long["col"] == rcol, "reserves", "mine_production"),
                        "value": value.to_numpy(), "unit": unit})
    return out[keep.to_numpy()], len(body), res_year


def from_workbook(path: Path) -> tuple[pd.DataFrame, int, int]:
    """Every "<mineral> P-R" sheet of a Statistical Review workbook → (frame, rows read, year)."""
    wb = open_workbook(path)
    try:
        names = [s for s in wb.sheetnames if s.endswith(" P-R")]
        if not names:
            raise InputError(path, "sheets named '<mineral> P-R' (e.g. 'Cobalt P-R')",
                             sheet="Cobalt P-R", got=f"sheets {wb.sheetnames[:12]}…")
        parts = [read_pr_sheet(frame(wb, path, s), path, s) for s in names]
    finally:
        wb.close()
    return (pd.concat([p[0] for p in parts], ignore_index=True), sum(p[1] for p in parts),
            max(p[2] for p in parts))


class EiMinerals(Source):
    name = "ei_minerals"
    title = "Critical minerals: mine production and reserves (EI Statistical Review 2024)"
    producer = "Energy Institute (from USGS, BGS, World Mining Data)"
    licence = "© Energy Institute; free use with attribution per the Review's terms"
    url = ("https://www.energyinst.org/__data/assets/excel_doc/0020/1540550/"
           "EI-Stats-Review-All-Data.xlsx")
    patterns = (f"minerals/ei_minerals_production_reserves_2024ed/{EI_FILE}",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        paths = [Path(p) for p in paths]
        books = [p for p in paths if p.suffix.lower() == ".xlsx"]
        if books and not any(p.name == EI_FILE for p in paths):
            path = books[0]
            df, n, year = from_workbook(path)
            notes: list[CodeMapping] = []
            edition, how = year + 1, f"workbook {path.name}"
        else:
            path = require_files(self, paths, EI_FILE)[EI_FILE]
            df, n, notes = from_tidy(path)
            edition, how = 2024, EI_FILE
        out = df.assign(commodity=df["mineral"].str.lower().str.replace(r"\W+", "_", regex=True),
                        edition=f"EI {edition}").drop(columns="mineral")
        counted = out[(out["country_kind"] != "country") | out["country_name"].isin(list(OVERRIDES))]
        notes += [CodeMapping("country", str(nm), None if pd.isna(c) else str(c), int(k),
                              f"{kd}: kept with NULL code" if pd.isna(c) else "source spelling mapped on purpose")
                  for (nm, c, kd), k in counted.groupby(["country_name", "country", "country_kind"],
                                                        dropna=False).size().items()]
        return Parsed(tables={"commodity_series": out.reset_index(drop=True)},
                      vintage=f"EI Statistical Review {edition} edition, via {how}",
                      rows_read={str(path): n}, mappings=tuple(notes + _unit_notes(df)))
