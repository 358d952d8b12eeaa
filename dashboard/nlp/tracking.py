"""Topics and stories kept up to date as news arrives: the online step, and the refit.

Every enrichment run (so every `ingest` and `poll`) takes the new articles together with
the stored articles of the days around them (STORY_WINDOW_DAYS either side) and:

1. links each new article into a story (stories.py);
2. puts it in a topic: the topic of its story when the story already has one, else the
   nearest topic in the term space, else "other";
3. lets groups of stories that fit no topic, or burst out of theirs, become topics of their
   own (evolve.py), with a new id, a label and their first day; the articles of those
   stories move into them. Existing ids and user labels never change.

A refit (first run, `--refit`, growth or drift: evolve.refit_due) fits every article again,
keeps ids where clusters match, and records lineage. Cost of the online step: it reads only
the new articles and those few days, so it does not grow with the corpus (see
benchmarks/replay.py for measured figures).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
from scipy import sparse

from dashboard.model import article_text
from dashboard.nlp import evolve, labels, stories, termspace
from dashboard.nlp import topics as topic_model
from dashboard.store import connect, evolution, transaction
from dashboard.store import enrichment as store

MODEL_NAME = "topics"
LABEL_CONTRAST = 600  # articles of the window, not in the new topics, that show what is ordinary
STORY_POWER = 2.0  # stories weigh words by idf squared: names and new words decide what one event is


@dataclass
class Update:
    """What one online step did."""

    assigned: int = 0
    linked: int = 0
    born: list[int] = field(default_factory=list)


@dataclass
class Window:
    """The new articles (first `n_new` rows) and the placed ones around them, with their vectors."""

    ids: list[str]
    texts: list[str]
    days: np.ndarray
    n_new: int
    story: np.ndarray  # story id per row (-1 for new rows until linked)
    topic: np.ndarray  # topic id per row (-1 for new rows until assigned)
    story_vectors: sparse.csr_matrix
    topic_vectors: sparse.csr_matrix


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _window(con: duckdb.DuckDBPyConnection, new_ids: list[str], space: termspace.TermSpace, with_topics: bool = False) -> Window | None:
    """The new articles and the placed ones around them; new rows carry their stored topic when `with_topics`."""
    new = evolution.articles_by_id(con, new_ids)
    if not new:
        return None
    first = min(r[3] for r in new) - timedelta(days=stories.STORY_WINDOW_DAYS)
    last = max(r[3] for r in new) + timedelta(days=stories.STORY_WINDOW_DAYS)
    placed = evolution.placed_between(con, first, last, [r[0] for r in new])
    rows = [*new, *placed]
    texts = [article_text(title, body) for _, title, body, *_ in rows]
    counts = space.counts(texts)
    return Window(
        ids=[r[0] for r in rows], texts=texts, days=np.array([r[3].toordinal() for r in rows]), n_new=len(new),
        story=np.array([-1] * len(new) + [r[4] for r in placed]),
        topic=np.array([(topic_model.OTHER_ID if r[4] is None else r[4]) if with_topics else -1 for r in new]
                       + [topic_model.OTHER_ID if r[5] is None else r[5] for r in placed], dtype=np.int64),
        story_vectors=space.weigh(counts, STORY_POWER), topic_vectors=space.weigh(counts, 1.0),
    )


def _link(window: Window, next_id: int) -> None:
    n = window.n_new
    placed = stories.Placed(window.story_vectors[n:], window.days[n:], window.story[n:])
    window.story[:n] = stories.link(window.story_vectors[:n], window.days[:n], placed, next_id)


def _story_topics(window: Window) -> dict[int, int]:
    """The topic most of each story's placed articles are in (stories only in "other" have none)."""
    votes: dict[int, Counter] = {}
    for story_id, topic_id in zip(window.story[window.n_new:], window.topic[window.n_new:], strict=True):
        if topic_id != topic_model.OTHER_ID:
            votes.setdefault(int(story_id), Counter())[int(topic_id)] += 1
    return {story_id: counter.most_common(1)[0][0] for story_id, counter in votes.items()}


