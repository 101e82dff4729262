"""Numbers of a sentence anchored on parsed tokens, and the `Move` they become.

`sentence_numbers` finds percentages (basis points included), amounts of money and candidate index
levels with the pure parsers of `pipeline.numbers`; `anchor` maps a character span to the token
that heads it, where `token._.fin_num` marks it for the DependencyMatcher patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.numbers import NUMBER, NumberMatch, find_amounts, find_basis_points, find_percents, parse_level

_LEVEL_RE = re.compile(rf"(?<![\w.$/,])(?:{NUMBER})(?![\w%/])")
# Direction words written right after a change ("4.7 off at 1984.5", "10.6 down at 1,979.0").
_CHANGE_DIRECTIONS = frozenset({"off", "down", "up", "higher", "lower", "easier", "firmer"})
_TIME_WORDS = frozenset(
    {"gmt", "am", "a.m", "pm", "p.m", "local", "edt", "est", "bst", "hkt", "jst", "cet", "hours", "hrs"}
)

# The Matcher hashes extension values, so the default is "" rather than None.
if not Token.has_extension("fin_num"):
    Token.set_extension("fin_num", default="")


@dataclass(frozen=True)
class Move:
    """A percentage attached to its move word, before subjects are resolved."""

    number: NumberMatch
    anchor: Token
    trigger: Token
    head: Token  # the clause word that carries the move ("closed" in "closed up 0.3%")
    direction: str
    rule: str
    confidence: float


def sentence_numbers(sent: Span) -> tuple[list[NumberMatch], list[NumberMatch], list[tuple[int, int, float]]]:
    """Percentages (basis points included), amounts and candidate levels of a sentence, doc offsets."""
    base = sent.start_char
    text = sent.text

    def shift(m: NumberMatch) -> NumberMatch:
        return m.shifted(base)

    percents = [shift(m) for m in find_percents(text)]
    taken = [(m.start, m.end) for m in percents]
    for bp in find_basis_points(text):
        bp = shift(bp)
        if not any(s <= bp.start < e for s, e in taken):
            percents.append(bp)
    amounts = [shift(m) for m in find_amounts(text)]
    busy = [(m.start, m.end) for m in percents + amounts]
    levels = []
    for match in _LEVEL_RE.finditer(text):
        start, end = match.start() + base, match.end() + base
        if any(s <= start < e or s < end <= e for s, e in busy):
            continue
        value = parse_level(match.group(0))
        if value is None:
            continue
        raw = match.group(0)
        after = text[match.end() : match.end() + 12].split()
        if re.fullmatch(r"(19|20)\d\d", raw) or re.fullmatch(r"\d{4}", raw) and raw.startswith("0"):
            continue  # years and clock times
        if "/" in raw:
            continue  # "52-1/8": a share price in eighths, never an index level
        if after and after[0].casefold().strip(".,") in _TIME_WORDS:
            continue  # "at 1141 GMT"
        if after and after[0].casefold() in _CHANGE_DIRECTIONS:
            continue  # "was 4.7 off at 1984.5": the change, not the level
        levels.append((start, end, value))
    return percents, amounts, levels


def anchor(doc: Doc, start: int, end: int) -> Token | None:
    """Return the token that heads the characters doc.text[start:end] (None when there is none)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root
