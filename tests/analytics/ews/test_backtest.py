"""The backtest reported in docs/ews.md, recomputed from the store (numbers copied from the doc)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from econsec.analytics.ews.backtest import EVENTS, onsets
from econsec.services import ews
from econsec.store import Store
from tests.conftest import ingest_real

DOC = Path(__file__).parents[3] / "docs" / "ews.md"
# (event, hit, first alert, lead months, series alerted) — docs/ews.md, tables "Events", one per
# value signal; stl_drop is the default (it won on the tuning half), value_drop the YoY signal
EXPECTED_EVENTS = {
    "stl_drop": [
        ("Global financial crisis: trade collapse", True, "2008-10", 0, 3),
        ("China rare-earth export halt to Japan", False, None, None, 0),
        ("Tohoku earthquake and tsunami (Japan's exports)", True, "2011-03", 0, 106),
        ("Tohoku earthquake (China's imports from Japan)", True, "2011-01", 2, 1),
        ("Thai floods (Japan's imports of electronics)", True, "2012-01", -3, 1),
        ("Kumamoto earthquakes (Japan's exports)", True, "2016-05", -1, 48),
        ("U.S. Section 301 tariffs on China (lists 1-3)", True, "2018-04", 3, 1),
        ("China's retaliatory tariffs on U.S. goods", True, "2018-09", -2, 1),
    ],
    "value_drop": [
        ("Global financial crisis: trade collapse", True, "2008-10", 0, 4),
        ("China rare-earth export halt to Japan", False, None, None, 0),
        ("Tohoku earthquake and tsunami (Japan's exports)", True, "2011-02", 1, 150),
        ("Tohoku earthquake (China's imports from Japan)", False, None, None, 0),
        ("Thai floods (Japan's imports of electronics)", True, "2012-01", -3, 1),
        ("Kumamoto earthquakes (Japan's exports)", True, "2016-02", 2, 100),
        ("U.S. Section 301 tariffs on China (lists 1-3)", False, None, None, 0),
        ("China's retaliatory tariffs on U.S. goods", False, None, None, 0),
    ],
}
# (half, events, hits, misses, false alarms, quiet series-months) — docs/ews.md, tables "Summary"
EXPECTED_SUMMARY = {
    "stl_drop": [("tune", 3, 3, 0, 1758, 171617), ("report", 5, 4, 1, 3364, 174456)],
    "value_drop": [("tune", 3, 3, 0, 3172, 171617), ("report", 5, 1, 4, 4612, 174456)],
}
# tuned (warning, k, n) for each
EXPECTED_RULES = {"stl_drop": (40, 1, 1), "value_drop": (30, 1, 1)}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("bt") / "s.duckdb"
    with Store(db) as s:
        ingest_real(s, data_dir, "japan_customs", "china_monthly", "gpr", "pinksheet")
    return db


@pytest.mark.parametrize("signal", ["stl_drop", "value_drop"])
def test_backtest_reproduces_docs(store_path: Path, signal: str) -> None:
    with Store(store_path, read_only=True) as s:
        result = ews.backtest(s, rules=ews.rules_for(None if signal == "stl_drop" else signal))
    assert result.rules.value_signal == signal
    got = [(r.event, bool(r.hit), r.first_alert if isinstance(r.first_alert, str) else None,
            None if r.lead_months is None or np.isnan(r.lead_months) else int(r.lead_months),
            r.series_alerted) for r in result.events.itertuples()]
    assert got == EXPECTED_EVENTS[signal]
    summ = [(r.half, r.events, r.hits, r.misses, r.false_alarms, r.quiet_series_months)
            for r in result.summary.itertuples()]
    assert summ == EXPECTED_SUMMARY[signal]
    assert (result.rules.warning, result.rules.k, result.rules.n) == EXPECTED_RULES[signal]
    text = DOC.read_text(encoding="utf-8")
    for half, ev, hits, misses, fa, quiet in EXPECTED_SUMMARY[signal]:   # the doc shows these
        assert f"| {signal} | {half} | {ev} | {hits} | {misses} |" in text
        assert f"{fa:,}" in text and f"{quiet:,}" in text


def test_default_is_the_signal_the_tuning_half_prefers() -> None:
    # objective on the tuning half: hit rate − 10 × false alarms per series-month
    obj = {s: h / e - 10 * fa / q for s, ((_, e, h, _, fa, q), _) in EXPECTED_SUMMARY.items()}
    assert obj["stl_drop"] == pytest.approx(1 - 10 * 1758 / 171617)      # 0.898
    assert obj["value_drop"] == pytest.approx(1 - 10 * 3172 / 171617)    # 0.815
    assert max(obj, key=obj.__getitem__) == ews.rules_for().value_signal == "stl_drop"


def test_every_event_is_documented_with_a_source() -> None:
    text = DOC.read_text(encoding="utf-8")
    for ev in EVENTS:
        assert ev.reference and ev.name in text


def test_onsets_by_hand() -> None:
    lv = np.array([[0, 2, 3, 0, 2, 2]])
    assert onsets(lv, 2).tolist() == [[False, True, False, False, True, False]]
