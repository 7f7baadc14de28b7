import pytest

from corpus_tools.clean import clean_text
from corpus_tools.metadata import detect_date, detect_title


@pytest.mark.parametrize(
    ("text", "title", "source"),
    [
        (
            "Chongqing joins forces with 5 top universities\n\nBody text.",
            "Chongqing joins forces with 5 top universities",
            "text_heading",
        ),
        ("Firms in the U.S.\n\nBody.", "Firms in the U.S.", "text_heading"),
        (
            "Based on its distinctive disciplines and talent sources, Soochow University enhances its "
            "cooperation with other colleges and universities. More follows.",
            "Based on its distinctive disciplines and talent sources, Soochow University enhances its …",
            "first_sentence",
        ),
        ("", "", ""),
    ],
)
def test_detect_title(text, title, source):
    assert detect_title(text) == (title, source)


@pytest.mark.parametrize(
    ("raw", "iso", "precision", "source"),
    [
        (
            "Headline\n\nUpdated: 2021-07-14\n\nBody text follows here.",
            "2021-07-14",
            "day",
            "text_date_line",
        ),
        (
            "Headline\n\n11 April, 2013\n\nBody text follows here.",
            "2013-04-11",
            "day",
            "text_date_line",
        ),
        (
            "Headline\nBEIJING, 11 April, 2013 (Xinhua)\n\nBody text follows here.",
            "2013-04-11",
            "day",
            "text_header",
        ),
        (
            "2023 ZJU-Haining Meeting Successfully Held\n\nOn January 26, the meeting was held.",
            "2023",
            "year",
            "title_year",
        ),
        ("Headline\n\nThe deal was first signed in 2013 and renewed later on.", "", "", ""),
    ],
)
def test_detect_date(raw, iso, precision, source):
    cleaned = clean_text(raw)
    title, _ = detect_title(cleaned.text)
    found = detect_date(cleaned.text, cleaned.removed, title)
    assert (found.iso, found.precision, found.source) == (iso, precision, source)
