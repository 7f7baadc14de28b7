"""From the tagger's spans to a sentence's mentions: boundaries, merges and repeats.

The tagger (:mod:`corpus_tools.tagger`) says which words are names; this module turns its
spans into :class:`~corpus_tools.entities.Mention` objects the way the annotation conventions
(``tests/gold/GUIDELINES.md``) read names: a person's title is not part of the name (N1), a
company's name ends at its legal suffix and a trailing place is a place (M12), lists of names
are cut apart, a government is its place (M8), "Portland, Ore." holds two places (B3), a
currency is not a place (O3), and a name found once counts wherever it recurs in the
document (M20). What the rules know about a span (canonical form, sector, acronym definition)
is kept, and rule candidates the tagger did not cover are left for the alias step.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache

from corpus_tools import gazetteers
from corpus_tools.aliases import demonyms, is_demonym
from corpus_tools.clean import read_lines_file
from corpus_tools.clusters import is_common_noun
from corpus_tools.entities import (
    ACRONYM,
    ENTITY_TYPES,
    NAME_RUN,
    ORG,
    PERSON,
    PLACE,
    SHORT,
    Mention,
    chinese_surnames,
    common_compound,
    company_suffixes,
    find_mentions,
    head_sector,
    is_event_name,
    person_titles,
    possessive_opens_name,
    with_definitions,
    word_lists,
)
from corpus_tools.paths import DATA_DIR
from corpus_tools.tagger import (
    TOKEN,
    DocumentContext,
    Span,
    Tagger,
    census_names,
    default_tagger,
    document_context,
    may_hold_names,
    name_particles,
    not_names,
    org_head_words,
    place_abbreviations,
    place_head_words,
)

# "US$5 million", "HK$", "US 5 mln", "963 billion U.S. dollars": a currency, not a place
# ("Angola 89-53", "Vienna 2003" are)
_MONEY = re.compile(
    r"\$|\s?\d[\d,.]*\s?(?:mln|bln|million|billion|trillion|dlrs?|dollars?|cents?)\b"
    r"|\s+(?:dlrs?|dollars?|cents?)\b",
    re.IGNORECASE,
)


def _place_name(sentence: str, span: Span) -> str:
    """The gazetteer's canonical name of a tagged place ("Ore." → Oregon), else as written."""
    places = gazetteers.places()
    surface = sentence[span.start : span.end]
    period = "." if sentence[span.end : span.end + 1] == "." else ""
    for form in (surface, surface.title() if surface.isupper() else surface, surface + period):
        if form in places:
            return places[form]
    return surface


_JOINED = re.compile(r"\s*(?:,|,?\s+and|&)\s+")
_GOVERNMENT = re.compile(
    r"(?:the\s+)?Government\s+of\s+(?:the\s+)?(?:Republic\s+of\s+)?(?P<after>.+)"
    r"|(?P<before>.+?)\s+Government"
)


def _split_by_rules(
    sentence: str, spans: list[Span], rule_mentions: Sequence[Mention]
) -> list[Span]:
    """Tagged names the rules read as two or more names joined by "and", "&" or a comma.

    "Acme University and Beta Institute" is one run to the tagger; when the rules found each
    side as a name (heads, gazetteers, acronyms), their reading wins.
    """
    out: list[Span] = []
    for span in spans:
        inside = [
            m for m in rule_mentions
            if span.start <= m.start and m.end <= span.end and m.type != SHORT
        ]  # fmt: skip
        joined = len(inside) > 1 and all(
            _JOINED.fullmatch(sentence[a.end : b.start]) for a, b in itertools.pairwise(inside)
        )
        if joined and inside[0].start == span.start and inside[-1].end == span.end:
            out += [Span(m.start, m.end, span.type, span.confidence) for m in inside]
        else:
            out.append(span)
    return out


def _as_government(mention: Mention) -> Mention:
    """"Government of Acme" / "Acme Government" is the place Acme (GUIDELINES M8)."""
    match = _GOVERNMENT.fullmatch(mention.surface)
    if match is None:
        return mention
    place = match.group("after") or match.group("before")
    canonical = gazetteers.places().get(place)
    if canonical is None:
        return mention
    return Mention(mention.start, mention.end, mention.surface, PLACE, canonical)


_AFTER_PLACE = re.compile(r",\s*([A-Z][A-Za-z.]{1,6}\.)(?=[\s,])")


def _state_abbreviations(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """A state written short after a city: "Portland, Ore." gives Oregon (GUIDELINES B3)."""
    found = []
    for mention in mentions:
        if mention.type != PLACE:
            continue
        match = _AFTER_PLACE.match(sentence, mention.end) or _BARE_STATE.match(
            sentence, mention.end
        )  # "LISLE, Ill, June 29 -": a dateline may drop the period
        short = match.group(1) if match else ""
        short = short if short.endswith(".") else short + "."
        if match and short in place_abbreviations():
            start, end = match.span(1)
            if not any(
                m.start < end and start < m.end for m in mentions if m.type in ENTITY_TYPES
            ):
                name = gazetteers.places()[short]
                found.append(Mention(start, end, match.group(1), PLACE, name))
    return found


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_BARE_STATE = re.compile(r",\s*([A-Z][a-z]{1,5})(?=,\s+" + _MONTH + r"\s+\d)")
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+){0,3})"
    r"(?=(?:,\s+[A-Z][a-z]{1,5}\.?)?(?:,\s+" + _MONTH + r"\s+\d{1,2}\b"
    r"|\s*(?P<agency>\([A-Z][\w ]*\))\s*[-–—]))"
)


