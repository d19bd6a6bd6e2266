"""Early-warning signals (methods.md §7.2): pure functions over ``(series, time)`` arrays.

Every signal is computed at month *t* from data up to and including *t* only (no look-ahead),
so a backtest that evaluates month *t* sees exactly what a live scan at *t* would.

Seasonal adjustment is the year-over-year log change (Box–Jenkins seasonal differencing)

.. math:: d_t = \\ln x_t - \\ln x_{t-12},

which removes a stable monthly pattern. Its "normal" behaviour is summarised robustly by the
rolling median and MAD of the previous ``window`` months (Rousseeuw & Croux 1993; the factor
1.4826 makes the MAD consistent for a normal σ):

.. math:: z_t = \\frac{d_t - \\operatorname{med}(d_{t-w..t-1})}
                       {1.4826\\,\\operatorname{MAD}(d_{t-w..t-1})}.

Drops are ``-z`` (positive when imports fall below the seasonal norm), spikes are ``+z``.
Supplier risk uses the Caldara & Iacoviello (AER 2022) country GPR indices (GPRC_xxx).
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

MAD_SCALE = 1.4826
SEASON = 12


def yoy_log_change(x: np.ndarray, season: int = SEASON) -> np.ndarray:
    """Seasonal log difference ``d_t = ln x_t − ln x_{t−season}`` along the last axis.

    Non-positive or missing values give NaN; the first ``season`` periods are NaN.
    """
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lx = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
    out = np.full_like(lx, np.nan)
    out[..., season:] = lx[..., season:] - lx[..., :-season]
    return out


def robust_z(d: np.ndarray, window: int = 36, min_periods: int = 12,
             mad_floor: float = 0.02, last: int | None = None) -> np.ndarray:
    """Robust z-score of ``d_t`` against the median/MAD of the ``window`` previous periods.

    ``z_t = (d_t − med) / max(1.4826·MAD, mad_floor)``; only past values enter the norm (the
    window ends at t−1). NaN where fewer than ``min_periods`` past values are finite. The floor
    keeps a near-constant history from turning tiny moves into huge z (units of ``d``).
    With ``last`` only the final ``last`` periods are computed (earlier ones are NaN): a live
    scan needs the current month only.
    """
    d = np.asarray(d, dtype=float)
    shape = d.shape
    d2 = d.reshape(-1, shape[-1])
    n, t = d2.shape
    pad = np.full((n, window), np.nan)
    past = sliding_window_view(np.concatenate([pad, d2], axis=1)[:, :-1], window, axis=1)
    # past[:, j, :] = d[j-window .. j-1]
    first = 0 if last is None else max(t - last, 0)
    past = past[:, first:]
    cnt = np.isfinite(past).sum(axis=2)
    with np.errstate(all="ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            med = np.nanmedian(past, axis=2)
            mad = np.nanmedian(np.abs(past - med[..., None]), axis=2)
    scale = np.maximum(MAD_SCALE * mad, mad_floor)
    z = np.full(d2.shape, np.nan)
    z[:, first:] = (d2[:, first:] - med) / scale
    z[:, first:][cnt < min_periods] = np.nan
    return z.reshape(shape)


def value_drop(x: np.ndarray, window: int = 36, min_periods: int = 12,
               last: int | None = None) -> np.ndarray:
    """Import value (or volume) drop against the seasonal norm: ``max(−z_t, 0)`` of the YoY log change."""
    return np.clip(-robust_z(yoy_log_change(x), window, min_periods, last=last), 0.0, None)


def price_spike(p: np.ndarray, window: int = 36, min_periods: int = 12,
                last: int | None = None) -> np.ndarray:
    """Unit-value or price spike: ``max(z_t, 0)`` of the YoY log change of a price series."""
    return np.clip(robust_z(yoy_log_change(p), window, min_periods, last=last), 0.0, None)


def unit_value(value: np.ndarray, quantity: np.ndarray) -> np.ndarray:
    """Unit value ``value / quantity`` (NaN where quantity ≤ 0 or missing)."""
    value = np.asarray(value, dtype=float)
    quantity = np.asarray(quantity, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(quantity > 0, value / np.where(quantity > 0, quantity, 1.0), np.nan)


def supplier_shares(flows: np.ndarray) -> np.ndarray:
    """Supplier shares ``s_{ipt} = m_{ipt} / Σ_p m_{ipt}`` of a ``(item, partner, time)`` array."""
    flows = np.nan_to_num(np.asarray(flows, dtype=float), nan=0.0)
    tot = flows.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tot > 0, flows / np.where(tot > 0, tot, 1.0), np.nan)


def _trailing_mean(a: np.ndarray, window: int) -> np.ndarray:
    """Mean of ``a`` over periods t−window..t−1 along the last axis (NaN until ``window`` are seen)."""
    a = np.asarray(a, dtype=float)
    c = np.cumsum(np.nan_to_num(a), axis=-1)
    c = np.concatenate([np.zeros(a.shape[:-1] + (1,)), c], axis=-1)
    out = np.full(a.shape, np.nan)
    out[..., window:] = (c[..., window:-1] - c[..., :-window - 1]) / window
    return out


def share_shift(shares: np.ndarray, window: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Largest absolute supplier-share change vs its trailing ``window``-month mean.

    Returns ``(shift, partner_index)`` each ``(item, time)``: ``shift_t = max_p |s_pt − s̄_p|``
    with ``s̄_p`` the mean of s_p over t−window..t−1 (share points, 0–1).
    """
    dev = np.abs(shares - _trailing_mean(shares, window))
    dev = np.where(np.isfinite(dev), dev, -1.0)
    idx = dev.argmax(axis=1)
    shift = np.take_along_axis(dev, idx[:, None, :], axis=1)[:, 0, :]
    return np.where(shift < 0, np.nan, shift), idx


