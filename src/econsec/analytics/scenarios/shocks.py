"""Scenario → model inputs: tariff-change matrices, product frames, sector arrays, RTA changes.

Orientation
-----------
Every N×N array is **exporter × importer**, the gravity convention X_ij (Yotov et al. 2016,
ch. 1): ``pct[i, j]`` is the additional ad-valorem duty, in percent, that importer ``j`` levies
on goods from exporter ``i``; it enters trade costs as t_ij ∝ (1 + pct[i, j] / 100). The diagonal
is 0. Sector arrays are exporter × importer × sector.

Resolution
----------
Measures are applied in order as boolean masks over the pairs (one vectorised step per measure,
no loop over pairs): ``add`` D[m] += r; ``set`` D[m] = r; ``floor`` D[m] = max(r − B[m], 0) with
B the baseline duty (percent) if given, else 0 (then the floor is an upper bound and a note says
so). Retaliation is a second layer added to the first: ``proportional`` applies the same
measures with transposed masks (each target levies the same duty on the imposer), ``custom``
applies its own measures. Codes the spec names but the model's country list lacks are reported in
``not_covered`` (field → codes), never dropped silently; measures a model cannot represent (a
product list in a one-sector model) are left out and named in ``notes``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from econsec.analytics.scenarios.spec import (
    ALL,
    SECTOR_GROUPS,
    AgreementChange,
    Scenario,
    TariffMeasure,
)
from econsec.errors import EconsecError
from econsec.reference import countries as reference_countries
from econsec.reference import country_groups

ORIENTATION = "exporter × importer: pct[i, j] = duty levied by importer j on goods from exporter i"


class ShockError(EconsecError):
    """Model inputs that do not fit the scenario (duplicate countries, wrong baseline shape)."""


@cache
def _groups() -> pd.DataFrame:
    g = country_groups()
    return g.assign(since=pd.to_datetime(g["since"]).dt.date)


def expand(code: str, as_of: date | None = None) -> tuple[str, ...]:
    """ISO3 codes behind ``code``: a group's members in force on ``as_of`` (all if None)."""
    g = _groups()
    rows = g[g["group_code"] == code]
    if rows.empty:
        return (code,)
    if as_of is not None:
        rows = rows[rows["since"] <= as_of]
    return tuple(rows["iso3"])


class _Index:
    """Country list → positions, with the report of what the list lacks."""

    def __init__(self, countries: Sequence[str]) -> None:
        self.countries = tuple(str(c) for c in countries)
        if len(set(self.countries)) != len(self.countries) or not self.countries:
            raise ShockError("countries must be a non-empty list of distinct codes")
        self.index = pd.Index(self.countries)
        self.n = len(self.countries)
        self.not_covered: dict[str, tuple[str, ...]] = {}
        self.notes: list[str] = []

    def vector(self, codes: Iterable[str], path: str, as_of: date | None,
               exclude: Iterable[str] = ()) -> np.ndarray:
        """Boolean (N,) membership of ``codes`` (groups expanded, ALL = all) less ``exclude``."""
        v = np.zeros(self.n, dtype=bool)
        named: list[str] = []
        via: list[str] = []
        for code in codes:  # the spec's few tokens; their members are looked up at once
            if code == ALL:
                v[:] = True
                continue
            members = expand(code, as_of)
            if not members:
                self.notes.append(f"{path}: {code} has no members on {as_of}")
            named += members
            via += [c if c == code else f"{c} (via {code})" for c in members]
        pos = self.index.get_indexer(named)
        v[pos[pos >= 0]] = True
        out = self.index.get_indexer([c for code in exclude for c in expand(code, as_of)])
        v[out[out >= 0]] = False
        missing = tuple(np.asarray(via, dtype=object)[pos < 0])
        if missing:
            self.not_covered[path] = tuple(dict.fromkeys(self.not_covered.get(path, ()) + missing))
        return v

    def mask(self, m: TariffMeasure, path: str) -> np.ndarray:
        """(N, N) exporter × importer pairs a measure covers; the diagonal is never covered."""
        imp = self.vector([m.imposer], f"{path}.imposer", m.effective)
        exp = self.vector(m.targets, f"{path}.targets", m.effective, m.exclude)
        out = np.outer(exp, imp)
        np.fill_diagonal(out, False)
        return out


