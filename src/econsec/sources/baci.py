"""CEPII BACI: reconciled bilateral trade at HS 6-digit (Gaulier & Zignago 2010).

Published format: one CSV per year and HS revision, ``BACI_HS17_Y2020_V202301.csv``, columns
``t`` (year), ``i`` (exporter), ``j`` (importer), ``k`` (HS6 product), ``v`` (value, thousand USD,
FOB), ``q`` (quantity, metric tonnes, may be NA), with ``country_codes_V202301.csv`` beside it.

Country codes: BACI uses UN numeric codes with its own exceptions; econsec maps them through the
release's own country table. On purpose: **490 "Other Asia, nes" → TWN** (BACI's Taiwan), 697
"Europe EFTA, nes" → XEF, 849 "US Misc. Pacific Isds" → UMI. Each is reported at ingest.

The reader is vectorised end to end (pyarrow CSV → dictionary-encoded columns → DuckDB), so a
full BACI year (~11 M rows) loads at over a million rows per second; see ``benchmarks/ingest``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from econsec import reference
from econsec.errors import InputError, UnknownCodeError
from econsec.sources._read import diagnose_csv, read_csv
from econsec.sources.base import CodeMapping, Parsed, Source

HS_REVISIONS = {"92": "HS1992", "96": "HS1996", "02": "HS2002", "07": "HS2007", "12": "HS2012",
                "17": "HS2017", "22": "HS2022"}
#: BACI codes without an ISO3 in the release's table, mapped on purpose.
SPECIAL_CODES = {
    "490": ("TWN", "BACI 'Other Asia, nes' is Taiwan (CEPII BACI documentation)"),
    "697": ("XEF", "'Europe EFTA, nes': kept as econsec aggregate XEF"),
    "849": ("UMI", "'US Misc. Pacific Isds' mapped to ISO UMI (U.S. Minor Outlying Islands)"),
}
SCHEMA = {"t": "int", "i": "int", "j": "int", "k": "str", "v": "float", "q": "str"}
TYPES = {"t": pa.int16(), "i": pa.int32(), "j": pa.int32(), "k": pa.string(), "v": pa.float64(),
         "q": pa.string()}


def parse_country_codes(path: Path) -> tuple[pd.DataFrame, list[CodeMapping]]:
    """BACI ``country_codes_*.csv`` → (code, iso3, name) with the special codes mapped."""
    df = read_csv(path, {"country_code": "str", "country_name_full": "str",
                         "iso_3digit_alpha": "str"}, encoding="utf-8-sig")
    iso = df["iso_3digit_alpha"].where(df["iso_3digit_alpha"].str.fullmatch(r"[A-Z]{3}"))
    notes = []
    for code, (to, why) in SPECIAL_CODES.items():
        hit = df["country_code"] == code
        if hit.any():
            iso = iso.mask(hit, to)
            notes.append(CodeMapping("country_code", code, to, int(hit.sum()), why))
    missing = iso.isna()
    if missing.any():
        i = int(np.flatnonzero(missing.to_numpy())[0])
        raise UnknownCodeError(path, "an ISO3 code in iso_3digit_alpha or a mapped special code",
                               row=i + 2, field="iso_3digit_alpha",
                               got=f"{df['country_code'].iloc[i]} {df['country_name_full'].iloc[i]}")
    out = pd.DataFrame({"scheme": "baci", "code": df["country_code"], "iso3": iso,
                        "name": df["country_name_full"]})
    return out, notes


def read_baci_csv(path: Path) -> pa.Table:
    """Read one BACI year file with typed columns; a bad cell raises InputError with its row."""
    try:
        if path.stat().st_size == 0:
            raise InputError(path, "a header row t,i,j,k,v,q", row=1, got="empty file")
        header = [h.strip().strip('"') for h in
                  path.open("r", encoding="utf-8-sig").readline().strip().split(",")]
        if header != list(SCHEMA):
            raise InputError(path, "header t,i,j,k,v,q", row=1, got=",".join(header))
        tbl = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types=TYPES, null_values=["NA", ""], strings_can_be_null=True))
        q = pc.utf8_trim_whitespace(tbl["q"])
        q = pc.if_else(pc.equal(q, "NA"), pa.scalar(None, pa.string()), q)
        q = pc.cast(q, pa.float64())
    except (pa.ArrowInvalid, ValueError) as e:
        if isinstance(e, InputError):
            raise
        diagnose_csv(path, SCHEMA | {"q": "float"})
        raise InputError(path, "BACI rows t,i,j,k,v,q with numeric t, i, j, v, q", got=str(e)) from e
    return tbl.set_column(tbl.schema.get_field_index("q"), "q", q)


def with_iso_fallback(codes: pd.DataFrame) -> pd.DataFrame:
    """Add ISO 3166 numeric codes absent from the release's table, flagged ``fallback``.

    BACI releases renumber a few countries (Italy is 381 in V202201 and 380 from V202301), so a
    data file may use a code its companion table lacks; UN numeric codes are ISO 3166 numeric.
    """
    ref = reference.countries()
    ref = ref[(ref["iso_numeric"] != "") & (ref["kind"] != "aggregate")]
    num = ref["iso_numeric"].astype(int).astype(str)
    extra = ref.loc[~num.isin(set(codes["code"].astype(int).astype(str)))]
    fb = pd.DataFrame({"code": extra["iso_numeric"].astype(int).astype(str), "iso3": extra["iso3"],
                       "fallback": True})
    return pd.concat([codes.assign(fallback=False)[["code", "iso3", "fallback"]], fb],
                     ignore_index=True)


def _lookup(codes: pa.ChunkedArray, table: pd.DataFrame, path: Path, field: str) -> pa.Array:
    """Map integer BACI codes to a dictionary array of ISO3 (vectorised)."""
    keys = pa.array(table["code"].astype(int).to_numpy(), pa.int32())
    idx = pc.index_in(codes, value_set=keys)
    if idx.null_count:
        first = int(pc.index(pc.is_null(idx), True).as_py())
        raise UnknownCodeError(path, "a country code listed in the BACI country_codes file",
                               row=first + 2, field=field, got=codes[first].as_py())
    dictionary = pa.array(table["iso3"].to_numpy(dtype=object), pa.string())
    return pa.DictionaryArray.from_arrays(pc.cast(idx.combine_chunks(), pa.int32()), dictionary)


def _const(value: str | None, n: int) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array([value], pa.string()))


class Baci(Source):
    name = "baci"
    title = "CEPII BACI reconciled bilateral trade, HS 6-digit"
    producer = "CEPII (Gaulier & Zignago 2010)"
    licence = "Free use with citation after CEPII registration (Etalab open licence 2.0)"
    url = "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS17_V202501.zip"
    patterns = ("trade/baci_samples_afg_zaf/*.csv",
                "classifications/baci_codes_v202201/country_codes.csv")

    def discover(self, data_dir: Path) -> list[Path]:
        files = super().discover(data_dir)
        return files if any(not _is_codes(p) for p in files) else []

    def parse(self, paths: Sequence[Path]) -> Parsed:
        paths = [Path(p) for p in paths]
        codes_files = [p for p in paths if _is_codes(p)]
        data_files = [p for p in paths if not _is_codes(p)]
        if not codes_files:  # a user gave only year files: BACI ships the table beside them
            codes_files = sorted(p for d in {f.parent for f in data_files}
                                 for p in d.glob("country_codes*.csv"))
        if not codes_files:
            raise InputError(data_files[0] if data_files else "BACI",
                             "a BACI country_codes_*.csv beside the data files")
        codes, notes = parse_country_codes(codes_files[0])
        lookup = with_iso_fallback(codes)
        fallback_idx = np.flatnonzero(lookup["fallback"].to_numpy())
        tables, rows_read, versions = [], {}, set()
        for f in data_files:
            m = re.search(r"hs(\d\d)", f.name, re.I)
            if not m or m.group(1) not in HS_REVISIONS:
                raise InputError(f, "a BACI file name naming the HS revision, e.g. BACI_HS17_Y2020_V202301.csv",
                                 got=f.name)
            v = re.search(r"V(\d{6})", f.name)
            versions.add(f"V{v.group(1)}" if v else "version not in file name")
            t = read_baci_csv(f)
            n = t.num_rows
            rows_read[str(f)] = n
            tables.append(pa.table({
                "exporter": (exp := _lookup(t["i"], lookup, f, "i")),
                "importer": (imp := _lookup(t["j"], lookup, f, "j")),
                "flow": _const("reconciled", n),
                "year": pc.cast(t["t"], pa.int32()),
                "classification": _const(HS_REVISIONS[m.group(1)], n),
                "product": pc.utf8_lpad(t["k"], 6, "0"),
                "value_usd": pc.multiply(t["v"], 1000.0),
                "value": t["v"],
                "currency": _const("thousand USD", n),
                "quantity": t["q"],
                "unit": _const("t", n),
                "basis": _const("FOB, reconciled mirror flows (BACI)", n),
            }))
            for fld, arr in (("i", exp), ("j", imp)):
                counts = pc.value_counts(arr.indices).to_pylist()
                for c in counts:
                    if c["values"] in set(fallback_idx):
                        row = lookup.iloc[c["values"]]
                        notes.append(CodeMapping(fld, row["code"], row["iso3"], c["counts"],
                                                 f"{f.name}: code absent from {codes_files[0].name}; "
                                                 "mapped as ISO 3166 numeric"))
        for p in codes_files:
            rows_read[str(p)] = len(codes)
        return Parsed(
            tables={"country_codes": codes}
            | ({"trade_flows": pa.concat_tables(tables)} if tables else {}),
            vintage="BACI " + ", ".join(sorted(versions)) + f"; country codes {codes_files[0].parent.name}",
            rows_read=rows_read, mappings=tuple(notes))


def _is_codes(p: Path) -> bool:
    return p.name.startswith("country_codes")
