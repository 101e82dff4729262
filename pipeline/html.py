"""Main text and metadata of an HTML page, extracted with trafilatura."""

from __future__ import annotations

import re

import trafilatura

from pipeline.decoding import sanitize_text
from pipeline.readers import RawArticle

NO_TEXT_ERROR = "no article text found in the HTML page"
# A page whose every extracted line is shorter than this and lacks sentence punctuation holds only
# menus and links (trafilatura falls back to them when a page has no article).
MIN_PROSE_WORDS = 4
_TAG = re.compile(r"<\s*[a-zA-Z!/?]")
_SENTENCE_END = re.compile(r"[.!?。！？]\s*$")


def _has_prose(text: str) -> bool:
    """Return True when some line reads as a sentence rather than a menu entry."""
    return any(
        len(line.split()) >= MIN_PROSE_WORDS or _SENTENCE_END.search(line) for line in text.splitlines()
    )


def extract_html(html: str, origin: str) -> RawArticle:
    """Return the page's main text with title, url, source and date; an error when it has none.

    A file with no markup at all is taken as plain text (a `.html` name on a text file).
    """
    html = sanitize_text(html)
    if not html.strip():
        return RawArticle("", origin, error=f"{NO_TEXT_ERROR} (the file is empty or blank)")
    if not _TAG.search(html):
        return RawArticle(html, origin)
    try:
        document = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=False, with_metadata=True, output_format="python"
        )
    except Exception as exc:  # noqa: BLE001 - a page trafilatura cannot parse is reported, not raised
        return RawArticle("", origin, error=f"could not parse the HTML page: {type(exc).__name__}: {exc}")
    if document is None:
        return RawArticle("", origin, error=NO_TEXT_ERROR)
    data = document if isinstance(document, dict) else document.as_dict()
    text = (data.get("text") or "").strip()
    if not text:
        return RawArticle("", origin, error=NO_TEXT_ERROR)
    if not _has_prose(text):
        return RawArticle("", origin, error=f"{NO_TEXT_ERROR} (only navigation, menus or scripts)")
    return RawArticle(
        text,
        origin,
        title=data.get("title") or None,
        url=data.get("url") or None,
        source=data.get("sitename") or data.get("hostname") or None,
        published=data.get("date") or None,
    )
