"""Typed errors (issue 12): one hierarchy, one validator for options, statuses chosen by type.

* ``NotFoundError`` is not a ``KeyError``: a ``KeyError`` escaping econsec is a bug and the API
  answers it 500 (logged, JSON body), never 404 as if a country were missing.
* ``check_choice`` / ``check_range`` are the one check for ``Literal`` and numeric options; the
  message names the option, what it allows and what was given.
* σ of a scenario run is checked once (``RunOptions``): the CLI, the API and Python refuse σ ≤ 1
  with the same message before any data is read.

No real data: the API runs over an empty store in a temporary directory.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from econsec.analytics.scenarios import UnknownPresetError
from econsec.analytics.scenarios.options import RunOptions
from econsec.api import create_app
from econsec.api.responses import status_of
from econsec.cli.main import app
from econsec.errors import (
    ConflictError,
    EconsecError,
    InputError,
    NotFoundError,
    OptionError,
    ReadOnlyError,
    SourceNotFoundError,
    StoreError,
    check_choice,
    check_range,
    choice_error,
    choices,
)
from econsec.services.scenarios import run_scenario
from econsec.settings import Config
from econsec.store import Store

SRC = Path(__file__).parents[1] / "src" / "econsec"
Colour = Literal["red", "green"]


def test_check_choice_names_the_option_and_the_allowed_values() -> None:
    assert check_choice("red", Colour, option="--colour") == "red"
    with pytest.raises(OptionError, match=r"^--colour: expected one of 'red', 'green'; got 'blue'$"):
        check_choice("blue", Colour, option="--colour")
    with pytest.raises(ValueError):  # an OptionError is still a ValueError for older callers
        check_choice(None, Colour, option="--colour")
    assert str(choice_error("x", Colour, option="c")) == "c: expected one of 'red', 'green'; got 'x'"


def test_choices_read_literals_and_iterables() -> None:
    assert choices(Colour) == ("red", "green")
    assert choices(Colour | None) == ("red", "green")          # Optional[Literal]: None left out
    assert choices(Colour | Literal["green", "blue"]) == ("red", "green", "blue")
    assert choices({"A": 1, "B": 2}) == ("A", "B")                # a mapping: its keys
    assert choices(("x", "y", "x")) == ("x", "y")
    with pytest.raises(TypeError):
        choices(int)


@pytest.mark.parametrize("bad", [1, 0.5, -3, float("nan"), float("inf"), "5", True, None])
def test_check_range_refuses_out_of_range_and_non_numbers(bad: object) -> None:
    with pytest.raises(OptionError, match=r"^sigma: expected a number > 1; got "):
        check_range(bad, gt=1, option="sigma")  # type: ignore[arg-type]


def test_check_range_bounds() -> None:
    assert check_range(5, gt=1, option="sigma") == 5.0
    assert check_range(0, ge=0, le=1, option="cut") == 0.0
    with pytest.raises(OptionError, match=r"^cut: expected a number ≥ 0 and ≤ 1; got 1.5$"):
        check_range(1.5, ge=0, le=1, option="cut")


def test_the_hierarchy() -> None:
    assert not issubclass(NotFoundError, KeyError)
    assert issubclass(NotFoundError, EconsecError) and issubclass(SourceNotFoundError, NotFoundError)
    assert issubclass(UnknownPresetError, NotFoundError)
    assert issubclass(ReadOnlyError, ConflictError) and issubclass(ReadOnlyError, StoreError)
    assert issubclass(OptionError, ValueError)
    assert str(NotFoundError("no preset 'x'")) == "no preset 'x'"  # a sentence, not a quoted key
    with pytest.raises(NotFoundError):   # `except KeyError` no longer swallows a not-found
        try:
            raise NotFoundError("KOR is not in the panel")
        except KeyError:
            pytest.fail("a NotFoundError was caught as a KeyError")


@pytest.mark.parametrize(("error", "status"), [
    (NotFoundError("x"), 404), (SourceNotFoundError("x"), 404), (UnknownPresetError("x"), 404),
    (OptionError("x"), 422), (ConflictError("x"), 409), (ReadOnlyError("x"), 409),
    (StoreError("x"), 400), (InputError("f.csv", "a number"), 400), (EconsecError("x"), 400),
])
def test_status_follows_the_type(error: EconsecError, status: int) -> None:
    assert status_of(error) == status


def test_no_keyerror_means_not_found_in_the_source() -> None:
    """``raise KeyError`` nowhere; ``except KeyError`` only where a file format is parsed (a
    missing key in a JSON manifest, a missing zip member), never for a missing label."""
    allowed = {"lake/manifest.py", "sources/_read.py"}
    raised, caught = [], []
    for p in SRC.rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        rel = p.relative_to(SRC).as_posix()
        if re.search(r"raise KeyError\b", text):
            raised.append(rel)
        if re.search(r"except \(?[^:\n]*\bKeyError\b", text) and rel not in allowed:
            caught.append(rel)
    assert raised == [] and caught == []


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    config = Config.resolve(db=tmp_path / "econsec.duckdb", data_dir=tmp_path)
    with TestClient(create_app(config), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("bug", [KeyError("CHN"), RuntimeError("boom"), ZeroDivisionError()])
def test_a_bug_is_a_logged_500_with_a_json_body(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture,
                                               bug: Exception) -> None:
    # Before issue 12 a KeyError (here one that names a country) answered 404 "CHN", as if the
    # country were missing, and any other exception answered a plain-text 500.
    from econsec.api.routes import scenarios as route

    def broken() -> None:
        raise bug

    monkeypatch.setattr(route, "preset_catalog", broken)
    with caplog.at_level(logging.ERROR, logger="econsec.api"):
        r = client.get("/api/scenarios")
    name = type(bug).__name__
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/json")
    assert r.json() == {"error": f"internal error: {name}; see the server log"}
    logged = [x for x in caplog.records if x.name == "econsec.api"]
    assert len(logged) == 1 and logged[0].exc_info is not None and logged[0].exc_info[1] is bug
    assert logged[0].getMessage() == "GET /api/scenarios failed"


@pytest.mark.parametrize(("error", "status"), [
    (NotFoundError("no preset 'x'"), 404), (OptionError("model: expected one of 'ge'; got 'x'"), 422),
    (ConflictError("alert 3 is resolved"), 409), (EconsecError("no data"), 400),
])
def test_the_api_answers_each_error_type_with_its_status(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, error: EconsecError, status: int) -> None:
    from econsec.api.routes import scenarios as route

    def failing() -> None:
        raise error

    monkeypatch.setattr(route, "preset_catalog", failing)
    r = client.get("/api/scenarios")
    assert r.status_code == status and r.json() == {"error": str(error)}


SIGMA_1 = "sigma: expected a number > 1; got 1.0"


def test_sigma_is_checked_once_with_one_message(client: TestClient, tmp_path: Path) -> None:
    # Before issue 12, σ ≤ 1 was refused three ways: pydantic's "Input should be greater than 1"
    # (API), ScenarioRunError "sigma must be > 1" (service) and ValueError (gravity model).
    r = client.post("/api/scenarios/china-60/run", json={"sigma": 1})
    assert r.status_code == 422 and r.json() == {"error": SIGMA_1}
    # the CLI checks before it opens the store (this one does not exist)
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "none.duckdb"), "scenario", "run",
                                 "china-60", "--sigma", "1"])
    assert r.exit_code == 1 and r.output.strip() == f"error: {SIGMA_1}"
    assert not (tmp_path / "none.duckdb").exists()
    with Store(tmp_path / "other.duckdb") as s, pytest.raises(OptionError, match=f"^{SIGMA_1}$"):
        run_scenario(s, "china-60", sigma=1.0)
    with pytest.raises(OptionError, match=r"^sigma: expected a number > 1; got nan$"):
        RunOptions(sigma=float("nan"))


@pytest.mark.parametrize(("options", "message"), [
    ({"model": "cge"}, "model: expected one of 'ge', 'pe', 'both', 'all'; got 'cge'"),
    ({"deficits": "zero"}, "deficits: expected one of 'fixed', 'removed'; got 'zero'"),
    ({"draws": 1}, "draws: expected 0 (point estimates, no bands) or from 2 to 10,000"),
    ({"seed": -1}, "seed: expected a whole number ≥ 0; got -1"),
])
def test_run_options_refuse_each_bad_value_by_name(options: dict[str, object], message: str) -> None:
    with pytest.raises(OptionError, match="^" + re.escape(message)):
        RunOptions(**options)  # type: ignore[arg-type]
