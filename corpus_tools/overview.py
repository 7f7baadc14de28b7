"""Tables behind the corpus-overview notebook: what is in a corpus and what was left out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus_tools.corpus import Corpus
from corpus_tools.outputs import write_csv
from corpus_tools.paths import resolve_corpus, resolve_output_dir
from corpus_tools.validation import check_existing_path, check_number, invalid

DOCUMENT_VIEW_COLUMNS = [
    "doc_id", "title", "date", "date_source", "source", "n_words", "duplicate_of", "path",
]  # fmt: skip


def check_parameters(
    *, corpus: str, metadata: str, out_dir: str, max_rows: int
) -> tuple[Path, Path | None, Path]:
    """Validate the notebook's parameters; return (corpus path, metadata path, output folder).

    Raises:
        corpus_tools.validation.ParameterError: naming the parameter and what it must be.
    """
    corpus_path = check_existing_path("corpus", resolve_corpus(corpus))
    metadata_path = check_existing_path("metadata", metadata) if metadata else None
    if metadata_path is not None and not metadata_path.is_file():
        raise invalid("metadata", metadata, "a CSV or JSONL file")
    check_number("max_rows", max_rows, minimum=1)
    return corpus_path, metadata_path, resolve_output_dir(out_dir, "interactive/00_corpus_overview")


def summary_table(corpus: Corpus) -> pd.DataFrame:
    """One row per headline count (documents, words, dates, duplicates, skipped …)."""
    summary = corpus.summary()
    summary["sources"] = len(summary["sources"])
    return pd.DataFrame({"measure": list(summary), "value": [str(v) for v in summary.values()]})


def documents_view(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents table without the text, for display and CSV export."""
    return documents[DOCUMENT_VIEW_COLUMNS]


def source_counts(documents: pd.DataFrame) -> pd.Series:
    """Documents per source; empty when no document names its source."""
    named = documents.loc[documents["source"] != "", "source"]
    return named.value_counts().rename("documents")


def duplicates_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents flagged as copies of another, with the original's title beside theirs."""
    copies = documents[documents["duplicate_of"] != ""]
    titles = documents.set_index("doc_id")["title"]
    return pd.DataFrame(
        {
            "doc_id": copies["doc_id"],
            "duplicate_of": copies["duplicate_of"],
            "kind": copies["duplicate_kind"],
            "similarity": copies["duplicate_similarity"],
            "title": copies["title"],
            "original_title": copies["duplicate_of"].map(titles),
        }
    ).reset_index(drop=True)


def removed_by_rule(removed: pd.DataFrame) -> pd.DataFrame:
    """Boilerplate removals per rule: blocks removed and documents affected."""
    grouped = removed.groupby("rule")
    return (
        pd.DataFrame({"blocks": grouped.size(), "documents": grouped["doc_id"].nunique()})
        .sort_values(["blocks", "documents"], ascending=False, kind="stable")
        .reset_index()
    )


def sentences_per_document(documents: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Paragraph and sentence counts per document, with its title."""
    grouped = sentences.groupby("doc_id")
    counts = pd.DataFrame(
        {"paragraphs": grouped["para_id"].nunique(), "sentences": grouped.size()}
    ).reindex(documents["doc_id"], fill_value=0)
    return counts.reset_index().merge(documents[["doc_id", "title"]], on="doc_id")


def write_tables(corpus: Corpus, out_dir: Path, sentences: pd.DataFrame) -> list[Path]:
    """Write the overview's tables as CSV into ``out_dir`` (atomically); return their paths."""
    tables = {
        "documents.csv": documents_view(corpus.documents),
        "sentences.csv": sentences,
        "skipped.csv": corpus.skipped,
        "warnings.csv": corpus.warnings,
        "removed.csv": corpus.removed,
        "summary.csv": summary_table(corpus),
    }
    return [write_csv(table, out_dir / name) for name, table in tables.items()]
