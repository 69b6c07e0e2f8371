"""File schemas as data (pydantic), and lazy validation that collects every problem of a file at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel

from loaders.read import RawTable
from loaders.report import FileRefused, LoadOptions, Problem
from loaders.values import (
    DATE_MAX, DATE_MIN, OPEN_END, as_date_text, date_range_problems, has_control, looks_like_formula, normalise_code,
    normalise_token, not_cbs_code, number_problem, parse_date, parse_number,
)

# `regio`: a region code of exactly the CBS form; `code`: any other code (upper case), `token`: a category value.
ColumnType = Literal["text", "code", "regio", "token", "int", "float", "euro", "date"]

TYPE_WORDS = {
    "int": "geen geheel getal",
    "float": "geen getal",
    "euro": "geen bedrag",
    "date": "geen geldige datum (gebruik 2024-03-15 of 15-3-2024)",
}


class Column(BaseModel):
    """One column of a file schema: canonical name, type, and the aliases users' exports use."""

    name: str
    type: ColumnType = "text"
    required: bool = True
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    open_end: bool = False  # a date column where 31-12-9999 means "no date" (the open end of an einddatum)
    normalise: Callable[[pd.Series], pd.Series] | None = None  # text columns: the value stored for the text

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class LoadContext:
    con: object
    display: str
    options: LoadOptions
    known_regions: pd.DataFrame  # columns code, niveau
    today: pd.Timestamp

    def known(self, codes: pd.Series, niveaus: tuple[str, ...] | None = None) -> pd.Series:
        regions = self.known_regions
        if niveaus:
            regions = regions[regions["niveau"].isin(niveaus)]
        return codes.isin(regions["code"])


@dataclass
class RowChecks:
    """Collects rejected rows with their reasons, vectorised: one entry per rule, not per row."""

    raw: RawTable
    bad: np.ndarray = field(init=False)
    _found: list[tuple[np.ndarray, str | None, list[str]]] = field(default_factory=list, init=False)

    def __post_init__(self):
        self.bad = np.zeros(len(self.raw.frame), dtype=bool)

    def reject(self, mask, column: str | None, message: str | Callable[[str], str],
               values: pd.Series | Callable[[pd.Index], pd.Series] | None = None):
        """Reject the rows in `mask`; `message(value)` is formatted only for those rows.

        `values` is a Series aligned with the file, or a function that builds it for the given row labels only
        (cheap when a rule builds text from several columns of a big file).
        """
        mask = np.asarray(pd.Series(mask).fillna(False), dtype=bool)
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        self.bad[idx] = True
        if callable(message):
            labels = self.raw.frame.index[idx]
            if callable(values):
                vals = values(labels).to_numpy()
            else:
                vals = values.to_numpy()[idx] if values is not None else [""] * len(idx)
            texts = [message(str(v)) for v in vals]
        else:
            texts = [message] * len(idx)
        self._found.append((idx, column, texts))

    def problems(self) -> list[Problem]:
        """Problems by row number in the whole file (the frame's index runs on across chunks)."""
        rows = []
        labels = self.raw.frame.index
        for idx, column, texts in self._found:
            rows.extend(zip(labels[idx].tolist(), [column] * len(idx), texts))
        rows.sort(key=lambda r: r[0])
        return [Problem(row=self.raw.row_number(i), column=c, message=t) for i, c, t in rows]


def match_columns(raw: RawTable | list[str], spec: list[Column], display: str, kind: str) -> dict[str, str]:
    """Canonical name -> the file's column; refuses the file naming every missing required column."""
    names = raw if isinstance(raw, list) else list(raw.frame.columns)
    lower = {c.lower(): c for c in names}
    found, problems = {}, []
    for col in spec:
        hits = [lower[n.lower()] for n in col.names() if n.lower() in lower]
        if len(hits) > 1:
            both = " en ".join(f"'{h}'" for h in hits)
            problems.append(f"{display}, rij 1: de kolommen {both} betekenen allebei '{col.name}'; "
                            "laat er één staan.")
        elif hits:
            found[col.name] = hits[0]
        elif col.required:
            alias = f" (of {', '.join(col.aliases)})" if col.aliases else ""
            problems.append(f"{display}: verplichte kolom '{col.name}'{alias} ontbreekt voor soort {kind}.")
    if problems:
        raise FileRefused(problems)
    return found


def typed_frame(raw: RawTable, spec: list[Column], found: dict[str, str], checks: RowChecks) -> pd.DataFrame:
    """Parse each column to its type; every unparseable cell rejects its row with a reason."""
    out = {}
    for col in spec:
        source = found.get(col.name)
        if source is None:
            out[col.name] = pd.Series([None] * len(raw.frame), index=raw.frame.index, dtype=object)
            continue
        text = raw.frame[source]
        out[col.name] = _parse_column(col, source, text, checks)
    return pd.DataFrame(out, index=raw.frame.index)


