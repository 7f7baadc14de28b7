"""Is a document English? Script and function-word counts, no model to download."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import lru_cache

from corpus_tools.paths import DATA_DIR

FUNCTION_WORDS_FILE = DATA_DIR / "function_words.csv"
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
_TOKEN = re.compile(r"[^\W\d_]+")
_ASCII_TOKEN = re.compile(r"[a-z]+")  # the same words in lower-case ASCII text, found faster
_SAMPLE_CHARS = 20_000
_MIN_LATIN_SHARE = 0.5
_MIN_WORDS_FOR_WORD_TEST = 30
_MAX_TOKENS = 2000
_WORD_TEST_CHARS = 16_000  # enough for _MAX_TOKENS words of news text


@lru_cache(maxsize=1)
def function_words() -> dict[str, frozenset[str]]:
    """Function words per language code, from ``data/function_words.csv``."""
    with open(FUNCTION_WORDS_FILE, encoding="utf-8", newline="") as handle:
        return {row["language"]: frozenset(row["words"].split()) for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def _languages_of_word() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lang, words in function_words().items():
        for word in words:
            index.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in index.items()}


def non_english_reason(text: str) -> str | None:
    """Say why ``text`` is not English, or return ``None`` if it is (or cannot be told).

    Most letters must be Latin script, and a long text must use more English function words
    than those of any other language in ``data/function_words.csv``. Short or number-heavy
    texts (wire tables, headlines) pass: the test needs evidence to reject.

    Args:
        text: Cleaned document text.

    Returns:
        A reason such as "not English: 92% of letters are not Latin script", or ``None``.
    """
    sample = text[:_SAMPLE_CHARS]
    ascii_only = sample.isascii()
    # ASCII letters are all Latin, and so are the letters of most texts with curly quotes:
    # count only when some letter is not Latin
    if not ascii_only and _NON_LATIN_LETTER.search(sample):
        letters = len(_LETTER.findall(sample))
        if letters == 0:
            return None
        latin_share = len(_LATIN.findall(sample)) / letters
        if latin_share < _MIN_LATIN_SHARE:
            return f"not English: {1 - latin_share:.0%} of letters are not Latin script"
    words = _ASCII_TOKEN if ascii_only else _TOKEN
    tokens = words.findall(sample[:_WORD_TEST_CHARS].lower())[:_MAX_TOKENS]
    if len(tokens) < _MIN_WORDS_FOR_WORD_TEST:
        return None
    index = _languages_of_word()
    counts: Counter[str] = Counter()
    for token, times in Counter(tokens).items():
        for lang in index.get(token, ()):
            counts[lang] += times
    english = counts.pop("en", 0)
    if not counts:
        return None
    lang, other = min(counts.items(), key=lambda item: (-item[1], item[0]))
    if other > 2 * english and other >= 0.05 * len(tokens):
        return (
            f"not English: looks like '{lang}' ({other} of {len(tokens)} words are its "
            f"function words, {english} English)"
        )
    return None
