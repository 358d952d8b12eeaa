"""Stories: articles about the same event within a few days, linked as they arrive.

This is first-story detection and linking as the Topic Detection and Tracking evaluations
define it: articles are taken in date order, and each one joins the story of the most
similar article published within STORY_WINDOW_DAYS of it (cosine in the term space, where
a word never seen before weighs most), or starts a new story when none is similar enough.
Single link in time: a story runs on as long as it keeps being reported, and ends when it
is not. Story ids never change once given; a refit of the topics leaves stories alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

STORY_SIMILARITY = 0.3  # cosine to the nearest recent article at or above which an article joins its story
STORY_WINDOW_DAYS = 3


@dataclass
class Placed:
    """Articles already in stories: their term vectors, days (ordinal) and story ids."""

    vectors: sparse.csr_matrix
    days: np.ndarray
    story_ids: np.ndarray


def link(vectors: sparse.csr_matrix, days: np.ndarray, placed: Placed, next_id: int,
         similarity: float = STORY_SIMILARITY, window: int = STORY_WINDOW_DAYS) -> np.ndarray:
    """A story id for each new article (rows of `vectors`, with ordinal `days`), in input order.

    New ids count up from `next_id` in date order, so that the same input gives the same ids.
    """
    n_new = vectors.shape[0]
    everything = sparse.vstack([placed.vectors, vectors]).tocsr()
    all_days = np.concatenate([placed.days, days]).astype(np.int64)
    story = np.concatenate([placed.story_ids, np.full(n_new, -1)]).astype(np.int64)
    order = np.argsort(all_days, kind="stable")
    sorted_days = all_days[order]
    new_rows = len(placed.days) + np.argsort(days, kind="stable")
    out_day_groups = np.split(new_rows, np.flatnonzero(np.diff(all_days[new_rows])) + 1) if n_new else []
    for group in out_day_groups:
        day = all_days[group[0]]
        lo = np.searchsorted(sorted_days, day - window, side="left")
        hi = np.searchsorted(sorted_days, day + window, side="right")
        candidates = order[lo:hi]
        candidates = candidates[story[candidates] >= 0]
        members = np.concatenate([candidates, group])
        sims = (everything[group] @ everything[members].T).toarray()
        for i, row in enumerate(group):
            known = len(candidates) + i  # the candidates and the articles of this day placed before it
            target, score = _nearest_story(sims[i, :known], story[members[:known]])
            if score >= similarity:
                story[row] = target
            else:
                story[row], next_id = next_id, next_id + 1
    return story[len(placed.days):]


def _nearest_story(sims: np.ndarray, story_ids: np.ndarray) -> tuple[int, float]:
    """The story whose recent articles are, on average, most similar (average link: no chaining)."""
    if not len(sims):
        return -1, -1.0
    stories, inverse = np.unique(story_ids, return_inverse=True)
    mean = np.bincount(inverse, weights=sims) / np.bincount(inverse)
    best = int(mean.argmax())
    return int(stories[best]), float(mean[best])
