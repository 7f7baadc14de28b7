"""The timeline notebook's tables: selecting records and placing them in time."""

import pandas as pd

from corpus_tools.timeline import dated_events, per_year, select


def test_a_date_range_applies_to_the_article_date_of_undated_records_placed_there():
    table = pd.DataFrame(
        {
            "a": ["A", "A", "A"], "b": ["B", "C", "D"], "kind": ["mou"] * 3,
            "a_sector": [""] * 3, "b_sector": [""] * 3,
            "date": ["2021-05", "", ""], "article_date": ["2021-06-01", "2019-02-01", ""],
        }
    )  # fmt: skip
    assert list(select(table, date_from="2020")["b"]) == ["B", "C", "D"]
    assert list(select(table, date_from="2020", at_article_date=True)["b"]) == ["B", "D"]


def test_undated_records_are_placed_at_their_article_date_only_when_asked():
    table = pd.DataFrame(
        {
            "a": ["A", "A"], "b": ["B", "C"], "kind": ["mou", "cooperation"],
            "a_sector": [""] * 2, "b_sector": [""] * 2,
            "date": ["2021-05", ""], "article_date": ["2021-06-01", "2019-02-01"],
        }
    )  # fmt: skip
    assert list(dated_events(table)["placed"]) == ["stated"]
    events = dated_events(table, at_article_date=True)
    assert list(zip(events["b"], events["placed"], events["year"], strict=True)) == [
        ("C", "article", 2019), ("B", "stated", 2021)
    ]
    assert per_year(events, "kind").to_dict() == {"mou": {2021: 1}}
