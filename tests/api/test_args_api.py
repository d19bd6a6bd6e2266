"""The REST API applies the same rule for country codes as the CLI and the Python API
(econsec.services.args): any case, unknown codes 404 by name, a pair of the same economy 422.

Runs on the BACI fixture (tests/fixtures/baci): every refusal comes before any data is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from econsec.api import create_app
from econsec.services.catalog import run_ingest
from econsec.settings import Config
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("api_args") / "s.duckdb"
    run_ingest(Config.resolve(db=db), "baci", FIXTURES / "baci")
    with TestClient(create_app(Config.resolve(db=db))) as c:
        yield c


def err(r: Any, status: int, *words: str) -> None:
    assert r.status_code == status, r.text
    for w in words:
        assert w in r.json()["error"], r.json()


def test_lower_case_codes_equal_upper_case(client: TestClient) -> None:
    # the BACI fixture has no independent total to measure coverage against: rule off
    q = {"source": "baci", "year": 2021, "min_coverage": 0}
    low = client.get("/api/indicators/critical-items/kor", params=q)
    up = client.get("/api/indicators/critical-items/KOR", params=q)
    assert low.status_code == 200, low.text
    assert low.json() == up.json()
    # tests/fixtures/baci by hand: KOR imports only 848620 (JPN 3000.125, USA 700 thousand USD)
    assert [r["product"] for r in up.json()["rows"]] == ["848620"]


@pytest.mark.parametrize("url,params", [
    ("/api/indicators/critical-items/xyz", {}),
    ("/api/indicators/complementarity/KOR/xyz", {}),
    ("/api/indicators/exposure", {"countries": "kor,xyz"}),
    ("/api/indicators/competitiveness", {"country": "xyz"}),
    ("/api/indicators/vulnerability-series", {"countries": "KOR,xyz"}),
    ("/api/ews/watchlist", {"importer": "xyz"}),
    ("/api/lng/portfolio", {"importers": "xyz"}),
    ("/api/report/KOR/xyz", {}),
])
def test_unknown_codes_answer_404_by_name(client: TestClient, url: str, params: dict[str, str]) -> None:
    err(client.get(url, params=params), 404, "unknown country code 'XYZ'", "/api/countries")


@pytest.mark.parametrize("url", [
    "/api/indicators/complementarity/KOR/kor",
    "/api/indicators/semiconductors/jpn/JPN",
    "/api/report/KOR/kor",
])
def test_pairs_of_the_same_economy_answer_422(client: TestClient, url: str) -> None:
    err(client.get(url), 422, "a pair needs two different economies")


def test_pooled_buyers_given_twice_answer_422(client: TestClient) -> None:
    err(client.get("/api/lng/optimize", params={"buyers": "KOR,kor"}), 422, "KOR given more than once")
    err(client.post("/api/ews/scan", json={"pair": ["JPN", "jpn"]}), 422,
        "a pair needs two different economies")