def hhi(shares: np.ndarray) -> np.ndarray:
    """Herfindahl–Hirschman index ``Σ_p s_p²`` (0–1) over the partner axis (axis 1)."""
    return np.nansum(np.asarray(shares, dtype=float) ** 2, axis=1)


def concentration_jump(shares: np.ndarray, window: int = 12) -> np.ndarray:
    """Rise of the HHI over its trailing ``window``-month mean: ``max(HHI_t − mean(HHI_{t−w..t−1}), 0)``."""
    h = hhi(shares)
    h = np.where(np.isnan(shares).all(axis=1), np.nan, h)
    return np.clip(h - _trailing_mean(h, window), 0.0, None)


def supplier_gpr(shares: np.ndarray, gprc: np.ndarray, window: int = 36,
                 min_periods: int = 12, last: int | None = None) -> np.ndarray:
    """Share-weighted supplier geopolitical risk.

    ``g_{it} = Σ_p s̄_{ip} · max(z_{pt}, 0)`` with ``z_{pt}`` the robust z-score of
    ``ln GPRC_{pt}`` against its past ``window`` months (country GPR of supplier p, Caldara &
    Iacoviello 2022) and ``s̄`` the supplier shares of the previous month (so a supplier whose
    trade collapses still counts). Suppliers without an index (NaN rows) contribute 0.
    ``gprc`` may have more (earlier) months than ``shares``: the two are aligned on their last
    month, so a scan can pass recent shares with the full index history.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        lg = np.log(np.where(gprc > 0, gprc, np.nan))
    z = np.clip(np.nan_to_num(robust_z(lg, window, min_periods, mad_floor=0.05, last=last), nan=0.0), 0.0, None)
    z = z[:, z.shape[1] - shares.shape[-1]:]
    s_prev = np.full(shares.shape, np.nan)
    s_prev[..., 1:] = shares[..., :-1]
    return np.einsum("ipt,pt->it", np.nan_to_num(s_prev), z)


def event_signal(active: np.ndarray, severity: np.ndarray) -> np.ndarray:
    """Policy-event signal: the largest severity (z-units) of the events active at t, else 0."""
    return np.where(active, severity, 0.0).max(axis=0) if active.ndim > 1 else np.where(active, severity, 0.0)


def persistence(flags: np.ndarray, k: int, n: int) -> np.ndarray:
    """k-of-n persistence filter: True at t when at least ``k`` of periods t−n+1..t are flagged."""
    if not 1 <= k <= n:
        raise ValueError(f"persistence needs 1 <= k <= n, got k={k}, n={n}")
    f = np.asarray(flags, dtype=bool).astype(np.int32)
    c = np.cumsum(f, axis=-1)
    c = np.concatenate([np.zeros(f.shape[:-1] + (1,), dtype=np.int32), c], axis=-1)
    lagged = np.concatenate([np.zeros(f.shape[:-1] + (n,), dtype=np.int32), c], axis=-1)
    win = c[..., 1:] - lagged[..., 1:f.shape[-1] + 1]
    return win >= k
