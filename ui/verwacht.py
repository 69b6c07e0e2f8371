"""Expected use per wijk on the pages: three maps and the funnel (Wijkverschillen), the line beside the actual one
(Trends), the slide (Presentatie) and the model card (Gegevens). Figures come from `indicators.models`."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from common import nl
from indicators import models
from indicators.catalog import VERWACHT_ID
from ui import figures, layout, maps, tables, verwacht_figures

__all__ = ["JEUGDHULP_IDS", "VERWACHT_ID", "WAT_HET_IS", "model_card_section", "slide", "trend_section",
           "wijk_section"]

# The indicators next to which expected use is shown.
JEUGDHULP_IDS = ("jeugdhulp_pct", "jeugdhulp_aantal", VERWACHT_ID)

WAT_HET_IS = (
    "**Wat betekent verwacht?** " + models.BETEKENIS + " Werkelijk is hier het aantal jongeren met jeugdzorg in natura "
    "(CBS) gedeeld door dezelfde noemer als het model, zodat werkelijk en verwacht op dezelfde manier zijn geteld."
)


@st.cache_data(show_spinner=False, max_entries=64)
def vergelijking(_con: duckdb.DuckDBPyConnection, version: str, gemeente: str) -> pd.DataFrame:
    return models.vergelijking(_con, gemeente=gemeente)


@st.cache_data(show_spinner=False, max_entries=16)
def kaarten(_con: duckdb.DuckDBPyConnection, version: str) -> list[models.Modelkaart]:
    return models.kaarten(_con)


def kaart(ctx, jaar: int) -> models.Modelkaart | None:
    return next((k for k in kaarten(ctx.con, ctx.version) if k.jaar == jaar), None)


def _year(ctx, jaar: int) -> pd.DataFrame:
    frame = vergelijking(ctx.con, ctx.version, ctx.selection.gemeente)
    return frame[frame["jaar"] == jaar]


def _refused(ctx, jaar: int) -> bool:
    """Show why there are no figures for the year (the model's own Dutch message); True when there are none."""
    card = kaart(ctx, jaar)
    if card is not None and not card.gefit:
        st.info(card.bericht, icon=":material/block:")
        return True
    if card is None:
        layout.no_data(f"verwacht gebruik in {jaar} (geen KWB-tabel met jeugdzorgcijfers per wijk geladen)")
        return True
    return False


SOURCE = "CBS (wijktabellen, kerncijfers wijken en buurten); verwacht gebruik: model van de Jeugdmonitor"


def wijk_section(ctx) -> None:
    """Wijkverschillen: werkelijk, verwacht and verschil side by side, then werkelijk / verwacht in a funnel."""
    sel = ctx.selection
    st.subheader(f"Werkelijk en verwacht gebruik van jeugdhulp per wijk, {sel.jaar}")
    if _refused(ctx, sel.jaar):
        return
    year = _year(ctx, sel.jaar)
    wijken = year[year["niveau"] == "WK"]
    if wijken.empty:
        layout.no_data(f"verwacht gebruik in de wijken van {sel.gemeente_naam} in {sel.jaar}")
        return
    geo, said = maps.for_year(ctx.con, ctx.version, sel.gemeente, sel.jaar)
    if geo:
        columns = st.columns(3)
        for column, (what, title) in zip(columns, verwacht_figures.MAPS):
            with column:
                st.markdown(f"**{title}**")
                labels = layout.labels(ctx, f"Jeugdhulp {title.lower()}", "procentpunt" if what == "verschil"
                                       else "%", sel.jaar, f"wijken van {sel.gemeente_naam}", SOURCE)
                fig = verwacht_figures.map_of(geo, wijken, what, labels, highlight=sel.wijk)
                layout.chart(fig, key=f"wv_verwacht_{what}", alt=verwacht_figures.map_alt(wijken, what, sel.jaar),
                             filename=f"kaart_{what}_{sel.jaar}")
        st.caption(said)
    else:
        st.info(said)
    card = kaart(ctx, sel.jaar)
    labels = layout.labels(ctx, "Werkelijk gedeeld door verwacht gebruik: trechterdiagram", "verhouding", sel.jaar,
                           f"wijken van {sel.gemeente_naam}", SOURCE)
    fig = verwacht_figures.funnel(wijken, models.trechter(card.kaart["alpha"], float(wijken["verwacht_aantal"].max())),
                                  labels, highlight=sel.wijk)
    layout.chart(fig, key="wv_verwacht_trechter", alt=verwacht_figures.funnel_alt(wijken, sel.jaar),
                 table=table(wijken), filename=f"trechter_verwacht_{sel.jaar}")
    st.caption("De stippellijnen geven de 95%-grenzen bij de gewone spreiding tussen wijken; elke wijk wordt "
               "beoordeeld met zijn eigen grenzen (zie de tabel), die ook de onzekerheid van het model meetellen.")
    st.markdown(WAT_HET_IS)


def table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Wijk": rows["regio_naam"],
        "Werkelijk": [nl.pct(v) if pd.notna(v) else "onbekend" for v in rows["werkelijk"]],
        "Verwacht": [nl.pct(v) for v in rows["verwacht"]],
        "95%-grenzen": [f"{nl.pct(a)} – {nl.pct(b)}" for a, b in zip(rows["ondergrens"], rows["bovengrens"])],
        "Verschil": [nl.signed(v, 1, " procentpunt") if pd.notna(v) else "" for v in rows["verschil"]],
        "Oordeel": [o or "onbekend" for o in rows["oordeel"]],
    })


