"""PPML gravity against published tables and reference implementations, on the same data.

1. Yotov, Piermartini, Monteiro & Larch (2016), *An Advanced Guide to Trade Policy Analysis*
   (WTO/UNCTAD), on the AGTPA panel (../shared/data/gravity/agtpa_yotov2016):
   * ch. 1, Application 1 "Traditional gravity estimates" (section C.1, pp. 41–44), Table 1,
     column PPML; and Application 3 "Regional trade agreements effects" (C.3, pp. 49–54),
     Table 3, columns PPML, INTRA, ENDOG, LEADS, LAGS, GLOBALIZATION. Years 1986, 1990, …, 2006
     (the note on p. 42), exporter-year and importer-year effects, standard errors clustered by
     pair. Values as printed to three decimals in the book and in the R solutions manual built
     on the same data (Vargas, *Solutions manual for An Advanced Guide to Trade Policy Analysis
     in R*, pachadotdev/tradepolicy, 01-traditional-gravity), which reports that its estimates
     match the book's tables; asserted to that precision (± half a unit in the last digit).
   * ch. 2, Application 1 "Trade without borders": the Stata ``ppml`` log the book's own do-file
     writes (tradepolicy @ 342a655, 00-application-files/Chapter2/Applications/
     1_TradeWithoutBorder/Results/TradeWithoutBorder.log), 2006 with domestic flows, exporter
     and importer effects with DEU as reference importer: every coefficient, robust standard
     error and fixed effect to the 7 digits printed (ppml/yotov2016_ch2_app1_stata_ppml.csv).
2. gegravity's sample (30 countries, 2006): the Stata ``ppmlhdfe`` estimates printed in
   gegravity's examples/examples_OneSectorGE.py (peter-herman/gegravity @ 1daaff0), and gme
   1.3.1 run on the same file (ppml/run_reference.py; output committed) to 1e-6.
3. pyfixest 0.60 ``fepois`` on AGTPA with three-way effects, to 1e-8.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.models.estimation import PPML, PPMLResults, from_store
from econsec.sources.registry import get
from econsec.store import Store, ingest

pytestmark = pytest.mark.reference
HERE = Path(__file__).parent / "ppml"


def half_unit(printed: str) -> float:
    """Half a unit in the last printed digit of a number such as '-.7912879' or '0.437'."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return 0.5 * 10.0**-decimals + 1e-12


def assert_printed(got: float, printed: str, what: str) -> None:
    assert abs(got - float(printed)) <= half_unit(printed), f"{what}: {got!r} vs printed {printed}"


@pytest.fixture(scope="module")
def agtpa(data_dir: Path) -> pd.DataFrame:
    d = pd.read_parquet(data_dir / "gravity" / "agtpa_yotov2016" / "agtpa_applications.parquet")
    d = d.assign(year=d["year"].astype(int), pair_id=d["pair_id"].astype(int),
                 ln_dist=np.log(d["dist"]))
    dom = d["exporter"] == d["importer"]
    d["intl_brdr"] = np.where(dom, d["exporter"], "international")  # Table 3 INTRA effects
    d["intl"] = (~dom).astype(float)
    for y in range(1986, 2003, 4):  # Table 3 GLOBALIZATION: INTL_BRDR_y
        d[f"intl_brdr_{y}"] = ((~dom) & (d["year"] == y)).astype(float)
    d["sum_trade"] = d.groupby("pair_id")["trade"].transform("sum")
    return d


@pytest.fixture(scope="module")
def app(agtpa: pd.DataFrame) -> pd.DataFrame:
    return agtpa[agtpa["year"].isin(range(1986, 2007, 4))]


def check_table(r: PPMLResults, column: dict[str, tuple[str, str]], n: int) -> None:
    assert r.n_obs == n
    for name, (b, se) in column.items():
        assert_printed(r.coef[name], b, f"{name} coef")
        assert_printed(r.se[name], se, f"{name} se")


GRAVITY = ("ln_dist", "cntg", "lang", "clny")


def test_table1_ppml(app: pd.DataFrame) -> None:
    r = PPML(GRAVITY).fit(app[app["exporter"] != app["importer"]])
    check_table(r, {"ln_dist": ("-0.841", "0.032"), "cntg": ("0.437", "0.083"),
                    "lang": ("0.247", "0.077"), "clny": ("-0.222", "0.116")}, n=28_152)


