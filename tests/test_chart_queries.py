"""The charts' queries against answers computed here with pandas from the stored rows (see test_queries.py).

period_counts (a comparison's series and a share's denominator), entity_volume (the candidates
for rising entities) and stories_in_windows (the peaks' and bursts' headlines in one query).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard.store import connect
from dashboard.store import queries as q
from dashboard.store.queries import Filters
from tests.conftest import rows
from tests.test_queries import originals, selected


def period_of(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


FILTERS = [Filters(), Filters(source="Metro Wire"), Filters(start=date(2024, 2, 1), end=date(2024, 2, 29)),
           Filters(entities=("Angela Merkel",)), Filters(q="oil"), Filters(topics=(2,), start=date(2024, 3, 1))]


def chosen(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The dated articles of the selection: a period count has no place for an undated one."""
    found = selected(frame, f)
    return found[found["day"].notna()]


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_period_counts_are_the_articles_of_each_period(synthetic_db, grain):
    frame = originals(synthetic_db)
    with connect(synthetic_db, read_only=True) as con:
        for f in FILTERS:
            found = q.period_counts(con, f, grain)
            expected = chosen(frame, f)["day"].map(lambda d: period_of(d, grain)).value_counts().sort_index()
            assert [p.date() for p in found["period"]] == list(expected.index), (f, grain)
            assert list(found["articles"]) == list(expected.values), (f, grain)


SPANS = {"day": (date(2024, 2, 20), date(2024, 2, 26), date(2024, 3, 31)),  # (start, recent start, end), on period bounds
         "week": (date(2024, 1, 29), date(2024, 2, 26), date(2024, 3, 31)),
         "month": (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 31))}


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_entity_volume_counts_the_candidates_of_the_recent_periods(synthetic_db, grain):
    # each filter narrows the articles counted; the grain makes the periods
    start, recent, end = SPANS[grain]
    frame = originals(synthetic_db)
    ids = dict(rows(synthetic_db, "SELECT name, id FROM entities"))
    for f in FILTERS:
        with connect(synthetic_db, read_only=True) as con:
            found = q.entity_volume(con, f, grain, start, recent, end, 2, 4)
        span = chosen(frame, f)
        span = span[span["day"].map(lambda d: start <= d <= end)].explode("entities").dropna(subset=["entities"])
        span = span.assign(period=span["day"].map(lambda d: period_of(d, grain)))
        lately = span[span["period"] >= recent].groupby("entities").size()
        top = sorted((n for n, count in lately.items() if count >= 2), key=lambda n: (-int(lately[n]), ids[n]))[:4]
        assert set(found["label"]) == set(top), (f, grain)
        for name in top:
            periods = span[span["entities"] == name]["period"].value_counts()
            got = found[found["label"] == name]
            assert dict(zip((p.date() for p in got["period"]), got["articles"], strict=True)) == periods.to_dict(), (f, grain, name)
            assert set(got["entity_id"]) == {ids[name]}


def test_the_stories_of_several_windows_in_one_query_are_those_of_each_window(synthetic_db):
    windows = [(1, date(2024, 1, 15), date(2024, 1, 21)), (3, date(2024, 2, 5), date(2024, 2, 11)), (2, date(2024, 3, 1), date(2024, 3, 31))]
    people = [("Angela Merkel", date(2024, 3, 25), date(2024, 3, 31)), ("Japan", date(2024, 1, 1), date(2024, 1, 14))]
    stories = pd.DataFrame(rows(synthetic_db, "SELECT s.article_id, s.story_id, st.size, st.last_day FROM article_stories s "
                                              "JOIN stories st ON st.id = s.story_id"), columns=["id", "story", "size", "last_day"])
    frame = originals(synthetic_db).merge(stories, on="id")
    for source in (None, "Daily Ledger"):
        with connect(synthetic_db, read_only=True) as con:
            by_topic = q.stories_in_windows(con, Filters(source=source), "topic", windows, 2)
            by_name = q.stories_in_windows(con, Filters(source=source), "entity", people, 2)
        for kind, found, wanted in (("topic", by_topic, windows), ("entity", by_name, people)):
            for key, first, last in wanted:
                inside = frame[frame["day"].map(lambda d, a=first, b=last: d is not None and a <= d <= b)]
                inside = inside[inside["topic_id"] == key] if kind == "topic" else inside[inside["entities"].map(lambda n, k=key: k in n)]
                if source:
                    inside = inside[inside["source"] == source]
                best = (inside.drop_duplicates("story").sort_values(["size", "last_day", "story"], ascending=[False, False, True])
                        .head(2)["story"].tolist())
                assert found[found["key"] == key]["id"].tolist() == best, (kind, key, source)
    with connect(synthetic_db, read_only=True) as con:
        assert q.stories_in_windows(con, Filters(), "topic", [], 2).empty
