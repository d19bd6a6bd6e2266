"""Every setting is documented in the README (datasette's rule), and resolution order holds."""

from __future__ import annotations

from pathlib import Path

from econsec.settings import SETTINGS, Config

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_every_setting_documented() -> None:
    for s in SETTINGS:
        row = next((line for line in README.splitlines() if line.startswith(f"| {s.name} |")), None)
        assert row is not None, f"setting {s.name} missing from README"
        assert f"`{s.env}`" in row and s.help in row


def test_resolution_order(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ECONSEC_DB", str(tmp_path / "env.duckdb"))
    monkeypatch.setenv("ECONSEC_DATA_DIR", str(tmp_path))
    assert Config.resolve().db == tmp_path / "env.duckdb"
    assert Config.resolve(db=tmp_path / "arg.duckdb").db == tmp_path / "arg.duckdb"
    assert Config.resolve().data_dir == tmp_path.resolve()
    monkeypatch.delenv("ECONSEC_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert Config.resolve().db == tmp_path / "xdg" / "econsec" / "econsec.duckdb"


def test_every_source_documented() -> None:
    from econsec.sources.registry import ADAPTERS

    doc = (Path(__file__).parents[1] / "docs" / "sources.md").read_text()
    for name in ADAPTERS:
        assert f"| `{name}` |" in doc, f"source {name} missing from docs/sources.md"
