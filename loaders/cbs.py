"""CBS StatLine files: wide (KWB, OData v3 `TypedDataSet`) and long (OData4 `Observations`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.columns import LoadContext, Prepared, RowChecks
from loaders.read import RawTable
from loaders.report import FileRefused
from loaders.values import MISSING_SYMBOLS, normalise_code, parse_number

REGION_COLUMNS = ("wijkenenbuurten", "regios", "wijken", "gemeenten")
NAME_COLUMN = re.compile(r"^(gemeentenaam|regionaam|wijknaam|buurtnaam|naam)(_\d+)?$", re.IGNORECASE)
SKIP_COLUMNS = re.compile(
    r"^(id|perioden|peildatum|soortregio(_\d+)?|codering(_\d+)?|gemeentenaam(_\d+)?|regionaam(_\d+)?|"
    r"wijknaam(_\d+)?|buurtnaam(_\d+)?|naam(_\d+)?|indelingswijziging\w*|meestvoorkomendepostcode(_\d+)?|"
    r"dekkingspercentage(_\d+)?|status)$",
    re.IGNORECASE,
)
KEY_SUFFIX = re.compile(r"^(.*)_(\d+)$")
PERIOD = re.compile(r"^(\d{4})(JJ|HJ|KW|MM)(\d{2})$")
PEILDATUM = re.compile(r"^\d{1,2}-\d{1,2}-(\d{4})$")
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
}
NIVEAU_BY_PREFIX = {"NL": "NL", "PV": "PV", "JZ": "JZ", "GM": "GM", "WK": "WK", "BU": "BU"}
ODATA4_ATTRIBUTES = {"secret": "geheim", "confidential": "geheim", "nil": "nihil", "impossible": "leeg", "missing": "onbekend",
                     "unknown": "onbekend", "zero": "nihil"}


def stem(key: str) -> str:
    """`JongerenMetJeugdzorgInNatura_96` -> `JongerenMetJeugdzorgInNatura`."""
    m = KEY_SUFFIX.match(key)
    return m.group(1) if m else key


def periode_from_code(code: str) -> tuple[str, int] | None:
    """`2023JJ00` -> ('2023', 2023); `2023HJ01` -> ('2023-H1', 2023); `2023KW02` -> ('2023-Q2', 2023)."""
    m = PERIOD.match(code.strip().rstrip("*").strip())
    if not m:
        return None
    year, kind, number = m.group(1), m.group(2), int(m.group(3))
    label = {"JJ": year, "HJ": f"{year}-H{number}", "KW": f"{year}-Q{number}", "MM": f"{year}-M{number:02d}"}[kind]
    return label, int(year)


def _region_column(raw: RawTable, display: str) -> str:
    lower = {c.lower(): c for c in raw.frame.columns}
    for name in REGION_COLUMNS:
        if name in lower:
            return lower[name]
    coded = [c for c in raw.frame.columns if re.match(r"^codering(_\d+)?$", c, re.IGNORECASE)]
    if coded:
        return coded[0]
    raise FileRefused(
        f"{display}: geen regiokolom gevonden (verwacht WijkenEnBuurten, RegioS, Wijken, Gemeenten of Codering_N)."
    )


def _periods(raw: RawTable, ctx: LoadContext, checks: RowChecks) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(periode label, jaar, status) per row, from Perioden, Peildatum, --jaar or the table id."""
    frame, lower = raw.frame, {c.lower(): c for c in raw.frame.columns}
    n = len(frame)
    status = pd.Series([None] * n, index=frame.index, dtype=object)
    if "perioden" in lower:
        col = frame[lower["perioden"]]
        parsed = col.map(periode_from_code)
        bad = parsed.isna()
        checks.reject(bad, lower["perioden"], lambda v: f"'{v}' is geen CBS-periodecode (zoals 2023JJ00)", col)
        status[col.str.endswith("*")] = "voorlopig"
        label = parsed.map(lambda p: p[0] if p else None)
        jaar = parsed.map(lambda p: p[1] if p else None)
        return label, jaar, status
    if "peildatum" in lower:
        col = frame[lower["peildatum"]]
        year = col.str.extract(PEILDATUM)[0]
        iso = col.str.extract(r"^(\d{4})-\d{2}-\d{2}")[0]
        year = year.fillna(iso)
        checks.reject(year.isna(), lower["peildatum"], lambda v: f"'{v}' is geen peildatum (zoals 1-1-2023)", col)
        return year, pd.to_numeric(year), status
    jaar = ctx.options.jaar or KNOWN_TABLES.get((ctx.options.table or "").upper())
    if jaar is None:
        raise FileRefused(
            f"{ctx.display}: de periode is niet te bepalen (geen kolom Perioden of Peildatum); "
            "geef het jaar op met --jaar JJJJ, of het CBS-tabelnummer met --table (bijvoorbeeld --table 85618NED)."
        )
    return (pd.Series([str(jaar)] * n, index=frame.index), pd.Series([jaar] * n, index=frame.index), status)


