"""Trade-war tracker 2025–26: U.S. tariff lists, effective tariffs by partner and by day.

Producer: ``tradewartracker/trade-war-redux-2025`` @ ``726c5958`` (2026-07-23; MIT), built from
the Census API and official lists. This is a **secondary source: tracker construction, not
official**; the curator did not check its 2025–26 actions against official texts, and every
measure says so. Files read (under ``tariffs/us_tariff_tracker_2025_2026/``):

* ``country-by-time.csv`` (date, country_name, effective tariff, total imports, 2024 tariff):
  trade-weighted effective tariff (%) of 50 partners + EU at 23 dates → tariffs, classification
  ALL, target ISO3 from the upper-case name (``KOREA, SOUTH`` KOR, ``RUSSIA`` RUS, ``TURKEY``
  TUR; ``EUROPEAN UNION`` EUN, reported), ``end_date`` = day before the partner's next date. The
  constant ``2024 tariff`` (calculated duty / imports, %) is one row per partner for 2024.
  ``total imports`` (2024, USD) is not stored: the HS2 file below holds the same imports.
* ``daily-tariff-latest-data.csv``: national import-weighted average tariff (%) per day →
  tariffs, target NULL, ``effective_date`` = ``end_date`` = the day.
* ``us_hs2_imports_duty_tariff_by_partner.tidy.csv`` (226 partners × HS2, derived: the tracker's
  ``data-hs2/hs2-tariff-<CTY>.csv`` files concatenated): 2024 U.S. imports for consumption and
  calculated duty (USD) → trade_flows (importer USA, reporter USA, classification HS2,
  ``duty_usd``); ``2024_tariff`` (%) and ``2025_tariff_increase`` (percentage points at the
  snapshot, ``effective_date`` NULL) → tariffs. Census ``CTY_CODE`` → ISO3 through
  ``us_trade/census_imports_hs10_2024/CensusCountryMapping_FRBAtl_short.csv`` (in ``patterns``;
  found beside the data otherwise). Deliberate: ``0003`` European Union → EUN (an aggregate of
  member rows that are also present: do not add it to them); ``5082`` Gaza Strip and ``5083``
  West Bank → PSE (their trade_flows are summed; their tariff rows keep the printed names).
* ``tariff-lists/*.csv``: one HTS list per action (see ``LISTS``), each code → tariffs rows, one
  per rate phase (``end_date`` = last day of a phase); classification by code length (4 HS4, 6 HS6, 8 HTS8, 10 HTS10). Rates are
  those of the tracker README or, for the metals annexes, of the proclamation's clauses (2)–(5);
  exemption lists have ``rate_pct`` NULL and say "exempt" in ``rate_text``. **Dates are the
  tracker's** (its README table), which can differ from the legal dates: EO 14257 Annex II
  applied from 2025-04-05 (tracker 2025-04-11), the 50 % steel/aluminium rate from 2025-06-04
  (tracker 2025-06-03), copper from 2025-08-01 (tracker 2025-08-07). IEEPA-based lists end
  2026-02-19 (the tracker's IEEPA revocation of 2026-02-20). China's lists (imposer CHN, 8-digit
  Chinese tariff lines, leading zero restored, ``CN_TARIFF8``) apply from 2025-03-10, Canada's
  countermeasure lists (``CA_TARIFF8``) from 2025-03-04 and 2025-03-13; the C$125 bn list was
  proposed, not applied (dates NULL). ``reciprocal-tariffs-annex-I.csv`` holds the tracker's
  April-2025 country rates (China 104 incl. fentanyl; its CTY_CODE column has a typo '79f' for
  South Africa, so names are mapped, not codes).
* ``tariff-lists/proclamation_metals_tariffs_april2026.md`` → documents.

Left out: ``agust-7-tariffs.csv`` and ``clean-august-7-tariffs.csv`` (the Annex I of the EO of
2025-07-31, stored from the official text by ``reciprocal_2025``), ``tariff-summary-latest-
data.csv`` (an undated snapshot of the same country aggregates), ``eu-list.csv`` and
``top_50_non_eu.csv`` (code lists), and the BEA tables ``NIPA-imports.csv`` (NIPA table 4.1)
and ``federal-tax-duty.csv`` (table 3.5): annual macro series with no canonical table here.
"""

from __future__ import annotations

import re
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from econsec.errors import InputError
from econsec.sources._countries import names_to_iso3
from econsec.sources._read import fail_first, map_codes, read_csv, read_text, require_match
from econsec.sources.base import CodeMapping, Parsed, Source

