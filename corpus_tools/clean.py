"""Clean document text: normalize line breaks and remove boilerplate, recording every removal.

Rules come from ``data/boilerplate.csv`` (one regular expression a row: whole lines, the rest of
the document, a span inside a line, or a closing line after the last sentence; an inline rule
may name literals its matches always hold, so that lines without them are not scanned) plus two
structural rules that need context: a line that is only a (labelled) date, and site menus after
the last sentence. Nothing is dropped unseen: each removal is returned as a :class:`Removal`
with its rule, line numbers, character offsets and text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corpus_tools import dates
from corpus_tools.paths import DATA_DIR

RULES_FILE = DATA_DIR / "boilerplate.csv"
DATE_LABELS_FILE = DATA_DIR / "date_labels.txt"
NAVIGATION_WORDS_FILE = DATA_DIR / "navigation_words.txt"
_MENU_NAV_SHARE = 0.4
RULE_KINDS = ("line", "section", "inline", "tail")
_MAX_RULE_LINE = 2000  # boilerplate lines are short; longer lines are article text
_MAX_DATE_LINE = 80
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
_MENU_WORD = re.compile(r"[^\W\d_]+|&")


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule from the rules file."""

    name: str
    kind: str  # one of RULE_KINDS
    pattern: re.Pattern[str]
    description: str
    # literals one of which a line must hold (lower-cased) for the rule to be tried: a cheap
    # test that spares matching every line with the pattern
    requires: tuple[str, ...] = ()

    def may_match(self, lower: str) -> bool:
        """Whether a lower-cased line holds one of the rule's literals (or it names none)."""
        return not self.requires or any(literal in lower for literal in self.requires)


@dataclass(frozen=True)
class Removal:
    """Text removed from a document, with the rule that removed it.

    ``first_line``/``last_line`` are 1-based line numbers and ``start``/``end`` character
    offsets into the document's text with line breaks normalized (``normalize_newlines``).
    """

    rule: str
    first_line: int
    last_line: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CleanText:
    """The cleaned text of a document and what was removed from it."""

    text: str
    removed: tuple[Removal, ...]


