"""Backtest of the early-warning score, month by month as if live (no look-ahead; methods.md §7.6).

Every signal at month t uses data up to t only (tested: scoring the panel truncated at t gives
the same month-t score), so scoring the whole history once equals running the scan each month.

For each documented disruption (:data:`EVENTS`) and the series it concerns (scope), an alert is an
*onset* — the level reaches ``alert_level`` at t but was below it at t−1. With S in-scope series
an event needs ``N = max(1, ⌈min_share · S⌉)`` series with an onset (so a broad event is not
"hit" by one stray alert), counted month by month from ``start − lead``:

* **hit** — N is reached in the early-warning window ``[start − lead, start]`` (an early
  warning warns before or at the event); lead time = ``start −`` the month N is reached (≥ 0);
* **late** — N is reached only in ``(start, start + lag]``: a late detection, not a warning
  (lead < 0: months late);
* **miss** — N is not reached by ``start + lag``.

Onsets on in-scope series in ``[start − lead, start + lag]`` are the event's (early or late);
onsets outside every such window, and on series no event concerns, are **false alarms**; the
false-alarm rate is false onsets per 100 series-months of quiet history. Thresholds are tuned
on the first half of each source's months (hit rate − ``fa_weight`` × false alarms per
series-month; late detections do not count as hits) and reported on the second half.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from econsec.analytics.ews.panel import MonthlyPanel, evaluate
from econsec.analytics.ews.scoring import ScoringRules, level_codes


@dataclass(frozen=True)
class Event:
    """A documented disruption and the series (importer × item in a source) it should flag."""

    name: str
    start: str                         # YYYY-MM
    source: str
    importers: tuple[str, ...] | None  # None = every importer …
    exclude: tuple[str, ...] = ()      # … except these
    products: tuple[str, ...] | None = None
    reference: str = ""


_JP_EXPORT_GOODS = ("TOTAL", "Motor Vehicles", "Parts Of Motor Vehicles", "Transport Equipment",
                    "Semiconductors Etc", "Electrical Machinery", "Machinery")
EVENTS: tuple[Event, ...] = (
    Event("Global financial crisis: trade collapse", "2008-10", "china_monthly", None,
          reference="Baldwin, R. (ed.) (2009), The Great Trade Collapse: Causes, Consequences and "
                    "Prospects, VoxEU.org / CEPR."),
    Event("China rare-earth export halt to Japan", "2010-09", "china_monthly", ("JPN",),
          reference="Bradsher, K. (2010), 'Amid Tension, China Blocks Vital Exports to Japan', "
                    "New York Times, 22 September 2010."),
    Event("Tohoku earthquake and tsunami (Japan's exports)", "2011-03", "japan_customs", None,
          exclude=("JPN",), products=_JP_EXPORT_GOODS,
          reference="METI (2011), White Paper on International Economy and Trade 2011, ch. 1 "
                    "(supply-chain disruption after the Great East Japan Earthquake, 11 March 2011)."),
    Event("Tohoku earthquake (China's imports from Japan)", "2011-03", "china_monthly", ("CHN",),
          reference="METI (2011), White Paper on International Economy and Trade 2011, ch. 1."),
    Event("Thai floods (Japan's imports of electronics)", "2011-10", "japan_customs", ("JPN",),
          products=("Computers And Units", "Parts Of Computer", "Semiconductors Etc", "(Ic)",
                    "Electrical Machinery"),
          reference="World Bank (2012), Thai Flood 2011: Rapid Assessment for Resilient Recovery "
                    "and Reconstruction Planning, Bangkok."),
    Event("Kumamoto earthquakes (Japan's exports)", "2016-04", "japan_customs", None,
          exclude=("JPN",), products=_JP_EXPORT_GOODS,
          reference="Japan Meteorological Agency (2016), The 2016 Kumamoto Earthquake (14 and 16 "
                    "April 2016); Toyota suspended most domestic assembly 18-23 April 2016 for "
                    "want of parts (company announcements)."),
    Event("U.S. Section 301 tariffs on China (lists 1-3)", "2018-07", "china_monthly", ("USA",),
          reference="USTR, Notices of Action, 83 FR 28710 (20 June 2018) and 83 FR 47974 "
                    "(21 September 2018)."),
    Event("China's retaliatory tariffs on U.S. goods", "2018-07", "china_monthly", ("CHN",),
          reference="State Council Tariff Commission of China, announcements of 16 June 2018 and "
                    "18 September 2018 (retaliation lists effective 6 July and 24 September 2018)."),
)
#: Known but outside the data: Japan's export controls on Korea (METI, 1 July 2019) — Japan
#: customs ends 2019-05 and China monthly covers only trade with China.


@dataclass(frozen=True)
class BacktestResult:
    """Per-event outcomes, per-half summary, the tuned rules and provenance."""

    events: pd.DataFrame
    summary: pd.DataFrame
    rules: ScoringRules
    alert_level: int
    tuning: pd.DataFrame
    method: str
    vintage: str


def _scope(panel: MonthlyPanel, ev: Event) -> np.ndarray:
    it = panel.items
    m = np.ones(len(it), dtype=bool)
    if ev.importers is not None:
        m &= it.importer.isin(ev.importers).to_numpy()
    if ev.exclude:
        m &= ~it.importer.isin(ev.exclude).to_numpy()
    if ev.products is not None:
        m &= it["product"].isin(ev.products).to_numpy()
    return m


def onsets(levels: np.ndarray, alert_level: int) -> np.ndarray:
    """True where the level first reaches ``alert_level`` (below it the month before)."""
    a = levels >= alert_level
    prev = np.zeros_like(a)
    prev[:, 1:] = a[:, :-1]
    return a & ~prev


def _first_onset(hits: np.ndarray) -> np.ndarray:
    """Series whose first onset in the window is at each month: counts per month (time,)."""
    any_ = hits.any(axis=1)
    first = hits.argmax(axis=1)[any_]
    return np.bincount(first, minlength=hits.shape[1])


Outcome = Literal["hit", "late", "miss", "no data"]


def _span(months: pd.DatetimeIndex, lo: int, hi: int) -> str:
    """``YYYY-MM..YYYY-MM`` of month indices ``lo..hi`` (``none`` when empty)."""
    return f"{months[lo]:%Y-%m}..{months[hi]:%Y-%m}" if hi >= lo else "none"


def evaluate_events(panels: dict[str, MonthlyPanel], on: dict[str, np.ndarray],
                    events: Sequence[Event], *, lead: int = 3, lag: int = 3, min_share: float = 0.1,
                    halves: dict[str, pd.Timestamp]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hits, late detections, misses, lead times and false alarms from onset arrays.

    ``on[source]``: onsets ``(series, month)``. Per event (columns): ``window`` (the
    early-warning window ``[start − lead, start]``, clipped to the data), ``late_window``
    (``(start, start + lag]``), ``series`` in scope, ``outcome`` (hit | late | miss; ``no data``
    when the start month is not in the source), ``hit`` (outcome == hit), ``first_alert``
    (the month the required count is reached), ``lead_months`` (start − first_alert; negative =
    late), ``series_early`` (series with an onset in the window), ``series_late`` (series whose
    only onsets are in the late window). Summary per half: events, hits, late, misses, mean
    lead of the hits, false alarms, quiet series-months, false alarms per 100.
    """
    rows = []
    covered = {s: np.zeros(o.shape, dtype=bool) for s, o in on.items()}
    for ev in events:
        if ev.source not in panels:
            continue
        p = panels[ev.source]
        sc = _scope(p, ev)
        half = "tune" if pd.Timestamp(ev.start + "-01") < halves[ev.source] else "report"
        t0 = int(p.months.get_indexer([pd.Timestamp(ev.start + "-01")])[0])
        if t0 < 0:   # the event is outside the source's months: not testable, not a miss
            rows.append({"event": ev.name, "source": ev.source, "start": ev.start, "half": half,
                         "window": "none", "late_window": "none", "series": int(sc.sum()),
                         "outcome": "no data", "hit": False, "first_alert": None,
                         "lead_months": None, "series_early": 0, "series_late": 0,
                         "reference": ev.reference})
            continue
        lo, hi = max(t0 - lead, 0), min(t0 + lag, len(p.months) - 1)
        covered[ev.source][np.ix_(sc, np.arange(lo, hi + 1))] = True
        w = on[ev.source][sc][:, lo:hi + 1]
        early = w[:, :t0 - lo + 1].any(axis=1)
        need = max(1, int(np.ceil(min_share * sc.sum())))
        ts = np.flatnonzero(np.cumsum(_first_onset(w)) >= need)
        first = lo + int(ts[0]) if len(ts) else None
        outcome: Outcome = "miss" if first is None else ("hit" if first <= t0 else "late")
        rows.append({"event": ev.name, "source": ev.source, "start": ev.start, "half": half,
                     "window": _span(p.months, lo, t0), "late_window": _span(p.months, t0 + 1, hi),
                     "series": int(sc.sum()), "outcome": outcome, "hit": outcome == "hit",
                     "first_alert": f"{p.months[first]:%Y-%m}" if first is not None else None,
                     "lead_months": (t0 - first) if first is not None else None,
                     "series_early": int(early.sum()),
                     "series_late": int((w.any(axis=1) & ~early).sum()), "reference": ev.reference})
    ev_df = pd.DataFrame(rows)
    summ = []
    for half in ("tune", "report"):
        fa = quiet = 0
        for s, o in on.items():
            tm = (panels[s].months < halves[s]) if half == "tune" else (panels[s].months >= halves[s])
            q = ~covered[s] & np.asarray(tm)[None, :]
            fa += int((o & q).sum())
            quiet += int(q.sum())
        e = ev_df[(ev_df.half == half) & (ev_df.outcome != "no data")] if len(ev_df) else ev_df
        n = {k: int((e.outcome == k).sum()) if len(e) else 0 for k in ("hit", "late", "miss")}
        leads = e.lead_months[e.outcome == "hit"].astype(float) if len(e) else pd.Series(dtype=float)
        summ.append({"half": half, "events": len(e), "hits": n["hit"], "late": n["late"],
                     "misses": n["miss"],
                     "mean_lead_months": float(leads.mean()) if len(leads) else np.nan,
                     "false_alarms": fa, "quiet_series_months": quiet,
                     "false_alarms_per_100": 100.0 * fa / quiet if quiet else np.nan})
    return ev_df, pd.DataFrame(summ)


