"""The shapes CBS tables arrive in, recognised from the file itself.

- OData v3 TypedDataSet/UntypedDataSet: keys in the dimension columns (`WK003401  `, `2023JJ00`, `A041`); every
  topic column carries a `_NN` suffix, dimension columns do not.
- `cbsodata` output and most scrapers: titles in the dimension columns (`Wijk 01 Almere Haven`, `1e halfjaar 2019`,
  `Totaal alle jeugdzorg in natura`), codes only in `Codering_NN`.
- StatLine web downloads: titled headers with units (`"Particuliere huishoudens (Aantal)"`), a `(code)` column for
  the region, every field quoted and padded. `web_download` turns these headers into keys first.

`layout_of` then says which column holds what: region, code, names, period, dimensions, measures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

KEY_SUFFIX = re.compile(r"^(.*)_(\d+)$")
REGION_KEYS = ("wijkenenbuurten", "regios", "wijken", "gemeenten", "regiokenmerken", "regio")
CODE_COLUMN = re.compile(r"^codering(_\d+)?$", re.IGNORECASE)
NAME_COLUMN = re.compile(r"^(gemeentenaam|regionaam|wijknaam|buurtnaam|naam)(_\d+)?$", re.IGNORECASE)
SKIP_COLUMNS = re.compile(
    r"^(id|perioden|peildatum|soortregio(_\d+)?|codering(_\d+)?|gemeentenaam(_\d+)?|regionaam(_\d+)?|"
    r"wijknaam(_\d+)?|buurtnaam(_\d+)?|naam(_\d+)?|indelingswijziging\w*|meestvoorkomendepostcode(_\d+)?|"
    r"dekkingspercentage(_\d+)?|status|index|unnamed:\s*\d+|kolom_\d+)$",
    re.IGNORECASE,
)
# A StatLine web header: a title and, in the last parentheses, a unit (`Aantal`, `%`, `euro`) or `code`.
TITLED = re.compile(r"^(?P<title>.*?\S)\s*\((?P<unit>[^()]*)\)$")
UNITS = {"aantal": "aantal", "%": "%", "procent": "%", "getal": None}


def stem(key: str) -> str:
    """`JongerenMetJeugdzorgInNatura_96` -> `JongerenMetJeugdzorgInNatura`."""
    m = KEY_SUFFIX.match(key)
    return m.group(1) if m else key


def squash(text: str) -> str:
    """Lower case, letters and digits only: `Regio's` -> `regios`, `Wijken en buurten` -> `wijkenenbuurten`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


def key_from_title(title: str) -> str:
    """`Opleidingsniveau/Laag/Waarde` -> `OpleidingsniveauLaagWaarde`: a measure key for a titled header."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", plain)
    return "".join(w[:1].upper() + w[1:] for w in words) or "Onderwerp"


@dataclass
class Layout:
    region: str                      # the region dimension (codes or titles)
    code: str | None = None          # a separate code column (`Codering_NN`, `... (code)`)
    period: str | None = None        # `Perioden`
    peildatum: str | None = None
    dims: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    titles: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # key -> (title, unit) from headers


def is_web_download(columns: list[str]) -> bool:
    """Keys never hold spaces or parentheses; StatLine's titled headers do."""
    return any(re.search(r"[\s()/]", c) for c in columns if not SKIP_COLUMNS.match(c))


def web_download(columns: list[str]) -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str | None]]]:
    """Titled headers to keys: (renames {header: key}, roles {'region'|'code'|'period': key},
    titles {key: (title, unit)})."""
    renames, roles, titles, used = {}, {}, {}, set()
    for col in columns:
        if SKIP_COLUMNS.match(col) or not re.search(r"[\s()/]", col):
            renames[col] = col  # already a key (`ID`, `Perioden`, `Codering_3`)
            used.add(col)
            continue
        m = TITLED.match(col)
        unit = m.group("unit").strip() if m else None
        title = m.group("title") if m else col
        if unit is not None and unit.lower() == "code":
            key, roles["code"] = "Codering", "Codering"
        elif squash(col) == "perioden":
            key, roles["period"] = "Perioden", "Perioden"
        elif squash(col) in REGION_KEYS:
            key, roles["region"] = "RegioS", "RegioS"
        else:
            key = key_from_title(title if unit is not None else col)
            if unit is not None:
                titles[key] = (title, UNITS.get(unit.lower(), unit))
        while key in used:
            key += "_"
        used.add(key)
        renames[col] = key
    return renames, roles, {renames.get(k, k): v for k, v in titles.items()}


