"""Overview: volume of every topic over time, what is rising, who is in the news, what was said."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.nlp.bursts import BASELINE_PERIODS, MIN_RECENT, burst_scores, burst_window, new_label, new_since, new_topics, rising
from dashboard.store.queries import Filters
from dashboard.views import data, filters, widgets

TOP_SERIES = 6
RISING_SHOWN = 5


def render() -> None:
    f = filters.current()
    st.title("Newsdesk")
    counts = data.get("headline", f)
    cols = st.columns([1, 1, 1, 1.5])  # the dates' column wide enough for widgets.span's 14 characters
    cols[0].metric("Articles", f"{counts['articles']:,}")
    cols[1].metric("Sources", f"{counts['sources']:,}")
    cols[2].metric("Topics", f"{counts['topics']:,}")
    cols[3].metric("Dates", widgets.span(counts["first"], counts["last"]),
                   help=f"{widgets.when(counts['first'])} to {widgets.when(counts['last'])}" if counts["first"] else None)

    head, share = st.columns([7, 2])
    head.subheader("Topics over time")
    controls = st.columns([3, 4, 3, 4])
    grain = filters.grain_control(controls[0])
    top = filters.chart_control("top", controls[1])
    measure = "share" if filters.chart_control("measure", controls[2]) == "share" else "articles"
    style = filters.chart_control("chart", controls[3])
    with share:
        widgets.share("", f)
    series = volume_series(f, grain, top)
    volume_chart(f, series, grain, measure, style, key="volume")
    st.caption("Click a point to see that period's stories (or pick the box tool above the chart and drag over a longer "
               "period); click a legend entry to hide it, double-click to show it alone.")
    period_stories(f)

    left, right = st.columns(2)
    through = _through(f)
    with left:
        st.subheader("Rising topics")
        rising_topics(f, grain, through)
    with right:
        st.subheader("Rising entities")
        rising_entities(f, grain, through)

    left, right = st.columns(2)
    with left:
        st.subheader("Top entities")
        top_entities = data.get("top_entities", f, 12)
        st.plotly_chart(charts.ranking(top_entities, "articles", "name", "type"), key="entities")
    with right:
        new_things(f, counts["last"])

    st.subheader("Latest quotes")
    latest = data.get("quotes", f, (), None, 8, True)
    if latest.empty:
        st.caption("No quotes in this selection.")
    for row in latest.itertuples():
        who = row.speaker or "Unknown speaker"
        st.markdown(f"> {widgets.md_escape(row.text)}\n\n— **{widgets.md_escape(who)}**")
        widgets.article_entry(row.title, row.article_id, f, widgets.when(row.published))


def chart_span(f: Filters, whole: bool = False) -> tuple[date | None, date | None]:
    """The days a chart covers: the chosen dates within the data's; without dates, the data's whole span when
    `whole`, else None (the counts' own first and last period, so no count of the selection is needed)."""
    first, last = data.get("date_span")
    start = max(f.start, first) if f.start and first else (first if whole else None)
    end = min(f.end, last) if f.end and last else (last if whole else None)
    return start, end


def volume_series(f: Filters, grain: str, top: str) -> pd.DataFrame:
    """The zero-filled series the volume chart draws: the top topics (or all) and everything else, with shares."""
    volume = data.get("volume", f, grain)
    start, end = chart_span(f)
    if volume.empty or (start is not None and end is not None and start > end):
        return pd.DataFrame(columns=charts.SERIES_COLUMNS)
    filled = charts.fill_periods(charts.topic_series(volume), grain, start, end)
    chosen = charts.top_series(filled, None if top == "all" else TOP_SERIES, by=top)
    totals = data.get("period_counts", Filters(start=f.start, end=f.end, source=f.source), grain)
    return charts.with_share(chosen, totals)


def volume_chart(f: Filters, series: pd.DataFrame, grain: str, measure: str, style: str, key: str) -> None:
    """The chart (selectable: a point or a box filters to its period), its peaks' headlines, and its numbers as CSV."""
    marks = charts.peaks(series, measure, 3) if not series.empty else series
    if not marks.empty:
        marks = marks.merge(lead_headlines(f, marks, grain), on="key", how="inner")
    fig = charts.volume_chart(series, grain, style, measure, annotations=marks)
    st.plotly_chart(fig, key=key, on_select=lambda: _selected(key, grain), selection_mode=("points", "box"))
    widgets.download(charts.chart_table(series, grain), f"{key}-{grain}", "Download the chart's numbers (CSV)")


def lead_headlines(f: Filters, marks: pd.DataFrame, grain: str) -> pd.DataFrame:
    """key -> headline of the biggest story of each peak's topic in the peak's period (within the chosen dates)."""
    windows = []
    for mark in marks.itertuples():
        start, end = charts.period_start(mark.period, grain).date(), charts.period_end(mark.period, grain).date()
        windows.append((int(mark.key), max(start, f.start) if f.start else start, min(end, f.end) if f.end else end))
    found = data.get("stories_in_windows", f, "topic", windows, 1)
    found = found[found["headline"].notna()]
    return pd.DataFrame({"key": found["key"].astype(int).to_numpy(), "headline": found["headline"].to_numpy()})


def _selected(key: str, grain: str) -> None:
    """A point or box chosen on a chart: filter to the periods it covers (the From and To fields follow)."""
    event = st.session_state.get(key)
    selection = (event or {}).get("selection") or {}
    xs = [p["x"] for p in selection.get("points", []) if p.get("x") is not None]
    chosen = charts.selected_period(xs or [x for box in selection.get("box", []) for x in box.get("x", [])], grain)
    if chosen:
        filters.set_period(*chosen)


def period_stories(f: Filters) -> None:
    """With dates chosen (by a chart, a preset or the fields): that period's biggest stories and its articles."""
    if not (f.start or f.end):
        return
    label = f"{f.start or '…'} to {f.end or '…'}"
    head, back = st.columns([7, 2])
    head.subheader(f"Stories of {label}")
    back.button("All dates", key="period-clear", on_click=filters.set_period, args=(None, None), icon=":material/close:")
    found = data.get("stories", f, 6)
    if found.empty:
        st.caption("No stories in this period.")
    for item in found.itertuples():
        widgets.story_entry(item, f)
    listing = data.get("articles", f, 10, 0)
    if not listing.empty:
        st.markdown("**Articles of the period, newest first**")
        with st.container(key="period-articles"):
            for a in listing.itertuples():
                widgets.article_entry(a.title, a.id, f, f"{widgets.when(a.published)} · {widgets.md_escape(a.source)}")


def _through(f: Filters) -> date | None:
    """The last day bursts are measured to: the selection's end, else the data's last day."""
    _, last = data.get("date_span")
    if last is None:
        return None
    return min(f.end, last) if f.end else last


def _burst_span(grain: str, through: date) -> tuple[date, date, date]:
    """First day of the baseline, first and last day of the burst (the latest complete periods)."""
    start, end = burst_window(through, grain)
    before = pd.date_range(end=start, periods=BASELINE_PERIODS + 1, freq=charts.GRAINS[grain])[0]
    return before.date(), start.date(), end.date()


def _burst_line(label: str, row, grain: str, headlines: pd.DataFrame, f: Filters, page: str, target: Filters) -> None:
    """A rising topic or entity, linking to its page (`target`: the selection there), with its burst's top stories."""
    widgets.page_entry(page, label, target, f"{row.recent:.0f} articles last {grain} against {row.baseline:.1f} usually · "
                       f"burst {row.score:.1f}", icon=":material/trending_up:")
    for item in headlines.itertuples():
        widgets.story_entry(item, f)


def rising_topics(f: Filters, grain: str, through: date | None) -> None:
    """Topics whose latest complete period stands above their usual, each with the top stories of its burst."""
    if through is None:
        st.caption("No dated articles in this selection.")
        return
    before, start, end = _burst_span(grain, through)
    if f.start is None or f.start <= before:  # the chart's counts (cached) already hold the window: no second scan
        volume = data.get("volume", f, grain)
        volume = volume[(volume["period"] >= pd.Timestamp(before)) & (volume["period"] <= pd.Timestamp(end))]
    else:
        volume = data.get("volume", replace(f, start=before, end=end), grain)
    found = rising(burst_scores(volume, grain, through=through)).head(RISING_SHOWN)
    st.caption(f"The {grain} of {start} to {end} (the latest complete one) against the {BASELINE_PERIODS} before; "
               f"at least {MIN_RECENT} articles.")
    if found.empty:
        st.caption("No topic is rising in this selection.")
    headlines = data.get("stories_in_windows", f, "topic", [(int(t), start, end) for t in found["topic_id"]], 2)
    for row in found.itertuples():
        _burst_line(row.label, row, grain, headlines[headlines["key"] == int(row.topic_id)], f, "topics", Filters(topics=(int(row.topic_id),)))


def rising_entities(f: Filters, grain: str, through: date | None) -> None:
    """Entities in more articles than usual in the latest complete period, each with the top stories of its burst."""
    if through is None:
        st.caption("No dated articles in this selection.")
        return
    before, start, end = _burst_span(grain, through)
    volume = data.get("entity_volume", replace(f, start=None, end=None), grain, before, start, end, MIN_RECENT, 40)
    found = rising(burst_scores(volume, grain, through=through, key="entity_id")).head(RISING_SHOWN)
    if found.empty:
        st.caption("No entity is rising in this selection.")
    headlines = data.get("stories_in_windows", f, "entity", [(str(name), start, end) for name in found["label"]], 2)
    for row in found.itertuples():
        name = str(row.label)
        _burst_line(name, row, grain, headlines[headlines["key"] == name], f, "entities", Filters(entities=(name,)))


def new_things(f: Filters, last_day) -> None:
    """Topics born lately and new stories."""
    st.subheader("New topics and stories")
    born = new_topics(data.get("topics"), last_day)
    for topic in born.head(5).itertuples():
        widgets.page_entry("topics", topic.label, Filters(topics=(int(topic.id),)), f"{new_label(topic.born)} · {topic.size} articles",
                           icon=":material/fiber_new:")
    since = new_since(last_day)
    fresh = data.get("stories", f, 5, 3, since.date() if since is not None else None)
    if not fresh.empty:
        st.markdown(":blue-badge[new stories]")
    for item in fresh.itertuples():
        widgets.story_entry(item, f)
    if born.empty and fresh.empty:
        st.caption("Nothing new in the last two weeks of this selection.")
