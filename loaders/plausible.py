"""Rules that look beyond one cell: the region tree, targets against the catalogue, counts against their population."""

from __future__ import annotations

import re

import pandas as pd

from loaders.columns import LoadContext, RowChecks
from loaders.values import not_cbs_code

LEVEL_ORDER = ("NL", "PV", "JZ", "GM", "WK", "BU")  # from the top of the region tree down
_VERWIJZER_ID = re.compile(r"verwijzer_[a-z0-9_]+_pct")


def region_parents(ctx: LoadContext, checks: RowChecks, f: pd.DataFrame, column: str | None) -> pd.Series:
    """The parents each row names (one entry per parent, indexed by row), after rejecting the rows whose parents are
    not CBS codes, unknown, the region itself, or not above it in the tree (which rules out every cycle)."""
    parents = f["ouder_code"].fillna("").str.upper().str.split(r"[|,;/]").explode().str.strip()
    parents = parents[parents != ""]
    texts = f["ouder_code"].astype(str)

    def reject(bad: pd.Series, message) -> None:
        checks.reject(f.index.isin(parents[bad].index), column, message, texts)

    malformed = not_cbs_code(parents)
    reject(malformed, lambda v: f"ouder_code '{v}' bevat iets dat geen CBS-regiocode is")
    levels = dict(zip(ctx.known_regions["code"], ctx.known_regions["niveau"]))
    named = f[f["regio_code"].notna() & f["niveau"].notna()]
    levels.update(zip(named["regio_code"], named["niveau"]))
    parent_level = parents.map(levels)
    reject(~malformed & parent_level.isna(), lambda v: f"onbekende ouder_code in '{v}'")
    own = f["regio_code"].reindex(parents.index)
    itself = parents == own
    reject(itself, "een regio kan niet haar eigen ouder zijn (ouder_code is de regio zelf)")
    rank = {level: number for number, level in enumerate(LEVEL_ORDER)}
    child_rank = f["niveau"].reindex(parents.index).map(rank)
    not_above = ~itself & parent_level.notna() & child_rank.notna() & ~(parent_level.map(rank) < child_rank)
    reject(not_above, lambda v: f"ouder_code in '{v}' ligt niet boven de regio in de indeling "
                                f"({' > '.join(LEVEL_ORDER)}); zo ontstaat een kring")
    return parents


def indicator_problems(ctx: LoadContext, checks: RowChecks, f: pd.DataFrame, found: dict[str, str],
                       waarde_text: pd.Series) -> None:
    """Targets name a known indicator (declared, a referrer share, or a CBS measure in the database); a target for
    a percentage lies between 0 and 100."""
    from indicators.catalog import all_indicators

    units = {i.id: i.eenheid for i in all_indicators(ctx.con)}
    ids = f["indicator_id"]
    referrer = ids.fillna("").str.fullmatch(_VERWIJZER_ID)
    unknown = ids.notna() & ~ids.isin(list(units)) & ~referrer
    checks.reject(unknown, found["indicator_id"],
                  lambda v: f"onbekende indicator '{v}' (zie python -m indicators list; een CBS-cijfer is pas bekend "
                            "als het CBS-bestand geladen is)", ids)
    percentage = referrer | (ids.map(units) == "%")
    outside = percentage & ((f["waarde"] > 100) | (f["waarde"] < 0))
    checks.reject(outside, found["waarde"], lambda v: f"'{v}' ligt niet tussen 0 en 100 (de indicator is een "
                                                      "percentage)", waarde_text)


def participants_above_population(ctx: LoadContext, checks: RowChecks, f: pd.DataFrame, column: str) -> None:
    """Participants of a wijk and year above its population aged 0-17 in the database are impossible."""
    from indicators.population import build_population

    cur = ctx.con.cursor()
    build_population(cur)
    pop = cur.execute("SELECT regio_code AS wijk_code, jaar, aantal FROM _iv_pop WHERE tot_max = 17").df()
    cur.execute("DROP TABLE _iv_pop")
    if pop.empty:
        return
    rows = f[["wijk_code", "jaar", "deelnemers"]].reset_index().merge(pop, on=["wijk_code", "jaar"], how="inner")
    over = rows[rows["deelnemers"] > rows["aantal"]]
    if over.empty:
        return
    mask = f.index.isin(over["index"])
    text = pd.Series("", index=f.index, dtype=object)
    text[over["index"]] = [f"{int(d)}|{int(a)}|{w}|{int(j)}" for d, a, w, j in
                           zip(over["deelnemers"], over["aantal"], over["wijk_code"], over["jaar"])]
    checks.reject(mask, column, lambda v: "{} deelnemers is meer dan de {} inwoners van 0 tot en met 17 jaar van {} "
                                          "in {}".format(*v.split("|")), text)


def nested_bands(checks: RowChecks, f: pd.DataFrame, column: str, limit: int = 5_000_000) -> None:
    """Within one file, region and year, an age band inside another cannot hold more people than it: the count of the
    inner band is rejected, naming the band it exceeds. Skipped when the pairs would be too many to compare."""
    bands = f.loc[~checks.bad, ["regio_code", "jaar", "leeftijd_van", "leeftijd_tot", "aantal"]].dropna()
    sizes = bands.groupby(["regio_code", "jaar"]).size()
    if bands.empty or int((sizes.astype("int64") ** 2).sum()) > limit:
        return
    pairs = bands.reset_index().merge(bands, on=["regio_code", "jaar"], suffixes=("", "_om"))
    inside = ((pairs["leeftijd_van"] >= pairs["leeftijd_van_om"]) & (pairs["leeftijd_tot"] <= pairs["leeftijd_tot_om"])
              & ((pairs["leeftijd_van"] != pairs["leeftijd_van_om"]) | (pairs["leeftijd_tot"] != pairs["leeftijd_tot_om"])))
    over = pairs[inside & (pairs["aantal"] > pairs["aantal_om"])].drop_duplicates("index")
    if over.empty:
        return
    text = pd.Series("", index=f.index, dtype=object)
    text[over["index"]] = [
        f"{int(a)} voor {int(v)} tot en met {int(t)} jaar is meer dan de {int(ao)} voor {int(vo)} tot en met {int(to)} "
        "jaar in dezelfde regio en hetzelfde jaar"
        for a, v, t, ao, vo, to in zip(over["aantal"], over["leeftijd_van"], over["leeftijd_tot"], over["aantal_om"],
                                       over["leeftijd_van_om"], over["leeftijd_tot_om"])]
    checks.reject(f.index.isin(over["index"]), column, lambda v: f"aantal {v}", text)

