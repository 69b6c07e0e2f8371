"""The printed benchmark table, Dutch labels and Dutch number formats."""

from __future__ import annotations

from benchmarks import incremental
from common import nl

KIND_ORDER = ("regios", "normen", "bevolking", "budget", "bereik", "cbs", "trajecten")


def _s(seconds: float) -> str:
    return f"{nl.number(seconds, 2)} s"


def _yes(flag: bool) -> str:
    return "ja" if flag else "NEE"


def _floor(r: dict, kind: str) -> str:
    """The floor (DuckDB alone on the same files, same run) and the load as a multiple of it; blank without one."""
    if kind not in r.get("floor_seconds", {}):
        return ""
    return f"{_s(r['floor_seconds'][kind]):>11}{nl.number(r['load_floor_multiple'][kind], 1) + 'x':>9}"


def lines(r: dict) -> list[str]:
    reg = r["regions"]
    out = [
        f"Jeugdmonitor schaalbenchmark '{r['scale']}': {nl.number(reg['GM'])} gemeenten, {nl.number(reg['WK'])} "
        f"wijken, {nl.number(reg['BU'])} buurten; {r['machine']['cpus']} cores, DuckDB {r['machine']['duckdb']}, "
        f"pandas {r['machine']['pandas']}",
        f"Gegevens {'hergebruikt' if r['data_reused'] else 'gegenereerd'} in {_s(r['generate_seconds'])}",
        "",
        f"{'Laden (loaders.load_file)':<28}{'rijen':>12}{'afgewezen':>11}{'tijd':>11}{'rijen/s':>12}"
        f"{'vloer':>11}{'x vloer':>9}",
    ]
    kinds = [k for k in KIND_ORDER if k in r["rows"]] + [k for k in r["rows"] if k not in KIND_ORDER]
    for kind in kinds:
        out.append(f"  {kind:<26}{nl.number(r['rows'][kind]):>12}{nl.number(r['rows_rejected'][kind]):>11}"
                   f"{_s(r['load_seconds'][kind]):>11}{nl.number(r['load_rows_per_second'][kind]):>12}"
                   + _floor(r, kind))
    out.append(f"  {'totaal':<26}{nl.number(sum(r['rows'].values())):>12}"
               f"{nl.number(sum(r['rows_rejected'].values())):>11}{_s(r['load_total_seconds']):>11}")
    check = r["loader_check"]
    out.append(
        f"Controle trajecten: {nl.number(check['invalid_in_files'])} foute rijen in de bestanden, "
        f"{nl.number(check['rejected_reported'])} afgewezen gemeld; {nl.number(check['expected_in_store'])} "
        f"unieke geldige rijen verwacht, {nl.number(check['accepted_reported'])} geladen gemeld, "
        f"{nl.number(check['in_store'])} in de tabel: {'klopt' if check['ok'] else 'KLOPT NIET'}"
    )
    out.append("Vloer: DuckDB alleen op dezelfde bestanden in dezelfde run (read_csv als tekst + strptime/TRY_CAST; "
               "KWB met UNPIVOT), zonder controles of verslag")
    pages = r["pages"]
    comp = r["comparison"]
    peaks = r["peak_rss_mb_by_phase"]
    out += [
        "",
        f"Alle indicatoren berekenen (indicators.refresh): {_s(r['compute_seconds'])}, "
        f"{nl.number(r['indicator_rows'])} rijen in indicator_values, "
        f"{nl.number(r['compute_input_rows_per_second'])} invoerrijen/s; "
        f"nogmaals zonder wijzigingen: {_s(r['compute_again_seconds'])}",
        f"Pandas-basislijn (zelfde indicatoren): {_s(r['baseline_seconds'])} "
        f"(CSV lezen {_s(r['baseline_read_seconds'])}, rekenen {_s(r['baseline_compute_seconds'])})",
        f"Van ruwe bestanden tot gepubliceerde indicatoren (laden + berekenen): {_s(r['end_to_end_seconds'])}, "
        f"{nl.number(r['end_to_end_vs_baseline'], 2)}x de tijd van de pandas-basislijn (lezen + rekenen)",
        f"Versnelling: {nl.number(r['speedup'], 1)}x inclusief lezen, "
        f"{nl.number(r['speedup_without_reading'], 1)}x alleen rekenen",
        f"Zelfde waarden: {_yes(r['agree'])} ({nl.number(comp['compared'])} gepubliceerde waarden vergeleken, "
        f"{nl.number(comp['disagreements'])} verschillen)",
        f"Paginadata (ui.data, koude cache) voor {pages['gemeente']} ({pages['jaar']}), traagste pagina "
        f"'{pages['slowest']}': {_s(pages['slowest_seconds']) if pages['slowest'] else '–'}",
    ]
    for page, detail in pages["details"].items():
        out.append(f"  {page:<26}{_s(detail['data_seconds']):>11} data, {_s(detail['run_seconds'])} hele pagina, "
                   f"{_s(detail['warm_data_seconds'])} data met cache")
    out += _page_errors(pages)
    out += incremental.report_lines(r, _s, nl.number)
    out += serve_lines(r)
    out += [
        "Piekgeheugen (ru_maxrss per fase): " + ", ".join(f"{k} {nl.number(v)} MB" for k, v in peaks.items()),
        "CPU-tijd per fase (alle threads): "
        + ", ".join(f"{k} {_s(v)}" for k, v in r["cpu_seconds_by_phase"].items()),
        "Belasting van de machine (load average begin/eind per fase; meer dan het aantal cores = gedeelde CPU): "
        + ", ".join(f"{k} {nl.number(a, 1)}/{nl.number(b, 1)}" for k, (a, b) in r["load_average_by_phase"].items()),
        "",
        "Doelen: " + "; ".join(f"{k} {_yes(v)}" for k, v in r["targets"].items()),
    ]
    for example in comp["examples"]:
        out.append(f"  verschil: {example}")
    return out


def _page_errors(pages: dict) -> list[str]:
    return [f"  FOUT in {page}: {error.splitlines()[0] if error else ''}"
            for page, errors in [("app.py", pages["startup_errors"]), *pages["errors"].items()] for error in errors]


def serve_lines(r: dict) -> list[str]:
    """The export, the page data served from it, and the wijk switch in the browser (`benchmarks.serve`)."""
    exp, pages, switch = r["export"], r["export_pages"], r["wijk_switch"]
    out = [
        f"Export naar Parquet (indicators export): {_s(exp['seconds'])}, {nl.number(exp['rows'])} cijfers van "
        f"{nl.number(exp['gemeenten'])} gemeenten, {nl.number(exp['mb'], 1)} MB",
        f"Paginadata uit de export (JEUGDMONITOR_BRON, koude cache) voor {pages['gemeente']} ({pages['jaar']}), "
        f"traagste pagina '{pages['slowest']}': {_s(pages['slowest_seconds']) if pages['slowest'] else '–'}",
    ]
    for page, detail in pages["details"].items():
        out.append(f"  {page:<26}{_s(detail['data_seconds']):>11} data, {_s(detail['run_seconds'])} hele pagina")
    out += _page_errors(pages)
    out.append(f"Wijk wisselen in Chromium (Wijkverschillen, {switch['gemeente']}, {switch['wijken']} wijken): mediaan "
               f"{_s(switch['median_seconds'])}, eerste {_s(switch['first_seconds'])}, hoogste "
               f"{_s(switch['max_seconds'])} over {len(switch['seconds'])} wissels")
    return out


def print_table(result: dict) -> None:
    print("\n".join(lines(result)), flush=True)
