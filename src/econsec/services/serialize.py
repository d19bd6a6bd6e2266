"""Result objects → plain JSON-ready structures, shared by the CLI's JSON output and the REST API.

Every econsec result exposes a main ``frame``, named ``tables`` and ``provenance()``. This module
turns them into ``{"provenance": {...}, "rows": [...], "tables": {name: [...]}}`` with values
JSON can hold: NumPy scalars become Python numbers, NaN/±inf and missing values become ``None``,
timestamps and dates ISO strings. Nothing here knows any economics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ResultView", "clean", "document", "flat", "records"]


def clean(v: Any) -> Any:
    """One value as JSON can hold it (recursing into mappings and sequences)."""
    if isinstance(v, Mapping):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean(x) for x in v]
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, (pd.Timestamp, datetime, date)):
        return v.isoformat()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``df`` as a list of ``{column: value}`` with cleaned values (index dropped)."""
    return [{str(k): clean(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def flat(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with a named index turned into columns (an unnamed RangeIndex is dropped)."""
    return df.reset_index() if any(n is not None for n in df.index.names) else df


@dataclass(frozen=True)
class ResultView:
    """A result object seen as the serialisers expect: a main frame and named tables."""

    result: Any
    frame: pd.DataFrame
    tables: dict[str, pd.DataFrame]

    def provenance(self) -> dict[str, Any]:
        return dict(self.result.provenance())

    def summary(self) -> str:
        return str(self.result.summary())


def document(result: Any, tables: Mapping[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    """``{"provenance", "rows", "tables"}`` of a result (``frame``, ``tables``, ``provenance()``).

    ``tables`` replaces ``result.tables`` when given.
    """
    tabs = result.tables if tables is None else tables
    return {"provenance": clean(result.provenance()), "rows": records(result.frame),
            "tables": {str(k): records(v) for k, v in tabs.items()}}
