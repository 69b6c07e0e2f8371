"""Command line: `python -m indicators list`, `python -m indicators compute --out FILE.csv ...`,
`python -m indicators vergelijking {grootte,stedelijkheid}` (what the comparison group is made of) and
`python -m indicators export --parquet DIR` (the published figures for app processes that serve read-only)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import store
from common import cli, csvsafe
from indicators import catalog
from indicators.api import CONTRACT_COLUMNS, MODEL_COLUMNS, OnbekendeRegio, compute_frame
from indicators.compute import NietsGepubliceerd, refresh
from store.export import check_target

DEMO_BRON = "DEMO, fictieve gegevens: "
VERGELIJKINGEN = ("grootte", "stedelijkheid")

# argparse's own messages, in Dutch.
_MESSAGES = (
    (r"the following arguments are required: (.*)", r"deze opties ontbreken: \1"),
    (r"unrecognized arguments: (.*)", r"onbekende opties: \1"),
    (r"argument (\S+): invalid int value: (.*)", r"\1 verwacht een geheel getal, niet \2"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"\1: onbekende keuze \2 (kies uit \3)"),
    (r"argument (\S+): expected (.*)", r"\1 verwacht een waarde"),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="gebruik: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch usage and error lines (exit status 2, as for any wrong usage)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def error(self, message: str):
        for pattern, dutch in _MESSAGES:
            message = re.sub(pattern, dutch, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m indicators", description="Jeugdmonitor-indicatoren.")
    parser.add_argument("--db", help="pad naar de database (anders $JEUGDMONITOR_DB of data/jeugdmonitor.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, title="opdrachten",
                                metavar="{list,compute,vergelijking}")
    sub.add_parser("list", help="toon alle indicatoren: id, naam, eenheid, bronnen")
    comp = sub.add_parser("compute", help="herbereken de indicatoren en schrijf ze naar een CSV-bestand")
    comp.add_argument("--out", required=True, help="het CSV-bestand om te schrijven")
    comp.add_argument("--gemeente", help="alleen deze gemeente (GMxxxx): haar wijken, zijzelf en de vergelijkingen")
    comp.add_argument("--jaar", type=cli.year, help="alleen dit jaar")
    comp.add_argument("--indicator", nargs="+", action="extend", help="alleen deze indicator(en)")
    verg = sub.add_parser("vergelijking", help="vergelijkbare gemeenten: zelfde gemeentegrootte (standaard) of "
                                               "zelfde stedelijkheid; herberekent de indicatoren")
    verg.add_argument("soort", choices=VERGELIJKINGEN)
    exp = sub.add_parser("export", help="schrijf de gepubliceerde cijfers als Parquet per gemeente naar een nieuwe "
                                        "map, voor app-processen die alleen lezen (JEUGDMONITOR_BRON)")
    exp.add_argument("--parquet", required=True, metavar="MAP", help="de nieuwe map (mag nog niet bestaan)")
    for p in (comp, sub.choices["list"], verg, exp):
        p.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _list(con) -> int:
    rows = [(i.id, i.naam, i.eenheid, ", ".join(i.bronnen)) for i in catalog.all_indicators(con)]
    widths = [max(len(r[k]) for r in rows + [("id", "naam", "eenheid", "bronnen")]) for k in range(3)]
    for r in [("id", "naam", "eenheid", "bronnen")] + rows:
        print("  ".join(v.ljust(w) for v, w in zip(r[:3], widths)) + "  " + r[3])
    return 0


def _number(value) -> str:
    """Plain decimal with a dot and no exponent; integral values without decimals; empty when missing."""
    if value is None or value != value:
        return ""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _compute(con, args) -> int:
    known = {i.id for i in catalog.all_indicators(con)}
    unknown = [i for i in args.indicator or [] if i not in known]
    if unknown:
        for i in unknown:
            print(f"Onbekende indicator: {i} (zie 'python -m indicators list').", file=sys.stderr)
        return 1
    try:
        refresh(con)
    except NietsGepubliceerd as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        frame = compute_frame(con, gemeente=args.gemeente, jaar=args.jaar, indicator_ids=args.indicator)
    except OnbekendeRegio as exc:
        print(str(exc), file=sys.stderr)
        return 1
    # After the contract: the model interval, soort, and indelingsbreuk (why a figure is not comparable with the
    # year before).
    out = frame[CONTRACT_COLUMNS + MODEL_COLUMNS + ["soort", "indelingsbreuk"]].copy()
    for col in ("waarde", "teller", "noemer", *MODEL_COLUMNS):
        out[col] = frame[col].map(_number)
    out["onderdrukt"] = frame["onderdrukt"].map(lambda v: "true" if v else "false")
    if store.is_demo(con):
        out["bron"] = DEMO_BRON + out["bron"].fillna("")
    out = csvsafe.neutralise_frame(out, numbers=("waarde", "teller", "noemer"))
    try:
        out.to_csv(args.out, index=False, encoding="utf-8", lineterminator="\n")
    except OSError as exc:
        print(f"Kan {args.out} niet schrijven: {exc.strerror}.", file=sys.stderr)
        return 1
    print(f"{len(out)} regels geschreven naar {args.out}.")
    return 0


def _vergelijking(con, soort: str) -> int:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('vergelijking', ?)", [soort])
    refresh(con)
    print(f"Vergelijkbare gemeenten: zelfde {soort}. Indicatoren herberekend.")
    return 0


def _export(path: Path, target: Path) -> int:
    """Export under the reading rules (after any load in progress), refusing a bad target before opening."""
    from store.export import export_parquet

    check_target(target)
    with store.reading(path, progress=_say) as con:
        manifest = export_parquet(con, target, path)
    rows = manifest["rijen"]
    print(f"{rows['indicator_values']} cijfers van {manifest['gemeenten']} gemeenten en "
          f"{rows['wachttijd_verdeling']} regels wachttijdverdeling geschreven naar {target}"
          + (" (fictieve demodata)." if manifest["demo"] else "."))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path = store.db_path(args.db)
    if args.command == "export":
        if not Path(path).exists():
            print(f"Database niet gevonden: {path}. Laad eerst gegevens met 'python -m loaders'.", file=sys.stderr)
            return 1
        try:
            return _export(path, Path(args.parquet))
        except store.StoreError as exc:
            print(str(exc), file=sys.stderr)
            return 1
    if args.command == "list" and not Path(path).exists():
        return _list(None)
    if args.command == "compute" and not Path(path).exists():
        print(f"Database niet gevonden: {path}. Laad eerst gegevens met 'python -m loaders'.", file=sys.stderr)
        return 1
    try:
        if args.command == "list":
            with store.reading(path, progress=_say) as con:
                return _list(con)
        with store.writing(path, "indicatoren berekenen", progress=_say) as con:
            if args.command == "vergelijking":
                return _vergelijking(con, args.soort)
            return _compute(con, args)
    except store.StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    cli.install_excepthook("python -m indicators")
    sys.exit(main())
