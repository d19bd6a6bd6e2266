"""Every adapter refuses binary garbage under a correctly named file with one clear line.

For each registered source and each kind of file it reads (one file per directory and suffix:
BACI's code table and its year files, an executive order's ``.md`` and its ``.csv``, …), the
file is replaced by 4 KiB of random bytes, the source's other files are kept, and
``econsec ingest SOURCE DIR`` runs on a fresh store: it must exit with status 1 and print one
``error:`` line naming the file (an :class:`~econsec.errors.InputError`), never a traceback, and
leave the store as it was. Before the fix BACI (``check_header``), the reciprocal-tariff orders
and the metals proclamation raised ``UnicodeDecodeError`` tracebacks.

The files are those of the mock data directory (``tests/fixtures/data``: the real layout and
formats, a few rows each): it needs no real data, but 42 ingests take about 20 s, so it is
marked slow.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.sources.registry import ADAPTERS, get
from econsec.store import Store
from tests.conftest import FIXTURES, snapshot

pytestmark = pytest.mark.slow

GARBAGE = bytes(np.random.default_rng(2025).integers(0, 256, 4096, dtype=np.uint8))


def _cases() -> list[tuple[str, str]]:
    """(source, file name) for one file per directory and suffix of every adapter."""
    data = FIXTURES / "data"
    out = []
    for name in ADAPTERS:
        kinds: dict[tuple[Path, str], Path] = {}
        for f in get(name).discover(data):
            kinds.setdefault((f.parent, f.suffix.lower()), f)
        out += [(name, str(f.relative_to(data))) for f in kinds.values()] or [(name, "")]
    return out


@pytest.mark.parametrize(("name", "target"), _cases(), ids=lambda v: Path(v).name or "none")
def test_garbage_file_is_one_line_error_and_store_unchanged(name: str, target: str,
                                                            mock_data_dir: Path,
                                                            tmp_path: Path) -> None:
    files = get(name).discover(mock_data_dir)
    assert target and files, f"no {name} files in {mock_data_dir}"
    src = tmp_path / "in"
    for f in files:  # the mock files, with the one under test replaced by garbage
        q = src / f.relative_to(mock_data_dir)
        q.parent.mkdir(parents=True, exist_ok=True)
        if str(f.relative_to(mock_data_dir)) == target:
            q.write_bytes(GARBAGE)
        else:
            q.symlink_to(f)
    db = tmp_path / "s.duckdb"
    Store(db).close()
    with Store(db, read_only=True) as s:
        before = snapshot(s)
    r = CliRunner().invoke(app, ["--db", str(db), "ingest", name, str(src)])
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)[:200]
    errors = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in r.output, r.output
    assert Path(target).name in errors[0] and "expected" in errors[0], errors[0]
    with Store(db, read_only=True) as s:
        assert snapshot(s) == before