def read_lines_file(path: Path) -> list[str]:
    """Read a one-entry-a-line knowledge file, skipping blank lines and ``#`` comments."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@lru_cache(maxsize=8)
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """Load and compile the boilerplate rules (cached per path).

    Raises:
        ValueError: A row has an unknown ``kind`` or a pattern that does not compile; the
            message names the file and row.
    """
    rules = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row_no, row in enumerate(csv.DictReader(handle), start=2):
            kind = (row.get("kind") or "").strip()
            if kind not in RULE_KINDS:
                raise ValueError(f"{path}, row {row_no}: kind {kind!r} is not one of {RULE_KINDS}")
            try:
                pattern = re.compile(row["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{path}, row {row_no}: bad pattern: {exc}") from exc
            requires = tuple(r for r in (row.get("requires") or "").lower().split("|") if r)
            rules.append(
                Rule(row["rule"].strip(), kind, pattern, row.get("description", ""), requires)
            )
    return tuple(rules)


@lru_cache(maxsize=1)
def _date_line_pattern() -> re.Pattern[str]:
    labels = sorted(read_lines_file(DATE_LABELS_FILE), key=len, reverse=True)
    alternatives = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in labels)
    return re.compile(rf"(?:(?:{alternatives})\s*(?:on)?\s*:?\s*)?", re.IGNORECASE)


def normalize_newlines(text: str) -> str:
    """Turn CRLF, CR and Unicode line/paragraph separators into newlines; drop NUL characters."""
    return (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n\n")
        .replace("\x00", "")
    )


def clean_text(text: str, *, rules: tuple[Rule, ...] | None = None) -> CleanText:
    r"""Remove boilerplate from a document's text.

    Args:
        text: Decoded text (plain text, or what the HTML extractor returned).
        rules: Boilerplate rules; defaults to ``data/boilerplate.csv``.

    Returns:
        The article text, paragraphs separated by one blank line, and the removals.

    Example:
        >>> clean_text("A deal was signed.\n\nFollow us on Twitter:").removed[0].rule
        'social'
    """
    rules = load_rules() if rules is None else rules
    normalized = normalize_newlines(text)
    lines = normalized.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    kept: list[str | None] = [line.rstrip() for line in lines]
    removed: list[Removal] = []

    def remove_lines(rule: str, first: int, last: int) -> None:
        body = "\n".join(line.strip() for line in lines[first : last + 1] if line.strip())
        end = starts[last] + len(lines[last])
        removed.append(Removal(rule, first + 1, last + 1, starts[first], end, body))
        kept[first : last + 1] = [None] * (last + 1 - first)

    for index, line in enumerate(lines):
        probe = " ".join(line.split())
        if not probe or len(probe) > _MAX_RULE_LINE:
            if probe:
                kept[index] = _remove_inline(line.rstrip(), index, starts[index], rules, removed)
            continue
        rule = _whole_line_rule(probe, rules, ("line", "section"))
        if rule is not None and rule.kind == "section":
            remove_lines(rule.name, index, len(lines) - 1)
            break
        if rule is not None:
            remove_lines(rule.name, index, index)
        elif len(probe) <= _MAX_DATE_LINE and _is_date_line(probe):
            remove_lines("date_line", index, index)
        else:
            kept[index] = _remove_inline(line.rstrip(), index, starts[index], rules, removed)

    _remove_tail_chrome(kept, rules, remove_lines)
    removed.sort(key=lambda r: (r.start, r.rule))
    return CleanText(text=_join_paragraphs(kept), removed=tuple(removed))


def _whole_line_rule(probe: str, rules: tuple[Rule, ...], kinds: tuple[str, ...]) -> Rule | None:
    lower = probe.lower()
    for rule in rules:
        if rule.kind in kinds and rule.may_match(lower) and rule.pattern.fullmatch(probe):
            return rule
    return None


def _is_date_line(probe: str) -> bool:
    """True for a line that is only a date, optionally labelled ("Updated: 2021-07-14")."""
    found = dates.find_dates(probe)
    if len(found) != 1:
        return False
    label = _date_line_pattern().match(probe[: found[0].start])
    head_is_label = label is not None and label.end() == found[0].start
    tail = probe[found[0].end :].strip(" ,.|")
    tail_is_time = re.fullmatch(
        r"(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|[A-Z]{2,4}|[+-]\d{2}:?\d{2})?)?", tail
    )
    return head_is_label and bool(tail_is_time)


def _remove_inline(
    line: str, index: int, offset: int, rules: tuple[Rule, ...], removed: list[Removal]
) -> str:
    """Cut inline matches out of a line, recording each with its offsets."""
    spans = []
    lower = line.lower()
    for rule in rules:
        if rule.kind != "inline" or not rule.may_match(lower):
            continue
        for match in rule.pattern.finditer(line):
            if match.group(0).strip() and not any(
                match.start() < e and s < match.end() for s, e, _ in spans
            ):
                spans.append((match.start(), match.end(), rule.name))
    if not spans:
        return line
    pieces, position = [], 0
    for start, end, name in sorted(spans):
        text = line[start:end]
        lead = len(text) - len(text.lstrip())
        removed.append(
            Removal(name, index + 1, index + 1, offset + start + lead, offset + end, text.strip())
        )
        pieces.append(line[position:start])
        position = end
    pieces.append(line[position:])
    return "".join(pieces)


def _remove_tail_chrome(kept: list[str | None], rules: tuple[Rule, ...], remove_lines) -> None:
    """Remove site menus and closing labels that follow the document's last sentence.

    Menus: two or more lines in a row made only of four or more capitalized words, with no
    punctuation, mostly navigation words ("NEWS Local Business Events Life Photos"); lists of
    names or award winners look alike but use other words, and are kept. Closing labels are
    the ``tail`` rules of the rules file ("ENDS", "Special Reports"), removed only here.
    """
    last_sentence = max(
        (i for i, line in enumerate(kept) if line and _SENTENCE_END.search(line)), default=None
    )
    if last_sentence is None:
        return
    tail = [i for i in range(last_sentence + 1, len(kept)) if kept[i] and kept[i].strip()]
    for run in _runs([i for i in tail if _is_menu(kept[i])], tail):
        words = [w.lower() for i in run for w in kept[i].split()]
        nav = sum(w in _navigation_words() for w in words)
        if len(run) >= 2 and nav >= _MENU_NAV_SHARE * len(words):
            for i in run:
                remove_lines("menu", i, i)
    for i in tail:
        line = kept[i]
        if line is not None:
            rule = _whole_line_rule(" ".join(line.split()), rules, ("tail",))
            if rule is not None:
                remove_lines(rule.name, i, i)


def _runs(selected: list[int], tail: list[int]) -> list[list[int]]:
    """Group ``selected`` line indexes into runs of neighbours within ``tail``."""
    runs: list[list[int]] = []
    position = {index: k for k, index in enumerate(tail)}
    for index in selected:
        if runs and position[index] == position[runs[-1][-1]] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


@lru_cache(maxsize=1)
def _navigation_words() -> frozenset[str]:
    return frozenset(read_lines_file(NAVIGATION_WORDS_FILE))


def _is_menu(line: str) -> bool:
    """Four or more capitalized words and nothing else: "NEWS Local Business Events"."""
    words = line.split()
    return len(words) >= 4 and all(
        word == "&" or (bool(_MENU_WORD.fullmatch(word)) and word[0].isupper()) for word in words
    )


def _join_paragraphs(kept: list[str | None]) -> str:
    """Join kept lines: lines of one block by a newline, blocks by one blank line."""
    blocks: list[list[str]] = [[]]
    for line in kept:
        if line is None:
            continue
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return "\n\n".join("\n".join(block) for block in blocks if block)
