"""Scenario specifications: immutable dataclasses, TOML loading, validation and writing.

A scenario is data, not code. It says who imposes which additional ad-valorem duty on whom, on
which products (HS prefixes) or sectors (WIOD 2013 industries ``c1`` … ``c35`` or a named group),
from which date and on whose authority (every measure names a source), whether the targets
retaliate, and which trade agreements change. :mod:`econsec.analytics.scenarios.shocks` turns a
scenario into model inputs.

Rates
-----
``rate`` is an *additional* ad-valorem duty in percent, relative to the model's baseline (which
knows none of the scenario's measures). Measures apply in file order, pair by pair (and product
by product):

* ``add``   — the duty is added to what earlier measures of the scenario put on the pair;
* ``set``   — the duty replaces what earlier measures put on the pair (EO 14257's Annex I rates
  replace its 10 % baseline);
* ``floor`` — the pair's total duty is topped up to ``rate``: additional = max(rate − baseline
  duty, 0). This is the EU rule of the EO of 2025-07-31, Sec. 2(c) ("the sum of its Column 1 Duty
  Rate and the additional ad valorem rate of duty ... shall be 15 percent").

Targets are ISO3 codes, group codes of :func:`econsec.reference.country_groups` (EU27, ASEAN,
CPTPP, RCEP, …, expanded with the membership in force on the measure's date) or ``"ALL"`` (every
country but the imposer), less ``exclude`` ("ALL_EXCEPT"). Retaliation is ``none``,
``proportional`` (each targeted country levies the same measure on the imposer: the mirror
image) or ``custom`` (its own list of measures). Agreements change RTA membership: ``join``
(members join a group: each new member–member pair gets rta = 1), ``merge`` (every member of the
groups forms one area) or ``area`` (the listed members form one area).
"""

from __future__ import annotations

import json
import math
import re
import textwrap
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from econsec.errors import InputError, UnknownCodeError, check_choice
from econsec.reference import countries, country_groups

Mode = Literal["add", "set", "floor"]
RetaliationMode = Literal["none", "proportional", "custom"]
AgreementKind = Literal["join", "merge", "area"]

#: WIOD 2013 industries (NACE rev. 1; io/wiod_2013/wiod2013_industries.csv) and named groups.
WIOD_SECTORS: tuple[str, ...] = tuple(f"c{k}" for k in range(1, 36))
SECTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "agriculture": ("c1",),                                     # AtB
    "mining": ("c2",),                                          # C
    "manufacturing": tuple(f"c{k}" for k in range(3, 17)),      # 15t16 … 36t37
    "goods": tuple(f"c{k}" for k in range(1, 17)),              # AtB, C, manufacturing
    "services": tuple(f"c{k}" for k in range(17, 36)),          # E … P (utilities, construction, services)
}
ALL = "ALL"
MAX_RATE = 1000.0
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_HS = re.compile(r"\d{2,10}")


class ScenarioSpecError(InputError):
    """A scenario file or mapping that does not validate: names the file, the dotted field
    (``measures[2].rate``), what was expected and what was found."""


class UnknownScenarioCodeError(ScenarioSpecError, UnknownCodeError):
    """A country, group or sector code that econsec's reference tables do not know."""


@dataclass(frozen=True)
class Source:
    """A citation a measure can point to by ``id``."""

    id: str
    citation: str
    url: str = ""


@dataclass(frozen=True)
class TariffMeasure:
    """An additional ad-valorem duty (percent) that ``imposer`` levies on imports from ``targets``.

    Attributes
    ----------
    imposer : ISO3 or group code (a group's members each levy the duty).
    targets : ISO3 and group codes, or ``("ALL",)``: every country but the imposer.
    rate : percent ad valorem, 0 ≤ rate ≤ 1000; ``mode`` says how it combines (module docstring).
    source : ids of the scenario's ``[[sources]]`` that back the rate.
    exclude : codes taken out of ``targets`` (with ``ALL``: "all except").
    products : HS code prefixes (2–10 digits); empty = all products.
    sectors : WIOD 2013 industries or :data:`SECTOR_GROUPS` names; empty = all sectors.
    effective : date the duty applies from; None for proposals and hypotheticals.
    """

    imposer: str
    targets: tuple[str, ...]
    rate: float
    source: tuple[str, ...]
    mode: Mode = "add"
    exclude: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    effective: date | None = None
    note: str = ""

    @property
    def all_targets(self) -> bool:
        return self.targets == (ALL,)


