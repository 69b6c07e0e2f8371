"""Trend lines do not draw through breaks: a missing year, a new wijk indeling, a change of source, suppression."""

from __future__ import annotations

import pandas as pd

from ui import lines, style


def rows(code: str, niveau: str, values: dict, bron: dict | None = None, suppressed: tuple = ()) -> list[dict]:
    return [{"regio_code": code, "regio_naam": code.title(), "niveau": niveau, "jaar": jaar,
             "waarde": None if jaar in suppressed else waarde, "onderdrukt": jaar in suppressed,
             "bron": (bron or {}).get(jaar, "CBS 85618NED")} for jaar, waarde in values.items()]


def series() -> pd.DataFrame:
    wijk = rows("WK000101", "WK", {2019: 10.0, 2020: 11.0, 2022: 12.0, 2023: 12.5, 2024: 13.0}, suppressed=(2023,))
    gemeente = rows("GM0001", "GM", {y: 9.0 + (y - 2019) * 0.1 for y in range(2019, 2025)},
                    bron={y: "CBS 8%d000NED" % y if y < 2023 else "CBS KWB, bevolking" for y in range(2019, 2025)})
    return pd.DataFrame(wijk + gemeente)


def plotted(fig, name: str) -> list[tuple]:
    trace = next(t for t in fig.data if t.name == name)
    return list(zip(trace.x, trace.y))


def test_missing_suppressed_and_break_years_are_gaps_not_bridges():
    built = lines.build(series(), ["WK000101", "GM0001"], wijk_breaks=[2022], highlight="WK000101")
    fig = lines.figure(built, "%", list(range(2019, 2025)), style.Labels("Titel", "Ondertitel", "Bron", True),
                       markers=lines.markers(built, [2022], list(range(2019, 2025))))
    wijk = plotted(fig, "Wk000101")
    assert (2021, None) in wijk, "a year without a row is a gap"
    assert (2021.5, None) in wijk, "the new wijk indeling at 2022 interrupts the wijk line"
    assert (2023, None) in wijk, "a suppressed year shows no value"
    assert (2024, 13.0) in wijk
    gemeente = plotted(fig, "Gm0001")
    assert (2022.5, None) in gemeente, "a change of source (CBS table -> count / population) interrupts the line"
    assert (2021.5, None) not in gemeente, "a new wijk indeling does not break the gemeente's own line"
    labels = {a.text for a in fig.layout.annotations}
    assert {lines.BREAK_WIJKINDELING, lines.BREAK_DEFINITIE, "<b>*</b>"} <= labels
    assert any("Fictieve demodata" in text for text in labels)
    assert any("Gm0001: andere bron vanaf 2023" in text for text in labels), "the change of source is noted"
    assert fig.layout.separators == ",."


def test_table_ids_of_yearly_cbs_tables_are_not_a_change_of_definition():
    gemeente = pd.DataFrame(rows("GM0001", "GM", {2019: 9.0, 2020: 9.1},
                                 bron={2019: "CBS 84583NED", 2020: "CBS 84799NED"}))
    assert lines.definition_breaks(gemeente) == set()


def test_missing_note_names_common_and_own_missing_years():
    built = lines.build(series(), ["WK000101", "GM0001"], wijk_breaks=[])
    assert lines.missing_note(built) == "Wk000101: geen cijfer in 2021."
