"""Semiconductor value-chain groups, and building panels from the store (mirror data, World rows)."""

from __future__ import annotations

import pandas as pd
import pytest

from econsec.analytics.indicators.data import load_panel
from econsec.analytics.indicators.semiconductors import GROUPS, group_of, value_chain
from econsec.errors import NotFoundError
from econsec.sources.baci import Baci
from econsec.store import ingest
from tests.analytics.helpers import panel
from tests.conftest import FIXTURES


def test_groups_are_disjoint_hs6_codes() -> None:
    codes = [c for cs in GROUPS.values() for c in cs]
    assert len(codes) == len(set(codes)) and all(len(c) == 6 and c.isdigit() for c in codes)
    assert group_of(pd.Series(["854232", "8486201000", "010121"]).to_numpy()).tolist() == [
        "integrated_circuits", "equipment", ""]


def test_value_chain_by_hand() -> None:
    # KOR buys memories (854232) from TWN 70 and CHN 30, and fab tools (848620) from JPN 50.
    # JPN exports 854232: 20 to USA; 848620: 50 to KOR + 40 to USA = 90 of a world 90.
    p = panel([("TWN", "KOR", "854232", 70), ("CHN", "KOR", "854232", 30), ("JPN", "USA", "854232", 20),
               ("JPN", "KOR", "848620", 50), ("JPN", "USA", "848620", 40)])
    v = value_chain(p, "KOR", "JPN").set_index("group")
    ic, eq = v.loc["integrated_circuits"], v.loc["equipment"]
    assert ic["imports_usd"] == 100 and ic["top_supplier"] == "TWN"
    assert ic["supplier_hhi"] == pytest.approx(0.7**2 + 0.3**2)
    assert ic["partner_exports_usd"] == 20 and ic["partner_world_share"] == pytest.approx(20 / 120)
    assert eq["imports_from_partner_usd"] == 50 and eq["partner_world_share"] == pytest.approx(1.0)
    assert v.loc["materials", "imports_usd"] == 0


def test_value_chain_needs_six_digits() -> None:
    with pytest.raises(ValueError, match="6-digit"):
        value_chain(panel([("JPN", "KOR", "85", 1.0)]), "KOR", "JPN")


def test_load_panel_from_baci_fixture(store) -> None:
    ingest(store, [(Baci(), sorted((FIXTURES / "baci").glob("*.csv")))])
    p = load_panel(store, "baci", 2021)
    assert not p.mirror and p.classification == "HS2017 at 6 digits"
    m = p.imports()
    # JPN's imports of 854231 (fixture, by hand, thousand USD × 1000): KOR 1,500,500 + TWN 2,000,000 + CHN 500,000.
    assert m[p.code("JPN"), list(p.products).index("854231")] == pytest.approx(4_000_500)
    p4 = load_panel(store, "baci", 2021, level=4)
    assert "8542" in p4.products and p4.classification == "HS2017 at 4 digits"
    with pytest.raises(NotFoundError, match="years: \\[2021\\]"):
        load_panel(store, "baci", 2019)


def test_store_order_and_sort_paths_agree(store) -> None:
    """Kernels on a store-loaded panel (rows pre-sorted by DuckDB) equal those on the same rows
    re-built in memory (sorted by numpy)."""
    import numpy as np

    from econsec.analytics.indicators.concentration import concentration
    from tests.analytics.store_helpers import write_random_baci

    files = write_random_baci(store, rows=5000, seed=3)
    ingest(store, [(Baci(), files)])
    p = load_panel(store, "baci", 2021)
    assert p.sorted_by_importer
    df = pd.DataFrame({"exporter": p.countries[p.exporter], "importer": p.countries[p.importer],
                       "product": p.products[p.product], "value": p.value})
    q = panel(df.sample(frac=1.0, random_state=1))  # shuffled rows, numpy sort path
    a, b = concentration(p), concentration(q)
    np.testing.assert_allclose(a.hhi, b.hhi, rtol=1e-12)
    np.testing.assert_allclose(a.top3_share, b.top3_share, rtol=1e-12)
    np.testing.assert_allclose(p.world_exports, q.world_exports, rtol=1e-12)
