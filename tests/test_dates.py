import pytest

from corpus_tools.dates import find_dates, find_years, parse_date_value


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("Updated: 2021-07-14", "2021-07-14", "day"),
        ("11 April, 2013", "2013-04-11", "day"),
        ("April 11, 2013", "2013-04-11", "day"),
        ("Sept. 3rd 2020", "2020-09-03", "day"),
        ("in September 2022", "2022-09", "month"),
        ("2019/12/01 10:00", "2019-12-01", "day"),
    ],
)
def test_find_dates(text, iso, precision):
    (found,) = find_dates(text)
    assert (found.iso, found.precision) == (iso, precision)
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    "text", ["2021-02-30", "Feb 30, 2020", "no date here", "RMB 8 billion in 2013-14"]
)
def test_invalid_or_absent_dates_are_not_found(text):
    assert [d for d in find_dates(text) if d.precision == "day"] == []


def test_years_stand_alone_only():
    assert [
        y.iso for y in find_years("2023 ZJU-Haining meeting, 1,2023 units, version 3.2013")
    ] == ["2023"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-07-14", ("2021-07-14", "day")),
        ("2021-07-14T10:00:00Z", ("2021-07-14", "day")),
        ("1987-03-02 00:00:00", ("1987-03-02", "day")),
        ("2021-07", ("2021-07", "month")),
        ("2021", ("2021", "year")),
        ("11 April, 2013", ("2013-04-11", "day")),
        ("", None),
        (None, None),
        ("nan", None),
        ("not a date", None),
        ("2021-13-01", None),
        ("14/07/2021", None),
    ],
)
def test_parse_date_value(value, expected):
    assert parse_date_value(value) == expected


from corpus_tools.dates import Anchor, sentence_date  # noqa: E402


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected"),
    [
        (
            "On July 13 they signed.",
            Anchor("2021-07-14", "day"),
            ("2021-07-13", "day", "inferred_from_pub_date", "On July 13"),
        ),
        (
            "On January 26, the meeting was held.",
            Anchor("2023", "year", True),
            ("2023-01-26", "day", "explicit", "On January 26"),
        ),
        ("Deals were sealed on October 26.", Anchor(), ("", "", "unknown", "on October 26")),
        (
            "Starting from 2007, they cooperated.",
            Anchor(),
            ("2007", "year", "explicit", "Starting from 2007"),
        ),
        (
            "They issued the plan in September 2022.",
            Anchor(),
            ("2022-09", "month", "explicit", "in September 2022"),
        ),
        ("Since 2013 the two sides grew.", Anchor(), ("2013", "year", "explicit", "Since 2013")),
        (
            "It was founded this year.",
            Anchor("2021-07-14", "day"),
            ("2021", "year", "inferred_from_pub_date", "this year"),
        ),
        (
            "Last month the two signed.",
            Anchor("2021-01-14", "day"),
            ("2020-12", "month", "inferred_from_pub_date", "Last month"),
        ),
        (
            "On December 20 they met.",
            Anchor("2022-01-05", "day"),
            ("2021-12-20", "day", "inferred_from_pub_date", "On December 20"),
        ),
        (
            "Signed on 11 April, 2013 in Beijing.",
            Anchor(),
            ("2013-04-11", "day", "explicit", "on 11 April, 2013"),
        ),
    ],
)
def test_sentence_dates(sentence, anchor, expected):
    found = sentence_date(sentence, anchor)
    assert (found.iso, found.precision, found.basis, found.text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "In recent years, the university has grown.",
        "They may sign 5 deals.",
        "In the past decade, ties grew.",
    ],
)
def test_vague_phrases_give_no_date(sentence):
    assert sentence_date(sentence, Anchor("2021-07-14", "day")) is None


# GUIDELINES D4/D5: the page date is Thursday 2015-06-11
THURSDAY = Anchor("2015-06-11", "day")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The accord was signed yesterday.", ("2015-06-10", "day", "yesterday")),
        ("They signed it today.", ("2015-06-11", "day", "today")),
        ("On Monday, the two sides signed a pact.", ("2015-06-08", "day", "On Monday")),
        ("At Monday's ceremony they signed.", ("2015-06-08", "day", "At Monday's")),
        ("They will sign the deal on Monday.", ("2015-06-15", "day", "on Monday")),
        ("They will sign it next week.", ("2015-06", "month", "next week")),
        ("They signed it two years ago.", ("2013", "year", "two years ago")),
        ("They met six months ago.", ("2014-12", "month", "six months ago")),
        ("They will sign it tomorrow in Rotorua.", ("2015-06-12", "day", "tomorrow")),
        ("They opened talks last November.", ("2014-11", "month", "last November")),
        ("They opened talks last June.", ("2014-06", "month", "last June")),
        ("The lab opened in April.", ("2015-04", "month", "in April")),
        ("The lab opened in September.", ("2014-09", "month", "in September")),
        ("The lab will open in April.", ("2016-04", "month", "in April")),
        ("The lab will open next June.", ("2016-06", "month", "next June")),
        ("In October this year, the lab opened.", ("2015-10", "month", "In October this year")),
        ("They met in May last year.", ("2014-05", "month", "in May last year")),
        ("The envoy arrived on Sunday, and the Games will be held next summer.",
         ("2015-06-07", "day", "on Sunday")),
    ],
)
def test_relative_days_weeks_and_ago_count_from_the_page_date(sentence, expected):
    found = sentence_date(sentence, THURSDAY)
    assert (found.iso, found.precision, found.text) == expected
    assert found.basis == "inferred_from_pub_date"


def test_a_week_spanning_two_months_gives_its_year():
    found = sentence_date("They will sign next week.", Anchor("2015-06-26", "day"))
    assert (found.iso, found.precision) == ("2015", "year")


@pytest.mark.parametrize(
    "sentence",
    [
        "Since the 1990s the two have worked together.",
        "In the 1990’s they met.",
        "He wrote for the Sunday Times.",
        "They have cooperated for six years.",
    ],
)
def test_decades_durations_and_names_give_no_date(sentence):
    assert sentence_date(sentence, THURSDAY) is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("NEW YORK, March 12 - Acme Corp said it signed a lease.", "1987-03-12"),
        ("PORTLAND, Ore., March 3 - Acme Corp said", "1987-03-03"),
        ("SUZHOU, March 2 (Xinhua) -- A park opened.", "1987-03-02"),
        ("BEIJING, Mar. 2 (Xinhua) -- A park opened.", "1987-03-02"),
        ("BEIJING, Mar 2 - Smith spoke.", None),
        ("WELLINGTON (Reuters) - New Zealand said", None),
        ("The two sides met on March 3 - the day after.", None),
    ],
)
def test_a_wire_dateline_gives_its_month_day_with_the_page_year(sentence, expected):
    from corpus_tools.dates import dateline_date

    found = dateline_date(sentence, Anchor("1987-03-12", "day"))
    assert (found.iso if found else None) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The signing took place on 9 March.", ("2015-03-09", "on 9 March")),
        ("The deal was signed on 12th May.", ("2015-05-12", "on 12th May")),
        ("On Friday, 5 June, they met.", ("2015-06-05", "5 June")),
    ],
)
def test_a_day_before_its_month_takes_the_page_year(sentence, expected):
    found = sentence_date(sentence, THURSDAY)
    assert (found.iso, found.text) == expected
