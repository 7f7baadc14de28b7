import pytest

from corpus_tools.clean import clean_text, load_rules, normalize_newlines
from corpus_tools.paths import SEEDS_DIR

ARTICLE = "Soochow University signed an agreement with the University of Waterloo."


def rules_of(result):
    return [r.rule for r in result.removed]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Follow us on Twitter:", "social"),
        ("Like us on Facebook:", "social"),
        ("Home > Local", "navigation"),
        ("Contact Us | Terms and Conditions | Privacy Policy", "navigation"),
        ("Source: ZJU Convergence Media Center;", "credits"),
        ("Photography: ZHU Yuanzhi;", "credits"),
        ("© 2021 China Daily. All rights reserved.", "copyright"),
        ("Updated: 2021-07-14", "date_line"),
        ("11 April, 2013", "date_line"),
        (
            "Please subscribe: provide a working email address so passcodes can be sent to you.",
            "subscription",
        ),
    ],
)
def test_boilerplate_lines_are_removed_and_recorded(line, rule):
    result = clean_text(f"{ARTICLE}\n\n{line}\n\n{ARTICLE}")
    assert line.strip() not in result.text
    assert rules_of(result) == [rule]
    assert result.removed[0].text == line.strip()
    assert result.removed[0].first_line == 3


def test_comment_section_removes_everything_after_it():
    text = f"{ARTICLE}\n\nLeave a Reply\n\nNice post!\n\nYou are commenting using your account."
    result = clean_text(text)
    assert result.text == ARTICLE
    (removal,) = result.removed
    assert removal.rule == "comment_section"
    assert (removal.first_line, removal.last_line) == (3, 7)
    assert "Nice post!" in removal.text


def test_inline_photo_credit_is_cut_from_its_caption():
    result = clean_text("The art sculpture of Harmony (Photo credit: Wikipedia)\n\n" + ARTICLE)
    assert result.text.startswith("The art sculpture of Harmony\n")
    assert rules_of(result) == ["photo_credit"]


def test_menus_after_the_last_sentence_are_removed():
    text = (
        f"{ARTICLE}\n\nABOUT Introduction Development Zones Officials\n\n"
        "NEWS Local Business Events Life Photos"
    )
    result = clean_text(text)
    assert result.text == ARTICLE
    assert rules_of(result) == ["menu", "menu"]


@pytest.mark.parametrize("label", ["Special Reports", "ENDS", "- MORE -", "REUTER"])
def test_closing_label_is_removed(label):
    result = clean_text(f"{ARTICLE}\n\n{label}")
    assert result.text == ARTICLE
    assert rules_of(result) == ["closing_label"]


def test_a_closing_label_word_inside_the_article_is_kept():
    text = f"More\n\n{ARTICLE}"
    assert clean_text(text).text == text


def test_removals_carry_offsets_into_the_text():
    raw = f"{ARTICLE}\r\n\r\nFollow us on Twitter:\r\n\r\nCaption text (Photo/Supplied) ends."
    normalized = raw.replace("\r\n", "\n")
    for removal in clean_text(raw).removed:
        assert normalized[removal.start : removal.end] == removal.text


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Contact the writers at jane.doe@example.com.", "contact_email"),
        (
            "Send us your writings at opinion@example.com.cn, and comment@example.com.cn.",
            "contact_email",
        ),
        ("The views don't necessarily reflect those of the Daily Paper.", "disclaimer"),
        ("Jane Doe in Tokyo and Li Wei in Bangkok contributed to this story.", "story_credit"),
        ("[Photo/Xinhua]", "photo_credit"),
        ("(People's Daily Online/Photo by Li Wei）", None),
        ("（Photo: Li Wei）", "photo_credit"),
    ],
)
def test_inline_rules_work_in_texts_without_line_breaks(sentence, rule):
    text = f"{ARTICLE} {sentence} {ARTICLE}"
    result = clean_text(text)
    if rule is None:
        assert result.removed == ()
    else:
        assert rules_of(result) == [rule]
        assert sentence.strip() not in result.text
        assert result.text.count(ARTICLE) == 2


def test_an_author_note_closing_the_text_is_removed_with_what_follows():
    note = (
        "The author is editor-in-chief at Acme Media Group. He also chairs the Beta Council."
        " The views do not necessarily reflect those of the Daily Paper."
    )
    result = clean_text(f"{ARTICLE} {note}")
    assert rules_of(result) == ["author_note"]
    assert result.text == ARTICLE


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Mobile: 021 926 408", "contact_phone"),
        ("Jane Doe h 3561089; cellphone 025 281 5622 (Head Office)", "contact_phone"),
        ("_Smith J, Doe A. Smokefree signage at playgrounds: observations. Tob Dis 2017_", "citation"),
        ("Smith J, Doe A, et al. Signage at racecourses. New Zealand Medical Journal 2017.", "citation"),
    ],
)
def test_contact_and_reference_lines_are_removed(line, rule):
    result = clean_text(f"{ARTICLE}\n\n{line}")
    assert rules_of(result) == [rule]
    assert result.text == ARTICLE


