"""Shared fixtures: the bundled seeds, their gold annotation, and a corpus-folder builder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import corpus_tools as ct
from corpus_tools.paths import SEEDS_DIR

GOLD = Path(__file__).parent / "gold" / "seeds-gold.json"


@pytest.fixture(scope="session")
def seeds() -> ct.Corpus:
    return ct.load_corpus(SEEDS_DIR)


@pytest.fixture(scope="session")
def seeds_gold() -> dict[str, dict]:
    return {doc["doc_id"]: doc for doc in json.loads(GOLD.read_text(encoding="utf-8"))}


@pytest.fixture
def make_corpus(tmp_path: Path):
    """Write ``{relative name: str | bytes}`` into a fresh folder and return its path."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "corpus"
        root.mkdir(exist_ok=True)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Every test session gets its own extraction cache (kernels inherit the variable)."""
    import os

    previous = os.environ.get("CORPUS_TOOLS_CACHE")
    os.environ["CORPUS_TOOLS_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("CORPUS_TOOLS_CACHE", None)
    else:
        os.environ["CORPUS_TOOLS_CACHE"] = previous
