import pandas as pd
import pytest

from corpus_tools.aliases import load_registry
from corpus_tools.evaluate import load_gold, score_partnerships
from corpus_tools.partnerships import dyads, partnerships
from corpus_tools.pipeline import extract, extract_mentions
from corpus_tools.segment import sentences as segment


def records(text, date="", precision="", source=""):
    documents = pd.DataFrame(
        {
            "doc_id": ["d"],
            "text": [text],
            "date": [date],
            "date_precision": [precision],
            "date_source": [source],
            "duplicate_of": [""],
        }
    )
    sentences = segment(documents)
    mentions = extract_mentions(sentences, load_registry())
    return partnerships(documents, sentences, mentions)


def pairs(text, **kw):
    table = records(text, **kw)
    return {(a, b, kind) for a, b, kind in zip(table["a"], table["b"], table["kind"], strict=True)}


def partners(text, **kw):
    """The unordered pairs of a text's records, kinds aside."""
    return {tuple(sorted((a, b))) for a, b, _ in pairs(text, **kw)}


def test_multi_party_statement_expands_pairwise():
    text = (
        "Chongqing signed a strategic cooperation agreement with five universities – Nanjing University, "
        "China Agricultural University and Nanchang University – on July 13."
    )
    assert pairs(text) == {
        ("Chongqing", "Nanjing University", "agreement"),
        ("China Agricultural University", "Chongqing", "agreement"),
        ("Chongqing", "Nanchang University", "agreement"),
    }


def test_including_list_pairs_the_subject_with_each():
    text = (
        "Soochow University has promoted cooperation with over 200 enterprises, including "
        "Phoenix Television, Shagang Group and COFCO Corporation."
    )
    assert {(a, b) for a, b, _ in pairs(text)} == {
        ("Phoenix Television", "Soochow University"),
        ("Shagang Group", "Soochow University"),
        ("COFCO Corporation", "Soochow University"),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Acme University, along with Beta University, signed an agreement with the Gamma "
            "Institute.",
            {("Acme University", "Gamma Institute"), ("Beta University", "Gamma Institute")},
        ),
        (
            "Acme University, together with Beta University, has set up a joint research centre.",
            {("Acme University", "Beta University")},
        ),
        (
            "Acme University, along with Beta University, is a member of the Tasman Research "
            "Alliance.",
            {("Acme University", "Tasman Research Alliance"),
             ("Beta University", "Tasman Research Alliance")},
        ),
    ],
)  # fmt: skip
def test_a_party_along_with_another_is_one_subject_group(text, expected):
    assert partners(text) == expected


def test_every_subject_pairs_with_the_object_however_many():
    text = "Acme University, Beta University and Gamma University signed an MOU with Zorvo Corp."
    assert partners(text) == {
        (s, "Zorvo Corp") for s in ("Acme University", "Beta University", "Gamma University")
    }


def test_joint_institute_founded_by_two_parties():
    text = "The SUN-WIN Joint Research Institute for Nanotechnology was founded by Soochow University and the University of Waterloo."
    assert pairs(text) == {("Soochow University", "University of Waterloo", "joint_institute")}


def test_between_and_coordinated_subjects():
    assert pairs("The deal deepens cooperation between Haining and Zhejiang University.") == {
        ("Haining", "Zhejiang University", "agreement")
    } or pairs("The plan deepens cooperation between Haining and Zhejiang University.") == {
        ("Haining", "Zhejiang University", "cooperation")
    }
    assert pairs("Shanghai and Suzhou sealed agreements on 193 projects.") == {
        ("Shanghai", "Suzhou", "agreement")
    }


def test_mou_is_the_strongest_kind():
    assert pairs(
        "Lincoln University signed a memorandum of understanding with Peking University."
    ) == {("Lincoln University", "Peking University", "mou")}


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (
            "Since 2013, the two sides have deepened their cooperation.",
            ("Haining", "Zhejiang University"),
        ),
        (
            "The university will cooperate with Monash University.",
            ("Monash University", "Zhejiang University"),
        ),
    ],
)
def test_anaphora_carries_the_subject(second, expected):
    text = (
        "Zhejiang University and Haining held talks in Haining. Zhejiang University praised Haining. "
        + second
    )
    found = {(a, b) for a, b, _ in pairs(text)}
    assert expected in found


@pytest.mark.parametrize("anaphor", ["The two firms", "The two companies", "Both companies"])
def test_the_two_firms_are_the_pair_last_named(anaphor):
    text = (
        "Zorvo Motors Corp and Quellan Auto Ltd held talks in Paris on Friday. "
        f"{anaphor} signed a memorandum of understanding."
    )
    assert ("Quellan Auto Ltd", "Zorvo Motors Corp", "mou") in pairs(text)


def test_a_record_says_which_words_were_resolved_to_whom():
    table = records(
        "Zorvo Motors Corp and Quellan Auto Ltd held talks in Paris on Friday. "
        "The two firms signed a memorandum of understanding. "
        "The company will cooperate with Beta Systems Inc."
    )
    notes = dict(zip(table["kind"], table["resolved_from"], strict=True))
    assert notes["meeting"] == ""
    assert notes["mou"] == (
        "The two firms → Quellan Auto Ltd; The two firms → Zorvo Motors Corp"
    )
    assert notes["cooperation"].startswith("The company → ")