def _dateline_place(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """The upper-case place that opens a wire dateline is a place (GUIDELINES B3).

    "GROVELAND, Fla., March 12 -", "WELLINGTON (Reuters) -": the words before the date or the
    agency are where the story was filed, whatever the tagger made of them; the agency credit
    right after is not a mention (B4).
    """
    match = _DATELINE.match(sentence)
    if match is None:
        return mentions
    start, end = match.span("place")
    ends = [match.span("agency")] if match.group("agency") else []
    ends.append((start, end))
    kept = [m for m in mentions if not any(m.start < e and s < m.end for s, e in ends)]
    name = _place_name(sentence, Span(start, end, PLACE))
    name = name.title() if name.isupper() else name
    place = Mention(start, end, match.group("place"), PLACE, name)
    states = _state_abbreviations(sentence, [place])  # "LISLE, Ill, June 29 -": Illinois
    kept = [m for m in kept if not any(m.start < s.end and s.start < m.end for s in states)]
    return sorted([*kept, place, *states], key=lambda m: m.start)


def _sure_place(surface: str) -> bool:
    """A place the rules found that stands even where the tagger saw none.

    A country, province or region of the gazetteers, or a name ending in a place head
    ("Jiangsu Province").
    """
    if " " in surface and surface.split()[-1].lower() in place_head_words():
        return True
    return surface in gazetteers.places() and gazetteers.population(surface) == float("inf")


_PEOPLE_ENDING = re.compile(r"(?:ers?|ians?|ans?|ns?|ese|is)$")


def names_a_people_or_language(name: str) -> bool:
    """Whether a name is a language or its people: "Mandarin", "New Zealanders", "West African".

    A language of :func:`~corpus_tools.gazetteers.languages`, or a country, region or large
    city of the gazetteers with a people's ending ("-ers", "-ians", "-n", …), which is no
    place itself.
    """
    if name in gazetteers.places():
        return False
    if name in gazetteers.languages():
        return True
    for match in _PEOPLE_ENDING.finditer(name):
        for cut in range(match.start(), match.end()):
            base = name[:cut]
            if base in gazetteers.places() and gazetteers.population(base) >= 200_000:
                return True
    return False


@lru_cache(maxsize=1)
def _headline_words() -> frozenset[str]:
    return frozenset(read_lines_file(DATA_DIR / "headline_words.txt"))


def _is_headline_run(surface: str) -> bool:
    """Whether a span in capitals is a headline's words, not a name.

    Four or more words, one of them a preposition or a headline verb of
    ``data/headline_words.txt`` ("ACME CORP SIGNS DEAL WITH BETA INC").
    """
    words = surface.split()
    return (
        len(words) >= 4
        and surface.upper() == surface
        and any(w.strip(",.:'’") in _headline_words() for w in words)
    )


def combine(sentence: str, rule_mentions: list[Mention], spans: list[Span]) -> list[Mention]:
    """The sentence's mentions: the tagger's names, with what the rules know about each.

    A tagged name the rules found with the same boundaries keeps the rules' canonical form,
    sector and acronym definition; a new one is named as written (places through the
    gazetteer). Rule candidates for the alias step (acronyms, single words) that no tagged
    name covers are kept for that step, and so are places the rules are sure of.
    """
    by_span = {(m.start, m.end): m for m in rule_mentions}
    out: list[Mention] = []
    for span in _split_by_rules(sentence, spans, rule_mentions):
        if span.type not in ENTITY_TYPES or _MONEY.match(sentence, span.end):
            continue
        surface = sentence[span.start : span.end]
        if _is_headline_run(surface):
            continue  # "ACME SIGNS DEAL WITH BETA": a headline in capitals, not a name
        rule = by_span.get((span.start, span.end))
        if rule is not None and rule.type == span.type:
            out.append(rule)
            continue
        if span.type in ("ORG", PLACE) and is_event_name(surface.split()):
            continue  # "Future Pilot Program", "World War II": out of scope (GUIDELINES B1)
        if (
            (rule is None or rule.type == SHORT)
            and span.type != PERSON
            and names_a_people_or_language(surface)
        ):
            continue  # "New Zealanders", "Mandarin": no entity (GUIDELINES M2); "English said"
        name = _place_name(sentence, span) if span.type == PLACE else surface
        if rule is not None and rule.type in (ACRONYM, SHORT):
            out.append(
                Mention(span.start, span.end, surface, span.type, name, definition=rule.definition)
            )
            continue
        sector = ""
        if span.type == ORG:
            sector = rule.sector if rule is not None else head_sector(surface)
        out.append(Mention(span.start, span.end, surface, span.type, name, sector=sector))
    for mention in rule_mentions:
        if any(s.start < mention.end and mention.start < s.end for s in spans):
            continue
        if _MONEY.match(sentence, mention.end):
            continue
        if mention.type in (ACRONYM, SHORT):
            out.append(mention)  # for the alias step to resolve or drop
        elif mention.type == PLACE and _sure_place(mention.surface):
            out.append(mention)  # a place the rules are sure of ("South China Sea", "Angola")
    states = _state_abbreviations(sentence, out)
    if states:
        out = [m for m in out if not any(m.start < s.end and s.start < m.end for s in states)]
        out += states
    out = [_as_government(m) if m.type == "ORG" else m for m in out]
    out = [m for m in out if not _inside_out_of_scope_name(sentence, m)]
    out = with_definitions(sentence, sorted(out, key=lambda m: m.start))
    return _dateline_place(sentence, out)


# the rest of a capitalised name after a mention: "-Pacific Partnership", " Protocol"
_NAME_REST = re.compile(r"(?:(?:[-–]|\s+(?:and\s+)?)[A-Z][\w’'&.-]*)+")


def _inside_out_of_scope_name(sentence: str, mention: Mention) -> bool:
    """Whether a mention only opens the name of a treaty, event or programme (GUIDELINES O2).

    "Kyoto" in "Kyoto Protocol", "Geneva" in "Geneva Conventions", "Pacific" in
    "Trans-Pacific Partnership": the name blocks the place in it. The rest of the name is
    capitalised and ends in a word of ``data/event_words.txt``.
    """
    rest = _NAME_REST.match(sentence, mention.end)
    if rest is None or mention.type not in (PLACE, "ORG"):
        return False
    last = re.split(r"[-–\s]+", rest.group(0))[-1]
    return last.lower() in word_lists()["events"] and not last.isupper()


def find_names(
    sentence: str,
    *,
    rules: list[Mention] | None = None,
    context: DocumentContext | None = None,
    tagger: Tagger | None = None,
) -> list[Mention]:
    """Every mention and alias candidate of a sentence: the rules, then the tagger over them.

    Args:
        sentence: The sentence text; offsets are into it.
        rules: The rules' mentions of the sentence, when already found.
        context: What the document says about its words (see :func:`document_context`).
        tagger: A tagger other than the packaged one. Without a model file (none given, none
            packaged) the rules alone answer.
    """
    rules = find_mentions(sentence) if rules is None else rules
    tagger = tagger or default_tagger()
    if tagger is None:
        return rules
    spans = tidy(sentence, tagger.tag(sentence, rules, context))
    spans = joined_fields(sentence, with_complements(sentence, spans))
    return combine(sentence, rules, with_owner_words(sentence, rules, spans))


def read_document(sentences: Sequence[str], tagger: Tagger | None = None) -> list[list[Mention]]:
    """The mentions of every sentence of one document (offsets into each sentence).

    The rules read every sentence first, so that the tagger sees what the whole document says
    about a word; names found once are then counted wherever they recur (:func:`spread_names`).
    """
    readable = [may_hold_names(s) for s in sentences]
    rules = [find_mentions(s) if r else [] for s, r in zip(sentences, readable, strict=True)]
    context = document_context(sentences, rules)
    found = [
        find_names(s, rules=r, context=context, tagger=tagger) if readable[i] else []
        for i, (s, r) in enumerate(zip(sentences, rules, strict=True))
    ]
    found = split_where_written_alone(sentences, found)
    return spread_names(sentences, lone_words_as_organizations(sentences, found))


_JOINED = re.compile(
    r"^(?P<left>[A-Z][^\s/]*(?:\s+[A-Z][^\s/]*)*)(?:\s+(?:and|&)\s+|/)(?P<right>[A-Z].*)$"
)


def split_where_written_alone(
    sentences: Sequence[str], mentions: Sequence[list[Mention]]
) -> list[list[Mention]]:
    """Two organizations read as one ("Acme Carbone and Beta Coal Co") when the text says so.

    A tagged organization "A and B" (or "A/B") whose A is capitalised words only (no "of":
    "Ministry of Science and Technology" is one name) is two names when the document writes A
    or B on its own elsewhere, as the start of a name ("Acme Carbone President …", "the Beta
    Coal Co consortium"), and that part is an acronym or two words or more (GUIDELINES M7: the
    text itself is the evidence). Not when a part is a place ("Jetstar Australia and New
    Zealand" is one company's arm) or B starts with a legal suffix ("Merrill Lynch and Co Inc").
    """
    out = []
    for found in mentions:
        kept = []
        for m in found:
            parts = _written_parts(sentences, m) if m.type == ORG else None
            kept += parts or [m]
        out.append(kept)
    return out


def _written_parts(sentences: Sequence[str], mention: Mention) -> list[Mention] | None:
    """The two mentions of a joined name whose parts the text writes alone, else None."""
    match = _JOINED.match(mention.surface)
    if match is None or any(match.group(g) in gazetteers.places() for g in ("left", "right")):
        return None  # "Jetstar Australia and New Zealand": a company's regional arm
    if match.group("right").split()[0].lower().rstrip(".") in company_suffixes():
        return None  # "Merrill Lynch and Co Inc" is one firm
    if not any(_written_alone(sentences, mention.surface, match, g) for g in ("left", "right")):
        return None
    return [
        Mention(
            mention.start + match.start(g), mention.start + match.end(g), match.group(g), ORG,
            match.group(g), sector=head_sector(match.group(g)),
        )
        for g in ("left", "right")
    ]  # fmt: skip


def _written_alone(
    sentences: Sequence[str], whole: str, match: re.Match[str], group: str
) -> bool:
    """Whether a part of two or more words (or an acronym) starts a name outside ``whole``."""
    part = match.group(group)
    if len(part.split()) < 2 and not (part.isupper() and len(part) > 1):
        return False
    for text in sentences:
        for start in _whole_words(text, part):
            if text.startswith(whole, start - match.start(group)):
                continue  # the joined name itself
            before = text[max(0, start - 30) : start]
            if not _CAPITAL_BEFORE.search(before) or before.endswith(("The ", "the ")):
                return True
    return False


def lone_words_as_organizations(
    sentences: Sequence[str], mentions: Sequence[list[Mention]]
) -> list[list[Mention]]:
    """A one-word "person" that no person's name of the document explains is an organization.

    A person named by one word is, in news text, almost always the surname or given name of
    someone named in full elsewhere in the document, or a known name ("Reagan"). A lone word
    the tagger took for a person that is neither (not part of a longer person's name, not a
    census given name or surname, not a Chinese surname, never after a title such as "Mr")
    reads as a company: "Boeing", "Powertrain", "Hewlett-Packard". So does a lone word that
    no person's name explains and that starts an organization's name of the document, even
    when it is a surname ("Wang" after "Wang Laboratories Inc").
    """
    persons = [m for found in mentions for m in found if m.type == PERSON]
    lone = {m.surface for m in persons if " " not in m.surface}
    if not lone:
        return list(mentions)
    in_full = {w for m in persons if " " in m.surface for w in m.surface.split()}
    given, surnames = census_names()
    org_starts = {
        m.surface.split()[0] for found in mentions for m in found
        if m.type == ORG and " " in m.surface
    }  # fmt: skip
    doubtful = {
        word for word in lone - in_full
        if (word in org_starts or (
            word.title() not in given and word.title() not in surnames
            and word.title() not in chinese_surnames()
        )) and not _ever_titled(sentences, word)
    }  # fmt: skip
    if not doubtful:
        return list(mentions)
    return [
        [replace(m, type=ORG, name=m.surface) if m.type == PERSON and m.surface in doubtful
         else m for m in found]
        for found in mentions
    ]  # fmt: skip


def _ever_titled(sentences: Sequence[str], word: str) -> bool:
    """Whether the document writes ``word`` after a person's title ("Mr Smith", "Dr. Smith")."""
    pattern = re.compile(rf"(\w+)\.?\s+{re.escape(word)}\b")
    return any(
        m.group(1).lower() in person_titles() for s in sentences for m in pattern.finditer(s)
    )


def spread_names(
    sentences: Sequence[str], mentions: Sequence[list[Mention]]
) -> list[list[Mention]]:
    """Every occurrence of a name the document already uses, also where the tagger missed it.

    A name tagged in one sentence ("Acme") is a mention wherever the same words stand alone
    elsewhere in the document (GUIDELINES M20: whole words, not followed by an apostrophe and
    two letters), unless the document also writes them in lower case, the occurrence overlaps
    another mention, or it touches another capitalized word (it may be part of a longer name).

    Args:
        sentences: The document's sentences.
        mentions: Each sentence's mentions (offsets into the sentence).

    Returns:
        The mentions of each sentence, with the new ones, in order.
    """
    known: dict[str, Mention] = {}
    for found in mentions:
        for m in found:
            if m.type in ENTITY_TYPES and len(m.surface) > 2:
                known.setdefault(m.surface, m)
    if not known:
        return [list(found) for found in mentions]
    text = " ".join(sentences)
    names = [n for n in sorted(known, key=len, reverse=True) if not _written_lower(text, n)]
    out = [list(found) for found in mentions]
    for name in names:
        model = known[name]
        for sentence, found in zip(sentences, out, strict=True):
            if name not in sentence:
                continue
            for start in _whole_words(sentence, name):
                end = start + len(name)
                if any(m.start < end and start < m.end for m in found):
                    continue
                if model.type == PLACE and _MONEY.match(sentence, end):
                    continue  # "U.S. dollars" beside "the U.S. economy": a currency (O3)
                if _CAPITAL_BEFORE.search(sentence[max(0, start - 30) : start]) or (
                    _CAPITAL_AFTER.match(sentence, end)
                ):
                    continue
                if sentence[:start].endswith("(") and any(
                    m.definition == name for m in found
                ):
                    continue  # "Acme Centre (AC)": the bracket is part of the defining mention
                found.append(
                    Mention(start, end, model.surface, model.type, model.name, model.sector)
                )
    return [sorted(found, key=lambda m: m.start) for found in out]


_CAPITAL_BEFORE = re.compile(r"[A-Z][\w'’.-]*\s$")
_CAPITAL_AFTER = re.compile(r"\s(?:of\s|for\s|and\s)?[A-Z]")
_APOSTROPHE_WORD = re.compile(r"['’][A-Za-z]{2}")


def _whole_words(text: str, words: str) -> Iterator[int]:
    """Where ``words`` occur in ``text`` as whole words (GUIDELINES M20)."""
    at = text.find(words)
    while at >= 0:
        end = at + len(words)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        bounded = not (before.isalnum() or before in "_'’-") and not (
            after.isalnum() or after in "_-"
        )
        if bounded and not _APOSTROPHE_WORD.match(text, end):
            yield at
        at = text.find(words, at + 1)


def _written_lower(text: str, name: str) -> bool:
    """Whether the text also writes ``name`` in lower case ("trust" beside "Trust")."""
    low = name.lower()
    return low != name and next(_whole_words(text, low), None) is not None


@lru_cache(maxsize=1)
def complement_heads() -> frozenset[str]:
    """Heads taking an "on/for/under the" complement (``data/complement_heads.txt``)."""
    return frozenset(read_lines_file(DATA_DIR / "complement_heads.txt"))


_COMPLEMENT = re.compile(r"\s+(?:on|for(?:\s+an?)?|under\s+the)\s+(?=[A-Z])")
_WITH_MORE = re.compile(r"\s+with\s+(?=[A-Z])")


def with_complements(sentence: str, spans: list[Span]) -> list[Span]:
    """An organization name goes on over its complement: "Panel on Climate Change".

    A tagged organization ending in a head of :func:`complement_heads` and followed by "on",
    "for (a)" or "under the" and a run of capitalized words takes the run in (and a further
    "with" run: "Center for a Community with Shared Future"), as GUIDELINES M1 reads such
    names whole. Names found inside the run are dropped. A run that starts with a word never
    a name ("on Monday") is not a complement.
    """
    out = sorted(spans, key=lambda s: s.start)
    for i, span in enumerate(out):
        if span is None or span.type != "ORG":
            continue
        last = sentence[span.start : span.end].rsplit(None, 1)[-1].lower()
        if last not in complement_heads():
            continue
        end = _complement_end(sentence, span.end)
        if end is None:
            continue
        out[i] = Span(span.start, end, span.type, span.confidence)
        for k in range(i + 1, len(out)):
            other = out[k]
            if other is not None and other.start < end:
                keep = other.end > end
                out[k] = Span(end, other.end, other.type, other.confidence) if keep else None
    return [span for span in out if span is not None and span.start < span.end]


def with_owner_words(sentence: str, rules: list[Mention], spans: list[Span]) -> list[Span]:
    """An organization whose name opens with a possessive, as the rules read it.

    "Queen's University", "St John's College", "the Bishop's Action Foundation": the rules keep
    such a name whole (:func:`corpus_tools.entities.possessive_opens_name`), and the tagger,
    which parts names at a possessive, would cut it; the rules' name replaces the tagged
    pieces inside it (a tagged name that covers it stays).
    """
    whole = []
    for rule in rules:
        match = _SINGULAR_POSSESSIVE.search(rule.surface)
        if rule.type != ORG or match is None:
            continue
        if any(s.start <= rule.start and rule.end <= s.end for s in spans):
            continue  # tagged whole, or within a longer name ("People's Daily Online")
        before = rule.surface[: match.start()].split()
        if possessive_opens_name(
            before[-2] if len(before) > 1 else None, before[-1], rule.surface[match.end() :].split()
        ):
            whole.append(Span(rule.start, rule.end, ORG))
    if not whole:
        return spans
    kept = [s for s in spans if not any(w.start < s.end and s.start < w.end for w in whole)]
    return sorted([*kept, *whole], key=lambda s: s.start)


def _complement_end(sentence: str, at: int) -> int | None:
    """Where the complement after offset ``at`` ends, or ``None`` when there is none."""
    link = _COMPLEMENT.match(sentence, at)
    if link is None:
        return None
    run = _capitalized_run(sentence, link.end())
    if run is None:
        return None
    more = _WITH_MORE.match(sentence, run)
    if more is not None:
        run = _capitalized_run(sentence, more.end()) or run
    return run


def _capitalized_run(sentence: str, at: int) -> int | None:
    """The end of the run of capitalized words (with "of", "and" …) starting at ``at``."""
    match = NAME_RUN.match(sentence, at)
    if match is None or match.group().split()[0].lower() in not_names():
        return None
    return match.end()


_FIELDS_AFTER = re.compile(r"\s(?:of|for|on)\s+((?:[A-Z][\w-]*\s+)?[A-Z][\w-]*)$")
_MORE_FIELDS = re.compile(r"(?:,\s+[A-Z][\w-]*)+,?\s+(?:and|&)\s+[A-Z][\w-]*")


def joined_fields(sentence: str, spans: list[Span]) -> list[Span]:
    """An organization named for a list of fields keeps the whole list (GUIDELINES: maximal names).

    "Ministry of Business, Innovation and Employment", "Agency for Science, Technology and
    Research": when a tagged name ends in "of/for/on" and common nouns, and the sentence goes
    on with more capitalized common nouns in a list closed by "and", the list belongs to the
    name. Names of places or people in the list ("University of Otago, Massey and Lincoln")
    are not common nouns, so such a list stays apart. Tagged pieces inside the joined list are
    dropped; one that runs on past it keeps its rest.
    """
    out = list(spans)
    for i, span in enumerate(spans):
        if span.type != "ORG" or out[i] is None:
            continue
        head = _FIELDS_AFTER.search(sentence, span.start, span.end)
        more = _MORE_FIELDS.match(sentence, span.end) if head else None
        if more is None:
            continue
        fields = head.group(1).split() + re.findall(r"[A-Z][\w-]*", more.group())
        if not all(is_common_noun(word) for word in fields):
            continue
        joined = Span(span.start, more.end(), span.type, span.confidence)
        out[i] = joined
        for k, other in enumerate(out):
            if k != i and other is not None and joined.start <= other.start < joined.end:
                rest = _TAIL_AFTER.match(sentence, joined.end, other.end)
                keep = rest is not None and rest.end() < other.end
                out[k] = Span(rest.end(), other.end, other.type, other.confidence) if keep else None
    return [span for span in out if span is not None]


_TAIL_AFTER = re.compile(r"(?:['’]s)?\s*")


_BRACKETS = re.compile(r"[()\[\]{}<>;]")  # and semicolons: no name holds one
_EDGE = {"and", "of", "the", "for", "at", "&", "in", "on", "to", "by", "with", "or"}


def tidy(sentence: str, spans: list[Span]) -> list[Span]:
    """Names without brackets, edge punctuation, connectors or a person's title.

    A tagged name is cut at a bracket or a semicolon ("Acme Centre (ARC)" gives two names,
    joined again as a definition by the rules' step), at a possessive that ends an
    organization's name (:func:`_possessive_ends`), and at ", the" before a capital, which
    lists two names ("the Acme Forum, the Beta Council"). Words a name cannot start or end
    with are dropped ("and", "of", commas); a person's leading title or job word ("Professor",
    "Mr") is not part of the name (GUIDELINES N1).
    """
    out: list[Span] = []
    for span in spans:
        if span.type == "ORG":
            span = replace(span, start=_word_start(sentence, span.start))
        at = span.start
        cuts = [
            *_BRACKETS.finditer(sentence, span.start, span.end),
            *_THE_LIST.finditer(sentence, span.start, span.end),
        ]
        if span.type == "ORG":
            cuts += _possessive_ends(sentence, span)
        cuts.sort(key=lambda m: m.start())
        for match in [*cuts, None]:
            stop = match.start() if match else span.end
            trimmed = _trimmed(sentence, at, stop, span.type)
            if trimmed is not None and span.type == "ORG":
                trimmed, place = _company_end(sentence, *trimmed)
                trimmed, person = _person_end(sentence, *trimmed)
                if person is None:
                    trimmed, person = _person_start(sentence, *trimmed)
                trimmed, host = _unit_at(sentence, *trimmed)
                trimmed = _role_end(sentence, *trimmed)
                if host is not None:
                    out.append(Span(*host, ORG, span.confidence))
                if place is not None:
                    out.append(Span(*place, PLACE, span.confidence))
                if person is not None:
                    out.append(Span(*person, PERSON, span.confidence))
            for part in _coordinated(sentence, trimmed, span.type) if trimmed else ():
                piece = Span(*part, span.type, span.confidence)
                if span.type == PERSON:
                    piece = _with_particles(sentence, _with_surname_before(sentence, piece))
                out.append(piece)
            at = match.end() if match else at
    return out


_HYPHENED_BEFORE = re.compile(r"(?<![\w-])[A-Z][\w]*-$")


def _word_start(sentence: str, start: int) -> int:
    """The start of the hyphened word a name starts inside: "All-China Federation of …".

    Not when the part before the hyphen is a name itself: "China-ASEAN cooperation" joins two.
    """
    while start > 0 and sentence[start - 1] == "-":
        before = _HYPHENED_BEFORE.search(sentence, max(0, start - 20), start)
        if before is None:
            break
        word = before.group(0)[:-1]
        if word.isupper() or word in gazetteers.places() or is_demonym(word):
            break
        start = before.start()
    return start


def _word_spans(sentence: str, start: int, end: int) -> list[tuple[int, int]]:
    """The words and marks of ``sentence[start:end]``, as offsets into the sentence."""
    return [(start + m.start(), start + m.end()) for m in TOKEN.finditer(sentence[start:end])]


_SINGULAR_POSSESSIVE = re.compile(r"(?<=\w)['’]s\s+(?=[A-Z])")


def _possessive_ends(sentence: str, span: Span) -> list[re.Match[str]]:
    """Where a possessive ends an organization's name inside a tagged span (as in the rules).

    "Acme Council's Travel Fund" is Acme Council and its fund; possessives that belong inside
    names ("People's", ``data/name_possessives.txt``) and plural ones ("Teachers' Association")
    do not end it.
    """
    keep = word_lists()["possessives"]
    found = []
    for match in _SINGULAR_POSSESSIVE.finditer(sentence, span.start, span.end):
        word = sentence[: match.start()].rsplit(None, 1)[-1]
        if word + sentence[match.start() : match.start() + 2] not in keep:
            found.append(match)
    return found


def _trimmed(sentence: str, start: int, end: int, kind: str) -> tuple[int, int] | None:
    """The part of ``sentence[start:end]`` left once droppable edge words are cut.

    For a person, the name starts after the last title or job word followed by a name
    ("Whangarei MP Jane Smith" → "Jane Smith"); a given name that is also a title ("Dean")
    stays when nothing would be left but a surname.
    """
    words = _word_spans(sentence, start, end)
    text = [sentence[s:e] for s, e in words]

    def droppable(index: int) -> bool:
        lower = text[index].lower().rstrip(".")
        return not text[index][:1].isalnum() or lower in _EDGE or lower in ("'s", "’s")

    first, last = 0, len(words)
    while first < last and droppable(first):
        first += 1
    while last > first and droppable(last - 1):
        last -= 1
    if kind == PERSON:
        titles, roles = person_titles(), word_lists()["roles"]
        given = census_names()[0]
        # "American Jane Smith": an adjective of nationality before a name is not part of it
        while last - first > 2 and text[first + 1] != "-" and _nationality(text[first], given):
            first += 1
        for i in range(last - 2, first - 1, -1):
            lower = text[i].lower().rstrip(".")
            if (
                (lower in titles or lower in roles)
                and text[i + 1] != "-"  # "Saint-Aignan": a surname, not the title "Saint"
                and (last - i > 2 or given.get(text[i].title(), 10**6) > 1000)
            ):
                first = i + 1
                break
    return (words[first][0], words[last - 1][1]) if first < last else None


_THE_LIST = re.compile(r",\s+the\s+(?=[A-Z])")
_LIST_COMMA = re.compile(r",\s+(?:and\s+)?(?=[A-Z])")
_AND = re.compile(r"\s+(?:and|&)\s+(?:the\s+)?")


def _coordinated(sentence: str, span: tuple[int, int], kind: str) -> list[tuple[int, int]]:
    """The names of a tagged span that lists several ("A, B, and C"; "Acme Corp and Beta").

    A list with a serial comma ("Acme Research, Beta Labs, and Gamma") is cut at its commas.
    "A and B" is cut when B is an acronym or one word after a name that ends in a head word
    ("Acme Alliance and Labour"), when A is a bare head word ("University and Acme
    Science"), or when both are names of two words or more, A ending in a head word or a
    company suffix and B not starting with a head word ("Acme Media Group and Beta Net",
    but "Faculty of Arts and Social Sciences" is one). Two places are cut apart when one is
    a gazetteer place and the whole is not ("Phoenix and Tucson", not "Trinidad and Tobago").
    One-word names that are bare head words ("Ministry") or never names ("She") are dropped
    (GUIDELINES M7).
    """
    start, end = span
    text = sentence[start:end]
    parts = [(start, end)]
    if kind == "ORG" and re.search(r",\s+and\s+[A-Z]", text):
        parts, at = [], start
        for match in _LIST_COMMA.finditer(sentence, start, end):
            parts.append((at, match.start()))
            at = match.end()
        parts.append((at, end))
    elif kind == PLACE and text not in gazetteers.places():
        match = _AND.search(text)
        sides = (text[: match.start()], text[match.end() :]) if match else ()
        if any(side in gazetteers.places() for side in sides):  # "Phoenix and Tucson"
            parts = [(start, start + match.start()), (start + match.end(), end)]
    elif kind == "ORG":
        match = _AND.search(text)
        if match is not None:
            left, right = text[: match.start()].split(), text[match.end() :].split()
            ends = org_head_words().keys() | company_suffixes()
            acronym = len(right) == 1 and right[0].isupper() and len(right[0]) > 1
            after_head = len(right) == 1 and left[-1].lower().rstrip(".") in ends
            # "University and Acme Science", but "Securities and Exchange Commission" is one
            bare_head = (
                len(left) == 1
                and left[0].lower() in org_head_words()
                and not common_compound(left, right)
            )
            two_names = (
                len(left) >= 2
                and len(right) >= 2
                and left[-1].lower().rstrip(".") in ends
                and right[0].lower() not in ends
                and not common_compound(left[-1:], right)  # "US Securities and Exchange …"
            )
            if acronym or after_head or bare_head or two_names:
                parts = [(start, start + match.start()), (start + match.end(), end)]
    return [(s, e) for s, e in parts if e > s and not _bare_word(sentence[s:e], kind)]


def _bare_word(text: str, kind: str) -> bool:
    """A one-word name that is only a head word ("Ministry") or never a name ("She")."""
    lower = text.lower()
    if " " in text or (text.isupper() and len(text) > 1):  # "US", "WHO": acronyms
        return False
    return lower in not_names() or (kind == "ORG" and lower in org_head_words())


_LOCATION_TAIL = re.compile(r",?\s+(?:of|in)\s+(?:the\s+)?|,\s+")


def _company_end(
    sentence: str, start: int, end: int
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """A company's name ends at its legal suffix; a place after it is a place (M12).

    "Acme Co of the United States" → ("Acme Co", "United States"). Returns the name's span and
    the place's, if the tail is a gazetteer place. Capitalized words straight after the suffix
    are not the company's ("Acme Inc. Beta Energy" is cut after "Inc.").
    """
    words = _word_spans(sentence, start, end)
    suffixes = company_suffixes()
    last = max(
        (i for i, (s, e) in enumerate(words) if sentence[s:e].lower().rstrip(".") in suffixes),
        default=None,
    )
    if last is None or last == len(words) - 1 or last == 0:
        return (start, end), None
    name_end = words[last][1] + (1 if sentence[words[last][1] : words[last][1] + 1] == "." else 0)
    tail = _LOCATION_TAIL.match(sentence, name_end) or _RUN_ON.match(sentence, name_end, end)
    if tail is None or tail.end() >= end:
        return (start, end), None
    place = sentence[tail.end() : end]
    if place in gazetteers.places():
        return (start, words[last][1]), (tail.end(), end)
    if _RUN_ON.match(sentence, name_end, end):  # "Acme Inc. Beta said": the name ends at Inc.
        return (start, name_end), None
    return (start, end), None


_RUN_ON = re.compile(r"\s+(?=[A-Z])")
_COMMON_GIVEN_RANK = 1000


def _person_end(
    sentence: str, start: int, end: int
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """A person's name run on after an organization's head word is the person's.

    "the Acme Authority Board Henry Tang said" → ("Acme Authority Board", "Henry Tang"): the
    last two words are a common given name and a surname (1990 US census, or a Chinese
    surname) and the word before them ends an organization's name. Returns the name's span and
    the person's, if there is one.
    """
    words = _word_spans(sentence, start, end)
    if len(words) < 4:
        return (start, end), None
    head, given, surname = (sentence[s:e] for s, e in words[-3:])
    given_ranks, surnames = census_names()
    if (
        head.lower() in org_head_words()
        and given.istitle()
        and given_ranks.get(given, _COMMON_GIVEN_RANK + 1) <= _COMMON_GIVEN_RANK
        and surname.istitle()
        and (surname in surnames or surname in chinese_surnames())
    ):
        return (start, words[-3][1]), (words[-2][0], end)
    return (start, end), None


def _person_start(
    sentence: str, start: int, end: int
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """A person listed before an organization is the person's: "John Smith and Beta Corp".

    The words before "and" are a common given name and a surname (1990 US census, or a Chinese
    surname), the words after it end in an organization head or a company suffix, and do not
    start with one (a firm named after the person: "Marcus Schloss and Co Inc"). Returns the
    organization's span and the person's, if there is one.
    """
    words = _word_spans(sentence, start, end)
    if len(words) < 4 or sentence[slice(*words[2])] != "and":
        return (start, end), None
    given, surname, _, first = (sentence[s:e] for s, e in words[:4])
    given_ranks, surnames = census_names()
    last = sentence[slice(*words[-1])].lower().rstrip(".")
    if first.lower().rstrip(".") in company_suffixes() | org_head_words().keys():
        return (start, end), None  # "Marcus Schloss and Co Inc": a firm named after him
    if (
        given.istitle()
        and given_ranks.get(given, _COMMON_GIVEN_RANK + 1) <= _COMMON_GIVEN_RANK
        and surname.istitle()
        and (surname in surnames or surname in chinese_surnames())
        and surname.lower() not in org_head_words()
        and (last in org_head_words() or last in company_suffixes())
    ):
        return (words[3][0], end), (start, words[1][1])
    return (start, end), None


def _role_end(sentence: str, start: int, end: int) -> tuple[int, int]:
    """An organization's name ends before a job word that follows its head word.

    "Earthquake Commission Fellow in Natural Hazards" is the Earthquake Commission (and a
    fellow of it); "Council of Ministers" keeps its job word, which follows "of".
    """
    words = _word_spans(sentence, start, end)
    roles = word_lists()["roles"]
    heads = org_head_words()
    for i in range(1, len(words)):
        word, before = sentence[slice(*words[i])], sentence[slice(*words[i - 1])]
        if word[:1].isupper() and word.lower() in roles and before.lower() in heads:
            return start, words[i - 1][1]
    return start, end


def _unit_at(
    sentence: str, start: int, end: int
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """"X at Y" (M11): one name, the part after "at", or two names.

    "Students at Acme University" is Acme University: before "at", a unit needs a head. A
    university is no unit of another body: "Acme University at the Z Alliance meeting" names
    two (returned second), but "University at Buffalo" is one name.
    """
    match = re.search(r"\s+at\s+(?:the\s+)?", sentence[start:end])
    if match is None:
        return (start, end), None
    heads = org_head_words()
    left = sentence[start : start + match.start()].split()
    if not any(w.lower() in heads for w in left):
        return (start + match.end(), end), None
    right = sentence[start + match.end() : end].split()
    if heads.get(left[-1].lower()) == "university" and any(w.lower() in heads for w in right):
        return (start, start + match.start()), (start + match.end(), end)
    return (start, end), None


def _nationality(word: str, given: dict[str, int]) -> bool:
    """Whether a word before a person's name is an adjective of nationality, not a name.

    It ends like one and names a people: a listed demonym, a place's people ("American",
    "Pakistani") or a language ("French"). "Koffi" ends like "Pakistani" but is a given name.
    """
    if not (word.istitle() and is_demonym(word)) or word in given:
        return False
    return (
        word in demonyms() or names_a_people_or_language(word) or word[:-1] in gazetteers.places()
    )


_PARTICLE_TAIL = re.compile(r"(?:[ -](?P<particle>[a-z]+))+[ -][A-Z][^\W_]+(?:-[A-Za-z][^\W_]*)*")


_SURNAME_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][a-z]{1,3}) $")


def _with_surname_before(sentence: str, span: Span) -> Span:
    """A Chinese surname that is also an English word opens the name: "said He Yadong".

    The tagger reads "He" as the pronoun and tags "Yadong" alone; a one-word person's name
    that is no census given name, straight after a surname of ``data/chinese_surnames.txt``,
    takes it in.
    """
    word = sentence[span.start : span.end]
    before = _SURNAME_BEFORE.search(sentence, max(0, span.start - 6), span.start)
    if before is None or " " in word or before.group(1) not in chinese_surnames():
        return span
    if word in census_names()[0]:
        return span  # "told He Mary …" is not a name; a Western given name starts its own
    return Span(before.start(1), span.end, span.type, span.confidence)


def _with_particles(sentence: str, span: Span) -> Span:
    """A person's name goes on over lower-case particles ("Cheryl de la Rey", "al-Sisi")."""
    match = _PARTICLE_TAIL.match(sentence, span.end)
    if match is None:
        return span
    particles = re.findall(r"[ -]([a-z]+)(?=[ -])", sentence[span.end : match.end()])
    if not particles or any(p not in name_particles() for p in particles):
        return span
    return Span(span.start, match.end(), span.type, span.confidence)
