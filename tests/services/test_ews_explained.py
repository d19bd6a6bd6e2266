"""Alerts explained (econsec.services.ews.alerts_explained) over hand-written alert rows.

A store holds alerts of single scans (no cover) beside alerts of joint scans (cover JSON) as
soon as a user runs both; DuckDB returns the NULL covers as NaN in that column.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from econsec.services import ews
from econsec.store import Store
from econsec.store.queries import ews as q


def _alert(con, aid: int, product: str, score: float, cover: dict | None) -> None:
    q.insert_alert(con, aid, dedup_key=f"JPN|JP_GOODS|{product}|2011-04", importer="JPN",
                   classification="JP_GOODS", product=product, level="warning", score=score,
                   signals=json.dumps([{"signal": "value_drop", "value": -2.5, "points": 30.0},
                                       {"signal": "hhi", "value": 0.4, "points": 0.0}]),
                   cover=None if cover is None else json.dumps(cover), source="japan_customs",
                   vintage="test", as_of=date(2011, 4, 1), seen=datetime(2026, 1, 1))


def test_single_and_joint_alerts_together() -> None:
    cover = {"partner": "KOR", "partner_supply_last_12m": 37.5,
             "suppliers": [{"supplier": "CHN", "share": 0.7}, {"supplier": "KOR", "share": 0.05}],
             "partner_watches_item": False, "units": "japan_customs value units"}
    with Store(":memory:") as s:
        with s.transaction() as con:
            _alert(con, 1, "Coal", 55.0, None)       # a single scan
            _alert(con, 2, "Telephony", 60.0, cover)  # a joint scan with KOR
        out = ews.alerts_explained(s)
    # expected values are the hand-written rows above: strongest first, cover from the JSON
    assert list(out["alert_id"]) == [2, 1]
    assert out.loc[0, "cover_partner"] == "KOR" and out.loc[0, "partner_watches"] is False
    assert out.loc[0, "cover_supply_12m"] == 37.5 and out.loc[0, "cover_share"] == 0.05
    assert out.loc[1, ["cover_partner", "cover_supply_12m", "cover_share", "partner_watches"]].isna().all()
    assert out["drivers"].tolist() == ["value_drop -2.5 (30.0)"] * 2   # points > 0 only