DIR = "tariffs/us_tariff_tracker_2025_2026"
MAPPING = "us_trade/census_imports_hs10_2024/CensusCountryMapping_FRBAtl_short.csv"
TRACKER = " (tracker construction, not official)"
Phase = tuple[float | None, str, str | None, str | None]  # rate_pct, rate_text, from, to


@dataclass(frozen=True)
class ListSpec:
    """How to read one tariff list and what it means."""

    measure: str
    phases: tuple[Phase, ...]
    columns: tuple[str, ...] = ("HTSUS",)  # names; headerless files name their columns here
    header: bool = True
    imposer: str = "USA"
    target: str | None = None
    scheme: str = "US"  # US (HTS), CN or CA (8-digit national tariff lines)
    extra: str | None = None  # a column appended to rate_text (category)


EXEMPT = "exempt from "
IEEPA_END = "2026-02-19"
S232_END = "2026-04-05"  # steel, aluminium, copper lists superseded by the metals annexes
LISTS: dict[str, ListSpec] = {
    "steel-tariffs.csv": ListSpec("s232 steel (tracker list)", (
        (25.0, "25% (Proclamation 10896)", "2025-03-12", "2025-06-02"),
        (50.0, "50%, UK 25% (Proclamation 10947)", "2025-06-03", S232_END))),
    "alu-tariffs.csv": ListSpec("s232 aluminium (tracker list)", (
        (25.0, "25% (Proclamation 10895)", "2025-03-12", "2025-06-02"),
        (50.0, "50%, UK 25% (Proclamation 10947)", "2025-06-03", S232_END))),
    "auto-tariffs.csv": ListSpec("s232 autos and parts (tracker list)", (
        (25.0, "25%; deal rates for UK, JP, EU, KR (Proclamation 10908)", "2025-04-03", None),)),
    "copper-list.csv": ListSpec("s232 copper (tracker list)", (
        (50.0, "50% (Proclamation 10962)", "2025-08-07", S232_END),)),
    "metals-annex-IA.csv": ListSpec("s232 metals Annex I-A (proclamation of 2026-04-02)", (
        (50.0, "50%; UK 25%; US-metal derivatives 10%", "2026-04-06", None),)),
    "metals-annex-IB.csv": ListSpec("s232 metals Annex I-B (proclamation of 2026-04-02)", (
        (25.0, "25%; UK 15%; US-metal derivatives 10%", "2026-04-06", None),)),
    "metals-annex-II-removed.csv": ListSpec("s232 metals Annex II (proclamation of 2026-04-02)", (
        (None, "removed from s232 scope: no additional duty", "2026-04-06", None),)),
    "metals-annex-III-temporary.csv": ListSpec("s232 metals Annex III (proclamation of 2026-04-02)", (
        (None, "15% minus column 1 rate (0 if column 1 >= 15%); 10% rule for US metal; "
         "25% for non-NTR partners", "2026-04-06", "2027-12-31"),)),
    "annex-II-exemptions.csv": ListSpec("reciprocal tariff exemptions, EO 14257 Annex II (tracker list)", (
        (None, EXEMPT + "the reciprocal duty", "2025-04-11", IEEPA_END),)),
    "annex-II-exemptions-nov14.csv": ListSpec("reciprocal tariff exemptions, Annex II as of EO 14360 (tracker list)", (
        (None, EXEMPT + "the reciprocal duty", "2025-11-14", IEEPA_END),)),
    "consumer_electronics_EO14257_apr11.csv": ListSpec("reciprocal tariff exemptions, electronics of 2025-04-11 (tracker list)", (
        (None, EXEMPT + "the reciprocal duty", "2025-04-11", IEEPA_END),)),
    "brazil-airplane-exemptions.csv": ListSpec("Brazil +40% (EO 14323) exemptions, civil aircraft (tracker list)", (
        (None, EXEMPT + "the EO 14323 duty", "2025-08-07", IEEPA_END),), target="BRA"),
    "brazil-non-airplane-exemptions.csv": ListSpec("Brazil +40% (EO 14323) exemptions, other goods (tracker list)", (
        (None, EXEMPT + "the EO 14323 duty", "2025-08-07", IEEPA_END),), target="BRA"),
    "brazil-301-exemptions.csv": ListSpec("s301 Brazil exemptions (tracker list)", (
        (None, EXEMPT + "the s301 Brazil duty of 25%", "2026-07-22", None),),
        columns=("HTSUS", "category"), target="BRA", extra="category"),
    "section122-product-exemptions.csv": ListSpec("s122 surcharge exemptions, products (tracker list)", (
        (None, EXEMPT + "the 10% s122 surcharge", "2026-02-24", "2026-07-23"),), columns=("hts_code", "digits")),
    "section122-aircraft-exemptions.csv": ListSpec("s122 surcharge exemptions, civil aircraft (tracker list)", (
        (None, EXEMPT + "the 10% s122 surcharge", "2026-02-24", "2026-07-23"),), columns=("hts_code", "digits")),
    "section122-specific-exemptions.csv": ListSpec("s122 surcharge exemptions, specific goods (tracker list)", (
        (None, EXEMPT + "the 10% s122 surcharge", "2026-02-24", "2026-07-23"),), columns=("hts_code", "digits")),
    "canada-338-alcohol.csv": ListSpec("s338 Canada alcohol, heading 9903.03.12 (tracker list)", (
        (50.0, "50%", "2026-08-19", None),), columns=("HTSUS", "description"), target="CAN"),
    "canada-338-dairy.csv": ListSpec("s338 Canada dairy, heading 9903.03.13 (tracker list)", (
        (50.0, "50%", "2026-08-19", None),), columns=("HTSUS", "description"), target="CAN"),
    "canada-338-autos.csv": ListSpec("s338 Canada motor vehicles, heading 9903.03.14 (tracker list)", (
        (50.0, "50%", "2026-08-19", None),), columns=("HTSUS", "description"), target="CAN"),
    "canada-338-aircraft-exempt.csv": ListSpec("s338 Canada exemptions, civil aircraft, heading 9903.03.16 (tracker list)", (
        (None, EXEMPT + "the s338 Canada duties", "2026-08-19", None),),
        columns=("HTSUS", "category"), target="CAN", extra="category"),
    "china-10-percent-030425.csv": ListSpec("China retaliation 10% of 2025-03-04 (tracker list)", (
        (10.0, "10%", "2025-03-10", None),), columns=("no", "code", "description"), header=False,
        imposer="CHN", target="USA", scheme="CN"),
    "china-15-percent-030425.csv": ListSpec("China retaliation 15% of 2025-03-04 (tracker list)", (
        (15.0, "15%", "2025-03-10", None),), columns=("no", "code", "description"), header=False,
        imposer="CHN", target="USA", scheme="CN"),
    "canada-march-list.csv": ListSpec("Canada countermeasures of 2025-03-04, C$30 bn list (tracker list)", (
        (25.0, "25%", "2025-03-04", None),), columns=("code",), header=False,
        imposer="CAN", target="USA", scheme="CA"),
    "canada-steel-list.csv": ListSpec("Canada countermeasures of 2025-03-13, steel, aluminium and other goods (tracker list)", (
        (25.0, "25%", "2025-03-13", None),), columns=("code", "description", "detail"), header=False,
        imposer="CAN", target="USA", scheme="CA"),
    "canada-125b-list.csv": ListSpec("Canada proposed countermeasures, C$125 bn list (tracker list)", (
        (None, "25% proposed; not applied", None, None),), columns=("code",), header=False,
        imposer="CAN", target="USA", scheme="CA"),
}
ANNEX_I = "reciprocal-tariffs-annex-I.csv"
US_CLASS = {4: "HS4", 6: "HS6", 8: "HTS8", 10: "HTS10"}
OVERRIDES = {"KOREA, SOUTH": "KOR", "RUSSIA": "RUS", "TURKEY": "TUR", "Brunei": "BRN",
             "Democratic Republic of the Congo": "COD", "Falkland Islands": "FLK",
             "Myanmar (Burma)": "MMR", "Côte d`Ivoire": "CIV"}
