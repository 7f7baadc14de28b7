"""Figures used by the notebooks. Each returns a matplotlib Figure and shows nothing itself."""

from __future__ import annotations

import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
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


_SECTOR_COLOURS = {
    "university": "#4c72b0", "research_institute": "#55a868", "government": "#c44e52",
    "enterprise": "#8172b2", "park_zone": "#ccb974", "association": "#64b5cd", "other": "#8c8c8c",
}  # fmt: skip
_TYPE_COLOURS = {"PLACE": "#dd8452", "PERSON": "#937860"}


def node_colour(attrs: dict) -> str:
    """Colour of a network node: organizations by sector, places and people by type."""
    if attrs.get("type") == "ORG":
        return _SECTOR_COLOURS.get(attrs.get("sector") or "other", "#8c8c8c")
    return _TYPE_COLOURS.get(attrs.get("type", ""), "#8c8c8c")


def network(
    graph, *, title: str, weight: str = "windows", seed: int = 7, max_labels: int = 80
) -> Figure:
    """Draw a co-occurrence network.

    Node size by mentions, colour by sector/type, edge width by ``weight``; labels only for the
    best-connected nodes, so that they do not pile up.
    """
    import networkx as nx
    from matplotlib.lines import Line2D

    figure, ax = _figure((10, 8))
    ax.set_title(title)
    ax.axis("off")
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no pairs to draw", ha="center", va="center", transform=ax.transAxes)
        return figure
    count = graph.number_of_nodes()
    layout = nx.spring_layout(graph, seed=seed, k=2.5 / max(count, 1) ** 0.5, weight=None)
    most = max((graph.nodes[n].get("mentions", 1) for n in graph.nodes), default=1) or 1
    sizes = [60 + 900 * (graph.nodes[n].get("mentions", 1) / most) ** 0.5 for n in graph.nodes]
    colours = [node_colour(graph.nodes[n]) for n in graph.nodes]
    values = [abs(float(d.get(weight, 1))) for _, _, d in graph.edges(data=True)]
    top = max(values) if values else 1.0
    widths = [0.5 + 3.5 * v / top if top else 1.0 for v in values]
    nx.draw_networkx_edges(graph, layout, ax=ax, width=widths, alpha=0.35, edge_color="#555555")
    nx.draw_networkx_nodes(graph, layout, ax=ax, node_size=sizes, node_color=colours, alpha=0.9)
    ranked = sorted(
        graph.nodes, key=lambda n: (-graph.degree(n), -graph.nodes[n].get("mentions", 0), n)
    )
    labels = {n: str(n).replace("$", r"\$")[:40] for n in ranked[:max_labels]}
    nx.draw_networkx_labels(graph, layout, labels=labels, ax=ax, font_size=8)
    present = sorted(
        {(graph.nodes[n].get("type"), graph.nodes[n].get("sector") or "other") for n in graph.nodes}
    )
    handles = [
        Line2D([], [], marker="o", linestyle="", color=node_colour({"type": t, "sector": s}),
               label=s if t == "ORG" else t.lower())
        for t, s in present
    ]  # fmt: skip
    unique = {h.get_label(): h for h in handles}
    ax.legend(handles=list(unique.values()), loc="lower left", fontsize=8, frameon=False)
    return figure


_KIND_MARKERS = {
    "mou": "D", "agreement": "s", "joint_institute": "^", "alliance_member": "P",
    "meeting": "o", "cooperation": "X", "other": "v",
}  # fmt: skip


def timeline(events: pd.DataFrame, *, title: str, max_rows: int = 40) -> Figure:
    """Dated partnership events: one row per partner or dyad, marker by kind.

    ``events`` needs ``when`` (a date), ``row`` and ``kind`` (see ``timeline.dated_events``);
    events ``placed`` at their article's date are drawn as hollow grey circles.
    """
    rows = list(dict.fromkeys(events["row"]))[:max_rows] if len(events) else []
    figure, ax = _figure((10, max(2.5, 0.3 * len(rows) + 1.5)))
    ax.set_title(
        title + (f" (first {max_rows} rows)" if len(set(events.get("row", []))) > max_rows else "")
    )
    if not rows:
        ax.text(
            0.5,
            0.5,
            "no dated partnership events",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_yticks([])
        return figure
    position = {row: i for i, row in enumerate(rows)}
    shown = events[events["row"].isin(position)]
    placed = shown["placed"] if "placed" in shown.columns else pd.Series("stated", shown.index)
    stated = placed != "article"
    for kind, group in shown[stated].groupby("kind"):
        ax.scatter(
            list(group["when"]), [position[r] for r in group["row"]],
            marker=_KIND_MARKERS.get(kind, "o"), s=60, label=kind, alpha=0.8,
        )  # fmt: skip
    reported = shown[~stated]
    if len(reported):
        ax.scatter(
            list(reported["when"]), [position[r] for r in reported["row"]], marker="o", s=60,
            facecolors="none", edgecolors="grey", label="no stated date: at article date",
        )  # fmt: skip
    ax.set_yticks(range(len(rows)), [r.replace("$", r"\$")[:60] for r in rows])
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    locator = AutoDateLocator(maxticks=8)  # dates that do not run into each other
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return figure


def stacked_bars(table: pd.DataFrame, *, title: str, ylabel: str = "events") -> Figure:
    """A stacked bar chart of a count table (rows on the x axis, one colour per column)."""
    figure, ax = _figure()
    ax.set_title(title)
    if table.empty:
        ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes)
        return figure
    bottom = None
    labels = [str(i) for i in table.index]
    for column in table.columns:
        values = table[column].to_numpy()
        ax.bar(labels, values, bottom=bottom, label=str(column).replace("$", r"\$"))
        bottom = values if bottom is None else bottom + values
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=90 if len(labels) > 12 else 0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return figure
