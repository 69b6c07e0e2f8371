"""Toegang en wachttijden: how fast help starts, per productcategorie against its own norm, per wijk, the
distribution, the waiting list, durations and referrers."""

import streamlit as st

from common import nl
from ui import access, bars, compare, data, figures, layout, panels, tables

ctx = layout.page_start("Toegang en wachttijden", caption="Hoe snel krijgen jongeren en gezinnen hulp? Elke "
                                                          "productcategorie heeft haar eigen norm.")
sel = ctx.selection
if "wachttijd_mediaan_dagen" not in data.available(ctx.con, ctx.version, sel.gemeente, "GM"):
    layout.no_data(f"wachttijden in {sel.gemeente_naam}: laad een trajectenbestand op de pagina Gegevens")
    st.stop()

norms = data.normen(ctx.con, ctx.version)
categorieen = access.present_categories(ctx.con, ctx.version, sel)
st.subheader(f"Wachttijd per productcategorie, {sel.jaar}: {sel.gemeente_naam}")
overview = access.category_overview(ctx.con, ctx.version, sel, categorieen, norms)
tables.show(overview, key="tg_overzicht", alt=f"Tabel: wachttijd per productcategorie in {sel.jaar}",
            right=("Gestart", "Mediaan", "80e percentiel", "Binnen de norm"))
st.caption("Mediaan: de helft van de in het jaar gestarte trajecten begon binnen zoveel kalenderdagen; 95%-interval: "
           "verdelingsvrij, uit de rangorde van de wachttijden. Binnen de norm: in kalender- of werkdagen, zoals de "
           "norm van die productcategorie zegt.")

categorie = st.selectbox("Productcategorie", categorieen, key="tg_categorie", format_func=access.category_label,
                         bind="query-params")
label = access.category_label(categorie)
norm = norms.get(categorie)
st.subheader(f"{label}: wachttijd per wijk, {sel.jaar}")
waits = access.wait_rows(ctx.con, ctx.version, sel, categorie)
gm = waits[waits["niveau"] == "GM"].iloc[0] if (waits["niveau"] == "GM").any() else None
cols = st.columns(3)
cols[0].metric("Mediaan gemeente", access.days(gm, "mediaan"), border=True,
               help="De helft van de gestarte trajecten begon binnen deze wachttijd (kalenderdagen).")
cols[1].metric("80e percentiel gemeente", access.days(gm, "p80"), border=True,
               help="80% van de gestarte trajecten begon binnen deze wachttijd (kalenderdagen).")
binnen = data.gemeente_value(ctx.con, ctx.version, f"wachttijd_{categorie}_binnen_norm_pct", sel.gemeente, sel.jaar)
cols[2].metric("Start binnen de norm", nl.MISSING if binnen is None else
               nl.by_unit(binnen["waarde"], "%", bool(binnen["onderdrukt"])), border=True,
               help=norm.label if norm else "Voor deze productcategorie is geen norm geladen.")
alt = (f"Per regio de mediaan (rondje, met 95%-interval) en het 80e percentiel (ruit) van de wachttijd voor "
       f"{label.lower()} in dagen" + (f"; groene stippellijn: de {norm.label}." if norm else "."))
wait_labels = layout.labels(ctx, f"Wachttijd {label.lower()}: mediaan en 80e percentiel per wijk", "dagen", sel.jaar,
                            f"{sel.gemeente_naam} en wijken", access.SOURCE)
layout.chart(bars.range_plot(waits, wait_labels, highlight=sel.wijk,
                             norm=(norm.label[:1].upper() + norm.label[1:], norm.kalenderdagen) if norm else None),
             key="tg_wachttijd", alt=alt, table=access.wait_table(waits), filename=f"wachttijd_{categorie}_{sel.jaar}",
             suppressed=waits["onderdrukt"].any())
st.caption("▲/▼: de mediaan van de wijk wijkt af van die van de gemeente (de gemeentewaarde ligt buiten het "
           "95%-interval van de wijk). Zonder interval (minder dan 6 starts) geen oordeel.")

funnel_id = f"wachttijd_{categorie}_binnen_norm_pct"
funnel = data.funnel(ctx.con, ctx.version, funnel_id, sel.gemeente, sel.jaar) if norm else None
if funnel is not None and not funnel.empty:
    flags, status = compare.funnel_flags(funnel)
    center = float(funnel["p_gemeente"].iloc[0])
    funnel_labels = layout.labels(ctx, f"Start binnen de norm, {label.lower()}: trechterdiagram", "%", sel.jaar,
                                  f"wijken van {sel.gemeente_naam}", access.SOURCE)
    ind = data.indicator(ctx.con, ctx.version, funnel_id)
    layout.chart(figures.funnel_plot(compare.funnel_points(funnel, status),
                                     data.funnel_curve(center, float(funnel["n"].max())), center, "%", funnel_labels,
                                     highlight=sel.wijk, gemeente_naam=sel.gemeente_naam),
                 key="tg_trechter", alt=compare.funnel_alt(ind, funnel, sel), table=compare.funnel_table(funnel),
                 filename=f"trechter_{funnel_id}_{sel.jaar}")
    st.caption("Een wijk heet pas afwijkend buiten de 95%-grenzen rond de gemeentewaarde, sterk afwijkend buiten "
               "99,8%; binnen de trechter kan het verschil toeval zijn.")
elif norm is None:
    st.info(f"Voor {label.lower()} is geen norm geladen; laad een normenbestand op de pagina Gegevens.")

st.subheader(f"{label}: verdeling van de wachttijd, {sel.jaar}")
verdeling = data.wachttijd_verdeling(ctx.con, ctx.version, sel.gemeente, sel.jaar)
if categorie in access.categories(verdeling):
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
    layout.no_data(f"trajecten {label.lower()} die in {sel.jaar} startten")

st.subheader(f"Alle productcategorieën samen, {sel.jaar}")
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
