"""Turn a processed `Doc` into contract records: the one place where hits become records."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.dedupe import dedupe_hits
from pipeline.hits import Hit, get_hits
from pipeline.listings import choose_listings
from pipeline.schema import RECORD_MODELS, RECORD_TYPES, Record

_TYPE_ORDER = {name: i for i, name in enumerate(RECORD_TYPES)}


def sentence_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Return the character bounds of the sentence(s) that hold `doc.text[start:end]`."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return start, end
    first, last = span[0].sent, span[-1].sent
    return first.start_char, last.end_char


def hit_to_record(doc: Doc, hit: Hit, article_id: str, n: int) -> Record:
    """Build one validated record from a hit."""
    if hit.type not in RECORD_MODELS:
        raise ValueError(f"unknown record type {hit.type!r} from {hit.extractor}")
    if not 0 <= hit.start < hit.end <= len(doc.text):
        raise ValueError(f"hit offsets {hit.start}:{hit.end} outside the text ({hit.extractor})")
    sent_start, sent_end = sentence_bounds(doc, hit.start, hit.end)
    return RECORD_MODELS[hit.type](
        article_id=article_id,
        record_id=f"{article_id}:{n}",
        text=doc.text[hit.start : hit.end],
        start=hit.start,
        end=hit.end,
        sentence=doc.text[sent_start:sent_end].strip(),
        extractor=hit.extractor,
        confidence=round(float(hit.confidence), 4),
        **dict(hit.fields),
    )


def doc_to_records(doc: Doc, article_id: str) -> list[Record]:
    """Return the article's records, de-duplicated, in text order, numbered from 0.

    Dual-listed companies first take the listing their context implies (`pipeline.listings`).
    """
    hits = choose_listings(doc.text, get_hits(doc), lambda start, end: sentence_bounds(doc, start, end))
    hits = sorted(dedupe_hits(hits), key=lambda h: (h.start, _TYPE_ORDER[h.type], h.end))
    return [hit_to_record(doc, hit, article_id, n) for n, hit in enumerate(hits)]
