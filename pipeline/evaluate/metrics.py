"""Counts and scores: true/false positives and negatives, precision, recall, F1, field accuracy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass
class Counts:
    """True positives, false positives and false negatives, and the scores they give.

    With nothing to find and nothing found, precision, recall and F1 are all 1.0 (a perfect
    empty answer); otherwise an empty denominator gives 0.0.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        """Add another count in place."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def empty(self) -> bool:
        """True when there was nothing to find and nothing was found."""
        return self.tp == self.fp == self.fn == 0

    @property
    def precision(self) -> float:
        """Share of predictions that are correct."""
        return 1.0 if self.empty else _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Share of gold items that were found."""
        return 1.0 if self.empty else _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        if self.empty:
            return 1.0
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, float | int]:
        """Return the counts and rounded scores, for the JSON report."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def set_counts(gold: Iterable[str], pred: Iterable[str]) -> Counts:
    """Count one predicted set against one gold set."""
    g, p = set(gold), set(pred)
    return Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))


@dataclass
class FieldAccuracy:
    """Per-field agreement on matched pairs; a field neither side gives is not counted."""

    correct: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)

    def add(self, agreement: Mapping[str, bool | None]) -> None:
        """Count one matched pair's field comparison (from `match.field_agreement`)."""
        for name, same in agreement.items():
            self.total.setdefault(name, 0)
            self.correct.setdefault(name, 0)
            if same is None:
                continue
            self.total[name] += 1
            self.correct[name] += int(same)

    def as_dict(self) -> dict[str, dict[str, float | int | None]]:
        """Field -> {correct, total, accuracy} (accuracy None when the field was never given)."""
        return {
            name: {
                "correct": self.correct[name],
                "total": total,
                "accuracy": round(self.correct[name] / total, 4) if total else None,
            }
            for name, total in self.total.items()
        }


@dataclass
class LabelCounts:
    """Counts per label for multi-label predictions, with micro and macro averages."""

    labels: dict[str, Counts] = field(default_factory=dict)
    items: int = 0

    def add(self, gold: Iterable[str], pred: Iterable[str], label_set: Iterable[str] = ()) -> None:
        """Count one item (a sentence or an article) with its gold and predicted label sets."""
        g, p = set(gold), set(pred)
        self.items += 1
        for label in set(label_set) | g | p:
            self.labels.setdefault(label, Counts()).add(set_counts({label} & g, {label} & p))

    @property
    def micro(self) -> Counts:
        """All labels pooled."""
        total = Counts()
        for counts in self.labels.values():
            total.add(counts)
        return total

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the labels that occur in the gold or the predictions."""
        scored = [c.f1 for c in self.labels.values() if not c.empty]
        return sum(scored) / len(scored) if scored else 1.0

    def as_dict(self) -> dict:
        """Micro counts, macro F1 and per-label counts, for the JSON report."""
        return {
            "items": self.items,
            "micro": self.micro.as_dict(),
            "macro_f1": round(self.macro_f1, 4),
            "labels": {label: counts.as_dict() for label, counts in sorted(self.labels.items())},
        }