EU_NAMES = {"EUROPEAN UNION": "EUN", "European Union": "EUN"}
CTY_SPECIAL = {"0003": ("EUN", "Census 0003 European Union: aggregate of member rows also present"),
               "5082": ("PSE", "Census 5082 Gaza Strip: part of ISO PSE; trade summed with 5083"),
               "5083": ("PSE", "Census 5083 West Bank: part of ISO PSE; trade summed with 5082")}
COLS = ["measure", "imposer", "target", "target_name", "classification", "product", "rate_pct",
        "rate_text", "effective_date", "end_date"]



def tariff_list(path: Path, spec: ListSpec) -> pd.DataFrame:
    """One HTS (or Chinese / Canadian tariff-line) list → tariffs rows, one per phase."""
    head = 1 if spec.header else 0
    df = read_csv(path, dict.fromkeys(spec.columns, "str"), header=spec.header,
                  names=None if spec.header else list(spec.columns))
    raw = df[[c for c in spec.columns if c in ("HTSUS", "hts_code", "code")][0]]
    code = raw.str.strip().str.replace(".", "", regex=False)
    require_match(code, r"\d+", path, str(raw.name), "a tariff code of digits",
                  header_lines=head, got=raw)
    if spec.scheme == "CN":  # the file dropped the leading zero of chapters 01-09
        code = code.where(code.str.len() != 7, "0" + code)
    cls = code.str.len().map(US_CLASS) if spec.scheme == "US" else \
        code.str.len().map({8: f"{spec.scheme}_TARIFF8"})
    fail_first(cls.isna(), path, str(raw.name),
               f"a code of {sorted(US_CLASS) if spec.scheme == 'US' else 8} digits", raw, head)
    phases = pd.DataFrame(list(spec.phases), columns=["rate_pct", "rate_text", "effective_date",
                                                      "end_date"])
    out = pd.DataFrame({"product": code, "classification": cls,
                        "_extra": df[spec.extra] if spec.extra else None}).merge(phases, how="cross")
    if spec.extra:
        out["rate_text"] = out["rate_text"] + f" ({spec.extra}: " + out["_extra"] + ")"
    target_name = {"USA": "United States", "CAN": "Canada", "BRA": "Brazil", None: "all partners"}
    return out.assign(measure=spec.measure, imposer=spec.imposer, target=spec.target,
                      target_name=target_name[spec.target],
                      rate_pct=out["rate_pct"].astype("Float64"),
                      effective_date=pd.to_datetime(out["effective_date"]),
                      end_date=pd.to_datetime(out["end_date"]))[COLS]


