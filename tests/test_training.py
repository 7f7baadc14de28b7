"""Training the name tagger and the word clusters, from small inline data."""

import json

from corpus_tools import clusters
from corpus_tools.cli import main
from corpus_tools.entities import Mention
from corpus_tools.name_spans import find_names, spread_names
from corpus_tools.tagger import Tagger, tokens
from corpus_tools.training import (
    Form,
    cross_validate,
    gold_forms,
    gold_labels,
    held_out_origins,
    train,
)


def test_gold_forms_block_names_inside_out_of_scope_names():
    doc = {
        "entities": [
            {"name": "China", "type": "PLACE", "aliases": []},
            {"name": "Acme Robotics Centre", "type": "ORG", "aliases": ["ARC", "Acme (ARC)"]},
            {"name": "the Finnish government", "type": "PLACE", "optional": True},
        ],
        "other_names": [{"name": "China Daily", "kind": "WORK_OF_ART"}],
    }
    forms = gold_forms(doc)
    assert [len(f.text) for f in forms] == sorted((len(f.text) for f in forms), reverse=True)
    assert Form("China Daily", "O") in forms
    assert Form("the Finnish government", "O") in forms  # optional and lower case: not a name
    assert not [f for f in forms if "(" in f.text]
    text = "China Daily said China and the Acme Robotics Centre (ARC) agreed."
    spans = tokens(text)
    labels = gold_labels(text, spans, forms)
    words = [text[s:e] for s, e in spans]
    assert labels[words.index("Daily")] == "O"
    assert labels[words.index("China", 2)] == "B-PLACE"
    assert labels[words.index("Acme") : words.index("Centre") + 1] == ["B-ORG", "I-ORG", "I-ORG"]
    assert labels[words.index("ARC")] == "B-ORG"


def _tiny_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {
        "a": "Jane Smith of Acme University met Beta Corp in Paris. Smith said Acme University "
        "would sign with Beta Corp.",
        "b": "John Brown visited Gamma Institute in London. Brown said Gamma Institute agreed.",
    }
    gold = []
    for doc_id, text in texts.items():
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    gold = [
        {"doc_id": "a", "entities": [
            {"name": "Jane Smith", "type": "PERSON", "aliases": ["Smith"]},
            {"name": "Acme University", "type": "ORG", "aliases": []},
            {"name": "Beta Corp", "type": "ORG", "aliases": []},
            {"name": "Paris", "type": "PLACE", "aliases": []},
        ]},
        {"doc_id": "b", "entities": [
            {"name": "John Brown", "type": "PERSON", "aliases": ["Brown"]},
            {"name": "Gamma Institute", "type": "ORG", "aliases": []},
            {"name": "London", "type": "PLACE", "aliases": []},
        ]},
    ]  # fmt: skip
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps(gold), encoding="utf-8")
    return corpus, gold_file


def test_training_writes_a_model_the_tagger_reads_and_repeats_byte_for_byte(tmp_path):
    corpus, gold_file = _tiny_corpus(tmp_path)
    first, second = tmp_path / "one.crfsuite", tmp_path / "two.crfsuite"
    summary = train([(corpus, [gold_file])], first)
    train([(corpus, [gold_file])], second)
    assert summary["documents"] == 2 and summary["PERSON"] >= 2 and summary["ORG"] >= 3
    assert first.read_bytes() == second.read_bytes()
    names = find_names("Jane Smith met Beta Corp.", tagger=Tagger(first))
    assert ("Jane Smith", "PERSON") in {(m.surface, m.type) for m in names}


def test_train_tagger_command(tmp_path, capsys):
    corpus, gold_file = _tiny_corpus(tmp_path)
    model = tmp_path / "m.crfsuite"
    assert main(["train-tagger", "--set", str(corpus), str(gold_file), "--model", str(model)]) == 0
    assert model.is_file()
    assert "Trained on 2 documents" in capsys.readouterr().out


def test_explain_command(capsys):
    assert main(["explain", "Jane Smith visited Acme University."]) == 0
    out = capsys.readouterr().out
    assert "B-PERSON" in out and "because" in out


def test_held_out_origins_read_the_dev_check_split(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "metadata.csv").write_text(
        "doc_id,origin\nd1,news#1\nd2,news#2\n", encoding="utf-8"
    )
    (tmp_path / "split-dev5.txt").write_text("d2\n", encoding="utf-8")
    (tmp_path / "split-dev6.txt").write_text("", encoding="utf-8")
    assert held_out_origins(tmp_path) == {"news#2"}


