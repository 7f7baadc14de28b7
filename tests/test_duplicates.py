import math

from corpus_tools.duplicates import find_duplicates, fingerprint

BASE = " ".join(
    f"The partnership between university {i} and the city was renewed." for i in range(30)
)


def test_exact_near_and_distinct():
    table = find_duplicates(
        ["a", "b", "c", "d"],
        [
            BASE,
            BASE.upper(),
            BASE + " Reprinted from the wire.",
            "A completely different story about ports.",
        ],
    ).set_index("doc_id")
    assert table.loc["a", "duplicate_of"] == "" and math.isnan(
        table.loc["a", "duplicate_similarity"]
    )
    assert (table.loc["b", "duplicate_of"], table.loc["b", "duplicate_kind"]) == ("a", "exact")
    assert (table.loc["c", "duplicate_of"], table.loc["c", "duplicate_kind"]) == ("a", "near")
    assert table.loc["c", "duplicate_similarity"] >= 0.8
    assert table.loc["d", "duplicate_of"] == ""


def test_the_earliest_copy_is_the_original():
    table = find_duplicates(
        ["late", "early"], [BASE, BASE], ["2021-05-01", "2020-01-01"]
    ).set_index("doc_id")
    assert table.loc["late", "duplicate_of"] == "early"
    assert table.loc["early", "duplicate_of"] == ""


def test_undated_documents_sort_after_dated_ones():
    table = find_duplicates(["a", "b"], [BASE, BASE], ["", "2020-01-01"]).set_index("doc_id")
    assert table.loc["a", "duplicate_of"] == "b"


def test_threshold_one_keeps_exact_copies_only():
    table = find_duplicates(["a", "c"], [BASE, BASE + " Reprinted."], threshold=1.0).set_index(
        "doc_id"
    )
    assert table.loc["c", "duplicate_of"] == ""


def test_results_are_repeatable():
    texts = [BASE, BASE + " x", BASE + " y", "other text entirely here"]
    ids = ["1", "2", "3", "4"]
    assert find_duplicates(ids, texts).equals(find_duplicates(ids, texts))


def test_fingerprints_computed_elsewhere_give_the_same_flags():
    texts = [BASE, BASE.upper(), BASE + " Reprinted from the wire.", "Another story on ports."]
    ids = ["a", "b", "c", "d"]
    inline = find_duplicates(ids, texts)
    prints = [fingerprint(t) for t in texts]
    prints[3] = None  # not computed beforehand: computed here
    given = find_duplicates(ids, ["", "", "", texts[3]], fingerprints=prints)
    assert given.equals(inline)
    assert list(inline["duplicate_kind"]) == ["", "exact", "near", ""]


def test_cached_file_results_give_the_same_tables(tmp_path):
    """A second extraction reads each file's result (fingerprints included) from the cache."""
    import shutil

    from corpus_tools.pipeline import extract

    corpus = tmp_path / "corpus"
    shutil.copytree("seeds", corpus)
    (corpus / "copy.txt").write_text(
        (corpus / sorted(p.name for p in corpus.glob("*.txt"))[0]).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    first = extract(corpus, cache_dir=tmp_path / "cache")
    (corpus / "README.md").unlink(missing_ok=True)  # the corpus changes: tables rebuilt
    (corpus / "new.txt").write_text("Headline\n\nAn unrelated note on ports.", encoding="utf-8")
    second = extract(corpus, cache_dir=tmp_path / "cache")
    assert second.cache["reused"] >= 5 and second.cache["tables"] == "built"
    assert "exact" in set(first.documents["duplicate_kind"])
    kept = second.documents[second.documents["doc_id"] != "new"].reset_index(drop=True)
    columns = ["doc_id", "duplicate_of", "duplicate_kind", "duplicate_similarity"]
    assert kept[columns].equals(first.documents[columns])
