"""Mentions of organizations, places and people in a sentence, with maximal names.

Rules, not a statistical model, so that names come out whole ("Institute of Modern Physics of
the Chinese Academy of Sciences", "No. 214 Institute of China North Industries Group
Corporation") and every decision can be read in ``data/``:

1. PERSON first: a title before capitalized words ("Professor Roy Crawford"), a surname in
   capitals before a given name ("REN Shaobo"), or a listed surname before a pinyin given name
   ("Gu Haidong"). Titles are not part of the name.
2. Runs of capitalized words joined by ``of``/``of the``/``for``/``and``/``&``/``at`` are cut
   at job-title words ("… Committee Deputy Secretary") and at ``and`` between two complete
   names ("Nanjing University and China Agricultural University").
3. A run ending in a place head ("Jiangsu Province", "Liangjiang New Area", "Haining city") is a
   PLACE; a run holding an organization head ("University", "Commission", "Co., Ltd.") is an
   ORG, whose sector comes from its head; a run found in the gazetteers is a PLACE; otherwise
   places inside the run are looked up word by word ("Shanghai-based", "Chengdu-Chongqing").
4. Capitalized acronyms ("ZJU") and single words ("Soochow") are kept as candidates for the
   alias step (``aliases.py``), which resolves them against the names of the same document.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from corpus_tools import gazetteers
from corpus_tools.clean import read_lines_file
from corpus_tools.clusters import is_common_noun
from corpus_tools.paths import DATA_DIR

ORG, PLACE, PERSON, ACRONYM, SHORT = "ORG", "PLACE", "PERSON", "ACRONYM", "SHORT"
ENTITY_TYPES = (ORG, PLACE, PERSON)
SECTORS = (
    "university", "research_institute", "government", "enterprise", "park_zone", "association",
    "other",
)  # fmt: skip

_WORD = r"[A-ZÀ-ÖØ-Þ][^\W_]*(?:[-'’][^\W_]+)*"
_UNIT = (
    rf"(?:No\.\s?\d+|Co\.,?\s?Ltd\.?|Co\.|Ltd\.|Inc\.|Corp\.|U\.S\.|U\.K\.|{_WORD}|\d+[A-Za-z]*)"
)
_CONNECTOR = r"(?:of the|of|for the|for|and the|and|&|at the|at|de|du|des|del|di)"
NAME_RUN = re.compile(rf"{_UNIT}(?:(?:\s+{_CONNECTOR}\s+|\s+|,\s(?=Ltd))(?:{_UNIT}))*")
_COMPOUND_SUFFIX = re.compile(
    r"-(?:based|born|headquartered|led|funded|backed|owned|made|run|hosted|affiliated|style)\W*$"
)
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)(?![A-Za-z])")
_LEADING_NOISE = {
    "The", "A", "An", "In", "On", "At", "For", "By", "With", "From", "As", "And", "But", "Both",
    "Since", "Under", "Through", "During", "After", "Before", "While", "Meanwhile", "Besides",
    "Also", "This", "These", "That", "Its", "Their", "His", "Her", "Our", "Mr", "Ms", "Mrs",
    "Source", "Photo", "According", "Among", "About", "If", "When",
}  # fmt: skip
_GENERIC_PLURALS = {
    "enterprises", "companies", "universities", "colleges", "institutes", "industries", "banks",
    "governments", "ministries", "schools", "hospitals", "associations",
}  # fmt: skip
# a single capitalized word is taken for a city only from this size: smaller towns share their
# names with given names ("Katy", "Anna") and surnames ("Perry")
MIN_CITY_POPULATION = 50_000
MIN_CITY_POPULATION_IN_RUN = 200_000
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}(?:-[A-Z0-9]+)?")
_COMPASS = re.compile(r"(?:North|South|East|West|Northeast|Northwest|Southeast|Southwest|Central)")
_PINYIN_SYLLABLE = (
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|ve|er|a|o|e|i|u|v))"
)
_PINYIN_GIVEN = re.compile(rf"(?:{_PINYIN_SYLLABLE}){{1,2}}", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """A name found in a sentence: offsets in the sentence, surface text, type and hints."""

    start: int
    end: int
    surface: str
    type: str  # ORG, PLACE, PERSON, or ACRONYM / SHORT (candidates for the alias step)
    name: str  # the name as it should be canonicalized ("Haining" for "Haining city")
    sector: str = ""
    definition: str = ""  # for "Name (ACR)": the acronym it defines

    def shifted(self, offset: int) -> Mention:
        """The same mention, ``offset`` characters further into the text."""
        if not offset:
            return self
        return Mention(
            self.start + offset, self.end + offset, self.surface, self.type, self.name,
            self.sector, self.definition,
        )  # fmt: skip


@lru_cache(maxsize=1)
def org_heads() -> dict[tuple[str, ...], str]:
    """Organization heads of ``data/org_heads.csv``: lower-case words → sector."""
    with open(DATA_DIR / "org_heads.csv", encoding="utf-8", newline="") as handle:
        return {tuple(row["head"].lower().split()): row["sector"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def place_heads() -> dict[tuple[str, ...], bool]:
    """Place heads of ``data/place_heads.csv``: lower-case words → kept in the name."""
    with open(DATA_DIR / "place_heads.csv", encoding="utf-8", newline="") as handle:
        return {
            tuple(row["head"].lower().split()): row["keep_in_name"].strip().lower() == "yes"
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def word_lists() -> dict[str, frozenset[str]]:
    """The one-word-a-line lists of ``data/``: titles, roles, surnames, possessives, events."""
    return {
        "titles": frozenset(read_lines_file(DATA_DIR / "person_titles.txt")),
        "roles": frozenset(read_lines_file(DATA_DIR / "role_words.txt")),
        "surnames": frozenset(read_lines_file(DATA_DIR / "chinese_surnames.txt")),
        "possessives": frozenset(read_lines_file(DATA_DIR / "name_possessives.txt")),
        "events": frozenset(read_lines_file(DATA_DIR / "event_words.txt")),
    }


@lru_cache(maxsize=1)
def company_suffixes() -> frozenset[str]:
    """Legal-form suffixes that end a company name (``data/company_suffixes.txt``)."""
    return frozenset(read_lines_file(DATA_DIR / "company_suffixes.txt"))


def chinese_surnames() -> frozenset[str]:
    """The surnames of ``data/chinese_surnames.txt``."""
    return word_lists()["surnames"]


@lru_cache(maxsize=1)
def _person_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    words = word_lists()
    titles = sorted(words["titles"], key=len, reverse=True)
    title_alt = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)
    given = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"
    # (?<!\w) rather than \b: the same boundary, but lets the scan skip ahead to a title
    titled = re.compile(
        rf"(?<!\w)(?i:{title_alt})\.?\s+(?P<name>(?:{given}|[A-Z]\.)(?:\s+(?:{given}|[A-Z]\.)){{0,3}})"
    )
    # surnames are checked against the list in Python: a regex alternation of them is slow
    # lookaheads let candidates overlap ("Mayor Gu Haidong": "Mayor Gu", then "Gu Haidong")
    capital_surname = re.compile(rf"\b(?=(?P<name>(?P<surname>[A-Z]{{2,}})\s+{given})\b)")
    plain = re.compile(
        r"\b(?=(?P<name>(?P<surname>[A-Z][a-z]+)\s+(?P<given>[A-Z][a-z]+(?:-[a-z]+)?))\b)"
    )
    return titled, capital_surname, plain


@lru_cache(maxsize=1)
def _title_gate() -> re.Pattern[str]:
    """A title followed by a space, searched in a lower-cased ASCII sentence.

    Case-insensitive alternations scan slowly; this case-sensitive one on ``sentence.lower()``
    tells cheaply which sentences cannot hold a titled name (for ASCII text, lower-casing and
    case-insensitive matching agree letter for letter).
    """
    titles = sorted(word_lists()["titles"], key=len, reverse=True)
    alternatives = "|".join(re.escape(t.lower()).replace(r"\ ", r"\s+") for t in titles)
    return re.compile(rf"(?<![a-z])(?:{alternatives})\.?\s")


def _head_of(words: list[str]) -> tuple[str, str, int] | None:
    """The organization or place head of a name: (kind, sector, index of its first word).

    An organization's head is its last head word before the first ``of``/``at``/``for``
    ("Confucius Institute at …" → Institute); a place head must end the name.
    """
    lower = [w.lower() for w in words]
    for size in (3, 2, 1):
        if len(words) > size and tuple(lower[-size:]) in place_heads():
            return PLACE, "", len(words) - size
    cut = next((i for i, w in enumerate(lower) if w in {"of", "at", "for"}), len(lower))
    best, best_end = None, -1
    for scope in (range(cut), range(cut, len(lower))):
        for i in scope:
            for size in (3, 2, 1):
                key = tuple(lower[i : i + size])
                # the head ending last wins: "Asian Development Bank" over "Bank"
                if i + size <= len(lower) and key in org_heads():
                    if i + size > best_end:
                        best, best_end = (ORG, org_heads()[key], i), i + size
                    break
        if best is not None:
            return best
    return None


def head_sector(name: str) -> str:
    """The sector an organization's name says by its head ("Beta University" → university)."""
    head = _head_of(name.split())
    return head[1] if head is not None and head[0] == ORG else ""


