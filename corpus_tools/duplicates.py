"""Exact and near-duplicate documents (syndicated copies), flagged rather than dropped.

Exact copies share their normalized text. Near copies (a story re-run with a different
headline or footer) are found with MinHash locality-sensitive hashing from datasketch over word
shingles, and confirmed by the estimated Jaccard similarity.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from datasketch import MinHash

DEFAULT_THRESHOLD = 0.8
SHINGLE_WORDS = 5
NUM_PERM = 64
_WORD = re.compile(r"\w+")
COLUMNS = ["doc_id", "duplicate_of", "duplicate_kind", "duplicate_similarity"]


_SHINGLE_BASE = np.uint64(1_000_003)  # multiplier of the polynomial hash of a shingle's words


@lru_cache(maxsize=1)
def _template() -> MinHash:
    """A MinHash whose permutations are drawn once (seed 1) and shared by every signature.

    Its inputs are already 32-bit shingle hashes (:func:`shingle_hashes`), so its hash function
    is the identity.
    """
    from datasketch import MinHash  # imported when needed: it pulls in scipy

    return MinHash(num_perm=NUM_PERM, hashfunc=int)


@lru_cache(maxsize=1 << 20)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def normalized_key(text: str, words: list[str] | None = None) -> str:
    """Hash of the text with case and white space folded: equal keys are exact duplicates."""
    words = _words(text) if words is None else words
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def shingle_hashes(
    text: str, size: int = SHINGLE_WORDS, words: list[str] | None = None
) -> np.ndarray:
    """The distinct 32-bit hashes of the ``size``-word shingles of ``text`` (lower-cased), sorted.

    Each word is hashed once (CRC-32) and a shingle's hash is a polynomial of its words' hashes,
    so no shingle string is built. A text of ``size`` words or fewer is one shingle.
    """
    words = _words(text) if words is None else words
    if not words:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    count = max(1, len(words) - size + 1)
    combined = np.zeros(count, dtype=np.uint64)
    for k in range(min(size, len(words))):
        combined = combined * _SHINGLE_BASE + hashes[k : k + count]  # wraps mod 2**64
    return np.unique(combined & np.uint64(0xFFFFFFFF))


@dataclass(frozen=True)
class Fingerprint:
    """What duplicate detection needs of one text: its exact key and its MinHash signature.

    Computed where the document is cleaned (in parallel), so that only the comparison of
    signatures is left for the one process that sees the whole corpus.
    """

    key: str  # see normalized_key
    signature: np.ndarray  # NUM_PERM MinHash values of the text's shingles


def fingerprint(text: str) -> Fingerprint:
    """The :class:`Fingerprint` of a cleaned text."""
    words = _words(text)
    signature = _minhash()
    signature.update_batch(shingle_hashes(text, words=words).tolist())
    return Fingerprint(normalized_key(text, words), signature.hashvalues)


def _minhash(hashvalues: np.ndarray | None = None) -> MinHash:
    from datasketch import MinHash

    template = _template()
    return MinHash(
        num_perm=NUM_PERM,
        hashfunc=int,
        hashvalues=hashvalues,
        permutations=template.permutations,
        scheme=template.scheme,
    )


def find_duplicates(
    doc_ids: Sequence[str],
    texts: Sequence[str],
    order_keys: Sequence[str] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    fingerprints: Sequence[Fingerprint | None] | None = None,
) -> pd.DataFrame:
    """Flag each document that copies an earlier one.

    "Earlier" is by ``order_keys`` (e.g. the publication date; empty sorts last), then by
    ``doc_id``, so the same corpus always gives the same answer.

    Args:
        doc_ids: Document ids.
        texts: Cleaned texts, aligned with ``doc_ids``.
        order_keys: Sort keys deciding which copy is the original; defaults to the ids.
        threshold: Estimated Jaccard similarity of word 5-shingles above which two documents
            are near-duplicates (0 < threshold <= 1); 1 keeps exact copies only.
        fingerprints: The texts' fingerprints where already computed (aligned with
            ``doc_ids``; ``None`` entries are computed here).

    Returns:
        One row per document: ``doc_id``, ``duplicate_of`` (the original's id, "" for
        originals), ``duplicate_kind`` ("exact", "near" or ""), ``duplicate_similarity``
        (1.0 for exact copies, the estimate for near ones, NaN for originals).
    """
    from datasketch import MinHashLSH

    keys = list(order_keys) if order_keys is not None else [""] * len(doc_ids)
    order = sorted(range(len(doc_ids)), key=lambda i: (keys[i] == "", keys[i], doc_ids[i]))
    exact_first: dict[str, str] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM) if threshold < 1 else None
    signatures: dict[str, tuple[int, MinHash]] = {}  # original id -> (rank, signature)
    rows = {}
    for i in order:
        doc_id = doc_ids[i]
        known = fingerprints[i] if fingerprints is not None else None
        found = known if known is not None else fingerprint(texts[i])
        key = found.key
        if key in exact_first:
            rows[doc_id] = (exact_first[key], "exact", 1.0)
            continue
        exact_first[key] = doc_id
        if lsh is None:
            rows[doc_id] = ("", "", float("nan"))
            continue
        signature = _minhash(found.signature)
        best = _best_match(signature, lsh.query(signature), signatures, threshold)
        if best is not None:
            original, similarity = best
            rows[doc_id] = (original, "near", round(similarity, 3))
        else:
            rows[doc_id] = ("", "", float("nan"))
            lsh.insert(doc_id, signature)
            signatures[doc_id] = (len(signatures), signature)
    return pd.DataFrame([(doc_id, *rows[doc_id]) for doc_id in doc_ids], columns=COLUMNS)


def _best_match(
    signature: MinHash,
    candidates: list[str],
    signatures: dict[str, tuple[int, MinHash]],
    threshold: float,
) -> tuple[str, float] | None:
    """The most similar earlier original above ``threshold`` (ties: the earliest)."""
    scored = [(signature.jaccard(signatures[c][1]), -signatures[c][0], c) for c in candidates]
    scored = [item for item in scored if item[0] >= threshold]
    if not scored:
        return None
    score, _, candidate = max(scored)
    return candidate, score
