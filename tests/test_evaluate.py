import pandas as pd
import pytest

from corpus_tools.evaluate import load_gold, normalize_name, score_entities
from corpus_tools.pipeline import extract

GOLD = {
    "d": {
        "doc_id": "d",
        "entities": [
            {"name": "Zhejiang University", "type": "ORG", "aliases": ["ZJU"], "mentions": 3},
            {"name": "Haining", "type": "PLACE", "aliases": ["Haining city"], "mentions": 2},
            {
                "name": "Chinese Academy of Sciences",
                "type": "ORG",
                "aliases": [],
                "mentions": 0,
                "optional": True,
            },
        ],
    }
}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The University’s Campus", "university campus"),
        ("Nano-Tech/Bio", "nano tech bio"),
        ("Co., Ltd.", "co ltd"),
    ],
)
def test_normalize_name(a, b):
    assert normalize_name(a) == b


def test_scoring_follows_the_definition():
    predicted = pd.DataFrame(
        [
            ("d", "Zhejiang University", "ORG", 2),
            ("d", "ZJU", "ORG", 1),  # alias of the same gold entity: counted once, mentions summed
            ("d", "Chinese Academy of Sciences", "ORG", 1),  # optional: neutral
            ("d", "Beijing", "PLACE", 1),  # false positive
        ],
        columns=["doc_id", "entity", "type", "mentions"],
    )
    scores = score_entities(predicted, GOLD).set_index("type")
    assert scores.loc["ORG", ["tp", "fp", "fn"]].tolist() == [1, 0, 0]
    assert scores.loc["ORG", "count_accuracy"] == 1.0
    assert scores.loc["PLACE", ["tp", "fp", "fn"]].tolist() == [0, 1, 1]
    assert scores.loc["ALL", ["tp", "fp", "fn"]].tolist() == [1, 1, 1]
    assert scores.loc["ALL", "f1"] == 0.5


def test_seeds_scores_stay_at_or_above_the_level_reached():
    """Regression guard on the annotated seeds (not a cap)."""
    gold = load_gold("tests/gold/seeds-gold.json")
    scores = score_entities(extract("seeds").entities, gold).set_index("type")
    assert scores.loc["ORG", "f1"] >= 0.94
    assert scores.loc["PLACE", "f1"] >= 0.96
    assert scores.loc["PERSON", "f1"] >= 0.97
    assert scores.loc["ALL", "count_accuracy"] >= 0.95
