"""Every engine gives the same tables: one process, local workers, a Dask LocalCluster."""

import json

import pytest
from samples import ARTICLE

from corpus_tools.engine import Engine
from corpus_tools.pipeline import TABLE_NAMES, extract, write_tables
from corpus_tools.validation import ParameterError

TABLES = TABLE_NAMES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    records = "".join(
        json.dumps(
            {
                "id": f"r{i}",
                "text": f"Nanjing University and Fudan University signed deal {i}. {ARTICLE}",
            }
        )
        + "\n"
        for i in range(600)
    )
    (root / "records.jsonl").write_text(records, encoding="utf-8")
    for i in range(3):
        (root / f"t{i}.txt").write_text(
            f"Title {i}\n\nSoochow University met Haining city on May {i + 1}, 2020.",
            encoding="utf-8",
        )
    return root


@pytest.fixture(scope="module")
def reference(corpus):
    return extract(corpus, use_cache=False, engine=Engine(jobs=1))


@pytest.mark.parametrize(
    "engine", [Engine(jobs=2), Engine(jobs=2, scheduler="local")], ids=["processes", "dask-local"]
)
def test_engines_give_identical_tables(corpus, reference, engine, tmp_path):
    tables = extract(corpus, use_cache=False, engine=engine)
    for name in TABLES:
        assert getattr(tables, name).equals(getattr(reference, name)), name
    first = write_tables(reference, tmp_path / "a")
    second = write_tables(tables, tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_the_record_file_is_split_into_batches(reference):
    assert len(reference.documents) == 603


def test_bad_jobs_value():
    with pytest.raises(ParameterError, match="`jobs` value = 0"):
        Engine(jobs=0)


def test_tables_do_not_depend_on_the_aggregation_batches(corpus, reference, monkeypatch):
    """Entities, aliases, co-occurrence and partnerships add up over batches of documents."""
    from corpus_tools import aggregate

    monkeypatch.setattr(aggregate, "DOCUMENTS_PER_BATCH", 7)
    assert (
        len(aggregate.batches(reference.documents, reference.sentences, reference.mentions)) == 87
    )
    tables = extract(corpus, use_cache=False, engine=Engine(jobs=2))
    for name in TABLES:
        assert getattr(tables, name).equals(getattr(reference, name)), name
    assert (reference.cooccurrence["docs_dedup"] < reference.cooccurrence["docs"]).any()
    assert len(reference.partnerships) > 600


def test_an_engine_keeps_its_workers_inside_a_with_block():
    engine = Engine(jobs=2)
    with engine:
        pool = engine._pool
        assert engine.map(abs, [(-1,), (-2,)]) == [1, 2]
        with engine:
            assert engine._pool is pool
        assert engine._pool is pool
    assert engine._pool is None