@dataclass(frozen=True)
class Retaliation:
    """``none``, ``proportional`` (mirror of every measure) or ``custom`` (its own measures)."""

    mode: RetaliationMode = "none"
    measures: tuple[TariffMeasure, ...] = ()


@dataclass(frozen=True)
class AgreementChange:
    """A change of RTA membership, applied through the model's estimated RTA coefficient."""

    kind: AgreementKind
    source: tuple[str, ...]
    group: str = ""
    groups: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    effective: date | None = None
    note: str = ""


@dataclass(frozen=True)
class Scenario:
    """A validated, immutable scenario. Build it with :func:`load_spec` or :func:`parse_spec`."""

    name: str
    title: str
    description: str
    sources: tuple[Source, ...]
    measures: tuple[TariffMeasure, ...] = ()
    retaliation: Retaliation = Retaliation()
    agreements: tuple[AgreementChange, ...] = ()
    origin: str = field(default="", compare=False)

    def source(self, source_id: str) -> Source:
        return {s.id: s for s in self.sources}[source_id]

    def with_retaliation(self, mode: RetaliationMode = "proportional") -> Scenario:
        """The same measures with ``proportional`` (mirror) or no retaliation."""
        check_choice(mode, ("none", "proportional"), option="retaliation mode")  # not "custom"
        suffix = "-retaliation"
        base = self.name.removesuffix(suffix)
        return replace(self, name=base + (suffix if mode == "proportional" else ""),
                       title=self.title.removesuffix(" (with proportional retaliation)")
                       + (" (with proportional retaliation)" if mode == "proportional" else ""),
                       retaliation=Retaliation(mode))

    def to_toml(self) -> str:
        """TOML text that :func:`parse_spec` reads back to an equal scenario."""
        return _scenario_toml(self)

    def describe(self) -> str:
        """Plain text: each measure, the retaliation and the agreements, each with its source."""
        return _describe(self)


# -- validation ---------------------------------------------------------------------------------
@cache
def _country_codes() -> dict[str, str]:
    c = countries()
    return dict(zip(c["iso3"], c["kind"], strict=True))


@cache
def _group_codes() -> frozenset[str]:
    return frozenset(country_groups()["group_code"])