def test_an_agreement_elsewhere_in_a_rhetorical_sentence_still_counts():
    text = "Zorvo University signed an agreement with Quellan University and issued a joint statement."
    assert pairs(text) == {("Quellan University", "Zorvo University", "agreement")}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Zorvo Corp signed a merger agreement with Quellan Inc on Monday.", "other"),
        ("Zorvo Corp signed an agreement with Quellan Inc to sell its stake.", "other"),
        ("Zorvo Corp signed an agreement with Quellan Inc to sell its stake, deepening their "
         "partnership.", "agreement"),
        ("Zorvo Corp signed a supply agreement with Quellan Inc on Monday.", "agreement"),
    ],
)  # fmt: skip
def test_an_agreement_to_sell_buy_or_merge_is_other_unless_called_a_partnership(text, kind):
    assert pairs(text) == {("Quellan Inc", "Zorvo Corp", kind)}


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Zorvo Ltd said its agreement to sell its stake in Beta Foods Ltd to Tarn Capital "
         "Corp has been terminated.", "Tarn Capital Corp"),
        ("Zorvo Corp said it signed an agreement to purchase land in Ohio from Tarn Properties "
         "Inc for 2.8 mln dlrs.", "Tarn Properties Inc"),
    ],
)
def test_a_sale_or_purchase_pairs_the_buyer_and_the_seller_not_the_thing_sold(text, other):
    assert {(kind, frozenset((a, b))) for a, b, kind in pairs(text)} == {
        ("other", frozenset((text.split(" said")[0], other)))
    }


def test_an_anniversary_does_not_date_the_cooperation_but_a_signing_keeps_its_date():
    kw = {"date": "2015-06-11", "precision": "day", "source": "metadata"}
    table = records(
        "Zorvo University and Quellan University marked the 20th anniversary of their "
        "partnership this year.",
        **kw,
    )
    assert table[["date", "date_basis", "date_text"]].values.tolist() == [["", "unknown", "this year"]]
    table = records(
        "At the 20th anniversary, Zorvo University signed an MOU with Quellan University "
        "yesterday.",
        **kw,
    )
    assert table["date"].tolist() == ["2015-06-10"]


def test_a_reported_signing_takes_the_dateline_date_but_a_planned_one_does_not():
    table = records(
        "PORTLAND, Ore., May 3 - Zorvo Corp reported higher sales. Zorvo Corp said it signed "
        "a supply contract with Quellan Inc on its own terms. Zorvo Corp said it will form a "
        "joint venture with Beta Systems Inc in Asia.",
        date="1987-05-03", precision="day", source="metadata",
    )
    partner = table["b"].where(table["a"] == "Zorvo Corp", table["a"])
    dates = dict(zip(partner, table["date"], strict=True))
    assert dates == {"Quellan Inc": "1987-05-03", "Beta Systems Inc": ""}


def test_the_dateline_city_is_no_party_and_its_abbreviated_month_dates_the_signing():
    table = records(
        "BEIJING, Nov. 12 (Xinhua) -- Zorvo Corp said it signed a supply contract with "
        "Quellan Inc.",
        date="2020-11-13", precision="day", source="metadata",
    )
    assert table[["a", "b", "date"]].values.tolist() == [["Quellan Inc", "Zorvo Corp", "2020-11-12"]]


def test_a_name_opening_like_an_anaphor_is_the_name_and_its_acronym_stays_in_the_group():
    text = (
        "Quellan University opened a lab. The University of Zorvo (UZ) and Tarn Ltd have been "
        "working closely together since 2005."
    )
    table = records(text)
    assert table[["a", "b", "date"]].values.tolist() == [["Tarn Ltd", "University of Zorvo", "2005"]]


def test_joining_two_others_in_their_venture_pairs_with_each():
    text = "Zorvo Corp said it will join Quellan Inc and Tarn Ltd in their venture in Ohio."
    assert partners(text) == {
        ("Quellan Inc", "Zorvo Corp"), ("Tarn Ltd", "Zorvo Corp")
    }


def test_a_wire_subject_said_it_and_another_agreed():
    text = "Zorvo Savings Bank said it and Quellan Bank for Savings have agreed to merge."
    assert {(a, b) for a, b, _ in pairs(text)} == {("Quellan Bank for Savings", "Zorvo Savings Bank")}


def test_being_joined_by_a_person_is_no_membership():
    text = "He will be joined by Lisa Marsh of Zorvo Group, who works with the United Nations."
    assert {kind for _, _, kind in pairs(text)} <= {"cooperation"}


def test_an_organization_named_after_a_place_is_not_its_partner_unless_named_after_two():
    assert pairs("The Norway Research Council and Norway signed an agreement.") == set()
    assert pairs("Chile and the Forum on Chile-Norway Cooperation signed an agreement.") == {
        ("Chile", "Forum on Chile-Norway Cooperation", "agreement")
    }


def test_an_organization_is_not_the_partner_of_its_own_unit():
    text = "Zorvo University and the Zorvo University Observatory signed an agreement with Tarn Ltd."
    assert partners(text) == {
        ("Tarn Ltd", "Zorvo University"), ("Tarn Ltd", "Zorvo University Observatory")
    }


