"""Presentatie: one chart per screen for a duidingssessie about one wijk, a plain sentence, and the room's notes."""

import streamlit as st

from common import roles
from common.nl import DEMO_NOTICE
from store import duiding
from ui import auth, data, db, layout, presentation, tables, verwacht

ctx = layout.page_start("Presentatie", heading=False)
sel = ctx.selection
if sel is not None and not sel.wijk:
    st.title("Presentatie")
    layout.no_data(f"wijken van {sel.gemeente_naam}")
    st.stop()

ids = data.available(ctx.con, ctx.version, sel.gemeente, "WK")
indicators = data.present_indicators(ctx.con, ctx.version)
names = {i: indicators[i].naam for i in ids}

with st.container(key="pr_kop"):
    back, where, note_col, more_col, forward = st.columns([1.4, 4, 1.6, 1.2, 1.6], vertical_alignment="center")
    more = more_col.popover("Meer", icon=":material/tune:", width="stretch")
    with more:
        chosen = st.multiselect("Indicatoren, in de volgorde van de presentatie", ids,
                                default=[i for i in ids if indicators[i].headline or i == verwacht.VERWACHT_ID],
                                format_func=names.get,
                                key="pr_indicatoren", bind="query-params")
        st.toggle("Beamer: alleen de dia (zijbalk en kopregel weg)", key="pr_beamer", bind="query-params")
        st.caption("Wijk en jaar kiest u in de zijbalk; zet de browser daarna op volledig scherm (F11).")
    presentation.projector_css(bool(st.session_state.get("pr_beamer")))
    if not chosen:
        st.title("Presentatie")
        st.info("Kies onder 'Meer' een of meer indicatoren om de presentatie te beginnen.")
        st.stop()
    current = presentation.step(len(chosen))
    indicator_id = chosen[current]
    back.button("Vorige", key="pr_vorige", icon=":material/arrow_back:", disabled=current == 0, width="stretch",
                on_click=presentation.move, args=(-1, len(chosen)))
    where.title(f"{sel.wijk_naam}, {sel.jaar} · dia {current + 1} van {len(chosen)}", anchor=False)
    forward.button("Volgende", key="pr_volgende", icon=":material/arrow_forward:", icon_position="right",
                   disabled=current == len(chosen) - 1, width="stretch", on_click=presentation.move,
                   args=(1, len(chosen)))
    earlier = presentation.slide_notes(ctx, indicator_id)
    with note_col.popover(f"Duiding ({len(earlier)})", icon=":material/forum:", width="stretch"):
        st.markdown(f"**Duiding: {names.get(indicator_id, indicator_id)}, {sel.wijk_naam}, {sel.jaar}**")
        for note in earlier.itertuples():
            st.info(f"{note.tekst}\n\n*{presentation.author(note)}*", icon=":material/forum:")
        if auth.may(roles.DUIDEN):
            st.text_area("Wat zegt de zaal?", key=presentation.NOTE, height=110,
                         placeholder="Wat herkent de zaal? Wat zeggen de cijfers niet?")
            st.button("Duiding opslaan", key="pr_opslaan", type="primary", icon=":material/save:",
                      on_click=presentation.save_note, args=(ctx, indicator_id))
        elif db.read_only():
            st.caption(db.read_only_notice(roles.ACTION_TEXT[roles.DUIDEN]))
        else:
            st.caption("U kunt de duidingen lezen; duidingen schrijven kunnen duiders en beheerders.")
    if ctx.demo:
        st.warning(DEMO_NOTICE, icon=":material/info:")

if indicator_id == verwacht.VERWACHT_ID:
    fig, sentence, alt, table = verwacht.slide(ctx)
else:
    fig, sentence, alt, shown = presentation.slide(ctx, indicator_id)
    table = tables.values_table(tables.by_level(shown))
with st.container(key="pr_dia"):
    layout.slide_chart(fig, key="pr_grafiek", alt=alt, filename=f"duiding_{sel.wijk}_{indicator_id}_{sel.jaar}")
with st.container(key="pr_zin"):
    st.markdown(layout.escape(sentence))
if st.session_state.pop("pr_opgeslagen", False):
    st.toast("Duiding opgeslagen.", icon=":material/check:")
if refused := st.session_state.pop(presentation.REFUSED, None):
    st.error(refused, icon=":material/block:")

with more:
    st.markdown("**Cijfers bij deze dia**")
    tables.show(table, key="pr_tabel", alt=f"Tabel: {alt}")
    if indicator_id == verwacht.VERWACHT_ID:
        st.markdown(verwacht.WAT_HET_IS)
    notes = duiding.for_wijk(ctx.con, sel.wijk)
    st.markdown(f"**Alle duidingen voor {sel.wijk_naam} ({len(notes)})**")
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
