"""Load a corpus: a folder of text/Markdown/HTML files or files of records, into tables.

Tables of a loaded :class:`Corpus` (pandas DataFrames; documents in ``doc_id`` order, numbers
inside ids compared as numbers):

``documents`` — one row per document
    ``doc_id`` (file stem, or the record's ``doc_id``/``id``; the path relative to the corpus
    when two files share a stem), ``title``, ``title_source``, ``date`` (ISO: ``YYYY-MM-DD``,
    ``YYYY-MM`` or ``YYYY``), ``date_precision`` (day | month | year), ``date_source``,
    ``date_text`` (the words the date was read from), ``source``, ``url``, ``path`` (relative
    to the corpus; ``file:line`` for records), ``format`` (txt | md | html | record |
    record-html), ``encoding``, ``n_chars``, ``n_words``, ``sha1`` (of the cleaned text),
    ``duplicate_of``, ``duplicate_kind`` (exact | near), ``duplicate_similarity``, ``text``
    (cleaned), then any other metadata fields of the records or sidecar, in name order.
    Title and date sources: ``metadata`` (the sidecar file), ``record`` (the record's own
    fields), ``front_matter`` (Markdown), ``html_title`` / ``html_metadata`` (the page header),
    ``text_heading`` / ``first_sentence`` (a title found in the text), ``text_date_line`` /
    ``text_header`` / ``title_year`` (a date found in the text).
``skipped`` — files and records not loaded: ``path``, ``reason``.
``warnings`` — loaded with a caveat (no metadata row, a bad date in metadata …): ``path``,
    ``message``.
``removed`` — boilerplate taken out of each document: ``doc_id``, ``rule``, ``first_line``,
    ``last_line`` (1-based), ``start``, ``end`` (offsets into the text as read, line breaks
    normalized), ``text``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from corpus_tools import clean, duplicates, language, metadata
from corpus_tools.paths import OUTPUT_LOCK_NAME, resolve_corpus
from corpus_tools.readers import (
    RECORD_SUFFIXES,
    TEXT_SUFFIXES,
    Digest,
    Problem,
    RawDocument,
    read_record_file,
    read_text_file,
    suffix_of,
)
from corpus_tools.validation import check_number

DOCUMENT_COLUMNS = [
    "doc_id", "title", "title_source", "date", "date_precision", "date_source", "date_text",
    "source", "url", "path", "format", "encoding", "n_chars", "n_words", "sha1",
    "duplicate_of", "duplicate_kind", "duplicate_similarity", "text",
]  # fmt: skip
SKIPPED_COLUMNS = ["path", "reason"]
WARNING_COLUMNS = ["path", "message"]
REMOVED_COLUMNS = ["doc_id", "rule", "first_line", "last_line", "start", "end", "text"]
_DOC_FILE_NAMES = re.compile(r"(readme|license|licence|copying|changelog|notice)(\..*)?$", re.I)
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_NO_METADATA_ROW = "no row in the metadata file; title and date come from the text"


@dataclass
class Corpus:
    """A loaded corpus: its documents and an account of everything not loaded as-is."""

    root: Path
    documents: pd.DataFrame
    skipped: pd.DataFrame
    warnings: pd.DataFrame
    removed: pd.DataFrame
    metadata_path: Path | None = None

    def summary(self) -> dict[str, Any]:
        """Counts a researcher checks first: documents, words, dates, sources, duplicates."""
        docs = self.documents
        dated = docs.loc[docs["date"] != "", "date"]
        return {
            "corpus": str(self.root),
            "documents": len(docs),
            "words": int(docs["n_words"].sum()) if len(docs) else 0,
            "dated_documents": len(dated),
            "first_date": dated.min() if len(dated) else "",
            "last_date": dated.max() if len(dated) else "",
            "sources": docs.loc[docs["source"] != "", "source"].value_counts().to_dict(),
            "exact_duplicates": int((docs["duplicate_kind"] == "exact").sum()),
            "near_duplicates": int((docs["duplicate_kind"] == "near").sum()),
            "skipped": len(self.skipped),
            "warnings": len(self.warnings),
            "boilerplate_removed": len(self.removed),
        }


@dataclass(frozen=True)
class CorpusFile:
    """One file of a corpus, with the doc_id its document gets (text files) or "" (records)."""

    path: Path
    shown: str  # the path as reported: relative to the corpus folder
    doc_id: str
    kind: str  # "text" or "records"


@dataclass
class CorpusPlan:
    """What a corpus holds before anything is read: its files, sidecar, and what was passed over."""

    root: Path
    files: list[CorpusFile]
    sidecar_path: Path | None
    sidecar: metadata.Sidecar | None
    problems: list[Problem]


@dataclass
class FileResult:
    """What one corpus file gave: document rows (with text), removals and problems."""

    rows: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    problems: list[Problem]
    matched: list[str]  # sidecar keys its documents used
    fingerprints: dict[str, duplicates.Fingerprint] = field(default_factory=dict)  # by doc_id


def plan_corpus(
    corpus: str | Path | None = None, *, metadata_path: str | Path | None = None
) -> CorpusPlan:
    """Find a corpus's files and its metadata sidecar, and give each text file its doc_id.

    A metadata file that cannot be used (no id column, unreadable) is reported in the
    warnings and the documents load without it.

    Raises:
        FileNotFoundError: The corpus path or the given metadata file does not exist.
    """
    root = resolve_corpus(corpus)
    if not root.exists():
        raise FileNotFoundError(f"corpus path not found: {root}")
    if metadata_path:
        sidecar_path: Path | None = Path(metadata_path).expanduser()
        if not sidecar_path.is_file():
            raise FileNotFoundError(f"metadata file not found: {sidecar_path}")
    else:
        sidecar_path = metadata.find_sidecar(root) if root.is_dir() else None
    sidecar, unusable = None, None
    if sidecar_path:
        try:
            sidecar = metadata.read_sidecar(sidecar_path)
        except ValueError as exc:  # malformed metadata: say so, load the documents anyway
            unusable = Problem(sidecar_path.name, f"metadata not used: {exc}", skipped=False)
    text_files, record_files, problems = discover(root, sidecar_path)
    if unusable is not None:
        problems.append(unusable)
    if not text_files and not record_files:
        problems.append(Problem(root.name, f"no corpus files found; {_supported()}", skipped=False))
    base = root if root.is_dir() else root.parent
    stems = Counter(path.name[: -len(suffix_of(path))] for path in text_files)
    files = []
    for path in text_files:
        shown = _shown(path, base)
        stem = path.name[: -len(suffix_of(path))]
        files.append(CorpusFile(path, shown, stem if stems[stem] == 1 else shown, "text"))
    files.extend(CorpusFile(path, _shown(path, base), "", "records") for path in record_files)
    return CorpusPlan(root, files, sidecar_path, sidecar, problems)


def load_file(plan: CorpusPlan, item: CorpusFile) -> FileResult:
    """Read, decode and clean the documents of one corpus file.

    A pure function of the file, the sidecar and the knowledge files, so that it can be
    cached and run in parallel.
    """
    return build_documents(plan.sidecar, list(read_file(item)))


def read_file(item: CorpusFile, digest: Digest | None = None) -> Iterator[RawDocument | Problem]:
    """The raw documents of one corpus file (a repeated doc_id inside it is a problem).

    ``digest`` (a ``hashlib`` object) is fed the bytes that were read.
    """
    if item.kind == "text":
        yield read_text_file(item.path, item.doc_id, item.shown, digest)
        return
    seen: set[str] = set()
    for raw in read_record_file(item.path, item.shown, digest):
        if isinstance(raw, RawDocument):
            if raw.doc_id in seen:
                yield Problem(raw.path, f"duplicate doc_id {raw.doc_id!r} in {item.shown}")
                continue
            seen.add(raw.doc_id)
        yield raw


def build_documents(
    sidecar: metadata.Sidecar | None, raws: list[RawDocument | Problem]
) -> FileResult:
    """Clean raw documents and fill their rows (problems passed along in order)."""
    result = FileResult([], [], [], [])
    for raw in raws:
        if isinstance(raw, Problem):
            result.problems.append(raw)
            continue
        side_row = _sidecar_row(sidecar, raw)
        row, removals, notes = build_document(raw, side_row)
        result.problems.extend(notes)
        if row is None:
            continue
        if side_row is not None:
            result.matched.append(side_row["__key__"])
        elif sidecar is not None and not raw.meta:
            result.problems.append(Problem(raw.path, _NO_METADATA_ROW, skipped=False))
        result.rows.append(row)
        result.fingerprints[raw.doc_id] = duplicates.fingerprint(row["text"])
        result.removed.extend({"doc_id": raw.doc_id, "_path": raw.path, **r} for r in removals)
    return result


def assemble_corpus(
    plan: CorpusPlan,
    results: list[FileResult],
    *,
    duplicate_threshold: float = duplicates.DEFAULT_THRESHOLD,
) -> Corpus:
    """Put the files' results together into a :class:`Corpus`.

    One document per doc_id (the first wins), duplicates flagged, sidecar rows that matched
    nothing reported.
    """
    problems = list(plan.problems)
    rows: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    first: dict[str, str] = {}
    matched: set[str] = set()
    prints: dict[str, duplicates.Fingerprint | None] = {}
    for result in results:
        problems.extend(result.problems)
        matched.update(result.matched)
        kept_paths = set()
        for row in result.rows:
            if row["doc_id"] in first:
                problems.append(
                    Problem(
                        row["path"],
                        f"duplicate doc_id {row['doc_id']!r} (first: {first[row['doc_id']]})",
                    )
                )
                continue
            first[row["doc_id"]] = row["path"]
            prints[row["doc_id"]] = result.fingerprints.get(row["doc_id"])
            kept_paths.add(row["path"])
            rows.append(row)
        removed.extend(r for r in result.removed if r["_path"] in kept_paths)
    sidecar = plan.sidecar
    if sidecar is not None:
        problems.extend(
            Problem(f"{sidecar.path.name} {where}", what, skipped=False)
            for where, what in sidecar.problems
        )
        for key in sorted(set(sidecar.rows) - matched):
            problems.append(
                Problem(
                    sidecar.path.name,
                    f"metadata row for {key!r} matches no document",
                    skipped=False,
                )
            )
    removed_table = pd.DataFrame(removed, columns=[*REMOVED_COLUMNS, "_path"])[REMOVED_COLUMNS]
    return Corpus(
        root=plan.root,
        documents=_documents_table(rows, duplicate_threshold, prints),
        skipped=_problem_table(problems, skipped=True),
        warnings=_problem_table(problems, skipped=False),
        removed=removed_table.sort_values(["doc_id", "start", "rule"], kind="stable").reset_index(
            drop=True
        ),
        metadata_path=plan.sidecar_path,
    )


def load_corpus(
    corpus: str | Path | None = None,
    *,
    metadata_path: str | Path | None = None,
    duplicate_threshold: float = duplicates.DEFAULT_THRESHOLD,
    progress: bool = False,
) -> Corpus:
    """Load, decode, clean and describe every document of a corpus.

    Args:
        corpus: A folder (searched recursively for .txt/.md/.html/.htm files and
            .jsonl/.csv record files, optionally gzipped) or one such file. Empty or
            ``None`` means the bundled ``seeds/`` corpus.
        metadata_path: A metadata sidecar (CSV or JSONL with ``doc_id``); by default
            ``metadata.csv``/``metadata.jsonl`` in the corpus folder, if present.
        duplicate_threshold: Similarity above which documents are near-duplicates (1: exact
            copies only).
        progress: Show a progress bar on standard error.

    Returns:
        The :class:`Corpus`; bad files and records are listed in ``skipped``.

    Raises:
        FileNotFoundError: The corpus path or the given metadata file does not exist.

    Example:
        >>> corpus = load_corpus("seeds")
        >>> corpus.documents[["doc_id", "title", "date"]]  # doctest: +SKIP
    """
    check_number("duplicate_threshold", duplicate_threshold, minimum=0.01, maximum=1.0)
    plan = plan_corpus(corpus, metadata_path=metadata_path)
    files = tqdm(
        plan.files, desc=f"loading {plan.root.name}", unit="file", disable=not progress, delay=0.5
    )
    results = [load_file(plan, item) for item in files]
    return assemble_corpus(plan, results, duplicate_threshold=duplicate_threshold)


def discover(
    root: Path, sidecar_path: Path | None = None
) -> tuple[list[Path], list[Path], list[Problem]]:
    """List the corpus files under ``root`` in a stable order, and what was passed over and why.

    Hidden folders and links to folders are not entered (a link loop cannot trap the walk);
    documentation files (README, LICENSE …) and unsupported types are reported, not read.
    """
    if root.is_file():
        suffix = suffix_of(root)
        if suffix in RECORD_SUFFIXES:
            return [], [root], []
        if suffix in TEXT_SUFFIXES:
            return [root], [], []
        return [], [], [Problem(root.name, f"unsupported file type {suffix!r}; {_supported()}")]
    text_files: list[Path] = []
    record_files: list[Path] = []
    problems: list[Problem] = []

    def walk_error(exc: OSError) -> None:
        problems.append(
            Problem(_shown(Path(exc.filename or root), root), f"unreadable folder: {exc.strerror}")
        )

    for folder, dirs, files in os.walk(root, onerror=walk_error):
        here = Path(folder)
        for name in sorted(dirs):
            path = here / name
            if not _writable_name(name):
                problems.append(Problem(_escaped(_shown(path, root)), _BAD_NAME + " not searched"))
            elif name.startswith("."):
                problems.append(Problem(_shown(path, root), "hidden folder, not searched"))
            elif (path / OUTPUT_LOCK_NAME).exists():
                problems.append(Problem(_shown(path, root), "an output folder of corpus-tools"
                                        f" (it holds {OUTPUT_LOCK_NAME}), not searched"))
            elif path.is_symlink():
                problems.append(Problem(_shown(path, root), "link to a folder, not followed"))
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and not (here / d).is_symlink()
            and _writable_name(d)
            and not (here / d / OUTPUT_LOCK_NAME).exists()
        )
        for name in sorted(files):
            path = here / name
            suffix = suffix_of(path)
            if sidecar_path is not None and path == sidecar_path:
                continue
            if not _writable_name(name):
                problems.append(Problem(_escaped(_shown(path, root)), _BAD_NAME + " not read"))
                continue
            if here == root and name.lower() in metadata.SIDECAR_NAMES:
                continue
            if name.startswith("."):
                problems.append(Problem(_shown(path, root), "hidden file, not read"))
            elif path.exists() and not path.is_file():
                problems.append(
                    Problem(
                        _shown(path, root),
                        "not a regular file (a pipe, socket or device), not read",
                    )
                )
            elif _DOC_FILE_NAMES.match(name):
                problems.append(
                    Problem(
                        _shown(path, root), "corpus documentation (README/LICENSE), not an article"
                    )
                )
            elif suffix in TEXT_SUFFIXES:
                text_files.append(path)
            elif suffix in RECORD_SUFFIXES:
                record_files.append(path)
            else:
                problems.append(
                    Problem(
                        _shown(path, root),
                        f"unsupported file type {suffix or 'without suffix'!r}; {_supported()}",
                    )
                )
    return text_files, record_files, problems


_BAD_NAME = "name is not valid UTF-8 (shown with \\x escapes); rename it to use it;"


def _writable_name(name: str) -> bool:
    """Whether a file name (decoded by the OS with surrogate escapes) is real text."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _escaped(name: str) -> str:
    """A name with its undecodable bytes as backslash escapes, writable to any table."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _supported() -> str:
    return "a corpus holds " + ", ".join(TEXT_SUFFIXES + RECORD_SUFFIXES) + " files"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _sidecar_row(sidecar: metadata.Sidecar | None, raw: RawDocument) -> dict[str, str] | None:
    if sidecar is None:
        return None
    for key in (raw.doc_id, raw.path, raw.path.rsplit(".", 1)[0]):
        if key in sidecar.rows:
            return {**sidecar.rows[key], "__key__": key}
    return None


def build_document(
    raw: RawDocument, side_row: dict[str, str] | None = None
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[Problem]]:
    """Clean one raw document and fill its metadata row.

    Metadata (record fields, then the sidecar row) wins over what the text says; a metadata
    date that is not a date is reported and replaced by the one found in the text.

    Returns:
        The documents-table row (``None`` if the document is skipped), its removals, and
        problems to report.
    """
    notes: list[Problem] = []
    if not raw.text.strip():
        return None, [], [Problem(raw.path, "empty or whitespace-only text")]
    cleaned = clean.clean_text(raw.text)
    if not cleaned.text.strip():
        return None, [], [Problem(raw.path, "no article text left after removing boilerplate")]
    reason = language.non_english_reason(cleaned.text)
    if reason:
        return None, [], [Problem(raw.path, reason)]

    fields, origin = _metadata_fields(raw, side_row)
    title = fields.get("title", "").strip()
    title_source = origin.get("title", "")
    if not title:
        title, title_source = metadata.detect_title(cleaned.text)

    date = metadata.DetectedDate()
    given_date = fields.get("date", "")
    if given_date:
        parsed = metadata.dates.parse_date_value(given_date)
        if parsed:
            date = metadata.DetectedDate(parsed[0], parsed[1], origin["date"], str(given_date))
        else:
            where = _ORIGIN_WORDS[origin["date"]]
            notes.append(
                Problem(
                    raw.path,
                    f"date {given_date!r} in the {where} is not a date; using the text's",
                    skipped=False,
                )
            )
    if not date.iso:
        date = metadata.detect_date(cleaned.text, cleaned.removed, title)

    from_metadata = fields
    text = cleaned.text
    row: dict[str, Any] = {
        key: value for key, value in from_metadata.items() if key not in ("title", "date")
    }
    row.update(
        doc_id=raw.doc_id,
        title=title,
        title_source=title_source if title else "",
        date=date.iso,
        date_precision=date.precision,
        date_source=date.source,
        date_text=date.text,
        source=from_metadata.get("source", ""),
        url=from_metadata.get("url", ""),
        path=raw.path,
        format=raw.fmt,
        encoding=raw.encoding,
        n_chars=len(text),
        n_words=len(_WORD.findall(text)),
        sha1=hashlib.sha1(text.encode("utf-8")).hexdigest(),
        text=text,
    )
    removals = [
        {
            "rule": r.rule,
            "first_line": r.first_line,
            "last_line": r.last_line,
            "start": r.start,
            "end": r.end,
            "text": r.text,
        }
        for r in cleaned.removed
    ]
    return row, removals, notes


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # NUL, escape codes, line breaks in a field
_OWN_ORIGIN = {"record": "record", "record-html": "record", "md": "front_matter", "html": "html"}
_ORIGIN_WORDS = {
    "metadata": "metadata file",
    "record": "record",
    "front_matter": "front matter",
    "html_title": "page header",
    "html_metadata": "page header",
}


def _metadata_fields(
    raw: RawDocument, side_row: dict[str, str] | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Merge a document's own metadata with its sidecar row (the sidecar wins).

    Returns:
        The fields, and for ``title`` and ``date`` where each came from: ``metadata`` (the
        sidecar), ``record``, ``front_matter``, ``html_title`` or ``html_metadata``.
    """
    own = _OWN_ORIGIN.get(raw.fmt, "record")
    fields: dict[str, str] = {}
    origin: dict[str, str] = {}
    for key, value in raw.meta.items():
        if value not in (None, ""):
            fields[key] = _CONTROL.sub(" ", value) if isinstance(value, str) else value
            origin[key] = (
                {"title": "html_title", "date": "html_metadata"}.get(key, own)
                if own == "html"
                else own
            )
    for key, value in (side_row or {}).items():
        if key != "__key__" and value not in (None, ""):
            fields[key] = _CONTROL.sub(" ", value) if isinstance(value, str) else value
            origin[key] = "metadata"
    for key in metadata.ID_FIELDS:
        fields.pop(key, None)
    return fields, origin