def test_an_undated_sentence_about_a_dated_instrument_adds_no_record_but_a_relation_does():
    text = (
        "Zorvo University signed an MOU with Quellan University in May 2019. Under the "
        "agreement, Zorvo University and Quellan University will also explore further "
        "collaboration. Zorvo University and Quellan University have worked together for years."
    )
    table = records(text)
    assert sorted(table["date"]) == ["", "2019-05"]
    assert table["evidence"].str.startswith("Under").sum() == 0


def test_the_next_sentence_about_the_same_instrument_dates_the_record():
    table = records(
        "Zorvo University signed an MOU with Quellan University. The signing took place on "
        "9 March. Zorvo University will cooperate with Beta University. Its budget was cut "
        "in 2010.",
        date="2015-06-11", precision="day", source="metadata",
    )
    dates = dict(zip(table["a"], table["date"], strict=True))
    assert dates == {"Quellan University": "2015-03-09", "Beta University": ""}


def test_a_next_sentence_on_who_signed_the_agreement_dates_it():
    table = records(
        "The Tarn Centre has signed an agreement with the Quellan Service. Vice-Chancellor Ann "
        "Lee and the Comptroller, Bo Wu, signed the agreement at the campus yesterday.",
        date="2010-08-05", precision="day", source="metadata",
    )
    assert table["date"].tolist() == ["2010-08-04"]


@pytest.mark.parametrize("verb", ["announced", "clinched", "secured", "finalised"])
def test_a_deal_announced_or_clinched_with_a_party_is_an_agreement(verb):
    text = f"Zorvo Aero Corp {verb} a deal with Quellan Technologies Ltd to build a test platform."
    assert pairs(text) == {("Quellan Technologies Ltd", "Zorvo Aero Corp", "agreement")}


def test_members_of_a_consortium_pair_with_it():
    text = "Zorvo University and Quellan University are members of the Beta Research Consortium."
    assert pairs(text) == {
        ("Beta Research Consortium", "Zorvo University", "alliance_member"),
        ("Beta Research Consortium", "Quellan University", "alliance_member"),
    }


def test_members_listed_after_the_consortium_they_joined_pair_with_it():
    text = (
        "Three more universities joined the Beta Research Consortium later: Zorvo University, "
        "Quellan University and Tarn University."
    )
    assert {b for a, b, _ in pairs(text)} == {
        "Zorvo University", "Quellan University", "Tarn University"
    }


@pytest.mark.parametrize(
    "text",
    [
        "Norway, Chile and Kenya are members of BRICS.",
        "Norway, Chile and Kenya are member states of the Pacific Trade Organization.",
        "BRICS member states Norway, Chile and Kenya signed the plan.",
        "The Pacific Trade Alliance, which brings together Norway, Chile and Kenya, met in May.",
    ],
)
def test_every_member_of_a_body_pairs_with_it(text):
    found = {tuple(sorted((a, b))) for a, b, kind in pairs(text) if kind == "alliance_member"}
    body = next(name for name in ("BRICS", "Pacific Trade Organization", "Pacific Trade Alliance")
                if name in text)
    assert found == {tuple(sorted((member, body))) for member in ("Norway", "Chile", "Kenya")}


def test_the_body_is_named_in_the_membership_words_not_later_in_the_sentence():
    text = (
        "Lee spoke on behalf of a group of 28 member states, including Chile, Norway and Kenya, "
        "at the United Nations."
    )
    assert {kind for _, _, kind in pairs(text)} <= {"cooperation"}
    text = "Zorvo University participates in the EU-funded Tarn Research Consortium."
    assert pairs(text) == {("Tarn Research Consortium", "Zorvo University", "alliance_member")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tarn Institute is a long-time partner of Zorvo University.",
         {("Tarn Institute", "Zorvo University")}),
        ("Zorvo University and its partners, Tarn Institute and Quellan College, began.",
         {("Tarn Institute", "Zorvo University"), ("Quellan College", "Zorvo University")}),
        ("The deal was reached by Zorvo Corp and Tarn Inc after months of talks.",
         {("Tarn Inc", "Zorvo Corp")}),
        ("Under the agreement with Tarn Inc, Zorvo Corp will supply parts.",
         {("Tarn Inc", "Zorvo Corp")}),
        ("Under the agreement with Tarn Inc, Quellan Ltd and Beta Co, Zorvo Corp will supply "
         "parts.", {("Tarn Inc", "Zorvo Corp"), ("Quellan Ltd", "Zorvo Corp"),
                    ("Beta Co", "Zorvo Corp")}),
    ],
)
def test_partners_of_deals_reached_by_and_a_subject_after_the_opening_phrase(text, expected):
    assert partners(text) == {
        tuple(sorted(pair)) for pair in expected
    }


def test_joining_hands_or_forces_is_cooperation_not_membership():
    assert pairs("Zorvo Corp joined forces with the Tarn Institute of Science.") == {
        ("Tarn Institute of Science", "Zorvo Corp", "cooperation")
    }


