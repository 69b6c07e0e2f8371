"""Schema of the store, created and migrated by code.

Each entry of MIGRATIONS brings the schema from version N-1 to N; `migrate` applies the missing ones in order
inside one transaction and records the version in `meta`.
"""

from __future__ import annotations

import duckdb

from store import summary
from store.errors import StoreError

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

CREATE SEQUENCE load_id_seq START 1;
CREATE TABLE load_log (
    load_id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '',
    rows_accepted BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    warnings TEXT
);

-- Regions of every level: NL, PV (province), JZ (jeugdregio), GM, WK, BU.
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT,
    niveau TEXT NOT NULL,
    vergelijkingsgroep TEXT,
    geometry TEXT,            -- dropped in version 4: boundaries per year are in region_boundaries
    load_id INTEGER
);
-- A gemeente can have several parents (jeugdregio and province); a wijk has its gemeente.
CREATE TABLE region_parents (
    code TEXT NOT NULL,
    parent_code TEXT NOT NULL,
    load_id INTEGER,
    PRIMARY KEY (code, parent_code)
);
-- The years in which a region appears in a CBS table: a wijk code can exist in some years only.
CREATE TABLE region_years (
    code TEXT NOT NULL,
    jaar INTEGER NOT NULL,
    load_id INTEGER,
    PRIMARY KEY (code, jaar)
);

-- CBS measures, long: one row per table, region, period and measure. The big tables (cbs_values, trajecten,
-- bereik_deelnemers) carry no PRIMARY KEY: maintaining its index costs five times the load; the loaders keep
-- their keys unique by replacing rows with the same key (loaders.pipeline.TABLE_KEYS).
CREATE TABLE cbs_values (
    table_id TEXT NOT NULL,
    regio_code TEXT NOT NULL,
    periode TEXT NOT NULL,      -- '2023', '2023-H1', '2023-Q2'
    jaar INTEGER NOT NULL,
    measure TEXT NOT NULL,      -- the stem: key without its last _NN, plus long-format dimensions
    original_key TEXT NOT NULL,
    value DOUBLE,
    missing_reason TEXT,        -- NULL when value is present; else onbekend/geheim/nihil/leeg/later/vervallen
    status TEXT,                -- 'voorlopig' where CBS marks figures provisional
    load_id INTEGER
);
-- What we know of each measure: title, unit, and whether a percentage column is usable as one.
CREATE TABLE cbs_measures (
    table_id TEXT NOT NULL,
    measure TEXT NOT NULL,
    original_key TEXT,
    title TEXT,
    unit TEXT,
    decimals INTEGER,
    percentage_invalid BOOLEAN NOT NULL DEFAULT false,
    warning TEXT,
    load_id INTEGER,
    PRIMARY KEY (table_id, measure)
);

CREATE TABLE trajecten (
    client_id TEXT NOT NULL,
    huishouden_id TEXT,
    wijk_code TEXT NOT NULL,
    aanmelddatum DATE NOT NULL,
    toewijzingsdatum DATE,
    startdatum DATE,
    einddatum DATE,
    productcategorie TEXT NOT NULL,
    aanbieder TEXT,
    verwijzer TEXT,
    geboortejaar INTEGER,
    load_id INTEGER             -- key: client_id, productcategorie, aanmelddatum
);

-- Participation in preventive/collective offers: aggregated (deelnemers) or one row per person (client_id).
CREATE TABLE bereik_aantallen (
    jaar INTEGER NOT NULL,
    wijk_code TEXT NOT NULL,
    aanbod TEXT NOT NULL,
    soort TEXT NOT NULL,
    deelnemers BIGINT NOT NULL,
    load_id INTEGER,
    PRIMARY KEY (jaar, wijk_code, aanbod, soort)
);
CREATE TABLE bereik_deelnemers (
    jaar INTEGER NOT NULL,
    wijk_code TEXT NOT NULL,
    aanbod TEXT NOT NULL,
    soort TEXT NOT NULL,
    client_id TEXT NOT NULL,
    load_id INTEGER             -- key: jaar, wijk_code, aanbod, soort, client_id
);

CREATE TABLE bevolking (
    regio_code TEXT NOT NULL,
    jaar INTEGER NOT NULL,
    leeftijd_van INTEGER NOT NULL,
    leeftijd_tot INTEGER NOT NULL,
    aantal BIGINT NOT NULL,
    load_id INTEGER,
    PRIMARY KEY (regio_code, jaar, leeftijd_van, leeftijd_tot)
);

