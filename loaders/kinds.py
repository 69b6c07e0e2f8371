"""The municipality's own files: trajectories, participation, population, budget, targets, norms, regions."""

from __future__ import annotations

from common import verwijzers
from loaders import plausible
from loaders.columns import Column, LoadContext, Prepared
from loaders.report import FileRefused
from loaders.sqlcheck import GOOD, Sql, SqlChecks, message
from loaders.stage import Staged

PRODUCTCATEGORIEEN = (
    "basishulp", "jeugdhulp_ambulant", "jeugdhulp_verblijf", "jeugdbescherming", "jeugdreclassering", "jeugd_ggz",
)
BUDGET_CATEGORIEEN = (
    "preventief", "collectief", "toegang", "individueel_ambulant", "individueel_verblijf", "jeugdbescherming",
    "jeugdreclassering", "pgb", "overig",
)
NIVEAUS = plausible.LEVEL_ORDER
MAX_PERSONS = 20_000_000  # more than the Netherlands has inhabitants
MAX_EURO = 1e11
MAX_NORM_DAGEN = 365
MAX_AGE_AT_REQUEST = 27  # verlengde jeugdhulp runs to 23; a few years' margin for late registration

TRAJECTEN = [
    Column(name="client_id", aliases=("clientnummer", "bsn_hash")),
    Column(name="wijk_code", type="regio", aliases=("wijk",)),
    Column(name="aanmelddatum", type="date", aliases=("verzoekdatum", "datum_aanmelding")),
    Column(name="toewijzingsdatum", type="date", required=False),
    Column(name="startdatum", type="date", required=False, aliases=("datum_start", "begindatum")),
    Column(name="einddatum", type="date", required=False, aliases=("datum_einde",), open_end=True),
    Column(name="productcategorie", type="token", aliases=("categorie", "vorm")),
    Column(name="aanbieder", required=False),
    Column(name="verwijzer", required=False, normalise=verwijzers.read),
    Column(name="huishouden_id", required=False, aliases=("gezin_id",)),
    Column(name="geboortejaar", type="int", required=False, minimum=1900, maximum=2100),
]
BEREIK_BASE = [
    Column(name="wijk_code", type="regio", aliases=("wijk",)),
    Column(name="aanbod"),
    Column(name="soort", type="token", choices=("preventief", "collectief")),
]
BEVOLKING = [
    Column(name="regio_code", type="regio"),
    Column(name="jaar", type="int", minimum=1900, maximum=2100),
    Column(name="leeftijd_van", type="int", minimum=0, maximum=120),
    Column(name="leeftijd_tot", type="int", minimum=0, maximum=120),
    Column(name="aantal", type="int", minimum=0, maximum=MAX_PERSONS),
]
BUDGET = [
    Column(name="jaar", type="int", minimum=1900, maximum=2100),
    Column(name="regio_code", type="regio"),
    Column(name="soort", type="token", choices=("begroting", "realisatie")),
    Column(name="bedrag", type="euro", minimum=-MAX_EURO, maximum=MAX_EURO),
    Column(name="categorie", type="token", required=False, choices=BUDGET_CATEGORIEEN),
    Column(name="taakveld", required=False),
]
STREEFWAARDEN = [
    Column(name="indicator_id", type="token"),
    Column(name="regio_code", type="regio"),
    Column(name="jaar", type="int", minimum=1900, maximum=2100),
    Column(name="waarde", type="float", minimum=-1e9, maximum=1e9),
    Column(name="bron", required=False),
]
NORMEN = [
    Column(name="productcategorie", type="token"),
    Column(name="norm_dagen", type="int", minimum=0, maximum=MAX_NORM_DAGEN),
    Column(name="soort_dagen", type="token", choices=("kalenderdagen", "werkdagen")),
    Column(name="bron", required=False),
]
REGIOS = [
    Column(name="regio_code", type="regio"),
    Column(name="regio_naam"),
    Column(name="niveau", type="code", choices=NIVEAUS),
    Column(name="ouder_code", required=False),
    Column(name="vergelijkingsgroep", required=False),
]
TAAKVELDEN = [
    Column(name="taakveld"),
    Column(name="categorie", type="token", choices=BUDGET_CATEGORIEEN),
    Column(name="jaar_van", type="int", required=False, minimum=1900, maximum=2999),
    Column(name="jaar_tot", type="int", required=False, minimum=1900, maximum=2999),
    Column(name="omschrijving", required=False),
]


