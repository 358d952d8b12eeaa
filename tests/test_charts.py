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


# --- the volume chart: zero-filled, fixed colours, top series, shares, peaks, date axis ---------

def series_rows(rows: list[tuple[int, str, str, int]]) -> pd.DataFrame:
    """(key, label, day, articles) rows as a series frame."""
    return pd.DataFrame([{"key": k, "label": label, "period": pd.Timestamp(day), "articles": n} for k, label, day, n in rows])


def test_every_week_between_the_first_and_last_is_drawn_zero_when_empty():
    # topic 7 has 2 articles in the week of 6 Jan and 3 in the week of 3 Feb: the three weeks between hold none
    frame = series_rows([(7, "quiet", "2025-01-06", 2), (7, "quiet", "2025-02-03", 3), (8, "busy", "2025-01-13", 5)])
    filled = charts.fill_periods(frame, "week")
    mondays = [pd.Timestamp("2025-01-06") + pd.Timedelta(days=7 * i) for i in range(5)]
    quiet = filled[filled["key"] == 7]
    assert list(quiet["period"]) == mondays
    assert list(quiet["articles"]) == [2, 0, 0, 0, 3]
    busy = filled[filled["key"] == 8]
    assert list(busy["articles"]) == [0, 5, 0, 0, 0] and set(busy["label"]) == {"busy"}
    assert list(filled.columns) == ["key", "label", "period", "articles"] and filled["articles"].dtype.kind == "i"


def test_filling_reaches_the_chosen_dates_and_starts_periods_on_their_first_day():
    frame = series_rows([(1, "a", "2025-03-05", 4)])  # a Wednesday
    filled = charts.fill_periods(frame, "day", start="2025-03-03", end="2025-03-07")
    assert list(filled["articles"]) == [0, 0, 4, 0, 0]
    weeks = charts.fill_periods(frame, "week", start="2025-02-26", end="2025-03-12")  # Wednesdays: their Mondays are 24 Feb and 10 Mar
    assert [p.date().isoformat() for p in weeks["period"]] == ["2025-02-24", "2025-03-03", "2025-03-10"]
    assert list(weeks["articles"]) == [0, 4, 0]
    months = charts.fill_periods(series_rows([(1, "a", "2025-01-01", 1), (1, "a", "2025-04-01", 2)]), "month")
    assert [p.month for p in months["period"]] == [1, 2, 3, 4] and list(months["articles"]) == [1, 0, 0, 2]
    assert charts.fill_periods(frame.iloc[0:0], "week").empty


def test_periods_start_and_end_on_their_calendar_days():
    assert charts.period_start("2025-03-05", "week") == pd.Timestamp("2025-03-03")
    assert charts.period_end("2025-03-05", "week") == pd.Timestamp("2025-03-09")
    assert charts.period_start("2024-02-17", "month") == pd.Timestamp("2024-02-01")
    assert charts.period_end("2024-02-17", "month") == pd.Timestamp("2024-02-29")  # a leap year
    assert charts.period_start("2025-03-05 13:00", "day") == charts.period_end("2025-03-05", "day") == pd.Timestamp("2025-03-05")


def test_each_topic_has_one_colour_whatever_the_view():
    colours = [charts.topic_colour(i) for i in range(1, 13)]
    assert len(set(colours)) == 12  # the twelve biggest topics of a fit never share a colour
    assert all(len(c) == 7 and c.startswith("#") and int(c[1:], 16) >= 0 for c in colours)
    assert charts.topic_colour(5) == charts.topic_colour(5)
    assert charts.topic_colour(charts.OTHER_KEY) == charts.OTHER_COLOUR
    week = charts.volume_chart(charts.fill_periods(series_rows([(5, "e", "2025-01-06", 1), (9, "i", "2025-02-03", 2)]), "week"), "week")
    day = charts.volume_chart(charts.fill_periods(series_rows([(9, "i", "2025-02-03", 2), (5, "e", "2025-02-04", 1)]), "day"), "day")
    assert {t.name: t.line.color for t in week.data} == {t.name: t.line.color for t in day.data} == {
        "e": charts.topic_colour(5), "i": charts.topic_colour(9)}


