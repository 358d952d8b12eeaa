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
    assert fig.layout.annotations[0].text == "No dated articles in this selection"


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


def test_burst_score_is_the_rise_over_the_root_of_the_usual_volume():
    # 8 usual weeks of 3 then 11: (11 - 3) / sqrt(3 + 1) = 4; 8 weeks of 8 then 8: no rise at all
    volume = weekly({"rising": [3] * 8 + [11], "flat": [8] * 9})
    scores = burst_scores(volume).set_index("label")
    assert scores.loc["rising", ["recent", "baseline", "score"]].tolist() == [11.0, 3.0, 4.0]
    assert scores.loc["flat", ["recent", "baseline", "score"]].tolist() == [8.0, 8.0, 0.0]
    assert list(burst_scores(volume).columns) == ["topic_id", "label", "recent", "baseline", "score"]
    assert list(burst_scores(volume).index) == [0, 1]


def test_the_baseline_is_the_eight_periods_before_the_recent_ones():
    # week 1 (100 articles) is nine weeks back: outside the baseline; weeks 2-9 hold 1 each
    scores = burst_scores(weekly({"old": [100] + [1] * 8 + [5]}))
    assert scores.loc[0, ["recent", "baseline", "score"]].tolist() == [5.0, 1.0, 4 / 2**0.5]
    two = burst_scores(weekly({"old": [100] + [1] * 8 + [5]}), recent=2, baseline=3)
    assert two.loc[0, ["recent", "baseline"]].tolist() == [3.0, 1.0]  # weeks 9-10 against weeks 6-8


def test_a_topic_absent_from_a_week_others_have_counts_zero_there():
    volume = weekly({"busy": [4] * 9, "new": [0] * 8 + [6]})
    scores = burst_scores(volume).set_index("label")
    assert scores.loc["new", ["recent", "baseline", "score"]].tolist() == [6.0, 0.0, 6.0]
    assert list(burst_scores(volume)["label"]) == ["new", "busy"]


def test_a_single_period_has_no_baseline():
    scores = burst_scores(weekly({"only": [9]}))
    assert scores.loc[0, ["recent", "baseline", "score"]].tolist() == [9.0, 0.0, 9.0]


def test_equal_scores_put_the_larger_recent_volume_first():
    scores = burst_scores(weekly({"small": [1] * 9, "steady": [3] * 9}))
    assert list(scores["label"]) == ["steady", "small"] and list(scores["score"]) == [0.0, 0.0]
    assert list(scores.index) == [0, 1]  # numbered in the new order: row 0 is the top


def test_each_topic_keeps_its_label_and_rows_of_one_period_add_up():
    volume = weekly({"first": [1] * 9, "second": [2] * 8 + [8]})
    volume = pd.concat([volume[volume["label"] == "second"], volume[volume["label"] == "first"], volume.tail(1)])  # second topic first
    scores = burst_scores(volume).set_index("topic_id")
    assert scores.loc[1, "label"] == "first" and scores.loc[2, "label"] == "second"
    assert scores.loc[2, ["recent", "baseline"]].tolist() == [16.0, 2.0]  # the repeated last row adds 8 more


def test_daily_volume_fills_missing_days():
    days = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-01-04"]), "topic_id": [1, 1], "label": ["a", "a"], "articles": [2, 5]})
    scores = burst_scores(days, "day")
    assert scores.loc[0, ["recent", "baseline"]].tolist() == [5.0, 2 / 3]  # 1 and 2 and 3 January: 2, 0, 0


def test_burst_scores_of_nothing_have_the_columns_of_something():
    empty = burst_scores(pd.DataFrame(columns=["period", "topic_id", "label", "articles"]))
    assert list(empty.columns) == ["topic_id", "label", "recent", "baseline", "score"]


