"""Tables behind the partnership-timeline notebook: filtering, plotting dates, yearly counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from corpus_tools.dates import parse_date_value
from corpus_tools.entities import SECTORS
from corpus_tools.partnerships import KINDS
from corpus_tools.paths import resolve_output_dir
from corpus_tools.validation import check_flag, check_list, check_sources, invalid


def check_parameters(
    *,
    corpus: str,
    metadata: str,
    aliases: str,
    kinds: str,
    sectors: str,
    date_from: str,
    date_to: str,
    out_dir: str,
    undated_at_article_date: bool = False,
) -> dict[str, object]:
    """Validate the timeline notebook's parameters; return them ready to use.

    Raises:
        corpus_tools.validation.ParameterError: naming the parameter and its allowed values.
    """
    bounds = {}
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        parsed = parse_date_value(value) if value else None
        if value and parsed is None:
            raise invalid(name, value, "a date such as 2013, 2013-04 or 2013-04-11 (or empty)")
        bounds[name] = parsed[0] if parsed else ""
    corpus_path, metadata_path, alias_path = check_sources(corpus, metadata, aliases)
    return {
        "corpus": corpus_path,
        "metadata": metadata_path,
        "aliases": alias_path,
        "kinds": check_list("kinds", kinds, KINDS),
        "sectors": check_list("sectors", sectors, (*SECTORS, "government")),
        "date_from": bounds["date_from"],
        "date_to": bounds["date_to"],
        "undated_at_article_date": check_flag("undated_at_article_date", undated_at_article_date),
        "out": resolve_output_dir(out_dir, "interactive/03_partnership_timeline"),
    }


def select(
    partnerships: pd.DataFrame,
    *,
    focus: str = "",
    kinds: list[str] | None = None,
    sectors: list[str] | None = None,
    date_from: str = "",
    date_to: str = "",
    at_article_date: bool = False,
) -> pd.DataFrame:
    """Partnership records of a focus entity, kinds, sectors and date range.

    Undated records are kept (the date range applies to dated ones only), so that they can be
    listed apart rather than vanish; with ``at_article_date`` (undated records plotted at
    their article's date) the range applies to the article's date of an undated record too.
    """
    chosen = partnerships
    if focus:
        chosen = chosen[(chosen["a"] == focus) | (chosen["b"] == focus)]
    if kinds:
        chosen = chosen[chosen["kind"].isin(kinds)]
    if sectors:
        chosen = chosen[chosen["a_sector"].isin(sectors) | chosen["b_sector"].isin(sectors)]
    when = chosen["date"]
    if at_article_date and "article_date" in chosen.columns:
        when = when.where(when != "", chosen["article_date"])
    undated = when == ""
    keep = pd.Series(True, index=chosen.index)
    if date_from:
        keep &= undated | (when.str[: len(date_from)] >= date_from)
    if date_to:
        keep &= undated | (when.str[: len(date_to)] <= date_to)
    return chosen[keep].reset_index(drop=True)


def plotting_date(iso: str) -> dt.date | None:
    """A point in time for a date of any precision (a year → 1 July, a month → its 15th)."""
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 7, 1)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(*parts)


def sector_pair(a_sector: str, b_sector: str) -> str:
    """The unordered sector pair of a record: "government–university"."""
    return "–".join(sorted((a_sector or "other", b_sector or "other")))


def dated_events(
    partnerships: pd.DataFrame, focus: str = "", *, at_article_date: bool = False
) -> pd.DataFrame:
    """Dated records with a plotting date, a row label and the sector pair.

    The row is the partner of the focus entity, or the dyad when there is no focus. With
    ``at_article_date``, records whose text states no date are placed at their article's date
    (``article_date``) instead of left out; the ``placed`` column says which is which
    (``stated`` or ``article``), so that a plot can draw them apart and a count can keep them
    separate: the article's date says when a relation was reported, not when it began.
    """
    stated = partnerships["date"] != ""
    placed = pd.Series("stated", index=partnerships.index)
    when = partnerships["date"].copy()
    if at_article_date and "article_date" in partnerships.columns:
        by_article = ~stated & (partnerships["article_date"] != "")
        placed[by_article] = "article"
        when[by_article] = partnerships.loc[by_article, "article_date"]
        stated = stated | by_article
    dated = partnerships[stated].copy()
    dated["placed"] = placed[stated]
    dated["when"] = when[stated].map(plotting_date)
    dated["year"] = when[stated].str[:4].astype(int) if len(dated) else pd.Series(dtype=int)
    if focus:
        dated["row"] = [b if a == focus else a for a, b in zip(dated["a"], dated["b"], strict=True)]
    else:
        dated["row"] = dated["a"] + " – " + dated["b"]
    dated["sector_pair"] = [
        sector_pair(a, b) for a, b in zip(dated["a_sector"], dated["b_sector"], strict=True)
    ]
    return dated.sort_values(["when", "row", "kind"]).reset_index(drop=True)


def per_year(events: pd.DataFrame, by: str) -> pd.DataFrame:
    """Events dated by their text per year (rows) and ``by`` (``kind`` or ``sector_pair``).

    Events placed at their article's date (:func:`dated_events`) are not counted here.
    """
    if "placed" in events.columns:
        events = events[events["placed"] == "stated"]
    if events.empty:
        return pd.DataFrame()
    return pd.crosstab(events["year"], events[by]).sort_index()


def undated(partnerships: pd.DataFrame) -> pd.DataFrame:
    """Records without a date, with the words that would date them if the text gave a year."""
    columns = [
        "doc_id", "sent_id", "a", "b", "kind", "date_basis", "date_text", "evidence",
        "resolved_from", "article_date", "article_source", "article_title",
    ]  # fmt: skip
    return partnerships.loc[partnerships["date"] == "", columns].reset_index(drop=True)


def write_outputs(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write the notebook's tables as CSV next to the report."""
    from corpus_tools.outputs import write_csv

    return [write_csv(table, out / f"{name}.csv") for name, table in tables.items()]