def test_the_top_series_are_drawn_and_the_rest_summed_as_everything_else():
    weeks = ["2025-01-06", "2025-01-13"]
    sizes = {1: (10, 10), 2: (1, 0), 3: (6, 6), 4: (0, 2), 5: (3, 1)}  # totals 20, 1, 12, 2, 4
    frame = series_rows([(k, f"t{k}", w, n) for k, counts in sizes.items() for w, n in zip(weeks, counts, strict=True)])
    top = charts.top_series(frame, 2)
    assert list(dict.fromkeys(top["key"])) == [1, 3, charts.OTHER_KEY]  # biggest first, everything else last
    other = top[top["key"] == charts.OTHER_KEY]
    assert list(other["articles"]) == [1 + 0 + 3, 0 + 2 + 1] and set(other["label"]) == {charts.OTHER_LABEL}
    assert top["articles"].sum() == frame["articles"].sum()  # nothing lost, nothing counted twice
    assert set(charts.top_series(frame, None)["key"]) == {1, 2, 3, 4, 5}  # all topics on demand
    assert charts.OTHER_KEY not in set(charts.top_series(frame, 5)["key"])  # nothing left over: no "everything else"


def test_top_by_change_prefers_a_burst_to_a_steady_giant():
    weeks = [f"2025-01-{d:02d}" for d in (6, 13, 20, 27)]
    frame = series_rows([(1, "steady", w, 30) for w in weeks] + [(2, "burst", w, n) for w, n in zip(weeks, (0, 0, 12, 0), strict=True)]
                        + [(3, "flat", w, 2) for w in weeks])
    assert list(dict.fromkeys(charts.top_series(frame, 1, by="volume")["key"])) == [1, charts.OTHER_KEY]
    assert list(dict.fromkeys(charts.top_series(frame, 1, by="change")["key"])) == [2, charts.OTHER_KEY]
    # the burst: mean 3, peak 12: (12 - 3) / sqrt(4) = 4.5; a constant series has no change
    assert charts.peak_change(pd.Series([0, 0, 12, 0])) == 4.5 and charts.peak_change(pd.Series([30] * 4)) == 0


def test_a_share_is_the_count_over_all_articles_of_its_period():
    frame = series_rows([(1, "a", "2025-01-06", 3), (1, "a", "2025-01-13", 0), (1, "a", "2025-01-20", 2)])
    totals = pd.DataFrame({"period": pd.to_datetime(["2025-01-06", "2025-01-20"]), "articles": [12, 8]})
    assert list(charts.with_share(frame, totals)["share"]) == [3 / 12, 0.0, 2 / 8]  # a period with no article at all is 0, not NaN


def test_peaks_are_the_highest_period_of_different_series():
    frame = series_rows([(1, "a", "2025-01-06", 3), (1, "a", "2025-01-13", 9), (2, "b", "2025-01-06", 5), (3, "c", "2025-01-06", 1),
                         (charts.OTHER_KEY, charts.OTHER_LABEL, "2025-01-06", 50), (4, "d", "2025-01-06", 0)])
    found = charts.peaks(frame, "articles", 2)
    assert list(zip(found["key"], found["period"].dt.date.astype(str), found["articles"], strict=True)) == [
        (1, "2025-01-13", 9), (2, "2025-01-06", 5)]
    assert len(charts.peaks(frame, "articles", 10)) == 3  # "everything else" and an empty series have no peak


def test_peaks_carry_their_lead_headline_on_the_chart():
    frame = charts.fill_periods(series_rows([(1, "a", "2025-01-06", 3), (1, "a", "2025-01-20", 9)]), "week")
    marks = charts.peaks(frame).assign(headline=["A very long headline " * 5])
    fig = charts.volume_chart(frame, "week", annotations=marks)
    (note,) = fig.layout.annotations
    assert note.text == ("A very long headline " * 5)[:57] + "…" and note.y == 9 and pd.Timestamp(note.x) == pd.Timestamp("2025-01-20")


def test_the_chart_numbers_download_with_each_period_span():
    frame = series_rows([(1, "a", "2025-01-06", 3), (1, "a", "2025-02-03", 4)])
    totals = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]), "articles": [6, 16]})
    table = charts.chart_table(charts.with_share(charts.fill_periods(frame, "month"), totals), "month")
    assert list(table.columns) == ["series", "period_start", "period_end", "articles", "share"]
    assert [(str(r.period_start), str(r.period_end), r.articles, r.share) for r in table.itertuples()] == [
        ("2025-01-01", "2025-01-31", 3, 0.5), ("2025-02-01", "2025-02-28", 4, 0.25)]


