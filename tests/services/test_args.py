"""One rule for country codes and list options (econsec.services.args), and the Python API
(econsec.Session) applying it.

Valid codes come from the reference tables every store is created with; the expected members of
EU27 and ASEAN are the published memberships (27 EU states; ASEAN's 10 members plus Timor-Leste,
admitted in October 2025, as econsec/reference/country_groups.csv cites), written out here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.errors import NotFoundError, OptionError
from econsec.services import args
from econsec.session import Session
from econsec.store import Store
from tests.conftest import FIXTURES

EU27 = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
        "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
        "SWE"}


@pytest.fixture(scope="module")
def mem() -> Store:
    s = Store(":memory:")
    yield s
    s.close()


def test_items_reads_commas_and_repeats_the_same_way() -> None:
    assert args.items(["KOR,JPN", " CHN ", "KOR", ""]) == ("KOR", "JPN", "CHN")
    assert args.items("KOR,JPN") == args.items(["KOR", "JPN"]) == ("KOR", "JPN")
    assert args.items(None) == ()
    assert args.years(["2019,2020", "2021"]) == (2019, 2020, 2021)
    with pytest.raises(OptionError, match="--year.*'20x'"):
        args.years("2019,20x", option="--year")


def test_codes_any_case_normalised_to_upper(mem: Store) -> None:
    assert args.country(mem, " kor ") == "KOR"
    assert args.countries(mem, ["kor,Jpn", "CHN", "kor"]) == ("KOR", "JPN", "CHN")
    assert args.country(mem, "eu27", groups=True) == "EU27"


def test_unknown_code_is_an_error_naming_it_and_how_to_list(mem: Store) -> None:
    with pytest.raises(NotFoundError) as e:
        args.countries(mem, "KOR,xyz", option="--country")
    msg = str(e.value)
    assert "--country" in msg and "'XYZ'" in msg and "`econsec countries`" in msg
    # ISO2 where ISO3 is expected: the message names the ISO3 code (KR is KOR in ISO 3166)
    with pytest.raises(NotFoundError, match="KR is KOR"):
        args.country(mem, "kr")
    # a group is not a country unless the argument takes groups
    with pytest.raises(NotFoundError, match="'EU27'"):
        args.country(mem, "EU27")
    with pytest.raises(NotFoundError, match="countries --group list"):
        args.country(mem, "EU28", groups=True)


def test_pairs_need_two_different_economies(mem: Store) -> None:
    assert args.pair(mem, "kor", "jpn") == ("KOR", "JPN")
    with pytest.raises(OptionError, match="both KOR"):
        args.pair(mem, "KOR", "kor")
    with pytest.raises(OptionError, match="KOR given more than once"):
        args.countries(mem, ["KOR", "kor"], distinct=True)
    with pytest.raises(OptionError, match="one country code"):
        args.country(mem, "KOR,JPN")


def test_members_expand_groups(mem: Store) -> None:
    got = args.members(mem, ["eu27", "GBR", "DEU"])
    assert set(got[:27]) == EU27 and got[27:] == ("GBR",)       # DEU already in; GBR after
    asean = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"}
    assert set(args.members(mem, "ASEAN")) == asean


def test_require_rows_names_codes_without_data() -> None:
    args.require_rows(["KOR"], ["KOR", "JPN"], where="imf_dots")
    with pytest.raises(NotFoundError, match="no data for ATA in imf_dots"):
        args.require_rows(["KOR", "ATA"], ["KOR"], where="imf_dots")


@pytest.fixture(scope="module")
def baci_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from econsec.services.catalog import run_ingest
    from econsec.settings import Config

    path = tmp_path_factory.mktemp("args") / "s.duckdb"
    run_ingest(Config.resolve(db=path), "baci", FIXTURES / "baci")
    return path


def test_session_applies_the_same_rule(baci_db: Path) -> None:
    with Session(baci_db, read_only=True) as es:
        low = es.critical_items("kor", year=2021, source="baci", min_coverage=0)  # no benchmark
        up = es.critical_items("KOR", year=2021, source="baci", min_coverage=0)
        assert low.frame.equals(up.frame) and "KOR" in low.name
        # tests/fixtures/baci by hand: KOR imports 848620 from JPN (3000.125) and USA (700)
        row = up.frame.set_index("product").loc["848620"]
        assert row["top1_supplier"] == "JPN"
        with pytest.raises(OptionError, match="both KOR"):
            es.complementarity("KOR", "kor", year=2021, source="baci")
        with pytest.raises(OptionError, match="both JPN"):
            es.report("jpn", "JPN")
        with pytest.raises(NotFoundError, match="'XYZ'"):
            es.exposure(countries=["xyz"])
        with pytest.raises(OptionError, match="KOR given more than once"):
            es.lng_optimize(("KOR", "kor"), 2023)
