"""The extraction cache, keyed on the data and on the code that reads it.

Each corpus file's extraction is stored under a key that covers the file's bytes, its place in
the corpus (path and doc_id), the metadata sidecar, the alias registry, the knowledge files in
``corpus_tools/data/``, the package's own source files and the extractor version, so an edited
rule or model never returns results of the code before it. A rerun on an unchanged corpus reads
every file from the cache; changing one file re-extracts that file only. Entries are Parquet and
JSON (never pickles), written to a temporary folder and renamed into place.

The cache lives in ``$CORPUS_TOOLS_CACHE`` or, by default, ``.cache/corpus_tools/`` in the
project folder; deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from corpus_tools.paths import DATA_DIR, PROJECT_ROOT

# Bump when extraction code changes in a way that changes its output.
EXTRACTOR_VERSION = "2026.12.91"
_CHUNK = 1 << 20


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


class FileCache:
    """Per-file extraction results stored as Parquet tables plus a JSON record."""

    TABLES = ("documents", "removed", "sentences", "mentions", "fingerprints")

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()

    def _folder(self, key: str) -> Path:
        return self.root / "files" / key[:2] / key

    def load(self, key: str) -> tuple[dict[str, pd.DataFrame], dict] | None:
        """The stored tables and record of ``key``, or ``None`` when absent or unreadable."""
        folder = self._folder(key)
        if not (folder / "record.json").is_file():
            return None
        try:
            record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
            tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in self.TABLES}
        except (OSError, ValueError):
            return None
        return tables, record

    def load_tables(self, key: str) -> dict[str, pd.DataFrame] | None:
        """The whole-corpus tables stored under ``key`` (an unchanged corpus), or ``None``."""
        folder = self.root / "corpora" / key
        if not (folder / "record.json").is_file():
            return None
        try:
            names = json.loads((folder / "record.json").read_text(encoding="utf-8"))["tables"]
            return {name: pd.read_parquet(folder / f"{name}.parquet") for name in names}
        except (OSError, ValueError, KeyError):
            return None

    def store_tables(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """Store the whole-corpus tables of an extraction under ``key``."""
        self._write(self.root / "corpora" / key, tables, {"tables": sorted(tables)})

    def store(self, key: str, tables: dict[str, pd.DataFrame], record: dict) -> None:
        """Store a file's entry atomically (a crash leaves either the whole entry or nothing)."""
        self._write(self._folder(key), tables, record)

    def _write(self, folder: Path, tables: dict[str, pd.DataFrame], record: dict) -> None:
        if folder.exists():
            return
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            for name, table in tables.items():
                table.to_parquet(temporary / f"{name}.parquet", index=False)
            (temporary / "record.json").write_text(
                json.dumps(record, sort_keys=True), encoding="utf-8"
            )
            os.replace(temporary, folder)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            if not folder.exists():
                raise
