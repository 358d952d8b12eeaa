"""Chinese feed boilerplate (相关文章, 阅读全文, 责任编辑, bylines, photo credits) never reaches topics or entities.

The English side is pinned by tests/test_ingest_boilerplate.py on tests/fixtures/feed_boilerplate.rss;
this feed is written here: six stories, each wrapped in the same boilerplate, so that left in, the
boilerplate would be the words every article shares, the first thing a topic or the model picks up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli, rows

STORIES = [
    ("市议会批准修建港口海堤", "市议会周一投票决定沿港口修建一道新海堤，以抵御冬季风暴。", "新海堤预计耗资一千二百万元，工期两年，市长表示。"),
    ("港口海堤合同授予本地建筑商", "本地一家建筑商周二赢得港口海堤合同，报价低于市议会的估算。", "工程将于四月开工，港口在施工期间继续向渔船开放，市议会说。"),
    ("沿海发布风暴预警", "气象部门周三对整个沿海地区发布风暴预警，预计夜间有大风和暴雨。", "学校周四可能停课，司机被告知在风暴过去之前避开沿海公路。"),
    ("风暴导致学校停课", "风暴周四导致全区学校停课，大风吹倒树木，数千户家庭停电。", "气象部门说，雨势将在周末减弱，但沿海公路在清理倒下的树木之前仍将关闭。"),
    ("渡轮票价将上涨", "渡轮运营商将于五月把票价提高百分之八，理由是燃料成本和新的安全规定。",
     "每天乘坐渡轮的通勤者说，涨价对家庭打击最大，并请求市议会提供帮助。"),
    ("渡轮船员接受加薪协议", "渡轮船员周六接受新的加薪协议，结束了可能在繁忙夏季停运渡轮的罢工威胁。",
     "协议涵盖未来两年，渡轮运营商表示在此之前票价不会再次上涨。"),
]
WRAPPING = ("记者", "王小明", "图片来源", "新华社", "阅读全文", "相关文章", "暴雨淹没老城区", "市长承诺采取行动", "责任编辑", "李华")


def chinese_feed(folder: Path) -> Path:
    items = []
    for n, (title, first, second) in enumerate(STORIES):
        body = (f"<p>（记者 王小明 报道）</p><p>{first}</p><p>图片来源：新华社</p><p>{second}阅读全文</p>"
                "<p>相关文章：</p><p>暴雨淹没老城区</p><p>市长承诺采取行动</p><p>责任编辑：李华</p>")
        items.append(f"<item><title>{title}</title><link>https://zh.example/{n}</link>"
                     f"<pubDate>Mon, 1{n} Mar 2025 09:00:00 GMT</pubDate><description><![CDATA[{body}]]></description></item>")
    feed = folder / "coast.xml"
    feed.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>海岸日报</title>'
                    f'<link>https://zh.example/</link><description>沿海新闻</description>{"".join(items)}</channel></rss>',
                    encoding="utf-8")
    return feed


@pytest.fixture(scope="module")
def enriched(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("zh")
    db = folder / "news.duckdb"
    assert cli("ingest", chinese_feed(folder), "--db", db, "--quiet") == 0
    return db


def test_chinese_bodies_keep_the_story_and_give_the_byline_and_credit_their_fields(enriched):
    stored = rows(enriched, "SELECT title, body, author, photo_credit FROM articles ORDER BY published")
    assert [(title, body) for title, body, _, _ in stored] == [(t, f"{a}\n\n{b}") for t, a, b in STORIES]
    assert {(author, credit) for _, _, author, credit in stored} == {("王小明", "新华社")}


def test_chinese_boilerplate_is_no_topic_term_or_entity(enriched):
    terms = [term for (terms,) in rows(enriched, "SELECT terms FROM topics") for term in terms]
    labels = [label for (label,) in rows(enriched, "SELECT label FROM topics")]
    names = [name for (name,) in rows(enriched, "SELECT name FROM entities")]
    assert terms and labels, "the feed was given topics"
    for text in terms + labels + names:
        assert not [w for w in WRAPPING if w in text], text
