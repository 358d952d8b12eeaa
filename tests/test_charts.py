"""Chart builders and burst scores: pure functions, tested without Streamlit."""

import pandas as pd

from dashboard import charts
from dashboard.nlp.bursts import burst_scores


def weekly(counts: dict[str, list[int]]) -> pd.DataFrame:
    weeks = pd.date_range("2025-01-06", periods=len(next(iter(counts.values()))), freq="W-MON")
    rows = [{"period": w, "topic_id": i, "label": label, "articles": n}
            for i, (label, series) in enumerate(counts.items(), 1) for w, n in zip(weeks, series, strict=True) if n]
    return pd.DataFrame(rows)


def test_rising_topic_scores_highest():
    volume = weekly({"steady": [10] * 10, "rising": [2, 2, 2, 2, 2, 2, 2, 2, 2, 20], "fading": [9, 9, 9, 9, 9, 9, 9, 9, 9, 1]})
    scores = burst_scores(volume)
    assert list(scores["label"]) == ["rising", "steady", "fading"]
    assert scores.iloc[0]["score"] > 5 and scores.iloc[-1]["score"] < 0
    assert scores.set_index("label").loc["steady", "score"] == 0


def test_missing_weeks_count_as_zero():
    volume = weekly({"gap": [4, 0, 0, 0, 0, 0, 0, 0, 0, 4]})
    scores = burst_scores(volume)
    assert scores.iloc[0]["baseline"] == 0 and scores.iloc[0]["recent"] == 4  # week 1 is outside the 8-week baseline


def test_burst_scores_of_nothing():
    assert burst_scores(pd.DataFrame(columns=["period", "topic_id", "label", "articles"])).empty


def test_topic_volume_has_one_trace_per_topic():
    fig = charts.topic_volume(weekly({"a": [1, 2, 3], "b": [3, 2, 1]}))
    assert sorted(trace.name for trace in fig.data) == ["a", "b"]
    assert sum(sum(trace.y) for trace in fig.data) == 12


def test_empty_selection_says_so():
    fig = charts.topic_volume(pd.DataFrame(columns=["period", "topic_id", "label", "articles"]))
    assert "No dated articles" in fig.layout.annotations[0].text


def test_network_links_the_centre_to_its_neighbours():
    neighbours = pd.DataFrame({"name": ["Vladimir Putin", "Kursk"], "type": ["PERSON", "GPE"], "shared": [3, 1]})
    pairs = pd.DataFrame({"source": ["Kursk"], "target": ["Vladimir Putin"], "shared": [1]})
    fig = charts.network("Donald Trump", neighbours, pairs)
    nodes = fig.data[1]
    assert set(nodes.text) == {"Donald Trump", "Vladimir Putin", "Kursk"}
    assert len([x for x in fig.data[0].x if x is None]) == 3  # three edges


def test_ranking_puts_the_largest_on_top():
    frame = pd.DataFrame({"name": ["a", "b"], "articles": [5, 2], "type": ["ORG", "GPE"]})
    fig = charts.ranking(frame, "articles", "name")
    assert list(fig.data[0].y) == ["b", "a"]  # plotly draws the first category at the bottom
