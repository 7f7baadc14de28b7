"""Entity counts for the entity-counts notebook: who appears, how often, where and when.

Every count comes twice: over all documents, and with duplicate documents (``duplicate_of``
set) removed, so syndicated copies cannot inflate a number unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from corpus_tools.entities import ENTITY_TYPES
from corpus_tools.paths import resolve_output_dir
from corpus_tools.validation import (
    check_choice,
    check_list,
    check_number,
    check_sources,
)

GROUP_BY = ("year", "source")
COUNT_COLUMNS = [
    "entity", "type", "sector", "mentions", "documents", "mentions_dedup", "documents_dedup",
]  # fmt: skip


def check_parameters(
    *,
    corpus: str,
    metadata: str,
    aliases: str,
    types: str,
    top_n: int,
    min_count: int,
    group_by: str,
    kwic_n: int,
    out_dir: str,
) -> tuple[Path, Path | None, Path | None, list[str], Path]:
    """Validate the entity-counts notebook's parameters.

    Returns:
        corpus path, metadata path, alias file, entity types, output folder.

    Raises:
        corpus_tools.validation.ParameterError: naming the parameter and its allowed values.
    """
    corpus_path, metadata_path, alias_path = check_sources(corpus, metadata, aliases)
    chosen = check_list("types", types, ENTITY_TYPES, upper=True, required=True)
    check_number("top_n", top_n, minimum=1)
    check_number("min_count", min_count, minimum=1)
    check_choice("group_by", group_by, GROUP_BY)
    check_number("kwic_n", kwic_n, minimum=0)
    out = resolve_output_dir(out_dir, "interactive/01_entity_counts")
    return corpus_path, metadata_path, alias_path, chosen, out


def _with_documents(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    info = documents[["doc_id", "date", "source", "duplicate_of"]]
    merged = mentions.merge(info, on="doc_id", how="left")
    merged["year"] = merged["date"].fillna("").str[:4].replace("", "undated")
    merged["source"] = merged["source"].fillna("").replace("", "(no source)")
    return merged


def entity_counts(
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    types: Sequence[str] = ENTITY_TYPES,
    min_count: int = 1,
) -> pd.DataFrame:
    """Mentions and documents per entity, raw and without duplicate documents.

    Returns:
        ``entity, type, sector, mentions, documents, mentions_dedup, documents_dedup``, most
        mentioned first; entities with fewer than ``min_count`` mentions are left out.
    """
    merged = _with_documents(mentions[mentions["type"].isin(types)], documents)
    original = merged[merged["duplicate_of"].fillna("") == ""]
    keys = ["entity", "type"]
    raw = merged.groupby(keys).agg(mentions=("doc_id", "size"), documents=("doc_id", "nunique"))
    dedup = original.groupby(keys).agg(
        mentions_dedup=("doc_id", "size"), documents_dedup=("doc_id", "nunique")
    )
    sectors = (
        entities.groupby(keys)["sector"]
        .agg(lambda s: s.value_counts().index[0] if s.astype(bool).any() else "")
        .rename("sector")
    )
    table = raw.join(dedup, how="left").join(sectors, how="left").fillna({"sector": ""})
    table[["mentions_dedup", "documents_dedup"]] = (
        table[["mentions_dedup", "documents_dedup"]].fillna(0).astype("int64")
    )
    table = table.reset_index()
    table = table[table["mentions"] >= min_count]
    return table.sort_values(
        ["mentions", "documents", "entity"], ascending=[False, False, True]
    ).reset_index(drop=True)[COUNT_COLUMNS]


def top_entities(counts: pd.DataFrame, kind: str, top_n: int) -> pd.DataFrame:
    """The ``top_n`` most mentioned entities of one type."""
    return counts[counts["type"] == kind].head(top_n).reset_index(drop=True)


def entity_matrix(
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    entities: Sequence[str],
    *,
    by: str = "doc_id",
) -> pd.DataFrame:
    """Mentions of the given entities per document, year or source (rows: entities)."""
    check_choice("by", by, ("doc_id", *GROUP_BY))
    merged = _with_documents(mentions[mentions["entity"].isin(entities)], documents)
    matrix = pd.crosstab(merged["entity"], merged[by]).reindex(list(entities)).fillna(0)
    return matrix.astype("int64")


def sector_breakdown(counts: pd.DataFrame) -> pd.DataFrame:
    """Organizations per sector: entities, mentions, documents (raw and deduplicated)."""
    orgs = counts[counts["type"] == "ORG"].assign(sector=lambda t: t["sector"].replace("", "other"))
    grouped = orgs.groupby("sector")
    return (
        pd.DataFrame(
            {
                "entities": grouped.size(),
                "mentions": grouped["mentions"].sum(),
                "mentions_dedup": grouped["mentions_dedup"].sum(),
            }
        )
        .sort_values("mentions", ascending=False)
        .reset_index()
    )


def keyword_in_context(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    entity: str,
    *,
    limit: int = 5,
    width: int = 60,
) -> pd.DataFrame:
    """Evidence sentences of one entity: the mention with its left and right context.

    Returns:
        ``doc_id, sent_id, left, mention, right`` (the first ``limit`` mentions in corpus
        order); ``left + mention + right`` is a window of the sentence.
    """
    rows = []
    chosen = mentions[mentions["entity"] == entity].head(limit)
    by_key = sentences.set_index(["doc_id", "sent_id"])
    for row in chosen.itertuples():
        sentence = by_key.loc[(row.doc_id, row.sent_id)]
        text, offset = sentence["text"], sentence["start"]
        start, end = row.start - offset, row.end - offset
        left = text[max(0, start - width) : start]
        right = text[end : end + width]
        rows.append((row.doc_id, row.sent_id, left, text[start:end], right))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "left", "mention", "right"])
