"""Topics: TF-IDF -> LSA -> spherical k-means, with the number of topics chosen by stability.

Why this design (measured on BBC News and Reuters-21578, see benchmarks/topics.py): LSA +
k-means beat NMF on both corpora at every k we tried, and it is fast (seconds for 20,000
articles). The number of topics is the k whose clusters are most stable when the corpus is
resampled (mean adjusted Rand index between k-means runs on 80% subsamples): a k that
cuts the data where it really divides gives the same cut every time. Stability alone favours
very few topics on unbalanced corpora (one story type swamping the rest), so the search
starts at sqrt(n)/10 topics: a news corpus of 10,000 stories has more than three subjects.
k-means also likes clusters of similar size, so it cuts one big story type (say, earnings
reports) into several; clusters whose centres point the same way (cosine >= 0.55, complete
linkage) are merged back into one topic afterwards. Very small corpora
(under 20 articles) are too small to resample; there average-linkage clustering groups
articles whose TF-IDF vectors share distinctive vocabulary (mean cosine >= 0.05).

Topic ids are stable: a refit maps each new cluster to the old topic whose articles it
shares most, keeping that topic's id and any label a user gave it. Between refits, new
articles are placed in the term space (termspace.py), where words the fit never saw still
count: each topic keeps a term centroid there, and a new article goes to the nearest one,
or to "other" when it is far from all of them (see evolve.py for topics born between fits).
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from dashboard import languages
from dashboard.nlp import termspace

SEED = 0
OTHER_ID = 0
OTHER_LABEL = "other"
OTHER_SIMILARITY = 0.12  # LSA cosine to the nearest centroid below which an article is "other" at a fit
MAX_DF = 0.5  # words in more than half the articles say nothing about a topic (corpora of 50+ articles)
LSA_DIMS = 100
SMALL_CORPUS = 20
SMALL_CORPUS_SIMILARITY = 0.05
SMALL_LANGUAGE = 50  # fewer articles in one language are grouped as a small corpus is (k-means needs more to choose k)
# ... but cut a little tighter: the idf of a mixed corpus is high for every word of a minority language, so its
# articles look alike. On the multilingual test feeds (12 articles a language) 0.05 joined two subjects in three
# languages (NMI 0.566); 0.08-0.15 joined none (0.623-0.633). Tuned on those feeds: no held-out figure.
SMALL_LANGUAGE_SIMILARITY = 0.1
JOIN_SIMILARITY = 0.1  # tf-idf cosine of two clusters' centres in different languages from which they are one topic
MERGE_SIMILARITY = 0.55
MERGE_MARGIN = 0.1  # clusters closer than their corpus's median pair by this much are one subject (merge_bar)
GRAB_BAG_MARGIN = 0.1  # a topic whose articles sit this much looser around its centre than the median topic's is split
GRAB_BAG_MIN = 40
MAX_TOPICS = 24
STABILITY_SAMPLE = 4000
STABILITY_RUNS = 4
# Newsroom boilerplate that says nothing about a story's subject.
NEWS_STOP_WORDS = {
    "said", "says", "say", "told", "according", "reuters", "reuter", "ap", "afp", "mr", "mrs", "ms", "year", "years",
    "week", "weeks", "month", "months", "day", "days", "today", "yesterday", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "new", "also", "would", "could", "one", "two", "last", "first", "per",
    "cent", "percent", "pct", "including", "people", "time", "just", "like", "make", "made", "may", "might", "us",
}
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | NEWS_STOP_WORDS)
TOKEN = r"(?u)\b[^\W\d_][^\W\d_'’-]{2,}\b"
# Chinese newsroom words that say nothing about a subject (simplified; spaCy's list has the function words).
CHINESE_NEWS_STOP_WORDS = {
    "表示", "指出", "认为", "记者", "报道", "今天", "昨天", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "今年", "去年",
    "目前", "已经", "进行", "相关", "文章", "相关文章", "消息", "新闻", "发布", "宣布", "称", "说", "将", "没有", "可能", "一次",
}
_TOKEN = re.compile(TOKEN)
_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}$")
_ENGLISH_STOP = frozenset(STOP_WORDS)


@cache
def stop_words_of(lang: str) -> frozenset[str]:
    """The words that say nothing about a subject in `lang`: spaCy's list for it, and English's (quoted English)."""
    if lang == "en":
        return _ENGLISH_STOP
    extra = {languages.simplified(w) for w in CHINESE_NEWS_STOP_WORDS} if lang == "zh" else set()
    return frozenset(languages.stop_words(lang) | _ENGLISH_STOP | extra)


def words_of(text: str, lang: str) -> list[str]:
    """The words of a text that may say what it is about, cut as its language is written.

    English: words of three letters or more, lower case, no stop words (exactly what the topic
    model read before it knew other languages, so English results are unchanged). Chinese: jieba's
    words of two characters or more, simplified. Other languages: as English, with their own
    stop words (spaCy's lists) so that "der · und · die" is never a topic.
    """
    stop = stop_words_of(lang)
    if lang != "zh":
        return [t for t in _TOKEN.findall(text.lower()) if t not in stop]
    out = []
    for word in languages.segment(text):
        word = word.lower()
        if word not in stop and (_HAN_WORD.match(word) or _TOKEN.fullmatch(word)):
            out.append(word)
    return out


def analyze(text: str) -> list[str]:
    """The topic model's analyzer: each text is cut by the rules of its language (languages.guess)."""
    return words_of(text, languages.guess(text))


@dataclass
class Fit:
    """A fitted topic model: what turns text into a topic id."""

    vectorizer: TfidfVectorizer
    svd: TruncatedSVD | None
    centroids: np.ndarray  # one unit-length row per fitted topic, in LSA space
    topic_ids: list[int]
    terms: list[list[str]] = field(default_factory=list)
    n_fitted: int = 0
    lsa_columns: np.ndarray | None = None  # vocabulary columns the LSA reads (common words dropped)
    term_centroids: sparse.csr_matrix | None = None  # one row per id in term_ids, in the term space
    term_ids: tuple[int, ...] = ()
    poor_floor: float = 0.0  # a fitted article's score below which it fits poorly (evolve.poor_fit_floor)
    fitted_at: datetime | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        matrix = self.vectorizer.transform(texts)
        if self.lsa_columns is not None:
            matrix = normalize(matrix[:, self.lsa_columns])
        dense = self.svd.transform(matrix) if self.svd is not None else matrix.toarray()
        return normalize(dense)

    def assign(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Fitted topic id and LSA cosine for each text; far from every topic -> OTHER_ID."""
        if not len(texts):
            return np.array([], dtype=int), np.array([])
        sims = self.embed(texts) @ self.centroids.T
        best = sims.argmax(axis=1)
        score = sims[np.arange(len(texts)), best]
        ids = np.array(self.topic_ids)[best]
        return np.where(score >= OTHER_SIMILARITY, ids, OTHER_ID), score

    @property
    def space(self) -> termspace.TermSpace:
        return termspace.TermSpace(self.vectorizer)

    def nearest(self, vectors: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Nearest topic (by term centroid) and its cosine for each row of term vectors."""
        if self.term_centroids is None or not self.term_ids or not vectors.shape[0]:
            return np.full(vectors.shape[0], OTHER_ID), np.zeros(vectors.shape[0])
        sims = (vectors @ self.term_centroids.T).toarray()
        best = sims.argmax(axis=1)
        return np.array(self.term_ids)[best], sims[np.arange(len(best)), best]

    def add_topic(self, topic_id: int, centroid: sparse.csr_matrix) -> None:
        """A topic born between fits: it takes part in every later assignment."""
        self.term_centroids = termspace.stack([self.term_centroids, centroid] if self.term_centroids is not None else [centroid],
                                              centroid.shape[1])
        self.term_ids = (*self.term_ids, topic_id)

    def dumps(self) -> bytes:
        self.vectorizer.stop_words_ = None  # large and only needed while fitting
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(payload: bytes) -> Fit:
        return pickle.loads(payload)


def _vectorizer(n_docs: int) -> TfidfVectorizer:
    """Every word of 3+ letters in 3+ articles (1+ in small corpora); common words are dropped for the LSA only."""
    return TfidfVectorizer(
        sublinear_tf=True,
        analyzer=analyze,
        min_df=1 if n_docs < 50 else 3,
        dtype=np.float32,
    )


def _embed_fit(texts: Sequence[str]) -> tuple[TfidfVectorizer, TruncatedSVD | None, sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Vectorizer, SVD, the LSA's tf-idf matrix, the embedded texts and the LSA's columns.

    The tf-idf of the kept columns, renormalised, is exactly what a vectorizer with
    max_df=MAX_DF gives; fitting without the cut keeps common words' idf for the term space.
    """
    vectorizer = _vectorizer(len(texts))
    full = vectorizer.fit_transform(texts)
    doc_freq = full.getnnz(axis=0)
    keep = np.flatnonzero(doc_freq <= MAX_DF * len(texts)) if len(texts) >= 50 else np.arange(full.shape[1])
    matrix = normalize(full[:, keep])
    dims = min(LSA_DIMS, matrix.shape[1] - 1, len(texts) - 1)
    if len(texts) < SMALL_CORPUS or dims < 2:
        return vectorizer, None, matrix, normalize(matrix.toarray()), keep
    svd = TruncatedSVD(dims, random_state=SEED)
    return vectorizer, svd, matrix, normalize(svd.fit_transform(matrix)), keep


def _kmeans(k: int, seed: int = SEED, n_init: int = 10) -> KMeans:
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed)


def stability(vectors: np.ndarray, k: int, rng: np.random.Generator) -> float:
    """Mean adjusted Rand index between k-means runs on 80% subsamples, compared on all points."""
    runs = []
    for run in range(STABILITY_RUNS):
        sub = rng.choice(len(vectors), int(0.8 * len(vectors)), replace=False)
        runs.append(_kmeans(k, seed=run, n_init=2).fit(vectors[sub]).predict(vectors))
    return float(np.mean([adjusted_rand_score(a, b) for i, a in enumerate(runs) for b in runs[i + 1 :]]))


def small_corpus_labels(vectors: np.ndarray, similarity: float = SMALL_CORPUS_SIMILARITY) -> np.ndarray:
    """Clusters of a handful of articles: average linkage, cut where articles share little vocabulary."""
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=1 - similarity, metric="cosine", linkage="average")
    return model.fit_predict(vectors)


def choose_k(vectors: np.ndarray) -> int:
    """The number of topics that the data supports, for corpora of SMALL_CORPUS articles or more."""
    n = len(vectors)
    rng = np.random.default_rng(SEED)
    sample = vectors[np.sort(rng.choice(n, min(n, STABILITY_SAMPLE), replace=False))]
    low = int(np.clip(round(np.sqrt(n) / 10), 3, MAX_TOPICS // 2))
    candidates = range(low, max(low + 1, min(MAX_TOPICS, n // 10) + 1))
    scores = [stability(sample, k, np.random.default_rng(SEED + k)) for k in candidates]
    return candidates[int(np.argmax(scores))]


def distinctive_terms(matrix: sparse.csr_matrix, labels: np.ndarray, vocabulary: np.ndarray, n: int = 8) -> list[list[str]]:
    """Class-based TF-IDF: per cluster, the terms most frequent in it relative to all clusters."""
    k = int(labels.max()) + 1
    onehot = sparse.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels)))
    per_class = np.asarray((onehot @ matrix).todense())
    tf = per_class / np.maximum(per_class.sum(axis=1, keepdims=True), 1e-12)
    idf = np.log1p(per_class.sum(axis=1).mean() / np.maximum(per_class.sum(axis=0), 1e-12))
    scores = tf * idf
    return [[str(vocabulary[i]) for i in np.argsort(-row)[:n] if row[i] > 0] for row in scores]


def label_of(terms: Sequence[str]) -> str:
    return " · ".join(terms[:3]) if terms else OTHER_LABEL


def _centroids(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return normalize(np.vstack([vectors[labels == c].mean(axis=0) for c in range(int(labels.max()) + 1)]))


def merge_bar(centroids: np.ndarray) -> float:
    """The centre cosine from which clusters are one topic: MERGE_SIMILARITY, or MERGE_MARGIN above the
    median of the corpus's pairs of clusters when that is higher (three clusters or more).

    Every article of a corpus about one beat shares the beat's words, so all its clusters' centres
    point much the same way: the three clusters k-means finds in 920 articles of 2016 US election
    news (PolNeAR: the economy and foreign policy, the primaries, the media and Clinton's emails) sit
    at cosine 0.68-0.78 from one another, and at 0.55 they were one topic; BBC News's politics alone
    (391 articles), 0.43-0.64 (four clusters: two topics). Only clusters much closer than this
    corpus's clusters usually are, are cut pieces of one subject.
    """
    if len(centroids) < 3:
        return MERGE_SIMILARITY  # one pair is no corpus's usual pair
    pairs = (centroids @ centroids.T)[np.triu_indices(len(centroids), 1)]
    return max(MERGE_SIMILARITY, float(np.median(pairs)) + MERGE_MARGIN)


def merge_similar(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Relabel so that clusters whose centroids all have cosine >= merge_bar are one."""
    centroids = _centroids(vectors, labels)
    if len(centroids) < 2:
        return labels
    groups = AgglomerativeClustering(n_clusters=None, distance_threshold=1 - merge_bar(centroids), metric="cosine",
                                     linkage="complete").fit_predict(centroids)
    _, merged = np.unique(groups[labels], return_inverse=True)
    return merged


def coherence(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per cluster, the mean cosine of its articles to its centre (1: all alike; low: a grab-bag)."""
    centres = _centroids(vectors, labels)
    return np.array([float((vectors[labels == c] @ centres[c]).mean()) for c in range(len(centres))])


def split_grab_bags(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Cut in two (k-means) each cluster of GRAB_BAG_MIN+ articles that is much looser than the others.

    A grab-bag, such as "company news" holding takeovers, shipping and litigation, has a low
    mean cosine of its articles to its centre compared with the corpus's other topics. The
    bar is relative (median - GRAB_BAG_MARGIN) because long texts sit looser than short ones:
    BBC News topics all score 0.47-0.52 and none is split. A loose cluster is cut only when its
    two halves point different ways (cosine < MERGE_SIMILARITY). Measured NMI: Reuters-21578's
    top-10 subset fitted alone 0.673 -> 0.683; Reuters fitted whole, scored on that subset,
    0.5629 -> 0.5627; without the second condition the subset fell to 0.640.
    """
    if not len(labels):
        return labels
    scores = coherence(vectors, labels)
    bar = float(np.median(scores)) - GRAB_BAG_MARGIN
    out = labels.copy()
    next_label = int(labels.max()) + 1
    for cluster, score in enumerate(scores):
        members = np.flatnonzero(labels == cluster)
        if len(members) < GRAB_BAG_MIN or score >= bar:
            continue
        halves = _kmeans(2).fit_predict(vectors[members])
        centres = _centroids(vectors[members], halves)
        if float(centres[0] @ centres[1]) >= MERGE_SIMILARITY:
            continue  # two halves of one subject: merge_similar would join them again
        out[members[halves == 1]] = next_label
        next_label += 1
    return out


def _cluster(vectors: np.ndarray) -> np.ndarray:
    """Clusters of SMALL_CORPUS or more LSA vectors: k by stability, then merged and split."""
    return split_grab_bags(vectors, merge_similar(vectors, _kmeans(choose_k(vectors)).fit_predict(vectors)))


def _small_group(vectors: np.ndarray) -> np.ndarray:
    """small_corpus_labels, with texts that have no word the model reads (all stop words) as one cluster of their own."""
    empty = ~vectors.any(axis=1)
    labels = np.zeros(len(vectors), dtype=int)
    if (~empty).any():
        labels[~empty] = small_corpus_labels(vectors[~empty], SMALL_LANGUAGE_SIMILARITY)
        labels[empty] = labels[~empty].max() + 1
    return labels


def by_language(vectors: np.ndarray, matrix: sparse.csr_matrix, langs: np.ndarray) -> np.ndarray:
    """Clusters found within each language, then joined across languages where they point the same way.

    Two languages share almost no words, so clustered together they split by language first
    ("the German articles"). Each language's articles are therefore clustered on their own
    (SMALL_LANGUAGE or more: as a whole corpus is; fewer: average linkage on their tf-idf rows), and
    clusters of different languages that share their names are then one topic (_join).
    """
    labels = np.zeros(len(langs), dtype=int)
    offset = 0
    for lang in sorted(set(langs.tolist())):
        rows = np.flatnonzero(langs == lang)
        part = _small_group(normalize(matrix[rows]).toarray()) if len(rows) < SMALL_LANGUAGE else _cluster(vectors[rows])
        labels[rows] = part + offset
        offset += int(part.max()) + 1
    return _join(matrix, labels, langs)


def _join(matrix: sparse.csr_matrix, labels: np.ndarray, langs: np.ndarray) -> np.ndarray:
    """Clusters of different languages that share their names and loanwords become one topic.

    Each cluster's centre is its articles' mean tf-idf row; across two languages the words they
    share are names (Taiwan, Kinmen, Cho Jung-tai, TSMC, Nvidia) and words they borrow (penalty,
    inflation), so the cosine of two centres says whether they are about the same thing. Pairs
    are joined best first while the cosine is JOIN_SIMILARITY or more, never two clusters of one
    language (what a language's own clustering kept apart stays apart). On the tuned test feeds
    every pair of one subject scoring 0.1 or more is joined and the best pair of two subjects
    scores 0.089; on the held-out feeds no pair of two subjects scores above 0.
    """
    k = int(labels.max()) + 1
    lang_of = [str(langs[labels == c][0]) for c in range(k)]
    centres = np.vstack([np.asarray(normalize(matrix[labels == c]).mean(axis=0)) for c in range(k)])
    sims = normalize(centres) @ normalize(centres).T
    pairs = sorted(((float(sims[i, j]), i, j) for i in range(k) for j in range(i + 1, k) if lang_of[i] != lang_of[j]), reverse=True)
    group = list(range(k))
    members: dict[int, set[str]] = {c: {lang_of[c]} for c in range(k)}
    for score, i, j in pairs:
        if score < JOIN_SIMILARITY:
            break
        gi, gj = group[i], group[j]
        if gi == gj or members[gi] & members[gj]:
            continue
        for c in range(k):
            if group[c] == gj:
                group[c] = gi
        members[gi] |= members.pop(gj)
    _, joined = np.unique(np.array(group)[labels], return_inverse=True)
    return joined


def fit(texts: Sequence[str], n_topics: int | None = None) -> tuple[Fit, np.ndarray]:
    """Fit topics on texts; returns the model and each text's cluster index (not yet an id)."""
    vectorizer, svd, matrix, vectors, keep = _embed_fit(texts)
    langs = np.array([languages.guess(t) for t in texts]) if n_topics is None else np.array([])
    if n_topics is None and len(texts) < SMALL_CORPUS:
        labels = small_corpus_labels(vectors)
    elif n_topics:
        labels = _kmeans(min(n_topics, len(texts))).fit_predict(vectors)
    elif len(set(langs.tolist())) > 1:
        labels = by_language(vectors, matrix, langs)
    else:
        labels = _cluster(vectors)
    k = int(labels.max()) + 1
    centroids = _centroids(vectors, labels)
    terms = distinctive_terms(matrix, labels, vectorizer.get_feature_names_out()[keep])
    model = Fit(vectorizer, svd, centroids, list(range(1, k + 1)), terms, len(texts), keep)
    return model, labels


def set_term_centroids(model: Fit, vectors: sparse.csr_matrix, topic_of_text: np.ndarray) -> None:
    """Each topic's centroid in the term space, from the term vectors of the texts now assigned to it ("other" has none)."""
    ids = [tid for tid in dict.fromkeys(int(t) for t in topic_of_text) if tid != OTHER_ID]
    model.term_ids = tuple(sorted(ids))
    model.term_centroids = termspace.centroids(vectors, topic_of_text, model.term_ids)


def match_ids(new_members: list[set[str]], old_members: dict[int, set[str]], next_id: int) -> list[int]:
    """An id for each new cluster: the old topic it overlaps most (Jaccard >= 0.3), else a fresh id."""
    pairs = sorted(
        ((len(new & old) / len(new | old), i, tid) for i, new in enumerate(new_members) for tid, old in old_members.items() if new & old),
        reverse=True,
    )
    ids: list[int | None] = [None] * len(new_members)
    used: set[int] = set()
    for score, i, tid in pairs:
        if score >= 0.3 and ids[i] is None and tid not in used:
            ids[i] = tid
            used.add(tid)
    out = []
    for assigned in ids:
        if assigned is None:
            assigned, next_id = next_id, next_id + 1
        out.append(assigned)
    return out
