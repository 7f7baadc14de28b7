"""Calendar dates in text: precompiled patterns, exact parsing, ISO output with a precision.

Used to read metadata dates, to find a document's publication date in its header lines, and to
date the events a sentence reports, anchored to the document's own date:

- a full date, a month and year, or a year in the sentence is ``explicit``;
- a month and day ("On January 26") takes its year from a year the document states about
  itself (its headline: ``explicit``) or from its publication date (``inferred_from_pub_date``);
- "this year", "last year", "last month" are counted from the publication date, and so are
  "today", "yesterday", "on Monday" (the most recent Monday, or the next one for a plan) and
  "next week" (its month, or its year when it spans two months);
- decades ("the 1990s") and durations give no date;
- with no anchor the date stays empty (``unknown``) and the words are kept in ``date_text``;
- vague phrases ("in recent years") give no date.

Candidates are found with precompiled patterns only; no general date parser runs on text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>1[89]\d{2}|20\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

_PATTERNS = [
    # 2021-07-14, 2021/07/14, 2021.07.14 (optionally followed by a time)
    re.compile(r"\b(?P<year>1[89]\d{2}|20\d{2})[-/.](?P<mnum>[01]?\d)[-/.](?P<day>[0-3]?\d)\b"),
    # 11 April, 2013 / 11 Apr 2013
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    # April 11, 2013 / Apr. 11 2013
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    # April 2013
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE),
]
# a year standing alone; not a decade ("the 1990s", "1990's": GUIDELINES D6)
_YEAR_ONLY = re.compile(r"(?<![\d.,/-])(?:1[89]\d{2}|20\d{2})(?![\d/-]|\.\d|,\d|['’]?s\b)")
_ISO_VALUE = re.compile(
    r"\s*(?P<year>\d{4})(?:-(?P<mnum>\d{1,2})(?:-(?P<day>\d{1,2}))?)?(?:[T ][\d:.+\-Z]*)?\s*"
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: where, what it said, and its ISO value."""

    start: int
    end: int
    text: str
    iso: str
    precision: str  # "day", "month" or "year"


def find_dates(text: str) -> list[DateMatch]:
    """Return the calendar dates (day or month precision) in ``text``, in order, not overlapping.

    Args:
        text: Any text.

    Returns:
        Valid dates only: "2021-02-30" or "31 June 2020" are not dates and are left out.
    """
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            iso, precision = _iso_from_groups(match.groupdict())
            if iso:
                found.append(DateMatch(match.start(), match.end(), match.group(0), iso, precision))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda d: d.start)


def find_years(text: str) -> list[DateMatch]:
    """Return the four-digit years (1800–2099) standing alone in ``text``."""
    return [
        DateMatch(m.start(), m.end(), m.group(0), m.group(0), "year")
        for m in _YEAR_ONLY.finditer(text)
    ]


