"""Scans as of a month (issue 11): a scan as of month t never touches the alerts of later months,
an alert's level is always the level of its score, an as-of month outside the data is refused,
and the README's back-scan (``ews scan --as-of 2011-04 --pair JPN KOR``) works after ``make run``.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from econsec.analytics.ews.panel import MonthlyPanel, panel_from_frame
from econsec.cli.main import app
from econsec.errors import OptionError
from econsec.services import ews
from econsec.store import Store
from tests.conftest import snapshot
from tests.services.test_ews import base_db, db  # noqa: F401  (fixtures)

JC_MONTHLY = "trade/japan_customs_area_goods_2009_2026/japan_trade_area_goods_monthly_2009_01_2019_05.parquet"


def level_of(score: pd.Series) -> np.ndarray:
    """Level of each score by the thresholds of docs/ews.md, "Score and levels": watch ≥ 25,
    warning ≥ 40, critical ≥ 60 (the score is stored unrounded)."""
    s = score.to_numpy(float)
    return np.select([s >= 60, s >= 40, s >= 25], ["critical", "warning", "watch"], "normal")


def _rows(s: Store) -> dict[int, tuple[object, ...]]:
    """Every column of every stored alert, by alert id."""
    return {int(r[0]): tuple(r) for r in s.con.execute("SELECT * FROM ews_alerts ORDER BY alert_id").fetchall()}


def _check_invariants(s: Store) -> None:
    a = s.df("SELECT alert_id, importer, classification, product, dedup_key, level, score, as_of "
             "FROM ews_alerts ORDER BY alert_id")
    assert (a.level.to_numpy() == level_of(a.score)).all(), a[a.level.to_numpy() != level_of(a.score)]
    assert a.dedup_key.is_unique
    # each alert is an episode [first month, as_of] and an item's episodes do not overlap
    first = pd.to_datetime(a.dedup_key.str.rsplit("|", n=1).str[1] + "-01")
    last = pd.to_datetime(a.as_of)
    assert (first <= last).all()
    for _, g in a.assign(first=first, last=last).groupby(["importer", "classification", "product"]):
        g = g.sort_values("first")
        assert (g["first"].to_numpy()[1:] > g["last"].to_numpy()[:-1]).all(), g


# -- issue 11 item 4, on the real data ---------------------------------------------------------------
@pytest.mark.slow
def test_back_scan_never_rewrites_later_alerts(db: Path) -> None:  # noqa: F811
    with Store(db) as s:
        ews.scan(s, "japan_customs", pair=("JPN", "KOR"))   # what `make run` does: the latest month
        live = _rows(s)
        assert {r[11] for r in live.values()} == {date(2019, 5, 1)}
        r = ews.scan(s, "japan_customs", as_of="2011-04", all_items=True)
        after = _rows(s)
        # every column of the 2019-05 alerts (score, level, signals, cover, as_of, seen) unchanged
        assert {k: after[k] for k in live} == live
        # the 2011-04 alerts are episodes of their own, even for an item alerting in both months
        # (the Coal: 25.1 "watch" in 2019-05, a warning in 2011-04)
        assert r.created and not r.updated and not r.kept
        assert all(after[k][1].endswith("|2011-04") and after[k][11] == date(2011, 4, 1) for k in r.created)
        coal = s.df("SELECT dedup_key, level FROM ews_alerts WHERE product = 'Coal' ORDER BY alert_id")
        assert list(coal.dedup_key) == ["JPN|JP_GOODS|Coal|2019-05", "JPN|JP_GOODS|Coal|2011-04"]
        assert list(coal.level) == ["watch", "warning"]
        # 2011-05 continues the 2011-04 episodes still alerting; a re-scan of 2011-04 then keeps
        # them as they are (they hold 2011-05 now)
        r5 = ews.scan(s, "japan_customs", as_of="2011-05", all_items=True)
        assert r5.updated
        held = _rows(s)
        # a level that changes (Telephony: a warning in 2011-04, watch in 2011-05) follows the
        # score, and the change is on record in the alert's history
        changed = {k: (after[k][5], held[k][5], held[k][6]) for k in r5.updated if after[k][5] != held[k][5]}
        assert ("warning", "watch") in {(o, n) for o, n, _ in changed.values()}
        for k, (o, n, score) in changed.items():
            notes = list(ews.history(s, k).note)
            assert f"level {o} → {n}: scan as of 2011-05, score {score:.1f}" in notes
        r4 = ews.scan(s, "japan_customs", as_of="2011-04", all_items=True)
        assert set(r4.kept) == set(r5.updated) and not set(r4.updated) & set(r5.updated)
        now = _rows(s)
        assert {k: now[k] for k in r5.updated} == {k: held[k] for k in r5.updated}
        assert {k: now[k] for k in live} == live
        assert "kept (they already hold a later month)" in r4.summary()
        _check_invariants(s)


@pytest.mark.slow
def test_level_matches_score_after_a_sequence_of_scans(db: Path) -> None:  # noqa: F811
    """The issue's sequence and more: live, back-scans, forced and scheduled, re-scans."""
    seq = [(None, False), ("2011-04", True), ("2019-05", True), ("2011-03", False), ("2011-05", True),
           ("2016-04", False), ("2011-04", True), ("2012-01", True), ("2019-05", True), ("2011-06", False)]
    with Store(db) as s:
        for as_of, forced in seq:
            before = _rows(s)
            r = ews.scan(s, "japan_customs", as_of=as_of, all_items=forced)
            after = _rows(s)
            t = pd.Timestamp(r.as_of + "-01").date()
            later = {k: v for k, v in before.items() if v[11] > t}
            assert {k: after[k] for k in later} == later, f"scan as of {r.as_of} touched later alerts"
            _check_invariants(s)


