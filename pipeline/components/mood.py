"""Tell a stated move from one that did not happen: modals, conditions and forecasts.

"could rally 15%", "if the market falls to 24,000", "is expected to rise 2%" and "will end the
downturn at 22,300" state no move (ANNOTATION.md); the word lists are `unreal` in
configs/moves/lexicon.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Token

from pipeline.wordlists import word_set


@dataclass(frozen=True)
class UnrealWords:
    """Modals, condition marks and forecast words (lower-case lemmas or forms)."""

    modals: frozenset[str]
    condition_marks: frozenset[str]
    forecast_heads: frozenset[str]

    @classmethod
    def from_config(cls, data: Mapping | None) -> UnrealWords:
        """Read the `unreal` section of the lexicon (missing lists are empty)."""
        data = data or {}
        return cls(
            word_set(data.get("modals"), "unreal.modals"),
            word_set(data.get("condition_marks"), "unreal.condition_marks"),
            word_set(data.get("forecast_heads"), "unreal.forecast_heads"),
        )


def is_infinitive(verb: Token) -> bool:
    """Tell whether a verb is a to-infinitive ("to reach", "to stand")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _has_modal(verb: Token, words: UnrealWords) -> bool:
    """Tell whether a verb has a modal that is not negated ("could not hold" reports a fact)."""
    modal = any(c.dep_ == "aux" and c.lower_ in words.modals for c in verb.children)
    return modal and not any(c.dep_ == "neg" for c in verb.children)


def _in_condition(verb: Token, words: UnrealWords) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in words.condition_marks for c in verb.children)


def is_unreal(word: Token, words: UnrealWords) -> bool:
    """Tell whether the clause of a move or level word states something that did not happen."""
    verb = word
    for _ in range(3):  # the word, and the verbs it is the complement of ("could continue to rise")
        if _has_modal(verb, words) or _in_condition(verb, words):
            return True
        head = verb.head
        if head.i == verb.i:
            return False
        forecast = head.lemma_.lower() in words.forecast_heads or head.lower_ in words.forecast_heads
        if verb.pos_ in ("ADV", "ADP", "PART") and verb.dep_ in ("advmod", "prt", "prep"):
            verb = head  # "could slip back to 24,000": the particle's verb carries the mood
            continue
        if verb.pos_ == "NOUN" and verb.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
            verb = head  # "may face a further correction of 10%": the noun's verb carries the mood
            continue
        if verb.dep_ == "xcomp":
            if forecast:
                return True  # "is expected to rise 2%", "likely to test 25,000"
            verb = head
            continue
        if verb.dep_ == "ccomp" and forecast and is_infinitive(verb):
            return True  # "analysts expect the Hang Seng to reach 28,000"
        if verb.dep_ == "ccomp" and forecast and verb.tag_ == "VBG" and head.tag_ != "VBD":
            return True  # "now sees the MSCI China index reaching 95" (not "saw ... hitting")
        if verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in verb.children):
            # "could rise 5% and test 25,000": the first verb's modal governs both
            return _has_modal(head, words) or _in_condition(head, words)
        return False
    return False
