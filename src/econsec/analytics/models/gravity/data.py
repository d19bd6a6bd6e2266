"""Baseline data for the gravity GE models: one year, a square set of countries.

:class:`GravityData` holds, for N countries in a fixed (sorted) order, the observed flows
X_ij (exporter rows × importer columns, domestic flows on the diagonal), output Y_i,
expenditure E_j and named bilateral cost variables x_k,ij. It is built

* from a long frame (one row per exporter × importer, gegravity's input layout):
  :func:`gravity_data_from_frame`;
* from a square trade matrix alone (for exact hat algebra): :func:`gravity_data_from_matrix`,
  with Y_i = Σ_j X_ij and E_j = Σ_i X_ij;
* from the store's ``gravity_panel`` (datasets ``gegravity_sample_2006``, ``agtpa_yotov2016``):
  :func:`gravity_data_from_store`, recording the source and its ingest vintage.

Where the panel gives no Y or E (AGTPA), they are the row and column sums of the flows including
domestic flows (Yotov et al. 2016, ch. 2); ``lndist`` is ln(dist) where only dist is given.

The cost variable :data:`CONSTANT` (``"constant"``) is 1 for every pair unless the data hold a
variable of that name, so a gravity equation estimated with an intercept can be given as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from econsec.errors import EconsecError
from econsec.store import Store

PairValues = Mapping[tuple[str, str], float] | np.ndarray
STORE_VARIABLES = ("lndist", "contig", "common_lang", "colony", "rta", "international")
#: The intercept's cost variable: 1 for every pair (unless the data hold a variable of that name).
CONSTANT = "constant"


class GravityInputError(EconsecError, ValueError):
    """Gravity model input that cannot be used (not square, missing values, unknown country)."""


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class GravityData:
    """One year of square gravity data.

    Attributes
    ----------
    countries : country codes in model order (sorted).
    trade : observed flows X_ij, shape (N, N), exporter rows, importer columns, in ``unit``.
    output : Y_i, shape (N,), in ``unit``.
    expenditure : E_j, shape (N,), in ``unit``.
    variables : name → (N, N) cost variable (e.g. lndist, contiguity, pta, international).
    year, unit, source, vintage : what the data are and where they come from.
    """

    countries: tuple[str, ...]
    trade: np.ndarray
    output: np.ndarray
    expenditure: np.ndarray
    variables: Mapping[str, np.ndarray] = field(default_factory=dict)
    year: int | None = None
    unit: str = ""
    source: str = "user"
    vintage: str = ""

    def __post_init__(self) -> None:
        n = len(self.countries)
        if len(set(self.countries)) != n:
            raise GravityInputError("countries must be unique")
        object.__setattr__(self, "countries", tuple(str(c) for c in self.countries))
        for name in ("trade", "output", "expenditure"):
            a = _frozen(getattr(self, name))
            want = (n, n) if name == "trade" else (n,)
            if a.shape != want:
                raise GravityInputError(f"{name} must have shape {want}, got {a.shape}")
            object.__setattr__(self, name, a)
        variables = {}
        for k, v in self.variables.items():
            a = _frozen(v)
            if a.shape != (n, n):
                raise GravityInputError(f"variable {k!r} must have shape {(n, n)}, got {a.shape}")
            variables[str(k)] = a
        object.__setattr__(self, "variables", variables)

    @property
    def n(self) -> int:
        return len(self.countries)

    def index(self, code: str) -> int:
        """Position of a country code (error lists what is there)."""
        try:
            return self.countries.index(code)
        except ValueError:
            raise GravityInputError(f"unknown country {code!r}; the data have "
                                    f"{', '.join(self.countries)}") from None

    def stack(self, names: Sequence[str]) -> np.ndarray:
        """Cost variables ``names`` as one (K, N, N) array (:data:`CONSTANT` is all ones unless
        the data have a variable of that name)."""
        missing = [k for k in names if k not in self.variables and k != CONSTANT]
        if missing:
            raise GravityInputError(f"no cost variable {missing}; the data have "
                                    f"{sorted(self.variables)}")
        if not names:
            return np.zeros((0, self.n, self.n))
        ones = np.ones((self.n, self.n))
        return np.stack([self.variables.get(k, ones) for k in names])

    def pair_matrix(self, values: PairValues, base: np.ndarray | float = 0.0) -> np.ndarray:
        """An (N, N) exporter × importer matrix: ``base`` with the given pairs set.

        ``values`` is either a full (N, N) array or a mapping {(exporter, importer): value}.
        """
        out = np.array(np.broadcast_to(np.asarray(base, dtype=np.float64), (self.n, self.n)))
        if isinstance(values, np.ndarray):
            v = np.asarray(values, dtype=np.float64)
            if v.shape != (self.n, self.n):
                raise GravityInputError(f"pair matrix must have shape {(self.n, self.n)}, "
                                        f"got {v.shape}")
            return v.copy()
        for (exp, imp), val in values.items():
            out[self.index(exp), self.index(imp)] = float(val)
        return out

    def trade_frame(self) -> pd.DataFrame:
        """Observed flows as a square frame (index exporter, columns importer)."""
        return pd.DataFrame(self.trade, index=pd.Index(self.countries, name="exporter"),
                            columns=pd.Index(self.countries, name="importer"))

    def __repr__(self) -> str:
        return (f"<GravityData {self.n} countries, {self.year}, {self.unit}, variables "
                f"{sorted(self.variables)}; {self.source} {self.vintage}>")


def _square(df: pd.DataFrame, exporter: str, importer: str, cols: Sequence[str]
            ) -> tuple[list[str], dict[str, np.ndarray]]:
    dup = df.duplicated([exporter, importer])
    if dup.any():
        r = df.loc[dup].iloc[0]
        raise GravityInputError(f"duplicate pair {r[exporter]}→{r[importer]}")
    countries = sorted(set(df[exporter].astype(str)) | set(df[importer].astype(str)))
    n = len(countries)
    if len(df) != n * n:
        raise GravityInputError(f"data must be square with domestic flows: {n} countries need "
                                f"{n * n} exporter × importer rows, got {len(df)}")
    code = {c: i for i, c in enumerate(countries)}
    ei = df[exporter].astype(str).map(code).to_numpy()
    ii = df[importer].astype(str).map(code).to_numpy()
    out = {}
    for c in cols:
        vals = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=np.float64)
        bad = np.flatnonzero(~np.isfinite(vals))
        if bad.size:
            r = df.iloc[int(bad[0])]
            raise GravityInputError(f"column {c!r} has a missing or non-numeric value for "
                                    f"{r[exporter]}→{r[importer]}")
        m = np.empty((n, n))
        m[ei, ii] = vals
        out[c] = m
    return countries, out


def gravity_data_from_frame(df: pd.DataFrame, *, exporter: str = "exporter",
                            importer: str = "importer", trade: str = "trade",
                            output: str | None = "Y", expenditure: str | None = "E",
                            variables: Sequence[str] = (), year: int | None = None,
                            year_column: str = "year", unit: str = "", source: str = "user",
                            vintage: str = "") -> GravityData:
    """Build :class:`GravityData` from a long frame (one row per exporter × importer).

    Parameters
    ----------
    df : bilateral rows including domestic flows (exporter = importer).
    output, expenditure : columns with Y_i (per exporter) and E_j (per importer); ``None``
        takes them as the row and column sums of ``trade``.
    variables : cost-variable columns to keep.
    year : keep this year only (when ``year_column`` is present).
    """
    if year is not None and year_column in df.columns:
        df = df[df[year_column].astype(str) == str(year)]
    needed = [exporter, importer, trade, *variables]
    needed += [c for c in (output, expenditure) if c is not None]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise GravityInputError(f"frame has no column(s) {missing}; it has {list(df.columns)}")
    countries, m = _square(df, exporter, importer, [trade, *variables,
                                                    *[c for c in (output, expenditure) if c]])
    x = m[trade]
    y = x.sum(axis=1) if output is None else _unique(m[output], axis=1, name=output)
    e = x.sum(axis=0) if expenditure is None else _unique(m[expenditure], axis=0,
                                                          name=expenditure)
    return GravityData(tuple(countries), x, y, e, {k: m[k] for k in variables}, year, unit,
                       source, vintage)


def _unique(m: np.ndarray, axis: int, name: str) -> np.ndarray:
    """A country value repeated along a row (axis=1) or column (axis=0): check it is constant."""
    first = m[:, 0] if axis == 1 else m[0, :]
    other = m if axis == 1 else m.T
    if not np.allclose(other, first[:, np.newaxis], rtol=1e-12, atol=0):
        raise GravityInputError(f"{name!r} must take one value per country")
    return first


def gravity_data_from_matrix(trade: pd.DataFrame, *, year: int | None = None, unit: str = "",
                             source: str = "user", vintage: str = "") -> GravityData:
    """Build :class:`GravityData` from a square flow matrix (index exporters, columns importers).

    Y_i and E_j are the row and column sums (domestic flows included); no cost variables.
    """
    if set(trade.index) != set(trade.columns):
        raise GravityInputError("trade matrix must have the same countries as rows and columns")
    codes = sorted(str(c) for c in trade.index)
    x = trade.rename(index=str, columns=str).reindex(index=codes, columns=codes)
    arr = x.to_numpy(dtype=np.float64)
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise GravityInputError("trade matrix must be finite and non-negative")
    return GravityData(tuple(codes), arr, arr.sum(axis=1), arr.sum(axis=0), {}, year, unit,
                       source, vintage)


_PANEL = """
SELECT exporter, importer, trade, unit, coalesce(lndist, ln(dist)) AS lndist, dist,
       contig, common_lang, colony, rta, international, output_y, expenditure_e, source
