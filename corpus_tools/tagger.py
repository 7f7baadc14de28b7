"""The learned name tagger: which words of a sentence are ORG, PLACE or PERSON names.

The hand rules of :mod:`corpus_tools.entities` find whole names when a head word or a
gazetteer says what they are; on text they were not written for they miss people without a
title, companies without a suffix and places outside the gazetteers. This tagger is a
linear-chain CRF (CRFsuite, through ``python-crfsuite``) over the words of a sentence, labelled
in the BIO scheme (``B-ORG``, ``I-ORG``, …, ``O``). Its features are what a reader looks at: the
word and its shape, its neighbours, its word clusters (:mod:`corpus_tools.clusters`: words
used alike in unannotated news, and how often each is written in lower case there), the
packaged word lists (given names and surnames of the 1990 US census from the ``names``
package, person titles, job words, organization and place heads, gazetteer places), what
the document says about the word (written in lower case elsewhere, part of a name the rules
found elsewhere), and the label the rules give the word: the rules are one voice among the
features, and the model learns when to trust them. Only runs of capitalized words are read
(:func:`windows`); :mod:`corpus_tools.name_spans` turns the spans found into mentions.

The model file ``data/name_tagger.crfsuite`` is CRFsuite's own binary format (not a pickle),
rebuilt by ``corpus-tools train-tagger`` from annotated documents (see ``data/README.md``);
:func:`explain` shows, word by word, the label chosen and the features that weighed most.
"""

from __future__ import annotations

import bisect
import errno
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_tools import gazetteers
from corpus_tools.aliases import DEMONYM_SUFFIX
from corpus_tools.clean import read_lines_file
from corpus_tools.clusters import SIZES as CLUSTER_SIZES
from corpus_tools.clusters import clusters as word_clusters
from corpus_tools.clusters import lower_shares
from corpus_tools.entities import (
    PERSON,
    PLACE,
    Mention,
    chinese_surnames,
    find_mentions,
    org_heads,
    person_titles,
    place_heads,
    word_lists,
)
from corpus_tools.paths import DATA_DIR

if TYPE_CHECKING:
    import pandas as pd

MODEL_FILE = DATA_DIR / "name_tagger.crfsuite"
# an acronym the tagger calls a name must be a sure call (most unexplained capitals in news are
# terms, tickers and product codes: "GDP", "CEO"); the alias step still resolves unsure ones
# that the document spells out or defines
MIN_ACRONYM_CONFIDENCE = 0.8
# words that follow a name and a hyphen without belonging to it ("Shanghai-based")
_SUFFIX_WORDS = (
    "based|born|headquartered|led|funded|backed|owned|made|run|hosted|affiliated|style|"
    "related|specific|wide|level|class|bound|listed|registered|controlled|sponsored|linked|"
    "focused|centred|centered|oriented|bred|era|type|like|friendly|proof|free"
)
TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S., U.K.
    r"|[A-Z]\.(?=\s+[A-Z])"  # a middle initial (James M. Oates)
    # words, with inner apostrophes (O'Brien, Lu'an) and lower-case hyphen parts (Chan-o-cha)
    rf"|[^\W_]+(?:['’](?![sS]\b)[^\W_]+)*(?:-(?!(?:{_SUFFIX_WORDS})\b)[a-z][^\W_]*)*"
    r"|['’][sS]\b"  # a possessive
    r"|\S"
)


_ACRONYM_TOKEN = re.compile(r"[A-Z][A-Z0-9&]{1,7}")


