"""A user's own SQL (``econsec sql``, ``Session.sql``) runs in a sandbox: the store's tables and
views only. No file or URL access, no COPY, no extensions, no ATTACH, no settings, no writes —
each refused with one line naming what is not allowed, and nothing written anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.errors import ReadOnlyError, StoreError
from econsec.services.catalog import run_sql
from econsec.session import Session
from econsec.settings import Config
from econsec.store import Store

runner = CliRunner()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A migrated store with one hand-made table ``hand(x)`` holding 1, 2 and 40."""
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.con.execute("CREATE TABLE hand AS SELECT * FROM (VALUES (1), (2), (40)) t(x)")
    return path


@pytest.fixture()
def secret(tmp_path: Path) -> Path:
    """A file outside the store that user SQL must not be able to read."""
    f = tmp_path / "secret.csv"
    f.write_text("a,b\n1,2\n")
    return f


def refused(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Statement → (what the refusal names, a path that must not appear)."""
    out = tmp_path / "out.csv"
    other = tmp_path / "other.duckdb"
    return {
        "passwd": ("SELECT * FROM read_csv('/etc/passwd')", "files"),
        "secret": (f"SELECT * FROM read_csv('{tmp_path / 'secret.csv'}')", "files"),
        "replacement scan": (f"SELECT * FROM '{tmp_path / 'secret.csv'}'", "files"),
        "read_text": (f"SELECT * FROM read_text('{tmp_path / 'secret.csv'}')", "files"),
        "url": ("SELECT * FROM read_csv('https://example.com/x.csv')", "URLs"),
        "copy": (f"COPY (SELECT 1) TO '{out}'", "files"),
        "export": (f"EXPORT DATABASE '{tmp_path / 'export'}'", "files"),
        "install": ("INSTALL httpfs", "installing extensions"),
        "load": ("LOAD httpfs", "loading extensions"),
        "attach": (f"ATTACH '{other}' AS other", "attaching databases"),
        "set": ("SET enable_external_access = true", "changing settings"),
        "reset": ("RESET enable_external_access", "changing settings"),
        "unlock": ("SET lock_configuration = false", "changing settings"),
        "pragma": ("PRAGMA enable_profiling", "changing settings"),
        "create": ("CREATE TABLE t (x INTEGER)", "changing the store"),
        "insert": ("INSERT INTO hand VALUES (3)", "changing the store"),
        "delete": ("DELETE FROM hand", "changing the store"),
    }


CASES = ["passwd", "secret", "replacement scan", "read_text", "url", "copy", "export", "install",
         "load", "attach", "set", "reset", "unlock", "pragma", "create", "insert", "delete"]


def untouched(db: Path, tmp_path: Path) -> None:
    """Nothing was written: no output file, no attached database, ``hand`` as made."""
    assert not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "other.duckdb").exists()
    assert not (tmp_path / "export").exists()
    with Store(db, read_only=True) as s:
        assert s.con.execute("SELECT list(x ORDER BY x) FROM hand").fetchone()[0] == [1, 2, 40]
        assert s.con.execute("SELECT count(*) FROM information_schema.tables "
                             "WHERE table_name = 't'").fetchone()[0] == 0


@pytest.mark.parametrize("case", CASES)
def test_store_sandbox_refuses(db: Path, secret: Path, tmp_path: Path, case: str) -> None:
    sql, what = refused(tmp_path)[case]
    with Store(db, sandbox=True) as s, pytest.raises(ReadOnlyError) as err:
        s.df(sql)
    msg = str(err.value)
    assert "not allowed in user SQL" in msg and what in msg and "\n" not in msg
    untouched(db, tmp_path)


def test_sandbox_reads_the_store(db: Path) -> None:
    with Store(db, sandbox=True) as s:
        assert s.read_only
        # 1 + 2 + 40, the rows the fixture wrote by hand; parameters work as in Store.df
        assert s.df("SELECT sum(x) AS n FROM hand WHERE x > ?", [0])["n"].iloc[0] == 43
        # a view over the reference tables, and the built-in json functions, still work
        assert s.df("SELECT iso3 FROM country_catalog WHERE iso3 = 'KOR'")["iso3"].tolist() == ["KOR"]
        assert s.df("""SELECT json_extract_string('{"a": "b"}', '$.a') AS v""")["v"].iloc[0] == "b"


def test_sandbox_needs_a_file() -> None:
    with pytest.raises(StoreError, match="in-memory"):
        Store(":memory:", sandbox=True)


def test_run_sql_is_sandboxed(db: Path, secret: Path, tmp_path: Path) -> None:
    config = Config.resolve(db=db, data_dir=tmp_path)
    assert run_sql(config, "SELECT max(x) AS m FROM hand")["m"].iloc[0] == 40
    with pytest.raises(ReadOnlyError, match="files"):
        run_sql(config, f"SELECT * FROM read_csv('{secret}')")


@pytest.mark.parametrize("case", CASES)
def test_cli_sql_refuses(db: Path, secret: Path, tmp_path: Path, case: str) -> None:
    sql, what = refused(tmp_path)[case]
    r = runner.invoke(app, ["--db", str(db), "sql", sql])
    assert r.exit_code == 1
    msg = " ".join(r.stderr.split())
    assert msg.startswith("error: not allowed in user SQL") and what in msg
    untouched(db, tmp_path)


def test_cli_sql_select(db: Path) -> None:
    r = runner.invoke(app, ["--db", str(db), "--json", "sql", "SELECT sum(x) AS n FROM hand"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [{"n": 43}]  # 1 + 2 + 40 (fixture)


def test_session_sql_is_sandboxed(db: Path, secret: Path, tmp_path: Path) -> None:
    # A read-write session: its own connection may write, its sql() may not.
    with Session(db, tmp_path) as es:
        assert len(es.sources()) == 0  # the session's store is open read-write
        for case in ("secret", "copy", "insert", "set", "attach", "install"):
            sql, what = refused(tmp_path)[case]
            with pytest.raises(ReadOnlyError, match=what):
                es.sql(sql)
        assert es.sql("SELECT sum(x) AS n FROM hand WHERE x < ?", [40])["n"].iloc[0] == 3  # 1 + 2
        assert not es.store.read_only  # the session's own connection is back, read-write
    untouched(db, tmp_path)
    with Session(db, tmp_path, read_only=True) as ro:
        with pytest.raises(ReadOnlyError, match="files"):
            ro.sql(f"SELECT * FROM read_csv('{secret}')")
        assert ro.sql("SELECT count(*) AS n FROM hand")["n"].iloc[0] == 3


def test_rest_api_takes_no_sql(db: Path, tmp_path: Path) -> None:
    from econsec.api.app import create_app

    schema = create_app(Config.resolve(db=db, data_dir=tmp_path)).openapi()
    assert len(schema["paths"]) > 10  # the API's routes, none of which names or takes SQL
    assert "sql" not in json.dumps(schema).lower()
