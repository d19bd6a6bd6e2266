"""Rendering of results for the terminal (rich tables) or machines (JSON, CSV, Parquet files).

On a terminal, tables fit its width. When standard output is a file or a pipe (``econsec … >
log.txt``, ``make run``), tables are not wrapped to 80 columns: they keep their natural width
(at most ``COLUMNS`` when that variable is set), one line per row.

Data files hold data only, so that spreadsheets and ``pandas.read_csv(path)`` read them without
options: ``--format csv --out v.csv`` writes plain CSV, the provenance in ``v.csv.meta.json`` and
further tables as ``v.TABLE.csv``; ``--format parquet`` keeps the provenance inside each file.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from econsec.services.serialize import ResultView, clean, document, records

__all__ = ["FORMATS", "FORMAT_HELP", "OUT_HELP", "ResultView", "check_output", "csv_text", "emit", "emit_result", "err",
           "fail", "out", "records", "write_files"]

#: Width for output that is not a terminal: wide enough that no table wraps.
PIPE_WIDTH = 10_000


def _width() -> int | None:
    """None (the terminal's width) on a terminal; else ``COLUMNS`` if set, else :data:`PIPE_WIDTH`."""
    if sys.stdout.isatty():
        return None
    cols = os.environ.get("COLUMNS", "")
    return int(cols) if cols.isdigit() and int(cols) > 0 else PIPE_WIDTH


FORMATS = ("table", "csv", "json", "parquet")
FORMAT_HELP = ("table | csv | json | parquet. csv is plain CSV (provenance in OUT.meta.json, or on "
               "stderr without --out); parquet keeps it in the file's metadata.")
OUT_HELP = "Write to this file; for csv and parquet, further tables beside it as STEM.TABLE.EXT."

out = Console(soft_wrap=True, width=_width())
err = Console(stderr=True, soft_wrap=True)


def fail(e: Exception) -> typer.Exit:
    """Print an error econsec raised on purpose as one line on stderr; exit status 1."""
    err.print(f"[bold red]error:[/bold red] {e}", highlight=False)
    return typer.Exit(1)


def emit(df: pd.DataFrame, *, as_json: bool, title: str | None = None, max_rows: int = 200) -> None:
    """Print ``df`` as JSON (all rows) or as a rich table (first ``max_rows``)."""
    if as_json:
        sys.stdout.write(json.dumps(records(df), default=str, ensure_ascii=False) + "\n")
        return
    table = Table(title=title, show_lines=False)
    for c in df.columns:
        table.add_column(str(c), overflow="fold")
    for row in df.head(max_rows).itertuples(index=False):
        table.add_row(*("" if v is None or (isinstance(v, float) and math.isnan(v)) else
                        (f"{v:,.4g}" if isinstance(v, float) else str(v)) for v in row))
    out.print(table)
    if len(df) > max_rows:
        out.print(f"[dim]{len(df) - max_rows:,} more rows (use --json for all)[/dim]")


def check_output(fmt: str, out_path: str | None, formats: tuple[str, ...] = FORMATS) -> None:
    """Refuse an output format that is not allowed, or ``parquet`` without ``--out``, as a usage
    error (exit status 2) before any work is done."""
    if fmt not in formats:
        raise typer.BadParameter(f"expected one of {', '.join(formats)}, got {fmt!r}",
                                 param_hint="--format")
    if fmt == "parquet" and not out_path:
        raise typer.BadParameter("parquet needs --out PATH (Parquet is a binary file, not "
                                 "terminal output)", param_hint="--format")


def emit_result(result: Any, *, fmt: str, out_path: str | None, max_rows: int = 40,
                tables: tuple[str, ...] = ()) -> None:
    """Write an IndicatorResult-like object (``frame``, ``tables``, ``provenance()``, ``summary()``).

    Formats: ``table`` (summary then rich tables, to the terminal; ``tables`` names the further
    tables shown), ``json`` (``{"provenance", "rows", "tables"}``), ``csv`` and ``parquet``
    (:func:`write_files`: plain files, provenance beside them or inside them). ``csv`` without
    ``--out`` prints the main table as plain CSV on stdout and the provenance on stderr.
    """
    check_output(fmt, out_path)
    if fmt == "table":
        out.print(f"[bold]{result.summary()}[/bold]", highlight=False)
        emit(result.frame, as_json=False, max_rows=max_rows)
        for name in tables:
            if name in result.tables:
                emit(result.tables[name], as_json=False, title=name, max_rows=max_rows)
        return
    if fmt in ("csv", "parquet") and out_path:
        written = write_files(result, out_path, fmt=fmt)
        _note("wrote " + ", ".join(str(w) for w in written))
        return
    if fmt == "csv":  # stdout: data only, so that a pipe or `> file.csv` gets plain CSV
        sys.stdout.write(csv_text(result.frame))
        for k, v in clean(result.provenance()).items():
            _note(f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}")
        if result.tables:
            _note(f"not written: tables {', '.join(result.tables)} (use --out PATH for files, "
                  "or --format json)")
        return
    text = json.dumps(document(result), default=str, ensure_ascii=False)
    if out_path:
        Path(out_path).write_text(text + "\n", encoding="utf-8")
        _note(f"wrote {out_path}")
    else:
        sys.stdout.write(text + "\n")


def _note(text: str) -> None:
    """A line on stderr as it is (no markup, highlighting or emoji codes)."""
    err.print(text, highlight=False, markup=False, emoji=False)


# -- files -------------------------------------------------------------------------------------------
def csv_text(df: pd.DataFrame) -> str:
    """``df`` as plain CSV: a header line, then one line per row; no index, no comment lines;
    fields quoted as RFC 4180 says (only those holding a comma, quote or line break; quotes
    doubled); missing values empty; floats written so that they read back exactly."""
    return df.to_csv(index=False, lineterminator="\n")


def column_types(df: pd.DataFrame) -> dict[str, str]:
    """``{column: dtype}`` as pandas names them, with text columns as ``"str"``: what to pass as
    ``dtype=`` to :func:`pandas.read_csv` to keep codes such as HS ``"030617"`` as text."""
    def name(s: pd.Series) -> str:
        if s.dtype != object:
            return "str" if pd.api.types.is_string_dtype(s.dtype) else str(s.dtype)
        kind = pd.api.types.infer_dtype(s, skipna=True)  # values with None among them
        return {"boolean": "boolean", "integer": "Int64", "floating": "float64"}.get(kind, "str")

    return {str(c): name(df.iloc[:, i]) for i, c in enumerate(df.columns)}


def sidecar(path: Path) -> Path:
    """The provenance file of a CSV: ``PATH.meta.json`` (``v.csv`` → ``v.csv.meta.json``)."""
    return path.with_name(path.name + ".meta.json")


def sibling(path: Path, table: str, fmt: str) -> Path:
    """Where a further table goes: ``STEM.TABLE.EXT`` beside PATH (``v.csv`` → ``v.suppliers.csv``);
    characters other than letters, digits, ``.``, ``_`` and ``-`` in the name become ``_``."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", table)
    return path.with_name(f"{path.stem}.{name}{path.suffix or '.' + fmt}")


def write_files(result: Any, out_path: str, *, fmt: str) -> list[Path]:
    """Write a result as plain files and return their paths, main table first.

    The main table goes to ``out_path``, every table of ``result.tables`` beside it
    (:func:`sibling`). ``csv``: plain CSV (:func:`csv_text`) and ``PATH.meta.json`` holding
    ``{"provenance", "rows", "tables"}`` like ``--format json``, with ``rows`` and each table
    given as ``{"file", "columns"}`` (file name in the same folder; :func:`column_types`).
    ``parquet``: each file carries the provenance as JSON in its schema metadata under
    ``econsec``; the main file also lists the further tables' files under ``econsec.tables``.
    """
    base = Path(out_path)
    prov = clean(result.provenance())
    frames = {str(k): v for k, v in result.tables.items()}
    paths = {k: sibling(base, k, fmt) for k in frames}
    if fmt == "parquet":
        extra = {b"econsec.tables": json.dumps({k: p.name for k, p in paths.items()}).encode()}
        _parquet(result.frame, base, prov, extra)
        for k, v in frames.items():
            _parquet(v, paths[k], prov, {})
        return [base, *paths.values()]
    base.write_text(csv_text(result.frame), encoding="utf-8", newline="")
    for k, v in frames.items():
        paths[k].write_text(csv_text(v), encoding="utf-8", newline="")
    meta = {"provenance": prov,
            "rows": {"file": base.name, "columns": column_types(result.frame)},
            "tables": {k: {"file": paths[k].name, "columns": column_types(v)}
                       for k, v in frames.items()}}
    sidecar(base).write_text(json.dumps(meta, default=str, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    return [base, sidecar(base), *paths.values()]


def _parquet(df: pd.DataFrame, path: Path, prov: dict[str, Any], extra: dict[bytes, bytes]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pa.Table.from_pandas(df, preserve_index=False)
    meta = {**(t.schema.metadata or {}), b"econsec": json.dumps(prov, default=str).encode(), **extra}
    pq.write_table(t.replace_schema_metadata(meta), path)
