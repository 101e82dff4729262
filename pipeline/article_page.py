"""HTML for `finnews show`: one page per article (records highlighted in its text) and an index."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from pipeline.highlight import Mark, css_class, esc, render_marked, valid_marks
from pipeline.html_page import fmt_value, legend, narrative_badges, page
from pipeline.schema import RECORD_MODELS, RECORD_TYPES

COMMON_FIELDS = frozenset(
    {
        "article_id",
        "record_id",
        "text",
        "start",
        "end",
        "sentence",
        "narratives",
        "extractor",
        "confidence",
        "type",
    }
)
# The field that names what a record is about, shown first in tables and tooltips.
SUBJECT_FIELD = {
    "mention": "canonical",
    "price_move": "subject",
    "index_level": "index",
    "money_flow": "subject",
    "analyst_view": "institution",
}
SHORT_LABEL = {"price_move": "move", "index_level": "level", "money_flow": "flow", "analyst_view": "view"}
TITLE_CHARS = 90
ARROWS = {"up": "▲", "down": "▼", "flat": "▬"}


@dataclass(frozen=True)
class Nav:
    """Links of an article page: back to the index, previous and next article (relative URLs)."""

    index: str | None = None
    prev: str | None = None
    next: str | None = None


def type_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return the type-specific contract fields of a record, in schema order (unknown types: all extras)."""
    model = RECORD_MODELS.get(str(record.get("type")))
    names = (
        [n for n in model.model_fields if n not in COMMON_FIELDS]
        if model
        else [n for n in record if n not in COMMON_FIELDS]
    )
    return {name: record.get(name) for name in names}


def describe(record: Mapping[str, Any]) -> str:
    """Return one line naming the record: type, subject and ticker."""
    kind = str(record.get("type"))
    subject = record.get(SUBJECT_FIELD.get(kind, ""), None) or record.get("name") or ""
    ticker = record.get("ticker")
    return f"{kind} · {subject}" + (f" ({ticker})" if ticker else "")


def tooltip(record: Mapping[str, Any]) -> str:
    """Return the hover text of a highlight: the record's fields, confidence and rule."""
    shown = [f"{k}={fmt_value(v)}" for k, v in type_fields(record).items() if v is not None]
    conf = record.get("confidence")
    tail = f"confidence {conf:.2f}" if isinstance(conf, int | float) else ""
    if record.get("extractor"):
        tail += f" · {record['extractor']}"
    return "\n".join(part for part in (describe(record), " ".join(shown), tail) if part)


def mark_label(record: Mapping[str, Any]) -> str:
    """Return the short tag drawn above the start of a record's span (mentions have none)."""
    kind = str(record.get("type"))
    label = SHORT_LABEL.get(kind, "" if kind == "mention" else kind)
    arrow = ARROWS.get(str(record.get("direction")), "") if kind in {"price_move", "index_level"} else ""
    return f"{label} {arrow}".strip()


def record_key(number: int) -> str:
    """Return the key of the n-th record of a page, used in element ids."""
    return f"r{number}"


def record_marks(text: str, records: Sequence[Mapping[str, Any]]) -> tuple[list[Mark], list[str]]:
    """Return marks for the records whose offsets point at their text; a note for each one that does not."""
    marks, notes = [], []
    for number, record in enumerate(records):
        start, end = record.get("start"), record.get("end")
        ok = isinstance(start, int) and isinstance(end, int) and text[start:end] == record.get("text")
        mark = Mark(
            record_key(number),
            start if ok else -1,
            end if ok else -1,
            str(record.get("type")),
            mark_label(record),
            tooltip(record),
        )
        good, _ = valid_marks(text, [mark])
        if good:
            marks.append(mark)
        else:
            notes.append(f"record {record.get('record_id')}: offsets {start}:{end} do not match its text")
    return marks, notes


def _fields_html(record: Mapping[str, Any]) -> str:
    kind = str(record.get("type"))
    parts = []
    for name, value in type_fields(record).items():
        if value is None or name == "ticker" or name == SUBJECT_FIELD.get(kind):
            continue
        parts.append(f"<b>{esc(name)}</b> {esc(fmt_value(value))}")
    return " · ".join(parts)


