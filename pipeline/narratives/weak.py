"""Labelling functions (keyword/regex lexicons from the config) and the vote combiner.

Each labelling function (LF) looks at one sentence and votes +1 (positive) or -1 (negative) for one
label, or abstains (0). `combine_votes` turns the votes into a label set by majority per label:
a label is on when its positive votes outnumber its negative votes; abstentions do not count, so a
label nobody voted on is off. This is the plain majority-vote "label model"; the LFs overlap and
are correlated, so a learned label model would gain little on this little data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pipeline.narratives.labels import LFSpec, NarrativeConfig, load_narrative_config

POSITIVE, NEGATIVE, ABSTAIN = 1, -1, 0
# Web text spells hyphens and quotes many ways ("rare‑earth" with U+2011); the lexicons use ASCII.
_FOLD = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"} | {c: "'" for c in "\u2018\u2019"}
)


def fold(text: str) -> str:
    """Map typographic hyphens, dashes and apostrophes to ASCII so lexicon patterns match."""
    return text.translate(_FOLD)


def _alternation(patterns: Sequence[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class LabellingFunction:
    """A compiled LF: fires when a pattern and (if any) a context match, and no `unless` matches."""

    id: str
    label: str
    vote: int
    patterns: re.Pattern[str]
    context: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None

    @classmethod
    def from_spec(cls, spec: LFSpec) -> LabellingFunction:
        """Compile a config entry."""
        return cls(
            id=spec.id,
            label=spec.label,
            vote=POSITIVE if spec.vote == "positive" else NEGATIVE,
            patterns=_alternation(spec.patterns),  # type: ignore[arg-type]  # validated non-empty
            context=_alternation(spec.context),
            unless=_alternation(spec.unless),
        )

    def __call__(self, text: str) -> int:
        """Return this LF's vote on `text`: +1, -1, or 0 for abstain."""
        if not self.patterns.search(text):
            return ABSTAIN
        if self.context is not None and not self.context.search(text):
            return ABSTAIN
        if self.unless is not None and self.unless.search(text):
            return ABSTAIN
        return self.vote


def combine_votes(votes: Mapping[str, Sequence[int]]) -> set[str]:
    """Majority vote per label with abstain: on when positives outnumber negatives."""
    return {label for label, label_votes in votes.items() if sum(v for v in label_votes if v) > 0}


class WeakLabeller:
    """Applies the config's labelling functions to sentences."""

    def __init__(self, config: NarrativeConfig | None = None) -> None:
        self.config = config or load_narrative_config()
        self.labels = self.config.label_names
        self.lfs = tuple(LabellingFunction.from_spec(spec) for spec in self.config.labelling_functions)

    def votes(self, text: str) -> dict[str, list[int]]:
        """Return the non-abstaining votes per label (every label present, maybe empty)."""
        out: dict[str, list[int]] = {label: [] for label in self.labels}
        text = fold(text)
        for lf in self.lfs:
            vote = lf(text)
            if vote != ABSTAIN:
                out[lf.label].append(vote)
        return out

    def fired(self, text: str) -> list[tuple[str, int]]:
        """Return `(lf_id, vote)` for each LF that did not abstain, for explanations and debugging."""
        text = fold(text)
        return [(lf.id, vote) for lf in self.lfs if (vote := lf(text)) != ABSTAIN]

    def label(self, text: str) -> set[str]:
        """Return the combined weak label set of one sentence."""
        return combine_votes(self.votes(text))

    def label_many(self, texts: Iterable[str]) -> list[set[str]]:
        """Return the combined weak label set of each sentence."""
        return [self.label(text) for text in texts]

    def assess(self, text: str) -> tuple[set[str], bool]:
        """Return the combined label set and whether some LF voted against a label.

        Sentences with a negative vote and no label (easing, mining output, cash flow) make good
        hard negatives.
        """
        votes = self.votes(text)
        return combine_votes(votes), any(NEGATIVE in label_votes for label_votes in votes.values())