def parse_date_value(value: object) -> tuple[str, str] | None:
    """Read a metadata date.

    Accepted: ISO (``2021-07-14``, ``2021-07``, ``2021``, with or without a time) or a written
    date (``11 April, 2013``).

    Args:
        value: The cell value.

    Returns:
        ``(iso, precision)``, or ``None`` when the value is empty or not a valid date.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.lower() in {"nan", "nat", "none", "null"}:
        return None
    match = _ISO_VALUE.fullmatch(text)
    if match:
        iso, precision = _iso_from_groups(match.groupdict())
        return (iso, precision) if iso else None
    dates = find_dates(text)
    if len(dates) == 1 and len(dates[0].text) >= len(text.rstrip(".")) - 1:
        return dates[0].iso, dates[0].precision
    return None


def _iso_from_groups(groups: dict[str, str | None]) -> tuple[str, str]:
    year = int(groups["year"])
    if groups.get("mnum"):
        month = int(groups["mnum"])
    elif groups.get("month"):
        month = MONTHS[groups["month"].lower().rstrip(".")]
    else:
        return f"{year:04d}", "year"
    day = groups.get("day")
    try:
        if day is None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}", "month"
        return dt.date(year, month, int(day)).isoformat(), "day"
    except ValueError:
        return "", ""


_CAPITAL_MONTHS = "|".join(
    sorted(
        (name.title() for name in MONTHS if len(name) > 3 or name == "may"), key=len, reverse=True
    )
)
# "Nov. 12" (Xinhua's datelines): a three-letter month only with its period ("Mar" alone is a name)
_ABBREVIATED_MONTHS = "|".join(name.title() for name in MONTHS if len(name) == 3 and name != "may")
_CAPITAL_MONTHS_OR_ABBREVIATED = rf"{_CAPITAL_MONTHS}|(?:{_ABBREVIATED_MONTHS})(?=\.)"
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_CAPITAL_MONTHS_OR_ABBREVIATED})\.?\s+{_DAY}\b(?!,?\s+(?:1[89]|20)\d{{2}})(?!\s*(?:-|–|to)\s*\d)"
)
# "9 March", "12th May" (day first, no year)
_DAY_MONTH = re.compile(
    rf"\b{_DAY}\s+(?:of\s+)?(?P<month>{_CAPITAL_MONTHS})\b(?!,?\s+(?:1[89]|20)\d{{2}})"
)
_RELATIVE = re.compile(
    r"\b(?P<which>this|last|next|the previous|the following) (?P<unit>year|month)\b",
    re.IGNORECASE,
)
_CAPITAL_MONTH = re.compile(rf"(?=[JFMASOND])\b(?:{_CAPITAL_MONTHS})\b")  # a first-letter test
# "last November", "in April", "next June": a month with neither day nor year (GUIDELINES D4)
_MONTH_ONLY = re.compile(
    rf"\b(?P<which>(?i:last|this|next|in|early|late|since|from|during|by))\s+(?:early\s+|late\s+)?"
    rf"(?P<month>{_CAPITAL_MONTHS})\b(?!\.?\s*\d)"
    r"(?:,?\s+(?:of\s+)?(?P<year>last|this|next)\s+year\b)?",  # "in October this year"
)
_LEAD = re.compile(
    r"(?:(?:starting|beginning|dating back) (?:from|in) |since |in |from |by |during |until |"
    r"as early as |on |at the end of |early |late |mid-?)?$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# days and weeks counted from the publication day (GUIDELINES D4)
_RELATIVE_DAY = re.compile(
    r"\b(?:(?P<today>today|this morning|this afternoon|tonight)|(?P<yesterday>yesterday)"
    r"|(?P<tomorrow>tomorrow)"
    r"|(?P<week>(?:this|last|next) week)"
    rf"|(?:on |at |last )?(?P<weekday>{'|'.join(WEEKDAYS)})(?:['’]s)?)\b"
    r"(?!\s+(?-i:[A-Z]))",  # not a name: "the Sunday Times"
    re.IGNORECASE,
)
_NUMBER_WORDS = ("a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_AGO = re.compile(
    rf"\b(?P<count>an|{'|'.join(_NUMBER_WORDS)}|\d{{1,2}}) (?P<unit>year|month)s? ago\b",
    re.IGNORECASE,
)
_DATE_FOLLOWS = re.compile(rf",?\s+(?:the\s+)?(?:\d|(?:{_CAPITAL_MONTHS})\b)")
_PLANNED = re.compile(
    r"\b(?:will|shall|is to|are to|is set to|are set to|plans? to|planned to|is due to|"
    r"are due to|is expected to|are expected to|next)\b",
    re.IGNORECASE,
)
BASES = ("explicit", "inferred_from_pub_date", "unknown")


@dataclass(frozen=True)
class EventDate:
    """The date of an event a sentence reports."""

    iso: str  # "" when unknown
    precision: str  # "day", "month", "year" or ""
    basis: str  # one of BASES
    text: str  # the words it was read from


@dataclass(frozen=True)
class Anchor:
    """What a document says about its own date: publication date, or a year it states."""

    iso: str = ""
    precision: str = ""
    stated_year: bool = False  # the year comes from the document's own headline

    @classmethod
    def from_document(cls, date: str, precision: str, source: str) -> Anchor:
        """Build the anchor from a documents-table row's date, precision and date source."""
        return cls(date or "", precision or "", source == "title_year")


def _with_lead(sentence: str, start: int, end: int) -> str:
    lead = _LEAD.search(sentence[max(0, start - 30) : start])
    begin = start - (len(lead.group(0)) if lead else 0)
    return sentence[begin:end].strip()


