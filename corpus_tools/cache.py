"""The extraction cache, keyed on the data and on the code that reads it.

Each corpus file's extraction is stored under a key that covers the file's bytes, its place in
the corpus (path and doc_id), the metadata sidecar, the alias registry, the knowledge files in
``corpus_tools/data/``, the package's own source files and the extractor version, so an edited
rule or model never returns results of the code before it. A rerun on an unchanged corpus reads
every file from the cache; changing one file re-extracts that file only. Entries are Parquet and
JSON (never pickles), written to a temporary folder and renamed into place.

The cache lives in ``$CORPUS_TOOLS_CACHE`` or, by default, ``.cache/corpus_tools/`` in the
project folder; deleting it is always safe. ``$CORPUS_TOOLS_NO_CACHE`` (or ``--no-cache``)
turns it off; a cache that cannot be written (read-only, not a folder, a full disk) is reported
once as a warning and the run goes on without storing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd

from corpus_tools.paths import DATA_DIR, PROJECT_ROOT

# Bump when extraction code changes in a way that changes its output.
EXTRACTOR_VERSION = "2026.12.91"
_CHUNK = 1 << 20
log = logging.getLogger(__name__)


NO_CACHE_ENV = "CORPUS_TOOLS_NO_CACHE"  # set (to anything but "" or "0"): no cache at all


def cache_disabled() -> bool:
    """Whether ``$CORPUS_TOOLS_NO_CACHE`` turns the cache off (``--no-cache`` sets it)."""
    return os.environ.get(NO_CACHE_ENV, "") not in ("", "0")


@contextmanager
def cache_environment(*, root: Path | None = None, disabled: bool = False) -> Iterator[None]:
    """Cache settings for this process and what it starts (notebook kernels), for a block.

    ``root`` sets ``$CORPUS_TOOLS_CACHE``, ``disabled`` sets ``$CORPUS_TOOLS_NO_CACHE``; both
    are restored afterwards, so a caller's own settings never leak past the block.
    """
    settings = {"CORPUS_TOOLS_CACHE": str(root)} if root is not None else {}
    if disabled:
        settings[NO_CACHE_ENV] = "1"
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def default_cache_dir() -> Path:
    """``$CORPUS_TOOLS_CACHE``, or ``.cache/corpus_tools`` in the project folder."""
    configured = os.environ.get("CORPUS_TOOLS_CACHE")
    return Path(configured).expanduser() if configured else PROJECT_ROOT / ".cache" / "corpus_tools"


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def text_hash(*parts: object) -> str:
    """SHA-256 of the parts' text, joined unambiguously."""
    digest = hashlib.sha256()
    for part in parts:
        data = str(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def tree_hash(folder: Path, pattern: str = "*") -> str:
    """Hash of the names and bytes of every file under ``folder`` matching ``pattern``."""
    parts: list[object] = []
    for path in sorted(folder.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(folder).as_posix(), file_hash(path)]
    return text_hash(*parts)


@lru_cache(maxsize=1)
def knowledge_hash() -> str:
    """Hash of the extractor version, every knowledge file and the package's source code."""
    return text_hash(EXTRACTOR_VERSION, tree_hash(DATA_DIR), tree_hash(DATA_DIR.parent, "*.py"))


SEAL_NAME = "checksums.json"


def seal(folder: Path) -> None:
    """Write the SHA-256 of every file under ``folder`` into its ``checksums.json``."""
    sums = {
        path.relative_to(folder).as_posix(): file_hash(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != SEAL_NAME
    }
    (folder / SEAL_NAME).write_text(json.dumps(sums, indent=0, sort_keys=True), encoding="utf-8")


def seal_problem(folder: Path) -> str:
    """Why ``folder`` does not match its seal (a file missing, added, truncated, swapped), or ""."""
    try:
        sums = json.loads((folder / SEAL_NAME).read_text(encoding="utf-8"))
        if not isinstance(sums, dict):
            return f"{SEAL_NAME} is not a mapping"
        present = {
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*")
            if path.is_file() and path.name != SEAL_NAME
        }
        if present != set(sums):
            return f"files {sorted(present ^ set(sums))} added or missing"
        for name, expected in sorted(sums.items()):
            if file_hash(folder / name) != expected:
                return f"{name} does not match its checksum"
    except (OSError, ValueError) as exc:
        return f"unreadable ({exc})"
    return ""


def discard_damaged(folder: Path, problem: str) -> None:
    """Report a damaged cache entry and delete it, so that it is rebuilt."""
    log.warning("cache entry %s is damaged (%s); it is rebuilt", folder, problem)
    shutil.rmtree(folder, ignore_errors=True)


class FileCache:
    """Per-file extraction results stored as Parquet tables plus a JSON record."""

    TABLES = ("documents", "removed", "sentences", "mentions", "fingerprints")

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.unwritable = ""  # why storing failed (read-only, not a folder, full), once it has

    def _folder(self, key: str) -> Path:
        return self.root / "files" / key[:2] / key

    def load(self, key: str) -> tuple[dict[str, pd.DataFrame], dict] | None:
        """The stored tables and record of ``key``, or ``None`` when absent or damaged.

        A damaged entry (see :func:`seal_problem`, or a record without its fields) is
        reported and deleted, so that the caller's extraction is stored again.
        """
        stored = self._read(self._folder(key), self.TABLES, self.RECORD_FIELDS)
        return None if stored is None else (stored[0], stored[1])

    RECORD_FIELDS = ("matched", "problems")

    def load_tables(self, key: str) -> dict[str, pd.DataFrame] | None:
        """The whole-corpus tables stored under ``key`` (an unchanged corpus), or ``None``."""
        folder = self.root / "corpora" / key
        try:
            names = json.loads((folder / "record.json").read_text(encoding="utf-8"))["tables"]
        except (OSError, ValueError, KeyError, TypeError):
            names = ()
        stored = self._read(folder, tuple(names), ("tables",))
        return None if stored is None or not names else stored[0]

    def _read(
        self, folder: Path, tables: tuple[str, ...], fields: tuple[str, ...]
    ) -> tuple[dict[str, pd.DataFrame], dict] | None:
        try:
            if not folder.is_dir():
                return None
        except OSError:  # an unreadable cache is an empty one
            return None
        problem = seal_problem(folder)
        try:
            record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
            if not problem and not (isinstance(record, dict) and set(fields) <= set(record)):
                problem = f"record.json lacks {list(fields)}"
            if not problem:
                return {n: pd.read_parquet(folder / f"{n}.parquet") for n in tables}, record
        except (OSError, ValueError) as exc:
            problem = problem or f"unreadable ({exc})"
        discard_damaged(folder, problem)
        return None

    def store_tables(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """Store the whole-corpus tables of an extraction under ``key``."""
        self._write(self.root / "corpora" / key, tables, {"tables": sorted(tables)})

    def store(self, key: str, tables: dict[str, pd.DataFrame], record: dict) -> None:
        """Store a file's entry atomically (a crash leaves either the whole entry or nothing)."""
        self._write(self._folder(key), tables, record)

    def _write(self, folder: Path, tables: dict[str, pd.DataFrame], record: dict) -> None:
        """Store an entry; a cache that cannot be written is reported once, then left alone."""
        if self.unwritable or folder.exists():
            return
        try:
            with stored_atomically(folder) as temporary:
                for name, table in tables.items():
                    table.to_parquet(temporary / f"{name}.parquet", index=False)
                (temporary / "record.json").write_text(
                    json.dumps(record, sort_keys=True), encoding="utf-8"
                )
        except OSError as exc:
            self.unwritable = cache_unwritable(self.root, exc)


@contextmanager
def stored_atomically(folder: Path) -> Iterator[Path]:
    """A private staging folder that becomes ``folder``, sealed, once the block has filled it.

    Entries are immutable: when another writer renames the same entry into place first,
    theirs is kept and ours removed.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        yield temporary
        seal(temporary)
        os.replace(temporary, folder)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
        if not folder.exists():
            raise


def cache_unwritable(root: Path, exc: OSError) -> str:
    """Report (as a warning) that the cache under ``root`` cannot be written; return why."""
    why = f"{exc.filename or root}: {exc.strerror or exc}"
    log.warning("the cache cannot be written (%s); results are not cached in this run", why)
    return why
