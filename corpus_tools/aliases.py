"""Alias resolution: every mention gets one canonical entity name.

Within a document: parenthetical definitions ("Chinese Academy of Sciences (CAS)"), acronyms
matched to the initials of a name in the same document (ZJU → Zhejiang University, including
pinyin syllables: Zhe-jiang), short forms ("Soochow" → "Soochow University" when only one name
starts so), bare places completed from the same document ("Jiangsu" → "Jiangsu Province").
Across the corpus: case variants merge into the most frequent spelling. The alias registry
(``data/aliases.csv`` or a researcher's own CSV with ``alias, canonical, type`` and an optional
``sector``) overrides and extends all of this, and every output uses the same one: a row with
an empty ``canonical`` says its surface form is not an entity (its mentions are dropped), and a
``sector`` gives the organization that sector role whatever its head word says.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from corpus_tools import gazetteers
from corpus_tools.clean import read_lines_file
from corpus_tools.entities import (
    ACRONYM,
    ORG,
    PERSON,
    PLACE,
    SECTORS,
    SHORT,
    Mention,
    chinese_surnames,
    company_suffixes,
    place_heads,
)
from corpus_tools.paths import DATA_DIR

REGISTRY_FILE = DATA_DIR / "aliases.csv"
_FUNCTION_WORDS = {"of", "the", "and", "for", "at", "&", "in", "on", "de"}
_PINYIN = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u)"
)


# "Chinese", "American", "Pakistani": adjectives, not short names of organizations
DEMONYM_SUFFIX = re.compile(r"(?:ese|ians?|ans?|ish|ic|i)$")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]*\b")


@dataclass(frozen=True)
class Registry:
    """The alias registry: surface form → (canonical name, type), and organizations' sectors.

    An entry whose canonical name is empty blocks its surface form: the registry says it is
    not an entity, and its mentions are dropped from every output (:meth:`is_blocked`).
    ``sectors`` maps canonical organization names to the sector role the researcher gave them,
    which wins over the head-word and gazetteer rules (:meth:`sector_of`).
    """

    entries: dict[str, tuple[str, str]]
    sectors: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> tuple[str, str] | None:
        """Registry entry for ``name`` (exact, then case-insensitive); canonical ``""`` blocks."""
        return self.entries.get(name) or self._folded()[0].get(name.casefold())

    def is_blocked(self, name: str) -> bool:
        """Whether the registry says ``name`` is not an entity (an empty canonical name)."""
        entry = self.lookup(name)
        return entry is not None and not entry[0]

    def sector_of(self, canonical: str) -> str:
        """The registry's sector for an organization's canonical name (any case), else ``""``."""
        if not self.sectors:
            return ""
        return self.sectors.get(canonical) or self._folded()[1].get(_fold(canonical), "")

    def _folded(self) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
        folded = getattr(self, "_folded_cache", None)
        if folded is None:
            folded = (
                {k.casefold(): v for k, v in self.entries.items()},
                {_fold(k): v for k, v in self.sectors.items()},
            )
            object.__setattr__(self, "_folded_cache", folded)
        return folded


def load_registry(path: str | Path | None = None) -> Registry:
    """Read an alias registry CSV (``alias, canonical, type[, sector]``) over the packaged one.

    A researcher's file is read on top of the packaged registry, its rows winning (entries by
    surface form, sectors by canonical name). The file is read afresh on every call, so an
    edited registry takes effect at the next extraction, also in a running notebook kernel.

    Args:
        path: The researcher's registry CSV; ``None`` or empty for the packaged one only.

    Returns:
        The merged :class:`Registry`.

    Raises:
        FileNotFoundError: ``path`` is not a file.
        ValueError: The file lacks a column, or a row is invalid (empty alias, unknown type or
            sector, a sector on a row that is not an organization, two sectors for one name);
            the message names the file and row.

    Example:
        >>> load_registry().lookup("U.S.")
        ('United States', 'PLACE')
    """
    entries: dict[str, tuple[str, str]] = {}
    sectors: dict[str, str] = {}
    for source in [REGISTRY_FILE, *([Path(path)] if path else [])]:
        rows = _read_registry(source)
        entries.update((row.alias, (row.canonical, row.type)) for row in rows)
        sectors.update((row.canonical, row.sector) for row in rows if row.sector)
    return Registry(entries, sectors)


@dataclass(frozen=True)
class RegistryRow:
    """One validated row of an alias registry file (``row`` is its line number, for messages)."""

    row: int
    alias: str
    canonical: str  # "" : the alias is not an entity
    type: str  # ORG, PLACE, PERSON; may be "" on a row that blocks its alias
    sector: str  # one of entities.SECTORS, or ""


def _read_registry(path: Path) -> tuple[RegistryRow, ...]:
    """The validated rows of one registry file.

    Not cached: a registry is a small file read once per extraction, and a cache keyed on the
    path would keep serving a file the researcher has since edited.
    """
    if not path.is_file():
        raise FileNotFoundError(f"alias file not found: {path}")
    rows: list[RegistryRow] = []
    sector_rows: dict[str, RegistryRow] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"alias", "canonical", "type"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(
                f"{path}: alias file needs columns alias, canonical, type and optionally sector "
                f"(missing {sorted(missing)})"
            )
        for row_no, raw in enumerate(reader, start=2):
            row = _registry_row(path, row_no, raw)
            if row.sector:
                earlier = sector_rows.setdefault(row.canonical, row)
                if earlier.sector != row.sector:
                    raise ValueError(
                        f"{path}, row {row_no}: sector {row.sector!r} for {row.canonical!r} "
                        f"contradicts sector {earlier.sector!r} in row {earlier.row}"
                    )
            rows.append(row)
    return tuple(rows)


def _registry_row(path: Path, row_no: int, raw: dict[str, str | None]) -> RegistryRow:
    """Validate one CSV row of a registry file (see :func:`load_registry` for the rules)."""
    where = f"{path}, row {row_no}"
    alias, canonical = (raw.get("alias") or "").strip(), (raw.get("canonical") or "").strip()
    kind = (raw.get("type") or "").strip().upper()
    sector = (raw.get("sector") or "").strip().lower()
    if not alias:
        raise ValueError(f"{where}: alias is empty")
    if kind not in (ORG, PLACE, PERSON) and (canonical or kind):
        raise ValueError(f"{where}: type {raw.get('type')!r} is not ORG, PLACE or PERSON")
    if sector:
        if sector not in SECTORS:
            raise ValueError(
                f"{where}: sector {raw.get('sector')!r} is not one of {', '.join(SECTORS)}"
            )
        if not canonical:
            raise ValueError(
                f"{where}: sector {sector!r} on a row with no canonical name (not an entity)"
            )
        if kind != ORG:
            raise ValueError(f"{where}: sector {sector!r} on a {kind} row; only ORG has sectors")
    return RegistryRow(row_no, alias, canonical, kind, sector)


@lru_cache(maxsize=1 << 16)
def initials(name: str) -> frozenset[str]:
    """Acronyms a name can be written as: word initials, with pinyin words by syllable.

    Example:
        >>> sorted(initials("Zhejiang University"))
        ['ZJU', 'ZU']
    """
    options = []
    for word in re.split(r"[\s\-]+", name):
        if not word or word.lower() in _FUNCTION_WORDS or not word[0].isalpha():
            continue
        choices = {word[0].upper()}
        if word.isupper() and len(word) > 1:
            choices.add(word)
        syllables = _PINYIN.findall(word.lower())
        if len(syllables) > 1 and "".join(syllables) == word.lower():
            choices.add("".join(s[0] for s in syllables).upper())
        options.append(sorted(choices))
    if len(options) > 8:
        return frozenset({"".join(o[0] for o in options)})
    return frozenset("".join(combo) for combo in itertools.product(*options))


def resolve_document(
    mentions: list[Mention], registry: Registry, text: str = ""
) -> list[tuple[Mention, str, str, str]]:
    """Give each mention of one document its canonical name, type and sector.

    Args:
        mentions: The document's mentions (offsets into the document), in text order.
        registry: The alias registry.
        text: The document's text: a word that also occurs there in lower case ("laureate")
            is an ordinary word, never a short form of a name.

    Returns:
        ``(mention, entity, type, sector)`` for every mention that resolves; acronyms and
        single words that match no name are dropped, but for the well-known acronyms of
        ``data/known_acronyms.txt``.
    """
    not_orgs = {m.name for m in mentions if m.type in (PLACE, PERSON)}
    orgs = [m for m in mentions if m.type == ORG]
    sectors = {m.name: m.sector for m in orgs}
    definitions = {m.definition: m.name for m in mentions if m.definition}
    org_names = sorted({m.name for m in orgs})
    long_places = {
        m.name.rsplit(" ", 1)[0]: m.name
        for m in mentions
        if m.type == PLACE
        and " " in m.name
        and m.name.rsplit(" ", 1)[1] in {"Province", "District", "County", "Prefecture"}
    }
    lower_words: set[str] | None = None  # found when a single word needs it
    by_first_word: dict[str, list[str]] = {}
    for name in org_names:
        if " " in name:
            by_first_word.setdefault(name.split()[0], []).append(name)
    surnames = {}
    for m in mentions:
        if m.type == PERSON and " " in m.name:
            first, last = m.name.split()[0], m.name.split()[-1]
            # Chinese names put the surname first ("Xi Jinping" → "Xi")
            key = first if first.title() in chinese_surnames() else last
            surnames.setdefault(key, m.name)
    campuses = university_places(org_names)
    incorporated = _without_suffix(org_names)
    resolved = []
    for mention in mentions:
        if (
            mention.type in (ORG, PLACE, SHORT)
            and " " not in mention.surface
            and mention.surface in surnames
        ):
            # "Martin" after "Tracey Martin" in the same document is the person, even where
            # an organization starts with the same word ("Martin Centre")
            resolved.append((mention, surnames[mention.surface], PERSON, ""))
            continue
        if mention.type == PERSON and " " not in mention.name and mention.name in surnames:
            resolved.append((mention, surnames[mention.name], PERSON, ""))
            continue
        entry = registry.lookup(mention.surface) or registry.lookup(mention.name)
        if entry is not None:
            canonical, kind = entry
            if canonical:  # an empty canonical name: the registry says this is not an entity
                sector = registry.sector_of(canonical) or sectors.get(canonical, "")
                resolved.append((mention, canonical, kind, sector))
            continue
        university = campuses.get(mention.surface) if mention.type != PERSON else None
        if university is not None:
            # "Otago researchers" in a release of the University of Otago, but "in Otago" and
            # "the Otago region" are the place (GUIDELINES M7: context decides); a person's
            # surname and the registry, read above, win over this reading
            if used_as_place(text, mention.start, mention.end):
                place = gazetteers.places()[mention.surface]
                resolved.append((mention, place, PLACE, ""))
            else:
                resolved.append((mention, university, ORG, sectors.get(university, "")))
            continue
        full = incorporated.get(mention.name)
        if full is not None:
            # "Earth & Sky" beside "Earth & Sky Ltd": the company without its suffix, whatever
            # type the tagger gave it
            resolved.append((mention, full, ORG, sectors.get(full, "")))
            continue
        if mention.type == ORG and _ACRONYM_SHAPE.fullmatch(mention.surface):
            # an acronym the tagger took for an organization: its long form, when the
            # document defines or spells it, else a name of its own ("IBM")
            longer = [n for n in org_names if not _ACRONYM_SHAPE.fullmatch(n)]
            target = definitions.get(mention.surface) or by_initials(mention.surface, longer)
            if target is not None and target != mention.name:
                resolved.append((mention, target, ORG, sectors.get(target, "")))
                continue
        if " " not in mention.surface and mention.surface in gazetteers.languages():
            continue  # "into Malay and Swahili": a language is no entity (GUIDELINES M2)
        if mention.type in (ORG, SHORT) and " " not in mention.surface:
            if lower_words is None:
                lower_words = set(_LOWER_WORD.findall(text))
            target = short_form_of(mention.surface, by_first_word, not_orgs, lower_words)
            if target is not None:
                resolved.append((mention, target, ORG, sectors.get(target, "")))
                continue
        if mention.type in (ORG, PLACE, PERSON):
            name = (
                long_places.get(mention.name, mention.name)
                if mention.type == PLACE
                else mention.name
            )
            resolved.append((mention, name, mention.type, mention.sector))
        elif mention.type == ACRONYM:
            target = definitions.get(mention.surface) or by_initials(mention.surface, org_names)
            if target is None and mention.surface in known_acronyms():
                target = mention.surface  # "told the BBC": a well-known body by its acronym
            if target is not None:
                resolved.append((mention, target, ORG, sectors.get(target, "")))
    return resolved


_ACRONYM_SHAPE = re.compile(r"[A-Z][A-Z0-9&]{1,7}|(?:[A-Z]\.){2,}")


_UNIVERSITY_OF_PLACE = re.compile(r"University of (\w+)|(\w+) University")
_LOCATIVE = re.compile(r"\b(?:in|across|around|near|throughout|outside|of|to|from)\s+(?:the\s+)?$")


def _without_suffix(org_names: Sequence[str]) -> dict[str, str]:
    """Company names of a document without their legal suffixes → the company.

    "Acme Robotics" → "Acme Robotics Ltd", "Borg-Warner" → "Borg-Warner Corp"; a chain of
    suffixes goes too ("Merrill Lynch" → "Merrill Lynch and Co Inc"). When several names of
    the document read so, the short name is the company only if the document also uses it as
    an organization's name. A lone word that is a place or an adjective of nationality is
    never read so ("China" beside "China Co").
    """
    found: dict[str, set[str]] = {}
    for name in org_names:
        base = legal_base(name)
        if base is None or (" " not in base and (base in gazetteers.places() or is_demonym(base))):
            continue
        found.setdefault(base, set()).add(name)
    known = set(org_names)
    return {
        short: next(iter(names)) if len(names) == 1 else short
        for short, names in found.items()
        if len(names) == 1 or short in known
    }


def legal_base(name: str) -> str | None:
    """A company name without its trailing legal suffixes ("Acme and Co Inc" → "Acme"), if any."""
    words = name.split()
    cut = len(words)
    while cut > 1 and words[cut - 1].lower().rstrip(".,") in company_suffixes():
        cut -= 1
        if cut > 1 and words[cut - 1] in ("and", "&"):
            cut -= 1
    return " ".join(words[:cut]).rstrip(",") if cut < len(words) else None


def university_places(org_names: Sequence[str]) -> dict[str, str]:
    """Place words that name a university of the document: "Otago" → "University of Otago".

    The word is a gazetteer place but no large city (a city's name alone is the city:
    "Nanjing", "Auckland"), one university of the document carries it ("University of X",
    "X University"), and no other organization of the document holds it.
    """
    found = {}
    for name in org_names:
        match = _UNIVERSITY_OF_PLACE.fullmatch(name)
        word = match and (match.group(1) or match.group(2))
        if word and word in gazetteers.places() and not _large_city(word):
            found[word] = name
    return {
        word: name for word, name in found.items()
        if sum(word in other.split() for other in org_names if other != word) == 1
    }  # fmt: skip


def _large_city(word: str) -> bool:
    size = gazetteers.population(word)
    return size != float("inf") and size >= 200_000


_NEXT_WORD = re.compile(r"(?:-|\s+)([a-z]+)")


def used_as_place(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` reads as the place: "in Otago", "the Otago region".

    After a preposition of place, or before a place head ("region") or "-based".
    """
    if not text:
        return False
    if _LOCATIVE.search(text, max(0, start - 30), start):
        return True
    after = _NEXT_WORD.match(text, end)
    return after is not None and (
        (after.group(1),) in place_heads() or after.group(1) in ("based", "wide")
    )


