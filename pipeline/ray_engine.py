"""Run finnews on Ray Data: read JSONL/Parquet, extract on an actor pool, write the contract's files.

The input is JSONL or Parquet files, local or on cloud storage (`s3://`, `gs://`: any pyarrow
filesystem); each actor loads the pipeline once; the output is `articles.jsonl` and `records.jsonl`
(and their Parquet tables) in a local folder or under a URI.

Needs the optional extra `finnews[ray]`. Locally it starts Ray on this machine's CPUs; with
`RAY_ADDRESS` set it joins that cluster (see bench/README.md). The output is the same, line for
line, as `finnews run` with the local engine on the same input.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from pipeline.decoding import DecodeError, decode_bytes
from pipeline.export import ARTICLES_FILE, RECORDS_FILE, recover, to_json_line
from pipeline.readers import RawArticle, article_from_row, expand_inputs, read_json_lines
from pipeline.runner import RunSummary, UniqueIds, check_manifest

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
# The RawArticle fields that travel from the read tasks to the actors (`extra` is not written anywhere).
RAW_FIELDS = ("text", "origin", "article_id", "title", "url", "source", "published", "error")
RAW_SCHEMA = pa.schema([(name, pa.string()) for name in RAW_FIELDS])


@dataclass(frozen=True)
class RayOptions:
    """How to spread the work: actors in the pool, CPUs each, blocks the input is cut into."""

    actors: int = 1
    actor_cpus: float | None = None
    blocks: int | None = None
    batch_size: int = 16

    def cpus_per_actor(self, cluster_cpus: float) -> float:
        """CPUs reserved per actor; leaves one CPU for Ray Data's read tasks (else they starve)."""
        if self.actor_cpus is not None:
            return self.actor_cpus
        return max(0.25, min(1.0, (cluster_cpus - 1.0) / self.actors))

    def num_blocks(self) -> int:
        """Blocks to split the input into: several per actor, so both ends of the pool stay busy."""
        return self.blocks or max(8, 8 * self.actors)


def is_uri(path: str) -> bool:
    """Tell whether `path` is a `scheme://...` location (s3://, gs://, file://) rather than a local path."""
    return "://" in str(path)


def raw_articles_from_bytes(data: bytes, path: str, text_field: str | None) -> Iterator[RawArticle]:
    """Read one JSONL or Parquet file's bytes exactly as `pipeline.readers` reads it from disk."""
    no_rows = RawArticle("", path, error="file holds no articles (no rows)")
    if path.lower().endswith(PARQUET_SUFFIXES):
        import pandas as pd

        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - any parser failure is reported for this file
            yield RawArticle("", path, error=f"could not read table: {exc}")
            return
        if frame.empty:
            yield no_rows
        for index, row in enumerate(frame.to_dict(orient="records")):
            yield article_from_row(row, f"{path}#{index}", text_field)
        return
    try:
        content = decode_bytes(data)
    except DecodeError as exc:
        yield RawArticle("", path, error=str(exc))
        return
    # Split on "\n" only, like the local reader: str.splitlines() also splits at U+2028 inside strings.
    articles = read_json_lines(content.split("\n"), path, text_field)
    first = next(articles, None)
    yield first if first is not None else no_rows
    yield from articles


def _article_source(paths: list[str], origins: dict[str, str], text_field: str | None):  # noqa: ANN202
    """Return a Ray Data datasource that yields one row of `RAW_FIELDS` per article."""
    from ray.data.datasource import FileBasedDatasource

    class ArticleSource(FileBasedDatasource):
        def __init__(self) -> None:
            super().__init__(paths)
            self._origins = origins
            self._text_field = text_field

        def _read_stream(self, f, path: str):  # noqa: ANN001, ANN202 - pyarrow stream, yields blocks
            origin = self._origins.get(path, path)
            raws = raw_articles_from_bytes(f.readall(), origin, self._text_field)
            rows = [{name: getattr(raw, name) for name in RAW_FIELDS} for raw in raws]
            yield pa.Table.from_pylist(rows, schema=RAW_SCHEMA)

    return ArticleSource()


