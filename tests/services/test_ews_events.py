"""EWS additions: policy events (CLI, tariff presets, partner weighting), SMTP alerts, watchlists
from the critical-item screens."""

from __future__ import annotations

import json
import shutil
import socketserver
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from econsec.analytics.ews.panel import _event_matrix, panel_from_frame
from econsec.cli.main import app
from econsec.services import ews
from econsec.sources.registry import get
from econsec.store import Store, ingest
from tests.conftest import ingest_real

run = CliRunner().invoke


@pytest.fixture(scope="module")
def jp_db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("ews_ev") / "base.duckdb"
    with Store(db) as s:
        ingest(s, [(get("japan_customs"), get("japan_customs").discover(data_dir))])
        ews.generate_watchlist(s, "japan_customs")
    return db


@pytest.fixture()
def db(jp_db: Path, tmp_path: Path) -> Path:
    d = tmp_path / "s.duckdb"
    shutil.copy(jp_db, d)
    return d


def _panel(months: int = 14) -> pd.DataFrame:
    """USA imports of HS 2709 (CHN 30 + MEX 10 a month) and HS 8542 (CHN 10 + MEX 30)."""
    rows = []
    for t in range(months):
        y, m = 2024 + (t // 12), t % 12 + 1
        for prod, chn, mex in (("2709", 30.0, 10.0), ("8542", 10.0, 30.0)):
            rows += [("USA", "CHN", "HS", prod, y, m, chn), ("USA", "MEX", "HS", prod, y, m, mex)]
    return pd.DataFrame(rows, columns=["importer", "exporter", "classification", "product", "year",
                                       "month", "value"])


def test_event_partner_weight_and_hs_prefix() -> None:
    p = panel_from_frame(_panel(), source="t", vintage="v")
    ev = pd.DataFrame([
        # severity 2 on CHN from 2025-01: weight = CHN's share of the previous 12 months
        {"importer": "USA", "partner": "CHN", "classification": None, "product": None,
         "start": "2025-01-15", "end": None, "severity": 2.0},
        # severity 4 on chapter 27 from MEX, only 2025-02
        {"importer": "USA", "partner": "MEX", "classification": None, "product": "27",
         "start": "2025-02-01", "end": "2025-02-01", "severity": 4.0},
        # a supplier not in the panel: no supply risk
        {"importer": "USA", "partner": "KOR", "classification": None, "product": None,
         "start": "2024-01-01", "end": None, "severity": 9.0},
    ])
    m = _event_matrix(p, ev)
    # hand: 2709 CHN share 30/40 = 0.75 → 2·0.75 = 1.5; 8542 CHN share 0.25 → 0.5; before 2025-01: 0
    # (mid-month start: the month it starts in counts); 2025-02, 2709: max(1.5, 4·0.25 = 1.0) = 1.5
    assert m[:, :12].tolist() == [[0.0] * 12, [0.0] * 12]
    assert m[:, 12].tolist() == pytest.approx([1.5, 0.5])
    assert m[:, 13].tolist() == pytest.approx([1.5, 0.5])
    ev.loc[1, "severity"] = 8.0   # now 8·0.25 = 2.0 > 1.5 on 2709 in 2025-02; 8542 not in chapter 27
    m = _event_matrix(p, ev)
    assert m[:, 13].tolist() == pytest.approx([2.0, 0.5])


@pytest.mark.slow
def test_events_from_preset(db: Path) -> None:
    with Store(db) as s:
        ev = ews.events_from_preset(s, "canada-mexico-25-china-10")
        again = ews.events_from_preset(s, "canada-mexico-25-china-10")   # replaced, not doubled
        assert len(again) == len(ev) == 6 and len(ews.events(s)) == 6
        # severity = 0.1 · rate (preset file: 25 % CAN/MEX from 2025-03-04, 10 % set on HS 27 and
        # 3104 from CAN, +10 % CHN and HKG from 2025-02-04)
        got = sorted((r.importer, r.partner, r.product if isinstance(r.product, str) else "",
                      str(r.start.date()), r.severity) for r in again.itertuples())
        assert got == [("USA", "CAN", "", "2025-03-04", 2.5), ("USA", "CAN", "27", "2025-03-04", 1.0),
                       ("USA", "CAN", "3104", "2025-03-04", 1.0), ("USA", "CHN", "", "2025-02-04", 1.0),
                       ("USA", "HKG", "", "2025-02-04", 1.0), ("USA", "MEX", "", "2025-03-04", 2.5)]
        with pytest.raises(ews.EwsError, match="no effective date"):
            ews.events_from_preset(s, "china-60-retaliation")
        ev = ews.events_from_preset(s, "china-60-retaliation", start="2025-01")
        assert sorted((r.importer, r.partner, r.severity) for r in ev.itertuples()) == [
            ("CHN", "USA", 6.0), ("USA", "CHN", 6.0)]    # the retaliation hits China's imports from the U.S.
        # the signal on a USA panel 2024-01..2025-04 (HS 2709: CHN 3/4, MEX 1/4; HS 8542 the reverse):
        # Jan 2025 nothing; Feb CHN 1.0·0.75; Mar max(CHN 0.75, MEX 2.5·0.25) on 2709, 2.5·0.75 on 8542
        p = panel_from_frame(_panel(16), source="t", vintage="v")
        evs = ews.events(s)
        m = _event_matrix(p, evs[evs.reference.str.startswith("preset canada")])
        assert m[0, 12:15].tolist() == pytest.approx([0.0, 0.75, 0.75])
        assert m[1, 14] == pytest.approx(max(1.0 * 0.25, 2.5 * 0.75))
    r = run(app, ["--db", str(db), "--json", "ews", "event", "from-preset", "universal-10",
                  "--start", "2025-01"])
    assert r.exit_code == 0, r.output
    assert [(e["importer"], e["partner"], e["severity"]) for e in json.loads(r.stdout)] == [("USA", None, 1.0)]
    r = run(app, ["--db", str(db), "ews", "event", "from-preset", "no-such-preset"])
    assert r.exit_code == 1


def _alerted(db: Path, as_of: str) -> pd.Series:
    ctl = db.with_name("control.duckdb")
    shutil.copy(db, ctl)
    with Store(ctl) as s:
        ews.scan(s, "japan_customs", as_of=as_of)
        a = s.df("""SELECT a.product, w.top_supplier FROM ews_alerts a JOIN ews_watchlist w
                    USING (importer, classification, product) ORDER BY a.score DESC""")
    return a.iloc[0]


@pytest.mark.slow
def test_event_cli_feeds_scan_explanation(db: Path) -> None:
    item = _alerted(db, "2011-04")    # an item that alerts in 2011-04 anyway, and its top supplier
    prod, sup = str(item["product"]), str(item.top_supplier)
    r = run(app, ["--db", str(db), "ews", "event", "add", "JPN", "--partner", sup, "--item",
                  f"JP_GOODS:{prod}", "--start", "2011-03", "--severity", "4", "--note", "export ban"])
    assert r.exit_code == 0, r.output
    r = run(app, ["--db", str(db), "--json", "ews", "event", "list"])
    assert [(e["importer"], e["partner"], e["product"], e["severity"], e["description"])
            for e in json.loads(r.stdout)] == [("JPN", sup, prod, 4.0, "export ban")]
    r = run(app, ["--db", str(db), "--json", "ews", "scan", "--as-of", "2011-04"])
    assert r.exit_code == 0, r.output
    with Store(db, read_only=True) as s:
        a = s.df("SELECT signals, score FROM ews_alerts WHERE product = ?", [prod]).iloc[0]
        # the supplier's share of JPN's imports of the item, 2010-04..2011-03, from the store
        sh = s.df("""SELECT sum(value) FILTER (WHERE exporter = ?) / sum(value) AS s FROM trade_flows
                     WHERE source = 'japan_customs' AND flow = 'import' AND importer = 'JPN'
                     AND product = ? AND exporter NOT IN ('WLD', 'EUN')
                     AND make_date(year, month, 1) BETWEEN '2010-04-01' AND '2011-03-01'""",
                  [sup, prod]).s.iloc[0]
    why = {w["signal"]: w for w in json.loads(a.signals)}
    assert why["policy_event"]["value"] == pytest.approx(4 * sh, abs=1e-4)
    # points = 100 · w · min(z, 4) / 4 with w = 0.10
    assert why["policy_event"]["points"] == pytest.approx(10 * min(4 * sh, 4) / 4, abs=0.01)
    assert sum(w["points"] for w in why.values()) == pytest.approx(a.score, abs=0.05)
    r = run(app, ["--db", str(db), "ews", "event", "add", "JPN", "--start", "2011-05", "--end", "2011-01",
                  "--note", "x"])
    assert r.exit_code == 1


# -- SMTP ------------------------------------------------------------------------------------------
class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP: greeting, HELO/EHLO, MAIL, RCPT, DATA, RSET/NOOP, QUIT."""

    messages: list[str] = []

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test SMTP")
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ")[0].upper()
            if verb in ("HELO", "EHLO"):
                self.reply("250 localhost")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                body = []
                while (d := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(d.decode())
                type(self).messages.append("".join(body))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.mark.slow
def test_scan_mails_alerts(db: Path) -> None:
    h = type("H", (_Smtp,), {"messages": []})
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), h)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        r = run(app, ["--db", str(db), "--json", "ews", "scan", "--as-of", "2011-04", "--smtp",
                      f"127.0.0.1:{srv.server_address[1]}", "--mail-to", "ops@example.org"])
        assert r.exit_code == 0, r.output
        out = json.loads(r.stdout)
        smtp = [d for d in out["deliveries"] if d["channel"] == "smtp"]
        assert len(smtp) == len(out["created"]) > 0 and all(d["ok"] for d in smtp)
        with Store(db, read_only=True) as s:
            a = ews.alerts(s)
            log = s.df("SELECT * FROM ews_notifications WHERE channel = 'smtp'")
        assert len(h.messages) == len(a) and log.ok.all() and len(log) == len(a)
        for row, msg in zip(a.itertuples(), h.messages, strict=True):   # one message per alert, in order
            assert f"JPN JP_GOODS {row.product}" in msg and f"score: {row.score:.1f}" in msg
            assert "To: ops@example.org" in msg
        # delivered alerts are not mailed again
        r = run(app, ["--db", str(db), "--json", "ews", "scan", "--as-of", "2011-04", "--smtp",
                      f"127.0.0.1:{srv.server_address[1]}", "--mail-to", "ops@example.org"])
        assert json.loads(r.stdout)["deliveries"] == [] and len(h.messages) == len(a)
    finally:
        srv.shutdown()
        srv.server_close()
    r = run(app, ["--db", str(db), "ews", "scan", "--as-of", "2011-04", "--smtp", "nohostport"])
    assert r.exit_code == 1


@pytest.mark.slow
def test_smtp_server_down_is_logged(db: Path) -> None:
    import socket
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    with Store(db) as s:
        r = ews.scan(s, "japan_customs", as_of="2011-04", smtp=("127.0.0.1", port), mail_to=["a@b.c"])
        assert r.deliveries and not any(d.ok for d in r.deliveries)
        assert len(s.df("SELECT * FROM ews_notifications WHERE NOT ok")) == len(r.created)


# -- watchlists from the screens -------------------------------------------------------------------
@pytest.mark.slow
def test_watchlist_from_screens(store: Store, data_dir: Path, tmp_path: Path) -> None:
    ingest_real(store, data_dir, "hs_concordance", "comtrade_hs2", "imf_dots")  # DOTS: coverage
    ews.add_watch(store, "KOR", "HS", "26", grade="A", note="by hand")
    db = store.path
    store.close()
    r = run(app, ["--db", str(db), "--json", "ews", "watchlist", "generate", "--from-screens",
                  "--source", "comtrade_hs2", "--year", "2019", "--importer", "KOR"])
    assert r.exit_code == 0, r.output
    gen = {g["product"]: g for g in json.loads(r.stdout)}
    # 39 HS2 chapters flagged by at least one screen for KOR in 2019 (services.indicators.critical_items)
    assert len(gen) == 39
    # grades from the top-supplier share: 94 furniture CHN 0.7487 → C, 91 clocks CHE 0.7699 → B,
    # 26 ores AUS 0.5896 → D
    assert (gen["94"]["grade"], gen["94"]["top_supplier"], gen["94"]["frequency"]) == ("C", "CHN", "monthly")
    assert gen["94"]["top_share"] == pytest.approx(0.748744, abs=1e-5)
    assert (gen["91"]["grade"], gen["91"]["top_supplier"]) == ("B", "CHE")
    assert gen["26"]["grade"] == "D" and gen["26"]["note"] == "comtrade_hs2 2019: korea"
    assert gen["61"]["note"] == "comtrade_hs2 2019: eu, merics, korea"
    with Store(db, read_only=True) as s:
        w = ews.watchlist(s, "KOR").set_index("product")
    assert len(w) == 39 and (w.loc["26", "grade"], w.loc["26", "origin"]) == ("A", "manual")
    assert w.loc["94", "origin"] == "generated" and set(w.classification) == {"HS"}
    r = run(app, ["--db", str(db), "ews", "watchlist", "generate", "--from-screens", "--source",
                  "comtrade_hs2"])
    assert r.exit_code == 1
    assert np.isfinite(w.top_share.drop("26").to_numpy(float)).all()
