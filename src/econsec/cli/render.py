"""Rendering of DataFrames for the terminal (rich tables) or machines (JSON).

On a terminal, tables fit its width. When standard output is a file or a pipe (``econsec … >
log.txt``, ``make run``), tables are not wrapped to 80 columns: they keep their natural width
(at most ``COLUMNS`` when that variable is set), one line per row.
"""

from __future__ import annotations

import json
import math
import os
import sys
from typing import Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from econsec.services.serialize import ResultView, document, records

__all__ = ["FORMATS", "ResultView", "check_output", "emit", "emit_result", "err", "fail", "out",
           "records"]

#: Width for output that is not a terminal: wide enough that no table wraps.
PIPE_WIDTH = 10_000


def _width() -> int | None:
    """None (the terminal's width) on a terminal; else ``COLUMNS`` if set, else :data:`PIPE_WIDTH`."""
    if sys.stdout.isatty():
        return None
    cols = os.environ.get("COLUMNS", "")
    return int(cols) if cols.isdigit() and int(cols) > 0 else PIPE_WIDTH


FORMATS = ("table", "csv", "json", "parquet")

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

    Formats: ``table`` (provenance then rich tables, to the terminal), ``csv`` (provenance as
    ``# key: value`` comment lines), ``json`` (``{"provenance", "rows", "tables"}``) and
    ``parquet`` (needs ``--out``; provenance in the schema metadata under ``econsec``; further
    tables beside it as ``<stem>.<table>.parquet``).
    """
    import io
    from pathlib import Path

    check_output(fmt, out_path)
    prov = result.provenance()
    if fmt == "table":
        out.print(f"[bold]{result.summary()}[/bold]", highlight=False)
        emit(result.frame, as_json=False, max_rows=max_rows)
        for name in tables:
            if name in result.tables:
                emit(result.tables[name], as_json=False, title=name, max_rows=max_rows)
        return
    if fmt == "json":
        text = json.dumps(document(result), default=str, ensure_ascii=False)
    elif fmt == "csv":
        buf = io.StringIO()
        for k, v in prov.items():
            buf.write(f"# {k}: {v}\n")
        result.frame.to_csv(buf, index=False)
        text = buf.getvalue()
    elif fmt == "parquet":
        assert out_path  # check_output
        import pyarrow as pa
        import pyarrow.parquet as pq

        def write(df: pd.DataFrame, path: Path) -> None:
            t = pa.Table.from_pandas(df, preserve_index=False)
            meta = {**(t.schema.metadata or {}), b"econsec": json.dumps(prov, default=str).encode()}
            pq.write_table(t.replace_schema_metadata(meta), path)

        base = Path(out_path)
        write(result.frame, base)
        for k, v in result.tables.items():
            write(v, base.with_name(f"{base.stem}.{k}.parquet"))
        err.print(f"wrote {base}")
        return
    if out_path:
        Path(out_path).write_text(text, encoding="utf-8")
        err.print(f"wrote {out_path}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
