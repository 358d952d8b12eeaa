"""Near-duplicate detection: MinHash signatures over word shingles, indexed with LSH.

MinHash + LSH (datasketch) estimates Jaccard similarity of shingle sets in constant time per
lookup, so a corpus of millions stays cheap, and a signature is a fixed 64 numbers we can
store beside the article and reload. Word 3-gram shingles keep numbers, so two earnings
reports of the same template but different figures do not collide.
"""

from __future__ import annotations

import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH

from dashboard.model import normalise_text

NUM_PERM = 64
THRESHOLD = 0.6
SHINGLE = 3
MIN_SHINGLES = 8  # below this a text is too short to call a near-duplicate
SCHEME = "affine32"


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


# Drawing the permutations is most of a MinHash's construction cost: draw them once.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def _minhash(hashvalues: np.ndarray | None = None) -> MinHash:
    values = None if hashvalues is None else hashvalues.astype(np.uint64)
    return MinHash(num_perm=NUM_PERM, hashfunc=_crc32, seed=1, scheme=SCHEME, hashvalues=values, permutations=_PERMUTATIONS)


def shingles(text: str) -> set[bytes]:
    words = normalise_text(text).split()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(max(0, len(words) - SHINGLE + 1))}


def signature(text: str) -> np.ndarray | None:
    """The MinHash of a text as uint32 values, or None when the text is too short."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = _minhash()
    minhash.update_batch(list(grams))
    return minhash.hashvalues.astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


class NearDuplicateIndex:
    """An LSH index of signatures that answers: which stored article is this one a copy of?"""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self._signatures: dict[str, np.ndarray] = {}

    def add(self, key: str, sig: np.ndarray) -> None:
        if key in self._signatures:
            return
        self._lsh.insert(key, _minhash(sig))
        self._signatures[key] = sig

    def remove(self, key: str) -> None:
        if self._signatures.pop(key, None) is not None:
            self._lsh.remove(key)

    def original_of(self, sig: np.ndarray) -> str | None:
        """The most similar stored article at or above the threshold, if any."""
        candidates = self._lsh.query(_minhash(sig))
        best, best_score = None, THRESHOLD
        for key in sorted(candidates):
            score = similarity(sig, self._signatures[key])
            if score >= best_score:
                best, best_score = key, score
        return best