def tokens(sentence: str) -> list[tuple[int, int]]:
    """Character spans of the words and punctuation marks of a sentence.

    Hyphens are tokens of their own, so that "Shanghai-based" yields the place and the suffix.

    Example:
        >>> s = "Acme's U.S.-based unit"
        >>> [s[a:b] for a, b in tokens(s)]
        ['Acme', "'s", 'U.S.', '-', 'based', 'unit']
    """
    spans = [m.span() for m in TOKEN.finditer(sentence)]
    if "." not in sentence or not _place_abbreviation().search(sentence):
        return spans
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if (
            merged
            and sentence[start:end] == "."
            and merged[-1][1] == start
            and sentence[merged[-1][0] : end] in place_abbreviations()
        ):
            merged[-1] = (merged[-1][0], end)  # "Ore.", "Calif.": one word
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=1)
def place_abbreviations() -> frozenset[str]:
    """Gazetteer places written with one final period ("Ore.", "Mass.")."""
    return frozenset(n for n in gazetteers.places() if n.endswith(".") and n.count(".") == 1)


@lru_cache(maxsize=1)
def _place_abbreviation() -> re.Pattern[str]:
    """Any of :func:`place_abbreviations` (a quick test before merging tokens)."""
    names = sorted(place_abbreviations(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names) or "(?!)")


def _shape(word: str) -> str:
    """The word's shape: capitals X, small letters x, digits d, runs cut at two ("Xxx")."""
    out: list[str] = []
    for ch in word:
        kind = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if len(out) < 2 or out[-1] != kind or out[-2] != kind:
            out.append(kind)
    return "".join(out)


@lru_cache(maxsize=1)
def census_names() -> tuple[dict[str, int], dict[str, int]]:
    """Given names and surnames of the 1990 US census (``names`` package), name → rank."""
    def read(filename: str) -> dict[str, int]:
        text = resources.files("names").joinpath(filename).read_text(encoding="utf-8")
        ranks: dict[str, int] = {}
        for line in text.splitlines():
            parts = line.split()
            if parts:
                ranks.setdefault(parts[0].title(), int(parts[-1]))
        return ranks

    given = read("dist.male.first")
    for name, rank in read("dist.female.first").items():
        given[name] = min(rank, given.get(name, rank))
    return given, read("dist.all.last")


def _share_bucket(share: float) -> str:
    """How often a capitalized word is written in lower case elsewhere, in four steps."""
    return "0" if share < 0.02 else "1" if share < 0.2 else "2" if share < 0.6 else "3"


def _rank_bucket(rank: int | None) -> str:
    if rank is None:
        return ""
    return "100" if rank <= 100 else "1k" if rank <= 1000 else "10k" if rank <= 10000 else "all"


@lru_cache(maxsize=1 << 17)
def _word_features(word: str) -> tuple[str, ...]:
    """Features of a word on its own (cached: a function of the word alone)."""
    lower = word.lower()
    out = [f"w={lower}", f"shape={_shape(word)}", f"suf3={lower[-3:]}", f"pre3={lower[:3]}"]
    if word[:1].isupper():
        out.append("cap")
        if word.isupper() and len(word) > 1:
            out.append("upper")
    elif word[:1].islower():
        out.append("lower")
    if not word[:1].isalnum():
        out.append("punct")
    cluster = word_clusters().get(word) or word_clusters().get(lower)
    if cluster:
        out += [f"c{size}={number}" for size, number in zip(CLUSTER_SIZES, cluster, strict=True)]
    lists = word_lists()
    if lower in lists["titles"]:
        out.append("title_word")
    if lower.rstrip(".") in person_titles():
        out.append("np_title")
    if lower in lists["roles"]:
        out.append("role_word")
    if lower in lists["events"]:
        out.append("event_word")
    if lower in name_particles():
        out.append("particle")
    if lower in not_names() and not (word.isupper() and len(word) > 1):
        out.append("not_name")
    head = org_head_words().get(lower)
    if head is not None:
        out.append(f"org_head={head}")
    if lower in place_head_words():
        out.append("place_head")
    if word[:1].isupper():
        given, last = census_names()
        bucket = _rank_bucket(given.get(word.title()))
        if bucket:
            out.append(f"given={bucket}")
        bucket = _rank_bucket(last.get(word.title()))
        if bucket:
            out.append(f"surname={bucket}")
        if word.title() in chinese_surnames():
            out.append("cn_surname")
        place = word if word in gazetteers.places() else word.title()  # "BEIJING, March 2 -"
        if place in gazetteers.places():
            size = gazetteers.population(place)
            out.append(
                "place=region" if size == float("inf")
                else "place=big" if size >= 200_000
                else "place=city"
            )  # fmt: skip
        if DEMONYM_SUFFIX.search(lower) and word.istitle():
            out.append("demonym_shape")
        share = lower_shares().get(word, lower_shares().get(lower))
        if share is not None:
            out.append(f"low={_share_bucket(share)}")
    return tuple(out)


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    """Words never a name on their own: pronouns, days, months (``data/not_names.txt``)."""
    return frozenset(read_lines_file(DATA_DIR / "not_names.txt"))


@lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    """Lower-case particles of person names (``data/name_particles.txt``)."""
    return frozenset(read_lines_file(DATA_DIR / "name_particles.txt"))


@lru_cache(maxsize=1)
def org_head_words() -> dict[str, str]:
    """Single-word organization heads (``data/org_heads.csv``) → sector."""
    return {key[0]: sector for key, sector in org_heads().items() if len(key) == 1}


@lru_cache(maxsize=1)
def place_head_words() -> frozenset[str]:
    """Single-word place heads (``data/place_heads.csv``)."""
    return frozenset(key[0] for key in place_heads() if len(key) == 1)


_CONTEXT = (
    "w=", "shape=", "cap", "title_word", "role_word", "org_head", "given=", "place=", "particle",
    "c64=", "c512=", "low=",
)  # fmt: skip


# a word's features seen from each position: its own, as the previous word, as the next
# word, two words before, two words after
Views = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=1 << 17)
def _views(word: str) -> Views:
    """A word's features as the tagger sees them from each position, computed once a word.

    Its own; as the previous and as the next word (the features worth seeing from a
    neighbour, prefixed "-1:"/"+1:"); and its lower-case form two words before and after.
    """
    own = ("bias", *_word_features(word))
    shared = [f for f in own if f.startswith(_CONTEXT)]
    lower = word.lower()
    return (
        own, tuple("-1:" + f for f in shared), tuple("+1:" + f for f in shared),
        (f"-2:w={lower}",), (f"+2:w={lower}",),
    )  # fmt: skip


def _known_views(known: frozenset[str], word: str) -> Views:
    """:func:`_views` without the features a model has no weight for.

    CRFsuite ignores attributes it never learned a weight for, so dropping them once per word
    changes no label and spares the tagger from reading them at every occurrence (most word,
    prefix and suffix features of a word the training texts never held).
    """
    return tuple(tuple(f for f in view if f in known) for view in _views(word))  # type: ignore[return-value]


def rule_labels(spans: Sequence[tuple[int, int]], mentions: Iterable[Mention]) -> list[str]:
    """The BIO label each token gets from a list of mentions (first token ``B-``)."""
    labels = ["O"] * len(spans)
    starts = [s for s, _ in spans]
    for mention in mentions:
        i = bisect.bisect_left(starts, mention.start)
        first = True
        while i < len(spans) and spans[i][1] <= mention.end:
            labels[i] = ("B-" if first else "I-") + mention.type
            first, i = False, i + 1
    return labels


@dataclass(frozen=True)
class DocumentContext:
    """What the whole document says about its words, for the tagger's features.

    ``ordinary``: the lower-case words of the document (a capitalized word it also writes in
    lower case, "Trust", is likely an ordinary word). ``hints``: word → features from the
    rules' names elsewhere in the document ("Acme" starts an organization's name there,
    "Smith" ends a person's).
    """

    ordinary: frozenset[str] = frozenset()
    hints: dict[str, tuple[str, ...]] = field(default_factory=dict)


