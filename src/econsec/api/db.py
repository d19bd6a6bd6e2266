"""The API's hold on the store: one DuckDB database instance, one cursor per request.

DuckDB's rules for one database file (checked against DuckDB 1.x/2.x, see docs/api.md):

* **Across processes** the file takes one writer process *or* many read-only processes, never
  both. The server opens it read-write (``econsec serve``) so that the early-warning writes
  work; while it runs, other processes cannot open the file (stop the server, or start it with
  ``--read-only`` to share the file with read-only CLI commands).
* **Within a process** every connection to the file must use the same configuration (a second
  ``duckdb.connect`` with another ``read_only`` fails), and one connection must not be used by
  two threads at once. ``connection.cursor()`` opens a further connection to the *same*
  database instance: cheap, thread-independent, and isolated by DuckDB's MVCC (snapshot
  isolation). So each request gets its own cursor. Reads run in parallel in FastAPI's thread
  pool and see the last committed state, also while a write transaction is open.
* **Writes** conflict optimistically in DuckDB (a second transaction touching the same rows
  aborts), so they are serialised here by a lock and go through :meth:`Store.transaction` as
  they do from the CLI: one transaction per operation, rolled back on any error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from econsec.errors import ReadOnlyError
from econsec.store import Store


class _CursorStore(Store):
    """A :class:`Store` over a cursor of an open store (same database instance, own connection).

    ``read_only`` here is a guard, not a DuckDB mode: :meth:`Store.transaction` refuses to start,
    so every service write path (they all go through a transaction) fails on a read cursor.
    """

    def __init__(self, parent: Store, *, read_only: bool) -> None:
        self.path = parent.path
        self.read_only = read_only
        self._con = parent.con.cursor()


class Database:
    """The store at ``path``, opened once for the life of the app.

    ``read_only=True`` opens the file read-only in DuckDB too: other processes may read it at
    the same time, and every write endpoint answers 409.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._root = Store(path, read_only=read_only)
        self._write = threading.Lock()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A read-only view for one request (never waits for writers)."""
        s = _CursorStore(self._root, read_only=True)
        try:
            yield s
        finally:
            s.close()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """A writable view for one request; one writer at a time."""
        if self.read_only:
            raise ReadOnlyError(f"the server opened {self.path} read-only (econsec serve "
                                "--read-only): write requests are refused")
        with self._write:
            s = _CursorStore(self._root, read_only=False)
            try:
                yield s
            finally:
                s.close()

    def schema_version(self) -> int:
        with self.reader() as s:
            return s.schema_version()

    def close(self) -> None:
        self._root.close()
