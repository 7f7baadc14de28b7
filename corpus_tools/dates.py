"""Calendar dates in text: precompiled patterns, exact parsing, ISO output with a precision.

Used now to find a document's publication date in its header lines and to read metadata
dates; relative dates and event dates build on the same patterns.
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
_YEAR_ONLY = re.compile(r"(?<![\d.,/-])(?:1[89]\d{2}|20\d{2})(?![\d/-]|\.\d|,\d)")
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
