"""Structural gravity by Poisson pseudo-maximum likelihood with high-dimensional fixed effects.

The estimating equation (Yotov, Piermartini, Monteiro & Larch 2016, *An Advanced Guide to Trade
Policy Analysis*, ch. 1, eqs. 1-35 to 1-39; Santos Silva & Tenreyro 2006) is

    X_ij,t = exp(π_i,t + χ_j,t [+ μ_ij] + β'x_ij,t) · ε_ij,t,

with X_ij,t the flow from exporter i to importer j in year t (domestic flows i = j included for
structural work), π_i,t and χ_j,t exporter-year and importer-year fixed effects (they absorb the
outward and inward multilateral resistances and output and expenditure), μ_ij optional pair fixed
effects and x_ij,t bilateral covariates (ln distance, contiguity, RTA, border dummies …).

PPML solves the Poisson first-order conditions, with μ̂ = exp(η̂) the fitted flows,

    Σ x_ij,t (X_ij,t − μ̂_ij,t) = 0   and, for every fixed-effect group g,  Σ_g (X − μ̂) = 0.

With exporter-year and importer-year effects the latter is the *adding-up* property (Fally 2015;
Yotov et al. 2016, ch. 1 B.2): fitted output Σ_j μ̂_ij and expenditure Σ_i μ̂_ij equal observed.

Algorithm: iteratively re-weighted least squares. At each step the working variable
z = η + X/μ − 1 and the covariates are demeaned with weights μ over the fixed-effect groups
(pyfixest's Rust kernels: preconditioned LSMR for two or more factors, alternating projections,
Gaure 2013, for one), so no dummy matrix is ever formed — loosely while far from the optimum,
to ``fe_tol`` at the end; β solves the demeaned weighted normal equations and
η = z − (z̃ − x̃'β). Iterations stop when |D_k − D_k−1| / (0.1 + |D_k−1|) < ``tol`` (the
criterion of fixest and pyfixest), D the Poisson deviance 2 Σ [X ln(X/μ̂) − (X − μ̂)], *and*
every first-order condition above holds to ``score_tol`` relative to its scale; otherwise
:class:`PPMLConvergenceError`.

Before estimation, observations are dropped (and reported) when their fixed-effect group has only
zero flows (their FE would be −∞: separation, Correia, Guimarães & Zylkin 2020) or is a singleton
(perfectly fitted, no information on β; ppmlhdfe's default). Covariates collinear with the fixed
effects (e.g. distance with pair effects) are dropped and reported. Zero flows separated by a
single covariate (Santos Silva & Tenreyro 2010) are dropped and reported too; separation by a
combination of covariates is not checked.

Standard errors: sandwich H⁻¹ M H⁻¹ with H = x̃'diag(μ̂)x̃ and scores x̃ (X − μ̂), Stata's
small-sample factors (robust n/(n−1), clustered G/(G−1)), clustered by country pair by default
as in Yotov et al. (2016); they reproduce Stata's ``ppml`` and ``ppmlhdfe``.

Fixed effects are recovered after convergence from η̂ − x'β̂ by sparse least squares (LSQR) and
normalised: the reference importer's χ_j,t is 0 in every year (Yotov et al.'s "ZZZ"/DEU
convention) and, with pair effects, domestic pairs have μ_ii = 0 (t_ii = 1). Pair effects are
otherwise identified only up to exporter- and importer-specific constants, which the
multilateral resistances absorb; GE counterfactuals do not depend on them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pyfixest.core.demean import demean, demean_within
from scipy.sparse.linalg import lsqr
from scipy.special import gammaln

from econsec.analytics.models.estimation.results import (
    FitDiagnostics,
    GravityDataError,
    GravityPanel,
    PPMLConvergenceError,
    PPMLResults,
)
from econsec.errors import check_choice, choices

FixedEffects = Literal["exporter-importer", "exporter-importer-pair", "none"]
Vcov = Literal["cluster-pair", "cluster-directed-pair", "robust", "iid"]
FIXED_EFFECTS: tuple[FixedEffects, ...] = choices(FixedEffects)
VCOVS: tuple[Vcov, ...] = choices(Vcov)
KEYS = ("exporter", "importer", "year")
_COLLINEAR_TOL = 1e-9
_FE_MAXITER = 100_000
_FE_TOL_START = 1e-6


@dataclass(frozen=True)
class PPML:
    """An immutable PPML gravity specification; :meth:`fit` returns a :class:`PPMLResults`.

    Parameters
    ----------
    covariates : bilateral regressors (numeric columns), e.g. ``("lndist", "contig", "rta")``.
    fixed_effects : ``"exporter-importer"`` — exporter-year and importer-year effects (plain
        exporter and importer effects for one year); ``"exporter-importer-pair"`` — plus directed
        pair effects μ_ij; ``"none"`` — no country effects (an intercept unless ``absorb`` is
        given).
    absorb : further categorical columns absorbed as fixed effects (e.g. a domestic-pair
        indicator, Yotov et al.'s ``INTL_BRDR``; symmetric pair ids).
    vcov : ``"cluster-pair"`` — clustered by unordered country pair {i, j} (Yotov et al. 2016's
        ``pair_id``) with Stata's G/(G−1) factor; ``"cluster-directed-pair"`` — by (i, j);
        ``"robust"`` — Eicker–Huber–White with n/(n−1); ``"iid"`` — Poisson variance.
    reference_importer : importer whose importer(-year) effect is normalised to 0; default the
        first importer in sort order.
    tol, score_tol, fe_tol, max_iter : IRLS stops when the relative deviance change is below
        ``tol`` *and* every first-order condition holds to ``score_tol`` relative to its scale
        (groups with tiny flows converge more slowly than the deviance shows); ``fe_tol`` is the
        demeaning tolerance; ``max_iter`` the IRLS iteration limit.
    """

    covariates: tuple[str, ...] = ()
    fixed_effects: FixedEffects = "exporter-importer"
    absorb: tuple[str, ...] = ()
    vcov: Vcov = "cluster-pair"
    reference_importer: str | None = None
    tol: float = 1e-10
    score_tol: float = 1e-8
    fe_tol: float = 1e-12
    max_iter: int = 100

    def __post_init__(self) -> None:
        for name in ("covariates", "absorb"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise ValueError(f"{name} must be a sequence of column names, not the string {value!r}")
            object.__setattr__(self, name, tuple(value))
        check_choice(self.fixed_effects, FixedEffects, option="fixed_effects")
        check_choice(self.vcov, Vcov, option="vcov")
        names = self.covariates + self.absorb
        if len(set(names)) != len(names):
            raise ValueError(f"covariates and absorb repeat a column: {list(names)}")
        clash = [c for c in names if c in (*KEYS, "trade")]
        if clash:
            raise ValueError(f"{clash} are identifiers or the outcome, not covariates or absorbed effects")
        if not (self.tol > 0 and self.score_tol > 0 and self.fe_tol > 0 and self.max_iter >= 1):
            raise ValueError("tol, score_tol and fe_tol must be positive and max_iter at least 1")

    def fit(self, data: GravityPanel | pd.DataFrame, *, source: str = "user data",
            vintage: str = "not recorded") -> PPMLResults:
        """Estimate on a labelled frame (exporter, importer, year, trade, covariates …).

        ``source`` and ``vintage`` describe a plain frame; a :class:`GravityPanel` brings its own.
        """
        if isinstance(data, GravityPanel):
            frame, vintage = data.frame, data.vintage
            source = f"{data.dataset} (source {data.source})"
        else:
            frame = data
        x, y = _validate(frame, self)
        dims = _dimensions(frame, self)
        all_codes = [c for c, _ in dims.values()]
        keep, reasons = _drop_uninformative(y, all_codes)
        separated, why = _separated_by_covariates(y, x, all_codes, keep, _xnames(self), self.fe_tol)
        if separated.any():
            reasons[separated] = why[separated]
            keep, reasons = _drop_uninformative(y, all_codes, keep & ~separated, reasons)
        if not keep.any():
            counts = pd.Series(reasons).value_counts().to_dict()
            raise GravityDataError(f"no observation is left to estimate on: {counts}"
                                   + (" (pair effects need several years of data)"
                                      if self.fixed_effects == "exporter-importer-pair" else ""))
        codes: dict[str, np.ndarray] = {}
        levels: dict[str, pd.DataFrame] = {}
        for name, (c, lev) in dims.items():
            u, inv = np.unique(c[keep], return_inverse=True)
            codes[name], levels[name] = inv, lev.iloc[u].reset_index(drop=True)
        fit = _irls(y[keep], x[keep], list(codes.values()), self)
        names = [n for n, k in zip(_xnames(self), fit.kept, strict=True) if k]
        dropped_cov = tuple(n for n, k in zip(_xnames(self), fit.kept, strict=True) if not k)
        sub = frame.loc[keep]
        vcov, n_clusters = _vcov(fit, self.vcov, sub)
        fe, fe_residual, reference = _fixed_effects(fit, codes, levels, x[keep][:, fit.kept],
                                                    self.reference_importer)
        diag = FitDiagnostics(converged=True, iterations=fit.iterations, deviance=fit.deviance,
                              criterion=fit.criterion, score_residual=fit.score_residual,
                              fe_residual=fe_residual)
        fitted = sub[[*KEYS, "trade", *[n for n in names if n != "const"]]].assign(fitted=fit.mu)
        dropped = frame.loc[~keep, [*KEYS, "trade"]].assign(reason=reasons[~keep])
        return PPMLResults(
            spec=self, _coef=pd.Series(fit.beta, index=names, name="coef"),
            _vcov=pd.DataFrame(vcov, index=names, columns=names), _fixed_effects=fe,
            _fitted=fitted, _dropped=dropped, dropped_covariates=dropped_cov,
            diagnostics=diag, n_obs=int(keep.sum()), n_clusters=n_clusters,
            loglik=fit.loglik, reference_importer=reference, source=source, vintage=vintage)


def estimate_ppml(data: GravityPanel | pd.DataFrame, covariates: Sequence[str] = (),
                  **options: object) -> PPMLResults:
    """Shorthand for ``PPML(covariates, **options).fit(data)``."""
    return PPML(tuple(covariates), **options).fit(data)  # type: ignore[arg-type]


# -- input ---------------------------------------------------------------------------------------
def _intercept(spec: PPML) -> bool:
    """An intercept only when nothing is absorbed (a fixed effect would contain it)."""
    return spec.fixed_effects == "none" and not spec.absorb


def _xnames(spec: PPML) -> list[str]:
    return ["const", *spec.covariates] if _intercept(spec) else list(spec.covariates)


def _validate(frame: pd.DataFrame, spec: PPML) -> tuple[np.ndarray, np.ndarray]:
    """Check the frame once; return the covariate matrix (with a constant if no FE) and trade."""
    if not isinstance(frame, pd.DataFrame):
        raise GravityDataError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    need = [*KEYS, "trade", *spec.covariates, *spec.absorb]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise GravityDataError(f"missing column(s) {missing}; the frame has {list(frame.columns)}")
    if len(frame) == 0:
        raise GravityDataError("the frame has no rows")
    for col in ("trade", *spec.covariates):
        s = frame[col]
        if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)):
            raise GravityDataError(f"column {col!r} must be numeric, got dtype {s.dtype}")
        v = s.to_numpy(dtype=float, na_value=np.nan)
        bad = np.flatnonzero(~np.isfinite(v))
        if bad.size:
            raise GravityDataError(f"column {col!r} has {bad.size} missing or infinite value(s), "
                                   f"first at row {frame.index[bad[0]]!r}")
    for col in (*KEYS, *spec.absorb):
        if frame[col].isna().any():
            raise GravityDataError(f"column {col!r} has missing values")
    y = frame["trade"].to_numpy(dtype=float)
    neg = np.flatnonzero(y < 0)
    if neg.size:
        raise GravityDataError(f"trade must be non-negative: {neg.size} negative value(s), first "
                               f"{y[neg[0]]:g} at row {frame.index[neg[0]]!r}")
    if not (y > 0).any():
        raise GravityDataError("trade is zero everywhere: nothing to estimate")
    ref = spec.reference_importer
    if ref is not None and spec.fixed_effects != "none" and not (frame["importer"] == ref).any():
        raise GravityDataError(f"reference_importer {ref!r} is not an importer in the data")
    dup = frame.duplicated(list(KEYS))
    if dup.any():
        first = frame.loc[dup, list(KEYS)].iloc[0].tolist()
        raise GravityDataError(f"{int(dup.sum())} duplicate (exporter, importer, year) row(s), first {first}")
    x = frame[list(spec.covariates)].to_numpy(dtype=float).reshape(len(frame), -1)
    if _intercept(spec):
        x = np.column_stack([np.ones(len(frame)), x])
    return x, y


def _factor(*cols: pd.Series) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer codes of the combinations of ``cols`` and the table of levels."""
    codes, uniques = pd.factorize(pd.MultiIndex.from_arrays(list(cols)), sort=True)
    return codes.astype(np.int64), uniques.to_frame(index=False)


def _dimensions(frame: pd.DataFrame, spec: PPML) -> dict[str, tuple[np.ndarray, pd.DataFrame]]:
    dims: dict[str, tuple[np.ndarray, pd.DataFrame]] = {}
    if spec.fixed_effects != "none":
        dims["exporter"] = _factor(frame["exporter"], frame["year"])
        dims["importer"] = _factor(frame["importer"], frame["year"])
    if spec.fixed_effects == "exporter-importer-pair":
        dims["pair"] = _factor(frame["exporter"], frame["importer"])
    for col in spec.absorb:
        dims[col] = _factor(frame[col])
    return dims


def _drop_uninformative(y: np.ndarray, codes: list[np.ndarray], keep: np.ndarray | None = None,
                        reasons: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Drop rows in all-zero FE groups (separated) and in singleton groups, until none is left."""
    keep = np.ones(y.size, dtype=bool) if keep is None else keep.copy()
    reasons = np.full(y.size, "", dtype=object) if reasons is None else reasons.copy()
    changed = True
    while changed:
        changed = False
        for c in codes:
            k = c[keep]
            n = np.bincount(k, minlength=c.max() + 1)
            s = np.bincount(k, weights=y[keep], minlength=c.max() + 1)
            for bad, why in ((s[c] <= 0, "fixed-effect group with only zero flows (separated)"),
                             (n[c] == 1, "singleton fixed-effect group")):
                hit = keep & bad
                if hit.any():
                    reasons[hit] = why
                    keep &= ~hit
                    changed = True
    return keep, reasons


def _dummies(codes: Sequence[np.ndarray]) -> sp.csr_matrix:
    """The sparse 0/1 matrix of the FE groups, one block of columns per factor."""
    n = codes[0].size
    offsets = np.cumsum([0] + [int(c.max()) + 1 for c in codes])
    cols = np.concatenate([c + o for c, o in zip(codes, offsets[:-1], strict=True)])
    rows = np.tile(np.arange(n), len(codes))
    return sp.csr_matrix((np.ones(cols.size), (rows, cols)), shape=(n, int(offsets[-1])))


def _separated_by_covariates(y: np.ndarray, x: np.ndarray, codes: list[np.ndarray],
                             keep: np.ndarray, names: list[str], fe_tol: float
                             ) -> tuple[np.ndarray, np.ndarray]:
    """Zero flows that one covariate separates (Santos Silva & Tenreyro 2010).

    If, on the positive flows, covariate x_k is an exact combination of the fixed effects (and the
    intercept), and on the zero flows its deviations from that combination all have one sign,
    the Poisson MLE does not exist (β_k → ±∞); the zero flows with non-zero deviation are
    dropped (x_k then becomes collinear and is dropped too). Joint separation by several
    covariates is not checked.
    """
    idx = np.flatnonzero(keep)
    pos = y[idx] > 0
    out = np.zeros(y.size, dtype=bool)
    why = np.full(y.size, "", dtype=object)
    if pos.all():
        return out, why
    ck = [np.unique(c[idx], return_inverse=True)[1] for c in codes]
    fe_pos = np.column_stack([c[pos] for c in ck]).astype(np.uint64) if ck else None
    for j, name in enumerate(names):  # loop over the few covariates
        if name == "const":
            continue
        xp, x0 = x[idx[pos], j], x[idx[~pos], j]
        if fe_pos is not None:
            r = _demean(xp[:, None], fe_pos, np.ones(xp.size), fe_tol)[:, 0]
        else:
            r = xp - xp.mean() if "const" in names else xp
        if float(np.linalg.norm(r)) > _COLLINEAR_TOL * max(float(np.linalg.norm(xp)), 1e-300):
            continue
        if ck:
            d = _dummies(ck)
            a = lsqr(d[np.flatnonzero(pos)], xp, atol=1e-14, btol=1e-14)[0]
            dev = x0 - d[np.flatnonzero(~pos)] @ a
        else:
            dev = x0 - (xp.mean() if "const" in names else 0.0)
        eps = 1e-7 * max(1.0, float(np.max(np.abs(x[:, j]))))
        if (dev > eps).any() and (dev < -eps).any():
            continue
        hit = idx[~pos][np.abs(dev) > eps]
        out[hit] = True
        why[hit] = f"separated by covariate {name!r} (zero flows only where it deviates)"
    return out, why


# -- IRLS kernel ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Fit:
    beta: np.ndarray
    mu: np.ndarray
    eta: np.ndarray
    y: np.ndarray
    xt: np.ndarray            # covariates demeaned with the final weights (kept columns)
    kept: np.ndarray          # mask over the input covariate columns
    iterations: int
    deviance: float
    criterion: float
    score_residual: float
    loglik: float


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2.0 * np.sum(t - (y - mu)))


def _demean(a: np.ndarray, fe: np.ndarray | None, w: np.ndarray, tol: float) -> np.ndarray:
    """Weighted within transformation: a minus its weighted projection on the FE dummies.

    Two or more factors: pyfixest's preconditioned LSMR (``within``), which handles poorly
    connected designs (a domestic-pair effect, pair effects) far faster than alternating
    projections; one factor, or if LSMR stops short: alternating projections (MAP).
    """
    if fe is None:
        return a
    a = np.ascontiguousarray(a, dtype=np.float64)
    if fe.shape[1] > 1:
        out, ok, _ = demean_within(a, fe.astype(np.uint32), w, tol=tol, maxiter=_FE_MAXITER)
        if ok:
            return np.asarray(out)
    out, ok = demean(a, fe, w, tol=tol, maxiter=_FE_MAXITER)
    if not ok:
        raise PPMLConvergenceError(f"demeaning did not reach {tol:g} in {_FE_MAXITER} sweeps",
                                   iterations=0)
    return np.asarray(out)


def _independent(xt: np.ndarray, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Columns not collinear with the fixed effects nor with earlier columns (pivot-free Gram–Schmidt)."""
    keep = np.zeros(x.shape[1], dtype=bool)
    basis: list[np.ndarray] = []
    sw = np.sqrt(w)
    for j in range(x.shape[1]):  # loop over the few covariates, not over observations
        v = sw * xt[:, j]
        scale = np.sqrt(np.sum(w * x[:, j] ** 2))
        for b in basis:
            v = v - (b @ v) * b
        norm = np.sqrt(v @ v)
        if scale > 0 and norm > _COLLINEAR_TOL * scale:
            keep[j] = True
            basis.append(v / norm)
    return keep


def _foc(y: np.ndarray, mu: np.ndarray, x: np.ndarray, codes: Sequence[np.ndarray]) -> float:
    """Largest relative first-order-condition residual: |Σ_g (X − μ)| / Σ_g X over fixed-effect
    groups g, and |Σ x (X − μ)| / Σ |x| X over covariates (the adding-up check)."""
    r = y - mu
    worst = 0.0
    for c in codes:
        worst = max(worst, float(np.max(np.abs(np.bincount(c, weights=r)) / np.bincount(c, weights=y))))
    if x.shape[1]:
        den = np.abs(x).T @ y
        worst = max(worst, float(np.max(np.abs(x.T @ r) / np.where(den > 0, den, 1.0))))
    return worst


def _irls(y: np.ndarray, x: np.ndarray, codes: list[np.ndarray], spec: PPML) -> _Fit:
    fe = np.ascontiguousarray(np.column_stack(codes), dtype=np.uint64) if codes else None
    mu = (y + y.mean()) / 2.0
    eta = np.log(mu)
    last = _deviance(y, mu)
    # Covariates collinear with the FE or each other, judged on a fully converged demeaning.
    kept = _independent(_demean(x, fe, mu, spec.fe_tol), x, mu) if x.shape[1] else \
        np.ones(0, dtype=bool)
    crit = foc = np.inf
    for it in range(1, spec.max_iter + 1):
        z = eta + y / mu - 1.0
        # Inexact Newton: demean loosely while far from the optimum, to fe_tol at the end.
        inner = max(spec.fe_tol, min(_FE_TOL_START, crit * 1e-4))
        zx = _demean(np.column_stack([z, x[:, kept]]), fe, mu, inner)
        zt, xt = zx[:, 0], zx[:, 1:]
        wx = xt * mu[:, None]
        beta = np.linalg.solve(wx.T @ xt, wx.T @ zt) if xt.shape[1] else np.zeros(0)
        eta = z - (zt - xt @ beta)
        with np.errstate(over="ignore"):
            mu = np.exp(eta)
        if not np.all(np.isfinite(mu)):
            raise PPMLConvergenceError("fitted values overflowed (possible separation by the "
                                       "covariates)", iterations=it)
        dev = _deviance(y, mu)
        crit = abs(dev - last) / (0.1 + abs(last))
        last = dev
        if crit < spec.tol and inner == spec.fe_tol:
            foc = _foc(y, mu, x[:, kept], codes)
            if foc < spec.score_tol:
                break
    else:
        raise PPMLConvergenceError(
            f"IRLS did not converge in {spec.max_iter} iterations (relative deviance change "
            f"{crit:.3g}, tol {spec.tol:g}; first-order residual {foc:.3g}, tol {spec.score_tol:g})",
            iterations=spec.max_iter, criterion=crit)
    xt = _demean(x[:, kept], fe, mu, spec.fe_tol) if kept.any() else x[:, kept]
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = float(np.sum(np.where(y > 0, y * eta, 0.0) - mu - gammaln(y + 1.0)))
    return _Fit(beta=beta, mu=mu, eta=eta, y=y, xt=xt, kept=kept, iterations=it, deviance=dev,
                criterion=crit, score_residual=foc, loglik=ll)


# -- after convergence ---------------------------------------------------------------------------
def _vcov(fit: _Fit, kind: Vcov, sub: pd.DataFrame) -> tuple[np.ndarray, int | None]:
    """Sandwich V = H⁻¹ M H⁻¹, H = x̃'diag(μ̂)x̃, scores s = x̃ (X − μ̂) (Stata's small-sample factors)."""
    xt, r = fit.xt, fit.y - fit.mu
    if xt.shape[1] == 0:
        return np.zeros((0, 0)), None
    hinv = np.linalg.inv((xt * fit.mu[:, None]).T @ xt)
    if kind == "iid":
        return hinv, None
    s = xt * r[:, None]
    n = s.shape[0]
    if kind == "robust":
        return hinv @ (s.T @ s) @ hinv * n / (n - 1), None
    e, m = sub["exporter"].astype(str).to_numpy(), sub["importer"].astype(str).to_numpy()
    if kind == "cluster-pair":
        e, m = np.minimum(e, m), np.maximum(e, m)
    g, _ = _factor(pd.Series(e), pd.Series(m))
    groups = int(g.max()) + 1
    sg = np.zeros((groups, s.shape[1]))
    np.add.at(sg, g, s)
    if groups < 2:
        raise GravityDataError("clustered standard errors need at least two clusters")
    return hinv @ (sg.T @ sg) @ hinv * groups / (groups - 1), groups


def _fixed_effects(fit: _Fit, codes: Mapping[str, np.ndarray], levels: Mapping[str, pd.DataFrame],
                   x: np.ndarray, reference: str | None
                   ) -> tuple[dict[str, pd.Series], float, str | None]:
    """Recover the FE from η̂ − x'β̂ (sparse LSQR on the dummy structure) and normalise them."""
    if not codes:
        return {}, 0.0, None
    target = fit.eta - x @ fit.beta
    d = _dummies(list(codes.values()))
    offsets = np.cumsum([0] + [int(c.max()) + 1 for c in codes.values()])
    alpha = lsqr(d, target, atol=1e-15, btol=1e-15, iter_lim=50 * int(offsets[-1]) + 1000)[0]
    for _ in range(2):  # refine on the residual: LSQR's stopping rule is relative
        alpha = alpha + lsqr(d, target - d @ alpha, atol=1e-15, btol=1e-15,
                             iter_lim=50 * int(offsets[-1]) + 1000)[0]
    fe: dict[str, pd.Series] = {}
    for (name, lev), lo, hi in zip(levels.items(), offsets[:-1], offsets[1:], strict=True):
        idx = pd.MultiIndex.from_frame(lev) if lev.shape[1] > 1 else pd.Index(lev.iloc[:, 0], name=name)
        fe[name] = pd.Series(alpha[lo:hi], index=idx, name=f"{name}_fe")
    if "exporter" in fe:
        fe["exporter"].index = fe["exporter"].index.set_names(["exporter", "year"])
        fe["importer"].index = fe["importer"].index.set_names(["importer", "year"])
        if "pair" in fe:
            fe["pair"].index = fe["pair"].index.set_names(["exporter", "importer"])
        reference = _normalise(fe, reference)
    resid = float(np.max(np.abs(d @ np.concatenate([s.to_numpy() for s in fe.values()]) - target)))
    return fe, resid, reference


def _normalise(fe: dict[str, pd.Series], reference: str | None) -> str:
    """Shift FE within their null space: μ_ii = 0 for domestic pairs, χ_ref,t = 0 each year."""
    ex, im = fe["exporter"], fe["importer"]
    if "pair" in fe:
        pr = fe["pair"]
        i, j = pr.index.get_level_values(0), pr.index.get_level_values(1)
        a = pr[i == j].droplevel(1)
        pr = pr - np.nan_to_num(i.map(a).to_numpy(dtype=float))
        ex = ex + np.nan_to_num(ex.index.get_level_values(0).map(a).to_numpy(dtype=float))
        fe["pair"] = pr
    importers = im.index.get_level_values(0)
    ref = str(sorted(importers.unique())[0]) if reference is None else reference
    if ref not in set(importers):
        raise GravityDataError(f"reference_importer {ref!r} is not among the estimated importers")
    c = im.xs(ref, level=0)
    fe["importer"] = im - np.nan_to_num(im.index.get_level_values(1).map(c).to_numpy(dtype=float))
    fe["exporter"] = ex + np.nan_to_num(ex.index.get_level_values(1).map(c).to_numpy(dtype=float))
    return ref
