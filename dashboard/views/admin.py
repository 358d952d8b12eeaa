"""Admin sign-in: only who gives the admin secret may ingest, rename or delete.

The secret comes from .streamlit/secrets.toml (`admin_secret = "..."`) or the environment
($NEWSDESK_ADMIN_SECRET). It is compared in constant time, never stored in the session,
never written to the page or the URL.
"""

from __future__ import annotations

import hmac

import streamlit as st

from dashboard import config


def admin_secret() -> str | None:
    """The admin secret from .streamlit/secrets.toml (admin_secret) or $NEWSDESK_ADMIN_SECRET."""
    try:
        secret = st.secrets.get("admin_secret")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        secret = None
    return secret or config.admin_secret()


def is_admin() -> bool:
    return bool(st.session_state.get("is_admin"))


def _sign_in() -> None:
    secret = admin_secret()
    given = st.session_state.get("admin_key", "")
    st.session_state["is_admin"] = bool(secret and given and hmac.compare_digest(given.encode(), secret.encode()))
    st.session_state["admin_failed"] = bool(given) and not st.session_state["is_admin"]
    st.session_state["admin_key"] = ""  # never keep the secret in the session or the page


def admin_box() -> None:
    with st.sidebar.expander("Admin", expanded=False):
        if is_admin():
            st.success("Signed in as admin")
            if st.button("Sign out"):
                st.session_state["is_admin"] = False
                st.rerun()
        elif admin_secret() is None:
            st.caption("No admin secret is configured: this dashboard is read-only.")
        else:
            st.text_input("Admin secret", type="password", key="admin_key", on_change=_sign_in)
            if st.session_state.get("admin_failed"):
                st.error("Wrong secret.")
