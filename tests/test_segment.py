import pandas as pd
import pytest

from corpus_tools.segment import paragraph_spans, paragraphs, sentence_spans, sentences


def split(text):
    return [text[s:e] for _, s, e in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It was built by the No. 214 Institute of China North Industries Group Corporation. It works.",
            [
                "It was built by the No. 214 Institute of China North Industries Group Corporation.",
                "It works.",
            ],
        ),
        (
            "The heads of ZJU Science Park Development Co., Ltd., as well as others attended. Then it ended.",
            [
                "The heads of ZJU Science Park Development Co., Ltd., as well as others attended.",
                "Then it ended.",
            ],
        ),
        (
            "Dr. He Jun met Prof. Li Wei and Mr. Wang.",
            ["Dr. He Jun met Prof. Li Wei and Mr. Wang."],
        ),
        ("They met on St. James St. in London.", ["They met on St. James St. in London."]),
        ("Apple Inc. signed. The deal is done.", ["Apple Inc. signed.", "The deal is done."]),
        (
            "Offices in the U.S. and the U.K. opened. They hired staff.",
            ["Offices in the U.S. and the U.K. opened.", "They hired staff."],
        ),
        (
            "It opened a branch in the U.S. The branch is large.",
            ["It opened a branch in the U.S.", "The branch is large."],
        ),
    ],
)
def test_abbreviations_do_not_split(text, expected):
    assert split(text) == expected


def test_lines_are_units_but_hard_wrapped_prose_is_joined():
    text = "Headline without a stop\nLi Xinran\nA sentence.\n\n" + (
        "This paragraph was wrapped by an e-mail program at about sixty\n"
        "characters per line so that sentences run across the line\n"
        "breaks. It has two sentences."
    )
    assert split(text) == [
        "Headline without a stop",
        "Li Xinran",
        "A sentence.",
        "This paragraph was wrapped by an e-mail program at about sixty\n"
        "characters per line so that sentences run across the line\nbreaks.",
        "It has two sentences.",
    ]


def test_a_headline_in_capitals_is_a_sentence_of_its_own():
    text = (
        "ZORVO CORP SIGNS SUPPLY DEAL WITH TARN INC\nZorvo Corp said on Monday it signed a\n"
        "supply deal with Tarn Inc, its largest customer in the region, for three years."
    )
    found = [text[s:e] for _, s, e in sentence_spans(text)]
    assert found[0] == "ZORVO CORP SIGNS SUPPLY DEAL WITH TARN INC"
    assert found[1].startswith("Zorvo Corp said")


def test_paragraph_ids_follow_blank_lines():
    text = "One. Two.\n\nThree.\n\n\nFour."
    assert [p for p, _, _ in sentence_spans(text)] == [0, 0, 1, 2]
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["One. Two.", "Three.", "Four."]


def test_offsets_round_trip_on_the_seeds(seeds):
    table = sentences(seeds.documents)
    texts = seeds.documents.set_index("doc_id")["text"]
    assert len(table) > 50
    for row in table.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text
    assert (
        table.groupby("doc_id")["sent_id"].apply(lambda s: list(s) == list(range(len(s))))
    ).all()


def test_no_sentence_break_after_no_in_the_seeds(seeds):
    table = sentences(seeds.documents)
    assert not table["text"].str.endswith("No.").any()
    assert (
        table["text"]
        .str.contains("the No. 214 Institute of China North Industries", regex=False)
        .any()
    )


def test_paragraph_table_offsets(seeds):
    table = paragraphs(seeds.documents)
    texts = seeds.documents.set_index("doc_id")["text"]
    for row in table.itertuples():
        chunk = texts[row.doc_id][row.start : row.end]
        assert chunk == chunk.strip() and "\n\n" not in chunk


def test_empty_documents_table():
    empty = pd.DataFrame({"doc_id": [], "text": []})
    assert sentences(empty).empty and list(sentences(empty).columns)[:2] == ["doc_id", "sent_id"]
