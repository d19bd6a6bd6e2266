"""Technology-decoupling scenarios (IMF WP/21/69, Cerdeiro, Mano, Eugster, Muir & Peiris 2021).

A scenario names **hubs** (blocs of economies that decouple from each other), the **sectors** in
which they decouple, the size of the non-tariff barrier (an ad-valorem equivalent ``barrier``:
iceberg cost d̂ = 1 + barrier, no revenue) and whether **preferential attachment** applies.

Blocs. Hub members form their hub's bloc. Without attachment every other economy stays
unaligned (bloc −1). With attachment each non-hub economy n joins the hub h it trades most with,

    h(n) = argmax_h  Σ_{i ∈ h} Σ_j (trade_{n←i}^j + trade_{i←n}^j),

total trade = exports + imports, all 35 WIOD sectors (goods and services, intermediate and final
use), factory-gate prices, in the calibration year (WIOD 2011 in the presets). Ties go to the hub
listed first.

Barrier. d̂_{i→n}^j = 1 + barrier when i and n are in different blocs (both aligned) and j is a
decoupled sector; 1 otherwise. An unaligned economy faces no new barrier with anyone.

Sectors. The default is OECD "high and medium-high technology" manufacturing (ISIC rev.3:
24 chemicals incl. pharmaceuticals, 29 machinery, 30–33 office, electrical, communication and
medical/precision equipment, 34–35 transport equipment incl. aircraft) = WIOD c9, c13, c14, c15
(:data:`~econsec.analytics.models.multisector.HIGH_AND_MEDIUM_HIGH_TECH`); ``("c14",)`` is the
narrow electronics-only variant (:data:`~econsec.analytics.models.multisector.HIGH_TECH`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from econsec.analytics.models.multisector import (
    HIGH_AND_MEDIUM_HIGH_TECH,
    Calibration,
    MultiSectorModel,
    MultiSectorResults,
    Shock,
)
from econsec.analytics.models.multisector.model import Deficits
from econsec.errors import EconsecError, NotFoundError, check_choice

#: The 27 EU members of 2011 as WIOD codes (WIOD 2013 covers all of them). GBR is a member:
#: it was one in the data year. A post-Brexit EU is a TOML scenario with GBR left out.
EU27_2011: tuple[str, ...] = (
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GBR", "GRC",
    "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE")
#: econsec's default ad-valorem equivalent of the decoupling barrier (20%), not a value taken from
#: WP/21/69 (which models decoupling in a dynamic model with knowledge-diffusion channels); it
#: sits in the range of non-tariff-barrier equivalents in manufacturing (Kee, Nicita & Olarreaga
#: 2009, EJ) and is a parameter everywhere.
DEFAULT_BARRIER = 0.20
DEFAULT_SECTORS: tuple[str, ...] = HIGH_AND_MEDIUM_HIGH_TECH


class DecouplingError(EconsecError, ValueError):
    """A decoupling scenario that cannot be built (unknown codes, overlapping hubs, bad barrier)."""


@dataclass(frozen=True)
class DecouplingSpec:
    """One scenario (immutable). ``hubs`` maps hub name → member codes (in order)."""

    name: str
    hubs: Mapping[str, tuple[str, ...]]
    sectors: tuple[str, ...] = DEFAULT_SECTORS
    barrier: float = DEFAULT_BARRIER
    attachment: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        hubs = {str(k): tuple(str(c) for c in v) for k, v in dict(self.hubs).items()}
        if len(hubs) < 2:
            raise DecouplingError(f"{self.name}: a decoupling needs at least two hubs, got {list(hubs)}")
        members = [c for v in hubs.values() for c in v]
        if any(not v for v in hubs.values()):
            raise DecouplingError(f"{self.name}: every hub needs at least one member")
        dup = sorted({c for c in members if members.count(c) > 1})
        if dup:
            raise DecouplingError(f"{self.name}: {dup} belong to more than one hub")
        if not self.sectors:
            raise DecouplingError(f"{self.name}: name at least one decoupled sector")
        if not (np.isfinite(self.barrier) and self.barrier >= 0):
            raise DecouplingError(f"{self.name}: barrier must be a finite ad-valorem rate ≥ 0 "
                                  f"(0.2 = 20%), got {self.barrier}")
        object.__setattr__(self, "hubs", hubs)
        object.__setattr__(self, "sectors", tuple(str(s) for s in self.sectors))
        object.__setattr__(self, "barrier", float(self.barrier))
        object.__setattr__(self, "attachment", bool(self.attachment))

    def with_barrier(self, barrier: float) -> DecouplingSpec:
        return DecouplingSpec(self.name, self.hubs, self.sectors, barrier, self.attachment,
                              self.description)

    def describe(self) -> str:
        hubs = " | ".join(f"{k}: {'+'.join(v) if len(v) <= 4 else f'{len(v)} economies'}"
                          for k, v in self.hubs.items())
        return (f"{self.name}: hubs {hubs}; sectors {', '.join(self.sectors)}; barrier "
                f"{100 * self.barrier:g}% ad valorem; preferential attachment "
                f"{'on' if self.attachment else 'off'}")


def hub_trade(trade: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Total trade (exports + imports, all sectors, international only) of each economy with
    each hub: T[n, h] = Σ_{i∈h} Σ_j (t[n, i, j] + t[i, n, j]).

    ``trade`` is importer × exporter × sector (the calibration's orientation); ``member`` is an
    N × H 0/1 indicator. Units of ``trade``.
    """
    t = trade.sum(axis=2)
    t = t + t.T
    np.fill_diagonal(t, 0.0)
    return t @ member