def _table_id(ctx: LoadContext, raw: RawTable) -> str:
    if ctx.options.table:
        return ctx.options.table.upper()
    lower = {c.lower() for c in raw.frame.columns}
    return "KWB" if "wijkenenbuurten" in lower or any(c.startswith("codering") for c in lower) else "CBS"


def _read_meta(path: str | None, display: str) -> dict[str, dict]:
    """DataProperties JSON (Key, Title, Unit, Decimals) or a MeasureCodes table (Identifier, Title, Unit)."""
    if not path:
        return {}
    p = Path(path)
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(p.read_text(encoding="utf-8-sig"))
            records = data.get("value", data) if isinstance(data, dict) else data
        else:
            from loaders.read import read_table

            records = read_table(p, p.name).frame.to_dict("records")
    except (OSError, ValueError, FileRefused) as exc:
        raise FileRefused(f"{display}: het metadatabestand {p.name} is niet te lezen ({exc}).") from None
    meta = {}
    for rec in records:
        rec = {k.lower(): v for k, v in rec.items()}
        key = rec.get("key") or rec.get("identifier")
        if key:
            meta[str(key).strip()] = rec
    return meta


def _register_regions(codes: pd.Series, names: pd.Series | None, jaar: pd.Series, ctx: LoadContext,
                      checks: RowChecks, region_col: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    prefix = codes.str[:2]
    niveau = prefix.map(NIVEAU_BY_PREFIX)
    unknown_level = niveau.isna() & ~ctx.known(codes)
    checks.reject(unknown_level, region_col, lambda v: f"onbekende regiocode '{v}' (verwacht NL, PV, JZ, GM, WK of BU)",
                  codes)
    ok = ~checks.bad
    regions = pd.DataFrame({"code": codes[ok], "niveau": niveau[ok].fillna(prefix[ok]),
                            "name": names[ok] if names is not None else None}).drop_duplicates("code", keep="last")
    wijk_or_buurt = regions["niveau"].isin(["WK", "BU"])
    # A wijk name is not in KWB files: a gemeente name column on a wijk row names the gemeente, not the wijk.
    regions.loc[wijk_or_buurt & (regions["name"] == regions["code"]), "name"] = None
    parent = np.where(regions["niveau"] == "WK", "GM" + regions["code"].str[2:6],
                      np.where(regions["niveau"] == "BU", "WK" + regions["code"].str[2:8], None))
    parents = pd.DataFrame({"code": regions["code"], "parent_code": parent}).dropna()
    years = pd.DataFrame({"code": codes[ok], "jaar": jaar[ok].astype("int64")}).drop_duplicates()
    return regions, parents, years


def prepare_cbs(raw: RawTable, ctx: LoadContext) -> Prepared:
    region_col = _region_column(raw, ctx.display)
    checks = RowChecks(raw)
    codes = normalise_code(raw.frame[region_col])
    label, jaar, status = _periods(raw, ctx, checks)
    names = _names(raw, codes)
    table_id = _table_id(ctx, raw)
    meta = _read_meta(ctx.options.meta, ctx.display)
    groups = _split_conflicts(raw, _measure_groups(raw, region_col))
    warnings: list[str] = []
    values, measures = [], []
    for measure, keys in groups.items():
        result = _measure_values(raw, keys, checks, warnings)
        if result is None:
            continue
        value, reason, original = result
        values.append(pd.DataFrame({"idx": raw.frame.index, "measure": measure, "original_key": original,
                                    "value": value, "missing_reason": reason}))
        info = meta.get(keys[0], {})
        measures.append(_measure_info(table_id, measure, keys, info, value, warnings))
    if not values:
        raise FileRefused(f"{ctx.display}: geen enkele meetkolom gevonden naast de regio- en periodekolommen.")
    regions, parents, years = _register_regions(codes, names, jaar, ctx, checks, region_col)
    ok_idx = raw.frame.index[~checks.bad]
    long = pd.concat(values, ignore_index=True)
    long = long[long["idx"].isin(ok_idx)]
    long["table_id"] = table_id
    long["regio_code"] = codes.loc[long["idx"]].to_numpy()
    long["periode"] = label.loc[long["idx"]].to_numpy()
    long["jaar"] = jaar.loc[long["idx"]].astype("int64").to_numpy()
    long["status"] = status.loc[long["idx"]].to_numpy()
    long = long.drop(columns="idx").drop_duplicates(["table_id", "regio_code", "periode", "measure"], keep="last")
    tables = {
        "regions_if_new": regions, "region_parents_if_new": parents, "region_years": years,
        "cbs_measures": pd.DataFrame(measures), "cbs_values": long,
    }
    return Prepared(tables=tables, rows_accepted=len(ok_idx), problems=checks.problems(), warnings=warnings)


def _names(raw: RawTable, codes: pd.Series) -> pd.Series | None:
    name_cols = [c for c in raw.frame.columns if NAME_COLUMN.match(c)]
    if not name_cols:
        return None
    specific = [c for c in name_cols if not c.lower().startswith("gemeentenaam")]
    if specific:
        return raw.frame[specific[0]].replace("", None)
    # KWB: Gemeentenaam names the gemeente on every row; it is the region's own name on gemeente rows only.
    gm = raw.frame[name_cols[0]].replace("", None)
    return gm.where(codes.str.startswith("GM"), codes)


def _measure_groups(raw: RawTable, region_col: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for col in raw.frame.columns:
        if col == region_col or SKIP_COLUMNS.match(col):
            continue
        groups.setdefault(stem(col), []).append(col)
    return groups


def _measure_values(raw: RawTable, keys: list[str], checks: RowChecks, warnings: list[str]):
    """Coalesce the columns of one stem (a union of yearly tables gives `_87` in one year, `_96` in another)."""
    if len(keys) == 1:
        text = raw.frame[keys[0]]
        original = pd.Series(keys[0], index=raw.frame.index)
    else:
        frame = raw.frame[keys]
        filled = ~frame.isin(list(MISSING_SYMBOLS)).to_numpy()
        symbol = (frame != "").to_numpy()
        # A real value wins; else a missing symbol such as '.'; else the cell is simply empty.
        which = np.where(filled.any(axis=1), filled.argmax(axis=1), symbol.argmax(axis=1))
        text = pd.Series(frame.to_numpy()[np.arange(len(frame)), which], index=frame.index)
        original = pd.Series(np.array(keys)[which], index=frame.index)
    reason = text.map(MISSING_SYMBOLS)
    number = parse_number(text)
    present = reason.isna()
    bad = present & number.isna()
    if bad.any() and bad.sum() > present.sum() / 2:
        warnings.append(f"kolom {keys[0]} bevat tekst en is overgeslagen.")
        return None
    if bad.any():
        checks.reject(bad, keys[0], lambda v: f"'{v}' is geen getal en geen CBS-teken (. x -)", text)
    return number.where(present), reason.where(~present), original


def _split_conflicts(raw: RawTable, groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """Columns sharing a stem are one measure only if no row fills more than one of them; else keep full keys."""
    out: dict[str, list[str]] = {}
    for measure, keys in groups.items():
        if len(keys) > 1:
            filled = ~raw.frame[keys].isin(list(MISSING_SYMBOLS)).to_numpy()
            if (filled.sum(axis=1) > 1).any():
                out.update({key: [key] for key in keys})
                continue
        out[measure] = keys
    return out


def _measure_info(table_id: str, measure: str, keys: list[str], info: dict, value: pd.Series,
                  warnings: list[str]) -> dict:
    unit = str(info.get("unit") or "").strip() or None
    decimals = info.get("decimals")
    is_pct = measure.lower().startswith("percentage") or (unit or "").strip() in ("%", "procent")
    top = value.max()
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


def prepare_cbs_long(raw: RawTable, ctx: LoadContext) -> Prepared:
    lower = {c.lower(): c for c in raw.frame.columns}
    region_col = _region_column(raw, ctx.display)
    checks = RowChecks(raw)
    codes = normalise_code(raw.frame[region_col])
    label, jaar, status = _periods(raw, ctx, checks)
    skip = {region_col.lower(), "measure", "value", "id", "valueattribute", "stringvalue", "perioden", "peildatum"}
    dims = sorted(c for c in raw.frame.columns if c.lower() not in skip)
    measure = raw.frame[lower["measure"]].str.strip()
    for dim in dims:
        measure = measure + "|" + dim + "=" + raw.frame[dim].str.strip()
    text = raw.frame[lower["value"]]
    reason = text.map(MISSING_SYMBOLS)
    if "valueattribute" in lower:
        attr = raw.frame[lower["valueattribute"]].str.lower().map(ODATA4_ATTRIBUTES)
        reason = reason.where(~(reason.notna() & attr.notna()), attr)
    number = parse_number(text)
    checks.reject(reason.isna() & number.isna(), lower["value"],
                  lambda v: f"'{v}' is geen getal en geen CBS-teken (. x -)", text)
    regions, parents, years = _register_regions(codes, None, jaar, ctx, checks, region_col)
    table_id = _table_id(ctx, raw)
    ok = ~checks.bad
    long = pd.DataFrame({
        "table_id": table_id, "regio_code": codes[ok], "periode": label[ok], "jaar": jaar[ok].astype("int64"),
        "measure": measure[ok], "original_key": raw.frame[lower["measure"]][ok], "value": number[ok].where(reason[ok].isna()),
        "missing_reason": reason[ok], "status": status[ok],
    }).drop_duplicates(["table_id", "regio_code", "periode", "measure"], keep="last")
    meta = _read_meta(ctx.options.meta, ctx.display)
    measures = []
    for m, orig in long[["measure", "original_key"]].drop_duplicates("measure").itertuples(index=False):
        info = meta.get(orig, {})
        title = info.get("title")
        dim_text = " ".join(part.replace("=", " ") for part in m.split("|")[1:])
        measures.append({"table_id": table_id, "measure": m, "original_key": orig,
                         "title": f"{title} ({dim_text})" if title and dim_text else title,
                         "unit": info.get("unit") or None, "decimals": None, "percentage_invalid": False,
                         "warning": None})
    tables = {"regions_if_new": regions, "region_parents_if_new": parents, "region_years": years,
              "cbs_measures": pd.DataFrame(measures), "cbs_values": long}
    return Prepared(tables=tables, rows_accepted=int(ok.sum()), problems=checks.problems())
