"""Faults that must lose or poison nothing: concurrent writers, files changing mid-run, bad bytes.

Each test reproduces one failure an adversarial run found, on a small synthetic corpus.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import pytest
from samples import ARTICLE

from corpus_tools.cli import main
from corpus_tools.corpus import load_corpus
from corpus_tools.engine import Engine
from corpus_tools.outputs import OutputBusyError, output_lock, write_parquet_parts
from corpus_tools.pipeline import extract, write_tables


def _sleeper() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def _hold_lock(folder: Path) -> subprocess.Popen:
    """Another process that holds ``folder``'s output lock until it is killed."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from corpus_tools.outputs import output_lock
        with output_lock({str(folder)!r}):
            print("locked", flush=True)
            time.sleep(60)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_live_writers_staging_folder_is_never_removed(tmp_path):
    live, dead = _sleeper(), subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        theirs = tmp_path / f".t.parquet.{live.pid}.abc.tmp"
        leftover = tmp_path / f".t.parquet.{dead.pid}.def.tmp"
        for folder in (theirs, leftover):
            folder.mkdir()
            (folder / "part-00000.parquet").write_bytes(b"half written")
        write_parquet_parts([pd.DataFrame({"a": [1, 2]})], tmp_path / "t.parquet")
        assert (theirs / "part-00000.parquet").read_bytes() == b"half written"
        assert not leftover.exists()
        assert pd.read_parquet(tmp_path / "t.parquet")["a"].tolist() == [1, 2]
    finally:
        live.kill()
        live.wait()


def test_a_second_writer_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    holder = _hold_lock(out)
    try:
        with pytest.raises(OutputBusyError, match="another run is writing here"), output_lock(out):
            pass
    finally:
        holder.kill()
        holder.wait()
    with output_lock(out), output_lock(out):  # free again, and re-entrant in one process
        pass


def test_extract_into_a_busy_folder_stops_before_the_work_with_one_line(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"Headline\n\n{ARTICLE}", encoding="utf-8")
    out = tmp_path / "out"
    holder = _hold_lock(out)
    try:
        status = main(["extract", str(corpus), "--out", str(out), "--no-progress", "--jobs", "1"])
    finally:
        holder.kill()
        holder.wait()
    error = capsys.readouterr().err.strip()
    assert status == 2
    assert len(error.splitlines()) == 1 and "another run is writing here" in error
    assert not (out / "documents.csv").exists()


def _article(place: str) -> str:
    return f"News from {place}\n\nThe University of {place} opened a new laboratory in {place}. {ARTICLE}"


def test_a_file_changed_while_it_is_read_never_poisons_the_cache(tmp_path, monkeypatch):
    import corpus_tools.pipeline as pipeline

    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    corpus.mkdir()
    doc = corpus / "a.txt"
    doc.write_text(_article("Zorvo"), encoding="utf-8")
    real_read = pipeline.read_file

    def edit_then_read(item, digest=None):
        doc.write_text(_article("Quellburg"), encoding="utf-8")  # after the key, before the read
        return real_read(item, digest)

    monkeypatch.setattr(pipeline, "read_file", edit_then_read)
    first = extract(corpus, cache_dir=cache, engine=Engine(jobs=1))
    assert "Quellburg" in first.documents["text"].iloc[0]
    assert "changed while this run read it" in " ".join(first.corpus.warnings["message"])
    monkeypatch.undo()

    doc.write_text(_article("Zorvo"), encoding="utf-8")  # the original content again
    again = extract(corpus, cache_dir=cache, engine=Engine(jobs=1))
    assert "Zorvo" in again.documents["text"].iloc[0]
    assert "Quellburg" not in " ".join(again.entities["entity"])

    doc.write_text(_article("Quellburg"), encoding="utf-8")  # what the first run stored
    stored = extract(corpus, cache_dir=cache, engine=Engine(jobs=1))
    assert stored.cache["reused"] == 1
    assert "changed while" not in " ".join(stored.corpus.warnings["message"])


def _records(tmp_path: Path, name: str, lines: list[bytes]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / name).write_bytes(b"".join(lines))
    return corpus


