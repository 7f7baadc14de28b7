"""Read corpus files into raw documents: text, Markdown and HTML files, JSONL and CSV records.

Each reader yields :class:`RawDocument` for what it could read and :class:`Problem` for what it
could not, so one bad file or record never stops a corpus from loading.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from markdown_it import MarkdownIt

from corpus_tools.encoding import UndecodableError, check_text, decode_bytes
from corpus_tools.htmltext import html_to_text, lxml_text

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz")
TEXT_FIELDS = ("text", "body", "content")
ID_FIELDS = ("doc_id", "id")
META_FIELDS = ("title", "date", "source", "url")
_LOOKS_LIKE_HTML = re.compile(
    r"<(?:html|body|p|div|br|article|span|a|h[1-6])\b[^>]*>", re.IGNORECASE
)
_SURROGATE = re.compile("[\ud800-\udfff]")  # from a JSON escape such as "\\ud800"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n---[ \t]*\n", re.DOTALL)

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
# A news article is a few kilobytes; a file far larger is a dump, a log or a mistake, and would
# stall every later stage. It is skipped with this limit named in the reason.
MAX_DOCUMENT_BYTES = 5 * 2**20
_CHUNK = 1 << 20


@dataclass
class RawDocument:
    """A document as read, before cleaning."""

    doc_id: str
    path: str
    text: str
    fmt: str  # "txt", "md", "html" or "record"
    encoding: str = ""
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """Something that could not be read (``skipped``) or was read with a caveat."""

    path: str
    message: str
    skipped: bool = True


def suffix_of(path: Path) -> str:
    """The file's format suffix, lower-cased, keeping ``.gz`` compounds (``.jsonl.gz``)."""
    name = path.name.lower()
    for suffix in RECORD_SUFFIXES + TEXT_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def read_text_file(
    path: Path, doc_id: str, shown: str, digest: Digest | None = None
) -> RawDocument | Problem:
    """Read one .txt, .md or .html file (``shown`` is the path as reported to the user).

    ``digest`` (a ``hashlib`` object) is fed the bytes the document is made of.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
            if digest is not None:
                digest.update(data)
            if len(data) > MAX_DOCUMENT_BYTES:
                size = len(data)
                while chunk := handle.read(_CHUNK):
                    size += len(chunk)
                    if digest is not None:
                        digest.update(chunk)
                return Problem(shown, _too_large(size))
    except OSError as exc:
        return Problem(shown, f"unreadable: {exc.strerror or exc}")
    try:
        decoded = decode_bytes(data)
    except UndecodableError as exc:
        return Problem(shown, str(exc))
    suffix = suffix_of(path)
    meta: dict[str, str] = {}
    text = decoded.text.lstrip("\ufeff")
    if suffix in (".html", ".htm"):
        page = html_to_text(text)
        text = page.text
        meta = {"title": page.title, "date": page.date}
        fmt = "html"
    elif suffix == ".md":
        meta, text = markdown_to_text(text)
        fmt = "md"
    else:
        fmt = "txt"
    return RawDocument(
        doc_id, shown, text, fmt, decoded.encoding, {k: v for k, v in meta.items() if v}
    )


def markdown_to_text(text: str) -> tuple[dict[str, str], str]:
    """Split YAML-style front matter (``key: value`` lines) from Markdown and render it to text."""
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group("body").splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip().lower() in (*META_FIELDS, "source-url"):
                name = "url" if key.strip().lower() == "source-url" else key.strip().lower()
                meta[name] = value.strip().strip("\"'")
        text = text[match.end() :]
    html = MarkdownIt("commonmark", {"html": False}).render(text)
    return meta, lxml_text(html)


def read_record_file(
    path: Path, shown: str, digest: Digest | None = None
) -> Iterator[RawDocument | Problem]:
    """Yield the documents of a .jsonl(.gz) or .csv(.gz) file of records.

    A record needs a text (``text``, ``body`` or ``content``); its id comes from ``doc_id`` or
    ``id`` (else ``<file stem>-<line>``, with a note). Other fields are kept as metadata.
    Lines are decoded one by one, so a record that is not UTF-8 is skipped with its line
    number and every other record is kept; a line longer than :data:`MAX_DOCUMENT_BYTES` is
    skipped while it is read, never held whole in memory. ``digest`` (a ``hashlib`` object)
    is fed every byte of the file, so the caller knows which content the records came from.
    """
    suffix = suffix_of(path)
    try:
        raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed below, after the drain
    except OSError as exc:
        yield Problem(shown, f"unreadable: {exc.strerror or exc}")
        return
    stream = io.BufferedReader(_Digesting(raw, digest))
    try:
        lines = _lines(gzip.GzipFile(fileobj=stream) if suffix.endswith(".gz") else stream)
        if suffix.startswith(".jsonl"):
            yield from _jsonl_records(lines, path, shown)
        else:
            yield from _csv_records(lines, path, shown)
        while stream.read(_CHUNK):  # the rest of the file, for the digest
            pass
    except (OSError, EOFError, csv.Error) as exc:
        yield Problem(shown, f"reading stopped part-way: {exc}")
    finally:
        stream.close()


class Digest(Protocol):
    """What a ``hashlib`` object offers: ``update``."""

    def update(self, data: bytes, /) -> None:
        """Feed bytes to the hash."""


class _Digesting(io.RawIOBase):
    """A binary file that feeds every byte read from it to a digest."""

    def __init__(self, raw: io.FileIO, digest: Digest | None) -> None:
        self._raw, self._digest = raw, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer) or 0
        if count and self._digest is not None:
            self._digest.update(memoryview(buffer)[:count])
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a binary stream (a UTF-8 BOM dropped); ``None`` for an overlong one."""
    line_no = 0
    while line := stream.readline(MAX_DOCUMENT_BYTES + 1):
        line_no += 1
        if line_no == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if len(line) > MAX_DOCUMENT_BYTES and not line.endswith(b"\n"):
            while (more := stream.readline(_CHUNK)) and not more.endswith(b"\n"):
                pass
            yield line_no, None
            continue
        yield line_no, line


