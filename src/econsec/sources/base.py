"""The source-adapter contract.

One adapter per external dataset. An adapter knows three things and nothing else:

* where its files lie in the data directory (:meth:`Source.discover`),
* how to turn those published files into econsec's canonical tables (:meth:`Source.parse`, pure:
  it reads the files it is given and touches neither network nor store),
* where a user with internet gets the files (:meth:`Source.fetch`, never run in tests).

``parse`` returns a :class:`Parsed`: canonical table name → frame (without the ``source``
column, which the store adds), the vintage, the rows read per file, and every code it mapped on
purpose (:class:`CodeMapping`), so that nothing is dropped silently.
"""

from __future__ import annotations

import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, TypeAlias

import pandas as pd
import pyarrow as pa

from econsec.errors import SourceNotFoundError

#: A table an adapter produces: in memory, or a stream DuckDB consumes batch by batch.
Frame: TypeAlias = pd.DataFrame | pa.Table | pa.RecordBatchReader


@dataclass(frozen=True)
class CodeMapping:
    """A code a source uses on purpose, and what econsec made of it.

    ``mapped_to`` is None when the code is kept unmapped on purpose (e.g. a regional aggregate).
    """

    field: str
    code: str
    mapped_to: str | None
    rows: int
    note: str


@dataclass(frozen=True)
class Parsed:
    """Result of :meth:`Source.parse`.

    A table may be a ``pa.RecordBatchReader`` for large files: the store consumes it batch by
    batch inside the ingest transaction. Such an adapter fills ``rows_read`` and ``mappings``
    (a list it owns) while the stream is read; the store reads both only after writing.
    """

    tables: Mapping[str, Frame]
    vintage: str
    rows_read: Mapping[str, int]  # file path -> data records read
    mappings: Sequence[CodeMapping] = field(default_factory=tuple)


def merge_mappings(notes: Sequence[CodeMapping]) -> tuple[CodeMapping, ...]:
    """Sum the rows of identical mappings (same field, code, target and note), e.g. across files."""
    rows: dict[tuple[str, str, str | None, str], int] = {}
    for n in notes:
        k = (n.field, n.code, n.mapped_to, n.note)
        rows[k] = rows.get(k, 0) + n.rows
    return tuple(CodeMapping(f, c, t, r, note) for (f, c, t, note), r in rows.items())


class Source(ABC):
    """Base class of every adapter. Subclasses set the class attributes and implement ``parse``."""

    name: ClassVar[str]  # registry key and value of the `source` column, e.g. "baci"
    title: ClassVar[str]  # e.g. "CEPII BACI bilateral trade (HS6)"
    producer: ClassVar[str]
    licence: ClassVar[str]
    url: ClassVar[str]  # where a user with internet downloads the data
    patterns: ClassVar[tuple[str, ...]]  # glob patterns relative to the data directory

    def discover(self, data_dir: Path) -> list[Path]:
        """Files of this source in ``data_dir`` (sorted); empty when the dataset is absent."""
        found: set[Path] = set()
        for pat in self.patterns:
            found.update(p for p in data_dir.glob(pat) if p.is_file())
        return sorted(found)

    @abstractmethod
    def parse(self, paths: Sequence[Path]) -> Parsed:
        """Read the published files into canonical tables. Pure: no network, no store."""

    def fetch(self, dest: Path) -> list[Path]:
        """Download the published files into ``dest`` (needs internet; never run in tests)."""
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / Path(self.url.split("?")[0]).name
        urllib.request.urlretrieve(self.url, target)
        return [target]


def require_files(source: Source, paths: Sequence[Path], *names: str) -> dict[str, Path]:
    """Pick the file whose name ends with each of ``names``; raise a clear error if one is missing."""
    out: dict[str, Path] = {}
    for n in names:
        hit = [p for p in paths if p.name.endswith(n)]
        if not hit:
            raise SourceNotFoundError(
                f"source {source.name!r}: no file named *{n} among {[p.name for p in paths]}"
            )
        out[n] = hit[0]
    return out
