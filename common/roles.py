"""Who may do what: the roles of the app and the one rule that decides an action.

Roles come from configuration (`[jeugdmonitor]` in `.streamlit/secrets.toml`): `beheerders` may load data and
manage duiding notes, `duiders` may write duiding notes, every other signed-in user reads. Without login
configured, the app is one person's tool on their own machine and that person is beheerder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

BEHEERDER = "beheerder"
DUIDER = "duider"
LEZER = "lezer"

ROLE_LABELS = {BEHEERDER: "beheerder", DUIDER: "duider", LEZER: "lezer"}

LADEN = "laden"
DUIDEN = "duiden"
DUIDING_BEHEREN = "duiding_beheren"

ALLOWED: dict[str, frozenset[str]] = {
    LADEN: frozenset({BEHEERDER}),
    DUIDEN: frozenset({BEHEERDER, DUIDER}),
    DUIDING_BEHEREN: frozenset({BEHEERDER}),
}

DENIED_TEXT = {
    LADEN: "Alleen een beheerder kan bestanden laden.",
    DUIDEN: "Alleen duiders en beheerders kunnen duidingen opslaan.",
    DUIDING_BEHEREN: "Alleen een beheerder kan duidingen verwijderen.",
}


# What an action is called where a read-only Jeugdmonitor says it cannot be done there (`store.published`).
ACTION_TEXT = {LADEN: "bestanden laden", DUIDEN: "duidingen schrijven", DUIDING_BEHEREN: "duidingen verwijderen"}


class NotAllowed(Exception):
    """The user's role does not allow the action; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class Gebruiker:
    """The person behind an action, as recorded in the load log and beside a duiding note."""

    naam: str
    rol: str
    email: str | None = None
    sub: str | None = None

    @property
    def vastlegging(self) -> str:
        """What the record keeps: the e-mail address where the provider gives one, else the name."""
        return self.email or self.naam


def _normalised(values: Iterable[object] | None) -> set[str]:
    return {str(v).strip().casefold() for v in (values or []) if str(v).strip()}


def role_for(email: str | None, sub: str | None, config: Mapping[str, object]) -> str:
    """The role of a signed-in user: listed by e-mail address or subject, case-insensitively."""
    ids = _normalised([email, sub])
    if ids & _normalised(config.get("beheerders")):  # type: ignore[arg-type]
        return BEHEERDER
    if ids & _normalised(config.get("duiders")):  # type: ignore[arg-type]
        return DUIDER
    return LEZER


def may(gebruiker: Gebruiker, action: str) -> bool:
    return gebruiker.rol in ALLOWED[action]


def require(gebruiker: Gebruiker, action: str) -> None:
    """Raise NotAllowed unless the user's role allows the action; called where the action happens."""
    if not may(gebruiker, action):
        raise NotAllowed(DENIED_TEXT[action])
