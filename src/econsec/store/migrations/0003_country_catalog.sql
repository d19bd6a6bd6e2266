-- One row per country with its codes in every scheme the store knows and its group memberships.
CREATE VIEW country_catalog AS
SELECT c.iso3, c.name, c.iso2, c.iso_numeric, c.kind,
       (SELECT string_agg(DISTINCT k.code, ',' ORDER BY k.code) FROM country_codes k
         WHERE k.iso3 = c.iso3 AND k.scheme = 'census') AS census_codes,
       (SELECT string_agg(DISTINCT k.code, ',' ORDER BY k.code) FROM country_codes k
         WHERE k.iso3 = c.iso3 AND k.scheme = 'baci') AS baci_codes,
       (SELECT string_agg(DISTINCT k.code, ',' ORDER BY k.code) FROM country_codes k
         WHERE k.iso3 = c.iso3 AND k.scheme = 'comtrade') AS comtrade_codes,
       (SELECT string_agg(g.group_code, ',' ORDER BY g.group_code) FROM country_groups g
         WHERE g.iso3 = c.iso3) AS groups
FROM countries c;