def document_context(
    sentences: Sequence[str], rule_mentions: Sequence[Sequence[Mention]]
) -> DocumentContext:
    """The :class:`DocumentContext` of a document, from its sentences and the rules' names."""
    hints: dict[str, set[str]] = {}
    for found in rule_mentions:
        for m in found:
            words = m.surface.split()
            if m.type == "ORG" and len(words) > 1:
                hints.setdefault(words[0], set()).add("doc=org_first")
                hints.setdefault(words[-1], set()).add("doc=org_last")
            elif m.type == PERSON and len(words) > 1:
                hints.setdefault(words[0], set()).add("doc=given")
                hints.setdefault(words[-1], set()).add("doc=surname")
            elif m.type == PLACE:
                for word in words:
                    hints.setdefault(word, set()).add("doc=place")
    return DocumentContext(
        ordinary_words(" ".join(sentences)),
        {word: tuple(sorted(found)) for word, found in hints.items()},
    )


def sentence_features(
    sentence: str,
    spans: Sequence[tuple[int, int]],
    rules: Sequence[str],
    context: DocumentContext | None = None,
    window: tuple[int, int] | None = None,
    words: list[str] | None = None,
    views_of: Callable[[str], Views] = _views,
) -> list[list[str]]:
    """The feature strings of the tokens of a sentence (all, or those of a ``window``).

    A token's own features, its neighbours', the rules' labels, and what the document says
    about the word (:class:`DocumentContext`). ``views_of`` gives a word's features from each
    position (:func:`_views`, or a tagger's copy without the features its model ignores).
    """
    context = context or DocumentContext()
    words = words or [sentence[s:e] for s, e in spans]
    n = len(words)
    out = []
    first, last = window or (0, n)
    low = max(0, first - 2)
    views = [views_of(w) for w in words[low : min(n, last + 2)]]
    hints, ordinary = context.hints, context.ordinary
    for i in range(first, last):
        word, v = words[i], i - low
        feats = [*views[v][0], _RULE[rules[i]]]
        if word in hints:
            feats += hints[word]
        if word[:1].isupper() and word.lower() in ordinary:
            feats.append("ordinary")
        if last - first == 1:
            feats.append("alone")  # a stretch of one word: "Saab", "Dell"
        if i == 0:
            feats.append("BOS")
        else:
            feats += views[v - 1][1]
            feats.append(_RULE_BEFORE[rules[i - 1]])
            if spans[i][0] == spans[i - 1][1]:
                feats.append("glued_left")
            if i >= 2:
                feats += views[v - 2][3]
        if i + 1 < n:
            feats += views[v + 1][2]
            feats.append(_RULE_AFTER[rules[i + 1]])
            if i + 2 < n:
                feats += views[v + 2][4]
        else:
            feats.append("EOS")
        out.append(feats)
    return out


class _Prefixed(dict):
    """``prefix + label`` for any label, built once per label."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def __missing__(self, label: str) -> str:
        self[label] = value = self.prefix + label
        return value


_RULE, _RULE_BEFORE, _RULE_AFTER = _Prefixed("rule="), _Prefixed("-1:rule="), _Prefixed("+1:rule=")


MAX_GAP = 2  # lower-case words a name may hold between two capitalized ones ("of the")


_DASHES = frozenset("-–—")


def windows(
    words: Sequence[str], spans: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The stretches of a sentence the tagger reads: runs of capitalized words.

    Names hold a capital letter; the lower-case stretches between them are never part of one,
    so they are not tagged (most of the work on news text), nor are capitalized function words
    and pronouns on their own ("The", "It", "We": :func:`_plain_words`). A stretch runs from a
    capitalized word to the last one that follows it with at most :data:`MAX_GAP` other words
    between ("Bank of the Philippine Islands"), and takes in a name particle just before it
    ("van Gogh"), and a period after a short last word ("Acme Co.") or a lower-case place head
    after it ("Tongnan district"). A dash with a space on each side ends a stretch (given the
    words' ``spans``): it parts a dateline from its story ("GAZA - Hamas") and a title from
    its subtitle. A stretch keeps its real neighbours as features, and training reads the
    same stretches.
    """
    plain = _plain_words()
    particles = name_particles()
    out: list[tuple[int, int]] = []
    for i, word in enumerate(words):
        if not (word[:1].isupper() and _may_start_name(word, plain)):
            continue
        if out and i - out[-1][1] <= MAX_GAP and not _spaced_dash(words, spans, out[-1][1], i):
            out[-1] = (out[-1][0], i + 1)
            continue
        start = i
        while start > 0 and i - start < 2 and words[start - 1] in particles:
            start -= 1
        out.append((start, i + 1))
    heads = place_head_words()
    return [
        (a, b + 1)
        if b < len(words)
        and ((words[b] == "." and len(words[b - 1]) <= 4) or words[b] in heads)
        else (a, b)
        for a, b in out
    ]


