import math

import networkx as nx
import pandas as pd
import pytest

from corpus_tools import cooccurrence as co
from corpus_tools.aggregate import entity_table
from corpus_tools.aliases import load_registry
from corpus_tools.pipeline import extract, extract_mentions
from corpus_tools.segment import sentences as segment
from corpus_tools.validation import ParameterError

# Nanjing University and Fudan University share sentence 0; Fudan University and Monash University
# share paragraph 0 (sentences 0-1) only; Monash University and Peking University share the
# document only (different paragraphs).
TEXT = (
    "Nanjing University and Fudan University signed an agreement. Monash University watched it.\n\n"
    "Peking University stayed away."
)


@pytest.fixture(scope="module")
def tables():
    documents = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "text": [TEXT, "Nanjing University grew."],
            "duplicate_of": ["", ""],
        }
    )
    sentences = segment(documents)
    mentions = extract_mentions(sentences, load_registry())
    return documents, sentences, mentions


def pairs_of(tables, window):
    documents, sentences, mentions = tables
    table = co.cooccurrence(mentions, sentences, documents, window=window)
    return {
        (a, b): n for a, b, n in zip(table["a"], table["b"], table["windows"], strict=True)
    }, table


def test_sentence_window(tables):
    pairs, table = pairs_of(tables, "sentence")
    assert pairs == {("Fudan University", "Nanjing University"): 1}
    assert table["total_windows"].iloc[0] == 4


def test_paragraph_window(tables):
    pairs, table = pairs_of(tables, "paragraph")
    assert pairs == {
        ("Fudan University", "Nanjing University"): 1,
        ("Fudan University", "Monash University"): 1,
        ("Monash University", "Nanjing University"): 1,
    }
    assert table["total_windows"].iloc[0] == 3


def test_document_window(tables):
    pairs, table = pairs_of(tables, "document")
    assert len(pairs) == 6 and pairs[("Monash University", "Peking University")] == 1
    assert table["total_windows"].iloc[0] == 2
    nanjing = table[(table["a"] == "Fudan University") & (table["b"] == "Nanjing University")].iloc[
        0
    ]
    assert (nanjing["a_windows"], nanjing["b_windows"]) == (1, 2)


def test_measures_match_hand_computed_values():
    # 2x2 table: both in 3 windows, a in 5, b in 4, of 20 windows
    m = co.association(3, 5, 4, 20)
    assert m["pmi"] == pytest.approx(math.log2(3 * 20 / (5 * 4)))
    assert m["npmi"] == pytest.approx(math.log2(3 * 20 / (5 * 4)) / -math.log2(3 / 20))
    assert m["jaccard"] == pytest.approx(3 / (5 + 4 - 3))
    assert m["dice"] == pytest.approx(2 * 3 / (5 + 4))
    observed = [3, 2, 1, 14]
    expected = [5 * 4 / 20, 5 * 16 / 20, 15 * 4 / 20, 15 * 16 / 20]
    g2 = 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected, strict=True))
    assert m["llr"] == pytest.approx(g2)


def test_min_count_and_duplicates(tables):
    documents, sentences, mentions = tables
    copy = pd.DataFrame({"doc_id": ["d3"], "text": [TEXT], "duplicate_of": ["d1"]})
    documents = pd.concat([documents, copy], ignore_index=True)
    sentences = segment(documents)
    mentions = extract_mentions(sentences, load_registry())
    table = co.cooccurrence(mentions, sentences, documents, window="sentence", min_count=2)
    (row,) = table.itertuples()
    assert (row.a, row.b, row.windows, row.docs, row.windows_dedup, row.docs_dedup) == (
        "Fudan University",
        "Nanjing University",
        2,
        2,
        1,
        1,
    )


def test_bad_window_is_rejected(tables):
    documents, sentences, mentions = tables
    with pytest.raises(ParameterError, match="`window` value = 'page'"):
        co.cooccurrence(mentions, sentences, documents, window="page")


def test_graph_exports_parse_back_and_repeat(tables, tmp_path):
    documents, sentences, mentions = tables
    table = co.cooccurrence(mentions, sentences, documents, window="document")
    graph = co.build_graph(table, co.node_table(mentions, entity_table(mentions)))
    assert graph.nodes["Nanjing University"]["sector"] == "university"
    assert {"community", "degree", "betweenness", "pagerank"} <= set(
        graph.nodes["Nanjing University"]
    )
    first = co.write_graph(graph, tmp_path / "a")
    second = co.write_graph(
        co.build_graph(table, co.node_table(mentions, entity_table(mentions))), tmp_path / "b"
    )
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    for path, reader in zip(first, (nx.read_graphml, nx.read_gexf), strict=True):
        back = reader(path)
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert back.number_of_edges() == graph.number_of_edges()
    edge = nx.read_graphml(first[0]).edges["Monash University", "Peking University"]
    assert edge["windows"] == 1 and "pmi" in edge


def test_edge_list_carries_evidence(tables, tmp_path):
    documents, sentences, mentions = tables
    table = co.cooccurrence(mentions, sentences, documents, window="sentence")
    evidence = co.top_evidence(table, mentions, sentences, window="sentence")
    assert evidence["text"].tolist() == [
        "Nanjing University and Fudan University signed an agreement."
    ]
    path = co.write_edge_list(table, evidence, tmp_path / "edges.csv")
    assert "signed an agreement" in pd.read_csv(path)["evidence"].iloc[0]
    assert table["evidence_sentences"].tolist() == [1]


@pytest.mark.parametrize("window", co.WINDOWS)
def test_evidence_counts_match_the_evidence_index(window):
    tables = extract("seeds")
    table = co.cooccurrence(tables.mentions, tables.sentences, tables.documents, window=window)
    index = co.evidence_index(tables.mentions, tables.sentences, window)
    counts = [len(index[(a, b)]) for a, b in zip(table["a"], table["b"], strict=True)]
    assert table["evidence_sentences"].tolist() == counts
    assert len(table) > 20


def test_counts_of_disjoint_documents_add_up():
    tables = extract("seeds")
    docs, sents, found = tables.documents, tables.sentences, tables.mentions
    whole = co.cooccurrence(found, sents, docs, window="paragraph")
    parts = [
        co.window_counts(found[found["doc_id"].isin(ids)], sents[sents["doc_id"].isin(ids)], docs,
                         window="paragraph")
        for ids in (docs["doc_id"][:2], docs["doc_id"][2:])
    ]  # fmt: skip
    pd.testing.assert_frame_equal(co.score(co.combine_counts(parts)), whole)
