"""The backtest reported in docs/ews.md, recomputed from the store (numbers copied from the doc)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from econsec.analytics.ews.backtest import (
    EVENTS,
    BacktestResult,
    Event,
    describe,
    evaluate_events,
    onsets,
)
from econsec.analytics.ews.panel import MonthlyPanel
from econsec.analytics.ews.scoring import ScoringRules
from econsec.cli.main import app
from econsec.services import ews
from econsec.store import Store
from tests.conftest import ingest_real

DOC = Path(__file__).parents[3] / "docs" / "ews.md"
# (event, outcome, first alert, lead months, series early, series late) — docs/ews.md, table
# "Events", one block per value signal; stl_drop is the default (it won on the tuning half),
# value_drop the YoY signal. A hit is an onset count reached in [start − 3, start]; reached only
# in (start, start + 3] it is "late", not a hit.
EXPECTED_EVENTS = {
    "stl_drop": [
        ("Global financial crisis: trade collapse", "hit", "2008-10", 0, 1, 2),
        ("China rare-earth export halt to Japan", "miss", None, None, 0, 0),
        ("Tohoku earthquake and tsunami (Japan's exports)", "hit", "2011-03", 0, 53, 46),
        ("Tohoku earthquake (China's imports from Japan)", "hit", "2011-01", 2, 1, 0),
        ("Thai floods (Japan's imports of electronics)", "miss", None, None, 0, 0),
        ("Kumamoto earthquakes (Japan's exports)", "late", "2016-05", -1, 32, 14),
        ("U.S. Section 301 tariffs on China (lists 1-3)", "hit", "2018-04", 3, 1, 0),
        ("China's retaliatory tariffs on U.S. goods", "late", "2018-09", -2, 0, 1),
    ],
    "value_drop": [
        ("Global financial crisis: trade collapse", "hit", "2008-10", 0, 1, 3),
        ("China rare-earth export halt to Japan", "miss", None, None, 0, 0),
        ("Tohoku earthquake and tsunami (Japan's exports)", "hit", "2011-02", 1, 89, 61),
        ("Tohoku earthquake (China's imports from Japan)", "miss", None, None, 0, 0),
        ("Thai floods (Japan's imports of electronics)", "late", "2012-01", -3, 0, 1),
        ("Kumamoto earthquakes (Japan's exports)", "hit", "2016-02", 2, 65, 35),
        ("U.S. Section 301 tariffs on China (lists 1-3)", "miss", None, None, 0, 0),
        ("China's retaliatory tariffs on U.S. goods", "miss", None, None, 0, 0),
    ],
}
# (half, events, hits, late, misses, false alarms, quiet series-months) — docs/ews.md, "Summary"
EXPECTED_SUMMARY = {
    "stl_drop": [("tune", 3, 2, 0, 1, 1590, 171617), ("report", 5, 2, 2, 1, 3056, 174456)],
    "value_drop": [("tune", 3, 2, 1, 0, 3172, 171617), ("report", 5, 1, 0, 4, 4612, 174456)],
}
# tuned (warning, k, n) for each
EXPECTED_RULES = {"stl_drop": (50, 1, 1), "value_drop": (30, 1, 1)}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("bt") / "s.duckdb"
    with Store(db) as s:
        ingest_real(s, data_dir, "japan_customs", "china_monthly", "gpr", "pinksheet")
    return db


@pytest.mark.parametrize("signal", ["stl_drop", "value_drop"])
@pytest.mark.slow
def test_backtest_reproduces_docs(store_path: Path, signal: str) -> None:
    with Store(store_path, read_only=True) as s:
        result = ews.backtest(s, rules=ews.rules_for(None if signal == "stl_drop" else signal))
    assert result.rules.value_signal == signal
    got = [(r.event, r.outcome, r.first_alert if isinstance(r.first_alert, str) else None,
            None if r.lead_months is None or np.isnan(r.lead_months) else int(r.lead_months),
            r.series_early, r.series_late) for r in result.events.itertuples()]
    assert got == EXPECTED_EVENTS[signal]
    assert (result.events.hit == (result.events.outcome == "hit")).all()
    summ = [(r.half, r.events, r.hits, r.late, r.misses, r.false_alarms, r.quiet_series_months)
            for r in result.summary.itertuples()]
    assert summ == EXPECTED_SUMMARY[signal]
    assert (result.rules.warning, result.rules.k, result.rules.n) == EXPECTED_RULES[signal]
    text = DOC.read_text(encoding="utf-8")
    for half, ev, hits, late, misses, fa, quiet in EXPECTED_SUMMARY[signal]:   # the doc shows these
        assert f"| {signal} | {half} | {ev} | {hits} | {late} | {misses} |" in text
        assert f"{fa:,}" in text and f"{quiet:,}" in text


def test_default_is_the_signal_the_tuning_half_prefers() -> None:
    # objective on the tuning half: hit rate − 10 × false alarms per series-month
    # (the summaries are checked against a run in test_backtest_reproduces_docs)
    obj = {s: h / e - 10 * fa / q for s, ((_, e, h, _, _, fa, q), _) in EXPECTED_SUMMARY.items()}
    assert max(obj, key=obj.__getitem__) == ews.rules_for().value_signal


def test_every_event_is_documented_with_a_source() -> None:
    text = DOC.read_text(encoding="utf-8")
    for ev in EVENTS:
        assert ev.reference and ev.name in text


def test_onsets_by_hand() -> None:
    lv = np.array([[0, 2, 3, 0, 2, 2]])
    assert onsets(lv, 2).tolist() == [[False, True, False, False, True, False]]


# -- the hit rule, by hand ------------------------------------------------------------------------
HALVES = {"hand": pd.Timestamp("2010-07-01")}   # tune: 2010-01..06, report: 2010-07..12


def _hand_panel(n: int = 4) -> MonthlyPanel:
    """n series (importers S0, S1, …) over the 12 months of 2010; values do not matter here."""
    months = pd.date_range("2010-01-01", periods=12, freq="MS")
    items = pd.DataFrame({"importer": [f"S{i}" for i in range(n)], "classification": "X", "product": "x"})
    z = np.zeros((n, 1, 12))
    return MonthlyPanel(items, ("P",), months, z, z[:, 0], "hand", "v")


def _hand_events() -> tuple[MonthlyPanel, np.ndarray, list[Event]]:
    on = np.zeros((4, 12), dtype=bool)      # onsets; column k is month 2010-(k+1)
    on[0, 1] = True          # S0: 2010-02, two months before its event (2010-04): a hit, lead 2
    on[1, 9] = True          # S1: 2010-10, two months after its event (2010-08): late, not a hit
    on[2, [4, 11]] = True    # S2: 2010-05, its event's month: a hit, lead 0; 2010-12: false alarm
    on[3, 0] = True          # S3: 2010-01, eight months before its event (2010-09): a miss and a
    #                          false alarm
    events = [Event("E0", "2010-04", "hand", ("S0",)), Event("E1", "2010-08", "hand", ("S1",)),
              Event("E2", "2010-05", "hand", ("S2",)), Event("E3", "2010-09", "hand", ("S3",))]
    return _hand_panel(), on, events


def test_hits_late_detections_and_misses_by_hand() -> None:
    p, on, events = _hand_events()
    ev, summ = evaluate_events({"hand": p}, {"hand": on}, events, halves=HALVES)
    got = [(r.event, r.half, r.window, r.late_window, r.outcome, bool(r.hit),
            r.first_alert if isinstance(r.first_alert, str) else None,
            None if r.lead_months is None or np.isnan(r.lead_months) else int(r.lead_months),
            r.series_early, r.series_late) for r in ev.itertuples()]
    # windows: hit [start − 3, start], late (start, start + 3]
    assert got == [
        ("E0", "tune", "2010-01..2010-04", "2010-05..2010-07", "hit", True, "2010-02", 2, 1, 0),
        ("E1", "report", "2010-05..2010-08", "2010-09..2010-11", "late", False, "2010-10", -2, 0, 1),
        ("E2", "tune", "2010-02..2010-05", "2010-06..2010-08", "hit", True, "2010-05", 0, 1, 0),
        ("E3", "report", "2010-06..2010-09", "2010-10..2010-12", "miss", False, None, None, 0, 0),
    ]
    # quiet series-months (outside each series' [start − 3, start + 3]), by hand:
    # tune (Jan–Jun): S0 0 (Jan–Jul covered), S1 4 (Jan–Apr), S2 1 (Jan), S3 5 (Jan–May) = 10;
    # report (Jul–Dec): S0 5 (Aug–Dec), S1 1 (Dec), S2 4 (Sep–Dec), S3 0 = 10.
    # False alarms: S3 2010-01 (tune) and S2 2010-12 (report); mean lead over hits (2 + 0) / 2.
    rows = [(r.half, r.events, r.hits, r.late, r.misses, r.false_alarms, r.quiet_series_months,
             r.false_alarms_per_100) for r in summ.itertuples()]
    assert rows == [("tune", 2, 2, 0, 0, 1, 10, 10.0), ("report", 2, 0, 1, 1, 1, 10, 10.0)]
    assert summ.mean_lead_months.iloc[0] == 1.0 and np.isnan(summ.mean_lead_months.iloc[1])


def test_a_broad_event_needs_its_share_of_series_before_the_start() -> None:
    p = _hand_panel(20)      # 20 series in scope: N = max(1, ⌈10 % × 20⌉) = 2
    ev = [Event("broad", "2010-06", "hand", None)]
    on = np.zeros((20, 12), dtype=bool)
    on[0, 4] = True          # one series a month before the start (2010-05) …
    on[1, 6] = True          # … the second a month after (2010-07): N is reached late
    r = evaluate_events({"hand": p}, {"hand": on}, ev, halves=HALVES)[0].iloc[0]
    assert (r.outcome, r.first_alert, r.lead_months, r.series_early, r.series_late) == (
        "late", "2010-07", -1, 1, 1)
    on[1, 6], on[1, 5] = False, True   # the second at the start (2010-06): a hit, lead 0
    r = evaluate_events({"hand": p}, {"hand": on}, ev, halves=HALVES)[0].iloc[0]
    assert (r.outcome, r.first_alert, r.lead_months, r.series_early, r.series_late) == (
        "hit", "2010-06", 0, 2, 0)
    # a window clipped by the data's first month; an event outside the data is not a miss
    ev2 = [Event("early", "2010-02", "hand", None), Event("before", "2009-06", "hand", None)]
    e, s = evaluate_events({"hand": p}, {"hand": on}, ev2, halves=HALVES)
    assert list(e.window) == ["2010-01..2010-02", "none"] and list(e.outcome) == ["miss", "no data"]
    assert (s.events.iloc[0], s.misses.iloc[0]) == (1, 1)


def test_cli_prints_the_hit_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p, on, events = _hand_events()
    ev, summ = evaluate_events({"hand": p}, {"hand": on}, events, halves=HALVES)
    result = BacktestResult(ev, summ, ScoringRules(), 2, pd.DataFrame(), describe(HALVES), "v")
    monkeypatch.setattr(ews, "backtest", lambda *a, **k: result)
    with Store(tmp_path / "s.duckdb"):
        pass
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "s.duckdb"), "ews", "backtest"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())     # rich may wrap long lines
    assert "hit = onset in the early-warning window [start−3, start] months" in text
    assert "late = onset only in (start, start+3]" in text
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "s.duckdb"), "--json", "ews", "backtest"])
    rows = json.loads(r.stdout)["events"]
    assert [(x["window"], x["late_window"], x["outcome"]) for x in rows][:2] == [
        ("2010-01..2010-04", "2010-05..2010-07", "hit"), ("2010-05..2010-08", "2010-09..2010-11", "late")]