def records_table(records: Sequence[Mapping[str, Any]], marked: set[str]) -> str:
    """Render the side table: one row per record with its evidence, subject, ticker and fields."""
    rows = []
    for number, record in enumerate(records):
        key, kind = record_key(number), str(record.get("type"))
        subject = record.get(SUBJECT_FIELD.get(kind, ""), None)
        ticker = record.get("ticker")
        anchor = f'<a href="#m-{key}">{number + 1}</a>' if key in marked else str(number + 1)
        conf = record.get("confidence")
        rows.append(
            f'<tr class="rec {css_class(kind)}" id="rec-{key}" data-key="{key}" '
            f'title="{esc(record.get("extractor"))}">'
            f'<td class="num">{anchor}</td>'
            f'<td class="type"><span class="swatch"></span> {esc(kind)}</td>'
            f'<td><span class="evidence" title="{esc(record.get("text"))}">“{esc(record.get("text"))}”</span>'
            f"{esc(subject) if subject else ''} "
            f"{f'<span class=ticker>{esc(ticker)}</span>' if ticker else ''}"
            f'<div class="fields">{_fields_html(record)}</div>'
            f"{narrative_badges(record.get('narratives'), small=True) if record.get('narratives') else ''}"
            "</td>"
            f'<td class="num">{f"{conf:.2f}" if isinstance(conf, int | float) else ""}</td></tr>'
        )
    if not rows:
        return '<p class="muted">No records were extracted from this article.</p>'
    return (
        '<div class="toggles"><label><input type="checkbox" id="hide-mentions"> hide mentions</label></div>'
        '<table class="records"><thead><tr><th class=num>#</th><th>type</th><th>evidence, subject, '
        f"fields</th><th class=num>conf.</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def safe_url(url: Any) -> str | None:
    """Return the URL when it is http(s), so that a link can never run script."""
    if not isinstance(url, str):
        return None
    return url if urlparse(url.strip()).scheme.lower() in {"http", "https"} else None


def article_title(article: Mapping[str, Any]) -> str:
    """Return the title, else the first line of the text, else the id."""
    if article.get("title"):
        return str(article["title"])
    first = next((line.strip() for line in str(article.get("text") or "").splitlines() if line.strip()), "")
    if len(first) > TITLE_CHARS:
        first = first[:TITLE_CHARS].rsplit(" ", 1)[0] + " …"
    return first or str(article.get("article_id"))


def _meta(article: Mapping[str, Any]) -> str:
    url = safe_url(article.get("url"))
    items = [f"id <code>{esc(article.get('article_id'))}</code>"]
    items += [esc(article[k]) for k in ("source", "published") if article.get(k)]
    if url:
        items.append(f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>')
    elif article.get("url"):
        items.append(esc(article["url"]))
    if article.get("pipeline_version"):
        items.append(esc(article["pipeline_version"]))
    return "".join(f"<span>{item}</span>" for item in items)


def _nav(nav: Nav | None) -> str:
    if nav is None:
        return ""
    links = [(nav.index, "↑ all articles"), (nav.prev, "← previous"), (nav.next, "next →")]
    shown = "".join(f'<a href="{esc(href)}">{label}</a>' for href, label in links if href)
    return f'<nav class="pager">{shown}</nav>' if shown else ""


def render_article(
    article: Mapping[str, Any], records: Sequence[Mapping[str, Any]], nav: Nav | None = None
) -> str:
    """Render one article's page: narratives, highlighted text and the records table."""
    text = str(article.get("text") or "")
    records = sorted(records, key=lambda r: (r.get("start") or 0, -(r.get("end") or 0)))
    marks, notes = record_marks(text, records)
    title = article_title(article)
    header = (
        f'{_nav(nav)}<h1>{esc(title)}</h1><div class="meta">{_meta(article)}</div>'
        f"{narrative_badges(article.get('narratives'))}"
    )
    problems = [*map(str, article.get("errors") or []), *notes]
    errors = (
        '<div class="errors"><ul>' + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul></div>"
        if problems
        else ""
    )
    counts = Counter(str(r.get("type")) for r in records)
    body = (
        f"{errors}{legend(counts)}"
        '<div class="layout"><section><h2>Text</h2>'
        f'<div class="doc">{render_marked(text, marks)}</div></section>'
        f'<aside class="side"><h2>Records ({len(records)})</h2>'
        f"{records_table(records, {m.key for m in marks})}</aside></div>"
    )
    return page(f"{title} · finnews", body, header=header, script=True)


def render_index(
    items: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]], str]], title: str
) -> str:
    """Render the index: one row per `(article, records, link)` with record counts and narratives."""
    total = Counter(str(r.get("type")) for _, records, _ in items for r in records)
    rows = []
    for number, (article, records, link) in enumerate(items, start=1):
        counts = Counter(str(r.get("type")) for r in records)
        cells = "".join(f'<td class="num">{counts.get(t, 0) or ""}</td>' for t in RECORD_TYPES)
        errors = len(article.get("errors") or [])
        rows.append(
            f'<tr><td class="num">{number}</td><td><a href="{esc(link)}">{esc(article_title(article))}</a>'
            f'<div class="muted">{esc(article.get("article_id"))}'
            f"{' · ' + esc(article['published']) if article.get('published') else ''}</div></td>"
            f"{cells}<td>{narrative_badges(article.get('narratives'), small=True)}</td>"
            f'<td class="num">{errors or ""}</td></tr>'
        )
    heads = "".join(
        f'<th class="num"><span class="{css_class(t)}"><span class="swatch"></span></span> {esc(t)}</th>'
        for t in RECORD_TYPES
    )
    body = (
        f'{legend(total)}<table class="index"><thead><tr><th class=num>#</th><th>article</th>{heads}'
        f"<th>narratives</th><th class=num>errors</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    header = (
        f'<h1>{esc(title)}</h1><div class="meta"><span>{len(items)} articles</span>'
        f"<span>{sum(total.values())} records</span></div>"
    )
    return page(title, body, header=header)
