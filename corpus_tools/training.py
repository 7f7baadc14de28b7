"""Training the name tagger from annotated documents (the seeds-gold format).

The gold files list, per document, each entity's canonical name and the other forms it takes in
the text; they do not give character spans. Training examples are made by finding those forms
in the project's own sentences of the annotated corpus, longest first and whole words only, the
way the scorer counts mentions (GUIDELINES M20): each token inside a found form gets that
entity's BIO label, every other token ``O``. Out-of-scope names (``other_names``) and non-body
names block the forms inside them, so "China" inside "China Daily" is not labelled a place.

Only documents listed in the gold files are used: a corpus folder may hold documents kept
apart for measurement. Training is deterministic (L-BFGS over the same examples in the same
order gives the same model file).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_tools.entities import ENTITY_TYPES, find_mentions
from corpus_tools.evaluate import doc_key, load_gold
from corpus_tools.paths import PROJECT_ROOT
from corpus_tools.tagger import (
    MODEL_FILE,
    document_context,
    rule_labels,
    sentence_features,
    tokens,
    windows,
)

if TYPE_CHECKING:
    import pandas as pd

NEWS_GOLD = PROJECT_ROOT / "annotations" / "news-entities.json"
CORPORA_DIR = PROJECT_ROOT.parent / "shared" / "corpora"
TRAINER_PARAMS = {
    "c1": 0.1, "c2": 0.3, "max_iterations": 250, "feature.possible_transitions": True,
}  # fmt: skip


@dataclass(frozen=True)
class Form:
    """A written form of a gold name: its text and label (a type, or ``O`` for a blocker)."""

    text: str
    label: str


def gold_forms(doc: dict) -> list[Form]:
    """The forms to look for in one gold document, longest first.

    Optional entities are labelled only when every word of the form is capitalized ("Chinese
    Academy of Sciences"); lower-case optional spans ("the Finnish government") are left ``O``.
    """
    forms: dict[str, str] = {}
    for item in doc.get("other_names") or []:
        forms.setdefault(item["name"], "O")
    for item in doc.get("non_body_entities") or []:
        name = item["name"] if isinstance(item, dict) else str(item)
        forms.setdefault(name, "O")
    for entity in doc.get("entities") or []:
        if entity.get("type") not in ENTITY_TYPES:
            continue
        for text in [entity["name"], *(entity.get("aliases") or [])]:
            proper = all(w[:1].isupper() or not w[:1].isalpha() or w in _CONNECTORS
                         for w in text.split())  # fmt: skip
            label = entity["type"] if proper or not entity.get("optional") else "O"
            forms[text] = label if forms.get(text, "O") == "O" else forms[text]
    return sorted((Form(t, lab) for t, lab in forms.items() if t.strip() and "(" not in t),
                  key=lambda f: (-len(f.text), f.text))  # fmt: skip


_CONNECTORS = {"of", "the", "and", "for", "at", "&", "de", "du", "des", "del", "di", "in", "on"}


def _occurrences(sentence: str, form: str) -> Iterator[tuple[int, int]]:
    pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)(?!['’][A-Za-z]{{2}})")
    for match in pattern.finditer(sentence):
        yield match.start(), match.end()


def gold_labels(sentence: str, spans: Sequence[tuple[int, int]], forms: list[Form]) -> list[str]:
    """BIO labels of a sentence's tokens from the gold forms of its document."""
    taken: list[tuple[int, int]] = []
    labels = ["O"] * len(spans)
    for form in forms:
        if form.text not in sentence:
            continue
        for start, end in _occurrences(sentence, form.text):
            if any(start < e and s < end for s, e in taken):
                continue
            inside = [i for i, (s, e) in enumerate(spans) if s >= start and e <= end]
            if not inside or spans[inside[0]][0] != start or spans[inside[-1]][1] != end:
                continue  # the form does not fall on token boundaries
            taken.append((start, end))
            if form.label == "O":
                continue
            for n, i in enumerate(inside):
                labels[i] = ("B-" if n == 0 else "I-") + form.label
    return labels


def examples(
    sentences: Sequence[tuple[str, str]], gold: dict[str, dict]
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) for every sentence ``(doc_id, text)`` of a gold document."""
    by_doc: dict[str, list[str]] = {}
    for doc_id, text in sentences:
        if doc_key(doc_id) in gold:
            by_doc.setdefault(doc_key(doc_id), []).append(text)
    for doc_id, texts in by_doc.items():
        forms = gold_forms(gold[doc_id])
        found = [find_mentions(text) for text in texts]
        context = document_context(texts, found)
        for text, mentions in zip(texts, found, strict=True):
            spans = tokens(text)
            if not spans:
                continue
            rules = rule_labels(spans, mentions)
            labels = gold_labels(text, spans, forms)
            words = [text[s:e] for s, e in spans]
            for a, b in windows(words, spans):
                yield sentence_features(text, spans, rules, context, (a, b), words), labels[a:b]


def corpus_sentences(
    corpus: str | Path, only: frozenset[str] | None = None
) -> tuple[tuple[str, str], ...]:
    """``(doc_id, text)`` of every sentence of a corpus, as the pipeline segments it.

    ``only``: the documents to segment (by :func:`~corpus_tools.evaluate.doc_key`), when a
    large corpus holds a few annotated ones.
    """
    from corpus_tools.corpus import load_corpus
    from corpus_tools.segment import sentences

    documents = load_corpus(corpus).documents
    if only is not None:
        documents = documents[documents["doc_id"].map(doc_key).isin(only)]
    table = sentences(documents)
    return tuple(zip(table["doc_id"], table["text"], strict=True))


def train(
    sets: Sequence[tuple[str | Path, Sequence[str | Path]]],
    model: str | Path = MODEL_FILE,
    *,
    read: dict | None = None,
) -> dict[str, object]:
    """Train the tagger on ``(corpus, gold files)`` pairs and write the model file.

    ``read``: sentences already read, by corpus and documents (:func:`corpus_sentences`), kept
    across calls by a caller that trains several times on the same corpora (cross-validation).

    Returns:
        A summary: documents, windows (stretches tagged), labelled names per type, the model,
        and ``missing``: annotated documents that none of the corpora holds (not trained on).
    """
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(TRAINER_PARAMS)
    counts: Counter[str] = Counter()
    annotated: set[str] = set()
    documents: set[str] = set()
    read = {} if read is None else read
    for corpus, gold_files in sets:
        gold = load_gold(*gold_files)
        key = (str(corpus), frozenset(gold))
        if key not in read:
            read[key] = corpus_sentences(*key)
        sentences = read[key]
        for features, labels in examples(sentences, gold):
            trainer.append(features, labels)
            counts["windows"] += 1
            counts.update(label[2:] for label in labels if label.startswith("B-"))
        source = ",".join(map(str, gold_files))
        annotated |= {f"{source}#{doc}" for doc in gold}
        documents |= {f"{source}#{doc_key(d)}" for d, _ in sentences}
    model = Path(model)
    model.parent.mkdir(parents=True, exist_ok=True)
    temporary = model.with_name(model.name + ".tmp")
    trainer.train(str(temporary))
    temporary.replace(model)
    missing = sorted(annotated - documents)
    return {"documents": len(documents), **counts, "model": str(model), "missing": missing}


def default_sets(
    dev_dir: Path | None = None, *, news_gold: Path = NEWS_GOLD, corpora: Path = CORPORA_DIR
) -> tuple[list[tuple[Path, tuple[Path, ...]]], str]:
    """The annotations the packaged model is trained on: seeds, own news annotations, dev-train.

    In that order: dev-train last, the folds of ``--cross-validate``; the news annotations are
    :func:`news_sets`. Never dev-check: it stands in for unseen text. Returns the sets and a
    note on what is not there (without the development set, the seeds alone).
    """
    from corpus_tools.evaluate import DEV_DIR, suite_parts

    parts, note = suite_parts(dev_dir=dev_dir or DEV_DIR)
    sets = [(p.corpus, p.gold) for p in parts if p.name in ("seeds", "dev-train")]
    news, missing = news_sets(news_gold, corpora)
    if missing:
        note = "; ".join(filter(None, [note, f"corpora not found, not trained on: {missing}"]))
    return [sets[0], *news, *sets[1:]], note


def news_sets(
    gold: Path = NEWS_GOLD, corpora: Path = CORPORA_DIR
) -> tuple[list[tuple[Path, tuple[Path, ...]]], list[str]]:
    """One training set per corpus folder that ``gold`` annotates documents of, when it is there.

    ``annotations/news-entities.json`` annotates documents of the shared corpora (research-only
    texts, so they stay outside the project: each document names its ``corpus`` folder under
    ``corpora``). Returns the sets and the folders that are missing.
    """
    if not gold.is_file():
        return [], []
    folders = sorted({doc["corpus"] for doc in json.loads(gold.read_text(encoding="utf-8"))})
    there = [f for f in folders if (corpora / f).is_dir()]
    return [(corpora / f, (gold,)) for f in there], [f for f in folders if f not in there]


def held_out_origins(dev_dir: Path) -> set[str]:
    """``folder#record id`` of the dev-check documents, to keep them out of the clusters."""
    import csv

    from corpus_tools.evaluate import DEV_CHECK

    with open(dev_dir / "corpus" / "metadata.csv", encoding="utf-8", newline="") as handle:
        origin = {row["doc_id"]: row["origin"] for row in csv.DictReader(handle)}
    held = set()
    for batch in DEV_CHECK:
        for line in (dev_dir / f"split-dev{batch}.txt").read_text(encoding="utf-8").splitlines():
            if line.strip() in origin:
                held.add(origin[line.strip()])
    return held


def unannotated_texts(corpora: Sequence[str | Path], excluded: set[str]) -> tuple[list[str], int]:
    """The texts of corpora, without documents marked ``in_eval_set`` or listed in ``excluded``.

    ``excluded`` holds ``folder#doc_id`` (the folder's name) or plain doc ids. Returns the
    texts and how many documents were left out.
    """
    from corpus_tools.corpus import load_corpus

    texts, skipped = [], 0
    for corpus in corpora:
        documents = load_corpus(corpus).documents
        folder = Path(corpus).name
        marked = (
            documents["in_eval_set"].astype(str).str.lower().eq("true")
            if "in_eval_set" in documents
            else [False] * len(documents)
        )
        for doc_id, text, held in zip(documents["doc_id"], documents["text"], marked, strict=True):
            if held or doc_id in excluded or f"{folder}#{doc_id}" in excluded:
                skipped += 1
            else:
                texts.append(text)
    return texts, skipped


def cross_validate(
    corpus: str | Path,
    folds: Sequence[Path],
    always: Sequence[tuple[str | Path, Sequence[str | Path]]] = (),
) -> pd.DataFrame:
    """Scores of the tagger on annotated documents it was not trained on.

    Each gold file of ``folds`` (documents of ``corpus``) is held out in turn: a model trained
    on ``always`` and the other folds reads it, and the held-out documents of every fold are
    scored together, the way ``make eval`` scores (:func:`corpus_tools.evaluate.score_entities`).
    This is the honest figure for training documents, which the packaged model has seen.

    Returns:
        The :func:`~corpus_tools.evaluate.score_entities` table over all held-out documents.
    """
    import tempfile

    import pandas as pd

    from corpus_tools.aggregate import entity_table
    from corpus_tools.aliases import load_registry
    from corpus_tools.corpus import load_corpus
    from corpus_tools.evaluate import score_entities
    from corpus_tools.pipeline import merge_spellings, resolve_mentions
    from corpus_tools.segment import sentences as sentence_table
    from corpus_tools.tagger import Tagger

    table = sentence_table(load_corpus(corpus).documents)
    registry = load_registry()
    entities, gold_all = [], {}
    read: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for held in folds:
            rest = [f for f in folds if f != held]
            model = Path(tmp) / "fold.crfsuite"
            train([*always, (corpus, rest)], model, read=read)
            gold = load_gold(held)
            part = table[table["doc_id"].map(doc_key).isin(gold)]
            mentions = merge_spellings(resolve_mentions(part, registry, tagger=Tagger(model)))
            entities.append(entity_table(mentions, registry))
            gold_all.update(gold)
    return score_entities(pd.concat(entities, ignore_index=True), gold_all)
