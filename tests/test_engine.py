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
