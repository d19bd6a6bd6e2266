-- econsec store, schema version 1: provenance, reference tables and canonical data tables.
-- Every data table carries `source` (the adapter name): a new vintage of a source replaces
-- exactly the rows with that source. Units and currency are explicit columns.

CREATE SEQUENCE ingest_id_seq START 1;

CREATE TABLE ingest_log (
    ingest_id       BIGINT NOT NULL,       -- one id per ingest call (shared by all its files)
    source          VARCHAR NOT NULL,      -- adapter name, e.g. 'baci'
    dataset         VARCHAR NOT NULL,      -- human title of the dataset
    file            VARCHAR NOT NULL,      -- path as given (absolute)
    sha256          VARCHAR NOT NULL,
    bytes           BIGINT NOT NULL,
    rows_read       BIGINT NOT NULL,       -- data records read from this file
    vintage         VARCHAR NOT NULL,      -- release / edition / download vintage
    ingested_at     TIMESTAMP NOT NULL,
    econsec_version VARCHAR NOT NULL,
    superseded_by   BIGINT                 -- ingest_id of the ingest that replaced it; NULL = current
);

CREATE TABLE ingest_tables (              -- rows written per canonical table per ingest
    ingest_id BIGINT NOT NULL,
    source    VARCHAR NOT NULL,
    tbl       VARCHAR NOT NULL,
    rows      BIGINT NOT NULL
);

CREATE TABLE code_mappings (              -- codes mapped on purpose, reported at ingest
    ingest_id BIGINT NOT NULL,
    source    VARCHAR NOT NULL,
    field     VARCHAR NOT NULL,
    code      VARCHAR NOT NULL,
    mapped_to VARCHAR,                    -- NULL: kept unmapped (e.g. a regional aggregate)
    rows      BIGINT NOT NULL,
    note      VARCHAR NOT NULL
);

-- Reference (shipped with econsec; see econsec/reference/)
CREATE TABLE countries (
    iso3        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    iso2        VARCHAR,
    iso_numeric VARCHAR,
    kind        VARCHAR NOT NULL          -- country | aggregate | former
);

CREATE TABLE country_groups (
    group_code VARCHAR NOT NULL,
    iso3       VARCHAR NOT NULL,
    since      DATE,
    source     VARCHAR NOT NULL
);

-- Codes that sources use for countries and areas (scheme: baci, comtrade, census, wiod, ...)
CREATE TABLE country_codes (
    scheme VARCHAR NOT NULL,
    code   VARCHAR NOT NULL,
    iso3   VARCHAR,                       -- NULL when the code is an area econsec keeps unmapped
    name   VARCHAR,
    source VARCHAR NOT NULL
);

CREATE TABLE products (
    classification VARCHAR NOT NULL,      -- HS1992, HS2017, HS2022, HTS8, HTS10, BEC4, ISIC3, ISIC4, SITC2/3/4, WTO_PG, JP_GOODS, WIOD13, ...
    code           VARCHAR NOT NULL,
    level          INTEGER,               -- digits (HS) or depth
    description    VARCHAR,
    parent         VARCHAR,
    source         VARCHAR NOT NULL
);

CREATE TABLE concordances (
    from_class   VARCHAR NOT NULL,
    from_code    VARCHAR NOT NULL,
    to_class     VARCHAR NOT NULL,
    to_code      VARCHAR NOT NULL,
    relationship VARCHAR,                 -- 1:1, n:1, 1:n, n:m where the source says
    source       VARCHAR NOT NULL
);

CREATE TABLE product_attributes (         -- per-product facts: Rauch class, BEC end use, ...
    classification VARCHAR NOT NULL,
    code           VARCHAR NOT NULL,
    attribute      VARCHAR NOT NULL,
    value          VARCHAR,
    source         VARCHAR NOT NULL
);

CREATE TABLE trade_flows (
    exporter       VARCHAR,               -- ISO3 or econsec aggregate code
    importer       VARCHAR,
    reporter       VARCHAR,               -- who reported the flow (NULL for reconciled data, e.g. BACI)
    flow           VARCHAR NOT NULL,      -- export | import (as reported)
    year           INTEGER NOT NULL,
    month          INTEGER,               -- NULL = annual
    classification VARCHAR NOT NULL,      -- HS2017, HS1992, HTS10, JP_GOODS, WTO_PG, TOTAL ...
    product        VARCHAR NOT NULL,      -- code in that classification; 'TOTAL' for all goods
    value_usd      DOUBLE,                -- USD (not thousands); NULL when no rate converts it
    value          DOUBLE,                -- value in the source's own currency and scale
    currency       VARCHAR,               -- currency and scale of `value`, e.g. 'USD', 'thousand USD', 'billion JPY'
    quantity       DOUBLE,
    unit           VARCHAR,               -- unit of `quantity` (kg, t, ...)
    duty_usd       DOUBLE,                -- calculated duty where the source has it
    basis          VARCHAR,               -- FOB, CIF, imports for consumption, reconciled, ...
    mirror         BOOLEAN NOT NULL DEFAULT FALSE, -- TRUE: imports taken from the partner's exports
    source         VARCHAR NOT NULL
);

CREATE TABLE commodity_series (           -- energy and minerals by country and year
    country        VARCHAR,               -- ISO3; NULL for regional aggregates
    country_name   VARCHAR NOT NULL,      -- as printed by the source
    country_kind   VARCHAR NOT NULL,      -- country | region_aggregate | other_group | total
    year           INTEGER NOT NULL,
    commodity      VARCHAR NOT NULL,      -- natural_gas, lng, lithium, cobalt, ...
    measure        VARCHAR NOT NULL,      -- imports, exports, consumption, production, reserves, ...
    value          DOUBLE,
    unit           VARCHAR NOT NULL,
    edition        VARCHAR,
    source         VARCHAR NOT NULL
);

