"""Readers shared by adapters: CSV, workbooks and Parquet, with errors that name the place.

Every reader turns a failure into :class:`econsec.errors.InputError` naming the file, the row or
sheet, the field and what was expected. Typed columns are checked all at once (vectorised); the
first offending row is reported with its line number in the file (header = line 1).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from econsec.errors import InputError

Kind = Literal["str", "int", "float"]
NA_TOKENS = frozenset({"", "NA", "N/A", "NaN", "nan", "null", "NULL", ".."})


def fail_first(mask: np.ndarray | pd.Series, path: Path, field: str, expected: str,
               values: pd.Series, header_lines: int = 1, *, sheet: str | None = None) -> None:
    """Raise :class:`InputError` at the first True of ``mask`` (missing counts as False).

    The row reported is the position + ``header_lines`` + 1, i.e. the line in the file.
    """
    m = mask.fillna(False) if isinstance(mask, pd.Series) else mask
    bad = np.flatnonzero(np.asarray(m, dtype=bool))
    if bad.size:
        i = int(bad[0])
        raise InputError(path, expected, row=i + 1 + header_lines, field=field, sheet=sheet,
                         got=values.iloc[i])


def require_match(values: pd.Series, pattern: str, path: Path, field: str, expected: str, *,
                  header_lines: int = 1, sheet: str | None = None,
                  got: pd.Series | None = None) -> None:
    """Every value must match ``pattern`` in full (missing values fail): else the first bad row
    raises :class:`InputError` (``got`` = the values to show, default ``values``)."""
    ok = values.astype("string").str.fullmatch(pattern).fillna(False)
    fail_first(~ok, path, field, expected, values if got is None else got, header_lines,
               sheet=sheet)


def coerce(df: pd.DataFrame, schema: Mapping[str, Kind], path: Path, *, header_lines: int = 1,
           thousands: str | None = None, required: bool = True) -> pd.DataFrame:
    """Convert string columns of ``df`` to the kinds in ``schema``, failing on the first bad cell.

    Empty strings and the usual NA tokens become missing values in numeric columns; any other
    value that does not parse as a number is an error. ``required`` columns may not be missing.
    """
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise InputError(path, f"columns {list(schema)}", row=header_lines, field=missing[0],
                         got=f"header {list(df.columns)}")
    out = {}
    for col, kind in schema.items():
        s = df[col]
        if kind == "str":
            out[col] = s
            continue
        txt = s.astype("string").str.strip()
        if thousands:
            txt = txt.str.replace(thousands, "", regex=False)
        is_na = txt.isna() | txt.isin(NA_TOKENS)
        num = pd.to_numeric(txt.where(~is_na), errors="coerce")
        fail_first(num.isna() & ~is_na, path, col, f"a number ({kind})", s, header_lines)
        if kind == "int":
            fail_first(~is_na & (num % 1 != 0), path, col, "a whole number", s, header_lines)
        out[col] = num.astype("Float64" if kind == "float" else "Int64")
    return pd.DataFrame(out, index=df.index)


def read_csv(path: Path, schema: Mapping[str, Kind], *, sep: str = ",", encoding: str = "utf-8",
             skiprows: int = 0, thousands: str | None = None, header: bool = True,
             names: list[str] | None = None) -> pd.DataFrame:
    """Read a delimited text file, check its header and convert the typed columns.

    Returns only the columns in ``schema`` (strings keep their leading zeros).
    """
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise InputError(path, f"a header row with columns {list(schema)}", row=1, got="empty file")
        df = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding=encoding,
                         skiprows=skiprows, header=0 if header else None, names=names,
                         encoding_errors="strict")
    except InputError:
        raise
    except UnicodeDecodeError as e:
        raise InputError(path, f"text in {encoding}", got=str(e)) from e
    except pd.errors.EmptyDataError as e:
        raise InputError(path, f"a header row with columns {list(schema)}", row=1, got="empty file") from e
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:
            raise InputError(path, f"{m.group(1)} fields per row (as in the header)",
                             row=int(m.group(2)), got=f"{m.group(3)} fields") from e
        raise InputError(path, "well-formed delimited text", got=str(e)) from e
    df.columns = [str(c).lstrip("\ufeff").strip() for c in df.columns]
    return coerce(df, schema, path, header_lines=1 + skiprows if header else skiprows,
                  thousands=thousands)


def read_text(path: Path, *, encoding: str = "utf-8") -> str:
    """The whole of a text file; bytes that are not ``encoding`` are an InputError naming the
    file and the first bad line (a binary or damaged file given a text file's name)."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(path, f"text in {encoding}", row=raw.count(b"\n", 0, e.start) + 1,
                         got=f"bytes 0x{raw[e.start:e.start + 8].hex()} at offset {e.start}") from e


