"""One line per event on standard error, for a log collector behind a load balancer.

`2026-11-26T07:10:00.042Z INFO newsdesk.scheduler poll finished: ...`: a traceback is folded into
the same line (` | ` between its lines), so one event never spans several log records.
"""

from __future__ import annotations

import logging
import sys
import time

ROOT = "newsdesk"


class OneLine(logging.Formatter):
    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__("%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        return " | ".join(line for line in super().format(record).splitlines() if line.strip())


def get(name: str) -> logging.Logger:
    """The logger `newsdesk.<name>`, writing one line per event to standard error."""
    root = logging.getLogger(ROOT)
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(OneLine())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        root.propagate = False
    return root.getChild(name)
