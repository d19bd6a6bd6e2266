"""Watchlists: items per importer with grade A–D and check frequency.

Generated items follow the Korea 2021 rule of the critical-item screens (methods.md §1.4, §7.1): an
item is watched when one supplier has at least ``min_share`` of the importer's imports over the
last 12 months. Grades by that top share ``s``: A ``s ≥ 0.9``, B ``s ≥ 0.75``, C ``s ≥ 0.6``,
D otherwise; check frequency A weekly, B bi-weekly, C monthly, D quarterly (Korea's scheme).
Grade cut-offs are data (:data:`GRADE_CUTS`).

Scheduling: an item is *due* at data month m when it has never been checked or when
``m − last_checked ≥ interval`` months, the interval of its frequency in :data:`CHECK_MONTHS`
(weekly ¼, bi-weekly ½, monthly 1, quarterly 3). On monthly data the month is the finest step,
so A, B and C items are due at every new data month and D items every third month; a re-scan
of a month already checked finds nothing due. A scan of a month *before* the last check (a
back-scan) finds the item due: only the latest check is stored, and a check made at a later
month says nothing about the schedule at an earlier one (no look-ahead, as for the signals).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econsec.analytics.ews.panel import MonthlyPanel

GRADE_CUTS: tuple[tuple[str, float], ...] = (("A", 0.9), ("B", 0.75), ("C", 0.6), ("D", 0.0))
FREQUENCY: dict[str, str] = {"A": "weekly", "B": "biweekly", "C": "monthly", "D": "quarterly"}
#: Check interval of each frequency in months (data).
CHECK_MONTHS: dict[str, float] = {"weekly": 7 / 28, "biweekly": 14 / 28, "monthly": 1.0, "quarterly": 3.0}


def month_number(period: np.ndarray | pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Months since year 0 (``12·year + month − 1``) of datetimes; NaN where missing."""
    d = pd.DatetimeIndex(pd.to_datetime(np.asarray(period)))
    return np.where(d.isna(), np.nan, (12 * d.year + d.month - 1).to_numpy(dtype=float))


def due(last_checked: np.ndarray, as_of: float, frequency: np.ndarray) -> np.ndarray:
    """Which items are due at month ``as_of`` (a :func:`month_number`).

    ``last_checked``: month number of each item's last check (NaN = never); ``frequency``:
    each item's frequency (keys of :data:`CHECK_MONTHS`). Due when never checked, when
    ``as_of − last_checked ≥`` the frequency's interval in months, or when the last check is
    after ``as_of`` (a back-scan: that check had not happened as of ``as_of``).
    """
    freq = pd.Series(np.asarray(frequency, dtype=object))
    interval = freq.map(CHECK_MONTHS).to_numpy(dtype=float)
    if np.isnan(interval).any():
        bad = sorted(set(freq[np.isnan(interval)].astype(str)))
        raise ValueError(f"unknown check frequency {', '.join(bad)}; expected one of "
                         f"{', '.join(CHECK_MONTHS)}")
    last = np.asarray(last_checked, dtype=float)
    return np.isnan(last) | (last > as_of) | (as_of - last >= interval)


def grade(top_share: np.ndarray) -> np.ndarray:
    """Grade A–D of each top-supplier share (see :data:`GRADE_CUTS`)."""
    s = np.asarray(top_share, dtype=float)
    out = np.full(s.shape, "D", dtype=object)
    for g, cut in reversed(GRADE_CUTS):
        out[s >= cut] = g
    return out


def generate(panel: MonthlyPanel, *, min_share: float = 0.5, months: int = 12,
             importers: list[str] | None = None) -> pd.DataFrame:
    """Watchlist of items whose top supplier had ≥ ``min_share`` of imports in the last ``months``.

    Items with a single reported supplier (mirror data) are excluded: their share is 1 by
    construction, not by dependence.
    """
    f = panel.flows[..., -months:].sum(axis=2)
    tot = f.sum(axis=1)
    n_sup = (f > 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        top = np.where(tot > 0, f.max(axis=1) / np.where(tot > 0, tot, 1), 0.0)
    keep = (top >= min_share) & (n_sup > 1)
    if importers is not None:
        keep &= panel.items.importer.isin(importers).to_numpy()
    out = panel.items[keep].copy()
    out["top_supplier"] = np.asarray(panel.partners, dtype=object)[f.argmax(axis=1)][keep]
    out["top_share"] = top[keep]
    out["grade"] = grade(top[keep])
    out["frequency"] = out.grade.map(FREQUENCY)
    out["origin"] = "generated"
    return out.reset_index(drop=True)
