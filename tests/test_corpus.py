import gzip
import json
import os
from pathlib import Path

import pytest
from samples import ARTICLE

import corpus_tools as ct
from corpus_tools import corpus as corpus_module
from corpus_tools import readers
from corpus_tools.corpus import DOCUMENT_COLUMNS
from corpus_tools.outputs import write_csv


def doc(corpus, doc_id):
    return corpus.documents.set_index("doc_id").loc[doc_id]


def reasons(corpus):
    return dict(zip(corpus.skipped["path"], corpus.skipped["reason"], strict=True))


def messages(corpus):
    return list(zip(corpus.warnings["path"], corpus.warnings["message"], strict=True))


# --- the bundled seeds ---------------------------------------------------------------------


def test_seeds_load_with_titles(seeds):
    docs = seeds.documents
    assert len(docs) == 5
    assert list(docs.columns[: len(DOCUMENT_COLUMNS)]) == DOCUMENT_COLUMNS
    assert (docs["title"] != "").all()
    assert doc(seeds, "004_d6b9342d15ac5bb5")["title"].startswith("Chongqing joins forces")
    assert list(seeds.skipped["path"]) == ["README.md"]


def test_seed_004_date_comes_from_its_text(seeds):
    row = doc(seeds, "004_d6b9342d15ac5bb5")
    assert (row["date"], row["date_precision"], row["date_source"]) == (
        "2021-07-14",
        "day",
        "text_date_line",
    )
    assert row["date_text"] == "Updated: 2021-07-14"


def test_seed_003_year_comes_from_its_title(seeds):
    row = doc(seeds, "003_02e6c969029c8784")
    assert (row["date"], row["date_precision"], row["date_source"]) == (
        "2023",
        "year",
        "title_year",
    )


def test_seed_boilerplate_is_reported(seeds):
    removed = seeds.removed
    rules_001 = set(removed.loc[removed["doc_id"] == "001_958c3f2ce8948864", "rule"])
    assert {"comment_section", "subscription", "social"} <= rules_001
    assert (removed.loc[removed["doc_id"] == "004_d6b9342d15ac5bb5", "rule"] == "menu").sum() == 4


def test_word_counts_and_hashes(seeds):
    row = doc(seeds, "002_c175d0adb55c77dd")
    assert row["n_words"] > 400
    assert len(row["sha1"]) == 40
    assert row["n_chars"] == len(row["text"])


# --- input formats -------------------------------------------------------------------------


def test_text_markdown_and_html_files(make_corpus):
    root = make_corpus(
        {
            "a.txt": f"Plain title\n\n{ARTICLE}",
            "b.md": f"---\ntitle: Front matter title\ndate: 2020-05-01\n---\n# Heading\n\n{ARTICLE} See [the site](http://x.org).",
            "c.html": (
                "<html><head><title>Page title</title><script>document.title='pwned'</script>"
                "<style>p {color: red}</style></head><body><nav>Home | About | News</nav>"
                f"<article><h1>Big news</h1><p>{ARTICLE}</p><p>{ARTICLE}</p></article></body></html>"
            ),
            "nested/deeper/d.htm": f"<p>{ARTICLE}</p>",
        }
    )
    loaded = ct.load_corpus(root)
    assert list(loaded.documents["doc_id"]) == ["a", "b", "c", "d"]
    assert doc(loaded, "a")["title"] == "Plain title"
    md = doc(loaded, "b")
    assert (md["title"], md["date"], md["format"]) == ("Front matter title", "2020-05-01", "md")
    assert (md["title_source"], md["date_source"]) == ("front_matter", "front_matter")
    assert "the site" in md["text"] and "](http" not in md["text"] and "# Heading" not in md["text"]
    html = doc(loaded, "c")
    assert (html["format"], html["title"], html["title_source"]) == (
        "html",
        "Big news",
        "html_title",
    )
    assert "pwned" not in html["text"] and "color: red" not in html["text"]
    assert ARTICLE in html["text"]
    assert doc(loaded, "d")["path"] == "nested/deeper/d.htm"


RECORDS = [
    {
        "id": "r1",
        "title": "First",
        "date": "2021-07-14",
        "source": "Wire",
        "url": "http://a",
        "text": ARTICLE,
        "topics": ["x", "y"],
    },
    {
        "id": "r2",
        "title": "Second",
        "date": "1987-03-02",
        "source": "Wire",
        "text": ARTICLE.replace("City B", "City C") + " More text here.",
    },
]


def _jsonl(records):
    return "".join(json.dumps(r) + "\n" for r in records)


