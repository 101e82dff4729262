"""One evaluation: load gold, get predictions, score, build the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.evaluate.corpus import SPLITS, gold_hash, load_gold
from pipeline.evaluate.match import MatchConfig
from pipeline.evaluate.predict import classify_sentences, load_classifier, read_run, run_pipeline
from pipeline.evaluate.report import build_report
from pipeline.evaluate.scoring import score_corpus

DEV_TRAINING_NOTE = (
    "dev sentences may be in the narrative classifier's training data (see configs/train_args.json): "
    "read dev narrative figures as a fit check; test figures are the honest ones"
)


def evaluate(
    gold_dir: Path,
    split: str | None = None,
    pred_dir: Path | None = None,
    narratives: bool = True,
    error_splits: tuple[str, ...] | None = None,
    narratives_model: Path | None = None,
) -> dict[str, Any]:
    """Evaluate the pipeline (or the run in `pred_dir`) on the gold corpus; return the report dict.

    `split` None reports dev, test and all; otherwise just that split ("all" pools dev and test).
    Errors are listed for `error_splits`: by default dev only, unless a split is asked for.
    `narratives_model` scores a classifier saved elsewhere than `models/narratives`.
    """
    if split not in {None, "dev", "test", "all"}:
        raise ValueError(f"unknown split {split!r}; use dev, test or all")
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise ValueError(f"gold folder {gold_dir} not found")
    wanted = SPLITS if split in {None, "all"} else (split,)
    golds = load_gold(gold_dir, wanted)
    report_splits = ("dev", "test", "all") if split is None else (split,)
    if error_splits is None:
        error_splits = ("dev",) if split is None else wanted
    classifier, reason = (None, "skipped (--no-narratives)")
    if narratives:
        classifier, reason = load_classifier(narratives_model)
    preds = read_run(pred_dir, golds) if pred_dir else run_pipeline(golds, classifier)
    label_set: tuple[str, ...] = ()
    if classifier is not None:
        label_set = tuple(classifier.labels)
        for article_id, labels in classify_sentences(classifier, golds).items():
            preds[article_id].sentence_narratives = labels
    config = MatchConfig.load()
    scores, errors = score_corpus(golds, preds, config, report_splits, label_set, error_splits)
    notes = [DEV_TRAINING_NOTE] if classifier is not None else []
    return build_report(scores, errors, gold_hash(gold_dir), classifier is not None, reason, notes)
