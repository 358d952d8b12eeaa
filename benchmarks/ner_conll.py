"""Entity quality on the CoNLL-2003 English test set (eng.testb): precision, recall, F1 per type.

    python benchmarks/ner_conll.py

Sentences are rebuilt as text (tokens joined by spaces), run through the same spaCy pipeline
the enrichment uses, and entity spans are compared exactly with the gold IOB1 chunks.
Two rows per type: spaCy's own labels, and after Newsdesk's corrections (gazetteer, titles,
organisation repairs), both mapped PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC.

Then a Title Case headline set built from the same test set: every sentence of 4-14 tokens with
no lower-case word of four letters or more capitalised word by word ("Japan Get Lucky Win ,
China In Surprise Defeat"), given as a headline with no body; the gold spans stay the same.
"""

from __future__ import annotations

import time
from collections import Counter

from _common import CORPORA, machine

from dashboard.nlp.entities import extract, load_pipeline

MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TYPES = ("PER", "ORG", "LOC")


def read_conll(path) -> list[tuple[str, set[tuple[int, int, str]]]]:
    """Sentences as (text, gold spans) with character offsets."""
    sentences, tokens, tags = [], [], []

    def flush() -> None:
        if not tokens:
            return
        text, spans, offset, current = "", set(), 0, None
        for token, tag in zip(tokens, tags, strict=True):
            start = offset
            text += token + " "
            offset += len(token) + 1
            kind = tag[2:] if tag != "O" else None
            if current and (kind != current[2] or tag.startswith("B-")):
                spans.add(tuple(current))
                current = None
            if kind and current is None:
                current = [start, start + len(token), kind]
            elif kind:
                current[1] = start + len(token)
        if current:
            spans.add(tuple(current))
        sentences.append((text.rstrip(), {s for s in spans if s[2] in TYPES}))
        tokens.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            flush()
            continue
        parts = line.split()
        tokens.append(parts[0])
        tags.append(parts[-1])
    flush()
    return sentences


def score(gold: Counter, predicted: Counter, correct: Counter, kind: str) -> str:
    p = correct[kind] / predicted[kind] if predicted[kind] else 0.0
    r = correct[kind] / gold[kind] if gold[kind] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}"


def title_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] if w[:1].isalpha() else w for w in text.split(" "))


def headline_set(sentences: list[tuple[str, set]]) -> list[tuple[str, set]]:
    return [(title_case(text) + "\n\n", spans) for text, spans in sentences
            if 4 <= len(text.split()) <= 14 and not text.isupper()]


def evaluate(nlp, sentences: list[tuple[str, set]]) -> tuple[Counter, Counter, Counter, Counter, Counter]:
    gold, raw_pred, raw_ok, fixed_pred, fixed_ok = Counter(), Counter(), Counter(), Counter(), Counter()
    for (_text, spans), doc in zip(sentences, nlp.pipe([t for t, _ in sentences], batch_size=256), strict=True):
        gold.update(kind for *_, kind in spans)
        raw = {(e.start_char, e.end_char, MAP[e.label_]) for e in doc.ents if e.label_ in MAP}
        fixed = {(m.start, m.end, MAP[m.label]) for m in extract(doc) if m.label in MAP}
        for predicted, counter, ok in ((raw, raw_pred, raw_ok), (fixed, fixed_pred, fixed_ok)):
            counter.update(kind for *_, kind in predicted)
            ok.update(kind for *_, kind in predicted & spans)
    return gold, raw_pred, raw_ok, fixed_pred, fixed_ok


def report(title: str, counts: tuple[Counter, Counter, Counter, Counter, Counter]) -> None:
    gold, raw_pred, raw_ok, fixed_pred, fixed_ok = counts
    print(title)
    for kind in TYPES:
        print(f"{kind}  spaCy {score(gold, raw_pred, raw_ok, kind)}   Newsdesk {score(gold, fixed_pred, fixed_ok, kind)}   (gold {gold[kind]:,})")
    all_gold = Counter({"ALL": sum(gold.values())})
    for name, pred, ok in (("spaCy", raw_pred, raw_ok), ("Newsdesk", fixed_pred, fixed_ok)):
        print(f"ALL {name:<9}", score(all_gold, Counter({"ALL": sum(pred.values())}), Counter({"ALL": sum(ok.values())}), "ALL"))


def main() -> None:
    sentences = read_conll(CORPORA / "conll2003" / "eng.testb.txt")
    nlp = load_pipeline()
    started = time.perf_counter()
    counts = evaluate(nlp, sentences)
    seconds = time.perf_counter() - started
    print(f"machine: {machine()}; {len(sentences):,} sentences in {seconds:.1f} s")
    report("CoNLL-2003 eng.testb, sentences as written", counts)
    headlines = headline_set(sentences)
    report(f"Title Case headlines built from eng.testb ({len(headlines):,}, no body)", evaluate(nlp, headlines))


if __name__ == "__main__":
    main()
