"""Every source adapter econsec has, by name. Modules are imported on first use."""

from __future__ import annotations

from importlib import import_module

from econsec.errors import SourceNotFoundError
from econsec.sources.base import Source

#: name -> "module:Class". Order is ingest order (reference tables before the data using them).
ADAPTERS: dict[str, str] = {
    # classifications and reference
    "hs_concordance": "econsec.sources.hs_concordance:HsConcordance",
    "baci_codes": "econsec.sources.baci_codes:BaciCodes",
    "atlas_classifications": "econsec.sources.atlas:AtlasClassifications",
    # trade
    "baci": "econsec.sources.baci:Baci",
    "comtrade_hs2": "econsec.sources.comtrade:ComtradeHs2",
    "comtrade_sme": "econsec.sources.comtrade:ComtradeSemiconductorEquipment",
    "imf_dots": "econsec.sources.imf_dots:ImfDots",
    "wto_merchandise": "econsec.sources.wto:WtoMerchandiseGroups",
    "wto_exports_groups": "econsec.sources.wto:WtoExportGroups",
    "sitc2_toy": "econsec.sources.sitc2_toy:Sitc2Toy",
    "ecomplexity_sample": "econsec.sources.ecomplexity_sample:EcomplexitySample",
    "japan_customs": "econsec.sources.japan_customs:JapanCustoms",
    "china_monthly": "econsec.sources.china_monthly:ChinaMonthly",
    "census_hs10": "econsec.sources.census_hs10:CensusHs10",
    "census_partner": "econsec.sources.census_partner:CensusPartner",
    # tariffs
    "reciprocal_2025": "econsec.sources.reciprocal_2025:Reciprocal2025",
    "tariff_tracker": "econsec.sources.tariff_tracker:TariffTracker",
    "usitc_tariffs_2017": "econsec.sources.usitc_tariffs:UsitcTariffs2017",
    "section301_china": "econsec.sources.section301:Section301China",
    "ustr_lists_2018": "econsec.sources.ustr_lists:UstrLists2018",
    # energy, risk, minerals
    "ei_review": "econsec.sources.ei_review:EiReview",
    "pinksheet": "econsec.sources.pinksheet:PinkSheet",
    "gpr": "econsec.sources.gpr:Gpr",
    "usgs_minerals": "econsec.sources.minerals:UsgsCriticalMinerals",
    "ei_minerals": "econsec.sources.minerals:EiMinerals",
    # gravity and input-output
    "agtpa": "econsec.sources.gravity:Agtpa",
    "gegravity_sample": "econsec.sources.gravity:GegravitySample",
    "wiod2013": "econsec.sources.wiod:Wiod2013",
}


def get(name: str) -> Source:
    """The adapter registered as ``name``."""
    if name not in ADAPTERS:
        raise SourceNotFoundError(f"unknown source {name!r}; known: {', '.join(ADAPTERS)}")
    module, cls = ADAPTERS[name].split(":")
    try:
        return getattr(import_module(module), cls)()
    except ModuleNotFoundError as e:
        raise SourceNotFoundError(f"source {name!r} is registered but not installed: {e}") from e


def available() -> list[Source]:
    """Every registered adapter, in ingest order."""
    return [get(name) for name in ADAPTERS]