def test_clusters_group_words_used_alike_and_repeat(tmp_path):
    companies = ["Acme", "Beta", "Gamma", "Delta"]
    cities = ["Paris", "London", "Tokyo", "Madrid"]
    texts = []
    for i in range(40):
        company, city = companies[i % 4], cities[(i // 4) % 4]
        texts.append(f"Shares of {company} rose after {company} said it would open in {city} .")
        texts.append(f"The mayor of {city} welcomed visitors to {city} today .")
    out1, out2 = tmp_path / "c1.tsv", tmp_path / "c2.tsv"
    summary = clusters.train(texts, out1, vocabulary=200, contexts=50, dims=4)
    clusters.train(texts, out2, vocabulary=200, contexts=50, dims=4)
    assert out1.read_bytes() == out2.read_bytes()
    assert summary["documents"] == len(texts)
    rows = dict(line.split("\t", 1) for line in out1.read_text(encoding="utf-8").splitlines()[1:])
    coarse = {w: rows[w].split("\t")[0] for w in companies + cities}
    assert len({coarse[w] for w in companies}) == 1
    assert coarse["Acme"] != coarse["Paris"]


def test_clusters_file_says_how_often_a_word_is_written_in_lower_case(tmp_path):
    texts = ["The Mayor of Paris met the mayor of London and the mayor of Madrid ."] * 6
    out = tmp_path / "c.tsv"
    clusters.train(texts, out, vocabulary=50, contexts=20, dims=2)
    header, *lines = out.read_text(encoding="utf-8").splitlines()
    assert header.split("\t")[-1] == "lower"
    share = {row.split("\t")[0]: row.split("\t")[-1] for row in lines}
    assert share["Mayor"] == share["mayor"] == "0.67"  # 2 of 3 inside sentences are lower case
    assert share["Paris"] == "0.00"
    assert share["The"] == "1.00"  # the share of its lower-case form, "the"


def test_spread_names_counts_a_name_where_the_tagger_missed_it():
    sentences = ["Fiat Group signed the deal.", "It said Fiat Group would sign.", "Fiat Group Ltd"]
    first = [Mention(0, 10, "Fiat Group", "ORG", "Fiat Group")]
    spread = spread_names(sentences, [first, [], []])
    assert [m.surface for m in spread[1]] == ["Fiat Group"]
    assert spread[2] == []  # touches another capitalized word: maybe a longer name


def test_cross_validation_scores_each_fold_with_a_model_that_never_saw_it(tmp_path):
    corpus, gold_file = _tiny_corpus(tmp_path)
    docs = json.loads(gold_file.read_text(encoding="utf-8"))
    folds = []
    for doc in docs:
        path = tmp_path / f"gold-{doc['doc_id']}.json"
        path.write_text(json.dumps([doc]), encoding="utf-8")
        folds.append(path)
    scores = cross_validate(corpus, folds).set_index("type")
    assert set(scores.index) >= {"ORG", "PLACE", "PERSON", "ALL"}
    assert scores.loc["ALL", "tp"] + scores.loc["ALL", "fn"] > 0  # every gold entity scored
    assert scores.loc["ALL", "tp"] + scores.loc["ALL", "fn"] == 7


def test_news_annotations_train_on_the_corpora_that_are_there(tmp_path):
    from corpus_tools.training import news_sets

    corpora = tmp_path / "corpora"
    (corpora / "wire").mkdir(parents=True)
    gold = tmp_path / "news.json"
    gold.write_text(
        json.dumps([
            {"doc_id": "w1", "corpus": "wire", "entities": []},
            {"doc_id": "g1", "corpus": "gone", "entities": []},
        ]),
        encoding="utf-8",
    )  # fmt: skip
    sets, missing = news_sets(gold, corpora)
    assert sets == [(corpora / "wire", (gold,))]
    assert missing == ["gone"]
    assert news_sets(tmp_path / "none.json", corpora) == ([], [])


def test_training_says_which_annotated_documents_no_corpus_holds(tmp_path):
    corpus, gold_file = _tiny_corpus(tmp_path)
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    gold.append({"doc_id": "elsewhere", "entities": []})
    gold_file.write_text(json.dumps(gold), encoding="utf-8")
    summary = train([(corpus, [gold_file])], tmp_path / "m.crfsuite")
    assert summary["documents"] == 2
    assert [m.endswith("#elsewhere") for m in summary["missing"]] == [True]
