"""The multi-sector model with one sector and no intermediates collapses to the one-sector
structural-gravity GE (issue #5's check): same data, same tariff, σ − 1 = θ."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.analytics.models.gravity import Counterfactual, ExactHatGE
from econsec.analytics.models.gravity.data import gravity_data_from_matrix
from econsec.analytics.models.multisector import MultiSectorModel, Shock
from econsec.analytics.models.multisector.data import from_trade


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 5), st.floats(0.05, 0.6), st.floats(2.5, 9.0))
def test_one_sector_collapse(seed: int, n: int, rate: float, sigma: float) -> None:
    rng = np.random.default_rng(seed)
    x = rng.lognormal(0, 1, (n, n)) + np.diag(rng.lognormal(3, 0.5, n))  # home bias
    names = [f"C{i}" for i in range(n)]
    tau = np.zeros((n, n))
    tau[0, 1] = rate  # importer 1 taxes exporter 0
    ge = ExactHatGE(gravity_data_from_matrix(pd.DataFrame(x, index=names, columns=names)),
                    sigma=sigma, reference_importer=names[-1])
    g = ge.solve(Counterfactual(tariff=tau), full_ge="endowment", tariff_revenue=True)
    cal = from_trade(x[:, :, None], countries=names, sectors=["all"])
    m = MultiSectorModel(cal, theta=[sigma - 1.0], intermediates="none", tol=1e-13)
    r = m.solve(Shock.baseline(cal).with_tariff_change(tau[:, :, None]))
    welfare = g.to_frame("full").set_index("country")["welfare_pct"]
    ms = r.to_frame().set_index("country")["real_income_pct"]
    np.testing.assert_allclose(welfare.reindex(names), ms.reindex(names), atol=1e-7)
    # Nominal flows differ by the numeraire (reference importer vs world value added): compare
    # each pair's share of world trade.
    gp = g.pairs("full").set_index(["exporter", "importer"])["trade_counterfactual"]
    mp = r.pairs().set_index(["exporter", "importer"])["trade_cf"]
    np.testing.assert_allclose((gp / gp.sum()).reindex(mp.index), mp / mp.sum(), rtol=1e-7)
