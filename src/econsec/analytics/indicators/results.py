"""Read-only result object for indicators: the frame plus how and from what it was computed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator table with its provenance.

    Attributes
    ----------
    name : what the table is, e.g. "import vulnerability".
    frame : the main table (named columns, values in USD or unitless shares).
    method : how it was computed (formula and reference).
    source, vintage, classification, years : the data it used.
    coverage : what the data does not cover (e.g. "imports are mirror data").
    tables : further named tables (e.g. the suppliers behind flagged items).
    """

    name: str
    frame: pd.DataFrame
    method: str
    source: str
    vintage: str
    classification: str
    years: tuple[int, ...]
    coverage: tuple[str, ...] = ()
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def provenance(self) -> dict[str, Any]:
        return {"indicator": self.name, "method": self.method, "source": self.source,
                "vintage": self.vintage, "classification": self.classification,
                "years": list(self.years), "coverage": list(self.coverage)}

    def summary(self) -> str:
        p = self.provenance()
        lines = [f"{self.name}: {len(self.frame):,} rows",
                 f"  source: {p['source']} ({p['vintage']})",
                 f"  classification: {p['classification']}; years: {', '.join(map(str, self.years))}",
                 f"  method: {self.method}"]
        lines += [f"  coverage: {c}" for c in self.coverage]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<IndicatorResult {self.name!r}: {len(self.frame)} rows from {self.source} {self.years}>"