def find_persons(sentence: str) -> list[Mention]:
    """PERSON mentions of a sentence (titles excluded)."""
    titled, capital_surname, plain = _person_patterns()
    found: list[Mention] = []

    def add(start: int, end: int) -> None:
        if any(start < m.end and m.start < end for m in found):
            return
        surface = sentence[start:end]
        found.append(Mention(start, end, surface, PERSON, surface))

    surnames = word_lists()["surnames"]
    for match in capital_surname.finditer(sentence):
        if match.group("surname").title() in surnames:
            add(match.start("name"), match.end("name"))
    gated = sentence.isascii() and not _title_gate().search(sentence.lower())
    for match in () if gated else titled.finditer(sentence):
        name = match.group("name")
        words = name.split()
        # stop before a word that starts an organization or place name
        keep = []
        for word in words:
            if _head_of([word]) is not None or (
                not keep and gazetteers.population(word) == float("inf")
            ):
                break
            keep.append(word)
        if keep and not (len(keep) == 1 and keep[0].endswith(".")):
            end = match.start("name") + len(" ".join(keep))
            add(match.start("name"), end)
    for match in plain.finditer(sentence):
        if match.group("surname") not in surnames:
            continue
        given = match.group("given")
        after = sentence[match.end("name") : match.end("name") + 40].split()
        next_word = after[0] if after else ""
        if (
            _PINYIN_GIVEN.fullmatch(given)
            and given not in gazetteers.places()
            and match.group("name") not in gazetteers.places()
            and not (next_word[:1].isupper() and next_word[:1].isalpha())
        ):
            add(match.start("name"), match.end("name"))
    return sorted(found, key=lambda m: m.start)


