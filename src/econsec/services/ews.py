"""Early-warning operations: watchlists, scans (alerts with lifecycle and dedup), notifications.

A scan evaluates the watched items that are *due* as of a data month (no look-ahead): an item
is due when its last check in that source (``ews_checks``) is at least its grade's check
interval old (``econsec.analytics.ews.watchlist.due``); ``all_items=True`` checks every item.
It writes its checks and alerts in ONE transaction, so a scan killed midway leaves the store as
before. An alert is an episode of an importer × item from its first month (``dedup_key``
``importer|classification|product|first month``) to its ``as_of`` month, and holds the score,
level and explanation of its ``as_of`` month (the level is always the level of that score).
A scan as of month t continues the item's open episode (status not ``resolved``) that ended
at or before t, and never touches an episode that already holds a month after t (see
:func:`_episode_action`). Notifications go out after the commit, for every alert without a
successful delivery, so a restart re-sends what was not delivered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd

from econsec.analytics.ews import watchlist as wl
from econsec.analytics.ews.backtest import BacktestResult, run_backtest
from econsec.analytics.ews.data import load_monthly_panel, store_inputs
from econsec.analytics.ews.panel import MonthlyPanel, evaluate, month_index
from econsec.analytics.ews.scoring import LEVELS, ScoringRules, explain
from econsec.errors import ConflictError, EconsecError, NotFoundError, check_choice, choices
from econsec.services.notify import Delivery, post_webhook, send_smtp
from econsec.store import Store
from econsec.store.queries import ews as q

Status = Literal["new", "acknowledged", "confirmed", "no_impact", "resolved"]
STATUSES: tuple[Status, ...] = choices(Status)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("acknowledged", "confirmed", "no_impact", "resolved"),
    "acknowledged": ("confirmed", "no_impact", "resolved"),
    "confirmed": ("resolved",), "no_impact": ("resolved",), "resolved": (),
}


class EwsError(EconsecError):
    """A bad early-warning request (unknown alert, forbidden transition, empty data)."""


@dataclass(frozen=True)
class ScanResult:
    """What a scan did: the as-of month, items in scope, how many were due, checked and skipped,
    alerts created/updated, alerts kept (they already hold a later month), deliveries."""

    as_of: str
    source: str
    vintage: str
    items: int
    created: list[int]
    updated: list[int]
    alerts: pd.DataFrame
    deliveries: list[Delivery] = field(default_factory=list)
    due: int = 0
    checked: int = 0
    skipped: int = 0
    forced: bool = False
    kept: list[int] = field(default_factory=list)

    def summary(self) -> str:
        kept = (f", {len(self.kept)} kept (they already hold a later month)" if self.kept else "")
        return (f"scan {self.source} as of {self.as_of}: {self.items} items, {self.due} due, "
                f"{self.checked} checked{' (--all)' if self.forced else ''}, {self.skipped} skipped; "
                f"{len(self.created)} new alerts, {len(self.updated)} updated{kept}")


# -- watchlists ------------------------------------------------------------------------------
def generate_watchlist(store: Store, source: str, *, importers: list[str] | None = None,
                       min_share: float = 0.5) -> pd.DataFrame:
    """Generate and upsert the watchlist of ``source`` (manual entries are kept)."""
    g = wl.generate(load_monthly_panel(store, source), min_share=min_share, importers=importers)
    g["added_at"] = datetime.now()
    with store.transaction() as con:
        q.add_generated_watches(con, g)
    return g


def add_watch(store: Store, importer: str, classification: str, product: str, *, grade: str = "B",
              note: str | None = None) -> None:
    """Add (or replace) a manual watchlist entry."""
    check_choice(grade, wl.FREQUENCY, option="grade")
    with store.transaction() as con:
        q.put_manual_watch(con, importer, classification, product, grade=grade,
                           frequency=wl.FREQUENCY[grade], note=note, added_at=datetime.now())


def watchlist(store: Store, importer: str | None = None) -> pd.DataFrame:
    """Watched items (all, or of ``importer``), by importer, grade and product."""
    return q.watchlist(store, importer or None)


# -- scan ------------------------------------------------------------------------------------
def scan(store: Store, source: str, *, as_of: str | None = None, rules: ScoringRules | None = None,
         pair: tuple[str, str] | None = None, webhook: str | None = None,
         progress: Callable[[str], None] | None = None, now: datetime | None = None,
         panel: MonthlyPanel | None = None, smtp: tuple[str, int] | None = None,
         mail_to: list[str] | None = None, mail_from: str = "econsec-ews@localhost",
         all_items: bool = False) -> ScanResult:
    """Scan the due watched items of ``source`` as of month ``as_of`` (``YYYY-MM``; default latest).

    Due: never checked in ``source``, or last checked at least the grade's interval before
    ``as_of`` (:func:`econsec.analytics.ews.watchlist.due`); ``all_items`` checks every item.
    The checked items' last-checked month (never moved backwards) is written in the same
    transaction as the alerts. An alerting item continues its open alert ended at or before
    ``as_of`` (score, level, explanation and ``as_of`` replaced by this month's), or opens a new
    one; an open alert that already holds a later month is left as it is (``kept``): a scan of
    month t never rewrites what later months said.

    With ``pair=(A, B)`` only A's items are scanned and each alert carries cover options from B.
    After the commit, pending alerts go to ``webhook`` and, with ``smtp=(host, port)`` and
    ``mail_to``, by e-mail (:func:`notify_pending_smtp`).

    Four steps: load (:func:`_scan_load`), score (:func:`_scan_score`), persist in one
    transaction (:func:`_scan_persist`), notify after the commit.
    """
    rules = rules or ScoringRules()
    now = now or datetime.now()
    work = _scan_load(store, source, as_of=as_of, pair=pair, panel=panel, all_items=all_items)
    scores = _scan_score(store, work.checked, rules)
    created, updated, kept = _scan_persist(store, source, work, scores, rules, pair=pair, now=now,
                                           progress=progress)
    deliveries = notify_pending(store, webhook) if webhook else []
    if smtp is not None and mail_to:
        deliveries += notify_pending_smtp(store, smtp[0], smtp[1], mail_to, sender=mail_from)
    p, n_scope = work.checked, int(work.scope.sum())
    return ScanResult(f"{work.month:%Y-%m}", source, p.vintage, n_scope, created, updated,
                      alerts(store), deliveries, due=int(work.due.sum()), checked=len(p.items),
                      skipped=n_scope - len(p.items), forced=all_items, kept=kept)


@dataclass(frozen=True)
class _ScanWork:
    """What a scan reads (:func:`_scan_load`): the panel of every watched item up to the as-of
    month, which items are in scope and due, and the sub-panel of the items checked."""

    known: MonthlyPanel        # every item, months up to as_of
    scope: np.ndarray          # bool per item of ``known``: in scope (A's items in joint mode)
    due: np.ndarray            # bool per item: in scope and due by its grade's frequency
    rows: np.ndarray           # positions in ``known`` of the items checked
    checked: MonthlyPanel      # the items checked, months up to as_of

    @property
    def month(self) -> pd.Timestamp:
        return self.known.months[-1]


@dataclass(frozen=True)
class _ScanScores:
    """Signals, score and level codes of the checked items (``item × month``); ``hit``: rows
    whose as-of month raises an alert (level above none)."""

    signals: dict[str, np.ndarray]
    score: np.ndarray
    level: np.ndarray
    hit: np.ndarray


def _scan_load(store: Store, source: str, *, as_of: str | None, pair: tuple[str, str] | None,
               panel: MonthlyPanel | None, all_items: bool) -> _ScanWork:
    """Load: the watchlist's monthly panel up to ``as_of``, the items in scope, due and checked."""
    wlist = watchlist(store)
    full = panel or load_monthly_panel(store, source, items=wlist if len(wlist) else None)
    if full.total.size == 0:
        raise EwsError(f"no monthly import data for the watchlist in source {source!r}")
    t = full.total.shape[1] - 1 if as_of is None else month_index(full, as_of)
    known = full.upto(t)
    scope = np.ones(len(full.items), dtype=bool)
    if pair is not None:
        scope = full.items.importer.to_numpy() == pair[0]
    is_due = scope & _due(store, full, source, full.months[t], wlist)
    rows = np.flatnonzero(scope if all_items else is_due)
    return _ScanWork(known, scope, is_due, rows, known.select(rows))


def _scan_score(store: Store, p: MonthlyPanel, rules: ScoringRules) -> _ScanScores:
    """Score: every signal of the checked items (with GPRC, prices and policy events)."""
    if not len(p.items):
        empty = np.zeros((0, len(p.months)))
        return _ScanScores({}, empty, empty.astype(int), np.zeros(0, dtype=int))
    g, pr = store_inputs(store)
    sig, sc, lv = evaluate(p, rules, gprc=g, prices=pr, events=q.event_inputs(store),
                           last=max(rules.n, 1))
    return _ScanScores(sig, sc, lv, np.flatnonzero(lv[:, -1] > 0))


def _scan_persist(store: Store, source: str, work: _ScanWork, scores: _ScanScores,
                  rules: ScoringRules, *,
                  pair: tuple[str, str] | None, now: datetime,
                  progress: Callable[[str], None] | None) -> tuple[list[int], list[int], list[int]]:
    """Persist, in one transaction: the checks first (a scan killed while writing alerts must
    leave them unwritten too), then each alerting item's alert, by :func:`_episode_action`.
    Returns the alert ids created, updated and kept."""
    p, month = work.checked, work.month
    created: list[int] = []
    updated: list[int] = []
    kept: list[int] = []
    checked = p.items[["importer", "classification", "product"]].assign(
        source=source, last_checked=month.date(), checked_at=now)
    with store.transaction() as con:
        q.record_checks(con, checked)
        if progress is not None:
            progress("checks")
        open_: dict[tuple[str, str, str], list[tuple[int, pd.Timestamp, pd.Timestamp]]] = {}
        was: dict[int, tuple[str, str]] = {}
        for a in q.open_alerts(con).itertuples(index=False):
            open_.setdefault((a.importer, a.classification, a.product), []).append(
                (int(a.alert_id), pd.Timestamp(a.dedup_key.rsplit("|", 1)[1] + "-01"),
                 pd.Timestamp(a.as_of)))
            was[int(a.alert_id)] = (a.level, a.status)
        next_id = q.next_alert_id(con)
        for i in scores.hit:
            imp, cls, prod = (str(x) for x in p.items.iloc[i][["importer", "classification", "product"]])
            action, aid = _episode_action(open_.get((imp, cls, prod), []), month)
            if action == "keep":
                kept.append(aid)
                continue
            level = LEVELS[int(scores.level[i, -1])]   # the level of this month's score, never a past one
            score = float(scores.score[i, -1])
            why = json.dumps(explain(scores.signals, (int(i), -1), rules))
            cover = (json.dumps(cover_options(work.known, int(work.rows[i]), pair[1], store))
                     if pair else None)
            if action == "update":
                q.update_alert(con, aid, level=level, score=score, signals=why, cover=cover,
                               as_of=month.date(), seen=now)
                old, status = was[aid]
                if old != level:   # the row holds the latest month's level; the history keeps the path
                    q.add_history(con, aid, at=now, from_status=status, to_status=status,
                                  note=f"level {old} → {level}: scan as of {month:%Y-%m}, "
                                       f"score {score:.1f}")
                updated.append(aid)
            else:
                aid = next_id
                next_id += 1
                q.insert_alert(con, aid, dedup_key=f"{imp}|{cls}|{prod}|{month:%Y-%m}", importer=imp,
                               classification=cls, product=prod, level=level, score=score,
                               signals=why, cover=cover, source=source, vintage=p.vintage,
                               as_of=month.date(), seen=now)
                q.add_history(con, aid, at=now, from_status=None, to_status="new",
                              note=f"scan as of {month:%Y-%m}, score {score:.1f}")
                created.append(aid)
            if progress is not None:
                progress("writing")
    return created, updated, kept


def _episode_action(episodes: Sequence[tuple[int, pd.Timestamp, pd.Timestamp]],
                    month: pd.Timestamp) -> tuple[Literal["keep", "update", "new"], int]:
    """What a scan as of ``month`` does for an alerting item with open alerts ``episodes``.

    Each episode is ``(alert_id, first month, as_of)``. One that already holds a month after
    ``month`` (``first ≤ month < as_of``) is **kept** untouched: a scan as of t never rewrites
    what a later month said. Otherwise the open episode with the latest ``as_of ≤ month`` is
    **updated** to ``month`` (a re-scan of its own month recomputes it); without one a **new**
    episode starts at ``month`` (also when the item's only open episodes start after ``month``:
    an earlier episode found by a back-scan). Returns the action and the alert id (0 for new).
    """
    for aid, first, last in episodes:
        if first <= month < last:
            return "keep", aid
    before = [(last, aid) for aid, _, last in episodes if last <= month]
    if before:
        return "update", max(before)[1]
    return "new", 0


def _due(store: Store, panel: MonthlyPanel, source: str, month: pd.Timestamp,
         wlist: pd.DataFrame) -> np.ndarray:
    """Due flags of the panel's items at ``month`` from their last check and frequency.

    Items in the panel but not on the watchlist (a panel passed in) are checked monthly.
    """
    keys = ["importer", "classification", "product"]
    last = q.last_checks(store, source)
    it = panel.items[keys].merge(last, on=keys, how="left").merge(
        wlist[[*keys, "frequency"]] if len(wlist) else pd.DataFrame(columns=[*keys, "frequency"]),
        on=keys, how="left")
    freq = it.frequency.fillna("monthly").to_numpy(dtype=object)
    return wl.due(wl.month_number(it.last_checked), float(wl.month_number([month])[0]), freq)


def cover_options(p: MonthlyPanel, i: int, partner: str, store: Store, months: int = 12) -> dict[str, object]:
    """Cover for item ``i``: B's supplies of the same item to every importer in the panel over
    the last ``months``, A's other suppliers with their shares, and whether B watches it."""
    it = p.items
    same = ((it.classification == it.classification.iloc[i]) & (it["product"] == it["product"].iloc[i])).to_numpy()
    last = p.flows[..., -months:].sum(axis=2)
    pidx = {c: k for k, c in enumerate(p.partners)}
    b_supply = float(last[same, pidx[partner]].sum()) if partner in pidx else None
    own = last[i]
    tot = own.sum()
    order = np.argsort(-own)[:5]
    others = [{"supplier": p.partners[k], "share": round(float(own[k] / tot), 4)}
              for k in order if own[k] > 0 and tot > 0]
    watched = q.is_watched(store, partner, str(it.classification.iloc[i]), str(it["product"].iloc[i]))
    return {"partner": partner, "partner_supply_last_12m": b_supply, "suppliers": others,
            "partner_watches_item": bool(watched), "units": f"{p.source} value units"}


# -- alerts ------------------------------------------------------------------------------------
def alerts(store: Store, status: str | None = None) -> pd.DataFrame:
    """Alerts (all, or with ``status``) by id."""
    return q.alerts(store, status or None)


def alerts_explained(store: Store, importers: Sequence[str] | None = None,
                     open_only: bool = True) -> pd.DataFrame:
    """Alerts with their reasons and partner cover in words, strongest first.

    Columns: alert_id, importer, classification, product, as_of (YYYY-MM), score, level, status,
    drivers (the signals that scored, by points: ``name value (points)``), cover_partner,
    cover_supply_12m (the partner's supply of the item over the 12 months to as_of, in
    ``units``, the source's currency), cover_share (its share among the item's suppliers), partner_watches.
    """
    df = q.alerts_with_units(store)
    if importers is not None:
        df = df[df["importer"].isin(list(importers))]
    if open_only:
        df = df[df["status"] != "resolved"]
    # a column with stored and NULL JSON comes back with NaN for NULL: only text is JSON
    sig = df["signals"].map(lambda j: sorted(json.loads(j) if isinstance(j, str) and j else [],
                                             key=lambda x: -x["points"]))
    cov = df["cover"].map(lambda j: json.loads(j) if isinstance(j, str) and j else {})
    out = df.drop(columns=["signals", "cover"]).assign(
        as_of=pd.to_datetime(df["as_of"]).dt.strftime("%Y-%m"),
        drivers=sig.map(lambda xs: "; ".join(f"{x['signal']} {x['value']:.3g} ({x['points']:.1f})"
                                             for x in xs if x["points"] > 0)),
        cover_partner=cov.map(lambda c: c.get("partner")),
        cover_supply_12m=cov.map(lambda c: c.get("partner_supply_last_12m")),
        cover_share=cov.map(lambda c: next((x["share"] for x in c.get("suppliers", [])
                                            if x["supplier"] == c.get("partner")), None)),
        partner_watches=cov.map(lambda c: c.get("partner_watches_item")))
    return out.reset_index(drop=True)


def transition(store: Store, alert_id: int, to: str, note: str | None = None) -> None:
    """Move an alert along its lifecycle (see :data:`TRANSITIONS`), recording the history."""
    check_choice(to, Status, option="status")
    with store.transaction() as con:
        was = q.alert_status(con, alert_id)
        if was is None:
            raise NotFoundError(f"no alert {alert_id}")
        if to not in TRANSITIONS[was]:
            raise ConflictError(f"alert {alert_id} is {was}: it can go to "
                                f"{', '.join(TRANSITIONS[was]) or 'nothing (closed)'}, not {to}")
        q.set_alert_status(con, alert_id, to)
        q.add_history(con, alert_id, at=datetime.now(), from_status=was, to_status=to, note=note)


def alert(store: Store, alert_id: int) -> pd.DataFrame:
    """Every column of alert ``alert_id`` (NotFoundError when there is none)."""
    row = q.alert(store, alert_id)
    if row.empty:
        raise NotFoundError(f"no alert {alert_id}")
    return row


def history(store: Store, alert_id: int) -> pd.DataFrame:
    """The status changes of alert ``alert_id``, oldest first."""
    return q.history(store, alert_id)


def alerts_provenance(store: Store) -> pd.DataFrame:
    """Per source and vintage of the alerts: the latest data month and how many alerts."""
    return q.alerts_by_source(store)


def notify_pending(store: Store, webhook: str, **kw: float) -> list[Delivery]:
    """POST every alert without a successful webhook delivery; log each outcome."""
    todo = q.undelivered(store, "webhook")
    out = []
    for r in todo.to_dict(orient="records"):
        payload = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
        payload["signals"] = json.loads(str(r["signals"]))
        d = post_webhook(webhook, payload, **kw)  # type: ignore[arg-type]
        with store.transaction() as con:
            q.record_delivery(con, int(r["alert_id"]), channel=d.channel, target=d.target,
                              at=datetime.now(), attempts=d.attempts, ok=d.ok, detail=d.detail)
        out.append(d)
    return out


def notify_pending_smtp(store: Store, host: str, port: int, to: list[str], *,
                        sender: str = "econsec-ews@localhost") -> list[Delivery]:
    """E-mail every alert without a successful SMTP delivery to ``to``; log each outcome.

    One plain-text message per alert: importer, item, level, score, status and the explanation
    (signal, value, points). Delivered alerts are not sent again.
    """
    target = ",".join(to)
    todo = q.undelivered(store, "smtp", target)
    out = []
    for r in todo.to_dict(orient="records"):
        why = json.loads(str(r["signals"]))
        item = f"{r['importer']} {r['classification']} {r['product']}"
        text = "\n".join([
            f"alert {r['alert_id']}: {item}", f"level: {r['level']}", f"score: {float(r['score']):.1f}",
            f"status: {r['status']}", f"as of: {r['as_of']:%Y-%m}", f"source: {r['source']} ({r['vintage']})",
            "signals:", *(f"  {w['signal']}: value {w['value']}, {w['points']} points" for w in why)])
        d = send_smtp(host, port, sender, to, f"[econsec EWS] {r['level']}: {item} "
                      f"(score {float(r['score']):.1f})", text)
        with store.transaction() as con:
            q.record_delivery(con, int(r["alert_id"]), channel=d.channel, target=d.target,
                              at=datetime.now(), attempts=d.attempts, ok=d.ok, detail=d.detail)
        out.append(d)
    return out


# -- policy events -----------------------------------------------------------------------------
def add_event(store: Store, importer: str, start: str, description: str, *, severity: float = 3.0,
              end: str | None = None, classification: str | None = None, product: str | None = None,
              reference: str | None = None, partner: str | None = None) -> int:
    """Record a policy event (user-filled); it feeds the ``policy_event`` signal.

    ``partner``: the supplier it hits (the signal weights it by that supplier's import share);
    None = every supplier. ``product``: an item code, or an all-digit HS prefix.
    """
    if end is not None and pd.Timestamp(end) < pd.Timestamp(start):
        raise EwsError(f"event end {end} is before its start {start}")
    with store.transaction() as con:
        eid = q.last_event_id(con) + 1
        q.insert_event(con, eid, importer=importer, start=pd.Timestamp(start).date(),
                       severity=severity, description=description,
                       end=pd.Timestamp(end).date() if end else None, classification=classification,
                       product=product, reference=reference, partner=partner)
    return eid


def events(store: Store, importer: str | None = None) -> pd.DataFrame:
    """Stored policy events (optionally of one importer)."""
    return q.events(store, importer or None)


#: Severity (z-units) of a tariff measure per percentage point of additional duty: 10 pp ≈ 1 z.
SEVERITY_PER_POINT = 0.1


def events_from_preset(store: Store, name: str, *, start: str | None = None) -> pd.DataFrame:
    """Turn tariff preset ``name``'s measures (and its retaliation) into policy events.

    Supply-risk reading: a measure by imposer ``I`` on targets ``T`` raises the risk of ``I``'s
    imports from each ``t ∈ T`` (importer ``I``, partner ``t``); retaliation (``T`` taxing
    ``I``) is the same rule with roles swapped. Groups are expanded to members in force on the
    effective date; ``ALL`` targets become one event without partner (every supplier; excluded
    codes are not subtracted). Severity = ``SEVERITY_PER_POINT · rate`` (z-units); HS product
    prefixes become one event each. Start = the measure's effective date (``start`` for
    measures without one, e.g. proposals); no end. Re-running replaces the preset's events.
    """
    from econsec.analytics.scenarios import load_preset
    from econsec.analytics.scenarios.shocks import expand

    spec = load_preset(name)  # an unknown name is a NotFoundError listing the presets
    ms = [(m, False) for m in spec.measures]
    if spec.retaliation.mode == "proportional":
        ms += [(m, True) for m in spec.measures]
    elif spec.retaliation.mode == "custom":
        ms += [(m, False) for m in spec.retaliation.measures]
    rows: list[tuple[str, str | None, str | None, str, float, str, str]] = []
    for m, mirror in ms:
        when = m.effective.isoformat() if m.effective else start
        if when is None:
            raise EwsError(f"preset {name}: a measure by {m.imposer} has no effective date (a proposal); "
                           "pass --start YYYY-MM")
        imposers = expand(m.imposer, m.effective)
        drop = {c for x in m.exclude for c in expand(x, m.effective)}
        named = sorted({c for t in m.targets for c in expand(t, m.effective)} - drop)
        targets: list[str | None] = [None] if m.all_targets else [c for c in named]
        pairs = [(t, i) for i in imposers for t in targets if t is not None] if mirror else \
            [(i, t) for i in imposers for t in targets if t != i]
        for imp, partner in pairs:
            for prod in m.products or (None,):
                what = (f"{imp} {m.rate:g}% ({m.mode}) on {partner or 'all'}"
                        + (" (retaliation)" if mirror else ""))
                rows.append((imp, partner, prod, when, SEVERITY_PER_POINT * m.rate,
                             f"[preset {name}] {what}{' HS ' + prod if prod else ''}",
                             f"preset {name}: {', '.join(m.source)}"))
    with store.transaction() as con:   # one transaction: replace the preset's events
        q.delete_events_by_reference(con, f"preset {name}: ")
        eid = q.last_event_id(con)
        for k, (imp, partner, prod, when, sev, desc, ref) in enumerate(rows, start=1):
            q.insert_event(con, eid + k, importer=imp, partner=partner, product=prod,
                           start=pd.Timestamp(when).date(), severity=sev, description=desc,
                           reference=ref)
    ev = events(store)
    return ev[ev.reference.fillna("").str.startswith(f"preset {name}: ")].reset_index(drop=True)


# -- watchlists from the critical-item screens -------------------------------------------------
def watchlist_from_screens(store: Store, importer: str, *, year: int, source: str = "comtrade_hs2",
                           replace: bool = False) -> pd.DataFrame:
    """Watch the products any of the four critical-item screens flags for ``importer``.

    Screens: EU 2021, GeoDep, MERICS, Korea (``econsec.services.indicators.critical_items``,
    methods.md §1). Grades and frequencies by the top-supplier share, as the single-supplier
    rule (:data:`econsec.analytics.ews.watchlist.GRADE_CUTS`). Classification ``HS`` (the
    source's HS codes, any revision). Manual entries are kept; existing generated entries too,
    unless ``replace``.
    """
    from econsec.services.indicators import critical_items

    r = critical_items(store, importer, year=year, source=source)
    f = r.frame
    flags = [c for c in f.columns if c.startswith("flag_")]
    f = f[f[flags].any(axis=1)]
    top = f.top1_share.to_numpy(float)
    g = pd.DataFrame({"importer": f.importer.astype(str), "classification": "HS",
                      "product": f["product"].astype(str), "grade": wl.grade(top),
                      "top_supplier": f.top1_supplier, "top_share": top,
                      "note": [f"{r.source} {year}: " + ", ".join(c[5:] for c in flags if x[c])
                               for x in f[flags].to_dict(orient="records")]})
    g["frequency"] = g.grade.map(wl.FREQUENCY)
    g["added_at"] = datetime.now()
    with store.transaction() as con:
        if replace:
            q.delete_generated_watches(con, importer, "HS")
        q.add_generated_watches(con, g)
    return g.reset_index(drop=True)


def rules_for(value_signal: str | None = None) -> ScoringRules:
    """Default scoring rules, with the value weight on ``value_signal`` when given
    (``value_drop`` | ``stl_drop``)."""
    r = ScoringRules()
    if value_signal is None:
        return r
    # a str from an interface: with_value_signal checks it (OptionError naming the allowed values)
    return r.with_value_signal(value_signal)  # type: ignore[arg-type]


def backtest(store: Store, sources: tuple[str, ...] = ("japan_customs", "china_monthly"), *,
             rules: ScoringRules | None = None) -> BacktestResult:
    """Run :func:`econsec.analytics.ews.backtest.run_backtest` on the store's monthly trade
    (``rules``: the base rules whose warning threshold and k-of-n the backtest tunes)."""
    have = q.monthly_sources(store)
    panels = {s: load_monthly_panel(store, s) for s in sources if s in have}
    if not panels:
        raise EwsError(f"none of {', '.join(sources)} is in the store: ingest them first")
    g, pr = store_inputs(store)
    return run_backtest(panels, gprc=g, prices=pr, base=rules)
