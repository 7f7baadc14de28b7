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
