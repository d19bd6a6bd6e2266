"""The SMART model on U.S. imports by HTS10 line × partner: baseline, shocks, spec and run.

* :func:`load_baseline` reads one year of an importer's HTS10 imports and calculated duties
  from the store through the queries of :mod:`.data` (source ``census_hs10``: U.S. imports for
  consumption, 2024). The baseline tariff of a row is its calculated duty / customs value. The
  EU is reported both as one partner (``EUN``) and, for members in the top 50 (only Slovakia in
  2024), on its own. By default EUN is kept as one supplier and the member rows it contains are
  left out; ``eu="members"`` does the opposite. Whatever is left out is listed in the
  baseline's notes.
* :func:`tariff_shocks` builds a shock frame from simple inputs (partner → rate, optional product
  prefixes). :func:`apply_shocks` turns a shock frame into new tariffs per row.
* :class:`SmartSpec` holds the elasticities and options (immutable). :class:`SmartModel` is a
  baseline, the elasticities per product and a spec. ``run(shocks)`` returns a new
  :class:`~econsec.analytics.models.pe.results.SmartResult`.

Shock frame columns: ``partner`` (ISO3, or ``"ALL"`` for every partner), ``product_prefix``
(HTS digits, 0–10 of them; ``""`` = all products), ``rate`` (ad valorem, a fraction: 0.60 =
60 percentage points) and ``mode``:

* ``"add"``: the rate is added to the row's tariff. Several matching add shocks are summed,
  e.g. a fentanyl +10% and a reciprocal +34% on the same Chinese line give +44%.
* ``"set"``: the row's tariff becomes ``rate``, replacing the baseline. If several set shocks
  match a row, the most specific wins: the longer prefix, then a named partner over ``"ALL"``.
  Add shocks are applied on top of the set rate.
* ``"floor"``: the row's tariff is at least ``rate`` after the set and add shocks. This is the
  form of an "all-in" rate such as 15% including MFN. If several floors match, the highest
  applies.
* ``"exempt"``: the row keeps its baseline tariff whatever else matches. This covers product
  exclusions such as an annex of exempt goods.

When the baseline keeps an aggregate partner, such as EUN for the EU27, a shock that names
*every* member with the same prefix, mode and rate also applies to the aggregate. Shocks on only
some members cannot be applied to EUN; they are listed as unmatched.

A new tariff below zero (a negative add larger than the tariff) is set to zero, and such rows
are counted in the diagnostics. Shock rows that match no baseline row are reported there too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from econsec.analytics.models.pe import data
from econsec.analytics.models.pe.elasticities import (
    DEFAULT_EPS_M,
    DEFAULT_SIGMA,
    ProductElasticities,
    SigmaSource,
    product_elasticities,
    uniform_elasticities,
)
from econsec.analytics.models.pe.results import SmartResult
from econsec.analytics.models.pe.smart import Demand, smart
from econsec.errors import EconsecError, check_choice, choices
from econsec.store import Store

Mode = Literal["add", "set", "floor", "exempt"]
MODES: tuple[Mode, ...] = choices(Mode)
ALL = "ALL"
SHOCK_COLUMNS = ("partner", "product_prefix", "rate", "mode")


class SmartInputError(EconsecError, ValueError):
    """A SMART spec, baseline or shock frame that cannot be used (the message says why)."""


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Baseline:
    """One importer's imports by product × partner, sorted by product then partner.

    ``product`` and ``partner`` are integer codes into ``products`` and ``partners``. ``imports``
    and ``duty`` are in USD (customs value and calculated duty).
    """

    importer: str
    year: int
    products: np.ndarray
    partners: np.ndarray
    product: np.ndarray
    partner: np.ndarray
    imports: np.ndarray
    duty: np.ndarray
    descriptions: np.ndarray     # aligned with products
    partner_names: np.ndarray    # aligned with partners
    source: str = "hand-made"
    vintage: str = "n/a"
    notes: tuple[str, ...] = ()
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # aggregate -> members

    def __post_init__(self) -> None:
        for name in ("products", "partners", "product", "partner", "imports", "duty",
                     "descriptions", "partner_names"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    @property
    def tariff(self) -> np.ndarray:
        """Baseline ad-valorem tariff per row: duty / imports."""
        return self.duty / self.imports

    def __len__(self) -> int:
        return len(self.imports)


EuMode = Literal["aggregate", "members"]
EU_MODES: tuple[EuMode, ...] = choices(EuMode)


def load_baseline(store: Store, *, source: str = "census_hs10", importer: str = "USA",
                  year: int = 2024, eu: EuMode = "aggregate") -> Baseline:
    """One year of ``importer``'s HTS10 imports by partner with calculated duty, from the store.

    ``eu``: the Census files report the EU as one partner (``EUN``, 597 bn USD in 2024) and,
    among its members, only those in the top 50 on their own (Slovakia alone in 2024; its rows
    are inside EUN's). ``"aggregate"`` keeps EUN as one supplier (the unit of EU-wide tariffs)
    and leaves out the member rows it contains. ``"members"`` leaves out EUN and keeps the
    members, which loses the trade of every member that is not reported on its own.
    """
    check_choice(eu, EuMode, option="eu")
    df = data.imports_by_line(store, source=source, importer=importer, year=year, eu=eu)
    if df.empty:
        raise SmartInputError(f"no HTS10 imports of {importer} in {year} from source {source!r}: "
                              "ingest it first (econsec ingest census_hs10)")
    notes = []
    excl = data.left_out_partners(store, source=source, importer=importer, year=year, eu=eu)
    eu_members = data.eu_members(store)
    why = {"EUN": "the EU aggregate (eu='members')"}
    for code, v in zip(excl["partner"], excl["value_usd"], strict=True):
        reason = why.get(code, "an aggregate" if code not in set(eu_members)
                         else "an EU member whose rows are inside EUN (eu='aggregate')")
        notes.append(f"partner {code} left out: {reason}, {v / 1e9:,.2f} bn USD")
    if not df["has_duty"].all():
        notes.append(f"{int((~df['has_duty']).sum())} rows without calculated duty taken as duty-free")
    pcode, products = pd.factorize(df["product"], sort=True)
    qcode, partners = pd.factorize(df["partner"], sort=True)
    desc = data.product_descriptions(store, source)
    names = data.country_names(store)
    return Baseline(importer=importer, year=year, products=np.asarray(products, dtype=object),
                    partners=np.asarray(partners, dtype=object),
                    product=pcode.astype(np.int64), partner=qcode.astype(np.int64),
                    imports=df["imports"].to_numpy(np.float64), duty=df["duty"].to_numpy(np.float64),
                    descriptions=pd.Series(desc["description"].to_numpy(), index=desc["code"])
                    .reindex(products).fillna("").to_numpy(dtype=object),
                    partner_names=pd.Series(names["name"].to_numpy(), index=names["iso3"])
                    .reindex(partners).fillna(pd.Series(partners, index=partners))
                    .to_numpy(dtype=object),
                    source=source, vintage=data.vintage(store, [source]), notes=tuple(notes),
                    groups={"EUN": tuple(sorted(eu_members))} if "EUN" in set(partners) else {})


def baseline_from_frame(df: pd.DataFrame, *, importer: str = "USA", year: int = 0,
                        source: str = "hand-made") -> Baseline:
    """A baseline from columns ``product``, ``partner``, ``imports`` (USD) and ``tariff``
    (fraction) or ``duty`` (USD); optional ``description``."""
    need = {"product", "partner", "imports"}
    if not need <= set(df.columns) or not ({"tariff", "duty"} & set(df.columns)):
        raise SmartInputError("baseline frame needs columns product, partner, imports and tariff "
                              f"or duty; got {list(df.columns)}")
    d = df.assign(product=df["product"].astype(str), partner=df["partner"].astype(str))
    if (d["imports"] <= 0).any():
        raise SmartInputError("baseline imports must be > 0 in every row")
    if d.duplicated(["product", "partner"]).any():
        raise SmartInputError("baseline has duplicate product × partner rows")
    duty = d["duty"] if "duty" in d else d["tariff"] * d["imports"]
    d = d.assign(duty=duty).sort_values(["product", "partner"], kind="stable")
    pcode, products = pd.factorize(d["product"], sort=True)
    qcode, partners = pd.factorize(d["partner"], sort=True)
    desc = (d.groupby("product")["description"].first().reindex(products).fillna("")
            if "description" in d else pd.Series("", index=products))
    return Baseline(importer=importer, year=year, products=np.asarray(products, dtype=object),
                    partners=np.asarray(partners, dtype=object), product=pcode.astype(np.int64),
                    partner=qcode.astype(np.int64), imports=d["imports"].to_numpy(np.float64),
                    duty=d["duty"].to_numpy(np.float64), descriptions=desc.to_numpy(dtype=object),
                    partner_names=np.asarray(partners, dtype=object), source=source)


def tariff_shocks(rates: Mapping[str, float], *, products: Sequence[str] | None = None,
                  mode: Mode = "add", exclude: Sequence[str] = (),
                  partners: Sequence[str] | None = None) -> pd.DataFrame:
    """A shock frame: each partner (ISO3 or ``"ALL"``) gets ``rate`` on the given product prefixes.

    Examples: ``tariff_shocks({"CHN": 0.60})`` (+60 pp on everything from China);
    ``tariff_shocks({"CAN": 0.25, "MEX": 0.25})``; ``tariff_shocks({"ALL": 0.10})``;
    ``tariff_shocks({"KOR": 0.15, "JPN": 0.15}, mode="floor")``; ``tariff_shocks({"ALL": 0},
    products=["2709", "2711"], mode="exempt")``. Concatenate frames to combine shocks.
    ``exclude`` removes partners from ``"ALL"``, which is then spelt out over ``partners``
    (e.g. ``model.baseline.partners``): ``tariff_shocks({"ALL": 0.10}, exclude=["CAN", "MEX"],
    partners=model.baseline.partners)``.
    """
    prefixes = [""] if products is None else [str(p) for p in products]
    if exclude:
        if ALL not in rates or partners is None:
            raise SmartInputError("exclude applies to an 'ALL' rate and needs the list of partners")
        rates = {**{p: rates[ALL] for p in partners if p not in set(exclude)},
                 **{k: v for k, v in rates.items() if k != ALL}}
    rows = [(p, pre, float(r), mode) for p, r in rates.items() for pre in prefixes]
    return validate_shocks(pd.DataFrame(rows, columns=list(SHOCK_COLUMNS)))


def validate_shocks(shocks: pd.DataFrame) -> pd.DataFrame:
    """Check a shock frame (columns, modes, codes, rates) and return a clean copy."""
    missing = [c for c in SHOCK_COLUMNS if c not in shocks.columns]
    if missing:
        raise SmartInputError(f"shock frame lacks columns {missing}; needs {list(SHOCK_COLUMNS)}")
    s = shocks.loc[:, list(SHOCK_COLUMNS)].copy()
    s["partner"] = s["partner"].astype(str)
    s["product_prefix"] = s["product_prefix"].fillna("").astype(str)
    s["mode"] = s["mode"].astype(str)
    s["rate"] = pd.to_numeric(s["rate"], errors="coerce").astype(np.float64)
    bad = ~s["mode"].isin(MODES)
    if bad.any():
        raise SmartInputError(f"shock mode must be one of {MODES}, got {s['mode'][bad].iloc[0]!r}")
    bad = ~s["partner"].str.fullmatch(r"[A-Z]{3}")
    if bad.any():
        raise SmartInputError(f"shock partner must be an ISO3 code or {ALL!r}, "
                              f"got {s['partner'][bad].iloc[0]!r}")
    bad = ~s["product_prefix"].str.fullmatch(r"\d{0,10}")
    if bad.any():
        raise SmartInputError("shock product_prefix must be 0 to 10 HTS digits, "
                              f"got {s['product_prefix'][bad].iloc[0]!r}")
    bad = ~np.isfinite(s["rate"]) | (s["mode"].isin(["set", "floor"]) & (s["rate"] < 0))
    if bad.any():
        raise SmartInputError("shock rate must be a finite fraction (0.25 = 25%), ≥ 0 for 'set' "
                              "and 'floor'; "
                              f"got {shocks['rate'][bad].iloc[0]!r}")
    dup = s[s["mode"] == "set"].duplicated(["partner", "product_prefix"], keep=False)
    if dup.any():
        r = s[s["mode"] == "set"][dup].iloc[0]
        raise SmartInputError(f"two 'set' shocks for partner {r['partner']} and prefix "
                              f"{r['product_prefix']!r}: give one rate")
    return s.reset_index(drop=True)


def _expand_groups(s: pd.DataFrame, baseline: Baseline) -> pd.DataFrame:
    """Shocks given identically to every member of an aggregate partner (EUN) are moved to it."""
    key = ["product_prefix", "mode", "rate"]
    for agg, members in baseline.groups.items():
        on = s["partner"].isin(members).to_numpy()
        if not on.any():
            continue
        n = s[on].groupby(key, as_index=False)["partner"].nunique()
        full = n[n["partner"] == len(set(members))].drop(columns="partner")
        if full.empty:
            continue
        covered = on & (s.merge(full, on=key, how="left", indicator=True)["_merge"] == "both").to_numpy()
        given = s.loc[s["partner"] == agg, ["product_prefix", "mode"]].drop_duplicates()
        # An explicit shock on the aggregate takes precedence over the members' one.
        new = (full.merge(given, how="left", indicator=True)["_merge"] == "left_only").to_numpy()
        s = pd.concat([s[~covered], full[new].assign(partner=agg)], ignore_index=True)
    return s[list(SHOCK_COLUMNS)]


@dataclass(frozen=True)
class ShockOutcome:
    tariff: np.ndarray            # new tariff per row
    shocked: np.ndarray           # rows any shock matched (bool)
    floored: int                  # rows whose new tariff was negative and set to 0
    unmatched: pd.DataFrame       # shock rows that matched no baseline row


def apply_shocks(baseline: Baseline, shocks: pd.DataFrame | None) -> ShockOutcome:
    """New tariffs per baseline row (rules in the module docstring).

    Matching is vectorised: for each prefix length present in the shocks, each row gets an
    integer key (prefix code × partner code), and the shocks are looked up by key.
    """
    t0 = baseline.tariff
    n = len(t0)
    if shocks is None or len(shocks) == 0:
        return ShockOutcome(t0.copy(), np.zeros(n, bool), 0, pd.DataFrame(columns=list(SHOCK_COLUMNS)))
    s = _expand_groups(validate_shocks(shocks), baseline)
    keys = ["partner", "product_prefix", "mode"]
    fl = s["mode"] == "floor"
    s = pd.concat([s[~fl].groupby(keys, as_index=False, sort=False)["rate"].sum(),
                   s[fl].groupby(keys, as_index=False, sort=False)["rate"].max()], ignore_index=True)
    add = np.zeros(n)
    set_rate = np.full(n, np.nan)
    floor = np.full(n, -np.inf)
    exempt = np.zeros(n, bool)
    matched = np.zeros(len(s), bool)
    partners = pd.Index(baseline.partners)
    s_partner = partners.get_indexer(s["partner"])  # -1 for ALL and unknown partners
    lengths = s["product_prefix"].str.len().to_numpy()
    codes = pd.Series(baseline.products, dtype=object)
    n_partners = len(partners)
    # Ascending specificity, so later (more specific) set shocks overwrite earlier ones.
    for length in np.unique(lengths):
        pre, pre_code = np.unique(codes.str[:length].to_numpy(dtype=object), return_inverse=True)
        row_pre = pre_code[baseline.product]
        pre_index = pd.Index(pre)
        for named in (False, True):
            sel = np.flatnonzero((lengths == length) & ((s["partner"] != ALL).to_numpy() == named))
            if named:
                sel = sel[s_partner[sel] >= 0]
            if sel.size == 0:
                continue
            sp = pre_index.get_indexer(s["product_prefix"].to_numpy()[sel])
            sel, sp = sel[sp >= 0], sp[sp >= 0]
            if named:
                skey = sp.astype(np.int64) * n_partners + s_partner[sel]
                rkey = row_pre.astype(np.int64) * n_partners + baseline.partner
            else:
                skey, rkey = sp.astype(np.int64), row_pre.astype(np.int64)
            for mode in MODES:
                ms = sel[s["mode"].to_numpy()[sel] == mode]
                if ms.size == 0:
                    continue
                mkeys = skey[s["mode"].to_numpy()[sel] == mode]
                hit = pd.Index(mkeys).get_indexer(rkey)
                rows = hit >= 0
                matched[ms[np.unique(hit[rows])]] = True
                rate = s["rate"].to_numpy()[ms][hit[rows]]
                if mode == "add":
                    add[rows] += rate
                elif mode == "set":
                    set_rate[rows] = rate
                elif mode == "floor":
                    floor[rows] = np.maximum(floor[rows], rate)
                else:
                    exempt[rows] = True
    t1 = np.where(np.isnan(set_rate), t0, set_rate) + add
    neg = t1 < 0
    t1 = np.maximum(np.where(neg, 0.0, t1), floor)
    shocked = (add != 0) | ~np.isnan(set_rate) | np.isfinite(floor)
    t1 = np.where(exempt, t0, t1)
    shocked &= ~exempt
    return ShockOutcome(t1, shocked, int((neg & ~exempt).sum()), s[~matched].reset_index(drop=True))


@dataclass(frozen=True)
class SmartSpec:
    """SMART options. Elasticities: ε_m < 0 for every product; σ from the store's table
    (``sigma_source``) where it has the product, else ``substitution_elasticity``; ε_x > 0
    (``math.inf`` = infinitely elastic export supply, SMART's assumption; WITS uses 99)."""

    import_demand_elasticity: float = DEFAULT_EPS_M
    substitution_elasticity: float = DEFAULT_SIGMA
    export_supply_elasticity: float = math.inf
    sigma_source: SigmaSource = "hs3"
    demand: Demand = "smart"

    def __post_init__(self) -> None:
        check_choice(self.demand, Demand, option="demand")
        check_choice(self.sigma_source, SigmaSource, option="sigma_source")
        if not (self.import_demand_elasticity < 0 and math.isfinite(self.import_demand_elasticity)):
            raise SmartInputError("import_demand_elasticity must be negative and finite (e.g. -1.5; "
                                  f"WITS shows magnitudes), got {self.import_demand_elasticity!r}")
        if not (self.substitution_elasticity >= 0 and math.isfinite(self.substitution_elasticity)):
            raise SmartInputError(f"substitution_elasticity must be ≥ 0, got {self.substitution_elasticity!r}")
        if not self.export_supply_elasticity > 0:
            raise SmartInputError("export_supply_elasticity must be > 0 (math.inf for infinitely "
                                  f"elastic), got {self.export_supply_elasticity!r}")


@dataclass(frozen=True)
class SmartModel:
    """A baseline, its elasticities per product and a spec; :meth:`run` simulates shocks."""

    baseline: Baseline
    elasticities: ProductElasticities
    spec: SmartSpec = field(default_factory=SmartSpec)
    elasticity_vintage: str = ""

    def __post_init__(self) -> None:
        if not np.array_equal(self.elasticities.products, self.baseline.products):
            raise SmartInputError("elasticities must be aligned with the baseline's products")

    @classmethod
    def from_store(cls, store: Store, spec: SmartSpec | None = None, *, source: str = "census_hs10",
                   importer: str = "USA", year: int = 2024, eu: EuMode = "aggregate") -> SmartModel:
        """The baseline of :func:`load_baseline` with σ from the store's elasticity table."""
        spec = SmartSpec() if spec is None else spec
        base = load_baseline(store, source=source, importer=importer, year=year, eu=eu)
        el = product_elasticities(store, base.products, importer=importer, source=spec.sigma_source,
                                  default_sigma=spec.substitution_elasticity,
                                  eps_m=spec.import_demand_elasticity)
        vin = "" if spec.sigma_source == "default" else data.vintage(store, ["hs_concordance"])
        return cls(base, el, spec, vin)

    @classmethod
    def from_baseline(cls, baseline: Baseline, spec: SmartSpec | None = None) -> SmartModel:
        """Uniform elasticities from the spec (no store): hand-made baselines and tests."""
        spec = SmartSpec() if spec is None else spec
        el = uniform_elasticities(baseline.products, sigma=spec.substitution_elasticity,
                                  eps_m=spec.import_demand_elasticity)
        return cls(baseline, el, spec)

    def run(self, shocks: pd.DataFrame | None = None, *, name: str = "") -> SmartResult:
        """Simulate ``shocks`` (a frame as built by :func:`tariff_shocks`; None = no change)."""
        start = time.perf_counter()
        b, el, spec = self.baseline, self.elasticities, self.spec
        sh = apply_shocks(b, shocks)
        arrays = smart(b.imports, b.tariff, sh.tariff, eps_m=el.eps_m[b.product],
                       sigma=el.sigma[b.product], group=b.product, n_groups=len(b.products),
                       eps_x=spec.export_supply_elasticity, demand=spec.demand)
        dsum = np.bincount(b.product, arrays.diversion, minlength=len(b.products))
        scale = np.bincount(b.product, b.imports, minlength=len(b.products))
        diagnostics = {
            "converged": True, "iterations": 0,  # closed form
            "residual": float(np.max(np.abs(dsum) / scale)) if len(scale) else 0.0,
            "rows": len(b), "products": len(b.products), "partners": len(b.partners),
            "rows_shocked": int(sh.shocked.sum()), "rows_creation_floored": int(arrays.floored.sum()),
            "rows_tariff_floored_at_zero": sh.floored, "unmatched_shocks": sh.unmatched,
            "seconds": time.perf_counter() - start,
        }
        vintage = b.vintage + (f" | {self.elasticity_vintage}" if self.elasticity_vintage else "")
        return SmartResult(name=name, baseline=b, elasticities=el, spec=spec, tariff_after=sh.tariff,
                           arrays=arrays, diagnostics=diagnostics, vintage=vintage)
