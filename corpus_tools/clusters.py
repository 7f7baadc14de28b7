"""Word clusters learned from unannotated news: which words are used alike.

Annotated documents are few; news text without annotations is plentiful. Words that occur in
the same contexts ("Acme said", "shares of Acme", "Acme's chief") tend to be names of the same
kind, so a word's cluster tells the name tagger what the annotations alone cannot: that a
company name it never saw is used like others, a small town like others. Built once, from the
words just before and after every occurrence (a positive-PMI matrix, reduced by a randomized
SVD, grouped by k-means at two granularities), and stored as ``data/word_clusters.tsv``: one
word a line, with its coarse and fine cluster numbers and the share of its inside-sentence
occurrences written in lower case (a capitalized common noun is often part of a name; a name
is rarely written in lower case). Plain text, readable and deterministic (fixed seed).

``corpus-tools train-clusters CORPUS …`` rebuilds the file (see ``data/README.md`` for the
corpora it was built from); documents marked ``in_eval_set`` and those named in an exclusion
file are left out, so that text kept for measurement never shapes the clusters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from corpus_tools.paths import DATA_DIR

CLUSTERS_FILE = DATA_DIR / "word_clusters.tsv"
SIZES = (64, 512)  # coarse and fine clusters


@lru_cache(maxsize=1)
def clusters() -> dict[str, tuple[int, ...]]:
    """Word → (coarse, fine) cluster numbers; empty when no cluster file is packaged."""
    return {word: numbers for word, (numbers, _) in _read().items()}


@lru_cache(maxsize=1)
def lower_shares() -> dict[str, float]:
    """Word → how often its lower-case form is written in lower case inside a sentence (0–1).

    "innovation" is mostly written so (a capitalized "Innovation" is likely a word of a name
    such as "Ministry of Business, Innovation and Employment"); "massey" almost never.
    """
    return {word: share for word, (_, share) in _read().items() if share is not None}


COMMON_SHARE = 0.5  # written in lower case at least this often inside sentences: a common noun


def is_common_noun(word: str) -> bool:
    """A word mostly written in lower case in news ("Innovation"; each part of "Good-Will").

    Unknown words are not: a rare capitalized word is more likely a name.
    """
    shares = lower_shares()
    parts = [p for p in word.split("-") if p]
    return bool(parts) and all(
        shares.get(p, shares.get(p.lower(), 0.0)) >= COMMON_SHARE for p in parts
    )


@lru_cache(maxsize=1)
def _read() -> dict[str, tuple[tuple[int, ...], float | None]]:
    if not CLUSTERS_FILE.is_file():
        return {}
    lines = CLUSTERS_FILE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    sizes = [i for i, name in enumerate(header) if name[:1] == "c" and name[1:].isdigit()]
    share = header.index("lower") if "lower" in header else None
    out = {}
    for line in lines[1:]:
        row = line.split("\t")
        if len(row) < len(header):
            continue
        value = row[share] if share is not None else ""
        out[row[0]] = (tuple(int(row[i]) for i in sizes), float(value) if value else None)
    return out


def _lower_counts(docs: list[list[str]]) -> tuple[Counter, Counter]:
    """Inside-sentence occurrences of each lower-cased word: written lower case, and in all."""
    lower, every = Counter(), Counter()
    for doc in docs:
        for i in range(1, len(doc)):
            if doc[i - 1] in _SENTENCE_END:
                continue
            key = doc[i].lower()
            every[key] += 1
            if doc[i] == key:
                lower[key] += 1
    return lower, every


_SENTENCE_END = {".", "!", "?", ":", "\"", "“", "”"}


def _vocabulary(texts: list[list[str]], size: int) -> list[str]:
    counts = Counter(word for words in texts for word in words)
    return [w for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:size] if n >= 5]


def train(
    texts: Iterable[str],
    out: str | Path = CLUSTERS_FILE,
    *,
    vocabulary: int = 60_000,
    contexts: int = 3_000,
    dims: int = 100,
    seed: int = 0,
) -> dict[str, int]:
    """Cluster the words of ``texts`` and write the cluster file.

    Args:
        texts: Documents' text.
        out: The file to write (written whole, then renamed into place).
        vocabulary: How many of the most frequent words get a cluster.
        contexts: How many of the most frequent lower-cased words serve as contexts (left and
            right neighbours apart).
        dims: Dimensions kept by the SVD.
        seed: Seed of the random projections and of k-means.

    Returns:
        Documents, tokens and clustered words.
    """
    import numpy as np

    from corpus_tools.tagger import tokens

    docs = [[text[s:e] for s, e in tokens(text)] for text in texts]
    words = _vocabulary(docs, vocabulary)
    index = {w: i for i, w in enumerate(words)}
    lower = Counter(word.lower() for doc in docs for word in doc)
    context_words = [w for w, _ in sorted(lower.items(), key=lambda x: (-x[1], x[0]))[:contexts]]
    cindex = {w: i for i, w in enumerate(context_words)}
    matrix = np.zeros((len(words), 2 * len(context_words) + 2), dtype=np.float32)
    boundary = 2 * len(context_words)  # a sentence edge as context
    for doc in docs:
        ids = [index.get(w, -1) for w in doc]
        ctx = [cindex.get(w.lower(), -1) for w in doc]
        for i, row in enumerate(ids):
            if row < 0:
                continue
            left = ctx[i - 1] if i > 0 else -1
            right = ctx[i + 1] if i + 1 < len(doc) else -1
            matrix[row, left if left >= 0 else boundary] += 1
            matrix[row, len(context_words) + right if right >= 0 else boundary + 1] += 1
    vectors = _reduce(_ppmi(matrix), dims, seed)
    labels = [_kmeans(vectors, k, seed) for k in SIZES]
    out = Path(out)
    temporary = out.with_name(out.name + ".tmp")
    lower_count, every = _lower_counts(docs)
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\t".join(["word", *(f"c{k}" for k in SIZES), "lower"]) + "\n")
        for i, word in enumerate(words):
            seen = every[word.lower()]
            share = f"{lower_count[word.lower()] / seen:.2f}" if seen else ""
            handle.write("\t".join([word, *(str(int(lab[i])) for lab in labels), share]) + "\n")
    temporary.replace(out)
    for cached in (_read, clusters, lower_shares):
        cached.cache_clear()
    return {"documents": len(docs), "tokens": sum(map(len, docs)), "words": len(words)}


def _ppmi(matrix):
    import numpy as np

    total = matrix.sum()
    rows = matrix.sum(axis=1, keepdims=True)
    cols = matrix.sum(axis=0, keepdims=True) ** 0.75  # context smoothing
    cols = cols / cols.sum() * total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(matrix * total / (rows * cols))
    pmi[~np.isfinite(pmi)] = 0
    return np.maximum(pmi, 0).astype(np.float32)


def _reduce(matrix, dims: int, seed: int):
    """A randomized truncated SVD (Halko et al.), rows normalized to unit length."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sketch = matrix @ rng.standard_normal((matrix.shape[1], dims + 20)).astype(np.float32)
    for _ in range(2):  # power iterations sharpen the leading directions
        sketch = matrix @ (matrix.T @ sketch)
        sketch, _ = np.linalg.qr(sketch)
    basis, _ = np.linalg.qr(sketch)
    small = basis.T @ matrix
    u, s, _ = np.linalg.svd(small, full_matrices=False)
    vectors = (basis @ u[:, :dims]) * np.sqrt(s[:dims])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _kmeans(vectors, k: int, seed: int, iterations: int = 25):
    """Cluster numbers of the rows (k-means, spread-out seeding, fixed seed)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(vectors)
    k = min(k, n)
    centres = [vectors[rng.integers(n)]]
    nearest = np.full(n, np.inf, dtype=np.float64)
    for _ in range(1, k):
        nearest = np.minimum(nearest, ((vectors - centres[-1]) ** 2).sum(axis=1))
        total = nearest.sum()
        pick = rng.choice(n, p=nearest / total) if total > 0 else int(rng.integers(n))
        centres.append(vectors[pick])
    centres = np.array(centres)
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        distances = (vectors**2).sum(1)[:, None] - 2 * vectors @ centres.T + (centres**2).sum(1)
        labels = distances.argmin(axis=1)
        for c in range(k):
            members = vectors[labels == c]
            if len(members):
                centres[c] = members.mean(axis=0)
    return labels
