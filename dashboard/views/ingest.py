"""Ingest (admin only): upload files or add feed URLs, then the same summary as the CLI."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

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


def render() -> None:
    st.title("Ingest")
    if not admin.is_admin():
        st.error("Only an admin can ingest. Sign in with the admin secret in the sidebar.", icon=":material/lock:")
        return
    uploads = st.file_uploader("Files (seed pages, RSS/Atom, JSONL, CSV, Reuters SGML, text)", accept_multiple_files=True)
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
    st.subheader("Recent ingests")
    st.dataframe(data.get("last_ingest", 20), hide_index=True)
