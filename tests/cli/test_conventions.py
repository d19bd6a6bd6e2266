"""Conventions every command follows (issue 11): --json before or after the command, help text
for every parameter and no ``<bool>`` after flags, one list convention, one rule for country
codes, pairs of two different economies, --format parquet needs --out, wide tables in pipes.

The commands run on the BACI fixture (tests/fixtures/baci, 7 flows of 2021), so the checks are
fast; refusals are asserted to happen before any data is read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.store import Store

runner = CliRunner()

#: Repeatable options whose values contain commas of their own syntax (EXP-IMP,EXP-IMP=VALUE).
COMMA_SYNTAX = {"--set", "--tariff"}


def commands(cmd: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group of the app, with its path (the root is ``()``)."""
    cmd = cmd or typer.main.get_command(app)
    yield path, cmd
    for name, sub in (getattr(cmd, "commands", None) or {}).items():
        yield from commands(sub, (*path, name))


def leaves() -> list[tuple[tuple[str, ...], Any]]:
    return [(p, c) for p, c in commands() if getattr(c, "commands", None) is None]


def run(db: Path, *argv: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *argv])


# -- help ----------------------------------------------------------------------------------------
def test_every_command_and_parameter_has_help() -> None:
    missing = [f"{' '.join(p) or 'econsec'}: {par.name}" for p, c in commands() for par in c.params
               if not (getattr(par, "help", None) or "").strip()]
    assert not missing, "parameters without help: " + ", ".join(missing)
    bare = [" ".join(p) for p, c in commands() if p and not (c.help or "").strip()]
    assert not bare, "commands without help: " + ", ".join(bare)


def test_help_shows_flags_without_a_type() -> None:
    for path, _ in commands():
        r = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0, (path, r.output)
        assert "<bool>" not in r.output, path
    r = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    line = next(x for x in r.output.splitlines() if "--json" in x)
    assert "<" not in line and "before or after the command" in line


# -- --json after the command ----------------------------------------------------------------------
def test_every_command_takes_json_after_it() -> None:
    lacking = [" ".join(p) for p, c in leaves() if not any("--json" in x.opts for x in c.params)]
    assert not lacking, lacking


def test_json_after_the_command_equals_json_before(db: Path) -> None:
    before = run(db, "--json", "sources")
    after = run(db, "sources", "--json")
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert json.loads(after.stdout)[0]["source"] == "baci"
    # a nested command, and an indicator command (rows: KOR's imports of 848620 and JPN's of
    # 854231 and 030617 in the fixture)
    assert json.loads(run(db, "ews", "watchlist", "list", "--json").stdout) == []
    doc = json.loads(run(db, "critical-items", "KOR", "--source", "baci", "--year", "2021",
                         "--min-coverage", "0", "--json").stdout)  # fixture: no benchmark
    assert {r["product"] for r in doc["rows"]} == {"848620"}


# -- list options ----------------------------------------------------------------------------------
def test_every_list_option_takes_commas_and_repeats() -> None:
    for path, cmd in commands():
        ctx = typer.Context(cmd)
        for par in cmd.params:
            if getattr(par, "multiple", False) and not set(par.opts) & COMMA_SYNTAX:
                got = par.process_value(ctx, ("kor,JPN", "CHN"))
                assert list(got) == ["kor", "JPN", "CHN"], (path, par.opts)
            if "comma-separated" in (par.help or "").lower() and not set(par.opts) & COMMA_SYNTAX:
                assert par.multiple or par.nargs == -1, (path, par.opts, "a comma list as one string")


def test_comma_and_repeated_lists_give_the_same_result(db: Path) -> None:
    base = ["critical-items", "BLOC", "--source", "baci", "--year", "2021", "--min-coverage", "0",
            "--json"]  # the fixture store has no independent totals
    comma = run(db, *base, "--bloc-members", "KOR,JPN")
    repeated = run(db, *base, "--bloc-members", "KOR", "--bloc-members", "jpn")
    assert comma.exit_code == 0, comma.output
    assert json.loads(comma.stdout)["rows"] == json.loads(repeated.stdout)["rows"]


