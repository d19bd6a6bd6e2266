"""The Python API (econsec.Session): methods are the services with the store bound.

Values are checked against the service called directly on the same store (reference: the same
service) and against the published ranking pinned in tests/services/test_indicators.py."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import econsec
from econsec.services import indicators
from econsec.session import Session


def test_lazy_export_does_not_load_the_interfaces() -> None:
    code = "import econsec.store, sys; print('econsec.session' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert econsec.Session is Session
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        econsec.Nope  # noqa: B018


def test_methods_carry_the_service_signature_and_doc() -> None:
    sig = inspect.signature(Session.complementarity)
    service = list(inspect.signature(indicators.complementarity).parameters)
    assert service[:3] == ["store", "a", "b"] and "include_residual" in service
    assert list(sig.parameters) == ["self", *service[1:]]  # the store is the session's
    assert Session.complementarity.__doc__ == indicators.complementarity.__doc__
    assert Session.scenario.__name__ == "scenario"
    assert "draws" in inspect.signature(Session.scenario).parameters


def _ordinal(k: int) -> str:
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


@pytest.mark.slow
def test_ingest_analyse_report(tmp_path: Path, data_dir: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Session(db, data_dir) as es:
        out = es.ingest("comtrade_hs2")
        assert [o.status for o in out] == ["loaded"]
        assert es.ingest("comtrade_hs2")[0].status == "unchanged"
        assert "comtrade_hs2" in set(es.sources()["source"])
        # Without an independent total in the store no importer's coverage is known: none ranked.
        alone = es.vulnerability(year=2019, min_imports_usd=1e10)
        assert alone.frame.empty and "coverage unknown" in " ".join(alone.coverage)
        assert es.ingest("imf_dots")[0].status == "loaded"
        iv = es.vulnerability(year=2019, min_imports_usd=1e10)
        direct = indicators.vulnerability(es.store, year=2019, min_imports_usd=1e10)
        assert iv.frame.equals(direct.frame) and iv.provenance() == direct.provenance()
        ranks = iv.frame.set_index("country")["rank"]
        assert {"JPN", "KOR"} <= set(ranks.index)
        assert es.sql("SELECT count(*) AS n FROM trade_flows WHERE source = ?",
                      ["comtrade_hs2"])["n"].iloc[0] == out[0].rows_written["trade_flows"]
        rep = es.report("KOR", "JPN", year=2019, sections=["vulnerability", "lng"])
        assert rep.section("vulnerability").available and not rep.section("lng").available
        page = es.report_html(rep, tmp_path / "r.html").read_text(encoding="utf-8")
        # the report quotes the service's ranking (consistency, not a pinned value)
        assert f"South Korea ranks {_ordinal(int(ranks['KOR']))} of {len(ranks)} importers" in page
    assert es._store is None  # closed by the with block
    with Session(db, data_dir, read_only=True) as ro:
        assert len(ro.sources()) == 2
        with pytest.raises(Exception, match="read-only"):
            ro.ingest("comtrade_hs2", force=True)
