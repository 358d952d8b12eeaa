"""Rising topics and entities: how far the latest complete periods sit above their own baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd

RECENT_PERIODS = 1
BASELINE_PERIODS = 8
MIN_RECENT = 3  # articles per period: below this a "burst" is one or two stories, noise at any score
MIN_SCORE = 1.0  # one Poisson standard deviation above the usual: less is the week-to-week wobble of a steady topic


FREQUENCIES = {"week": "W-MON", "day": "D", "month": "MS"}  # DuckDB's date_trunc('week') starts weeks on Monday


def period_of(day: object, grain: str) -> pd.Timestamp:
    """The first day of the day, Monday-week or month holding `day`."""
    stamp = pd.Timestamp(day).normalize()
    if grain == "week":
        return stamp - pd.Timedelta(days=stamp.weekday())
    if grain == "month":
        return stamp.replace(day=1)
    return stamp


def last_complete(through: object, grain: str) -> pd.Timestamp:
    """The start of the last period that ends on or before `through` (the data's, or the selection's, last day).

    A week is complete on its Sunday, a month on its last day, a day at once: with data up to
    a Wednesday, the latest complete week is the one before, since comparing three days with
    the usual seven makes every topic look as if it were fading.
    """
    day = pd.Timestamp(through).normalize()
    start = period_of(day, grain)
    if grain == "week" and day.weekday() != 6:
        return start - pd.Timedelta(days=7)
    if grain == "month" and day != start + pd.offsets.MonthEnd(0):
        return period_of(start - pd.Timedelta(days=1), "month")
    return start


def burst_window(through: object, grain: str, recent: int = RECENT_PERIODS) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the `recent` complete periods ending at or before `through`: the burst's dates."""
    last = last_complete(through, grain)
    first = pd.date_range(end=last, periods=recent, freq=FREQUENCIES[grain])[0]
    end = {"day": last, "week": last + pd.Timedelta(days=6), "month": last + pd.offsets.MonthEnd(0)}[grain]
    return first, end


def burst_scores(volume: pd.DataFrame, grain: str = "week", recent: int = RECENT_PERIODS, baseline: int = BASELINE_PERIODS,
                 through: object = None, key: str = "topic_id") -> pd.DataFrame:
    """Per topic (or per `key`): recent volume, baseline mean and a burst score (a Poisson z-score).

    `volume` has columns period, `key`, label, articles. The latest `recent` periods of the
    whole selection are compared with the `baseline` periods before them; a topic absent in a
    period counts as zero. score = (recent mean - baseline mean) / sqrt(baseline mean + 1).
    With `through` (a day), only complete periods count: periods after the last one complete
    on that day are left out, and empty ones up to it count as zero.
    """
    columns = [key, "label", "recent", "baseline", "score"]
    if volume.empty:
        return pd.DataFrame(columns=columns)
    grid = volume.pivot_table(index="period", columns=key, values="articles", aggfunc="sum", fill_value=0).sort_index()
    last = grid.index.max() if through is None else last_complete(through, grain)
    grid = grid.reindex(pd.date_range(grid.index.min(), last, freq=FREQUENCIES[grain]), fill_value=0)
    if grid.empty:
        return pd.DataFrame(columns=columns)
    recent_rows = grid.iloc[-recent:]
    base_rows = grid.iloc[-(recent + baseline) : -recent] if len(grid) > recent else grid.iloc[0:0]
    recent_mean = recent_rows.mean()
    base_mean = base_rows.mean() if len(base_rows) else pd.Series(0.0, index=grid.columns)
    score = (recent_mean - base_mean) / np.sqrt(base_mean + 1.0)
    labels = volume.drop_duplicates(key).set_index(key)["label"]
    out = pd.DataFrame({key: grid.columns, "label": labels.reindex(grid.columns).values,
                        "recent": recent_mean.values, "baseline": base_mean.values, "score": score.values})
    return out.sort_values(["score", "recent"], ascending=False, ignore_index=True)


def rising(scores: pd.DataFrame, min_recent: float = MIN_RECENT, min_score: float = MIN_SCORE) -> pd.DataFrame:
    """What is rising: a score of at least `min_score` (never zero or below) and at least `min_recent` articles
    per recent period, highest score first."""
    if scores.empty:
        return scores
    keep = (scores["score"] >= max(min_score, 1e-9)) & (scores["recent"] >= min_recent)
    return scores[keep].reset_index(drop=True)


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