def find_mentions(sentence: str) -> list[Mention]:
    """All mentions and alias candidates of one sentence, in order, not overlapping.

    Example:
        >>> [m.surface for m in find_mentions("Nanjing University signed with Chongqing.")]
        ['Nanjing University', 'Chongqing']
    """
    persons = find_persons(sentence)
    text = sentence
    for person in persons:  # masked, so that no run takes in a person's name
        text = text[: person.start] + "~" * (person.end - person.start) + text[person.end :]
    mentions = list(persons)
    for match in NAME_RUN.finditer(text):
        offset = match.start()
        mentions.extend(m.shifted(offset) for m in _run_mentions(match.group(0)))
    mentions = with_definitions(sentence, sorted(mentions, key=lambda m: m.start))
    mentions = sorted(_lower_case_places(sentence, mentions), key=lambda m: m.start)
    return _places_by_list(sentence, mentions)


_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+|\s*,\s*")


@lru_cache(maxsize=1 << 17)
def _run_mentions(run: str) -> tuple[Mention, ...]:
    """The mentions in one run of capitalized words, with offsets into the run.

    A function of the run alone, so a name repeated across a corpus is classified once.
    """
    return tuple(
        mention
        for start, end in _split_run(run, 0, len(run))
        for mention in _classify(run, start, end)
    )


