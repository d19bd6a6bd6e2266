"""Writing random BACI-format files for store-backed analytics tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES
from tests.store.test_store import write_baci_year


def write_random_baci(store, rows: int, seed: int) -> list[Path]:  # type: ignore[no-untyped-def]
    d = Path(store.path).parent / f"baci_{seed}"
    d.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "baci" / "country_codes_V202301.csv", d / "country_codes_V202301.csv")
    write_baci_year(d / "BACI_HS17_Y2021_V202301.csv", rows, seed)
    return sorted(d.glob("*.csv"))
