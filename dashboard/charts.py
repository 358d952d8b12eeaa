"""Charts: pure functions from DataFrames to Plotly figures (no Streamlit, no SQL).

Volume over time goes through one honest path: counts per period are zero-filled (a week
with no article is drawn at zero, never bridged), the busiest few series are drawn and the
rest summed as "Everything else", each topic keeps one colour everywhere (derived from its
id), counts can be shown as a share of all articles of the period, the date axis never
ticks below a day, and the highest peaks carry their lead headline.
"""

from __future__ import annotations

import colorsys
import html
import math
from datetime import date

import networkx as nx
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.nlp.bursts import FREQUENCIES
from dashboard.nlp.bursts import period_of as period_start  # one rule for where a period begins

TYPE_COLOURS = {"PERSON": "#C0392B", "ORG": "#2471A3", "GPE": "#1E8449", "LOC": "#7D6608"}
_LAYOUT = {"margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "legend": {"orientation": "h", "y": -0.2}}

GRAINS = FREQUENCIES  # pandas frequencies of the periods, as the burst rules count them
OTHER_KEY, OTHER_LABEL, OTHER_COLOUR = -1, "Everything else", "#99A3A4"
# Series of a comparison, in order (after Google Trends: blue, red, amber, green, purple).
SERIES_COLOURS = ("#1F77B4", "#D62728", "#E69F00", "#2CA02C", "#9467BD")
STYLES = ("lines", "stacked", "multiples")
SERIES_COLUMNS = ["key", "label", "period", "articles"]
_DAY_MS = 86_400_000
_GOLDEN_ANGLE = 137.50776405  # degrees: consecutive ids land far apart on the colour wheel


def empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig.update_layout(height=260, **_LAYOUT)


# --- periods ---------------------------------------------------------------------------------

def period_end(period: object, grain: str) -> pd.Timestamp:
    """The last day of the period that starts (or lies) at `period`."""
    start = period_start(period, grain)
    if grain == "week":
        return start + pd.Timedelta(days=6)
    if grain == "month":
        return start + pd.offsets.MonthEnd(0)
    return start


def fill_periods(frame: pd.DataFrame, grain: str, start: object = None, end: object = None) -> pd.DataFrame:
    """Every series of `frame` (key, label, period, articles) on every period from `start` to `end`, zeros where it had none.

    Without bounds the span is the frame's first to last period. A series absent from the whole
    span still gets its row of zeros only if it is in the frame.
    """
    if frame.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    periods = _starts(pd.to_datetime(frame["period"]), grain)
    first = period_start(start if start is not None else periods.min(), grain)
    last = period_start(end if end is not None else periods.max(), grain)
    grid = pd.date_range(first, last, freq=GRAINS[grain])
    labels = frame.drop_duplicates("key").set_index("key")["label"]
    counts = (frame.assign(period=periods).groupby(["key", "period"])["articles"].sum())
    index = pd.MultiIndex.from_product([labels.index, grid], names=["key", "period"])
    filled = counts.reindex(index, fill_value=0).reset_index()
    filled["label"] = filled["key"].map(labels)
    filled["articles"] = filled["articles"].astype("int64")
    return filled[SERIES_COLUMNS]


def _starts(days: pd.Series, grain: str) -> pd.Series:
    """Each day's period start (a query gives starts already; anything else is put on its period)."""
    days = days.dt.normalize()
    if grain == "week":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    if grain == "month":
        return days - pd.to_timedelta(days.dt.day - 1, unit="D")
    return days


def selected_period(xs: list, grain: str) -> tuple[date, date] | None:
    """The first and last day of the periods a chart selection touches (points' x, or a box's two edges).

    Plotly gives dates as text ("2024-01-15", "2024-01-17 05:12:33.1") or, for some box edges, as
    milliseconds since 1970; anything else is ignored. None when nothing usable was chosen.
    """
    days = []
    for x in xs:
        try:
            days.append(pd.Timestamp(x, unit="ms") if isinstance(x, int | float) else pd.Timestamp(x))
        except (TypeError, ValueError):
            continue
    days = [d for d in days if not pd.isna(d)]
    if not days:
        return None
    return period_start(min(days), grain).date(), period_end(max(days), grain).date()


def topic_series(volume: pd.DataFrame) -> pd.DataFrame:
    """queries.volume's rows (period, topic_id, label, articles) as series keyed by topic id."""
    return volume.rename(columns={"topic_id": "key"})[SERIES_COLUMNS] if not volume.empty else pd.DataFrame(columns=SERIES_COLUMNS)


# --- colours -------------------------------------------------------------------------------

def topic_colour(topic_id: int) -> str:
    """One colour per topic id, the same on every page and at every grain.

    The hue steps by the golden angle per id, so neighbouring ids (the biggest topics of one
    fit) get well separated hues; lightness alternates over three levels so ids whose hues
    come close again (every 21 or so) still differ.
    """
    if int(topic_id) == OTHER_KEY:
        return OTHER_COLOUR
    hue = (int(topic_id) * _GOLDEN_ANGLE) % 360 / 360
    lightness = (0.38, 0.50, 0.30)[int(topic_id) % 3]
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, 0.72)
    return f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"


