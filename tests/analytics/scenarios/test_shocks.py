"""Scenario → model inputs: matrices checked by hand, and invariants."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.analytics.scenarios import (
    Scenario,
    ShockError,
    TariffShock,
    load_preset,
    parse_spec,
    product_frame,
    resolve_product_rates,
    rta_change,
    sector_tariffs,
    tariff_matrix,
)
from econsec.reference import countries

SRC = [{"id": "s", "citation": "test"}]


def scenario(measures: list[dict[str, Any]], retaliation: str = "none", **kw: Any) -> Scenario:
    ms = [{"source": "s", **m} for m in measures]
    return parse_spec({"name": "t", "title": "t", "sources": SRC, "measures": ms,
                       "retaliation": {"mode": retaliation}, **kw})


def matrix(shock: TariffShock, rows: dict[tuple[str, str], float]) -> np.ndarray:
    """The expected exporter × importer matrix from {(exporter, importer): pct}."""
    pos = {c: k for k, c in enumerate(shock.countries)}
    out = np.zeros((len(pos), len(pos)))
    for (e, i), v in rows.items():
        out[pos[e], pos[i]] = v
    return out


def test_china_60_with_retaliation_by_hand() -> None:
    # By hand: the U.S. levies 60% on Chinese goods (exporter CHN, importer USA); China answers
    # with 60% on U.S. goods (exporter USA, importer CHN); Korea is untouched.
    c = ["USA", "CHN", "KOR"]
    s = tariff_matrix(load_preset("china-60-retaliation"), c)
    assert s.countries == tuple(c)
    np.testing.assert_array_equal(s.pct, [[0, 60, 0], [60, 0, 0], [0, 0, 0]])
    np.testing.assert_array_equal(s.tau, s.pct / 100)
    no = tariff_matrix(load_preset("china-60"), c)
    np.testing.assert_array_equal(no.pct, [[0, 0, 0], [60, 0, 0], [0, 0, 0]])
    assert s.not_covered == {} and s.notes == ()
    assert not s.pct.flags.writeable
    f = s.to_frame()
    assert len(f) == 6
    assert f.set_index(["exporter", "importer"]).loc[("USA", "CHN"), "tariff_pct"] == 60


def test_universal_with_china_set_by_hand() -> None:
    c = ["USA", "CHN", "KOR", "JPN"]
    s = tariff_matrix(load_preset("universal-10-china-60-retaliation"), c)
    # 10% on everyone, then 60% set (not added) on China; each target mirrors its own rate.
    want = matrix(s, {("CHN", "USA"): 60, ("KOR", "USA"): 10, ("JPN", "USA"): 10,
                      ("USA", "CHN"): 60, ("USA", "KOR"): 10, ("USA", "JPN"): 10})
    np.testing.assert_array_equal(s.pct, want)
    u20 = tariff_matrix(load_preset("universal-20"), c)
    np.testing.assert_array_equal(u20.pct, matrix(u20, {(x, "USA"): 20 for x in c[1:]}))


def test_not_covered_is_reported() -> None:
    s = tariff_matrix(load_preset("china-10"), ["USA", "CHN", "KOR"])
    assert s.not_covered == {"measures[0].targets": ("HKG",)}
    assert s.pct[1, 0] == 10
    eu = scenario([{"imposer": "USA", "targets": ["EU27"], "rate": 5}])
    s = tariff_matrix(eu, ["USA", "DEU", "FRA"])
    missing = s.not_covered["measures[0].targets"]
    assert len(missing) == 25 and "ITA (via EU27)" in missing
    gone = tariff_matrix(load_preset("china-60"), ["CHN", "KOR"])
    assert gone.not_covered == {"measures[0].imposer": ("USA",)} and not gone.pct.any()


def test_reciprocal_2025_07_rates() -> None:
    c = ["USA", "KOR", "JPN", "TWN", "VNM", "IND", "CHE", "BRA", "GBR", "CHN", "CAN", "MEX", "DEU",
         "SGP"]
    s = tariff_matrix(load_preset("reciprocal-2025-07"), c)
    to_us = dict(zip(c, s.pct[:, 0], strict=True))
    # Data README checks (Annex I of the EO of 2025-07-31); CHN and SGP not in Annex I: 10%;
    # CAN and MEX outside the reciprocal tariff (EO 14257 Sec. 3(d)-(e)).
    assert to_us == {"USA": 0, "KOR": 15, "JPN": 15, "TWN": 20, "VNM": 20, "IND": 25, "CHE": 39,
                     "BRA": 10, "GBR": 10, "CHN": 10, "CAN": 0, "MEX": 0, "DEU": 15, "SGP": 10}
    assert s.pct[:, 1:].sum() == 0  # only the United States imposes
    assert any("floor of 15%" in n and "upper bound" in n for n in s.notes)
    # With a baseline duty of 3.5% on German goods the floor adds 11.5; at 20% it adds nothing.
    base = np.zeros((len(c), len(c)))
    base[c.index("DEU"), 0] = 3.5
    assert tariff_matrix(load_preset("reciprocal-2025-07"), c, baseline_pct=base).pct[12, 0] == 11.5
    base[c.index("DEU"), 0] = 20
    assert tariff_matrix(load_preset("reciprocal-2025-07"), c, baseline_pct=base).pct[12, 0] == 0


def test_reciprocal_2025_04_rates() -> None:
    c = ["USA", "KOR", "JPN", "VNM", "TWN", "CHN", "DEU", "CAN", "MEX", "AUS", "LSO"]
    s = tariff_matrix(load_preset("reciprocal-2025-04"), c)
    # The tracker's transcription of Annex I (Korea 26, as the annex printed it); China 34;
    # EU 20; Australia not in Annex I: the 10% baseline; Canada, Mexico outside.
    assert dict(zip(c, s.pct[:, 0], strict=True)) == {
        "USA": 0, "KOR": 26, "JPN": 24, "VNM": 46, "TWN": 32, "CHN": 34, "DEU": 20, "CAN": 0,
        "MEX": 0, "AUS": 10, "LSO": 50}


def test_canada_mexico_product_measure() -> None:
    spec = load_preset("canada-mexico-25")
    s = tariff_matrix(spec, ["USA", "CAN", "MEX"])
    np.testing.assert_array_equal(s.pct[:, 0], [0, 25, 25])
    assert s.notes == ("measures[1] applies to HS 27, 3104 only: left out of the one-sector matrix",)
    pf = product_frame(spec, ["USA", "CAN", "MEX", "CHN"])
    f = pf.frame
    assert f[["importer", "exporter", "product_prefix", "rate_pct", "mode"]].values.tolist() == [
        ["USA", "CAN", "", 25.0, "add"], ["USA", "CAN", "27", 10.0, "set"],
        ["USA", "CAN", "3104", 10.0, "set"], ["USA", "MEX", "", 25.0, "add"]]
    lines = pd.DataFrame({
        "importer": ["USA", "USA", "USA", "USA", "USA", "CAN"],
        "exporter": ["CAN", "CAN", "CAN", "MEX", "CHN", "USA"],
        "product": ["2709000000", "8703230190", "3104200000", "2709000000", "8703230190", "8703"]})
    # By hand: Canadian crude and potash 10 (set after the 25), Canadian cars 25, Mexican crude
    # 25, Chinese cars and U.S. exports to Canada untouched.
    np.testing.assert_array_equal(resolve_product_rates(pf, lines), [10, 25, 10, 25, 0, 0])
    ret = product_frame(load_preset("canada-mexico-25-retaliation"), ["USA", "CAN", "MEX"])
    np.testing.assert_array_equal(resolve_product_rates(ret, lines), [10, 25, 10, 25, 0, 25])


def test_product_frame_retaliation_rows_and_floor() -> None:
    f = product_frame(load_preset("china-60-retaliation"), ["USA", "CHN", "KOR"]).frame
    assert f[["layer", "importer", "exporter", "product_prefix", "rate_pct"]].values.tolist() == [
        ["measure", "USA", "CHN", "", 60.0], ["retaliation", "CHN", "USA", "", 60.0]]
    pf = product_frame(load_preset("reciprocal-2025-07"), ["USA", "DEU", "FRA", "KOR"])
    lines = pd.DataFrame({"importer": ["USA"] * 4, "exporter": ["DEU", "DEU", "FRA", "KOR"],
                          "product": ["8703", "6109", "2204", "8703"], "mfn": [2.5, 16.5, 15.0, 2.5]})
    # EU rule: 15 − column-1 rate when below 15, else 0; Korea 15 whatever its MFN rate.
    np.testing.assert_allclose(resolve_product_rates(pf, lines, baseline_col="mfn"),
                               [12.5, 0, 0, 15])
    everyone = product_frame(load_preset("universal-10"))  # ALL over every ISO3 country
    iso = countries()
    assert len(everyone.frame) == (iso["kind"] == "country").sum() - 1  # all but the USA
    assert set(everyone.frame["importer"]) == {"USA"} and "USA" not in set(everyone.frame["exporter"])


def test_sector_arrays() -> None:
    spec = scenario([{"imposer": "USA", "targets": ["CHN"], "rate": 5},
                     {"imposer": "USA", "targets": ["CHN"], "rate": 20,
                      "sectors": ["manufacturing"]},
                     {"imposer": "USA", "targets": ["CHN"], "rate": 7, "products": ["87"]}],
                    retaliation="proportional")
    sec = ["c1", "c2", "c3", "c15", "c20"]
    s = sector_tariffs(spec, ["USA", "CHN"], sec)
    assert s.pct.shape == (2, 2, 5)
    # By hand: 5 everywhere, +20 in manufacturing (c3, c15); China mirrors it; HS-only left out.
    np.testing.assert_array_equal(s.pct[1, 0], [5, 5, 25, 25, 5])
    np.testing.assert_array_equal(s.pct[0, 1], [5, 5, 25, 25, 5])
    assert s.pct[0, 0].sum() == 0 and s.pct[1, 1].sum() == 0
    assert s.notes == ("measures[2] applies to HS 87 with no sector given: left out of the sector "
                       "arrays",)
    coarse = sector_tariffs(spec, ["USA", "CHN"], ["goods", "c3"])
    np.testing.assert_array_equal(coarse.pct[1, 0], [5, 25])
    svc = scenario([{"imposer": "USA", "targets": ["CHN"], "rate": 9, "sectors": ["services"]}])
    s = sector_tariffs(svc, ["USA", "CHN"], ["c1", "c2"])
    assert s.not_covered == {"measures[0].sectors": ("services",)} and not s.pct.any()
    # A one-sector matrix cannot hold sector-specific measures: reported.
    assert tariff_matrix(svc, ["USA", "CHN"]).notes[0].startswith("measures[0] applies to sectors")


def test_rta_join_and_merge_by_hand() -> None:
    c = ["KOR", "JPN", "CAN", "USA", "CHN", "GBR", "VNM"]
    s = rta_change(load_preset("korea-joins-cptpp"), c)
    k = {x: i for i, x in enumerate(c)}
    want = np.zeros((7, 7), dtype=bool)
    for m in ("JPN", "CAN", "GBR", "VNM"):  # Korea with each CPTPP member in the list
        want[k["KOR"], k[m]] = want[k[m], k["KOR"]] = True
    np.testing.assert_array_equal(s.treated, want)
    np.testing.assert_array_equal(s.change, want.astype(np.int8))
    assert "AUS (via CPTPP)" in s.not_covered["agreements[0].group"]
    base = np.zeros((7, 7))
    base[k["KOR"], k["CAN"]] = base[k["CAN"], k["KOR"]] = 1
    base[k["KOR"], k["VNM"]] = base[k["VNM"], k["KOR"]] = 1
    changed = rta_change(load_preset("korea-joins-cptpp"), c, baseline_rta=base).change
    assert {(c[i], c[j]) for i, j in zip(*np.nonzero(changed), strict=True)} == {
        ("KOR", "JPN"), ("JPN", "KOR"), ("KOR", "GBR"), ("GBR", "KOR")}
    merged = rta_change(load_preset("cptpp-rcep"), c)
    inside = ["KOR", "JPN", "CAN", "CHN", "GBR", "VNM"]  # every member of either; not USA
    want = np.zeros((7, 7), dtype=bool)
    want[np.ix_([k[x] for x in inside], [k[x] for x in inside])] = True
    np.fill_diagonal(want, False)
    np.testing.assert_array_equal(merged.treated, want)


def test_group_membership_as_of_the_date() -> None:
    # The UK's CPTPP accession entered into force on 2024-12-15 (reference country_groups).
    data = {"name": "x", "title": "x", "sources": SRC, "agreements": [
        {"kind": "join", "group": "CPTPP", "members": ["KOR"], "source": "s",
         "effective": date(2020, 1, 1)}]}
    s = rta_change(parse_spec(data), ["KOR", "JPN", "GBR"])
    assert s.treated[0, 1] and not s.treated[0, 2]


def test_bad_model_inputs() -> None:
    spec = load_preset("china-60")
    with pytest.raises(ShockError, match="distinct"):
        tariff_matrix(spec, ["USA", "USA"])
    with pytest.raises(ShockError, match="shape"):
        tariff_matrix(spec, ["USA", "CHN"], baseline_pct=np.zeros((3, 3)))
    with pytest.raises(ShockError, match="sectors"):
        sector_tariffs(spec, ["USA", "CHN"], [])


COUNTRIES = ["USA", "CHN", "KOR", "JPN", "DEU", "VNM"]
measure = st.fixed_dictionaries({
    "imposer": st.sampled_from(COUNTRIES),
    "targets": st.one_of(st.just("ALL"),
                         st.lists(st.sampled_from([*COUNTRIES, "EU27", "ASEAN"]), min_size=1,
                                  max_size=3, unique=True)),
    "rate": st.integers(0, 100),
    "mode": st.sampled_from(["add", "set", "floor"]),
})


@settings(max_examples=80, deadline=None)
@given(st.lists(measure, min_size=1, max_size=5), st.sampled_from(["none", "proportional"]),
       st.integers(0, 10_000))
def test_invariants(ms: list[dict[str, Any]], retaliation: str, seed: int) -> None:
    ms = [m for m in ms if m["targets"] == "ALL" or m["imposer"] not in m["targets"]]
    if not ms:
        return
    spec = scenario(ms, retaliation)
    n = len(COUNTRIES)
    base = np.random.default_rng(seed).uniform(0, 30, (n, n))
    s = tariff_matrix(spec, COUNTRIES, baseline_pct=base)
    assert (np.diag(s.pct) == 0).all() and (s.pct >= 0).all()
    if retaliation == "proportional" and all(m["mode"] != "floor" for m in ms):
        one_way = tariff_matrix(spec.with_retaliation("none"), COUNTRIES).pct
        np.testing.assert_array_equal(s.pct, one_way + one_way.T)
    # The product frame resolved on every pair equals the matrix (same resolution rules).
    e, i = np.nonzero(~np.eye(n, dtype=bool))
    c = np.array(COUNTRIES)
    lines = pd.DataFrame({"importer": c[i], "exporter": c[e], "product": "0101",
                          "base": base[e, i]})
    pf = product_frame(spec, COUNTRIES)
    np.testing.assert_allclose(resolve_product_rates(pf, lines, baseline_col="base"), s.pct[e, i])
    # A sector array with all sectors equals the matrix in every sector.
    sec = sector_tariffs(spec, COUNTRIES, ["c1", "c2"], baseline_pct=np.repeat(base[:, :, None], 2, 2))
    np.testing.assert_allclose(sec.pct, np.repeat(s.pct[:, :, None], 2, 2))
