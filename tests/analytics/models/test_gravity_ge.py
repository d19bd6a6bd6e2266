"""One-sector structural gravity GE: hand-solved cases, invariants, options and errors.

The comparison with gegravity 0.3 on its own sample is in tests/reference/test_gegravity_reference.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.analytics.models.gravity import (
    Counterfactual,
    ExactHatGE,
    GEConvergenceError,
    GravityData,
    GravityInputError,
    OneSectorGE,
    gravity_data_from_frame,
    gravity_data_from_matrix,
)
from econsec.errors import OptionError
from tests.conftest import ingest_real

HERE = Path(__file__).parents[2] / "reference" / "gegravity"
VARIABLES = ["lndist", "contiguity", "common_language", "pta", "international"]


@pytest.fixture(scope="module")
def sample(data_dir: Path) -> GravityData:
    df = pd.read_csv(data_dir / "gravity" / "gegravity_sample_2006" / "sample_data_set.dlm")
    return gravity_data_from_frame(df, variables=VARIABLES, year=2006, unit="million USD")


@pytest.fixture(scope="module")
def model(sample: GravityData) -> OneSectorGE:
    coef = pd.read_csv(HERE / "coefficients.csv").set_index("var")["coeff"]
    return OneSectorGE(sample, coef.to_dict(), sigma=5, reference_importer="DEU")


def two_country(delta: float, sigma: float = 5.0) -> OneSectorGE:
    """Countries A, B with Y = E = 1, t_ii^(1−σ) = 1 and t_ij^(1−σ) = delta (border = 1)."""
    border = 1.0 - np.eye(2)
    data = GravityData(("A", "B"), np.ones((2, 2)), np.ones(2), np.ones(2), {"border": border})
    return OneSectorGE(data, {"border": np.log(delta)}, sigma=sigma, reference_importer="A")


# --- zero shock -------------------------------------------------------------------------------

STAGE_FIELDS = ("x", "xc", "y", "e", "p", "imr", "omr", "revenue")


@pytest.mark.parametrize("full_ge", ["endowment", "gegravity"])
@pytest.mark.slow
def test_zero_shock_returns_the_baseline_exactly(model: OneSectorGE, sample: GravityData,
                                                 full_ge: str) -> None:
    hat = ExactHatGE(sample, sigma=5, reference_importer="USA")
    results = [model.solve(full_ge=full_ge), hat.solve(full_ge=full_ge),
               model.solve(Counterfactual(variables={"pta": sample.variables["pta"]}),
                           full_ge=full_ge)]
    if full_ge == "endowment":  # with tariffs in force and their revenue collected
        tau0 = {("CHN", "USA"): 0.2, ("USA", "CHN"): 0.1, ("KOR", "JPN"): 0.05}
        taxed = OneSectorGE(model.data, model.coefficients, 5, "DEU", baseline_tariff=tau0)
        results += [taxed.solve(Counterfactual(tariff=tau0)),
                    ExactHatGE(sample, 5, "USA", baseline_tariff=tau0).solve()]
    for res in results:
        for stage in (res.conditional, res.full):
            for f in STAGE_FIELDS:
                np.testing.assert_array_equal(getattr(stage, f), getattr(res.baseline, f), err_msg=f)
        assert all(d.iterations == 0 for d in res.diagnostics[1:])
        pct = res.to_frame().filter(like="_pct").to_numpy()
        assert np.all((pct == 0) | np.isnan(pct))
        assert (res.pairs()["trade_pct"] == 0).all()


# --- hand-solved two-country cases --------------------------------------------------------------

@pytest.mark.parametrize("full_ge", ["endowment", "gegravity"])
def test_symmetric_two_countries_by_hand(full_ge: str) -> None:
    r"""Two identical countries, Y = E = 1, t_ii^(1−σ) = 1, t_AB^(1−σ) = t_BA^(1−σ) = δ.

    Baseline: by symmetry P_A = P_B = 1 (A is the reference) and Π^(1−σ) = Σ_j δ_ij (E_j/Y)/P_j^(1−σ)
    = (1 + δ)/2; X_ij = (Y_i E_j/Y) δ_ij/(Π_i P_j)^(1−σ) = (1/2)·δ_ij·2/(1 + δ): X_AA = 1/(1 + δ),
    X_AB = δ/(1 + δ).
    Conditional GE (δ → δ', Y and E fixed): Π'^(1−σ) = (1 + δ')/2, P' = 1, X'_AB = δ'/(1 + δ').
    Full GE: symmetry gives p̂_A = p̂_B = p̂ and P̂_A^(1−σ) = λ_AA p̂^(1−σ) + λ_BA (δ'/δ) p̂^(1−σ) = 1
    with λ_AA = 1/(1 + δ), so p̂ = ((1 + δ')/(1 + δ))^(1/(σ−1)); Y' = E' = p̂; X'_AB = p̂ δ'/(1 + δ');
    real GDP p̂/P̂ = p̂ = λ̂_AA^(1/(1−σ)) (Arkolakis, Costinot & Rodríguez-Clare 2012). gegravity's
    step gives the same here: p̂^(1−σ) = Π^(1−σ)/Π'^(1−σ) = (1 + δ)/(1 + δ').
    """
    sigma, delta, delta1 = 5.0, np.exp(-2.0), np.exp(-1.0)
    m = two_country(delta, sigma)
    own, cross = 1 / (1 + delta), delta / (1 + delta)
    np.testing.assert_allclose(m.solve().baseline.x, [[own, cross], [cross, own]], rtol=1e-14)
    cf = Counterfactual(variables={"border": {("A", "B"): 0.5, ("B", "A"): 0.5}})  # δ' = e^(−1)
    res = m.solve(cf, full_ge=full_ge)
    np.testing.assert_allclose(res.baseline.omr ** (1 - sigma), (1 + delta) / 2, rtol=1e-14)
    np.testing.assert_allclose(res.conditional.omr ** (1 - sigma), (1 + delta1) / 2, rtol=1e-13)
    np.testing.assert_allclose(res.conditional.x[0, 1], delta1 / (1 + delta1), rtol=1e-13)
    p = ((1 + delta1) / (1 + delta)) ** (1 / (sigma - 1))
    np.testing.assert_allclose(res.full.p, [p, p], rtol=1e-13)
    np.testing.assert_allclose(res.full.imr, [1, 1], rtol=1e-13)
    np.testing.assert_allclose(res.full.x[0, 1], p * delta1 / (1 + delta1), rtol=1e-13)
    np.testing.assert_allclose(res.full.e, [p, p], rtol=1e-13)
    np.testing.assert_allclose(res.to_frame()["real_gdp_pct"], 100 * (p - 1), rtol=1e-11)
    # The same case from the observed flows alone (exact hat algebra, cost change δ'/δ).
    hat = ExactHatGE(gravity_data_from_matrix(pd.DataFrame(
        res.baseline.x, index=["A", "B"], columns=["A", "B"])), sigma, "A")
    cost = np.where(np.eye(2) == 1, 1.0, delta1 / delta)
    res_h = hat.solve(Counterfactual(cost_change=cost), full_ge=full_ge)
    np.testing.assert_allclose(res_h.full.x, res.full.x, rtol=1e-13)


def test_symmetric_two_country_tariff_by_hand() -> None:
    r"""Same world, then a tariff τ on both flows (A ↔ B). With θ = (1+τ)^(1−σ), λ_AA = 1/(1 + δ):

    Numeraire P̂_A^(1−σ) = p̂^(1−σ) (λ_AA + λ_BA θ) = 1 → p̂^(1−σ) = 1/(λ_AA + λ_BA θ) in both
    closures (by symmetry markets clear at any common p̂). Import share λ'_BA = λ_BA θ p̂^(1−σ).
    Revenue collected: ρ' = λ'_BA τ/(1+τ), E' = p̂/(1 − ρ'), recorded imports X'_BA = λ'_BA E'/(1+τ),
    welfare E'/P' = p̂/(1 − ρ'). Iceberg (no revenue): E' = p̂, X'_BA = λ'_BA p̂, welfare p̂.
    """
    sigma, delta, tau = 4.0, np.exp(-1.5), 0.3
    m = two_country(delta, sigma)
    lam_aa, lam_ba = 1 / (1 + delta), delta / (1 + delta)
    theta = (1 + tau) ** (1 - sigma)
    p = (1 / (lam_aa + lam_ba * theta)) ** (1 / (1 - sigma))
    lam1 = lam_ba * theta * p ** (1 - sigma)
    cf = Counterfactual(tariff={("A", "B"): tau, ("B", "A"): tau})
    rev = m.solve(cf)
    rho = lam1 * tau / (1 + tau)
    e1 = p / (1 - rho)
    np.testing.assert_allclose(rev.full.p, p, rtol=1e-13)
    np.testing.assert_allclose(rev.full.e, e1, rtol=1e-13)
    np.testing.assert_allclose(rev.full.x[1, 0], lam1 * e1 / (1 + tau), rtol=1e-13)
    np.testing.assert_allclose(rev.full.revenue, e1 * rho, rtol=1e-13)
    np.testing.assert_allclose(rev.to_frame()["welfare_pct"], 100 * (p / (1 - rho) - 1), rtol=1e-12)
    ice = m.solve(cf, tariff_revenue=False)
    np.testing.assert_allclose(ice.full.p, p, rtol=1e-13)
    np.testing.assert_allclose(ice.full.x[1, 0], lam1 * p, rtol=1e-13)
    np.testing.assert_allclose(ice.to_frame()["welfare_pct"], 100 * (p - 1), rtol=1e-12)
    assert (rev.to_frame()["welfare_pct"] > ice.to_frame()["welfare_pct"]).all()


# --- trade diversion ----------------------------------------------------------------------------

@pytest.mark.slow
def test_tariff_lowers_the_pair_and_diverts_to_third_countries(model: OneSectorGE) -> None:
    """A 25% U.S. tariff on China (sample, sigma = 5, full endowment GE with revenue).

    The taxed flow falls; every third country sells more to the U.S. (trade diversion) and China
    sells more to every third country (trade deflection). Not every flow of the pair with third
    countries rises: with fixed endowments U.S. producers' sales move home as Chinese goods
    leave the U.S. market, so U.S. exports to third countries fall, and China's lower factory-gate
    price pulls its imports down.
    """
    res = model.solve(Counterfactual(tariff={("CHN", "USA"): 0.25}))
    for stage in ("conditional", "full"):
        p = res.pairs(stage).set_index(["exporter", "importer"])["trade_pct"]
        third = [c for c in res.countries if c not in ("USA", "CHN")]
        assert p["CHN", "USA"] < -50
        assert min(p[k, "USA"] for k in third) > 0
        assert min(p["CHN", k] for k in third) > 0
    f = res.to_frame().set_index("country")
    assert f.loc["CHN", "real_gdp_pct"] < 0 < f.loc["USA", "tariff_revenue_change"]


def test_tariff_diverts_in_a_symmetric_three_country_world() -> None:
    # Three identical countries; A taxes imports from B (revenue to A). B's sales to A fall, C's
    # sales to A and B's sales to C rise; C gains. A's welfare rises for a small tariff (terms of
    # trade and revenue) and falls for a large one (the optimal-tariff argument).
    n = 3
    data = GravityData(("A", "B", "C"), np.ones((n, n)), np.ones(n), np.ones(n),
                       {"border": 1 - np.eye(n)})
    m = OneSectorGE(data, {"border": -2.0}, sigma=6, reference_importer="C")
    res = m.solve(Counterfactual(tariff={("B", "A"): 0.1}))
    x0, x1 = res.baseline.x, res.full.x
    assert x1[1, 0] < x0[1, 0] and x1[2, 0] > x0[2, 0] and x1[1, 2] > x0[1, 2]
    w = res.to_frame().set_index("country")["welfare_pct"]
    assert w["A"] > 0 and w["C"] > 0 > w["B"]
    high = m.solve(Counterfactual(tariff={("B", "A"): 0.4})).to_frame().set_index("country")
    assert high.loc["A", "welfare_pct"] < 0
    np.testing.assert_allclose(x1.sum(axis=1), res.full.y, rtol=1e-12)


# --- invariants ---------------------------------------------------------------------------------

@st.composite
def worlds(draw: st.DrawFn) -> tuple[GravityData, dict[str, float], dict, dict, float]:
    seed = draw(st.integers(0, 2**31 - 1))
    n = draw(st.integers(2, 7))
    sigma = draw(st.floats(1.5, 12.0))
    rng = np.random.default_rng(seed)
    codes = tuple(f"C{i}" for i in range(n))
    off = 1 - np.eye(n)
    lndist = np.log(rng.uniform(200, 15000, (n, n)))
    lndist = (lndist + lndist.T) / 2 * off + np.log(100) * np.eye(n)
    rta = (rng.random((n, n)) < 0.3) * off
    y = rng.lognormal(10, 1.5, n)
    d = rng.normal(0, 0.05, n) * y
    e = y + d - d.sum() * y / y.sum()          # deficits sum to zero
    data = GravityData(codes, np.zeros((n, n)), y, e,
                       {"lndist": lndist, "international": off, "rta": rta, "constant": np.ones((n, n))})
    coef = {"lndist": -0.8, "international": -2.0, "rta": 0.4, "constant": 3.0}
    pairs = [(a, b) for a in codes for b in codes if a != b]
    tau0 = {pairs[i]: float(rng.uniform(0, 0.3)) for i in rng.permutation(len(pairs))[: len(pairs) // 3]}
    tau1 = {pairs[i]: float(rng.uniform(0, 0.6)) for i in rng.permutation(len(pairs))[: len(pairs) // 2]}
    rta1 = {pairs[i]: 1.0 for i in rng.permutation(len(pairs))[:2]}
    return data, coef, tau0, {"tariff": tau1, "variables": {"rta": rta1}}, sigma


@settings(max_examples=100, deadline=None)
@given(worlds())
def test_markets_clear_and_budgets_balance(world: tuple) -> None:
    data, coef, tau0, cf, sigma = world
    m = OneSectorGE(data, coef, sigma=sigma, reference_importer=data.countries[-1],
                    baseline_tariff=tau0)
    res = m.solve(Counterfactual(**cf))
    b, c, f = res.baseline, res.conditional, res.full
    tau1 = res.tariff_new
    dfc = b.e - b.revenue - b.y                                   # baseline deficits
    assert abs(dfc.sum()) < 1e-9 * b.y.sum()
    for eq in (b, c, f):
        np.testing.assert_allclose(eq.x.sum(axis=1), eq.y, rtol=1e-10)          # Σ_j X_ij = Y_i
        np.testing.assert_allclose(eq.xc.sum(axis=0), eq.e, rtol=1e-10)         # Σ_i X^c_ij = E_j
    np.testing.assert_allclose(f.revenue, (tau1 * f.x).sum(axis=0), rtol=1e-9, atol=1e-9 * f.e.max())
    world = f.y.sum() / b.y.sum()
    np.testing.assert_allclose(f.e - f.revenue - f.y, dfc * world, atol=1e-9 * f.e.max())
    np.testing.assert_allclose(c.y, b.y, rtol=1e-10)              # conditional: Y fixed and
    np.testing.assert_allclose(c.e - c.revenue, b.e - b.revenue, rtol=1e-10)  # spending net of R
    np.testing.assert_allclose(f.imr[-1], 1.0, rtol=1e-12)       # numeraire
    # The levels-form system (module docstring of equations.py) holds at every stage:
    # X_ij = (Y_i E_j/Y) t^(1−σ)(1+τ)^(−σ)/(Π_i P_j)^(1−σ), Π_i^(1−σ) = Σ_j t^(1−σ)(1+τ)^(−σ)
    # (E_j/Y)/P_j^(1−σ), P_j^(1−σ) = Σ_i (t(1+τ))^(1−σ) (Y_i/Y)/Π_i^(1−σ), Y = Σ_i Y_i.
    for eq, t, tau in ((b, res.trade_cost, res.tariff), (c, res.trade_cost_new, tau1),
                       (f, res.trade_cost_new, tau1)):
        yw, pj, pii = eq.y.sum(), eq.imr ** (1 - sigma), eq.omr ** (1 - sigma)
        flow_cost = t * (1 + tau) ** (-sigma)
        np.testing.assert_allclose((flow_cost * (eq.e / yw / pj)[np.newaxis, :]).sum(axis=1), pii,
                                   rtol=1e-9)
        np.testing.assert_allclose((t * (1 + tau) ** (1 - sigma) * (eq.y / yw / pii)[:, np.newaxis]
                                    ).sum(axis=0), pj, rtol=1e-9)
        np.testing.assert_allclose(np.outer(eq.y / pii, eq.e / pj) / yw * flow_cost, eq.x,
                                   rtol=1e-9)
    np.testing.assert_allclose(f.y, b.y * f.p, rtol=1e-12)
    # Damped Newton with an analytic Jacobian: a few damped steps, then quadratic convergence.
    # Typical runs take 4–8 steps; hypothesis found a 2-country case with strong tariffs taking
    # 14 (damped phase), so the bound is a sanity check far below max_iter = 300.
    assert max(d.iterations for d in res.diagnostics) <= 25
    ice = m.solve(Counterfactual(**cf), tariff_revenue=False)
    np.testing.assert_allclose(ice.full.xc.sum(axis=1), ice.full.y, rtol=1e-10)
    assert not ice.full.revenue.any()


@settings(max_examples=50, deadline=None)
@given(worlds(), st.floats(0.01, 100.0))
def test_homogeneity_and_numeraire(world: tuple, scale: float) -> None:
    data, coef, tau0, cf, sigma = world
    m = OneSectorGE(data, coef, sigma=sigma, reference_importer=data.countries[0],
                    baseline_tariff=tau0)
    res = m.solve(Counterfactual(**cf))
    pct = res.to_frame().filter(like="_pct")
    # Degree 1 in the size of the world: Y, E × scale → flows × scale, percent changes equal.
    big = GravityData(data.countries, data.trade, data.output * scale, data.expenditure * scale,
                      data.variables)
    res_b = OneSectorGE(big, coef, sigma, data.countries[0], baseline_tariff=tau0).solve(
        Counterfactual(**cf))
    np.testing.assert_allclose(res_b.full.x, res.full.x * scale, rtol=1e-9)
    np.testing.assert_allclose(res_b.to_frame().filter(like="_pct"), pct, atol=1e-9)
    # Degree 0 in the level of trade costs: a constant in ln t^(1−σ) changes only MR levels.
    shifted = OneSectorGE(data, coef | {"constant": coef["constant"] + 2.5}, sigma,
                          data.countries[0], baseline_tariff=tau0).solve(Counterfactual(**cf))
    np.testing.assert_allclose(shifted.full.x, res.full.x, rtol=1e-9)
    # Another numeraire: prices move by a common factor, real changes do not.
    other = OneSectorGE(data, coef, sigma, data.countries[-1], baseline_tariff=tau0).solve(
        Counterfactual(**cf))
    ratio = other.full.p / res.full.p
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)
    fo = other.to_frame()
    for k in ("real_gdp_pct", "welfare_pct", "terms_of_trade_pct"):
        np.testing.assert_allclose(fo[k], pct[k], atol=1e-8)
    # Nominal flows move with the numeraire; import shares do not.
    share = lambda r: r.full.x / r.full.x.sum(axis=0)  # noqa: E731
    np.testing.assert_allclose(share(other), share(res), rtol=1e-9)


@settings(max_examples=50, deadline=None)
@given(worlds())
def test_exact_hat_algebra_equals_the_coefficient_model(world: tuple) -> None:
    # The coefficient model's modelled baseline, fed to exact hat algebra with t̂ = t'/t, gives
    # the same counterfactual (Dekle, Eaton & Kortum 2008: only shares and changes matter).
    data, coef, tau0, cf, sigma = world
    ref = data.countries[0]
    m = OneSectorGE(data, coef, sigma=sigma, reference_importer=ref, baseline_tariff=tau0)
    c = Counterfactual(**cf)
    for full_ge in ("endowment", "gegravity"):
        rev = full_ge == "endowment"
        res = m.solve(c, full_ge=full_ge, tariff_revenue=rev)
        flows = pd.DataFrame(res.baseline.x, index=data.countries, columns=data.countries)
        hat = ExactHatGE(gravity_data_from_matrix(flows), sigma, ref, baseline_tariff=tau0)
        res_h = hat.solve(Counterfactual(tariff=cf["tariff"], cost_change=m.trade_costs(c) /
                                         m.trade_costs()), full_ge=full_ge, tariff_revenue=rev)
        for stage in ("conditional", "full"):
            a, b = res.to_frame(stage), res_h.to_frame(stage)
            for k in ("exports_pct", "imports_pct", "output_pct", "expenditure_pct",
                      "imr_pct", "omr_pct", "real_gdp_pct", "welfare_pct"):
                np.testing.assert_allclose(b[k], a[k], atol=1e-8, err_msg=f"{full_ge} {stage} {k}")


@pytest.mark.parametrize("stage", ["conditional", "full"])
def test_market_clearing_jacobian_matches_finite_differences(stage: str) -> None:
    from econsec.analytics.models.gravity.equations import MarketClearing

    rng = np.random.default_rng(3)
    n = 6
    xc = rng.lognormal(0, 1, (n, n)) + np.diag(rng.lognormal(3, 1, n))
    theta = 1 + rng.uniform(0, 0.3, (n, n)) * (1 - np.eye(n))
    theta_new = theta * (1 + rng.uniform(0, 0.5, (n, n)) * (1 - np.eye(n)))
    c_hat = rng.lognormal(0, 0.3, (n, n))
    system = MarketClearing(xc, theta, c_hat, theta_new, 4.0, 2, stage)  # type: ignore[arg-type]
    z = rng.normal(0, 0.2, n)
    jac = system.jacobian(system.state(z))
    h = 1e-6
    fd = np.column_stack([(system.state(z + h * np.eye(n)[k])["f"]
                           - system.state(z - h * np.eye(n)[k])["f"]) / (2 * h) for k in range(n)])
    np.testing.assert_allclose(jac, fd, rtol=1e-6, atol=1e-8)


# --- Monte Carlo inputs, options and errors ---------------------------------------------------

@pytest.mark.slow
def test_beta_and_sigma_overrides_equal_a_new_spec(model: OneSectorGE) -> None:
    cf = Counterfactual(variables={"pta": {("KOR", "JPN"): 1, ("JPN", "KOR"): 1}})
    beta = model.beta * np.array([1.1, 0.9, 1.0, 1.2, 0.95])
    a = model.solve(cf, beta=beta, sigma=7.0)
    spec = OneSectorGE(model.data, dict(zip(model.cost_variables, beta, strict=True)), 7.0, "DEU")
    b = spec.solve(cf)
    for f in STAGE_FIELDS:
        np.testing.assert_array_equal(getattr(a.full, f), getattr(b.full, f))
    assert a.parameters["coefficients"]["pta"] == pytest.approx(beta[3])
    # σ only maps the t^(1−σ) shock into prices: flows' percent changes do not depend on it in
    # the conditional GE, price changes do.
    c5, c7 = model.solve(cf), model.solve(cf, sigma=7.0)
    np.testing.assert_allclose(c5.conditional.x, c7.conditional.x, rtol=1e-12)
    assert not np.allclose(c5.full.p, c7.full.p)


@pytest.mark.slow
def test_pair_effects_enter_log_trade_costs(sample: GravityData, model: OneSectorGE) -> None:
    # μ_ij adds to ln t^(1−σ): the same as a cost variable μ with coefficient 1.
    mu = np.random.default_rng(7).normal(0, 0.3, (sample.n, sample.n))
    with_mu = GravityData(sample.countries, sample.trade, sample.output, sample.expenditure,
                          dict(sample.variables) | {"mu": mu})
    cf = Counterfactual(tariff={("KOR", "USA"): 0.15})
    a = OneSectorGE(sample, model.coefficients, 5, "DEU", pair_effects=mu).solve(cf)
    b = OneSectorGE(with_mu, model.coefficients | {"mu": 1.0}, 5, "DEU").solve(cf)
    np.testing.assert_allclose(a.full.x, b.full.x, rtol=1e-12)
    np.testing.assert_allclose(a.trade_cost, b.trade_cost, rtol=1e-14)


@pytest.mark.slow
def test_prohibitive_tariffs_are_reached_by_continuation(model: OneSectorGE) -> None:
    # 500% U.S. tariffs on everyone at sigma = 10: Newton from the baseline does not contract in
    # the conditional GE (which holds U.S. output fixed), so the shock is applied in steps.
    tariff = {(c, "USA"): 5.0 for c in model.data.countries if c != "USA"}
    res = model.solve(Counterfactual(tariff=tariff), sigma=10.0)
    cond = res.diagnostics[1]
    assert cond.converged and "continuation" in cond.method
    for eq in (res.conditional, res.full):
        np.testing.assert_allclose(eq.x.sum(axis=1), eq.y, rtol=1e-9)
    # A tariff on all imports taxes exports too (Lerner symmetry): U.S. exports vanish. U.S.
    # imports do not, because the closure keeps the U.S. deficit at its share of world output.
    f = res.to_frame().set_index("country")
    assert f.loc["USA", "exports_pct"] < -99 and f.loc["USA", "domestic_trade_pct"] > 100


@pytest.mark.slow
def test_non_convergence_raises_a_typed_error_with_diagnostics(model: OneSectorGE) -> None:
    with pytest.raises(GEConvergenceError) as err:
        model.solve(Counterfactual(tariff={("CHN", "USA"): 5.0}), max_iter=1)
    d = err.value.diagnostics
    assert not d.converged and d.iterations == 1 and d.residual > d.tol
    assert "NOT converged" in str(err.value)


@pytest.mark.slow
def test_options_are_validated(model: OneSectorGE, sample: GravityData) -> None:
    with pytest.raises(OptionError, match=r"full_ge: expected one of 'endowment', 'gegravity'; got 'iterative'"):
        model.solve(full_ge="iterative")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="sigma: expected a number > 1; got 1.0"):
        model.solve(sigma=1.0)
    with pytest.raises(OptionError, match="sigma: expected a number > 1; got nan"):
        OneSectorGE(sample, model.coefficients, float("nan"), "DEU")
    with pytest.raises(GravityInputError, match="unknown country 'XXX'.*AUS, AUT"):
        OneSectorGE(sample, model.coefficients, 5, "XXX")
    with pytest.raises(GravityInputError, match="not cost variables"):
        model.solve(Counterfactual(variables={"colony": {("CAN", "JPN"): 1}}))
    with pytest.raises(GravityInputError, match="no cost variable"):
        OneSectorGE(sample, {"dist": 1.0}, 5, "DEU")
    with pytest.raises(ValueError, match="no tariff revenue"):
        model.solve(Counterfactual(tariff={("CHN", "USA"): 0.1}), full_ge="gegravity")
    with pytest.raises(GravityInputError, match="cost_change"):
        ExactHatGE(sample, 5, "DEU").solve(Counterfactual(variables={"pta": {("CAN", "JPN"): 1}}))
    with pytest.raises(ValueError, match="beta must have shape"):
        model.solve(beta=np.ones(3))


@pytest.mark.slow
def test_results_object(model: OneSectorGE) -> None:
    res = model.solve(Counterfactual(tariff={("CHN", "USA"): 0.6}, name="China 60"))
    f = res.to_frame()
    assert len(f) == 30 and f["country"].tolist() == sorted(f["country"])
    for k in ("exports", "imports", "output", "expenditure", "imr", "omr", "factory_gate_price",
              "real_gdp", "welfare", "terms_of_trade", "domestic_trade"):
        assert {f"{k}_baseline", f"{k}_counterfactual", f"{k}_pct"} <= set(f.columns)
    usa = f.set_index("country").loc["USA"]
    assert usa["trade_balance_change"] == pytest.approx(
        usa["trade_balance_counterfactual"] - usa["trade_balance_baseline"])
    assert usa["tariff_revenue_baseline"] == 0 and usa["tariff_revenue_counterfactual"] > 0
    p = res.pairs()
    assert len(p) == 900
    row = p.set_index(["exporter", "importer"]).loc[("CHN", "USA")]
    assert row["tariff_counterfactual"] == 0.6 and row["tariff_baseline"] == 0
    assert res.converged and res.residual < 1e-12 and set(res.iterations) == {
        "baseline multilateral resistances", "conditional GE", "full GE"}
    s = res.summary()
    assert "sigma = 5" in s and "full GE: converged" in s and "USA" in s
    assert res.provenance()["parameters"]["scenario"] == "China 60"
    assert "revenue spent by the importer" in res.method
    with pytest.raises(ValueError):
        res.full.x[0, 0] = 1.0
    with pytest.raises(OptionError, match="stage: expected one of 'conditional', 'full'; got 'baseline'"):
        res.to_frame("baseline")  # type: ignore[arg-type]


def test_gravity_data_from_frame_checks_its_input() -> None:
    rows = [(a, b, 1.0, 5.0, 6.0) for a in "AB" for b in "AB"]
    df = pd.DataFrame(rows, columns=["exporter", "importer", "trade", "Y", "E"])
    d = gravity_data_from_frame(df)
    assert d.countries == ("A", "B") and d.output.tolist() == [5.0, 5.0]
    with pytest.raises(GravityInputError, match="square with domestic flows: 2 countries need 4"):
        gravity_data_from_frame(df.iloc[:3])
    with pytest.raises(GravityInputError, match="duplicate pair A→A"):
        gravity_data_from_frame(pd.concat([df, df.iloc[:1]]))
    with pytest.raises(GravityInputError, match="'Y' must take one value per country"):
        gravity_data_from_frame(df.assign(Y=[5.0, 4.0, 5.0, 5.0]))
    with pytest.raises(GravityInputError, match="no column"):
        gravity_data_from_frame(df, variables=["lndist"])
    with pytest.raises(GravityInputError, match="missing or non-numeric value for B→A"):
        gravity_data_from_frame(df.assign(trade=[1.0, 1.0, np.nan, 1.0]))
    sums = gravity_data_from_frame(df.assign(trade=[1.0, 2.0, 3.0, 4.0]), output=None,
                                   expenditure=None)
    assert sums.output.tolist() == [3.0, 7.0] and sums.expenditure.tolist() == [4.0, 6.0]


@pytest.mark.slow
def test_gravity_data_from_the_store(store, data_dir: Path, model: OneSectorGE) -> None:  # type: ignore[no-untyped-def]
    from econsec.analytics.models.gravity import gravity_data_from_store

    ingest_real(store, data_dir, "gegravity_sample", "agtpa")
    geg = gravity_data_from_store(store)
    assert geg.countries == model.data.countries and geg.unit == "million USD"
    assert sorted(geg.variables) == ["common_lang", "contig", "international", "lndist", "rta"]
    assert geg.source == "gegravity_sample (gegravity_sample_2006)" and "358cba1" in geg.vintage
    np.testing.assert_array_equal(geg.output, model.data.output)
    np.testing.assert_array_equal(geg.variables["rta"], model.data.variables["pta"])
    # Same model, store names: the same result as the frame-built data.
    names = {"lndist": "lndist", "contiguity": "contig", "common_language": "common_lang",
             "pta": "rta", "international": "international"}
    coef = {names[k]: v for k, v in model.coefficients.items()}
    cf = {"variables": {"rta": {("CAN", "JPN"): 1, ("JPN", "CAN"): 1}}}
    a = OneSectorGE(geg, coef, 5, "DEU").solve(Counterfactual(**cf))
    b = model.solve(Counterfactual(variables={"pta": cf["variables"]["rta"]}))
    np.testing.assert_allclose(a.full.x, b.full.x, rtol=1e-12)
    assert a.vintage == geg.vintage
    # AGTPA: 69 countries, no Y/E columns (row and column sums), lndist = ln(dist).
    ag = gravity_data_from_store(store, dataset="agtpa_yotov2016", year=2006)
    assert ag.n == 69 and "ROU" in ag.countries and "colony" in ag.variables
    np.testing.assert_allclose(ag.output, ag.trade.sum(axis=1))
    kor, jpn = ag.index("KOR"), ag.index("JPN")
    assert ag.trade[kor, jpn] == pytest.approx(25354, abs=0.5)  # data README: 25,354 (rounded)
    res = ExactHatGE(ag, 5, "USA").solve(Counterfactual(tariff={("CHN", "USA"): 0.6}))
    assert res.converged and res.to_frame().set_index("country").loc["CHN", "exports_pct"] < 0
    with pytest.raises(GravityInputError, match="does not fill"):
        gravity_data_from_store(store, variables=["colony"])
    with pytest.raises(GravityInputError, match="no gravity_panel rows"):
        gravity_data_from_store(store, year=1999)