def describe(halves: dict[str, pd.Timestamp], *, lead: int = 3, lag: int = 3) -> str:
    """The backtest's method in one line: score, onset, hit and late windows, tuning split."""
    return ("score = 100·min(1, Σ w_k min(z_k/c_k, cap)/cap); alert onset = level ≥ warning "
            f"after a month below; hit = onset in the early-warning window [start−{lead}, start] "
            f"months; late = onset only in (start, start+{lag}] (a late detection, not a hit); "
            f"tuned on first half (split {', '.join(f'{s}: {h:%Y-%m}' for s, h in halves.items())})")


def run_backtest(panels: dict[str, MonthlyPanel], *, gprc: pd.DataFrame | None = None,
                 prices: pd.DataFrame | None = None, events: Sequence[Event] = EVENTS,
                 base: ScoringRules | None = None, grid: Sequence[float] = (30, 35, 40, 45, 50, 55, 60),
                 persist: Sequence[tuple[int, int]] = ((1, 1), (2, 3)),
                 fa_weight: float = 10.0, lead: int = 3, lag: int = 3) -> BacktestResult:
    """Tune the warning threshold and k-of-n on the first half; report both halves.

    Objective on the tuning half: hit rate − ``fa_weight`` × false alarms per series-month,
    where a hit is an early warning (``lead`` months before the start up to the start; late
    detections up to ``lag`` months after do not count, see :func:`evaluate_events`).
    """
    base = base or ScoringRules()
    scores = {}
    for s, p in panels.items():
        _, sc, _ = evaluate(p, base, gprc=gprc, prices=prices)
        scores[s] = sc
    halves = {s: p.months[len(p.months) // 2] for s, p in panels.items()}
    tune_rows = []
    best: tuple[float, ScoringRules] | None = None
    for thr in grid:
        for k, n in persist:
            r = replace(base, watch=min(base.watch, thr), warning=thr, critical=max(base.critical, thr), k=k, n=n)
            on = {s: onsets(level_codes(sc, r), 2) for s, sc in scores.items()}
            _, summ = evaluate_events(panels, on, events, halves=halves, lead=lead, lag=lag)
            t = summ.iloc[0]
            obj = t.hits / max(t.events, 1) - fa_weight * t.false_alarms / max(t.quiet_series_months, 1)
            tune_rows.append({"warning": thr, "k": k, "n": n, "hits": t.hits, "events": t.events,
                              "false_alarms_per_100": t.false_alarms_per_100, "objective": obj})
            if best is None or obj > best[0] + 1e-12:
                best = (obj, r)
    assert best is not None
    rules = best[1]
    on = {s: onsets(level_codes(sc, rules), 2) for s, sc in scores.items()}
    ev_df, summ = evaluate_events(panels, on, events, halves=halves, lead=lead, lag=lag)
    method = describe(halves, lead=lead, lag=lag)
    vintage = "; ".join(f"{s}: {p.vintage}" for s, p in panels.items())
    return BacktestResult(ev_df, summ, rules, 2, pd.DataFrame(tune_rows), method, vintage)
