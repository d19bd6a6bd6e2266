"""Residual and confidential codes (methods.md §1.7): trade recorded without naming the goods.

Customs nomenclatures keep codes for trade that is not classified by kind of good:

* **HS chapters 98 and 99** are reserved by the WCO for special uses by the contracting parties
  (they are not harmonised). UN Comtrade puts "commodities not specified according to kind" in
  chapter 99 (HS 9999, 999999): confidential trade that a reporter suppresses at product level
  (e.g. Japan's and Australia's confidential minerals and fuels), low-value and postal shipments,
  ships' stores. The U.S. HTS uses chapter 98 for special classification provisions (U.S. goods
  returned, temporary imports) and 9999.95 for estimated low-value shipments.
* **SITC divisions 91 and 93** (postal packages, and special transactions and commodities, "not
  classified according to kind"), SITC Rev. 2 section 9.
* **Japan's principal commodities**: the residual group "Others".
* Any code that is not a code of the nomenclature at all: ``TOTAL``, letters in a numeric
  nomenclature (Comtrade's ``AG2`` aggregation labels, ``XX``, BACI's ``9999AA``-style
  placeholders).

A supplier-concentration screen on such a code measures the concentration of *whatever a
reporter chose not to specify*: Japan's chapter 99 (mostly "from" Australia in the mirror data)
is not a product Japan depends on. The screens therefore set these codes aside by default and
list them separately (``services.indicators.critical_items``); :func:`residual_mask` says which
codes they are.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np

Family = Literal["hs", "sitc", "jp_goods", "other"]

#: Leading digits of the residual codes of each numeric nomenclature family.
RESIDUAL_PREFIXES: dict[Family, tuple[str, ...]] = {"hs": ("98", "99"), "sitc": ("91", "93")}
#: Residual codes given by name.
RESIDUAL_NAMES: dict[Family, tuple[str, ...]] = {"jp_goods": ("Others",)}
#: What the residual codes of each family are, for provenance.
DESCRIPTION: dict[Family, str] = {
    "hs": "HS chapters 98–99 (national use: commodities not specified according to kind, "
          "confidential trade, special provisions) and non-HS codes",
    "sitc": "SITC divisions 91 and 93 (not classified according to kind) and non-SITC codes",
    "jp_goods": "Japan's principal-commodity group 'Others'",
    "other": "none",
}


def family(classification: str) -> Family:
    """The nomenclature family of a panel's ``classification`` label (e.g. ``"HS2012/HS2017 at
    2 digits"`` → ``"hs"``; ``"HTS10"`` → ``"hs"``; ``"SITC2"`` → ``"sitc"``)."""
    c = classification.upper()
    if "SITC" in c:
        return "sitc"
    if "JP_GOODS" in c:
        return "jp_goods"
    if re.search(r"\bH(S|TS)?\d|\bHS\b|\bCN\d|\bHTS", c):
        return "hs"
    return "other"


def residual_mask(products: np.ndarray, classification: str) -> np.ndarray:
    """Boolean (P,): True for the residual and confidential codes among ``products``.

    Parameters
    ----------
    products : product codes (strings) of a panel.
    classification : the panel's classification label; decides the family (:func:`family`).
    """
    codes = np.asarray(products, dtype=object).astype(str)
    fam = family(classification)
    out = np.isin(codes, ("TOTAL", *RESIDUAL_NAMES.get(fam, ())))
    prefixes = RESIDUAL_PREFIXES.get(fam)
    if prefixes and len(codes):
        u = codes.astype("U")
        out |= np.isin(u.astype("U2"), prefixes)  # astype to U2 keeps the first two characters
        out |= ~np.char.isdigit(u)
    return out