def _spaced_dash(
    words: Sequence[str], spans: Sequence[tuple[int, int]] | None, first: int, last: int
) -> bool:
    """Whether a dash ("-", "–", "--") with a space on each side stands in ``words[first:last]``."""
    if spans is None:
        return False
    for k in range(first, last):
        if words[k] in _DASHES and spans[k - 1][1] < spans[k][0]:
            j = k
            while words[j + 1] in _DASHES and spans[j][1] == spans[j + 1][0]:
                j += 1
            if spans[j][1] < spans[j + 1][0]:
                return True
    return False


_CAPITAL_START = re.compile(r"(?<![\w'’])[^\W\d_a-z][^\W_]*")


def may_hold_names(sentence: str) -> bool:
    """Whether :func:`windows` could find anything to tag in the sentence (a quick test).

    False only when no word starts with a capital other than function words and sentence
    starters ("They said it would."): such a sentence holds no name, and neither the rules nor
    the tagger need to read it.
    """
    plain = _plain_words()
    return any(_may_start_name(m.group(), plain) for m in _CAPITAL_START.finditer(sentence))


def _may_start_name(word: str, plain: frozenset[str]) -> bool:
    """A capitalized word other than a plain one ("The", "They"); acronyms always."""
    return word[:1].isupper() and (word.lower() not in plain or (word.isupper() and len(word) > 1))


@lru_cache(maxsize=1)
def _plain_words() -> frozenset[str]:
    """Lower-case words that never start a name: function words, pronouns, sentence starters.

    From ``data/not_names.txt``, the English row of ``data/function_words.csv`` and
    ``data/sentence_starters.txt``.
    """
    from corpus_tools.language import function_words

    starters = {w.lower() for w in read_lines_file(DATA_DIR / "sentence_starters.txt")}
    return not_names() | function_words().get("en", frozenset()) | starters


@dataclass(frozen=True)
class Span:
    """A name the tagger found: token range turned into character offsets, and its type."""

    start: int
    end: int
    type: str
    confidence: float = 1.0  # lowest label probability of its all-capital words (acronyms)


def decode(
    spans: Sequence[tuple[int, int]],
    labels: Sequence[str],
    marginals: Sequence[float] | None = None,
) -> list[Span]:
    """Names from BIO labels (an ``I-`` without a ``B-`` starts a name).

    ``marginals`` (the probability of each token's label) give each name its confidence.
    """
    found: list[Span] = []
    current: list | None = None
    sure = marginals or [1.0] * len(labels)
    for (s, e), label, p in zip(spans, labels, sure, strict=True):
        kind = label[2:] if label != "O" else ""
        if label.startswith("B-") or (kind and (current is None or current[2] != kind)):
            if current is not None:
                found.append(Span(*current))
            current = [s, e, kind, p]
        elif kind:
            current[1] = e
            current[3] = min(current[3], p)
        else:
            if current is not None:
                found.append(Span(*current))
            current = None
    if current is not None:
        found.append(Span(*current))
    return found