def test_the_members_of_a_group_are_not_partners_of_the_documents_main_party():
    text = (
        "The United Nations met. The United Nations voted. Fu spoke on behalf of a group of "
        "28 member states, including Chile, Norway and Kenya."
    )
    assert pairs(text) == set()


def test_a_person_before_the_cue_is_the_subject_not_the_documents_main_party():
    text = "Chile won. Chile lost. Chile drew. She has strong ties with Norway."
    assert pairs(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Chile, Norway and Kenya jointly launched the Alliance for Ocean Heritage in 2023.",
        "Chile, Norway and Kenya set up the Tarn Research Network in 2023.",
        "The Alliance for Ocean Heritage was jointly initiated by Chile, Norway and Kenya.",
        "The Tarn Research Network, co-founded by Chile, Norway and Kenya in 2010, has grown.",
    ],
)
def test_the_founders_of_an_alliance_are_its_members(text):
    body = "Alliance for Ocean Heritage" if "Alliance" in text else "Tarn Research Network"
    members = {(b if a == body else a) for a, b, kind in pairs(text) if kind == "alliance_member"}
    assert members == {"Chile", "Norway", "Kenya"}


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Founded in 1967, BRICS groups Chile, Norway and Kenya.", ""),
        ("In 2019, Chile, Norway and Kenya were members of the Tarn Research Network.", ""),
        ("BRICS members Chile, Norway and Kenya met in 2019.", ""),
        ("Chile, Norway and Kenya are members of the Tarn Research Network since 2001.", "2001"),
        ("Chile, Norway and Kenya joined the Tarn Research Network in 2001.", "2001"),
    ],
)
def test_a_membership_is_dated_only_by_its_joining_or_stated_start(text, year):
    table = records(text)
    members = table[table["kind"] == "alliance_member"]
    assert len(members) == 3
    assert set(members["date"].str[:4]) == {year}


def test_member_states_are_the_ones_named_right_after_not_their_targets():
    assert pairs("Some BRICS member states could impose sanctions on Chile and Norway.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "BRICS members Chile, Norway and Kenya account for a fifth of world output.",
        "The three BRICS countries, Chile, Norway and Kenya, account for a fifth of world output.",
        "BRICS, which groups Chile, Norway and Kenya, held a summit.",
        "BRICS (Chile, Norway and Kenya) held a summit in Lima.",
        "Members of the Shanghai Cooperation Organization are Chile, Norway and Kenya.",
        "The Shanghai Cooperation Organization's member states are Chile, Norway and Kenya.",
        "The member countries of BRICS - Chile, Norway and Kenya - agreed on new tariffs.",
        "BRICS, made up of Chile, Norway and Kenya, held a summit.",
        "BRICS, whose members include Chile, Norway and Kenya, held a summit.",
        "BRICS has three members: Chile, Norway and Kenya.",
        "BRICS groups Chile, Norway and Kenya.",
        "BRICS currently has three full members, Chile, Norway and Kenya.",
        "The Shanghai Cooperation Organization's three member states are Chile, Norway and Kenya.",
        "The Shanghai Cooperation Organization, whose member states are Chile, Norway and Kenya, "
        "met in Lima.",
        "They welcomed cooperation with BRICS and its member states Chile, Norway and Kenya.",
    ],
)
def test_a_body_named_with_its_members_pairs_with_each_in_any_sentence(text):
    found = {(a, b) for a, b, kind in pairs(text) if kind == "alliance_member"}
    body = "BRICS" if "BRICS" in text else "Shanghai Cooperation Organization"
    assert found == {tuple(sorted((body, m))) for m in ("Chile", "Norway", "Kenya")}


@pytest.mark.parametrize(
    "text",
    [
        "He said non-BRICS member Norway had pledged support.",  # not a member
        "Acme Corp members Beta Inc and Gamma Ltd voted.",  # a company has no member bodies
        "BRICS (Chile) held a summit.",  # a gloss, not a list
        "BRICS has three new members, Chile said on Monday.",  # a speaker, not a member
    ],
)
def test_a_body_followed_by_names_that_are_not_its_members_gives_no_record(text):
    assert pairs(text) == set()


def test_places_after_ministers_from_are_the_parties_not_locations():
    text = "Ministers from Chile, Peru and Kenya signed a trilateral agreement on Monday."
    assert partners(text) == {("Chile", "Kenya"), ("Chile", "Peru"), ("Kenya", "Peru")}
    assert partners("A factory from Suzhou signed an agreement with Acme Corp.") == set()


def test_who_visited_the_subject_before_signing_is_a_party():
    text = "A delegation from Chengdu visited Acme University and signed an agreement."
    assert partners(text) == {("Acme University", "Chengdu")}


def test_a_place_after_member_states_of_is_not_a_member():
    text = "The meeting of the Council of Member States of BRICS was held in Islamabad, Pakistan."
    assert pairs(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme Corp said the Norway-Chile cooperation would grow.", ("Chile", "Norway")),
        ("A sound Norway-Chile relationship matters, he said.", ("Chile", "Norway")),
        ("He said a Norway–Chile trade pact could set an example.", ("Chile", "Norway")),
    ],
)
def test_a_relation_named_after_its_two_parties_pairs_them(text, expected):
    assert {(a, b) for a, b, _ in pairs(text)} == {expected}


