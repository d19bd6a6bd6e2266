"""STL seasonal-trend decomposition (Cleveland et al. 1990), vectorised; methods.md §7.3.

STL splits a series into trend, seasonal and remainder, ``y_t = T_t + S_t + R_t``, by
alternating LOESS smoothers (an inner loop) and, when robust, re-weighting the observations by
the bisquare of their remainders (an outer loop):

1. detrend ``y − T``; smooth each cycle-subseries (all Januaries, …) with LOESS of span
   ``n_s``, extended one period at each end → ``C`` (length n + 2·n_p);
2. low-pass ``C``: moving averages of n_p, n_p and 3, then LOESS of span n_l → ``L``;
3. ``S = C − L`` (on the original n positions);
4. deseasonalise ``y − S`` and smooth it with LOESS of span n_t → ``T``;
5. (outer loop) robustness weights ``ρ_t = B(|R_t| / (6 · median|R|))`` with the bisquare
   ``B(u) = (1 − u²)²`` for u < 1, else 0, used by the seasonal and trend smoothers.

LOESS at x is the local linear (degree 1) or constant (degree 0) weighted fit over the q
nearest points with tricube weights ``(1 − (d/h)³)³``, h the distance to the farthest of them
(plus ⌊(q − n)/2⌋ when q > n) — Cleveland, R. B., Cleveland, W. S., McRae, J. E. & Terpenning,
I. (1990), "STL: A Seasonal-Trend Decomposition Procedure Based on Loess", *Journal of
Official Statistics* 6(1), 3–73. The numerics follow the authors' Fortran as ported by
statsmodels (``statsmodels.tsa.stl.STL``, jumps of 1), which the reference test matches.

Vectorisation: for a fixed length n every LOESS is a fixed kernel ``K[o, j]`` (output o,
input j); with robustness weights ρ the local fit needs five matrix products
(Σρ K, Σρ K x, Σρ K x², Σρ K y, Σρ K x y), without them it is one linear operator. The whole
low-pass step (three moving averages and a LOESS) is one precomputed matrix. A batch of B
series of equal length is therefore decomposed with a few (B × n)·(n × n) products per step.

The early-warning signal (:func:`stl_drop`) is strictly causal: at month t it decomposes the
``window`` months ending at t (robust STL, seasonal degree 0 as in R's ``stl`` default, which
keeps a shock at the window's end from being absorbed into the seasonal) and scores the
remainder at t by its robust z against the window's other remainders.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

MAD_SCALE = 1.4826


@dataclass(frozen=True)
class STLParams:
    """Spans (odd), degrees and iterations of STL; ``None`` spans take Cleveland's defaults."""

    period: int = 12
    seasonal: int = 7
    trend: int | None = None
    low_pass: int | None = None
    seasonal_deg: int = 0
    trend_deg: int = 1
    low_pass_deg: int = 1
    inner: int = 1
    outer: int = 5

    @property
    def nt(self) -> int:
        """Trend span: the smallest odd ≥ 1.5 n_p / (1 − 1.5 / n_s) (Cleveland et al. eq. 2)."""
        if self.trend is not None:
            return self.trend
        t = int(np.ceil(1.5 * self.period / (1 - 1.5 / self.seasonal)))
        return t + (t % 2 == 0)

    @property
    def nl(self) -> int:
        """Low-pass span: the smallest odd > n_p."""
        if self.low_pass is not None:
            return self.low_pass
        return self.period + 1 + ((self.period + 1) % 2 == 0)