def _csv(records):
    import pandas as pd

    return pd.DataFrame(records).drop(columns=["topics"], errors="ignore").to_csv(index=False)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("records.jsonl", _jsonl(RECORDS)),
        ("records.jsonl.gz", gzip.compress(_jsonl(RECORDS).encode())),
        ("records.csv", _csv(RECORDS)),
        ("records.csv.gz", gzip.compress(_csv(RECORDS).encode())),
    ],
)
def test_record_files(make_corpus, name, content):
    root = make_corpus({name: content})
    for target in (root, root / name):  # a folder of record files, or the file itself
        loaded = ct.load_corpus(target)
        assert list(loaded.documents["doc_id"]) == ["r1", "r2"]
        first = doc(loaded, "r1")
        assert (first["title"], first["date"], first["source"], first["url"]) == (
            "First",
            "2021-07-14",
            "Wire",
            "http://a",
        )
        assert first["date_source"] == "record" and first["title_source"] == "record"
        assert first["path"] == f"{name}:{2 if name.startswith('records.csv') else 1}"
        assert loaded.skipped.empty


def test_documents_are_ordered_with_numbers_compared_as_numbers(make_corpus):
    records = [{"id": str(i), "text": f"{ARTICLE} Story {i}."} for i in (10, 2, 1, 100)]
    loaded = ct.load_corpus(make_corpus({"r.jsonl": _jsonl(records)}), duplicate_threshold=1.0)
    assert list(loaded.documents["doc_id"]) == ["1", "2", "10", "100"]


def test_record_extras_are_kept_as_columns(make_corpus):
    loaded = ct.load_corpus(make_corpus({"r.jsonl": _jsonl(RECORDS)}))
    assert doc(loaded, "r1")["topics"] == '["x", "y"]'
    assert doc(loaded, "r2")["topics"] == ""


def test_html_inside_records_is_extracted(make_corpus):
    record = {
        "id": "h",
        "text": f"<div><p>{ARTICLE}</p><script>alert(1)</script><p>Second.</p></div>",
    }
    loaded = ct.load_corpus(make_corpus({"r.jsonl": _jsonl([record])}))
    assert doc(loaded, "h")["format"] == "record-html"
    assert "alert" not in doc(loaded, "h")["text"] and ARTICLE in doc(loaded, "h")["text"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_file_encodings(make_corpus, encoding):
    text = (
        "Café “Partnership” News\n\n" + ARTICLE
        if encoding != "latin-1"
        else "Café Partnership News\n\n" + ARTICLE
    )
    loaded = ct.load_corpus(make_corpus({"enc.txt": text.encode(encoding)}))
    assert doc(loaded, "enc")["title"] == text.split("\n")[0]


def test_mixed_line_endings(make_corpus):
    loaded = ct.load_corpus(
        make_corpus({"m.txt": b"Title\r\n\r\nFirst para.\rSecond line.\n\nThird."})
    )
    assert doc(loaded, "m")["text"] == "Title\n\nFirst para.\nSecond line.\n\nThird."


# --- metadata sidecar ----------------------------------------------------------------------


def test_metadata_sidecar_is_merged_and_problems_reported(make_corpus):
    root = make_corpus(
        {
            "a.txt": f"Text title A\n\n{ARTICLE}",
            "b.txt": f"Text title B\n\nUpdated: 2019-01-02\n\n{ARTICLE} Other words.",
            "c.txt": f"Text title C\n\n{ARTICLE} Yet more words to differ.",
            "empty.txt": b"",
            "own.md": f"---\ntitle: Own title\n---\n{ARTICLE} Own words.",
            "metadata.csv": "doc_id,title,date,source,url,section\n"
            "a,Meta title A,2020-01-31,Daily,http://a,World\n"
            "b,,31/31/2020,Weekly,,\n"
            "ghost,Ghost,2020-01-01,,,\n",
        }
    )
    loaded = ct.load_corpus(root)
    a, b, c = (doc(loaded, x) for x in "abc")
    assert (a["title"], a["date"], a["source"], a["url"], a["section"]) == (
        "Meta title A",
        "2020-01-31",
        "Daily",
        "http://a",
        "World",
    )
    assert (b["title"], b["date"], b["date_source"], b["source"]) == (
        "Text title B",
        "2019-01-02",
        "text_date_line",
        "Weekly",
    )
    assert c["title"] == "Text title C"
    found = messages(loaded)
    assert (
        "b.txt",
        "date '31/31/2020' in the metadata file is not a date; using the text's",
    ) in found
    assert ("c.txt", "no row in the metadata file; title and date come from the text") in found
    assert ("metadata.csv", "metadata row for 'ghost' matches no document") in found
    assert a["title_source"] == "metadata" and c["title_source"] == "text_heading"
    # a skipped file, or one with its own metadata, gets no "no row" warning
    assert not any(path in ("empty.txt", "own.md") for path, _ in found)
    assert "metadata.csv" not in set(loaded.documents["path"])


def test_metadata_jsonl_and_explicit_path(make_corpus, tmp_path):
    root = make_corpus({"a.txt": ARTICLE})
    side = tmp_path / "elsewhere.jsonl"
    side.write_text(
        '{"doc_id": "a", "title": "From JSONL"}\nnot json\n{"title": "no id"}\n', encoding="utf-8"
    )
    loaded = ct.load_corpus(root, metadata_path=side)
    assert doc(loaded, "a")["title"] == "From JSONL"
    found = messages(loaded)
    assert any("line 2" in p and "not JSON" in m for p, m in found)
    assert any("line 3" in p and "no doc_id" in m for p, m in found)


def test_missing_metadata_file_is_an_error(make_corpus):
    with pytest.raises(FileNotFoundError, match=r"nope\.csv"):
        ct.load_corpus(make_corpus({"a.txt": ARTICLE}), metadata_path="nope.csv")


def test_metadata_with_wrong_columns_is_reported_and_the_corpus_still_loads(make_corpus):
    root = make_corpus({"a.txt": ARTICLE, "metadata.csv": "name,title\na,T\n"})
    loaded = ct.load_corpus(root)
    assert list(loaded.documents["doc_id"]) == ["a"]
    (message,) = [m for p, m in messages(loaded) if p == "metadata.csv"]
    assert message.startswith("metadata not used:") and "doc_id or id column" in message


# --- bad input -----------------------------------------------------------------------------


def test_missing_corpus_path_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path / "missing")):
        ct.load_corpus(tmp_path / "missing")