def test_table3_ppml_international_only(app: pd.DataFrame) -> None:
    r = PPML((*GRAVITY, "rta")).fit(app[app["exporter"] != app["importer"]])
    check_table(r, {"ln_dist": ("-0.822", "0.031"), "cntg": ("0.416", "0.083"),
                    "lang": ("0.250", "0.077"), "clny": ("-0.205", "0.114"),
                    "rta": ("0.191", "0.066")}, n=28_152)


def test_table3_ppml_from_the_store(store: Store, data_dir: Path) -> None:
    # The same column through the whole path: ingest -> gravity_panel -> from_store -> PPML.
    ingest(store, [(get("agtpa"), get("agtpa").discover(data_dir))])
    panel = from_store(store, "agtpa_yotov2016", years=range(1986, 2007, 4))
    intl = panel.frame[panel.frame["international"] == 1]
    r = PPML(("lndist", "contig", "common_lang", "colony", "rta")).fit(intl)
    check_table(r, {"lndist": ("-0.822", "0.031"), "contig": ("0.416", "0.083"),
                    "common_lang": ("0.250", "0.077"), "colony": ("-0.205", "0.114"),
                    "rta": ("0.191", "0.066")}, n=28_152)


def test_table3_intra_with_domestic_flows(app: pd.DataFrame) -> None:
    r = PPML((*GRAVITY, "rta"), absorb=("intl_brdr",)).fit(app)
    check_table(r, {"ln_dist": ("-0.800", "0.030"), "cntg": ("0.393", "0.079"),
                    "lang": ("0.244", "0.077"), "clny": ("-0.182", "0.113"),
                    "rta": ("0.409", "0.069")}, n=28_566)


@pytest.mark.parametrize(("covariates", "column"), [
    (("rta",), {"rta": ("0.557", "0.102")}),                                    # ENDOG
    (("rta", "rta_lead4"), {"rta": ("0.520", "0.086"), "rta_lead4": ("0.077", "0.092")}),
    (("rta", "rta_lag4", "rta_lag8", "rta_lag12"),                              # LAGS
     {"rta": ("0.291", "0.089"), "rta_lag4": ("0.414", "0.067"), "rta_lag8": ("0.169", "0.043"),
      "rta_lag12": ("0.119", "0.030")}),
])
def test_table3_pair_fixed_effects(app: pd.DataFrame, covariates: tuple[str, ...],
                                   column: dict[str, tuple[str, str]]) -> None:
    # Book: symmetric pair effects (pair_id), pairs with no trade in any year left out.
    r = PPML(covariates, absorb=("pair_id",)).fit(app[app["sum_trade"] > 0])
    check_table(r, column, n=28_482)


def test_table3_globalization(app: pd.DataFrame) -> None:
    borders = tuple(f"intl_brdr_{y}" for y in range(1986, 2003, 4))
    r = PPML(("rta", "rta_lag4", "rta_lag8", "rta_lag12", *borders),
             absorb=("pair_id",)).fit(app[app["sum_trade"] > 0])
    check_table(r, {"rta": ("0.116", "0.087"), "rta_lag4": ("0.288", "0.062"),
                    "rta_lag8": ("0.069", "0.048"), "rta_lag12": ("0.002", "0.029"),
                    "intl_brdr_1986": ("-0.706", "0.048"), "intl_brdr_1990": ("-0.480", "0.043"),
                    "intl_brdr_1994": ("-0.367", "0.033"), "intl_brdr_1998": ("-0.158", "0.023"),
                    "intl_brdr_2002": ("-0.141", "0.017")}, n=28_482)


def test_ch2_trade_without_borders_stata_log(agtpa: pd.DataFrame) -> None:
    d = agtpa[agtpa["year"] == 2006]
    r = PPML(("ln_dist", "cntg", "intl"), vcov="robust", reference_importer="DEU").fit(d)
    log = pd.read_csv(HERE / "yotov2016_ch2_app1_stata_ppml.csv", dtype=str, keep_default_na=False)
    assert r.n_obs == 4761
    assert abs(r.deviance - 4_542_202) < 0.5 and abs(r.loglik - -2_284_121.5) < 0.05
    names = {"ln_DIST": "ln_dist", "CNTG": "cntg", "INTL_BRDR": "intl"}
    for row in log.itertuples():
        if row.term in names:
            assert_printed(r.coef[names[row.term]], row.coef, row.term)
            assert_printed(r.se[names[row.term]], row.se, f"{row.term} se")
        else:  # fixed effects: Stata drops DEU's importer dummy, our normalisation too
            side = row.term.removesuffix("_fe")
            assert_printed(r.fe(side)[row.country, 2006], row.coef, f"{row.term} {row.country}")
    assert r.fe("importer")["DEU", 2006] == 0.0


