"""Feeds that misbehave: poll gives up within a bound, says why, and goes on with the others."""

import time

import pytest

from tests.conftest import FIXTURES, Route, cli, table_counts

GOOD = (FIXTURES / "feed.rss").read_bytes()


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(GOOD, delay=5.0), "timed out"),
        (Route(GOOD, trickle=0.05), "timed out"),
        (Route(b"oops", 500), "HTTP 500"),
        (Route(b"", 302, {"Location": "/bad"}), "HTTP 302"),
        (Route(b"<rss>" + b" " * (60 * 1024 * 1024), 200), "over the"),
        (Route(b"<rss>" + b" " * (60 * 1024 * 1024), 200, declare_length=False), "over the"),
    ],
    ids=["slow", "trickle", "500", "redirect-loop", "huge-declared", "huge-streamed"],
)
def test_poll_survives_a_bad_feed(db, tmp_path, http_server, capsys, monkeypatch, route, message):
    base, routes, _ = http_server
    routes["/bad"] = route
    routes["/good.rss"] = Route(GOOD)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base}/bad"\n\n[[feed]]\nurl = "{base}/good.rss"\n')
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "2")
    started = time.monotonic()
    assert cli("poll", "--feeds", feeds, "--db", db, "--no-enrich") == 1
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert f"{base}/bad" in err and message in err, err
    assert table_counts(db)["articles"] == 2  # the good feed was still read
    assert elapsed < 15