def test_few_periods_are_bars_many_are_stacked_areas():
    few = charts.topic_volume(weekly({"a": [1, 2, 3]}))
    assert {t.type for t in few.data} == {"bar"} and list(few.data[0].x) == ["2025-01-06", "2025-01-13", "2025-01-20"]
    assert few.layout.xaxis.type == "category"
    assert (few.layout.xaxis.title.text, few.layout.yaxis.title.text, few.layout.legend.title.text) == ("Week", "Articles", "Topic")
    assert charts.topic_volume(weekly({"a": [1, 2, 3]}), "day").layout.xaxis.title.text == "Day"
    many = charts.topic_volume(weekly({"a": [1, 2, 3, 4], "b": [4, 3, 2, 1]}))
    assert {t.type for t in many.data} == {"scatter"} and all(t.stackgroup for t in many.data)
    assert {t.name: list(t.y) for t in many.data} == {"a": [1, 2, 3, 4], "b": [4, 3, 2, 1]}
    assert len({t.line.color for t in many.data}) == 2  # each topic its own colour
    assert all(list(t.x) == list(pd.date_range("2025-01-06", periods=4, freq="W-MON")) for t in many.data)
    assert (many.layout.xaxis.title.text, many.layout.yaxis.title.text, many.layout.legend.title.text) == ("Week", "Articles", "Topic")


def test_timeline_bars_are_the_counts_per_period():
    frame = pd.DataFrame({"period": pd.to_datetime(["2025-01-06", "2025-01-13"]), "articles": [3, 7]})
    fig = charts.timeline(frame, "articles", "Articles")
    assert fig.data[0].type == "bar" and list(fig.data[0].y) == [3, 7]
    assert fig.layout.yaxis.title.text == "Articles"
    assert list(fig.data[0].x) == list(frame["period"]) and fig.layout.xaxis.title.text == ""  # dates speak for themselves
    assert charts.timeline(frame.iloc[0:0], "articles", "Articles").layout.annotations[0].text == "Nothing in this selection"


def test_ranking_bars_are_horizontal_and_coloured_by_type():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "articles": [5, 2, 1], "type": ["ORG", "GPE", "ORG"]})
    fig = charts.ranking(frame, "articles", "name", "type")
    assert {t.orientation for t in fig.data} == {"h"}
    assert {t.name: t.marker.color for t in fig.data} == {"ORG": charts.TYPE_COLOURS["ORG"], "GPE": charts.TYPE_COLOURS["GPE"]}
    org = next(t for t in fig.data if t.name == "ORG")
    assert list(org.x) == [1, 5] and list(org.y) == ["c", "a"]
    assert charts.ranking(frame.iloc[0:0], "articles", "name").layout.annotations[0].text == "Nothing in this selection"


def test_network_node_size_and_distance_follow_shared_articles():
    neighbours = pd.DataFrame({"name": ["Heavy", "Light"], "type": ["PERSON", "ORG"], "shared": [10, 1]})
    pairs = pd.DataFrame({"source": ["Heavy", "Light"], "target": ["Light", "Outside"], "shared": [1, 4]})
    fig = charts.network("Centre", neighbours, pairs)
    nodes = fig.data[1]
    assert list(nodes.text) == ["Centre", "Heavy", "Light"]  # "Outside" is not drawn: it is not a neighbour
    assert list(nodes.marker.size) == [40.0, 40.0, 12 + 28 / 10]  # 12 px plus 28 px times the share of the most shared
    assert list(nodes.marker.color) == ["#17202A", charts.TYPE_COLOURS["PERSON"], charts.TYPE_COLOURS["ORG"]]
    assert list(nodes.hovertext) == ["Centre: 10 shared articles", "Heavy: 10 shared articles", "Light: 1 shared articles"]
    pos = dict(zip(nodes.text, zip(nodes.x, nodes.y, strict=True), strict=True))
    edges = {frozenset(pos_name for pos_name, xy in pos.items() if xy in ((x1, y1), (x2, y2)))
             for x1, y1, x2, y2 in zip(fig.data[0].x[0::3], fig.data[0].y[0::3], fig.data[0].x[1::3], fig.data[0].y[1::3], strict=True)}
    assert edges == {frozenset(p) for p in (("Centre", "Heavy"), ("Centre", "Light"), ("Heavy", "Light"))}
    assert list(fig.data[0].x[2::3]) == [None] * 3
    # the layout pulls strongly linked names together: 10 shared articles sit closer than 1
    def distance(a, b):
        return ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5
    assert distance("Centre", "Heavy") < 0.6 * distance("Centre", "Light")
    assert charts.network("Centre", neighbours.iloc[0:0], pairs).layout.annotations[0].text == "This entity appears with no other entity"
    assert nodes.mode == "markers+text" and nodes.hoverinfo == "text"  # names written on the nodes, counts on hover
    again = charts.network("Centre", neighbours, pairs).data[1]
    assert (list(again.x), list(again.y)) == (list(nodes.x), list(nodes.y))  # the same network is drawn the same way each time
