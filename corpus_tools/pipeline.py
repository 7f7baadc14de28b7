"""From a corpus to the extracted tables, and those tables to disk (CSV and Parquet).

Tables (the public contract; CSV and Parquet carry the same columns):

``documents`` — as in :mod:`corpus_tools.corpus`, without the text.
``sentences`` — ``doc_id, sent_id, para_id, start, end, text``.
``mentions`` — ``doc_id, sent_id, start, end, surface, entity, type``: offsets into the
    document's cleaned text, so ``text[start:end] == surface``.
``entities`` — ``doc_id, entity, type, sector, mentions, aliases``: one row per entity per
    document; ``aliases`` lists the other surface forms, separated by ``|``.
``aliases`` — ``entity, type, surface, mentions, documents``: which surface forms were merged
    into which canonical name, and how often (the whole corpus).
``skipped`` — ``path, reason``.
``cooccurrence`` — pairs of entities in the same sentence (see :mod:`corpus_tools.cooccurrence`).
``partnerships``, ``dyads`` — dated, typed partnership records and pairs (see
    :mod:`corpus_tools.partnerships`).

:func:`extract` runs two passes on its :class:`~corpus_tools.engine.Engine`: batches of
documents are cleaned, segmented and searched for mentions (:func:`extract_batch`, cached per
file); then, once spellings are merged across the corpus, batches of consecutive documents
give their entities, aliases, co-occurrence counts and partnerships
(:mod:`corpus_tools.aggregate`), which are added up in document order.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from corpus_tools import aliases as alias_rules
from corpus_tools import cooccurrence as cooc
from corpus_tools import partnerships as partner_rules
from corpus_tools.aggregate import aggregate as aggregate_batches
from corpus_tools.cache import FileCache, cache_disabled, file_hash, knowledge_hash, text_hash
from corpus_tools.corpus import (
    REMOVED_COLUMNS,
    Corpus,
    CorpusFile,
    CorpusPlan,
    FileResult,
    assemble_corpus,
    build_documents,
    plan_corpus,
    read_file,
    rows_by_document,
)
from corpus_tools.duplicates import Fingerprint
from corpus_tools.engine import Engine, available_cores
from corpus_tools.entities import Mention
from corpus_tools.metadata import Sidecar
from corpus_tools.name_spans import read_document
from corpus_tools.outputs import output_lock, write_csv, write_parquet_parts
from corpus_tools.readers import Problem, RawDocument
from corpus_tools.segment import SENTENCE_COLUMNS
from corpus_tools.segment import sentences as segment_sentences
from corpus_tools.tagger import Tagger

MENTION_COLUMNS = ["doc_id", "sent_id", "start", "end", "surface", "entity", "type"]
TABLE_NAMES = (
    "documents",
    "sentences",
    "mentions",
    "entities",
    "aliases",
    "cooccurrence",
    "partnerships",
    "dyads",
    "skipped",
)  # fmt: skip  (the files ``write_tables`` writes, as CSV and Parquet)


@dataclass
class Tables:
    """Everything extracted from one corpus."""

    corpus: Corpus
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    aliases: pd.DataFrame
    cooccurrence: pd.DataFrame
    partnerships: pd.DataFrame
    dyads: pd.DataFrame
    cache: dict = field(default_factory=dict)

    @property
    def documents(self) -> pd.DataFrame:
        """The documents table (with text)."""
        return self.corpus.documents

    @property
    def skipped(self) -> pd.DataFrame:
        """Files and records not loaded, with the reason."""
        return self.corpus.skipped


@dataclass
class FileExtraction:
    """The per-file part of extraction: its corpus result, sentences and resolved mentions."""

    result: FileResult
    sentences: pd.DataFrame  # with a ``_path`` column: which file the document came from
    mentions: pd.DataFrame  # resolved, before corpus-wide spelling merges; with ``_path``


BATCH_DOCUMENTS = 256  # documents of a record file handed to a worker at once


def extract_file(
    plan: CorpusPlan, item: CorpusFile, registry: alias_rules.Registry
) -> FileExtraction:
    """Load one corpus file and extract its sentences and mentions.

    A pure function of the file, the sidecar, the registry and the knowledge files.
    """
    return extract_batch(plan.sidecar, list(read_file(item)), registry)


def extract_batch(
    sidecar: Sidecar | None, raws: list[RawDocument | Problem], registry: alias_rules.Registry
) -> FileExtraction:
    """Clean a batch of raw documents and extract their sentences and mentions.

    The unit of parallel work: a pure function of its arguments, so that any engine gives the
    same result.
    """
    result = build_documents(sidecar, raws)
    docs = pd.DataFrame(
        {"doc_id": [r["doc_id"] for r in result.rows], "text": [r["text"] for r in result.rows]}
    )
    paths = {r["doc_id"]: r["path"] for r in result.rows}
    sentences = segment_sentences(docs)
    mentions = resolve_mentions(sentences, registry)
    sentences["_path"] = sentences["doc_id"].map(paths)
    mentions["_path"] = mentions["doc_id"].map(paths)
    return FileExtraction(result, sentences, mentions)


def _from_cache(cache: FileCache, key: str) -> FileExtraction | None:
    stored = cache.load(key)
    if stored is None:
        return None
    tables, record = stored
    result = FileResult(
        rows=[_row(r) for r in tables["documents"].to_dict("records")],
        removed=tables["removed"].to_dict("records"),
        problems=[Problem(p, m, bool(s)) for p, m, s in record["problems"]],
        matched=list(record["matched"]),
        fingerprints={
            doc_id: Fingerprint(key, np.asarray(signature, dtype="uint64"))
            for doc_id, key, signature in zip(
                tables["fingerprints"]["doc_id"],
                tables["fingerprints"]["key"],
                tables["fingerprints"]["signature"],
                strict=True,
            )
        },
    )
    return FileExtraction(result, tables["sentences"], tables["mentions"])


def _to_cache(cache: FileCache, key: str, extraction: FileExtraction) -> None:
    result = extraction.result
    cache.store(
        key,
        {
            "documents": pd.DataFrame(result.rows),
            "removed": pd.DataFrame(result.removed, columns=[*REMOVED_COLUMNS, "_path"]),
            "sentences": extraction.sentences,
            "mentions": extraction.mentions,
            "fingerprints": pd.DataFrame(
                [(d, f.key, f.signature) for d, f in result.fingerprints.items()],
                columns=["doc_id", "key", "signature"],
            ),
        },
        {
            "problems": [[p.path, p.message, p.skipped] for p in result.problems],
            "matched": result.matched,
        },
    )


def _row(record: dict) -> dict:
    """A documents row read back from Parquet, without the fields other rows brought in.

    Fields another row had but this one lacked come back as NaN; dropping them again lets them
    be filled the same way as on a first run.
    """
    return {k: v for k, v in record.items() if not (isinstance(v, float) and v != v)}


def extract(
    corpus: str | Path | None = None,
    *,
    metadata_path: str | Path | None = None,
    alias_path: str | Path | None = None,
    progress: bool = False,
    cache_dir: str | Path | None = None,
    use_cache: bool | None = None,
    engine: Engine | None = None,
) -> Tables:
    """Load a corpus and extract every table.

    Sentences, mentions, entities, aliases, co-occurrence, partnerships and dyads.

    Args:
        corpus: Folder or file; empty means the bundled ``seeds/``.
        metadata_path: A metadata sidecar (default: ``metadata.csv`` in the corpus folder).
        alias_path: A researcher's alias registry CSV, read on top of the packaged one.
        progress: Show progress bars.
        cache_dir: Where per-file results are cached (default: see :mod:`corpus_tools.cache`).
        use_cache: Read and write the cache (off: extract everything, store nothing); by
            default on unless ``$CORPUS_TOOLS_NO_CACHE`` is set.
        engine: Where documents are extracted: local worker processes on every core (the
            default), this process only (``Engine(jobs=1)``), or a Dask cluster
            (:class:`corpus_tools.engine.Engine`). Every engine gives the same tables.

    Returns:
        The :class:`Tables`; ``tables.cache`` says how many files came from the cache.

    Example:
        >>> tables = extract("seeds")  # doctest: +SKIP
        >>> tables.entities.query("type == 'ORG'").head()  # doctest: +SKIP
    """
    if use_cache is None:
        use_cache = not cache_disabled()
    registry = alias_rules.load_registry(alias_path)
    plan = plan_corpus(corpus, metadata_path=metadata_path)
    cache = FileCache(Path(cache_dir) if cache_dir else None)
    context = text_hash(
        knowledge_hash(),
        sorted(registry.entries.items()), sorted(registry.sectors.items()),
        file_hash(plan.sidecar_path) if plan.sidecar_path else "",
    )
    keys = [_file_key(context, item, _content_key(item.path)) for item in plan.files]
    corpus_key = text_hash(context, *keys, *(f"{p.path}\x1f{p.message}" for p in plan.problems))
    stats = {"files": len(plan.files), "reused": 0, "extracted": 0, "key": corpus_key}
    if use_cache:
        stored = cache.load_tables(corpus_key)
        if stored is not None:
            return _tables_from_store(
                plan, stored, {**stats, "reused": len(plan.files), "tables": "reused"}
            )
    with engine or Engine(jobs=available_cores()) as running:
        extractions = _extract_files(
            plan, (context, keys), registry, cache if use_cache else None, stats, running,
            progress,
        )  # fmt: skip
        stats["extracted"] = len(plan.files) - stats["reused"]
        loaded = assemble_corpus(plan, [e.result for e in extractions])
        sentences, mentions = _kept(loaded, extractions)
        del extractions  # the per-file tables, now in ``sentences`` and ``mentions``
        mentions = merge_spellings(mentions)
        built = aggregate_batches(
            loaded.documents, sentences, mentions, running, registry=registry, progress=progress
        )
    tables = Tables(
        corpus=loaded,
        sentences=sentences,
        mentions=mentions[MENTION_COLUMNS],
        entities=built.entities,
        aliases=built.aliases,
        cooccurrence=cooc.score(built.pairs),
        partnerships=built.partnerships,
        dyads=partner_rules.dyads(built.partnerships, loaded.documents),
        cache={**stats, "tables": "built"},
    )
    if use_cache and not stats.get("changed"):  # else the key names content not read
        cache.store_tables(corpus_key, _tables_to_store(tables))
    if cache.unwritable:
        tables.cache["unwritable"] = cache.unwritable
    return tables


_STORED = (
    "documents", "sentences", "mentions", "entities", "aliases", "cooccurrence", "partnerships",
    "dyads", "skipped", "warnings", "removed",
)  # fmt: skip


def _tables_to_store(tables: Tables) -> dict[str, pd.DataFrame]:
    corpus = tables.corpus
    sources = {
        "documents": corpus.documents, "skipped": corpus.skipped, "warnings": corpus.warnings,
        "removed": corpus.removed,
    }  # fmt: skip
    return {name: sources[name] if name in sources else getattr(tables, name) for name in _STORED}


def _tables_from_store(plan: CorpusPlan, stored: dict[str, pd.DataFrame], stats: dict) -> Tables:
    corpus = Corpus(
        root=plan.root,
        documents=stored["documents"],
        skipped=stored["skipped"],
        warnings=stored["warnings"],
        removed=stored["removed"],
        metadata_path=plan.sidecar_path,
    )
    rest = {
        name: stored[name]
        for name in _STORED
        if name not in {"documents", "skipped", "warnings", "removed"}
    }
    return Tables(corpus=corpus, cache=stats, **rest)


def _extract_files(
    plan: CorpusPlan,
    context_keys: tuple[str, list[str]],
    registry: alias_rules.Registry,
    cache: FileCache | None,
    stats: dict,
    engine: Engine,
    progress: bool,
) -> list[FileExtraction]:
    """Extract every file not in the cache, in batches of documents spread over the engine.

    A file's results are stored under the hash of the bytes actually read: a file that
    changed between the cache lookup and its reading is said so, and never stored under its
    earlier content's key.
    """
    context, keys = context_keys
    keys = list(keys)
    found: dict[int, FileExtraction] = {}
    batches: list[tuple[int, list[RawDocument | Problem]]] = []
    changed: list[int] = []
    for index, (item, key) in enumerate(zip(plan.files, keys, strict=True)):
        stored = _from_cache(cache, key) if cache is not None else None
        if stored is not None:
            found[index] = stored
            stats["reused"] += 1
            continue
        digest = hashlib.sha256()
        raws = list(read_file(item, digest))
        read_key = _file_key(context, item, digest.hexdigest())
        if read_key != key and not _content_key(item.path).startswith("unreadable"):
            changed.append(index)
            keys[index] = read_key
        for start in range(0, max(len(raws), 1), BATCH_DOCUMENTS):
            batches.append((index, raws[start : start + BATCH_DOCUMENTS]))
    results = engine.map(
        extract_batch,
        [(plan.sidecar, raws, registry) for _, raws in batches],
        progress=progress,
        desc=f"extracting {plan.root.name}",
    )
    parts: dict[int, list[FileExtraction]] = {}
    for (index, _), part in zip(batches, results, strict=True):
        parts.setdefault(index, []).append(part)
    for index, pieces in parts.items():
        found[index] = _concat(pieces)
        if cache is not None:
            _to_cache(cache, keys[index], found[index])
    for index in changed:  # after storing: a later run reading the same bytes is not warned
        found[index].result.problems.append(Problem(plan.files[index].shown, _CHANGED, False))
    stats["changed"] = len(changed)
    stats["extracted"] = len(plan.files) - stats["reused"]
    return [found[i] for i in range(len(plan.files))]


def _concat(pieces: list[FileExtraction]) -> FileExtraction:
    result = FileResult(
        rows=[r for p in pieces for r in p.result.rows],
        removed=[r for p in pieces for r in p.result.removed],
        problems=[q for p in pieces for q in p.result.problems],
        matched=[m for p in pieces for m in p.result.matched],
        fingerprints={d: f for p in pieces for d, f in p.result.fingerprints.items()},
    )
    return FileExtraction(
        result,
        pd.concat([p.sentences for p in pieces], ignore_index=True),
        pd.concat([p.mentions for p in pieces], ignore_index=True),
    )


_CHANGED = "changed while this run read it: its tables hold what was read; run again"


def _file_key(context: str, item: CorpusFile, content: str) -> str:
    """The cache key of one corpus file's extraction, given its content's hash."""
    return text_hash(context, item.shown, item.doc_id, item.kind, content)


def _content_key(path: Path) -> str:
    """The file's hash, or what kept it from being read (the loader then reports the file)."""
    try:
        return file_hash(path)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"


