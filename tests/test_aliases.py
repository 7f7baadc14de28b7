import pytest

from corpus_tools import aliases
from corpus_tools.aliases import initials, load_registry
from corpus_tools.pipeline import extract_mentions
from corpus_tools.segment import sentences


def resolve(text, registry=None):
    import pandas as pd

    docs = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    table = extract_mentions(sentences(docs), registry or load_registry())
    return list(zip(table["surface"], table["entity"], table["type"], strict=True))


def test_parenthetical_definition():
    found = resolve("The Chinese Academy of Sciences (CAS) leads. CAS also funds it.")
    assert ("CAS", "Chinese Academy of Sciences", "ORG") in found
    assert [f for f in found if f[0] == "CAS"] == [("CAS", "Chinese Academy of Sciences", "ORG")]


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Zhejiang University", "ZJU"),
        ("Suzhou Industrial Park", "SIP"),
        ("University of Science and Technology of China", "USTC"),
    ],
)
def test_acronyms_match_initials(name, acronym):
    assert acronym in initials(name)
    found = resolve(f"{name} signed an agreement. Later {acronym} opened a campus.")
    assert (acronym, name, "ORG") in found


def test_unmatched_acronyms_are_dropped():
    assert [
        f for f in resolve("The MOU covers AI research in Shanghai.") if f[0] in ("MOU", "AI")
    ] == []


def test_short_form_when_unambiguous():
    found = resolve("Soochow University grew. Today Soochow has partners.")
    assert ("Soochow", "Soochow University", "ORG") in found


def test_short_form_left_alone_when_ambiguous():
    found = resolve("Nanjing University and Nanjing Normal University met. Nanjing hosted it.")
    assert ("Nanjing", "Nanjing", "PLACE") in found


def test_bare_place_joins_its_full_form_and_city_suffix_drops():
    found = resolve("Jiangsu Province grew. Jiangsu is rich. Haining city and Haining agreed.")
    assert ("Jiangsu", "Jiangsu Province", "PLACE") in found
    assert ("Haining city", "Haining", "PLACE") in found and (
        "Haining",
        "Haining",
        "PLACE",
    ) in found


def test_case_variants_merge_across_the_corpus():
    found = resolve(
        "Bank of Communications joined. The Bank Of Communications and Bank of Communications agreed."
    )
    assert {f[1] for f in found if f[2] == "ORG"} == {"Bank of Communications"}


def test_registry_overrides_and_extends(tmp_path):
    assert ("U.S.", "United States", "PLACE") in resolve("Firms in the U.S. grew.")
    mine = tmp_path / "aliases.csv"
    mine.write_text(
        "alias,canonical,type\nSoochow University,Suzhou University,ORG\n", encoding="utf-8"
    )
    found = resolve("Soochow University signed.", load_registry(mine))
    assert found == [("Soochow University", "Suzhou University", "ORG")]


def test_bad_registry_names_the_file_and_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("alias,canonical,type\nX,Y,THING\n", encoding="utf-8")
    aliases._read_registry.cache_clear()
    with pytest.raises(ValueError, match=r"bad\.csv, row 2: type 'THING'"):
        load_registry(bad)
    with pytest.raises(FileNotFoundError, match=r"nope\.csv"):
        load_registry(tmp_path / "nope.csv")


def test_surname_after_full_name_is_the_same_person():
    found = resolve("Professor Tracey Martin spoke. Martin said the deal was good.")
    assert ("Martin", "Tracey Martin", "PERSON") in found
