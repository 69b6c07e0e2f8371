"""What the wijk map says about its boundaries: which year's map it draws, or why there is none."""

from __future__ import annotations


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
