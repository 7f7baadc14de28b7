import pandas as pd

from corpus_tools.aggregate import ENTITY_COLUMNS
from corpus_tools.cli import main
from corpus_tools.pipeline import (
    MENTION_COLUMNS,
    TABLE_NAMES,
    extract,
    write_tables,
)


def test_extract_writes_every_table_as_csv_and_parquet(tmp_path, capsys):
    assert main(["extract", "seeds", "--out", str(tmp_path), "--no-progress"]) == 0
    for name in TABLE_NAMES:
        csv = pd.read_csv(tmp_path / f"{name}.csv", keep_default_na=False)
        parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(csv.columns) == list(parquet.columns)
        assert len(csv) == len(parquet)
    mentions = pd.read_csv(tmp_path / "mentions.csv")
    entities = pd.read_csv(tmp_path / "entities.csv", keep_default_na=False)
    assert list(mentions.columns) == MENTION_COLUMNS
    assert list(entities.columns) == ENTITY_COLUMNS
    zju = entities[(entities["entity"] == "Zhejiang University")].iloc[0]
    assert zju["sector"] == "university" and "ZJU" in zju["aliases"].split("|")
    assert "18 files" in capsys.readouterr().out
    cooc = pd.read_csv(tmp_path / "cooccurrence.csv")
    assert list(cooc.columns[:5]) == ["a", "b", "window", "windows", "docs"]
    assert {"pmi", "npmi", "llr", "jaccard", "dice"} <= set(cooc.columns)


def test_mention_offsets_point_into_the_document_text():
    tables = extract("seeds")
    texts = tables.documents.set_index("doc_id")["text"]
    sentences = tables.sentences.set_index(["doc_id", "sent_id"])
    for row in tables.mentions.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.surface
        sentence = sentences.loc[(row.doc_id, row.sent_id)]
        assert sentence["start"] <= row.start and row.end <= sentence["end"]


def test_entities_count_their_mentions():
    tables = extract("seeds")
    recount = tables.mentions.groupby(["doc_id", "entity", "type"]).size()
    for row in tables.entities.itertuples():
        assert recount[(row.doc_id, row.entity, row.type)] == row.mentions


def test_alias_table_shows_merges():
    aliases = extract("seeds").aliases
    row = aliases[(aliases["entity"] == "Zhejiang University") & (aliases["surface"] == "ZJU")]
    assert len(row) == 1 and row.iloc[0]["mentions"] >= 10


def test_tables_are_byte_identical_across_runs(tmp_path):
    first = write_tables(extract("seeds"), tmp_path / "a")
    second = write_tables(extract("seeds"), tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_eval_command_prints_scores(capsys):
    assert main(["eval", "tests/gold/seeds-gold.json"]) == 0
    out = capsys.readouterr().out
    assert "ORG" in out and "PERSON" in out and "count_accuracy" in out


def test_parquet_tables_are_partitioned_by_blocks_of_documents(tmp_path, monkeypatch):
    from corpus_tools import pipeline

    monkeypatch.setattr(pipeline, "DOCUMENTS_PER_PART", 2)
    monkeypatch.setattr(pipeline, "ROWS_PER_PART", 50)
    tables = extract("seeds")
    write_tables(tables, tmp_path)
    block = {d: i // 2 for i, d in enumerate(tables.documents["doc_id"])}
    for name in ("sentences", "mentions", "entities", "partnerships"):
        parts = sorted((tmp_path / f"{name}.parquet").glob("part-*.parquet"))
        assert len(parts) == 3, name  # five documents, two per part
        for index, part in enumerate(parts):
            assert set(pd.read_parquet(part)["doc_id"].map(block)) == {index}, (name, part)
        whole = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(whole, getattr(tables, name).reset_index(drop=True))
    parts = sorted((tmp_path / "cooccurrence.parquet").glob("part-*.parquet"))
    assert len(parts) == -(-len(tables.cooccurrence) // 50) > 1
    empty = sorted((tmp_path / "skipped.parquet").glob("part-*.parquet"))
    assert len(empty) == 1 and list(pd.read_parquet(empty[0]).columns) == ["path", "reason"]


def test_rewriting_tables_replaces_a_dataset_and_an_old_single_file(tmp_path):
    tables = extract("seeds")
    (tmp_path / "mentions.parquet").write_bytes(b"an older single-file table")
    (tmp_path / ".entities.parquet.x1.tmp").mkdir()  # left by an interrupted run
    write_tables(tables, tmp_path)
    write_tables(tables, tmp_path)
    assert sorted(p.name for p in (tmp_path / "mentions.parquet").iterdir()) == [
        "part-00000.parquet"
    ]
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert hidden == [".corpus_tools.lock"]  # the writers' lock; no staging folder is left
