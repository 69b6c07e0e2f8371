"""Referrer (verwijzer) codes: the one list, and how a municipality's own labels are read.

The codes follow the referrer types of the iJw message JW315 and CBS Beleidsinformatie Jeugd. A file's label is
matched case-, space- and hyphen-insensitively against the codes, their labels and the known synonyms below (including
the iJw numeric codes); a label that matches none is kept as the municipality's own category (e.g. "Wijkteam Noord"),
which the catalogue and the pages show under its own name. See docs/formats-notes.md.
"""

from __future__ import annotations

import re

import pandas as pd

# code -> label, in the order the pages show them.
VERWIJZERS: dict[str, str] = {
    "gemeentelijke_toegang": "gemeentelijke toegang",
    "huisarts": "huisarts",
    "jeugdarts": "jeugdarts",
    "medisch_specialist": "medisch specialist",
    "gecertificeerde_instelling": "gecertificeerde instelling",
    "rechter": "rechter",
    "geen": "geen verwijzer",
    "onbekend": "onbekend",
}
CODES: tuple[str, ...] = tuple(VERWIJZERS)

# Other ways exports write the same referrer (after `key`: lower case, runs of non-letters/digits as one `_`).
SYNONYMS: dict[str, str] = {
    # iJw codelist "verwijzer" (JW315): 01 gemeente ... 05 medisch specialist, 07 onbekend, 08 rechter, RvdK, OvJ
    "01": "gemeentelijke_toegang", "1": "gemeentelijke_toegang",
    "02": "huisarts", "2": "huisarts",
    "03": "jeugdarts", "3": "jeugdarts",
    "04": "gecertificeerde_instelling", "4": "gecertificeerde_instelling",
    "05": "medisch_specialist", "5": "medisch_specialist",
    "07": "onbekend", "7": "onbekend",
    "08": "rechter", "8": "rechter",
    "gemeente": "gemeentelijke_toegang",
    "toegang": "gemeentelijke_toegang",
    "gemeentelijke_toegang_jeugd": "gemeentelijke_toegang",
    "jgz": "jeugdarts",
    "jeugdgezondheidszorg": "jeugdarts",
    "specialist": "medisch_specialist",
    "kinderarts": "medisch_specialist",
    "gi": "gecertificeerde_instelling",
    "rechter_raad_voor_de_kinderbescherming_of_officier_van_justitie": "rechter",
    "rechter_officier_van_justitie": "rechter",
    "raad_voor_de_kinderbescherming": "rechter",
    "rvdk": "rechter",
    "officier_van_justitie": "rechter",
    "ovj": "rechter",
    "geen_verwijzer": "geen",
    "zonder_verwijzer": "geen",
    "zelfverwijzer": "geen",
    "verwijzer_onbekend": "onbekend",
    "niet_bekend": "onbekend",
    "unknown": "onbekend",
}
_NAMED: dict[str, str] = {**SYNONYMS, **{c: c for c in CODES},
                          **{re.sub(r"[^a-z0-9]+", "_", label): c for c, label in VERWIJZERS.items()}}
# Also without separators, so that `Huis-arts`, `huis arts` and `GeenVerwijzer` match.
_BY_KEY: dict[str, str] = {**{k.replace("_", ""): c for k, c in _NAMED.items()}, **_NAMED}


def key(label: str) -> str:
    """Lower case, runs of other characters as one `_`: `' Huis-arts '` -> `'huis_arts'`."""
    return re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_")


def label(code: str) -> str:
    return VERWIJZERS.get(code, code.replace("_", " "))


def read(labels: pd.Series) -> pd.Series:
    """A file's labels as stored: the code where a label matches one, else the label itself with its spaces tidied."""
    def one(text: str) -> str:
        found = _BY_KEY.get(key(text)) or _BY_KEY.get(key(text).replace("_", ""))
        return found or " ".join(text.split())

    codes, uniques = pd.factorize(labels.astype(str))
    mapped = pd.Series([one(u) for u in uniques], dtype=object)
    return pd.Series(mapped.to_numpy()[codes] if len(mapped) else [], index=labels.index, dtype=object)
