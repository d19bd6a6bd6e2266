"""The lake's manifest: what each source's current snapshot holds and where it came from.

``<lake>/manifest.json`` is the lake's single commit point. A source's rows live in an immutable
snapshot directory ``trade_flows/source=<name>/snapshot=<id>/year=<Y>/*.parquet``; the manifest
names the current snapshot of each source with the input files (path, bytes, mtime, SHA-256,
data rows), the vintage, the rows per year and the codes mapped on purpose. Replacing the
manifest (write a temporary file, ``os.replace``) is atomic on POSIX file systems, so a reader
sees either the old snapshot or the new one, never a mixture.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from econsec.errors import EconsecError
from econsec.sources.base import CodeMapping

FORMAT = 1


class LakeError(EconsecError):
    """The lake cannot be read or written, is stale, or Spark is not available."""


@dataclass(frozen=True)
class InputFile:
    """One published file a snapshot was built from."""

    path: str
    sha256: str
    bytes: int
    mtime_ns: int
    rows: int  # data records read (the code table: its rows)

    def matches(self, p: Path) -> bool:
        """Same size and modification time as when the snapshot was built (cheap staleness test;
        the store's ingest hashes the file again and logs that SHA-256)."""
        st = p.stat()
        return st.st_size == self.bytes and st.st_mtime_ns == self.mtime_ns


@dataclass(frozen=True)
class SourceEntry:
    """The current snapshot of one source in the lake."""

    source: str
    snapshot: str
    vintage: str
    files: tuple[InputFile, ...]
    rows_by_year: Mapping[int, int]
    mappings: tuple[CodeMapping, ...]
    engine: str  # e.g. "Spark 4.0.0, master local[2]"
    written_at: str

    @property
    def rows(self) -> int:
        return int(sum(self.rows_by_year.values()))

    @property
    def digests(self) -> set[str]:
        return {f.sha256 for f in self.files}

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["rows_by_year"] = {str(y): n for y, n in self.rows_by_year.items()}
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> SourceEntry:
        return cls(source=d["source"], snapshot=d["snapshot"], vintage=d["vintage"],
                   files=tuple(InputFile(**f) for f in d["files"]),
                   rows_by_year={int(y): int(n) for y, n in d["rows_by_year"].items()},
                   mappings=tuple(CodeMapping(**m) for m in d["mappings"]),
                   engine=d["engine"], written_at=d["written_at"])


@dataclass(frozen=True)
class Manifest:
    sources: Mapping[str, SourceEntry] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "table": "trade_flows",
                "sources": {k: v.to_json() for k, v in sorted(self.sources.items())}}


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; an absent file is an empty lake."""
    if not path.exists():
        return Manifest()
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        if d.get("format") != FORMAT:
            raise LakeError(f"{path}: expected lake manifest format {FORMAT}, got {d.get('format')!r}")
        return Manifest({k: SourceEntry.from_json(v) for k, v in d["sources"].items()})
    except (ValueError, KeyError, TypeError) as e:
        raise LakeError(f"{path}: expected an econsec lake manifest (JSON), got {type(e).__name__}: {e}") from e


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write ``manifest`` atomically: a temporary file beside it, flushed, then ``os.replace``."""
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(manifest.to_json(), fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
