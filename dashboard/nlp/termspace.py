"""The term space: TF-IDF vectors in which words never seen before still count.

The topic model's LSA space is fitted once and knows only the words of the corpus it was
fitted on: an article about a war that starts after the fit is projected onto the words it
shares with older news ("attack", "city", "government") and lands in whatever old topic uses
them. Stories and new topics are therefore found in this space instead: the fitted
vocabulary with its idf, plus every unseen word hashed into HASHED_COLUMNS extra columns
with the idf of a word seen once (the rarest, most telling kind). Nothing grows, so the
space is the same object from one enrichment run to the next, and a new word such as
"Taliban" is a strong shared feature of the articles that use it.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

HASHED_COLUMNS = 1 << 18


class TermSpace:
    """Vocabulary and idf of a fitted vectorizer, open to unseen words."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.analyzer: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        self.rare_idf = float(self.idf.max()) if len(self.idf) else 1.0

    @property
    def width(self) -> int:
        return len(self.vocabulary) + HASHED_COLUMNS

    def column(self, term: str) -> int:
        known = self.vocabulary.get(term)
        if known is not None:
            return known
        return len(self.vocabulary) + zlib.crc32(term.encode("utf-8")) % HASHED_COLUMNS

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Sublinear term frequencies (1 + log count), one row per text."""
        indptr, indices, values = [0], [], []
        for text in texts:
            for column, count in Counter(self.column(term) for term in self.analyzer(text)).items():
                indices.append(column)
                values.append(1.0 + np.log(count))
            indptr.append(len(indices))
        return sparse.csr_matrix((np.array(values, dtype=np.float32), np.array(indices, dtype=np.int64), np.array(indptr)),
                                 shape=(len(texts), self.width))

    def weigh(self, counts: sparse.csr_matrix, power: float = 1.0) -> sparse.csr_matrix:
        """Unit-length rows of tf x idf**power: power 2 lets rare words (names, new words) dominate."""
        idf = np.concatenate([self.idf, np.full(HASHED_COLUMNS, self.rare_idf, dtype=np.float32)]) ** power
        return normalize(counts @ sparse.diags(idf))

    def transform(self, texts: Sequence[str], power: float = 1.0) -> sparse.csr_matrix:
        return self.weigh(self.counts(texts), power)

    def terms_of(self, columns: Sequence[int], texts: Sequence[str]) -> dict[int, str]:
        """Readable terms for columns (hashed ones looked up in the texts that produced them)."""
        inverse = {column: term for term, column in self.vocabulary.items()}
        wanted = {c for c in columns if c not in inverse}
        for text in texts if wanted else ():
            for term in self.analyzer(text):
                column = self.column(term)
                if column in wanted:
                    inverse[column] = term
                    wanted.discard(column)
        return {c: inverse[c] for c in columns if c in inverse}


def centroid(vectors: sparse.csr_matrix, keep: int = 400) -> sparse.csr_matrix:
    """The unit-length mean of rows, cut to its `keep` heaviest terms (small to store, same direction)."""
    return centroids(vectors, np.zeros(vectors.shape[0], dtype=np.int64), [0], keep)


def centroids(vectors: sparse.csr_matrix, groups: np.ndarray, keys: Sequence[int], keep: int = 400) -> sparse.csr_matrix:
    """centroid() of the rows of each group in `keys`, as one matrix (row i for keys[i]), computed in one product."""
    position = {key: i for i, key in enumerate(keys)}
    rows = np.array([i for i, g in enumerate(groups.tolist()) if g in position], dtype=np.int64)
    member = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), ([position[g] for g in groups[rows].tolist()], rows)),
                               shape=(len(keys), vectors.shape[0]))
    sums = (member @ vectors).tocsr()
    for i in range(sums.shape[0]):
        start, end = sums.indptr[i], sums.indptr[i + 1]
        if end - start > keep:
            row = sums.data[start:end]
            row[np.argsort(row)[:-keep]] = 0.0
    sums.eliminate_zeros()
    return normalize(sums)


def stack(rows: Sequence[sparse.csr_matrix], width: int) -> sparse.csr_matrix:
    return sparse.vstack(rows).tocsr() if rows else sparse.csr_matrix((0, width), dtype=np.float32)