def _value(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


class ExtractActor:
    """A Ray actor: loads the finnews pipeline once, then turns batches of raw articles into JSON lines."""

    def __init__(self, with_narratives: bool) -> None:
        from pipeline.extract import Extractor

        self.extractor = Extractor(with_narratives=with_narratives)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Process one batch; returns per article its JSON line, its records' lines and record types."""
        size = len(batch["origin"])
        raws = []
        for i in range(size):
            fields = {name: _value(batch[name][i]) for name in RAW_FIELDS}
            fields["text"] = fields["text"] or ""
            raws.append(RawArticle(**fields))
        results = self.extractor.process(raws)
        return {
            "article_id": np.array([item.article.article_id for item in results], dtype=object),
            "origin": np.array([item.origin for item in results], dtype=object),
            "article": np.array([to_json_line(item.article) for item in results], dtype=object),
            "records": np.array(
                ["".join(to_json_line(r) for r in item.records) for item in results], dtype=object
            ),
            "types": np.array([" ".join(r.type for r in item.records) for item in results], dtype=object),
            "failed": np.array([bool(item.article.errors) for item in results]),
        }


def _input_files(inputs: list[str], out: str) -> tuple[list[str], dict[str, str]]:
    """Expand local folders like the local engine does and check every file is JSONL or Parquet.

    Returns the paths for Ray and a map from Ray's resolved local path back to the path as given,
    so error messages and ids derived from it match the local engine's.
    """
    from pipeline.runner import input_files

    files: list[str] = []
    origins: dict[str, str] = {}
    for item in inputs:
        if item == "-":
            raise ValueError("the ray engine cannot read stdin; save it to a file or use --engine local")
        if is_uri(item):
            expanded = [item]
        elif is_uri(out):
            expanded = [str(path) for path in expand_inputs([item])]
        else:
            expanded = input_files([item], Path(out))
        for path in expanded:
            if not path.lower().endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES):
                raise ValueError(
                    f"the ray engine reads .jsonl/.ndjson/.parquet files, not {path}; use --engine local"
                )
            files.append(path)
            if not is_uri(path):
                origins[os.path.abspath(path)] = path
    return files, origins


class _UniqueLines:
    """Applies the local engine's `UniqueIds` to serialised output: a repeated article id is renamed.

    Only a repeat is parsed back into models (rare); every other article passes as its JSON lines.
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def claim(self, article_id: str, origin: str, article: str, records: str) -> tuple[str, str]:
        """Return the article's line and its records' lines, renamed when the id was already used."""
        if article_id not in self.seen:
            self.seen.add(article_id)
            return article, records
        from pydantic import TypeAdapter

        from pipeline.extract import ProcessedArticle
        from pipeline.schema import Article, Record

        adapter = TypeAdapter(Record)
        parsed = [adapter.validate_json(line) for line in records.splitlines()]
        item = ProcessedArticle(Article.model_validate_json(article), parsed, origin)
        item = UniqueIds(self.seen).claim(item)
        self.seen.add(item.article.article_id)
        return to_json_line(item.article), "".join(to_json_line(r) for r in item.records)


class _LineWriter:
    """Writes pre-serialised lines to `articles.jsonl` / `records.jsonl` in a local folder or a URI."""

    def __init__(self, out: str) -> None:
        from pyarrow import fs

        if is_uri(out):
            self.fs, self.base = fs.FileSystem.from_uri(out)
        else:
            self.fs, self.base = fs.LocalFileSystem(), os.path.abspath(out)
        self.fs.create_dir(self.base, recursive=True)
        self._records = self.fs.open_output_stream(f"{self.base}/{RECORDS_FILE}")
        self._articles = self.fs.open_output_stream(f"{self.base}/{ARTICLES_FILE}")

    def write(self, articles: list[str], records: list[str]) -> None:
        """Write a batch, records first (the order `pipeline.export.recover` relies on)."""
        self._records.write("".join(records).encode("utf-8"))
        self._records.flush()
        self._articles.write("".join(articles).encode("utf-8"))
        self._articles.flush()

    def close(self) -> None:
        """Close both files."""
        self._records.close()
        self._articles.close()

    def write_parquet(self) -> None:
        """Write `articles.parquet` and `records.parquet` from the finished JSONL files."""
        import pyarrow.parquet as pq

        for name in (ARTICLES_FILE, RECORDS_FILE):
            with self.fs.open_input_stream(f"{self.base}/{name}") as handle:
                text = handle.read().decode("utf-8")
            rows = [json.loads(line) for line in text.split("\n") if line.strip()]
            table = pa.Table.from_pylist(rows) if rows else pa.table({})
            with self.fs.open_output_stream(f"{self.base}/{Path(name).stem}.parquet") as sink:
                pq.write_table(table, sink)


def init_ray(num_cpus: int | None = None) -> None:
    """Join the cluster named by `RAY_ADDRESS`, or start a local Ray on this machine's CPUs."""
    import ray

    if ray.is_initialized():
        return
    if os.environ.get("RAY_ADDRESS"):
        ray.init(log_to_driver=False)
    else:
        ray.init(num_cpus=num_cpus or os.cpu_count(), include_dashboard=False, log_to_driver=False)