class _Checker:
    """Field-by-field validation that names the file and the dotted path of every error."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, expected: str, got: object = None) -> ScenarioSpecError:
        return ScenarioSpecError(self.file, expected, field=path, got=got)

    def table(self, value: object, path: str, allowed: Sequence[str],
              required: Sequence[str] = ()) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path or "<top>", "a table", value)
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise self.fail(f"{path}.{unknown[0]}" if path else unknown[0],
                            f"one of the keys {', '.join(allowed)}", unknown[0])
        for key in required:
            if key not in value:
                raise self.fail(f"{path}.{key}" if path else key, "this field (it is required)")
        return value

    def text(self, value: object, path: str, *, empty: bool = False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(path, "a non-empty string" if not empty else "a string", value)
        return value

    def strings(self, value: object, path: str) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise self.fail(path, "a list of strings", value)
        return tuple(self.text(v, f"{path}[{k}]") for k, v in enumerate(value))

    def literal(self, value: object, path: str, options: tuple[str, ...]) -> Any:
        if value not in options:
            raise self.fail(path, "one of " + ", ".join(repr(o) for o in options), value)
        return value

    def rate(self, value: object, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, "a number (percent ad valorem)", value)
        if not math.isfinite(value) or not 0 <= value <= MAX_RATE:
            raise self.fail(path, f"a percentage between 0 and {MAX_RATE:g}", value)
        return float(value)

    def day(self, value: object, path: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(path, "a date YYYY-MM-DD", value)

    def code(self, value: object, path: str, *, groups: bool = True, all_: bool = False) -> str:
        code = self.text(value, path)
        if (all_ and code == ALL) or (groups and code in _group_codes()):
            return code
        kind = _country_codes().get(code)
        if kind == "aggregate" and code != "ROW":
            raise UnknownScenarioCodeError(
                self.file, "a country's ISO3 code or a group code (an aggregate is not a country; "
                "for the European Union use the group EU27)", field=path, got=code)
        if kind is None:
            what = "an ISO3 code of econsec.reference.countries()"
            if groups:
                what += " or a group code (" + ", ".join(sorted(_group_codes())) + ")"
            raise UnknownScenarioCodeError(self.file, what, field=path, got=code)
        return code

    def codes(self, value: object, path: str, *, groups: bool = True, all_: bool = False,
              nonempty: bool = True) -> tuple[str, ...]:
        if all_ and value == ALL:
            return (ALL,)
        out = tuple(self.code(v, f"{path}[{k}]", groups=groups, all_=all_)
                    for k, v in enumerate(self.strings(value, path)))
        if nonempty and not out:
            raise self.fail(path, "at least one code", value)
        if ALL in out and len(out) > 1:
            raise self.fail(path, "'ALL' alone (exclude countries with the field 'exclude')", value)
        if len(set(out)) < len(out):
            raise self.fail(path, "codes without duplicates", value)
        return out

    def products(self, value: object, path: str) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise self.fail(path, "a list of HS code prefixes as strings", value)
        for k, v in enumerate(value):
            if not isinstance(v, str) or not _HS.fullmatch(v):
                raise self.fail(f"{path}[{k}]", "an HS code prefix of 2 to 10 digits, as a quoted "
                                "string (\"0101\", not 101)", v)
        return tuple(value)

    def sectors(self, value: object, path: str) -> tuple[str, ...]:
        out = self.strings(value, path)
        for k, s in enumerate(out):
            if s not in WIOD_SECTORS and s not in SECTOR_GROUPS:
                raise UnknownScenarioCodeError(
                    self.file, "a WIOD 2013 industry c1 … c35 or one of the sector groups "
                    + ", ".join(SECTOR_GROUPS), field=f"{path}[{k}]", got=s)
        return out

    def source_ref(self, value: object, path: str, ids: frozenset[str]) -> tuple[str, ...]:
        refs = (self.text(value, path),) if isinstance(value, str) else self.strings(value, path)
        for k, ref in enumerate(refs):
            if ref not in ids:
                where = path if isinstance(value, str) else f"{path}[{k}]"
                raise self.fail(where, "the id of an entry of [[sources]] ("
                                + ", ".join(sorted(ids)) + ")", ref)
        if not refs:
            raise self.fail(path, "one or more source ids", value)
        return refs


_MEASURE = ("imposer", "targets", "exclude", "rate", "mode", "products", "sectors", "effective",
            "source", "note")


def _measure(ck: _Checker, raw: object, path: str, ids: frozenset[str]) -> TariffMeasure:
    t = ck.table(raw, path, _MEASURE, ("imposer", "targets", "rate", "source"))
    m = TariffMeasure(
        imposer=ck.code(t["imposer"], f"{path}.imposer"),
        targets=ck.codes(t["targets"], f"{path}.targets", all_=True),
        rate=ck.rate(t["rate"], f"{path}.rate"),
        source=ck.source_ref(t["source"], f"{path}.source", ids),
        mode=ck.literal(t.get("mode", "add"), f"{path}.mode", get_args(Mode)),
        exclude=ck.codes(t.get("exclude", []), f"{path}.exclude", nonempty=False),
        products=ck.products(t.get("products", []), f"{path}.products"),
        sectors=ck.sectors(t.get("sectors", []), f"{path}.sectors"),
        effective=ck.day(t.get("effective"), f"{path}.effective"),
        note=ck.text(t.get("note", ""), f"{path}.note", empty=True),
    )
    if m.imposer in m.targets:
        raise ck.fail(f"{path}.targets", "countries other than the imposer", m.imposer)
    return m


def _agreement(ck: _Checker, raw: object, path: str, ids: frozenset[str]) -> AgreementChange:
    t = ck.table(raw, path, ("kind", "group", "groups", "members", "effective", "source", "note"),
                 ("kind", "source"))
    kind = ck.literal(t["kind"], f"{path}.kind", get_args(AgreementKind))
    need = {"join": ("group", "members"), "merge": ("groups",), "area": ("members",)}[kind]
    for key in ("group", "groups", "members"):
        if (key in t) != (key in need):
            raise ck.fail(f"{path}.{key}", f"for kind = {kind!r} the fields {', '.join(need)} "
                          "(and no other membership field)", t.get(key, "<missing>"))
    group = ""
    if kind == "join":
        group = ck.text(t["group"], f"{path}.group")
        if group not in _group_codes():
            raise UnknownScenarioCodeError(ck.file, "a group code (" + ", ".join(
                sorted(_group_codes())) + ")", field=f"{path}.group", got=group)
    groups: tuple[str, ...] = ()
    if kind == "merge":
        groups = ck.codes(t["groups"], f"{path}.groups")
        bad = [x for x in groups if x not in _group_codes()]
        if bad or len(groups) < 2:
            raise ck.fail(f"{path}.groups", "two or more group codes", t["groups"])
    members = ck.codes(t["members"], f"{path}.members") if "members" in t else ()
    if kind == "area" and len(members) < 2:
        raise ck.fail(f"{path}.members", "two or more members", t["members"])
    return AgreementChange(kind=kind, source=ck.source_ref(t["source"], f"{path}.source", ids),
                           group=group, groups=groups, members=members,
                           effective=ck.day(t.get("effective"), f"{path}.effective"),
                           note=ck.text(t.get("note", ""), f"{path}.note", empty=True))


def _list(ck: _Checker, value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ck.fail(path, "an array of tables ([[" + path + "]])", value)
    return value


def parse_spec(data: Mapping[str, Any], *, file: str | Path = "<scenario>") -> Scenario:
    """Validate a mapping (as read from TOML) into a :class:`Scenario`.

    Raises
    ------
    ScenarioSpecError
        naming ``file``, the dotted field (e.g. ``measures[2].rate``), what was expected and
        what was found; :class:`UnknownScenarioCodeError` for unknown country, group or sector codes.
    """
    ck = _Checker(str(file))
    top = ck.table(data, "", ("name", "title", "description", "sources", "measures",
                              "retaliation", "agreements"), ("name", "title", "sources"))
    name = ck.text(top["name"], "name")
    if not _NAME.fullmatch(name):
        raise ck.fail("name", "lower-case letters, digits and '-' (e.g. 'china-60')", name)
    sources = []
    for k, raw in enumerate(_list(ck, top["sources"], "sources")):
        t = ck.table(raw, f"sources[{k}]", ("id", "citation", "url"), ("id", "citation"))
        sources.append(Source(ck.text(t["id"], f"sources[{k}].id"),
                              ck.text(t["citation"], f"sources[{k}].citation"),
                              ck.text(t.get("url", ""), f"sources[{k}].url", empty=True)))
    ids = frozenset(s.id for s in sources)
    if not sources or len(ids) < len(sources):
        raise ck.fail("sources", "one or more [[sources]] with distinct ids", [s.id for s in sources])
    measures = tuple(_measure(ck, m, f"measures[{k}]", ids)
                     for k, m in enumerate(_list(ck, top.get("measures", []), "measures")))
    ret = ck.table(top.get("retaliation", {}), "retaliation", ("mode", "measures"))
    mode = ck.literal(ret.get("mode", "none"), "retaliation.mode", get_args(RetaliationMode))
    ret_measures = tuple(_measure(ck, m, f"retaliation.measures[{k}]", ids) for k, m in
                         enumerate(_list(ck, ret.get("measures", []), "retaliation.measures")))
    if (mode == "custom") != bool(ret_measures):
        raise ck.fail("retaliation.measures", "[[retaliation.measures]] when, and only when, "
                      "retaliation.mode = 'custom'", f"mode {mode!r}, {len(ret_measures)} measures")
    if mode == "proportional" and not measures:
        raise ck.fail("retaliation.mode", "'none' for a scenario without tariff measures", mode)
    agreements = tuple(_agreement(ck, a, f"agreements[{k}]", ids)
                       for k, a in enumerate(_list(ck, top.get("agreements", []), "agreements")))
    if not measures and not agreements:
        raise ck.fail("measures", "at least one [[measures]] or [[agreements]] entry")
    return Scenario(name=name, title=ck.text(top["title"], "title"),
                    description=ck.text(top.get("description", ""), "description", empty=True),
                    sources=tuple(sources), measures=measures,
                    retaliation=Retaliation(mode, ret_measures), agreements=agreements,
                    origin=str(file))


def load_spec(path: str | Path) -> Scenario:
    """Read and validate a scenario TOML file."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as e:
        raise ScenarioSpecError(path, "an existing scenario file (.toml)", got=str(path)) from e
    except tomllib.TOMLDecodeError as e:
        raise ScenarioSpecError(path, "valid TOML", got=str(e)) from e
    return parse_spec(data, file=path)


