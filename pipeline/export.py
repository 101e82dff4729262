"""Write and read the output tables: JSONL journals (resumable), Parquet, pandas DataFrames."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from pipeline.schema import Article, Record

ARTICLES_FILE = "articles.jsonl"
RECORDS_FILE = "records.jsonl"


def to_json_line(model: Article | Record) -> str:
    """Serialise a model as one JSON line with a stable key order."""
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, sort_keys=False) + "\n"


def _complete_lines(path: Path) -> list[bytes]:
    """Return the file's lines that end with a newline (a half-written last line is dropped)."""
    if not path.exists():
        return []
    data = path.read_bytes()
    end = data.rfind(b"\n")
    return data[: end + 1].splitlines(keepends=True) if end >= 0 else []


def _rewrite(path: Path, lines: list[bytes]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(b"".join(lines))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def recover(out_dir: Path) -> int:
    """Repair an interrupted run's journals; return how many input articles are already complete.

    Records of an article are written before its article line, so the complete article lines
    say exactly which records to keep: the sum of their `n_records`, in order.
    """
    articles_path, records_path = out_dir / ARTICLES_FILE, out_dir / RECORDS_FILE
    article_lines = _complete_lines(articles_path)
    try:
        kept_records = sum(json.loads(line)["n_records"] for line in article_lines)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"{articles_path} is not finnews output ({exc}); use --overwrite or another --out"
        ) from exc
    record_lines = _complete_lines(records_path)
    if len(record_lines) < kept_records:
        raise ValueError(f"{records_path} has fewer records than {articles_path} promises; start a new run")
    if articles_path.exists():
        _rewrite(articles_path, article_lines)
    if records_path.exists() or kept_records:
        _rewrite(records_path, record_lines[:kept_records])
    return len(article_lines)


class JsonlJournal:
    """Appends finished articles and their records, durably, records first."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self._articles = open(out_dir / ARTICLES_FILE, "a", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._records = open(out_dir / RECORDS_FILE, "a", encoding="utf-8", newline="\n")  # noqa: SIM115

    def write(self, items: Iterable[tuple[Article, list[Record]]]) -> None:
        """Write a batch: all its records, then its article lines, each flushed to disk."""
        items = list(items)
        self._records.write("".join(to_json_line(r) for _, records in items for r in records))
        self._records.flush()
        os.fsync(self._records.fileno())
        self._articles.write("".join(to_json_line(article) for article, _ in items))
        self._articles.flush()
        os.fsync(self._articles.fileno())

    def close(self) -> None:
        """Close both files."""
        self._records.close()
        self._articles.close()


def read_jsonl(path: Path) -> list[dict]:
    """Read a JSONL file into a list of dicts."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_tables(out_dir: str | Path):  # noqa: ANN201 - returns a pair of pandas DataFrames
    """Return `(articles, records)` as pandas DataFrames from a `finnews run` output folder."""
    import pandas as pd

    out_dir = Path(out_dir)
    if (out_dir / "articles.parquet").exists():
        return pd.read_parquet(out_dir / "articles.parquet"), pd.read_parquet(out_dir / "records.parquet")
    if not (out_dir / ARTICLES_FILE).exists():
        raise ValueError(f"{out_dir} holds no finnews output ({ARTICLES_FILE} not found)")
    articles = pd.DataFrame(read_jsonl(out_dir / ARTICLES_FILE))
    records_path = out_dir / RECORDS_FILE
    records = pd.DataFrame(read_jsonl(records_path)) if records_path.exists() else pd.DataFrame()
    return articles, records


def write_parquet(out_dir: Path) -> None:
    """Write `articles.parquet` and `records.parquet` from the finished JSONL journals."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name in (ARTICLES_FILE, RECORDS_FILE):
        path = out_dir / name
        rows = read_jsonl(path) if path.exists() else []
        table = pa.Table.from_pylist(rows) if rows else pa.table({})
        tmp = out_dir / (Path(name).stem + ".parquet.tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, out_dir / (Path(name).stem + ".parquet"))
