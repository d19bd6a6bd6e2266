"""EWS services: scan, dedup, lifecycle, a killed scan, joint mode, webhook delivery, CLI."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.errors import ConflictError, NotFoundError, OptionError
from econsec.services import ews
from econsec.services.notify import post_webhook
from econsec.store import Store
from tests.conftest import ingest_real

SOURCES = ("japan_customs", "china_monthly", "gpr", "pinksheet")


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("ews") / "base.duckdb"
    with Store(db) as s:
        ingest_real(s, data_dir, *SOURCES)
        ews.generate_watchlist(s, "japan_customs")
    return db


@pytest.fixture()
def db(base_db: Path, tmp_path: Path) -> Path:
    d = tmp_path / "s.duckdb"
    shutil.copy(base_db, d)
    return d


def _keys(s: Store) -> list[tuple[str, str]]:
    return [tuple(r) for r in s.con.execute(
        "SELECT dedup_key, status FROM ews_alerts ORDER BY alert_id").fetchall()]

def kill_scan_at(db: Path, as_of: str, stage: str, pause: float = 0.2) -> None:
    """Run ``ews.scan`` in a subprocess and SIGKILL it when it reports ``stage`` (its progress
    callback pauses after each stage, so the kill lands inside the scan's transaction)."""
    script = textwrap.dedent(f"""
        import time
        from econsec.services import ews
        from econsec.store import Store
        def progress(stage):
            print(stage, flush=True)
            time.sleep({pause})
        with Store({str(db)!r}) as s:
            ews.scan(s, "japan_customs", as_of={as_of!r}, progress=progress)
        print("committed", flush=True)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                          cwd=Path(__file__).parents[2]) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == stage:
                break
        assert proc.poll() is None, f"the scan ended before reaching {stage!r}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL



@pytest.mark.slow
def test_scan_dedup_and_explanations(db: Path) -> None:
    with Store(db) as s:
        wl = ews.watchlist(s)
        # the generated list is JPN's single-supplier (≥ 50 %) goods groups, graded A–D
        assert len(wl) == 20 and set(wl.importer) == {"JPN"} and set(wl.grade) <= set("ABCD")
        r1 = ews.scan(s, "japan_customs", as_of="2011-04")
        assert r1.as_of == "2011-04" and r1.items == 20 and r1.created and not r1.updated
        # the same month again: nothing is due (checked already); forced, every item is re-scored
        assert ews.scan(s, "japan_customs", as_of="2011-04").checked == 0
        r2 = ews.scan(s, "japan_customs", as_of="2011-04", all_items=True)
        assert r2.created == [] and sorted(r2.updated) == sorted(r1.created)   # deduplicated
        a = ews.alerts(s)
        assert len(a) == len(r1.created) and a.dedup_key.is_unique
        why = json.loads(a.signals.iloc[0])
        # the explanation's points add up to the stored score
        assert sum(w["points"] for w in why) == pytest.approx(a.score.iloc[0], abs=0.1)
        # a later month updates the open alerts of items still alerting, creates the rest
        r3 = ews.scan(s, "japan_customs", as_of="2011-05")
        assert set(r3.updated) <= set(r1.created)
        assert len(ews.alerts(s)) == len(r1.created) + len(r3.created)


@pytest.mark.slow
def test_lifecycle(db: Path) -> None:
    with Store(db) as s:
        aid = ews.scan(s, "japan_customs", as_of="2011-04").created[0]
        ews.transition(s, aid, "acknowledged", "seen")
        ews.transition(s, aid, "confirmed")
        with pytest.raises(ConflictError, match="can go to resolved, not acknowledged"):
            ews.transition(s, aid, "acknowledged")
        ews.transition(s, aid, "resolved")
        with pytest.raises(ConflictError, match="nothing"):
            ews.transition(s, aid, "resolved")
        with pytest.raises(OptionError, match="status: expected one of 'new', 'acknowledged', "
                                              "'confirmed', 'no_impact', 'resolved'; got 'closed'"):
            ews.transition(s, aid, "closed")
        with pytest.raises(NotFoundError, match="no alert 99999"):
            ews.transition(s, 99999, "acknowledged")
        h = ews.history(s, aid)
        assert list(zip(h.from_status.fillna("-"), h.to_status, strict=True)) == [
            ("-", "new"), ("new", "acknowledged"), ("acknowledged", "confirmed"), ("confirmed", "resolved")]
        # a resolved alert is closed: the next scan opens a new one for the same item
        r = ews.scan(s, "japan_customs", as_of="2011-04", all_items=True)
        key = s.df("SELECT importer, product FROM ews_alerts WHERE alert_id = ?", [aid]).iloc[0]
        new = s.df("SELECT alert_id FROM ews_alerts WHERE importer=? AND product=? AND status='new'",
                   [key.importer, key["product"]])
        assert len(new) == 1 and int(new.alert_id.iloc[0]) in r.created


@pytest.mark.slow
def test_joint_mode_cover(db: Path) -> None:
    with Store(db) as s:
        ews.add_watch(s, "KOR", "JP_GOODS", "Audio And Visual Apparatus", grade="A")
        r = ews.scan(s, "japan_customs", as_of="2011-04", pair=("JPN", "KOR"))
        a = s.df("SELECT product, cover FROM ews_alerts WHERE product = 'Audio And Visual Apparatus'")
        cov = json.loads(a.cover.iloc[0])
        assert set(r.alerts.importer) == {"JPN"}
        assert cov["partner"] == "KOR" and cov["partner_watches_item"] is True
        # KOR's supply to Japan over May 2010–Apr 2011, summed from the store independently
        want = s.df("""SELECT sum(value) v FROM trade_flows WHERE source='japan_customs' AND flow='import'
                       AND exporter='KOR' AND importer='JPN' AND product='Audio And Visual Apparatus'
                       AND make_date(year, month, 1) BETWEEN '2010-05-01' AND '2011-04-01'""").v.iloc[0]
        assert cov["partner_supply_last_12m"] == pytest.approx(want)
        assert sum(x["share"] for x in cov["suppliers"]) <= 1.0 + 1e-9


@pytest.mark.slow
def test_killed_scan_loses_and_duplicates_nothing(db: Path, tmp_path: Path) -> None:
    control = tmp_path / "control.duckdb"
    shutil.copy(db, control)
    with Store(db) as s:
        ews.scan(s, "japan_customs", as_of="2011-03")
        before = _keys(s)
    kill_scan_at(db, "2011-04", "writing")  # inside the scan's transaction, some alerts written
    with Store(db) as s:
        assert _keys(s) == before                       # the killed scan left nothing half-done
        ews.scan(s, "japan_customs", as_of="2011-04")   # re-run after restart
        after = _keys(s)
    with Store(control) as c:                           # the same two scans, never interrupted
        ews.scan(c, "japan_customs", as_of="2011-03")
        ews.scan(c, "japan_customs", as_of="2011-04")
        assert after == _keys(c)
    assert len({k for k, _ in after}) == len(after)


# -- webhook ------------------------------------------------------------------------------------
class _Hook(BaseHTTPRequestHandler):
    fail_first = 0
    calls: list[dict] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).calls.append(body)
        if len(type(self).calls) <= type(self).fail_first:
            self.send_response(503)
        else:
            self.send_response(200)
        self.end_headers()

    def log_message(self, *a: object) -> None:
        pass


def _server(fail_first: int) -> tuple[HTTPServer, type[_Hook]]:
    h = type("H", (_Hook,), {"fail_first": fail_first, "calls": []})
    srv = HTTPServer(("127.0.0.1", 0), h)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, h


def test_webhook_success_and_retries() -> None:
    srv, h = _server(0)
    waits: list[float] = []
    d = post_webhook(f"http://127.0.0.1:{srv.server_port}/", {"a": 1}, sleep=waits.append)
    assert d.ok and d.attempts == 1 and h.calls == [{"a": 1}] and waits == []
    srv.shutdown()
    srv.server_close()
    srv, h = _server(2)   # fails twice (HTTP 503), then succeeds
    d = post_webhook(f"http://127.0.0.1:{srv.server_port}/", {"a": 2}, backoff=0.5, sleep=waits.append)
    srv.shutdown()
    srv.server_close()
    assert d.ok and d.attempts == 3 and len(h.calls) == 3
    assert waits == [0.5, 1.0]   # exponential backoff 0.5·2^(k−1)


@pytest.mark.slow
def test_webhook_server_down_logged(db: Path) -> None:
    import socket
    with socket.socket() as sk:      # a port nobody listens on: connection refused
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    waits: list[float] = []
    d = post_webhook(f"http://127.0.0.1:{port}/", {"a": 1}, retries=3, backoff=0.1, sleep=waits.append)
    assert not d.ok and d.attempts == 4 and "refused" in d.detail.lower()
    assert waits == pytest.approx([0.1, 0.2, 0.4])
    with Store(db) as s:
        r = ews.scan(s, "japan_customs", as_of="2011-04")
        out = ews.notify_pending(s, f"http://127.0.0.1:{port}/", retries=1, backoff=0.0)
        log = s.df("SELECT * FROM ews_notifications")
        assert len(out) == len(r.created) and not log.ok.any() and (log.attempts == 2).all()
        srv, h = _server(0)          # the server is back: pending alerts are delivered once
        url = f"http://127.0.0.1:{srv.server_port}/"
        assert all(d.ok for d in ews.notify_pending(s, url))
        assert ews.notify_pending(s, url) == []
        srv.shutdown()
        srv.server_close()
        assert sorted(c["alert_id"] for c in h.calls) == sorted(r.created)
        assert {c["status"] for c in h.calls} == {"new"} and isinstance(h.calls[0]["signals"], list)


@pytest.mark.slow
def test_cli(db: Path) -> None:
    run = CliRunner().invoke
    r = run(app, ["--db", str(db), "--json", "ews", "scan", "--as-of", "2011-04"])
    assert r.exit_code == 0, r.output
    created = json.loads(r.stdout)["created"]
    r = run(app, ["--db", str(db), "ews", "ack", str(created[0])])
    assert r.exit_code == 0 and "acknowledged" in r.stdout
    r = run(app, ["--db", str(db), "ews", "resolve", str(created[0])])
    assert r.exit_code == 0
    r = run(app, ["--db", str(db), "ews", "ack", str(created[0])])
    assert r.exit_code == 1
    r = run(app, ["--db", str(db), "--json", "ews", "alerts", "--status", "resolved"])
    assert [a["alert_id"] for a in json.loads(r.stdout)] == [created[0]]
    r = run(app, ["--db", str(db), "ews", "watchlist", "add", "KOR", "JP_GOODS", "Lng", "--grade", "A"])
    assert r.exit_code == 0
    r = run(app, ["--db", str(db), "--json", "ews", "watchlist", "list", "--importer", "KOR"])
    assert [(w["product"], w["grade"], w["frequency"], w["origin"]) for w in json.loads(r.stdout)] == [
        ("Lng", "A", "weekly", "manual")]
