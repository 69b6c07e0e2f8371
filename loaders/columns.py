"""File schemas as data (pydantic), and lazy validation that collects every problem of a file at once (own kinds:
`loaders.sqlcheck` in SQL; the CBS and GeoJSON kinds with `RowChecks` over pandas frames)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel

from loaders.read import RawTable
from loaders.report import FileRefused, LoadOptions, Problem
from loaders.values import has_control, looks_like_formula

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
