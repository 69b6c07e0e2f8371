"""What every page shares: the title, the demo banner, the empty-database explanation and how a chart is shown."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from common.nl import DEMO_NOTICE, MARKER_LEGEND
from ui import auth, state, style, tables
from ui.style import plotly_config

EMPTY_TEXT = """**Deze database bevat nog geen gegevens.** Zo komen er cijfers in:

- op de pagina **Gegevens**: upload een bestand (CBS-tabel, trajecten, bereik, bevolking, budget, streefwaarden,
  normen, regio's of wijkgrenzen), bekijk de controle en laad het;
- of op de opdrachtregel: `python -m loaders load BESTAND` (eigen bestanden) of `python -m loaders demo`
  (de fictieve demodata).

Database: `{path}`"""

NO_GEMEENTE_TEXT = """**Er zijn nog geen cijfers per gemeente.** Er is wel iets geladen (zie de pagina
**Gegevens**), maar nog geen bestand met cijfers voor een gemeente of haar wijken: laad bijvoorbeeld een CBS-tabel,
trajecten of budgetregels. Database: `{path}`"""


def page_start(title: str, *, needs_data: bool = True, caption: str | None = None,
               heading: bool = True) -> state.Context:
    """Title, demo banner and, without data, the explanation of how to load it (then the page stops).

    Without `heading` (the presentation draws its own), only the demo banner is shown here.
    """
    auth.gate()
    ctx = state.current()
    if heading:
        st.title(title)
    if caption:
        st.caption(caption)
    if ctx.demo and heading:
        st.warning(DEMO_NOTICE, icon=":material/info:")
    if not ctx.has_data or ctx.selection is None:
        from store import db_path
        from ui import db

        text = EMPTY_TEXT if not ctx.has_data else NO_GEMEENTE_TEXT
        st.info(text.format(path=db.source() or db_path()), icon=":material/upload_file:")
        if needs_data:
            st.stop()
    return ctx


def chart(fig: go.Figure, *, key: str, alt: str, table: pd.DataFrame | None = None, filename: str = "grafiek",
          suppressed: bool = False, sentence: str | None = None) -> None:
    """A chart with its alt text (read aloud and shown), the suppression legend and the table behind it.

    `sentence` (presentation) is shown large, right under the chart.
    """
    st.plotly_chart(fig, key=key, theme=None, config=plotly_config(filename), alt=alt)
    if sentence:
        st.markdown(f"### {escape(sentence)}")
    st.caption(alt)
    if suppressed:
        st.caption(escape(MARKER_LEGEND))
    if table is not None:
        with st.expander("Tabel bij deze grafiek", key=f"{key}_tabel"):
            tables.show(table, key=f"{key}_tabeldata", alt=f"Tabel: {alt}")


def labels(ctx: state.Context, title: str, eenheid: str | None, period, where: str, source) -> style.Labels:
    """The chart's own title block and source line (`source`: a text, or the `bron` values of the rows drawn)."""
    text = source if isinstance(source, str) else style.sources(source)
    return style.Labels(title, style.subtitle(eenheid, str(period), where), text, ctx.demo)


def indicator_title(ind, soort: str = "") -> str:
    """'Jongeren met jeugdhulp (0-22 jaar)', with the soort of a budget indicator."""
    extra = ", ".join(part for part in (ind.leeftijd, soort) if part)
    return f"{ind.naam} ({extra})" if extra else ind.naam


def span(jaren) -> str:
    jaren = sorted(int(j) for j in jaren)
    return str(jaren[0]) if jaren[0] == jaren[-1] else f"{jaren[0]}–{jaren[-1]}"


def slide_chart(fig: go.Figure, *, key: str, alt: str, filename: str) -> None:
    """A chart that fills the height of its container (the slide), its alt text read aloud only."""
    fig.update_layout(height=None, autosize=True)
    st.plotly_chart(fig, key=key, theme=None, config=plotly_config(filename), alt=alt, height="stretch")


def escape(text: str) -> str:
    """Markdown-safe text: the marker `*` must not start a list or emphasis."""
    return text.replace("*", "\\*")


def no_data(what: str) -> None:
    st.info(f"Geen gegevens voor {what}.", icon=":material/block:")