def _places_by_list(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """An unknown word listed between two places is a place ("Qingpu, Wujiang and Jiaxing")."""
    out = list(mentions)
    for i, mention in enumerate(mentions):
        if mention.type != SHORT:
            continue
        neighbours = []
        if i > 0 and _LIST_GAP.fullmatch(sentence[mentions[i - 1].end : mention.start]):
            neighbours.append(mentions[i - 1])
        if i + 1 < len(mentions) and _LIST_GAP.fullmatch(
            sentence[mention.end : mentions[i + 1].start]
        ):
            neighbours.append(mentions[i + 1])
        if neighbours and all(n.type == PLACE for n in neighbours) and len(neighbours) == 2:
            out[i] = Mention(mention.start, mention.end, mention.surface, PLACE, mention.surface)
    return out


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]


def possessive_opens_name(previous: str | None, owner: str, rest: Sequence[str]) -> bool:
    """Whether a possessive belongs to the organization name it opens (GUIDELINES M14 aside).

    "Queen's University Belfast", "the Bishop's Action Foundation", "St John's College": the
    owner is no entity of its own (a title or a word mostly written in lower case, or a saint's
    name after "St"), it opens the name (``previous``, the capitalized word before it, is
    ``None``, "The" or "St"), and an organization head follows in ``rest``. "Suzhou's
    Southern Jiangsu Center" and "Acme Council's Fund" keep their possessive outside.
    """
    saint = previous is not None and previous.rstrip(".") in ("St", "Saint")
    if previous not in (None, "The") and not saint:
        return False
    lower = owner.lower()
    if not saint and not (lower in person_titles() or is_common_noun(owner)):
        return False
    if (lower,) in org_heads() or (lower,) in place_heads() or owner in gazetteers.places():
        return False
    return any((w.lower().rstrip(".,"),) in org_heads() for w in rest)


@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    """Titles and honorifics written before a person's name.

    ``data/person_titles.txt`` and the ``nameparser`` package's list ("Sultan", "Rt", "Hon").
    """
    from nameparser.config import CONSTANTS

    return frozenset(CONSTANTS.titles) | word_lists()["titles"]


