"""Build the region reference in this folder from CBS "Gebieden in Nederland" and the CBS wijk map attributes.

    python -m store.reference.build [--bron ../shared/cbs/real]

Reads `cbs_*_gebieden_in_nederland_<jaar>.csv` (one per year; the `cbsodata` shape, column numbers shift per year,
so each column is found by the CBS code prefix of its values: `GM`, `JZ`, `PV`, `LD`, `CR`, and by the text of the
size and urbanisation classes) and `cbs_wijk_*_attributes_nl.dbf` (dBASE III, UTF-8 text without a code page).
Writes `gemeenten.csv` (one row per gemeente and year), `regios.csv` (code, niveau, name and the years in which
CBS used that name) and `wijken.csv`. Run it again when a new year is added; the app reads only the CSVs.
"""

from __future__ import annotations

import argparse
import re
import struct
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent.parent / "shared" / "cbs" / "real"
LEVELS = ("JZ", "PV", "LD", "CR")
GEMEENTE_COLUMNS = ["jaar", "gemeente_code", "jz_code", "pv_code", "ld_code", "cr_code", "grootte_code",
                    "stedelijkheid_code", "inwoners"]


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda s: s.str.strip())


def _code_column(frame: pd.DataFrame, prefix: str) -> str:
    """The `Code_N` column whose values all carry this CBS code prefix (`CR` not `CS`/`CP`)."""
    for column in frame.columns:
        values = frame[column].dropna()
        if column.startswith("Code_") and len(values) and values.str.fullmatch(rf"{prefix}\d+").all():
            return column
    raise ValueError(f"geen kolom met {prefix}-codes")


def _next(frame: pd.DataFrame, column: str) -> str:
    """The column after `column` (the name or description that goes with a code)."""
    return frame.columns[list(frame.columns).index(column) + 1]


def _class_columns(frame: pd.DataFrame, word: str) -> tuple[str, str]:
    """(code, description) of the class whose descriptions contain `word` ('inwoners', 'stedelijk')."""
    for column in frame.columns:
        if column.startswith("Omschrijving_") and frame[column].str.contains(word).all():
            return frame.columns[list(frame.columns).index(column) - 1], column
    raise ValueError(f"geen kolom met '{word}'")


def read_gebieden(path: Path, jaar: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(gemeenten of that year, names of every code in it) from one Gebieden in Nederland file."""
    frame = _text(pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig"))
    gm = _code_column(frame, "GM")
    codes = {level: _code_column(frame, level) for level in LEVELS}
    size, size_name = _class_columns(frame, "inwoners")
    urban, urban_name = _class_columns(frame, "stedelijk")
    inwoners = next(c for c in frame.columns if c.startswith("Inwonertal_"))
    gemeenten = pd.DataFrame({
        "jaar": jaar, "gemeente_code": frame[gm],
        **{f"{level.lower()}_code": frame[codes[level]] for level in LEVELS},
        "grootte_code": frame[size].astype(int), "stedelijkheid_code": frame[urban].astype(int),
        "inwoners": frame[inwoners].astype(int),
    })
    names = [pd.DataFrame({"code": frame[gm], "niveau": "GM", "naam": frame[_next(frame, gm)]})]
    names += [pd.DataFrame({"code": frame[codes[lv]], "niveau": lv, "naam": frame[_next(frame, codes[lv])]})
              for lv in LEVELS]
    names += [pd.DataFrame({"code": "GR" + frame[size], "niveau": "GR", "naam": frame[size_name]}),
              pd.DataFrame({"code": "ST" + frame[urban], "niveau": "ST", "naam": frame[urban_name]})]
    out = pd.concat(names).drop_duplicates()
    out["jaar"] = jaar
    return gemeenten, out


def read_dbf(path: Path, encoding: str = "utf-8") -> pd.DataFrame:
    """A dBASE III table (text fields as text; the CBS file declares no code page but holds UTF-8)."""
    raw = path.read_bytes()
    count, header, length = struct.unpack("<IHH", raw[4:12])
    fields, pos = [], 32
    while raw[pos] != 0x0D:
        name = raw[pos:pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, raw[pos + 16]))
        pos += 32
    rows = []
    for i in range(count):
        record = raw[header + i * length: header + (i + 1) * length]
        if record[:1] == b"*":
            continue
        offset, row = 1, {}
        for name, size in fields:
            row[name] = record[offset:offset + size].decode(encoding).strip()
            offset += size
        rows.append(row)
    return pd.DataFrame(rows, columns=[name for name, _ in fields])


def _name_spans(names: pd.DataFrame) -> pd.DataFrame:
    """One row per code and name with the first and last year CBS used that name."""
    spans = names.groupby(["code", "niveau", "naam"], as_index=False)["jaar"].agg(["min", "max"])
    return spans.rename(columns={"min": "jaar_van", "max": "jaar_tot"}).sort_values(["niveau", "code", "jaar_van"])


def build(source: Path, target: Path = HERE) -> dict[str, int]:
    files = sorted(source.glob("cbs_*_gebieden_in_nederland_*.csv"))
    if not files:
        raise SystemExit(f"Geen 'Gebieden in Nederland'-bestanden in {source}")
    parts = [read_gebieden(f, int(re.search(r"_(\d{4})\.csv$", f.name).group(1))) for f in files]
    gemeenten = pd.concat([p[0] for p in parts]).sort_values(["jaar", "gemeente_code"])
    names = pd.concat([p[1] for p in parts])
    years = sorted(gemeenten["jaar"].unique())
    nl = pd.DataFrame({"code": "NL01", "niveau": "NL", "naam": "Nederland", "jaar": years})
    regios = _name_spans(pd.concat([nl, names]))
    wijken = []
    for dbf in sorted(source.glob("cbs_wijk_*_attributes_nl.dbf")):
        table = read_dbf(dbf)
        table = table[table["GM_CODE"] != "GM0998"]  # "Buitenland", not a gemeente
        wijken.append(pd.DataFrame({"wijk_code": table["WK_CODE"], "wijk_naam": table["WK_NAAM"],
                                    "gemeente_code": table["GM_CODE"], "jaar": table["JAAR"].astype(int)}))
    wijk_frame = pd.concat(wijken).sort_values(["jaar", "wijk_code"])
    gemeenten[GEMEENTE_COLUMNS].to_csv(target / "gemeenten.csv", index=False, lineterminator="\n")
    regios.to_csv(target / "regios.csv", index=False, lineterminator="\n")
    wijk_frame.to_csv(target / "wijken.csv", index=False, lineterminator="\n")
    return {"gemeenten": len(gemeenten), "regios": len(regios), "wijken": len(wijk_frame)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Bouw de regioreferentie uit CBS Gebieden in Nederland.")
    parser.add_argument("--bron", type=Path, default=DEFAULT_SOURCE, help="map met de CBS-bestanden")
    args = parser.parse_args(argv)
    counts = build(args.bron)
    print(", ".join(f"{k}: {v} rijen" for k, v in counts.items()))


if __name__ == "__main__":
    main()