@pytest.mark.parametrize(
    "text",
    [
        # an author named inside the article, far from its end, is content
        "The author is known for her novels. " + ARTICLE * 20,
        "The phone company sold 2000 units in 2017.",
        "Smith J, the dean, said the 2017 intake was the largest.",
        # a list of partners after a colon is article content
        f"{ARTICLE} Partners include:\n\nLincoln University\n\nMassey University",
        # a single title-case line is a headline, not a menu
        f"Chongqing Joins Forces With Five Universities\n\n{ARTICLE}",
        # a "Comments" heading inside a release is content
        f"{ARTICLE}\n\nComments\n\nThe editor said the ranking was simple.",
        # subscriptions as a business topic are content
        f"{ARTICLE}\n\nThe newsletter will be published weekly. Annual subscriptions are 126 dlrs.",
        "Copyright law changed in 2019, the university said.",
        # a company name closing a wire story is content
        f"{ARTICLE}\n\nLaidlaw Transportation Ltd",
        f"{ARTICLE}\n\nHelen Leahy",
        # an e-mail address without a request to write is content
        f"{ARTICLE} The office address is office@example.org for the project.",
    ],
)
def test_article_content_is_kept(text):
    result = clean_text(text)
    assert result.removed == ()
    assert result.text == "\n\n".join(p for p in text.split("\n\n"))


def test_paragraphs_are_separated_by_one_blank_line():
    result = clean_text("Title\r\n\r\n\r\nFirst line\r\nsecond line\r\n\r\n\r\nLast.\r\n")
    assert result.text == "Title\n\nFirst line\nsecond line\n\nLast."


def test_normalize_newlines():
    assert normalize_newlines("a\r\nb\rc\u2028d\x00") == "a\nb\nc\nd"


def test_seed_001_comments_and_subscriptions_removed_article_kept():
    raw = (SEEDS_DIR / "001_958c3f2ce8948864.txt").read_text(encoding="utf-8")
    result = clean_text(raw)
    for gone in (
        "Follow us on Twitter",
        "Like us on Facebook",
        "Leave a Reply",
        "north face coupons",
        "passcodes",
        "You are commenting",
        "Follow the Magazine",
        "From: Suzhou Industrial Park",
    ):
        assert gone not in result.text
    assert {"comment_section", "subscription", "social"} <= set(rules_of(result))
    assert "Czech Technology China Center" in result.text
    assert result.text.rstrip().endswith("RMB 8 billion.")


def test_seed_004_menus_removed_article_kept():
    raw = (SEEDS_DIR / "004_d6b9342d15ac5bb5.txt").read_text(encoding="utf-8")
    result = clean_text(raw)
    for gone in (
        "ABOUT Introduction",
        "INVESTING Why Liangjiang",
        "LIVING Food Hotels",
        "NEWS Local Business",
        "Privacy Policy",
        "Home > Local",
        "Updated: 2021-07-14",
    ):
        assert gone not in result.text
    assert rules_of(result).count("menu") == 4
    assert result.text.startswith("Chongqing joins forces with 5 top universities")


def test_gold_body_text_survives_cleaning(seeds, seeds_gold):
    """Every body span of the annotated seeds is still in the cleaned text."""
    for doc_id, gold in seeds_gold.items():
        raw = next(SEEDS_DIR.glob(f"{doc_id}*.txt")).read_text(encoding="utf-8")
        cleaned = seeds.documents.set_index("doc_id").loc[doc_id, "text"]
        for start, end in gold["body_char_spans"]:
            for line in raw[start:end].splitlines():
                assert " ".join(line.split()) in " ".join(cleaned.split()), (doc_id, line)


def test_an_inline_rule_is_tried_only_on_lines_holding_its_literals(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text(
        "rule,kind,pattern,requires,description\n"
        "tag,inline,\\s*[\\[(][^\\])]*[\\])],[,a tag in square brackets (round ones are not tried)\n"
        "shout,inline,\\s*!!+,,no literal: tried on every line\n",
        encoding="utf-8",
    )
    rules = load_rules(path)
    assert [r.requires for r in rules] == [("[",), ()]
    result = clean_text("Acme signed [wire] a deal!!\n\nBeta (wire) agreed.", rules=rules)
    assert result.text == "Acme signed a deal\n\nBeta (wire) agreed."
    assert rules_of(result) == ["tag", "shout"]


def test_a_line_rule_is_tried_only_on_lines_holding_its_literals(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text(
        "rule,kind,pattern,requires,description\n"
        "follow,line,(?:follow|like) us\\b.*,follow,only 'follow' is a literal: 'Like us' stays\n",
        encoding="utf-8",
    )
    result = clean_text(f"{ARTICLE}\n\nFollow us on X\n\nLike us on Y", rules=load_rules(path))
    assert result.text == f"{ARTICLE}\n\nLike us on Y"


@pytest.mark.parametrize(
    "line",
    [
        "One thought on “Acme signs deal”", "Leave a Reply", "Comments (3)",
        "Notify me of new comments via email.", "Follow us on Twitter",
        "Follow the Magazine: @acme", "Share this:", "Print this article",
        "Subscribe to our newsletter: enter your e-mail address", "Sign up for our free newsletter",
        "Home > Local", "Contact Us", "Skip to main content", "© 2021 Acme Media",
        "Photo: Jane Doe", "Mobile: 021 926 408",
    ],
)
def test_the_literals_of_the_packaged_rules_hold_for_their_examples(line):
    import dataclasses

    bare = tuple(dataclasses.replace(rule, requires=()) for rule in load_rules())
    text = f"{ARTICLE}\n\n{line}"
    assert clean_text(text).removed, line
    assert clean_text(text) == clean_text(text, rules=bare)
