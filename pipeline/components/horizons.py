"""When a move happened: `close`, `intraday`, `session` or `period` (with its phrase), from cue words.

Cue patterns are token Matcher patterns in `configs/moves/horizons.jsonl`. A move takes the cues of
its own clause first (its *zone*: the words under its move word, minus other moves' clauses, plus the
clauses it hangs on); failing that, a cue elsewhere in the sentence applies to it, except a period
phrase that belongs to another move ("extending its decline to 9 per cent for the month").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Span, Token
from spacy.vocab import Vocab

from pipeline.components.movelex import load_patterns

# When one clause holds several cues, the most specific wins.
PRECEDENCE = {"close": 0, "intraday": 1, "period": 2, "session": 3}


@dataclass(frozen=True)
class Cue:
    """A time cue in a sentence: horizon, token range, period phrase (verbatim) and rule id."""

    horizon: str
    start: int
    end: int
    period: str | None
    rule: str
    opens_sentence: bool = False  # "Year to date, A rose 2% and B 3%": frames every move after it

    def tokens(self) -> range:
        """Token indices the cue covers."""
        return range(self.start, self.end)


@dataclass(frozen=True)
class Horizon:
    """The horizon given to one move."""

    horizon: str | None
    period: str | None = None
    rule: str | None = None


class HorizonFinder:
    """Find time cues in a sentence and give each move the one that applies to it."""

    def __init__(self, vocab: Vocab, patterns_file: str = "horizons.jsonl") -> None:
        self.matcher = Matcher(vocab)
        self.rules: dict[str, dict] = {}
        for record in load_patterns(patterns_file):
            if record.get("horizon") not in PRECEDENCE:
                raise ValueError(
                    f"{patterns_file}: pattern {record['id']} has unknown horizon {record.get('horizon')!r}"
                )
            self.rules[record["id"]] = record
            self.matcher.add(record["id"], [record["pattern"]])

    def cues(self, sent: Span, blocked: Iterable[int] = ()) -> list[Cue]:
        """All cues of a sentence, longest first where they overlap; tokens in `blocked` are not cues."""
        blocked = set(blocked)
        found: list[Cue] = []
        doc = sent.doc
        matches = self.matcher(sent, as_spans=False)
        # longest first; between equally long cues the more specific horizon wins
        matches = sorted(
            matches,
            key=lambda m: (-(m[2] - m[1]), PRECEDENCE[self.rules[doc.vocab.strings[m[0]]]["horizon"]], m[1]),
        )
        taken: set[int] = set()
        for match_id, start, end in matches:
            rule = doc.vocab.strings[match_id]
            start, end = sent.start + start, sent.start + end
            span = range(start, end)
            if any(i in blocked for i in span) or any(i in taken for i in span):
                continue
            record = self.rules[rule]
            period = None
            if record["horizon"] == "period":
                if record.get("phrase") == "subtree" and not _hangs_on_clause(doc[start]):
                    continue  # "its biggest gain since November" dates a superlative, not the move
                period = _period_phrase(doc[start:end], record.get("phrase", "match"))
            opens = start - sent.start <= 1 and end < sent.end and doc[end].text == ","
            found.append(Cue(record["horizon"], start, end, period, rule, opens))
            taken.update(span)
        return found


def _hangs_on_clause(word: Token) -> bool:
    """Tell whether a period preposition belongs to a clause (a verb or a move noun), not a noun phrase."""
    head = word.head.head if word.dep_ == "mark" else word.head
    return head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT"


def _period_phrase(span: Span, mode: str) -> str:
    """Return the verbatim phrase of a period cue: the match, or the whole phrase its first word heads."""
    if mode != "subtree":
        return span.text
    first = span[0]
    subtree = list(first.subtree)
    if len(subtree) == 1 and first.dep_ == "mark":
        subtree = [t for t in first.head.subtree if t.i >= first.i]
    start = min(t.i for t in subtree)
    end = max(max(t.i for t in subtree) + 1, span.end)
    end = min(end, first.sent.end)
    while end - 1 > start and span.doc[end - 1].is_punct:
        end -= 1
    if end < first.sent.end and span.doc[end].lower_ in ("alone", "only"):
        end += 1  # "in January alone"
    return span.doc[start:end].text


def zone(trigger: Token, others: Iterable[Token]) -> set[int]:
    """Token indices that belong to a move's own clause.

    The subtree of its move head, minus the subtrees of other moves' heads below it, plus the
    words it hangs on (its ancestors, without their other branches) up to the next move.
    """
    others = [o for o in others if o.i != trigger.i]
    own = {t.i for t in trigger.subtree}
    for child in trigger.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj", "relcl") or (
            # a subordinate clause tells why, not when ("after Macau shut casinos since ..."),
            # except a "since" clause, which is the period
            child.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ not in ("since",) for c in child.children)
        ):
            own -= {t.i for t in child.subtree}
    for other in others:
        if other.i in own:
            own -= {t.i for t in other.subtree}
    other_ids = {o.i for o in others}
    ancestor = trigger
    for _ in range(4):
        if ancestor.head.i == ancestor.i or ancestor.dep_ in ("conj", "ROOT") or ancestor.head.i in other_ids:
            break
        ancestor = ancestor.head
        own.add(ancestor.i)
    return own


def assign(
    cues: list[Cue], own_zone: set[int], other_zones: list[set[int]], as_much_as_before: bool
) -> Horizon:
    """Pick the horizon of one move from the sentence's cues (see the module docstring)."""
    if as_much_as_before:
        return Horizon("intraday", None, "intraday_as_much_as_before")
    own = [c for c in cues if any(i in own_zone for i in c.tokens())]
    if own:
        # a move's own period phrase sizes it even when a close verb follows ("gained 9.7 pct this
        # month to finish the quarter at ...")
        best = min(own, key=lambda c: (c.horizon != "period", PRECEDENCE[c.horizon], c.start))
        return Horizon(best.horizon, best.period, best.rule)
    elsewhere = []
    for cue in cues:
        owned_by_other = any(any(i in z for i in cue.tokens()) for z in other_zones)
        if cue.horizon == "period" and owned_by_other and not cue.opens_sentence:
            continue
        elsewhere.append(cue)
    if elsewhere:
        best = min(elsewhere, key=lambda c: (PRECEDENCE[c.horizon], c.start))
        return Horizon(best.horizon, best.period, best.rule)
    return Horizon(None)
