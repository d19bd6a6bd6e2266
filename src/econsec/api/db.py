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
  aborts), so they are serialised: one writer thread owns the write cursor and runs the jobs of
  a bounded queue one at a time, each through :meth:`Store.transaction` as from the CLI (one
  transaction per operation, rolled back on any error). A request submits its job and awaits
  the job's future on the event loop (:meth:`Database.write`), so no worker thread of the
  server waits for the store; a full queue answers at once (:class:`WriterBusy`, HTTP 503 with
  ``Retry-After``). An earlier design took a lock inside FastAPI's thread pool: some 40
  parallel writes filled the pool with threads waiting for the lock while its holder needed a
  free thread to finish, and the server hung for good (issue 13).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from econsec.errors import EconsecError, ReadOnlyError
from econsec.store import Store

T = TypeVar("T")
log = logging.getLogger("econsec.api")

#: Write jobs that may wait for the writer; one more answers 503 at once.
QUEUE_SIZE = 64
#: Seconds a client is asked to wait before retrying a write refused as busy.
RETRY_AFTER = 1
#: Seconds a queued write may wait for the writer before it is dropped and answered 503 (a
#: client with a 30 s timeout gets an answer, not a timeout, behind a queue of slow scans).
MAX_WAIT = 15.0
#: Seconds :meth:`Database.close` waits for the job the writer is running.
CLOSE_TIMEOUT = 10.0


class WriterBusy(EconsecError):
    """The write queue is full or the server is stopping: retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int = RETRY_AFTER) -> None:
        super().__init__(message)
        self.retry_after = retry_after


_Job = tuple[Callable[[Store], Any], "Future[Any]"]


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
    the same time, and every write endpoint answers 409. Otherwise a writer thread (started
    here, stopped by :meth:`close`) runs the write jobs, at most ``queue_size`` waiting.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False,
                 queue_size: int = QUEUE_SIZE) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._root = Store(path, read_only=read_only)
        self._write = threading.Lock()   # held by the writer thread while it runs a job
        self._jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=queue_size)
        self._accepting = threading.Lock()   # makes "closed?" + "enqueue" one step
        self._closed = False
        self._thread: threading.Thread | None = None
        if not read_only:
            self._thread = threading.Thread(target=self._run, name="econsec-writer", daemon=True)
            self._thread.start()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A read-only view for one request (never waits for writers)."""
        s = _CursorStore(self._root, read_only=True)
        try:
            yield s
        finally:
            s.close()

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        """Queue ``job(store)`` for the writer thread; its result or error arrives in the future.

        Raises at once, never waits: :class:`ReadOnlyError` on a read-only server,
        :class:`WriterBusy` when the queue is full or the database is closing.
        """
        if self.read_only:
            raise ReadOnlyError(f"the server opened {self.path} read-only (econsec serve "
                                "--read-only): write requests are refused")
        fut: Future[T] = Future()
        with self._accepting:
            if self._closed:
                raise WriterBusy("the server is shutting down: write refused")
            try:
                self._jobs.put_nowait((job, fut))
            except queue.Full:
                raise WriterBusy(f"{self._jobs.maxsize} writes are already waiting: "
                                 f"retry in {RETRY_AFTER} s") from None
        return fut

    async def write(self, job: Callable[[Store], T], *, max_wait: float = MAX_WAIT) -> T:
        """Run ``job(store)`` on the writer and await its result without holding a thread.

        A job still queued after ``max_wait`` seconds is dropped (:class:`WriterBusy`). If the
        awaiting request is cancelled (server stopping) before the job starts, the job is
        dropped too; once started, a job runs to its end (its own transaction) and its result
        is awaited, so an answer never hides a write that happened.
        """
        cf = self.submit(job)
        af = asyncio.wrap_future(cf)
        try:
            return await asyncio.wait_for(asyncio.shield(af), max_wait)
        except TimeoutError:
            if cf.cancel():       # still queued: never ran
                raise WriterBusy(f"the write waited {max_wait:.0f} s for earlier writes: "
                                 f"retry in {RETRY_AFTER} s") from None
            return await af       # running: wait for its real outcome
        except asyncio.CancelledError:
            cf.cancel()           # the request is gone (server stopping): drop the job if queued
            raise

    def _run(self) -> None:
        store = _CursorStore(self._root, read_only=False)
        try:
            while (item := self._jobs.get()) is not None:
                job, fut = item
                if not fut.set_running_or_notify_cancel():
                    continue                         # the request went away while queued
                try:
                    with self._write:
                        result = job(store)
                except BaseException as e:  # handed to the awaiting request
                    fut.set_exception(e)
                else:
                    fut.set_result(result)
        finally:
            store.close()

    def schema_version(self) -> int:
        with self.reader() as s:
            return s.schema_version()

    def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Stop taking writes, refuse the queued ones, let the running one finish, close.

        Waits at most ``timeout`` seconds for the running job; if it is still running then,
        the store is left to the process exit (DuckDB drops an uncommitted transaction).
        """
        with self._accepting:
            if self._closed:
                return
            self._closed = True
        if self._thread is not None:
            while True:
                try:
                    item = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if item is not None and item[1].set_running_or_notify_cancel():
                    item[1].set_exception(WriterBusy("the server is shutting down: write refused"))
            self._jobs.put(None)
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the writer is still running a job after %.0f s; exiting without "
                            "closing the store", timeout)
                return
        self._root.close()
