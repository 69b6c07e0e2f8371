"""Wijkverschillen: one indicator in one year across the wijken: map, ranking, funnel plot, spread and table."""

import streamlit as st

from common import nl
from ui import compare, data, figures, layout, maps, panels, regio, tables, verwacht, widgets

ctx = layout.page_start("Wijkverschillen", caption="Verschillen tussen de wijken, en welke echt afwijken.")
sel = ctx.selection
chosen = widgets.indicator_select(ctx, "wv_indicator")
if chosen is None:
    layout.no_data(f"de wijken van {sel.gemeente_naam}")
    st.stop()
ind, soort = chosen
rows = data.year_values(ctx.con, ctx.version, ind.id, sel.gemeente, sel.jaar, soort)
wijken, refs = rows[rows["niveau"] == "WK"], compare.references(rows)
if wijken.empty:
    layout.no_data(f"{ind.naam} in de wijken in {sel.jaar}")
    st.stop()
funnel = data.funnel(ctx.con, ctx.version, ind.id, sel.gemeente, sel.jaar, soort)
flags, status = compare.funnel_flags(funnel)
title = f"{layout.indicator_title(ind, soort)} per wijk, {sel.jaar}"
where = f"wijken van {sel.gemeente_naam}"
st.subheader(title)
st.caption(layout.escape(regio.note(ctx.con, ctx.version, ind, soort, sel.gemeente, sel.jaar, rows)))

left, right = st.columns(2)
with left:
    geo, said = maps.for_year(ctx.con, ctx.version, sel.gemeente, sel.jaar)
    if geo:
        map_labels = layout.labels(ctx, f"{layout.indicator_title(ind, soort)}: kaart", ind.eenheid, sel.jaar, where,
                                   wijken["bron"])
        layout.chart(figures.wijk_map(geo, wijken, ind.eenheid, map_labels, highlight=sel.wijk,
                                      width=figures.HALF_WIDTH), key="wv_kaart",
                     alt=compare.map_alt(ind, wijken, sel), filename=f"kaart_{ind.id}_{sel.jaar}",
                     table=tables.values_table(wijken), suppressed=wijken["onderdrukt"].any())
        st.caption(said)
    else:
        st.info(said)
with right:
    rank_labels = layout.labels(ctx, f"{layout.indicator_title(ind, soort)}: rangorde", ind.eenheid, sel.jaar,
                                where, rows["bron"])
    layout.chart(figures.ranked_bars(wijken, refs, ind.eenheid, rank_labels, highlight=sel.wijk, flags=flags,
                                     target=panels.target_line(ctx, ind.id, soort)),
                 key="wv_ranking", alt=compare.ranking_alt(ind, wijken, refs, sel),
                 table=tables.values_table(tables.by_level(rows)), filename=f"ranking_{ind.id}_{sel.jaar}",
                 suppressed=wijken["onderdrukt"].any())

spread = compare.spread(wijken)
if spread:
    high, low, gap = spread
    cols = st.columns(3)
    cols[0].metric(f"Hoogste: {high['regio_naam']}", compare.with_unit(high["waarde"], ind.eenheid), border=True,
                   help=f"{ind.naam}, {sel.jaar}")
    cols[1].metric(f"Laagste: {low['regio_naam']}", compare.with_unit(low["waarde"], ind.eenheid), border=True,
                   help=f"{ind.naam}, {sel.jaar}")
    cols[2].metric("Verschil hoogste – laagste", gap, border=True)
    st.caption(f"Hoogste: {high['regio_naam']}; laagste: {low['regio_naam']}; {compare.ratio_text(high, low)}. "
               "Alleen gepubliceerde wijken tellen mee.")

st.subheader("Trechterdiagram: welke wijken wijken echt af?")
if funnel is None:
    st.info(f"Een trechterdiagram kan alleen bij een percentage van personen met teller en noemer; "
            f"'{ind.naam}' is dat niet.")
elif funnel.empty:
    layout.no_data("een trechterdiagram (geen gemeentewaarde of geen gepubliceerde wijken)")
else:
    center = float(funnel["p_gemeente"].iloc[0])
    curve = data.funnel_curve(center, float(funnel["n"].max()))
    funnel_labels = layout.labels(ctx, f"{layout.indicator_title(ind, soort)}: trechterdiagram", ind.eenheid,
                                  sel.jaar, where, rows["bron"])
    layout.chart(figures.funnel_plot(compare.funnel_points(funnel, status), curve, center, ind.eenheid,
                                     funnel_labels, highlight=sel.wijk, gemeente_naam=sel.gemeente_naam),
                 key="wv_trechter", alt=compare.funnel_alt(ind, funnel, sel), table=compare.funnel_table(funnel),
                 filename=f"trechter_{ind.id}_{sel.jaar}")
    st.caption("Een wijk heet pas afwijkend als hij buiten de 95%-grenzen valt, sterk afwijkend buiten 99,8%. "
               "Binnen de trechter kan het verschil met de gemeente toeval zijn.")

if ind.id in verwacht.JEUGDHULP_IDS:
    verwacht.wijk_section(ctx)

st.subheader("Tabel")
tables.show(tables.values_table(rows, extra={"Afwijkend": [status.get(c, "") for c in rows["regio_code"]]}),
            key="wv_tabel", alt=f"Tabel: {title}")
st.caption(layout.escape(f"{nl.MARKER_LEGEND}. {ind.beschrijving}"))