def _apply(d: np.ndarray, mask: np.ndarray, m: TariffMeasure, baseline: np.ndarray | None) -> None:
    if m.mode == "add":
        d[mask] += m.rate
    elif m.mode == "set":
        d[mask] = m.rate
    else:
        base = 0.0 if baseline is None else baseline[mask]
        d[mask] = np.maximum(m.rate - base, 0.0)


def _layers(spec: Scenario) -> list[tuple[str, list[tuple[str, TariffMeasure]], bool]]:
    """(layer, [(field path, measure)], transpose masks?) in the order they are applied."""
    first = [(f"measures[{k}]", m) for k, m in enumerate(spec.measures)]
    out = [("measure", first, False)]
    if spec.retaliation.mode == "proportional":
        out.append(("retaliation", first, True))
    elif spec.retaliation.mode == "custom":
        out.append(("retaliation", [(f"retaliation.measures[{k}]", m)
                                    for k, m in enumerate(spec.retaliation.measures)], False))
    return out


def _baseline(b: np.ndarray | None, shape: tuple[int, ...], name: str) -> np.ndarray | None:
    if b is None:
        return None
    b = np.asarray(b, dtype=float)
    if b.shape != shape:
        raise ShockError(f"{name} has shape {b.shape}, expected {shape} ({ORIENTATION})")
    return b


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class TariffShock:
    """N×N additional ad-valorem duties (percent), exporter × importer, for a one-sector model.

    Attributes
    ----------
    pct : (N, N) array, ``pct[i, j]`` levied by importer j on exporter i; diagonal 0; read-only.
    not_covered : spec field → codes the country list lacks (e.g. ``measures[0].targets``).
    notes : measures left out (product- or sector-specific) and approximations (floor without a
        baseline).
    """

    scenario: str
    countries: tuple[str, ...]
    pct: np.ndarray
    not_covered: Mapping[str, tuple[str, ...]]
    notes: tuple[str, ...]
    method: str = ORIENTATION

    @property
    def tau(self) -> np.ndarray:
        """τ as a fraction (pct / 100): t_ij carries (1 + τ_ij)."""
        return self.pct / 100.0

    def to_frame(self) -> pd.DataFrame:
        """exporter, importer, tariff_pct for every off-diagonal pair."""
        n = len(self.countries)
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        c = np.asarray(self.countries, dtype=object)
        return pd.DataFrame({"exporter": c[i], "importer": c[j], "tariff_pct": self.pct[i, j]})


def tariff_matrix(spec: Scenario, countries: Sequence[str], *,
                  baseline_pct: np.ndarray | None = None) -> TariffShock:
    """The N×N tariff change of ``spec`` over ``countries`` (one-sector models).

    Measures restricted to products or sectors are left out (see ``notes``): use
    :func:`sector_tariffs` or :func:`product_frame` for them. ``baseline_pct`` (N×N, percent,
    exporter × importer) is needed only by ``floor`` measures.
    """
    idx = _Index(countries)
    base = _baseline(baseline_pct, (idx.n, idx.n), "baseline_pct")
    total = np.zeros((idx.n, idx.n))
    for layer, measures, transpose in _layers(spec):
        d = np.zeros((idx.n, idx.n))
        for path, m in measures:
            if m.products or m.sectors:
                if layer == "measure" or not transpose:
                    scope = ("HS " + ", ".join(m.products)) if m.products else \
                        ("sectors " + ", ".join(m.sectors))
                    idx.notes.append(f"{path} applies to {scope} only: left out of the "
                                     "one-sector matrix")
                continue
            mask = idx.mask(m, path)
            _apply(d, mask.T if transpose else mask, m, base)
            if m.mode == "floor" and base is None and layer == "measure":
                idx.notes.append(f"{path}: floor of {m.rate:g}% applied without a baseline duty: "
                                 "the additional duty is an upper bound")
        total += d
    return TariffShock(spec.name, idx.countries, _frozen(total), idx.not_covered, tuple(idx.notes),
                       f"{ORIENTATION}; retaliation {spec.retaliation.mode}")


@dataclass(frozen=True)
class SectorTariffShock:
    """N×N×S additional duties (percent), exporter × importer × sector, read-only."""

    scenario: str
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    pct: np.ndarray
    not_covered: Mapping[str, tuple[str, ...]]
    notes: tuple[str, ...]
    method: str = ORIENTATION + " × sector"

    @property
    def tau(self) -> np.ndarray:
        return self.pct / 100.0


