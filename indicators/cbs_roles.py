"""What each loaded CBS measure is for: a count of young people per form of care, CBS's own percentage, trajectories
per referrer or their total; anything else is passed through as `cbs_<stem>`.

Decided once per distinct (table, measure) from the catalogue's data (`indicators.catalog`): the measure's stem
and the categories of its dimensions (`Stem|Dimension=category|...`). A measure counts for a form only when one
dimension names the form and every other dimension is at its total (`Persoonskenmerken` 10000, `Totaal ...`).
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from indicators.catalog import (
    CBS_COUNT_STEMS, CBS_FORM_CODES, CBS_FORM_TITLES, CBS_JEUGDZORG_PCT, CBS_TOTAL_CATEGORY, CBS_TRAJECTEN_STEMS,
    CBS_VERWIJZER_STEMS,
)

ROLES_VIEW = "_iv_cbs_roles"
_MEASURE_ID = re.compile(r"[A-Z0-9_]+")
_CODE_PREFIX = re.compile(r"^(jz|jh|jb|jr)\s*[\d.]*\s+", re.IGNORECASE)


def form_of(category: str) -> str | None:
    """The form stem a dimension category names, or None."""
    if category in CBS_FORM_CODES:
        return CBS_FORM_CODES[category]
    text = re.sub(r"\s+", " ", category.strip().lower())
    return CBS_FORM_TITLES.get(text) or CBS_FORM_TITLES.get(_CODE_PREFIX.sub("", text))


def _form(categories: list[str]) -> str | None:
    """`jeugdhulp` without dimensions; else the one form named, the other dimensions at their totals."""
    if not categories:
        return "jeugdhulp"
    forms = [f for f in map(form_of, categories) if f]
    rest = [c for c in categories if not form_of(c)]
    if len(forms) != 1 or not all(CBS_TOTAL_CATEGORY.match(c.strip()) for c in rest):
        return None
    return forms[0]


def role(measure: str, title: str | None, unit: str | None) -> tuple[str, str] | None:
    """(role, what): ('aantal', form), ('pct', form), ('verwijzer', code), ('trajecten', ''), or None."""
    stem, *dims = measure.split("|")
    categories = [d.split("=", 1)[1] for d in dims if "=" in d]
    # An OData4 measure id (`M001234`, no lower case) counts people where its title and unit do not say otherwise.
    counts_people = stem in CBS_COUNT_STEMS or (
        bool(dims) and _MEASURE_ID.fullmatch(stem) is not None and "%" not in (unit or "")
        and "procent" not in (unit or "").lower() and "percentage" not in (title or "").lower()
    )
    form = _form(categories)
    if form is None:
        return None
    if stem == CBS_JEUGDZORG_PCT and form == "jeugdhulp":
        return "pct", form
    if counts_people:
        return "aantal", form
    if form == "jeugdhulp" and stem in CBS_VERWIJZER_STEMS:
        return "verwijzer", CBS_VERWIJZER_STEMS[stem]
    if form == "jeugdhulp" and stem in CBS_TRAJECTEN_STEMS:
        return "trajecten", ""
    return None


def roles_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """table_id, measure, role, what for every loaded measure that has a role (usable percentages only)."""
    rows = con.execute(
        """
        SELECT v.table_id, v.measure, max(coalesce(m1.title, m2.title)), max(coalesce(m1.unit, m2.unit))
        FROM cbs_value_measures v
        LEFT JOIN cbs_measures m1 ON m1.table_id = v.table_id AND m1.measure = v.measure
        LEFT JOIN cbs_measures m2 ON m2.table_id = v.table_id AND m2.measure = split_part(v.measure, '|', 1)
        WHERE NOT coalesce(m1.percentage_invalid, m2.percentage_invalid, false)
        GROUP BY ALL
        """
    ).fetchall()
    out = [(t, m, *r, "jongeren" in (title or "").lower()) for t, m, title, unit in rows
           if (r := role(m, title, unit))]
    frame = pd.DataFrame(out, columns=["table_id", "measure", "role", "what", "jongeren"])
    # Per table one measure per role: where a long table has several measures per form, the one about young people.
    frame = frame.sort_values(["jongeren", "measure"], ascending=[False, True])
    return frame.drop_duplicates(["table_id", "role", "what"]).drop(columns="jongeren").astype(object)


def register_roles(con: duckdb.DuckDBPyConnection) -> None:
    """Make `_iv_cbs_roles` available on this connection (a registered frame: works read-only too)."""
    con.register(ROLES_VIEW, roles_frame(con))


def unregister_roles(con: duckdb.DuckDBPyConnection) -> None:
    con.unregister(ROLES_VIEW)
