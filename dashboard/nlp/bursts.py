"""Rising topics: how far a topic's latest volume sits above its own baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd

RECENT_PERIODS = 1
BASELINE_PERIODS = 8


FREQUENCIES = {"week": "W-MON", "day": "D"}  # DuckDB's date_trunc('week') starts weeks on Monday


def burst_scores(volume: pd.DataFrame, grain: str = "week", recent: int = RECENT_PERIODS, baseline: int = BASELINE_PERIODS) -> pd.DataFrame:
    """Per topic: recent volume, baseline mean and a burst score (a Poisson z-score).

    `volume` has columns period, topic_id, label, articles. The latest `recent` periods of the
    whole selection are compared with the `baseline` periods before them; a topic absent in a
    period counts as zero. score = (recent mean - baseline mean) / sqrt(baseline mean + 1).
    """
    columns = ["topic_id", "label", "recent", "baseline", "score"]
    if volume.empty:
        return pd.DataFrame(columns=columns)
    grid = volume.pivot_table(index="period", columns="topic_id", values="articles", aggfunc="sum", fill_value=0).sort_index()
    grid = grid.reindex(pd.date_range(grid.index.min(), grid.index.max(), freq=FREQUENCIES[grain]), fill_value=0)
    recent_rows = grid.iloc[-recent:]
    base_rows = grid.iloc[-(recent + baseline) : -recent] if len(grid) > recent else grid.iloc[0:0]
    recent_mean = recent_rows.mean()
    base_mean = base_rows.mean() if len(base_rows) else pd.Series(0.0, index=grid.columns)
    score = (recent_mean - base_mean) / np.sqrt(base_mean + 1.0)
    labels = volume.drop_duplicates("topic_id").set_index("topic_id")["label"]
    out = pd.DataFrame({"topic_id": grid.columns, "label": labels.reindex(grid.columns).values,
                        "recent": recent_mean.values, "baseline": base_mean.values, "score": score.values})
    return out.sort_values(["score", "recent"], ascending=False, ignore_index=True)


NEW_DAYS = 14  # a topic or story is "new" for two weeks after it first appears


def new_since(last_day: object, days: int = NEW_DAYS) -> pd.Timestamp | None:
    """The first day that still counts as new, `days` before the data's (or the selection's) last day."""
    if last_day is None or pd.isna(last_day):
        return None
    return pd.Timestamp(last_day).normalize() - pd.Timedelta(days=days - 1)


def new_topics(topics: pd.DataFrame, last_day: object, days: int = NEW_DAYS) -> pd.DataFrame:
    """Topics born between fits within `days` of `last_day`, newest first (columns of queries.topics)."""
    since = new_since(last_day, days)
    if since is None or topics.empty:
        return topics.iloc[0:0]
    born = pd.to_datetime(topics["born"])
    return topics[born.notna() & (born >= since)].sort_values(["born", "size"], ascending=[False, False])


def new_label(born: object) -> str:
    """'new since 19 Oct 1987' for a topic born between fits, else ''."""
    return "" if born is None or pd.isna(born) else f"new since {pd.Timestamp(born):%d %b %Y}"