def _assign(model: topic_model.Fit, window: Window) -> None:
    """New rows: their story's topic if it has one, else the nearest topic, else "other"."""
    n = window.n_new
    nearest, similarity = model.nearest(window.topic_vectors[:n])
    following = _story_topics(window)
    for row in range(n):
        story_topic = following.get(int(window.story[row]))
        if story_topic is not None and story_topic in model.term_ids:
            window.topic[row] = story_topic
        else:
            window.topic[row] = nearest[row] if similarity[row] >= evolve.OTHER_SIMILARITY else topic_model.OTHER_ID


def _scores(model: topic_model.Fit, vectors: sparse.csr_matrix, topic_ids: np.ndarray) -> np.ndarray:
    """Each row's cosine to its own topic's centroid (0 in "other")."""
    position = {tid: i for i, tid in enumerate(model.term_ids)}
    out = np.zeros(vectors.shape[0])
    if model.term_centroids is None:
        return out
    for tid in set(topic_ids.tolist()) & set(position):
        rows = np.flatnonzero(topic_ids == tid)
        out[rows] = (vectors[rows] @ model.term_centroids[position[tid]].T).toarray().ravel()
    return out


def _label_births(db: Path, window: Window, born: list[tuple[int, evolve.Birth]]) -> dict[int, list[str]]:
    groups = np.full(len(window.ids), -1)
    for topic_id, birth in born:
        groups[birth.rows] = topic_id
    others = np.flatnonzero(groups == -1)
    contrast = np.random.default_rng(0).choice(others, min(len(others), LABEL_CONTRAST), replace=False)
    rows = np.sort(np.concatenate([np.flatnonzero(groups != -1), contrast]))
    ids = [window.ids[r] for r in rows]
    with connect(db) as con:
        names = evolution.topic_entities(con, ids, sorted(labels.ENTITY_TYPES))
    terms = labels.label_terms([window.texts[r] for r in rows], groups[rows], [names.get(i, []) for i in ids])
    return {topic_id: terms.get(topic_id, []) for topic_id, _ in born}


@dataclass(frozen=True)
class Before:
    """What the step reads about the topics before it decides: which were born between fits,
    their usual daily volume, and the next free ids."""

    born_topics: frozenset[int]
    usual_per_day: dict[int, float]
    next_topic_id: int
    next_story_id: int

    @staticmethod
    def read(con: duckdb.DuckDBPyConnection, first_day: date) -> Before:
        born = frozenset(r[0] for r in con.execute("SELECT id FROM topics WHERE created_at IS NOT NULL").fetchall())
        return Before(born, evolution.usual_per_day(con, first_day), evolution.next_topic_id(con), evolution.next_story_id(con))


def _births(model: topic_model.Fit, window: Window, before: Before) -> list[tuple[int, evolve.Birth]]:
    born_topics, usual, next_id = before.born_topics, before.usual_per_day, before.next_topic_id
    touched = set(window.story[: window.n_new].tolist())
    in_born = {int(s) for s, t in zip(window.story, window.topic, strict=True) if t in born_topics}
    candidates = sorted(touched - in_born)
    found = evolve.births(window.story, window.days, window.topic_vectors, candidates, model.nearest, usual)
    out = []
    for offset, birth in enumerate(found):
        out.append((next_id + offset, birth))
        window.topic[birth.rows] = next_id + offset
        model.add_topic(next_id + offset, birth.centroid)
    return out


def _headlines(window: Window, story_ids: set[int]) -> dict[int, str]:
    """Each story's most central article among the window's rows (closest to the story's centroid)."""
    keys = sorted(story_ids)
    centres = termspace.centroids(window.story_vectors, window.story, keys)
    position = {key: i for i, key in enumerate(keys)}
    rows = np.flatnonzero(np.isin(window.story, keys))
    own_centre = centres[[position[s] for s in window.story[rows].tolist()]]
    closeness = np.asarray(window.story_vectors[rows].multiply(own_centre).sum(axis=1)).ravel()
    best: dict[int, tuple[float, str]] = {}
    for row, score in zip(rows.tolist(), closeness.tolist(), strict=True):
        story_id, article_id = int(window.story[row]), window.ids[row]
        if story_id not in best or (score, article_id) > best[story_id]:
            best[story_id] = (score, article_id)
    return {story_id: article_id for story_id, (_, article_id) in best.items()}