FROM gravity_panel WHERE dataset = ? AND year = ?
"""


def gravity_data_from_store(store: Store, *, dataset: str = "gegravity_sample_2006",
                            year: int = 2006, variables: Sequence[str] | None = None
                            ) -> GravityData:
    """Read one year of a ``gravity_panel`` dataset from the store.

    Variables are the store's columns (``lndist``, ``contig``, ``common_lang``, ``colony``,
    ``rta``, ``international``; ``None`` = those the dataset fills); Y and E are the panel's ``output_y``/``expenditure_e`` where
    present, else the row and column sums of the flows.
    """
    df = store.df(_PANEL, [dataset, year])
    if df.empty:
        have = store.df("SELECT DISTINCT dataset, year FROM gravity_panel ORDER BY ALL")
        raise GravityInputError(f"no gravity_panel rows for {dataset!r} in {year}; the store has "
                                f"{sorted(set(have['dataset']))}")
    has_ye = df["output_y"].notna().all() and df["expenditure_e"].notna().all()
    if variables is None:
        variables = [v for v in STORE_VARIABLES if df[v].notna().all()]
    bad = [v for v in variables if v not in STORE_VARIABLES or df[v].isna().any()]
    if bad:
        raise GravityInputError(f"{dataset!r} does not fill {bad}; it fills "
                                f"{[v for v in STORE_VARIABLES if df[v].notna().all()]}")
    src = str(df["source"].iloc[0])
    vint = store.df("SELECT DISTINCT vintage FROM ingest_log WHERE source = ? "
                    "AND superseded_by IS NULL", [src])
    return gravity_data_from_frame(
        df, output="output_y" if has_ye else None,
        expenditure="expenditure_e" if has_ye else None, variables=variables, year=year,
        unit=str(df["unit"].iloc[0]), source=f"{src} ({dataset})",
        vintage="; ".join(vint["vintage"]) if len(vint) else "not ingested")
