"""Compare: up to five series (searches, entities, topics, sources, in any mix) on one chart.

The series live in the link as repeated `series=kind:value` parameters (`series=q:bagdad`,
`series=entity:Saddam Hussein`, `series=topic:3`, `series=source:BBC`), so a comparison is
shared by copying its link, as in Google Trends. The sidebar's dates apply to every series;
its other filters do not (a series is its own filter).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.store.queries import Filters
from dashboard.views import data, filters, widgets
from dashboard.views.overview import chart_span

KIND_HELP = {"q": "Words in the title or text, as in the sidebar's search", "entity": "A person, organisation or place",
             "topic": "A topic", "source": "A source"}


def _criterion(kind: str, value: str, f: Filters) -> Filters:
    """The articles a series counts: the sidebar's dates narrowed by the series' own filter."""
    base = Filters(start=f.start, end=f.end)
    return {"q": lambda: replace(base, q=value), "entity": lambda: replace(base, entities=(value,)),
            "topic": lambda: replace(base, topics=(int(value),)), "source": lambda: replace(base, source=value)}[kind]()


def _label(kind: str, value: str, topic_labels: dict[int, str]) -> str:
    if kind == "q":
        return f"“{value}”"
    if kind == "topic":
        return f"{topic_labels.get(int(value), value)} (topic {value})"
    if kind == "source":
        return f"{value} (source)"
    return value


def _problem(kind: str, value: str, topic_labels: dict[int, str], sources: list[str]) -> str | None:
    """Why a series from a link cannot be drawn (an unknown topic, entity or source), or None."""
    if kind == "topic" and int(value) not in topic_labels:
        return f"Unknown topic “{value}”."
    if kind == "source" and value not in sources:
        return f"Unknown source “{value[:40]}”."
    if kind == "entity" and data.get("entities_named", [value]).empty:
        return f"Unknown entity “{value[:40]}”."
    return None


def _add() -> None:
    kind = st.session_state.get("series-kind") or "q"
    value = st.session_state.get(f"series-value-{kind}")
    value = str(value).strip() if value is not None else ""
    chosen = list(st.session_state.get("series") or [])
    entry = f"{kind}:{value}"
    if value and filters.parse_series(entry) and entry not in chosen and len(chosen) < filters.MAX_SERIES:
        st.session_state["series"] = [*chosen, entry]


def _remove(entry: str) -> None:
    st.session_state["series"] = [s for s in st.session_state.get("series") or [] if s != entry]


def _adder(count: int, topic_labels: dict[int, str], sources: list[str]) -> None:
    """Choose a kind, then a value: Enter or Add puts it on the chart."""
    kind = st.segmented_control("Kind", list(filters.SERIES_KINDS), format_func=filters.SERIES_KINDS.get, default="q",
                                key="series-kind", required=True) or "q"
    full = count >= filters.MAX_SERIES
    with st.form("add-series", clear_on_submit=True, border=False):
        left, right = st.columns([5, 1], vertical_alignment="bottom")
        key = f"series-value-{kind}"
        if kind == "q":
            left.text_input("Search", key=key, placeholder="Words in title or text, then Enter", max_chars=filters.MAX_QUERY,
                            help=KIND_HELP[kind])
        elif kind == "entity":
            names = data.get("entity_choices")["name"].tolist()
            left.selectbox("Entity", names, index=None, key=key, placeholder="Type a name", help=KIND_HELP[kind])
        elif kind == "topic":
            left.selectbox("Topic", [str(t) for t in topic_labels], index=None, key=key, placeholder="Choose a topic",
                           format_func=lambda t: topic_labels[int(t)])
        else:
            left.selectbox("Source", sources, index=None, key=key, placeholder="Choose a source")
        right.form_submit_button("Add", on_click=_add, disabled=full, icon=":material/add:")
    if full:
        st.caption(f"{filters.MAX_SERIES} series at most: remove one to add another.")


def render() -> None:
    f = filters.current()
    chosen = filters.series_from_url()
    topics = data.get("topics")
    topic_labels = {int(t.id): t.label for t in topics.itertuples()}
    sources = data.get("sources")
    head, share = st.columns([7, 2])
    head.title("Compare")
    for note in st.session_state.get("series-notices", []):
        st.warning(note, icon=":material/link_off:")
    st.caption(f"Up to {filters.MAX_SERIES} searches, entities, topics or sources on one chart. The sidebar's dates apply "
               "to every series; its other filters do not.")
    _adder(len(chosen), topic_labels, sources)
    drawable: list[tuple[str, str, str]] = []
    chips = st.columns(max(1, len(chosen)))
    for i, entry in enumerate(chosen):
        kind, value = filters.parse_series(entry)
        problem = _problem(kind, value, topic_labels, sources)
        label = _label(kind, value, topic_labels)
        chips[i].button(f"{filters.SERIES_KINDS[kind]}: {label}", key=f"remove-{i}", on_click=_remove, args=(entry,),
                        icon=":material/close:", help="Remove this series")
        if problem:
            st.warning(problem + " Not drawn.", icon=":material/link_off:")
        else:
            drawable.append((entry, kind, value))
    filters.publish_series()
    with share:
        widgets.share("compare", f)
    if not drawable:
        st.info("Add a series to start, or open a link with `series=` parameters, e.g. "
                "`compare?series=q:oil&series=entity:Saddam Hussein`.", icon=":material/compare_arrows:")
        return
    controls = st.columns([2, 2, 3])
    grain = filters.grain_control(controls[0])
    measure = "share" if filters.chart_control("measure", controls[1]) == "share" else "articles"
    style = filters.chart_control("style", controls[2])
    series = comparison(f, drawable, grain, topic_labels)
    colours = {entry: charts.SERIES_COLOURS[i] for i, (entry, _, _) in enumerate(drawable)}
    fig = charts.volume_chart(series, grain, style, measure, colours=colours)
    st.plotly_chart(fig, key="compare-chart")
    totals = series.groupby("key", sort=False).agg(series=("label", "first"), articles=("articles", "sum")).reset_index(drop=True)
    st.dataframe(totals, hide_index=True, column_config={"series": "Series", "articles": st.column_config.NumberColumn("Articles")})
    widgets.download(charts.chart_table(series, grain), f"compare-{grain}", "Download the chart's numbers (CSV)")


def comparison(f: Filters, drawable: list[tuple[str, str, str]], grain: str, topic_labels: dict[int, str]) -> pd.DataFrame:
    """The series' counts per period, zero-filled over one common span, in the order they were added, with shares."""
    frames = []
    for entry, kind, value in drawable:
        counts = data.get("period_counts", _criterion(kind, value, f), grain)
        frames.append(counts.assign(key=entry, label=_label(kind, value, topic_labels)))
    found = pd.concat(frames, ignore_index=True)
    headline = data.get("headline", Filters(start=f.start, end=f.end))
    start, end = chart_span(f, headline)
    if start is None or end is None or start > end:
        return pd.DataFrame(columns=[*charts.SERIES_COLUMNS, "share"])
    # a series with no article still gets its line of zeros
    missing = [(entry, _label(kind, value, topic_labels)) for entry, kind, value in drawable if entry not in set(found["key"])]
    if missing:
        zeros = pd.DataFrame({"key": [m[0] for m in missing], "label": [m[1] for m in missing],
                              "period": pd.Timestamp(start), "articles": 0})
        found = pd.concat([found, zeros], ignore_index=True)
    order = {entry: i for i, (entry, _, _) in enumerate(drawable)}
    found = found.sort_values("key", key=lambda keys: keys.map(order), kind="stable")
    filled = charts.fill_periods(found[charts.SERIES_COLUMNS], grain, start, end)
    totals = data.get("period_counts", Filters(start=f.start, end=f.end), grain)
    return charts.with_share(filled, totals)
