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
# (event, hit, first alert, lead months, series alerted) — docs/ews.md, table "Events"
EXPECTED_EVENTS = [
    ("Global financial crisis: trade collapse", True, "2008-10", 0, 4),
    ("China rare-earth export halt to Japan", False, None, None, 0),
    ("Tohoku earthquake and tsunami (Japan's exports)", True, "2011-02", 1, 150),
    ("Tohoku earthquake (China's imports from Japan)", False, None, None, 0),
    ("Thai floods (Japan's imports of electronics)", True, "2012-01", -3, 1),
    ("Kumamoto earthquakes (Japan's exports)", True, "2016-02", 2, 100),
    ("U.S. Section 301 tariffs on China (lists 1-3)", False, None, None, 0),
    ("China's retaliatory tariffs on U.S. goods", False, None, None, 0),
]
# (half, events, hits, misses, false alarms, quiet series-months) — docs/ews.md, table "Summary"
EXPECTED_SUMMARY = [("tune", 3, 3, 0, 3172, 171617), ("report", 5, 1, 4, 4612, 174456)]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, data_dir: Path):
    db = tmp_path_factory.mktemp("bt") / "s.duckdb"
    with Store(db) as s:
        ingest_real(s, data_dir, "japan_customs", "china_monthly", "gpr", "pinksheet")
        return ews.backtest(s)


def test_backtest_reproduces_docs(result) -> None:
    got = [(r.event, bool(r.hit), r.first_alert if isinstance(r.first_alert, str) else None,
            None if r.lead_months is None or np.isnan(r.lead_months) else int(r.lead_months),
            r.series_alerted) for r in result.events.itertuples()]
    assert got == EXPECTED_EVENTS
    summ = [(r.half, r.events, r.hits, r.misses, r.false_alarms, r.quiet_series_months)
            for r in result.summary.itertuples()]
    assert summ == EXPECTED_SUMMARY
    assert result.rules.warning == 30 and (result.rules.k, result.rules.n) == (1, 1)
    text = DOC.read_text(encoding="utf-8")
    for half, ev, hits, misses, fa, quiet in EXPECTED_SUMMARY:   # the doc shows these numbers
        assert f"| {half} | {ev} | {hits} | {misses} |" in text and f"{fa:,}" in text and f"{quiet:,}" in text


def test_every_event_is_documented_with_a_source() -> None:
    text = DOC.read_text(encoding="utf-8")
    for ev in EVENTS:
        assert ev.reference and ev.name in text


def test_onsets_by_hand() -> None:
    lv = np.array([[0, 2, 3, 0, 2, 2]])
    assert onsets(lv, 2).tolist() == [[False, True, False, False, True, False]]
