"""Shipped presets: names, generated files up to date with the data, rates as in the store."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from econsec.analytics.scenarios import (
    Scenario,
    UnknownPresetError,
    list_presets,
    load_preset,
    preset_catalog,
    tariff_matrix,
)
from econsec.sources.registry import get
from econsec.store import Store, ingest
from tests.analytics.scenarios.make_reciprocal_presets import april_scenario, july_scenario

TARIFF_PRESETS = ["universal-10", "universal-20", "china-10", "china-60", "canada-mexico-25",
                  "reciprocal-2025-04", "reciprocal-2025-07"]


def test_required_presets_and_their_variants() -> None:
    names = set(list_presets())
    for n in TARIFF_PRESETS:
        assert {n, n + "-retaliation"} <= names
        assert load_preset(n).retaliation.mode == "none"
        assert load_preset(n + "-retaliation").retaliation.mode == "proportional"
    assert {"korea-joins-cptpp", "cptpp-rcep"} <= names
    assert "korea-joins-cptpp-retaliation" not in names  # no tariffs to retaliate against
    cat = preset_catalog().set_index("name")
    assert cat.loc["cptpp-rcep", "agreements"] == 1 and cat.loc["cptpp-rcep", "measures"] == 0
    assert cat.loc["china-60-retaliation", "retaliation"] == "proportional"


def test_unknown_preset_lists_the_names() -> None:
    with pytest.raises(UnknownPresetError, match="china-60-retaliation") as e:
        load_preset("china-61")
    assert "reciprocal-2025-07" in str(e.value)
    with pytest.raises(UnknownPresetError):
        load_preset("cptpp-rcep-retaliation")


def test_preset_files_are_named_after_the_scenario() -> None:
    folder = resources.files("econsec.analytics.scenarios").joinpath("presets")
    for f in folder.iterdir():
        if f.name.endswith(".toml"):
            assert load_preset(f.name.removesuffix(".toml")).name == f.name.removesuffix(".toml")


@pytest.mark.parametrize("make", [april_scenario, july_scenario])
@pytest.mark.slow
def test_generated_presets_match_the_data(make: Callable[[Path], Scenario], data_dir: Path) -> None:
    # The committed TOML is exactly what the generator writes from the shared data files.
    s = make(data_dir)
    folder = resources.files("econsec.analytics.scenarios").joinpath("presets")
    assert folder.joinpath(f"{s.name}.toml").read_text(encoding="utf-8") == s.to_toml()
    assert load_preset(s.name) == s


@pytest.mark.slow
def test_july_preset_equals_the_store(store: Store, data_dir: Path) -> None:
    # Every Annex I country rate in the store's tariffs table (source reciprocal_2025) is the
    # rate the preset puts on that country's goods in the United States.
    src = get("reciprocal_2025")
    ingest(store, [(src, src.discover(data_dir))])
    rows = store.df("SELECT target, rate_pct FROM tariffs WHERE source = 'reciprocal_2025' "
                    "AND measure = 'reciprocal annex I EO 2025-07-31' AND target <> 'EUN'")
    assert len(rows) == 68
    countries = ["USA", *rows["target"]]
    s = tariff_matrix(load_preset("reciprocal-2025-07"), countries)
    np.testing.assert_array_equal(s.pct[1:, 0], rows["rate_pct"].to_numpy())
    # The data README's checks.
    got = dict(zip(countries, s.pct[:, 0], strict=True))
    assert {k: got[k] for k in ("KOR", "JPN", "TWN", "VNM", "IND", "CHE", "BRA", "GBR")} == {
        "KOR": 15, "JPN": 15, "TWN": 20, "VNM": 20, "IND": 25, "CHE": 39, "BRA": 10, "GBR": 10}
    base = store.df("SELECT rate_pct, effective_date FROM tariffs WHERE source = 'reciprocal_2025' "
                    "AND measure = 'reciprocal baseline EO 14257'")
    first = load_preset("reciprocal-2025-04").measures[0]
    assert first.rate == base["rate_pct"].iloc[0] == 10
    assert str(first.effective) == str(base["effective_date"].iloc[0])[:10] == "2025-04-05"
