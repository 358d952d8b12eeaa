"""Rising topics and entities, done right: complete periods only, a minimum volume, nothing at or below zero.

Expected figures are worked out by hand in each test's comment.
"""

import pandas as pd

from dashboard.nlp.bursts import MIN_RECENT, burst_scores, burst_window, last_complete, new_label, new_since, new_topics, rising


def weekly(counts: dict[str, list[int]], first: str = "2025-01-06") -> pd.DataFrame:
    weeks = pd.date_range(first, periods=len(next(iter(counts.values()))), freq="W-MON")
    return pd.DataFrame([{"period": w, "topic_id": i, "label": label, "articles": n}
                         for i, (label, series) in enumerate(counts.items(), 1) for w, n in zip(weeks, series, strict=True) if n])


def test_a_week_is_complete_on_its_sunday_a_month_on_its_last_day():
    assert last_complete("2025-03-12", "week") == pd.Timestamp("2025-03-03")  # a Wednesday: the week before is the last whole one
    assert last_complete("2025-03-16", "week") == pd.Timestamp("2025-03-10")  # a Sunday closes its own week
    assert last_complete("2025-03-10", "week") == pd.Timestamp("2025-03-03")  # a Monday has only begun its week
    assert last_complete("2025-03-30", "month") == pd.Timestamp("2025-02-01")
    assert last_complete("2025-03-31", "month") == pd.Timestamp("2025-03-01")
    assert last_complete("2024-02-29", "month") == pd.Timestamp("2024-02-01")  # leap day ends February
    assert last_complete("2025-03-12", "day") == pd.Timestamp("2025-03-12")


def test_the_burst_window_is_the_latest_complete_periods():
    assert burst_window("2025-03-12", "week") == (pd.Timestamp("2025-03-03"), pd.Timestamp("2025-03-09"))
    assert burst_window("2025-03-16", "week", recent=2) == (pd.Timestamp("2025-03-03"), pd.Timestamp("2025-03-16"))
    assert burst_window("2025-03-31", "month") == (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31"))
    assert burst_window("2025-03-05", "day", recent=3) == (pd.Timestamp("2025-03-03"), pd.Timestamp("2025-03-05"))


def test_a_partial_last_week_is_left_out():
    # weeks of 6 Jan .. 3 Mar: eight weeks of 4, then 12 in the week of 3 Mar, then 1 article in the week of 10 Mar
    # with data only up to Wednesday 12 Mar. Counting the partial week: (1 - 12 ...) a fall; without it: the week of
    # 3 Mar against the 8 before it: (12 - 4) / sqrt(5)
    volume = weekly({"story": [4] * 8 + [12, 1]})
    partial = burst_scores(volume, "week")
    assert partial.loc[0, "recent"] == 1 and partial.loc[0, "score"] < 0
    complete = burst_scores(volume, "week", through="2025-03-12")
    assert complete.loc[0, ["recent", "baseline"]].tolist() == [12.0, 4.0]
    assert abs(complete.loc[0, "score"] - 8 / 5**0.5) < 1e-12


def test_weeks_after_the_data_up_to_the_last_complete_one_count_as_zero():
    # the topic's last article is in the week of 24 Feb; the data runs to Sunday 9 Mar: weeks of 3 Mar is zero
    volume = weekly({"gone": [5] * 8})  # weeks of 6 Jan .. 24 Feb
    scores = burst_scores(volume, "week", through="2025-03-09")
    assert scores.loc[0, ["recent", "baseline"]].tolist() == [0.0, 5.0]
    assert rising(scores).empty


def test_only_rises_of_at_least_the_minimum_volume_and_score_are_rising():
    # baseline 0 for all three: "tiny" rises to 2 (below the minimum of 3 articles), "real" to 6,
    # "steady" stays at 5 (score 0), "fading" falls from 8 to 3 (negative), "wobble" goes from 9 to 10
    # ((10 - 9) / sqrt(10) = 0.32: below one standard deviation)
    volume = weekly({"tiny": [0] * 8 + [2], "real": [0] * 8 + [6], "steady": [5] * 9, "fading": [8] * 8 + [3], "wobble": [9] * 8 + [10]})
    scores = burst_scores(volume, "week")
    assert set(scores["label"]) == {"tiny", "real", "steady", "fading", "wobble"}
    up = rising(scores)
    assert list(up["label"]) == ["real"] and list(up.index) == [0]
    assert (up["score"] > 0).all() and (up["recent"] >= MIN_RECENT).all()
    assert list(rising(scores, min_recent=1)["label"]) == ["real", "tiny"]  # 6 / sqrt(1) = 6, 2 / sqrt(1) = 2
    assert list(rising(scores, min_recent=1, min_score=0)["label"]) == ["real", "tiny", "wobble"]  # never zero or below
    assert rising(scores.iloc[0:0]).empty


def test_entities_are_scored_by_their_own_key():
    days = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-03"]),
                         "entity_id": [7, 7, 7, 9], "label": ["Ann", "Ann", "Ann", "Bob"], "articles": [1, 1, 6, 3]})
    scores = burst_scores(days, "day", baseline=2, key="entity_id").set_index("entity_id")
    assert list(burst_scores(days, "day", key="entity_id").columns) == ["entity_id", "label", "recent", "baseline", "score"]
    assert scores.loc[7, ["label", "recent", "baseline", "score"]].tolist() == ["Ann", 6.0, 1.0, 5 / 2**0.5]
    assert scores.loc[9, ["recent", "baseline", "score"]].tolist() == [3.0, 0.0, 3.0]


