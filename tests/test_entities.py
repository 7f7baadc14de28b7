import pytest

from corpus_tools.entities import ORG, PERSON, PLACE, find_mentions


def named(sentence, kind=None):
    return [(m.surface, m.type) for m in find_mentions(sentence) if kind is None or m.type == kind]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "It works with the Institute of Modern Physics of the Chinese Academy of Sciences.",
            "Institute of Modern Physics of the Chinese Academy of Sciences",
        ),
        (
            "It founded the Confucius Institute at Portland State University in 2007.",
            "Confucius Institute at Portland State University",
        ),
        (
            "Zhejiang University Holding Group Co., Ltd. signed.",
            "Zhejiang University Holding Group Co., Ltd.",
        ),
        (
            "He thanked the Haining Municipal People’s Government for its support.",
            "Haining Municipal People’s Government",
        ),
        (
            "The No. 214 Institute of China North Industries Group Corporation joined.",
            "No. 214 Institute of China North Industries Group Corporation",
        ),
        (
            "The Suzhou Institute of Nano-Tech and Nano-Bionics is there.",
            "Suzhou Institute of Nano-Tech and Nano-Bionics",
        ),
        (
            "The National Development and Reform Commission issued a plan.",
            "National Development and Reform Commission",
        ),
        (
            "A student of the State University of New York at Stony Brook spoke.",
            "State University of New York at Stony Brook",
        ),
    ],
)
def test_organization_names_are_maximal(sentence, name):
    orgs = named(sentence, ORG)
    assert orgs == [(name, ORG)]


def test_two_names_joined_by_and_are_two_mentions():
    assert named("Nanjing University and China Agricultural University signed.", ORG) == [
        ("Nanjing University", ORG),
        ("China Agricultural University", ORG),
    ]


def test_job_titles_end_an_organization_name():
    sentence = "SHUAI Xielang, Jiaxing Municipal Communist Party Committee Deputy Secretary, spoke."
    assert ("Jiaxing Municipal Communist Party Committee", ORG) in named(sentence)
    assert named("DU Jiangfeng, President of Zhejiang University, spoke.", ORG) == [
        ("Zhejiang University", ORG)
    ]


def test_words_after_the_head_of_a_headline_are_cut():
    assert named("Suzhou Industrial Park Aims to be a Portal", ORG) == [
        ("Suzhou Industrial Park", ORG)
    ]


def test_event_names_are_not_organizations():
    assert named("The Annual Partnership Strategy Conference was held.", ORG) == []


@pytest.mark.parametrize(
    ("sentence", "sector"),
    [
        ("Monash University is there.", "university"),
        ("The Shanghai Institute of Technical Physics is there.", "research_institute"),
        ("The Ministry of Education is there.", "government"),
        ("COFCO Corporation is there.", "enterprise"),
        ("Suzhou Industrial Park is there.", "park_zone"),
        ("The World Dance Education Alliance is there.", "association"),
    ],
)
def test_sectors_come_from_head_words(sentence, sector):
    (org,) = [m for m in find_mentions(sentence) if m.type == ORG]
    assert org.sector == sector


@pytest.mark.parametrize(
    ("sentence", "surface", "name"),
    [
        ("Suzhou is a city in Jiangsu Province.", "Jiangsu Province", "Jiangsu Province"),
        ("Tongnan district's five pillar industries grew.", "Tongnan district", "Tongnan District"),
        ("Thanks to Haining city for the support.", "Haining city", "Haining"),
        (
            "An institute in Chongqing's Liangjiang New Area opened.",
            "Liangjiang New Area",
            "Liangjiang New Area",
        ),
        ("Chongqing in Southwest China signed.", "Southwest China", "Southwest China"),
        ("They opened an office in the city of Kunming last year.", "Kunming", "Kunming"),
    ],
)
def test_place_patterns(sentence, surface, name):
    places = [(m.surface, m.name) for m in find_mentions(sentence) if m.type == PLACE]
    assert (surface, name) in places


def test_places_inside_compounds_and_lists():
    assert named("the Shanghai-based center", PLACE) == [("Shanghai", PLACE)]
    assert named("the Chengdu-Chongqing dual-city economic circle", PLACE) == [
        ("Chengdu", PLACE),
        ("Chongqing", PLACE),
    ]
    assert named("enterprises in Qingpu, Wujiang and Jiaxing applied", PLACE) == [
        ("Qingpu", PLACE),
        ("Wujiang", PLACE),
        ("Jiaxing", PLACE),
    ]


def test_possessive_ends_a_name():
    assert ("Chongqing", PLACE) in named("Chongqing's mid- and long-term development strategies")


@pytest.mark.parametrize(
    ("sentence", "person"),
    [
        ("REN Shaobo, Chairman of the University Council, spoke.", "REN Shaobo"),
        ("Gu Haidong (right), executive vice mayor of Suzhou, signed.", "Gu Haidong"),
        ("Professor Roy Crawford opened the centre.", "Roy Crawford"),
        ("Dr John Hood visited Beijing.", "John Hood"),
        ("Finance Minister Bill English said so.", "Bill English"),
    ],
)
def test_person_name_styles_without_titles(sentence, person):
    assert named(sentence, PERSON) == [(person, PERSON)]


def test_capitalized_acronyms_before_words_are_not_people():
    assert named("ZJU Science Park Development Co., Ltd. opened.", PERSON) == []


def test_offsets_point_into_the_sentence():
    sentence = "In 2010, Soochow University signed with the University of Waterloo (UW)."
    for mention in find_mentions(sentence):
        assert sentence[mention.start : mention.end] == mention.surface


def test_a_name_nested_in_another_is_not_counted_again():
    sentence = (
        "Zhejiang University International Science Park opened; Zhejiang University built it."
    )
    orgs = [m.surface for m in find_mentions(sentence) if m.type == ORG]
    assert orgs == ["Zhejiang University International Science Park", "Zhejiang University"]
    assert named(
        "The Institute of Modern Physics of the Chinese Academy of Sciences grew.", ORG
    ) == [("Institute of Modern Physics of the Chinese Academy of Sciences", ORG)]


def test_demonyms_and_ordinary_words_are_not_short_forms():
    from test_aliases import resolve

    found = resolve(
        "The Chinese Government spoke. Chinese firms agreed. The laureate and Laureate Group met."
    )
    assert not [f for f in found if f[0] in ("Chinese", "Laureate")]


def test_the_title_gate_never_hides_a_titled_name(monkeypatch):
    import re

    from corpus_tools import entities
    from corpus_tools.pipeline import extract

    sentences = [
        "PROFESSOR Roy Crawford spoke.", "Vice  Chancellor Jane Harding opened it.",
        "Dr. Li Wei and Mayor Gu Haidong met — Café owners came.", "Prof Anna Smith, ÉCOLE.",
        *extract("seeds").sentences["text"],
    ]  # fmt: skip
    gated = [entities.find_persons(s) for s in sentences]
    monkeypatch.setattr(entities, "_title_gate", lambda: re.compile(""))  # gates nothing out
    assert [entities.find_persons(s) for s in sentences] == gated
    assert {"Roy Crawford", "Jane Harding", "Anna Smith"} <= {m.surface for f in gated for m in f}