-- Budget lines, summed per key within a file; categorie NULL where only a taakveld was given.
CREATE TABLE budget (
    jaar INTEGER NOT NULL,
    regio_code TEXT NOT NULL,
    soort TEXT NOT NULL,
    taakveld TEXT NOT NULL DEFAULT '',
    categorie TEXT NOT NULL DEFAULT '',
    bedrag DOUBLE NOT NULL,
    load_id INTEGER,
    PRIMARY KEY (jaar, regio_code, soort, taakveld, categorie)
);
-- Iv3 taakveld -> category, per range of years (the numbering changed in 2023 and 2025). Replaceable by the user.
CREATE TABLE taakveld_mapping (
    taakveld TEXT NOT NULL,
    jaar_van INTEGER NOT NULL,
    jaar_tot INTEGER NOT NULL,
    categorie TEXT NOT NULL,
    omschrijving TEXT,
    bron TEXT,
    load_id INTEGER,
    PRIMARY KEY (taakveld, jaar_van)
);

CREATE TABLE streefwaarden (
    indicator_id TEXT NOT NULL,
    regio_code TEXT NOT NULL,
    jaar INTEGER NOT NULL,
    waarde DOUBLE NOT NULL,
    bron TEXT,
    load_id INTEGER,
    PRIMARY KEY (indicator_id, regio_code, jaar)
);

CREATE TABLE normen (
    productcategorie TEXT PRIMARY KEY,
    norm_dagen INTEGER NOT NULL,
    soort_dagen TEXT NOT NULL,
    bron TEXT,
    load_id INTEGER
);

