"""Command line: `python -m loaders demo | load FILE... | status` (see spec/formats.md)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time

from common import cli, nl
from loaders.demo import DemoBroken, build_demo
from loaders.pipeline import load_file
from loaders.registry import KIND_NAMES as KINDS
from loaders.report import LoadOptions
from store import DEMO_DB, StoreError, db_path, reading, writing

# The load log records who loaded a file; on the command line that is the system user.
COMMAND_LINE_USER = f"{getpass.getuser()} (opdrachtregel)"


class DutchParser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"Fout in de opdracht: {message}", file=sys.stderr)
        sys.exit(2)


def _progress(started: float):
    def show(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    return show


def _parser() -> argparse.ArgumentParser:
    parser = DutchParser(prog="python -m loaders", description="Gegevens laden in de Jeugdmonitor-database.")
    parser.add_argument("--db", help="pad naar de database (anders $JEUGDMONITOR_DB of data/jeugdmonitor.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=DutchParser)
    demo = sub.add_parser("demo", help="bouw de fictieve demo opnieuw op uit data/demo/")
    demo.add_argument("--db", dest="db_sub")
    load = sub.add_parser("load", help="laad een of meer bestanden")
    load.add_argument("files", nargs="+", metavar="BESTAND")
    load.add_argument("--db", dest="db_sub")
    load.add_argument("--kind", choices=KINDS, help="soort bestand (anders herkend aan de kolommen)")
    load.add_argument("--jaar", type=cli.year, help="jaar van een CBS-bestand zonder periodekolom")
    load.add_argument("--table", help="CBS-tabelnummer, bijvoorbeeld 85618NED")
    load.add_argument("--meta", help="CBS DataProperties (JSON) of MeasureCodes-bestand")
    load.add_argument("--sheet", help="tabblad van een Excel-bestand")
    status = sub.add_parser("status", help="toon wat er geladen is")
    status.add_argument("--db", dest="db_sub")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    explicit = args.db_sub or args.db
    try:
        if args.command == "status":
            return _status(db_path(explicit))
        target = db_path(explicit) if explicit or args.command == "load" else demo_path()
        what = "de demo opbouwen" if args.command == "demo" else "laden"
        with writing(target, what, progress=_progress(started)) as con:
            return _demo(con, started) if args.command == "demo" else _load(con, args, started)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1


def demo_path():
    """Where `demo` builds: `$JEUGDMONITOR_DB` when set (it refuses a database with real data), else
    data/demo.duckdb, never the user's default database."""
    return db_path() if os.environ.get("JEUGDMONITOR_DB") else DEMO_DB


def _demo(con, started: float) -> int:
    try:
        reports = build_demo(con, progress=_progress(started))
    except DemoBroken as exc:
        print(f"De demo kon niet worden opgebouwd:\n{exc}", file=sys.stderr)
        return 1
    for report in reports:
        print("\n".join(report.lines()))
    print(f"Fictieve demo opgebouwd in {nl.number(time.perf_counter() - started, 1)} seconden.")
    return 0


def _load(con, args, started: float) -> int:
    options = LoadOptions(kind=args.kind, jaar=args.jaar, table=args.table, meta=args.meta, sheet=args.sheet)
    status = 0
    for path in args.files:
        try:
            report = load_file(con, path, options, progress=_progress(started), loaded_by=COMMAND_LINE_USER)
        except FileNotFoundError:
            print(f"{path}: bestand niet gevonden.")
            status = 1
            continue
        print("\n".join(report.lines()))
        if report.refused or report.refresh_error:
            status = 1
    return status


def _status(target) -> int:
    if not target.exists():
        print(f"Er is nog niets geladen. De database {target} bestaat nog niet; laad bestanden met: python -m "
              f"loaders load BESTAND (of bouw de fictieve demo in een eigen database: python -m loaders demo).")
        return 0
    with reading(target, progress=_progress(time.perf_counter())) as con:
        rows = con.execute("""SELECT file_name, kind, sha256, rows_accepted, rows_rejected, loaded_at, is_demo,
                                     geladen_door FROM load_log ORDER BY load_id""").fetchall()
    if not rows:
        print("Er is nog niets geladen. Laad bestanden met: python -m loaders load BESTAND (of: python -m loaders demo).")
        return 0
    print("bestand | soort | controlegetal | rijen geladen | rijen afgewezen | geladen op | geladen door")
    for name, kind, sha, ok, bad, at, demo, door in rows:
        label = f"{name} (fictieve demo)" if demo else name
        print(f"{label} | {kind} | {sha[:12]} | {nl.number(ok)} | {nl.number(bad)} | {nl.datetime(at)} | "
              f"{door or 'onbekend'}")
    return 0


if __name__ == "__main__":
    cli.install_excepthook("python -m loaders")
    sys.exit(main())
