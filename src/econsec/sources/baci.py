"""CEPII BACI: reconciled bilateral trade at HS 6-digit (Gaulier & Zignago 2010).

Published format: one CSV per year and HS revision, ``BACI_HS17_Y2020_V202301.csv``, columns
``t`` (year), ``i`` (exporter), ``j`` (importer), ``k`` (HS6 product), ``v`` (value, thousand USD,
FOB), ``q`` (quantity, metric tonnes, may be NA), with ``country_codes_V202301.csv`` beside it.

Country codes: BACI uses UN numeric codes with its own exceptions; econsec maps them through the
release's own country table. On purpose: **490 "Other Asia, nes" → TWN** (BACI's Taiwan), 697
"Europe EFTA, nes" → XEF, 849 "US Misc. Pacific Isds" → UMI. Each is reported at ingest.

The reader is vectorised and streamed end to end (pyarrow CSV batches → dictionary-encoded
columns → DuckDB, which consumes the stream), so memory stays bounded by a few batches whatever
the file size; ``benchmarks/ingest`` measures rows/s and peak memory on a full-size year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from econsec import reference
from econsec.errors import InputError, UnknownCodeError
from econsec.sources._read import Kind, diagnose_csv, first_line, read_csv
from econsec.sources.base import CodeMapping, Frame, Parsed, Source

HS_REVISIONS = {"92": "HS1992", "96": "HS1996", "02": "HS2002", "07": "HS2007", "12": "HS2012",
                "17": "HS2017", "22": "HS2022"}
#: BACI codes without an ISO3 in the release's table, mapped on purpose.
SPECIAL_CODES = {
    "490": ("TWN", "BACI 'Other Asia, nes' is Taiwan (CEPII BACI documentation)"),
    "697": ("XEF", "'Europe EFTA, nes': kept as econsec aggregate XEF"),
    "849": ("UMI", "'US Misc. Pacific Isds' mapped to ISO UMI (U.S. Minor Outlying Islands)"),
}
SCHEMA: dict[str, Kind] = {"t": "int", "i": "int", "j": "int", "k": "str", "v": "float", "q": "str"}
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


OUT_SCHEMA = pa.schema([
    ("exporter", pa.dictionary(pa.int32(), pa.string())),
    ("importer", pa.dictionary(pa.int32(), pa.string())),
    ("flow", pa.dictionary(pa.int8(), pa.string())),
    ("year", pa.int32()),
    ("classification", pa.dictionary(pa.int8(), pa.string())),
    ("product", pa.string()),
    ("value_usd", pa.float64()),
    ("value", pa.float64()),
    ("currency", pa.dictionary(pa.int8(), pa.string())),
    ("quantity", pa.float64()),
    ("unit", pa.dictionary(pa.int8(), pa.string())),
    ("basis", pa.dictionary(pa.int8(), pa.string())),
])


def check_header(path: Path) -> None:
    """Fail early, with the line, on an empty file or a header other than t,i,j,k,v,q."""
    if path.stat().st_size == 0:
        raise InputError(path, "a header row t,i,j,k,v,q", row=1, got="empty file")
    header = [h.strip().strip('"') for h in first_line(path).strip().split(",")]
    if header != list(SCHEMA):
        raise InputError(path, "header t,i,j,k,v,q", row=1, got=",".join(header))


def _line_chunks(path: Path, size: int) -> Iterator[bytes]:
    """The file in pieces of about ``size`` bytes cut at line ends, each led by the header line."""
    with path.open("rb") as fh:
        header, rest = fh.readline(), b""
        while data := fh.read(size):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if cut:
                yield header + data[:cut]
        if rest.strip():
            yield header + rest


def read_baci_batches(path: Path, chunk_bytes: int = 1 << 25) -> Iterator[pa.RecordBatch]:
    """Stream one BACI year file as typed record batches, ~32 MiB of text at a time.

    Each piece is parsed by pyarrow's multi-threaded CSV reader, so memory stays bounded by a
    few pieces whatever the file size (pyarrow's own streaming reader reads far ahead). ``q`` is
    read as text because BACI pads it with spaces and writes ``NA``; a bad cell anywhere is
    reported by :func:`diagnose_csv` with its line number.
    """
    opts = pacsv.ConvertOptions(column_types=TYPES, null_values=["NA", ""], strings_can_be_null=True)
    try:
        for piece in _line_chunks(path, chunk_bytes):
            tbl = pacsv.read_csv(pa.py_buffer(piece), convert_options=opts)
            q = pc.utf8_trim_whitespace(tbl["q"])
            q = pc.cast(pc.if_else(pc.equal(q, "NA"), pa.scalar(None, pa.string()), q), pa.float64())
            tbl = tbl.set_column(5, "q", q).combine_chunks()
            yield from tbl.to_batches()
    except pa.ArrowInvalid as e:
        diagnose_csv(path, SCHEMA | {"q": "float"}, required=("t", "i", "j", "k", "v"))
        raise InputError(path, "BACI rows t,i,j,k,v,q with numeric t, i, j, v, q", got=str(e)) from e


def read_baci_csv(path: Path) -> pa.Table:
    """Read a whole BACI year file into one typed table (see :func:`read_baci_batches`)."""
    check_header(path)
    return pa.Table.from_batches(list(read_baci_batches(path)))


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


class CodeIndex:
    """Vectorised BACI code → ISO3 lookup, counting the rows that needed the ISO fallback."""

    def __init__(self, table: pd.DataFrame, codes_file: str) -> None:
        self.table = table
        self.codes_file = codes_file
        self.keys = pa.array(table["code"].astype(int).to_numpy(), pa.int32())
        # Several codes may share an ISO3 (Italy 380 and 381): index into the distinct ISO3s.
        factor, uniques = pd.factorize(table["iso3"])
        self.to_unique = pa.array(factor.astype(np.int32))
        self.dictionary = pa.array(np.asarray(uniques, dtype=object), pa.string())
        fb = np.flatnonzero(table["fallback"].to_numpy())
        self.fallback = pa.array(fb.astype(np.int32))
        self.fallback_rows: dict[tuple[str, str, int], int] = {}

    def lookup(self, codes: pa.Array, path: Path, field: str, offset: int) -> pa.DictionaryArray:
        idx = pc.index_in(codes, value_set=self.keys)
        if idx.null_count:
            first = int(pc.index(pc.is_null(idx), True).as_py())
            raise UnknownCodeError(path, "a country code listed in the BACI country_codes file",
                                   row=offset + first + 2, field=field, got=codes[first].as_py())
        used_fb = pc.filter(idx, pc.is_in(idx, value_set=self.fallback))
        if len(used_fb):
            for c in pc.value_counts(used_fb).to_pylist():
                key = (path.name, field, int(c["values"]))
                self.fallback_rows[key] = self.fallback_rows.get(key, 0) + int(c["counts"])
        return pa.DictionaryArray.from_arrays(pc.take(self.to_unique, idx), self.dictionary)

    def notes(self) -> list[CodeMapping]:
        out = []
        for (fname, fld, i), n in sorted(self.fallback_rows.items()):
            row = self.table.iloc[i]
            out.append(CodeMapping(fld, row["code"], row["iso3"], n,
                                   f"{fname}: code absent from {self.codes_file}; mapped as ISO 3166 numeric"))
        return out


def _const(value: str | None, n: int) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array([value], pa.string()))


#: Columns every BACI row gets as constants (shared with the Spark engine, econsec.lake).
CONSTANTS = {"flow": "reconciled", "currency": "thousand USD", "unit": "t",
             "basis": "FOB, reconciled mirror flows (BACI)"}
#: ``v`` is in thousand USD; ``value_usd = v * VALUE_SCALE``.
VALUE_SCALE = 1000.0


def _convert(t: pa.RecordBatch, index: CodeIndex, path: Path, hs: str, offset: int) -> pa.RecordBatch:
    n = t.num_rows
    return pa.RecordBatch.from_arrays([
        index.lookup(t.column("i"), path, "i", offset),
        index.lookup(t.column("j"), path, "j", offset),
        _const(CONSTANTS["flow"], n),
        pc.cast(t.column("t"), pa.int32()),
        _const(hs, n),
        pc.utf8_lpad(t.column("k"), 6, "0"),
        pc.multiply(t.column("v"), VALUE_SCALE),
        t.column("v"),
        _const(CONSTANTS["currency"], n),
        t.column("q"),
        _const(CONSTANTS["unit"], n),
        _const(CONSTANTS["basis"], n),
    ], schema=OUT_SCHEMA)


def convert_file(path: Path, index: CodeIndex, hs: str) -> Iterator[pa.RecordBatch]:
    """One year file as ``OUT_SCHEMA`` batches; bad cells and unknown codes raise with the row."""
    offset = 0
    for batch in read_baci_batches(path):
        yield _convert(batch, index, path, hs, offset)
        offset += batch.num_rows


def split_files(paths: Sequence[Path]) -> tuple[Path, list[tuple[Path, str]], str]:
    """Sort a BACI file set into (country-code table, [(year file, HS revision)], vintage).

    Checks every year file's name (it must name the HS revision) and header. The code table is
    the one given, else the ``country_codes*.csv`` beside the year files (as BACI ships it).
    """
    paths = [Path(p) for p in paths]
    codes_files = [p for p in paths if _is_codes(p)]
    data_files = [p for p in paths if not _is_codes(p)]
    if not codes_files:  # a user gave only year files: BACI ships the table beside them
        codes_files = sorted(p for d in {f.parent for f in data_files}
                             for p in d.glob("country_codes*.csv"))
    if not codes_files:
        raise InputError(data_files[0] if data_files else "BACI",
                         "a BACI country_codes_*.csv beside the data files")
    plan, versions = [], set()
    for f in data_files:
        m = re.search(r"hs(\d\d)", f.name, re.I)
        if not m or m.group(1) not in HS_REVISIONS:
            raise InputError(f, "a BACI file name naming the HS revision, e.g. BACI_HS17_Y2020_V202301.csv",
                             got=f.name)
        v = re.search(r"V(\d{6})", f.name)
        versions.add(f"V{v.group(1)}" if v else "version not in file name")
        check_header(f)
        plan.append((f, HS_REVISIONS[m.group(1)]))
    vintage = "BACI " + ", ".join(sorted(versions)) + f"; country codes {codes_files[0].parent.name}"
    return codes_files[0], plan, vintage


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
        codes_file, plan, vintage = split_files(paths)
        codes, notes = parse_country_codes(codes_file)
        index = CodeIndex(with_iso_fallback(codes), codes_file.name)
        rows_read: dict[str, int] = {str(codes_file): len(codes)}
        mappings: list[CodeMapping] = list(notes)

        def stream() -> Iterator[pa.RecordBatch]:
            for f, hs in plan:
                rows_read[str(f)] = 0
                for batch in convert_file(f, index, hs):
                    rows_read[str(f)] += batch.num_rows
                    yield batch
            mappings.extend(index.notes())

        tables: dict[str, Frame] = {"country_codes": codes}
        if plan:
            tables["trade_flows"] = pa.RecordBatchReader.from_batches(OUT_SCHEMA, stream())
        return Parsed(tables=tables, vintage=vintage, rows_read=rows_read, mappings=mappings)


def _is_codes(p: Path) -> bool:
    return p.name.startswith("country_codes")