def update(db: Path, new_ids: list[str], assign: bool = True, births: bool = True) -> Update:
    """The online step for articles just enriched (see the module's docstring).

    After a refit the new articles already have their topics (`assign=False`): they are
    linked into stories, and groups of them may still become topics of their own (`births`),
    except on the very first fit, when nothing came before to break from.
    """
    report = Update()
    if not new_ids:
        return report
    with connect(db) as con:  # every read in one connection: each one opened costs tens of ms at a million articles
        payload = store.load_model(con, MODEL_NAME)
        model = topic_model.Fit.loads(payload) if payload is not None else None
        window = _window(con, new_ids, model.space, with_topics=not assign) if model is not None else None
        known = Before.read(con, date.fromordinal(int(window.days[: window.n_new].min()))) if window is not None else None
    if model is None or window is None or known is None:
        return report
    stored_topics = window.topic.copy()
    _link(window, known.next_story_id)
    if assign:
        _assign(model, window)
    born = _births(model, window, known) if births else []
    changed = np.flatnonzero(window.topic != stored_topics)
    scores = _scores(model, window.topic_vectors[changed], window.topic[changed])
    touched = set(window.story[: window.n_new].tolist()) | set(window.story[changed].tolist())
    terms = _label_births(db, window, born) if born else {}
    now = _now()
    with connect(db) as con, transaction(con):
        evolution.set_stories(con, list(zip(window.ids[: window.n_new], window.story[: window.n_new].tolist(), strict=True)))
        for topic_id, birth in born:
            first = date.fromordinal(int(window.days[birth.rows].min()))
            evolution.add_topic(con, topic_id, labels.label_of(terms[topic_id]), terms[topic_id], first, now)
            evolution.record_events(con, [(topic_id, "born", None, first)], now)
        if (window.topic[changed] == topic_model.OTHER_ID).any():
            store.ensure_topic(con, topic_model.OTHER_ID, topic_model.OTHER_LABEL, True)
        if len(changed):
            store.assign_topics(con, [(window.ids[r], int(window.topic[r]), float(s)) for r, s in zip(changed, scores, strict=True)])
        evolution.refresh_stories(con, _headlines(window, touched), only=sorted(touched))
        if born:
            store.save_model(con, MODEL_NAME, model.dumps(), model.fitted_at or now)
    report.assigned, report.linked, report.born = int((changed < window.n_new).sum()), window.n_new, [t for t, _ in born]
    return report


def has_model(db: Path) -> bool:
    with connect(db) as con:
        return store.load_model(con, MODEL_NAME) is not None


def step(db: Path, new_ids: list[str], refit: bool = False, n_topics: int | None = None) -> tuple[int, bool, list[int]]:
    """Bring topics and stories up to date after enrichment: (topics, refitted, ids of topics born)."""
    refitted = bool(refit or n_topics or refit_due(db))
    # Articles left without a story (a database from before stories, or a run killed between
    # enrichment and this step) are taken up at the next refit; between refits only the new ones count.
    arrived = sorted(set(new_ids) | set(unlinked(db))) if refitted else sorted(set(new_ids))
    if refitted:
        with connect(db) as con:
            before = store.count_originals(con) - len(arrived)
        # News breaks against what came before: not on a first fit, nor when the batch outweighs the corpus before it.
        breaking = has_model(db) and len(arrived) <= evolve.BIRTH_MAX_SHARE * before
        refit_topics(db, n_topics)
        born = update(db, arrived, assign=False, births=breaking).born
    else:
        born = update(db, arrived).born
    with connect(db) as con:
        topics = con.execute("SELECT count(*) FROM topics WHERE NOT is_other").fetchone()[0]
    return topics, refitted, born


def _cluster_ids(clusters: np.ndarray, article_ids: list[str], old: dict[int, set[str]], next_id: int) -> list[int]:
    """Stable ids for fitted clusters: biggest first when new, matched to old topics otherwise."""
    k = int(clusters.max()) + 1 if len(clusters) else 0
    members = [{article_ids[i] for i in np.flatnonzero(clusters == c)} for c in range(k)]
    if not old:
        order = sorted(range(k), key=lambda c: (-len(members[c]), min(members[c])))
        ids = [0] * k
        for rank, c in enumerate(order, next_id):
            ids[c] = rank
        return ids
    return topic_model.match_ids(members, old, next_id=next_id)


