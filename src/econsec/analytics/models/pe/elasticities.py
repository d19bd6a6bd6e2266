"""Elasticities for the SMART model, per HTS10 line, with the source of each value.

SMART needs three elasticities per product (WITS online help, "SMART > Using SMART > Checking the
Raw Data", wits.worldbank.org/wits/wits/witshelp/Content/SMART/):

* **substitution elasticity σ** between suppliers (Armington). WITS default: **1.5**.
* **export supply elasticity ε_x**. WITS default: **99**, its stand-in for infinite. econsec's
  default is ∞ itself (the limit WITS approximates).
* **import-demand elasticity ε_m**. WITS uses product-specific values (Kee, Nicita & Olarreaga
  2008, REStat 90(4)) and has no single default. The store has none, so econsec uses one value
  for every product. The default is **−1.5**. This is econsec's assumption, not a WITS number,
  and it can be changed in the model spec. Trade creation is linear in ε_m.

The store's ``elasticities`` table holds Broda & Weinstein's (2006, QJE 121(2)) σ estimates,
taken from the R package ``concordance``. These are elasticities of substitution among
*varieties* of a good, where a variety is the good from one country of origin. That is exactly
SMART's σ, so econsec uses them as σ. It does not use them as ε_m, although the package calls
them "import demand elasticities". Two U.S. tables are available:

* ``"hs3"`` (default): USA by **HS1992 3-digit** group (168 groups). The 2024 HTS follows
  **HS2022** and the estimates follow HS1992. Cutting the HTS code at 3 digits would therefore
  assign some lines to the wrong group: e.g. smartphones, HS2022 8517.13, were HS1992 8525.20
  (group 852, not 851). Each line's HS2022 subheading (its first 6 digits) is therefore mapped
  to HS1992 through the store's HS2022 → HS1992 concordance, which links each HS2022 code to
  exactly one HS1992 code. The group is the first 3 digits of that HS1992 code. Lines with no
  HS2022 subheading take the group of their own first 3 digits if the table has one. These are
  mostly chapter 98/99 lines (U.S. goods returned, low-value shipments), which have no HS
  counterpart.
* ``"sitc5"``: USA by SITC rev.3 5-digit item (2,716 items), reached through the HS2022 → SITC3
  concordance, with ``"hs3"`` as fallback. These estimates are finer but very dispersed, up to
  about 16,000.

Products that neither table covers get the default σ (``"default"`` uses it for all products).
Every product carries a label saying which of these rules gave its σ. The tables are read by
:func:`.data.sigmas` and :func:`.data.concordance`; :func:`assign_sigma` is the pure lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from econsec.analytics.models.pe import data
from econsec.errors import check_choice, choices
from econsec.store import Store

SigmaSource = Literal["hs3", "sitc5", "default"]
SIGMA_SOURCES: tuple[SigmaSource, ...] = choices(SigmaSource)

#: WITS SMART default substitution elasticity (WITS online help, "Checking the Raw Data").
DEFAULT_SIGMA = 1.5
#: econsec's default import-demand elasticity (an assumption; WITS has product-specific values).
DEFAULT_EPS_M = -1.5
#: WITS SMART default export supply elasticity (99, "infinite"); econsec defaults to the limit.
WITS_EXPORT_SUPPLY = 99.0

BW = "Broda-Weinstein (2006) USA"
LABEL_HS3 = f"{BW} HS1992 3-digit (via HS2022->HS1992 concordance)"
LABEL_HS3_PREFIX = f"{BW} HS1992 3-digit (HTS prefix; no HS2022 subheading)"
LABEL_SITC5 = f"{BW} SITC3 5-digit (via HS2022->SITC3 concordance)"


def label_default(value: float, what: str = "sigma") -> str:
    return f"default {what} = {value:g}"


@dataclass(frozen=True)
class ProductElasticities:
    """σ and ε_m per product (aligned with ``products``) and where each σ came from."""

    products: np.ndarray
    sigma: np.ndarray
    sigma_key: np.ndarray     # the code looked up, e.g. '852' (HS1992 3-digit) or '76432'
    sigma_source: np.ndarray  # one of the LABEL_* strings or "default sigma = …"
    eps_m: np.ndarray
    eps_m_source: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"product": self.products, "sigma": self.sigma,
                             "sigma_key": self.sigma_key, "sigma_source": self.sigma_source,
                             "eps_m": self.eps_m, "eps_m_source": self.eps_m_source})


def assign_sigma(hs6: np.ndarray, prefix3: np.ndarray, *, hs6_to_key: pd.Series,
                 key_to_sigma: pd.Series, fallback_to_sigma: pd.Series | None,
                 label: str, fallback_label: str, default: float
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """σ for each product: concordance key first, then the fallback prefix, then ``default``.

    Parameters
    ----------
    hs6 : HS2022 subheading of each product (first 6 digits of the HTS10 code).
    prefix3 : the product's own first 3 digits (fallback key).
    hs6_to_key : HS2022 code → key of the σ table (HS1992 3-digit or SITC3 5-digit).
    key_to_sigma : key → σ.
    fallback_to_sigma : 3-digit prefix → σ for products without a concordance row (or None).
    label, fallback_label : source labels of the two rules.
    default : σ where neither rule gives a value.

    Returns (sigma, key, source label) arrays.
    """
    key = pd.Series(hs6).map(hs6_to_key)
    sigma = key.map(key_to_sigma).to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    source = np.where(np.isnan(sigma), "", label).astype(object)
    keys = key.fillna("").to_numpy(dtype=object, copy=True)
    if fallback_to_sigma is not None:
        # Only products with no concordance row use their own prefix: a mapped product whose
        # group has no estimate must not fall back to a different (unmapped) group.
        use = key.isna().to_numpy() & np.isnan(sigma)
        fb = pd.Series(prefix3[use]).map(fallback_to_sigma).to_numpy(dtype=np.float64, na_value=np.nan)
        got = ~np.isnan(fb)
        idx = np.flatnonzero(use)[got]
        sigma[idx], source[idx], keys[idx] = fb[got], fallback_label, prefix3[idx]
    miss = np.isnan(sigma)
    sigma[miss] = default
    source[miss] = label_default(default)
    keys[miss] = ""
    return sigma, keys, source


def product_elasticities(store: Store, products: np.ndarray, *, importer: str = "USA",
                         source: SigmaSource = "hs3", default_sigma: float = DEFAULT_SIGMA,
                         eps_m: float = DEFAULT_EPS_M) -> ProductElasticities:
    """σ (from the store where it has the product, else ``default_sigma``) and ε_m per HTS10 code.

    See the module docstring for the lookup rules. ``eps_m`` is applied to every product.
    """
    check_choice(source, SigmaSource, option="sigma_source")
    products = np.asarray(products, dtype=object)
    codes = pd.Series(products, dtype=object)
    hs6 = codes.str[:6].to_numpy(dtype=object)
    prefix3 = codes.str[:3].to_numpy(dtype=object)
    n = len(products)
    if source == "default":
        sigma = np.full(n, float(default_sigma))
        keys = np.full(n, "", dtype=object)
        labels = np.full(n, label_default(default_sigma), dtype=object)
    else:
        hs3 = data.sigmas(store, importer, "HS1992")
        conc = data.concordance(store, "HS1992").str[:3]
        sigma, keys, labels = assign_sigma(hs6, prefix3, hs6_to_key=conc, key_to_sigma=hs3,
                                           fallback_to_sigma=hs3, label=LABEL_HS3,
                                           fallback_label=LABEL_HS3_PREFIX, default=default_sigma)
        if source == "sitc5":
            s5, k5, l5 = assign_sigma(hs6, prefix3, hs6_to_key=data.concordance(store, "SITC3"),
                                      key_to_sigma=data.sigmas(store, importer, "SITC3"),
                                      fallback_to_sigma=None, label=LABEL_SITC5, fallback_label="",
                                      default=np.nan)
            got = ~np.isnan(s5)
            sigma[got], keys[got], labels[got] = s5[got], k5[got], l5[got]
    return ProductElasticities(products=products, sigma=sigma, sigma_key=keys, sigma_source=labels,
                               eps_m=np.full(n, float(eps_m)),
                               eps_m_source=np.full(n, label_default(eps_m, "eps_m"), dtype=object))


def uniform_elasticities(products: np.ndarray, *, sigma: float = DEFAULT_SIGMA,
                         eps_m: float = DEFAULT_EPS_M) -> ProductElasticities:
    """The same σ and ε_m for every product (no store needed; hand-made baselines, tests)."""
    products = np.asarray(products, dtype=object)
    n = len(products)
    return ProductElasticities(products=products, sigma=np.full(n, float(sigma)),
                               sigma_key=np.full(n, "", dtype=object),
                               sigma_source=np.full(n, label_default(sigma), dtype=object),
                               eps_m=np.full(n, float(eps_m)),
                               eps_m_source=np.full(n, label_default(eps_m, "eps_m"), dtype=object))