def test_bad_files_are_skipped_with_reasons_and_the_rest_loads(make_corpus):
    root = make_corpus(
        {
            "good.txt": ARTICLE,
            "empty.txt": b"",
            "blank.txt": "   \n\n\t  \n",
            "binary.txt": bytes(range(256)) * 20,
            "only_menu.txt": "Follow us on Twitter:\n\nLike us on Facebook:",
            "chinese.txt": "苏州大学与滑铁卢大学签署合作协议。" * 20,
            "german.txt": (
                "Die Universität und die Stadt haben einen Vertrag unterzeichnet, der auch für die "
                "Forschung wichtig ist und nicht nur für die Lehre mit den Studenten. "
            )
            * 3,
            "picture.png": b"\x89PNG\r\n\x1a\n",
            "README.md": "# About this corpus",
            ".hidden.txt": ARTICLE,
            ".git/config": "x",
            "sub/good two.txt": ARTICLE + " Different.",
            "ünï cödé.txt": ARTICLE + " Unicode name.",
        }
    )
    loaded = ct.load_corpus(root)
    assert sorted(loaded.documents["doc_id"]) == ["good", "good two", "ünï cödé"]
    why = reasons(loaded)
    assert why["empty.txt"].startswith("empty file")
    assert why["blank.txt"] == "empty or whitespace-only text"
    assert why["binary.txt"].startswith("binary data")
    assert why["only_menu.txt"] == "no article text left after removing boilerplate"
    assert why["chinese.txt"].startswith("not English")
    assert why["german.txt"].startswith("not English: looks like 'de'")
    assert why["picture.png"].startswith("unsupported file type '.png'")
    assert why["README.md"].startswith("corpus documentation")
    assert why[".hidden.txt"] == "hidden file, not read"
    assert why[".git"] == "hidden folder, not searched"


def test_unreadable_files_are_skipped(make_corpus, monkeypatch):
    root = make_corpus({"good.txt": ARTICLE, "locked.txt": ARTICLE})
    os.symlink(root / "nowhere.txt", root / "dangling.txt")

    def locked_open(file, *args, **kwargs):
        if Path(file).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(file))
        return open(file, *args, **kwargs)

    monkeypatch.setattr(readers, "open", locked_open, raising=False)
    loaded = ct.load_corpus(root)
    why = reasons(loaded)
    assert list(loaded.documents["doc_id"]) == ["good"]
    assert why["locked.txt"] == "unreadable: Permission denied"
    assert why["dangling.txt"] == "unreadable: No such file or directory"


def test_symlink_loop_does_not_trap_the_walk(make_corpus):
    root = make_corpus({"a/good.txt": ARTICLE})
    os.symlink(root / "a", root / "a" / "loop")
    loaded = ct.load_corpus(root)
    assert list(loaded.documents["doc_id"]) == ["good"]
    assert reasons(loaded)["a/loop"] == "link to a folder, not followed"


