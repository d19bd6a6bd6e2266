"""Registering the lake in the store: the lake's rows go through the store's own ingest.

The current snapshot of a source is streamed from Parquet (pyarrow dataset, batch by batch)
into ``trade_flows`` by :func:`econsec.store.ingest`, inside its one transaction. So the store
keeps its guarantees unchanged — atomic, idempotent on the inputs' SHA-256, the source's old
rows replaced — and its provenance: ``ingest_log`` names the published BACI files with their
SHA-256 and rows, the vintage (plus the lake snapshot and Spark version), ``ingest_tables`` the
rows written and ``code_mappings`` the codes mapped on purpose (490 → TWN, …), exactly as the
DuckDB adapter writes them. Everything that reads ``trade_flows`` (``load_panel``, exposure,
the PE model, the early-warning panel) then works unchanged; ``docs/lake.md`` says why the rows
are copied rather than read lazily through a view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from econsec.lake.lake import SparkLake
from econsec.lake.manifest import LakeError
from econsec.sources.baci import Baci, parse_country_codes
from econsec.sources.base import Frame, Parsed, Source
from econsec.store import IngestOutcome, Store, ingest


class LakeSource(Source):
    """The BACI rows of a lake's current snapshot, as a source adapter for the store's ingest.

    ``name`` is ``baci``: the rows replace (and are replaced by) those of the DuckDB adapter.
    ``parse`` reads no CSV: it checks that the files given are the ones the snapshot was built
    from, unchanged, and streams the snapshot.
    """

    name = Baci.name
    title = Baci.title
    producer = Baci.producer
    licence = Baci.licence
    url = Baci.url
    patterns = ()

    def __init__(self, lake: SparkLake) -> None:
        self.lake = lake

    def parse(self, paths: Sequence[Path]) -> Parsed:
        entry = self.lake.require(self.name)
        given = {str(Path(p)) for p in paths}
        built = {f.path for f in entry.files}
        if given != built:
            raise LakeError(f"lake {self.lake.path}: snapshot {entry.snapshot} was built from "
                            f"{sorted(built)}, not {sorted(given)}")
        for f in entry.files:
            if not f.matches(Path(f.path)):
                raise LakeError(f"lake {self.lake.path} is stale: {f.path} changed since snapshot "
                                f"{entry.snapshot}; re-run `econsec ingest baci PATH --engine spark`")
        codes, _ = parse_country_codes(Path(entry.files[0].path))
        tables: dict[str, Frame] = {"country_codes": codes,
                                    "trade_flows": self.lake.reader(self.name)}
        return Parsed(tables=tables,
                      vintage=f"{entry.vintage}; via econsec lake snapshot {entry.snapshot} ({entry.engine})",
                      rows_read={f.path: f.rows for f in entry.files}, mappings=entry.mappings)


def register(lake: SparkLake, store: Store, source: str = "baci", *, force: bool = False,
             progress: Callable[[str, str], None] | None = None) -> IngestOutcome:
    """Ingest the lake's current snapshot of ``source`` into ``store`` (atomic, logged).

    Unchanged when the store already holds ``source`` from inputs with the same SHA-256 (from
    this lake or from the DuckDB adapter: the rows are identical).
    """
    if source != LakeSource.name:
        raise LakeError(f"lake registration supports source 'baci', got {source!r}")
    entry = lake.require(source)
    return ingest(store, [(LakeSource(lake), [Path(f.path) for f in entry.files])],
                  force=force, progress=progress)[0]
