"""The entity charts read at a glance: bars by size whatever their colour, a network with a legend and labels that fit."""

from __future__ import annotations

import pandas as pd

from dashboard import charts


def test_ranking_is_by_size_across_types():
    frame = pd.DataFrame({"name": ["Merkel", "Germany", "Macron", "Siemens"], "articles": [9, 7, 5, 3],
                          "type": ["PERSON", "GPE", "PERSON", "ORG"]})
    fig = charts.ranking(frame, "articles", "name", "type")
    assert len(fig.data) == 3  # one colour per type...
    assert list(fig.layout.yaxis.categoryarray) == ["Siemens", "Macron", "Germany", "Merkel"]  # ...yet bottom to top by size
    assert fig.layout.yaxis.categoryorder == "array"


def test_network_has_a_legend_of_its_colours_and_short_labels():
    neighbours = pd.DataFrame({"name": ["International Atomic Energy Agency", "Kursk"], "type": ["ORG", "GPE"], "shared": [3, 1]})
    fig = charts.network("Vladimir Putin", neighbours, pd.DataFrame(columns=["source", "target", "shared"]))
    legend = {t.name: t.marker.color for t in fig.data if t.showlegend is not False}
    assert legend == {"This entity": "#17202A", "Organisation": charts.TYPE_COLOURS["ORG"], "Place": charts.TYPE_COLOURS["GPE"]}
    nodes = fig.data[1]
    assert max(len(t) for t in nodes.text) <= charts.LABEL_CHARS and "International Ato…" in nodes.text
    assert "International Atomic Energy Agency: 3 shared articles" in nodes.hovertext  # the whole name on hover
    xs = [x for x in nodes.x]
    assert fig.layout.xaxis.range[0] < min(xs) and fig.layout.xaxis.range[1] > max(xs)  # room for the labels at the edges
