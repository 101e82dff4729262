"""Load the gold corpus: gold files under `corpus/gold/{dev,test}/` and the article texts they label.

The text of an article comes from one of three source kinds (see `corpus/GOLD_FORMAT.md`):
`file` (a path relative to the repository root), `reuters` (an id in the shared Reuters-21578
JSONL, read at run time and never copied) and `fin_entity` (a position in the shared FinEntity
JSON).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.paths import repo_root, shared_data_dir

SPLITS = ("dev", "test")
RECORD_TYPES = ("price_move", "index_level", "money_flow", "analyst_view")
REUTERS_FILE = Path("news") / "reuters21578.jsonl"
FIN_ENTITY_FILE = Path("labelled") / "fin_entity" / "FinEntity.json"


@dataclass(frozen=True)
class GoldSentence:
    """One sentence of a gold article with its narrative labels."""

    text: str
    narratives: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldArticle:
    """One labelled article: where its text is, the gold records, tickers and sentences."""

    article_id: str
    split: str
    source: Mapping[str, Any]
    tickers: frozenset[str]
    records: tuple[Mapping[str, Any], ...]
    sentences: tuple[GoldSentence, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def records_of(self, record_type: str) -> list[Mapping[str, Any]]:
        """Return the gold records of one type, in file order."""
        return [r for r in self.records if r["type"] == record_type]

    @property
    def narratives(self) -> frozenset[str]:
        """Return the article's narratives: the union of its sentences' labels."""
        return frozenset(label for sentence in self.sentences for label in sentence.narratives)


def _sentence(
    item: Mapping[str, Any], number: int, where: str, text_of: Callable[[], str] | None
) -> GoldSentence:
    labels = tuple(item.get("narratives") or ())
    if "text" in item:
        return GoldSentence(str(item["text"]), labels)
    if "start" not in item or "end" not in item:
        raise ValueError(f"{where}: sentence {number} needs `text` or `start` and `end`")
    if text_of is None:
        raise ValueError(f"{where}: sentence {number} is given by offsets; its article text is needed")
    text = text_of()
    start, end = int(item["start"]), int(item["end"])
    if not 0 <= start < end <= len(text):
        raise ValueError(
            f"{where}: sentence {number} offsets {start}:{end} outside the text ({len(text)} chars)"
        )
    return GoldSentence(text[start:end].strip(), labels)


def parse_gold(
    data: Mapping[str, Any], where: str = "<gold>", text_of: Callable[[], str] | None = None
) -> GoldArticle:
    """Validate one gold file's content and return it as a `GoldArticle`.

    Sentences are given by `text`, or (for texts that may not be copied, such as Reuters) by
    `start`/`end` offsets into the article text, which `text_of()` then supplies.
    """
    for key in ("article_id", "split", "source"):
        if key not in data:
            raise ValueError(f"{where}: missing {key!r}; see corpus/GOLD_FORMAT.md")
    if data["split"] not in SPLITS:
        raise ValueError(f"{where}: split {data['split']!r} is not one of {', '.join(SPLITS)}")
    source = data["source"]
    if not isinstance(source, Mapping) or source.get("kind") not in {"file", "reuters", "fin_entity"}:
        raise ValueError(f"{where}: source.kind must be 'file', 'reuters' or 'fin_entity', got {source!r}")
    records = []
    for number, record in enumerate(data.get("records") or []):
        if record.get("type") not in RECORD_TYPES:
            raise ValueError(
                f"{where}: record {number} has type {record.get('type')!r}; "
                f"use one of {', '.join(RECORD_TYPES)}"
            )
        records.append(dict(record))
    sentences = tuple(
        _sentence(s, number, where, text_of) for number, s in enumerate(data.get("sentences") or [])
    )
    return GoldArticle(
        article_id=str(data["article_id"]),
        split=str(data["split"]),
        source=dict(source),
        tickers=frozenset(data.get("tickers") or ()),
        records=tuple(records),
        sentences=sentences,
    )


def gold_files(gold_dir: Path, splits: Iterable[str] = SPLITS) -> list[Path]:
    """Return the gold files of the given splits, sorted by split then name."""
    files: list[Path] = []
    for split in splits:
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
        files.extend(sorted((Path(gold_dir) / split).glob("*.json")))
    return files


def load_gold(gold_dir: Path, splits: Iterable[str] = SPLITS) -> list[GoldArticle]:
    """Load every gold file of the given splits; the `split` field must match the folder."""
    articles = []
    seen: dict[str, Path] = {}
    for path in gold_files(gold_dir, splits):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: malformed JSON at line {exc.lineno} ({exc.msg})") from exc
        source = data.get("source") if isinstance(data, dict) else None
        article = parse_gold(data, str(path), (lambda src=source: article_text(src)) if source else None)
        if article.split != path.parent.name:
            raise ValueError(f"{path}: split {article.split!r} differs from its folder {path.parent.name!r}")
        if article.article_id in seen:
            raise ValueError(f"{path}: article_id {article.article_id!r} also in {seen[article.article_id]}")
        seen[article.article_id] = path
        articles.append(replace(article, path=path))
    return articles


def gold_hash(gold_dir: Path) -> str:
    """Return the SHA-256 of every gold file (relative path and bytes), in a stable order."""
    digest = hashlib.sha256()
    for path in gold_files(gold_dir):
        digest.update(f"{path.parent.name}/{path.name}\n".encode())
        digest.update(path.read_bytes())
        digest.update(b"\n")
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _reuters_index(path: Path) -> dict[str, str]:
    texts = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                title = (row.get("title") or "").strip()
                body = row.get("text") or ""
                texts[str(row["id"])] = f"{title}\n\n{body}" if title else body
    return texts


@lru_cache(maxsize=4)
def _fin_entity(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def _shared_file(relative: Path, data_dir: Path | None) -> Path:
    path = (data_dir or shared_data_dir()) / relative
    if not path.exists():
        raise ValueError(
            f"shared data file {path} not found; set FINNEWS_SHARED_DATA to the folder that holds "
            f"{relative.as_posix()}"
        )
    return path


def article_text(source: Mapping[str, Any], root: Path | None = None, data_dir: Path | None = None) -> str:
    """Return the text that a gold `source` points at (for `reuters`: title, blank line, body)."""
    kind = source.get("kind")
    if kind == "file":
        path = (root or repo_root()) / str(source["path"])
        if not path.exists():
            raise ValueError(f"gold source file {path} not found")
        return path.read_text(encoding="utf-8")
    if kind == "reuters":
        texts = _reuters_index(_shared_file(REUTERS_FILE, data_dir))
        key = str(source["id"])
        if key not in texts:
            raise ValueError(f"Reuters-21578 has no story with id {key!r}")
        return texts[key]
    if kind == "fin_entity":
        rows = _fin_entity(_shared_file(FIN_ENTITY_FILE, data_dir))
        index = int(source["index"])
        if not 0 <= index < len(rows):
            raise ValueError(f"FinEntity has {len(rows)} passages; index {index} is out of range")
        return str(rows[index]["content"])
    raise ValueError(f"unknown source kind {kind!r}; use 'file', 'reuters' or 'fin_entity'")
