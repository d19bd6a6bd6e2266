"""Calibration data of the multi-sector model: an MRIO year in the shape the model needs.

A :class:`Calibration` holds, for N countries and J sectors (million USD, current prices):

* ``trade[n, i, j]``: sales of sector-j goods from exporter i to buyer n at factory-gate (basic)
  prices, domestic sales included (n = i). Arrays inside the calibration are **importer first**,
  as in Caliendo & Parro (2015, "CP") π_ni^j; frames crossing the layer boundary are labelled
  (``importer``, ``exporter``, ``sector``).
* ``inputs[n, k, j]``: purchases of sector-k goods (all origins, tariff-inclusive) by sector j of n.
* ``final[n, j]``: final demand of n for sector-j goods (all origins, tariff-inclusive).
* ``tariff[n, i, j]``: baseline ad-valorem tariff of n on sector-j goods from i (0 in WIOD).

Everything else follows (CP's model): expenditure X_n^j = Σ_i (1+τ_ni^j) trade_ni^j;
π_ni^j = (1+τ_ni^j) trade_ni^j / X_n^j; gross output Y_i^j = Σ_n trade_ni^j; value added
VA_n^j = Y_n^j − Σ_k inputs_n^{kj}; γ_n^j = VA_n^j / Y_n^j; γ_n^{kj} = inputs_n^{kj} / Y_n^j;
α_n^j = final_n^j / Σ_j final_n^j; deficit D_n = Σ_ij trade_ni^j − Σ_j Y_n^j (imports − exports);
tariff revenue R_n = Σ_ij τ_ni^j trade_ni^j. Then Σ_j final_n^j = VA_n + R_n + D_n (income) and
X_n^j = Σ_k γ_n^{jk} Y_n^k + α_n^j I_n, so the data are an equilibrium of the model.

Treatments (each is recorded in ``notes`` or ``adjustments``):

* **Inventories**: WIOD's changes in inventories (``INVEN``, 346 negative cells in 2011) are
  dropped; final demand is household, NPISH and government consumption plus GFCF, and gross
  output is the sum of these uses and intermediate sales. Negative remaining final-demand cells
  (GFCF has a few) are set to zero (counted in ``notes``).
* **Negative value added**: where a sector's inputs exceed its output (rounding in small cells;
  in 2011 only LUX c24, −4 of 32 million USD), its input purchases are scaled down so that value
  added is zero; the suppliers' sales fall by the same amounts, so the table stays balanced. The
  step repeats until no cell is negative (``adjustments`` lists every scaled cell).
* **Zero output**: sectors with no output (22 country-sectors in 2011) get γ = 1 and no inputs;
  they stay at zero in every counterfactual (exact hat algebra cannot create flows).
* **Zero expenditure**: where n buys nothing of sector j, π_nn^j = 1 so that P̂_n^j = ĉ_n^j.
* **Tiny trade** (most services): the observed shares are used as they are; trade-cost shocks on
  pairs with no trade have no effect, and low services trade keeps services prices domestic.

Sector trade elasticities θ_j (CP Table 1, overridable in the model): CP estimate θ for 20 ISIC
rev.3 tradable sectors; :data:`WIOD_THETA` maps them to WIOD's 35 industries (see
:data:`WIOD_THETA_BASIS`). Sector groups follow the OECD technology-intensity classification
(Hatzichronoglou 1997, OECD STI Working Paper 1997/2; OECD 2011 ISIC rev.3 update).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from econsec.errors import EconsecError
from econsec.store import Store

UNIT = "million USD"
WIOD_INDUSTRIES: tuple[str, ...] = tuple(f"c{k}" for k in range(1, 36))
FINAL_DEMAND: tuple[str, ...] = ("CONS_h", "CONS_np", "CONS_g", "GFCF")  # INVEN dropped

#: CP's sector trade elasticities θ_j (their Table 1; preferred 99% sample) as used in CP's
#: replication input ``T.txt`` for the 20 ISIC rev.3 tradable sectors (file as redistributed at
#: github.com/powell001/Caliendo_Parro_2015_Python, data/original_data/T.txt). Auto and Other
#: transport carry 8.22 in that file (also CP's value for their non-traded sectors); we follow it.
CP2015_THETA: dict[str, float] = {
    "Agriculture": 9.11, "Mining": 13.53, "Food": 2.62, "Textile": 8.10, "Wood": 11.50,
    "Paper": 16.52, "Petroleum": 64.85, "Chemicals": 3.13, "Plastic": 1.67, "Minerals": 2.41,
    "Basic metals": 3.28, "Metal products": 6.99, "Machinery n.e.c.": 1.45, "Office": 12.95,
    "Electrical": 12.91, "Communication": 3.95, "Medical": 8.71, "Auto": 8.22,
    "Other transport": 8.22, "Other": 3.98,
}
#: Services (c17–c35): CP treat them as non-traded; WIOD records small services trade, so they
#: get the literature's central trade elasticity, 5 (Head & Mayer 2014, methods.md §6.7).
THETA_SERVICES = 5.0
#: WIOD industry → the CP sectors it spans (ISIC rev.3 divisions); θ = their simple mean.
WIOD_THETA_BASIS: dict[str, tuple[str, ...]] = {
    "c1": ("Agriculture",), "c2": ("Mining",), "c3": ("Food",), "c4": ("Textile",),
    "c5": ("Textile",), "c6": ("Wood",), "c7": ("Paper",), "c8": ("Petroleum",),
    "c9": ("Chemicals",), "c10": ("Plastic",), "c11": ("Minerals",),
    "c12": ("Basic metals", "Metal products"),                     # ISIC 27t28
    "c13": ("Machinery n.e.c.",),
    "c14": ("Office", "Electrical", "Communication", "Medical"),   # ISIC 30t33
    "c15": ("Auto", "Other transport"),                            # ISIC 34t35
    "c16": ("Other",),
}
WIOD_THETA: dict[str, float] = {
    **{c: float(np.mean([CP2015_THETA[s] for s in basis])) for c, basis in WIOD_THETA_BASIS.items()},
    **{f"c{k}": THETA_SERVICES for k in range(17, 36)},
}

#: OECD technology intensity (ISIC rev.3) on WIOD industries. High: ISIC 30, 32, 33 (office and
#: computing, radio-TV-communication, medical and precision instruments) with 31 (electrical
#: machinery, medium-high) inside WIOD c14, so c14 is high-tech. Medium: c9 chemicals (medium-high;
#: includes pharmaceuticals, high), c13 machinery (medium-high), c15 transport equipment (motor
#: vehicles medium-high; aircraft high and ships medium-low inside it), c8 petroleum, c10 rubber
#: and plastics, c11 non-metallic minerals, c12 basic and fabricated metals (medium-low). Low: food,
#: textiles, leather, wood, paper and printing, manufacturing n.e.c. c17–c35 (utilities,
#: construction and services) are "services".
TECH_GROUPS: dict[str, tuple[str, ...]] = {
    "agriculture": ("c1",),
    "mining": ("c2",),
    "low_tech": ("c3", "c4", "c5", "c6", "c7", "c16"),
    "medium_tech": ("c8", "c9", "c10", "c11", "c12", "c13", "c15"),
    "high_tech": ("c14",),
    "services": tuple(f"c{k}" for k in range(17, 36)),
}
#: WIOD industry → its :data:`TECH_GROUPS` group (the ``sectors`` mapping of :func:`load_wiod`).
TECH_GROUP_OF: dict[str, str] = {c: g for g, members in TECH_GROUPS.items() for c in members}
#: The high-tech sectors of a decoupling scenario: WIOD c14 (see :data:`TECH_GROUPS`). The
#: broader "high and medium-high" set adds chemicals (incl. pharmaceuticals), machinery and
#: transport equipment (incl. aircraft).
HIGH_TECH: tuple[str, ...] = ("c14",)
HIGH_AND_MEDIUM_HIGH_TECH: tuple[str, ...] = ("c9", "c13", "c14", "c15")


class MultiSectorInputError(EconsecError, ValueError):
    """Calibration or shock input the multi-sector model cannot use (shape, sign, unknown code)."""


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Calibration:
    """One MRIO year for the multi-sector model (see the module docstring for every array).

    ``members`` maps a sector of an aggregated calibration to the original sectors it sums and
    ``member_trade`` gives their world international trade (the weights of the default θ).
    """

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    trade: np.ndarray
    inputs: np.ndarray
    final: np.ndarray
    tariff: np.ndarray
    source: str = "user"
    vintage: str = ""
    year: int | None = None
    notes: tuple[str, ...] = ()
    adjustments: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["country", "sector", "inputs_before", "inputs_after"]))
    members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    member_trade: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, j = len(self.countries), len(self.sectors)
        if n < 1 or j < 1 or len(set(self.countries)) < n or len(set(self.sectors)) < j:
            raise MultiSectorInputError("countries and sectors must be non-empty lists of distinct codes")
        for name, shape in (("trade", (n, n, j)), ("inputs", (n, j, j)), ("final", (n, j)),
                            ("tariff", (n, n, j))):
            a = np.asarray(getattr(self, name), dtype=np.float64)
            if a.shape != shape:
                raise MultiSectorInputError(f"{name} must have shape {shape}, got {a.shape}")
            if not np.isfinite(a).all() or (a < 0).any():
                raise MultiSectorInputError(f"{name} must be finite and non-negative")
            object.__setattr__(self, name, _ro(a))
        object.__setattr__(self, "countries", tuple(str(c) for c in self.countries))
        object.__setattr__(self, "sectors", tuple(str(s) for s in self.sectors))
        scale = max(float(self.expenditure.max()), 1.0)
        gap = np.abs(self.inputs.sum(axis=2) + self.final - self.expenditure).max()
        if gap > 1e-9 * scale:
            raise MultiSectorInputError(f"inputs + final demand must equal expenditure (gap {gap:.3g})")
        if (self.value_added < -1e-9 * scale).any():
            raise MultiSectorInputError("value added must be non-negative (inputs exceed output)")

    # -- levels ------------------------------------------------------------------------------
    @property
    def expenditure(self) -> np.ndarray:
        """X_n^j = Σ_i (1 + τ_ni^j) trade_ni^j, tariff-inclusive (N × J)."""
        return ((1.0 + self.tariff) * self.trade).sum(axis=1)

    @property
    def output(self) -> np.ndarray:
        """Y_i^j = Σ_n trade_ni^j, factory-gate gross output (N × J)."""
        return self.trade.sum(axis=0)

    @property
    def value_added(self) -> np.ndarray:
        """VA_n^j = Y_n^j − Σ_k inputs_n^{kj} (N × J)."""
        return self.output - self.inputs.sum(axis=1)

    @property
    def deficit(self) -> np.ndarray:
        """D_n = imports − exports at factory-gate prices (domestic sales cancel); Σ_n D_n = 0."""
        return self.trade.sum(axis=(1, 2)) - self.output.sum(axis=1)

    @property
    def tariff_revenue(self) -> np.ndarray:
        """R_n = Σ_ij τ_ni^j trade_ni^j."""
        return (self.tariff * self.trade).sum(axis=(1, 2))

    # -- shares ------------------------------------------------------------------------------
    @property
    def pi(self) -> np.ndarray:
        """π_ni^j, shares of n's sector-j spending by origin; π_nn^j = 1 where n buys none."""
        x = self.expenditure
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(x[:, None, :] > 0, (1.0 + self.tariff) * self.trade / x[:, None, :], 0.0)
        n = np.arange(len(self.countries))
        p[n, n, :] += x <= 0
        return p

    @property
    def alpha(self) -> np.ndarray:
        """α_n^j = final_n^j / Σ_j final_n^j."""
        return self.final / self.final.sum(axis=1, keepdims=True)

    @property
    def beta(self) -> np.ndarray:
        """γ_n^j (value-added share of gross output); 1 where output is zero."""
        y = self.output
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, np.maximum(self.value_added, 0.0) / y, 1.0)

    @property
    def gamma(self) -> np.ndarray:
        """γ_n^{kj}: sector-k input per unit of sector-j output in n (N × J × J); Σ_k + γ_n^j = 1."""
        y = self.output
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y[:, None, :] > 0, self.inputs / y[:, None, :], 0.0)

    # -- frames and aggregation ----------------------------------------------------------------
    def trade_frame(self) -> pd.DataFrame:
        """Long frame: importer, exporter, sector, trade (million USD, factory-gate), tariff."""
        idx = pd.MultiIndex.from_product([self.countries, self.countries, self.sectors],
                                         names=["importer", "exporter", "sector"])
        return pd.DataFrame({"trade": self.trade.ravel(), "tariff": self.tariff.ravel()},
                            index=idx).reset_index()

    def __repr__(self) -> str:
        return f"<Calibration {self.provenance()}>"

    def provenance(self) -> str:
        year = f", {self.year}" if self.year is not None else ""
        return f"{self.source} ({self.vintage}{year}), {len(self.countries)} countries × " \
               f"{len(self.sectors)} sectors"

    def aggregate(self, sectors: Mapping[str, str] | None = None,
                  countries: Mapping[str, str] | None = None) -> Calibration:
        """Sum sectors (code → group) and/or countries (code → group); every code must be mapped.

        Tariffs become trade-weighted means (revenue and expenditure are preserved). Groups are
        ordered as their first member. Domestic flows of a country group include its internal trade.
        """
        s_m, s_labels = _indicator(self.sectors, sectors, "sector")
        c_m, c_labels = _indicator(self.countries, countries, "country")
        trade = np.einsum("nij,nh,ia,jg->hag", self.trade, c_m, c_m, s_m, optimize=True)
        paid = np.einsum("nij,nh,ia,jg->hag", self.tariff * self.trade, c_m, c_m, s_m, optimize=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            tariff = np.where(trade > 0, paid / trade, 0.0)
        inputs = np.einsum("nkj,nh,kg,jf->hgf", self.inputs, c_m, s_m, s_m, optimize=True)
        final = np.einsum("nj,nh,jg->hg", self.final, c_m, s_m, optimize=True)
        group = dict(zip(self.sectors, (s_labels[k] for k in s_m.argmax(axis=1)), strict=True))
        members = {g: tuple(m for s in self.sectors if group[s] == g
                            for m in self.members.get(s, (s,))) for g in s_labels}
        member_trade = dict(self.member_trade) or dict(
            zip(self.sectors, map(float, _international(self)), strict=True))
        notes = list(self.notes)
        for what, labels, m, codes in (("sectors", s_labels, s_m, self.sectors),
                                       ("countries", c_labels, c_m, self.countries)):
            if len(labels) < len(codes):
                notes.append(f"{what} aggregated: " + "; ".join(
                    f"{g} = {'+'.join(c for c, k in zip(codes, m.argmax(axis=1), strict=True) if k == i)}"
                    for i, g in enumerate(labels)))
        return Calibration(c_labels, s_labels, trade, inputs, final, tariff, self.source,
                           self.vintage, self.year, tuple(notes), self.adjustments, members,
                           member_trade)


def _international(cal: Calibration) -> np.ndarray:
    """World international (non-domestic) trade by sector, million USD."""
    n = np.arange(len(cal.countries))
    return cal.trade.sum(axis=(0, 1)) - cal.trade[n, n, :].sum(axis=0)


def _indicator(codes: tuple[str, ...], mapping: Mapping[str, str] | None,
               what: str) -> tuple[np.ndarray, tuple[str, ...]]:
    if mapping is None:
        return np.eye(len(codes)), codes
    missing = [c for c in codes if c not in mapping]
    if missing:
        raise MultiSectorInputError(f"the {what} mapping must map every {what}; missing {missing[:10]}")
    labels = tuple(dict.fromkeys(str(mapping[c]) for c in codes))
    m = np.zeros((len(codes), len(labels)))
    m[np.arange(len(codes)), [labels.index(str(mapping[c])) for c in codes]] = 1.0
    return m, labels


def from_mrio(z: np.ndarray, f: np.ndarray, *, countries: Sequence[str], sectors: Sequence[str],
              tariff: np.ndarray | None = None, source: str = "user", vintage: str = "",
              year: int | None = None, notes: Sequence[str] = ()) -> Calibration:
    """Calibrate from MRIO blocks ``z[i, k, n, j]`` (sales of i's sector k to n's sector j) and
    ``f[i, k, n]`` (final sales of i's sector k to n), factory-gate, plus optional baseline
    ``tariff[n, i, k]`` (importer first). Negative final demand is set to zero and negative value
    added removed by scaling inputs (module docstring)."""
    n_c, n_s = len(countries), len(sectors)
    z = np.array(z, dtype=np.float64)
    f = np.array(f, dtype=np.float64)
    if z.shape != (n_c, n_s, n_c, n_s) or f.shape != (n_c, n_s, n_c):
        raise MultiSectorInputError(f"z must be {(n_c, n_s, n_c, n_s)} and f {(n_c, n_s, n_c)}, "
                                    f"got {z.shape} and {f.shape}")
    tau = np.zeros((n_c, n_c, n_s)) if tariff is None else np.asarray(tariff, dtype=np.float64)
    if tau.shape != (n_c, n_c, n_s):
        raise MultiSectorInputError(f"tariff must be importer × exporter × sector {(n_c, n_c, n_s)}")
    out = list(notes)
    for name, a in (("intermediate", z), ("final-demand", f)):
        neg = a < 0
        if neg.any():
            out.append(f"{int(neg.sum())} negative {name} cells ({-a[neg].sum():,.0f} {UNIT}) set to 0")
            a[neg] = 0.0
    before: dict[tuple[int, int], float] = {}
    mark = (1.0 + np.transpose(tau, (1, 2, 0)))[:, :, :, None]  # [i, k, n, 1]: purchaser prices
    own = np.einsum("njnj->nj", z)  # a sector's purchases from itself: scaling them lowers its output
    for _ in range(50):
        y = z.sum(axis=(2, 3)) + f.sum(axis=2)
        used = (z * mark).sum(axis=(0, 1))
        bad = used > y * (1 + 1e-12)
        if not bad.any():
            break
        for a, b in np.argwhere(bad):
            before.setdefault((int(a), int(b)), float(used[a, b]))
        # s · used = y − (1 − s) · own  ⇒  s = (y − own) / (used − own): value added exactly 0
        scale = np.where(bad, (y - own) / np.where(bad, used - own, 1.0), 1.0)
        z *= scale[None, None, :, :]
        own = np.einsum("njnj->nj", z)
    else:
        raise MultiSectorInputError("negative value added persists after 50 rescaling passes")
    used = (z * mark).sum(axis=(0, 1))
    rows = [(str(countries[a]), str(sectors[b]), v, float(used[a, b])) for (a, b), v in before.items()]
    if rows:
        out.append(f"{len(rows)} country-sector(s) with negative value added: inputs scaled to "
                   "output (value added 0), see adjustments")
    trade = np.einsum("iknj->nik", z) + np.einsum("ikn->nik", f)
    inputs = np.einsum("iknj,nik->nkj", z, 1.0 + tau)
    final = np.einsum("ikn,nik->nk", f, 1.0 + tau)
    adj = pd.DataFrame(rows, columns=["country", "sector", "inputs_before", "inputs_after"])
    return Calibration(tuple(countries), tuple(sectors), trade, inputs, final, tau, source,
                       vintage, year, tuple(out), adj)


def from_trade(trade: np.ndarray, *, countries: Sequence[str], sectors: Sequence[str],
               tariff: np.ndarray | None = None, source: str = "user", vintage: str = "",
               year: int | None = None) -> Calibration:
    """Calibrate without intermediate inputs from ``trade[i, n, j]`` — **exporter × importer ×
    sector** (the gravity orientation of econsec's scenario arrays), domestic flows included —
    and optional baseline ``tariff[i, n, j]`` in the same orientation. All spending is final."""
    t = np.transpose(np.asarray(trade, dtype=np.float64), (1, 0, 2))
    tau = np.zeros_like(t) if tariff is None else np.transpose(np.asarray(tariff, float), (1, 0, 2))
    if tau.shape != t.shape:
        raise MultiSectorInputError(f"tariff must have the shape of trade {t.shape}")
    n_s = len(sectors)
    final = ((1.0 + tau) * t).sum(axis=1)
    return Calibration(tuple(countries), tuple(sectors), t, np.zeros((len(countries), n_s, n_s)),
                       final, tau, source, vintage, year)


_CODES = """
SELECT DISTINCT c FROM (SELECT row_country AS c FROM io_flows WHERE source = ? AND io_table = ? AND year = ?
                        UNION SELECT col_country FROM io_flows WHERE source = ? AND io_table = ? AND year = ?)
ORDER BY c
"""

# Codes become positions in DuckDB (0-based; −1 = unknown code) so no string reaches pandas.
_FLOWS = """
SELECT coalesce(list_position(?, row_country), 0) - 1 AS rc,
       coalesce(list_position(?, row_sector), 0) - 1 AS rs,
       coalesce(list_position(?, col_country), 0) - 1 AS cc,
       coalesce(list_position(?, col_sector), 0) - 1 AS cs,
       sum(value) AS value
FROM io_flows
WHERE source = ? AND io_table = ? AND year = ? AND col_sector <> 'INVEN'
GROUP BY ALL
"""


def load_wiod(store: Store, year: int, *, sectors: Mapping[str, str] | None = None,
              countries: Mapping[str, str] | None = None, io_table: str = "WIOD2013",
              source: str = "wiod2013") -> Calibration:
    """Calibrate to one WIOD year in the store (41 regions × 35 industries), then aggregate.

    ``sectors``/``countries`` map codes to groups (e.g. :data:`TECH_GROUPS` inverted). Final
    demand = CONS_h + CONS_np + CONS_g + GFCF (inventories dropped, module docstring).
    """
    key = [source, io_table, int(year)]
    cty = [str(c) for c in store.df(_CODES, key + key)["c"].to_numpy(dtype=object)]
    if not cty:
        raise MultiSectorInputError(f"no {io_table} io_flows for {year} from source {source!r} in "
                                    f"the store: ingest {source} first")
    ind = list(WIOD_INDUSTRIES)
    cols = ind + list(FINAL_DEMAND)
    df = store.df(_FLOWS, [cty, ind, cty, cols, *key])
    rc, rs, cc, cs = (df[c].to_numpy(np.int64) for c in ("rc", "rs", "cc", "cs"))
    if (rs < 0).any() or (cs < 0).any():
        raise MultiSectorInputError(f"{io_table} {year}: sector codes outside c1…c35 and "
                                    f"{', '.join(FINAL_DEMAND)}, INVEN in io_flows")
    v = df["value"].to_numpy(np.float64)
    n_c, n_s = len(cty), len(ind)
    z = np.zeros((n_c, n_s, n_c, n_s))
    f = np.zeros((n_c, n_s, n_c))
    m = cs < n_s
    np.add.at(z, (rc[m], rs[m], cc[m], cs[m]), v[m])
    np.add.at(f, (rc[~m], rs[~m], cc[~m]), v[~m])
    vint = store.df("SELECT DISTINCT vintage FROM ingest_log WHERE source = ? AND superseded_by IS NULL",
                    [source])
    notes = ["final demand = CONS_h + CONS_np + CONS_g + GFCF; changes in inventories (INVEN) "
             "dropped; gross output = sum of these uses and intermediate sales"]
    cal = from_mrio(z, f, countries=tuple(cty), sectors=WIOD_INDUSTRIES, source=source,
                    vintage="; ".join(vint["vintage"]) or "not logged", year=int(year), notes=notes)
    if sectors is None and countries is None:
        return cal
    return cal.aggregate(sectors, countries)


def default_theta(cal: Calibration) -> np.ndarray:
    """θ_j of each sector: :data:`WIOD_THETA` for WIOD codes; for an aggregated sector the mean of
    its members' θ weighted by their world international trade (simple mean if none is traded)."""
    out = []
    for s in cal.sectors:
        members = cal.members.get(s, (s,))
        unknown = [m for m in members if m not in WIOD_THETA]
        if unknown:
            raise MultiSectorInputError(f"no default trade elasticity for sector(s) {unknown}: "
                                        "give theta to the model")
        th = np.array([WIOD_THETA[m] for m in members])
        w = np.array([cal.member_trade.get(m, 0.0) for m in members])
        out.append(float(th @ w / w.sum()) if w.sum() > 0 else float(th.mean()))
    return np.array(out)
