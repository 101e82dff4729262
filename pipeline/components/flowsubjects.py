"""What received or lost the money of a flow: "into/toward/of X", or what "drew"/"took in" it."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from pipeline.components.flowlex import Cue, FlowLexicon
from pipeline.components.subjects import entity_subject, phrase_tokens
from pipeline.numbers import NumberMatch

_RECEIVER_VERBS = frozenset(
    {
        "took",
        "take",
        "takes",
        "taking",
        "drew",
        "draw",
        "draws",
        "drawing",
        "attracted",
        "attract",
        "attracts",
        "saw",
        "see",
        "sees",
        "recorded",
        "received",
        "receives",
        "posted",
        "had",
        "has",
        "logged",
        "booked",
        "registered",
        "reported",
        "suffered",
    }
)
_TIME_WORDS = frozenset({"year", "month", "week", "day", "quarter", "session", "today", "yesterday"})


class FlowSubjects:
    """Find the subject of a flow (see the module docstring)."""

    def __init__(self, lexicon: FlowLexicon) -> None:
        self.lex = lexicon

    def _market(self, text: str) -> str | None:
        text = re.sub(r"^(?:the|its|their)\s+", "", text.strip(), flags=re.IGNORECASE)
        for pattern, subject in self.lex.markets:
            if pattern.match(text):
                return subject
        return None

    def _phrase_subject(self, head: Token, amount_ids: set[int]) -> str | None:
        if head.i in amount_ids or head.like_num:
            return None
        tokens = phrase_tokens(head)
        if not tokens:
            return None
        doc = head.doc
        for ent in doc.ents:
            if ent.end > tokens[0].i and ent.start <= tokens[-1].i:
                subject = entity_subject(ent)
                if subject is not None:
                    return subject.name
        text = doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
        market = self._market(text)
        if market:
            return market
        if (
            head.lower_ in self.lex.investor_words
            or head.lower_ in _TIME_WORDS
            or head.ent_type_ in ("DATE", "TIME")
        ):
            return None
        if head.lower_ in (
            "shares",
            "stocks",
            "equities",
            "etf",
            "etfs",
            "fund",
            "funds",
            "market",
            "markets",
        ) or (head.pos_ == "PROPN"):
            text = re.sub(r"^(?:the|its|their)\s+", "", text, flags=re.IGNORECASE)
            return text.strip() or None
        return None

    def subject(self, root: Token, cue: Cue | None, direction: str, amount_ids: set[int]) -> str | None:
        """Return what received (or lost) the money: "into/toward/of X" near the amount or its cue word."""
        doc = root.doc
        preps = (
            ("into", "to", "toward", "towards", "in", "of")
            if direction in ("inflow", "net_buy")
            else ("from", "of", "out")
        )
        holders: list[Token] = list(root.subtree)
        if cue is not None:
            for i in range(cue.start, cue.end):
                holders.extend(doc[i].subtree)
        holders.extend(list(root.ancestors)[:2])
        seen: set[int] = set()
        for token in holders:
            if token.i in seen:
                continue
            seen.add(token.i)
            for prep in token.children:
                if (
                    prep.dep_ != "prep"
                    or prep.lower_ not in preps
                    or prep.lower_ not in self.lex.subject_preps | {"out"}
                ):
                    continue
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is None or obj.i in amount_ids:
                    continue
                subject = self._phrase_subject(obj, amount_ids)
                if subject:
                    return subject
        if cue is not None and direction == "inflow":
            noun = doc[cue.end - 1]
            verb = noun.head if noun.dep_ in ("dobj", "attr") else noun
            if verb.lower_ in _RECEIVER_VERBS or noun.lower_ in _RECEIVER_VERBS:
                receiver = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                if receiver is not None:
                    return self._phrase_subject(receiver, amount_ids)
        return None

    def respectively(self, sent: Span, amounts: list[NumberMatch]) -> list[str] | None:
        """Pair names and amounts: "include A, B and C, with ... X, Y and Z, respectively"."""
        if "respectively" not in sent.text.casefold():
            return None
        names: list[str] = []
        first_amount = min(a.start for a in amounts)
        for ent in sent.ents:
            if ent.start_char >= first_amount:
                break
            subject = entity_subject(ent)
            if subject is not None and (not names or names[-1] != subject.name):
                names.append(subject.name)
        return names if len(names) == len(amounts) else None

    # ------------------------------------------------------------------ component