@pytest.mark.parametrize(
    "text",
    [
        "An agreement between Chile, Norway and Kenya was signed in May.",
        "The Tarn Institute was founded by Chile, Norway and Kenya, Zorvo Corp said.",
        'The text noted a "Joint Center" of Chile, Norway and Kenya to observe the truce.',
    ],
)
def test_every_pair_of_an_instruments_equal_parties(text):
    assert partners(text) == {
        ("Chile", "Norway"), ("Chile", "Kenya"), ("Kenya", "Norway")
    }


def test_the_leaders_of_countries_act_for_them_but_one_officials_country_is_no_party():
    text = "Leaders of Chile, Norway and Kenya signed an agreement."
    assert len(pairs(text)) == 3
    text = "The partnership with Zorvo University grew, said Ann Lee, former Prime Minister of Chile."
    assert {b for _, b, _ in pairs(text)} | {a for a, _, _ in pairs(text)} <= {
        "Zorvo University", "Ann Lee"
    }


def test_a_sentence_opening_it_signed_is_about_the_subject_before():
    table = records("Zorvo University opened a lab. It also signed an MOU with Quellan University.")
    assert table[["a", "b", "resolved_from"]].values.tolist() == [
        ["Quellan University", "Zorvo University", "It → Zorvo University"]
    ]
    assert pairs("Zorvo Corp grew. It is vital that Tarn Inc and Quellan Ltd cooperate.") == {
        ("Quellan Ltd", "Tarn Inc", "cooperation")
    }


def test_a_treaty_signed_by_three_countries():
    text = "The treaty was signed by Chile, Norway and Kenya."
    assert len(pairs(text)) == 3


def test_a_meeting_named_after_its_two_parties_pairs_them_without_a_cue():
    text = "Premier Li attends the 23rd Chile-Norway leaders' meeting via video link."
    assert pairs(text) == {("Chile", "Norway", "meeting")}


def test_opening_talks_is_a_meeting_dated_by_the_month_without_a_year():
    table = records(
        "Chile and Norway opened free trade talks last June.",
        date="1987-03-09", precision="day", source="metadata",
    )
    assert table[["a", "b", "kind", "date"]].values.tolist() == [
        ["Chile", "Norway", "meeting", "1986-06"]
    ]


def test_two_parties_joined_by_a_dash_without_a_relation_word_are_no_pair():
    assert pairs("The Norway-Chile border was closed on Monday.") == set()


def test_joint_organisers_pair_with_each_other_and_a_lone_organiser_with_nobody():
    text = (
        "Organized by Zorvo University, the Quellan Education Commission and the Tarn "
        "Institute for Advanced Studies, the forum drew 300 scholars."
    )
    assert partners(text) == {
        ("Quellan Education Commission", "Zorvo University"),
        ("Tarn Institute for Advanced Studies", "Zorvo University"),
        ("Quellan Education Commission", "Tarn Institute for Advanced Studies"),
    }
    assert pairs("The dinner was hosted by Zorvo University in Beijing.") == set()


def test_other_partners_include_pairs_the_main_party_with_each():
    text = (
        "Acme University leads the Gamma project. Acme University hosts it in Zorvo. "
        "Other partners include Zorvo University, Quellan University and Beta Institute."
    )
    assert {b for a, b, _ in pairs(text) if a == "Acme University"} == {
        "Zorvo University", "Quellan University", "Beta Institute"
    }


def test_between_before_the_cue_does_not_name_the_partners():
    text = (
        "In a thaw in relations between Chile and Peru, the two countries have signed a "
        "fisheries protocol with Japan."
    )
    assert pairs(text) == {("Chile", "Japan", "agreement"), ("Japan", "Peru", "agreement")}


def test_both_countries_are_two_places_not_the_companies_named_last():
    text = (
        "Chile and Peru held talks in Lima on Monday. Zorvo Mining Corp and Quellan Metals Ltd "
        "were there. Cooperation between their firms helps both countries, he said."
    )
    table = records(text)
    notes = set(table["resolved_from"])
    assert "both countries → Chile; both countries → Peru" in notes
    assert not any("both countries → Zorvo" in n for n in notes)


def test_authorities_of_a_place_are_the_place_in_a_subject_group():
    assert pairs("Chile authorities and the Tarn Museum signed a cooperation agreement.") == {
        ("Chile", "Tarn Museum", "agreement")
    }


def test_colleagues_at_other_bodies_work_with_the_organization_the_release_names_most():
    text = (
        "Zorvo University in Chile won a grant. Zorvo University staff in Chile cheered. "
        "He and colleagues at the Tarn Institute (TI) and the Quellan Health System (QHS) "
        "will study infant diets."
    )
    assert {(a, b) for a, b, _ in pairs(text)} == {
        ("Tarn Institute", "Zorvo University"), ("Quellan Health System", "Zorvo University")
    }


def test_the_two_countries_are_countries_not_a_region_named_more():
    text = (
        "Norway will boost aid to Chile, the biggest donor in Latin America. Chile and Latin "
        "America grew. The two countries earlier signed two cooperation treaties."
    )
    assert {(a, b) for a, b, _ in pairs(text)} == {("Chile", "Norway")}


