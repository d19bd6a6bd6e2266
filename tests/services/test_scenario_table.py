"""The results table in docs/scenarios.md, recomputed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from econsec.services.scenarios import run_scenario
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow
DOC = Path(__file__).parents[2] / "docs" / "scenarios.md"


def table() -> dict[str, list[float]]:
    rows = {}
    for line in DOC.read_text().splitlines():
        m = re.match(r"\| ([a-z0-9-]+) \| ([−+\d.]+) \| ([−+\d.]+) \| ([−+\d.]+) \| ([−+\d.]+) \| "
                     r"([−+\d.]+) \| ([−+\d.]+) \|$", line)
        if m:
            rows[m.group(1)] = [float(x.replace("−", "-")) for x in m.groups()[1:]]
    return rows


def test_doc_table(tmp_path: Path, data_dir: Path) -> None:
    rows = table()
    assert len(rows) == 12
    with Store(tmp_path / "s.duckdb") as s:
        ingest_real(s, data_dir, "wiod2013", "census_hs10", "hs_concordance", wiod_years=(2011,))
        for name, expected in rows.items():
            r = run_scenario(s, name, model="both")
            c = r.countries().set_index("country")["real_income_pct"]
            sup = r.pe.by_supplier().set_index("partner")["change"] / 1e9
            got = [c["KOR"], c["JPN"], c["USA"], c["CHN"], sup["KOR"], sup["JPN"]]
            assert got[:4] == pytest.approx(expected[:4], abs=6e-4), name
            assert got[4:] == pytest.approx(expected[4:], abs=6e-3), name