def _sector_vector(m: TariffMeasure, sectors: tuple[str, ...], path: str,
                   idx: _Index) -> np.ndarray:
    """(S,) sectors a measure covers: all if it names none; a spec token matches a model sector
    equal to it or among its group's WIOD industries."""
    if not m.sectors:
        return np.ones(len(sectors), dtype=bool)
    wanted = {t: {t, *SECTOR_GROUPS.get(t, ())} for t in m.sectors}
    model = np.asarray(sectors, dtype=object)
    v = np.zeros(len(sectors), dtype=bool)
    for token, codes in wanted.items():
        hit = np.isin(model, list(codes))
        if not hit.any():
            idx.not_covered[f"{path}.sectors"] = idx.not_covered.get(f"{path}.sectors", ()) + (token,)
        v |= hit
    return v


def sector_tariffs(spec: Scenario, countries: Sequence[str], sectors: Sequence[str], *,
                   baseline_pct: np.ndarray | None = None) -> SectorTariffShock:
    """N×N×S tariff change for a multi-sector model whose sectors are ``sectors`` (WIOD codes
    ``c1`` … or group names). Measures with products but no sectors are left out (``notes``)."""
    idx = _Index(countries)
    secs = tuple(str(s) for s in sectors)
    if len(set(secs)) != len(secs) or not secs:
        raise ShockError("sectors must be a non-empty list of distinct codes")
    shape = (idx.n, idx.n, len(secs))
    base = _baseline(baseline_pct, shape, "baseline_pct")
    total = np.zeros(shape)
    for layer, measures, transpose in _layers(spec):
        d = np.zeros(shape)
        for path, m in measures:
            if m.products and not m.sectors:
                if layer == "measure" or not transpose:
                    idx.notes.append(f"{path} applies to HS {', '.join(m.products)} with no sector "
                                     "given: left out of the sector arrays")
                continue
            pair = idx.mask(m, path)
            mask = (pair.T if transpose else pair)[:, :, None] & _sector_vector(m, secs, path, idx)
            _apply(d, mask, m, base)
        total += d
    return SectorTariffShock(spec.name, idx.countries, secs, _frozen(total), idx.not_covered,
                             tuple(idx.notes), f"{ORIENTATION} × sector; retaliation "
                             f"{spec.retaliation.mode}")


@dataclass(frozen=True)
class ProductTariffShock:
    """Product-level measures for the PE model: one row per (layer, measure, importer, exporter,
    product prefix). ``product_prefix`` "" means every product. Resolve with
    :func:`resolve_product_rates`."""

    scenario: str
    frame: pd.DataFrame
    not_covered: Mapping[str, tuple[str, ...]]
    notes: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()


FRAME_COLUMNS = ("layer", "order", "measure", "importer", "exporter", "product_prefix", "rate_pct",
                 "mode", "effective", "source")


def product_frame(spec: Scenario, countries: Sequence[str] | None = None) -> ProductTariffShock:
    """(importer, exporter, product_prefix, rate_pct, mode) rows of ``spec``.

    ``countries`` is the universe "ALL" expands over (e.g. the U.S. partners of the Census data);
    None means every ISO3 country of :func:`econsec.reference.countries`. Measures with sectors
    but no products are left out (``notes``). Proportional retaliation adds mirror rows (importer
    and exporter swapped) in layer ``retaliation``.
    """
    if countries is None:
        c = reference_countries()
        countries = tuple(c.loc[c["kind"] == "country", "iso3"])
    idx = _Index(countries)
    arr = np.asarray(idx.countries, dtype=object)
    parts, order = [], 0
    for layer, measures, transpose in _layers(spec):
        for path, m in measures:
            if m.sectors and not m.products:
                if layer == "measure" or not transpose:
                    idx.notes.append(f"{path} applies to sectors {', '.join(m.sectors)} with no HS "
                                     "products given: left out of the product frame")
                continue
            i, j = np.nonzero(idx.mask(m, path))  # exporter i, importer j
            if transpose:
                i, j = j, i
            prefixes = m.products or ("",)
            k = len(prefixes)
            parts.append(pd.DataFrame({
                "layer": layer, "order": order, "measure": path,
                "importer": np.repeat(arr[j], k), "exporter": np.repeat(arr[i], k),
                "product_prefix": np.tile(np.asarray(prefixes, dtype=object), len(i)),
                "rate_pct": m.rate, "mode": m.mode, "effective": m.effective,
                "source": ", ".join(m.source)}))
            order += 1
    frame = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=list(FRAME_COLUMNS)))
    return ProductTariffShock(spec.name, frame[list(FRAME_COLUMNS)], idx.not_covered,
                              tuple(idx.notes))


