"""Will the database outlive a restart? Said on the Ingest page when it will not.

$NEWSDESK_DATA_PERSISTS (1 or 0) answers for the deploy. Otherwise it is a guess from where the
app runs: Streamlit Community Cloud (the app's source under /mount/src) keeps no file across a
restart or redeploy; in a container (/.dockerenv, /run/.containerenv or a Kubernetes service
account) the database must be on a mount of its own, a volume, rather than on the container's
own writable layer; anywhere else (a VM, a laptop) the file is on an ordinary disk.
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard import config

CONTAINER_MARKS = (Path("/.dockerenv"), Path("/run/.containerenv"), Path("/var/run/secrets/kubernetes.io"))
COMMUNITY_CLOUD_SOURCE = Path("/mount/src")


def _mount_points(mountinfo: Path = Path("/proc/self/mountinfo")) -> list[Path]:
    try:
        lines = mountinfo.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    # Field 5 is the mount point, with spaces and other characters escaped as octal (\040).
    return [Path(line.split()[4].encode().decode("unicode_escape")) for line in lines if len(line.split()) > 4]


def mount_of(path: Path, mounts: list[Path] | None = None) -> Path:
    """The mount point a path lives on: the longest mount point that contains it."""
    target = path.resolve()
    candidates = [m for m in (_mount_points() if mounts is None else mounts) if target == m or m in target.parents]
    return max(candidates, key=lambda m: len(m.parts), default=Path("/"))


def on_community_cloud(cwd: Path | None = None) -> bool:
    here = (cwd or Path.cwd()).resolve()
    return here == COMMUNITY_CLOUD_SOURCE or COMMUNITY_CLOUD_SOURCE in here.parents


def in_container() -> bool:
    return any(mark.exists() for mark in CONTAINER_MARKS)


def vanishes_on_restart(db: Path) -> str | None:
    """Why the database would be lost on a restart, or None when it is kept (or said to be)."""
    said = config.data_persists()
    if said is not None:
        return None if said else "this deploy says its disk does not outlive a restart (NEWSDESK_DATA_PERSISTS=0)"
    if on_community_cloud():
        return "Streamlit Community Cloud keeps no file across a restart or a redeploy"
    if in_container() and mount_of(db.parent if db.parent.exists() else Path(os.getcwd())) == Path("/"):
        return f"{db} is on the container's own disk, not on a mounted volume"
    return None
