"""Monthly goods trade of Korea, Japan and the United States with China, 2001–2019, and the
IMF daily exchange rates that come with it.

The four files were assembled by M. Izydorczyk for *relationship-between-trade-and-the-exchange-rate*
(GitHub ``mizydorczyk/relationship-between-trade-and-the-exchange-rate`` @ ``0826f6e``, ``assets/``;
no licence stated, the producers' terms apply). The adapter reads the **original** files, not
the catalog's derived ``*.tidy.csv``:

``korea-china-trade-data.csv``
    KOSIS table DT_1R11006_FRM101 (Korea Customs Service): ``"Country","Date",Exports,Imports``;
    Date ``2001.01``; **thousand USD**; exports FOB, imports CIF.
``japan-china-trade-data.csv``
    Japan Ministry of Finance trade statistics: ``Date;Exports;Imports`` (``;``-separated), Date
    ``2001/01``; **thousand JPY**; exports FOB, imports CIF.
``usa-china-trade-data.csv``
    U.S. Census Bureau page c5700: ``Month;Exports;Imports;Balance`` (``;``-separated, thousands
    separated by commas), Month ``January 2001``; **million USD**; Census basis (exports FAS,
    general imports customs value). The Balance column is not stored (it is exports − imports).
``exchange-rates.csv``
    IMF *Representative rates*: ``Date;CNY;JPY;KRW;USD``, daily, national currency per USD, blank
    on the currency's holidays. The constant ``USD`` column (1) is not stored.

All series are nominal and not seasonally adjusted. Partner is China (CHN) in every file; only the
KOSIS file names it (``China, peoples' republic of`` → CHN, reported as a mapping).

Tables
------
``trade_flows``: one row per reporter (KOR, JPN, USA) × flow × month; ``value``/``currency`` as in
the source; ``value_usd`` in plain USD. **JPY is converted with the monthly average of the IMF daily
JPY per USD rate from the same folder** (mean of the days with a quoted rate), so ``value_usd`` of
Japan's rows is a derived, not a published, figure. ``fx_rates``: the daily IMF rates (freq ``D``,
blanks skipped) and their monthly averages (freq ``M``, period = first day of the month).

Vintage: the files as accessed by the author on 2025-05-23 (``sources.md``); the Census series
is the revised one (2019 imports 449.1 bn USD).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError
from econsec.sources._read import map_codes, read_csv
from econsec.sources.base import CodeMapping, Parsed, Source, require_files

REPO = ("https://raw.githubusercontent.com/mizydorczyk/relationship-between-trade-and-the-exchange-rate/"
        "0826f6ea7ab353ab6d5d458d5fd23f7b7263daa8/assets/")
KOR_FILE, JPN_FILE, USA_FILE, FX_FILE = ("korea-china-trade-data.csv", "japan-china-trade-data.csv",
                                         "usa-china-trade-data.csv", "exchange-rates.csv")
FX_CURRENCIES = ("CNY", "JPY", "KRW")
#: The KOSIS partner name, mapped on purpose.
KOSIS_PARTNERS = {"China, peoples' republic of": "CHN"}
BASIS = {
    "KOR": {"export": "FOB (KOSIS, not seasonally adjusted)", "import": "CIF (KOSIS, not seasonally adjusted)"},
    "JPN": {"export": "FOB (MOF, not seasonally adjusted)", "import": "CIF (MOF, not seasonally adjusted)"},
    "USA": {"export": "Census basis, FAS (not seasonally adjusted)",
            "import": "general imports, customs value (Census, not seasonally adjusted)"},
}


def _fail_na(parsed: pd.Series, raw: pd.Series, path: Path, field: str, expected: str) -> None:
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        i = int(bad[0])
        raise InputError(path, expected, row=i + 2, field=field, got=raw.iloc[i])


def _year_month(raw: pd.Series, pattern: str, path: Path, field: str, expected: str) -> pd.DataFrame:
    """Split period strings into integer year and month with a regex of two groups."""
    ym = raw.str.strip().str.extract(f"^{pattern}$")
    month = pd.to_numeric(ym[1], errors="coerce")
    month = month.where(month.between(1, 12))
    _fail_na(month, raw, path, field, expected)
    return pd.DataFrame({"year": pd.to_numeric(ym[0]).astype("int32"), "month": month.astype("int32")})


def read_imf_fx(path: Path) -> tuple[pd.DataFrame, int]:
    """IMF daily rates → (long frame of currency, date, per_usd; number of records read).

    Blank cells (the currency's holidays) are left out of the frame.
    """
    df = read_csv(path, {"Date": "str", **dict.fromkeys(FX_CURRENCIES, "float")}, sep=";")
    date = pd.to_datetime(df["Date"].str.strip(), format="%d-%b-%Y", errors="coerce")
    _fail_na(date, df["Date"], path, "Date", "a date like 02-Jan-2001")
    long = (df.assign(date=date).melt(id_vars="date", value_vars=list(FX_CURRENCIES),
                                      var_name="currency", value_name="per_usd")
            .dropna(subset=["per_usd"]))
    if (long["per_usd"] <= 0).any():
        i = int(np.flatnonzero((df[list(FX_CURRENCIES)] <= 0).any(axis=1).to_numpy())[0])
        raise InputError(path, "a positive rate (currency units per USD)", row=i + 2, got=df.iloc[i].tolist())
    return long.astype({"per_usd": "float64"}).reset_index(drop=True), len(df)


def monthly_means(daily: pd.DataFrame) -> pd.DataFrame:
    """Monthly averages of daily rates: (currency, period = first of month, per_usd)."""
    period = daily["date"].dt.to_period("M").dt.to_timestamp()
    return (daily.assign(period=period).groupby(["currency", "period"], as_index=False)["per_usd"].mean())


def _flows(frame: pd.DataFrame, reporter: str, currency: str, scale: float) -> pd.DataFrame:
    """Wide (year, month, Exports, Imports) → long trade_flows rows of one reporter."""
    long = frame.melt(id_vars=["year", "month"], value_vars=["Exports", "Imports"],
                      var_name="flow", value_name="value")
    long["flow"] = long["flow"].map({"Exports": "export", "Imports": "import"})
    exp = long["flow"] == "export"
    return pd.DataFrame({
        "exporter": np.where(exp, reporter, "CHN"), "importer": np.where(exp, "CHN", reporter),
        "reporter": reporter, "flow": long["flow"], "year": long["year"], "month": long["month"],
        "classification": "TOTAL", "product": "TOTAL",
        "value": long["value"].astype("float64"), "currency": currency,
        "value_usd": long["value"].astype("float64") * scale if currency.endswith("USD") else np.nan,
        "basis": long["flow"].map(BASIS[reporter]),
    })


class ChinaMonthly(Source):
    name = "china_monthly"
    title = "Monthly goods trade of Korea, Japan and the U.S. with China 2001–2019, and IMF daily FX"
    producer = "KOSIS (Korea), Ministry of Finance Japan, U.S. Census Bureau, IMF; compiled by M. Izydorczyk"
    licence = "No licence stated by the compiler; KOSIS, MOF, Census (public domain) and IMF terms apply"
    url = REPO + KOR_FILE
    patterns = tuple(f"trade/china_bilateral_monthly_2001_2019/{f}"
                     for f in (KOR_FILE, JPN_FILE, USA_FILE, FX_FILE))

    def fetch(self, dest: Path) -> list[Path]:
        """Download the four original files from the compiler's repository (pinned commit)."""
        import urllib.request

        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for f in (KOR_FILE, JPN_FILE, USA_FILE, FX_FILE):
            urllib.request.urlretrieve(REPO + f, dest / f)
            out.append(dest / f)
        return out

    def parse(self, paths: Sequence[Path]) -> Parsed:
        files = require_files(self, [Path(p) for p in paths], KOR_FILE, JPN_FILE, USA_FILE, FX_FILE)
        kor_p, jpn_p, usa_p, fx_p = (files[f] for f in (KOR_FILE, JPN_FILE, USA_FILE, FX_FILE))

        kor = read_csv(kor_p, {"Country": "str", "Date": "str", "Exports": "float", "Imports": "float"})
        partner = map_codes(kor["Country"], KOSIS_PARTNERS, kor_p, "Country",
                            "the KOSIS partner name for China")
        kor = pd.concat([_year_month(kor["Date"], r"(\d{4})\.(\d{2})", kor_p, "Date",
                                     "a month like 2001.01"), kor[["Exports", "Imports"]]], axis=1)

        jpn = read_csv(jpn_p, {"Date": "str", "Exports": "float", "Imports": "float"}, sep=";")
        jpn = pd.concat([_year_month(jpn["Date"], r"(\d{4})/(\d{2})", jpn_p, "Date",
                                     "a month like 2001/01"), jpn[["Exports", "Imports"]]], axis=1)

        usa = read_csv(usa_p, {"Month": "str", "Exports": "float", "Imports": "float"}, sep=";",
                       thousands=",")
        when = pd.to_datetime(usa["Month"].str.strip(), format="%B %Y", errors="coerce")
        _fail_na(when, usa["Month"], usa_p, "Month", "a month like 'January 2001'")
        usa = pd.DataFrame({"year": when.dt.year.astype("int32"), "month": when.dt.month.astype("int32"),
                            "Exports": usa["Exports"], "Imports": usa["Imports"]})

        daily, fx_rows = read_imf_fx(fx_p)
        monthly = monthly_means(daily)

        jp = _flows(jpn, "JPN", "thousand JPY", 1e3)
        rate = monthly[monthly["currency"] == "JPY"].assign(
            year=lambda d: d["period"].dt.year, month=lambda d: d["period"].dt.month)
        jp_rate = jp[["year", "month"]].merge(rate[["year", "month", "per_usd"]], how="left",
                                              on=["year", "month"])["per_usd"].to_numpy()
        jp["value_usd"] = jp["value"].to_numpy() * 1e3 / jp_rate
        notes = [CodeMapping("Country", name, iso, int((partner == iso).sum()),
                             "KOSIS partner name") for name, iso in KOSIS_PARTNERS.items()]
        notes.append(CodeMapping("fx", "JPY", "IMF monthly mean", len(jp),
                                 "MOF thousand JPY converted to USD with the monthly average of the IMF "
                                 f"daily JPY per USD in {fx_p.name}"))
        missing = int(np.isnan(jp_rate).sum())
        if missing:
            notes.append(CodeMapping("fx", "JPY", None, missing,
                                     "months without any IMF JPY quote: value_usd left NULL"))

        flows = pd.concat([_flows(kor, "KOR", "thousand USD", 1e3), jp,
                           _flows(usa, "USA", "million USD", 1e6)], ignore_index=True)
        flows = flows.astype({"year": "int32", "month": "int32"})
        fx = pd.concat([
            pd.DataFrame({"currency": daily["currency"], "period": daily["date"].dt.date,
                          "freq": "D", "per_usd": daily["per_usd"]}),
            pd.DataFrame({"currency": monthly["currency"], "period": monthly["period"].dt.date,
                          "freq": "M", "per_usd": monthly["per_usd"]}),
        ], ignore_index=True)
        ym = flows["year"] * 100 + flows["month"]
        first, last = int(ym.min()), int(ym.max())
        vintage = (f"KOSIS/MOF/Census/IMF series {first // 100}-{first % 100:02d} to "
                   f"{last // 100}-{last % 100:02d}, as accessed 2025-05-23 "
                   "(mizydorczyk/relationship-between-trade-and-the-exchange-rate @ 0826f6e)")
        return Parsed(
            tables={"trade_flows": flows, "fx_rates": fx}, vintage=vintage,
            rows_read={str(kor_p): len(kor), str(jpn_p): len(jpn), str(usa_p): len(usa),
                       str(fx_p): fx_rows},
            mappings=tuple(notes))
