"""Get predictions for the gold articles: run the pipeline on them, or read a finished run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.evaluate.corpus import GoldArticle, article_text
from pipeline.evaluate.scoring import Prediction


def load_classifier(path: Path | None = None) -> tuple[Any | None, str]:
    """Return the trained narrative classifier, or None and the reason it is unavailable.

    `path` defaults to `models/narratives`. Never trains: evaluation scores the model that is
    there (`finnews train` makes one).
    """
    try:
        from pipeline.narratives.predict import NarrativeClassifier, default_model_dir, has_weights
    except ImportError as exc:
        return None, f"narrative classifier not installed ({exc})"
    path = Path(path) if path is not None else default_model_dir()
    if not has_weights(path):
        if path != default_model_dir():
            raise ValueError(f"no trained narrative model in {path}")
        return None, f"no trained narrative model in models/{path.name}/; run `finnews train`"
    return NarrativeClassifier.load(path), ""


def _labels(items: Sequence[Any]) -> list[str]:
    return [item["label"] if isinstance(item, dict) else str(item) for item in items]


def classify_sentences(classifier: Any, golds: Sequence[GoldArticle]) -> dict[str, list[list[str]]]:
    """Run the classifier once over every gold sentence; return labels per article, per sentence."""
    # Whitespace is collapsed: wire stories wrap lines inside sentences.
    texts = [" ".join(sentence.text.split()) for gold in golds for sentence in gold.sentences]
    predicted = classifier.predict(texts) if texts else []
    out: dict[str, list[list[str]]] = {}
    position = 0
    for gold in golds:
        n = len(gold.sentences)
        out[gold.article_id] = [_labels(items) for items in predicted[position : position + n]]
        position += n
    return out


def run_pipeline(golds: Sequence[GoldArticle], classifier: Any | None = None) -> dict[str, Prediction]:
    """Process every gold article with the pipeline (spaCy loaded once); narratives when `classifier`."""
    from pipeline.extract import Extractor
    from pipeline.readers import RawArticle

    extractor = Extractor(with_narratives=False)
    if classifier is not None:
        from pipeline.tagging import NarrativeTagger

        # Reuse the classifier already loaded for the sentence scores instead of loading it twice.
        extractor._tagger = NarrativeTagger(classifier)  # noqa: SLF001
    raws = [
        RawArticle(article_text(g.source), f"gold:{g.article_id}", article_id=g.article_id) for g in golds
    ]
    preds = {}
    for gold, processed in zip(golds, extractor.process(raws), strict=True):
        article = processed.article
        preds[gold.article_id] = Prediction(
            article_id=gold.article_id,
            records=[record.model_dump() for record in processed.records],
            narratives=[n.label for n in article.narratives] if classifier is not None else None,
            errors=list(article.errors),
        )
    return preds


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise ValueError(f"{path} not found: --pred needs the folder of a finished `finnews run`")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_run(run_dir: Path, golds: Sequence[GoldArticle]) -> dict[str, Prediction]:
    """Read a finished run's articles.jsonl and records.jsonl, matched to gold articles by id.

    An article whose id is not a gold id is matched by the stable hash of its cleaned text (what
    `finnews run` uses as the id of a plain-text file).
    """
    from pipeline.cleaning import clean_text
    from pipeline.extract import stable_id

    articles = {a["article_id"]: a for a in _read_jsonl(Path(run_dir) / "articles.jsonl")}
    records: dict[str, list[dict[str, Any]]] = {}
    for record in _read_jsonl(Path(run_dir) / "records.jsonl"):
        records.setdefault(record["article_id"], []).append(record)
    preds = {}
    for gold in golds:
        run_id = gold.article_id
        if run_id not in articles:
            run_id = stable_id(clean_text(article_text(gold.source)))
        article = articles.get(run_id)
        if article is None:
            preds[gold.article_id] = Prediction(gold.article_id, errors=[f"not in {run_dir}"])
            continue
        with_narratives = "no-narratives" not in str(article.get("pipeline_version", ""))
        preds[gold.article_id] = Prediction(
            article_id=gold.article_id,
            records=records.get(run_id, []),
            narratives=_labels(article.get("narratives") or []) if with_narratives else None,
            errors=list(article.get("errors") or []),
        )
    return preds
