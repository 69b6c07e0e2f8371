"""Presentatie: one chart per screen for a duidingssessie about one wijk, a plain sentence, and the room's notes."""

import streamlit as st

from common import roles
from ui import auth, data, layout, presentation, tables, verwacht

ctx = layout.page_start("Presentatie", caption="Duidingssessie: cijfers én verhalen. Wijk en jaar kiest u in de "
                                               "zijbalk; klap die daarna in en zet de browser op volledig scherm (F11).")
sel = ctx.selection
if sel is not None and not sel.wijk:
    layout.no_data(f"wijken van {sel.gemeente_naam}")
    st.stop()

ids = data.available(ctx.con, ctx.version, sel.gemeente, "WK")
indicators = data.present_indicators(ctx.con, ctx.version)
names = {i: indicators[i].naam for i in ids}
default = [i for i in ids if indicators[i].headline or i == verwacht.VERWACHT_ID]
with st.expander(f"Indicatoren voor de sessie over {sel.wijk_naam}", key="pr_kiezen"):
    chosen = st.multiselect("Indicatoren, in de volgorde van de presentatie", ids, default=default,
                            format_func=names.get, key="pr_indicatoren")
if not chosen:
    st.info("Kies een of meer indicatoren om de presentatie te beginnen.")
    st.stop()

current = presentation.step(len(chosen))
indicator_id = chosen[current]
back, where, forward = st.columns([1, 3, 1], vertical_alignment="center")
back.button("Vorige", key="pr_vorige", icon=":material/arrow_back:", disabled=current == 0, width="stretch",
            on_click=presentation.move, args=(-1, len(chosen)))
where.markdown(f"Dia {current + 1} van {len(chosen)}: **{sel.wijk_naam}**, {sel.jaar}", text_alignment="center")
forward.button("Volgende", key="pr_volgende", icon=":material/arrow_forward:", icon_position="right",
               disabled=current == len(chosen) - 1, width="stretch", on_click=presentation.move,
               args=(1, len(chosen)))

if indicator_id == verwacht.VERWACHT_ID:
    fig, sentence, alt, table = verwacht.slide(ctx)
    layout.chart(fig, key="pr_grafiek", alt=alt, table=table, sentence=sentence,
                 filename=f"duiding_{sel.wijk}_{indicator_id}")
    st.markdown(verwacht.WAT_HET_IS)
else:
    fig, sentence, alt, shown = presentation.slide(ctx, indicator_id)
    layout.chart(fig, key="pr_grafiek", alt=alt, table=tables.values_table(tables.by_level(shown)),
                 sentence=sentence, filename=f"duiding_{sel.wijk}_{indicator_id}",
                 suppressed=bool(shown["onderdrukt"].any()))

st.subheader("Duiding: wat zegt de zaal?")
notes = data.duidingen(ctx.con, sel.wijk)
earlier = notes[(notes["indicator_id"] == indicator_id) & (notes["jaar"] == sel.jaar)]
for note in earlier.itertuples():
    st.info(f"{note.tekst}\n\n*{presentation.author(note)}*", icon=":material/forum:")
if auth.may(roles.DUIDEN):
    st.text_area("Nieuwe duiding bij deze grafiek", key=presentation.NOTE, height=110,
                 placeholder="Wat herkent de zaal? Wat zeggen de cijfers niet?")
    st.button("Duiding opslaan", key="pr_opslaan", type="primary", icon=":material/save:",
              on_click=presentation.save_note, args=(ctx, indicator_id))
else:
    st.caption("U kunt de duidingen lezen; duidingen schrijven kunnen duiders en beheerders.")
if st.session_state.pop("pr_opgeslagen", False):
    st.toast("Duiding opgeslagen.", icon=":material/check:")
if refused := st.session_state.pop(presentation.REFUSED, None):
    st.error(refused, icon=":material/block:")

with st.expander(f"Alle duidingen voor {sel.wijk_naam} ({len(notes)})", key="pr_alle_duidingen"):
    if notes.empty:
        st.caption("Nog geen duidingen voor deze wijk.")
    else:
        tables.show(presentation.notes_table(notes, names), key="pr_duidingen_tabel", right=())
        if auth.may(roles.DUIDING_BEHEREN):
            choice = st.selectbox("Duiding verwijderen", notes["id"], key="pr_verwijder_keuze", index=None,
                                  placeholder="Kies een duiding",
                                  format_func=lambda i: presentation.note_label(notes, i, names))
            st.button("Verwijderen", key="pr_verwijderen", icon=":material/delete:", disabled=choice is None,
                      on_click=presentation.delete_note, args=(ctx, choice))
