"""A small store from the hand-made BACI fixture (tests/fixtures/baci), shared by the CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with only the BACI fixture ingested through the CLI (one per test module)."""
    path = tmp_path_factory.mktemp("cli") / "s.duckdb"
    r = CliRunner().invoke(app, ["--db", str(path), "ingest", "baci", str(FIXTURES / "baci")])
    assert r.exit_code == 0, r.output
    return path