def _fail_undecodable(path: Path, e: UnicodeDecodeError) -> None:
    """Raise the InputError for a text file with bytes that are not UTF-8, at the first bad line
    (a line-by-line pass over the bytes: the decoder reads ahead, so its offset is not a line)."""
    with Path(path).open("rb") as fh:
        for i, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as bad:
                raise InputError(path, "text in utf-8", row=i,
                                 got=f"bytes 0x{line[bad.start:bad.start + 8].hex()}") from e
    raise InputError(path, "text in utf-8", got=str(e)) from e


def first_line(path: Path, *, encoding: str = "utf-8-sig") -> str:
    """The first line of a text file (the header), decoded; undecodable bytes are an InputError."""
    path = Path(path)
    with path.open("rb") as fh:
        raw = fh.readline()
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(path, f"a text header line in {encoding.removesuffix('-sig')}", row=1,
                         got=f"bytes 0x{raw[e.start:e.start + 8].hex()}") from e


def open_workbook(path: Path):  # -> openpyxl.Workbook
    """Open an .xlsx workbook read-only; a truncated or non-xlsx file is an InputError."""
    import openpyxl

    path = Path(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise InputError(path, "a valid .xlsx workbook (Office Open XML zip container)",
                         got=f"{type(e).__name__}: {e}") from e


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    """All rows of a worksheet as tuples; a missing sheet names the sheets that exist."""
    wb = open_workbook(path)
    try:
        if sheet not in wb.sheetnames:
            raise InputError(path, f"a worksheet named {sheet!r}", sheet=sheet,
                             got=f"sheets {wb.sheetnames[:12]}")
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def read_parquet(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a Parquet file; a damaged file or missing column is an InputError."""
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        schema_names = pq.read_schema(path).names
    except Exception as e:  # pyarrow raises several types for damaged files
        raise InputError(path, "a valid Parquet file", got=f"{type(e).__name__}: {e}") from e
    if columns:
        missing = [c for c in columns if c not in schema_names]
        if missing:
            raise InputError(path, f"columns {columns}", field=missing[0], got=f"columns {schema_names}")
    return pq.read_table(path, columns=columns).to_pandas()


def map_codes(values: pd.Series, mapping: Mapping[str, str | None], path: Path, field: str,
              expected: str, *, header_lines: int = 1) -> pd.Series:
    """Map codes through ``mapping``; the first code not in it is an UnknownCodeError."""
    from econsec.errors import UnknownCodeError

    mapped = values.map(mapping)
    unknown = ~values.isin(list(mapping.keys()))
    bad = np.flatnonzero(unknown.to_numpy())
    if bad.size:
        i = int(bad[0])
        raise UnknownCodeError(path, expected, row=i + 1 + header_lines, field=field,
                               got=values.iloc[i])
    return mapped


def diagnose_csv(path: Path, schema: Mapping[str, Kind], *, sep: str = ",",
                 required: tuple[str, ...] = (), chunksize: int = 1_000_000) -> None:
    """Find and raise the first bad row or cell of a large CSV that a fast reader rejected.

    Runs only on the error path: a streaming pass checks the field count of every row, then a
    chunked pass (bounded memory) checks types and ``required`` (non-missing) columns. Raises
    :class:`InputError` with the line number; returns only if every row is valid.
    """
    import csv

    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter=sep)
        try:
            width = len(next(reader, []))
            for row in reader:
                if len(row) != width and row:
                    raise InputError(path, f"{width} fields per row (as in the header)",
                                     row=reader.line_num, got=f"{len(row)} fields: {sep.join(row)}")
        except UnicodeDecodeError as e:  # binary bytes in a text file: name the line
            _fail_undecodable(path, e)
    lines = 1
    with pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, chunksize=chunksize,
                     encoding="utf-8-sig") as chunks:
        for chunk in chunks:
            chunk.columns = [str(c).strip().strip('"') for c in chunk.columns]
            chunk.index = range(len(chunk))
            for col in required:
                fail_first(chunk[col].str.strip() == "", path, col, "a value (required)",
                            chunk[col], lines)
            coerce(chunk, schema, path, header_lines=lines)
            lines += len(chunk)
