import pytest

from corpus_tools.aliases import initials, load_registry
from corpus_tools.engine import Engine
from corpus_tools.pipeline import extract, extract_mentions
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


def test_well_known_acronyms_are_kept_and_a_definition_still_wins():
    found = resolve("A spokeswoman told the BBC that the G20 measures would help.")
    assert ("BBC", "BBC", "ORG") in found and ("G20", "G20", "ORG") in found
    defined = resolve(
        "The Organization of the Petroleum Exporting Countries (OPEC) met. OPEC said no."
    )
    assert ("OPEC", "Organization of the Petroleum Exporting Countries", "ORG") in defined


def test_an_acronym_before_a_longer_name_is_not_its_short_form():
    found = resolve(
        "The BRICS countries praised the BRICS Vaccine Research and Development Center. "
        "BRICS cooperation grew."
    )
    assert {entity for surface, entity, _ in found if surface == "BRICS"} == {"BRICS"}
    assert ("AUT", "AUT University", "ORG") in resolve("AUT University grew. AUT has partners.")


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
    with pytest.raises(ValueError, match=r"bad\.csv, row 2: type 'THING'"):
        load_registry(bad)
    with pytest.raises(FileNotFoundError, match=r"nope\.csv"):
        load_registry(tmp_path / "nope.csv")


def test_surname_after_full_name_is_the_same_person():
    found = resolve("Professor Tracey Martin spoke. Martin said the deal was good.")
    assert ("Martin", "Tracey Martin", "PERSON") in found


BANK_TEXT = (
    "Zhejiang Development Bank signed a cooperation agreement with Soochow University in 2020. "
    "Zhejiang Development Bank will fund a joint laboratory at Soochow University."
)


def _extract(make_corpus, registry_path=None, **options):
    corpus = make_corpus({"bank.txt": BANK_TEXT})
    return extract(corpus, alias_path=registry_path, engine=Engine(jobs=1), **options)


def _entity(tables, name):
    rows = tables.entities[tables.entities["entity"] == name]
    assert len(rows) == 1, tables.entities
    return rows.iloc[0]


def test_empty_canonical_drops_the_surface_form_everywhere(tmp_path, make_corpus):
    before = _extract(make_corpus, use_cache=False)
    assert "Soochow University" in set(before.mentions["entity"])
    mine = tmp_path / "mine.csv"
    mine.write_text("alias,canonical,type\nsoochow university,,\n", encoding="utf-8")
    registry = load_registry(mine)
    assert registry.is_blocked("Soochow University") and not registry.is_blocked("Soochow")
    after = _extract(make_corpus, mine, use_cache=False)
    for table in (after.mentions, after.entities, after.aliases):
        assert "Soochow University" not in set(table["entity"])
    assert "Soochow University" not in set(after.mentions["surface"])
    assert "Soochow University" not in set(after.partnerships["a"]) | set(after.partnerships["b"])
    assert "Zhejiang Development Bank" in set(after.entities["entity"])


def test_registry_sector_wins_over_the_head_word(tmp_path, make_corpus):
    assert _entity(_extract(make_corpus), "Zhejiang Development Bank")["sector"] != "association"
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "alias,canonical,type,sector\n"
        "ZDB,Zhejiang Development Bank,ORG,association\n"  # the sector names the canonical
        "Soochow University,Soochow University,ORG,research_institute\n",
        encoding="utf-8",
    )
    tables = _extract(make_corpus, mine)
    assert _entity(tables, "Zhejiang Development Bank")["sector"] == "association"
    # over the universities gazetteer too
    assert _entity(tables, "Soochow University")["sector"] == "research_institute"
    sectors = dict(zip(tables.partnerships["a"], tables.partnerships["a_sector"], strict=True))
    sectors |= dict(zip(tables.partnerships["b"], tables.partnerships["b_sector"], strict=True))
    assert sectors.get("Zhejiang Development Bank") == "association"


def test_a_changed_sector_is_not_served_from_the_cache(tmp_path, make_corpus):
    mine = tmp_path / "mine.csv"
    row = "alias,canonical,type,sector\nZDB,Zhejiang Development Bank,ORG,{}\n"
    mine.write_text(row.format("association"), encoding="utf-8")
    assert _entity(_extract(make_corpus, mine), "Zhejiang Development Bank")["sector"] == (
        "association"
    )
    mine.write_text(row.format("government"), encoding="utf-8")
    assert _entity(_extract(make_corpus, mine), "Zhejiang Development Bank")["sector"] == (
        "government"
    )


def test_files_without_a_sector_column_still_load(tmp_path):
    mine = tmp_path / "old.csv"
    mine.write_text("alias,canonical,type\nSDU,Soochow University,ORG\n", encoding="utf-8")
    registry = load_registry(mine)
    assert registry.lookup("SDU") == ("Soochow University", "ORG")
    assert registry.sector_of("Soochow University") == ""


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "A,B,ORG,university\nX,Y,ORG,banking\n",
            r"bad\.csv, row 3: sector 'banking' is not one of",
        ),
        ("X,Y,PLACE,government\n", r"bad\.csv, row 2: sector 'government' on a PLACE row"),
        ("X,,,association\n", r"bad\.csv, row 2: sector 'association' on a row with no canonical"),
        (
            "X,Y,ORG,university\nZ,Y,ORG,enterprise\n",
            r"bad\.csv, row 3: sector 'enterprise' for 'Y' contradicts sector 'university' in row 2",
        ),
        (",Y,ORG,\n", r"bad\.csv, row 2: alias is empty"),
    ],
)
def test_bad_sector_rows_name_the_file_and_row(tmp_path, rows, message):
    bad = tmp_path / "bad.csv"
    bad.write_text("alias,canonical,type,sector\n" + rows, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_registry(bad)


def test_an_edited_registry_is_read_again(tmp_path):
    """Edits in a live kernel take effect: same path, same size, possibly the same mtime tick."""
    mine = tmp_path / "mine.csv"
    mine.write_text("alias,canonical,type\nABC,Alpha Co,ORG\n", encoding="utf-8")
    assert load_registry(mine).lookup("ABC") == ("Alpha Co", "ORG")
    mine.write_text("alias,canonical,type\nABC,Gamma Co,ORG\n", encoding="utf-8")
    assert load_registry(mine).lookup("ABC") == ("Gamma Co", "ORG")
    mine.write_text("alias,canonical,type,sector\nABC,Gamma Co,ORG,enterprise\n", encoding="utf-8")
    assert load_registry(mine).sector_of("gamma co") == "enterprise"
