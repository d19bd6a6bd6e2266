"""Scheduled scans: only items due by their grade's check frequency are checked; the checks are
written in the scan's transaction (a SIGKILL leaves the store unchanged); --all forces."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.services import ews
from econsec.store import Store
from tests.conftest import snapshot
from tests.services.test_ews import _keys, base_db, db, kill_scan_at  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow  # reads the real data directory


def _checks(s: Store) -> dict[str, str]:
    c = s.df("SELECT product, strftime(last_checked, '%Y-%m') AS m FROM ews_checks ORDER BY product")
    return dict(zip(c["product"], c.m, strict=True))


def test_scan_follows_the_grade_schedule(db: Path) -> None:  # noqa: F811
    with Store(db) as s:
        wl = ews.watchlist(s)
        grades = dict(zip(wl["product"], wl.grade, strict=True))
        n_d = sum(g == "D" for g in grades.values())
        assert len(grades) == 20 and 0 < n_d < 20        # the generated list has D items and others
        r = ews.scan(s, "japan_customs", as_of="2011-03")     # never checked: everything is due
        assert (r.items, r.due, r.checked, r.skipped) == (20, 20, 20, 0)
        assert set(_checks(s).values()) == {"2011-03"}
        before = snapshot(s)
        r = ews.scan(s, "japan_customs", as_of="2011-03")     # the same month: nothing due, no change
        assert (r.due, r.checked, r.skipped, r.created, r.updated) == (0, 0, 20, [], [])
        assert snapshot(s) == before
        # one month on: grades A–C (weekly, bi-weekly, monthly) are due, D (quarterly) is not
        r = ews.scan(s, "japan_customs", as_of="2011-04")
        assert (r.due, r.checked, r.skipped) == (20 - n_d, 20 - n_d, n_d)
        assert _checks(s) == {p: ("2011-03" if g == "D" else "2011-04") for p, g in grades.items()}
        alerted = set(s.df("SELECT product FROM ews_alerts WHERE as_of = '2011-04-01'")["product"])
        assert not alerted & {p for p, g in grades.items() if g == "D"}   # skipped items not scored
        r = ews.scan(s, "japan_customs", as_of="2011-05")
        assert r.due == 20 - n_d
        r = ews.scan(s, "japan_customs", as_of="2011-06")   # three months after 2011-03: D due too
        assert (r.due, r.checked) == (20, 20) and set(_checks(s).values()) == {"2011-06"}
        # a month before the last check (a back-scan): every item is due, since a check made in
        # 2011-06 says nothing about the schedule in 2011-02; the checks never move back
        r = ews.scan(s, "japan_customs", as_of="2011-02")
        assert (r.due, r.checked, r.skipped, r.forced) == (20, 20, 0, False)
        assert set(_checks(s).values()) == {"2011-06"}
        # --all checks everything but reports what was due: at 2011-06 (just checked) nothing
        r = ews.scan(s, "japan_customs", as_of="2011-06", all_items=True)
        assert (r.due, r.checked, r.skipped, r.forced) == (0, 20, 0, True)
        assert set(_checks(s).values()) == {"2011-06"}
        assert len(s.df("SELECT DISTINCT importer, classification, product, source FROM ews_checks")) == 20
        assert len(s.df("SELECT * FROM ews_checks")) == 20      # one row per item and source


def test_cli_scan_all_and_counts(db: Path) -> None:  # noqa: F811
    run = CliRunner().invoke
    r = run(app, ["--db", str(db), "--json", "ews", "scan", "--as-of", "2011-03"])
    assert r.exit_code == 0, r.output
    assert {k: json.loads(r.stdout)[k] for k in ("due", "checked", "skipped")} == {
        "due": 20, "checked": 20, "skipped": 0}
    r = run(app, ["--db", str(db), "ews", "scan", "--as-of", "2011-03"])
    assert r.exit_code == 0 and "20 items, 0 due, 0 checked, 20 skipped" in r.stdout
    r = run(app, ["--db", str(db), "ews", "scan", "--as-of", "2011-03", "--all"])
    assert r.exit_code == 0 and "0 due, 20 checked (--all), 0 skipped" in r.stdout
    r = run(app, ["--db", str(db), "ews", "scan", "--value-signal", "yoy"])
    assert r.exit_code == 1 and "value signal: expected one of 'value_drop', 'stl_drop'; got 'yoy'" in r.output


@pytest.mark.slow
def test_killed_scheduled_scan_leaves_store_unchanged(db: Path, tmp_path: Path) -> None:  # noqa: F811
    control = tmp_path / "control.duckdb"
    shutil.copy(db, control)
    with Store(db) as s:
        ews.scan(s, "japan_customs", as_of="2011-03")
        before = snapshot(s)
    kill_scan_at(db, "2011-04", "checks", pause=0.5)  # checks written, not committed
    with Store(db) as s:
        assert snapshot(s) == before                    # checks and alerts: nothing written
        assert set(_checks(s).values()) == {"2011-03"}
        r = ews.scan(s, "japan_customs", as_of="2011-04")   # re-run after the restart
        after = (_keys(s), _checks(s), r.due)
    with Store(control) as c:                                # the same scans, never interrupted
        ews.scan(c, "japan_customs", as_of="2011-03")
        rc = ews.scan(c, "japan_customs", as_of="2011-04")
        assert after == (_keys(c), _checks(c), rc.due)