def sentence_date(sentence: str, anchor: Anchor = Anchor()) -> EventDate | None:
    """The first date a sentence gives for its event, anchored to the document.

    Args:
        sentence: One sentence.
        anchor: The document's publication date or stated year.

    Returns:
        The date, or ``None`` when the sentence names no date.

    Example:
        >>> sentence_date("On July 13 they signed.", Anchor("2021-07-14", "day")).iso
        '2021-07-13'
    """
    found: list[tuple[int, EventDate]] = []
    if _DIGIT.search(sentence):  # every pattern but the relative ones needs a digit
        found.extend(_digit_dates(sentence, anchor))
    lower = sentence.lower()
    if "year" in lower or "month" in lower:
        for match in _RELATIVE.finditer(sentence):
            found.append((match.start(), _anchor_relative(match, anchor)))
    if " ago" in lower:
        for match in _AGO.finditer(sentence):
            found.append((match.start(), _anchor_ago(match, anchor)))
    if _CAPITAL_MONTH.search(sentence):  # a quick test first: most sentences name no month
        for match in _MONTH_ONLY.finditer(sentence):
            found.append((match.start(), _anchor_month_only(match, sentence, anchor)))
    if "day" in lower or "week" in lower or "morning" in lower or "night" in lower or (
        "tomorrow" in lower
    ):
        taken = [(s, s + len(d.text)) for s, d in found]
        for match in _RELATIVE_DAY.finditer(sentence):
            if match.group("weekday") and _DATE_FOLLOWS.match(sentence, match.end()):
                continue  # "on Friday, 5 June": the date that follows says it
            if not any(s <= match.start() < e for s, e in taken):
                found.append((match.start(), _anchor_relative_day(match, sentence, anchor)))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _digit_dates(sentence: str, anchor: Anchor) -> list[tuple[int, EventDate]]:
    """Full dates, months with a year, days of a month, and years, with their offsets."""
    found: list[tuple[int, EventDate]] = []
    for match in find_dates(sentence):
        text = _with_lead(sentence, match.start, match.end)
        found.append((match.start, EventDate(match.iso, match.precision, "explicit", text)))
    taken = [(s, s + len(d.text)) for s, d in found]
    for match in [*_MONTH_DAY.finditer(sentence), *_DAY_MONTH.finditer(sentence)]:
        if any(s <= match.start() < e or match.start() <= s < match.end() for s, e in taken):
            continue
        taken.append(match.span())
        text = _with_lead(sentence, match.start(), match.end())
        found.append((match.start(), _anchor_month_day(match, anchor, text)))
    for match in find_years(sentence):
        if any(s <= match.start < e for s, e in taken):
            continue
        text = _with_lead(sentence, match.start, match.end)
        found.append((match.start, EventDate(match.iso, "year", "explicit", text)))
    return found


def _anchor_month_day(match: re.Match[str], anchor: Anchor, text: str) -> EventDate:
    month = MONTHS[match.group("month").lower()]
    day = int(match.group("day"))
    if not anchor.iso:
        return EventDate("", "", "unknown", text)
    year = int(anchor.iso[:4])
    basis = "explicit" if anchor.stated_year else "inferred_from_pub_date"
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return EventDate("", "", "unknown", text)
    if anchor.precision == "day" and not anchor.stated_year:
        published = dt.date.fromisoformat(anchor.iso)
        if (candidate - published).days > 31:  # news reports the past: "December 20" in January
            try:
                candidate = dt.date(year - 1, month, day)
            except ValueError:
                return EventDate("", "", "unknown", text)
    return EventDate(candidate.isoformat(), "day", basis, text)


def _planned_near(sentence: str, match: re.Match[str]) -> bool:
    """Whether the words around a time speak of a plan ("will sign on Monday").

    Only its own clause counts: in "arrived on Sunday …, and the Games will be held next
    summer" the "will" is another event's.
    """
    end = match.end() + 40
    boundary = _CLAUSE_END.search(sentence, match.end(), end)
    end = boundary.start() if boundary else end
    return _PLANNED.search(sentence, max(0, match.start() - 60), end) is not None


_CLAUSE_END = re.compile(r",\s+(?:and|but|while|whereas)\b|;")


def _anchor_month_only(match: re.Match[str], sentence: str, anchor: Anchor) -> EventDate:
    """Dates "last November", "in April", "next June" from the publication month (D4).

    "last" is the latest such month before the publication month, "next" the first after it;
    otherwise the nearest one in the direction the tense implies (a plan looks ahead). "In
    October this year" or "in May last year" says its year.
    """
    text = match.group(0)
    if anchor.precision not in ("day", "month") or anchor.stated_year or not anchor.iso:
        return EventDate("", "", "unknown", text)
    year, published = int(anchor.iso[:4]), int(anchor.iso[5:7])
    month = MONTHS[match.group("month").lower()]
    which = match.group("which").lower()
    if match.group("year"):
        year += {"last": -1, "this": 0, "next": 1}[match.group("year").lower()]
    elif which == "last" or (which != "next" and not _planned_near(sentence, match)):
        later = month > published or (which == "last" and month == published)
        year -= 1 if later else 0
    elif month < published or (which == "next" and month == published):
        year += 1
    return EventDate(f"{year:04d}-{month:02d}", "month", "inferred_from_pub_date", text)