GOOD_ROWS = 20
BAD_ROW = 7


@pytest.mark.parametrize("gz", [False, True])
def test_one_wrongly_encoded_jsonl_record_costs_only_that_record(tmp_path, gz):
    import gzip
    import json

    lines = [
        json.dumps({"id": f"d{i}", "text": f"Record {i}. {ARTICLE}"}).encode() + b"\n"
        for i in range(GOOD_ROWS)
    ]
    lines.insert(
        BAD_ROW, '{"id": "bad", "text": "The caf\u00e9 opened. '.encode("cp1252") + b'"}\n'
    )
    data = b"".join(lines) + b" " * 70_000  # the bad byte far from any decoder chunk edge
    name = "records.jsonl.gz" if gz else "records.jsonl"
    corpus = _records(tmp_path, name, [gzip.compress(data) if gz else data])
    loaded = load_corpus(corpus)
    assert sorted(loaded.documents["doc_id"]) == sorted(f"d{i}" for i in range(GOOD_ROWS))
    assert loaded.skipped.values.tolist() == [
        [f"{name}:{BAD_ROW + 1}", "not UTF-8 text (byte 0xe9 at column 31)"]
    ]


def test_one_wrongly_encoded_csv_row_costs_only_that_row(tmp_path):
    rows = [f'd{i},"Row {i}, two\nlines. {ARTICLE}"\n'.encode() for i in range(GOOD_ROWS)]
    rows.insert(BAD_ROW, 'bad,"The caf\u00e9 opened."\n'.encode("cp1252"))
    corpus = _records(tmp_path, "rows.csv", [b"id,text\n", *rows])
    loaded = load_corpus(corpus)
    assert sorted(loaded.documents["doc_id"]) == sorted(f"d{i}" for i in range(GOOD_ROWS))
    bad_line = 1 + 2 * BAD_ROW + 1  # header, two lines per good row, then the bad one
    assert loaded.skipped.values.tolist() == [
        [f"rows.csv:{bad_line}", "not UTF-8 text (byte 0xe9 at column 13)"]
    ]


