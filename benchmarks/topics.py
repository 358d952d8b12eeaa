"""Topic quality: NMI of automatically chosen topics against the corpus labels, and determinism.

    python benchmarks/topics.py [--corpora ../shared/corpora]

BBC News: all 2,225 articles, 5 classes. Reuters-21578: the articles that carry exactly one
of the 10 most frequent TOPICS labels, fitted on those alone ("Reuters-10") and fitted on the
whole corpus, scored on them ("Reuters whole"), as the product fits it. Each corpus is
ingested into a fresh DuckDB file by the real ingest path, then the topic model is fitted on
the stored texts. The baseline is plain LSA + k-means on the same tf-idf, for k from 5 to 30
in steps of 5, scored the same way: the best of those k is printed beside the product's
automatic choice.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.load import ingest
from dashboard.model import article_text
from dashboard.nlp.topics import _embed_fit, _kmeans, fit


def stored(db: Path, duplicates: bool = False) -> list[tuple[str, list[str]]]:
    where = "duplicate_of IS NOT NULL" if duplicates else "duplicate_of IS NULL"
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(f"SELECT title, body, labels FROM articles WHERE {where} ORDER BY id").fetchall()
    return [(article_text(title, body), labels) for title, body, labels in rows]


def evaluate(name: str, texts: list[str], labels: list[str], duplicates: list[tuple[str, str]] = ()) -> None:
    """Fit on the originals; near-duplicates are scored too, with the topic the model assigns them."""
    started = time.perf_counter()
    model, clusters = fit(texts)
    seconds = time.perf_counter() - started
    again, clusters_again = fit(texts)
    same = bool(np.array_equal(clusters, clusters_again)) and np.allclose(model.centroids, again.centroids)
    assigned = np.concatenate([np.array(model.topic_ids)[clusters], model.assign([t for t, _ in duplicates])[0]]).astype(int)
    score = normalized_mutual_info_score(labels + [lab for _, lab in duplicates], assigned)
    texts = [*texts, *duplicates]
    print(f"{name:<10} articles {len(texts):>6,}  classes {len(set(labels)):>2}  topics {len(model.topic_ids):>2}  "
          f"NMI {score:.3f}  fit {seconds:5.1f} s  identical on refit: {same}")


def baseline(texts: list[str], labels: list[str], scored: np.ndarray) -> tuple[int, float]:
    """Best (k, NMI) of LSA + k-means with k in 5..30, fitted on `texts`, scored on the rows `scored`."""
    vectors = _embed_fit(texts)[3]
    results = []
    for k in range(5, 31, 5):
        clusters = _kmeans(k).fit_predict(vectors)
        results.append((k, normalized_mutual_info_score(labels, clusters[scored])))
    return max(results, key=lambda r: r[1])


def evaluate_whole(texts: list[str], labels: list[str | None]) -> None:
    """Fit on every text; score the ones with a label (None: not in the scored subset)."""
    scored = np.array([i for i, label in enumerate(labels) if label is not None])
    wanted = [labels[i] for i in scored]
    started = time.perf_counter()
    model, _ = fit(texts)
    seconds = time.perf_counter() - started
    assigned = model.assign([texts[i] for i in scored])[0]
    score = normalized_mutual_info_score(wanted, assigned)
    k, best = baseline(texts, wanted, scored)
    print(f"{'Reuters whole':<14} articles {len(texts):>6,}  scored {len(scored):,}  topics {len(model.topic_ids):>2}  NMI {score:.4f}  "
          f"fit {seconds:5.1f} s   baseline LSA + k-means best NMI {best:.4f} (k={k})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"))
    corpora = Path(parser.parse_args().corpora)
    with tempfile.TemporaryDirectory() as tmp:
        bbc_db = Path(tmp) / "bbc.duckdb"
        ingest([str(corpora / "bbc")], bbc_db, progress=False, report=lambda _: None)
        rows = stored(bbc_db)
        dups = [(t, labels[0]) for t, labels in stored(bbc_db, duplicates=True)]
        evaluate("BBC", [t for t, _ in rows], [labels[0] for _, labels in rows], dups)

        reuters_db = Path(tmp) / "reuters.duckdb"
        ingest([str(corpora / "reuters21578")], reuters_db, progress=False, report=lambda _: None)
        rows = stored(reuters_db)
        top = {label for label, _ in Counter(label for _, labels in rows for label in labels).most_common(10)}
        subset = [(t, [lab for lab in labels if lab in top]) for t, labels in rows]
        subset = [(t, kept[0]) for t, kept in subset if len(kept) == 1]
        evaluate("Reuters-10", [t for t, _ in subset], [lab for _, lab in subset])
        kept = [[lab for lab in labels if lab in top] for _, labels in rows]
        evaluate_whole([t for t, _ in rows], [k[0] if len(k) == 1 else None for k in kept])
        bbc_k, bbc_best = baseline([t for t, _ in stored(bbc_db)], [labels[0] for _, labels in stored(bbc_db)],
                                   np.arange(len(stored(bbc_db))))
        print(f"BBC baseline LSA + k-means best NMI {bbc_best:.3f} (k={bbc_k})")


if __name__ == "__main__":
    main()