# -- LOESS kernels (built once per length; loops run over positions, never over series) ----------
def _tricube_row(n: int, q: int, xs: int, nleft: int, nright: int) -> tuple[np.ndarray, float]:
    """Tricube weights of positions 1..n for the fit at ``xs`` on window [nleft, nright], and h."""
    h = max(xs - nleft, nright - xs) + (float((q - n) // 2) if q > n else 0.0)
    pos = np.arange(1, n + 1)
    r = np.abs(pos - xs).astype(float)
    w = np.zeros(n)
    inwin = (pos >= nleft) & (pos <= nright) & (r <= 0.999 * h)
    with np.errstate(divide="ignore", invalid="ignore"):
        w[inwin] = np.where(r[inwin] <= 0.001 * h, 1.0, (1.0 - (r[inwin] / h) ** 3) ** 3)
    return w, h


def _rows(n: int, q: int, extend: bool) -> list[tuple[np.ndarray, float, int]]:
    """(weights, h, x) of every fit on positions 1..n: statsmodels ``_ess`` windows (jump 1),
    with ``extend`` also the cycle-subseries end points x = 0 and n+1 of ``_ss``, in x order."""
    out = []
    if extend:
        out.append((*_tricube_row(n, q, 0, 1, min(q, n)), 0))
    nsh = (q + 2) // 2
    nleft, nright = 1, min(q, n)
    for i in range(1, n + 1):
        if q < n and i > nsh and nright != n:
            nleft, nright = nleft + 1, nright + 1
        out.append((*_tricube_row(n, q, i, nleft, nright), i))
    if extend:
        out.append((*_tricube_row(n, q, n + 1, max(1, n - q + 1), n), n + 1))
    return out


@dataclass(frozen=True)
class _Kernel:
    """A batch of LOESS fits as matrices over the n inputs (outputs × n).

    ``k`` tricube weights, ``kx``/``kx2`` weights × offset x_j − x_o (and squared), ``lin`` where
    the local-linear correction applies (degree 1, h > 0), ``tol`` = 0.001 × the x range,
    ``fb_in``/``fb_out`` the fallback when every weight vanishes (an input, or for an end point
    the neighbouring output; −1 = none), ``op`` the unweighted fit as one linear operator.
    """

    k: np.ndarray
    kx: np.ndarray
    kx2: np.ndarray
    stack: np.ndarray   # [k; kx; kx2] transposed: n × 3·outputs, one product for all moments
    lin: np.ndarray
    tol: np.ndarray
    fb_in: np.ndarray
    fb_out: np.ndarray
    op: np.ndarray


def _make_kernel(n: int, parts: list[tuple[list[tuple[np.ndarray, float, int]], np.ndarray,
                                              np.ndarray, int]], n_out: int, deg: int) -> _Kernel:
    """Assemble fits: each part = (rows, output index per row, input index per position, length)."""
    k = np.zeros((n_out, n))
    off = np.zeros((n_out, n))
    lin = np.zeros(n_out, dtype=bool)
    tol = np.zeros(n_out)
    fb_in = np.full(n_out, -1)
    fb_out = np.full(n_out, -1)
    for rows, outs, ins, m in parts:
        for (w, h, x), o in zip(rows, outs, strict=True):
            k[o, ins] = w
            off[o, ins] = np.arange(1, m + 1) - x
            lin[o] = deg > 0 and h > 0
            tol[o] = 0.001 * (m - 1.0)
            if 1 <= x <= m:
                fb_in[o] = ins[x - 1]
            else:
                fb_out[o] = outs[1] if x == 0 else outs[-2]
    kx, kx2 = k * off, k * off**2
    stack = np.ascontiguousarray(np.concatenate([k, kx, kx2] if lin.any() else [k]).T)
    kern = _Kernel(k, kx, kx2, stack, lin, tol, fb_in, fb_out, np.zeros((n_out, n)))
    op = _fit(np.eye(n), kern, np.ones((n, n))).T   # fits are linear in y when weights are fixed
    return _Kernel(k, kx, kx2, stack, lin, tol, fb_in, fb_out, op)


@lru_cache(maxsize=64)
def _ess_kernel(n: int, q: int, deg: int) -> _Kernel:
    """LOESS of span ``q`` and degree ``deg`` at positions 1..n (statsmodels ``_ess``)."""
    idx = np.arange(n)
    return _make_kernel(n, [(_rows(n, q, False), idx, idx, n)], n, deg)


@lru_cache(maxsize=64)
def _cycle_kernel(n: int, period: int, q: int, deg: int) -> _Kernel:
    """Cycle-subseries LOESS, each subseries extended by one value at each end (``_ss``):
    output ``m·period + j`` is subseries j at position m = 0..k_j+1 (length n + 2·period)."""
    parts = []
    for j in range(period):
        kj = (n - (j + 1)) // period + 1
        parts.append((_rows(kj, q, True), j + period * np.arange(kj + 2), j + period * np.arange(kj), kj))
    return _make_kernel(n, parts, n + 2 * period, deg)


def _fit(y: np.ndarray, kern: _Kernel, rw: np.ndarray | None) -> np.ndarray:
    """Every fit of ``kern`` on each row of ``y`` (B × n) with robustness weights ``rw``.

    Weighted local regression in closed form from weighted moments (B × outputs):
    ``ŷ = T0/A + (x_o − x̄)(T1/A − x̄ T0/A)/c`` with ``x̄ = S1/A``, ``c = S2/A − x̄²`` (the
    linear term only where c is not negligible, as STL's ``est``). Where every weight is 0 the
    fit falls back to the input value (or the neighbouring fit at an end point).
    """
    if rw is None:
        return y @ kern.op.T
    wy = rw * y
    m = kern.k.shape[0]
    mw = rw @ kern.stack                    # Σ ρK, Σ ρK·x, Σ ρK·x²
    my = wy @ kern.stack[:, :2 * m] if kern.lin.any() else wy @ kern.stack
    a = mw[:, :m]
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = my[:, :m] / a
        if kern.lin.any():
            s1 = mw[:, m:2 * m] / a
            c = mw[:, 2 * m:] / a - s1**2
            t1 = my[:, m:] / a
            use = kern.lin & (np.sqrt(np.clip(c, 0.0, None)) > kern.tol)
            fit = np.where(use, fit - s1 / c * (t1 - s1 * fit), fit)
    bad = ~(a > 0)
    if bad.any():
        b, o = np.nonzero(bad & (kern.fb_in >= 0))
        fit[b, o] = y[b, kern.fb_in[o]]
        b, o = np.nonzero(bad & (kern.fb_out >= 0))
        fit[b, o] = fit[b, kern.fb_out[o]]
    return fit


@lru_cache(maxsize=16)
def _low_pass(n: int, period: int, nl: int, deg: int) -> np.ndarray:
    """The low-pass filter as one matrix (n × (n + 2·period)): MA(np), MA(np), MA(3), LOESS(nl)."""
    def ma(m: int, length: int) -> np.ndarray:
        out = np.zeros((m - length + 1, m))
        for i in range(m - length + 1):
            out[i, i:i + length] = 1.0 / length
        return out

    m = n + 2 * period
    c = ma(n + 2, 3) @ ma(m - period + 1, period) @ ma(m, period)   # n × (n + 2·period)
    return _ess_kernel(n, nl, deg).op @ c


def _bisquare(r: np.ndarray) -> np.ndarray:
    """Robustness weights B(|R| / (6 median|R|)) per row (STL's ``rwts``)."""
    a = np.abs(r)
    n = a.shape[1]
    mid = np.partition(a, [n // 2, n - n // 2 - 1], axis=1)
    h = 3.0 * (mid[:, [n // 2]] + mid[:, [n - n // 2 - 1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        u = a / h
        w = np.where(a <= 0.001 * h, 1.0, np.where(a <= 0.999 * h, (1 - u**2) ** 2, 0.0))
    return np.where(h == 0, 1.0, w)


def stl(y: np.ndarray, params: STLParams | None = None, *, robust: bool = True
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Decompose every row of ``y`` (…, n; finite) into ``(seasonal, trend, remainder, weights)``.

    ``robust=False`` runs the inner loop only (``params.inner`` passes, weights 1).
    """
    p = params or STLParams()
    y = np.asarray(y, dtype=float)
    shape = y.shape
    y2 = y.reshape(-1, shape[-1])
    n = y2.shape[1]
    if n < 2 * p.period:
        raise ValueError(f"STL needs at least two periods ({2 * p.period} values), got {n}")
    if not np.isfinite(y2).all():
        raise ValueError("STL needs finite values (drop or fill missing months first)")
    lp = _low_pass(n, p.period, p.nl, p.low_pass_deg)
    ck = _cycle_kernel(n, p.period, p.seasonal, p.seasonal_deg)
    tk = _ess_kernel(n, p.nt, p.trend_deg)
    trend = np.zeros_like(y2)
    season = np.zeros_like(y2)
    rw: np.ndarray | None = None
    for k in range(p.outer + 1 if robust else 1):
        for _ in range(p.inner):
            c = _fit(y2 - trend, ck, rw)
            season = c[:, p.period:p.period + n] - c @ lp.T
            trend = _fit(y2 - season, tk, rw)
        if robust and k < p.outer:
            rw = _bisquare(y2 - season - trend)
    weights = np.ones_like(y2) if rw is None else rw
    resid = y2 - season - trend
    return (season.reshape(shape), trend.reshape(shape), resid.reshape(shape),
            weights.reshape(shape))


def stl_remainder_z(x: np.ndarray, window: int = 36, params: STLParams | None = None,
                    mad_floor: float = 0.02, last: int | None = None,
                    chunk: int = 20_000) -> np.ndarray:
    """Causal robust z of the STL remainder of ``ln x`` at each month (items × time).

    At month t, robust STL decomposes ln x over months t−window+1..t and the remainder at t is
    scored against the window's other remainders,
    ``z_t = (R_t − med R_{<t}) / max(1.4826 · MAD(R_{<t}), mad_floor)``. NaN for the first
    ``window − 1`` months and for windows with a missing or non-positive value. ``last``:
    compute only the final ``last`` months.
    """
    p = params or STLParams()
    x = np.asarray(x, dtype=float)
    n_i, n_t = x.shape
    z = np.full((n_i, n_t), np.nan)
    if n_t < window:
        return z
    with np.errstate(divide="ignore", invalid="ignore"):
        lx = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
    win = sliding_window_view(lx, window, axis=1)            # (items, t − window + 1, window)
    first = 0 if last is None else max(win.shape[1] - last, 0)
    win = win[:, first:]
    flat = win.reshape(-1, window)
    ok = np.isfinite(flat).all(axis=1)
    rows = np.flatnonzero(ok)
    out = np.full(flat.shape[0], np.nan)
    for s in range(0, len(rows), chunk):  # chunks bound memory; each is one batched STL
        r = rows[s:s + chunk]
        _, _, rem, _ = stl(flat[r], p)
        past = rem[:, :-1]
        med = np.median(past, axis=1)
        mad = np.median(np.abs(past - med[:, None]), axis=1)
        out[r] = (rem[:, -1] - med) / np.maximum(MAD_SCALE * mad, mad_floor)
    z[:, window - 1 + first:] = out.reshape(n_i, -1)
    return z


def stl_drop(x: np.ndarray, window: int = 36, params: STLParams | None = None,
             last: int | None = None) -> np.ndarray:
    """Import drop against trend and season: ``max(−z_t, 0)`` of :func:`stl_remainder_z`."""
    return np.clip(-stl_remainder_z(x, window, params, last=last), 0.0, None)


__all__ = ["STLParams", "stl", "stl_drop", "stl_remainder_z"]
