"""WIOD 2011 store and calibration shared by the decoupling tests (module-scoped, ~1 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from econsec.analytics.decoupling import PRESETS, DecouplingResults, preset, run
from econsec.analytics.models.multisector import Calibration, load_wiod
from econsec.store import Store
from tests.conftest import ingest_real


@pytest.fixture(scope="module")
def wiod_store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Store]:
    s = Store(tmp_path_factory.mktemp("wiod") / "econsec.duckdb")
    ingest_real(s, data_dir, "wiod2013", wiod_years=(2011,))
    yield s
    s.close()


@pytest.fixture(scope="module")
def cal(wiod_store: Store) -> Calibration:
    return load_wiod(wiod_store, 2011)


@pytest.fixture(scope="module")
def six(cal: Calibration) -> DecouplingResults:
    return run(cal, [preset(n) for n in PRESETS])