def _start(staged: Staged, ctx: LoadContext, spec: list[Column], kind: str) -> SqlChecks:
    return SqlChecks(staged, ctx, spec, kind)


def duplicate_warning(count: int, keys, what: str) -> str:
    return f"{count} dubbele {what} (zelfde {', '.join(keys)}) zijn één keer geladen."


def _queries(checks: SqlChecks, queries: dict[str, tuple[str, list]], accepted: int, warnings: list[str]) -> Prepared:
    """The rows to write as queries over the checked file; its temporary tables go after the write."""
    return Prepared(queries=queries, rows_accepted=accepted, problems=checks.problems(), warnings=warnings,
                    cleanup=checks.drop)


def _sql_dedupe(checks: SqlChecks, keys: list[str] | dict[str, str], warnings: list[str], what: str) -> int:
    """Keep the first of the good rows with the same key (in file order), set-wise; returns the rows kept."""
    keyed = keys if isinstance(keys, dict) else {k: k for k in keys}
    good, kept = checks.dedupe(keyed)
    if good > kept:
        warnings.append(duplicate_warning(good - kept, list(keyed), what))
    return kept


DATES = ("aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum")


def prepare_trajecten(staged: Staged, ctx: LoadContext) -> Prepared:
    """Every rule in SQL: this is the kind with millions of rows."""
    checks = _start(staged, ctx, TRAJECTEN, "trajecten")
    checks.known_regions("wijk_code", ("WK",))
    for name in DATES:
        if checks.has(name):
            checks.reject(f"{name} > ?::DATE", checks.col(name),
                          message(f"{name} ", Sql(f"jm_nl_date({name})"), " ligt in de toekomst"), [ctx.today.date()])
    _order(checks, "startdatum", "aanmelddatum")
    _order(checks, "toewijzingsdatum", "aanmelddatum")
    _order(checks, "einddatum", "startdatum")
    if checks.has("einddatum"):
        checks.reject("einddatum IS NOT NULL AND startdatum IS NULL", checks.col("einddatum"),
                      "einddatum zonder startdatum")
    if checks.has("geboortejaar"):
        born = checks.col("geboortejaar")
        checks.reject("geboortejaar > year(aanmelddatum)", born, "geboortejaar ligt na de aanmelddatum")
        age = "(year(aanmelddatum) - geboortejaar)"
        checks.reject(f"{age} > ? AND geboortejaar >= 1900", born, message(
            "geboortejaar ", Sql("geboortejaar::BIGINT"), ": de jongere zou bij de aanmelding ", Sql(f"{age}::BIGINT"),
            f" jaar zijn (jeugdhulp loopt tot {MAX_AGE_AT_REQUEST} jaar)"), [MAX_AGE_AT_REQUEST])
    checks.run()
    warnings: list[str] = []
    keys = ["client_id", "productcategorie", "aanmelddatum"]
    kept = _sql_dedupe(checks, keys, warnings, "trajecten")
    unknown_cat = [r[0] for r in checks.cur.execute(
        f"SELECT DISTINCT productcategorie FROM {GOOD} WHERE NOT list_contains(?, productcategorie) ORDER BY 1",
        [list(PRODUCTCATEGORIEEN)]).fetchall()]
    if unknown_cat:
        warnings.append(
            "productcategorieën buiten de standaardlijst geladen: " + ", ".join(unknown_cat)
            + " (voeg een wachttijdnorm toe om ze aan een norm te toetsen)."
        )
    columns = ["client_id", "huishouden_id", "wijk_code", *DATES, "productcategorie", "aanbieder", "verwijzer"]
    query = f"SELECT {', '.join(columns)}, geboortejaar::BIGINT AS geboortejaar FROM {GOOD}"
    return _queries(checks, {"trajecten": (query, [])}, kept, warnings)


def _order(checks: SqlChecks, later: str, earlier: str) -> None:
    if not (checks.has(later) and checks.has(earlier)):
        return
    checks.reject(f"{later} < {earlier}", checks.col(later), message(
        f"{later} (", Sql(f"jm_nl_date({later})"), f") ligt vóór {earlier} (", Sql(f"jm_nl_date({earlier})"), ")"))


