"""Attach narratives to records and articles from the sentence classifier."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.schema import Narrative, Record


class NarrativeTagger:
    """Classifies each sentence once; records take their sentence's narratives, articles an aggregate."""

    def __init__(self, classifier) -> None:  # noqa: ANN001 - a pipeline.narratives NarrativeClassifier
        self.classifier = classifier

    @classmethod
    def load(cls) -> NarrativeTagger:
        """Load the trained classifier (training it first if the model folder is empty)."""
        from pipeline.narratives.predict import NarrativeClassifier, ensure_model

        return cls(NarrativeClassifier.load(ensure_model()))

    def tag(self, doc: Doc, records: list[Record]) -> tuple[list[Record], list[Narrative]]:
        """Return the records with narratives, and the article's narratives."""
        sentences = [sent for sent in doc.sents if sent.text.strip()]
        if not sentences:
            return records, []
        texts = [sent.text.strip() for sent in sentences]
        scores = self.classifier.scores(texts)
        per_sentence = self.classifier.labels_from_scores(scores)
        starts = [sent.start_char for sent in sentences]
        tagged = []
        for record in records:
            index = max(i for i, start in enumerate(starts) if start <= record.start) if starts[0] <= record.start else 0
            narratives = [Narrative(**item) for item in per_sentence[index]]
            tagged.append(record.model_copy(update={"narratives": narratives}))
        article = [Narrative(**item) for item in self.classifier.aggregate(scores)]
        return tagged, article
