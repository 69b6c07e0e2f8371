"""Financiën: the preventive share against its target path, spending by category, per wijk, begroting/realisatie."""

import streamlit as st

from ui import bars, data, finance, layout, lines, panels, tables
from ui.widgets import SOORT_LABELS

ctx = layout.page_start("Financiën", caption="Preventieve en collectieve uitgaven tegenover individuele hulp.")
sel = ctx.selection
if finance.SHARE not in data.available(ctx.con, ctx.version, sel.gemeente, "GM"):
    layout.no_data(f"het jeugdbudget van {sel.gemeente_naam}: laad een budgetbestand op de pagina Gegevens")
    st.stop()

st.subheader("Aandeel preventief en collectief in het jeugdbudget")
share, jaren, target, rows = finance.share_lines(ctx.con, ctx.version, sel)
fig = lines.figure(share, "%", jaren, layout.labels(
    ctx, "Aandeel preventief en collectief in het jeugdbudget", "%", layout.span(jaren), sel.gemeente_naam,
    rows["bron"]), target=target, height=400)
layout.chart(fig, key="fi_aandeel", alt=finance.share_alt(share, target, sel), filename="aandeel_preventief",
             table=tables.values_table(tables.by_level(rows)))

soort = st.segmented_control("Soort", list(SOORT_LABELS), default="realisatie", format_func=SOORT_LABELS.get,
                             key="fi_soort", required=True, bind="query-params") or "realisatie"
st.subheader(f"Uitgaven per categorie ({soort})")
categorie = data.budget_by_category(ctx.con, ctx.version, sel.gemeente, soort)
if categorie.empty:
    layout.no_data(f"uitgaven per categorie ({soort})")
else:
    title = f"Uitgaven per categorie ({soort})"
    layout.chart(bars.category_bars(categorie, layout.labels(ctx, title, "euro", layout.span(categorie["jaar"]),
                                                             sel.gemeente_naam, finance.BUDGET_SOURCE)),
                 key="fi_categorie",
                 alt=f"Gestapelde staven: uitgaven ({soort}) per jaar en categorie in miljoenen euro; groen is "
                     "preventief en collectief.", table=finance.category_table(categorie),
                 filename=f"uitgaven_categorie_{soort}")

left, right = st.columns(2)
with left:
    panels.ranked(ctx, finance.SHARE, "fi_wijk_aandeel", soort=soort, levels=("GM",),
                  title=f"Aandeel preventief en collectief per wijk ({soort})")
with right:
    panels.ranked(ctx, finance.TOTAL, "fi_wijk_budget", soort=soort, levels=(),
                  title=f"Jeugdbudget per wijk ({soort})")
st.caption("Per wijk alleen wat de gemeente per wijk boekt; de gemeente telt ook wat niet aan een wijk is toegewezen.")

st.subheader("Begroting en realisatie")
totals = finance.soort_rows(ctx.con, ctx.version, sel)
layout.chart(bars.soort_bars(totals, layout.labels(ctx, "Jeugdbudget: begroting en realisatie", "euro",
                                                   layout.span(totals["jaar"]), sel.gemeente_naam,
                                                   finance.BUDGET_SOURCE)),
             key="fi_soorten", filename="begroting_realisatie",
             alt=f"Staven: begroting naast realisatie van het jeugdbudget van {sel.gemeente_naam} per jaar, in "
                 "miljoenen euro.", table=finance.soort_table(totals))

st.subheader("Taakvelden zonder indeling")
unmapped = data.unmapped_taakvelden(ctx.con, ctx.version, sel.gemeente)
if unmapped.empty:
    st.success("Alle budgetregels zijn ingedeeld in een categorie.", icon=":material/check_circle:")
else:
    st.warning("Deze budgetregels hebben een taakveld zonder categorie; ze tellen niet mee in het jeugdbudget. "
               "Pas de indeling aan met een budgetbestand met taakveld en categorie.", icon=":material/warning:")
    tables.show(finance.unmapped_table(unmapped), key="fi_ongemapt", right=("Bedrag", "Regels"))
