"""The indicator catalogue, declared as data.

Each indicator is one `Indicator` declaration; the dynamic ones (`verwijzer_<code>_pct` for every referrer code,
`cbs_<stem>` for every other CBS measure) are declared from the data when the catalogue is read with a connection.
How an indicator is computed lives in `indicators.compute`; whether it is suppressed in `indicators.suppression`.
"""

from __future__ import annotations

import re
from typing import Literal

import duckdb
from pydantic import BaseModel, ConfigDict

from common.verwijzers import VERWIJZERS, label as verwijzer_label

Richting = Literal["hoger is beter", "lager is beter", "neutraal"]

# Sources whose figures concern individual children: these are suppressed below the threshold.
OWN_REGISTRATION = frozenset({"trajecten", "bereik"})

# CBS form-of-care categories -> form stem: OData keys of the dimension (`TypeJeugdzorg`, `VormenVanJeugdzorg`).
CBS_FORM_CODES = {
    "A041": "jeugdhulp_zonder_verblijf",
    "A042": "jeugdhulp_met_verblijf",
    "A043": "jeugdbescherming",
    "A044": "jeugdreclassering",
}
# ... and the titles cbsodata and StatLine write (lower case; a leading `JZ`/`JH 2`/`JB` code is tried without too).
# `jeugdhulp` is the total of jeugdhulp in natura, jeugdbescherming and jeugdreclassering: jeugdhulp_aantal/_pct.
CBS_FORM_TITLES = {
    "totaal alle jeugdzorg in natura": "jeugdhulp",        # wijk tables 84615NED, 85075NED, 85685NED
    "totaal jeugdzorg in natura": "jeugdhulp",
    "jz totaal jeugdzorg in natura": "jeugdhulp",          # 85100NED
    "totaal jeugdzorg": "jeugdhulp",                       # 83563NED (2016): the wijk table counts care in natura
    "jz totaal jeugdzorg": "jeugdzorg_totaal",             # 85100NED: in natura and pgb
    "jh 1 totaal jeugdhulp": "jeugdhulp_totaal",           # 85100NED: jeugdhulp without protection or probation
    "totaal jeugdhulp": "jeugdhulp_totaal",
    "jeugdhulp zonder verblijf": "jeugdhulp_zonder_verblijf",
    "jeugdhulp met verblijf": "jeugdhulp_met_verblijf",
    "jeugdbescherming": "jeugdbescherming",
    "jeugdreclassering": "jeugdreclassering",
}
# Categories of the other dimensions that mean "everyone" (`Persoonskenmerken` 10000 = totaal personen).
CBS_TOTAL_CATEGORY = re.compile(r"^(t\d{3,}|10000|totaal\b.*)$", re.IGNORECASE)
# Measure stems counting young people with youth care (KWB, the wijk tables of 2016 and 2019+, 85100NED).
CBS_COUNT_STEMS = frozenset({
    "JongerenMetJeugdzorgInNatura", "TotaalJongerenMetJeugdzorgInNatura", "TotaalJongerenMetJeugdzorg",
    "JongerenMetJeugdzorg",
})
# Trajectories per referrer in the CBS wijk tables, and the total they are a share of.
CBS_VERWIJZER_STEMS = {
    "GemeentelijkeToegang": "gemeentelijke_toegang",
    "Huisarts": "huisarts",
    "Jeugdarts": "jeugdarts",
    "GecertificeerdeInstelling": "gecertificeerde_instelling",
    "MedischSpecialist": "medisch_specialist",
    "RechterOfficierVanJustitie": "rechter",
    "GeenVerwijzer": "geen",
    "VerwijzerOnbekend": "onbekend",
}
CBS_TRAJECTEN_STEMS = frozenset({"TotaalTrajectenInNatura", "TotaalJeugdzorgtrajecten"})
# The soort under which CBS's referrer shares are published beside those from own registration.
SOORT_CBS = "cbs"

# Own-registration productcategorie -> form of care (for the per-form percentages).
TRAJECT_FORMS = {
    "basishulp": "jeugdhulp_zonder_verblijf",
    "jeugdhulp_ambulant": "jeugdhulp_zonder_verblijf",
    "jeugd_ggz": "jeugdhulp_zonder_verblijf",
    "jeugdhulp_verblijf": "jeugdhulp_met_verblijf",
    "jeugdbescherming": "jeugdbescherming",
    "jeugdreclassering": "jeugdreclassering",
}

# CBS measures that feed named indicators and are therefore not passed through as `cbs_<stem>`.
CBS_JEUGDZORG_AANTAL = "JongerenMetJeugdzorgInNatura"
CBS_JEUGDZORG_PCT = "PercentageJongerenMetJeugdzorg"