# -- the same properties on a hand-made panel, for any sequence of scans ------------------------------
def _synthetic_panel() -> MonthlyPanel:
    """4 items of importer AAA over 2015-01..2018-12 with drops and supplier-share shifts at 8
    random months each from 2017-03 on (seeded): scores from 0 to about 65, every level."""
    rng = np.random.default_rng(11)
    months = pd.date_range("2015-01-01", periods=48, freq="MS")
    rows = []
    for i in range(4):
        drop, shift = np.ones(48), np.zeros(48)
        ks = rng.choice(np.arange(26, 48), size=8, replace=False)
        drop[ks] = rng.uniform(0.45, 0.9, size=8)
        shift[ks] = rng.uniform(0, 0.5, size=8)
        for k, m in enumerate(months):
            base = 100 * (1 + 0.1 * np.sin(2 * np.pi * k / 12)) * np.exp(rng.normal(0, 0.02)) * drop[k]
            for partner, w in (("CHN", 0.7 - shift[k]), ("KOR", 0.3 + shift[k])):
                rows.append(("AAA", partner, "X", f"p{i}", m.year, m.month, base * w))
    df = pd.DataFrame(rows, columns=["importer", "exporter", "classification", "product", "year",
                                     "month", "value"])
    return panel_from_frame(df, source="synthetic", vintage="v")


PANEL = _synthetic_panel()
MONTHS = [f"{m:%Y-%m}" for m in PANEL.months[26:]]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(MONTHS), st.booleans()), min_size=1, max_size=8))
# item p1 alerts in 2017-04 (warning) and 2018-05 (watch): the case, by hand
@example([("2018-05", True), ("2017-04", True), ("2018-05", True)])
def test_any_sequence_of_scans_keeps_later_alerts_and_levels(seq: list[tuple[str, bool]]) -> None:
    with tempfile.TemporaryDirectory() as d, Store(Path(d) / "s.duckdb") as s:
        for as_of, forced in seq:
            before = _rows(s)
            r = ews.scan(s, "synthetic", as_of=as_of, all_items=forced, panel=PANEL)
            assert r.as_of == as_of
            after = _rows(s)
            t = pd.Timestamp(as_of + "-01").date()
            later = {k: v for k, v in before.items() if v[11] > t}
            assert {k: after[k] for k in later} == later
            _check_invariants(s)


def test_the_synthetic_panel_alerts_at_every_level() -> None:
    # the property above is only worth something if scans there raise alerts of every level
    with tempfile.TemporaryDirectory() as d, Store(Path(d) / "s.duckdb") as s:
        seen: set[str] = set()
        for m in MONTHS:
            ews.scan(s, "synthetic", as_of=m, all_items=True, panel=PANEL)
            seen |= set(s.df("SELECT level FROM ews_alerts WHERE as_of = ?", [m + "-01"]).level)
        assert seen == {"watch", "warning", "critical"}


# -- as-of months outside the data --------------------------------------------------------------------
@pytest.mark.slow
def test_as_of_outside_the_data_is_refused(db: Path, data_dir: Path) -> None:  # noqa: F811
    # the months available, from the raw MOF file (not from the store)
    raw = pd.to_datetime(pd.read_parquet(data_dir / JC_MONTHLY, columns=["month"])["month"])
    first, latest = f"{raw.min():%Y-%m}", f"{raw.max():%Y-%m}"
    assert (first, latest) == ("2009-01", "2019-05")
    with Store(db) as s:
        before = snapshot(s)
        with pytest.raises(OptionError, match=rf"as-of month 2030-01 is after the latest month in "
                                              rf"japan_customs \({latest}\)"):
            ews.scan(s, "japan_customs", as_of="2030-01")
        with pytest.raises(OptionError, match=rf"as-of month 2008-12 is before the first month in "
                                              rf"japan_customs \({first}\)"):
            ews.scan(s, "japan_customs", as_of="2008-12")
        with pytest.raises(OptionError, match="as-of month must be YYYY-MM, got '2011-4'"):
            ews.scan(s, "japan_customs", as_of="2011-4")
        assert snapshot(s) == before                       # a refused scan writes nothing
        assert ews.scan(s, "japan_customs", as_of=latest).as_of == latest   # the edges are accepted
        assert ews.scan(s, "japan_customs", as_of=first).as_of == first
    r = CliRunner().invoke(app, ["--db", str(db), "ews", "scan", "--as-of", "2030-01"])
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        f"error: as-of month 2030-01 is after the latest month in japan_customs ({latest})"]


# -- the README's example after `make run` ------------------------------------------------------------
@pytest.mark.slow
def test_readme_back_scan_after_make_run(db: Path) -> None:  # noqa: F811
    run = CliRunner().invoke
    # make run: ingest; sources; --json ews watchlist generate; ews scan --pair JPN KOR (the db
    # fixture has the data and the generated watchlist)
    r = run(app, ["--db", str(db), "--json", "ews", "scan", "--pair", "JPN", "KOR"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["as_of"] == "2019-05"
    # README: econsec ews scan --as-of 2011-04 --pair JPN KOR  # explained alerts with partner cover
    r = run(app, ["--db", str(db), "--json", "ews", "scan", "--as-of", "2011-04", "--pair", "JPN", "KOR"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["as_of"], out["checked"]) == ("2011-04", 20) and out["created"]
    with Store(db, read_only=True) as s:
        new = s.df(f"SELECT as_of, signals, cover FROM ews_alerts WHERE alert_id IN "
                   f"({', '.join(map(str, out['created']))})")
    assert set(pd.to_datetime(new.as_of).dt.strftime("%Y-%m")) == {"2011-04"}
    assert all(json.loads(c)["partner"] == "KOR" for c in new.cover)
    assert all(json.loads(x) for x in new.signals)      # each alert explains itself
