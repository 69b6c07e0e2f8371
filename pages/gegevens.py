"""Gegevens: upload, check and load a file; the load log; indicator definitions; coverage; the council workbook."""

import streamlit as st

from common import cli, roles
from loaders import KINDS
from store.reference import BRON as REFERENCE_SOURCE
from ui import admin, auth, data, db, layout, tables, uploads, verwacht

ctx = layout.page_start("Gegevens", needs_data=False,
                        caption="Zien wat er gepubliceerd is en waar het vandaan komt." if db.read_only()
                        else "Bestanden laden en zien wat er in de database staat.")

st.subheader("Bestand laden")
if db.read_only():
    st.info(db.read_only_notice(roles.ACTION_TEXT[roles.LADEN]), icon=":material/lock:")
elif not auth.configured() and auth.reachable_from_others():
    st.warning(auth.OPEN_WARNING, icon=":material/lock_open:")
if not auth.may(roles.LADEN):  # never in a read-only Jeugdmonitor, which said why above
    if not db.read_only():
        st.info("U kunt hier zien wat er geladen is. Bestanden laden kan alleen een beheerder.", icon=":material/lock:")
else:
    uploads.hide_english_instructions()
    upload = st.file_uploader(
        f"Kies een bestand: CSV, Excel (.xlsx), JSON of GeoJSON, tot {uploads.max_upload_mb()} MB",
        type=uploads.FILE_TYPES, key="gg_bestand")
    kind = st.selectbox("Soort bestand", [uploads.AUTO, *KINDS], key="gg_soort",
                        format_func=lambda k: uploads.KIND_LABELS.get(k, k))
    with st.expander("Meer opties (jaar, CBS-tabel, werkblad, metadata)", key="gg_opties"):
        left, right = st.columns(2)
        jaar = left.number_input("Jaar", min_value=1900, max_value=2100, value=None, step=1, key="gg_jaar",
                                 help="Voor CBS-bestanden zonder periode.")
        table = right.text_input("CBS-tabel", key="gg_tabel", placeholder="bijv. 85618NED")
        sheet = left.text_input("Werkblad (Excel)", key="gg_blad")
        meta = right.file_uploader("Metadata (DataProperties of MeasureCodes)", type=["json", "csv"], key="gg_meta")

    if upload is not None and upload.file_id not in st.session_state.get("gg_geladen", set()):
        path = uploads.save(upload)
        meta_path = uploads.save(meta) if meta is not None else None
        opts = uploads.options(kind, jaar, table, sheet, meta_path)
        report = uploads.check(ctx.con, path, opts, f"{upload.file_id}|{meta.file_id if meta else ''}")
        (st.error if report.refused else st.info)(uploads.check_summary(report), icon=":material/fact_check:")
        if uploads.check_lines(report):
            st.code("\n".join(uploads.check_lines(report)), language=None)
        if report.problems:
            tables.show(uploads.problems_table(report), key="gg_problemen", right=("Rij",))
        if not report.refused and report.rows_accepted and st.button("Laden in de database", key="gg_laden",
                                                                     type="primary"):
            try:
                with st.spinner("Laden en indicatoren herberekenen…"):
                    st.session_state["gg_resultaat"] = uploads.load(ctx.con, path, opts).lines()
                    data.warm(ctx.con, ctx.selection.gemeente if ctx.selection else None)
            except roles.NotAllowed as exc:
                st.error(str(exc), icon=":material/block:")
                st.stop()
            st.session_state.setdefault("gg_geladen", set()).add(upload.file_id)
            st.rerun()
    if st.session_state.get("gg_resultaat"):
        st.success("Geladen. " + st.session_state["gg_resultaat"][0], icon=":material/check_circle:")
        if st.session_state["gg_resultaat"][1:]:
            st.code("\n".join(uploads.web_text(line) for line in st.session_state["gg_resultaat"][1:]), language=None)

st.subheader("Laadlog")
log = data.load_log(ctx.con, ctx.version)
if log.empty:
    st.caption("Nog niets geladen.")
else:
    st.container(key="gg_laatste").caption(uploads.last_load(log))
    tables.show(uploads.log_table(log), key="gg_laadlog", right=("Rijen geladen", "Rijen afgewezen"))

st.caption(f"Ingebouwd: de regio-indeling (jeugdregio, provincie, gemeentegrootte, stedelijkheid per jaar en de "
           f"namen van gemeenten en wijken). {REFERENCE_SOURCE}. Een geladen regiobestand gaat voor.")

st.subheader("Indicatoren en hun bronnen")
catalog = data.indicator_catalog(ctx.con, ctx.version)
present = set(catalog.index) & set(data.present_ids(ctx.con, ctx.version))
tables.show(admin.definitions_table(catalog, present), key="gg_definities", right=())
verwacht.model_card_section(ctx)

if ctx.selection is not None:
    sel = ctx.selection
    st.subheader(f"Dekking: welke cijfers er zijn voor {sel.gemeente_naam}")
    st.caption("Per indicator, niveau en jaar: regio's met een gepubliceerd cijfer / regio's met een regel.")
    tables.show(admin.coverage_table(data.coverage(ctx.con, ctx.version, sel.gemeente), catalog),
                key="gg_dekking", right=())
    build = admin.workbook_builder()
    st.subheader("Raadsrapportage")
    if build is None:
        st.error(admin.WORKBOOK_UNAVAILABLE.format(log=cli.log_path()), icon=":material/error:")
    else:
        st.download_button(f"Excel-werkmap {sel.gemeente_naam} {sel.jaar}", key="gg_excel", icon=":material/download:",
                           data=lambda: db.read(lambda con: build(con, sel.gemeente, sel.jaar)),
                           file_name=f"jeugdmonitor_{sel.gemeente}_{sel.jaar}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        st.caption("De werkmap wordt gemaakt zodra u klikt; de cijfers zijn dezelfde als op het scherm.")
