"""Generate the presets reciprocal-2025-04 and reciprocal-2025-07 from the shared data files.

Run from the repository root (data directory from ECONSEC_DATA_DIR, default ../shared/data)::

    .venv/bin/python -m tests.analytics.scenarios.make_reciprocal_presets

* ``reciprocal-2025-07`` is read from the **official text**: Annex I of the Executive Order of
  2025-07-31 (tariffs/us_reciprocal_tariffs_2025/eo_2025-07-31_...md), parsed by econsec's own
  adapter (:class:`econsec.sources.reciprocal_2025.Reciprocal2025`, the same rows the store's
  ``tariffs`` table holds for source ``reciprocal_2025``).
* ``reciprocal-2025-04``: the text of EO 14257 here does not include its Annex I (a PDF link), so
  the country rates are **the tracker's transcription** (tradewartracker,
  tariff-lists/reciprocal-tariffs-annex-I.csv, read by :func:`econsec.sources.tariff_tracker.annex_i`),
  with China set to the 2 April rate of 34% (the tracker lists 104 = 84% after the amendment of
  8 April + 20% fentanyl duty) and the tracker's Canada and Mexico rows (its USMCA-adjusted
  fentanyl rates, not Annex I) left out.

tests/analytics/scenarios/test_presets.py regenerates both in memory and checks that the committed
TOML files are identical, so the files cannot drift from the data.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pandas as pd

from econsec.analytics.scenarios import Scenario, Source, TariffMeasure
from econsec.settings import Config
from econsec.sources.reciprocal_2025 import ANNEX_MEASURE, Reciprocal2025
from econsec.sources.tariff_tracker import annex_i

PRESETS = Path(__file__).resolve().parents[3] / "src/econsec/analytics/scenarios/presets"
RECIPROCAL = "tariffs/us_reciprocal_tariffs_2025"
JULY_MD = f"{RECIPROCAL}/eo_2025-07-31_further_modifying_reciprocal_tariff_rates.md"
APRIL_MD = f"{RECIPROCAL}/eo14257_2025-04-02_reciprocal_tariff.md"
TRACKER_ANNEX = "tariffs/us_tariff_tracker_2025_2026/tariff-lists/reciprocal-tariffs-annex-I.csv"
EO14257_URL = ("https://www.whitehouse.gov/presidential-actions/2025/04/regulating-imports-with-a-"
               "reciprocal-tariff-to-rectify-trade-practices-that-contribute-to-large-and-"
               "persistent-annual-united-states-goods-trade-deficits/")

EO14257 = Source(
    "eo14257",
    "Executive Order 14257 of April 2, 2025, \"Regulating Imports With a Reciprocal Tariff To Rectify "
    "Trade Practices That Contribute to Large and Persistent Annual United States Goods Trade "
    "Deficits\": Sec. 3(a) an additional 10 percent on all articles from 12:01 a.m. EDT on 5 April "
    "2025 and the country rates of Annex I from 9 April 2025; Sec. 3(d)-(e) Canada and Mexico stay "
    "under the border orders; Sec. 3(j) the rates for China apply equally to Hong Kong and Macau; "
    "90 FR 15041 (7 April 2025), FR Doc. 2025-06063 (shared data: " + APRIL_MD + ")",
    EO14257_URL)


def _paragraphs(*paras: str) -> str:
    return "\n\n".join(textwrap.fill(p, 96) for p in paras)


def _groups(rates: pd.DataFrame, effective: date, source: tuple[str, ...],
            what: str) -> list[TariffMeasure]:
    """One ``set`` measure per distinct rate, targets sorted, with the printed names in the note."""
    out = []
    for rate, g in rates.sort_values(["rate_pct", "target"]).groupby("rate_pct", sort=True):
        out.append(TariffMeasure(
            imposer="USA", targets=tuple(g["target"]), rate=float(rate), source=source, mode="set",
            effective=effective, note=f"{what}: " + "; ".join(g["target_name"])))
    return out


def july_scenario(data_dir: Path) -> Scenario:
    parsed = Reciprocal2025().parse([data_dir / JULY_MD])
    t = parsed.tables["tariffs"]
    annex = t[t["measure"].str.startswith(ANNEX_MEASURE)]
    effective = pd.Timestamp(annex["effective_date"].iloc[0]).date()
    eu = annex[annex["target"] == "EUN"]
    rule = eu["rate_text"].str.extract(r"^(\d+)% minus Column 1 Duty Rate$")[0].dropna()
    if len(eu) != 2 or len(rule) != 1:
        raise ValueError(f"expected the two EU rules of Annex I, got {eu['rate_text'].tolist()}")
    rates = annex[annex["target"] != "EUN"][["target", "target_name", "rate_pct"]].astype(
        {"rate_pct": float})
    july = Source(
        "eo14326",
        "Executive Order 14326 of July 31, 2025, \"Further Modifying the Reciprocal Tariff Rates\": "
        "Annex I country rates and Sec. 2(c) the EU rule, from 12:01 a.m. EDT seven days after the "
        "order (7 August 2025); Sec. 2(d) 10 percent for partners not in Annex I; Sec. 2(g) EO 14298 "
        "(China) unaffected; Federal Register Vol. 90, No. 149 (6 August 2025) (shared data: "
        + JULY_MD + "; the store's tariffs rows of source reciprocal_2025)",
        "https://www.whitehouse.gov/presidential-actions/2025/07/further-modifying-the-reciprocal-tariff-rates/")
    tracker = Source(
        "tracker-readme",
        "tradewartracker/trade-war-redux-2025 @ 726c5958 (MIT), README: \"May 12, 2025 | IEEPA | "
        "U.S.-China Joint Statement (Geneva) | China/HK reciprocal from 125% to 10% (+20% fentanyl "
        "= 30%)\"; shared data tariffs/us_tariff_tracker_2025_2026/README_upstream.md",
        "https://github.com/tradewartracker/trade-war-redux-2025")
    measures = [
        TariffMeasure(
            imposer="USA", targets=("ALL",), exclude=("CAN", "MEX"), rate=10.0, mode="set",
            effective=effective, source=("eo14326", "eo14257", "tracker-readme"),
            note="Partners not in Annex I (Sec. 2(d)), China, Hong Kong and Macau included (EO "
                 "14298 left China at 10%); Canada and Mexico stay under the border orders "
                 "(EO 14257 Sec. 3(d)-(e))."),
        *_groups(rates, effective, ("eo14326",), "Annex I rows"),
        TariffMeasure(
            imposer="USA", targets=("EU27",), rate=float(rule.iloc[0]), mode="floor",
            effective=effective, source=("eo14326",),
            note="Annex I: \"15% minus Column 1 Duty Rate\" for EU goods below 15%, 0% at or above "
                 "it (Sec. 2(c)): the total duty is topped up to 15%."),
    ]
    return Scenario(
        name="reciprocal-2025-07",
        title="U.S. reciprocal tariff rates of the EO of 31 July 2025 (Annex I, from 7 August 2025)",
        description=_paragraphs(
            "The country rates of Annex I of Executive Order 14326 (31 July 2025), in force from 7 "
            "August 2025: Korea 15%, Japan 15%, Taiwan 20%, Vietnam 20%, India 25%, Switzerland "
            "39%, Brazil 10%, the United Kingdom 10%, ...; the EU topped up to a total duty of 15%; "
            "10% on every other partner but Canada and Mexico. Generated from the order's text by "
            "tests/analytics/scenarios/make_reciprocal_presets.py.",
            "Reciprocal duties only: the IEEPA border and fentanyl duties (Canada 35% under EO "
            "14325, Mexico 25%, China 20%), Brazil's additional 40% (EO 14323), Section 232 duties "
            "and the product exemptions of Annex II of EO 14257 are not part of this preset, nor are "
            "the later deals that changed some rates."),
        sources=(july, EO14257, tracker), measures=tuple(measures))


def april_scenario(data_dir: Path) -> Scenario:
    path = data_dir / TRACKER_ANNEX
    t, _ = annex_i(path)
    t = t.astype({"rate_pct": float})
    effective, baseline_day = date(2025, 4, 9), date(2025, 4, 5)
    countries = t[~t["target"].isin(["CAN", "MEX", "CHN", "EUN"])]
    eu = t.loc[t["target"] == "EUN", "rate_pct"]
    if len(eu) != 1 or set(t["target"]) < {"CAN", "MEX", "CHN", "EUN"}:
        raise ValueError(f"{path}: expected rows for CAN, MEX, CHN and the EU")
    tracker = Source(
        "tracker-annex-i",
        "The tracker's transcription of the country rates of EO 14257 Annex I (whitehouse.gov PDF "
        "of 2 April 2025): tradewartracker/trade-war-redux-2025 @ 726c5958 (MIT), "
        "tariff-lists/reciprocal-tariffs-annex-I.csv (shared data: " + TRACKER_ANNEX + "). Its "
        "China row (104) is the rate after the amendment of 8 April plus the fentanyl duty (84% + "
        "20%, tracker README); its Canada (8.75) and Mexico (4.5) rows are its USMCA-adjusted "
        "fentanyl rates, not Annex I",
        "https://github.com/tradewartracker/trade-war-redux-2025")
    joongang = Source(
        "joongang-2025-04-03",
        "Korea JoongAng Daily, \"Korea's Trump tariff is 26 percent, not 25 percent, White House "
        "document clarifies\", 3 April 2025: the Annex I released by the White House lists Korea "
        "26%, India 27%, Switzerland 32%, the Philippines 18%, one point above the chart shown on 2 "
        "April; the tracker follows the annex",
        "https://koreajoongangdaily.joins.com/news/2025-04-03/business/industry/Koreas-Trump-tariff-is-26-percent-not-25-percent-White-House-document-clarifies/2277062")
    china = Source(
        "latestly-2025-04-03",
        "LatestLY, 3 April 2025, report of the reciprocal tariffs reproducing the White House list "
        "of countries and rates (via PTI): \"China will see a 34% tariff\"",
        "https://www.latestly.com/socially/world/us-tariffs-donald-trump-announces-sweeping-reciprocal-tarrifs-imposing-up-to-50-on-over-50-countries-check-full-list-here-6754856.html")
    measures = [
        TariffMeasure(
            imposer="USA", targets=("ALL",), exclude=("CAN", "MEX"), rate=10.0, mode="set",
            effective=baseline_day, source=("eo14257",),
            note="Sec. 3(a) baseline on all partners; Canada and Mexico excluded by Sec. 3(d)-(e)."),
        *_groups(countries[["target", "target_name", "rate_pct"]], effective,
                 ("tracker-annex-i", "eo14257"), "tracker rows"),
        TariffMeasure(
            imposer="USA", targets=("EU27",), rate=float(eu.iloc[0]), mode="set",
            effective=effective, source=("tracker-annex-i", "eo14257"),
            note="tracker row: European Union"),
        TariffMeasure(
            imposer="USA", targets=("CHN", "HKG", "MAC"), rate=34.0, mode="set",
            effective=effective, source=("latestly-2025-04-03", "eo14257", "tracker-annex-i"),
            note="Annex I rate of 2 April; the tracker's 104 includes the later escalation and the "
                 "fentanyl duty. Hong Kong and Macau: Sec. 3(j)."),
    ]
    return Scenario(
        name="reciprocal-2025-04",
        title="U.S. reciprocal tariff rates of EO 14257 (2 April 2025, Annex I from 9 April)",
        description=_paragraphs(
            "EO 14257 of 2 April 2025: 10% on all partners but Canada and Mexico from 5 April and "
            "the country rates of its Annex I from 9 April 2025 (Japan 24%, Korea 26%, Vietnam 46%, "
            "Taiwan 32%, the EU 20%, China 34%, ...). The annex is a PDF that the shared text does "
            "not include: the country rates are the tradewartracker's transcription of it, which "
            "follows the annex as released on 2 April (news reports show the annex one point above "
            "the chart for some partners: Korea 26 vs 25). Generated by "
            "tests/analytics/scenarios/make_reciprocal_presets.py.",
            "The country rates were suspended for all partners but China on 9 April 2025 (90 days "
            "at 10%, tracker README); fentanyl duties, Section 232 duties and Annex II exemptions are not part "
            "of this preset."),
        sources=(EO14257, tracker, joongang, china), measures=tuple(measures))


def main() -> None:
    data_dir = Config.resolve().data_dir
    for s in (april_scenario(data_dir), july_scenario(data_dir)):
        (PRESETS / f"{s.name}.toml").write_text(s.to_toml(), encoding="utf-8")


if __name__ == "__main__":
    main()
