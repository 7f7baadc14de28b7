"""Reliability: a torture corpus, kills at random points, no network, no pickles."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from samples import ARTICLE

from corpus_tools.cache import tree_hash
from corpus_tools.pipeline import extract, write_tables

GOOD = {
    "plain.txt": f"Plain headline\n\n{ARTICLE}",
    "utf16.txt": ("UTF-16 headline\n\n" + ARTICLE + " Café.").encode("utf-16"),
    "cp1252.txt": ("Smart “quotes” headline\n\n" + ARTICLE + " The university’s plan.").encode(
        "cp1252"
    ),
    "latin1.txt": ("Latin headline\n\n" + ARTICLE + " São Paulo and Zürich.").encode("latin-1"),
    "mixed.txt": b"Mixed endings\r\n\r\nFirst line here.\rSecond line.\n\n" + ARTICLE.encode(),
    "page.html": (
        "<html><head><title>Page</title><style>p{color:red}</style>"
        "<script>document.title='pwned'</script></head><body><article>"
        f"<h1>HTML headline</h1><p>{ARTICLE}</p><p>{ARTICLE}</p></article></body></html>"
    ),
    "nested/a/b/c/deep.txt": f"Deep headline\n\n{ARTICLE} Deep inside.",
    "name with spaces.txt": f"Spaces headline\n\n{ARTICLE} Spaced.",
    "ünïcödé náme.txt": f"Unicode headline\n\n{ARTICLE} Unicode.",
    "dup_one.txt": f"Syndicated\n\n{ARTICLE} Syndicated copy text.",
    "dup_two.txt": f"Syndicated\n\n{ARTICLE} Syndicated copy text.",
}
BAD = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": ("   \n\t\n  ", "empty or whitespace-only"),
    "binary.txt": (bytes(range(256)) * 64, "binary data"),
    "chinese.txt": ("苏州大学与滑铁卢大学签署合作协议。" * 40, "not English"),
    "huge.txt": (None, "too large"),
}
TINY_FILES = 10_000


@pytest.fixture(scope="module")
def torture(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("torture")
    for name, content in {**GOOD, **{k: v for k, (v, _) in BAD.items() if v is not None}}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with open(root / "huge.txt", "wb") as handle:  # 50 MB in one file
        line = (ARTICLE + "\n").encode()
        handle.write(line * (50 * 2**20 // len(line) + 1))
    tiny = root / "tiny"
    tiny.mkdir()
    for i in range(TINY_FILES):
        (tiny / f"t{i:05d}.txt").write_text(
            f"Note {i}\n\nUniversity {i} met City {i}.", encoding="utf-8"
        )
    os.symlink(root / "nested", root / "nested" / "a" / "loop")
    os.symlink(root / "missing-target.txt", root / "dangling.txt")
    os.mkfifo(root / "pipe.txt")
    (root / "metadata.csv").write_text(
        "doc_id,title,date\nplain,Metadata title,not-a-date\n,No id,2020-01-01\nghost,Ghost,2020-01-02\n",
        encoding="utf-8",
    )
    return root


def test_every_good_document_loads_and_every_bad_one_is_listed(torture, tmp_path):
    tables = extract(torture, use_cache=False)
    documents = tables.documents.set_index("doc_id")
    good = {Path(name).stem for name in GOOD}
    assert good <= set(documents.index)
    assert len(documents) == len(good) + TINY_FILES
    assert documents.loc["plain", "title"] == "Metadata title"
    assert (
        documents.loc["utf16", "encoding"] == "utf-16" and "Café" in documents.loc["utf16", "text"]
    )
    assert "“quotes”" in documents.loc["cp1252", "title"]
    assert "pwned" not in documents.loc["page", "text"]
    assert documents.loc["dup_two", "duplicate_of"] == "dup_one"
    skipped = dict(zip(tables.skipped["path"], tables.skipped["reason"], strict=True))
    for name, (_, reason) in BAD.items():
        assert reason in skipped[name], (name, skipped.get(name))
    assert skipped["nested/a/loop"] == "link to a folder, not followed"
    assert skipped["dangling.txt"].startswith("unreadable")
    assert skipped["pipe.txt"].startswith("not a regular file")
    warnings = " ".join(tables.corpus.warnings["message"])
    for expected in (
        "'not-a-date' in the metadata file is not a date",
        "no doc_id/id value",
        "'ghost' matches no document",
    ):
        assert expected in warnings
    written = write_tables(tables, tmp_path / "out")
    assert all(path.stat().st_size > 0 for path in written)
    assert len(pd.read_csv(tmp_path / "out" / "documents.csv")) == len(documents)


# --- kills at random points ------------------------------------------------------------------


def _corpus_for_kills(root: Path) -> Path:
    root.mkdir()
    records = "".join(
        json.dumps({"id": f"r{i}", "text": f"Headline {i}\n\nNanjing University and Fudan University "
                    f"signed agreement {i} on 3 March 2015. {ARTICLE}"}) + "\n"
        for i in range(1500)
    )  # fmt: skip
    (root / "records.jsonl").write_text(records, encoding="utf-8")
    return root


def _cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "corpus_tools.cli", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )  # fmt: skip


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _final_files(folder: Path) -> list[Path]:
    """Files a reader would open: not the hidden temporary files and folders of a write."""
    return [
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]


def _check_complete(path: Path, reference: Path | None) -> None:
    if reference is not None and reference.exists():
        assert path.read_bytes() == reference.read_bytes(), f"torn or different: {path}"
    elif path.suffix == ".parquet":
        pd.read_parquet(path)
    elif path.suffix in (".json", ".ipynb"):
        json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"torn: {path}"


def test_killed_extraction_leaves_no_torn_file_and_the_next_run_completes(tmp_path):
    corpus = _corpus_for_kills(tmp_path / "corpus")
    env = {**os.environ, "CORPUS_TOOLS_CACHE": str(tmp_path / "cache")}
    reference = tmp_path / "reference"
    assert (
        _cli("extract", str(corpus), "--out", str(reference), "--no-progress", "--no-cache").wait()
        == 0
    )
    out = tmp_path / "out"
    rng = random.Random(7)
    for _ in range(5):
        process = _cli("extract", str(corpus), "--out", str(out), "--no-progress", env=env)
        time.sleep(rng.uniform(0.5, 6.0))
        _kill(process)
        for path in _final_files(out):
            _check_complete(path, reference / path.relative_to(out))
        for path in _final_files(tmp_path / "cache"):
            _check_complete(path, None)
    assert _cli("extract", str(corpus), "--out", str(out), "--no-progress", env=env).wait() == 0
    for path in _final_files(reference):
        relative = path.relative_to(reference)
        assert (out / relative).read_bytes() == path.read_bytes(), relative


def test_killed_rendering_leaves_no_torn_report(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"Headline\n\n{ARTICLE}", encoding="utf-8")
    env = {**os.environ, "CORPUS_TOOLS_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "run"
    notebook = str(Path(__file__).parents[1] / "notebooks" / "00_corpus_overview.ipynb")
    rng = random.Random(11)
    for _ in range(4):
        process = _cli("report", "--corpus", str(corpus), "--out", str(out), "--notebooks", notebook,
                       "--jobs", "1", "--no-progress", env=env)  # fmt: skip
        time.sleep(rng.uniform(1.0, 8.0))
        _kill(process)
        for path in _final_files(out):
            _check_complete(path, None)
    args = [
        "report",
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--notebooks",
        notebook,
        "--no-progress",
    ]
    assert _cli(*args, env=env).wait() == 0
    assert (
        (out / "00_corpus_overview.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    )
    assert (
        json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][0]["status"]
        == "ok"
    )


# --- nothing from the network, no pickles -----------------------------------------------------

GUARD = """
import ipaddress, pickle, socket

