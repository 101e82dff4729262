"""Attach narratives to records and articles from the sentence classifier.

The classifier is the most expensive step of finnews (a MiniLM forward pass per sentence), so the
tagger runs it lean. Torch uses one thread per process unless `FINNEWS_TORCH_THREADS` says
otherwise: spaCy is single-threaded and `--workers N` is the way to use N cores, so more threads
per process only fight over the same cores. An article's sentences are scored together, sorted by
length, in batches of `SCORE_BATCH_SIZE` (small batches pad less), so a sentence's score depends
on its article alone, whatever the batch, worker or engine. `FINNEWS_QUANTIZE=1` quantises the linear
layers to int8 (about 3x faster) but costs 2-4 points of narrative macro-F1, so it is off.
"""

from __future__ import annotations

import os
from bisect import bisect_right

from spacy.tokens import Doc

from pipeline.schema import Narrative, Record

THREADS_ENV = "FINNEWS_TORCH_THREADS"
QUANTIZE_ENV = "FINNEWS_QUANTIZE"
SCORE_BATCH_SIZE = 8


def torch_threads() -> int:
    """Return the torch threads per process: `FINNEWS_TORCH_THREADS`, default 1."""
    value = os.environ.get(THREADS_ENV, "1")
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{THREADS_ENV} must be a whole number of threads (1 or more), got {value!r}")
    return int(value)


def quantize_enabled() -> bool:
    """Tell whether to quantise the classifier to int8 (`FINNEWS_QUANTIZE=1`; default off)."""
    return os.environ.get(QUANTIZE_ENV, "0").strip().lower() in {"1", "true", "yes", "on"}


def quantize_classifier(classifier):  # noqa: ANN001, ANN201 - a NarrativeClassifier, returned
    """Quantise the classifier's linear layers to int8 in place (dynamic quantisation) and return it."""
    import warnings

    import torch

    with warnings.catch_warnings():
        # torch 2.x announces the move of eager quantisation to torchao; the API still works.
        warnings.simplefilter("ignore")
        classifier.model = torch.ao.quantization.quantize_dynamic(
            classifier.model, {torch.nn.Linear}, dtype=torch.qint8
        )
    return classifier


class NarrativeTagger:
    """Classifies each sentence once; records take their sentence's narratives, articles an aggregate."""

    def __init__(self, classifier) -> None:  # noqa: ANN001 - a pipeline.narratives NarrativeClassifier
        self.classifier = classifier

    @classmethod
    def load(cls) -> NarrativeTagger:
        """Load the trained classifier (training it first if the model folder is empty), set up for speed."""
        import torch

        from pipeline.narratives.predict import NarrativeClassifier, ensure_model

        torch.set_num_threads(torch_threads())
        classifier = NarrativeClassifier.load(ensure_model())
        return cls(quantize_classifier(classifier) if quantize_enabled() else classifier)

    def tag(self, doc: Doc, records: list[Record]) -> tuple[list[Record], list[Narrative]]:
        """Return the records with narratives, and the article's narratives."""
        sentences = [sent for sent in doc.sents if sent.text.strip()]
        if not sentences:
            return records, []
        texts = [sent.text.strip() for sent in sentences]
        scores = self.classifier.scores(texts, batch_size=SCORE_BATCH_SIZE)
        per_sentence = self.classifier.labels_from_scores(scores)
        starts = [sent.start_char for sent in sentences]
        tagged = []
        for record in records:
            index = max(bisect_right(starts, record.start) - 1, 0)  # the sentence that holds the record
            narratives = [Narrative(**item) for item in per_sentence[index]]
            tagged.append(record.model_copy(update={"narratives": narratives}))
        article = [Narrative(**item) for item in self.classifier.aggregate(scores)]
        return tagged, article