def prepare_bereik(staged: Staged, ctx: LoadContext) -> Prepared:
    lower = {c.lower() for c in staged.names()}
    per_person = "client_id" in lower
    spec = list(BEREIK_BASE)
    if per_person:
        spec.append(Column(name="client_id"))
        has_jaar = "jaar" in lower
        spec.append(Column(name="jaar", type="int", required=not ("datum" in lower), minimum=1900, maximum=2100))
        spec.append(Column(name="datum", type="date", required=not has_jaar))
    else:
        spec += [Column(name="jaar", type="int", minimum=1900, maximum=2100),
                 Column(name="deelnemers", type="int", minimum=0, maximum=MAX_PERSONS)]
    checks = _start(staged, ctx, spec, "bereik")
    checks.known_regions("wijk_code", ("WK",))
    if not per_person:
        plausible.participants_above_population(ctx, checks)
    jaar = "jaar"
    if per_person and checks.has("datum"):
        checks.reject("datum > ?::DATE", checks.col("datum"), "datum ligt in de toekomst", [ctx.today.date()])
        jaar = "coalesce(jaar, year(datum))"
    checks.reject(f"{jaar} > ?", checks.col("jaar"), "jaar ligt in de toekomst", [ctx.today.year])
    checks.run()
    warnings: list[str] = []
    if per_person:
        keys = {"jaar": jaar, "wijk_code": "wijk_code", "aanbod": "aanbod", "soort": "soort", "client_id": "client_id"}
        kept = _sql_dedupe(checks, keys, warnings, "deelnames")
        query = f"SELECT jaar::BIGINT AS jaar, wijk_code, aanbod, soort, client_id FROM {GOOD}"
        return _queries(checks, {"bereik_deelnemers": (query, [])}, kept, warnings)
    kept = _sql_dedupe(checks, ["jaar", "wijk_code", "aanbod", "soort"], warnings, "regels")
    query = f"SELECT jaar::BIGINT AS jaar, wijk_code, aanbod, soort, deelnemers::BIGINT AS deelnemers FROM {GOOD}"
    return _queries(checks, {"bereik_aantallen": (query, [])}, kept, warnings)


def prepare_bevolking(staged: Staged, ctx: LoadContext) -> Prepared:
    checks = _start(staged, ctx, BEVOLKING, "bevolking")
    checks.known_regions("regio_code", NIVEAUS)
    checks.reject("leeftijd_van > leeftijd_tot", checks.col("leeftijd_van"), "leeftijd_van is groter dan leeftijd_tot")
    checks.run()
    plausible.nested_bands(checks)
    checks.run()
    warnings: list[str] = []
    kept = _sql_dedupe(checks, ["regio_code", "jaar", "leeftijd_van", "leeftijd_tot"], warnings, "regels")
    query = (f"SELECT regio_code, jaar::BIGINT AS jaar, leeftijd_van::BIGINT AS leeftijd_van, leeftijd_tot::BIGINT "
             f"AS leeftijd_tot, aantal::BIGINT AS aantal FROM {GOOD}")
    return _queries(checks, {"bevolking": (query, [])}, kept, warnings)


def prepare_budget(staged: Staged, ctx: LoadContext) -> Prepared:
    lower = {c.lower() for c in staged.names()}
    if not lower & {"categorie", "taakveld"}:
        raise FileRefused(f"{ctx.display}: een budgetbestand heeft een kolom 'categorie' of 'taakveld' nodig.")
    checks = _start(staged, ctx, BUDGET, "budget")
    checks.known_regions("regio_code", ("GM", "WK"))
    checks.reject("categorie IS NULL AND coalesce(replace(taakveld, ',', '.'), '') = ''",
                  checks.found.get("categorie", checks.found.get("taakveld")), "categorie en taakveld zijn allebei leeg")
    checks.run()
    # budget lines are summed per key within a file
    query = (f"SELECT jaar::BIGINT AS jaar, regio_code, soort, replace(coalesce(taakveld, ''), ',', '.') AS taakveld, "
             f"coalesce(categorie, '') AS categorie, sum(bedrag) AS bedrag FROM {GOOD} GROUP BY ALL")
    good = checks.rows() - checks.bad_rows()
    return _queries(checks, {"budget": (query, [])}, good, _unmapped(checks))


