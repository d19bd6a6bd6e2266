"""Rendering of DataFrames for the terminal (rich tables) or machines (JSON)."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _clean(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


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