def _anchor_relative_day(match: re.Match[str], sentence: str, anchor: Anchor) -> EventDate:
    """Dates "today", "yesterday", "tomorrow", "on Monday", "next week" from the publication day.

    A weekday is the most recent one, or the next one when the sentence speaks of a plan
    ("will sign on Monday"); a week gives the month it falls in, or the year when it spans two.
    """
    text = match.group(0)
    if anchor.precision != "day" or anchor.stated_year or not anchor.iso:
        return EventDate("", "", "unknown", text)
    published = dt.date.fromisoformat(anchor.iso)
    basis = "inferred_from_pub_date"
    if match.group("today"):
        return EventDate(published.isoformat(), "day", basis, text)
    if match.group("yesterday"):
        return EventDate((published - dt.timedelta(days=1)).isoformat(), "day", basis, text)
    if match.group("tomorrow"):
        return EventDate((published + dt.timedelta(days=1)).isoformat(), "day", basis, text)
    if match.group("weekday"):
        weekday = WEEKDAYS.index(match.group("weekday").lower())
        if _planned_near(sentence, match) and not text.lower().startswith("last"):
            day = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
        else:
            day = published - dt.timedelta(days=(published.weekday() - weekday) % 7)
        return EventDate(day.isoformat(), "day", basis, text)
    shift = {"this": 0, "last": -7, "next": 7}[match.group("week").split()[0].lower()]
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(days=shift)
    sunday = monday + dt.timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return EventDate(f"{monday.year:04d}-{monday.month:02d}", "month", basis, text)
    if monday.year == sunday.year:
        return EventDate(f"{monday.year:04d}", "year", basis, text)
    return EventDate("", "", "unknown", text)


_DATELINE = re.compile(
    r"\s*[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3}(?:,\s+[A-Z][a-z]{1,5}\.?)?,\s+"
    rf"(?P<when>(?:{_CAPITAL_MONTHS_OR_ABBREVIATED})\.?\s+[0-3]?\d)\b[^-–—\n]{{0,24}}?\s[-–—]"
)


def dateline_end(sentence: str) -> int:
    """Where a wire dateline opening ``sentence`` ends ("BEIJING, Nov. 12 (Xinhua) -"), else 0."""
    match = _DATELINE.match(sentence)
    return match.end() if match else 0


def dateline_date(sentence: str, anchor: Anchor = Anchor()) -> EventDate | None:
    """The date of a wire dateline that opens ``sentence`` ("PORTLAND, Ore., May 3 -").

    Its month-day takes the publication year (GUIDELINES D3, D7): ``inferred_from_pub_date``.
    ``None`` when the sentence opens with no dated dateline or nothing anchors it.
    """
    match = _DATELINE.match(sentence)
    if match is None:
        return None
    month_day = _MONTH_DAY.search(sentence, match.start("when"), match.end("when"))
    if month_day is None:
        return None
    date = _anchor_month_day(month_day, anchor, match.group("when"))
    return date if date.iso else None


def _anchor_ago(match: re.Match[str], anchor: Anchor) -> EventDate:
    """Dates "two years ago", "six months ago", counted back from the publication date."""
    text, count = match.group(0), match.group("count").lower()
    count = "a" if count == "an" else count
    n = int(count) if count.isdigit() else max(1, _NUMBER_WORDS.index(count))
    if not anchor.iso or anchor.stated_year:
        return EventDate("", "", "unknown", text)
    year = int(anchor.iso[:4])
    if match.group("unit").lower() == "year":
        return EventDate(f"{year - n:04d}", "year", "inferred_from_pub_date", text)
    if len(anchor.iso) < 7:
        return EventDate("", "", "unknown", text)
    month = int(anchor.iso[5:7]) - n
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return EventDate(f"{year:04d}-{month:02d}", "month", "inferred_from_pub_date", text)


def _anchor_relative(match: re.Match[str], anchor: Anchor) -> EventDate:
    text = match.group(0)
    if not anchor.iso or (anchor.stated_year and match.group("unit") == "month"):
        return EventDate("", "", "unknown", text)
    which = match.group("which").lower()
    shift = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(which, 0)
    basis = "explicit" if anchor.stated_year else "inferred_from_pub_date"
    year = int(anchor.iso[:4])
    if match.group("unit") == "year":
        return EventDate(f"{year + shift:04d}", "year", basis, text)
    if len(anchor.iso) < 7:
        return EventDate("", "", "unknown", text)
    month = int(anchor.iso[5:7]) + shift
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return EventDate(f"{year:04d}-{month:02d}", "month", basis, text)
