"""From what the user names (files, folders, URLs) to readers and their records."""

from __future__ import annotations

import http.client
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from dashboard import config
from dashboard.ingest.detect import FORMATS, detect
from dashboard.ingest.errors import IngestError, NotAnArticle
from dashboard.ingest.feeds import read_feed
from dashboard.ingest.inputs import Input
from dashboard.ingest.options import ReadOptions
from dashboard.ingest.page import read_page
from dashboard.ingest.plaintext import read_plaintext
from dashboard.ingest.reuters import read_reuters
from dashboard.ingest.seedpage import read_seedpage
from dashboard.ingest.tabular import read_csv, read_json_array, read_jsonl
from dashboard.model import Article, Rejected

Reader = Callable[[Input], Iterator[Article | Rejected]]
READERS: dict[str, Reader] = {
    "seed": read_seedpage,
    "text": read_plaintext,
    "rss": read_feed,
    "html": read_page,
    "jsonl": read_jsonl,
    "json": read_json_array,
    "csv": read_csv,
    "reuters": read_reuters,
}
MAX_DOWNLOAD = 50_000_000
FETCH_CHUNK = 64 * 1024
USER_AGENT = "Newsdesk/0.1 (+news monitoring dashboard)"
assert set(READERS) | {"auto"} == set(FORMATS)


_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{1,15}://", re.I)  # ftp://, s3://, file://: not fetched


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def fetch(url: str, timeout: float | None = None, headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    """GET a URL within an overall deadline and a size cap; IngestError on any failure.

    The deadline covers the whole response, so a server that trickles bytes cannot hold a
    cron job forever; a body over the cap is refused as soon as the cap is passed.
    """
    timeout = timeout or config.fetch_timeout()
    deadline = time.monotonic() + timeout
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_DOWNLOAD:
                raise IngestError(f"response of {int(declared):,} bytes is over the {MAX_DOWNLOAD:,}-byte limit: refused")
            chunks, size = [], 0
            while chunk := response.read1(FETCH_CHUNK):
                size += len(chunk)
                if size > MAX_DOWNLOAD:
                    raise IngestError(f"response over the {MAX_DOWNLOAD:,}-byte limit: refused")
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunks.append(chunk)
            return b"".join(chunks), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        raise IngestError(f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise IngestError(f"cannot fetch: {exc.reason}") from exc
    except TimeoutError as exc:
        raise IngestError(f"timed out after {timeout:g} s") from exc
    except (http.client.HTTPException, OSError) as exc:
        raise IngestError(f"bad HTTP response: {exc}") from exc
    except ValueError as exc:  # "http://[::1", a port that is no number
        raise IngestError(f"not a valid URL ({exc})") from exc


def expand(target: str, source: str | None = None, options: ReadOptions | None = None) -> Iterator[Input | tuple[str, IngestError]]:
    """The inputs a target names: a URL, a file, or every file under a folder (sorted)."""
    options = options or ReadOptions()
    if is_url(target):
        try:
            data, headers = fetch(target)
        except IngestError as exc:
            yield target, exc
            return
        yield Input(name=target, data=data, source=source, content_type=headers.get("content-type"), options=options)
        return
    if _OTHER_SCHEME.match(target):
        yield target, IngestError("only http:// and https:// addresses are fetched")
        return
    path = Path(target)
    try:
        kind = "folder" if path.is_dir() else "file" if path.is_file() else "other" if path.exists() else None
    except (OSError, ValueError) as exc:  # a name with a NUL byte, a name too long
        yield target, IngestError(f"not a usable path: {exc}")
        return
    if kind == "folder":
        yield from _walk(path, source, options)
    elif kind == "file":
        yield Input(name=str(path), path=path, source=source, options=options)
    elif kind == "other":
        yield target, IngestError("not a regular file")
    else:
        yield target, IngestError("no such file or folder")


def _walk(folder: Path, source: str | None, options: ReadOptions) -> Iterator[Input | tuple[str, IngestError]]:
    """Every regular file under `folder`, sorted; symbolic links to folders are not followed
    (they can loop, or lead out of the folder the user named)."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(d for d in dirs if (Path(root) / d).is_symlink()):
            yield str(Path(root) / name), NotAnArticle("symbolic link to a folder: not followed")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(root) / d).is_symlink())
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if path.is_file():
                yield Input(name=str(path), path=path, source=source, base=folder, options=options)
            else:
                yield str(path), IngestError("broken link or not a regular file")


def read_input(inp: Input, fmt: str = "auto") -> Iterator[Article | Rejected]:
    """The records of one input, in the given format or the detected one."""
    if fmt not in READERS:
        fmt = detect(inp)
    yield from READERS[fmt](inp)
