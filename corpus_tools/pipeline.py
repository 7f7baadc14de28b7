"""From a corpus to the extracted tables, and those tables to disk (CSV and Parquet).

Tables (the public contract; CSV and Parquet carry the same columns):

``documents`` — as in :mod:`corpus_tools.corpus`, without the text.
``sentences`` — ``doc_id, sent_id, para_id, start, end, text``.
``mentions`` — ``doc_id, sent_id, start, end, surface, entity, type``: offsets into the
    document's cleaned text, so ``text[start:end] == surface``.
``entities`` — ``doc_id, entity, type, sector, mentions, aliases``: one row per entity per
    document; ``aliases`` lists the other surface forms, separated by ``|``.
``aliases`` — ``entity, type, surface, mentions, documents``: which surface forms were merged
    into which canonical name, and how often (the whole corpus).
``skipped`` — ``path, reason``.
``cooccurrence`` — pairs of entities in the same sentence (see :mod:`corpus_tools.cooccurrence`).
``partnerships``, ``dyads`` — dated, typed partnership records and pairs (see
    :mod:`corpus_tools.partnerships`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from corpus_tools import aliases as alias_rules
from corpus_tools import cooccurrence as cooc
from corpus_tools import partnerships as partner_rules
from corpus_tools.corpus import Corpus, load_corpus
from corpus_tools.entities import Mention, find_mentions
from corpus_tools.outputs import atomic_write_bytes, write_csv
from corpus_tools.segment import sentences as segment_sentences

MENTION_COLUMNS = ["doc_id", "sent_id", "start", "end", "surface", "entity", "type"]
ENTITY_COLUMNS = ["doc_id", "entity", "type", "sector", "mentions", "aliases"]
ALIAS_COLUMNS = ["entity", "type", "surface", "mentions", "documents"]


@dataclass
class Tables:
    """Everything extracted from one corpus."""

    corpus: Corpus
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    aliases: pd.DataFrame
    cooccurrence: pd.DataFrame
    partnerships: pd.DataFrame
    dyads: pd.DataFrame

    @property
    def documents(self) -> pd.DataFrame:
        """The documents table (with text)."""
        return self.corpus.documents

    @property
    def skipped(self) -> pd.DataFrame:
        """Files and records not loaded, with the reason."""
        return self.corpus.skipped


def extract(
    corpus: str | Path | None = None,
    *,
    metadata_path: str | Path | None = None,
    alias_path: str | Path | None = None,
    progress: bool = False,
) -> Tables:
    """Load a corpus and extract sentences, mentions, entities and the alias table.

    Args:
        corpus: Folder or file; empty means the bundled ``seeds/``.
        metadata_path: A metadata sidecar (default: ``metadata.csv`` in the corpus folder).
        alias_path: A researcher's alias registry CSV, read on top of the packaged one.
        progress: Show progress bars.

    Returns:
        The :class:`Tables`.

    Example:
        >>> tables = extract("seeds")  # doctest: +SKIP
        >>> tables.entities.query("type == 'ORG'").head()  # doctest: +SKIP
    """
    registry = alias_rules.load_registry(alias_path)
    loaded = load_corpus(corpus, metadata_path=metadata_path, progress=progress)
    sentences = segment_sentences(loaded.documents)
    mentions = extract_mentions(sentences, registry, progress=progress)
    records = partner_rules.partnerships(loaded.documents, sentences, mentions)
    return Tables(
        corpus=loaded,
        sentences=sentences,
        mentions=mentions[MENTION_COLUMNS],
        entities=entity_table(mentions),
        aliases=alias_table(mentions),
        cooccurrence=cooc.cooccurrence(mentions, sentences, loaded.documents, window="sentence"),
        partnerships=records,
        dyads=partner_rules.dyads(records, loaded.documents),
    )


def extract_mentions(
    sentences: pd.DataFrame, registry: alias_rules.Registry, *, progress: bool = False
) -> pd.DataFrame:
    """Find and resolve the mentions of every document, given its sentences.

    Returns:
        The mentions table plus a ``sector`` column (used to build the entities table).
    """
    rows = []
    groups = sentences.groupby("doc_id", sort=False)
    for doc_id, doc in tqdm(groups, desc="entities", unit="doc", disable=not progress, delay=0.5):
        text = " ".join(doc["text"])
        found: list[Mention] = []
        sent_of: dict[int, int] = {}
        for sent_id, start, text in zip(doc["sent_id"], doc["start"], doc["text"], strict=True):
            for m in find_mentions(text):
                shifted = Mention(**{**m.__dict__, "start": m.start + start, "end": m.end + start})
                found.append(shifted)
                sent_of[shifted.start] = sent_id
        for mention, entity, kind, sector in alias_rules.resolve_document(found, registry, text):
            rows.append(
                (doc_id, sent_of[mention.start], mention.start, mention.end, mention.surface,
                 entity, kind, sector)
            )  # fmt: skip
    table = pd.DataFrame(rows, columns=[*MENTION_COLUMNS, "sector"])
    spelling = alias_rules.canonical_spellings(table)
    table["entity"] = [
        spelling[(kind, alias_rules._fold(name))]
        for kind, name in zip(table["type"], table["entity"], strict=True)
    ]
    return table.reset_index(drop=True)


def entity_table(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per entity per document: type, sector, mention count, other surface forms."""
    rows = []
    for (doc_id, entity, kind), group in mentions.groupby(["doc_id", "entity", "type"], sort=False):
        sectors = [s for s in group["sector"] if s]
        sector = max(set(sectors), key=sectors.count) if sectors else ""
        if kind == "ORG":
            sector = alias_rules.university_sector(entity) or sector or "other"
        surfaces = sorted(set(group["surface"]) - {entity})
        rows.append((doc_id, entity, kind, sector, len(group), "|".join(surfaces)))
    table = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    order = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(mentions["doc_id"]))}
    return (
        table.assign(_doc=table["doc_id"].map(order))
        .sort_values(["_doc", "type", "mentions", "entity"], ascending=[True, True, False, True])
        .drop(columns="_doc")
        .reset_index(drop=True)
    )


def alias_table(mentions: pd.DataFrame) -> pd.DataFrame:
    """Surface forms merged into each canonical name, with mention and document counts."""
    grouped = mentions.groupby(["entity", "type", "surface"])
    table = pd.DataFrame(
        {"mentions": grouped.size(), "documents": grouped["doc_id"].nunique()}
    ).reset_index()
    return table.sort_values(
        ["type", "entity", "mentions", "surface"], ascending=[True, True, False, True]
    ).reset_index(drop=True)[ALIAS_COLUMNS]


def write_tables(tables: Tables, out_dir: str | Path) -> list[Path]:
    """Write every table as CSV and Parquet into ``out_dir`` (atomically); return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    named = {
        "documents": tables.documents.drop(columns=["text"]),
        "sentences": tables.sentences,
        "mentions": tables.mentions,
        "entities": tables.entities,
        "aliases": tables.aliases,
        "cooccurrence": tables.cooccurrence,
        "partnerships": tables.partnerships,
        "dyads": tables.dyads,
        "skipped": tables.skipped,
    }
    written = []
    for name, table in named.items():
        written.append(write_csv(table, out / f"{name}.csv"))
        buffer = io.BytesIO()
        table.to_parquet(buffer, index=False)
        written.append(atomic_write_bytes(out / f"{name}.parquet", buffer.getvalue()))
    return written
