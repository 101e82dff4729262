"""Inference with the fine-tuned narrative classifier: sentence scores, labels and article labels."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, PreTrainedModel

from pipeline.paths import models_dir

THRESHOLDS_FILE = "thresholds.json"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def default_model_dir() -> Path:
    """Return `models/narratives`, where `finnews train` saves the classifier."""
    return models_dir() / "narratives"


def has_weights(path: Path) -> bool:
    """Tell whether `path` holds a saved classifier (weights, config and thresholds)."""
    path = Path(path)
    return (
        any((path / name).is_file() for name in WEIGHT_FILES)
        and (path / "config.json").is_file()
        and (path / THRESHOLDS_FILE).is_file()
    )


def score_texts(
    model: PreTrainedModel,
    tokenizer,  # noqa: ANN001 - any HF tokenizer
    texts: Sequence[str],
    batch_size: int = 32,
    max_length: int = 128,
) -> np.ndarray:
    """Sigmoid scores `(len(texts), n_labels)`, batched, texts sorted by length to pad little."""
    n_labels = model.config.num_labels
    out = np.zeros((len(texts), n_labels), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch = tokenizer(
                [texts[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            )
            logits = model(**batch).logits
            out[idx] = torch.sigmoid(logits).float().numpy()
    return out


def _labelled(row: np.ndarray, labels: Sequence[str], thresholds: Mapping[str, float]) -> list[dict]:
    hits = [
        {"label": label, "score": round(float(row[j]), 4)}
        for j, label in enumerate(labels)
        if row[j] >= thresholds[label]
    ]
    return sorted(hits, key=lambda hit: (-hit["score"], hit["label"]))


def aggregate_article(
    sentence_scores: np.ndarray, thresholds: Mapping[str, float], labels: Sequence[str] | None = None
) -> list[dict]:
    """Article-level narratives from its sentences' scores.

    A label's article score is its maximum over the article's sentences: an article carries a
    narrative when at least one sentence tells that story, with that sentence's confidence.
    Labels default to the order of `thresholds`. Returns `[{label, score}]` above threshold, sorted.
    """
    labels = list(labels) if labels is not None else list(thresholds)
    scores = np.asarray(sentence_scores, dtype=np.float32)
    if scores.size == 0:
        return []
    return _labelled(scores.max(axis=0), labels, thresholds)


class NarrativeClassifier:
    """The fine-tuned multi-label narrative classifier, loaded once and used in batches."""

    def __init__(
        self, model: PreTrainedModel, tokenizer, thresholds: Mapping[str, float], max_length: int
    ) -> None:  # noqa: ANN001
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
        missing = [label for label in self.labels if label not in thresholds]
        if missing:
            raise ValueError(
                f"{THRESHOLDS_FILE} lacks thresholds for {missing}; retrain with `finnews train`"
            )
        self.thresholds = {label: float(thresholds[label]) for label in self.labels}
        self.max_length = max_length

    @classmethod
    def load(cls, path: Path | None = None) -> NarrativeClassifier:
        """Load a saved classifier (default `models/narratives`)."""
        path = Path(path) if path is not None else default_model_dir()
        if not has_weights(path):
            raise ValueError(f"no trained narrative model in {path}; run `finnews train` first")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        meta = json.loads((path / THRESHOLDS_FILE).read_text(encoding="utf-8"))
        model = AutoModelForSequenceClassification.from_pretrained(str(path))
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        return cls(model, tokenizer, meta["thresholds"], int(meta.get("max_length", 128)))

    def scores(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Raw sigmoid scores, shape `(len(texts), n_labels)`, columns in `self.labels` order."""
        return score_texts(self.model, self.tokenizer, list(texts), batch_size, self.max_length)

    def predict(self, texts: Sequence[str], batch_size: int = 32) -> list[list[dict]]:
        """For each text, the labels above their thresholds as `{label, score}`, best first."""
        return self.labels_from_scores(self.scores(texts, batch_size))

    def labels_from_scores(self, scores: np.ndarray) -> list[list[dict]]:
        """Per row of a `scores()` matrix, the labels above threshold as `{label, score}`, best first."""
        return [_labelled(row, self.labels, self.thresholds) for row in np.asarray(scores)]

    def aggregate(self, scores: np.ndarray) -> list[dict]:
        """Article-level narratives from the `scores()` of its sentences (see `aggregate_article`)."""
        return aggregate_article(scores, self.thresholds, self.labels)

    def predict_article(self, sentences: Sequence[str], batch_size: int = 32) -> list[dict]:
        """Article-level narratives of an article given as its sentences (see `aggregate_article`)."""
        return self.aggregate(self.scores(sentences, batch_size))


def ensure_model(path: Path | None = None) -> Path:
    """Return the model folder, training the classifier first if it has no weights yet."""
    path = Path(path) if path is not None else default_model_dir()
    if not has_weights(path):
        from pipeline.narratives.train import TrainArgs, run_training

        args = TrainArgs.from_json()
        if path.resolve() != args.output_path.resolve():
            args = args.replace(output_dir=str(path))
        run_training(args)
    return path