# The expected use per wijk (indicators.models.verwacht).
VERWACHT_ID = "jeugdhulp_verwacht_pct"


class Indicator(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    naam: str
    beschrijving: str
    eenheid: str
    teller: str | None = None
    noemer: str | None = None
    richting: Richting = "neutraal"
    bronnen: tuple[str, ...]
    min_n: int = 10
    soort_split: bool = False
    headline: bool = False
    leeftijd: str | None = None
    cbs_measure: str | None = None
    productcategorie: str | None = None  # a wait-time indicator of one productcategorie (its own norm)
    # Privacy (own registration only): the underlying counts the teller and noemer are (None: no protected count,
    # e.g. a population from CBS), the count noemer - teller where that is a count of its own (those outside the
    # norm), and whether the value is a non-additive statistic (median, percentile) of its noemer's records.
    telling_teller: str | None = None
    telling_noemer: str | None = None
    telling_rest: str | None = None
    statistiek: bool = False
    model: str | None = None    # computed by a model in indicators.models (its own interval, no Wilson)

    @property
    def eigen_registratie(self) -> bool:
        """True when the figure counts children from own registration, so small numbers are suppressed."""
        return bool(OWN_REGISTRATION.intersection(self.bronnen))

    @property
    def proportie(self) -> bool:
        """A share of persons, for which a Wilson interval and funnel limits make sense."""
        return (self.eenheid == "%" and self.teller is not None and "budget" not in self.bronnen
                and self.model is None)


def _form(stem: str, naam: str, wat: str) -> Indicator:
    """A per-form percentage: from CBS, or from own trajectories (then its teller is the clients in that form)."""
    return Indicator(
        id=f"{stem}_pct",
        naam=naam,
        beschrijving=f"Jongeren tot 23 jaar met {wat}, als percentage van alle jongeren tot 23 jaar. "
        "CBS-cijfers waar CBS de vorm geeft, anders uit de eigen trajectregistratie.",
        eenheid="%",
        teller=f"jongeren met {wat}",
        noemer="jongeren van 0 tot en met 22 jaar",
        bronnen=("cbs", "cbs-long", "trajecten", "bevolking"),
        leeftijd="0-22 jaar",
        telling_teller=f"clienten_{stem}",
    )


FORM_NAMES = {
    "jeugdhulp_zonder_verblijf": "jeugdhulp zonder verblijf",
    "jeugdhulp_met_verblijf": "jeugdhulp met verblijf",
    "jeugdbescherming": "jeugdbescherming",
    "jeugdreclassering": "jeugdreclassering",
    "jeugdzorg_totaal": "jeugdzorg in natura of met een persoonsgebonden budget",
    "jeugdhulp_totaal": "jeugdhulp (zonder jeugdbescherming en jeugdreclassering)",
}


def _form_count(stem: str, wat: str) -> Indicator:
    return Indicator(
        id=f"{stem}_aantal",
        naam=f"Aantal jongeren met {wat}",
        beschrijving=f"Aantal jongeren tot 23 jaar met {wat} (CBS, afgerond op vijftallen).",
        eenheid="aantal",
        teller=f"jongeren met {wat}",
        bronnen=("cbs", "cbs-long"),
        leeftijd="0-22 jaar",
    )


STATIC: tuple[Indicator, ...] = (
    Indicator(
        id="jeugdhulp_pct",
        naam="Jongeren met jeugdhulp",
        beschrijving="Jongeren tot 23 jaar met jeugdhulp in natura, jeugdbescherming of jeugdreclassering, als "
        "percentage van alle jongeren tot 23 jaar. Het CBS-percentage waar dat bruikbaar is, anders aantal / "
        "bevolking 0-22 jaar.",
        eenheid="%",
        teller="jongeren met jeugdhulp, jeugdbescherming of jeugdreclassering",
        noemer="jongeren van 0 tot en met 22 jaar",
        bronnen=("cbs", "bevolking"),
        headline=True,
        leeftijd="0-22 jaar",
    ),
    Indicator(
        id="jeugdhulp_aantal",
        naam="Aantal jongeren met jeugdhulp",
        beschrijving="Aantal jongeren tot 23 jaar met jeugdhulp in natura, jeugdbescherming of jeugdreclassering "
        "(CBS, afgerond op vijftallen).",
        eenheid="aantal",
        teller="jongeren met jeugdhulp",
        bronnen=("cbs",),
        leeftijd="0-22 jaar",
    ),
    _form("jeugdhulp_zonder_verblijf", "Jongeren met jeugdhulp zonder verblijf", "jeugdhulp zonder verblijf"),
    _form("jeugdhulp_met_verblijf", "Jongeren met jeugdhulp met verblijf", "jeugdhulp met verblijf"),
    _form("jeugdbescherming", "Jongeren met jeugdbescherming", "jeugdbescherming"),
    _form("jeugdreclassering", "Jongeren met jeugdreclassering", "jeugdreclassering"),
    _form("jeugdzorg_totaal", "Jongeren met jeugdzorg (in natura en pgb)",
          "jeugdzorg in natura of met een persoonsgebonden budget"),
    _form("jeugdhulp_totaal", "Jongeren met jeugdhulp (alle jeugdhulp)", "jeugdhulp (zonder jeugdbescherming en "
          "jeugdreclassering)"),
    *(_form_count(stem, naam) for stem, naam in FORM_NAMES.items()),
    Indicator(
        id=VERWACHT_ID,
        naam="Verwacht gebruik van jeugdhulp",
        beschrijving="Het percentage jongeren met jeugdzorg in natura dat je op grond van de samenstelling van de "
        "wijk zou verwachten: lage inkomens, bijstand, herkomst, huishoudens met kinderen, leeftijdsopbouw en "
        "stedelijkheid. Elk jaar opnieuw berekend met een telmodel (negatief binomiaal) over alle wijken in de "
        "database. De grenzen geven aan waar het werkelijke percentage met 95% zekerheid zou liggen als de wijk "
        "precies het model volgde; alleen daarbuiten heet een wijk hoger of lager dan verwacht. Hoger dan verwacht "
        "kan meer problemen betekenen, maar ook dat de hulp de jongeren beter bereikt; lager kan ook betekenen dat "
        "hulp van elders komt (huisarts, school).",
        eenheid="%",
        teller="verwacht aantal jongeren met jeugdzorg in natura",
        noemer="jongeren tot 23 jaar (KWB: 0 tot 15 jaar plus 8/10 van 15 tot 25 jaar)",
        bronnen=("cbs",),
        leeftijd="0-22 jaar",
        model="verwacht",
    ),
    Indicator(
        id="bereik_preventief_pct",
        naam="Bereik preventief en collectief aanbod",
        beschrijving="Unieke deelnemers aan preventief en collectief aanbod in het jaar, als percentage van de "
        "jongeren van 0 tot en met 17 jaar.",
        eenheid="%",
        teller="unieke deelnemers",
        noemer="jongeren van 0 tot en met 17 jaar",
        richting="hoger is beter",
        bronnen=("bereik", "bevolking"),
        headline=True,
        leeftijd="0-17 jaar",
        telling_teller="deelnemers",
    ),
    Indicator(
        id="clienten_aantal",
        naam="Unieke cliënten",
        beschrijving="Jongeren met een traject dat in het jaar actief was (gestart op of voor 31 december en "
        "niet geëindigd voor 1 januari).",
        eenheid="aantal",
        teller="unieke cliënten",
        bronnen=("trajecten",),
        telling_teller="clienten",
    ),
    Indicator(
        id="huishoudens_aantal",
        naam="Bereikte huishoudens",
        beschrijving="Huishoudens met een traject dat in het jaar actief was, waar het huishouden is vastgelegd.",
        eenheid="aantal",
        teller="unieke huishoudens",
        bronnen=("trajecten",),
        telling_teller="huishoudens",
    ),
    Indicator(
        id="trajecten_per_client",
        naam="Trajecten per cliënt",
        beschrijving="Trajecten die in het jaar actief waren, gedeeld door het aantal unieke cliënten.",
        eenheid="ratio",
        teller="actieve trajecten",
        noemer="unieke cliënten",
        bronnen=("trajecten",),
        telling_teller="actieve_trajecten",
        telling_noemer="clienten",
    ),
    Indicator(
        id="wachttijd_mediaan_dagen",
        naam="Wachttijd (mediaan)",
        beschrijving="Mediaan van startdatum min aanmelddatum in kalenderdagen, over trajecten die in het jaar "
        "startten.",
        eenheid="dagen",
        noemer="gestarte trajecten",
        richting="lager is beter",
        bronnen=("trajecten",),
        headline=True,
        telling_noemer="gestart",
        statistiek=True,
    ),
    Indicator(
        id="wachttijd_p80_dagen",
        naam="Wachttijd (80e percentiel)",
        beschrijving="80e percentiel (lineaire interpolatie) van startdatum min aanmelddatum in kalenderdagen, "
        "over trajecten die in het jaar startten.",
        eenheid="dagen",
        noemer="gestarte trajecten",
        richting="lager is beter",
        bronnen=("trajecten",),
        telling_noemer="gestart",
        statistiek=True,
    ),
    Indicator(
        id="wachttijd_binnen_norm_pct",
        naam="Start binnen norm",
        beschrijving="Percentage van de in het jaar gestarte trajecten waarvan de wachttijd binnen de norm voor "
        "de productcategorie bleef (kalender- of werkdagen, zoals de norm zegt).",
        eenheid="%",
        teller="gestart binnen de norm",
        noemer="gestarte trajecten met een norm",
        richting="hoger is beter",
        bronnen=("trajecten", "normen"),
        headline=True,
        telling_teller="gestart_binnen_norm",
        telling_noemer="gestart_met_norm",
        telling_rest="gestart_buiten_norm",
    ),
    Indicator(
        id="wachtlijst_aantal",
        naam="Wachtend op 31 december",
        beschrijving="Aanmeldingen op of voor 31 december zonder start op die datum.",
        eenheid="aantal",
        teller="wachtende aanmeldingen",
        richting="lager is beter",
        bronnen=("trajecten",),
        headline=True,
        telling_teller="wachtend",
    ),
    Indicator(
        id="trajectduur_mediaan_dagen",
        naam="Duur van afgesloten trajecten",
        beschrijving="Mediaan van einddatum min startdatum in dagen, over trajecten die in het jaar eindigden.",
        eenheid="dagen",
        noemer="afgesloten trajecten",
        bronnen=("trajecten",),
        telling_noemer="afgesloten",
        statistiek=True,
    ),
    Indicator(
        id="preventief_budget_aandeel_pct",
        naam="Aandeel preventief en collectief in jeugdbudget",
        beschrijving="Uitgaven aan preventief en collectief aanbod als percentage van alle jeugduitgaven, apart "
        "voor begroting en realisatie.",
        eenheid="%",
        teller="preventieve en collectieve uitgaven (euro)",
        noemer="alle jeugduitgaven (euro)",
        richting="hoger is beter",
        bronnen=("budget",),
        soort_split=True,
        headline=True,
    ),
    Indicator(
        id="jeugdbudget_totaal_eur",
        naam="Jeugdbudget",
        beschrijving="Alle jeugduitgaven, apart voor begroting en realisatie.",
        eenheid="euro",
        teller="alle jeugduitgaven (euro)",
        bronnen=("budget",),
        soort_split=True,
    ),
)

_BY_ID = {i.id: i for i in STATIC}


def slug(code: str) -> str:
    """A code as it appears in an indicator id: lower case, runs of other characters as one `_`."""
    return re.sub(r"[^a-z0-9]+", "_", code.strip().lower()).strip("_") or "onbekend"


def verwijzer_indicator(code: str) -> Indicator:
    label = verwijzer_label(code)
    return Indicator(
        id=f"verwijzer_{code}_pct",
        naam=f"Verwijzer: {label}",
        beschrijving=f"Aandeel van de in het jaar gestarte trajecten met verwijzer '{label}' (zonder verwijzer "
        "vastgelegd telt als onbekend); met soort 'cbs' het aandeel van de jeugdzorgtrajecten in natura per "
        "verwijzer volgens CBS.",
        eenheid="%",
        teller=f"trajecten met verwijzer {label}",
        noemer="trajecten",
        bronnen=("trajecten", "cbs"),
        telling_teller=f"gestart_verwijzer_{code}",
        telling_noemer="gestart",
    )


# Per-productcategorie wait times: `wachttijd_<categorie>_<stat>` for every productcategorie in the trajectories.
WACHTTIJD_STATS = ("mediaan_dagen", "p80_dagen", "binnen_norm_pct")
WACHTTIJD_CATEGORIE = re.compile(r"wachttijd_([a-z0-9_]+)_(mediaan_dagen|p80_dagen|binnen_norm_pct)")


def categorie_label(categorie: str) -> str:
    """'jeugd_ggz' -> 'jeugd-GGZ', 'jeugdhulp_ambulant' -> 'jeugdhulp ambulant'."""
    return categorie.replace("jeugd_ggz", "jeugd-GGZ").replace("_", " ")


def wachttijd_indicator(categorie: str, stat: str) -> Indicator:
    """One wait-time statistic for one productcategorie, judged against that category's norm."""
    label = categorie_label(categorie)
    base = _BY_ID[f"wachttijd_{stat}"]
    return base.model_copy(update={
        "id": f"wachttijd_{categorie}_{stat}",
        "naam": f"{base.naam}: {label}",
        "beschrijving": base.beschrijving.rstrip(".") + f", productcategorie {label}."
        + (" De norm is die van deze productcategorie." if stat == "binnen_norm_pct" else
           " Met een verdelingsvrij 95%-betrouwbaarheidsinterval (rangordestatistieken)." if stat == "mediaan_dagen"
           else ""),
        "headline": False,
        "productcategorie": categorie,
        # the category's own counts (its starts are a part of all starts): suppression judges those
        **{k: f"{getattr(base, k)}_{categorie}" for k in ("telling_teller", "telling_noemer", "telling_rest")
           if getattr(base, k)},
    })


def cbs_indicator(measure: str, title: str | None, unit: str | None) -> Indicator:
    return Indicator(
        id=f"cbs_{slug_cbs(measure)}",
        naam=(title or measure).strip(),
        beschrijving=f"CBS-cijfer '{(title or measure).strip()}', ongewijzigd overgenomen.",
        eenheid=(unit or "").strip() or cbs_unit_guess(measure),
        bronnen=("cbs",),
        cbs_measure=measure,
    )


def slug_cbs(measure: str) -> str:
    """Wide stems stay as they are; long-format `M001|Dim=code` becomes `M001_Dim_code`."""
    return re.sub(r"[^A-Za-z0-9]+", "_", measure).strip("_")


def cbs_unit_guess(measure: str) -> str:
    return "%" if measure.lower().startswith("percentage") else "aantal"


def _verwijzer_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT DISTINCT coalesce(nullif(trim(v), ''), 'onbekend') FROM (SELECT DISTINCT verwijzer AS v FROM trajecten)"
    ).fetchall()
    return list(VERWIJZERS) + sorted({slug(r[0]) for r in rows} - set(VERWIJZERS))


