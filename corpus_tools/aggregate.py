"""Corpus-wide tables built batch by batch: entities, aliases, co-occurrence and partnerships.

Once every document's mentions carry their corpus-wide spelling, each of these tables is a
sum over documents: the rows of a document's entities and partnerships depend on that
document only, and alias and co-occurrence counts of disjoint sets of documents add up. So
the corpus is cut into batches of consecutive documents, each batch is aggregated where the
engine runs (local worker processes or a Dask cluster), and only the batches' small results
are combined, in document order. The tables are the same whichever engine or batch size made
them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corpus_tools import aliases as alias_rules
from corpus_tools import cooccurrence as cooc
from corpus_tools import partnerships as partner_rules
from corpus_tools.engine import Engine

DOCUMENTS_PER_BATCH = 2_000
ENTITY_COLUMNS = ["doc_id", "entity", "type", "sector", "mentions", "aliases"]
ALIAS_COLUMNS = ["entity", "type", "surface", "mentions", "documents"]
_DOCUMENT_COLUMNS = [
    "doc_id", "date", "date_precision", "date_source", "duplicate_of", "source", "title",
]  # fmt: skip


@dataclass
class Aggregates:
    """The corpus-wide tables of some documents (see :mod:`corpus_tools.pipeline`)."""

    entities: pd.DataFrame
    aliases: pd.DataFrame
    pairs: cooc.WindowCounts  # sentence windows, scored into ``cooccurrence`` at the end
    partnerships: pd.DataFrame


def aggregate_batch(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    registry: alias_rules.Registry | None = None,
) -> Aggregates:
    """The tables of one batch of documents (mentions with their merged spellings and sector).

    The registry's sectors are given to every mention of their organizations first, so the
    entities and partnerships tables (``a_sector``, ``b_sector``) both use them.
    """
    mentions = registry_sectors(mentions, registry)
    return Aggregates(
        entities=entity_table(mentions, registry),
        aliases=alias_table(mentions),
        pairs=cooc.window_counts(mentions, sentences, documents, window="sentence"),
        partnerships=partner_rules.partnerships(documents, sentences, mentions),
    )


def registry_sectors(mentions: pd.DataFrame, registry: alias_rules.Registry | None) -> pd.DataFrame:
    """The mentions with the registry's sector on every ORG mention of an organization it names.

    The registry's sector wins over the head-word rule that gave each mention its sector.
    """
    if registry is None or not registry.sectors or mentions.empty:
        return mentions
    given = {
        entity: registry.sector_of(entity)
        for entity in set(mentions.loc[mentions["type"] == "ORG", "entity"])
    }
    sectors = [
        (given.get(entity) or sector) if kind == "ORG" else sector
        for entity, kind, sector in zip(
            mentions["entity"], mentions["type"], mentions["sector"], strict=True
        )
    ]
    return mentions.assign(sector=sectors)


def entity_table(
    mentions: pd.DataFrame, registry: alias_rules.Registry | None = None
) -> pd.DataFrame:
    """One row per entity per document: type, sector, mention count, other surface forms.

    An organization's sector is the registry's when it gives one, else ``university`` for a
    name in the universities gazetteer, else the sector most of its mentions have (from their
    head words), else ``other``.
    """
    columns = (mentions[c].tolist() for c in ("doc_id", "entity", "type"))
    keys = list(zip(*columns, strict=True))
    counts = Counter(keys)  # in order of first mention
    sectors: defaultdict[tuple, Counter[str]] = defaultdict(Counter)
    surfaces: defaultdict[tuple, set[str]] = defaultdict(set)
    sector_and_surface = zip(mentions["sector"].tolist(), mentions["surface"].tolist(), strict=True)
    for key, (sector, surface) in zip(keys, sector_and_surface, strict=True):
        if sector:
            sectors[key][sector] += 1
        surfaces[key].add(surface)
    rows = []
    for (doc_id, entity, kind), count in counts.items():
        used = sectors.get((doc_id, entity, kind))
        # the most used sector; a tie goes to the first in alphabetical order
        sector = min(used, key=lambda s: (-used[s], s)) if used else ""
        if kind == "ORG":
            given = registry.sector_of(entity) if registry is not None else ""
            sector = given or alias_rules.university_sector(entity) or sector or "other"
        aliases = "|".join(sorted(surfaces[(doc_id, entity, kind)] - {entity}))
        rows.append((doc_id, entity, kind, sector, count, aliases))
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
    return _sorted_aliases(table)


def _sorted_aliases(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(
        ["type", "entity", "mentions", "surface"], ascending=[True, True, False, True]
    ).reset_index(drop=True)[ALIAS_COLUMNS]


def combine(parts: list[Aggregates]) -> Aggregates:
    """The tables of consecutive batches of documents, from each batch's tables, in order."""
    aliases = _concat([p.aliases for p in parts])
    aliases = aliases.groupby(["entity", "type", "surface"], as_index=False)[
        ["mentions", "documents"]
    ].sum()
    return Aggregates(
        entities=_concat([p.entities for p in parts]),
        aliases=_sorted_aliases(aliases),
        pairs=cooc.combine_counts([p.pairs for p in parts]),
        partnerships=_concat([p.partnerships for p in parts]),
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one after the other; empty ones are left out so they cannot change dtypes."""
    kept = [frame for frame in frames if len(frame)]
    return pd.concat(kept, ignore_index=True) if kept else frames[0]


def batches(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    size: int | None = None,
) -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Cut the tables into batches of ``size`` consecutive documents.

    ``sentences`` and ``mentions`` must be in document order, as :func:`pipeline.extract`
    builds them. ``size`` defaults to :data:`DOCUMENTS_PER_BATCH`.
    """
    size = size or DOCUMENTS_PER_BATCH
    order = {doc_id: i for i, doc_id in enumerate(documents["doc_id"])}
    starts = range(0, max(len(documents), 1), size)
    cut = []
    for table in (sentences, mentions):
        position = table["doc_id"].map(order).to_numpy()
        cut.append(np.searchsorted(position, [*starts, len(documents)], side="left"))
    docs = documents[_DOCUMENT_COLUMNS]
    return [
        (
            docs.iloc[start : start + size],
            sentences.iloc[cut[0][i] : cut[0][i + 1]],
            mentions.iloc[cut[1][i] : cut[1][i + 1]],
        )
        for i, start in enumerate(starts)
    ]


def aggregate(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    engine: Engine,
    *,
    registry: alias_rules.Registry | None = None,
    progress: bool = False,
) -> Aggregates:
    """Every corpus-wide table, batch by batch on ``engine``.

    ``registry`` is the alias registry the mentions were resolved with: its sectors win over
    every other sector rule (:func:`aggregate_batch`).
    """
    parts = engine.map(
        aggregate_batch,
        [(*batch, registry) for batch in batches(documents, sentences, mentions)],
        progress=progress,
        desc="aggregating",
    )
    return combine(parts)