def test_every_record_says_which_article_reported_it():
    documents = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "text": ["Zorvo University and Quellan University signed an MOU.", "Nothing here."],
            "date": ["2021-05-04", ""],
            "date_precision": ["day", ""],
            "date_source": ["metadata", ""],
            "source": ["Zorvo Daily", ""],
            "title": ["Two universities sign", ""],
            "duplicate_of": ["", ""],
        }
    )
    sentences = segment(documents)
    table = partnerships(documents, sentences, extract_mentions(sentences, load_registry()))
    assert table[["article_date", "article_source", "article_title"]].values.tolist() == [
        ["2021-05-04", "Zorvo Daily", "Two universities sign"]
    ]
    assert table["date"].tolist() == [""]  # the article's date is not the event's


def test_places_listed_after_a_location_preposition_are_locations_too():
    text = "They travelled through Chile to Norway and Kenya to join the Tarn Research Network."
    assert pairs(text) == set()


def test_non_cooperation_is_no_relation():
    assert pairs("Chile and Norway chose protectionism and non-cooperation with Kenya.") == set()


def test_local_government_points_to_the_last_place():
    text = (
        "Nanchang University is strong in chemistry. The university will strengthen Tongnan district's "
        "industries and work together with the local government to build an incubator."
    )
    assert ("Nanchang University", "Tongnan District") in {(a, b) for a, b, _ in pairs(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Officials from Haining attended the unveiling of the Zhejiang University International Science Park.",
        "Nanjing University will establish a research institute in Chongqing's Liangjiang New Area.",
        "Soochow University was selected for the programme by the Ministry of Education.",
        "REN Shaobo, Secretary of Zhejiang University Communist Party Committee, met the press in Haining.",
        "Zhejiang University and Haining are mentioned together here.",
        # rhetoric, negation, and a hyphenated pair outside a meeting's name
        "Zorvoland and Quellania should further strengthen cooperation in trade, he said.",
        "Zorvoland and Quellania issued a joint statement after the talks.",
        "Zorvoland and Quellania hailed their win-win cooperation.",
        "Officials demanded that Chile not cooperate with Peru on the project.",
        "Chile refused to work together with Peru on the project.",
        "After two years of the Chile-Peru conflict, Japan will host the Summit on Peace.",
        # a cue word inside a name, trade ties, a person's partner, a compound region
        "Zorvo Oil Partners LP said it acquired 12 pct of Tarn Corp.",
        "Chile complained to the General Agreement on Tariffs and Trade about Peru.",
        "China is Chile's largest trading partner.",
        "Our biggest trading partners, Chile and Peru, are growing strongly.",
        "He met his business partner, Tarn Corp's founder, in Lima.",
        "Trade grew in the Asia-Pacific cooperation zone.",
    ],
)
def test_not_partnerships(text):
    assert pairs(text) == set()


def test_dates_are_anchored_to_the_document():
    text = "Chongqing signed an agreement with Nanjing University on July 13."
    dated = records(text, date="2021-07-14", precision="day", source="text_date_line").iloc[0]
    assert (dated["date"], dated["date_precision"], dated["date_basis"], dated["date_text"]) == (
        "2021-07-13",
        "day",
        "inferred_from_pub_date",
        "on July 13",
    )
    stated = records(text, date="2021", precision="year", source="title_year").iloc[0]
    assert (stated["date"], stated["date_basis"]) == ("2021-07-13", "explicit")
    unknown = records(text).iloc[0]
    assert (unknown["date"], unknown["date_basis"], unknown["date_text"]) == (
        "",
        "unknown",
        "on July 13",
    )


def test_named_meeting_of_two_parties():
    text = "On January 26, the ZJU-Haining Strategic Cooperation Meeting was held. Zhejiang University (ZJU) hosted it in Haining."
    found = records(text, date="2023", precision="year", source="title_year")
    assert ("Haining", "Zhejiang University", "meeting", "2023-01-26") in set(
        zip(found["a"], found["b"], found["kind"], found["date"], strict=True)
    )


def test_dyads_summarize_pairs():
    table = records(
        "In 2013 Shanghai and Suzhou signed an agreement. In 2019 Shanghai and Suzhou expanded their cooperation."
    )
    (row,) = dyads(table, pd.DataFrame({"doc_id": ["d"], "duplicate_of": [""]})).itertuples()
    assert (row.a, row.b, row.kinds, row.first_date, row.last_date, row.events, row.docs) == (
        "Shanghai",
        "Suzhou",
        "agreement|cooperation",
        "2013",
        "2019",
        2,
        1,
    )


def test_seeds_partnership_scores_stay_at_or_above_the_level_reached():
    """Regression guard on the annotated seeds (not a cap)."""
    scores = score_partnerships(
        extract("seeds").partnerships, load_gold("tests/gold/seeds-gold.json")
    )
    scores = scores.set_index("measure")
    assert scores.loc["pair", "f1"] >= 0.94
    assert scores.loc["pair_year", "f1"] >= 0.94
    assert scores.loc["date", "recall"] >= 0.97