-- Notes made in duidingssessies: what the room said about one wijk's chart.
CREATE SEQUENCE duiding_id_seq START 1;
CREATE TABLE duiding (
    id INTEGER PRIMARY KEY DEFAULT nextval('duiding_id_seq'),
    wijk_code TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    jaar INTEGER NOT NULL,
    datum DATE NOT NULL,
    tekst TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Published indicator values (after suppression): what pages and exports read. Rebuilt after every load.
CREATE TABLE indicator_values (
    indicator_id TEXT NOT NULL,
    regio_code TEXT NOT NULL,
    regio_naam TEXT,
    niveau TEXT NOT NULL,
    gemeente_code TEXT,        -- the gemeente a wijk or gemeente belongs to; NULL for benchmark levels
    periode TEXT NOT NULL,
    jaar INTEGER NOT NULL,
    soort TEXT NOT NULL DEFAULT '',   -- begroting/realisatie for budget indicators
    waarde DOUBLE,
    teller DOUBLE,
    noemer DOUBLE,
    ci_laag DOUBLE,
    ci_hoog DOUBLE,
    eenheid TEXT NOT NULL,
    onderdrukt BOOLEAN NOT NULL,
    reden TEXT,                -- why suppressed or missing
    bron TEXT                  -- key: indicator_id, regio_code, periode, soort (unique by construction; an index
                               -- would triple the time of a national refresh)
);
"""

# Who did what: the user who loaded a file, the author of a duiding note (no client ids, only the user's name).
_V2 = """
ALTER TABLE load_log ADD COLUMN geladen_door TEXT;
ALTER TABLE duiding ADD COLUMN auteur TEXT;
"""

# Expected use per wijk (indicators.models): the interval for the observed percentage under the model, and per
# model and year its card (fit figures and terms as JSON) or the Dutch reason it was not fitted.
_V3 = """
ALTER TABLE indicator_values ADD COLUMN ondergrens DOUBLE;
ALTER TABLE indicator_values ADD COLUMN bovengrens DOUBLE;
CREATE TABLE model_kaart (
    model TEXT NOT NULL,
    jaar INTEGER NOT NULL,
    periode TEXT NOT NULL,
    gefit BOOLEAN NOT NULL,
    bericht TEXT,              -- why no figures, in Dutch, when not fitted
    kaart TEXT NOT NULL,       -- JSON: number of wijken, terms, fit quality, dispersion, left out
    PRIMARY KEY (model, periode)
);
"""

# Boundaries per year: a wijk code can keep its code while its area changes (Almere 2019 -> 2023), and a map of
# 2017 gemeenten is not today's. Geometry stored before maps had a year cannot be placed in one: it is dropped,
# with its load records, so the same file loads again (with its year).
_V4 = """
CREATE TABLE region_boundaries (
    code TEXT NOT NULL,
    jaar INTEGER NOT NULL,      -- the year the map belongs to
    niveau TEXT NOT NULL,       -- GM, WK, BU (PV, JZ, NL where a map has them)
    name TEXT,                  -- the name in the map file
    geometry TEXT NOT NULL,     -- GeoJSON (Multi)Polygon in WGS84, simplified (loaders/geo_shapes.py)
    load_id INTEGER,
    PRIMARY KEY (code, jaar)
);
DELETE FROM load_log WHERE kind = 'geo';
ALTER TABLE regions DROP COLUMN geometry;
"""

# Figures published before a load and its recompute were one transaction may be stale: recompute them once.
_V5 = """
INSERT OR REPLACE INTO meta SELECT 'figures_stale', 'true' WHERE EXISTS (SELECT 1 FROM load_log);
"""

# The wait-time distribution, published with the indicators and suppressed in the same decision (see
# indicators.verdeling): started trajectories per wijk or gemeente, year, productcategorie and class of wait.
# A database with figures recomputes them once, so that the table is filled.
_V6_VERDELING = """
CREATE TABLE wachttijd_verdeling (
    regio_code TEXT NOT NULL,
    niveau TEXT NOT NULL,
    gemeente_code TEXT NOT NULL,
    periode TEXT NOT NULL,
    jaar INTEGER NOT NULL,
    productcategorie TEXT NOT NULL,
    klasse TEXT NOT NULL,
    aantal BIGINT,             -- NULL when withheld
    onderdrukt BOOLEAN NOT NULL,
    reden TEXT
);
INSERT OR REPLACE INTO meta SELECT 'figures_stale', 'true' WHERE EXISTS (SELECT 1 FROM load_log);
"""

# The built-in CBS region reference (`store/reference/`): gemeenten per year with their jeugdregio, province,
# landsdeel, COROP and size and urbanisation class; names of every code per span of years; the wijken of the map.
# Filled from the shipped CSVs by `store.reference.ensure`; the name a region had in a year goes to region_years.
_V7_REFERENTIE = """
ALTER TABLE region_years ADD COLUMN naam TEXT;
ALTER TABLE indicator_values ADD COLUMN indelingsbreuk TEXT;  -- see indicators.breaks
CREATE TABLE ref_gemeenten (
    jaar INTEGER NOT NULL,
    gemeente_code TEXT NOT NULL,
    jz_code TEXT, pv_code TEXT, ld_code TEXT, cr_code TEXT,
    grootte_code INTEGER, stedelijkheid_code INTEGER,
    inwoners BIGINT,
    PRIMARY KEY (gemeente_code, jaar)
);
CREATE TABLE ref_regios (
    code TEXT NOT NULL, niveau TEXT NOT NULL, naam TEXT NOT NULL, jaar_van INTEGER NOT NULL, jaar_tot INTEGER NOT NULL,
    PRIMARY KEY (code, jaar_van)
);
-- Where CBS says a region's code or area changed against the year before (KWB `IndelingswijzigingGemeenteWijkBuurt`,
-- the wijk tables' `IndelingswijzigingWijken`): 2 = new code, same area; 3 = area changed. Figures of that region
-- before and after are not comparable as they are.
CREATE TABLE region_breaks (
    code TEXT NOT NULL, jaar INTEGER NOT NULL, wijziging INTEGER NOT NULL, load_id INTEGER,
    PRIMARY KEY (code, jaar)
);
CREATE TABLE ref_wijken (
    wijk_code TEXT NOT NULL, wijk_naam TEXT, gemeente_code TEXT NOT NULL, jaar INTEGER NOT NULL,
    PRIMARY KEY (wijk_code, jaar)
);
"""

# The rows of the model of expected use per year (before suppression), kept beside its card: a refresh whose model
# inputs are unchanged (the card's `invoer`) reuses them instead of fitting again (indicators.models.verwacht).
_V8_MODEL_RIJEN = """
CREATE TABLE model_rijen (
    model TEXT NOT NULL,
    periode TEXT NOT NULL,
    regio_code TEXT NOT NULL,
    waarde DOUBLE,
    teller DOUBLE,
    noemer DOUBLE,
    ondergrens DOUBLE,
    bovengrens DOUBLE
);
"""

# The summary of the published figures per gemeente (`store.summary`), filled from what is published.
_V9_SAMENVATTING = summary.CREATE + summary.FILL
# The (table_id, measure) pairs of the CBS values, for the catalogue (`store.summary`).
_V10_CBS_MATEN = summary.CREATE_CBS + summary.FILL_CBS

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6_VERDELING, _V7_REFERENTIE, _V8_MODEL_RIJEN, _V9_SAMENVATTING,
                         _V10_CBS_MATEN]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    cur = con.cursor()
    exists = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the schema up to SCHEMA_VERSION and put the built-in region reference in (cheap when it is there);
    returns the schema version found before."""
    found = _migrate_schema(con)
    from store.reference import ensure

    ensure(con)
    return found


def _migrate_schema(con: duckdb.DuckDBPyConnection) -> int:
    found = current_version(con)
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"De database heeft schemaversie {found}, deze versie van Jeugdmonitor kent tot {SCHEMA_VERSION}; "
            f"gebruik een nieuwere versie van de Jeugdmonitor."
        )
    if found == SCHEMA_VERSION:
        return found
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        for sql in MIGRATIONS[found:]:
            cur.execute(sql)
        cur.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        if found == 0:
            from store.taakvelden import install_default_mapping

            install_default_mapping(cur)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    return found
