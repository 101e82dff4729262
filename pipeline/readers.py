"""Read articles from files, folders and stdin in every supported format.

Each reader yields `RawArticle`s; an input that cannot be read becomes a `RawArticle` with an
`error`, so a bad file or line never stops a batch.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.decoding import DecodeError, decode_bytes

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".json", ".jsonl", ".ndjson", ".csv", ".parquet"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
TEXT_FIELDS = ("text", "content", "body")
META_FIELDS = ("title", "url", "source", "published")


@dataclass(frozen=True)
class RawArticle:
    """An article as read, before cleaning; `origin` says where it came from (file and line)."""

    text: str
    origin: str
    article_id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if value != value:  # NaN from pandas
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def _a_type(value: Any) -> str:
    name = {"dict": "object", "list": "list", "str": "string", "int": "number", "float": "number"}.get(
        type(value).__name__, type(value).__name__
    )
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def article_from_row(row: dict[str, Any], origin: str, text_field: str | None = None) -> RawArticle:
    """Build an article from a JSON/CSV/Parquet row (`text`/`content`/`body` plus optional metadata)."""
    if not isinstance(row, dict):
        return RawArticle("", origin, error=f"row is {_a_type(row)}, expected an object")
    candidates = (text_field,) if text_field else TEXT_FIELDS
    text_key = next((key for key in candidates if key and _as_str(row.get(key))), None)
    article_id = _as_str(row.get("id")) or _as_str(row.get("article_id"))
    meta = {key: _as_str(row.get(key)) for key in META_FIELDS}
    if text_key is None:
        wanted = " or ".join(repr(c) for c in candidates if c)
        return RawArticle("", origin, article_id, error=f"row has no text field ({wanted})", **meta)
    text = row[text_key]
    if not isinstance(text, str):
        error = f"field {text_key!r} is {_a_type(text)}, expected a string"
        return RawArticle("", origin, article_id, error=error, **meta)
    return RawArticle(text, origin, article_id, **meta)


def _read_decoded(path: Path) -> tuple[str | None, RawArticle | None]:
    """Return the file's text, or an error article saying why it cannot be read as text."""
    try:
        return decode_bytes(path.read_bytes()), None
    except DecodeError as exc:
        return None, RawArticle("", str(path), error=str(exc))
    except OSError as exc:
        return None, RawArticle("", str(path), error=f"could not read file: {exc.strerror or exc}")


def _no_rows(path: Path) -> RawArticle:
    return RawArticle("", str(path), error="file holds no articles (no rows)")


def read_text_file(path: Path) -> Iterator[RawArticle]:
    """Read a plain-text article; the first line is taken as its title when it looks like one."""
    text, failed = _read_decoded(path)
    if text is None:
        yield failed
        return
    first_line = text.strip().split("\n", 1)[0].strip()
    title = first_line if 0 < len(first_line) <= 200 and not first_line.endswith(".") else None
    yield RawArticle(text, str(path), title=title)


def read_html_file(path: Path) -> Iterator[RawArticle]:
    """Extract the main text and metadata of an HTML page with trafilatura."""
    from pipeline.html import extract_html

    html, failed = _read_decoded(path)
    if html is None:
        yield failed
        return
    yield extract_html(html, str(path))


def read_json_lines(lines: Iterable[str], origin: str, text_field: str | None) -> Iterator[RawArticle]:
    """Read JSONL: one article per line; a malformed line becomes an error entry with its line number."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            error = f"malformed JSON on line {number} ({exc.msg}, column {exc.colno})"
            yield RawArticle("", where, error=error)
            continue
        yield article_from_row(row, where, text_field)


def read_json_file(path: Path, text_field: str | None) -> Iterator[RawArticle]:
    """Read a JSON file holding one article object or a list of them, or JSON Lines."""
    content, failed = _read_decoded(path)
    if content is None:
        yield failed
        return
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        # Split on "\n" only: str.splitlines() would also split inside strings at U+2028 and friends.
        articles = read_json_lines(content.split("\n"), str(path), text_field)
        first = next(articles, None)
        yield from [first] if first else [_no_rows(path)]
        yield from articles
        return
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        yield RawArticle("", str(path), error=f"malformed JSON at line {exc.lineno} ({exc.msg})")
        return
    rows = data if isinstance(data, list) else [data]
    if not rows:
        yield _no_rows(path)
    for index, row in enumerate(rows):
        yield article_from_row(row, f"{path}#{index}", text_field)


def read_table_file(path: Path, text_field: str | None) -> Iterator[RawArticle]:
    """Read a CSV or Parquet table, one article per row."""
    import pandas as pd

    try:
        if path.suffix.lower() == ".csv":
            content, failed = _read_decoded(path)
            if content is None:
                yield failed
                return
            frame = pd.read_csv(io.StringIO(content), dtype=str) if content.strip() else pd.DataFrame()
        else:
            frame = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any parser failure is reported for this file
        yield RawArticle("", str(path), error=f"could not read table: {exc}")
        return
    if frame.empty:
        yield _no_rows(path)
    for index, row in enumerate(frame.to_dict(orient="records")):
        yield article_from_row(row, f"{path}#{index}", text_field)


def read_path(path: Path, text_field: str | None = None) -> Iterator[RawArticle]:
    """Read one file of any supported format."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield from read_text_file(path)
    elif suffix in HTML_SUFFIXES:
        yield from read_html_file(path)
    elif suffix in {".json", ".jsonl", ".ndjson"}:
        yield from read_json_file(path, text_field)
    elif suffix in {".csv", ".parquet"}:
        yield from read_table_file(path, text_field)
    else:
        yield RawArticle("", str(path), error=f"unsupported file type {suffix!r}")


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | Path]:
    """Expand folders into their supported files (sorted, recursive); keep `-` for stdin."""
    for item in inputs:
        if item == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file())
            yield from sorted(found)
        elif path.exists():
            yield path
        else:
            raise ValueError(f"input not found: {item}")


def read_inputs(inputs: Iterable[str], text_field: str | None = None) -> Iterator[RawArticle]:
    """Yield every article of every input, in a stable order."""
    for item in expand_inputs(inputs):
        if item == "-":
            yield from read_json_lines(sys.stdin, "<stdin>", text_field)
        else:
            yield from read_path(Path(item), text_field)