def test_no_complete_period_means_nothing_to_score():
    volume = weekly({"new": [4]}, first="2025-03-10")  # one article-week, the data ends the Wednesday of that week
    scores = burst_scores(volume, "week", through="2025-03-12")
    assert scores.empty and list(scores.columns) == ["topic_id", "label", "recent", "baseline", "score"]


def test_a_score_of_exactly_the_minimum_and_exactly_the_minimum_volume_are_rising():
    # "edge": baseline 3, recent 5: (5 - 3) / sqrt(3 + 1) = 1.0, the minimum score exactly;
    # "few": baseline 0, recent 3 (the minimum volume exactly): score 3 / sqrt(1) = 3
    volume = weekly({"edge": [3] * 8 + [5], "few": [0] * 8 + [3]})
    scores = burst_scores(volume, "week")
    assert scores.set_index("label").loc["edge", "score"] == 1.0
    up = rising(scores)
    assert list(up["label"]) == ["few", "edge"] and list(up.index) == [0, 1]
    assert list(up.columns) == ["topic_id", "label", "recent", "baseline", "score"]


def test_new_means_within_the_last_two_weeks_counting_the_last_day():
    # 14 days ending on 14 March (any time of day): 1 to 14 March
    assert new_since("2025-03-14 18:30") == pd.Timestamp("2025-03-01")
    assert new_since(pd.Timestamp("2025-03-14"), days=1) == pd.Timestamp("2025-03-14")
    assert new_since(None) is None and new_since(pd.NaT) is None


def test_new_topics_are_those_born_since_newest_first_then_largest():
    topics = pd.DataFrame({"id": [1, 2, 3, 4, 5, 6], "label": list("abcdef"), "size": [50, 7, 9, 30, 4, 8],
                           "born": [None, "2025-03-01", "2025-03-10", "2025-02-28", "2025-03-10", "2025-03-14"]})
    new = new_topics(topics, "2025-03-14")  # since 1 March: topic 4 (28 Feb) is too old, topic 1 was never born between fits
    assert list(new["id"]) == [6, 3, 5, 2]  # 14 March; 10 March (size 9 before 4); 1 March
    assert list(new_topics(topics, "2025-03-14", days=5)["id"]) == [6, 3, 5]  # since 10 March
    assert new_topics(topics, None).empty and list(new_topics(topics, None).columns) == list(topics.columns)
    assert new_topics(topics.iloc[0:0], "2025-03-14").empty


def test_a_new_topic_says_since_when():
    assert new_label("1987-10-19") == "new since 19 Oct 1987"
    assert new_label(pd.Timestamp("2025-03-01 12:00")) == "new since 01 Mar 2025"
    assert new_label(None) == "" and new_label(pd.NaT) == ""