def assign_blocs(trade: np.ndarray, member: np.ndarray, attachment: bool) -> np.ndarray:
    """Bloc index per economy: its hub for members; with ``attachment`` the hub of
    :func:`hub_trade`'s argmax for the others (ties → first hub), else −1 (unaligned)."""
    is_member = member.sum(axis=1) > 0
    bloc = np.where(is_member, member.argmax(axis=1), -1)
    if attachment:
        bloc = np.where(is_member, bloc, hub_trade(trade, member).argmax(axis=1))
    return bloc


def barrier_mask(bloc: np.ndarray, sector_mask: np.ndarray) -> np.ndarray:
    """exporter × importer × sector: True where a barrier applies — both economies aligned, in
    different blocs, decoupled sector."""
    aligned = bloc >= 0
    pair = aligned[:, None] & aligned[None, :] & (bloc[:, None] != bloc[None, :])
    return pair[:, :, None] & sector_mask[None, None, :]


@dataclass(frozen=True, eq=False)
class Scenario:
    """A spec applied to a calibration: the bloc assignment table and the GE shock."""

    spec: DecouplingSpec
    assignment: pd.DataFrame = field(repr=False)
    shock: Shock = field(repr=False)

    @property
    def blocs(self) -> dict[str, tuple[str, ...]]:
        a = self.assignment
        return {h: tuple(a.loc[a["bloc"] == h, "country"]) for h in self.spec.hubs}


def build(cal: Calibration, spec: DecouplingSpec) -> Scenario:
    """Blocs (module docstring) and the shock (d̂ = 1 + barrier on :func:`barrier_mask`).

    The assignment frame has, per economy: ``country``, ``role`` (hub / attached / unaligned),
    ``bloc`` (hub name or ""), ``trade_with_<hub>`` (million USD, exports + imports) and
    ``share_<hub>`` (of its trade with all hubs).
    """
    countries = cal.countries
    hubs = list(spec.hubs)
    unknown = [c for v in spec.hubs.values() for c in v if c not in countries]
    if unknown:
        raise DecouplingError(f"{spec.name}: hub members {unknown} are not in the calibration "
                              f"({len(countries)} economies: {', '.join(countries[:8])}…)")
    bad = [s for s in spec.sectors if s not in cal.sectors]
    if bad:
        raise DecouplingError(f"{spec.name}: sectors {bad} are not in the calibration "
                              f"({', '.join(cal.sectors[:6])}…)")
    idx = pd.Index(countries)
    member = np.zeros((len(countries), len(hubs)))
    for h, codes in enumerate(spec.hubs.values()):
        member[idx.get_indexer(list(codes)), h] = 1.0
    bloc = assign_blocs(cal.trade, member, spec.attachment)
    mask = barrier_mask(bloc, np.isin(np.array(cal.sectors), spec.sectors))
    base = Shock.baseline(cal, label=spec.name)
    shock = Shock(cal.countries, cal.sectors, np.where(mask, 1.0 + spec.barrier, 1.0), base.tariff,
                  label=spec.name)
    ht = hub_trade(cal.trade, member)
    total = ht.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, ht / total, np.nan)
    is_member = member.sum(axis=1) > 0
    frame = pd.DataFrame({
        "country": countries,
        "role": np.where(is_member, "hub", np.where(bloc >= 0, "attached", "unaligned")),
        "bloc": np.where(bloc >= 0, np.array(hubs, dtype=object)[np.maximum(bloc, 0)], ""),
        **{f"trade_with_{h}": ht[:, k] for k, h in enumerate(hubs)},
        **{f"share_{h}": share[:, k] for k, h in enumerate(hubs)},
    })
    return Scenario(spec, frame, shock)


