"""The presentation for duidingssessies: which slide is shown, the slide's chart and sentence, and the notes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from common import nl, roles
import store
from store import duiding
from ui import auth, data, lines, sentences
from ui.state import Context

STEP = "pr_stap"
NOTE = "pr_duiding"
REFUSED = "pr_geweigerd"


def step(count: int) -> int:
    """The current slide, kept within the chosen indicators."""
    st.session_state[STEP] = max(0, min(st.session_state.get(STEP, 0), count - 1))
    return st.session_state[STEP]


def move(delta: int, count: int) -> None:
    st.session_state[STEP] = max(0, min(st.session_state.get(STEP, 0) + delta, count - 1))
    st.session_state[NOTE] = ""


def slide(ctx: Context, indicator_id: str):
    """(figure, sentence, alt text, table rows) for the selected wijk against gemeente and Nederland."""
    sel = ctx.selection
    ind = data.indicator(ctx.con, ctx.version, indicator_id)
    soort = "realisatie" if ind.soort_split else ""
    rows = data.series(ctx.con, ctx.version, indicator_id, sel.gemeente, soort)
    nl_codes = list(rows.loc[rows["niveau"] == "NL", "regio_code"].unique())
    codes = [sel.wijk, sel.gemeente, *nl_codes]
    shown = rows[rows["regio_code"].isin(codes)]
    known = shown[shown["waarde"].notna() | shown["onderdrukt"]]
    jaren = sorted(int(j) for j in known["jaar"].unique()) or sorted(int(j) for j in rows["jaar"].unique())
    reeks = lines.build(shown, codes, data.breaks(ctx.con, ctx.version, sel.gemeente), highlight=sel.wijk)
    title = f"{ind.naam}{f' ({soort})' if soort else ''}" + (f" — {ind.leeftijd}" if ind.leeftijd else "")
    fig = lines.figure(reeks, ind.eenheid, jaren, demo=ctx.demo, big=True, height=560, title=title,
                       markers=lines.markers(reeks, data.breaks(ctx.con, ctx.version, sel.gemeente), jaren))
    year = shown[shown["jaar"] == sel.jaar]

    def row(code):
        found = year[year["regio_code"] == code]
        return None if found.empty else {k: (None if k == "waarde" and pd.isna(v) else v)
                                         for k, v in found.iloc[0].to_dict().items()}

    text = sentences.sentence(indicator_id, ind.naam, ind.eenheid, sel.jaar, sel.wijk_naam, row(sel.wijk),
                              row(sel.gemeente), row(nl_codes[0]) if nl_codes else None)
    return fig, text, lines.alt_text(reeks, ind, jaren, None), shown


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
