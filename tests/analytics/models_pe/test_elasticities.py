"""The σ lookup rules on tiny hand-made tables (no store)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from econsec.analytics.models.pe.elasticities import assign_sigma, uniform_elasticities


def test_concordance_then_prefix_then_default() -> None:
    hs6 = np.array(["851713", "851762", "980100", "291800", "010121"], dtype=object)
    prefix3 = np.array([c[:3] for c in hs6], dtype=object)
    conc = pd.Series({"851713": "852", "851762": "851", "010121": "011"})  # HS2022 -> HS1992 3-digit
    sig = pd.Series({"852": 1.72, "851": 2.5, "291": 4.0, "980": 9.9})
    sigma, key, src = assign_sigma(hs6, prefix3, hs6_to_key=conc, key_to_sigma=sig,
                                   fallback_to_sigma=sig, label="conc", fallback_label="prefix",
                                   default=1.5)
    # 851713 -> 852 through the concordance (not its own prefix 851); 291800 has no HS2022 row
    # and uses its own prefix; 010121 is mapped to group 011, which has no estimate: default,
    # not the prefix rule (a mapped code never falls back to a different group).
    np.testing.assert_array_equal(sigma, [1.72, 2.5, 9.9, 4.0, 1.5])
    assert list(key) == ["852", "851", "980", "291", ""]
    assert list(src) == ["conc", "conc", "prefix", "prefix", "default sigma = 1.5"]


def test_uniform() -> None:
    el = uniform_elasticities(np.array(["a", "b"], dtype=object), sigma=3.0, eps_m=-2.0)
    df = el.to_frame()
    assert list(df["sigma"]) == [3.0, 3.0] and list(df["eps_m"]) == [-2.0, -2.0]
    assert set(df["sigma_source"]) == {"default sigma = 3"}
