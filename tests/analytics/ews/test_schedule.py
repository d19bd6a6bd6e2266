"""Check-frequency scheduling: which items are due at which months, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.ews.watchlist import CHECK_MONTHS, FREQUENCY, due, month_number

GRADES = ("A", "B", "C", "D")
FREQS = np.array([FREQUENCY[g] for g in GRADES], dtype=object)


def _m(ym: str) -> float:
    return float(month_number([pd.Timestamp(ym + "-01")])[0])


def test_month_number() -> None:
    assert _m("2011-01") == 12 * 2011 and _m("2011-04") - _m("2010-12") == 4
    assert np.isnan(month_number(pd.Series([pd.NaT]))[0])


def test_due_by_grade_month_by_month() -> None:
    # every grade last checked 2011-01; intervals A ¼, B ½, C 1, D 3 months
    last = np.full(4, _m("2011-01"))
    table = {ym: due(last, _m(ym), FREQS).tolist() for ym in
             ("2011-01", "2011-02", "2011-03", "2011-04", "2010-12")}
    assert table == {
        "2011-01": [False, False, False, False],   # the month already checked: nothing due
        "2011-02": [True, True, True, False],      # one month on: A, B, C (≥ ¼, ½, 1); D needs 3
        "2011-03": [True, True, True, False],      # two months: D still not due
        "2011-04": [True, True, True, True],       # three months: D due
        # a month before the last check (a back-scan): due, a later check says nothing about it
        "2010-12": [True, True, True, True],
    }


def test_never_checked_is_due_and_a_schedule_over_a_year() -> None:
    assert due(np.full(4, np.nan), _m("2011-01"), FREQS).all()
    # scanning every month of 2011 and recording checks: A–C are checked 12 times, D 4 times
    # (Jan, Apr, Jul, Oct)
    last = np.full(4, np.nan)
    counts = np.zeros(4, dtype=int)
    d_months = []
    for mth in range(1, 13):
        m = _m(f"2011-{mth:02d}")
        d = due(last, m, FREQS)
        counts += d
        last = np.where(d, m, last)
        if d[3]:
            d_months.append(mth)
    assert counts.tolist() == [12, 12, 12, 4] and d_months == [1, 4, 7, 10]


def test_unknown_frequency() -> None:
    assert set(CHECK_MONTHS) == set(FREQUENCY.values())
    with pytest.raises(ValueError, match="unknown check frequency daily; expected one of weekly"):
        due(np.array([np.nan]), 0.0, np.array(["daily"], dtype=object))
