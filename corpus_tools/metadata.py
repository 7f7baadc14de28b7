"""Document metadata: the sidecar file, and titles and publication dates found in the text.

A corpus folder may hold ``metadata.csv`` or ``metadata.jsonl`` with one row per document
(``doc_id`` = file stem, or ``id``). Where it gives no title or date, they are detected from the
text and the table records where each came from (``title_source``, ``date_source``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus_tools import dates
from corpus_tools.clean import Removal

SIDECAR_NAMES = ("metadata.csv", "metadata.jsonl")
ID_FIELDS = ("doc_id", "id")
FIELDS = ("title", "date", "source", "url")
_TITLE_MAX_WORDS = 30
_TITLE_MAX_CHARS = 250
_FALLBACK_TITLE_WORDS = 12
_HEADER_LINES = 5
_HEADER_MAX_WORDS = 15


@dataclass(frozen=True)
class Sidecar:
    """Rows of a metadata sidecar keyed by doc_id, and the problems met reading it."""

    path: Path
    rows: dict[str, dict[str, str]]
    problems: tuple[tuple[str, str], ...]  # (where, what)


@dataclass(frozen=True)
class DetectedDate:
    """A publication date, its precision, where it came from and the words it came from."""

    iso: str = ""
    precision: str = ""
    source: str = ""
    text: str = ""


def read_sidecar(path: Path) -> Sidecar:
    """Read a metadata sidecar (CSV with a header, or JSON lines).

    Rows without an id, repeated ids and lines that are not JSON are reported in
    ``problems`` (the first row of a repeated id wins).

    Raises:
        ValueError: The file cannot be read, or has no ``doc_id``/``id`` column.
    """
    try:
        records = list(_sidecar_records(path))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{path}: cannot read metadata ({exc})") from exc
    rows: dict[str, dict[str, str]] = {}
    problems: list[tuple[str, str]] = []
    for where, record in records:
        if isinstance(record, str):
            problems.append((where, record))
            continue
        doc_id = next(
            (str(record[f]).strip() for f in ID_FIELDS if str(record.get(f) or "").strip()), ""
        )
        if not doc_id:
            problems.append((where, "no doc_id/id value; row ignored"))
        elif doc_id in rows:
            problems.append((where, f"doc_id {doc_id!r} repeated; first row kept"))
        else:
            rows[doc_id] = {k: "" if v is None else str(v) for k, v in record.items()}
    if records and not rows and all(not isinstance(r, str) for _, r in records):
        columns = sorted(records[0][1]) if records else []
        raise ValueError(f"{path}: metadata needs a doc_id or id column (found {columns})")
    return Sidecar(path=path, rows=rows, problems=tuple(problems))


def _sidecar_records(path: Path):
    if path.suffix.lower() == ".jsonl":
        with open(path, encoding="utf-8-sig") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield f"line {line_no}", f"not JSON ({exc.msg}); line ignored"
                    continue
                if not isinstance(record, dict):
                    yield f"line {line_no}", "not a JSON object; line ignored"
                    continue
                yield f"line {line_no}", record
        return
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not set(ID_FIELDS) & {f.strip() for f in reader.fieldnames}:
            raise ValueError(f"no doc_id or id column (found {reader.fieldnames})")
        for row_no, row in enumerate(reader, start=2):
            yield f"row {row_no}", {(k or "").strip(): v for k, v in row.items()}


def find_sidecar(folder: Path) -> Path | None:
    """Return the metadata sidecar in ``folder`` if there is one."""
    for name in SIDECAR_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def detect_title(text: str) -> tuple[str, str]:
    """Find a document's title in its cleaned text.

    The first line is the title when it reads as a headline (at most 30 words, no final
    full stop). Otherwise the first sentence's opening words stand in, marked as such.

    Returns:
        ``(title, source)`` with source ``"text_heading"``, ``"first_sentence"`` or ``""``.
    """
    first_line = text.split("\n", 1)[0].strip()
    if not first_line:
        return "", ""
    words = first_line.split()
    if (
        len(words) <= _TITLE_MAX_WORDS
        and len(first_line) <= _TITLE_MAX_CHARS
        and not re.search(r"(?<![A-Z])\.[\"'”’)]*$", first_line)
    ):
        return first_line, "text_heading"
    sentence = re.split(r"(?<=[.!?])\s", first_line, maxsplit=1)[0]
    words = sentence.split()
    title = " ".join(words[:_FALLBACK_TITLE_WORDS]).rstrip(",;:")
    return (title + " …" if len(words) > _FALLBACK_TITLE_WORDS else title), "first_sentence"


def detect_date(text: str, removed: Sequence[Removal], title: str) -> DetectedDate:
    """Find a document's publication date in its text.

    In order: a removed date line ("Updated: 2021-07-14"), a full date on one of the first
    short lines of the text (a dateline), a year in the title ("2023 … Meeting").

    Returns:
        The date, or an empty :class:`DetectedDate` when the text does not state one.
    """
    for removal in removed:
        if removal.rule == "date_line":
            found = dates.find_dates(removal.text)
            if found:
                return DetectedDate(
                    found[0].iso, found[0].precision, "text_date_line", removal.text
                )
    for line in text.split("\n")[:_HEADER_LINES]:
        if len(line.split()) > _HEADER_MAX_WORDS:
            continue
        found = [d for d in dates.find_dates(line) if d.precision == "day"]
        if found:
            return DetectedDate(found[0].iso, "day", "text_header", line.strip())
    years = dates.find_years(title)
    if years:
        return DetectedDate(years[0].iso, "year", "title_year", title)
    return DetectedDate()
