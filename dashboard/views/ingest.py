"""Ingest (admin only): upload files or add feed URLs, then the same summary as the CLI.

Also where a deploy tells on itself: a database that would vanish on restart is said so to
everyone here, and admins see the app's own feed poller (its schedule, last poll and result).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard import config, persistence, scheduler
from dashboard.views import admin, data

MAX_UPLOAD_NAME = 120


def _run(targets: list[str]) -> None:
    from dashboard.load import ingest
    from dashboard.nlp.pipeline import enrich

    lines: list[str] = []
    bar = st.progress(0.0, text="Reading…")
    summaries = []
    for number, target in enumerate(targets, 1):
        summaries.append(ingest([target], data.db_path(), progress=False, report=lines.append))
        bar.progress(number / len(targets), text=f"Read {number} of {len(targets)}")
    bar.progress(1.0, text="Enriching…")
    report = enrich(data.db_path(), progress=False)
    bar.empty()
    st.cache_data.clear()
    for summary in summaries:
        (st.success if summary.ok else st.warning)(summary.line())
    st.info(report.line())
    for line in lines[:50]:
        st.text(line)


def _persistence_warning() -> None:
    reason = persistence.vanishes_on_restart(data.db_path())
    if reason:
        st.warning(f"Data ingested here is lost on the next restart: {reason}. README (Deploying for a team) says where "
                   "to keep it on each platform; until then, re-ingest after a restart or let the app poll its feeds.",
                   icon=":material/cloud_off:")


def _poller_status() -> None:
    """The app's own feed poller: when it runs, when it last ran and what it found."""
    st.subheader("Feed polling")
    minutes = config.poll_minutes()
    if not minutes:
        st.caption("This app does not poll feeds by itself: set NEWSDESK_POLL_MINUTES to have it do so, "
                   "or run `python -m dashboard poll` from cron.")
        return
    from dashboard.views.shell import poll_schedule_line

    st.caption(poll_schedule_line())
    state = scheduler.read_state(data.db_path())
    if not state:
        st.caption("No poll yet.")
        return
    if state.get("running") and not scheduler.abandoned(state):
        st.info(f"Polling since {state['started'][:19]} UTC ({state['by']}).", icon=":material/sync:")
        return
    if state.get("running"):
        st.warning(f"The poll started {state['started'][:19]} UTC ({state['by']}) never finished: its process stopped.")
        return
    line = f"Last poll {state['started'][:19]} UTC, {state.get('seconds', 0):g} s ({state['by']}): {state.get('result') or 'nothing read'}"
    (st.success if state.get("ok") else st.warning)(line)
    for error in state.get("errors", []):
        st.text(error)


def render() -> None:
    st.title("Ingest")
    _persistence_warning()
    if not admin.is_admin():
        st.error("Only an admin can ingest. Sign in with the admin secret in the sidebar.", icon=":material/lock:")
        return
    uploads = st.file_uploader("Files (seed pages, RSS/Atom, JSON, JSONL, CSV, Reuters SGML, text; plain or gzip, bzip2, xz)", accept_multiple_files=True)
    urls = st.text_area("Feed or page URLs, one per line")
    if st.button("Ingest", type="primary", disabled=not uploads and not urls.strip()):
        with tempfile.TemporaryDirectory() as tmp:
            targets = []
            for upload in uploads or []:
                path = Path(tmp) / Path(upload.name).name[:MAX_UPLOAD_NAME]
                path.write_bytes(upload.getvalue())
                targets.append(str(path))
            targets += [u.strip() for u in urls.splitlines() if u.strip().startswith(("http://", "https://"))]
            _run(targets)
    _poller_status()
    st.subheader("Recent ingests")
    st.dataframe(data.get("last_ingest", 20), hide_index=True)
