"""How topics live between and across fits: births, drift, splits and merges. Pure functions.

Births. After each enrichment run the stories that received articles are grouped when their
centroids point the same way (average link, cosine >= GROUP_SIMILARITY in the term space). A
group of NEW_TOPIC_MIN articles or more becomes a topic of its own at once when either no
topic is close to it (cosine to the nearest topic's centroid < OWNED_SIMILARITY: a subject
the model has never seen, such as a war that has just started), or it is a burst: more
than BURST_SHARE of what its nearest topic usually receives on as many days (the crash of
a stock market inside a "markets" topic). Routine flows, such as a day of earnings reports
inside an earnings topic, are neither, and stay where they are.

Drift. Each article's score is its cosine to its topic's centroid in the term space. The fit
records the POOR_FIT_QUANTILE of its own articles' scores; an article scoring below that, or
in "other", fits poorly. When enough articles have arrived since the fit and the poorly
fitting share among them passes DRIFT_SHARE, the next run refits (never for a poll of a few
hundred articles on a large corpus: see refit_due).

Lineage. A refit compares each old topic's articles with the new clusters: an old topic
whose articles now lie in two or more clusters (each holding SPLIT_SHARE of them) is split
into them; an old topic whose id is gone is merged into the cluster that holds most of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering

from dashboard.nlp import termspace

NEW_TOPIC_MIN = 10
GROUP_SIMILARITY = 0.25
OWNED_SIMILARITY = 0.35
BURST_SHARE = 1.0
OTHER_SIMILARITY = 0.1  # term-space cosine to the nearest topic below which a new article is "other"
POOR_FIT_QUANTILE = 0.1
DRIFT_SHARE = 0.3
DRIFT_MIN_ARTICLES = 500
DRIFT_MIN_GROWTH = 0.1  # and at least this share of the fitted corpus
REFIT_GROWTH = 1.5  # refit by itself once the corpus has grown by half since the last fit
SPLIT_SHARE = 0.2
MAX_CANDIDATES = 3000


@dataclass(frozen=True)
class Birth:
    """A new topic: the stories it is made of, the rows (articles) it takes, and its centroid."""

    stories: tuple[int, ...]
    rows: np.ndarray
    centroid: sparse.csr_matrix
    nearest_topic: int
    similarity: float


def group_stories(story_of_row: np.ndarray, vectors: sparse.csr_matrix, candidates: Sequence[int]) -> list[list[int]]:
    """Candidate stories grouped when their centroids point the same way (average link).

    A large batch (a month at once) is cut to its MAX_CANDIDATES biggest stories, so that the
    story-by-story similarities stay a few million numbers.
    """
    sizes = Counter(story_of_row[np.isin(story_of_row, candidates)].tolist())
    stories = sorted(sizes, key=lambda s: (-sizes[s], s))[:MAX_CANDIDATES]
    if len(stories) < 2:
        return [[s] for s in stories]
    centroids = termspace.centroids(vectors, story_of_row, stories)
    distance = np.clip(1.0 - (centroids @ centroids.T).toarray(), 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=1 - GROUP_SIMILARITY, metric="precomputed",
                                     linkage="average").fit_predict(distance)
    groups: dict[int, list[int]] = {}
    for story, label in zip(stories, labels, strict=True):
        groups.setdefault(int(label), []).append(story)
    return list(groups.values())


def births(story_of_row: np.ndarray, day_of_row: np.ndarray, vectors: sparse.csr_matrix, candidates: Sequence[int],
           nearest: Callable[[sparse.csr_matrix], tuple[np.ndarray, np.ndarray]], usual_per_day: dict[int, float]) -> list[Birth]:
    """The groups of candidate stories that become topics of their own (see the module's rule).

    `nearest(centroids)` gives the nearest existing topic and its cosine for each centroid row;
    `usual_per_day` is each topic's mean articles per day with news.
    """
    out = []
    for group in group_stories(story_of_row, vectors, candidates):
        rows = np.flatnonzero(np.isin(story_of_row, group))
        if len(rows) < NEW_TOPIC_MIN:
            continue
        centre = termspace.centroid(vectors[rows])
        topic_ids, sims = nearest(centre)
        topic_id, similarity = int(topic_ids[0]), float(sims[0])
        days = len(np.unique(day_of_row[rows]))
        expected = usual_per_day.get(topic_id, 0.0) * days
        if similarity < OWNED_SIMILARITY or len(rows) > BURST_SHARE * expected:
            out.append(Birth(tuple(sorted(group)), rows, centre, topic_id, similarity))
    return out


def poor_fit_floor(scores: np.ndarray) -> float:
    """The score below which an article fits its topic poorly, from the fitted articles' scores."""
    return float(np.quantile(scores, POOR_FIT_QUANTILE)) if len(scores) else 0.0


def refit_due(n_fitted: int, n_total: int, n_since_fit: int, n_poor_since_fit: int) -> bool:
    """Whether the corpus has grown or drifted enough for a full refit."""
    if n_total >= REFIT_GROWTH * max(n_fitted, 1):
        return True
    enough = n_since_fit >= max(DRIFT_MIN_ARTICLES, DRIFT_MIN_GROWTH * n_fitted)
    return enough and n_poor_since_fit >= DRIFT_SHARE * n_since_fit


@dataclass(frozen=True)
class Event:
    """One line of a topic's life story."""

    topic_id: int
    event: str  # born | split | merged
    other_id: int | None = None


def lineage(old: dict[int, set[str]], new: dict[int, set[str]]) -> list[Event]:
    """Splits, merges and births when topics `old` (id -> articles) are refitted into `new`."""
    events: list[Event] = []
    for old_id, members in sorted(old.items()):
        shares = {new_id: len(members & articles) / len(members) for new_id, articles in new.items() if members & articles}
        parts = sorted(new_id for new_id, share in shares.items() if share >= SPLIT_SHARE and len(members & new[new_id]) >= 2)
        if len(parts) >= 2:
            events += [Event(old_id, "split", part) for part in parts if part != old_id]
        if old_id not in new and len(parts) < 2 and shares:
            target = max(shares, key=lambda new_id: (shares[new_id], -new_id))
            if shares[target] >= 0.5:
                events.append(Event(old_id, "merged", target))
    events += [Event(new_id, "born") for new_id in sorted(new) if new_id not in old]
    return events
