"""What one lake write did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from econsec.sources.base import CodeMapping

LakeStatus = Literal["loaded", "replaced", "unchanged"]


@dataclass(frozen=True)
class LakeOutcome:
    """Result of :meth:`SparkLake.ingest_baci`: status, snapshot, rows and provenance."""

    source: str
    status: LakeStatus
    lake: str
    snapshot: str
    vintage: str
    files: Mapping[str, str]  # path -> sha256
    rows_read: int
    rows_by_year: Mapping[int, int]
    mappings: tuple[CodeMapping, ...]
    engine: str
    seconds: float

    def provenance(self) -> dict[str, Any]:
        return {"source": self.source, "lake": self.lake, "snapshot": self.snapshot,
                "vintage": self.vintage, "engine": self.engine, "files": dict(self.files),
                "rows_by_year": {str(y): n for y, n in sorted(self.rows_by_year.items())},
                "mapped_codes": [(m.field, m.code, m.mapped_to, m.rows) for m in self.mappings]}

    def summary(self) -> str:
        years = ", ".join(f"{y}: {n:,}" for y, n in sorted(self.rows_by_year.items()))
        return "\n".join([
            f"lake {self.source}: {self.status}, snapshot {self.snapshot} in {self.lake}",
            f"  vintage: {self.vintage}",
            f"  engine: {self.engine}; {self.rows_read:,} rows read in {self.seconds:.1f} s",
            f"  rows by year: {years or 'none'}",
            f"  files: {len(self.files)}; codes mapped on purpose: {len(self.mappings)}",
        ])