# -- country codes ---------------------------------------------------------------------------------
def test_lower_case_codes_give_the_upper_case_result(db: Path) -> None:
    up = run(db, "complementarity", "KOR", "JPN", "--source", "baci", "--year", "2021", "--json")
    low = run(db, "complementarity", "kor", "jpn", "--source", "baci", "--year", "2021", "--json")
    assert low.exit_code == 0, low.output
    assert json.loads(low.stdout) == json.loads(up.stdout)


@pytest.mark.parametrize("argv", [
    ("exposure", "--country", "XYZ"),
    ("exposure", "--country", "KOR,xyz"),
    ("critical-items", "XYZ", "--source", "baci", "--year", "2021"),
    ("competitiveness", "--country", "XYZ", "--source", "baci", "--year", "2021"),
    ("io", "shock", "--country", "XYZ", "--sector", "c14"),
    ("lng", "us-balance", "XYZ"),
    ("scenario", "run", "china-60", "--focus", "KOR,XYZ"),
])
def test_unknown_codes_are_refused_by_name(db: Path, argv: tuple[str, ...]) -> None:
    r = run(db, *argv)
    assert r.exit_code == 1, r.output
    msg = " ".join(r.stderr.split())
    assert "unknown country code 'XYZ'" in msg and "`econsec countries`" in msg
    assert r.stdout == ""


@pytest.mark.parametrize("argv", [
    ("complementarity", "KOR", "KOR"),
    ("complementarity", "kor", "KOR", "--source", "baci", "--year", "2021"),
    ("semiconductors", "JPN", "jpn"),
    ("report", "KOR", "kor"),
    ("ews", "scan", "--pair", "JPN", "jpn"),
])
def test_pairs_of_the_same_economy_are_refused(db: Path, argv: tuple[str, ...]) -> None:
    r = run(db, *argv)
    assert r.exit_code == 1, r.output
    assert "a pair needs two different economies" in " ".join(r.stderr.split())
    assert "Traceback" not in r.output


@pytest.mark.parametrize("argv", [("lng", "optimize", "KOR", "kor"), ("lng", "disrupt", "KOR,KOR")])
def test_lng_buyers_given_twice_are_refused(db: Path, argv: tuple[str, ...]) -> None:
    r = run(db, *argv)
    assert r.exit_code == 1 and "KOR given more than once" in " ".join(r.stderr.split())


# -- output ----------------------------------------------------------------------------------------
def test_parquet_without_out_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    # no store at this path: the refusal comes before the store is opened
    r = runner.invoke(app, ["--db", str(tmp_path / "none.duckdb"), "vulnerability", "--format",
                            "parquet"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "parquet needs --out PATH" in " ".join(r.output.split())


def _piped(db: Path, *argv: str, env: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | env
    p = subprocess.run([sys.executable, "-m", "econsec.cli.main", "--db", str(db), *argv],
                       capture_output=True, text=True, env=env, check=True)
    return p.stdout


def test_piped_tables_are_not_wrapped_at_80_columns(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    Store(db).close()
    q = "SELECT repeat('x', 150) AS long_text, 'KOR' AS country"
    text = _piped(db, "sql", q, env={})
    rows = [line for line in text.splitlines() if "KOR" in line]
    assert len(rows) == 1 and "x" * 150 in rows[0]          # one line, value unbroken
    narrow = _piped(db, "sql", q, env={"COLUMNS": "100"})
    assert max(len(line) for line in narrow.splitlines()) <= 100  # COLUMNS still wins


def test_countries_lists_codes_and_groups(db: Path) -> None:
    """`econsec countries` is where the unknown-code errors send a user (no SQL needed)."""
    eu = json.loads(run(db, "countries", "--group", "eu27", "--json").stdout)
    # the 27 EU members since 1 February 2020 (Treaty of Lisbon membership list, by hand)
    want = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
            "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
            "SVN", "ESP", "SWE"}
    assert {r["iso3"] for r in eu} == want
    groups = {r["group_code"]: r["members"] for r in json.loads(
        run(db, "countries", "--group", "list", "--json").stdout)}
    assert groups["EU27"] == 27 and groups["G7"] == 7
    bad = run(db, "countries", "--group", "XX")
    assert bad.exit_code == 1 and "unknown group 'XX'" in bad.output and "EU27" in bad.output
    every = json.loads(run(db, "countries", "--json").stdout)
    assert {"KOR", "JPN", "TWN"} <= {r["iso3"] for r in every}