# --- choosing what to draw -----------------------------------------------------------------

def peak_change(series: pd.Series) -> float:
    """How far a series' busiest period stands above its own average: (peak - mean) / sqrt(mean + 1)."""
    if series.empty:
        return 0.0
    mean = float(series.mean())
    return (float(series.max()) - mean) / math.sqrt(mean + 1.0)


def top_series(filled: pd.DataFrame, top: int | None = 6, by: str = "volume") -> pd.DataFrame:
    """The `top` series by total volume (or by change, see peak_change) plus one "Everything else" summing the rest.

    `top=None` keeps every series. The order of the keys in the result is the ranking, so
    the legend reads from the biggest down, "Everything else" last.
    """
    if filled.empty:
        return filled
    grouped = filled.groupby("key")["articles"]
    score = grouped.apply(peak_change) if by == "change" else grouped.sum()
    ranking = pd.DataFrame({"score": score, "total": grouped.sum()}).sort_values(["score", "total"], ascending=False)
    keep = list(ranking.index if top is None else ranking.index[:top])
    kept = filled[filled["key"].isin(keep)].copy()
    kept["order"] = kept["key"].map({key: i for i, key in enumerate(keep)})
    rest = filled[~filled["key"].isin(keep)]
    if not rest.empty:
        other = rest.groupby("period", as_index=False)["articles"].sum().assign(key=OTHER_KEY, label=OTHER_LABEL, order=len(keep))
        kept = pd.concat([kept, other], ignore_index=True)
    return kept.sort_values(["order", "period"], ignore_index=True)[SERIES_COLUMNS]


