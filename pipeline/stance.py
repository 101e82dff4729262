"""Rule-based stance of an analyst's claim: bullish, bearish, mixed or neutral.

The claim is split into words and clauses; cues from `configs/views/stance.yaml` score each side.
A negator shortly before a cue ("not likely to increase") or a risk word shortly after ("risks can
be mitigated") flips it; cues inside a background phrase ("despite current drops") or a clause
about a change of drivers ("momentum will pivot from AI concepts to earnings") do not count.
Both sides present -> `mixed`; no directional cue -> `neutral`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.paths import configs_dir
from pipeline.wordlists import word_set

POLARITIES = ("bull", "bear", "flat")
STANCES = ("bullish", "bearish", "neutral", "mixed")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*|n't|[0-9][0-9.,]*|[;:,.!?()\"“”]")
_CONTRASTS = frozenset({"but", "although", "though", "however", "yet"})
_CLAUSE_BREAKS = frozenset({";", ":", "but", "while", "whereas", "although", "though", "yet"})
_PHRASE_END = frozenset({",", ";", ":", ".", "!", "?", "but", "while", "although", "and", "which", "that"})
# Words after a cue that undo it: "risks can be mitigated", "concerns have eased".
_POST_NEGATORS = (
    "mitigat",
    "eas",
    "alleviat",
    "recede",
    "receding",
    "fad",  # "concerns faded", "sees the recent rally fading"
    "capped",  # "the upside was capped"
    "abat",
    "overcome",
    "offset",
    "overdone",
    "overblown",
    "exaggerat",
    "unwarranted",
    "unjustified",
    "temporar",  # "the slide would only be temporary"
    "short-lived",
    "limited",  # "downside is limited"
    "contained",
)
_POST_WINDOW = 4


@dataclass(frozen=True)
class Cue:
    """One lexicon entry: a word pattern with a polarity and weight."""

    id: str
    words: tuple[str, ...]
    polarity: str
    weight: float = 1.0


@dataclass(frozen=True)
class StanceLexicon:
    """The stance cues and their modifiers, as loaded from YAML."""

    cues: tuple[Cue, ...]
    negators: tuple[tuple[str, ...], ...]
    negation_window: int
    scope_negators: tuple[tuple[str, ...], ...]
    concessive: tuple[tuple[str, ...], ...]
    shift_verbs: tuple[str, ...]
    conditional: tuple[tuple[str, ...], ...] = ()
    relief_negators: tuple[tuple[str, ...], ...] = ()
    non_market_owners: frozenset[str] = frozenset()
    owner_adjectives: frozenset[str] = frozenset()
    ratings: frozenset[str] = frozenset()
    mixed_min_share: float = 0.5
    mode: str = "rules"


@dataclass(frozen=True)
class CueHit:
    """A cue found in a claim, after negation (`polarity` is the effective one)."""

    cue_id: str
    polarity: str
    weight: float
    position: int
    negated: bool = False


@dataclass(frozen=True)
class StanceResult:
    """The decided stance with the evidence that led to it."""

    stance: str
    bull: float = 0.0
    bear: float = 0.0
    flat: float = 0.0
    hits: tuple[CueHit, ...] = field(default_factory=tuple)

    @property
    def directional(self) -> bool:
        """True when the claim has at least one bullish or bearish cue."""
        return self.bull > 0 or self.bear > 0

    @property
    def confidence(self) -> float:
        """A rough 0..1 confidence: more and one-sided evidence scores higher."""
        total = self.bull + self.bear
        if total == 0:
            return 0.5
        return round(min(0.95, 0.55 + 0.1 * total + 0.2 * abs(self.bull - self.bear) / total), 3)


def _words(pattern: str) -> tuple[str, ...]:
    return tuple(pattern.lower().split())


def _parse_cue(entry: dict[str, Any]) -> Cue:
    for key in ("id", "pattern", "polarity"):
        if key not in entry:
            raise ValueError(f"stance cue {entry!r} lacks {key!r}; every cue needs id, pattern and polarity")
    if entry["polarity"] not in POLARITIES:
        raise ValueError(
            f"stance cue {entry['id']}: polarity must be one of {POLARITIES}, not {entry['polarity']!r}"
        )
    return Cue(entry["id"], _words(entry["pattern"]), entry["polarity"], float(entry.get("weight", 1.0)))


def _rating_cut_cues(data: dict[str, Any]) -> tuple[Cue, ...]:
    """ "cut* ... to hold", "downgrad* ... to market perform": one bearish cue per verb and rating."""
    return tuple(
        Cue(
            f"bear.{verb.rstrip('*')}_to_{'_'.join(_words(rating))}",
            (*_words(verb), "...", "to", *_words(rating)),
            "bear",
            2.0,
        )
        for verb in data.get("rating_cut_verbs", [])
        for rating in data.get("lower_ratings", [])
    )


def _rating_move_cues(data: dict[str, Any]) -> tuple[Cue, ...]:
    """ "to neutral from buy" (bearish), "to overweight from equal-weight" (bullish): one cue per pair
    of ratings in different tiers (`rating_tiers`, highest first)."""
    tiers = data.get("rating_tiers", [])
    cues = []
    for high, new_tier in enumerate(tiers):
        for low, old_tier in enumerate(tiers):
            if high == low:
                continue
            polarity = "bull" if high < low else "bear"
            for new in new_tier:
                for old in old_tier:
                    words = ("to", *_words(new), "from", *_words(old))
                    cues.append(Cue(f"{polarity}.{'_'.join(words)}", words, polarity, 3.0))
    return tuple(cues)


def parse_lexicon(data: dict[str, Any]) -> StanceLexicon:
    """Build a lexicon from the parsed YAML mapping; raise ValueError on a malformed entry."""
    cues = tuple(_parse_cue(entry) for entry in data.get("cues", []))
    cues += _rating_cut_cues(data) + _rating_move_cues(data)
    ids = [cue.id for cue in cues]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"stance cue ids must be unique; repeated: {duplicates}")
    mode = data.get("mode", "rules")
    if mode not in ("rules", "model", "hybrid"):
        raise ValueError(f"stance mode must be rules, model or hybrid, not {mode!r}")
    return StanceLexicon(
        cues=cues,
        negators=tuple(_words(n) for n in data.get("negators", [])),
        negation_window=int(data.get("negation_window", 4)),
        scope_negators=tuple(_words(n) for n in data.get("scope_negators", [])),
        concessive=tuple(_words(c) for c in data.get("concessive_preps", [])),
        shift_verbs=tuple(str(v).lower() for v in data.get("shift_verbs", [])),
        conditional=tuple(_words(c) for c in data.get("conditional_markers", [])),
        relief_negators=tuple(_words(n) for n in data.get("relief_negators", [])),
        non_market_owners=word_set(data.get("non_market_owners"), "stance.yaml: non_market_owners"),
        owner_adjectives=word_set(data.get("owner_adjectives"), "stance.yaml: owner_adjectives"),
        ratings=word_set(data.get("ratings"), "stance.yaml: ratings"),
        mixed_min_share=float(data.get("mixed_min_share", 0.5)),
        mode=mode,
    )


@lru_cache(maxsize=4)
def load_lexicon(path: Path | None = None) -> StanceLexicon:
    """Load `configs/views/stance.yaml` (cached)."""
    path = path or configs_dir() / "views" / "stance.yaml"
    return parse_lexicon(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def tokenize(text: str) -> list[str]:
    """Lower-case words and punctuation of a claim; curly apostrophes become straight ones.

    "don't" becomes "do", "n't" so that the negator stands alone.
    """
    words: list[str] = []
    for word in _WORD_RE.findall(text):
        word = word.lower().replace("’", "'").rstrip("'")  # "kept its 'buy' rating", "the stocks' rise"
        if word.endswith("n't") and len(word) > 3:
            words.extend((word[:-3], "n't"))
        else:
            words.append(word)
    return words


def _word_matches(pattern: str, word: str) -> bool:
    if pattern == "_":
        return word not in _PHRASE_END
    if pattern == "#":
        return word[:1].isdigit()  # a number: "between # and #" is a range of levels
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


_GAP = "..."
_MAX_GAP = 5


def _match_len(words: Sequence[str], i: int, pattern: Sequence[str]) -> int | None:
    """Words matched by a pattern at position i ("..." skips up to five words of the same phrase)."""
    if not pattern:
        return 0
    head, rest = pattern[0], pattern[1:]
    if head == _GAP:
        for skip in range(_MAX_GAP + 1):
            if skip and (i + skip > len(words) or words[i + skip - 1] in _PHRASE_END):
                break
            tail = _match_len(words, i + skip, rest)
            if tail is not None:
                return skip + tail
        return None
    if i >= len(words) or not _word_matches(head, words[i]):
        return None
    tail = _match_len(words, i + 1, rest)
    return None if tail is None else 1 + tail


def _seq_at(words: Sequence[str], i: int, pattern: Sequence[str]) -> bool:
    return _match_len(words, i, pattern) is not None


_QUOTES = frozenset({'"', "'", "“", "”", "‘", "’"})


def _masked_positions(words: Sequence[str], lex: StanceLexicon) -> set[int]:
    """Positions whose cues do not count: background phrases, driver-shift clauses, conditions,
    moves of currencies and rates, and the state left behind in "to X from Y".
    """
    masked: set[int] = set()
    for i in range(len(words)):
        for phrase in lex.concessive:
            if _seq_at(words, i, phrase):
                j = i + len(phrase)
                while j < len(words) and words[j] not in _PHRASE_END:
                    masked.add(j)
                    j += 1
    for start, end in clause_bounds(words):
        clause = words[start:end]
        shifts = [k for k, w in enumerate(clause) if any(_word_matches(v, w) for v in lex.shift_verbs)]
        if shifts and "from" in clause[shifts[0] + 1 :]:  # "pivot from AI concepts to earnings"
            masked.update(range(start, end))
    for i in range(1, len(words)):
        # "downgraded to neutral from overweight": the rating after "from" is the one left behind
        between = [w for w in words[max(0, i - 5) : i] if w not in _QUOTES][-3:]  # 'to "hold" from'
        if words[i] == "from" and "to" in between and any(w in lex.ratings for w in between):
            j = i + 1
            while j < min(len(words), i + 5) and (words[j] in _QUOTES or words[j] in lex.ratings):
                masked.add(j)  # the rating itself, quoted or not; the reason after it still counts
                j += 1
        if words[i] == "from":  # "taking it from a buy to a hold": the rating before "to" is left behind
            after = [k for k in range(i + 1, min(len(words), i + 4)) if words[k] not in _QUOTES | {"a", "an"}]
            if len(after) >= 2 and words[after[0]] in lex.ratings and words[after[1]] == "to":
                masked.add(after[0])
    for i in range(len(words)):
        if any(_seq_at(words, i, phrase) for phrase in lex.conditional):
            masked.update(_condition_span(words, i))
        if _owned_by_non_market(words, i, lex.non_market_owners, lex.owner_adjectives):
            masked.add(i)
    return masked


_TIME_ADVERBS = frozenset({"now", "still", "already", "also", "further"})


def _bare(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _owned_by_non_market(
    words: Sequence[str], i: int, owners: frozenset[str], adjectives: frozenset[str] = frozenset()
) -> bool:
    """Tell whether a move word is about a currency or a rate ("the yen's rise", "a rise in rates",
    "falling rates")."""
    if i > 0 and _bare(words[i - 1]) in owners:
        return True
    if i > 1 and words[i - 1] in _TIME_ADVERBS and _bare(words[i - 2]) in owners:
        return True  # "with rates now falling"
    if words[i] in adjectives:
        # "higher yields", "a weak yen", "higher interest rates": about the currency or rate
        for word in words[i + 1 : i + 3]:
            if not word[:1].isalpha():
                break
            if _bare(word) in owners:
                return True
    if words[i].endswith("ing"):
        # "falling rates", "rising yields", "rising office vacancies", "rising labour and diesel costs"
        for word in words[i + 1 : i + 5]:
            if not word[:1].isalpha():
                break
            if _bare(word) in owners:
                return True
    if i + 1 < len(words) and words[i + 1] in ("in", "of"):
        # "a rise in (U.S. interest) rates": the owner within the next few words of the phrase
        # the next four words, not counting the pieces of abbreviations ("U.S." is u . s .)
        content = [w for w in words[i + 2 : i + 12] if w != "." and not (len(w) == 1 and w.isalpha())][:4]
        for word in content:
            if word in _PHRASE_END:
                break
            if _bare(word) in owners:
                return True
    return False


def _condition_span(words: Sequence[str], i: int) -> range:
    """Return the condition opened at `i` ("until we see ..., the market will stay low") to its comma.

    A condition without a comma before the sentence ends is left alone: where the main clause
    starts is unclear.
    """
    j = i + 1
    while j < len(words) and words[j] not in (".", "!", "?", ";"):
        if words[j] == ",":
            return range(i, j)
        j += 1
    return range(0)


def clause_bounds(words: Sequence[str]) -> list[tuple[int, int]]:
    """Split word positions into clauses at commas, semicolons and contrastive conjunctions."""
    bounds, start = [], 0
    for i, word in enumerate(words):
        if word in _CLAUSE_BREAKS or word == ",":
            if i > start:
                bounds.append((start, i))
            start = i + 1
    if start < len(words):
        bounds.append((start, len(words)))
    return bounds


def _negated(words: Sequence[str], i: int, cue_len: int, lex: StanceLexicon, polarity: str = "bull") -> bool:
    lo = max(0, i - lex.negation_window)
    # "concerns eased" undoes a worry; "blue chips easing higher" is no negated rise
    negators = lex.negators + (lex.relief_negators if polarity == "bear" else ())
    # two negators cancel: "failed to prevent a crash" is a crash
    found = sum(
        1
        for j in range(lo, i)
        if not any(words[k] in _PHRASE_END - {"that"} for k in range(j, i))
        and any(_seq_at(words, j, neg) for neg in negators)
    )
    if found:
        return found % 2 == 1
    j = i - 1
    while j >= 0 and words[j] not in _PHRASE_END:
        if any(_seq_at(words, j, neg) for neg in lex.scope_negators):
            return True
        j -= 1
    after = words[i + cue_len : i + cue_len + _POST_WINDOW]
    for word in after:
        if word in _PHRASE_END:
            break
        if word.startswith(_POST_NEGATORS):
            return True
    return False


_FLIP = {"bull": "bear", "bear": "bull", "flat": "flat"}
# What follows "rather than" / "instead of" is set aside, not turned round.
_SET_ASIDE = (("rather", "than"), ("instead", "of"))


def _set_against(words: Sequence[str], i: int) -> bool:
    """Whether the cue at `i` is what a contrast sets aside ("rather than rising valuations")."""
    return any(tuple(words[max(0, i - 2) : i]) == pair for pair in _SET_ASIDE)


@dataclass(frozen=True)
class _CueIndex:
    """Cues by their first word, so each position tries only the cues that can start there. Every
    entry carries its rank in the full list (longest cue first), which decides between them."""

    exact: dict[str, tuple[tuple[int, Cue], ...]]
    prefixed: tuple[tuple[str, int, Cue], ...]  # first word "upgrad*": its prefix
    anywhere: tuple[tuple[int, Cue], ...]  # first word "_" or "..."

    def candidates(self, word: str) -> list[Cue]:
        found = [*self.exact.get(word, ()), *((r, c) for p, r, c in self.prefixed if word.startswith(p))]
        found += self.anywhere
        return [cue for _, cue in sorted(found, key=lambda item: item[0])]


@lru_cache(maxsize=8)
def _cues_by_first_word(cues: tuple[Cue, ...]) -> _CueIndex:
    ordered = sorted(cues, key=lambda c: -len(c.words))
    exact: dict[str, list[tuple[int, Cue]]] = {}
    prefixed, anywhere = [], []
    for rank, cue in enumerate(ordered):
        first = cue.words[0] if cue.words else _GAP
        if first in ("_", _GAP):
            anywhere.append((rank, cue))
        elif first.endswith("*"):
            prefixed.append((first[:-1], rank, cue))
        else:
            exact.setdefault(first, []).append((rank, cue))
    return _CueIndex({k: tuple(v) for k, v in exact.items()}, tuple(prefixed), tuple(anywhere))


def find_cues(text: str, lex: StanceLexicon | None = None) -> list[CueHit]:
    """Return the cues in a claim, longest match first at each position, with negation applied."""
    lex = lex or load_lexicon()
    words = tokenize(text)
    masked = _masked_positions(words, lex)
    by_first = _cues_by_first_word(lex.cues)
    hits: list[CueHit] = []
    covered: set[int] = set()
    for i in range(len(words)):
        if i in covered or i in masked:
            continue
        for cue in by_first.candidates(words[i]):
            length = _match_len(words, i, cue.words)
            if length is not None:
                covered.update(range(i, i + length))
                if _set_against(words, i):
                    break  # "earnings rather than rising valuations": the claim says neither side
                negated = _negated(words, i, length, lex, cue.polarity)
                polarity = _FLIP[cue.polarity] if negated else cue.polarity
                hits.append(CueHit(cue.id, polarity, cue.weight, i, negated))
                break
    return hits


def contrast_positions(text: str) -> list[int]:
    """Word positions (as `find_cues` counts them) of the words that set one clause against another."""
    return [i for i, word in enumerate(tokenize(text)) if word in _CONTRASTS]


def _split_by_contrast(hits: Sequence[CueHit], contrasts: Sequence[int]) -> bool:
    """One side before a contrast and the other after it: "could see a pullback in the near term but
    the medium-term trend remains intact" is both, whatever the weights."""
    for at in contrasts:
        before = {h.polarity for h in hits if h.position < at and h.polarity != "flat"}
        after = {h.polarity for h in hits if h.position > at and h.polarity != "flat"}
        if len(before) == 1 and len(after) == 1 and before != after:
            return True
    return False


def decide(
    hits: Sequence[CueHit], mixed_min_share: float = 0.5, contrasts: Sequence[int] = ()
) -> StanceResult:
    """Turn cue hits into a stance (`contrasts`: positions of "but", "although" ... in the claim)."""
    bull = sum(h.weight for h in hits if h.polarity == "bull")
    bear = sum(h.weight for h in hits if h.polarity == "bear")
    flat = sum(h.weight for h in hits if h.polarity == "flat")
    if flat > max(bull, bear):
        stance = "neutral"  # "expects volatility ... and recommends a neutral weighting"
    elif (
        bull
        and bear
        and (min(bull, bear) >= mixed_min_share * max(bull, bear) or _split_by_contrast(hits, contrasts))
    ):
        stance = "mixed"
    elif bull > bear:
        stance = "bullish"
    elif bear > bull:
        stance = "bearish"
    else:
        stance = "neutral"
    return StanceResult(stance, bull, bear, flat, tuple(hits))


def score_stance(text: str, lex: StanceLexicon | None = None) -> StanceResult:
    """Return the rule-based stance of a claim."""
    lex = lex or load_lexicon()
    return decide(find_cues(text, lex), lex.mixed_min_share, contrast_positions(text))
