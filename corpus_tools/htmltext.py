"""HTML pages to article text with trafilatura, falling back to lxml for fragments."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "head")
_PAGE = re.compile(r"<(?:html|body|head)\b", re.IGNORECASE)
_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
)


@dataclass(frozen=True)
class HtmlText:
    """Text and header fields extracted from one HTML page."""

    text: str
    title: str
    date: str
    extractor: str


def html_to_text(html: str) -> HtmlText:
    """Extract the article text, title and date of an HTML page.

    trafilatura removes navigation, scripts and comment sections and reads the title and date
    from the page header. Fragments (no ``<html>``/``<body>``) and pages where trafilatura
    finds no text go through lxml with scripts and styles dropped, one line per block element.

    Args:
        html: The decoded page.

    Returns:
        The text (paragraphs separated by blank lines), title, ISO date or "", and which
        extractor produced the text.
    """
    if not _PAGE.search(html):
        return HtmlText(text=lxml_text(html), title=_lxml_title(html), date="", extractor="lxml")
    import trafilatura  # imported when a page is read: it is slow to import

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    if doc is not None and doc.text and doc.text.strip():
        text = "\n\n".join(line.strip() for line in doc.text.splitlines() if line.strip())
        return HtmlText(
            text=text, title=doc.title or "", date=doc.date or "", extractor="trafilatura"
        )
    return HtmlText(text=lxml_text(html), title=_lxml_title(html), date="", extractor="lxml")


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def lxml_text(html: str) -> str:
    """Text of an HTML fragment, one line per block element, scripts and styles dropped."""
    root = _parse(html)
    if root is None:
        return ""
    for node in list(root.iter(*_DROP_TAGS)):
        node.drop_tree()
    for node in root.iter(*_BLOCK_TAGS):
        node.tail = "\n" + (node.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n\n".join(line for line in lines if line)


def _lxml_title(html: str) -> str:
    root = _parse(html)
    if root is None:
        return ""
    title = root.findtext(".//title") or ""
    return " ".join(title.split())
