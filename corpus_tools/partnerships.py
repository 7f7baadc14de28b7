"""Partnerships: who cooperates with whom, how and when, one record per pair of parties.

A sentence states a partnership when it holds a cue of ``data/partnership_cues.csv`` (signing
an agreement or MOU, co-founding a joint institute, joining an alliance, meeting for
cooperation, cooperating) and two named parties (organizations or places, which stand for
their governments). Parties are found in this order:

1. "between X, Y and Z", or "founded by X and Y": every pair of those equal parties (R6);
2. the subject (the parties before the cue, "A (UC) and B", "A said it and B") with each party
   after "with", "partner of", "joined" ("Chongqing signed … with five universities – A, B, C,
   D and E" → five pairs; "Under the agreement with B, A will …"), or the organization a
   contract was made for ("A signed a contract to build a plant for B"); several subjects pair
   with each other when nothing follows ("Shanghai and Suzhou sealed agreements");
3. a subject carried by an anaphor ("the two sides", "the university", "the local government",
   ``data/anaphora.csv``) resolves to the parties last named in the document, and a sentence
   opening "It signed / It also joined …" to the previous sentence's subject; the document's
   most named party is the implicit subject of "cooperation with X" unless a person or a
   pronoun comes first;
4. in a membership statement, each member with the body ("A, B and C are members of BRICS",
   "SCO member states A and B", "the Z Alliance, which brings together A, B and C"); the
   founders of an alliance are its members ("A and B jointly launched the Z Alliance").

Besides, a relation named after its two parties ("China-Rwanda cooperation", "a U.S.-Canada
pact", "the China-ASEAN leaders' meeting") pairs them, and joint organisers ("organized by A,
B and C") pair with each other.

Not parties: places after a location preposition ("in Chongqing's Liangjiang New Area"), the
dateline's city, the institute a sentence says is being founded, one official's country ("said
Ann Lee, Prime Minister of Chile"; but "the leaders of A, B and C" act for them). No pair joins
an organization with the place or organization it is named after ("University of Otago" and
Otago, "Acme University Observatory"). Each record is dated by the first date of its sentence
(:func:`corpus_tools.dates.sentence_date`), anchored to the document's date, or by the next
sentence about the same instrument; an undated sentence that only echoes a dated instrument of
the same pair ("Under the agreement, …") adds no record.

Table ``partnerships``: ``doc_id, sent_id, a, b, kind, a_sector, b_sector, date,
date_precision, date_basis, date_text, evidence, resolved_from`` (a party the sentence names
only by an anaphor: "the two sides → Acme University; the two sides → Beta City"), and what
the record was reported in:
``article_date, article_source, article_title`` (the document's date, source and title; most
records state no date of their own, and the article's date at least says when they were
reported). Table ``dyads``: one row per unordered
pair: ``a, b, kinds, first_date, last_date, events, dated_events, docs, docs_dedup,
evidence``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

import pandas as pd

from corpus_tools import gazetteers
from corpus_tools.aliases import by_initials
from corpus_tools.clean import read_lines_file
from corpus_tools.corpus import rows_by_document
from corpus_tools.dates import Anchor, EventDate, dateline_date, dateline_end, sentence_date
from corpus_tools.entities import ORG, PERSON, PLACE
from corpus_tools.paths import DATA_DIR

PARTNERSHIP_COLUMNS = [
    "doc_id", "sent_id", "a", "b", "kind", "a_sector", "b_sector", "date", "date_precision",
    "date_basis", "date_text", "evidence", "resolved_from", "article_date", "article_source",
    "article_title",
]  # fmt: skip
# what a record reports of its article: the documents table's column behind each
ARTICLE_COLUMNS = {"article_date": "date", "article_source": "source", "article_title": "title"}
DYAD_COLUMNS = [
    "a", "b", "kinds", "first_date", "last_date", "events", "dated_events", "docs", "docs_dedup",
    "evidence",
]  # fmt: skip
KINDS = (
    "mou",
    "agreement",
    "joint_institute",
    "alliance_member",
    "meeting",
    "cooperation",
    "other",
)
_LOCATION_BEFORE = re.compile(
    r"\b(?:in|at|from|across|throughout|through|via|around|near|to|into|outside|inside|within)"
    r"(?: the)?\s*$",
    re.IGNORECASE,
)
_MODIFIER_AFTER = re.compile(r"^(?:-based|['’]s\s+[A-Z])")
_PASSIVE_BY = re.compile(
    r"\b(?:selected|funded|sponsored|approved|supported|awarded|recognized|recognised|named|"
    r"appointed|accredited|honou?red|granted|commissioned|invited|hosted|organi[sz]ed)\b"
    r"[^.;]{0,160}\bby (?:the )?$",
    re.IGNORECASE,
)
_WITH = re.compile(
    r"\b(?:together with|jointly with|along with|with|including|includes?|such as|among|"
    r"join(?:s|ed|ing)?|partners?(?:\s+(?:of|to))?|(?:colleagues|collaborators) (?:at|from))\b",
    re.I,
)
_WITH_PARTNER = re.compile(
    r"(?:together |jointly |along )?with|(?:colleagues|collaborators) (?:at|from)", re.IGNORECASE
)
_FOUNDING = re.compile(
    r"\b(?:found(?:ing|ed)?|establish(?:ing|ed)?|set(?:ting)? up|build(?:ing)?|built|"
    r"launch(?:ing|ed)?|open(?:ing|ed)?|creat(?:ing|ed))\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"\bbetween\b", re.IGNORECASE)
# 'a "Joint Center" of Russia and Turkey', "a joint venture of A and B": its founders follow
_JOINT_OF = re.compile(
    r"\bjoint[- ](?:[\w-]+ ){0,2}?(?:cent(?:er|re)|institute|venture|lab|laboratory|committee|"
    r"commission)s?[\"”']?\s+of\b",
    re.IGNORECASE,
)
_BY = re.compile(
    r"\b(?:(?:co-?)?founded|established|set up|created|launched|initiated|formed|constructed|"
    r"built|signed|inked|sealed|reached|concluded|announced) "
    r"(?:jointly )?(?:(?:in|on|at|last|this|earlier) [^.;]{0,40}?,? )?by\b",
    re.I,
)  # "signed in Beijing, China, by A and B"
_CREATED_HEADS = re.compile(
    r"(?:Institute|Centre|Center|Lab|Laboratory|School|College|Park|Campus|Platform)\b"
)


@dataclass(frozen=True)
class Party:
    """A named party in a sentence: its canonical name, type, sector and offsets in the sentence."""

    entity: str
    type: str
    sector: str
    start: int
    end: int


@dataclass(frozen=True)
class Cue:
    """A partnership cue: its kind, its pattern and the strings that gate the pattern.

    ``triggers`` are lower-case strings one of which every match of the pattern contains; the
    pattern (slow: case-insensitive, searched in every sentence) is tried only on sentences
    holding one of them. No triggers: the pattern is always tried.
    """

    kind: str
    pattern: re.Pattern[str]
    triggers: tuple[str, ...]

    def search(self, sentence: str, lower: str) -> re.Match[str] | None:
        """The first match in ``sentence`` (``lower`` is the sentence in lower case)."""
        if self.triggers and not any(t in lower for t in self.triggers):
            return None
        return self.pattern.search(sentence)


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """The partnership cues of ``data/partnership_cues.csv``, strongest kind first."""
    with open(DATA_DIR / "partnership_cues.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for row in rows:
        if row["kind"] not in KINDS:
            raise ValueError(f"partnership_cues.csv: kind {row['kind']!r} is not one of {KINDS}")
        triggers = tuple(t for t in (row.get("trigger") or "").split("|") if t)
        if any(t != t.lower() for t in triggers):
            raise ValueError(
                f"partnership_cues.csv: triggers of {row['kind']!r} must be lower case"
            )
        found.append(Cue(row["kind"], re.compile(row["pattern"], re.IGNORECASE), triggers))
    return tuple(found)


@lru_cache(maxsize=1)
def anaphora() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """Anaphoric phrases (lower case), their patterns and what they stand for, longest first."""
    with open(DATA_DIR / "anaphora.csv", encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: -len(r["phrase"]))
    return tuple(
        (
            r["phrase"].lower(),
            re.compile(rf"\b{re.escape(r['phrase'])}\b", re.IGNORECASE),
            r["refers_to"],
        )
        for r in rows
    )


@lru_cache(maxsize=1)
def _affiliation() -> re.Pattern[str]:
    roles = "|".join(sorted(_role_words(), key=len, reverse=True))
    return re.compile(
        rf"\b(?P<role>(?:{roles})s?)(?:\s*,|\s+(?:of|at))\s+(?:the\s+)?$", re.IGNORECASE
    )


def _role_words() -> frozenset[str]:
    return frozenset(re.escape(w) for w in read_lines_file(DATA_DIR / "role_words.txt"))


def sentence_kind(sentence: str) -> tuple[str, int] | None:
    """The partnership cue of a sentence: (strongest kind, offset of the earliest cue), or ``None``.

    The kind is the strongest found; subjects are the parties before the earliest cue word
    ("X has cooperated with Y in founding …": cooperated, not founding, splits X from Y). Cue
    words inside rhetoric (``data/rhetoric_cues.csv``: "win-win cooperation", "a joint
    statement", "should further strengthen cooperation") are not cues.
    """
    found = _cues_in(sentence)
    if found:
        masked = _without_rhetoric(sentence)
        if masked != sentence:
            found = _cues_in(masked)
    if not found:
        return None
    kind = found[0][0]
    if kind in ("agreement", "mou") and _is_transaction(sentence):
        kind = "other"
    return kind, min(start for _, start in found)


def _is_transaction(sentence: str) -> bool:
    """An agreement to sell, buy or merge that the sentence does not call a partnership."""
    return bool(_transaction().search(sentence)) and not _PARTNER_WORD.search(sentence)


_PARTNER_WORD = re.compile(
    r"\b(?:partner\w*|co-?operat\w*|collaborat\w*|alliance|joint\w*)\b", re.IGNORECASE
)


@lru_cache(maxsize=1)
def _transaction() -> re.Pattern[str]:
    """Matches "agreed to sell", "agreement to acquire", "merger agreement".

    The words are those of ``data/transaction_words.txt``.
    """
    words = "|".join(sorted(set(read_lines_file(DATA_DIR / "transaction_words.txt"))))
    return re.compile(
        rf"\bagree(?:d|s|ment)?\b[^.;]{{0,80}}?\bto\s+(?:{words})\b"
        rf"|\b(?:{words})\s+(?:agreement|deal|pact)\b",
        re.IGNORECASE,
    )


def _cues_in(sentence: str) -> list[tuple[str, int]]:
    """(kind, offset) of every cue the sentence holds, strongest kind first."""
    lower = sentence.lower()
    gate, within = _triggers()
    present: set[str] = set()
    for found in gate.findall(lower):
        present |= within[found]
    if not present:
        return []  # most sentences: no cue's trigger at all
    return [
        (cue.kind, match.start())
        for cue in cues()
        if (not cue.triggers or present.intersection(cue.triggers))
        and (match := cue.pattern.search(sentence))
    ]


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """Every cue's triggers as one pattern (the longest at each place), and those each holds.

    One ``findall`` over the sentence then tells which cues to try: "jointly" holds both
    "joint" and "join".
    """
    triggers = sorted({t for cue in cues() for t in cue.triggers})
    within = {t: frozenset(o for o in triggers if o in t) for t in triggers}
    return re.compile(_trie_pattern(triggers) or "(?!)"), within


def _trie_pattern(words: Sequence[str]) -> str:
    """A pattern matching the longest of ``words`` at a position, as a trie of their letters.

    ``co(?:-operat|llaborat|operat)`` rather than ``co-operat|collaborat|cooperat``: the
    regular expression engine then reads each letter of a sentence once, not once per word.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + pattern(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        ends_here = "" in node
        body = branches[0] if len(branches) == 1 and not ends_here else f"(?:{'|'.join(branches)})"
        return body + ("?" if ends_here else "")

    return pattern(trie)


@lru_cache(maxsize=1)
def rhetoric() -> tuple[re.Pattern[str], ...]:
    """Phrases whose cue words state no relation (``data/rhetoric_cues.csv``)."""
    with open(DATA_DIR / "rhetoric_cues.csv", encoding="utf-8", newline="") as handle:
        return tuple(re.compile(row["pattern"], re.IGNORECASE) for row in csv.DictReader(handle))


def _without_rhetoric(sentence: str) -> str:
    """The sentence with its rhetoric blanked out (offsets kept)."""
    for pattern in rhetoric():
        sentence = pattern.sub(lambda m: " " * len(m.group(0)), sentence)
    return sentence


_SIGNING = re.compile(r"\b(?:co-?)?sign(?:s|ed|ing)?\b", re.IGNORECASE)
_SPEAKER_FOR = re.compile(
    r"\bspokes(?:man|men|woman|women|person|people)\s+(?:for|of|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _parties(sentence: str, mentions: list[Party], kind: str = "") -> list[Party]:
    """Mentions that can be parties: not places used as locations, not the thing being founded.

    An organization after a job title ("the Dean of the Faculty of Law") is a person's office,
    not a party; but in a membership statement ("X and Y are members of the Z Network") the
    body after "members of" is the party, and so is the body of an officer who signs for it
    ("signed by the Vice-Chancellor of Lincoln University, Dr Andrew West").
    """
    signers_act = kind == "alliance_member" or (
        kind in ("agreement", "mou") and _SIGNING.search(sentence) is not None
    )
    kept = []
    for party in mentions:
        before = sentence[max(0, party.start - 40) : party.start]
        if _located(sentence, party, mentions):
            continue
        if party.type == PLACE and _MODIFIER_AFTER.search(sentence[party.end : party.end + 8]):
            continue  # "Shanghai-based East Center", "Suzhou's Southern Jiangsu Center"
        if _PASSIVE_BY.search(sentence[max(0, party.start - 200) : party.start]):
            continue  # selected / funded by a body: not a partner
        if _SPEAKER_FOR.search(before):
            continue  # "…, a spokesperson for X, said": who speaks, not who signs
        office = _affiliation().search(before) if not signers_act else None
        if office and not (party.type == PLACE and office.group("role").lower().endswith("s")):
            continue  # "Deputy Secretary of X": a person's office, not a party (but "the leaders
            # of Chile, Peru and Kenya" act for their countries)
        if party.type == ORG and _FOUNDING.search(before) and _CREATED_HEADS.search(party.entity):
            continue
        kept.append(party)
    return kept


def _own_place(x: Party, y: Party) -> bool:
    """Whether one party is the other's own place or unit, so the two are no partners.

    "University of Otago" and Otago, "New Zealand Vice-Chancellors' Committee" and New Zealand,
    the "Chinese Foreign Ministry" and China: an organization is not the partner of its own
    city or country (named, or by its adjective of nationality). A body named after the place
    and another ("Forum on China-Africa Cooperation") is not the place's own. Nor is an
    organization the partner of a unit named after it ("Acme University Observatory").
    """
    if x.type == y.type == ORG:  # "Acme University" and its "Acme University Observatory"
        short, long = sorted((x.entity, y.entity), key=len)
        return re.match(rf"{re.escape(short)}\b", long) is not None
    place, org = (x, y) if x.type == PLACE else (y, x)
    if place.type != PLACE or org.type != ORG:
        return False
    for compound, word in _own_place_patterns(place.entity):  # also "Chinese Foreign Ministry"
        if compound.search(org.entity):
            return False
        if word.search(org.entity):
            return True
    return False


@lru_cache(maxsize=65_536)
def _own_place_patterns(place: str) -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """For a place and its adjectives of nationality: "X-Y" compounds, and the word alone."""
    patterns = []
    for word in (place, *_country_adjectives().get(place, ())):
        name = re.escape(word)
        patterns.append((
            re.compile(rf"\b{name}\s?[-–]\s?[A-Z]|[A-Za-z]\s?[-–]\s?{name}\b"),
            re.compile(rf"\b{name}\b"),
        ))  # fmt: skip
    return tuple(patterns)


@lru_cache(maxsize=1)
def _country_adjectives() -> dict[str, tuple[str, ...]]:
    """Country → its adjectives of nationality ("China" → "Chinese")."""
    by_place: dict[str, list[str]] = {}
    for adjective, place in gazetteers.nationality_adjectives().items():
        by_place.setdefault(place, []).append(adjective)
    return {place: tuple(words) for place, words in by_place.items()}


def _located(sentence: str, party: Party, parties: Sequence[Party] = ()) -> bool:
    """Whether a place is where something is ("in Chongqing's Liangjiang New Area"), not a party.

    So is a place listed after such a place ("to travel to Turkey and Syria"), given the
    sentence's ``parties``.
    """
    if party.type != PLACE:
        return False
    before = sentence[max(0, party.start - 40) : party.start]
    if _LOCATION_BEFORE.search(before) and not _delegates_from().search(before):
        return True
    earlier = [p for p in parties if p.end <= party.start]
    return bool(
        earlier
        and earlier[-1].type == PLACE
        and _PLACE_LIST_GAP.fullmatch(sentence[earlier[-1].end : party.start])
        and not _ends_opening_phrase(sentence, earlier[-1].end)
        and _located(sentence, earlier[-1], parties)
    )


def _ends_opening_phrase(sentence: str, at: int) -> bool:
    """Whether the comma at ``at`` closes "Under the agreement signed in Beijing, …"."""
    return (
        sentence.startswith(",", at)
        and "," not in sentence[:at]
        and _OPENING_PHRASE.match(sentence) is not None
    )


@lru_cache(maxsize=1)
def _delegates_from() -> re.Pattern[str]:
    """Matches "ministers from" before a place: those who act for it (``delegate_words.txt``)."""
    words = "|".join(sorted(map(re.escape, read_lines_file(DATA_DIR / "delegate_words.txt"))))
    return re.compile(rf"\b(?:{words})\s+from(?: the)?\s*$", re.IGNORECASE)


_PLACE_LIST_GAP = re.compile(r",?\s+(?:and|or)\s+|,\s+")


def _pairs_in_sentence(
    sentence: str, parties: list[Party], kind: str, cue_at: int, context: _Context
) -> list[tuple[Party, Party]]:
    # "between A, B and C", "founded by A and B": every pair of equal parties (GUIDELINES R6)
    # ('a "Joint Center" of A and B' too)
    between = _BETWEEN.search(sentence, max(cue_at, 0))
    founded_by = _BY.search(sentence)
    for opener in (between, founded_by, _JOINT_OF.search(sentence)):
        if opener:
            listed = _up_to_and(sentence, _listed_after(sentence, parties, opener.end()))
            after = [p for p in parties if p.start > opener.end()]
            if len(listed) >= 2:
                body = _alliance_founded_by(sentence, parties) if opener is founded_by else None
                members = [(f, body) for f in listed] if body is not None else []
                return [*_every_pair(listed), *members]
            if len(after) >= 2:
                return [(after[0], after[1])]
    opening = sentence[: max(cue_at, 0)]
    lead = context.resolve(sentence[:40], opening=True)
    if not lead and _PRONOUN_SUBJECT.match(sentence):
        lead = context.previous_subject()
    before_cue = [p for p in parties if p.start < cue_at]
    subjects, members = _coordinated(_without_people(sentence, context.people), before_cue)
    if lead and any(p.entity == lead[0].entity for p in subjects):
        lead = []  # "The University and AgResearch have formed …": the anaphor is in the group
    subjects = lead or [*_visitor(sentence, before_cue, subjects), *subjects]
    opened = [m for m in _WITH.finditer(sentence) if m.start() >= cue_at]
    withs = [m.end() for m in opened]
    with_at = withs[0] if withs else None
    # "cooperation with X" may leave its subject unsaid; so may "partnerships such as X", but
    # not "28 member states, including X" (the members of a group, no one's partners)
    with_partner = kind != "alliance_member" or any(
        _WITH_PARTNER.fullmatch(m.group(0)) for m in opened
    )
    listed = [p for at in withs for p in _up_to_and(sentence, _listed_after(sentence, parties, at))]
    objects = list({p.entity: p for p in [*members, *listed]}.values())
    if with_at is not None and not objects:
        objects = context.resolve(sentence[with_at : with_at + 40], opening=True, current=parties)
    if not objects and kind == "other":
        objects = _counterparty(sentence, parties)
    if not objects and kind == "agreement" and len(subjects) == 1:
        objects = _client(sentence, parties, cue_at)
    if not subjects and objects and _OPENING_PHRASE.match(sentence):
        subjects, objects = _after_opening_phrase(sentence, parties, objects)
    if not subjects and not objects and _OPENING_PHRASE.match(sentence):
        subjects = _group_after_opening_phrase(sentence, parties, cue_at)
    if not subjects:
        subjects = (
            context.resolve(opening)
            or context.resolve(sentence)
            or (_implicit_subject(sentence, context) if objects and with_partner else [])
        )
    if kind == "alliance_member":
        found = _memberships(sentence, parties, cue_at, subjects)
        if found:
            return found
    body = _founded_body(sentence, parties)
    founders = [s for s in subjects if body is not None and s.entity != body.entity]
    if body is not None and len(founders) >= 2:
        # the founders of an alliance or network are its members (GUIDELINES R11)
        return [*_every_pair(founders), *((f, body) for f in founders)]
    if subjects and objects:
        subject_names = {s.entity for s in subjects}
        objects = [o for o in objects if o.entity not in subject_names]
        return [(s, o) for s in subjects for o in objects]
    return _every_pair(subjects) if len(subjects) >= 2 else []


_BODY_SECTORS = ("association", "other", "")  # alliances, networks; "… Organization"; "BRICS"
_MEMBERS_FOLLOW = re.compile(
    r"[:–—]|\b(?:including|such as|includes?|namely|brings? together|brought together|"
    r"compris(?:es|ing|ed)?|consist(?:s|ing|ed)? of|(?:is|was) made up of|members? (?:are|were))\b",
    re.IGNORECASE,
)
_MEMBERS_NAMED = re.compile(
    r"\s*(?:[,:(–—-]\s*)?(?:(?:including|such as|namely|like)\s+)?(?:the\s+)?"
)
_MEMBER_STATES = re.compile(r"(?:['’]s)?\s+member (?:states?|countries|nations|economies)\b")
# what names a body's members right after the body: "BRICS members A and B", "the BRICS
# countries, A, B and C", "ASEAN (A, B, C)", "BRICS, which groups A, B and C"
_SPEAKS = re.compile(r"\s+(?:said|says|told|added|announced|stated)\b")
_MEMBER_WORDS = (
    r"(?:(?:full|founding|new|fellow|other)\s+)?(?:member (?:states?|countries|nations|"
    r"economies)|members?|countries|nations|economies)\b"
)
_MEMBERS_AFTER_BODY = re.compile(
    # "BRICS members A", "the SCO's five member states are A", "Z now has five full members: A"
    rf"(?:['’]s)?\s+(?:(?:now|currently)\s+)?(?:(?:has|had)\s+)?(?:(?:\d+|[a-z]+)\s+)?"
    rf"{_MEMBER_WORDS}(?:\s+(?:are|were|include|included)\b)?"
    # "Z, which groups A", "Z groups A", "Z, made up of A", "Z, whose member states are A"
    r"|\s*,?\s+(?:(?:which|that)\s+)?(?:now\s+)?(?:groups|unites|gathers|comprises|"
    r"brings together|consists of|is made up of)\b"
    r"|\s*,?\s+(?:which|that)\s+(?:now\s+)?includes\b"
    r"|\s*,\s+(?:made up of|comprising|consisting of|grouping|uniting|bringing together)\b"
    rf"|\s*,?\s+whose\s+(?:\w+\s+)?{_MEMBER_WORDS}\s+(?:are|were|include|included)\b"
    # "cooperation with Z and its member states A and B"
    rf"|\s+and\s+its\s+(?:\w+\s+)?{_MEMBER_WORDS}"
    r"|(?=\s*\()",
)
# "Members of the Z Organization are A and B", "the member countries of Z – A, B and C –"
_MEMBERS_BEFORE_BODY = re.compile(
    r"\b(?:[Tt]he\s+)?(?:[Mm]embers|[Mm]ember (?:states|countries|nations|economies)) of"
    r"\s+(?:the\s+)?$"
)
_MEMBERS_ARE = re.compile(r"\s+(?:are|were|include|included)\b|(?=\s*[–—-]\s)")


_FOUNDING_VERB = re.compile(
    r"\b(?:found(?:ed|s)?|co-?found(?:ed|s)?|establish(?:ed|es)?|set up|launch(?:ed|es)?|"
    r"creat(?:ed|es)|form(?:ed|s)?|initiat(?:ed|es))\s+(?:jointly\s+)?(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)


_BODY_WORDS = re.compile(r"\b(?:Alliance|Consortium|Network|League|Federation|Coalition)\b")


def _is_body(party: Party) -> bool:
    """Whether a party is an alliance, network or association, which has members."""
    return party.type == ORG and (
        party.sector == "association" or _BODY_WORDS.search(party.entity) is not None
    )


def _alliance_founded_by(sentence: str, parties: list[Party]) -> Party | None:
    """The alliance a sentence says others founded, whose founders are its members (R11).

    "The Z Alliance, launched by A and B": Z. The nearest alliance before "launched by".
    """
    founded_by = _BY.search(sentence)
    if founded_by is None:
        return None
    bodies = [p for p in parties if p.end <= founded_by.start() and _is_body(p)]
    return bodies[-1] if bodies else None


def _founded_body(sentence: str, parties: list[Party]) -> Party | None:
    """The alliance or network a sentence says is being founded, if any.

    An association right after a founding verb: "jointly launched the Z Alliance".
    """
    for party in parties:
        before = sentence[max(0, party.start - 40) : party.start]
        if _is_body(party) and _FOUNDING_VERB.search(before):
            return party
    return None


def _membership_cue(sentence: str) -> re.Match[str] | None:
    """The first match of the membership cue (``alliance_member``) in a sentence."""
    lower = sentence.lower()
    for cue in cues():
        if cue.kind == "alliance_member":
            return cue.search(sentence, lower)
    return None


def _memberships(
    sentence: str, parties: list[Party], cue_at: int, subjects: list[Party]
) -> list[tuple[Party, Party]]:
    """(member, body) pairs of a membership statement (GUIDELINES R11).

    "A, B and C are members of the Z Network" → each of A, B, C with Z; "joined the Z Network
    later: A, B and C" → the members are listed after the body; "SCO member states A and B" →
    the body comes right before "member states".
    """
    for body in parties:
        if body.type == ORG and _MEMBER_STATES.match(sentence, body.end):
            return _member_list(sentence, parties)
    cue = _membership_cue(sentence)
    bodies = [  # a body within the membership words ("members of the Z Network", "join Z, a …")
        o for o in parties
        if cue is not None and cue.start() <= o.start <= cue.end()
        and o.type == ORG and o.sector in _BODY_SECTORS
    ]  # fmt: skip
    if cue is not None:  # the name the words end in first ("the EU-funded Z Consortium")
        bodies.sort(key=lambda o: not o.start < cue.end() <= o.end + 1)
    if not bodies:
        # "The Z Alliance, which brings together A, B and C, …": the body is the subject
        bodies = [s for s in subjects if s.type == ORG and s.sector == "association"][:1]
        subjects = []
    if not bodies:
        return []
    body = bodies[0]
    members = [s for s in subjects if s.entity != body.entity]
    introduced = _MEMBERS_FOLLOW.search(sentence, body.end, body.end + 60)
    if not members and introduced:
        members = _listed_after(sentence, parties, introduced.end())
    return [(member, body) for member in members if member not in bodies]


def _member_list(sentence: str, parties: list[Party]) -> list[tuple[Party, Party]]:
    """(member, body) pairs of a body named with its members, in any sentence (GUIDELINES R11).

    "BRICS members Brazil and India", "the five BRICS countries, Brazil, Russia, India, China
    and South Africa", "ASEAN (Laos, Vietnam)", "BRICS, which groups A and B", "Members of the
    Z Organization are A and B": the members are named right after (not "NATO member states
    could impose sanctions on China and Russia"). The body is a bloc, alliance or organization
    without a sector of its own (a company's "members" are its staff).
    """
    found = []
    for body in parties:
        if body.type != ORG or (body.sector not in _BODY_SECTORS and not _is_body(body)):
            continue
        if sentence[max(0, body.start - 4) : body.start].lower().endswith("non-"):
            continue  # "non-OPEC member Norway"
        words = _MEMBERS_AFTER_BODY.match(sentence, body.end)
        if words is None and _MEMBERS_BEFORE_BODY.search(sentence, 0, body.start):
            words = _MEMBERS_ARE.match(sentence, body.end)
        if words is None:
            continue
        named = _MEMBERS_NAMED.match(sentence, words.end())
        listed = _up_to_and(sentence, _listed_after(sentence, parties, named.end()))
        if not listed or listed[0].start != named.end():
            continue
        if not words.group(0).strip() and len(listed) < 2:
            continue  # "ASEAN (Laos)": a gloss, not a list of members
        if len(listed) == 1 and _SPEAKS.match(sentence, listed[0].end):
            continue  # "The Z Network has three new members, Chile said": a speaker
        found += [(member, body) for member in listed if member.entity != body.entity]
    return found


# "A and the city of B", "A and the province of B": the place itself is the party
_GOVERNMENT_OF = r"\b(?:city|province|county|district|prefecture|region|municipality|town) of\b"
_LIST_GAP = re.compile(
    r"^\s*(?:,|;|:|–|—|-|&|\([^()]{1,12}\)|\band\b|\bor\b|\bas well as\b|\bincluding\b|"
    rf"\bsuch as\b|\bthe\b|{_GOVERNMENT_OF}|\b(?:in|of) [A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*|\s)*$",
)
_FIRST_OBJECT_WITHIN = 120


# "A and B", "A, the B", "A (UC) and B", "A authorities and B": one subject group; so is "A
# said it and B" (wire style), "A, along with B, …"
_STRICT_GAP = re.compile(
    r"^\s*(?:,|&|[()]|\band\b|\bthe\b|\([^()]{1,12}\)|\b(?:said|says) (?:that )?it\b|"
    r"\b(?:along|together) with\b|"
    rf"\b(?:authorities|government|officials|administration)\b|{_GOVERNMENT_OF}|\s)*$",
    re.IGNORECASE,
)
_INTRODUCES_MEMBERS = re.compile(r"\b(?:including|such as|like|among them|notably)\b", re.I)
RECENT_SENTENCES = 3  # "the two sides": the parties most named in the last three sentences


_AND = re.compile(r"\b(?:and|as well as)\b|&")


def _up_to_and(sentence: str, listed: list[Party]) -> list[Party]:
    """A list up to its item after "and": "A, B and C, D Institute founded by …" → A, B, C."""
    for i in range(1, len(listed)):
        if _AND.search(sentence, listed[i - 1].end, listed[i].start):
            return listed[: i + 1]
    return listed


def _counterparty(sentence: str, parties: list[Party]) -> list[Party]:
    """The other side of a sale or purchase: "agreed to sell its stake in C to D" → [D].

    The first party after "to" or "from" that follows the transaction's verb; the thing sold
    ("its stake in C") comes before it.
    """
    deal = _transaction().search(sentence)
    if deal is None:
        return []
    for party in parties:
        if party.start > deal.end() and _SIDE.search(sentence, deal.end(), party.start):
            return [party]
    return []


_SIDE = re.compile(r"\b(?:to|from)\s+(?:the\s+)?[<\"“]?$")  # "… to <Tarn Capital Corp>"


def _client(sentence: str, parties: list[Party], cue_at: int) -> list[Party]:
    """The other side of a contract made "for" an organization.

    "A said it signed a contract to build a plant for B", "A reached an agreement for B to
    study …": B, the first organization after "for" within the clause of the cue, in a
    sentence that says the contract was made (signed, reached, won, entered into …; not
    "approve the treaty … for B"), and not a possessive ("an agreement for B's assets").
    """
    if not _MADE.search(sentence):
        return []
    for party in parties:
        if party.start <= cue_at or party.type != "ORG":
            continue
        gap = sentence[cue_at : party.start]
        if ";" in gap or len(gap) > _FIRST_OBJECT_WITHIN:
            return []
        if (
            _FOR_CLIENT.search(gap)
            and not _NOT_CLIENT.search(gap)
            and not _POSSESSIVE.match(sentence, party.end)
        ):
            return [party]
    return []


_FOR_CLIENT = re.compile(r"\bfor\s+(?:the\s+)?[<\"“]?$")
_MADE = re.compile(
    r"\b(?:sign(?:s|ed|ing)?|reach(?:es|ed|ing)?|secur(?:e|es|ed|ing)|won|win(?:s|ning)?|"
    r"award(?:s|ed|ing)?|enter(?:s|ed|ing)?|conclud(?:e|es|ed|ing)|ink(?:s|ed|ing)?|"
    r"finali[sz](?:e|es|ed|ing)|agreed)\b",
    re.IGNORECASE,
)
# "the agreement calls for B to pay", "its bid for B", "a lawyer for B", "meet for B": B is
# no client (nor is the body a spokesperson speaks for: no party at all, see _SPEAKER_FOR)
_NOT_CLIENT = re.compile(
    r"\b(?:calls?|called|calling|bids?|offers?|proposals?|tenders?|prices?|move|plans?|meet|met|"
    r"lawyers?|attorneys?|counsel|advis[eo]rs?)\s+for\b[^,;]*$",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?\b")


def _after_opening_phrase(
    sentence: str, parties: list[Party], objects: list[Party]
) -> tuple[list[Party], list[Party]]:
    """(subjects, objects) of "Under the agreement with B, A will supply …".

    The subject follows the opening phrase's partners; "with B, A will" holds no "and", so A
    is no second partner.
    """
    if len(objects) >= 2 and not _AND.search(sentence, objects[0].end, objects[-1].start):
        return objects[-1:], objects[:-1]
    after = [p for p in parties if p.start > objects[-1].end]
    if after and "," in sentence[objects[-1].end : after[0].start]:
        return after[:1], objects
    return [], objects


def _group_after_opening_phrase(sentence: str, parties: list[Party], cue_at: int) -> list[Party]:
    """The parties that open the clause after "Under the agreement signed in Beijing, …".

    The cue is in the opening phrase; "A and B" right after its comma are the parties.
    """
    comma = sentence.find(",", max(cue_at, 0))
    after = [p for p in parties if p.start > comma] if comma != -1 else []
    if not after or sentence[comma + 1 : after[0].start].strip(" ") not in ("", "the"):
        return []
    group = after[:1]
    for party in after[1:]:
        if not _STRICT_GAP.match(sentence[group[-1].end : party.start]):
            break
        group.append(party)
    return group if len(group) >= 2 else []


def _implicit_subject(sentence: str, context: _Context) -> list[Party]:
    """The document's main party as the unnamed subject of "cooperation with X".

    The organization or country the document names most (not a region or a city: "the
    Pacific" a release is about cooperates with no one). Not when a person or pronoun acts
    ("She has ties with China"), unless the person works with "colleagues at" another body: a
    press release's researcher speaks for its issuer, the organization the release names most.
    """
    if _COLLEAGUES.search(sentence):
        return context.main("type:ORG")
    return [] if context.person_acts else context.main("actor")


_COLLEAGUES = re.compile(r"\b(?:colleagues|collaborators) (?:at|from)\b", re.IGNORECASE)


_VISITED = re.compile(
    r"\s+(?:(?:also|has|had|have|recently|first)\s+)?(?:visited|met(?: with)?|hosted|received|"
    r"welcomed)\s+(?:the\s+)?",
    re.IGNORECASE,
)


def _visitor(sentence: str, parties: list[Party], group: list[Party]) -> list[Party]:
    """The party that visited or met the subject group right before the cue, if any.

    "A delegation from Chengdu visited Acme University and signed an agreement": Chengdu and
    Acme University both sign.
    """
    if len(group) != 1 or group[0] not in parties:
        return []
    at = parties.index(group[0])
    if at == 0 or not _VISITED.fullmatch(sentence, parties[at - 1].end, group[0].start):
        return []
    return [parties[at - 1]]


def _every_pair(parties: list[Party]) -> list[tuple[Party, Party]]:
    """Every pair of distinct parties, in order of mention."""
    unique = list({p.entity: p for p in parties}.values())
    return [(x, y) for i, x in enumerate(unique) for y in unique[i + 1 :]]


def _coordinated(sentence: str, parties: list[Party]) -> tuple[list[Party], list[Party]]:
    """The subject group nearest the cue, and members it introduces.

    "Shanghai and Suzhou sealed …" → ([Shanghai, Suzhou], []); "China and countries including
    Laos, Cambodia … reached agreements" → ([China], [Laos, Cambodia, …]).
    """
    if not parties:
        return [], []
    group = [parties[-1]]
    for party in reversed(parties[:-1]):
        gap = sentence[party.end : group[0].start]
        if not (_STRICT_GAP.match(gap) or _SIGNER_GAP.match(gap)):
            break
        group.insert(0, party)
    rest = parties[: len(parties) - len(group)]
    if rest and _INTRODUCES_MEMBERS.search(sentence[rest[-1].end : group[0].start]):
        head, _ = _coordinated(sentence, rest)
        return head, group
    return group, []


# "UC's Vice-Chancellor Dr ▒▒▒ and Lincoln University …", "Acme Provost ▒▒▒ and Beta …": the
# people who sign for two bodies (▒: a person's name, see _without_people)
_SIGNER_GAP = re.compile(
    r"^(?:['’]s)?\s+(?:(?:[A-Z][\w’'.-]*|of|the)\s+)*\x00+,?\s+(?:and\s+|,\s*)(?:the\s+)?$"
)


def _without_people(sentence: str, people: Sequence[tuple[int, int]]) -> str:
    """The sentence with the people it names blanked out (offsets kept)."""
    for start, end in people:
        sentence = sentence[:start] + "\x00" * (end - start) + sentence[end:]
    return sentence


def _listed_after(sentence: str, parties: list[Party], at: int) -> list[Party]:
    """The parties listed right after ``at`` ("with A, B and C").

    The first must come close after ``at``; the others follow it separated only by commas,
    "and", "including" and the like.
    """
    after = [p for p in parties if p.start >= at]
    if not after or after[0].start - at > _FIRST_OBJECT_WITHIN:
        return []
    listed = [after[0]]
    for party in after[1:]:
        if not _LIST_GAP.match(sentence[listed[-1].end : party.start]):
            break
        listed.append(party)
    return listed


# "It also signed an MOU with B": the pronoun is the subject of the sentence before
_PRONOUN_SUBJECT = re.compile(
    r"\s*It\s+(?:(?:also|has|had|will|would|then|later|recently|now|already|is to)\s+)*"
    r"(?:signed|sign|agreed|joined|formed|set up|established|launched|inked|reached|entered|"
    r"teamed|partnered|co-?operated|collaborated|struck|sealed|concluded|won|clinched|secured)\b"
)
_PERSONAL = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|[Yy]ou|[Hh]is|[Hh]er|[Tt]heir)\b")
_OPENING_PHRASE = re.compile(r"\W*(?:Under|Through|As part of|In|With|Following|After|Via)\b")
_NAME_GOES_ON = re.compile(r"\s+(?:of\s|for\s|[A-Z])")


class _Context:
    """What anaphors in a document can point to: the parties named so far."""

    def __init__(self) -> None:
        self.seen: list[Party] = []
        self.recent: deque[list[Party]] = deque(maxlen=RECENT_SENTENCES)
        self.counts: Counter[str] = Counter()
        self.last_pair: list[Party] = []  # the one pair of a recent sentence's records
        self.since_pair = 0  # sentences noted since then
        # what the anaphors of the sentence being read resolved to: entity → the words
        self.resolved: dict[str, str] = {}
        # whether a person or a personal pronoun comes before the cue of the sentence being
        # read ("Rehman has strong ties with China"): then the document's main party is not
        # the implicit subject
        self.person_acts = False
        self.people: list[tuple[int, int]] = []  # the people the sentence names: offsets

    def note(self, parties: list[Party], pairs: Sequence[tuple[Party, Party]] = ()) -> None:
        """Remember a sentence's parties, and its pair when it gave records for exactly one."""
        self.seen.extend(parties)
        self.counts.update(p.entity for p in parties)
        self.recent.append(parties)
        self.since_pair += 1
        if len(pairs) == 1:
            self.last_pair, self.since_pair = list(pairs[0]), 0

    def previous_subject(self) -> list[Party]:
        """What a sentence-opening "It" stands for: the first party of the sentence before."""
        for parties in list(self.recent)[::-1][:2]:
            if parties:
                return self._noted([parties[0]], "It")
        return []

    def pair(self, kind: str = "") -> list[Party]:
        """What "the two sides" ("the two countries": ``kind`` "type:PLACE") stands for.

        The pair of a partnership stated in the last sentences, else the two most salient
        parties, of that kind when one is given.
        """
        recent = self.last_pair and self.since_pair <= RECENT_SENTENCES
        if recent and all(_is_kind(p, kind) for p in self.last_pair):
            return self.last_pair
        return self.salient(2, kind)

    def salient(self, count: int, kind: str = "") -> list[Party]:
        """The ``count`` most salient parties: most named in the last sentences, then overall.

        ``kind`` ("type:PLACE", "sector:university"; empty: any) keeps parties of that kind.
        """
        recent: Counter[str] = Counter(p.entity for sentence in self.recent for p in sentence)
        latest = {p.entity: p for p in self.seen}
        names = [name for name in self.counts if _is_kind(latest[name], kind)]
        ranked = sorted(
            names, key=lambda name: (-(recent[name] + 0.1 * self.counts[name]), name)
        )[:count]
        chosen = [latest[name] for name in ranked]
        return chosen if len(chosen) == count else []

    def main(self, kind: str = "") -> list[Party]:
        """The document's most named party so far (the implicit subject of "cooperation with X").

        ``kind`` ("type:ORG") keeps parties of that kind.
        """
        latest = {p.entity: p for p in self.seen}
        ranked = [(n, c) for n, c in self.counts.most_common() if _is_kind(latest[n], kind)]
        if not ranked:
            return []
        name, count = ranked[0]
        if count < 2:
            return []
        self.resolved.setdefault(name, "(the document's most named party)")
        return [next(p for p in reversed(self.seen) if p.entity == name)]

    def resolve(
        self,
        text: str,
        *,
        opening: bool = False,
        current: list[Party] | None = None,
    ) -> list[Party]:
        """The parties an anaphor in ``text`` stands for (with ``opening``: only at its start)."""
        seen = self.seen + list(current or [])
        lower = text.lower()
        for phrase, pattern, target in anaphora():
            if phrase not in lower:
                continue  # a substring test first: most sentences hold no anaphor
            match = pattern.search(text)
            if not match or (opening and text[: match.start()].strip(" ,\"“'")):
                continue
            if _NAME_GOES_ON.match(text, match.end()):
                continue  # "The University of Canterbury" is a name, not "the university"
            if target == "pair" or target.startswith("pair:"):
                kind = target.partition(":")[2]
                return self._noted(self.pair(kind), match.group(0))
            field, _, value = target.partition(":")
            fits = [
                p for p in reversed(seen)
                if (p.sector if field == "sector" else p.type if field == "type" else None) == value
            ]  # fmt: skip
            # "the university": the last University named, before a School of the same sector
            head = phrase.split()[-1]
            named = [p for p in fits if head in p.entity.lower()]
            if named or fits:
                return self._noted([(named or fits)[0]], match.group(0))
        return []

    def _noted(self, parties: list[Party], words: str) -> list[Party]:
        for party in parties:
            self.resolved.setdefault(party.entity, words)
        return parties


# where an anaphor of one party stands as a party: "between the University and B", "the
# University and B have formed", "B and the University", "with the company"
_ANAPHOR_SLOT_BEFORE = re.compile(r"(?:^\W*|\b(?:between|and|with|&)\s+)$", re.IGNORECASE)
_ANAPHOR_SLOT_AFTER = re.compile(r"\s+(?:and|&)\s", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\s+")


def _with_anaphors(sentence: str, parties: list[Party], context: _Context) -> list[Party]:
    """The parties, with the one-party anaphors of the sentence resolved in their place.

    "The University and AgResearch have formed a joint venture", "a joint venture between the
    University and GNS Science": "the University" is the last university named before, and
    takes part in the sentence's pairs like a name ("with the local government" after "Tongnan
    district's industries": Tongnan). Only anaphors that open the sentence or
    stand beside "and", "between" or "with" count ("the centre of the city" names no party).
    """
    lower = sentence.lower()
    found = []
    for phrase, pattern, target in anaphora():
        if target.startswith("pair") or phrase not in lower:
            continue
        for match in pattern.finditer(sentence):
            if _NAME_GOES_ON.match(sentence, match.end()) or any(
                p.start <= match.start() < p.end for p in [*parties, *found]
            ):
                continue
            if not (
                _ANAPHOR_SLOT_BEFORE.search(sentence, 0, match.start())
                or _ANAPHOR_SLOT_AFTER.match(sentence, match.end())
            ):
                continue
            unit = _POSSESSIVE.match(sentence, match.end())
            if unit and any(p.start == unit.end() for p in parties):
                continue  # "the University's Department of Geography": the unit acts (R9)
            earlier = [p for p in parties if p.end <= match.start()]
            for party in context.resolve(match.group(0), current=earlier):
                found.append(replace(party, start=match.start(), end=match.end()))
    return sorted([*parties, *found], key=lambda p: p.start) if found else parties


def _is_kind(party: Party, kind: str) -> bool:
    """Whether a party is of ``kind``: "type:PLACE", "sector:university", "country", or "".

    "actor" is an organization or a country; "" is any party.
    """
    if kind == "country":  # "the two countries": not a region or a city
        return party.type == PLACE and party.entity in gazetteers.countries()
    if kind == "actor":
        return party.type == ORG or _is_kind(party, "country")
    field, _, value = kind.partition(":")
    return not kind or (party.type if field == "type" else party.sector) == value


# sent_id, start (in the document), text
SentenceRow = tuple[int, int, str]
# sent_id, start, end (in the document), surface, entity, type, sector
MentionRow = tuple[int, int, int, str, str, str, str]


def document_partnerships(
    doc_id: str,
    sentences: list[SentenceRow],
    mentions: list[MentionRow],
    anchor: Anchor,
) -> list[dict[str, object]]:
    """The partnership records of one document.

    Args:
        doc_id: The document.
        sentences: Its sentences as ``(sent_id, start, text)``, in order.
        mentions: Its resolved mentions as ``(sent_id, start, end, surface, entity, type,
            sector)`` (offsets into the document).
        anchor: Its publication date or stated year.
    """
    by_sentence: dict[int, list[Party]] = {}
    people: dict[int, list[tuple[int, int]]] = {}  # where each sentence names a person
    surfaces: dict[str, Party] = {}
    for sent_id, start, end, surface, entity, kind, sector in mentions:
        if kind == PERSON:
            people.setdefault(sent_id, []).append((start, end))
        if kind in (ORG, PLACE):
            by_sentence.setdefault(sent_id, []).append(
                Party(entity, kind, sector or "", start, end)
            )
            surfaces[surface] = Party(entity, kind, sector or "", 0, 0)
    meetings = _MeetingNames(surfaces)
    context = _Context()
    dateline = dateline_date(sentences[0][2], anchor) if sentences else None
    out = _Records(doc_id)
    for index, (sent_id, start, text) in enumerate(sentences):
        after_dateline = dateline_end(text)  # "BEIJING, Nov. 12 (Xinhua) --" names no party
        mentioned = [
            Party(p.entity, p.type, p.sector, p.start - start, p.end - start)
            for p in by_sentence.get(sent_id, [])
            if p.start - start >= after_dateline
        ]
        named = meetings.find(text)
        _add_named_relations(out, sent_id, text, mentioned, named, anchor, dateline)
        pairs: list[tuple[Party, Party]] = []
        found = sentence_kind(_without_cue_words_in_names(text, mentioned))
        if found is not None:
            context.resolved = {}
            context.people = [(s - start, e - start) for s, e in people.get(sent_id, [])]
            context.person_acts = _PERSONAL.search(text, 0, found[1]) is not None or any(
                at < found[1] for at, _ in context.people
            )
            following = sentences[index + 1][2] if index + 1 < len(sentences) else None
            pairs = _add_stated_relations(
                out, sent_id, text, mentioned, found, context, anchor, dateline, following
            )
        context.note(mentioned, [*pairs, *named])
    return _without_undated_echoes(out.records)


_NAME_CUE_WORDS = re.compile(
    r"\b(?:partner\w*|co-?operat\w*|collaborat\w*|agreements?|accords?|pacts?|memorand\w*)\b",
    re.IGNORECASE,
)


def _without_cue_words_in_names(sentence: str, parties: list[Party]) -> str:
    """The sentence with cue words inside names blanked out (offsets kept).

    "Snyder Oil Partners LP said it acquired …", "complained to the General Agreement on
    Tariffs and Trade": a name holding "Partners" or "Agreement" states no relation. Joint
    institutes ("Joint Research Center") and alliances keep their names' words.
    """
    for party in parties:
        name = sentence[party.start : party.end]
        if _NAME_CUE_WORDS.search(name):
            blanked = _NAME_CUE_WORDS.sub(lambda m: " " * len(m.group(0)), name)
            sentence = sentence[: party.start] + blanked + sentence[party.end :]
    return sentence


class _Records:
    """The records of one document, each (pair, kind, date) once."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.records: list[dict[str, object]] = []
        self.seen: set[tuple[str, str, str, str]] = set()

    def add(
        self,
        sent_id: int,
        pair: tuple[Party, Party],
        kind: str,
        date: EventDate | None,
        text: str,
        resolved: dict[str, str] | None = None,
        again: bool = False,
    ) -> None:
        """Record a pair, unless that pair, kind and date are recorded (``again``: anyway)."""
        a, b = sorted(pair, key=lambda p: p.entity)
        key = (a.entity, b.entity, kind, date.iso if date else "")
        if key in self.seen and not again:
            return
        self.seen.add(key)
        self.records.append(_record(self.doc_id, sent_id, a, b, kind, date, text, resolved))


def _add_named_relations(
    out: _Records,
    sent_id: int,
    text: str,
    mentioned: list[Party],
    meetings: list[tuple[Party, Party]],
    anchor: Anchor,
    dateline: EventDate | None,
) -> None:
    """Relations a sentence names rather than states.

    "China-Rwanda cooperation", joint organisers, a body named with its members ("BRICS
    members Brazil and India"), and meetings named after their parties ("ZJU-Haining …
    Meeting").
    """
    named = [*_joint_name_pairs(text, mentioned)] if "-" in text or "–" in text else []
    named += [(x, y, "cooperation") for x, y in _co_organisers(text, mentioned)]
    for x, y, kind in named:
        out.add(sent_id, (x, y), kind, _relation_date(text, kind, anchor, dateline), text)
    # a body named with its members states who belongs, not when they joined: the sentence's
    # date is another event's ("Founded in 1967, ASEAN groups A, B and C"; GUIDELINES D-rules)
    for x, y in _member_list(text, mentioned):
        out.add(sent_id, (x, y), "alliance_member", None, text)
    if meetings:
        date = sentence_date(text, anchor)
        for pair in meetings:
            out.add(sent_id, pair, "meeting", date, text, again=True)


def _add_stated_relations(
    out: _Records,
    sent_id: int,
    text: str,
    mentioned: list[Party],
    found: tuple[str, int],
    context: _Context,
    anchor: Anchor,
    dateline: EventDate | None,
    following: str | None,
) -> list[tuple[Party, Party]]:
    """The records of a sentence with a partnership cue (``found``: its kind and offset).

    Dated by the sentence, else by the ``following`` sentence when it goes on about the same
    instrument. Returns the pairs, which the context remembers.
    """
    kind, cue_at = found
    parties = _with_anaphors(text, _parties(text, mentioned, kind), context)
    pairs = [
        (x, y)
        for x, y in _pairs_in_sentence(text, parties, kind, cue_at, context)
        if x.entity != y.entity and not _own_place(x, y)
    ]
    date = _relation_date(text, kind, anchor, dateline)
    if pairs and (date is None or not date.iso) and following is not None:
        date = _date_of_next_sentence(following, anchor) or date
    body = _founded_body(text, parties) or _alliance_founded_by(text, parties)
    for x, y in pairs:
        # a founder of an alliance is its member; its co-founders work together
        of_body = body is not None and body.entity in (x.entity, y.entity)
        pair_kind = "alliance_member" if of_body else kind
        # "A and B are members of Z", "Z groups A and B": who belongs, with no start stated
        stated = pair_kind != "alliance_member" or _JOINING.search(text, _opening_of_body(text))
        out.add(sent_id, (x, y), pair_kind, date if stated else None, text, context.resolved)
    return pairs


def _opening_of_body(sentence: str) -> int:
    """Where a sentence goes on after an opening that describes its subject body.

    "Founded in 1967, ASEAN groups A and B": the founding is the body's, not its members'.
    """
    match = _BODY_OPENING.match(sentence)
    return match.end() if match else 0


_BODY_OPENING = re.compile(
    r"\W*(?:Founded|Established|Formed|Created|Launched|Set up)\s+(?:in|on)\b[^,;]{0,40},"
)
# a membership that happens (joining, being admitted, founding the body) or whose start is
# stated ("members since 2001")
_JOINING = re.compile(
    r"\b(?:since|join(?:s|ed|ing)?|bec(?:a|o)me|admit(?:s|ted)?|accession|acceded|(?:co-?)?found\w*|"
    r"launch\w*|set up|establish\w*|initiat\w*|form(?:ed|s)?|creat\w*)\b",
    re.IGNORECASE,
)


# "Under the agreement, …", "The deal could …": a sentence about an instrument already named
_ECHO = re.compile(
    r"\b(?:the|this|that|its|their)\s+(?:\w+\s+){0,2}?(?:agreements?|accords?|MOUs?|memorandum|"
    r"deals?|pacts?|contracts?|treaty|protocol)\b|\b(?:could|would|might|may)\b",
    re.IGNORECASE,
)


def _without_undated_echoes(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """The records without undated ones that only echo a dated record of the same pair.

    "Acme and Beta signed an MOU on 3 May. Under the agreement, the two parties will …" is
    one relation (GUIDELINES R5): the second sentence adds no record of its own. An undated
    record that states a relation of its own ("have worked together for years") stays.
    """
    dated = {(r["a"], r["b"]) for r in records if r["date"]}
    return [
        r for r in records
        if r["date"] or (r["a"], r["b"]) not in dated or not _ECHO.search(str(r["evidence"]))
    ]  # fmt: skip


_ANNIVERSARY = re.compile(r"\banniversar(?:y|ies)\b", re.IGNORECASE)


def _relation_date(
    sentence: str, kind: str, anchor: Anchor, dateline: EventDate | None = None
) -> EventDate | None:
    """The date of a relation a sentence states (:func:`~corpus_tools.dates.sentence_date`).

    A cooperation spoken of at its anniversary ("marked the 20th anniversary of their
    partnership this year") is dated by the celebration, not by the relation: it stays
    undated, its words kept. A signing at an anniversary keeps its date. A completed relation
    a wire story reports ("said it signed", "has joined") with no date of its own takes the
    story's ``dateline`` date (GUIDELINES D7); a planned one does not (D8), nor does the
    dateline within the sentence date it.
    """
    date = sentence_date(sentence[dateline_end(sentence) :], anchor)
    if date is not None and kind == "cooperation" and _ANNIVERSARY.search(sentence):
        return EventDate("", "", "unknown", date.text)
    done = _COMPLETED.search(sentence)
    if (
        dateline is not None
        and (date is None or not date.iso)
        and done is not None
        and not _UNSETTLED.search(sentence, 0, done.start())  # not "plans to form"
    ):
        return dateline
    return date


# a sentence that goes on about the instrument just named: "The signing took place on 9 March."
# ("… signed the agreement at the campus yesterday.")
_SAME_INSTRUMENT = re.compile(
    r"^\W*(?:The|This|That|Its|Their)\s+(?:\w+\s+){0,2}?(?:signing|agreements?|accords?|MOUs?|"
    r"memorandum|deals?|pacts?|contracts?|treaty|protocol|ceremony|partnership)\b"
    r"|\b(?:signed|inked|sealed)\s+(?:the|this)\s+(?:\w+\s+){0,2}?(?:agreements?|accords?|MOUs?|"
    r"memorandum|deals?|pacts?|contracts?|treaty|protocol)\b",
    re.IGNORECASE,
)


def _date_of_next_sentence(sentence: str, anchor: Anchor) -> EventDate | None:
    """The date of the instrument the next sentence goes on about (GUIDELINES D9), if any."""
    if not _SAME_INSTRUMENT.search(sentence):
        return None
    date = sentence_date(sentence, anchor)
    return date if date is not None and date.iso else None


# a relation reported as done ("said it signed", "has joined", "have formed")
_COMPLETED = re.compile(
    r"\b(?:signed|agreed|joined|formed|reached|concluded|sealed|inked|entered into|"
    r"set up|established|launched|struck|won|awarded)\b",
    re.IGNORECASE,
)
# planned, hoped-for or still negotiated: not a relation the story reports as done (wider
# than the tense test of :mod:`corpus_tools.dates`, which only picks the next or last weekday)
_UNSETTLED = re.compile(
    r"\b(?:will|would|shall|plans?|planned|intends?|is to|are to|expects?|expected|proposed|"
    r"seeks?|hopes?|may|could|talks|negotiat\w*)\b",
    re.IGNORECASE,
)


def _record(
    doc_id: str,
    sent_id: int,
    x: Party,
    y: Party,
    kind: str,
    date: EventDate | None,
    text: str,
    resolved: dict[str, str] | None = None,
) -> dict[str, object]:
    """One row of the partnerships table; ``resolved``: entity → the words that named it."""
    a, b = sorted((x, y), key=lambda p: p.entity)
    resolved = resolved or {}
    notes = [f"{resolved[p.entity]} → {p.entity}" for p in (a, b) if p.entity in resolved]
    return {
        "doc_id": doc_id, "sent_id": int(sent_id), "a": a.entity, "b": b.entity, "kind": kind,
        "a_sector": _role(a), "b_sector": _role(b), "date": date.iso if date else "",
        "date_precision": date.precision if date else "",
        "date_basis": date.basis if date else "unknown",
        "date_text": date.text if date else "", "evidence": text,
        "resolved_from": "; ".join(notes),
    }  # fmt: skip


# "the ZJU-Haining Cooperation Meeting": the words between the pair and the head are the
# meeting's name (capitalized, or "of", "on", "&" …), not a clause ("the Russia-Ukraine conflict,
# … the Summit")
_NAMED_MEETING = re.compile(
    r"\b([A-Z][\w’']*)-([A-Z][\w’']*)\b(?:['’]s)?(?:\s+(?:[A-Z0-9][\w’'&-]*|of|on|for|and|the|&))*?"
    r"\s+(?:Meeting|Talks|Forum|Summit|Dialogue|Symposium|Conference|Consultation)s?\b"
)


class _MeetingNames:
    """Meetings named after their two parties ("ZJU-Haining … Cooperation Meeting")."""

    def __init__(self, surfaces: dict[str, Party]) -> None:
        self.surfaces = surfaces
        self.orgs = sorted({p.entity for p in surfaces.values() if p.type == ORG})
        self.by_entity = {p.entity: p for p in surfaces.values()}

    def party(self, word: str) -> Party | None:
        """The party a word of a meeting name stands for: a surface, or an acronym of an org."""
        if word in self.surfaces:
            return self.surfaces[word]
        target = by_initials(word, self.orgs) if word.isupper() else None  # "ZJU" in passing
        return self.by_entity.get(target) if target else None

    def find(self, sentence: str) -> list[tuple[Party, Party]]:
        """The pairs of parties of the meetings a sentence names."""
        if "-" not in sentence:
            return []
        found = []
        for match in _NAMED_MEETING.finditer(sentence):
            a, b = self.party(match.group(1)), self.party(match.group(2))
            if a is not None and b is not None and a.entity != b.entity:
                found.append((a, b))
        return found


_ORGANISED_BY = re.compile(
    r"\b(?:co-?)?(?:organi[sz]ed|hosted|sponsored|convened|held)\s+(?:jointly\s+)?by\b(?:\s+the)?",
    re.IGNORECASE,
)


def _co_organisers(sentence: str, parties: list[Party]) -> list[tuple[Party, Party]]:
    """Every pair of the parties that jointly organise something (GUIDELINES R6).

    "Organized by A, B and the C Institute, the forum …" → A–B, A–C, B–C; a single organiser
    pairs with nobody. Places after a location preposition ("the embassy in Kenya") are not
    organisers.
    """
    if "by" not in sentence:
        return []
    pairs = []
    for match in _ORGANISED_BY.finditer(sentence):
        listed = [
            p for p in _listed_after(sentence, parties, match.end()) if not _located(sentence, p)
        ]
        pairs += _every_pair(listed)
    return pairs


_MEETING_WORD = re.compile(r"\b(?:summits?|talks|meetings?|dialogues?|consultations?)\b", re.I)
_JOINED_BY_DASH = re.compile(r"^\s?[-–]\s?$")
_WORDS_AFTER = re.compile(r"^(?:['’]s)?((?:\s+[A-Za-z][\w’'-]*){1,3})")


def _joint_name_pairs(sentence: str, parties: list[Party]) -> list[tuple[Party, Party, str]]:
    """Relations named after their two parties: "China-Rwanda cooperation", "a U.S.-Canada pact".

    Two parties joined by a dash and followed, within three words, by a cue word of
    ``data/partnership_cues.csv`` ("China-Africa media cooperation") or a meeting ("the
    China-ASEAN leaders' meeting", "US-Canada talks"). Returns (x, y, kind).
    """
    found = []
    for x, y in pairwise(parties):
        if x.entity == y.entity or not _JOINED_BY_DASH.match(sentence[x.end : y.start]):
            continue
        if sentence[x.start : y.end] in gazetteers.places():
            continue  # "Asia-Pacific": one region, not two parties
        words = _WORDS_AFTER.match(sentence[y.end : y.end + 60])
        cue = sentence_kind(words.group(1)) if words else None
        if cue is not None:
            found.append((x, y, cue[0]))
        elif words and _MEETING_WORD.search(words.group(1)):
            found.append((x, y, "meeting"))  # "the 23rd China-ASEAN leaders' meeting"
    return found


def _role(party: Party) -> str:
    return party.sector or ("government" if party.type == PLACE else "other")


def partnerships(
    documents: pd.DataFrame, sentences: pd.DataFrame, mentions: pd.DataFrame
) -> pd.DataFrame:
    """The ``partnerships`` table of a corpus.

    Args:
        documents: The documents table (``doc_id, date, date_precision, date_source``).
        sentences: The sentences table.
        mentions: The mentions table with a ``sector`` column (as ``extract_mentions`` returns).
    """
    records: list[dict[str, object]] = []
    sentence_rows = rows_by_document(sentences, ["sent_id", "start", "text"])
    mention_rows = rows_by_document(
        mentions, ["sent_id", "start", "end", "surface", "entity", "type", "sector"]
    )
    for doc_id, date, precision, source in zip(
        documents["doc_id"],
        documents["date"],
        documents["date_precision"],
        documents["date_source"],
        strict=True,
    ):
        if doc_id not in sentence_rows:
            continue
        anchor = Anchor.from_document(date, precision, source)
        records.extend(
            document_partnerships(
                doc_id, sentence_rows[doc_id], mention_rows.get(doc_id, []), anchor
            )
        )
    return _with_article(pd.DataFrame(records, columns=PARTNERSHIP_COLUMNS), documents)


def _with_article(records: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Fill the ``article_*`` columns from the documents table (empty where it lacks one)."""
    for column, field in ARTICLE_COLUMNS.items():
        if field in documents.columns:
            values = dict(zip(documents["doc_id"].tolist(), documents[field].tolist(), strict=True))
            records[column] = [_text(values.get(d)) for d in records["doc_id"].tolist()]
        else:
            records[column] = ""
    return records


def _text(value: object) -> str:
    """A table value as text: missing values (None, NaN) are empty."""
    return "" if value is None or value != value else str(value)


def dyads(partnerships_table: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per unordered pair: kinds, first and last dated event, documents (raw, dedup)."""
    duplicates = set(documents.loc[documents["duplicate_of"] != "", "doc_id"])
    rows = []
    for (a, b), group in partnerships_table.groupby(["a", "b"], sort=True):
        dated = sorted(d for d in group["date"] if d)
        docs = set(group["doc_id"])
        kinds = [k for k in KINDS if k in set(group["kind"])]
        rows.append(
            {
                "a": a, "b": b, "kinds": "|".join(kinds),
                "first_date": dated[0] if dated else "", "last_date": dated[-1] if dated else "",
                "events": len(group), "dated_events": len(dated), "docs": len(docs),
                "docs_dedup": len(docs - duplicates), "evidence": group["evidence"].iloc[0],
            }
        )  # fmt: skip
    table = pd.DataFrame(rows, columns=DYAD_COLUMNS)
    return table.sort_values(["events", "a", "b"], ascending=[False, True, True]).reset_index(
        drop=True
    )
