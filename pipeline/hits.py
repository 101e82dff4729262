"""What extractor components leave on a `Doc`: typed hits that become records in one place.

Every extractor is a spaCy component that reads the `Doc` and calls `add_hit`. A hit carries the
record type, the character span of its evidence, the type-specific fields, the rule that produced it
and a confidence. `pipeline.records` turns hits into contract records; nothing else does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

HITS_ATTR = "fin_hits"


@dataclass(frozen=True)
class Hit:
    """One extracted fact before it becomes a record."""

    type: str
    start: int
    end: int
    fields: Mapping[str, Any]
    extractor: str
    confidence: float = 0.8
    # Character offset of the sentence the evidence sits in (defaults to the evidence's own sentence).
    sentence_start: int | None = field(default=None, compare=False)


def register_extensions() -> None:
    """Declare the custom `Doc` attributes finnews uses (once per process)."""
    if not Doc.has_extension(HITS_ATTR):
        Doc.set_extension(HITS_ATTR, default=None)


def add_hit(doc: Doc, hit: Hit) -> None:
    """Attach a hit to the doc and mirror it as a span in `doc.spans["fin_<type>"]` for display."""
    register_extensions()
    hits = doc._.get(HITS_ATTR)
    if hits is None:
        hits = []
        doc._.set(HITS_ATTR, hits)
    hits.append(hit)
    span = doc.char_span(hit.start, hit.end, label=hit.type, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault(f"fin_{hit.type}", []).append(span)


def get_hits(doc: Doc) -> list[Hit]:
    """Return the hits attached to a doc, in the order they were added."""
    register_extensions()
    return list(doc._.get(HITS_ATTR) or [])


def span_hit(
    span: Span, type_: str, fields: Mapping[str, Any], extractor: str, confidence: float = 0.8
) -> Hit:
    """Build a hit whose evidence is a spaCy span."""
    return Hit(type_, span.start_char, span.end_char, dict(fields), extractor, confidence)


register_extensions()
