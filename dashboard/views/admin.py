"""Admin sign-in: only who gives the admin secret may ingest, rename or delete.

The secret comes from .streamlit/secrets.toml (`admin_secret = "..."`) or the environment
($NEWSDESK_ADMIN_SECRET). It is compared in constant time, never stored in the session,
never written to the page or the URL.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

import streamlit as st

from dashboard import config
from dashboard.store import curation
from dashboard.views import data, widgets


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


# Curation of entities ------------------------------------------------------------------------------

def _curate(action: str) -> None:
    """Make one correction (a button's callback); any problem is said on the page, nothing half done."""
    if not is_admin():
        return
    state = st.session_state
    name, now = state.get("curate-entity"), datetime.now(UTC).replace(tzinfo=None)
    try:
        if not name:
            raise curation.CurationError("choose an entity first")
        if action == "merge":
            data.write(curation.merge, name, state.get("curate-target") or "", now)
        elif action == "rename":
            data.write(curation.rename, name, state.get("curate-name") or "", now)
        else:
            data.write(curation.hide, name, now)
    except curation.CurationError as exc:
        state["curate-problem"] = f"Not done: {exc}."
        return
    state["curate-problem"] = None
    state["curate-done"] = {"merge": f"Merged “{name}” into “{state.get('curate-target')}”.",
                            "rename": f"Renamed “{name}” to “{state.get('curate-name')}”.", "hide": f"Hid “{name}”."}[action]
    if action != "hide" and name in (state.get("entity") or []):
        state["entity"] = [state.get("curate-target") if action == "merge" else state.get("curate-name")]


def _undo(curation_id: int) -> None:
    if is_admin():
        data.write(curation.undo, curation_id)
        st.session_state["curate-done"] = "Undone."


def curation_box(name: str | None = None) -> None:
    """Merge two entities, rename one or hide one; every correction is listed with a way to undo it.

    Corrections are kept by name and made again after each enrichment (store/curation.py).
    """
    with st.expander("Correct entities (admin)", expanded=False, icon=":material/edit:"):
        names = data.get("entity_choices")["name"].tolist()
        if name and name not in names:
            names.insert(0, name)
        st.selectbox("Entity", names, index=names.index(name) if name in names else None, key="curate-entity",
                     placeholder="Type a name")
        merge, rename, hide = st.columns(3)
        merge.selectbox("Merge into", names, index=None, key="curate-target", placeholder="The entity to keep")
        merge.button("Merge", on_click=_curate, args=("merge",), key="curate-merge", icon=":material/merge:")
        rename.text_input("Rename to", key="curate-name", max_chars=200)
        rename.button("Rename", on_click=_curate, args=("rename",), key="curate-rename", icon=":material/edit:")
        hide.caption("Hide a wrong entity from every page (it stays stored).")
        hide.button("Hide", on_click=_curate, args=("hide",), key="curate-hide", icon=":material/visibility_off:")
        if st.session_state.get("curate-problem"):
            st.error(widgets.md_escape(st.session_state["curate-problem"]))
        elif st.session_state.get("curate-done"):
            st.success(widgets.md_escape(st.session_state["curate-done"]))
        made = data.read(curation.listing)
        st.markdown("**Corrections**" if not made.empty else "No corrections yet.")
        for row in made.itertuples():
            name, target = widgets.md_escape(row.name), widgets.md_escape(row.target)
            text = {"merge": f"merged “{name}” into “{target}”", "rename": f"renamed “{name}” to “{target}”",
                    "hide": f"hid “{name}”"}[row.action]
            left, right = st.columns([5, 1])
            left.caption(f"{row.made_at:%Y-%m-%d %H:%M} · {text}")
            right.button("Undo", on_click=_undo, args=(int(row.id),), key=f"curate-undo-{row.id}")