def country_by_time(path: Path) -> tuple[pd.DataFrame, list[CodeMapping]]:
    df = read_csv(path, {"date": "str", "country_name": "str", "effective tariff": "float",
                         "2024 tariff": "float"})
    when = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    fail_first(when.isna(), path, "date", "a date YYYY-MM-DD", df["date"])
    iso, notes = names_to_iso3(df["country_name"], path, "country_name", overrides=OVERRIDES,
                               aggregates=EU_NAMES, note="European Union as a whole: EUN")
    eff = pd.DataFrame({"measure": "effective trade-weighted tariff" + TRACKER, "target": iso,
                        "target_name": df["country_name"], "product": "ALL",
                        "rate_pct": df["effective tariff"], "rate_text": None,
                        "effective_date": when}).sort_values(["target_name", "effective_date"])
    eff["end_date"] = eff.groupby("target_name")["effective_date"].shift(-1) - pd.Timedelta(days=1)
    base = pd.DataFrame({"measure": "average duty 2024, calculated duty / imports" + TRACKER,
                         "target": iso, "target_name": df["country_name"], "product": "ALL",
                         "rate_pct": df["2024 tariff"], "rate_text": None,
                         "effective_date": pd.Timestamp("2024-01-01"),
                         "end_date": pd.Timestamp("2024-12-31")}).drop_duplicates()
    out = pd.concat([eff, base], ignore_index=True)
    return out.assign(imposer="USA", classification="ALL")[COLS], notes


def daily(path: Path) -> pd.DataFrame:
    df = read_csv(path, {"date": "str", "import_weighted_avg_tariff": "float"})
    when = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    fail_first(when.isna(), path, "date", "a date YYYY-MM-DD", df["date"])
    return pd.DataFrame({
        "measure": "import-weighted average tariff, daily" + TRACKER, "imposer": "USA",
        "target": None, "target_name": "all partners", "classification": "ALL", "product": "ALL",
        "rate_pct": df["import_weighted_avg_tariff"], "rate_text": None, "effective_date": when,
        "end_date": when})


def census_codes(path: Path) -> dict[str, str]:
    """Census CTY_CODE → ISO3 (rows without a code, e.g. PSE and XKX, are not used)."""
    df = read_csv(path, {"CTY_CODE": "str", "ISO3": "str"})
    df = df[df["CTY_CODE"].str.strip() != ""]
    require_match(df["ISO3"], r"[A-Z]{3}", path, "ISO3", "an ISO3 code")
    return dict(zip(df["CTY_CODE"].str.strip().str.zfill(4), df["ISO3"], strict=True))