def _cbs_passthrough(con: duckdb.DuckDBPyConnection) -> list[Indicator]:
    from indicators.queries_cbs import passthrough_measures

    rows = passthrough_measures(con)
    return [cbs_indicator(measure, title, unit) for measure, title, unit in rows]


def all_indicators(con: duckdb.DuckDBPyConnection | None = None) -> list[Indicator]:
    """Every indicator: the declared ones, and with a connection also the dynamic ones the data gives."""
    if con is None:
        return list(STATIC) + [verwijzer_indicator(c) for c in VERWIJZERS]
    cur = con.cursor()
    return (list(STATIC) + [verwijzer_indicator(c) for c in _verwijzer_codes(cur)]
            + [wachttijd_indicator(c, s) for c in productcategorieen(cur) for s in WACHTTIJD_STATS]
            + _cbs_passthrough(cur))


def productcategorieen(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The productcategorieën of the trajectories, as they appear in indicator ids."""
    rows = con.execute("SELECT DISTINCT productcategorie FROM trajecten WHERE productcategorie IS NOT NULL").fetchall()
    return sorted({slug(r[0]) for r in rows})


def get(con: duckdb.DuckDBPyConnection | None, indicator_id: str) -> Indicator:
    """One indicator by id; KeyError (with a Dutch message) when it is not known."""
    if indicator_id in _BY_ID:
        return _BY_ID[indicator_id]
    match = re.fullmatch(r"verwijzer_([a-z0-9_]+)_pct", indicator_id)
    if match:
        return verwijzer_indicator(match.group(1))
    match = WACHTTIJD_CATEGORIE.fullmatch(indicator_id)
    if match:
        return wachttijd_indicator(*match.groups())
    if con is not None and indicator_id.startswith("cbs_"):
        found = _cbs_measure(con.cursor(), indicator_id[4:])
        if found:
            return found
        for ind in _cbs_passthrough(con.cursor()):
            if ind.id == indicator_id:
                return ind
    raise KeyError(f"Onbekende indicator: {indicator_id}")


def _cbs_measure(con: duckdb.DuckDBPyConnection, stem: str) -> Indicator | None:
    """Quick lookup in cbs_measures (small) before scanning the values for a passed-through measure."""
    rows = con.execute(
        """
        SELECT measure, max(title), max(unit) FROM cbs_measures
        WHERE trim(regexp_replace(measure, '[^A-Za-z0-9]+', '_', 'g'), '_') = $stem
          AND measure NOT IN ($cnt, $pct) AND split_part(measure, '|', 2) = '' AND NOT percentage_invalid
        GROUP BY measure
        """,
        {"stem": stem, "cnt": CBS_JEUGDZORG_AANTAL, "pct": CBS_JEUGDZORG_PCT},
    ).fetchall()
    return cbs_indicator(*rows[0]) if len(rows) == 1 else None