def spec_from_mapping(doc: Mapping[str, object], *, name: str = "custom") -> DecouplingSpec:
    """A spec from a parsed TOML/dict: ``name``, ``description``, ``barrier`` (fraction),
    ``attachment`` (bool), ``sectors`` (list of codes), ``[hubs]`` name = [codes]; the code
    ``"EU27"`` in a hub list expands to :data:`EU27_2011`. Unknown keys are refused."""
    allowed = {"name", "description", "barrier", "attachment", "sectors", "hubs"}
    extra = sorted(set(doc) - allowed)
    if extra:
        raise DecouplingError(f"unknown key(s) {extra}; allowed: {sorted(allowed)}")
    hubs = doc.get("hubs")
    if not isinstance(hubs, Mapping) or not all(
            isinstance(v, list) and all(isinstance(c, str) for c in v) for v in hubs.values()):
        raise DecouplingError('[hubs] must be a table of lists of economy codes, e.g. '
                              'hubs = { US = ["USA"], China = ["CHN"] }')
    expanded = {k: tuple(c2 for c in v for c2 in (EU27_2011 if c == "EU27" else (c,)))
                for k, v in hubs.items()}
    sectors = doc.get("sectors", list(DEFAULT_SECTORS))
    if not isinstance(sectors, list) or not all(isinstance(s, str) for s in sectors):
        raise DecouplingError('sectors must be a list of sector codes, e.g. ["c14"]')
    barrier = doc.get("barrier", DEFAULT_BARRIER)
    if isinstance(barrier, bool) or not isinstance(barrier, int | float):
        raise DecouplingError(f"barrier must be a number (0.2 = 20%), got {barrier!r}")
    attach = doc.get("attachment", False)
    if not isinstance(attach, bool):
        raise DecouplingError(f"attachment must be true or false, got {attach!r}")
    return DecouplingSpec(str(doc.get("name", name)), expanded, tuple(sectors), float(barrier),
                          attach, str(doc.get("description", "")))


def _preset(name: str, hubs: Mapping[str, Sequence[str]], attach: bool, text: str) -> DecouplingSpec:
    return DecouplingSpec(name, {k: tuple(v) for k, v in hubs.items()}, attachment=attach,
                          description=text)


_HUBS: dict[str, tuple[dict[str, tuple[str, ...]], str]] = {
    "us-china": ({"US": ("USA",), "China": ("CHN",)}, "hubs US and China"),
    "useu-china": ({"US+EU": ("USA", *EU27_2011), "China": ("CHN",)}, "hubs US with the EU, and China"),
    "us-eu-china": ({"US": ("USA",), "EU": EU27_2011, "China": ("CHN",)}, "hubs US, EU and China"),
}
#: The six scenarios of WP/21/69's Figure 2 (three hub sets × attachment off/on).
PRESETS: dict[str, DecouplingSpec] = {
    f"{k}{'-attach' if a else ''}": _preset(
        f"{k}{'-attach' if a else ''}", hubs,
        a, f"{text}; {'with' if a else 'without'} preferential attachment")
    for k, (hubs, text) in _HUBS.items() for a in (False, True)
}


def preset(name: str, barrier: float | None = None) -> DecouplingSpec:
    """A preset by name (see :data:`PRESETS`), optionally with another barrier."""
    if name not in PRESETS:
        raise NotFoundError(f"unknown decoupling preset {name!r}; presets: {', '.join(PRESETS)}")
    spec = PRESETS[name]
    return spec if barrier is None else spec.with_barrier(barrier)


