"""The presentation for duidingssessies: which slide is shown (in the URL), the slide's chart and sentence, the
projector layout and the room's notes.

The chosen year governs a slide: the chart runs up to that year and no further, the sentence and the target verdict
are about that year. The slide number lives in the URL (`dia`), beside the wijk and year of the sidebar and the
chosen indicators, so a reload or a shared link opens the same slide.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import store
from common import nl, roles
from indicators import targets
from store import duiding
from ui import auth, data, layout, lines, sentences
from ui.state import Context

SLIDE = "dia"
NOTE = "pr_duiding"
REFUSED = "pr_geweigerd"

# The slide fills the screen: header, sidebar and padding give way; the chart takes what the line above it and the
# sentence under it leave (measured at 1280x720 and 1920x1080).
_CSS = """
<style>
[data-testid="stMainBlockContainer"] {{padding-top: {top}; padding-bottom: 0.5rem;}}
.st-key-pr_kop h1 {{font-size: 1.35rem; padding: 0; line-height: 1.3;}}
.st-key-pr_kop [data-testid="stAlert"] > div {{padding: 0.2rem 0.6rem;}}
.st-key-pr_kop [data-testid="stAlert"] p {{font-size: 0.85rem;}}
.st-key-pr_dia {{height: calc(100vh - {chrome}px) !important; flex: 0 0 auto !important; min-height: 300px;}}
.st-key-pr_dia [data-testid="stPlotlyChart"], .st-key-pr_dia .stPlotlyChart {{height: 100% !important;}}
.st-key-pr_zin p {{font-size: clamp(1.05rem, 1.2vw + 1vh, 2rem); line-height: 1.3; font-weight: 600;
                   margin: 0;}}
{beamer}
</style>
"""
_BEAMER = """
header[data-testid="stHeader"], section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"]
{display: none;}
"""


def projector_css(beamer: bool) -> None:
    st.html(_CSS.format(top="0.6rem" if beamer else "3.6rem", chrome=230 if beamer else 300,
                        beamer=_BEAMER if beamer else ""))


def step(count: int) -> int:
    """The current slide (0-based) from the URL, kept within the chosen indicators."""
    try:
        shown = int(st.query_params.get(SLIDE, "1"))
    except ValueError:
        shown = 1
    current = max(0, min(shown - 1, count - 1))
    st.query_params[SLIDE] = str(current + 1)
    return current


def move(delta: int, count: int) -> None:
    step_to = max(0, min(step(count) + delta, count - 1))
    st.query_params[SLIDE] = str(step_to + 1)
    st.session_state[NOTE] = ""


def slide(ctx: Context, indicator_id: str):
    """(figure, sentence, alt text, table rows) for the selected wijk against gemeente and Nederland, up to the
    chosen year."""
    sel = ctx.selection
    ind = data.indicator(ctx.con, ctx.version, indicator_id)
    soort = "realisatie" if ind.soort_split else ""
    rows = data.series(ctx.con, ctx.version, indicator_id, sel.gemeente, soort)
    rows = rows[rows["jaar"] <= sel.jaar]
    nl_codes = list(rows.loc[rows["niveau"] == "NL", "regio_code"].unique())
    codes = [sel.wijk, sel.gemeente, *nl_codes]
    shown = rows[rows["regio_code"].isin(codes)]
    known = shown[shown["waarde"].notna() | shown["onderdrukt"]]
    jaren = sorted(int(j) for j in known["jaar"].unique()) or [sel.jaar]
    wijk_breaks = data.breaks(ctx.con, ctx.version, sel.gemeente)
    reeks = lines.build(shown, codes, wijk_breaks, highlight=sel.wijk)
    path = data.target_path(ctx.con, ctx.version, indicator_id, sel.gemeente, tuple(jaren))
    labels = layout.labels(ctx, layout.indicator_title(ind, soort), ind.eenheid, layout.span(jaren),
                           f"{sel.wijk_naam}, {sel.gemeente_naam} en Nederland", shown["bron"])
    fig = lines.figure(reeks, ind.eenheid, jaren, labels, big=True, target=path,
                       markers=lines.markers(reeks, wijk_breaks, jaren))
    year = shown[shown["jaar"] == sel.jaar]

    def row(code):
        found = year[year["regio_code"] == code]
        return None if found.empty else {k: (None if k == "waarde" and pd.isna(v) else v)
                                         for k, v in found.iloc[0].to_dict().items()}

    text = sentences.sentence(indicator_id, ind.naam, ind.eenheid, sel.jaar, sel.wijk_naam, row(sel.wijk),
                              row(sel.gemeente), row(nl_codes[0]) if nl_codes else None)
    return fig, text + target_sentence(ctx, ind, soort), lines.alt_text(reeks, ind, jaren, path), shown


def target_sentence(ctx: Context, ind, soort: str) -> str:
    """' Streefwaarde van de gemeente voor 2027: 10,0% (op koers).' by the one rule of `indicators.targets`."""
    sel = ctx.selection
    found = data.target_verdict(ctx.con, ctx.version, ind.id, sel.gemeente, sel.jaar, soort)
    if found is None:
        return ""
    value = data.gemeente_value(ctx.con, ctx.version, ind.id, sel.gemeente, sel.jaar, soort)
    now = None if value is None or value["onderdrukt"] or pd.isna(value["waarde"]) else float(value["waarde"])
    goal = targets.target_text(now, found.streefwaarde, ind.eenheid)
    return f" Streefwaarde van de gemeente voor {found.streefjaar}: {goal} ({found.label})."


def slide_notes(ctx: Context, indicator_id: str) -> pd.DataFrame:
    """The notes of this slide: this wijk, this year, this indicator."""
    notes = duiding.for_wijk(ctx.con, ctx.selection.wijk)
    return notes[(notes["indicator_id"] == indicator_id) & (notes["jaar"] == ctx.selection.jaar)]


def save_note(ctx: Context, indicator_id: str) -> None:
    """Store the note typed in the room (callback of the save button) and empty the field.

    The role is checked here, where the note is written, not only by hiding the form.
    """
    text = (st.session_state.get(NOTE) or "").strip()
    if text:
        sel = ctx.selection
        try:
            gebruiker = auth.require(roles.DUIDEN)
        except roles.NotAllowed as exc:
            st.session_state[REFUSED] = str(exc)
            return
        try:
            with ctx.con.writing("notitie opslaan") as writer:
                duiding.save(writer, sel.wijk, indicator_id, sel.jaar, dt.date.today(), text, gebruiker.vastlegging)
        except store.StoreError as exc:  # the database stayed busy too long: say so, keep the typed note
            st.session_state[REFUSED] = str(exc)
            return
        st.session_state["pr_opgeslagen"] = True
    st.session_state[NOTE] = ""


def delete_note(ctx: Context, note_id: int) -> None:
    """Remove a note (callback of the delete button); only a beheerder may."""
    try:
        auth.require(roles.DUIDING_BEHEREN)
    except roles.NotAllowed as exc:
        st.session_state[REFUSED] = str(exc)
        return
    try:
        with ctx.con.writing("notitie verwijderen") as writer:
            duiding.delete(writer, note_id)
    except store.StoreError as exc:
        st.session_state[REFUSED] = str(exc)


def author(note) -> str:
    """'Door NAAM, 15-3-2024 14:05' under a note; older notes have no author."""
    return f"Door {who(note.auteur)}, {nl.datetime(pd.Timestamp(note.created_at).to_pydatetime())}"


def notes_table(notes: pd.DataFrame, names: dict) -> pd.DataFrame:
    return pd.DataFrame({
        "Datum": [nl.date(d) for d in notes["datum"]],
        "Indicator": notes["indicator_id"].map(lambda i: names.get(i, i)),
        "Jaar": notes["jaar"].astype(str),
        "Duiding": notes["tekst"],
        "Door": notes["auteur"].map(who),
        "Opgeslagen": [nl.datetime(pd.Timestamp(t).to_pydatetime()) for t in notes["created_at"]],
    })


def note_label(notes: pd.DataFrame, note_id: int, names: dict) -> str:
    """A note as a delete choice: date, indicator, author and the start of its text."""
    note = notes[notes["id"] == note_id].iloc[0]
    tekst = note["tekst"] if len(note["tekst"]) <= 50 else note["tekst"][:49] + "…"
    return (f"{nl.date(note['datum'])}, {names.get(note['indicator_id'], note['indicator_id'])}, "
            f"{who(note['auteur'])}: {tekst}")


def who(auteur) -> str:
    """The author as recorded; notes from before login was recorded have none."""
    return auteur if isinstance(auteur, str) and auteur else "onbekend"
