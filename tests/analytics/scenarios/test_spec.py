"""Scenario specs: validation errors name the field, TOML round trip, descriptions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.analytics.scenarios import (
    ScenarioSpecError,
    UnknownScenarioCodeError,
    list_presets,
    load_preset,
    load_spec,
    loads_spec,
    parse_spec,
)
from econsec.errors import InputError, UnknownCodeError

SRC = [{"id": "s1", "citation": "Test citation"}]


def spec(**measure: Any) -> dict[str, Any]:
    """A valid one-measure spec with ``measure`` overriding the defaults."""
    m = {"imposer": "USA", "targets": ["CHN"], "rate": 60, "source": "s1", **measure}
    return {"name": "t", "title": "T", "sources": SRC, "measures": [m]}


def error(data: dict[str, Any], file: str = "bad.toml") -> ScenarioSpecError:
    with pytest.raises(ScenarioSpecError) as e:
        parse_spec(data, file=file)
    return e.value


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_loads_and_round_trips(name: str) -> None:
    s = load_preset(name)
    assert s.name == name
    back = loads_spec(s.to_toml())
    assert back == s
    # Every measure and agreement cites at least one source of the file.
    ids = {x.id for x in s.sources}
    for m in (*s.measures, *s.retaliation.measures):
        assert m.source and set(m.source) <= ids
    for a in s.agreements:
        assert a.source and set(a.source) <= ids


def test_round_trip_of_every_field(tmp_path: Path) -> None:
    data = {
        "name": "all-fields", "title": "Every field", "description": 'Two\n"quoted" lines\\ here',
        "sources": [{"id": "a", "citation": "A", "url": "https://example.org"},
                    {"id": "b", "citation": "B ünïcode"}],
        "measures": [
            {"imposer": "USA", "targets": "ALL", "exclude": ["CAN", "EU27"], "rate": 10,
             "mode": "set", "effective": date(2025, 4, 5), "source": ["a", "b"], "note": "n"},
            {"imposer": "EU27", "targets": ["USA"], "rate": 12.5, "mode": "floor",
             "products": ["0101", "8703"], "sectors": ["c1", "manufacturing"], "source": "a"},
        ],
        "retaliation": {"mode": "custom", "measures": [
            {"imposer": "CHN", "targets": ["USA"], "rate": 34, "source": "b"}]},
        "agreements": [
            {"kind": "join", "group": "CPTPP", "members": ["KOR", "TWN"], "source": "a",
             "effective": "2030-01-01"},
            {"kind": "merge", "groups": ["CPTPP", "RCEP"], "source": "a"},
            {"kind": "area", "members": ["KOR", "JPN", "CHN"], "source": ["a", "b"]},
        ],
    }
    s = parse_spec(data, file="x.toml")
    f = tmp_path / "x.toml"
    f.write_text(s.to_toml(), encoding="utf-8")
    assert load_spec(f) == s
    assert s.measures[0].exclude == ("CAN", "EU27") and s.measures[0].all_targets
    assert s.measures[1].rate == 12.5 and s.agreements[0].effective == date(2030, 1, 1)


def test_describe_lists_each_measure_with_its_source() -> None:
    s = load_preset("canada-mexico-25-retaliation")
    text = s.describe()
    assert "1. USA on CAN: +25%; all products; in force from 2025-03-04" in text
    assert "2. USA on CAN: 10% (replaces earlier measures on the pair); HS 27, 3104" in text
    assert "3. USA on MEX: +25%" in text
    # each measure's citation follows it
    assert text.count("source [eo14193]: Executive Order 14193 of February 1, 2025") == 2
    assert "Retaliation: proportional" in text
    agreement = load_preset("korea-joins-cptpp").describe()
    assert "1. KOR join(s) CPTPP; no date (hypothetical)" in agreement
    assert "source [yonhap-2021-12-13]" in agreement


def test_retaliation_variant() -> None:
    base, ret = load_preset("china-60"), load_preset("china-60-retaliation")
    assert base.retaliation.mode == "none" and ret.retaliation.mode == "proportional"
    assert ret.measures == base.measures and ret.name == "china-60-retaliation"
    assert ret.with_retaliation("none") == base


@pytest.mark.parametrize(("data", "field", "expected"), [
    (spec(targets=["XYZ"]), "measures[0].targets[0]", "ISO3 code"),
    (spec(imposer="USX"), "measures[0].imposer", "ISO3 code"),
    (spec(targets=["EUN"]), "measures[0].targets[0]", "group EU27"),
    (spec(exclude=["ZZZ"]), "measures[0].exclude[0]", "ISO3 code"),
    (spec(sectors=["c36"]), "measures[0].sectors[0]", "WIOD 2013 industry"),
])
def test_unknown_codes_are_rejected(data: dict[str, Any], field: str, expected: str) -> None:
    e = error(data)
    assert isinstance(e, UnknownScenarioCodeError) and isinstance(e, UnknownCodeError)
    assert e.file == "bad.toml" and e.field == field and expected in e.expected
    assert str(e).startswith(f"bad.toml, field '{field}': expected")


@pytest.mark.parametrize(("data", "field", "expected", "got"), [
    (spec(rate=-5), "measures[0].rate", "between 0 and 1000", -5),
    (spec(rate="60"), "measures[0].rate", "a number", "60"),
    (spec(rate=True), "measures[0].rate", "a number", True),
    (spec(rate=float("nan")), "measures[0].rate", "between 0 and 1000", None),
    (spec(mode="multiply"), "measures[0].mode", "'add', 'set', 'floor'", "multiply"),
    (spec(targets="CHN"), "measures[0].targets", "a list of strings", "CHN"),
    (spec(targets=["ALL", "CHN"]), "measures[0].targets", "'ALL' alone", None),
    (spec(targets=["USA"]), "measures[0].targets", "other than the imposer", "USA"),
    (spec(targets=[]), "measures[0].targets", "at least one code", None),
    (spec(products=[8703]), "measures[0].products[0]", "quoted", 8703),
    (spec(products=["87a"]), "measures[0].products[0]", "2 to 10 digits", "87a"),
    (spec(effective="2025-13-01"), "measures[0].effective", "YYYY-MM-DD", "2025-13-01"),
    (spec(source="nope"), "measures[0].source", "[[sources]]", "nope"),
    (spec(source=["s1", "nope"]), "measures[0].source[1]", "[[sources]]", "nope"),
    (spec(rat=5), "measures[0].rat", "one of the keys", "rat"),
])
def test_bad_measures_name_the_field(data: dict[str, Any], field: str, expected: str,
                                     got: object) -> None:
    e = error(data)
    assert e.field == field and expected in e.expected
    if got is not None:
        assert e.got == got


def test_missing_fields_are_named() -> None:
    d = spec()
    del d["measures"][0]["rate"]
    e = error(d)
    assert e.field == "measures[0].rate" and "required" in e.expected
    d = spec()
    del d["sources"]
    assert error(d).field == "sources"
    d = spec()
    d["measures"] = []
    assert "at least one [[measures]] or [[agreements]]" in error(d).expected


@pytest.mark.parametrize(("patch", "field"), [
    ({"name": "China 60"}, "name"),
    ({"sources": [{"id": "s1", "citation": "A"}, {"id": "s1", "citation": "B"}]}, "sources"),
    ({"sources": [{"id": "s1"}]}, "sources[0].citation"),
    ({"retaliation": {"mode": "custom"}}, "retaliation.measures"),
    ({"retaliation": {"mode": "tit-for-tat"}}, "retaliation.mode"),
    ({"retaliation": "proportional"}, "retaliation"),
    ({"measures": {"imposer": "USA"}}, "measures"),
    ({"agreements": [{"kind": "join", "group": "CPTP", "members": ["KOR"], "source": "s1"}]},
     "agreements[0].group"),
    ({"agreements": [{"kind": "join", "members": ["KOR"], "source": "s1"}]}, "agreements[0].group"),
    ({"agreements": [{"kind": "merge", "groups": ["CPTPP"], "source": "s1"}]}, "agreements[0].groups"),
    ({"agreements": [{"kind": "merge", "groups": ["CPTPP", "KOR"], "source": "s1"}]},
     "agreements[0].groups"),
    ({"agreements": [{"kind": "area", "members": ["KOR", "QQQ"], "source": "s1"}]},
     "agreements[0].members[1]"),
])
def test_bad_top_level_fields(patch: dict[str, Any], field: str) -> None:
    assert error({**spec(), **patch}).field == field


def test_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\ntitle = \n', encoding="utf-8")
    with pytest.raises(ScenarioSpecError, match="valid TOML"):
        load_spec(bad)
    with pytest.raises(InputError, match="existing scenario file"):
        load_spec(tmp_path / "missing.toml")
    bad.write_text('name = "x"\ntitle = "X"\n[[sources]]\nid = "a"\ncitation = "A"\n'
                   '[[measures]]\nimposer = "USA"\ntargets = ["KOR"]\nrate = -1\nsource = "a"\n',
                   encoding="utf-8")
    with pytest.raises(ScenarioSpecError) as e:
        load_spec(bad)
    assert str(e.value).startswith(f"{bad}, field 'measures[0].rate': expected a percentage")


codes = st.sampled_from(["USA", "CHN", "KOR", "JPN", "EU27", "ASEAN", "MEX"])
measures = st.fixed_dictionaries({
    "imposer": st.sampled_from(["USA", "CAN"]),
    "targets": st.one_of(st.just("ALL"), st.lists(codes, min_size=1, max_size=3, unique=True)),
    "rate": st.one_of(st.integers(0, 300), st.floats(0, 1000, allow_nan=False)),
    "mode": st.sampled_from(["add", "set", "floor"]),
    "source": st.just("s1"),
}, optional={
    "products": st.lists(st.from_regex(r"\d{2,10}", fullmatch=True), max_size=3),
    "note": st.text(max_size=30),
    "effective": st.dates(date(2000, 1, 1), date(2100, 1, 1)),
})


@settings(max_examples=60, deadline=None)
@given(st.lists(measures, min_size=1, max_size=4), st.text(max_size=60),
       st.sampled_from(["none", "proportional"]))
def test_round_trip_invariant(ms: list[dict[str, Any]], description: str, mode: str) -> None:
    ms = [m for m in ms if m["imposer"] not in (m["targets"] if m["targets"] != "ALL" else [])]
    if not ms:
        return
    s = parse_spec({"name": "h", "title": "H", "description": description, "sources": SRC,
                    "measures": ms, "retaliation": {"mode": mode}})
    assert loads_spec(s.to_toml()) == s