def build_dataset(  # noqa: ANN201 - a ray.data.Dataset
    files: list[str],
    origins: dict[str, str],
    text_field: str | None,
    with_narratives: bool,
    options: RayOptions,
):
    """Return the lazy Ray Dataset of extracted output lines, in input order."""
    import ray
    import ray.data

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    cluster_cpus = float(ray.cluster_resources().get("CPU", os.cpu_count() or 1))
    actor_cpus = options.cpus_per_actor(cluster_cpus)
    raws = ray.data.read_datasource(
        _article_source(files, origins, text_field), override_num_blocks=options.num_blocks()
    )
    return raws.map_batches(
        ExtractActor,
        fn_constructor_kwargs={"with_narratives": with_narratives},
        batch_size=options.batch_size,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=options.actors),
        num_cpus=actor_cpus,
    )


def run_ray(
    inputs: list[str],
    out: str,
    *,
    fmt: str = "jsonl",
    text_field: str | None = None,
    with_narratives: bool = True,
    options: RayOptions | None = None,
    progress: bool = True,
) -> RunSummary:
    """Process every input article on Ray into `out` (a folder or a `s3://`/`gs://` URI); start afresh."""
    import ray.data
    from tqdm import tqdm

    if fmt not in {"jsonl", "parquet"}:
        raise ValueError(f"unknown output format {fmt!r}: use 'jsonl' or 'parquet'")
    if not is_uri(out) and recover(Path(out)):
        raise ValueError(f"{out} holds a previous run; the ray engine starts afresh: pass --overwrite")
    options = options or RayOptions()
    if options.actors < 1 or options.batch_size < 1:
        raise ValueError("--workers and --batch-size must be at least 1")
    files, origins = _input_files(inputs, out)
    if not is_uri(out):
        Path(out).mkdir(parents=True, exist_ok=True)
        manifest = {"inputs": files, "text_field": text_field, "with_narratives": with_narratives}
        check_manifest(Path(out), manifest, resuming=False)
    init_ray()
    ray.data.DataContext.get_current().enable_progress_bars = False
    dataset = build_dataset(files, origins, text_field, with_narratives, options)
    summary = RunSummary()
    unique = _UniqueLines()
    writer = _LineWriter(out)
    started = time.perf_counter()
    bar = tqdm(desc="articles", unit="art", disable=not progress)
    try:
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            rows = zip(batch["article_id"], batch["origin"], batch["article"], batch["records"], strict=True)
            lines = [unique.claim(*row) for row in rows]
            writer.write([article for article, _ in lines], [records for _, records in lines])
            summary.articles += len(lines)
            # A renamed repeat carries a note in its errors, so it counts as failed (as locally).
            for (article, _), before, failed in zip(lines, batch["article"], batch["failed"], strict=True):
                summary.failed += bool(failed) or article is not before
            summary.records.update(Counter(t for types in batch["types"] for t in str(types).split()))
            bar.update(len(batch["article"]))
    finally:
        bar.close()
        writer.close()
    summary.seconds = time.perf_counter() - started
    if fmt == "parquet":
        writer.write_parquet()
    return summary


def options_dict(options: RayOptions) -> dict[str, Any]:
    """Return the options as a plain dict (for logs and the benchmark's JSON)."""
    return asdict(options)
