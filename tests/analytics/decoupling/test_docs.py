"""Every number of the results table in docs/decoupling.md is recomputed here (2 decimals)."""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.analytics.decoupling import EU27_2011, DecouplingResults

pytestmark = pytest.mark.slow  # reads the real data directory

DOC = Path(__file__).resolve().parents[3] / "docs" / "decoupling.md"
ROWS = ["USA", "CHN", "EU27", "DEU", "GBR", "JPN", "KOR", "TWN", "IND", "mean", "world"]


def test_the_docs_table_is_reproduced(six: DecouplingResults) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- decoupling-table:start -->")[1].split("<!-- decoupling-table:end -->")[0]
    lines = [ln.strip().strip("|").split("|") for ln in block.strip().splitlines()]
    header = [c.strip() for c in lines[0]][1:]
    doc = {r[0].strip(): [c.strip() for c in r[1:]] for r in lines[2:]}
    t = six.table(["USA", "CHN", "DEU", "GBR", "JPN", "KOR", "TWN", "IND"], groups={"EU27": EU27_2011})
    assert header == list(six.runs) and list(doc) == ROWS
    for row in ROWS:
        assert doc[row] == [f"{v:.2f}" for v in t.loc[row, header]], row
