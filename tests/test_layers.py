"""The data-access boundary (docs/architecture.md, "Data access").

SQL lives in ``econsec.store`` (the named queries in ``econsec.store.queries``, ingest and
migrations) and in the analytics ``data.py`` loaders that build panels in DuckDB. Services
orchestrate, interfaces translate: neither holds SQL text. Only the store imports ``duckdb``.
These tests read the source files (no import, no store), so they run in milliseconds and name
each offending file and line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "econsec"

#: Layers that must hold no SQL: services orchestrate (load → compute → persist → notify) with
#: the store's named queries; interfaces and presentation translate.
NO_SQL = ("services", "cli", "api", "present", "session.py")

#: Analytics modules that still query the store outside a ``data.py`` loader (issue 12: move
#: their queries to ``econsec.store.queries`` or the package's ``data.py``). Do not add to it.
ANALYTICS_LEGACY_SQL: frozenset[str] = frozenset()  # every analytics query now lives in a data.py loader

# SQL as econsec writes it: upper-case keywords followed by what makes them a statement. Plain
# English ("SELECT on the store", "update the watchlist") does not match.
SQL = re.compile(r"""
    \bSELECT\b[\s\S]*?\bFROM\b
  | \bSELECT\s+(?:\*|DISTINCT\b|\d+\b)
  | \bINSERT\s+INTO\b
  | \bUPDATE\s+"?\w+"?\s+SET\b
  | \bDELETE\s+FROM\b
  | \bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:TABLE|VIEW|INDEX|SEQUENCE|SCHEMA|MACRO)\b
  | \bDROP\s+(?:TABLE|VIEW|INDEX|SEQUENCE|SCHEMA|MACRO)\b
  | \bALTER\s+TABLE\b
""", re.VERBOSE)

#: A message that shows the user an ``econsec sql "..."`` command is help text, not a query.
HINT = "econsec sql"

#: Calls that run SQL on a DuckDB connection or relation.
RUNS_SQL = frozenset({"execute", "executemany", "sql"})


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _literal(node: ast.AST) -> str | None:
    """The text of a string literal; an f-string's fields become ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
                       for v in node.values)
    return None


def sql_in(source: str, *, calls: bool = True) -> list[tuple[int, str]]:
    """(line, first line of the literal) of every string literal in ``source`` that is SQL
    (docstrings and ``econsec sql`` hints aside) and, with ``calls``, of every
    ``.execute(...)``/``.sql(...)`` call."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    inner = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    found = set()
    for node in ast.walk(tree):
        if calls and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in RUNS_SQL:
            found.add((node.lineno, f".{node.func.attr}(...)"))
            continue
        if id(node) in skip or id(node) in inner:
            continue
        text = _literal(node)
        if text is not None and HINT not in text and SQL.search(text):
            found.add((node.lineno, text.strip().splitlines()[0][:70]))
    return sorted(found)


def _files(*parts: str) -> list[Path]:
    out: list[Path] = []
    for p in parts:
        path = SRC / p
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def _where(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def test_no_sql_in_services_interfaces_or_presentation() -> None:
    bad = [f"src/econsec/{_where(f)}:{line}: {what}"
           for f in _files(*NO_SQL) for line, what in sql_in(f.read_text(encoding="utf-8"))]
    assert not bad, ("SQL outside the data layer; add a named query to econsec.store.queries "
                     "and call it:\n" + "\n".join(bad))


def test_analytics_kernels_hold_no_new_sql() -> None:
    """Analytics may load data only in a ``data.py`` module (or a legacy module being moved)."""
    bad = [f"src/econsec/{_where(f)}:{line}: {what}"
           for f in _files("analytics") if f.name != "data.py"
           and _where(f) not in ANALYTICS_LEGACY_SQL
           for line, what in sql_in(f.read_text(encoding="utf-8"))]
    assert not bad, ("SQL in an analytics kernel; queries go to econsec.store.queries or the "
                     "package's data.py:\n" + "\n".join(bad))


def _duckdb_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                 else [])
        if any(n == "duckdb" or n.startswith("duckdb.") for n in names):
            lines.append(node.lineno)
    return lines


def test_only_the_store_imports_duckdb() -> None:
    """Function-level imports included (import-linter's contract sees module imports too)."""
    bad = [f"src/econsec/{_where(f)}:{line}" for f in _files(".")
           if not _where(f).startswith("store/") for line in _duckdb_imports(f)]
    assert not bad, "duckdb imported outside econsec.store:\n" + "\n".join(bad)


@pytest.mark.parametrize(("code", "hits"), [
    ('x = "SELECT a, b FROM t WHERE c = ?"', 1),
    ('x = f"SELECT {cols} FROM {table}"', 1),                      # built with an f-string
    ('x = ("SELECT count(*) AS n "\n     "FROM ews_alerts")', 1),   # implicit concatenation
    ('x = """\nWITH r AS (SELECT 1)\nSELECT * FROM r"""', 1),
    ('x = "DELETE FROM ews_watchlist WHERE importer = ?"', 1),
    ('x = "UPDATE ews_alerts SET status = ?"', 1),
    ('x = "INSERT INTO t VALUES (?)"', 1),
    ('x = "CREATE TEMP TABLE _t AS SELECT 1"', 1),
    ('x = "DROP TABLE _t"', 1),
    ("con.execute(query)", 1),                                       # SQL held in a variable
    ('x = "SELECT on the store"', 0),                                # English
    ('x = "update the watchlist from the screens"', 0),
    ('x = "list them with `econsec sql \\"SELECT iso3 FROM countries\\"`"', 0),  # a hint
    ('def f():\n    """Runs SELECT x FROM t for you."""', 0),       # a docstring
])
def test_the_detector(code: str, hits: int) -> None:
    """The scan finds SQL however it is written, and leaves prose alone."""
    assert len(sql_in(code)) == hits


@pytest.mark.parametrize("module", ["ews", "lng", "reference", "catalog"])
def test_the_detector_sees_the_real_queries(module: str) -> None:
    """On the store's own query modules it finds every statement (else the tests above would
    pass with a detector that finds nothing). Counted apart: string literals that open with a
    statement keyword."""
    text = (SRC / "store" / "queries" / f"{module}.py").read_text(encoding="utf-8")
    opening = re.findall(r"""(?:\"\"\"|"|')\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|WITH)\b""", text)
    assert opening
    assert len(sql_in(text, calls=False)) == len(opening)
