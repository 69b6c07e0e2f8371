"""What the wijk map says about its boundaries: which year's map it draws, or why there is none."""

from __future__ import annotations

from ui import data


def for_year(con, version: str, gemeente: str, jaar: int) -> tuple[dict | None, str]:
    """The gemeente's wijk map for `jaar` (None when there is none) and the sentence that says which year's it is,
    or why there is no map."""
    years = data.map_years(con, version, gemeente)
    map_jaar = map_year(years, jaar)
    if map_jaar is None:
        return None, no_map_text(jaar, years)
    said = map_years_text(jaar, map_jaar, data.breaks(con, version, gemeente))
    return data.geometry(con, version, gemeente, map_jaar), said


def map_year(years: list[int], jaar: int) -> int | None:
    """The boundaries of the chosen year, else of the nearest earlier year; None when only later maps exist."""
    earlier = [y for y in years if y <= jaar]
    return max(earlier) if earlier else None


def map_years_text(jaar: int, map_jaar: int, breaks: list[int]) -> str:
    """Which year's boundaries the map draws; a change of the wijk indeling since then is said, not hidden."""
    if map_jaar == jaar:
        return f"Kaart: wijkgrenzen van {jaar}."
    text = f"Kaart: wijkgrenzen van {map_jaar}; van {jaar} zijn geen wijkgrenzen geladen."
    changed = [str(b) for b in breaks if map_jaar < b <= jaar]
    if changed:
        text += (f" De wijkindeling is sindsdien veranderd (in {', '.join(changed)}): de kaart past niet precies bij "
                 f"de cijfers van {jaar}. Laad de wijkgrenzen van {jaar}.")
    return text


def no_map_text(jaar: int, years: list[int]) -> str:
    if not years:
        return "Er zijn geen wijkgrenzen geladen; laad een GeoJSON-bestand op de pagina Gegevens voor een kaart."
    later = ", ".join(str(y) for y in years)
    return (f"Er zijn geen wijkgrenzen van {jaar} of eerder geladen (wel van {later}); een latere indeling zou de "
            f"wijken van {jaar} verkeerd tekenen. Laad de wijkgrenzen van {jaar} voor een kaart.")