CREATE TABLE energy_trade (               -- bilateral energy trade (LNG)
    year          INTEGER NOT NULL,
    importer      VARCHAR,
    exporter      VARCHAR,
    importer_name VARCHAR NOT NULL,
    exporter_name VARCHAR NOT NULL,
    importer_kind VARCHAR NOT NULL,
    exporter_kind VARCHAR NOT NULL,
    commodity     VARCHAR NOT NULL,
    value         DOUBLE,
    unit          VARCHAR NOT NULL,
    edition       VARCHAR,
    source        VARCHAR NOT NULL
);

CREATE TABLE prices (
    series VARCHAR NOT NULL,              -- e.g. NGAS_JP, gas_us_henry_hub
    name   VARCHAR,
    period DATE NOT NULL,                 -- first day of the period
    freq   VARCHAR NOT NULL,              -- D, M, A
    value  DOUBLE,
    unit   VARCHAR NOT NULL,
    source VARCHAR NOT NULL
);

CREATE TABLE fx_rates (
    currency VARCHAR NOT NULL,            -- ISO 4217
    period   DATE NOT NULL,
    freq     VARCHAR NOT NULL,            -- D, M, A
    per_usd  DOUBLE NOT NULL,             -- currency units per USD
    source   VARCHAR NOT NULL
);

CREATE TABLE risk_indices (
    index_name VARCHAR NOT NULL,          -- GPR, GPRT, GPRA, GPRC, ...
    country    VARCHAR,                   -- ISO3; NULL for global indices
    period     DATE NOT NULL,
    value      DOUBLE,
    unit       VARCHAR NOT NULL,
    source     VARCHAR NOT NULL
);

CREATE TABLE tariffs (
    measure        VARCHAR NOT NULL,      -- MFN, KORUS, s301 list 3, reciprocal annex I, effective ...
    imposer        VARCHAR NOT NULL,      -- ISO3 of the country imposing
    target         VARCHAR,               -- ISO3 / group code; NULL = all partners
    target_name    VARCHAR,
    classification VARCHAR NOT NULL,      -- HTS8, HS6, HS2, ALL
    product        VARCHAR NOT NULL,      -- code, or 'ALL'
    rate_pct       DOUBLE,                -- ad-valorem percent; NULL if only specific / listed
    rate_text      VARCHAR,               -- as printed
    effective_date DATE,
    end_date       DATE,
    source         VARCHAR NOT NULL
);

CREATE TABLE io_flows (                   -- MRIO cells, long and sparse (zeros not stored)
    io_table    VARCHAR NOT NULL,         -- e.g. WIOD2013
    year        INTEGER NOT NULL,
    row_country VARCHAR NOT NULL,
    row_sector  VARCHAR NOT NULL,
    col_country VARCHAR NOT NULL,
    col_sector  VARCHAR NOT NULL,         -- industry code or final-demand category (CONS_h, GFCF, ...)
    value       DOUBLE NOT NULL,
    unit        VARCHAR NOT NULL,
    source      VARCHAR NOT NULL
);

CREATE TABLE io_sectors (                 -- sector labels and per-sector accounts (gross output)
    io_table    VARCHAR NOT NULL,
    year        INTEGER,
    country     VARCHAR,
    sector      VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,         -- industry | final_demand
    name        VARCHAR,
    gross_output DOUBLE,
    unit        VARCHAR,
    source      VARCHAR NOT NULL
);

CREATE TABLE io_sector_indicators (       -- e.g. upstreamness per country x WIOD sector x year
    io_table  VARCHAR NOT NULL,
    year      INTEGER NOT NULL,
    country   VARCHAR NOT NULL,
    sector    VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    value     DOUBLE,
    source    VARCHAR NOT NULL
);

CREATE TABLE gravity_panel (
    dataset       VARCHAR NOT NULL,       -- agtpa_yotov2016, gegravity_sample
    exporter      VARCHAR NOT NULL,
    importer      VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    trade         DOUBLE,
    unit          VARCHAR NOT NULL,
    dist          DOUBLE,
    lndist        DOUBLE,
    contig        INTEGER,
    common_lang   INTEGER,
    colony        INTEGER,
    rta           INTEGER,
    international INTEGER,
    output_y      DOUBLE,                 -- Y_i (gegravity sample)
    expenditure_e DOUBLE,                 -- E_j (gegravity sample)
    extra         JSON,                   -- further dummies (rta lags/leads, pair_id)
    source        VARCHAR NOT NULL
);

CREATE TABLE elasticities (
    country        VARCHAR,               -- ISO3 of the importer; NULL = pooled
    classification VARCHAR NOT NULL,
    product        VARCHAR NOT NULL,
    parameter      VARCHAR NOT NULL,      -- sigma (import-demand elasticity of substitution)
    value          DOUBLE NOT NULL,
    method         VARCHAR,
    source         VARCHAR NOT NULL
);

CREATE TABLE mineral_lists (
    list    VARCHAR NOT NULL,
    mineral VARCHAR NOT NULL,
    grp     VARCHAR,
    note    VARCHAR,
    source  VARCHAR NOT NULL
);

CREATE TABLE documents (                  -- legal texts kept for provenance (executive orders)
    doc_id  VARCHAR NOT NULL,
    title   VARCHAR,
    date    DATE,
    text    VARCHAR NOT NULL,
    source  VARCHAR NOT NULL
);
