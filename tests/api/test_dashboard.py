"""The dashboard in a real browser (Playwright + Debian's Chromium) against uvicorn in a thread.

Checks that the pair overview shows the same KOR and JPN numbers the API returns, that its
provenance is on the page, that an API error is shown in the page, and that an early-warning
scan and an acknowledgement round-trip through the buttons.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import uvicorn

from econsec.api import create_app
from econsec.settings import Config
from tests.api.conftest import build_db

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[str]:
    d = tmp_path_factory.mktemp("dash")
    db = build_db(d / "base.duckdb", data_dir)
    shutil.copy(db, d / "served.duckdb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Config.resolve(db=d / "served.duckdb")),
                                           host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline and t.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    t.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url: str):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("ECONSEC_BROWSER"):
            pytest.fail(f"ECONSEC_BROWSER is set but {CHROMIUM} is missing: run `make browser`")
        pytest.skip(f"browser test skipped: {CHROMIUM} not found; run `make browser` once "
                    "(apt-get install chromium) or `ECONSEC_BROWSER=1 make test`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            # no background connections: the machine's network is closed
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(base_url + "/")
        yield pg
        browser.close()
        assert errors == [], errors     # no uncaught JavaScript errors


def test_pair_overview_matches_the_api(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function("document.querySelector('#pair-b [data-role=iv]').dataset.value !== undefined")
    vul = httpx.get(base_url + "/api/indicators/vulnerability", timeout=60).json()
    rows = {r["country"]: r for r in vul["rows"]}
    for card, code in (("#pair-a", "KOR"), ("#pair-b", "JPN")):
        assert page.text_content(f"{card} [data-role=country]") == code
        rank = page.locator(f"{card} [data-role=rank]")
        iv = page.locator(f"{card} [data-role=iv]")
        assert int(rank.get_attribute("data-value")) == rows[code]["rank"]
        assert float(iv.get_attribute("data-value")) == rows[code]["iv"]
        assert iv.text_content() == f"{rows[code]['iv']:.4f}"
        assert page.text_content(f"{card} [data-role=of]") == str(len(vul["rows"]))
    assert vul["provenance"]["vintage"] in page.text_content("#prov-pair-vul summary")

    comp = httpx.get(base_url + "/api/indicators/complementarity/KOR/JPN", timeout=60).json()
    page.wait_for_selector("#pair-ab table tbody tr")
    first = next(r for r in comp["rows"] if r["importer"] == "KOR" and r["partner"] == "JPN")
    assert page.text_content("#pair-ab tbody tr:first-child td[data-col=product]") == first["product"]
    assert page.text_content("#pair-ab-title") == "JPN covers KOR: top 10 items"

    exp = httpx.get(base_url + "/api/indicators/exposure?countries=KOR,JPN", timeout=60).json()
    page.wait_for_selector("#pair-exposure svg g[data-series]")
    assert page.locator("#pair-exposure g[data-series]").count() == 4
    kor = next(r for r in exp["rows"] if r["country"] == "KOR" and r["year"] == 2019)
    dot = page.locator("#pair-exposure g[data-series='KOR exports: USA'] circle[data-x='2019']")
    assert float(dot.get_attribute("data-y")) == pytest.approx(100 * kor["export_share_USA"], rel=1e-12)
    # the link to the full report follows the pair, and the page it opens is the report
    href = page.get_attribute("#pair-report", "href")
    assert href.startswith("/api/report/KOR/JPN") and "format=html" in href
    rep = httpx.get(base_url + href, timeout=120)
    assert rep.status_code == 200 and "South Korea ranks" in rep.text


def test_vulnerability_tab_draws_figure_1_from_the_api(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.click("#tabs button[data-tab=vulnerability]")
    page.wait_for_selector("#vs-chart svg g[data-series]")
    assert page.locator("#vs-chart g[data-series]").count() == 5       # KOR, JPN, CHN, USA, DEU
    d = httpx.get(base_url + "/api/indicators/vulnerability-series?source=wiod2013", timeout=60).json()
    kor = next(r for r in d["rows"] if r["country"] == "KOR" and r["year"] == 2011)
    dot = page.locator("#vs-chart g[data-series='KOR'] circle[data-x='2011']")
    assert float(dot.get_attribute("data-y")) == pytest.approx(kor["iv"], rel=1e-12)
    page.click("#tabs button[data-tab=pair]")


def test_api_error_is_shown_in_the_page(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#pair-form input[name=a]", "XXX")
    page.click("#pair-form button[type=submit]")
    box = page.locator("#tab-pair .panel:nth-of-type(2) .error")    # complementarity panel
    box.wait_for(state="visible")
    assert "404" in box.text_content() and "XXX" in box.text_content()
    page.fill("#pair-form input[name=a]", "KOR")
    page.click("#pair-form button[type=submit]")
    box.wait_for(state="hidden")


def test_scan_and_acknowledge_from_the_alerts_tab(page) -> None:  # type: ignore[no-untyped-def]
    page.click("#tabs button[data-tab=alerts]")
    assert page.is_visible("#tab-alerts") and not page.is_visible("#tab-pair")
    page.fill("#al-form input[name=as_of]", "2011-04")
    page.click("#al-scan")
    page.wait_for_selector("#al-table tbody tr")
    assert page.text_content("#al-note").startswith("scan japan_customs as of 2011-04: 20 items")
    row = page.locator("#al-table tbody tr").first
    aid = row.get_attribute("data-id")
    assert row.locator("td[data-col=status]").text_content() == "new"
    row.locator("button", has_text="ack").click()
    page.wait_for_function(
        f"document.querySelector(\"#al-table tr[data-id='{aid}'] td[data-col=status]\")"
        ".textContent === 'acknowledged'")
    assert page.text_content("#al-note") == f"alert {aid}: acknowledged"