def short_form_of(
    word: str, by_first_word: dict[str, list[str]], names: set[str], lower_words: set[str]
) -> str | None:
    """The one organization name of the document that ``word`` is a short form of, if any.

    "Soochow" is short for "Soochow University" when that is the only organization of the
    document starting with it. Never merged: a word the document uses as a person's or a
    place's name (``names``), a gazetteer place ("Asia"), an adjective of nationality
    ("Chinese", "French", ``data/demonyms.txt``), a word the document also writes in lower
    case ("Trust"), or an acronym before more than one word: "BRICS" in "BRICS Vaccine
    Research Center" is a prefix of that name (GUIDELINES M10), while "AUT" is short for
    "AUT University".
    """
    starts = by_first_word.get(word, [])
    if len(starts) != 1 or word in names or word in gazetteers.places():
        return None
    if is_demonym(word) or word.lower() in lower_words:
        return None
    if _ACRONYM_SHAPE.fullmatch(word) and len(starts[0].split()) > 2:
        return None  # "BRICS" beside "BRICS Vaccine Research Center": a prefix (M10), not it
    return starts[0]


@lru_cache(maxsize=1)
def known_acronyms() -> frozenset[str]:
    """Organizations named by their acronym alone ("BBC", "G20"): ``data/known_acronyms.txt``."""
    return frozenset(read_lines_file(DATA_DIR / "known_acronyms.txt"))


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Adjectives of nationality with no regular ending ("French"): ``data/demonyms.txt``."""
    return frozenset(read_lines_file(DATA_DIR / "demonyms.txt"))


def is_demonym(word: str) -> bool:
    """Whether a word reads as an adjective of nationality ("Chinese", "French", "Thai")."""
    return bool(DEMONYM_SUFFIX.search(word)) or word in demonyms()


def by_initials(acronym: str, org_names: list[str]) -> str | None:
    """The shortest of ``org_names`` whose initials spell ``acronym`` (``None`` if none)."""
    letters = re.sub(r"[^A-Z]", "", acronym.upper())
    matches = [name for name in org_names if letters in initials(name)]
    shortest = sorted(matches, key=lambda n: (len(n.split()), n))
    return shortest[0] if shortest else None


def canonical_spellings(mentions: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Merge case variants across the corpus: (type, casefolded name) → the most used spelling.

    Ties go to the spelling with more capitals ("Bank of Communications" over "Bank Of …" only
    when it is used as often), then alphabetical order, so results repeat.
    """
    counts = Counter(zip(mentions["type"].tolist(), mentions["entity"].tolist(), strict=True))
    best: dict[tuple[str, str], tuple[int, str]] = {}
    for (kind, name), count in counts.items():
        key = (kind, _fold(name))
        current = best.get(key)
        candidate = (count, name)
        if current is None or (candidate[0], -_capitals(candidate[1]), candidate[1]) > (
            current[0],
            -_capitals(current[1]),
            current[1],
        ):
            best[key] = candidate
    return {key: value[1] for key, value in best.items()}


def _fold(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def _capitals(name: str) -> int:
    return sum(ch.isupper() for ch in name)


def university_sector(name: str) -> str:
    """``"university"`` when the name is in the universities gazetteer, else ``""``."""
    return "university" if name in gazetteers.universities() else ""
