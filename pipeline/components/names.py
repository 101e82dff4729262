"""Naming rules for subjects the knowledge base does not resolve.

Indices it does not know ("Milan Stock Index", lexicon `extra_indices`), companies named before a
share word ("Wizz Air <WIZZ.L> shares") and proper nouns that NER marks as organisations (or, for
two-word names, as persons or nationalities).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.components.movelex import MoveLexicon
from pipeline.components.subjects import _RIC, NER_SUBJECT_LABELS, NOT_SUBJECT_LABELS, Subject


class NamingRules:
    """Mixin of `SubjectResolver`: subjects named by the text itself."""

    lexicon: MoveLexicon

    def extra_index(self, text: str, start: int, end: int) -> Subject | None:
        """Return the index of the lexicon's `extra_indices` named by the phrase or by its last words."""
        words = re.sub(r"['\u2019]s\b", "", text).split()
        for k in range(len(words)):
            tail = " ".join(words[k:])
            for pattern, name in self.lexicon.extra_indices:
                if pattern.match(tail):
                    return Subject(name, None, "index", start, end, "extra_index")
        return None

    def _index_name(self, head: Token, tokens: list[Token]) -> Subject | None:
        """Name an index the KB does not know named by its modifiers ("Milan Stock Index", "composite index").

        The possessor is left out ("the Manila exchange's composite index" -> "composite index") so
        that the name stays a part of the full name a reader would give.
        """
        owner = {t.i for c in head.children if c.dep_ == "poss" for t in c.subtree}
        words = [
            t for t in tokens if t.i not in owner and t.dep_ not in ("det", "punct", "case") or t.i == head.i
        ]
        while words and words[0].lower_ in ("the", "its", "their", "'s"):
            words = words[1:]
        if len(words) < 2 or words[0].i == head.i:
            return None
        if any(t.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY") for t in words if t.i != head.i):
            return None  # "the January index" is a monthly statistic, not a market index
        doc = head.doc
        start, end = words[0].idx, head.idx + len(head.text)
        return Subject(clean_name(doc.text[start:end]), None, "index", start, end, "index_name")

    def _provider_index(self, head: Token, tokens: list[Token]) -> Subject | None:
        """Name an index by its provider when the phrase has nothing else: "MSCI's index of
        emerging-market currencies" is an index, not the company MSCI."""
        if not any(c.dep_ == "poss" for c in head.children):
            return None
        of_phrase = [t for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for t in c.subtree]
        last = max(of_phrase, key=lambda t: t.i, default=head)
        words = [t for t in tokens if t.dep_ != "det"]
        start, end = words[0].idx, last.idx + len(last.text)
        return Subject(clean_name(head.doc.text[start:end]), None, "index", start, end, "index_name")

    def _share_owner(self, head: Token) -> Subject | None:
        """Return the capitalised name written just before a share word ("Wizz Air <WIZZ.L> shares")."""
        doc = head.doc
        i = head.i - 1
        if i >= 0 and doc[i].text == ">":
            while i >= 0 and doc[i].text != "<":
                i -= 1
            i -= 1
        last = i
        while i >= head.sent.start and (
            (
                doc[i].text[:1].isupper()
                and (doc[i].pos_ == "PROPN" or i > head.sent.start)
                and not doc[i].is_stop
            )
            or doc[i].text in ("&", "-", ".")
        ):
            if doc[i].ent_type_ in ("GPE", "NORP", "LOC"):
                return None  # "Taiwan stocks", "Japanese shares": a market, not a company
            i -= 1
        first = i + 1
        if first > last or not doc[first].text[:1].isupper():
            return None
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        return Subject(clean_name(doc.text[start:end]), None, "company", start, end, "share_owner")

    def _proper_noun(self, head: Token, tokens: list[Token]) -> Subject | None:
        doc = head.doc
        for ent in doc.ents:
            if ent.start <= head.i < ent.end:
                if (
                    ent.label_ in NER_SUBJECT_LABELS
                    or (
                        # NER often calls a two-word company a person or a nationality ("Anglo American",
                        # "Wizz Air"); a place stays a place, a lone nationality word stays one.
                        ent.label_ in ("PERSON", "NORP")
                        and len(ent) > 1
                        and all(t.text[:1].isupper() or t.lower_ in ("and", "&") for t in ent[1:-1])
                        and ent[0].text[:1].isupper()
                        and ent[-1].text[:1].isupper()
                    )
                    or (
                        # a one-word company NER reads as a person, as the subject of a move verb
                        # ("Naspers slid 3.4% to R3,890", "Beecham gained 2.9 pct")
                        ent.label_ == "PERSON"
                        and len(ent) == 1
                        and head.dep_ == "nsubj"
                        and head.head.pos_ == "VERB"
                        and head.text[:1].isupper()
                    )
                ):
                    return Subject(clean_name(ent.text), None, "company", ent.start_char, ent.end_char, "ner")
                if ent.label_ in NOT_SUBJECT_LABELS:
                    return None
        if head.ent_type_ in NOT_SUBJECT_LABELS:
            return None
        if head.pos_ != "PROPN" and not (head.text[:1].isupper() and head.i > head.sent.start):
            return None
        if head.lower_ in self.lexicon.stock_words:
            return None
        names = [t for t in tokens if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > t.sent.start)]
        names = [t for t in names if not t.is_punct and not _RIC.search(t.text)]
        if head.i > 0 and doc[head.i - 1].text == "<" or _RIC.search(head.text):
            return None  # an instrument code ("TWTR.N", "USIMP=ECI") is not a name
        if not names:
            return None
        first, last = names[0], names[-1]
        text = doc.text[first.idx : last.idx + len(last.text)]
        return Subject(clean_name(text), None, "company", first.idx, last.idx + len(last.text), "proper_noun")


def clean_name(text: str) -> str:
    """Drop instrument codes and brackets from a name as written."""
    text = re.sub(r"\s*[<(][^>)]*[>)]\s*", " ", text)
    text = re.sub(r"\s*<[^>]*$", "", text)  # an instrument code cut at the end ("Rio Tinto <RIO.AX")
    return re.sub(r"\s+", " ", text).strip(" ,;:")