def _kept(loaded: Corpus, extractions: list[FileExtraction]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences and mentions of the documents the corpus kept, in document order."""
    order = {doc_id: i for i, doc_id in enumerate(loaded.documents["doc_id"])}
    kept = set(zip(loaded.documents["doc_id"], loaded.documents["path"], strict=True))
    tables = []
    for name, columns in (
        ("sentences", SENTENCE_COLUMNS),
        ("mentions", [*MENTION_COLUMNS, "sector"]),
    ):
        frames = [getattr(e, name) for e in extractions if len(getattr(e, name))]
        table = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(columns=[*columns, "_path"])
        )
        mask = [(d, p) in kept for d, p in zip(table["doc_id"], table["_path"], strict=True)]
        table = table[pd.Series(mask, index=table.index, dtype=bool)].copy()
        table["_order"] = table["doc_id"].map(order)
        sort = ["_order", "sent_id"] if name == "sentences" else ["_order", "start", "end"]
        table = table.sort_values(sort, kind="stable").reset_index(drop=True)[columns]
        for column in ("sent_id", "para_id", "start", "end"):
            if column in table:
                table[column] = table[column].astype("int64")
        tables.append(table)
    return tables[0], tables[1]


def resolve_mentions(
    sentences: pd.DataFrame,
    registry: alias_rules.Registry,
    *,
    progress: bool = False,
    tagger: Tagger | None = None,
) -> pd.DataFrame:
    """Find and resolve the mentions of every document, given its sentences.

    ``tagger``: a name tagger other than the packaged one (cross-validation uses this).

    Spellings are not merged across the corpus here: see :func:`merge_spellings`.

    Returns:
        The mentions table plus a ``sector`` column (used to build the entities table).
    """
    documents = rows_by_document(sentences, ["sent_id", "start", "text"])
    rows = []
    for doc_id, doc in tqdm(
        documents.items(), desc="entities", unit="doc", disable=not progress, delay=0.5
    ):
        doc_text = " ".join(text for _, _, text in doc)
        per_sentence = read_document([text for _, _, text in doc], tagger)
        found: list[Mention] = []
        sent_of: dict[int, int] = {}
        for (sent_id, start, _), mentions in zip(doc, per_sentence, strict=True):
            for m in mentions:
                shifted = m.shifted(start)
                found.append(shifted)
                sent_of[shifted.start] = sent_id
        for mention, entity, kind, sector in alias_rules.resolve_document(
            found, registry, doc_text
        ):
            rows.append(
                (doc_id, sent_of[mention.start], mention.start, mention.end, mention.surface,
                 entity, kind, sector)
            )  # fmt: skip
    return pd.DataFrame(rows, columns=[*MENTION_COLUMNS, "sector"])


def merge_spellings(mentions: pd.DataFrame) -> pd.DataFrame:
    """Merge case variants of a name across the corpus into its most used spelling."""
    table = mentions.copy()
    spelling = alias_rules.canonical_spellings(table)
    pairs = list(zip(table["type"].tolist(), table["entity"].tolist(), strict=True))
    merged = {pair: spelling[(pair[0], alias_rules._fold(pair[1]))] for pair in set(pairs)}
    table["entity"] = [merged[pair] for pair in pairs]
    return table.reset_index(drop=True)


def extract_mentions(
    sentences: pd.DataFrame, registry: alias_rules.Registry, *, progress: bool = False
) -> pd.DataFrame:
    """Find, resolve and merge the mentions of the documents of a sentences table."""
    return merge_spellings(resolve_mentions(sentences, registry, progress=progress))


DOCUMENTS_PER_PART = 10_000  # rows of these many documents make one Parquet part
ROWS_PER_PART = 1_000_000  # parts of the corpus-wide tables (no ``doc_id``)


def write_tables(tables: Tables, out_dir: str | Path) -> list[Path]:
    """Write every table as CSV and as a partitioned Parquet dataset into ``out_dir``.

    ``NAME.csv`` holds the whole table; ``NAME.parquet/`` is a folder of parts
    (``part-00000.parquet``, …): the tables with a ``doc_id`` are cut by blocks of
    :data:`DOCUMENTS_PER_PART` documents in corpus order (part ``k`` of ``sentences``,
    ``mentions``, ``entities`` and ``partnerships`` covers the same documents), the others by
    :data:`ROWS_PER_PART` rows. Every file is written atomically, under the folder's lock
    (:func:`corpus_tools.outputs.output_lock`: a second writer is refused); returns the paths.
    """
    out = Path(out_dir)
    with output_lock(out):
        return _write_named(tables, out)


def _write_named(tables: Tables, out: Path) -> list[Path]:
    named = {
        "documents": tables.documents.drop(columns=["text"]),
        "sentences": tables.sentences,
        "mentions": tables.mentions,
        "entities": tables.entities,
        "aliases": tables.aliases,
        "cooccurrence": tables.cooccurrence,
        "partnerships": tables.partnerships,
        "dyads": tables.dyads,
        "skipped": tables.skipped,
    }
    block = {doc_id: i // DOCUMENTS_PER_PART for i, doc_id in enumerate(tables.documents["doc_id"])}
    written = []
    for name, table in named.items():
        written.append(write_csv(table, out / f"{name}.csv"))
        written.extend(write_parquet_parts(_parts(table, block), out / f"{name}.parquet"))
    return written


def _parts(table: pd.DataFrame, block: dict[str, int]) -> list[pd.DataFrame]:
    """A table cut into its Parquet parts (at least one, so an empty table keeps its columns)."""
    if "doc_id" in table.columns and len(table):
        keys = table["doc_id"].map(block).fillna(-1).to_numpy()
        bounds = [0, *(np.flatnonzero(keys[1:] != keys[:-1]) + 1).tolist(), len(keys)]
    else:
        bounds = [*range(0, len(table), ROWS_PER_PART), len(table)]
    parts = [table.iloc[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    return parts or [table.iloc[0:0]]
