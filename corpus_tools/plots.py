"""Figures used by the notebooks. Each returns a matplotlib Figure and shows nothing itself."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

_SIZE = (7.5, 3.6)


def _figure(size: tuple[float, float] = _SIZE) -> tuple[Figure, object]:
    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def length_histogram(documents: pd.DataFrame, *, bins: int = 30) -> Figure:
    """Histogram of document lengths in words."""
    figure, ax = _figure()
    words = documents["n_words"]
    ax.hist(words, bins=min(bins, max(len(words), 1)), color="#4c72b0", edgecolor="white")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("words per document")
    ax.set_ylabel("documents")
    ax.set_title(f"Document length ({len(words):,} documents, median {words.median():,.0f} words)")
    return figure


def documents_per_year(documents: pd.DataFrame) -> Figure:
    """Bar chart of documents per publication year; undated documents are counted in the title."""
    figure, ax = _figure()
    years = documents.loc[documents["date"] != "", "date"].str[:4]
    counts = years.value_counts().sort_index()
    undated = int((documents["date"] == "").sum())
    if counts.empty:
        ax.text(0.5, 0.5, "no dated documents", ha="center", va="center", transform=ax.transAxes)
    else:
        ax.bar(counts.index, counts.to_numpy(), color="#55a868")
        ax.tick_params(axis="x", labelrotation=90 if len(counts) > 12 else 0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("publication year")
    ax.set_ylabel("documents")
    ax.set_title(f"Documents per year ({undated:,} undated)")
    return figure


def top_counts(
    counts: pd.Series,
    *,
    title: str,
    xlabel: str = "documents",
    top_n: int = 15,
    empty_note: str = "nothing to show",
) -> Figure:
    """Horizontal bar chart of the ``top_n`` largest counts (e.g. sources, boilerplate rules)."""
    top = counts.sort_values(ascending=False).head(top_n).iloc[::-1]
    figure, ax = _figure((7.5, max(1.6, 0.35 * len(top) + 0.8)))
    if top.empty:
        ax.text(0.5, 0.5, empty_note, ha="center", va="center", transform=ax.transAxes)
    else:
        labels = [str(label)[:60].replace("$", r"\$") for label in top.index]  # no mathtext
        ax.barh(labels, top.to_numpy(), color="#8172b2")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return figure


def heatmap(matrix: pd.DataFrame, *, title: str, max_columns: int = 30) -> Figure:
    """Counts as a heatmap (rows: entities; columns: documents, years or sources)."""
    shown = matrix.iloc[:, :max_columns]
    height = max(2.0, 0.32 * len(shown) + 1.2)
    width = min(12.0, max(5.0, 0.45 * shown.shape[1] + 3.5))
    figure, ax = _figure((width, height))
    if shown.empty:
        ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(title)
        return figure
    image = ax.imshow(shown.to_numpy(), aspect="auto", cmap="Blues")
    ax.set_yticks(range(len(shown)), [str(i)[:50].replace("$", r"\$") for i in shown.index])
    ax.set_xticks(
        range(shown.shape[1]), [str(c)[:20].replace("$", r"\$") for c in shown.columns], rotation=90
    )
    figure.colorbar(image, ax=ax, label="mentions")
    suffix = (
        f" (first {max_columns} of {matrix.shape[1]} columns)"
        if matrix.shape[1] > max_columns
        else ""
    )
    ax.set_title(title + suffix)
    return figure