def test_the_date_axis_ticks_whole_periods_on_short_spans_and_never_shows_a_time():
    week_of_days = charts.fill_periods(series_rows([(1, "a", "2025-03-03", 1), (1, "a", "2025-03-09", 2)]), "day")
    axis = charts.volume_chart(week_of_days, "day").layout.xaxis
    assert axis.dtick == 86_400_000 and pd.Timestamp(axis.tick0) == pd.Timestamp("2025-03-03")  # one tick a day
    assert [pd.Timestamp(x) for x in axis.range] == [pd.Timestamp("2025-03-02 12:00"), pd.Timestamp("2025-03-09 12:00")]
    assert all("%H" not in stop.value and "%S" not in stop.value and "%L" not in stop.value for stop in axis.tickformatstops)
    assert axis.hoverformat == "%d %b %Y"
    years = charts.fill_periods(series_rows([(1, "a", "2015-01-05", 1), (1, "a", "2025-01-06", 2)]), "week")
    long_axis = charts.volume_chart(years, "week").layout.xaxis
    assert long_axis.dtick is None and long_axis.type == "date"  # plotly spaces ticks; the stops pick "%Y" for yearly ones
    assert [s.value for s in long_axis.tickformatstops] == ["%d %b %Y", "%b %Y", "%Y"]
    assert charts.volume_chart(charts.fill_periods(series_rows([(1, "a", "2025-01-01", 1), (1, "a", "2025-03-01", 1)]), "month"),
                               "month").layout.xaxis.dtick == "M1"


def test_lines_stacks_and_small_multiples_draw_the_same_numbers():
    frame = charts.fill_periods(series_rows([(1, "a", "2025-01-06", 3), (2, "b", "2025-01-13", 4)]), "week")
    lines = charts.volume_chart(frame, "week", "lines")
    assert [(t.name, list(t.y)) for t in lines.data] == [("a", [3, 0]), ("b", [0, 4])]
    assert all(not t.stackgroup for t in lines.data) and lines.layout.yaxis.title.text == "Articles"
    stacked = charts.volume_chart(frame, "week", "stacked")
    assert {t.stackgroup for t in stacked.data} == {"one"} and [list(t.y) for t in stacked.data] == [[3, 0], [0, 4]]
    multiples = charts.volume_chart(frame, "week", "multiples")
    assert [(t.xaxis, t.yaxis, list(t.y)) for t in multiples.data] == [("x", "y", [3, 0]), ("x2", "y2", [0, 4])]
    assert [a.text for a in multiples.layout.annotations] == ["a", "b"]  # each panel named
    totals = pd.DataFrame({"period": pd.to_datetime(["2025-01-06", "2025-01-13"]), "articles": [6, 8]})
    shares = charts.volume_chart(charts.with_share(frame, totals), "week", value="share")
    assert [list(t.y) for t in shares.data] == [[0.5, 0.0], [0.0, 0.5]] and shares.layout.yaxis.tickformat == ".0%"
    assert lines.layout.dragmode == "zoom" and lines.layout.hovermode == "closest"  # a click picks one point: its period
    assert charts.volume_chart(frame.iloc[0:0], "week").layout.annotations[0].text == "No dated articles in this selection"


def test_a_comparison_uses_the_colours_it_is_given():
    frame = charts.fill_periods(series_rows([("q:oil", "“oil”", "2025-01-06", 3), ("entity:X", "X", "2025-01-06", 1)]), "week")
    fig = charts.volume_chart(frame, "week", colours={"q:oil": charts.SERIES_COLOURS[0], "entity:X": charts.SERIES_COLOURS[1]})
    assert [(t.name, t.line.color) for t in fig.data] == [("“oil”", charts.SERIES_COLOURS[0]), ("X", charts.SERIES_COLOURS[1])]


def test_tags_in_a_headline_or_label_are_shown_not_rendered():
    frame = charts.fill_periods(series_rows([(1, "<b>bold</b> & co", "2025-01-06", 3)]), "week")
    marks = charts.peaks(frame).assign(headline=["<a href='https://evil.example'>click</a>"])
    fig = charts.volume_chart(frame, "week", annotations=marks)
    assert fig.data[0].name == "&lt;b&gt;bold&lt;/b&gt; &amp; co"
    assert fig.layout.annotations[0].text == "&lt;a href='https://evil.example'&gt;click&lt;/a&gt;"


