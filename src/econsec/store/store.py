"""The one class that owns the DuckDB connection.

``Store(path)`` opens (creating if needed) the database and applies pending migrations.
``Store(path, read_only=True)`` opens an existing database that no statement can change.
``Store(path, sandbox=True)`` is the entry point for a user's own SQL (``econsec sql``,
``Session.sql``): read-only, and also cut off from everything outside the store — no file or URL
access (``read_csv``, ``COPY … TO``, ``ATTACH``, ``EXPORT``), no extensions (``INSTALL``,
``LOAD``, autoloading), and the configuration locked so that ``SET`` cannot undo any of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from econsec.errors import ReadOnlyError, StoreError
from econsec.store.migrations import MIGRATIONS

#: Canonical data tables; each has a ``source`` column, replaced per source on a new vintage.
DATA_TABLES: tuple[str, ...] = (
    "country_codes", "products", "concordances", "product_attributes", "trade_flows",
    "commodity_series", "energy_trade", "prices", "fx_rates", "risk_indices", "tariffs",
    "io_flows", "io_sectors", "io_sector_indicators", "gravity_panel", "elasticities",
    "mineral_lists", "documents", "partial_periods",
)

#: DuckDB settings of a sandboxed connection (``Store(path, sandbox=True)``): the store's own
#: tables and views only. ``lock_configuration`` makes the others permanent (no ``SET``).
SANDBOX_CONFIG: dict[str, bool] = {
    "enable_external_access": False,
    "allow_community_extensions": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}

#: What a sandboxed connection refuses, by the DuckDB message that says so.
_REFUSED: tuple[tuple[str, str], ...] = (
    ("extensions is disabled", "loading extensions"),
    ("file system operations are disabled", "reading or writing files or URLs, installing "
                                            "extensions or attaching databases"),
    ("configuration has been locked", "changing settings (SET, RESET, PRAGMA)"),
    ("read-only", "changing the store (CREATE, INSERT, UPDATE, DELETE, DROP, …)"),
)


class Store:
    """An econsec store at ``path`` (a file, or ``":memory:"``)."""

    def __init__(self, path: str | Path, *, read_only: bool = False, sandbox: bool = False) -> None:
        self.path = str(path)
        self.sandbox = sandbox
        self.read_only = read_only = read_only or sandbox
        if sandbox and self.path == ":memory:":
            raise StoreError("user SQL runs on a store file opened read-only in a sandbox; "
                             "an in-memory store has no file")
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}: run `econsec ingest` first")
        if not read_only and self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path, read_only=read_only,
                                       config=dict(SANDBOX_CONFIG) if sandbox else {})
        except duckdb.Error as e:
            raise StoreError(f"cannot open store {self.path}: {e}") from e
        if read_only:
            if self.schema_version() < len(MIGRATIONS):
                raise StoreError(f"store {self.path} is at schema {self.schema_version()}, "
                                 f"econsec needs {len(MIGRATIONS)}: open it once read-write")
        else:
            self.migrate()

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self._con

    # -- schema ------------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchall()[0]
        if not exists[0]:
            return 0
        return int(self._con.execute(
            "SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()[0][0])

    def migrate(self) -> list[int]:
        """Apply pending migrations, each atomically. Returns the versions applied."""
        self._con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)""")
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(f"store {self.path} has schema {current}, newer than this econsec "
                             f"({len(MIGRATIONS)}): upgrade econsec")
        applied = []
        for version, name, up in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction():
                up(self._con)
                self._con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                  [version, name, datetime.now()])
            applied.append(version)
        return applied

    def columns(self, table: str) -> dict[str, tuple[str, bool]]:
        """Column name → (DuckDB type, nullable) of ``table``, in table order."""
        rows = self._con.execute(
            """SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns
               WHERE table_name = ? ORDER BY ordinal_position""", [table]).fetchall()
        return {r[0]: (r[1], bool(r[2])) for r in rows}

    # -- transactions and queries ------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block atomically: everything or nothing is written."""
        if self.read_only:
            raise ReadOnlyError(f"store {self.path} is open read-only")
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield self._con
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        else:
            self._con.execute("COMMIT")

    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a parameterised query and return a DataFrame."""
        try:
            return self._con.execute(sql, params or []).df()
        except duckdb.Error as e:
            if self.sandbox:
                first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                for says, what in _REFUSED:
                    if says in str(e).lower():
                        raise ReadOnlyError(f"not allowed in user SQL: {what}; query the store's "
                                            f"tables and views only ({first})") from e
            if self.read_only and "read-only" in str(e).lower():
                raise ReadOnlyError(f"the store is read-only here: {e}") from e
            raise StoreError(str(e)) from e