# -- gegravity's sample: Stata ppmlhdfe (published) and gme 1.3.1 (run here) ----------------------
GEG = ["lndist", "contiguity", "common_language", "pta", "international"]


@pytest.fixture(scope="module")
def gegravity(data_dir: Path) -> PPMLResults:
    df = pd.read_csv(data_dir / "gravity" / "gegravity_sample_2006" / "sample_data_set.dlm")
    return PPML(tuple(GEG), vcov="robust").fit(df)


def test_gegravity_sample_matches_published_stata_ppmlhdfe(gegravity: PPMLResults) -> None:
    published = {"lndist": ("-0.3898623", "0.0729915"), "contiguity": ("0.891577", "0.1327354"),
                 "common_language": ("0.0326249", "0.0840702"), "pta": ("0.4711383", "0.1076578"),
                 "international": ("-3.412584", "0.2151235")}
    assert gegravity.n_obs == 900
    for name, (b, se) in published.items():
        # ppmlhdfe stops at its default tolerance, so its last printed digit may be off by one
        # (common_language: 0.0326249 against 0.03262497, which gme and pyfixest also give).
        assert abs(gegravity.coef[name] - float(b)) <= max(half_unit(b), 1e-7), name
        assert_printed(gegravity.se[name], se, f"{name} se")


def test_gegravity_sample_matches_gme(gegravity: PPMLResults) -> None:
    ref = pd.read_csv(HERE / "gme_1.3.1_gegravity_sample.csv").set_index("variable")
    np.testing.assert_allclose(gegravity.coef[GEG], ref.loc[GEG, "coef"], rtol=0, atol=1e-6)
    # gme's errors are HC0; Stata's (and econsec's) robust errors are HC0 · √(n/(n−1)).
    n = gegravity.n_obs
    np.testing.assert_allclose(gegravity.se[GEG], ref.loc[GEG, "se_hc0"] * np.sqrt(n / (n - 1)),
                               rtol=1e-6)
    fit = pd.read_csv(HERE / "gme_1.3.1_gegravity_sample_fitted.csv")
    m = gegravity.fitted.merge(fit, on=["exporter", "importer", "year"], suffixes=("", "_gme"),
                               validate="1:1")
    assert len(m) == 900
    np.testing.assert_allclose(m["fitted"], m["fitted_gme"], rtol=1e-6)


def test_committed_gme_output_is_current(data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("gme")
    import shutil
    import subprocess
    import sys

    script = tmp_path / "run_reference.py"
    shutil.copy(HERE / "run_reference.py", script)
    subprocess.run([sys.executable, str(script), str(data_dir)], check=True, capture_output=True)
    for name in ("gme_1.3.1_gegravity_sample.csv", "gme_1.3.1_gegravity_sample_fitted.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / name), pd.read_csv(HERE / name),
                                      rtol=1e-9)


# -- pyfixest on the same AGTPA three-way model ---------------------------------------------------
def test_three_way_matches_pyfixest(app: pd.DataFrame) -> None:
    import warnings

    import pyfixest as pf

    ours = PPML(("rta", "rta_lag4"), fixed_effects="exporter-importer-pair").fit(app)
    d = app.assign(ey=app["exporter"] + app["year"].astype(str),
                   iy=app["importer"] + app["year"].astype(str),
                   pair=app["exporter"] + app["importer"],
                   upair=np.minimum(app["exporter"], app["importer"])
                   + np.maximum(app["exporter"], app["importer"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyfixest's separation notice and pandas deprecations
        theirs = pf.fepois("trade ~ rta + rta_lag4 | ey + iy + pair", d, vcov={"CRV1": "upair"},
                           ssc=pf.ssc(k_adj=False, G_adj=True), iwls_tol=1e-12,
                           demeaner=pf.MapDemeaner(fixef_tol=1e-12))
    assert ours.n_obs == theirs._N  # the same observations dropped (all-zero pairs)
    np.testing.assert_allclose(ours.coef, theirs.coef().to_numpy(), rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.se, theirs.se().to_numpy(), rtol=1e-7)
