"""Uploading a file on the Gegevens page: save it under its own name, validate it once, load it on request.

The loaders read the file from disk and report by file name, so the upload is written to a temporary folder of
this session with the original name kept.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from common import nl, roles
from loaders import LoadOptions, LoadReport, check_file, load_file, registry
from ui import auth

AUTO = "(automatisch herkennen)"
KIND_LABELS = registry.labels()
FILE_TYPES = ["csv", "txt", "tsv", "xlsx", "json", "geojson"]


def hide_english_instructions() -> None:
    """The upload box's own texts are English and cannot be translated: its line ('Drag and drop file here, 200MB
    per file') is hidden (the label says it in Dutch) and its button is relabelled: its own text ('Upload', in a
    markdown block of its own size) hidden, 'Bestand kiezen' in its place, beside the upload icon."""
    st.html("""<style>
    [data-testid='stFileUploaderDropzoneInstructions'] {display: none;}
    [data-testid='stFileUploaderDropzone'] button {font-size: 0;}
    [data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] {display: none;}
    [data-testid='stFileUploaderDropzone'] button::after {content: 'Bestand kiezen'; font-size: 0.875rem;
                                                          margin-left: 0.5rem;}
    </style>""")


def max_upload_mb() -> int:
    """The server's upload limit (`server.maxUploadSize` in .streamlit/config.toml), for the uploader's label."""
    return int(st.get_option("server.maxUploadSize"))


def _folder() -> Path:
    if "_upload_dir" not in st.session_state:
        st.session_state["_upload_dir"] = tempfile.mkdtemp(prefix="jeugdmonitor_upload_")
    return Path(st.session_state["_upload_dir"])


def save(upload) -> Path:
    """Write the uploaded file to this session's folder under its original (base) name."""
    path = _folder() / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    return path


def options(kind: str, jaar, table: str, sheet: str, meta: Path | None) -> LoadOptions:
    return LoadOptions(kind=None if kind == AUTO else kind, jaar=int(jaar) if jaar else None,
                       table=table.strip() or None, sheet=sheet.strip() or None, meta=str(meta) if meta else None)


def check(con, path: Path, opts: LoadOptions, file_id: str) -> LoadReport:
    """Validate without writing; remembered per upload and options, so a rerun does not validate again."""
    key = f"_check|{file_id}|{opts.model_dump_json()}"
    if key not in st.session_state:
        st.session_state[key] = check_file(con.cursor(), path, opts, display_name=path.name)
    return st.session_state[key]


def check_summary(report: LoadReport) -> str:
    """The check's verdict in the web page's words (the loaders' summary says what a load did, not a check)."""
    if report.refused:
        return f"Controle: {report.file_name} kan niet worden geladen; er is niets gewijzigd."
    good, bad = nl.count(report.rows_accepted, "rij", "rijen"), nl.count(report.rows_rejected, "rij", "rijen")
    if not report.rows_accepted:
        return (f"Controle: {report.file_name} (soort {report.kind}) heeft geen goede rijen: {bad} afgewezen. "
                "Verbeter het bestand en upload het opnieuw.")
    return (f"Controle: {report.file_name} (soort {report.kind}): {good} goed, {bad} afgewezen. Nog niet in de "
            "database: klik op 'Laden in de database'.")


# Loader messages name the command line's options; on the web page the same choice is a field of the form.
_OPTIONS = (
    (re.compile(r"met --kind\b"), "bij 'Soort bestand'"),
    (re.compile(r"met --jaar JJJJ"), "bij 'Jaar' (onder 'Meer opties')"),
    (re.compile(r"met --table \(bijvoorbeeld --table (\w+)\)"), r"bij 'CBS-tabel' (bijvoorbeeld \1)"),
    (re.compile(r"--table\b"), "'CBS-tabel'"),
    (re.compile(r"--sheet\b"), "'Werkblad (Excel)'"),
    (re.compile(r"--meta\b"), "'Metadata'"),
    (re.compile(r"--kind\b"), "'Soort bestand'"),
    (re.compile(r"--jaar\b"), "'Jaar'"),
)


def web_text(line: str) -> str:
    """A loader message with the command line's options named as the upload form's fields."""
    for pattern, field in _OPTIONS:
        line = pattern.sub(field, line)
    return line


def check_lines(report: LoadReport) -> list[str]:
    """What the check found beyond its verdict: warnings and one line per problem (no 'loaded' summary)."""
    lines = report.lines()[1:] if not report.refused else report.lines()
    return [web_text(line) for line in lines]


def load(con, path: Path, opts: LoadOptions) -> LoadReport:
    """Load in one transaction, holding the database alone meanwhile (other runs wait, or show cached figures).

    Only a beheerder may load (checked here, not only by hiding the uploader); the load log records who did.
    """
    gebruiker = auth.require(roles.LADEN)
    with con.writing(f"laden van {path.name}") as writer:
        return load_file(writer, path, opts, display_name=path.name, loaded_by=gebruiker.vastlegging)


def problems_table(report: LoadReport) -> pd.DataFrame:
    return pd.DataFrame({
        "Rij": [nl.number(p.row) if p.row is not None else "" for p in report.problems],
        "Kolom": [p.column or "" for p in report.problems],
        "Melding": [p.message for p in report.problems],
    })


def last_load(log: pd.DataFrame) -> str:
    """'Laatst geladen: FILE, door USER op DATE TIME.' for the newest row of the load log."""
    newest = log.iloc[0]
    door = newest["geladen_door"] if isinstance(newest["geladen_door"], str) else "onbekend"
    return (f"Laatst geladen: {newest['file_name']}, door {door} op "
            f"{nl.datetime(newest['loaded_at'].to_pydatetime())}.")


def log_table(log: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Bestand": log["file_name"],
        "Soort": log["kind"],
        "Geladen": [nl.datetime(t.to_pydatetime()) for t in log["loaded_at"]],
        "Rijen geladen": log["rows_accepted"].map(nl.number),
        "Rijen afgewezen": log["rows_rejected"].map(nl.number),
        "Geladen door": log["geladen_door"].fillna("onbekend"),
        "Demo": log["is_demo"].map({True: "ja", False: "nee"}),
        "Opmerkingen": log["warnings"].fillna(""),
    })
