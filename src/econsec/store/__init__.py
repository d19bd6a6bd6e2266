"""The embedded store: one DuckDB database, schema in versioned migrations, atomic ingest."""

from econsec.store.ingest import IngestOutcome, ingest
from econsec.store.store import DATA_TABLES, Store

__all__ = ["DATA_TABLES", "IngestOutcome", "Store", "ingest"]
