"""Inputs and outputs of gravity estimation: the labelled panel, the read-only PPML results, and
the typed errors (the panel is read from the store in :mod:`.data`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from econsec.errors import EconsecError, NotFoundError

if TYPE_CHECKING:
    from econsec.analytics.models.estimation.ppml import PPML

METHOD = ("PPML (Santos Silva & Tenreyro 2006) by IRLS; fixed effects swept out by weighted "
          "demeaning (pyfixest 0.60 kernels: LSMR or alternating projections), recovered by "
          "sparse LSQR; structural gravity as in Yotov, Piermartini, Monteiro & Larch (2016), ch. 1")


class GravityDataError(EconsecError, ValueError):
    """A gravity frame that cannot be estimated: missing columns, bad values, duplicates."""


class PPMLConvergenceError(EconsecError):
    """IRLS (or the demeaning inside it) did not converge."""

    def __init__(self, message: str, *, iterations: int, criterion: float = float("nan")) -> None:
        self.iterations = iterations
        self.criterion = criterion
        super().__init__(message)


@dataclass(frozen=True)
class GravityPanel:
    """A gravity panel with its provenance: the long frame PPML estimates on (not the
    N-country matrices of :class:`econsec.analytics.models.gravity.GravityData` that the GE
    model solves on).

    ``frame`` has one row per (exporter, importer, year): ``trade`` (flows, ``unit``), and the
    bilateral covariates. ``dataset``, ``source`` and ``vintage`` say where it came from.
    """

    frame: pd.DataFrame
    dataset: str = "user data"
    source: str = "user data"
    vintage: str = "not recorded"
    unit: str = "not recorded"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(int(y) for y in sorted(self.frame["year"].unique()))


@dataclass(frozen=True)
class FitDiagnostics:
    """How the estimate was reached.

    converged : always True on a returned result (failure raises PPMLConvergenceError).
    iterations : IRLS iterations.
    deviance : Poisson deviance 2 Σ [X ln(X/μ̂) − (X − μ̂)] at the estimate (units of trade).
    criterion : the last relative deviance change.
    score_residual : largest relative first-order-condition residual over fixed-effect groups
        (|Σ_g (X − μ̂)| / Σ_g X) and covariates; the adding-up check.
    fe_residual : max |Σ FE + x'β̂ − η̂| after recovering the fixed effects (log points).
    """

    converged: bool
    iterations: int
    deviance: float
    criterion: float
    score_residual: float
    fe_residual: float


@dataclass(frozen=True)
class PPMLResults:
    """Read-only PPML gravity estimates; every frame or series handed out is a copy.

    coef, se, vcov : β̂, standard errors and their covariance (``spec.vcov``).
    fixed_effects : log-scale FE by dimension — ``"exporter"`` (index exporter, year),
        ``"importer"`` (importer, year), ``"pair"`` (exporter, importer), absorbed columns by
        name; normalised as described in :mod:`ppml` (absorbed columns are not normalised).
    fitted : the estimation sample (exporter, importer, year, trade, the covariates kept) with
        ``fitted`` = μ̂, indexed like the input rows.
    dropped : rows left out and why; dropped_covariates : covariates collinear with the FE.
    diagnostics : converged, iterations, deviance, first-order and FE-recovery residuals.
    source, vintage, method, spec : the data and how the estimate was computed.
    """

    spec: PPML
    _coef: pd.Series
    _vcov: pd.DataFrame
    _fixed_effects: Mapping[str, pd.Series]
    _fitted: pd.DataFrame
    _dropped: pd.DataFrame
    dropped_covariates: tuple[str, ...]
    diagnostics: FitDiagnostics
    n_obs: int
    n_clusters: int | None
    loglik: float
    reference_importer: str | None
    source: str
    vintage: str
    method: str = field(default=METHOD)

    def __post_init__(self) -> None:
        for name in ("_coef", "_vcov", "_fitted", "_dropped"):
            object.__setattr__(self, name, getattr(self, name).copy())
        object.__setattr__(self, "_fixed_effects",
                           {k: v.copy() for k, v in self._fixed_effects.items()})

    # -- accessors (copies, so the result cannot be changed through them) ----------------------
    @property
    def coef(self) -> pd.Series:
        return self._coef.copy()

    params = coef

    @property
    def vcov(self) -> pd.DataFrame:
        """Covariance of β̂ (for Monte Carlo draws, see :meth:`draws`)."""
        return self._vcov.copy()

    @property
    def se(self) -> pd.Series:
        return pd.Series(np.sqrt(np.diag(self._vcov.to_numpy())), index=self._coef.index, name="se")

    @property
    def fixed_effects(self) -> dict[str, pd.Series]:
        return {k: v.copy() for k, v in self._fixed_effects.items()}

    @property
    def fitted(self) -> pd.DataFrame:
        return self._fitted.copy()

    @property
    def dropped(self) -> pd.DataFrame:
        return self._dropped.copy()

    @property
    def converged(self) -> bool:
        return self.diagnostics.converged

    @property
    def iterations(self) -> int:
        return self.diagnostics.iterations

    @property
    def deviance(self) -> float:
        return self.diagnostics.deviance

    def draws(self, n: int, seed: int | None = None) -> pd.DataFrame:
        """``n`` draws of β from N(β̂, V̂) for Monte Carlo over the estimates (one row per draw)."""
        rng = np.random.default_rng(seed)
        b = rng.multivariate_normal(self._coef.to_numpy(), self._vcov.to_numpy(), size=n,
                                    method="eigh")
        return pd.DataFrame(b, columns=self._coef.index)

    def fe(self, name: str) -> pd.Series:
        """One dimension's fixed effects (log scale), e.g. ``fe("exporter")``."""
        if name not in self._fixed_effects:
            raise NotFoundError(f"no fixed effects {name!r}; estimated: {list(self._fixed_effects)}")
        return self._fixed_effects[name].copy()

    def bilateral_term(self) -> pd.DataFrame:
        """exp(x'β̂ [+ μ̂_ij]) for each sample row: the estimated t_ij^(1−σ) of structural gravity."""
        if self.spec.fixed_effects == "none":
            raise ValueError("bilateral_term needs a model with exporter and importer effects")
        f = self._fitted[["exporter", "importer", "year"]].copy()
        lin = self._fitted[list(self._coef.index)].to_numpy(dtype=float) @ self._coef.to_numpy()
        if "pair" in self._fixed_effects:
            key = pd.MultiIndex.from_frame(f[["exporter", "importer"]])
            lin = lin + self._fixed_effects["pair"].reindex(key).to_numpy()
        return f.assign(t_1_minus_sigma=np.exp(lin))

    def to_frame(self) -> pd.DataFrame:
        """Coefficient table: coef, se, z, p (normal), 95% interval."""
        se = self.se
        z = self.coef / se
        q = ndtri(0.975)
        return pd.DataFrame({"coef": self.coef, "se": se, "z": z,
                             "p": 2 * ndtr(-np.abs(z)),
                             "ci_low": self.coef - q * se, "ci_high": self.coef + q * se})

    def provenance(self) -> dict[str, Any]:
        s = self.spec
        return {"model": "PPML structural gravity", "method": self.method,
                "fixed_effects": s.fixed_effects, "absorb": list(s.absorb), "vcov": s.vcov,
                "reference_importer": self.reference_importer, "tol": s.tol, "fe_tol": s.fe_tol,
                "source": self.source, "vintage": self.vintage}

    def summary(self) -> str:
        d = self.diagnostics
        s = self.spec
        years = sorted(self._fitted["year"].unique())
        span = f"{years[0]}–{years[-1]} ({len(years)} years)" if len(years) > 1 else str(years[0])
        vc = {"cluster-pair": f"clustered by country pair ({self.n_clusters} clusters)",
              "cluster-directed-pair": f"clustered by directed pair ({self.n_clusters} clusters)",
              "robust": "heteroskedasticity-robust", "iid": "Poisson (iid)"}[s.vcov]
        lines = [f"PPML gravity: {self.n_obs:,} observations, {span}; fixed effects: "
                 f"{s.fixed_effects}" + (f" + {', '.join(s.absorb)}" if s.absorb else ""),
                 f"  data: {self.source} ({self.vintage})",
                 f"  converged in {d.iterations} iterations; deviance {d.deviance:,.4f}; "
                 f"max FOC residual {d.score_residual:.1e}; FE recovery residual {d.fe_residual:.1e}",
                 f"  standard errors: {vc}"]
        if len(self._dropped):
            why = self._dropped["reason"].value_counts()
            lines.append("  dropped: " + "; ".join(f"{n} ({r})" for r, n in why.items()))
        if self.dropped_covariates:
            lines.append(f"  covariates collinear with the fixed effects, dropped: "
                         f"{', '.join(self.dropped_covariates)}")
        table = self.to_frame()[["coef", "se", "z", "p"]]
        lines += ["", table.to_string(float_format=lambda v: f"{v:.6f}")]
        if self.reference_importer:
            lines.append(f"\nimporter effects normalised to 0 for {self.reference_importer}")
        lines.append(f"method: {self.method}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<PPMLResults {len(self._coef)} coefficients, {self.n_obs} obs, "
                f"{self.spec.fixed_effects}, {self.diagnostics.iterations} iterations>")
