"""Topic quality: NMI of automatically chosen topics against the corpus labels, and determinism.

    python benchmarks/topics.py [--corpora ../shared/corpora]

BBC News: all 2,225 articles, 5 classes. Reuters-21578: the articles that carry exactly one
of the 10 most frequent TOPICS labels. Each corpus is ingested into a fresh DuckDB file by
the real ingest path, then the topic model is fitted on the stored texts.
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
from dashboard.nlp.topics import fit


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


if __name__ == "__main__":
    main()
