"""`python -m reports excel --gemeente GMxxxx [--jaar YYYY] --out FILE.xlsx [--db PATH]`.

Exit status 0 when the workbook was written, 1 with a Dutch message when the gemeente is unknown or has no figures,
2 on wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import store
from common import cli
from reports.excel import ReportError, build_workbook


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"Fout in de opdracht: {message}", file=sys.stderr)
        raise SystemExit(2)


def parser() -> argparse.ArgumentParser:
    main = _Parser(prog="python -m reports", description="Exports voor de gemeenteraad.")
    commands = main.add_subparsers(dest="command", required=True, parser_class=_Parser)
    excel = commands.add_parser("excel", help="de raadsrapportage als Excel-werkmap")
    excel.add_argument("--gemeente", required=True, help="gemeentecode, bijvoorbeeld GM0344")
    excel.add_argument("--jaar", type=cli.year, help="verslagjaar (standaard: het laatste jaar met cijfers)")
    excel.add_argument("--out", required=True, type=Path, help="het .xlsx-bestand dat wordt geschreven")
    excel.add_argument("--db", help="de database (standaard $JEUGDMONITOR_DB of data/jeugdmonitor.duckdb)")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    path = store.db_path(args.db)
    if not path.exists():
        print(f"De database {path} bestaat niet. Bouw eerst de demo (python -m loaders demo) of laad gegevens.",
              file=sys.stderr)
        return 1
    if args.out.suffix.lower() != ".xlsx":
        print(f"Fout in de opdracht: --out moet een .xlsx-bestand zijn, niet {args.out.name}.", file=sys.stderr)
        return 2
    try:
        with store.reading(path, progress=lambda m: print(m, file=sys.stderr, flush=True)) as con:
            content = build_workbook(con, args.gemeente, args.jaar)
    except (ReportError, store.StoreError) as exc:
        print(exc, file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(f"Raadsrapportage geschreven naar {args.out}")
    return 0


if __name__ == "__main__":
    cli.install_excepthook("python -m reports")
    sys.exit(main())
