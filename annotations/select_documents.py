"""Choose documents of the shared corpora to annotate, reproducibly (a seeded random sample).

Run from the project root with ``../shared`` beside it::

    .venv/bin/python annotations/select_documents.py --corpus reuters-21578 --count 20 \
        --seed 3 --out /tmp/to-annotate

It writes each chosen document's cleaned text (what ``load_corpus`` gives the pipeline, and
so what an annotator must read) to ``OUT/<n>.txt`` with its corpus and id in ``OUT/index.tsv``.
Never chosen: records marked ``in_eval_set``, every record the development set was built from
(dev-check's included) and documents ``news-entities*.json`` already annotate.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

from corpus_tools.corpus import load_corpus

SHARED = Path(__file__).resolve().parents[2] / "shared"
ANNOTATED = sorted(Path(__file__).resolve().parent.glob("news-entities*.json"))
PARTNERSHIP = re.compile(
    r"\b(agreements?|partnerships?|memorandum|MOU|MoU|joint ventures?|cooperat\w+|co-operat\w+"
    r"|collaborat\w+|signed|alliance|consortium)\b"
)


def excluded_records() -> set[str]:
    """``folder#record id`` of documents never to choose: the dev set's and those annotated."""
    with open(SHARED / "annotation/dev/corpus/metadata.csv", encoding="utf-8") as handle:
        excluded = {row["origin"] for row in csv.DictReader(handle)}
    for annotated in ANNOTATED:
        for doc in json.loads(annotated.read_text(encoding="utf-8")):
            excluded.add(f"{doc['corpus']}#{doc['doc_id']}")
    return excluded


def candidates(folder: str, words: tuple[int, int], china: bool) -> list[tuple[str, str]]:
    """``(doc_id, text)`` of the folder's documents that may be chosen, in corpus order."""
    documents = load_corpus(SHARED / "corpora" / folder).documents
    excluded = excluded_records()
    chosen = []
    for row in documents.itertuples():
        marked = str(getattr(row, "in_eval_set", "")).lower() == "true"
        text = row.text
        if marked or f"{folder}#{row.doc_id}" in excluded:
            continue
        if not words[0] <= len(text.split()) <= words[1] or not PARTNERSHIP.search(text):
            continue
        if china and not re.search(r"\bChin(a|ese)\b", text):
            continue
        chosen.append((row.doc_id, text))
    return chosen


def main() -> None:
    """Parse the arguments, sample, and write the texts and the index."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, help="a folder of ../shared/corpora")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--china", action="store_true", help="only documents naming China")
    parser.add_argument("--min-words", type=int, default=120)
    parser.add_argument("--max-words", type=int, default=700)
    args = parser.parse_args()
    pool = candidates(args.corpus, (args.min_words, args.max_words), args.china)
    sample = random.Random(args.seed).sample(pool, min(args.count, len(pool)))
    args.out.mkdir(parents=True, exist_ok=True)
    index = args.out / "index.tsv"
    start = len(index.read_text(encoding="utf-8").splitlines()) if index.exists() else 0
    with open(index, "a", encoding="utf-8") as handle:
        for n, (doc_id, text) in enumerate(sample, start):
            (args.out / f"{n:03d}.txt").write_text(text, encoding="utf-8")
            handle.write(f"{n:03d}\t{args.corpus}\t{doc_id}\n")
    print(f"{len(sample)} of {len(pool)} candidates written to {args.out}")


if __name__ == "__main__":
    main()
