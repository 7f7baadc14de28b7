"""Who appears with whom: entity pairs in a window, association measures, network exports.

A *window* is a sentence, a paragraph or a whole document. For each unordered pair of
canonical entities the table counts the windows and the documents holding both, over all
documents and with duplicate documents left out, and scores the association with NLTK's
measures (``nltk.metrics.association.BigramAssocMeasures``) over the 2×2 table of windows:

``pmi`` (log2), ``npmi`` (pmi / −log2 p(a, b), in [−1, 1]), ``llr`` (log-likelihood G²),
``jaccard`` and ``dice``.

Table ``cooccurrence``: ``a, b`` (a < b), ``window``, ``windows``, ``docs``, ``windows_dedup``,
``docs_dedup``, ``a_windows``, ``b_windows``, ``total_windows``, one column per measure, and
``evidence_sentences`` (sentences that mention both, or — in wider windows — either of them
inside a shared window).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import networkx as nx

from corpus_tools.entities import ENTITY_TYPES
from corpus_tools.outputs import atomic_write_text, write_csv
from corpus_tools.paths import resolve_output_dir
from corpus_tools.validation import (
    check_choice,
    check_list,
    check_number,
    check_sources,
    invalid,
)

WINDOWS = ("sentence", "paragraph", "document")
MEASURES = ("pmi", "npmi", "llr", "jaccard", "dice")
COLUMNS = [
    "a", "b", "window", "windows", "docs", "windows_dedup", "docs_dedup", "a_windows",
    "b_windows", "total_windows", *MEASURES, "evidence_sentences",
]  # fmt: skip
COMMUNITY_SEED = 42


def association(n_ab: int, n_a: int, n_b: int, n: int) -> dict[str, float]:
    """The association measures of a pair from its 2×2 window counts.

    Args:
        n_ab: Windows holding both.
        n_a: Windows holding the first.
        n_b: Windows holding the second.
        n: All windows.

    Example:
        >>> round(association(2, 2, 2, 8)["pmi"], 3)
        2.0
    """
    from nltk.metrics.association import BigramAssocMeasures

    marginals = (n_a, n_b)
    pmi = BigramAssocMeasures.pmi(n_ab, marginals, n)
    p_ab = n_ab / n
    npmi = 1.0 if p_ab >= 1 else pmi / -math.log2(p_ab)
    return {
        "pmi": pmi,
        "npmi": npmi,
        "llr": BigramAssocMeasures.likelihood_ratio(n_ab, marginals, n),
        "jaccard": BigramAssocMeasures.jaccard(n_ab, marginals, n),
        "dice": BigramAssocMeasures.dice(n_ab, marginals, n),
    }


def _window_keys(mentions: pd.DataFrame, sentences: pd.DataFrame, window: str) -> pd.Series:
    if window == "sentence":
        return mentions["doc_id"] + "\x1f" + mentions["sent_id"].astype(str)
    if window == "paragraph":
        para = sentences.set_index(["doc_id", "sent_id"])["para_id"]
        keys = pd.MultiIndex.from_arrays([mentions["doc_id"], mentions["sent_id"]])
        return mentions["doc_id"] + "\x1f" + para.reindex(keys).astype(str).to_numpy()
    return mentions["doc_id"]


def _total_windows(sentences: pd.DataFrame, window: str) -> int:
    if window == "sentence":
        return len(sentences)
    if window == "paragraph":
        return len(sentences[["doc_id", "para_id"]].drop_duplicates())
    return sentences["doc_id"].nunique()


PAIR_COUNTS = ["a", "b", "windows", "docs", "windows_dedup", "docs_dedup", "evidence_sentences"]


@dataclass
class WindowCounts:
    """The counts behind a ``cooccurrence`` table, for some documents.

    Every count is a sum over documents, so the counts of disjoint sets of documents add up
    (:func:`combine_counts`) to those of their union: batches of a corpus can be counted apart.
    """

    window: str
    pairs: pd.DataFrame  # PAIR_COUNTS: windows (and docs) holding both, evidence sentences
    singles: Counter[str]  # windows holding each entity
    total: int  # all windows


def window_counts(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    window: str = "sentence",
    types: Sequence[str] = ENTITY_TYPES,
) -> WindowCounts:
    """Count the windows each entity and each pair of entities are in (see ``cooccurrence``)."""
    check_choice("window", window, WINDOWS)
    chosen = mentions[mentions["type"].isin(types)]
    duplicates = set(documents.loc[documents["duplicate_of"] != "", "doc_id"])
    keys = _window_keys(chosen, sentences, window)
    members: dict[str, set[str]] = defaultdict(set)
    doc_of: dict[str, str] = {}
    located = zip(keys, chosen["doc_id"].tolist(), chosen["entity"].tolist(), strict=True)
    for key, doc_id, entity in located:
        members[key].add(entity)
        doc_of[key] = doc_id
    single: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    pairs_dedup: Counter[tuple[str, str]] = Counter()
    pair_docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key in sorted(members):
        entities = sorted(members[key])
        single.update(entities)
        for pair in combinations(entities, 2):
            pairs[pair] += 1
            pair_docs[pair].add(doc_of[key])
            if doc_of[key] not in duplicates:
                pairs_dedup[pair] += 1
    # a sentence window is its own single evidence sentence
    evidence = evidence_index(chosen, sentences, window) if window != "sentence" else {}
    rows = [
        (a, b, n_ab, len(pair_docs[(a, b)]), pairs_dedup[(a, b)],
         len(pair_docs[(a, b)] - duplicates),
         n_ab if window == "sentence" else len(evidence.get((a, b), ())))
        for (a, b), n_ab in pairs.items()
    ]  # fmt: skip
    table = pd.DataFrame(rows, columns=PAIR_COUNTS).astype({c: "int64" for c in PAIR_COUNTS[2:]})
    return WindowCounts(window, table, single, _total_windows(sentences, window))


def combine_counts(parts: Sequence[WindowCounts]) -> WindowCounts:
    """The counts of the union of disjoint sets of documents, from the counts of each."""
    windows = {part.window for part in parts}
    if len(windows) != 1:
        raise ValueError(f"counts of different windows cannot be combined: {sorted(windows)}")
    frames = [part.pairs for part in parts if len(part.pairs)]
    pairs = (
        pd.concat(frames, ignore_index=True).groupby(["a", "b"], as_index=False, sort=False).sum()
        if frames
        else parts[0].pairs
    )
    singles: Counter[str] = Counter()
    for part in parts:
        singles.update(part.singles)
    return WindowCounts(windows.pop(), pairs, singles, sum(part.total for part in parts))


def score(counts: WindowCounts, *, min_count: int = 1) -> pd.DataFrame:
    """The ``cooccurrence`` table of counts: pairs in ``min_count`` windows or more, scored."""
    check_number("min_count", min_count, minimum=1)
    single, total = counts.singles, counts.total
    rows = []
    for a, b, n_ab, docs, n_dedup, docs_dedup, evidence in counts.pairs.itertuples(
        index=False, name=None
    ):
        if n_ab < min_count:
            continue
        rows.append(
            {
                "a": a, "b": b, "window": counts.window, "windows": n_ab, "docs": docs,
                "windows_dedup": n_dedup, "docs_dedup": docs_dedup, "a_windows": single[a],
                "b_windows": single[b], "total_windows": total,
                **association(n_ab, single[a], single[b], total), "evidence_sentences": evidence,
            }
        )  # fmt: skip
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["windows", "a", "b"], ascending=[False, True, True]).reset_index(
        drop=True
    )


def cooccurrence(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    window: str = "sentence",
    types: Sequence[str] = ENTITY_TYPES,
    min_count: int = 1,
) -> pd.DataFrame:
    """Count and score every pair of entities sharing a window.

    Args:
        mentions: The mentions table.
        sentences: The sentences table (gives paragraphs and the number of windows).
        documents: The documents table (``duplicate_of`` marks copies).
        window: ``sentence``, ``paragraph`` or ``document``.
        types: Entity types taken into account.
        min_count: Minimum number of shared windows (support) for a pair to be kept.

    Returns:
        The ``cooccurrence`` table, strongest support first.
    """
    check_number("min_count", min_count, minimum=1)
    counts = window_counts(mentions, sentences, documents, window=window, types=types)
    return score(counts, min_count=min_count)


def evidence_index(
    mentions: pd.DataFrame, sentences: pd.DataFrame, window: str
) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """For each pair, the sentences (doc_id, sent_id) that are its evidence, in corpus order.

    A sentence window's evidence is the sentence itself; in a paragraph or document window it
    is each sentence that mentions one of the two.
    """
    keys = _window_keys(mentions, sentences, window)
    by_window: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for key, doc_id, sent_id, entity in zip(
        keys, mentions["doc_id"], mentions["sent_id"], mentions["entity"], strict=True
    ):
        spot = (doc_id, int(sent_id))
        if spot not in by_window[key][entity]:
            by_window[key][entity].append(spot)
    index: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for key in sorted(by_window):
        entities = by_window[key]
        for a, b in combinations(sorted(entities), 2):
            spots = sorted(set(entities[a]) | set(entities[b]), key=lambda s: (s[0], s[1]))
            if window == "sentence":
                spots = spots[:1]
            index[(a, b)].extend(spots)
    return index


def top_evidence(
    pairs: pd.DataFrame,
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    window: str,
    per_pair: int = 3,
) -> pd.DataFrame:
    """The first ``per_pair`` evidence sentences of each pair: ``a, b, doc_id, sent_id, text``."""
    index = evidence_index(mentions, sentences, window)
    texts = sentences.set_index(["doc_id", "sent_id"])["text"]
    rows = [
        (a, b, doc_id, sent_id, texts[(doc_id, sent_id)])
        for a, b in zip(pairs["a"], pairs["b"], strict=True)
        for doc_id, sent_id in index.get((a, b), [])[:per_pair]
    ]
    return pd.DataFrame(rows, columns=["a", "b", "doc_id", "sent_id", "text"])


def node_table(mentions: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """Per entity: type, sector, mentions, documents (for node attributes)."""
    grouped = mentions.groupby("entity")
    kinds = grouped["type"].agg(lambda s: s.value_counts().index[0])
    sectors = entities.groupby("entity")["sector"].agg(
        lambda s: s[s != ""].value_counts().index[0] if (s != "").any() else ""
    )
    return pd.DataFrame(
        {
            "type": kinds,
            "sector": sectors.reindex(kinds.index).fillna(""),
            "mentions": grouped.size(),
            "documents": grouped["doc_id"].nunique(),
        }
    ).rename_axis("entity")


def build_graph(pairs: pd.DataFrame, nodes: pd.DataFrame) -> nx.Graph:
    """A networkx graph of the pairs, with node and edge attributes, communities and centralities.

    Node attributes: ``type, sector, mentions, documents, community, degree, betweenness,
    pagerank``. Edge attributes: every count and measure of the pair. Communities come from
    networkx's Louvain method, seeded so that runs repeat, numbered largest first.
    """
    import networkx as nx

    graph = nx.Graph()
    used = sorted(set(pairs["a"]) | set(pairs["b"]))
    for entity in used:
        row = nodes.loc[entity] if entity in nodes.index else None
        graph.add_node(
            entity,
            type=str(row["type"]) if row is not None else "",
            sector=str(row["sector"]) if row is not None else "",
            mentions=int(row["mentions"]) if row is not None else 0,
            documents=int(row["documents"]) if row is not None else 0,
        )
    numeric = [c for c in COLUMNS if c not in ("a", "b", "window")]
    for row in pairs.itertuples(index=False):
        attrs = {c: _plain(getattr(row, c)) for c in numeric}
        graph.add_edge(row.a, row.b, window=row.window, **attrs)
    if graph.number_of_nodes():
        communities = nx.community.louvain_communities(graph, weight="windows", seed=COMMUNITY_SEED)
        ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
        for number, members in enumerate(ordered):
            for entity in members:
                graph.nodes[entity]["community"] = number
        degree = nx.degree_centrality(graph)
        betweenness = nx.betweenness_centrality(graph)
        pagerank = nx.pagerank(graph, weight="windows")
        for entity in graph.nodes:
            graph.nodes[entity]["degree"] = round(degree[entity], 6)
            graph.nodes[entity]["betweenness"] = round(betweenness[entity], 6)
            graph.nodes[entity]["pagerank"] = round(pagerank[entity], 6)
    return graph


def _plain(value: object) -> int | float:
    if isinstance(value, float):
        return round(value, 6)
    return int(value)


def ego_graph(graph: nx.Graph, focus: str, *, radius: int = 1) -> nx.Graph:
    """The focus entity, its neighbours and the edges among them."""
    import networkx as nx

    if focus not in graph:
        raise invalid("focus", focus, "an entity of the network")
    return nx.ego_graph(graph, focus, radius=radius)


def write_graph(graph: nx.Graph, out_dir: str | Path, stem: str = "cooccurrence") -> list[Path]:
    """Write the graph as GraphML and GEXF (both open in Gephi), atomically and repeatably."""
    import networkx as nx

    out = Path(out_dir)
    graphml = "\n".join(nx.generate_graphml(graph)) + "\n"
    gexf = "\n".join(nx.generate_gexf(graph)) + "\n"
    gexf = re.sub(r' lastmodifieddate="[^"]*"', "", gexf)  # a date would change every run
    return [
        atomic_write_text(out / f"{stem}.graphml", graphml),
        atomic_write_text(out / f"{stem}.gexf", gexf),
    ]


def write_edge_list(pairs: pd.DataFrame, evidence: pd.DataFrame, path: str | Path) -> Path:
    """Write the pairs as an edge-list CSV with their top evidence sentences (`` || `` between)."""
    joined = (
        evidence.groupby(["a", "b"], sort=False)["text"].agg(" || ".join).rename("evidence")
    ).reset_index()
    table = pairs.merge(joined, on=["a", "b"], how="left")
    table["evidence"] = table["evidence"].fillna("")
    return write_csv(table, path)


def check_parameters(
    *,
    corpus: str,
    metadata: str,
    aliases: str,
    window: str,
    measure: str,
    min_count: int,
    top_n: int,
    types: str,
    out_dir: str,
) -> tuple[Path, Path | None, Path | None, list[str], Path]:
    """Validate the co-occurrence notebook's parameters.

    Returns:
        corpus path, metadata path, alias file, entity types, output folder.
    """
    corpus_path, metadata_path, alias_path = check_sources(corpus, metadata, aliases)
    check_choice("window", window, WINDOWS)
    check_choice("measure", measure, (*MEASURES, "windows", "docs"))
    check_number("min_count", min_count, minimum=1)
    check_number("top_n", top_n, minimum=1)
    chosen = check_list("types", types, ENTITY_TYPES, upper=True, required=True)
    out = resolve_output_dir(out_dir, "interactive/02_cooccurrence")
    return corpus_path, metadata_path, alias_path, chosen, out


def pair_matrix(
    pairs: pd.DataFrame, entities: Sequence[str], value: str = "windows"
) -> pd.DataFrame:
    """A symmetric entity × entity matrix of one pair column (0 where a pair is absent)."""
    names = list(entities)
    matrix = pd.DataFrame(0.0, index=names, columns=names)
    for a, b, v in zip(pairs["a"], pairs["b"], pairs[value], strict=True):
        if a in matrix.index and b in matrix.index:
            matrix.loc[a, b] = matrix.loc[b, a] = v
    return matrix
