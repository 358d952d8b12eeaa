"""Charts: pure functions from DataFrames to Plotly figures (no Streamlit, no SQL)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

TYPE_COLOURS = {"PERSON": "#C0392B", "ORG": "#2471A3", "GPE": "#1E8449", "LOC": "#7D6608"}
MIN_PERIODS_FOR_AREA = 4
_LAYOUT = {"margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "legend": {"orientation": "h", "y": -0.2}}


def empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig.update_layout(height=260, **_LAYOUT)


def topic_volume(volume: pd.DataFrame, grain: str = "week") -> go.Figure:
    """Stacked areas of articles per topic over time (click a legend entry to hide it, double-click to isolate)."""
    if volume.empty:
        return empty("No dated articles in this selection")
    labels = {"period": grain.title(), "articles": "Articles", "label": "Topic"}
    if volume["period"].nunique() < MIN_PERIODS_FOR_AREA:  # an area needs a few points to be seen
        bars = volume.assign(period=pd.to_datetime(volume["period"]).dt.strftime("%Y-%m-%d"))
        fig = px.bar(bars, x="period", y="articles", color="label", labels=labels)
        fig.update_xaxes(type="category")
    else:
        fig = px.area(volume, x="period", y="articles", color="label", line_group="label", labels=labels)
    fig.update_traces(hovertemplate="%{fullData.name}<br>%{x|%Y-%m-%d}: %{y} articles<extra></extra>")
    return fig.update_layout(height=380, hovermode="x unified", **_LAYOUT)


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