def _fit_labels(db: Path, ids: list[str], texts: list[str], assigned: np.ndarray) -> dict[int, list[str]]:
    """Readable terms for every fitted topic, from a sample of its articles."""
    sample = labels.sample_rows(assigned)
    sample_ids = [ids[i] for i in sample]
    with connect(db) as con:
        names = evolution.topic_entities(con, sample_ids, sorted(labels.ENTITY_TYPES))
    return labels.label_terms([texts[i] for i in sample], assigned[sample], [names.get(i, []) for i in sample_ids])


def refit_topics(db: Path, n_topics: int | None = None) -> int:
    """Fit topics on every original article and store them, ids kept where they match, lineage recorded."""
    with connect(db) as con:
        rows = [row for batch in store.originals(con) for row in batch]
        old = {tid: members for tid, members in store.topic_members(con).items() if tid != topic_model.OTHER_ID}
        next_id = evolution.next_topic_id(con) if old else 1
    if not rows:
        return 0
    ids = [r[0] for r in rows]
    texts = [article_text(title, body) for _, title, body in rows]
    model, clusters = topic_model.fit(texts, n_topics)
    model.topic_ids = _cluster_ids(clusters, ids, old, next_id)
    assigned, _ = model.assign(texts)
    vectors = model.space.transform(texts)  # once: the centroids and every article's score read the same vectors
    topic_model.set_term_centroids(model, vectors, assigned)
    scores = _scores(model, vectors, assigned)
    model.poor_floor = evolve.poor_fit_floor(scores[assigned != topic_model.OTHER_ID])
    model.fitted_at = _now()
    terms = _fit_labels(db, ids, texts, assigned)
    topics = [(tid, labels.label_of(terms.get(tid, [])), terms.get(tid, [])[:10], False) for tid in model.topic_ids]
    if (assigned == topic_model.OTHER_ID).any():
        topics.append((topic_model.OTHER_ID, topic_model.OTHER_LABEL, [], True))
    new_members = {tid: {ids[i] for i in np.flatnonzero(assigned == tid)} for tid in model.topic_ids}
    events = evolve.lineage(old, new_members) if old else []
    with connect(db) as con, transaction(con):
        evolution.record_events(con, [(e.topic_id, e.event, e.other_id, None) for e in events if e.event != "born"], model.fitted_at)
        store.replace_topics(con, topics)
        store.assign_topics(con, list(zip(ids, assigned.tolist(), scores.tolist(), strict=True)), replace_all=True)
        born_days = evolution.first_days(con, [e.topic_id for e in events if e.event == "born"])
        evolution.record_events(con, [(e.topic_id, "born", None, born_days.get(e.topic_id))
                                      for e in events if e.event == "born"], model.fitted_at)
        evolution.refresh_stories(con)
        store.save_model(con, MODEL_NAME, model.dumps(), model.fitted_at)
    return len(model.topic_ids)


def unlinked(db: Path) -> list[str]:
    """Enriched original articles that are in no story yet (all of them in a database from before stories)."""
    with connect(db) as con:
        return [r[0] for r in con.execute(
            "SELECT e.article_id FROM enriched e JOIN articles a ON a.id = e.article_id "
            "ANTI JOIN article_stories s ON s.article_id = e.article_id WHERE a.duplicate_of IS NULL").fetchall()]


def refit_due(db: Path) -> bool:
    """No model yet, or the corpus has grown or drifted enough since the last fit (evolve.refit_due)."""
    with connect(db) as con:
        payload = store.load_model(con, MODEL_NAME)
        total = store.count_originals(con)
        if payload is None:
            return total > 0
        model = topic_model.Fit.loads(payload)
        if model.term_centroids is None:  # stored by a version without the term space
            return True
        since, poor = evolution.fit_scores_since(con, model.fitted_at or datetime.min, model.poor_floor)
    return evolve.refit_due(model.n_fitted, total, since, poor)