def _not_utf8(exc: UnicodeDecodeError) -> str:
    return f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at column {exc.start + 1})"


def _jsonl_records(
    lines: Iterator[tuple[int, bytes | None]], path: Path, shown: str
) -> Iterator[RawDocument | Problem]:
    for line_no, data in lines:
        where = f"{shown}:{line_no}"
        if data is None:
            yield Problem(where, _too_large(MAX_DOCUMENT_BYTES + 1))
            continue
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Problem(where, _not_utf8(exc))
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(where, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield Problem(where, "not a JSON object")
            continue
        yield from _record_document(record, path, where, line_no)


def _csv_records(
    lines: Iterator[tuple[int, bytes | None]], path: Path, shown: str
) -> Iterator[RawDocument | Problem]:
    bad: dict[int, str] = {}  # line number -> why it could not be decoded

    def decoded() -> Iterator[str]:
        for line_no, data in lines:
            if data is None:
                bad[line_no] = _too_large(MAX_DOCUMENT_BYTES + 1)
                yield '""\n'  # a row of its own, reported below
                continue
            try:
                yield data.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad[line_no] = _not_utf8(exc)
                yield data.decode("utf-8", "surrogateescape")

    reader = csv.DictReader(decoded())
    columns = [c.strip() for c in reader.fieldnames or []]
    if bad:
        yield Problem(shown, f"header line: {next(iter(bad.values()))}")
        return
    if not any(c in TEXT_FIELDS for c in columns):
        yield Problem(shown, f"no text column (need one of {list(TEXT_FIELDS)}; found {columns})")
        return
    first = reader.line_num + 1
    for row in reader:
        where = f"{shown}:{reader.line_num}"
        problems = [bad.pop(n) for n in range(first, reader.line_num + 1) if n in bad]
        first = reader.line_num + 1
        if problems:
            yield Problem(where, problems[0])
            continue
        record = {(k or "").strip(): v for k, v in row.items() if k is not None}
        yield from _record_document(record, path, where, reader.line_num)
    for line_no, problem in bad.items():  # in a last row the reader could not finish
        yield Problem(f"{shown}:{line_no}", problem)


def _record_document(
    record: dict, path: Path, where: str, line_no: int
) -> Iterator[RawDocument | Problem]:
    text = next((record[f] for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if text is None:
        yield Problem(where, f"record has no text field ({'/'.join(TEXT_FIELDS)})")
        return
    if len(text) > MAX_DOCUMENT_BYTES:
        yield Problem(where, _too_large(len(text.encode("utf-8"))))
        return
    try:
        check_text(text, "utf-8")
    except UndecodableError as exc:
        yield Problem(where, str(exc))
        return
    if lone := _SURROGATE.search(text):
        yield Problem(where, f"text holds {_surrogate(lone)}, which is not a character")
        return
    doc_id = next(
        (str(record[f]).strip() for f in ID_FIELDS if str(record.get(f) or "").strip()), ""
    )
    if not doc_id:
        doc_id = f"{path.name.split('.')[0]}-{line_no}"
        yield Problem(where, f"record has no id; using {doc_id!r}", skipped=False)
    meta = {
        key: _scalar(value)
        for key, value in record.items()
        if key not in TEXT_FIELDS and key not in ID_FIELDS and value is not None
    }
    for key, value in list(meta.items()):
        if lone := _SURROGATE.search(key + value):
            yield Problem(
                where, f"field {key!r} holds {_surrogate(lone)}; dropped", skipped=False
            )
            del meta[key]
    fmt = "record"
    if len(_LOOKS_LIKE_HTML.findall(text[:5000])) >= 2:
        page = html_to_text(text)
        text = page.text
        meta.setdefault("title", page.title)
        fmt = "record-html"
    yield RawDocument(doc_id, where, text, fmt, "utf-8", meta)


def _surrogate(match: re.Match[str]) -> str:
    return f"a lone surrogate (\\u{ord(match.group()):04x}) at character {match.start() + 1}"


def _too_large(size: int) -> str:
    return (
        f"too large for one article: {size / 2**20:.1f} MB "
        f"(limit {MAX_DOCUMENT_BYTES / 2**20:.0f} MB, readers.MAX_DOCUMENT_BYTES)"
    )


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