# one sentence per alternative of every cue pattern, in odd cases and spellings
CUE_EXAMPLES = [
    "The two universities signed an MoU.", "They exchanged MOUS last week.",
    "A Memorandum of Cooperation was signed.", "Letters of Intent were exchanged.",
    "An LOI followed.", "They inked a landmark deal with the city.", "The Accord holds.",
    "Both sides concluded three contracts.", "A trade PACT.", "They struck treaties.",
    "A joint-research laboratory opened.", "The JOINTLY built campus.",
    "They Co-founded the school.", "The centre was cobuilt in 2019.",
    "The lab was set up jointly by A and B.", "It helped in setting up the park.",
    "The park was developed by the city in cooperation with the university.",
    "It joined the Belt and Road Alliance.", "Membership of the Network grew.",
    "They became a member of the Federation.", "A cooperation forum was held.",
    "The mayor met with the president.", "They HELD TALKS on Monday.",
    "The meeting focused on cooperation.", "They co-operated for years.",
    "They collaborate closely.", "A new partnership.", "They worked together.",
    "The firms teamed up.", "Ties deepened.", "They acted in concert with the city.",
    "It supported the establishment of a lab.", "He helped to found the institute.",
    "SCO member states met.", "It joined ASEAN in 1997.", "It joined the World Trade Organization.",
    "The alliance brings together ten cities.", "The network comprises five banks.",
    "It consists of ten members.", "They signed a loan with the bank.", "They agreed to merge.",
    "It signed a financial convention.", "They have a good relationship.", "A coalition formed.",
    "He and colleagues at the institute.", "It acted in conjunction with the city.",
    "It was run in association with the city.", "They were working closely together.",
    "The university worked with the city.", "It joined them in their venture.",
    "They opened free trade talks.", "They joined hands with the city.",
    "They set up the Tarn Research Network.",
]  # fmt: skip


def test_the_trigger_trie_finds_the_longest_trigger_at_each_position():
    import re

    from corpus_tools.partnerships import _trie_pattern

    pattern = re.compile(_trie_pattern(["join", "joint", "co-operat", "cooperat", "pact"]))
    text = "they jointly co-operate; cooperation, joins, impact"
    assert pattern.findall(text) == ["joint", "co-operat", "cooperat", "join", "pact"]


def test_cue_triggers_never_hide_a_match():
    """A cue's triggers are only a fast gate: they must be present wherever its pattern matches."""
    from corpus_tools.partnerships import cues

    documents = extract("seeds", use_cache=False).sentences["text"].tolist()
    hit = set()
    for sentence in [*CUE_EXAMPLES, *documents]:
        for cue in cues():
            matched = cue.pattern.search(sentence) is not None
            assert (cue.search(sentence, sentence.lower()) is not None) == matched, (
                cue.kind,
                sentence,
            )
            if matched:
                hit.add(cue.kind)
    assert hit == {cue.kind for cue in cues()}
    assert all(cue.triggers for cue in cues())


@pytest.mark.parametrize(
    "text",
    [
        "Chile, Peru and Kenya agreed in 2019 to build a railway linking the three countries.",
        "Under the agreement signed in Lima, Chile, Peru and Kenya will cooperate on energy.",
        "The deal was signed in Lima, Peru, by Chile, Norway and Kenya.",
    ],
)
def test_parties_of_an_agreement_are_found_past_a_time_or_place_phrase(text):
    found = partners(text)
    assert ("Chile", "Kenya") in found
    assert len(found) == 3


def test_a_name_holding_a_cue_word_can_still_be_a_party():
    text = "Zorvo Oil Partners LP signed a supply agreement with Tarn Corp."
    assert partners(text) == {("Tarn Corp", "Zorvo Oil Partners LP")}


def test_the_implicit_subject_is_an_organization_or_country_not_a_region():
    text = (
        "Students from the Pacific do well. The Pacific has many islands. "
        "This relationship with Acme University is a wonderful opportunity."
    )
    assert pairs(text) == set()
    text = text.replace("the Pacific", "Chile").replace("The Pacific", "Chile")
    assert partners(text) == {("Acme University", "Chile")}


def test_a_cue_verb_is_a_whole_word_not_the_start_of_a_name():
    # "Wintec" is no form of "win": the cue starts at "signed", after both parties
    assert partners("Tarn University and Wintec have signed an agreement.") == {
        ("Tarn University", "Wintec")
    }


@pytest.mark.parametrize(
    "text",
    [
        "Tarn University's Vice-Chancellor Dr Jane Smith and Zorvo Corp's chief executive "
        "John Brown have signed a new agreement.",
        "Tarn University President Jane Smith and Zorvo Corp Chairman John Brown signed the deal.",
    ],
)
def test_the_bodies_of_people_who_sign_for_them_are_the_parties(text):
    assert partners(text) == {("Tarn University", "Zorvo Corp")}


@pytest.mark.parametrize(
    "second",
    [
        "The University and Zorvo Research have formed a joint venture.",
        "The centre is a joint venture between the University and Zorvo Research.",
        "Zorvo Research and the university signed an agreement on Monday.",
    ],
)
def test_a_one_party_anaphor_beside_a_name_is_a_party(second):
    table = records("Tarn University opened a laboratory. " + second)
    assert {tuple(sorted((a, b))) for a, b in zip(table["a"], table["b"], strict=True)} == {
        ("Tarn University", "Zorvo Research")
    }
    assert table["resolved_from"].str.lower().tolist() == ["the university → tarn university"]