class Tagger:
    """The trained CRF, loaded once per process from ``model`` (default: the packaged one)."""

    def __init__(self, model: str | Path = MODEL_FILE) -> None:
        import pycrfsuite

        self.model = Path(model)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model))
        known = frozenset(feature for feature, _ in self.weights())
        self._views = lru_cache(maxsize=1 << 17)(partial(_known_views, known))

    def tag(
        self,
        sentence: str,
        rule_mentions: Sequence[Mention],
        context: DocumentContext | None = None,
    ) -> list[Span]:
        """The names of a sentence, given the mentions the rules found in it."""
        spans = tokens(sentence)
        words = [sentence[s:e] for s, e in spans]
        stretches = windows(words, spans)
        if not stretches:
            return []
        rules = rule_labels(spans, rule_mentions)
        found: list[Span] = []
        for a, b in stretches:  # apart by an untagged word at least: no name spans two
            features = sentence_features(
                sentence, spans, rules, context, (a, b), words, self._views
            )
            labels = self._tagger.tag(features)
            marginals = None
            if any(w.isupper() for w in words[a:b]):  # only acronyms need a confidence
                marginals = [
                    self._tagger.marginal(label, k)
                    if label != "O" and words[a + k].isupper()
                    else 1.0
                    for k, label in enumerate(labels)
                ]
            found += decode(spans[a:b], labels, marginals)
        sure = [
            s for s in found
            if s.confidence >= MIN_ACRONYM_CONFIDENCE
            or not _ACRONYM_TOKEN.fullmatch(sentence[s.start : s.end])
            or sentence[s.start : s.end].title() in gazetteers.places()  # "SUZHOU, May 12 -"
        ]  # fmt: skip
        return sure

    def labels(self, features: list[list[str]]) -> list[str]:
        """The most likely label of every token, given its features."""
        return self._tagger.tag(features)

    def marginal(self, label: str, index: int) -> float:
        """The probability of ``label`` at token ``index`` of the sentence last labelled."""
        return self._tagger.marginal(label, index)

    def weights(self) -> dict[tuple[str, str], float]:
        """The model's feature weights: (feature, label) → weight."""
        if not hasattr(self, "_weights"):
            try:
                self._weights = dict(self._tagger.info().state_features)
            except RuntimeError as exc:  # crfsuite dumps the model to a temporary file first
                raise OSError(
                    errno.EIO, f"cannot read the model's weights ({exc}: a full temporary "
                    "folder or a file-size limit below 1 MB?)", str(self.model),
                ) from exc  # fmt: skip
        return self._weights


def explain(sentence: str, tagger: Tagger | None = None, top: int = 3) -> pd.DataFrame:
    """How the tagger reads a sentence, word by word: why a name was found (or not).

    Returns:
        One row per word: ``word``, ``rules`` (the label the hand rules give), ``label`` (the
        tagger's), ``confidence`` (its marginal probability) and ``because`` (the features
        weighing most for that label, with their weights).
    """
    import pandas as pd

    tagger = tagger or default_tagger()
    spans = tokens(sentence)
    rules = rule_labels(spans, find_mentions(sentence))
    columns = ["word", "rules", "label", "confidence", "because"]
    if tagger is None or not spans:
        pairs = zip(spans, rules, strict=True)
        return pd.DataFrame(
            [(sentence[s:e], r, "", None, "no model") for (s, e), r in pairs], columns=columns
        )
    context = document_context([sentence], [find_mentions(sentence)])
    features = sentence_features(sentence, spans, rules, context)
    labels = tagger.labels(features)
    weights = tagger.weights()
    rows = []
    for i, ((s, e), label) in enumerate(zip(spans, labels, strict=True)):
        scored = sorted(
            ((weights.get((f, label), 0.0), f) for f in features[i]), reverse=True
        )[:top]
        because = ", ".join(f"{f} {w:+.2f}" for w, f in scored if w)
        confidence = round(tagger.marginal(label, i), 3)
        rows.append((sentence[s:e], rules[i], label, confidence, because))
    return pd.DataFrame(rows, columns=columns)


@lru_cache(maxsize=1)
def default_tagger() -> Tagger | None:
    """The packaged tagger, or ``None`` when no model file is there (rules only)."""
    return Tagger() if MODEL_FILE.is_file() else None


_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")


def ordinary_words(text: str) -> frozenset[str]:
    """The lower-case words of a document (those a capitalized word may also be)."""
    return frozenset(_LOWER_WORD.findall(text))