_connect = socket.socket.connect

def _local_only(self, address):
    host = address[0] if isinstance(address, tuple) else ""
    if isinstance(address, tuple):
        try:
            if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
                raise OSError(f"network blocked by the test: {address}")
        except socket.gaierror:
            raise OSError(f"network blocked by the test: {address}")
    return _connect(self, address)

def _no_pickle(*args, **kwargs):
    raise RuntimeError("a pickle was loaded")

socket.socket.connect = _local_only
socket.socket.connect_ex = lambda self, address: _local_only(self, address) or 0
pickle.load = _no_pickle
"""


@pytest.fixture
def guarded_env(tmp_path):
    folder = tmp_path / "guard"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    paths = [str(folder), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p),
            "CORPUS_TOOLS_CACHE": str(tmp_path / "cache")}  # fmt: skip


def test_the_guard_itself_blocks_the_network_and_pickles(guarded_env):
    script = (
        "import socket, pickle, io\n"
        "s = socket.socket()\n"
        "try:\n    s.connect(('192.0.2.1', 80))\nexcept OSError as e:\n    print('blocked' if 'blocked' in str(e) else 'other')\n"
        "try:\n    pickle.load(io.BytesIO(pickle.dumps(1)))\nexcept RuntimeError:\n    print('no pickle')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=guarded_env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == ["blocked", "no", "pickle"]


def test_pipeline_and_a_notebook_run_with_no_network_and_no_pickles(guarded_env, tmp_path):
    root = Path(__file__).parents[1]
    out = tmp_path / "run"
    result = subprocess.run(
        [sys.executable, "-m", "corpus_tools.cli", "report", "--corpus", str(root / "seeds"), "--out", str(out),
         "--notebooks", str(root / "notebooks" / "01_entity_counts.ipynb"), "--no-progress"],
        env=guarded_env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][0]["status"]
        == "ok"
    )
    assert (out / "tables" / "entities.csv").is_file()


def test_an_edited_source_file_changes_the_tree_hash(tmp_path):
    (tmp_path / "rules.py").write_text("WORDS = ['signed']\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not code\n", encoding="utf-8")
    before = tree_hash(tmp_path, "*.py")
    (tmp_path / "notes.txt").write_text("changed, but not code\n", encoding="utf-8")
    assert tree_hash(tmp_path, "*.py") == before
    (tmp_path / "rules.py").write_text("WORDS = ['signed', 'agreed']\n", encoding="utf-8")
    assert tree_hash(tmp_path, "*.py") != before
