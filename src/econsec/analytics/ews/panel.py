"""Monthly import panels for the early-warning system, and the signal evaluation over them.

A panel holds, for every watched item ``i = (importer, classification, product)``, the monthly
imports by supplier ``m_{ipt}`` and the item total ``M_{it}``. Imports come from the importer's
own import statistics; where the importer does not report in a source, the partner's reported
exports to it are used instead (mirror flows: Japan's exports by destination give every
destination's imports from Japan). Aggregate partners (WLD, EUN) are not suppliers; ``WLD``, when
present, is the item total. Pure: the store's side is :mod:`econsec.analytics.ews.data`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from econsec.analytics.ews import signals as sg
from econsec.analytics.ews.scoring import ScoringRules, level_codes, score
from econsec.analytics.ews.stl import stl_drop
from econsec.errors import OptionError

AGGREGATES = ("WLD", "EUN")
#: Goods groups whose world price is a signal (Pink Sheet series; data, extend freely).
PRICE_SERIES: dict[str, str] = {
    "Mineral Fuels": "CRUDE_BRENT", "Petroleum": "CRUDE_BRENT", "Petroleum Products": "CRUDE_BRENT",
    "(Petroleum Spirits)": "CRUDE_BRENT", "Lng": "NGAS_JP", "Lpg": "NGAS_JP", "Coal": "COAL_AUS",
    "(Coal N.e.s)": "COAL_AUS", "Iron Ore And Concentrates": "IRON_ORE", "Soy Beans": "SOYBEANS",
    "Nonferrous Metals": "COPPER", "Ore Of Nonferrous": "COPPER", "Cereals, Cereal Preparation": "MAIZE",
}


@dataclass(frozen=True)
class MonthlyPanel:
    """Imports of watched items by supplier: ``flows[i, p, t]`` and ``total[i, t]`` (source units)."""

    items: pd.DataFrame          # importer, classification, product (row i)
    partners: tuple[str, ...]    # supplier ISO3 (axis p)
    months: pd.DatetimeIndex     # first day of each month (axis t)
    flows: np.ndarray
    total: np.ndarray
    source: str
    vintage: str

    def select(self, rows: np.ndarray) -> MonthlyPanel:
        """The panel restricted to item rows ``rows`` (signals are per item, so scores agree)."""
        return MonthlyPanel(self.items.iloc[rows].reset_index(drop=True), self.partners, self.months,
                            self.flows[rows], self.total[rows], self.source, self.vintage)

    def upto(self, t: int) -> MonthlyPanel:
        """The panel as known at month index ``t`` (periods after t removed)."""
        return MonthlyPanel(self.items, self.partners, self.months[:t + 1],
                            self.flows[..., :t + 1], self.total[:, :t + 1], self.source, self.vintage)


def panel_from_frame(df: pd.DataFrame, *, source: str, vintage: str) -> MonthlyPanel:
    """Build a panel from long rows (importer, exporter, classification, product, year, month, value)."""
    df = df.copy()
    df["period"] = pd.to_datetime(dict(year=df.year, month=df.month, day=1))
    months = pd.date_range(df.period.min(), df.period.max(), freq="MS")
    item_keys = df[["importer", "classification", "product"]].drop_duplicates().sort_values(
        ["importer", "classification", "product"]).reset_index(drop=True)
    ii = pd.MultiIndex.from_frame(item_keys).get_indexer(
        pd.MultiIndex.from_frame(df[["importer", "classification", "product"]]))
    tt = months.get_indexer(df.period)
    sup = df.exporter.isin(AGGREGATES)
    partners = tuple(sorted(df.exporter[~sup].unique()))
    pp = pd.Index(partners).get_indexer(df.exporter[~sup])
    flows = np.zeros((len(item_keys), len(partners), len(months)))
    np.add.at(flows, (ii[~sup.values], pp, tt[~sup.values]), df.value[~sup].to_numpy(float))
    total = flows.sum(axis=1)
    w = (df.exporter == "WLD").values
    if w.any():
        wt = np.full(total.shape, np.nan)
        wt[ii[w], tt[w]] = df.value[w].to_numpy(float)
        total = np.where(np.isfinite(wt), wt, total)
    return MonthlyPanel(item_keys, partners, months, flows, total, source, vintage)


def evaluate(panel: MonthlyPanel, rules: ScoringRules, *, gprc: pd.DataFrame | None = None,
             prices: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
             window: int = 36, last: int | None = None) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """All signals ``(item, time)``, the score and the level code for every month of ``panel``.

    ``gprc``: columns country, period, value; ``prices``: series, period, value;
    ``events``: importer, classification, product (NULL = any), start, end, severity (z-units),
    optionally partner (see :func:`_event_matrix`).
    Causal: month t uses data ≤ t only. ``last``: compute only the final ``last`` months (a live
    scan); earlier months then score 0.
    """
    n_i, n_t = panel.total.shape
    # share signals need 12 trailing months: a scan (``last``) computes them on the tail only
    tail = n_t if last is None else min(n_t, last + 13)
    shares = sg.supplier_shares(panel.flows[..., n_t - tail:])

    def full(a: np.ndarray) -> np.ndarray:
        out = np.full((n_i, n_t), np.nan)
        out[:, n_t - tail:] = a
        return out

    sig: dict[str, np.ndarray] = {}
    # the value signals cost most: compute only those the rules weigh (data selects them)
    if rules.weights.get("value_drop", 0.0) > 0:
        sig["value_drop"] = sg.value_drop(panel.total, window, last=last)
    if rules.weights.get("stl_drop", 0.0) > 0:
        sig["stl_drop"] = stl_drop(panel.total, rules.stl_window, last=last)
    sig["share_shift"] = full(sg.share_shift(shares)[0])
    sig["concentration_jump"] = full(sg.concentration_jump(shares))
    if gprc is not None and len(gprc):
        g = gprc.pivot_table(index="country", columns="period", values="value")
        g = g.reindex(index=list(panel.partners), columns=panel.months)
        sig["supplier_gpr"] = full(sg.supplier_gpr(shares, g.to_numpy(float), window, last=last))
    if prices is not None and len(prices):
        p = prices.pivot_table(index="series", columns="period", values="value").reindex(
            columns=panel.months)
        spikes = sg.price_spike(p.to_numpy(float), window, last=last)
        names = panel.items["product"].map(PRICE_SERIES)
        rows = pd.Index(p.index).get_indexer(names.fillna(""))
        ps = np.zeros((n_i, n_t))
        ok = rows >= 0
        ps[ok] = spikes[rows[ok]]
        sig["price_spike"] = ps
    if events is not None and len(events):
        sig["policy_event"] = _event_matrix(panel, events)
    s = score(sig, rules)
    return sig, s, level_codes(s, rules)


def _event_matrix(panel: MonthlyPanel, events: pd.DataFrame, months: int = 12) -> np.ndarray:
    """Policy-event strength ``(item, time)``: the largest active event's severity, weighted.

    An event hits the importer's items whose classification equals the event's (NULL: any) and
    whose product equals the event's product, or starts with it when that is an all-digit HS
    prefix (NULL: every item). An event naming a supplier ``p`` (column ``partner``) is weighted
    by ``p``'s share of the item's imports over the previous ``months`` months,
    ``s_{ip,t} = Σ_{u=t−months}^{t−1} m_{ipu} / Σ_u M_{iu}`` (0 without history): a tariff on a
    supplier the importer does not buy from carries no supply risk. Without a partner the
    weight is 1 (every supplier).
    """
    out = np.zeros(panel.total.shape)
    it = panel.items
    prod = it["product"].astype(str)
    pidx = {c: k for k, c in enumerate(panel.partners)}
    tot_c = np.cumsum(np.concatenate([np.zeros((len(it), 1)), np.nan_to_num(panel.flows).sum(axis=1)], axis=1), axis=1)
    for ev in events.itertuples(index=False):  # events are few (user-entered or from a preset)
        m = (it.importer == ev.importer).to_numpy()
        cls = getattr(ev, "classification", None)
        if isinstance(cls, str) and cls:
            m = m & (it.classification == cls).to_numpy()
        code = getattr(ev, "product", None)
        if isinstance(code, str) and code:
            m = m & (prod.str.startswith(code) if code.isdigit() else prod == code).to_numpy()
        first = pd.Timestamp(ev.start).to_period("M").to_timestamp()  # the month it starts in counts
        act = (panel.months >= first) & (
            panel.months <= pd.Timestamp(ev.end) if pd.notna(ev.end) else True)
        sev = np.full(out.shape, float(ev.severity))
        partner = getattr(ev, "partner", None)
        if isinstance(partner, str) and partner:
            if partner not in pidx:
                continue
            f = np.nan_to_num(panel.flows[:, pidx[partner], :])
            c = np.cumsum(np.concatenate([np.zeros((len(it), 1)), f], axis=1), axis=1)
            t = np.arange(panel.total.shape[-1])
            lo = np.maximum(t - months, 0)
            num, den = c[:, t] - c[:, lo], tot_c[:, t] - tot_c[:, lo]
            with np.errstate(divide="ignore", invalid="ignore"):
                sev *= np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
        sel = np.ix_(m, np.asarray(act))
        out[sel] = np.maximum(out[sel], sev[sel])
    return out


def month_index(panel: MonthlyPanel, ym: str) -> int:
    """Index of month ``YYYY-MM`` in the panel.

    Raises :class:`~econsec.errors.OptionError` for a malformed month and for a month outside
    the panel's months, naming the first and latest months available: a month after the data
    is not "the latest data" (a scan as of it would be labelled with a month it never saw).
    """
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(ym)):
        raise OptionError(f"as-of month must be YYYY-MM, got {ym!r}")
    first, latest = f"{panel.months[0]:%Y-%m}", f"{panel.months[-1]:%Y-%m}"
    if ym > latest:
        raise OptionError(f"as-of month {ym} is after the latest month in {panel.source} ({latest})")
    if ym < first:
        raise OptionError(f"as-of month {ym} is before the first month in {panel.source} ({first})")
    return int(panel.months.get_loc(pd.Timestamp(ym + "-01")))


__all__ = ["AGGREGATES", "PRICE_SERIES", "MonthlyPanel", "evaluate", "month_index",
           "panel_from_frame"]
