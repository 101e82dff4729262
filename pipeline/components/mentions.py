"""Link entity spans to the securities knowledge base and emit `mention` hits.

Gazetteer spans (from the EntityRuler) carry the KB id in `ent_id_`; other ORG spans from the
statistical NER are linked only when the knowledge base resolves them unambiguously.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.gazetteer import Entity, KnowledgeBase
from pipeline.hits import add_hit, span_hit

GAZETTEER_LABELS = frozenset({"COMPANY", "INDEX", "FUND", "INSTITUTION", "EXCHANGE", "SECTOR"})
NER_LABELS_TO_LINK = frozenset({"ORG"})


def resolve_span(span: Span, kb: KnowledgeBase) -> tuple[Entity | None, str]:
    """Return the entity a span names (or None) and how it was resolved."""
    if span.ent_id_:
        entity = kb.get(span.ent_id_)
        if entity is not None:
            return entity, f"gazetteer:{span.ent_id_}"
    if span.label_ in NER_LABELS_TO_LINK or span.label_ in GAZETTEER_LABELS:
        entity = kb.lookup(span.text)
        if entity is not None:
            return entity, "ner_linked"
    return None, ""


_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$|^[ap]\.?m\.?$", re.IGNORECASE)


def _time_zone(ent: Span) -> bool:
    """Tell whether a short capitalised name right after a clock time is its time zone ("11:58 HKT")."""
    return (
        len(ent) == 1
        and ent.text.isupper()
        and len(ent.text) <= 4
        and ent.start > 0
        and bool(_CLOCK.match(ent.doc[ent.start - 1].text))
    )


if not Span.has_extension("fin_entity"):
    Span.set_extension("fin_entity", default=None)


class MentionLinker:
    """spaCy component: resolve `doc.ents` to KB entities and add one hit per linked span."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if _time_zone(ent):
                continue  # "11:58 HKT": Hong Kong time, not HKT Trust
            entity, how = resolve_span(ent, self.kb)
            if entity is None:
                continue
            ent._.fin_entity = entity
            fields = {
                "name": ent.text,
                "canonical": entity.canonical,
                "ticker": entity.ticker,
                "entity_kind": entity.kind,
            }
            confidence = 0.95 if how.startswith("gazetteer") else 0.75
            add_hit(doc, span_hit(ent, "mention", fields, f"fin_mentions:{how}", confidence))
        return doc


@Language.factory("fin_mentions", assigns=["doc._.fin_hits"], requires=["doc.ents"])
def make_mention_linker(nlp: Language, name: str) -> MentionLinker:
    """Create the mention linker over the default knowledge base."""
    return MentionLinker(KnowledgeBase.load())
