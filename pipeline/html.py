"""Main text and metadata of an HTML page, extracted with trafilatura."""

from __future__ import annotations

import trafilatura

from pipeline.readers import RawArticle


def extract_html(html: str, origin: str) -> RawArticle:
    """Return the page's main text with title, url, source and date; an error when it has none."""
    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True, output_format="python"
    )
    if document is None:
        return RawArticle("", origin, error="no article text found in the HTML page")
    data = document if isinstance(document, dict) else document.as_dict()
    text = (data.get("text") or "").strip()
    if not text:
        return RawArticle("", origin, error="no article text found in the HTML page")
    return RawArticle(
        text,
        origin,
        title=data.get("title") or None,
        url=data.get("url") or None,
        source=data.get("sitename") or data.get("hostname") or None,
        published=data.get("date") or None,
    )
