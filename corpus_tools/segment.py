"""Paragraphs and sentences with character offsets into the cleaned text.

Sentences come from NLTK's Punkt with parameters built in code from ``data/`` (no downloaded
model, no pickle): abbreviations that do not end a sentence (``No. 214``, ``Dr``, ``Co., Ltd.``)
and the words that start one after an abbreviation that can (``… Co., Ltd. The firm``).
A sentence never crosses a paragraph (blank line) nor, except in hard-wrapped text, a line.

Tables:

``sentences`` — ``doc_id``, ``sent_id`` (0-based within the document), ``para_id``, ``start``,
``end``, ``text`` (= document text[start:end]).
``paragraphs`` — ``doc_id``, ``para_id``, ``start``, ``end``.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

from corpus_tools.clean import read_lines_file
from corpus_tools.paths import DATA_DIR

ABBREVIATIONS_FILE = DATA_DIR / "abbreviations.csv"
SENTENCE_STARTERS_FILE = DATA_DIR / "sentence_starters.txt"
SENTENCE_COLUMNS = ["doc_id", "sent_id", "para_id", "start", "end", "text"]
PARAGRAPH_COLUMNS = ["doc_id", "para_id", "start", "end"]

_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_LINE_END_PUNCT = re.compile(r"[.!?:;][\"'”’)\]]*$")
_LAST_WORD = re.compile(r"(\S+)\.\s*$")
_WRAP_MIN, _WRAP_MAX = 40, 100


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """(all abbreviations, those that never end a sentence), lower case, no final period."""
    with open(ABBREVIATIONS_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    every = frozenset(r["abbreviation"].strip().lower().rstrip(".") for r in rows)
    never = frozenset(
        r["abbreviation"].strip().lower().rstrip(".")
        for r in rows
        if r["can_end_sentence"].strip().lower() in {"no", "false", "0"}
    )
    return every, never


@lru_cache(maxsize=1)
def sentence_tokenizer() -> PunktSentenceTokenizer:
    """Punkt with our abbreviations and sentence starters (built once)."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(_abbreviations()[0])
    params.sent_starters = set(read_lines_file(SENTENCE_STARTERS_FILE))
    return PunktSentenceTokenizer(params)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each paragraph: blocks of text between blank lines."""
    spans = []
    position = 0
    for match in _BLANK_LINES.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return [(s, e) for s, e in (_strip_span(text, s, e) for s, e in spans) if e > s]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a paragraph into lines, unless it is hard-wrapped prose (one unit then).

    A first line in capitals ("ACME SIGNS DEAL WITH BETA") is a headline: a unit of its own,
    never wrapped into the prose that follows.
    """
    lines = []
    position = start
    for line in text[start:end].split("\n"):
        lines.append((position, position + len(line)))
        position += len(line) + 1
    if len(lines) > 1 and _is_capitals(text[slice(*lines[0])]):
        return [_strip_span(text, *lines[0]), *_line_units(text, lines[1][0], end)]
    if len(lines) > 1 and _hard_wrapped([text[s:e] for s, e in lines]):
        return [(start, end)]
    return [span for span in (_strip_span(text, s, e) for s, e in lines) if span[1] > span[0]]


def _is_capitals(line: str) -> bool:
    """Whether a line is written in capitals (a wire headline): letters, none lower case."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters)


def _hard_wrapped(lines: list[str]) -> bool:
    body = [line.rstrip() for line in lines[:-1]]
    if not all(_WRAP_MIN <= len(line) <= _WRAP_MAX for line in body):
        return False
    open_ended = sum(1 for line in body if not _LINE_END_PUNCT.search(line))
    return open_ended * 2 >= len(body)


_SENTENCE_END = re.compile(r"[.?!]")  # Punkt's sentence-ending characters


def sentence_spans(text: str) -> list[tuple[int, int, int]]:
    """Return ``(para_id, start, end)`` of every sentence of ``text``.

    Example:
        >>> text = "It was built by No. 214 Institute. Dr. Li spoke."
        >>> [text[s:e] for _, s, e in sentence_spans(text)]
        ['It was built by No. 214 Institute.', 'Dr. Li spoke.']
    """
    tokenizer = sentence_tokenizer()
    never_end = _abbreviations()[1]
    spans = []
    for para_id, (p_start, p_end) in enumerate(paragraph_spans(text)):
        for u_start, u_end in _line_units(text, p_start, p_end):
            unit = text[u_start:u_end]
            if not _SENTENCE_END.search(unit, 0, len(unit) - 1):
                spans.append((para_id, u_start, u_end))  # no mark a sentence could end at
                continue
            pieces: list[list[int]] = []
            for s, e in tokenizer.span_tokenize(unit):
                if pieces and _ends_with_title(unit[pieces[-1][0] : pieces[-1][1]], never_end):
                    pieces[-1][1] = e
                else:
                    pieces.append([s, e])
            spans.extend((para_id, u_start + s, u_start + e) for s, e in pieces)
    return spans


def _ends_with_title(sentence: str, never_end: frozenset[str]) -> bool:
    match = _LAST_WORD.search(sentence)
    return bool(match) and match.group(1).lower().lstrip("(\"'“") in never_end


def sentences(documents: pd.DataFrame) -> pd.DataFrame:
    """Segment every document of a documents table (needs ``doc_id`` and ``text``).

    Returns:
        The ``sentences`` table, sorted by ``doc_id`` and ``sent_id``.
    """
    rows = []
    for doc_id, text in zip(documents["doc_id"].tolist(), documents["text"].tolist(), strict=True):
        for sent_id, (para_id, start, end) in enumerate(sentence_spans(text)):
            rows.append((doc_id, sent_id, para_id, start, end, text[start:end]))
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def paragraphs(documents: pd.DataFrame) -> pd.DataFrame:
    """The ``paragraphs`` table of a documents table (needs ``doc_id`` and ``text``)."""
    rows = [
        (doc_id, para_id, start, end)
        for doc_id, text in zip(
            documents["doc_id"].tolist(), documents["text"].tolist(), strict=True
        )
        for para_id, (start, end) in enumerate(paragraph_spans(text))
    ]
    return pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)
