"""Default mapping of Iv3 taakvelden to youth budget categories.

Only the youth-related taakvelden are mapped; 6.71 and 6.81 (18+) are left out on purpose, so that a budget file
that lists them gets them reported as unmapped instead of silently counted as youth spending. The user replaces
this mapping by loading a `budget` file with both `taakveld` and `categorie`, or with `python -m loaders mapping`.
"""

from __future__ import annotations

# (taakveld, jaar_van, jaar_tot, categorie, omschrijving)
DEFAULT_MAPPING: list[tuple[str, int, int, str, str]] = [
    # up to 2022
    ("6.1", 1900, 2024, "collectief", "Samenkracht en burgerparticipatie"),
    ("6.2", 1900, 2024, "toegang", "Wijkteams"),
    ("6.72", 1900, 2024, "individueel_ambulant", "Maatwerkdienstverlening 18-"),
    ("6.82", 1900, 2024, "individueel_verblijf", "Geëscaleerde zorg 18-"),
    ("7.1", 1900, 2999, "preventief", "Volksgezondheid (jeugdgezondheidszorg)"),
    # from 2025
    ("6.1", 2025, 2999, "collectief", "Samenkracht en burgerparticipatie"),
    ("6.22", 2025, 2999, "toegang", "Toegang jeugd"),
    ("6.751", 2025, 2999, "individueel_ambulant", "Jeugdhulp ambulant"),
    ("6.752", 2025, 2999, "individueel_ambulant", "Jeugdhulp ambulant"),
    ("6.753", 2025, 2999, "individueel_ambulant", "Jeugdhulp ambulant"),
    ("6.761", 2025, 2999, "individueel_verblijf", "Jeugdhulp met verblijf"),
    ("6.762", 2025, 2999, "individueel_verblijf", "Jeugdhulp met verblijf"),
    ("6.763", 2025, 2999, "individueel_verblijf", "Jeugdhulp met verblijf"),
    ("6.821", 2025, 2999, "jeugdbescherming", "Jeugdbescherming"),
    ("6.822", 2025, 2999, "jeugdreclassering", "Jeugdreclassering"),
]

SOURCE = "Standaardindeling Jeugdmonitor (Iv3, aanpasbaar)"


def install_default_mapping(cur) -> None:
    cur.execute("DELETE FROM taakveld_mapping")
    cur.executemany(
        "INSERT INTO taakveld_mapping VALUES (?, ?, ?, ?, ?, ?, NULL)",
        [(t, van, tot, cat, oms, SOURCE) for t, van, tot, cat, oms in DEFAULT_MAPPING],
    )
