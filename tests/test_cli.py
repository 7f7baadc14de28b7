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
