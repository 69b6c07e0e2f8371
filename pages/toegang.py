"""Toegang en wachttijden: how fast help starts per wijk, the distribution, the waiting list, durations, referrers."""

import streamlit as st

from common import nl
from ui import access, bars, data, layout, panels, tables

ctx = layout.page_start("Toegang en wachttijden", caption="Hoe snel krijgen jongeren en gezinnen hulp?")
sel = ctx.selection
if "wachttijd_mediaan_dagen" not in data.available(ctx.con, ctx.version, sel.gemeente, "GM"):
    layout.no_data(f"wachttijden in {sel.gemeente_naam}: laad een trajectenbestand op de pagina Gegevens")
    st.stop()

st.subheader(f"Wachttijd van aanmelding tot start, {sel.jaar}")
waits = access.wait_rows(ctx.con, ctx.version, sel)
gm = waits[waits["niveau"] == "GM"].iloc[0] if (waits["niveau"] == "GM").any() else None
alt = "Per regio een lijn van de mediaan (rondje) tot het 80e percentiel (ruit) van de wachttijd in dagen."
if gm is not None and not gm["onderdrukt"]:
    alt += (f" {sel.gemeente_naam}: de helft startte binnen {nl.number(gm['mediaan'])} dagen, 80% binnen "
            f"{nl.number(gm['p80'])} dagen.")
waits_labels = layout.labels(ctx, "Wachttijd van aanmelding tot start: mediaan en 80e percentiel", "dagen",
                             sel.jaar, f"{sel.gemeente_naam} en wijken", access.SOURCE)
layout.chart(bars.range_plot(waits, waits_labels, highlight=sel.wijk), key="tg_wachttijd", alt=alt,
             table=access.wait_table(waits), filename=f"wachttijd_{sel.jaar}", suppressed=waits["onderdrukt"].any())

st.subheader("Verdeling van de wachttijd per productcategorie")
verdeling = data.wachttijd_verdeling(ctx.con, ctx.version, sel.gemeente, sel.jaar)
categorieen = access.categories(verdeling)
if categorieen:
    categorie = st.selectbox("Productcategorie", categorieen, key="tg_categorie",
                             format_func=access.category_label, bind="query-params")
    cells = access.distribution_cells(verdeling, categorie, sel.gemeente_naam)
    heat_labels = layout.labels(ctx, f"Gestarte trajecten {access.category_label(categorie).lower()} per "
                                     "wachttijdklasse", "aantal", sel.jaar, f"{sel.gemeente_naam} en wijken",
                                access.SOURCE)
    layout.chart(bars.heatmap(cells, heat_labels), key="tg_verdeling",
                 alt=f"Tabelkaart: aantal in {sel.jaar} gestarte trajecten {categorie.replace('_', ' ')} per wijk "
                     "en wachttijdklasse in dagen; donkerder is meer.",
                 table=access.distribution_table(cells), filename=f"verdeling_{categorie}_{sel.jaar}",
                 suppressed=cells["onderdrukt"].any())
else:
    layout.no_data(f"trajecten die in {sel.jaar} startten")
normen = data.normen(ctx.con, ctx.version)
with st.expander("Normen per productcategorie", key="tg_normen"):
    tables.show(normen.assign(norm_dagen=normen["norm_dagen"].map(nl.number)).rename(columns={
        "productcategorie": "Productcategorie", "norm_dagen": "Norm", "soort_dagen": "Soort dagen",
        "bron": "Bron"}), key="tg_normen_tabel", right=("Norm",))

left, right = st.columns(2)
with left:
    panels.ranked(ctx, "wachttijd_binnen_norm_pct", "tg_binnen_norm", levels=("GM",),
                  title="Start binnen de norm per wijk")
with right:
    panels.ranked(ctx, "wachtlijst_aantal", "tg_wachtlijst", levels=(), title=f"Wachtend op 31 december {sel.jaar}, per wijk")
left, right = st.columns(2)
with left:
    panels.ranked(ctx, "trajectduur_mediaan_dagen", "tg_duur", levels=("GM",),
                  title="Duur van afgesloten trajecten (mediaan) per wijk")
with right:
    panels.ranked(ctx, "trajecten_per_client", "tg_per_client", levels=("GM",),
                  title="Trajecten per cliënt per wijk")

st.subheader(f"Verwijzers, {sel.jaar}")
verwijzers = access.referrer_rows(ctx.con, ctx.version, sel)
if verwijzers.empty:
    layout.no_data("verwijzers")
else:
    ref_labels = layout.labels(ctx, "Verwijzers van gestarte trajecten", "%", sel.jaar,
                               f"{sel.gemeente_naam} en wijken", access.SOURCE)
    layout.chart(bars.stacked_shares(verwijzers, ref_labels), key="tg_verwijzers",
                 alt="Gestapelde staven: aandeel van de in het jaar gestarte trajecten per verwijzer, per regio.",
                 table=access.referrer_table(verwijzers), filename=f"verwijzers_{sel.jaar}",
                 suppressed=verwijzers["onderdrukt"].any())
