"""CBS StatLine files: wide (KWB, OData v3 `TypedDataSet`, cbsodata output, StatLine web downloads) and long
(OData4 `Observations`). Which shape a file has is read from the file (`loaders.cbs_shape`); region codes and names
are resolved in `loaders.cbs_regions`.

Every category of an extra dimension (`VormenVanJeugdzorg`, `Persoonskenmerken`, ...) stays its own measure,
`<stem>|<Dimension>=<category>`, so nothing overwrites anything; a row that repeats another row's region, period and
categories is rejected, not silently replaced.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from loaders import cbs_long, cbs_sql, cbs_wide
from loaders.cbs_shape import Layout, stem
from loaders.columns import LoadContext, Prepared
from loaders.stage import Staged
from loaders.report import FileRefused

__all__ = ["prepare_cbs", "prepare_cbs_long", "stem"]

TABLE_IN_NAME = re.compile(r"(?<![0-9])(\d{5}(?:NED|ENG))(?![A-Za-z])", re.IGNORECASE)
KNOWN_TABLES = {
    "84583NED": 2019, "84799NED": 2020, "85039NED": 2021, "85318NED": 2022, "85618NED": 2023, "85984NED": 2024,
    "86165NED": 2025, "83563NED": 2016, "84615NED": 2019, "85075NED": 2021, "85685NED": 2023,
}
# Titles of common KWB measures, used when no DataProperties (--meta) names them.
KNOWN_TITLES = {
    "AantalInwoners": ("Aantal inwoners", "aantal"),
    "k_0Tot15Jaar": ("Inwoners 0 tot 15 jaar", "aantal"),
    "k_15Tot25Jaar": ("Inwoners 15 tot 25 jaar", "aantal"),
    "k_25Tot45Jaar": ("Inwoners 25 tot 45 jaar", "aantal"),
    "k_45Tot65Jaar": ("Inwoners 45 tot 65 jaar", "aantal"),
    "k_65JaarOfOuder": ("Inwoners 65 jaar of ouder", "aantal"),
    "HuishoudensTotaal": ("Huishoudens totaal", "aantal"),
    "Eenpersoonshuishoudens": ("Eenpersoonshuishoudens", "aantal"),
    "HuishoudensZonderKinderen": ("Huishoudens zonder kinderen", "aantal"),
    "HuishoudensMetKinderen": ("Huishoudens met kinderen", "aantal"),
    "HuishoudensMetEenLaagInkomen": ("Huishoudens met een laag inkomen", "%"),
    "HuishOnderOfRondSociaalMinimum": ("Huishoudens onder of rond het sociaal minimum", "%"),
    "PersonenPerSoortUitkeringBijstand": ("Personen met een bijstandsuitkering", "aantal"),
    "WestersTotaal": ("Westerse migratieachtergrond", "%"),
    "NietWestersTotaal": ("Niet-westerse migratieachtergrond", "%"),
    "MateVanStedelijkheid": ("Mate van stedelijkheid", "code"),
    "PersonenPerSoortUitkeringAO": ("Personen met een arbeidsongeschiktheidsuitkering", "aantal"),
    "PersonenPerSoortUitkeringWW": ("Personen met een WW-uitkering", "aantal"),
    "JongerenMetJeugdzorgInNatura": ("Jongeren met jeugdzorg in natura", "aantal"),
    "PercentageJongerenMetJeugdzorg": ("Percentage jongeren met jeugdzorg", "%"),
    "WmoClienten": ("Wmo-cliënten", "aantal"),
    "WmoClientenRelatief": ("Wmo-cliënten relatief", "per 1.000 inwoners"),
    # The youth-care wijk tables (83563NED, 84615NED, 85075NED, 85685NED) and Beleidsinformatie jeugd (85100NED).
    "TotaalJongerenMetJeugdzorgInNatura": ("Jongeren met jeugdzorg in natura", "aantal"),
    "TotaalJongerenMetJeugdzorg": ("Jongeren met jeugdzorg", "aantal"),
    "k_0Tot4Jaar": ("Jongeren met jeugdzorg van 0 tot 4 jaar", "aantal"),
    "k_4Tot12Jaar": ("Jongeren met jeugdzorg van 4 tot 12 jaar", "aantal"),
    "k_12Tot18Jaar": ("Jongeren met jeugdzorg van 12 tot 18 jaar", "aantal"),
    "k_18Tot23Jaar": ("Jongeren met jeugdzorg van 18 tot 23 jaar", "aantal"),
    "ThuiswonendKindInEenouderhuishouden": ("Jongeren met jeugdzorg, thuiswonend in een eenouderhuishouden", "aantal"),
    "ThuiswonendKindInEenouderGezin": ("Jongeren met jeugdzorg, thuiswonend in een eenoudergezin", "aantal"),
    "ThuiswonendKindBijEenPaar": ("Jongeren met jeugdzorg, thuiswonend bij een paar", "aantal"),
    "ThuiswonendKindInTweeouderGezin": ("Jongeren met jeugdzorg, thuiswonend in een tweeoudergezin", "aantal"),
    "AnderHuishouden": ("Jongeren met jeugdzorg in een ander huishouden", "aantal"),
    "AndereHuishoudens": ("Jongeren met jeugdzorg in een ander huishouden", "aantal"),
    "TotaalTrajectenInNatura": ("Jeugdzorgtrajecten in natura", "aantal"),
    "TotaalJeugdzorgtrajecten": ("Jeugdzorgtrajecten", "aantal"),
    "StabilisatieVanEenCrisissituatie": ("Trajecten: stabilisatie van een crisissituatie", "aantal"),
    "Diagnostiek": ("Trajecten: diagnostiek", "aantal"),
    "Begeleiden": ("Trajecten: begeleiden", "aantal"),
    "Behandelen": ("Trajecten: behandelen", "aantal"),
    "GemeentelijkeToegang": ("Trajecten verwezen door de gemeentelijke toegang", "aantal"),
    "Huisarts": ("Trajecten verwezen door de huisarts", "aantal"),
    "Jeugdarts": ("Trajecten verwezen door de jeugdarts", "aantal"),
    "GecertificeerdeInstelling": ("Trajecten verwezen door een gecertificeerde instelling", "aantal"),
    "MedischSpecialist": ("Trajecten verwezen door een medisch specialist", "aantal"),
    "RechterOfficierVanJustitie": ("Trajecten verwezen door rechter of officier van justitie", "aantal"),
    "GeenVerwijzer": ("Trajecten zonder verwijzer", "aantal"),
    "VerwijzerOnbekend": ("Trajecten met onbekende verwijzer", "aantal"),
}




def _table_id(ctx: LoadContext, lay: Layout | None = None) -> str | None:
    """`--table`, else a CBS table id in the file name (`cbs_85984NED.csv`); with a layout, else `KWB` for a
    wijk-and-buurt file and `CBS` for another."""
    if ctx.options.table:
        return ctx.options.table.strip().upper()
    m = TABLE_IN_NAME.search(ctx.display)
    if m:
        return m.group(1).upper()
    if lay is None:
        return None
    return "KWB" if lay.region.lower() == "wijkenenbuurten" or lay.code else "CBS"


def prepare_cbs(staged: Staged, ctx: LoadContext) -> Prepared:
    """A wide table (KWB, OData v3, cbsodata output, StatLine web download), staged in DuckDB."""
    return _prepare(staged, ctx, wide=True)


def prepare_cbs_long(staged: Staged, ctx: LoadContext) -> Prepared:
    """A long (OData4) table, staged in DuckDB."""
    return _prepare(staged, ctx, wide=False)


def _prepare(staged: Staged, ctx: LoadContext, wide: bool) -> Prepared:
    cbs_sql.setup(ctx.con)
    meta = _read_meta(ctx.options.meta, ctx.display)
    if wide:
        return cbs_wide.prepare_text(staged, ctx, lambda lay: _table_id(ctx, lay), meta, _measure_info)
    return cbs_long.prepare_text(staged, ctx, lambda lay: _table_id(ctx, lay), meta)


def _measure_info(table_id: str, measure: str, keys: list[str], info: dict, top: float | None,
                  warnings: list[str]) -> dict:
    """What cbs_measures holds of one measure; `top` is its highest value in the file."""
    unit = str(info.get("unit") or "").strip() or None
    decimals = info.get("decimals")
    is_pct = measure.lower().startswith("percentage") or (unit or "").strip() in ("%", "procent")
    invalid = bool(is_pct and pd.notna(top) and top > 100)
    warning = None
    if invalid:
        warning = (
            f"kolom {', '.join(keys)}: waarden boven 100 (hoogste {top:g}); het decimaalteken is onderweg verloren "
            "gegaan. Deze kolom wordt niet als percentage getoond; de aantallen zijn wel geladen."
        )
        warnings.append(warning)
    known_title, known_unit = KNOWN_TITLES.get(measure, (None, None))
    return {"table_id": table_id, "measure": measure, "original_key": ", ".join(keys),
            "title": (info.get("title") or known_title), "unit": unit or known_unit or ("%" if is_pct else None),
            "decimals": int(decimals) if decimals not in (None, "") else None,
            "percentage_invalid": invalid, "warning": warning}



def _read_meta(path: str | None, display: str) -> dict[str, dict]:
    """DataProperties JSON (Key, Title, Unit, Decimals) or a MeasureCodes table (Identifier, Title, Unit)."""
    if not path:
        return {}
    from loaders.read import read_table

    p = Path(path)
    try:
        table = read_table(p, p.name or str(p))
    except FileNotFoundError:
        raise FileRefused(f"{display}: het metadatabestand {p} bestaat niet.") from None
    except FileRefused as exc:
        raise FileRefused(f"{display}: het metadatabestand is niet te lezen: {'; '.join(exc.messages)}") from None
    records = table.frame.to_dict("records")
    meta = {}
    for rec in records:
        rec = {k.lower(): (None if v in ("", "null") else v) for k, v in rec.items()}
        key = rec.get("key") or rec.get("identifier")
        if key:
            meta[str(key).strip()] = rec
    return meta




