"""Rules that look beyond one cell: the region tree, targets against the catalogue, counts against their population."""

from __future__ import annotations

import re

from loaders.columns import LoadContext
from loaders.sqlcheck import Sql, SqlChecks, message
from loaders.stage import WHITESPACE

LEVEL_ORDER = ("NL", "PV", "JZ", "GM", "WK", "BU")  # from the top of the region tree down
_VERWIJZER_ID = re.compile(r"verwijzer_[a-z0-9_]+_pct")


def region_parents(checks: SqlChecks) -> None:
    """The parents each row names (`_load_parents (_row, parent)`, one row per parent), and the rules that reject the
    rows whose parents are not CBS codes, unknown, the region itself, or not above it in the tree (which rules out
    every cycle). A parent's level is the file's own where the file names the region, else the database's."""
    cur = checks.cur
    cur.execute("""CREATE OR REPLACE TEMP TABLE _load_parents AS
        SELECT t._row, trim(p, $ws) AS parent FROM _load_t t,
               unnest(regexp_split_to_array(upper(coalesce(t.ouder_code, '')), '[|,;/]')) AS u(p)
        WHERE trim(p, $ws) <> ''""", {"ws": WHITESPACE})
    cur.execute("""CREATE OR REPLACE TEMP TABLE _load_levels AS
        WITH own AS (SELECT regio_code AS code, arg_max(niveau, _row) AS niveau FROM _load_t
                     WHERE regio_code IS NOT NULL AND niveau IS NOT NULL GROUP BY regio_code)
        SELECT code, niveau FROM own
        UNION ALL SELECT code, niveau FROM regions WHERE code NOT IN (SELECT code FROM own)""")
    column = checks.found.get("ouder_code")
    named = ("SELECT DISTINCT t._row, {msg} AS msg FROM _load_parents p JOIN _load_t t USING (_row) "
             "LEFT JOIN _load_levels l ON l.code = p.parent WHERE {condition}")

    def reject(condition: str, *parts: str, params: list | None = None) -> None:
        text, text_params = message(*parts)
        checks.reject_rows(named.format(msg=text, condition=condition), column, text_params + (params or []))

    reject("jm_not_cbs_code(p.parent)",
           "ouder_code '", Sql("t.ouder_code"), "' bevat iets dat geen CBS-regiocode is")
    reject("NOT jm_not_cbs_code(p.parent) AND l.niveau IS NULL", "onbekende ouder_code in '", Sql("t.ouder_code"), "'")
    reject("p.parent = t.regio_code", "een regio kan niet haar eigen ouder zijn (ouder_code is de regio zelf)")
    reject("p.parent IS DISTINCT FROM t.regio_code AND l.niveau IS NOT NULL AND list_position(?, t.niveau) IS NOT NULL "
           "AND NOT coalesce(list_position(?, l.niveau) < list_position(?, t.niveau), false)",
           "ouder_code in '", Sql("t.ouder_code"),
           f"' ligt niet boven de regio in de indeling ({' > '.join(LEVEL_ORDER)}); zo ontstaat een kring",
           params=[list(LEVEL_ORDER)] * 3)
def indicator_problems(ctx: LoadContext, checks: SqlChecks) -> None:
    """Targets name a known indicator (declared, a referrer share, or a CBS measure in the database); a target for
    a percentage lies between 0 and 100."""
    from indicators.catalog import all_indicators

    units = {i.id: i.eenheid for i in all_indicators(ctx.con)}
    referrer = f"regexp_full_match(indicator_id, '{_VERWIJZER_ID.pattern}')"
    checks.reject(f"indicator_id IS NOT NULL AND NOT list_contains(?, indicator_id) AND NOT {referrer}",
                  checks.col("indicator_id"),
                  message("onbekende indicator '", Sql("indicator_id"), "' (zie python -m indicators list; een "
                          "CBS-cijfer is pas bekend als het CBS-bestand geladen is)"), [list(units)])
    percentages = [i for i, unit in units.items() if unit == "%"]
    checks.reject(f"({referrer} OR list_contains(?, indicator_id)) AND (waarde > 100 OR waarde < 0)",
                  checks.col("waarde"),
                  message("'", Sql("r_waarde"), "' ligt niet tussen 0 en 100 (de indicator is een percentage)"),
                  [percentages])


def participants_above_population(ctx: LoadContext, checks: SqlChecks) -> None:
    """Participants of a wijk and year above its population aged 0-17 in the database are impossible."""
    from indicators.population import build_population

    cur = ctx.con.cursor()
    build_population(cur)
    pop = cur.execute("SELECT regio_code AS wijk_code, jaar, aantal FROM _iv_pop WHERE tot_max = 17").df()
    cur.execute("DROP TABLE _iv_pop")
    checks.cur.execute("CREATE OR REPLACE TEMP TABLE _load_pop (wijk_code VARCHAR, jaar BIGINT, aantal DOUBLE)")
    if not pop.empty:
        checks.cur.register("_load_pop_frame", pop)
        checks.cur.execute("INSERT INTO _load_pop SELECT wijk_code, jaar, aantal FROM _load_pop_frame")
        checks.cur.unregister("_load_pop_frame")
    text, params = message(Sql("t.deelnemers::BIGINT"), " deelnemers is meer dan de ", Sql("p.aantal::BIGINT"),
                           " inwoners van 0 tot en met 17 jaar van ", Sql("t.wijk_code"), " in ",
                           Sql("t.jaar::BIGINT"))
    checks.reject_rows(f"SELECT t._row, any_value({text}) AS msg FROM _load_t t JOIN _load_pop p "
                       "ON p.wijk_code = t.wijk_code AND p.jaar = t.jaar WHERE t.deelnemers > p.aantal GROUP BY t._row",
                       checks.col("deelnemers"), params)


def nested_bands(checks: SqlChecks, limit: int = 5_000_000) -> None:
    """Within one file, region and year, an age band inside another cannot hold more people than it: the count of the
    inner band is rejected, naming the first band (in file order) it exceeds. Among the rows no rule rejected so far
    (after a first `run()`); skipped when the pairs would be too many to compare."""
    pairs = checks.cur.execute("SELECT coalesce(sum(n * n), 0) FROM (SELECT count(*) AS n FROM _load_ok "
                               "GROUP BY regio_code, jaar)").fetchall()[0][0]
    if pairs > limit:
        return
    text, params = message("aantal ", Sql("aantal::BIGINT"), " voor ", Sql("van::BIGINT"), " tot en met ",
                           Sql("tot::BIGINT"), " jaar is meer dan de ", Sql("o_aantal::BIGINT"), " voor ",
                           Sql("o_van::BIGINT"), " tot en met ", Sql("o_tot::BIGINT"),
                           " jaar in dezelfde regio en hetzelfde jaar")
    checks.reject_rows(f"""SELECT _row, {text} AS msg FROM (
        SELECT i._row, i.aantal, i.leeftijd_van AS van, i.leeftijd_tot AS tot, o.aantal AS o_aantal,
               o.leeftijd_van AS o_van, o.leeftijd_tot AS o_tot
        FROM _load_ok i JOIN _load_ok o ON i.regio_code = o.regio_code AND i.jaar = o.jaar
        WHERE i.leeftijd_van >= o.leeftijd_van AND i.leeftijd_tot <= o.leeftijd_tot
          AND (i.leeftijd_van <> o.leeftijd_van OR i.leeftijd_tot <> o.leeftijd_tot) AND i.aantal > o.aantal
        QUALIFY row_number() OVER (PARTITION BY i._row ORDER BY o._row) = 1)""", checks.col("aantal"), params)
