"""Score predictions against the gold corpus, per split: records per type, tickers, narratives."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluate.corpus import RECORD_TYPES, GoldArticle
from pipeline.evaluate.match import MatchConfig, field_agreement, match_records, predicted_tickers
from pipeline.evaluate.metrics import Counts, FieldAccuracy, LabelCounts, set_counts

KEY_FIELDS = {
    "price_move": ("subject", "ticker", "direction", "pct", "pct_high", "approx", "horizon"),
    "index_level": ("index", "ticker", "level", "pct", "direction"),
    "money_flow": ("channel", "subject", "direction", "amount", "currency", "approx", "period"),
    "analyst_view": ("institution", "analyst", "stance", "target"),
}


@dataclass
class Prediction:
    """What the pipeline produced for one gold article.

    `sentence_narratives` holds the classifier's labels for each gold sentence (None when the
    classifier was not run); `narratives` the article-level labels (None when not produced).
    """

    article_id: str
    records: list[Mapping[str, Any]] = field(default_factory=list)
    narratives: list[str] | None = None
    sentence_narratives: list[list[str]] | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class SplitScore:
    """Every count for one split."""

    articles: int = 0
    types: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in RECORD_TYPES})
    fields: dict[str, FieldAccuracy] = field(
        default_factory=lambda: {t: FieldAccuracy() for t in RECORD_TYPES}
    )
    tickers: Counts = field(default_factory=Counts)
    sentences: LabelCounts | None = None
    article_narratives: LabelCounts | None = None
    failed_articles: list[str] = field(default_factory=list)

    @property
    def records(self) -> Counts:
        """All four record types pooled."""
        total = Counts()
        for counts in self.types.values():
            total.add(counts)
        return total


def _brief(record: Mapping[str, Any], record_type: str) -> dict[str, Any]:
    return {key: record.get(key) for key in KEY_FIELDS.get(record_type, ())}


def score_article(
    gold: GoldArticle,
    pred: Prediction,
    score: SplitScore,
    config: MatchConfig,
    label_set: Sequence[str] = (),
    errors: list[dict[str, Any]] | None = None,
) -> None:
    """Add one article's counts to `score`; append its false positives and negatives to `errors`."""
    score.articles += 1
    if pred.errors:
        score.failed_articles.append(gold.article_id)
    for record_type in RECORD_TYPES:
        gold_records = gold.records_of(record_type)
        pred_records = [r for r in pred.records if r.get("type") == record_type]
        matching = match_records(record_type, gold_records, pred_records, config)
        score.types[record_type].add(
            Counts(tp=len(matching.pairs), fp=len(matching.spurious), fn=len(matching.missed))
        )
        for gi, pi in matching.pairs:
            score.fields[record_type].add(
                field_agreement(record_type, gold_records[gi], pred_records[pi], config)
            )
        if errors is None:
            continue
        base = {"split": gold.split, "article_id": gold.article_id, "type": record_type}
        for gi in matching.missed:
            record = gold_records[gi]
            errors.append(
                {
                    **base,
                    "kind": "FN",
                    "fields": _brief(record, record_type),
                    "evidence": record.get("evidence"),
                }
            )
        for pi in matching.spurious:
            record = pred_records[pi]
            errors.append(
                {
                    **base,
                    "kind": "FP",
                    "fields": _brief(record, record_type),
                    "evidence": record.get("text"),
                    "sentence": record.get("sentence"),
                    "extractor": record.get("extractor"),
                }
            )
    predicted = predicted_tickers(pred.records, config)
    score.tickers.add(set_counts(gold.tickers, predicted))
    if errors is not None:
        base = {"split": gold.split, "article_id": gold.article_id, "type": "ticker"}
        errors.extend(
            {**base, "kind": "FN", "fields": {"ticker": t}} for t in sorted(gold.tickers - predicted)
        )
        errors.extend(
            {**base, "kind": "FP", "fields": {"ticker": t}} for t in sorted(predicted - gold.tickers)
        )
    _score_narratives(gold, pred, score, label_set)


def _score_narratives(
    gold: GoldArticle, pred: Prediction, score: SplitScore, label_set: Sequence[str]
) -> None:
    if pred.sentence_narratives is not None:
        if len(pred.sentence_narratives) != len(gold.sentences):
            raise ValueError(
                f"{gold.article_id}: {len(pred.sentence_narratives)} sentence predictions for "
                f"{len(gold.sentences)} gold sentences"
            )
        score.sentences = score.sentences or LabelCounts()
        for sentence, labels in zip(gold.sentences, pred.sentence_narratives, strict=True):
            score.sentences.add(sentence.narratives, labels, label_set)
    if pred.narratives is not None:
        score.article_narratives = score.article_narratives or LabelCounts()
        score.article_narratives.add(gold.narratives, pred.narratives, label_set)


def score_corpus(
    golds: Iterable[GoldArticle],
    preds: Mapping[str, Prediction],
    config: MatchConfig,
    splits: Sequence[str] = ("dev", "test", "all"),
    label_set: Sequence[str] = (),
    error_splits: Iterable[str] = ("dev",),
) -> tuple[dict[str, SplitScore], list[dict[str, Any]]]:
    """Score every gold article per split ("all" pools dev and test); collect errors of `error_splits`."""
    scores = {split: SplitScore() for split in splits}
    errors: list[dict[str, Any]] = []
    wanted_errors = set(error_splits)
    for gold in golds:
        pred = preds.get(gold.article_id) or Prediction(
            gold.article_id, errors=["no prediction for this article"]
        )
        for split in splits:
            if split not in {gold.split, "all"}:
                continue
            # Errors are collected once per article, from its own split's pass.
            collect = split == gold.split and gold.split in wanted_errors
            if split == "all" and gold.split not in splits and gold.split in wanted_errors:
                collect = True
            score_article(gold, pred, scores[split], config, label_set, errors if collect else None)
    return scores, errors
