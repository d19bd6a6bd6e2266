"""PPML gravity estimation: hand-computed cases, invariants, bad input, the store path.

Published tables and reference implementations (Yotov et al. 2016, Stata ppmlhdfe, gme 1.3.1,
pyfixest) are compared in tests/reference/test_ppml_reference.py.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from econsec.analytics.models.estimation import (
    PPML,
    GravityDataError,
    PPMLConvergenceError,
    estimate_ppml,
    from_store,
)
from econsec.errors import NotFoundError, OptionError
from econsec.store import Store
from tests.conftest import ingest_real

TABLE = np.array([[10.0, 2.0, 3.0], [4.0, 20.0, 1.0], [1.0, 2.0, 30.0]])


def square(x: np.ndarray, year: int = 2000, names: tuple[str, ...] = ("A", "B", "C")) -> pd.DataFrame:
    i, j = np.meshgrid(range(x.shape[0]), range(x.shape[1]), indexing="ij")
    return pd.DataFrame({"exporter": np.array(names)[i.ravel()], "importer": np.array(names)[j.ravel()],
                         "year": year, "trade": x.ravel()})


def synthetic(seed: int, n: int = 6, years: int = 3, noise: float = 0.0, zeros: float = 0.0,
              pair: bool = False) -> tuple[pd.DataFrame, dict[str, float]]:
    """A square panel with trade = exp(π_it + χ_jt [+ μ_ij] + 0.7 rta − 0.9 lndist) × noise."""
    rng = np.random.default_rng(seed)
    names = np.array([f"C{k:02d}" for k in range(n)])
    i, j, t = np.meshgrid(range(n), range(n), range(years), indexing="ij")
    lndist = np.log(rng.uniform(100, 10_000, (n, n)))[i, j]
    rta = (rng.random((n, n, years)) < 0.3) & (i != j)
    eta = (rng.normal(8, 1, (n, years))[i, t] + rng.normal(0, 1, (n, years))[j, t]
           + 0.7 * rta - 0.9 * lndist + (rng.normal(0, 0.5, (n, n))[i, j] if pair else 0))
    y = np.exp(eta) * (rng.lognormal(-noise**2 / 2, noise, eta.shape) if noise else 1.0)
    y[(rng.random(eta.shape) < zeros) & (i != j)] = 0.0
    df = pd.DataFrame({"exporter": names[i.ravel()], "importer": names[j.ravel()],
                       "year": 2000 + t.ravel(), "trade": y.ravel(),
                       "rta": rta.ravel().astype(float), "lndist": lndist.ravel(),
                       "intl": (i != j).ravel().astype(float)})
    return df, {"rta": 0.7, "lndist": -0.9}


# -- hand-computed -----------------------------------------------------------------------------
def test_constant_only_is_log_of_mean() -> None:
    df = square(TABLE)
    r = PPML(fixed_effects="none", vcov="iid").fit(df)
    # By hand: mean trade = 73 / 9, so β0 = ln(73/9) and every fitted flow is 73/9.
    assert r.coef["const"] == pytest.approx(np.log(73 / 9), abs=1e-12)
    np.testing.assert_allclose(r.fitted["fitted"], 73 / 9, rtol=1e-12)
    # Poisson (iid) variance of β0 is 1 / Σ μ̂ = 1 / 73.
    assert r.se["const"] == pytest.approx(np.sqrt(1 / 73), rel=1e-10)


def test_constant_only_sandwich_variances_by_hand() -> None:
    df = square(TABLE)
    y, ybar, n = TABLE.ravel(), 73 / 9, 9
    robust = PPML(fixed_effects="none", vcov="robust").fit(df)
    # By hand: score of β0 is (y − ȳ); H = Σ ȳ = 73; V = Σ (y − ȳ)² / 73² · n/(n − 1).
    assert robust.vcov.iloc[0, 0] == pytest.approx(np.sum((y - ybar) ** 2) / 73**2 * n / (n - 1), rel=1e-10)
    cl = PPML(fixed_effects="none", vcov="cluster-pair").fit(df)
    # Unordered pairs: {AA}, {BB}, {CC}, {AB}, {AC}, {BC} -> 6 clusters, factor 6/5.
    e, m = np.meshgrid(range(3), range(3), indexing="ij")
    key = np.minimum(e, m).ravel() * 3 + np.maximum(e, m).ravel()
    sums = np.array([np.sum((y - ybar)[key == k]) for k in np.unique(key)])
    assert cl.n_clusters == 6
    assert cl.vcov.iloc[0, 0] == pytest.approx(np.sum(sums**2) / 73**2 * 6 / 5, rel=1e-10)
    directed = PPML(fixed_effects="none", vcov="cluster-directed-pair").fit(df)
    assert directed.n_clusters == 9  # every flow its own cluster: robust with 9/8
    assert directed.vcov.iloc[0, 0] == pytest.approx(robust.vcov.iloc[0, 0], rel=1e-10)


def test_two_way_effects_without_covariates_give_frictionless_gravity() -> None:
    # With only exporter and importer effects PPML fits X_ij = Y_i E_j / Y (Yotov et al. 2016,
    # eq. 1-5 with t_ij = 1). Row sums Y = (15, 25, 33), column sums E = (15, 24, 34), Y = 73.
    r = PPML(vcov="robust").fit(square(TABLE))
    mu = r.fitted.set_index(["exporter", "importer"])["fitted"]
    assert mu["A", "B"] == pytest.approx(15 * 24 / 73, rel=1e-10)  # 4.931506849…
    assert mu["C", "C"] == pytest.approx(33 * 34 / 73, rel=1e-10)
    ex = r.fe("exporter").droplevel("year")
    im = r.fe("importer").droplevel("year")
    assert r.reference_importer == "A" and im["A"] == 0.0
    assert np.exp(ex["B"] - ex["A"]) == pytest.approx(25 / 15, rel=1e-10)
    assert np.exp(im["C"] - im["A"]) == pytest.approx(34 / 15, rel=1e-10)
    assert r.coef.empty and r.diagnostics.converged


def test_absorbed_group_effects_reproduce_group_means() -> None:
    df = square(TABLE).assign(group=lambda d: np.where(d["exporter"] == d["importer"], "home", "abroad"))
    r = PPML(fixed_effects="none", absorb=("group",)).fit(df)
    # Saturated in the group: fitted = group mean; FE = ln(group mean).
    home, abroad = (10 + 20 + 30) / 3, (2 + 3 + 4 + 1 + 1 + 2) / 6
    np.testing.assert_allclose(r.fitted.loc[df["group"] == "home", "fitted"], home, rtol=1e-11)
    np.testing.assert_allclose(r.fitted.loc[df["group"] == "abroad", "fitted"], abroad, rtol=1e-11)
    assert r.fe("group")["home"] == pytest.approx(np.log(home), abs=1e-11)
    assert r.fe("group")["abroad"] == pytest.approx(np.log(abroad), abs=1e-11)
    assert "const" not in r.coef.index


# -- exact recovery and reconstruction ------------------------------------------------------------
@pytest.mark.parametrize("fixed_effects", ["exporter-importer", "exporter-importer-pair"])
def test_noise_free_data_return_the_true_coefficients(fixed_effects: str) -> None:
    pair = fixed_effects.endswith("pair")
    df, beta = synthetic(seed=4, n=7, years=3, pair=pair)
    covs = ("rta",) if pair else ("rta", "lndist")
    r = PPML(covs, fixed_effects=fixed_effects).fit(df)  # type: ignore[arg-type]
    for c in covs:
        assert r.coef[c] == pytest.approx(beta[c], abs=1e-8)
    np.testing.assert_allclose(r.fitted["fitted"], df["trade"], rtol=1e-8)
    assert r.diagnostics.score_residual < 1e-8


@pytest.mark.parametrize("fixed_effects", ["exporter-importer", "exporter-importer-pair"])
def test_fixed_effects_rebuild_the_fitted_flows(fixed_effects: str) -> None:
    df, _ = synthetic(seed=11, n=6, years=3, noise=0.5, zeros=0.1, pair=True)
    covs = ("rta",) if fixed_effects.endswith("pair") else ("rta", "lndist", "intl")
    r = PPML(covs, fixed_effects=fixed_effects, reference_importer="C03").fit(df)  # type: ignore[arg-type]
    f = r.fitted
    eta = (f[list(covs)].to_numpy() @ r.coef.to_numpy()
           + r.fe("exporter").reindex(pd.MultiIndex.from_frame(f[["exporter", "year"]])).to_numpy()
           + r.fe("importer").reindex(pd.MultiIndex.from_frame(f[["importer", "year"]])).to_numpy())
    if "pair" in r.fixed_effects:
        eta += r.fe("pair").reindex(pd.MultiIndex.from_frame(f[["exporter", "importer"]])).to_numpy()
        pr = r.fe("pair")
        dom = pr[pr.index.get_level_values(0) == pr.index.get_level_values(1)]
        np.testing.assert_array_equal(dom.to_numpy(), 0.0)  # t_ii = 1
    np.testing.assert_allclose(np.exp(eta), f["fitted"], rtol=1e-9)
    np.testing.assert_array_equal(r.fe("importer").xs("C03", level="importer").to_numpy(), 0.0)
    assert r.diagnostics.fe_residual < 1e-9
    bt = r.bilateral_term()
    lin = f[list(covs)].to_numpy() @ r.coef.to_numpy()
    if "pair" in r.fixed_effects:
        lin = lin + r.fe("pair").reindex(pd.MultiIndex.from_frame(f[["exporter", "importer"]])).to_numpy()
    np.testing.assert_allclose(bt["t_1_minus_sigma"], np.exp(lin), rtol=1e-12)


# -- invariants -----------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(3, 6), years=st.integers(1, 3),
       zeros=st.sampled_from([0.0, 0.15]))
def test_adding_up_and_score_conditions(seed: int, n: int, years: int, zeros: float) -> None:
    df, _ = synthetic(seed, n=n, years=years, noise=0.8, zeros=zeros)
    try:
        r = PPML(("rta", "lndist")).fit(df)
    except GravityDataError as e:
        # A tiny sample (3 countries, 1 year, zeros) can leave nothing identified; refusing is
        # the right answer there and the invariants below do not apply.
        assert "no observation is left to estimate on" in str(e)
        reject()
    f = r.fitted
    # Adding-up (Yotov et al. 2016, ch. 1 B.2): fitted output and expenditure equal observed.
    for side in ("exporter", "importer"):
        g = f.groupby([side, "year"])[["trade", "fitted"]].sum()
        np.testing.assert_allclose(g["fitted"], g["trade"], rtol=1e-7)
    # Score for each covariate: Σ x (X − μ̂) = 0, relative to Σ |x| X.
    for c in r.coef.index:
        assert abs(np.sum(f[c] * (f["trade"] - f["fitted"]))) <= 1e-7 * np.sum(np.abs(f[c]) * f["trade"])


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(1e-3, 1e4))
def test_scale_and_row_order_do_not_change_coefficients(seed: int, scale: float) -> None:
    df, _ = synthetic(seed, n=5, years=2, noise=0.6, zeros=0.1)
    base = PPML(("rta", "lndist")).fit(df)
    scaled = PPML(("rta", "lndist")).fit(df.assign(trade=df["trade"] * scale))
    shuffled = PPML(("rta", "lndist")).fit(df.sample(frac=1.0, random_state=seed))
    np.testing.assert_allclose(scaled.coef, base.coef, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(shuffled.coef, base.coef, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(scaled.se, base.se, rtol=1e-6)
    # Scaling X by c moves the exporter effects by ln c (importer effects are normalised).
    np.testing.assert_allclose(scaled.fe("exporter") - base.fe("exporter"), np.log(scale), atol=1e-7)


def test_vcov_is_symmetric_positive_definite_and_gives_se() -> None:
    df, _ = synthetic(seed=3, n=6, years=3, noise=0.7)
    r = PPML(("rta", "lndist", "intl")).fit(df)
    v = r.vcov.to_numpy()
    np.testing.assert_allclose(v, v.T, rtol=1e-12)
    assert np.all(np.linalg.eigvalsh(v) > 0)
    np.testing.assert_allclose(r.se, np.sqrt(np.diag(v)), rtol=1e-15)
    t = r.to_frame()
    np.testing.assert_allclose(t["z"], t["coef"] / t["se"])
    assert list(r.vcov.index) == list(r.coef.index) == ["rta", "lndist", "intl"]
    # Monte Carlo draws of β: mean β̂ and covariance V̂ (sampling error ~ 1/√n).
    d = r.draws(40_000, seed=1)
    np.testing.assert_allclose(d.mean(), r.coef, atol=4 * r.se.max() / np.sqrt(40_000) * 1.5)
    np.testing.assert_allclose(np.cov(d.to_numpy().T), v, rtol=0.05, atol=0.05 * np.abs(v).max())
    assert d.equals(r.draws(40_000, seed=1))


# -- what gets dropped ----------------------------------------------------------------------------
def test_all_zero_and_singleton_groups_are_dropped_and_reported() -> None:
    df, _ = synthetic(seed=5, n=5, years=2, noise=0.3)
    df.loc[(df["exporter"] == "C01") & (df["year"] == 2000), "trade"] = 0.0  # separated exporter-year
    extra = pd.DataFrame({"exporter": ["ZZZ"], "importer": ["C00"], "year": [2001], "trade": [5.0],
                          "rta": [0.0], "lndist": [8.0], "intl": [1.0]})  # singleton exporter-year
    r = PPML(("rta", "lndist")).fit(pd.concat([df, extra], ignore_index=True))
    why = r.dropped["reason"].value_counts()
    assert why["fixed-effect group with only zero flows (separated)"] == 5
    assert why["singleton fixed-effect group"] == 1
    assert r.n_obs == len(df) + 1 - 6
    assert ("C01", 2000) not in r.fe("exporter").index
    assert "dropped: " in r.summary()


def test_zero_flows_separated_by_a_covariate_are_dropped() -> None:
    # An RTA dummy that is 1 only on zero flows: the Poisson MLE has β_rta → −∞ (Santos Silva &
    # Tenreyro 2010); those rows go, and rta, now all zeros, is dropped as collinear.
    df, _ = synthetic(seed=12, n=5, years=2, noise=0.4)
    df["rta"] = 0.0
    rows = df.index[(df["exporter"] != df["importer"])][:2]
    df.loc[rows, ["trade", "rta"]] = [0.0, 1.0]
    r = PPML(("rta", "lndist")).fit(df)
    assert sorted(r.dropped.index) == sorted(rows)
    assert r.dropped["reason"].str.startswith("separated by covariate 'rta'").all()
    assert r.dropped_covariates == ("rta",) and list(r.coef.index) == ["lndist"]
    # With a positive flow where rta = 1 the estimate exists and nothing is dropped.
    df.loc[rows[0], "trade"] = 3.0
    assert PPML(("rta", "lndist")).fit(df).dropped.empty


def test_covariates_absorbed_by_pair_effects_are_dropped() -> None:
    df, _ = synthetic(seed=6, n=5, years=3, noise=0.3, pair=True)
    r = PPML(("rta", "lndist", "intl"), fixed_effects="exporter-importer-pair").fit(df)
    assert r.dropped_covariates == ("lndist", "intl")
    assert list(r.coef.index) == ["rta"]
    assert "collinear with the fixed effects, dropped: lndist, intl" in r.summary()


# -- bad input, options, failure ------------------------------------------------------------------
@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.drop(columns=["rta"]), r"missing column\(s\) \['rta'\]"),
    (lambda d: d.assign(trade=-d["trade"]), "trade must be non-negative"),
    (lambda d: d.assign(rta=d["rta"].astype(str)), "column 'rta' must be numeric"),
    (lambda d: d.assign(lndist=d["lndist"].where(d.index != 3)), "column 'lndist' has 1 missing"),
    (lambda d: pd.concat([d, d.iloc[:1]]), r"1 duplicate \(exporter, importer, year\)"),
    (lambda d: d.assign(trade=0.0), "trade is zero everywhere"),
    (lambda d: d.iloc[:0], "no rows"),
])
def test_bad_input_is_rejected_with_a_clear_message(change, message) -> None:  # type: ignore[no-untyped-def]
    df, _ = synthetic(seed=1, n=4, years=2)
    with pytest.raises(GravityDataError, match=message):
        PPML(("rta", "lndist")).fit(change(df))


def test_nothing_left_to_estimate_is_a_clear_error() -> None:
    # One year with pair effects: every pair is a singleton group.
    with pytest.raises(GravityDataError, match="no observation is left.*singleton.*several years"):
        PPML(fixed_effects="exporter-importer-pair").fit(square(TABLE))


def test_options_are_validated_once_with_the_allowed_values() -> None:
    with pytest.raises(OptionError, match="fixed_effects: expected one of 'exporter-importer', "
                                          "'exporter-importer-pair', 'none'; got 'pair'"):
        PPML(fixed_effects="pair")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="vcov: expected one of 'cluster-pair'"):
        PPML(vcov="HC1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not the string 'rta'"):
        PPML("rta")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="identifiers or the outcome"):
        PPML(("trade",))
    with pytest.raises(ValueError, match="must be positive"):
        PPML(tol=0)
    df, _ = synthetic(seed=1, n=4, years=2)
    with pytest.raises(GravityDataError, match="reference_importer 'XXX' is not an importer"):
        PPML(("rta",), reference_importer="XXX").fit(df)
    assert PPML(["rta"]).covariates == ("rta",)  # type: ignore[arg-type]


def test_non_convergence_raises_a_typed_error() -> None:
    df, _ = synthetic(seed=2, n=5, years=2, noise=0.8)
    with pytest.raises(PPMLConvergenceError, match="did not converge in 2 iterations") as e:
        PPML(("rta", "lndist"), max_iter=2).fit(df)
    assert e.value.iterations == 2 and e.value.criterion > 1e-10


def test_results_are_read_only() -> None:
    df, _ = synthetic(seed=8, n=4, years=2, noise=0.3)
    r = estimate_ppml(df, ["rta", "lndist"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.n_obs = 0  # type: ignore[misc]
    handed_out = [r.params, r.coef, r.fe("exporter"), r.fixed_effects["importer"], r.se]
    for got in handed_out:
        got.iloc[0] = 99.0
    v, f = r.vcov, r.fitted
    v.iloc[0, 0] = 99.0
    f.loc[:, "fitted"] = 99.0
    assert r.coef.iloc[0] != 99.0 and r.fe("exporter").iloc[0] != 99.0
    assert r.fixed_effects["importer"].iloc[0] != 99.0 and r.vcov.iloc[0, 0] != 99.0
    assert (r.fitted["fitted"] != 99.0).all()
    df.loc[0, "trade"] = 1e12  # the input frame is not referenced either
    assert r.fitted["trade"].iloc[0] != 1e12
    assert r.converged and r.iterations == r.diagnostics.iterations >= 1
    with pytest.raises(NotFoundError, match="estimated: \\['exporter', 'importer'\\]"):
        r.fe("pair")


def test_summary_and_provenance_say_how_and_from_what() -> None:
    df, _ = synthetic(seed=9, n=5, years=2, noise=0.3)
    r = PPML(("rta", "lndist")).fit(df, source="test panel", vintage="v1")
    s = r.summary()
    assert f"PPML gravity: {len(df)} observations, 2000–2001 (2 years)" in s
    assert f"converged in {r.iterations} iterations" in s
    assert f"clustered by country pair ({r.n_clusters} clusters)" in s
    assert "data: test panel (v1)" in s and "lndist" in s and "rta" in s
    assert r.n_clusters == 5 * 4 // 2 + 5  # unordered international pairs + domestic
    prov = r.provenance()
    assert prov["vcov"] == "cluster-pair" and prov["source"] == "test panel" and "PPML" in prov["method"]


# -- the store ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_from_store_builds_the_panels(store: Store, data_dir: Path) -> None:
    ingest_real(store, data_dir, "agtpa", "gegravity_sample")
    years = [1986, 2006]
    ag = from_store(store, "agtpa_yotov2016", years=years)
    f = ag.frame
    assert ag.years == (1986, 2006) and len(f) == 69 * 69 * 2  # square and balanced
    np.testing.assert_allclose(f["lndist"], np.log(f["dist"]), rtol=1e-15)  # AGTPA gives dist only
    assert {"pair_id", "rta_lag4", "rta_lead4", "contig", "international"} <= set(f.columns)
    assert f["pair_id"].dtype == "int64" and "output_y" not in f.columns
    kor = f.set_index(["exporter", "importer", "year"])["trade"]
    assert round(kor["KOR", "JPN", 2006]) == 25_354  # the data catalog's check value
    assert "342a655" in ag.vintage and ag.unit == "million USD"
    with pytest.raises(GravityDataError, match="it holds \\['agtpa_yotov2016', 'gegravity_sample_2006'\\]"):
        from_store(store, "baci")
    with pytest.raises(GravityDataError, match="no rows for years \\[1900\\]"):
        from_store(store, years=[1900])
    # The gegravity sample estimated from the store equals the same estimate from its file.
    gg = from_store(store, "gegravity_sample_2006")
    covs = ("lndist", "contig", "common_lang", "rta", "international")
    r = PPML(covs, vcov="robust").fit(gg)
    raw = pd.read_csv(data_dir / "gravity" / "gegravity_sample_2006" / "sample_data_set.dlm")
    raw = raw.rename(columns={"contiguity": "contig", "common_language": "common_lang", "pta": "rta"})
    np.testing.assert_allclose(r.coef, PPML(covs, vcov="robust").fit(raw).coef, rtol=1e-10)
    assert "gegravity_sample_2006" in r.summary() and "358cba1" in r.vintage
