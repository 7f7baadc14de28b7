from samples import ARTICLE

from corpus_tools.cli import main


def test_info_on_the_seeds_lists_documents_titles_and_removals(capsys):
    assert main(["info", "seeds", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "Documents:   5" in out
    for title in (
        "Chongqing joins forces with 5 top universities",
        "Shanghai, Suzhou push deeper cooperation",
        "2023 ZJU-Haining Comprehensive Strategic Cooperation Meeting",
    ):
        assert title in out
    assert "2021-07-14" in out
    assert "comment_section" in out and "menu" in out
    assert "README.md: corpus documentation" in out


def test_info_defaults_to_the_seeds(capsys):
    assert main(["info", "--no-progress"]) == 0
    assert "Documents:   5" in capsys.readouterr().out


def test_info_lists_every_skipped_file(make_corpus, capsys):
    root = make_corpus({"good.txt": ARTICLE, "empty.txt": b"", "bin.txt": bytes(range(256)) * 4})
    assert main(["info", str(root), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "Skipped (2):" in out
    assert "empty.txt: empty file" in out and "bin.txt: binary data" in out


def test_missing_corpus_is_an_error_naming_the_path(tmp_path, capsys):
    missing = tmp_path / "no-such-corpus"
    assert main(["info", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err


SUITE_LINE = (
    r"^{name} +ORG \d\.\d{{3}}  PLACE \d\.\d{{3}}  PERSON \d\.\d{{3}}  counts-exact \d\.\d{{3}}  "
    r"pairs \d\.\d{{3}}  pairs\+year \d\.\d{{3}}$"
)


def test_eval_suite_says_when_the_development_set_is_absent(tmp_path, capsys):
    import re

    assert main(["eval", "--suite", "--dev", str(tmp_path / "no-dev")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "development set not found" in lines[0] and "seeds only" in lines[0]
    assert len(lines) == 2 and re.match(SUITE_LINE.format(name="seeds"), lines[1]), lines


def test_eval_suite_scores_dev_train_and_dev_check(tmp_path, capsys):
    import json
    import re

    dev = tmp_path / "dev"
    (dev / "corpus").mkdir(parents=True)
    (dev / "corpus" / "d1.txt").write_text(ARTICLE, encoding="utf-8")
    (dev / "corpus" / "d2.txt").write_text(ARTICLE.replace("City B", "City C"), encoding="utf-8")
    for n in range(1, 9):
        doc = "d2" if n in (5, 6) else "d1"
        gold = [{"doc_id": f"{doc}-{n}", "entities": []}] if n != 1 else []
        if n in (1, 5):
            gold.append({"doc_id": doc, "entities": [{"name": "University A", "type": "ORG"}]})
        (dev / f"dev{n}.json").write_text(json.dumps(gold), encoding="utf-8")
    assert main(["eval", "--suite", "--dev", str(dev)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert [line.split()[0] for line in lines] == ["seeds", "dev-train", "dev-check"]
    for line in lines:
        assert re.match(SUITE_LINE.format(name=line.split()[0]), line), line
    assert "gold document(s) not in the corpus" in captured.err  # d1-2 … are not in it


def test_eval_scores_several_gold_files_together(make_corpus, tmp_path, capsys):
    import json

    corpus = make_corpus({"d1.txt": ARTICLE})
    first, second = tmp_path / "g1.json", tmp_path / "g2.json"
    entity = {"name": "University A", "type": "ORG", "mentions": 1}
    first.write_text(json.dumps([{"doc_id": "d1", "entities": [entity]}]), encoding="utf-8")
    second.write_text(json.dumps([{"doc_id": "d9", "entities": [entity]}]), encoding="utf-8")
    assert main(["eval", str(first), str(second), "--corpus", str(corpus), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "summary" in out and "count_accuracy" in out and "pair_year" in out
    assert "d9" in out  # the second file's document is scored (and missed)


def test_eval_needs_gold_files_or_the_suite(capsys):
    assert main(["eval"]) == 2
    assert "gold file(s), or --suite" in capsys.readouterr().err
