"""Score extracted entities and partnerships against gold annotations.

The definition is the project's (``tests/gold/GUIDELINES.md``, section 9; the annotation
workspace's ``score.py`` implements the same one, and this module gives the same numbers):

- Names are compared after normalisation (NFKC, lower case, quotes unified, possessive 's
  dropped, hyphens, dashes and slashes to spaces, other punctuation removed, white space
  collapsed, a leading "the " dropped). A predicted name names a gold entity when it equals the
  normalised gold name or one of its aliases; every gold entity of the document counts here,
  the required, the ``optional`` and the ``non_body_entities`` ones (when two share a form, a
  required one wins over an optional one, which wins over a non-body one, then the first listed).
- Several predictions naming one gold entity count once, their mentions summed; predictions
  that name no gold entity count once per normalised name.
- Optional gold entities are neutral (never a true positive, false positive or false
  negative, whatever type they are predicted with); predicting a non-body entity is a false
  positive.
- Precision, recall and F1 are over distinct entities per document, summed over documents:
  per type (a prediction of a gold entity with another type is a false positive of the
  predicted type and a false negative of the gold type) and untyped (``ALL``).
- Mention counts: the share of matched required entities (with a gold count) whose summed
  predicted mentions equal the gold body count.
- Precision, recall and F1 are rounded to four decimals and the count share to three, as
  ``score.py`` does, so that a figure printed with three decimals reads the same in both.
- Partnerships: unordered pairs of entities per document (a name is mapped to the gold entity
  it names, else kept as its normalised self; a pair of one entity with itself is dropped),
  and (pair, year) where the year is the date's first four digits. An optional gold pair is
  neutral unless the same pair also has a required record.

Document ids are compared without a trailing ``.txt``. :func:`run_suite` scores the seeds and,
when the annotation workspace is there, its development set (``make eval``).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from corpus_tools.entities import ENTITY_TYPES
from corpus_tools.paths import PROJECT_ROOT, SEEDS_DIR

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
PAIR_SCORE_COLUMNS = ["measure", "tp", "fp", "fn", "precision", "recall", "f1"]
ENTITY_ERROR_COLUMNS = ["doc_id", "error", "type", "name", "predicted", "gold"]
PAIR_ERROR_COLUMNS = ["doc_id", "error", "a", "b", "year"]

SEEDS_GOLD = PROJECT_ROOT / "tests" / "gold" / "seeds-gold.json"
DEV_DIR = PROJECT_ROOT.parent / "shared" / "annotation" / "dev"
DEV_TRAIN = (1, 2, 3, 4, 7, 8)  # tune on these freely
DEV_CHECK = (5, 6)  # score, never tune: the figure for text the rules were not fitted to

_ROLE_RANK = {"required": 0, "optional": 1, "non_body": 2}

# A scoring target: ("g", index of a gold entity) or ("u", the normalised predicted name).
Target = tuple[str, int | str]


def normalize_name(name: str) -> str:
    """The comparison form of a name (see the module docstring).

    Example:
        >>> normalize_name("The University’s Nano-Tech Lab")
        'university nano tech lab'
    """
    text = unicodedata.normalize("NFKC", name or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.lower().strip()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[-\u2013\u2014/]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    text = " ".join(text.split())
    return re.sub(r"^the ", "", text)


def doc_key(doc_id: object) -> str:
    """A document id as it is compared: without a trailing ``.txt``."""
    text = str(doc_id)
    return text[:-4] if text.endswith(".txt") else text


def year_of(date: object) -> str | None:
    """The year of a ``YYYY[-MM[-DD]]`` date (its first four digits), ``None`` without one."""
    if date is None or (isinstance(date, float) and date != date):
        return None
    match = re.match(r"(\d{4})", str(date))
    return match.group(1) if match else None


def load_gold(*paths: str | Path) -> dict[str, dict]:
    """Gold documents by doc_id from one or more JSON files (the seeds-gold format).

    Each file holds a list of documents (or an object of documents by doc_id); the files are
    read in order, so ``load_gold("dev1.json", "dev2.json")`` scores both batches together.

    Raises:
        ValueError: No file given, or one document id occurs twice (the message names it).
    """
    if not paths:
        raise ValueError("load_gold needs at least one gold file")
    gold: dict[str, dict] = {}
    seen_in: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise FileNotFoundError(f"gold file not found: {path}")
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = [dict(doc, doc_id=doc_id) for doc_id, doc in data.items()]
        for doc in data:
            key = doc_key(doc["doc_id"])
            if key in gold:
                raise ValueError(f"{path}: document {key!r} is already in {seen_in[key]}")
            gold[key] = doc
            seen_in[key] = path
    return gold


class GoldDocument:
    """One annotated document ready for matching: its entities by normalised name and role."""

    def __init__(self, doc: dict) -> None:
        self.doc_id = doc_key(doc["doc_id"])
        self.entities: list[dict] = [
            {**e, "role": "optional" if e.get("optional") else "required"}
            for e in doc.get("entities", [])
        ] + [{**e, "role": "non_body"} for e in doc.get("non_body_entities", [])]
        self.index: dict[str, int] = {}
        for i, entity in enumerate(self.entities):
            for form in {normalize_name(n) for n in [entity["name"], *entity.get("aliases", [])]}:
                held = self.index.get(form)
                if held is None or (
                    held != i
                    and _ROLE_RANK[entity["role"]] < _ROLE_RANK[self.entities[held]["role"]]
                ):
                    self.index[form] = i
        self.by_name = {e["name"]: i for i, e in enumerate(self.entities)}
        self.required = {i for i, e in enumerate(self.entities) if e["role"] == "required"}
        self.partnerships: list[dict] = list(doc.get("partnerships", []))

    def target(self, name: str) -> Target:
        """What a predicted name stands for: a gold entity, or its own normalised form."""
        form = normalize_name(name)
        found = self.index.get(form)
        return ("g", found) if found is not None else ("u", form)

    def is_neutral(self, target: Target) -> bool:
        """Whether a target neither rewards nor penalises (an optional gold entity)."""
        return target[0] == "g" and self.entities[int(target[1])]["role"] == "optional"

    def pair(self, a: str, b: str, *, canonical: bool = False) -> frozenset[Target] | None:
        """The unordered pair two names stand for; ``None`` for an entity paired with itself.

        With ``canonical`` (gold records), a name spelled exactly like a gold entity's name is
        that entity before any normalised matching.
        """
        ends = []
        for name in (a, b):
            found = self.by_name.get(name) if canonical else None
            ends.append(("g", found) if found is not None else self.target(name))
        return None if ends[0] == ends[1] else frozenset(ends)


@dataclass
class _Tally:
    """True/false positives and negatives, and mention counts compared, of some documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    compared: int = 0
    exact: int = 0

    def add(self, other: _Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.compared += other.compared
        self.exact += other.exact

    def prf(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


@dataclass
class _DocumentEntities:
    """The entity scores of one document, untyped and per type, and its errors."""

    untyped: _Tally = field(default_factory=_Tally)
    typed: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    errors: list[tuple] = field(default_factory=list)


def _score_document_entities(gold: GoldDocument, predicted: Iterable[tuple]) -> _DocumentEntities:
    """Score ``(entity, type, mentions)`` predictions of one document."""
    untyped: dict[Target, int] = {}
    typed: dict[tuple[Target, str], int] = {}
    shown: dict[Target, str] = {}
    for name, kind, mentions in predicted:
        target = gold.target(name)
        if target == ("u", ""):
            continue
        count = int(mentions or 0)
        untyped[target] = untyped.get(target, 0) + count
        typed[(target, kind)] = typed.get((target, kind), 0) + count
        shown.setdefault(target, name)
    result = _DocumentEntities()
    for target, count in untyped.items():
        if gold.is_neutral(target):
            continue
        if target[0] == "g" and target[1] in gold.required:
            result.untyped.tp += 1
            _compare_count(result.untyped, gold.entities[int(target[1])], count)
        else:
            result.untyped.fp += 1
    found = {t[1] for t in untyped if t[0] == "g"}
    result.untyped.fn += len(gold.required - found)
    typed_found = set()
    for (target, kind), count in typed.items():
        if gold.is_neutral(target):
            continue
        entity = gold.entities[int(target[1])] if target[0] == "g" else None
        if entity is not None and target[1] in gold.required and entity["type"] == kind:
            result.typed[kind].tp += 1
            typed_found.add(target[1])
            if not _compare_count(result.typed[kind], entity, count):
                result.errors.append(
                    (gold.doc_id, "count_mismatch", kind, entity["name"], count, entity["mentions"])
                )
        else:
            result.typed[kind].fp += 1
            error = "non_body" if entity is not None and entity["role"] == "non_body" else ""
            label = "false_positive" + (f" ({error})" if error else "")
            result.errors.append((gold.doc_id, label, kind, shown[target], count, None))
    for index in sorted(gold.required - typed_found):
        entity = gold.entities[index]
        result.typed[entity["type"]].fn += 1
        result.errors.append(
            (gold.doc_id, "false_negative", entity["type"], entity["name"], None,
             entity.get("mentions"))
        )  # fmt: skip
    return result


def _compare_count(tally: _Tally, entity: dict, predicted: int) -> bool:
    """Count one mention-count comparison; ``True`` when equal or the gold has no count."""
    if entity.get("mentions") is None:
        return True
    tally.compared += 1
    equal = predicted == entity["mentions"]
    tally.exact += equal
    return equal


def _by_document(table: pd.DataFrame, columns: Sequence[str]) -> dict[str, list[tuple]]:
    """Rows of ``columns`` of a predictions table, grouped by compared document id."""
    rows: dict[str, list[tuple]] = defaultdict(list)
    if table.empty:
        return rows
    values = [table[c].tolist() for c in columns]
    for doc_id, *row in zip(table["doc_id"].tolist(), *values, strict=True):
        rows[doc_key(doc_id)].append(tuple(row))
    return rows


def _entity_results(entities: pd.DataFrame, gold: dict[str, dict]) -> list[_DocumentEntities]:
    predicted = _by_document(entities, ["entity", "type", "mentions"])
    return [
        _score_document_entities(GoldDocument(doc), predicted.get(doc_key(doc_id), []))
        for doc_id, doc in gold.items()
    ]


def score_entities(entities: pd.DataFrame, gold: dict[str, dict]) -> pd.DataFrame:
    """Precision, recall, F1 and mention-count accuracy per type, and untyped.

    Args:
        entities: The entities table (``doc_id, entity, type, mentions`` at least).
        gold: Gold documents by doc_id (:func:`load_gold`); only these documents are scored,
            and one the predictions lack counts as predicting nothing.

    Returns:
        One row per type plus ``ALL`` (untyped: a match ignores the type). ``matched`` is the
        number of matched required entities whose mention count was compared (those with a
        gold count), ``count_exact`` how many of them have the gold count exactly; per type,
        the mentions of the predictions of that type are summed, for ``ALL`` all of them.
    """
    results = _entity_results(entities, gold)
    totals = {kind: _Tally() for kind in (*ENTITY_TYPES, "ALL")}
    for result in results:
        totals["ALL"].add(result.untyped)
        for kind, tally in result.typed.items():
            if kind in totals and kind != "ALL":
                totals[kind].add(tally)
    rows = []
    for kind, tally in totals.items():
        precision, recall, f1 = tally.prf()
        accuracy = tally.exact / tally.compared if tally.compared else 0.0
        rows.append((kind, tally.tp, tally.fp, tally.fn, round(precision, 4), round(recall, 4),
                     round(f1, 4), tally.compared, tally.exact, round(accuracy, 3)))  # fmt: skip
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def entity_errors(entities: pd.DataFrame, gold: dict[str, dict]) -> pd.DataFrame:
    """Every typed false positive, false negative and count mismatch, for reading.

    A false positive that names a non-body gold entity says so (``false_positive
    (non_body)``); a gold entity predicted with the wrong type shows as a false positive of the
    predicted type and a false negative of its own.
    """
    rows = [error for result in _entity_results(entities, gold) for error in result.errors]
    return pd.DataFrame(rows, columns=ENTITY_ERROR_COLUMNS)


@dataclass
class _DocumentPairs:
    """A document's gold and predicted pairs, (pair, year)s and dates, neutral ones removed."""

    gold: set[frozenset]
    gold_years: set[tuple[frozenset, str | None]]
    predicted: set[frozenset]
    predicted_years: set[tuple[frozenset, str | None]]
    names: dict[frozenset, tuple[str, str]]  # a readable (a, b) for every pair
    date_hits: int  # required gold records of a found pair whose exact date was predicted
    date_misses: int


def _document_pairs(gold: GoldDocument, predicted: list[tuple]) -> _DocumentPairs:
    required: set[frozenset] = set()
    required_years: set[tuple[frozenset, str | None]] = set()
    optional: set[frozenset] = set()
    records: list[tuple[frozenset, str]] = []
    names: dict[frozenset, tuple[str, str]] = {}
    for record in gold.partnerships:
        key = gold.pair(record["a"], record["b"], canonical=True)
        if key is None:
            continue
        names.setdefault(key, (record["a"], record["b"]))
        if record.get("optional"):
            optional.add(key)
        else:
            required.add(key)
            required_years.add((key, year_of(record.get("date"))))
            records.append((key, record.get("date") or ""))
    optional -= required
    pairs: set[frozenset] = set()
    pair_years: set[tuple[frozenset, str | None]] = set()
    dates: set[tuple[frozenset, str]] = set()
    for a, b, date in predicted:
        key = gold.pair(a, b)
        if key is None or key in optional:
            continue
        names.setdefault(key, (a, b))
        pairs.add(key)
        pair_years.add((key, year_of(date)))
        dates.add((key, _date_text(date)))
    found = [(key, date) for key, date in records if key in pairs]
    hits = sum(1 for record in found if record in dates)
    return _DocumentPairs(
        required, required_years, pairs, pair_years, names, hits, len(found) - hits
    )


def _date_text(date: object) -> str:
    return "" if date is None or (isinstance(date, float) and date != date) else str(date)


def _pair_results(partnerships: pd.DataFrame, gold: dict[str, dict]) -> list[_DocumentPairs]:
    predicted = _by_document(partnerships, ["a", "b", "date"])
    return [
        _document_pairs(GoldDocument(doc), predicted.get(doc_key(doc_id), []))
        for doc_id, doc in gold.items()
    ]


def score_partnerships(partnerships: pd.DataFrame, gold: dict[str, dict]) -> pd.DataFrame:
    """Pair, (pair, year) and date scores of partnership records against gold annotations.

    Args:
        partnerships: The partnerships table (``doc_id, a, b, date`` at least).
        gold: Gold documents by doc_id (:func:`load_gold`).

    Returns:
        Rows ``pair`` and ``pair_year`` (precision/recall/F1 over distinct unordered pairs per
        document, and over (pair, year)), and ``date``: of the required gold records whose pair
        was found, how many have their exact date among the predictions of that pair (as
        recall; not part of the project's definition, a finer look at dates).
    """
    totals = {"pair": _Tally(), "pair_year": _Tally(), "date": _Tally()}
    for doc in _pair_results(partnerships, gold):
        _add(totals["pair"], doc.predicted, doc.gold)
        _add(totals["pair_year"], doc.predicted_years, doc.gold_years)
        totals["date"].tp += doc.date_hits
        totals["date"].fn += doc.date_misses
    rows = []
    for measure, tally in totals.items():
        precision, recall, f1 = tally.prf()
        rows.append((measure, tally.tp, tally.fp, tally.fn, round(precision, 4), round(recall, 4),
                     round(f1, 4)))  # fmt: skip
    return pd.DataFrame(rows, columns=PAIR_SCORE_COLUMNS)


def _add(total: _Tally, predicted: set, gold: set) -> None:
    total.tp += len(predicted & gold)
    total.fp += len(predicted - gold)
    total.fn += len(gold - predicted)


def partnership_errors(partnerships: pd.DataFrame, gold: dict[str, dict]) -> pd.DataFrame:
    """False positive and false negative pairs, and (pair, year)s with a wrong year, for reading.

    ``wrong_year`` rows are predicted (pair, year)s of a gold pair whose year no required gold
    record of that pair has; ``missed_year`` rows the gold (pair, year)s of a found pair that no
    prediction gives (``year`` is empty for an undated record and on pair rows).
    """
    rows = []
    for doc_id, doc in zip(gold, _pair_results(partnerships, gold), strict=True):
        key = doc_key(doc_id)
        for pair in sorted(doc.predicted - doc.gold, key=lambda p: doc.names[p]):
            rows.append((key, "false_positive", *doc.names[pair], ""))
        for pair in sorted(doc.gold - doc.predicted, key=lambda p: doc.names[p]):
            rows.append((key, "false_negative", *doc.names[pair], ""))
        found = doc.predicted & doc.gold
        for label, years, other in (
            ("wrong_year", doc.predicted_years, doc.gold_years),
            ("missed_year", doc.gold_years, doc.predicted_years),
        ):
            for pair, year in sorted(years - other, key=lambda py: (doc.names[py[0]], py[1] or "")):
                if pair in found:
                    rows.append((key, label, *doc.names[pair], year or ""))
    return pd.DataFrame(rows, columns=PAIR_ERROR_COLUMNS)


@dataclass(frozen=True)
class SuitePart:
    """One scored part of the suite: a name, its gold files and the corpus they annotate."""

    name: str
    gold: tuple[Path, ...]
    corpus: Path


def suite_parts(
    *, seeds_gold: Path = SEEDS_GOLD, seeds: Path = SEEDS_DIR, dev_dir: Path = DEV_DIR
) -> tuple[list[SuitePart], str]:
    """The parts ``make eval`` scores, and a note when the development set is not there.

    Always the seeds; dev-train (batches 1–4, 7, 8) and dev-check (batches 5, 6) when
    ``dev_dir`` (the annotation workspace's ``dev/``, outside the project, research-only
    texts) exists, scored on its ``corpus/``.
    """
    parts = [SuitePart("seeds", (seeds_gold,), seeds)]
    if not dev_dir.is_dir():
        return parts, f"development set not found at {dev_dir}: scored the seeds only"
    for name, batches in (("dev-train", DEV_TRAIN), ("dev-check", DEV_CHECK)):
        files = tuple(dev_dir / f"dev{n}.json" for n in batches)
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise FileNotFoundError(f"{dev_dir}: {name} gold file(s) missing: {missing}")
        parts.append(SuitePart(name, files, dev_dir / "corpus"))
    return parts, ""


def summary_line(name: str, entities: pd.DataFrame, pairs: pd.DataFrame, width: int = 9) -> str:
    """One line of scores: F1 per type, exact mention counts, pair and (pair, year) F1.

    Args:
        name: The part's name.
        entities: :func:`score_entities` output.
        pairs: :func:`score_partnerships` output.
        width: The width the name is padded to, so lines of several parts align.
    """
    e = entities.set_index("type")
    p = pairs.set_index("measure")
    types = "  ".join(f"{kind} {e.loc[kind, 'f1']:.3f}" for kind in ENTITY_TYPES)
    return (
        f"{name:<{width}}  {types}  counts-exact {e.loc['ALL', 'count_accuracy']:.3f}  "
        f"pairs {p.loc['pair', 'f1']:.3f}  pairs+year {p.loc['pair_year', 'f1']:.3f}"
    )


def run_suite(
    parts: list[SuitePart], *, alias_path: str | Path | None = None, progress: bool = False
) -> list[str]:
    """Extract each corpus once and score every part on it; one :func:`summary_line` each.

    Gold documents missing from their corpus are reported on stderr (they count as predicting
    nothing).
    """
    from corpus_tools.pipeline import extract

    extracted = {}
    width = max(len(part.name) for part in parts)
    lines = []
    for part in parts:
        if part.corpus not in extracted:
            extracted[part.corpus] = extract(part.corpus, alias_path=alias_path, progress=progress)
        tables = extracted[part.corpus]
        gold = load_gold(*part.gold)
        warn_missing(gold, tables.documents["doc_id"], part.name)
        lines.append(
            summary_line(
                part.name,
                score_entities(tables.entities, gold),
                score_partnerships(tables.partnerships, gold),
                width,
            )
        )
    return lines


def warn_missing(gold: dict[str, dict], doc_ids: Iterable[str], name: str = "") -> list[str]:
    """Report on stderr the gold documents the corpus lacks; returns their ids."""
    present = {doc_key(d) for d in doc_ids}
    missing = sorted(set(gold) - present)
    if missing:
        where = f" ({name})" if name else ""
        print(
            f"corpus-tools: warning{where}: {len(missing)} gold document(s) not in the corpus: "
            f"{missing[:10]}{' …' if len(missing) > 10 else ''}",
            file=sys.stderr,
        )
    return missing
