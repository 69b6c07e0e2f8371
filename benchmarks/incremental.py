"""Incremental recompute: one gemeente's trajectories reloaded, changed a little and unchanged, timed; and the
published figures compared row for row with a full refresh of the same data.

The reloaded file is the gemeente's own export of its trajectories (from the store, in the contract's columns),
with the referrer changed on a seeded share of its rows; the unchanged reload is the same rows in the other
dialect (Dutch column names and dates), so a different file that is not refused as 'al geladen'.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb

from indicators.regions import WIJK_GEMEENTE

# The trajectory columns of a municipality's export, ISO and Dutch (`../shared/spec/formats.md`).
_ISO = ("client_id", "huishouden_id", "wijk_code", "aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum",
        "productcategorie", "aanbieder", "verwijzer", "geboortejaar")
_DUTCH = ("clientnummer", "gezin_id", "wijk", "verzoekdatum", "toewijzingsdatum", "datum_start", "datum_einde",
          "categorie", "aanbieder", "verwijzer", "geboortejaar")
_DATES = {"aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum"}
VERWIJZERS = ("huisarts", "jeugdarts", "gemeentelijke_toegang", "medisch_specialist", "geen")

DECIMALS = 9
# Figures compared between two stores: every published column, and their summary per gemeente (store.summary).
PUBLISHED = {"indicator_values": "indicator_id, regio_code, periode, soort",
             "wachttijd_verdeling": "regio_code, periode, productcategorie, klasse",
             "published_gemeenten": "gemeente_code", "cbs_value_measures": "table_id, measure"}


def export_gemeente(con: duckdb.DuckDBPyConnection, gemeente: str, out: Path, *, changed: float = 0.0,
                    seed: int = 1, dutch: bool = False, move_to: str | None = None) -> int:
    """Write the gemeente's trajectories to `out` (CSV, `;`); returns the row count.

    `changed`: the share of rows (seeded) whose referrer becomes another one. `move_to`: a wijk code that those rows
    move to instead (a client moving, possibly to another gemeente). `dutch`: Dutch column names and dates."""
    names = _DUTCH if dutch else _ISO
    fmt = "%-d-%-m-%Y" if dutch else "%Y-%m-%d"
    pick = "hash(client_id, aanmelddatum, $seed) % 1000 < $share"
    columns = []
    for col, name in zip(_ISO, names):
        expr = col
        if col == "verwijzer" and move_to is None:
            expr = (f"CASE WHEN {pick} THEN $verwijzers[1 + (hash(client_id, $seed) % {len(VERWIJZERS)})::INTEGER] "
                    "ELSE verwijzer END")
        elif col == "wijk_code" and move_to is not None:
            expr = f"CASE WHEN {pick} THEN $move_to ELSE wijk_code END"
        if col in _DATES:
            expr = f"strftime({expr}, $fmt)"
        columns.append(f'{expr} AS "{name}"')
    cur = con.cursor()
    rel = cur.sql(
        f"SELECT {', '.join(columns)} FROM trajecten WHERE wijk_code IN ({WIJKEN_OF}) ORDER BY ALL",
        params={"g": gemeente, "seed": seed, "share": int(changed * 1000), "fmt": fmt,
                **({"verwijzers": list(VERWIJZERS)} if move_to is None else {"move_to": move_to})})
    rel.write_csv(str(out), sep=";", header=True)
    return cur.execute(f"SELECT count(*) FROM trajecten WHERE wijk_code IN ({WIJKEN_OF})", {"g": gemeente}
                       ).fetchall()[0][0]


# The gemeente's wijken (parameter $g), by the rule the refresh uses.
WIJKEN_OF = ("SELECT wijk_code FROM (" + WIJK_GEMEENTE.format(codes="SELECT DISTINCT wijk_code AS code FROM trajecten")
             + ") WHERE gemeente_code = $g")


def differences(first: Path, second: Path, limit: int = 5) -> dict:
    """Published rows in one store and not in the other (both ways, duplicates counted), per table, with examples.

    Both files are opened read-only; every column is compared, the suppression flags and reasons included, numbers
    to 9 decimals (two full refreshes already differ in the last bit of a parallel average)."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{_quoted(first)}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{_quoted(second)}' AS b (READ_ONLY)")
        out: dict = {"rows": {}, "examples": []}
        for table, order in PUBLISHED.items():
            columns = ", ".join(f"round({c}, {DECIMALS}) AS {c}" if t == "DOUBLE" else c for c, t in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = 'a' "
                "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall())
            rows = {side: f"SELECT {columns} FROM {side}.{table}" for side in ("a", "b")}
            diff = (f"(SELECT 'a' AS alleen_in, * FROM ({rows['a']} EXCEPT ALL {rows['b']})) "
                    f"UNION ALL (SELECT 'b', * FROM ({rows['b']} EXCEPT ALL {rows['a']}))")
            out["rows"][table] = con.execute(f"SELECT count(*) FROM ({diff})").fetchone()[0]
            out["examples"] += [dict(zip([d[0] for d in con.description], r)) for r in con.execute(
                f"SELECT * FROM ({diff}) ORDER BY {order}, alleen_in LIMIT {int(limit)}").fetchall()]
        out["equal"] = not any(out["rows"].values())
        return out
    finally:
        con.close()


def _quoted(path: Path) -> str:
    """A path inside a SQL string literal (ATTACH takes no parameter)."""
    return str(path).replace("'", "''")


def full_copy(db: Path, out: Path) -> Path:
    """A copy of the closed store `db` with every figure recomputed from scratch (the reference for `differences`)."""
    import indicators
    import store

    shutil.copyfile(db, out)
    con = store.connect(out)
    try:
        indicators.refresh(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return out


def _timed_load(con, path: Path) -> dict:
    """Load a file with its recompute (the real `load_file`), timing the recompute from its progress message."""
    from loaders import LoadOptions, load_file

    marks: dict[str, float] = {}

    def progress(message: str) -> None:
        if message == "indicatoren herberekenen":
            marks["recompute"] = time.perf_counter()

    began = time.perf_counter()
    report = load_file(con, path, LoadOptions(kind="trajecten"), progress=progress)
    ended = time.perf_counter()
    if report.refused or report.already_loaded:
        raise SystemExit("\n".join(report.lines()))
    return {"seconds": ended - began, "refresh_seconds": ended - marks.get("recompute", ended),
            "rows": report.rows_accepted, "recomputed_all": report.recomputed_all,
            "recomputed_gemeenten": report.recomputed_gemeenten}


def run_incremental(loaded: Path, check: bool) -> dict:
    """Reload one gemeente's trajectories into a copy of the loaded store, changed a little, then the same rows as
    another file; with `check`, compare the published figures with a full refresh of a copy of the result."""
    import store

    work = loaded.parent / f"{loaded.stem}_incremental"
    work.mkdir(parents=True, exist_ok=True)
    db = shutil.copyfile(loaded, work / "incremental.duckdb")
    con = store.connect(db)
    try:
        gemeente = con.execute(
            "SELECT gemeente_code FROM indicator_values WHERE niveau = 'GM' AND bron LIKE 'Eigen registratie (trajecten)%' "
            "GROUP BY ALL ORDER BY gemeente_code LIMIT 1").fetchall()[0][0]
        changed, same = work / f"trajecten_{gemeente}_gewijzigd.csv", work / f"trajecten_{gemeente}_zelfde.csv"
        rows = export_gemeente(con, gemeente, changed, changed=0.02)
        reload = _timed_load(con, changed)
        export_gemeente(con, gemeente, same, dutch=True)
        unchanged = _timed_load(con, same)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    result = {"gemeente": gemeente, "rows": rows, "reload": reload, "unchanged": unchanged}
    if check:
        result["comparison"] = differences(db, full_copy(db, work / "full.duckdb"))
    return result


# Targets: a one-gemeente reload recomputes in under a tenth of the full refresh; an unchanged reload costs nothing
# (it decides that nothing changed, and recomputes nothing).
SHARE_OF_FULL_MAX = 0.1
UNCHANGED_REFRESH_SECONDS_MAX = 0.1


def _recomputed(step: dict) -> str | list[str]:
    return "alles" if step["recomputed_all"] else step["recomputed_gemeenten"]


def summary(phase: dict, full_seconds: float) -> dict:
    """The phase's keys in the benchmark result (`full_seconds`: the full refresh of the compute phase)."""
    reload, same = phase["reload"], phase["unchanged"]
    comparison = phase.get("comparison")
    return {
        "incremental_refresh_seconds": reload["refresh_seconds"],
        "incremental_reload_seconds": reload["seconds"],
        "incremental_gemeente": phase["gemeente"],
        "incremental_rows": phase["rows"],
        "incremental_recomputed": _recomputed(reload),
        "incremental_share_of_full": reload["refresh_seconds"] / full_seconds if full_seconds else None,
        "unchanged_reload_seconds": same["seconds"],
        "unchanged_refresh_seconds": same["refresh_seconds"],
        "unchanged_recomputed": _recomputed(same),
        "incremental_equals_full": comparison["equal"] if comparison else None,
        "incremental_comparison": comparison,
    }


def targets(r: dict) -> dict:
    out = {
        "incremental_under_tenth_of_full": r["incremental_recomputed"] == [r["incremental_gemeente"]]
        and r["incremental_share_of_full"] is not None and r["incremental_share_of_full"] < SHARE_OF_FULL_MAX,
        "unchanged_reload_recomputes_nothing": r["unchanged_recomputed"] == []
        and r["unchanged_refresh_seconds"] < UNCHANGED_REFRESH_SECONDS_MAX,
    }
    if r["incremental_equals_full"] is not None:
        out["incremental_equals_full"] = r["incremental_equals_full"]
    return out


def report_lines(r: dict, seconds, number) -> list[str]:
    """Dutch lines for the printed table (`seconds` and `number` format as the table does)."""
    def what(x) -> str:
        return "alles" if x == "alles" else (", ".join(x) or "niets")

    equal = r["incremental_equals_full"]
    check = {None: "niet vergeleken op deze schaal", True: "gelijk aan een volledige herberekening (rij voor rij)",
             False: "NIET gelijk aan een volledige herberekening"}[equal]
    out = [
        f"Eén gemeente opnieuw laden ({r['incremental_gemeente']}, {number(r['incremental_rows'])} trajecten, 2% "
        f"gewijzigd): herberekenen {seconds(r['incremental_refresh_seconds'])} "
        f"({number(100 * (r['incremental_share_of_full'] or 0), 1)}% van alles), laden + herberekenen "
        f"{seconds(r['incremental_reload_seconds'])}; herberekend: {what(r['incremental_recomputed'])}; {check}",
        f"Zelfde rijen als ander bestand opnieuw laden: herberekenen {seconds(r['unchanged_refresh_seconds'])}, "
        f"laden + herberekenen {seconds(r['unchanged_reload_seconds'])}; herberekend: "
        f"{what(r['unchanged_recomputed'])}",
    ]
    for example in (r["incremental_comparison"] or {}).get("examples", []):
        out.append(f"  verschil incrementeel/volledig: {example}")
    return out
