"""Services and CLI (in process) for `econsec io` and `econsec decoupling` on WIOD 2011."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from econsec.analytics.decoupling import DecouplingError
from econsec.analytics.io import MRIO
from econsec.cli.main import app
from econsec.errors import OptionError
from econsec.services import decoupling as dsvc
from econsec.services import io as iosvc
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow  # reads the real data directory

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("wiod") / "econsec.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "wiod2013", wiod_years=(2011,))
    yield path


def _cli(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", str(db), *args])


def test_io_services_equal_the_analytics(db: Path) -> None:
    with Store(db, read_only=True) as s:
        m = MRIO.from_store(s, 2011)
        a = iosvc.shock(s, country="CHN", sector="c14", cut=0.1, model="leontief")
        va = iosvc.va_trade(s)
    b = m.supply_shock([("CHN", "c14")], cut=0.1, model="leontief")
    assert a.frame["loss"].equals(b.frame["loss"])
    assert va.frame.loc["KOR", "exports"] == m.value_added_in_trade().frame.loc["KOR", "exports"]


def test_cli_io_shock_and_multipliers(db: Path, tmp_path: Path) -> None:
    r = _cli(db, "--json", "io", "shock", "--country", "CHN", "--sector", "c14", "--cut", "0.1")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["provenance"]["parameters"]["model"] == "ghosh" and doc["provenance"]["year"] == 2011
    reg = {row["region"]: row for row in doc["tables"]["by_region"]}
    assert reg["CHN"]["loss"] > reg["KOR"]["loss"] > 0
    out = tmp_path / "m.csv"
    r = _cli(db, "io", "multipliers", "--format", "csv", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_text().count("\n") > 41 * 35
    r = _cli(db, "io", "shock", "--country", "XXX", "--sector", "c14")
    assert r.exit_code == 1 and "error" in r.output
    assert _cli(db, "io", "shock", "--country", "CHN", "--sector", "c14", "--model", "x").exit_code == 2


def test_cli_decoupling_list_run_and_chart(db: Path, tmp_path: Path) -> None:
    r = _cli(db, "--json", "decoupling", "list")
    assert r.exit_code == 0 and [x["name"] for x in json.loads(r.stdout)] == list(dsvc.PRESETS)
    png = tmp_path / "fig2.png"
    r = _cli(db, "--json", "decoupling", "run", "all", "--chart", str(png))
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    rows = {x["country"]: x for x in doc["rows"]}
    assert rows["KOR"]["us-eu-china-attach"] == pytest.approx(-1.803, abs=5e-3)  # docs table
    assert doc["provenance"]["converged"] and png.read_bytes()[:4] == b"\x89PNG"
    r = _cli(db, "--json", "decoupling", "run", "us-china", "--barrier", "0")
    assert max(abs(v) for x in json.loads(r.stdout)["rows"] for k, v in x.items() if k == "us-china") < 1e-9


def test_scenario_file_and_its_errors(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "narrow.toml"
    f.write_text('barrier = 0.3\nattachment = true\nsectors = ["c14"]\n[hubs]\nUS = ["USA"]\nChina = ["CHN"]\n')
    spec = dsvc.resolve(str(f))
    assert spec.name == "narrow" and spec.sectors == ("c14",) and spec.barrier == 0.3
    r = _cli(db, "--json", "decoupling", "run", str(f), "--focus", "KOR")
    assert r.exit_code == 0 and json.loads(r.stdout)["rows"][0]["narrow"] < 0
    bad = tmp_path / "bad.toml"
    bad.write_text('barrier = "high"\n[hubs]\nUS = ["USA"]\nChina = ["CHN"]\n')
    r = _cli(db, "decoupling", "run", str(bad))
    assert r.exit_code == 1 and "barrier must be a number" in r.output
    with pytest.raises(DecouplingError, match="not valid TOML"):
        (tmp_path / "x.toml").write_text("hubs = [")
        dsvc.resolve(str(tmp_path / "x.toml"))
    assert _cli(db, "decoupling", "run", "nope").exit_code == 1


def test_decoupling_with_deficits_removed_first(db: Path) -> None:
    """The service equals the pipeline done with the model: balanced calibration (DEK 2008),
    then the six presets on it; attachment is measured on the balanced flows."""
    from econsec.analytics.decoupling import PRESETS, run
    from econsec.analytics.models.multisector import MultiSectorModel, load_wiod

    with Store(db, read_only=True) as s:
        got = dsvc.run_all(s, deficits="removed")
        cal = load_wiod(s, 2011)
    bal = MultiSectorModel(cal, intermediates="io").balanced_calibration()
    want = run(bal, list(PRESETS.values()))
    np.testing.assert_allclose(got.table().to_numpy(), want.table().to_numpy(), rtol=1e-10)
    assert got.provenance()["deficits"].startswith("removed first") and got.converged
    # docs/decoupling.md: useu-china-attach Taiwan −2.60, Korea −1.89, China −1.20 (the three
    # largest losses); us-eu-china-attach Korea −1.55; Japan −0.21 and −0.36
    t = got.table().drop(index=["mean", "world"])
    worst = t["useu-china-attach"].sort_values().head(3).round(2)
    assert list(worst.items()) == [("TWN", -2.6), ("KOR", -1.89), ("CHN", -1.2)]
    assert round(t.loc["KOR", "us-eu-china-attach"], 2) == -1.55
    assert [round(t.loc["JPN", c], 2) for c in ("useu-china-attach", "us-eu-china-attach")] == [-0.21, -0.36]
    with Store(db, read_only=True) as s, \
            pytest.raises(OptionError, match="deficits: expected one of 'fixed', 'removed'; got 'zero'"):
        dsvc.run_all(s, deficits="zero")


def test_focus_outside_the_model_is_an_error_and_case_is_free(db: Path) -> None:
    # Issue 11: `decoupling run … --focus …,VNM` failed with `Error: "['VNM'] not in index"`,
    # and lowercase codes gave an empty table. WIOD 2013 has 40 economies and ROW: Vietnam is
    # inside ROW (WIOD country list, wiod2013_countries.csv), so it must be refused by name.
    r = _cli(db, "decoupling", "run", "us-china", "--focus", "KOR,JPN,VNM")
    assert r.exit_code == 1
    line = " ".join(r.output.split())
    assert line.startswith("error: VNM is not a region of the wiod2013 2011 model")
    assert "inside ROW" in line and "KOR" in line and "TWN" in line and "not in index" not in line
    r = _cli(db, "--json", "decoupling", "run", "us-china", "--focus", "kor,jpn")
    assert r.exit_code == 0, r.output
    assert [x["country"] for x in json.loads(r.stdout)["rows"]] == ["KOR", "JPN", "mean", "world"]
