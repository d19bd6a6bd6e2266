"""Store: migrations, atomic and idempotent ingest, per-source replacement, read-only access,
and a process killed mid-ingest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.errors import InputError, ReadOnlyError, StoreError
from econsec.sources._read import read_csv
from econsec.sources.baci import Baci
from econsec.sources.base import Parsed, Source
from econsec.store import Store, ingest
from econsec.store.migrations import MIGRATIONS
from tests.conftest import FIXTURES, snapshot

BACI_FIX = sorted((FIXTURES / "baci").glob("*.csv"))


class PriceFile(Source):
    """A minimal adapter (month,value CSV → prices) to test the store with a second source."""

    name = "test_prices"
    title = "test prices"
    producer = licence = url = "test"
    patterns = ("*.csv",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        frames, rows = [], {}
        for p in paths:
            df = read_csv(p, {"month": "str", "value": "float"})
            rows[str(p)] = len(df)
            frames.append(pd.DataFrame({"series": "X", "period": pd.to_datetime(df["month"]),
                                        "freq": "M", "value": df["value"].astype(float),
                                        "unit": "USD"}))
        return Parsed({"prices": pd.concat(frames)}, vintage=Path(paths[0]).stem, rows_read=rows)


def price_file(tmp_path: Path, name: str, body: str) -> Path:
    f = tmp_path / name
    f.write_text(body)
    return f


def test_migrations_create_schema_and_reference(store: Store) -> None:
    assert store.schema_version() == len(MIGRATIONS)
    # Reference tables: ISO countries plus econsec aggregates; the groups of issue #2.
    n = store.df("SELECT count(*) n FROM countries WHERE kind = 'country'")["n"].iloc[0]
    assert n >= 249
    groups = store.df("SELECT group_code, count(*) n FROM country_groups GROUP BY 1")
    sizes = dict(zip(groups.group_code, groups.n, strict=True))
    # EU27 27, OECD 38, G7 7, RCEP 15, IPEF 14; ASEAN 10 + Timor-Leste (2025); CPTPP 11 + UK (2024).
    assert sizes == {"EU27": 27, "OECD": 38, "G7": 7, "RCEP": 15, "IPEF": 14, "ASEAN": 11, "CPTPP": 12}
    assert store.migrate() == []  # reopening applies nothing


def test_country_catalog_view(store: Store) -> None:
    ingest(store, [(Baci(), BACI_FIX)])
    row = store.df("SELECT * FROM country_catalog WHERE iso3 = 'TWN'").iloc[0]
    assert row["baci_codes"] == "490" and row["iso_numeric"] == "158"
    kor = store.df("SELECT groups FROM country_catalog WHERE iso3 = 'KOR'")["groups"].iloc[0]
    assert kor.split(",") == ["IPEF", "OECD", "RCEP"]


def test_reopen_keeps_data(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        ingest(s, [(Baci(), BACI_FIX)])
        snap = snapshot(s)
    with Store(db) as s:
        assert snapshot(s) == snap


def test_one_failing_source_rolls_back_the_whole_call(tmp_path: Path, store: Store) -> None:
    before = snapshot(store)
    bad = price_file(tmp_path, "p.csv", "month,value\n2024-01-01,1.5\n2024-02-01,oops\n")
    with pytest.raises(InputError) as ei:
        ingest(store, [(Baci(), BACI_FIX), (PriceFile(), [bad])])
    assert (ei.value.row, ei.value.field) == (3, "value")
    assert snapshot(store) == before  # BACI, parsed and written first, was rolled back too


def test_new_vintage_replaces_only_that_source(tmp_path: Path, store: Store) -> None:
    ingest(store, [(Baci(), BACI_FIX)])
    baci_rows = snapshot(store)["trade_flows"]
    v1 = price_file(tmp_path, "v1.csv", "month,value\n2024-01-01,1\n2024-02-01,2\n2024-03-01,3\n")
    ingest(store, [(PriceFile(), [v1])])
    assert store.df("SELECT count(*) n FROM prices WHERE source='test_prices'")["n"].iloc[0] == 3
    v2 = price_file(tmp_path, "v2.csv", "month,value\n2024-01-01,10\n")
    out = ingest(store, [(PriceFile(), [v2])])
    assert out[0].status == "replaced"
    got = store.df("SELECT value FROM prices WHERE source='test_prices'")["value"].tolist()
    assert got == [10.0]
    assert snapshot(store)["trade_flows"] == baci_rows
    log = store.df("SELECT vintage, superseded_by FROM ingest_log WHERE source='test_prices' ORDER BY ingest_id")
    assert log["vintage"].tolist() == ["v1", "v2"]
    assert log["superseded_by"].isna().tolist() == [False, True]


def test_same_files_unchanged_and_force_rewrites(store: Store) -> None:
    ingest(store, [(Baci(), BACI_FIX)])
    snap = snapshot(store)
    assert ingest(store, [(Baci(), BACI_FIX)])[0].status == "unchanged"
    assert snapshot(store) == snap
    out = ingest(store, [(Baci(), BACI_FIX)], force=True)
    assert out[0].status == "replaced" and out[0].rows_written["trade_flows"] == 7
    assert snapshot(store)["trade_flows"] == snap["trade_flows"]


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        ingest(s, [(Baci(), BACI_FIX)])
    with Store(db, read_only=True) as ro:
        assert ro.df("SELECT count(*) n FROM trade_flows")["n"].iloc[0] == 7
        with pytest.raises(ReadOnlyError):
            ro.df("DELETE FROM trade_flows")
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def write_baci_year(path: Path, rows: int, seed: int = 0) -> None:
    """A BACI-format year file of random flows among the fixture's five countries."""
    rng = np.random.default_rng(seed)
    codes = np.array([156, 392, 410, 490, 842])
    df = pd.DataFrame({"t": 2021, "i": rng.choice(codes, rows), "j": rng.choice(codes, rows),
                       "k": rng.integers(10000, 970000, rows), "v": rng.random(rows).round(3),
                       "q": rng.random(rows).round(3)})
    df["k"] = df["k"].astype(str).str.zfill(6)
    df.to_csv(path, index=False)


@pytest.mark.slow
def test_killed_ingest_leaves_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        ingest(s, [(Baci(), BACI_FIX)])
        before = snapshot(s)
    big = tmp_path / "big"
    big.mkdir()
    (big / "country_codes_V202301.csv").write_bytes((FIXTURES / "baci" / "country_codes_V202301.csv").read_bytes())
    write_baci_year(big / "BACI_HS17_Y2021_V209901.csv", 4_000_000)
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from econsec.sources.baci import Baci
        from econsec.store import Store, ingest
        def progress(name, stage):
            print(stage, flush=True)
        files = sorted(Path({str(big)!r}).glob("*.csv"))
        with Store({str(db)!r}) as s:
            ingest(s, [(Baci(), files)], progress=progress)
        print("committed", flush=True)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                          cwd=Path(__file__).parents[2]) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:  # wait until the process writes into the open transaction
            if line.strip() == "writing":
                break
        time.sleep(0.2)
        assert proc.poll() is None, "ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as s:  # reopening replays the WAL: the uncommitted ingest is gone
        assert snapshot(s) == before
        out = ingest(s, [(Baci(), sorted(big.glob("*.csv")))])  # and the store still works
        assert out[0].rows_written["trade_flows"] == 4_000_000