def test_a_selection_covers_the_whole_periods_it_touches():
    from datetime import date
    assert charts.selected_period(["2024-01-15"], "week") == (date(2024, 1, 15), date(2024, 1, 21))
    assert charts.selected_period(["2024-01-22", "2024-01-08"], "week") == (date(2024, 1, 8), date(2024, 1, 28))
    # a box from a Wednesday afternoon to a Tuesday: the weeks of both edges, whole
    assert charts.selected_period(["2024-01-17 15:30:12.25", "2024-01-23 02:00"], "week") == (date(2024, 1, 15), date(2024, 1, 28))
    assert charts.selected_period([1_705_276_800_000], "day") == (date(2024, 1, 15), date(2024, 1, 15))  # milliseconds
    assert charts.selected_period(["2024-02-10"], "month") == (date(2024, 2, 1), date(2024, 2, 29))
    assert charts.selected_period([], "week") is None and charts.selected_period(["not a date", None], "week") is None


def test_a_volume_query_becomes_series_keyed_by_topic():
    volume = pd.DataFrame({"period": pd.to_datetime(["2025-01-06", "2025-01-13"]), "topic_id": [4, 4], "label": ["oil", "oil"],
                           "articles": [2, 5], "extra": [0, 0]})
    series = charts.topic_series(volume)
    assert list(series.columns) == charts.SERIES_COLUMNS == ["key", "label", "period", "articles"]
    assert list(series["key"]) == [4, 4] and list(series["articles"]) == [2, 5]
    assert list(charts.topic_series(volume.iloc[0:0]).columns) == charts.SERIES_COLUMNS


def test_six_series_are_drawn_by_default_and_the_rows_are_numbered_in_order():
    frame = series_rows([(k, f"t{k}", "2025-01-06", 10 - k) for k in range(1, 9)])  # 8 series, sizes 9 down to 2
    top = charts.top_series(frame)
    assert list(top["key"]) == [1, 2, 3, 4, 5, 6, charts.OTHER_KEY] and list(top["articles"])[-1] == 3 + 2
    assert list(top.index) == list(range(7))
    assert charts.peak_change(pd.Series([], dtype=float)) == 0.0  # no periods: no change, not a peak


def test_a_value_that_is_no_date_is_skipped_not_the_end_of_the_selection():
    from datetime import date
    assert charts.selected_period(["not a date", None, "2024-01-17"], "week") == (date(2024, 1, 15), date(2024, 1, 21))


def test_the_chart_table_of_nothing_has_its_columns_and_shares_keep_six_decimals():
    assert list(charts.chart_table(pd.DataFrame(columns=charts.SERIES_COLUMNS), "week").columns) == [
        "series", "period_start", "period_end", "articles"]
    frame = series_rows([(1, "a", "2025-01-06", 1)])
    totals = pd.DataFrame({"period": pd.to_datetime(["2025-01-06"]), "articles": [3]})
    assert list(charts.chart_table(charts.with_share(frame, totals), "week")["share"]) == [0.333333]


def test_network_labels_sit_above_upper_nodes_below_lower_ones_and_fit():
    neighbours = pd.DataFrame({"name": ["A" * 18, "B" * 19, "Cee", "Dee"], "type": ["ORG", "PERSON", "EVENT", "GPE"],
                               "shared": [4, 3, 2, 1]})
    fig = charts.network("Centre", neighbours, pd.DataFrame(columns=["source", "target", "shared"]))
    nodes = fig.data[1]
    assert list(nodes.textposition) == ["bottom center" if y < 0 else "top center" for y in nodes.y]
    assert {"bottom center", "top center"} == set(nodes.textposition)  # both halves hold a node
    assert list(nodes.text) == ["Centre", "A" * 18, "B" * 17 + "…", "Cee", "Dee"]  # 18 characters fit, 19 do not
    legend = [t.name for t in fig.data[2:]]
    assert legend == ["This entity", "Organisation", "Person", "EVENT", "Place"]  # a type with no name of its own shows as itself


