"""Concurrent writes against a real server (issue 13): no deadlock, every request answered.

The server runs as a subprocess (``econsec serve``) over a tiny store made here: the schema plus
a few hand-written early-warning alerts, so no real data is needed. Before the fix, about 42
parallel write requests hung the server for good (each held one of the 40 worker threads while
waiting for the write lock, and the lock's holder needed a free thread to finish): health
timed out and SIGTERM did not stop it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from econsec.api.db import Database, WriterBusy
from econsec.store import Store

#: Alerts 1..ALERTS exist (status "new"); other ids are missing.
ALERTS = 5
CLIENT_TIMEOUT = 30.0


def tiny_store(path: Path) -> Path:
    """The schema and ALERTS new alerts, written by hand (no ingest)."""
    with Store(path) as s, s.transaction() as con:
        for i in range(1, ALERTS + 1):
            con.execute(
                "INSERT INTO ews_alerts (alert_id, dedup_key, importer, classification, product, "
                "level, score, signals, source, vintage, as_of, first_seen, last_seen, status) "
                "VALUES (?, ?, 'JPN', 'JP_GOODS', ?, 'watch', 50, '[]', 'japan_customs', 'test', "
                "DATE '2020-01-01', TIMESTAMP '2020-02-01', TIMESTAMP '2020-02-01', 'new')",
                [i, f"JPN|JP_GOODS|{i}|2020-01", f"P{i}"])
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(url: str, *, post: bool = False, timeout: float = CLIENT_TIMEOUT) -> int | str:
    """The status code of one request, or the name of the error when there is no answer."""
    req = urllib.request.Request(url, data=b"{}" if post else None, method="POST" if post else "GET",
                                 headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        if e.code == 503:
            assert e.headers.get("Retry-After"), "503 without Retry-After"
        return int(e.code)
    except Exception as e:  # a timeout or reset: the failure we count
        return type(e).__name__


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """``econsec serve`` on a free port over a tiny store; killed at the end whatever happens."""
    db = tiny_store(tmp_path / "tiny.duckdb")
    port = free_port()
    env = {**os.environ, "ECONSEC_DB": str(db), "ECONSEC_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", "from econsec.cli.main import app; app()",
                             "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while call(f"{base}/api/health", timeout=2) != 200:
            assert proc.poll() is None, "the server did not start"
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
        yield base, proc, db
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def burst(base: str, n: int) -> tuple[list[threading.Thread], list[int | str]]:
    """Start n parallel acknowledgements (existing and missing alerts); return threads, results."""
    out: list[int | str] = []
    ids = [1 + i % (2 * ALERTS) for i in range(n)]           # half the ids do not exist
    threads = [threading.Thread(target=lambda a=a: out.append(call(f"{base}/api/ews/alerts/{a}/ack",
                                                                    post=True)))
               for a in ids]
    for t in threads:
        t.start()
    return threads, out


def test_200_parallel_writes_all_answered_and_server_healthy(server: tuple[str, subprocess.Popen[bytes], Path]) -> None:
    base, proc, db = server
    threads, out = burst(base, 200)
    time.sleep(0.2)
    during = call(f"{base}/api/health", timeout=10)     # while the writes are in flight
    for t in threads:
        t.join(CLIENT_TIMEOUT + 10)
    assert during == 200
    counts = Counter(out)
    assert len(out) == 200 and set(counts) <= {200, 404, 409, 503}, counts   # 0 hangs
    # each existing alert is acknowledged exactly once; a second ack of it is 409, a missing id 404
    assert counts[200] <= ALERTS
    assert call(f"{base}/api/health", timeout=10) == 200
    for a in range(1, 2 * ALERTS + 1):      # after the burst, one at a time, the lifecycle holds
        assert call(f"{base}/api/ews/alerts/{a}/ack", post=True) == (409 if a <= ALERTS else 404)
    proc.send_signal(signal.SIGTERM)
    proc.wait(10)
    with Store(db, read_only=True) as s:    # exactly one history row per acknowledged alert
        hist = s.df("SELECT alert_id, count(*) AS n FROM ews_alert_history GROUP BY alert_id")
        assert sorted(hist["alert_id"]) == list(range(1, ALERTS + 1))
        assert set(hist["n"]) == {1}


def test_sigterm_under_write_burst_exits_within_10_s(server: tuple[str, subprocess.Popen[bytes], Path]) -> None:
    base, proc, db = server
    threads, _out = burst(base, 200)
    time.sleep(0.3)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(10)
    except subprocess.TimeoutExpired:
        pytest.fail("the server did not stop within 10 s of SIGTERM")
    # uvicorn re-raises the signal after its graceful shutdown: the exit is "killed by SIGTERM"
    assert time.monotonic() - t0 < 10 and code in (0, -signal.SIGTERM)
    for t in threads:
        t.join(CLIENT_TIMEOUT + 10)
    assert len(_out) == 200
    with Store(db, read_only=True) as s:    # the store closed cleanly and opens again
        assert s.df("SELECT count(*) AS n FROM ews_alerts")["n"].iloc[0] == ALERTS


# -- the writer queue, in process ---------------------------------------------------------------
def test_full_queue_refuses_at_once_and_close_refuses_queued_jobs(tmp_path: Path) -> None:
    db = Database(tiny_store(tmp_path / "q.duckdb"), queue_size=1)
    started = threading.Event()

    def first_job(s: Store) -> int:
        started.set()
        return s.schema_version()

    try:
        with db._write:                                  # the writer is busy with job 1
            first = db.submit(first_job)
            deadline = time.monotonic() + 10
            while first.running() is False and time.monotonic() < deadline:
                time.sleep(0.01)
            second = db.submit(lambda s: "queued")       # waits in the one queue slot
            t0 = time.monotonic()
            with pytest.raises(WriterBusy, match="already waiting"):
                db.submit(lambda s: "third")
            assert time.monotonic() - t0 < 1             # refused at once, no waiting
            closer = threading.Thread(target=db.close)
            closer.start()
            time.sleep(0.2)
            with pytest.raises(WriterBusy, match="shutting down"):
                db.submit(lambda s: "late")
        closer.join(10)
        assert not closer.is_alive()
        assert started.is_set() and first.result(5) == db_schema(tmp_path / "q.duckdb")
        with pytest.raises(WriterBusy, match="shutting down"):
            second.result(5)                             # queued at close: refused, never run
    finally:
        db.close()


def db_schema(path: Path) -> int:
    with Store(path, read_only=True) as s:
        return s.schema_version()


def test_a_job_error_reaches_the_caller_and_the_writer_goes_on(tmp_path: Path) -> None:
    db = Database(tiny_store(tmp_path / "e.duckdb"))
    try:
        def boom(s: Store) -> None:
            with s.transaction() as con:
                con.execute("UPDATE ews_alerts SET status = 'resolved' WHERE alert_id = 1")
                raise RuntimeError("boom")
        with pytest.raises(RuntimeError, match="boom"):
            db.submit(boom).result(10)
        # the failed job's transaction was rolled back; the next job runs on the same writer
        status = db.submit(lambda s: s.df("SELECT status FROM ews_alerts WHERE alert_id = 1")).result(10)
        assert json.loads(status.to_json(orient="records")) == [{"status": "new"}]
    finally:
        db.close()