def trend_section(ctx, codes: list[str]) -> None:
    """Trends: for each chosen wijk (else the gemeente) the expected line and its interval beside the actual one."""
    sel = ctx.selection
    frame = vergelijking(ctx.con, ctx.version, sel.gemeente)
    codes = [c for c in codes if c in set(frame["regio_code"])] or [sel.gemeente]
    st.subheader("Werkelijk en verwacht gebruik van jeugdhulp")
    for code in codes[:3]:
        rows = frame[frame["regio_code"] == code]
        if rows.empty:
            layout.no_data(f"verwacht gebruik in {sel.wijk_namen.get(code, sel.gemeente_naam)}")
            continue
        naam = rows["regio_naam"].iloc[0]
        labels = layout.labels(ctx, "Werkelijk en verwacht gebruik van jeugdhulp (0-22 jaar)", "%",
                               layout.span(rows["jaar"]), naam, SOURCE)
        fig = verwacht_figures.trend(rows, naam, labels)
        layout.chart(fig, key=f"tr_verwacht_{code}", alt=verwacht_figures.trend_alt(rows, naam),
                     table=table(rows.assign(regio_naam=rows["jaar"].astype(str))), filename=f"verwacht_{code}")
    st.markdown(WAT_HET_IS)


def slide(ctx):
    """Presentatie: (figure, sentence, alt text, table rows) for the chosen wijk."""
    sel = ctx.selection
    frame = vergelijking(ctx.con, ctx.version, sel.gemeente)
    rows = frame[(frame["regio_code"] == sel.wijk) & (frame["jaar"] <= sel.jaar)]  # the chosen year governs
    labels = layout.labels(ctx, "Werkelijk en verwacht gebruik van jeugdhulp (0-22 jaar)", "%",
                           layout.span(rows["jaar"]) if not rows.empty else sel.jaar, sel.wijk_naam, SOURCE)
    fig = verwacht_figures.trend(rows, sel.wijk_naam, labels, big=True)
    now = rows[rows["jaar"] == sel.jaar]
    text = zin(sel.wijk_naam, sel.jaar, now.iloc[0].to_dict() if not now.empty else None, kaart(ctx, sel.jaar))
    return fig, text, verwacht_figures.trend_alt(rows, sel.wijk_naam), table(rows.assign(
        regio_naam=rows["jaar"].astype(str)))


def zin(wijk: str, jaar: int, row: dict | None, card: models.Modelkaart | None) -> str:
    """One plain Dutch sentence for the room."""
    if row is None:
        reden = card.bericht if card is not None and not card.gefit else "er is geen verwachting voor dit jaar."
        return f"{wijk}, {jaar}: {reden}"
    verwacht = nl.pct(row["verwacht"])
    if row.get("oordeel") is None:
        return (f"Gezien wie er in {wijk} wonen, zou je in {jaar} verwachten dat {verwacht} van de jongeren "
                "jeugdhulp heeft; het werkelijke aantal is geheim of nog niet bekend.")
    begin = (f"In {wijk} had in {jaar} {nl.pct(row['werkelijk'])} van de jongeren jeugdhulp, terwijl je gezien wie er "
             f"wonen {verwacht} zou verwachten")
    if row["oordeel"] == models.ZOALS:
        return begin + ": dat verschil kan toeval zijn."
    return begin + f": dat is {row['oordeel']}, en meer dan toeval."


def model_card_section(ctx) -> None:
    """Gegevens: the model card of every year."""
    st.subheader("Modelkaart: verwacht gebruik van jeugdhulp")
    cards = kaarten(ctx.con, ctx.version)
    if not cards:
        st.caption("Nog geen model: laad een KWB-tabel (Kerncijfers wijken en buurten) met jeugdzorgcijfers per wijk.")
        return
    years = [c.jaar for c in cards]
    default = ctx.selection.jaar if ctx.selection is not None and ctx.selection.jaar in years else years[0]
    jaar = st.selectbox("Jaar van het model", years, index=years.index(default), key="gg_model_jaar")
    card = next(c for c in cards if c.jaar == jaar)
    tables.show(pd.DataFrame(card.regels(), columns=["Onderdeel", "Toelichting"]), key="gg_modelkaart", right=())
    st.caption(models.BETEKENIS)