def _split_run(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut a run of capitalized words into name candidates."""
    words = word_lists()
    tokens = _tokens(text, start, end)
    # possessives end a name, except those that belong inside names ("People's", plurals)
    pieces: list[list[tuple[int, int]]] = [[]]
    for k, (s, e) in enumerate(tokens):
        word = text[s:e]
        match = _POSSESSIVE.search(word)
        suffix = _COMPOUND_SUFFIX.search(word)
        role = word.lower().rstrip(".,").split("-")[-1]
        # a plural possessive inside a run is a name's own ("Teachers' Association")
        plural = match is not None and match.group()[0] == "s" and (s, e) != tokens[-1]
        opens = match is not None and possessive_opens_name(
            text[tokens[k - 1][0] : tokens[k - 1][1]] if k else None,
            word[: match.start()],
            [text[a:b] for a, b in tokens[k + 1 :]],
        )
        if match and not plural and not opens and word.rstrip(",") not in words["possessives"]:
            pieces[-1].append((s, s + match.start()))
            pieces.append([])
        elif suffix:
            # "Shanghai-based", "University of Otago-led": the name ends before the suffix
            pieces[-1].append((s, s + suffix.start()))
            pieces.append([])
        elif role in words["roles"] or word.lower().rstrip(".") in words["titles"]:
            pieces.append([])
        else:
            pieces[-1].append((s, e))
    for piece in pieces:
        yield from _split_piece(text, piece)


def common_compound(left: list[str], right: list[str]) -> bool:
    """Whether "A and B C" is one name: one word before "and", all of them common nouns.

    "Food and Drug Administration", "Securities and Exchange Commission".
    """
    if len(left) != 1 or len(right) < 2:
        return False
    head = right[-1]  # "Commission" is mostly capitalized, yet a head word
    ends = is_common_noun(head) or (head.lower(),) in org_heads()
    return ends and all(map(is_common_noun, left + right[:-1]))


def _plural_descriptor(word: str) -> bool:
    """A plural common noun that is no organization head ("Delegates", "Students")."""
    return word.endswith("s") and is_common_noun(word) and (word.lower(),) not in org_heads()


def _split_piece(text: str, piece: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    connectors = {"of", "the", "for", "and", "&", "at", "de", "du", "des", "del", "di"}
    # drop leading noise and connectors left by a role cut ("Secretary and Politics …")
    while piece and (
        text[piece[0][0] : piece[0][1]] in _LEADING_NOISE
        or text[piece[0][0] : piece[0][1]].lower() in connectors
    ):
        piece = piece[1:]
    while piece and text[piece[-1][0] : piece[-1][1]].lower().rstrip(",") in connectors:
        piece = piece[:-1]
    if not piece:
        return
    words = [text[s:e].rstrip(",") for s, e in piece]
    if " ".join(words) in gazetteers.places():  # "Bosnia and Herzegovina"
        yield piece[0][0], piece[-1][1]
        return
    # "Delegates of the Acme Conference": a plural common noun before "of" only describes the
    # organization after it, which has a head of its own
    if len(words) > 2 and words[1] == "of" and _plural_descriptor(words[0]):
        rest = 3 if words[2] == "the" else 2
        head = _head_of(words[rest:])
        if head is not None and head[0] == ORG:
            yield from _split_piece(text, piece[rest:])
            return
    # "X at Y" is one name when Y is an organization ("Confucius Institute at … University") or
    # X a university ("State University of New York at Stony Brook")
    for i, word in enumerate(words):
        if word == "at" and 0 < i < len(words) - 1:
            right = words[i + 1 :] if words[i + 1] != "the" else words[i + 2 :]
            head, left_head = _head_of(right), _head_of(words[:i])
            campus = left_head is not None and left_head[1] == "university"
            # "Students at Acme University": a unit at Y has a head of its own
            if left_head is None or (not campus and (head is None or head[0] != ORG)):
                yield from _split_piece(text, piece[:i])
                yield from _split_piece(text, piece[i + 1 :])
                return
    # "A University and B College": two names when both sides hold a head
    for i, word in enumerate(words):
        if word in {"and", "&"} and 0 < i < len(words) - 1:
            left, right = words[:i], words[i + 1 :]
            article = bool(right) and right[0].lower() == "the"
            right = right[1:] if article else right
            complete = [
                " ".join(side) in gazetteers.places() or _head_of(side) is not None
                for side in (left, right)
            ]
            right_is_place = " ".join(right) in gazetteers.places()
            left_is_place = " ".join(left) in gazetteers.places()
            acronym = len(right) == 1 and bool(_ACRONYM.fullmatch(right[0]))
            # "US Securities and Exchange Commission": a place before such a name is its own
            prefix = len(left) == 2 and (left[0] in gazetteers.places() or left[0].isupper())
            if not article and common_compound(left[1:] if prefix else left, right):
                continue
            if (
                article
                or right_is_place
                or all(complete)
                or (left_is_place and (complete[1] or acronym))
            ):
                yield from _split_piece(text, piece[:i])
                yield from _split_piece(text, piece[i + 1 :])
                return
    yield piece[0][0], piece[-1][1]


_NUMBER_TAIL = re.compile(r"[IVX]+|\d{1,4}")


def is_event_name(words: Sequence[str]) -> bool:
    """Whether a name is an event's, programme's or plan's, not an entity's (GUIDELINES B1).

    It ends, before any "of"/"at" or after it, in a word of ``data/event_words.txt``
    ("Future Pilot Program", "Conference of the Parties", "World War II": a numeral after the
    word is skipped), unless the last words are an organization head ("People's Congress").
    """
    words = list(words)
    while len(words) > 1 and _NUMBER_TAIL.fullmatch(words[-1]):
        words.pop()
    before_of = words[: next((i for i, w in enumerate(words) if w in {"of", "at"}), len(words))]
    if _ends_in_event(before_of):
        return True
    # "Scientific Committee of the Disaster Risk Programme": a body of the programme
    return _ends_in_event(words) and not (
        len(before_of) < len(words) and _ends_in_org_head(before_of)
    )


def _ends_in_event(words: Sequence[str]) -> bool:
    """The last word is an event word, and not with the one before an organization head."""
    return (
        bool(words)
        and not (words[-1].isupper() and len(words[-1]) > 1)  # "ACT" is a party, not an act
        and words[-1].lower() in word_lists()["events"]
        and tuple(w.lower() for w in words[-2:]) not in org_heads()
    )


def _ends_in_org_head(words: Sequence[str]) -> bool:
    """Whether the last one, two or three words are an organization head ("Committee")."""
    lower = [w.lower() for w in words]
    return any(tuple(lower[-k:]) in org_heads() for k in (1, 2, 3) if k <= len(lower))


def _classify(sentence: str, start: int, end: int) -> list[Mention]:
    surface = sentence[start:end].rstrip(",")
    end = start + len(surface)
    words = surface.split()
    places = gazetteers.places()
    while len(words) > 1 and re.fullmatch(r"\d+(?:st|nd|rd|th)?", words[0]):
        start += len(words[0]) + 1  # "2020 Chinese Super League", "19th CPC Central Committee"
        surface = sentence[start:end]
        words = words[1:]
    head = _head_of(words)
    if head is not None and head[0] == PLACE:
        keep = place_heads()[tuple(w.lower() for w in words[head[2] :])]
        name = surface if keep else " ".join(words[: head[2]])
        if head[2] == 0:
            return []
        return [Mention(start, end, surface, PLACE, name)]
    if is_event_name(words):
        return []
    if head is not None:
        trimmed = _trim_after_head(words, head[2])
        if trimmed < len(words):
            surface = " ".join(words[:trimmed])
            end = start + len(surface)
            words = words[:trimmed]
        proper = [
            w for i, w in enumerate(words)
            if i != head[2] and w.lower() not in {"of", "the", "and", "for", "at", "&"}
        ]  # fmt: skip
        if not proper or (
            words[head[2]].lower() in _GENERIC_PLURALS
            and len(words) == 2
            and proper[0] not in places
        ):
            return []  # "Chinese Enterprises": a kind of organization, not one
        return [Mention(start, end, surface, ORG, surface, sector=head[1])]
    if surface in places and (
        " " in surface or gazetteers.population(surface) >= MIN_CITY_POPULATION
    ):
        return [Mention(start, end, surface, PLACE, places[surface])]
    if len(words) == 2 and _COMPASS.fullmatch(words[0]) and words[1] in places:
        return [Mention(start, end, surface, PLACE, surface)]
    if surface in gazetteers.universities():
        return [Mention(start, end, surface, ORG, surface, sector="university")]
    return _inner_places(sentence, start, end) or _candidates(sentence, start, end)


def _trim_after_head(words: list[str], head_index: int) -> int:
    """Length of the name once words trailing its head are cut ("… Park Aims" → "… Park").

    Words after the head stay when a connector links them ("University of Waterloo") or when
    they are further heads ("… Group Co., Ltd.").
    """
    lower = [w.lower() for w in words]
    if any(w in {"of", "at", "for", "&", "and"} for w in lower[head_index:]):
        return len(words)
    last = head_index
    for i in range(head_index, len(words)):
        if any(tuple(lower[j : i + 1]) in org_heads() for j in range(max(0, i - 2), i + 1)):
            last = i
    return last + 1


def _inner_places(sentence: str, start: int, end: int) -> list[Mention]:
    """Places inside a run that is not itself a name: "Shanghai-based", "Chengdu-Chongqing"."""
    places = gazetteers.places()
    found = []
    for match in re.finditer(r"\b[A-Z][A-Z0-9]{1,7}(?=-[A-Z])", sentence[start:end]):
        s = start + match.start()
        found.append(Mention(s, s + len(match.group(0)), match.group(0), ACRONYM, match.group(0)))
    for match in re.finditer(r"[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*", sentence[start:end]):
        parts = re.finditer(r"[A-Z][A-Za-z]+(?: [A-Z][a-z]+)?", match.group(0))
        for part in parts:
            word = part.group(0)
            s = start + match.start() + part.start()
            if word in places and (
                " " in word or gazetteers.population(word) >= MIN_CITY_POPULATION_IN_RUN
            ):
                found.append(Mention(s, s + len(word), word, PLACE, places[word]))
            elif word.isupper():
                continue
            elif " " in word:
                for single in re.finditer(r"[A-Z][A-Za-z]+", word):
                    if gazetteers.population(single.group(0)) >= MIN_CITY_POPULATION_IN_RUN:
                        ss = s + single.start()
                        found.append(
                            Mention(
                                ss,
                                ss + len(single.group(0)),
                                single.group(0),
                                PLACE,
                                places[single.group(0)],
                            )
                        )
    return found


def _candidates(sentence: str, start: int, end: int) -> list[Mention]:
    """Acronyms and single capitalized words, for the alias step to resolve or drop."""
    found = []
    for match in re.finditer(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z0-9&.]*", sentence[start:end]):
        word = (
            match.group(0)
            if re.fullmatch(r"(?:[A-Z]\.){2,}", match.group(0))
            else match.group(0).rstrip(".")
        )
        s = start + match.start()
        if "." in word or _ACRONYM.fullmatch(word):
            found.append(Mention(s, s + len(word), word, ACRONYM, word))
        elif word[0].isupper() and len(word) > 2 and len(sentence[start:end].split()) <= 3:
            found.append(Mention(s, s + len(word), word, SHORT, word))
    return found


_DEFINED = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&.\-]{1,10})\s*\)")
_TICKER = re.compile(r"\s*<([A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?)>")


def with_definitions(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """Attach "(ACR)" right after a name to that name, and drop it as a mention of its own.

    So is a wire story's ticker after a company: "Owens Corning Fiberglas Corp <OCF>".
    """
    if "(" not in sentence and "<" not in sentence:
        return mentions
    out: list[Mention] = []
    skip: set[int] = set()
    for index, mention in enumerate(mentions):
        if index in skip:
            continue
        after = _DEFINED.match(sentence, mention.end) if mention.type in (ORG, PLACE) else None
        if after is None and mention.type == ORG:
            after = _TICKER.match(sentence, mention.end)
        if after:
            acronym = after.group(1)
            mention = Mention(**{**mention.__dict__, "definition": acronym})
            for j in range(index + 1, len(mentions)):
                if mentions[j].start >= after.end():
                    break
                skip.add(j)
        out.append(mention)
    return out


_LOWER_PLACE_HEAD = re.compile(r"\b([A-Z][a-z]+) (city|district|province|county|prefecture)\b")
_OF_PLACE = re.compile(r"\bthe (?:city|province|county|district) of ([A-Z][a-z]+)")
_LOWER_HEADS = ("city", "district", "province", "county", "prefecture")  # one is in every match


def _lower_case_places(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """Places with a lower-case head: "Haining city", "Tongnan district", "the city of X"."""
    if not any(head in sentence for head in _LOWER_HEADS):
        return mentions
    found = []
    for match in _LOWER_PLACE_HEAD.finditer(sentence):
        keep = place_heads().get((match.group(2),), True)
        word = match.group(1)
        if word in _LEADING_NOISE or _head_of([word]) is not None:
            continue
        name = f"{word} {match.group(2).title()}" if keep else word
        found.append(Mention(match.start(), match.end(), match.group(0), PLACE, name))
    for match in _OF_PLACE.finditer(sentence):
        found.append(Mention(match.start(1), match.end(1), match.group(1), PLACE, match.group(1)))
    kept = [
        m for m in mentions
        if not any(f.start <= m.start and m.end <= f.end for f in found)
    ]  # fmt: skip
    found = [f for f in found if not any(k.start < f.end and f.start < k.end for k in kept)]
    return kept + found