def test_the_ranking_keeps_its_rows_numbered_when_it_reorders_them():
    frame = series_rows([(1, "small", "2025-01-06", 2), (1, "small", "2025-01-13", 1), (2, "big", "2025-01-06", 9),
                         (2, "big", "2025-01-13", 8), (3, "least", "2025-01-06", 1)])
    top = charts.top_series(frame, 2)
    assert list(top["key"]) == [2, 2, 1, 1, charts.OTHER_KEY] and list(top.index) == [0, 1, 2, 3, 4]


def test_peaks_of_nothing_have_the_columns_of_peaks():
    nothing = series_rows([(charts.OTHER_KEY, charts.OTHER_LABEL, "2025-01-06", 5), (1, "a", "2025-01-06", 0)])
    assert list(charts.peaks(nothing).columns) == ["key", "label", "period", "articles"]
    assert list(charts.peaks(nothing.assign(share=0.0), "share").columns) == ["key", "label", "period", "share"]


def test_a_period_of_one_article_is_a_share_of_one():
    frame = series_rows([(1, "a", "2025-01-06", 1)])
    totals = pd.DataFrame({"period": pd.to_datetime(["2025-01-06"]), "articles": [1]})
    assert list(charts.with_share(frame, totals)["share"]) == [1.0]


def test_consecutive_topic_ids_step_the_hue_by_the_golden_angle_over_three_lightnesses():
    import colorsys

    def hls(colour: str) -> tuple[float, float, float]:
        return colorsys.rgb_to_hls(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))

    for topic_id in (1, 2, 3, 100, 101):
        hue, lightness, _ = hls(charts.topic_colour(topic_id))
        assert abs(hue - topic_id * 137.50776405 % 360 / 360) < 0.004, topic_id  # 8-bit channels: a third of a degree
        assert abs(lightness - (0.38, 0.50, 0.30)[topic_id % 3]) < 0.004, topic_id


def test_hover_text_says_counts_or_shares_and_the_default_grain_is_the_week():
    frame = charts.fill_periods(series_rows([(1, "a", "2025-01-06", 3), (1, "a", "2025-01-13", 1)]), "week")
    assert charts.volume_chart(frame).data[0].hovertemplate == "%{fullData.name}<br>week of %{x|%d %b %Y}: %{y:,} articles<extra></extra>"
    totals = pd.DataFrame({"period": pd.to_datetime(["2025-01-06", "2025-01-13"]), "articles": [6, 4]})
    shares = charts.volume_chart(charts.with_share(frame, totals), "month", value="share")
    assert shares.data[0].hovertemplate == "%{fullData.name}<br>%{x|%b %Y}: %{y:.1%} of all articles<extra></extra>"


def test_markers_show_up_to_fourteen_periods():
    for days, mode in ((14, "lines+markers"), (15, "lines")):
        frame = charts.fill_periods(series_rows([(1, "a", "2025-01-01", 1), (1, "a", f"2025-01-{days:02d}", 1)]), "day")
        assert charts.volume_chart(frame, "day").data[0].mode == mode, days


def test_small_multiples_have_a_panel_each_their_height_and_their_peaks_in_their_panel():
    frame = charts.fill_periods(series_rows([(1, "a", "2025-01-06", 3), (2, "b", "2025-01-13", 4), (3, "c", "2025-01-13", 1)]), "week")
    marks = charts.peaks(frame, count=2).assign(headline=["B peaks", "A peaks"])  # b (4) first, then a (3)
    fig = charts.volume_chart(frame, "week", "multiples", annotations=marks)
    assert all(t.showlegend is False for t in fig.data)  # each panel is named instead
    assert fig.layout.height == 110 * 3 + 60  # three panels: 390 (at least 380)
    assert charts.volume_chart(frame, "week", "lines").layout.height == 400
    peaks = {a.text: (a.xref, a.yref, a.y) for a in fig.layout.annotations if a.showarrow}
    assert peaks == {"B peaks": ("x2", "y2", 4), "A peaks": ("x", "y", 3)}


def test_a_peak_on_stacked_areas_sits_on_top_of_the_series_below_it():
    frame = charts.fill_periods(series_rows([(1, "a", "2025-01-06", 3), (1, "a", "2025-01-13", 2), (2, "b", "2025-01-13", 5)]), "week")
    marks = charts.peaks(frame, count=1).assign(headline=["B peaks"])  # b's 5 in the week of 13 Jan, stacked on a's 2
    (note,) = charts.volume_chart(frame, "week", "stacked", annotations=marks).layout.annotations
    assert note.y == 2 + 5
