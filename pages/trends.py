"""Trends: one indicator over the years for chosen wijken against gemeente, jeugdregio and Nederland, with target."""

import streamlit as st

from ui import data, layout, lines, regio, tables, verwacht, widgets
from ui.style import LEVEL_LABELS

ctx = layout.page_start("Trends", caption="De ontwikkeling door de jaren; breuken in een reeks worden niet "
                                         "doorgetrokken.")
sel = ctx.selection
chosen = widgets.indicator_select(ctx, "tr_indicator")
if chosen is None:
    layout.no_data(f"de wijken van {sel.gemeente_naam}")
    st.stop()
ind, soort = chosen
gekozen = st.multiselect("Wijken", list(sel.wijk_namen), default=[sel.wijk] if sel.wijk else [],
                         format_func=sel.wijk_namen.get, key="tr_wijken", max_selections=5,
                         placeholder="Kies een of meer wijken", bind="query-params")
niveaus = st.pills("Vergelijken met", ["GM", "JZ", "PV", "NL", "VG"], selection_mode="multi",
                   default=["GM", "JZ", "NL"], format_func=LEVEL_LABELS.get, key="tr_vergelijk", bind="query-params")

rows = data.series(ctx.con, ctx.version, ind.id, sel.gemeente, soort)
codes = list(gekozen) + [c for n in niveaus or [] for c in rows.loc[rows["niveau"] == n, "regio_code"].unique()
                         if n != "GM" or c == sel.gemeente]
shown = rows[rows["regio_code"].isin(codes)]
if shown.empty:
    layout.no_data(f"{ind.naam} voor deze keuze")
    st.stop()

jaren = sorted(int(j) for j in shown.loc[shown["waarde"].notna() | shown["onderdrukt"], "jaar"].unique())
if not jaren:
    layout.no_data(f"{ind.naam} voor deze keuze: alle jaren zonder cijfer")
    st.stop()
wijk_breaks = data.breaks(ctx.con, ctx.version, sel.gemeente)
reeks = lines.build(shown, codes, wijk_breaks, highlight=sel.wijk)
target = data.target_path(ctx.con, ctx.version, ind.id, sel.gemeente, tuple(range(jaren[0], jaren[-1] + 11)))
st.caption(ind.beschrijving)
st.caption(layout.escape(regio.note(ctx.con, ctx.version, ind, soort, sel.gemeente,
                                      sel.jaar if sel.jaar in jaren else jaren[-1], rows)))
where = ", ".join(line.label for line in reeks if line.niveau == "WK") or sel.gemeente_naam
labels = layout.labels(ctx, layout.indicator_title(ind, soort), ind.eenheid, layout.span(jaren), where,
                       shown["bron"])
fig = lines.figure(reeks, ind.eenheid, jaren, labels, target=target,
                   markers=lines.markers(reeks, wijk_breaks, jaren), height=460)
alt = lines.alt_text(reeks, ind, jaren, target)
table = tables.values_table(tables.by_level(shown))
layout.chart(fig, key="tr_grafiek", alt=alt, table=table, filename=f"trend_{ind.id}",
             suppressed=any(line.suppressed for line in reeks))

notes = [lines.missing_note(reeks)]
if any(j in wijk_breaks for j in jaren[1:]) or any(line.boundary_changes & set(jaren[1:]) for line in reeks):
    notes.append("Een verticale lijn markeert een nieuwe wijkindeling of een gewijzigde grens of code: cijfers voor "
                 "en na zijn niet vergelijkbaar en worden niet verbonden.")
if any(line.definition_changes for line in reeks):
    notes.append("'Andere bron of definitie': het cijfer komt vanaf dat jaar uit een andere bron.")
st.caption(" ".join(n for n in notes if n))

if ind.id in verwacht.JEUGDHULP_IDS:
    verwacht.trend_section(ctx, list(gekozen))