def resolve_product_rates(shock: ProductTariffShock, lines: pd.DataFrame, *,
                          baseline_col: str | None = None) -> np.ndarray:
    """Additional duty (percent) on each trade line under the scenario.

    ``lines`` has columns ``importer``, ``exporter``, ``product`` (HS code as a string) and, for
    ``floor`` measures, the line's baseline duty in percent (``baseline_col``). Each layer is
    resolved in measure order (add / set / floor, as in :func:`tariff_matrix`) and the layers
    are summed. One vectorised pass per measure.
    """
    f = shock.frame
    n = len(lines)
    line_pairs = pd.Index(lines["importer"].astype(str) + "|" + lines["exporter"].astype(str))
    prod = lines["product"].astype(str).to_numpy().astype(str)
    base = None if baseline_col is None else lines[baseline_col].to_numpy(dtype=float)
    total = np.zeros(n)
    for _, layer in f.groupby("layer", sort=False):
        d = np.zeros(n)
        for _, rows in layer.groupby("order", sort=True):
            hit = line_pairs.isin(rows["importer"] + "|" + rows["exporter"])
            pref = [p for p in rows["product_prefix"].unique() if p]
            if pref:
                hit &= np.logical_or.reduce([np.char.startswith(prod, p) for p in pref])
            r = rows.iloc[0]
            m = TariffMeasure(imposer="", targets=(), rate=float(r["rate_pct"]), source=(),
                              mode=r["mode"])
            _apply(d, hit, m, base)
        total += d
    return total


@dataclass(frozen=True)
class RTAShock:
    """Pairs that get rta = 1 under the scenario (symmetric N×N, exporter × importer).

    ``treated`` marks every pair inside a new or enlarged area; ``change`` = treated and not in
    an RTA in ``baseline_rta`` (equal to ``treated`` when no baseline was given, see ``notes``).
    """

    scenario: str
    countries: tuple[str, ...]
    treated: np.ndarray
    change: np.ndarray
    not_covered: Mapping[str, tuple[str, ...]]
    notes: tuple[str, ...]
    method: str = "rta_ij = 1 for the pairs of each agreement's area; symmetric, diagonal 0"


def _area(a: AgreementChange, path: str, idx: _Index) -> np.ndarray:
    if a.kind == "join":
        new = idx.vector(a.members, f"{path}.members", a.effective)
        old = idx.vector([a.group], f"{path}.group", a.effective) | new
        out = np.outer(new, old) | np.outer(old, new)
    else:
        codes = a.groups if a.kind == "merge" else a.members
        v = idx.vector(codes, f"{path}.{'groups' if a.kind == 'merge' else 'members'}", a.effective)
        out = np.outer(v, v)
    np.fill_diagonal(out, False)
    return out


def rta_change(spec: Scenario, countries: Sequence[str], *,
               baseline_rta: np.ndarray | None = None) -> RTAShock:
    """The RTA-membership change of ``spec``'s agreements over ``countries``."""
    idx = _Index(countries)
    base = _baseline(baseline_rta, (idx.n, idx.n), "baseline_rta")
    treated = np.zeros((idx.n, idx.n), dtype=bool)
    for k, a in enumerate(spec.agreements):
        treated |= _area(a, f"agreements[{k}]", idx)
    if base is None:
        change = treated.copy()
        if spec.agreements:
            idx.notes.append("no baseline_rta given: every treated pair counts as a change")
    else:
        change = treated & ~(base > 0)
    return RTAShock(spec.name, idx.countries, _frozen(treated), _frozen(change.astype(np.int8)),
                    idx.not_covered, tuple(idx.notes))


__all__ = ["ORIENTATION", "ProductTariffShock", "RTAShock", "SectorTariffShock", "ShockError",
           "TariffShock", "expand", "product_frame", "resolve_product_rates", "rta_change",
           "sector_tariffs", "tariff_matrix"]