def _unmapped(checks: SqlChecks) -> list[str]:
    # the load's own cursor: it sees the taakvelden loaded earlier in the same transaction
    rows = checks.cur.execute(
        f"""WITH todo AS (SELECT DISTINCT replace(taakveld, ',', '.') AS taakveld, jaar::BIGINT AS jaar FROM {GOOD}
                          WHERE categorie IS NULL AND taakveld IS NOT NULL)
            SELECT t.taakveld, list(DISTINCT t.jaar ORDER BY t.jaar) FROM todo t
            WHERE NOT EXISTS (SELECT 1 FROM taakveld_mapping m WHERE m.taakveld = t.taakveld
                              AND t.jaar BETWEEN m.jaar_van AND m.jaar_tot)
            GROUP BY t.taakveld ORDER BY t.taakveld"""
    ).fetchall()
    return [
        f"taakveld {tv} heeft geen categorie in de taakveldindeling (jaren {', '.join(map(str, years))}); "
        "deze regels tellen niet mee tot u de indeling aanvult."
        for tv, years in rows
    ]


def prepare_streefwaarden(staged: Staged, ctx: LoadContext) -> Prepared:
    checks = _start(staged, ctx, STREEFWAARDEN, "streefwaarden")
    checks.known_regions("regio_code", NIVEAUS)
    plausible.indicator_problems(ctx, checks)
    checks.run()
    warnings: list[str] = []
    kept = _sql_dedupe(checks, ["indicator_id", "regio_code", "jaar"], warnings, "streefwaarden")
    query = f"SELECT indicator_id, regio_code, jaar::BIGINT AS jaar, waarde, bron FROM {GOOD}"
    return _queries(checks, {"streefwaarden": (query, [])}, kept, warnings)


def prepare_normen(staged: Staged, ctx: LoadContext) -> Prepared:
    checks = _start(staged, ctx, NORMEN, "normen")
    checks.run()
    warnings: list[str] = []
    kept = _sql_dedupe(checks, ["productcategorie"], warnings, "normen")
    query = f"SELECT productcategorie, norm_dagen::BIGINT AS norm_dagen, soort_dagen, bron FROM {GOOD}"
    return _queries(checks, {"normen": (query, [])}, kept, warnings)


def prepare_regios(staged: Staged, ctx: LoadContext) -> Prepared:
    checks = _start(staged, ctx, REGIOS, "regios")
    checks.reject("niveau IS NOT NULL AND left(regio_code, 2) IS DISTINCT FROM niveau", checks.col("regio_code"),
                  message("code '", Sql("regio_code"), "' past niet bij niveau ", Sql("niveau")))
    plausible.region_parents(checks)
    checks.run()
    warnings: list[str] = []
    kept = _sql_dedupe(checks, ["regio_code"], warnings, "regio's")
    prepared = _queries(checks, {
        "regions": (f"SELECT regio_code AS code, regio_naam AS name, niveau, vergelijkingsgroep FROM {GOOD}", []),
        "region_parents": (f"SELECT DISTINCT g.regio_code AS code, p.parent AS parent_code FROM {GOOD} g "
                           "JOIN _load_parents p USING (_row)", []),
    }, kept, warnings)
    # a region's parents are the file's: those the database had go first
    prepared.before.append((f"DELETE FROM region_parents WHERE code IN (SELECT regio_code FROM {GOOD})", []))
    return prepared


def prepare_taakvelden(staged: Staged, ctx: LoadContext) -> Prepared:
    checks = _start(staged, ctx, TAAKVELDEN, "taakvelden")
    checks.run()
    warnings: list[str] = []
    kept = _sql_dedupe(checks, {"taakveld": "replace(taakveld, ',', '.')", "jaar_van": "coalesce(jaar_van, 1900)"},
                       warnings, "taakvelden")
    query = (f"SELECT taakveld, jaar_van::BIGINT AS jaar_van, coalesce(jaar_tot, 2999)::BIGINT AS jaar_tot, "
             f"categorie, omschrijving, ?::VARCHAR AS bron FROM {GOOD}")
    prepared = _queries(checks, {"taakveld_mapping": (query, [ctx.display])}, kept, warnings)
    prepared.before.append(("DELETE FROM taakveld_mapping", []))
    return prepared
