"""Overzicht: the headline indicators of the chosen gemeente and year, one tile each, and the wijken at a glance."""

import streamlit as st

from common.nl import MARKER_LEGEND
from indicators import catalog
from ui import data, layout, tables, tiles

ctx = layout.page_start("Overzicht", caption="De kerncijfers van de gemeente in één oogopslag.")
sel = ctx.selection

present = set(data.available(ctx.con, ctx.version, sel.gemeente, "GM"))
headline = [ind for ind in catalog.all_indicators() if ind.headline and ind.id in present]

st.subheader(f"{sel.gemeente_naam}, {sel.jaar}")
if not headline:
    layout.no_data(f"{sel.gemeente_naam}: geen van de kernindicatoren is geladen")
    st.stop()

for start in range(0, len(headline), 3):
    for column, indicator in zip(st.columns(3), headline[start:start + 3]):
        with column:
            tiles.show(ctx.con, ctx.version, indicator, sel.gemeente, sel.jaar, key=f"ov_tegel_{indicator.id}")
st.caption(tiles.ON_TRACK_HELP)

st.subheader("Wijken in één oogopslag")
table = tiles.wijk_table(ctx.con, ctx.version, headline, sel.gemeente, sel.gemeente_naam, sel.jaar)
tables.show(table, key="ov_wijken", alt=f"Kernindicatoren per wijk van {sel.gemeente_naam} in {sel.jaar}",
            right=tuple(table.columns[1:]))
st.caption(layout.escape(f"{MARKER_LEGEND}. – = geen cijfer voor dit jaar. Vergelijk wijken en gemeente op de "
                         "pagina Wijkverschillen; de ontwikkeling door de jaren staat op Trends."))

st.subheader("Vergelijking met regio, Nederland en vergelijkbare gemeenten")
comparison = tiles.benchmark_table(ctx.con, ctx.version, sel.gemeente, sel.jaar)
if comparison.empty:
    layout.no_data(f"vergelijkingen in {sel.jaar}")
else:
    tables.show(comparison, key="ov_vergelijking", right=tuple(comparison.columns[1:]),
                alt=f"Tabel: {sel.gemeente_naam} vergeleken met jeugdregio, provincie, Nederland en vergelijkbare "
                    f"gemeenten in {sel.jaar}")
    st.caption("Vergelijkbare gemeenten: het ongewogen gemiddelde van de gemeenten in dezelfde groep (bijvoorbeeld "
               "dezelfde grootteklasse). Aantallen zijn tussen regio's niet vergelijkbaar; kijk naar percentages.")