def test_a_bad_date_in_a_record_is_reported_as_the_record_s(make_corpus):
    loaded = ct.load_corpus(
        make_corpus({"r.jsonl": _jsonl([{"id": "x", "date": "soon", "text": ARTICLE}])})
    )
    assert messages(loaded) == [
        ("r.jsonl:1", "date 'soon' in the record is not a date; using the text's")
    ]


def test_bad_records_are_skipped(make_corpus):
    lines = [
        json.dumps({"id": "ok", "text": ARTICLE}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "notext", "title": "x"}),
        json.dumps({"text": ARTICLE + " No id here."}),
        json.dumps({"id": "ok", "text": ARTICLE + " Same id again."}),
    ]
    loaded = ct.load_corpus(make_corpus({"r.jsonl": "\n".join(lines) + "\n"}))
    assert sorted(loaded.documents["doc_id"]) == ["ok", "r-5"]
    why = reasons(loaded)
    assert why["r.jsonl:2"].startswith("not valid JSON")
    assert why["r.jsonl:3"] == "not a JSON object"
    assert why["r.jsonl:4"].startswith("record has no text field")
    assert why["r.jsonl:6"].startswith("duplicate doc_id 'ok'")
    assert ("r.jsonl:5", "record has no id; using 'r-5'") in messages(loaded)


def test_csv_without_text_column_is_skipped(make_corpus):
    loaded = ct.load_corpus(
        make_corpus({"good.txt": ARTICLE, "wrong.csv": "id,body_text\n1,hello\n"})
    )
    assert reasons(loaded)["wrong.csv"].startswith("no text column")
    assert list(loaded.documents["doc_id"]) == ["good"]


def test_same_stem_in_two_folders_keeps_both(make_corpus):
    loaded = ct.load_corpus(
        make_corpus({"x/story.txt": ARTICLE, "y/story.txt": ARTICLE + " Other."})
    )
    assert sorted(loaded.documents["doc_id"]) == ["x/story.txt", "y/story.txt"]


def test_empty_corpus_gives_empty_tables(make_corpus):
    loaded = ct.load_corpus(make_corpus({"empty.txt": b""}))
    assert loaded.documents.empty and list(loaded.documents.columns) == DOCUMENT_COLUMNS
    assert loaded.summary()["documents"] == 0


def test_a_folder_without_corpus_files_says_so(make_corpus):
    loaded = ct.load_corpus(make_corpus({"notes.docx": b"PK"}))
    assert loaded.warnings["message"].str.startswith("no corpus files found").any()


# --- duplicates and determinism ------------------------------------------------------------


def test_duplicates_are_flagged_not_dropped(make_corpus):
    long_text = " ".join(
        f"Sentence number {i} about the university partnership." for i in range(40)
    )
    root = make_corpus(
        {
            "original.txt": f"Headline\n\n{long_text}",
            "copy.txt": f"Headline\n\n{long_text}",
            "near.txt": f"Another headline\n\n{long_text} Reprinted with permission.",
            "other.txt": ARTICLE,
            "metadata.csv": "doc_id,date\noriginal,2020-01-01\ncopy,2020-01-02\nnear,2020-01-03\nother,2020-01-04\n",
        }
    )
    loaded = ct.load_corpus(root)
    assert len(loaded.documents) == 4
    assert (doc(loaded, "copy")["duplicate_of"], doc(loaded, "copy")["duplicate_kind"]) == (
        "original",
        "exact",
    )
    assert (doc(loaded, "near")["duplicate_of"], doc(loaded, "near")["duplicate_kind"]) == (
        "original",
        "near",
    )
    assert doc(loaded, "other")["duplicate_of"] == ""
    assert loaded.summary()["exact_duplicates"] == 1 and loaded.summary()["near_duplicates"] == 1


def test_same_input_gives_identical_tables(tmp_path):
    first = ct.load_corpus("seeds")
    second = ct.load_corpus("seeds")
    for name in ("documents", "skipped", "warnings", "removed"):
        a = write_csv(getattr(first, name), tmp_path / f"a-{name}.csv").read_bytes()
        b = write_csv(getattr(second, name), tmp_path / f"b-{name}.csv").read_bytes()
        assert a == b


def test_progress_bar_on_request(make_corpus, capsys, monkeypatch):
    monkeypatch.setattr(corpus_module, "tqdm", _EagerTqdm)
    ct.load_corpus(make_corpus({"a.txt": ARTICLE}), progress=True)
    assert "loading corpus" in capsys.readouterr().err


class _EagerTqdm:
    """A stand-in that prints its description so the test needs no real terminal."""

    def __init__(self, iterable, desc, disable, **_):
        import sys

        self.iterable = iterable
        if not disable:
            print(desc, file=sys.stderr)

    def __iter__(self):
        return iter(self.iterable)