def _documents_table(
    rows: list[dict[str, Any]],
    threshold: float,
    prints: dict[str, duplicates.Fingerprint | None],
) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    extra = sorted(c for c in table.columns if c not in DOCUMENT_COLUMNS)
    for column in DOCUMENT_COLUMNS:
        if column not in table.columns:
            table[column] = pd.Series(dtype="object")
    table = table.sort_values("doc_id", key=lambda ids: ids.map(_natural_key), kind="stable")
    table = table.reset_index(drop=True)
    dups = duplicates.find_duplicates(
        table["doc_id"].tolist(),
        table["text"].tolist(),
        table["date"].fillna("").tolist(),
        threshold=threshold,
        fingerprints=[prints.get(doc_id) for doc_id in table["doc_id"]],
    )
    for column in ("duplicate_of", "duplicate_kind", "duplicate_similarity"):
        table[column] = dups[column].to_numpy()
    table[extra] = table[extra].fillna("")
    text_columns = [
        c for c in DOCUMENT_COLUMNS if c not in ("n_chars", "n_words", "duplicate_similarity")
    ]
    table[text_columns] = table[text_columns].fillna("")
    table["n_chars"] = table["n_chars"].fillna(0).astype("int64")
    table["n_words"] = table["n_words"].fillna(0).astype("int64")
    table["duplicate_similarity"] = table["duplicate_similarity"].astype("float64")
    return table[DOCUMENT_COLUMNS + extra]


def rows_by_document(table: pd.DataFrame, columns: list[str]) -> dict[str, list[tuple]]:
    """The rows of a table as plain tuples of ``columns``, grouped by ``doc_id`` in table order."""
    grouped: dict[str, list[tuple]] = {}
    values_of = (table[c].tolist() for c in ["doc_id", *columns])  # plain values: fast to iterate
    for doc_id, *values in zip(*values_of, strict=True):
        grouped.setdefault(doc_id, []).append(tuple(values))
    return grouped


def _natural_key(doc_id: str) -> str:
    """Sort key that compares digit runs as numbers: "2" before "10"."""
    return _DIGITS.sub(lambda m: m.group(0).zfill(20), doc_id)


def _problem_table(problems: list[Problem], *, skipped: bool) -> pd.DataFrame:
    columns = SKIPPED_COLUMNS if skipped else WARNING_COLUMNS
    rows = [(p.path, p.message) for p in problems if p.skipped == skipped]
    return pd.DataFrame(rows, columns=columns)  # reading order, which is stable