def test_the_university_is_the_last_university_not_a_school_named_since():
    text = (
        "Tarn University opened a laboratory at its School of Nursing. The centre is a joint "
        "venture between the University and Zorvo Research."
    )
    assert partners(text) == {("Tarn University", "Zorvo Research")}


def test_an_anaphor_before_its_unit_leaves_the_unit_as_the_party():
    text = (
        "Tarn University opened a laboratory. The lab is a joint venture between the "
        "University's Department of Geography and the Zorvo Institute."
    )
    assert partners(text) == {("Department of Geography", "Zorvo Institute")}


def test_a_negated_agreement_is_no_relation():
    assert pairs("Zorvo Corp has not been able to reach an agreement with Tarn Inc.") == set()
    assert pairs("Zorvo Corp failed to sign a deal with Tarn Inc.") == set()


def test_an_unwilling_or_unable_party_states_no_relation():
    assert pairs("Zorvo Corp is unwilling or unable to cooperate with Tarn Inc on chips.") == set()
    assert pairs("Zorvo Corp was reluctant to partner with Tarn Inc.") == set()


def test_a_country_is_no_partner_of_its_own_ministry_named_by_its_adjective():
    text = (
        "It was good to see the Chinese Foreign Ministry spokesperson stress that, as "
        "cooperative partners, China and Pakistan's cooperation cannot be undermined."
    )
    assert ("China", "Chinese Foreign Ministry") not in partners(text)


def test_the_body_of_an_officer_who_signs_for_it_is_a_party():
    text = (
        "The agreement was signed by the Vice-Chancellor of Tarn University, Dr Jane Smith, "
        "and the Chairman of Zorvo Corp, John Brown."
    )
    assert partners(text) == {("Tarn University", "Zorvo Corp")}
    # an officer who only speaks of an agreement leaves the body out
    text = "The Dean of the Faculty of Law at Tarn University says the agreement with Zorvo Corp helps."
    assert ("Faculty of Law", "Zorvo Corp") not in partners(text)


def test_a_planned_relation_is_not_dated_by_the_dateline_it_opens_with():
    text = "NEW YORK, March 3 - Zorvo Corp and Tarn Inc said they would form a joint venture."
    (date,) = records(text, date="1987-03-03", precision="day", source="metadata")["date"]
    assert date == ""


def test_a_reported_signing_takes_the_dateline_though_a_plan_follows():
    text = (
        "NEW YORK, March 12 - Zorvo Corp said it signed an agreement with Tarn Inc and plans "
        "to invest more."
    )
    (date,) = records(text, date="1987-03-12", precision="day", source="metadata")["date"]
    assert date == "1987-03-12"


def test_a_contract_made_for_an_organization_pairs_the_two():
    text = "Zorvo Corp said it signed a contract to build a power plant for Quellan Industries Inc."
    assert partners(text) == {("Quellan Industries Inc", "Zorvo Corp")}
    text = "Zorvo Corp said it has reached an agreement for Tarn Chemical Corp to study its lasers."
    assert partners(text) == {("Tarn Chemical Corp", "Zorvo Corp")}


def test_for_after_a_call_a_bid_or_a_spokesman_names_no_client():
    assert partners("Zorvo Corp said the agreement calls for Quellan Inc to pay 2 mln dlrs.") == set()
    assert partners("Zorvo Corp said it signed an agreement, a spokesman for Tarn Ltd said.") == set()
    assert partners("Voters will approve the treaty establishing a charter for Tarn Ltd.") == set()


def test_a_lower_case_alliance_is_a_relation_but_the_alliance_is_an_anaphor():
    assert partners("Zorvo Airlines has formed an alliance with Quellan Air.") == {
        ("Quellan Air", "Zorvo Airlines")
    }
    text = (
        "Zorvo Corp and Quellan Inc founded the Tarn Alliance in 2004. The technology that "
        "comes out of the alliance will sit beside that of Vexley Systems."
    )
    assert ("Quellan Inc", "Zorvo Corp") in partners(text)
    assert not any("Vexley Systems" in pair for pair in partners(text))


def test_the_city_of_a_place_is_the_place_as_a_party():
    assert partners("Yunnan Province and the city of Chiang Mai will cooperate in tourism.") == {
        ("Chiang Mai", "Yunnan Province")
    }


def test_collaborators_at_other_bodies_work_with_the_organization_the_release_names_most():
    text = (
        "The Zorvo University study was published today. Zorvo University is proud. The lead "
        "author is Dr Ann Lee, a fellow at Zorvo University, with collaborators from Quellan "
        "University and the Tarn Institute."
    )
    assert partners(text) == {
        ("Quellan University", "Zorvo University"), ("Tarn Institute", "Zorvo University")
    }


def test_the_body_a_spokesperson_speaks_for_is_no_party():
    text = (
        "Zorvo has signed cooperation documents with 138 countries, Tarn Wei, a spokesperson "
        "for the Vexley Development Commission, told a press conference."
    )
    assert partners(text) == set()
