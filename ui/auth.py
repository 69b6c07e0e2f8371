"""Login through Streamlit's own OpenID Connect support, and the signed-in user's role.

When `[auth]` is configured in `.streamlit/secrets.toml`, an anonymous visitor sees only the sign-in screen; roles
come from `[jeugdmonitor]` in the same file (see `common.roles`). Without `[auth]` the app is one person's tool on
their own machine: that person may do everything, and the Gegevens page warns when others can reach the app.
"""

from __future__ import annotations

import getpass

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from common import roles

LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets[name]) if name in st.secrets else {}
    except StreamlitSecretNotFoundError:
        return {}


def setting(name: str):
    """One setting under `[jeugdmonitor]` in the secrets (None when absent)."""
    return _secrets_section("jeugdmonitor").get(name)


def configured() -> bool:
    """True when `[auth]` is in the secrets: login is then required for everything."""
    return bool(_secrets_section("auth"))


def local_user() -> roles.Gebruiker:
    """The person running the app (or the command line) on their own machine, without login."""
    return roles.Gebruiker(naam=f"{getpass.getuser()} (zonder login)", rol=roles.BEHEERDER)


def current() -> roles.Gebruiker | None:
    """The signed-in user with their role; the local user without login; None for an anonymous visitor."""
    if not configured():
        return local_user()
    if not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    sub = st.user.get("sub")
    naam = st.user.get("name") or email or sub or "onbekend"
    return roles.Gebruiker(naam=str(naam), rol=roles.role_for(email, sub, _secrets_section("jeugdmonitor")),
                           email=str(email) if email else None, sub=str(sub) if sub else None)


def signed_in() -> bool:
    return current() is not None


def require(action: str) -> roles.Gebruiker:
    """The current user when their role allows `action`; raises `roles.NotAllowed` otherwise (also when anonymous,
    and for everyone when the app serves a read-only source)."""
    from ui import db

    if db.read_only():
        raise roles.NotAllowed(db.read_only_notice(roles.ACTION_TEXT[action]))
    gebruiker = current()
    if gebruiker is None:
        raise roles.NotAllowed("U bent niet ingelogd.")
    roles.require(gebruiker, action)
    return gebruiker


def may(action: str) -> bool:
    from ui import db

    gebruiker = current()
    return gebruiker is not None and roles.may(gebruiker, action) and not db.read_only()


def sign_in_screen() -> None:
    """All an anonymous visitor sees: what the app is and the button to sign in. No figures, no names of wijken."""
    st.title("Jeugdmonitor")
    st.markdown("De Jeugdmonitor toont cijfers over jeugdhulp per wijk. Log in met uw account van de gemeente om "
                "verder te gaan.")
    st.button("Inloggen", key="inloggen", type="primary", icon=":material/login:", on_click=st.login)


def _sign_in_pages() -> list:
    """The sign-in screen under every page's address, so a shared link shows it instead of 'page not found'."""
    from ui.navigation import PAGES, url_path

    return [st.Page(sign_in_screen, title="Inloggen", icon=":material/login:", url_path=url_path(script),
                    default=number == 0)
            for number, (_, script, _, _) in enumerate(PAGES)]


def gate() -> None:
    """For an anonymous visitor: the sign-in screen as the only page, then stop the run.

    Called by the entrypoint and again by every page, since a page can run without the entrypoint (Streamlit's old
    `pages/` folder mode, see `ui.navigation`).
    """
    if not signed_in():
        st.navigation(_sign_in_pages(), position="hidden").run()
        st.stop()


def sidebar() -> None:
    """Who is signed in, in which role, and the way out."""
    gebruiker = current()
    if gebruiker is None or not configured():
        return
    st.sidebar.caption(f"Ingelogd als **{gebruiker.naam}** ({roles.ROLE_LABELS[gebruiker.rol]})")
    st.sidebar.button("Uitloggen", key="uitloggen", icon=":material/logout:", on_click=st.logout)


def reachable_from_others() -> bool:
    """True when the server listens on more than this machine's own loopback address."""
    address = st.get_option("server.address")
    return not address or str(address) not in LOCAL_ADDRESSES


OPEN_WARNING = (
    "Er is geen login ingesteld, en de Jeugdmonitor is bereikbaar vanaf andere computers: iedereen die deze pagina "
    "bereikt, kan bestanden in de database laden en duidingen schrijven. Zet login aan met een `[auth]`-blok in "
    "`.streamlit/secrets.toml` (zie de README, onder 'Inloggen'), of laat de app alleen op deze computer "
    "luisteren met `address = \"127.0.0.1\"` onder `[server]` in `.streamlit/config.toml`."
)
