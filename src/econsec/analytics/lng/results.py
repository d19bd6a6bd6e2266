"""The read-only result object every LNG analysis returns: tables plus how and from what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from econsec.errors import EconsecError


class LngError(EconsecError):
    """An LNG analysis cannot be run as asked (infeasible LP, unknown importer, no data)."""


@dataclass(frozen=True)
class LngResult:
    """An LNG table with its provenance and diagnostics.

    Attributes
    ----------
    name : what the table is, e.g. "LNG supplier portfolio".
    frame : the main table (named columns; volumes in Mt or bcm as the column name says).
    method : equations and references.
    source, vintage : the data used (``ingest_log`` vintage where it comes from the store).
    years : years covered.
    parameters : every assumption with its value.
    coverage : what the data do not cover.
    tables : further named tables.
    diagnostics : solver status, iterations, residuals (empty for closed-form results).
    """

    name: str
    frame: pd.DataFrame
    method: str
    source: str
    vintage: str
    years: tuple[int, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict)
    coverage: tuple[str, ...] = ()
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    diagnostics: Mapping[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def provenance(self) -> dict[str, Any]:
        return {"analysis": self.name, "method": self.method, "source": self.source,
                "vintage": self.vintage, "years": list(self.years),
                "parameters": dict(self.parameters), "coverage": list(self.coverage),
                "diagnostics": dict(self.diagnostics)}

    def summary(self) -> str:
        lines = [f"{self.name}: {len(self.frame):,} rows",
                 f"  source: {self.source} ({self.vintage}); years: "
                 f"{', '.join(map(str, self.years))}",
                 f"  method: {self.method}"]
        lines += [f"  parameter {k} = {v}" for k, v in self.parameters.items()]
        lines += [f"  coverage: {c}" for c in self.coverage]
        lines += [f"  {k}: {v}" for k, v in self.diagnostics.items()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<LngResult {self.name!r}: {len(self.frame)} rows, years {self.years}>"