def with_share(series: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Add `share`: each count over all articles of its period (totals: period, articles); 0 where the period has none."""
    total = totals.assign(period=pd.to_datetime(totals["period"])).groupby("period")["articles"].sum()
    denominators = pd.to_datetime(series["period"]).map(total).fillna(0).astype(float)
    share = series["articles"].astype(float).div(denominators.where(denominators > 0))
    return series.assign(share=share.fillna(0.0).to_numpy())


def peaks(series: pd.DataFrame, value: str = "articles", count: int = 3) -> pd.DataFrame:
    """The `count` highest peaks of different series (key, label, period, value), highest first; "Everything else" never."""
    rows = series[(series["key"] != OTHER_KEY) & (series[value] > 0)] if not series.empty else series
    if rows.empty:
        return pd.DataFrame(columns=["key", "label", "period", value])
    best = rows.sort_values([value, "period"], ascending=[False, True]).drop_duplicates("key")
    return best.head(count)[["key", "label", "period", value]].reset_index(drop=True)


def chart_table(series: pd.DataFrame, grain: str) -> pd.DataFrame:
    """The chart's numbers for download: one row per series and period, with the period's last day."""
    if series.empty:
        return pd.DataFrame(columns=["series", "period_start", "period_end", "articles"])
    table = pd.DataFrame({"series": series["label"], "period_start": pd.to_datetime(series["period"]).dt.date,
                          "period_end": pd.to_datetime(series["period"]).map(lambda p: period_end(p, grain).date()),
                          "articles": series["articles"]})
    if "share" in series:
        table["share"] = series["share"].round(6)
    return table


# --- drawing -------------------------------------------------------------------------------

def date_axis(fig: go.Figure, first: object, last: object, grain: str) -> go.Figure:
    """A date axis that reads at any span: whole days at least, then months, then years.

    Plotly picks sub-day ticks on short spans (a week shows "23:59:59.9996"); a tick every
    period (day, week or month) is forced up to 14 periods, and labels never show a time.
    """
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    stops = [{"dtickrange": [None, "M1"], "value": "%d %b %Y"}, {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
             {"dtickrange": ["M12", None], "value": "%Y"}]
    fig.update_xaxes(type="date", tickformatstops=stops, hoverformat="%b %Y" if grain == "month" else "%d %b %Y")
    periods = len(pd.date_range(period_start(first, grain), period_start(last, grain), freq=GRAINS[grain]))
    if periods <= 14:
        step = {"day": _DAY_MS, "week": 7 * _DAY_MS, "month": "M1"}[grain]
        half = pd.Timedelta(days={"day": 0.5, "week": 3.5, "month": 15}[grain])
        fig.update_xaxes(tick0=period_start(first, grain), dtick=step, range=[first - half, last + half])
    return fig


def _plain(text: object) -> str:
    """Untrusted text for a Plotly label: Plotly renders a few HTML tags (<b>, <a href>) in names and
    annotations, so a headline's tags are escaped and shown as written, never rendered."""
    return html.escape(str(text), quote=False)


def _colour_of(key: object) -> str:
    try:
        return topic_colour(int(key))
    except (TypeError, ValueError):
        return OTHER_COLOUR


def _hover(grain: str, value: str) -> str:
    when = {"day": "%{x|%d %b %Y}", "week": "week of %{x|%d %b %Y}", "month": "%{x|%b %Y}"}[grain]
    amount = "%{y:.1%} of all articles" if value == "share" else "%{y:,} articles"
    return "%{fullData.name}<br>" + when + ": " + amount + "<extra></extra>"


def volume_chart(series: pd.DataFrame, grain: str = "week", style: str = "lines", value: str = "articles",
                 colours: dict | None = None, annotations: pd.DataFrame | None = None) -> go.Figure:
    """Series over time: lines, stacked areas, or small multiples (one panel per series, shared dates).

    `series` is zero-filled (key, label, period, articles[, share]), in legend order;
    `colours` maps keys to colours (topic_colour by default); `annotations` (key, period, value
    column, headline) marks peaks with their lead headline.
    """
    if series.empty:
        return empty("No dated articles in this selection")
    colours = colours or {}
    keys = list(dict.fromkeys(series["key"]))
    multiples = style == "multiples" and len(keys) > 1
    fig = make_subplots(rows=len(keys), cols=1, shared_xaxes=True, vertical_spacing=0.03,
                        subplot_titles=None) if multiples else go.Figure()
    few = series["period"].nunique() <= 14
    for row, key in enumerate(keys, 1):
        rows = series[series["key"] == key]
        colour = colours.get(key) or _colour_of(key)
        name = _plain(rows["label"].iloc[0])
        trace = go.Scatter(x=list(rows["period"]), y=rows[value].tolist(), name=name, legendgroup=str(key),
                           mode="lines+markers" if few else "lines", line={"color": colour, "width": 2},
                           marker={"color": colour, "size": 7 if few else 4}, hovertemplate=_hover(grain, value),
                           customdata=[key] * len(rows))
        if style == "stacked":
            trace.update(stackgroup="one", line={"width": 0.5, "color": colour}, fillcolor=colour)
        if multiples:
            trace.update(fill="tozeroy", showlegend=False)
            fig.add_trace(trace, row=row, col=1)
            fig.add_annotation(text=_plain(str(rows["label"].iloc[0])[:60]), x=0, xref="paper", y=1, yref="y domain" if row == 1 else f"y{row} domain",
                               showarrow=False, xanchor="left", yanchor="bottom", font={"size": 11, "color": colour})
        else:
            fig.add_trace(trace)
    _annotate(fig, annotations, value, keys if multiples else None, stacked=style == "stacked", series=series)
    y_title = "Share of all articles" if value == "share" else "Articles"
    fig.update_yaxes(rangemode="tozero")  # a count starts at zero, or a dip of one article looks like a collapse
    if value == "share":
        fig.update_yaxes(tickformat=".0%")
    date_axis(fig, series["period"].min(), series["period"].max(), grain)
    height = max(380, 110 * len(keys) + 60) if multiples else 400
    # A click on a point selects its period (Streamlit ignores clicks while dragging draws a box), so a drag
    # zooms, as Plotly users expect; the box and lasso tools of the mode bar select a longer period.
    fig.update_layout(height=height, hovermode="closest", dragmode="zoom", yaxis_title=None if multiples else y_title,
                      legend_title_text="", clickmode="event+select", **_LAYOUT)
    return fig


def _annotate(fig: go.Figure, marks: pd.DataFrame | None, value: str, panels: list | None, stacked: bool,
              series: pd.DataFrame) -> None:
    """Arrows at the peaks, labelled with the lead headline (cut to 60 characters)."""
    if marks is None or marks.empty:
        return
    for mark in marks.itertuples():
        y = getattr(mark, value)
        if stacked:  # the peak sits on top of the series stacked below it
            below = series[(series["period"] == mark.period)]
            order = list(dict.fromkeys(series["key"]))
            y = float(below[below["key"].isin(order[: order.index(mark.key) + 1])][value].sum())
        text = _plain(str(mark.headline) if len(str(mark.headline)) <= 60 else str(mark.headline)[:57] + "…")
        refs = {}
        if panels is not None and mark.key in panels:
            index = panels.index(mark.key) + 1
            refs = {"xref": f"x{index}" if index > 1 else "x", "yref": f"y{index}" if index > 1 else "y"}
        fig.add_annotation(x=mark.period, y=y, text=text, showarrow=True, arrowhead=2, ax=0, ay=-30,
                           font={"size": 11}, bgcolor="rgba(255,255,255,0.8)", **refs)


def timeline(frame: pd.DataFrame, y: str, title: str) -> go.Figure:
    if frame.empty:
        return empty("Nothing in this selection")
    fig = px.bar(frame, x="period", y=y, labels={"period": "", y: title})
    return fig.update_layout(height=260, **_LAYOUT)


def ranking(frame: pd.DataFrame, x: str, y: str, colour: str | None = None) -> go.Figure:
    """Horizontal bars, largest on top."""
    if frame.empty:
        return empty("Nothing in this selection")
    fig = px.bar(frame.iloc[::-1], x=x, y=y, orientation="h", color=colour, color_discrete_map=TYPE_COLOURS)
    fig.update_yaxes(categoryorder="array", categoryarray=list(frame[y].iloc[::-1]))  # by size, not grouped by colour
    return fig.update_layout(height=max(220, 24 * len(frame) + 60), yaxis_title="", **_LAYOUT)


def network(centre: str, neighbours: pd.DataFrame, pairs: pd.DataFrame) -> go.Figure:
    """Co-occurrence network around one entity: node size = shared articles, edges = shared articles."""
    if neighbours.empty:
        return empty("This entity appears with no other entity")
    graph = nx.Graph()
    graph.add_node(centre, type="centre", weight=int(neighbours["shared"].max()))
    for row in neighbours.itertuples():
        graph.add_node(row.name, type=row.type, weight=int(row.shared))
        graph.add_edge(centre, row.name, weight=int(row.shared))
    for row in pairs.itertuples():
        if row.source in graph and row.target in graph:
            graph.add_edge(row.source, row.target, weight=int(row.shared))
    pos = nx.spring_layout(graph, seed=0, weight="weight")
    edge_x, edge_y = [], []
    for a, b in graph.edges():
        edge_x += [pos[a][0], pos[b][0], None]
        edge_y += [pos[a][1], pos[b][1], None]
    fig = go.Figure(go.Scatter(x=edge_x, y=edge_y, mode="lines", line={"width": 0.6, "color": "#AAB7B8"}, hoverinfo="skip",
                               showlegend=False))
    nodes = list(graph.nodes(data=True))
    biggest = max(d["weight"] for _, d in nodes) or 1
    # Labels are cut to fit and set above or below their node by its height; the axes leave room
    # for them at the edges; one legend entry per type says what the colours mean.
    fig.add_trace(go.Scatter(
        x=[pos[n][0] for n, _ in nodes], y=[pos[n][1] for n, _ in nodes], mode="markers+text",
        text=[_short_label(n) for n, _ in nodes], textposition=["bottom center" if pos[n][1] < 0 else "top center" for n, _ in nodes],
        textfont={"size": 11}, showlegend=False,
        marker={"size": [12 + 28 * d["weight"] / biggest for _, d in nodes],
                "color": [TYPE_COLOURS.get(d["type"], "#17202A") for _, d in nodes], "line": {"width": 1, "color": "white"}},
        hovertext=[f"{n}: {d['weight']} shared articles" for n, d in nodes], hoverinfo="text",
    ))
    for kind in dict.fromkeys(d["type"] for _, d in nodes):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=NETWORK_TYPES.get(kind, kind), hoverinfo="skip",
                                 marker={"size": 12, "color": TYPE_COLOURS.get(kind, "#17202A")}))
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    fig.update_xaxes(visible=False, range=[min(xs) - 0.35, max(xs) + 0.35])
    fig.update_yaxes(visible=False, range=[min(ys) - 0.2, max(ys) + 0.2])
    return fig.update_layout(height=520, showlegend=True, **{**_LAYOUT, "legend": {"orientation": "h", "y": -0.02}})


NETWORK_TYPES = {"centre": "This entity", "PERSON": "Person", "ORG": "Organisation", "GPE": "Place", "LOC": "Place (other)",
                 "FAC": "Building or site"}
LABEL_CHARS = 18


def _short_label(name: str) -> str:
    """A node's label, cut to LABEL_CHARS so that neighbouring labels do not run into each other."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
