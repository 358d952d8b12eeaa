from tests.conftest import FIXTURES, Route, cli, table_counts


def _feeds_file(tmp_path, *urls):
    path = tmp_path / "feeds.toml"
    path.write_text("".join(f'[[feed]]\nurl = "{u}"\nname = "Feed {i}"\n\n' for i, u in enumerate(urls)))
    return path


def test_poll_fetches_each_feed_once_and_honours_etag(db, tmp_path, http_server, capsys):
    base, routes, hits = http_server
    routes["/a.rss"] = Route((FIXTURES / "feed.rss").read_bytes(), 200, {"ETag": '"v1"'})
    routes["/b.atom"] = Route((FIXTURES / "feed.atom").read_bytes(), 200, {"Last-Modified": "Fri, 14 Mar 2025 12:00:00 GMT"})
    feeds = _feeds_file(tmp_path, f"{base}/a.rss", f"{base}/b.atom")
    assert cli("poll", "--feeds", feeds, "--db", db, "--no-enrich") == 0
    assert table_counts(db)["articles"] == 3
    assert len(hits) == 2

    assert cli("poll", "--feeds", feeds, "--db", db, "--no-enrich") == 0
    assert "not modified" in capsys.readouterr().err
    second = dict(hits[2:])
    assert second["/a.rss"].get("If-None-Match") == '"v1"'
    assert second["/b.atom"].get("If-Modified-Since") == "Fri, 14 Mar 2025 12:00:00 GMT"
    assert table_counts(db)["articles"] == 3


def test_a_failing_feed_does_not_stop_the_others(db, tmp_path, http_server, capsys):
    base, routes, _ = http_server
    routes["/broken"] = Route(b"oops", 500)
    routes["/ok.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    feeds = _feeds_file(tmp_path, f"{base}/broken", f"{base}/ok.rss")
    assert cli("poll", "--feeds", feeds, "--db", db, "--no-enrich") == 1
    assert "HTTP 500" in capsys.readouterr().err
    assert table_counts(db)["articles"] == 2


def test_missing_feeds_file(db, tmp_path, capsys):
    assert cli("poll", "--feeds", tmp_path / "nope.toml", "--db", db, "--no-enrich") == 2
    assert "no such feeds file" in capsys.readouterr().err
