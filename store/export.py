"""The published figures as Parquet files: what `python -m indicators export --parquet DIR` writes and the app's
read-only mode reads (`store.published`).

Only what the pages publish leaves the database: `indicator_values` and `wachttijd_verdeling` (suppression applied)
partitioned by gemeente (`gemeente_code=GM0363/`, the jeugdregio, province, NL and comparison-group rows under
Hive's partition for no gemeente, `gemeente_code=__HIVE_DEFAULT_PARTITION__/`), the region reference and boundaries,
streefwaarden, normen, model cards, budget lines, duiding notes and the load log. Of the trajectories and the CBS
values only the labels the catalogue names indicators after (`TABLES`, `trajecten` and `cbs_values`): no client,
household, date or count. The export is written in a folder beside the target and renamed into place when complete,
so a reader never sees half an export; `manifest.json` says when, from which database, how many rows, and whether
the figures are the fictional demo (then every Parquet file also says so in its metadata).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from store.errors import StoreError, reason
from store.schema import SCHEMA_VERSION

MANIFEST = "manifest.json"
FORMAT = "jeugdmonitor-export"
FORMAT_VERSION = 1
DEMO_LABEL = "DEMO, fictieve gegevens: verzonnen cijfers over geen enkele echte gemeente"
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # Hive's partition for rows without a gemeente (benchmark levels)
REAL_LABEL = "gepubliceerde cijfers (na privacybescherming)"


@dataclass(frozen=True)
class Table:
    """One exported table: the view name the queries use, what is exported, and whether it is split by gemeente."""

    name: str
    select: str
    partitioned: bool = False

    @property
    def location(self) -> str:
        return self.name if self.partitioned else f"{self.name}.parquet"


def _whole(name: str) -> Table:
    return Table(name, f"SELECT * FROM {name}")


TABLES: tuple[Table, ...] = (
    Table("indicator_values", "SELECT * FROM indicator_values", partitioned=True),
    Table("wachttijd_verdeling", "SELECT * FROM wachttijd_verdeling", partitioned=True),
    *map(_whole, ("regions", "region_parents", "region_years", "region_breaks", "region_boundaries",
                  "ref_gemeenten", "ref_regios", "ref_wijken", "streefwaarden", "normen", "model_kaart",
                  "cbs_measures", "taakveld_mapping", "budget", "duiding", "published_gemeenten",
                  "cbs_value_measures")),
    Table("load_log", "SELECT * EXCLUDE (sha256) FROM load_log"),
    # How the comparison group is chosen, and the schema the figures were made with; no internal flags.
    Table("meta", "SELECT * FROM meta WHERE key IN ('vergelijking', 'schema_version')"),
    # The labels the catalogue makes indicators of (verwijzer, productcategorie): each set crossed with the
    # other, so not even which referrer went with which category leaves the database.
    Table("trajecten", "SELECT v.verwijzer, p.productcategorie FROM (SELECT DISTINCT verwijzer FROM trajecten) v "
                       "CROSS JOIN (SELECT DISTINCT productcategorie FROM trajecten) p"),
    # Which CBS measures were loaded (for the passed-through `cbs_<stem>` indicators), not their values.
    Table("cbs_values", "SELECT DISTINCT table_id, measure FROM cbs_values"),
)


class ExportError(StoreError):
    """The export could not be written; the message is Dutch and names the folder."""


def check_target(target: Path) -> None:
    """A target that exists, or a folder that cannot be written in, is refused before anything is read."""
    if target.exists() or target.is_symlink():
        raise ExportError(f"{target} bestaat al. Een export overschrijft nooit een bestaande map: kies een nieuwe "
                          f"map (bijvoorbeeld met de datum in de naam).")
    parent = target.parent
    if not parent.is_dir():
        raise ExportError(f"De map {parent} bestaat niet; maak die eerst aan of kies een andere plek voor {target.name}.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"Kan niet schrijven in de map {parent} (geen toegang); kies een andere plek voor de export.")


def export_parquet(con: duckdb.DuckDBPyConnection, target: Path, source: Path) -> dict:
    """Write the published figures of `con` (the database at `source`) to the new folder `target`; the manifest."""
    from store.db import is_demo

    check_target(target)
    demo = is_demo(con)
    label = DEMO_LABEL if demo else REAL_LABEL
    work = target.parent / f".{target.name}.bezig-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        work.mkdir()
        cur = con.cursor()
        counts, columns = {}, {}
        for table in TABLES:
            counts[table.name], columns[table.name] = _write(cur, table, work, label)
        manifest = {
            "formaat": FORMAT, "formaatversie": FORMAT_VERSION, "schemaversie": SCHEMA_VERSION,
            "geexporteerd_op": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "bron_database": str(source.resolve()), "demo": demo, "label": label,
            "gemeenten": cur.execute("SELECT count(DISTINCT gemeente_code) FROM indicator_values").fetchone()[0],
            "rijen": counts, "kolommen": columns,
            "tabellen": {t.name: {"pad": t.location, "per_gemeente": t.partitioned} for t in TABLES},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _sync(work)
        os.rename(work, target)
    except (OSError, duckdb.IOException) as exc:
        raise ExportError(f"De export naar {target} is niet gelukt ({reason(str(exc))}); er is niets "
                          f"geschreven.") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _write(cur, table: Table, work: Path, label: str) -> tuple[int, list[str]]:
    """COPY one table to Parquet; (rows, column names in the database's order)."""
    relation = cur.sql(table.select)
    names = list(relation.columns)
    options = "FORMAT parquet, COMPRESSION zstd, KV_METADATA {jeugdmonitor: $label}"
    if table.partitioned:
        options += ", PARTITION_BY (gemeente_code)"
    written = int(cur.execute(f"COPY ({table.select}) TO $path ({options})",
                              {"path": str(work / table.location), "label": label}).fetchone()[0])
    if table.partitioned and not written:
        # No rows, so no partition: an empty file keeps the columns readable (`store.published`).
        empty = work / table.location / f"gemeente_code={HIVE_NULL}"
        empty.mkdir(parents=True)
        cur.execute(f"COPY (SELECT * EXCLUDE (gemeente_code) FROM ({table.select}) LIMIT 0) TO $path "
                    f"(FORMAT parquet, KV_METADATA {{jeugdmonitor: $label}})",
                    {"path": str(empty / "data_0.parquet"), "label": label})
    return written, names


def _sync(folder: Path) -> None:
    """Files and folder on disk before the rename makes them visible."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