def layout_of(columns: list[str], is_text: Callable[[str], bool]) -> tuple[dict[str, str], Layout]:
    """Which column is what, from the header: (renames {header: key}, layout in keys). `is_text(key)` says whether
    a column's cells are mostly titles; it is asked only for unsuffixed columns of a table without `_NN` keys."""
    roles, titles, renames = {}, {}, {c: c for c in columns}
    if is_web_download(columns):
        renames, roles, titles = web_download(columns)
    cols = [renames[c] for c in columns]
    lower = {c.lower(): c for c in cols}
    region = roles.get("region") or next((lower[k] for k in REGION_KEYS if k in lower), None)
    code = roles.get("code") or next((c for c in cols if CODE_COLUMN.match(c)), None)
    out = Layout(region=region or code or "", code=code if region else None, period=lower.get("perioden"),
                 peildatum=lower.get("peildatum"), titles=titles)
    if not out.region:
        return renames, out
    suffixed = any(KEY_SUFFIX.match(c) and not SKIP_COLUMNS.match(c) for c in cols)
    for col in cols:
        if col in (out.region, out.code) or SKIP_COLUMNS.match(col):
            continue
        if col in titles:
            out.measures.append(col)
        elif not KEY_SUFFIX.match(col) and (suffixed or is_text(col)):
            # OData v3 gives every topic a `_NN` suffix, so an unsuffixed column is a dimension (keys such as
            # `10000` included); elsewhere a column of titles is one.
            out.dims.append(col)
        else:
            out.measures.append(col)
    out.dims.sort()
    return renames, out


# Period labels: codes (`2023JJ00`, `2023HJ01`, `2023KW02`, `2023MM03`) and the titles cbsodata writes.
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
_PERIOD_CODE = re.compile(r"^(\d{4})\s*(JJ|HJ|KW|MM)\s*(\d{2})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^([12])e\s*half\s*jaar\s+(\d{4})$", re.IGNORECASE)
_QUARTER = re.compile(r"^([1-4])e\s*kwartaal\s+(\d{4})$", re.IGNORECASE)
_MONTH = re.compile(rf"^(\d{{4}})\s+({'|'.join(MONTHS)})$", re.IGNORECASE)
_PROVISIONAL = re.compile(r"\s*(\*|\(?\s*voorlopig[a-z ]*\)?)$", re.IGNORECASE)


def parse_period(text: str) -> tuple[str, int, bool] | None:
    """(periode, jaar, voorlopig): `2023JJ00`/`2023` -> '2023'; `1e half jaar 2024` -> '2024-H1'; None if not one."""
    text = re.sub(r"\s+", " ", str(text).strip())
    provisional = bool(_PROVISIONAL.search(text))
    text = _PROVISIONAL.sub("", text)
    if m := _PERIOD_CODE.match(text):
        year, kind, number = m.group(1), m.group(2).upper(), int(m.group(3))
        valid = {"JJ": number == 0, "HJ": 1 <= number <= 2, "KW": 1 <= number <= 4, "MM": 1 <= number <= 12}[kind]
        if not valid:
            return None
        label = {"JJ": year, "HJ": f"{year}-H{number}", "KW": f"{year}-Q{number}", "MM": f"{year}-M{number:02d}"}[kind]
    elif m := _YEAR.match(text):
        year, label = m.group(1), m.group(1)
    elif m := _HALF.match(text):
        year, label = m.group(2), f"{m.group(2)}-H{m.group(1)}"
    elif m := _QUARTER.match(text):
        year, label = m.group(2), f"{m.group(2)}-Q{m.group(1)}"
    elif m := _MONTH.match(text):
        year, label = m.group(1), f"{m.group(1)}-M{MONTHS.index(m.group(2).lower()) + 1:02d}"
    else:
        return None
    if not 1900 <= int(year) <= 2100:
        return None
    return label, int(year), provisional