@dataclass(frozen=True, eq=False)
class DecouplingResults:
    """Solved decoupling scenarios on one calibration (read-only).

    ``runs`` maps scenario name → (:class:`Scenario`, :class:`MultiSectorResults`). Real income
    change Ŵ_n − 1 in percent (Caliendo–Parro; see the multisector results).
    """

    runs: Mapping[str, tuple[Scenario, MultiSectorResults]]
    source: str
    vintage: str
    year: int | None
    deficits: str = "fixed"  # or "removed": solved from the balanced-trade equilibrium

    @property
    def converged(self) -> bool:
        return all(r.converged for _, r in self.runs.values())

    def frame(self) -> pd.DataFrame:
        """Long: scenario, country, role, bloc, real_income_pct, income_base (million USD)."""
        parts = []
        for name, (sc, r) in self.runs.items():
            a = sc.assignment
            parts.append(pd.DataFrame({
                "scenario": name, "country": r.countries, "role": a["role"].to_numpy(),
                "bloc": a["bloc"].to_numpy(), "real_income_pct": 100 * (r.real_income_hat - 1),
                "income_base": r.income0}))
        return pd.concat(parts, ignore_index=True)

    def table(self, countries: Sequence[str] | None = None,
              groups: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
        """Wide: one row per economy (``countries`` only, in that order, if given), one column
        per scenario, real income %; then one row per group (baseline-income-weighted mean of
        its members, e.g. ``{"EU27": EU27_2011}``), ``mean`` (simple) and ``world`` (weighted).

        Codes are read in any case (``kor`` is KOR). An economy the calibration does not have
        (WIOD 2013 has 40 and ROW: Vietnam is inside ROW) is a :class:`NotFoundError` naming the
        economies it has, never a silently shorter table."""
        f = self.frame()
        if countries is not None:
            countries = list(dict.fromkeys(str(c).strip().upper() for c in countries))
            have = list(dict.fromkeys(f["country"]))
            missing = [c for c in countries if c not in set(have)]
            if missing:
                raise NotFoundError(
                    f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not "
                    f"{'a region' if len(missing) == 1 else 'regions'} of the {self.source} "
                    f"{self.year} model (every economy it does not list is inside ROW); it has "
                    f"{', '.join(have)}")
        wide = f.pivot(index="country", columns="scenario", values="real_income_pct")[list(self.runs)]
        w = f.pivot(index="country", columns="scenario", values="income_base")[list(self.runs)]
        rows = {g: (wide.loc[list(m)] * w.loc[list(m)]).sum() / w.loc[list(m)].sum()
                for g, m in (groups or {}).items()}
        rows |= {"mean": wide.mean(), "world": (wide * w).sum() / w.sum()}
        stats = pd.DataFrame(list(rows.values()), index=list(rows))
        if countries is not None:
            wide = wide.loc[list(countries)]
        out = pd.concat([wide, stats])
        out.index.name = "country"
        out.columns.name = None
        return out

    def provenance(self) -> dict[str, object]:
        first = next(iter(self.runs.values()))[1]
        return {"model": "decoupling (IMF WP/21/69 scenarios)", "method": first.method,
                "scenarios": {k: sc.spec.describe() for k, (sc, _) in self.runs.items()},
                "source": self.source, "vintage": self.vintage, "year": self.year,
                "deficits": ("removed first (Dekle, Eaton & Kortum 2008): the balanced-trade "
                             "equilibrium is the baseline" if self.deficits == "removed"
                             else "held fixed in world-GDP units"),
                "converged": self.converged,
                "iterations": {k: r.iterations for k, (_, r) in self.runs.items()},
                "residual": max(r.residual for _, r in self.runs.values())}

    def summary(self) -> str:
        p = self.provenance()
        lines = [f"decoupling scenarios on {self.source} {self.year} ({self.vintage})",
                 f"  method: {p['method']}",
                 f"  deficits: {p['deficits']}",
                 f"  solver: {'all converged' if self.converged else 'NOT all converged'}; "
                 f"max residual {p['residual']:.1e}"]
        lines += [f"  {sc.spec.describe()}" for sc, _ in self.runs.values()]
        return "\n".join(lines)


def run(cal: Calibration, specs: Sequence[DecouplingSpec], *,
        model: MultiSectorModel | None = None, deficits: str = "fixed") -> DecouplingResults:
    """Solve each spec with the Caliendo–Parro model with input–output links on ``cal``
    (``model`` overrides θ or solver options; it must be built on ``cal``). With
    ``deficits="removed"`` the deficits are removed first: blocs, attachment and the shocks are
    built on the balanced-trade calibration (:meth:`MultiSectorModel.balanced_calibration`)."""
    check_choice(deficits, Deficits, option="deficits")
    m = model if model is not None else MultiSectorModel(cal, intermediates="io")
    if m.calibration is not cal:
        raise DecouplingError("the model must be built on the same calibration")
    if deficits == "removed":
        cal = m.balanced_calibration()
        m = dataclasses.replace(m, calibration=cal)
    runs = {}
    for spec in specs:
        sc = build(cal, spec)
        runs[spec.name] = (sc, m.solve(sc.shock))
    return DecouplingResults(runs, cal.source, cal.vintage, cal.year, deficits)