def _parse_column(col: Column, source: str, text: pd.Series, checks: RowChecks) -> pd.Series:
    empty = text == ""
    if col.required:
        checks.reject(empty, source, "verplichte waarde ontbreekt")
    if col.type in ("text", "code", "regio", "token"):
        return _parse_text(col, source, text, empty, checks)
    if col.type == "date":
        return _parse_dates(col, source, text, empty, checks)
    value = parse_number(text, thousands_dot=col.type in ("int", "euro"))
    checks.reject(~empty & value.isna(), source, lambda v: f"'{v}' {number_problem(v, TYPE_WORDS[col.type])}", text)
    if col.type == "int":
        fraction = value.notna() & (value != value.round())
        checks.reject(fraction, source, lambda v: f"'{v}' is {TYPE_WORDS['int']}", text)
    if col.minimum is not None:
        word = "negatief" if col.minimum == 0 else f"kleiner dan {as_number_text(col.minimum)}"
        checks.reject(value < col.minimum, source, lambda v: f"'{v}' is {word}", text)
    if col.maximum is not None:
        top = as_number_text(col.maximum)
        checks.reject(value > col.maximum, source, lambda v: f"'{v}' is groter dan {top}", text)
    return value


def as_number_text(value: float) -> str:
    """A limit as users write it: `1.000.000`, `2100`, `100`."""
    if float(value).is_integer() and abs(value) >= 10_000:
        return f"{int(value):,}".replace(",", ".")  # thousands dots; no decimals
    return f"{value:g}"


def reject_unsafe_text(checks: RowChecks, column: str | None, text: pd.Series) -> pd.Series:
    """Reject text a spreadsheet would run as a formula, or holding control characters; returns the formula mask."""
    text = text.fillna("").astype(str)
    formula = looks_like_formula(text)
    checks.reject(formula, column,
                  lambda v: f"'{v[:40]}' lijkt een spreadsheetformule; zo'n waarde wordt niet geladen", text)
    checks.reject(~formula & has_control(text), column,
                  "de waarde bevat een tab, regeleinde of ander stuurteken; zo'n waarde wordt niet geladen")
    return formula


def _parse_text(col: Column, source: str, text: pd.Series, empty: pd.Series, checks: RowChecks) -> pd.Series:
    formula = reject_unsafe_text(checks, source, text)
    normalise = col.normalise or {"text": lambda s: s, "code": normalise_code, "regio": normalise_code,
                                  "token": normalise_token}[col.type]
    value = normalise(text).where(~empty, None)
    if col.type == "regio":
        checks.reject(not_cbs_code(value) & ~formula, source,
                      lambda v: f"'{v}' is geen CBS-regiocode (zoals GM0363, WK036301 of BU03630101)", text)
    if col.choices:
        wrong = ~empty & ~value.isin(col.choices)
        allowed = ", ".join(col.choices)
        checks.reject(wrong, source, lambda v: f"'{v}' is geen toegestane waarde (wel: {allowed})", text)
    return value


def _parse_dates(col: Column, source: str, text: pd.Series, empty: pd.Series, checks: RowChecks) -> pd.Series:
    value = parse_date(text)
    checks.reject(~empty & value.isna(), source, lambda v: f"'{v}' is {TYPE_WORDS['date']}", text)
    open_end, early, late = date_range_problems(value)
    if not col.open_end:
        checks.reject(open_end, source, lambda v: f"'{v}' is geen echte datum (alleen als einddatum betekent "
                                                  f"{as_date_text(OPEN_END)}: geen einde)", text)
    checks.reject(early, source, lambda v: f"'{v}' ligt vóór {as_date_text(DATE_MIN)}; zo'n vroege datum is niet "
                                           "aannemelijk", text)
    checks.reject(late, source, lambda v: f"'{v}' ligt na {as_date_text(DATE_MAX)}; zo'n late datum is niet "
                                          "aannemelijk", text)
    return value.where(~(open_end | early | late))


def known_region_check(ctx: LoadContext, checks: RowChecks, codes: pd.Series, source: str,
                       niveaus: tuple[str, ...]) -> None:
    present = codes.notna()
    unknown = present & ~ctx.known(codes, niveaus)
    levels = "/".join(niveaus)
    checks.reject(
        unknown & ~not_cbs_code(codes), source,
        lambda v: f"onbekende {levels}-code '{v}' (laad eerst een regio-indeling of CBS-bestand dat hem noemt)",
        codes,
    )


@dataclass
class Prepared:
    """A validated file, ready to be written: target table -> rows, plus what the user must be told.

    Rows come as frames (`tables`) or as queries over the load's temporary tables (`queries`: target table ->
    (SELECT, parameters)), written set-wise; `cleanup` drops those temporary tables after the write."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    queries: dict[str, tuple[str, list]] = field(default_factory=dict)
    cleanup: Callable[[], None] | None = None
    rows_accepted: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    before: list[tuple[str, list]] = field(default_factory=list)