def test_a_line_longer_than_an_article_is_skipped_while_it_is_read(tmp_path):
    import json

    from corpus_tools.readers import MAX_DOCUMENT_BYTES, RawDocument, read_record_file

    huge = b'{"id": "huge", "text": "' + b"x" * (8 * MAX_DOCUMENT_BYTES) + b'"}\n'
    good = json.dumps({"id": "ok", "text": ARTICLE}).encode() + b"\n"
    corpus = _records(tmp_path, "r.jsonl", [good, huge, good.replace(b"ok", b"ok2")])
    del huge
    tracemalloc.start()
    try:
        read = list(read_record_file(corpus / "r.jsonl", "r.jsonl"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MAX_DOCUMENT_BYTES  # never the whole 40 MB line at once
    assert [r.doc_id for r in read if isinstance(r, RawDocument)] == ["ok", "ok2"]
    loaded = load_corpus(corpus)
    assert sorted(loaded.documents["doc_id"]) == ["ok", "ok2"]
    assert loaded.skipped["path"].tolist() == ["r.jsonl:2"]
    assert "too large" in loaded.skipped["reason"].iloc[0]


def test_a_lone_surrogate_escape_costs_only_its_record(tmp_path, capsys):
    lines = [
        b'{"id": "ok", "text": "' + ARTICLE.encode() + b'"}\n',
        b'{"id": "bad", "text": "Broken \\ud800 text. ' + ARTICLE.encode() + b'"}\n',
        b'{"id": "title", "title": "Odd \\udfff title", "text": "' + ARTICLE.encode() + b'"}\n',
    ]
    corpus = _records(tmp_path, "r.jsonl", lines)
    assert main(["info", str(corpus), "--no-progress"]) == 0
    loaded = load_corpus(corpus)
    assert sorted(loaded.documents["doc_id"]) == ["ok", "title"]
    assert loaded.skipped.values.tolist() == [
        [
            "r.jsonl:2",
            "text holds a lone surrogate (\\ud800) at character 8, which is not a character",
        ]
    ]
    assert "field 'title' holds a lone surrogate" in " ".join(loaded.warnings["message"])
    write_tables(extract(corpus, use_cache=False, engine=Engine(jobs=1)), tmp_path / "out")


def test_a_file_name_that_is_not_utf8_is_reported_and_the_rest_loads(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(_article("Zorvo"), encoding="utf-8")
    bad = os.fsdecode(b"bad\xffname.txt")
    try:
        (corpus / bad).write_text(_article("Quellburg"), encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    (corpus / os.fsdecode(b"dir\xfe")).mkdir()
    assert main(["info", str(corpus), "--no-progress"]) == 0
    shown = capsys.readouterr().out
    assert "bad\\xffname.txt" in shown
    loaded = load_corpus(corpus)
    assert loaded.documents["doc_id"].tolist() == ["good"]
    assert sorted(loaded.skipped["path"]) == ["bad\\xffname.txt", "dir\\xfe"]
    write_tables(extract(corpus, use_cache=False, engine=Engine(jobs=1)), tmp_path / "out")


def test_tables_written_inside_the_corpus_are_not_read_back(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_article("Zorvo"), encoding="utf-8")
    args = ["extract", str(corpus), "--no-progress", "--jobs", "1", "--no-cache"]
    assert main([*args, "--out", str(corpus / "out")]) == 0
    assert main([*args, "--out", str(corpus / "out")]) == 0
    documents = pd.read_csv(corpus / "out" / "documents.csv")
    assert documents["doc_id"].tolist() == ["a"]
    assert main([*args, "--out", str(corpus)]) == 2
    assert "not the corpus folder" in capsys.readouterr().err


def test_control_characters_in_names_and_titles_reach_no_table_or_terminal(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rows.csv").write_text(
        'id,title,text\nd1,"Bad\x00 \x1b[31mred\x1b[0m title",' + f'"{ARTICLE}"\n',
        encoding="utf-8",
    )
    (corpus / "evil\x1b[2Jname.txt").write_text(_article("Zorvo"), encoding="utf-8")
    assert main(["info", str(corpus), "--no-progress"]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\\x1b[2J" in shown
    title = load_corpus(corpus).documents.set_index("doc_id").loc["d1", "title"]
    assert "\x00" not in title and "\x1b" not in title and "red" in title


@pytest.mark.parametrize("value", ["1e999", "-1e999", "nan"])
def test_an_infinite_or_missing_number_is_not_a_parameter(value):
    from corpus_tools.cli import _literal
    from corpus_tools.validation import ParameterError, check_number

    with pytest.raises(ParameterError, match="a finite number"):
        check_number("top_n", _literal(value) if value != "nan" else float("nan"), minimum=1)


def test_a_params_file_with_yaml_aliases_is_refused_before_it_expands(tmp_path):
    from corpus_tools.report import read_params_file
    from corpus_tools.validation import ParameterError

    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    laughs += [
        f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    path = tmp_path / "params.yaml"
    path.write_text("\n".join(laughs) + "\nset: {top_n: *i}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="without aliases"):
        read_params_file(path)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _swap_tables(path: Path) -> None:
    (path.parent / "removed.parquet").replace(path)  # another valid table under its name


def _empty_record(path: Path) -> None:
    (path.parent / "record.json").write_text("{}", encoding="utf-8")


@pytest.mark.parametrize("damage", [_truncate, _swap_tables, _empty_record])
def test_a_damaged_extraction_cache_entry_is_reported_and_rebuilt(tmp_path, damage, caplog):
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_article("Zorvo"), encoding="utf-8")
    clean = extract(corpus, cache_dir=cache, engine=Engine(jobs=1))
    for entry in (cache / "corpora").iterdir():  # only the per-file entry stays
        shutil.rmtree(entry)
    (entry,) = (cache / "files").glob("*/*")
    damage(entry / "documents.parquet")
    again = extract(corpus, cache_dir=cache, engine=Engine(jobs=1))
    assert "is damaged" in caplog.text and again.cache["extracted"] == 1
    pd.testing.assert_frame_equal(again.documents, clean.documents)
    pd.testing.assert_frame_equal(again.entities, clean.entities)
    for entry in (cache / "corpora").iterdir():
        shutil.rmtree(entry)
    assert extract(corpus, cache_dir=cache, engine=Engine(jobs=1)).cache["reused"] == 1


def test_a_damaged_report_cache_entry_is_never_copied_into_a_report(tmp_path, monkeypatch):
    from corpus_tools.paths import NOTEBOOKS_DIR
    from corpus_tools.report import run_reports

    monkeypatch.setenv("CORPUS_TOOLS_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Lincoln news\n\nLincoln University signed an agreement with Peking University in 2015.\n",
        encoding="utf-8",
    )
    timeline = [NOTEBOOKS_DIR / "03_partnership_timeline.ipynb"]
    first, _ = run_reports(corpus, out_dir=tmp_path / "r1", notebooks=timeline, progress=False)
    table = "03_partnership_timeline/partnerships.csv"
    (stored,) = (tmp_path / "cache" / "reports").iterdir()
    _truncate(stored / "outputs" / "partnerships.csv")
    second, runs = run_reports(corpus, out_dir=tmp_path / "r2", notebooks=timeline, progress=False)
    assert not runs[0].reused and runs[0].status == "ok"
    assert (second / table).read_bytes() == (first / table).read_bytes()
    (stored,) = (tmp_path / "cache" / "reports").iterdir()  # rebuilt
    (stored / "notebook.ipynb").write_text("{not json", encoding="utf-8")
    third, runs = run_reports(corpus, out_dir=tmp_path / "r3", notebooks=timeline, progress=False)
    assert not runs[0].reused and runs[0].status == "ok"
    nbformat.validate(nbformat.read(third / "03_partnership_timeline.ipynb", as_version=4))
    assert (third / table).read_bytes() == (first / table).read_bytes()


def _start_report(corpus: Path, out: Path, cache: Path) -> subprocess.Popen:
    """``corpus-tools report --jobs 2`` in its own session, so the test can always clean up.

    With Ctrl-C's default meaning: a test suite started in the background (``nohup … &``)
    ignores SIGINT, and a child would inherit that (Python then leaves Ctrl-C ignored).
    """
    command = [sys.executable, "-c", "import sys; from corpus_tools.cli import main; sys.exit(main())",
               "report", "--corpus", str(corpus), "--out", str(out), "--jobs", "2", "--no-progress"]  # fmt: skip
    env = {**os.environ, "CORPUS_TOOLS_CACHE": str(cache)}
    return subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=_default_sigint,
    )  # fmt: skip


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _running_workers(run: subprocess.Popen) -> list[psutil.Process]:
    """Wait (bounded) until the run executes notebooks in its pool; return all its descendants."""
    main_process = psutil.Process(run.pid)
    for _ in range(600):
        family = main_process.children(recursive=True)
        if len([p for p in family if p.ppid() != run.pid]) >= 2:  # kernels started by the workers
            return family
        assert run.poll() is None, run.stderr.read()
        time.sleep(0.1)
    raise AssertionError("the report never started its notebooks")


def _reap(run: subprocess.Popen) -> None:
    """Whatever a failed test left running: the run's session."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(run.pid, signal.SIGKILL)
    run.wait()


def _gone(processes: list[psutil.Process], within: float) -> list[psutil.Process]:
    _, alive = psutil.wait_procs(processes, timeout=within)
    return alive


@pytest.fixture
def partnership_corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return root


def test_workers_end_when_the_report_is_killed(partnership_corpus, tmp_path):
    out = tmp_path / "run"
    run = _start_report(partnership_corpus, out, tmp_path / "cache")
    try:
        family = _running_workers(run)
        run.kill()
        run.wait()
        alive = _gone(family, within=20)
        assert not alive, [p.cmdline() for p in alive]
    finally:
        _reap(run)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_report_stops_its_workers_and_exits_with_one_line(
    partnership_corpus, tmp_path, signum
):
    out = tmp_path / "run"
    run = _start_report(partnership_corpus, out, tmp_path / "cache")
    try:
        family = _running_workers(run)
        run.send_signal(signum)
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == 128 + signum, stderr[-3000:]
        assert "Traceback" not in stderr
        assert (
            stderr.strip()
            .splitlines()[-1]
            .startswith(f"corpus-tools: stopped by {signal.Signals(signum).name}")
        )
        assert not _gone(family, within=20)
        assert not list(out.rglob(".partial-*"))
        for notebook in out.rglob("*.ipynb"):
            nbformat.validate(nbformat.read(notebook, as_version=4))
    finally:
        _reap(run)


def _refuse_writes_under(root: Path, error: int):
    """A stand-in for a cache disk that is full (ENOSPC) or read-only (EROFS) under ``root``."""
    real = tempfile.mkdtemp

    def mkdtemp(*args, dir=None, **kwargs):
        if dir is not None and Path(root) in Path(dir).parents:
            raise OSError(error, os.strerror(error), str(dir))
        return real(*args, dir=dir, **kwargs)

    return mkdtemp


@pytest.mark.parametrize("damage", ["a file", "full", "read-only"])
def test_a_cache_that_cannot_be_written_is_reported_and_the_tables_still_come_out(
    tmp_path, monkeypatch, caplog, damage
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    if damage == "a file":
        cache.write_text("not a folder", encoding="utf-8")
    else:
        error = errno.ENOSPC if damage == "full" else errno.EROFS
        monkeypatch.setattr(
            "corpus_tools.cache.tempfile.mkdtemp", _refuse_writes_under(cache, error)
        )
    monkeypatch.setenv("CORPUS_TOOLS_CACHE", str(cache))
    args = ["extract", str(corpus), "--no-progress", "--jobs", "1"]
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    warned = [r.getMessage() for r in caplog.records if "cache cannot be written" in r.getMessage()]
    assert len(warned) == 1 and str(cache) in warned[0]
    assert main([*args, "--out", str(tmp_path / "reference"), "--no-cache"]) == 0
    for name in ("documents.csv", "mentions.csv", "partnerships.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (
            tmp_path / "reference" / name
        ).read_bytes()


def test_an_unwritable_out_is_one_line_before_any_extraction(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("CORPUS_TOOLS_CACHE", str(tmp_path / "cache"))
    taken = tmp_path / "taken"
    taken.write_text("a file, not a folder", encoding="utf-8")
    for command in (["extract", str(corpus)], ["report", "--corpus", str(corpus)]):
        assert main([*command, "--out", str(taken), "--no-progress"]) == 1
        error = capsys.readouterr().err.strip().splitlines()
        assert error == [f"corpus-tools: error: {taken}: File exists"]
    assert not (tmp_path / "cache").exists()  # refused before the corpus was read


def test_report_no_cache_reads_and_writes_no_cache(tmp_path, monkeypatch):
    from corpus_tools.paths import NOTEBOOKS_DIR

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("CORPUS_TOOLS_CACHE", str(cache))
    notebook = NOTEBOOKS_DIR / "03_partnership_timeline.ipynb"
    args = ["report", "--corpus", str(corpus), "--notebooks", str(notebook), "--jobs", "1"]
    assert main([*args, "--out", str(tmp_path / "run"), "--no-progress", "--no-cache"]) == 0
    assert not cache.exists()
    assert (tmp_path / "run" / "03_partnership_timeline.html").is_file()
    assert os.environ.get("CORPUS_TOOLS_NO_CACHE") is None  # the setting ends with the run


def test_a_file_size_limit_on_the_output_is_one_line_naming_the_file(tmp_path):
    import resource

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sentences = (
        f"Item {i} of the report was read out in Auckland on Monday." for i in range(21_000)
    )
    (corpus / "long.txt").write_text("A long report\n\n" + " ".join(sentences), encoding="utf-8")
    cap = 1_100_000  # above what the tagger's model needs, below this corpus's sentences.csv

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))

    out = tmp_path / "out"
    command = [sys.executable, "-c", "import sys; from corpus_tools.cli import main; sys.exit(main())",
               "extract", str(corpus), "--out", str(out), "--no-progress", "--no-cache", "--jobs", "1"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=limit, timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"corpus-tools: error: {out / 'sentences.csv'}: File too large"
    ]
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not (out / "sentences.csv").exists()
