"""One app process for the tests: `python -m tests.app_process SECONDS [STOP_FILE]` renders the Overview
through AppTest in this process, a new session every second, for SECONDS (or until STOP_FILE exists), and prints one
JSON line per render (start, end, whether the page answered with its figures). The app's own
poller runs in this process as it would in `streamlit run`, started by the first render."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import config, scheduler
from tests.conftest import ROOT


def render() -> dict:
    started = time.time()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    articles = next((m.value for m in at.metric if m.label == "Articles"), None)
    return {"start": started, "end": time.time(), "ok": not at.exception and not at.error and articles is not None,
            "articles": articles}


def main(seconds: float, stop: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (stop and stop.exists()):
        print(json.dumps(render()), flush=True)
        time.sleep(1.0)
    scheduler.stop(config.db_path())  # a poll under way finishes first, so every poll started is whole


if __name__ == "__main__":
    main(float(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