def hs2(path: Path, codes: dict[str, str]) -> tuple[dict[str, pd.DataFrame], list[CodeMapping]]:
    df = read_csv(path, {"HS2": "str", "2024_imports": "float", "2024_duty": "float",
                         "CTY_NAME": "str", "CTY_CODE": "str", "2025_tariff_increase": "float",
                         "2024_tariff": "float"})
    require_match(df["HS2"], r"\d{2}", path, "HS2", "a 2-digit HS chapter")
    cty = df["CTY_CODE"].str.strip().str.zfill(4)
    iso = map_codes(cty, codes | {k: v[0] for k, v in CTY_SPECIAL.items()}, path, "CTY_CODE",
                    f"a Census country code listed in {Path(MAPPING).name}")
    counts = cty.value_counts()
    notes = [CodeMapping("CTY_CODE", k, to, int(counts[k]), why)
             for k, (to, why) in CTY_SPECIAL.items() if k in counts.index]
    flows = (pd.DataFrame({"exporter": iso, "product": df["HS2"], "value_usd": df["2024_imports"],
                           "duty_usd": df["2024_duty"]})
             .groupby(["exporter", "product"], as_index=False, sort=False).sum(min_count=1))
    flows = flows.assign(importer="USA", reporter="USA", flow="import", year=2024, month=None,
                         classification="HS2", value=flows["value_usd"], currency="USD",
                         basis="imports for consumption, customs value (Census API via tracker)",
                         mirror=False)
    common = {"imposer": "USA", "target": iso, "target_name": df["CTY_NAME"],
              "classification": "HS2", "product": df["HS2"], "rate_text": None}
    avg = pd.DataFrame(common | {
        "measure": "average duty 2024, calculated duty / imports" + TRACKER,
        "rate_pct": df["2024_tariff"], "effective_date": pd.Timestamp("2024-01-01"),
        "end_date": pd.Timestamp("2024-12-31")})
    inc = pd.DataFrame(common | {
        "measure": "tariff increase 2025 over 2024, percentage points, at the 2026-07 snapshot" + TRACKER,
        "rate_pct": df["2025_tariff_increase"], "effective_date": pd.NaT, "end_date": pd.NaT})
    return {"trade_flows": flows, "tariffs": pd.concat([avg, inc], ignore_index=True)[COLS]}, notes


def annex_i(path: Path) -> tuple[pd.DataFrame, list[CodeMapping]]:
    df = read_csv(path, {"CTY_NAME": "str", "tariff_rate": "float"})
    iso, notes = names_to_iso3(df["CTY_NAME"], path, "CTY_NAME", overrides=OVERRIDES,
                               aggregates=EU_NAMES, note="European Union as a whole: EUN")
    return pd.DataFrame({
        "measure": "reciprocal country rates of April 2025, EO 14257 Annex I as listed by the "
                   "tracker (China incl. fentanyl duty; Canada, Mexico fentanyl rates)",
        "imposer": "USA", "target": iso, "target_name": df["CTY_NAME"], "classification": "ALL",
        "product": "ALL", "rate_pct": df["tariff_rate"],
        "rate_text": df["tariff_rate"].map("{:g}%".format, na_action="ignore"),
        "effective_date": pd.Timestamp("2025-04-09"), "end_date": pd.Timestamp("2025-04-09")}), notes


_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
             "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_TENS = {"twenty": 20, "thirty": 30, "twentieth": 20, "thirtieth": 30}


def _number(words: str) -> int:
    """'twenty-six' → 26, 'second' → 2, 'thirty-first' → 31 (the words of a signing date)."""
    table = dict(zip(_WORDS, range(1, 20), strict=True)) | dict(
        zip(_ORDINALS, range(1, 20), strict=True)) | _TENS
    return sum(table[w] for w in words.lower().split("-"))


def proclamation(path: Path) -> pd.DataFrame:
    """The proclamation text; its date from "this <day> day of <Month>, ... two thousand <year>"."""
    text = read_text(path)
    m = re.search(r"this ([\w-]+) day of ([A-Z][a-z]+), in the year of our Lord two thousand "
                  r"([\w-]+)", text)
    if "PROCLAMATION" not in text[:300] or not m:
        raise InputError(path, "a proclamation ('A PROCLAMATION' ... 'IN WITNESS WHEREOF ... this "
                         "<day> day of <Month>, in the year of our Lord <year>')", got=text[:60])
    signed = pd.Timestamp(f"{2000 + _number(m.group(3))} {m.group(2)} {_number(m.group(1))}")
    return pd.DataFrame([{"doc_id": f"PROC-{signed.date()}-metals", "date": signed,
                          "title": f"Proclamation of {signed.date()} on aluminum, steel and copper "
                                   "(section 232), as kept by the tracker", "text": text}])


