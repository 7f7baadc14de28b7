"""Score extracted entities against gold annotations (the project's annotation conventions).

Names are compared after normalisation (NFKC, lower case, quotes unified, possessive 's
dropped, hyphens and slashes to spaces, other punctuation removed, white space collapsed, a
leading "the " dropped). A prediction matches a gold entity of the same type when it equals
the gold name or one of its aliases; several predictions matching one gold entity count once,
their mentions summed; optional gold entities neither reward nor penalise; any other prediction
is a false positive. Precision, recall and F1 are over distinct entities per document, summed
over documents, per type; mention-count accuracy is the share of matched gold entities whose
summed predicted mentions equal the gold count.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pandas as pd

from corpus_tools.entities import ENTITY_TYPES

SCORE_COLUMNS = [
    "type",
    "tp",
    "fp",
    "fn",
    "precision",
    "recall",
    "f1",
    "matched",
    "count_exact",
    "count_accuracy",
]


def normalize_name(name: str) -> str:
    """The comparison form of a name (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[‘’´`]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[-/]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


def load_gold(path: str | Path) -> dict[str, dict]:
    """Gold documents by doc_id from a JSON list (the seeds-gold format)."""
    return {doc["doc_id"]: doc for doc in json.loads(Path(path).read_text(encoding="utf-8"))}


def score_entities(entities: pd.DataFrame, gold: dict[str, dict]) -> pd.DataFrame:
    """Precision, recall, F1 and mention-count accuracy per type, and over all types.

    Args:
        entities: The entities table (``doc_id, entity, type, mentions`` at least).
        gold: Gold documents by doc_id (only these documents are scored).

    Returns:
        One row per type plus ``ALL`` (untyped: a match ignores the type).
    """
    rows = []
    for kind in (*ENTITY_TYPES, "ALL"):
        totals = defaultdict(int)
        for doc_id, doc in gold.items():
            predicted = entities[entities["doc_id"] == doc_id]
            result = _score_document(predicted, doc["entities"], None if kind == "ALL" else kind)
            for key, value in result.items():
                totals[key] += value
        tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        matched, exact = totals["matched"], totals["count_exact"]
        rows.append((kind, tp, fp, fn, round(precision, 3), round(recall, 3), round(f1, 3),
                     matched, exact, round(exact / matched, 3) if matched else 0.0))  # fmt: skip
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def _score_document(
    predicted: pd.DataFrame, gold_entities: list[dict], kind: str | None
) -> dict[str, int]:
    golds = [g for g in gold_entities if kind is None or g["type"] == kind]
    keys = [{normalize_name(n) for n in [g["name"], *g.get("aliases", [])]} for g in golds]
    if kind is not None:
        predicted = predicted[predicted["type"] == kind]
    summed: dict[int, int] = defaultdict(int)
    fp = 0
    for name, mentions in zip(predicted["entity"], predicted["mentions"], strict=True):
        norm = normalize_name(name)
        hit = next((i for i, k in enumerate(keys) if norm in k), None)
        if hit is None:
            fp += 1
        else:
            summed[hit] += int(mentions)
    required = [i for i, g in enumerate(golds) if not g.get("optional")]
    tp = sum(1 for i in required if i in summed)
    exact = sum(1 for i in required if i in summed and summed[i] == golds[i]["mentions"])
    return {"tp": tp, "fp": fp, "fn": len(required) - tp, "matched": tp, "count_exact": exact}


def entity_errors(entities: pd.DataFrame, gold: dict[str, dict]) -> pd.DataFrame:
    """Every false positive, false negative and count mismatch, for reading (type-aware)."""
    rows = []
    for doc_id, doc in gold.items():
        predicted = entities[entities["doc_id"] == doc_id]
        golds = doc["entities"]
        keys = [
            ({normalize_name(n) for n in [g["name"], *g.get("aliases", [])]}, g["type"])
            for g in golds
        ]
        summed: dict[int, int] = defaultdict(int)
        for name, kind, mentions in zip(
            predicted["entity"], predicted["type"], predicted["mentions"], strict=True
        ):
            hit = next(
                (i for i, (k, t) in enumerate(keys) if t == kind and normalize_name(name) in k),
                None,
            )
            if hit is None:
                rows.append((doc_id, "false_positive", kind, name, int(mentions), None))
            else:
                summed[hit] += int(mentions)
        for i, g in enumerate(golds):
            if g.get("optional"):
                continue
            if i not in summed:
                rows.append((doc_id, "false_negative", g["type"], g["name"], None, g["mentions"]))
            elif summed[i] != g["mentions"]:
                rows.append(
                    (doc_id, "count_mismatch", g["type"], g["name"], summed[i], g["mentions"])
                )
    return pd.DataFrame(rows, columns=["doc_id", "error", "type", "name", "predicted", "gold"])


PAIR_SCORE_COLUMNS = ["measure", "tp", "fp", "fn", "precision", "recall", "f1"]


def _name_mapper(doc: dict):
    """Map a predicted name to the gold entity it names (by name or alias), else to itself."""
    index = {}
    for entity in [*doc.get("entities", []), *doc.get("non_body_entities", [])]:
        for name in [entity["name"], *entity.get("aliases", [])]:
            index.setdefault(normalize_name(name), normalize_name(entity["name"]))
    return lambda name: index.get(normalize_name(name), normalize_name(name))


def score_partnerships(partnerships: pd.DataFrame, gold: dict[str, dict]) -> pd.DataFrame:
    """Pair, (pair, year) and date scores of partnership records against gold annotations.

    Pairs are unordered pairs of canonical names per document (names mapped to the gold
    entity they name). Optional gold pairs are neutral. ``date`` counts the matched gold
    records whose date a predicted record of the same pair gives exactly.

    Returns:
        Rows ``pair``, ``pair_year`` (precision/recall/F1) and ``date`` (accuracy as recall).
    """
    totals = {"pair": [0, 0, 0], "pair_year": [0, 0, 0], "date": [0, 0, 0]}
    for doc_id, doc in gold.items():
        name = _name_mapper(doc)
        predicted = partnerships[partnerships["doc_id"] == doc_id]
        pred_pairs = {
            frozenset((name(a), name(b)))
            for a, b in zip(predicted["a"], predicted["b"], strict=True)
        }
        pred_years = {
            (frozenset((name(a), name(b))), (d or "")[:4])
            for a, b, d in zip(predicted["a"], predicted["b"], predicted["date"], strict=True)
        }
        pred_dates = {
            (frozenset((name(a), name(b))), d or "")
            for a, b, d in zip(predicted["a"], predicted["b"], predicted["date"], strict=True)
        }
        required = [p for p in doc.get("partnerships", []) if not p.get("optional")]
        optional = [p for p in doc.get("partnerships", []) if p.get("optional")]
        gold_pairs = {frozenset((name(p["a"]), name(p["b"]))) for p in required}
        neutral = {frozenset((name(p["a"]), name(p["b"]))) for p in optional} - gold_pairs
        gold_years = {
            (frozenset((name(p["a"]), name(p["b"]))), (p.get("date") or "")[:4]) for p in required
        }
        neutral_years = {
            (frozenset((name(p["a"]), name(p["b"]))), (p.get("date") or "")[:4]) for p in optional
        }
        _add(totals["pair"], pred_pairs - neutral, gold_pairs)
        _add(
            totals["pair_year"],
            {py for py in pred_years if py[0] not in neutral} - (neutral_years - gold_years),
            gold_years,
        )
        matched = [p for p in required if frozenset((name(p["a"]), name(p["b"]))) in pred_pairs]
        exact = sum(
            1
            for p in matched
            if (frozenset((name(p["a"]), name(p["b"]))), p.get("date") or "") in pred_dates
        )
        totals["date"][0] += exact
        totals["date"][2] += len(matched) - exact
    rows = []
    for measure, (tp, fp, fn) in totals.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((measure, tp, fp, fn, round(precision, 3), round(recall, 3), round(f1, 3)))
    return pd.DataFrame(rows, columns=PAIR_SCORE_COLUMNS)


def _add(total: list[int], predicted: set, gold: set) -> None:
    total[0] += len(predicted & gold)
    total[1] += len(predicted - gold)
    total[2] += len(gold - predicted)


def partnership_errors(partnerships: pd.DataFrame, gold: dict[str, dict]) -> pd.DataFrame:
    """False positive and false negative pairs per document, for reading."""
    rows = []
    for doc_id, doc in gold.items():
        name = _name_mapper(doc)
        predicted = partnerships[partnerships["doc_id"] == doc_id]
        pred = {
            frozenset((name(a), name(b))): (a, b)
            for a, b in zip(predicted["a"], predicted["b"], strict=True)
        }
        required = {
            frozenset((name(p["a"]), name(p["b"]))): p
            for p in doc.get("partnerships", [])
            if not p.get("optional")
        }
        optional = {
            frozenset((name(p["a"]), name(p["b"])))
            for p in doc.get("partnerships", [])
            if p.get("optional")
        }
        for key, (a, b) in pred.items():
            if key not in required and key not in optional:
                rows.append((doc_id, "false_positive", a, b))
        for key, p in required.items():
            if key not in pred:
                rows.append((doc_id, "false_negative", p["a"], p["b"]))
    return pd.DataFrame(rows, columns=["doc_id", "error", "a", "b"])