def loads_spec(text: str, *, file: str = "<string>") -> Scenario:
    """Validate scenario TOML given as text (e.g. the output of :meth:`Scenario.to_toml`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioSpecError(file, "valid TOML", got=str(e)) from e
    return parse_spec(data, file=file)


# -- text: TOML and description -----------------------------------------------------------------
def _toml_str(s: str) -> str:
    if "\n" not in s:
        return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")
    body = s.replace("\\", "\\\\").replace('"', '\\"')
    body = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", body)
    return '"""\n' + body + '"""'


def _toml_value(v: object) -> str:
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple):
        items = [_toml_value(x) for x in v]
        if len(items) <= 10:
            return "[" + ", ".join(items) + "]"
        rows = [", ".join(items[k:k + 10]) for k in range(0, len(items), 10)]
        return "[\n    " + ",\n    ".join(rows) + ",\n]"
    raise TypeError(f"no TOML form for {type(v).__name__}")


def _source_value(ids: tuple[str, ...]) -> str:
    return _toml_value(ids[0]) if len(ids) == 1 else _toml_value(ids)


def _cites(s: Scenario, ids: tuple[str, ...]) -> list[str]:
    return [f"     source [{i}]: {s.source(i).citation}" for i in ids]


def _measure_lines(m: TariffMeasure, header: str) -> list[str]:
    out = [header, f"imposer = {_toml_value(m.imposer)}",
           "targets = " + (_toml_value(ALL) if m.all_targets else _toml_value(m.targets))]
    if m.exclude:
        out.append(f"exclude = {_toml_value(m.exclude)}")
    out += [f"rate = {_toml_value(m.rate)}", f"mode = {_toml_value(m.mode)}"]
    out += [f"{k} = {_toml_value(getattr(m, k))}" for k in ("products", "sectors") if getattr(m, k)]
    if m.effective is not None:
        out.append(f"effective = {_toml_value(m.effective)}")
    out.append(f"source = {_source_value(m.source)}")
    if m.note:
        out.append(f"note = {_toml_value(m.note)}")
    return [*out, ""]


def _scenario_toml(s: Scenario) -> str:
    out = [f"name = {_toml_value(s.name)}", f"title = {_toml_value(s.title)}"]
    if s.description:
        out.append(f"description = {_toml_value(s.description)}")
    out.append("")
    for src in s.sources:
        out += ["[[sources]]", f"id = {_toml_value(src.id)}", f"citation = {_toml_value(src.citation)}"]
        out += [f"url = {_toml_value(src.url)}"] if src.url else []
        out.append("")
    for m in s.measures:
        out += _measure_lines(m, "[[measures]]")
    if s.retaliation.mode != "none":
        out += ["[retaliation]", f"mode = {_toml_value(s.retaliation.mode)}", ""]
        for m in s.retaliation.measures:
            out += _measure_lines(m, "[[retaliation.measures]]")
    for a in s.agreements:
        out += ["[[agreements]]", f"kind = {_toml_value(a.kind)}"]
        out += [f"group = {_toml_value(a.group)}"] if a.group else []
        out += [f"groups = {_toml_value(a.groups)}"] if a.groups else []
        out += [f"members = {_toml_value(a.members)}"] if a.members else []
        out += [f"effective = {_toml_value(a.effective)}"] if a.effective else []
        out.append(f"source = {_source_value(a.source)}")
        out += [f"note = {_toml_value(a.note)}"] if a.note else []
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _who(codes: tuple[str, ...], exclude: tuple[str, ...] = ()) -> str:
    text = "all partners" if codes == (ALL,) else ", ".join(codes)
    return text + (f" except {', '.join(exclude)}" if exclude else "")


def _measure_text(k: int, m: TariffMeasure, s: Scenario) -> list[str]:
    rate = {"add": f"+{m.rate:g}%", "set": f"{m.rate:g}% (replaces earlier measures on the pair)",
            "floor": f"topped up to a total duty of {m.rate:g}%"}[m.mode]
    scope = ("HS " + ", ".join(m.products)) if m.products else "all products"
    if m.sectors:
        scope += "; sectors " + ", ".join(m.sectors)
    when = f"in force from {m.effective.isoformat()}" if m.effective else "no date (not enacted)"
    lines = [f"  {k}. {m.imposer} on {_who(m.targets, m.exclude)}: {rate}; {scope}; {when}",
             *_cites(s, m.source)]
    return lines + ([f"     note: {m.note}"] if m.note else [])


def _describe(s: Scenario) -> str:
    out = [f"{s.name}: {s.title}"]
    if s.description:
        out += [textwrap.fill(p, 100) for p in s.description.strip().split("\n\n")]
    if s.measures:
        out.append("Tariff measures (additional ad-valorem duty, percent; applied in order):")
        for k, m in enumerate(s.measures, 1):
            out += _measure_text(k, m, s)
    if s.measures:
        out.append("Retaliation: " + {
            "none": "none",
            "proportional": "proportional: each targeted country levies the same duty on the imposer",
            "custom": "custom:"}[s.retaliation.mode])
    for k, m in enumerate(s.retaliation.measures, 1):
        out += _measure_text(k, m, s)
    if s.agreements:
        out.append("Trade agreements (pairs that get rta = 1):")
    for k, a in enumerate(s.agreements, 1):
        what = {"join": f"{', '.join(a.members)} join(s) {a.group}",
                "merge": f"{' and '.join(a.groups)} merged into one area",
                "area": f"one area of {', '.join(a.members)}"}[a.kind]
        when = f"from {a.effective.isoformat()}" if a.effective else "no date (hypothetical)"
        out += [f"  {k}. {what}; {when}", *_cites(s, a.source)]
        out += [f"     note: {a.note}"] if a.note else []
    out.append("Sources:")
    out += [f"  [{x.id}] {x.citation}" + (f" <{x.url}>" if x.url else "") for x in s.sources]
    return "\n".join(out)


__all__ = ["ALL", "SECTOR_GROUPS", "WIOD_SECTORS", "AgreementChange", "AgreementKind", "Mode",
           "Retaliation", "RetaliationMode", "Scenario", "ScenarioSpecError", "Source",
           "TariffMeasure", "UnknownScenarioCodeError", "load_spec", "loads_spec", "parse_spec"]