class TariffTracker(Source):
    name = "tariff_tracker"
    title = "Trade-war tracker 2025-26: U.S. tariff lists and effective tariffs (tracker construction)"
    producer = "tradewartracker/trade-war-redux-2025 (from Census API and official lists)"
    licence = "MIT"
    url = "https://github.com/tradewartracker/trade-war-redux-2025/archive/726c5958e1e43eb08ac076a1e602ae3149164b03.zip"
    patterns = (f"{DIR}/country-by-time.csv", f"{DIR}/daily-tariff-latest-data.csv",
                f"{DIR}/us_hs2_imports_duty_tariff_by_partner.tidy.csv",
                f"{DIR}/tariff-lists/proclamation_metals_tariffs_april2026.md",
                f"{DIR}/tariff-lists/{ANNEX_I}", MAPPING,
                *(f"{DIR}/tariff-lists/{n}" for n in LISTS))

    def parse(self, paths: Sequence[Path]) -> Parsed:
        paths = [Path(p) for p in paths]
        tables: dict[str, list[pd.DataFrame]] = {"tariffs": [], "trade_flows": [], "documents": []}
        notes: list[CodeMapping] = []
        rows_read: dict[str, int] = {}
        codes: dict[str, str] | None = None
        for p in paths:
            n: list[CodeMapping] = []
            if p.name in LISTS:
                t = tariff_list(p, LISTS[p.name])
                rows = len(t) // len(LISTS[p.name].phases)
            elif p.name == "country-by-time.csv":
                t, n = country_by_time(p)
                rows = int(t["measure"].str.startswith("effective").sum())
            elif p.name == "daily-tariff-latest-data.csv":
                t = daily(p)
                rows = len(t)
            elif p.name == ANNEX_I:
                t, n = annex_i(p)
                rows = len(t)
            elif p.name.startswith("us_hs2_imports"):
                if codes is None:
                    codes = census_codes(_mapping_file(p, paths))
                parts, n = hs2(p, codes)
                tables["trade_flows"].append(parts["trade_flows"])
                t = parts["tariffs"]
                rows = len(t) // 2
            elif p.suffix == ".md":
                tables["documents"].append(proclamation(p))
                rows_read[str(p)] = 1
                continue
            elif p.name == Path(MAPPING).name:
                rows_read[str(p)] = len(read_csv(p, {"CTY_CODE": "str", "ISO3": "str"}))
                continue
            else:
                raise InputError(p, "a file of the tracker this adapter knows (see LISTS)", got=p.name)
            tables["tariffs"].append(t)
            rows_read[str(p)] = rows
            notes += n
        return Parsed(tables={k: pd.concat(v, ignore_index=True) for k, v in tables.items() if v},
                      vintage="trade-war-redux-2025@726c5958 (2026-07-23); tracker construction, "
                              "not official", rows_read=rows_read, mappings=tuple(notes))

    def fetch(self, dest: Path) -> list[Path]:
        """Download the tracker at the pinned commit and extract it.

        The HS2 file here is the concatenation of the tracker's ``data-hs2/*.csv`` (one per
        Census partner code, plus a ``source_file`` column); the Census mapping comes with the
        ``census_hs10`` dataset.
        """
        dest.mkdir(parents=True, exist_ok=True)
        zpath = dest / "trade-war-redux-2025.zip"
        urllib.request.urlretrieve(self.url, zpath)
        with zipfile.ZipFile(zpath) as z:
            z.extractall(dest)
            return [dest / n for n in z.namelist() if not n.endswith("/")]


def _mapping_file(hs2_path: Path, paths: Sequence[Path]) -> Path:
    """The Census country mapping: among the files given, else in the data directory."""
    given = [p for p in paths if p.name == Path(MAPPING).name]
    m = given[0] if given else hs2_path.parents[2] / MAPPING
    if not m.is_file():
        raise InputError(hs2_path, f"the Census country mapping {MAPPING} in the data directory",
                         field="CTY_CODE", got=f"{m} missing")
    return m
