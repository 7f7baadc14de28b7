from corpus_tools.language import non_english_reason
from corpus_tools.paths import SEEDS_DIR


def test_english_seeds_pass():
    for path in SEEDS_DIR.glob("*.txt"):
        assert non_english_reason(path.read_text(encoding="utf-8")) is None


def test_chinese_is_not_english():
    assert non_english_reason("苏州大学与滑铁卢大学签署合作协议。" * 5).startswith("not English")


def test_french_is_not_english():
    text = (
        "Le ministre a signé un accord avec les universités de la région pour la recherche et "
        "il est dans une phase de développement qui sont des projets pour nous. "
    ) * 3
    assert "looks like 'fr'" in non_english_reason(text)


def test_wire_tables_and_short_texts_pass():
    assert (
        non_english_reason("Shr 35 cts vs 29 cts Net 1,234,000 vs 987,000 Revs 12.3 mln " * 6)
        is None
    )
    assert non_english_reason("Der Vertrag") is None
